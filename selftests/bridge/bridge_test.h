/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the bridge tests.  Every test is built twice: against
 * libcrypto's <openssl/async.h> and against the async runtime's; both link
 * the same libasyncoff.so, which resolves ASYNC_* from whichever is there.
 */
#ifndef BRIDGE_TEST_H
#define BRIDGE_TEST_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/async.h>
#include <asyncoff/bridge.h>

#include "aoff/sysfs.h"

#ifdef ASYNCOFF_ASYNC_RUNTIME
#define IMPL "runtime"
#else
#define IMPL "libcrypto"
#endif

#define DEV "/dev/asyncoff0"
#define SYSFS_DEV "/sys/class/misc/asyncoff0"

/* A job's result when every request succeeded (bridge results are <= 0). */
#define JOB_OK 1

struct op_args {
	unsigned int nreq;	/* NOPs per call, 1..8 */
	unsigned int len;	/* bytes of data area each NOP names */
	int block_pause;	/* run the call with ASYNC_block_pause() */
};

/*
 * What an engine or provider does: take the bridge context, put the input
 * in its data area, run the requests (pausing), give the memory back.
 */
static inline int nop_job(void *p)
{
	const struct op_args *a = p;
	struct aoff_sqe sqes[8];
	struct aoff_bridge_ctx *bc;
	struct aoff_ctx *dc;
	int32_t res[8];
	int64_t off = -1;
	unsigned int i;
	int ret;

	if (a->nreq < 1 || a->nreq > 8)
		return -EINVAL;
	bc = aoff_bridge_get();
	if (!bc)
		return -errno;
	dc = aoff_bridge_dev(bc);
	if (a->len) {
		off = aoff_data_alloc(dc, a->len);
		if (off < 0)
			return (int)off;
		memset(aoff_data_ptr(dc, (uint64_t)off), 0x5a, a->len);
	}
	memset(sqes, 0, sizeof(sqes));
	for (i = 0; i < a->nreq; i++) {
		aoff_prep_nop(&sqes[i], 0);
		if (a->len) {
			sqes[i].in_off = (uint64_t)off;
			sqes[i].in_len = a->len;
		}
		res[i] = 1;
	}
	if (a->block_pause)
		ASYNC_block_pause();
	ret = aoff_bridge_run(bc, sqes, a->nreq, res);
	if (a->block_pause)
		ASYNC_unblock_pause();
	if (off >= 0)
		aoff_data_free(dc, (uint64_t)off);
	if (ret)
		return ret;
	for (i = 0; i < a->nreq; i++)
		if (res[i] != 0)
			return -EPROTO;	/* a NOP completes with res 0 */
	return JOB_OK;
}

/* Entries in /proc/self/fd (minus the one opendir() uses). */
static inline int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

static inline uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A device statistic from sysfs; -1 when the attribute does not exist. */
static inline long long sysfs_stat(const char *name)
{
	return aoff_attr_get(SYSFS_DEV, name);
}

static inline int sysfs_write(const char *name, const char *val)
{
	return aoff_attr_write(SYSFS_DEV, name, val);
}

/* The single fd of a wait ctx, as openssl speed insists; -1 otherwise. */
static inline int the_fd(ASYNC_WAIT_CTX *w)
{
	OSSL_ASYNC_FD fd;
	size_t n = 0;

	if (!ASYNC_WAIT_CTX_get_all_fds(w, NULL, &n) || n != 1)
		return -1;
	if (!ASYNC_WAIT_CTX_get_all_fds(w, &fd, &n))
		return -1;
	return fd;
}

static inline uint64_t bridge_stat_callbacks(void)
{
	struct aoff_bridge_stats st = { .sz = sizeof(st) };

	aoff_bridge_stats(&st);
	return st.callbacks;
}

#endif /* BRIDGE_TEST_H */
