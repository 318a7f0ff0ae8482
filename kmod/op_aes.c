// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: AES-128/192/256 in CBC and CTR mode.
 *
 * The data area is vmalloc memory, so the scatterlists are built page by
 * page (vmalloc_to_page) for each chunk of at most AOFF_CHUNK bytes; the
 * chunks are chained through the IV, which the skcipher API leaves holding
 * the chaining value (the last ciphertext block for CBC, the next counter
 * block for CTR).  Only synchronous implementations are asked for, so a
 * request runs to its end on the engine.
 *
 * The "ctr" template is a module on Debian's 6.1 (MODULE_SOFTDEP names it
 * for modprobe, and the kernel's request_module() loads it otherwise).  A
 * kernel without it does not offer the CTR opcodes (aoff_aes_probe()), as
 * the AEAD and SHA-512 ops do for their transforms: no second CTR here.
 */
#include <crypto/aes.h>
#include <crypto/skcipher.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>

#include "ops.h"

static struct crypto_skcipher *aoff_skcipher_alloc(const char *name,
						   struct skcipher_request **req)
{
	struct crypto_skcipher *tfm;

	tfm = crypto_alloc_skcipher(name, 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(tfm))
		return tfm;
	*req = skcipher_request_alloc(tfm, GFP_KERNEL);
	if (!*req) {
		crypto_free_skcipher(tfm);
		return ERR_PTR(-ENOMEM);
	}
	skcipher_request_set_callback(*req, 0, NULL, NULL);
	return tfm;
}

/* Whether the kernel has ctr(aes); set once at load by aoff_aes_probe(). */
static bool aoff_ctr_have;

/* At module load: without ctr(aes) the CTR opcodes are not offered. */
int aoff_aes_probe(void)
{
	struct crypto_skcipher *tfm;

	tfm = crypto_alloc_skcipher("ctr(aes)", 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(tfm)) {
		pr_info("no ctr(aes) (%ld): its operations are not offered\n",
			PTR_ERR(tfm));
		aoff_op_disable(AOFF_OP_AES_CTR_ENCRYPT);
		aoff_op_disable(AOFF_OP_AES_CTR_DECRYPT);
		return 0;
	}
	crypto_free_skcipher(tfm);
	aoff_ctr_have = true;
	return 0;
}

int aoff_aes_init(struct aoff_engine *eng)
{
	struct crypto_skcipher *tfm;

	tfm = aoff_skcipher_alloc("cbc(aes)", &eng->cbc_req);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	eng->cbc = tfm;
	if (!aoff_ctr_have)
		return 0;
	tfm = aoff_skcipher_alloc("ctr(aes)", &eng->ctr_req);
	if (IS_ERR(tfm)) {
		aoff_aes_exit(eng);
		return PTR_ERR(tfm);
	}
	eng->ctr = tfm;
	return 0;
}

void aoff_aes_exit(struct aoff_engine *eng)
{
	skcipher_request_free(eng->ctr_req);
	crypto_free_skcipher(eng->ctr);
	skcipher_request_free(eng->cbc_req);
	crypto_free_skcipher(eng->cbc);
	eng->ctr_req = NULL;
	eng->ctr = NULL;
	eng->cbc_req = NULL;
	eng->cbc = NULL;
}

static int aoff_aes_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;
	u32 klen = sqe->cipher.key_len;

	if (klen != AES_KEYSIZE_128 && klen != AES_KEYSIZE_192 &&
	    klen != AES_KEYSIZE_256)
		return -EINVAL;
	if (sqe->cipher.resv || sqe->out_len < sqe->in_len)
		return -EINVAL;
	if (!aoff_range_ok(ctx, sqe->cipher.key_off, klen) ||
	    !aoff_range_ok(ctx, sqe->cipher.iv_off, AES_BLOCK_SIZE))
		return -EFAULT;
	/* In place, or apart: a partial overlap has no defined result. */
	if (sqe->in_off != sqe->out_off &&
	    aoff_ranges_overlap(sqe->in_off, sqe->in_len, sqe->out_off,
				sqe->in_len))
		return -EINVAL;
	/* The IV is written back last: it must not alias the data. */
	if (aoff_ranges_overlap(sqe->cipher.iv_off, AES_BLOCK_SIZE,
				sqe->in_off, sqe->in_len) ||
	    aoff_ranges_overlap(sqe->cipher.iv_off, AES_BLOCK_SIZE,
				sqe->out_off, sqe->in_len))
		return -EINVAL;
	return 0;
}

int aoff_op_aes_cbc_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	if (req->sqe.in_len % AES_BLOCK_SIZE)
		return -EINVAL;
	return aoff_aes_prep(ctx, req);
}

int aoff_op_aes_ctr_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	return aoff_aes_prep(ctx, req);
}

/* Scatterlist over [p, p + len) of vmalloc memory; len <= AOFF_CHUNK. */
static void aoff_sg_vmalloc(struct scatterlist *sg, u8 *p, u32 len)
{
	unsigned int n = 0, off, part;

	sg_init_table(sg, AOFF_CHUNK_PAGES);
	while (len) {
		off = offset_in_page(p);
		part = min_t(u32, len, PAGE_SIZE - off);
		sg_set_page(&sg[n++], vmalloc_to_page(p), part, off);
		p += part;
		len -= part;
	}
	sg_mark_end(&sg[n - 1]);
}

static s32 aoff_aes_run(struct aoff_engine *eng, struct aoff_req *req,
			struct crypto_skcipher *tfm,
			struct skcipher_request *sreq, bool encrypt)
{
	const struct aoff_sqe *sqe = &req->sqe;
	u8 *data = req->ctx->region.data;
	struct scatterlist *dst;
	u32 done, n;
	int ret;

	if (!sqe->in_len)
		return 0;
	ret = crypto_skcipher_setkey(tfm, data + sqe->cipher.key_off,
				     sqe->cipher.key_len);
	if (ret)
		return ret;
	memcpy(eng->iv, data + sqe->cipher.iv_off, AES_BLOCK_SIZE);

	for (done = 0; done < sqe->in_len; done += n) {
		n = min_t(u32, sqe->in_len - done, AOFF_CHUNK);
		aoff_sg_vmalloc(eng->sg_in, data + sqe->in_off + done, n);
		dst = eng->sg_in;
		if (sqe->in_off != sqe->out_off) {
			aoff_sg_vmalloc(eng->sg_out, data + sqe->out_off + done, n);
			dst = eng->sg_out;
		}
		skcipher_request_set_crypt(sreq, eng->sg_in, dst, n, eng->iv);
		ret = encrypt ? crypto_skcipher_encrypt(sreq) :
				crypto_skcipher_decrypt(sreq);
		if (ret)
			return ret;
		cond_resched();
	}
	memcpy(data + sqe->cipher.iv_off, eng->iv, AES_BLOCK_SIZE);
	return sqe->in_len;
}

s32 aoff_op_aes_cbc_enc_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	return aoff_aes_run(eng, req, eng->cbc, eng->cbc_req, true);
}

s32 aoff_op_aes_cbc_dec_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	return aoff_aes_run(eng, req, eng->cbc, eng->cbc_req, false);
}

s32 aoff_op_aes_ctr_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	return aoff_aes_run(eng, req, eng->ctr, eng->ctr_req, true);
}
