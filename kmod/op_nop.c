// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: NOP.  Completes with 0 through the whole asynchronous path,
 * which is what it measures; its ranges are checked like any op's.
 */
#include "ops.h"

s32 aoff_op_nop_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	return 0;
}
