// SPDX-License-Identifier: Apache-2.0
/*
 * libasyncoff: the completion dispatcher of callback mode.
 *
 * One io_uring for the process.  Every bridge context used in callback mode
 * gets one multishot poll (POLLIN) on its device fd: each completion
 * interrupt that wakes the fd posts one CQE naming the context, so a
 * completion costs O(1) whatever the number of contexts — no scan.  The
 * dispatcher consumes those CQEs and calls the callback of a context whose
 * job is armed (bridge.c) and whose CQ holds a completion.
 *
 * Who submits: io_uring cancels a task's polls when that task exits, so
 * polls are armed only by the dispatcher itself (the library thread, or
 * whoever calls aoff_bridge_dispatch()); a job's thread queues its context
 * and wakes the dispatcher with a NOP, which completes at once.
 *
 * Locking: @lock guards the ring's SQ and CQ, the slot table and the queue;
 * callbacks run without it (a callback may free a wait ctx, which ends up
 * in aoff_disp_unregister()).  @wait_lock lets one thread at a time sleep
 * in io_uring_enter (that touches no shared state of ours).
 *
 * CQE user_data: slot index in the low 32 bits, the slot's generation in
 * the high 32; a stale CQE (slot freed or reused) fails the generation test.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <liburing.h>

#include "bridge_local.h"

#define AOFF_DISP_SQ		256
#define AOFF_DISP_CQ		32768
#define AOFF_DISP_BATCH		64
#define AOFF_UD_WAKE		(~0ULL)
#define AOFF_UD_REMOVE		(~0ULL - 1)

enum { SLOT_FREE, SLOT_QUEUED, SLOT_ARMED };

struct aoff_slot {
	struct aoff_bridge_ctx *bc;
	uint32_t gen;
	uint8_t state;
};

static struct {
	pthread_mutex_t lock, wait_lock;
	int up;				/* ring set up */
	struct io_uring ring;
	struct aoff_slot *slots;
	uint32_t nr_slots, cap_slots;
	uint32_t *free_slots, nr_free;
	uint64_t *queue;		/* user_data of slots to arm */
	uint32_t nr_queue, cap_queue;
	int wake_pending;		/* a WAKE NOP not yet reaped */
	pthread_t thread;
	int thread_up, stop;
} aoff_disp = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.wait_lock = PTHREAD_MUTEX_INITIALIZER,
};

static uint64_t aoff_slot_ud(uint32_t idx)
{
	return ((uint64_t)aoff_disp.slots[idx].gen << 32) | idx;
}

/* An SQE, flushing the SQ once if it is full.  Under @lock. */
static struct io_uring_sqe *aoff_disp_sqe(void)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&aoff_disp.ring);

	if (!sqe) {
		io_uring_submit(&aoff_disp.ring);
		aoff_bridge_count(&aoff_bridge_cnt.syscalls, 1);
		sqe = io_uring_get_sqe(&aoff_disp.ring);
	}
	return sqe;
}

static int aoff_disp_submit(void)
{
	int ret;

	if (!io_uring_sq_ready(&aoff_disp.ring))
		return 0;
	aoff_bridge_count(&aoff_bridge_cnt.syscalls, 1);
	ret = io_uring_submit(&aoff_disp.ring);
	return ret < 0 ? ret : 0;
}

/*
 * Make the dispatcher look at its queue: one NOP whose CQE wakes its wait
 * (and makes aoff_bridge_fd() readable).  One is enough until it is reaped:
 * thousands of registrations in a row must not fill the CQ with NOPs.
 */
static int aoff_disp_wake_locked(void)
{
	struct io_uring_sqe *sqe;
	int ret;

	if (aoff_disp.wake_pending)
		return 0;
	sqe = aoff_disp_sqe();
	if (!sqe)
		return -EBUSY;
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, AOFF_UD_WAKE);
	ret = aoff_disp_submit();
	if (!ret)
		aoff_disp.wake_pending = 1;
	return ret;
}

static void *aoff_disp_thread(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&aoff_disp.stop, __ATOMIC_ACQUIRE))
		if (aoff_bridge_dispatch(-1) < 0)
			break;
	return NULL;
}

static int aoff_disp_setup_locked(void)
{
	struct io_uring_params p;
	int ret;

	if (aoff_disp.up)
		return 0;
	/*
	 * A poll completion is io_uring task work on the dispatcher's task.
	 * By default the kernel interrupts that task (an IPI when it runs in
	 * user space, resuming jobs) for every batch; with COOP_TASKRUN it
	 * runs the work at the task's next kernel entry instead, and
	 * TASKRUN_FLAG tells us when to make one (aoff_disp_flush()).  A
	 * sleeping dispatcher is woken either way.  Kernels before 5.19
	 * refuse the flags: plain setup then.
	 */
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_COOP_TASKRUN |
		  IORING_SETUP_TASKRUN_FLAG;
	p.cq_entries = AOFF_DISP_CQ;
	ret = io_uring_queue_init_params(AOFF_DISP_SQ, &aoff_disp.ring, &p);
	if (ret == -EINVAL) {
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_CQSIZE;
		p.cq_entries = AOFF_DISP_CQ;
		ret = io_uring_queue_init_params(AOFF_DISP_SQ, &aoff_disp.ring,
						 &p);
	}
	if (ret < 0)
		return ret;
	aoff_bridge_count(&aoff_bridge_cnt.syscalls, 1);
	aoff_disp.up = 1;
	aoff_disp.stop = 0;
	if (!(aoff_bridge_cfg.flags & AOFF_BRIDGE_F_NO_THREAD)) {
		ret = pthread_create(&aoff_disp.thread, NULL, aoff_disp_thread,
				     NULL);
		if (ret) {
			io_uring_queue_exit(&aoff_disp.ring);
			aoff_disp.up = 0;
			return -ret;
		}
		aoff_disp.thread_up = 1;
	}
	return 0;
}

static int aoff_grow(void **p, uint32_t *cap, size_t elem)
{
	uint32_t ncap = *cap ? *cap * 2 : 64;
	void *n = realloc(*p, ncap * elem);

	if (!n)
		return -ENOMEM;
	*p = n;
	*cap = ncap;
	return 0;
}

int aoff_disp_register(struct aoff_bridge_ctx *bc)
{
	uint32_t idx;
	int ret;

	pthread_mutex_lock(&aoff_disp.lock);
	ret = aoff_disp_setup_locked();
	if (ret)
		goto out;
	if (aoff_disp.nr_queue == aoff_disp.cap_queue) {
		ret = aoff_grow((void **)&aoff_disp.queue, &aoff_disp.cap_queue,
				sizeof(*aoff_disp.queue));
		if (ret)
			goto out;
	}
	if (aoff_disp.nr_free) {
		idx = aoff_disp.free_slots[--aoff_disp.nr_free];
	} else {
		if (aoff_disp.nr_slots == aoff_disp.cap_slots) {
			uint32_t cap = aoff_disp.cap_slots;

			ret = aoff_grow((void **)&aoff_disp.slots, &cap,
					sizeof(*aoff_disp.slots));
			if (ret)
				goto out;
			/* The free list never holds more than every slot. */
			ret = aoff_grow((void **)&aoff_disp.free_slots,
					&aoff_disp.cap_slots,
					sizeof(*aoff_disp.free_slots));
			if (ret)
				goto out;
		}
		idx = aoff_disp.nr_slots++;
		aoff_disp.slots[idx].gen = 0;
	}
	aoff_disp.slots[idx].bc = bc;
	aoff_disp.slots[idx].state = SLOT_QUEUED;
	aoff_disp.queue[aoff_disp.nr_queue++] = aoff_slot_ud(idx);
	bc->dslot = (int)idx;
	/*
	 * The dispatcher arms the poll; wake it up (or the application's
	 * aoff_bridge_fd()) with a NOP.  Should the NOP fail (SQ or CQ
	 * overflowing), the CQEs that are there wake it just as well and the
	 * queue is served on its next round: the registration stands.
	 */
	aoff_disp_wake_locked();
	ret = 0;
out:
	pthread_mutex_unlock(&aoff_disp.lock);
	return ret;
}

void aoff_disp_unregister(struct aoff_bridge_ctx *bc)
{
	struct aoff_slot *s;
	uint32_t idx;

	pthread_mutex_lock(&aoff_disp.lock);
	if (bc->dslot < 0 || !aoff_disp.up)
		goto out;
	idx = (uint32_t)bc->dslot;
	s = &aoff_disp.slots[idx];
	if (s->state == SLOT_ARMED) {
		/* Drops io_uring's reference to the device file right away. */
		struct io_uring_sqe *sqe = aoff_disp_sqe();

		if (sqe) {
			io_uring_prep_poll_remove(sqe, aoff_slot_ud(idx));
			io_uring_sqe_set_data64(sqe, AOFF_UD_REMOVE);
			aoff_disp_submit();
		}
	}
	/* A queued entry goes stale with the generation. */
	s->gen++;
	s->state = SLOT_FREE;
	s->bc = NULL;
	aoff_disp.free_slots[aoff_disp.nr_free++] = idx;
out:
	bc->dslot = -1;
	pthread_mutex_unlock(&aoff_disp.lock);
}

/* Arm the polls of the queued contexts.  Under @lock. */
static void aoff_disp_arm_queued(void)
{
	uint32_t i;

	for (i = 0; i < aoff_disp.nr_queue; i++) {
		uint64_t ud = aoff_disp.queue[i];
		uint32_t idx = (uint32_t)ud;
		struct aoff_slot *s = &aoff_disp.slots[idx];
		struct io_uring_sqe *sqe;

		if (s->gen != (uint32_t)(ud >> 32) || s->state != SLOT_QUEUED)
			continue;
		sqe = aoff_disp_sqe();
		if (!sqe)
			break;	/* stays queued; next round */
		io_uring_prep_poll_multishot(sqe, aoff_ctx_fd(s->bc->dc),
					     POLLIN);
		io_uring_sqe_set_data64(sqe, ud);
		s->state = SLOT_ARMED;
	}
	if (i < aoff_disp.nr_queue)
		memmove(aoff_disp.queue, aoff_disp.queue + i,
			(aoff_disp.nr_queue - i) * sizeof(*aoff_disp.queue));
	aoff_disp.nr_queue -= i;
	aoff_disp_submit();
}

struct aoff_cb {
	ASYNC_callback_fn fn;
	void *arg;
};

/*
 * Consume up to AOFF_DISP_BATCH CQEs, collecting the callbacks to call.
 * Returns how many CQEs it saw.  Under @lock.
 */
static unsigned int aoff_disp_reap(struct aoff_cb *cbs, unsigned int *nr_cbs)
{
	struct io_uring_cqe *cqes[AOFF_DISP_BATCH];
	unsigned int n, i;

	n = io_uring_peek_batch_cqe(&aoff_disp.ring, cqes, AOFF_DISP_BATCH);
	for (i = 0; i < n; i++) {
		uint64_t ud = io_uring_cqe_get_data64(cqes[i]);
		uint32_t idx = (uint32_t)ud;
		struct aoff_bridge_ctx *bc;
		struct aoff_slot *s;

		if (ud == AOFF_UD_WAKE)
			aoff_disp.wake_pending = 0;
		if (ud == AOFF_UD_WAKE || ud == AOFF_UD_REMOVE ||
		    idx >= aoff_disp.nr_slots)
			continue;
		s = &aoff_disp.slots[idx];
		if (s->gen != (uint32_t)(ud >> 32) || s->state != SLOT_ARMED)
			continue;	/* stale: the context is gone */
		bc = s->bc;
		if (!(cqes[i]->flags & IORING_CQE_F_MORE)) {
			/* The multishot poll ended (CQ overflow, its task
			 * exited...): arm it again. */
			s->state = SLOT_QUEUED;
			if (aoff_disp.nr_queue < aoff_disp.cap_queue ||
			    !aoff_grow((void **)&aoff_disp.queue,
				       &aoff_disp.cap_queue,
				       sizeof(*aoff_disp.queue)))
				aoff_disp.queue[aoff_disp.nr_queue++] = ud;
		}
		if (!aoff_cq_ready_any_thread(bc->dc) && !aoff_ctx_broken(bc->dc))
			continue;	/* no completion: not a wake-up */
		/* Pairs with the job's store-release of armed. */
		if (__atomic_exchange_n(&bc->armed, 0, __ATOMIC_ACQ_REL)) {
			cbs[*nr_cbs].fn = bc->cb;
			cbs[*nr_cbs].arg = bc->cb_arg;
			(*nr_cbs)++;
		}
	}
	io_uring_cq_advance(&aoff_disp.ring, n);
	return n;
}

/*
 * Nothing in the CQ, but completions may wait as task work (COOP_TASKRUN):
 * the kernel sets IORING_SQ_TASKRUN then, and one io_uring_enter runs it.
 * Returns 1 when it entered.  Under @lock.
 */
static int aoff_disp_flush(void)
{
	if (!(IO_URING_READ_ONCE(*aoff_disp.ring.sq.kflags) &
	      IORING_SQ_TASKRUN))
		return 0;
	aoff_bridge_count(&aoff_bridge_cnt.syscalls, 1);
	io_uring_get_events(&aoff_disp.ring);
	return 1;
}

AOFF_EXPORT int aoff_bridge_dispatch(int timeout_ms)
{
	struct aoff_cb cbs[AOFF_DISP_BATCH];
	unsigned int nr_cbs, seen, i;
	int total = 0, waited = 0, ret;

	for (;;) {
		pthread_mutex_lock(&aoff_disp.lock);
		if (!aoff_disp.up) {
			pthread_mutex_unlock(&aoff_disp.lock);
			return -ENXIO;
		}
		if (aoff_disp.nr_queue)
			aoff_disp_arm_queued();
		nr_cbs = 0;
		seen = aoff_disp_reap(cbs, &nr_cbs);
		if (!seen && aoff_disp_flush())
			seen = aoff_disp_reap(cbs, &nr_cbs);
		if (aoff_disp.nr_queue)
			aoff_disp_arm_queued();
		pthread_mutex_unlock(&aoff_disp.lock);

		for (i = 0; i < nr_cbs; i++)
			cbs[i].fn(cbs[i].arg);
		total += (int)nr_cbs;
		aoff_bridge_count(&aoff_bridge_cnt.callbacks, nr_cbs);
		if (seen)
			continue;	/* drain what is there */
		if (total || !timeout_ms || waited ||
		    __atomic_load_n(&aoff_disp.stop, __ATOMIC_ACQUIRE))
			return total;

		pthread_mutex_lock(&aoff_disp.wait_lock);
		{
			struct __kernel_timespec ts = {
				.tv_sec = timeout_ms / 1000,
				.tv_nsec = (timeout_ms % 1000) * 1000000LL,
			};
			struct io_uring_cqe *cqe;

			aoff_bridge_count(&aoff_bridge_cnt.syscalls, 1);
			ret = io_uring_wait_cqe_timeout(&aoff_disp.ring, &cqe,
							timeout_ms < 0 ? NULL :
							&ts);
		}
		pthread_mutex_unlock(&aoff_disp.wait_lock);
		if (ret < 0 && ret != -ETIME && ret != -EINTR)
			return ret;
		/* Without a timeout, keep going until a callback ran. */
		waited = timeout_ms >= 0;
	}
}

AOFF_EXPORT int aoff_bridge_fd(void)
{
	int ret;

	pthread_mutex_lock(&aoff_disp.lock);
	ret = aoff_disp_setup_locked();
	if (!ret)
		ret = aoff_disp.ring.ring_fd;
	pthread_mutex_unlock(&aoff_disp.lock);
	return ret;
}

void aoff_disp_shutdown(void)
{
	uint32_t i;

	pthread_mutex_lock(&aoff_disp.lock);
	if (!aoff_disp.up) {
		pthread_mutex_unlock(&aoff_disp.lock);
		return;
	}
	__atomic_store_n(&aoff_disp.stop, 1, __ATOMIC_RELEASE);
	aoff_disp.wake_pending = 0;
	aoff_disp_wake_locked();
	pthread_mutex_unlock(&aoff_disp.lock);
	if (aoff_disp.thread_up) {
		pthread_join(aoff_disp.thread, NULL);
		aoff_disp.thread_up = 0;
	}

	pthread_mutex_lock(&aoff_disp.lock);
	/* Contexts still registered fall back to registering again. */
	for (i = 0; i < aoff_disp.nr_slots; i++)
		if (aoff_disp.slots[i].state != SLOT_FREE)
			aoff_disp.slots[i].bc->dslot = -1;
	io_uring_queue_exit(&aoff_disp.ring);
	free(aoff_disp.slots);
	free(aoff_disp.free_slots);
	free(aoff_disp.queue);
	aoff_disp.slots = NULL;
	aoff_disp.free_slots = NULL;
	aoff_disp.queue = NULL;
	aoff_disp.nr_slots = aoff_disp.cap_slots = aoff_disp.nr_free = 0;
	aoff_disp.nr_queue = aoff_disp.cap_queue = 0;
	aoff_disp.up = 0;
	aoff_disp.wake_pending = 0;
	pthread_mutex_unlock(&aoff_disp.lock);
}
