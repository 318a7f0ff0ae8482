/* SPDX-License-Identifier: Apache-2.0 */
/*
 * asyncoff provider: what its files share.
 *
 * Every algorithm runs its work on the asyncoff device through the bridge
 * (libasyncoff, linked statically and hidden): inside an async job the job
 * pauses until the device completes, outside one the call sleeps.
 */
#ifndef AOFF_PROV_H
#define AOFF_PROV_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/core.h>
#include <openssl/core_dispatch.h>
#include <openssl/types.h>
#include <asyncoff/asyncoff.h>
#include <asyncoff/bridge.h>

/* Reason codes of the provider's errors (err.c has their strings). */
enum {
	AOFF_R_NO_DEVICE = 1,		/* open of the device failed */
	AOFF_R_DEVICE_RESET,		/* context broken by a device reset */
	AOFF_R_DEVICE_ERROR,		/* a request completed with an error */
	AOFF_R_DATA_AREA,		/* no room in the data area */
	AOFF_R_NO_HASH_SLOT,		/* every hash slot of the context busy */
	AOFF_R_STATE_LOST,		/* hash state out of reach, no replay */
	AOFF_R_NOT_DUPLICABLE,		/* stream too long to duplicate */
	AOFF_R_BAD_KEY_LENGTH,
	AOFF_R_BAD_IV_LENGTH,
	AOFF_R_NO_KEY,
	AOFF_R_WRONG_FINAL_BLOCK_LENGTH,
	AOFF_R_BAD_DECRYPT,
	AOFF_R_OUTPUT_TOO_SMALL,
	AOFF_R_UNSUPPORTED_DIGEST,
	AOFF_R_BAD_PARAM,
	AOFF_R_NO_MEMORY,
	AOFF_R_FAILED_STATE,		/* an earlier call on the ctx failed */
	AOFF_R_TLS_RECORD,		/* a TLS record of impossible length */
	AOFF_R_NO_SOFTWARE,		/* in-process fallback unavailable */
};

/* The provider context (one per OSSL_provider_init). */
struct aoff_prov {
	const OSSL_CORE_HANDLE *handle;
};

/*
 * policy.c: the offload policy.  An operation of class @cls on @len bytes
 * goes to the device when @len >= aoff_prov_cfg.offload_min[@cls];
 * AOFF_POL_OFF: never.  Set from "offload" / ASYNCOFF_OFFLOAD at init,
 * read-only after.  (The engine, which shares hstream.c, leaves it 0:
 * everything on the device.)
 */
enum aoff_pol_class {
	AOFF_POL_DIGEST,	/* SHA-2, HMAC: message length */
	AOFF_POL_CIPHER,	/* AES-CBC/CTR: bytes per request */
	AOFF_POL_AEAD,		/* AES-GCM, ChaCha20-Poly1305: message */
	AOFF_POL_PK,		/* public key: 0 (on) or AOFF_POL_OFF */
	AOFF_POL_NR
};
#define AOFF_POL_OFF		((size_t)-1)
/* Defaults: the measurements in Documentation/provider.md. */
#define AOFF_POL_DIGEST_DEFAULT	16384
#define AOFF_POL_CIPHER_DEFAULT	1024
#define AOFF_POL_AEAD_DEFAULT	1024
/* Settings from openssl.cnf / the environment, fixed at init (prov.c). */
struct aoff_prov_cfg {
	const char *device;	/* the device node the bridge opens */
	size_t dup_max;		/* longest hash stream kept for replay */
	size_t data_bytes;	/* data area of each device context */
	size_t offload_min[AOFF_POL_NR];	/* the offload policy */
};
extern struct aoff_prov_cfg aoff_prov_cfg;

/*
 * size.c: @len bytes of @s as a size: decimal, an optional k or m, nothing
 * else.  0, -EINVAL (not a size) or -ERANGE (does not fit in a size_t);
 * raises no error, the caller names the setting.
 */
int aoff_size_parse(const char *s, size_t len, size_t *out);

/* Parse a setting (@from names it in errors); 1, or 0 with an error. */
int aoff_policy_parse(const char *s, const char *from);
const char *aoff_policy_class_name(enum aoff_pol_class cls);
static inline int aoff_policy_device(enum aoff_pol_class cls, size_t len)
{
	return aoff_prov_cfg.offload_min[cls] != AOFF_POL_OFF &&
	       len >= aoff_prov_cfg.offload_min[cls];
}

/* err.c */
void aoff_err_init(const OSSL_DISPATCH *in);
void aoff_err_set_handle(const OSSL_CORE_HANDLE *handle);
const OSSL_ITEM *aoff_err_reasons(void);
void aoff_err_raise(const char *file, int line, const char *func, int reason,
		    const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
#define AOFF_RAISE(reason, ...) \
	aoff_err_raise(__FILE__, __LINE__, __func__, (reason), __VA_ARGS__)

/*
 * dev.c: one operation's view of the device.  aoff_dev_get() binds to the
 * bridge context of the code running now (the job's wait ctx or the
 * thread); every other call works on that binding.  Functions returning
 * int return 1 on success and 0 after raising an error.
 */
struct aoff_dev {
	struct aoff_bridge_ctx *bc;
	struct aoff_ctx *dc;
};

int aoff_dev_get(struct aoff_dev *d);
/*
 * Room for a request: @fixed bytes plus as much of @want as fits (at least
 * @unit, in multiples of @unit); *@got says how much of @want.
 */
int aoff_dev_alloc(struct aoff_dev *d, size_t fixed, size_t want,
		   size_t unit, uint64_t *off, size_t *got);
static inline uint8_t *aoff_dev_ptr(struct aoff_dev *d, uint64_t off)
{
	return aoff_data_ptr(d->dc, off);
}
static inline void aoff_dev_free(struct aoff_dev *d, uint64_t off)
{
	aoff_data_free(d->dc, off);
}
/*
 * Run @nr requests (pausing the current job, or sleeping).  @res gets each
 * result.  Returns 1, or 0 with an error raised that names @what; with
 * @quiet_errno, a request failing with exactly that errno is not raised
 * (0 returned, *@res says which).
 */
int aoff_dev_run(struct aoff_dev *d, const struct aoff_sqe *sqes,
		 unsigned int nr, int32_t *res, const char *what,
		 int quiet_errno);

/* slots.c: the hash slots of each device context. */
#define AOFF_PROV_HASH_SLOTS	AOFF_HASH_SLOTS_DEFAULT
int aoff_slot_get(const struct aoff_ctx *dc);
void aoff_slot_put(const struct aoff_ctx *dc, int slot);

/*
 * hstream.c: a SHA-256, SHA-384 or SHA-512 stream over the device's
 * partial hashing, plain or as the inner hash of HMAC.
 *
 * struct aoff_hs_alg - what the stream needs of its digest: sizes, the
 * device's opcodes, and the default provider's name for in-process work.
 */
struct aoff_hs_alg {
	const char *name;		/* in errors: "SHA-256" */
	const char *sw_name;		/* the default provider's: "SHA2-256" */
	size_t dlen, blk;		/* digest and block size */
	uint8_t op, op_first, op_middle, op_last, op_hmac;
};
extern const struct aoff_hs_alg aoff_hs_sha256, aoff_hs_sha384,
	aoff_hs_sha512;
#define AOFF_HS_BLOCK_MAX	AOFF_SHA512_BLOCK_SIZE
#define AOFF_HS_DIGEST_MAX	AOFF_SHA512_DIGEST_SIZE

/*
 *
 * struct aoff_hslot - a hash slot holding a stream's running state, shared
 * by the copies of the stream (copy on write): each request on the slot
 * bumps @epoch, and a copy whose own epoch is behind has lost the state to
 * another copy (it replays, or fails).
 */
struct aoff_hslot {
	const struct aoff_ctx *dc;	/* device context of the slot */
	int slot;
	unsigned int refs;		/* streams sharing it (atomic) */
	uint64_t epoch;			/* requests run on it (atomic) */
};

struct aoff_hs {
	/* NULL: SHA-256 (a zeroed struct is an empty SHA-256 stream) */
	const struct aoff_hs_alg *alg;
	uint8_t buf[AOFF_HS_BLOCK_MAX];	/* message bytes not sent */
	size_t buflen;			/* 0 .. block size */
	int hmac;			/* key in k0 */
	uint8_t k0[AOFF_HS_BLOCK_MAX];	/* HMAC key, <= block size */
	size_t k0len;
	int started;		/* some of the stream is in a hash slot */
	struct aoff_hslot *hsl;	/* that slot, NULL: none (replay first) */
	uint64_t epoch;		/* hsl->epoch when the slot was ours last */
	/*
	 * Everything hashed into the slot, kept while it is at most
	 * aoff_prov_cfg.dup_max bytes: a copy or a move to another device
	 * context replays it (the device cannot export a slot's state).
	 */
	uint8_t *log;
	size_t loglen, logcap;
	int log_lost;
	int failed;
	/*
	 * No hash slot was free: the stream's state is here, in the default
	 * provider's digest (an EVP_MD_CTX), until final or reset.
	 */
	EVP_MD_CTX *sw;
	/*
	 * In @sw because the offload policy keeps streams shorter than its
	 * digest size in-process; the log is kept, and a stream that grows
	 * past the size moves to a slot by replaying it.
	 */
	int below;
};

/* An empty stream of @alg (NULL: SHA-256). */
void aoff_hs_init(struct aoff_hs *hs, const struct aoff_hs_alg *alg);
/*
 * Start an HMAC stream of @alg with key @key (hashed first when longer
 * than the block).
 */
int aoff_hs_init_hmac(struct aoff_hs *hs, const struct aoff_hs_alg *alg,
		      const uint8_t *key, size_t keylen);
void aoff_hs_reset(struct aoff_hs *hs);	/* same key, empty message */
int aoff_hs_update(struct aoff_hs *hs, const uint8_t *p, size_t len);
/* Writes the digest (or MAC): aoff_hs_alg_of(hs)->dlen bytes. */
int aoff_hs_final(struct aoff_hs *hs, uint8_t *out);
int aoff_hs_dup(struct aoff_hs *dst, const struct aoff_hs *src);
void aoff_hs_release(struct aoff_hs *hs);
static inline const struct aoff_hs_alg *aoff_hs_alg_of(const struct aoff_hs *hs)
{
	return hs->alg ? hs->alg : &aoff_hs_sha256;
}

/* The algorithm tables (digest.c, hmac.c, cipher.c). */
extern const OSSL_DISPATCH aoff_sha256_functions[];
extern const OSSL_DISPATCH aoff_hmac_functions[];
extern const OSSL_DISPATCH aoff_aes128cbc_functions[];
extern const OSSL_DISPATCH aoff_aes192cbc_functions[];
extern const OSSL_DISPATCH aoff_aes256cbc_functions[];
extern const OSSL_DISPATCH aoff_aes128ctr_functions[];
extern const OSSL_DISPATCH aoff_aes192ctr_functions[];
extern const OSSL_DISPATCH aoff_aes256ctr_functions[];

/* hmac.c: free the software HMAC (teardown). */
void aoff_hmac_cleanup(void);

/*
 * sw.c: the default provider's implementations in a private library
 * context (see there for who uses them and why).  NULL with an error
 * raised when the default provider cannot be loaded.
 */
OSSL_LIB_CTX *aoff_sw_libctx(void);
const EVP_MD *aoff_sw_sha256(void);
const EVP_CIPHER *aoff_sw_aes_ctr(size_t keylen);
/* Any algorithm by a constant name, fetched once. */
const EVP_CIPHER *aoff_sw_cipher(const char *name);

/* cipher.c: the algorithm parameters our ciphers (aead.c's too) answer. */
const OSSL_PARAM *aoff_cipher_gettable_params(void *provctx);
const EVP_MD *aoff_sw_md(const char *name);
/* Random bytes from the private library context's DRBG. */
int aoff_sw_rand(uint8_t *buf, size_t len);
void aoff_sw_cleanup(void);

/*
 * aead_dev.c: one AEAD message on the device or in-process.  Encrypting,
 * @len bytes @in -> @out and the @taglen-byte tag into @tag; decrypting,
 * @tag is checked.  The device path returns 1, 0 with an error raised,
 * or -EBADMSG (tag mismatch: nothing written, nothing raised); so does
 * the in-process one (its -EBADMSG may leave the default provider's error).
 */
enum { AOFF_AEAD_GCM, AOFF_AEAD_CHACHA };
struct aoff_aead_msg {
	int kind;
	int enc;
	const uint8_t *key;
	size_t keylen;
	const uint8_t *nonce;		/* AOFF_AEAD_NONCE_SIZE bytes */
	const uint8_t *aad;
	size_t aadlen;
	const uint8_t *in;
	uint8_t *out;
	size_t len;
	uint8_t *tag;
	size_t taglen;
};
int aoff_aead_dev_fits(size_t aadlen, size_t len);
int aoff_aead_dev_taglen(int kind, size_t taglen);
int aoff_aead_dev(const struct aoff_aead_msg *m);
int aoff_aead_sw(EVP_CIPHER_CTX *sw, const struct aoff_aead_msg *m);

/* digest_sha512.c: SHA-384 and SHA-512. */
extern const OSSL_DISPATCH aoff_sha384_functions[];
extern const OSSL_DISPATCH aoff_sha512_functions[];

/* aead.c: AES-128/192/256-GCM and ChaCha20-Poly1305. */
extern const OSSL_DISPATCH aoff_aes128gcm_functions[];
extern const OSSL_DISPATCH aoff_aes192gcm_functions[];
extern const OSSL_DISPATCH aoff_aes256gcm_functions[];
extern const OSSL_DISPATCH aoff_chacha20poly1305_functions[];

/* cipher_tls.c: TLS CBC record padding and MAC removal (constant time). */
int aoff_tls_unpad(unsigned int tlsversion, uint8_t *rec, size_t *len,
		   size_t macsize, uint8_t *mac);

#endif /* AOFF_PROV_H */
