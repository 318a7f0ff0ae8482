// SPDX-License-Identifier: Apache-2.0
/*
 * The bridge with doorbell-less submission: 64 jobs in fd mode, driven as
 * openssl speed drives them (poll the wait ctxs' fds, resume the readable
 * ones).  With SQPOLL (the default when the device has it) the bridge's
 * system calls per operation stay under 0.1; the same run with
 * AOFF_BRIDGE_F_NO_SQPOLL needs at least one doorbell per operation, and
 * ASYNCOFF_SQPOLL=0 turns it off for programs that cannot call
 * aoff_bridge_init().  Results are compared between runs, not timed.
 */
#include <poll.h>

#include "kselftest_harness.h"
#include "bridge_test.h"

#define JOBS	64
#define OPS	64	/* per job */

struct sslot {
	ASYNC_JOB *job;
	ASYNC_WAIT_CTX *w;
	int ret;
	unsigned int done;
};

static int have_sqpoll(void)
{
	struct aoff_ctx *c = aoff_ctx_open(DEV, NULL);
	struct aoff_info info;
	int ret = 0;

	if (!c)
		return 0;
	if (!aoff_ctx_info(c, &info))
		ret = !!(info.features & AOFF_FEAT_SQPOLL);
	aoff_ctx_close(c);
	return ret;
}

static void stats(struct aoff_bridge_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->sz = sizeof(*st);
	aoff_bridge_stats(st);
}

/* Start or resume one job; 1 when it finished an operation, -1 on error. */
static int step(struct sslot *s, const struct op_args *a)
{
	int r = ASYNC_start_job(&s->job, s->w, &s->ret, nop_job, (void *)a,
				sizeof(*a));

	if (r == ASYNC_PAUSE)
		return 0;
	if (r != ASYNC_FINISH || s->ret != JOB_OK)
		return -1;
	s->job = NULL;
	s->done++;
	return 1;
}

/*
 * JOBS x OPS operations with the bridge set up by @o (NULL: defaults);
 * fills the stats difference.  Returns 0, or -1 on a failed job or a
 * stall.
 */
static int run(const struct aoff_bridge_opts *o, struct aoff_bridge_stats *d)
{
	const struct op_args a = { .nreq = 1, .len = 64 };
	struct aoff_bridge_stats s0, s1;
	struct sslot s[JOBS];
	struct pollfd pfd[JOBS];
	unsigned int idx[JOBS], i, left;
	uint64_t deadline = now_ms() + 120000;
	int rc = -1;

	if (o && aoff_bridge_init(o))
		return -1;
	memset(s, 0, sizeof(s));
	if (ASYNC_init_thread(JOBS, 0) != 1)
		return -1;
	for (i = 0; i < JOBS; i++)
		if (!(s[i].w = ASYNC_WAIT_CTX_new()))
			goto out;
	stats(&s0);
	for (;;) {
		unsigned int np = 0;

		left = 0;
		for (i = 0; i < JOBS; i++) {
			while (!s[i].job && s[i].done < OPS)
				if (step(&s[i], &a) < 0)
					goto out;
			if (s[i].job) {
				pfd[np].fd = the_fd(s[i].w);
				pfd[np].events = POLLIN;
				idx[np++] = i;
				left++;
			}
		}
		if (!left)
			break;
		if (now_ms() > deadline || poll(pfd, np, 5000) <= 0)
			goto out;
		for (i = 0; i < np; i++)
			if ((pfd[i].revents & POLLIN) &&
			    step(&s[idx[i]], &a) < 0)
				goto out;
	}
	stats(&s1);
	d->syscalls = s1.syscalls - s0.syscalls;
	d->doorbells = s1.doorbells - s0.doorbells;
	d->doorbells_saved = s1.doorbells_saved - s0.doorbells_saved;
	d->sqpoll_opened = s1.sqpoll_opened - s0.sqpoll_opened;
	d->opened = s1.opened - s0.opened;
	rc = 0;
out:
	for (i = 0; i < JOBS; i++)
		ASYNC_WAIT_CTX_free(s[i].w);
	ASYNC_cleanup_thread();
	aoff_bridge_cleanup();
	return rc;
}

FIXTURE(sq) {
	int unused;
};

FIXTURE_SETUP(sq)
{
	if (access(DEV, F_OK))
		SKIP(return, DEV " missing: the module is not loaded");
	if (!have_sqpoll())
		SKIP(return, "driver refuses AOFF_SETUP_F_SQPOLL");
	unsetenv("ASYNCOFF_SQPOLL");
	aoff_bridge_cleanup();
}

FIXTURE_TEARDOWN(sq)
{
	unsetenv("ASYNCOFF_SQPOLL");
	aoff_bridge_cleanup();
}

TEST_F_TIMEOUT(sq, fd_mode_64_jobs, 300)
{
	struct aoff_bridge_opts off = { .sz = sizeof(off),
					.flags = AOFF_BRIDGE_F_NO_SQPOLL };
	/*
	 * SQPOLL is the default; the idle time is the longest, so what is
	 * checked is the mechanism, not the speed of the guest: on the
	 * debug kernel a round of this loop takes longer than the default
	 * 20 ms (0.44 syscalls/op there, 0.03 on the release kernels).
	 */
	struct aoff_bridge_opts on = { .sz = sizeof(on),
				       .sq_idle_us = AOFF_SQ_IDLE_MAX_US };
	struct aoff_bridge_stats on_st, off_st;
	const unsigned int ops = JOBS * OPS;

	ASSERT_EQ(0, run(&on, &on_st));
	ASSERT_EQ(0, run(&off, &off_st));
	TH_LOG("%s: %u ops; SQPOLL %llu syscalls (%llu doorbells, %llu saved);"
	       " doorbells only %llu syscalls", IMPL, ops,
	       (unsigned long long)on_st.syscalls,
	       (unsigned long long)on_st.doorbells,
	       (unsigned long long)on_st.doorbells_saved,
	       (unsigned long long)off_st.syscalls);

	EXPECT_EQ(JOBS, on_st.opened);
	EXPECT_EQ(JOBS, on_st.sqpoll_opened);
	EXPECT_EQ(JOBS, off_st.opened);
	EXPECT_EQ(0, off_st.sqpoll_opened);
	/* Without SQPOLL every operation rings its context's doorbell. */
	EXPECT_LE(ops, off_st.doorbells);
	EXPECT_LE(ops, off_st.syscalls);
	EXPECT_EQ(0, off_st.doorbells_saved);
	/* With it: under 0.1 system calls per operation. */
	EXPECT_GT(ops / 10, on_st.syscalls);
	EXPECT_GT(off_st.syscalls / 10, on_st.syscalls);
	/* Every submission is one or the other. */
	EXPECT_LE(ops, on_st.doorbells + on_st.doorbells_saved);
}

/* ASYNCOFF_SQPOLL=0: no SQPOLL context, for callers without init. */
TEST_F_TIMEOUT(sq, env_turns_it_off, 300)
{
	struct aoff_bridge_stats st;

	ASSERT_EQ(0, setenv("ASYNCOFF_SQPOLL", "0", 1));
	ASSERT_EQ(0, run(NULL, &st));
	EXPECT_EQ(JOBS, st.opened);
	EXPECT_EQ(0, st.sqpoll_opened);
	EXPECT_LE(JOBS * OPS, st.doorbells);

	/* Any other value leaves it on. */
	ASSERT_EQ(0, setenv("ASYNCOFF_SQPOLL", "1", 1));
	ASSERT_EQ(0, run(NULL, &st));
	EXPECT_EQ(JOBS, st.sqpoll_opened);
}

/* An idle time asked through the bridge reaches the device contexts. */
static int idle_job(void *arg)
{
	struct aoff_bridge_ctx *bc = aoff_bridge_get();

	(void)arg;
	if (!bc)
		return -errno;
	return (int)aoff_ctx_sq_idle_us(aoff_bridge_dev(bc));
}

/*
 * Synchronous calls (outside a job) use the thread's own context, opened
 * without SQPOLL: they ring and wait in one ioctl anyway, and a watched
 * context would only keep the device's poller busy.  A job's context in
 * the same thread still gets SQPOLL.
 */
TEST_F(sq, sync_context_without_sqpoll)
{
	struct aoff_bridge_stats s0, s1;
	struct aoff_bridge_ctx *bc;
	ASYNC_WAIT_CTX *w;
	ASYNC_JOB *job = NULL;
	int ret = 0;

	stats(&s0);
	bc = aoff_bridge_get();
	ASSERT_NE(NULL, bc);
	EXPECT_FALSE(aoff_ctx_sqpoll(aoff_bridge_dev(bc)));
	stats(&s1);
	EXPECT_EQ(1, s1.opened - s0.opened);
	EXPECT_EQ(0, s1.sqpoll_opened - s0.sqpoll_opened);

	ASSERT_EQ(1, ASYNC_init_thread(1, 0));
	w = ASYNC_WAIT_CTX_new();
	ASSERT_NE(NULL, w);
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, w, &ret, idle_job,
						NULL, 0));
	EXPECT_TRUE(aoff_ctx_sqpoll(aoff_bridge_dev(aoff_bridge_of(w))));
	ASYNC_WAIT_CTX_free(w);
	ASYNC_cleanup_thread();
}

TEST_F(sq, idle_time_reaches_contexts)
{
	struct aoff_bridge_opts o = { .sz = sizeof(o), .sq_idle_us = 4321 };
	ASYNC_WAIT_CTX *w;
	ASYNC_JOB *job = NULL;
	int ret = 0;

	ASSERT_EQ(0, aoff_bridge_init(&o));
	ASSERT_EQ(1, ASYNC_init_thread(1, 0));
	w = ASYNC_WAIT_CTX_new();
	ASSERT_NE(NULL, w);
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, w, &ret, idle_job,
						NULL, 0));
	EXPECT_EQ(4321, ret);
	ASYNC_WAIT_CTX_free(w);
	aoff_bridge_cleanup();

	/* 0: the bridge's default, longer than the driver's. */
	o.sq_idle_us = 0;
	ASSERT_EQ(0, aoff_bridge_init(&o));
	w = ASYNC_WAIT_CTX_new();
	ASSERT_NE(NULL, w);
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, w, &ret, idle_job,
						NULL, 0));
	EXPECT_EQ(AOFF_BRIDGE_DEFAULT_SQ_IDLE_US, ret);
	EXPECT_TRUE(aoff_ctx_sqpoll(aoff_bridge_dev(aoff_bridge_of(w))));
	ASYNC_WAIT_CTX_free(w);
	ASYNC_cleanup_thread();
}

TEST_HARNESS_MAIN
