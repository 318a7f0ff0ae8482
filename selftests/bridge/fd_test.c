// SPDX-License-Identifier: Apache-2.0
/*
 * fd mode: many jobs over many wait ctxs, driven the way openssl speed
 * drives them (ASYNC_WAIT_CTX_get_all_fds, one fd per wait ctx, select or
 * poll over all of them, resume the readable ones), and with epoll fed by
 * ASYNC_WAIT_CTX_get_changed_fds.  Each wait ctx keeps one stable fd, every
 * request comes back, readiness clears once the job reaped its completion.
 */
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>

#include "kselftest_harness.h"
#include "bridge_test.h"

enum wait_kind { W_SELECT, W_POLL, W_EPOLL };

struct slot {
	ASYNC_JOB *job;
	ASYNC_WAIT_CTX *w;
	int fd;			/* the wait ctx's fd, once known */
	unsigned int done;	/* operations finished */
	int ret;
};

FIXTURE(fdmode) {
	struct slot *s;
	unsigned int n;
	int ep;
};

FIXTURE_VARIANT(fdmode) {
	enum wait_kind wait;
	unsigned int jobs, ops, nreq, len;
};

FIXTURE_VARIANT_ADD(fdmode, select_64) {
	.wait = W_SELECT, .jobs = 64, .ops = 16, .nreq = 1, .len = 0 };
FIXTURE_VARIANT_ADD(fdmode, poll_64_batch3) {
	.wait = W_POLL, .jobs = 64, .ops = 8, .nreq = 3, .len = 512 };
FIXTURE_VARIANT_ADD(fdmode, epoll_256) {
	.wait = W_EPOLL, .jobs = 256, .ops = 8, .nreq = 2, .len = 64 };
FIXTURE_VARIANT_ADD(fdmode, select_1) {
	.wait = W_SELECT, .jobs = 1, .ops = 64, .nreq = 1, .len = 16 };

FIXTURE_SETUP(fdmode)
{
	unsigned int i;

	if (access(DEV, F_OK))
		SKIP(return, DEV " missing: the module is not loaded");
	self->n = variant->jobs;
	self->s = calloc(self->n, sizeof(*self->s));
	ASSERT_NE(NULL, self->s);
	ASSERT_EQ(1, ASYNC_init_thread(self->n, 0));
	for (i = 0; i < self->n; i++) {
		self->s[i].w = ASYNC_WAIT_CTX_new();
		ASSERT_NE(NULL, self->s[i].w);
		self->s[i].fd = -1;
	}
	self->ep = -1;
	if (variant->wait == W_EPOLL) {
		self->ep = epoll_create1(EPOLL_CLOEXEC);
		ASSERT_LE(0, self->ep);
	}
}

FIXTURE_TEARDOWN(fdmode)
{
	unsigned int i;

	for (i = 0; self->s && i < self->n; i++)
		ASYNC_WAIT_CTX_free(self->s[i].w);
	if (self->ep >= 0)
		close(self->ep);
	free(self->s);
	ASYNC_cleanup_thread();
}

/* Start or resume slot @i; returns -1 on an ASYNC error. */
static int step(struct __test_metadata *_metadata, struct slot *sl,
		const struct op_args *a, int ep)
{
	int r = ASYNC_start_job(&sl->job, sl->w, &sl->ret, nop_job,
				(void *)a, sizeof(*a));

	if (r == ASYNC_FINISH) {
		sl->job = NULL;
		EXPECT_EQ(JOB_OK, sl->ret);
		if (sl->ret != JOB_OK)
			return -1;
		sl->done++;
		/* Finished without pausing: the fd is there all the same. */
		if (sl->fd < 0)
			sl->fd = the_fd(sl->w);
		return 0;
	}
	EXPECT_EQ(ASYNC_PAUSE, r);
	if (r != ASYNC_PAUSE)
		return -1;

	/* One fd, stable for the wait ctx's life. */
	{
		int fd = the_fd(sl->w);

		EXPECT_LE(0, fd);
		if (sl->fd >= 0)
			EXPECT_EQ(sl->fd, fd);
		sl->fd = fd;
	}
	if (ep >= 0) {
		OSSL_ASYNC_FD add[2], del[2];
		size_t nadd = 0, ndel = 0;

		EXPECT_EQ(1, ASYNC_WAIT_CTX_get_changed_fds(sl->w, NULL, &nadd,
							    NULL, &ndel));
		EXPECT_EQ(0, ndel);
		EXPECT_GE(1, nadd);
		if (nadd == 1) {
			struct epoll_event ev = { .events = EPOLLIN };

			ASYNC_WAIT_CTX_get_changed_fds(sl->w, add, &nadd, del,
						       &ndel);
			ev.data.ptr = sl;
			EXPECT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, add[0], &ev));
		}
	}
	return 0;
}

TEST_F_TIMEOUT(fdmode, speed_style, 300)
{
	const struct op_args a = { .nreq = variant->nreq, .len = variant->len };
	unsigned int i, left, pauses = 0, wakeups = 0;
	struct pollfd *pfd = calloc(self->n, sizeof(*pfd));
	struct slot **ready = calloc(self->n, sizeof(*ready));
	uint64_t deadline = now_ms() + 120000;

	ASSERT_NE(NULL, pfd);
	ASSERT_NE(NULL, ready);
	/* Start every job once. */
	for (i = 0; i < self->n; i++)
		ASSERT_EQ(0, step(_metadata, &self->s[i], &a, self->ep));

	for (;;) {
		unsigned int nready = 0, np = 0;

		left = 0;
		for (i = 0; i < self->n; i++) {
			struct slot *sl = &self->s[i];

			/* A finished slot starts its next operation. */
			while (!sl->job && sl->done < variant->ops)
				ASSERT_EQ(0, step(_metadata, sl, &a, self->ep));
			if (sl->job)
				left++;
		}
		if (!left)
			break;
		ASSERT_GT(deadline, now_ms()) TH_LOG("%u jobs never woke", left);

		if (variant->wait == W_SELECT) {
			fd_set rd;
			int maxfd = -1;
			struct timeval tv = { .tv_sec = 5 };

			FD_ZERO(&rd);
			for (i = 0; i < self->n; i++) {
				if (!self->s[i].job)
					continue;
				ASSERT_LT(self->s[i].fd, FD_SETSIZE);
				FD_SET(self->s[i].fd, &rd);
				if (self->s[i].fd > maxfd)
					maxfd = self->s[i].fd;
			}
			ASSERT_LT(0, select(maxfd + 1, &rd, NULL, NULL, &tv))
				TH_LOG("no completion within 5 s");
			for (i = 0; i < self->n; i++)
				if (self->s[i].job &&
				    FD_ISSET(self->s[i].fd, &rd))
					ready[nready++] = &self->s[i];
		} else if (variant->wait == W_POLL) {
			for (i = 0; i < self->n; i++) {
				if (!self->s[i].job)
					continue;
				pfd[np].fd = self->s[i].fd;
				pfd[np].events = POLLIN;
				np++;
			}
			ASSERT_LT(0, poll(pfd, np, 5000))
				TH_LOG("no completion within 5 s");
			for (i = 0, np = 0; i < self->n; i++) {
				if (!self->s[i].job)
					continue;
				EXPECT_EQ(0, pfd[np].revents & (POLLERR | POLLNVAL));
				if (pfd[np++].revents & POLLIN)
					ready[nready++] = &self->s[i];
			}
		} else {
			struct epoll_event evs[64];
			int n = epoll_wait(self->ep, evs, 64, 5000);

			ASSERT_LT(0, n) TH_LOG("no completion within 5 s");
			for (i = 0; i < (unsigned int)n; i++) {
				struct slot *sl = evs[i].data.ptr;

				if (sl->job)
					ready[nready++] = sl;
			}
		}
		wakeups++;
		for (i = 0; i < nready; i++) {
			struct slot *sl = ready[i];
			struct pollfd p = { .fd = sl->fd, .events = POLLIN };

			pauses++;
			ASSERT_EQ(0, step(_metadata, sl, &a, self->ep));
			/* Still paused: it reaped what it had; the fd may
			 * only be readable for a newer completion. */
			if (sl->job && variant->nreq == 1)
				EXPECT_EQ(0, poll(&p, 1, 0) > 0 &&
					  !aoff_bridge_ready(aoff_bridge_of(sl->w)));
		}
	}
	for (i = 0; i < self->n; i++)
		EXPECT_EQ(variant->ops, self->s[i].done);
	/* Every wait ctx has exactly our fd, and they are all different. */
	for (i = 0; i < self->n; i++) {
		EXPECT_EQ(self->s[i].fd, the_fd(self->s[i].w));
		EXPECT_NE(NULL, aoff_bridge_of(self->s[i].w));
	}
	TH_LOG("%s: %u jobs x %u ops, %u resumes, %u waits", IMPL, self->n,
	       variant->ops, pauses, wakeups);
	free(pfd);
	free(ready);
}

/* A wait ctx reused by job after job keeps one fd, one device context. */
TEST_F(fdmode, readiness_clears)
{
	const struct op_args a = { .nreq = 1 };
	struct slot *sl = &self->s[0];
	struct pollfd p;
	int fd, i;

	/* A NOP may complete before the job looks: try until one pauses. */
	for (i = 0; i < 200 && !sl->job; i++)
		ASSERT_EQ(0, step(_metadata, sl, &a, -1));
	if (!sl->job)
		SKIP(return, "200 NOPs completed before their job paused");
	sl->done = 0;
	fd = sl->fd;
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	ASSERT_EQ(1, poll(&p, 1, 5000));
	ASSERT_TRUE(aoff_bridge_ready(aoff_bridge_of(sl->w)));
	ASSERT_EQ(0, step(_metadata, sl, &a, -1));
	ASSERT_EQ(NULL, sl->job);
	/* Resumed, reaped: the fd is quiet again. */
	ASSERT_EQ(0, poll(&p, 1, 0));
	ASSERT_FALSE(aoff_bridge_ready(aoff_bridge_of(sl->w)));
	ASSERT_EQ(fd, the_fd(sl->w));
}

/* Resuming a job before its completion arrived pauses it again. */
TEST_F(fdmode, spurious_resume)
{
	const struct op_args a = { .nreq = 1 };
	struct slot *sl = &self->s[0];
	struct pollfd p;
	int i;

	/* A NOP may complete before the job looks: try until one pauses. */
	for (i = 0; i < 200 && !sl->job; i++)
		ASSERT_EQ(0, step(_metadata, sl, &a, -1));
	if (!sl->job)
		SKIP(return, "200 NOPs completed before their job paused");
	sl->done = 0;
	for (i = 0; i < 3 && sl->job; i++)
		ASSERT_EQ(0, step(_metadata, sl, &a, -1));
	p = (struct pollfd){ .fd = sl->fd, .events = POLLIN };
	if (sl->job)
		ASSERT_EQ(1, poll(&p, 1, 5000));
	while (sl->job)
		ASSERT_EQ(0, step(_metadata, sl, &a, -1));
	ASSERT_EQ(1, sl->done);
}

TEST_HARNESS_MAIN
