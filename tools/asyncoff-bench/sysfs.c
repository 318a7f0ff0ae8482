// SPDX-License-Identifier: Apache-2.0
/*
 * --latency, --coalesce-frames, --coalesce-usecs: the device model's sysfs
 * attributes (/sys/class/misc/<dev>/<attr>) are set for the run and put
 * back at exit, so a benchmark leaves the device as it found it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#define MAX_SAVED 8

static struct {
	char path[256];
	char value[32];
} saved[MAX_SAVED];
static unsigned int nr_saved;

static void restore(void)
{
	while (nr_saved--) {
		FILE *f = fopen(saved[nr_saved].path, "w");

		if (f) {
			fputs(saved[nr_saved].value, f);
			fclose(f);
		}
	}
}

static void attr_path(char *buf, size_t len, const char *dev,
		      const char *attr)
{
	const char *base = strrchr(dev, '/');

	snprintf(buf, len, "/sys/class/misc/%s/%s", base ? base + 1 : dev,
		 attr);
}

long long bench_sysfs_get(const char *dev, const char *attr)
{
	char path[256], buf[32];
	long long v = -1;
	FILE *f;

	attr_path(path, sizeof(path), dev, attr);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtoll(buf, NULL, 0);
	fclose(f);
	return v;
}

int bench_sysfs_set(const char *dev, const char *attr, long long v)
{
	char *path, *value;
	FILE *f;

	if (nr_saved == MAX_SAVED)
		return -1;
	path = saved[nr_saved].path;
	value = saved[nr_saved].value;
	attr_path(path, sizeof(saved[0].path), dev, attr);
	f = fopen(path, "r");
	if (!f || !fgets(value, sizeof(saved[0].value), f)) {
		fprintf(stderr, "asyncoff-bench: %s: %m\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	if (!nr_saved++)
		atexit(restore);
	f = fopen(path, "w");
	if (f) {
		int bad = fprintf(f, "%lld\n", v) < 0;

		if (fclose(f) || bad)
			f = NULL;
	}
	if (!f) {
		fprintf(stderr, "asyncoff-bench: cannot set %s to %lld\n",
			path, v);
		return -1;
	}
	return 0;
}
