/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note OR MIT */
/*
 * asyncoff: the list of the device's sysfs attributes
 * (/sys/class/misc/asyncoffN/, Documentation/driver/sysfs-asyncoff),
 * written once: kmod/sysfs.c builds the attributes from it, asyncoffctl
 * prints them from it and the selftests save, restore and read them.
 *
 * It lives here in kmod/ and not in include/uapi/: the out-of-tree and
 * the DKMS builds take every header of kmod/ along without being told,
 * while user space (which includes it with -I kmod) gets no installed
 * header for what is no C ABI; the sysfs ABI is the names, documented in
 * sysfs-asyncoff.  So it needs no header, kernel or libc: an argument a
 * user does not use is never expanded.
 *
 * An X-macro list included where it is needed, as KVM's kvm-x86-ops.h:
 * define the macros you want, then #include this file; the others expand
 * to nothing and all are undefined at the end.  In the order asyncoffctl
 * shows the attributes:
 *   AOFF_PARAM(name, type, min, max)	model parameter, a field of struct
 *	aoff_params of that name and type, 0644; a write outside
 *	[min, max] fails with EINVAL
 *   AOFF_PARAM_OWN(name)	model parameter with its own show/store
 *   AOFF_FAULT(name, type, min, max), AOFF_FAULT_OWN(name)	the same
 *	for fault injection
 *   AOFF_ACTION(name)		a trigger, write-only (0200)
 *   AOFF_STAT(name, field)	an atomic64_t of struct aoff_stats, 0444
 *   AOFF_STAT_OWN(name)	a statistic computed by its own show
 *   AOFF_CLASS_STAT(name, class, field)	the class's element of an
 *	aoff_stats array, 0444
 */
#ifndef AOFF_PARAM
#define AOFF_PARAM(...)
#endif
#ifndef AOFF_PARAM_OWN
#define AOFF_PARAM_OWN(...)
#endif
#ifndef AOFF_FAULT
#define AOFF_FAULT(...)
#endif
#ifndef AOFF_FAULT_OWN
#define AOFF_FAULT_OWN(...)
#endif
#ifndef AOFF_ACTION
#define AOFF_ACTION(...)
#endif
#ifndef AOFF_STAT
#define AOFF_STAT(...)
#endif
#ifndef AOFF_STAT_OWN
#define AOFF_STAT_OWN(...)
#endif
#ifndef AOFF_CLASS_STAT
#define AOFF_CLASS_STAT(...)
#endif

/* The model's parameters (engines: 1..AOFF_MAX_ENGINES). */
AOFF_PARAM_OWN(engines)
AOFF_PARAM(latency_ns, u64, 0, 10 * NSEC_PER_SEC)
AOFF_PARAM(ns_per_kib, u64, 0, 100 * NSEC_PER_MSEC)
AOFF_PARAM(coalesce_frames, u32, 1, 65536)
AOFF_PARAM(coalesce_usecs, u32, 0, USEC_PER_SEC)
AOFF_PARAM(sq_poll_usecs, u32, AOFF_SQ_POLL_USECS_MIN, AOFF_SQ_POLL_USECS_MAX)
/* The public-key class (AOFF_CLASS_PK; engine.c). */
AOFF_PARAM(pk_latency_ns, u64, 0, 10 * NSEC_PER_SEC)
AOFF_PARAM(pk_busy_ns, u64, 0, NSEC_PER_SEC)

/* Fault injection (stall_ms: 0..60000 ms). */
AOFF_FAULT(fail_every, u32, 0, 1000000000)
AOFF_FAULT(fail_ppm, u32, 0, 1000000)
AOFF_FAULT_OWN(stall_ms)

AOFF_ACTION(reset)

/* Statistics (in_flight and contexts: computed). */
AOFF_STAT(submitted, submitted)
AOFF_STAT(completed, completed)
AOFF_STAT(errors, errors)
AOFF_STAT(interrupts, interrupts)
AOFF_STAT(coalesced, coalesced)
AOFF_STAT_OWN(in_flight)
AOFF_STAT(queue_full, queue_full)
AOFF_STAT(bytes, bytes)
AOFF_STAT(resets, resets)
AOFF_STAT_OWN(contexts)
AOFF_STAT(sq_polled, sq_polled)
AOFF_STAT(sq_poll_passes, sq_poll_passes)
AOFF_STAT(sq_wakeups, sq_wakeups)
AOFF_STAT(sq_poll_calls, sq_poll_calls)
AOFF_STAT(sq_poll_ns, sq_poll_ns)

/* The same counts per operation class: symmetric, public-key. */
AOFF_CLASS_STAT(sym_submitted, AOFF_CLASS_SYM, class_submitted)
AOFF_CLASS_STAT(sym_completed, AOFF_CLASS_SYM, class_completed)
AOFF_CLASS_STAT(sym_errors, AOFF_CLASS_SYM, class_errors)
AOFF_CLASS_STAT(pk_submitted, AOFF_CLASS_PK, class_submitted)
AOFF_CLASS_STAT(pk_completed, AOFF_CLASS_PK, class_completed)
AOFF_CLASS_STAT(pk_errors, AOFF_CLASS_PK, class_errors)

#undef AOFF_PARAM
#undef AOFF_PARAM_OWN
#undef AOFF_FAULT
#undef AOFF_FAULT_OWN
#undef AOFF_ACTION
#undef AOFF_STAT
#undef AOFF_STAT_OWN
#undef AOFF_CLASS_STAT
