// SPDX-License-Identifier: Apache-2.0
/*
 * The job API: ASYNC_start_job, ASYNC_pause_job and friends, with
 * OpenSSL 3.x's answers (see ASYNC_start_job(3) and
 * Documentation/async-runtime.md for the cases OpenSSL leaves undefined).
 *
 * A thread's dispatcher (the caller of ASYNC_start_job) and the job it
 * runs switch only with each other, so no locking: everything here is
 * touched by the running thread only.  A paused job may be resumed on
 * another thread (OpenSSL allows it); the thread that hands it over must
 * synchronise with the one that takes it, as for any object.  Only a job
 * finishing away from its pool's thread takes a lock (pool.c).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "async_local.h"

#ifdef AOFF_FASTPATH
/* The assembly fast paths read these fields by offset. */
_Static_assert(offsetof(struct async_job_st, fiber.sp) == AOFF_JOB_SP, "");
_Static_assert(offsetof(struct async_job_st, runner) == AOFF_JOB_RUNNER, "");
_Static_assert(offsetof(struct async_job_st, waitctx) == AOFF_JOB_WAITCTX, "");
_Static_assert(offsetof(struct async_job_st, state) == AOFF_JOB_STATE, "");
_Static_assert(sizeof(enum aoff_job_state) == 4, "");
_Static_assert(offsetof(struct aoff_thread, dispatcher.sp) == AOFF_TS_DISP_SP,
	       "");
_Static_assert(offsetof(struct aoff_thread, curr) == AOFF_TS_CURR, "");
_Static_assert(offsetof(struct aoff_thread, blocked) == AOFF_TS_BLOCKED, "");
_Static_assert(sizeof(size_t) == 8, "");
_Static_assert(ASYNC_PAUSE == AOFF_ASYNC_PAUSE_V, "");
/* The C entry points; the exported names are the assembly ones. */
#define AOFF_START_JOB_FN aoff_start_job_slow
#define AOFF_START_JOB_VIS
#else
#define AOFF_START_JOB_FN ASYNC_start_job
#define AOFF_START_JOB_VIS AOFF_EXPORT
#endif

/* Copy the argument block into the job: its inline buffer, or the job's
 * own heap buffer (kept across uses, so a steady state of big arguments
 * does not allocate either). */
static int aoff_job_set_args(struct async_job_st *job, const void *args,
			     size_t size)
{
	/* OpenSSL 3.0: a NULL block or a zero size gives func NULL. */
	if (!args || size == 0) {
		job->args = NULL;
		return 1;
	}
	if (size <= sizeof(job->argbuf)) {
		job->args = job->argbuf;
	} else {
		if (size > job->bigcap) {
			free(job->bigbuf);
			job->bigcap = 0;
			job->bigbuf = malloc(size);
			if (!job->bigbuf)
				return 0;
			job->bigcap = size;
		}
		job->args = job->bigbuf;
	}
	memcpy(job->args, args, size);
	return 1;
}

/*
 * A job came back to this thread's dispatcher with its function returned:
 * its result, and back to its own pool.  OpenSSL returns a job finishing
 * away from its thread to the wrong dispatcher; here it finished on ours
 * and is handed back to its pool (pool.c).
 */
int aoff_start_job_finish(ASYNC_JOB **jobp, int *ret, ASYNC_JOB *job)
{
	struct aoff_thread *ts = aoff_async_tls;

	if (ret)
		*ret = job->ret;
	if (job->owner == ts)
		aoff_pool_put(ts, job);
	else
		aoff_pool_put_foreign(job);
	*jobp = NULL;
	return ASYNC_FINISH;
}

AOFF_START_JOB_VIS int AOFF_START_JOB_FN(ASYNC_JOB **jobp,
					 ASYNC_WAIT_CTX *wctx, int *ret,
					 int (*func)(void *), void *args,
					 size_t size)
{
	struct aoff_thread *ts = aoff_thread_get();
	struct async_job_st *job;

	if (!ts || !jobp)
		return ASYNC_ERR;
	/*
	 * Starting or resuming a job from inside a job: OpenSSL answers
	 * ASYNC_ERR (and then loses track of the running job); we answer
	 * ASYNC_ERR and the running job carries on unharmed.
	 */
	if (ts->curr)
		return ASYNC_ERR;

	job = *jobp;
	if (job) {
		/* Any thread may resume it, as in OpenSSL. */
		if (job->state != AOFF_JOB_PAUSED) {
			*jobp = NULL;
			return ASYNC_ERR;
		}
	} else {
		if (!func)
			return ASYNC_ERR;
		job = aoff_pool_get(ts);
		if (!job)
			return ASYNC_NO_JOBS;
		if (!aoff_job_set_args(job, args, size)) {
			aoff_pool_put(ts, job);
			return ASYNC_ERR;
		}
		job->func = func;
		job->waitctx = wctx;
	}

	job->state = AOFF_JOB_RUNNING;
	job->runner = ts;
	ts->curr = job;
	aoff_fiber_switch(&ts->dispatcher, &job->fiber);
	ts->curr = NULL;

	if (job->state == AOFF_JOB_STOPPING)
		return aoff_start_job_finish(jobp, ret, job);
	job->state = AOFF_JOB_PAUSED;
	*jobp = job;
	return ASYNC_PAUSE;
}

#ifndef AOFF_FASTPATH
/* Outside a job, or with pausing blocked, it is a no-op that succeeds. */
AOFF_EXPORT int ASYNC_pause_job(void)
{
	struct aoff_thread *ts = aoff_async_tls;
	struct async_job_st *job;

	if (!ts || !ts->curr || ts->blocked)
		return 1;
	job = ts->curr;
	job->state = AOFF_JOB_PAUSING;
	aoff_fiber_leave(&job->fiber, &ts->dispatcher);
	/*
	 * Perhaps on another thread now: ts is stale, job->runner is the
	 * thread that resumed us.
	 */
	aoff_fiber_back(&job->fiber, &job->runner->dispatcher);
	/*
	 * Resumed: the application has seen the fd changes of this pause.
	 * (OpenSSL 3.0 crashes here when the job has no wait ctx.)
	 */
	if (job->waitctx)
		aoff_wait_ctx_reset_counts(job->waitctx);
	return 1;
}
#endif

AOFF_EXPORT ASYNC_JOB *ASYNC_get_current_job(void)
{
	struct aoff_thread *ts = aoff_async_tls;

	return ts ? ts->curr : NULL;
}

AOFF_EXPORT ASYNC_WAIT_CTX *ASYNC_get_wait_ctx(ASYNC_JOB *job)
{
	return job ? job->waitctx : NULL;
}

/* The block depth belongs to the thread, not to the job, as in OpenSSL;
 * outside a job both calls are ignored. */
AOFF_EXPORT void ASYNC_block_pause(void)
{
	struct aoff_thread *ts = aoff_async_tls;

	if (ts && ts->curr)
		ts->blocked++;
}

AOFF_EXPORT void ASYNC_unblock_pause(void)
{
	struct aoff_thread *ts = aoff_async_tls;

	if (ts && ts->curr && ts->blocked > 0)
		ts->blocked--;
}

AOFF_EXPORT int ASYNC_is_capable(void)
{
#ifdef AOFF_FIBER_ASM
	return 1;
#else
	ucontext_t uc;

	return getcontext(&uc) == 0;
#endif
}
