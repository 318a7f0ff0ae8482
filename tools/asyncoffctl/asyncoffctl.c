// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoffctl: status, model parameters, fault injection and reset of the
 * asyncoff devices, through their sysfs attributes
 * (/sys/class/misc/asyncoffN/, Documentation/driver/sysfs-asyncoff).
 *
 * Exit status: 0 success; 1 the module is not loaded, a device does not
 * exist or the driver refused a value; 2 usage error (unknown command,
 * parameter or malformed argument).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aoff/json.h"
#include "aoff/sysfs.h"

#define PREFIX	"asyncoff"

/* The attribute groups, from the driver's own list. */
static const char *const params[] = {
#define AOFF_PARAM(name, ...)		#name,
#define AOFF_PARAM_OWN(name)		#name,
#include "sysfs_attrs.h"
};
static const char *const faults[] = {
#define AOFF_FAULT(name, ...)		#name,
#define AOFF_FAULT_OWN(name)		#name,
#include "sysfs_attrs.h"
};
static const char *const stats[] = {
#define AOFF_STAT(name, ...)		#name,
#define AOFF_STAT_OWN(name)		#name,
#include "sysfs_attrs.h"
};
static const char *const class_stats[] = {
#define AOFF_CLASS_STAT(name, ...)	#name,
#include "sysfs_attrs.h"
};
#define N(a)	(sizeof(a) / sizeof((a)[0]))

static void usage(FILE *f)
{
	fprintf(f,
"usage: asyncoffctl status [DEV] [--json]   devices, parameters, statistics\n"
"       asyncoffctl set DEV PARAM=VALUE...   set model parameters\n"
"       asyncoffctl fault DEV FAULT=VALUE... | off\n"
"       asyncoffctl reset DEV                reset the device\n"
"       asyncoffctl --help\n"
"\n"
"DEV is asyncoffN, /dev/asyncoffN or N.\n"
"PARAM: engines (1..64), latency_ns (0..10^10), ns_per_kib (0..10^8),\n"
"       coalesce_frames (1..65536), coalesce_usecs (0..10^6),\n"
"       sq_poll_usecs (1..10^5: SQPOLL contexts' watch period),\n"
"       pk_latency_ns (0..10^10), pk_busy_ns (0..10^9): the public-key class\n"
"FAULT: fail_every (0..10^9, 0 off), fail_ppm (0..10^6), stall_ms (0..60000);\n"
"       'off' clears all three.  '-' may replace '_' in names.\n"
"\n"
"A reset fails every request in flight (-ECANCELED) and breaks the device's\n"
"open contexts; contexts opened afterwards work.  Writing needs root.\n");
}

/* "asyncoff0", "/dev/asyncoff0", "0" -> "asyncoff0". */
static int dev_name(const char *arg, char *out, size_t len)
{
	const char *p = strrchr(arg, '/');
	char *end;

	p = p ? p + 1 : arg;
	if (!strncmp(p, PREFIX, strlen(PREFIX)))
		p += strlen(PREFIX);
	if (!*p || strtoul(p, &end, 10) > 1000 || *end)
		return -1;
	snprintf(out, len, PREFIX "%s", p);
	return 0;
}

static int dev_exists(const char *dev)
{
	char path[512];

	aoff_attr_path(path, sizeof(path), dev, "submitted");
	return access(path, F_OK) == 0;
}

static int cmp_dev(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;

	return atoi(x + strlen(PREFIX)) - atoi(y + strlen(PREFIX));
}

/* The devices present, sorted by number; returns how many (max 64). */
static int list_devs(char names[][32], int max)
{
	char *ptr[64];
	char tmp[64][32];
	struct dirent *de;
	DIR *d = opendir(aoff_attr_root());
	int n = 0, i;

	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max && n < 64) {
		char nm[32];

		if (strncmp(de->d_name, PREFIX, strlen(PREFIX)) ||
		    dev_name(de->d_name, nm, sizeof(nm)) || !dev_exists(nm))
			continue;
		snprintf(tmp[n], sizeof(tmp[n]), "%s", nm);
		ptr[n] = tmp[n];
		n++;
	}
	closedir(d);
	qsort(ptr, n, sizeof(ptr[0]), cmp_dev);
	for (i = 0; i < n; i++)
		snprintf(names[i], 32, "%s", ptr[i]);
	return n;
}

static void show_group(const char *dev, const char *title,
		       const char *const *attrs, size_t n)
{
	char val[64];
	size_t i;

	printf("  %-11s", title);
	for (i = 0; i < n; i++) {
		if (aoff_attr_read(dev, attrs[i], val, sizeof(val)))
			snprintf(val, sizeof(val), "?");
		printf("%s%s %s", i ? (i % 5 ? ", " : ",\n             ") : " ",
		       attrs[i], val);
	}
	printf("\n");
}

/* A group as a JSON object; an unreadable or non-numeric value is null. */
static void json_group(struct aoff_json *j, const char *dev, const char *title,
		       const char *const *attrs, size_t n)
{
	char val[64], *end;
	long long v;
	size_t i;

	aoff_json_begin_object(j, title);
	for (i = 0; i < n; i++) {
		if (aoff_attr_read(dev, attrs[i], val, sizeof(val))) {
			aoff_json_null(j, attrs[i]);
			continue;
		}
		v = strtoll(val, &end, 10);
		if (end == val || *end)
			aoff_json_null(j, attrs[i]);
		else
			aoff_json_int(j, attrs[i], v);
	}
	aoff_json_end_object(j);
}

static void show_device(const char *dev)
{
	printf("%s\n", dev);
	show_group(dev, "parameters", params, N(params));
	show_group(dev, "faults", faults, N(faults));
	show_group(dev, "statistics", stats, N(stats));
	show_group(dev, "classes", class_stats, N(class_stats));
}

static void json_device(struct aoff_json *j, const char *dev)
{
	aoff_json_begin_object(j, NULL);
	aoff_json_string(j, "name", dev);
	json_group(j, dev, "parameters", params, N(params));
	json_group(j, dev, "faults", faults, N(faults));
	json_group(j, dev, "statistics", stats, N(stats));
	json_group(j, dev, "classes", class_stats, N(class_stats));
	aoff_json_end_object(j);
}

static void no_module(void)
{
	fprintf(stderr, "asyncoffctl: no asyncoff device in %s: is the module "
		"loaded? (modprobe asyncoff)\n", aoff_attr_root());
}

static int no_device(const char *dev)
{
	char any[1][32];

	if (!list_devs(any, 1))
		no_module();
	else
		fprintf(stderr, "asyncoffctl: %s: no such device\n", dev);
	return 1;
}

static int cmd_status(int argc, char **argv)
{
	char names[64][32];
	struct aoff_json j;
	int json = 0, n = 0, i;
	const char *want = NULL;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!want && argv[i][0] != '-')
			want = argv[i];
		else {
			fprintf(stderr, "asyncoffctl: status: unexpected '%s'\n", argv[i]);
			return 2;
		}
	}
	if (want) {
		if (dev_name(want, names[0], sizeof(names[0]))) {
			fprintf(stderr, "asyncoffctl: '%s' is not a device name\n", want);
			return 2;
		}
		if (!dev_exists(names[0]))
			return no_device(names[0]);
		n = 1;
	} else {
		n = list_devs(names, 64);
		if (!n) {
			no_module();
			return 1;
		}
	}
	if (!json) {
		for (i = 0; i < n; i++)
			show_device(names[i]);
		return 0;
	}
	aoff_json_init(&j, stdout, 0);
	aoff_json_begin_object(&j, NULL);
	aoff_json_begin_array(&j, "devices");
	for (i = 0; i < n; i++)
		json_device(&j, names[i]);
	aoff_json_end_array(&j);
	aoff_json_end_object(&j);
	printf("\n");
	return 0;
}

/* Canonical attribute name of @name in @list (dashes allowed), or NULL. */
static const char *lookup(const char *name, size_t len,
			  const char *const *list, size_t n)
{
	char buf[32];
	size_t i;

	if (len >= sizeof(buf))
		return NULL;
	for (i = 0; i < len; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	buf[len] = 0;
	for (i = 0; i < n; i++)
		if (!strcmp(buf, list[i]))
			return list[i];
	return NULL;
}

/* Applies NAME=VALUE pairs after checking every name and number. */
static int set_pairs(const char *dev, int argc, char **argv,
		     const char *const *list, size_t n, const char *what)
{
	const char *attr[64];
	int i;

	if (!argc || argc > 64) {
		fprintf(stderr, "asyncoffctl: give 1..64 %s=VALUE pairs\n", what);
		return 2;
	}
	for (i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '='), *v;
		char *end;

		if (!eq) {
			fprintf(stderr, "asyncoffctl: '%s': want %s=VALUE\n", argv[i], what);
			return 2;
		}
		attr[i] = lookup(argv[i], eq - argv[i], list, n);
		if (!attr[i]) {
			size_t k;

			fprintf(stderr, "asyncoffctl: unknown %s '%.*s' (one of:", what,
				(int)(eq - argv[i]), argv[i]);
			for (k = 0; k < n; k++)
				fprintf(stderr, " %s", list[k]);
			fprintf(stderr, ")\n");
			return 2;
		}
		v = eq + 1;
		errno = 0;
		if (!*v || *v == '-' || (strtoull(v, &end, 10), *end) || errno) {
			fprintf(stderr, "asyncoffctl: %s: '%s' is not a number\n",
				attr[i], v);
			return 2;
		}
	}
	if (!dev_exists(dev))
		return no_device(dev);
	for (i = 0; i < argc; i++) {
		const char *v = strchr(argv[i], '=') + 1;
		int ret = aoff_attr_write(dev, attr[i], v);

		if (ret) {
			fprintf(stderr, "asyncoffctl: %s: %s=%s refused: %s%s\n", dev,
				attr[i], v, strerror(-ret),
				ret == -EINVAL ? " (out of range; see --help)" : "");
			return 1;
		}
	}
	return 0;
}

static int get_dev(const char *arg, char *dev, size_t len)
{
	if (!arg) {
		fprintf(stderr, "asyncoffctl: missing DEV\n");
		return 2;
	}
	if (dev_name(arg, dev, len)) {
		fprintf(stderr, "asyncoffctl: '%s' is not a device name\n", arg);
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char dev[32];
	int ret;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "status"))
		return cmd_status(argc - 2, argv + 2);
	if (strcmp(argv[1], "set") && strcmp(argv[1], "fault") &&
	    strcmp(argv[1], "reset")) {
		fprintf(stderr, "asyncoffctl: unknown command '%s' (see --help)\n",
			argv[1]);
		return 2;
	}
	ret = get_dev(argv[2], dev, sizeof(dev));
	if (ret)
		return ret;
	if (!strcmp(argv[1], "set"))
		return set_pairs(dev, argc - 3, argv + 3, params, N(params),
				 "parameter");
	if (!strcmp(argv[1], "fault")) {
		static char *off[] = { "fail_every=0", "fail_ppm=0", "stall_ms=0" };

		if (argc == 4 && !strcmp(argv[3], "off"))
			return set_pairs(dev, 3, off, faults, N(faults), "fault");
		return set_pairs(dev, argc - 3, argv + 3, faults, N(faults),
				 "fault");
	}
	if (argc != 3) {
		fprintf(stderr, "asyncoffctl: reset takes only DEV\n");
		return 2;
	}
	if (!dev_exists(dev))
		return no_device(dev);
	ret = aoff_attr_write(dev, "reset", "1");
	if (ret) {
		fprintf(stderr, "asyncoffctl: %s: reset failed: %s\n", dev,
			strerror(-ret));
		return 1;
	}
	printf("%s: reset\n", dev);
	return 0;
}
