/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note OR MIT */
/*
 * asyncoff: user-space interface of the modelled crypto offload device.
 *
 * This header is the specification of the ABI.  Every ioctl, structure
 * field and flag says what it means, its bounds and its errors.  The model
 * is io_uring: one context per open(), a submission queue (SQ) and a
 * completion queue (CQ) shared with user space through one mmap()ed region.
 *
 * Life of a context:
 *
 *   fd = open("/dev/asyncoff0", O_RDWR | O_CLOEXEC);
 *   ioctl(fd, AOFF_IOC_SETUP, &setup);          sizes in, offsets out
 *   p = mmap(NULL, setup.off.mmap_bytes, PROT_READ | PROT_WRITE,
 *            MAP_SHARED, fd, 0);
 *   write SQEs at sqes[tail & (sq_entries - 1)], then
 *   store-release the new SQ tail;
 *   ioctl(fd, AOFF_IOC_ENTER, &enter);          doorbell (+ optional wait)
 *   load-acquire the CQ tail, read CQEs at cqes[head & (cq_entries - 1)],
 *   then store-release the new CQ head.
 *
 * Ring indexes are free-running __u32 counters; a slot is index & mask
 * where mask = entries - 1 (entries is always a power of two).
 *
 * Memory ordering (the kernel side mirrors it):
 *   - SQ: user space writes the SQE, then stores the SQ tail with release;
 *     the kernel loads the SQ tail with acquire, copies each SQE once and
 *     publishes the SQ head with release.  User space loads the SQ head with
 *     acquire before it reuses a slot.
 *   - CQ: the kernel writes the CQE, then stores the CQ tail with release;
 *     user space loads the CQ tail with acquire, reads the CQE, then stores
 *     the CQ head with release.  The kernel loads the CQ head with acquire
 *     before it may reuse a slot.
 *
 * The kernel never trusts an index found in the shared region: it keeps its
 * own copies of the indexes it produces and clamps the ones user space
 * produces (see struct aoff_enter).
 */
#ifndef _UAPI_LINUX_ASYNCOFF_H
#define _UAPI_LINUX_ASYNCOFF_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* Bumped on an incompatible change; compatible growth uses AOFF_FEAT_*. */
#define AOFF_ABI_VERSION	1

/* Device nodes are /dev/asyncoff0, /dev/asyncoff1, ... */
#define AOFF_DEV_PREFIX		"asyncoff"

/*
 * Operation codes (struct aoff_sqe.opcode).  New operations are appended;
 * AOFF_IOC_INFO reports which ones the running driver supports.
 *
 * AOFF_OP_NOP: does nothing and completes with res = 0 through the full
 *   asynchronous path (engine queue, completion, notification); it measures
 *   the path.  It may carry an input and an output range (in_off/in_len,
 *   out_off/out_len), which are bounds-checked like any other operation's
 *   and otherwise ignored.  op_flags and the op union must be zero.
 */
enum {
	AOFF_OP_NOP		= 0,

	AOFF_OP_LAST,		/* number of opcodes this header knows */
};

/*
 * struct aoff_sqe - submission queue entry (64 bytes)
 *
 * User space fills it in the SQE array of the mapping.  The kernel copies it
 * once when the doorbell consumes it and validates only that copy, so user
 * space may reuse the slot as soon as the SQ head has moved past it.
 *
 * Every consumed SQE produces exactly one CQE.  An SQE that fails validation
 * completes at once with a negative res:
 *   -EOPNOTSUPP  opcode unknown or not supported by this driver
 *   -EINVAL      flags, op_flags or a reserved field has an unknown or
 *                non-zero bit, or a field the opcode does not use is not 0
 *   -EFAULT      an (offset, length) range does not lie inside the data area
 *                (the sum is checked without overflow)
 *
 * @opcode:	AOFF_OP_*.
 * @flags:	AOFF_SQE_F_*; none are defined yet, must be 0.
 * @resv0:	must be 0.
 * @op_flags:	opcode-specific flags; must be 0 where the opcode defines none.
 * @user_data:	opaque, returned unchanged in the CQE.
 * @in_off:	offset in the data area of the input.
 * @in_len:	input length in bytes (0: no input).
 * @out_len:	output length in bytes (0: no output).
 * @out_off:	offset in the data area of the output.
 * @cipher:	for cipher operations (later ABI revisions): the key at
 *		@key_off (@key_len bytes) and the IV at @iv_off, in the data
 *		area; the IV is updated in place so a caller can chain.
 * @hash:	for hash operations (later ABI revisions): an optional key
 *		(HMAC) and the context's partial-hash @state_slot.
 * @op_resv:	the union as raw words; all 0 for an opcode that uses none.
 */
struct aoff_sqe {
	__u8	opcode;
	__u8	flags;
	__u16	resv0;
	__u32	op_flags;
	__u64	user_data;
	__u64	in_off;
	__u32	in_len;
	__u32	out_len;
	__u64	out_off;
	union {
		struct {
			__u64	key_off;
			__u64	iv_off;
			__u32	key_len;
			__u32	resv;
		} cipher;
		struct {
			__u64	key_off;
			__u32	key_len;
			__u32	state_slot;
			__u64	resv;
		} hash;
		__u64	op_resv[3];
	};
};

/* No SQE flag is defined yet: struct aoff_sqe.flags must be 0. */
#define AOFF_SQE_F_ALL		0

/*
 * struct aoff_cqe - completion queue entry (16 bytes)
 *
 * @user_data:	the SQE's user_data.
 * @res:	>= 0: success (bytes produced, 0 for NOP);
 *		< 0: a negative errno (see struct aoff_sqe for validation
 *		errors; operations document their own).
 * @flags:	AOFF_CQE_F_*; none defined yet, always 0.
 */
struct aoff_cqe {
	__u64	user_data;
	__s32	res;
	__u32	flags;
};

/*
 * struct aoff_ring_offsets - where things live in the mapping (output)
 *
 * All offsets are in bytes from the start of the region mapped at mmap
 * offset 0.  Each index is a __u32; the four indexes sit on four different
 * cache lines of the control page.
 *
 * @sq_head:	SQ head, written by the kernel (load it with acquire).
 * @sq_tail:	SQ tail, written by user space (store it with release).
 * @cq_head:	CQ head, written by user space (store it with release).
 * @cq_tail:	CQ tail, written by the kernel (load it with acquire).
 * @status:	a __u32 of AOFF_STATUS_* bits, written by the kernel.
 * @resv0:	0.
 * @sqes:	the array of sq_entries struct aoff_sqe (page aligned).
 * @cqes:	the array of cq_entries struct aoff_cqe (page aligned).
 * @data:	the data area (page aligned), data_bytes long.
 * @mmap_bytes:	length of the whole region; mmap() at most this much.
 * @resv:	0.
 */
struct aoff_ring_offsets {
	__u32	sq_head;
	__u32	sq_tail;
	__u32	cq_head;
	__u32	cq_tail;
	__u32	status;
	__u32	resv0;
	__u64	sqes;
	__u64	cqes;
	__u64	data;
	__u64	mmap_bytes;
	__u64	resv[3];
};

/* Context status bits (the __u32 at offsets.status). */
/* The context is broken (device reset): poll reports EPOLLERR, the
 * doorbell fails with EIO; reopen the device to get a working context.
 */
#define AOFF_STATUS_BROKEN	(1U << 0)

/*
 * struct aoff_setup - AOFF_IOC_SETUP argument (in/out)
 *
 * @size:	in: sizeof(struct aoff_setup) as user space knows it.  Smaller
 *		than AOFF_SETUP_SIZE_VER0: EINVAL.  Larger than the kernel's
 *		struct: the extra bytes must be zero (else E2BIG).  On output
 *		the kernel writes min(size, its sizeof) bytes.
 * @flags:	in: AOFF_SETUP_F_*; none are defined yet, must be 0 (EINVAL).
 * @sq_entries:	in: SQ slots wanted, 1..max_sq_entries (AOFF_IOC_INFO),
 *		else EINVAL; out: rounded up to a power of two.
 * @cq_entries:	in: CQ slots wanted, 0 means 2 * sq_entries; after rounding
 *		up to a power of two it must be >= sq_entries and
 *		<= max_cq_entries, else EINVAL.  out: the actual value.  At
 *		most cq_entries requests are outstanding (in flight or
 *		completed but not yet consumed) at any time.
 * @data_bytes:	in: data-area size wanted (0 allowed); out: rounded up to a
 *		multiple of the page size.
 * @resv:	in: must be 0 (EINVAL); out: 0.
 * @off:	out: the layout of the mapping.  Ignored on input.
 *
 * The whole region (control page, SQEs, CQEs, data area) must fit
 * max_ctx_bytes (EINVAL otherwise) and the device's remaining memory budget
 * (ENOMEM).  It is charged to the caller's locked memory (RLIMIT_MEMLOCK,
 * unless CAP_IPC_LOCK): ENOMEM when over the limit.
 *
 * Errors: EBUSY the context is already set up; EPERM the caller is not the
 * process that opened the device; EFAULT bad pointer (the context is then
 * left not set up: setup may be retried); ENOMEM no memory.
 */
struct aoff_setup {
	__u32	size;
	__u32	flags;
	__u32	sq_entries;
	__u32	cq_entries;
	__u64	data_bytes;
	__u64	resv[3];
	struct aoff_ring_offsets off;
};

#define AOFF_SETUP_SIZE_VER0	128	/* first published size */
#define AOFF_SETUP_F_ALL	0

/*
 * struct aoff_enter - AOFF_IOC_ENTER argument, the doorbell (in/out)
 *
 * Consumes up to @to_submit SQEs between the kernel's SQ head and the SQ
 * tail found in the mapping, then, if @min_complete > 0, sleeps until at
 * least @min_complete CQEs are pending (CQ tail - CQ head).
 *
 * Admission: each consumed SQE reserves one CQ slot, so a completion can
 * never be dropped.  When fewer slots are free than SQEs available, only
 * as many are consumed as there are free slots; when none is free and
 * there is something to submit, nothing is consumed and the call fails
 * with EAGAIN (there are then completions pending or in flight: poll for
 * EPOLLIN, consume them, retry).
 *
 * Clamping: an SQ tail more than sq_entries ahead of the SQ head is
 * treated as head + sq_entries; a CQ head outside [CQ tail - cq_entries,
 * CQ tail] is clamped to that window.  Lying about indexes can only hurt
 * the liar's own context.
 *
 * @to_submit:	in: maximum number of SQEs to consume (0: none).
 * @min_complete: in: CQEs to wait for, 0..cq_entries (EINVAL above).
 * @flags:	in: AOFF_ENTER_F_*; unknown bits: EINVAL.
 * @submitted:	out: SQEs consumed by this call, also on EINTR and ETIME.
 * @timeout_ns:	in: with AOFF_ENTER_F_TIMEOUT, the longest wait in
 *		nanoseconds (0: just check); otherwise must be 0 and the wait
 *		is unbounded.
 * @resv:	in: must be 0 (EINVAL).
 *
 * Return: the number of SQEs consumed (>= 0), or -1 with errno:
 *   EAGAIN  no CQ slot free for the first SQE;
 *   EINTR   a signal arrived while waiting (the submission stands; every
 *           consumed SQE still completes);
 *   ETIME   the timeout expired before min_complete CQEs were pending;
 *   EIO     the context is broken (AOFF_STATUS_BROKEN);
 *   EBADFD  the context is not set up;
 *   EPERM   the caller is not the process that opened the device;
 *   EINVAL  bad flags, reserved fields or min_complete;
 *   EFAULT  bad pointer.
 */
struct aoff_enter {
	__u32	to_submit;
	__u32	min_complete;
	__u32	flags;
	__u32	submitted;
	__u64	timeout_ns;
	__u64	resv[2];
};

/* Bound the wait by timeout_ns. */
#define AOFF_ENTER_F_TIMEOUT	(1U << 0)
#define AOFF_ENTER_F_ALL	AOFF_ENTER_F_TIMEOUT

/*
 * struct aoff_info - AOFF_IOC_INFO argument (in/out)
 *
 * Works on any open context, set up or not, from any process holding the fd.
 *
 * @size:	in: sizeof(struct aoff_info) as user space knows it (at
 *		least AOFF_INFO_SIZE_VER0, else EINVAL); the kernel writes
 *		min(size, its sizeof) bytes, zero-filling what it does not
 *		know.  Out: the kernel's sizeof.
 * @abi_version: out: AOFF_ABI_VERSION.
 * @features:	out: AOFF_FEAT_* bits.
 * @ops:	out: bitmap of supported opcodes, bit (op % 64) of ops[op / 64].
 * @max_sq_entries, @max_cq_entries: out: ring size limits.
 * @max_ctx_bytes: out: largest region (control page, SQEs, CQEs, data).
 * @max_contexts: out: contexts the device accepts at once (open() beyond
 *		fails with EBUSY).
 * @nr_engines:	out: engines serving the device.
 * @dev_bytes_max: out: memory budget of the device for all its contexts.
 * @resv:	out: 0.
 *
 * Errors: EINVAL bad size; EFAULT bad pointer.
 */
struct aoff_info {
	__u32	size;
	__u32	abi_version;
	__u64	features;
	__u64	ops[4];
	__u32	max_sq_entries;
	__u32	max_cq_entries;
	__u64	max_ctx_bytes;
	__u32	max_contexts;
	__u32	nr_engines;
	__u64	dev_bytes_max;
	__u64	resv[6];
};

#define AOFF_INFO_SIZE_VER0	128	/* first published size */

/* One mmap()ed region per context, at offset 0. */
#define AOFF_FEAT_SINGLE_MMAP	(1ULL << 0)
/* Every consumed SQE produces exactly one CQE (admission reserves slots). */
#define AOFF_FEAT_CQ_RESERVE	(1ULL << 1)

/*
 * mmap(): offset must be 0 and length at most off.mmap_bytes (EINVAL);
 * MAP_SHARED only (EINVAL); PROT_EXEC is refused (EPERM); the context must
 * be set up (EBADFD) and the caller must be the opener (EPERM).  The
 * mapping is not inherited across fork() (the child inherits only the fd,
 * which it cannot use for setup, doorbell or mmap: EPERM).  The region
 * lives until the fd is closed and every mapping is gone.
 *
 * poll(): EPOLLIN | EPOLLRDNORM while CQEs are pending; EPOLLOUT |
 * EPOLLWRNORM while the SQ has a free slot (SQ tail - SQ head <
 * sq_entries); EPOLLERR when the context is broken.  Nothing before setup.
 */

#define AOFF_IOC_MAGIC	0xAF

/* Set the context up; once per context (EBUSY after). */
#define AOFF_IOC_SETUP	_IOWR(AOFF_IOC_MAGIC, 0x00, struct aoff_setup)
/* Doorbell: submit and optionally wait; see struct aoff_enter. */
#define AOFF_IOC_ENTER	_IOWR(AOFF_IOC_MAGIC, 0x01, struct aoff_enter)
/* Device information and limits; see struct aoff_info. */
#define AOFF_IOC_INFO	_IOWR(AOFF_IOC_MAGIC, 0x02, struct aoff_info)

/* Any other ioctl on the device fails with ENOTTY. */

#endif /* _UAPI_LINUX_ASYNCOFF_H */
