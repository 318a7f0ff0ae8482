// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: SHA-384 and SHA-512 (EVP_MD "SHA2-384", "SHA2-512"),
 * the TLS 1.3 *_SHA384 suites' transcript and HKDF digest.
 *
 * A message is kept here as it comes and hashed in one request at final:
 * on the device (AOFF_OP_SHA384 / _SHA512) when the offload policy's
 * digest size is reached, else in-process on the default provider's
 * digest.  A message longer than one request can carry (the data area
 * less room for the digest, and dup_max) goes on in-process from there:
 * the device's partial SHA-384/512 is not used by the provider yet.
 * TLS transcripts are a few KiB and copied often (EVP_MD_CTX_copy_ex per
 * handshake message), which a kept buffer makes trivial, where a hash
 * slot would need a replay.
 */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "prov.h"

struct aoff_sha512 {
	unsigned int dlen;		/* 48 or 64 */
	uint8_t *buf;
	size_t len, cap;
	EVP_MD_CTX *sw;			/* past one request: in-process */
	int failed;
};

static const char *sha512_name(const struct aoff_sha512 *s)
{
	return s->dlen == AOFF_SHA384_DIGEST_SIZE ? "SHA2-384" : "SHA2-512";
}

/* The longest message one request takes. */
static size_t sha512_max(void)
{
	size_t room = aoff_prov_cfg.data_bytes - 256;

	return room < aoff_prov_cfg.dup_max ? room : aoff_prov_cfg.dup_max;
}

static void *sha512_new(unsigned int dlen)
{
	struct aoff_sha512 *s = OPENSSL_zalloc(sizeof(*s));

	if (s)
		s->dlen = dlen;
	return s;
}

static void *sha384_newctx(void *provctx)
{
	(void)provctx;
	return sha512_new(AOFF_SHA384_DIGEST_SIZE);
}

static void *sha512_newctx(void *provctx)
{
	(void)provctx;
	return sha512_new(AOFF_SHA512_DIGEST_SIZE);
}

static void sha512_reset(struct aoff_sha512 *s)
{
	OPENSSL_cleanse(s->buf, s->len);
	s->len = 0;
	EVP_MD_CTX_free(s->sw);
	s->sw = NULL;
	s->failed = 0;
}

static void sha512_freectx(void *vctx)
{
	struct aoff_sha512 *s = vctx;

	if (!s)
		return;
	sha512_reset(s);
	OPENSSL_clear_free(s->buf, s->cap);
	OPENSSL_free(s);
}

static void *sha512_dupctx(void *vctx)
{
	const struct aoff_sha512 *src = vctx;
	struct aoff_sha512 *s = OPENSSL_zalloc(sizeof(*s));

	if (!s)
		return NULL;
	*s = *src;
	s->buf = NULL;
	s->sw = NULL;
	if (src->cap && !(s->buf = OPENSSL_memdup(src->buf, src->cap)))
		goto err;
	if (src->sw && (!(s->sw = EVP_MD_CTX_new()) ||
			!EVP_MD_CTX_copy_ex(s->sw, src->sw)))
		goto err;
	return s;
err:
	s->cap = 0;
	sha512_freectx(s);
	AOFF_RAISE(AOFF_R_NO_MEMORY, "SHA-512 context copy");
	return NULL;
}

static int sha512_init(void *vctx, const OSSL_PARAM params[])
{
	(void)params;
	sha512_reset(vctx);
	return 1;
}

/* From here on in-process: what was kept goes first. */
static int sha512_go_sw(struct aoff_sha512 *s)
{
	const EVP_MD *md = aoff_sw_md(sha512_name(s));

	if (!md)
		return 0;
	s->sw = EVP_MD_CTX_new();
	if (!s->sw || !EVP_DigestInit_ex(s->sw, md, NULL) ||
	    !EVP_DigestUpdate(s->sw, s->buf, s->len)) {
		AOFF_RAISE(AOFF_R_NO_SOFTWARE, "in-process %s",
			   sha512_name(s));
		return 0;
	}
	OPENSSL_cleanse(s->buf, s->len);
	s->len = 0;
	return 1;
}

static int sha512_update(void *vctx, const unsigned char *in, size_t inl)
{
	struct aoff_sha512 *s = vctx;

	if (s->failed) {
		AOFF_RAISE(AOFF_R_FAILED_STATE, "an earlier %s call on this "
			   "context failed", sha512_name(s));
		return 0;
	}
	if (!s->sw && s->len + inl > sha512_max() && !sha512_go_sw(s))
		goto fail;
	if (s->sw) {
		if (!EVP_DigestUpdate(s->sw, in, inl))
			goto fail;
		return 1;
	}
	if (s->len + inl > s->cap) {
		size_t cap = s->cap ? s->cap : 512;
		uint8_t *p;

		while (cap < s->len + inl)
			cap *= 2;
		p = OPENSSL_clear_realloc(s->buf, s->cap, cap);
		if (!p) {
			AOFF_RAISE(AOFF_R_NO_MEMORY, "%s", sha512_name(s));
			goto fail;
		}
		s->buf = p;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, in, inl);
	s->len += inl;
	return 1;
fail:
	s->failed = 1;
	return 0;
}

static int sha512_dev(struct aoff_sha512 *s, unsigned char *out)
{
	struct aoff_dev d;
	struct aoff_sqe sqe;
	uint64_t off;
	size_t got, in = (s->len + 63) & ~(size_t)63;
	int ok;

	if (!aoff_dev_get(&d) ||
	    !aoff_dev_alloc(&d, in + 64, 0, 1, &off, &got))
		return 0;
	memcpy(aoff_dev_ptr(&d, off), s->buf, s->len);
	memset(&sqe, 0, sizeof(sqe));
	aoff_prep_sha512(&sqe, 0, s->dlen == AOFF_SHA384_DIGEST_SIZE ?
			 AOFF_OP_SHA384 : AOFF_OP_SHA512, 0, off,
			 (uint32_t)s->len, off + in);
	ok = aoff_dev_run(&d, &sqe, 1, NULL, sha512_name(s), 0);
	if (ok)
		memcpy(out, aoff_dev_ptr(&d, off + in), s->dlen);
	OPENSSL_cleanse(aoff_dev_ptr(&d, off), in + 64);
	aoff_dev_free(&d, off);
	return ok;
}

static int sha512_final(void *vctx, unsigned char *out, size_t *outl,
			size_t outsz)
{
	struct aoff_sha512 *s = vctx;
	unsigned int l = 0;
	int ok;

	if (outsz < s->dlen) {
		AOFF_RAISE(AOFF_R_OUTPUT_TOO_SMALL, "%s needs %u bytes",
			   sha512_name(s), s->dlen);
		return 0;
	}
	if (s->failed) {
		AOFF_RAISE(AOFF_R_FAILED_STATE, "an earlier %s call on this "
			   "context failed", sha512_name(s));
		return 0;
	}
	if (!s->sw && aoff_policy_device(AOFF_POL_DIGEST, s->len)) {
		ok = sha512_dev(s, out);
	} else {
		ok = (s->sw || sha512_go_sw(s)) &&
		     EVP_DigestFinal_ex(s->sw, out, &l);
		if (!ok)
			AOFF_RAISE(AOFF_R_NO_SOFTWARE, "in-process %s",
				   sha512_name(s));
	}
	sha512_reset(s);
	s->failed = !ok;
	if (ok)
		*outl = s->dlen;
	return ok;
}

static const OSSL_PARAM sha512_gettable[] = {
	OSSL_PARAM_size_t(OSSL_DIGEST_PARAM_BLOCK_SIZE, NULL),
	OSSL_PARAM_size_t(OSSL_DIGEST_PARAM_SIZE, NULL),
	OSSL_PARAM_int(OSSL_DIGEST_PARAM_XOF, NULL),
	OSSL_PARAM_int(OSSL_DIGEST_PARAM_ALGID_ABSENT, NULL),
	OSSL_PARAM_END
};

static const OSSL_PARAM *sha512_gettable_params(void *provctx)
{
	(void)provctx;
	return sha512_gettable;
}

static int sha512_get_params_n(OSSL_PARAM params[], size_t dlen)
{
	OSSL_PARAM *p;

	p = OSSL_PARAM_locate(params, OSSL_DIGEST_PARAM_BLOCK_SIZE);
	if (p && !OSSL_PARAM_set_size_t(p, AOFF_SHA512_BLOCK_SIZE))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_DIGEST_PARAM_SIZE);
	if (p && !OSSL_PARAM_set_size_t(p, dlen))
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

static int sha384_get_params(OSSL_PARAM params[])
{
	return sha512_get_params_n(params, AOFF_SHA384_DIGEST_SIZE);
}

static int sha512_get_params(OSSL_PARAM params[])
{
	return sha512_get_params_n(params, AOFF_SHA512_DIGEST_SIZE);
}

#define AOFF_SHA512_TABLE(name)						\
const OSSL_DISPATCH aoff_##name##_functions[] = {			\
	{ OSSL_FUNC_DIGEST_NEWCTX, (void (*)(void))name##_newctx },	\
	{ OSSL_FUNC_DIGEST_INIT, (void (*)(void))sha512_init },	\
	{ OSSL_FUNC_DIGEST_UPDATE, (void (*)(void))sha512_update },	\
	{ OSSL_FUNC_DIGEST_FINAL, (void (*)(void))sha512_final },	\
	{ OSSL_FUNC_DIGEST_FREECTX, (void (*)(void))sha512_freectx },	\
	{ OSSL_FUNC_DIGEST_DUPCTX, (void (*)(void))sha512_dupctx },	\
	{ OSSL_FUNC_DIGEST_GET_PARAMS, (void (*)(void))name##_get_params }, \
	{ OSSL_FUNC_DIGEST_GETTABLE_PARAMS,				\
	  (void (*)(void))sha512_gettable_params },			\
	{ 0, NULL }							\
}

AOFF_SHA512_TABLE(sha384);
AOFF_SHA512_TABLE(sha512);
