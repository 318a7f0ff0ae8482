// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: one AEAD message (AES-GCM or ChaCha20-Poly1305) on
 * the device, or in-process on the default provider's cipher when the
 * device does not take it.  The device computes a message in one request
 * (the kernel's gcm(aes) / rfc7539(chacha20,poly1305) have no streaming
 * interface), so the whole text must be known: aead.c decides when it is.
 *
 * Data area: [key][nonce] in the first 64 bytes, the AAD, then the text
 * and the tag, processed in place.  The device writes nothing when a tag
 * does not match.
 */
#include <errno.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "prov.h"

#define RND64(x)	(((x) + 63) & ~(size_t)63)

int aoff_aead_dev_fits(size_t aadlen, size_t len)
{
	/* The allocator rounds to 64 bytes, and keeps one block's slack. */
	return aadlen <= AOFF_AEAD_AAD_MAX && len <= AOFF_AEAD_TEXT_MAX &&
	       64 + RND64(aadlen) + RND64(len + AOFF_AEAD_TAG_MAX) + 64 <=
	       aoff_prov_cfg.data_bytes;
}

int aoff_aead_dev_taglen(int kind, size_t taglen)
{
	if (kind == AOFF_AEAD_CHACHA)
		return taglen == 16;
	return (taglen >= 12 && taglen <= 16) || taglen == 8 || taglen == 4;
}

int aoff_aead_dev(const struct aoff_aead_msg *m)
{
	struct aoff_dev d;
	struct aoff_sqe sqe;
	uint64_t off, aad_off, txt_off;
	size_t got, fixed = 64 + RND64(m->aadlen) + m->len + m->taglen;
	uint8_t *base;
	int32_t res = 0;
	int ok;

	if (!aoff_dev_get(&d))
		return 0;
	if (!aoff_dev_alloc(&d, fixed, 0, 1, &off, &got))
		return 0;
	base = aoff_dev_ptr(&d, off);
	aad_off = off + 64;
	txt_off = aad_off + RND64(m->aadlen);
	memcpy(base, m->key, m->keylen);
	memcpy(base + m->keylen, m->nonce, AOFF_AEAD_NONCE_SIZE);
	if (m->aadlen)
		memcpy(base + 64, m->aad, m->aadlen);
	memcpy(base + (txt_off - off), m->in, m->len);
	if (!m->enc)
		memcpy(base + (txt_off - off) + m->len, m->tag, m->taglen);
	memset(&sqe, 0, sizeof(sqe));
	if (m->kind == AOFF_AEAD_GCM)
		aoff_prep_aes_gcm(&sqe, 0, m->enc, off, (uint32_t)m->keylen,
				  aad_off, (uint32_t)m->aadlen, txt_off,
				  (uint32_t)m->len, txt_off,
				  (uint32_t)m->taglen);
	else
		aoff_prep_chacha20_poly1305(&sqe, 0, m->enc, off, aad_off,
					    (uint32_t)m->aadlen, txt_off,
					    (uint32_t)m->len, txt_off);
	ok = aoff_dev_run(&d, &sqe, 1, &res, m->kind == AOFF_AEAD_GCM ?
			  "AES-GCM" : "ChaCha20-Poly1305",
			  m->enc ? 0 : EBADMSG);
	if (ok) {
		memcpy(m->out, base + (txt_off - off), m->len);
		if (m->enc)
			memcpy(m->tag, base + (txt_off - off) + m->len,
			       m->taglen);
	} else if (res == -EBADMSG) {
		ok = -EBADMSG;
	}
	OPENSSL_cleanse(base, fixed);
	aoff_dev_free(&d, off);
	return ok;
}

/* The same message on the default provider's cipher, keyed afresh in @sw. */
int aoff_aead_sw(EVP_CIPHER_CTX *sw, const struct aoff_aead_msg *m)
{
	OSSL_PARAM p[2];
	int outl = 0, fl = 0;
	size_t taglen = m->taglen;

	/* Keyed again: the context may hold another message's state. */
	if (!EVP_CipherInit_ex2(sw, NULL, m->key, m->nonce, m->enc, NULL))
		goto err;
	if (!m->enc) {
		p[0] = OSSL_PARAM_construct_octet_string(
			"tag", (void *)m->tag, taglen);
		p[1] = OSSL_PARAM_construct_end();
		if (!EVP_CIPHER_CTX_set_params(sw, p))
			goto err;
	}
	if ((m->aadlen && !EVP_CipherUpdate(sw, NULL, &outl, m->aad,
					    (int)m->aadlen)) ||
	    !EVP_CipherUpdate(sw, m->out, &outl, m->in, (int)m->len))
		goto err;
	if (!EVP_CipherFinal_ex(sw, m->out + outl, &fl)) {
		/* A tag mismatch: the caller says so. */
		return -EBADMSG;
	}
	if (m->enc) {
		p[0] = OSSL_PARAM_construct_octet_string("tag", m->tag,
							 taglen);
		p[1] = OSSL_PARAM_construct_end();
		if (!EVP_CIPHER_CTX_get_params(sw, p))
			goto err;
	}
	return 1;
err:
	AOFF_RAISE(AOFF_R_NO_SOFTWARE, "in-process %s",
		   m->kind == AOFF_AEAD_GCM ? "AES-GCM" : "ChaCha20-Poly1305");
	return 0;
}
