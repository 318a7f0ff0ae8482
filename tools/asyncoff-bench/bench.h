/* SPDX-License-Identifier: Apache-2.0 */
/* asyncoff-bench: what the ring mode and the job modes share. */
#ifndef AOFF_BENCH_H
#define AOFF_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <time.h>

struct opts {
	const char *dev;
	const char *mode;	/* ring, fd, callback, sync */
	const char *op;
	const char *dispatch;	/* callback mode: loop (default) or thread */
	unsigned int jobs, contexts;
	size_t size;
	double seconds;
	int json, sweep, quiet;
	long long latency_ns;	/* -1: leave the device's setting */
};

struct result {
	unsigned int jobs, contexts;
	size_t size;
	uint64_t ops;
	double secs;
	uint64_t cpu_ns;
	uint64_t syscalls;
	uint64_t p50, p99;
};

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) *
		1000000000ull +
	       ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) *
		1000ull;
}

/* bench_jobs.c: modes fd, callback and sync (async jobs + the bridge). */
int bench_jobs_setup(const struct opts *o);
int bench_jobs_run(const struct opts *o, unsigned int jobs, struct result *r);
/* The ASYNC implementation the binary was built with. */
extern const char bench_async_impl[];

#endif /* AOFF_BENCH_H */
