// SPDX-License-Identifier: Apache-2.0
/*
 * The device model: sysfs attributes (read, valid writes take effect,
 * invalid ones are refused and change nothing), statistics, the modelled
 * service time (latencies overlap), interrupt coalescing by frames, by
 * microseconds and by idleness, the eventfd, and fairness between a
 * flooding context and a quiet one.  Every test restores the parameters.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

FIXTURE(model) {
	struct aoff_ring r;
	long long saved[AOFF_NPARAMS];
};

FIXTURE_SETUP(model)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	if (geteuid())
		SKIP(return, "needs root to write sysfs");
	aoff_params_save(self->saved);
	ASSERT_GE(self->saved[0], 1);
	ASSERT_EQ(0, aoff_ring_init(&self->r, 256, 4096, 1 << 20));
}

FIXTURE_TEARDOWN(model)
{
	aoff_ring_exit(&self->r);
	aoff_params_restore(self->saved);
}

static const char *const stats[] = {
	"submitted", "completed", "errors", "interrupts", "coalesced",
	"in_flight", "queue_full", "bytes", "resets", "contexts",
};

TEST_F(model, sysfs_read_all)
{
	unsigned int i;

	for (i = 0; i < AOFF_NPARAMS; i++)
		EXPECT_GE(aoff_sysfs_get(aoff_params[i]), 0) TH_LOG("param %u", i);
	for (i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
		EXPECT_GE(aoff_sysfs_get(stats[i]), 0) TH_LOG("stat %u", i);
	EXPECT_GE(aoff_sysfs_get("stall_ms"), 0);
	EXPECT_GE(aoff_sysfs_get("contexts"), 1);
	/* Defaults as documented. */
	EXPECT_EQ(1, aoff_sysfs_get("coalesce_frames"));
}

TEST_F(model, sysfs_writes)
{
	static const struct { const char *attr; unsigned long long lo, hi; } p[] = {
		{ "engines", 1, 64 },
		{ "latency_ns", 0, 10000000000ull },
		{ "ns_per_kib", 0, 100000000ull },
		{ "coalesce_frames", 1, 65536 },
		{ "coalesce_usecs", 0, 1000000 },
		{ "fail_every", 0, 1000000000 },
		{ "fail_ppm", 0, 1000000 },
	};
	/* (An empty write never reaches the driver: write(2) returns 0.) */
	static const char *const junk[] = {
		"abc", "-1", "1x", " ", "0x10", "18446744073709551616", "1 2",
	};
	struct aoff_info info;
	unsigned int i, j;
	long long before;
	char buf[32];

	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		/* The edges are accepted and read back. */
		ASSERT_EQ(0, aoff_sysfs_set(p[i].attr, p[i].lo)) TH_LOG("%s", p[i].attr);
		EXPECT_EQ((long long)p[i].lo, aoff_sysfs_get(p[i].attr));
		ASSERT_EQ(0, aoff_sysfs_set(p[i].attr, p[i].hi)) TH_LOG("%s", p[i].attr);
		EXPECT_EQ((long long)p[i].hi, aoff_sysfs_get(p[i].attr));
		snprintf(buf, sizeof(buf), "%llu\n", p[i].lo + 1);
		ASSERT_EQ(0, aoff_sysfs_write(p[i].attr, buf));
		EXPECT_EQ((long long)p[i].lo + 1, aoff_sysfs_get(p[i].attr));
		before = aoff_sysfs_get(p[i].attr);
		/* Out of range and junk: EINVAL, nothing changes. */
		EXPECT_EQ(-EINVAL, aoff_sysfs_set(p[i].attr, p[i].hi + 1)) TH_LOG("%s", p[i].attr);
		if (p[i].lo)
			EXPECT_EQ(-EINVAL, aoff_sysfs_set(p[i].attr, p[i].lo - 1));
		for (j = 0; j < sizeof(junk) / sizeof(junk[0]); j++)
			EXPECT_EQ(-EINVAL, aoff_sysfs_write(p[i].attr, junk[j]))
				TH_LOG("attr %u <- junk %u", i, j);
		EXPECT_EQ(before, aoff_sysfs_get(p[i].attr));
	}
	EXPECT_EQ(-EINVAL, aoff_sysfs_write("stall_ms", "60001"));
	EXPECT_EQ(-EINVAL, aoff_sysfs_write("stall_ms", "x"));
	EXPECT_EQ(-EINVAL, aoff_sysfs_write("reset", "0"));
	EXPECT_EQ(-EINVAL, aoff_sysfs_write("reset", "2"));
	EXPECT_EQ(-EINVAL, aoff_sysfs_write("reset", "yes"));
	/* The engine count reaches AOFF_IOC_INFO. */
	ASSERT_EQ(0, aoff_sysfs_set("engines", 3));
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ASSERT_EQ(0, aoff_ioctl(self->r.fd, AOFF_IOC_INFO, &info));
	EXPECT_EQ(3, info.nr_engines);
}

static void submit_nops(struct aoff_ring *r, unsigned int n, uint32_t in_len)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct aoff_sqe *sqe = aoff_prep_nop(r, i);

		sqe->in_len = in_len;
	}
}

TEST_F(model, statistics)
{
	long long sub = aoff_sysfs_get("submitted"), comp = aoff_sysfs_get("completed");
	long long err = aoff_sysfs_get("errors"), bytes = aoff_sysfs_get("bytes");
	static struct aoff_cqe c[200];
	struct aoff_sqe *sqe;

	submit_nops(&self->r, 100, 100);
	sqe = aoff_get_sqe(&self->r);
	sqe->opcode = 200;	/* unsupported: an error */
	ASSERT_EQ(101, aoff_drain(&self->r, c, 101));
	EXPECT_EQ(sub + 101, aoff_sysfs_get("submitted"));
	EXPECT_EQ(comp + 101, aoff_sysfs_get("completed"));
	EXPECT_EQ(err + 1, aoff_sysfs_get("errors"));
	EXPECT_EQ(bytes + 100 * 100, aoff_sysfs_get("bytes"));
	EXPECT_EQ(0, aoff_sysfs_get("in_flight"));
}

/* With latency L, J requests in flight take about L, not J * L. */
TEST_F(model, latency_overlaps)
{
	static struct aoff_cqe c[256];
	uint64_t t0, dt;

	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 20000000));	/* 20 ms */
	t0 = aoff_now_ns();
	submit_nops(&self->r, 256, 0);
	ASSERT_EQ(256, aoff_drain(&self->r, c, 256));
	dt = aoff_now_ns() - t0;
	TH_LOG("256 requests at 20 ms latency: %llu ms", (unsigned long long)dt / 1000000);
	EXPECT_GE(dt, 20000000);
	EXPECT_LT(dt, 256ull * 20000000 / 8);	/* serial would be 5.1 s */
}

/* interrupts + coalesced == completions when no timer is involved. */
TEST_F(model, coalesce_frames)
{
	static const unsigned int frames[] = { 1, 4, 16, 64, 1000 };
	static struct aoff_cqe c[256];
	unsigned int i, n = 256;

	ASSERT_EQ(0, aoff_sysfs_set("coalesce_usecs", 0));
	for (i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		long long irq0, coal0, irqs, coal;

		ASSERT_EQ(0, aoff_sysfs_set("coalesce_frames", frames[i]));
		irq0 = aoff_sysfs_get("interrupts");
		coal0 = aoff_sysfs_get("coalesced");
		submit_nops(&self->r, n, 0);
		ASSERT_EQ(n, aoff_drain(&self->r, c, n));
		irqs = aoff_sysfs_get("interrupts") - irq0;
		coal = aoff_sysfs_get("coalesced") - coal0;
		TH_LOG("frames %u: %lld interrupts, %lld coalesced", frames[i], irqs, coal);
		EXPECT_EQ(n, irqs + coal);
		EXPECT_GE(irqs, 1);
		EXPECT_LE(irqs, (n + frames[i] - 1) / frames[i] + 1);
	}
}

/*
 * A CQE waits for its interrupt at most coalesce_usecs while others are in
 * flight; with coalesce_usecs 0 it waits until the context is idle.
 * Request A (1 MiB, slow) follows the NOP B: B is done at once, A after
 * ~50 ms of engine time.  The interrupt is watched through the eventfd
 * (poll() on the context is level-triggered on the CQ, not on interrupts).
 */
static uint64_t first_irq_ns(struct __test_metadata *_metadata,
			     struct aoff_ring *r, int efd, struct aoff_cqe *c,
			     unsigned int *n)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	struct aoff_sqe *sqe;
	uint64_t t0, dt, cnt;

	aoff_prep_nop(r, 1);
	sqe = aoff_prep_nop(r, 2);
	sqe->in_len = 1 << 20;
	t0 = aoff_now_ns();
	EXPECT_EQ(2, aoff_enter(r, 2, 0, -1));
	EXPECT_EQ(1, poll(&pfd, 1, 5000));
	dt = aoff_now_ns() - t0;
	EXPECT_EQ(8, read(efd, &cnt, 8));
	*n = aoff_reap(r, c, 2);
	EXPECT_GE(*n, 1);
	EXPECT_EQ(1, c[0].user_data);
	return dt;
}

TEST_F(model, coalesce_usecs_and_idle)
{
	struct aoff_eventfd a = { .fd = -1 };
	struct aoff_cqe c[2];
	uint64_t dt, cnt;
	unsigned int n;

	a.fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ASSERT_GE(a.fd, 0);
	ASSERT_EQ(0, aoff_ioctl(self->r.fd, AOFF_IOC_EVENTFD, &a));
	ASSERT_EQ(0, aoff_sysfs_set("ns_per_kib", 50000));	/* 1 MiB: 51 ms */
	ASSERT_EQ(0, aoff_sysfs_set("coalesce_frames", 1000));
	ASSERT_EQ(0, aoff_sysfs_set("coalesce_usecs", 2000));
	dt = first_irq_ns(_metadata, &self->r, a.fd, c, &n);
	TH_LOG("usecs 2000: first interrupt after %llu us", (unsigned long long)dt / 1000);
	EXPECT_LT(dt, 40000000);
	EXPECT_EQ(1, n);
	ASSERT_EQ(1, aoff_drain(&self->r, c, 1));

	ASSERT_EQ(0, aoff_sysfs_set("coalesce_usecs", 0));
	/* A's interrupt of the first round is still counted: consume it. */
	EXPECT_EQ(8, read(a.fd, &cnt, 8));
	dt = first_irq_ns(_metadata, &self->r, a.fd, c, &n);
	TH_LOG("usecs 0: first interrupt after %llu us", (unsigned long long)dt / 1000);
	EXPECT_GE(dt, 45000000);
	/* Both were there for that one interrupt. */
	EXPECT_EQ(2, n);
	EXPECT_EQ(2, c[1].user_data);
	close(a.fd);
}

TEST_F(model, eventfd)
{
	struct aoff_eventfd a = { .fd = -1 };
	static struct aoff_cqe c[64];
	long long irq0;
	uint64_t cnt = 0;
	int efd;

	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ASSERT_GE(efd, 0);
	EXPECT_EQ(-ENXIO, aoff_ioctl(self->r.fd, AOFF_IOC_EVENTFD, &a));
	a.fd = -2;
	EXPECT_EQ(-EBADF, aoff_ioctl(self->r.fd, AOFF_IOC_EVENTFD, &a));
	a.fd = self->r.fd;	/* not an eventfd */
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->r.fd, AOFF_IOC_EVENTFD, &a));
	a.fd = efd;
	a.flags = 1;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->r.fd, AOFF_IOC_EVENTFD, &a));
	a.flags = 0;
	a.resv = 1;
	EXPECT_EQ(-EINVAL, aoff_ioctl(self->r.fd, AOFF_IOC_EVENTFD, &a));
	a.resv = 0;
	ASSERT_EQ(0, aoff_ioctl(self->r.fd, AOFF_IOC_EVENTFD, &a));
	EXPECT_EQ(-EBUSY, aoff_ioctl(self->r.fd, AOFF_IOC_EVENTFD, &a));

	/* One count per interrupt of this context. */
	ASSERT_EQ(0, aoff_sysfs_set("coalesce_frames", 8));
	irq0 = aoff_sysfs_get("interrupts");
	submit_nops(&self->r, 64, 0);
	ASSERT_EQ(64, aoff_drain(&self->r, c, 64));
	ASSERT_EQ(8, read(efd, &cnt, 8));
	EXPECT_EQ(aoff_sysfs_get("interrupts") - irq0, (long long)cnt);
	EXPECT_GE(cnt, 1);
	EXPECT_LE(cnt, 9);

	/* Detached: no more counts. */
	a.fd = -1;
	ASSERT_EQ(0, aoff_ioctl(self->r.fd, AOFF_IOC_EVENTFD, &a));
	submit_nops(&self->r, 8, 0);
	ASSERT_EQ(8, aoff_drain(&self->r, c, 8));
	EXPECT_EQ(-1, read(efd, &cnt, 8));
	EXPECT_EQ(EAGAIN, errno);
	/* Attach again, then close the context with it attached. */
	a.fd = efd;
	ASSERT_EQ(0, aoff_ioctl(self->r.fd, AOFF_IOC_EVENTFD, &a));
	close(efd);
}

struct flood {
	struct aoff_ring r;
	volatile int stop;
	unsigned long long done;
	int err;
};

static void *flood_thread(void *arg)
{
	struct flood *f = arg;
	static struct aoff_cqe c[512];

	while (!f->stop) {
		struct aoff_sqe *sqe;
		int ret;

		while ((sqe = aoff_prep_nop(&f->r, 0)))
			sqe->in_len = 65536;
		ret = aoff_enter(&f->r, aoff_sq_pending(&f->r), 1, 2000000000);
		if (ret < 0 && ret != -EAGAIN) {
			f->err = ret;
			break;
		}
		f->done += aoff_reap(&f->r, c, 512);
	}
	/* Let what is in flight finish before closing. */
	return NULL;
}

/* A context flooding the device does not starve another's requests. */
TEST_F(model, fairness)
{
	struct flood f;
	pthread_t th;
	uint64_t worst = 0, t0, dt;
	struct aoff_cqe c;
	int i;

	ASSERT_EQ(0, aoff_sysfs_set("ns_per_kib", 5000));	/* 64 KiB: 320 us */
	memset(&f, 0, sizeof(f));
	ASSERT_EQ(0, aoff_ring_init(&f.r, 512, 1024, 1 << 20));
	ASSERT_EQ(0, pthread_create(&th, NULL, flood_thread, &f));
	usleep(100000);
	for (i = 0; i < 20; i++) {
		t0 = aoff_now_ns();
		aoff_prep_nop(&self->r, i);
		ASSERT_EQ(1, aoff_drain(&self->r, &c, 1));
		dt = aoff_now_ns() - t0;
		if (dt > worst)
			worst = dt;
		EXPECT_EQ(0, c.res);
	}
	TH_LOG("quiet context's worst latency %llu us; flood backlog %u requests",
	       (unsigned long long)worst / 1000, aoff_sq_pending(&f.r) + 1024);
	f.stop = 1;
	pthread_join(th, NULL);
	EXPECT_EQ(0, f.err);
	/* The flood's queue alone is 1024 * 320 us / engines >= 160 ms. */
	EXPECT_LT(worst, 80000000);
	aoff_ring_exit(&f.r);
}

TEST_HARNESS_MAIN
