// SPDX-License-Identifier: Apache-2.0
/*
 * Seeded random differential test of the async API.
 *
 *   async_diff SEED STEPS
 *
 * Performs a long random sequence of ASYNC_* and ASYNC_WAIT_CTX_* calls, in
 * and out of jobs, and prints a canonical trace of everything observable:
 * return values, counts, fd sets (sorted: their order is not documented),
 * statuses, callbacks, cleanup calls, which job is current.  The same seed
 * gives the same call sequence as long as the implementation behaves the
 * same, so the traces of the libcrypto build and the runtime build must be
 * byte-identical (run-diff.sh compares them).
 *
 * Only calls with a defined result in OpenSSL are made: no pause with a
 * NULL wait ctx, no nested start, no freeing a wait ctx a live job uses.
 */
#include <stdarg.h>
#include <stdint.h>

#include "async_test.h"

#define NCTX	4
#define NKEYS	6
#define NDATA	4
#define NSLOTS	8

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64*: same sequence everywhere. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545F4914F6CDD1DULL) >> 32) % n;
}

static long step;

__attribute__((format(printf, 1, 2)))
static void trace(const char *fmt, ...)
{
	va_list ap;

	printf("%ld ", step);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static char keys[NKEYS];
static int data[NDATA];
static ASYNC_WAIT_CTX *ctxs[NCTX];

struct slot {
	ASYNC_JOB *job;		/* non-NULL while paused */
	int ctx;		/* the wait ctx the job was started with */
	int ret;
	int token;
};

static struct slot slots[NSLOTS];
static int live_jobs;

static int key_id(const void *k)
{
	int i;

	for (i = 0; i < NKEYS; i++)
		if (k == &keys[i])
			return i;
	return -1;
}

static int data_id(const void *d)
{
	int i;

	if (!d)
		return -1;
	for (i = 0; i < NDATA; i++)
		if (d == &data[i])
			return i;
	return -9;
}

static int ctx_id(const ASYNC_WAIT_CTX *c)
{
	int i;

	if (!c)
		return -1;
	for (i = 0; i < NCTX; i++)
		if (c == ctxs[i])
			return i;
	return -9;
}

/* Cleanup calls are collected and printed sorted at the end of a free. */
static char cleanup_log[64][48];
static int ncleanup;

static void cleanup_fn(ASYNC_WAIT_CTX *ctx, const void *key, OSSL_ASYNC_FD fd,
		       void *d)
{
	if (ncleanup < 64)
		snprintf(cleanup_log[ncleanup], sizeof(cleanup_log[0]),
			 "c%d/k%d/fd%d/d%d", ctx_id(ctx), key_id(key), (int)fd,
			 data_id(d));
	ncleanup++;
}

static int cb_fn0(void *arg)
{
	trace("callback0 arg=d%d", data_id(arg));
	return 0;
}

static int cb_fn1(void *arg)
{
	trace("callback1 arg=d%d", data_id(arg));
	return 1;
}

static int cb_id(ASYNC_callback_fn f)
{
	return f == cb_fn0 ? 0 : f == cb_fn1 ? 1 : f ? -9 : -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* One random operation on a wait ctx; who says where it ran ("m", "j3"). */
static void ctx_op(const char *who, int c, ASYNC_WAIT_CTX *ctx)
{
	char buf[FD_STR_MAX];
	OSSL_ASYNC_FD fd;
	ASYNC_callback_fn cb;
	void *d;
	int k, rc, v;

	switch (rnd(10)) {
	case 0: case 1: case 2: {
		k = (int)rnd(NKEYS);
		fd = (OSSL_ASYNC_FD)(3 + rnd(20));
		v = (int)rnd(NDATA + 1) - 1;
		rc = ASYNC_WAIT_CTX_set_wait_fd(ctx, &keys[k], fd,
						v < 0 ? NULL : &data[v],
						rnd(4) ? cleanup_fn : NULL);
		trace("%s c%d set_wait_fd k%d fd%d d%d -> %d", who, c, k, (int)fd, v, rc);
		break;
	}
	case 3:
		k = (int)rnd(NKEYS);
		fd = SENTINEL_FD;
		d = &cb;
		rc = ASYNC_WAIT_CTX_get_fd(ctx, &keys[k], &fd, &d);
		trace("%s c%d get_fd k%d -> %d fd%d d%d", who, c, k, rc, (int)fd,
		      d == (void *)&cb ? -7 : data_id(d));
		break;
	case 4: case 5:
		k = (int)rnd(NKEYS);
		rc = ASYNC_WAIT_CTX_clear_fd(ctx, &keys[k]);
		trace("%s c%d clear_fd k%d -> %d", who, c, k, rc);
		break;
	case 6:
		rc = all_fds_str(ctx, buf, sizeof(buf));
		trace("%s c%d all_fds -> %d %s", who, c, rc, buf);
		break;
	case 7:
		rc = changed_fds_str(ctx, buf, sizeof(buf));
		trace("%s c%d changed_fds -> %d %s", who, c, rc, buf);
		break;
	case 8:
		if (rnd(2)) {
			v = (int)rnd(6);
			rc = ASYNC_WAIT_CTX_set_status(ctx, v == 5 ? 42 : v);
			trace("%s c%d set_status %d -> %d", who, c, v == 5 ? 42 : v, rc);
		} else {
			trace("%s c%d get_status -> %d", who, c,
			      ASYNC_WAIT_CTX_get_status(ctx));
		}
		break;
	case 9:
		if (rnd(2)) {
			k = (int)rnd(3);
			v = (int)rnd(NDATA + 1) - 1;
			rc = ASYNC_WAIT_CTX_set_callback(ctx, k == 0 ? cb_fn0 :
							 k == 1 ? cb_fn1 : NULL,
							 v < 0 ? NULL : &data[v]);
			trace("%s c%d set_callback cb%d d%d -> %d", who, c,
			      k == 2 ? -1 : k, v, rc);
		} else {
			cb = cb_fn1;
			d = &cb;
			rc = ASYNC_WAIT_CTX_get_callback(ctx, &cb, &d);
			trace("%s c%d get_callback -> %d cb%d d%d", who, c, rc,
			      cb_id(cb), d == (void *)&cb ? -7 : data_id(d));
			/* What an engine does on completion: notify. */
			if (rc == 1 && rnd(2))
				cb(d);
		}
		break;
	}
}

struct job_args {
	int slot;
	int token;
};

/* The slot a job is started in (a job started with size-0 args gets NULL). */
static int starting_slot;

static int job_body(void *arg)
{
	/* The job's own copy of the arguments, read again after every pause. */
	struct job_args *ap = arg;
	ASYNC_JOB *self = ASYNC_get_current_job();
	ASYNC_WAIT_CTX *ctx = self ? ASYNC_get_wait_ctx(self) : NULL;
	char who[8];
	int rc;

	snprintf(who, sizeof(who), "j%d", starting_slot);
	if (ap && ap->slot != starting_slot)
		trace("%s args slot=%d", who, ap->slot);
	trace("%s begin token=%d current=%d ctx=c%d", who, ap ? ap->token : -2,
	      self != NULL, ctx_id(ctx));
	for (;;) {
		switch (rnd(14)) {
		case 0: case 1: case 2:
			rc = ASYNC_pause_job();
			/* Back (or never left, when blocked). */
			trace("%s pause -> %d same_job=%d ctx=c%d token=%d", who, rc,
			      ASYNC_get_current_job() == self,
			      ctx_id(ASYNC_get_wait_ctx(ASYNC_get_current_job())),
			      ap ? ap->token : -2);
			break;
		case 3:
			ASYNC_block_pause();
			trace("%s block_pause", who);
			break;
		case 4: case 5:
			ASYNC_unblock_pause();
			trace("%s unblock_pause", who);
			break;
		case 6:
			rc = (int)rnd(1000) - 500;
			trace("%s return %d", who, rc);
			return rc;
		default:
			ctx_op(who, ctx_id(ctx), ctx);
			break;
		}
	}
}

static int pick_ctx(void)
{
	int c = (int)rnd(NCTX), i;

	for (i = 0; i < NCTX; i++, c = (c + 1) % NCTX)
		if (ctxs[c])
			return c;
	return -1;
}

static int ctx_in_use(int c)
{
	int i;

	for (i = 0; i < NSLOTS; i++)
		if (slots[i].job && slots[i].ctx == c)
			return 1;
	return 0;
}

static void free_ctx(int c)
{
	int i;

	ncleanup = 0;
	ASYNC_WAIT_CTX_free(ctxs[c]);
	qsort(cleanup_log, ncleanup < 64 ? ncleanup : 64, sizeof(cleanup_log[0]),
	      cmp_str);
	printf("%ld m c%d free cleanups=%d", step, c, ncleanup);
	for (i = 0; i < ncleanup && i < 64; i++)
		printf(" %s", cleanup_log[i]);
	putchar('\n');
	ctxs[c] = NULL;
}

static void resume_or_start(int s, int fresh)
{
	struct slot *sl = &slots[s];
	struct job_args a = { -1, -1 };
	ASYNC_JOB *before = sl->job;
	int c = fresh ? pick_ctx() : (int)rnd(NCTX + 1) - 1, rc;

	if (fresh) {
		if (c < 0)
			return;
		a.slot = s;
		a.token = (int)rnd(100000);
		sl->ctx = c;
		sl->ret = 0x5a5a;
		sl->job = NULL;
		starting_slot = s;
		/* Now and then non-NULL args of size 0: the job gets NULL. */
		rc = ASYNC_start_job(&sl->job, ctxs[c], &sl->ret, job_body, &a,
				     rnd(8) ? sizeof(a) : 0);
		/* The caller's block may change at once: the job has a copy. */
		a.token = -1;
	} else {
		a.token = -3;
		/* A resume may name any ctx (or none): it is ignored. */
		if (c >= 0 && !ctxs[c])
			c = -1;
		/* New args on a resume are ignored too. */
		rc = ASYNC_start_job(&sl->job, c < 0 ? NULL : ctxs[c], &sl->ret,
				     job_body, rnd(2) ? &a : NULL, sizeof(a));
	}
	switch (rc) {
	case ASYNC_PAUSE:
		trace("m slot%d %s c%d -> PAUSE job=%s ret=%d", s,
		      fresh ? "start" : "resume", c,
		      !sl->job ? "null" : fresh || sl->job == before ? "same" : "other",
		      sl->ret);
		if (fresh && sl->job)
			live_jobs++;
		break;
	case ASYNC_FINISH:
		trace("m slot%d %s c%d -> FINISH job=%s ret=%d", s,
		      fresh ? "start" : "resume", c, sl->job ? "set" : "null", sl->ret);
		if (!fresh)
			live_jobs--;
		sl->job = NULL;
		break;
	default:
		trace("m slot%d %s c%d -> %d job=%s ret=%d", s,
		      fresh ? "start" : "resume", c, rc, sl->job ? "set" : "null",
		      sl->ret);
		if (!fresh && !sl->job)
			live_jobs--;
		break;
	}
}

static void init_pool(void)
{
	size_t max = rnd(7), init = rnd((uint32_t)max + 2);

	trace("m init_thread %zu %zu -> %d", max, init, ASYNC_init_thread(max, init));
}

int main(int argc, char **argv)
{
	long steps;
	int i, c;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SEED STEPS\n", argv[0]);
		return 2;
	}
	rng = strtoull(argv[1], NULL, 0) * 0x9E3779B97F4A7C15ULL + 1;
	steps = strtol(argv[2], NULL, 0);
	printf("seed %s steps %ld\n", argv[1], steps);

	trace("m is_capable -> %d", ASYNC_is_capable());
	init_pool();
	for (step = 1; step <= steps; step++) {
		switch (rnd(20)) {
		case 0:
			c = (int)rnd(NCTX);
			if (!ctxs[c]) {
				ctxs[c] = ASYNC_WAIT_CTX_new();
				trace("m c%d new -> %d", c, ctxs[c] != NULL);
			} else if (!ctx_in_use(c)) {
				free_ctx(c);
			}
			break;
		case 1: case 2: case 3: case 4:
			c = pick_ctx();
			if (c >= 0)
				ctx_op("m", c, ctxs[c]);
			break;
		case 5: case 6: case 7: case 8: case 9: case 10:
			i = (int)rnd(NSLOTS);
			resume_or_start(i, slots[i].job == NULL);
			break;
		case 11:
			trace("m pause_outside -> %d current=%d", ASYNC_pause_job(),
			      ASYNC_get_current_job() != NULL);
			break;
		case 12:
			if (rnd(2))
				ASYNC_block_pause();
			else
				ASYNC_unblock_pause();
			trace("m block/unblock outside");
			break;
		case 13:
			if (live_jobs == 0 && rnd(8) == 0) {
				ASYNC_cleanup_thread();
				trace("m cleanup_thread");
				if (rnd(2))
					init_pool();
			}
			break;
		default:
			/* Resume the paused jobs in a random order. */
			i = (int)rnd(NSLOTS);
			if (slots[i].job)
				resume_or_start(i, 0);
			break;
		}
	}
	/* Drain: every job to its end, every ctx freed. */
	for (i = 0; i < NSLOTS; i++)
		while (slots[i].job)
			resume_or_start(i, 0);
	for (c = 0; c < NCTX; c++)
		if (ctxs[c])
			free_ctx(c);
	ASYNC_cleanup_thread();
	trace("m end live=%d", live_jobs);
	return 0;
}
