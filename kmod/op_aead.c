// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: AEAD, AES-GCM ("gcm(aes)") and ChaCha20-Poly1305
 * ("rfc7539(chacha20,poly1305)"), one record per request.
 *
 * gcm(aes) itself, not rfc4106(gcm(aes)): rfc4106 takes only 16- or
 * 20-byte AAD, and TLS records carry 13 (1.2) or 5 (1.3) bytes.
 *
 * The engine works in its own memory, as a device that DMAs a record in,
 * transforms it and DMAs the result out: the AAD and the input are copied
 * into the engine's buffer (AAD || text || tag, the layout the kernel's
 * AEAD API wants), the transform runs in place there, and the output is
 * copied to the data area only when it succeeded.  So a tag mismatch
 * writes no plaintext (the kernel's gcm decrypts before it compares), and
 * any overlap of the caller's ranges is harmless: everything is read
 * before anything is written.  The buffer is vmalloc memory, so its
 * scatterlist is built page by page.
 *
 * Only synchronous implementations are asked for (the request runs to its
 * end on the engine).  A transform the kernel cannot give at load only
 * disables its opcodes (see op_sha512.c for why).
 */
#include <crypto/aead.h>
#include <crypto/aes.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "ops.h"

/* The engine's record buffer: the longest AAD, text and tag. */
#define AOFF_AEAD_BUF		(AOFF_AEAD_AAD_MAX + AOFF_AEAD_TEXT_MAX + \
				 AOFF_AEAD_TAG_MAX)
#define AOFF_AEAD_BUF_PAGES	(DIV_ROUND_UP(AOFF_AEAD_BUF, PAGE_SIZE))
#define AOFF_CHACHA_KEY_SIZE	32

enum {
	AOFF_AE_GCM,
	AOFF_AE_CHACHAPOLY,
	AOFF_AE_NR,
};

static const char * const aoff_ae_names[AOFF_AE_NR] = {
	[AOFF_AE_GCM]		= "gcm(aes)",
	[AOFF_AE_CHACHAPOLY]	= "rfc7539(chacha20,poly1305)",
};

static const u8 aoff_ae_ops[AOFF_AE_NR][2] = {
	[AOFF_AE_GCM]		= { AOFF_OP_AES_GCM_ENCRYPT,
				    AOFF_OP_AES_GCM_DECRYPT },
	[AOFF_AE_CHACHAPOLY]	= { AOFF_OP_CHACHA20_POLY1305_ENCRYPT,
				    AOFF_OP_CHACHA20_POLY1305_DECRYPT },
};

struct aoff_aead_engine {
	struct crypto_aead *tfm[AOFF_AE_NR];
	struct aead_request *req[AOFF_AE_NR];
	u8 *buf;			/* AOFF_AEAD_BUF bytes, vmalloc */
	struct scatterlist sg[AOFF_AEAD_BUF_PAGES];
	u8 key[AES_MAX_KEY_SIZE];
	u8 nonce[AOFF_AEAD_NONCE_SIZE];
};

static bool aoff_ae_have[AOFF_AE_NR];

/* At module init: which transforms exist. */
int aoff_aead_probe(void)
{
	struct crypto_aead *tfm;
	unsigned int i;

	BUILD_BUG_ON(AOFF_CHACHA_KEY_SIZE > AES_MAX_KEY_SIZE);
	for (i = 0; i < AOFF_AE_NR; i++) {
		tfm = crypto_alloc_aead(aoff_ae_names[i], 0, CRYPTO_ALG_ASYNC);
		if (IS_ERR(tfm)) {
			if (PTR_ERR(tfm) != -ENOENT)
				return PTR_ERR(tfm);
			pr_info("no %s: its operations are not offered\n",
				aoff_ae_names[i]);
			aoff_op_disable(aoff_ae_ops[i][0]);
			aoff_op_disable(aoff_ae_ops[i][1]);
			continue;
		}
		aoff_ae_have[i] = true;
		crypto_free_aead(tfm);
	}
	return 0;
}

void aoff_aead_exit(struct aoff_engine *eng)
{
	struct aoff_aead_engine *e = eng->aead;
	unsigned int i;

	if (!e)
		return;
	for (i = 0; i < AOFF_AE_NR; i++) {
		aead_request_free(e->req[i]);
		crypto_free_aead(e->tfm[i]);
	}
	vfree(e->buf);
	kfree_sensitive(e);
	eng->aead = NULL;
}

int aoff_aead_init(struct aoff_engine *eng)
{
	struct aoff_aead_engine *e;
	struct crypto_aead *tfm;
	unsigned int i;

	if (!aoff_ae_have[AOFF_AE_GCM] && !aoff_ae_have[AOFF_AE_CHACHAPOLY])
		return 0;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	eng->aead = e;
	e->buf = vmalloc(AOFF_AEAD_BUF);
	if (!e->buf)
		goto err_nomem;
	for (i = 0; i < AOFF_AE_NR; i++) {
		if (!aoff_ae_have[i])
			continue;
		tfm = crypto_alloc_aead(aoff_ae_names[i], 0, CRYPTO_ALG_ASYNC);
		if (IS_ERR(tfm)) {
			aoff_aead_exit(eng);
			return PTR_ERR(tfm);
		}
		e->tfm[i] = tfm;
		e->req[i] = aead_request_alloc(tfm, GFP_KERNEL);
		if (!e->req[i])
			goto err_nomem;
		aead_request_set_callback(e->req[i], 0, NULL, NULL);
	}
	return 0;

err_nomem:
	aoff_aead_exit(eng);
	return -ENOMEM;
}

static bool aoff_aead_is_gcm(u8 opcode)
{
	return opcode == AOFF_OP_AES_GCM_ENCRYPT ||
	       opcode == AOFF_OP_AES_GCM_DECRYPT;
}

static bool aoff_aead_is_enc(u8 opcode)
{
	return opcode == AOFF_OP_AES_GCM_ENCRYPT ||
	       opcode == AOFF_OP_CHACHA20_POLY1305_ENCRYPT;
}

/* The tag lengths SP 800-38D (and the kernel's gcm) allow. */
static bool aoff_gcm_tag_ok(u32 len)
{
	return len == 4 || len == 8 || (len >= 12 && len <= 16);
}

int aoff_op_aead_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;
	bool gcm = aoff_aead_is_gcm(sqe->opcode);
	bool enc = aoff_aead_is_enc(sqe->opcode);
	u32 klen = sqe->aead.key_len, tlen = sqe->aead.tag_len, text, res;

	if (sqe->aead.resv || (!sqe->aead.aad_len && sqe->aead.aad_off))
		return -EINVAL;
	if (gcm ? (klen != AES_KEYSIZE_128 && klen != AES_KEYSIZE_192 &&
		   klen != AES_KEYSIZE_256) : klen != AOFF_CHACHA_KEY_SIZE)
		return -EINVAL;
	if (gcm ? !aoff_gcm_tag_ok(tlen) : tlen != AOFF_AEAD_TAG_MAX)
		return -EINVAL;
	if (!enc && sqe->in_len < tlen)
		return -EINVAL;
	text = enc ? sqe->in_len : sqe->in_len - tlen;
	if (text > AOFF_AEAD_TEXT_MAX || sqe->aead.aad_len > AOFF_AEAD_AAD_MAX)
		return -EMSGSIZE;
	/* No overflow: text is bounded above. */
	res = enc ? text + tlen : text;
	if (sqe->out_len < res)
		return -EINVAL;
	if (!aoff_range_ok(ctx, sqe->aead.key_off, klen + AOFF_AEAD_NONCE_SIZE) ||
	    !aoff_range_ok(ctx, sqe->aead.aad_off, sqe->aead.aad_len))
		return -EFAULT;
	return 0;
}

/* Scatterlist over the first @len bytes of the engine's buffer. */
static void aoff_aead_sg(struct aoff_aead_engine *e, u32 len)
{
	unsigned int n = 0, part;
	u8 *p = e->buf;

	sg_init_table(e->sg, AOFF_AEAD_BUF_PAGES);
	/* The buffer starts on a page: every piece but the last is a page. */
	do {
		part = min_t(u32, len, PAGE_SIZE);
		sg_set_page(&e->sg[n++], vmalloc_to_page(p), part, 0);
		p += part;
		len -= part;
	} while (len);
	sg_mark_end(&e->sg[n - 1]);
}

s32 aoff_op_aead_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;
	struct aoff_aead_engine *e = eng->aead;
	unsigned int i = aoff_aead_is_gcm(sqe->opcode) ? AOFF_AE_GCM :
							 AOFF_AE_CHACHAPOLY;
	bool enc = aoff_aead_is_enc(sqe->opcode);
	struct crypto_aead *tfm = e->tfm[i];
	struct aead_request *areq = e->req[i];
	u8 *data = req->ctx->region.data;
	u32 aad = sqe->aead.aad_len, tlen = sqe->aead.tag_len;
	u32 klen = sqe->aead.key_len;
	/* In the buffer: AAD || input (|| room for the tag when encrypting). */
	u32 total = aad + sqe->in_len + (enc ? tlen : 0);
	u32 res = enc ? sqe->in_len + tlen : sqe->in_len - tlen;
	int ret;

	/* Read everything first: the output may overlap any of it. */
	memcpy(e->key, data + sqe->aead.key_off, klen);
	memcpy(e->nonce, data + sqe->aead.key_off + klen, AOFF_AEAD_NONCE_SIZE);
	memcpy(e->buf, data + sqe->aead.aad_off, aad);
	memcpy(e->buf + aad, data + sqe->in_off, sqe->in_len);

	ret = crypto_aead_setkey(tfm, e->key, klen);
	if (!ret)
		ret = crypto_aead_setauthsize(tfm, tlen);
	if (ret)
		goto out;
	aoff_aead_sg(e, total);
	aead_request_set_ad(areq, aad);
	/* cryptlen: the plaintext, or the ciphertext with its tag. */
	aead_request_set_crypt(areq, e->sg, e->sg, sqe->in_len, e->nonce);
	ret = enc ? crypto_aead_encrypt(areq) : crypto_aead_decrypt(areq);
	if (ret)
		goto out;	/* -EBADMSG: nothing reaches the data area */
	memcpy(data + sqe->out_off, e->buf + aad, res);
	ret = res;
out:
	memzero_explicit(e->key, sizeof(e->key));
	memzero_explicit(e->buf, total);
	return ret;
}
