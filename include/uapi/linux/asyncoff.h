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
 *
 * Submission without a doorbell (AOFF_SETUP_F_SQPOLL), as a device that
 * watches its queues in memory (NVMe shadow doorbells, io_uring SQPOLL):
 * after a doorbell the device polls the context's SQ tail every
 * sq_poll_usecs (sysfs) and consumes what it finds, for as long as the
 * context has requests in flight or has been idle for less than
 * setup.sq_idle_us (at least a second while a CQE waits to be consumed:
 * its owner comes back for it).  When it stops watching it sets
 * AOFF_STATUS_NEED_WAKEUP in the status word, and only then does user
 * space need the doorbell:
 *
 *   user space                          kernel (stopping to watch)
 *   write SQE; store-release SQ tail    set NEED_WAKEUP in status
 *   full barrier (smp_mb)               full barrier (smp_mb)
 *   load status: NEED_WAKEUP?           load SQ tail: anything new?
 *     yes: AOFF_IOC_ENTER                 yes: clear NEED_WAKEUP, consume
 *
 * The two full barriers make sure at least one side sees the other's store,
 * so an SQE is never left unseen.  The doorbell clears NEED_WAKEUP and
 * makes the device watch again.  SQEs the device cannot take yet because
 * the CQ has no free slot (see the admission rule at struct aoff_enter)
 * stay in the SQ and keep the device watching: it takes them once user
 * space has consumed CQEs, with no doorbell.
 *
 * While the device watches, poll() (also select() and an epoll re-check)
 * on the context consumes what is published at once, so a poll()/select()
 * loop over its contexts submits for all of them without waiting for the
 * device's next look.
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
 * Rules common to every operation:
 *   - All offsets are byte offsets into the context's data area, with any
 *     alignment; every range (offset, length) must lie inside the data area
 *     (-EFAULT).  Ranges may cross page boundaries freely.
 *   - A field an operation does not use (the input or output range, the op
 *     union, op_flags) must be 0 (-EINVAL).
 *   - res >= 0 is the number of bytes written at out_off (0 when the
 *     operation writes nothing there).  An operation never writes beyond
 *     what res says, except the IV of a cipher operation (below).
 *   - Requests of one context start in submission order, one at a time, so
 *     dependent requests (a partial hash chain, a cipher stream chained
 *     through its IV) may be submitted in one batch.  Their completions
 *     may be posted in a different order (the modelled service time
 *     depends on the length and on the engine).
 *   - A request that fails has not changed its output range, IV or hash
 *     slot, except that a failed partial hash operation always empties its
 *     slot (so the rest of that chain fails with -ENODATA instead of
 *     producing a wrong digest) and that after -ECANCELED the output range
 *     and the IV are undefined.  When one request of an IV chain fails,
 *     the caller must treat the rest of the chain as failed too.
 *
 * Errors every operation may complete with, besides the SQE validation
 * errors listed at struct aoff_sqe:
 *   -EIO        injected fault (see the device's fail_every / fail_ppm
 *               sysfs attributes); the request did not run.
 *   -ECANCELED  the device was reset while the request was in flight; the
 *               context is then broken (AOFF_STATUS_BROKEN).
 *
 * AOFF_OP_NOP: does nothing and completes with res = 0 through the full
 *   asynchronous path (engine queue, completion, notification); it measures
 *   the path.  It may carry an input and an output range (in_off/in_len,
 *   out_off/out_len), which are bounds-checked like any other operation's
 *   and otherwise ignored.  op_flags and the op union must be 0.
 *
 * SHA-256 (FIPS 180-4).  The digest is AOFF_SHA256_DIGEST_SIZE (32) bytes;
 * where an operation writes it, out_len must be at least 32 (-EINVAL) and
 * exactly 32 bytes are written at out_off (res = 32).  The digest is
 * written after the whole input has been read, so the output may overlap
 * the input.  hash.key_off and hash.key_len must be 0 except for HMAC,
 * hash.resv must be 0 (-EINVAL).
 *
 * AOFF_OP_SHA256: one-shot digest of in_len (0 allowed) bytes at in_off.
 *   hash.state_slot must be 0.  res = 32.
 *
 * AOFF_OP_SHA256_FIRST, AOFF_OP_SHA256_MIDDLE, AOFF_OP_SHA256_LAST: a
 *   digest computed over several requests, its running state kept in the
 *   context (as an accelerator keeps it in its own memory), so a long or
 *   streamed message needs no buffering.  hash.state_slot names one of the
 *   context's hash slots, 0 .. setup.hash_slots - 1 (-EINVAL otherwise).
 *   FIRST starts a digest in the slot (discarding whatever was there) and
 *   hashes its input; MIDDLE hashes its input into the slot's digest; LAST
 *   hashes its input, writes the digest (res = 32) and empties the slot.
 *   Each piece may have any length (0 included; no block alignment).
 *   FIRST and MIDDLE write nothing: out_off and out_len must be 0 and
 *   res = 0.  MIDDLE or LAST on an empty slot: -ENODATA.  FIRST + LAST
 *   over pieces p1..pn give the one-shot digest of p1 || .. || pn.
 *   A slot belongs to the context; different slots are independent.
 *
 * AOFF_OP_HMAC_SHA256: one-shot HMAC-SHA256 (RFC 2104) of in_len bytes at
 *   in_off with the hash.key_len (0 .. AOFF_HMAC_KEY_MAX) byte key at
 *   hash.key_off (longer keys: -EINVAL; keys longer than the 64-byte block
 *   are hashed first, as RFC 2104 says).  hash.state_slot must be 0.
 *   Output as for SHA-256: res = 32.
 *
 * AES (FIPS 197) in CBC and CTR mode (SP 800-38A).  cipher.key_len is 16,
 * 24 or 32 (AES-128/192/256; else -EINVAL), the key at cipher.key_off.
 * The 16-byte (AOFF_AES_BLOCK_SIZE) IV is at cipher.iv_off.  The operation
 * reads in_len bytes at in_off and writes in_len bytes at out_off (res =
 * in_len); out_len must be at least in_len (-EINVAL).  in_len = 0 is
 * allowed: nothing is written, the IV is unchanged, res = 0.
 * In place (in_off == out_off) is allowed; any other overlap of the input
 * and output ranges is refused (-EINVAL), as is an IV range overlapping
 * the input or the output range (-EINVAL).  The key may be anywhere.
 * After the operation the IV in the data area is replaced by the chaining
 * value, so the next request of the same stream can reuse it as is:
 *   CBC: the last ciphertext block (the last output block when
 *        encrypting, the last input block when decrypting);
 *   CTR: the initial counter block plus the number of blocks used,
 *        ceil(in_len / 16), as a 128-bit big-endian integer modulo 2^128
 *        (OpenSSL's and SP 800-38A's counter).  To chain a CTR stream,
 *        make every request but the last a multiple of 16 bytes long: the
 *        unused key stream of a final partial block is discarded.
 * cipher.resv must be 0 (-EINVAL).  No padding is added or removed.
 *
 * AOFF_OP_AES_CBC_ENCRYPT, AOFF_OP_AES_CBC_DECRYPT: in_len must be a
 *   multiple of 16 (-EINVAL).
 * AOFF_OP_AES_CTR_ENCRYPT, AOFF_OP_AES_CTR_DECRYPT: any in_len; the two
 *   are the same transformation (both opcodes exist for clarity).
 *
 * AEAD: AES-GCM (SP 800-38D) and ChaCha20-Poly1305 (RFC 8439), one record
 * per request, described by the op union's aead member:
 *   aead.key_off   the key block: aead.key_len bytes of key immediately
 *                  followed by the 12-byte (AOFF_AEAD_NONCE_SIZE) nonce;
 *                  the whole key_len + 12 bytes must lie in the data area
 *                  (-EFAULT).  The nonce is the GCM IV (12 bytes is the
 *                  only IV length: the J0 = IV || 0^31 || 1 case) or the
 *                  RFC 8439 nonce.  It is read, never written back.
 *   aead.key_len   AES-GCM: 16, 24 or 32; ChaCha20-Poly1305: 32 (else
 *                  -EINVAL).
 *   aead.aad_off, aead.aad_len: the additional authenticated data, 0 ..
 *                  AOFF_AEAD_AAD_MAX bytes (over: -EMSGSIZE; outside the
 *                  data area: -EFAULT); aad_off must be 0 when aad_len
 *                  is 0 (-EINVAL).
 *   aead.tag_len   the tag length.  AES-GCM: 16, 15, 14, 13, 12, 8 or 4
 *                  (the lengths SP 800-38D and OpenSSL allow);
 *                  ChaCha20-Poly1305: 16 only (the kernel's rfc7539
 *                  computes and checks the full tag; a shorter one is the
 *                  caller's business).  Else -EINVAL.  A shorter GCM tag
 *                  is the leading tag_len bytes of the full tag.
 *   aead.resv      must be 0 (-EINVAL).
 * The tag travels with the text, as on the wire (TLS 1.2 and 1.3 records,
 * the kernel's AEAD API): encryption appends it to the ciphertext,
 * decryption finds it after the ciphertext.  The text (plaintext or
 * ciphertext without the tag) may be 0 .. AOFF_AEAD_TEXT_MAX bytes long
 * (longer: -EMSGSIZE); 0 bytes authenticate the AAD only (GMAC).
 * op_flags must be 0.
 *
 * The device reads the key block, the AAD and the whole input into its own
 * memory before it writes anything, so the ranges may overlap in any way;
 * in place (out_off == in_off) is the usual case.  It writes the output
 * only after the whole operation succeeded: a request that fails (a tag
 * mismatch included) leaves the output range untouched.
 *
 * AOFF_OP_AES_GCM_ENCRYPT, AOFF_OP_CHACHA20_POLY1305_ENCRYPT: encrypts
 *   in_len bytes of plaintext at in_off and writes the in_len bytes of
 *   ciphertext followed by the tag_len-byte tag at out_off; out_len must be
 *   at least in_len + tag_len (-EINVAL).  res = in_len + tag_len.
 * AOFF_OP_AES_GCM_DECRYPT, AOFF_OP_CHACHA20_POLY1305_DECRYPT: the input is
 *   the ciphertext followed by its tag_len-byte tag (in_len >= tag_len,
 *   else -EINVAL); checks the tag over the AAD and the ciphertext, and on
 *   success writes the in_len - tag_len bytes of plaintext at out_off;
 *   out_len must be at least in_len - tag_len (-EINVAL).  res = in_len -
 *   tag_len.  A tag that does not match completes with -EBADMSG and
 *   writes nothing.
 *
 * SHA-384 and SHA-512 (FIPS 180-4) work exactly as SHA-256 above, with a
 * digest of AOFF_SHA384_DIGEST_SIZE (48) or AOFF_SHA512_DIGEST_SIZE (64)
 * bytes: out_len must be at least that (-EINVAL) and res is that.
 *
 * AOFF_OP_SHA384, AOFF_OP_SHA512: one-shot, as AOFF_OP_SHA256.
 * AOFF_OP_SHA384_FIRST/_MIDDLE/_LAST, AOFF_OP_SHA512_FIRST/_MIDDLE/_LAST:
 *   partial, as AOFF_OP_SHA256_FIRST/_MIDDLE/_LAST, in the same hash slots:
 *   the context has one set of setup.hash_slots slots shared by the three
 *   algorithms (each slot is large enough for any of them).  A slot holds
 *   at most one digest in progress, of the algorithm whose FIRST started
 *   it; MIDDLE or LAST of another algorithm on it fails with -ENODATA
 *   and, as every failed partial operation, empties the slot.
 * AOFF_OP_HMAC_SHA384, AOFF_OP_HMAC_SHA512: one-shot HMAC, as
 *   AOFF_OP_HMAC_SHA256 (key 0 .. AOFF_HMAC_KEY_MAX bytes; keys longer than
 *   the 128-byte block are hashed first).  res = 48 or 64.
 *
 * Availability: the driver offers an operation only when the running
 * kernel has the transform it is computed with (gcm(aes),
 * rfc7539(chacha20,poly1305), sha384, sha512, hmac(sha384),
 * hmac(sha512)); AOFF_IOC_INFO's ops bitmap says which it has, and an
 * SQE with an opcode the bitmap lacks completes with -EOPNOTSUPP.
 */
enum {
	AOFF_OP_NOP		= 0,
	AOFF_OP_SHA256		= 1,
	AOFF_OP_SHA256_FIRST	= 2,
	AOFF_OP_SHA256_MIDDLE	= 3,
	AOFF_OP_SHA256_LAST	= 4,
	AOFF_OP_HMAC_SHA256	= 5,
	AOFF_OP_AES_CBC_ENCRYPT	= 6,
	AOFF_OP_AES_CBC_DECRYPT	= 7,
	AOFF_OP_AES_CTR_ENCRYPT	= 8,
	AOFF_OP_AES_CTR_DECRYPT	= 9,

	/* AEAD and SHA-384/512 (the 10 .. 17 block is public-key). */
	AOFF_OP_AES_GCM_ENCRYPT			= 18,
	AOFF_OP_AES_GCM_DECRYPT			= 19,
	AOFF_OP_CHACHA20_POLY1305_ENCRYPT	= 20,
	AOFF_OP_CHACHA20_POLY1305_DECRYPT	= 21,
	AOFF_OP_SHA384				= 22,
	AOFF_OP_SHA384_FIRST			= 23,
	AOFF_OP_SHA384_MIDDLE			= 24,
	AOFF_OP_SHA384_LAST			= 25,
	AOFF_OP_SHA512				= 26,
	AOFF_OP_SHA512_FIRST			= 27,
	AOFF_OP_SHA512_MIDDLE			= 28,
	AOFF_OP_SHA512_LAST			= 29,
	AOFF_OP_HMAC_SHA384			= 30,
	AOFF_OP_HMAC_SHA512			= 31,

	AOFF_OP_LAST,		/* number of opcodes this header knows */
};

#define AOFF_SHA256_DIGEST_SIZE	32
#define AOFF_SHA256_BLOCK_SIZE	64
#define AOFF_AES_BLOCK_SIZE	16
#define AOFF_HMAC_KEY_MAX	4096	/* longest HMAC key, bytes */

#define AOFF_SHA384_DIGEST_SIZE	48
#define AOFF_SHA512_DIGEST_SIZE	64
#define AOFF_SHA512_BLOCK_SIZE	128	/* SHA-384's too */
#define AOFF_AEAD_NONCE_SIZE	12	/* GCM IV, RFC 8439 nonce */
#define AOFF_AEAD_TAG_MAX	16	/* full tag; GCM allows shorter */
#define AOFF_AEAD_AAD_MAX	65536	/* longest AAD, bytes */
#define AOFF_AEAD_TEXT_MAX	262144	/* longest text (without tag) */

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
 *                (the sum is checked without overflow); this includes the
 *                key, IV and ranges of the op union
 *   -EINVAL      also: an operation's own rule is broken (see the opcodes)
 *   -EMSGSIZE    an AEAD text or AAD is longer than the device takes
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
 * @cipher:	for AES operations: the key at @key_off (@key_len bytes, 16,
 *		24 or 32) and the 16-byte IV at @iv_off, in the data area;
 *		the IV is updated in place so a caller can chain; @resv 0.
 * @hash:	for hash operations: the HMAC key at @key_off (@key_len
 *		bytes; both 0 for plain SHA-2), the context's hash slot
 *		@state_slot for partial hashing (0 otherwise); @resv 0.
 * @aead:	for AEAD operations: the key block at @key_off (@key_len
 *		bytes of key, then the 12-byte nonce), the AAD at @aad_off
 *		(@aad_len bytes), the tag length @tag_len; @resv 0.
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
		struct {
			__u64	key_off;
			__u64	aad_off;
			__u32	aad_len;
			__u8	key_len;
			__u8	tag_len;
			__u16	resv;
		} aead;
		__u64	op_resv[3];
	};
};

/* No SQE flag is defined yet: struct aoff_sqe.flags must be 0. */
#define AOFF_SQE_F_ALL		0

/*
 * struct aoff_cqe - completion queue entry (16 bytes)
 *
 * @user_data:	the SQE's user_data.
 * @res:	>= 0: success (bytes written at the SQE's out_off; 0 for NOP
 *		and for the partial hashes' FIRST/MIDDLE);
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
 * @sqes:	the array of sq_entries struct aoff_sqe (64-byte aligned).
 * @cqes:	the array of cq_entries struct aoff_cqe (64-byte aligned).
 *		Both arrays share the first page with the indexes when
 *		they fit, else each starts on a page of its own.
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
/*
 * SQPOLL contexts only: the device is not watching the SQ; publish the SQ
 * tail, issue a full barrier, and if this bit is set ring the doorbell
 * (AOFF_IOC_ENTER).  Set at setup, when the device stops watching an idle
 * context, and when the context breaks; cleared by the doorbell.
 */
#define AOFF_STATUS_NEED_WAKEUP	(1U << 1)
/*
 * The context is broken (device reset): every request that was in flight
 * completes (-ECANCELED), poll reports EPOLLERR | EPOLLIN while CQEs are
 * pending, the doorbell fails with EIO, an attached eventfd is signalled
 * once more; reopen the device to get a working context (contexts opened
 * after the reset work at once).
 */
#define AOFF_STATUS_BROKEN	(1U << 0)

/*
 * struct aoff_setup - AOFF_IOC_SETUP argument (in/out)
 *
 * @size:	in: sizeof(struct aoff_setup) as user space knows it.  Smaller
 *		than AOFF_SETUP_SIZE_VER0: EINVAL.  Larger than the kernel's
 *		struct: the extra bytes must be zero (else E2BIG).  On output
 *		the kernel writes min(size, its sizeof) bytes.
 * @flags:	in: AOFF_SETUP_F_*; unknown bits: EINVAL.
 * @sq_entries:	in: SQ slots wanted, 1..max_sq_entries (AOFF_IOC_INFO),
 *		else EINVAL; out: rounded up to a power of two.
 * @cq_entries:	in: CQ slots wanted, 0 means 2 * sq_entries; after rounding
 *		up to a power of two it must be >= sq_entries and
 *		<= max_cq_entries, else EINVAL.  out: the actual value.  At
 *		most cq_entries requests are outstanding (in flight or
 *		completed but not yet consumed) at any time.
 * @data_bytes:	in: data-area size wanted (0 allowed); out: rounded up to a
 *		multiple of the page size.
 * @hash_slots:	in: partial-hash state slots wanted (see
 *		AOFF_OP_SHA256_FIRST; SHA-384 and SHA-512 share them),
 *		0 .. max_hash_slots (AOFF_IOC_INFO),
 *		else EINVAL; 0 means AOFF_HASH_SLOTS_DEFAULT.  out: the
 *		actual count.  Slots live in kernel memory (charged to the
 *		caller's memory cgroup), never in the mapping.
 * @sq_idle_us: in: with AOFF_SETUP_F_SQPOLL, how long the device keeps
 *		watching an SQ with nothing submitted and nothing in flight
 *		(at least a second while a CQE is left unconsumed),
 *		in microseconds, 0 .. AOFF_SQ_IDLE_MAX_US (EINVAL above); 0
 *		means AOFF_SQ_IDLE_DEFAULT_US.  Without the flag it must be 0
 *		(EINVAL).  Out: the value in use (0 without the flag).
 * @resv:	in: must be 0 (EINVAL); out: 0.
 * @off:	out: the layout of the mapping.  Ignored on input.
 *
 * The whole region (control page, SQEs, CQEs, data area) must fit
 * max_ctx_bytes (EINVAL otherwise) and the device's remaining memory budget
 * (ENOMEM; see dev_bytes_max at struct aoff_info).  It is charged to the
 * caller's locked memory (RLIMIT_MEMLOCK, unless CAP_IPC_LOCK): ENOMEM
 * when over the limit.
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
	__u32	hash_slots;
	__u32	sq_idle_us;
	__u64	resv[2];
	struct aoff_ring_offsets off;
};

#define AOFF_SETUP_SIZE_VER0	128	/* first published size */
/* Submission without a doorbell while the device watches the SQ (above). */
#define AOFF_SETUP_F_SQPOLL	(1U << 0)
#define AOFF_SETUP_F_ALL	AOFF_SETUP_F_SQPOLL
#define AOFF_SQ_IDLE_DEFAULT_US	1000	/* sq_idle_us when setup asks 0 */
#define AOFF_SQ_IDLE_MAX_US	1000000
#define AOFF_HASH_SLOTS_DEFAULT	16	/* hash_slots when setup asks 0 */
#define AOFF_HASH_SLOTS_MAX	4096	/* max_hash_slots of this driver */

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
 * @submitted:	out: SQEs consumed by this call, written on success and
 *		also on EINTR, ETIME and EIO (a reset during the wait: the
 *		SQEs consumed before it still complete, with -ECANCELED).
 *		Ignored on input, so one struct may be reused across
 *		doorbells.
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
 *   EIO     the context is broken (AOFF_STATUS_BROKEN), before the call
 *           or during its wait (then @submitted says what was consumed);
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
 * @size:	in: sizeof(struct aoff_info) as user space knows it:
 *		less than AOFF_INFO_SIZE_VER0 is EINVAL, more than
 *		AOFF_INFO_SIZE_MAX is E2BIG, and in both cases nothing is
 *		written.  Otherwise the kernel writes exactly min(size, its
 *		sizeof) bytes at the argument and never touches a byte past
 *		them: when size is larger, the caller's tail is left as it
 *		was (fields the kernel does not know are not zeroed; the
 *		size it returns says where its answer ends).  Out: the
 *		kernel's sizeof (>= AOFF_INFO_SIZE_VER0).
 * @abi_version: out: AOFF_ABI_VERSION.
 * @features:	out: AOFF_FEAT_* bits.
 * @ops:	out: bitmap of supported opcodes, bit (op % 64) of ops[op / 64].
 * @max_sq_entries, @max_cq_entries: out: ring size limits.
 * @max_ctx_bytes: out: largest region (control page, SQEs, CQEs, data).
 * @max_contexts: out: contexts the device accepts at once (open() beyond
 *		fails with EBUSY).
 * @nr_engines:	out: engines serving the device.
 * @dev_bytes_max: out: memory budget of the device for all its contexts
 *		(module parameter max_dev_bytes; by default a quarter of the
 *		machine's RAM, so setups fail with ENOMEM long before the
 *		machine runs out of memory).
 * @max_hash_slots: out: largest setup.hash_slots.
 * @resv0:	out: 0.
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
	__u32	max_hash_slots;
	__u32	resv0;
	__u64	resv[5];
};

#define AOFF_INFO_SIZE_VER0	128	/* first published size */
#define AOFF_INFO_SIZE_MAX	4096	/* largest size accepted on input */

/* One mmap()ed region per context, at offset 0. */
#define AOFF_FEAT_SINGLE_MMAP	(1ULL << 0)
/* Every consumed SQE produces exactly one CQE (admission reserves slots). */
#define AOFF_FEAT_CQ_RESERVE	(1ULL << 1)
/* AOFF_IOC_EVENTFD is supported. */
#define AOFF_FEAT_EVENTFD	(1ULL << 2)
/* setup.hash_slots and the partial SHA-256 operations are supported. */
#define AOFF_FEAT_HASH_SLOTS	(1ULL << 3)
/* AOFF_SETUP_F_SQPOLL and AOFF_STATUS_NEED_WAKEUP are supported. */
#define AOFF_FEAT_SQPOLL	(1ULL << 4)

/*
 * mmap(): offset must be 0 and length at most off.mmap_bytes (EINVAL);
 * MAP_SHARED only (EINVAL); PROT_EXEC is refused (EPERM); the context must
 * be set up (EBADFD) and the caller must be the opener (EPERM).  The
 * mapping is not inherited across fork() (the child inherits only the fd,
 * which it cannot use for setup, doorbell or mmap: EPERM), and
 * madvise(MADV_DOFORK) cannot change that (EINVAL).  The mapping is device
 * memory (VM_IO), as a real device's rings would be: the CPU reads and
 * writes it as usual (read(), write(), send() from it work), but nothing
 * that pins its pages works on it: O_DIRECT, vmsplice(), io_uring fixed
 * buffers, process_vm_readv() and ptrace() peeks fail (EFAULT or EIO).
 * The region lives until the fd is closed and every mapping is gone.
 *
 * poll(): EPOLLIN | EPOLLRDNORM while CQEs are pending; EPOLLOUT |
 * EPOLLWRNORM while the SQ has a free slot (SQ tail - SQ head <
 * sq_entries); EPOLLERR when the context is broken.  Nothing before setup.
 *
 * Notification: the device raises its modelled completion interrupt after
 * posting CQEs; the interrupt wakes poll() and doorbell waiters and
 * signals the attached eventfd (AOFF_IOC_EVENTFD).  Interrupts are
 * coalesced per context as the device's coalesce_frames and
 * coalesce_usecs sysfs attributes say: one interrupt covers every CQE
 * posted since the previous one, and it is raised when coalesce_frames
 * CQEs are waiting for it, when coalesce_usecs have passed since the first
 * of them (0: no time limit), or when the context has no other request
 * in flight, whichever comes first; so a CQE never waits for its
 * interrupt longer than coalesce_usecs (when set), and not at all when
 * nothing else is in flight.  The defaults (coalesce_frames 1) raise one
 * interrupt per CQE.
 */

/*
 * struct aoff_eventfd - AOFF_IOC_EVENTFD argument (in)
 *
 * Attaches an eventfd (eventfd(2)) to the context, or detaches it.  Each
 * modelled interrupt adds 1 to the eventfd's counter (one interrupt may
 * cover many CQEs: read the CQ to learn how many); so does the device
 * reset that breaks the context.  The eventfd is only a doorbell for the
 * waiter: CQEs are read from the CQ as usual, and the counter says nothing
 * about how many there are.  Works before and after setup.
 *
 * @fd:		an eventfd to attach, or -1 to detach the current one.
 * @flags:	must be 0 (EINVAL).
 * @resv:	must be 0 (EINVAL).
 *
 * Errors: EBUSY an eventfd is already attached (detach it first); ENXIO
 * detach with none attached; EBADF @fd is not an open file (or < -1);
 * EINVAL @fd is not an eventfd, or bad flags/resv; EPERM the caller is not
 * the process that opened the device; EFAULT bad pointer.  Closing the
 * context detaches it.
 */
struct aoff_eventfd {
	__s32	fd;
	__u32	flags;
	__u64	resv;
};

#define AOFF_IOC_MAGIC	0xAF

/* Set the context up; once per context (EBUSY after). */
#define AOFF_IOC_SETUP	_IOWR(AOFF_IOC_MAGIC, 0x00, struct aoff_setup)
/* Doorbell: submit and optionally wait; see struct aoff_enter. */
#define AOFF_IOC_ENTER	_IOWR(AOFF_IOC_MAGIC, 0x01, struct aoff_enter)
/* Device information and limits; see struct aoff_info. */
#define AOFF_IOC_INFO	_IOWR(AOFF_IOC_MAGIC, 0x02, struct aoff_info)
/* Attach or detach the eventfd; see struct aoff_eventfd. */
#define AOFF_IOC_EVENTFD _IOW(AOFF_IOC_MAGIC, 0x03, struct aoff_eventfd)

/* Any other ioctl on the device fails with ENOTTY. */

#endif /* _UAPI_LINUX_ASYNCOFF_H */
