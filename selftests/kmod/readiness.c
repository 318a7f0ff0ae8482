// SPDX-License-Identifier: Apache-2.0
/*
 * Readiness: poll/epoll transitions (EPOLLOUT while the SQ has room,
 * EPOLLIN while CQEs are pending), and the doorbell's blocking wait with a
 * timeout and with a signal (EINTR, nothing lost).
 */
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/time.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

FIXTURE(ready)
{
	struct aoff_ring r;
};

FIXTURE_SETUP(ready)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	ASSERT_EQ(0, aoff_ring_init(&self->r, 4, 8, 4096));
}

FIXTURE_TEARDOWN(ready)
{
	aoff_ring_exit(&self->r);
}

static short revents(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	if (poll(&p, 1, timeout_ms) < 0)
		return -1;
	return p.revents;
}

TEST(poll_before_setup)
{
	int fd;

	AOFF_REQUIRE_DEVICE(_metadata);
	fd = aoff_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, revents(fd, 0));
	close(fd);
}

TEST_F(ready, poll_transitions)
{
	struct aoff_cqe cqe[8];
	int i;

	EXPECT_EQ(POLLOUT, revents(self->r.fd, 0));
	/* A pending CQE: readable. */
	ASSERT_NE(NULL, aoff_prep_nop(&self->r, 1));
	ASSERT_EQ(1, aoff_enter(&self->r, 1, 1, 5000000000ll));
	EXPECT_EQ(POLLIN | POLLOUT, revents(self->r.fd, 0));
	/* Consumed: not readable any more. */
	EXPECT_EQ(1, aoff_reap(&self->r, cqe, 8));
	EXPECT_EQ(POLLOUT, revents(self->r.fd, 0));
	/* A full SQ, not yet rung: not writable. */
	for (i = 0; i < 4; i++)
		ASSERT_NE(NULL, aoff_prep_nop(&self->r, 10 + i));
	aoff_publish(&self->r);
	EXPECT_EQ(0, revents(self->r.fd, 0));
	/* The doorbell consumes it: writable again, and soon readable. */
	ASSERT_EQ(4, aoff_enter(&self->r, 4, 0, -1));
	EXPECT_TRUE(revents(self->r.fd, 0) & POLLOUT);
	ASSERT_EQ(0, aoff_enter(&self->r, 0, 4, 5000000000ll));
	EXPECT_EQ(POLLIN | POLLOUT, revents(self->r.fd, 0));
	EXPECT_EQ(4, aoff_reap(&self->r, cqe, 8));
	EXPECT_EQ(POLLOUT, revents(self->r.fd, 0));
}

TEST_F(ready, poll_wakes_on_completion)
{
	struct pollfd p = { .fd = self->r.fd, .events = POLLIN };
	struct aoff_cqe cqe[8];
	int n;

	/* Submit without waiting, then sleep in poll until the CQE arrives. */
	ASSERT_NE(NULL, aoff_prep_nop(&self->r, 5));
	ASSERT_EQ(1, aoff_enter(&self->r, 1, 0, -1));
	ASSERT_EQ(1, poll(&p, 1, 10000));
	EXPECT_EQ(POLLIN, p.revents);
	n = aoff_reap(&self->r, cqe, 8);
	EXPECT_EQ(1, n);
}

TEST_F(ready, epoll)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out[2];
	struct aoff_cqe cqe[8];
	int ep = epoll_create1(EPOLL_CLOEXEC);
	int round;

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->r.fd, &ev));
	EXPECT_EQ(0, epoll_wait(ep, out, 2, 0));
	for (round = 0; round < 20; round++) {
		ASSERT_NE(NULL, aoff_prep_nop(&self->r, round));
		ASSERT_EQ(1, aoff_enter(&self->r, 1, 0, -1));
		ASSERT_EQ(1, epoll_wait(ep, out, 2, 10000));
		EXPECT_TRUE(out[0].events & EPOLLIN);
		/* Let the one completion land, then consume it. */
		ASSERT_EQ(0, aoff_enter(&self->r, 0, 1, 5000000000ll));
		EXPECT_EQ(1, aoff_reap(&self->r, cqe, 8));
		EXPECT_EQ(round, cqe[0].user_data);
	}
	/* EPOLLOUT level-triggered: the SQ has room. */
	ev.events = EPOLLOUT;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_MOD, self->r.fd, &ev));
	ASSERT_EQ(1, epoll_wait(ep, out, 2, 0));
	EXPECT_EQ(EPOLLOUT, out[0].events);
	close(ep);
}

TEST_F(ready, wait_timeout)
{
	uint64_t t0 = aoff_now_ns(), dt;

	/* Nothing in flight: the wait must time out, not return early. */
	EXPECT_EQ(-ETIME, aoff_enter(&self->r, 0, 1, 100000000ll));
	dt = aoff_now_ns() - t0;
	EXPECT_GE(dt, 100000000ull);
	EXPECT_LT(dt, 10000000000ull);
	/* A zero timeout only checks. */
	EXPECT_EQ(-ETIME, aoff_enter(&self->r, 0, 1, 0));
	/* Satisfied waits return at once with the submission count. */
	ASSERT_NE(NULL, aoff_prep_nop(&self->r, 1));
	EXPECT_EQ(1, aoff_enter(&self->r, 1, 1, 10000000000ll));
	EXPECT_EQ(0, aoff_enter(&self->r, 0, 1, 0));
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void arm_alarm(int restart, long usec)
{
	struct sigaction sa;
	struct itimerval it = { .it_value = { .tv_usec = usec } };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

TEST_F(ready, wait_signal)
{
	struct aoff_cqe cqe[8];
	struct aoff_enter e;
	int restart, i;

	for (restart = 0; restart < 2; restart++) {
		alarms = 0;
		/* Four NOPs, then wait for more than can ever come. */
		for (i = 0; i < 4; i++)
			ASSERT_NE(NULL, aoff_prep_nop(&self->r, 100 * restart + i));
		aoff_publish(&self->r);
		memset(&e, 0, sizeof(e));
		e.to_submit = 4;
		e.min_complete = 8;
		arm_alarm(restart, 200000);
		/* Even with SA_RESTART: the submission must not be replayed. */
		EXPECT_EQ(-EINTR, aoff_ioctl(self->r.fd, AOFF_IOC_ENTER, &e));
		EXPECT_EQ(1, alarms);
		EXPECT_EQ(4, e.submitted);
		/* Nothing lost: the four complete. */
		ASSERT_EQ(0, aoff_enter(&self->r, 0, 4, 5000000000ll));
		ASSERT_EQ(4, aoff_reap(&self->r, cqe, 8));
		for (i = 0; i < 4; i++)
			EXPECT_EQ(100 * restart + i, cqe[i].user_data);
	}
	/* An unbounded wait with nothing in flight is interrupted too. */
	arm_alarm(0, 100000);
	EXPECT_EQ(-EINTR, aoff_enter(&self->r, 0, 1, -1));
}

TEST_HARNESS_MAIN
