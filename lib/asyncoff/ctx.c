// SPDX-License-Identifier: Apache-2.0
/*
 * libasyncoff: opening a context — open the device, set the rings up,
 * map them, find each field through the offsets the driver returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ctx_local.h"

/* Copy the caller's opts, whatever size they were compiled with. */
static int aoff_opts_get(const struct aoff_ctx_opts *in,
			 struct aoff_ctx_opts *out)
{
	memset(out, 0, sizeof(*out));
	if (!in)
		goto defaults;
	if (in->sz < offsetof(struct aoff_ctx_opts, sq_entries))
		return -EINVAL;
	if (in->sz > sizeof(*out)) {
		const unsigned char *tail = (const unsigned char *)in;

		for (size_t i = sizeof(*out); i < in->sz; i++)
			if (tail[i])
				return -E2BIG;
	}
	memcpy(out, in, in->sz < sizeof(*out) ? in->sz : sizeof(*out));
	if (out->flags & ~AOFF_CTX_F_ALL)
		return -EINVAL;
	/* As the driver's setup: an idle time only means something with
	 * SQPOLL, and is bounded. */
	if (out->sq_idle_us > AOFF_SQ_IDLE_MAX_US)
		return -EINVAL;
	if (out->sq_idle_us && !(out->flags & AOFF_CTX_F_SQPOLL))
		return -EINVAL;
defaults:
	out->sz = sizeof(*out);
	if (!out->sq_entries)
		out->sq_entries = AOFF_CTX_DEFAULT_SQ;
	if (!out->data_bytes)
		out->data_bytes = AOFF_CTX_DEFAULT_DATA;
	return 0;
}

/*
 * SQPOLL asked for: the device must say it has it.  An older driver would
 * refuse the setup flag with EINVAL, which would read as a bad size; ask
 * first so the caller gets EOPNOTSUPP and can retry without the flag.
 */
static int aoff_ctx_sqpoll_check(int fd)
{
	struct aoff_info info;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	if (ioctl(fd, AOFF_IOC_INFO, &info) < 0)
		return -errno;
	return info.features & AOFF_FEAT_SQPOLL ? 0 : -EOPNOTSUPP;
}

static int aoff_ctx_map(struct aoff_ctx *ctx, const struct aoff_setup *s)
{
	const struct aoff_ring_offsets *o = &s->off;
	uint8_t *base;

	ctx->map = mmap(NULL, o->mmap_bytes, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_POPULATE, ctx->fd, 0);
	if (ctx->map == MAP_FAILED) {
		ctx->map = NULL;
		return -errno;
	}
	ctx->map_bytes = o->mmap_bytes;
	base = ctx->map;
	ctx->k_sq_head = (uint32_t *)(base + o->sq_head);
	ctx->k_sq_tail = (uint32_t *)(base + o->sq_tail);
	ctx->k_cq_head = (uint32_t *)(base + o->cq_head);
	ctx->k_cq_tail = (uint32_t *)(base + o->cq_tail);
	ctx->k_status = (uint32_t *)(base + o->status);
	ctx->sqes = (struct aoff_sqe *)(base + o->sqes);
	ctx->cqes = (struct aoff_cqe *)(base + o->cqes);
	ctx->data = base + o->data;
	ctx->data_bytes = s->data_bytes;
	ctx->sq_entries = s->sq_entries;
	ctx->cq_entries = s->cq_entries;
	ctx->sq_mask = s->sq_entries - 1;
	ctx->sq_idle_us = s->sq_idle_us;
	ctx->cq_mask = s->cq_entries - 1;
	/* Fresh context: every index starts at 0 on both sides. */
	ctx->sq_tail = __atomic_load_n(ctx->k_sq_tail, __ATOMIC_RELAXED);
	ctx->cq_head = __atomic_load_n(ctx->k_cq_head, __ATOMIC_RELAXED);
	return 0;
}

AOFF_EXPORT struct aoff_ctx *aoff_ctx_open(const char *path,
					   const struct aoff_ctx_opts *uopts)
{
	struct aoff_ctx_opts opts;
	struct aoff_setup setup;
	struct aoff_ctx *ctx;
	int oflags = O_RDWR | O_CLOEXEC;
	int err;

	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	err = aoff_opts_get(uopts, &opts);
	if (err) {
		errno = -err;
		return NULL;
	}
	if (opts.flags & AOFF_CTX_F_NONBLOCK)
		oflags |= O_NONBLOCK;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return NULL;
	ctx->fd = open(path, oflags);
	if (ctx->fd < 0) {
		err = -errno;
		goto err_free;
	}

	if (opts.flags & AOFF_CTX_F_SQPOLL) {
		err = aoff_ctx_sqpoll_check(ctx->fd);
		if (err)
			goto err_close;
	}

	memset(&setup, 0, sizeof(setup));
	setup.size = sizeof(setup);
	setup.sq_entries = opts.sq_entries;
	setup.cq_entries = opts.cq_entries;
	setup.data_bytes = opts.data_bytes;
	if (opts.flags & AOFF_CTX_F_SQPOLL) {
		setup.flags = AOFF_SETUP_F_SQPOLL;
		setup.sq_idle_us = opts.sq_idle_us;
	}
	if (ioctl(ctx->fd, AOFF_IOC_SETUP, &setup) < 0) {
		err = -errno;
		goto err_close;
	}
	err = aoff_ctx_map(ctx, &setup);
	if (err)
		goto err_close;
	/* The driver accepted the flag (it refuses what it does not know). */
	ctx->sqpoll = !!(opts.flags & AOFF_CTX_F_SQPOLL);
	err = aoff_heap_init(&ctx->heap, ctx->data_bytes);
	if (err)
		goto err_unmap;
	return ctx;

err_unmap:
	munmap(ctx->map, ctx->map_bytes);
err_close:
	close(ctx->fd);
err_free:
	free(ctx);
	errno = -err;
	return NULL;
}

AOFF_EXPORT struct aoff_ctx *aoff_ctx_open_index(unsigned int index,
						 const struct aoff_ctx_opts *opts)
{
	char path[32];

	snprintf(path, sizeof(path), "/dev/" AOFF_DEV_PREFIX "%u", index);
	return aoff_ctx_open(path, opts);
}

AOFF_EXPORT void aoff_ctx_close(struct aoff_ctx *ctx)
{
	if (!ctx)
		return;
	aoff_heap_fini(&ctx->heap);
	munmap(ctx->map, ctx->map_bytes);
	close(ctx->fd);
	free(ctx);
}

AOFF_EXPORT int aoff_ctx_fd(const struct aoff_ctx *ctx)
{
	return ctx->fd;
}

AOFF_EXPORT int aoff_ctx_info(const struct aoff_ctx *ctx, struct aoff_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return ioctl(ctx->fd, AOFF_IOC_INFO, info) < 0 ? -errno : 0;
}

AOFF_EXPORT unsigned int aoff_ctx_sq_entries(const struct aoff_ctx *ctx)
{
	return ctx->sq_entries;
}

AOFF_EXPORT unsigned int aoff_ctx_cq_entries(const struct aoff_ctx *ctx)
{
	return ctx->cq_entries;
}

AOFF_EXPORT int aoff_ctx_broken(const struct aoff_ctx *ctx)
{
	return !!(__atomic_load_n(ctx->k_status, __ATOMIC_ACQUIRE) &
		  AOFF_STATUS_BROKEN);
}

AOFF_EXPORT uint64_t aoff_ctx_syscalls(const struct aoff_ctx *ctx)
{
	return ctx->syscalls;
}

AOFF_EXPORT int aoff_ctx_sqpoll(const struct aoff_ctx *ctx)
{
	return ctx->sqpoll;
}

AOFF_EXPORT unsigned int aoff_ctx_sq_idle_us(const struct aoff_ctx *ctx)
{
	return ctx->sq_idle_us;
}

AOFF_EXPORT uint64_t aoff_ctx_doorbells_saved(const struct aoff_ctx *ctx)
{
	return ctx->doorbells_saved;
}
