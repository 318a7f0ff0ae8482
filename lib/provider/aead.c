// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: AES-128/192/256-GCM and ChaCha20-Poly1305 (EVP
 * ciphers), with everything libssl uses: TLS 1.3's per-record IV with the
 * key kept, AAD through update with a NULL output, tag get and set,
 * streaming updates, in place, copies; TLS 1.2 records (aead_tls.c).
 *
 * The device computes a whole message in one request, but EVP hands a
 * message over in pieces and expects each update's output at once (for a
 * stream-mode AEAD the output of an update is its input's length, as with
 * the default provider).  So the semantics belong to the default
 * provider's cipher, which this context keeps alongside (@sw, in the
 * private library context of sw.c) and feeds every call: init, IV, AAD,
 * parameters.  The device takes only the text, when it can have it whole:
 *
 *   - the first data update of a message goes to the device when the key
 *     and a 12-byte IV are set, the size is at least the policy's "aead"
 *     size and fits the data area, and, decrypting, the tag is already
 *     set (TLS 1.3 sets it first): the device encrypts (computing the
 *     tag, handed out after final) or decrypts and checks the tag;
 *   - a second data update (a streamed message) continues in-process: the
 *     default provider's cipher replays the first piece, whose input is
 *     kept for that, and takes the rest;
 *   - a tag the device rejects: the default provider's cipher decrypts the
 *     piece in-process, so the output and the failing final are its own;
 *   - everything else (shorter messages, other IV lengths, decryption
 *     with the tag set late, AAD after data) runs in-process from the
 *     start.
 *
 * Inside an async job the device request pauses the job (the bridge);
 * outside one it sleeps the thread.  No OpenSSL lock is held around an
 * AEAD (the DRBG uses AES-CTR and ECB), so pausing is safe.
 */
#include <errno.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "prov.h"
#include "aead.h"

#define MAX_FWD		24

static struct aoff_aead *aead_new(int kind, size_t keylen, const char *name)
{
	struct aoff_aead *c = OPENSSL_zalloc(sizeof(*c));
	const EVP_CIPHER *ci = aoff_sw_cipher(name);

	if (!c || !ci)
		goto err;
	c->kind = kind;
	c->keylen = keylen;
	c->name = name;
	c->sw = EVP_CIPHER_CTX_new();
	if (!c->sw || !EVP_CipherInit_ex2(c->sw, ci, NULL, NULL, 1, NULL))
		goto err;
	return c;
err:
	if (c)
		EVP_CIPHER_CTX_free(c->sw);
	OPENSSL_free(c);
	return NULL;
}

static void msg_drop_text(struct aoff_aead *c)
{
	OPENSSL_clear_free(c->text, c->textlen);
	c->text = NULL;
	c->textlen = 0;
}

/* A new message: the IV was just set. */
static void msg_reset(struct aoff_aead *c)
{
	msg_drop_text(c);
	OPENSSL_cleanse(c->aad, c->aadlen);
	c->aadlen = 0;
	c->phase = AOFF_AEAD_PH_AAD;
	c->dev_tag = 0;
	c->done = 0;
	c->sw_stale = 0;
}

static void aead_freectx(void *vctx)
{
	struct aoff_aead *c = vctx;

	if (!c)
		return;
	msg_drop_text(c);
	OPENSSL_clear_free(c->aad, c->aadcap);
	EVP_CIPHER_CTX_free(c->sw);
	OPENSSL_clear_free(c, sizeof(*c));
}

static void *aead_dupctx(void *vctx)
{
	const struct aoff_aead *src = vctx;
	struct aoff_aead *c = OPENSSL_malloc(sizeof(*c));

	if (!c)
		return NULL;
	*c = *src;
	c->aad = NULL;
	c->text = NULL;
	c->sw = EVP_CIPHER_CTX_new();	/* OpenSSL 3.0 has no _dup */
	if (c->sw && !EVP_CIPHER_CTX_copy(c->sw, src->sw)) {
		EVP_CIPHER_CTX_free(c->sw);
		c->sw = NULL;
	}
	if (src->aadcap)
		c->aad = OPENSSL_memdup(src->aad, src->aadcap);
	if (src->textlen)
		c->text = OPENSSL_memdup(src->text, src->textlen);
	if (!c->sw || (src->aadcap && !c->aad) ||
	    (src->textlen && !c->text)) {
		c->textlen = 0;
		c->aadcap = c->aadlen = 0;
		aead_freectx(c);
		AOFF_RAISE(AOFF_R_NO_MEMORY, "AEAD context copy");
		return NULL;
	}
	return c;
}

/* The piece the device did goes to the in-process cipher after all. */
static int go_sw(struct aoff_aead *c)
{
	uint8_t *scratch;
	int o = 0, ok = 1;

	if (c->phase == AOFF_AEAD_PH_DEV && c->textlen) {
		scratch = OPENSSL_malloc(c->textlen);
		ok = scratch && EVP_CipherUpdate(c->sw, scratch, &o, c->text,
						 (int)c->textlen);
		OPENSSL_clear_free(scratch, c->textlen);
		if (!ok)
			AOFF_RAISE(AOFF_R_NO_SOFTWARE, "%s replay", c->name);
	}
	msg_drop_text(c);
	c->phase = AOFF_AEAD_PH_SW;
	return ok;
}

static int aead_set_ctx_params(void *vctx, const OSSL_PARAM params[]);

static int aead_init(void *vctx, const unsigned char *key, size_t keylen,
		     const unsigned char *iv, size_t ivlen,
		     const OSSL_PARAM params[], int enc)
{
	struct aoff_aead *c = vctx;

	if (key && keylen != c->keylen) {
		AOFF_RAISE(AOFF_R_BAD_KEY_LENGTH, "%s needs a %zu-byte key, "
			   "got %zu bytes", c->name, c->keylen, keylen);
		return 0;
	}
	/* A message the device started must be whole in @sw first. */
	if (!iv && c->phase == AOFF_AEAD_PH_DEV && !go_sw(c))
		return 0;
	if (!EVP_CipherInit_ex2(c->sw, NULL, key, iv, enc, NULL))
		return 0;	/* the default provider said why */
	c->enc = enc;
	if (key) {
		memcpy(c->key, key, keylen);
		c->key_set = 1;
	}
	if (iv && c->kind == AOFF_AEAD_CHACHA &&
	    ivlen == AOFF_AEAD_NONCE_SIZE) {
		/* libssl sets a TLS 1.2 ChaCha20-Poly1305 fixed IV this way. */
		memcpy(c->tls_iv, iv, ivlen);
		c->tls_fixed = 1;
	}
	if (iv) {
		msg_reset(c);
		c->iv_ok = ivlen == AOFF_AEAD_NONCE_SIZE &&
			   EVP_CIPHER_CTX_get_iv_length(c->sw) ==
			   AOFF_AEAD_NONCE_SIZE;
		if (c->iv_ok)
			memcpy(c->iv, iv, AOFF_AEAD_NONCE_SIZE);
	}
	return aead_set_ctx_params(c, params);
}

static int aead_einit(void *vctx, const unsigned char *key, size_t keylen,
		      const unsigned char *iv, size_t ivlen,
		      const OSSL_PARAM params[])
{
	return aead_init(vctx, key, keylen, iv, ivlen, params, 1);
}

static int aead_dinit(void *vctx, const unsigned char *key, size_t keylen,
		      const unsigned char *iv, size_t ivlen,
		      const OSSL_PARAM params[])
{
	return aead_init(vctx, key, keylen, iv, ivlen, params, 0);
}

static int dev_ok(const struct aoff_aead *c, size_t len)
{
	return c->key_set && c->iv_ok && !c->done && len <= INT32_MAX &&
	       (c->enc || (c->tag_set &&
			   aoff_aead_dev_taglen(c->kind, c->taglen))) &&
	       aoff_policy_device(AOFF_POL_AEAD, len) &&
	       aoff_aead_dev_fits(c->aadlen, len);
}

static void msg_fill(struct aoff_aead *c, struct aoff_aead_msg *m,
		     const uint8_t *in, uint8_t *out, size_t len)
{
	memset(m, 0, sizeof(*m));
	m->kind = c->kind;
	m->enc = c->enc;
	m->key = c->key;
	m->keylen = c->keylen;
	m->nonce = c->iv;
	m->aad = c->aad;
	m->aadlen = c->aadlen;
	m->in = in;
	m->out = out;
	m->len = len;
	m->tag = c->enc ? c->dtag : c->tag;
	m->taglen = c->enc ? AOFF_AEAD_TAG_MAX : c->taglen;
}

static int sw_update(struct aoff_aead *c, unsigned char *out, size_t *outl,
		     const unsigned char *in, size_t inl)
{
	int o = 0;

	if (inl > INT32_MAX) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "%zu bytes in one update", inl);
		return 0;
	}
	if (!EVP_CipherUpdate(c->sw, out, &o, in, (int)inl))
		return 0;	/* the default provider said why */
	*outl = (size_t)o;
	return 1;
}

/* The message's whole text on the device (see the top of the file). */
static int dev_update(struct aoff_aead *c, unsigned char *out, size_t *outl,
		      const unsigned char *in, size_t inl)
{
	struct aoff_aead_msg m;
	int r;

	/* Kept for a replay, and safe from the in-place output. */
	c->text = OPENSSL_memdup(in, inl ? inl : 1);
	if (!c->text) {
		AOFF_RAISE(AOFF_R_NO_MEMORY, "%s", c->name);
		return 0;
	}
	c->textlen = inl;
	msg_fill(c, &m, c->text, out, inl);
	r = aoff_aead_dev(&m);
	if (r == 1) {
		c->phase = AOFF_AEAD_PH_DEV;
		if (!c->enc) {
			memcpy(c->vtag, c->tag, c->taglen);
			c->vtaglen = c->taglen;
		}
		*outl = inl;
		return 1;
	}
	if (r == -EBADMSG) {
		/* The default provider's output, and its failing final. */
		c->phase = AOFF_AEAD_PH_SW;
		r = sw_update(c, out, outl, c->text, inl);
		msg_drop_text(c);
		return r;
	}
	/*
	 * The request failed (the error says why): the text is lost to
	 * this message.  A later update or final must not carry on as if
	 * it had not been given (a tag over the AAD alone, say).
	 */
	c->phase = AOFF_AEAD_PH_FAILED;
	msg_drop_text(c);
	return 0;
}

static int aad_keep(struct aoff_aead *c, const unsigned char *in, size_t inl)
{
	if (c->aadlen + inl > AOFF_AEAD_AAD_MAX) {
		/* Too long for the device: the message stays in-process. */
		c->iv_ok = 0;
		return 1;
	}
	if (c->aadlen + inl > c->aadcap) {
		size_t cap = c->aadcap ? 2 * c->aadcap : 64;
		uint8_t *p;

		while (cap < c->aadlen + inl)
			cap *= 2;
		p = OPENSSL_clear_realloc(c->aad, c->aadcap, cap);
		if (!p) {
			AOFF_RAISE(AOFF_R_NO_MEMORY, "%s AAD", c->name);
			return 0;
		}
		c->aad = p;
		c->aadcap = cap;
	}
	memcpy(c->aad + c->aadlen, in, inl);
	c->aadlen += inl;
	return 1;
}

static int finished(const struct aoff_aead *c)
{
	if (c->phase == AOFF_AEAD_PH_FAILED) {
		AOFF_RAISE(AOFF_R_FAILED_STATE, "the device failed this %s "
			   "message: set a new IV for the next", c->name);
		return 1;
	}
	if (c->done && c->sw_stale) {
		AOFF_RAISE(AOFF_R_FAILED_STATE, "%s message already finished: "
			   "set a new IV", c->name);
		return 1;
	}
	return 0;
}

static int aead_update(void *vctx, unsigned char *out, size_t *outl,
		       size_t outsize, const unsigned char *in, size_t inl)
{
	struct aoff_aead *c = vctx;

	*outl = 0;
	if (c->tls_aad_len)
		return aoff_aead_tls(c, out, outl, outsize, in, inl);
	if (finished(c))
		return 0;
	if (!inl)
		return 1;
	if (!out) {
		/* AAD: kept for the device, mirrored in-process. */
		if (c->phase == AOFF_AEAD_PH_AAD && !aad_keep(c, in, inl))
			return 0;
		if (c->phase == AOFF_AEAD_PH_DEV && !go_sw(c))
			return 0;
		return sw_update(c, NULL, outl, in, inl);
	}
	if (outsize < inl) {
		AOFF_RAISE(AOFF_R_OUTPUT_TOO_SMALL, "%zu bytes for %zu",
			   outsize, inl);
		return 0;
	}
	if (c->phase == AOFF_AEAD_PH_AAD && dev_ok(c, inl))
		return dev_update(c, out, outl, in, inl);
	if (c->phase != AOFF_AEAD_PH_SW && !go_sw(c))
		return 0;
	return sw_update(c, out, outl, in, inl);
}

static int aead_final(void *vctx, unsigned char *out, size_t *outl,
		      size_t outsize)
{
	struct aoff_aead *c = vctx;
	struct aoff_aead_msg m;
	int ok = 1, o = 0, r;

	(void)outsize;
	*outl = 0;
	if (c->tls_aad_len) {
		AOFF_RAISE(AOFF_R_TLS_RECORD, "a TLS record is one update");
		return 0;
	}
	if (finished(c))
		return 0;
	switch (c->phase) {
	case AOFF_AEAD_PH_AAD:
		if (dev_ok(c, 0)) {
			/* AAD only (GMAC), when the policy sends even that. */
			msg_fill(c, &m, NULL, NULL, 0);
			r = aoff_aead_dev(&m);
			if (r == -EBADMSG)
				AOFF_RAISE(AOFF_R_BAD_DECRYPT, "%s tag does not "
					   "match", c->name);
			ok = r == 1;
			c->dev_tag = ok && c->enc;
			c->sw_stale = 1;
			break;
		}
		/* fall through */
	case AOFF_AEAD_PH_SW:
		ok = EVP_CipherFinal_ex(c->sw, out, &o);
		*outl = (size_t)o;
		break;
	case AOFF_AEAD_PH_DEV:
		c->sw_stale = 1;
		if (c->enc) {
			c->dev_tag = 1;
			break;
		}
		/* The tag may have been set again since the device checked. */
		ok = c->tag_set && c->taglen == c->vtaglen &&
		     !CRYPTO_memcmp(c->tag, c->vtag, c->taglen);
		if (!ok)
			AOFF_RAISE(AOFF_R_BAD_DECRYPT, "%s tag does not match",
				   c->name);
		break;
	}
	msg_drop_text(c);
	c->done = 1;
	c->iv_ok = 0;
	return ok;
}

static int aead_cipher(void *vctx, unsigned char *out, size_t *outl,
		       size_t outsize, const unsigned char *in, size_t inl)
{
	struct aoff_aead *c = vctx;

	int ok;

	if (c->tls_aad_len)
		ok = aoff_aead_tls(c, out, outl, outsize, in, inl);
	else if (!in)
		ok = aead_final(vctx, out, outl, outsize);
	else
		ok = aead_update(vctx, out, outl, outsize, in, inl);
	/* As the default provider's GCM: EVP_Cipher() says @inl. */
	if (ok && c->kind == AOFF_AEAD_GCM)
		*outl = inl;
	return ok;
}

/* Params for @sw: all but the ones handled here. */
static size_t fwd_split(const OSSL_PARAM *params, OSSL_PARAM *fwd,
			size_t *idx, const char *const *ours, size_t nours)
{
	size_t n = 0;

	for (size_t i = 0; params && params[i].key && n < MAX_FWD - 1; i++) {
		size_t j;

		for (j = 0; j < nours; j++)
			if (!strcmp(params[i].key, ours[j]))
				break;
		if (j < nours)
			continue;
		idx[n] = i;
		fwd[n++] = params[i];
	}
	fwd[n] = OSSL_PARAM_construct_end();
	return n;
}

static int aead_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
	static const char *const ours[] = {
		OSSL_CIPHER_PARAM_AEAD_TLS1_AAD,
		OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED,
	};
	struct aoff_aead *c = vctx;
	OSSL_PARAM fwd[MAX_FWD];
	size_t idx[MAX_FWD];
	const OSSL_PARAM *p;

	if (!params)
		return 1;
	if (fwd_split(params, fwd, idx, ours, 2) &&
	    !EVP_CIPHER_CTX_set_params(c->sw, fwd))
		return 0;	/* the default provider said why */
	p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_AEAD_TAG);
	if (p && p->data && p->data_size &&
	    p->data_size <= AOFF_AEAD_TAG_MAX) {
		memcpy(c->tag, p->data, p->data_size);
		c->taglen = p->data_size;
		c->tag_set = 1;
	}
	/* Whatever else changes the IV leaves it to the default provider. */
	if (OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_AEAD_IVLEN) ||
	    OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_IVLEN) ||
	    OSSL_PARAM_locate_const(params,
				    OSSL_CIPHER_PARAM_AEAD_TLS1_GET_IV_GEN) ||
	    OSSL_PARAM_locate_const(params,
				    OSSL_CIPHER_PARAM_AEAD_TLS1_SET_IV_INV))
		c->iv_ok = 0;
	p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_AEAD_TLS1_AAD);
	if (p && !aoff_aead_tls_aad(c, p))
		return 0;
	p = OSSL_PARAM_locate_const(params,
				    OSSL_CIPHER_PARAM_AEAD_TLS1_IV_FIXED);
	if (p && !aoff_aead_tls_iv_fixed(c, p))
		return 0;
	return 1;
}

static int aead_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
	static const char *const ours[] = {
		OSSL_CIPHER_PARAM_AEAD_TLS1_AAD_PAD,
		OSSL_CIPHER_PARAM_AEAD_TAG,
	};
	struct aoff_aead *c = vctx;
	OSSL_PARAM fwd[MAX_FWD];
	size_t idx[MAX_FWD], n;
	OSSL_PARAM *p;

	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_AEAD_TLS1_AAD_PAD);
	if (p && !OSSL_PARAM_set_size_t(p, c->tls_pad))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_AEAD_TAG);
	if (p && c->phase == AOFF_AEAD_PH_FAILED) {
		/* Not the default provider's: it would give an older tag. */
		AOFF_RAISE(AOFF_R_FAILED_STATE, "the device failed this %s "
			   "message: it has no tag", c->name);
		return 0;
	}
	if (p && c->enc && c->dev_tag) {
		/* The device's tag, or its leading bytes. */
		if (p->data_type != OSSL_PARAM_OCTET_STRING || !p->data ||
		    !p->data_size || p->data_size > AOFF_AEAD_TAG_MAX) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "%s tag of %zu bytes",
				   c->name, p->data_size);
			return 0;
		}
		memcpy(p->data, c->dtag, p->data_size);
		p->return_size = p->data_size;
		p = NULL;
	}
	n = fwd_split(params, fwd, idx, ours, p ? 1 : 2);
	if (!n)
		return 1;
	if (!EVP_CIPHER_CTX_get_params(c->sw, fwd))
		return 0;
	for (size_t i = 0; i < n; i++)
		params[idx[i]].return_size = fwd[i].return_size;
	return 1;
}

/*
 * One dispatch table per algorithm; the algorithm's and the context's
 * parameter lists are the default provider's, as are the answers.
 */
#define AOFF_AEAD(name, kind, keylen, swname)				\
static void *name##_newctx(void *provctx)				\
{									\
	(void)provctx;							\
	return aead_new(kind, keylen, swname);				\
}									\
static int name##_get_params(OSSL_PARAM params[])			\
{									\
	const EVP_CIPHER *ci = aoff_sw_cipher(swname);			\
									\
	return ci && EVP_CIPHER_get_params((EVP_CIPHER *)ci, params);	\
}									\
static const OSSL_PARAM *name##_gettable_ctx(void *cctx, void *provctx) \
{									\
	const EVP_CIPHER *ci = aoff_sw_cipher(swname);			\
									\
	(void)cctx;							\
	(void)provctx;							\
	return ci ? EVP_CIPHER_gettable_ctx_params(ci) : NULL;		\
}									\
static const OSSL_PARAM *name##_settable_ctx(void *cctx, void *provctx) \
{									\
	const EVP_CIPHER *ci = aoff_sw_cipher(swname);			\
									\
	(void)cctx;							\
	(void)provctx;							\
	return ci ? EVP_CIPHER_settable_ctx_params(ci) : NULL;		\
}									\
const OSSL_DISPATCH aoff_##name##_functions[] = {			\
	{ OSSL_FUNC_CIPHER_NEWCTX, (void (*)(void))name##_newctx },	\
	{ OSSL_FUNC_CIPHER_FREECTX, (void (*)(void))aead_freectx },	\
	{ OSSL_FUNC_CIPHER_DUPCTX, (void (*)(void))aead_dupctx },	\
	{ OSSL_FUNC_CIPHER_ENCRYPT_INIT, (void (*)(void))aead_einit },	\
	{ OSSL_FUNC_CIPHER_DECRYPT_INIT, (void (*)(void))aead_dinit },	\
	{ OSSL_FUNC_CIPHER_UPDATE, (void (*)(void))aead_update },	\
	{ OSSL_FUNC_CIPHER_FINAL, (void (*)(void))aead_final },	\
	{ OSSL_FUNC_CIPHER_CIPHER, (void (*)(void))aead_cipher },	\
	{ OSSL_FUNC_CIPHER_GET_PARAMS,					\
	  (void (*)(void))name##_get_params },				\
	{ OSSL_FUNC_CIPHER_GETTABLE_PARAMS,				\
	  (void (*)(void))aoff_cipher_gettable_params },			\
	{ OSSL_FUNC_CIPHER_GET_CTX_PARAMS,				\
	  (void (*)(void))aead_get_ctx_params },			\
	{ OSSL_FUNC_CIPHER_SET_CTX_PARAMS,				\
	  (void (*)(void))aead_set_ctx_params },			\
	{ OSSL_FUNC_CIPHER_GETTABLE_CTX_PARAMS,				\
	  (void (*)(void))name##_gettable_ctx },			\
	{ OSSL_FUNC_CIPHER_SETTABLE_CTX_PARAMS,				\
	  (void (*)(void))name##_settable_ctx },			\
	{ 0, NULL }							\
}

AOFF_AEAD(aes128gcm, AOFF_AEAD_GCM, 16, "AES-128-GCM");
AOFF_AEAD(aes192gcm, AOFF_AEAD_GCM, 24, "AES-192-GCM");
AOFF_AEAD(aes256gcm, AOFF_AEAD_GCM, 32, "AES-256-GCM");
AOFF_AEAD(chacha20poly1305, AOFF_AEAD_CHACHA, 32, "ChaCha20-Poly1305");
