// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: the default provider's public-key pieces in the
 * private library context (sw.c): its keymgmt of each type, whose
 * parameter lists ours reuse, and digests for the hash part of a
 * signature.
 */
#include <pthread.h>
#include <openssl/evp.h>

#include "pk.h"

static pthread_mutex_t pk_sw_lock = PTHREAD_MUTEX_INITIALIZER;
static EVP_KEYMGMT *pk_sw_km[3];

EVP_KEYMGMT *aoff_pk_sw_keymgmt(enum aoff_pk_type type)
{
	EVP_KEYMGMT *km;
	OSSL_LIB_CTX *lc;

	pthread_mutex_lock(&pk_sw_lock);
	km = pk_sw_km[type];
	if (!km) {
		lc = aoff_sw_libctx();
		if (lc)
			km = EVP_KEYMGMT_fetch(lc, aoff_pkey_type_name(type),
					       NULL);
		pk_sw_km[type] = km;
	}
	pthread_mutex_unlock(&pk_sw_lock);
	if (!km)
		AOFF_RAISE(AOFF_R_NO_SOFTWARE, "the default provider's %s "
			   "keymgmt is not available",
			   aoff_pkey_type_name(type));
	return km;
}

EVP_MD *aoff_pk_sw_md(const char *name, const char *props)
{
	OSSL_LIB_CTX *lc = aoff_sw_libctx();
	EVP_MD *md;

	if (!lc)
		return NULL;
	md = EVP_MD_fetch(lc, name, props);
	if (!md)
		AOFF_RAISE(AOFF_R_UNSUPPORTED_DIGEST, "digest %s: not "
			   "available from the default provider", name);
	return md;
}

/* Before aoff_sw_cleanup(), which frees the library context. */
void aoff_pk_sw_cleanup(void)
{
	pthread_mutex_lock(&pk_sw_lock);
	for (size_t i = 0; i < 3; i++) {
		EVP_KEYMGMT_free(pk_sw_km[i]);
		pk_sw_km[i] = NULL;
	}
	pthread_mutex_unlock(&pk_sw_lock);
}
