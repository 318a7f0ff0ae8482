// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: SHA-256, one-shot and partial (FIRST / MIDDLE / LAST).
 *
 * A partial digest keeps its running state in one of the context's hash
 * slots (kernel memory, exported with crypto_shash_export() between
 * requests), as an accelerator keeps it in its own RAM.  Only the engine
 * serving the context touches the slots, and it serves the context's
 * requests in submission order, so a chain may be submitted in one batch.
 *
 * SHA-384 and SHA-512 (op_sha512.c) share the slots: a slot is a small
 * header naming the algorithm that started the digest, then room for the
 * largest exported state of the three, so MIDDLE or LAST of another
 * algorithm is refused instead of importing a foreign state.
 */
#include <crypto/hash.h>
#include <linux/bitmap.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "ops.h"

/* One slot: the header, then the exported state (8-byte aligned). */
struct aoff_hash_slot {
	u32 alg;		/* enum aoff_hash_alg that started it */
	u32 resv;
	u8 state[];
};

/* Bytes per slot, header included; set once at module init. */
unsigned int aoff_hash_state_size;

/*
 * Sizes the slots for the "sha256" the engines will get, and for any
 * other algorithm that shares them (aoff_sha512_probe()).
 */
int aoff_sha256_probe(void)
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha256", 0, 0);

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	aoff_hash_slot_fit(crypto_shash_statesize(tfm));
	crypto_free_shash(tfm);
	return 0;
}

/* Grows the slots to hold an exported state of @statesize bytes. */
void aoff_hash_slot_fit(unsigned int statesize)
{
	unsigned int size = ALIGN(sizeof(struct aoff_hash_slot) + statesize, 8);

	aoff_hash_state_size = max(aoff_hash_state_size, size);
}

/* Whether an engine's transform exports a state that fits a slot. */
bool aoff_hash_slot_fits(struct crypto_shash *tfm)
{
	return sizeof(struct aoff_hash_slot) + crypto_shash_statesize(tfm) <=
	       aoff_hash_state_size;
}

int aoff_sha256_init(struct aoff_engine *eng)
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha256", 0, 0);

	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	if (!aoff_hash_slot_fits(tfm)) {
		crypto_free_shash(tfm);
		return -EINVAL;
	}
	eng->sha256 = tfm;
	eng->sha256_desc = kzalloc(sizeof(*eng->sha256_desc) +
				   crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!eng->sha256_desc) {
		crypto_free_shash(tfm);
		eng->sha256 = NULL;
		return -ENOMEM;
	}
	eng->sha256_desc->tfm = tfm;
	return 0;
}

void aoff_sha256_exit(struct aoff_engine *eng)
{
	kfree_sensitive(eng->sha256_desc);
	crypto_free_shash(eng->sha256);
	eng->sha256_desc = NULL;
	eng->sha256 = NULL;
}

/*
 * Hashes a long input in chunks, yielding in between: SIMD
 * implementations keep preemption off while they run.
 */
int aoff_shash_update(struct shash_desc *desc, const u8 *p, u32 len)
{
	u32 n;
	int ret;

	while (len) {
		n = min_t(u32, len, AOFF_CHUNK);
		ret = crypto_shash_update(desc, p, n);
		if (ret)
			return ret;
		p += n;
		len -= n;
		cond_resched();
	}
	return 0;
}

static int aoff_sha256_common_prep(struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;

	if (sqe->hash.key_off || sqe->hash.key_len || sqe->hash.resv)
		return -EINVAL;
	return 0;
}

static int aoff_digest_out_prep(const struct aoff_sqe *sqe)
{
	return sqe->out_len < AOFF_SHA256_DIGEST_SIZE ? -EINVAL : 0;
}

int aoff_op_sha256_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	int ret = aoff_sha256_common_prep(req);

	if (ret)
		return ret;
	if (req->sqe.hash.state_slot)
		return -EINVAL;
	return aoff_digest_out_prep(&req->sqe);
}

int aoff_op_sha256_part_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;
	int ret = aoff_sha256_common_prep(req);

	if (ret)
		return ret;
	if (sqe->hash.state_slot >= ctx->hash_slots)
		return -EINVAL;
	if (sqe->opcode == AOFF_OP_SHA256_LAST)
		return aoff_digest_out_prep(sqe);
	if (sqe->out_off || sqe->out_len)
		return -EINVAL;
	return 0;
}

/*
 * Final digest to the data area, after all input has been read; returns
 * the digest size (the CQE result) or a negative errno.
 */
s32 aoff_hash_final(struct shash_desc *desc, struct aoff_req *req)
{
	struct aoff_ctx *ctx = req->ctx;
	unsigned int n = crypto_shash_digestsize(desc->tfm);
	u8 digest[HASH_MAX_DIGESTSIZE];
	int ret;

	ret = crypto_shash_final(desc, digest);
	if (ret)
		return ret;
	memcpy(ctx->region.data + req->sqe.out_off, digest, n);
	memzero_explicit(digest, sizeof(digest));
	return n;
}

s32 aoff_op_sha256_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	struct shash_desc *desc = eng->sha256_desc;
	const struct aoff_sqe *sqe = &req->sqe;
	int ret;

	ret = crypto_shash_init(desc);
	if (!ret)
		ret = aoff_shash_update(desc, req->ctx->region.data + sqe->in_off,
					sqe->in_len);
	return ret ? ret : aoff_hash_final(desc, req);
}

static struct aoff_hash_slot *aoff_slot(struct aoff_req *req)
{
	struct aoff_ctx *ctx = req->ctx;

	return (void *)(ctx->hash_state +
			(size_t)req->sqe.hash.state_slot * aoff_hash_state_size);
}

/*
 * Loads the slot's state into the engine: FIRST starts afresh; MIDDLE
 * and LAST need a digest of their own algorithm in progress there.
 */
static int aoff_slot_load(struct shash_desc *desc, struct aoff_req *req,
			  enum aoff_hash_alg alg, bool first)
{
	struct aoff_ctx *ctx = req->ctx;
	struct aoff_hash_slot *slot = aoff_slot(req);

	if (first)
		return crypto_shash_init(desc);
	if (!test_bit(req->sqe.hash.state_slot, ctx->hash_live) ||
	    slot->alg != alg)
		return -ENODATA;
	return crypto_shash_import(desc, slot->state);
}

/*
 * One link of a partial digest with @desc's algorithm @alg.  @first
 * starts it in the slot, @last writes the digest and empties the slot.
 */
s32 aoff_hash_part(struct shash_desc *desc, struct aoff_req *req,
		   enum aoff_hash_alg alg, bool first, bool last)
{
	const struct aoff_sqe *sqe = &req->sqe;
	struct aoff_ctx *ctx = req->ctx;
	struct aoff_hash_slot *slot = aoff_slot(req);
	int ret;

	ret = aoff_slot_load(desc, req, alg, first);
	if (!ret)
		ret = aoff_shash_update(desc, ctx->region.data + sqe->in_off,
					sqe->in_len);
	if (ret)
		return ret;	/* abort empties the slot */
	if (last) {
		clear_bit(sqe->hash.state_slot, ctx->hash_live);
		return aoff_hash_final(desc, req);
	}
	ret = crypto_shash_export(desc, slot->state);
	if (ret)
		return ret;
	slot->alg = alg;
	set_bit(sqe->hash.state_slot, ctx->hash_live);
	return 0;
}

s32 aoff_op_sha256_first_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	return aoff_hash_part(eng->sha256_desc, req, AOFF_HASH_SHA256, true,
			      false);
}

s32 aoff_op_sha256_middle_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	return aoff_hash_part(eng->sha256_desc, req, AOFF_HASH_SHA256, false,
			      false);
}

s32 aoff_op_sha256_last_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	return aoff_hash_part(eng->sha256_desc, req, AOFF_HASH_SHA256, false,
			      true);
}

/* A failed link empties its slot, so the rest of the chain fails too. */
void aoff_op_sha256_part_abort(struct aoff_req *req)
{
	struct aoff_ctx *ctx = req->ctx;
	u32 slot = req->sqe.hash.state_slot;

	if (slot < ctx->hash_slots)
		clear_bit(slot, ctx->hash_live);
}
