// SPDX-License-Identifier: Apache-2.0
/*
 * Fiber set-up for the assembly switch: the frame that the first
 * aoff_async_switch() into the fiber pops is built by the arch's
 * aoff_async_frame_init(), which also copies the creator's floating-point
 * control state, as getcontext() would.
 */
#include <stdint.h>

#include "fiber.h"

int aoff_fiber_init(struct aoff_fiber *f, void *stack, size_t size,
		    void (*entry)(void *), void *arg)
{
	f->sp = aoff_async_frame_init((char *)stack + size, entry, arg);
	aoff_fiber_note_stack(f, stack, size);
	return 0;
}
