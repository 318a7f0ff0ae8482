// SPDX-License-Identifier: Apache-2.0
/*
 * Freeing a wait ctx releases its device context: the fds in
 * /proc/self/fd and the device's in-flight count come back to where they
 * were.  Also with a job abandoned mid-flight.
 *
 * What is legal there: OpenSSL never frees a paused job for the caller, and
 * resuming a job whose wait ctx was freed is a use after free.  The legal
 * way to abandon a session is to free its wait ctx and never resume the
 * paused job (its stack leaks, in libcrypto as in the runtime).  The
 * cleanup then closes the device context with the request still in flight;
 * the driver drops it.
 */
#include <poll.h>

#include "kselftest_harness.h"
#include "bridge_test.h"

static int on_complete(void *arg)
{
	(void)arg;
	return 1;
}

FIXTURE(life) {
	int fds0;
};

FIXTURE_VARIANT(life) {
	int callback;
};

FIXTURE_VARIANT_ADD(life, fd) { .callback = 0 };
FIXTURE_VARIANT_ADD(life, callback) { .callback = 1 };

FIXTURE_SETUP(life)
{
	struct aoff_bridge_opts o = { .sz = sizeof(o) };

	if (access(DEV, F_OK))
		SKIP(return, DEV " missing: the module is not loaded");
	o.flags = AOFF_BRIDGE_F_NO_THREAD;
	ASSERT_EQ(0, aoff_bridge_init(&o));
	self->fds0 = count_fds();
}

FIXTURE_TEARDOWN(life)
{
	aoff_bridge_cleanup();
	ASYNC_cleanup_thread();
}

/* Run one operation in @w to the end, polling its fd. */
static int run_one(ASYNC_WAIT_CTX *w)
{
	const struct op_args a = { .nreq = 1, .len = 128 };
	ASYNC_JOB *job = NULL;
	int ret = 0, r;

	while ((r = ASYNC_start_job(&job, w, &ret, nop_job, (void *)&a,
				    sizeof(a))) == ASYNC_PAUSE) {
		struct pollfd p = { .fd = the_fd(w), .events = POLLIN };

		if (poll(&p, 1, 5000) != 1)
			return -ETIMEDOUT;
	}
	return r == ASYNC_FINISH ? ret : -EFAULT;
}

TEST_F(life, free_releases)
{
	enum { N = 32 };
	ASYNC_WAIT_CTX *w[N];
	struct aoff_bridge_stats st = { .sz = sizeof(st) };
	long long dctx0 = sysfs_stat("contexts");
	int i, ring = variant->callback;

	for (i = 0; i < N; i++) {
		w[i] = ASYNC_WAIT_CTX_new();
		ASSERT_NE(NULL, w[i]);
		if (variant->callback)
			ASYNC_WAIT_CTX_set_callback(w[i], on_complete, NULL);
		ASSERT_EQ(JOB_OK, run_one(w[i]));
		ASSERT_EQ(JOB_OK, run_one(w[i]));
	}
	/* One fd per wait ctx (+ the dispatcher's io_uring). */
	ASSERT_EQ(self->fds0 + N + ring, count_fds());
	ASSERT_EQ(0, aoff_bridge_stats(&st));
	ASSERT_EQ(N, st.contexts);
	for (i = 0; i < N; i++)
		ASYNC_WAIT_CTX_free(w[i]);
	ASSERT_EQ(self->fds0 + ring, count_fds());
	ASSERT_EQ(0, aoff_bridge_stats(&st));
	ASSERT_EQ(0, st.contexts);
	aoff_bridge_cleanup();
	ASSERT_EQ(self->fds0, count_fds());
	if (dctx0 < 0)
		return;
	/* The device agrees: its contexts are released (io_uring may drop
	 * its file references a moment later). */
	for (i = 0; i < 200 && sysfs_stat("contexts") != dctx0; i++)
		usleep(10000);
	ASSERT_EQ(dctx0, sysfs_stat("contexts"));
}

TEST_F(life, abandoned_mid_flight)
{
	const struct op_args a = { .nreq = 8, .len = 256 };
	long long inflight0 = sysfs_stat("in_flight");
	long long latency0 = sysfs_stat("latency_ns");
	int i, abandoned = 0;

	/* A slow model (1 ms) keeps the requests in flight at the free. */
	if (latency0 >= 0)
		ASSERT_EQ(0, sysfs_write("latency_ns", "1000000"));

	for (i = 0; i < 16; i++) {
		ASYNC_WAIT_CTX *w = ASYNC_WAIT_CTX_new();
		ASYNC_JOB *job = NULL;
		int ret = 0;

		ASSERT_NE(NULL, w);
		if (variant->callback)
			ASYNC_WAIT_CTX_set_callback(w, on_complete, NULL);
		if (ASYNC_start_job(&job, w, &ret, nop_job, (void *)&a,
				    sizeof(a)) == ASYNC_PAUSE)
			abandoned++;
		/* Never resumed: the session is dropped right here. */
		ASYNC_WAIT_CTX_free(w);
		ASSERT_EQ(self->fds0 + variant->callback, count_fds());
	}
	if (latency0 >= 0) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%lld", latency0);
		sysfs_write("latency_ns", buf);
	}
	ASSERT_LT(0, abandoned);
	if (inflight0 < 0)
		SKIP(return, "fds checked; no %s/in_flight to check the "
		     "device's side", SYSFS_DEV);
	/* The driver drops what was queued when the context closes. */
	for (i = 0; i < 200 && sysfs_stat("in_flight") > inflight0; i++)
		usleep(10000);
	ASSERT_EQ(inflight0, sysfs_stat("in_flight"));
}

TEST_HARNESS_MAIN
