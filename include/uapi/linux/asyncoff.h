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
 * Public-key operations (AOFF_OP_RSA_PRIVATE .. AOFF_OP_X25519_DERIVE).
 * They are the device's "public-key" operation class: the model gives
 * them their own service time and statistics (sysfs pk_latency_ns,
 * pk_busy_ns, pk_submitted, ...; Documentation/driver/sysfs-asyncoff).
 * Rules common to all of them:
 *   - Key material travels with each request, in the data area, as AES
 *     keys do: the key at pk.key_off (pk.key_len bytes) and, where an
 *     operation has a second operand (a peer's public key, a
 *     signature), that operand at pk.aux_off (pk.aux_len bytes).  Where
 *     an operation has no such operand, pk.aux_off and pk.aux_len must
 *     be 0 (-EINVAL); pk.key_off and pk.key_len likewise where it takes
 *     no key.  The driver keeps no key past the request: it copies what
 *     it needs into its own buffers and wipes them (memzero_explicit,
 *     kfree_sensitive) before the CQE is posted.
 *   - Every integer is big-endian and fixed-width (leading zeros kept),
 *     except X25519's, which are little-endian as RFC 7748 says.
 *   - Every input (in, pk.key, pk.aux) is read before the output is
 *     written, so the ranges may overlap in any way.
 *   - The output must have room for the whole result: out_len smaller
 *     than the size given for the operation is -EINVAL (checked before
 *     anything runs; for RSA the size is the modulus' byte length,
 *     known once the key is parsed, and the check happens then).
 *   - Errors of the operations themselves:
 *       -EINVAL        a length, op_flags (curve) or unused field is wrong
 *                      (the sizes are exact where given as "==");
 *       -EKEYREJECTED  the key at pk.key is not acceptable: DER that does
 *                      not parse, an RSA modulus not of 2048, 3072 or 4096
 *                      bits, an inconsistent RSA key (see below), an EC
 *                      private scalar outside [1, n - 1], an EC public
 *                      point that is not valid on the curve, an all-zero
 *                      X25519 private key;
 *       -EBADMSG       the operand at pk.aux is rejected: an EC peer point
 *                      not valid on the curve (a coordinate >= p, not on
 *                      the curve, or the point at infinity, encoded as
 *                      all zeros), an X25519 peer whose shared secret is
 *                      all zeros (a small-order point), or an ECDSA
 *                      signature that does not verify (r or s outside
 *                      [1, n - 1] included);
 *       -ERANGE        the RSA input as an integer is not below n;
 *       -EAGAIN        (EC key generation and ECDSA signing) the kernel's
 *                      random number generator gave no usable number;
 *       -ENOMEM        the kernel could not allocate its working memory.
 *     A failed public-key request writes nothing at out_off.
 *
 * RSA (RFC 8017), raw: padding (PKCS#1 v1.5, PSS, OAEP) is the caller's.
 * Moduli of exactly 2048, 3072 or 4096 bits only (n's top bit in the
 * first byte of its k = 256, 384 or 512 bytes); others, smaller ones
 * included, are -EKEYREJECTED.  op_flags must be 0 and pk.aux unused.
 * pk.key_len is 1 .. AOFF_RSA_KEY_MAX (else -EINVAL).  The input, in_len
 * == k bytes (else -EINVAL), is an integer < n (else -ERANGE); the result,
 * k bytes with leading zeros, is written at out_off (out_len >= k, res =
 * k).  Computed by the kernel's "rsa" akcipher (crypto/rsa.c, MPI
 * arithmetic, mpi_powm); see Documentation/driver/asyncoff.md for its
 * timing properties: the device does not blind, so a caller that needs
 * blinding blinds the input and unblinds the output itself.
 *
 * AOFF_OP_RSA_PRIVATE: m = c^d mod n through the CRT (m1 = c^dP mod p,
 *   m2 = c^dQ mod q, h = qInv (m1 - m2) mod p, m = m2 + h q).  pk.key is
 *   a DER RSAPrivateKey (RFC 8017 A.1.2, two primes: version 0, n, e, d,
 *   p, q, dP, dQ, qInv), what OpenSSL's i2d_RSAPrivateKey() writes.
 *   The key must be consistent, else -EKEYREJECTED: e odd, 3 <= e < n;
 *   0 < d < n; p and q odd, > 1, and p * q == n; 0 < dP < p, 0 < dQ < q,
 *   0 < qInv < p.  (e and d are checked but unused by the CRT.)
 * AOFF_OP_RSA_PUBLIC: c = m^e mod n.  pk.key is a DER RSAPublicKey
 *   (RFC 8017 A.1.1: n, e), what i2d_RSAPublicKey() writes; e must be
 *   odd with 3 <= e < n (else -EKEYREJECTED).
 *
 * NIST curves P-256 and P-384 (FIPS 186-4, SEC 1).  op_flags is the
 * curve: AOFF_EC_P256 or AOFF_EC_P384 (anything else -EINVAL).  Let cb
 * be the curve's size in bytes, AOFF_EC_P256_BYTES (32) or
 * AOFF_EC_P384_BYTES (48), and n the group order.  A private key is the
 * scalar d, cb bytes.  A public key is the affine point X || Y, 2 * cb
 * bytes (no 0x04 prefix, no compressed form).  The ops run on crypto/ecc.c
 * (ecc.ko on Debian's 6.1, built in on 6.12).
 *
 * AOFF_OP_ECDSA_SIGN: signs the digest at in_off, in_len 1 ..
 *   AOFF_ECDSA_DIGEST_MAX bytes (else -EINVAL), with d at pk.key
 *   (pk.key_len == cb, else -EINVAL; 1 <= d < n, else -EKEYREJECTED).
 *   As FIPS 186-4 6.4 says, the leftmost min(in_len, cb) bytes of the
 *   digest are the integer signed.  The per-signature nonce k comes from
 *   the kernel's RNG (ecc_gen_privkey(), FIPS 186-4 B.4.2); a k giving r
 *   = 0 or s = 0 is replaced.  Writes r || s, each cb bytes (out_len >=
 *   2 * cb; res = 2 * cb).
 * AOFF_OP_ECDSA_VERIFY: verifies the signature r || s at pk.aux
 *   (pk.aux_len == 2 * cb) over the digest at in_off (as for SIGN) with
 *   the public key at pk.key (pk.key_len == 2 * cb; a point not valid on
 *   the curve: -EKEYREJECTED).  Writes nothing (out_off and out_len must
 *   be 0).  res = 0: the signature is valid; -EBADMSG: it is not.
 * AOFF_OP_ECDH_KEYGEN: a key pair, for ECDH or ECDSA alike.  With
 *   pk.key_len == 0 the private key d is drawn from the kernel's RNG
 *   (ecc_gen_privkey()); with pk.key_len == cb, d is read at pk.key
 *   (1 <= d < n, else -EKEYREJECTED): the public key of an imported
 *   private key.  Any other pk.key_len: -EINVAL.  Writes d || X || Y
 *   (out_len >= 3 * cb; res = 3 * cb).  in_len must be 0.
 * AOFF_OP_ECDH_DERIVE: the shared secret, the X coordinate of d * P
 *   (SP 800-56A ECC CDH with cofactor 1), with d at pk.key (pk.key_len
 *   == cb; 1 <= d < n, else -EKEYREJECTED) and the peer's public point
 *   P at pk.aux (pk.aux_len == 2 * cb).  P is validated first (SP
 *   800-56A 5.6.2.3.4: not the point at infinity, coordinates < p, on
 *   the curve; the curves' cofactor is 1): else -EBADMSG.  Writes cb
 *   bytes (out_len >= cb; res = cb).  in_len must be 0.
 *
 * X25519 (RFC 7748), from the kernel's lib/crypto curve25519 (as
 * WireGuard uses it).  Keys and u-coordinates are AOFF_X25519_BYTES (32)
 * little-endian bytes; the private key is clamped by the computation
 * (RFC 7748 5), never in memory.  op_flags must be 0; in_len must be 0.
 *
 * AOFF_OP_X25519_KEYGEN: with pk.key_len == 0 the private key is 32
 *   random bytes from the kernel's RNG, clamped; with pk.key_len == 32
 *   it is read at pk.key (all zeros: -EKEYREJECTED).  Any other
 *   pk.key_len: -EINVAL.  Writes private || public (out_len >= 64; res =
 *   64); an imported private key is written back unchanged.
 * AOFF_OP_X25519_DERIVE: X25519(private at pk.key, peer's u at pk.aux),
 *   pk.key_len == pk.aux_len == 32.  An all-zero result (the peer's u is
 *   of small order) is -EBADMSG (RFC 7748 6.1).  Writes 32 bytes
 *   (out_len >= 32; res = 32).
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
	AOFF_OP_RSA_PRIVATE	= 10,
	AOFF_OP_RSA_PUBLIC	= 11,
	AOFF_OP_ECDSA_SIGN	= 12,
	AOFF_OP_ECDSA_VERIFY	= 13,
	AOFF_OP_ECDH_KEYGEN	= 14,
	AOFF_OP_ECDH_DERIVE	= 15,
	AOFF_OP_X25519_KEYGEN	= 16,
	AOFF_OP_X25519_DERIVE	= 17,

	AOFF_OP_LAST,		/* number of opcodes this header knows */
};

#define AOFF_SHA256_DIGEST_SIZE	32
#define AOFF_SHA256_BLOCK_SIZE	64
#define AOFF_AES_BLOCK_SIZE	16
#define AOFF_HMAC_KEY_MAX	4096	/* longest HMAC key, bytes */

/* Public-key operations (see above). */
#define AOFF_RSA_KEY_MAX	8192	/* longest DER RSA key, bytes */
#define AOFF_EC_P256		1	/* op_flags: the curve P-256 */
#define AOFF_EC_P384		2	/* op_flags: the curve P-384 */
#define AOFF_EC_P256_BYTES	32
#define AOFF_EC_P384_BYTES	48
#define AOFF_ECDSA_DIGEST_MAX	64	/* longest digest signed */
#define AOFF_X25519_BYTES	32

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
 *		bytes; both 0 for plain SHA-256), the context's hash slot
 *		@state_slot for partial hashing (0 otherwise); @resv 0.
 * @pk:		for public-key operations: the key at @key_off (@key_len
 *		bytes) and the second operand (peer's public key,
 *		signature) at @aux_off (@aux_len bytes), in the data area;
 *		each opcode says which it uses (the others must be 0).
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
			__u32	key_len;
			__u32	aux_len;
			__u64	aux_off;
		} pk;
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
 *		and for SHA256_FIRST/MIDDLE);
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
 *		AOFF_OP_SHA256_FIRST), 0 .. max_hash_slots (AOFF_IOC_INFO),
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
