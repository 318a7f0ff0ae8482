// SPDX-License-Identifier: Apache-2.0
/*
 * --latency, --coalesce-frames, --coalesce-usecs: the device model's sysfs
 * attributes (/sys/class/misc/<dev>/<attr>) are set for the run and put
 * back at exit, so a benchmark leaves the device as it found it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aoff/sysfs.h"
#include "bench.h"

#define MAX_SAVED 8

static struct {
	char dev[64];
	char attr[32];
	char path[512];
	char value[32];
} saved[MAX_SAVED];
static unsigned int nr_saved;

static void restore(void)
{
	while (nr_saved--)
		aoff_attr_write(saved[nr_saved].dev, saved[nr_saved].attr,
				saved[nr_saved].value);
}

long long bench_sysfs_get(const char *dev, const char *attr)
{
	return aoff_attr_get(dev, attr);
}

int bench_sysfs_set(const char *dev, const char *attr, long long v)
{
	char *path, *value;
	int ret;

	if (nr_saved == MAX_SAVED)
		return -1;
	snprintf(saved[nr_saved].dev, sizeof(saved[0].dev), "%s", dev);
	snprintf(saved[nr_saved].attr, sizeof(saved[0].attr), "%s", attr);
	path = saved[nr_saved].path;
	value = saved[nr_saved].value;
	aoff_attr_path(path, sizeof(saved[0].path), dev, attr);
	ret = aoff_attr_read(dev, attr, value, sizeof(saved[0].value));
	if (ret) {
		fprintf(stderr, "asyncoff-bench: %s: %s\n", path, strerror(-ret));
		return -1;
	}
	if (!nr_saved++)
		atexit(restore);
	if (aoff_attr_set(dev, attr, v)) {
		fprintf(stderr, "asyncoff-bench: cannot set %s to %lld\n",
			path, v);
		return -1;
	}
	return 0;
}
