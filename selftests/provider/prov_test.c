// SPDX-License-Identifier: Apache-2.0
/*
 * The asyncoff provider against OpenSSL's default provider: every
 * algorithm, random sizes (0 .. 1 MiB), random update chunks, copies and
 * re-inits mid-stream, inside async jobs (fd and callback mode) and out,
 * and the error when there is no device; hundreds of streams open at once
 * on a thread or in a job (more than the hash slots), TLS 1.2 handshakes
 * stepped round-robin, and the first RAND_bytes of many jobs per thread
 * in every property and load-order configuration.  Output: TAP.
 *
 *   prov_test [--seed N] [--quick]     with the device
 *   prov_test --no-device              ASYNCOFF_DEVICE names no device
 *
 * Needs OPENSSL_MODULES or --modules DIR for asyncoff.so.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/async.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#define PTEST_PREFIX "provider"
#include "ptest.h"

#define MiB		(1024 * 1024)
#define DUP_MAX		(64 * 1024)	/* the provider's default dup_max */

static OSSL_LIB_CTX *libctx;
static int quick;

/* A message length: mostly small, sometimes up to 1 MiB. */
static size_t rnd_len(void)
{
	switch (rnd_below(10)) {
	case 0: case 1: case 2:
		return rnd_below(200);
	case 3: case 4: case 5:
		return rnd_below(4097);
	case 6: case 7: case 8:
		return rnd_below(65537);
	default:
		return rnd_below((quick ? MiB / 8 : MiB) + 1);
	}
}

static size_t rnd_chunk(size_t left)
{
	size_t c;

	switch (rnd_below(5)) {
	case 0:
		c = rnd_below(18);
		break;
	case 1:
		c = rnd_below(130);
		break;
	case 2:
		c = rnd_below(5000);
		break;
	case 3:
		c = rnd_below(70000);
		break;
	default:
		c = left;
	}
	return c < left ? c : left;
}

/* ---------------------------------------------------------------- digest */

/* The first error on the queue is the provider's with this reason. */
static int expect_reason(const char *what)
{
	unsigned long e = ERR_peek_error();
	const char *r = ERR_reason_error_string(e);

	if (!r || !strstr(r, what))
		return fail("expected \"%s\", got \"%s\"", what, r ? r : "");
	ERR_clear_error();
	return 1;
}

static EVP_MD *md_aoff, *md_def;
static EVP_MAC *mac_aoff, *mac_def;

/*
 * Bytes a stream of @blk-byte blocks has sent the device after @pos
 * message bytes (@prefix: HMAC's K0 ^ ipad block).
 */
static size_t sent_after(size_t pos, size_t prefix, size_t blk)
{
	return pos > blk ? prefix + ((pos - 1) / blk) * blk : 0;
}

static int digest_stream(size_t len, int allow_dup)
{
	unsigned char *msg = malloc(len + 1), da[32], db[32];
	EVP_MD_CTX *a = EVP_MD_CTX_new(), *b = EVP_MD_CTX_new();
	unsigned int la = 0, lb = 0;
	size_t pos = 0, start = 0;
	int ok = 0;

	rnd_fill(msg, len);
	if (!msg || !a || !b || !EVP_DigestInit_ex(a, md_aoff, NULL) ||
	    !EVP_DigestInit_ex(b, md_def, NULL)) {
		fail("digest init");
		goto out;
	}
	while (pos < len) {
		size_t c = rnd_chunk(len - pos);

		if (!EVP_DigestUpdate(a, msg + pos, c) ||
		    !EVP_DigestUpdate(b, msg + pos, c)) {
			fail("update of %zu at %zu (len %zu)", c, pos, len);
			goto out;
		}
		pos += c;
		if (allow_dup && !rnd_below(8)) {
			/*
			 * Copy; the copy goes on and finishes first.  Past
			 * dup_max the original cannot get the state back
			 * (it is the copy's now) and must say so.
			 */
			EVP_MD_CTX *a2 = EVP_MD_CTX_new(), *b2 = EVP_MD_CTX_new();
			int lost = sent_after(pos - start, 0, 64) > DUP_MAX;
			size_t c2 = rnd_chunk(len - pos);
			int r = EVP_MD_CTX_copy_ex(a2, a) &&
				EVP_MD_CTX_copy_ex(b2, b) &&
				EVP_DigestUpdate(a2, msg + pos, c2) &&
				EVP_DigestUpdate(b2, msg + pos, c2) &&
				EVP_DigestFinal_ex(a2, da, &la) &&
				EVP_DigestFinal_ex(b2, db, &lb) &&
				la == 32 && !memcmp(da, db, 32);

			EVP_MD_CTX_free(a2);
			EVP_MD_CTX_free(b2);
			if (!r) {
				fail("copy at %zu failed or differs", pos);
				goto out;
			}
			if (lost) {
				if (EVP_DigestFinal_ex(a, da, &la)) {
					fail("original went on after its copy "
					     "took the state at %zu", pos);
					goto out;
				}
				if (!expect_reason("out of reach"))
					goto out;
				ok = 1;
				goto out;
			}
		}
		if (!rnd_below(40)) {
			/* Re-init: a new message from here. */
			if (!EVP_DigestInit_ex(a, NULL, NULL) ||
			    !EVP_DigestInit_ex(b, NULL, NULL)) {
				fail("re-init");
				goto out;
			}
			start = pos;
		}
	}
	if (!EVP_DigestFinal_ex(a, da, &la) || !EVP_DigestFinal_ex(b, db, &lb)) {
		fail("final (len %zu)", len);
		goto out;
	}
	if (la != lb || memcmp(da, db, 32)) {
		fail("digest of %zu bytes differs", len);
		goto out;
	}
	ok = 1;
out:
	free(msg);
	EVP_MD_CTX_free(a);
	EVP_MD_CTX_free(b);
	return ok;
}

static int t_sha256_edges(void)
{
	static const size_t sz[] = { 0, 1, 55, 56, 63, 64, 65, 127, 128, 129,
				     4096, 16383, 16384, 65536, 65537, MiB };

	for (size_t i = 0; i < sizeof(sz) / sizeof(sz[0]); i++)
		if (!digest_stream(sz[i], 0))
			return 0;
	return 1;
}

static int t_sha256_random(void)
{
	int n = quick ? 40 : 200;

	for (int i = 0; i < n; i++)
		if (!digest_stream(rnd_len(), 1))
			return 0;
	return 1;
}

/* One-shot API (EVP_Digest) and the digest's parameters. */
static int t_sha256_oneshot_params(void)
{
	unsigned char msg[1000], da[32], db[32];
	unsigned int la, lb;

	rnd_fill(msg, sizeof(msg));
	if (!EVP_Digest(msg, sizeof(msg), da, &la, md_aoff, NULL) ||
	    !EVP_Digest(msg, sizeof(msg), db, &lb, md_def, NULL) ||
	    la != lb || memcmp(da, db, la))
		return fail("EVP_Digest differs");
	if (EVP_MD_get_size(md_aoff) != 32 || EVP_MD_get_block_size(md_aoff) !=
	    64 || EVP_MD_get_flags(md_aoff) != EVP_MD_get_flags(md_def))
		return fail("size %d block %d flags %lx/%lx",
			    EVP_MD_get_size(md_aoff),
			    EVP_MD_get_block_size(md_aoff),
			    EVP_MD_get_flags(md_aoff),
			    EVP_MD_get_flags(md_def));
	return 1;
}

/* ------------------------------------------------------------------ HMAC */

/* The digest of the HMAC tests: SHA256, or SHA384/SHA512 for a while. */
static struct {
	const char *name;
	size_t size, blk;
} hmac_md = { "SHA256", 32, 64 };

static EVP_MAC_CTX *mac_new(EVP_MAC *mac, const unsigned char *key,
			    size_t keylen)
{
	EVP_MAC_CTX *c = EVP_MAC_CTX_new(mac);
	OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_DIGEST,
				       (char *)hmac_md.name, 0),
		OSSL_PARAM_END
	};

	if (c && !EVP_MAC_init(c, key, keylen, p)) {
		EVP_MAC_CTX_free(c);
		return NULL;
	}
	return c;
}

static int mac_final_cmp(EVP_MAC_CTX *a, EVP_MAC_CTX *b, const char *what)
{
	unsigned char ma[64], mb[64];
	size_t la = 0, lb = 0, n = hmac_md.size;

	if (!EVP_MAC_final(a, ma, &la, sizeof(ma)) ||
	    !EVP_MAC_final(b, mb, &lb, sizeof(mb)))
		return fail("%s: final failed", what);
	if (la != n || lb != n || memcmp(ma, mb, n))
		return fail("%s: MAC differs", what);
	return 1;
}

static int hmac_stream(size_t keylen, size_t len, int allow_dup)
{
	unsigned char *key = malloc(keylen + 1), *msg = malloc(len + 1);
	EVP_MAC_CTX *a = NULL, *b = NULL;
	size_t pos = 0, start = 0;
	int ok = 0;

	rnd_fill(key, keylen);
	rnd_fill(msg, len);
	a = mac_new(mac_aoff, key, keylen);
	b = mac_new(mac_def, key, keylen);
	if (!a || !b) {
		fail("HMAC init, key %zu", keylen);
		goto out;
	}
	while (pos < len) {
		size_t c = rnd_chunk(len - pos);

		if (!EVP_MAC_update(a, msg + pos, c) ||
		    !EVP_MAC_update(b, msg + pos, c)) {
			fail("HMAC update");
			goto out;
		}
		pos += c;
		if (allow_dup && !rnd_below(8)) {
			/* As for the digest: the copy goes on first. */
			EVP_MAC_CTX *a2 = EVP_MAC_CTX_dup(a);
			EVP_MAC_CTX *b2 = EVP_MAC_CTX_dup(b);
			int lost = sent_after(pos - start, hmac_md.blk,
					      hmac_md.blk) > DUP_MAX;
			size_t c2 = rnd_chunk(len - pos);
			int r = a2 && b2 && EVP_MAC_update(a2, msg + pos, c2) &&
				EVP_MAC_update(b2, msg + pos, c2) &&
				mac_final_cmp(a2, b2, "HMAC dup");

			EVP_MAC_CTX_free(a2);
			EVP_MAC_CTX_free(b2);
			if (!r) {
				fail("HMAC copy at %zu failed or differs", pos);
				goto out;
			}
			if (lost) {
				unsigned char m[64];
				size_t ml;

				if (EVP_MAC_final(a, m, &ml, sizeof(m))) {
					fail("original HMAC went on after its "
					     "copy took the state at %zu", pos);
					goto out;
				}
				if (!expect_reason("out of reach"))
					goto out;
				ok = 1;
				goto out;
			}
		}
		if (!rnd_below(40)) {
			/* Re-init with the same key (NULL key) or a new one. */
			unsigned char nk[300];
			size_t nkl = rnd_below(2) ? rnd_below(sizeof(nk)) : 0;

			rnd_fill(nk, nkl);
			if (!EVP_MAC_init(a, nkl ? nk : NULL, nkl, NULL) ||
			    !EVP_MAC_init(b, nkl ? nk : NULL, nkl, NULL)) {
				fail("HMAC re-init (new key: %zu bytes)", nkl);
				goto out;
			}
			start = pos;
		}
	}
	if (!mac_final_cmp(a, b, "HMAC"))
		goto out;
	ok = 1;
out:
	if (!ok)
		snprintf(failmsg + strlen(failmsg),
			 sizeof(failmsg) - strlen(failmsg),
			 " (HMAC-%s, key %zu, len %zu)", hmac_md.name, keylen,
			 len);
	free(key);
	free(msg);
	EVP_MAC_CTX_free(a);
	EVP_MAC_CTX_free(b);
	return ok;
}

static int t_hmac_edges(void)
{
	static const size_t keys[] = { 0, 1, 20, 32, 63, 64, 65, 131, 4096,
				       5000 };
	static const size_t sz[] = { 0, 1, 13, 63, 64, 65, 128, 129, 16384 };

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		for (size_t i = 0; i < sizeof(sz) / sizeof(sz[0]); i++)
			if (!hmac_stream(keys[k], sz[i], 0))
				return 0;
	return 1;
}

static int t_hmac_random(void)
{
	int n = quick ? 40 : 150;

	for (int i = 0; i < n; i++)
		if (!hmac_stream(rnd_below(200), rnd_len(), 1))
			return 0;
	return 1;
}

/*
 * HMAC with SHA-384 or SHA-512 (block 128): the edges around the block
 * and the key sizes, then random streams with copies and re-inits, all
 * against the default provider; with digest:0 (run.sh) every stream
 * reaches the device.
 */
static int hmac_other(const char *name, size_t size)
{
	static const size_t keys[] = { 0, 1, 48, 64, 127, 128, 129, 200,
				       4096 };
	static const size_t sz[] = { 0, 1, 111, 127, 128, 129, 256, 257,
				     16384 };
	long long s0 = submitted();
	int n = quick ? 30 : 100, ok = 1, streams = 0;

	hmac_md.name = name;
	hmac_md.size = size;
	hmac_md.blk = 128;
	for (size_t k = 0; ok && k < sizeof(keys) / sizeof(keys[0]); k++)
		for (size_t i = 0; ok && i < sizeof(sz) / sizeof(sz[0]); i++) {
			ok = hmac_stream(keys[k], sz[i], 0);
			streams++;
		}
	for (int i = 0; ok && i < n; i++) {
		ok = hmac_stream(rnd_below(300), rnd_len(), 1);
		streams++;
	}
	hmac_md.name = "SHA256";
	hmac_md.size = 32;
	hmac_md.blk = 64;
	if (!ok)
		return 0;
	printf("# HMAC-%s: %d streams, %lld device requests\n", name,
	       streams, s0 >= 0 ? submitted() - s0 : -1);
	if (s0 < 0)
		return fail("no %s to count device requests",
			    "submitted");
	if (submitted() - s0 < streams)
		return fail("HMAC-%s: %lld device requests for %d streams "
			    "with digest:0", name, submitted() - s0, streams);
	return 1;
}

static int t_hmac_sha384(void)
{
	return hmac_other("SHA384", 48);
}

static int t_hmac_sha512(void)
{
	return hmac_other("SHA512", 64);
}

/* RFC 4231's vectors (hmac_vectors.txt), streamed in random chunks. */
static const char *hmac_vec_file;

static int hmac_vec_run(const char *digest, const unsigned char *key,
			size_t keylen, const unsigned char *data,
			size_t datalen, const unsigned char *want,
			size_t wantlen, int n)
{
	OSSL_PARAM p[] = {
		OSSL_PARAM_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0),
		OSSL_PARAM_END
	};
	EVP_MAC_CTX *c = EVP_MAC_CTX_new(mac_aoff), *c2 = NULL;
	unsigned char out[64], out2[64];
	size_t pos = 0, l = 0, l2 = 0;
	int ok = c && EVP_MAC_init(c, key, keylen, p);

	while (ok && pos < datalen) {
		size_t k = rnd_below(datalen - pos + 1);

		ok = EVP_MAC_update(c, data + pos, k);
		pos += k;
	}
	/* A copy at the end finishes first; the original after it. */
	ok = ok && (c2 = EVP_MAC_CTX_dup(c)) &&
	     EVP_MAC_final(c2, out2, &l2, sizeof(out2)) &&
	     EVP_MAC_final(c, out, &l, sizeof(out));
	EVP_MAC_CTX_free(c);
	EVP_MAC_CTX_free(c2);
	if (!ok)
		return fail("vector %d (HMAC-%s) failed", n, digest);
	if (l < wantlen || memcmp(out, want, wantlen) || l2 != l ||
	    memcmp(out, out2, l))
		return fail("vector %d (HMAC-%s) differs", n, digest);
	return 1;
}

static int t_hmac_vectors(void)
{
	static unsigned char key[256], data[256], mac[64];
	char line[1024], digest[16] = "";
	size_t keylen = 0, datalen = 0, maclen = 0;
	long long s0 = submitted();
	int n = 0, have = 0, ok = 1;
	FILE *f;

	if (!hmac_vec_file) {
		skip_reason = "no --hmac-vectors FILE given";
		return 1;
	}
	f = fopen(hmac_vec_file, "r");
	if (!f)
		return fail("cannot open %s", hmac_vec_file);
	while (ok) {
		char *got = fgets(line, sizeof(line), f), *val;

		if (!got || line[0] == '\n') {
			if (have) {
				n++;
				ok = hmac_vec_run(digest, key, keylen, data,
						  datalen, mac, maclen, n);
			}
			have = 0;
			if (!got)
				break;
			continue;
		}
		val = ptest_vec_split(line);
		if (!val)
			continue;
		have = 1;
		if (!strcmp(line, "Digest"))
			snprintf(digest, sizeof(digest), "%s", val);
		else if (!strcmp(line, "Key"))
			ok = unhex(val, key, sizeof(key), &keylen);
		else if (!strcmp(line, "Data"))
			ok = unhex(val, data, sizeof(data), &datalen);
		else if (!strcmp(line, "MAC"))
			ok = unhex(val, mac, sizeof(mac), &maclen);
		if (!ok)
			fail("bad line in %s: %s", hmac_vec_file, line);
	}
	fclose(f);
	if (!ok)
		return 0;
	printf("# %d HMAC vectors, %lld device requests\n", n,
	       s0 >= 0 ? submitted() - s0 : -1);
	if (n < 14)
		return fail("only %d vectors in %s", n, hmac_vec_file);
	if (s0 >= 0 && submitted() - s0 < n)
		return fail("with digest:0 the vectors made %lld device "
			    "requests for %d vectors", submitted() - s0, n);
	return 1;
}

/* EVP_Q_mac and the size parameter. */
static int t_hmac_oneshot(void)
{
	unsigned char key[40], msg[300], ma[64], mb[64];
	size_t la = 0, lb = 0;

	rnd_fill(key, sizeof(key));
	rnd_fill(msg, sizeof(msg));
	if (!EVP_Q_mac(libctx, "HMAC", "provider=asyncoff", "SHA256", NULL,
		       key, sizeof(key), msg, sizeof(msg), ma, sizeof(ma),
		       &la) ||
	    !EVP_Q_mac(libctx, "HMAC", "provider=default", "SHA256", NULL,
		       key, sizeof(key), msg, sizeof(msg), mb, sizeof(mb),
		       &lb) ||
	    la != lb || memcmp(ma, mb, la))
		return fail("EVP_Q_mac differs");
	/* SHA-384: on the device too (hstream.c). */
	if (!EVP_Q_mac(libctx, "HMAC", "provider=asyncoff", "SHA384", NULL,
		       key, sizeof(key), msg, sizeof(msg), ma, sizeof(ma),
		       &la) ||
	    !EVP_Q_mac(libctx, "HMAC", "provider=default", "SHA384", NULL,
		       key, sizeof(key), msg, sizeof(msg), mb, sizeof(mb),
		       &lb) ||
	    la != 48 || la != lb || memcmp(ma, mb, la))
		return fail("HMAC-SHA384 differs");
	/* Other digests: the default provider's HMAC, behind ours. */
	if (!EVP_Q_mac(libctx, "HMAC", "provider=asyncoff", "SHA1", NULL,
		       key, sizeof(key), msg, sizeof(msg), ma, sizeof(ma),
		       &la) ||
	    !EVP_Q_mac(libctx, "HMAC", "provider=default", "SHA1", NULL,
		       key, sizeof(key), msg, sizeof(msg), mb, sizeof(mb),
		       &lb) ||
	    la != 20 || la != lb || memcmp(ma, mb, la))
		return fail("HMAC-SHA1 differs");
	return 1;
}

/* --------------------------------------------------------------- ciphers */

static const char *const cipher_names[] = {
	"AES-128-CBC", "AES-192-CBC", "AES-256-CBC",
	"AES-128-CTR", "AES-192-CTR", "AES-256-CTR",
};

struct cpair {
	EVP_CIPHER_CTX *a, *b;
};

/* Both contexts take the same step; outputs and return values must agree. */
static int c_update(struct cpair *p, const unsigned char *in, size_t n,
		    unsigned char *oa, unsigned char *ob, int *outl)
{
	int la = -1, lb = -1;
	int ra = EVP_CipherUpdate(p->a, oa, &la, in, (int)n);
	int rb = EVP_CipherUpdate(p->b, ob, &lb, in, (int)n);

	if (ra != rb)
		return fail("update(%zu) returned %d vs %d", n, ra, rb);
	if (ra && (la != lb || memcmp(oa, ob, (size_t)la)))
		return fail("update(%zu): %d bytes vs %d, or bytes differ", n,
			    la, lb);
	*outl = ra ? la : 0;
	return 1;
}

static int c_final(struct cpair *p, unsigned char *oa, unsigned char *ob,
		   int *res)
{
	int la = -1, lb = -1;
	int ra = EVP_CipherFinal_ex(p->a, oa, &la);
	int rb = EVP_CipherFinal_ex(p->b, ob, &lb);

	if (ra != rb)
		return fail("final returned %d vs %d", ra, rb);
	if (ra && (la != lb || memcmp(oa, ob, (size_t)la)))
		return fail("final: %d bytes vs %d", la, lb);
	*res = ra;
	ERR_clear_error();
	return 1;
}

static int c_ivs_equal(struct cpair *p)
{
	unsigned char ia[16], ib[16];

	if (!EVP_CIPHER_CTX_get_updated_iv(p->a, ia, 16) ||
	    !EVP_CIPHER_CTX_get_updated_iv(p->b, ib, 16) || memcmp(ia, ib, 16))
		return fail("updated IVs differ");
	if (!EVP_CIPHER_CTX_get_original_iv(p->a, ia, 16) ||
	    !EVP_CIPHER_CTX_get_original_iv(p->b, ib, 16) || memcmp(ia, ib, 16))
		return fail("original IVs differ");
	if (EVP_CIPHER_CTX_get_num(p->a) != EVP_CIPHER_CTX_get_num(p->b))
		return fail("num %d vs %d", EVP_CIPHER_CTX_get_num(p->a),
			    EVP_CIPHER_CTX_get_num(p->b));
	return 1;
}

/* One stream through both providers with random steps. */
static int cipher_stream(EVP_CIPHER *ca, EVP_CIPHER *cb, int enc, int pad,
			 size_t len)
{
	size_t keylen = (size_t)EVP_CIPHER_get_key_length(ca);
	unsigned char key[32], iv[16];
	unsigned char *in = malloc(len + 16), *oa = malloc(len + 64),
		      *ob = malloc(len + 64);
	struct cpair p = { EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_new() };
	size_t pos = 0;
	int outl, res, ok = 0;
	int cbc = EVP_CIPHER_get_mode(ca) == EVP_CIPH_CBC_MODE;

	rnd_fill(key, sizeof(key));
	rnd_fill(iv, sizeof(iv));
	rnd_fill(in, len);
	if (!enc && pad && cbc && len && rnd_below(4)) {
		/* Mostly valid padded ciphertext, made by the default. */
		EVP_CIPHER_CTX *e = EVP_CIPHER_CTX_new();
		int l1 = 0, l2 = 0;
		size_t plen = len > 16 ? len - 1 - rnd_below(16) : 0;

		EVP_EncryptInit_ex2(e, cb, key, iv, NULL);
		EVP_EncryptUpdate(e, in, &l1, in, (int)plen);
		EVP_EncryptFinal_ex(e, in + l1, &l2);
		EVP_CIPHER_CTX_free(e);
		len = (size_t)(l1 + l2);
	}
	if (!in || !oa || !ob || !p.a || !p.b ||
	    !EVP_CipherInit_ex2(p.a, ca, key, iv, enc, NULL) ||
	    !EVP_CipherInit_ex2(p.b, cb, key, iv, enc, NULL)) {
		fail("cipher init");
		goto out;
	}
	EVP_CIPHER_CTX_set_padding(p.a, pad);
	EVP_CIPHER_CTX_set_padding(p.b, pad);
	while (pos < len) {
		size_t c = rnd_chunk(len - pos);

		if (!c_update(&p, in + pos, c, oa, ob, &outl))
			goto out;
		pos += c;
		if (!c_ivs_equal(&p))
			goto out;
		if (!rnd_below(10)) {
			/* Copy, carry both copies on, keep the originals. */
			struct cpair q = { EVP_CIPHER_CTX_new(),
					   EVP_CIPHER_CTX_new() };
			size_t c2 = rnd_chunk(len - pos);
			int r = EVP_CIPHER_CTX_copy(q.a, p.a) &&
				EVP_CIPHER_CTX_copy(q.b, p.b) &&
				c_update(&q, in + pos, c2, oa, ob, &outl) &&
				c_final(&q, oa, ob, &res);

			EVP_CIPHER_CTX_free(q.a);
			EVP_CIPHER_CTX_free(q.b);
			if (!r) {
				if (!failmsg[0])
					fail("copy");
				goto out;
			}
		}
		if (!rnd_below(25)) {
			/* Re-init: a new IV, a new key, or neither. */
			unsigned char nk[32], niv[16];
			int what = (int)rnd_below(3);

			rnd_fill(nk, sizeof(nk));
			rnd_fill(niv, sizeof(niv));
			if (!EVP_CipherInit_ex2(p.a, NULL, what == 1 ? nk : NULL,
						what == 0 ? niv : NULL, enc,
						NULL) ||
			    !EVP_CipherInit_ex2(p.b, NULL, what == 1 ? nk : NULL,
						what == 0 ? niv : NULL, enc,
						NULL)) {
				fail("re-init");
				goto out;
			}
			if (!c_ivs_equal(&p))
				goto out;
		}
	}
	if (!c_final(&p, oa, ob, &res) || !c_ivs_equal(&p))
		goto out;
	ok = 1;
out:
	if (!ok)
		snprintf(failmsg + strlen(failmsg),
			 sizeof(failmsg) - strlen(failmsg),
			 " (%s %s pad %d len %zu keylen %zu)",
			 EVP_CIPHER_get0_name(ca), enc ? "enc" : "dec", pad,
			 len, keylen);
	free(in);
	free(oa);
	free(ob);
	EVP_CIPHER_CTX_free(p.a);
	EVP_CIPHER_CTX_free(p.b);
	return ok;
}

static int t_cipher(const char *name)
{
	EVP_CIPHER *ca = EVP_CIPHER_fetch(libctx, name, "provider=asyncoff");
	EVP_CIPHER *cb = EVP_CIPHER_fetch(libctx, name, "provider=default");
	static const size_t edge[] = { 0, 1, 15, 16, 17, 31, 32, 33, 16384,
				       65536 + 7 };
	int n = quick ? 12 : 40, ok = 0;

	if (!ca || !cb) {
		fail("fetch %s", name);
		goto out;
	}
	if (EVP_CIPHER_get_block_size(ca) != EVP_CIPHER_get_block_size(cb) ||
	    EVP_CIPHER_get_key_length(ca) != EVP_CIPHER_get_key_length(cb) ||
	    EVP_CIPHER_get_iv_length(ca) != EVP_CIPHER_get_iv_length(cb) ||
	    EVP_CIPHER_get_mode(ca) != EVP_CIPHER_get_mode(cb) ||
	    EVP_CIPHER_get_flags(ca) != EVP_CIPHER_get_flags(cb)) {
		fail("%s parameters differ (flags %lx vs %lx)", name,
		     EVP_CIPHER_get_flags(ca), EVP_CIPHER_get_flags(cb));
		goto out;
	}
	for (int enc = 0; enc < 2; enc++) {
		for (int pad = 0; pad < 2; pad++) {
			for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]);
			     i++)
				if (!cipher_stream(ca, cb, enc, pad, edge[i]))
					goto out;
			for (int i = 0; i < n; i++) {
				size_t len = rnd_len();

				if (!pad && !rnd_below(2))
					len -= len % 16;
				if (!cipher_stream(ca, cb, enc, pad, len))
					goto out;
			}
		}
	}
	ok = 1;
out:
	EVP_CIPHER_free(ca);
	EVP_CIPHER_free(cb);
	return ok;
}

/* ------------------------------------------------------------ async jobs */

struct job_arg {
	int kind;		/* 0 digest, 1 HMAC, 2 cipher */
	size_t len;
	const unsigned char *msg;
	unsigned char out[64 + 1024 * 64];
	size_t outlen;
	int ok;
};

/* What every job computes, through the provider selected by @propq. */
static int job_work(struct job_arg *a, const char *propq)
{
	static const unsigned char key[32] = "0123456789abcdef0123456789abcde";
	int ok = 0;

	if (a->kind == 0) {
		EVP_MD *md = EVP_MD_fetch(libctx, "SHA256", propq);
		EVP_MD_CTX *c = EVP_MD_CTX_new();
		unsigned int l = 0;
		size_t half = a->len / 2;

		ok = md && c && EVP_DigestInit_ex(c, md, NULL) &&
		     EVP_DigestUpdate(c, a->msg, half) &&
		     EVP_DigestUpdate(c, a->msg + half, a->len - half) &&
		     EVP_DigestFinal_ex(c, a->out, &l);
		a->outlen = l;
		EVP_MD_CTX_free(c);
		EVP_MD_free(md);
	} else if (a->kind == 1) {
		EVP_MAC *mac = EVP_MAC_fetch(libctx, "HMAC", propq);
		EVP_MAC_CTX *c = mac ? mac_new(mac, key, 20) : NULL;

		ok = c && EVP_MAC_update(c, a->msg, a->len) &&
		     EVP_MAC_final(c, a->out, &a->outlen, 32);
		EVP_MAC_CTX_free(c);
		EVP_MAC_free(mac);
	} else {
		EVP_CIPHER *ci = EVP_CIPHER_fetch(libctx, "AES-128-CBC", propq);
		EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
		int l1 = 0, l2 = 0;

		ok = ci && c &&
		     EVP_EncryptInit_ex2(c, ci, key, key + 16, NULL) &&
		     EVP_EncryptUpdate(c, a->out, &l1, a->msg, (int)a->len) &&
		     EVP_EncryptFinal_ex(c, a->out + l1, &l2);
		a->outlen = (size_t)(l1 + l2);
		EVP_CIPHER_CTX_free(c);
		EVP_CIPHER_free(ci);
	}
	return ok;
}

static int job_fn(void *varg)
{
	struct job_arg *a = *(struct job_arg **)varg;

	a->ok = job_work(a, "provider=asyncoff");
	return a->ok;
}

static int cb_fired[64];

static int job_cb(void *arg)
{
	__atomic_store_n((int *)arg, 1, __ATOMIC_RELEASE);
	return 1;
}

/*
 * @nj jobs at once, each with its own wait ctx, driven as openssl speed
 * does: fd mode polls every wait ctx's fds; callback mode resumes a job
 * when its callback ran (or it said EAGAIN).
 */
static int run_jobs(int nj, int cbmode, int rounds)
{
	ASYNC_JOB *job[64] = { 0 };
	ASYNC_WAIT_CTX *w[64] = { 0 };
	struct job_arg *args[64] = { 0 }, *ap;
	unsigned char *msg = malloc(70000);
	long pauses = 0;
	time_t progress = time(NULL);
	int ok = 0, done = 0, total = nj * rounds, started = 0, live = 0;

	rnd_fill(msg, 70000);
	for (int i = 0; i < nj; i++) {
		w[i] = ASYNC_WAIT_CTX_new();
		args[i] = calloc(1, sizeof(*args[i]));
		if (!w[i] || !args[i]) {
			fail("alloc");
			goto out;
		}
		if (cbmode)
			ASYNC_WAIT_CTX_set_callback(w[i], job_cb, &cb_fired[i]);
	}
	while (done < total) {
		struct pollfd pfd[64];
		int np = 0;

		for (int i = 0; i < nj; i++) {
			int ret, r;

			if (!job[i]) {
				if (started == total)
					continue;
				/* A new operation in this slot. */
				args[i]->kind = (int)rnd_below(3);
				args[i]->len = rnd_below(4) ? rnd_below(2000) :
					       rnd_below(65000);
				args[i]->msg = msg + rnd_below(1000);
				args[i]->ok = -1;
				started++;
				live++;
			} else if (cbmode) {
				int st = ASYNC_WAIT_CTX_get_status(w[i]);

				if (st == ASYNC_STATUS_UNSUPPORTED) {
					fail("callback mode unsupported");
					goto out;
				}
				if (!__atomic_exchange_n(&cb_fired[i], 0,
							 __ATOMIC_ACQ_REL) &&
				    st != ASYNC_STATUS_EAGAIN)
					continue;
			}
			ap = args[i];
			ret = ASYNC_start_job(&job[i], w[i], &r, job_fn, &ap,
					      sizeof(ap));
			if (ret == ASYNC_PAUSE) {
				pauses++;
				continue;
			}
			if (ret != ASYNC_FINISH) {
				fail("ASYNC_start_job: %d", ret);
				goto out;
			}
			job[i] = NULL;
			live--;
			done++;
			progress = time(NULL);
			{
				/* Same work in this thread, default provider. */
				struct job_arg *ref = calloc(1, sizeof(*ref));

				ref->kind = args[i]->kind;
				ref->len = args[i]->len;
				ref->msg = args[i]->msg;
				if (!args[i]->ok || !job_work(ref,
							"provider=default") ||
				    ref->outlen != args[i]->outlen ||
				    memcmp(ref->out, args[i]->out, ref->outlen)) {
					fail("job kind %d len %zu: %s",
					     ref->kind, ref->len, args[i]->ok ?
					     "result differs" : "failed");
					free(ref);
					goto out;
				}
				free(ref);
			}
		}
		if (!live)
			continue;
		if (cbmode) {
			/* The dispatcher thread calls back; don't spin hard. */
			struct timespec ts = { 0, 200000 };

			if (time(NULL) - progress > 10) {
				fail("callback mode: no job finished in 10 s");
				goto out;
			}
			nanosleep(&ts, NULL);
			continue;
		}
		for (int i = 0; i < nj; i++) {
			OSSL_ASYNC_FD fds[4];
			size_t nfd = 0;

			if (!job[i])
				continue;
			if (!ASYNC_WAIT_CTX_get_all_fds(w[i], NULL, &nfd) ||
			    nfd > 1) {
				fail("wait ctx has %zu fds", nfd);
				goto out;
			}
			ASYNC_WAIT_CTX_get_all_fds(w[i], fds, &nfd);
			if (nfd) {
				pfd[np].fd = fds[0];
				pfd[np].events = POLLIN;
				np++;
			}
		}
		if (np && poll(pfd, (nfds_t)np, 5000) == 0) {
			fail("no completion within 5 s");
			goto out;
		}
	}
	if (!pauses) {
		fail("no job ever paused");
		goto out;
	}
	printf("# %d jobs, %s mode: %d operations, %ld pauses\n", nj,
	       cbmode ? "callback" : "fd", total, pauses);
	ok = 1;
out:
	for (int i = 0; i < nj; i++) {
		if (job[i]) {
			/* Finish an abandoned job before freeing its ctx. */
			int r;

			ap = args[i];
			while (ASYNC_start_job(&job[i], w[i], &r, job_fn, &ap,
					       sizeof(ap)) == ASYNC_PAUSE)
				;
		}
		ASYNC_WAIT_CTX_free(w[i]);
		free(args[i]);
	}
	free(msg);
	return ok;
}

static int t_async_fd(void)
{
	return run_jobs(16, 0, quick ? 4 : 12);
}

static int t_async_callback(void)
{
	return run_jobs(8, 1, quick ? 3 : 8);
}

/* A digest stream started outside a job, continued in one, ended out. */
static EVP_MD_CTX *move_ctx;
static const unsigned char *move_msg;

static int move_fn(void *arg)
{
	(void)arg;
	return EVP_DigestUpdate(move_ctx, move_msg + 1000, 3000);
}

static int t_async_move(void)
{
	unsigned char msg[5000], da[32], db[32];
	unsigned int l;
	ASYNC_JOB *job = NULL;
	ASYNC_WAIT_CTX *w = ASYNC_WAIT_CTX_new();
	int r = 0, ret;

	rnd_fill(msg, sizeof(msg));
	move_msg = msg;
	move_ctx = EVP_MD_CTX_new();
	if (!EVP_DigestInit_ex(move_ctx, md_aoff, NULL) ||
	    !EVP_DigestUpdate(move_ctx, msg, 1000))
		return fail("start outside");
	while ((ret = ASYNC_start_job(&job, w, &r, move_fn, NULL, 0)) ==
	       ASYNC_PAUSE) {
		struct pollfd pfd = { .events = POLLIN };
		size_t n = 1;

		ASYNC_WAIT_CTX_get_all_fds(w, &pfd.fd, &n);
		poll(&pfd, 1, 5000);
	}
	if (ret != ASYNC_FINISH || !r)
		return fail("update inside the job failed");
	ASYNC_WAIT_CTX_free(w);
	/* The wait ctx (and its device context) is gone: replay again. */
	if (!EVP_DigestUpdate(move_ctx, msg + 4000, 1000) ||
	    !EVP_DigestFinal_ex(move_ctx, da, &l))
		return fail("finish outside");
	EVP_MD_CTX_free(move_ctx);
	if (!EVP_Digest(msg, sizeof(msg), db, &l, md_def, NULL) ||
	    memcmp(da, db, 32))
		return fail("moved stream's digest differs");
	return 1;
}

/* ------------------------------------------- many streams, locks, RAND */

/*
 * Run @fn(@arg) as one async job to its end, resuming it whenever its
 * wait ctx's fd is readable.  Returns fn's result, 0 when the job failed.
 */
static int run_in_job(int (*fn)(void *), void *arg)
{
	ASYNC_WAIT_CTX *w = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int r = 0, ret;

	if (!w)
		return fail("wait ctx");
	while ((ret = ASYNC_start_job(&job, w, &r, fn, &arg, sizeof(arg))) ==
	       ASYNC_PAUSE) {
		struct pollfd pfd = { .events = POLLIN };
		size_t n = 1;

		if (ASYNC_WAIT_CTX_get_all_fds(w, &pfd.fd, &n) && n == 1)
			poll(&pfd, 1, 5000);
	}
	ASYNC_WAIT_CTX_free(w);
	if (ret != ASYNC_FINISH)
		return fail("ASYNC_start_job: %d", ret);
	return r;
}

#define NSTREAMS	300

/*
 * NSTREAMS SHA-256 and NSTREAMS HMAC-SHA256 streams open at once on the
 * calling thread (or job), each fed a chunk in turn, so that far more
 * streams are unfinished than a device context has hash slots; every
 * tenth stream is copied midway and the copy finished too.  Each result
 * against the default provider.
 */
static int many_streams(void *arg)
{
	EVP_MD_CTX **md = calloc(NSTREAMS, sizeof(*md));
	EVP_MAC_CTX **mac = calloc(NSTREAMS, sizeof(*mac));
	unsigned char *msg = malloc(4096);
	size_t *pos = calloc(NSTREAMS, sizeof(*pos));
	static const unsigned char key[20] = "many streams key....";
	int ok = 0;

	(void)arg;
	if (!md || !mac || !msg || !pos) {
		fail("alloc");
		goto out;
	}
	rnd_fill(msg, 4096);
	for (int i = 0; i < NSTREAMS; i++) {
		md[i] = EVP_MD_CTX_new();
		mac[i] = mac_new(mac_aoff, key, sizeof(key));
		if (!md[i] || !mac[i] || !EVP_DigestInit_ex(md[i], md_aoff,
							    NULL)) {
			fail("stream %d: init", i);
			goto out;
		}
	}
	/* Three rounds of 100..299 bytes each: every stream on the device. */
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < NSTREAMS; i++) {
			size_t n = 100 + (size_t)((i * 7 + round * 13) % 200);

			if (!EVP_DigestUpdate(md[i], msg + pos[i], n) ||
			    !EVP_MAC_update(mac[i], msg + pos[i], n)) {
				fail("stream %d round %d: update", i, round);
				goto out;
			}
			pos[i] += n;
		}
	}
	for (int i = 0; i < NSTREAMS; i++) {
		unsigned char a[32], b[32], c[32];
		unsigned int l;
		size_t ml;
		EVP_MD_CTX *cp = NULL;

		if (i % 10 == 0) {
			cp = EVP_MD_CTX_new();
			if (!cp || !EVP_MD_CTX_copy_ex(cp, md[i]) ||
			    !EVP_DigestFinal_ex(cp, c, &l)) {
				EVP_MD_CTX_free(cp);
				fail("stream %d: copy", i);
				goto out;
			}
			EVP_MD_CTX_free(cp);
		}
		if (!EVP_DigestFinal_ex(md[i], a, &l) ||
		    !EVP_Digest(msg, pos[i], b, &l, md_def, NULL) ||
		    memcmp(a, b, 32) || (i % 10 == 0 && memcmp(c, b, 32))) {
			fail("SHA-256 stream %d of %zu bytes differs", i,
			     pos[i]);
			goto out;
		}
		if (!EVP_MAC_final(mac[i], a, &ml, 32) ||
		    !EVP_Q_mac(libctx, "HMAC", "provider=default", "SHA256",
			       NULL, key, sizeof(key), msg, pos[i], b, 32,
			       &ml) || memcmp(a, b, 32)) {
			fail("HMAC stream %d of %zu bytes differs", i, pos[i]);
			goto out;
		}
	}
	ok = 1;
out:
	for (int i = 0; md && mac && i < NSTREAMS; i++) {
		EVP_MD_CTX_free(md[i]);
		EVP_MAC_CTX_free(mac[i]);
	}
	free(md);
	free(mac);
	free(msg);
	free(pos);
	return ok;
}

static int t_many_streams_thread(void)
{
	return many_streams(NULL);
}

static int many_streams_job(void *arg)
{
	return many_streams(*(void **)arg);
}

static int t_many_streams_job(void)
{
	return run_in_job(many_streams_job, NULL);
}

/*
 * AES-CTR in a job runs in-process and never pauses (the DRBG's reason,
 * provider.md): the random CTR streams inside one job, which must finish
 * at its first start; and one stream whose key stream crosses from the
 * device (outside a job) to in-process (in a job) and back, mid-block.
 */
static int ctr_in_job(void *arg)
{
	(void)arg;
	return t_cipher("AES-256-CTR") && t_cipher("AES-128-CTR");
}

static EVP_CIPHER_CTX *ctr_ctx;
static unsigned char ctr_buf[300];

static int ctr_mid(void *arg)
{
	int l = 0;

	(void)arg;
	return EVP_EncryptUpdate(ctr_ctx, ctr_buf + 37, &l, ctr_buf + 37,
				 100) && l == 100;
}

static int t_ctr_in_job(void)
{
	static const unsigned char key[32] = "ctr in a job, ctr in a job, ctr";
	/* Near a 16-bit wrap, so the counter carries inside the stream. */
	static const unsigned char iv[16] = { [14] = 0xff, [15] = 0xfe };
	unsigned char ref[sizeof(ctr_buf)];
	EVP_CIPHER *ca = EVP_CIPHER_fetch(libctx, "AES-256-CTR",
					  "provider=asyncoff");
	EVP_CIPHER *cb = EVP_CIPHER_fetch(libctx, "AES-256-CTR",
					  "provider=default");
	EVP_CIPHER_CTX *rc = EVP_CIPHER_CTX_new();
	ASYNC_WAIT_CTX *w = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	int ok = 0, r = 0, l = 0, ret;
	void *nul = NULL;

	ctr_ctx = EVP_CIPHER_CTX_new();
	if (!ca || !cb || !w || !ctr_ctx || !rc) {
		fail("setup");
		goto out;
	}
	ret = ASYNC_start_job(&job, w, &r, ctr_in_job, &nul,
			      sizeof(nul));
	if (ret != ASYNC_FINISH || !r) {
		if (ret == ASYNC_PAUSE)
			fail("AES-CTR paused inside a job");
		goto out;
	}
	rnd_fill(ctr_buf, sizeof(ctr_buf));
	memcpy(ref, ctr_buf, sizeof(ref));
	if (!EVP_EncryptInit_ex2(ctr_ctx, ca, key, iv, NULL) ||
	    !EVP_EncryptUpdate(ctr_ctx, ctr_buf, &l, ctr_buf, 37) ||
	    (ret = ASYNC_start_job(&job, w, &r, ctr_mid, &nul,
				   sizeof(nul))) != ASYNC_FINISH || !r ||
	    !EVP_EncryptUpdate(ctr_ctx, ctr_buf + 137, &l, ctr_buf + 137,
			       sizeof(ctr_buf) - 137) ||
	    !EVP_EncryptInit_ex2(rc, cb, key, iv, NULL) ||
	    !EVP_EncryptUpdate(rc, ref, &l, ref, (int)sizeof(ref))) {
		fail("device / job / device stream: %s",
		     ret == ASYNC_PAUSE ? "paused in the job" : "failed");
		goto out;
	}
	if (memcmp(ctr_buf, ref, sizeof(ref))) {
		fail("device / job / device stream differs");
		goto out;
	}
	ok = 1;
out:
	ASYNC_WAIT_CTX_free(w);
	EVP_CIPHER_CTX_free(ctr_ctx);
	EVP_CIPHER_CTX_free(rc);
	EVP_CIPHER_free(ca);
	EVP_CIPHER_free(cb);
	return ok;
}

/*
 * The first RAND_bytes of @nj jobs on one thread, all in flight at once:
 * each job draws, pauses on a SHA-256 on the device, draws again.  The
 * DRBG (created by the first draw) runs its AES-256-CTR under its lock,
 * from asyncoff when the properties prefer it or asyncoff was loaded
 * first; no job may pause there.
 */
struct rand_run {
	OSSL_LIB_CTX *lc;
	const char *propq;	/* the jobs' own fetches */
	int nj;
	int ok;
	char why[160];
};

static int rand_job(void *varg)
{
	struct rand_run *rr = *(struct rand_run **)varg;
	unsigned char buf[48], d[32], zero[48] = { 0 };
	EVP_MD *md = EVP_MD_fetch(rr->lc, "SHA256", rr->propq);
	unsigned int l;
	int ok;

	ok = RAND_bytes_ex(rr->lc, buf, 32, 0) > 0 && md &&
	     EVP_Digest(buf, sizeof(buf), d, &l, md, NULL) &&
	     RAND_priv_bytes_ex(rr->lc, buf, sizeof(buf), 0) > 0 &&
	     memcmp(buf, zero, sizeof(buf));
	EVP_MD_free(md);
	return ok;
}

static void *rand_thread(void *varg)
{
	struct rand_run *rr = varg;
	ASYNC_JOB *job[64] = { 0 };
	ASYNC_WAIT_CTX *w[64] = { 0 };
	int done = 0, res[64] = { 0 }, fin[64] = { 0 };

	rr->ok = 0;
	for (int i = 0; i < rr->nj; i++)
		if (!(w[i] = ASYNC_WAIT_CTX_new()))
			goto out;
	while (done < rr->nj) {
		struct pollfd pfd[64];
		int np = 0;

		for (int i = 0; i < rr->nj; i++) {
			int ret;

			if (fin[i])
				continue;
			ret = ASYNC_start_job(&job[i], w[i], &res[i],
					      rand_job, &rr, sizeof(rr));
			if (ret == ASYNC_PAUSE)
				continue;
			if (ret != ASYNC_FINISH || !res[i]) {
				unsigned long e = ERR_get_error();

				snprintf(rr->why, sizeof(rr->why),
					 "job %d of %d: %s", i, rr->nj,
					 ret != ASYNC_FINISH ? "not started" :
					 ERR_error_string(e, NULL));
				goto out;
			}
			fin[i] = 1;
			done++;
		}
		for (int i = 0; i < rr->nj; i++) {
			size_t n = 1;

			if (!fin[i] && ASYNC_WAIT_CTX_get_all_fds(w[i], NULL,
								  &n) &&
			    n == 1) {
				ASYNC_WAIT_CTX_get_all_fds(w[i], &pfd[np].fd,
							   &n);
				pfd[np++].events = POLLIN;
			}
		}
		if (np && poll(pfd, (nfds_t)np, 5000) == 0) {
			snprintf(rr->why, sizeof(rr->why),
				 "no completion within 5 s");
			goto out;
		}
	}
	rr->ok = 1;
out:
	for (int i = 0; i < rr->nj; i++) {
		while (job[i] && !fin[i] &&
		       ASYNC_start_job(&job[i], w[i], &res[i], rand_job, &rr,
				       sizeof(rr)) == ASYNC_PAUSE)
			;
		ASYNC_WAIT_CTX_free(w[i]);
	}
	return NULL;
}

/*
 * Every configuration: no default properties, preferring
 * (?provider=asyncoff, as HAProxy's ssl-propquery sets them), and the
 * jobs' own fetches strict (provider=asyncoff); asyncoff loaded before
 * default and after; one thread and two, 64 jobs each.  A fresh library
 * context each time, so that every draw is the thread's first.
 */
static int t_rand_first_in_jobs(void)
{
	static const char *const dflt[] = { NULL, "?provider=asyncoff", NULL };
	static const char *const job_pq[] = {
		NULL, NULL, "provider=asyncoff",
	};
	const char *modules = getenv("OPENSSL_MODULES");

	for (int cfg = 0; cfg < 3; cfg++) {
		for (int order = 0; order < 2; order++) {
			for (int nt = 1; nt <= 2; nt++) {
				OSSL_LIB_CTX *lc = OSSL_LIB_CTX_new();
				struct rand_run rr[2];
				pthread_t th[2];
				int ok = 1;

				if (!lc)
					return fail("libctx");
				if (modules)
					OSSL_PROVIDER_set_default_search_path(
						lc, modules);
				if (!OSSL_PROVIDER_load(lc, order ? "default" :
							"asyncoff") ||
				    !OSSL_PROVIDER_load(lc, order ? "asyncoff" :
							"default") ||
				    (dflt[cfg] &&
				     !EVP_set_default_properties(lc,
								 dflt[cfg]))) {
					OSSL_LIB_CTX_free(lc);
					return fail("providers");
				}
				for (int t = 0; t < nt; t++) {
					memset(&rr[t], 0, sizeof(rr[t]));
					rr[t].lc = lc;
					rr[t].propq = job_pq[cfg];
					rr[t].nj = 64;
					if (pthread_create(&th[t], NULL,
							   rand_thread, &rr[t]))
						return fail("pthread_create");
				}
				for (int t = 0; t < nt; t++) {
					pthread_join(th[t], NULL);
					if (!rr[t].ok && ok) {
						fail("%s, %s first, %d "
						     "thread(s): %s",
						     cfg == 0 ? "no properties" :
						     cfg == 1 ? "preferring" :
						     "strict jobs",
						     order ? "default" :
						     "asyncoff", nt, rr[t].why);
						ok = 0;
					}
				}
				OSSL_LIB_CTX_free(lc);
				if (!ok)
					return 0;
			}
		}
	}
	return 1;
}

/*
 * A synchronous TLS server's view: NTLS TLS 1.2 handshakes (client and
 * server in this process over BIO pairs) stepped round-robin on one
 * thread, every transcript hash and PRF HMAC from asyncoff (preferred by
 * the default properties).  Twice as many transcripts are open at once as
 * a device context has hash slots, and more; all must complete.
 */
#define NTLS	40

static int t_tls12_round_robin(void)
{
	const char *modules = getenv("OPENSSL_MODULES");
	OSSL_LIB_CTX *lc = OSSL_LIB_CTX_new();
	EVP_PKEY *pk = NULL;
	X509 *crt = NULL;
	SSL_CTX *sctx = NULL, *cctx = NULL;
	SSL *cl[NTLS] = { 0 }, *sv[NTLS] = { 0 };
	int ok = 0, done = 0, rounds = 0, fin[NTLS] = { 0 };

	if (!lc)
		return fail("libctx");
	if (modules)
		OSSL_PROVIDER_set_default_search_path(lc, modules);
	if (!OSSL_PROVIDER_load(lc, "asyncoff") ||
	    !OSSL_PROVIDER_load(lc, "default") ||
	    !EVP_set_default_properties(lc, "?provider=asyncoff")) {
		fail("providers");
		goto out;
	}
	/* A self-signed P-256 certificate, made here. */
	pk = EVP_PKEY_Q_keygen(lc, NULL, "EC", "P-256");
	crt = X509_new_ex(lc, NULL);
	if (!pk || !crt || !X509_set_version(crt, 2) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(crt), 1) ||
	    !X509_gmtime_adj(X509_getm_notBefore(crt), 0) ||
	    !X509_gmtime_adj(X509_getm_notAfter(crt), 3600) ||
	    !X509_set_pubkey(crt, pk) ||
	    !X509_NAME_add_entry_by_txt(X509_get_subject_name(crt), "CN",
					MBSTRING_ASC,
					(const unsigned char *)"aoff", -1,
					-1, 0) ||
	    !X509_set_issuer_name(crt, X509_get_subject_name(crt)) ||
	    !X509_sign(crt, pk, EVP_sha256())) {
		fail("certificate");
		goto out;
	}
	sctx = SSL_CTX_new_ex(lc, NULL, TLS_server_method());
	cctx = SSL_CTX_new_ex(lc, NULL, TLS_client_method());
	if (!sctx || !cctx || !SSL_CTX_use_certificate(sctx, crt) ||
	    !SSL_CTX_use_PrivateKey(sctx, pk) ||
	    !SSL_CTX_set_min_proto_version(sctx, TLS1_2_VERSION) ||
	    !SSL_CTX_set_max_proto_version(sctx, TLS1_2_VERSION) ||
	    !SSL_CTX_set_max_proto_version(cctx, TLS1_2_VERSION) ||
	    !SSL_CTX_set_cipher_list(cctx, "ECDHE-ECDSA-AES128-GCM-SHA256")) {
		fail("SSL_CTX");
		goto out;
	}
	for (int i = 0; i < NTLS; i++) {
		BIO *a = NULL, *b = NULL;

		cl[i] = SSL_new(cctx);
		sv[i] = SSL_new(sctx);
		if (!cl[i] || !sv[i] || !BIO_new_bio_pair(&a, 0, &b, 0)) {
			fail("SSL %d", i);
			goto out;
		}
		SSL_set_bio(cl[i], a, a);
		SSL_set_bio(sv[i], b, b);
		SSL_set_connect_state(cl[i]);
		SSL_set_accept_state(sv[i]);
	}
	/* One step of each side of each handshake per round. */
	while (done < NTLS && rounds++ < 100) {
		for (int i = 0; i < NTLS; i++) {
			int rc, rs;

			if (fin[i])
				continue;
			rc = SSL_do_handshake(cl[i]);
			rs = SSL_do_handshake(sv[i]);
			if ((rc <= 0 && SSL_get_error(cl[i], rc) !=
			     SSL_ERROR_WANT_READ) ||
			    (rs <= 0 && SSL_get_error(sv[i], rs) !=
			     SSL_ERROR_WANT_READ)) {
				fail("handshake %d of %d failed in round %d",
				     i, NTLS, rounds);
				goto out;
			}
			if (rc == 1 && rs == 1) {
				fin[i] = 1;
				done++;
			}
		}
	}
	if (done < NTLS) {
		fail("%d of %d handshakes complete after 100 rounds", done,
		     NTLS);
		goto out;
	}
	if (SSL_version(sv[0]) != TLS1_2_VERSION) {
		fail("negotiated %s, not TLS 1.2", SSL_get_version(sv[0]));
		goto out;
	}
	ok = 1;
out:
	for (int i = 0; i < NTLS; i++) {
		SSL_free(cl[i]);
		SSL_free(sv[i]);
	}
	SSL_CTX_free(sctx);
	SSL_CTX_free(cctx);
	X509_free(crt);
	EVP_PKEY_free(pk);
	OSSL_LIB_CTX_free(lc);
	return ok;
}

/* ---------------------------------------------------------------- faults */

/* Injected faults: the operation fails and the error says why. */
static int t_fault_injected(void)
{
	unsigned char buf[256] = { 0 }, out[300];
	unsigned int l;
	unsigned long e;
	const char *data = NULL;
	int flags, ok = 0, ol;
	EVP_CIPHER *ci = EVP_CIPHER_fetch(libctx, "AES-128-CBC",
					  "provider=asyncoff");
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	if (!sysfs_write("fail_every", "1")) {
		skip_reason = "cannot write " "fail_every";
		return 1;
	}
	if (EVP_Digest(buf, sizeof(buf), out, &l, md_aoff, NULL)) {
		fail("digest succeeded with fail_every=1");
		goto out;
	}
	e = ERR_peek_error();
	ERR_peek_error_data(&data, &flags);
	printf("# injected: %s\n", data ? data : "");
	if (!strstr(ERR_reason_error_string(e) ? ERR_reason_error_string(e) :
		    "", "request failed") || !data ||
	    !strstr(data, "Input/output error")) {
		fail("the error does not say the device failed the request");
		goto out;
	}
	ERR_clear_error();
	if (!EVP_EncryptInit_ex2(c, ci, buf, buf, NULL) ||
	    EVP_EncryptUpdate(c, out, &ol, buf, sizeof(buf))) {
		fail("cipher update succeeded with fail_every=1");
		goto out;
	}
	ERR_clear_error();
	sysfs_write("fail_every", "0");
	if (!EVP_Digest(buf, sizeof(buf), out, &l, md_aoff, NULL)) {
		fail("digest fails after fail_every=0");
		goto out;
	}
	ok = 1;
out:
	sysfs_write("fail_every", "0");
	EVP_CIPHER_CTX_free(c);
	EVP_CIPHER_free(ci);
	return ok;
}

/*
 * A device reset between updates: the context the stream's state was in
 * is gone; the stream replays into a new one and the digest is right.
 */
static int t_fault_reset_between(void)
{
	unsigned char msg[20000], da[32], db[32];
	unsigned int l;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_MAC_CTX *h = mac_new(mac_aoff, msg, 32);
	EVP_MAC_CTX *hd = mac_new(mac_def, msg, 32);
	size_t ml;

	rnd_fill(msg, sizeof(msg));
	if (!EVP_DigestInit_ex(m, md_aoff, NULL) ||
	    !EVP_DigestUpdate(m, msg, 10000) || !h || !hd ||
	    !EVP_MAC_update(h, msg, 10000))
		return fail("stream start");
	if (!sysfs_write("reset", "1")) {
		skip_reason = "cannot write " "reset";
		return 1;
	}
	if (!EVP_DigestUpdate(m, msg + 10000, 10000) ||
	    !EVP_DigestFinal_ex(m, da, &l))
		return fail("stream after the reset failed");
	if (!EVP_Digest(msg, sizeof(msg), db, &l, md_def, NULL) ||
	    memcmp(da, db, 32))
		return fail("digest across a reset differs");
	if (!EVP_MAC_update(h, msg + 10000, 10000) ||
	    !EVP_MAC_final(h, da, &ml, 32) ||
	    !EVP_MAC_update(hd, msg, 20000) || !EVP_MAC_final(hd, db, &ml, 32) ||
	    memcmp(da, db, 32))
		return fail("HMAC across a reset differs");
	EVP_MD_CTX_free(m);
	EVP_MAC_CTX_free(h);
	EVP_MAC_CTX_free(hd);
	return 1;
}

/* ------------------------------------------------------------- no device */

static int expect_no_device(const char *what, int ok)
{
	unsigned long e = ERR_peek_error();
	char buf[256];
	const char *data = NULL, *lib;
	int flags = 0;

	if (ok)
		return fail("%s succeeded without a device", what);
	ERR_peek_error_data(&data, &flags);
	lib = ERR_lib_error_string(e);
	ERR_error_string_n(e, buf, sizeof(buf));
	printf("# %s: %s: %s\n", what, buf, data ? data : "");
	if (!lib || strcmp(lib, "asyncoff") ||
	    !strstr(ERR_reason_error_string(e) ? ERR_reason_error_string(e) :
		    "", "device not available") ||
	    !data || !strstr(data, "asyncoff"))
		return fail("%s: error does not name the device", what);
	ERR_clear_error();
	return 1;
}

static int t_nodev_all(void)
{
	unsigned char buf[4096], out[4200], key[32] = { 0 };
	unsigned int l;
	size_t ml;
	int ol;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_MAC_CTX *h;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	EVP_CIPHER *ci = EVP_CIPHER_fetch(libctx, "AES-256-CTR",
					  "provider=asyncoff");

	memset(buf, 7, sizeof(buf));
	if (!expect_no_device("EVP_Digest",
			      EVP_Digest(buf, 10, out, &l, md_aoff, NULL)))
		return 0;
	if (!EVP_DigestInit_ex(m, md_aoff, NULL))
		return fail("digest init needs no device");
	if (!expect_no_device("EVP_DigestUpdate",
			      EVP_DigestUpdate(m, buf, sizeof(buf))))
		return 0;
	/* The context stays failed, and says so. */
	if (EVP_DigestFinal_ex(m, out, &l))
		return fail("final after a failed update succeeded");
	ERR_clear_error();
	h = mac_new(mac_aoff, key, sizeof(key));
	if (!h)
		return fail("HMAC init needs no device");
	if (!expect_no_device("EVP_MAC_final",
			      EVP_MAC_update(h, buf, 10) &&
			      EVP_MAC_final(h, out, &ml, sizeof(out))))
		return 0;
	if (!ci || !EVP_EncryptInit_ex2(c, ci, key, key, NULL))
		return fail("cipher init needs no device");
	if (!expect_no_device("EVP_EncryptUpdate",
			      EVP_EncryptUpdate(c, out, &ol, buf, 100)))
		return 0;
	EVP_MD_CTX_free(m);
	EVP_MAC_CTX_free(h);
	EVP_CIPHER_CTX_free(c);
	EVP_CIPHER_free(ci);
	return 1;
}

static int nodev_fn(void *arg)
{
	unsigned char out[32];
	unsigned int l;

	(void)arg;
	return EVP_Digest("abc", 3, out, &l, md_aoff, NULL);
}

static int t_nodev_job(void)
{
	ASYNC_JOB *job = NULL;
	ASYNC_WAIT_CTX *w = ASYNC_WAIT_CTX_new();
	int r = -1, ret;

	ret = ASYNC_start_job(&job, w, &r, nodev_fn, NULL, 0);
	ASYNC_WAIT_CTX_free(w);
	if (ret != ASYNC_FINISH)
		return fail("job did not finish at once: %d", ret);
	return expect_no_device("digest in a job", r);
}

/* ------------------------------------------------------------------ main */

struct test {
	const char *name;
	int (*fn)(void);
};

static int t_cbc128(void) { return t_cipher(cipher_names[0]); }
static int t_cbc192(void) { return t_cipher(cipher_names[1]); }
static int t_cbc256(void) { return t_cipher(cipher_names[2]); }
static int t_ctr128(void) { return t_cipher(cipher_names[3]); }
static int t_ctr192(void) { return t_cipher(cipher_names[4]); }
static int t_ctr256(void) { return t_cipher(cipher_names[5]); }

static const struct test dev_tests[] = {
	{ "sha256.edge_sizes", t_sha256_edges },
	{ "sha256.random_streams_dup_reinit", t_sha256_random },
	{ "sha256.oneshot_and_params", t_sha256_oneshot_params },
	{ "hmac.edge_keys_and_sizes", t_hmac_edges },
	{ "hmac.random_streams_dup_reinit", t_hmac_random },
	{ "hmac.oneshot_and_other_digests_via_default", t_hmac_oneshot },
	{ "hmac.sha384_edges_random_streams_dup_reinit_on_device",
	  t_hmac_sha384 },
	{ "hmac.sha512_edges_random_streams_dup_reinit_on_device",
	  t_hmac_sha512 },
	{ "hmac.rfc4231_vectors_sha384_sha512", t_hmac_vectors },
	{ "aes-128-cbc.random", t_cbc128 },
	{ "aes-192-cbc.random", t_cbc192 },
	{ "aes-256-cbc.random", t_cbc256 },
	{ "aes-128-ctr.random", t_ctr128 },
	{ "aes-192-ctr.random", t_ctr192 },
	{ "aes-256-ctr.random", t_ctr256 },
	{ "async.fd_mode_16_jobs", t_async_fd },
	{ "async.callback_mode_8_jobs", t_async_callback },
	{ "async.stream_moves_between_thread_and_job", t_async_move },
	{ "streams.300_sha256_300_hmac_open_on_one_thread",
	  t_many_streams_thread },
	{ "streams.300_sha256_300_hmac_open_in_one_job", t_many_streams_job },
	{ "tls12.40_handshakes_round_robin_one_thread", t_tls12_round_robin },
	{ "aes-ctr.in_a_job_in_process_never_pauses", t_ctr_in_job },
	{ "rand.first_draw_of_64_jobs_per_thread_every_config",
	  t_rand_first_in_jobs },
	{ "faults.injected_error_is_reported", t_fault_injected },
	{ "faults.reset_between_updates_replays", t_fault_reset_between },
};

static const struct test nodev_tests[] = {
	{ "nodev.every_algorithm_fails_naming_the_device", t_nodev_all },
	{ "nodev.in_a_job_fails_without_pausing", t_nodev_job },
};

int main(int argc, char **argv)
{
	const struct test *tests = dev_tests;
	size_t nt = sizeof(dev_tests) / sizeof(dev_tests[0]);
	const char *modules = getenv("OPENSSL_MODULES");
	unsigned long long seed = (unsigned long long)time(NULL);
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--quick")) {
			quick = 1;
		} else if (!strcmp(argv[i], "--modules") && i + 1 < argc) {
			modules = argv[++i];
		} else if (!strcmp(argv[i], "--hmac-vectors") && i + 1 < argc) {
			hmac_vec_file = argv[++i];
		} else if (!strcmp(argv[i], "--no-device")) {
			tests = nodev_tests;
			nt = sizeof(nodev_tests) / sizeof(nodev_tests[0]);
		} else {
			fprintf(stderr, "usage: %s [--seed N] [--quick] "
				"[--modules DIR] [--hmac-vectors FILE] "
				"[--no-device]\n", argv[0]);
			return 2;
		}
	}
	rng_state = seed | 1;
	printf("1..%zu\n# seed %llu\n", nt, seed);
	libctx = OSSL_LIB_CTX_new();
	if (modules)
		OSSL_PROVIDER_set_default_search_path(libctx, modules);
	if (!libctx || !OSSL_PROVIDER_load(libctx, "asyncoff") ||
	    !OSSL_PROVIDER_load(libctx, "default")) {
		ERR_print_errors_fp(stdout);
		for (size_t i = 0; i < nt; i++)
			printf("not ok %zu provider: %s # provider not loaded\n",
			       i + 1, tests[i].name);
		return 1;
	}
	md_aoff = EVP_MD_fetch(libctx, "SHA256", "provider=asyncoff");
	md_def = EVP_MD_fetch(libctx, "SHA256", "provider=default");
	mac_aoff = EVP_MAC_fetch(libctx, "HMAC", "provider=asyncoff");
	mac_def = EVP_MAC_fetch(libctx, "HMAC", "provider=default");
	if (!md_aoff || !md_def || !mac_aoff || !mac_def) {
		ERR_print_errors_fp(stdout);
		return 1;
	}
	for (size_t i = 0; i < nt; i++) {
		int ok = tests[i].fn();

		report(tests[i].name, ok);
		if (!ok)
			status = 1;
	}
	EVP_MD_free(md_aoff);
	EVP_MD_free(md_def);
	EVP_MAC_free(mac_aoff);
	EVP_MAC_free(mac_def);
	OSSL_LIB_CTX_free(libctx);
	return status;
}
