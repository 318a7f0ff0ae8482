// SPDX-License-Identifier: Apache-2.0
/*
 * Seeded fuzzer: random ioctls (right and wrong commands, random argument
 * bytes and sizes, bad pointers) and random SQEs (valid-ish and garbage),
 * random doorbells, occasional context re-creation, and a second context
 * whose whole mapping, indexes included, gets random writes.
 *
 * Invariants on the honest context: every CQE's res is one of the
 * documented values, and every consumed SQE completes exactly once.
 * The seed is printed; AOFF_FUZZ_SEED and AOFF_FUZZ_ITERS (default
 * 100000) reproduce or lengthen a run.  The kernel log is checked by the
 * QEMU runner.  A second test (model_params_and_completion_bound, below)
 * also varies the model's sysfs parameters and bounds completion times.
 */
#include <signal.h>
#include <sys/time.h>

#include "kselftest_harness.h"
#include "aoff_test.h"


/* A number near an interesting edge. */
static uint64_t rnd_edge(uint64_t limit)
{
	switch (aoff_rnd_below(6)) {
	case 0: return 0;
	case 1: return limit;
	case 2: return limit - aoff_rnd_below(17);
	case 3: return limit + aoff_rnd_below(17);
	case 4: return ~0ull - aoff_rnd_below(17);
	default: return aoff_rnd_below(limit + 1);
	}
}

struct fz {
	struct aoff_ring r;
	uint64_t consumed, reaped;	/* honest ring accounting */
	uint32_t last_head;
	uint64_t ud_next;
};

/*
 * The documented results without faults or resets: the bytes written
 * (a random opcode can be a valid hash or cipher request; it never writes
 * more than the data area) or a validation error.  -ENODATA is a MIDDLE
 * or LAST partial hash on an empty slot; -EKEYREJECTED, -EBADMSG and
 * -ERANGE are a public-key operation refusing its random key or operand;
 * -EBADMSG is also an AEAD tag mismatch and -EMSGSIZE an AEAD text or AAD
 * over its bound.
 */
static int res_ok(int32_t res, uint64_t data_bytes)
{
	if (res >= 0)
		return (uint64_t)res <= data_bytes;
	return res == -EINVAL || res == -EOPNOTSUPP || res == -EFAULT ||
	       res == -ENODATA || res == -EKEYREJECTED || res == -EBADMSG ||
	       res == -ERANGE || res == -EMSGSIZE;
}

static int fz_open(struct fz *f)
{
	uint32_t sq = 1u << aoff_rnd_below(8);

	memset(f, 0, sizeof(*f));
	return aoff_ring_init(&f->r, sq, aoff_rnd_below(2) ? 0 : sq << aoff_rnd_below(3),
			      aoff_rnd_below(4) * 4096 + aoff_rnd_below(4096));
}

/* Consumed SQEs are counted from the kernel's SQ head movement. */
static void fz_account(struct fz *f)
{
	uint32_t h = __atomic_load_n(f->r.sq_head, __ATOMIC_ACQUIRE);

	f->consumed += (uint32_t)(h - f->last_head);
	f->last_head = h;
}

static int fz_reap(struct fz *f)
{
	struct aoff_cqe c[64];
	unsigned int n, i;

	n = aoff_reap(&f->r, c, 64);
	for (i = 0; i < n; i++)
		if (!res_ok(c[i].res, f->r.s.data_bytes) || c[i].flags) {
			ksft_print_msg("CQE user_data %llu: res %d flags %#x\n",
				       (unsigned long long)c[i].user_data,
				       c[i].res, c[i].flags);
			return -1;
		}
	f->reaped += n;
	return 0;
}

static void fz_sqe(struct fz *f)
{
	struct aoff_sqe *sqe = aoff_get_sqe(&f->r);
	uint64_t db = f->r.s.data_bytes;

	if (!sqe)
		return;
	if (aoff_rnd_below(4) == 0) {
		aoff_rnd_fill(sqe, sizeof(*sqe));
	} else {
		sqe->opcode = aoff_rnd_below(8) ? AOFF_OP_NOP : (uint8_t)aoff_rnd();
		if (!aoff_rnd_below(8))
			sqe->flags = (uint8_t)aoff_rnd();
		if (!aoff_rnd_below(16))
			sqe->resv0 = (uint16_t)aoff_rnd();
		if (!aoff_rnd_below(16))
			sqe->op_flags = (uint32_t)aoff_rnd();
		sqe->in_off = rnd_edge(db);
		sqe->in_len = (uint32_t)rnd_edge(db);
		sqe->out_off = rnd_edge(db);
		sqe->out_len = (uint32_t)rnd_edge(db);
		if (!aoff_rnd_below(16))
			sqe->op_resv[aoff_rnd_below(3)] = aoff_rnd();
	}
	sqe->user_data = f->ud_next++;
}

static void fz_doorbell(struct fz *f)
{
	struct aoff_enter e;
	int ret;

	aoff_publish(&f->r);
	memset(&e, 0, sizeof(e));
	e.to_submit = aoff_rnd_below(3) ? aoff_sq_pending(&f->r) : (uint32_t)rnd_edge(64);
	e.min_complete = aoff_rnd_below(4) ? 0 : (uint32_t)aoff_rnd_below(4);
	e.flags = AOFF_ENTER_F_TIMEOUT;
	e.timeout_ns = aoff_rnd_below(200000);
	if (!aoff_rnd_below(32))
		e.flags = (uint32_t)aoff_rnd();
	if (!aoff_rnd_below(32))
		e.resv[aoff_rnd_below(2)] = aoff_rnd();
	ret = (int)aoff_ioctl(f->r.fd, AOFF_IOC_ENTER, &e);
	(void)ret;
	fz_account(f);
}

static unsigned long rnd_cmd(void)
{
	static const unsigned long known[] = {
		AOFF_IOC_SETUP, AOFF_IOC_ENTER, AOFF_IOC_INFO,
	};
	unsigned int dir = (unsigned int)aoff_rnd_below(4);
	unsigned int size = (unsigned int)aoff_rnd_below(1u << 14);

	if (aoff_rnd_below(2))
		return known[aoff_rnd_below(3)];
	/* Only our magic (and an unused one): never the VFS's own ioctls. */
	return _IOC(dir, aoff_rnd_below(4) ? AOFF_IOC_MAGIC : 0xb4,
		    (unsigned int)aoff_rnd_below(256), size);
}

static void fz_ioctl(int fd)
{
	static uint8_t buf[1 << 14] __attribute__((aligned(8)));
	void *arg = buf;
	long ret;

	aoff_rnd_fill(buf, aoff_rnd_below(512));
	if (!aoff_rnd_below(2))
		*(uint32_t *)buf = (uint32_t)rnd_edge(256);
	switch (aoff_rnd_below(8)) {
	case 0: arg = NULL; break;
	case 1: arg = (void *)(uintptr_t)aoff_rnd(); break;
	case 2: arg = buf + sizeof(buf) - aoff_rnd_below(64); break;
	default: break;
	}
	ret = aoff_ioctl(fd, rnd_cmd(), arg);
	(void)ret;
}

static void on_tick(int sig)
{
	(void)sig;
}

/*
 * Random doorbells may ask to wait for completions that never come; a
 * periodic signal turns any such wait into EINTR (which is also fuzzed).
 */
static void start_ticks(void)
{
	struct sigaction sa;
	struct itimerval it = { .it_interval = { .tv_usec = 20000 },
				.it_value = { .tv_usec = 20000 } };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tick;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

FIXTURE(fuzz) { int unused; };
FIXTURE_SETUP(fuzz) { AOFF_REQUIRE_DEVICE(_metadata); }
FIXTURE_TEARDOWN(fuzz) { }

TEST_F_TIMEOUT(fuzz, random_ioctls_and_sqes, 600)
{
	const char *s = getenv("AOFF_FUZZ_SEED"), *it = getenv("AOFF_FUZZ_ITERS");
	uint64_t seed = s ? strtoull(s, NULL, 0) : (aoff_now_ns() ^ (uint64_t)getpid());
	uint64_t iters = it ? strtoull(it, NULL, 0) : 100000, i, t0;
	struct fz f, chaos;
	int ret;

	ksft_print_msg("fuzz seed=%llu iterations=%llu (AOFF_FUZZ_SEED=%llu reproduces)\n",
		       (unsigned long long)seed, (unsigned long long)iters,
		       (unsigned long long)seed);
	*aoff_rnd_state() = seed | 1;
	start_ticks();
	ASSERT_EQ(0, fz_open(&f));
	ASSERT_EQ(0, fz_open(&chaos));

	for (i = 0; i < iters; i++) {
		switch (aoff_rnd_below(100)) {
		case 0 ... 54:
			fz_sqe(&f);
			break;
		case 55 ... 69:
			fz_doorbell(&f);
			break;
		case 70 ... 79:
			ASSERT_EQ(0, fz_reap(&f)) TH_LOG("bad CQE, seed %llu", (unsigned long long)seed);
			break;
		case 80 ... 89:
			fz_ioctl(aoff_rnd_below(4) ? f.r.fd : chaos.r.fd);
			break;
		case 90 ... 97: {
			/* Scribble over the chaos context, then ring it. */
			size_t off = aoff_rnd_below(chaos.r.map_len - 8);

			*(uint64_t *)(chaos.r.map + (off & ~7ul)) = aoff_rnd();
			if (aoff_rnd_below(2))
				*chaos.r.sq_tail = (uint32_t)rnd_edge(1024);
			fz_ioctl(chaos.r.fd);
			fz_doorbell(&chaos);
			break;
		}
		default:
			/* Recreate a context, with its requests in flight. */
			if (aoff_rnd_below(2)) {
				aoff_ring_exit(&chaos.r);
				ASSERT_EQ(0, fz_open(&chaos));
			} else {
				/* Settle the honest one's accounts first. */
				t0 = aoff_now_ns();
				aoff_enter(&f.r, 0, 0, -1);
				fz_account(&f);
				while (f.reaped < f.consumed &&
				       aoff_now_ns() - t0 < 10000000000ull) {
					aoff_enter(&f.r, 0, 1, 1000000000ll);
					ASSERT_EQ(0, fz_reap(&f));
				}
				ASSERT_EQ(f.consumed, f.reaped)
					TH_LOG("lost CQEs, seed %llu", (unsigned long long)seed);
				aoff_ring_exit(&f.r);
				ASSERT_EQ(0, fz_open(&f));
			}
			break;
		}
	}
	/* Final settlement. */
	t0 = aoff_now_ns();
	do {
		ret = aoff_enter(&f.r, aoff_sq_pending(&f.r), 0, -1);
		fz_account(&f);
		aoff_enter(&f.r, 0, 1, 100000000ll);
		ASSERT_EQ(0, fz_reap(&f));
	} while ((f.reaped < f.consumed || aoff_sq_pending(&f.r)) &&
		 aoff_now_ns() - t0 < 20000000000ull);
	(void)ret;
	EXPECT_EQ(f.consumed, f.reaped) TH_LOG("seed %llu", (unsigned long long)seed);
	EXPECT_EQ(0, aoff_sq_pending(&f.r));
	aoff_ring_exit(&f.r);
	aoff_ring_exit(&chaos.r);
}

/*
 * Second fuzzer: the model's parameters vary under a stream of random
 * SQEs of every opcode (mostly broken, as an adversary sends them: garbage
 * lengths, slots, keys), and every consumed SQE must get exactly one CQE
 * within MODEL_BOUND_NS of its doorbell.  That is the test that found a
 * failing partial hash charged engine time for 4 GiB it never read.
 * AOFF_FUZZ_SEED reproduces, AOFF_FUZZ_MODEL_ITERS (default 4000) lengthens.
 */
#define MODEL_BOUND_NS	3000000000ull
#define MODEL_TRACK	1024	/* > cq_entries: user_data modulo this */
#define MODEL_DATA	(16 * 1024)

struct fzm {
	struct aoff_ring r;
	uint64_t written, consumed, reaped, oldest;
	uint64_t t[MODEL_TRACK];
	uint8_t seen[MODEL_TRACK];
	uint64_t worst;
};

static void fzm_params(void)
{
	static const unsigned long long npk[] = { 0, 1000, 20000, 100000 };

	aoff_sysfs_set("engines", 1 + aoff_rnd_below(3));
	aoff_sysfs_set("latency_ns", aoff_rnd_below(4) ? aoff_rnd_below(2000000) : 0);
	aoff_sysfs_set("ns_per_kib", npk[aoff_rnd_below(4)]);
	aoff_sysfs_set("coalesce_frames", 1 + aoff_rnd_below(8));
	aoff_sysfs_set("coalesce_usecs", aoff_rnd_below(2) ? aoff_rnd_below(2000) : 0);
	aoff_sysfs_set("fail_every", aoff_rnd_below(3) ? 0 : aoff_rnd_below(8));
	aoff_sysfs_set("fail_ppm", aoff_rnd_below(3) ? 0 : aoff_rnd_below(200000));
}

static void fzm_sqe(struct fzm *f)
{
	static const uint32_t keys[] = { 16, 24, 32, 0, 17, 4096, 4097 };
	struct aoff_sqe *sqe = aoff_get_sqe(&f->r);
	uint64_t db = MODEL_DATA;

	if (!sqe)
		return;
	sqe->opcode = aoff_rnd_below(16) ? (uint8_t)aoff_rnd_below(AOFF_OP_LAST) : (uint8_t)aoff_rnd();
	sqe->in_off = aoff_rnd_below(2) ? aoff_rnd_below(db) : rnd_edge(db);
	sqe->in_len = (uint32_t)(aoff_rnd_below(2) ? aoff_rnd_below(db - sqe->in_off + 1) :
				 rnd_edge(db));
	if (!aoff_rnd_below(4))
		sqe->in_len = 0xffffffffu - (uint32_t)aoff_rnd_below(4);
	if (aoff_rnd_below(2)) {
		sqe->out_off = aoff_rnd_below(db - 64);
		sqe->out_len = aoff_rnd_below(2) ? 32 : (uint32_t)rnd_edge(db);
	}
	switch (sqe->opcode) {
	case AOFF_OP_SHA256_FIRST ... AOFF_OP_SHA256_LAST:
		sqe->hash.state_slot = (uint32_t)aoff_rnd_below(20);
		if (sqe->opcode != AOFF_OP_SHA256_LAST && aoff_rnd_below(2))
			sqe->out_off = sqe->out_len = 0;
		break;
	case AOFF_OP_HMAC_SHA256:
		sqe->hash.key_off = aoff_rnd_below(db);
		sqe->hash.key_len = keys[aoff_rnd_below(7)];
		break;
	case AOFF_OP_AES_CBC_ENCRYPT ... AOFF_OP_AES_CTR_DECRYPT:
		sqe->cipher.key_off = aoff_rnd_below(db);
		sqe->cipher.key_len = keys[aoff_rnd_below(7)];
		sqe->cipher.iv_off = aoff_rnd_below(db);
		if (aoff_rnd_below(2))
			sqe->out_off = sqe->in_off;
		sqe->out_len = sqe->in_len;
		break;
	default:
		break;
	}
	if (!aoff_rnd_below(32))
		sqe->op_resv[aoff_rnd_below(3)] = aoff_rnd();
	sqe->user_data = f->written++;
}

/* The kernel's SQ head says which SQEs (in order) were consumed. */
static void fzm_account(struct fzm *f)
{
	uint64_t c = f->written - aoff_sq_pending(&f->r), now = aoff_now_ns();

	for (; f->consumed < c; f->consumed++) {
		f->t[f->consumed % MODEL_TRACK] = now;
		f->seen[f->consumed % MODEL_TRACK] = 0;
	}
}

/* 0, or a message saying which invariant broke. */
static const char *fzm_reap(struct fzm *f)
{
	struct aoff_cqe c[64];
	unsigned int n, i;
	uint64_t now = aoff_now_ns(), ud, lat;

	n = aoff_reap(&f->r, c, 64);
	for (i = 0; i < n; i++) {
		ud = c[i].user_data;
		/* This fuzzer also turns on fault injection: -EIO. */
		if ((!res_ok(c[i].res, f->r.s.data_bytes) && c[i].res != -EIO) ||
		    c[i].flags)
			return "undocumented CQE";
		if (ud >= f->consumed || ud < f->oldest ||
		    f->seen[ud % MODEL_TRACK])
			return "CQE for no consumed SQE, or twice";
		f->seen[ud % MODEL_TRACK] = 1;
		lat = now - f->t[ud % MODEL_TRACK];
		if (lat > f->worst)
			f->worst = lat;
		if (lat > MODEL_BOUND_NS)
			return "CQE later than the bound";
	}
	f->reaped += n;
	while (f->oldest < f->consumed && f->seen[f->oldest % MODEL_TRACK])
		f->oldest++;
	if (f->oldest < f->consumed &&
	    now - f->t[f->oldest % MODEL_TRACK] > MODEL_BOUND_NS)
		return "a consumed SQE has no CQE within the bound";
	return NULL;
}

TEST_F_TIMEOUT(fuzz, model_params_and_completion_bound, 300)
{
	const char *s = getenv("AOFF_FUZZ_SEED"), *it = getenv("AOFF_FUZZ_MODEL_ITERS");
	uint64_t seed = s ? strtoull(s, NULL, 0) : (aoff_now_ns() ^ (uint64_t)getpid());
	uint64_t iters = it ? strtoull(it, NULL, 0) : 4000, i, t0;
	long long saved[AOFF_NPARAMS];
	const char *err = NULL;
	static struct fzm f;

	ksft_print_msg("model fuzz seed=%llu iterations=%llu\n",
		       (unsigned long long)seed, (unsigned long long)iters);
	*aoff_rnd_state() = seed | 1;
	aoff_params_save(saved);
	ASSERT_EQ(0, aoff_ring_init(&f.r, 16, 32, MODEL_DATA));
	aoff_rnd_fill(f.r.data, MODEL_DATA);
	for (i = 0; i < iters && !err; i++) {
		switch (aoff_rnd_below(100)) {
		case 0 ... 1:
			fzm_params();
			break;
		case 2 ... 59:
			fzm_sqe(&f);
			break;
		case 60 ... 79:
			aoff_enter(&f.r, aoff_sq_pending(&f.r),
				   (uint32_t)aoff_rnd_below(2), (int64_t)aoff_rnd_below(200000));
			fzm_account(&f);
			break;
		default:
			err = fzm_reap(&f);
			break;
		}
	}
	/* Settle: everything consumed, everything completed in time. */
	t0 = aoff_now_ns();
	while (!err && (f.reaped < f.consumed || aoff_sq_pending(&f.r)) &&
	       aoff_now_ns() - t0 < 2 * MODEL_BOUND_NS) {
		aoff_enter(&f.r, aoff_sq_pending(&f.r), 1, 100000000ll);
		fzm_account(&f);
		err = fzm_reap(&f);
	}
	aoff_ring_exit(&f.r);
	aoff_params_restore(saved);
	ksft_print_msg("%llu consumed, %llu completed, worst %llu us\n",
		       (unsigned long long)f.consumed, (unsigned long long)f.reaped,
		       (unsigned long long)(f.worst / 1000));
	ASSERT_EQ(NULL, err) TH_LOG("%s, seed %llu", err, (unsigned long long)seed);
	EXPECT_EQ(f.consumed, f.reaped) TH_LOG("seed %llu", (unsigned long long)seed);
}

TEST_HARNESS_MAIN
