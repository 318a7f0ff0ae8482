/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The x86-64 saved-context frame, as assembler macros shared by the
 * switch (switch_x86_64.S) and the fast paths (fastpath_x86_64.S): both
 * must build and consume exactly the same frame, because a context saved
 * by one is resumed by the other.
 *
 * Frame, from the saved sp upwards:
 *   +0 MXCSR  +4 x87 CW  +8 r15  +16 r14  +24 r13  +32 r12  +40 rbx
 *   +48 rbp  +56 resume address
 */
#ifndef AOFF_FRAME_X86_64_H
#define AOFF_FRAME_X86_64_H

/*
 * Push the callee-saved registers and the FP control words below a resume
 * address already on the stack, and keep those words in \mx (MXCSR, 32
 * bits) and \cw (x87 CW, 32 bits, zero-extended) for AOFF_RESTORE.
 */
.macro	AOFF_PUSH_FRAME mx, cw
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp
	stmxcsr	(%rsp)
	fnstcw	4(%rsp)
	movl	(%rsp), \mx
	movzwl	4(%rsp), \cw
.endm

/*
 * Continue on the context whose saved sp is now in %rsp; \mx and \cww are
 * what AOFF_PUSH_FRAME left for the context being left.  MXCSR and the
 * x87 control word are loaded only when their control bits differ from
 * ours: loading them costs more than the rest of the switch (~50 ns here
 * when nothing else stalls the pipeline), and contexts almost never
 * differ.  MXCSR's low six bits are sticky exception flags, which the ABI
 * does not preserve across calls; comparing them too would reload MXCSR on
 * every switch as soon as one side has done an inexact operation.
 *
 * It ends with "pop; jmp *reg", not ret.  A ret here lands in the other
 * context's call chain, which the return-stack predictor cannot know:
 * mispredicted every time.  The indirect jmp is predicted from its own
 * history.  The call it answers leaves a stale return-stack entry; the
 * predictor's stack is circular, so that costs nothing more.
 */
.macro	AOFF_RESTORE mx, cww, tmp
	movl	(%rsp), \tmp
	xorl	\mx, \tmp
	testl	$~0x3f, \tmp
	jnz	8f
7:	cmpw	4(%rsp), \cww
	jne	9f
6:	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	popq	%rcx
	jmp	*%rcx
8:	ldmxcsr	(%rsp)
	jmp	7b
9:	fldcw	4(%rsp)
	jmp	6b
.endm

#endif /* AOFF_FRAME_X86_64_H */
