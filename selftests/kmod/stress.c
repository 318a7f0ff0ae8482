// SPDX-License-Identifier: Apache-2.0
/*
 * Stress: several threads, each driving several contexts with random batch
 * sizes, while another thread opens and closes contexts with requests in
 * flight; bounded time (AOFF_STRESS_SECONDS, default 3).  Every request
 * completes exactly once with res 0.
 */
#include <pthread.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

#define THREADS		4
#define CTXS		6
#define SEQ_MAX		(1u << 22)

struct worker {
	pthread_t tid;
	unsigned int seed;
	uint64_t deadline;
	uint64_t done;
	int err;
	char why[96];
};

static volatile int churn_stop;

static void *work(void *arg)
{
	struct worker *w = arg;
	struct aoff_ring r[CTXS];
	struct aoff_cqe c[256];
	uint32_t next[CTXS] = { 0 }, got[CTXS] = { 0 };
	uint8_t *seen[CTXS];
	int i, k, n;

	for (i = 0; i < CTXS; i++) {
		seen[i] = calloc(SEQ_MAX, 1);
		if (!seen[i] || aoff_ring_init(&r[i], 1u << (i % 6), 0, 4096)) {
			snprintf(w->why, sizeof(w->why), "setup ctx %d", i);
			w->err = 1;
			return NULL;
		}
	}
	while (aoff_now_ns() < w->deadline && !w->err) {
		i = rand_r(&w->seed) % CTXS;
		k = 1 + rand_r(&w->seed) % r[i].s.sq_entries;
		while (k-- && next[i] < SEQ_MAX && aoff_prep_nop(&r[i], next[i]))
			next[i]++;
		n = aoff_enter(&r[i], aoff_sq_pending(&r[i]), rand_r(&w->seed) & 1,
			       2000000000ll);
		if (n < 0 && n != -EAGAIN) {
			snprintf(w->why, sizeof(w->why), "enter %d", n);
			w->err = 1;
		}
		n = aoff_reap(&r[i], c, 256);
		for (k = 0; k < n; k++) {
			uint64_t ud = c[k].user_data;

			if (c[k].res || ud >= next[i] || seen[i][ud]++) {
				snprintf(w->why, sizeof(w->why),
					 "bad cqe ud %llu res %d",
					 (unsigned long long)ud, c[k].res);
				w->err = 1;
			}
		}
		got[i] += n;
	}
	/* Drain: everything written to an SQ comes back exactly once. */
	for (i = 0; i < CTXS && !w->err; i++) {
		uint64_t t0 = aoff_now_ns();

		while (got[i] < next[i] && aoff_now_ns() - t0 < 10000000000ull) {
			aoff_enter(&r[i], aoff_sq_pending(&r[i]), 1, 1000000000ll);
			n = aoff_reap(&r[i], c, 256);
			for (k = 0; k < n; k++)
				if (c[k].res || seen[i][c[k].user_data]++)
					w->err = 1;
			got[i] += n;
		}
		if (got[i] != next[i]) {
			snprintf(w->why, sizeof(w->why), "ctx %d: %u of %u",
				 i, got[i], next[i]);
			w->err = 1;
		}
		w->done += got[i];
	}
	for (i = 0; i < CTXS; i++) {
		aoff_ring_exit(&r[i]);
		free(seen[i]);
	}
	return NULL;
}

static void *churn(void *arg)
{
	uint64_t *opened = arg;
	struct aoff_ring r;
	int i;

	while (!churn_stop) {
		if (aoff_ring_init(&r, 16, 0, 4096))
			continue;
		for (i = 0; i < 16; i++)
			aoff_prep_nop(&r, i);
		aoff_enter(&r, 16, 0, -1);
		aoff_ring_exit(&r);	/* in flight */
		(*opened)++;
	}
	return NULL;
}

FIXTURE(stress) { int unused; };
FIXTURE_SETUP(stress) { AOFF_REQUIRE_DEVICE(_metadata); }
FIXTURE_TEARDOWN(stress) { }

TEST_F_TIMEOUT(stress, threads_by_contexts, 180)
{
	const char *env = getenv("AOFF_STRESS_SECONDS");
	uint64_t secs = env ? strtoull(env, NULL, 0) : 3, total = 0, opened = 0;
	struct worker w[THREADS];
	pthread_t ch;
	int i;

	memset(w, 0, sizeof(w));
	churn_stop = 0;
	ASSERT_EQ(0, pthread_create(&ch, NULL, churn, &opened));
	for (i = 0; i < THREADS; i++) {
		w[i].seed = 1234 + i;
		w[i].deadline = aoff_now_ns() + secs * 1000000000ull;
		ASSERT_EQ(0, pthread_create(&w[i].tid, NULL, work, &w[i]));
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(w[i].tid, NULL);
		EXPECT_EQ(0, w[i].err) TH_LOG("thread %d: %s", i, w[i].why);
		total += w[i].done;
	}
	churn_stop = 1;
	pthread_join(ch, NULL);
	TH_LOG("%llu requests, %llu contexts churned",
	       (unsigned long long)total, (unsigned long long)opened);
	EXPECT_LT(0, total);
	EXPECT_LT(0, opened);
}

TEST_HARNESS_MAIN
