// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: ECDSA sign and verify on P-256 and P-384 (FIPS 186-4 6.4),
 * on crypto/ecc.c's exported helpers: Debian's 6.1 has no ecdsa akcipher
 * at all, and no kernel has ECDSA signing, so both are built from the
 * curve arithmetic the kernel's own ecdsa.c uses (ecc_point_mult_shamir
 * for verification, as crypto/ecdsa.c does).
 *
 * Signing: k from ecc_gen_privkey() (the kernel's DRBG), R = k G through
 * ecc_make_pub_key(), r = R.x mod n, s = k^-1 (z + r d) mod n with
 * vli_mod_inv() and vli_mod_mult_slow().  The kernel exports no modular
 * addition, so z + r d mod n is formed from vli_sub() and vli_cmp() on
 * values already below n (aoff_ec_add_mod).
 */
#include <crypto/internal/ecc.h>
#include <linux/string.h>

#include "ops.h"

/* Tries before giving up on a nonce with r = 0 or s = 0 (p ~ 2^-256 each). */
#define AOFF_ECDSA_TRIES	8

static int aoff_ecdsa_prep(struct aoff_ctx *ctx, struct aoff_req *req,
			   bool sign)
{
	const struct aoff_sqe *sqe = &req->sqe;
	struct aoff_ec ec;
	int ret;

	ret = aoff_ec_prep(ctx, req, &ec);
	if (ret)
		return ret;
	if (!sqe->in_len || sqe->in_len > AOFF_ECDSA_DIGEST_MAX)
		return -EINVAL;
	if (sign && (sqe->pk.key_len != ec.cb || sqe->out_len < 2 * ec.cb))
		return -EINVAL;
	if (!sign && (sqe->pk.key_len != 2 * ec.cb ||
		      sqe->pk.aux_len != 2 * ec.cb))
		return -EINVAL;
	return aoff_pk_prep(ctx, req, true, !sign);
}

int aoff_op_ecdsa_sign_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	return aoff_ecdsa_prep(ctx, req, true);
}

int aoff_op_ecdsa_verify_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	return aoff_ecdsa_prep(ctx, req, false);
}

s32 aoff_op_ecdsa_sign_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	struct aoff_ecdsa_sign_tmp *v = &eng->pk->ecdsa;
	struct aoff_pk_buf *pk = eng->pk;
	const u64 *n;
	struct aoff_ec ec;
	unsigned int i;
	int ret;

	aoff_ec_curve(&req->sqe, &ec);
	n = ec.curve->n;
	aoff_pk_read(eng, req);
	ret = aoff_ec_scalar(&ec, pk->key, v->d);
	if (ret)
		goto out;
	aoff_ec_digest(&ec, pk->in, req->sqe.in_len, v->z);
	ret = -EAGAIN;
	for (i = 0; i < AOFF_ECDSA_TRIES; i++) {
		ret = aoff_ec_gen(&ec, v->k);
		if (!ret)
			ret = aoff_ec_pub(&ec, v->k, v->kg);
		if (ret)
			break;
		/* r = x(kG) mod n; x < p < 2 n. */
		vli_from_be64(v->r, v->kg, ec.nd);
		if (vli_cmp(v->r, n, ec.nd) >= 0)
			vli_sub(v->r, v->r, n, ec.nd);
		if (vli_is_zero(v->r, ec.nd))
			continue;
		vli_mod_inv(v->kinv, v->k, n, ec.nd);
		vli_mod_mult_slow(v->t, v->r, v->d, n, ec.nd);
		aoff_ec_add_mod(v->s, v->z, v->t, n, ec.nd);
		vli_mod_mult_slow(v->s, v->kinv, v->s, n, ec.nd);
		if (vli_is_zero(v->s, ec.nd))
			continue;
		aoff_ec_to_be(&ec, v->r, pk->out);
		aoff_ec_to_be(&ec, v->s, pk->out + ec.cb);
		ret = 2 * ec.cb;
		break;
	}
	if (i == AOFF_ECDSA_TRIES)
		ret = -EAGAIN;
out:
	return aoff_pk_done(eng, req, ret);
}

/*
 * Q = G or Q = -G (a valid point with G's x): X = (u1 +- u2) G, by
 * ecc_make_pub_key().  Debian's 6.1 ecc_point_mult_shamir() adds G and Q
 * with the general formula, wrong for equal or opposite points (6.10
 * fixed it), which makes it reject valid signatures for these keys and
 * accept forged ones (the "Q = G, r = s" vectors of testmgr.h).  Leaves
 * X's x in v->x; nonzero: X is infinity, the signature is invalid.
 */
static int aoff_ecdsa_x_of_g_multiple(const struct aoff_ec *ec,
				      struct aoff_ecdsa_verify_tmp *v,
				      struct aoff_pk_buf *pk)
{
	const u64 *n = ec->curve->n;
	u64 *xy = (u64 *)pk->out;	/* scratch: verify writes nothing */

	if (vli_cmp(v->qy, ec->curve->g.y, ec->nd)) {
		vli_sub(v->w, n, v->u2, ec->nd);	/* -u2: u2 in [1, n-1] */
		aoff_ec_add_mod(v->w, v->u1, v->w, n, ec->nd);
	} else {
		aoff_ec_add_mod(v->w, v->u1, v->u2, n, ec->nd);
	}
	if (vli_is_zero(v->w, ec->nd) || aoff_ec_pub(ec, v->w, xy))
		return -EBADMSG;
	vli_from_be64(v->x, xy, ec->nd);
	return 0;
}

s32 aoff_op_ecdsa_verify_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	struct aoff_ecdsa_verify_tmp *v = &eng->pk->ecdsa_v;
	struct aoff_pk_buf *pk = eng->pk;
	struct ecc_point q = ECC_POINT_INIT(v->qx, v->qy, 0);
	struct ecc_point res = ECC_POINT_INIT(v->x, v->y, 0);
	struct aoff_ec ec;
	const u64 *n;
	int ret;

	aoff_ec_curve(&req->sqe, &ec);
	n = ec.curve->n;
	res.ndigits = ec.nd;
	aoff_pk_read(eng, req);
	if (aoff_ec_point(&ec, pk->key, &q)) {
		ret = -EKEYREJECTED;
		goto out;
	}
	ret = -EBADMSG;
	vli_from_be64(v->r, pk->aux, ec.nd);
	vli_from_be64(v->s, pk->aux + ec.cb, ec.nd);
	if (vli_is_zero(v->r, ec.nd) || vli_is_zero(v->s, ec.nd) ||
	    vli_cmp(v->r, n, ec.nd) >= 0 || vli_cmp(v->s, n, ec.nd) >= 0)
		goto out;
	aoff_ec_digest(&ec, pk->in, req->sqe.in_len, v->z);
	/* As crypto/ecdsa.c: u1 = z / s, u2 = r / s, X = u1 G + u2 Q. */
	vli_mod_inv(v->w, v->s, n, ec.nd);
	vli_mod_mult_slow(v->u1, v->z, v->w, n, ec.nd);
	vli_mod_mult_slow(v->u2, v->r, v->w, n, ec.nd);
	if (!vli_cmp(v->qx, ec.curve->g.x, ec.nd)) {
		if (aoff_ecdsa_x_of_g_multiple(&ec, v, pk))
			goto out;
	} else {
		ecc_point_mult_shamir(&res, v->u1, &ec.curve->g, v->u2, &q,
				      ec.curve);
		if (ecc_point_is_zero(&res))
			goto out;
	}
	if (vli_cmp(v->x, n, ec.nd) >= 0)
		vli_sub(v->x, v->x, n, ec.nd);
	if (!vli_cmp(v->x, v->r, ec.nd))
		ret = 0;
out:
	return aoff_pk_done(eng, req, ret);
}
