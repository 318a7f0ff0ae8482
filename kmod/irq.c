// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: the modelled completion interrupt and its coalescing.
 *
 * A real device writes its completions, then raises an MSI-X interrupt
 * whose handler wakes whoever waits.  Here each context is one interrupt
 * vector: the handler is an irq_work run in hard-IRQ context; it wakes the
 * context's poll and doorbell waiters and signals the attached eventfd.
 *
 * Coalescing, as NICs and NVMe controllers do it (per vector): after a CQE
 * is posted the interrupt is raised when coalesce_frames CQEs have been
 * posted since the last one, or when the context has nothing else in
 * flight (no point waiting for CQEs that will not come), and otherwise at
 * the latest coalesce_usecs after the first CQE it covers (an hrtimer).
 * coalesce_frames = 1 raises one interrupt per CQE.  An irq_work already
 * pending absorbs a new raise: that CQE is counted as coalesced too.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "aoff.h"
#include "compat.h"
#include "trace.h"

/* The interrupt handler: hard-IRQ context. */
static void aoff_irq_handler(struct irq_work *work)
{
	struct aoff_ctx *ctx = container_of(work, struct aoff_ctx, irq_work);
	struct eventfd_ctx *ev;

	atomic64_inc(&ctx->dev->stats.interrupts);
	/* Pairs with the barrier in the waiter's prepare_to_wait. */
	if (wq_has_sleeper(&ctx->wait))
		wake_up_interruptible_poll(&ctx->wait, EPOLLIN | EPOLLRDNORM);
	/* Detach waits for this read side with synchronize_rcu(). */
	rcu_read_lock();
	ev = rcu_dereference(ctx->evfd);
	if (ev)
		aoff_eventfd_signal(ev);
	rcu_read_unlock();
}

/* Raises the interrupt now (also used by the reset). */
void aoff_irq_fire(struct aoff_ctx *ctx)
{
	irq_work_queue(&ctx->irq_work);
}

static enum hrtimer_restart aoff_coal_timer(struct hrtimer *t)
{
	struct aoff_ctx *ctx = container_of(t, struct aoff_ctx, coal_timer);
	unsigned long flags;
	u32 cqes;

	spin_lock_irqsave(&ctx->irq_lock, flags);
	ctx->coal_armed = false;
	cqes = ctx->irq_frames;
	ctx->irq_frames = 0;
	spin_unlock_irqrestore(&ctx->irq_lock, flags);
	if (cqes) {
		trace_aoff_irq(ctx, cqes);
		aoff_irq_fire(ctx);
	}
	return HRTIMER_NORESTART;
}

/*
 * Nothing in flight: every accepted request has its CQE.  A submission
 * racing with this read only adds a request whose own CQE will raise the
 * interrupt again, so a stale answer never strands a CQE.
 */
static bool aoff_ctx_idle(struct aoff_ctx *ctx)
{
	return READ_ONCE(ctx->accepted) == READ_ONCE(ctx->cq_tail);
}

/* After a CQE has been posted; any context. */
void aoff_irq_raise(struct aoff_ctx *ctx)
{
	struct aoff_params *p = &ctx->dev->params;
	u32 frames = READ_ONCE(p->coalesce_frames);
	u32 usecs = READ_ONCE(p->coalesce_usecs);
	unsigned long flags;
	bool fire = false;
	u32 cqes = 0;

	spin_lock_irqsave(&ctx->irq_lock, flags);
	if (++ctx->irq_frames >= frames || aoff_ctx_idle(ctx)) {
		cqes = ctx->irq_frames;
		ctx->irq_frames = 0;
		fire = true;
		if (ctx->coal_armed) {
			/* A running callback finds no frames: harmless. */
			hrtimer_try_to_cancel(&ctx->coal_timer);
			ctx->coal_armed = false;
		}
	} else if (usecs && !ctx->coal_armed) {
		ctx->coal_armed = true;
		hrtimer_start(&ctx->coal_timer, ns_to_ktime((u64)usecs * NSEC_PER_USEC),
			      HRTIMER_MODE_REL);
	}
	spin_unlock_irqrestore(&ctx->irq_lock, flags);

	/* An interrupt already pending delivers these CQEs too. */
	if (!fire || !irq_work_queue(&ctx->irq_work))
		atomic64_inc(&ctx->dev->stats.coalesced);
	else
		trace_aoff_irq(ctx, cqes);
}

void aoff_irq_ctx_init(struct aoff_ctx *ctx)
{
	spin_lock_init(&ctx->irq_lock);
	hrtimer_init(&ctx->coal_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	ctx->coal_timer.function = aoff_coal_timer;
	ctx->irq_work = IRQ_WORK_INIT_HARD(aoff_irq_handler);
	mutex_init(&ctx->evfd_lock);
	RCU_INIT_POINTER(ctx->evfd, NULL);
}

/* After the engines let go of the context: nothing raises any more. */
void aoff_irq_ctx_stop(struct aoff_ctx *ctx)
{
	struct eventfd_ctx *ev;

	hrtimer_cancel(&ctx->coal_timer);
	irq_work_sync(&ctx->irq_work);
	ev = rcu_dereference_protected(ctx->evfd, 1);
	if (ev)
		eventfd_ctx_put(ev);
	RCU_INIT_POINTER(ctx->evfd, NULL);
	mutex_destroy(&ctx->evfd_lock);
}

long aoff_ioctl_eventfd(struct aoff_ctx *ctx, void __user *uarg)
{
	struct eventfd_ctx *old, *ev;
	struct aoff_eventfd a;
	long ret = 0;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.resv)
		return -EINVAL;
	if (a.fd < -1)
		return -EBADF;

	mutex_lock(&ctx->evfd_lock);
	old = rcu_dereference_protected(ctx->evfd,
					lockdep_is_held(&ctx->evfd_lock));
	if (a.fd == -1) {
		if (!old) {
			ret = -ENXIO;
		} else {
			RCU_INIT_POINTER(ctx->evfd, NULL);
			mutex_unlock(&ctx->evfd_lock);
			/* The handler may still hold it: wait for it. */
			synchronize_rcu();
			eventfd_ctx_put(old);
			return 0;
		}
	} else if (old) {
		ret = -EBUSY;
	} else {
		ev = eventfd_ctx_fdget(a.fd);
		if (IS_ERR(ev))
			ret = PTR_ERR(ev);
		else
			rcu_assign_pointer(ctx->evfd, ev);
	}
	mutex_unlock(&ctx->evfd_lock);
	return ret;
}
