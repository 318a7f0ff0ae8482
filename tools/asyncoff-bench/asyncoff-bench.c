// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff-bench: what an offload stack's users care about — operations
 * per second, latency p50/p99, CPU time and system calls per operation —
 * over requests in flight, contexts and payload size.
 *
 * Mode "ring" drives the device straight through libasyncoff: J requests
 * kept in flight over C contexts, one doorbell per batch, completions
 * reaped from shared memory, one wait (epoll over every context) when
 * nothing is ready.  It is the floor every other mode builds on.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <asyncoff/asyncoff.h>
#include "aoff/json.h"
#include "bench.h"
#include "hist.h"

/*
 * One device context and the requests it keeps in flight.  Each request
 * owns a slot of the stamp array (its user_data) from submission to
 * completion; free slots wait on a stack.
 */
struct bench_ctx {
	struct aoff_ctx *ctx;
	unsigned int target;	/* requests this context keeps in flight */
	unsigned int inflight;
	unsigned int *free_slots, nr_free;
	int64_t in_off;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: asyncoff-bench [options]\n"
		"  --device PATH    device node (default /dev/asyncoff0)\n"
		"  --mode MODE      ring: requests straight through libasyncoff\n"
		"                   uring: io_uring NOPs through liburing, the\n"
		"                       kernel's own async path (the floor)\n"
		"                   fd: async jobs through the bridge, epoll on\n"
		"                       the wait ctxs' fds\n"
		"                   callback: async jobs, wait ctx callbacks\n"
		"                   sync: the same call outside a job\n"
		"  --dispatch WHERE callback mode: loop (aoff_bridge_dispatch in\n"
		"                   the benchmark's loop, default) or thread\n"
		"  --op NAME        operation: nop (default), sha256, aes-128-cbc,\n"
		"                   aes-256-cbc (job modes; AES: --size a\n"
		"                   multiple of 16)\n"
		"  --compare        the same AES-CBC encryption (--op, default\n"
		"                   aes-128-cbc) through asyncoff (async jobs,\n"
		"                   fd mode), OpenSSL's afalg engine (the same\n"
		"                   async jobs) and software (default provider),\n"
		"                   for each of --sizes, outputs verified; ratios\n"
		"  --sizes LIST     compare mode: sizes in bytes, comma-separated\n"
		"                   (default 16,64,256,1024,4096,16384)\n"
		"  --rounds N       compare mode: the paths take turns N times\n"
		"                   (at most 31); each reports its median round\n"
		"                   and the min and max (default 1)\n"
		"  --plot FILE.svg  write the comparison (or the --sweep) as an\n"
		"                   SVG chart\n"
		"Device model settings, set for the run (sysfs) and restored after:\n"
		"  --latency NS     latency_ns: service time of each request\n"
		"  --coalesce-frames N  coalesce_frames: completions per interrupt\n"
		"  --coalesce-usecs US  coalesce_usecs: longest interrupt delay\n"
		"  --sq-poll-usecs US   sq_poll_usecs: how often the device looks\n"
		"                   at the SQs it watches (SQPOLL)\n"
		"  --sqpoll on|off  job modes: the bridge's contexts submit\n"
		"                   without a doorbell while the device watches\n"
		"                   their SQ (on: the default, when the device\n"
		"                   can) or with a doorbell each (off)\n"
		"  --sq-idle-us US  job modes, SQPOLL: how long the device keeps\n"
		"                   watching a bridge context with nothing\n"
		"                   outstanding (default: the bridge's, 20000)\n"
		"  --jobs N         requests (ring) or async jobs, each with its\n"
		"                   own wait ctx and device context, in flight\n"
		"                   (default 64; 1..10000 and more)\n"
		"  --contexts N     ring mode: device contexts sharing them\n"
		"  --size BYTES     payload per request (default 0)\n"
		"  --seconds S      duration of each measurement (default 2)\n"
		"  --sweep          jobs in flight 1, 4, 16, 64, 256 (job modes:\n"
		"                   also 1024, 10000) in one table\n"
		"  --json           one JSON object (an array with --sweep)\n"
		"  --quiet          no progress line (it shows only when stderr\n"
		"                   is a terminal and a run lasts over a second)\n"
		"  --help           this text\n"
		"Fields: ops_per_sec, lat_p50_ns, lat_p99_ns, cpu_ns_per_op,\n"
		"syscalls_per_op (see Documentation/benchmark.md).\n"
		"--compare needs libcrypto's ASYNC (the afalg engine calls it):\n"
		"asyncoff-bench runs asyncoff-bench-libcrypto for it.\n");
}

static int parse_sizes(const char *arg, struct opts *o)
{
	const char *p = arg;
	char *end;

	o->nr_sizes = 0;
	while (*p) {
		errno = 0;
		if (o->nr_sizes == BENCH_MAX_SIZES) {
			fprintf(stderr, "asyncoff-bench: --sizes: at most %d\n",
				BENCH_MAX_SIZES);
			return -1;
		}
		o->sizes[o->nr_sizes++] = strtoul(p, &end, 0);
		if (errno || end == p || (*end && *end != ',')) {
			fprintf(stderr, "asyncoff-bench: bad --sizes '%s'\n",
				arg);
			return -1;
		}
		p = *end ? end + 1 : end;
	}
	return o->nr_sizes ? 0 : -1;
}

/* The command line into @o (defaults first); --mode's argument in @mode. */
static int parse_options(int argc, char **argv, struct opts *o,
			 const char **mode)
{
	static const struct option lo[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "mode", required_argument, NULL, 'm' },
		{ "op", required_argument, NULL, 'o' },
		{ "dispatch", required_argument, NULL, 'D' },
		{ "latency", required_argument, NULL, 'L' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "contexts", required_argument, NULL, 'c' },
		{ "size", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "sweep", no_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'J' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "compare", no_argument, NULL, 'C' },
		{ "sizes", required_argument, NULL, 'Z' },
		{ "plot", required_argument, NULL, 'P' },
		{ "coalesce-frames", required_argument, NULL, 'F' },
		{ "coalesce-usecs", required_argument, NULL, 'U' },
		{ "sqpoll", required_argument, NULL, 'Q' },
		{ "rounds", required_argument, NULL, 'R' },
		{ "sq-poll-usecs", required_argument, NULL, 'W' },
		{ "sq-idle-us", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end = NULL;
	int c;

	*o = (struct opts){ .dev = "/dev/asyncoff0", .mode = "ring",
			    .op = NULL, .dispatch = "loop", .latency_ns = -1,
			    .coalesce_frames = -1, .coalesce_usecs = -1,
			    .sq_poll_usecs = -1,
			    .sqpoll = -1, .jobs = 64, .contexts = 1, .rounds = 1,
			    .seconds = 2.0 };
	*mode = NULL;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		errno = 0;
		end = (char *)"";
		switch (c) {
		case 'd': o->dev = optarg; break;
		case 'm': *mode = optarg; continue;
		case 'o': o->op = optarg; break;
		case 'D': o->dispatch = optarg; continue;
		case 'L': o->latency_ns = strtoll(optarg, &end, 0); break;
		case 'j': o->jobs = (unsigned int)strtoul(optarg, &end, 0); break;
		case 'c': o->contexts = (unsigned int)strtoul(optarg, &end, 0); break;
		case 's': o->size = strtoul(optarg, &end, 0); break;
		case 't': o->seconds = strtod(optarg, &end); break;
		case 'S': o->sweep = 1; continue;
		case 'J': o->json = 1; continue;
		case 'q': o->quiet = 1; continue;
		case 'C': o->compare = 1; continue;
		case 'P': o->plot = optarg; continue;
		case 'Z':
			if (parse_sizes(optarg, o))
				return -1;
			continue;
		case 'F': o->coalesce_frames = strtoll(optarg, &end, 0); break;
		case 'U': o->coalesce_usecs = strtoll(optarg, &end, 0); break;
		case 'R': o->rounds = (unsigned int)strtoul(optarg, &end, 0); break;
		case 'W': o->sq_poll_usecs = strtoll(optarg, &end, 0); break;
		case 'I':
			o->sq_idle_us = (unsigned int)strtoul(optarg, &end, 0);
			if (o->sq_idle_us > AOFF_SQ_IDLE_MAX_US) {
				fprintf(stderr, "asyncoff-bench: --sq-idle-us "
					"at most %u\n", AOFF_SQ_IDLE_MAX_US);
				return -1;
			}
			break;
		case 'Q':
			if (strcmp(optarg, "on") && strcmp(optarg, "off")) {
				fprintf(stderr, "asyncoff-bench: --sqpoll on "
					"or off\n");
				return -1;
			}
			o->sqpoll = !strcmp(optarg, "on");
			continue;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
		if (errno || *end) {
			fprintf(stderr, "asyncoff-bench: bad number '%s'\n", optarg);
			return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "asyncoff-bench: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (o->sq_idle_us && !o->sqpoll) {
		fprintf(stderr, "asyncoff-bench: --sq-idle-us needs SQPOLL "
			"(not --sqpoll off)\n");
		return -1;
	}
	return 0;
}

/*
 * --compare: async jobs in fd mode, AES-CBC: the afalg engine only
 * registers fds (it never calls a wait ctx's callback).
 */
static int compare_options(struct opts *o, const char *mode)
{
	if (mode && strcmp(mode, "fd")) {
		fprintf(stderr, "asyncoff-bench: --compare runs its "
			"jobs in fd mode\n");
		return -1;
	}
	o->mode = "fd";
	o->op = o->op ? o->op : "aes-128-cbc";
	if (strcmp(o->op, "aes-128-cbc") && strcmp(o->op, "aes-256-cbc")) {
		fprintf(stderr, "asyncoff-bench: --compare runs "
			"aes-128-cbc or aes-256-cbc (what afalg offers)\n");
		return -1;
	}
	if (!o->nr_sizes)
		parse_sizes("16,64,256,1024,4096,16384", o);
	for (unsigned int i = 0; i < o->nr_sizes; i++) {
		if (!o->sizes[i] || o->sizes[i] % 16 ||
		    o->sizes[i] > (1u << 24)) {
			fprintf(stderr, "asyncoff-bench: --sizes: "
				"multiples of 16 up to 16 MiB\n");
			return -1;
		}
		if (o->sizes[i] > o->size)
			o->size = o->sizes[i];	/* data areas */
	}
	return 0;
}

/* The combinations of options that make no sense, refused. */
static int check_options(struct opts *o)
{
	if (o->plot && !o->compare && !o->sweep) {
		fprintf(stderr, "asyncoff-bench: --plot draws --compare or "
			"--sweep\n");
		return -1;
	}
	if (strcmp(o->mode, "ring") && strcmp(o->mode, "uring") &&
	    strcmp(o->mode, "fd") && strcmp(o->mode, "callback") &&
	    strcmp(o->mode, "sync")) {
		fprintf(stderr, "asyncoff-bench: unknown mode '%s' (ring, uring, "
			"fd, callback, sync)\n", o->mode);
		return -1;
	}
	if (!strcmp(o->mode, "uring") && (strcmp(o->op, "nop") || o->size ||
					  o->contexts != 1)) {
		fprintf(stderr, "asyncoff-bench: mode uring runs op nop, no "
			"--size, one ring\n");
		return -1;
	}
	if (strcmp(o->dispatch, "loop") && strcmp(o->dispatch, "thread")) {
		fprintf(stderr, "asyncoff-bench: --dispatch loop or thread\n");
		return -1;
	}
	if (strcmp(o->mode, "ring"))
		o->contexts = 1;	/* job modes: one per job; uring: one */
	if (!strcmp(o->mode, "ring") && strcmp(o->op, "nop")) {
		fprintf(stderr, "asyncoff-bench: mode ring runs op nop only\n");
		return -1;
	}
	if (o->rounds > BENCH_MAX_ROUNDS) {
		fprintf(stderr, "asyncoff-bench: --rounds at most %d\n",
			BENCH_MAX_ROUNDS);
		return -1;
	}
	if (!o->jobs || !o->contexts || o->contexts > o->jobs || !o->rounds ||
	    o->seconds <= 0) {
		fprintf(stderr, "asyncoff-bench: need jobs >= contexts >= 1 and "
			"seconds > 0\n");
		return -1;
	}
	return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
	const char *mode;

	if (parse_options(argc, argv, o, &mode))
		return -1;
	if (o->compare) {
		if (compare_options(o, mode))
			return -1;
	} else {
		o->mode = mode ? mode : "ring";
		o->op = o->op ? o->op : "nop";
	}
	return check_options(o);
}

/* Fill @b's SQ up to its target and ring its doorbell once. */
static int refill(struct bench_ctx *b, uint64_t *stamp, size_t size)
{
	uint64_t t = now_ns();
	struct aoff_sqe *sqe;
	int ret;

	while (b->nr_free && (sqe = aoff_get_sqe(b->ctx))) {
		unsigned int slot = b->free_slots[--b->nr_free];

		aoff_prep_nop(sqe, slot);
		if (size) {
			sqe->in_off = (uint64_t)b->in_off;
			sqe->in_len = (uint32_t)size;
		}
		stamp[slot] = t;
		b->inflight++;
	}
	ret = aoff_submit(b->ctx);
	return ret < 0 ? ret : 0;
}

/* Reap what @b has completed; each CQE's user_data is its stamp slot. */
static int reap(struct bench_ctx *b, uint64_t *stamp, struct hist *h,
		uint64_t *ops)
{
	struct aoff_cqe *cqes[64];
	unsigned int n, i;
	uint64_t t;

	n = aoff_peek_batch_cqe(b->ctx, cqes, 64);
	if (!n)
		return 0;
	t = now_ns();
	for (i = 0; i < n; i++) {
		if (cqes[i]->res < 0) {
			fprintf(stderr, "asyncoff-bench: request failed: %s\n",
				strerror(-cqes[i]->res));
			return -EIO;
		}
		hist_add(h, t - stamp[cqes[i]->user_data]);
		b->free_slots[b->nr_free++] = (unsigned int)cqes[i]->user_data;
	}
	aoff_cq_advance(b->ctx, n);
	b->inflight -= n;
	*ops += n;
	return (int)n;
}

static int ring_sqpoll = -1;

/*
 * Open @o->contexts contexts sharing @jobs requests, each watched by @ep
 * (when >= 0), with free stamp slots numbered across all of them.
 */
static int ring_open(const struct opts *o, unsigned int jobs,
		     struct bench_ctx *bc, int ep)
{
	struct aoff_ctx_opts co = { .sz = sizeof(co) };
	struct epoll_event ev;
	unsigned int i, base;

	for (i = 0, base = 0; i < o->contexts; i++) {
		bc[i].target = jobs / o->contexts + (i < jobs % o->contexts);
		co.sq_entries = bc[i].target;
		co.data_bytes = o->size ? o->size : 4096;
		if (o->sqpoll == 1)
			co.flags = AOFF_CTX_F_SQPOLL;
		bc[i].ctx = aoff_ctx_open(o->dev, &co);
		if (!bc[i].ctx)
			return -errno;
		bc[i].in_off = aoff_data_alloc(bc[i].ctx, o->size);
		ring_sqpoll = aoff_ctx_sqpoll(bc[i].ctx);
		if (ep >= 0) {
			ev.events = EPOLLIN;
			ev.data.u32 = i;
			if (epoll_ctl(ep, EPOLL_CTL_ADD, aoff_ctx_fd(bc[i].ctx),
				      &ev))
				return -errno;
		}
		bc[i].free_slots = calloc(bc[i].target, sizeof(unsigned int));
		if (!bc[i].free_slots)
			return -ENOMEM;
		for (unsigned int k = 0; k < bc[i].target; k++)
			bc[i].free_slots[bc[i].nr_free++] = base + k;
		base += bc[i].target;
	}
	return 0;
}

/* What a ring run keeps between its loop and its result. */
struct ring_run {
	struct bench_ctx *bc;
	uint64_t *stamp;
	struct hist *h;
	int ep;
	uint64_t ops, epolls;
};

/* Keep every context's SQ full until @end; sleep when nothing is ready. */
static int ring_loop(const struct opts *o, unsigned int jobs,
		     struct ring_run *rr, uint64_t t0, uint64_t end)
{
	struct epoll_event evs[64];
	unsigned int i;
	int ret;

	for (i = 0; i < o->contexts; i++) {
		ret = refill(&rr->bc[i], rr->stamp, o->size);
		if (ret)
			return ret;
	}
	for (;;) {
		uint64_t t = now_ns();
		int got = 0, n;

		if (t >= end)
			return 0;
		progress("  ring jobs %-4u %8.0f ops/s ...", jobs,
			 (double)rr->ops / ((double)(t - t0) / 1e9));
		for (i = 0; i < o->contexts; i++) {
			n = reap(&rr->bc[i], rr->stamp, rr->h, &rr->ops);
			if (n < 0)
				return n;
			if (n) {
				got = 1;
				ret = refill(&rr->bc[i], rr->stamp, o->size);
				if (ret)
					return ret;
			}
		}
		if (got)
			continue;
		/* Nothing ready anywhere: one sleep for all contexts. */
		if (rr->ep < 0) {
			struct aoff_cqe *cqe;

			ret = aoff_wait_cqe(rr->bc[0].ctx, &cqe, 100000000);
			if (ret && ret != -ETIME && ret != -EINTR)
				return ret;
		} else {
			rr->epolls++;
			if (epoll_wait(rr->ep, evs, 64, 100) < 0 &&
			    errno != EINTR)
				return -errno;
		}
	}
}

static int run_ring(const struct opts *o, unsigned int jobs, struct result *r)
{
	struct ring_run rr = {
		.bc = calloc(o->contexts, sizeof(*rr.bc)),
		.stamp = calloc(jobs, sizeof(*rr.stamp)),
		.h = calloc(1, sizeof(*rr.h)),
		.ep = -1,
	};
	struct cpu_mark c0;
	uint64_t t0;
	unsigned int i;
	int ret = -ENOMEM;

	if (!rr.bc || !rr.stamp || !rr.h)
		goto out;
	if (o->contexts > 1) {
		rr.ep = epoll_create1(EPOLL_CLOEXEC);
		if (rr.ep < 0) {
			ret = -errno;
			goto out;
		}
	}
	ret = ring_open(o, jobs, rr.bc, rr.ep);
	if (ret)
		goto out;
	t0 = now_ns();
	cpu_mark_now(&c0);
	progress_start(o);
	ret = ring_loop(o, jobs, &rr, t0, t0 + (uint64_t)(o->seconds * 1e9));
	if (ret)
		goto out;
	r->secs = (double)(now_ns() - t0) / 1e9;
	cpu_mark_since(&c0, r);
	r->ops = rr.ops;
	r->jobs = jobs;
	r->contexts = o->contexts;
	r->size = o->size;
	r->syscalls = rr.epolls;
	for (i = 0; i < o->contexts; i++)
		r->syscalls += aoff_ctx_syscalls(rr.bc[i].ctx);
	r->p50 = hist_quantile(rr.h, 0.50);
	r->p99 = hist_quantile(rr.h, 0.99);
	progress_end();
out:
	for (i = 0; rr.bc && i < o->contexts; i++) {
		aoff_ctx_close(rr.bc[i].ctx);
		free(rr.bc[i].free_slots);
	}
	if (rr.ep >= 0)
		close(rr.ep);
	free(rr.bc);
	free(rr.stamp);
	free(rr.h);
	return ret;
}

static int sqpoll_state(void)
{
	return ring_sqpoll >= 0 ? ring_sqpoll : bench_sqpoll_state();
}

/* The other CPU per op for the table (print_row shows "-" when unknown). */
static const char *other_cpu(const struct result *r)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "%.1f", per_op(r->other_cpu_ns, r->ops));
	return buf;
}

static void print_json(struct aoff_json *j, const struct opts *o,
		       const struct result *r)
{
	int sq = sqpoll_state();

	aoff_json_begin_object(j, NULL);
	aoff_json_string(j, "mode", o->mode);
	aoff_json_string(j, "async",
			 bench_device_mode(o) ? "none" : bench_async_impl);
	aoff_json_string(j, "op", o->op);
	aoff_json_uint(j, "jobs", r->jobs);
	aoff_json_uint(j, "contexts", r->contexts);
	aoff_json_uint(j, "size", r->size);
	aoff_json_double(j, "seconds", r->secs, 3);
	aoff_json_uint(j, "ops", r->ops);
	aoff_json_double(j, "ops_per_sec", (double)r->ops / r->secs, 1);
	aoff_json_uint(j, "lat_p50_ns", r->p50);
	aoff_json_uint(j, "lat_p99_ns", r->p99);
	aoff_json_double(j, "cpu_ns_per_op", per_op(r->cpu_ns, r->ops), 1);
	if (r->other_cpu_known)
		aoff_json_double(j, "other_cpu_ns_per_op",
				 per_op(r->other_cpu_ns, r->ops), 1);
	else
		aoff_json_null(j, "other_cpu_ns_per_op");
	aoff_json_double(j, "syscalls_per_op", per_op(r->syscalls, r->ops), 4);
	if (sq < 0)
		aoff_json_null(j, "sqpoll");
	else
		aoff_json_bool(j, "sqpoll", sq);
	aoff_json_end_object(j);
}

static void print_row(const struct result *r)
{
	printf("%6u %8u %8zu %12.0f %10llu %10llu %10.0f %10s %10.4f %6s\n",
	       r->jobs, r->contexts, r->size, (double)r->ops / r->secs,
	       (unsigned long long)r->p50, (unsigned long long)r->p99,
	       per_op(r->cpu_ns, r->ops),
	       r->other_cpu_known ? other_cpu(r) : "-",
	       per_op(r->syscalls, r->ops),
	       sqpoll_state() < 0 ? "-" : sqpoll_state() ? "on" : "off");
}

/* --latency, --coalesce-*: set for the run, restored at exit. */
static int model_set(const struct opts *o)
{
	const struct { const char *attr; long long val; } set[] = {
		{ "latency_ns", o->latency_ns },
		{ "coalesce_frames", o->coalesce_frames },
		{ "coalesce_usecs", o->coalesce_usecs },
		{ "sq_poll_usecs", o->sq_poll_usecs },
	};
	unsigned int i;

	/* -1: the option was not given, leave the device's value. */
	for (i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		if (set[i].val >= 0 &&
		    bench_sysfs_set(o->dev, set[i].attr, set[i].val))
			return -1;
	return 0;
}

/* --plot with --sweep: ops/s over jobs in flight, one line. */
static int plot_sweep(const struct opts *o, const double *x, const double *y,
		      unsigned int n)
{
	struct plot_series s = { .name = o->mode, .n = n, .x = x, .y = y };
	char title[160];
	int ret;

	snprintf(title, sizeof(title), "asyncoff-bench --mode %s --op %s, "
		 "%zu bytes", o->mode, o->op, o->size);
	ret = bench_plot_svg(o->plot, title, "jobs (requests) in flight",
			     "operations per second", &s, 1);
	if (ret)
		fprintf(stderr, "asyncoff-bench: %s: %s\n", o->plot,
			strerror(-ret));
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const unsigned int sweep[] = { 1, 4, 16, 64, 256, 1024, 10000 };
	double px[16], py[16];
	unsigned int n = 1, i, np = 0;
	int ring, uring;
	struct aoff_json j;
	struct opts o;
	struct result r;

	if (parse(argc, argv, &o))
		return 2;
	/* Before touching the device: the sibling does it all. */
	if (o.compare && bench_compare_reexec(argv))
		return 2;
	ring = !strcmp(o.mode, "ring");
	uring = !strcmp(o.mode, "uring");
	if (!bench_device_mode(&o) && bench_jobs_setup(&o))
		return 2;
	if (model_set(&o))
		return 1;
	if (o.compare)
		return bench_compare(&o);
	if (o.sweep)
		n = ring || uring ? 5 : sizeof(sweep) / sizeof(sweep[0]);
	if (o.sweep && !strcmp(o.mode, "sync"))
		n = 1;
	aoff_json_init(&j, stdout, 0);
	if (o.json && o.sweep)
		aoff_json_begin_array(&j, NULL);
	else if (!o.json)
		printf("asyncoff-bench: mode %s%s%s, op %s, %zu bytes, %s%s%s%s\n"
		       "%6s %8s %8s %12s %10s %10s %10s %10s %10s %6s\n",
		       o.mode, strcmp(o.mode, "callback") ? "" : ", dispatch ",
		       strcmp(o.mode, "callback") ? "" : o.dispatch, o.op,
		       o.size, uring ? "io_uring" : o.dev,
		       bench_device_mode(&o) ? "" : ", ASYNC: ",
		       bench_device_mode(&o) ? "" : bench_async_impl,
		       o.latency_ns >= 0 || o.coalesce_frames >= 0 ||
		       o.coalesce_usecs >= 0 || o.sq_poll_usecs >= 0 ?
		       ", model settings set" : "",
		       "jobs", "contexts", "size",
		       "ops/s", "p50 ns", "p99 ns", "cpu ns/op", "other/op",
		       "sys/op",
		       "sqpoll");
	for (i = 0; i < n; i++) {
		unsigned int jobs = o.sweep ? sweep[i] : o.jobs;
		int ret;

		if (jobs < o.contexts)
			continue;
		ret = ring ? run_ring(&o, jobs, &r) :
		      uring ? bench_uring_run(&o, jobs, &r) :
			      bench_jobs_run(&o, jobs, &r);
		if (ret) {
			fprintf(stderr, "asyncoff-bench: %s: %s%s\n", o.dev,
				strerror(-ret), ret == -ENOENT ?
				" (is the module loaded? insmod asyncoff.ko)" : "");
			return 1;
		}
		if (np < 16 && r.secs > 0) {
			px[np] = jobs;
			py[np++] = (double)r.ops / r.secs;
		}
		if (o.json)
			print_json(&j, &o, &r);
		else
			print_row(&r);
		fflush(stdout);
	}
	if (o.json && o.sweep)
		aoff_json_end_array(&j);
	if (o.json)
		printf("\n");
	return o.plot ? plot_sweep(&o, px, py, np) : 0;
}
