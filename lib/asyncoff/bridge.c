// SPDX-License-Identifier: Apache-2.0
/*
 * libasyncoff: the bridge — one device context per ASYNC_WAIT_CTX, requests
 * run inside async jobs that pause until the device completes them.
 *
 * The steps of the engine contract (ASYNC_WAIT_CTX_new(3)):
 *  1. the current job's wait ctx; our key's fd on it, or a new device
 *     context registered with ASYNC_WAIT_CTX_set_wait_fd() and a cleanup
 *     that closes it when the wait ctx is freed;
 *  2. submit; with a callback set, status OK after the doorbell; pause;
 *  3. the device fd turns readable (fd mode) or the dispatcher calls the
 *     callback (bridge_dispatch.c);
 *  4. on resume reap the CQEs (readiness clears with them); nothing of
 *     ours there: pause again;
 *  5. queue full: EAGAIN status (callback mode) or wait for the fd, which
 *     turns readable as our own requests complete and free room; error or
 *     reset: ERR status and a failed call;
 *  6. no job, no wait ctx, or pausing blocked: submit and sleep.
 *
 * An application learns of a wait fd only when a job pauses
 * (SSL_ERROR_WANT_ASYNC, then SSL_get_changed_async_fds()).  HAProxy 2.6
 * removes every fd SSL_get_all_async_fds() names from its poller when a
 * connection closes and aborts on one it never added, so a connection
 * whose jobs registered our fd but never paused (a failed handshake, or
 * requests that completed before the job could pause) crashed it.  So with
 * AOFF_BRIDGE_F_ANNOUNCE (the provider sets it) a job that registers an fd
 * in fd mode pauses once right away, on a NOP whose completion makes the
 * fd readable (aoff_bridge_announce()).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bridge_local.h"

/* Our key on every wait ctx: the address of a private object. */
static const char aoff_bridge_key;

#define AOFF_BRIDGE_DEFAULT_DEVICE	"/dev/asyncoff0"
/*
 * Pauses in a row that bring nothing new before we sleep in the kernel
 * instead: ASYNC_pause_job() returns at once while pausing is blocked
 * (ASYNC_block_pause), and OpenSSL offers no way to ask.  An application
 * that keeps resuming a job whose fd is not readable ends up here as well,
 * and then waits for the completion it asked about.
 */
#define AOFF_BRIDGE_IDLE_PAUSES	16

struct aoff_bridge_cfg aoff_bridge_cfg;
struct aoff_bridge_counters aoff_bridge_cnt;

static pthread_mutex_t aoff_bridge_cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static int aoff_bridge_configured;	/* cfg is final (first use seen) */

static pthread_once_t aoff_tl_once = PTHREAD_ONCE_INIT;
static pthread_key_t aoff_tl_key;
static __thread struct aoff_bridge_ctx *aoff_tl_ctx;

/* ASYNCOFF_SQPOLL=0 (or no, off, false) turns SQPOLL off; else: on. */
static int aoff_env_sqpoll(void)
{
	const char *v = getenv("ASYNCOFF_SQPOLL");

	if (!v || !*v)
		return 1;
	return strcmp(v, "0") && strcasecmp(v, "no") && strcasecmp(v, "off") &&
	       strcasecmp(v, "false");
}

static void aoff_cfg_defaults(struct aoff_bridge_cfg *cfg)
{
	cfg->sqpoll = !(cfg->flags & AOFF_BRIDGE_F_NO_SQPOLL) &&
		      aoff_env_sqpoll();
	if (!cfg->device)
		cfg->device = getenv("ASYNCOFF_DEVICE");
	if (!cfg->device)
		cfg->device = AOFF_BRIDGE_DEFAULT_DEVICE;
	cfg->ctx_opts.sz = sizeof(cfg->ctx_opts);
	if (!cfg->ctx_opts.sq_entries)
		cfg->ctx_opts.sq_entries = AOFF_BRIDGE_DEFAULT_SQ;
	if (!cfg->ctx_opts.data_bytes)
		cfg->ctx_opts.data_bytes = AOFF_BRIDGE_DEFAULT_DATA;
	if (!cfg->sq_idle_us)
		cfg->sq_idle_us = AOFF_BRIDGE_DEFAULT_SQ_IDLE_US;
}

AOFF_EXPORT int aoff_bridge_init(const struct aoff_bridge_opts *uopts)
{
	struct aoff_bridge_opts o;
	int ret = 0;

	memset(&o, 0, sizeof(o));
	if (uopts) {
		if (uopts->sz < offsetof(struct aoff_bridge_opts, device))
			return -EINVAL;
		if (uopts->sz > sizeof(o)) {
			const unsigned char *p = (const unsigned char *)uopts;

			for (size_t i = sizeof(o); i < uopts->sz; i++)
				if (p[i])
					return -E2BIG;
		}
		memcpy(&o, uopts, uopts->sz < sizeof(o) ? uopts->sz : sizeof(o));
	}
	if (o.flags & ~AOFF_BRIDGE_F_ALL)
		return -EINVAL;
	if (o.sq_idle_us > AOFF_SQ_IDLE_MAX_US ||
	    (o.sq_idle_us && (o.flags & AOFF_BRIDGE_F_NO_SQPOLL)))
		return -EINVAL;

	pthread_mutex_lock(&aoff_bridge_cfg_lock);
	if (aoff_bridge_configured) {
		ret = -EBUSY;
	} else {
		memset(&aoff_bridge_cfg, 0, sizeof(aoff_bridge_cfg));
		aoff_bridge_cfg.device = o.device;
		aoff_bridge_cfg.ctx_opts.sq_entries = o.sq_entries;
		aoff_bridge_cfg.ctx_opts.cq_entries = o.cq_entries;
		aoff_bridge_cfg.ctx_opts.data_bytes = o.data_bytes;
		aoff_bridge_cfg.flags = o.flags;
		aoff_bridge_cfg.sq_idle_us = o.sq_idle_us;
		aoff_cfg_defaults(&aoff_bridge_cfg);
		aoff_bridge_configured = 1;
	}
	pthread_mutex_unlock(&aoff_bridge_cfg_lock);
	return ret;
}

/* The first use freezes the configuration (defaults unless init ran). */
static void aoff_bridge_cfg_freeze(void)
{
	if (__atomic_load_n(&aoff_bridge_configured, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&aoff_bridge_cfg_lock);
	if (!aoff_bridge_configured) {
		memset(&aoff_bridge_cfg, 0, sizeof(aoff_bridge_cfg));
		aoff_cfg_defaults(&aoff_bridge_cfg);
		__atomic_store_n(&aoff_bridge_configured, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&aoff_bridge_cfg_lock);
}

/*
 * With @sqpoll, SQPOLL when configured and the device has it; a device
 * without it says EOPNOTSUPP once, and the bridge stops asking (each
 * context it opens would otherwise cost an extra AOFF_IOC_INFO).
 */
struct aoff_ctx *aoff_bridge_open_dev(bool sqpoll)
{
	struct aoff_ctx_opts o = aoff_bridge_cfg.ctx_opts;
	struct aoff_ctx *dc;

	if (sqpoll && __atomic_load_n(&aoff_bridge_cfg.sqpoll, __ATOMIC_RELAXED)) {
		o.flags |= AOFF_CTX_F_SQPOLL;
		o.sq_idle_us = aoff_bridge_cfg.sq_idle_us;
		dc = aoff_ctx_open(aoff_bridge_cfg.device, &o);
		if (dc) {
			aoff_bridge_count(&aoff_bridge_cnt.sqpoll_opened, 1);
			return dc;
		}
		if (errno != EOPNOTSUPP)
			return NULL;
		__atomic_store_n(&aoff_bridge_cfg.sqpoll, 0, __ATOMIC_RELAXED);
	}
	return aoff_ctx_open(aoff_bridge_cfg.device, &aoff_bridge_cfg.ctx_opts);
}

static struct aoff_bridge_ctx *aoff_bctx_new(ASYNC_WAIT_CTX *wctx)
{
	struct aoff_bridge_ctx *bc = calloc(1, sizeof(*bc));

	if (!bc)
		return NULL;
	/*
	 * A thread's context for synchronous calls (no wait ctx) goes without
	 * SQPOLL: each call rings and waits in one ioctl anyway, and a
	 * watched context would only keep the device's poller ticking.
	 */
	bc->dc = aoff_bridge_open_dev(wctx != NULL);
	if (!bc->dc) {
		int err = errno;

		free(bc);
		errno = err;
		return NULL;
	}
	bc->wctx = wctx;
	bc->dslot = -1;
	aoff_bridge_count(&aoff_bridge_cnt.contexts, 1);
	aoff_bridge_count(&aoff_bridge_cnt.opened, 1);
	return bc;
}

/* The job paused since the contexts were retired: close them. */
static void aoff_bctx_close_retired(struct aoff_bridge_ctx *bc)
{
	while (bc->nretired)
		aoff_ctx_close(bc->retired[--bc->nretired]);
}

static void aoff_bctx_free(struct aoff_bridge_ctx *bc)
{
	if (!bc)
		return;
	if (bc->dslot >= 0)
		aoff_disp_unregister(bc);
	aoff_bctx_close_retired(bc);
	aoff_ctx_close(bc->dc);
	free(bc);
	__atomic_fetch_sub(&aoff_bridge_cnt.contexts, 1, __ATOMIC_RELAXED);
}

/* Runs from ASYNC_WAIT_CTX_free(), on whichever thread frees it. */
static void aoff_bridge_wctx_cleanup(ASYNC_WAIT_CTX *wctx, const void *key,
				     OSSL_ASYNC_FD fd, void *custom)
{
	(void)wctx;
	(void)key;
	(void)fd;
	aoff_bctx_free(custom);
}

static void aoff_tl_destroy(void *p)
{
	aoff_bctx_free(p);
}

static void aoff_tl_key_init(void)
{
	if (pthread_key_create(&aoff_tl_key, aoff_tl_destroy))
		abort();
}

static struct aoff_bridge_ctx *aoff_bridge_thread_ctx(void)
{
	struct aoff_bridge_ctx *bc = aoff_tl_ctx;

	if (bc && !aoff_ctx_broken(bc->dc))
		return bc;
	pthread_once(&aoff_tl_once, aoff_tl_key_init);
	if (bc) {
		/* Reset: a new context, nothing else holds the old one. */
		aoff_bctx_free(bc);
		aoff_tl_ctx = NULL;
		pthread_setspecific(aoff_tl_key, NULL);
	}
	bc = aoff_bctx_new(NULL);
	if (!bc)
		return NULL;
	aoff_tl_ctx = bc;
	pthread_setspecific(aoff_tl_key, bc);
	return bc;
}

/*
 * A device reset broke @bc's context.  Between operations nothing of ours
 * is in flight, so swap in a new context: the wait ctx's fd changes (the
 * application sees it through ASYNC_WAIT_CTX_get_changed_fds()), @bc stays.
 */
static int aoff_bctx_reopen(struct aoff_bridge_ctx *bc)
{
	/* SQPOLL or not, by the rule aoff_bctx_new() applies. */
	struct aoff_ctx *dc = aoff_bridge_open_dev(bc->wctx != NULL);

	if (!dc)
		return -errno;
	if (bc->dslot >= 0)
		aoff_disp_unregister(bc);
	/* clear_fd() does not run the cleanup: the old context is ours. */
	if (!ASYNC_WAIT_CTX_clear_fd(bc->wctx, &aoff_bridge_key)) {
		aoff_ctx_close(dc);
		return -EINVAL;
	}
	/*
	 * Keep the old fd open until the job pauses (the application may
	 * still poll it); more resets than slots without a pause in between
	 * close the oldest, which the application has long seen go.
	 */
	if (bc->nretired == sizeof(bc->retired) / sizeof(bc->retired[0])) {
		aoff_ctx_close(bc->retired[0]);
		memmove(bc->retired, bc->retired + 1,
			sizeof(bc->retired) - sizeof(bc->retired[0]));
		bc->nretired--;
	}
	bc->retired[bc->nretired++] = bc->dc;
	bc->dc = dc;
	aoff_bridge_count(&aoff_bridge_cnt.opened, 1);
	if (!ASYNC_WAIT_CTX_set_wait_fd(bc->wctx, &aoff_bridge_key,
					aoff_ctx_fd(dc), bc,
					aoff_bridge_wctx_cleanup)) {
		aoff_bctx_free(bc);
		return -ENOMEM;
	}
	return 0;
}

static void aoff_bridge_announce(struct aoff_bridge_ctx *bc);

/* The current job's wait ctx, when there is a job and it has one. */
static ASYNC_WAIT_CTX *aoff_bridge_cur_wctx(void)
{
	ASYNC_JOB *job;

	if (!ASYNC_get_current_job)
		return NULL;
	job = ASYNC_get_current_job();
	return job ? ASYNC_get_wait_ctx(job) : NULL;
}

AOFF_EXPORT struct aoff_bridge_ctx *aoff_bridge_of(ASYNC_WAIT_CTX *wctx)
{
	OSSL_ASYNC_FD fd;
	void *custom = NULL;

	if (!wctx || !ASYNC_WAIT_CTX_get_fd)
		return NULL;
	if (!ASYNC_WAIT_CTX_get_fd(wctx, &aoff_bridge_key, &fd, &custom))
		return NULL;
	return custom;
}

AOFF_EXPORT struct aoff_bridge_ctx *aoff_bridge_get(void)
{
	ASYNC_WAIT_CTX *wctx;
	struct aoff_bridge_ctx *bc;
	int err;

	aoff_bridge_cfg_freeze();
	wctx = aoff_bridge_cur_wctx();
	if (!wctx)
		return aoff_bridge_thread_ctx();

	bc = aoff_bridge_of(wctx);
	if (bc) {
		if (aoff_ctx_broken(bc->dc)) {
			err = aoff_bctx_reopen(bc);
			if (err) {
				errno = -err;
				return NULL;
			}
			aoff_bridge_announce(bc);
		}
		return bc;
	}
	bc = aoff_bctx_new(wctx);
	if (!bc)
		return NULL;
	if (!ASYNC_WAIT_CTX_set_wait_fd(wctx, &aoff_bridge_key,
					aoff_ctx_fd(bc->dc), bc,
					aoff_bridge_wctx_cleanup)) {
		aoff_bctx_free(bc);
		errno = ENOMEM;
		return NULL;
	}
	aoff_bridge_announce(bc);
	return bc;
}

AOFF_EXPORT struct aoff_ctx *aoff_bridge_dev(struct aoff_bridge_ctx *bc)
{
	return bc ? bc->dc : NULL;
}

AOFF_EXPORT int aoff_bridge_ready(struct aoff_bridge_ctx *bc)
{
	return bc && (aoff_cq_ready_any_thread(bc->dc) || aoff_ctx_broken(bc->dc));
}

/* One request batch in progress. */
struct aoff_run {
	const struct aoff_sqe *sqes;
	int32_t *res;
	uint64_t base;		/* user_data of sqes[0] */
	unsigned int nr;
	unsigned int queued;	/* SQEs copied into the ring so far */
	unsigned int done;	/* CQEs seen */
	int err;		/* first negative result */
	int announce;		/* pause once even if the CQEs are there */
};

/* Consume every CQE waiting; ours fill @run, older ones are dropped. */
static unsigned int aoff_run_reap(struct aoff_ctx *dc, struct aoff_run *run)
{
	struct aoff_cqe *cqes[16];
	unsigned int n, i, total = 0;

	while ((n = aoff_peek_batch_cqe(dc, cqes, 16))) {
		for (i = 0; i < n; i++) {
			uint64_t k = cqes[i]->user_data - run->base;

			if (k >= run->nr)
				continue;	/* of an operation that failed */
			if (run->res)
				run->res[k] = cqes[i]->res;
			if (cqes[i]->res < 0 && !run->err)
				run->err = cqes[i]->res;
			run->done++;
		}
		aoff_cq_advance(dc, n);
		total += n;
	}
	return total;
}

/* Copy as many of the remaining SQEs as the SQ has room for. */
static void aoff_run_queue(struct aoff_ctx *dc, struct aoff_run *run)
{
	struct aoff_sqe *sqe;

	while (run->queued < run->nr && (sqe = aoff_get_sqe(dc))) {
		*sqe = run->sqes[run->queued];
		sqe->user_data = run->base + run->queued;
		run->queued++;
	}
}

/*
 * Submit what the SQ holds; on SQPOLL contexts often without a syscall.
 * @ring: ring the doorbell even when the device is watching.  Callback
 * mode does: the dispatcher's multishot poll never asks the fd again after
 * the job resubmits, so the request would wait for the device's next pass
 * (sq_poll_usecs), where in fd mode the application's poll()/select() or
 * epoll re-check of the fd hands it over at once (the driver's ->poll).
 */
static int aoff_run_doorbell(struct aoff_ctx *dc, int ring)
{
	int rung = 0;
	int ret = aoff_submit_flags(dc, ring ? AOFF_SUBMIT_F_DOORBELL : 0,
				    &rung);

	aoff_bridge_count(&aoff_bridge_cnt.syscalls, (uint64_t)rung);
	aoff_bridge_count(rung ? &aoff_bridge_cnt.doorbells :
			  &aoff_bridge_cnt.doorbells_saved, 1);
	return ret;
}

/*
 * Sleep in the kernel until a CQE is waiting: submit what the SQ holds if
 * the device takes it, else (CQ reservations used up by our own requests)
 * just wait for one of those to complete.
 */
static int aoff_run_sleep(struct aoff_ctx *dc)
{
	uint64_t before = aoff_ctx_syscalls(dc);
	int ret;

	ret = aoff_submit_and_wait(dc, 1, -1);
	aoff_bridge_count(&aoff_bridge_cnt.syscalls,
			  aoff_ctx_syscalls(dc) - before);
	if (ret != -EAGAIN)
		return ret < 0 && ret != -EINTR ? ret : 0;
	before = aoff_ctx_syscalls(dc);
	ret = aoff_wait_cq(dc, 1, -1);
	aoff_bridge_count(&aoff_bridge_cnt.syscalls,
			  aoff_ctx_syscalls(dc) - before);
	return ret < 0 && ret != -EINTR ? ret : 0;
}

static int aoff_run_sync(struct aoff_bridge_ctx *bc, struct aoff_run *run)
{
	struct aoff_ctx *dc = bc->dc;
	int ret;

	for (;;) {
		aoff_run_reap(dc, run);
		if (run->done == run->nr)
			return 0;
		if (aoff_ctx_broken(dc))
			return -EIO;
		aoff_run_queue(dc, run);
		ret = aoff_run_sleep(dc);
		if (ret < 0)
			return ret;
	}
}

/* Take the wake-up back from the dispatcher; 1 if it had not fired. */
static int aoff_disarm(struct aoff_bridge_ctx *bc)
{
	return __atomic_exchange_n(&bc->armed, 0, __ATOMIC_ACQ_REL);
}

static void aoff_arm(struct aoff_bridge_ctx *bc, ASYNC_callback_fn cb,
		     void *arg)
{
	if (__atomic_load_n(&bc->armed, __ATOMIC_RELAXED))
		return;
	bc->cb = cb;
	bc->cb_arg = arg;
	/* Publishes cb/arg; pairs with the dispatcher's exchange. */
	__atomic_store_n(&bc->armed, 1, __ATOMIC_RELEASE);
}

/*
 * Callback mode when the application set a callback and a dispatcher can
 * watch our fd; 0: the fd, which the application polls.
 */
static int aoff_run_cbmode(struct aoff_bridge_ctx *bc, ASYNC_callback_fn *cb,
			   void **cb_arg)
{
	if (!ASYNC_WAIT_CTX_get_callback(bc->wctx, cb, cb_arg) || !*cb)
		return 0;
	if (bc->dslot < 0 && aoff_disp_register(bc)) {
		/* No dispatcher (no io_uring): say so, use the fd. */
		ASYNC_WAIT_CTX_set_status(bc->wctx, ASYNC_STATUS_UNSUPPORTED);
		return 0;
	}
	return 1;
}

/*
 * Queue what fits, arm the callback, ring the doorbell.  Returns 1 when
 * requests of ours are left that the device will not take by itself
 * (full), 0 when it has them all, or the doorbell's -errno.
 */
static int aoff_run_submit(struct aoff_bridge_ctx *bc, struct aoff_run *run,
			   int cbmode, ASYNC_callback_fn cb, void *cb_arg)
{
	struct aoff_ctx *dc = bc->dc;
	int refused = 0, ret;

	aoff_run_queue(dc, run);
	/* Arm before the doorbell: the completion may beat us. */
	if (cbmode)
		aoff_arm(bc, cb, cb_arg);
	if (aoff_sq_pending(dc)) {
		ret = aoff_run_doorbell(dc, cbmode);
		if (ret < 0 && ret != -EAGAIN && ret != -EBUSY)
			return ret;
		refused = ret < 0;
	}
	/*
	 * An SQPOLL device that is watching takes what the SQ holds as
	 * completion slots free up (so SQEs still there are not a stall),
	 * unless the doorbell had to ring and was refused.
	 */
	return run->queued < run->nr ||
	       (aoff_sq_pending(dc) && (!aoff_ctx_sqpoll(dc) || refused));
}

/*
 * Callback mode, about to pause: the status that tells the application
 * how to resume us.  Returns 1 when the completions are here already and
 * the wake-up was taken back: do not pause.
 */
static int aoff_run_cb_status(struct aoff_bridge_ctx *bc, int full)
{
	if (aoff_cq_ready_any_thread(bc->dc)) {
		if (aoff_disarm(bc))
			return 1;
		/* The callback fired: the user resumes us. */
		if (full)
			ASYNC_WAIT_CTX_set_status(bc->wctx, ASYNC_STATUS_OK);
	} else if (full && aoff_disarm(bc)) {
		/* Resume me to retry; no callback comes. */
		ASYNC_WAIT_CTX_set_status(bc->wctx, ASYNC_STATUS_EAGAIN);
		aoff_bridge_count(&aoff_bridge_cnt.eagain, 1);
	} else if (full) {
		/* The callback fired meanwhile: wait for the resume it asks
		 * for. */
		ASYNC_WAIT_CTX_set_status(bc->wctx, ASYNC_STATUS_OK);
	}
	return 0;
}

/*
 * Inside the job that owns @bc's wait ctx.  Returns 0 when every request
 * has completed, -EIO when the context broke, another -errno when the
 * doorbell failed.
 */
static int aoff_run_async(struct aoff_bridge_ctx *bc, struct aoff_run *run)
{
	struct aoff_ctx *dc = bc->dc;
	ASYNC_callback_fn cb = NULL;
	void *cb_arg = NULL;
	unsigned int idle = 0;
	int cbmode, full, ret;

	cbmode = aoff_run_cbmode(bc, &cb, &cb_arg);
	for (;;) {
		unsigned int got;

		if (run->announce && aoff_cq_ready_any_thread(dc)) {
			/* The fd is readable: the application resumes us. */
			run->announce = 0;
			aoff_bridge_count(&aoff_bridge_cnt.pauses, 1);
			if (!ASYNC_pause_job())
				return -EFAULT;
			aoff_bctx_close_retired(bc);
			continue;
		}
		got = aoff_run_reap(dc, run);
		if (run->done == run->nr)
			break;
		if (aoff_ctx_broken(dc))
			return -EIO;
		if (got)
			idle = 0;

		full = aoff_run_submit(bc, run, cbmode, cb, cb_arg);
		if (full < 0)
			return full;
		/* The manual: OK once the request is submitted. */
		if (cbmode && !full)
			ASYNC_WAIT_CTX_set_status(bc->wctx, ASYNC_STATUS_OK);

		if (idle >= AOFF_BRIDGE_IDLE_PAUSES) {
			/* Pausing is blocked (or nobody waits for the fd). */
			if (cbmode)
				aoff_disarm(bc);
			ret = aoff_run_sleep(dc);
			if (ret < 0)
				return ret;
			idle = 0;
			continue;
		}

		if (cbmode) {
			if (aoff_run_cb_status(bc, full))
				continue;	/* here already */
		} else if (aoff_cq_ready_any_thread(dc)) {
			continue;
		}

		aoff_bridge_count(&aoff_bridge_cnt.pauses, 1);
		if (!ASYNC_pause_job())
			return -EFAULT;		/* the ASYNC library failed */
		run->announce = 0;
		aoff_bctx_close_retired(bc);
		if (!aoff_cq_ready_any_thread(dc) && !aoff_ctx_broken(dc))
			idle++;
	}
	if (cbmode)
		aoff_disarm(bc);
	return 0;
}

static int aoff_bridge_run_one(struct aoff_bridge_ctx *bc,
			       const struct aoff_sqe *sqes, unsigned int nr,
			       int32_t *res, int announce)
{
	struct aoff_run run;
	int in_job, ret;

	if (!bc || (nr && !sqes))
		return -EINVAL;
	if (!nr)
		return 0;
	memset(&run, 0, sizeof(run));
	run.sqes = sqes;
	run.res = res;
	run.nr = nr;
	run.base = bc->seq;
	run.announce = announce;
	bc->seq += nr;

	in_job = bc->wctx && aoff_bridge_cur_wctx() == bc->wctx;
	ret = in_job ? aoff_run_async(bc, &run) : aoff_run_sync(bc, &run);
	if (!ret)
		ret = run.err;
	if (ret && in_job) {
		ASYNC_callback_fn cb = NULL;
		void *arg;

		/* The manual: ERR tells a callback user to drop the session. */
		if (ASYNC_WAIT_CTX_get_callback(bc->wctx, &cb, &arg) && cb)
			ASYNC_WAIT_CTX_set_status(bc->wctx, ASYNC_STATUS_ERR);
	}
	return ret;
}

AOFF_EXPORT int aoff_bridge_run(struct aoff_bridge_ctx *bc,
				const struct aoff_sqe *sqes, unsigned int nr,
				int32_t *res)
{
	return aoff_bridge_run_one(bc, sqes, nr, res, 0);
}

/*
 * With AOFF_BRIDGE_F_ANNOUNCE, in fd mode, inside the job: pause once on a
 * NOP so that the application sees the fd just registered (see the top of
 * this file).  Its result does
 * not matter: the request that follows finds a broken context by itself.
 * Callback mode has no fds to announce.
 */
static void aoff_bridge_announce(struct aoff_bridge_ctx *bc)
{
	ASYNC_callback_fn cb = NULL;
	void *arg = NULL;
	struct aoff_sqe sqe;

	if (!(aoff_bridge_cfg.flags & AOFF_BRIDGE_F_ANNOUNCE))
		return;
	if (ASYNC_WAIT_CTX_get_callback(bc->wctx, &cb, &arg) && cb)
		return;
	memset(&sqe, 0, sizeof(sqe));
	aoff_prep_nop(&sqe, 0);
	(void)aoff_bridge_run_one(bc, &sqe, 1, NULL, 1);
}

AOFF_EXPORT int aoff_bridge_stats(struct aoff_bridge_stats *st)
{
	struct aoff_bridge_stats s;
	size_t sz;

	if (!st || st->sz < offsetof(struct aoff_bridge_stats, contexts))
		return -EINVAL;
	sz = st->sz < sizeof(s) ? st->sz : sizeof(s);
	memset(&s, 0, sizeof(s));
	s.sz = sz;
	s.contexts = __atomic_load_n(&aoff_bridge_cnt.contexts, __ATOMIC_RELAXED);
	s.opened = __atomic_load_n(&aoff_bridge_cnt.opened, __ATOMIC_RELAXED);
	s.syscalls = __atomic_load_n(&aoff_bridge_cnt.syscalls, __ATOMIC_RELAXED);
	s.pauses = __atomic_load_n(&aoff_bridge_cnt.pauses, __ATOMIC_RELAXED);
	s.callbacks = __atomic_load_n(&aoff_bridge_cnt.callbacks,
				      __ATOMIC_RELAXED);
	s.eagain = __atomic_load_n(&aoff_bridge_cnt.eagain, __ATOMIC_RELAXED);
	s.doorbells = __atomic_load_n(&aoff_bridge_cnt.doorbells,
				      __ATOMIC_RELAXED);
	s.doorbells_saved = __atomic_load_n(&aoff_bridge_cnt.doorbells_saved,
					    __ATOMIC_RELAXED);
	s.sqpoll_opened = __atomic_load_n(&aoff_bridge_cnt.sqpoll_opened,
					  __ATOMIC_RELAXED);
	memcpy(st, &s, sz);
	return 0;
}

AOFF_EXPORT void aoff_bridge_cleanup(void)
{
	aoff_disp_shutdown();
	if (aoff_tl_ctx) {
		aoff_bctx_free(aoff_tl_ctx);
		aoff_tl_ctx = NULL;
		pthread_setspecific(aoff_tl_key, NULL);
	}
	pthread_mutex_lock(&aoff_bridge_cfg_lock);
	__atomic_store_n(&aoff_bridge_configured, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&aoff_bridge_cfg_lock);
}
