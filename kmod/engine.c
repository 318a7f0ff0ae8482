// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: the engines and the service-time model.
 *
 * The model is a device with N engines behind one arbiter and deep queues,
 * as real crypto accelerators have:
 *
 *   - Arbitration.  Each context has one work item on the device's
 *     workqueue (unbound, max_active = N).  It takes an engine, serves at
 *     most AOFF_ENGINE_BATCH of the context's requests in submission order
 *     and requeues itself behind the other contexts: round-robin between
 *     contexts without any scan, and one context is never on two engines
 *     at once (so dependent requests may be submitted together).
 *
 *   - Service time.  A request occupies its engine for in_len * ns_per_kib
 *     / 1024 ns (moving and transforming data: the engine's bandwidth),
 *     at most AOFF_ENGINE_XFER_MAX_NS, then spends latency_ns in the
 *     pipeline (descriptor fetch, DMA
 *     set-up, completion write) during which the engine already works on
 *     the next request.  So with latency L, no per-byte cost and J
 *     requests in flight the device completes J requests per L: service
 *     times overlap, they do not add up per engine.  The per-byte cost is
 *     what saturates an engine.  Only work really done is charged: a
 *     request that failed (validation kept for ordering, an injected
 *     fault, an operation error) read no input and occupies no engine
 *     time; otherwise a garbage in_len would buy minutes of engine time.
 *     The cap bounds what any single request, valid or not, can hold an
 *     engine for, whatever ns_per_kib and the data area allow.
 *
 *   - No CPU is burnt for modelled time.  The real crypto runs at once on
 *     the engine; the result is held back by a per-request hrtimer that
 *     fires at the modelled end of service and posts the CQE from there
 *     (hard-IRQ context, like a device writing its completion).  Thousands
 *     of requests in flight are thousands of queued timers, nothing more.
 *
 *   - Bounded run-ahead.  An engine accepts a new request only while its
 *     backlog (busy_until - now) is below AOFF_ENGINE_LOOKAHEAD_NS; past
 *     that, the context's work item parks itself on a "kick" hrtimer that
 *     requeues it when the engine has room.  A flooding context therefore
 *     cannot pile seconds of modelled work in front of another context's
 *     single request: arbitration happens when an engine is ready, as in
 *     hardware.  A context that was just served parks for the moment the
 *     engine is ready minus half the run-ahead, one that got nothing for
 *     the full run-ahead, so the kick of a waiting context fires first and
 *     engine time alternates per request, not per queue.  A request thus
 *     waits at most about AOFF_ENGINE_XFER_MAX_NS plus the run-ahead for
 *     every other context with work on its engine.  A stall (fault
 *     injection) works the same way: engines take nothing until
 *     stall_until.
 *
 * Cancellation (reset, release) sets ctx->cancel under queue_lock: queued
 * requests are completed with -ECANCELED at once, a request an engine is
 * finishing sees the flag when it would arm its timer, and armed timers
 * are cancelled (hrtimer_try_to_cancel() tells who completes the request,
 * so each one completes exactly once).
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "ops.h"
#include "trace.h"

#define AOFF_ENGINE_BATCH		16
#define AOFF_ENGINE_LOOKAHEAD_NS	(100 * NSEC_PER_USEC)
/* The longest one request occupies an engine (documented in model.md). */
#define AOFF_ENGINE_XFER_MAX_NS		NSEC_PER_SEC

struct aoff_engine *aoff_engine_alloc(unsigned int id)
{
	struct aoff_engine *eng;
	int ret;

	eng = kzalloc(sizeof(*eng), GFP_KERNEL);
	if (!eng)
		return ERR_PTR(-ENOMEM);
	mutex_init(&eng->lock);
	eng->id = id;
	ret = aoff_sha256_init(eng);
	if (ret)
		goto err_free;
	ret = aoff_hmac_init(eng);
	if (ret)
		goto err_sha256;
	ret = aoff_aes_init(eng);
	if (ret)
		goto err_hmac;
	ret = aoff_sha512_init(eng);
	if (ret)
		goto err_aes;
	ret = aoff_aead_init(eng);
	if (ret)
		goto err_sha512;
	return eng;

err_sha512:
	aoff_sha512_exit(eng);
err_aes:
	aoff_aes_exit(eng);
err_hmac:
	aoff_hmac_exit(eng);
err_sha256:
	aoff_sha256_exit(eng);
err_free:
	mutex_destroy(&eng->lock);
	kfree(eng);
	return ERR_PTR(ret);
}

void aoff_engine_free(struct aoff_engine *eng)
{
	if (!eng)
		return;
	aoff_aead_exit(eng);
	aoff_sha512_exit(eng);
	aoff_aes_exit(eng);
	aoff_hmac_exit(eng);
	aoff_sha256_exit(eng);
	mutex_destroy(&eng->lock);
	kfree_sensitive(eng);
}

static struct aoff_req *aoff_engine_next(struct aoff_ctx *ctx)
{
	struct aoff_req *req = NULL;

	spin_lock(&ctx->queue_lock);
	if (!ctx->dying) {
		req = list_first_entry_or_null(&ctx->queue, struct aoff_req,
					       node);
		if (req)
			list_del(&req->node);
	}
	spin_unlock(&ctx->queue_lock);
	return req;
}

/* End of the modelled service time: post the CQE (hard-IRQ context). */
static enum hrtimer_restart aoff_req_timer(struct hrtimer *t)
{
	struct aoff_req *req = container_of(t, struct aoff_req, timer);

	aoff_req_complete(req, READ_ONCE(req->ctx->cancel) ? -ECANCELED :
			  req->res);
	return HRTIMER_NORESTART;
}

static enum hrtimer_restart aoff_ctx_kick(struct hrtimer *t)
{
	struct aoff_ctx *ctx = container_of(t, struct aoff_ctx, kick);

	queue_work(ctx->dev->wq, &ctx->work);
	return HRTIMER_NORESTART;
}

/*
 * Holds the result until @deadline.  The check of ctx->cancel and the
 * arming are one step under queue_lock, which the canceller takes to set
 * the flag: either it sees the armed timer or we see the flag.
 */
static void aoff_engine_finish(struct aoff_req *req, u64 deadline, u64 now)
{
	struct aoff_ctx *ctx = req->ctx;
	bool now_done = true;
	s32 res = req->res;

	spin_lock(&ctx->queue_lock);
	if (ctx->cancel) {
		res = -ECANCELED;
	} else if (deadline > now) {
		hrtimer_start(&req->timer, ns_to_ktime(deadline),
			      HRTIMER_MODE_ABS);
		now_done = false;
	}
	spin_unlock(&ctx->queue_lock);
	if (now_done)
		aoff_req_complete(req, res);
}

static void aoff_engine_serve(struct aoff_device *dev, struct aoff_engine *eng,
			      struct aoff_req *req)
{
	u64 npk = READ_ONCE(dev->params.ns_per_kib);
	u64 latency = READ_ONCE(dev->params.latency_ns);
	u64 now, start, xfer;

	/* A prep error kept for ordering (aoff_op_in_order) skips the op. */
	if (!req->res)
		req->res = aoff_fault_fail(dev) ? -EIO : aoff_op_issue(eng, req);
	if (req->res < 0)
		aoff_op_abort(req);

	now = ktime_get_ns();
	start = max3(now, eng->busy_until, READ_ONCE(dev->stall_until));
	/* Failed: nothing was read, no engine time (see the top comment). */
	xfer = 0;
	if (req->res >= 0)
		xfer = min_t(u64, ((u64)req->sqe.in_len * npk) >> 10,
			     AOFF_ENGINE_XFER_MAX_NS);
	eng->busy_until = start + xfer;
	trace_aoff_req_start(req, eng->id, start);
	aoff_engine_finish(req, start + xfer + latency, now);
}

static void aoff_engine_work(struct work_struct *work)
{
	struct aoff_ctx *ctx = container_of(work, struct aoff_ctx, work);
	struct aoff_device *dev = ctx->dev;
	struct aoff_engine *eng;
	struct aoff_req *req;
	u64 ready, now, kick_at = 0;
	unsigned int n, nr;
	bool more;

	/* Pairs with the release that publishes a new engine count. */
	nr = smp_load_acquire(&dev->nr_engines);
	eng = dev->engines[(unsigned int)atomic_inc_return(&dev->engine_rr) % nr];

	mutex_lock(&eng->lock);
	for (n = 0; n < AOFF_ENGINE_BATCH; n++) {
		now = ktime_get_ns();
		ready = max(eng->busy_until, READ_ONCE(dev->stall_until));
		if (ready > now + AOFF_ENGINE_LOOKAHEAD_NS) {
			/* Served already: let a waiting context go first. */
			kick_at = ready - (n ? AOFF_ENGINE_LOOKAHEAD_NS / 2 :
					   AOFF_ENGINE_LOOKAHEAD_NS);
			break;
		}
		req = aoff_engine_next(ctx);
		if (!req)
			break;
		aoff_engine_serve(dev, eng, req);
	}
	mutex_unlock(&eng->lock);

	spin_lock(&ctx->queue_lock);
	more = !ctx->dying && !list_empty(&ctx->queue);
	if (more && kick_at)
		hrtimer_start(&ctx->kick, ns_to_ktime(kick_at), HRTIMER_MODE_ABS);
	spin_unlock(&ctx->queue_lock);
	if (more && !kick_at)
		queue_work(dev->wq, &ctx->work);
}

void aoff_engine_ctx_init(struct aoff_ctx *ctx)
{
	spin_lock_init(&ctx->queue_lock);
	INIT_LIST_HEAD(&ctx->queue);
	INIT_WORK(&ctx->work, aoff_engine_work);
	hrtimer_init(&ctx->kick, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	ctx->kick.function = aoff_ctx_kick;
}

void aoff_engine_req_init(struct aoff_req *req)
{
	hrtimer_init(&req->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	req->timer.function = aoff_req_timer;
}

/* Hands a batch of validated requests to the engines. */
void aoff_engine_queue(struct aoff_ctx *ctx, struct list_head *reqs)
{
	if (list_empty(reqs))
		return;
	spin_lock(&ctx->queue_lock);
	list_splice_tail_init(reqs, &ctx->queue);
	spin_unlock(&ctx->queue_lock);
	queue_work(ctx->dev->wq, &ctx->work);
}

/*
 * Completes every request in flight with -ECANCELED (device reset).  The
 * caller has stopped new submissions (the context is broken).
 */
void aoff_engine_ctx_cancel(struct aoff_ctx *ctx)
{
	struct aoff_req *req, *tmp;
	LIST_HEAD(queued);
	u32 i;

	spin_lock(&ctx->queue_lock);
	ctx->cancel = true;
	list_splice_init(&ctx->queue, &queued);
	spin_unlock(&ctx->queue_lock);

	list_for_each_entry_safe(req, tmp, &queued, node) {
		list_del(&req->node);
		aoff_req_complete(req, -ECANCELED);
	}
	/* 1: we dequeued an armed timer and own the completion. */
	for (i = 0; i < ctx->cq_entries; i++)
		if (hrtimer_try_to_cancel(&ctx->reqs[i].timer) == 1)
			aoff_req_complete(&ctx->reqs[i], -ECANCELED);
}

void aoff_engine_ctx_stop(struct aoff_ctx *ctx)
{
	u32 i, dropped;

	spin_lock(&ctx->queue_lock);
	ctx->dying = true;
	ctx->cancel = true;
	/*
	 * Queued requests never run.  Nobody can read their CQEs any more
	 * (the fd and every mapping are gone), so they are just dropped;
	 * their memory is the context's request array, freed by the caller.
	 */
	INIT_LIST_HEAD(&ctx->queue);
	spin_unlock(&ctx->queue_lock);
	/* A running instance cannot requeue or park itself once dying... */
	cancel_work_sync(&ctx->work);
	/* ...but a kick armed before may still queue it once more. */
	hrtimer_cancel(&ctx->kick);
	cancel_work_sync(&ctx->work);
	for (i = 0; i < ctx->cq_entries; i++)
		hrtimer_cancel(&ctx->reqs[i].timer);
	/* Nothing completes any more: the rest counts as failed. */
	dropped = ctx->accepted - ctx->cq_tail;
	atomic64_add(dropped, &ctx->dev->stats.completed);
	atomic64_add(dropped, &ctx->dev->stats.errors);
}
