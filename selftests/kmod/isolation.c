// SPDX-License-Identifier: Apache-2.0
/*
 * Isolation: contexts are private.  Two processes' contexts share nothing;
 * a new context never shows bytes of an old one; an fd passed to another
 * process (SCM_RIGHTS) cannot be used to set up, ring or map the context.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

static int all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

TEST(fresh_context_is_zeroed)
{
	struct aoff_ring r;
	int round;

	AOFF_REQUIRE_DEVICE(_metadata);
	for (round = 0; round < 4; round++) {
		ASSERT_EQ(0, aoff_ring_init(&r, 16, 0, 64 * 1024));
		/* Nothing but the zero-initialised indexes, SQEs, CQEs, data. */
		EXPECT_TRUE(all_zero(r.map + r.s.off.sqes,
				     r.s.off.mmap_bytes - r.s.off.sqes));
		EXPECT_EQ(0, *r.sq_tail | *r.cq_head | *r.sq_head | *r.cq_tail);
		memset(r.map + r.s.off.sqes, 0xff, r.s.off.mmap_bytes - r.s.off.sqes);
		aoff_ring_exit(&r);
	}
}

TEST(two_processes)
{
	struct aoff_ring r;
	struct aoff_cqe c[64];
	int status, i, n = 0;
	pid_t pid;

	AOFF_REQUIRE_DEVICE(_metadata);
	ASSERT_EQ(0, aoff_ring_init(&r, 32, 0, 4096));
	memset(r.data, 0xaa, r.s.data_bytes);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct aoff_ring q;
		int code = 0, got = 0;

		/* The parent's ring is gone from here (not inherited). */
		close(r.fd);
		if (aoff_ring_init(&q, 32, 0, 4096))
			_exit(1);
		if (!all_zero(q.data, q.s.data_bytes))
			code |= 2;
		for (i = 0; i < 32; i++)
			aoff_prep_nop(&q, 0xc0de0000u + i);
		if (aoff_enter(&q, 32, 32, 5000000000ll) != 32)
			code |= 4;
		got = aoff_reap(&q, c, 64);
		for (i = 0; i < got; i++)
			if (c[i].user_data != 0xc0de0000u + i)
				code |= 8;
		if (got != 32)
			code |= 16;
		memset(q.data, 0x55, q.s.data_bytes);
		aoff_ring_exit(&q);
		_exit(code);
	}
	for (i = 0; i < 32; i++)
		aoff_prep_nop(&r, 0xfeed0000u + i);
	ASSERT_EQ(32, aoff_enter(&r, 32, 32, 5000000000ll));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("child status %#x", status);
	/* Only our own completions, and our data untouched. */
	n = aoff_reap(&r, c, 64);
	EXPECT_EQ(32, n);
	for (i = 0; i < n; i++)
		EXPECT_EQ(0xfeed0000u + i, c[i].user_data);
	EXPECT_EQ(0, aoff_cq_ready(&r));
	for (i = 0; i < (int)r.s.data_bytes; i++)
		if (r.data[i] != 0xaa)
			break;
	EXPECT_EQ(r.s.data_bytes, i);
	aoff_ring_exit(&r);
}

static int send_fd(int sock, int fd)
{
	char buf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 'x';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = buf, .msg_controllen = sizeof(buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &m, 0) == 1 ? 0 : -errno;
}

static int recv_fd(int sock)
{
	char buf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = buf, .msg_controllen = sizeof(buf) };
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &m, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&m);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

TEST(passed_fd_is_useless)
{
	struct aoff_setup s;
	int sv[2], status, fd;
	pid_t pid;

	AOFF_REQUIRE_DEVICE(_metadata);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	/* The receiver is an unrelated exec-less child; send after fork. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct aoff_enter e = { 0 };
		int code = 0, rfd;

		close(sv[0]);
		rfd = recv_fd(sv[1]);
		if (rfd < 0)
			_exit(1);
		if (aoff_setup_fd(rfd, &s, 1, 0, 0) != -EPERM)
			code |= 2;
		if (aoff_ioctl(rfd, AOFF_IOC_ENTER, &e) != -EPERM)
			code |= 4;
		if (mmap(NULL, 4096, PROT_READ, MAP_SHARED, rfd, 0) != MAP_FAILED ||
		    errno != EPERM)
			code |= 8;
		_exit(code);
	}
	close(sv[1]);
	/* Opened after the fork: the child never had it. */
	fd = aoff_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, send_fd(sv[0], fd));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("child status %#x", status);
	/* Still ours: setup works here. */
	EXPECT_EQ(0, aoff_setup_fd(fd, &s, 1, 0, 0));
	close(fd);
	close(sv[0]);
}

TEST_HARNESS_MAIN
