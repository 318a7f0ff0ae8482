/* SPDX-License-Identifier: Apache-2.0 */
/* libasyncoff: the bridge's private state (bridge.c, bridge_dispatch.c). */
#ifndef AOFF_BRIDGE_LOCAL_H
#define AOFF_BRIDGE_LOCAL_H

#include <stdbool.h>
#include <stdint.h>
#include <openssl/async.h>
#include <asyncoff/bridge.h>

#include <asyncoff/asyncoff.h>

#include "export.h"

/*
 * The ASYNC_* names come from libcrypto or from the async runtime, whichever
 * the application links; libasyncoff only refers to them.  Weak references
 * keep a program that links neither loadable: the bridge then sees no job
 * and runs every request synchronously.
 */
#pragma weak ASYNC_get_current_job
#pragma weak ASYNC_get_wait_ctx
#pragma weak ASYNC_pause_job
#pragma weak ASYNC_WAIT_CTX_get_fd
#pragma weak ASYNC_WAIT_CTX_set_wait_fd
#pragma weak ASYNC_WAIT_CTX_clear_fd
#pragma weak ASYNC_WAIT_CTX_get_callback
#pragma weak ASYNC_WAIT_CTX_set_status

/*
 * One per wait ctx (or per thread, @wctx NULL).  Only the thread that runs
 * the wait ctx's job touches it, except the fields marked "dispatcher",
 * which the dispatcher reads under its lock.
 */
struct aoff_bridge_ctx {
	struct aoff_ctx *dc;
	ASYNC_WAIT_CTX *wctx;
	uint64_t seq;			/* user_data of the next request */

	/*
	 * Callback mode.  The job stores @cb/@cb_arg, then sets @armed with
	 * release before the doorbell; the dispatcher takes @armed back with
	 * an exchange (acquire) before reading them.  Whoever turns @armed
	 * from 1 to 0 owns the wake-up: the dispatcher calls the callback,
	 * the job continues without pausing.
	 */
	int armed;			/* dispatcher */
	ASYNC_callback_fn cb;		/* dispatcher */
	void *cb_arg;			/* dispatcher */
	int dslot;			/* dispatcher slot, -1: none */

	/*
	 * Contexts a device reset broke, replaced by @dc: their fds stay
	 * open until the job has paused once since (the application has then
	 * seen them deleted through ASYNC_WAIT_CTX_get_changed_fds() and
	 * stopped polling them), so their numbers cannot be reused under it.
	 */
	struct aoff_ctx *retired[4];
	unsigned int nretired;
};

struct aoff_bridge_cfg {
	const char *device;
	struct aoff_ctx_opts ctx_opts;	/* without AOFF_CTX_F_SQPOLL */
	unsigned int flags;
	/*
	 * Ask for SQPOLL; cleared (relaxed: any thread may see it late, the
	 * cost is one more EOPNOTSUPP) once the device said it has none.
	 */
	int sqpoll;
	unsigned int sq_idle_us;	/* for SQPOLL contexts */
};

extern struct aoff_bridge_cfg aoff_bridge_cfg;

/* Process-wide counters (relaxed atomics). */
struct aoff_bridge_counters {
	uint64_t contexts, opened, syscalls, pauses, callbacks, eagain;
	uint64_t doorbells, doorbells_saved, sqpoll_opened;
};
extern struct aoff_bridge_counters aoff_bridge_cnt;

static inline void aoff_bridge_count(uint64_t *c, uint64_t n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

/* bridge.c: a device context as the configuration says (SQPOLL: may). */
struct aoff_ctx *aoff_bridge_open_dev(bool sqpoll);

/* bridge_dispatch.c */
int aoff_disp_register(struct aoff_bridge_ctx *bc);
void aoff_disp_unregister(struct aoff_bridge_ctx *bc);
void aoff_disp_shutdown(void);

#endif /* AOFF_BRIDGE_LOCAL_H */
