/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Structure offsets and constants shared by C and the x86-64 fast paths
 * (fastpath_x86_64.S).  The C side checks every one of them with
 * _Static_assert (job.c, wait_ctx.c), so a layout change breaks the build
 * instead of the assembly.  Only fast-path builds (AOFF_FASTPATH: x86-64,
 * assembly switch, no sanitizer) use them; under ASan struct aoff_fiber
 * grows and the offsets would differ.
 */
#ifndef AOFF_ASYNC_OFFSETS_H
#define AOFF_ASYNC_OFFSETS_H

/* enum aoff_job_state */
#define AOFF_JOB_IDLE_V		0
#define AOFF_JOB_RUNNING_V	1
#define AOFF_JOB_PAUSING_V	2
#define AOFF_JOB_PAUSED_V	3
#define AOFF_JOB_STOPPING_V	4

/* struct async_job_st */
#define AOFF_JOB_SP		0	/* fiber.sp */
#define AOFF_JOB_RUNNER		16
#define AOFF_JOB_WAITCTX	48
#define AOFF_JOB_STATE		60

/* struct aoff_thread */
#define AOFF_TS_DISP_SP		0	/* dispatcher.sp */
#define AOFF_TS_CURR		8
#define AOFF_TS_BLOCKED		16

/* struct async_wait_ctx_st */
#define AOFF_WCTX_NUMADD	16
#define AOFF_WCTX_NUMDEL	24

/* <openssl/async.h> */
#define AOFF_ASYNC_PAUSE_V	2

#endif /* AOFF_ASYNC_OFFSETS_H */
