// SPDX-License-Identifier: Apache-2.0
/*
 * The bridge without a device (host): aoff_bridge_get() fails cleanly with
 * errno, inside and outside a job, and a wait ctx gets no fd.  Built also
 * with neither ASYNC library linked (NO_ASYNC_LIB): libasyncoff.so still
 * loads, its ASYNC_* references stay unresolved, every call is synchronous.
 */
#include "kselftest_harness.h"
#include "bridge_test.h"

#define NODEV "/nonexistent/asyncoff-test"

FIXTURE(nodev) {
	int unused;
};

FIXTURE_SETUP(nodev)
{
	struct aoff_bridge_opts o = { .sz = sizeof(o), .device = NODEV };

	ASSERT_EQ(0, aoff_bridge_init(&o));
}

FIXTURE_TEARDOWN(nodev)
{
	aoff_bridge_cleanup();
}

TEST_F(nodev, get_fails_outside_job)
{
	errno = 0;
	ASSERT_EQ(NULL, aoff_bridge_get());
	ASSERT_EQ(ENOENT, errno);
	ASSERT_EQ(-EINVAL, aoff_bridge_run(NULL, NULL, 1, NULL));
}

TEST_F(nodev, opts_checked)
{
	struct { struct aoff_bridge_opts o; long tail; } big;
	struct aoff_bridge_opts o = { .sz = sizeof(o), .flags = 1U << 30 };

	aoff_bridge_cleanup();
	ASSERT_EQ(-EINVAL, aoff_bridge_init(&o));
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.tail = 1;
	ASSERT_EQ(-E2BIG, aoff_bridge_init(&big.o));
	big.tail = 0;
	big.o.device = NODEV;
	ASSERT_EQ(0, aoff_bridge_init(&big.o));
	ASSERT_EQ(-EBUSY, aoff_bridge_init(&big.o));
}

TEST_F(nodev, sqpoll_opts_checked)
{
	struct aoff_bridge_opts o = { .sz = sizeof(o) };

	aoff_bridge_cleanup();
	o.sq_idle_us = AOFF_SQ_IDLE_MAX_US + 1;
	ASSERT_EQ(-EINVAL, aoff_bridge_init(&o));
	/* An idle time for contexts that will not poll: a mistake. */
	o.sq_idle_us = 10;
	o.flags = AOFF_BRIDGE_F_NO_SQPOLL;
	ASSERT_EQ(-EINVAL, aoff_bridge_init(&o));
	o.flags = 0;
	o.sq_idle_us = AOFF_SQ_IDLE_MAX_US;
	o.device = NODEV;
	ASSERT_EQ(0, aoff_bridge_init(&o));
	/* No device: the SQPOLL attempt must not hide ENOENT. */
	errno = 0;
	ASSERT_EQ(NULL, aoff_bridge_get());
	ASSERT_EQ(ENOENT, errno);
}

#ifndef NO_ASYNC_LIB
static int job(void *arg)
{
	struct aoff_bridge_ctx *bc = aoff_bridge_get();

	(void)arg;
	return bc ? 0 : errno;
}

TEST_F(nodev, get_fails_in_job)
{
	ASYNC_WAIT_CTX *w = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *j = NULL;
	size_t n = 5;
	int ret = -1;

	ASSERT_NE(NULL, w);
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&j, w, &ret, job, NULL, 0));
	ASSERT_EQ(ENOENT, ret);
	ASSERT_EQ(1, ASYNC_WAIT_CTX_get_all_fds(w, NULL, &n));
	ASSERT_EQ(0, n);
	ASSERT_EQ(NULL, aoff_bridge_of(w));
	ASYNC_WAIT_CTX_free(w);
	ASYNC_cleanup_thread();
}
#endif

TEST_HARNESS_MAIN
