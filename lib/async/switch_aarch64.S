/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Context switch for AArch64 (AAPCS64).  Callee-saved state is x19-x28,
 * the frame pointer x29, the link register x30, sp, the low halves of
 * v8-v15 (d8-d15) and FPCR (rounding mode, flush-to-zero, ...).  All of it
 * is stored on the stack being left; a fiber is its saved sp.
 *
 * Frame (176 bytes), from the saved sp upwards:
 *   +0 x19 x20  +16 x21 x22  +32 x23 x24  +48 x25 x26  +64 x27 x28
 *   +80 x29 x30  +96 d8 d9  +112 d10 d11  +128 d12 d13  +144 d14 d15
 *   +160 FPCR  +168 unused
 */
	.text

/* void aoff_async_switch(void **save_sp, void *new_sp) */
	.globl	aoff_async_switch
	.hidden	aoff_async_switch
	.type	aoff_async_switch, %function
	.p2align 4
aoff_async_switch:
	.cfi_startproc
	sub	sp, sp, #176
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	mrs	x9, fpcr
	str	x9, [sp, #160]
	mov	x10, sp
	str	x10, [x0]
	mov	sp, x1
	ldr	x10, [sp, #160]
	/* Writing FPCR can be slow on some cores: skip it when unchanged. */
	cmp	x9, x10
	b.eq	1f
	msr	fpcr, x10
1:
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	add	sp, sp, #176
	ret
	.cfi_endproc
	.size	aoff_async_switch, .-aoff_async_switch

/*
 * void *aoff_async_frame_init(void *top, void (*entry)(void *), void *arg)
 * The first switch into the frame "returns" (x30) into the trampoline with
 * x19 = entry, x20 = arg, x29 = 0 (ends backtraces), the creator's FPCR,
 * and sp = top rounded down to 16.
 */
	.globl	aoff_async_frame_init
	.hidden	aoff_async_frame_init
	.type	aoff_async_frame_init, %function
	.p2align 4
aoff_async_frame_init:
	.cfi_startproc
	and	x0, x0, #~15
	sub	x0, x0, #176
	stp	xzr, xzr, [x0, #16]
	stp	xzr, xzr, [x0, #32]
	stp	xzr, xzr, [x0, #48]
	stp	xzr, xzr, [x0, #64]
	stp	xzr, xzr, [x0, #96]
	stp	xzr, xzr, [x0, #112]
	stp	xzr, xzr, [x0, #128]
	stp	xzr, xzr, [x0, #144]
	stp	x1, x2, [x0, #0]
	adr	x9, aoff_async_trampoline
	stp	xzr, x9, [x0, #80]
	mrs	x9, fpcr
	stp	x9, xzr, [x0, #160]
	ret
	.cfi_endproc
	.size	aoff_async_frame_init, .-aoff_async_frame_init

	.type	aoff_async_trampoline, %function
	.p2align 4
aoff_async_trampoline:
	.cfi_startproc
	.cfi_undefined x30
	mov	x0, x20
	blr	x19
	brk	#0
	.cfi_endproc
	.size	aoff_async_trampoline, .-aoff_async_trampoline

	.section .note.GNU-stack, "", %progbits
