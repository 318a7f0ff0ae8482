// SPDX-License-Identifier: Apache-2.0
/*
 * Fiber set-up for the ucontext fallback (ASYNC_SWITCH=ucontext), for
 * architectures without a hand-written switch.  swapcontext() also saves and
 * restores the signal mask, one system call per switch: correct, slower.
 */
#include <stdint.h>

#include "fiber.h"

/* makecontext() passes int arguments only: carry the pointers in halves. */
static void aoff_fiber_trampoline(unsigned int e_hi, unsigned int e_lo,
				  unsigned int a_hi, unsigned int a_lo)
{
	uintptr_t e = ((uintptr_t)e_hi << 16 << 16) | e_lo;
	uintptr_t a = ((uintptr_t)a_hi << 16 << 16) | a_lo;
	void (*entry)(void *) = (void (*)(void *))e;

	entry((void *)a);
	__builtin_trap();	/* entries never return */
}

int aoff_fiber_init(struct aoff_fiber *f, void *stack, size_t size,
		    void (*entry)(void *), void *arg)
{
	uintptr_t e = (uintptr_t)entry, a = (uintptr_t)arg;

	if (getcontext(&f->uc) != 0)
		return -1;
	f->uc.uc_stack.ss_sp = stack;
	f->uc.uc_stack.ss_size = size;
	f->uc.uc_link = NULL;
	makecontext(&f->uc, (void (*)(void))aoff_fiber_trampoline, 4,
		    (unsigned int)(e >> 16 >> 16), (unsigned int)e,
		    (unsigned int)(a >> 16 >> 16), (unsigned int)a);
	aoff_fiber_note_stack(f, stack, size);
	return 0;
}
