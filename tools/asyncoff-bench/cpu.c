// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff-bench: CPU time of the measurement, the benchmark's own and the
 * rest of the machine's.
 *
 * The process's CPU (getrusage: every thread, user + system) misses work
 * the device model does for it in kernel threads: the engines, the SQ
 * poller that takes requests without a doorbell, the interrupt work.  A
 * real accelerator does that in silicon, but in the model it burns a CPU
 * of the same machine, and a figure that leaves it out would flatter
 * SQPOLL above all.  So the busy time of all CPUs (/proc/stat) is read at
 * the same two points; what the process did not use is "other" CPU:
 * the device model's threads, plus anything else running (nothing else,
 * in the benchmark VM).
 */
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench.h"

/* The process's CPU time (every thread, user + system), in ns. */
static uint64_t cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) *
		1000000000ull +
	       ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) *
		1000ull;
}

/* Busy time of every CPU since boot, in ns; 0 if /proc/stat is missing. */
static uint64_t machine_busy_ns(void)
{
	unsigned long long user, nice, sys, idle, iowait, irq, softirq, steal;
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "re");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user,
		   &nice, &sys, &idle, &iowait, &irq, &softirq, &steal);
	fclose(f);
	if (n != 8 || hz <= 0)
		return 0;
	return (user + nice + sys + irq + softirq + steal) *
	       (1000000000ull / (unsigned long long)hz);
}

void cpu_mark_now(struct cpu_mark *m)
{
	m->self_ns = cpu_ns();
	m->machine_ns = machine_busy_ns();
}

void cpu_mark_since(const struct cpu_mark *m, struct result *r)
{
	uint64_t machine = machine_busy_ns();

	r->cpu_ns = cpu_ns() - m->self_ns;
	/*
	 * /proc/stat counts in clock ticks, the process in µs: a short run
	 * can show the machine less busy than the process; that counts as
	 * no other CPU at all.
	 */
	r->other_cpu_ns = 0;
	r->other_cpu_known = m->machine_ns && machine;
	if (r->other_cpu_known && machine - m->machine_ns > r->cpu_ns)
		r->other_cpu_ns = machine - m->machine_ns - r->cpu_ns;
}
