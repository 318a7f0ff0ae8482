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
 * Request path:  doorbell (ring.c) or SQ poller (sqpoll.c) -> engine queue
 * (engine.c) -> op handler (ops.c, op_*.c) -> completion posting (ring.c)
 * -> interrupt (irq.c).
 *
 * Lock order (outer first): dev->cfg_lock, dev->ctx_lock,
 * dev->sqpoll_lock, ctx->setup_lock, then the spinlocks.
 */
#ifndef AOFF_H
#define AOFF_H

#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/asyncoff.h>

struct mm_struct;
struct eventfd_ctx;
struct aoff_engine;

#define AOFF_MAX_ENGINES	64

/*
 * The SQ poller's period, sysfs sq_poll_usecs (sqpoll.c).  1 ms: poll(),
 * select() and epoll re-checks submit at once, so the pass is the safety
 * net, and at 100 us a pass over 256 watched contexts took a good part of
 * a vCPU under TCG (fd mode, 256 jobs: 83.5 % of J/L against 92.4 %).
 */
#define AOFF_SQ_POLL_USECS_DEFAULT	1000
#define AOFF_SQ_POLL_USECS_MIN		1
#define AOFF_SQ_POLL_USECS_MAX		100000

/* The default max_dev_bytes is totalram / this (main.c, model.md). */
#define AOFF_DEV_BYTES_RAM_DIV	4

/* Module parameters (main.c). */
extern unsigned int aoff_nr_devices;
extern unsigned int aoff_max_sq_entries;
extern unsigned int aoff_max_cq_entries;
extern unsigned long aoff_max_ctx_bytes;
extern unsigned long aoff_max_dev_bytes;
extern unsigned int aoff_max_contexts;
extern unsigned int aoff_nr_engines;

/*
 * Operation classes of the model: each has its own service time and
 * statistics.  An op says its class in the op table (ops.c); SYM is the
 * default (hashes, ciphers, AEAD), PK the public-key operations.
 */
enum aoff_op_class {
	AOFF_CLASS_SYM = 0,
	AOFF_CLASS_PK = 1,
	AOFF_CLASS_NR
};

/* Model parameters of a device (sysfs); read with READ_ONCE. */
struct aoff_params {
	u64 latency_ns;		/* base service time per request */
	u64 ns_per_kib;		/* engine time per KiB of input */
	u64 pk_latency_ns;	/* base service time of a public-key request */
	u64 pk_busy_ns;		/* engine time per public-key request */
	u32 coalesce_frames;	/* CQEs per interrupt, 1 = no coalescing */
	u32 coalesce_usecs;	/* longest a CQE waits for its interrupt */
	u32 fail_every;		/* fail every Nth request, 0 = off */
	u32 fail_ppm;		/* fail this many per million, 0 = off */
	u32 sq_poll_usecs;	/* SQ poller period (AOFF_SETUP_F_SQPOLL) */
};

/* Statistics of a device (sysfs), since the module was loaded. */
struct aoff_stats {
	atomic64_t submitted;	/* SQEs consumed */
	atomic64_t completed;	/* CQEs posted */
	atomic64_t errors;	/* CQEs with res < 0 */
	atomic64_t interrupts;	/* modelled interrupts handled */
	atomic64_t coalesced;	/* CQEs that raised no interrupt of their own */
	atomic64_t queue_full;	/* doorbells refused with EAGAIN */
	atomic64_t bytes;	/* input bytes of successful requests */
	atomic64_t resets;	/* device resets */
	atomic64_t sq_polled;	/* SQEs consumed without a doorbell */
	atomic64_t sq_poll_passes; /* passes of the SQ poller */
	atomic64_t sq_wakeups;	/* doorbells that restarted SQ watching */
	atomic64_t sq_poll_calls; /* poll() calls that consumed SQEs */
	atomic64_t sq_poll_ns;	/* time the poller's passes took */
	/* The same three counts per operation class (enum aoff_op_class). */
	atomic64_t class_submitted[AOFF_CLASS_NR];
	atomic64_t class_completed[AOFF_CLASS_NR];
	atomic64_t class_errors[AOFF_CLASS_NR];
};

struct aoff_device {
	struct miscdevice misc;
	char name[24];
	unsigned int index;
	struct workqueue_struct *wq;	/* runs the engines */

	struct mutex cfg_lock;		/* engine count changes, reset */
	unsigned int nr_engines;	/* in use; engines[] has that many */
	struct aoff_engine *engines[AOFF_MAX_ENGINES];
	atomic_t engine_rr;		/* where the search for an idle engine starts */
	wait_queue_head_t engine_wait;	/* work items waiting for an idle engine */

	struct aoff_params params;
	u64 stall_until;		/* ktime ns; engines idle until then */
	atomic_t fail_seq;		/* for fail_every */
	struct aoff_stats stats;

	struct mutex ctx_lock;		/* ctxs, for reset */
	struct list_head ctxs;

	spinlock_t lock;		/* budgets below */
	unsigned int nr_contexts;
	u64 mem_bytes;

	/*
	 * The SQ poller (sqpoll.c): while sqpoll_list is not empty, an
	 * hrtimer queues sqpoll_work every sq_poll_usecs; one pass holds
	 * sqpoll_lock from start to end, so whoever takes it off the list
	 * under that mutex knows the poller will not touch the context again.
	 */
	struct mutex sqpoll_lock;	/* sqpoll_list, sqpoll_running */
	struct list_head sqpoll_list;	/* watched contexts */
	bool sqpoll_running;		/* timer or work pending or running */
	struct hrtimer sqpoll_timer;
	struct work_struct sqpoll_work;
	struct workqueue_struct *sqpoll_wq;
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
	s32 res;			/* result, or a prep error to report in order */
	u8 op_class;			/* enum aoff_op_class, set at submission */
	bool live;			/* consumed, CQE not posted (under cq_lock) */
	u64 submit_ns;			/* ktime of submission, 0 if not traced */
	struct hrtimer timer;		/* end of the modelled service time */
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
	struct list_head dev_node;	/* dev->ctxs, under dev->ctx_lock */

	/* Partial-hash state, touched only by the engine serving us. */
	u32 hash_slots;
	u8 *hash_state;			/* hash_slots * aoff_hash_state_size */
	unsigned long *hash_live;	/* slots holding a digest in progress */

	/* Submission side, under setup_lock. */
	u32 sq_head;		/* private copy of what we publish */
	u32 accepted;		/* SQEs consumed: CQ slots reserved */

	/*
	 * SQ polling (AOFF_SETUP_F_SQPOLL; sqpoll.c).  sqpoll and
	 * sq_idle_ns are fixed at setup.  sq_node is on dev->sqpoll_list
	 * while the device watches the SQ; it changes only under both
	 * dev->sqpoll_lock and setup_lock, so either lock makes it stable.
	 */
	bool sqpoll;
	u64 sq_idle_ns;
	u64 sq_active_ns;	/* last submission or in-flight sighting */
	struct list_head sq_node;

	/* Completion side. */
	spinlock_t cq_lock;	/* cq_tail, CQE slots, free list */
	u32 cq_tail;		/* private copy of what we publish */
	struct list_head free;	/* unused aoff_req */
	struct aoff_req *reqs;	/* cq_entries of them */

	/* Engine side. */
	spinlock_t queue_lock;
	struct list_head queue;	/* accepted, waiting for an engine */
	bool dying;		/* release: serve nothing more */
	bool cancel;		/* reset or release: in-flight work fails */
	struct work_struct work;
	struct hrtimer kick;	/* resumes dispatch when an engine has room */

	/* Modelled interrupt (irq.c). */
	spinlock_t irq_lock;
	u32 irq_frames;		/* CQEs posted since the last interrupt */
	bool coal_armed;
	struct hrtimer coal_timer;
	struct irq_work irq_work;
	struct eventfd_ctx __rcu *evfd;
	struct mutex evfd_lock;	/* attach/detach */

	wait_queue_head_t wait;	/* poll and doorbell waiters */
};

/* device.c */
int aoff_devices_create(void);
void aoff_devices_destroy(void);
int aoff_device_set_engines(struct aoff_device *dev, unsigned int n);

/* sysfs.c */
extern const struct attribute_group *aoff_dev_groups[];

/* fault.c */
bool aoff_fault_fail(struct aoff_device *dev);
void aoff_device_reset(struct aoff_device *dev);
void aoff_device_stall(struct aoff_device *dev, u64 ms);

/* context.c */
extern const struct file_operations aoff_fops;
void aoff_ctx_set_broken(struct aoff_ctx *ctx);

/* sqpoll.c */
void aoff_sqpoll_dev_init(struct aoff_device *dev);
int aoff_sqpoll_dev_start(struct aoff_device *dev);
void aoff_sqpoll_dev_exit(struct aoff_device *dev);
void aoff_sqpoll_doorbell(struct aoff_ctx *ctx);
void aoff_sqpoll_poll(struct aoff_ctx *ctx);
void aoff_sqpoll_ctx_stop(struct aoff_ctx *ctx);

/* mmap.c */
int aoff_mmap(struct file *file, struct vm_area_struct *vma);
int aoff_region_alloc(struct aoff_region *r, u32 sq_entries, u32 cq_entries,
		      u64 data_bytes, u64 max_bytes);
void aoff_region_free(struct aoff_region *r);

/* ring.c */
long aoff_ring_enter(struct aoff_ctx *ctx, struct aoff_enter __user *uarg);
u32 aoff_sq_submit(struct aoff_ctx *ctx, u32 want);
u32 aoff_sq_ready(struct aoff_ctx *ctx);
u32 aoff_cq_space(struct aoff_ctx *ctx);
__poll_t aoff_ring_poll_mask(struct aoff_ctx *ctx);
void aoff_req_complete(struct aoff_req *req, s32 res);

/* engine.c */
struct aoff_engine *aoff_engine_alloc(unsigned int id);
void aoff_engine_free(struct aoff_engine *eng);
void aoff_engine_ctx_init(struct aoff_ctx *ctx);
void aoff_engine_req_init(struct aoff_req *req);
void aoff_engine_queue(struct aoff_ctx *ctx, struct list_head *reqs);
void aoff_engine_ctx_cancel(struct aoff_ctx *ctx);
void aoff_engine_ctx_stop(struct aoff_ctx *ctx);
void aoff_engine_put(struct aoff_device *dev, struct aoff_engine *eng);

/* irq.c */
void aoff_irq_ctx_init(struct aoff_ctx *ctx);
void aoff_irq_raise(struct aoff_ctx *ctx);
void aoff_irq_fire(struct aoff_ctx *ctx);
void aoff_irq_ctx_stop(struct aoff_ctx *ctx);
long aoff_ioctl_eventfd(struct aoff_ctx *ctx, void __user *uarg);

/* ops.c */
extern unsigned int aoff_hash_state_size;
int aoff_ops_init(void);
int aoff_op_prep(struct aoff_ctx *ctx, struct aoff_req *req);
bool aoff_op_in_order(struct aoff_ctx *ctx, struct aoff_req *req);
s32 aoff_op_issue(struct aoff_engine *eng, struct aoff_req *req);
void aoff_op_abort(struct aoff_req *req);
void aoff_ops_bitmap(u64 *bits, unsigned int words);
unsigned int aoff_op_class(unsigned int opcode);

#endif /* AOFF_H */
