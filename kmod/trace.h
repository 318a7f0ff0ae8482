/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * asyncoff tracepoints: the life of a request (submitted, started on an
 * engine, completed), the modelled interrupt and the context reset.  See
 * Documentation/driver/tracing.md.  A disabled tracepoint is a static key
 * branch, so the request path pays nothing while nobody traces.
 *
 * Times are ktime_get_ns() differences from the submission.  The
 * submission is stamped only while aoff_req_start or aoff_req_complete is
 * enabled (aoff_trace_submit()), so a request submitted before tracing
 * began reports 0 ns.
 *
 * ctx is the context's kernel address: it tells contexts apart within one
 * trace (printed hashed, as %p always is).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM asyncoff

#if !defined(AOFF_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define AOFF_TRACE_H

#include <linux/tracepoint.h>

#include "aoff.h"

TRACE_EVENT(aoff_req_submit,
	TP_PROTO(const struct aoff_req *req),
	TP_ARGS(req),
	TP_STRUCT__entry(
		__field(const void *, ctx)
		__field(unsigned int, dev)
		__field(u8, opcode)
		__field(u32, in_len)
		__field(u32, out_len)
		__field(u64, user_data)
	),
	TP_fast_assign(
		__entry->ctx = req->ctx;
		__entry->dev = req->ctx->dev->index;
		__entry->opcode = req->sqe.opcode;
		__entry->in_len = req->sqe.in_len;
		__entry->out_len = req->sqe.out_len;
		__entry->user_data = req->sqe.user_data;
	),
	TP_printk("dev=%u ctx=%p opcode=%u in_len=%u out_len=%u user_data=0x%llx",
		  __entry->dev, __entry->ctx, __entry->opcode, __entry->in_len,
		  __entry->out_len, __entry->user_data)
);

TRACE_EVENT(aoff_req_start,
	TP_PROTO(const struct aoff_req *req, unsigned int engine, u64 start),
	TP_ARGS(req, engine, start),
	TP_STRUCT__entry(
		__field(const void *, ctx)
		__field(u8, opcode)
		__field(unsigned int, engine)
		__field(u64, user_data)
		__field(u64, queued_ns)
	),
	TP_fast_assign(
		__entry->ctx = req->ctx;
		__entry->opcode = req->sqe.opcode;
		__entry->engine = engine;
		__entry->user_data = req->sqe.user_data;
		__entry->queued_ns = req->submit_ns && start > req->submit_ns ?
				     start - req->submit_ns : 0;
	),
	TP_printk("ctx=%p opcode=%u engine=%u user_data=0x%llx queued_ns=%llu",
		  __entry->ctx, __entry->opcode, __entry->engine,
		  __entry->user_data, __entry->queued_ns)
);

TRACE_EVENT(aoff_req_complete,
	TP_PROTO(const struct aoff_req *req, s32 res),
	TP_ARGS(req, res),
	TP_STRUCT__entry(
		__field(const void *, ctx)
		__field(u8, opcode)
		__field(s32, res)
		__field(u64, user_data)
		__field(u64, service_ns)
	),
	TP_fast_assign(
		__entry->ctx = req->ctx;
		__entry->opcode = req->sqe.opcode;
		__entry->res = res;
		__entry->user_data = req->sqe.user_data;
		__entry->service_ns = req->submit_ns ?
				      ktime_get_ns() - req->submit_ns : 0;
	),
	TP_printk("ctx=%p opcode=%u user_data=0x%llx res=%d service_ns=%llu",
		  __entry->ctx, __entry->opcode, __entry->user_data,
		  __entry->res, __entry->service_ns)
);

TRACE_EVENT(aoff_irq,
	TP_PROTO(const struct aoff_ctx *ctx, u32 cqes),
	TP_ARGS(ctx, cqes),
	TP_STRUCT__entry(
		__field(const void *, ctx)
		__field(u32, cqes)
	),
	TP_fast_assign(
		__entry->ctx = ctx;
		__entry->cqes = cqes;
	),
	TP_printk("ctx=%p cqes=%u", __entry->ctx, __entry->cqes)
);

TRACE_EVENT(aoff_ctx_broken,
	TP_PROTO(const struct aoff_ctx *ctx),
	TP_ARGS(ctx),
	TP_STRUCT__entry(
		__field(const void *, ctx)
		__field(unsigned int, dev)
	),
	TP_fast_assign(
		__entry->ctx = ctx;
		__entry->dev = ctx->dev->index;
	),
	TP_printk("dev=%u ctx=%p", __entry->dev, __entry->ctx)
);

#endif /* AOFF_TRACE_H */

#ifndef AOFF_TRACE_HELPERS_H
#define AOFF_TRACE_HELPERS_H
/*
 * At submission: stamps the request for the service times, and only while
 * an event that reports them is on, so tracing off costs two static keys.
 */
static inline void aoff_trace_submit(struct aoff_req *req)
{
	if (trace_aoff_req_start_enabled() || trace_aoff_req_complete_enabled())
		req->submit_ns = ktime_get_ns();
	else
		req->submit_ns = 0;
	trace_aoff_req_submit(req);
}
#endif /* AOFF_TRACE_HELPERS_H */

/* Out of tree: define_trace.h finds this file through -I$(src) (Kbuild). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
