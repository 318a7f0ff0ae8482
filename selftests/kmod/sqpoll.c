// SPDX-License-Identifier: Apache-2.0
/*
 * Submission without a doorbell (AOFF_SETUP_F_SQPOLL): setup validation,
 * the feature bit, NEED_WAKEUP at setup, SQEs consumed with no ioctl while
 * the device watches, NEED_WAKEUP back after the idle time (not while a
 * request is in flight; a second at least with a CQE unconsumed), a race
 * stress of the NEED_WAKEUP handshake, a full CQ, reset, close and rmmod
 * while watched, and the sq_poll_usecs attribute.
 *
 * User space follows the uapi header's protocol exactly: store-release the
 * SQ tail, a full fence, load the status, and ring (AOFF_IOC_ENTER) only
 * when NEED_WAKEUP is set.  Completions are waited for with poll(), never
 * with the doorbell, so a lost SQE shows up as a request that never
 * completes.
 */
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

#define MODNAME "asyncoff"

static int sq_setup(int fd, struct aoff_setup *s, uint32_t flags,
		    uint32_t idle_us, uint32_t sq, uint32_t cq)
{
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->flags = flags;
	s->sq_idle_us = idle_us;
	s->sq_entries = sq;
	s->cq_entries = cq;
	s->data_bytes = 4096;
	return (int)aoff_ioctl(fd, AOFF_IOC_SETUP, s);
}

/* An SQPOLL ring; enters counts the doorbells the protocol needed. */
struct sq_ring {
	struct aoff_ring r;
	unsigned int enters;
};

static int sq_ring_init(struct sq_ring *q, uint32_t idle_us, uint32_t sq,
			uint32_t cq)
{
	int ret;

	memset(q, 0, sizeof(*q));
	q->r.fd = aoff_open();
	if (q->r.fd < 0)
		return q->r.fd;
	ret = sq_setup(q->r.fd, &q->r.s, AOFF_SETUP_F_SQPOLL, idle_us, sq, cq);
	if (!ret)
		ret = aoff_ring_map(&q->r);
	if (ret) {
		close(q->r.fd);
		q->r.fd = -1;
	}
	return ret;
}

static uint32_t sq_status(struct sq_ring *q)
{
	return __atomic_load_n(q->r.status, __ATOMIC_ACQUIRE);
}

/* A plain doorbell (no wait); the count of SQEs it consumed or -errno. */
static int sq_ring_bell(struct sq_ring *q)
{
	struct aoff_enter e;

	memset(&e, 0, sizeof(e));
	e.to_submit = q->r.s.sq_entries;
	q->enters++;
	return (int)aoff_ioctl(q->r.fd, AOFF_IOC_ENTER, &e);
}

/*
 * Publishes the written SQEs the SQPOLL way.  Returns 0, or the doorbell's
 * -errno when one was needed and failed (EAGAIN is fine: the device
 * watches again and takes the SQEs when the CQ drains).
 */
static int sq_publish(struct sq_ring *q)
{
	int ret;

	/* Release: the SQEs are written before the tail that covers them. */
	__atomic_store_n(q->r.sq_tail, q->r.sqe_tail, __ATOMIC_RELEASE);
	/*
	 * Full fence: pairs with the kernel's smp_mb() between setting
	 * NEED_WAKEUP and loading the tail.  Without it the status load
	 * could pass the tail store and both sides would miss each other.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!(__atomic_load_n(q->r.status, __ATOMIC_RELAXED) &
	      AOFF_STATUS_NEED_WAKEUP))
		return 0;
	ret = sq_ring_bell(q);
	return ret < 0 && ret != -EAGAIN ? ret : 0;
}

/* Waits with poll() (no doorbell) until n CQEs are pending; 0 or -ETIME. */
static int sq_wait_cqes(struct sq_ring *q, uint32_t n, int timeout_ms)
{
	struct pollfd p = { .fd = q->r.fd, .events = POLLIN };
	uint64_t end = aoff_now_ns() + (uint64_t)timeout_ms * 1000000;

	while (aoff_cq_ready(&q->r) < n) {
		if (aoff_now_ns() > end)
			return -ETIME;
		poll(&p, 1, 10);
	}
	return 0;
}

/*
 * The same without poll(): poll() on a watched context consumes its SQ
 * itself, so a test of the poller's own timing must not call it.
 */
static int sq_wait_cqes_no_poll(struct sq_ring *q, uint32_t n, int timeout_ms)
{
	uint64_t end = aoff_now_ns() + (uint64_t)timeout_ms * 1000000;

	while (aoff_cq_ready(&q->r) < n) {
		if (aoff_now_ns() > end)
			return -ETIME;
		usleep(500);
	}
	return 0;
}

static void sq_ring_exit(struct sq_ring *q)
{
	aoff_ring_exit(&q->r);
}

/* Polls the status word for NEED_WAKEUP == want, up to timeout_ms. */
static int sq_wait_wakeup(struct sq_ring *q, int want, int timeout_ms)
{
	uint64_t end = aoff_now_ns() + (uint64_t)timeout_ms * 1000000;

	for (;;) {
		if (!!(sq_status(q) & AOFF_STATUS_NEED_WAKEUP) == want)
			return 0;
		if (aoff_now_ns() > end)
			return -ETIME;
		usleep(200);
	}
}

/*
 * A context with a 1 ms idle time and one NOP, rung in and completed but
 * not consumed.  0 or -errno.
 */
static int sq_one_unreaped(struct sq_ring *q)
{
	int ret = sq_ring_init(q, 1000, 8, 0);

	if (ret)
		return ret;
	if (!aoff_prep_nop(&q->r, 1))
		return -ENOSPC;
	__atomic_store_n(q->r.sq_tail, q->r.sqe_tail, __ATOMIC_RELEASE);
	ret = sq_ring_bell(q);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	return sq_wait_cqes_no_poll(q, 1, 5000);
}

TEST(setup_validation)
{
	struct aoff_setup s;
	int fd;

	AOFF_REQUIRE_DEVICE(_metadata);
	fd = aoff_open();
	ASSERT_LE(0, fd);
	/* Unknown flag bits, an idle time without the flag, too long. */
	EXPECT_EQ(-EINVAL, sq_setup(fd, &s, 1U << 1, 0, 8, 0));
	EXPECT_EQ(-EINVAL, sq_setup(fd, &s, AOFF_SETUP_F_SQPOLL | (1U << 31),
				    0, 8, 0));
	EXPECT_EQ(-EINVAL, sq_setup(fd, &s, 0, 5, 8, 0));
	EXPECT_EQ(-EINVAL, sq_setup(fd, &s, AOFF_SETUP_F_SQPOLL,
				    AOFF_SQ_IDLE_MAX_US + 1, 8, 0));
	EXPECT_EQ(-EINVAL, sq_setup(fd, &s, AOFF_SETUP_F_SQPOLL, UINT32_MAX,
				    8, 0));
	/* Failed setups leave the context new: the maximum is accepted. */
	ASSERT_EQ(0, sq_setup(fd, &s, AOFF_SETUP_F_SQPOLL,
			      AOFF_SQ_IDLE_MAX_US, 8, 0));
	EXPECT_EQ(AOFF_SQ_IDLE_MAX_US, s.sq_idle_us);
	EXPECT_EQ(AOFF_SETUP_F_SQPOLL, s.flags);
	EXPECT_EQ(-EBUSY, sq_setup(fd, &s, AOFF_SETUP_F_SQPOLL, 0, 8, 0));
	close(fd);

	/* 0 means the default, written back. */
	fd = aoff_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sq_setup(fd, &s, AOFF_SETUP_F_SQPOLL, 0, 8, 0));
	EXPECT_EQ(AOFF_SQ_IDLE_DEFAULT_US, s.sq_idle_us);
	close(fd);

	fd = aoff_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sq_setup(fd, &s, AOFF_SETUP_F_SQPOLL, 1, 8, 0));
	EXPECT_EQ(1, s.sq_idle_us);
	close(fd);

	/* Without the flag: 0 in use. */
	fd = aoff_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sq_setup(fd, &s, 0, 0, 8, 0));
	EXPECT_EQ(0, s.sq_idle_us);
	close(fd);
}

/* A setup that fails with EFAULT leaves nothing of SQPOLL behind. */
TEST(efault_then_plain_setup)
{
	long page = sysconf(_SC_PAGESIZE);
	long long wake0 = aoff_sysfs_get("sq_wakeups");
	struct aoff_setup *ro;
	struct aoff_ring r;

	AOFF_REQUIRE_DEVICE(_metadata);
	memset(&r, 0, sizeof(r));
	r.fd = aoff_open();
	ASSERT_LE(0, r.fd);
	ro = mmap(NULL, page, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	memset(ro, 0, sizeof(*ro));
	ro->size = sizeof(*ro);
	ro->flags = AOFF_SETUP_F_SQPOLL;
	ro->sq_entries = 8;
	ASSERT_EQ(0, mprotect(ro, page, PROT_READ));
	EXPECT_EQ(-EFAULT, aoff_ioctl(r.fd, AOFF_IOC_SETUP, ro));
	munmap(ro, page);

	ASSERT_EQ(0, aoff_setup_fd(r.fd, &r.s, 8, 0, 4096));
	ASSERT_EQ(0, aoff_ring_map(&r));
	EXPECT_EQ(0, __atomic_load_n(r.status, __ATOMIC_ACQUIRE));
	ASSERT_NE(NULL, aoff_prep_nop(&r, 1));
	EXPECT_EQ(1, aoff_enter(&r, 1, 1, 5000000000ll));
	EXPECT_EQ(0, __atomic_load_n(r.status, __ATOMIC_ACQUIRE));
	/* A plain context is never watched. */
	if (wake0 >= 0)
		EXPECT_EQ(wake0, aoff_sysfs_get("sq_wakeups"));
	aoff_ring_exit(&r);
}

TEST(info_feature)
{
	struct aoff_info info;
	int fd;

	AOFF_REQUIRE_DEVICE(_metadata);
	fd = aoff_open();
	ASSERT_LE(0, fd);
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ASSERT_EQ(0, aoff_ioctl(fd, AOFF_IOC_INFO, &info));
	EXPECT_TRUE(info.features & AOFF_FEAT_SQPOLL);
	close(fd);
}

TEST(need_wakeup_at_setup)
{
	struct aoff_ring plain;
	struct sq_ring q;

	AOFF_REQUIRE_DEVICE(_metadata);
	ASSERT_EQ(0, sq_ring_init(&q, 0, 8, 0));
	EXPECT_EQ(AOFF_STATUS_NEED_WAKEUP, sq_status(&q));
	/* Nobody watches before the first doorbell: SQEs stay put. */
	ASSERT_NE(NULL, aoff_prep_nop(&q.r, 1));
	__atomic_store_n(q.r.sq_tail, q.r.sqe_tail, __ATOMIC_RELEASE);
	usleep(20000);
	EXPECT_EQ(0, __atomic_load_n(q.r.sq_head, __ATOMIC_ACQUIRE));
	EXPECT_EQ(1, sq_ring_bell(&q));
	EXPECT_EQ(0, sq_wait_cqes(&q, 1, 5000));
	sq_ring_exit(&q);

	/* A context without the flag never sees the bit. */
	ASSERT_EQ(0, aoff_ring_init(&plain, 8, 0, 4096));
	EXPECT_EQ(0, __atomic_load_n(plain.status, __ATOMIC_ACQUIRE));
	aoff_ring_exit(&plain);
}

FIXTURE(sqpoll) {
	struct sq_ring q;
	long long saved[AOFF_NPARAMS];
	long long poll_usecs;
	int root;
};

FIXTURE_SETUP(sqpoll)
{
	self->q.r.fd = -1;
	AOFF_REQUIRE_DEVICE(_metadata);
	self->root = !geteuid();
	if (self->root) {
		aoff_params_save(self->saved);
		self->poll_usecs = aoff_sysfs_get("sq_poll_usecs");
	}
}

FIXTURE_TEARDOWN(sqpoll)
{
	sq_ring_exit(&self->q);
	if (self->root) {
		aoff_params_restore(self->saved);
		if (self->poll_usecs > 0)
			aoff_sysfs_set("sq_poll_usecs", self->poll_usecs);
	}
}

#define NEED_ROOT()							\
	do {								\
		if (!self->root)					\
			SKIP(return, "needs root to write sysfs");	\
	} while (0)

TEST_F(sqpoll, no_doorbell_while_watched)
{
	static struct aoff_cqe c[64];
	long long polled0 = aoff_sysfs_get("sq_polled");
	long long wake0 = aoff_sysfs_get("sq_wakeups");
	unsigned int round, i, done = 0;
	uint64_t seen = 0;

	/* The longest idle time: the device keeps watching between rounds. */
	ASSERT_EQ(0, sq_ring_init(&self->q, AOFF_SQ_IDLE_MAX_US, 16, 64));
	/* One doorbell with nothing to submit starts the watching. */
	ASSERT_EQ(0, sq_ring_bell(&self->q));
	EXPECT_EQ(0, sq_status(&self->q) & AOFF_STATUS_NEED_WAKEUP);
	EXPECT_EQ(wake0 + 1, aoff_sysfs_get("sq_wakeups"));
	self->q.enters = 0;

	for (round = 0; round < 25; round++) {
		for (i = 0; i < 8; i++)
			ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, round * 8 + i));
		ASSERT_EQ(0, sq_publish(&self->q));
		ASSERT_EQ(0, sq_wait_cqes(&self->q, 8, 5000))
			TH_LOG("round %u: the poller did not consume", round);
		ASSERT_EQ(8, aoff_reap(&self->q.r, c, 64));
		for (i = 0; i < 8; i++) {
			EXPECT_EQ(0, c[i].res);
			seen |= 1ull << (c[i].user_data % 64);
		}
		done += 8;
	}
	EXPECT_EQ(0, self->q.enters) TH_LOG("doorbells for %u requests", done);
	EXPECT_EQ(~0ull, seen);
	EXPECT_LE(polled0 + done, aoff_sysfs_get("sq_polled"));
	EXPECT_EQ(0, sq_status(&self->q) & AOFF_STATUS_NEED_WAKEUP);
}

TEST_F(sqpoll, idle_sets_need_wakeup)
{
	long long polled0 = aoff_sysfs_get("sq_polled");
	long long passes0 = aoff_sysfs_get("sq_poll_passes");
	long long pass_ns0 = aoff_sysfs_get("sq_poll_ns");
	struct aoff_cqe c[4];
	uint64_t t0;

	ASSERT_EQ(0, sq_ring_init(&self->q, 20000, 8, 0));
	ASSERT_EQ(0, sq_ring_bell(&self->q));
	EXPECT_EQ(0, sq_status(&self->q) & AOFF_STATUS_NEED_WAKEUP);
	self->q.enters = 0;
	ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, 7));
	ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, 8));
	ASSERT_EQ(0, sq_publish(&self->q));
	if (self->q.enters) {
		/* The poller gave up before we published (a very slow VM). */
		TH_LOG("the device stopped watching within 20 ms");
	}
	ASSERT_EQ(0, sq_wait_cqes(&self->q, 2, 5000));
	ASSERT_EQ(2, aoff_reap(&self->q.r, c, 4));
	t0 = aoff_now_ns();
	/* Nothing in flight, nothing submitted: the bit comes back. */
	ASSERT_EQ(0, sq_wait_wakeup(&self->q, 1, 2000));
	TH_LOG("NEED_WAKEUP after %llu us",
	       (unsigned long long)(aoff_now_ns() - t0) / 1000);
	if (!self->q.enters)
		EXPECT_LE(polled0 + 2, aoff_sysfs_get("sq_polled"));
	EXPECT_LT(passes0, aoff_sysfs_get("sq_poll_passes"));
	/* The passes' time is counted: the poller's CPU. */
	EXPECT_LT(pass_ns0, aoff_sysfs_get("sq_poll_ns"));
	EXPECT_EQ(0, sq_status(&self->q) & AOFF_STATUS_BROKEN);

	/* Unwatched, a published SQE stays until the doorbell. */
	ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, 9));
	__atomic_store_n(self->q.r.sq_tail, self->q.r.sqe_tail,
			 __ATOMIC_RELEASE);
	usleep(20000);
	EXPECT_EQ(2, __atomic_load_n(self->q.r.sq_head, __ATOMIC_ACQUIRE));
	EXPECT_EQ(1, sq_ring_bell(&self->q));
	EXPECT_EQ(0, sq_wait_cqes(&self->q, 1, 5000));
}

TEST_F(sqpoll, idle_waits_for_in_flight)
{
	struct aoff_cqe c;

	NEED_ROOT();
	/* A request in flight for 100 ms keeps a 1 ms idle context watched. */
	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 100000000));
	ASSERT_EQ(0, sq_ring_init(&self->q, 1000, 8, 0));
	ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, 1));
	__atomic_store_n(self->q.r.sq_tail, self->q.r.sqe_tail,
			 __ATOMIC_RELEASE);
	ASSERT_EQ(1, sq_ring_bell(&self->q));
	usleep(50000);
	if (aoff_cq_ready(&self->q.r) == 0)
		EXPECT_EQ(0, sq_status(&self->q) & AOFF_STATUS_NEED_WAKEUP);
	ASSERT_EQ(0, sq_wait_cqes(&self->q, 1, 5000));
	ASSERT_EQ(1, aoff_reap(&self->q.r, &c, 1));
	EXPECT_EQ(0, sq_wait_wakeup(&self->q, 1, 2000));
}

TEST_F(sqpoll, idle_waits_for_unreaped)
{
	struct aoff_cqe c;

	/*
	 * A CQE user space has not consumed keeps a 1 ms idle context
	 * watched: its owner comes back for it (and then submits again).
	 */
	ASSERT_EQ(0, sq_one_unreaped(&self->q));
	usleep(50000);	/* fifty idle times */
	EXPECT_EQ(0, sq_status(&self->q) & AOFF_STATUS_NEED_WAKEUP);

	/* Still watched: the next request goes in without a doorbell. */
	self->q.enters = 0;
	ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, 2));
	ASSERT_EQ(0, sq_publish(&self->q));
	EXPECT_EQ(0, self->q.enters);
	ASSERT_EQ(0, sq_wait_cqes_no_poll(&self->q, 2, 5000));

	/* Both consumed: nothing outstanding, the device lets go. */
	ASSERT_EQ(1, aoff_reap(&self->q.r, &c, 1));
	ASSERT_EQ(1, aoff_reap(&self->q.r, &c, 1));
	EXPECT_EQ(0, sq_wait_wakeup(&self->q, 1, 2000));
}

TEST_F(sqpoll, unreaped_let_go_after_a_second)
{
	uint64_t t0;

	/* A CQE left behind for good does not keep the device watching. */
	ASSERT_EQ(0, sq_one_unreaped(&self->q));
	t0 = aoff_now_ns();
	ASSERT_EQ(0, sq_wait_wakeup(&self->q, 1, 5000));
	TH_LOG("NEED_WAKEUP after %llu ms with a CQE unconsumed",
	       (unsigned long long)(aoff_now_ns() - t0) / 1000000);
	/* The driver waits a second from the completion, give or take. */
	EXPECT_LE(800000000ull, aoff_now_ns() - t0);
	EXPECT_EQ(1, aoff_cq_ready(&self->q.r));
}

/*
 * The handshake under fire: a tiny idle time, a fast poller and random
 * pauses around the idle time, so the device keeps stopping to watch
 * while SQEs are published.  Every request must complete without a
 * doorbell other than the ones NEED_WAKEUP asked for.
 */
TEST_F(sqpoll, race_stress)
{
	enum { TOTAL = 6000, DEPTH = 8 };
	static uint8_t seen[TOTAL];
	struct aoff_cqe c[64];
	long long polled0 = aoff_sysfs_get("sq_polled");
	unsigned int next = 0, done = 0, i, n;
	unsigned int seed = (unsigned int)aoff_now_ns();
	uint64_t last_progress;

	NEED_ROOT();
	ASSERT_EQ(0, aoff_sysfs_set("sq_poll_usecs", 10));
	ASSERT_EQ(0, sq_ring_init(&self->q, 100, 16, 64));
	TH_LOG("seed %u", seed);
	memset(seen, 0, sizeof(seen));
	last_progress = aoff_now_ns();
	while (done < TOTAL) {
		/* A burst of 1..DEPTH requests, as the queue allows. */
		n = 1 + rand_r(&seed) % DEPTH;
		for (i = 0; i < n && next < TOTAL && next - done < DEPTH; i++)
			ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, next++));
		ASSERT_EQ(0, sq_publish(&self->q));
		/* Pause 0..~200 us: around the idle time and the period. */
		switch (rand_r(&seed) % 4) {
		case 0:
			break;
		case 1:
			sched_yield();
			break;
		default:
			usleep(rand_r(&seed) % 200);
		}
		n = aoff_reap(&self->q.r, c, 64);
		for (i = 0; i < n; i++) {
			ASSERT_LT(c[i].user_data, TOTAL);
			ASSERT_EQ(0, seen[c[i].user_data]++);
			EXPECT_EQ(0, c[i].res);
		}
		done += n;
		if (n)
			last_progress = aoff_now_ns();
		if (done < TOTAL && (next - done == DEPTH || next == TOTAL)) {
			/* Full: wait (poll, not the doorbell) for one CQE. */
			ASSERT_EQ(0, sq_wait_cqes(&self->q, 1, 3000))
				TH_LOG("lost: %u published, %u done, head %u, status %#x",
				       next, done,
				       __atomic_load_n(self->q.r.sq_head,
						       __ATOMIC_ACQUIRE),
				       sq_status(&self->q));
		}
		ASSERT_LT(aoff_now_ns() - last_progress, 3000000000ull);
	}
	TH_LOG("%u requests, %u doorbells, %lld polled", TOTAL, self->q.enters,
	       aoff_sysfs_get("sq_polled") - polled0);
	/* Both paths ran: the poller took some, the doorbell others. */
	EXPECT_LT(polled0, aoff_sysfs_get("sq_polled"));
	EXPECT_LT(0, self->q.enters);
}

/*
 * Issue 5's shape at the driver level: many contexts, each driven by its
 * own thread that keeps a few requests in flight and waits with poll().
 * Doorbells per request must stay far below 0.1 (only the first one of
 * each context and the occasional idle gap should need one).
 */
struct mc_job {
	struct sq_ring q;
	pthread_t th;
	unsigned int total, done, bad;
	int err;
};

static void *mc_thread(void *arg)
{
	struct mc_job *j = arg;
	struct aoff_cqe c[16];
	unsigned int next = 0, i, n;

	while (j->done < j->total) {
		while (next < j->total && next - j->done < 4)
			if (!aoff_prep_nop(&j->q.r, next++))
				break;
		j->err = sq_publish(&j->q);
		if (j->err)
			break;
		j->err = sq_wait_cqes(&j->q, 1, 5000);
		if (j->err)
			break;
		n = aoff_reap(&j->q.r, c, 16);
		for (i = 0; i < n; i++)
			j->bad += c[i].res != 0;
		j->done += n;
	}
	return NULL;
}

TEST_F(sqpoll, many_contexts_few_doorbells)
{
	enum { NR = 16, PER = 1000 };
	static struct mc_job jobs[NR];
	unsigned int i, enters = 0, done = 0;

	NEED_ROOT();
	/* Requests stay in flight 50 us, as an accelerator's would. */
	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 50000));
	for (i = 0; i < NR; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].total = PER;
		/* 10 ms idle: thread scheduling on a slow VM is no gap. */
		ASSERT_EQ(0, sq_ring_init(&jobs[i].q, 10000, 8, 16));
	}
	for (i = 0; i < NR; i++)
		ASSERT_EQ(0, pthread_create(&jobs[i].th, NULL, mc_thread,
					    &jobs[i]));
	for (i = 0; i < NR; i++) {
		pthread_join(jobs[i].th, NULL);
		EXPECT_EQ(0, jobs[i].err) TH_LOG("job %u", i);
		EXPECT_EQ(PER, jobs[i].done);
		EXPECT_EQ(0, jobs[i].bad);
		enters += jobs[i].q.enters;
		done += jobs[i].done;
		sq_ring_exit(&jobs[i].q);
	}
	TH_LOG("%u requests on %u contexts, %u doorbells (%.4f per request)",
	       done, NR, enters, done ? (double)enters / done : 0.0);
	EXPECT_EQ(NR * PER, done);
	EXPECT_GT(done / 10, enters);
}

TEST_F(sqpoll, cq_full_drains_later)
{
	struct aoff_cqe c[8];
	unsigned int i;

	ASSERT_EQ(0, sq_ring_init(&self->q, 50000, 4, 4));
	ASSERT_EQ(0, sq_ring_bell(&self->q));
	for (i = 0; i < 4; i++)
		ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, i));
	ASSERT_EQ(0, sq_publish(&self->q));
	ASSERT_EQ(0, sq_wait_cqes(&self->q, 4, 5000));
	/*
	 * The CQ is full and unread: the next four must wait.  (On a very
	 * slow host the device may have stopped watching already; then the
	 * protocol rings, gets EAGAIN, and the device watches again.)
	 */
	for (i = 4; i < 8; i++)
		ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, i));
	ASSERT_EQ(0, sq_publish(&self->q));
	self->q.enters = 0;
	usleep(200000);	/* four idle times */
	EXPECT_EQ(4, __atomic_load_n(self->q.r.sq_head, __ATOMIC_ACQUIRE));
	/* SQEs are waiting: still watched, although idle for long. */
	EXPECT_EQ(0, sq_status(&self->q) & AOFF_STATUS_NEED_WAKEUP);
	ASSERT_EQ(4, aoff_reap(&self->q.r, c, 8));
	/* Room again: taken without a doorbell. */
	ASSERT_EQ(0, sq_wait_cqes(&self->q, 4, 5000));
	ASSERT_EQ(4, aoff_reap(&self->q.r, c, 8));
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(4 + i, c[i].user_data);
		EXPECT_EQ(0, c[i].res);
	}
	EXPECT_EQ(0, self->q.enters);
}

TEST_F(sqpoll, reset_while_watched)
{
	struct aoff_cqe c[8];
	struct sq_ring fresh;
	unsigned int i, n;

	NEED_ROOT();
	/* In flight for 3 s: still there when the reset comes. */
	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 3000000000ull));
	ASSERT_EQ(0, sq_ring_init(&self->q, AOFF_SQ_IDLE_MAX_US, 8, 0));
	ASSERT_EQ(0, sq_ring_bell(&self->q));
	for (i = 0; i < 4; i++)
		ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, i));
	ASSERT_EQ(0, sq_publish(&self->q));
	/* Wait until the poller has them in flight. */
	for (i = 0; i < 1000 && aoff_sq_pending(&self->q.r); i++)
		usleep(1000);
	ASSERT_EQ(0, aoff_sq_pending(&self->q.r));
	EXPECT_EQ(0, sq_status(&self->q) & AOFF_STATUS_NEED_WAKEUP);

	ASSERT_EQ(0, aoff_sysfs_write("reset", "1"));
	EXPECT_EQ(AOFF_STATUS_BROKEN | AOFF_STATUS_NEED_WAKEUP,
		  sq_status(&self->q));
	ASSERT_EQ(0, sq_wait_cqes(&self->q, 4, 5000));
	n = aoff_reap(&self->q.r, c, 8);
	ASSERT_EQ(4, n);
	for (i = 0; i < n; i++)
		EXPECT_EQ(-ECANCELED, c[i].res);
	/* The protocol rings (NEED_WAKEUP) and learns EIO. */
	ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, 9));
	EXPECT_EQ(-EIO, sq_publish(&self->q));
	usleep(20000);
	EXPECT_EQ(4, __atomic_load_n(self->q.r.sq_head, __ATOMIC_ACQUIRE));

	/* A context opened after the reset works, watched or not. */
	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 0));
	ASSERT_EQ(0, sq_ring_init(&fresh, 0, 8, 0));
	ASSERT_NE(NULL, aoff_prep_nop(&fresh.r, 1));
	ASSERT_EQ(0, sq_publish(&fresh));
	EXPECT_EQ(1, fresh.enters);
	EXPECT_EQ(0, sq_wait_cqes(&fresh, 1, 5000));
	sq_ring_exit(&fresh);
}

TEST_F(sqpoll, close_while_watched)
{
	enum { NR = 8 };
	struct sq_ring q[NR];
	unsigned int i, j, k;

	NEED_ROOT();
	ASSERT_EQ(0, aoff_sysfs_set("sq_poll_usecs", 5));
	for (k = 0; k < 20; k++) {
		/* Some in flight for a while, some still being published. */
		ASSERT_EQ(0, aoff_sysfs_set("latency_ns", k & 1 ? 5000000 : 0));
		for (i = 0; i < NR; i++) {
			ASSERT_EQ(0, sq_ring_init(&q[i], AOFF_SQ_IDLE_MAX_US,
						  16, 0));
			ASSERT_EQ(0, sq_ring_bell(&q[i]));
			for (j = 0; j < 16; j++)
				ASSERT_NE(NULL, aoff_prep_nop(&q[i].r, j));
			ASSERT_EQ(0, sq_publish(&q[i]));
		}
		for (i = 0; i < NR; i++) {
			/* Alternate which goes first: the fd or the mapping. */
			if ((i + k) & 1) {
				close(q[i].r.fd);
				q[i].r.fd = -1;
			}
			sq_ring_exit(&q[i]);
		}
	}
	/* The device still works. */
	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 0));
	ASSERT_EQ(0, sq_ring_init(&self->q, 0, 8, 0));
	ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, 1));
	ASSERT_EQ(0, sq_publish(&self->q));
	EXPECT_EQ(0, sq_wait_cqes(&self->q, 1, 5000));
}

TEST_F(sqpoll, sysfs_sq_poll_usecs)
{
	NEED_ROOT();
	ASSERT_LE(1, self->poll_usecs);
	ASSERT_GE(100000, self->poll_usecs);
	EXPECT_EQ(-EINVAL, aoff_sysfs_write("sq_poll_usecs", "0"));
	EXPECT_EQ(-EINVAL, aoff_sysfs_write("sq_poll_usecs", "100001"));
	EXPECT_EQ(-EINVAL, aoff_sysfs_write("sq_poll_usecs", "-1"));
	EXPECT_EQ(-EINVAL, aoff_sysfs_write("sq_poll_usecs", "abc"));
	EXPECT_EQ(self->poll_usecs, aoff_sysfs_get("sq_poll_usecs"));
	EXPECT_EQ(0, aoff_sysfs_write("sq_poll_usecs", "1\n"));
	EXPECT_EQ(1, aoff_sysfs_get("sq_poll_usecs"));
	EXPECT_EQ(0, aoff_sysfs_set("sq_poll_usecs", 100000));
	EXPECT_EQ(100000, aoff_sysfs_get("sq_poll_usecs"));
	/* Read-only statistics. */
	EXPECT_EQ(-EACCES, aoff_sysfs_write("sq_polled", "0"));
	EXPECT_LE(0, aoff_sysfs_get("sq_poll_passes"));
	EXPECT_LE(0, aoff_sysfs_get("sq_wakeups"));
}

/*
 * The period is what sysfs says: with 100 ms, the first pass after the
 * doorbell (which arms the timer) comes no earlier than 100 ms later, and
 * it takes the SQE without a doorbell.
 */
TEST_F(sqpoll, slow_period)
{
	uint64_t t0, dt;

	NEED_ROOT();
	ASSERT_EQ(0, aoff_sysfs_set("sq_poll_usecs", 100000));
	ASSERT_EQ(0, sq_ring_init(&self->q, AOFF_SQ_IDLE_MAX_US, 8, 0));
	t0 = aoff_now_ns();
	ASSERT_EQ(0, sq_ring_bell(&self->q));
	self->q.enters = 0;
	ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, 1));
	ASSERT_EQ(0, sq_publish(&self->q));
	ASSERT_EQ(0, sq_wait_cqes_no_poll(&self->q, 1, 5000));
	dt = aoff_now_ns() - t0;
	TH_LOG("taken after %llu us", (unsigned long long)dt / 1000);
	EXPECT_EQ(0, self->q.enters);
	/* hrtimers never fire early; late is the host's business. */
	EXPECT_LE(100000000ull, dt);
}

/*
 * poll() on a watched context consumes what is published at once, in the
 * call itself, without waiting for the poller's next pass (100 ms away
 * here): an application's poll()/select() loop is its doorbell.  A pass
 * that happens to fall in between would also consume it, so the round is
 * retried when the pass count moved.
 */
TEST_F(sqpoll, poll_consumes_at_once)
{
	struct pollfd p;
	long long passes0, calls0;
	struct aoff_cqe c[4];
	int round, clean = 0;

	NEED_ROOT();
	ASSERT_EQ(0, aoff_sysfs_set("sq_poll_usecs", 100000));
	ASSERT_EQ(0, sq_ring_init(&self->q, AOFF_SQ_IDLE_MAX_US, 8, 0));
	ASSERT_EQ(0, sq_ring_bell(&self->q));
	self->q.enters = 0;
	for (round = 0; round < 20 && clean < 5; round++) {
		passes0 = aoff_sysfs_get("sq_poll_passes");
		calls0 = aoff_sysfs_get("sq_poll_calls");
		ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, round));
		ASSERT_EQ(0, sq_publish(&self->q));
		p.fd = self->q.r.fd;
		p.events = POLLIN;
		p.revents = 0;
		ASSERT_LE(0, poll(&p, 1, 0));
		if (aoff_sysfs_get("sq_poll_passes") == passes0) {
			/* No pass ran: the poll() call consumed the SQE. */
			EXPECT_EQ(self->q.r.sqe_tail,
				  __atomic_load_n(self->q.r.sq_head,
						  __ATOMIC_ACQUIRE));
			EXPECT_EQ(calls0 + 1, aoff_sysfs_get("sq_poll_calls"));
			clean++;
		}
		ASSERT_EQ(0, sq_wait_cqes(&self->q, 1, 5000));
		ASSERT_EQ(1, aoff_reap(&self->q.r, c, 4));
		EXPECT_EQ(0, c[0].res);
		EXPECT_EQ((uint64_t)round, c[0].user_data);
	}
	EXPECT_EQ(5, clean) TH_LOG("a pass fell into every round");
	EXPECT_EQ(0, self->q.enters);
}

/* poll() on a context nobody watches (NEED_WAKEUP set) consumes nothing:
 * its owner rings, as the protocol says. */
TEST_F(sqpoll, poll_leaves_unwatched_alone)
{
	struct pollfd p;

	ASSERT_EQ(0, sq_ring_init(&self->q, 0, 8, 0));
	ASSERT_TRUE(sq_status(&self->q) & AOFF_STATUS_NEED_WAKEUP);
	ASSERT_NE(NULL, aoff_prep_nop(&self->q.r, 7));
	__atomic_store_n(self->q.r.sq_tail, self->q.r.sqe_tail, __ATOMIC_RELEASE);
	p.fd = self->q.r.fd;
	p.events = POLLIN;
	ASSERT_EQ(0, poll(&p, 1, 20));
	EXPECT_EQ(0, __atomic_load_n(self->q.r.sq_head, __ATOMIC_ACQUIRE));
	/* The doorbell takes it, as for any context. */
	EXPECT_EQ(1, sq_ring_bell(&self->q));
	EXPECT_EQ(0, sq_wait_cqes(&self->q, 1, 5000));
}

/*
 * Last (it reloads the module), hence a fixture of its own, declared last:
 * the harness runs fixtures in order.  Close watched contexts, unload.
 */
FIXTURE(zz_unload) {
	int unused;
};

FIXTURE_SETUP(zz_unload)
{
}

FIXTURE_TEARDOWN(zz_unload)
{
}

TEST_F(zz_unload, rmmod_after_close_while_watched)
{
	enum { NR = 4 };
	const char *mod = getenv("AOFF_MODULE");
	struct sq_ring q[NR];
	unsigned int i, j;
	int ret = -EBUSY;

	AOFF_REQUIRE_DEVICE(_metadata);
	if (!mod || geteuid())
		SKIP(return, "needs root and AOFF_MODULE (the QEMU runner)");
	ASSERT_EQ(0, aoff_sysfs_set("sq_poll_usecs", 5));
	for (i = 0; i < NR; i++) {
		ASSERT_EQ(0, sq_ring_init(&q[i], AOFF_SQ_IDLE_MAX_US, 8, 0));
		ASSERT_EQ(0, sq_ring_bell(&q[i]));
		for (j = 0; j < 8; j++)
			ASSERT_NE(NULL, aoff_prep_nop(&q[i].r, j));
		ASSERT_EQ(0, sq_publish(&q[i]));
	}
	for (i = 0; i < NR; i++)
		sq_ring_exit(&q[i]);
	for (i = 0; i < 50 && ret; i++) {
		ret = aoff_delete_module(MODNAME, O_NONBLOCK);
		if (ret)
			usleep(20000);
	}
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, aoff_load_module(mod));
	for (i = 0; i < 100 && !aoff_have_device(); i++)
		usleep(10000);
	ASSERT_TRUE(aoff_have_device());
	/* The reloaded driver watches from a clean state: the default
	 * period (1 ms), not what an earlier test left. */
	EXPECT_EQ(1000, aoff_sysfs_get("sq_poll_usecs"));
	ASSERT_EQ(0, sq_ring_init(&q[0], 0, 8, 0));
	ASSERT_NE(NULL, aoff_prep_nop(&q[0].r, 1));
	ASSERT_EQ(0, sq_publish(&q[0]));
	EXPECT_EQ(0, sq_wait_cqes(&q[0], 1, 5000));
	sq_ring_exit(&q[0]);
}

TEST_HARNESS_MAIN
