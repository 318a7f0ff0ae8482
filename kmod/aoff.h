/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * asyncoff: private declarations shared by the driver's files.
 *
 * Objects and who owns them:
 *   aoff_device   one per /dev/asyncoffN, lives from module init to exit;
 *                 owns the engines (a workqueue) and the budgets.
 *   aoff_ctx      one per open(); freed by release(), which runs only when
 *                 the fd is closed and every mapping is gone (each VMA holds
 *                 a reference on the file).
 *   aoff_region   the vmalloc_user() memory shared with user space.
 *   aoff_req      one accepted SQE; preallocated, cq_entries per context.
 *
 * Request path:  doorbell (ring.c) -> engine queue (engine.c) -> op handler
 * (ops.c, op_*.c) -> completion posting (ring.c) -> interrupt (irq.c).
 */
#ifndef AOFF_H
#define AOFF_H

#include <linux/cache.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/asyncoff.h>

struct mm_struct;

/* Module parameters (main.c). */
extern unsigned int aoff_nr_devices;
extern unsigned int aoff_max_sq_entries;
extern unsigned int aoff_max_cq_entries;
extern unsigned long aoff_max_ctx_bytes;
extern unsigned long aoff_max_dev_bytes;
extern unsigned int aoff_max_contexts;
extern unsigned int aoff_nr_engines;

struct aoff_device {
	struct miscdevice misc;
	char name[24];
	unsigned int index;
	struct workqueue_struct *wq;	/* the engines */
	unsigned int nr_engines;

	spinlock_t lock;		/* budgets below */
	unsigned int nr_contexts;
	u64 mem_bytes;
};

/*
 * The control page.  Each index has its own cache line so the producer
 * and the consumer of one ring do not bounce a line they both write.
 * User space learns these offsets from struct aoff_ring_offsets; the
 * kernel never reads back an index it produces (it keeps private copies).
 */
struct aoff_ctrl {
	u32 sq_head ____cacheline_aligned;	/* kernel writes */
	u32 sq_tail ____cacheline_aligned;	/* user writes */
	u32 cq_head ____cacheline_aligned;	/* user writes */
	u32 cq_tail ____cacheline_aligned;	/* kernel writes */
	u32 status ____cacheline_aligned;	/* kernel writes */
};

struct aoff_region {
	void *mem;		/* vmalloc_user(), zeroed */
	size_t bytes;		/* page multiple */
	struct aoff_ctrl *ctrl;
	struct aoff_sqe *sqes;
	struct aoff_cqe *cqes;
	u8 *data;
	u64 data_bytes;
	struct aoff_ring_offsets off;
};

struct aoff_ctx;

struct aoff_req {
	struct list_head node;		/* ctx->queue or ctx->free */
	struct aoff_ctx *ctx;
	struct aoff_sqe sqe;		/* the one kernel copy, validated */
};

enum aoff_ctx_state {
	AOFF_CTX_NEW,		/* opened, not set up */
	AOFF_CTX_LIVE,		/* set up */
	AOFF_CTX_BROKEN,	/* reset: refuses new work, EPOLLERR */
};

struct aoff_ctx {
	struct aoff_device *dev;
	struct mm_struct *mm;		/* opener; mmgrab()ed */

	struct mutex setup_lock;	/* state transitions, submission */
	unsigned int state;		/* enum aoff_ctx_state */
	struct aoff_region region;
	unsigned long locked_pages;	/* charged with account_locked_vm() */
	u32 sq_entries, cq_entries;

	/* Submission side, under setup_lock. */
	u32 sq_head;		/* private copy of what we publish */
	u32 accepted;		/* SQEs consumed: CQ slots reserved */

	/* Completion side. */
	spinlock_t cq_lock;	/* cq_tail, CQE slots, free list */
	u32 cq_tail;		/* private copy of what we publish */
	struct list_head free;	/* unused aoff_req */
	struct aoff_req *reqs;	/* cq_entries of them */

	/* Engine side. */
	spinlock_t queue_lock;
	struct list_head queue;	/* accepted, waiting for an engine */
	bool dying;
	struct work_struct work;

	wait_queue_head_t wait;	/* poll and doorbell waiters */
};

/* device.c */
int aoff_devices_create(void);
void aoff_devices_destroy(void);

/* context.c */
extern const struct file_operations aoff_fops;
void aoff_ctx_set_broken(struct aoff_ctx *ctx);

/* mmap.c */
int aoff_mmap(struct file *file, struct vm_area_struct *vma);
int aoff_region_alloc(struct aoff_region *r, u32 sq_entries, u32 cq_entries,
		      u64 data_bytes, u64 max_bytes);
void aoff_region_free(struct aoff_region *r);

/* ring.c */
long aoff_ring_enter(struct aoff_ctx *ctx, struct aoff_enter __user *uarg);
__poll_t aoff_ring_poll_mask(struct aoff_ctx *ctx);
void aoff_req_complete(struct aoff_req *req, s32 res);

/* engine.c */
void aoff_engine_ctx_init(struct aoff_ctx *ctx);
void aoff_engine_queue(struct aoff_ctx *ctx, struct list_head *reqs);
void aoff_engine_ctx_stop(struct aoff_ctx *ctx);

/* irq.c */
void aoff_irq_raise(struct aoff_ctx *ctx);

/* ops.c */
int aoff_ops_init(void);
int aoff_op_prep(struct aoff_ctx *ctx, struct aoff_req *req);
s32 aoff_op_issue(struct aoff_req *req);
void aoff_ops_bitmap(u64 *bits, unsigned int words);

#endif /* AOFF_H */
