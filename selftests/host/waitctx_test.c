// SPDX-License-Identifier: Apache-2.0
/*
 * Conformance of the ASYNC_WAIT_CTX functions with ASYNC_WAIT_CTX_new(3):
 * every function, every sentence of the manual, and the details the manual
 * leaves to OpenSSL 3.x (DESIGN.md lists them).  Built against libcrypto and
 * against the runtime; both must pass.
 */
#include <unistd.h>

#include "async_test.h"
#include "kselftest_harness.h"

/* Keys: any unique value; addresses of distinct objects are typical. */
static const char key_a, key_b, key_c, key_d;

/* Every cleanup call, in order. */
struct cleanup_rec {
	ASYNC_WAIT_CTX *ctx;
	const void *key;
	OSSL_ASYNC_FD fd;
	void *data;
};

static struct cleanup_rec cleanups[64];
static int ncleanups;

static void record_cleanup(ASYNC_WAIT_CTX *ctx, const void *key,
			   OSSL_ASYNC_FD fd, void *data)
{
	if (ncleanups < 64)
		cleanups[ncleanups] = (struct cleanup_rec){ ctx, key, fd, data };
	ncleanups++;
}

/* Index of the cleanup call for fd, or -1. */
static int cleanup_of(OSSL_ASYNC_FD fd)
{
	int i;

	for (i = 0; i < ncleanups && i < 64; i++)
		if (cleanups[i].fd == fd)
			return i;
	return -1;
}

/* A job body that pauses once, so the caller can age fds across a pause. */
static int pause_once(void *arg)
{
	(void)arg;
	return ASYNC_pause_job() ? 11 : -1;
}

/*
 * Makes every fd currently in ctx "old": a paused job resuming resets the
 * added/deleted bookkeeping of its wait ctx.
 */
static int age_fds(ASYNC_WAIT_CTX *ctx)
{
	ASYNC_JOB *job = NULL;
	int ret = 0;

	if (ASYNC_start_job(&job, ctx, &ret, pause_once, NULL, 0) != ASYNC_PAUSE)
		return 0;
	if (ASYNC_start_job(&job, ctx, &ret, pause_once, NULL, 0) != ASYNC_FINISH)
		return 0;
	return ret == 11 && job == NULL;
}

TEST(constants)
{
	OSSL_ASYNC_FD fd = -1;
	ASYNC_callback_fn cb = NULL;

	/* The synopsis gives these values. */
	EXPECT_EQ(0, ASYNC_STATUS_UNSUPPORTED);
	EXPECT_EQ(1, ASYNC_STATUS_ERR);
	EXPECT_EQ(2, ASYNC_STATUS_OK);
	EXPECT_EQ(3, ASYNC_STATUS_EAGAIN);
	/* And OpenSSL's <openssl/async.h> these. */
	EXPECT_EQ(0, ASYNC_ERR);
	EXPECT_EQ(1, ASYNC_NO_JOBS);
	EXPECT_EQ(2, ASYNC_PAUSE);
	EXPECT_EQ(3, ASYNC_FINISH);
	/* OSSL_ASYNC_FD is a plain signed int on POSIX. */
	EXPECT_EQ(sizeof(int), sizeof(OSSL_ASYNC_FD));
	EXPECT_TRUE(fd < 0);
	EXPECT_EQ(NULL, (void *)cb);
	TH_LOG("implementation: %s", IMPL_NAME);
}

TEST(new_and_free)
{
	ASYNC_WAIT_CTX *a = ASYNC_WAIT_CTX_new();
	ASYNC_WAIT_CTX *b = ASYNC_WAIT_CTX_new();

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	EXPECT_NE(a, b);
	/* "If the argument is NULL, nothing is done." */
	ASYNC_WAIT_CTX_free(NULL);
	ASYNC_WAIT_CTX_free(a);
	ASYNC_WAIT_CTX_free(b);
}

TEST(new_ctx_is_empty)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	OSSL_ASYNC_FD fds[4] = { SENTINEL_FD, SENTINEL_FD };
	size_t n = 77;

	ASSERT_NE(NULL, ctx);
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_all_fds(ctx, NULL, &n));
	EXPECT_EQ(0, n);
	n = 77;
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_all_fds(ctx, fds, &n));
	EXPECT_EQ(0, n);
	EXPECT_EQ(SENTINEL_FD, fds[0]);
	EXPECT_ALL_FDS(ctx, "{}");
	EXPECT_CHANGED(ctx, "+0{} -0{}");
	ASYNC_WAIT_CTX_free(ctx);
}

TEST(count_with_null_then_fill)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	OSSL_ASYNC_FD *fds;
	size_t n = 0, i;

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 30, NULL, NULL));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_b, 10, NULL, NULL));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_c, 20, NULL, NULL));

	/* The two-call pattern of the manual, with an exactly sized array. */
	ASSERT_EQ(1, ASYNC_WAIT_CTX_get_all_fds(ctx, NULL, &n));
	ASSERT_EQ(3, n);
	fds = malloc(n * sizeof(*fds));
	ASSERT_NE(NULL, fds);
	ASSERT_EQ(1, ASYNC_WAIT_CTX_get_all_fds(ctx, fds, &n));
	ASSERT_EQ(3, n);
	qsort(fds, n, sizeof(*fds), fd_cmp);
	for (i = 0; i < n; i++)
		EXPECT_EQ((OSSL_ASYNC_FD)(10 * (i + 1)), fds[i]);
	free(fds);
	EXPECT_ALL_FDS(ctx, "{10,20,30}");
	ASYNC_WAIT_CTX_free(ctx);
}

TEST(get_fd_round_trip)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	OSSL_ASYNC_FD fd = SENTINEL_FD;
	int data_a, data_b;
	void *data = &fd;

	ASSERT_NE(NULL, ctx);
	/* Unknown key: 0, outputs untouched. */
	EXPECT_EQ(0, ASYNC_WAIT_CTX_get_fd(ctx, &key_a, &fd, &data));
	EXPECT_EQ(SENTINEL_FD, fd);
	EXPECT_EQ((void *)&fd, data);

	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 5, &data_a, NULL));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_b, 6, &data_b, NULL));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_c, 7, NULL, NULL));
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_fd(ctx, &key_a, &fd, &data));
	EXPECT_EQ(5, fd);
	EXPECT_EQ((void *)&data_a, data);
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_fd(ctx, &key_b, &fd, &data));
	EXPECT_EQ(6, fd);
	EXPECT_EQ((void *)&data_b, data);
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_fd(ctx, &key_c, &fd, &data));
	EXPECT_EQ(7, fd);
	EXPECT_EQ(NULL, data);
	fd = SENTINEL_FD;
	EXPECT_EQ(0, ASYNC_WAIT_CTX_get_fd(ctx, &key_d, &fd, &data));
	EXPECT_EQ(SENTINEL_FD, fd);
	ASYNC_WAIT_CTX_free(ctx);
}

TEST(fd_values_are_not_checked)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	OSSL_ASYNC_FD fd = 0;
	void *data;

	ASSERT_NE(NULL, ctx);
	/* The fd is the caller's business: closed or huge values are stored. */
	EXPECT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 100000, NULL, NULL));
	EXPECT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_b, 0, NULL, NULL));
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_fd(ctx, &key_a, &fd, &data));
	EXPECT_EQ(100000, fd);
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_fd(ctx, &key_b, &fd, &data));
	EXPECT_EQ(0, fd);
	EXPECT_ALL_FDS(ctx, "{0,100000}");
	ASYNC_WAIT_CTX_free(ctx);
}

TEST(null_key_is_a_key)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	OSSL_ASYNC_FD fd = 0;
	void *data;

	ASSERT_NE(NULL, ctx);
	/* "This could be any unique value": NULL included. */
	EXPECT_EQ(0, ASYNC_WAIT_CTX_get_fd(ctx, NULL, &fd, &data));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, NULL, 9, &fd, NULL));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 8, NULL, NULL));
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_fd(ctx, NULL, &fd, &data));
	EXPECT_EQ(9, fd);
	EXPECT_EQ((void *)&fd, data);
	EXPECT_EQ(1, ASYNC_WAIT_CTX_clear_fd(ctx, NULL));
	EXPECT_EQ(0, ASYNC_WAIT_CTX_get_fd(ctx, NULL, &fd, &data));
	EXPECT_ALL_FDS(ctx, "{8}");
	ASYNC_WAIT_CTX_free(ctx);
}

TEST(changed_fds_since_creation)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();

	ASSERT_NE(NULL, ctx);
	/* No ASYNC_PAUSE yet: changes count from creation. */
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 4, NULL, NULL));
	EXPECT_CHANGED(ctx, "+1{4} -0{}");
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_b, 3, NULL, NULL));
	EXPECT_CHANGED(ctx, "+2{3,4} -0{}");
	/* Reading the changes does not reset them. */
	EXPECT_CHANGED(ctx, "+2{3,4} -0{}");
	ASYNC_WAIT_CTX_free(ctx);
}

/* A job that plays the engine's part: change fds, pause, look, repeat. */
struct engine_state {
	ASYNC_WAIT_CTX *ctx;
	int step;
	int pause_rets[8];
	char seen_after_resume[8][FD_STR_MAX];
};

static int engine_job(void *arg)
{
	struct engine_state *st = JOB_STATE(struct engine_state, arg);
	ASYNC_WAIT_CTX *ctx = ASYNC_get_wait_ctx(ASYNC_get_current_job());

	if (ctx != st->ctx)
		return -2;
	/* Pause 1: one fd added. */
	ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 40, NULL, NULL);
	st->pause_rets[0] = ASYNC_pause_job();
	changed_fds_str(ctx, st->seen_after_resume[0], sizeof(st->seen_after_resume[0]));
	/* Pause 2: a new one added, the old one cleared. */
	ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_b, 41, NULL, NULL);
	ASYNC_WAIT_CTX_clear_fd(ctx, &key_a);
	st->pause_rets[1] = ASYNC_pause_job();
	changed_fds_str(ctx, st->seen_after_resume[1], sizeof(st->seen_after_resume[1]));
	/* Pause 3: nothing changed. */
	st->pause_rets[2] = ASYNC_pause_job();
	changed_fds_str(ctx, st->seen_after_resume[2], sizeof(st->seen_after_resume[2]));
	/* Pause 4: swap fds twice under one key, clear another. */
	ASYNC_WAIT_CTX_clear_fd(ctx, &key_b);
	ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_b, 42, NULL, NULL);
	ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_c, 43, NULL, NULL);
	ASYNC_WAIT_CTX_clear_fd(ctx, &key_c);
	st->pause_rets[3] = ASYNC_pause_job();
	changed_fds_str(ctx, st->seen_after_resume[3], sizeof(st->seen_after_resume[3]));
	/* Finish with one change left unreported. */
	ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_d, 44, NULL, NULL);
	return 99;
}

TEST(changed_fds_across_pauses)
{
	struct engine_state st = { 0 };
	ASYNC_JOB *job = NULL;
	int ret = 0, i;

	st.ctx = ASYNC_WAIT_CTX_new();
	ASSERT_NE(NULL, st.ctx);
	ASSERT_EQ(ASYNC_PAUSE, start_job(&job, st.ctx, &ret, engine_job, &st));
	EXPECT_CHANGED(st.ctx, "+1{40} -0{}");
	EXPECT_ALL_FDS(st.ctx, "{40}");

	ASSERT_EQ(ASYNC_PAUSE, start_job(&job, st.ctx, &ret, engine_job, &st));
	EXPECT_CHANGED(st.ctx, "+1{41} -1{40}");
	/* A deleted fd is no longer waited on. */
	EXPECT_ALL_FDS(st.ctx, "{41}");

	ASSERT_EQ(ASYNC_PAUSE, start_job(&job, st.ctx, &ret, engine_job, &st));
	EXPECT_CHANGED(st.ctx, "+0{} -0{}");
	EXPECT_ALL_FDS(st.ctx, "{41}");

	ASSERT_EQ(ASYNC_PAUSE, start_job(&job, st.ctx, &ret, engine_job, &st));
	/* 41 was old: deleted; 43 came and went within the pause: invisible. */
	EXPECT_CHANGED(st.ctx, "+1{42} -1{41}");
	EXPECT_ALL_FDS(st.ctx, "{42}");

	ASSERT_EQ(ASYNC_FINISH, start_job(&job, st.ctx, &ret, engine_job, &st));
	EXPECT_EQ(99, ret);
	EXPECT_EQ(NULL, job);
	/* Nothing resets the counts at finish. */
	EXPECT_CHANGED(st.ctx, "+1{44} -0{}");
	EXPECT_ALL_FDS(st.ctx, "{42,44}");

	for (i = 0; i < 4; i++) {
		EXPECT_EQ(1, st.pause_rets[i]);
		/* "Counts reset when a paused job resumes." */
		EXPECT_STREQ("+0{} -0{}", st.seen_after_resume[i]);
	}
	ASYNC_WAIT_CTX_free(st.ctx);
	EXPECT_EQ(0, LEAKS_FOUND());
}

TEST(changes_made_while_paused)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int ret = 0;

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 50, NULL, NULL));
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, pause_once, NULL, 0));
	/* Added before the pause, still reported: no reset until resume. */
	EXPECT_CHANGED(ctx, "+1{50} -0{}");
	/* The application changes fds itself while the job is paused. */
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_b, 51, NULL, NULL));
	EXPECT_CHANGED(ctx, "+2{50,51} -0{}");
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, pause_once, NULL, 0));
	EXPECT_EQ(11, ret);
	/* The resume reset everything, including the application's change. */
	EXPECT_CHANGED(ctx, "+0{} -0{}");
	EXPECT_ALL_FDS(ctx, "{50,51}");
	ASYNC_WAIT_CTX_free(ctx);
}

TEST(clear_just_added_fd)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	OSSL_ASYNC_FD fd = SENTINEL_FD;
	void *data = NULL;

	ASSERT_NE(NULL, ctx);
	ncleanups = 0;
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 60, &fd, record_cleanup));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_b, 61, &fd, record_cleanup));
	EXPECT_CHANGED(ctx, "+2{60,61} -0{}");
	EXPECT_EQ(1, ASYNC_WAIT_CTX_clear_fd(ctx, &key_a));
	/* Removed at once: gone from every list, not reported as deleted. */
	EXPECT_EQ(0, ASYNC_WAIT_CTX_get_fd(ctx, &key_a, &fd, &data));
	EXPECT_CHANGED(ctx, "+1{61} -0{}");
	EXPECT_ALL_FDS(ctx, "{61}");
	/* Clearing it again finds nothing. */
	EXPECT_EQ(0, ASYNC_WAIT_CTX_clear_fd(ctx, &key_a));
	EXPECT_EQ(0, ncleanups);
	ASYNC_WAIT_CTX_free(ctx);
	/* Only the fd never cleared is cleaned up. */
	EXPECT_EQ(1, ncleanups);
	EXPECT_EQ(61, cleanups[0].fd);
}

TEST(clear_older_fd)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	OSSL_ASYNC_FD fd = SENTINEL_FD;
	void *data = NULL;

	ASSERT_NE(NULL, ctx);
	ncleanups = 0;
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 70, NULL, record_cleanup));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_b, 71, NULL, record_cleanup));
	ASSERT_TRUE(age_fds(ctx));
	EXPECT_CHANGED(ctx, "+0{} -0{}");

	EXPECT_EQ(1, ASYNC_WAIT_CTX_clear_fd(ctx, &key_a));
	/* An older fd is reported as deleted, and no longer waited on. */
	EXPECT_CHANGED(ctx, "+0{} -1{70}");
	EXPECT_ALL_FDS(ctx, "{71}");
	EXPECT_EQ(0, ASYNC_WAIT_CTX_get_fd(ctx, &key_a, &fd, &data));
	EXPECT_EQ(SENTINEL_FD, fd);
	/* Already deleted: a second clear finds nothing. */
	EXPECT_EQ(0, ASYNC_WAIT_CTX_clear_fd(ctx, &key_a));
	EXPECT_CHANGED(ctx, "+0{} -1{70}");
	/* The next pause/resume forgets the deletion. */
	ASSERT_TRUE(age_fds(ctx));
	EXPECT_CHANGED(ctx, "+0{} -0{}");
	EXPECT_ALL_FDS(ctx, "{71}");
	EXPECT_EQ(0, ncleanups);
	ASYNC_WAIT_CTX_free(ctx);
	EXPECT_EQ(1, ncleanups);
	EXPECT_EQ(71, cleanups[0].fd);
}

TEST(clear_unknown_key)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();

	ASSERT_NE(NULL, ctx);
	EXPECT_EQ(0, ASYNC_WAIT_CTX_clear_fd(ctx, &key_a));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 1, NULL, NULL));
	EXPECT_EQ(0, ASYNC_WAIT_CTX_clear_fd(ctx, &key_b));
	EXPECT_CHANGED(ctx, "+1{1} -0{}");
	ASYNC_WAIT_CTX_free(ctx);
}

TEST(cleanup_on_free_never_on_clear)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	int d1, d2, d3, d4, d5;
	int i;

	ASSERT_NE(NULL, ctx);
	ncleanups = 0;
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 81, &d1, record_cleanup));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_b, 82, &d2, record_cleanup));
	ASSERT_TRUE(age_fds(ctx));
	/* Old fd cleared: marked deleted, still remembered, no cleanup. */
	ASSERT_EQ(1, ASYNC_WAIT_CTX_clear_fd(ctx, &key_a));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_c, 83, &d3, record_cleanup));
	/* New fd cleared: removed at once, no cleanup. */
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_d, 84, &d4, record_cleanup));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_clear_fd(ctx, &key_d));
	/* A NULL cleanup is allowed. */
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_d, 85, &d5, NULL));
	EXPECT_EQ(0, ncleanups);
	ASYNC_WAIT_CTX_free(ctx);

	/* Cleanup ran exactly for the fds never cleared, with their data. */
	EXPECT_EQ(2, ncleanups);
	EXPECT_EQ(-1, cleanup_of(81));
	EXPECT_EQ(-1, cleanup_of(84));
	EXPECT_EQ(-1, cleanup_of(85));
	i = cleanup_of(82);
	ASSERT_LE(0, i);
	EXPECT_EQ(ctx, cleanups[i].ctx);
	EXPECT_EQ((const void *)&key_b, cleanups[i].key);
	EXPECT_EQ((void *)&d2, cleanups[i].data);
	i = cleanup_of(83);
	ASSERT_LE(0, i);
	EXPECT_EQ(ctx, cleanups[i].ctx);
	EXPECT_EQ((const void *)&key_c, cleanups[i].key);
	EXPECT_EQ((void *)&d3, cleanups[i].data);
	EXPECT_EQ(0, LEAKS_FOUND());
}

/* The cleanup can close the fd: that is what it is for. */
static void close_cleanup(ASYNC_WAIT_CTX *ctx, const void *key,
			  OSSL_ASYNC_FD fd, void *data)
{
	(void)ctx;
	(void)key;
	*(int *)data = close(fd);
}

TEST(cleanup_closes_real_fd)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	int p[2], closed = -2;

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, p[0], &closed, close_cleanup));
	ASYNC_WAIT_CTX_free(ctx);
	EXPECT_EQ(0, closed);
	EXPECT_EQ(-1, close(p[0]));
	close(p[1]);
}

TEST(duplicate_keys_newest_wins)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	OSSL_ASYNC_FD fd = 0;
	int d1, d2, d3;
	void *data;

	ASSERT_NE(NULL, ctx);
	ncleanups = 0;
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 91, &d1, record_cleanup));
	ASSERT_TRUE(age_fds(ctx));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 92, &d2, record_cleanup));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 93, &d3, record_cleanup));
	/* Both are kept, the newest answers get_fd. */
	EXPECT_ALL_FDS(ctx, "{91,92,93}");
	EXPECT_CHANGED(ctx, "+2{92,93} -0{}");
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_fd(ctx, &key_a, &fd, &data));
	EXPECT_EQ(93, fd);
	EXPECT_EQ((void *)&d3, data);

	/* Clear takes the newest first; the older one shows through. */
	EXPECT_EQ(1, ASYNC_WAIT_CTX_clear_fd(ctx, &key_a));
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_fd(ctx, &key_a, &fd, &data));
	EXPECT_EQ(92, fd);
	EXPECT_CHANGED(ctx, "+1{92} -0{}");
	EXPECT_EQ(1, ASYNC_WAIT_CTX_clear_fd(ctx, &key_a));
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_fd(ctx, &key_a, &fd, &data));
	EXPECT_EQ(91, fd);
	EXPECT_EQ((void *)&d1, data);
	EXPECT_CHANGED(ctx, "+0{} -0{}");
	/* The last one is old: marked deleted. */
	EXPECT_EQ(1, ASYNC_WAIT_CTX_clear_fd(ctx, &key_a));
	EXPECT_EQ(0, ASYNC_WAIT_CTX_get_fd(ctx, &key_a, &fd, &data));
	EXPECT_CHANGED(ctx, "+0{} -1{91}");
	EXPECT_EQ(0, ASYNC_WAIT_CTX_clear_fd(ctx, &key_a));

	/* Re-adding under a key whose old fd is deleted. */
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 94, &d1, record_cleanup));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 95, &d2, record_cleanup));
	EXPECT_CHANGED(ctx, "+2{94,95} -1{91}");
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_fd(ctx, &key_a, &fd, &data));
	EXPECT_EQ(95, fd);
	EXPECT_EQ(0, ncleanups);
	ASYNC_WAIT_CTX_free(ctx);
	/* Every duplicate not cleared is cleaned up. */
	EXPECT_EQ(2, ncleanups);
	EXPECT_LE(0, cleanup_of(94));
	EXPECT_LE(0, cleanup_of(95));
	EXPECT_EQ(0, LEAKS_FOUND());
}

TEST(duplicate_key_same_fd)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 7, NULL, NULL));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 7, NULL, NULL));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_b, 7, NULL, NULL));
	/* Nothing is merged: one entry per call. */
	EXPECT_ALL_FDS(ctx, "{7,7,7}");
	EXPECT_CHANGED(ctx, "+3{7,7,7} -0{}");
	ASYNC_WAIT_CTX_free(ctx);
}

static int cb_calls;
static void *cb_last_arg;

static int callback_one(void *arg)
{
	cb_calls++;
	cb_last_arg = arg;
	return 1;
}

static int callback_two(void *arg)
{
	cb_calls += 100;
	cb_last_arg = arg;
	return 2;
}

TEST(callback_default_and_round_trip)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_callback_fn cb = callback_two;
	int arg1, arg2;
	void *arg = &arg2;

	ASSERT_NE(NULL, ctx);
	cb_calls = 0;
	/* None set: 0, and the outputs are left alone. */
	EXPECT_EQ(0, ASYNC_WAIT_CTX_get_callback(ctx, &cb, &arg));
	EXPECT_TRUE(cb == callback_two);
	EXPECT_EQ((void *)&arg2, arg);

	EXPECT_EQ(1, ASYNC_WAIT_CTX_set_callback(ctx, callback_one, &arg1));
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_callback(ctx, &cb, &arg));
	EXPECT_TRUE(cb == callback_one);
	EXPECT_EQ((void *)&arg1, arg);
	/* What user code does with it: call it with its argument. */
	EXPECT_EQ(1, cb(arg));
	EXPECT_EQ(1, cb_calls);
	EXPECT_EQ((void *)&arg1, cb_last_arg);

	/* Replaced, argument NULL. */
	EXPECT_EQ(1, ASYNC_WAIT_CTX_set_callback(ctx, callback_two, NULL));
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_callback(ctx, &cb, &arg));
	EXPECT_TRUE(cb == callback_two);
	EXPECT_EQ(NULL, arg);

	/* A NULL callback means none, whatever the argument. */
	cb = callback_one;
	arg = &arg1;
	EXPECT_EQ(1, ASYNC_WAIT_CTX_set_callback(ctx, NULL, &arg2));
	EXPECT_EQ(0, ASYNC_WAIT_CTX_get_callback(ctx, &cb, &arg));
	EXPECT_TRUE(cb == callback_one);
	EXPECT_EQ((void *)&arg1, arg);

	/* The library itself never calls it. */
	EXPECT_EQ(1, cb_calls);
	ASYNC_WAIT_CTX_free(ctx);
}

TEST(set_callback_null_ctx)
{
	/* OpenSSL defines this one: no ctx, error. */
	EXPECT_EQ(0, ASYNC_WAIT_CTX_set_callback(NULL, callback_one, NULL));
}

/* The engine's side: set the callback state from inside a job. */
struct cb_job_state {
	ASYNC_WAIT_CTX *ctx;
	int seen_status;
	int got_cb;
	ASYNC_callback_fn cb;
	void *cb_arg;
};

static int callback_job(void *arg)
{
	struct cb_job_state *st = JOB_STATE(struct cb_job_state, arg);
	ASYNC_WAIT_CTX *ctx = ASYNC_get_wait_ctx(ASYNC_get_current_job());

	st->seen_status = ASYNC_WAIT_CTX_get_status(ctx);
	st->got_cb = ASYNC_WAIT_CTX_get_callback(ctx, &st->cb, &st->cb_arg);
	if (ASYNC_WAIT_CTX_set_status(ctx, ASYNC_STATUS_OK) != 1)
		return -1;
	ASYNC_pause_job();
	/* Completion: tell user code through its callback, as an engine does. */
	if (st->got_cb)
		st->cb(st->cb_arg);
	ASYNC_WAIT_CTX_set_status(ctx, ASYNC_STATUS_EAGAIN);
	ASYNC_pause_job();
	return 5;
}

TEST(callback_mode_job)
{
	struct cb_job_state st = { 0 };
	ASYNC_JOB *job = NULL;
	int ret = 0, arg;

	st.ctx = ASYNC_WAIT_CTX_new();
	ASSERT_NE(NULL, st.ctx);
	cb_calls = 0;
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_callback(st.ctx, callback_one, &arg));
	ASSERT_EQ(ASYNC_PAUSE, start_job(&job, st.ctx, &ret, callback_job, &st));
	EXPECT_EQ(ASYNC_STATUS_UNSUPPORTED, st.seen_status);
	EXPECT_EQ(1, st.got_cb);
	EXPECT_TRUE(st.cb == callback_one);
	EXPECT_EQ((void *)&arg, st.cb_arg);
	EXPECT_EQ(ASYNC_STATUS_OK, ASYNC_WAIT_CTX_get_status(st.ctx));
	/* Neither start nor pause calls the callback. */
	EXPECT_EQ(0, cb_calls);
	ASSERT_EQ(ASYNC_PAUSE, start_job(&job, st.ctx, &ret, callback_job, &st));
	EXPECT_EQ(1, cb_calls);
	EXPECT_EQ((void *)&arg, cb_last_arg);
	EXPECT_EQ(ASYNC_STATUS_EAGAIN, ASYNC_WAIT_CTX_get_status(st.ctx));
	ASSERT_EQ(ASYNC_FINISH, start_job(&job, st.ctx, &ret, callback_job, &st));
	EXPECT_EQ(5, ret);
	/* Finishing does not reset status or callback. */
	EXPECT_EQ(ASYNC_STATUS_EAGAIN, ASYNC_WAIT_CTX_get_status(st.ctx));
	EXPECT_EQ(1, ASYNC_WAIT_CTX_get_callback(st.ctx, &st.cb, &st.cb_arg));
	EXPECT_EQ(1, cb_calls);
	ASYNC_WAIT_CTX_free(st.ctx);
}

TEST(status_default_and_round_trip)
{
	static const int values[] = {
		ASYNC_STATUS_ERR, ASYNC_STATUS_OK, ASYNC_STATUS_EAGAIN,
		ASYNC_STATUS_UNSUPPORTED, ASYNC_STATUS_OK,
	};
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	size_t i;

	ASSERT_NE(NULL, ctx);
	/* "This is the default value." */
	EXPECT_EQ(ASYNC_STATUS_UNSUPPORTED, ASYNC_WAIT_CTX_get_status(ctx));
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		EXPECT_EQ(1, ASYNC_WAIT_CTX_set_status(ctx, values[i]));
		EXPECT_EQ(values[i], ASYNC_WAIT_CTX_get_status(ctx));
	}
	/* Status is independent of fds and callback. */
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &key_a, 3, NULL, NULL));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_set_callback(ctx, callback_one, NULL));
	EXPECT_EQ(ASYNC_STATUS_OK, ASYNC_WAIT_CTX_get_status(ctx));
	ASYNC_WAIT_CTX_free(ctx);
}

TEST(status_values_not_checked)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();

	ASSERT_NE(NULL, ctx);
	/* OpenSSL stores whatever it is given. */
	EXPECT_EQ(1, ASYNC_WAIT_CTX_set_status(ctx, 42));
	EXPECT_EQ(42, ASYNC_WAIT_CTX_get_status(ctx));
	EXPECT_EQ(1, ASYNC_WAIT_CTX_set_status(ctx, -1));
	EXPECT_EQ(-1, ASYNC_WAIT_CTX_get_status(ctx));
	ASYNC_WAIT_CTX_free(ctx);
}

TEST(ctx_reused_for_next_job)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int ret = 0, round;

	ASSERT_NE(NULL, ctx);
	/* "can be reused after an ASYNC_JOB has finished" */
	for (round = 0; round < 3; round++) {
		ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, pause_once, NULL, 0));
		EXPECT_EQ(ctx, ASYNC_get_wait_ctx(job));
		ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, pause_once, NULL, 0));
		EXPECT_EQ(11, ret);
	}
	ASYNC_WAIT_CTX_free(ctx);
}

TEST(many_fds)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	static char keys[300];
	OSSL_ASYNC_FD fds[300], fd;
	size_t n = 0, na = 0, nd = 0;
	void *data;
	int i;

	ASSERT_NE(NULL, ctx);
	for (i = 0; i < 300; i++)
		ASSERT_EQ(1, ASYNC_WAIT_CTX_set_wait_fd(ctx, &keys[i], 1000 + i,
							&keys[i], NULL));
	ASSERT_EQ(1, ASYNC_WAIT_CTX_get_all_fds(ctx, NULL, &n));
	ASSERT_EQ(300, n);
	ASSERT_EQ(1, ASYNC_WAIT_CTX_get_all_fds(ctx, fds, &n));
	qsort(fds, n, sizeof(*fds), fd_cmp);
	for (i = 0; i < 300; i++)
		EXPECT_EQ(1000 + i, fds[i]);
	for (i = 0; i < 300; i += 2)
		ASSERT_EQ(1, ASYNC_WAIT_CTX_clear_fd(ctx, &keys[i]));
	for (i = 0; i < 300; i++) {
		int found = ASYNC_WAIT_CTX_get_fd(ctx, &keys[i], &fd, &data);

		EXPECT_EQ(i % 2, found);
		if (found) {
			EXPECT_EQ(1000 + i, fd);
			EXPECT_EQ((void *)&keys[i], data);
		}
	}
	/* All were added since creation: the cleared half simply vanished. */
	ASSERT_EQ(1, ASYNC_WAIT_CTX_get_changed_fds(ctx, NULL, &na, NULL, &nd));
	EXPECT_EQ(150, na);
	EXPECT_EQ(0, nd);
	ASYNC_WAIT_CTX_free(ctx);
	EXPECT_EQ(0, LEAKS_FOUND());
}

TEST_HARNESS_MAIN
