/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Context switch for x86-64 (System V ABI).  Callee-saved state is rbx,
 * rbp, r12-r15, rsp, and the control bits of MXCSR and the x87 control word
 * (the ABI makes both callee-saved).  Everything is pushed on the stack
 * being left, so a fiber is just its saved stack pointer.
 *
 * Frame, from the saved sp upwards:
 *   +0 MXCSR  +4 x87 CW  +8 r15  +16 r14  +24 r13  +32 r12  +40 rbx
 *   +48 rbp  +56 return address
 */
#include "frame_x86_64.h"

	.text

/* void aoff_async_switch(void **save_sp, void *new_sp) */
	.globl	aoff_async_switch
	.hidden	aoff_async_switch
	.type	aoff_async_switch, @function
	.p2align 4
aoff_async_switch:
	.cfi_startproc
	AOFF_PUSH_FRAME %eax, %ecx
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	AOFF_RESTORE %eax, %cx, %edx
	.cfi_endproc
	.size	aoff_async_switch, .-aoff_async_switch

/*
 * void *aoff_async_frame_init(void *top, void (*entry)(void *), void *arg)
 * Builds, below top, the frame the first switch pops: it "returns" into the
 * trampoline with rbx = entry, r12 = arg, rbp = 0 (ends backtraces) and
 * the caller's current MXCSR and x87 control word.  The return address
 * slot sits so that the trampoline starts with rsp 16-byte aligned, as
 * a call site needs.
 */
	.globl	aoff_async_frame_init
	.hidden	aoff_async_frame_init
	.type	aoff_async_frame_init, @function
	.p2align 4
aoff_async_frame_init:
	.cfi_startproc
	andq	$-16, %rdi
	leaq	-24(%rdi), %rax
	leaq	aoff_async_trampoline(%rip), %rcx
	movq	%rcx, (%rax)
	movq	$0, 8(%rax)
	movq	$0, -8(%rax)
	movq	%rsi, -16(%rax)
	movq	%rdx, -24(%rax)
	movq	$0, -32(%rax)
	movq	$0, -40(%rax)
	movq	$0, -48(%rax)
	stmxcsr	-56(%rax)
	fnstcw	-52(%rax)
	subq	$56, %rax
	ret
	.cfi_endproc
	.size	aoff_async_frame_init, .-aoff_async_frame_init

	.type	aoff_async_trampoline, @function
	.p2align 4
aoff_async_trampoline:
	.cfi_startproc
	.cfi_undefined rip
	movq	%r12, %rdi
	call	*%rbx
	ud2
	.cfi_endproc
	.size	aoff_async_trampoline, .-aoff_async_trampoline

	.section .note.GNU-stack, "", @progbits
