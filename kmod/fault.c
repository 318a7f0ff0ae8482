// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: fault injection and the device reset.
 *
 *   fail_every N  every Nth request an engine takes (counted from when the
 *                 attribute was written) completes with -EIO without
 *                 running;
 *   fail_ppm P    each request fails so with probability P / 1e6;
 *   stall_ms T    the engines start no request for T ms (queued requests
 *                 wait; those already in service finish as modelled);
 *                 writing 0 ends a stall at once;
 *   reset         every live context breaks: its requests in flight
 *                 complete with -ECANCELED, it refuses new work, poll
 *                 reports EPOLLERR.  The engines and contexts opened
 *                 afterwards work at once.
 */
#include <linux/ktime.h>
#include <linux/random.h>

#include "ops.h"

bool aoff_fault_fail(struct aoff_device *dev)
{
	u32 every = READ_ONCE(dev->params.fail_every);
	u32 ppm = READ_ONCE(dev->params.fail_ppm);

	if (every && (u32)atomic_inc_return(&dev->fail_seq) % every == 0)
		return true;
	return ppm && get_random_u32_below(1000000) < ppm;
}

void aoff_device_stall(struct aoff_device *dev, u64 ms)
{
	struct aoff_ctx *ctx;

	WRITE_ONCE(dev->stall_until, ms ? ktime_get_ns() + ms * NSEC_PER_MSEC : 0);
	if (ms)
		return;
	/* Ended early: contexts parked until the old end resume now. */
	mutex_lock(&dev->ctx_lock);
	list_for_each_entry(ctx, &dev->ctxs, dev_node)
		queue_work(dev->wq, &ctx->work);
	mutex_unlock(&dev->ctx_lock);
}

/*
 * Breaks one context; see aoff_ctx_set_broken().  sqpoll_lock first (the
 * lock order): the SQ poller lets go of a broken context at once.
 */
static void aoff_ctx_reset(struct aoff_ctx *ctx)
{
	struct aoff_device *dev = ctx->dev;
	bool broke = false;

	mutex_lock(&dev->sqpoll_lock);
	mutex_lock(&ctx->setup_lock);
	if (ctx->state == AOFF_CTX_LIVE) {
		aoff_ctx_set_broken(ctx);
		aoff_sqpoll_ctx_stop(ctx);
		/* No submission can come in now: complete what is left. */
		aoff_engine_ctx_cancel(ctx);
		broke = true;
	}
	mutex_unlock(&ctx->setup_lock);
	mutex_unlock(&dev->sqpoll_lock);
	if (broke) {
		wake_up_interruptible_all(&ctx->wait);
		aoff_irq_fire(ctx);
	}
}

void aoff_device_reset(struct aoff_device *dev)
{
	struct aoff_ctx *ctx;
	unsigned int i;

	mutex_lock(&dev->cfg_lock);
	WRITE_ONCE(dev->stall_until, 0);
	mutex_lock(&dev->ctx_lock);
	list_for_each_entry(ctx, &dev->ctxs, dev_node)
		aoff_ctx_reset(ctx);
	mutex_unlock(&dev->ctx_lock);
	/* The engines forget their backlog (it belonged to the dead work). */
	for (i = 0; i < dev->nr_engines; i++) {
		mutex_lock(&dev->engines[i]->lock);
		dev->engines[i]->busy_until = 0;
		aoff_engine_put(dev, dev->engines[i]);
	}
	mutex_unlock(&dev->cfg_lock);
	atomic64_inc(&dev->stats.resets);
	pr_info("%s: reset\n", dev->name);
}
