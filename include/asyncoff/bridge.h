/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libasyncoff: the bridge between OpenSSL-style async jobs and the device.
 *
 * Engines and providers call it from inside an async job (ASYNC_start_job).
 * It follows the engine contract of ASYNC_WAIT_CTX_new(3):
 *
 *   - each ASYNC_WAIT_CTX gets one device context, opened on first use and
 *     registered under the library's own key with
 *     ASYNC_WAIT_CTX_set_wait_fd(); freeing the wait ctx releases it.  The
 *     fd is stable for the wait ctx's life and is its only asyncoff fd;
 *   - a request is submitted, then the job pauses.  fd mode: the device fd
 *     turns readable on completion, the application resumes the job, the
 *     bridge reaps the completion (which clears readiness).  Callback mode
 *     (ASYNC_WAIT_CTX_set_callback): status ASYNC_STATUS_OK after the
 *     dispatch, and the completion dispatcher calls the callback once the
 *     device completes;
 *   - queue full: ASYNC_STATUS_EAGAIN in callback mode (resume the job to
 *     retry), readiness when room frees in fd mode; device error or reset:
 *     ASYNC_STATUS_ERR (callback mode) and the call fails;
 *   - outside a job, in a job without a wait ctx, or with pausing blocked
 *     (ASYNC_block_pause), the same call completes synchronously.
 *
 * Use from a provider's digest/cipher code (see Documentation/bridge.md):
 *
 *   struct aoff_bridge_ctx *bc = aoff_bridge_get();     NULL + errno
 *   struct aoff_ctx *dc = aoff_bridge_dev(bc);
 *   int64_t off = aoff_data_alloc(dc, len);
 *   memcpy(aoff_data_ptr(dc, off), in, len);
 *   struct aoff_sqe sqe = { 0 };
 *   aoff_prep_nop(&sqe, 0);  sqe.in_off = off;  sqe.in_len = len;
 *   ret = aoff_bridge_run(bc, &sqe, 1, &res);           may pause the job
 *   aoff_data_free(dc, off);
 *
 * The bridge calls ASYNC_* by name and never looks inside an
 * ASYNC_WAIT_CTX: libcrypto or the asyncoff async runtime provides them,
 * whichever the application links.  libasyncoff defines none of them (its
 * references are weak: without either library every call is synchronous).
 *
 * Threads: a wait ctx, and so its bridge context, is used by one thread at
 * a time (the one running or freeing its job); jobs may move between
 * threads between pauses.  Outside a job each thread has its own context.
 * The completion dispatcher is shared by the process and locks itself; a
 * callback runs on the dispatcher's thread (the library thread, or the
 * caller of aoff_bridge_dispatch()) and must be small and non-blocking.
 */
#ifndef ASYNCOFF_BRIDGE_H
#define ASYNCOFF_BRIDGE_H

#include <stddef.h>
#include <stdint.h>
#include <asyncoff/asyncoff.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aoff_bridge_ctx;
/* ASYNC_WAIT_CTX, as both <openssl/async.h> (libcrypto's and the runtime's)
 * declare it; this header does not need either. */
struct async_wait_ctx_st;

/*
 * struct aoff_bridge_opts - process-wide bridge settings
 * @sz:		sizeof(struct aoff_bridge_opts) (may grow, as aoff_ctx_opts).
 * @device:	device node (NULL: $ASYNCOFF_DEVICE, else /dev/asyncoff0).
 *		The string must outlive the bridge.
 * @sq_entries:	SQ slots of each context the bridge opens (0: 16).
 * @cq_entries:	CQ slots (0: twice @sq_entries).
 * @data_bytes:	data area of each context (0: 16 KiB).  Small defaults
 *		keep 10,000 wait ctxs affordable (about 28 KiB each).
 * @flags:	AOFF_BRIDGE_F_*; unknown bits: -EINVAL.
 * @sq_idle_us:	SQPOLL contexts: how long the device keeps watching an
 *		idle SQ (0: AOFF_BRIDGE_DEFAULT_SQ_IDLE_US; at most
 *		AOFF_SQ_IDLE_MAX_US, else -EINVAL).  Must be 0 with
 *		AOFF_BRIDGE_F_NO_SQPOLL.
 */
struct aoff_bridge_opts {
	size_t sz;
	const char *device;
	unsigned int sq_entries;
	unsigned int cq_entries;
	size_t data_bytes;
	unsigned int flags;
	unsigned int sq_idle_us;
};

/*
 * Callback mode without a library thread: the application runs the
 * dispatcher itself with aoff_bridge_dispatch() (when aoff_bridge_fd() is
 * readable).  Default: a library thread is started on first use.
 */
#define AOFF_BRIDGE_F_NO_THREAD	(1U << 0)
/*
 * Never ask for doorbell-less submission.  By default the bridge opens its
 * contexts with AOFF_CTX_F_SQPOLL when the device has AOFF_FEAT_SQPOLL
 * (and without it when not), unless the environment says ASYNCOFF_SQPOLL=0
 * (for programs that cannot call aoff_bridge_init(), such as the OpenSSL
 * provider).
 */
#define AOFF_BRIDGE_F_NO_SQPOLL	(1U << 1)
/*
 * fd mode: a job that registers the bridge's fd on its wait ctx (its first
 * request, or the first after a device reset) pauses once at once, on a
 * NOP whose completion makes the fd readable, so the application learns
 * the fd from that pause (SSL_get_changed_async_fds()) even if the job
 * would never have paused otherwise.  For applications that remove the
 * fds of SSL_get_all_async_fds() from their poller on close and cannot
 * cope with one they never saw (HAProxy 2.6 aborts).  Costs one NOP and
 * one pause per wait ctx.  The OpenSSL provider sets it.
 */
#define AOFF_BRIDGE_F_ANNOUNCE	(1U << 2)
#define AOFF_BRIDGE_F_ALL	(AOFF_BRIDGE_F_NO_THREAD | AOFF_BRIDGE_F_NO_SQPOLL | \
				 AOFF_BRIDGE_F_ANNOUNCE)

#define AOFF_BRIDGE_DEFAULT_SQ		16
#define AOFF_BRIDGE_DEFAULT_DATA	(16 * 1024)
/*
 * Longer than the driver's default (AOFF_SQ_IDLE_DEFAULT_US): a context is
 * idle from its job's completion until the application has resumed the
 * job and started the next operation, which with many jobs is a whole
 * round of the application's loop.  io_uring's SQPOLL thread idles 1 s.
 */
#define AOFF_BRIDGE_DEFAULT_SQ_IDLE_US	20000

/*
 * Set the options before the bridge is first used (-EBUSY after, until
 * aoff_bridge_cleanup()).  Optional: the defaults apply otherwise.
 */
int aoff_bridge_init(const struct aoff_bridge_opts *opts);
/*
 * Stop the dispatcher (and its thread), close the calling thread's own
 * context.  Wait ctxs still alive keep their device contexts until freed.
 */
void aoff_bridge_cleanup(void);

/*
 * The bridge context for the code running now: the current job's wait
 * ctx's (opened and registered on first use), or, outside a job or in a
 * job without a wait ctx, the calling thread's.  NULL with errno (ENOENT:
 * no device; ENOMEM; what open/setup of the device said).
 */
struct aoff_bridge_ctx *aoff_bridge_get(void);
/* Its device context: data area, limits.  Don't submit on it directly. */
struct aoff_ctx *aoff_bridge_dev(struct aoff_bridge_ctx *bc);

/*
 * Run @nr requests and wait for all of them: inside the job that owns
 * @bc's wait ctx the job pauses (as above); otherwise the thread sleeps.
 * The bridge sets each SQE's user_data.  @res (may be NULL) receives each
 * CQE's result.  Requests beyond the ring's size are submitted as room
 * frees.
 *
 * Return: 0 when every request succeeded; the first negative result
 * otherwise (all requests have then completed); -EIO when the device
 * context is broken (device reset; requests not yet completed are lost
 * with it); -EINVAL bad arguments.
 */
int aoff_bridge_run(struct aoff_bridge_ctx *bc, const struct aoff_sqe *sqes,
		    unsigned int nr, int32_t *res);

/*
 * Non-zero when @bc's device has completions waiting: an application loop
 * may resume such a job without polling its fd first (no system call).
 */
int aoff_bridge_ready(struct aoff_bridge_ctx *bc);
/* The bridge context registered on a wait ctx, or NULL. */
struct aoff_bridge_ctx *aoff_bridge_of(struct async_wait_ctx_st *wait_ctx);

/*
 * The completion dispatcher (callback mode).  aoff_bridge_fd() is readable
 * when aoff_bridge_dispatch() has work; aoff_bridge_dispatch() calls the
 * callbacks of the wait ctxs whose requests completed and returns how many
 * it called, waiting up to @timeout_ms for one (0: don't wait, -1: no
 * limit).  Negative errno on failure (-ETIME never: 0 on timeout).
 */
int aoff_bridge_fd(void);
int aoff_bridge_dispatch(int timeout_ms);

/*
 * Counters for benchmarks (monotonic, process-wide).
 * @contexts:	device contexts open now (wait ctxs + threads).
 * @opened:	device contexts opened so far.
 * @syscalls:	system calls the bridge made (doorbells, waits, the
 *		dispatcher's io_uring_enter).
 * @pauses:	ASYNC_pause_job() calls.
 * @callbacks:	callbacks called.
 * @eagain:	pauses with ASYNC_STATUS_EAGAIN.
 * @doorbells:	doorbell system calls of submissions (a part of @syscalls).
 * @doorbells_saved: submissions that needed no doorbell (SQPOLL context,
 *		the device watching); @doorbells + @doorbells_saved is every
 *		submission.
 * @sqpoll_opened: device contexts opened with SQPOLL so far (of @opened).
 */
struct aoff_bridge_stats {
	size_t sz;
	uint64_t contexts;
	uint64_t opened;
	uint64_t syscalls;
	uint64_t pauses;
	uint64_t callbacks;
	uint64_t eagain;
	uint64_t doorbells;
	uint64_t doorbells_saved;
	uint64_t sqpoll_opened;
};
int aoff_bridge_stats(struct aoff_bridge_stats *st);

#ifdef __cplusplus
}
#endif

#endif /* ASYNCOFF_BRIDGE_H */
