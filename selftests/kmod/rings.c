// SPDX-License-Identifier: Apache-2.0
/*
 * Ring behaviour: filling the SQ, wrapping many times, batched doorbells,
 * admission (the CQ never overflows: a full CQ answers EAGAIN, a partial
 * batch is accepted) and every user_data completing exactly once.
 */
#include "kselftest_harness.h"
#include "aoff_test.h"

FIXTURE(rings)
{
	struct aoff_ring r;
	struct aoff_cqe *cqes;
	uint8_t *seen;
	uint32_t nseen;
};

FIXTURE_VARIANT(rings)
{
	uint32_t sq, cq;
};

FIXTURE_VARIANT_ADD(rings, sq1_cq2)     { .sq = 1, .cq = 2 };
FIXTURE_VARIANT_ADD(rings, sq4_cq4)     { .sq = 4, .cq = 4 };
FIXTURE_VARIANT_ADD(rings, sq32_cq128)  { .sq = 32, .cq = 128 };
FIXTURE_VARIANT_ADD(rings, sq256_cq256) { .sq = 256, .cq = 256 };

#define SEEN_MAX (1u << 20)

FIXTURE_SETUP(rings)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	ASSERT_EQ(0, aoff_ring_init(&self->r, variant->sq, variant->cq, 4096));
	ASSERT_EQ(variant->sq, self->r.s.sq_entries);
	ASSERT_EQ(variant->cq, self->r.s.cq_entries);
	self->cqes = calloc(self->r.s.cq_entries, sizeof(*self->cqes));
	self->seen = calloc(SEEN_MAX, 1);
	ASSERT_NE(NULL, self->cqes);
	ASSERT_NE(NULL, self->seen);
}

FIXTURE_TEARDOWN(rings)
{
	aoff_ring_exit(&self->r);
	free(self->cqes);
	free(self->seen);
}

/* Reaps what is there, marking each user_data; fails on a duplicate. */
static int reap_mark(struct aoff_ring *r, struct aoff_cqe *buf, uint8_t *seen,
		     uint64_t limit)
{
	unsigned int n = aoff_reap(r, buf, r->s.cq_entries), i;

	for (i = 0; i < n; i++) {
		if (buf[i].res != 0 || buf[i].user_data >= limit ||
		    seen[buf[i].user_data]++)
			return -1;
	}
	return (int)n;
}

TEST_F(rings, fill_sq)
{
	uint32_t n = 0, got = 0;
	int ret;

	while (aoff_prep_nop(&self->r, n))
		n++;
	EXPECT_EQ(self->r.s.sq_entries, n);
	EXPECT_EQ(n, aoff_sq_pending(&self->r));
	ret = aoff_enter(&self->r, n, n, 10000000000ll);
	ASSERT_EQ(n, ret);
	EXPECT_EQ(n, *self->r.sq_head);
	EXPECT_EQ(n, aoff_cq_ready(&self->r));
	while (got < n) {
		ret = reap_mark(&self->r, self->cqes, self->seen, n);
		ASSERT_LE(0, ret);
		got += ret;
	}
	EXPECT_EQ(0, aoff_cq_ready(&self->r));
}

TEST_F_TIMEOUT(rings, wrap_many_times, 120)
{
	uint64_t total = 64ull * self->r.s.cq_entries, next = 0, got = 0;
	uint64_t t0 = aoff_now_ns();
	int ret;

	if (total > 20000)
		total = 20000;
	while (got < total) {
		while (next < total && aoff_prep_nop(&self->r, next))
			next++;
		ret = aoff_enter(&self->r, aoff_sq_pending(&self->r), 1, 5000000000ll);
		ASSERT_TRUE(ret >= 0 || ret == -EAGAIN) TH_LOG("enter: %d", ret);
		ret = reap_mark(&self->r, self->cqes, self->seen, total);
		ASSERT_LE(0, ret) TH_LOG("bad or duplicate CQE");
		got += ret;
		ASSERT_LT(aoff_now_ns() - t0, 100000000000ull);
	}
	for (uint64_t i = 0; i < total; i++) {
		ASSERT_EQ(1, self->seen[i])
			TH_LOG("user_data %llu", (unsigned long long)i);
	}
	/* The indexes went around the rings many times. */
	EXPECT_EQ((uint32_t)total, *self->r.sq_head);
	EXPECT_EQ((uint32_t)total, *self->r.cq_tail);
	EXPECT_GE(total / self->r.s.sq_entries, 64);
}

TEST_F(rings, batched_doorbells)
{
	uint32_t n = 0, sub = 0, batch;
	int ret;

	while (aoff_prep_nop(&self->r, n))
		n++;
	aoff_publish(&self->r);
	/* Doorbells of 1, 2, 3... SQEs each consume exactly that many. */
	for (batch = 1; sub < n; batch++) {
		uint32_t want = batch < n - sub ? batch : n - sub;

		ret = aoff_enter(&self->r, batch, 0, -1);
		ASSERT_EQ(want, ret);
		sub += ret;
		EXPECT_EQ(sub, __atomic_load_n(self->r.sq_head, __ATOMIC_ACQUIRE));
	}
	/* Nothing left: to_submit beyond the SQ consumes nothing. */
	EXPECT_EQ(0, aoff_enter(&self->r, 1000, n, 10000000000ll));
	EXPECT_EQ(n, reap_mark(&self->r, self->cqes, self->seen, n));
}

TEST_F(rings, cq_never_overflows)
{
	uint32_t cq = self->r.s.cq_entries, accepted = 0, ud = 0, head;
	struct aoff_enter e;
	int ret;

	/* Submit without reaping until admission refuses. */
	for (;;) {
		while (aoff_prep_nop(&self->r, ud))
			ud++;
		ret = aoff_enter(&self->r, aoff_sq_pending(&self->r), 0, -1);
		if (ret == -EAGAIN)
			break;
		ASSERT_LT(0, ret);
		accepted += ret;
		ASSERT_LE(accepted, cq);
	}
	EXPECT_EQ(cq, accepted);
	/* Every accepted request completes; none beyond the CQ. */
	ASSERT_EQ(0, aoff_enter(&self->r, 0, cq, 10000000000ll));
	EXPECT_EQ(cq, aoff_cq_ready(&self->r));
	memset(&e, 0, sizeof(e));
	e.to_submit = 1;
	EXPECT_EQ(-EAGAIN, aoff_ioctl(self->r.fd, AOFF_IOC_ENTER, &e));
	EXPECT_EQ(0, e.submitted);
	usleep(50000);
	EXPECT_EQ(cq, aoff_cq_ready(&self->r));

	/* Free one slot: exactly one more is admitted (a partial batch). */
	head = *self->r.cq_head;
	EXPECT_EQ(0, self->r.cqes[head & self->r.cq_mask].user_data);
	__atomic_store_n(self->r.cq_head, head + 1, __ATOMIC_RELEASE);
	ret = aoff_enter(&self->r, aoff_sq_pending(&self->r), 0, -1);
	EXPECT_EQ(1, ret);
	ASSERT_EQ(0, aoff_enter(&self->r, 0, cq, 10000000000ll));
	/* All user_data are distinct and each appears once. */
	self->seen[0] = 1;
	EXPECT_EQ(cq, reap_mark(&self->r, self->cqes, self->seen, ud));
}

TEST_HARNESS_MAIN
