/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fiber: a stack and the registers to resume it.  Two implementations,
 * chosen at build time (ASYNC_SWITCH): hand-written assembly (switch_*.S,
 * AOFF_FIBER_ASM) or makecontext/swapcontext.  Switches only ever go
 * between a thread's dispatcher and a job running on that thread.
 *
 * ASan must be told about every stack change, otherwise it takes the job's
 * stack for a corrupted thread stack and reports false errors.
 */
#ifndef AOFF_ASYNC_FIBER_H
#define AOFF_ASYNC_FIBER_H

#include <stddef.h>

#ifndef AOFF_FIBER_ASM
#include <ucontext.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

struct aoff_fiber {
#ifdef AOFF_FIBER_ASM
	void *sp;		/* saved stack pointer; registers live below */
#else
	ucontext_t uc;
#endif
#if defined(__SANITIZE_ADDRESS__)
	const void *stack_bottom;	/* learnt on the first switch for
					 * the dispatcher */
	size_t stack_size;
	void *fake_stack;
#endif
};

/* Record @f's stack for ASan (the first switch into @f announces it). */
static inline void aoff_fiber_note_stack(struct aoff_fiber *f, void *stack,
					 size_t size)
{
#if defined(__SANITIZE_ADDRESS__)
	f->stack_bottom = stack;
	f->stack_size = size;
	f->fake_stack = NULL;
#else
	(void)f;
	(void)stack;
	(void)size;
#endif
}

/* Prepare @f to run @entry(@arg) on [@stack, @stack + @size) when first
 * switched to.  @entry must never return.  Returns 0 or -1. */
int aoff_fiber_init(struct aoff_fiber *f, void *stack, size_t size,
		    void (*entry)(void *), void *arg);

#ifdef AOFF_FIBER_ASM
/* switch_<arch>.S: save callee-saved state on the current stack, store
 * the stack pointer in *save_sp, continue on new_sp. */
void aoff_async_switch(void **save_sp, void *new_sp);
void *aoff_async_frame_init(void *top, void (*entry)(void *), void *arg);
#endif

/*
 * Leave @from for @to; returns when some fiber switches back to @from.
 * Then @peer (read after the switch) must name that fiber: ASan stores the
 * bounds of the stack we came from in it (that is how a dispatcher learns
 * its bounds).  A dispatcher is always resumed by the job it switched to,
 * but a job may be resumed by another thread's dispatcher.
 */
static inline void aoff_fiber_leave(struct aoff_fiber *from,
				    struct aoff_fiber *to)
{
#if defined(__SANITIZE_ADDRESS__)
	__sanitizer_start_switch_fiber(&from->fake_stack, to->stack_bottom,
				       to->stack_size);
#endif
#ifdef AOFF_FIBER_ASM
	aoff_async_switch(&from->sp, to->sp);
#else
	swapcontext(&from->uc, &to->uc);
#endif
}

static inline void aoff_fiber_back(struct aoff_fiber *from,
				   struct aoff_fiber *peer)
{
#if defined(__SANITIZE_ADDRESS__)
	__sanitizer_finish_switch_fiber(from->fake_stack, &peer->stack_bottom,
					&peer->stack_size);
#else
	(void)from;
	(void)peer;
#endif
}

/* A switch whose answer comes from @to itself. */
static inline void aoff_fiber_switch(struct aoff_fiber *from,
				     struct aoff_fiber *to)
{
	aoff_fiber_leave(from, to);
	aoff_fiber_back(from, to);
}

/* First thing a fiber's entry function does: complete the switch that
 * started it, @peer being the fiber that switched to it. */
static inline void aoff_fiber_entered(struct aoff_fiber *peer)
{
#if defined(__SANITIZE_ADDRESS__)
	__sanitizer_finish_switch_fiber(NULL, &peer->stack_bottom,
					&peer->stack_size);
#else
	(void)peer;
#endif
}

#endif /* AOFF_ASYNC_FIBER_H */
