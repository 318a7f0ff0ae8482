/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the async conformance suite.  Every test source is
 * compiled twice: against libcrypto (the oracle) and against the asyncoff
 * async runtime, which defines ASYNCOFF_ASYNC_RUNTIME in its <openssl/async.h>.
 * Both builds must pass the same assertions.
 */
#ifndef ASYNC_TEST_H
#define ASYNC_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/async.h>

#ifdef ASYNCOFF_ASYNC_RUNTIME
# define IMPL_NAME "runtime"
# define IMPL_IS_RUNTIME 1
#else
# define IMPL_NAME "libcrypto"
# define IMPL_IS_RUNTIME 0
#endif

/* ASYNC_set_mem_functions() appeared in OpenSSL 3.2; the runtime has it. */
#if defined(ASYNCOFF_ASYNC_RUNTIME) || OPENSSL_VERSION_NUMBER >= 0x30200000L
# define HAVE_ASYNC_MEM_FUNCTIONS 1
#else
# define HAVE_ASYNC_MEM_FUNCTIONS 0
#endif

/*
 * The harness ends each test with _exit(), so LeakSanitizer never looks at
 * a test on its own: tests that free everything ask it explicitly.
 */
#if defined(__SANITIZE_ADDRESS__)
# include <sanitizer/lsan_interface.h>
# define LEAKS_FOUND() __lsan_do_recoverable_leak_check()
#else
# define LEAKS_FOUND() 0
#endif

/* A value no implementation writes by itself: lets tests see "untouched". */
#define SENTINEL_FD ((OSSL_ASYNC_FD)-7777)

/*
 * Jobs get a copy of their argument block, so a test passes a pointer to its
 * state inside a small block and the job reads it back with JOB_STATE().
 */
struct job_ref {
	void *state;
};

#define JOB_STATE(type, arg) ((type *)((struct job_ref *)(arg))->state)

static inline int start_job(ASYNC_JOB **job, ASYNC_WAIT_CTX *wctx, int *ret,
			    int (*fn)(void *), void *state)
{
	struct job_ref ref = { state };

	return ASYNC_start_job(job, wctx, ret, fn, &ref, sizeof(ref));
}

/* A job body: pauses *arg times, then returns 100 + *arg (-1 if a pause
 * failed). */
static inline int pause_n(void *arg)
{
	int n = *(int *)arg, i;

	for (i = 0; i < n; i++)
		if (ASYNC_pause_job() != 1)
			return -1;
	return 100 + n;
}

static inline int fd_cmp(const void *a, const void *b)
{
	OSSL_ASYNC_FD x = *(const OSSL_ASYNC_FD *)a, y = *(const OSSL_ASYNC_FD *)b;

	return (x > y) - (x < y);
}

/* "{3,5,9}": a sorted set, since the order of fd lists is not documented. */
static inline void fmt_fd_set(char *buf, size_t len, OSSL_ASYNC_FD *fds,
			      size_t n)
{
	size_t i, off;

	qsort(fds, n, sizeof(*fds), fd_cmp);
	off = (size_t)snprintf(buf, len, "{");
	for (i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%d",
					i ? "," : "", (int)fds[i]);
	if (off < len)
		snprintf(buf + off, len - off, "}");
}

#define FD_LIST_MAX 64
#define FD_STR_MAX 1024	/* a formatted result */
#define FD_SET_MAX 400	/* one formatted set */

/*
 * ASYNC_WAIT_CTX_get_all_fds() as the manual says to use it: count with a
 * NULL array, then fill.  Checks the two counts agree and that nothing is
 * written past the count.  Returns 1, or 0 with an explanation in buf.
 */
static inline int all_fds_str(ASYNC_WAIT_CTX *ctx, char *buf, size_t len)
{
	OSSL_ASYNC_FD fds[FD_LIST_MAX + 2];
	size_t n = 12345, n2 = 54321, i;

	if (ASYNC_WAIT_CTX_get_all_fds(ctx, NULL, &n) != 1) {
		snprintf(buf, len, "get_all_fds(NULL) failed");
		return 0;
	}
	if (n > FD_LIST_MAX) {
		snprintf(buf, len, "count %zu too large", n);
		return 0;
	}
	for (i = 0; i < FD_LIST_MAX + 2; i++)
		fds[i] = SENTINEL_FD;
	if (ASYNC_WAIT_CTX_get_all_fds(ctx, fds, &n2) != 1) {
		snprintf(buf, len, "get_all_fds(array) failed");
		return 0;
	}
	if (n2 != n) {
		snprintf(buf, len, "count %zu, then %zu", n, n2);
		return 0;
	}
	if (fds[n] != SENTINEL_FD) {
		snprintf(buf, len, "wrote past the count");
		return 0;
	}
	fmt_fd_set(buf, len, fds, n);
	return 1;
}

/*
 * ASYNC_WAIT_CTX_get_changed_fds() in every NULL/non-NULL combination; they
 * must agree.  Result: "+N{added} -M{deleted}".
 */
static inline int changed_fds_str(ASYNC_WAIT_CTX *ctx, char *buf, size_t len)
{
	OSSL_ASYNC_FD add[FD_LIST_MAX + 2], del[FD_LIST_MAX + 2];
	OSSL_ASYNC_FD add2[FD_LIST_MAX + 2], del2[FD_LIST_MAX + 2];
	size_t na = 999, nd = 999, na2 = 998, nd2 = 998, i;
	char as[FD_SET_MAX], ds[FD_SET_MAX], as2[FD_SET_MAX], ds2[FD_SET_MAX];

	if (ASYNC_WAIT_CTX_get_changed_fds(ctx, NULL, &na, NULL, &nd) != 1) {
		snprintf(buf, len, "get_changed_fds(NULL, NULL) failed");
		return 0;
	}
	if (na > FD_LIST_MAX || nd > FD_LIST_MAX) {
		snprintf(buf, len, "counts %zu/%zu too large", na, nd);
		return 0;
	}
	for (i = 0; i < FD_LIST_MAX + 2; i++)
		add[i] = del[i] = add2[i] = del2[i] = SENTINEL_FD;
	/* Both arrays at once. */
	if (ASYNC_WAIT_CTX_get_changed_fds(ctx, add, &na2, del, &nd2) != 1 ||
	    na2 != na || nd2 != nd) {
		snprintf(buf, len, "get_changed_fds(add, del) disagrees");
		return 0;
	}
	if (add[na] != SENTINEL_FD || del[nd] != SENTINEL_FD) {
		snprintf(buf, len, "wrote past a count");
		return 0;
	}
	/* One array at a time: the other one may be NULL. */
	na2 = nd2 = 997;
	if (ASYNC_WAIT_CTX_get_changed_fds(ctx, add2, &na2, NULL, &nd2) != 1 ||
	    na2 != na || nd2 != nd) {
		snprintf(buf, len, "get_changed_fds(add, NULL) disagrees");
		return 0;
	}
	na2 = nd2 = 996;
	if (ASYNC_WAIT_CTX_get_changed_fds(ctx, NULL, &na2, del2, &nd2) != 1 ||
	    na2 != na || nd2 != nd) {
		snprintf(buf, len, "get_changed_fds(NULL, del) disagrees");
		return 0;
	}
	fmt_fd_set(as, sizeof(as), add, na);
	fmt_fd_set(ds, sizeof(ds), del, nd);
	fmt_fd_set(as2, sizeof(as2), add2, na);
	fmt_fd_set(ds2, sizeof(ds2), del2, nd);
	if (strcmp(as, as2) || strcmp(ds, ds2)) {
		snprintf(buf, len, "lists differ between calls");
		return 0;
	}
	snprintf(buf, len, "+%zu%s -%zu%s", na, as, nd, ds);
	return 1;
}

/* Assertions on the formatted forms, usable inside TEST() bodies. */
#define EXPECT_ALL_FDS(ctx, want) do {					\
	char _b[FD_STR_MAX];					\
	EXPECT_EQ(1, all_fds_str(ctx, _b, sizeof(_b))) TH_LOG("%s", _b); \
	EXPECT_STREQ(want, _b);						\
} while (0)

#define EXPECT_CHANGED(ctx, want) do {					\
	char _b[FD_STR_MAX];					\
	EXPECT_EQ(1, changed_fds_str(ctx, _b, sizeof(_b))) TH_LOG("%s", _b); \
	EXPECT_STREQ(want, _b);						\
} while (0)

#endif /* ASYNC_TEST_H */
