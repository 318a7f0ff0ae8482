// SPDX-License-Identifier: Apache-2.0
/*
 * ABI of /dev/asyncoff: setup over several ring sizes, struct sizes and
 * reserved fields, unknown flags and ioctls, bad pointers, mmap offsets,
 * lengths and protections, and the errors of malformed SQEs.
 */
#include <signal.h>
#include <setjmp.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

static long page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* ---- setup over ring sizes -------------------------------------------- */

FIXTURE(setup)
{
	struct aoff_ring r;
	struct aoff_info info;
};

FIXTURE_VARIANT(setup)
{
	uint32_t sq, cq;		/* requested */
	uint64_t data;
	uint32_t want_sq, want_cq;	/* after rounding */
	int one_page;	/* indexes and arrays fit the first page */
};

FIXTURE_VARIANT_ADD(setup, one)   { .sq = 1, .cq = 0, .data = 0, .want_sq = 1, .want_cq = 2, .one_page = 1 };
FIXTURE_VARIANT_ADD(setup, odd)   { .sq = 5, .cq = 9, .data = 1, .want_sq = 8, .want_cq = 16, .one_page = 1 };
FIXTURE_VARIANT_ADD(setup, equal) { .sq = 64, .cq = 64, .data = 65536, .want_sq = 64, .want_cq = 64 };
FIXTURE_VARIANT_ADD(setup, big)   { .sq = 4096, .cq = 8192, .data = 1 << 20, .want_sq = 4096, .want_cq = 8192 };

FIXTURE_SETUP(setup)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	ASSERT_EQ(0, aoff_ring_init(&self->r, variant->sq, variant->cq, variant->data));
	memset(&self->info, 0, sizeof(self->info));
	self->info.size = sizeof(self->info);
	ASSERT_EQ(0, aoff_ioctl(self->r.fd, AOFF_IOC_INFO, &self->info));
}

FIXTURE_TEARDOWN(setup)
{
	aoff_ring_exit(&self->r);
}

TEST_F(setup, layout)
{
	const struct aoff_setup *s = &self->r.s;
	const struct aoff_ring_offsets *o = &s->off;
	uint64_t ps = page_size();
	uint32_t idx[] = { o->sq_head, o->sq_tail, o->cq_head, o->cq_tail, o->status };
	unsigned int i, j;

	EXPECT_EQ(sizeof(*s), s->size);
	EXPECT_EQ(variant->want_sq, s->sq_entries);
	EXPECT_EQ(variant->want_cq, s->cq_entries);
	EXPECT_EQ((variant->data + ps - 1) / ps * ps, s->data_bytes);
	EXPECT_EQ(0, s->flags);
	/* Indexes on the control page, each on its own cache line. */
	for (i = 0; i < 5; i++) {
		EXPECT_LT(idx[i] + 4, ps);
		EXPECT_EQ(0, idx[i] % 4);
		for (j = 0; j < i; j++)
			EXPECT_GE(abs((int)idx[i] - (int)idx[j]), 64);
	}
	/*
	 * Arrays after the indexes, in order, not overlapping, inside the
	 * map: on the first page for small rings, else page aligned.
	 */
	for (i = 0; i < 5; i++)
		EXPECT_GE(o->sqes, (idx[i] + 4 + 63) / 64 * 64);
	EXPECT_EQ(0, o->sqes % 64);
	EXPECT_EQ(0, o->cqes % 64);
	EXPECT_EQ(0, o->data % ps);
	if (variant->one_page) {
		EXPECT_LE(o->cqes + s->cq_entries * sizeof(struct aoff_cqe), ps);
		EXPECT_EQ(ps, o->data);
	} else {
		EXPECT_EQ(0, o->sqes % ps);
		EXPECT_EQ(0, o->cqes % ps);
		EXPECT_GE(o->sqes, ps);
	}
	EXPECT_GE(o->cqes, o->sqes + s->sq_entries * sizeof(struct aoff_sqe));
	EXPECT_GE(o->data, o->cqes + s->cq_entries * sizeof(struct aoff_cqe));
	EXPECT_EQ(o->mmap_bytes, o->data + s->data_bytes);
	EXPECT_EQ(0, o->resv0);
	EXPECT_EQ(0, o->resv[0] | o->resv[1] | o->resv[2]);
	/* Fresh context: all indexes zero, not broken. */
	EXPECT_EQ(0, *self->r.sq_head);
	EXPECT_EQ(0, *self->r.cq_tail);
	EXPECT_EQ(0, *self->r.status);
	/* The whole region is readable and writable. */
	memset(self->r.data, 0xa5, s->data_bytes);
	EXPECT_EQ(0, self->r.map[o->mmap_bytes - 1] == 0 && s->data_bytes);
}

TEST_F(setup, nop_round_trip)
{
	struct aoff_cqe cqe[2];
	struct aoff_sqe *sqe = aoff_prep_nop(&self->r, 0x1234567890abcdefull);

	ASSERT_NE(NULL, sqe);
	ASSERT_EQ(1, aoff_enter(&self->r, 1, 1, 5000000000ll));
	ASSERT_EQ(1, aoff_reap(&self->r, cqe, 2));
	EXPECT_EQ(0x1234567890abcdefull, cqe[0].user_data);
	EXPECT_EQ(0, cqe[0].res);
	EXPECT_EQ(0, cqe[0].flags);
	EXPECT_EQ(1, *self->r.sq_head);
}

TEST_F(setup, second_setup_busy)
{
	struct aoff_setup s;

	EXPECT_EQ(-EBUSY, aoff_setup_fd(self->r.fd, &s, 1, 0, 0));
}

TEST_F(setup, info)
{
	EXPECT_EQ(sizeof(struct aoff_info), self->info.size);
	EXPECT_EQ(AOFF_ABI_VERSION, self->info.abi_version);
	EXPECT_TRUE(self->info.ops[0] & (1ull << AOFF_OP_NOP));
	EXPECT_TRUE(self->info.features & AOFF_FEAT_SINGLE_MMAP);
	EXPECT_LE(variant->want_sq, self->info.max_sq_entries);
	EXPECT_LE(variant->want_cq, self->info.max_cq_entries);
	EXPECT_GE(self->info.nr_engines, 1);
	EXPECT_GE(self->info.max_contexts, 1);
	EXPECT_EQ(0, self->info.resv0 | self->info.resv[0] | self->info.resv[4]);
	EXPECT_EQ(AOFF_HASH_SLOTS_MAX, self->info.max_hash_slots);
}

/* ---- setup argument checks -------------------------------------------- */

FIXTURE(ctx)
{
	int fd;
	struct aoff_info info;
};

FIXTURE_SETUP(ctx)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	self->fd = aoff_open();
	ASSERT_LE(0, self->fd);
	memset(&self->info, 0, sizeof(self->info));
	self->info.size = sizeof(self->info);
	ASSERT_EQ(0, aoff_ioctl(self->fd, AOFF_IOC_INFO, &self->info));
}

FIXTURE_TEARDOWN(ctx)
{
	if (self->fd >= 0)
		close(self->fd);
}

static struct aoff_setup good_setup(void)
{
	struct aoff_setup s;

	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.sq_entries = 8;
	return s;
}

TEST_F(ctx, setup_size)
{
	struct {
		struct aoff_setup s;
		uint8_t tail[16];
	} big;
	struct aoff_setup s = good_setup();

	s.size = AOFF_SETUP_SIZE_VER0 - 1;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	s.size = 0;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));

	/* Longer than the kernel's struct: the tail must be zero. */
	memset(&big, 0, sizeof(big));
	big.s = good_setup();
	big.s.size = sizeof(big);
	big.tail[7] = 1;
	EXPECT_EQ(-E2BIG, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &big));
	big.tail[7] = 0;
	big.tail[15] = 0xee;	/* beyond size: not looked at */
	big.s.size = sizeof(big) - 1;
	EXPECT_EQ(0, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &big));
	EXPECT_EQ(sizeof(struct aoff_setup), big.s.size);
	EXPECT_EQ(8, big.s.sq_entries);
	EXPECT_EQ(0xee, big.tail[15]);
}

TEST_F(ctx, setup_flags_and_reserved)
{
	struct aoff_setup s;
	unsigned int bit, i;

	/* Unknown bits (the known ones are tested in sqpoll.c). */
	for (bit = 0; bit < 32; bit++) {
		if (AOFF_SETUP_F_ALL & (1u << bit))
			continue;
		s = good_setup();
		s.flags = 1u << bit;
		EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	}
	for (i = 0; i < 2; i++) {
		s = good_setup();
		s.resv[i] = 1ull << (i * 21);
		EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	}
	s = good_setup();
	s.sq_idle_us = 1;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	s = good_setup();
	s.hash_slots = AOFF_HASH_SLOTS_MAX + 1;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	/* Output-only offsets are ignored on input. */
	s = good_setup();
	memset(&s.off, 0xff, sizeof(s.off));
	EXPECT_EQ(0, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	EXPECT_EQ(0, s.off.resv0);
}

TEST_F(ctx, setup_bounds)
{
	struct aoff_setup s;
	uint32_t msq = self->info.max_sq_entries, mcq = self->info.max_cq_entries;

	s = good_setup();
	s.sq_entries = 0;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	s = good_setup();
	s.sq_entries = msq + 1;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	s = good_setup();
	s.sq_entries = 0xffffffffu;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	s = good_setup();
	s.sq_entries = 16;
	s.cq_entries = 8;	/* smaller than the SQ */
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	s = good_setup();
	s.cq_entries = mcq + 1;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	s = good_setup();
	s.data_bytes = self->info.max_ctx_bytes;	/* plus rings: too big */
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	s = good_setup();
	s.data_bytes = ~0ull;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	s = good_setup();
	s.data_bytes = ~0ull - 100;	/* would overflow page rounding */
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	/* Nothing above consumed the one setup this context gets. */
	s = good_setup();
	EXPECT_EQ(0, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
}

TEST_F(ctx, info_size)
{
	struct {
		struct aoff_info i;
		uint8_t tail[24];
	} big;
	struct aoff_info i;

	memset(&i, 0, sizeof(i));
	i.size = AOFF_INFO_SIZE_VER0 - 1;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->fd, AOFF_IOC_INFO, &i));
	memset(&big, 0xcc, sizeof(big));
	big.i.size = sizeof(big);
	EXPECT_EQ(0, aoff_ioctl(self->fd, AOFF_IOC_INFO, &big));
	EXPECT_EQ(sizeof(struct aoff_info), big.i.size);
	EXPECT_EQ(AOFF_ABI_VERSION, big.i.abi_version);
	/* Never past the kernel's struct: a newer caller's tail stays. */
	for (unsigned int k = 0; k < sizeof(big.tail); k++)
		EXPECT_EQ(0xcc, big.tail[k]);
}

TEST_F(ctx, unknown_ioctls)
{
	struct aoff_setup s = good_setup();
	unsigned long bad[] = {
		_IOWR(AOFF_IOC_MAGIC, 0x03, struct aoff_setup),
		_IOWR(AOFF_IOC_MAGIC, 0xff, struct aoff_setup),
		_IOR(AOFF_IOC_MAGIC, 0x00, struct aoff_setup),	/* wrong dir */
		_IOWR(AOFF_IOC_MAGIC, 0x00, struct aoff_enter),	/* wrong size */
		_IOWR(AOFF_IOC_MAGIC, 0x01, struct aoff_setup),
		_IOWR('x', 0x00, struct aoff_setup),
		_IO(AOFF_IOC_MAGIC, 0),
		0, 1, 0xdeadbeef,
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-ENOTTY, aoff_ioctl(self->fd, bad[i], &s));
	/* Still not set up. */
	EXPECT_EQ(0, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
}

TEST_F(ctx, bad_pointers)
{
	void *unmapped = mmap(NULL, page_size(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *ptrs[] = { NULL, (void *)1, unmapped, (void *)-4096l };
	struct aoff_setup *ro, s;
	unsigned int i;

	ASSERT_NE(MAP_FAILED, unmapped);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(-EFAULT, aoff_ioctl(self->fd, AOFF_IOC_SETUP, ptrs[i]));
		EXPECT_EQ(-EFAULT, aoff_ioctl(self->fd, AOFF_IOC_INFO, ptrs[i]));
	}
	/* A read-only argument: the output cannot be written. */
	ro = mmap(NULL, page_size(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	*ro = good_setup();
	ASSERT_EQ(0, mprotect(ro, page_size(), PROT_READ));
	EXPECT_EQ(-EFAULT, aoff_ioctl(self->fd, AOFF_IOC_SETUP, ro));
	munmap(ro, page_size());
	/* The failed setup was undone: it can be retried. */
	s = good_setup();
	ASSERT_EQ(0, aoff_ioctl(self->fd, AOFF_IOC_SETUP, &s));
	/* ... and the doorbell, once set up. */
	for (i = 0; i < 4; i++)
		EXPECT_EQ(-EFAULT, aoff_ioctl(self->fd, AOFF_IOC_ENTER, ptrs[i]));
	munmap(unmapped, page_size());
}

TEST_F(ctx, before_setup)
{
	struct aoff_enter e;
	struct pollfd;
	void *p;

	memset(&e, 0, sizeof(e));
	EXPECT_EQ(-EBADFD, aoff_ioctl(self->fd, AOFF_IOC_ENTER, &e));
	p = mmap(NULL, page_size(), PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EBADFD, errno);
}

/* ---- mmap ----------------------------------------------------------------- */

FIXTURE(map)
{
	int fd;
	struct aoff_setup s;
};

FIXTURE_SETUP(map)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	self->fd = aoff_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, aoff_setup_fd(self->fd, &self->s, 4, 0, 3 * page_size()));
}

FIXTURE_TEARDOWN(map)
{
	close(self->fd);
}

static int try_map(int fd, size_t len, int prot, int flags, off_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, len);
	return 0;
}

TEST_F(map, offsets_and_lengths)
{
	size_t len = self->s.off.mmap_bytes;
	int rw = PROT_READ | PROT_WRITE;

	EXPECT_EQ(0, try_map(self->fd, len, rw, MAP_SHARED, 0));
	EXPECT_EQ(0, try_map(self->fd, page_size(), rw, MAP_SHARED, 0));
	EXPECT_EQ(-EINVAL, try_map(self->fd, len + page_size(), rw, MAP_SHARED, 0));
	EXPECT_EQ(-EINVAL, try_map(self->fd, page_size(), rw, MAP_SHARED, page_size()));
	EXPECT_EQ(-EINVAL, try_map(self->fd, page_size(), rw, MAP_SHARED, len));
	EXPECT_EQ(-EINVAL, try_map(self->fd, len, rw, MAP_PRIVATE, 0));
	EXPECT_EQ(-EPERM, try_map(self->fd, len, rw | PROT_EXEC, MAP_SHARED, 0));
	EXPECT_EQ(0, try_map(self->fd, len, PROT_READ, MAP_SHARED, 0));
}

TEST_F(map, protections)
{
	size_t len = self->s.off.mmap_bytes;
	uint8_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	void *q;

	ASSERT_NE(MAP_FAILED, p);
	/* Never executable, never growable. */
	EXPECT_EQ(-1, mprotect(p, len, PROT_READ | PROT_EXEC));
	q = mremap(p, len, len + page_size(), MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, q);
	/* Two mappings see the same memory. */
	q = mmap(NULL, len, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, q);
	p[len - 1] = 0x5a;
	EXPECT_EQ(0x5a, ((uint8_t *)q)[len - 1]);
	/* Partial unmap keeps the rest usable. */
	EXPECT_EQ(0, munmap(p, page_size()));
	p[len - 1] = 0x6b;
	EXPECT_EQ(0x6b, ((uint8_t *)q)[len - 1]);
	munmap(p + page_size(), len - page_size());
	munmap(q, len);
}

/* ---- doorbell arguments ----------------------------------------------- */

FIXTURE(db)
{
	struct aoff_ring r;
};

FIXTURE_SETUP(db)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	ASSERT_EQ(0, aoff_ring_init(&self->r, 8, 16, 2 * page_size()));
}

FIXTURE_TEARDOWN(db)
{
	aoff_ring_exit(&self->r);
}

TEST_F(db, enter_args)
{
	struct aoff_enter e;
	unsigned int bit;

	for (bit = 0; bit < 32; bit++) {
		memset(&e, 0, sizeof(e));
		e.flags = 1u << bit;
		if (e.flags & AOFF_ENTER_F_ALL)
			continue;
		EXPECT_EQ(-EINVAL, aoff_ioctl(self->r.fd, AOFF_IOC_ENTER, &e));
	}
	memset(&e, 0, sizeof(e));
	e.resv[1] = 1;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->r.fd, AOFF_IOC_ENTER, &e));
	/* submitted is output only: whatever it holds on input is ignored. */
	memset(&e, 0, sizeof(e));
	e.submitted = ~0u;
	EXPECT_EQ(0, aoff_ioctl(self->r.fd, AOFF_IOC_ENTER, &e));
	EXPECT_EQ(0, e.submitted);
	memset(&e, 0, sizeof(e));
	e.timeout_ns = 1;	/* without AOFF_ENTER_F_TIMEOUT */
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->r.fd, AOFF_IOC_ENTER, &e));
	memset(&e, 0, sizeof(e));
	e.min_complete = self->r.s.cq_entries + 1;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->r.fd, AOFF_IOC_ENTER, &e));
	/* Nothing to do is fine; 0 timeout just checks. */
	memset(&e, 0, sizeof(e));
	EXPECT_EQ(0, aoff_ioctl(self->r.fd, AOFF_IOC_ENTER, &e));
	e.flags = AOFF_ENTER_F_TIMEOUT;
	e.min_complete = 1;
	EXPECT_EQ(-ETIME, aoff_ioctl(self->r.fd, AOFF_IOC_ENTER, &e));
	EXPECT_EQ(0, e.submitted);
}

/* One SQE, its CQE's res. */
static int32_t one(struct aoff_ring *r, const struct aoff_sqe *in)
{
	struct aoff_sqe *sqe = aoff_get_sqe(r);
	struct aoff_cqe cqe;

	if (!sqe)
		return 1;
	*sqe = *in;
	if (aoff_enter(r, 1, 1, 5000000000ll) != 1)
		return 2;
	if (aoff_reap(r, &cqe, 1) != 1 || cqe.user_data != in->user_data)
		return 3;
	return cqe.res;
}

TEST_F(db, bad_sqes)
{
	uint64_t db = self->r.s.data_bytes;
	struct aoff_sqe s;
	unsigned int i;

#define RESET() do { memset(&s, 0, sizeof(s)); s.opcode = AOFF_OP_NOP; s.user_data = 77; } while (0)
	RESET();
	EXPECT_EQ(0, one(&self->r, &s));
	for (i = AOFF_OP_LAST; i < 256; i += 37) {
		RESET();
		s.opcode = i;
		EXPECT_EQ(-EOPNOTSUPP, one(&self->r, &s));
	}
	for (i = 0; i < 8; i++) {
		RESET();
		s.flags = 1u << i;
		EXPECT_EQ(-EINVAL, one(&self->r, &s));
	}
	RESET(); s.resv0 = 1;
	EXPECT_EQ(-EINVAL, one(&self->r, &s));
	RESET(); s.op_flags = 0x80000000u;
	EXPECT_EQ(-EINVAL, one(&self->r, &s));
	for (i = 0; i < 3; i++) {
		RESET(); s.op_resv[i] = 1;
		EXPECT_EQ(-EINVAL, one(&self->r, &s));
	}
	/* Ranges: the edge fits, one byte past does not, no overflow. */
	RESET(); s.in_off = db - 16; s.in_len = 16;
	EXPECT_EQ(0, one(&self->r, &s));
	RESET(); s.out_off = 0; s.out_len = db;
	EXPECT_EQ(0, one(&self->r, &s));
	RESET(); s.in_off = db; s.in_len = 0;
	EXPECT_EQ(0, one(&self->r, &s));
	RESET(); s.in_off = db - 15; s.in_len = 16;
	EXPECT_EQ(-EFAULT, one(&self->r, &s));
	RESET(); s.out_off = db + 1;
	EXPECT_EQ(-EFAULT, one(&self->r, &s));
	RESET(); s.in_off = ~0ull - 3; s.in_len = 16;
	EXPECT_EQ(-EFAULT, one(&self->r, &s));
	RESET(); s.out_off = ~0ull; s.out_len = 0xffffffffu;
	EXPECT_EQ(-EFAULT, one(&self->r, &s));
	RESET(); s.out_len = 0xffffffffu;
	EXPECT_EQ(-EFAULT, one(&self->r, &s));
	/* The context still works. */
	RESET();
	EXPECT_EQ(0, one(&self->r, &s));
#undef RESET
}

/* Lying indexes only hurt the liar: the kernel clamps them. */
TEST_F(db, bogus_indexes)
{
	struct aoff_cqe cqe[64];
	int ret;

	/* SQ tail far ahead: at most sq_entries are consumed. */
	memset(self->r.sqes, 0, self->r.s.sq_entries * sizeof(struct aoff_sqe));
	self->r.sqe_tail = *self->r.sq_head + 1000000;
	ret = aoff_enter(&self->r, 0xffffffffu, 0, -1);
	EXPECT_EQ(self->r.s.sq_entries, ret);
	EXPECT_EQ(self->r.s.sq_entries, *self->r.sq_head);
	/* CQ head far ahead or behind: no crash, completions still bounded. */
	usleep(100000);
	__atomic_store_n(self->r.cq_head, *self->r.cq_tail + 12345, __ATOMIC_RELEASE);
	self->r.sqe_tail = *self->r.sq_head + 8;
	ret = aoff_enter(&self->r, 8, 0, -1);
	EXPECT_TRUE(ret == 8 || ret == -EAGAIN);
	usleep(100000);
	__atomic_store_n(self->r.cq_head, *self->r.cq_tail - 100000, __ATOMIC_RELEASE);
	self->r.sqe_tail = *self->r.sq_head + 8;
	ret = aoff_enter(&self->r, 8, 0, -1);
	EXPECT_EQ(-EAGAIN, ret);
	/* Back to honest: the ring recovers. */
	usleep(100000);
	__atomic_store_n(self->r.cq_head, *self->r.cq_tail, __ATOMIC_RELEASE);
	self->r.sqe_tail = *self->r.sq_head;
	ASSERT_NE(NULL, aoff_prep_nop(&self->r, 99));
	ASSERT_EQ(1, aoff_enter(&self->r, 1, 1, 5000000000ll));
	ASSERT_EQ(1, aoff_reap(&self->r, cqe, 64));
	EXPECT_EQ(99, cqe[0].user_data);
}

TEST_HARNESS_MAIN
