// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: per-device sysfs attributes, /sys/class/misc/asyncoffN/:
 * the model's parameters (read-write), fault injection, the reset
 * trigger and the statistics (read-only).  Documented in
 * Documentation/driver/sysfs-asyncoff.
 *
 * The attributes are listed once, in sysfs_attrs.h (shared with asyncoffctl
 * and the selftests); this file gives them their show and store.
 *
 * Every write is parsed whole (one decimal number, an optional newline)
 * and range-checked before anything changes: a bad write fails with
 * EINVAL and leaves the device as it was.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/sysfs.h>

#include "aoff.h"

static struct aoff_device *aoff_sysfs_dev(struct device *d)
{
	struct miscdevice *misc = dev_get_drvdata(d);

	return container_of(misc, struct aoff_device, misc);
}

/* One number in [min, max]; every parse failure is EINVAL. */
static int aoff_parse(const char *buf, u64 min, u64 max, u64 *val)
{
	if (kstrtou64(buf, 10, val) || *val < min || *val > max)
		return -EINVAL;
	return 0;
}

/* A read-write parameter: a u32 or u64 field of struct aoff_params. */
struct aoff_param_attr {
	struct device_attribute dattr;
	unsigned int off;
	unsigned int size;
	u64 min, max;
};

static ssize_t aoff_param_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	struct aoff_param_attr *pa = container_of(attr, struct aoff_param_attr,
						  dattr);
	void *field = (u8 *)&aoff_sysfs_dev(d)->params + pa->off;
	u64 val;

	if (pa->size == sizeof(u64))
		val = READ_ONCE(*(u64 *)field);
	else
		val = READ_ONCE(*(u32 *)field);
	return sysfs_emit(buf, "%llu\n", val);
}

static ssize_t aoff_param_store(struct device *d, struct device_attribute *attr,
				const char *buf, size_t len)
{
	struct aoff_param_attr *pa = container_of(attr, struct aoff_param_attr,
						  dattr);
	struct aoff_device *dev = aoff_sysfs_dev(d);
	void *field = (u8 *)&dev->params + pa->off;
	u64 val;

	if (aoff_parse(buf, pa->min, pa->max, &val))
		return -EINVAL;
	/* Count afresh, so "every Nth" starts at the write. */
	if (pa->off == offsetof(struct aoff_params, fail_every))
		atomic_set(&dev->fail_seq, 0);
	if (pa->size == sizeof(u64))
		WRITE_ONCE(*(u64 *)field, val);
	else
		WRITE_ONCE(*(u32 *)field, (u32)val);
	return len;
}

/* The parameters and faults of sysfs_attrs.h that are aoff_params fields. */
enum aoff_param_idx {
#define AOFF_PARAM(_name, ...)	AOFF_P_##_name,
#define AOFF_FAULT(_name, ...)	AOFF_P_##_name,
#include "sysfs_attrs.h"
};

static struct aoff_param_attr aoff_param_attrs[] = {
#define AOFF_PARAM(_name, _type, _min, _max)				\
	[AOFF_P_##_name] = {						\
		.dattr	= {						\
			.attr	= { .name = #_name, .mode = 0644 },	\
			.show	= aoff_param_show,			\
			.store	= aoff_param_store,			\
		},							\
		.off	= offsetof(struct aoff_params, _name),		\
		.size	= sizeof(_type),				\
		.min	= (_min),					\
		.max	= (_max),					\
	},
#define AOFF_FAULT AOFF_PARAM
#include "sysfs_attrs.h"
};

/* Each type in sysfs_attrs.h is its field's (only the sizes are used). */
static const char aoff_param_types[] __maybe_unused = {
#define AOFF_PARAM(_name, _type, ...)					\
	BUILD_BUG_ON_ZERO(sizeof_field(struct aoff_params, _name) !=	\
			  sizeof(_type)),
#define AOFF_FAULT AOFF_PARAM
#include "sysfs_attrs.h"
};

static ssize_t engines_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(aoff_sysfs_dev(d)->nr_engines));
}

static ssize_t engines_store(struct device *d, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	u64 val;
	int ret;

	if (aoff_parse(buf, 1, AOFF_MAX_ENGINES, &val))
		return -EINVAL;
	ret = aoff_device_set_engines(aoff_sysfs_dev(d), val);
	return ret ? ret : len;
}
static DEVICE_ATTR_RW(engines);

/* Remaining stall in ms (rounded up); a write starts or ends one. */
static ssize_t stall_ms_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	u64 until = READ_ONCE(aoff_sysfs_dev(d)->stall_until);
	u64 now = ktime_get_ns();

	return sysfs_emit(buf, "%llu\n", until > now ?
			  div_u64(until - now + NSEC_PER_MSEC - 1,
				  NSEC_PER_MSEC) : 0);
}

static ssize_t stall_ms_store(struct device *d, struct device_attribute *attr,
			      const char *buf, size_t len)
{
	u64 val;

	if (aoff_parse(buf, 0, 60 * MSEC_PER_SEC, &val))
		return -EINVAL;
	aoff_device_stall(aoff_sysfs_dev(d), val);
	return len;
}
static DEVICE_ATTR_RW(stall_ms);

static ssize_t reset_store(struct device *d, struct device_attribute *attr,
			   const char *buf, size_t len)
{
	u64 val;

	if (aoff_parse(buf, 1, 1, &val))
		return -EINVAL;
	aoff_device_reset(aoff_sysfs_dev(d));
	return len;
}
static DEVICE_ATTR_WO(reset);

/* A statistic: an atomic64_t of struct aoff_stats. */
struct aoff_stat_attr {
	struct device_attribute dattr;
	unsigned int off;
};

static ssize_t aoff_stat_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct aoff_stat_attr *sa = container_of(attr, struct aoff_stat_attr,
						 dattr);
	atomic64_t *v = (void *)((u8 *)&aoff_sysfs_dev(d)->stats + sa->off);

	return sysfs_emit(buf, "%lld\n", (s64)atomic64_read(v));
}

/* The statistics of sysfs_attrs.h that are aoff_stats counters. */
enum aoff_stat_idx {
#define AOFF_STAT(_name, ...)		AOFF_S_##_name,
#define AOFF_CLASS_STAT(_name, ...)	AOFF_S_##_name,
#include "sysfs_attrs.h"
};

#define AOFF_STAT_DATTR(_name)						\
	{ .attr = { .name = #_name, .mode = 0444 }, .show = aoff_stat_show }

static struct aoff_stat_attr aoff_stat_attrs[] = {
#define AOFF_STAT(_name, _field)					\
	[AOFF_S_##_name] = {						\
		.dattr	= AOFF_STAT_DATTR(_name),			\
		.off	= offsetof(struct aoff_stats, _field),		\
	},
#define AOFF_CLASS_STAT(_name, _cl, _field)				\
	[AOFF_S_##_name] = {						\
		.dattr	= AOFF_STAT_DATTR(_name),			\
		.off	= offsetof(struct aoff_stats, _field[_cl]),	\
	},
#include "sysfs_attrs.h"
};

static ssize_t in_flight_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	struct aoff_device *dev = aoff_sysfs_dev(d);
	/* completed first: the difference is never negative. */
	s64 done = atomic64_read(&dev->stats.completed);

	return sysfs_emit(buf, "%lld\n",
			  atomic64_read(&dev->stats.submitted) - done);
}
static DEVICE_ATTR_RO(in_flight);

static ssize_t contexts_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(aoff_sysfs_dev(d)->nr_contexts));
}
static DEVICE_ATTR_RO(contexts);

/* Every attribute of sysfs_attrs.h, in its order. */
static struct attribute *aoff_dev_attrs[] = {
#define AOFF_PARAM(_name, ...)	(&aoff_param_attrs[AOFF_P_##_name].dattr.attr),
#define AOFF_FAULT AOFF_PARAM
#define AOFF_PARAM_OWN(_name)	(&dev_attr_##_name.attr),
#define AOFF_FAULT_OWN AOFF_PARAM_OWN
#define AOFF_ACTION AOFF_PARAM_OWN
#define AOFF_STAT_OWN AOFF_PARAM_OWN
#define AOFF_STAT(_name, ...)	(&aoff_stat_attrs[AOFF_S_##_name].dattr.attr),
#define AOFF_CLASS_STAT AOFF_STAT
#include "sysfs_attrs.h"
	NULL,
};

static const struct attribute_group aoff_dev_group = {
	.attrs = aoff_dev_attrs,
};

const struct attribute_group *aoff_dev_groups[] = {
	&aoff_dev_group,
	NULL,
};
