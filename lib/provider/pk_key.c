// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: KEYMGMT for RSA, EC (P-256, P-384) and X25519.
 *
 * The key's data lives in a default provider key (an EVP_PKEY of the
 * private library context): import is EVP_PKEY_fromdata, export is
 * EVP_PKEY_export, parameters, checks and comparison are the default
 * provider's.  So a key decoded from PEM by the default provider moves
 * here by export/import, and a key made here (pk_gen.c) exports to the
 * default provider's encoders unchanged.  aoff_pkey_sync() extracts the
 * numbers the device takes once per key.
 *
 * A key the device cannot use (an RSA modulus other than 2048, 3072 or
 * 4096 bits, more than two primes, another curve, explicit curve
 * parameters) is not imported (km_import says why), so libcrypto keeps
 * it in its own provider.  One generated here (pk_gen.c: RSA of another
 * size, a TLS key share on another curve) is kept in the default
 * provider's form (nodev says why the device cannot take it): it exports,
 * and key exchange with it runs in-process (pk_exch.c); signing with it
 * fails, naming the cause.
 */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/params.h>

#include "pk.h"

static const char *const pk_names[] = {
	[AOFF_PK_RSA] = "RSA",
	[AOFF_PK_EC] = "EC",
	[AOFF_PK_X25519] = "X25519",
};

const char *aoff_pkey_type_name(enum aoff_pk_type type)
{
	return pk_names[type];
}

const char *aoff_curve_name(enum aoff_pk_curve c)
{
	return c == AOFF_CURVE_P256 ? "P-256" :
	       c == AOFF_CURVE_P384 ? "P-384" : "none";
}

static void pkey_clear(struct aoff_pkey *k)
{
	BN_free(k->n);
	BN_free(k->e);
	BN_clear_free(k->d);
	BN_clear_free(k->p);
	BN_clear_free(k->q);
	BN_clear_free(k->dp);
	BN_clear_free(k->dq);
	BN_clear_free(k->qinv);
	k->n = k->e = k->d = k->p = k->q = k->dp = k->dq = k->qinv = NULL;
	OPENSSL_clear_free(k->der_priv, k->der_priv_len);
	OPENSSL_free(k->der_pub);
	k->der_priv = k->der_pub = NULL;
	k->der_priv_len = k->der_pub_len = 0;
	OPENSSL_cleanse(k->priv, sizeof(k->priv));
	memset(k->pub, 0, sizeof(k->pub));
	EVP_PKEY_free(k->pk);
	k->pk = NULL;
	/* RSA and X25519 keys have no parameters: even empty, they have all. */
	k->has = k->type == AOFF_PK_EC ? 0 : OSSL_KEYMGMT_SELECT_ALL_PARAMETERS;
	k->nbytes = 0;
	k->flen = 0;
	k->curve = AOFF_CURVE_NONE;
	k->nodev = "the key is empty";
}

struct aoff_pkey *aoff_pkey_new(enum aoff_pk_type type)
{
	struct aoff_pkey *k = OPENSSL_zalloc(sizeof(*k));

	if (!k) {
		AOFF_RAISE(AOFF_R_NO_MEMORY, "key");
		return NULL;
	}
	k->type = type;
	k->refs = 1;
	pkey_clear(k);
	return k;
}

struct aoff_pkey *aoff_pkey_ref(struct aoff_pkey *k)
{
	if (k)
		__atomic_add_fetch(&k->refs, 1, __ATOMIC_RELAXED);
	return k;
}

void aoff_pkey_free(struct aoff_pkey *k)
{
	if (!k || __atomic_sub_fetch(&k->refs, 1, __ATOMIC_ACQ_REL))
		return;
	pkey_clear(k);
	OPENSSL_free(k);
}

EVP_PKEY *aoff_pkey_fromdata(enum aoff_pk_type type, int selection,
			     OSSL_PARAM params[])
{
	OSSL_LIB_CTX *lc = aoff_sw_libctx();
	EVP_PKEY_CTX *pc;
	EVP_PKEY *pk = NULL;

	if (!lc)
		return NULL;
	pc = EVP_PKEY_CTX_new_from_name(lc, pk_names[type], NULL);
	if (!pc || EVP_PKEY_fromdata_init(pc) <= 0 ||
	    EVP_PKEY_fromdata(pc, &pk, selection, params) <= 0) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "%s key: the default provider "
			   "refused its data", pk_names[type]);
		pk = NULL;
	}
	EVP_PKEY_CTX_free(pc);
	return pk;
}

/* A BIGNUM parameter, NULL when the key has none (no error left). */
static BIGNUM *pkey_bn(EVP_PKEY *pk, const char *name)
{
	BIGNUM *bn = NULL;

	ERR_set_mark();
	if (!EVP_PKEY_get_bn_param(pk, name, &bn))
		bn = NULL;
	ERR_pop_to_mark();
	return bn;
}

/* The key as DER of OpenSSL's own encoder ("type-specific": PKCS#1). */
static int pkey_der(EVP_PKEY *pk, int selection, uint8_t **der, size_t *len)
{
	OSSL_ENCODER_CTX *ec;
	int ret;

	ec = OSSL_ENCODER_CTX_new_for_pkey(pk, selection, "DER",
					   "type-specific", NULL);
	ret = ec && OSSL_ENCODER_CTX_get_num_encoders(ec) > 0 &&
	      OSSL_ENCODER_to_data(ec, der, len) == 1;
	OSSL_ENCODER_CTX_free(ec);
	return ret;
}

static void pkey_sync_rsa(struct aoff_pkey *k)
{
	BIGNUM *extra;
	int bits;

	k->has = OSSL_KEYMGMT_SELECT_ALL_PARAMETERS;
	k->n = pkey_bn(k->pk, OSSL_PKEY_PARAM_RSA_N);
	k->e = pkey_bn(k->pk, OSSL_PKEY_PARAM_RSA_E);
	if (!k->n || !k->e) {
		k->nodev = "the RSA key has no modulus";
		return;
	}
	k->has |= OSSL_KEYMGMT_SELECT_PUBLIC_KEY;
	k->d = pkey_bn(k->pk, OSSL_PKEY_PARAM_RSA_D);
	if (k->d)
		k->has |= OSSL_KEYMGMT_SELECT_PRIVATE_KEY;
	k->p = pkey_bn(k->pk, OSSL_PKEY_PARAM_RSA_FACTOR1);
	k->q = pkey_bn(k->pk, OSSL_PKEY_PARAM_RSA_FACTOR2);
	k->dp = pkey_bn(k->pk, OSSL_PKEY_PARAM_RSA_EXPONENT1);
	k->dq = pkey_bn(k->pk, OSSL_PKEY_PARAM_RSA_EXPONENT2);
	k->qinv = pkey_bn(k->pk, OSSL_PKEY_PARAM_RSA_COEFFICIENT1);
	extra = pkey_bn(k->pk, OSSL_PKEY_PARAM_RSA_FACTOR3);
	bits = BN_num_bits(k->n);
	k->nbytes = (size_t)BN_num_bytes(k->n);
	if (bits != 2048 && bits != 3072 && bits != 4096)
		k->nodev = "the device takes 2048-, 3072- and 4096-bit "
			   "RSA moduli only";
	else if (extra)
		k->nodev = "the device takes two-prime RSA keys only";
	else if (k->d && (!k->p || !k->q || !k->dp || !k->dq || !k->qinv))
		k->nodev = "the device needs the RSA key's CRT parameters";
	else
		k->nodev = NULL;
	BN_clear_free(extra);
	if (k->nodev)
		return;
	if (!pkey_der(k->pk, EVP_PKEY_PUBLIC_KEY, &k->der_pub,
		      &k->der_pub_len) ||
	    (k->d && !pkey_der(k->pk, EVP_PKEY_KEYPAIR, &k->der_priv,
			       &k->der_priv_len)))
		k->nodev = "the RSA key could not be encoded for the device";
}

static enum aoff_pk_curve pkey_curve(EVP_PKEY *pk)
{
	char name[64];
	int nid;

	ERR_set_mark();
	if (!EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME,
					    name, sizeof(name), NULL)) {
		ERR_pop_to_mark();
		return AOFF_CURVE_NONE;
	}
	nid = OBJ_sn2nid(name);
	if (nid == NID_undef)
		nid = EC_curve_nist2nid(name);
	ERR_pop_to_mark();
	return nid == NID_X9_62_prime256v1 ? AOFF_CURVE_P256 :
	       nid == NID_secp384r1 ? AOFF_CURVE_P384 : AOFF_CURVE_NONE;
}

static void pkey_sync_ec(struct aoff_pkey *k)
{
	BIGNUM *x, *y, *priv;
	char name[64];

	k->has = OSSL_KEYMGMT_SELECT_OTHER_PARAMETERS;
	ERR_set_mark();
	if (EVP_PKEY_get_utf8_string_param(k->pk, OSSL_PKEY_PARAM_GROUP_NAME,
					   name, sizeof(name), NULL))
		k->has |= OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS;
	ERR_pop_to_mark();
	k->curve = pkey_curve(k->pk);
	k->flen = aoff_curve_bytes(k->curve);
	k->nodev = k->curve ? NULL : "the device has the curves P-256 "
		   "and P-384 only";
	x = pkey_bn(k->pk, OSSL_PKEY_PARAM_EC_PUB_X);
	y = pkey_bn(k->pk, OSSL_PKEY_PARAM_EC_PUB_Y);
	priv = pkey_bn(k->pk, OSSL_PKEY_PARAM_PRIV_KEY);
	if (x && y) {
		k->has |= OSSL_KEYMGMT_SELECT_PUBLIC_KEY;
		if (k->flen && (BN_bn2binpad(x, k->pub, (int)k->flen) < 0 ||
				BN_bn2binpad(y, k->pub + k->flen,
					     (int)k->flen) < 0))
			k->nodev = "the EC public key does not fit its curve";
	}
	if (priv) {
		k->has |= OSSL_KEYMGMT_SELECT_PRIVATE_KEY;
		if (k->flen && BN_bn2binpad(priv, k->priv, (int)k->flen) < 0)
			k->nodev = "the EC private key does not fit its curve";
	}
	BN_free(x);
	BN_free(y);
	BN_clear_free(priv);
}

static void pkey_sync_x25519(struct aoff_pkey *k)
{
	size_t len = 0;

	k->has = OSSL_KEYMGMT_SELECT_ALL_PARAMETERS;
	k->flen = AOFF_X25519_BYTES;
	k->nodev = NULL;
	ERR_set_mark();
	if (EVP_PKEY_get_octet_string_param(k->pk, OSSL_PKEY_PARAM_PUB_KEY,
					    k->pub, AOFF_X25519_BYTES, &len) &&
	    len == AOFF_X25519_BYTES)
		k->has |= OSSL_KEYMGMT_SELECT_PUBLIC_KEY;
	if (EVP_PKEY_get_octet_string_param(k->pk, OSSL_PKEY_PARAM_PRIV_KEY,
					    k->priv, AOFF_X25519_BYTES, &len) &&
	    len == AOFF_X25519_BYTES)
		k->has |= OSSL_KEYMGMT_SELECT_PRIVATE_KEY;
	ERR_pop_to_mark();
}

int aoff_pkey_set(struct aoff_pkey *k, EVP_PKEY *pk)
{
	pkey_clear(k);
	if (!pk)
		return 0;
	k->pk = pk;
	switch (k->type) {
	case AOFF_PK_RSA:
		pkey_sync_rsa(k);
		break;
	case AOFF_PK_EC:
		pkey_sync_ec(k);
		break;
	case AOFF_PK_X25519:
		pkey_sync_x25519(k);
		break;
	}
	return 1;
}

int aoff_pkey_dev_check(const struct aoff_pkey *k, int need_priv,
			const char *what)
{
	int need = need_priv ? OSSL_KEYMGMT_SELECT_PRIVATE_KEY :
		   OSSL_KEYMGMT_SELECT_PUBLIC_KEY;

	if (!k || !k->pk) {
		AOFF_RAISE(AOFF_R_NO_KEY, "%s: no key", what);
		return 0;
	}
	if (!(k->has & need)) {
		AOFF_RAISE(AOFF_R_NO_KEY, "%s: the %s key has no %s part",
			   what, pk_names[k->type],
			   need_priv ? "private" : "public");
		return 0;
	}
	if (k->nodev) {
		AOFF_RAISE(AOFF_R_BAD_KEY_LENGTH, "%s: %s", what, k->nodev);
		return 0;
	}
	return 1;
}

/* ----------------------------------------------------------- keymgmt */

static void *km_new(enum aoff_pk_type type)
{
	return aoff_pkey_new(type);
}

static void *rsa_km_new(void *provctx)
{
	(void)provctx;
	return km_new(AOFF_PK_RSA);
}

static void *ec_km_new(void *provctx)
{
	(void)provctx;
	return km_new(AOFF_PK_EC);
}

static void *x25519_km_new(void *provctx)
{
	(void)provctx;
	return km_new(AOFF_PK_X25519);
}

static void km_free(void *keydata)
{
	aoff_pkey_free(keydata);
}

static int km_has(const void *keydata, int selection)
{
	const struct aoff_pkey *k = keydata;

	if (!k)
		return 0;
	/* What the default provider's has() ignores, we ignore too. */
	selection &= OSSL_KEYMGMT_SELECT_ALL;
	return (k->has & selection) == selection;
}

static int km_match(const void *keydata1, const void *keydata2,
		    int selection)
{
	const struct aoff_pkey *a = keydata1, *b = keydata2;
	int ret;

	if (!a || !b || !a->pk || !b->pk || a->type != b->type)
		return 0;
	if (selection & OSSL_KEYMGMT_SELECT_KEYPAIR)
		ret = EVP_PKEY_eq(a->pk, b->pk);
	else if (selection & OSSL_KEYMGMT_SELECT_ALL_PARAMETERS)
		ret = EVP_PKEY_parameters_eq(a->pk, b->pk);
	else
		ret = 1;
	return ret == 1;
}

static int km_validate(const void *keydata, int selection, int checktype)
{
	const struct aoff_pkey *k = keydata;
	OSSL_LIB_CTX *lc = aoff_sw_libctx();
	EVP_PKEY_CTX *pc;
	int ret = 1;

	(void)checktype;
	if (!k || !k->pk || !lc)
		return 0;
	pc = EVP_PKEY_CTX_new_from_pkey(lc, k->pk, NULL);
	if (!pc)
		return 0;
	if ((selection & OSSL_KEYMGMT_SELECT_KEYPAIR) ==
	    OSSL_KEYMGMT_SELECT_KEYPAIR)
		ret = EVP_PKEY_pairwise_check(pc) == 1 &&
		      EVP_PKEY_public_check(pc) == 1;
	else if (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY)
		ret = EVP_PKEY_private_check(pc) == 1;
	else if (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY)
		ret = EVP_PKEY_public_check(pc) == 1;
	if (ret && (selection & OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS) &&
	    k->type == AOFF_PK_EC)
		ret = EVP_PKEY_param_check(pc) == 1;
	EVP_PKEY_CTX_free(pc);
	return ret;
}

static int km_import(void *keydata, int selection, const OSSL_PARAM params[])
{
	struct aoff_pkey *k = keydata;
	EVP_PKEY *pk;

	if (!k)
		return 0;
	/* EVP_PKEY_fromdata() takes a non-const array it does not change. */
	pk = aoff_pkey_fromdata(k->type, selection, (OSSL_PARAM *)params);
	if (!aoff_pkey_set(k, pk))
		return 0;
	/*
	 * A key the device cannot use is refused here, naming why: libcrypto
	 * then runs the operation in the key's own provider when the
	 * application only prefers asyncoff ("?provider=asyncoff"), and
	 * fails with this error when it demands asyncoff.
	 */
	if (k->nodev && (k->has & OSSL_KEYMGMT_SELECT_KEYPAIR)) {
		AOFF_RAISE(AOFF_R_BAD_KEY_LENGTH, "%s key: %s",
			   pk_names[k->type], k->nodev);
		pkey_clear(k);
		return 0;
	}
	return 1;
}

static int km_export(void *keydata, int selection, OSSL_CALLBACK *cb,
		     void *cbarg)
{
	struct aoff_pkey *k = keydata;

	if (!k || !k->pk)
		return 0;
	return EVP_PKEY_export(k->pk, selection, cb, cbarg);
}

static void *km_dup(const void *keydata, int selection)
{
	const struct aoff_pkey *src = keydata;
	struct aoff_pkey *k;
	OSSL_PARAM *params = NULL;
	EVP_PKEY *pk;

	if (!src)
		return NULL;
	k = aoff_pkey_new(src->type);
	if (!k || !src->pk)
		return k;
	/*
	 * RSA and X25519 keys have no parameters, and the default provider
	 * exports nothing for a parameters-only selection: the copy is an
	 * empty key (libssl's TLS 1.2 server copies the parameters of its
	 * X25519 key share into the peer's key, then sets its public key).
	 */
	if (!(selection & OSSL_KEYMGMT_SELECT_KEYPAIR) &&
	    src->type != AOFF_PK_EC)
		return k;
	if ((selection & OSSL_KEYMGMT_SELECT_KEYPAIR) ==
	    OSSL_KEYMGMT_SELECT_KEYPAIR) {
		pk = EVP_PKEY_dup(src->pk);
	} else {
		/* Parameters only, or the public key: a subset. */
		pk = NULL;
		if (EVP_PKEY_todata(src->pk, selection, &params) == 1)
			pk = aoff_pkey_fromdata(src->type, selection, params);
		OSSL_PARAM_free(params);
	}
	if (!aoff_pkey_set(k, pk)) {
		aoff_pkey_free(k);
		return NULL;
	}
	return k;
}

static int km_get_params(void *keydata, OSSL_PARAM params[])
{
	struct aoff_pkey *k = keydata;

	if (!k || !k->pk)
		return 0;
	return EVP_PKEY_get_params(k->pk, params);
}

static int km_set_params(void *keydata, const OSSL_PARAM params[])
{
	struct aoff_pkey *k = keydata;
	const OSSL_PARAM *p;
	EVP_PKEY *pk;

	if (!k)
		return 0;
	if (!params || !params[0].key)
		return 1;
	if (!k->pk) {
		/*
		 * An X25519 key made empty (a peer: EVP_PKEY_new() and
		 * copy_parameters) gets its public key here.
		 */
		OSSL_PARAM pub[2];
		const void *v;
		size_t len;

		p = OSSL_PARAM_locate_const(params,
					    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY);
		if (k->type != AOFF_PK_X25519 || !p ||
		    !OSSL_PARAM_get_octet_string_ptr(p, &v, &len))
			return 0;
		pub[0] = OSSL_PARAM_construct_octet_string(
			OSSL_PKEY_PARAM_PUB_KEY, (void *)v, len);
		pub[1] = OSSL_PARAM_construct_end();
		return aoff_pkey_set(k, aoff_pkey_fromdata(k->type,
				     OSSL_KEYMGMT_SELECT_PUBLIC_KEY, pub));
	}
	if (!EVP_PKEY_set_params(k->pk, (OSSL_PARAM *)params))
		return 0;
	/* Re-extract: the public key may have changed. */
	pk = k->pk;
	k->pk = NULL;
	return aoff_pkey_set(k, pk);
}

static const OSSL_PARAM *km_gettable(enum aoff_pk_type type)
{
	EVP_KEYMGMT *km = aoff_pk_sw_keymgmt(type);

	return km ? EVP_KEYMGMT_gettable_params(km) : NULL;
}

static const OSSL_PARAM *km_settable(enum aoff_pk_type type)
{
	EVP_KEYMGMT *km = aoff_pk_sw_keymgmt(type);

	return km ? EVP_KEYMGMT_settable_params(km) : NULL;
}

static const OSSL_PARAM rsa_key_types[] = {
	OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_N, NULL, 0),
	OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_E, NULL, 0),
	OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_D, NULL, 0),
	OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_FACTOR1, NULL, 0),
	OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_FACTOR2, NULL, 0),
	OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_EXPONENT1, NULL, 0),
	OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_EXPONENT2, NULL, 0),
	OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_COEFFICIENT1, NULL, 0),
	OSSL_PARAM_END
};

static const OSSL_PARAM ec_key_types[] = {
	OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
			       NULL, 0),
	OSSL_PARAM_int(OSSL_PKEY_PARAM_USE_COFACTOR_ECDH, NULL),
	OSSL_PARAM_int(OSSL_PKEY_PARAM_EC_INCLUDE_PUBLIC, NULL),
	OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, NULL, 0),
	OSSL_PARAM_BN(OSSL_PKEY_PARAM_PRIV_KEY, NULL, 0),
	OSSL_PARAM_END
};

static const OSSL_PARAM x25519_key_types[] = {
	OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, NULL, 0),
	OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PRIV_KEY, NULL, 0),
	OSSL_PARAM_END
};

#define KM_TYPES(pfx, list) \
static const OSSL_PARAM *pfx##_km_types(int selection) \
{ \
	(void)selection; \
	return list; \
} \
static const OSSL_PARAM *pfx##_km_gettable(void *provctx) \
{ \
	(void)provctx; \
	return km_gettable(pfx##_type); \
} \
static const OSSL_PARAM *pfx##_km_settable(void *provctx) \
{ \
	(void)provctx; \
	return km_settable(pfx##_type); \
} \
static void *pfx##_km_gen_init(void *provctx, int selection, \
			       const OSSL_PARAM params[]) \
{ \
	(void)provctx; \
	return aoff_pk_gen_init(pfx##_type, selection, params); \
} \
static const OSSL_PARAM *pfx##_km_gen_settable(void *genctx, void *provctx) \
{ \
	(void)genctx; \
	(void)provctx; \
	return aoff_pk_gen_settable_params(pfx##_type); \
}

#define rsa_type	AOFF_PK_RSA
#define ec_type		AOFF_PK_EC
#define x25519_type	AOFF_PK_X25519
KM_TYPES(rsa, rsa_key_types)
KM_TYPES(ec, ec_key_types)
KM_TYPES(x25519, x25519_key_types)

static const char *ec_km_query_name(int operation_id)
{
	switch (operation_id) {
	case OSSL_OP_KEYEXCH:
		return "ECDH";
	case OSSL_OP_SIGNATURE:
		return "ECDSA";
	}
	return NULL;
}

#define KM_FUNCS(pfx) \
	{ OSSL_FUNC_KEYMGMT_NEW, (void (*)(void))pfx##_km_new }, \
	{ OSSL_FUNC_KEYMGMT_FREE, (void (*)(void))km_free }, \
	{ OSSL_FUNC_KEYMGMT_DUP, (void (*)(void))km_dup }, \
	{ OSSL_FUNC_KEYMGMT_HAS, (void (*)(void))km_has }, \
	{ OSSL_FUNC_KEYMGMT_MATCH, (void (*)(void))km_match }, \
	{ OSSL_FUNC_KEYMGMT_VALIDATE, (void (*)(void))km_validate }, \
	{ OSSL_FUNC_KEYMGMT_IMPORT, (void (*)(void))km_import }, \
	{ OSSL_FUNC_KEYMGMT_IMPORT_TYPES, (void (*)(void))pfx##_km_types }, \
	{ OSSL_FUNC_KEYMGMT_EXPORT, (void (*)(void))km_export }, \
	{ OSSL_FUNC_KEYMGMT_EXPORT_TYPES, (void (*)(void))pfx##_km_types }, \
	{ OSSL_FUNC_KEYMGMT_GET_PARAMS, (void (*)(void))km_get_params }, \
	{ OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS, \
	  (void (*)(void))pfx##_km_gettable }, \
	{ OSSL_FUNC_KEYMGMT_SET_PARAMS, (void (*)(void))km_set_params }, \
	{ OSSL_FUNC_KEYMGMT_SETTABLE_PARAMS, \
	  (void (*)(void))pfx##_km_settable }, \
	{ OSSL_FUNC_KEYMGMT_GEN_INIT, (void (*)(void))pfx##_km_gen_init }, \
	{ OSSL_FUNC_KEYMGMT_GEN_SET_PARAMS, \
	  (void (*)(void))aoff_pk_gen_set_params }, \
	{ OSSL_FUNC_KEYMGMT_GEN_SETTABLE_PARAMS, \
	  (void (*)(void))pfx##_km_gen_settable }, \
	{ OSSL_FUNC_KEYMGMT_GEN_SET_TEMPLATE, \
	  (void (*)(void))aoff_pk_gen_set_template }, \
	{ OSSL_FUNC_KEYMGMT_GEN, (void (*)(void))aoff_pk_gen }, \
	{ OSSL_FUNC_KEYMGMT_GEN_CLEANUP, (void (*)(void))aoff_pk_gen_cleanup }

const OSSL_DISPATCH aoff_rsa_keymgmt_functions[] = {
	KM_FUNCS(rsa),
	{ 0, NULL }
};

const OSSL_DISPATCH aoff_ec_keymgmt_functions[] = {
	KM_FUNCS(ec),
	{ OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME,
	  (void (*)(void))ec_km_query_name },
	{ 0, NULL }
};

const OSSL_DISPATCH aoff_x25519_keymgmt_functions[] = {
	KM_FUNCS(x25519),
	{ 0, NULL }
};
