// SPDX-License-Identifier: Apache-2.0
/*
 * ABI hardening (issue 17): the cases an adversarial client found.
 *
 *   - a request that fails validation costs no modelled engine time, and
 *     no request holds an engine longer than the documented cap, so
 *     another context's NOP latency stays bounded under a flood;
 *   - AOFF_IOC_INFO writes min(size, sizeof) bytes and nothing more, and
 *     refuses absurd sizes before writing anything;
 *   - AOFF_IOC_ENTER ignores its output field on input (one struct
 *     reused across doorbells), and reports submitted on EIO too;
 *   - madvise(MADV_DOFORK) cannot make a fork child inherit the mapping;
 *   - the device's memory budget refuses setups (ENOMEM) while the
 *     machine still has memory to spare.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/sysinfo.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

#define NOP_UD	0x4e4f50ull

/* Submits one NOP on @r and returns its latency in ns, or 0 on failure. */
static uint64_t nop_latency(struct aoff_ring *r, uint64_t limit_ns)
{
	struct aoff_cqe c;
	uint64_t t0 = aoff_now_ns();

	if (!aoff_prep_nop(r, NOP_UD) || aoff_enter(r, 1, 0, -1) != 1)
		return 0;
	while (aoff_now_ns() - t0 < limit_ns) {
		aoff_enter(r, 0, 1, 100000000ll);
		if (aoff_reap(r, &c, 1) == 1)
			return c.user_data == NOP_UD && !c.res ?
			       aoff_now_ns() - t0 : 0;
	}
	return 0;
}

FIXTURE(engine) {
	long long saved[AOFF_NPARAMS];
	struct aoff_ring bad, victim;
};

FIXTURE_SETUP(engine)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	aoff_params_save(self->saved);
	self->bad.fd = self->victim.fd = -1;
	/* One engine: the offender and the victim share it. */
	ASSERT_EQ(0, aoff_sysfs_set("engines", 1));
	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 0));
	ASSERT_EQ(0, aoff_sysfs_set("fail_every", 0));
	ASSERT_EQ(0, aoff_sysfs_set("fail_ppm", 0));
	ASSERT_EQ(0, aoff_ring_init(&self->bad, 256, 256, 64 * 1024));
	ASSERT_EQ(0, aoff_ring_init(&self->victim, 4, 0, 4096));
}

FIXTURE_TEARDOWN(engine)
{
	aoff_ring_exit(&self->bad);
	aoff_ring_exit(&self->victim);
	aoff_params_restore(self->saved);
}

/*
 * SHA256_MIDDLE naming a valid slot with an -EFAULT range goes through an
 * engine (its slot is emptied in order); at 4 GiB it used to cost 7 min of
 * engine time each at ns_per_kib = 100000.
 */
TEST_F_TIMEOUT(engine, failed_requests_cost_nothing, 60)
{
	struct aoff_cqe c[256];
	uint64_t lat, t0;
	unsigned int i, got = 0;

	ASSERT_EQ(0, aoff_sysfs_set("ns_per_kib", 100000));
	for (i = 0; i < 256; i++) {
		struct aoff_sqe *sqe = aoff_get_sqe(&self->bad);

		ASSERT_NE(NULL, sqe);
		sqe->opcode = AOFF_OP_SHA256_MIDDLE;
		sqe->in_len = 0xffffffffu;
		sqe->hash.state_slot = 0;
		sqe->user_data = i;
	}
	t0 = aoff_now_ns();
	ASSERT_EQ(256, aoff_enter(&self->bad, 256, 0, -1));
	lat = nop_latency(&self->victim, 10000000000ull);
	ASSERT_NE(0, lat);
	ksft_print_msg("NOP behind 256 failing 4 GiB requests: %llu us\n",
		       (unsigned long long)(lat / 1000));
	EXPECT_LT(lat, 1000000000ull);
	/* And the offender's own failures come back at once. */
	while (got < 256 && aoff_now_ns() - t0 < 5000000000ull) {
		aoff_enter(&self->bad, 0, 1, 100000000ll);
		got += aoff_reap(&self->bad, c + got, 256 - got);
	}
	ASSERT_EQ(256, got);
	for (i = 0; i < got; i++)
		EXPECT_GT(0, c[i].res);
}

/*
 * Valid requests at the largest ns_per_kib: 64 KiB would take 6.5 s each;
 * the per-request cap (1 s) and per-request arbitration keep a second
 * context's NOP within about one cap.
 */
TEST_F_TIMEOUT(engine, one_request_holds_an_engine_at_most_the_cap, 60)
{
	uint64_t lat;
	unsigned int i, k;

	ASSERT_EQ(0, aoff_sysfs_set("ns_per_kib", 100000000));
	for (i = 0; i < 8; i++) {
		struct aoff_sqe *sqe = aoff_get_sqe(&self->bad);

		ASSERT_NE(NULL, sqe);
		sqe->opcode = AOFF_OP_SHA256;
		sqe->in_len = 64 * 1024 - 32;
		sqe->out_off = 64 * 1024 - 32;
		sqe->out_len = 32;
		sqe->user_data = i;
	}
	ASSERT_EQ(8, aoff_enter(&self->bad, 8, 0, -1));
	/* Twice: the victim gets every other request, not one per queue. */
	for (k = 0; k < 2; k++) {
		lat = nop_latency(&self->victim, 20000000000ull);
		ASSERT_NE(0, lat);
		ksft_print_msg("NOP %u behind 8 x 6.5 s requests: %llu ms\n", k,
			       (unsigned long long)(lat / 1000000));
		EXPECT_LT(lat, 2500000000ull);
	}
	/* Closing cancels the offender's queue; reset empties the engine. */
	aoff_ring_exit(&self->bad);
	aoff_ring_exit(&self->victim);
	ASSERT_EQ(0, aoff_sysfs_write("reset", "1"));
}

/* AOFF_IOC_INFO against a buffer of canaries. */
FIXTURE(info) {
	int fd;
	uint8_t buf[8192] __attribute__((aligned(8)));
};

FIXTURE_SETUP(info)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	self->fd = aoff_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(info)
{
	if (self->fd >= 0)
		close(self->fd);
}

FIXTURE_VARIANT(info) {
	uint32_t size;
	int ret;
};

FIXTURE_VARIANT_ADD(info, zero) { .size = 0, .ret = -EINVAL };
FIXTURE_VARIANT_ADD(info, too_short) { .size = AOFF_INFO_SIZE_VER0 - 1, .ret = -EINVAL };
FIXTURE_VARIANT_ADD(info, exact) { .size = sizeof(struct aoff_info), .ret = 0 };
FIXTURE_VARIANT_ADD(info, longer) { .size = 256, .ret = 0 };
FIXTURE_VARIANT_ADD(info, max) { .size = AOFF_INFO_SIZE_MAX, .ret = 0 };
FIXTURE_VARIANT_ADD(info, past_max) { .size = AOFF_INFO_SIZE_MAX + 1, .ret = -E2BIG };
FIXTURE_VARIANT_ADD(info, page_pair) { .size = 8192, .ret = -E2BIG };
FIXTURE_VARIANT_ADD(info, u32_max) { .size = 0xffffffffu, .ret = -E2BIG };

TEST_F(info, writes_min_size_and_nothing_more)
{
	struct aoff_info *i = (struct aoff_info *)self->buf;
	size_t written = 0, k;

	memset(self->buf, 0xcc, sizeof(self->buf));
	i->size = variant->size;
	EXPECT_EQ(variant->ret, aoff_ioctl(self->fd, AOFF_IOC_INFO, i));
	if (!variant->ret) {
		written = sizeof(*i);
		EXPECT_EQ(sizeof(*i), i->size);
		EXPECT_EQ(AOFF_ABI_VERSION, i->abi_version);
		EXPECT_EQ(0, i->resv0);
	} else {
		/* Refused: not even the size field changed. */
		EXPECT_EQ(variant->size, i->size);
		written = sizeof(i->size);
	}
	for (k = written; k < sizeof(self->buf); k++)
		if (self->buf[k] != 0xcc)
			break;
	EXPECT_EQ(sizeof(self->buf), k) TH_LOG("byte %zu written", k);
}

FIXTURE(enter) {
	struct aoff_ring r;
	long long saved[AOFF_NPARAMS];
};

FIXTURE_SETUP(enter)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	aoff_params_save(self->saved);
	ASSERT_EQ(0, aoff_ring_init(&self->r, 8, 0, 4096));
}

FIXTURE_TEARDOWN(enter)
{
	aoff_ring_exit(&self->r);
	aoff_params_restore(self->saved);
}

/* The documented pattern: fill the struct once, ring many times. */
TEST_F(enter, one_struct_reused_across_doorbells)
{
	struct aoff_enter e;
	struct aoff_cqe c;
	unsigned int k;

	memset(&e, 0, sizeof(e));
	e.to_submit = 1;
	e.min_complete = 1;
	e.flags = AOFF_ENTER_F_TIMEOUT;
	e.timeout_ns = 5000000000ull;
	for (k = 0; k < 4; k++) {
		ASSERT_NE(NULL, aoff_prep_nop(&self->r, k));
		aoff_publish(&self->r);
		ASSERT_EQ(1, aoff_ioctl(self->r.fd, AOFF_IOC_ENTER, &e));
		EXPECT_EQ(1, e.submitted);
		ASSERT_EQ(1, aoff_reap(&self->r, &c, 1));
		EXPECT_EQ(k, c.user_data);
		EXPECT_EQ(0, c.res);
	}
}

static void *reset_later(void *arg)
{
	(void)arg;
	usleep(200000);
	aoff_sysfs_write("reset", "1");
	return NULL;
}

/* A reset during the wait: EIO, and submitted still says what was taken. */
TEST_F_TIMEOUT(enter, submitted_reported_on_eio, 30)
{
	struct aoff_enter e;
	pthread_t t;
	struct aoff_cqe c;

	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 2000000000ull));
	ASSERT_NE(NULL, aoff_prep_nop(&self->r, 7));
	aoff_publish(&self->r);
	memset(&e, 0, sizeof(e));
	e.to_submit = 1;
	e.min_complete = 2;	/* more than will ever come: the reset ends it */
	e.flags = AOFF_ENTER_F_TIMEOUT;
	e.timeout_ns = 10000000000ull;
	ASSERT_EQ(0, pthread_create(&t, NULL, reset_later, NULL));
	EXPECT_EQ(-EIO, aoff_ioctl(self->r.fd, AOFF_IOC_ENTER, &e));
	pthread_join(t, NULL);
	EXPECT_EQ(1, e.submitted);
	ASSERT_EQ(1, aoff_reap(&self->r, &c, 1));
	EXPECT_EQ(7, c.user_data);
	EXPECT_EQ(-ECANCELED, c.res);
}

FIXTURE(fork) { struct aoff_ring r; };
FIXTURE_SETUP(fork)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	ASSERT_EQ(0, aoff_ring_init(&self->r, 8, 0, 4096));
}
FIXTURE_TEARDOWN(fork) { aoff_ring_exit(&self->r); }

TEST_F(fork, madv_dofork_does_not_share_the_region)
{
	int status, ret;
	pid_t pid;

	self->r.data[0] = 0x5a;
	ret = madvise(self->r.map, self->r.map_len, MADV_DOFORK);
	/* Device memory (VM_IO): madvise may not clear VM_DONTCOPY. */
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(EINVAL, errno);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* No mapping here: this access must kill the child. */
		volatile uint8_t *p = self->r.data;

		signal(SIGSEGV, SIG_DFL);
		p[0] = 0xa5;
		_exit(p[0] == 0xa5 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
		TH_LOG("child status %#x: it could use the region", status);
	EXPECT_EQ(0x5a, self->r.data[0]);
}

/* What VM_IO costs, as the header says: CPU access yes, page pinning no. */
TEST_F(fork, region_is_device_memory)
{
	struct iovec local, remote;
	uint8_t out[16];
	int p[2];

	memset(self->r.data, 0x3c, 16);
	ASSERT_EQ(0, pipe(p));
	EXPECT_EQ(16, write(p[1], self->r.data, 16));
	EXPECT_EQ(16, read(p[0], out, 16));
	EXPECT_EQ(0, memcmp(out, self->r.data, 16));
	close(p[0]);
	close(p[1]);
	local.iov_base = out;
	local.iov_len = sizeof(out);
	remote.iov_base = self->r.data;
	remote.iov_len = sizeof(out);
	errno = 0;
	EXPECT_EQ(-1, process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
	/* The sanitizer kernel is tinyconfig: no CROSS_MEMORY_ATTACH. */
	if (errno == ENOSYS)
		SKIP(return, "process_vm_readv is not built into this kernel");
	EXPECT_EQ(EFAULT, errno);
}

#define BIG_REGION	(16ull << 20)

/* Whether a child can still allocate and touch @bytes of anonymous memory. */
static int system_has_memory(size_t bytes)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 0;
	if (pid == 0) {
		uint8_t *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED)
			_exit(1);
		memset(m, 1, bytes);
		_exit(0);
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

TEST(budget_refuses_before_the_machine_runs_out)
{
	struct aoff_info info = { .size = sizeof(info) };
	static struct aoff_ring r[256];
	struct sysinfo si;
	unsigned int n = 0, k;
	uint64_t ram;
	int fd, ret = 0;

	AOFF_REQUIRE_DEVICE(_metadata);
	if (geteuid() != 0)
		SKIP(return, "needs root: RLIMIT_MEMLOCK would refuse first");
	ASSERT_EQ(0, sysinfo(&si));
	ram = (uint64_t)si.totalram * si.mem_unit;
	fd = aoff_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, aoff_ioctl(fd, AOFF_IOC_INFO, &info));
	close(fd);
	ksft_print_msg("RAM %llu MiB, dev_bytes_max %llu MiB\n",
		       (unsigned long long)(ram >> 20),
		       (unsigned long long)(info.dev_bytes_max >> 20));
	/* The documented default: a quarter of RAM. */
	EXPECT_GE(ram / 4, info.dev_bytes_max);
	EXPECT_LT(ram / 4 - info.dev_bytes_max, 1ull << 20);

	for (n = 0; n < 256; n++) {
		ret = aoff_ring_init(&r[n], 1, 0, BIG_REGION - 4096);
		if (ret)
			break;
	}
	ksft_print_msg("%u regions of 16 MiB before %s\n", n, strerror(-ret));
	EXPECT_EQ(-ENOMEM, ret);
	EXPECT_GE(info.dev_bytes_max, n * BIG_REGION);
	EXPECT_LT(info.dev_bytes_max, (n + 1) * BIG_REGION);
	/* The device still works, and so does the machine. */
	if (n)
		EXPECT_NE(0, nop_latency(&r[0], 10000000000ull));
	EXPECT_TRUE(system_has_memory(64u << 20));
	for (k = 0; k < n; k++)
		aoff_ring_exit(&r[k]);
	/* The budget comes back with the memory. */
	ASSERT_EQ(0, aoff_ring_init(&r[0], 1, 0, BIG_REGION - 4096));
	EXPECT_NE(0, nop_latency(&r[0], 10000000000ull));
	aoff_ring_exit(&r[0]);
}

TEST_HARNESS_MAIN
