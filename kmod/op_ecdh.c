// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: EC key pairs and ECDH on P-256 and P-384, on crypto/ecc.c:
 * ecc_gen_privkey() and ecc_make_pub_key() as the kernel's ecdh kpp uses
 * them for its key pairs, and crypto_ecdh_shared_secret() (the kpp's own
 * computation, with randomised projective coordinates) for the secret.
 * The kpp itself is not used: it takes the private key through a packed
 * struct whose byte order differs between 6.1 and 6.12, where the helpers
 * are called the same way on both (op_ec.c).
 */
#include <crypto/internal/ecc.h>
#include <linux/string.h>
#include "compat.h"
#include "ops.h"

int aoff_op_ecdh_keygen_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;
	struct aoff_ec ec;
	int ret;

	ret = aoff_ec_prep(ctx, req, &ec);
	if (ret)
		return ret;
	if ((sqe->pk.key_len && sqe->pk.key_len != ec.cb) ||
	    sqe->out_len < 3 * ec.cb)
		return -EINVAL;
	return aoff_pk_prep(ctx, req, true, false);
}

int aoff_op_ecdh_derive_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;
	struct aoff_ec ec;
	int ret;

	ret = aoff_ec_prep(ctx, req, &ec);
	if (ret)
		return ret;
	if (sqe->pk.key_len != ec.cb || sqe->pk.aux_len != 2 * ec.cb ||
	    sqe->out_len < ec.cb)
		return -EINVAL;
	return aoff_pk_prep(ctx, req, true, true);
}

s32 aoff_op_ecdh_keygen_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	struct aoff_pk_buf *pk = eng->pk;
	u64 *d = pk->ecdh.d;
	struct aoff_ec ec;
	int ret;

	aoff_ec_curve(&req->sqe, &ec);
	aoff_pk_read(eng, req);
	if (req->sqe.pk.key_len)
		ret = aoff_ec_scalar(&ec, pk->key, d);
	else
		ret = aoff_ec_gen(&ec, d);
	if (!ret)
		ret = aoff_ec_pub(&ec, d, (u64 *)(pk->out + ec.cb));
	if (!ret) {
		aoff_ec_to_be(&ec, d, pk->out);
		ret = 3 * ec.cb;
	}
	return aoff_pk_done(eng, req, ret);
}

s32 aoff_op_ecdh_derive_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	struct aoff_pk_buf *pk = eng->pk;
	struct ecc_point q = ECC_POINT_INIT(pk->ecdh.qx, pk->ecdh.qy, 0);
	u64 *d = pk->ecdh.d;
	struct aoff_ec ec;
	int ret;

	aoff_ec_curve(&req->sqe, &ec);
	aoff_pk_read(eng, req);
	ret = aoff_ec_scalar(&ec, pk->key, d);
	if (ret)
		goto out;
	/* Validated here for our errno; the kernel checks it once more. */
	if (aoff_ec_point(&ec, pk->aux, &q)) {
		ret = -EBADMSG;
		goto out;
	}
	/* 6.1 takes the private key as big-endian digits (compat.h). */
	if (!AOFF_ECC_PRIV_NATIVE)
		memcpy(d, pk->key, ec.cb);
	ret = crypto_ecdh_shared_secret(ec.id, ec.nd, d, (const u64 *)pk->aux,
					(u64 *)pk->out);
	if (ret)
		ret = ret == -ENOMEM ? ret : -EBADMSG;
	else
		ret = ec.cb;
out:
	return aoff_pk_done(eng, req, ret);
}
