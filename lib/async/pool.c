// SPDX-License-Identifier: Apache-2.0
/*
 * The per-thread job pool: ASYNC_init_thread / ASYNC_cleanup_thread, making
 * jobs (a stack, a fiber whose entry loops over the jobs it runs) and
 * recycling them.  Reused jobs keep their stack and fiber, so starting a
 * job costs no allocation once the pool is warm.
 */
#include <pthread.h>
#include <stdlib.h>

#include "async_local.h"

/*
 * The rare path: a job finishing on a thread other than its pool's, and a
 * pool's thread exiting while some of its jobs are out.  One global lock
 * makes "hand the job back" and "the owner is gone, so destroy it and maybe
 * the owner's state too" atomic with respect to the owner's exit.  Same-thread
 * starts and finishes never take it.
 */
static pthread_mutex_t aoff_handback_lock = PTHREAD_MUTEX_INITIALIZER;

static void aoff_job_free(struct async_job_st *job)
{
	aoff_stack_free(job->stack, job->stack_size);
	free(job->bigbuf);
	free(job);
}

/*
 * Move the jobs other threads handed back into the idle list.  The relaxed
 * load is only a hint: a hand-back that happens-before this call is seen
 * (coherence); one racing with it is picked up next time.
 */
static void aoff_pool_take_remote(struct aoff_thread *ts)
{
	struct async_job_st *job, *next;

	if (!atomic_load_explicit(&ts->remote, memory_order_relaxed))
		return;
	pthread_mutex_lock(&aoff_handback_lock);
	job = atomic_load_explicit(&ts->remote, memory_order_relaxed);
	atomic_store_explicit(&ts->remote, NULL, memory_order_relaxed);
	pthread_mutex_unlock(&aoff_handback_lock);
	for (; job; job = next) {
		next = job->next;
		job->next = ts->idle;
		ts->idle = job;
		ts->live--;
	}
}

void aoff_pool_drain(struct aoff_thread *ts)
{
	struct async_job_st *job;

	aoff_pool_take_remote(ts);
	while ((job = ts->idle)) {
		ts->idle = job->next;
		aoff_job_free(job);
		if (ts->curr_size)
			ts->curr_size--;
	}
}

/*
 * The job finished on the calling thread, which is not its owner's: the
 * job's stack is no longer in use, so it can go back to its pool, or be
 * destroyed if the owner has exited -- together with the owner's state
 * when it was the last job out.
 */
void aoff_pool_put_foreign(struct async_job_st *job)
{
	struct aoff_thread *owner = job->owner;
	int destroy = 0, free_owner = 0;

	job->state = AOFF_JOB_IDLE;
	job->args = NULL;
	job->waitctx = NULL;
	job->runner = NULL;
	pthread_mutex_lock(&aoff_handback_lock);
	if (owner->dead) {
		destroy = 1;
		free_owner = --owner->live == 0;
	} else {
		job->next = atomic_load_explicit(&owner->remote,
						 memory_order_relaxed);
		atomic_store_explicit(&owner->remote, job,
				      memory_order_relaxed);
	}
	pthread_mutex_unlock(&aoff_handback_lock);
	if (destroy)
		aoff_job_free(job);
	if (free_owner)
		free(owner);
}

/*
 * The owning thread exits (its idle jobs are already freed): from now on
 * jobs of its pool that finish elsewhere are destroyed.  Returns 1 if no
 * job is out, so the caller frees ts; otherwise the last job to finish
 * does.
 */
int aoff_pool_retire(struct aoff_thread *ts)
{
	struct async_job_st *list, *next;
	int last;

	pthread_mutex_lock(&aoff_handback_lock);
	list = atomic_load_explicit(&ts->remote, memory_order_relaxed);
	atomic_store_explicit(&ts->remote, NULL, memory_order_relaxed);
	for (next = list; next; next = next->next)
		ts->live--;
	ts->dead = 1;
	last = ts->live == 0;
	pthread_mutex_unlock(&aoff_handback_lock);
	for (; list; list = next) {
		next = list->next;
		aoff_job_free(list);
	}
	return last;
}

static void aoff_job_main(void *arg)
{
	struct async_job_st *job = arg;

	aoff_fiber_entered(&job->runner->dispatcher);
	/*
	 * A pooled job keeps its fiber: each start re-enters this loop.
	 * job->runner is read after func: func may have paused and been
	 * resumed on another thread, whose dispatcher waits for us.
	 */
	for (;;) {
		job->ret = job->func(job->args);
		job->state = AOFF_JOB_STOPPING;
		aoff_fiber_leave(&job->fiber, &job->runner->dispatcher);
		aoff_fiber_back(&job->fiber, &job->runner->dispatcher);
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
	if (!job) {
		aoff_pool_take_remote(ts);
		job = ts->idle;
	}
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
