// SPDX-License-Identifier: Apache-2.0
/*
 * Host tests of libasyncoff's pure parts: the data-area allocator and the
 * options checks, which need no device.  The allocator is driven through a
 * context whose data area is ordinary memory.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../lib/asyncoff/ctx_local.h"

#define AREA (64 * 1024)

FIXTURE(heap) {
	struct aoff_ctx ctx;
	void *mem;
};

FIXTURE_SETUP(heap)
{
	memset(&self->ctx, 0, sizeof(self->ctx));
	self->mem = calloc(1, AREA);
	ASSERT_NE(NULL, self->mem);
	self->ctx.data = self->mem;
	self->ctx.data_bytes = AREA;
	ASSERT_EQ(0, aoff_heap_init(&self->ctx.heap, AREA));
}

FIXTURE_TEARDOWN(heap)
{
	aoff_heap_fini(&self->ctx.heap);
	free(self->mem);
}

TEST_F(heap, blocks_are_aligned_and_disjoint)
{
	int64_t a = aoff_data_alloc(&self->ctx, 1);
	int64_t b = aoff_data_alloc(&self->ctx, 100);
	int64_t c = aoff_data_alloc(&self->ctx, 64);

	ASSERT_GE(a, 0);
	ASSERT_GE(b, 0);
	ASSERT_GE(c, 0);
	EXPECT_EQ(0, a % AOFF_DATA_GRANULE);
	EXPECT_EQ(0, b % AOFF_DATA_GRANULE);
	EXPECT_EQ(0, c % AOFF_DATA_GRANULE);
	EXPECT_GE(b, a + 64);
	EXPECT_GE(c, b + 128);
}

TEST_F(heap, whole_area_then_enomem)
{
	int64_t all = aoff_data_alloc(&self->ctx, AREA);

	ASSERT_EQ(0, all);
	EXPECT_EQ(-ENOMEM, aoff_data_alloc(&self->ctx, 1));
	aoff_data_free(&self->ctx, (uint64_t)all);
	EXPECT_EQ(0, aoff_data_alloc(&self->ctx, AREA));
	EXPECT_EQ(-ENOMEM, aoff_data_alloc(&self->ctx, AREA + 1));
}

/* Free in every order; afterwards the area is one extent again. */
TEST_F(heap, frees_coalesce)
{
	int64_t off[64];
	unsigned int i, order[64];

	for (i = 0; i < 64; i++) {
		off[i] = aoff_data_alloc(&self->ctx, AREA / 64);
		ASSERT_GE(off[i], 0);
		order[i] = i;
	}
	EXPECT_EQ(-ENOMEM, aoff_data_alloc(&self->ctx, 1));
	srand(7);
	for (i = 63; i > 0; i--) {
		unsigned int j = (unsigned int)rand() % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < 64; i++)
		aoff_data_free(&self->ctx, (uint64_t)off[order[i]]);
	EXPECT_EQ(1, self->ctx.heap.nr_free);
	EXPECT_EQ(0, aoff_data_alloc(&self->ctx, AREA));
}

/* A bogus free (unaligned, outside, twice) changes nothing. */
TEST_F(heap, bad_free_is_ignored)
{
	int64_t a = aoff_data_alloc(&self->ctx, 128);

	ASSERT_GE(a, 0);
	aoff_data_free(&self->ctx, (uint64_t)a + 1);
	aoff_data_free(&self->ctx, AREA * 2);
	aoff_data_free(&self->ctx, (uint64_t)a + 64);
	EXPECT_EQ(1, self->ctx.heap.nr_free);
	aoff_data_free(&self->ctx, (uint64_t)a);
	aoff_data_free(&self->ctx, (uint64_t)a);
	EXPECT_EQ(1, self->ctx.heap.nr_free);
	EXPECT_EQ(0, aoff_data_alloc(&self->ctx, AREA));
}

/* Random alloc/free against a shadow map: no block ever overlaps another. */
TEST_F(heap, random_no_overlap)
{
	static unsigned char owner[AREA / AOFF_DATA_GRANULE];
	int64_t off[32];
	size_t len[32];
	unsigned int i, step;

	memset(owner, 0, sizeof(owner));
	memset(off, -1, sizeof(off));
	srand(1234);
	for (step = 0; step < 20000; step++) {
		i = (unsigned int)rand() % 32;
		if (off[i] >= 0) {
			for (size_t g = 0; g < (len[i] + 63) / 64; g++)
				owner[off[i] / 64 + g] = 0;
			aoff_data_free(&self->ctx, (uint64_t)off[i]);
			off[i] = -1;
			continue;
		}
		len[i] = 1 + (size_t)rand() % 4096;
		off[i] = aoff_data_alloc(&self->ctx, len[i]);
		if (off[i] < 0) {
			ASSERT_EQ(-ENOMEM, off[i]);
			continue;
		}
		ASSERT_LE(off[i] + (int64_t)len[i], AREA);
		for (size_t g = 0; g < (len[i] + 63) / 64; g++) {
			ASSERT_EQ(0, owner[off[i] / 64 + g]);
			owner[off[i] / 64 + g] = 1;
		}
	}
}

TEST(open_missing_device)
{
	errno = 0;
	EXPECT_EQ(NULL, aoff_ctx_open("/nonexistent/asyncoff0", NULL));
	EXPECT_EQ(ENOENT, errno);
	errno = 0;
	EXPECT_EQ(NULL, aoff_ctx_open(NULL, NULL));
	EXPECT_EQ(EINVAL, errno);
}

TEST(opts_size_checked)
{
	struct {
		struct aoff_ctx_opts o;
		unsigned char tail[8];
	} big;

	memset(&big, 0, sizeof(big));
	big.o.sz = 4;		/* shorter than the first field: bad */
	errno = 0;
	EXPECT_EQ(NULL, aoff_ctx_open("/dev/null", &big.o));
	EXPECT_EQ(EINVAL, errno);

	big.o.sz = sizeof(big);	/* longer, with a non-zero tail */
	big.tail[3] = 1;
	errno = 0;
	EXPECT_EQ(NULL, aoff_ctx_open("/dev/null", &big.o));
	EXPECT_EQ(E2BIG, errno);

	big.o.sz = sizeof(big.o);
	big.o.flags = 1U << 31;
	errno = 0;
	EXPECT_EQ(NULL, aoff_ctx_open("/dev/null", &big.o));
	EXPECT_EQ(EINVAL, errno);
}

/* SQPOLL options are checked before the device is asked anything. */
TEST(opts_sqpoll_checked)
{
	struct aoff_ctx_opts o = { .sz = sizeof(o) };
	struct aoff_ctx_opts old = { .sz = offsetof(struct aoff_ctx_opts,
						    sq_idle_us) };

	o.sq_idle_us = 100;	/* an idle time without SQPOLL */
	errno = 0;
	EXPECT_EQ(NULL, aoff_ctx_open("/dev/null", &o));
	EXPECT_EQ(EINVAL, errno);

	o.flags = AOFF_CTX_F_SQPOLL;
	o.sq_idle_us = AOFF_SQ_IDLE_MAX_US + 1;
	errno = 0;
	EXPECT_EQ(NULL, aoff_ctx_open("/dev/null", &o));
	EXPECT_EQ(EINVAL, errno);

	/* In range: the opts pass, then /dev/null refuses AOFF_IOC_INFO. */
	o.sq_idle_us = AOFF_SQ_IDLE_MAX_US;
	errno = 0;
	EXPECT_EQ(NULL, aoff_ctx_open("/dev/null", &o));
	EXPECT_EQ(ENOTTY, errno);

	/* A caller that predates sq_idle_us: its struct ends before it. */
	old.flags = AOFF_CTX_F_SQPOLL;
	errno = 0;
	EXPECT_EQ(NULL, aoff_ctx_open("/dev/null", &old));
	EXPECT_EQ(ENOTTY, errno);
}

/* /dev/null is not an asyncoff device: setup fails with its ioctl error. */
TEST(open_not_a_device)
{
	errno = 0;
	EXPECT_EQ(NULL, aoff_ctx_open("/dev/null", NULL));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_HARNESS_MAIN
