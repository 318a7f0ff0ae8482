// SPDX-License-Identifier: Apache-2.0
/*
 * Callback mode: with ASYNC_WAIT_CTX_set_callback() the bridge sets status
 * ASYNC_STATUS_OK after the dispatch, the job pauses, and the completion
 * dispatcher calls the callback exactly once per pause — from the library
 * thread, or from the application's own loop (aoff_bridge_fd() readable,
 * aoff_bridge_dispatch()).  No fd has to be polled.
 */
#include <poll.h>
#include <pthread.h>

#include "kselftest_harness.h"
#include "bridge_test.h"

struct cslot {
	ASYNC_JOB *job;
	ASYNC_WAIT_CTX *w;
	int ret;
	unsigned int done;
	unsigned int pauses_ok;	/* pauses with status OK */
	int calls;		/* callbacks (atomic: dispatcher thread) */
	int woken;		/* callbacks not yet acted on (atomic) */
};

static int on_complete(void *arg)
{
	struct cslot *s = arg;

	__atomic_fetch_add(&s->calls, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&s->woken, 1, __ATOMIC_RELEASE);
	return 1;
}

FIXTURE(cb) {
	struct cslot *s;
	unsigned int n;
	int bfd;
};

FIXTURE_VARIANT(cb) {
	int manual;		/* the application runs the dispatcher */
	unsigned int jobs, ops, nreq;
};

FIXTURE_VARIANT_ADD(cb, thread_64) { .manual = 0, .jobs = 64, .ops = 8, .nreq = 1 };
FIXTURE_VARIANT_ADD(cb, manual_64) { .manual = 1, .jobs = 64, .ops = 8, .nreq = 1 };
FIXTURE_VARIANT_ADD(cb, manual_16_batch4) { .manual = 1, .jobs = 16, .ops = 8, .nreq = 4 };
FIXTURE_VARIANT_ADD(cb, thread_1) { .manual = 0, .jobs = 1, .ops = 64, .nreq = 2 };

FIXTURE_SETUP(cb)
{
	struct aoff_bridge_opts o = { .sz = sizeof(o) };
	unsigned int i;

	if (access(DEV, F_OK))
		SKIP(return, DEV " missing: the module is not loaded");
	o.flags = variant->manual ? AOFF_BRIDGE_F_NO_THREAD : 0;
	ASSERT_EQ(0, aoff_bridge_init(&o));
	ASSERT_EQ(-EBUSY, aoff_bridge_init(&o));
	self->n = variant->jobs;
	self->s = calloc(self->n, sizeof(*self->s));
	ASSERT_NE(NULL, self->s);
	for (i = 0; i < self->n; i++) {
		self->s[i].w = ASYNC_WAIT_CTX_new();
		ASSERT_NE(NULL, self->s[i].w);
		/* The manual: UNSUPPORTED until an engine says otherwise. */
		ASSERT_EQ(ASYNC_STATUS_UNSUPPORTED,
			  ASYNC_WAIT_CTX_get_status(self->s[i].w));
		ASSERT_EQ(1, ASYNC_WAIT_CTX_set_callback(self->s[i].w,
							 on_complete,
							 &self->s[i]));
	}
	self->bfd = aoff_bridge_fd();
	ASSERT_LE(0, self->bfd);
}

FIXTURE_TEARDOWN(cb)
{
	unsigned int i;

	for (i = 0; self->s && i < self->n; i++)
		ASYNC_WAIT_CTX_free(self->s[i].w);
	free(self->s);
	aoff_bridge_cleanup();
	ASYNC_cleanup_thread();
}

static int cstep(struct __test_metadata *_metadata, struct cslot *s,
		 const struct op_args *a)
{
	int r = ASYNC_start_job(&s->job, s->w, &s->ret, nop_job, (void *)a,
				sizeof(*a));

	if (r == ASYNC_FINISH) {
		s->job = NULL;
		EXPECT_EQ(JOB_OK, s->ret);
		s->done++;
		return s->ret == JOB_OK ? 0 : -1;
	}
	EXPECT_EQ(ASYNC_PAUSE, r);
	if (r != ASYNC_PAUSE)
		return -1;
	/* Submitted: OK (a queue-full pause would say EAGAIN). */
	EXPECT_EQ(ASYNC_STATUS_OK, ASYNC_WAIT_CTX_get_status(s->w));
	s->pauses_ok++;
	return 0;
}

TEST_F_TIMEOUT(cb, once_per_wakeup, 300)
{
	const struct op_args a = { .nreq = variant->nreq, .len = 64 };
	uint64_t deadline = now_ms() + 120000;
	unsigned int i, left;

	for (;;) {
		left = 0;
		for (i = 0; i < self->n; i++) {
			struct cslot *s = &self->s[i];

			if (s->job && __atomic_exchange_n(&s->woken, 0,
							  __ATOMIC_ACQUIRE))
				ASSERT_EQ(0, cstep(_metadata, s, &a));
			while (!s->job && s->done < variant->ops)
				ASSERT_EQ(0, cstep(_metadata, s, &a));
			left += !!s->job;
		}
		if (!left)
			break;
		ASSERT_GT(deadline, now_ms()) TH_LOG("%u jobs never called back",
						     left);
		if (variant->manual) {
			struct pollfd p = { .fd = self->bfd, .events = POLLIN };

			/* Our own event loop: the dispatcher's fd. */
			ASSERT_LE(0, poll(&p, 1, 5000));
			ASSERT_LE(0, aoff_bridge_dispatch(0));
		} else {
			usleep(50);
		}
	}
	/* Exactly one callback per pause with status OK. */
	for (i = 0; i < self->n; i++) {
		struct cslot *s = &self->s[i];

		EXPECT_EQ(variant->ops, s->done);
		EXPECT_EQ(s->pauses_ok, (unsigned int)__atomic_load_n(&s->calls,
							__ATOMIC_RELAXED));
		EXPECT_EQ(ASYNC_STATUS_OK, ASYNC_WAIT_CTX_get_status(s->w));
	}
	TH_LOG("%s: %u callbacks", IMPL, (unsigned int)bridge_stat_callbacks());
}

/* aoff_bridge_dispatch() with a timeout and nothing to do returns 0. */
TEST_F(cb, dispatch_idle)
{
	uint64_t t0 = now_ms();

	if (!variant->manual)
		SKIP(return, "the library thread dispatches");
	ASSERT_EQ(0, aoff_bridge_dispatch(0));
	ASSERT_EQ(0, aoff_bridge_dispatch(50));
	ASSERT_GE(now_ms() - t0, 40);
}

TEST_HARNESS_MAIN
