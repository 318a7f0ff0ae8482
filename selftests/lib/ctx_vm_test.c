// SPDX-License-Identifier: Apache-2.0
/*
 * libasyncoff against the real device (run inside the VM with the module
 * loaded): contexts open and set up, NOPs go round the rings in batches
 * and every user_data comes back exactly once, waits time out, and the fd
 * reports readiness as documented.  The *_sqpoll variants run the same
 * bodies on doorbell-less contexts (skipped on a driver without
 * AOFF_FEAT_SQPOLL).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include <asyncoff/asyncoff.h>

#define DEV "/dev/asyncoff0"

FIXTURE(lib) {
	struct aoff_ctx *ctx;
};

FIXTURE_VARIANT(lib) {
	unsigned int sq, cq;
	int sqpoll;
};

FIXTURE_VARIANT_ADD(lib, sq1) { .sq = 1, .cq = 1 };
FIXTURE_VARIANT_ADD(lib, sq8) { .sq = 8, .cq = 0 };
FIXTURE_VARIANT_ADD(lib, sq64) { .sq = 64, .cq = 256 };
FIXTURE_VARIANT_ADD(lib, sq1_sqpoll) { .sq = 1, .cq = 1, .sqpoll = 1 };
FIXTURE_VARIANT_ADD(lib, sq64_sqpoll) { .sq = 64, .cq = 256, .sqpoll = 1 };

FIXTURE_SETUP(lib)
{
	struct aoff_ctx_opts o = { .sz = sizeof(o) };

	if (access(DEV, F_OK))
		SKIP(return, DEV " missing: the module is not loaded");
	o.sq_entries = variant->sq;
	o.cq_entries = variant->cq;
	o.data_bytes = 8192;
	if (variant->sqpoll)
		o.flags = AOFF_CTX_F_SQPOLL;
	self->ctx = aoff_ctx_open(DEV, &o);
	if (!self->ctx && variant->sqpoll && errno == EOPNOTSUPP)
		SKIP(return, "driver refuses AOFF_SETUP_F_SQPOLL");
	ASSERT_NE(NULL, self->ctx) TH_LOG("aoff_ctx_open: %s", strerror(errno));
	ASSERT_EQ(variant->sqpoll, aoff_ctx_sqpoll(self->ctx));
}

FIXTURE_TEARDOWN(lib)
{
	if (self->ctx)
		aoff_ctx_close(self->ctx);
}

/* Pull CQEs until @want arrived, marking each user_data in @seen. */
static int reap(struct aoff_ctx *ctx, unsigned char *seen, unsigned int n,
		unsigned int want)
{
	struct aoff_cqe *cqe;
	unsigned int got = 0;

	while (got < want) {
		int ret = aoff_wait_cqe(ctx, &cqe, 5000000000LL);

		if (ret)
			return ret;
		if (cqe->user_data >= n || cqe->res != 0)
			return -EPROTO;
		if (seen[cqe->user_data]++)
			return -EEXIST;
		aoff_cqe_seen(ctx, cqe);
		got++;
	}
	return 0;
}

/* 5000 doorbells: over the default 30 s on a loaded debug kernel. */
TEST_F_TIMEOUT(lib, nops_complete_exactly_once, 180)
{
	const unsigned int n = 5000;
	unsigned char *seen = calloc(n, 1);
	unsigned int next = 0, inflight = 0;

	ASSERT_NE(NULL, seen);
	while (next < n) {
		struct aoff_sqe *sqe;
		int ret;

		while (next < n && inflight < aoff_ctx_cq_entries(self->ctx) &&
		       (sqe = aoff_get_sqe(self->ctx))) {
			aoff_prep_nop(sqe, next++);
			inflight++;
		}
		ret = aoff_submit(self->ctx);
		ASSERT_GE(ret, 0) TH_LOG("submit: %s", strerror(-ret));
		ASSERT_EQ(0, reap(self->ctx, seen, n, 1));
		inflight--;
	}
	ASSERT_EQ(0, reap(self->ctx, seen, n, inflight));
	for (unsigned int i = 0; i < n; i++) {
		ASSERT_EQ(1, seen[i]) TH_LOG("user_data %u", i);
	}
	EXPECT_EQ(-EAGAIN, aoff_peek_cqe(self->ctx, &(struct aoff_cqe *){0}));
	free(seen);
}

TEST_F(lib, sq_full_then_space)
{
	unsigned int i, sq = aoff_ctx_sq_entries(self->ctx);

	EXPECT_EQ(sq, aoff_sq_space(self->ctx));
	for (i = 0; i < sq; i++)
		ASSERT_NE(NULL, aoff_get_sqe(self->ctx));
	EXPECT_EQ(NULL, aoff_get_sqe(self->ctx));
	EXPECT_EQ(0u, aoff_sq_space(self->ctx));
	ASSERT_EQ((int)sq, aoff_submit(self->ctx));
	/* The doorbell consumes at once; a watching device a bit later. */
	if (!variant->sqpoll)
		EXPECT_EQ(sq, aoff_sq_space(self->ctx));
	ASSERT_EQ(0, aoff_submit_and_wait(self->ctx, sq, 5000000000LL) < 0);
	EXPECT_EQ(sq, aoff_sq_space(self->ctx));
	EXPECT_EQ(sq, aoff_cq_ready(self->ctx));
	aoff_cq_advance(self->ctx, sq);
	EXPECT_EQ(0u, aoff_cq_ready(self->ctx));
}

TEST_F(lib, wait_times_out)
{
	struct aoff_cqe *cqe;

	EXPECT_EQ(-ETIME, aoff_wait_cqe(self->ctx, &cqe, 1000000));
}

/*
 * The calls the bridge uses instead of the library's internals:
 * aoff_sq_pending(), aoff_submit_flags() saying whether it rang,
 * aoff_wait_cq() waiting without submitting, aoff_cq_ready_any_thread().
 */
TEST_F(lib, submit_flags_and_waits)
{
	struct aoff_sqe *sqe;
	int rang = -1;

	EXPECT_EQ(-EINVAL, aoff_submit_flags(self->ctx, 1u << 7, &rang));
	EXPECT_EQ(0u, aoff_sq_pending(self->ctx));
	/* Nothing prepared: no system call. */
	EXPECT_EQ(0, aoff_submit_flags(self->ctx, 0, &rang));
	EXPECT_EQ(0, rang);

	sqe = aoff_get_sqe(self->ctx);
	ASSERT_NE(NULL, sqe);
	aoff_prep_nop(sqe, 1);
	EXPECT_EQ(1u, aoff_sq_pending(self->ctx));
	/* The first submission always rings: no device watches yet. */
	ASSERT_EQ(1, aoff_submit_flags(self->ctx, 0, &rang));
	EXPECT_EQ(1, rang);
	ASSERT_EQ(0, aoff_wait_cq(self->ctx, 1, 5000000000LL));
	EXPECT_EQ(1u, aoff_cq_ready(self->ctx));
	EXPECT_EQ(1u, aoff_cq_ready_any_thread(self->ctx));
	EXPECT_EQ(0u, aoff_sq_pending(self->ctx));
	/* Enough pending: no sleep. */
	EXPECT_EQ(0, aoff_wait_cq(self->ctx, 1, 0));
	aoff_cq_advance(self->ctx, 1);
	EXPECT_EQ(0u, aoff_cq_ready_any_thread(self->ctx));
	/* Nothing in flight: a wait without submitting times out. */
	EXPECT_EQ(-ETIME, aoff_wait_cq(self->ctx, 1, 1000000));

	/*
	 * SQPOLL: AOFF_SUBMIT_F_DOORBELL rings even where the device would
	 * take the entry by itself; then, with a CQE not yet consumed (the
	 * device keeps watching at least a second), a plain submission
	 * makes no system call and the device still takes it.
	 */
	if (variant->sqpoll) {
		sqe = aoff_get_sqe(self->ctx);
		ASSERT_NE(NULL, sqe);
		aoff_prep_nop(sqe, 2);
		ASSERT_GE(aoff_submit_flags(self->ctx, AOFF_SUBMIT_F_DOORBELL,
					    &rang), 0);
		EXPECT_EQ(1, rang);
		ASSERT_EQ(0, aoff_wait_cq(self->ctx, 1, 5000000000LL));
		sqe = aoff_get_sqe(self->ctx);
		ASSERT_NE(NULL, sqe);
		aoff_prep_nop(sqe, 3);
		ASSERT_GE(aoff_submit_flags(self->ctx, 0, &rang), 0);
		EXPECT_EQ(0, rang);
		aoff_cq_advance(self->ctx, 1);
		ASSERT_EQ(0, aoff_wait_cq(self->ctx, 1, 5000000000LL));
		EXPECT_EQ(0u, aoff_sq_pending(self->ctx));
		aoff_cq_advance(self->ctx, 1);
	}
}

TEST_F(lib, fd_readiness)
{
	struct pollfd p = { .fd = aoff_ctx_fd(self->ctx), .events = POLLIN | POLLOUT };
	struct aoff_cqe *cqe;

	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents);
	aoff_prep_nop(aoff_get_sqe(self->ctx), 7);
	ASSERT_EQ(1, aoff_submit(self->ctx));
	p.events = POLLIN;
	ASSERT_EQ(1, poll(&p, 1, 5000));
	EXPECT_EQ(POLLIN, p.revents);
	ASSERT_EQ(0, aoff_peek_cqe(self->ctx, &cqe));
	EXPECT_EQ(7u, cqe->user_data);
	aoff_cqe_seen(self->ctx, cqe);
	ASSERT_EQ(0, poll(&p, 1, 0));
	EXPECT_FALSE(aoff_ctx_broken(self->ctx));
}

TEST_F(lib, data_ranges_checked_by_device)
{
	int64_t off = aoff_data_alloc(self->ctx, 256);
	struct aoff_sqe *sqe;
	struct aoff_cqe *cqe;

	ASSERT_GE(off, 0);
	ASSERT_NE(NULL, aoff_data_ptr(self->ctx, (uint64_t)off));
	sqe = aoff_get_sqe(self->ctx);
	aoff_prep_nop(sqe, 1);
	sqe->in_off = (uint64_t)off;
	sqe->in_len = 256;
	ASSERT_EQ(1, aoff_submit(self->ctx));
	ASSERT_EQ(0, aoff_wait_cqe(self->ctx, &cqe, 5000000000LL));
	EXPECT_EQ(0, cqe->res);
	aoff_cqe_seen(self->ctx, cqe);

	/* Past the end of the data area: the device refuses it. */
	sqe = aoff_get_sqe(self->ctx);
	aoff_prep_nop(sqe, 2);
	sqe->in_off = aoff_data_size(self->ctx) - 16;
	sqe->in_len = 32;
	ASSERT_EQ(1, aoff_submit(self->ctx));
	ASSERT_EQ(0, aoff_wait_cqe(self->ctx, &cqe, 5000000000LL));
	EXPECT_EQ(-EFAULT, cqe->res);
	aoff_cqe_seen(self->ctx, cqe);
	aoff_data_free(self->ctx, (uint64_t)off);
}

TEST(info_reports_nop)
{
	struct aoff_info info;
	struct aoff_ctx *ctx;

	if (access(DEV, F_OK))
		SKIP(return, DEV " missing: the module is not loaded");
	ctx = aoff_ctx_open(DEV, NULL);
	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(0, aoff_ctx_info(ctx, &info));
	EXPECT_EQ(AOFF_ABI_VERSION, info.abi_version);
	EXPECT_TRUE(info.ops[0] & (1ULL << AOFF_OP_NOP));
	aoff_ctx_close(ctx);
}

TEST_HARNESS_MAIN
