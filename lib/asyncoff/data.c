// SPDX-License-Identifier: Apache-2.0
/*
 * libasyncoff: the data-area allocator.
 *
 * The data area is the device's "DMA memory": requests name their buffers
 * by offset into it.  Blocks are whole 64-byte granules (cache lines, so
 * two requests never share a line).  Free space is a sorted array of
 * extents, first fit, coalesced on free; the length of each allocated block
 * is kept per granule, outside the data area, so the device never sees
 * allocator metadata and a free is O(1) to size.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctx_local.h"

int aoff_heap_init(struct aoff_data_heap *heap, uint64_t bytes)
{
	memset(heap, 0, sizeof(*heap));
	heap->nr_granules = bytes / AOFF_DATA_GRANULE;
	if (!heap->nr_granules)
		return 0;
	heap->granules = calloc(heap->nr_granules, sizeof(*heap->granules));
	heap->free = malloc(4 * sizeof(*heap->free));
	if (!heap->granules || !heap->free) {
		aoff_heap_fini(heap);
		return -ENOMEM;
	}
	heap->cap_free = 4;
	heap->free[0].off = 0;
	heap->free[0].len = heap->nr_granules;
	heap->nr_free = 1;
	return 0;
}

void aoff_heap_fini(struct aoff_data_heap *heap)
{
	free(heap->granules);
	free(heap->free);
	memset(heap, 0, sizeof(*heap));
}

AOFF_EXPORT int64_t aoff_data_alloc(struct aoff_ctx *ctx, size_t len)
{
	struct aoff_data_heap *heap = &ctx->heap;
	uint64_t want;
	unsigned int i;

	if (!len)
		len = 1;
	if (len > ctx->data_bytes)
		return -ENOMEM;
	want = (len + AOFF_DATA_GRANULE - 1) / AOFF_DATA_GRANULE;
	for (i = 0; i < heap->nr_free; i++) {
		struct aoff_extent *e = &heap->free[i];
		uint64_t off = e->off;

		if (e->len < want)
			continue;
		e->off += want;
		e->len -= want;
		if (!e->len) {
			memmove(e, e + 1, (heap->nr_free - i - 1) * sizeof(*e));
			heap->nr_free--;
		}
		heap->granules[off] = (uint32_t)want;
		return (int64_t)(off * AOFF_DATA_GRANULE);
	}
	return -ENOMEM;
}

/* Index of the first free extent that starts after granule @g. */
static unsigned int aoff_heap_find(const struct aoff_data_heap *heap,
				   uint64_t g)
{
	unsigned int lo = 0, hi = heap->nr_free;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (heap->free[mid].off < g)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int aoff_heap_insert(struct aoff_data_heap *heap, unsigned int at,
			    uint64_t g, uint64_t len)
{
	if (heap->nr_free == heap->cap_free) {
		unsigned int cap = heap->cap_free * 2;
		struct aoff_extent *n = realloc(heap->free, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		heap->free = n;
		heap->cap_free = cap;
	}
	memmove(&heap->free[at + 1], &heap->free[at],
		(heap->nr_free - at) * sizeof(*heap->free));
	heap->free[at].off = g;
	heap->free[at].len = len;
	heap->nr_free++;
	return 0;
}

AOFF_EXPORT void aoff_data_free(struct aoff_ctx *ctx, uint64_t off)
{
	struct aoff_data_heap *heap = &ctx->heap;
	uint64_t g = off / AOFF_DATA_GRANULE, len;
	struct aoff_extent *prev, *next;
	unsigned int at;

	/* Not a block we handed out: ignore rather than corrupt the heap. */
	if (off % AOFF_DATA_GRANULE || g >= heap->nr_granules ||
	    !heap->granules[g])
		return;
	len = heap->granules[g];
	heap->granules[g] = 0;

	at = aoff_heap_find(heap, g);
	prev = at ? &heap->free[at - 1] : NULL;
	next = at < heap->nr_free ? &heap->free[at] : NULL;
	if (prev && prev->off + prev->len == g) {
		prev->len += len;
		if (next && prev->off + prev->len == next->off) {
			prev->len += next->len;
			memmove(next, next + 1,
				(heap->nr_free - at - 1) * sizeof(*next));
			heap->nr_free--;
		}
		return;
	}
	if (next && g + len == next->off) {
		next->off = g;
		next->len += len;
		return;
	}
	/*
	 * A new extent.  If the array cannot grow the space is lost until
	 * the context closes, which beats failing a free.
	 */
	(void)aoff_heap_insert(heap, at, g, len);
}

AOFF_EXPORT void *aoff_data_ptr(struct aoff_ctx *ctx, uint64_t off)
{
	return off < ctx->data_bytes ? ctx->data + off : NULL;
}

AOFF_EXPORT size_t aoff_data_size(const struct aoff_ctx *ctx)
{
	return ctx->data_bytes;
}
