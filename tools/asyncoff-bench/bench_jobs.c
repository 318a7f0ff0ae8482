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

/*
 * Operations: --op NAME.  A job allocates in_len + out room in its
 * context's data area; the output lies after the input, 64-byte aligned.
 */
struct bench_op {
	const char *name;
	uint32_t out_len;
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
};

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

/* The job: one operation, as a provider's implementation would run it. */
static int bench_job(void *p)
{
	const struct job_args *a = p;
	struct aoff_bridge_ctx *bc = aoff_bridge_get();
	struct aoff_sqe sqe;
	struct aoff_ctx *dc;
	int64_t off = 0;
	uint32_t room;
	int32_t res;
	int ret;

	if (!bc)
		return -errno;
	dc = aoff_bridge_dev(bc);
	room = ((a->size + 63) & ~63u) + a->op->out_len;
	if (room) {
		off = aoff_data_alloc(dc, room);
		if (off < 0)
			return (int)off;
	}
	memset(&sqe, 0, sizeof(sqe));
	a->op->prep(&sqe, (uint64_t)off, a->size,
		    (uint64_t)off + ((a->size + 63) & ~63u));
	ret = aoff_bridge_run(bc, &sqe, 1, &res);
	if (room)
		aoff_data_free(dc, (uint64_t)off);
	return ret ? ret : 1;
}

struct jslot {
	ASYNC_JOB *job;
	ASYNC_WAIT_CTX *w;
	uint64_t t0;
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

int bench_jobs_setup(const struct opts *o)
{
	struct aoff_bridge_opts bo = { .sz = sizeof(bo) };
	struct rlimit rl;
	int ret;

	if (!find_op(o->op)) {
		fprintf(stderr, "asyncoff-bench: unknown op '%s' (nop, "
			"sha256)\n", o->op);
		return -EINVAL;
	}
	bo.device = o->dev;
	bo.sq_entries = 4;
	bo.data_bytes = ((o->size + 4095) & ~(size_t)4095) + 4096;
	if (!strcmp(o->mode, "callback") && strcmp(o->dispatch, "thread"))
		bo.flags = AOFF_BRIDGE_F_NO_THREAD;
	threaded = !strcmp(o->dispatch, "thread");
	ret = aoff_bridge_init(&bo);
	if (ret)
		return ret;
	/* One fd per job, plus some. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < o->jobs + 256u) {
		rl.rlim_cur = o->jobs + 256u;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			fprintf(stderr, "asyncoff-bench: cannot raise "
				"RLIMIT_NOFILE to %u: %m\n", o->jobs + 256u);
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
	struct job_args args;
	struct jslot *s;
	unsigned int n;
	int ep;
	int measuring;
	unsigned int warm;	/* jobs that finished an operation */
	uint64_t ops, own_syscalls;
	struct hist *h;
	struct jslot *retry;	/* callback mode: EAGAIN, resume later */
};

/*
 * Start (or resume) @s's job; when it finishes, count it and start the
 * next operation on the same wait ctx.  Returns -errno on failure.
 */
static int jstep(struct jrun *jr, struct jslot *s)
{
	for (;;) {
		int r;

		if (!s->job)
			s->t0 = now_ns();
		r = ASYNC_start_job(&s->job, s->w, &s->ret, bench_job,
				    &jr->args, sizeof(jr->args));
		if (r == ASYNC_PAUSE)
			break;
		if (r != ASYNC_FINISH)
			return -EFAULT;
		s->job = NULL;
		if (s->ret != 1) {
			fprintf(stderr, "asyncoff-bench: operation failed: %s\n",
				strerror(-s->ret));
			return s->ret < 0 ? s->ret : -EIO;
		}
		if (jr->measuring) {
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
		struct epoll_event ev = { .events = EPOLLIN, .data.ptr = s };
		OSSL_ASYNC_FD fd;
		size_t n = 1;

		if (!ASYNC_WAIT_CTX_get_all_fds(s->w, &fd, &n) || n != 1)
			return -EINVAL;
		if (epoll_ctl(jr->ep, EPOLL_CTL_ADD, fd, &ev))
			return -errno;
		s->in_epoll = 1;
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
			ret = jstep(jr, evs[i].data.ptr);
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

static int bench_sync(const struct opts *o, struct job_args *a,
		      struct result *r, struct hist *h)
{
	uint64_t t0, c0, s0, end, ops = 0;
	int ret;

	ret = bench_job(a);	/* warm-up: opens this thread's context */
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	t0 = now_ns();
	c0 = cpu_ns();
	s0 = bridge_syscalls();
	end = t0 + (uint64_t)(o->seconds * 1e9);
	for (;;) {
		uint64_t t = now_ns();

		if (t >= end)
			break;
		ret = bench_job(a);
		if (ret != 1)
			return ret < 0 ? ret : -EIO;
		hist_add(h, now_ns() - t);
		ops++;
	}
	r->secs = (double)(now_ns() - t0) / 1e9;
	r->cpu_ns = cpu_ns() - c0;
	r->syscalls = bridge_syscalls() - s0;
	r->ops = ops;
	r->jobs = 1;
	return 0;
}

int bench_jobs_run(const struct opts *o, unsigned int jobs, struct result *r)
{
	struct jrun jr = { .o = o, .ep = -1 };
	uint64_t t0, c0, s0, end, next_progress;
	unsigned int i;
	int ret = -ENOMEM;

	memset(r, 0, sizeof(*r));
	jr.args.op = find_op(o->op);
	jr.args.size = (uint32_t)o->size;
	jr.h = calloc(1, sizeof(*jr.h));
	if (!jr.h)
		return -ENOMEM;
	r->size = o->size;
	r->contexts = jobs;
	if (!strcmp(o->mode, "sync")) {
		ret = bench_sync(o, &jr.args, r, jr.h);
		r->contexts = 1;
		goto out_stats;
	}

	jr.n = jobs;
	jr.s = calloc(jobs, sizeof(*jr.s));
	if (!jr.s)
		goto out;
	if (!ASYNC_init_thread(jobs, 0))
		goto out;
	if (!strcmp(o->mode, "fd")) {
		jr.ep = epoll_create1(EPOLL_CLOEXEC);
		if (jr.ep < 0) {
			ret = -errno;
			goto out;
		}
	}
	for (i = 0; i < jobs; i++) {
		jr.s[i].w = ASYNC_WAIT_CTX_new();
		if (!jr.s[i].w)
			goto out;
		if (jr.ep < 0)
			ASYNC_WAIT_CTX_set_callback(jr.s[i].w, on_complete,
						    &jr.s[i]);
	}
	/* Warm-up: every job starts; each wait ctx gets its context. */
	for (i = 0; i < jobs; i++) {
		ret = jstep(&jr, &jr.s[i]);
		if (ret)
			goto out;
	}
	while (jr.warm < jobs) {
		ret = jround(&jr, 1000);
		if (ret)
			goto out;
	}

	jr.measuring = 1;
	t0 = now_ns();
	c0 = cpu_ns();
	s0 = bridge_syscalls();
	jr.own_syscalls = 0;
	end = t0 + (uint64_t)(o->seconds * 1e9);
	next_progress = t0 + 500000000ull;
	for (;;) {
		uint64_t t = now_ns();

		if (t >= end)
			break;
		if (!o->quiet && !o->json && t >= next_progress) {
			fprintf(stderr, "\r  jobs %-5u %8.0f ops/s ...", jobs,
				(double)jr.ops / ((double)(t - t0) / 1e9));
			next_progress = t + 500000000ull;
		}
		ret = jround(&jr, 100);
		if (ret)
			goto out;
	}
	r->secs = (double)(now_ns() - t0) / 1e9;
	r->cpu_ns = cpu_ns() - c0;
	r->syscalls = bridge_syscalls() - s0 + jr.own_syscalls;
	r->ops = jr.ops;
	r->jobs = jobs;
	if (!o->quiet && !o->json)
		fprintf(stderr, "\r%40s\r", "");

	/* Let every job finish before its wait ctx goes. */
	while (1) {
		unsigned int busy = 0;

		jr.measuring = 0;
		for (i = 0; i < jobs; i++)
			busy += !!jr.s[i].job;
		if (!busy)
			break;
		/* Finish the paused ones without starting new operations. */
		for (i = 0; i < jobs; i++) {
			struct jslot *s = &jr.s[i];
			int rr;

			if (!s->job)
				continue;
			rr = ASYNC_start_job(&s->job, s->w, &s->ret, bench_job,
					     &jr.args, sizeof(jr.args));
			if (rr == ASYNC_FINISH || rr == ASYNC_ERR)
				s->job = NULL;
		}
		if (jr.ep >= 0) {
			struct epoll_event ev;

			epoll_wait(jr.ep, &ev, 1, 10);
		} else if (!threaded) {
			aoff_bridge_dispatch(10);
			take_woken();
		} else {
			usleep(1000);
			take_woken();
		}
	}
	ret = 0;
out_stats:
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
