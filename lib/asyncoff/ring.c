// SPDX-License-Identifier: Apache-2.0
/*
 * libasyncoff: the rings from user space.
 *
 * Ordering (the driver's kmod/ring.c is the other side):
 *   SQ  we write an SQE, then store-release the SQ tail; the driver
 *       load-acquires the tail before it copies the SQE.  We load-acquire
 *       the SQ head (the driver store-releases it once it has copied the
 *       SQEs) before we hand a slot out again.
 *   CQ  we load-acquire the CQ tail (the driver store-releases it after
 *       writing the CQE) before reading CQEs, and store-release the CQ head
 *       after reading them; the driver load-acquires the head before it
 *       reuses those slots.
 *   SQPOLL  after the store-release of the SQ tail, a full fence, then the
 *       status word: NEED_WAKEUP set means the device stopped watching and
 *       needs the doorbell (see aoff_sqpoll_needs_doorbell()).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "ctx_local.h"

static inline uint32_t aoff_load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void aoff_store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

AOFF_EXPORT unsigned int aoff_sq_space(const struct aoff_ctx *ctx)
{
	/* Pairs with the driver's store-release of the SQ head. */
	return ctx->sq_entries - (ctx->sq_tail - aoff_load_acquire(ctx->k_sq_head));
}

AOFF_EXPORT struct aoff_sqe *aoff_get_sqe(struct aoff_ctx *ctx)
{
	struct aoff_sqe *sqe;

	if (!aoff_sq_space(ctx))
		return NULL;
	sqe = &ctx->sqes[ctx->sq_tail & ctx->sq_mask];
	memset(sqe, 0, sizeof(*sqe));
	ctx->sq_tail++;
	return sqe;
}

int aoff_enter(struct aoff_ctx *ctx, uint32_t to_submit,
	       uint32_t min_complete, int64_t timeout_ns)
{
	struct aoff_enter e;
	int ret;

	memset(&e, 0, sizeof(e));
	e.to_submit = to_submit;
	e.min_complete = min_complete;
	if (min_complete && timeout_ns >= 0) {
		e.flags = AOFF_ENTER_F_TIMEOUT;
		e.timeout_ns = (uint64_t)timeout_ns;
	}
	ctx->syscalls++;
	ret = ioctl(ctx->fd, AOFF_IOC_ENTER, &e);
	if (ret < 0)
		return -errno;
	return ret;
}

/*
 * SQPOLL, after the SQ tail was published: does the device need the
 * doorbell to see it?
 *
 * The fence is the user-space half of the pair the uapi header draws: the
 * driver, when it stops watching, sets NEED_WAKEUP, issues smp_mb() and
 * reads the SQ tail again.  Without a full fence here our tail store could
 * still sit in the store buffer while we load the status (store->load is
 * the one reordering even x86 allows): we would read "watching", the
 * driver would read the old tail, and the SQE would wait forever.  With
 * both fences at least one side sees the other's store: either we see
 * NEED_WAKEUP and ring, or the driver sees our tail and consumes it.
 * A broken context sets NEED_WAKEUP too; BROKEN is tested as well so the
 * doorbell reports EIO as on any other context.
 */
static int aoff_sqpoll_needs_doorbell(const struct aoff_ctx *ctx)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return !!(__atomic_load_n(ctx->k_status, __ATOMIC_RELAXED) &
		  (AOFF_STATUS_NEED_WAKEUP | AOFF_STATUS_BROKEN));
}

AOFF_EXPORT unsigned int aoff_sq_pending(const struct aoff_ctx *ctx)
{
	/* Pairs with the driver's store-release of the SQ head. */
	return ctx->sq_tail - aoff_load_acquire(ctx->k_sq_head);
}

/* Submit and wait; *@rang: whether a system call was made. */
static int aoff_submit_common(struct aoff_ctx *ctx, unsigned int wait_nr,
			      int64_t timeout_ns, unsigned int flags,
			      int *rang)
{
	uint32_t pending = aoff_sq_pending(ctx);

	*rang = 0;
	if (pending)
		/* Publish the SQEs; pairs with the driver's load-acquire. */
		aoff_store_release(ctx->k_sq_tail, ctx->sq_tail);
	if (wait_nr && aoff_cq_ready(ctx) >= wait_nr)
		wait_nr = 0;
	if (!pending && !wait_nr)
		return 0;	/* nothing to ring the doorbell for */
	if (ctx->sqpoll && !wait_nr && !(flags & AOFF_SUBMIT_F_DOORBELL) &&
	    !aoff_sqpoll_needs_doorbell(ctx)) {
		/* The device is watching: it takes them by itself. */
		ctx->doorbells_saved++;
		return (int)pending;
	}
	*rang = 1;
	return aoff_enter(ctx, pending, wait_nr, timeout_ns);
}

AOFF_EXPORT int aoff_submit_and_wait(struct aoff_ctx *ctx, unsigned int wait_nr,
				     int64_t timeout_ns)
{
	int rang;

	return aoff_submit_common(ctx, wait_nr, timeout_ns, 0, &rang);
}

AOFF_EXPORT int aoff_submit(struct aoff_ctx *ctx)
{
	return aoff_submit_and_wait(ctx, 0, -1);
}

AOFF_EXPORT int aoff_submit_flags(struct aoff_ctx *ctx, unsigned int flags,
				  int *rang)
{
	int dummy;

	if (flags & ~AOFF_SUBMIT_F_DOORBELL)
		return -EINVAL;
	return aoff_submit_common(ctx, 0, -1, flags, rang ? rang : &dummy);
}

AOFF_EXPORT int aoff_wait_cq(struct aoff_ctx *ctx, unsigned int wait_nr,
			     int64_t timeout_ns)
{
	if (!wait_nr || aoff_cq_ready(ctx) >= wait_nr)
		return 0;
	return aoff_enter(ctx, 0, wait_nr, timeout_ns);
}

AOFF_EXPORT unsigned int aoff_cq_ready(const struct aoff_ctx *ctx)
{
	/* Pairs with the driver's store-release of the CQ tail. */
	return aoff_load_acquire(ctx->k_cq_tail) - ctx->cq_head;
}

AOFF_EXPORT unsigned int aoff_cq_ready_any_thread(const struct aoff_ctx *ctx)
{
	/*
	 * Head first (pairs with the user thread's store-release in
	 * aoff_cq_advance()), then the tail (pairs with the driver's): the
	 * user can only have moved the head up to a tail we then see, so the
	 * difference never wraps.  It may still count CQEs the user is
	 * consuming at this moment; a watcher then wakes it for nothing,
	 * which is harmless, while a CQE is never missed.
	 */
	uint32_t head = aoff_load_acquire(ctx->k_cq_head);

	return aoff_load_acquire(ctx->k_cq_tail) - head;
}

AOFF_EXPORT int aoff_peek_cqe(struct aoff_ctx *ctx, struct aoff_cqe **cqe)
{
	if (!aoff_cq_ready(ctx))
		return -EAGAIN;
	*cqe = &ctx->cqes[ctx->cq_head & ctx->cq_mask];
	return 0;
}

AOFF_EXPORT unsigned int aoff_peek_batch_cqe(struct aoff_ctx *ctx,
					     struct aoff_cqe **cqes,
					     unsigned int max)
{
	unsigned int n = aoff_cq_ready(ctx), i;

	if (n > max)
		n = max;
	for (i = 0; i < n; i++)
		cqes[i] = &ctx->cqes[(ctx->cq_head + i) & ctx->cq_mask];
	return n;
}

AOFF_EXPORT void aoff_cq_advance(struct aoff_ctx *ctx, unsigned int nr)
{
	ctx->cq_head += nr;
	/* We are done with the CQEs: pairs with the driver's load-acquire. */
	aoff_store_release(ctx->k_cq_head, ctx->cq_head);
}

AOFF_EXPORT int aoff_wait_cqe(struct aoff_ctx *ctx, struct aoff_cqe **cqe,
			      int64_t timeout_ns)
{
	int ret;

	if (aoff_peek_cqe(ctx, cqe) == 0 && !aoff_sq_pending(ctx))
		return 0;
	ret = aoff_submit_and_wait(ctx, 1, timeout_ns);
	if (ret < 0)
		return ret;
	return aoff_peek_cqe(ctx, cqe);
}
