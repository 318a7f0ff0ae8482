// SPDX-License-Identifier: Apache-2.0
/*
 * Per-thread state.  The hot path reads one initial-exec TLS pointer; a
 * pthread key exists only for its destructor, which frees the thread's
 * pool when the thread exits (OpenSSL does the same through its thread-stop
 * handlers).
 */
#include <pthread.h>
#include <stdlib.h>

#include "async_local.h"

__thread struct aoff_thread *aoff_async_tls
	__attribute__((tls_model("initial-exec")));

static pthread_key_t aoff_thread_key;
static pthread_once_t aoff_thread_once = PTHREAD_ONCE_INIT;
static int aoff_thread_key_ok;

static void aoff_thread_exit(void *arg)
{
	struct aoff_thread *ts = arg;

	aoff_pool_drain(ts);
	aoff_async_tls = NULL;
	/*
	 * Jobs still out (paused, or resumed on another thread) point at ts:
	 * it stays until the last of them finishes, wherever that is, and is
	 * freed there.  A paused job never resumed leaks with it, as in
	 * OpenSSL.
	 */
	if (aoff_pool_retire(ts))
		free(ts);
}

static void aoff_thread_key_init(void)
{
	aoff_thread_key_ok =
		pthread_key_create(&aoff_thread_key, aoff_thread_exit) == 0;
}

/* The calling thread's state, created on first use; NULL if out of memory. */
struct aoff_thread *aoff_thread_get(void)
{
	struct aoff_thread *ts = aoff_async_tls;

	if (ts)
		return ts;
	pthread_once(&aoff_thread_once, aoff_thread_key_init);
	if (!aoff_thread_key_ok)
		return NULL;
	ts = calloc(1, sizeof(*ts));
	if (!ts)
		return NULL;
	if (pthread_setspecific(aoff_thread_key, ts) != 0) {
		free(ts);
		return NULL;
	}
	aoff_async_tls = ts;
	return ts;
}

/* Free the calling thread's idle jobs when the library goes away (exit or
 * dlclose), as OpenSSL's OPENSSL_cleanup does for its pool. */
__attribute__((destructor)) static void aoff_async_fini(void)
{
	struct aoff_thread *ts = aoff_async_tls;

	if (ts)
		aoff_pool_drain(ts);
	/* After dlclose the destructor's code is gone. */
	if (aoff_thread_key_ok)
		pthread_key_delete(aoff_thread_key);
}
