// SPDX-License-Identifier: Apache-2.0
/*
 * ASYNC_WAIT_CTX: the wait fds, callback and status of an async session,
 * with OpenSSL 3.x's semantics (see ASYNC_WAIT_CTX_new(3)):
 *
 * - entries form a list, newest first; keys may repeat and lookups see the
 *   newest live entry;
 * - an entry added since the last pause ("add") that is cleared disappears
 *   at once; an older one is only marked "del", reported by
 *   get_changed_fds, and dropped when the paused job resumes
 *   (aoff_wait_ctx_reset_counts);
 * - cleanup callbacks run from free only, for entries not cleared.
 *
 * Entries are recycled through a spare list inside the ctx, seeded with a
 * few entries embedded in the ctx itself, so set_wait_fd allocates nothing
 * in steady state (and nothing at all for up to AOFF_WAIT_INLINE fds).
 *
 * OpenSSL dereferences a NULL ctx or output pointer; here such calls
 * return 0 (or do nothing) instead.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "async_local.h"

#define AOFF_WAIT_INLINE 2

typedef void (*aoff_wait_cleanup_fn)(ASYNC_WAIT_CTX *, const void *,
				     OSSL_ASYNC_FD, void *);

struct aoff_wait_fd {
	struct aoff_wait_fd *next;
	const void *key;
	void *custom_data;
	aoff_wait_cleanup_fn cleanup;
	OSSL_ASYNC_FD fd;
	unsigned char add;	/* added since the last pause */
	unsigned char del;	/* cleared, not yet reported as gone */
};

struct async_wait_ctx_st {
	struct aoff_wait_fd *fds;	/* newest first */
	struct aoff_wait_fd *spare;	/* recycled entries */
	size_t numadd;
	size_t numdel;
	ASYNC_callback_fn callback;
	void *callback_arg;
	int status;
	struct aoff_wait_fd inline_fds[AOFF_WAIT_INLINE];
};

#ifdef AOFF_FASTPATH
/* ASYNC_pause_job (fastpath_<arch>.S) tests the counts by offset. */
_Static_assert(offsetof(struct async_wait_ctx_st, numadd) == AOFF_WCTX_NUMADD,
	       "");
_Static_assert(offsetof(struct async_wait_ctx_st, numdel) == AOFF_WCTX_NUMDEL,
	       "");
#endif

static int aoff_wait_fd_is_inline(const ASYNC_WAIT_CTX *ctx,
				  const struct aoff_wait_fd *e)
{
	return e >= ctx->inline_fds && e < ctx->inline_fds + AOFF_WAIT_INLINE;
}

static void aoff_wait_fd_recycle(ASYNC_WAIT_CTX *ctx, struct aoff_wait_fd *e)
{
	e->next = ctx->spare;
	ctx->spare = e;
}

static void aoff_wait_fd_list_free(ASYNC_WAIT_CTX *ctx,
				   struct aoff_wait_fd *e)
{
	struct aoff_wait_fd *next;

	for (; e; e = next) {
		next = e->next;
		if (!aoff_wait_fd_is_inline(ctx, e))
			free(e);
	}
}

AOFF_EXPORT ASYNC_WAIT_CTX *ASYNC_WAIT_CTX_new(void)
{
	ASYNC_WAIT_CTX *ctx = calloc(1, sizeof(*ctx));
	int i;

	if (!ctx)
		return NULL;
	ctx->status = ASYNC_STATUS_UNSUPPORTED;
	for (i = AOFF_WAIT_INLINE - 1; i >= 0; i--)
		aoff_wait_fd_recycle(ctx, &ctx->inline_fds[i]);
	return ctx;
}

AOFF_EXPORT void ASYNC_WAIT_CTX_free(ASYNC_WAIT_CTX *ctx)
{
	struct aoff_wait_fd *e;

	if (!ctx)
		return;
	/* Cleanups may look at ctx (get_fd etc.): keep it intact until
	 * they have all run. */
	for (e = ctx->fds; e; e = e->next)
		if (!e->del && e->cleanup)
			e->cleanup(ctx, e->key, e->fd, e->custom_data);
	aoff_wait_fd_list_free(ctx, ctx->fds);
	aoff_wait_fd_list_free(ctx, ctx->spare);
	free(ctx);
}

AOFF_EXPORT int ASYNC_WAIT_CTX_set_wait_fd(ASYNC_WAIT_CTX *ctx,
					   const void *key, OSSL_ASYNC_FD fd,
					   void *custom_data,
					   aoff_wait_cleanup_fn cleanup)
{
	struct aoff_wait_fd *e;

	if (!ctx)
		return 0;
	e = ctx->spare;
	if (e) {
		ctx->spare = e->next;
	} else {
		e = malloc(sizeof(*e));
		if (!e)
			return 0;
	}
	e->key = key;
	e->fd = fd;
	e->custom_data = custom_data;
	e->cleanup = cleanup;
	e->add = 1;
	e->del = 0;
	e->next = ctx->fds;
	ctx->fds = e;
	ctx->numadd++;
	return 1;
}

AOFF_EXPORT int ASYNC_WAIT_CTX_get_fd(ASYNC_WAIT_CTX *ctx, const void *key,
				      OSSL_ASYNC_FD *fd, void **custom_data)
{
	struct aoff_wait_fd *e;

	if (!ctx)
		return 0;
	for (e = ctx->fds; e; e = e->next) {
		if (e->del || e->key != key)
			continue;
		if (fd)
			*fd = e->fd;
		if (custom_data)
			*custom_data = e->custom_data;
		return 1;
	}
	return 0;
}

AOFF_EXPORT int ASYNC_WAIT_CTX_get_all_fds(ASYNC_WAIT_CTX *ctx,
					   OSSL_ASYNC_FD *fd, size_t *numfds)
{
	struct aoff_wait_fd *e;
	size_t n = 0;

	if (!ctx || !numfds)
		return 0;
	for (e = ctx->fds; e; e = e->next) {
		if (e->del)
			continue;
		if (fd)
			fd[n] = e->fd;
		n++;
	}
	*numfds = n;
	return 1;
}

AOFF_EXPORT int ASYNC_WAIT_CTX_get_changed_fds(ASYNC_WAIT_CTX *ctx,
					       OSSL_ASYNC_FD *addfd,
					       size_t *numaddfds,
					       OSSL_ASYNC_FD *delfd,
					       size_t *numdelfds)
{
	struct aoff_wait_fd *e;

	if (!ctx || !numaddfds || !numdelfds)
		return 0;
	*numaddfds = ctx->numadd;
	*numdelfds = ctx->numdel;
	if (!addfd && !delfd)
		return 1;
	/* An entry is never both add and del: clearing an added one
	 * removes it. */
	for (e = ctx->fds; e; e = e->next) {
		if (e->add && !e->del && addfd)
			*addfd++ = e->fd;
		if (e->del && !e->add && delfd)
			*delfd++ = e->fd;
	}
	return 1;
}

AOFF_EXPORT int ASYNC_WAIT_CTX_clear_fd(ASYNC_WAIT_CTX *ctx, const void *key)
{
	struct aoff_wait_fd **link, *e;

	if (!ctx)
		return 0;
	for (link = &ctx->fds; (e = *link); link = &e->next) {
		if (e->del || e->key != key)
			continue;
		/* No cleanup call: the caller clears, the caller cleans. */
		if (e->add) {
			/* Nobody has been told about it: forget it now. */
			*link = e->next;
			aoff_wait_fd_recycle(ctx, e);
			ctx->numadd--;
		} else {
			e->del = 1;
			ctx->numdel++;
		}
		return 1;
	}
	return 0;
}

AOFF_EXPORT int ASYNC_WAIT_CTX_set_callback(ASYNC_WAIT_CTX *ctx,
					    ASYNC_callback_fn callback,
					    void *callback_arg)
{
	if (!ctx)
		return 0;
	ctx->callback = callback;
	ctx->callback_arg = callback_arg;
	return 1;
}

AOFF_EXPORT int ASYNC_WAIT_CTX_get_callback(ASYNC_WAIT_CTX *ctx,
					    ASYNC_callback_fn *callback,
					    void **callback_arg)
{
	if (!ctx || !ctx->callback)
		return 0;
	if (callback)
		*callback = ctx->callback;
	if (callback_arg)
		*callback_arg = ctx->callback_arg;
	return 1;
}

AOFF_EXPORT int ASYNC_WAIT_CTX_set_status(ASYNC_WAIT_CTX *ctx, int status)
{
	if (!ctx)
		return 0;
	ctx->status = status;
	return 1;
}

AOFF_EXPORT int ASYNC_WAIT_CTX_get_status(ASYNC_WAIT_CTX *ctx)
{
	return ctx ? ctx->status : ASYNC_STATUS_UNSUPPORTED;
}

/*
 * A paused job resumed: what was added is now known to the application and
 * what was deleted has been reported, so start counting afresh.
 */
void aoff_wait_ctx_reset_counts(ASYNC_WAIT_CTX *ctx)
{
	struct aoff_wait_fd **link = &ctx->fds, *e;

	/* numadd and numdel count exactly the entries marked add and del. */
	if (ctx->numadd == 0 && ctx->numdel == 0)
		return;
	ctx->numadd = 0;
	ctx->numdel = 0;
	while ((e = *link)) {
		if (e->del) {
			*link = e->next;
			aoff_wait_fd_recycle(ctx, e);
			continue;
		}
		e->add = 0;
		link = &e->next;
	}
}
