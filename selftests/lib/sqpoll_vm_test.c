// SPDX-License-Identifier: Apache-2.0
/*
 * Doorbell-less submission (AOFF_CTX_F_SQPOLL) against the real device: the
 * feature is reported or refused with EOPNOTSUPP, sq_idle_us comes back as
 * the driver set it, back-to-back submissions cost far fewer system calls
 * than requests (aoff_ctx_syscalls), every request completes with the right
 * result, and once the device stopped watching an idle context the next
 * submission rings the doorbell and still completes; a reset makes the
 * next submission ring and fail with EIO.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aoff/sysfs.h"
#include "kselftest_harness.h"
#include <asyncoff/asyncoff.h>

#define DEV "/dev/asyncoff0"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The device's features, or 0 with no device (the caller skips). */
static uint64_t dev_features(void)
{
	struct aoff_info info;
	struct aoff_ctx *ctx = aoff_ctx_open(DEV, NULL);
	uint64_t f = 0;

	if (!ctx)
		return 0;
	if (!aoff_ctx_info(ctx, &info))
		f = info.features;
	aoff_ctx_close(ctx);
	return f;
}

#define NEED_SQPOLL()							\
	do {								\
		if (access(DEV, F_OK))					\
			SKIP(return, DEV " missing: module not loaded");	\
		if (!(dev_features() & AOFF_FEAT_SQPOLL))		\
			SKIP(return, "driver refuses AOFF_SETUP_F_SQPOLL " \
			     "(no AOFF_FEAT_SQPOLL)");			\
	} while (0)

static struct aoff_ctx *open_sqpoll(unsigned int sq, unsigned int idle_us)
{
	struct aoff_ctx_opts o = { .sz = sizeof(o) };

	o.sq_entries = sq;
	o.data_bytes = 16384;
	o.flags = AOFF_CTX_F_SQPOLL;
	o.sq_idle_us = idle_us;
	return aoff_ctx_open(DEV, &o);
}

/*
 * Consume every CQE that is there, without a system call; checks each
 * user_data is new and below @n and each result is @want_res.
 */
static int drain(struct aoff_ctx *ctx, unsigned char *seen, unsigned int n,
		 int32_t want_res, unsigned int *got)
{
	struct aoff_cqe *cqe;

	while (aoff_peek_cqe(ctx, &cqe) == 0) {
		if (cqe->user_data >= n || cqe->res != want_res)
			return -EPROTO;
		if (seen[cqe->user_data]++)
			return -EEXIST;
		aoff_cqe_seen(ctx, cqe);
		(*got)++;
	}
	return 0;
}

/* Either the feature is there, or opening with the flag says EOPNOTSUPP. */
TEST(flag_matches_feature)
{
	struct aoff_ctx *ctx;
	uint64_t f;

	if (access(DEV, F_OK))
		SKIP(return, DEV " missing: the module is not loaded");
	f = dev_features();
	errno = 0;
	ctx = open_sqpoll(8, 0);
	if (!(f & AOFF_FEAT_SQPOLL)) {
		EXPECT_EQ(NULL, ctx);
		EXPECT_EQ(EOPNOTSUPP, errno);
		return;
	}
	ASSERT_NE(NULL, ctx) TH_LOG("open: %s", strerror(errno));
	EXPECT_TRUE(aoff_ctx_sqpoll(ctx));
	aoff_ctx_close(ctx);

	ctx = aoff_ctx_open(DEV, NULL);
	ASSERT_NE(NULL, ctx);
	EXPECT_FALSE(aoff_ctx_sqpoll(ctx));
	EXPECT_EQ(0u, aoff_ctx_sq_idle_us(ctx));
	aoff_ctx_close(ctx);
}

TEST(idle_round_trips)
{
	struct aoff_ctx *ctx;

	NEED_SQPOLL();
	ctx = open_sqpoll(8, 0);
	ASSERT_NE(NULL, ctx);
	EXPECT_EQ(AOFF_SQ_IDLE_DEFAULT_US, aoff_ctx_sq_idle_us(ctx));
	aoff_ctx_close(ctx);
	ctx = open_sqpoll(8, 12345);
	ASSERT_NE(NULL, ctx);
	EXPECT_EQ(12345u, aoff_ctx_sq_idle_us(ctx));
	aoff_ctx_close(ctx);
	ctx = open_sqpoll(8, AOFF_SQ_IDLE_MAX_US);
	ASSERT_NE(NULL, ctx);
	EXPECT_EQ(AOFF_SQ_IDLE_MAX_US, aoff_ctx_sq_idle_us(ctx));
	aoff_ctx_close(ctx);
}

/*
 * 1000 SHA-256 requests, one aoff_submit() each, reaped by peeking: the
 * device watches the SQ while requests are in flight, so only the first
 * submission (NEED_WAKEUP is set at setup) and a few after an idle gap
 * may ring.  The digests must all be right.
 */
TEST(back_to_back_few_syscalls)
{
	const unsigned int n = 1000;
	unsigned char *seen = calloc(n, 1);
	unsigned char want[32];
	unsigned int next = 0, got = 0, inflight = 0;
	struct aoff_ctx *ctx;
	int64_t in, out;
	uint64_t deadline, sys0;
	unsigned int i;

	NEED_SQPOLL();
	ASSERT_NE(NULL, seen);
	/* A long idle time: a slow (emulated) guest must not stop watching. */
	ctx = open_sqpoll(64, 200000);
	ASSERT_NE(NULL, ctx);
	in = aoff_data_alloc(ctx, 3);
	out = aoff_data_alloc(ctx, 32 * 128);
	ASSERT_GE(in, 0);
	ASSERT_GE(out, 0);
	memcpy(aoff_data_ptr(ctx, in), "abc", 3);

	/* The reference digest, through the doorbell path of a wait. */
	aoff_prep_sha256(aoff_get_sqe(ctx), 0, in, 3, out);
	{
		struct aoff_cqe *cqe;

		ASSERT_EQ(0, aoff_wait_cqe(ctx, &cqe, 5000000000LL));
		ASSERT_EQ(32, cqe->res);
		aoff_cqe_seen(ctx, cqe);
		memcpy(want, aoff_data_ptr(ctx, out), 32);
	}
	/* FIPS 180-4 "abc" starts ba 78 16 bf. */
	ASSERT_EQ(0xba, want[0]);
	ASSERT_EQ(0x78, want[1]);

	sys0 = aoff_ctx_syscalls(ctx);
	deadline = now_ns() + 60ULL * 1000000000ULL;
	while (got < n) {
		struct aoff_sqe *sqe;

		if (next < n && inflight < aoff_ctx_cq_entries(ctx) &&
		    (sqe = aoff_get_sqe(ctx))) {
			/* Each request its own 32-byte output slot. */
			aoff_prep_sha256(sqe, next, in, 3,
					 out + 32 * (next % 128));
			ASSERT_LE(1, aoff_submit(ctx));
			next++;
			inflight++;
		}
		i = got;
		ASSERT_EQ(0, drain(ctx, seen, n, 32, &got));
		inflight -= got - i;
		ASSERT_GT(deadline, now_ns())
			TH_LOG("%u of %u completed in 60 s", got, n);
	}
	for (i = 0; i < 128; i++)
		EXPECT_EQ(0, memcmp(want, (uint8_t *)aoff_data_ptr(ctx, out) +
				    32 * i, 32));
	TH_LOG("%u requests, %llu system calls, %llu doorbells saved", n,
	       (unsigned long long)(aoff_ctx_syscalls(ctx) - sys0),
	       (unsigned long long)aoff_ctx_doorbells_saved(ctx));
	EXPECT_LT(aoff_ctx_syscalls(ctx) - sys0, n / 10);
	EXPECT_LE(n - n / 10, aoff_ctx_doorbells_saved(ctx));
	aoff_ctx_close(ctx);
	free(seen);
}

/*
 * Idle longer than sq_idle_us: the device stops watching and sets
 * NEED_WAKEUP, so the next submission costs exactly one doorbell; it
 * completes, and the one after it (device watching again) costs none.
 */
TEST(idle_then_doorbell)
{
	struct aoff_ctx *ctx;
	struct aoff_cqe *cqe;
	uint64_t sys, deadline;
	int round;

	NEED_SQPOLL();
	/*
	 * 100 ms: long enough that the second submission below finds the
	 * device still watching even on a loaded debug kernel (1 ms was
	 * not), short enough to idle out quickly.
	 */
	ctx = open_sqpoll(8, 100000);
	ASSERT_NE(NULL, ctx);
	for (round = 0; round < 3; round++) {
		/* Idle for 7 times the idle time: the device stopped. */
		usleep(700000);
		sys = aoff_ctx_syscalls(ctx);
		aoff_prep_nop(aoff_get_sqe(ctx), 100 + round);
		ASSERT_EQ(1, aoff_submit(ctx));
		EXPECT_EQ(sys + 1, aoff_ctx_syscalls(ctx))
			TH_LOG("round %d: no doorbell after idling", round);

		/* Watching again: the next one goes without a syscall. */
		aoff_prep_nop(aoff_get_sqe(ctx), 200 + round);
		sys = aoff_ctx_syscalls(ctx);
		ASSERT_LE(1, aoff_submit(ctx));
		EXPECT_EQ(sys, aoff_ctx_syscalls(ctx))
			TH_LOG("round %d: doorbell although watching", round);

		/* Both complete (peek first: no syscall is needed). */
		deadline = now_ns() + 10ULL * 1000000000ULL;
		while (aoff_cq_ready(ctx) < 2 && now_ns() < deadline)
			;
		ASSERT_EQ(0, aoff_wait_cqe(ctx, &cqe, 5000000000LL));
		EXPECT_EQ(100u + round, cqe->user_data);
		EXPECT_EQ(0, cqe->res);
		aoff_cqe_seen(ctx, cqe);
		ASSERT_EQ(0, aoff_wait_cqe(ctx, &cqe, 5000000000LL));
		EXPECT_EQ(200u + round, cqe->user_data);
		EXPECT_EQ(0, cqe->res);
		aoff_cqe_seen(ctx, cqe);
	}
	aoff_ctx_close(ctx);
}

/* Waiting calls keep working: submit_and_wait enters with the SQEs. */
TEST(submit_and_wait_works)
{
	struct aoff_ctx *ctx;
	unsigned int i;

	NEED_SQPOLL();
	ctx = open_sqpoll(16, 0);
	ASSERT_NE(NULL, ctx);
	for (i = 0; i < 16; i++)
		aoff_prep_nop(aoff_get_sqe(ctx), i);
	ASSERT_LE(0, aoff_submit_and_wait(ctx, 16, 5000000000LL));
	EXPECT_EQ(16u, aoff_cq_ready(ctx));
	aoff_cq_advance(ctx, 16);
	EXPECT_EQ(16u, aoff_sq_space(ctx));
	aoff_ctx_close(ctx);
}

/*
 * A reset breaks the context while the device watches it: the status
 * word then carries NEED_WAKEUP (and BROKEN), so the next submission
 * rings the doorbell and reports EIO instead of publishing into a ring
 * nobody reads.
 */
TEST(broken_context_rings_and_fails)
{
	struct aoff_ctx *ctx;
	struct aoff_cqe *cqe;
	uint64_t sys;

	NEED_SQPOLL();
	if (access("/sys/class/misc/asyncoff0/reset", W_OK))
		SKIP(return, "no reset attribute in the device's sysfs");
	ctx = open_sqpoll(8, 200000);
	ASSERT_NE(NULL, ctx);
	aoff_prep_nop(aoff_get_sqe(ctx), 1);
	ASSERT_EQ(0, aoff_wait_cqe(ctx, &cqe, 5000000000LL));
	aoff_cqe_seen(ctx, cqe);
	/* Watching now (200 ms idle): a submission would need no doorbell. */
	ASSERT_EQ(0, aoff_attr_write("asyncoff0", "reset", "1"));
	EXPECT_TRUE(aoff_ctx_broken(ctx));
	sys = aoff_ctx_syscalls(ctx);
	aoff_prep_nop(aoff_get_sqe(ctx), 2);
	EXPECT_EQ(-EIO, aoff_submit(ctx));
	EXPECT_EQ(sys + 1, aoff_ctx_syscalls(ctx));
	aoff_ctx_close(ctx);

	/* Contexts opened after the reset work at once. */
	ctx = open_sqpoll(8, 0);
	ASSERT_NE(NULL, ctx);
	aoff_prep_nop(aoff_get_sqe(ctx), 3);
	ASSERT_EQ(0, aoff_wait_cqe(ctx, &cqe, 5000000000LL));
	EXPECT_EQ(3u, cqe->user_data);
	aoff_ctx_close(ctx);
}

TEST_HARNESS_MAIN
