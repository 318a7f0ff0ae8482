// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: SHA-384 and SHA-512, one-shot and partial (in the hash slots
 * SHA-256 uses, see op_sha256.c), and HMAC over them: the TLS 1.3
 * *_SHA384 suites' transcript hash and key schedule.
 *
 * Each engine owns one transform per algorithm, so setting an HMAC key
 * on it races with nobody.  "sha512" is a module on some kernels (Debian's
 * 6.1); if a transform cannot be had at load, its opcodes are left out of
 * the ops bitmap (-EOPNOTSUPP) rather than failing the whole device.
 */
#include <crypto/hash.h>
#include <linux/slab.h>

#include "ops.h"

enum {
	AOFF_S5_SHA384,
	AOFF_S5_SHA512,
	AOFF_S5_HMAC384,
	AOFF_S5_HMAC512,
	AOFF_S5_NR,
};

static const char * const aoff_s5_names[AOFF_S5_NR] = {
	[AOFF_S5_SHA384]	= "sha384",
	[AOFF_S5_SHA512]	= "sha512",
	[AOFF_S5_HMAC384]	= "hmac(sha384)",
	[AOFF_S5_HMAC512]	= "hmac(sha512)",
};

/* The opcodes each transform serves, for the ops bitmap. */
static const u8 aoff_s5_ops[AOFF_S5_NR][4] = {
	[AOFF_S5_SHA384]	= { AOFF_OP_SHA384, AOFF_OP_SHA384_FIRST,
				    AOFF_OP_SHA384_MIDDLE, AOFF_OP_SHA384_LAST },
	[AOFF_S5_SHA512]	= { AOFF_OP_SHA512, AOFF_OP_SHA512_FIRST,
				    AOFF_OP_SHA512_MIDDLE, AOFF_OP_SHA512_LAST },
	[AOFF_S5_HMAC384]	= { AOFF_OP_HMAC_SHA384 },
	[AOFF_S5_HMAC512]	= { AOFF_OP_HMAC_SHA512 },
};

struct aoff_sha512_engine {
	struct crypto_shash *tfm[AOFF_S5_NR];
	struct shash_desc *desc[AOFF_S5_NR];
};

/* Transforms found at load; engines allocate exactly these. */
static bool aoff_s5_have[AOFF_S5_NR];

/*
 * At module init: which transforms exist, and slot room for the partial
 * states.  A missing one only disables its opcodes.
 */
int aoff_sha512_probe(void)
{
	struct crypto_shash *tfm;
	unsigned int i, j;

	for (i = 0; i < AOFF_S5_NR; i++) {
		tfm = crypto_alloc_shash(aoff_s5_names[i], 0, 0);
		if (IS_ERR(tfm)) {
			if (PTR_ERR(tfm) != -ENOENT)
				return PTR_ERR(tfm);
			pr_info("no %s: its operations are not offered\n",
				aoff_s5_names[i]);
			for (j = 0; j < ARRAY_SIZE(aoff_s5_ops[i]); j++)
				if (aoff_s5_ops[i][j])
					aoff_op_disable(aoff_s5_ops[i][j]);
			continue;
		}
		if (i == AOFF_S5_SHA384 || i == AOFF_S5_SHA512)
			aoff_hash_slot_fit(crypto_shash_statesize(tfm));
		aoff_s5_have[i] = true;
		crypto_free_shash(tfm);
	}
	return 0;
}

void aoff_sha512_exit(struct aoff_engine *eng)
{
	struct aoff_sha512_engine *e = eng->sha512;
	unsigned int i;

	if (!e)
		return;
	for (i = 0; i < AOFF_S5_NR; i++) {
		kfree_sensitive(e->desc[i]);
		crypto_free_shash(e->tfm[i]);
	}
	kfree(e);
	eng->sha512 = NULL;
}

int aoff_sha512_init(struct aoff_engine *eng)
{
	struct aoff_sha512_engine *e;
	struct crypto_shash *tfm;
	unsigned int i;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	eng->sha512 = e;
	for (i = 0; i < AOFF_S5_NR; i++) {
		if (!aoff_s5_have[i])
			continue;
		tfm = crypto_alloc_shash(aoff_s5_names[i], 0, 0);
		if (IS_ERR(tfm)) {
			aoff_sha512_exit(eng);
			return PTR_ERR(tfm);
		}
		e->tfm[i] = tfm;
		/* The slots were sized at probe for this very algorithm. */
		if (i <= AOFF_S5_SHA512 && !aoff_hash_slot_fits(tfm)) {
			aoff_sha512_exit(eng);
			return -EINVAL;
		}
		e->desc[i] = kzalloc(sizeof(*e->desc[i]) +
				     crypto_shash_descsize(tfm), GFP_KERNEL);
		if (!e->desc[i]) {
			aoff_sha512_exit(eng);
			return -ENOMEM;
		}
		e->desc[i]->tfm = tfm;
	}
	return 0;
}

static unsigned int aoff_s5_digest_size(u8 opcode)
{
	switch (opcode) {
	case AOFF_OP_SHA384 ... AOFF_OP_SHA384_LAST:
	case AOFF_OP_HMAC_SHA384:
		return AOFF_SHA384_DIGEST_SIZE;
	default:
		return AOFF_SHA512_DIGEST_SIZE;
	}
}

/* The checks of AOFF_OP_SHA256's, with this opcode's digest size. */
int aoff_op_sha512_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;

	if (sqe->hash.key_off || sqe->hash.key_len || sqe->hash.resv ||
	    sqe->hash.state_slot ||
	    sqe->out_len < aoff_s5_digest_size(sqe->opcode))
		return -EINVAL;
	return 0;
}

int aoff_op_sha512_part_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;

	if (sqe->hash.key_off || sqe->hash.key_len || sqe->hash.resv ||
	    sqe->hash.state_slot >= ctx->hash_slots)
		return -EINVAL;
	if (sqe->opcode == AOFF_OP_SHA384_LAST ||
	    sqe->opcode == AOFF_OP_SHA512_LAST)
		return sqe->out_len < aoff_s5_digest_size(sqe->opcode) ?
		       -EINVAL : 0;
	if (sqe->out_off || sqe->out_len)
		return -EINVAL;
	return 0;
}

int aoff_op_hmac512_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;

	if (sqe->hash.state_slot || sqe->hash.resv ||
	    sqe->hash.key_len > AOFF_HMAC_KEY_MAX ||
	    sqe->out_len < aoff_s5_digest_size(sqe->opcode))
		return -EINVAL;
	if (!aoff_range_ok(ctx, sqe->hash.key_off, sqe->hash.key_len))
		return -EFAULT;
	return 0;
}

s32 aoff_op_sha512_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;
	struct shash_desc *desc;
	int ret;

	desc = eng->sha512->desc[sqe->opcode == AOFF_OP_SHA384 ?
				 AOFF_S5_SHA384 : AOFF_S5_SHA512];
	ret = crypto_shash_init(desc);
	if (!ret)
		ret = aoff_shash_update(desc, req->ctx->region.data + sqe->in_off,
					sqe->in_len);
	return ret ? ret : aoff_hash_final(desc, req);
}

s32 aoff_op_sha512_part_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	struct aoff_sha512_engine *e = eng->sha512;
	u8 op = req->sqe.opcode;

	switch (op) {
	case AOFF_OP_SHA384_FIRST ... AOFF_OP_SHA384_LAST:
		return aoff_hash_part(e->desc[AOFF_S5_SHA384], req,
				      AOFF_HASH_SHA384,
				      op == AOFF_OP_SHA384_FIRST,
				      op == AOFF_OP_SHA384_LAST);
	default:
		return aoff_hash_part(e->desc[AOFF_S5_SHA512], req,
				      AOFF_HASH_SHA512,
				      op == AOFF_OP_SHA512_FIRST,
				      op == AOFF_OP_SHA512_LAST);
	}
}

s32 aoff_op_hmac512_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;
	u8 *data = req->ctx->region.data;
	struct shash_desc *desc;
	int ret;

	desc = eng->sha512->desc[sqe->opcode == AOFF_OP_HMAC_SHA384 ?
				 AOFF_S5_HMAC384 : AOFF_S5_HMAC512];
	ret = crypto_shash_setkey(desc->tfm, data + sqe->hash.key_off,
				  sqe->hash.key_len);
	if (!ret)
		ret = crypto_shash_init(desc);
	if (!ret)
		ret = aoff_shash_update(desc, data + sqe->in_off, sqe->in_len);
	return ret ? ret : aoff_hash_final(desc, req);
}
