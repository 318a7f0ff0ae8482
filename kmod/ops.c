// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: the operation table, the checks common to every SQE, and the
 * table's self-check at module init.
 */
#include <linux/bitmap.h>
#include <linux/overflow.h>

#include "ops.h"

static const struct aoff_op_def aoff_ops[AOFF_OP_LAST] = {
	[AOFF_OP_NOP] = {
		.name		= "nop",
		.caps		= AOFF_OPCAP_IN | AOFF_OPCAP_OUT,
		.issue		= aoff_op_nop_issue,
	},
};

static const struct aoff_op_def *aoff_op_get(unsigned int opcode)
{
	if (opcode >= ARRAY_SIZE(aoff_ops) || !aoff_ops[opcode].issue)
		return NULL;
	return &aoff_ops[opcode];
}

/* [off, off + len) inside the data area, without overflow. */
static bool aoff_range_ok(struct aoff_ctx *ctx, u64 off, u32 len)
{
	u64 end;

	if (check_add_overflow(off, (u64)len, &end))
		return false;
	return end <= ctx->region.data_bytes;
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

/* Runs on an engine; prep has accepted the opcode. */
s32 aoff_op_issue(struct aoff_req *req)
{
	return aoff_ops[req->sqe.opcode].issue(req);
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
 * The table must describe every opcode the header declares, and only with
 * known bits; a hole or a stray bit is a driver bug caught at load time.
 */
int aoff_ops_init(void)
{
	unsigned int op;

	BUILD_BUG_ON(sizeof(struct aoff_sqe) != 64);
	BUILD_BUG_ON(sizeof(struct aoff_cqe) != 16);
	BUILD_BUG_ON(sizeof(struct aoff_setup) != AOFF_SETUP_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct aoff_info) != AOFF_INFO_SIZE_VER0);
	BUILD_BUG_ON(AOFF_OP_LAST > 256);

	for (op = 0; op < ARRAY_SIZE(aoff_ops); op++) {
		const struct aoff_op_def *def = &aoff_ops[op];

		/* Not implemented yet: reported unsupported (EOPNOTSUPP). */
		if (!def->name && !def->issue && !def->caps)
			continue;
		if (!def->name || !def->issue || (def->caps & ~AOFF_OPCAP_ALL)) {
			pr_err("opcode %u: bad table entry\n", op);
			return -EINVAL;
		}
	}
	return 0;
}
