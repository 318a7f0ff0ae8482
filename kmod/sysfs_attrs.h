/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note OR MIT */
/*
 * asyncoff: the list of the device's sysfs attributes
 * (/sys/class/misc/asyncoffN/, Documentation/driver/sysfs-asyncoff), written
 * once as X-macros: kmod/sysfs.c builds the attributes from it, asyncoffctl
 * prints them from it and the selftests save, restore and read them from it.
 *
 * It lives here in kmod/ and not in include/uapi/: the out-of-tree and the
 * DKMS builds take every header of kmod/ with them without being told, while
 * user space (which includes it with -I kmod) gets no installed header for
 * what is no C ABI; the sysfs ABI is the names, documented in
 * sysfs-asyncoff.  So it must not need any header, kernel or libc: a macro
 * argument user space does not use is never expanded there.
 *
 * Each list calls one macro per attribute, in the order asyncoffctl shows
 * them; the kernel side picks the arguments it needs:
 *   F(name, min, max)	a field of struct aoff_params of that name, 0644,
 *			generic show/store, a write outside [min, max] is EINVAL
 *   O(name)		an attribute with its own show/store in sysfs.c
 *   S(name, field)	an atomic64_t of struct aoff_stats, 0444
 *   C(name, class, field)	the class's element of an aoff_stats array, 0444
 * Modes: parameters and faults 0644, statistics 0444, reset 0200.
 */
#ifndef AOFF_SYSFS_ATTRS_H
#define AOFF_SYSFS_ATTRS_H

/* The model's parameters (engines: 1..AOFF_MAX_ENGINES, its own store). */
#define AOFF_SYSFS_PARAMS(F, O)						\
	O(engines)							\
	F(latency_ns, 0, 10 * NSEC_PER_SEC)				\
	F(ns_per_kib, 0, 100 * NSEC_PER_MSEC)				\
	F(coalesce_frames, 1, 65536)					\
	F(coalesce_usecs, 0, USEC_PER_SEC)				\
	F(sq_poll_usecs, AOFF_SQ_POLL_USECS_MIN, AOFF_SQ_POLL_USECS_MAX) \
	F(pk_latency_ns, 0, 10 * NSEC_PER_SEC)				\
	F(pk_busy_ns, 0, NSEC_PER_SEC)

/* Fault injection (stall_ms: 0..60000, its own show and store). */
#define AOFF_SYSFS_FAULTS(F, O)						\
	F(fail_every, 0, 1000000000)					\
	F(fail_ppm, 0, 1000000)						\
	O(stall_ms)

/* The reset trigger, write-only. */
#define AOFF_SYSFS_ACTIONS(O)						\
	O(reset)

/* Statistics (in_flight and contexts: computed by their own show). */
#define AOFF_SYSFS_STATS(S, O)						\
	S(submitted, submitted)						\
	S(completed, completed)						\
	S(errors, errors)						\
	S(interrupts, interrupts)					\
	S(coalesced, coalesced)						\
	O(in_flight)							\
	S(queue_full, queue_full)					\
	S(bytes, bytes)							\
	S(resets, resets)						\
	O(contexts)							\
	S(sq_polled, sq_polled)						\
	S(sq_poll_passes, sq_poll_passes)				\
	S(sq_wakeups, sq_wakeups)					\
	S(sq_poll_calls, sq_poll_calls)					\
	S(sq_poll_ns, sq_poll_ns)

/* The same counts per operation class: symmetric, public-key. */
#define AOFF_SYSFS_CLASS_STATS(C)					\
	C(sym_submitted, AOFF_CLASS_SYM, class_submitted)		\
	C(sym_completed, AOFF_CLASS_SYM, class_completed)		\
	C(sym_errors, AOFF_CLASS_SYM, class_errors)			\
	C(pk_submitted, AOFF_CLASS_PK, class_submitted)			\
	C(pk_completed, AOFF_CLASS_PK, class_completed)			\
	C(pk_errors, AOFF_CLASS_PK, class_errors)

#endif /* AOFF_SYSFS_ATTRS_H */
