// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: the RSA private-key operation as the provider runs
 * it on the device.
 *
 * The device does not blind (include/uapi/linux/asyncoff.h), so the
 * provider does, as OpenSSL's own RSA does: a fresh random r per
 * operation, the device computes (c * r^e)^d = c^d * r mod n, and the
 * provider multiplies by r^-1.  The device's timing then depends on a
 * value the caller cannot choose or see.  The result is checked with
 * the public exponent before it is used (m^e == c), as OpenSSL checks
 * its CRT result: a faulty result would otherwise give the factors of
 * n away (Boneh-DeMillo-Lipton).  BIGNUM arithmetic and the random
 * numbers are libcrypto's, in the provider's private library context,
 * whose DRBG never reaches asyncoff.
 */
#define OPENSSL_SUPPRESS_DEPRECATED	/* RSA *, for RSA_padding_*() */
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/rsa.h>

#include "pk.h"

int aoff_rsa_private(const struct aoff_pkey *k, const uint8_t *in,
		     uint8_t *out)
{
	uint8_t buf[AOFF_RSA_MAX_BYTES];
	OSSL_LIB_CTX *lc = aoff_sw_libctx();
	BN_CTX *bc;
	BIGNUM *c, *r, *ri, *a, *m;
	int ret = 0, tries = 0;

	if (!lc)
		return 0;
	bc = BN_CTX_secure_new_ex(lc);
	if (!bc)
		return 0;
	BN_CTX_start(bc);
	c = BN_CTX_get(bc);
	r = BN_CTX_get(bc);
	ri = BN_CTX_get(bc);
	a = BN_CTX_get(bc);
	m = BN_CTX_get(bc);
	if (!m || !BN_bin2bn(in, (int)k->nbytes, c))
		goto out;
	if (BN_ucmp(c, k->n) >= 0) {
		AOFF_RAISE(AOFF_R_DATA_TOO_LARGE, "RSA input not below the "
			   "modulus");
		goto out;
	}
	/* r in [1, n), invertible mod n (else n's factor: try again). */
	do {
		if (++tries > 32 || !BN_priv_rand_range_ex(r, k->n, 0, bc))
			goto out;
	} while (BN_is_zero(r) || !BN_mod_inverse(ri, r, k->n, bc));
	if (!BN_mod_exp(a, r, k->e, k->n, bc) ||
	    !BN_mod_mul(a, a, c, k->n, bc) ||
	    BN_bn2binpad(a, buf, (int)k->nbytes) < 0)
		goto out;
	if (!aoff_pk_rsa_private(k, buf, buf))
		goto out;
	if (!BN_bin2bn(buf, (int)k->nbytes, m) ||
	    !BN_mod_mul(m, m, ri, k->n, bc) ||
	    !BN_mod_exp(a, m, k->e, k->n, bc))
		goto out;
	if (BN_cmp(a, c)) {
		AOFF_RAISE(AOFF_R_BAD_RESULT, "the device's RSA private-key "
			   "result does not match its input under the public "
			   "exponent");
		goto out;
	}
	ret = BN_bn2binpad(m, out, (int)k->nbytes) >= 0;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	BN_CTX_end(bc);
	BN_CTX_free(bc);
	return ret;
}

struct rsa_st *aoff_rsa_pub(const struct aoff_pkey *k)
{
	RSA *rsa = RSA_new();
	BIGNUM *n = BN_dup(k->n), *e = BN_dup(k->e);

	if (!rsa || !n || !e || !RSA_set0_key(rsa, n, e, NULL)) {
		RSA_free(rsa);
		BN_free(n);
		BN_free(e);
		AOFF_RAISE(AOFF_R_NO_MEMORY, "RSA public key");
		return NULL;
	}
	return rsa;
}
