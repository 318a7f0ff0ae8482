// SPDX-License-Identifier: Apache-2.0
/*
 * Lifetimes: close with requests in flight, munmap before and after close,
 * a process killed mid-flight, fork (the child inherits the fd but cannot
 * use the context, and does not inherit the mapping), rmmod refused while a
 * context is open or mapped, and unload/reload (needs AOFF_MODULE, which
 * the QEMU runner sets).
 */
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

#define MODNAME "asyncoff"

/* Queues n NOPs (n <= sq_entries) and rings without waiting. */
static int queue_nops(struct aoff_ring *r, uint32_t n, uint64_t base)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (!aoff_prep_nop(r, base + i))
			break;
	return aoff_enter(r, i, 0, -1);
}

static int nop_round_trip(void)
{
	struct aoff_ring r;
	struct aoff_cqe c;
	int ret = aoff_ring_init(&r, 2, 0, 0);

	if (ret)
		return ret;
	if (!aoff_prep_nop(&r, 42) || aoff_enter(&r, 1, 1, 5000000000ll) != 1 ||
	    aoff_reap(&r, &c, 1) != 1 || c.user_data != 42 || c.res)
		ret = -EIO;
	aoff_ring_exit(&r);
	return ret;
}

TEST(close_in_flight)
{
	struct aoff_ring r;
	int i;

	AOFF_REQUIRE_DEVICE(_metadata);
	for (i = 0; i < 200; i++) {
		ASSERT_EQ(0, aoff_ring_init(&r, 64, 0, 4096));
		ASSERT_EQ(64, queue_nops(&r, 64, 0));
		/* Alternate which goes first: the fd or the mapping. */
		if (i & 1) {
			close(r.fd);
			r.fd = -1;
		}
		aoff_ring_exit(&r);
	}
	EXPECT_EQ(0, nop_round_trip());
}

TEST(close_before_munmap)
{
	struct aoff_ring r;
	uint64_t t0;

	AOFF_REQUIRE_DEVICE(_metadata);
	ASSERT_EQ(0, aoff_ring_init(&r, 32, 0, 4096));
	ASSERT_EQ(32, queue_nops(&r, 32, 1000));
	close(r.fd);
	r.fd = -1;
	/* The mapping keeps the context alive: the completions still land. */
	t0 = aoff_now_ns();
	while (aoff_cq_ready(&r) < 32 && aoff_now_ns() - t0 < 10000000000ull)
		usleep(1000);
	EXPECT_EQ(32, aoff_cq_ready(&r));
	EXPECT_EQ(1000, r.cqes[0].user_data);
	aoff_ring_exit(&r);
}

TEST(munmap_before_close)
{
	struct aoff_enter e = { 0 };
	struct aoff_ring r;

	AOFF_REQUIRE_DEVICE(_metadata);
	ASSERT_EQ(0, aoff_ring_init(&r, 8, 0, 4096));
	ASSERT_EQ(8, queue_nops(&r, 8, 0));
	munmap(r.map, r.map_len);
	r.map = NULL;
	/* The fd alone still works: wait for the completions, remap them. */
	e.min_complete = 8;
	e.flags = AOFF_ENTER_F_TIMEOUT;
	e.timeout_ns = 5000000000ll;
	ASSERT_EQ(0, aoff_ioctl(r.fd, AOFF_IOC_ENTER, &e));
	ASSERT_EQ(0, aoff_ring_map(&r));
	EXPECT_EQ(8, aoff_cq_ready(&r));
	aoff_ring_exit(&r);
}

TEST(killed_mid_flight)
{
	int round;

	AOFF_REQUIRE_DEVICE(_metadata);
	for (round = 0; round < 5; round++) {
		int status;
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid == 0) {
			struct aoff_ring r[4];
			struct aoff_cqe c[64];
			uint64_t ud = 0;
			int i;

			for (i = 0; i < 4; i++)
				if (aoff_ring_init(&r[i], 64, 0, 8192))
					_exit(1);
			for (;;)
				for (i = 0; i < 4; i++) {
					while (aoff_prep_nop(&r[i], ud))
						ud++;
					aoff_enter(&r[i], 64, 0, -1);
					aoff_reap(&r[i], c, 64);
				}
		}
		usleep(100000 + round * 50000);
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
	EXPECT_EQ(0, nop_round_trip());
}

TEST(fork_child_cannot_use_context)
{
	struct aoff_ring r;
	int status;
	pid_t pid;

	AOFF_REQUIRE_DEVICE(_metadata);
	ASSERT_EQ(0, aoff_ring_init(&r, 8, 0, 4096));
	ASSERT_EQ(8, queue_nops(&r, 8, 0));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct aoff_enter e = { 0 };
		struct aoff_setup s;
		struct aoff_info info = { .size = sizeof(info) };
		int code = 0;
		pid_t g;

		/* The inherited fd: info yes, the context no. */
		if (aoff_ioctl(r.fd, AOFF_IOC_INFO, &info))
			code |= 1;
		if (aoff_ioctl(r.fd, AOFF_IOC_ENTER, &e) != -EPERM)
			code |= 2;
		if (aoff_setup_fd(r.fd, &s, 1, 0, 0) != -EPERM)
			code |= 4;
		if (mmap(NULL, r.map_len, PROT_READ | PROT_WRITE, MAP_SHARED,
			 r.fd, 0) != MAP_FAILED || errno != EPERM)
			code |= 8;
		/* The mapping was not inherited. */
		g = fork();
		if (g == 0) {
			*(volatile uint8_t *)r.map = 1;
			_exit(0);
		}
		if (waitpid(g, &status, 0) != g || !WIFSIGNALED(status) ||
		    WTERMSIG(status) != SIGSEGV)
			code |= 16;
		/* Its own context works. */
		if (nop_round_trip())
			code |= 32;
		close(r.fd);
		_exit(code);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The parent's context is untouched by the child's close. */
	ASSERT_EQ(0, aoff_enter(&r, 0, 8, 5000000000ll));
	ASSERT_NE(NULL, aoff_prep_nop(&r, 99));
	EXPECT_EQ(1, aoff_enter(&r, 1, 9, 5000000000ll));
	aoff_ring_exit(&r);
}

/* ---- module unload / reload (last: it reloads the module) -------------- */

TEST(rmmod_refused_while_open)
{
	struct aoff_ring r;
	int ret;

	AOFF_REQUIRE_DEVICE(_metadata);
	if (!getenv("AOFF_MODULE") || geteuid())
		SKIP(return, "needs root and AOFF_MODULE (the QEMU runner)");
	ASSERT_EQ(0, aoff_ring_init(&r, 8, 0, 4096));
	ASSERT_EQ(8, queue_nops(&r, 8, 0));
	ret = aoff_delete_module(MODNAME, O_NONBLOCK);
	EXPECT_TRUE(ret == -EWOULDBLOCK || ret == -EBUSY) TH_LOG("ret %d", ret);
	/* Only the mapping left: still refused. */
	close(r.fd);
	r.fd = -1;
	ret = aoff_delete_module(MODNAME, O_NONBLOCK);
	EXPECT_TRUE(ret == -EWOULDBLOCK || ret == -EBUSY) TH_LOG("ret %d", ret);
	aoff_ring_exit(&r);
	EXPECT_EQ(0, access(aoff_dev_path(), F_OK));
}

TEST(zz_unload_and_reload)
{
	const char *mod = getenv("AOFF_MODULE");
	int i, ret = -EBUSY;

	AOFF_REQUIRE_DEVICE(_metadata);
	if (!mod || geteuid())
		SKIP(return, "needs root and AOFF_MODULE (the QEMU runner)");
	ASSERT_EQ(0, nop_round_trip());
	/* After close the unload is clean (the last fput may lag a little). */
	for (i = 0; i < 50 && ret; i++) {
		ret = aoff_delete_module(MODNAME, O_NONBLOCK);
		if (ret)
			usleep(20000);
	}
	ASSERT_EQ(0, ret);
	EXPECT_NE(0, access(aoff_dev_path(), F_OK));
	ASSERT_EQ(0, aoff_load_module(mod));
	for (i = 0; i < 100 && !aoff_have_device(); i++)
		usleep(10000);
	/* The reloaded driver works from a clean state. */
	EXPECT_EQ(0, nop_round_trip());
}

TEST_HARNESS_MAIN
