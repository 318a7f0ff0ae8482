/* SPDX-License-Identifier: Apache-2.0 */
/* asyncoff-bench: what the ring mode and the job modes share. */
#ifndef AOFF_BENCH_H
#define AOFF_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define BENCH_MAX_SIZES	16

struct opts {
	const char *dev;
	const char *mode;	/* ring, uring, fd, callback, sync */
	const char *op;
	const char *dispatch;	/* callback mode: loop (default) or thread */
	unsigned int jobs, contexts;
	size_t size;
	double seconds;
	int json, sweep, quiet;
	int compare;		/* --compare: asyncoff vs afalg vs software */
	const char *plot;	/* --plot FILE.svg, or NULL */
	size_t sizes[BENCH_MAX_SIZES];	/* --sizes (compare mode) */
	unsigned int nr_sizes;
	unsigned int rounds;	/* compare mode: median of this many */
	/* Device model settings for the run (sysfs), -1: leave as is. */
	long long latency_ns;
	long long coalesce_frames, coalesce_usecs, sq_poll_usecs;
	int sqpoll;		/* -1 default, 0 off, 1 on */
	unsigned int sq_idle_us;	/* bridge contexts' idle time, 0: default */
};

struct result {
	unsigned int jobs, contexts;
	size_t size;
	uint64_t ops;
	double secs;
	uint64_t cpu_ns;	/* the process's */
	uint64_t other_cpu_ns;	/* every other CPU user (cpu.c) */
	int other_cpu_known;	/* /proc/stat was there to tell */
	uint64_t syscalls;
	uint64_t p50, p99;
};

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * Latency is sampled: one operation in BENCH_LAT_EVERY is timed, and the
 * loops that time themselves look at the clock once per BENCH_LAT_EVERY
 * operations.  In a TCG guest the clocksource is hpet and every
 * clock_gettime is a system call; timing each operation would add two to
 * the path being measured (and to in-process software most of all).
 */
#define BENCH_LAT_EVERY	64

/* --rounds at most (compare mode keeps every round to take the median). */
#define BENCH_MAX_ROUNDS	31

static inline int bench_lat_sample(uint64_t n)
{
	return n % BENCH_LAT_EVERY == 0;
}

/* v / ops, 0 when nothing ran. */
static inline double per_op(uint64_t v, uint64_t ops)
{
	return ops ? (double)v / (double)ops : 0.0;
}

/* cpu.c: the process's and the rest of the machine's CPU over a run. */
struct cpu_mark {
	uint64_t self_ns, machine_ns;
};
void cpu_mark_now(struct cpu_mark *m);
/* Sets r->cpu_ns and r->other_cpu_ns for the time since @m. */
void cpu_mark_since(const struct cpu_mark *m, struct result *r);

/*
 * bench_jobs.c: modes fd, callback and sync (async jobs + the bridge).
 *
 * A job function gets a struct bench_call (copied by ASYNC_start_job):
 * what every job shares, what belongs to its wait ctx's slot, and where to
 * leave the output (NULL: a scratch buffer).  It returns 1 on success.
 */
struct bench_call {
	const void *common;
	void *slot;
	uint8_t *out;
};
typedef int (*bench_job_fn)(void *call);

int bench_jobs_setup(const struct opts *o);
int bench_jobs_run(const struct opts *o, unsigned int jobs, struct result *r);
/*
 * Keep @jobs jobs of @fn in flight for o->seconds in fd mode (or callback
 * mode, for o->mode "callback"); slot i's job gets @slots[i] (@slots may
 * be NULL).  @label names the path on the progress line.
 */
int bench_drive(const struct opts *o, unsigned int jobs, bench_job_fn fn,
		const void *common, void **slots, const char *label,
		struct result *r);
/* One job of @fn, run to completion (poll on its wait ctx's fds). */
int bench_run_one(bench_job_fn fn, const struct bench_call *call);
/* The bridge's job for --op: the args every job shares. */
struct job_args;
int bench_job(void *call);
struct job_args *bench_job_args(const char *op, uint32_t size);
/* Whether the bridge's contexts poll their SQ (doorbell-less), or -1. */
int bench_sqpoll_state(void);

/* The ASYNC implementation the binary was built with. */
extern const char bench_async_impl[];

/* The AES key, IV and plaintext every path encrypts (bench_jobs.c). */
extern const uint8_t bench_key[32], bench_iv[16];
const uint8_t *bench_plaintext(size_t size);

/*
 * compare.c: --compare.  bench_compare_reexec() returns 0 in the binary
 * that can compare (libcrypto's ASYNC); the other one runs its sibling
 * asyncoff-bench-libcrypto with the same arguments, or fails (-1).
 */
int bench_compare_reexec(char **argv);
int bench_compare(const struct opts *o);

/* plot.c: a self-contained SVG line chart, log2 x and log10 y axes. */
struct plot_series {
	const char *name;
	unsigned int n;
	const double *x, *y;	/* y <= 0: no point */
};
int bench_plot_svg(const char *path, const char *title, const char *xlabel,
		   const char *ylabel, const struct plot_series *s,
		   unsigned int nr);

/* Modes with no async jobs: ring (the device) and uring (io_uring). */
static inline int bench_device_mode(const struct opts *o)
{
	return !strcmp(o->mode, "ring") || !strcmp(o->mode, "uring");
}

/* uring.c: the floor, io_uring NOPs (mode uring). */
int bench_uring_run(const struct opts *o, unsigned int jobs,
		    struct result *r);

/* progress.c: one updating line on stderr, when it is a terminal. */
void progress_start(const struct opts *o);
void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void progress_end(void);

/* sysfs.c: device model attributes set for the run, restored at exit. */
int bench_sysfs_set(const char *dev, const char *attr, long long v);
long long bench_sysfs_get(const char *dev, const char *attr);

#endif /* AOFF_BENCH_H */
