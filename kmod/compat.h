/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * asyncoff: differences between the kernels the driver builds on
 * (Debian's 6.1 and 6.12).
 */
#ifndef AOFF_COMPAT_H
#define AOFF_COMPAT_H

#include <linux/mm.h>
#include <linux/version.h>

/* vm_flags became read-only behind vm_flags_set()/clear() in 6.3. */
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
static inline void aoff_vm_flags_set(struct vm_area_struct *vma, vm_flags_t f)
{
	vm_flags_set(vma, f);
}

static inline void aoff_vm_flags_clear(struct vm_area_struct *vma, vm_flags_t f)
{
	vm_flags_clear(vma, f);
}
#else
static inline void aoff_vm_flags_set(struct vm_area_struct *vma, vm_flags_t f)
{
	vma->vm_flags |= f;
}

static inline void aoff_vm_flags_clear(struct vm_area_struct *vma, vm_flags_t f)
{
	vma->vm_flags &= ~f;
}
#endif

/* eventfd_signal() lost its count argument in 6.8. */
#if KERNEL_VERSION(6, 8, 0) <= LINUX_VERSION_CODE
#define aoff_eventfd_signal(ctx)	eventfd_signal(ctx)
#else
#define aoff_eventfd_signal(ctx)	eventfd_signal(ctx, 1)
#endif

/* mpi_mul() returns an error since 6.11; before, it could not fail. */
#if KERNEL_VERSION(6, 11, 0) <= LINUX_VERSION_CODE
#define aoff_mpi_mul(w, u, v)	mpi_mul(w, u, v)
#else
#define aoff_mpi_mul(w, u, v)	({ mpi_mul(w, u, v); 0; })
#endif

/*
 * crypto/ecc.c takes private keys as native digit arrays since 6.10 (the
 * NIST P-521 series); before, ecc_gen_privkey() wrote them and
 * ecc_make_pub_key() and crypto_ecdh_shared_secret() read them as
 * big-endian digit arrays.
 */
#define AOFF_ECC_PRIV_NATIVE	(KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE)

#endif /* AOFF_COMPAT_H */
