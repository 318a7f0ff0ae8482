// SPDX-License-Identifier: Apache-2.0
/*
 * Job stacks.  The default allocator maps ASYNCOFF_ASYNC_STACK_SIZE bytes
 * (rounded up to pages) with a PROT_NONE guard page below, so an overflow
 * faults at once instead of overwriting a neighbour.  As in OpenSSL 3.2,
 * ASYNC_set_mem_functions can replace the allocator until the first stack
 * has been allocated (custom stacks get no guard page: the memory is not
 * ours to protect).
 */
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "async_local.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

static size_t aoff_page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p > 0 ? (size_t)p : 4096;
}

/*
 * [guard page][stack ...].  The guard page holds the mapping's length at
 * its start, written before it is made inaccessible: the free function gets
 * only the stack address.
 */
static void *aoff_stack_default_alloc(size_t *num)
{
	size_t page = aoff_page_size();
	size_t size = (*num + page - 1) & ~(page - 1);
	size_t total = size + page;
	char *base;

	if (size < *num || total < size)
		return NULL;
	base = mmap(NULL, total, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	*(size_t *)base = total;
	if (mprotect(base, page, PROT_NONE) != 0) {
		munmap(base, total);
		return NULL;
	}
	*num = size;
	return base + page;
}

static void aoff_stack_default_free(void *addr)
{
	size_t page = aoff_page_size();
	char *base;

	if (!addr)
		return;
	base = (char *)addr - page;
	if (mprotect(base, page, PROT_READ) != 0)
		return;
	munmap(base, *(size_t *)base);
}

static atomic_int aoff_stack_customizable = 1;
static ASYNC_stack_alloc_fn aoff_stack_alloc_impl = aoff_stack_default_alloc;
static ASYNC_stack_free_fn aoff_stack_free_impl = aoff_stack_default_free;

AOFF_EXPORT int ASYNC_set_mem_functions(ASYNC_stack_alloc_fn alloc_fn,
					ASYNC_stack_free_fn free_fn)
{
	if (!atomic_load(&aoff_stack_customizable))
		return 0;
	if (alloc_fn)
		aoff_stack_alloc_impl = alloc_fn;
	if (free_fn)
		aoff_stack_free_impl = free_fn;
	return 1;
}

AOFF_EXPORT void ASYNC_get_mem_functions(ASYNC_stack_alloc_fn *alloc_fn,
					 ASYNC_stack_free_fn *free_fn)
{
	if (alloc_fn)
		*alloc_fn = aoff_stack_alloc_impl;
	if (free_fn)
		*free_fn = aoff_stack_free_impl;
}

/* A stack for a new job; *size receives its usable size. */
void *aoff_stack_alloc(size_t *size)
{
	size_t num = ASYNCOFF_ASYNC_STACK_SIZE;
	void *stack;

	/* Like OpenSSL, the first attempt closes customisation, even if it
	 * fails. */
	atomic_store(&aoff_stack_customizable, 0);
	stack = aoff_stack_alloc_impl(&num);
	if (!stack || num < 4096)
		goto fail;
	*size = num;
	return stack;
fail:
	if (stack)
		aoff_stack_free_impl(stack);
	return NULL;
}

void aoff_stack_free(void *stack, size_t size)
{
#if defined(__SANITIZE_ADDRESS__)
	/* Frames left on a parked stack keep their redzones poisoned; the
	 * memory may come back from a later mmap. */
	__asan_unpoison_memory_region(stack, size);
#else
	(void)size;
#endif
	aoff_stack_free_impl(stack);
}
