// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: the default provider's implementations, in a private
 * library context, for the work that must not go to the device:
 *   - AES-CTR inside an async job (cipher.c): OpenSSL's CTR-DRBG runs its
 *     AES-256-CTR under the DRBG's lock, and a job that paused there would
 *     leave the lock held by a thread that goes on to run other jobs;
 *   - a SHA-256 stream (plain or HMAC, HMAC-SHA384/512 too) that finds
 *     every hash slot of its device context taken (hstream.c) keeps its
 *     state here instead;
 *   - HMAC with a digest other than SHA-256/384/512 (hmac.c);
 *   - operations the offload policy keeps in-process (policy.c): digests,
 *     ciphers and AEAD messages below the class's size;
 *   - the AEAD cases the device does not take (aead.c): IVs other than 12
 *     bytes, streamed messages, decryption without the tag up front;
 *   - the random invocation field of TLS 1.2 AES-GCM nonces (aead_tls.c).
 * The library context is ours alone, so nothing in it can fetch back into
 * asyncoff, whatever the application's properties and load order.
 */
#include <pthread.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <string.h>

#include "prov.h"

static pthread_mutex_t sw_lock = PTHREAD_MUTEX_INITIALIZER;
static OSSL_LIB_CTX *sw_libctx;
static int sw_failed;
static EVP_MD *sw_sha256;
static EVP_CIPHER *sw_ctr[3];	/* AES-128/192/256-CTR */

/* Any other algorithm, fetched by name once (the names are constants). */
#define SW_CACHE	24
static struct {
	const char *name;
	EVP_CIPHER *ci;
	EVP_MD *md;
} sw_cache[SW_CACHE];

/* Called with sw_lock held. */
static OSSL_LIB_CTX *sw_ctx_locked(void)
{
	if (!sw_libctx && !sw_failed) {
		sw_libctx = OSSL_LIB_CTX_new();
		if (sw_libctx && !OSSL_PROVIDER_load(sw_libctx, "default")) {
			OSSL_LIB_CTX_free(sw_libctx);
			sw_libctx = NULL;
		}
		/* Don't retry the load on every call. */
		sw_failed = !sw_libctx;
	}
	return sw_libctx;
}

OSSL_LIB_CTX *aoff_sw_libctx(void)
{
	OSSL_LIB_CTX *lc;

	pthread_mutex_lock(&sw_lock);
	lc = sw_ctx_locked();
	pthread_mutex_unlock(&sw_lock);
	return lc;
}

const EVP_MD *aoff_sw_sha256(void)
{
	const EVP_MD *md;

	pthread_mutex_lock(&sw_lock);
	if (!sw_sha256 && sw_ctx_locked())
		sw_sha256 = EVP_MD_fetch(sw_libctx, "SHA2-256", NULL);
	md = sw_sha256;
	pthread_mutex_unlock(&sw_lock);
	if (!md)
		AOFF_RAISE(AOFF_R_NO_SOFTWARE, "the default provider's "
			   "SHA-256 is not available");
	return md;
}

const EVP_CIPHER *aoff_sw_aes_ctr(size_t keylen)
{
	static const char *const names[3] = {
		"AES-128-CTR", "AES-192-CTR", "AES-256-CTR",
	};
	const EVP_CIPHER *ci = NULL;
	size_t i = (keylen - 16) / 8;

	if (keylen != 16 && keylen != 24 && keylen != 32)
		return NULL;
	pthread_mutex_lock(&sw_lock);
	if (!sw_ctr[i] && sw_ctx_locked())
		sw_ctr[i] = EVP_CIPHER_fetch(sw_libctx, names[i], NULL);
	ci = sw_ctr[i];
	pthread_mutex_unlock(&sw_lock);
	if (!ci)
		AOFF_RAISE(AOFF_R_NO_SOFTWARE, "the default provider's %s is "
			   "not available", names[i]);
	return ci;
}

/* @md: a digest, else a cipher.  Fetched once, kept until cleanup. */
static void *sw_fetch(const char *name, int md)
{
	void *alg = NULL;
	size_t i;

	pthread_mutex_lock(&sw_lock);
	for (i = 0; i < SW_CACHE && sw_cache[i].name; i++) {
		if (!strcmp(sw_cache[i].name, name) &&
		    (md ? !!sw_cache[i].md : !!sw_cache[i].ci)) {
			alg = md ? (void *)sw_cache[i].md :
				   (void *)sw_cache[i].ci;
			goto out;
		}
	}
	if (i == SW_CACHE || !sw_ctx_locked())
		goto out;
	if (md) {
		sw_cache[i].md = EVP_MD_fetch(sw_libctx, name, NULL);
		alg = sw_cache[i].md;
	} else {
		sw_cache[i].ci = EVP_CIPHER_fetch(sw_libctx, name, NULL);
		alg = sw_cache[i].ci;
	}
	if (alg)
		sw_cache[i].name = name;
out:
	pthread_mutex_unlock(&sw_lock);
	if (!alg)
		AOFF_RAISE(AOFF_R_NO_SOFTWARE, "the default provider's %s is "
			   "not available", name);
	return alg;
}

const EVP_CIPHER *aoff_sw_cipher(const char *name)
{
	return sw_fetch(name, 0);
}

const EVP_MD *aoff_sw_md(const char *name)
{
	return sw_fetch(name, 1);
}

int aoff_sw_rand(uint8_t *buf, size_t len)
{
	OSSL_LIB_CTX *lc = aoff_sw_libctx();

	/* Our own library context's DRBG: never a cipher of ours. */
	if (!lc || RAND_bytes_ex(lc, buf, len, 0) <= 0) {
		AOFF_RAISE(AOFF_R_NO_SOFTWARE, "random bytes from the default "
			   "provider");
		return 0;
	}
	return 1;
}

void aoff_sw_cleanup(void)
{
	pthread_mutex_lock(&sw_lock);
	for (size_t i = 0; i < SW_CACHE; i++) {
		EVP_CIPHER_free(sw_cache[i].ci);
		EVP_MD_free(sw_cache[i].md);
		memset(&sw_cache[i], 0, sizeof(sw_cache[i]));
	}
	EVP_MD_free(sw_sha256);
	sw_sha256 = NULL;
	for (size_t i = 0; i < 3; i++) {
		EVP_CIPHER_free(sw_ctr[i]);
		sw_ctr[i] = NULL;
	}
	OSSL_LIB_CTX_free(sw_libctx);
	sw_libctx = NULL;
	sw_failed = 0;
	pthread_mutex_unlock(&sw_lock);
}
