// SPDX-License-Identifier: Apache-2.0
/* asyncoff provider: the SHA-256 digest (EVP_MD "SHA2-256"). */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "prov.h"

static void *sha256_newctx(void *provctx)
{
	struct aoff_hs *hs = OPENSSL_zalloc(sizeof(*hs));

	(void)provctx;
	if (hs)
		aoff_hs_init(hs, NULL);
	return hs;
}

static void sha256_freectx(void *vctx)
{
	struct aoff_hs *hs = vctx;

	if (!hs)
		return;
	aoff_hs_release(hs);
	OPENSSL_clear_free(hs, sizeof(*hs));
}

static void *sha256_dupctx(void *vctx)
{
	struct aoff_hs *dst = OPENSSL_zalloc(sizeof(*dst));

	if (!dst)
		return NULL;
	if (!aoff_hs_dup(dst, vctx)) {
		OPENSSL_free(dst);
		return NULL;
	}
	return dst;
}

static int sha256_init(void *vctx, const OSSL_PARAM params[])
{
	(void)params;
	aoff_hs_reset(vctx);
	return 1;
}

static int sha256_update(void *vctx, const unsigned char *in, size_t inl)
{
	return aoff_hs_update(vctx, in, inl);
}

static int sha256_final(void *vctx, unsigned char *out, size_t *outl,
			size_t outsz)
{
	if (outsz < AOFF_SHA256_DIGEST_SIZE) {
		AOFF_RAISE(AOFF_R_OUTPUT_TOO_SMALL, "SHA-256 needs 32 bytes");
		return 0;
	}
	if (!aoff_hs_final(vctx, out))
		return 0;
	*outl = AOFF_SHA256_DIGEST_SIZE;
	return 1;
}

static const OSSL_PARAM sha256_gettable[] = {
	OSSL_PARAM_size_t(OSSL_DIGEST_PARAM_BLOCK_SIZE, NULL),
	OSSL_PARAM_size_t(OSSL_DIGEST_PARAM_SIZE, NULL),
	OSSL_PARAM_int(OSSL_DIGEST_PARAM_XOF, NULL),
	OSSL_PARAM_int(OSSL_DIGEST_PARAM_ALGID_ABSENT, NULL),
	OSSL_PARAM_END
};

static const OSSL_PARAM *sha256_gettable_params(void *provctx)
{
	(void)provctx;
	return sha256_gettable;
}

static int sha256_get_params(OSSL_PARAM params[])
{
	OSSL_PARAM *p;

	p = OSSL_PARAM_locate(params, OSSL_DIGEST_PARAM_BLOCK_SIZE);
	if (p && !OSSL_PARAM_set_size_t(p, AOFF_SHA256_BLOCK_SIZE))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_DIGEST_PARAM_SIZE);
	if (p && !OSSL_PARAM_set_size_t(p, AOFF_SHA256_DIGEST_SIZE))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_DIGEST_PARAM_XOF);
	if (p && !OSSL_PARAM_set_int(p, 0))
		return 0;
	/* As the default provider: SHA-2 AlgorithmIdentifiers omit params. */
	p = OSSL_PARAM_locate(params, OSSL_DIGEST_PARAM_ALGID_ABSENT);
	if (p && !OSSL_PARAM_set_int(p, 1))
		return 0;
	return 1;
}

const OSSL_DISPATCH aoff_sha256_functions[] = {
	{ OSSL_FUNC_DIGEST_NEWCTX, (void (*)(void))sha256_newctx },
	{ OSSL_FUNC_DIGEST_INIT, (void (*)(void))sha256_init },
	{ OSSL_FUNC_DIGEST_UPDATE, (void (*)(void))sha256_update },
	{ OSSL_FUNC_DIGEST_FINAL, (void (*)(void))sha256_final },
	{ OSSL_FUNC_DIGEST_FREECTX, (void (*)(void))sha256_freectx },
	{ OSSL_FUNC_DIGEST_DUPCTX, (void (*)(void))sha256_dupctx },
	{ OSSL_FUNC_DIGEST_GET_PARAMS, (void (*)(void))sha256_get_params },
	{ OSSL_FUNC_DIGEST_GETTABLE_PARAMS,
	  (void (*)(void))sha256_gettable_params },
	{ 0, NULL }
};
