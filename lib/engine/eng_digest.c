// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff engine: SHA-256 (EVP_MD_meth_*) on the device.
 *
 * The md_data of the EVP_MD_CTX is the provider's SHA-256 stream (struct
 * aoff_hs, lib/provider/hstream.c): whole blocks go to the device's
 * partial hashing as they arrive, a short message is one one-shot request,
 * and a copied stream (EVP_MD_CTX_copy) shares the device state copy on
 * write and replays when it must.
 *
 * What EVP does with md_data for a legacy digest, and so what we rely on:
 * it is zeroed when allocated (a zero struct aoff_hs is an empty stream);
 * init may run again on a used one (aoff_hs_reset() gives the old state
 * back); copy gets a byte copy of the source first (aoff_hs_dup() writes
 * every field); cleanup runs before md_data is freed, and after final.
 */
#include <openssl/obj_mac.h>

#include "eng.h"

static int sha256_init(EVP_MD_CTX *ctx)
{
	aoff_hs_reset(EVP_MD_CTX_md_data(ctx));
	return 1;
}

static int sha256_update(EVP_MD_CTX *ctx, const void *data, size_t count)
{
	return aoff_hs_update(EVP_MD_CTX_md_data(ctx), data, count);
}

static int sha256_final(EVP_MD_CTX *ctx, unsigned char *md)
{
	return aoff_hs_final(EVP_MD_CTX_md_data(ctx), md);
}

static int sha256_copy(EVP_MD_CTX *to, const EVP_MD_CTX *from)
{
	struct aoff_hs *dst = EVP_MD_CTX_md_data(to);
	const struct aoff_hs *src = EVP_MD_CTX_md_data(from);

	/* An EVP_MD_CTX that never ran init has no md_data. */
	if (!dst || !src)
		return 1;
	return aoff_hs_dup(dst, src);
}

static int sha256_cleanup(EVP_MD_CTX *ctx)
{
	struct aoff_hs *hs = EVP_MD_CTX_md_data(ctx);

	if (hs)
		aoff_hs_release(hs);
	return 1;
}

static int eng_digest_nids[] = { NID_sha256 };
static EVP_MD *eng_sha256;

int aoff_eng_digests_init(void)
{
	EVP_MD *md = EVP_MD_meth_new(NID_sha256, NID_sha256WithRSAEncryption);

	if (!md)
		return 0;
	if (!EVP_MD_meth_set_result_size(md, AOFF_SHA256_DIGEST_SIZE) ||
	    !EVP_MD_meth_set_input_blocksize(md, AOFF_SHA256_BLOCK_SIZE) ||
	    !EVP_MD_meth_set_app_datasize(md, sizeof(struct aoff_hs)) ||
	    /* As OpenSSL's: SHA-2 AlgorithmIdentifiers omit parameters. */
	    !EVP_MD_meth_set_flags(md, EVP_MD_FLAG_DIGALGID_ABSENT) ||
	    !EVP_MD_meth_set_init(md, sha256_init) ||
	    !EVP_MD_meth_set_update(md, sha256_update) ||
	    !EVP_MD_meth_set_final(md, sha256_final) ||
	    !EVP_MD_meth_set_copy(md, sha256_copy) ||
	    !EVP_MD_meth_set_cleanup(md, sha256_cleanup)) {
		EVP_MD_meth_free(md);
		return 0;
	}
	eng_sha256 = md;
	return 1;
}

void aoff_eng_digests_free(void)
{
	EVP_MD_meth_free(eng_sha256);
	eng_sha256 = NULL;
}

/* The ENGINE_set_digests() callback: the list, or one digest. */
int aoff_eng_digests(ENGINE *e, const EVP_MD **md, const int **nids, int nid)
{
	(void)e;
	if (!md) {
		*nids = eng_digest_nids;
		return (int)(sizeof(eng_digest_nids) /
			     sizeof(eng_digest_nids[0]));
	}
	*md = nid == NID_sha256 ? eng_sha256 : NULL;
	return *md != NULL;
}
