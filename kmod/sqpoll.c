// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: submission without a doorbell (AOFF_SETUP_F_SQPOLL).
 *
 * The model is a device that watches its queues in memory (NVMe shadow
 * doorbells, io_uring SQPOLL).  Each device has one poller: while at least
 * one context is watched, an hrtimer fires every sq_poll_usecs (sysfs; or
 * later, see AOFF_SQPOLL_REST_RATIO) and queues a pass on the device's
 * sqpoll workqueue.  Submission takes the context's setup_lock (a mutex),
 * hence the pass runs in process context and the timer only schedules it.
 *
 * A pass looks at every watched context:
 *   - SQEs ready and CQ room: lock, consume them as the doorbell would
 *     (aoff_sq_submit(), same admission);
 *   - SQEs ready but no CQ room: leave them (the CQ drains later) and keep
 *     watching: user space published them without a doorbell;
 *   - nothing ready, requests in flight: active, keep watching;
 *   - nothing ready, nothing in flight for sq_idle_us: stop watching,
 *     with the NEED_WAKEUP handshake below; but while a CQE waits for
 *     user space to consume it, for AOFF_SQPOLL_UNREAPED_NS at least.
 * An unconsumed CQE stretches the idle time because its owner is sure to
 * come back for it, and usually submits the next request when it does:
 * with thousands of contexts an application takes longer than the idle
 * time to get round to each one (10,000 jobs: some 200 ms under QEMU),
 * and a context given up in between costs a doorbell per request.  The
 * stretch is bounded so that a completion left behind for good (a job
 * abandoned) does not keep the poller ticking for the context's life.
 * The checks before the lock are lockless reads; an idle pass costs a few
 * loads per context and takes no context mutex.  Besides the passes,
 * poll() on a watched context consumes its SQ at once (aoff_sqpoll_poll).
 *
 * Stopping to watch, against user space submitting at the same time (the
 * uapi header's table):
 *
 *   kernel                              user space
 *   status |= NEED_WAKEUP               store-release SQ tail
 *   smp_mb()                            full fence
 *   load SQ tail                        load status
 *
 * Each side stores, fences, then loads what the other stored, so at least
 * one sees the other's store: either we see the new tail (clear the bit,
 * consume, keep watching) or user space sees NEED_WAKEUP and rings.
 *
 * The doorbell on an unwatched context clears NEED_WAKEUP and puts it on
 * the list again.  A reset takes broken contexts off the list (their
 * status already carries NEED_WAKEUP, so user space rings and learns EIO);
 * release takes the context off before anything is freed.  Both do it
 * under dev->sqpoll_lock, which a pass holds from start to end: once off
 * the list, the poller never touches the context again.
 */
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>

#include "aoff.h"

/*
 * The poller rests at least this many times as long as its last pass took,
 * so it never takes more than 1 / (1 + AOFF_SQPOLL_REST_RATIO) of a CPU.
 * A pass costs a few loads per watched context; with many thousands of
 * them it can outlast sq_poll_usecs, and a poller that then ran back to
 * back would take a whole CPU to find, in each context, at most one new
 * request.  Resting longer only makes the requests of a pass wait longer,
 * and each pass then finds more of them: the same work at less cost.  A
 * real device scans its queues with its own, just as bounded, bandwidth.
 */
#define AOFF_SQPOLL_REST_RATIO	3

static void aoff_sqpoll_arm(struct aoff_device *dev, u64 pass_ns)
{
	u64 period = (u64)READ_ONCE(dev->params.sq_poll_usecs) * NSEC_PER_USEC;

	period = max(period, pass_ns * AOFF_SQPOLL_REST_RATIO);
	hrtimer_start(&dev->sqpoll_timer, ns_to_ktime(period), HRTIMER_MODE_REL);
}

static enum hrtimer_restart aoff_sqpoll_timer(struct hrtimer *t)
{
	struct aoff_device *dev = container_of(t, struct aoff_device,
					       sqpoll_timer);

	queue_work(dev->sqpoll_wq, &dev->sqpoll_work);
	return HRTIMER_NORESTART;
}

/* Status bits are written only under setup_lock, so this RMW is safe. */
static void aoff_sqpoll_set_status(struct aoff_ctx *ctx, u32 set, u32 clear)
{
	u32 *status = &ctx->region.ctrl->status;

	lockdep_assert_held(&ctx->setup_lock);
	/* Pairs with user space's load of the status word. */
	smp_store_release(status, (READ_ONCE(*status) | set) & ~clear);
}

#define AOFF_SQPOLL_UNREAPED_NS	NSEC_PER_SEC

static bool aoff_sqpoll_in_flight(struct aoff_ctx *ctx)
{
	return READ_ONCE(ctx->accepted) != READ_ONCE(ctx->cq_tail);
}

/* Nothing submitted and nothing in flight for long enough to let go. */
static bool aoff_sqpoll_idle(struct aoff_ctx *ctx, u64 now)
{
	u64 idle_ns = ctx->sq_idle_ns;

	/* CQEs not consumed yet (see the top of the file). */
	if (aoff_cq_space(ctx) != ctx->cq_entries)
		idle_ns = max_t(u64, idle_ns, AOFF_SQPOLL_UNREAPED_NS);
	return (s64)(now - READ_ONCE(ctx->sq_active_ns)) >= (s64)idle_ns;
}

/* Consumes what is ready (under setup_lock); counts it as polled. */
static u32 aoff_sqpoll_submit(struct aoff_ctx *ctx)
{
	u32 n = aoff_sq_submit(ctx, U32_MAX);

	if (n)
		atomic64_add(n, &ctx->dev->stats.sq_polled);
	return n;
}

/*
 * One watched context, under sqpoll_lock and setup_lock.  Returns false
 * when the device stops watching it (the caller unlinks it).
 */
static bool aoff_sqpoll_ctx_locked(struct aoff_ctx *ctx, u64 now)
{
	if (ctx->state != AOFF_CTX_LIVE)
		return false;	/* broken: aoff_ctx_set_broken() set the bit */

	if (aoff_sqpoll_submit(ctx) || aoff_sq_ready(ctx) ||
	    aoff_sqpoll_in_flight(ctx)) {
		WRITE_ONCE(ctx->sq_active_ns, now);
		return true;
	}
	if (!aoff_sqpoll_idle(ctx, now))
		return true;

	aoff_sqpoll_set_status(ctx, AOFF_STATUS_NEED_WAKEUP, 0);
	/*
	 * Pairs with user space's full fence between its store-release of
	 * the SQ tail and its load of the status (see the top of the file):
	 * our store of NEED_WAKEUP is ordered before our load of the tail.
	 */
	smp_mb();
	if (aoff_sq_ready(ctx)) {
		/* It came in time without a doorbell: keep watching. */
		aoff_sqpoll_set_status(ctx, 0, AOFF_STATUS_NEED_WAKEUP);
		aoff_sqpoll_submit(ctx);
		WRITE_ONCE(ctx->sq_active_ns, now);
		return true;
	}
	return false;
}

/*
 * One watched context, under sqpoll_lock.  The lockless checks decide
 * whether the context needs its mutex at all: the SQ tail against our
 * SQ head, the CQ room, the in-flight count, the idle time.  A stale
 * answer only moves the work to the next pass, except the decision to
 * stop, which is re-checked under the lock.
 */
static bool aoff_sqpoll_ctx(struct aoff_ctx *ctx, u64 now)
{
	bool keep;

	if (READ_ONCE(ctx->state) == AOFF_CTX_LIVE) {
		if (READ_ONCE(ctx->region.ctrl->sq_tail) !=
		    READ_ONCE(ctx->sq_head)) {
			if (!aoff_cq_space(ctx)) {
				/* Left for when the CQ drains. */
				WRITE_ONCE(ctx->sq_active_ns, now);
				return true;
			}
		} else if (aoff_sqpoll_in_flight(ctx)) {
			WRITE_ONCE(ctx->sq_active_ns, now);
			return true;
		} else if (!aoff_sqpoll_idle(ctx, now)) {
			return true;
		}
	}

	mutex_lock(&ctx->setup_lock);
	keep = aoff_sqpoll_ctx_locked(ctx, now);
	if (!keep)
		list_del_init(&ctx->sq_node);
	mutex_unlock(&ctx->setup_lock);
	return keep;
}

static void aoff_sqpoll_work(struct work_struct *work)
{
	struct aoff_device *dev = container_of(work, struct aoff_device,
					       sqpoll_work);
	struct aoff_ctx *ctx, *tmp;
	u64 now = ktime_get_ns();
	u64 pass_ns;

	atomic64_inc(&dev->stats.sq_poll_passes);
	mutex_lock(&dev->sqpoll_lock);
	list_for_each_entry_safe(ctx, tmp, &dev->sqpoll_list, sq_node)
		aoff_sqpoll_ctx(ctx, now);
	pass_ns = ktime_get_ns() - now;
	atomic64_add(pass_ns, &dev->stats.sq_poll_ns);
	/* Nobody watched: no more ticks until a doorbell starts them. */
	if (list_empty(&dev->sqpoll_list))
		dev->sqpoll_running = false;
	else
		aoff_sqpoll_arm(dev, pass_ns);
	mutex_unlock(&dev->sqpoll_lock);
}

/*
 * A doorbell found its SQPOLL context unwatched (it has submitted already,
 * under setup_lock): clear NEED_WAKEUP and watch it again.  The lock order
 * is sqpoll_lock then setup_lock, hence the re-check here.
 */
void aoff_sqpoll_doorbell(struct aoff_ctx *ctx)
{
	struct aoff_device *dev = ctx->dev;

	mutex_lock(&dev->sqpoll_lock);
	mutex_lock(&ctx->setup_lock);
	if (ctx->state == AOFF_CTX_LIVE && list_empty(&ctx->sq_node)) {
		WRITE_ONCE(ctx->sq_active_ns, ktime_get_ns());
		/*
		 * Once user space sees the bit clear it submits without a
		 * doorbell; we are on the list before the next pass, and
		 * stop watching only through the handshake above.
		 */
		aoff_sqpoll_set_status(ctx, 0, AOFF_STATUS_NEED_WAKEUP);
		list_add_tail(&ctx->sq_node, &dev->sqpoll_list);
		atomic64_inc(&dev->stats.sq_wakeups);
		if (!dev->sqpoll_running) {
			dev->sqpoll_running = true;
			aoff_sqpoll_arm(dev, 0);
		}
	}
	mutex_unlock(&ctx->setup_lock);
	mutex_unlock(&dev->sqpoll_lock);
}

/*
 * poll(), select() or an epoll re-check of a watched context: consume what
 * is ready now instead of at the next pass.  An application that waits
 * with poll()/select() over its contexts (openssl speed) thereby submits
 * for all of them in the call it makes anyway, without waiting up to
 * sq_poll_usecs; one that never calls ->poll on this context (edge-
 * triggered epoll, io_uring multishot poll) still has the pass.
 *
 * Only a trylock: ->poll must not sleep behind a doorbell or a pass, and
 * whoever holds setup_lock is consuming the SQ anyway (the doorbell) or
 * will see it at the next pass.  Under setup_lock, sq_node is stable, so
 * "watched" is exact; an unwatched context has NEED_WAKEUP set and its
 * owner rings.
 */
void aoff_sqpoll_poll(struct aoff_ctx *ctx)
{
	/* Pairs with the release that publishes the set-up context. */
	if (smp_load_acquire(&ctx->state) != AOFF_CTX_LIVE || !ctx->sqpoll)
		return;
	if (READ_ONCE(ctx->region.ctrl->sq_tail) == READ_ONCE(ctx->sq_head))
		return;
	if (!mutex_trylock(&ctx->setup_lock))
		return;
	if (ctx->state == AOFF_CTX_LIVE && !list_empty(&ctx->sq_node) &&
	    aoff_sqpoll_submit(ctx)) {
		atomic64_inc(&ctx->dev->stats.sq_poll_calls);
		WRITE_ONCE(ctx->sq_active_ns, ktime_get_ns());
	}
	mutex_unlock(&ctx->setup_lock);
}

/*
 * Takes the context off the poll list for good (release, with no other
 * user of the context left; or reset, which calls it under both locks
 * after breaking the context).
 */
void aoff_sqpoll_ctx_stop(struct aoff_ctx *ctx)
{
	lockdep_assert_held(&ctx->dev->sqpoll_lock);
	list_del_init(&ctx->sq_node);
}

void aoff_sqpoll_dev_init(struct aoff_device *dev)
{
	mutex_init(&dev->sqpoll_lock);
	INIT_LIST_HEAD(&dev->sqpoll_list);
	hrtimer_init(&dev->sqpoll_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	dev->sqpoll_timer.function = aoff_sqpoll_timer;
	INIT_WORK(&dev->sqpoll_work, aoff_sqpoll_work);
	dev->params.sq_poll_usecs = AOFF_SQ_POLL_USECS_DEFAULT;
}

int aoff_sqpoll_dev_start(struct aoff_device *dev)
{
	/* Its own queue: a pass never waits behind the engines' work. */
	dev->sqpoll_wq = alloc_workqueue("%s_sq", WQ_UNBOUND | WQ_HIGHPRI, 1,
					 dev->name);
	return dev->sqpoll_wq ? 0 : -ENOMEM;
}

/* No context is left, so the list is empty and a pass does not re-arm. */
void aoff_sqpoll_dev_exit(struct aoff_device *dev)
{
	WARN_ON_ONCE(!list_empty(&dev->sqpoll_list));
	hrtimer_cancel(&dev->sqpoll_timer);
	cancel_work_sync(&dev->sqpoll_work);
	hrtimer_cancel(&dev->sqpoll_timer);
	destroy_workqueue(dev->sqpoll_wq);
	mutex_destroy(&dev->sqpoll_lock);
}
