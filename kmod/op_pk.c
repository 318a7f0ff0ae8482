// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: what the public-key operations share: the engine's buffers for
 * key material and operands, and the checks of the SQE's pk member.
 *
 * A request's key and operands are copied from the data area into the
 * engine's buffers before anything is computed (user space may rewrite the
 * data area at any time; the computation must see one value), and the
 * buffers are wiped when the request ends, so no key outlives its request
 * in the driver.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "ops.h"

int aoff_pk_init(struct aoff_engine *eng)
{
	eng->pk = kzalloc(sizeof(*eng->pk), GFP_KERNEL);
	return eng->pk ? 0 : -ENOMEM;
}

void aoff_pk_exit(struct aoff_engine *eng)
{
	kfree_sensitive(eng->pk);
	eng->pk = NULL;
}

/*
 * The pk member's ranges: @key and @aux say whether the operation takes
 * them; an unused one must be all zero.
 */
int aoff_pk_prep(struct aoff_ctx *ctx, struct aoff_req *req, bool key,
		 bool aux)
{
	const struct aoff_sqe *sqe = &req->sqe;

	if ((!key && (sqe->pk.key_off || sqe->pk.key_len)) ||
	    (!aux && (sqe->pk.aux_off || sqe->pk.aux_len)))
		return -EINVAL;
	if (!aoff_range_ok(ctx, sqe->pk.key_off, sqe->pk.key_len) ||
	    !aoff_range_ok(ctx, sqe->pk.aux_off, sqe->pk.aux_len))
		return -EFAULT;
	return 0;
}

/* Copies the request's inputs into the engine; prep bounded the lengths. */
void aoff_pk_read(struct aoff_engine *eng, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;
	const u8 *data = req->ctx->region.data;
	struct aoff_pk_buf *pk = eng->pk;

	memcpy(pk->key, data + sqe->pk.key_off, sqe->pk.key_len);
	memcpy(pk->aux, data + sqe->pk.aux_off, sqe->pk.aux_len);
	memcpy(pk->in, data + sqe->in_off, sqe->in_len);
}

/* Publishes @len bytes of the result and wipes every copy of the request. */
s32 aoff_pk_done(struct aoff_engine *eng, struct aoff_req *req, s32 res)
{
	if (res > 0)
		memcpy(req->ctx->region.data + req->sqe.out_off, eng->pk->out,
		       res);
	memzero_explicit(eng->pk, sizeof(*eng->pk));
	return res;
}
