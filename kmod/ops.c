// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: the operation table, the checks common to every SQE, and the
 * table's self-check at module init.
 */
#include <linux/bitmap.h>
#include <linux/overflow.h>
#include <linux/sizes.h>

#include "ops.h"

static const struct aoff_op_def aoff_ops[AOFF_OP_LAST] = {
	[AOFF_OP_NOP] = {
		.name		= "nop",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT,
		.issue		= aoff_op_nop_issue,
	},
	[AOFF_OP_SHA256] = {
		.name		= "sha256",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT | AOFF_OPCAP_UNION,
		.prep		= aoff_op_sha256_prep,
		.issue		= aoff_op_sha256_issue,
	},
	[AOFF_OP_SHA256_FIRST] = {
		.name		= "sha256-first",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_UNION | AOFF_OPCAP_SLOT,
		.prep		= aoff_op_sha256_part_prep,
		.issue		= aoff_op_sha256_first_issue,
		.abort		= aoff_op_sha256_part_abort,
	},
	[AOFF_OP_SHA256_MIDDLE] = {
		.name		= "sha256-middle",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_UNION | AOFF_OPCAP_SLOT,
		.prep		= aoff_op_sha256_part_prep,
		.issue		= aoff_op_sha256_middle_issue,
		.abort		= aoff_op_sha256_part_abort,
	},
	[AOFF_OP_SHA256_LAST] = {
		.name		= "sha256-last",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT | AOFF_OPCAP_UNION |
				  AOFF_OPCAP_SLOT,
		.prep		= aoff_op_sha256_part_prep,
		.issue		= aoff_op_sha256_last_issue,
		.abort		= aoff_op_sha256_part_abort,
	},
	[AOFF_OP_HMAC_SHA256] = {
		.name		= "hmac-sha256",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT | AOFF_OPCAP_UNION,
		.prep		= aoff_op_hmac_prep,
		.issue		= aoff_op_hmac_issue,
	},
	[AOFF_OP_AES_CBC_ENCRYPT] = {
		.name		= "aes-cbc-encrypt",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT | AOFF_OPCAP_UNION,
		.prep		= aoff_op_aes_cbc_prep,
		.issue		= aoff_op_aes_cbc_enc_issue,
	},
	[AOFF_OP_AES_CBC_DECRYPT] = {
		.name		= "aes-cbc-decrypt",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT | AOFF_OPCAP_UNION,
		.prep		= aoff_op_aes_cbc_prep,
		.issue		= aoff_op_aes_cbc_dec_issue,
	},
	[AOFF_OP_AES_CTR_ENCRYPT] = {
		.name		= "aes-ctr-encrypt",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT | AOFF_OPCAP_UNION,
		.prep		= aoff_op_aes_ctr_prep,
		.issue		= aoff_op_aes_ctr_issue,
	},
	[AOFF_OP_AES_CTR_DECRYPT] = {
		.name		= "aes-ctr-decrypt",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT | AOFF_OPCAP_UNION,
		.prep		= aoff_op_aes_ctr_prep,
		.issue		= aoff_op_aes_ctr_issue,
	},
	/* Public-key operations. */
	[AOFF_OP_RSA_PRIVATE] = {
		.name		= "rsa-private",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT | AOFF_OPCAP_UNION,
		.op_class	= AOFF_CLASS_PK,
		.prep		= aoff_op_rsa_prep,
		.issue		= aoff_op_rsa_private_issue,
	},
	[AOFF_OP_RSA_PUBLIC] = {
		.name		= "rsa-public",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT | AOFF_OPCAP_UNION,
		.op_class	= AOFF_CLASS_PK,
		.prep		= aoff_op_rsa_prep,
		.issue		= aoff_op_rsa_public_issue,
	},
	[AOFF_OP_ECDSA_SIGN] = {
		.name		= "ecdsa-sign",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT | AOFF_OPCAP_UNION,
		.op_flags	= AOFF_EC_P256 | AOFF_EC_P384,
		.op_class	= AOFF_CLASS_PK,
		.prep		= aoff_op_ecdsa_sign_prep,
		.issue		= aoff_op_ecdsa_sign_issue,
	},
	[AOFF_OP_ECDSA_VERIFY] = {
		.name		= "ecdsa-verify",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_UNION,
		.op_flags	= AOFF_EC_P256 | AOFF_EC_P384,
		.op_class	= AOFF_CLASS_PK,
		.prep		= aoff_op_ecdsa_verify_prep,
		.issue		= aoff_op_ecdsa_verify_issue,
	},
	[AOFF_OP_ECDH_KEYGEN] = {
		.name		= "ecdh-keygen",
		.caps		= AOFF_OPCAP_OUT | AOFF_OPCAP_UNION,
		.op_flags	= AOFF_EC_P256 | AOFF_EC_P384,
		.op_class	= AOFF_CLASS_PK,
		.prep		= aoff_op_ecdh_keygen_prep,
		.issue		= aoff_op_ecdh_keygen_issue,
	},
	[AOFF_OP_ECDH_DERIVE] = {
		.name		= "ecdh-derive",
		.caps		= AOFF_OPCAP_OUT | AOFF_OPCAP_UNION,
		.op_flags	= AOFF_EC_P256 | AOFF_EC_P384,
		.op_class	= AOFF_CLASS_PK,
		.prep		= aoff_op_ecdh_derive_prep,
		.issue		= aoff_op_ecdh_derive_issue,
	},
	[AOFF_OP_X25519_KEYGEN] = {
		.name		= "x25519-keygen",
		.caps		= AOFF_OPCAP_OUT | AOFF_OPCAP_UNION,
		.op_class	= AOFF_CLASS_PK,
		.prep		= aoff_op_x25519_keygen_prep,
		.issue		= aoff_op_x25519_keygen_issue,
	},
	[AOFF_OP_X25519_DERIVE] = {
		.name		= "x25519-derive",
		.caps		= AOFF_OPCAP_OUT | AOFF_OPCAP_UNION,
		.op_class	= AOFF_CLASS_PK,
		.prep		= aoff_op_x25519_derive_prep,
		.issue		= aoff_op_x25519_derive_issue,
	},

	/* AEAD and SHA-384/512 (op_aead.c, op_sha512.c) */
#define AOFF_AEAD_OP(_op, _name)					\
	[_op] = {							\
		.name		= _name,				\
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT |		\
				  AOFF_OPCAP_UNION,			\
		.prep		= aoff_op_aead_prep,			\
		.issue		= aoff_op_aead_issue,			\
	}
	AOFF_AEAD_OP(AOFF_OP_AES_GCM_ENCRYPT, "aes-gcm-encrypt"),
	AOFF_AEAD_OP(AOFF_OP_AES_GCM_DECRYPT, "aes-gcm-decrypt"),
	AOFF_AEAD_OP(AOFF_OP_CHACHA20_POLY1305_ENCRYPT,
		     "chacha20-poly1305-encrypt"),
	AOFF_AEAD_OP(AOFF_OP_CHACHA20_POLY1305_DECRYPT,
		     "chacha20-poly1305-decrypt"),
#define AOFF_SHA512_OP(_op, _name)					\
	[_op] = {							\
		.name		= _name,				\
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT |		\
				  AOFF_OPCAP_UNION,			\
		.prep		= aoff_op_sha512_prep,			\
		.issue		= aoff_op_sha512_issue,			\
	}
#define AOFF_SHA512_PART_OP(_op, _name, _out)				\
	[_op] = {							\
		.name		= _name,				\
		.caps		= AOFF_OPCAP_IN | (_out) | AOFF_OPCAP_UNION |	\
				  AOFF_OPCAP_SLOT,			\
		.prep		= aoff_op_sha512_part_prep,		\
		.issue		= aoff_op_sha512_part_issue,		\
		.abort		= aoff_op_sha256_part_abort,		\
	}
#define AOFF_HMAC512_OP(_op, _name)					\
	[_op] = {							\
		.name		= _name,				\
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT |		\
				  AOFF_OPCAP_UNION,			\
		.prep		= aoff_op_hmac512_prep,			\
		.issue		= aoff_op_hmac512_issue,		\
	}
	AOFF_SHA512_OP(AOFF_OP_SHA384, "sha384"),
	AOFF_SHA512_PART_OP(AOFF_OP_SHA384_FIRST, "sha384-first", 0),
	AOFF_SHA512_PART_OP(AOFF_OP_SHA384_MIDDLE, "sha384-middle", 0),
	AOFF_SHA512_PART_OP(AOFF_OP_SHA384_LAST, "sha384-last",
			    AOFF_OPCAP_OUT),
	AOFF_SHA512_OP(AOFF_OP_SHA512, "sha512"),
	AOFF_SHA512_PART_OP(AOFF_OP_SHA512_FIRST, "sha512-first", 0),
	AOFF_SHA512_PART_OP(AOFF_OP_SHA512_MIDDLE, "sha512-middle", 0),
	AOFF_SHA512_PART_OP(AOFF_OP_SHA512_LAST, "sha512-last",
			    AOFF_OPCAP_OUT),
	AOFF_HMAC512_OP(AOFF_OP_HMAC_SHA384, "hmac-sha384"),
	AOFF_HMAC512_OP(AOFF_OP_HMAC_SHA512, "hmac-sha512"),
};

/* Opcodes whose transform the running kernel lacks (set at init). */
static DECLARE_BITMAP(aoff_ops_off, AOFF_OP_LAST);

static const struct aoff_op_def *aoff_op_get(unsigned int opcode)
{
	if (opcode >= ARRAY_SIZE(aoff_ops) || !aoff_ops[opcode].issue ||
	    test_bit(opcode, aoff_ops_off))
		return NULL;
	return &aoff_ops[opcode];
}

/* At init only: the kernel lacks what @opcode is computed with. */
void aoff_op_disable(unsigned int opcode)
{
	if (opcode < AOFF_OP_LAST)
		set_bit(opcode, aoff_ops_off);
}

/* [off, off + len) inside the data area, without overflow. */
bool aoff_range_ok(struct aoff_ctx *ctx, u64 off, u32 len)
{
	u64 end;

	if (check_add_overflow(off, (u64)len, &end))
		return false;
	return end <= ctx->region.data_bytes;
}

/* Both ranges are already inside the data area: no overflow. */
bool aoff_ranges_overlap(u64 a, u32 alen, u64 b, u32 blen)
{
	if (!alen || !blen)
		return false;
	return a < b + blen && b < a + alen;
}

/*
 * Validates the kernel copy of an SQE.  Returns 0, or the negative errno
 * its CQE carries (the uapi header lists them).
 */
int aoff_op_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;
	const struct aoff_op_def *def = aoff_op_get(sqe->opcode);

	if (!def)
		return -EOPNOTSUPP;
	if ((sqe->flags & ~AOFF_SQE_F_ALL) || sqe->resv0 ||
	    (sqe->op_flags & ~def->op_flags))
		return -EINVAL;
	if (!(def->caps & AOFF_OPCAP_IN) && (sqe->in_off || sqe->in_len))
		return -EINVAL;
	if (!(def->caps & AOFF_OPCAP_OUT) && (sqe->out_off || sqe->out_len))
		return -EINVAL;
	if (!(def->caps & AOFF_OPCAP_UNION) &&
	    (sqe->op_resv[0] || sqe->op_resv[1] || sqe->op_resv[2]))
		return -EINVAL;
	if (!aoff_range_ok(ctx, sqe->in_off, sqe->in_len) ||
	    !aoff_range_ok(ctx, sqe->out_off, sqe->out_len))
		return -EFAULT;
	return def->prep ? def->prep(ctx, req) : 0;
}

/*
 * A request that failed prep normally completes at once.  One that names a
 * valid hash slot instead goes through the engine with its error, so that
 * the slot is emptied in submission order (the rest of its chain, maybe
 * already queued, then fails with -ENODATA instead of a wrong digest).
 */
bool aoff_op_in_order(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_op_def *def = aoff_op_get(req->sqe.opcode);

	return def && (def->caps & AOFF_OPCAP_SLOT) &&
	       req->sqe.hash.state_slot < ctx->hash_slots;
}

/* Runs on an engine; prep has accepted the opcode. */
s32 aoff_op_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	return aoff_ops[req->sqe.opcode].issue(eng, req);
}

/* Runs on the engine, in order, for a request that failed. */
void aoff_op_abort(struct aoff_req *req)
{
	const struct aoff_op_def *def = aoff_op_get(req->sqe.opcode);

	if (def && def->abort)
		def->abort(req);
}

/* The model's class of @opcode; an unknown opcode counts as symmetric. */
unsigned int aoff_op_class(unsigned int opcode)
{
	const struct aoff_op_def *def = aoff_op_get(opcode);

	return def ? def->op_class : AOFF_CLASS_SYM;
}

void aoff_ops_bitmap(u64 *bits, unsigned int words)
{
	unsigned int op;

	memset(bits, 0, words * sizeof(*bits));
	for (op = 0; op < ARRAY_SIZE(aoff_ops) && op < words * 64; op++)
		if (aoff_op_get(op))
			bits[op / 64] |= 1ULL << (op % 64);
}

/*
 * An entry is either empty (an opcode this build does not implement: it
 * is left out of the ops bitmap and completes with -EOPNOTSUPP) or whole,
 * with known bits; a half-filled entry or a stray bit is a driver bug
 * caught at load time.
 */
int aoff_ops_init(void)
{
	unsigned int op;
	int ret;

	BUILD_BUG_ON(sizeof(struct aoff_sqe) != 64);
	BUILD_BUG_ON(sizeof(struct aoff_cqe) != 16);
	BUILD_BUG_ON(sizeof(struct aoff_setup) != AOFF_SETUP_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct aoff_info) != AOFF_INFO_SIZE_VER0);
	BUILD_BUG_ON(AOFF_OP_LAST > 256);

	for (op = 0; op < ARRAY_SIZE(aoff_ops); op++) {
		const struct aoff_op_def *def = &aoff_ops[op];

		if (!def->name && !def->issue && !def->caps)
			continue;
		if (!def->name || !def->issue || (def->caps & ~AOFF_OPCAP_ALL) ||
		    def->op_class >= AOFF_CLASS_NR ||
		    (!!(def->caps & AOFF_OPCAP_SLOT) != !!def->abort)) {
			pr_err("opcode %u: bad table entry\n", op);
			return -EINVAL;
		}
	}
	/*
	 * The hash slots' size, from the implementations the engines use,
	 * and which optional transforms the kernel has.
	 */
	ret = aoff_sha256_probe();
	if (!ret)
		ret = aoff_aes_probe();
	if (!ret)
		ret = aoff_sha512_probe();
	if (!ret)
		ret = aoff_aead_probe();
	return ret;
}
