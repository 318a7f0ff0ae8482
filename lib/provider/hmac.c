// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: HMAC (EVP_MAC "HMAC").  With SHA-256, SHA-384 or
 * SHA-512, the device's digests, it runs on the device under the offload
 * policy's "digest" class (streaming, copies, keys, the policy: hstream.c).
 *
 * Any other digest (SHA-1, SHA-224, SHA-512/256, SHA-3, ...) is handed to
 * the default provider's HMAC in a private library context: an
 * application that prefers asyncoff everywhere ("?provider=asyncoff")
 * fetches this HMAC for those too and must not fail for them.
 */
#include <pthread.h>
#include <strings.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>

#include "prov.h"

struct aoff_hmac {
	struct aoff_hs hs;
	int keyed;
	EVP_MAC_CTX *sw;	/* another digest: the default provider's */
};

static pthread_mutex_t sw_lock = PTHREAD_MUTEX_INITIALIZER;
static EVP_MAC *sw_hmac;

static EVP_MAC_CTX *sw_new(void)
{
	EVP_MAC_CTX *c = NULL;

	pthread_mutex_lock(&sw_lock);
	if (!sw_hmac) {
		OSSL_LIB_CTX *lc = aoff_sw_libctx();

		if (lc)
			sw_hmac = EVP_MAC_fetch(lc, "HMAC", NULL);
	}
	if (sw_hmac)
		c = EVP_MAC_CTX_new(sw_hmac);
	pthread_mutex_unlock(&sw_lock);
	return c;
}

/* Before aoff_sw_cleanup(), which frees the library context. */
void aoff_hmac_cleanup(void)
{
	pthread_mutex_lock(&sw_lock);
	EVP_MAC_free(sw_hmac);
	sw_hmac = NULL;
	pthread_mutex_unlock(&sw_lock);
}

static void *hmac_newctx(void *provctx)
{
	struct aoff_hmac *h = OPENSSL_zalloc(sizeof(*h));

	(void)provctx;
	if (h) {
		aoff_hs_init(&h->hs, NULL);	/* SHA-256 until told */
		h->hs.hmac = 1;
	}
	return h;
}

static void hmac_freectx(void *vctx)
{
	struct aoff_hmac *h = vctx;

	if (!h)
		return;
	aoff_hs_release(&h->hs);
	EVP_MAC_CTX_free(h->sw);
	OPENSSL_clear_free(h, sizeof(*h));
}

static void *hmac_dupctx(void *vctx)
{
	const struct aoff_hmac *src = vctx;
	struct aoff_hmac *dst = OPENSSL_zalloc(sizeof(*dst));

	if (!dst)
		return NULL;
	if (src->sw) {
		aoff_hs_init(&dst->hs, NULL);
		dst->sw = EVP_MAC_CTX_dup(src->sw);
		if (!dst->sw) {
			OPENSSL_clear_free(dst, sizeof(*dst));
			return NULL;
		}
	} else if (!aoff_hs_dup(&dst->hs, &src->hs)) {
		OPENSSL_clear_free(dst, sizeof(*dst));
		return NULL;
	}
	dst->keyed = src->keyed;
	return dst;
}

/* The device's digest of that name (the default provider's names), or NULL. */
static const struct aoff_hs_alg *hmac_alg(const char *name)
{
	static const struct {
		const char *name;
		const struct aoff_hs_alg *alg;
	} names[] = {
		{ "SHA256", &aoff_hs_sha256 },
		{ "SHA2-256", &aoff_hs_sha256 },
		{ "SHA-256", &aoff_hs_sha256 },
		{ "2.16.840.1.101.3.4.2.1", &aoff_hs_sha256 },
		{ "SHA384", &aoff_hs_sha384 },
		{ "SHA2-384", &aoff_hs_sha384 },
		{ "SHA-384", &aoff_hs_sha384 },
		{ "2.16.840.1.101.3.4.2.2", &aoff_hs_sha384 },
		{ "SHA512", &aoff_hs_sha512 },
		{ "SHA2-512", &aoff_hs_sha512 },
		{ "SHA-512", &aoff_hs_sha512 },
		{ "2.16.840.1.101.3.4.2.3", &aoff_hs_sha512 },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(name, names[i].name))
			return names[i].alg;
	return NULL;
}

static int hmac_set_key(struct aoff_hmac *h, const unsigned char *key,
			size_t keylen)
{
	if (!aoff_hs_init_hmac(&h->hs, h->hs.alg, key, keylen)) {
		h->keyed = 0;
		return 0;
	}
	h->keyed = 1;
	return 1;
}

static int hmac_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
	struct aoff_hmac *h = vctx;
	const OSSL_PARAM *p;

	if (!params)
		return 1;
	p = OSSL_PARAM_locate_const(params, OSSL_MAC_PARAM_DIGEST);
	if (p) {
		const char *name = NULL;

		if (!OSSL_PARAM_get_utf8_string_ptr(p, &name)) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "HMAC digest name");
			return 0;
		}
		const struct aoff_hs_alg *alg = hmac_alg(name);

		if (alg) {
			int was_sw = h->sw != NULL;

			EVP_MAC_CTX_free(h->sw);
			h->sw = NULL;
			if (was_sw || alg != aoff_hs_alg_of(&h->hs)) {
				/*
				 * K0 depends on the digest: as OpenSSL's HMAC,
				 * another digest needs the key again.
				 */
				aoff_hs_release(&h->hs);
				aoff_hs_init(&h->hs, alg);
				h->hs.hmac = 1;
				h->keyed = 0;
			}
		} else {
			if (!h->sw)
				h->sw = sw_new();
			if (!h->sw) {
				AOFF_RAISE(AOFF_R_UNSUPPORTED_DIGEST,
					   "HMAC with %s: the device has "
					   "SHA-256/384/512 only and the "
					   "default provider is not available",
					   name);
				return 0;
			}
		}
	}
	if (h->sw) {
		/* Everything else is the default provider's business. */
		if (!EVP_MAC_CTX_set_params(h->sw, params))
			return 0;
		if (OSSL_PARAM_locate_const(params, OSSL_MAC_PARAM_KEY))
			h->keyed = 1;
		return 1;
	}
	p = OSSL_PARAM_locate_const(params, OSSL_MAC_PARAM_KEY);
	if (p) {
		const void *key = NULL;
		size_t keylen = 0;

		if (!OSSL_PARAM_get_octet_string_ptr(p, &key, &keylen)) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "HMAC key");
			return 0;
		}
		if (!hmac_set_key(h, key, keylen))
			return 0;
	}
	/*
	 * "properties" (which digest implementation) means nothing here: the
	 * device hashes.  "tls-data-size" asks the default provider for a
	 * constant-time MAC over a CBC record whose length is secret; the
	 * MAC of what we are given is the same value, computed by the
	 * device in time that depends on the length (Documentation/
	 * provider.md, "TLS").
	 */
	return 1;
}

static int hmac_init(void *vctx, const unsigned char *key, size_t keylen,
		     const OSSL_PARAM params[])
{
	struct aoff_hmac *h = vctx;

	if (!hmac_set_ctx_params(h, params))
		return 0;
	if (h->sw) {
		if (!EVP_MAC_init(h->sw, key, keylen, NULL))
			return 0;
		h->keyed |= key != NULL;
		return 1;
	}
	if (key)
		return hmac_set_key(h, key, keylen);
	if (!h->keyed) {
		AOFF_RAISE(AOFF_R_NO_KEY, "HMAC needs a key");
		return 0;
	}
	aoff_hs_reset(&h->hs);
	return 1;
}

static int hmac_update(void *vctx, const unsigned char *in, size_t inl)
{
	struct aoff_hmac *h = vctx;

	if (h->sw)
		return EVP_MAC_update(h->sw, in, inl);
	if (!h->keyed) {
		AOFF_RAISE(AOFF_R_NO_KEY, "HMAC needs a key");
		return 0;
	}
	return aoff_hs_update(&h->hs, in, inl);
}

static int hmac_final(void *vctx, unsigned char *out, size_t *outl,
		      size_t outsize)
{
	struct aoff_hmac *h = vctx;

	if (h->sw)
		return EVP_MAC_final(h->sw, out, outl, outsize);
	if (!h->keyed) {
		AOFF_RAISE(AOFF_R_NO_KEY, "HMAC needs a key");
		return 0;
	}
	if (!out) {
		*outl = aoff_hs_alg_of(&h->hs)->dlen;
		return 1;
	}
	if (outsize < aoff_hs_alg_of(&h->hs)->dlen) {
		AOFF_RAISE(AOFF_R_OUTPUT_TOO_SMALL, "HMAC-%s needs %zu bytes",
			   aoff_hs_alg_of(&h->hs)->name,
			   aoff_hs_alg_of(&h->hs)->dlen);
		return 0;
	}
	if (!aoff_hs_final(&h->hs, out))
		return 0;
	*outl = aoff_hs_alg_of(&h->hs)->dlen;
	return 1;
}

static const OSSL_PARAM hmac_gettable_ctx[] = {
	OSSL_PARAM_size_t(OSSL_MAC_PARAM_SIZE, NULL),
	OSSL_PARAM_size_t(OSSL_MAC_PARAM_BLOCK_SIZE, NULL),
	OSSL_PARAM_END
};

static const OSSL_PARAM *hmac_gettable_ctx_params(void *ctx, void *provctx)
{
	(void)ctx;
	(void)provctx;
	return hmac_gettable_ctx;
}

static int hmac_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
	struct aoff_hmac *h = vctx;
	OSSL_PARAM *p;

	if (h->sw)
		return EVP_MAC_CTX_get_params(h->sw, params);
	p = OSSL_PARAM_locate(params, OSSL_MAC_PARAM_SIZE);
	if (p && !OSSL_PARAM_set_size_t(p, aoff_hs_alg_of(&h->hs)->dlen))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_MAC_PARAM_BLOCK_SIZE);
	if (p && !OSSL_PARAM_set_size_t(p, aoff_hs_alg_of(&h->hs)->blk))
		return 0;
	return 1;
}

static const OSSL_PARAM hmac_settable_ctx[] = {
	OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_DIGEST, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_PROPERTIES, NULL, 0),
	OSSL_PARAM_octet_string(OSSL_MAC_PARAM_KEY, NULL, 0),
	OSSL_PARAM_size_t(OSSL_MAC_PARAM_TLS_DATA_SIZE, NULL),
	OSSL_PARAM_END
};

static const OSSL_PARAM *hmac_settable_ctx_params(void *ctx, void *provctx)
{
	(void)ctx;
	(void)provctx;
	return hmac_settable_ctx;
}

const OSSL_DISPATCH aoff_hmac_functions[] = {
	{ OSSL_FUNC_MAC_NEWCTX, (void (*)(void))hmac_newctx },
	{ OSSL_FUNC_MAC_DUPCTX, (void (*)(void))hmac_dupctx },
	{ OSSL_FUNC_MAC_FREECTX, (void (*)(void))hmac_freectx },
	{ OSSL_FUNC_MAC_INIT, (void (*)(void))hmac_init },
	{ OSSL_FUNC_MAC_UPDATE, (void (*)(void))hmac_update },
	{ OSSL_FUNC_MAC_FINAL, (void (*)(void))hmac_final },
	{ OSSL_FUNC_MAC_GETTABLE_CTX_PARAMS,
	  (void (*)(void))hmac_gettable_ctx_params },
	{ OSSL_FUNC_MAC_GET_CTX_PARAMS, (void (*)(void))hmac_get_ctx_params },
	{ OSSL_FUNC_MAC_SETTABLE_CTX_PARAMS,
	  (void (*)(void))hmac_settable_ctx_params },
	{ OSSL_FUNC_MAC_SET_CTX_PARAMS, (void (*)(void))hmac_set_ctx_params },
	{ 0, NULL }
};
