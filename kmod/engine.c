// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: the engines.
 *
 * A device's engines are its workqueue (unbound, max_active = engines).
 * Each context has one work item that serves at most AOFF_ENGINE_BATCH of
 * its requests and then requeues itself behind the other contexts, so a
 * busy context cannot starve the rest: round-robin without any scan.
 *
 * Stopping (release): mark the context dying, cancel its work item and
 * wait for a running instance, then give back what is still queued.  After
 * aoff_engine_ctx_stop() no engine touches the context.
 */
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "aoff.h"

#define AOFF_ENGINE_BATCH	16

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

static void aoff_engine_work(struct work_struct *work)
{
	struct aoff_ctx *ctx = container_of(work, struct aoff_ctx, work);
	struct aoff_req *req;
	unsigned int n;
	bool more;

	for (n = 0; n < AOFF_ENGINE_BATCH; n++) {
		req = aoff_engine_next(ctx);
		if (!req)
			return;
		aoff_req_complete(req, aoff_op_issue(req));
	}

	spin_lock(&ctx->queue_lock);
	more = !ctx->dying && !list_empty(&ctx->queue);
	spin_unlock(&ctx->queue_lock);
	if (more)
		queue_work(ctx->dev->wq, &ctx->work);
}

void aoff_engine_ctx_init(struct aoff_ctx *ctx)
{
	spin_lock_init(&ctx->queue_lock);
	INIT_LIST_HEAD(&ctx->queue);
	INIT_WORK(&ctx->work, aoff_engine_work);
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

void aoff_engine_ctx_stop(struct aoff_ctx *ctx)
{
	spin_lock(&ctx->queue_lock);
	ctx->dying = true;
	spin_unlock(&ctx->queue_lock);
	/* Waits for a running instance; it cannot requeue once dying. */
	cancel_work_sync(&ctx->work);
	/*
	 * What is left never runs.  Nobody can read its CQEs any more (the
	 * fd and every mapping are gone), so the requests are just dropped;
	 * their memory is the context's request array, freed by the caller.
	 */
	spin_lock(&ctx->queue_lock);
	INIT_LIST_HEAD(&ctx->queue);
	spin_unlock(&ctx->queue_lock);
}
