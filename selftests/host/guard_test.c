// SPDX-License-Identifier: Apache-2.0
/*
 * Job stack overflow.  The runtime puts a guard page under every job stack,
 * so a job that recurses past its stack dies at once by SIGSEGV instead of
 * writing over whatever lies below.  Each overflow runs in a child process.
 * libcrypto's job stacks are plain heap blocks without a guard: skipped.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "async_test.h"
#include "kselftest_harness.h"

/* What the child saw, in memory shared with the parent. */
struct probe {
	uintptr_t sp;		/* a local of the job, near its stack top */
	uintptr_t lo, hi;	/* the mapping holding it */
	int found;
	int below_mapped;	/* a mapping ends exactly at lo */
	char below_perms[8];
	volatile uintptr_t lowest;	/* lowest frame fully written */
	volatile long depth;
	int survived;
};

static struct probe *probe;

/* Finds the mapping holding addr and what sits right under it. */
static void read_maps(uintptr_t addr)
{
	char line[512], perms[8];
	unsigned long lo, hi;
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
			continue;
		if (addr >= lo && addr < hi) {
			probe->lo = lo;
			probe->hi = hi;
			probe->found = 1;
		}
	}
	if (probe->found) {
		rewind(f);
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
				continue;
			if (hi == probe->lo) {
				probe->below_mapped = 1;
				memcpy(probe->below_perms, perms, sizeof(perms));
			}
		}
	}
	fclose(f);
}

static long max_depth;

__attribute__((noinline)) static long recurse(long n)
{
	volatile char frame[512];

	frame[0] = (char)n;
	frame[sizeof(frame) - 1] = (char)n;
	probe->lowest = (uintptr_t)frame;
	probe->depth = n;
	if (n >= max_depth)
		return frame[0];
	/* Not a tail call: the frame stays live under the callee. */
	return recurse(n + 1) + frame[sizeof(frame) - 1];
}

static int overflow_job(void *arg)
{
	volatile int top = 0;

	(void)arg;
	probe->sp = (uintptr_t)&top;
	read_maps(probe->sp);
	if (!probe->found)
		return -1;
	/* Deep enough to pass the bottom of the mapping by far. */
	max_depth = (long)((probe->sp - probe->lo) / 64) + 4096;
	return (int)recurse(0) + top;
}

static int pause_once(void *arg)
{
	(void)arg;
	ASYNC_pause_job();
	return 0;
}

/* Runs one overflowing job in a child; returns its wait status. */
static int run_overflow_child(int pause_first)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		ASYNC_WAIT_CTX *ctx = ASYNC_WAIT_CTX_new();
		ASYNC_JOB *job = NULL, *other = NULL;
		int ret = 0, n;

		/* No sanitizer or other handler may catch the fault. */
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		if (pause_first) {
			/* Another live job whose stack may lie right below. */
			for (n = 0; n < 4; n++) {
				other = NULL;
				ASYNC_start_job(&other, ctx, &ret, pause_once, NULL, 0);
			}
		}
		ASYNC_start_job(&job, ctx, &ret, overflow_job, NULL, 0);
		probe->survived = 1;
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	return status;
}

static void check_overflow(struct __test_metadata *_metadata, int status)
{
	TH_LOG("job stack %#lx-%#lx (%lu KiB), below: %s %s; deepest frame %ld at +%lu",
	       (unsigned long)probe->lo, (unsigned long)probe->hi,
	       (unsigned long)(probe->hi - probe->lo) / 1024,
	       probe->below_mapped ? "mapped" : "unmapped", probe->below_perms,
	       (long)probe->depth, (unsigned long)(probe->lowest - probe->lo));
	ASSERT_EQ(1, probe->found);
	/* Died by SIGSEGV, did not run on. */
	EXPECT_EQ(0, probe->survived);
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGSEGV, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	/* The page under the stack is a guard, or nothing at all. */
	if (probe->below_mapped)
		EXPECT_STREQ("---p", probe->below_perms);
	/* Nothing was written below the stack: the fault came at its edge. */
	EXPECT_LE(probe->lo, probe->lowest);
	EXPECT_GT(probe->lo + 16384, probe->lowest);
	/* And the stack itself is no smaller than OpenSSL's 32 KiB. */
	EXPECT_LE(32768, probe->hi - probe->lo);
}

static int map_probe(void)
{
	probe = mmap(NULL, sizeof(*probe), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (probe == MAP_FAILED)
		return 0;
	memset((void *)probe, 0, sizeof(*probe));
	return 1;
}

TEST(overflow_faults_at_guard_page)
{
	if (!IMPL_IS_RUNTIME)
		SKIP(return, "libcrypto's job stacks are 32 KiB heap blocks with no "
		     "guard page: an overflow corrupts the heap instead of faulting");
	ASSERT_EQ(1, map_probe());
	check_overflow(_metadata, run_overflow_child(0));
}

TEST(overflow_next_to_other_jobs)
{
	if (!IMPL_IS_RUNTIME)
		SKIP(return, "libcrypto's job stacks have no guard page");
	/*
	 * Four paused jobs hold stacks that may sit right under the one that
	 * overflows: it must still fault at its own edge.
	 */
	ASSERT_EQ(1, map_probe());
	check_overflow(_metadata, run_overflow_child(1));
}

TEST_HARNESS_MAIN
