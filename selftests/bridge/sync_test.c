// SPDX-License-Identifier: Apache-2.0
/*
 * The same call completes synchronously outside a job, in a job without a
 * wait ctx, and in a job with pausing blocked (ASYNC_block_pause): the job
 * finishes in one ASYNC_start_job() call, with the right result.
 */
#include <pthread.h>

#include "kselftest_harness.h"
#include "bridge_test.h"

FIXTURE(sync) {
	int fds0;
};

FIXTURE_SETUP(sync)
{
	if (access(DEV, F_OK))
		SKIP(return, DEV " missing: the module is not loaded");
	self->fds0 = count_fds();
}

FIXTURE_TEARDOWN(sync)
{
	aoff_bridge_cleanup();
	ASYNC_cleanup_thread();
}

TEST_F(sync, outside_a_job)
{
	struct op_args a = { .nreq = 3, .len = 100 };
	struct aoff_bridge_ctx *bc;
	int i;

	ASSERT_EQ(NULL, ASYNC_get_current_job());
	for (i = 0; i < 100; i++)
		ASSERT_EQ(JOB_OK, nop_job(&a));
	/* One context for the thread, reused. */
	bc = aoff_bridge_get();
	ASSERT_NE(NULL, bc);
	ASSERT_EQ(bc, aoff_bridge_get());
	ASSERT_EQ(self->fds0 + 1, count_fds());
	aoff_bridge_cleanup();
	ASSERT_EQ(self->fds0, count_fds());
}

TEST_F(sync, job_without_wait_ctx)
{
	struct op_args a = { .nreq = 2 };
	ASYNC_JOB *job = NULL;
	int ret = 0;

	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, NULL, &ret, nop_job,
						&a, sizeof(a)));
	ASSERT_EQ(JOB_OK, ret);
}

TEST_F(sync, pause_blocked)
{
	struct op_args a = { .nreq = 2, .len = 64, .block_pause = 1 };
	ASYNC_WAIT_CTX *w = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int ret = 0, i;

	ASSERT_NE(NULL, w);
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, w, &ret, nop_job,
							&a, sizeof(a)));
		ASSERT_EQ(JOB_OK, ret);
	}
	/* Still one fd on the wait ctx, ours. */
	ASSERT_LE(0, the_fd(w));
	ASYNC_WAIT_CTX_free(w);
	ASSERT_EQ(self->fds0, count_fds());
}

/* Synchronous calls from several threads: one context each. */
static void *worker(void *p)
{
	struct op_args a = { .nreq = 1 };
	long i, bad = 0;

	(void)p;
	for (i = 0; i < 200; i++)
		bad += nop_job(&a) != JOB_OK;
	return (void *)bad;
}

TEST_F(sync, threads)
{
	pthread_t t[4];
	void *bad;
	int i;

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, worker, NULL));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &bad));
		ASSERT_EQ(NULL, bad);
	}
	/* Each thread's context went with the thread. */
	ASSERT_EQ(self->fds0, count_fds());
}

TEST_HARNESS_MAIN
