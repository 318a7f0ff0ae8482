// SPDX-License-Identifier: Apache-2.0
/*
 * Async state is per thread in OpenSSL: the job pool, the current job and
 * the pause-block count.  Several threads, each with its own pool, must not
 * see each other's jobs.  Built against libcrypto and against the runtime.
 */
#include <fenv.h>
#include <pthread.h>

#include "async_test.h"
#include "kselftest_harness.h"

#define NTHREADS 4
#define POOL_MAX 3

static pthread_barrier_t barrier;

struct thread_result {
	int init_rc;
	int start_rc[POOL_MAX + 1];
	int main_pool_rc;	/* another thread started while this one was full */
	int interleaved_ok;
	int cleanup_ok;
	unsigned int seed;
};

struct il_state {
	int id, pauses, resumed;
	ASYNC_JOB *self;
	int self_ok;
};

static int il_job(void *arg)
{
	struct il_state *st = JOB_STATE(struct il_state, arg);
	int i;

	st->self = ASYNC_get_current_job();
	st->self_ok = 1;
	for (i = 0; i < st->pauses; i++) {
		ASYNC_pause_job();
		st->resumed++;
		st->self_ok &= ASYNC_get_current_job() == st->self;
	}
	return st->id * 3 + st->pauses;
}

/* Many jobs on this thread's pool, at most POOL_MAX alive, random order. */
static int interleave(unsigned int *seed)
{
	struct il_state st[200];
	ASYNC_JOB *job[POOL_MAX] = { 0 };
	int slot_of[POOL_MAX], ret[POOL_MAX];
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	int next = 0, live = 0, ok = 1, s, rc;

	if (!ctx)
		return 0;
	memset(st, 0, sizeof(st));
	while (next < 200 || live) {
		s = (int)(rand_r(seed) % POOL_MAX);
		if (!job[s]) {
			if (next == 200)
				continue;
			st[next].id = next;
			st[next].pauses = (int)(rand_r(seed) % 5);
			slot_of[s] = next++;
			rc = start_job(&job[s], ctx, &ret[s], il_job, &st[slot_of[s]]);
		} else {
			rc = start_job(&job[s], ctx, &ret[s], il_job, NULL);
		}
		if (rc == ASYNC_PAUSE) {
			ok &= job[s] != NULL;
		} else if (rc == ASYNC_FINISH) {
			struct il_state *t = &st[slot_of[s]];

			ok &= ret[s] == t->id * 3 + t->pauses;
			ok &= t->resumed == t->pauses && t->self_ok;
		} else {
			ok = 0;
			break;
		}
		live = !!job[0] + !!job[1] + !!job[2];
	}
	ASYNC_WAIT_CTX_free(ctx);
	return ok;
}

static void *pool_thread(void *arg)
{
	struct thread_result *r = arg;
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job[POOL_MAX + 1] = { 0 };
	int ret[POOL_MAX + 1], n = 1, i;

	r->init_rc = ASYNC_init_thread(POOL_MAX, 1);
	for (i = 0; i <= POOL_MAX; i++)
		r->start_rc[i] = ASYNC_start_job(&job[i], ctx, &ret[i], pause_n,
						 &n, sizeof(n));
	/* Every thread now holds a full pool. */
	pthread_barrier_wait(&barrier);
	pthread_barrier_wait(&barrier);
	for (i = 0; i < POOL_MAX; i++)
		if (job[i])
			ASYNC_start_job(&job[i], ctx, &ret[i], pause_n, &n, sizeof(n));
	r->interleaved_ok = interleave(&r->seed);
	ASYNC_cleanup_thread();
	/* After cleanup this thread gets a default pool again. */
	r->cleanup_ok = ASYNC_start_job(&job[0], ctx, &ret[0], pause_n, &n,
					sizeof(n)) == ASYNC_PAUSE &&
			ASYNC_start_job(&job[0], ctx, &ret[0], pause_n, &n,
					sizeof(n)) == ASYNC_FINISH;
	ASYNC_cleanup_thread();
	ASYNC_WAIT_CTX_free(ctx);
	return NULL;
}

TEST(each_thread_has_its_own_pool)
{
	struct thread_result r[NTHREADS];
	pthread_t th[NTHREADS];
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL, *j2 = NULL;
	int ret, n = 1, i, k;

	memset(r, 0, sizeof(r));
	ASSERT_EQ(0, pthread_barrier_init(&barrier, NULL, NTHREADS + 1));
	for (i = 0; i < NTHREADS; i++) {
		r[i].seed = 1000u + (unsigned int)i;
		ASSERT_EQ(0, pthread_create(&th[i], NULL, pool_thread, &r[i]));
	}
	pthread_barrier_wait(&barrier);
	/* All other pools are full: this thread's own pool is untouched... */
	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(1, ASYNC_init_thread(1, 0));
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
	/* ...and its own limit applies to it alone. */
	EXPECT_EQ(ASYNC_NO_JOBS, ASYNC_start_job(&j2, ctx, &ret, pause_n, &n, sizeof(n)));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)));
	ASYNC_WAIT_CTX_free(ctx);
	pthread_barrier_wait(&barrier);
	for (i = 0; i < NTHREADS; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));
	for (i = 0; i < NTHREADS; i++) {
		EXPECT_EQ(1, r[i].init_rc);
		for (k = 0; k < POOL_MAX; k++)
			EXPECT_EQ(ASYNC_PAUSE, r[i].start_rc[k]);
		EXPECT_EQ(ASYNC_NO_JOBS, r[i].start_rc[POOL_MAX]);
		EXPECT_EQ(1, r[i].interleaved_ok);
		EXPECT_EQ(1, r[i].cleanup_ok);
	}
	pthread_barrier_destroy(&barrier);
	ASYNC_cleanup_thread();
	EXPECT_EQ(0, LEAKS_FOUND());
}

/* Thread A runs a job that waits, blocked, while thread B looks around. */
struct cross_state {
	pthread_barrier_t b;
	ASYNC_WAIT_CTX *ctx_a;
	ASYNC_JOB *a_current;
	int a_pause_rc;
	ASYNC_JOB *b_current_outside;
	int b_pause_outside;
	int b_start_rc, b_finish_rc;
	size_t b_seen_add;
	int a_rc, a_ret;
};

static const char key_a;

static int a_job(void *arg)
{
	struct cross_state *cs = JOB_STATE(struct cross_state, arg);

	cs->a_current = ASYNC_get_current_job();
	ASYNC_WAIT_CTX_set_wait_fd(ASYNC_get_wait_ctx(cs->a_current), &key_a, 33,
				   NULL, NULL);
	ASYNC_block_pause();
	pthread_barrier_wait(&cs->b);	/* 1: A is inside a blocked job */
	pthread_barrier_wait(&cs->b);	/* 2: B has looked */
	ASYNC_unblock_pause();
	cs->a_pause_rc = ASYNC_pause_job();
	return 8;
}

static void *thread_a(void *arg)
{
	struct cross_state *cs = arg;
	ASYNC_JOB *job = NULL;

	cs->a_rc = start_job(&job, cs->ctx_a, &cs->a_ret, a_job, cs);
	pthread_barrier_wait(&cs->b);	/* 3: A's job is paused */
	pthread_barrier_wait(&cs->b);	/* 4: B read A's wait ctx */
	if (cs->a_rc == ASYNC_PAUSE)
		cs->a_rc = start_job(&job, cs->ctx_a, &cs->a_ret, a_job, cs);
	ASYNC_cleanup_thread();
	return NULL;
}

TEST(current_job_and_block_are_per_thread)
{
	struct cross_state cs;
	ASYNC_WAIT_CTX *ctx_b = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	pthread_t th;
	int n = 1, ret;

	memset(&cs, 0, sizeof(cs));
	cs.ctx_a = ASYNC_WAIT_CTX_new();
	ASSERT_NE(NULL, cs.ctx_a);
	ASSERT_NE(NULL, ctx_b);
	ASSERT_EQ(0, pthread_barrier_init(&cs.b, NULL, 2));
	ASSERT_EQ(0, pthread_create(&th, NULL, thread_a, &cs));
	pthread_barrier_wait(&cs.b);	/* 1 */
	/* A is in a job; this thread is not. */
	cs.b_current_outside = ASYNC_get_current_job();
	cs.b_pause_outside = ASYNC_pause_job();
	/* A blocked pausing; this thread can still pause its jobs. */
	cs.b_start_rc = ASYNC_start_job(&job, ctx_b, &ret, pause_n, &n, sizeof(n));
	cs.b_finish_rc = ASYNC_start_job(&job, ctx_b, &ret, pause_n, &n, sizeof(n));
	pthread_barrier_wait(&cs.b);	/* 2 */
	pthread_barrier_wait(&cs.b);	/* 3 */
	/* A wait ctx is plain data: any thread may read it while paused. */
	ASSERT_EQ(1, ASYNC_WAIT_CTX_get_changed_fds(cs.ctx_a, NULL, &cs.b_seen_add,
						     NULL, &(size_t){ 0 }));
	pthread_barrier_wait(&cs.b);	/* 4 */
	ASSERT_EQ(0, pthread_join(th, NULL));

	EXPECT_NE(NULL, cs.a_current);
	EXPECT_EQ(NULL, cs.b_current_outside);
	EXPECT_EQ(1, cs.b_pause_outside);
	EXPECT_EQ(ASYNC_PAUSE, cs.b_start_rc);
	EXPECT_EQ(ASYNC_FINISH, cs.b_finish_rc);
	EXPECT_EQ(1, cs.b_seen_add);
	EXPECT_EQ(1, cs.a_pause_rc);
	EXPECT_EQ(ASYNC_FINISH, cs.a_rc);
	EXPECT_EQ(8, cs.a_ret);
	ASYNC_WAIT_CTX_free(cs.ctx_a);
	ASYNC_WAIT_CTX_free(ctx_b);
	pthread_barrier_destroy(&cs.b);
	ASYNC_cleanup_thread();
}

static void *exit_without_cleanup(void *arg)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int n = 2, ret = 0;

	if (ASYNC_init_thread(4, 2) == 1) {
		while (ASYNC_start_job(&job, ctx, &ret, pause_n, &n, sizeof(n)) == ASYNC_PAUSE)
			;
	}
	ASYNC_WAIT_CTX_free(ctx);
	*(int *)arg = ret;
	/* No ASYNC_cleanup_thread(): thread exit must release the state. */
	return NULL;
}

TEST(thread_exit_releases_state)
{
	int rets[32], i;
	pthread_t th;

	for (i = 0; i < 32; i++) {
		rets[i] = 0;
		ASSERT_EQ(0, pthread_create(&th, NULL, exit_without_cleanup, &rets[i]));
		ASSERT_EQ(0, pthread_join(th, NULL));
		EXPECT_EQ(102, rets[i]);
	}
	EXPECT_EQ(0, LEAKS_FOUND());
}

/*
 * A job paused on one thread and resumed on another: OpenSSL lets it run
 * there until its next pause, which returns to the thread that resumed it.
 * (Finishing there is not defined: OpenSSL would return to the starting
 * thread's dispatcher.)  So: start on this thread, one leg on another, and
 * the end back here.
 */
struct migrate_state {
	ASYNC_JOB *job;
	ASYNC_WAIT_CTX *ctx;
	pthread_t where[3];
	ASYNC_JOB *current[3];
	int legs;
	int other_rc;
	int other_ret;
	ASYNC_JOB *other_current_after;
};

static int migrate_job(void *arg)
{
	struct migrate_state *ms = JOB_STATE(struct migrate_state, arg);

	while (ms->legs < 3) {
		ms->where[ms->legs] = pthread_self();
		ms->current[ms->legs] = ASYNC_get_current_job();
		ms->legs++;
		if (ms->legs < 3)
			ASYNC_pause_job();
	}
	return 64;
}

static void *resume_elsewhere(void *arg)
{
	struct migrate_state *ms = arg;

	ms->other_ret = 0x5a5a;
	ms->other_rc = start_job(&ms->job, ms->ctx, &ms->other_ret, migrate_job, NULL);
	ms->other_current_after = ASYNC_get_current_job();
	ASYNC_cleanup_thread();
	return NULL;
}

TEST(job_resumed_on_another_thread)
{
	struct migrate_state ms;
	ASYNC_JOB *started;
	pthread_t th;
	int ret = 0;

	memset(&ms, 0, sizeof(ms));
	ms.ctx = ASYNC_WAIT_CTX_new();
	ASSERT_NE(NULL, ms.ctx);
	ASSERT_EQ(ASYNC_PAUSE, start_job(&ms.job, ms.ctx, &ret, migrate_job, &ms));
	started = ms.job;
	ASSERT_EQ(0, pthread_create(&th, NULL, resume_elsewhere, &ms));
	ASSERT_EQ(0, pthread_join(th, NULL));
	/* The other thread ran the second leg and got the pause. */
	EXPECT_EQ(ASYNC_PAUSE, ms.other_rc);
	EXPECT_EQ(0x5a5a, ms.other_ret);
	EXPECT_EQ(started, ms.job);
	EXPECT_EQ(2, ms.legs);
	EXPECT_TRUE(pthread_equal(ms.where[1], th));
	EXPECT_EQ(started, ms.current[1]);
	EXPECT_EQ(NULL, ms.other_current_after);
	/* Back here for the end. */
	ASSERT_EQ(ASYNC_FINISH, start_job(&ms.job, ms.ctx, &ret, migrate_job, &ms));
	EXPECT_EQ(64, ret);
	EXPECT_EQ(NULL, ms.job);
	EXPECT_EQ(3, ms.legs);
	EXPECT_TRUE(pthread_equal(ms.where[0], ms.where[2]));
	EXPECT_EQ(started, ms.current[0]);
	EXPECT_EQ(started, ms.current[2]);
	EXPECT_EQ(NULL, ASYNC_get_current_job());
	ASYNC_WAIT_CTX_free(ms.ctx);
	ASYNC_cleanup_thread();
}

/*
 * Beyond OpenSSL: a job finishing on a thread other than the one whose pool
 * it came from.  libcrypto switches back to the first thread's dispatcher
 * from the finishing thread (undefined behaviour, it crashes); the runtime
 * finishes it where it runs and hands it back to its own pool.
 */
#define NO_FOREIGN_FINISH \
	"libcrypto returns a job finishing on another thread to the dispatcher " \
	"of the thread it started on: undefined behaviour (crash)"

struct finish_state {
	ASYNC_JOB *job;
	ASYNC_WAIT_CTX *ctx;
	ASYNC_JOB *seen;	/* ASYNC_get_current_job() in the last leg */
	pthread_t where;
	int rc;
	int ret;
	ASYNC_JOB *current_after;
};

static int pause_once_job(void *arg)
{
	struct finish_state *fs = JOB_STATE(struct finish_state, arg);

	ASYNC_pause_job();
	fs->seen = ASYNC_get_current_job();
	fs->where = pthread_self();
	return 77;
}

static void *finish_elsewhere(void *arg)
{
	struct finish_state *fs = arg;

	fs->ret = -1;
	fs->rc = start_job(&fs->job, fs->ctx, &fs->ret, pause_once_job, NULL);
	fs->current_after = ASYNC_get_current_job();
	ASYNC_cleanup_thread();
	return NULL;
}

static int whoami_job(void *arg)
{
	*JOB_STATE(ASYNC_JOB *, arg) = ASYNC_get_current_job();
	return 5;
}

TEST(job_finishes_on_another_thread)
{
	struct finish_state fs;
	ASYNC_JOB *started, *reused = NULL, *job = NULL;
	pthread_t th;
	int ret = 0;

	if (!IMPL_IS_RUNTIME)
		SKIP(return, NO_FOREIGN_FINISH);
	memset(&fs, 0, sizeof(fs));
	fs.ctx = ASYNC_WAIT_CTX_new();
	ASSERT_NE(NULL, fs.ctx);
	/* A pool of one job: getting it back proves the hand-back. */
	ASSERT_EQ(1, ASYNC_init_thread(1, 0));
	ASSERT_EQ(ASYNC_PAUSE, start_job(&fs.job, fs.ctx, &ret, pause_once_job, &fs));
	started = fs.job;
	EXPECT_EQ(ASYNC_NO_JOBS, start_job(&job, NULL, &ret, whoami_job, &reused));
	ASSERT_EQ(0, pthread_create(&th, NULL, finish_elsewhere, &fs));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(ASYNC_FINISH, fs.rc);
	EXPECT_EQ(77, fs.ret);
	EXPECT_EQ(NULL, fs.job);
	EXPECT_EQ(started, fs.seen);
	EXPECT_TRUE(pthread_equal(fs.where, th));
	EXPECT_EQ(NULL, fs.current_after);
	/* The job is back in this thread's pool, ready for another start. */
	EXPECT_EQ(ASYNC_FINISH, start_job(&job, NULL, &ret, whoami_job, &reused));
	EXPECT_EQ(5, ret);
	EXPECT_EQ(started, reused);
	EXPECT_EQ(NULL, ASYNC_get_current_job());
	ASYNC_WAIT_CTX_free(fs.ctx);
	ASYNC_cleanup_thread();
	EXPECT_EQ(0, LEAKS_FOUND());
}

/* The thread owning the job's pool exits while the job is paused. */
static void *start_and_exit(void *arg)
{
	struct finish_state *fs = arg;

	fs->rc = start_job(&fs->job, fs->ctx, &fs->ret, pause_once_job, fs);
	/* No ASYNC_cleanup_thread: the exit handler runs with the job out. */
	return NULL;
}

TEST(job_outlives_its_thread)
{
	struct finish_state fs;
	pthread_t th;
	int ret = 0, i;

	if (!IMPL_IS_RUNTIME)
		SKIP(return, NO_FOREIGN_FINISH);
	for (i = 0; i < 8; i++) {
		memset(&fs, 0, sizeof(fs));
		fs.ctx = ASYNC_WAIT_CTX_new();
		ASSERT_NE(NULL, fs.ctx);
		ASSERT_EQ(0, pthread_create(&th, NULL, start_and_exit, &fs));
		ASSERT_EQ(0, pthread_join(th, NULL));
		ASSERT_EQ(ASYNC_PAUSE, fs.rc);
		ASSERT_NE(NULL, fs.job);
		/* Its thread is gone; it finishes here and is freed here. */
		ASSERT_EQ(ASYNC_FINISH, start_job(&fs.job, fs.ctx, &ret, pause_once_job, NULL));
		EXPECT_EQ(77, ret);
		EXPECT_TRUE(pthread_equal(fs.where, pthread_self()));
		ASYNC_WAIT_CTX_free(fs.ctx);
	}
	ASYNC_cleanup_thread();
	/* Under ASan: the exited threads' state and jobs were all freed. */
	EXPECT_EQ(0, LEAKS_FOUND());
}

/*
 * Jobs wander: workers take paused jobs from a shared list and resume
 * them, so jobs pause, resume and finish on arbitrary threads, while the
 * threads whose pools they came from exit one by one.
 */
#define WANDER_THREADS 4
#define WANDER_JOBS 48
#define WANDER_LEGS 6

struct wander {
	pthread_mutex_t lock;
	ASYNC_JOB *paused[WANDER_JOBS];
	int id_of[WANDER_JOBS];
	int npaused;
	int started;
	int finished;
	int ret[WANDER_JOBS];
	int legs[WANDER_JOBS];
	int fp_ok[WANDER_JOBS];
	int errors;
};

struct wander_arg {
	struct wander *w;
	int id;
};

static int wander_job(void *arg)
{
	struct wander_arg *wa = arg;
	int mode = wa->id % 2 ? FE_UPWARD : FE_DOWNWARD, i, ok = 1;

	/* Each job's own rounding mode, whichever thread it is on. */
	fesetround(mode);
	for (i = 0; i < WANDER_LEGS; i++) {
		wa->w->legs[wa->id]++;
		ASYNC_pause_job();
		ok &= fegetround() == mode;
	}
	wa->w->fp_ok[wa->id] = ok;
	return 1000 + wa->id;
}

/* Worker k stops after 20 * (k + 1) resumes; the last one finishes all. */
static void *wander_worker(void *arg)
{
	struct wander_arg *me = arg;
	struct wander *w = me->w;
	int budget = me->id == WANDER_THREADS - 1 ? -1 : 20 * (me->id + 1);

	fesetround(FE_TONEAREST);
	while (budget != 0) {
		struct wander_arg a = { w, 0 };
		ASYNC_JOB *job = NULL;
		int rc, ret = 0, id;

		pthread_mutex_lock(&w->lock);
		if (w->finished == WANDER_JOBS) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		if (w->started < WANDER_JOBS && (w->npaused == 0 || w->started % 3 == 0)) {
			id = w->started++;
		} else if (w->npaused > 0) {
			w->npaused--;
			job = w->paused[w->npaused];
			id = w->id_of[w->npaused];
		} else {
			/* All the rest are running on other workers. */
			pthread_mutex_unlock(&w->lock);
			sched_yield();
			continue;
		}
		pthread_mutex_unlock(&w->lock);
		a.id = id;
		rc = ASYNC_start_job(&job, NULL, &ret, wander_job, &a, sizeof(a));
		if (fegetround() != FE_TONEAREST)
			__atomic_add_fetch(&w->errors, 1, __ATOMIC_RELAXED);
		pthread_mutex_lock(&w->lock);
		if (rc == ASYNC_PAUSE) {
			w->paused[w->npaused] = job;
			w->id_of[w->npaused] = id;
			w->npaused++;
		} else if (rc == ASYNC_FINISH) {
			w->ret[id] = ret;
			w->finished++;
		} else {
			w->errors++;
			w->finished++;
		}
		pthread_mutex_unlock(&w->lock);
		if (budget > 0)
			budget--;
	}
	return NULL;
}

TEST(jobs_wander_between_threads)
{
	struct wander w;
	struct wander_arg args[WANDER_THREADS];
	pthread_t th[WANDER_THREADS];
	int i;

	if (!IMPL_IS_RUNTIME)
		SKIP(return, NO_FOREIGN_FINISH);
	memset(&w, 0, sizeof(w));
	pthread_mutex_init(&w.lock, NULL);
	for (i = 0; i < WANDER_THREADS; i++) {
		args[i].w = &w;
		args[i].id = i;
		ASSERT_EQ(0, pthread_create(&th[i], NULL, wander_worker, &args[i]));
	}
	for (i = 0; i < WANDER_THREADS; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));
	EXPECT_EQ(0, w.errors);
	EXPECT_EQ(WANDER_JOBS, w.finished);
	for (i = 0; i < WANDER_JOBS; i++) {
		EXPECT_EQ(1000 + i, w.ret[i]);
		EXPECT_EQ(WANDER_LEGS, w.legs[i]);
		EXPECT_EQ(1, w.fp_ok[i]);
	}
	pthread_mutex_destroy(&w.lock);
	EXPECT_EQ(0, LEAKS_FOUND());
}

TEST_HARNESS_MAIN
