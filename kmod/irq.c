// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: the modelled completion interrupt.
 *
 * A real device raises an MSI-X interrupt after writing completions; its
 * handler only wakes whoever waits.  Here the engine raises it right after
 * posting a CQE and the "handler" wakes the context's poll and doorbell
 * waiters.  The device model replaces this with irq_work (hard-IRQ
 * context) and coalescing; callers already treat it as asynchronous.
 */
#include <linux/poll.h>
#include <linux/wait.h>

#include "aoff.h"

void aoff_irq_raise(struct aoff_ctx *ctx)
{
	/* Pairs with the barrier in the waiter's prepare_to_wait. */
	if (wq_has_sleeper(&ctx->wait))
		wake_up_interruptible_poll(&ctx->wait, EPOLLIN | EPOLLRDNORM);
}
