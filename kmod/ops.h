/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * asyncoff: the operation table.  One entry per opcode, filled with
 * designated initialisers in ops.c; each op family lives in its own op_*.c.
 */
#ifndef AOFF_OPS_H
#define AOFF_OPS_H

#include "aoff.h"

/* Which SQE fields an operation uses; the others must be zero. */
#define AOFF_OPCAP_IN		BIT(0)	/* in_off, in_len */
#define AOFF_OPCAP_OUT		BIT(1)	/* out_off, out_len */
#define AOFF_OPCAP_UNION	BIT(2)	/* the op union (key, iv, state) */
#define AOFF_OPCAP_ALL		(AOFF_OPCAP_IN | AOFF_OPCAP_OUT | AOFF_OPCAP_UNION)

/**
 * struct aoff_op_def - one operation
 * @name:	for logs and the self-check.
 * @caps:	AOFF_OPCAP_* bits.
 * @op_flags:	the op_flags bits it accepts.
 * @prep:	optional; validates the op-specific parts of the SQE copy after
 *		the common checks (runs in the doorbell, may sleep); returns 0
 *		or the negative errno to complete the request with.
 * @issue:	runs the operation on an engine; returns the CQE result.
 */
struct aoff_op_def {
	const char *name;
	unsigned int caps;
	u32 op_flags;
	int (*prep)(struct aoff_ctx *ctx, struct aoff_req *req);
	s32 (*issue)(struct aoff_req *req);
};

/* op_nop.c */
s32 aoff_op_nop_issue(struct aoff_req *req);

#endif /* AOFF_OPS_H */
