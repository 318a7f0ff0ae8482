// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff-bench, modes fd, callback and sync: real async jobs through the
 * bridge, as an application of an engine or provider would run them.
 *
 * Every job has its own ASYNC_WAIT_CTX, hence its own device context.  A
 * job runs one operation (what a provider's digest or cipher call does:
 * take the bridge context, fill the data area, aoff_bridge_run()) and
 * finishes; the application starts the next one on the same wait ctx at
 * once, so --jobs operations stay in flight.
 *
 *   fd        one epoll over every wait ctx's fd (level-triggered, added
 *             once: the fd is stable); one epoll_wait per batch of wake-ups
 *   callback  ASYNC_WAIT_CTX_set_callback; the dispatcher runs in this
 *             loop (aoff_bridge_dispatch) or in the library's thread
 *             (--dispatch thread); resume what was called back
 *   sync      the same operation outside a job: submit and sleep
 *
 * A warm-up round opens every context (one operation per job) before the
 * clock starts.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <openssl/async.h>
#include <asyncoff/bridge.h>
#include "bench.h"
#include "hist.h"

#ifdef ASYNCOFF_ASYNC_RUNTIME
const char bench_async_impl[] = "asyncoff runtime";
#else
const char bench_async_impl[] = "libcrypto";
#endif

/* The AES key and IV every path uses (FIPS 197 / SP 800-38A's). */
const uint8_t bench_key[32] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
	0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe,
	0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81,
};
const uint8_t bench_iv[16] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};

/*
 * The plaintext (a fixed pattern) and the scratch output: grown before
 * jobs start, never while one runs.
 */
static uint8_t *plain, *scratch;
static size_t plain_len;

const uint8_t *bench_plaintext(size_t size)
{
	if (size > plain_len) {
		uint8_t *p = realloc(plain, size), *s = realloc(scratch, size);

		if (p)
			plain = p;
		if (s)
			scratch = s;
		if (!p || !s)
			return NULL;
		for (size_t i = plain_len; i < size; i++)
			plain[i] = (uint8_t)(i * 31 + 7);
		plain_len = size;
	}
	return plain;
}

/*
 * Operations: --op NAME.  A job allocates room in its context's data area:
 * [key 32 | IV 16 | pad to 64] for ciphers, the input, then the output
 * 64-byte aligned.  Cipher jobs copy the plaintext in and the ciphertext
 * out, as a provider serving an application's buffers does.
 */
struct bench_op {
	const char *name;
	uint32_t out_len;	/* fixed output size; 0: none or in_len */
	uint32_t key_len;	/* AES-CBC encryption with this key; 0: none */
	void (*prep)(struct aoff_sqe *sqe, uint64_t off, uint32_t len,
		     uint64_t out_off);
};

static void prep_nop(struct aoff_sqe *sqe, uint64_t off, uint32_t len,
		     uint64_t out_off)
{
	(void)out_off;
	aoff_prep_nop(sqe, 0);
	if (len) {
		sqe->in_off = off;
		sqe->in_len = len;
	}
}

static void prep_sha256(struct aoff_sqe *sqe, uint64_t off, uint32_t len,
			uint64_t out_off)
{
	sqe->opcode = AOFF_OP_SHA256;
	sqe->in_off = off;
	sqe->in_len = len;
	sqe->out_off = out_off;
	sqe->out_len = 32;
}

static const struct bench_op bench_ops[] = {
	{ .name = "nop", .prep = prep_nop },
	{ .name = "sha256", .prep = prep_sha256, .out_len = 32 },
	{ .name = "aes-128-cbc", .key_len = 16 },
	{ .name = "aes-256-cbc", .key_len = 32 },
};

#define CIPHER_HDR	64	/* key 32 + IV 16, padded */

static const struct bench_op *find_op(const char *name)
{
	for (size_t i = 0; i < sizeof(bench_ops) / sizeof(bench_ops[0]); i++)
		if (!strcmp(bench_ops[i].name, name))
			return &bench_ops[i];
	return NULL;
}

struct job_args {
	const struct bench_op *op;
	uint32_t size;
};

struct job_args *bench_job_args(const char *op, uint32_t size)
{
	struct job_args *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->op = find_op(op);
	a->size = size;
	if (!a->op || !bench_plaintext(size < 64 ? 64 : size)) {
		free(a);
		return NULL;
	}
	return a;
}

static uint32_t align64(uint32_t v)
{
	return (v + 63) & ~63u;
}

/* The job: one operation, as a provider's implementation would run it. */
int bench_job(void *p)
{
	const struct bench_call *c = p;
	const struct job_args *a = c->common;
	const struct bench_op *op = a->op;
	struct aoff_bridge_ctx *bc = aoff_bridge_get();
	uint32_t hdr = op->key_len ? CIPHER_HDR : 0;
	uint32_t out_len = op->key_len ? a->size : op->out_len;
	uint32_t in_at, out_at, room;
	struct aoff_sqe sqe;
	struct aoff_ctx *dc;
	int64_t off = 0;
	uint8_t *d = NULL;
	int32_t res;
	int ret;

	if (!bc)
		return -errno;
	dc = aoff_bridge_dev(bc);
	in_at = hdr;
	out_at = hdr + align64(a->size);
	room = out_at + out_len;
	if (room) {
		off = aoff_data_alloc(dc, room);
		if (off < 0)
			return (int)off;
		d = aoff_data_ptr(dc, (uint64_t)off);
	}
	memset(&sqe, 0, sizeof(sqe));
	if (op->key_len) {
		/* The IV is updated in place: a fresh copy every time. */
		memcpy(d, bench_key, op->key_len);
		memcpy(d + 32, bench_iv, sizeof(bench_iv));
		memcpy(d + in_at, plain, a->size);
		aoff_prep_aes_cbc(&sqe, 0, 1, (uint64_t)off, op->key_len,
				  (uint64_t)off + 32, (uint64_t)off + in_at,
				  a->size, (uint64_t)off + out_at);
	} else {
		op->prep(&sqe, (uint64_t)off + in_at, a->size,
			 (uint64_t)off + out_at);
	}
	ret = aoff_bridge_run(bc, &sqe, 1, &res);
	if (!ret && out_len)
		memcpy(c->out ? c->out : scratch, d + out_at, out_len);
	if (room)
		aoff_data_free(dc, (uint64_t)off);
	return ret ? ret : 1;
}

struct jslot {
	ASYNC_JOB *job;
	ASYNC_WAIT_CTX *w;
	struct bench_call call;
	uint64_t t0;		/* 0: this operation is not timed */
	int ret;
	int in_epoll;
	int warmed;		/* finished an operation */
	struct jslot *next;	/* callback mode: woken list */
};

/* Callback mode: the callbacks push onto a list the loop drains. */
static pthread_mutex_t woken_lock = PTHREAD_MUTEX_INITIALIZER;
static struct jslot *woken;
static int threaded;

static int on_complete(void *arg)
{
	struct jslot *s = arg;

	if (threaded)
		pthread_mutex_lock(&woken_lock);
	s->next = woken;
	woken = s;
	if (threaded)
		pthread_mutex_unlock(&woken_lock);
	return 1;
}

static struct jslot *take_woken(void)
{
	struct jslot *l;

	if (threaded)
		pthread_mutex_lock(&woken_lock);
	l = woken;
	woken = NULL;
	if (threaded)
		pthread_mutex_unlock(&woken_lock);
	return l;
}

static int sqpoll_state = -1;

int bench_sqpoll_state(void)
{
	return sqpoll_state;
}

int bench_jobs_setup(const struct opts *o)
{
	struct aoff_bridge_opts bo = { .sz = sizeof(bo) };
	const struct bench_op *op = find_op(o->op);
	size_t room;
	struct rlimit rl;
	int ret;

	if (!op) {
		fprintf(stderr, "asyncoff-bench: unknown op '%s' (nop, sha256, "
			"aes-128-cbc, aes-256-cbc)\n", o->op);
		return -EINVAL;
	}
	if (op->key_len && (!o->size || o->size % 16)) {
		fprintf(stderr, "asyncoff-bench: %s needs --size a multiple "
			"of 16\n", o->op);
		return -EINVAL;
	}
	bo.device = o->dev;
	bo.sq_entries = 4;
	/* Room for the biggest job: header, input, output, page slack. */
	room = CIPHER_HDR + 2 * (((o->size + 63) & ~(size_t)63) + 64);
	bo.data_bytes = ((room + 4095) & ~(size_t)4095) + 4096;
	if (!strcmp(o->mode, "callback") && strcmp(o->dispatch, "thread"))
		bo.flags = AOFF_BRIDGE_F_NO_THREAD;
	/* --sqpoll off: a doorbell per submission; on: the bridge default. */
	if (!o->sqpoll)
		bo.flags |= AOFF_BRIDGE_F_NO_SQPOLL;
	else
		bo.sq_idle_us = o->sq_idle_us;
	threaded = !strcmp(o->dispatch, "thread");
	ret = aoff_bridge_init(&bo);
	if (ret)
		return ret;
	/* One fd per job (two with afalg's eventfd), plus some. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < 2 * o->jobs + 256u) {
		rl.rlim_cur = 2 * o->jobs + 256u;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			fprintf(stderr, "asyncoff-bench: cannot raise "
				"RLIMIT_NOFILE to %u: %m\n", 2 * o->jobs + 256u);
	}
	return 0;
}

static uint64_t bridge_syscalls(void)
{
	struct aoff_bridge_stats st = { .sz = sizeof(st) };

	aoff_bridge_stats(&st);
	return st.syscalls;
}

struct jrun {
	const struct opts *o;
	bench_job_fn fn;
	struct jslot *s;
	unsigned int n;
	int ep;
	int measuring;
	unsigned int warm;	/* jobs that finished an operation */
	uint64_t ops, own_syscalls;
	uint64_t started;	/* operations started, for latency samples */
	struct hist *h;
	struct jslot *retry;	/* callback mode: EAGAIN, resume later */
};

/* Watch every fd @s's wait ctx has (the bridge's, or an engine's). */
static int watch_fds(struct jrun *jr, struct jslot *s)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = s };
	OSSL_ASYNC_FD fds[4];
	size_t n = 0;

	if (!ASYNC_WAIT_CTX_get_all_fds(s->w, NULL, &n) || !n || n > 4)
		return -EINVAL;
	if (!ASYNC_WAIT_CTX_get_all_fds(s->w, fds, &n))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (epoll_ctl(jr->ep, EPOLL_CTL_ADD, fds[i], &ev))
			return -errno;
	s->in_epoll = 1;
	return 0;
}

/*
 * Start (or resume) @s's job; when it finishes, count it and start the
 * next operation on the same wait ctx.  Returns -errno on failure.
 */
static int jstep(struct jrun *jr, struct jslot *s)
{
	for (;;) {
		int r;

		if (!s->job)
			s->t0 = bench_lat_sample(jr->started++) ? now_ns() : 0;
		r = ASYNC_start_job(&s->job, s->w, &s->ret, jr->fn, &s->call,
				    sizeof(s->call));
		if (r == ASYNC_PAUSE)
			break;
		if (r != ASYNC_FINISH)
			return -EFAULT;
		s->job = NULL;
		if (s->ret != 1) {
			fprintf(stderr, "asyncoff-bench: operation failed: %s\n",
				s->ret < 0 ? strerror(-s->ret) : "error");
			return s->ret < 0 ? s->ret : -EIO;
		}
		if (jr->measuring) {
			if (s->t0)
				hist_add(jr->h, now_ns() - s->t0);
			jr->ops++;
		}
		if (!s->warmed) {
			s->warmed = 1;
			jr->warm++;
		}
		/* The next operation right away (the loop is the app). */
	}
	if (jr->ep >= 0 && !s->in_epoll) {
		int ret = watch_fds(jr, s);

		if (ret)
			return ret;
	}
	if (jr->ep < 0 && ASYNC_WAIT_CTX_get_status(s->w) ==
	    ASYNC_STATUS_EAGAIN) {
		s->next = jr->retry;
		jr->retry = s;
	}
	return 0;
}

/* One round of waiting and resuming; returns -errno on failure. */
static int jround(struct jrun *jr, int timeout_ms)
{
	struct epoll_event evs[256];
	struct jslot *l, *next;
	int n, i, ret;

	if (jr->ep >= 0) {
		jr->own_syscalls++;
		n = epoll_wait(jr->ep, evs, 256, timeout_ms);
		if (n < 0)
			return errno == EINTR ? 0 : -errno;
		for (i = 0; i < n; i++) {
			struct jslot *s = evs[i].data.ptr;

			/* A job whose wait ctx has two fds may show twice. */
			if (!s->job)
				continue;
			ret = jstep(jr, s);
			if (ret)
				return ret;
		}
		return 0;
	}
	l = jr->retry;
	jr->retry = NULL;
	for (; l; l = next) {
		next = l->next;
		ret = jstep(jr, l);
		if (ret)
			return ret;
	}
	if (!threaded) {
		ret = aoff_bridge_dispatch(jr->retry ? 0 : timeout_ms);
		if (ret < 0)
			return ret;
	} else if (!woken) {
		usleep(20);
	}
	for (l = take_woken(); l; l = next) {
		next = l->next;
		ret = jstep(jr, l);
		if (ret)
			return ret;
	}
	return 0;
}

static int bench_sync(const struct opts *o, const struct bench_call *call,
		      struct result *r, struct hist *h)
{
	struct bench_call c = *call;
	struct cpu_mark c0;
	uint64_t t0, s0, end, ops = 0;
	int ret;

	ret = bench_job(&c);	/* warm-up: opens this thread's context */
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	if (aoff_bridge_get())
		sqpoll_state = aoff_ctx_sqpoll(aoff_bridge_dev(aoff_bridge_get()));
	progress_start(o);
	t0 = now_ns();
	cpu_mark_now(&c0);
	s0 = bridge_syscalls();
	end = t0 + (uint64_t)(o->seconds * 1e9);
	for (;;) {
		uint64_t t = 0;

		if (bench_lat_sample(ops)) {
			t = now_ns();
			if (t >= end)
				break;
			progress("  sync %8.0f ops/s ...",
				 (double)ops / ((double)(t - t0) / 1e9));
		}
		ret = bench_job(&c);
		if (ret != 1)
			return ret < 0 ? ret : -EIO;
		if (t)
			hist_add(h, now_ns() - t);
		ops++;
	}
	progress_end();
	r->secs = (double)(now_ns() - t0) / 1e9;
	cpu_mark_since(&c0, r);
	r->syscalls = bridge_syscalls() - s0;
	r->ops = ops;
	r->jobs = 1;
	return 0;
}

/* The bridge's contexts are open now: note whether they poll their SQ. */
static void note_sqpoll(struct jslot *s)
{
	struct aoff_bridge_ctx *bc = aoff_bridge_of(s->w);

	if (bc && aoff_bridge_dev(bc))
		sqpoll_state = aoff_ctx_sqpoll(aoff_bridge_dev(bc));
}

int bench_run_one(bench_job_fn fn, const struct bench_call *call)
{
	ASYNC_WAIT_CTX *w = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int ret = -EIO, r;

	if (!w)
		return -ENOMEM;
	for (;;) {
		OSSL_ASYNC_FD fds[4];
		struct pollfd p[4];
		size_t n = 0;

		r = ASYNC_start_job(&job, w, &ret, fn, (void *)call,
				    sizeof(*call));
		if (r != ASYNC_PAUSE)
			break;
		if (!ASYNC_WAIT_CTX_get_all_fds(w, NULL, &n) || n > 4 ||
		    !ASYNC_WAIT_CTX_get_all_fds(w, fds, &n))
			n = 0;
		for (size_t i = 0; i < n; i++)
			p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		if (n)
			poll(p, n, 1000);
	}
	ASYNC_WAIT_CTX_free(w);
	if (r != ASYNC_FINISH)
		return -EFAULT;
	return ret;
}

/* @jr's slots, each with its wait ctx (and callback, without epoll). */
static int jobs_setup(struct jrun *jr, unsigned int jobs, const void *common,
		      void **slots)
{
	unsigned int i;

	jr->n = jobs;
	jr->s = calloc(jobs, sizeof(*jr->s));
	if (!jr->s)
		return -ENOMEM;
	if (strcmp(jr->o->mode, "callback")) {
		jr->ep = epoll_create1(EPOLL_CLOEXEC);
		if (jr->ep < 0)
			return -errno;
	}
	for (i = 0; i < jobs; i++) {
		jr->s[i].call.common = common;
		jr->s[i].call.slot = slots ? slots[i] : NULL;
		jr->s[i].w = ASYNC_WAIT_CTX_new();
		if (!jr->s[i].w)
			return -ENOMEM;
		if (jr->ep < 0)
			ASYNC_WAIT_CTX_set_callback(jr->s[i].w, on_complete,
						    &jr->s[i]);
	}
	return 0;
}

/* Warm-up: every job starts; each wait ctx gets its context. */
static int jobs_warm_up(struct jrun *jr, unsigned int jobs)
{
	unsigned int i;
	int ret;

	for (i = 0; i < jobs; i++) {
		ret = jstep(jr, &jr->s[i]);
		if (ret)
			return ret;
	}
	while (jr->warm < jobs) {
		ret = jround(jr, 1000);
		if (ret)
			return ret;
	}
	return 0;
}

/* The measured --seconds: operations, CPU and system calls into @r. */
static int jobs_measure(struct jrun *jr, unsigned int jobs, const char *label,
			struct result *r)
{
	struct cpu_mark c0;
	uint64_t t0, s0, end;
	int ret;

	jr->measuring = 1;
	progress_start(jr->o);
	t0 = now_ns();
	cpu_mark_now(&c0);
	s0 = bridge_syscalls();
	jr->own_syscalls = 0;
	end = t0 + (uint64_t)(jr->o->seconds * 1e9);
	for (;;) {
		uint64_t t = now_ns();

		if (t >= end)
			break;
		progress("  %s jobs %-5u %8.0f ops/s ...", label, jobs,
			 (double)jr->ops / ((double)(t - t0) / 1e9));
		ret = jround(jr, 100);
		if (ret)
			return ret;
	}
	r->secs = (double)(now_ns() - t0) / 1e9;
	cpu_mark_since(&c0, r);
	r->syscalls = bridge_syscalls() - s0 + jr->own_syscalls;
	r->ops = jr->ops;
	r->jobs = jobs;
	progress_end();
	return 0;
}

/* Let every job finish before its wait ctx goes. */
static void jobs_drain(struct jrun *jr, unsigned int jobs)
{
	unsigned int i;

	while (1) {
		unsigned int busy = 0;

		jr->measuring = 0;
		for (i = 0; i < jobs; i++)
			busy += !!jr->s[i].job;
		if (!busy)
			break;
		/* Finish the paused ones without starting new operations. */
		for (i = 0; i < jobs; i++) {
			struct jslot *s = &jr->s[i];
			int rr;

			if (!s->job)
				continue;
			rr = ASYNC_start_job(&s->job, s->w, &s->ret, jr->fn,
					     &s->call, sizeof(s->call));
			if (rr == ASYNC_FINISH || rr == ASYNC_ERR)
				s->job = NULL;
		}
		if (jr->ep >= 0) {
			struct epoll_event ev;

			epoll_wait(jr->ep, &ev, 1, 10);
		} else if (!threaded) {
			aoff_bridge_dispatch(10);
			take_woken();
		} else {
			usleep(1000);
			take_woken();
		}
	}
}

int bench_drive(const struct opts *o, unsigned int jobs, bench_job_fn fn,
		const void *common, void **slots, const char *label,
		struct result *r)
{
	struct jrun jr = { .o = o, .ep = -1, .fn = fn };
	unsigned int i;
	int ret;

	memset(r, 0, sizeof(*r));
	jr.h = calloc(1, sizeof(*jr.h));
	if (!jr.h)
		return -ENOMEM;
	r->size = o->size;
	r->contexts = jobs;
	ret = jobs_setup(&jr, jobs, common, slots);
	if (!ret)
		ret = jobs_warm_up(&jr, jobs);
	if (ret)
		goto out;
	if (fn == bench_job)
		note_sqpoll(&jr.s[0]);
	ret = jobs_measure(&jr, jobs, label, r);
	if (ret)
		goto out;
	jobs_drain(&jr, jobs);
	r->p50 = hist_quantile(jr.h, 0.50);
	r->p99 = hist_quantile(jr.h, 0.99);
out:
	for (i = 0; jr.s && i < jr.n; i++)
		ASYNC_WAIT_CTX_free(jr.s[i].w);
	if (jr.ep >= 0)
		close(jr.ep);
	free(jr.s);
	free(jr.h);
	return ret;
}

int bench_jobs_run(const struct opts *o, unsigned int jobs, struct result *r)
{
	struct job_args *a = bench_job_args(o->op, (uint32_t)o->size);
	int ret;

	if (!a)
		return -ENOMEM;
	if (!strcmp(o->mode, "sync")) {
		struct bench_call c = { .common = a };
		struct hist *h = calloc(1, sizeof(*h));

		memset(r, 0, sizeof(*r));
		r->size = o->size;
		r->contexts = 1;
		ret = h ? bench_sync(o, &c, r, h) : -ENOMEM;
		if (h) {
			r->p50 = hist_quantile(h, 0.50);
			r->p99 = hist_quantile(h, 0.99);
		}
		free(h);
	} else {
		/* libcrypto's pool: room for every job of this run. */
		if (!ASYNC_init_thread(jobs, 0)) {
			free(a);
			return -ENOMEM;
		}
		ret = bench_drive(o, jobs, bench_job, a, NULL, o->mode, r);
	}
	free(a);
	return ret;
}
