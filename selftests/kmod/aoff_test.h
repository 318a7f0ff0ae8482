/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the asyncoff kselftests: open a context, set it up,
 * map it, and drive the rings with the ordering the uapi header specifies.
 * Header-only so that every *.c in this directory is one test binary.
 */
#ifndef AOFF_TEST_H
#define AOFF_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/asyncoff.h>

#include "aoff/sysfs.h"

static inline const char *aoff_dev_path(void)
{
	const char *p = getenv("AOFF_DEV");

	return p ? p : "/dev/" AOFF_DEV_PREFIX "0";
}

/* -errno, or an fd. */
static inline int aoff_open(void)
{
	int fd = open(aoff_dev_path(), O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static inline int aoff_have_device(void)
{
	return access(aoff_dev_path(), F_OK) == 0;
}

/* ioctl returning -errno on failure. */
static inline long aoff_ioctl(int fd, unsigned long cmd, void *arg)
{
	long r = ioctl(fd, cmd, arg);

	return r < 0 ? -errno : r;
}

static inline int aoff_setup_fd(int fd, struct aoff_setup *s, uint32_t sq,
				uint32_t cq, uint64_t data)
{
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->sq_entries = sq;
	s->cq_entries = cq;
	s->data_bytes = data;
	return (int)aoff_ioctl(fd, AOFF_IOC_SETUP, s);
}

struct aoff_ring {
	int fd;
	struct aoff_setup s;
	uint8_t *map;
	size_t map_len;
	uint32_t *sq_head, *sq_tail, *cq_head, *cq_tail, *status;
	struct aoff_sqe *sqes;
	struct aoff_cqe *cqes;
	uint8_t *data;
	uint32_t sq_mask, cq_mask;
	uint32_t sqe_tail;	/* SQEs written, maybe not yet published */
};

static inline int aoff_ring_map(struct aoff_ring *r)
{
	const struct aoff_ring_offsets *o = &r->s.off;
	void *p;

	r->map_len = o->mmap_bytes;
	p = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	r->map = p;
	r->sq_head = (uint32_t *)(r->map + o->sq_head);
	r->sq_tail = (uint32_t *)(r->map + o->sq_tail);
	r->cq_head = (uint32_t *)(r->map + o->cq_head);
	r->cq_tail = (uint32_t *)(r->map + o->cq_tail);
	r->status = (uint32_t *)(r->map + o->status);
	r->sqes = (struct aoff_sqe *)(r->map + o->sqes);
	r->cqes = (struct aoff_cqe *)(r->map + o->cqes);
	r->data = r->map + o->data;
	r->sq_mask = r->s.sq_entries - 1;
	r->cq_mask = r->s.cq_entries - 1;
	r->sqe_tail = *r->sq_tail;
	return 0;
}

/* Opens, sets up and maps a context; 0 or -errno. */
static inline int aoff_ring_init(struct aoff_ring *r, uint32_t sq, uint32_t cq,
				 uint64_t data)
{
	int ret;

	memset(r, 0, sizeof(*r));
	r->fd = aoff_open();
	if (r->fd < 0)
		return r->fd;
	ret = aoff_setup_fd(r->fd, &r->s, sq, cq, data);
	if (!ret)
		ret = aoff_ring_map(r);
	if (ret) {
		close(r->fd);
		r->fd = -1;
	}
	return ret;
}

static inline void aoff_ring_exit(struct aoff_ring *r)
{
	if (r->map)
		munmap(r->map, r->map_len);
	if (r->fd >= 0)
		close(r->fd);
	r->map = NULL;
	r->fd = -1;
}

/* A zeroed SQE slot, or NULL when the SQ is full. */
static inline struct aoff_sqe *aoff_get_sqe(struct aoff_ring *r)
{
	/* Acquire: pairs with the kernel's release after copying SQEs. */
	uint32_t head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
	struct aoff_sqe *sqe;

	if (r->sqe_tail - head >= r->s.sq_entries)
		return NULL;
	sqe = &r->sqes[r->sqe_tail++ & r->sq_mask];
	memset(sqe, 0, sizeof(*sqe));
	return sqe;
}

static inline struct aoff_sqe *aoff_prep_nop(struct aoff_ring *r, uint64_t ud)
{
	struct aoff_sqe *sqe = aoff_get_sqe(r);

	if (sqe) {
		sqe->opcode = AOFF_OP_NOP;
		sqe->user_data = ud;
	}
	return sqe;
}

/* Publishes the written SQEs: release pairs with the kernel's acquire. */
static inline void aoff_publish(struct aoff_ring *r)
{
	__atomic_store_n(r->sq_tail, r->sqe_tail, __ATOMIC_RELEASE);
}

static inline uint32_t aoff_sq_pending(struct aoff_ring *r)
{
	return r->sqe_tail - __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
}

/*
 * The doorbell: publish, submit up to to_submit, wait for min_complete.
 * timeout_ns < 0: unbounded.  Returns the count submitted or -errno.
 */
static inline int aoff_enter(struct aoff_ring *r, uint32_t to_submit,
			     uint32_t min_complete, int64_t timeout_ns)
{
	struct aoff_enter e;

	aoff_publish(r);
	memset(&e, 0, sizeof(e));
	e.to_submit = to_submit;
	e.min_complete = min_complete;
	if (timeout_ns >= 0) {
		e.flags = AOFF_ENTER_F_TIMEOUT;
		e.timeout_ns = (uint64_t)timeout_ns;
	}
	return (int)aoff_ioctl(r->fd, AOFF_IOC_ENTER, &e);
}

static inline uint32_t aoff_cq_ready(struct aoff_ring *r)
{
	/* Acquire: pairs with the kernel's release of the CQ tail. */
	return __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) - *r->cq_head;
}

/* Copies out up to max CQEs and consumes them; returns how many. */
static inline unsigned int aoff_reap(struct aoff_ring *r, struct aoff_cqe *out,
				     unsigned int max)
{
	uint32_t head = *r->cq_head;
	uint32_t tail = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE);
	unsigned int n = 0;

	while (head != tail && n < max)
		out[n++] = r->cqes[head++ & r->cq_mask];
	/* Release: the kernel may reuse the slots once it sees the head. */
	__atomic_store_n(r->cq_head, head, __ATOMIC_RELEASE);
	return n;
}

static inline uint64_t aoff_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * Submits everything queued and reaps until n CQEs have arrived (with a
 * 10 s bound).  Returns how many CQEs were collected into out.
 */
static inline unsigned int aoff_drain(struct aoff_ring *r, struct aoff_cqe *out,
				      unsigned int n)
{
	unsigned int got = 0;
	int ret;

	while (got < n) {
		uint32_t want = n - got;

		if (want > r->s.cq_entries)
			want = r->s.cq_entries;
		ret = aoff_enter(r, aoff_sq_pending(r), 1, 10000000000ll);
		if (ret < 0 && ret != -EAGAIN)
			break;
		got += aoff_reap(r, out + got, n - got);
	}
	return got;
}

/*
 * One request, submitted and completed; returns the CQE's res, or -10000
 * (no SQE), -10001 (no CQE) or -10002 (a CQE of another request).
 */
static inline int aoff_run1(struct aoff_ring *r, const struct aoff_sqe *tmpl)
{
	struct aoff_sqe *sqe = aoff_get_sqe(r);
	struct aoff_cqe c;

	if (!sqe)
		return -10000;
	*sqe = *tmpl;
	if (aoff_drain(r, &c, 1) != 1)
		return -10001;
	if (c.user_data != tmpl->user_data)
		return -10002;
	return c.res;
}

#define AOFF_BATCH_MAX	512

/* Up to AOFF_BATCH_MAX requests in one doorbell; res[i] is sqes[i]'s. */
static inline int aoff_run_batch(struct aoff_ring *r,
				 const struct aoff_sqe *sqes, unsigned int n,
				 int *res)
{
	struct aoff_cqe c[AOFF_BATCH_MAX];
	unsigned int i;

	if (n > AOFF_BATCH_MAX || n > r->s.sq_entries)
		return -1;
	for (i = 0; i < n; i++) {
		struct aoff_sqe *sqe = aoff_get_sqe(r);

		*sqe = sqes[i];
		sqe->user_data = i;
	}
	if (aoff_drain(r, c, n) != n)
		return -1;
	for (i = 0; i < n; i++)
		res[c[i].user_data] = c[i].res;
	return 0;
}

/*
 * The random tests' generator: xorshift64*, small and seedable.  Seed it
 * with AOFF_RND_SEED() (AOFF_SEED in the environment repeats a run).
 */
static inline uint64_t *aoff_rnd_state(void)
{
	static uint64_t state = 1;

	return &state;
}

static inline uint64_t aoff_rnd(void)
{
	uint64_t *s = aoff_rnd_state();

	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static inline uint64_t aoff_rnd_below(uint64_t n)
{
	return n ? aoff_rnd() % n : 0;
}

static inline void aoff_rnd_fill(void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = (uint8_t)aoff_rnd();
}

/* Seeds the generator from AOFF_SEED or the clock, and logs the seed. */
#define AOFF_RND_SEED() do {						\
	const char *seed_ = getenv("AOFF_SEED");			\
									\
	*aoff_rnd_state() = seed_ ? strtoull(seed_, NULL, 0) | 1 :	\
				    aoff_now_ns() | 1;			\
	TH_LOG("seed %#llx (AOFF_SEED to repeat)",			\
	       (unsigned long long)*aoff_rnd_state());			\
} while (0)

/* Hex string to bytes; returns the number of bytes. */
static inline size_t aoff_unhex(uint8_t *out, const char *s)
{
	size_t n = 0;

	while (s[0] && s[1]) {
		unsigned int b;

		if (sscanf(s, "%2x", &b) != 1)
			break;
		out[n++] = (uint8_t)b;
		s += 2;
	}
	return n;
}

/*
 * The device under test's attributes, through tools/include/aoff/sysfs.h.
 * Writes @val to an attribute: 0 or -errno.
 */
static inline int aoff_sysfs_write(const char *attr, const char *val)
{
	return aoff_attr_write(aoff_dev_path(), attr, val);
}

static inline int aoff_sysfs_set(const char *attr, unsigned long long v)
{
	return aoff_attr_set(aoff_dev_path(), attr, (long long)v);
}

/* Reads a numeric attribute; -1 on error. */
static inline long long aoff_sysfs_get(const char *attr)
{
	return aoff_attr_get(aoff_dev_path(), attr);
}

/*
 * The model's parameters and the faults that are parameters (stall_ms is
 * ended apart), from kmod/sysfs_attrs.h, saved and restored around tests
 * that change them.
 */
static const char *const aoff_params[] = {
#define AOFF_PARAM(name, ...)	#name,
#define AOFF_PARAM_OWN(name)	#name,
#define AOFF_FAULT(name, ...)	#name,
#include "sysfs_attrs.h"
};
#define AOFF_NPARAMS	(sizeof(aoff_params) / sizeof(aoff_params[0]))

static inline void aoff_params_save(long long *v)
{
	unsigned int i;

	for (i = 0; i < AOFF_NPARAMS; i++)
		v[i] = aoff_sysfs_get(aoff_params[i]);
}

static inline void aoff_params_restore(const long long *v)
{
	unsigned int i;

	for (i = 0; i < AOFF_NPARAMS; i++)
		if (v[i] >= 0)
			aoff_sysfs_set(aoff_params[i], v[i]);
	aoff_sysfs_write("stall_ms", "0");
}

#define AOFF_REQUIRE_DEVICE(_metadata)					\
	do {								\
		if (!aoff_have_device())				\
			SKIP(return, "%s missing: module not loaded",	\
			     aoff_dev_path());				\
	} while (0)

/* Module unload and load, for the tests that reload the driver. */
static inline int aoff_delete_module(const char *name, unsigned int flags)
{
	return syscall(SYS_delete_module, name, flags) ? -errno : 0;
}

static inline int aoff_load_module(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

#endif /* AOFF_TEST_H */
