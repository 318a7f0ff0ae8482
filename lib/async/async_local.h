/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private declarations of the async runtime: the job, the per-thread state
 * and the wait ctx.  Nothing here is exported (hidden visibility, version
 * script); internal names carry the aoff_ prefix.
 */
#ifndef AOFF_ASYNC_LOCAL_H
#define AOFF_ASYNC_LOCAL_H

#include <stddef.h>
#include <openssl/async.h>

#include "fiber.h"

#define AOFF_EXPORT __attribute__((visibility("default")))

/* Life of a job, as OpenSSL's (plus IDLE: parked in the pool). */
enum aoff_job_state {
	AOFF_JOB_IDLE,
	AOFF_JOB_RUNNING,
	AOFF_JOB_PAUSING,	/* ASYNC_pause_job switched to the dispatcher */
	AOFF_JOB_PAUSED,	/* ASYNC_start_job returned ASYNC_PAUSE */
	AOFF_JOB_STOPPING,	/* func returned */
};

struct aoff_thread;

struct async_job_st {
	struct aoff_fiber fiber;
	struct aoff_thread *owner;	/* jobs never change thread */
	struct async_job_st *next;	/* idle list */
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
 * destructor.  It outlives ASYNC_cleanup_thread, which only drops the pool,
 * so paused jobs always find their dispatcher.
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
void aoff_pool_drain(struct aoff_thread *ts);

void *aoff_stack_alloc(size_t *size);
void aoff_stack_free(void *stack, size_t size);

void aoff_wait_ctx_reset_counts(ASYNC_WAIT_CTX *ctx);

#endif /* AOFF_ASYNC_LOCAL_H */
