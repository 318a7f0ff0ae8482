/* SPDX-License-Identifier: Apache-2.0 */
/*
 * <openssl/async.h> of the asyncoff async runtime.
 *
 * A standalone implementation of OpenSSL 3.x's async API: the same names,
 * types, constants and prototypes as OpenSSL's header, so a program written
 * against <openssl/async.h> compiles unchanged with
 *     -I include/async-runtime
 * and links with -lasyncoff-async instead of -lcrypto.  Behaviour matches
 * libcrypto's; see ASYNC_start_job(3), ASYNC_WAIT_CTX_new(3),
 * ASYNC_set_mem_functions(3) and Documentation/async-runtime.md.
 *
 * Only the async part of OpenSSL is provided: do not mix this header with
 * the rest of OpenSSL's headers in one translation unit.
 */
#ifndef OPENSSL_ASYNC_H
#define OPENSSL_ASYNC_H
#pragma once

#include <stdlib.h>

/* Tells a program which implementation it was compiled against. */
#define ASYNCOFF_ASYNC_RUNTIME 1

/*
 * Argument blocks (the args/size of ASYNC_start_job) up to this many bytes
 * are copied into a buffer inside the pooled job: no allocation.  Larger
 * blocks use a per-job heap buffer that is kept and reused by later jobs.
 */
#define ASYNCOFF_ASYNC_ARGS_INLINE 256

/* Usable stack of a job with the default stack allocator (a PROT_NONE guard
 * page lies below it). */
#define ASYNCOFF_ASYNC_STACK_SIZE 65536

#ifndef OPENSSL_NO_DEPRECATED_3_0
#define HEADER_ASYNC_H
#endif

#define OSSL_ASYNC_FD int
#define OSSL_BAD_ASYNC_FD -1

/* Reason codes of OpenSSL's <openssl/asyncerr.h>, for source compatibility. */
#define ASYNC_R_FAILED_TO_SET_POOL 101
#define ASYNC_R_FAILED_TO_SWAP_CONTEXT 102
#define ASYNC_R_INIT_FAILED 105
#define ASYNC_R_INVALID_POOL_SIZE 103

#ifdef __cplusplus
extern "C" {
#endif

typedef struct async_job_st ASYNC_JOB;
typedef struct async_wait_ctx_st ASYNC_WAIT_CTX;
typedef int (*ASYNC_callback_fn)(void *arg);

#define ASYNC_ERR 0
#define ASYNC_NO_JOBS 1
#define ASYNC_PAUSE 2
#define ASYNC_FINISH 3

#define ASYNC_STATUS_UNSUPPORTED 0
#define ASYNC_STATUS_ERR 1
#define ASYNC_STATUS_OK 2
#define ASYNC_STATUS_EAGAIN 3

int ASYNC_init_thread(size_t max_size, size_t init_size);
void ASYNC_cleanup_thread(void);

ASYNC_WAIT_CTX *ASYNC_WAIT_CTX_new(void);
void ASYNC_WAIT_CTX_free(ASYNC_WAIT_CTX *ctx);
int ASYNC_WAIT_CTX_set_wait_fd(ASYNC_WAIT_CTX *ctx, const void *key,
			       OSSL_ASYNC_FD fd,
			       void *custom_data,
			       void (*cleanup)(ASYNC_WAIT_CTX *, const void *,
					       OSSL_ASYNC_FD, void *));
int ASYNC_WAIT_CTX_get_fd(ASYNC_WAIT_CTX *ctx, const void *key,
			  OSSL_ASYNC_FD *fd, void **custom_data);
int ASYNC_WAIT_CTX_get_all_fds(ASYNC_WAIT_CTX *ctx, OSSL_ASYNC_FD *fd,
			       size_t *numfds);
int ASYNC_WAIT_CTX_get_callback(ASYNC_WAIT_CTX *ctx,
				ASYNC_callback_fn *callback,
				void **callback_arg);
int ASYNC_WAIT_CTX_set_callback(ASYNC_WAIT_CTX *ctx,
				ASYNC_callback_fn callback,
				void *callback_arg);
int ASYNC_WAIT_CTX_set_status(ASYNC_WAIT_CTX *ctx, int status);
int ASYNC_WAIT_CTX_get_status(ASYNC_WAIT_CTX *ctx);
int ASYNC_WAIT_CTX_get_changed_fds(ASYNC_WAIT_CTX *ctx, OSSL_ASYNC_FD *addfd,
				   size_t *numaddfds, OSSL_ASYNC_FD *delfd,
				   size_t *numdelfds);
int ASYNC_WAIT_CTX_clear_fd(ASYNC_WAIT_CTX *ctx, const void *key);

int ASYNC_is_capable(void);

/* OpenSSL 3.2: custom allocation of job stacks. */
typedef void *(*ASYNC_stack_alloc_fn)(size_t *num);
typedef void (*ASYNC_stack_free_fn)(void *addr);

int ASYNC_set_mem_functions(ASYNC_stack_alloc_fn alloc_fn,
			    ASYNC_stack_free_fn free_fn);
void ASYNC_get_mem_functions(ASYNC_stack_alloc_fn *alloc_fn,
			     ASYNC_stack_free_fn *free_fn);

int ASYNC_start_job(ASYNC_JOB **job, ASYNC_WAIT_CTX *ctx, int *ret,
		    int (*func)(void *), void *args, size_t size);
int ASYNC_pause_job(void);

ASYNC_JOB *ASYNC_get_current_job(void);
ASYNC_WAIT_CTX *ASYNC_get_wait_ctx(ASYNC_JOB *job);
void ASYNC_block_pause(void);
void ASYNC_unblock_pause(void);

#ifdef __cplusplus
}
#endif
#endif /* OPENSSL_ASYNC_H */
