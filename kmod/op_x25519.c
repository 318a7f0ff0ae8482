// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: X25519 (RFC 7748) key pairs and shared secrets, on the
 * kernel's lib/crypto curve25519 as WireGuard uses it: curve25519() (the
 * x86_64 ADX/BMI2 code when the CPU has it, the generic one otherwise),
 * curve25519_generate_secret() and curve25519_generate_public().  Both
 * refuse an all-zero result, which RFC 7748 6.1 asks the caller to check.
 */
#include <crypto/curve25519.h>
#include <linux/string.h>

#include "ops.h"

int aoff_op_x25519_keygen_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;

	if ((sqe->pk.key_len && sqe->pk.key_len != CURVE25519_KEY_SIZE) ||
	    sqe->out_len < 2 * CURVE25519_KEY_SIZE)
		return -EINVAL;
	return aoff_pk_prep(ctx, req, true, false);
}

int aoff_op_x25519_derive_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;

	if (sqe->pk.key_len != CURVE25519_KEY_SIZE ||
	    sqe->pk.aux_len != CURVE25519_KEY_SIZE ||
	    sqe->out_len < CURVE25519_KEY_SIZE)
		return -EINVAL;
	return aoff_pk_prep(ctx, req, true, true);
}

s32 aoff_op_x25519_keygen_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	struct aoff_pk_buf *pk = eng->pk;
	s32 ret = 2 * CURVE25519_KEY_SIZE;

	aoff_pk_read(eng, req);
	if (req->sqe.pk.key_len)
		memcpy(pk->out, pk->key, CURVE25519_KEY_SIZE);
	else
		curve25519_generate_secret(pk->out);
	if (!curve25519_generate_public(pk->out + CURVE25519_KEY_SIZE, pk->out))
		ret = -EKEYREJECTED;
	return aoff_pk_done(eng, req, ret);
}

s32 aoff_op_x25519_derive_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	struct aoff_pk_buf *pk = eng->pk;
	s32 ret = CURVE25519_KEY_SIZE;

	aoff_pk_read(eng, req);
	if (!memchr_inv(pk->key, 0, CURVE25519_KEY_SIZE))
		ret = -EKEYREJECTED;
	else if (!curve25519(pk->out, pk->key, pk->aux))
		ret = -EBADMSG;
	return aoff_pk_done(eng, req, ret);
}
