// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: per-device sysfs attributes, /sys/class/misc/asyncoffN/:
 * the model's parameters (read-write), fault injection, the reset
 * trigger and the statistics (read-only).  Documented in
 * Documentation/driver/sysfs-asyncoff.
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

static struct aoff_param_attr aoff_attr_latency_ns = {
	.dattr	= __ATTR(latency_ns, 0644, aoff_param_show, aoff_param_store),
	.off	= offsetof(struct aoff_params, latency_ns),
	.size	= sizeof_field(struct aoff_params, latency_ns),
	.max	= 10 * NSEC_PER_SEC,
};

static struct aoff_param_attr aoff_attr_ns_per_kib = {
	.dattr	= __ATTR(ns_per_kib, 0644, aoff_param_show, aoff_param_store),
	.off	= offsetof(struct aoff_params, ns_per_kib),
	.size	= sizeof_field(struct aoff_params, ns_per_kib),
	.max	= 100 * NSEC_PER_MSEC,
};

/* The public-key class (AOFF_CLASS_PK; engine.c). */
static struct aoff_param_attr aoff_attr_pk_latency_ns = {
	.dattr	= __ATTR(pk_latency_ns, 0644, aoff_param_show,
			 aoff_param_store),
	.off	= offsetof(struct aoff_params, pk_latency_ns),
	.size	= sizeof_field(struct aoff_params, pk_latency_ns),
	.max	= 10 * NSEC_PER_SEC,
};

static struct aoff_param_attr aoff_attr_pk_busy_ns = {
	.dattr	= __ATTR(pk_busy_ns, 0644, aoff_param_show, aoff_param_store),
	.off	= offsetof(struct aoff_params, pk_busy_ns),
	.size	= sizeof_field(struct aoff_params, pk_busy_ns),
	.max	= NSEC_PER_SEC,
};

static struct aoff_param_attr aoff_attr_coalesce_frames = {
	.dattr	= __ATTR(coalesce_frames, 0644, aoff_param_show,
			 aoff_param_store),
	.off	= offsetof(struct aoff_params, coalesce_frames),
	.size	= sizeof_field(struct aoff_params, coalesce_frames),
	.min	= 1,
	.max	= 65536,
};

static struct aoff_param_attr aoff_attr_coalesce_usecs = {
	.dattr	= __ATTR(coalesce_usecs, 0644, aoff_param_show,
			 aoff_param_store),
	.off	= offsetof(struct aoff_params, coalesce_usecs),
	.size	= sizeof_field(struct aoff_params, coalesce_usecs),
	.max	= USEC_PER_SEC,
};

static struct aoff_param_attr aoff_attr_fail_every = {
	.dattr	= __ATTR(fail_every, 0644, aoff_param_show, aoff_param_store),
	.off	= offsetof(struct aoff_params, fail_every),
	.size	= sizeof_field(struct aoff_params, fail_every),
	.max	= 1000000000,
};

static struct aoff_param_attr aoff_attr_fail_ppm = {
	.dattr	= __ATTR(fail_ppm, 0644, aoff_param_show, aoff_param_store),
	.off	= offsetof(struct aoff_params, fail_ppm),
	.size	= sizeof_field(struct aoff_params, fail_ppm),
	.max	= 1000000,
};

static struct aoff_param_attr aoff_attr_sq_poll_usecs = {
	.dattr	= __ATTR(sq_poll_usecs, 0644, aoff_param_show,
			 aoff_param_store),
	.off	= offsetof(struct aoff_params, sq_poll_usecs),
	.size	= sizeof_field(struct aoff_params, sq_poll_usecs),
	.min	= AOFF_SQ_POLL_USECS_MIN,
	.max	= AOFF_SQ_POLL_USECS_MAX,
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

#define AOFF_STAT_INIT(_attr_name, _off)				\
	{ .dattr = __ATTR(_attr_name, 0444, aoff_stat_show, NULL),	\
	  .off = (_off) }

static struct aoff_stat_attr aoff_stat_attrs[] = {
	AOFF_STAT_INIT(submitted, offsetof(struct aoff_stats, submitted)),
	AOFF_STAT_INIT(completed, offsetof(struct aoff_stats, completed)),
	AOFF_STAT_INIT(errors, offsetof(struct aoff_stats, errors)),
	AOFF_STAT_INIT(interrupts, offsetof(struct aoff_stats, interrupts)),
	AOFF_STAT_INIT(coalesced, offsetof(struct aoff_stats, coalesced)),
	AOFF_STAT_INIT(queue_full, offsetof(struct aoff_stats, queue_full)),
	AOFF_STAT_INIT(bytes, offsetof(struct aoff_stats, bytes)),
	AOFF_STAT_INIT(resets, offsetof(struct aoff_stats, resets)),
	AOFF_STAT_INIT(sq_polled, offsetof(struct aoff_stats, sq_polled)),
	AOFF_STAT_INIT(sq_poll_passes,
		       offsetof(struct aoff_stats, sq_poll_passes)),
	AOFF_STAT_INIT(sq_wakeups, offsetof(struct aoff_stats, sq_wakeups)),
	AOFF_STAT_INIT(sq_poll_calls,
		       offsetof(struct aoff_stats, sq_poll_calls)),
	AOFF_STAT_INIT(sq_poll_ns, offsetof(struct aoff_stats, sq_poll_ns)),
#define AOFF_CLASS_STAT(_cl, _name, _field)				\
	AOFF_STAT_INIT(_name, offsetof(struct aoff_stats, _field[_cl]))
	AOFF_CLASS_STAT(AOFF_CLASS_SYM, sym_submitted, class_submitted),
	AOFF_CLASS_STAT(AOFF_CLASS_SYM, sym_completed, class_completed),
	AOFF_CLASS_STAT(AOFF_CLASS_SYM, sym_errors, class_errors),
	AOFF_CLASS_STAT(AOFF_CLASS_PK, pk_submitted, class_submitted),
	AOFF_CLASS_STAT(AOFF_CLASS_PK, pk_completed, class_completed),
	AOFF_CLASS_STAT(AOFF_CLASS_PK, pk_errors, class_errors),
#undef AOFF_CLASS_STAT
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

static struct attribute *aoff_dev_attrs[] = {
	&dev_attr_engines.attr,
	&aoff_attr_latency_ns.dattr.attr,
	&aoff_attr_ns_per_kib.dattr.attr,
	&aoff_attr_pk_latency_ns.dattr.attr,
	&aoff_attr_pk_busy_ns.dattr.attr,
	&aoff_attr_coalesce_frames.dattr.attr,
	&aoff_attr_coalesce_usecs.dattr.attr,
	&aoff_attr_fail_every.dattr.attr,
	&aoff_attr_fail_ppm.dattr.attr,
	&aoff_attr_sq_poll_usecs.dattr.attr,
	&dev_attr_stall_ms.attr,
	&dev_attr_reset.attr,
	&aoff_stat_attrs[0].dattr.attr,
	&aoff_stat_attrs[1].dattr.attr,
	&aoff_stat_attrs[2].dattr.attr,
	&aoff_stat_attrs[3].dattr.attr,
	&aoff_stat_attrs[4].dattr.attr,
	&aoff_stat_attrs[5].dattr.attr,
	&aoff_stat_attrs[6].dattr.attr,
	&aoff_stat_attrs[7].dattr.attr,
	&aoff_stat_attrs[8].dattr.attr,
	&aoff_stat_attrs[9].dattr.attr,
	&aoff_stat_attrs[10].dattr.attr,
	&aoff_stat_attrs[11].dattr.attr,
	&aoff_stat_attrs[12].dattr.attr,
	&aoff_stat_attrs[13].dattr.attr,
	&aoff_stat_attrs[14].dattr.attr,
	&aoff_stat_attrs[15].dattr.attr,
	&aoff_stat_attrs[16].dattr.attr,
	&aoff_stat_attrs[17].dattr.attr,
	&aoff_stat_attrs[18].dattr.attr,
	&dev_attr_in_flight.attr,
	&dev_attr_contexts.attr,
	NULL,
};

/* Every statistic above is listed in aoff_dev_attrs. */
static_assert(ARRAY_SIZE(aoff_stat_attrs) == 19);

static const struct attribute_group aoff_dev_group = {
	.attrs = aoff_dev_attrs,
};

const struct attribute_group *aoff_dev_groups[] = {
	&aoff_dev_group,
	NULL,
};
