// SPDX-License-Identifier: Apache-2.0
/*
 * Fault injection and the device reset: fail every Nth request, fail a
 * fraction, stall the engines, reset under load from several threads.
 * Every submitted request completes exactly once; errors are counted;
 * broken contexts report EPOLLERR and refuse work; new contexts work.
 * Every test restores the parameters.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

FIXTURE(faults) {
	struct aoff_ring r;
	long long saved[AOFF_NPARAMS];
};

FIXTURE_SETUP(faults)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	if (geteuid())
		SKIP(return, "needs root to write sysfs");
	aoff_params_save(self->saved);
	ASSERT_EQ(0, aoff_ring_init(&self->r, 256, 512, 1 << 16));
}

FIXTURE_TEARDOWN(faults)
{
	aoff_ring_exit(&self->r);
	aoff_params_restore(self->saved);
}

static unsigned int count_res(const struct aoff_cqe *c, unsigned int n, int res)
{
	unsigned int i, k = 0;

	for (i = 0; i < n; i++)
		k += c[i].res == res;
	return k;
}

TEST_F(faults, fail_every)
{
	static struct aoff_cqe c[256];
	long long err0 = aoff_sysfs_get("errors");
	unsigned int i;

	ASSERT_EQ(0, aoff_sysfs_set("fail_every", 3));
	for (i = 0; i < 255; i++)
		aoff_prep_nop(&self->r, i);
	ASSERT_EQ(255, aoff_drain(&self->r, c, 255));
	EXPECT_EQ(85, count_res(c, 255, -EIO));
	EXPECT_EQ(170, count_res(c, 255, 0));
	EXPECT_EQ(err0 + 85, aoff_sysfs_get("errors"));
	/* In submission order: the 3rd, 6th, ... fail. */
	for (i = 0; i < 255; i++)
		if (c[i].user_data % 3 == 2)
			EXPECT_EQ(-EIO, c[i].res);
	ASSERT_EQ(0, aoff_sysfs_set("fail_every", 0));
	aoff_prep_nop(&self->r, 0);
	ASSERT_EQ(1, aoff_drain(&self->r, c, 1));
	EXPECT_EQ(0, c[0].res);
}

TEST_F(faults, fail_ppm)
{
	static struct aoff_cqe c[256];
	unsigned int i, bad;

	ASSERT_EQ(0, aoff_sysfs_set("fail_ppm", 1000000));
	for (i = 0; i < 100; i++)
		aoff_prep_nop(&self->r, i);
	ASSERT_EQ(100, aoff_drain(&self->r, c, 100));
	EXPECT_EQ(100, count_res(c, 100, -EIO));

	ASSERT_EQ(0, aoff_sysfs_set("fail_ppm", 500000));
	for (i = 0; i < 256; i++)
		aoff_prep_nop(&self->r, i);
	ASSERT_EQ(256, aoff_drain(&self->r, c, 256));
	bad = count_res(c, 256, -EIO);
	TH_LOG("fail_ppm 500000: %u of 256 failed", bad);
	EXPECT_GT(bad, 64);
	EXPECT_LT(bad, 192);
	EXPECT_EQ(256 - bad, count_res(c, 256, 0));
}

TEST_F(faults, stall)
{
	struct pollfd pfd = { .fd = self->r.fd, .events = POLLIN };
	struct aoff_cqe c;
	uint64_t t0 = aoff_now_ns();

	ASSERT_EQ(0, aoff_sysfs_set("stall_ms", 400));
	EXPECT_GT(aoff_sysfs_get("stall_ms"), 0);
	aoff_prep_nop(&self->r, 1);
	ASSERT_EQ(1, aoff_enter(&self->r, 1, 0, -1));
	EXPECT_EQ(0, poll(&pfd, 1, 150));	/* nothing while stalled */
	ASSERT_EQ(1, aoff_drain(&self->r, &c, 1));
	EXPECT_EQ(0, c.res);
	EXPECT_GE(aoff_now_ns() - t0, 350000000);
	EXPECT_EQ(0, aoff_sysfs_get("stall_ms"));
}

struct loader {
	struct aoff_ring r;
	pthread_t th;
	volatile int *stop;
	uint32_t next;			/* user_data of the next request */
	uint8_t seen[1 << 16];		/* CQEs per user_data */
	unsigned int ok, cancelled, eio, broken_enter, other;
	int setup_err;
};

static void loader_reap(struct loader *l)
{
	struct aoff_cqe c[256];
	unsigned int i, n;

	n = aoff_reap(&l->r, c, 256);
	for (i = 0; i < n; i++) {
		if (c[i].user_data < sizeof(l->seen))
			l->seen[c[i].user_data]++;
		if (c[i].res == 0)
			l->ok++;
		else if (c[i].res == -ECANCELED)
			l->cancelled++;
		else if (c[i].res == -EIO)
			l->eio++;
		else
			l->other++;
	}
}

static uint32_t loader_done(struct loader *l)
{
	return l->ok + l->cancelled + l->eio + l->other;
}

static void *loader_thread(void *arg)
{
	struct loader *l = arg;
	uint64_t deadline;

	while (!*l->stop && l->next < sizeof(l->seen) - 256) {
		int ret;

		while (l->next - loader_done(l) < l->r.s.cq_entries &&
		       aoff_prep_nop(&l->r, l->next))
			l->next++;
		ret = aoff_enter(&l->r, aoff_sq_pending(&l->r), 1, 1000000000);
		if (ret == -EIO) {
			l->broken_enter++;
			break;
		}
		loader_reap(l);
	}
	/*
	 * Unsubmitted SQEs are not requests; the ones the device consumed
	 * all complete, broken or not.
	 */
	l->next = __atomic_load_n(l->r.sq_head, __ATOMIC_ACQUIRE);
	deadline = aoff_now_ns() + 5000000000ull;
	while (loader_done(l) < l->next && aoff_now_ns() < deadline) {
		loader_reap(l);
		usleep(1000);
	}
	return NULL;
}

#define NLOAD 4

TEST_F(faults, reset_under_load)
{
	static struct loader ld[NLOAD];
	long long resets0 = aoff_sysfs_get("resets");
	struct pollfd pfd;
	struct aoff_cqe c;
	struct aoff_ring fresh;
	volatile int stop = 0;
	unsigned int i, j, total_cancel = 0;
	uint64_t cnt;
	int efd;

	/* Requests stay in flight for 2 ms; some fail by injection too. */
	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 2000000));
	ASSERT_EQ(0, aoff_sysfs_set("fail_every", 7));
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	ASSERT_GE(efd, 0);
	for (i = 0; i < NLOAD; i++) {
		memset(&ld[i], 0, sizeof(ld[i]));
		ld[i].stop = &stop;
		ASSERT_EQ(0, aoff_ring_init(&ld[i].r, 64, 256, 4096));
	}
	{
		struct aoff_eventfd a = { .fd = efd };

		ASSERT_EQ(0, aoff_ioctl(ld[0].r.fd, AOFF_IOC_EVENTFD, &a));
	}
	for (i = 0; i < NLOAD; i++)
		ASSERT_EQ(0, pthread_create(&ld[i].th, NULL, loader_thread, &ld[i]));
	usleep(300000);
	/*
	 * Every loader must be under way (on a loaded host or the debug
	 * kernel a thread may not have run yet): 100 consumed each, so the
	 * injected faults have hit every context too.
	 */
	for (j = 0; j < 1000; j++) {
		for (i = 0; i < NLOAD; i++)
			if (__atomic_load_n(ld[i].r.sq_head, __ATOMIC_ACQUIRE) < 100)
				break;
		if (i == NLOAD)
			break;
		usleep(10000);
	}
	ASSERT_EQ(0, aoff_sysfs_write("reset", "1"));
	usleep(100000);
	stop = 1;
	for (i = 0; i < NLOAD; i++)
		pthread_join(ld[i].th, NULL);

	EXPECT_EQ(resets0 + 1, aoff_sysfs_get("resets"));
	for (i = 0; i < NLOAD; i++) {
		struct loader *l = &ld[i];

		TH_LOG("ctx %u: %u submitted, %u ok, %u -ECANCELED, %u -EIO, %u other",
		       i, l->next, l->ok, l->cancelled, l->eio, l->other);
		EXPECT_TRUE(*l->r.status & AOFF_STATUS_BROKEN);
		EXPECT_EQ(1, l->broken_enter);
		EXPECT_EQ(l->next, loader_done(l));
		EXPECT_EQ(0, l->other);
		EXPECT_GT(l->eio, 0);
		for (j = 0; j < l->next; j++)
			if (l->seen[j] != 1) {
				EXPECT_EQ(1, l->seen[j]) TH_LOG("ctx %u user_data %u", i, j);
				break;
			}
		for (; j < sizeof(l->seen); j++)
			if (l->seen[j]) {
				EXPECT_EQ(0, l->seen[j]) TH_LOG("ctx %u stray %u", i, j);
				break;
			}
		total_cancel += l->cancelled;
		pfd.fd = l->r.fd;
		pfd.events = POLLIN | POLLOUT;
		EXPECT_EQ(1, poll(&pfd, 1, 0));
		EXPECT_TRUE(pfd.revents & POLLERR);
		/* Still refused after the reset. */
		aoff_prep_nop(&l->r, 0);
		EXPECT_EQ(-EIO, aoff_enter(&l->r, 1, 0, -1));
	}
	EXPECT_GT(total_cancel, 0);
	/* The reset signalled the eventfd. */
	ASSERT_EQ(8, read(efd, &cnt, 8));
	EXPECT_GE(cnt, 1);
	close(efd);
	for (i = 0; i < NLOAD; i++)
		aoff_ring_exit(&ld[i].r);

	/* A context opened after the reset works at once. */
	ASSERT_EQ(0, aoff_sysfs_set("fail_every", 0));
	ASSERT_EQ(0, aoff_ring_init(&fresh, 8, 16, 4096));
	aoff_prep_nop(&fresh, 42);
	ASSERT_EQ(1, aoff_drain(&fresh, &c, 1));
	EXPECT_EQ(0, c.res);
	EXPECT_EQ(42, c.user_data);
	EXPECT_EQ(0, *fresh.status);
	aoff_ring_exit(&fresh);
}

/* Ending a stall early resumes the parked requests at once. */
TEST_F(faults, stall_ended_early)
{
	struct aoff_cqe c[8];
	uint64_t t0;
	unsigned int i;

	ASSERT_EQ(0, aoff_sysfs_set("stall_ms", 20000));
	for (i = 0; i < 8; i++)
		aoff_prep_nop(&self->r, i);
	ASSERT_EQ(8, aoff_enter(&self->r, 8, 0, -1));
	usleep(100000);
	EXPECT_EQ(0, aoff_cq_ready(&self->r));
	t0 = aoff_now_ns();
	ASSERT_EQ(0, aoff_sysfs_set("stall_ms", 0));
	ASSERT_EQ(8, aoff_drain(&self->r, c, 8));
	EXPECT_LT(aoff_now_ns() - t0, 2000000000ull);
	EXPECT_EQ(8, count_res(c, 8, 0));
}

/* Stalled requests are cancelled by a reset at once, not after the stall. */
TEST_F(faults, reset_while_stalled)
{
	static struct aoff_cqe c[64];
	uint64_t t0;
	unsigned int i, got = 0;

	ASSERT_EQ(0, aoff_sysfs_set("stall_ms", 30000));
	for (i = 0; i < 64; i++)
		aoff_prep_nop(&self->r, i);
	ASSERT_EQ(64, aoff_enter(&self->r, 64, 0, -1));
	usleep(50000);
	EXPECT_EQ(64, aoff_sysfs_get("in_flight"));
	t0 = aoff_now_ns();
	ASSERT_EQ(0, aoff_sysfs_write("reset", "1"));
	EXPECT_EQ(0, aoff_sysfs_get("stall_ms"));
	while (got < 64 && aoff_now_ns() - t0 < 2000000000ull)
		got += aoff_reap(&self->r, c + got, 64 - got);
	ASSERT_EQ(64, got);
	EXPECT_EQ(64, count_res(c, 64, -ECANCELED));
	EXPECT_EQ(0, aoff_sysfs_get("in_flight"));
	EXPECT_EQ(-EIO, aoff_enter(&self->r, 0, 1, 0));
}

/* Closing a context with requests held by the model never leaks or oopses. */
TEST_F(faults, close_with_timers_armed)
{
	struct aoff_ring r2;
	unsigned int i;

	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 500000000));
	ASSERT_EQ(0, aoff_ring_init(&r2, 128, 256, 4096));
	for (i = 0; i < 128; i++)
		aoff_prep_nop(&r2, i);
	ASSERT_EQ(128, aoff_enter(&r2, 128, 0, -1));
	aoff_ring_exit(&r2);
	/* Dropped requests count as completed with an error. */
	EXPECT_EQ(0, aoff_sysfs_get("in_flight"));
}

TEST_HARNESS_MAIN
