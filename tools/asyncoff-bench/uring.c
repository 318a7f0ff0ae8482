// SPDX-License-Identifier: Apache-2.0
/*
 * Mode "uring": the floor.  The kernel's own asynchronous path, io_uring
 * NOPs through liburing with --jobs in flight on one ring: submit what
 * completed, reap completions from shared memory, one io_uring_enter per
 * batch that both submits and waits.  Beside ring mode (the same shape on
 * the asyncoff device) it shows what the device model spends per request
 * that a real kernel interface does not (Documentation/benchmark.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <liburing.h>
#include "bench.h"
#include "hist.h"

/* Queue a NOP for every free slot; its user_data is its stamp slot. */
static void uring_fill(struct io_uring *ring, unsigned int *free_slots,
		       unsigned int *nr_free, uint64_t *stamp, uint64_t *seq)
{
	struct io_uring_sqe *sqe;

	while (*nr_free && (sqe = io_uring_get_sqe(ring))) {
		unsigned int slot = free_slots[--*nr_free];

		io_uring_prep_nop(sqe);
		io_uring_sqe_set_data64(sqe, slot);
		stamp[slot] = bench_lat_sample((*seq)++) ? now_ns() : 0;
	}
}

int bench_uring_run(const struct opts *o, unsigned int jobs,
		    struct result *r)
{
	unsigned int *free_slots = calloc(jobs, sizeof(*free_slots));
	uint64_t *stamp = calloc(jobs, sizeof(*stamp));
	struct hist *h = calloc(1, sizeof(*h));
	uint64_t t0, end, seq = 0, ops = 0, enters = 0;
	unsigned int nr_free = 0;
	struct cpu_mark c0;
	struct io_uring ring;
	int ret = -ENOMEM, have_ring = 0;

	if (!free_slots || !stamp || !h)
		goto out;
	ret = io_uring_queue_init(jobs, &ring, 0);
	if (ret)
		goto out;
	have_ring = 1;
	for (unsigned int i = 0; i < jobs; i++)
		free_slots[nr_free++] = i;

	memset(r, 0, sizeof(*r));
	progress_start(o);
	t0 = now_ns();
	cpu_mark_now(&c0);
	end = t0 + (uint64_t)(o->seconds * 1e9);
	for (;;) {
		struct io_uring_cqe *cqe;
		unsigned int head, n = 0;

		uring_fill(&ring, free_slots, &nr_free, stamp, &seq);
		/* One system call submits the batch and waits for one. */
		ret = io_uring_submit_and_wait(&ring, 1);
		enters++;
		if (ret < 0)
			goto out;
		io_uring_for_each_cqe(&ring, head, cqe) {
			unsigned int slot = (unsigned int)cqe->user_data;

			if (cqe->res < 0) {
				ret = cqe->res;
				goto out;
			}
			if (stamp[slot])
				hist_add(h, now_ns() - stamp[slot]);
			free_slots[nr_free++] = slot;
			n++;
		}
		io_uring_cq_advance(&ring, n);
		ops += n;
		/* The clock once per BENCH_LAT_EVERY operations or so. */
		if (ops / BENCH_LAT_EVERY != (ops - n) / BENCH_LAT_EVERY) {
			uint64_t t = now_ns();

			if (t >= end)
				break;
			progress("  uring jobs %-4u %8.0f ops/s ...", jobs,
				 (double)ops / ((double)(t - t0) / 1e9));
		}
	}
	r->secs = (double)(now_ns() - t0) / 1e9;
	cpu_mark_since(&c0, r);
	progress_end();
	r->ops = ops;
	r->jobs = jobs;
	r->contexts = 1;
	r->syscalls = enters;
	r->p50 = hist_quantile(h, 0.50);
	r->p99 = hist_quantile(h, 0.99);
	ret = 0;
out:
	if (have_ring)
		io_uring_queue_exit(&ring);
	free(free_slots);
	free(stamp);
	free(h);
	return ret;
}
