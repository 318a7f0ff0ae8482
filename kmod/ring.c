// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: the submission and completion rings.
 *
 * Index ownership (see the uapi header):
 *   sq_tail, cq_head   written by user space: read with acquire, clamped;
 *   sq_head, cq_tail   written by the kernel from private copies
 *                      (ctx->sq_head, ctx->cq_tail), published with release.
 *
 * Admission: ctx->accepted counts consumed SQEs.  A consumed SQE owns a CQ
 * slot until user space moves the CQ head past its CQE, so
 * accepted - cq_head <= cq_entries always holds for an honest user and a
 * completion never overwrites an unconsumed CQE.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "aoff.h"
#include "trace.h"

/*
 * The CQ head as user space last published it, clamped to
 * [cq_tail - cq_entries, cq_tail].  Acquire pairs with user space's
 * store-release of the head after it has read the CQEs: once we see the
 * new head, we may overwrite those slots.
 */
static u32 aoff_cq_head(struct aoff_ctx *ctx, u32 tail)
{
	u32 head;

	/* Pairs with user space's store-release of the CQ head. */
	head = smp_load_acquire(&ctx->region.ctrl->cq_head);

	if ((s32)(tail - head) < 0)
		return tail;
	if (tail - head > ctx->cq_entries)
		return tail - ctx->cq_entries;
	return head;
}

/* CQEs posted and not yet consumed. */
static u32 aoff_cq_pending(struct aoff_ctx *ctx)
{
	/*
	 * Pairs with the release of ctx->cq_tail in aoff_req_complete(): a
	 * waiter that counts a CQE here also sees it published in the
	 * region, so user space finds it when the wait returns.
	 */
	u32 tail = smp_load_acquire(&ctx->cq_tail);

	return tail - aoff_cq_head(ctx, tail);
}

/*
 * CQ slots not reserved by an accepted request; under setup_lock (the SQ
 * poller also calls it without, as a hint it re-checks under the lock).
 */
u32 aoff_cq_space(struct aoff_ctx *ctx)
{
	/*
	 * cq_tail only grows under us; an old value gives a lower clamp for
	 * the head and so a smaller, safe answer.
	 */
	u32 head = aoff_cq_head(ctx, READ_ONCE(ctx->cq_tail));
	u32 used = READ_ONCE(ctx->accepted) - head;

	return used >= ctx->cq_entries ? 0 : ctx->cq_entries - used;
}

/*
 * SQEs user space has published and we have not consumed, clamped; under
 * setup_lock.
 */
u32 aoff_sq_ready(struct aoff_ctx *ctx)
{
	/* Pairs with user space's store-release of the tail after the SQEs. */
	u32 tail = smp_load_acquire(&ctx->region.ctrl->sq_tail);
	u32 ready = tail - ctx->sq_head;

	return min(ready, ctx->sq_entries);
}

/*
 * Posts one CQE and gives the request back.  Any context (the engines, the
 * service-time hrtimers in hard-IRQ context, the reset), hence irqsave.
 */
void aoff_req_complete(struct aoff_req *req, s32 res)
{
	struct aoff_ctx *ctx = req->ctx;
	struct aoff_stats *st = &ctx->dev->stats;
	struct aoff_cqe *cqe;
	unsigned long flags;

	if (res < 0) {
		atomic64_inc(&st->errors);
		atomic64_inc(&st->class_errors[req->op_class]);
	} else {
		atomic64_add(req->sqe.in_len, &st->bytes);
	}
	atomic64_inc(&st->class_completed[req->op_class]);
	atomic64_inc(&st->completed);
	trace_aoff_req_complete(req, res);

	spin_lock_irqsave(&ctx->cq_lock, flags);
	cqe = &ctx->region.cqes[ctx->cq_tail & (ctx->cq_entries - 1)];
	WRITE_ONCE(cqe->user_data, req->sqe.user_data);
	WRITE_ONCE(cqe->res, res);
	WRITE_ONCE(cqe->flags, 0);
	/* Publish the CQE; pairs with user space's load-acquire of the tail. */
	smp_store_release(&ctx->region.ctrl->cq_tail, ctx->cq_tail + 1);
	/*
	 * Our own copy only after the region's.  A waiter in ENTER or poll()
	 * reads it without cq_lock, possibly woken for something else (the
	 * EPOLLOUT of a consumed SQ); had it seen this copy first, it could
	 * return to user space while the region still showed the old tail,
	 * and a wait for one CQE would end with none (seen under TCG on the
	 * sanitizer kernel, where a vCPU can stop between the two stores).
	 */
	smp_store_release(&ctx->cq_tail, ctx->cq_tail + 1);
	req->live = false;
	list_add(&req->node, &ctx->free);
	spin_unlock_irqrestore(&ctx->cq_lock, flags);

	aoff_irq_raise(ctx);
}

static struct aoff_req *aoff_req_get(struct aoff_ctx *ctx)
{
	struct aoff_req *req;

	/* Admission guarantees one: in flight + pending <= cq_entries. */
	spin_lock_irq(&ctx->cq_lock);
	req = list_first_entry_or_null(&ctx->free, struct aoff_req, node);
	if (req) {
		list_del(&req->node);
		req->live = true;
	}
	spin_unlock_irq(&ctx->cq_lock);
	return req;
}

/*
 * Consumes up to @want SQEs; under setup_lock.  Returns how many.  Used by
 * the doorbell and by the SQ poller (sqpoll.c), with the same admission.
 */
u32 aoff_sq_submit(struct aoff_ctx *ctx, u32 want)
{
	struct aoff_sqe *sqe;
	struct aoff_req *req;
	LIST_HEAD(batch);
	u32 n, i;
	int ret;

	n = min3(want, aoff_sq_ready(ctx), aoff_cq_space(ctx));
	for (i = 0; i < n; i++) {
		req = aoff_req_get(ctx);
		if (WARN_ON_ONCE(!req))
			break;
		/*
		 * One copy; user space may rewrite the slot at any time, so
		 * everything after this looks at req->sqe only.
		 */
		sqe = &ctx->region.sqes[(ctx->sq_head + i) & (ctx->sq_entries - 1)];
		memcpy(&req->sqe, sqe, sizeof(req->sqe));
		req->op_class = aoff_op_class(req->sqe.opcode);
		atomic64_inc(&ctx->dev->stats.class_submitted[req->op_class]);
		aoff_trace_submit(req);
		/* Read locklessly by the interrupt model (aoff_ctx_idle). */
		WRITE_ONCE(ctx->accepted, ctx->accepted + 1);

		ret = aoff_op_prep(ctx, req);
		req->res = ret;
		if (ret && !aoff_op_in_order(ctx, req))
			aoff_req_complete(req, ret);
		else
			list_add_tail(&req->node, &batch);
	}
	atomic64_add(i, &ctx->dev->stats.submitted);
	WRITE_ONCE(ctx->sq_head, ctx->sq_head + i);
	/*
	 * The slots are copied: hand them back.  Pairs with user space's
	 * load-acquire of the SQ head before it rewrites a slot.
	 */
	smp_store_release(&ctx->region.ctrl->sq_head, ctx->sq_head);
	aoff_engine_queue(ctx, &batch);
	/* The SQ has room again: EPOLLOUT. */
	if (i && wq_has_sleeper(&ctx->wait))
		wake_up_interruptible_poll(&ctx->wait, EPOLLOUT | EPOLLWRNORM);
	return i;
}

static bool aoff_cq_wait_done(struct aoff_ctx *ctx, u32 min_complete)
{
	return aoff_cq_pending(ctx) >= min_complete ||
	       READ_ONCE(ctx->state) == AOFF_CTX_BROKEN;
}

static int aoff_cq_wait(struct aoff_ctx *ctx, const struct aoff_enter *e)
{
	ktime_t timeout = KTIME_MAX;
	int ret;

	if (e->flags & AOFF_ENTER_F_TIMEOUT)
		timeout = ns_to_ktime(min_t(u64, e->timeout_ns, KTIME_MAX));

	ret = wait_event_interruptible_hrtimeout(ctx->wait,
						 aoff_cq_wait_done(ctx, e->min_complete),
						 timeout);
	/* Never restart: the submission already happened. */
	if (ret == -ERESTARTSYS)
		return -EINTR;
	if (!ret && READ_ONCE(ctx->state) == AOFF_CTX_BROKEN &&
	    aoff_cq_pending(ctx) < e->min_complete)
		return -EIO;
	return ret;
}

long aoff_ring_enter(struct aoff_ctx *ctx, struct aoff_enter __user *uarg)
{
	struct aoff_enter e;
	u32 submitted = 0;
	bool rewatch = false;
	long ret;

	if (copy_from_user(&e, uarg, sizeof(e)))
		return -EFAULT;
	/* e.submitted is output only: a reused struct carries the last one. */
	if ((e.flags & ~AOFF_ENTER_F_ALL) || e.resv[0] || e.resv[1])
		return -EINVAL;
	if (!(e.flags & AOFF_ENTER_F_TIMEOUT) && e.timeout_ns)
		return -EINVAL;

	mutex_lock(&ctx->setup_lock);
	if (ctx->state == AOFF_CTX_NEW) {
		ret = -EBADFD;
	} else if (ctx->state == AOFF_CTX_BROKEN) {
		ret = -EIO;
	} else if (e.min_complete > ctx->cq_entries) {
		ret = -EINVAL;
	} else {
		ret = 0;
		if (e.to_submit && aoff_sq_ready(ctx)) {
			submitted = aoff_sq_submit(ctx, e.to_submit);
			if (!submitted) {
				atomic64_inc(&ctx->dev->stats.queue_full);
				ret = -EAGAIN;
			}
		}
		if (ctx->sqpoll) {
			/* Activity: the poller's idle time starts again. */
			WRITE_ONCE(ctx->sq_active_ns, ktime_get_ns());
			/* Stable under setup_lock (see struct aoff_ctx). */
			rewatch = list_empty(&ctx->sq_node);
		}
	}
	mutex_unlock(&ctx->setup_lock);

	/* Not watched: make the device watch the SQ again (sqpoll.c). */
	if (rewatch)
		aoff_sqpoll_doorbell(ctx);

	if (!ret && e.min_complete)
		ret = aoff_cq_wait(ctx, &e);

	/* On EFAULT here the SQ head still tells what was consumed. */
	if (put_user(submitted, &uarg->submitted))
		return -EFAULT;
	return ret ? ret : submitted;
}

__poll_t aoff_ring_poll_mask(struct aoff_ctx *ctx)
{
	__poll_t mask = 0;
	unsigned int state;
	u32 sq_used;

	/* No lock here: pairs with the release that publishes the region. */
	state = smp_load_acquire(&ctx->state);

	if (state == AOFF_CTX_NEW)
		return 0;
	if (state == AOFF_CTX_BROKEN)
		mask |= EPOLLERR;
	if (aoff_cq_pending(ctx))
		mask |= EPOLLIN | EPOLLRDNORM;
	sq_used = READ_ONCE(ctx->region.ctrl->sq_tail) - READ_ONCE(ctx->sq_head);
	if (sq_used < ctx->sq_entries)
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}
