/* SPDX-License-Identifier: Apache-2.0 */
/*
 * asyncoff provider: public-key algorithms (RSA, ECDSA, ECDH, X25519).
 *
 * A key (struct aoff_pkey, the keymgmt's keydata) is held by the default
 * provider: an EVP_PKEY in the provider's private library context
 * (sw.c), so import, export, encoding, checks and parameters are
 * OpenSSL's own.  Beside it the key keeps the numbers the device takes,
 * extracted once (aoff_pkey_sync) so that an operation only copies them
 * into the data area.  Padding, digests and DER stay in the provider, on
 * libcrypto's functions; the device does the modular and curve
 * arithmetic (pk_dev.c).
 */
#ifndef AOFF_PK_H
#define AOFF_PK_H

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "prov.h"

/*
 * Reason codes of the public-key errors (err.c has their strings), apart
 * from prov.h's so that other additions there do not collide.
 */
enum {
	AOFF_R_KEY_REJECTED = 64,	/* the device refused the key */
	AOFF_R_BAD_PEER_KEY,		/* off-curve / small-order peer */
	AOFF_R_RSA_INPUT,		/* RSA input not below n */
	AOFF_R_BAD_RESULT,		/* a device result did not check */
	AOFF_R_UNSUPPORTED_PADDING,
	AOFF_R_BAD_SIGNATURE_LENGTH,
	AOFF_R_DATA_TOO_LARGE,
};

enum aoff_pk_type {
	AOFF_PK_RSA,
	AOFF_PK_EC,
	AOFF_PK_X25519,
};

/* The curves the device has; anything else is not a device key. */
enum aoff_pk_curve {
	AOFF_CURVE_NONE = 0,
	AOFF_CURVE_P256,
	AOFF_CURVE_P384,
};

#define AOFF_EC_MAX_BYTES	48	/* P-384 field and order */
#define AOFF_RSA_MAX_BYTES	512	/* RSA-4096 */

struct aoff_pkey {
	enum aoff_pk_type type;
	int refs;		/* atomic: the keymgmt and our op ctxs */
	EVP_PKEY *pk;		/* default provider's key; NULL: empty */
	int has;		/* OSSL_KEYMGMT_SELECT_* the key holds */
	/*
	 * Why the device cannot take this key (NULL: it can), for the
	 * error an operation raises: a modulus size or curve it lacks.
	 */
	const char *nodev;
	/* RSA: 2-prime CRT key (p, q, dp, dq, qinv NULL for public keys) */
	BIGNUM *n, *e, *d, *p, *q, *dp, *dq, *qinv;
	size_t nbytes;		/* modulus length in bytes */
	/* The device's form: DER RSAPrivateKey / RSAPublicKey (secret) */
	uint8_t *der_priv, *der_pub;
	size_t der_priv_len, der_pub_len;
	/* EC */
	enum aoff_pk_curve curve;
	size_t flen;		/* field (= order) length in bytes */
	/* EC: x || y; X25519: the u-coordinate */
	uint8_t pub[2 * AOFF_EC_MAX_BYTES];
	/* EC: the scalar, flen bytes; X25519: 32 bytes (secret, wiped) */
	uint8_t priv[AOFF_EC_MAX_BYTES];
};

/* pk_key.c */
struct aoff_pkey *aoff_pkey_new(enum aoff_pk_type type);
struct aoff_pkey *aoff_pkey_ref(struct aoff_pkey *k);
void aoff_pkey_free(struct aoff_pkey *k);
/* Take @pk (consumed) as the key's data and extract what the device needs. */
int aoff_pkey_set(struct aoff_pkey *k, EVP_PKEY *pk);
/* Build a default provider key of @type from @params (@selection). */
EVP_PKEY *aoff_pkey_fromdata(enum aoff_pk_type type, int selection,
			     OSSL_PARAM params[]);
const char *aoff_pkey_type_name(enum aoff_pk_type type);
/* The curve's name (OpenSSL's), its field bytes. */
const char *aoff_curve_name(enum aoff_pk_curve c);
size_t aoff_curve_bytes(enum aoff_pk_curve c);
/* The key can go to the device; else raise an error naming why. */
int aoff_pkey_dev_check(const struct aoff_pkey *k, int need_priv,
			const char *what);

/* The keymgmt tables (pk_key.c, pk_gen.c). */
extern const OSSL_DISPATCH aoff_rsa_keymgmt_functions[];
extern const OSSL_DISPATCH aoff_ec_keymgmt_functions[];
extern const OSSL_DISPATCH aoff_x25519_keymgmt_functions[];
/* pk_gen.c: key generation, shared by the three keymgmts */
void *aoff_pk_gen_init(enum aoff_pk_type type, int selection,
		       const OSSL_PARAM params[]);
int aoff_pk_gen_set_params(void *genctx, const OSSL_PARAM params[]);
int aoff_pk_gen_set_template(void *genctx, void *templ);
const OSSL_PARAM *aoff_pk_gen_settable_params(enum aoff_pk_type type);
void *aoff_pk_gen(void *genctx, OSSL_CALLBACK *cb, void *cbarg);
void aoff_pk_gen_cleanup(void *genctx);

/*
 * pk_sig.c: a signature context, RSA or ECDSA.  The digest of DigestSign
 * and DigestVerify is the default provider's (pk_sw.c) in @mdctx.
 */
struct aoff_sig {
	enum aoff_pk_type type;
	struct aoff_pkey *k;
	int sign;		/* 1 sign, 0 verify */
	EVP_MD *md;		/* NULL: sign the data as it is */
	int mdnid;
	size_t mdsize;
	EVP_MD_CTX *mdctx;	/* DigestSign/DigestVerify */
	/* RSA */
	int pad;		/* RSA_PKCS1_PADDING, RSA_PKCS1_PSS_PADDING */
	EVP_MD *mgf1;		/* NULL: md */
	int saltlen;		/* bytes, or RSA_PSS_SALTLEN_* */
};
void *aoff_sig_newctx(enum aoff_pk_type type);
/* The sign/verify of a digest (or raw data), per algorithm. */
int aoff_rsa_sig_sign(struct aoff_sig *s, uint8_t *sig, size_t *siglen,
		      size_t sigsize, const uint8_t *tbs, size_t tbslen);
int aoff_rsa_sig_verify(struct aoff_sig *s, const uint8_t *sig,
			size_t siglen, const uint8_t *tbs, size_t tbslen);
int aoff_ecdsa_sig_sign(struct aoff_sig *s, uint8_t *sig, size_t *siglen,
			size_t sigsize, const uint8_t *tbs, size_t tbslen);
int aoff_ecdsa_sig_verify(struct aoff_sig *s, const uint8_t *sig,
			  size_t siglen, const uint8_t *tbs, size_t tbslen);
/* The shared entries of both signature tables. */
#define AOFF_SIG_COMMON_FUNCTIONS \
	{ OSSL_FUNC_SIGNATURE_FREECTX, (void (*)(void))aoff_sig_freectx }, \
	{ OSSL_FUNC_SIGNATURE_DUPCTX, (void (*)(void))aoff_sig_dupctx }, \
	{ OSSL_FUNC_SIGNATURE_SIGN_INIT, (void (*)(void))aoff_sig_sign_init }, \
	{ OSSL_FUNC_SIGNATURE_SIGN, (void (*)(void))aoff_sig_sign }, \
	{ OSSL_FUNC_SIGNATURE_VERIFY_INIT, \
	  (void (*)(void))aoff_sig_verify_init }, \
	{ OSSL_FUNC_SIGNATURE_VERIFY, (void (*)(void))aoff_sig_verify }, \
	{ OSSL_FUNC_SIGNATURE_DIGEST_SIGN_INIT, \
	  (void (*)(void))aoff_sig_digest_sign_init }, \
	{ OSSL_FUNC_SIGNATURE_DIGEST_SIGN_UPDATE, \
	  (void (*)(void))aoff_sig_digest_update }, \
	{ OSSL_FUNC_SIGNATURE_DIGEST_SIGN_FINAL, \
	  (void (*)(void))aoff_sig_digest_sign_final }, \
	{ OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_INIT, \
	  (void (*)(void))aoff_sig_digest_verify_init }, \
	{ OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_UPDATE, \
	  (void (*)(void))aoff_sig_digest_update }, \
	{ OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_FINAL, \
	  (void (*)(void))aoff_sig_digest_verify_final }, \
	{ OSSL_FUNC_SIGNATURE_GET_CTX_PARAMS, \
	  (void (*)(void))aoff_sig_get_ctx_params }, \
	{ OSSL_FUNC_SIGNATURE_GETTABLE_CTX_PARAMS, \
	  (void (*)(void))aoff_sig_gettable_ctx_params }, \
	{ OSSL_FUNC_SIGNATURE_SET_CTX_PARAMS, \
	  (void (*)(void))aoff_sig_set_ctx_params }, \
	{ OSSL_FUNC_SIGNATURE_SETTABLE_CTX_PARAMS, \
	  (void (*)(void))aoff_sig_settable_ctx_params }
void aoff_sig_freectx(void *vctx);
void *aoff_sig_dupctx(void *vctx);
int aoff_sig_sign_init(void *vctx, void *key, const OSSL_PARAM params[]);
int aoff_sig_verify_init(void *vctx, void *key, const OSSL_PARAM params[]);
int aoff_sig_sign(void *vctx, unsigned char *sig, size_t *siglen,
		  size_t sigsize, const unsigned char *tbs, size_t tbslen);
int aoff_sig_verify(void *vctx, const unsigned char *sig, size_t siglen,
		    const unsigned char *tbs, size_t tbslen);
int aoff_sig_digest_sign_init(void *vctx, const char *mdname, void *key,
			      const OSSL_PARAM params[]);
int aoff_sig_digest_verify_init(void *vctx, const char *mdname, void *key,
				const OSSL_PARAM params[]);
int aoff_sig_digest_update(void *vctx, const unsigned char *data,
			   size_t len);
int aoff_sig_digest_sign_final(void *vctx, unsigned char *sig,
			       size_t *siglen, size_t sigsize);
int aoff_sig_digest_verify_final(void *vctx, const unsigned char *sig,
				 size_t siglen);
int aoff_sig_get_ctx_params(void *vctx, OSSL_PARAM params[]);
const OSSL_PARAM *aoff_sig_gettable_ctx_params(void *vctx, void *provctx);
int aoff_sig_set_ctx_params(void *vctx, const OSSL_PARAM params[]);
const OSSL_PARAM *aoff_sig_settable_ctx_params(void *vctx, void *provctx);

/*
 * pk_rsa.c: the RSA private-key operation on the device, blinded here
 * (the device does not blind) and its result checked with the public
 * exponent; a public-key-only RSA of the key for libcrypto's padding
 * functions.
 */
int aoff_rsa_private(const struct aoff_pkey *k, const uint8_t *in,
		     uint8_t *out);
struct rsa_st *aoff_rsa_pub(const struct aoff_pkey *k);

/* The operations' tables. */
extern const OSSL_DISPATCH aoff_rsa_signature_functions[];
extern const OSSL_DISPATCH aoff_ecdsa_signature_functions[];
extern const OSSL_DISPATCH aoff_rsa_asym_cipher_functions[];
extern const OSSL_DISPATCH aoff_ecdh_keyexch_functions[];
extern const OSSL_DISPATCH aoff_x25519_keyexch_functions[];

/* pk_caps.c: the TLS groups (OSSL_FUNC_PROVIDER_GET_CAPABILITIES). */
int aoff_pk_get_capabilities(void *provctx, const char *capability,
			     OSSL_CALLBACK *cb, void *arg);

/* pk_algs.c: the algorithm tables prov.c's query returns. */
extern const OSSL_ALGORITHM aoff_pk_keymgmt[];
extern const OSSL_ALGORITHM aoff_pk_signature[];
extern const OSSL_ALGORITHM aoff_pk_asym_cipher[];
extern const OSSL_ALGORITHM aoff_pk_keyexch[];

/*
 * pk_sw.c: the default provider's pieces in the private library context:
 * its keymgmt of each type (for parameter lists) and its digests (the
 * hash of DigestSign runs in-process: it is short, and pausing on the
 * device for it would only add latency to the long operation).
 */
EVP_KEYMGMT *aoff_pk_sw_keymgmt(enum aoff_pk_type type);
EVP_MD *aoff_pk_sw_md(const char *name, const char *props);
void aoff_pk_sw_cleanup(void);

/*
 * pk_dev.c: the device's public-key operations.  Each runs one request
 * through the bridge (pausing the current job, or sleeping) and returns 1,
 * or 0 with an error raised that names the operation and the cause.
 * Buffers are the key's widths: RSA nbytes, EC flen per coordinate.
 */
int aoff_pk_rsa_private(const struct aoff_pkey *k, const uint8_t *in,
			uint8_t *out);
int aoff_pk_rsa_public(const struct aoff_pkey *k, const uint8_t *in,
		       uint8_t *out);
/* r || s, 2 * flen bytes */
int aoff_pk_ecdsa_sign(const struct aoff_pkey *k, const uint8_t *dgst,
		       size_t dlen, uint8_t *rs);
/* 1: valid, 0: not valid (no error raised), -1: error raised */
int aoff_pk_ecdsa_verify(const struct aoff_pkey *k, const uint8_t *dgst,
			 size_t dlen, const uint8_t *rs);
/* priv: flen bytes, pub: x || y */
int aoff_pk_ec_keygen(enum aoff_pk_curve c, uint8_t *priv, uint8_t *pub);
/* the x-coordinate of the shared point, flen bytes */
int aoff_pk_ecdh(const struct aoff_pkey *k, const struct aoff_pkey *peer,
		 uint8_t *secret);
int aoff_pk_x25519_keygen(uint8_t *priv, uint8_t *pub);
int aoff_pk_x25519(const struct aoff_pkey *k, const struct aoff_pkey *peer,
		   uint8_t *secret);

#endif /* AOFF_PK_H */
