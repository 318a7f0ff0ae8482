// SPDX-License-Identifier: Apache-2.0
/*
 * Conformance of the job API (ASYNC_start_job(3) and friends) with OpenSSL
 * 3.x: return values, pool limits, pause/block semantics, argument copying,
 * misuse answers, and state kept across context switches.  Built against
 * libcrypto and against the runtime; both must pass.
 */
#include <fenv.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "async_test.h"
#include "kselftest_harness.h"

static int return_value(void *arg)
{
	return arg ? *(int *)arg : 1234;
}

TEST(is_capable)
{
	/* Both implementations run jobs on POSIX: they must say so. */
	EXPECT_EQ(1, ASYNC_is_capable());
}

TEST(start_finish_return_value)
{
	static const int values[] = { 7, 0, -5, INT32_MAX, INT32_MIN };
	ASYNC_JOB *job = NULL;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		ret = 0x5a5a;
		ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, NULL, &ret, return_value,
							(void *)&values[i], sizeof(int)));
		EXPECT_EQ(values[i], ret);
		EXPECT_EQ(NULL, job);
	}
	ASYNC_cleanup_thread();
}

TEST(pause_and_resume)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL, *first;
	int n = 3, ret = 0x5a5a, i;

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
	ASSERT_NE(NULL, job);
	first = job;
	/* ASYNC_PAUSE leaves *ret alone. */
	EXPECT_EQ(0x5a5a, ret);
	for (i = 1; i < 3; i++) {
		ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
		/* The same job, every time. */
		EXPECT_EQ(first, job);
		EXPECT_EQ(0x5a5a, ret);
	}
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
	EXPECT_EQ(103, ret);
	/* "job pointer cleared on finish" */
	EXPECT_EQ(NULL, job);
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
}

TEST(pause_outside_job)
{
	ASYNC_JOB *job = NULL;
	int n = 0, ret;

	/* Before any job exists on this thread: success, nothing happens. */
	EXPECT_EQ(NULL, ASYNC_get_current_job());
	EXPECT_EQ(1, ASYNC_pause_job());
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, NULL, &ret, pause_n, &n, sizeof(n)));
	/* And after one ran. */
	EXPECT_EQ(NULL, ASYNC_get_current_job());
	EXPECT_EQ(1, ASYNC_pause_job());
	ASYNC_cleanup_thread();
	EXPECT_EQ(NULL, ASYNC_get_current_job());
	EXPECT_EQ(1, ASYNC_pause_job());
}

struct current_state {
	ASYNC_JOB *inside[3];
	ASYNC_WAIT_CTX *wctx[3];
};

static int record_current(void *arg)
{
	struct current_state *st = JOB_STATE(struct current_state, arg);
	int i;

	for (i = 0; i < 3; i++) {
		st->inside[i] = ASYNC_get_current_job();
		st->wctx[i] = st->inside[i] ? ASYNC_get_wait_ctx(st->inside[i]) : NULL;
		if (i < 2)
			ASYNC_pause_job();
	}
	return 0;
}

TEST(current_job_and_wait_ctx)
{
	struct current_state st = { 0 };
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new(), *other = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL, *paused;
	int ret;

	ASSERT_NE(NULL, ctx);
	ASSERT_NE(NULL, other);
	ASSERT_EQ(ASYNC_PAUSE, start_job(&job, ctx, &ret, record_current, &st));
	paused = job;
	EXPECT_EQ(paused, st.inside[0]);
	EXPECT_EQ(ctx, st.wctx[0]);
	/* Outside the job: no current job, the paused one keeps its ctx. */
	EXPECT_EQ(NULL, ASYNC_get_current_job());
	EXPECT_EQ(ctx, ASYNC_get_wait_ctx(paused));
	/* Resuming with another wait ctx does not rebind the job. */
	ASSERT_EQ(ASYNC_PAUSE, start_job(&job, other, &ret, record_current, &st));
	EXPECT_EQ(paused, st.inside[1]);
	EXPECT_EQ(ctx, st.wctx[1]);
	EXPECT_EQ(ctx, ASYNC_get_wait_ctx(job));
	ASSERT_EQ(ASYNC_FINISH, start_job(&job, NULL, &ret, record_current, &st));
	EXPECT_EQ(paused, st.inside[2]);
	EXPECT_EQ(ctx, st.wctx[2]);
	EXPECT_EQ(NULL, ASYNC_get_current_job());
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_WAIT_CTX_free(other);
	ASYNC_cleanup_thread();
}

static int record_once(void *arg)
{
	struct current_state *st = JOB_STATE(struct current_state, arg);

	st->inside[0] = ASYNC_get_current_job();
	st->wctx[0] = st->inside[0] ? ASYNC_get_wait_ctx(st->inside[0]) : NULL;
	return 0;
}

TEST(null_wait_ctx)
{
	struct current_state st = { 0 };
	ASYNC_JOB *job = NULL;
	int ret = -1, n = 0;

	/*
	 * A job without a wait ctx may run (pausing it is another matter:
	 * OpenSSL dereferences the NULL ctx on resume).
	 */
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, NULL, &ret, pause_n, &n, sizeof(n)));
	EXPECT_EQ(100, ret);
	ASSERT_EQ(ASYNC_FINISH, start_job(&job, NULL, &ret, record_once, &st));
	ASSERT_NE(NULL, st.inside[0]);
	EXPECT_EQ(NULL, st.wctx[0]);
	ASYNC_cleanup_thread();
}

struct block_state {
	int steps;
	int pause_rets[8];
	int mark[8];
};

/* Pauses while blocked must return 1 at once, without leaving the job. */
static int block_job(void *arg)
{
	struct block_state *st = JOB_STATE(struct block_state, arg);
	int s = 0;

	ASYNC_block_pause();
	st->mark[s] = 1;
	st->pause_rets[s++] = ASYNC_pause_job();	/* no-op */
	ASYNC_block_pause();
	ASYNC_unblock_pause();
	st->mark[s] = 1;
	st->pause_rets[s++] = ASYNC_pause_job();	/* still blocked: no-op */
	ASYNC_unblock_pause();
	st->mark[s] = 1;
	st->pause_rets[s++] = ASYNC_pause_job();	/* pauses */
	ASYNC_unblock_pause();				/* extra: ignored */
	ASYNC_unblock_pause();
	ASYNC_block_pause();
	st->mark[s] = 1;
	st->pause_rets[s++] = ASYNC_pause_job();	/* blocked again: no-op */
	ASYNC_unblock_pause();
	st->mark[s] = 1;
	st->pause_rets[s++] = ASYNC_pause_job();	/* pauses */
	st->steps = s;
	return 77;
}

TEST(block_pause_makes_pause_noop)
{
	struct block_state st = { 0 };
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int ret = 0, i;

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(ASYNC_PAUSE, start_job(&job, ctx, &ret, block_job, &st));
	/* The first real pause is the third call. */
	EXPECT_EQ(1, st.mark[2]);
	EXPECT_EQ(0, st.mark[3]);
	ASSERT_EQ(ASYNC_PAUSE, start_job(&job, ctx, &ret, block_job, &st));
	EXPECT_EQ(1, st.mark[4]);
	ASSERT_EQ(ASYNC_FINISH, start_job(&job, ctx, &ret, block_job, &st));
	EXPECT_EQ(77, ret);
	EXPECT_EQ(5, st.steps);
	for (i = 0; i < 5; i++)
		EXPECT_EQ(1, st.pause_rets[i]);
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
}

TEST(block_outside_job_is_ignored)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int n = 1, ret = 0;

	ASSERT_NE(NULL, ctx);
	/* No job running: block/unblock do nothing, now or later. */
	ASYNC_block_pause();
	ASYNC_block_pause();
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
	ASYNC_block_pause();	/* a job is paused, none is current */
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
	EXPECT_EQ(101, ret);
	ASYNC_unblock_pause();
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
}

static int block_and_return(void *arg)
{
	(void)arg;
	ASYNC_block_pause();
	return 3;
}

static int unblock_then_pause(void *arg)
{
	(void)arg;
	ASYNC_unblock_pause();
	return ASYNC_pause_job() + 10;
}

TEST(block_outlives_its_job)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int n = 1, ret = 0;

	ASSERT_NE(NULL, ctx);
	/*
	 * OpenSSL counts blocks per thread, not per job: a job that returns
	 * while blocked leaves the next job on the thread unable to pause.
	 */
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, block_and_return, NULL, 0));
	EXPECT_EQ(3, ret);
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
	EXPECT_EQ(101, ret);
	/* Unblocking outside a job does not help... */
	ASYNC_unblock_pause();
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
	/* ...inside one does. */
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, unblock_then_pause, NULL, 0));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, unblock_then_pause, NULL, 0));
	EXPECT_EQ(11, ret);
	/* ASYNC_cleanup_thread() forgets the block count with the thread state. */
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, block_and_return, NULL, 0));
	ASYNC_cleanup_thread();
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
	EXPECT_EQ(0, LEAKS_FOUND());
}

struct arg_block {
	void *self;		/* the caller's address of this block */
	unsigned char bytes[200];
	int seen_ok_before, seen_ok_after;
	void *seen_at;
};

static int check_args(void *arg)
{
	struct arg_block *a = arg;
	int i, ok = 1;

	a->seen_at = a;
	for (i = 0; i < 200; i++)
		ok &= a->bytes[i] == (unsigned char)i;
	a->seen_ok_before = ok;
	/* Writes go to the copy only. */
	memset(a->bytes, 0xee, sizeof(a->bytes));
	ASYNC_pause_job();
	ok = 1;
	for (i = 0; i < 200; i++)
		ok &= a->bytes[i] == 0xee;
	/* The copy lives until the job ends; report through the caller's. */
	((struct arg_block *)a->self)->seen_ok_after = ok;
	((struct arg_block *)a->self)->seen_ok_before = a->seen_ok_before;
	((struct arg_block *)a->self)->seen_at = a->seen_at;
	return 1;
}

TEST(args_are_copied)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	struct arg_block a;
	ASYNC_JOB *job = NULL;
	int ret = 0, i;

	ASSERT_NE(NULL, ctx);
	memset(&a, 0, sizeof(a));
	a.self = &a;
	for (i = 0; i < 200; i++)
		a.bytes[i] = (unsigned char)i;
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, check_args, &a, sizeof(a)));
	/* The job's writes did not reach the caller's block. */
	for (i = 0; i < 200; i++)
		ASSERT_EQ((unsigned char)i, a.bytes[i]);
	/* The caller's later writes do not reach the job. */
	memset(a.bytes, 0x11, sizeof(a.bytes));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, check_args, &a, sizeof(a)));
	EXPECT_EQ(1, a.seen_ok_before);
	EXPECT_EQ(1, a.seen_ok_after);
	EXPECT_NE((void *)&a, a.seen_at);
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
	EXPECT_EQ(0, LEAKS_FOUND());
}

static unsigned long big_sum;

static int sum_big(void *arg)
{
	const unsigned char *p = arg;
	unsigned long s = 0;
	size_t i;

	ASYNC_pause_job();
	for (i = 0; i < 65536; i++)
		s += p[i] * (i % 7 + 1);
	big_sum = s;
	return 0;
}

TEST(large_args_are_copied)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	unsigned char *buf = malloc(65536);
	unsigned long want = 0;
	ASYNC_JOB *job = NULL;
	int ret;
	size_t i;

	ASSERT_NE(NULL, ctx);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < 65536; i++) {
		buf[i] = (unsigned char)(i * 31 + 7);
		want += buf[i] * (i % 7 + 1);
	}
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, sum_big, buf, 65536));
	memset(buf, 0, 65536);
	free(buf);
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, sum_big, NULL, 0));
	EXPECT_EQ(want, big_sum);
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
	EXPECT_EQ(0, LEAKS_FOUND());
}

static void *seen_arg;

static int record_arg(void *arg)
{
	seen_arg = arg;
	return 2;
}

TEST(null_args)
{
	ASYNC_JOB *job = NULL;
	int ret = 0;

	/* NULL args: the function gets NULL, whatever the size says. */
	seen_arg = &ret;
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, NULL, &ret, record_arg, NULL, 0));
	EXPECT_EQ(NULL, seen_arg);
	EXPECT_EQ(2, ret);
	seen_arg = &ret;
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, NULL, &ret, record_arg, NULL, 64));
	EXPECT_EQ(NULL, seen_arg);
	ASYNC_cleanup_thread();
}

TEST(args_with_size_zero)
{
	ASYNC_JOB *job = NULL;
	int ret = 0x5a5a, x = 1;

	/* Non-NULL args of size 0: nothing to copy, the function gets NULL. */
	seen_arg = &ret;
	EXPECT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, NULL, &ret, record_arg, &x, 0));
	EXPECT_EQ(NULL, seen_arg);
	EXPECT_EQ(2, ret);
	EXPECT_EQ(NULL, job);
	ASYNC_cleanup_thread();
}

TEST(pool_limit_no_jobs)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *j1 = NULL, *j2 = NULL, *j3 = NULL;
	int n = 1, r1, r2, r3 = 0x5a5a;

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(1, ASYNC_init_thread(2, 0));
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&j1, ctx, &r1, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&j2, ctx, &r2, pause_n, &n, sizeof(n)));
	EXPECT_NE(j1, j2);
	/* Both jobs in use: no job, and nothing touched. */
	EXPECT_EQ(ASYNC_NO_JOBS, ASYNC_start_job(&j3, ctx, &r3, pause_n, &n, sizeof(n)));
	EXPECT_EQ(NULL, j3);
	EXPECT_EQ(0x5a5a, r3);
	EXPECT_EQ(ASYNC_NO_JOBS, ASYNC_start_job(&j3, ctx, &r3, pause_n, &n, sizeof(n)));
	/* A finished job goes back to the pool and can be had again. */
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&j1, ctx, &r1, pause_n, &n, sizeof(n)));
	EXPECT_EQ(101, r1);
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&j3, ctx, &r3, pause_n, &n, sizeof(n)));
	EXPECT_EQ(ASYNC_NO_JOBS, ASYNC_start_job(&j1, ctx, &r1, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&j2, ctx, &r2, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&j3, ctx, &r3, pause_n, &n, sizeof(n)));
	EXPECT_EQ(101, r3);
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
}

TEST(pool_init_sizes)
{
	/* init_size larger than max_size is refused. */
	EXPECT_EQ(0, ASYNC_init_thread(1, 2));
	EXPECT_EQ(0, ASYNC_init_thread(0, 1));
	/* Pre-created jobs up to the max are fine. */
	EXPECT_EQ(1, ASYNC_init_thread(4, 4));
	ASYNC_cleanup_thread();
	EXPECT_EQ(1, ASYNC_init_thread(4, 0));
	ASYNC_cleanup_thread();
	EXPECT_EQ(1, ASYNC_init_thread(0, 0));
	ASYNC_cleanup_thread();
}

TEST(pool_max_zero_is_unlimited)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *jobs[64] = { 0 };
	int n = 1, ret, i;

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(1, ASYNC_init_thread(0, 0));
	for (i = 0; i < 64; i++)
		ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&jobs[i], ctx, &ret, pause_n, &n, sizeof(n)));
	for (i = 0; i < 64; i++) {
		ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&jobs[i], ctx, &ret, pause_n, &n, sizeof(n)));
		EXPECT_EQ(101, ret);
	}
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
}

TEST(pool_jobs_are_recycled)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int n = 1, ret, i;

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(1, ASYNC_init_thread(1, 1));
	for (i = 0; i < 500; i++) {
		ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
		ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
		ASSERT_EQ(101, ret);
	}
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
	EXPECT_EQ(0, LEAKS_FOUND());
}

TEST(start_without_init)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *a = NULL, *b = NULL;
	int n = 1, ra, rb;

	ASSERT_NE(NULL, ctx);
	/* No ASYNC_init_thread(): a default, unlimited pool appears. */
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&a, ctx, &ra, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&b, ctx, &rb, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&a, ctx, &ra, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&b, ctx, &rb, pause_n, &n, sizeof(n)));
	EXPECT_EQ(101, ra);
	EXPECT_EQ(101, rb);
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
}

TEST(cleanup_thread_resets_pool)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *a = NULL, *b = NULL;
	int n = 1, ra, rb;

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(1, ASYNC_init_thread(1, 0));
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&a, ctx, &ra, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_NO_JOBS, ASYNC_start_job(&b, ctx, &rb, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&a, ctx, &ra, pause_n, &n, sizeof(n)));
	ASYNC_cleanup_thread();
	/* The limit went with the pool; the next pool is the default one. */
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&a, ctx, &ra, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&b, ctx, &rb, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&a, ctx, &ra, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&b, ctx, &rb, pause_n, &n, sizeof(n)));
	/* And a new limit can be set after cleanup. */
	ASYNC_cleanup_thread();
	ASSERT_EQ(1, ASYNC_init_thread(1, 1));
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&a, ctx, &ra, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_NO_JOBS, ASYNC_start_job(&b, ctx, &rb, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&a, ctx, &ra, pause_n, &n, sizeof(n)));
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
	/* Cleaning up twice, or with nothing to clean, is harmless. */
	ASYNC_cleanup_thread();
	EXPECT_EQ(0, LEAKS_FOUND());
}

struct nested_state {
	int calls;
	int nested_rc;
	ASYNC_JOB *nested_job;
	int nested_ret;
	int nested_ran;
	int outer_rc;
	int outer_ret;
	int done;
};

static int nested_inner(void *arg)
{
	struct nested_state *st = JOB_STATE(struct nested_state, arg);

	st->nested_ran++;
	return 9;
}

static int nested_outer(void *arg)
{
	struct nested_state *st = JOB_STATE(struct nested_state, arg);

	if (st->calls++ == 0) {
		st->nested_job = NULL;
		st->nested_ret = 0x5a5a;
		st->nested_rc = start_job(&st->nested_job, NULL, &st->nested_ret,
					  nested_inner, st);
	}
	return 42;
}

TEST(nested_start_is_refused)
{
	struct nested_state *st;
	int status;
	pid_t pid;

	/* Shared with a child: libcrypto does not survive the aftermath. */
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st);
	memset(st, 0, sizeof(*st));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
		ASYNC_JOB *job = NULL;
		int n = 1;

		/* libcrypto's known crash needs no sanitizer report. */
		if (!IMPL_IS_RUNTIME)
			signal(SIGSEGV, SIG_DFL);
		st->outer_rc = start_job(&job, ctx, &st->outer_ret, nested_outer, st);
		if (st->outer_rc != ASYNC_FINISH || job != NULL ||
		    ASYNC_get_current_job() != NULL)
			_exit(2);
		/* The thread's async state must still work. */
		if (ASYNC_start_job(&job, ctx, &st->outer_ret, pause_n, &n, sizeof(n)) != ASYNC_PAUSE ||
		    ASYNC_start_job(&job, ctx, &st->outer_ret, pause_n, &n, sizeof(n)) != ASYNC_FINISH ||
		    st->outer_ret != 101)
			_exit(3);
		st->done = 1;
		ASYNC_WAIT_CTX_free(ctx);
		ASYNC_cleanup_thread();
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	/* Starting a job from inside a job: ASYNC_ERR, nothing started. */
	EXPECT_EQ(ASYNC_ERR, st->nested_rc);
	EXPECT_EQ(NULL, st->nested_job);
	EXPECT_EQ(0x5a5a, st->nested_ret);
	EXPECT_EQ(0, st->nested_ran);
	TH_LOG("%s: after the refused nested start the outer job %s (status 0x%x, "
	       "body ran %d time(s), outer rc %d)", IMPL_NAME,
	       st->done ? "finished cleanly" :
	       WIFSIGNALED(status) ? "crashed the process" : "went wrong",
	       status, st->calls, st->outer_rc);
#ifdef ASYNCOFF_ASYNC_RUNTIME
	/*
	 * OpenSSL 3.0 hands the running job back to its pool and then
	 * dereferences NULL when that job returns: no defined result to copy.
	 * The runtime must survive it: the outer job ends with its own value.
	 */
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(1, st->done);
#endif
	munmap(st, sizeof(*st));
}

/*
 * Many jobs alive at once, resumed in random order.  Each keeps state in
 * its own stack frame and registers across pauses, owns a wait ctx and
 * changes its fds, so a mixed-up stack or context shows as a wrong result.
 */
#define NJOBS 300

struct many_state {
	int id;
	int pauses;
	int resumed;
};

static int many_job(void *arg)
{
	struct many_state *st = JOB_STATE(struct many_state, arg);
	ASYNC_JOB *self = ASYNC_get_current_job();
	ASYNC_WAIT_CTX *ctx = ASYNC_get_wait_ctx(self);
	volatile int on_stack[16];
	unsigned long acc = (unsigned long)st->id * 2654435761u;
	double f = st->id * 0.5;
	int i, k;

	for (k = 0; k < 16; k++)
		on_stack[k] = st->id * 16 + k;
	for (i = 0; i < st->pauses; i++) {
		ASYNC_WAIT_CTX_set_wait_fd(ctx, (const void *)(uintptr_t)&on_stack[i % 16], st->id * 100 + i, NULL, NULL);
		if (ASYNC_pause_job() != 1 || ASYNC_get_current_job() != self)
			return -1;
		st->resumed++;
		acc = acc * 31 + (unsigned long)i;
		f = f * 1.5 + i;
	}
	for (k = 0; k < 16; k++)
		if (on_stack[k] != st->id * 16 + k)
			return -2;
	if (f < 0)
		return -3;
	return (int)(acc % 1000003) + (int)f % 7;
}

static int expected_many(int id, int pauses)
{
	unsigned long acc = (unsigned long)id * 2654435761u;
	double f = id * 0.5;
	int i;

	for (i = 0; i < pauses; i++) {
		acc = acc * 31 + (unsigned long)i;
		f = f * 1.5 + i;
	}
	return (int)(acc % 1000003) + (int)f % 7;
}

TEST(many_interleaved_jobs)
{
	static struct many_state st[NJOBS];
	static ASYNC_WAIT_CTX *ctx[NJOBS];
	static ASYNC_JOB *job[NJOBS];
	static int ret[NJOBS], done[NJOBS];
	unsigned int seed = 12345;
	int live = 0, i, rc;
	size_t nfds;

	for (i = 0; i < NJOBS; i++) {
		st[i].id = i;
		st[i].pauses = rand_r(&seed) % 12;
		ctx[i] = ASYNC_WAIT_CTX_new();
		ASSERT_NE(NULL, ctx[i]);
		rc = start_job(&job[i], ctx[i], &ret[i], many_job, &st[i]);
		ASSERT_EQ(st[i].pauses ? ASYNC_PAUSE : ASYNC_FINISH, rc);
		if (rc == ASYNC_PAUSE)
			live++;
		else
			done[i] = 1;
	}
	while (live) {
		i = rand_r(&seed) % NJOBS;
		if (done[i])
			continue;
		rc = start_job(&job[i], ctx[i], &ret[i], many_job, &st[i]);
		ASSERT_TRUE(rc == ASYNC_PAUSE || rc == ASYNC_FINISH);
		if (rc == ASYNC_FINISH) {
			done[i] = 1;
			live--;
			ASSERT_EQ(NULL, job[i]);
		}
	}
	for (i = 0; i < NJOBS; i++) {
		EXPECT_EQ(expected_many(i, st[i].pauses), ret[i]);
		EXPECT_EQ(st[i].pauses, st[i].resumed);
		ASSERT_EQ(1, ASYNC_WAIT_CTX_get_all_fds(ctx[i], NULL, &nfds));
		EXPECT_EQ((size_t)st[i].pauses, nfds);
		ASYNC_WAIT_CTX_free(ctx[i]);
	}
	ASYNC_cleanup_thread();
	EXPECT_EQ(0, LEAKS_FOUND());
}

static int rounding_job(void *arg)
{
	(void)arg;
	/* Each job its own rounding mode, kept across pauses. */
	if (fesetround(FE_UPWARD) != 0)
		return -1;
	ASYNC_pause_job();
	return fegetround() == FE_UPWARD ? 1 : 0;
}

TEST(fp_control_state_per_context)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int ret = -5, mode_at_pause, mode_at_finish;

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(0, fesetround(FE_TONEAREST));
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, rounding_job, NULL, 0));
	mode_at_pause = fegetround();
	ASSERT_EQ(0, fesetround(FE_DOWNWARD));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, rounding_job, NULL, 0));
	mode_at_finish = fegetround();
	fesetround(FE_TONEAREST);
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
#ifdef ASYNCOFF_ASYNC_RUNTIME
	/*
	 * The FP control state is callee-saved in the x86-64 and AAPCS64
	 * ABIs, so the runtime's switch keeps it per context: the caller
	 * gets its own mode back at a pause, the job its own at resume.
	 */
	EXPECT_EQ(FE_TONEAREST, mode_at_pause);
	EXPECT_EQ(1, ret);
	EXPECT_EQ(FE_DOWNWARD, mode_at_finish);
#else
	(void)mode_at_finish;
	SKIP(return, "libcrypto switches fibres with _longjmp, which leaves the FP "
	     "control state shared (mode at pause %#x, job saw its own: %d)",
	     mode_at_pause, ret);
#endif
}

/*
 * The same with sticky exception flags: the switch skips reloading the FP
 * control state when only the flags differ (the ABI does not preserve
 * them), and must reload it when only the control bits differ, flags
 * equal.  The SSE rounding mode (MXCSR) is seen through a division, the
 * x87 one through fegetround().
 */
static volatile double one = 1.0, mone = -1.0, three = 3.0;

/* 1/3 is not exact: rounded up it is above -(-1/3) rounded down. */
static int sse_rounds_up(void)
{
	return one / three > -(mone / three);
}

static int sse_rounds_nearest(void)
{
	return one / three == -(mone / three);
}

static int rounding_flags_job(void *arg)
{
	int ok = 1;

	(void)arg;
	if (fesetround(FE_UPWARD) != 0)
		return -1;
	feclearexcept(FE_ALL_EXCEPT);
	ASYNC_pause_job();	/* flags equal (none), control differs */
	ok &= fegetround() == FE_UPWARD && sse_rounds_up();
	feclearexcept(FE_ALL_EXCEPT);
	ASYNC_pause_job();	/* flags and control differ */
	ok &= fegetround() == FE_UPWARD && sse_rounds_up();
	return ok;
}

TEST(fp_control_state_with_exception_flags)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int ret = -5, mode[3], sse[3];

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(0, fesetround(FE_TONEAREST));
	feclearexcept(FE_ALL_EXCEPT);
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, rounding_flags_job, NULL, 0));
	mode[0] = fegetround();
	feclearexcept(FE_ALL_EXCEPT);
	sse[0] = sse_rounds_nearest();	/* raises FE_INEXACT here */
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, rounding_flags_job, NULL, 0));
	mode[1] = fegetround();
	sse[1] = sse_rounds_nearest();
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, rounding_flags_job, NULL, 0));
	mode[2] = fegetround();
	sse[2] = sse_rounds_nearest();
	fesetround(FE_TONEAREST);
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
#ifdef ASYNCOFF_ASYNC_RUNTIME
	EXPECT_EQ(FE_TONEAREST, mode[0]);
	EXPECT_EQ(FE_TONEAREST, mode[1]);
	EXPECT_EQ(FE_TONEAREST, mode[2]);
	EXPECT_EQ(1, sse[0]);
	EXPECT_EQ(1, sse[1]);
	EXPECT_EQ(1, sse[2]);
	EXPECT_EQ(1, ret);
#else
	(void)sse;
	SKIP(return, "libcrypto leaves the FP control state shared (modes "
	     "after each return %#x %#x %#x)", mode[0], mode[1], mode[2]);
#endif
}

/* Lots of live values across a switch: callee-saved registers must survive. */
static int registers_job(void *arg)
{
	int k = *(int *)arg;
	long a = k + 1, b = k * 3, c = k ^ 0x55, d = k << 4, e = k - 9, g = k * k;
	double x = k * 0.25, y = k * 1.75, z = k + 0.125, w = 3.0 / (k + 1);
	double u = x * y, v = z - w;
	int i;

	for (i = 0; i < 4; i++) {
		ASYNC_pause_job();
		a += b; b ^= c; c += d; d -= e; e += g; g ^= a;
		x += y; y *= 1.0001; z -= x; w += z; u *= 0.999; v += u;
	}
	return (int)((a + b + c + d + e + g) & 0xffff) ^
	       (int)((long)(x + y + z + w + u + v) & 0xffff);
}

TEST(live_values_survive_switches)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job[8] = { 0 };
	int ret[8], want[8], k, round, rc;

	ASSERT_NE(NULL, ctx);
	for (k = 0; k < 8; k++) {
		int kk = k + 10;

		ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job[k], ctx, &ret[k],
						       registers_job, &kk, sizeof(kk)));
	}
	for (round = 0; round < 4; round++)
		for (k = 7; k >= 0; k--) {
			rc = ASYNC_start_job(&job[k], ctx, &ret[k], registers_job, NULL, 0);
			ASSERT_EQ(round == 3 ? ASYNC_FINISH : ASYNC_PAUSE, rc);
		}
	/* The same computation outside a job, where pausing does nothing. */
	for (k = 0; k < 8; k++) {
		int kk = k + 10;

		want[k] = registers_job(&kk);
		EXPECT_EQ(want[k], ret[k]);
	}
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
}

static int deep_stack_job(void *arg)
{
	volatile unsigned char buf[20 * 1024];
	size_t i;
	unsigned int s = 0;

	(void)arg;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)i;
	ASYNC_pause_job();
	for (i = 0; i < sizeof(buf); i++)
		s += buf[i];
	return (int)s;
}

TEST(job_stack_holds_20k)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	unsigned int want = 0;
	int ret = 0;
	size_t i;

	ASSERT_NE(NULL, ctx);
	for (i = 0; i < 20 * 1024; i++)
		want += (unsigned char)i;
	/* OpenSSL's job stacks are 32 KiB; the runtime's are no smaller. */
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, deep_stack_job, NULL, 0));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, deep_stack_job, NULL, 0));
	EXPECT_EQ((int)want, ret);
	ASYNC_WAIT_CTX_free(ctx);
	ASYNC_cleanup_thread();
}

TEST_HARNESS_MAIN
