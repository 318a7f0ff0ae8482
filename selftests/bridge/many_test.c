// SPDX-License-Identifier: Apache-2.0
/*
 * 10,000 wait ctxs at once, each with its own device context, every job
 * paused at the same time; resumed through epoll (fd mode) or by the
 * callback dispatcher (one io_uring, one multishot poll per context).
 * Then everything is freed and the fds come back.
 */
#include <sys/epoll.h>
#include <sys/resource.h>

#include "kselftest_harness.h"
#include "bridge_test.h"

#define NMAX 10000
/* BRIDGE_MANY=n runs fewer (a quick look); the suite runs NMAX. */
static unsigned int N = NMAX;

struct mslot {
	ASYNC_JOB *job;
	ASYNC_WAIT_CTX *w;
	int ret;
	int woken;
};

static struct mslot *woken_list[NMAX];
static unsigned int nr_woken;

static int on_complete(void *arg)
{
	/* Manual dispatch: runs on the test's own thread. */
	woken_list[nr_woken++] = arg;
	return 1;
}

FIXTURE(many) {
	struct mslot *s;
	int fds0;
};

FIXTURE_VARIANT(many) {
	int callback;
};

FIXTURE_VARIANT_ADD(many, fd_epoll) { .callback = 0 };
FIXTURE_VARIANT_ADD(many, callback) { .callback = 1 };

FIXTURE_SETUP(many)
{
	struct aoff_bridge_opts o = { .sz = sizeof(o) };
	struct rlimit rl = { .rlim_cur = NMAX + 256, .rlim_max = NMAX + 256 };
	const char *env = getenv("BRIDGE_MANY");

	if (access(DEV, F_OK))
		SKIP(return, DEV " missing: the module is not loaded");
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl))
		TH_LOG("need CAP_SYS_RESOURCE to raise RLIMIT_NOFILE");
	if (env && atoi(env) > 0 && atoi(env) < NMAX)
		N = (unsigned int)atoi(env);
	o.flags = AOFF_BRIDGE_F_NO_THREAD;
	o.sq_entries = 4;
	o.data_bytes = 4096;
	ASSERT_EQ(0, aoff_bridge_init(&o));
	self->s = calloc(N, sizeof(*self->s));
	ASSERT_NE(NULL, self->s);
	ASSERT_EQ(1, ASYNC_init_thread(N, 0));
	self->fds0 = count_fds();
}

FIXTURE_TEARDOWN(many)
{
	free(self->s);
	aoff_bridge_cleanup();
	ASYNC_cleanup_thread();
}

TEST_F_TIMEOUT(many, ten_thousand, 600)
{
	const struct op_args a = { .nreq = 1, .len = 64 };
	struct aoff_bridge_stats st = { .sz = sizeof(st) };
	uint64_t deadline, t0 = now_ms();
	unsigned int i, paused = 0, left;
	int ep = -1;

	if (!variant->callback) {
		ep = epoll_create1(EPOLL_CLOEXEC);
		ASSERT_LE(0, ep);
	}
	for (i = 0; i < N; i++) {
		struct mslot *s = &self->s[i];
		int r;

		s->w = ASYNC_WAIT_CTX_new();
		ASSERT_NE(NULL, s->w);
		if (variant->callback)
			ASYNC_WAIT_CTX_set_callback(s->w, on_complete, s);
		r = ASYNC_start_job(&s->job, s->w, &s->ret, nop_job,
				    (void *)&a, sizeof(a));
		ASSERT_NE(ASYNC_ERR, r) TH_LOG("job %u", i);
		if (r == ASYNC_FINISH) {
			ASSERT_EQ(JOB_OK, s->ret) TH_LOG("job %u", i);
			s->job = NULL;
			continue;
		}
		paused++;
		if (ep >= 0) {
			struct epoll_event ev = { .events = EPOLLIN,
						  .data.ptr = s };

			ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD,
					       the_fd(s->w), &ev));
		}
	}
	ASSERT_EQ(0, aoff_bridge_stats(&st));
	ASSERT_EQ(N, st.contexts);
	ASSERT_EQ(self->fds0 + N + (ep >= 0) + variant->callback, count_fds());
	TH_LOG("%s: %u wait ctxs open, %u jobs paused, %llu ms", IMPL, N,
	       paused, (unsigned long long)(now_ms() - t0));

	deadline = now_ms() + 300000;
	for (left = paused; left; ) {
		struct epoll_event evs[256];
		unsigned int nr = 0;

		ASSERT_GT(deadline, now_ms()) TH_LOG("%u jobs still paused",
						     left);
		if (ep >= 0) {
			int n = epoll_wait(ep, evs, 256, 5000);

			ASSERT_LT(0, n);
			for (i = 0; i < (unsigned int)n; i++)
				woken_list[nr++] = evs[i].data.ptr;
		} else {
			nr_woken = 0;
			ASSERT_LE(0, aoff_bridge_dispatch(5000));
			nr = nr_woken;
		}
		for (i = 0; i < nr; i++) {
			struct mslot *s = woken_list[i];
			int r;

			ASSERT_NE(NULL, s->job);
			r = ASYNC_start_job(&s->job, s->w, &s->ret, nop_job,
					    (void *)&a, sizeof(a));
			if (r == ASYNC_PAUSE)
				continue;	/* not ours yet */
			ASSERT_EQ(ASYNC_FINISH, r);
			ASSERT_EQ(JOB_OK, s->ret);
			s->job = NULL;
			left--;
			if (ep >= 0)
				epoll_ctl(ep, EPOLL_CTL_DEL, the_fd(s->w), NULL);
		}
	}
	TH_LOG("%s: all done after %llu ms", IMPL,
	       (unsigned long long)(now_ms() - t0));
	for (i = 0; i < N; i++)
		ASYNC_WAIT_CTX_free(self->s[i].w);
	if (ep >= 0)
		close(ep);
	ASSERT_EQ(0, aoff_bridge_stats(&st));
	ASSERT_EQ(0, st.contexts);
	ASSERT_EQ(self->fds0 + variant->callback, count_fds());
}

TEST_HARNESS_MAIN
