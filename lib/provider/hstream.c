// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: a SHA-256, SHA-384 or SHA-512 stream on the device's
 * partial hashing (struct aoff_hs_alg gives the sizes and opcodes; below,
 * SHA-256's names stand for all three: a block is 64 bytes for SHA-256,
 * 128 for SHA-384/512).
 *
 * Message bytes go to the device as soon as whole blocks are known
 * (SHA256_FIRST, then SHA256_MIDDLE into one hash slot of the device
 * context); at most one block waits here, and a block is held back even
 * when complete, so that the final request always has data and a short
 * message costs one request (one-shot SHA256 or HMAC_SHA256) instead of
 * two.  The running state lives in the device, which cannot copy or export
 * it.  A copy of a stream shares the slot (copy on write): the first copy
 * to go on owns the state; another that goes on later, or a stream used
 * from another device context (a different job's wait ctx, another
 * thread, a context reopened after a reset), replays what was hashed so
 * far into a fresh slot.  For that the stream keeps a copy of what it sent
 * while that is at most dup_max bytes (openssl.cnf / ASYNCOFF_DUP_MAX);
 * past that, such a replay fails with an error instead.  The common
 * patterns work at any length: copy then finish the copy and drop the
 * original (EVP_DigestSignFinal), or keep going on one copy only.
 *
 * HMAC (RFC 2104) uses the same stream: the inner hash starts with the
 * block K0 ^ ipad, and the final request pair is LAST (inner digest
 * written right behind K0 ^ opad in the data area) + one-shot SHA256 over
 * that (outer), in one batch: the device runs a context's requests in
 * submission order.  A message that never left the buffer goes to the
 * device's one-shot HMAC.
 *
 * A device context has 16 hash slots, and a thread's context (outside
 * jobs) serves every stream the thread has open: a server stepping many
 * TLS 1.2 handshakes holds one transcript per handshake.  A stream that
 * finds no slot free never fails for it: it carries its state in-process
 * from there on, in the default provider's digest (sw.c), fed what the
 * slot would have got (K0 ^ ipad first for HMAC, or the replayed copy),
 * until final or reset.  Such a stream copies with EVP_MD_CTX_copy_ex and
 * moves freely between jobs and threads.
 *
 * The offload policy (policy.c, class "digest", size T): a message that
 * ends before T bytes never reaches the device.  A stream starts
 * in-process ("below"), keeping the copy it would keep for a replay;
 * once T bytes are hashed it moves to a slot by replaying that copy, and
 * goes on there.  A first update of T bytes or more goes straight to the
 * device.  A stream whose copy was lost (T > dup_max) stays in-process.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "prov.h"

const struct aoff_hs_alg aoff_hs_sha256 = {
	.name = "SHA-256", .sw_name = "SHA2-256",
	.dlen = AOFF_SHA256_DIGEST_SIZE, .blk = AOFF_SHA256_BLOCK_SIZE,
	.op = AOFF_OP_SHA256, .op_first = AOFF_OP_SHA256_FIRST,
	.op_middle = AOFF_OP_SHA256_MIDDLE, .op_last = AOFF_OP_SHA256_LAST,
	.op_hmac = AOFF_OP_HMAC_SHA256,
};
const struct aoff_hs_alg aoff_hs_sha384 = {
	.name = "SHA-384", .sw_name = "SHA2-384",
	.dlen = AOFF_SHA384_DIGEST_SIZE, .blk = AOFF_SHA512_BLOCK_SIZE,
	.op = AOFF_OP_SHA384, .op_first = AOFF_OP_SHA384_FIRST,
	.op_middle = AOFF_OP_SHA384_MIDDLE, .op_last = AOFF_OP_SHA384_LAST,
	.op_hmac = AOFF_OP_HMAC_SHA384,
};
const struct aoff_hs_alg aoff_hs_sha512 = {
	.name = "SHA-512", .sw_name = "SHA2-512",
	.dlen = AOFF_SHA512_DIGEST_SIZE, .blk = AOFF_SHA512_BLOCK_SIZE,
	.op = AOFF_OP_SHA512, .op_first = AOFF_OP_SHA512_FIRST,
	.op_middle = AOFF_OP_SHA512_MIDDLE, .op_last = AOFF_OP_SHA512_LAST,
	.op_hmac = AOFF_OP_HMAC_SHA512,
};

struct piece {
	const uint8_t *p;
	size_t len;
};

void aoff_hs_init(struct aoff_hs *hs, const struct aoff_hs_alg *alg)
{
	memset(hs, 0, sizeof(*hs));
	hs->alg = alg;
}

/* The default provider's digest, for a stream that runs in-process. */
static const EVP_MD *hs_sw_md(const struct aoff_hs *hs)
{
	const struct aoff_hs_alg *a = aoff_hs_alg_of(hs);

	return a == &aoff_hs_sha256 ? aoff_sw_sha256() : aoff_sw_md(a->sw_name);
}

/*
 * One request's SQE for @opcode, one of @a's: the opcode fixes the output
 * (a digest of a->dlen bytes at @out, or none for FIRST and MIDDLE).
 */
static void hs_prep(struct aoff_sqe *sqe, const struct aoff_hs_alg *a,
		    uint8_t opcode, uint32_t slot, uint64_t in, uint32_t len,
		    uint64_t out)
{
	if (a != &aoff_hs_sha256)
		aoff_prep_sha512(sqe, 0, opcode, slot, in, len, out);
	else if (opcode == AOFF_OP_SHA256)
		aoff_prep_sha256(sqe, 0, in, len, out);
	else
		aoff_prep_sha256_part(sqe, 0, opcode, slot, in, len, out);
}

static void hs_drop_slot(struct aoff_hs *hs)
{
	struct aoff_hslot *h = hs->hsl;

	hs->hsl = NULL;
	if (h && __atomic_sub_fetch(&h->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		aoff_slot_put(h->dc, h->slot);
		OPENSSL_free(h);
	}
}

/*
 * Take the slot's state for one request: only if no other copy ran a
 * request on it since we did.  Pairs with the other copies' claims.
 */
static int hs_claim(struct aoff_hs *hs)
{
	uint64_t e = hs->epoch;

	if (!__atomic_compare_exchange_n(&hs->hsl->epoch, &e, e + 1, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		AOFF_RAISE(AOFF_R_STATE_LOST, "two copies of a %s "
			   "stream used at once", aoff_hs_alg_of(hs)->name);
		return 0;
	}
	hs->epoch = e + 1;
	return 1;
}

static void hs_drop_sw(struct aoff_hs *hs)
{
	EVP_MD_CTX_free(hs->sw);
	hs->sw = NULL;
}

static void hs_drop_log(struct aoff_hs *hs)
{
	free(hs->log);
	hs->log = NULL;
	hs->loglen = hs->logcap = 0;
	hs->log_lost = 0;
}

/* Back to an empty message, same key; the slot is given back. */
void aoff_hs_reset(struct aoff_hs *hs)
{
	hs_drop_slot(hs);
	hs_drop_sw(hs);
	hs_drop_log(hs);
	OPENSSL_cleanse(hs->buf, sizeof(hs->buf));
	hs->buflen = 0;
	hs->started = 0;
	hs->failed = 0;
	hs->below = 0;
}

void aoff_hs_release(struct aoff_hs *hs)
{
	aoff_hs_reset(hs);
	OPENSSL_cleanse(hs->k0, sizeof(hs->k0));
}

static void hs_log(struct aoff_hs *hs, const uint8_t *p, size_t n)
{
	if (hs->log_lost)
		return;
	if (hs->loglen + n > aoff_prov_cfg.dup_max) {
		OPENSSL_clear_free(hs->log, hs->logcap);
		hs->log = NULL;
		hs->loglen = hs->logcap = 0;
		hs->log_lost = 1;
		return;
	}
	if (hs->loglen + n > hs->logcap) {
		size_t cap = hs->logcap ? hs->logcap : 1024;
		uint8_t *q;

		while (cap < hs->loglen + n)
			cap *= 2;
		if (cap > aoff_prov_cfg.dup_max)
			cap = aoff_prov_cfg.dup_max;
		q = OPENSSL_clear_realloc(hs->log, hs->logcap, cap);
		if (!q) {
			/* No memory for the copy: only dup/move suffer. */
			OPENSSL_clear_free(hs->log, hs->logcap);
			hs->log = NULL;
			hs->loglen = hs->logcap = 0;
			hs->log_lost = 1;
			return;
		}
		hs->log = q;
		hs->logcap = cap;
	}
	memcpy(hs->log + hs->loglen, p, n);
	hs->loglen += n;
}

static void gather(uint8_t *dst, struct piece *pc, int npc, size_t n)
{
	for (int i = 0; i < npc && n; i++) {
		size_t k = pc[i].len < n ? pc[i].len : n;

		memcpy(dst, pc[i].p, k);
		dst += k;
		n -= k;
		pc[i].p += k;
		pc[i].len -= k;
	}
}

static int hs_take_slot(struct aoff_hs *hs, struct aoff_dev *d)
{
	struct aoff_hslot *h = OPENSSL_zalloc(sizeof(*h));

	if (!h) {
		AOFF_RAISE(AOFF_R_NO_MEMORY, "hash slot");
		return 0;
	}
	h->slot = aoff_slot_get(d->dc);
	if (h->slot < 0) {
		/* Every slot busy: the caller goes in-process. */
		OPENSSL_free(h);
		return -1;
	}
	h->dc = d->dc;
	h->refs = 1;
	hs->hsl = h;
	hs->epoch = 0;
	return 1;
}

static int hs_replay(struct aoff_hs *hs, struct aoff_dev *d);

/* Hash the pieces in-process (the stream's state is in hs->sw). */
static int hs_sw_feed(struct aoff_hs *hs, struct piece *pc, int npc)
{
	for (int i = 0; i < npc; i++) {
		if (pc[i].len && !EVP_DigestUpdate(hs->sw, pc[i].p,
						   pc[i].len)) {
			AOFF_RAISE(AOFF_R_NO_SOFTWARE, "in-process %s",
				   aoff_hs_alg_of(hs)->name);
			return 0;
		}
		pc[i].p += pc[i].len;
		pc[i].len = 0;
	}
	hs->started = 1;
	return 1;
}

/*
 * No hash slot: from here on the stream's state is in-process.  The pieces
 * are everything the slot would have held (the stream's start, or the
 * replayed copy of it), so the copy kept for replay is not needed.
 */
static int hs_go_sw(struct aoff_hs *hs, struct piece *pc, int npc)
{
	const EVP_MD *md = hs_sw_md(hs);
	int ok;

	if (!md)
		return 0;
	hs->sw = EVP_MD_CTX_new();
	if (!hs->sw || !EVP_DigestInit_ex(hs->sw, md, NULL)) {
		hs_drop_sw(hs);
		AOFF_RAISE(AOFF_R_NO_SOFTWARE, "in-process %s",
			   aoff_hs_alg_of(hs)->name);
		return 0;
	}
	/* The pieces may be the log itself (a replay): feed, then drop. */
	ok = hs_sw_feed(hs, pc, npc);
	hs_drop_log(hs);
	return ok;
}

/*
 * Hash whole blocks (the pieces' total is a multiple of the block) into
 * the slot: FIRST for the stream's first request, MIDDLE after.  @log:
 * keep a copy.
 */
static int hs_send(struct aoff_hs *hs, struct aoff_dev *d, struct piece *pc,
		   int npc, int log, int may_replay)
{
	const struct aoff_hs_alg *a = aoff_hs_alg_of(hs);
	size_t total = 0;

	if (hs->sw) {
		if (hs->below && log)
			for (int i = 0; i < npc; i++)
				hs_log(hs, pc[i].p, pc[i].len);
		return hs_sw_feed(hs, pc, npc);
	}
	for (int i = 0; i < npc; i++)
		total += pc[i].len;
	if (!hs->hsl) {
		int r = hs_take_slot(hs, d);

		if (r < 0)
			return hs_go_sw(hs, pc, npc);
		if (!r)
			return 0;
	}
	while (total) {
		struct aoff_sqe sqe;
		uint64_t off;
		size_t n, got;
		int32_t res = 0;
		int ok;

		if (!aoff_dev_alloc(d, 0, total, a->blk, &off, &n))
			return 0;
		gather(aoff_dev_ptr(d, off), pc, npc, n);
		memset(&sqe, 0, sizeof(sqe));
		hs_prep(&sqe, a, hs->started ? a->op_middle : a->op_first,
			(uint32_t)hs->hsl->slot, off, (uint32_t)n, 0);
		if (!hs_claim(hs)) {
			aoff_dev_free(d, off);
			return 0;
		}
		ok = aoff_dev_run(d, &sqe, 1, &res, a->name,
				  may_replay && hs->started ? ENODATA : 0);
		if (!ok && res == -ENODATA) {
			/*
			 * The slot lost our state (see slots.c): replay,
			 * with the data area to itself, then retry.
			 */
			uint8_t *tmp = OPENSSL_malloc(n);

			if (tmp) {
				memcpy(tmp, aoff_dev_ptr(d, off), n);
				aoff_dev_free(d, off);
				ok = hs_replay(hs, d) &&
				     aoff_dev_alloc(d, n, 0, 1, &off, &got);
				if (ok) {
					memcpy(aoff_dev_ptr(d, off), tmp, n);
					sqe.in_off = off;
					ok = aoff_dev_run(d, &sqe, 1, &res,
							  a->name, 0);
					if (!ok)
						aoff_dev_free(d, off);
				}
				OPENSSL_clear_free(tmp, n);
				if (!ok)
					return 0;
			} else {
				AOFF_RAISE(AOFF_R_NO_MEMORY, "%s replay",
					   a->name);
			}
		}
		if (ok && log)
			hs_log(hs, aoff_dev_ptr(d, off), n);
		aoff_dev_free(d, off);
		if (!ok)
			return 0;
		hs->started = 1;
		total -= n;
	}
	return 1;
}

/* Hash the kept copy into the slot we hold (or a new one) afresh. */
static int hs_replay(struct aoff_hs *hs, struct aoff_dev *d)
{
	struct piece pc = { hs->log, hs->loglen };

	if (hs->log_lost) {
		AOFF_RAISE(AOFF_R_STATE_LOST,
			   "the %s state went on in another copy of the "
			   "stream, or is in another device context (another "
			   "job's wait ctx, another thread, or a device "
			   "reset), and the stream is longer than dup_max "
			   "(%zu bytes) to replay", aoff_hs_alg_of(hs)->name,
			   aoff_prov_cfg.dup_max);
		return 0;
	}
	hs->started = 0;
	return hs_send(hs, d, &pc, 1, 0, 0);
}

/* Bind to the device; bring the running state where this code runs. */
static int hs_prepare(struct aoff_hs *hs, struct aoff_dev *d)
{
	if (hs->failed) {
		AOFF_RAISE(AOFF_R_FAILED_STATE,
			   "an earlier %s call on this context failed",
			   aoff_hs_alg_of(hs)->name);
		return 0;
	}
	if (hs->sw)
		return 1;	/* in-process: nothing to bind */
	if (!aoff_dev_get(d))
		return 0;
	if (hs->started && (!hs->hsl || hs->hsl->dc != d->dc ||
			    __atomic_load_n(&hs->hsl->epoch,
					    __ATOMIC_ACQUIRE) != hs->epoch)) {
		/* Not where we run, or another copy went on: start over. */
		hs_drop_slot(hs);
		if (!hs_replay(hs, d))
			return 0;
	}
	return 1;
}

/*
 * The offload policy, before @n more bytes are hashed: a stream that
 * stays short starts in-process; one that reaches the policy's size
 * leaves it (its log replays into a slot at hs_prepare()).
 */
static int hs_policy(struct aoff_hs *hs, size_t n)
{
	const EVP_MD *md;

	if (hs->below) {
		if (!aoff_policy_device(AOFF_POL_DIGEST, hs->loglen + n) ||
		    hs->log_lost)
			return 1;
		hs_drop_sw(hs);
		hs->below = 0;
		return 1;
	}
	if (hs->started || hs->sw || aoff_policy_device(AOFF_POL_DIGEST, n))
		return 1;
	md = hs_sw_md(hs);
	if (!md)
		return 0;
	hs->sw = EVP_MD_CTX_new();
	if (!hs->sw || !EVP_DigestInit_ex(hs->sw, md, NULL)) {
		hs_drop_sw(hs);
		AOFF_RAISE(AOFF_R_NO_SOFTWARE, "in-process %s",
			   aoff_hs_alg_of(hs)->name);
		return 0;
	}
	hs->below = 1;
	/* Never moving to the device: no copy to keep. */
	hs->log_lost = aoff_prov_cfg.offload_min[AOFF_POL_DIGEST] ==
		       AOFF_POL_OFF;
	return 1;
}

static void hs_ipad(const struct aoff_hs *hs, uint8_t *blk, uint8_t pad)
{
	memset(blk, pad, aoff_hs_alg_of(hs)->blk);
	for (size_t i = 0; i < hs->k0len; i++)
		blk[i] ^= hs->k0[i];
}

int aoff_hs_update(struct aoff_hs *hs, const uint8_t *p, size_t len)
{
	const size_t blk = aoff_hs_alg_of(hs)->blk;
	struct aoff_dev d;
	struct piece pc[3];
	uint8_t ipad[AOFF_HS_BLOCK_MAX];
	size_t total = hs->buflen + len, n, keep;
	int npc = 0, ok;

	if (hs->failed) {
		AOFF_RAISE(AOFF_R_FAILED_STATE,
			   "an earlier %s call on this context failed",
			   aoff_hs_alg_of(hs)->name);
		return 0;
	}
	if (total <= blk) {
		memcpy(hs->buf + hs->buflen, p, len);
		hs->buflen = total;
		return 1;
	}
	/* Send all but the last 1..blk bytes: they wait for more or final. */
	n = ((total - 1) / blk) * blk;
	keep = total - n;
	if (!hs_policy(hs, n + (hs->hmac && !hs->started ? blk : 0)))
		goto fail;
	if (!hs_prepare(hs, &d))
		goto fail;
	if (hs->hmac && !hs->started) {
		hs_ipad(hs, ipad, 0x36);
		pc[npc++] = (struct piece){ ipad, blk };
	}
	pc[npc++] = (struct piece){ hs->buf, hs->buflen };
	pc[npc++] = (struct piece){ p, n - hs->buflen };
	ok = hs_send(hs, &d, pc, npc, 1, 1);
	OPENSSL_cleanse(ipad, sizeof(ipad));
	if (!ok)
		goto fail;
	memcpy(hs->buf, p + len - keep, keep);
	hs->buflen = keep;
	return 1;
fail:
	hs->failed = 1;
	return 0;
}

/* Nothing reached the device: one request for the whole message. */
static int hs_final_oneshot(struct aoff_hs *hs, struct aoff_dev *d,
			    uint8_t *out)
{
	const struct aoff_hs_alg *a = aoff_hs_alg_of(hs);
	const size_t blk = a->blk;
	struct aoff_sqe sqe;
	uint64_t off, in, key, dst;
	size_t got;
	uint8_t *base;
	int ok;

	if (!aoff_dev_alloc(d, 3 * blk, 0, 1, &off, &got))
		return 0;
	base = aoff_dev_ptr(d, off);
	key = off;
	in = off + blk;
	dst = off + 2 * blk;
	memcpy(base + blk, hs->buf, hs->buflen);
	memset(&sqe, 0, sizeof(sqe));
	if (hs->hmac) {
		memcpy(base, hs->k0, hs->k0len);
		if (a == &aoff_hs_sha256)
			aoff_prep_hmac_sha256(&sqe, 0, key,
					      (uint32_t)hs->k0len, in,
					      (uint32_t)hs->buflen, dst);
		else
			aoff_prep_hmac_sha512(&sqe, 0, a->op_hmac, key,
					      (uint32_t)hs->k0len, in,
					      (uint32_t)hs->buflen, dst);
	} else {
		hs_prep(&sqe, a, a->op, 0, in, (uint32_t)hs->buflen, dst);
	}
	ok = aoff_dev_run(d, &sqe, 1, NULL, hs->hmac ? "HMAC" : a->name, 0);
	if (ok)
		memcpy(out, base + 2 * blk, a->dlen);
	OPENSSL_cleanse(base, 2 * blk);
	aoff_dev_free(d, off);
	return ok;
}

/*
 * The stream's tail: LAST over the buffer; for HMAC the inner digest lands
 * behind K0 ^ opad, and the outer hash runs over both in the same batch.
 */
static int hs_final_last(struct aoff_hs *hs, struct aoff_dev *d,
			 uint8_t *out)
{
	const struct aoff_hs_alg *a = aoff_hs_alg_of(hs);
	const size_t blk = a->blk, dlen = a->dlen;
	struct aoff_sqe sqe[2];
	int32_t res[2] = { 0, 0 };
	uint64_t off;
	size_t got;
	uint8_t *base;
	unsigned int nr = 1;
	int ok, tries = 0;

	/* [buf blk][opad blk][inner dlen][out dlen] */
	if (!aoff_dev_alloc(d, 2 * blk + 2 * dlen, 0, 1, &off, &got))
		return 0;
	base = aoff_dev_ptr(d, off);
again:
	memcpy(base, hs->buf, hs->buflen);
	memset(sqe, 0, sizeof(sqe));
	if (hs->hmac) {
		hs_ipad(hs, base + blk, 0x5c);
		hs_prep(&sqe[0], a, a->op_last, (uint32_t)hs->hsl->slot, off,
			(uint32_t)hs->buflen, off + 2 * blk);
		hs_prep(&sqe[1], a, a->op, 0, off + blk,
			(uint32_t)(blk + dlen), off + 2 * blk + dlen);
		nr = 2;
	} else {
		hs_prep(&sqe[0], a, a->op_last, (uint32_t)hs->hsl->slot, off,
			(uint32_t)hs->buflen, off + 2 * blk + dlen);
	}
	if (!hs_claim(hs)) {
		OPENSSL_cleanse(base, 2 * blk + 2 * dlen);
		aoff_dev_free(d, off);
		return 0;
	}
	ok = aoff_dev_run(d, sqe, nr, res, hs->hmac ? "HMAC final" :
			  a->name, tries ? 0 : ENODATA);
	if (!ok && res[0] == -ENODATA && !tries++) {
		/* The slot lost our state (see slots.c): replay, retry. */
		if (hs_replay(hs, d))
			goto again;
	}
	if (ok)
		memcpy(out, base + 2 * blk + dlen, dlen);
	OPENSSL_cleanse(base, 2 * blk + 2 * dlen);
	aoff_dev_free(d, off);
	return ok;
}

/* The in-process stream's tail; for HMAC the outer hash too. */
static int hs_final_sw(struct aoff_hs *hs, uint8_t *out)
{
	const struct aoff_hs_alg *a = aoff_hs_alg_of(hs);
	uint8_t opad[AOFF_HS_BLOCK_MAX], inner[AOFF_HS_DIGEST_MAX];
	unsigned int l = 0;
	int ok;

	ok = EVP_DigestUpdate(hs->sw, hs->buf, hs->buflen) &&
	     EVP_DigestFinal_ex(hs->sw, hs->hmac ? inner : out, &l);
	if (ok && hs->hmac) {
		hs_ipad(hs, opad, 0x5c);
		ok = EVP_DigestInit_ex(hs->sw, NULL, NULL) &&
		     EVP_DigestUpdate(hs->sw, opad, a->blk) &&
		     EVP_DigestUpdate(hs->sw, inner, a->dlen) &&
		     EVP_DigestFinal_ex(hs->sw, out, &l);
		OPENSSL_cleanse(opad, sizeof(opad));
		OPENSSL_cleanse(inner, sizeof(inner));
	}
	if (!ok)
		AOFF_RAISE(AOFF_R_NO_SOFTWARE, "in-process %s final",
			   a->name);
	return ok;
}

int aoff_hs_final(struct aoff_hs *hs, uint8_t *out)
{
	struct aoff_dev d;
	int ok;

	/* A short message the policy keeps in-process, never bound. */
	if (!hs->started && !hs->sw && !hs->failed &&
	    !aoff_policy_device(AOFF_POL_DIGEST, hs->buflen)) {
		uint8_t ipad[AOFF_HS_BLOCK_MAX];

		ok = hs_policy(hs, hs->buflen);
		if (ok && hs->hmac) {
			hs_ipad(hs, ipad, 0x36);
			ok = EVP_DigestUpdate(hs->sw, ipad,
					      aoff_hs_alg_of(hs)->blk);
			OPENSSL_cleanse(ipad, sizeof(ipad));
		}
		ok = ok && hs_final_sw(hs, out);
		aoff_hs_reset(hs);
		hs->failed = !ok;
		return ok;
	}
	if (!hs_prepare(hs, &d)) {
		hs->failed = 1;
		return 0;
	}
	if (hs->sw)
		ok = hs_final_sw(hs, out);
	else
		ok = hs->started ? hs_final_last(hs, &d, out) :
				   hs_final_oneshot(hs, &d, out);
	/* LAST emptied the slot (also on failure): give it back. */
	aoff_hs_reset(hs);
	hs->failed = !ok;
	return ok;
}

int aoff_hs_init_hmac(struct aoff_hs *hs, const struct aoff_hs_alg *alg,
		      const uint8_t *key, size_t keylen)
{
	aoff_hs_release(hs);
	hs->alg = alg;
	hs->hmac = 1;
	if (keylen <= aoff_hs_alg_of(hs)->blk) {
		memcpy(hs->k0, key, keylen);
		hs->k0len = keylen;
		return 1;
	}
	/* RFC 2104: a key longer than the block is hashed first. */
	{
		struct aoff_hs kh;
		int ok;

		aoff_hs_init(&kh, alg);
		ok = aoff_hs_update(&kh, key, keylen) &&
		     aoff_hs_final(&kh, hs->k0);
		aoff_hs_release(&kh);
		hs->k0len = ok ? aoff_hs_alg_of(hs)->dlen : 0;
		return ok;
	}
}

int aoff_hs_dup(struct aoff_hs *dst, const struct aoff_hs *src)
{
	*dst = *src;
	dst->log = NULL;
	dst->logcap = 0;
	if (src->sw) {
		/* In-process state: an ordinary copy. */
		dst->sw = EVP_MD_CTX_new();
		if (!dst->sw || !EVP_MD_CTX_copy_ex(dst->sw, src->sw)) {
			EVP_MD_CTX_free(dst->sw);
			dst->sw = NULL;
			dst->failed = 1;
			AOFF_RAISE(AOFF_R_NO_MEMORY, "hash stream copy");
			return 0;
		}
		/* Below the policy's size, the log goes with it. */
	}
	/* Share the slot; whichever copy goes on first keeps it. */
	if (dst->hsl)
		__atomic_add_fetch(&dst->hsl->refs, 1, __ATOMIC_ACQ_REL);
	if (src->loglen) {
		dst->log = OPENSSL_malloc(src->loglen);
		if (!dst->log) {
			hs_drop_slot(dst);
			hs_drop_sw(dst);
			AOFF_RAISE(AOFF_R_NO_MEMORY, "hash stream copy");
			return 0;
		}
		memcpy(dst->log, src->log, src->loglen);
		dst->logcap = src->loglen;
	}
	return 1;
}
