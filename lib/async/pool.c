// SPDX-License-Identifier: Apache-2.0
/*
 * The per-thread job pool: ASYNC_init_thread / ASYNC_cleanup_thread, making
 * jobs (a stack, a fiber whose entry loops over the jobs it runs) and
 * recycling them.  Reused jobs keep their stack and fiber, so starting a
 * job costs no allocation once the pool is warm.
 */
#include <stdlib.h>

#include "async_local.h"

void aoff_pool_drain(struct aoff_thread *ts)
{
	struct async_job_st *job;

	while ((job = ts->idle)) {
		ts->idle = job->next;
		aoff_stack_free(job->stack, job->stack_size);
		free(job->bigbuf);
		free(job);
		if (ts->curr_size)
			ts->curr_size--;
	}
}

static void aoff_job_main(void *arg)
{
	struct async_job_st *job = arg;
	struct aoff_thread *ts = job->owner;

	aoff_fiber_entered(&ts->dispatcher);
	/* A pooled job keeps its fiber: each start re-enters this loop. */
	for (;;) {
		job->ret = job->func(job->args);
		job->state = AOFF_JOB_STOPPING;
		aoff_fiber_switch(&job->fiber, &ts->dispatcher);
	}
}

static struct async_job_st *aoff_job_new(struct aoff_thread *ts)
{
	struct async_job_st *job = calloc(1, sizeof(*job));

	if (!job)
		return NULL;
	job->stack = aoff_stack_alloc(&job->stack_size);
	if (!job->stack)
		goto err_free;
	job->owner = ts;
	if (aoff_fiber_init(&job->fiber, job->stack, job->stack_size,
			    aoff_job_main, job) != 0)
		goto err_stack;
	job->state = AOFF_JOB_IDLE;
	return job;

err_stack:
	aoff_stack_free(job->stack, job->stack_size);
err_free:
	free(job);
	return NULL;
}

/* A job from the pool, or a new one if the pool's maximum allows; NULL
 * means ASYNC_NO_JOBS, as in OpenSSL (also when memory runs out). */
struct async_job_st *aoff_pool_get(struct aoff_thread *ts)
{
	struct async_job_st *job;

	if (!ts->pool_ready && !ASYNC_init_thread(0, 0))
		return NULL;
	job = ts->idle;
	if (job) {
		ts->idle = job->next;
	} else {
		if (ts->max_size != 0 && ts->curr_size >= ts->max_size)
			return NULL;
		job = aoff_job_new(ts);
		if (!job)
			return NULL;
		ts->curr_size++;
	}
	ts->live++;
	return job;
}

void aoff_pool_put(struct aoff_thread *ts, struct async_job_st *job)
{
	job->state = AOFF_JOB_IDLE;
	job->args = NULL;
	job->waitctx = NULL;
	job->next = ts->idle;
	ts->idle = job;
	ts->live--;
}

/*
 * As OpenSSL: init_size > max_size (even with max_size 0) and max_size >
 * INT_MAX are refused; a second call replaces the pool (its idle jobs are
 * freed here, OpenSSL leaks them) and the new maximum counts only jobs made
 * from then on.  Failing to pre-create a job is not an error.
 */
AOFF_EXPORT int ASYNC_init_thread(size_t max_size, size_t init_size)
{
	struct aoff_thread *ts;

	if (init_size > max_size || max_size > 0x7fffffff)
		return 0;
	ts = aoff_thread_get();
	if (!ts)
		return 0;
	aoff_pool_drain(ts);
	ts->max_size = max_size;
	ts->curr_size = 0;
	ts->pool_ready = 1;
	while (init_size--) {
		struct async_job_st *job = aoff_job_new(ts);

		if (!job)
			break;
		job->next = ts->idle;
		ts->idle = job;
		ts->curr_size++;
	}
	return 1;
}

/*
 * Frees the pool's idle jobs.  Jobs still paused (or the one running, if
 * called from a job) stay valid and return to the pool when they finish;
 * OpenSSL would free their thread context under them.
 */
AOFF_EXPORT void ASYNC_cleanup_thread(void)
{
	struct aoff_thread *ts = aoff_async_tls;

	if (!ts)
		return;
	aoff_pool_drain(ts);
	ts->pool_ready = 0;
	ts->curr_size = 0;
	ts->max_size = 0;
	if (!ts->curr)
		ts->blocked = 0;
}
