// SPDX-License-Identifier: GPL-2.0-only
/*
 * aoff_broken: a deliberately buggy module that proves the sanitizer
 * kernel and the QEMU runner catch each class of kernel bug.
 *
 * Built only by selftests/sanitizer (make check-vm-sanitizer) and loaded
 * only there, never with the driver.  "insmod aoff_broken.ko trigger=CLASS"
 * commits one bug of that class while loading; with no trigger it loads and
 * unloads cleanly, which proves the instruments stay quiet on a clean run.
 *
 * Classes:
 *   kasan         read one byte past the end of a kmalloc'ed object
 *   lockdep       take two mutexes in both orders (one thread, one after
 *                 the other, so it cannot deadlock -- lockdep still knows)
 *   leak          kmalloc an object and lose the only pointer to it
 *   atomic-sleep  a GFP_KERNEL allocation under a spinlock
 *   ubsan         shift a 32-bit value by more than 31 bits
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *trigger = "none";
module_param(trigger, charp, 0444);
MODULE_PARM_DESC(trigger,
		 "bug to commit at load: none, kasan, lockdep, leak, atomic-sleep, ubsan");

/*
 * The sizes and shift counts below go through OPTIMIZER_HIDE_VAR so the
 * compiler neither warns at build time nor folds the bug away: the point
 * is that the run-time instrument sees it.
 */

static int aoff_broken_kasan(void)
{
	size_t size = 24;
	char *buf;
	char c;

	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	memset(buf, 0, size);
	OPTIMIZER_HIDE_VAR(size);
	/* One past the end: inside the 32-byte slab object, outside the 24
	 * bytes asked for, which only generic KASAN's exact tracking sees.
	 */
	c = READ_ONCE(buf[size]);
	pr_info("read %d past the end\n", c);
	kfree(buf);
	return 0;
}

static DEFINE_MUTEX(aoff_broken_a);
static DEFINE_MUTEX(aoff_broken_b);

static int aoff_broken_lockdep(void)
{
	/* Establishes a -> b ... */
	mutex_lock(&aoff_broken_a);
	mutex_lock(&aoff_broken_b);
	mutex_unlock(&aoff_broken_b);
	mutex_unlock(&aoff_broken_a);

	/* ... and b -> a closes the cycle: two threads running these
	 * paths at once could deadlock.
	 */
	mutex_lock(&aoff_broken_b);
	mutex_lock(&aoff_broken_a);
	mutex_unlock(&aoff_broken_a);
	mutex_unlock(&aoff_broken_b);
	return 0;
}

static int aoff_broken_leak(void)
{
	unsigned long cookie = 0;
	void *p;
	int i;

	/*
	 * Several objects: a stale copy of the last pointer may linger in a
	 * stack that kmemleak scans (a task's, or a cached vmalloc'ed one)
	 * and keep that object "referenced", but each later call overwrites
	 * the copies of the earlier ones, so those are reported for sure.
	 */
	for (i = 0; i < 4; i++) {
		p = kmalloc(96, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		/* No pointer-shaped data inside: it references nothing. */
		memset(p, 0x5a, 96);
		/* Only a scrambled value survives this loop. */
		cookie ^= (unsigned long)p;
	}
	pr_info("leaked 4 objects of 96 bytes (cookie %lx)\n", cookie);
	return 0;
}

static DEFINE_SPINLOCK(aoff_broken_lock);

static int aoff_broken_atomic_sleep(void)
{
	void *p;

	spin_lock(&aoff_broken_lock);
	/* GFP_KERNEL may sleep: forbidden while holding a spinlock. */
	p = kmalloc(32, GFP_KERNEL);
	spin_unlock(&aoff_broken_lock);
	kfree(p);
	return 0;
}

static int aoff_broken_ubsan(void)
{
	unsigned int shift = 40;
	u32 one = 1;

	OPTIMIZER_HIDE_VAR(shift);
	pr_info("1 << %u = %u\n", shift, one << shift);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} aoff_broken_classes[] = {
	{ .name = "kasan", .fn = aoff_broken_kasan },
	{ .name = "lockdep", .fn = aoff_broken_lockdep },
	{ .name = "leak", .fn = aoff_broken_leak },
	{ .name = "atomic-sleep", .fn = aoff_broken_atomic_sleep },
	{ .name = "ubsan", .fn = aoff_broken_ubsan },
};

static int __init aoff_broken_init(void)
{
	size_t i;

	if (!strcmp(trigger, "none")) {
		pr_info("loaded, no bug triggered\n");
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(aoff_broken_classes); i++) {
		if (strcmp(trigger, aoff_broken_classes[i].name))
			continue;
		pr_info("triggering %s\n", trigger);
		return aoff_broken_classes[i].fn();
	}
	pr_err("unknown trigger \"%s\"\n", trigger);
	return -EINVAL;
}
module_init(aoff_broken_init);

static void __exit aoff_broken_exit(void)
{
	pr_info("unloaded\n");
}
module_exit(aoff_broken_exit);

MODULE_DESCRIPTION("asyncoff sanitizer self-test: commits one bug on request");
MODULE_LICENSE("GPL");
