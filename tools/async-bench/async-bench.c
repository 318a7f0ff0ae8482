// SPDX-License-Identifier: Apache-2.0
/*
 * aoff-async-bench: the async runtime against libcrypto, in one process.
 *
 * Both implementations are dlopen()ed with RTLD_LOCAL, so each keeps its
 * own ASYNC_* symbols and thread state, and run the same loops:
 *
 *   round trip    a paused job is resumed and pauses again (one
 *                 ASYNC_start_job + one ASYNC_pause_job, two switches)
 *   start+finish  ASYNC_start_job of a job that returns at once (pool
 *                 get, switch in, switch out, pool put)
 *
 * Each figure is the best of --repeat runs of --iterations operations, in
 * nanoseconds of thread CPU time per operation; ratio = libcrypto / runtime.
 */
#include <dlfcn.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/async.h>

#include "aoff/json.h"

struct impl {
	const char *name;
	const char *path;
	void *dl;
	int (*start_job)(ASYNC_JOB **, ASYNC_WAIT_CTX *, int *,
			 int (*)(void *), void *, size_t);
	int (*pause_job)(void);
	ASYNC_WAIT_CTX *(*wait_ctx_new)(void);
	void (*wait_ctx_free)(ASYNC_WAIT_CTX *);
	int (*init_thread)(size_t, size_t);
	void (*cleanup_thread)(void);
	double roundtrip_ns;
	double start_finish_ns;
};

static volatile int stop_pausing;

static int job_pause_loop(void *arg)
{
	const struct impl *im = *(const struct impl **)arg;

	while (!stop_pausing)
		im->pause_job();
	return 1;
}

static int job_empty(void *arg)
{
	(void)arg;
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	/*
	 * The thread's CPU time, not wall time: on a shared machine another
	 * process's time slices would otherwise land in our figures.
	 */
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int load(struct impl *im)
{
	im->dl = dlopen(im->path, RTLD_NOW | RTLD_LOCAL);
	if (!im->dl) {
		fprintf(stderr, "aoff-async-bench: %s: %s\n", im->name,
			dlerror());
		return -1;
	}
#define SYM(field, sym)                                                \
	do {                                                           \
		*(void **)&im->field = dlsym(im->dl, sym);             \
		if (!im->field) {                                      \
			fprintf(stderr, "aoff-async-bench: %s: no %s\n", \
				im->name, sym);                        \
			return -1;                                     \
		}                                                      \
	} while (0)
	SYM(start_job, "ASYNC_start_job");
	SYM(pause_job, "ASYNC_pause_job");
	SYM(wait_ctx_new, "ASYNC_WAIT_CTX_new");
	SYM(wait_ctx_free, "ASYNC_WAIT_CTX_free");
	SYM(init_thread, "ASYNC_init_thread");
	SYM(cleanup_thread, "ASYNC_cleanup_thread");
#undef SYM
	return 0;
}

static int bench_roundtrip(struct impl *im, long iters, int repeat)
{
	ASYNC_WAIT_CTX *ctx = im->wait_ctx_new();
	ASYNC_JOB *job = NULL;
	const struct impl *arg = im;
	int ret, rc, r;
	long i;

	if (!ctx)
		return -1;
	stop_pausing = 0;
	rc = im->start_job(&job, ctx, &ret, job_pause_loop, &arg, sizeof(arg));
	if (rc != ASYNC_PAUSE)
		goto fail;
	im->roundtrip_ns = 0;
	for (r = 0; r < repeat; r++) {
		double t0 = now_ns(), dt;

		for (i = 0; i < iters; i++) {
			rc = im->start_job(&job, ctx, &ret, job_pause_loop,
					   NULL, 0);
			if (rc != ASYNC_PAUSE)
				goto fail;
		}
		dt = (now_ns() - t0) / iters;
		if (r == 0 || dt < im->roundtrip_ns)
			im->roundtrip_ns = dt;
	}
	stop_pausing = 1;
	rc = im->start_job(&job, ctx, &ret, job_pause_loop, NULL, 0);
	im->wait_ctx_free(ctx);
	return rc == ASYNC_FINISH ? 0 : -1;
fail:
	fprintf(stderr, "aoff-async-bench: %s: round trip: ASYNC_start_job returned %d\n",
		im->name, rc);
	return -1;
}

static int bench_start_finish(struct impl *im, long iters, int repeat)
{
	ASYNC_WAIT_CTX *ctx = im->wait_ctx_new();
	int ret, rc = ASYNC_ERR, r;
	long i;

	if (!ctx)
		return -1;
	im->start_finish_ns = 0;
	for (r = 0; r < repeat; r++) {
		double t0 = now_ns(), dt;

		for (i = 0; i < iters; i++) {
			ASYNC_JOB *job = NULL;

			rc = im->start_job(&job, ctx, &ret, job_empty, NULL, 0);
			if (rc != ASYNC_FINISH)
				goto fail;
		}
		dt = (now_ns() - t0) / iters;
		if (r == 0 || dt < im->start_finish_ns)
			im->start_finish_ns = dt;
	}
	im->wait_ctx_free(ctx);
	return 0;
fail:
	fprintf(stderr, "aoff-async-bench: %s: start+finish: ASYNC_start_job returned %d\n",
		im->name, rc);
	im->wait_ctx_free(ctx);
	return -1;
}

/* The runtime sits in ../lib next to bin/, where make puts both. */
static const char *default_runtime(void)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return "libasyncoff-async.so.1";
	exe[n] = '\0';
	snprintf(path, sizeof(path), "%s/../lib/libasyncoff-async.so.1",
		 dirname(exe));
	return path;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: aoff-async-bench [--iterations N] [--repeat N] [--json]\n"
		"                        [--runtime PATH] [--libcrypto PATH]\n"
		"\n"
		"Times the asyncoff async runtime and libcrypto side by side, in\n"
		"one process: a pause+resume round trip and the start+finish of\n"
		"an empty job, in ns per operation (best of --repeat runs), and\n"
		"the ratio libcrypto/runtime.\n"
		"\n"
		"  --iterations N  operations per run (default 1000000)\n"
		"  --repeat N      runs per figure, the best one counts (default 5)\n"
		"  --json          one JSON object instead of the table\n"
		"  --runtime PATH  the runtime .so (default: ../lib/libasyncoff-async.so.1\n"
		"                  beside this program)\n"
		"  --libcrypto PATH  (default: libcrypto.so.3)\n");
}

static void print_table(struct impl *rt, struct impl *lc, int have_lc,
			long iters)
{
	printf("%-24s %12s %12s %8s\n", "operation (ns/op)", "runtime",
	       "libcrypto", "ratio");
	if (have_lc) {
		printf("%-24s %12.1f %12.1f %7.1fx\n", "pause+resume round trip",
		       rt->roundtrip_ns, lc->roundtrip_ns,
		       lc->roundtrip_ns / rt->roundtrip_ns);
		printf("%-24s %12.1f %12.1f %7.1fx\n", "start+finish empty job",
		       rt->start_finish_ns, lc->start_finish_ns,
		       lc->start_finish_ns / rt->start_finish_ns);
	} else {
		printf("%-24s %12.1f %12s %8s\n", "pause+resume round trip",
		       rt->roundtrip_ns, "n/a", "n/a");
		printf("%-24s %12.1f %12s %8s\n", "start+finish empty job",
		       rt->start_finish_ns, "n/a", "n/a");
	}
	printf("(%ld iterations per run)\n", iters);
}

static void json_impl(struct aoff_json *j, const char *key,
		      const struct impl *m)
{
	aoff_json_begin_object(j, key);
	aoff_json_double(j, "roundtrip_ns", m->roundtrip_ns, 2);
	aoff_json_double(j, "start_finish_ns", m->start_finish_ns, 2);
	aoff_json_end_object(j);
}

/* Spaced (", ", ": "): the layout this tool always printed. */
static void print_json(struct impl *rt, struct impl *lc, int have_lc,
		       long iters, int repeat)
{
	struct aoff_json j;

	aoff_json_init(&j, stdout, 1);
	aoff_json_begin_object(&j, NULL);
	aoff_json_int(&j, "iterations", iters);
	aoff_json_int(&j, "repeat", repeat);
	json_impl(&j, "runtime", rt);
	if (have_lc) {
		json_impl(&j, "libcrypto", lc);
		aoff_json_begin_object(&j, "ratio");
		aoff_json_double(&j, "roundtrip",
				 lc->roundtrip_ns / rt->roundtrip_ns, 2);
		aoff_json_double(&j, "start_finish",
				 lc->start_finish_ns / rt->start_finish_ns, 2);
		aoff_json_end_object(&j);
	} else {
		aoff_json_null(&j, "libcrypto");
		aoff_json_null(&j, "ratio");
	}
	aoff_json_end_object(&j);
	printf("\n");
}

static long parse_count(const char *s, const char *opt)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0) {
		fprintf(stderr, "aoff-async-bench: %s wants a positive number, not '%s'\n",
			opt, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "iterations", required_argument, NULL, 'n' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "runtime", required_argument, NULL, 'R' },
		{ "libcrypto", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct impl rt = { .name = "runtime" };
	struct impl lc = { .name = "libcrypto", .path = "libcrypto.so.3" };
	long iters = 1000000;
	int repeat = 5, json = 0, have_lc, c;

	rt.path = default_runtime();
	while ((c = getopt_long(argc, argv, "n:r:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			iters = parse_count(optarg, "--iterations");
			break;
		case 'r':
			repeat = (int)parse_count(optarg, "--repeat");
			break;
		case 'j':
			json = 1;
			break;
		case 'R':
			rt.path = optarg;
			break;
		case 'L':
			lc.path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	if (load(&rt) != 0)
		return 1;
	have_lc = load(&lc) == 0;
	if (!have_lc)
		fprintf(stderr, "aoff-async-bench: libcrypto not measured\n");

	/* Warm both pools and caches before timing. */
	if (bench_roundtrip(&rt, iters / 10 + 1, 1) ||
	    bench_roundtrip(&rt, iters, repeat) ||
	    bench_start_finish(&rt, iters, repeat))
		return 1;
	if (have_lc &&
	    (bench_roundtrip(&lc, iters / 10 + 1, 1) ||
	     bench_roundtrip(&lc, iters, repeat) ||
	     bench_start_finish(&lc, iters, repeat)))
		return 1;

	if (json)
		print_json(&rt, &lc, have_lc, iters, repeat);
	else
		print_table(&rt, &lc, have_lc, iters);
	return 0;
}
