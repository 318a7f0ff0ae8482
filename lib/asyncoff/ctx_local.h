/* SPDX-License-Identifier: Apache-2.0 */
/* libasyncoff: the context as the library sees it (private). */
#ifndef AOFF_CTX_LOCAL_H
#define AOFF_CTX_LOCAL_H

#include <stdint.h>
#include <asyncoff/asyncoff.h>

#include "export.h"

/* The data-area allocator: free extents sorted by offset (data.c). */
struct aoff_extent {
	uint64_t off, len;
};

struct aoff_data_heap {
	struct aoff_extent *free;	/* sorted, never adjacent */
	unsigned int nr_free, cap_free;
	uint32_t *granules;		/* per granule: length of the block
					 * allocated there, in granules; 0 if
					 * none starts there */
	uint64_t nr_granules;
};

#define AOFF_DATA_GRANULE	64

struct aoff_ctx {
	int fd;
	void *map;
	size_t map_bytes;

	/* Indexes in the shared control page. */
	uint32_t *k_sq_head, *k_sq_tail, *k_cq_head, *k_cq_tail, *k_status;
	struct aoff_sqe *sqes;
	struct aoff_cqe *cqes;
	uint32_t sq_mask, cq_mask, sq_entries, cq_entries;

	/*
	 * Private copies of the indexes this side produces: the SQ tail
	 * (SQEs handed out by aoff_get_sqe) and the CQ head.
	 */
	uint32_t sq_tail;
	uint32_t cq_head;

	/* System calls made on this context (doorbells, waits). */
	uint64_t syscalls;
	/* SQPOLL: submissions the device took without a doorbell. */
	uint64_t doorbells_saved;
	int sqpoll;			/* set up with AOFF_SETUP_F_SQPOLL */
	uint32_t sq_idle_us;		/* as the driver answered */

	uint8_t *data;
	uint64_t data_bytes;
	struct aoff_data_heap heap;
};

/* The doorbell ioctl, counted in ctx->syscalls (ring.c); >= 0 or -errno. */
int aoff_enter(struct aoff_ctx *ctx, uint32_t to_submit,
	       uint32_t min_complete, int64_t timeout_ns);

int aoff_heap_init(struct aoff_data_heap *heap, uint64_t bytes);
void aoff_heap_fini(struct aoff_data_heap *heap);

#endif /* AOFF_CTX_LOCAL_H */
