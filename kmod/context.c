// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: contexts.  One per open(), private to the process that opened
 * it: setup, doorbell and mmap from another mm (a forked child, a process
 * that received the fd) fail with EPERM.
 */
#include <linux/bitmap.h>
#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "aoff.h"
#include "trace.h"

static bool aoff_ctx_is_owner(struct aoff_ctx *ctx)
{
	return current->mm == ctx->mm;
}

static int aoff_open(struct inode *inode, struct file *file)
{
	struct miscdevice *misc = file->private_data;
	struct aoff_device *dev = container_of(misc, struct aoff_device, misc);
	struct aoff_ctx *ctx;

	if (!current->mm)
		return -EPERM;

	spin_lock(&dev->lock);
	if (dev->nr_contexts >= aoff_max_contexts) {
		spin_unlock(&dev->lock);
		return -EBUSY;
	}
	dev->nr_contexts++;
	spin_unlock(&dev->lock);

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		goto err_uncount;
	ctx->dev = dev;
	ctx->mm = current->mm;
	mmgrab(ctx->mm);
	mutex_init(&ctx->setup_lock);
	spin_lock_init(&ctx->cq_lock);
	INIT_LIST_HEAD(&ctx->free);
	init_waitqueue_head(&ctx->wait);
	INIT_LIST_HEAD(&ctx->sq_node);
	aoff_engine_ctx_init(ctx);
	aoff_irq_ctx_init(ctx);
	ctx->state = AOFF_CTX_NEW;

	mutex_lock(&dev->ctx_lock);
	list_add_tail(&ctx->dev_node, &dev->ctxs);
	mutex_unlock(&dev->ctx_lock);

	file->private_data = ctx;
	return stream_open(inode, file);

err_uncount:
	spin_lock(&dev->lock);
	dev->nr_contexts--;
	spin_unlock(&dev->lock);
	return -ENOMEM;
}

/* Undo the memory part of setup (also used when setup fails half way). */
static void aoff_ctx_free_memory(struct aoff_ctx *ctx)
{
	struct aoff_device *dev = ctx->dev;

	if (!ctx->region.mem)
		return;
	kvfree(ctx->reqs);
	ctx->reqs = NULL;
	ctx->cq_entries = 0;
	kvfree(ctx->hash_state);
	ctx->hash_state = NULL;
	bitmap_free(ctx->hash_live);
	ctx->hash_live = NULL;
	ctx->hash_slots = 0;
	INIT_LIST_HEAD(&ctx->free);
	spin_lock(&dev->lock);
	dev->mem_bytes -= ctx->region.bytes;
	spin_unlock(&dev->lock);
	if (ctx->locked_pages)
		account_locked_vm(ctx->mm, ctx->locked_pages, false);
	ctx->locked_pages = 0;
	aoff_region_free(&ctx->region);
}

/*
 * Runs when the fd is closed and no mapping is left (a VMA pins the file),
 * so nobody can touch the region any more.  Requests may still be queued or
 * running: stop the engine first, then free.
 */
static int aoff_release(struct inode *inode, struct file *file)
{
	struct aoff_ctx *ctx = file->private_data;
	struct aoff_device *dev = ctx->dev;

	/* Out of the reset's reach first: it may not touch us after this. */
	mutex_lock(&dev->ctx_lock);
	list_del(&ctx->dev_node);
	mutex_unlock(&dev->ctx_lock);
	/*
	 * Then out of the SQ poller's: a pass holds sqpoll_lock throughout,
	 * so after this it neither submits for us nor looks at us again.
	 */
	if (ctx->sqpoll) {
		mutex_lock(&dev->sqpoll_lock);
		aoff_sqpoll_ctx_stop(ctx);
		mutex_unlock(&dev->sqpoll_lock);
	}

	aoff_engine_ctx_stop(ctx);
	aoff_irq_ctx_stop(ctx);
	aoff_ctx_free_memory(ctx);
	mmdrop(ctx->mm);
	kfree(ctx);

	spin_lock(&dev->lock);
	dev->nr_contexts--;
	spin_unlock(&dev->lock);
	return 0;
}

static int aoff_setup_sizes(struct aoff_setup *s)
{
	u32 sq = s->sq_entries, cq = s->cq_entries;

	if (sq < 1 || sq > aoff_max_sq_entries)
		return -EINVAL;
	sq = roundup_pow_of_two(sq);
	if (!cq)
		cq = 2 * sq;
	if (cq > aoff_max_cq_entries)
		return -EINVAL;
	cq = roundup_pow_of_two(cq);
	if (cq < sq)
		return -EINVAL;
	if (s->data_bytes > aoff_max_ctx_bytes)
		return -EINVAL;
	if (s->hash_slots > AOFF_HASH_SLOTS_MAX)
		return -EINVAL;
	if (!s->hash_slots)
		s->hash_slots = AOFF_HASH_SLOTS_DEFAULT;
	s->sq_entries = sq;
	s->cq_entries = cq;
	s->data_bytes = PAGE_ALIGN(s->data_bytes);
	return 0;
}

/*
 * The region, inside the device's budget and charged to the opener's
 * locked memory.  On failure nothing is left but what
 * aoff_ctx_free_memory() undoes.
 */
static int aoff_ctx_alloc_region(struct aoff_ctx *ctx,
				 const struct aoff_setup *s)
{
	struct aoff_device *dev = ctx->dev;
	unsigned long pages;
	bool over;
	int ret;

	ret = aoff_region_alloc(&ctx->region, s->sq_entries, s->cq_entries,
				s->data_bytes, aoff_max_ctx_bytes);
	if (ret)
		return ret;

	spin_lock(&dev->lock);
	over = dev->mem_bytes + ctx->region.bytes > aoff_max_dev_bytes;
	if (!over)
		dev->mem_bytes += ctx->region.bytes;
	spin_unlock(&dev->lock);
	if (over) {
		aoff_region_free(&ctx->region);
		return -ENOMEM;
	}

	/* Charge the opener's locked memory, as io_uring does for rings. */
	pages = ctx->region.bytes >> PAGE_SHIFT;
	ret = account_locked_vm(ctx->mm, pages, true);
	if (ret)
		return ret;
	ctx->locked_pages = pages;
	return 0;
}

/* The request table (one per CQE) and the hash slots. */
static int aoff_ctx_alloc_tables(struct aoff_ctx *ctx,
				 const struct aoff_setup *s)
{
	u32 i;

	ctx->reqs = kvcalloc(s->cq_entries, sizeof(*ctx->reqs),
			     GFP_KERNEL_ACCOUNT);
	if (!ctx->reqs)
		return -ENOMEM;
	for (i = 0; i < s->cq_entries; i++) {
		ctx->reqs[i].ctx = ctx;
		aoff_engine_req_init(&ctx->reqs[i]);
		list_add_tail(&ctx->reqs[i].node, &ctx->free);
	}
	ctx->hash_state = kvcalloc(s->hash_slots, aoff_hash_state_size,
				   GFP_KERNEL_ACCOUNT);
	ctx->hash_live = bitmap_zalloc(s->hash_slots, GFP_KERNEL_ACCOUNT);
	if (!ctx->hash_state || !ctx->hash_live)
		return -ENOMEM;
	ctx->hash_slots = s->hash_slots;
	return 0;
}

static int aoff_ctx_setup_locked(struct aoff_ctx *ctx, struct aoff_setup *s,
				 struct aoff_setup __user *uarg, u32 usize)
{
	int ret;

	ret = aoff_setup_sizes(s);
	if (ret)
		return ret;
	ret = aoff_ctx_alloc_region(ctx, s);
	if (ret)
		goto err_free;
	ret = aoff_ctx_alloc_tables(ctx, s);
	if (ret)
		goto err_free;

	ctx->sq_entries = s->sq_entries;
	ctx->cq_entries = s->cq_entries;
	/*
	 * Nobody watches an SQPOLL context until its first doorbell.  No
	 * reader yet: the release of the state below publishes the word.
	 */
	if (s->flags & AOFF_SETUP_F_SQPOLL)
		WRITE_ONCE(ctx->region.ctrl->status, AOFF_STATUS_NEED_WAKEUP);
	s->off = ctx->region.off;
	s->size = sizeof(*s);
	/*
	 * Answer before going live: if user space cannot learn the layout,
	 * the setup is undone and may be retried.
	 */
	if (copy_to_user(uarg, s, min_t(size_t, usize, sizeof(*s)))) {
		ret = -EFAULT;
		goto err_free;
	}
	/* Only now: a failed setup may be retried without the flag. */
	if (s->flags & AOFF_SETUP_F_SQPOLL) {
		ctx->sqpoll = true;
		ctx->sq_idle_ns = (u64)s->sq_idle_us * NSEC_PER_USEC;
	}
	/* Pairs with the acquire in mmap and poll, which take no lock. */
	smp_store_release(&ctx->state, AOFF_CTX_LIVE);
	return 0;

err_free:
	aoff_ctx_free_memory(ctx);
	return ret;
}

static long aoff_ioctl_setup(struct aoff_ctx *ctx, struct aoff_setup __user *uarg)
{
	struct aoff_setup s;
	u32 usize;
	int ret, i;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize < AOFF_SETUP_SIZE_VER0)
		return -EINVAL;
	ret = copy_struct_from_user(&s, sizeof(s), uarg, usize);
	if (ret)
		return ret;
	if (s.flags & ~AOFF_SETUP_F_ALL)
		return -EINVAL;
	if (!(s.flags & AOFF_SETUP_F_SQPOLL)) {
		if (s.sq_idle_us)
			return -EINVAL;
	} else if (s.sq_idle_us > AOFF_SQ_IDLE_MAX_US) {
		return -EINVAL;
	} else if (!s.sq_idle_us) {
		s.sq_idle_us = AOFF_SQ_IDLE_DEFAULT_US;
	}
	for (i = 0; i < ARRAY_SIZE(s.resv); i++)
		if (s.resv[i])
			return -EINVAL;
	if (!aoff_ctx_is_owner(ctx))
		return -EPERM;

	mutex_lock(&ctx->setup_lock);
	if (ctx->state != AOFF_CTX_NEW)
		ret = -EBUSY;
	else
		ret = aoff_ctx_setup_locked(ctx, &s, uarg, usize);
	mutex_unlock(&ctx->setup_lock);
	return ret;
}

static long aoff_ioctl_info(struct aoff_ctx *ctx, struct aoff_info __user *uarg)
{
	struct aoff_info info;
	u32 usize;

	if (get_user(usize, &uarg->size))
		return -EFAULT;
	if (usize < AOFF_INFO_SIZE_VER0)
		return -EINVAL;
	/* No struct will grow that far: a size that does is a bug. */
	if (usize > AOFF_INFO_SIZE_MAX)
		return -E2BIG;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.abi_version = AOFF_ABI_VERSION;
	info.features = AOFF_FEAT_SINGLE_MMAP | AOFF_FEAT_CQ_RESERVE |
			AOFF_FEAT_EVENTFD | AOFF_FEAT_HASH_SLOTS |
			AOFF_FEAT_SQPOLL;
	aoff_ops_bitmap(info.ops, ARRAY_SIZE(info.ops));
	info.max_sq_entries = aoff_max_sq_entries;
	info.max_cq_entries = aoff_max_cq_entries;
	info.max_ctx_bytes = aoff_max_ctx_bytes;
	info.max_contexts = aoff_max_contexts;
	info.nr_engines = READ_ONCE(ctx->dev->nr_engines);
	info.dev_bytes_max = aoff_max_dev_bytes;
	info.max_hash_slots = AOFF_HASH_SLOTS_MAX;

	/*
	 * Never past what both sides know: a newer user space's tail is left
	 * as it was, and info.size tells it where our answer ends.
	 */
	if (copy_to_user(uarg, &info, min_t(size_t, usize, sizeof(info))))
		return -EFAULT;
	return 0;
}

static long aoff_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct aoff_ctx *ctx = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case AOFF_IOC_SETUP:
		return aoff_ioctl_setup(ctx, uarg);
	case AOFF_IOC_ENTER:
		if (!aoff_ctx_is_owner(ctx))
			return -EPERM;
		return aoff_ring_enter(ctx, uarg);
	case AOFF_IOC_INFO:
		return aoff_ioctl_info(ctx, uarg);
	case AOFF_IOC_EVENTFD:
		if (!aoff_ctx_is_owner(ctx))
			return -EPERM;
		return aoff_ioctl_eventfd(ctx, uarg);
	default:
		return -ENOTTY;
	}
}

static __poll_t aoff_poll(struct file *file, struct poll_table_struct *pt)
{
	struct aoff_ctx *ctx = file->private_data;

	aoff_sqpoll_poll(ctx);
	poll_wait(file, &ctx->wait, pt);
	return aoff_ring_poll_mask(ctx);
}

/*
 * Marks the context broken: it refuses new work (EIO), poll reports
 * EPOLLERR and the status word says so.  Under setup_lock, so no
 * submission runs concurrently; used by the device reset (fault.c).  An
 * SQPOLL context also gets NEED_WAKEUP: nobody watches it any more, so
 * user space must ring, and the doorbell tells it EIO.
 */
void aoff_ctx_set_broken(struct aoff_ctx *ctx)
{
	u32 status = AOFF_STATUS_BROKEN;

	lockdep_assert_held(&ctx->setup_lock);
	if (ctx->state != AOFF_CTX_LIVE)
		return;
	WRITE_ONCE(ctx->state, AOFF_CTX_BROKEN);
	trace_aoff_ctx_broken(ctx);
	if (ctx->sqpoll)
		status |= AOFF_STATUS_NEED_WAKEUP;
	/* Pairs with user space's load-acquire of the status. */
	smp_store_release(&ctx->region.ctrl->status, status);
}

const struct file_operations aoff_fops = {
	.owner		= THIS_MODULE,
	.open		= aoff_open,
	.release	= aoff_release,
	.unlocked_ioctl	= aoff_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= aoff_mmap,
	.poll		= aoff_poll,
};
