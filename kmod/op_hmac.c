// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: HMAC-SHA256, one-shot, the key in the data area.  The engine
 * owns its "hmac(sha256)" transform, so setting the request's key on it
 * races with nobody.
 */
#include <crypto/hash.h>
#include <linux/slab.h>

#include "ops.h"

int aoff_hmac_init(struct aoff_engine *eng)
{
	struct crypto_shash *tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	eng->hmac = tfm;
	eng->hmac_desc = kzalloc(sizeof(*eng->hmac_desc) +
				 crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!eng->hmac_desc) {
		crypto_free_shash(tfm);
		eng->hmac = NULL;
		return -ENOMEM;
	}
	eng->hmac_desc->tfm = tfm;
	return 0;
}

void aoff_hmac_exit(struct aoff_engine *eng)
{
	kfree_sensitive(eng->hmac_desc);
	crypto_free_shash(eng->hmac);
	eng->hmac_desc = NULL;
	eng->hmac = NULL;
}

int aoff_op_hmac_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;

	if (sqe->hash.state_slot || sqe->hash.resv ||
	    sqe->hash.key_len > AOFF_HMAC_KEY_MAX ||
	    sqe->out_len < AOFF_SHA256_DIGEST_SIZE)
		return -EINVAL;
	if (!aoff_range_ok(ctx, sqe->hash.key_off, sqe->hash.key_len))
		return -EFAULT;
	return 0;
}

s32 aoff_op_hmac_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	struct shash_desc *desc = eng->hmac_desc;
	const struct aoff_sqe *sqe = &req->sqe;
	u8 *data = req->ctx->region.data;
	u8 digest[AOFF_SHA256_DIGEST_SIZE];
	int ret;

	ret = crypto_shash_setkey(eng->hmac, data + sqe->hash.key_off,
				  sqe->hash.key_len);
	if (!ret)
		ret = crypto_shash_init(desc);
	if (!ret)
		ret = aoff_shash_update(desc, data + sqe->in_off, sqe->in_len);
	if (!ret)
		ret = crypto_shash_final(desc, digest);
	if (ret)
		return ret;
	memcpy(data + sqe->out_off, digest, sizeof(digest));
	memzero_explicit(digest, sizeof(digest));
	return AOFF_SHA256_DIGEST_SIZE;
}
