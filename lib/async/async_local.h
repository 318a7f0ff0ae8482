/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private declarations of the async runtime: the job, the per-thread state
 * and the wait ctx.  Nothing here is exported (hidden visibility, version
 * script); internal names carry the aoff_ prefix.
 */
#ifndef AOFF_ASYNC_LOCAL_H
#define AOFF_ASYNC_LOCAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <openssl/async.h>

#include "async_offsets.h"
#include "fiber.h"

#define AOFF_EXPORT __attribute__((visibility("default")))

/* Life of a job, as OpenSSL's (plus IDLE: parked in the pool). */
enum aoff_job_state {
	AOFF_JOB_IDLE = AOFF_JOB_IDLE_V,
	AOFF_JOB_RUNNING = AOFF_JOB_RUNNING_V,
	/* ASYNC_pause_job switched to the dispatcher */
	AOFF_JOB_PAUSING = AOFF_JOB_PAUSING_V,
	/* ASYNC_start_job returned ASYNC_PAUSE */
	AOFF_JOB_PAUSED = AOFF_JOB_PAUSED_V,
	AOFF_JOB_STOPPING = AOFF_JOB_STOPPING_V,	/* func returned */
};

struct aoff_thread;

struct async_job_st {
	struct aoff_fiber fiber;
	/*
	 * The pool the job came from and goes back to.  As in OpenSSL, a
	 * paused job may be resumed on any thread; only the owner's pool
	 * lists it, so a job finishing elsewhere is handed back
	 * (aoff_pool_put_foreign).
	 */
	struct aoff_thread *owner;
	/*
	 * The thread running it now (set by ASYNC_start_job before every
	 * switch in): pause and finish switch to this thread's dispatcher,
	 * and the job reads it from here, never from TLS, after a switch.
	 */
	struct aoff_thread *runner;
	struct async_job_st *next;	/* idle list, hand-back list */
	int (*func)(void *);
	void *args;			/* NULL, argbuf or bigbuf */
	ASYNC_WAIT_CTX *waitctx;
	int ret;
	enum aoff_job_state state;
	void *stack;
	size_t stack_size;
	void *bigbuf;			/* kept for reuse by the next big args */
	size_t bigcap;
	_Alignas(16) unsigned char argbuf[ASYNCOFF_ASYNC_ARGS_INLINE];
};

/*
 * One per thread, created on first use and freed by the thread-exit
 * destructor -- or, if jobs of its pool are still out (paused, or running
 * on another thread), by whoever finishes the last of them.  It outlives
 * ASYNC_cleanup_thread, which only drops the pool.
 *
 * Everything but the last two fields is touched by the owning thread only
 * (no atomics on the fast path); remote, dead and, once dead is set, live
 * are protected by the global hand-back lock in pool.c.
 */
struct aoff_thread {
	struct aoff_fiber dispatcher;	/* where ASYNC_start_job waits */
	struct async_job_st *curr;	/* job running now, or NULL */
	size_t blocked;			/* ASYNC_block_pause depth */
	int pool_ready;			/* ASYNC_init_thread happened */
	size_t max_size;		/* 0: unlimited */
	size_t curr_size;		/* jobs made since the pool's init */
	size_t live;			/* jobs not in the idle list */
	struct async_job_st *idle;	/* LIFO: the warmest stack first */
	/* Jobs of this pool that finished on other threads.  Written under
	 * the hand-back lock; read without it only as a hint. */
	_Atomic(struct async_job_st *) remote;
	int dead;			/* the thread has exited */
};

/*
 * initial-exec: one %fs-relative load on the hot path.  The variable is a
 * single pointer, which fits the static TLS surplus glibc keeps for
 * dlopen()ed libraries.
 */
extern __thread struct aoff_thread *aoff_async_tls
	__attribute__((tls_model("initial-exec"), visibility("hidden")));

struct aoff_thread *aoff_thread_get(void);
struct async_job_st *aoff_pool_get(struct aoff_thread *ts);
void aoff_pool_put(struct aoff_thread *ts, struct async_job_st *job);
void aoff_pool_put_foreign(struct async_job_st *job);
void aoff_pool_drain(struct aoff_thread *ts);
int aoff_pool_retire(struct aoff_thread *ts);

/*
 * With AOFF_FASTPATH, ASYNC_start_job and ASYNC_pause_job are assembly
 * (fastpath_<arch>.S): resuming a paused job is done there, everything
 * else goes to aoff_start_job_slow (the C ASYNC_start_job), and a job
 * that finished is completed by aoff_start_job_finish.
 */
int aoff_start_job_slow(ASYNC_JOB **jobp, ASYNC_WAIT_CTX *wctx, int *ret,
			int (*func)(void *), void *args, size_t size);
int aoff_start_job_finish(ASYNC_JOB **jobp, int *ret, ASYNC_JOB *job);

void *aoff_stack_alloc(size_t *size);
void aoff_stack_free(void *stack, size_t size);

void aoff_wait_ctx_reset_counts(ASYNC_WAIT_CTX *ctx);

#endif /* AOFF_ASYNC_LOCAL_H */
