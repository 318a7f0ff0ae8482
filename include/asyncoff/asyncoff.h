/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libasyncoff: the device library.
 *
 * One struct aoff_ctx is one hardware context: an open /dev/asyncoffN, its
 * rings and data area mapped into this process.  The calls follow liburing:
 *
 *   ctx = aoff_ctx_open("/dev/asyncoff0", NULL);      NULL + errno on error
 *   off = aoff_data_alloc(ctx, len);                  room in the data area
 *   sqe = aoff_get_sqe(ctx);                          NULL when the SQ is full
 *   aoff_prep_nop(sqe, user_data);
 *   aoff_submit(ctx);                                 one doorbell per batch
 *   while (aoff_peek_cqe(ctx, &cqe) == 0) {            no syscall
 *           ... cqe->user_data, cqe->res ...
 *           aoff_cqe_seen(ctx, cqe);
 *   }
 *   aoff_wait_cqe(ctx, &cqe, timeout_ns);             sleep for one
 *   poll(aoff_ctx_fd(ctx)) ...                        or your own event loop
 *
 * Functions return 0 or a count on success and a negative errno on failure;
 * constructors return NULL with errno set.  A context is not thread-safe:
 * one thread at a time uses it (different contexts are independent).
 * The library never defines an ASYNC_* symbol.
 */
#ifndef ASYNCOFF_ASYNCOFF_H
#define ASYNCOFF_ASYNCOFF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/asyncoff.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aoff_ctx;

/*
 * struct aoff_ctx_opts - how to set a context up
 * @sz:		sizeof(struct aoff_ctx_opts); lets the struct grow (libbpf
 *		opts): an older caller's shorter struct is accepted, a longer
 *		one must have zeroes past what this library knows (-E2BIG).
 * @sq_entries:	submission slots (0: 64); rounded up to a power of two.
 * @cq_entries:	completion slots (0: twice @sq_entries).
 * @data_bytes:	data-area size (0: 64 KiB); rounded up to pages.
 * @flags:	AOFF_CTX_F_*; unknown bits: -EINVAL.
 * @sq_idle_us:	with AOFF_CTX_F_SQPOLL, how long the device keeps watching
 *		an idle SQ, 0 .. AOFF_SQ_IDLE_MAX_US (0: the driver's default,
 *		AOFF_SQ_IDLE_DEFAULT_US); must be 0 without the flag (-EINVAL).
 */
struct aoff_ctx_opts {
	size_t sz;
	unsigned int sq_entries;
	unsigned int cq_entries;
	size_t data_bytes;
	unsigned int flags;
	unsigned int sq_idle_us;
};

/* Open the fd with O_NONBLOCK (the doorbell never blocks on it anyway). */
#define AOFF_CTX_F_NONBLOCK	(1U << 0)
/*
 * Submission without a doorbell (AOFF_SETUP_F_SQPOLL): the device watches
 * the SQ while the context is busy, aoff_submit() makes a system call only
 * when the device asks for one (AOFF_STATUS_NEED_WAKEUP).  A device without
 * AOFF_FEAT_SQPOLL: aoff_ctx_open() fails with EOPNOTSUPP (retry without
 * the flag for a fallback).
 */
#define AOFF_CTX_F_SQPOLL	(1U << 1)
#define AOFF_CTX_F_ALL		(AOFF_CTX_F_NONBLOCK | AOFF_CTX_F_SQPOLL)

#define AOFF_CTX_DEFAULT_SQ	64
#define AOFF_CTX_DEFAULT_DATA	(64 * 1024)

/* Open and set up a context on a device path or on /dev/asyncoff<index>. */
struct aoff_ctx *aoff_ctx_open(const char *path,
			       const struct aoff_ctx_opts *opts);
struct aoff_ctx *aoff_ctx_open_index(unsigned int index,
				     const struct aoff_ctx_opts *opts);
/* Unmap and close; requests in flight are cancelled by the driver. */
void aoff_ctx_close(struct aoff_ctx *ctx);

/* The context's fd: EPOLLIN while CQEs are pending, EPOLLERR when broken. */
int aoff_ctx_fd(const struct aoff_ctx *ctx);
/* The device's limits and supported operations. */
int aoff_ctx_info(const struct aoff_ctx *ctx, struct aoff_info *info);
/* Ring sizes as set up. */
unsigned int aoff_ctx_sq_entries(const struct aoff_ctx *ctx);
unsigned int aoff_ctx_cq_entries(const struct aoff_ctx *ctx);
/* System calls the library made on the context so far (doorbells, waits). */
uint64_t aoff_ctx_syscalls(const struct aoff_ctx *ctx);
/* Non-zero once the device reset the context (it then refuses work). */
int aoff_ctx_broken(const struct aoff_ctx *ctx);
/* Non-zero when the context was set up with AOFF_CTX_F_SQPOLL. */
int aoff_ctx_sqpoll(const struct aoff_ctx *ctx);
/* The device's idle time for the SQ in microseconds (0: not SQPOLL). */
unsigned int aoff_ctx_sq_idle_us(const struct aoff_ctx *ctx);
/*
 * Submissions that published SQEs without a system call (SQPOLL: the
 * device was watching); aoff_ctx_syscalls() counts the others.
 */
uint64_t aoff_ctx_doorbells_saved(const struct aoff_ctx *ctx);

/*
 * The data area: the only memory the device reads and writes.  Requests
 * address it by offset.  aoff_data_alloc() returns an offset (>= 0) of
 * @len bytes aligned to 64, or -ENOMEM; aoff_data_free() gives it back.
 */
int64_t aoff_data_alloc(struct aoff_ctx *ctx, size_t len);
void aoff_data_free(struct aoff_ctx *ctx, uint64_t off);
void *aoff_data_ptr(struct aoff_ctx *ctx, uint64_t off);
size_t aoff_data_size(const struct aoff_ctx *ctx);

/*
 * Submission.  aoff_get_sqe() hands out the next free slot, zeroed, or
 * NULL when the SQ is full; aoff_submit() rings the doorbell once for all
 * prepared SQEs and returns how many the device accepted (-EAGAIN when it
 * has no completion slot free: consume CQEs first).  On an SQPOLL context
 * it publishes them and rings only if the device is not watching; it then
 * returns how many SQEs are published and not yet consumed (the device
 * takes them as completion slots free up).
 */
struct aoff_sqe *aoff_get_sqe(struct aoff_ctx *ctx);
unsigned int aoff_sq_space(const struct aoff_ctx *ctx);
int aoff_submit(struct aoff_ctx *ctx);
/*
 * Submit, then sleep until @wait_nr CQEs are pending or @timeout_ns passes
 * (negative: no limit).  -ETIME on timeout, -EINTR on a signal (the
 * submission stands).
 */
int aoff_submit_and_wait(struct aoff_ctx *ctx, unsigned int wait_nr,
			 int64_t timeout_ns);
/*
 * aoff_submit() for callers that must know more: with
 * AOFF_SUBMIT_F_DOORBELL the doorbell rings even when an SQPOLL device is
 * watching (it then takes the entries now, not at its next pass); *@rang
 * (if not NULL) says whether a system call was made.
 */
#define AOFF_SUBMIT_F_DOORBELL	(1u << 0)
int aoff_submit_flags(struct aoff_ctx *ctx, unsigned int flags, int *rang);
/* Entries prepared or published that the device has not taken yet. */
unsigned int aoff_sq_pending(const struct aoff_ctx *ctx);
/*
 * Sleep until @wait_nr CQEs are pending or @timeout_ns passes (negative:
 * no limit), submitting nothing: for when the device refused entries
 * (EAGAIN) until completions are consumed.
 */
int aoff_wait_cq(struct aoff_ctx *ctx, unsigned int wait_nr,
		 int64_t timeout_ns);

static inline void aoff_prep_nop(struct aoff_sqe *sqe, uint64_t user_data)
{
	sqe->opcode = AOFF_OP_NOP;
	sqe->user_data = user_data;
}

/*
 * Crypto operations; <linux/asyncoff.h> specifies each (lengths, IV
 * chaining, errors).  Every offset is into the data area.  The SQE must
 * come zeroed (aoff_get_sqe() does that); the helpers set every field the
 * operation uses.
 */

/* SHA-256 of [in_off, +in_len) into 32 bytes at out_off. */
static inline void aoff_prep_sha256(struct aoff_sqe *sqe, uint64_t user_data,
				    uint64_t in_off, uint32_t in_len,
				    uint64_t out_off)
{
	sqe->opcode = AOFF_OP_SHA256;
	sqe->user_data = user_data;
	sqe->in_off = in_off;
	sqe->in_len = in_len;
	sqe->out_off = out_off;
	sqe->out_len = AOFF_SHA256_DIGEST_SIZE;
}

/*
 * Partial SHA-256 in hash slot @slot: @opcode is AOFF_OP_SHA256_FIRST,
 * _MIDDLE or _LAST; only LAST writes the digest at @out_off (ignored for
 * the others).
 */
static inline void aoff_prep_sha256_part(struct aoff_sqe *sqe,
					 uint64_t user_data, uint8_t opcode,
					 uint32_t slot, uint64_t in_off,
					 uint32_t in_len, uint64_t out_off)
{
	sqe->opcode = opcode;
	sqe->user_data = user_data;
	sqe->in_off = in_off;
	sqe->in_len = in_len;
	sqe->hash.state_slot = slot;
	if (opcode == AOFF_OP_SHA256_LAST) {
		sqe->out_off = out_off;
		sqe->out_len = AOFF_SHA256_DIGEST_SIZE;
	}
}

static inline void aoff_prep_sha256_first(struct aoff_sqe *sqe,
					  uint64_t user_data, uint32_t slot,
					  uint64_t in_off, uint32_t in_len)
{
	aoff_prep_sha256_part(sqe, user_data, AOFF_OP_SHA256_FIRST, slot,
			      in_off, in_len, 0);
}

static inline void aoff_prep_sha256_middle(struct aoff_sqe *sqe,
					   uint64_t user_data, uint32_t slot,
					   uint64_t in_off, uint32_t in_len)
{
	aoff_prep_sha256_part(sqe, user_data, AOFF_OP_SHA256_MIDDLE, slot,
			      in_off, in_len, 0);
}

static inline void aoff_prep_sha256_last(struct aoff_sqe *sqe,
					 uint64_t user_data, uint32_t slot,
					 uint64_t in_off, uint32_t in_len,
					 uint64_t out_off)
{
	aoff_prep_sha256_part(sqe, user_data, AOFF_OP_SHA256_LAST, slot,
			      in_off, in_len, out_off);
}

/* HMAC-SHA256 with the key at [key_off, +key_len); 32 bytes at out_off. */
static inline void aoff_prep_hmac_sha256(struct aoff_sqe *sqe,
					 uint64_t user_data, uint64_t key_off,
					 uint32_t key_len, uint64_t in_off,
					 uint32_t in_len, uint64_t out_off)
{
	sqe->opcode = AOFF_OP_HMAC_SHA256;
	sqe->user_data = user_data;
	sqe->in_off = in_off;
	sqe->in_len = in_len;
	sqe->out_off = out_off;
	sqe->out_len = AOFF_SHA256_DIGEST_SIZE;
	sqe->hash.key_off = key_off;
	sqe->hash.key_len = key_len;
}

/*
 * AES with a @key_len (16, 24, 32) byte key; @len bytes from @in_off to
 * @out_off (may be equal); the 16-byte IV at @iv_off is updated in place.
 */
static inline void aoff_prep_aes(struct aoff_sqe *sqe, uint64_t user_data,
				 uint8_t opcode, uint64_t key_off,
				 uint32_t key_len, uint64_t iv_off,
				 uint64_t in_off, uint32_t len,
				 uint64_t out_off)
{
	sqe->opcode = opcode;
	sqe->user_data = user_data;
	sqe->in_off = in_off;
	sqe->in_len = len;
	sqe->out_off = out_off;
	sqe->out_len = len;
	sqe->cipher.key_off = key_off;
	sqe->cipher.key_len = key_len;
	sqe->cipher.iv_off = iv_off;
}

/* CBC; @len a multiple of 16.  @encrypt: non-zero encrypts. */
static inline void aoff_prep_aes_cbc(struct aoff_sqe *sqe, uint64_t user_data,
				     int encrypt, uint64_t key_off,
				     uint32_t key_len, uint64_t iv_off,
				     uint64_t in_off, uint32_t len,
				     uint64_t out_off)
{
	aoff_prep_aes(sqe, user_data,
		      encrypt ? AOFF_OP_AES_CBC_ENCRYPT : AOFF_OP_AES_CBC_DECRYPT,
		      key_off, key_len, iv_off, in_off, len, out_off);
}

/* CTR (128-bit big-endian counter); any @len. */
static inline void aoff_prep_aes_ctr(struct aoff_sqe *sqe, uint64_t user_data,
				     int encrypt, uint64_t key_off,
				     uint32_t key_len, uint64_t iv_off,
				     uint64_t in_off, uint32_t len,
				     uint64_t out_off)
{
	aoff_prep_aes(sqe, user_data,
		      encrypt ? AOFF_OP_AES_CTR_ENCRYPT : AOFF_OP_AES_CTR_DECRYPT,
		      key_off, key_len, iv_off, in_off, len, out_off);
}

/*
 * Public-key operations (AOFF_OP_RSA_PRIVATE .. AOFF_OP_X25519_DERIVE).
 * Keys and operands are in the data area, in the formats the header
 * gives: RSA keys as DER (RSAPrivateKey, RSAPublicKey), EC scalars and
 * points (X || Y) big-endian at the curve's width, X25519 as RFC 7748's
 * 32 little-endian bytes.  @curve is AOFF_EC_P256 or AOFF_EC_P384.
 */

/* The byte width of @curve's scalars and coordinates; 0 if unknown. */
static inline uint32_t aoff_ec_curve_bytes(uint32_t curve)
{
	return curve == AOFF_EC_P256 ? AOFF_EC_P256_BYTES :
	       curve == AOFF_EC_P384 ? AOFF_EC_P384_BYTES : 0;
}

/*
 * Raw RSA: @opcode AOFF_OP_RSA_PRIVATE (DER RSAPrivateKey at @key_off) or
 * AOFF_OP_RSA_PUBLIC (DER RSAPublicKey); @len (the modulus' bytes) in and
 * out.
 */
static inline void aoff_prep_rsa(struct aoff_sqe *sqe, uint64_t user_data,
				 uint8_t opcode, uint64_t key_off,
				 uint32_t key_len, uint64_t in_off,
				 uint32_t len, uint64_t out_off)
{
	sqe->opcode = opcode;
	sqe->user_data = user_data;
	sqe->in_off = in_off;
	sqe->in_len = len;
	sqe->out_off = out_off;
	sqe->out_len = len;
	sqe->pk.key_off = key_off;
	sqe->pk.key_len = key_len;
}

/* ECDSA: r || s (2 * curve bytes) at @out_off, private scalar at @key_off. */
static inline void aoff_prep_ecdsa_sign(struct aoff_sqe *sqe,
					uint64_t user_data, uint32_t curve,
					uint64_t key_off, uint64_t dgst_off,
					uint32_t dgst_len, uint64_t out_off)
{
	uint32_t cb = aoff_ec_curve_bytes(curve);

	sqe->opcode = AOFF_OP_ECDSA_SIGN;
	sqe->user_data = user_data;
	sqe->op_flags = curve;
	sqe->in_off = dgst_off;
	sqe->in_len = dgst_len;
	sqe->out_off = out_off;
	sqe->out_len = 2 * cb;
	sqe->pk.key_off = key_off;
	sqe->pk.key_len = cb;
}

/* ECDSA: r || s at @sig_off against X || Y at @pub_off; res 0 or -EBADMSG. */
static inline void aoff_prep_ecdsa_verify(struct aoff_sqe *sqe,
					  uint64_t user_data, uint32_t curve,
					  uint64_t pub_off, uint64_t dgst_off,
					  uint32_t dgst_len, uint64_t sig_off)
{
	uint32_t cb = aoff_ec_curve_bytes(curve);

	sqe->opcode = AOFF_OP_ECDSA_VERIFY;
	sqe->user_data = user_data;
	sqe->op_flags = curve;
	sqe->in_off = dgst_off;
	sqe->in_len = dgst_len;
	sqe->pk.key_off = pub_off;
	sqe->pk.key_len = 2 * cb;
	sqe->pk.aux_off = sig_off;
	sqe->pk.aux_len = 2 * cb;
}

/*
 * An EC key pair: d || X || Y (3 * curve bytes) at @out_off.  @key_len 0
 * draws d on the device; curve bytes: d is read at @key_off.
 */
static inline void aoff_prep_ecdh_keygen(struct aoff_sqe *sqe,
					 uint64_t user_data, uint32_t curve,
					 uint64_t key_off, uint32_t key_len,
					 uint64_t out_off)
{
	sqe->opcode = AOFF_OP_ECDH_KEYGEN;
	sqe->user_data = user_data;
	sqe->op_flags = curve;
	sqe->out_off = out_off;
	sqe->out_len = 3 * aoff_ec_curve_bytes(curve);
	sqe->pk.key_off = key_len ? key_off : 0;
	sqe->pk.key_len = key_len;
}

/* ECDH: the shared X (curve bytes) from d at @key_off, peer X || Y. */
static inline void aoff_prep_ecdh_derive(struct aoff_sqe *sqe,
					 uint64_t user_data, uint32_t curve,
					 uint64_t key_off, uint64_t peer_off,
					 uint64_t out_off)
{
	uint32_t cb = aoff_ec_curve_bytes(curve);

	sqe->opcode = AOFF_OP_ECDH_DERIVE;
	sqe->user_data = user_data;
	sqe->op_flags = curve;
	sqe->out_off = out_off;
	sqe->out_len = cb;
	sqe->pk.key_off = key_off;
	sqe->pk.key_len = cb;
	sqe->pk.aux_off = peer_off;
	sqe->pk.aux_len = 2 * cb;
}

/* X25519 key pair: private || public (64 bytes); @key_len 0 or 32. */
static inline void aoff_prep_x25519_keygen(struct aoff_sqe *sqe,
					   uint64_t user_data,
					   uint64_t key_off, uint32_t key_len,
					   uint64_t out_off)
{
	sqe->opcode = AOFF_OP_X25519_KEYGEN;
	sqe->user_data = user_data;
	sqe->out_off = out_off;
	sqe->out_len = 2 * AOFF_X25519_BYTES;
	sqe->pk.key_off = key_len ? key_off : 0;
	sqe->pk.key_len = key_len;
}

/* X25519 shared secret (32 bytes) of the private key and a peer's u. */
static inline void aoff_prep_x25519_derive(struct aoff_sqe *sqe,
					   uint64_t user_data,
					   uint64_t key_off, uint64_t peer_off,
					   uint64_t out_off)
{
	sqe->opcode = AOFF_OP_X25519_DERIVE;
	sqe->user_data = user_data;
	sqe->out_off = out_off;
	sqe->out_len = AOFF_X25519_BYTES;
	sqe->pk.key_off = key_off;
	sqe->pk.key_len = AOFF_X25519_BYTES;
	sqe->pk.aux_off = peer_off;
	sqe->pk.aux_len = AOFF_X25519_BYTES;
}

/*
 * AEAD (AES-GCM, ChaCha20-Poly1305): one message per request.  The key
 * block at @key_off is the @key_len-byte key followed by the 12-byte
 * nonce.  @len is the text's length without the tag: encrypting, @len
 * bytes at @in_off become @len bytes of ciphertext and the @tag_len-byte
 * tag at @out_off; decrypting, the input is @len bytes of ciphertext
 * followed by the tag, and @len bytes of plaintext are written only when
 * the tag matches (else the completion says -EBADMSG).
 */
static inline void aoff_prep_aead(struct aoff_sqe *sqe, uint64_t user_data,
				  uint8_t opcode, int encrypt,
				  uint64_t key_off, uint32_t key_len,
				  uint64_t aad_off, uint32_t aad_len,
				  uint64_t in_off, uint32_t len,
				  uint64_t out_off, uint32_t tag_len)
{
	sqe->opcode = opcode;
	sqe->user_data = user_data;
	sqe->in_off = in_off;
	sqe->in_len = encrypt ? len : len + tag_len;
	sqe->out_off = out_off;
	sqe->out_len = encrypt ? len + tag_len : len;
	sqe->aead.key_off = key_off;
	sqe->aead.key_len = (uint8_t)key_len;
	sqe->aead.aad_off = aad_len ? aad_off : 0;
	sqe->aead.aad_len = aad_len;
	sqe->aead.tag_len = (uint8_t)tag_len;
}
static inline void aoff_prep_aes_gcm(struct aoff_sqe *sqe, uint64_t user_data,
				     int encrypt, uint64_t key_off,
				     uint32_t key_len, uint64_t aad_off,
				     uint32_t aad_len, uint64_t in_off,
				     uint32_t len, uint64_t out_off,
				     uint32_t tag_len)
{
	aoff_prep_aead(sqe, user_data,
		       encrypt ? AOFF_OP_AES_GCM_ENCRYPT : AOFF_OP_AES_GCM_DECRYPT,
		       encrypt, key_off, key_len, aad_off, aad_len, in_off, len,
		       out_off, tag_len);
}
static inline void aoff_prep_chacha20_poly1305(struct aoff_sqe *sqe,
					       uint64_t user_data, int encrypt,
					       uint64_t key_off,
					       uint64_t aad_off,
					       uint32_t aad_len,
					       uint64_t in_off, uint32_t len,
					       uint64_t out_off)
{
	aoff_prep_aead(sqe, user_data,
		       encrypt ? AOFF_OP_CHACHA20_POLY1305_ENCRYPT :
				 AOFF_OP_CHACHA20_POLY1305_DECRYPT,
		       encrypt, key_off, 32, aad_off, aad_len, in_off, len,
		       out_off, AOFF_AEAD_TAG_MAX);
}

/*
 * SHA-384 and SHA-512: as the SHA-256 helpers; @opcode is one of the
 * AOFF_OP_SHA384* / AOFF_OP_SHA512* one-shot and partial opcodes (only
 * the one-shot and LAST ones write a digest at @out_off), or
 * AOFF_OP_HMAC_SHA384 / _SHA512 with aoff_prep_hmac_sha512().
 */
static inline uint32_t aoff_sha512_digest_size(uint8_t opcode)
{
	switch (opcode) {
	case AOFF_OP_SHA384:
	case AOFF_OP_SHA384_LAST:
	case AOFF_OP_HMAC_SHA384:
		return AOFF_SHA384_DIGEST_SIZE;
	case AOFF_OP_SHA512:
	case AOFF_OP_SHA512_LAST:
	case AOFF_OP_HMAC_SHA512:
		return AOFF_SHA512_DIGEST_SIZE;
	}
	return 0;	/* FIRST, MIDDLE: no output */
}
static inline void aoff_prep_sha512(struct aoff_sqe *sqe, uint64_t user_data,
				    uint8_t opcode, uint32_t slot,
				    uint64_t in_off, uint32_t in_len,
				    uint64_t out_off)
{
	uint32_t dlen = aoff_sha512_digest_size(opcode);

	sqe->opcode = opcode;
	sqe->user_data = user_data;
	sqe->in_off = in_off;
	sqe->in_len = in_len;
	sqe->hash.state_slot = slot;
	if (dlen) {
		sqe->out_off = out_off;
		sqe->out_len = dlen;
	}
}
static inline void aoff_prep_hmac_sha512(struct aoff_sqe *sqe,
					 uint64_t user_data, uint8_t opcode,
					 uint64_t key_off, uint32_t key_len,
					 uint64_t in_off, uint32_t in_len,
					 uint64_t out_off)
{
	aoff_prep_sha512(sqe, user_data, opcode, 0, in_off, in_len, out_off);
	sqe->hash.key_off = key_off;
	sqe->hash.key_len = key_len;
}

/*
 * Completion, straight from shared memory.  aoff_peek_cqe() gives the
 * oldest pending CQE (0) or -EAGAIN; aoff_cqe_seen() / aoff_cq_advance()
 * hand slots back to the device.  aoff_peek_batch_cqe() fills @cqes with
 * up to @max pointers and returns how many.
 */
unsigned int aoff_cq_ready(const struct aoff_ctx *ctx);
/*
 * aoff_cq_ready() for a thread other than the context's user (an event
 * loop or dispatcher watching many contexts): both indexes are read from
 * the shared ring, the head as the user last published it.
 */
unsigned int aoff_cq_ready_any_thread(const struct aoff_ctx *ctx);
int aoff_peek_cqe(struct aoff_ctx *ctx, struct aoff_cqe **cqe);
unsigned int aoff_peek_batch_cqe(struct aoff_ctx *ctx, struct aoff_cqe **cqes,
				 unsigned int max);
void aoff_cq_advance(struct aoff_ctx *ctx, unsigned int nr);
static inline void aoff_cqe_seen(struct aoff_ctx *ctx, struct aoff_cqe *cqe)
{
	(void)cqe;
	aoff_cq_advance(ctx, 1);
}
/* Wait for one CQE (submitting what is prepared first); see above. */
int aoff_wait_cqe(struct aoff_ctx *ctx, struct aoff_cqe **cqe,
		  int64_t timeout_ns);

#ifdef __cplusplus
}
#endif

#endif /* ASYNCOFF_ASYNCOFF_H */
