// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: key generation for the three keymgmts.
 *
 * EC (P-256, P-384) and X25519 key pairs are made on the device
 * (ECDH_KEYGEN, X25519_KEYGEN: the TLS key share, one request, pausing a
 * job like any other); the result becomes a default provider key by
 * EVP_PKEY_fromdata, so it exports and encodes as any other key.  The
 * device has no RSA key generation and no other curve: those, and
 * parameter-only generation (a TLS peer's group), are the default
 * provider's generator in the private library context, fed the same
 * parameters.
 */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "pk.h"

struct pk_gen {
	enum aoff_pk_type type;
	int selection;
	EVP_PKEY_CTX *sw;		/* the default provider's generator */
	enum aoff_pk_curve curve;	/* EC: the group, if the device's */
	char group[64];
};

void *aoff_pk_gen_init(enum aoff_pk_type type, int selection,
		       const OSSL_PARAM params[])
{
	OSSL_LIB_CTX *lc = aoff_sw_libctx();
	struct pk_gen *g;
	int ret;

	if (!lc)
		return NULL;
	g = OPENSSL_zalloc(sizeof(*g));
	if (!g)
		return NULL;
	g->type = type;
	g->selection = selection;
	g->sw = EVP_PKEY_CTX_new_from_name(lc, aoff_pkey_type_name(type),
					   NULL);
	if (g->sw) {
		if (selection & OSSL_KEYMGMT_SELECT_KEYPAIR ||
		    type == AOFF_PK_RSA)
			ret = EVP_PKEY_keygen_init(g->sw);
		else
			ret = EVP_PKEY_paramgen_init(g->sw);
		if (ret <= 0) {
			EVP_PKEY_CTX_free(g->sw);
			g->sw = NULL;
		}
	}
	if (!g->sw || !aoff_pk_gen_set_params(g, params)) {
		if (!g->sw)
			AOFF_RAISE(AOFF_R_NO_SOFTWARE, "%s key generation",
				   aoff_pkey_type_name(type));
		aoff_pk_gen_cleanup(g);
		return NULL;
	}
	return g;
}

static void gen_set_group(struct pk_gen *g, const char *name)
{
	static const struct {
		const char *name;
		enum aoff_pk_curve c;
	} names[] = {
		{ "prime256v1", AOFF_CURVE_P256 },
		{ "P-256", AOFF_CURVE_P256 },
		{ "secp256r1", AOFF_CURVE_P256 },
		{ "secp384r1", AOFF_CURVE_P384 },
		{ "P-384", AOFF_CURVE_P384 },
	};

	g->curve = AOFF_CURVE_NONE;
	OPENSSL_strlcpy(g->group, name, sizeof(g->group));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!OPENSSL_strcasecmp(name, names[i].name))
			g->curve = names[i].c;
}

int aoff_pk_gen_set_params(void *genctx, const OSSL_PARAM params[])
{
	struct pk_gen *g = genctx;
	const OSSL_PARAM *p;
	const char *name;

	if (!g)
		return 0;
	if (!params || !params[0].key)
		return 1;
	p = OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_GROUP_NAME);
	if (p && g->type == AOFF_PK_EC) {
		if (!OSSL_PARAM_get_utf8_string_ptr(p, &name)) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "EC group name");
			return 0;
		}
		gen_set_group(g, name);
	}
	/* Everything (the group too) also goes to the default's generator. */
	return EVP_PKEY_CTX_set_params(g->sw, params) > 0;
}

int aoff_pk_gen_set_template(void *genctx, void *templ)
{
	struct pk_gen *g = genctx;
	struct aoff_pkey *t = templ;
	char name[64];

	if (!g || !t || !t->pk || g->type != AOFF_PK_EC)
		return g && t && g->type != AOFF_PK_EC;
	if (!EVP_PKEY_get_utf8_string_param(t->pk, OSSL_PKEY_PARAM_GROUP_NAME,
					    name, sizeof(name), NULL)) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "EC template without a named "
			   "group");
		return 0;
	}
	gen_set_group(g, name);
	return EVP_PKEY_CTX_set_group_name(g->sw, name) > 0;
}

const OSSL_PARAM *aoff_pk_gen_settable_params(enum aoff_pk_type type)
{
	EVP_KEYMGMT *km = aoff_pk_sw_keymgmt(type);

	return km ? EVP_KEYMGMT_gen_settable_params(km) : NULL;
}

/* A key pair from the device, made a default provider key. */
static EVP_PKEY *gen_on_device(struct pk_gen *g)
{
	uint8_t priv[AOFF_EC_MAX_BYTES], pub[1 + 2 * AOFF_EC_MAX_BYTES];
	OSSL_PARAM params[4], *p = params;
	BIGNUM *bn = NULL;
	EVP_PKEY *pk = NULL;
	size_t flen;

	if (g->type == AOFF_PK_X25519) {
		if (!aoff_pk_x25519_keygen(priv, pub))
			goto out;
		*p++ = OSSL_PARAM_construct_octet_string(
			OSSL_PKEY_PARAM_PUB_KEY, pub, AOFF_X25519_BYTES);
		*p++ = OSSL_PARAM_construct_octet_string(
			OSSL_PKEY_PARAM_PRIV_KEY, priv, AOFF_X25519_BYTES);
	} else {
		/* Our BN goes into the params by reference, native order. */
		uint8_t privn[AOFF_EC_MAX_BYTES];

		flen = aoff_curve_bytes(g->curve);
		if (!aoff_pk_ec_keygen(g->curve, priv, pub + 1))
			goto out;
		pub[0] = 0x04;	/* uncompressed point (SEC 1) */
		bn = BN_bin2bn(priv, (int)flen, NULL);
		if (!bn || BN_bn2nativepad(bn, privn, (int)flen) < 0)
			goto out;
		memcpy(priv, privn, flen);
		OPENSSL_cleanse(privn, sizeof(privn));
		*p++ = OSSL_PARAM_construct_utf8_string(
			OSSL_PKEY_PARAM_GROUP_NAME, g->group, 0);
		*p++ = OSSL_PARAM_construct_octet_string(
			OSSL_PKEY_PARAM_PUB_KEY, pub, 1 + 2 * flen);
		*p++ = OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, priv,
					       flen);
	}
	*p = OSSL_PARAM_construct_end();
	pk = aoff_pkey_fromdata(g->type, OSSL_KEYMGMT_SELECT_ALL, params);
out:
	BN_clear_free(bn);
	OPENSSL_cleanse(priv, sizeof(priv));
	return pk;
}

void *aoff_pk_gen(void *genctx, OSSL_CALLBACK *cb, void *cbarg)
{
	struct pk_gen *g = genctx;
	struct aoff_pkey *k;
	EVP_PKEY *pk = NULL;
	int keypair;

	(void)cb;
	(void)cbarg;
	if (!g)
		return NULL;
	keypair = (g->selection & OSSL_KEYMGMT_SELECT_KEYPAIR) != 0;
	k = aoff_pkey_new(g->type);
	if (!k)
		return NULL;
	if (keypair && (g->type == AOFF_PK_X25519 ||
			(g->type == AOFF_PK_EC && g->curve)))
		pk = gen_on_device(g);
	else if (keypair || g->type == AOFF_PK_EC)
		/* RSA, another curve, or an EC group's parameters. */
		if (EVP_PKEY_generate(g->sw, &pk) <= 0) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "%s key generation in "
				   "the default provider failed",
				   aoff_pkey_type_name(g->type));
			pk = NULL;
		}
	if (!keypair && g->type != AOFF_PK_EC)
		/* RSA and X25519 have no parameters: an empty key. */
		return k;
	if (!aoff_pkey_set(k, pk)) {
		aoff_pkey_free(k);
		return NULL;
	}
	return k;
}

void aoff_pk_gen_cleanup(void *genctx)
{
	struct pk_gen *g = genctx;

	if (!g)
		return;
	EVP_PKEY_CTX_free(g->sw);
	OPENSSL_free(g);
}
