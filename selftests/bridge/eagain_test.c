// SPDX-License-Identifier: Apache-2.0
/*
 * A tiny ring (one SQ slot, one CQ slot) and an operation of several
 * requests: the device refuses the second request until the first one's
 * completion is consumed.  Callback mode: the job pauses with status
 * ASYNC_STATUS_EAGAIN (no callback is due), the application resumes it to
 * retry, and the operation ends in success.  fd mode: the job pauses, the
 * fd turns readable as the first request completes and frees room.
 */
#include <poll.h>

#include "kselftest_harness.h"
#include "bridge_test.h"

static int calls;

static int on_complete(void *arg)
{
	(void)arg;
	__atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED);
	return 1;
}

FIXTURE(tiny) {
	ASYNC_WAIT_CTX *w;
	long long latency0;
};

FIXTURE_VARIANT(tiny) {
	int callback;
};

FIXTURE_VARIANT_ADD(tiny, callback) { .callback = 1 };
FIXTURE_VARIANT_ADD(tiny, fd) { .callback = 0 };

FIXTURE_SETUP(tiny)
{
	struct aoff_bridge_opts o = { .sz = sizeof(o) };

	if (access(DEV, F_OK))
		SKIP(return, DEV " missing: the module is not loaded");
	o.sq_entries = 1;
	o.cq_entries = 1;
	o.data_bytes = 4096;
	o.flags = AOFF_BRIDGE_F_NO_THREAD;
	ASSERT_EQ(0, aoff_bridge_init(&o));
	self->w = ASYNC_WAIT_CTX_new();
	ASSERT_NE(NULL, self->w);
	/* A slow device (model latency 1 ms) makes the full queue certain. */
	self->latency0 = sysfs_stat("latency_ns");
	if (self->latency0 >= 0)
		ASSERT_EQ(0, sysfs_write("latency_ns", "1000000"));
	if (variant->callback)
		ASSERT_EQ(1, ASYNC_WAIT_CTX_set_callback(self->w, on_complete,
							 NULL));
}

FIXTURE_TEARDOWN(tiny)
{
	char buf[32];

	if (self->latency0 >= 0) {
		snprintf(buf, sizeof(buf), "%lld", self->latency0);
		sysfs_write("latency_ns", buf);
	}
	ASYNC_WAIT_CTX_free(self->w);
	aoff_bridge_cleanup();
	ASYNC_cleanup_thread();
}

TEST_F_TIMEOUT(tiny, eagain_then_success, 120)
{
	const struct op_args a = { .nreq = 4 };
	unsigned int eagain = 0, ok = 0, rounds;
	uint64_t deadline = now_ms() + 60000;

	/* The first request may complete before the job looks: retry a few
	 * operations until one of them meets the full queue. */
	for (rounds = 0; rounds < 20 && (!(eagain + ok) || rounds < 2);
	     rounds++) {
		ASYNC_JOB *job = NULL;
		int ret = 0, r;

		for (;;) {
			r = ASYNC_start_job(&job, self->w, &ret, nop_job,
					    (void *)&a, sizeof(a));
			if (r == ASYNC_FINISH)
				break;
			ASSERT_EQ(ASYNC_PAUSE, r);
			ASSERT_GT(deadline, now_ms());
			if (!variant->callback) {
				struct pollfd p = { .fd = the_fd(self->w),
						    .events = POLLIN };

				/* Readable as room frees: nothing else to do. */
				ASSERT_EQ(1, poll(&p, 1, 5000));
				ok++;
				continue;
			}
			switch (ASYNC_WAIT_CTX_get_status(self->w)) {
			case ASYNC_STATUS_EAGAIN:
				eagain++;	/* resume to retry */
				usleep(100);
				break;
			case ASYNC_STATUS_OK:
				/* One callback per OK pause. */
				ok++;
				while ((unsigned int)__atomic_load_n(&calls,
						__ATOMIC_RELAXED) < ok) {
					ASSERT_GT(deadline, now_ms());
					ASSERT_LE(0, aoff_bridge_dispatch(100));
				}
				break;
			default:
				ASSERT_TRUE(0) TH_LOG("status %d",
					ASYNC_WAIT_CTX_get_status(self->w));
			}
		}
		ASSERT_EQ(JOB_OK, ret);
	}
	ASSERT_LT(0, eagain + ok) TH_LOG("no operation ever paused");
	if (variant->callback) {
		ASSERT_LT(0, eagain) TH_LOG("the queue never looked full");
		ASSERT_EQ(ok, (unsigned int)calls);
	}
	TH_LOG("%s: %u rounds, %u EAGAIN pauses, %u OK pauses", IMPL, rounds,
	       eagain, ok);
}

TEST_HARNESS_MAIN
