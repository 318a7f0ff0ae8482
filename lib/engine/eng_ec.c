// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff engine: EC keys, OpenSSL's own EC_KEY_METHOD with ECDSA
 * signing and verification (sign_sig, verify_sig: a digest and an
 * ECDSA_SIG) and ECDH (compute_key) on the device for P-256 and P-384.
 *
 * The device answers r || s at the curve's width, which becomes an
 * ECDSA_SIG; OpenSSL's sign and verify around these keep the DER.  The
 * device takes the leftmost bytes of a longer digest (FIPS 186-4 6.4),
 * as OpenSSL does.  Other curves, and a signature with precomputed
 * kinv and r (ECDSA_sign_setup), run OpenSSL's own functions.  The
 * ECDH secret is the shared point's x-coordinate at the field's width,
 * as OpenSSL's compute_key gives it.
 */
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "eng.h"
#include "pk.h"

static EC_KEY_METHOD *eng_ec_meth;
static ECDSA_SIG *(*eng_ec_sw_sign_sig)(const unsigned char *dgst,
					int dlen, const BIGNUM *kinv,
					const BIGNUM *r, EC_KEY *eckey);
static int (*eng_ec_sw_verify_sig)(const unsigned char *dgst, int dlen,
				   const ECDSA_SIG *sig, EC_KEY *eckey);
static int (*eng_ec_sw_ckey)(unsigned char **psec, size_t *pseclen,
			     const EC_POINT *pub, const EC_KEY *ecdh);

static enum aoff_pk_curve ec_curve(const EC_KEY *ec)
{
	const EC_GROUP *g = EC_KEY_get0_group(ec);
	int nid = g ? EC_GROUP_get_curve_name(g) : NID_undef;

	return nid == NID_X9_62_prime256v1 ? AOFF_CURVE_P256 :
	       nid == NID_secp384r1 ? AOFF_CURVE_P384 : AOFF_CURVE_NONE;
}

/* @pt as x || y into @out (2 * flen bytes). */
static int ec_point(const EC_KEY *ec, const EC_POINT *pt, size_t flen,
		    uint8_t *out)
{
	uint8_t buf[1 + 2 * AOFF_EC_MAX_BYTES];

	if (!pt || EC_POINT_point2oct(EC_KEY_get0_group(ec), pt,
				      POINT_CONVERSION_UNCOMPRESSED, buf,
				      sizeof(buf), NULL) != 1 + 2 * flen)
		return 0;
	memcpy(out, buf + 1, 2 * flen);
	return 1;
}

/* The device's form of @ec: its curve, public key, private key if any. */
static int ec_key(const EC_KEY *ec, int need_priv, struct aoff_pkey *k)
{
	const BIGNUM *d = EC_KEY_get0_private_key(ec);

	memset(k, 0, sizeof(*k));
	k->type = AOFF_PK_EC;
	k->curve = ec_curve(ec);
	k->flen = aoff_curve_bytes(k->curve);
	if (!k->flen)
		return 0;
	if (need_priv)
		return d && BN_bn2binpad(d, k->priv, (int)k->flen) >= 0;
	return ec_point(ec, EC_KEY_get0_public_key(ec), k->flen, k->pub);
}

static ECDSA_SIG *ec_sign_sig(const unsigned char *dgst, int dlen,
			      const BIGNUM *kinv, const BIGNUM *r,
			      EC_KEY *ec)
{
	uint8_t rs[2 * AOFF_EC_MAX_BYTES];
	struct aoff_pkey k;
	ECDSA_SIG *es = NULL;
	BIGNUM *br = NULL, *bs = NULL;

	if (kinv || r || dlen <= 0 || dlen > AOFF_ECDSA_DIGEST_MAX ||
	    !ec_key(ec, 1, &k)) {
		OPENSSL_cleanse(&k, sizeof(k));
		return eng_ec_sw_sign_sig(dgst, dlen, kinv, r, ec);
	}
	if (!aoff_pk_ecdsa_sign(&k, dgst, (size_t)dlen, rs))
		goto out;
	es = ECDSA_SIG_new();
	br = BN_bin2bn(rs, (int)k.flen, NULL);
	bs = BN_bin2bn(rs + k.flen, (int)k.flen, NULL);
	if (!es || !br || !bs || !ECDSA_SIG_set0(es, br, bs)) {
		AOFF_RAISE(AOFF_R_NO_MEMORY, "ECDSA signature");
		ECDSA_SIG_free(es);
		BN_free(br);
		BN_free(bs);
		es = NULL;
	}
out:
	OPENSSL_cleanse(&k, sizeof(k));
	return es;
}

static int ec_verify_sig(const unsigned char *dgst, int dlen,
			 const ECDSA_SIG *sig, EC_KEY *ec)
{
	uint8_t rs[2 * AOFF_EC_MAX_BYTES];
	const BIGNUM *r, *s;
	struct aoff_pkey k;

	if (dlen <= 0 || dlen > AOFF_ECDSA_DIGEST_MAX || !ec_key(ec, 0, &k))
		return eng_ec_sw_verify_sig(dgst, dlen, sig, ec);
	ECDSA_SIG_get0(sig, &r, &s);
	/* r or s wider than the order cannot verify: no device needed. */
	if (BN_is_negative(r) || BN_is_negative(s) ||
	    BN_bn2binpad(r, rs, (int)k.flen) < 0 ||
	    BN_bn2binpad(s, rs + k.flen, (int)k.flen) < 0)
		return 0;
	return aoff_pk_ecdsa_verify(&k, dgst, (size_t)dlen, rs);
}

static int ec_compute_key(unsigned char **psec, size_t *pseclen,
			  const EC_POINT *pub, const EC_KEY *ec)
{
	struct aoff_pkey k, peer;
	uint8_t *sec;
	size_t flen;
	int ok;

	if (!ec_key(ec, 1, &k)) {
		OPENSSL_cleanse(&k, sizeof(k));
		return eng_ec_sw_ckey(psec, pseclen, pub, ec);
	}
	memset(&peer, 0, sizeof(peer));
	peer.curve = k.curve;
	peer.flen = k.flen;
	if (!ec_point(ec, pub, k.flen, peer.pub)) {
		OPENSSL_cleanse(&k, sizeof(k));
		AOFF_RAISE(AOFF_R_BAD_PEER_KEY, "ECDH: the peer's key is not "
			   "a point of the key's curve");
		return 0;
	}
	flen = k.flen;
	sec = OPENSSL_secure_malloc(flen);
	ok = sec && aoff_pk_ecdh(&k, &peer, sec);
	OPENSSL_cleanse(&k, sizeof(k));
	if (!ok) {
		if (!sec)
			AOFF_RAISE(AOFF_R_NO_MEMORY, "ECDH secret");
		OPENSSL_secure_clear_free(sec, flen);
		return 0;
	}
	*psec = sec;
	*pseclen = flen;
	return 1;
}

const EC_KEY_METHOD *aoff_eng_ec(void)
{
	return eng_ec_meth;
}

int aoff_eng_ec_init(void)
{
	const EC_KEY_METHOD *sw = EC_KEY_OpenSSL();
	int (*sign)(int type, const unsigned char *dgst, int dlen,
		    unsigned char *sig, unsigned int *siglen,
		    const BIGNUM *kinv, const BIGNUM *r, EC_KEY *eckey);
	int (*sign_setup)(EC_KEY *eckey, BN_CTX *ctx, BIGNUM **kinv,
			  BIGNUM **rp);
	int (*verify)(int type, const unsigned char *dgst, int dlen,
		      const unsigned char *sigbuf, int siglen, EC_KEY *eckey);

	eng_ec_meth = EC_KEY_METHOD_new(sw);
	if (!eng_ec_meth)
		return 0;
	EC_KEY_METHOD_get_sign(sw, &sign, &sign_setup, &eng_ec_sw_sign_sig);
	EC_KEY_METHOD_get_verify(sw, &verify, &eng_ec_sw_verify_sig);
	EC_KEY_METHOD_get_compute_key(sw, &eng_ec_sw_ckey);
	/* OpenSSL's sign and verify do the DER and call ours. */
	EC_KEY_METHOD_set_sign(eng_ec_meth, sign, sign_setup, ec_sign_sig);
	EC_KEY_METHOD_set_verify(eng_ec_meth, verify, ec_verify_sig);
	EC_KEY_METHOD_set_compute_key(eng_ec_meth, ec_compute_key);
	return 1;
}

void aoff_eng_ec_free(void)
{
	EC_KEY_METHOD_free(eng_ec_meth);
	eng_ec_meth = NULL;
}
