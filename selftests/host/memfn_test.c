// SPDX-License-Identifier: Apache-2.0
/*
 * ASYNC_set_mem_functions(3) / ASYNC_get_mem_functions(3) (OpenSSL 3.2):
 * the job stack allocator can be replaced until the first job stack is
 * allocated.  libcrypto 3.0 does not have them: the tests skip there.
 * Every test runs in its own process (the harness forks), so each starts
 * before any job exists.
 */
#include <stdint.h>

#include "async_test.h"
#include "kselftest_harness.h"

#if HAVE_ASYNC_MEM_FUNCTIONS

#define MAX_STACKS 16

static struct {
	void *addr[MAX_STACKS];
	size_t asked[MAX_STACKS], given[MAX_STACKS];
	int allocs, frees, bad_frees;
	size_t grow_to;		/* when set, hand out bigger stacks */
	int fail;		/* when set, fail every allocation */
} mem;

static void *test_alloc(size_t *num)
{
	void *p;

	if (mem.fail || mem.allocs >= MAX_STACKS)
		return NULL;
	mem.asked[mem.allocs] = *num;
	if (mem.grow_to > *num)
		*num = mem.grow_to;
	p = malloc(*num);
	if (p) {
		mem.addr[mem.allocs] = p;
		mem.given[mem.allocs] = *num;
		mem.allocs++;
	}
	return p;
}

static void test_free(void *addr)
{
	int i;

	for (i = 0; i < mem.allocs; i++)
		if (mem.addr[i] == addr) {
			mem.addr[i] = NULL;
			mem.frees++;
			free(addr);
			return;
		}
	mem.bad_frees++;
}

static int on_which_stack(uintptr_t p)
{
	int i;

	for (i = 0; i < mem.allocs; i++)
		if (mem.addr[i] && p >= (uintptr_t)mem.addr[i] &&
		    p < (uintptr_t)mem.addr[i] + mem.given[i])
			return i;
	return -1;
}

static int where_job(void *arg)
{
	volatile int local = 0;

	*JOB_STATE(int, arg) = on_which_stack((uintptr_t)&local);
	ASYNC_pause_job();
	return local + 5;
}

TEST(defaults)
{
	ASYNC_stack_alloc_fn a = NULL;
	ASYNC_stack_free_fn f = NULL;

	ASYNC_get_mem_functions(&a, &f);
	EXPECT_NE(NULL, (void *)a);
	EXPECT_NE(NULL, (void *)f);
	/* Either output may be NULL. */
	ASYNC_get_mem_functions(NULL, &f);
	ASYNC_get_mem_functions(&a, NULL);
	ASYNC_get_mem_functions(NULL, NULL);
}

TEST(custom_functions_are_used)
{
	ASYNC_stack_alloc_fn a = NULL;
	ASYNC_stack_free_fn f = NULL;
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int ret = 0, where = -2;

	ASSERT_NE(NULL, ctx);
	ASSERT_EQ(1, ASYNC_set_mem_functions(test_alloc, test_free));
	ASYNC_get_mem_functions(&a, &f);
	EXPECT_TRUE(a == test_alloc);
	EXPECT_TRUE(f == test_free);

	ASSERT_EQ(ASYNC_PAUSE, start_job(&job, ctx, &ret, where_job, &where));
	ASSERT_LE(1, mem.allocs);
	/* Asked for no less than OpenSSL's 32 KiB. */
	EXPECT_LE(32768, mem.asked[0]);
	/* The job really runs on memory from the custom allocator. */
	EXPECT_LE(0, where);
	ASSERT_EQ(ASYNC_FINISH, start_job(&job, ctx, &ret, where_job, &where));
	EXPECT_EQ(5, ret);
	EXPECT_EQ(0, mem.frees);
	/* Freeing the pool frees every stack through the custom function. */
	ASYNC_cleanup_thread();
	EXPECT_EQ(mem.allocs, mem.frees);
	EXPECT_EQ(0, mem.bad_frees);
	ASYNC_WAIT_CTX_free(ctx);
}

static int big_frame_job(void *arg)
{
	volatile unsigned char buf[96 * 1024];
	unsigned int s = 0;
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)i;
	ASYNC_pause_job();
	for (i = 0; i < sizeof(buf); i += 4096)
		s += buf[i + 1];
	return (int)s;
}

TEST(allocator_may_grow_the_stack)
{
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int ret = 0;

	ASSERT_NE(NULL, ctx);
	/* The size is in/out: a bigger stack than asked is used in full. */
	mem.grow_to = 256 * 1024;
	ASSERT_EQ(1, ASYNC_set_mem_functions(test_alloc, test_free));
	ASSERT_EQ(ASYNC_PAUSE, ASYNC_start_job(&job, ctx, &ret, big_frame_job, NULL, 0));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, big_frame_job, NULL, 0));
	EXPECT_EQ(24, ret);
	ASYNC_cleanup_thread();
	EXPECT_EQ(mem.allocs, mem.frees);
	ASYNC_WAIT_CTX_free(ctx);
}

TEST(refused_after_first_job)
{
	ASYNC_stack_alloc_fn a0 = NULL, a = NULL;
	ASYNC_stack_free_fn f0 = NULL, f = NULL;
	ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int ret, where;

	ASSERT_NE(NULL, ctx);
	ASYNC_get_mem_functions(&a0, &f0);
	ASSERT_EQ(ASYNC_PAUSE, start_job(&job, ctx, &ret, where_job, &where));
	ASSERT_EQ(ASYNC_FINISH, ASYNC_start_job(&job, ctx, &ret, where_job, NULL, 0));
	/* A job stack exists: too late. */
	EXPECT_EQ(0, ASYNC_set_mem_functions(test_alloc, test_free));
	ASYNC_get_mem_functions(&a, &f);
	EXPECT_TRUE(a == a0);
	EXPECT_TRUE(f == f0);
	/* Even after the pool is gone. */
	ASYNC_cleanup_thread();
	EXPECT_EQ(0, ASYNC_set_mem_functions(test_alloc, test_free));
	EXPECT_EQ(0, mem.allocs);
	ASYNC_WAIT_CTX_free(ctx);
}

TEST(refused_after_precreated_jobs)
{
	/* ASYNC_init_thread() with init_size > 0 allocates stacks. */
	ASSERT_EQ(1, ASYNC_init_thread(2, 2));
	EXPECT_EQ(0, ASYNC_set_mem_functions(test_alloc, test_free));
	ASYNC_cleanup_thread();
}

TEST(allowed_after_empty_pool)
{
	/* A pool without pre-created jobs allocates nothing yet. */
	ASSERT_EQ(1, ASYNC_init_thread(2, 0));
	EXPECT_EQ(1, ASYNC_set_mem_functions(test_alloc, test_free));
	ASYNC_cleanup_thread();
}

TEST(null_keeps_current)
{
	ASYNC_stack_alloc_fn a0 = NULL, a = NULL;
	ASYNC_stack_free_fn f0 = NULL, f = NULL;

	ASYNC_get_mem_functions(&a0, &f0);
	/* NULL means "keep the current one", each independently. */
	EXPECT_EQ(1, ASYNC_set_mem_functions(NULL, NULL));
	ASYNC_get_mem_functions(&a, &f);
	EXPECT_TRUE(a == a0 && f == f0);
	EXPECT_EQ(1, ASYNC_set_mem_functions(test_alloc, NULL));
	ASYNC_get_mem_functions(&a, &f);
	EXPECT_TRUE(a == test_alloc && f == f0);
	EXPECT_EQ(1, ASYNC_set_mem_functions(NULL, test_free));
	ASYNC_get_mem_functions(&a, &f);
	EXPECT_TRUE(a == test_alloc && f == test_free);
}

TEST(failing_allocator_means_no_jobs)
{
	ASYNC_JOB *job = NULL;
	int ret = 0x5a5a, where;

	mem.fail = 1;
	ASSERT_EQ(1, ASYNC_set_mem_functions(test_alloc, test_free));
	/* No stack, no job: OpenSSL answers ASYNC_NO_JOBS. */
	EXPECT_EQ(ASYNC_NO_JOBS, start_job(&job, NULL, &ret, where_job, &where));
	EXPECT_EQ(NULL, job);
	EXPECT_EQ(0x5a5a, ret);
	ASYNC_cleanup_thread();
}

#else /* !HAVE_ASYNC_MEM_FUNCTIONS */

TEST(mem_functions)
{
	SKIP(return, "libcrypto %s has no ASYNC_set_mem_functions() (added in 3.2)",
	     OPENSSL_FULL_VERSION_STR);
}

#endif

TEST_HARNESS_MAIN
