// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: key exchange, ECDH on P-256/P-384 and X25519.
 *
 * The shared secret is computed on the device (ECDH_DERIVE,
 * X25519_DERIVE), which validates the peer's key (off-curve, infinity,
 * small order: an error naming the peer's key).  The result is the raw
 * secret, as the default provider's with no KDF: the x-coordinate at the
 * field's width for ECDH, 32 bytes for X25519.
 *
 * A key generated here on a curve the device lacks (libssl makes the TLS
 * key share with whatever keymgmt it prefers, so a client offering only
 * P-521 reaches us) derives in-process, on the default provider's ECDH.
 */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "pk.h"

struct pk_exch {
	enum aoff_pk_type type;
	struct aoff_pkey *k, *peer;
};

static void *exch_new(enum aoff_pk_type type)
{
	struct pk_exch *x = OPENSSL_zalloc(sizeof(*x));

	if (x)
		x->type = type;
	return x;
}

static void *ecdh_newctx(void *provctx)
{
	(void)provctx;
	return exch_new(AOFF_PK_EC);
}

static void *x25519_newctx(void *provctx)
{
	(void)provctx;
	return exch_new(AOFF_PK_X25519);
}

static void exch_freectx(void *vctx)
{
	struct pk_exch *x = vctx;

	if (!x)
		return;
	aoff_pkey_free(x->k);
	aoff_pkey_free(x->peer);
	OPENSSL_free(x);
}

static void *exch_dupctx(void *vctx)
{
	struct pk_exch *x = OPENSSL_memdup(vctx, sizeof(struct pk_exch));

	if (x) {
		aoff_pkey_ref(x->k);
		aoff_pkey_ref(x->peer);
	}
	return x;
}

static int exch_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
	const OSSL_PARAM *p;
	const char *kdf;
	int mode;

	(void)vctx;
	if (!params)
		return 1;
	p = OSSL_PARAM_locate_const(params, OSSL_EXCHANGE_PARAM_KDF_TYPE);
	if (p && (!OSSL_PARAM_get_utf8_string_ptr(p, &kdf) || *kdf)) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "key exchange: no KDF on the "
			   "device (the raw secret only)");
		return 0;
	}
	/* P-256 and P-384 have cofactor 1: both modes are the same. */
	p = OSSL_PARAM_locate_const(params,
				    OSSL_EXCHANGE_PARAM_EC_ECDH_COFACTOR_MODE);
	if (p && (!OSSL_PARAM_get_int(p, &mode) || mode < -1 || mode > 1))
		return 0;
	return 1;
}

static int exch_init(void *vctx, void *key, const OSSL_PARAM params[])
{
	struct pk_exch *x = vctx;
	struct aoff_pkey *k = key;

	if (!x || !k || k->type != x->type) {
		AOFF_RAISE(AOFF_R_NO_KEY, "key exchange: no %s key",
			   aoff_pkey_type_name(x ? x->type : AOFF_PK_EC));
		return 0;
	}
	if (!k->nodev && !aoff_pkey_dev_check(k, 1, "key exchange"))
		return 0;
	aoff_pkey_free(x->k);
	x->k = aoff_pkey_ref(k);
	return exch_set_ctx_params(x, params);
}

static int exch_set_peer(void *vctx, void *peerkey)
{
	struct pk_exch *x = vctx;
	struct aoff_pkey *p = peerkey;

	if (!x || !p || p->type != x->type ||
	    (!p->nodev && !aoff_pkey_dev_check(p, 0, "key exchange peer")))
		return 0;
	if (x->k && x->type == AOFF_PK_EC && p->curve != x->k->curve) {
		AOFF_RAISE(AOFF_R_BAD_PEER_KEY, "ECDH: the peer's key is on "
			   "%s, ours on %s", aoff_curve_name(p->curve),
			   aoff_curve_name(x->k->curve));
		return 0;
	}
	aoff_pkey_free(x->peer);
	x->peer = aoff_pkey_ref(p);
	return 1;
}

/* The default provider's derivation, for keys the device cannot take. */
static int exch_derive_sw(struct pk_exch *x, unsigned char *secret,
			  size_t *secretlen, size_t outlen)
{
	OSSL_LIB_CTX *lc = aoff_sw_libctx();
	EVP_PKEY_CTX *pc = NULL;
	int ret;

	if (!x->k->pk || !x->peer->pk) {
		AOFF_RAISE(AOFF_R_NO_KEY, "key exchange: an empty key");
		return 0;
	}
	*secretlen = outlen;
	ret = lc && (pc = EVP_PKEY_CTX_new_from_pkey(lc, x->k->pk, NULL)) &&
	      EVP_PKEY_derive_init(pc) > 0 &&
	      EVP_PKEY_derive_set_peer(pc, x->peer->pk) > 0 &&
	      EVP_PKEY_derive(pc, secret, secretlen) > 0;
	EVP_PKEY_CTX_free(pc);
	return ret;
}

static int exch_derive(void *vctx, unsigned char *secret, size_t *secretlen,
		       size_t outlen)
{
	struct pk_exch *x = vctx;
	size_t len;

	if (!x || !x->k || !x->peer) {
		AOFF_RAISE(AOFF_R_NO_KEY, "key exchange: no %s",
			   x && x->k ? "peer key" : "key");
		return 0;
	}
	if (x->k->nodev || x->peer->nodev)
		return exch_derive_sw(x, secret, secretlen, outlen);
	len = x->k->flen;
	if (!secret) {
		*secretlen = len;
		return 1;
	}
	if (outlen < len) {
		AOFF_RAISE(AOFF_R_OUTPUT_TOO_SMALL, "shared secret: %zu bytes "
			   "of room for %zu", outlen, len);
		return 0;
	}
	if (x->type == AOFF_PK_EC ? !aoff_pk_ecdh(x->k, x->peer, secret) :
	    !aoff_pk_x25519(x->k, x->peer, secret))
		return 0;
	*secretlen = len;
	return 1;
}

static const OSSL_PARAM exch_settable[] = {
	OSSL_PARAM_int(OSSL_EXCHANGE_PARAM_EC_ECDH_COFACTOR_MODE, NULL),
	OSSL_PARAM_utf8_string(OSSL_EXCHANGE_PARAM_KDF_TYPE, NULL, 0),
	OSSL_PARAM_END
};

static const OSSL_PARAM *exch_settable_ctx_params(void *vctx, void *provctx)
{
	(void)vctx;
	(void)provctx;
	return exch_settable;
}

#define EXCH_FUNCS \
	{ OSSL_FUNC_KEYEXCH_INIT, (void (*)(void))exch_init }, \
	{ OSSL_FUNC_KEYEXCH_SET_PEER, (void (*)(void))exch_set_peer }, \
	{ OSSL_FUNC_KEYEXCH_DERIVE, (void (*)(void))exch_derive }, \
	{ OSSL_FUNC_KEYEXCH_FREECTX, (void (*)(void))exch_freectx }, \
	{ OSSL_FUNC_KEYEXCH_DUPCTX, (void (*)(void))exch_dupctx }, \
	{ OSSL_FUNC_KEYEXCH_SET_CTX_PARAMS, \
	  (void (*)(void))exch_set_ctx_params }, \
	{ OSSL_FUNC_KEYEXCH_SETTABLE_CTX_PARAMS, \
	  (void (*)(void))exch_settable_ctx_params }

const OSSL_DISPATCH aoff_ecdh_keyexch_functions[] = {
	{ OSSL_FUNC_KEYEXCH_NEWCTX, (void (*)(void))ecdh_newctx },
	EXCH_FUNCS,
	{ 0, NULL }
};

const OSSL_DISPATCH aoff_x25519_keyexch_functions[] = {
	{ OSSL_FUNC_KEYEXCH_NEWCTX, (void (*)(void))x25519_newctx },
	EXCH_FUNCS,
	{ 0, NULL }
};
