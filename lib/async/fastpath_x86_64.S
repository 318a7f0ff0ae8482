/* SPDX-License-Identifier: Apache-2.0 */
/*
 * x86-64 fast paths: ASYNC_pause_job, and the resume of a paused job in
 * ASYNC_start_job, with the context switch inlined.  Everything else in
 * ASYNC_start_job (new jobs, errors, a thread without state yet) tail-calls
 * the C version, aoff_start_job_slow; a job that finished is completed by
 * aoff_start_job_finish.  Built only with AOFF_FASTPATH (x86-64, assembly
 * switch, no sanitizer: ASan must be told of every switch, which the C
 * paths do).
 *
 * Why assembly: in a pause+resume round trip the C version executes four
 * returns whose targets the return-stack predictor cannot know -- the
 * switch's ret and the ret of ASYNC_pause_job / ASYNC_start_job each land
 * in the other fiber's call chain -- and a mispredicted ret costs about as
 * much as the whole rest of the round trip.  Here each of those four
 * transfers is an indirect jmp at its own address with (in steady state)
 * one target, which the indirect branch predictor gets right.  The calls
 * they answer leave stale return-stack entries behind; the predictor's
 * stack is circular, so that costs nothing but the entries.
 *
 * Saved contexts have exactly the frame of switch_x86_64.S, so either side
 * can be resumed by either code:
 *   +0 MXCSR  +4 x87 CW  +8 r15  +16 r14  +24 r13  +32 r12  +40 rbx
 *   +48 rbp  +56 resume address
 * A context saved here resumes at a label below; one saved by
 * aoff_async_switch resumes after its call.  After a switch nothing is
 * carried in registers: the resumed side reloads what it needs from TLS
 * (fresh %fs-relative loads -- a job may be on another thread now) and
 * from the job.
 *
 * CET: like switch_x86_64.S this does not switch shadow stacks, and the
 * objects carry no IBT/SHSTK property note, so the loader runs the process
 * without CET.  Returning through jmp instead of ret changes nothing there.
 */
#include "async_offsets.h"
#include "frame_x86_64.h"

/* Push a context that resumes at \resume (see frame_x86_64.h). */
.macro	AOFF_SAVE resume, tmp, mx, cw
	leaq	\resume(%rip), \tmp
	pushq	\tmp
	AOFF_PUSH_FRAME \mx, \cw
.endm

	.text

/*
 * int ASYNC_pause_job(void)
 * Outside a job or with pausing blocked: return 1.  Otherwise save the job,
 * switch to its thread's dispatcher; when resumed (by whichever thread),
 * reset the wait ctx's fd change counts if there are any, and return 1.
 */
	.globl	ASYNC_pause_job
	.type	ASYNC_pause_job, @function
	.p2align 4
ASYNC_pause_job:
	.cfi_startproc
	movq	aoff_async_tls@gottpoff(%rip), %rax
	movq	%fs:(%rax), %rax		/* ts */
	testq	%rax, %rax
	jz	.Lpause_noop
	movq	AOFF_TS_CURR(%rax), %rdx	/* job */
	testq	%rdx, %rdx
	jz	.Lpause_noop
	cmpq	$0, AOFF_TS_BLOCKED(%rax)
	jne	.Lpause_noop
	movl	$AOFF_JOB_PAUSING_V, AOFF_JOB_STATE(%rdx)
	movq	AOFF_TS_DISP_SP(%rax), %rsi
	AOFF_SAVE .Lpause_resumed, %r8, %r9d, %r10d
	movq	%rsp, AOFF_JOB_SP(%rdx)
	movq	%rsi, %rsp
	AOFF_RESTORE %r9d, %r10w, %r8d

.Lpause_resumed:
	/* Back on the job's stack, perhaps on another thread: the resumer's
	 * state is the one in TLS now, and its curr is this job. */
	movq	aoff_async_tls@gottpoff(%rip), %rax
	movq	%fs:(%rax), %rax
	movq	AOFF_TS_CURR(%rax), %rdx
	movq	AOFF_JOB_WAITCTX(%rdx), %rdi
	testq	%rdi, %rdi
	jz	1f
	movq	AOFF_WCTX_NUMADD(%rdi), %rax
	orq	AOFF_WCTX_NUMDEL(%rdi), %rax
	jnz	2f
1:	movl	$1, %eax
	popq	%rcx
	jmp	*%rcx
2:	subq	$8, %rsp		/* call with %rsp 16-byte aligned */
	call	aoff_wait_ctx_reset_counts
	addq	$8, %rsp
	jmp	1b

.Lpause_noop:
	movl	$1, %eax
	ret
	.cfi_endproc
	.size	ASYNC_pause_job, .-ASYNC_pause_job

/*
 * int ASYNC_start_job(ASYNC_JOB **jobp, ASYNC_WAIT_CTX *wctx, int *ret,
 *                     int (*func)(void *), void *args, size_t size)
 * Fast path: *jobp is a paused job, this thread has state and runs no job.
 * Anything else is aoff_start_job_slow's, with the arguments untouched.
 */
	.globl	ASYNC_start_job
	.type	ASYNC_start_job, @function
	.p2align 4
ASYNC_start_job:
	.cfi_startproc
	testq	%rdi, %rdi
	jz	.Lstart_slow
	movq	(%rdi), %r11			/* job */
	testq	%r11, %r11
	jz	.Lstart_slow
	movq	aoff_async_tls@gottpoff(%rip), %rax
	movq	%fs:(%rax), %r10		/* ts */
	testq	%r10, %r10
	jz	.Lstart_slow
	cmpq	$0, AOFF_TS_CURR(%r10)
	jne	.Lstart_slow
	cmpl	$AOFF_JOB_PAUSED_V, AOFF_JOB_STATE(%r11)
	jne	.Lstart_slow
	movl	$AOFF_JOB_RUNNING_V, AOFF_JOB_STATE(%r11)
	movq	%r10, AOFF_JOB_RUNNER(%r11)
	movq	%r11, AOFF_TS_CURR(%r10)
	movq	AOFF_JOB_SP(%r11), %rsi
	/* jobp and ret survive the switch on our own stack. */
	pushq	%rdx
	.cfi_adjust_cfa_offset 8
	pushq	%rdi
	.cfi_adjust_cfa_offset 8
	AOFF_SAVE .Lstart_back, %rax, %r8d, %r9d
	movq	%rsp, AOFF_TS_DISP_SP(%r10)
	movq	%rsi, %rsp
	AOFF_RESTORE %r8d, %r9w, %eax

.Lstart_back:
	/* The job paused or finished on this thread: its frame above popped
	 * the context, only jobp and ret are left over the return address. */
	popq	%rdi
	.cfi_adjust_cfa_offset -8
	popq	%rsi				/* ret */
	.cfi_adjust_cfa_offset -8
	movq	aoff_async_tls@gottpoff(%rip), %rax
	movq	%fs:(%rax), %r10
	movq	AOFF_TS_CURR(%r10), %rdx	/* job */
	movq	$0, AOFF_TS_CURR(%r10)
	cmpl	$AOFF_JOB_STOPPING_V, AOFF_JOB_STATE(%rdx)
	je	.Lstart_finished
	movl	$AOFF_JOB_PAUSED_V, AOFF_JOB_STATE(%rdx)
	movq	%rdx, (%rdi)
	movl	$AOFF_ASYNC_PAUSE_V, %eax
	popq	%rcx
	jmp	*%rcx

.Lstart_finished:
	/* aoff_start_job_finish(jobp, ret, job), as a tail call. */
	jmp	aoff_start_job_finish

.Lstart_slow:
	jmp	aoff_start_job_slow
	.cfi_endproc
	.size	ASYNC_start_job, .-ASYNC_start_job

	.section .note.GNU-stack, "", @progbits
