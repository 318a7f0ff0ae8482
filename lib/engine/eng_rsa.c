// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff engine: RSA, OpenSSL's own RSA_METHOD with the private-key
 * exponentiation (mod_exp, the CRT step) on the device.
 *
 * OpenSSL keeps the padding and calls mod_exp only for keys with CRT
 * parameters.  The device does not blind, so its input must be blinded,
 * but not by OpenSSL: its per-thread blinding converts before mod_exp and
 * inverts after it with state that the next conversion changes, and
 * while one job pauses on the device another job of the same thread
 * converts (speed -async_jobs saw wrong signatures).  So a key that goes
 * to the device gets RSA_FLAG_NO_BLINDING when its DER is cached, and
 * mod_exp blinds each request itself with a fresh r, as the provider does
 * (lib/provider/pk_rsa.c): the device computes (c * r^e)^d = c^d * r.
 * The device takes two-prime 2048-, 3072- and 4096-bit keys as a DER
 * RSAPrivateKey; other keys run OpenSSL's own mod_exp.  The DER is
 * encoded once per RSA object and kept in its ex_data.  The result is
 * checked with the public exponent before it is used, as OpenSSL checks
 * its own CRT result: a faulty result would give the factors of n away
 * (Boneh-DeMillo-Lipton).  The public-key operation stays OpenSSL's: with
 * e = 65537 it is cheaper in-process than a round trip to the device.
 */
#include <string.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/rsa.h>

#include "eng.h"
#include "pk.h"

/* The device's form of one key (ex_data; secret, wiped when freed). */
struct eng_rsa_der {
	uint8_t *der;
	size_t len;
};

static RSA_METHOD *eng_rsa_meth;
static int eng_rsa_idx = -1;
static CRYPTO_RWLOCK *eng_rsa_lock;	/* guards setting the ex_data */
static int (*eng_rsa_sw_mod_exp)(BIGNUM *r0, const BIGNUM *i, RSA *rsa,
				 BN_CTX *ctx);

static void der_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
		     long argl, void *argp)
{
	struct eng_rsa_der *dk = ptr;

	(void)parent;
	(void)ad;
	(void)idx;
	(void)argl;
	(void)argp;
	if (!dk)
		return;
	OPENSSL_clear_free(dk->der, dk->len);
	OPENSSL_free(dk);
}

/* The key can go to the device: two primes, CRT, a size it has. */
static int rsa_dev_key(const RSA *rsa)
{
	int bits = RSA_bits(rsa);
	const BIGNUM *p, *q, *dp, *dq, *qinv;

	if (bits != 2048 && bits != 3072 && bits != 4096)
		return 0;
	if (RSA_get_multi_prime_extra_count(rsa))
		return 0;
	RSA_get0_factors(rsa, &p, &q);
	RSA_get0_crt_params(rsa, &dp, &dq, &qinv);
	return p && q && dp && dq && qinv;
}

/* The key's DER, encoded on first use; NULL with an error raised. */
static const struct eng_rsa_der *rsa_der(RSA *rsa)
{
	struct eng_rsa_der *dk;
	unsigned char *der = NULL;
	int len;

	if (!CRYPTO_THREAD_read_lock(eng_rsa_lock))
		return NULL;
	dk = RSA_get_ex_data(rsa, eng_rsa_idx);
	CRYPTO_THREAD_unlock(eng_rsa_lock);
	if (dk)
		return dk;
	len = i2d_RSAPrivateKey(rsa, &der);
	if (len <= 0) {
		AOFF_RAISE(AOFF_R_KEY_REJECTED, "the RSA key could not be "
			   "encoded for the device");
		return NULL;
	}
	if (!CRYPTO_THREAD_write_lock(eng_rsa_lock)) {
		OPENSSL_clear_free(der, (size_t)len);
		return NULL;
	}
	/* Another thread may have been first: keep its copy. */
	dk = RSA_get_ex_data(rsa, eng_rsa_idx);
	if (!dk) {
		/* From now on mod_exp blinds (see the top of the file). */
		RSA_set_flags(rsa, RSA_FLAG_NO_BLINDING);
		dk = OPENSSL_zalloc(sizeof(*dk));
		if (dk) {
			dk->der = der;
			dk->len = (size_t)len;
			der = NULL;
			if (!RSA_set_ex_data(rsa, eng_rsa_idx, dk)) {
				der = dk->der;
				OPENSSL_free(dk);
				dk = NULL;
			}
		}
	}
	CRYPTO_THREAD_unlock(eng_rsa_lock);
	if (der)
		OPENSSL_clear_free(der, (size_t)len);
	if (!dk)
		AOFF_RAISE(AOFF_R_NO_MEMORY, "RSA key for the device");
	return dk;
}

static int rsa_mod_exp(BIGNUM *r0, const BIGNUM *i, RSA *rsa, BN_CTX *ctx)
{
	uint8_t buf[AOFF_RSA_MAX_BYTES];
	const BIGNUM *n, *e;
	const struct eng_rsa_der *dk;
	struct aoff_pkey k;
	BIGNUM *chk, *r, *ri, *c;
	int ok = 0, tries = 0;

	if (!rsa_dev_key(rsa))
		return eng_rsa_sw_mod_exp(r0, i, rsa, ctx);
	dk = rsa_der(rsa);
	if (!dk)
		return 0;
	RSA_get0_key(rsa, &n, &e, NULL);
	memset(&k, 0, sizeof(k));
	k.type = AOFF_PK_RSA;
	k.nbytes = (size_t)RSA_size(rsa);
	k.der_priv = dk->der;
	k.der_priv_len = dk->len;
	BN_CTX_start(ctx);
	chk = BN_CTX_get(ctx);
	r = BN_CTX_get(ctx);
	ri = BN_CTX_get(ctx);
	c = BN_CTX_get(ctx);
	if (!c)
		goto out;
	/* r in [1, n), invertible mod n (else n's factor: try again). */
	do {
		if (++tries > 32 || !BN_priv_rand_range(r, n))
			goto out;
	} while (BN_is_zero(r) || !BN_mod_inverse(ri, r, n, ctx));
	if (!BN_mod_exp(c, r, e, n, ctx) || !BN_mod_mul(c, c, i, n, ctx) ||
	    BN_bn2binpad(c, buf, (int)k.nbytes) < 0)
		goto out;
	if (!aoff_pk_rsa_private(&k, buf, buf))
		goto out;
	if (!BN_bin2bn(buf, (int)k.nbytes, r0) ||
	    !BN_mod_mul(r0, r0, ri, n, ctx) ||
	    !BN_mod_exp(chk, r0, e, n, ctx))
		goto out;
	if (BN_cmp(chk, i)) {
		AOFF_RAISE(AOFF_R_BAD_RESULT, "the device's RSA private-key "
			   "result does not match its input under the public "
			   "exponent");
		goto out;
	}
	ok = 1;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	BN_CTX_end(ctx);
	return ok;
}

const RSA_METHOD *aoff_eng_rsa(void)
{
	return eng_rsa_meth;
}

int aoff_eng_rsa_init(void)
{
	const RSA_METHOD *sw = RSA_PKCS1_OpenSSL();

	if (eng_rsa_idx < 0)
		eng_rsa_idx = RSA_get_ex_new_index(0, NULL, NULL, NULL,
						   der_free);
	if (eng_rsa_idx < 0)
		return 0;
	eng_rsa_lock = CRYPTO_THREAD_lock_new();
	eng_rsa_meth = RSA_meth_dup(sw);
	eng_rsa_sw_mod_exp = RSA_meth_get_mod_exp(sw);
	if (!eng_rsa_lock || !eng_rsa_meth || !eng_rsa_sw_mod_exp ||
	    !RSA_meth_set1_name(eng_rsa_meth, "asyncoff RSA (CRT on the "
				"device)") ||
	    !RSA_meth_set_mod_exp(eng_rsa_meth, rsa_mod_exp)) {
		aoff_eng_rsa_free();
		return 0;
	}
	return 1;
}

void aoff_eng_rsa_free(void)
{
	RSA_meth_free(eng_rsa_meth);
	eng_rsa_meth = NULL;
	CRYPTO_THREAD_lock_free(eng_rsa_lock);
	eng_rsa_lock = NULL;
	/*
	 * Every RSA that uses the method holds the engine, so none with our
	 * ex_data is left when the engine goes (and its der_free with it).
	 */
	if (eng_rsa_idx >= 0)
		CRYPTO_free_ex_index(CRYPTO_EX_INDEX_RSA, eng_rsa_idx);
	eng_rsa_idx = -1;
}
