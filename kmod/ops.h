/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * asyncoff: the operation table.  One entry per opcode, filled with
 * designated initialisers in ops.c; each op family lives in its own op_*.c.
 */
#ifndef AOFF_OPS_H
#define AOFF_OPS_H

#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>

#include "aoff.h"

struct crypto_akcipher;
struct akcipher_request;
struct ecc_curve;
struct ecc_point;
struct crypto_shash;
struct crypto_skcipher;
struct shash_desc;
struct skcipher_request;
struct aoff_aead_engine;
struct aoff_sha512_engine;

/* Which SQE fields an operation uses; the others must be zero. */
#define AOFF_OPCAP_IN		BIT(0)	/* in_off, in_len */
#define AOFF_OPCAP_OUT		BIT(1)	/* out_off, out_len */
#define AOFF_OPCAP_UNION	BIT(2)	/* the op union (key, iv, state) */
#define AOFF_OPCAP_SLOT		BIT(3)	/* hash.state_slot: fails in order */
#define AOFF_OPCAP_ALL		(AOFF_OPCAP_IN | AOFF_OPCAP_OUT | \
				 AOFF_OPCAP_UNION | AOFF_OPCAP_SLOT)

/* Work is cut in chunks this long (a multiple of every block size). */
#define AOFF_CHUNK		SZ_64K
/* Pages a chunk may touch at any offset. */
#define AOFF_CHUNK_PAGES	(AOFF_CHUNK / PAGE_SIZE + 1)

/* Public-key operations (op_pk.c and the op families that use it). */
#define AOFF_EC_DIGITS		6	/* u64 digits of P-384, the largest */
#define AOFF_RSA_MAX_BYTES	512	/* RSA-4096 */

/*
 * struct aoff_pk_buf - an engine's copies of one public-key request's
 * inputs, its result and its scratch values; wiped after every request.
 */
struct aoff_pk_buf {
	u8 key[AOFF_RSA_KEY_MAX] __aligned(8);
	u8 in[AOFF_RSA_MAX_BYTES] __aligned(8);
	u8 aux[2 * AOFF_EC_P384_BYTES] __aligned(8);
	u8 out[AOFF_RSA_MAX_BYTES] __aligned(8);
	union {
		struct aoff_ecdsa_sign_tmp {
			u64 d[AOFF_EC_DIGITS], z[AOFF_EC_DIGITS];
			u64 k[AOFF_EC_DIGITS], kinv[AOFF_EC_DIGITS];
			u64 r[AOFF_EC_DIGITS], s[AOFF_EC_DIGITS];
			u64 t[AOFF_EC_DIGITS], kg[2 * AOFF_EC_DIGITS];
		} ecdsa;
		struct aoff_ecdsa_verify_tmp {
			u64 qx[AOFF_EC_DIGITS], qy[AOFF_EC_DIGITS];
			u64 x[AOFF_EC_DIGITS], y[AOFF_EC_DIGITS];
			u64 r[AOFF_EC_DIGITS], s[AOFF_EC_DIGITS];
			u64 z[AOFF_EC_DIGITS], w[AOFF_EC_DIGITS];
			u64 u1[AOFF_EC_DIGITS], u2[AOFF_EC_DIGITS];
		} ecdsa_v;
		struct {
			u64 d[AOFF_EC_DIGITS];
			u64 qx[AOFF_EC_DIGITS], qy[AOFF_EC_DIGITS];
		} ecdh;
	};
};

/* A NIST curve of the request's op_flags (op_ec.c). */
struct aoff_ec {
	const struct ecc_curve *curve;
	unsigned int id;	/* ECC_CURVE_NIST_* */
	unsigned int nd;	/* u64 digits */
	unsigned int cb;	/* bytes of a coordinate or scalar */
};

/*
 * struct aoff_engine - one modelled engine: the crypto transforms and
 * buffers it works with (a request never allocates), and its clock.
 * @lock:	held while a context's batch runs on the engine: the
 *		transforms, buffers and clock below are the holder's.
 * @busy_until:	ktime (ns) until which the engine is busy moving data; a
 *		request starts then (see engine.c).
 */
struct aoff_engine {
	struct mutex lock;	/* see above */
	unsigned int id;
	u64 busy_until;
	struct crypto_shash *sha256;
	struct crypto_shash *hmac;
	struct shash_desc *sha256_desc;
	struct shash_desc *hmac_desc;
	struct crypto_skcipher *cbc;
	struct crypto_skcipher *ctr;
	struct skcipher_request *cbc_req;
	struct skcipher_request *ctr_req;
	struct scatterlist sg_in[AOFF_CHUNK_PAGES];
	struct scatterlist sg_out[AOFF_CHUNK_PAGES];
	u8 iv[16];
	/* Public-key operations. */
	struct aoff_pk_buf *pk;
	struct crypto_akcipher *rsa;
	struct akcipher_request *rsa_req;
	/* AEAD and SHA-384/512 (op_aead.c, op_sha512.c): their own state. */
	struct aoff_aead_engine *aead;
	struct aoff_sha512_engine *sha512;
};

/**
 * struct aoff_op_def - one operation
 * @name:	for logs and the self-check.
 * @caps:	AOFF_OPCAP_* bits.
 * @op_flags:	the op_flags bits it accepts.
 * @prep:	optional; validates the op-specific parts of the SQE copy after
 *		the common checks (runs in the doorbell, may sleep); returns 0
 *		or the negative errno to complete the request with.
 * @issue:	runs the operation on an engine; returns the CQE result.
 * @abort:	optional; undoes what a failed request leaves behind (runs on
 *		the engine, in submission order).
 * @op_class:	enum aoff_op_class; 0 (AOFF_CLASS_SYM) unless set.
 */
struct aoff_op_def {
	const char *name;
	unsigned int caps;
	u32 op_flags;
	unsigned int op_class;
	int (*prep)(struct aoff_ctx *ctx, struct aoff_req *req);
	s32 (*issue)(struct aoff_engine *eng, struct aoff_req *req);
	void (*abort)(struct aoff_req *req);
};

/* ops.c */
bool aoff_range_ok(struct aoff_ctx *ctx, u64 off, u32 len);
bool aoff_ranges_overlap(u64 a, u32 alen, u64 b, u32 blen);
void aoff_op_disable(unsigned int opcode);

/* op_nop.c */
s32 aoff_op_nop_issue(struct aoff_engine *eng, struct aoff_req *req);

/* op_sha256.c */
int aoff_sha256_init(struct aoff_engine *eng);
void aoff_sha256_exit(struct aoff_engine *eng);
int aoff_sha256_probe(void);
int aoff_op_sha256_prep(struct aoff_ctx *ctx, struct aoff_req *req);
int aoff_op_sha256_part_prep(struct aoff_ctx *ctx, struct aoff_req *req);
s32 aoff_op_sha256_issue(struct aoff_engine *eng, struct aoff_req *req);
s32 aoff_op_sha256_first_issue(struct aoff_engine *eng, struct aoff_req *req);
s32 aoff_op_sha256_middle_issue(struct aoff_engine *eng, struct aoff_req *req);
s32 aoff_op_sha256_last_issue(struct aoff_engine *eng, struct aoff_req *req);
void aoff_op_sha256_part_abort(struct aoff_req *req);
int aoff_shash_update(struct shash_desc *desc, const u8 *p, u32 len);

/* The algorithm a hash slot's digest in progress belongs to. */
enum aoff_hash_alg {
	AOFF_HASH_SHA256 = 1,
	AOFF_HASH_SHA384,
	AOFF_HASH_SHA512,
};

void aoff_hash_slot_fit(unsigned int statesize);
bool aoff_hash_slot_fits(struct crypto_shash *tfm);
s32 aoff_hash_final(struct shash_desc *desc, struct aoff_req *req);
s32 aoff_hash_part(struct shash_desc *desc, struct aoff_req *req,
		   enum aoff_hash_alg alg, bool first, bool last);

/* op_hmac.c */
int aoff_hmac_init(struct aoff_engine *eng);
void aoff_hmac_exit(struct aoff_engine *eng);
int aoff_op_hmac_prep(struct aoff_ctx *ctx, struct aoff_req *req);
s32 aoff_op_hmac_issue(struct aoff_engine *eng, struct aoff_req *req);

/* op_aes.c */
int aoff_aes_probe(void);
int aoff_aes_init(struct aoff_engine *eng);
void aoff_aes_exit(struct aoff_engine *eng);
int aoff_op_aes_cbc_prep(struct aoff_ctx *ctx, struct aoff_req *req);
int aoff_op_aes_ctr_prep(struct aoff_ctx *ctx, struct aoff_req *req);
s32 aoff_op_aes_cbc_enc_issue(struct aoff_engine *eng, struct aoff_req *req);
s32 aoff_op_aes_cbc_dec_issue(struct aoff_engine *eng, struct aoff_req *req);
s32 aoff_op_aes_ctr_issue(struct aoff_engine *eng, struct aoff_req *req);

/* op_pk.c */
int aoff_pk_init(struct aoff_engine *eng);
void aoff_pk_exit(struct aoff_engine *eng);
int aoff_pk_prep(struct aoff_ctx *ctx, struct aoff_req *req, bool key,
		 bool aux);
void aoff_pk_read(struct aoff_engine *eng, struct aoff_req *req);
s32 aoff_pk_done(struct aoff_engine *eng, struct aoff_req *req, s32 res);

/* op_rsa.c */
int aoff_rsa_init(struct aoff_engine *eng);
void aoff_rsa_exit(struct aoff_engine *eng);
int aoff_op_rsa_prep(struct aoff_ctx *ctx, struct aoff_req *req);
s32 aoff_op_rsa_private_issue(struct aoff_engine *eng, struct aoff_req *req);
s32 aoff_op_rsa_public_issue(struct aoff_engine *eng, struct aoff_req *req);

/* op_ec.c */
void aoff_ec_init(void);
void aoff_ec_exit(void);
void aoff_ec_add_mod(u64 *res, const u64 *a, const u64 *b, const u64 *n,
		     unsigned int nd);
int aoff_ec_curve(const struct aoff_sqe *sqe, struct aoff_ec *ec);
int aoff_ec_prep(struct aoff_ctx *ctx, struct aoff_req *req,
		 struct aoff_ec *ec);
int aoff_ec_scalar(const struct aoff_ec *ec, const u8 *be, u64 *d);
int aoff_ec_gen(const struct aoff_ec *ec, u64 *d);
int aoff_ec_pub(const struct aoff_ec *ec, const u64 *d, u64 *out);
int aoff_ec_point(const struct aoff_ec *ec, const u8 *be,
		  struct ecc_point *pt);
void aoff_ec_digest(const struct aoff_ec *ec, const u8 *dig, u32 len, u64 *z);
void aoff_ec_to_be(const struct aoff_ec *ec, const u64 *v, u8 *out);

/* op_ecdsa.c */
int aoff_op_ecdsa_sign_prep(struct aoff_ctx *ctx, struct aoff_req *req);
int aoff_op_ecdsa_verify_prep(struct aoff_ctx *ctx, struct aoff_req *req);
s32 aoff_op_ecdsa_sign_issue(struct aoff_engine *eng, struct aoff_req *req);
s32 aoff_op_ecdsa_verify_issue(struct aoff_engine *eng, struct aoff_req *req);

/* op_ecdh.c */
int aoff_op_ecdh_keygen_prep(struct aoff_ctx *ctx, struct aoff_req *req);
int aoff_op_ecdh_derive_prep(struct aoff_ctx *ctx, struct aoff_req *req);
s32 aoff_op_ecdh_keygen_issue(struct aoff_engine *eng, struct aoff_req *req);
s32 aoff_op_ecdh_derive_issue(struct aoff_engine *eng, struct aoff_req *req);

/* op_x25519.c */
int aoff_op_x25519_keygen_prep(struct aoff_ctx *ctx, struct aoff_req *req);
int aoff_op_x25519_derive_prep(struct aoff_ctx *ctx, struct aoff_req *req);
s32 aoff_op_x25519_keygen_issue(struct aoff_engine *eng, struct aoff_req *req);
s32 aoff_op_x25519_derive_issue(struct aoff_engine *eng, struct aoff_req *req);
/* op_sha512.c: SHA-384/512, one-shot, partial and HMAC */
int aoff_sha512_probe(void);
int aoff_sha512_init(struct aoff_engine *eng);
void aoff_sha512_exit(struct aoff_engine *eng);
int aoff_op_sha512_prep(struct aoff_ctx *ctx, struct aoff_req *req);
int aoff_op_sha512_part_prep(struct aoff_ctx *ctx, struct aoff_req *req);
int aoff_op_hmac512_prep(struct aoff_ctx *ctx, struct aoff_req *req);
s32 aoff_op_sha512_issue(struct aoff_engine *eng, struct aoff_req *req);
s32 aoff_op_sha512_part_issue(struct aoff_engine *eng, struct aoff_req *req);
s32 aoff_op_hmac512_issue(struct aoff_engine *eng, struct aoff_req *req);

/* op_aead.c: AES-GCM and ChaCha20-Poly1305 */
int aoff_aead_probe(void);
int aoff_aead_init(struct aoff_engine *eng);
void aoff_aead_exit(struct aoff_engine *eng);
int aoff_op_aead_prep(struct aoff_ctx *ctx, struct aoff_req *req);
s32 aoff_op_aead_issue(struct aoff_engine *eng, struct aoff_req *req);

#endif /* AOFF_OPS_H */
