// SPDX-License-Identifier: Apache-2.0
/*
 * The asyncoff provider's AEAD ciphers (AES-128/192/256-GCM,
 * ChaCha20-Poly1305) against known answers (aead_vectors.txt) and against
 * OpenSSL's default provider: random messages (text 0 .. 64 KiB, AAD
 * 0 .. 1 KiB) in random pieces, in place or not, copies mid-message, tag
 * failures, bad IV and tag lengths, TLS 1.2 records (AEAD_TLS1_AAD +
 * TLS1_IV_FIXED) and TLS 1.3's per-record IV, inside async jobs; and the
 * offload policy through the device's "submitted" counter.  TAP.
 *
 *   aead_test --vectors FILE [--seed N] [--quick] [--policy MODE]
 *
 * --policy device: the provider was loaded with ASYNCOFF_OFFLOAD=aead:0
 *   (every message it can take goes to the device; checked).
 * --policy default: the default policy: short messages stay in-process
 *   (the counter does not move), long ones go to the device.
 * Without the device (no /sys/class/misc/asyncoff0) the counter checks
 * skip, saying so.
 */
#include <ctype.h>
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

#define PTEST_PREFIX "aead"
#include "ptest.h"


static OSSL_LIB_CTX *libctx;
static int quick, policy_device;
static const char *vec_file;

static const char *const names[] = {
	"AES-128-GCM", "AES-192-GCM", "AES-256-GCM", "ChaCha20-Poly1305",
};
#define NNAMES	4
static EVP_CIPHER *ci_aoff[NNAMES], *ci_def[NNAMES];

static int kind_of(const char *name)
{
	for (int i = 0; i < NNAMES; i++)
		if (!strcasecmp(name, names[i]))
			return i;
	return -1;
}

/* ------------------------------------------------------------ one message */

struct msg {
	int enc;
	const unsigned char *key, *iv;
	size_t ivlen;
	const unsigned char *aad;
	size_t aadlen;
	const unsigned char *in;
	size_t len;
	unsigned char *tag;	/* enc: out; dec: in */
	size_t taglen;
	int tag_late;		/* dec: set the tag after the text */
	int inplace;
	int chunks;		/* 0: one piece; else random pieces */
	int dup_at;		/* copy the context after the AAD, go on there */
};

/* Run @m; @out gets the text.  Returns 1 ok, 0 setup error, -1 final failed. */
static int run_msg(EVP_CIPHER *ci, const struct msg *m, unsigned char *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new(), *c2 = NULL;
	unsigned char *buf = NULL;
	const unsigned char *src = m->in;
	size_t done = 0, off;
	int ol = 0, ret = 0;
	OSSL_PARAM p[2];

	if (!c)
		return 0;
	if (!EVP_CipherInit_ex2(c, ci, NULL, NULL, m->enc, NULL))
		goto out;
	if (m->ivlen != 12 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, (int)m->ivlen,
				NULL) <= 0)
		goto out;
	if (!EVP_CipherInit_ex2(c, NULL, m->key, m->iv, m->enc, NULL))
		goto out;
	if (!m->enc && !m->tag_late &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, (int)m->taglen,
				m->tag) <= 0)
		goto out;
	for (off = 0; off < m->aadlen;) {
		size_t n = m->chunks ? 1 + rnd_below(m->aadlen - off) :
				       m->aadlen - off;

		if (!EVP_CipherUpdate(c, NULL, &ol, m->aad + off, (int)n))
			goto out;
		off += n;
	}
	if (m->dup_at) {
		c2 = EVP_CIPHER_CTX_new();
		if (!c2 || !EVP_CIPHER_CTX_copy(c2, c))
			goto out;
		EVP_CIPHER_CTX_free(c);
		c = c2;
		c2 = NULL;
	}
	if (m->inplace) {
		buf = malloc(m->len + 1);
		if (!buf)
			goto out;
		memcpy(buf, m->in, m->len);
		src = buf;
	}
	for (off = 0; off < m->len || (!off && !m->len);) {
		size_t n = m->chunks ? 1 + rnd_below(m->len - off) :
				       m->len - off;
		unsigned char *dst = m->inplace ? buf + done : out + done;

		if (!m->len)
			break;
		if (!EVP_CipherUpdate(c, dst, &ol, src + off, (int)n))
			goto out;
		done += (size_t)ol;
		off += n;
	}
	if (!m->enc && m->tag_late &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, (int)m->taglen,
				m->tag) <= 0)
		goto out;
	if (!EVP_CipherFinal_ex(c, (m->inplace ? buf : out) + done, &ol)) {
		ret = -1;
		ERR_clear_error();
		done += (size_t)ol;
		goto copy;
	}
	done += (size_t)ol;
	if (m->enc) {
		p[0] = OSSL_PARAM_construct_octet_string(
			OSSL_CIPHER_PARAM_AEAD_TAG, m->tag, m->taglen);
		p[1] = OSSL_PARAM_construct_end();
		if (!EVP_CIPHER_CTX_get_params(c, p))
			goto out;
	}
	ret = 1;
copy:
	if (done != m->len && ret == 1)
		ret = fail("%zu bytes out for %zu in", done, m->len);
	if (m->inplace)
		memcpy(out, buf, m->len);
out:
	free(buf);
	EVP_CIPHER_CTX_free(c);
	EVP_CIPHER_CTX_free(c2);
	return ret;
}

/* --------------------------------------------------------------- vectors */

struct vec {
	char cipher[32];
	unsigned char key[32], iv[16], aad[64], tag[16], pt[1024], ct[1024];
	size_t keylen, ivlen, aadlen, taglen, ptlen, ctlen;
	int dec_only, final_error;
};

static int vec_run(const struct vec *v, int *n, long long *dev)
{
	int k = kind_of(v->cipher);
	unsigned char out[1024], tag[16];
	struct msg m = {
		.key = v->key, .iv = v->iv, .ivlen = v->ivlen, .aad = v->aad,
		.aadlen = v->aadlen, .taglen = v->taglen,
	};
	long long s0 = submitted();
	int r;

	if (k < 0)
		return fail("unknown cipher %s", v->cipher);
	(*n)++;
	if (!v->dec_only) {
		m.enc = 1;
		m.in = v->pt;
		m.len = v->ptlen;
		m.tag = tag;
		if (run_msg(ci_aoff[k], &m, out) != 1 ||
		    memcmp(out, v->ct, v->ctlen) ||
		    memcmp(tag, v->tag, v->taglen))
			return fail("vector %d (%s) encrypt differs", *n,
				    v->cipher);
		m.inplace = 1;
		if (run_msg(ci_aoff[k], &m, out) != 1 ||
		    memcmp(out, v->ct, v->ctlen))
			return fail("vector %d (%s) in-place encrypt", *n,
				    v->cipher);
	}
	m.enc = 0;
	m.inplace = 0;
	m.in = v->ct;
	m.len = v->ctlen;
	m.tag = (unsigned char *)v->tag;
	r = run_msg(ci_aoff[k], &m, out);
	if (v->final_error ? r != -1 : (r != 1 || memcmp(out, v->pt,
							  v->ptlen)))
		return fail("vector %d (%s) decrypt: %d", *n, v->cipher, r);
	if (s0 >= 0)
		*dev += submitted() - s0;
	return 1;
}

static int t_vectors(void)
{
	FILE *f = fopen(vec_file, "r");
	char line[4096];
	struct vec v;
	int n = 0, have = 0, ok = 1;
	long long dev = 0;

	if (!f)
		return fail("cannot open %s", vec_file);
	memset(&v, 0, sizeof(v));
	while (ok) {
		char *got = fgets(line, sizeof(line), f), *val;

		if (!got || line[0] == '\n') {
			if (have)
				ok = vec_run(&v, &n, &dev);
			memset(&v, 0, sizeof(v));
			have = 0;
			if (!got)
				break;
			continue;
		}
		val = ptest_vec_split(line);
		if (!val)
			continue;
		have = 1;
		if (!strcmp(line, "Cipher"))
			snprintf(v.cipher, sizeof(v.cipher), "%s", val);
		else if (!strcmp(line, "Key"))
			ok = unhex(val, v.key, sizeof(v.key), &v.keylen);
		else if (!strcmp(line, "IV"))
			ok = unhex(val, v.iv, sizeof(v.iv), &v.ivlen);
		else if (!strcmp(line, "AAD"))
			ok = unhex(val, v.aad, sizeof(v.aad), &v.aadlen);
		else if (!strcmp(line, "Tag"))
			ok = unhex(val, v.tag, sizeof(v.tag), &v.taglen);
		else if (!strcmp(line, "Plaintext"))
			ok = unhex(val, v.pt, sizeof(v.pt), &v.ptlen);
		else if (!strcmp(line, "Ciphertext"))
			ok = unhex(val, v.ct, sizeof(v.ct), &v.ctlen);
		else if (!strcmp(line, "Operation"))
			v.dec_only = !strcmp(val, "DECRYPT");
		else if (!strcmp(line, "Result"))
			v.final_error = !strcmp(val, "CIPHERFINAL_ERROR");
		if (!ok)
			fail("bad line in %s: %s", vec_file, line);
	}
	fclose(f);
	if (!ok)
		return 0;
	printf("# %d vectors, %lld device requests\n", n, dev);
	if (n < 10)
		return fail("only %d vectors", n);
	if (policy_device && submitted() >= 0 && dev < n)
		return fail("with aead:0 the vectors made %lld device "
			    "requests for %d vectors", dev, n);
	return 1;
}

/* ----------------------------------------------------- random vs default */

static int cmp_one(int k, size_t maxlen)
{
	size_t len = rnd_below(4) ? rnd_below(maxlen + 1) :
		     rnd_below(65) * 256 + rnd_below(3);
	size_t aadlen = rnd_below(3) ? rnd_below(1025) : rnd_below(14);
	unsigned char key[32], iv[12], tag1[16], tag2[16];
	unsigned char *pt, *aad, *c1, *c2, *p1, *p2;
	struct msg m = { 0 };
	unsigned long long save;
	int r1, r2, ok = 0;

	if (len > maxlen)
		len = maxlen;
	pt = malloc(len + 1);
	aad = malloc(aadlen + 1);
	c1 = malloc(len + 1);
	c2 = malloc(len + 1);
	p1 = malloc(len + 1);
	p2 = malloc(len + 1);
	if (!pt || !aad || !c1 || !c2 || !p1 || !p2)
		goto out;
	rnd_fill(key, sizeof(key));
	rnd_fill(iv, sizeof(iv));
	rnd_fill(pt, len);
	rnd_fill(aad, aadlen);
	m.key = key;
	m.iv = iv;
	m.ivlen = 12;
	m.aad = aad;
	m.aadlen = aadlen;
	m.in = pt;
	m.len = len;
	m.enc = 1;
	m.taglen = 16;
	m.inplace = (int)rnd_below(2);
	m.chunks = !rnd_below(3);
	m.dup_at = !rnd_below(5);
	/* The same pieces for both: replay the generator. */
	save = rng_state;
	m.tag = tag1;
	r1 = run_msg(ci_aoff[k], &m, c1);
	rng_state = save;
	m.tag = tag2;
	r2 = run_msg(ci_def[k], &m, c2);
	if (r1 != 1 || r2 != 1 || memcmp(c1, c2, len) ||
	    memcmp(tag1, tag2, 16)) {
		fail("%s encrypt %zu bytes, AAD %zu, pieces %d, in place %d, "
		     "copy %d: %d/%d, %s", names[k], len, aadlen, m.chunks,
		     m.inplace, m.dup_at, r1, r2,
		     memcmp(c1, c2, len) ? "text differs" : "tag differs");
		goto out;
	}
	/* Decrypt, the tag set first or late, maybe damaged. */
	m.enc = 0;
	m.in = c1;
	m.tag = tag1;
	m.tag_late = !rnd_below(4);
	m.chunks = !rnd_below(3);
	m.inplace = (int)rnd_below(2);
	m.dup_at = !rnd_below(5);
	if (!rnd_below(6))
		tag1[rnd_below(16)] ^= (unsigned char)(1 + rnd_below(255));
	save = rng_state;
	r1 = run_msg(ci_aoff[k], &m, p1);
	rng_state = save;
	r2 = run_msg(ci_def[k], &m, p2);
	if (r1 != r2 || (r1 == 1 && memcmp(p1, pt, len)) ||
	    memcmp(p1, p2, len)) {
		fail("%s decrypt %zu bytes, AAD %zu, pieces %d, tag late %d: "
		     "asyncoff %d, default %d", names[k], len, aadlen,
		     m.chunks, m.tag_late, r1, r2);
		goto out;
	}
	ok = 1;
out:
	free(pt);
	free(aad);
	free(c1);
	free(c2);
	free(p1);
	free(p2);
	return ok;
}

static int t_random(void)
{
	int n = quick ? 15 : 40;
	long long s0 = submitted();

	for (int k = 0; k < NNAMES; k++)
		for (int i = 0; i < n; i++)
			if (!cmp_one(k, 65536))
				return 0;
	printf("# %d messages each, %lld device requests\n", n,
	       s0 >= 0 ? submitted() - s0 : -1);
	if (policy_device && s0 >= 0 && submitted() - s0 < NNAMES * n / 2)
		return fail("the device did too little");
	return 1;
}

/* ----------------------------------------------------------- bad lengths */

static int t_bad_lengths(void)
{
	static const unsigned char key[32], iv[16];
	unsigned char tag[17] = { 0 }, buf[32];
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	OSSL_PARAM p[2];
	int ol;

	for (int k = 0; k < NNAMES; k++) {
		/* An IV length of 0, and ChaCha's over 12. */
		if (!EVP_EncryptInit_ex2(c, ci_aoff[k], NULL, NULL, NULL))
			return fail("%s init", names[k]);
		if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 0,
					NULL) > 0)
			return fail("%s took an IV length of 0", names[k]);
		if (k == 3 && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN,
						  13, NULL) > 0)
			return fail("ChaCha20-Poly1305 took a 13-byte IV");
		ERR_clear_error();
		/* A tag over 16 bytes, and a tag of 0 to get. */
		if (!EVP_DecryptInit_ex2(c, ci_aoff[k], key, iv, NULL))
			return fail("%s init", names[k]);
		if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 17,
					tag) > 0)
			return fail("%s took a 17-byte tag", names[k]);
		ERR_clear_error();
		if (!EVP_EncryptInit_ex2(c, ci_aoff[k], key, iv, NULL) ||
		    !EVP_EncryptUpdate(c, buf, &ol, buf, 32) ||
		    !EVP_EncryptFinal_ex(c, buf, &ol))
			return fail("%s encrypt", names[k]);
		p[0] = OSSL_PARAM_construct_octet_string(
			OSSL_CIPHER_PARAM_AEAD_TAG, tag, 17);
		p[1] = OSSL_PARAM_construct_end();
		if (EVP_CIPHER_CTX_get_params(c, p))
			return fail("%s gave a 17-byte tag", names[k]);
		ERR_clear_error();
		/* A wrong key length. */
		if (EVP_CIPHER_CTX_set_key_length(c, 7) > 0)
			return fail("%s took a 7-byte key", names[k]);
		ERR_clear_error();
	}
	EVP_CIPHER_CTX_free(c);
	/* A 16-byte GCM IV (not the device's): as the default provider. */
	{
		unsigned char pt[300], c1[300], c2[300], t1[16], t2[16];
		struct msg m = { .enc = 1, .key = key, .iv = iv, .ivlen = 16,
				 .in = pt, .len = sizeof(pt), .taglen = 16 };

		rnd_fill(pt, sizeof(pt));
		m.tag = t1;
		if (run_msg(ci_aoff[0], &m, c1) != 1)
			return fail("GCM with a 16-byte IV");
		m.tag = t2;
		if (run_msg(ci_def[0], &m, c2) != 1 ||
		    memcmp(c1, c2, sizeof(c1)) || memcmp(t1, t2, 16))
			return fail("GCM with a 16-byte IV differs");
	}
	return 1;
}

/* ------------------------------------------------------ TLS 1.2 records */

/* One record through @ci; returns the output length or -1. */
static int tls12_record(EVP_CIPHER *ci, int enc, const unsigned char *key,
			const unsigned char *fixed, size_t fixedlen,
			uint64_t seq, unsigned char *rec, size_t len,
			EVP_CIPHER_CTX *c)
{
	unsigned char aad[13];
	/* libssl's length: encrypting without the tag, decrypting all. */
	size_t plen = enc ? len - 16 : len;

	(void)ci;
	for (int i = 0; i < 8; i++)
		aad[i] = (unsigned char)(seq >> (56 - 8 * i));
	aad[8] = 23;
	aad[9] = 3;
	aad[10] = 3;
	aad[11] = (unsigned char)(plen >> 8);
	aad[12] = (unsigned char)plen;
	(void)key;
	(void)fixed;
	(void)fixedlen;
	if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_TLS1_AAD, 13, aad) != 16)
		return -1;
	(void)enc;
	return EVP_Cipher(c, rec, rec, (unsigned int)len);
}

static EVP_CIPHER_CTX *tls12_ctx(EVP_CIPHER *ci, int enc,
				 const unsigned char *key,
				 const unsigned char *fixed, size_t fixedlen)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	if (!c || !EVP_CipherInit_ex2(c, ci, key, NULL, enc, NULL) ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IV_FIXED, (int)fixedlen,
				(void *)fixed) <= 0) {
		EVP_CIPHER_CTX_free(c);
		return NULL;
	}
	return c;
}

static int t_tls12(void)
{
	long long s0 = submitted();

	for (int k = 0; k < NNAMES; k++) {
		int gcm = k < 3;
		size_t head = gcm ? 8 : 0, fixedlen = gcm ? 4 : 12;
		unsigned char key[32], fixed[12];
		EVP_CIPHER_CTX *e[2], *d[2];

		rnd_fill(key, sizeof(key));
		rnd_fill(fixed, sizeof(fixed));
		/* [0] asyncoff, [1] default: each decrypts the other's. */
		for (int w = 0; w < 2; w++) {
			EVP_CIPHER *ci = w ? ci_def[k] : ci_aoff[k];

			e[w] = tls12_ctx(ci, 1, key, fixed, fixedlen);
			d[w] = tls12_ctx(ci, 0, key, fixed, fixedlen);
			if (!e[w] || !d[w])
				return fail("%s TLS setup", names[k]);
		}
		for (uint64_t seq = 0; seq < 12; seq++) {
			size_t plen = seq < 4 ? seq * 5 : rnd_below(16385);
			size_t len = head + plen + 16;
			unsigned char *rec[2], *pt = malloc(plen + 1);
			int w = (int)(seq & 1), r, bad = seq == 7;

			rec[0] = malloc(len);
			rec[1] = malloc(len);
			if (!pt || !rec[0] || !rec[1])
				return fail("no memory");
			rnd_fill(pt, plen);
			memcpy(rec[w] + head, pt, plen);
			r = tls12_record(NULL, 1, key, fixed, fixedlen, seq,
					 rec[w], head + plen + 16, e[w]);
			if (r != (int)len)
				return fail("%s TLS encrypt %zu: %d", names[k],
					    plen, r);
			if (!gcm) {
				/* Deterministic: the other side agrees. */
				memcpy(rec[!w], pt, plen);
				r = tls12_record(NULL, 1, key, fixed, fixedlen,
						 seq, rec[!w], len, e[!w]);
				if (r != (int)len ||
				    memcmp(rec[0], rec[1], len))
					return fail("ChaCha TLS records "
						    "differ");
			}
			if (bad)
				rec[w][len - 1] ^= 1;
			r = tls12_record(NULL, 0, key, fixed, fixedlen, seq,
					 rec[w], len, d[!w]);
			/* GCM says the record's length, ChaCha the text's. */
			if (bad ? r >= 0 : (r != (int)(gcm ? len : plen) ||
					    memcmp(rec[w] + head, pt, plen)))
				return fail("%s TLS record %llu (%zu bytes, "
					    "%s) decrypted by the other: %d",
					    names[k], (unsigned long long)seq,
					    plen, bad ? "damaged" : "intact",
					    r);
			ERR_clear_error();
			free(pt);
			free(rec[0]);
			free(rec[1]);
		}
		for (int w = 0; w < 2; w++) {
			EVP_CIPHER_CTX_free(e[w]);
			EVP_CIPHER_CTX_free(d[w]);
		}
	}
	printf("# device requests: %lld\n", s0 >= 0 ? submitted() - s0 : -1);
	return 1;
}

/* ------------------------------------------------ TLS 1.3 per-record IV */

/* One TLS 1.3 record: IV re-init with the key kept, tag, AAD, text. */
static int tls13_one(EVP_CIPHER_CTX *c, int enc, const unsigned char *nonce,
		     unsigned char *rec, size_t len, unsigned char *tag)
{
	unsigned char hdr[5] = { 23, 3, 3, (unsigned char)((len + 16) >> 8),
				 (unsigned char)(len + 16) };
	OSSL_PARAM p[2];
	int ol = 0, fl = 0;

	if (!EVP_CipherInit_ex2(c, NULL, NULL, nonce, enc, NULL) ||
	    (!enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16,
					 tag) <= 0) ||
	    !EVP_CipherUpdate(c, NULL, &ol, hdr, 5) ||
	    !EVP_CipherUpdate(c, rec, &ol, rec, (int)len) ||
	    !EVP_CipherFinal_ex(c, rec + ol, &fl) ||
	    (size_t)(ol + fl) != len)
		return 0;
	if (!enc)
		return 1;
	p[0] = OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
						 tag, 16);
	p[1] = OSSL_PARAM_construct_end();
	return EVP_CIPHER_CTX_get_params(c, p);
}

static int t_tls13(void)
{
	for (int k = 0; k < NNAMES; k++) {
		unsigned char key[32], iv[12], pt[2400], rec[2][2400];
		unsigned char tag[2][16];
		EVP_CIPHER_CTX *c[2][2];	/* [direction][asyncoff, default] */

		rnd_fill(key, sizeof(key));
		rnd_fill(iv, sizeof(iv));
		for (int d = 0; d < 2; d++)
			for (int w = 0; w < 2; w++) {
				c[d][w] = EVP_CIPHER_CTX_new();
				if (!c[d][w] ||
				    !EVP_CipherInit_ex2(c[d][w], w ? ci_def[k] :
							ci_aoff[k], key, NULL,
							d, NULL))
					return fail("%s init", names[k]);
			}
		for (uint64_t seq = 0; seq < 8; seq++) {
			unsigned char nonce[12];
			size_t len = seq * 300 + 1;

			memcpy(nonce, iv, 12);
			for (int i = 0; i < 8; i++)
				nonce[4 + i] ^= (unsigned char)(seq >>
								(56 - 8 * i));
			rnd_fill(pt, len);
			for (int w = 0; w < 2; w++) {
				memcpy(rec[w], pt, len);
				if (!tls13_one(c[1][w], 1, nonce, rec[w], len,
					       tag[w]))
					return fail("%s TLS 1.3 encrypt %llu",
						    names[k],
						    (unsigned long long)seq);
			}
			if (memcmp(rec[0], rec[1], len) ||
			    memcmp(tag[0], tag[1], 16))
				return fail("%s TLS 1.3 record %llu differs",
					    names[k], (unsigned long long)seq);
			memcpy(rec[1], rec[0], len);
			for (int w = 0; w < 2; w++) {
				if (!tls13_one(c[0][w], 0, nonce, rec[w], len,
					       tag[0]) ||
				    memcmp(rec[w], pt, len))
					return fail("%s TLS 1.3 decrypt %llu "
						    "(%s)", names[k],
						    (unsigned long long)seq,
						    w ? "default" : "asyncoff");
			}
		}
		for (int d = 0; d < 2; d++)
			for (int w = 0; w < 2; w++)
				EVP_CIPHER_CTX_free(c[d][w]);
	}
	return 1;
}

/* ------------------------------------------------------------ async jobs */

struct job_arg {
	int k;
	unsigned char key[32], iv[12], pt[4096], ct[4096], tag[16];
	int ok;
};

static int job_fn(void *varg)
{
	struct job_arg *a = *(struct job_arg **)varg;
	struct msg m = { .enc = 1, .key = a->key, .iv = a->iv, .ivlen = 12,
			 .in = a->pt, .len = sizeof(a->pt), .tag = a->tag,
			 .taglen = 16 };

	a->ok = run_msg(ci_aoff[a->k], &m, a->ct) == 1;
	return a->ok;
}

static int t_jobs(void)
{
	enum { N = 16 };
	struct job_arg *args = calloc(N, sizeof(*args));
	ASYNC_JOB *job[N] = { 0 };
	ASYNC_WAIT_CTX *w[N];
	int left = N, pauses = 0, ret;

	if (!args)
		return fail("no memory");
	for (int i = 0; i < N; i++) {
		args[i].k = i % NNAMES;
		rnd_fill(args[i].key, 32);
		rnd_fill(args[i].iv, 12);
		rnd_fill(args[i].pt, sizeof(args[i].pt));
		w[i] = ASYNC_WAIT_CTX_new();
	}
	while (left) {
		for (int i = 0; i < N; i++) {
			struct job_arg *a = &args[i];
			int r;

			if (!w[i])
				continue;
			ret = ASYNC_start_job(&job[i], w[i], &r, job_fn, &a,
					      sizeof(a));
			if (ret == ASYNC_PAUSE) {
				pauses++;
				continue;
			}
			if (ret != ASYNC_FINISH)
				return fail("job %d: %d", i, ret);
			ASYNC_WAIT_CTX_free(w[i]);
			w[i] = NULL;
			left--;
		}
	}
	for (int i = 0; i < N; i++) {
		unsigned char ct[4096], tag[16];
		struct msg m = { .enc = 1, .key = args[i].key,
				 .iv = args[i].iv, .ivlen = 12,
				 .in = args[i].pt, .len = 4096, .tag = tag,
				 .taglen = 16 };

		if (!args[i].ok || run_msg(ci_def[args[i].k], &m, ct) != 1 ||
		    memcmp(ct, args[i].ct, 4096) ||
		    memcmp(tag, args[i].tag, 16))
			return fail("job %d's message differs", i);
	}
	free(args);
	printf("# %d pauses\n", pauses);
	/* A request may complete before its job looks (no pause). */
	if (policy_device && submitted() >= 0 && pauses < 1)
		return fail("no pause for %d jobs on the device", N);
	return 1;
}

/* ---------------------------------------------------------------- policy */

static long long encrypt_count(size_t len)
{
	unsigned char key[32] = { 1 }, iv[12] = { 2 }, tag[16];
	unsigned char *pt = calloc(1, len + 1), *ct = malloc(len + 1);
	struct msg m = { .enc = 1, .key = key, .iv = iv, .ivlen = 12,
			 .in = pt, .len = len, .tag = tag, .taglen = 16 };
	long long s0 = submitted();
	int r = pt && ct ? run_msg(ci_aoff[0], &m, ct) : 0;

	free(pt);
	free(ct);
	return r == 1 ? submitted() - s0 : -1;
}

static int t_policy(void)
{
	long long small, big;

	if (submitted() < 0) {
		skip_reason = "no asyncoff device";
		return 1;
	}
	small = encrypt_count(100);
	big = encrypt_count(8192);
	printf("# 100 bytes: %lld requests, 8192 bytes: %lld\n", small, big);
	if (policy_device)
		return small >= 1 && big >= 1 ? 1 :
		       fail("aead:0 keeps messages in-process");
	if (small != 0)
		return fail("a 100-byte message went to the device");
	if (big < 1)
		return fail("an 8 KiB message stayed in-process");
	return 1;
}

/* ------------------------------------------------------------------ main */

struct test {
	const char *name;
	int (*fn)(void);
};

/* ---------------------------------------------------------------- faults */

/*
 * One message through the asyncoff cipher in the steps libssl takes, with
 * a hook between the AAD and the text (a reset mid-message).  @ok: EVP
 * said success all along; else @err holds the first error's library,
 * reason and data, and @after_fail tells whether a final after the failed
 * update still (wrongly) succeeded.
 */
struct fmsg {
	int k, enc;
	const unsigned char *key, *iv, *aad, *in, *tag_in;
	size_t aadlen, len;
	unsigned char out[4096], tag[16];
	void (*mid)(void);
	int ok, after_fail;
	char err[400];
};

static void fmsg_err(struct fmsg *f)
{
	unsigned long e = ERR_peek_error();
	const char *data = NULL, *lib = ERR_lib_error_string(e);
	const char *r = ERR_reason_error_string(e);
	int flags = 0;

	ERR_peek_error_data(&data, &flags);
	snprintf(f->err, sizeof(f->err), "%s: %s: %s", lib ? lib : "?",
		 r ? r : "?", data ? data : "");
	ERR_clear_error();
}

static void fmsg_run(struct fmsg *f)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	OSSL_PARAM p[2];
	int ol = 0, fl = 0;

	f->ok = 0;
	f->after_fail = 0;
	f->err[0] = 0;
	if (!c || !EVP_CipherInit_ex2(c, ci_aoff[f->k], f->key, f->iv, f->enc,
				      NULL) ||
	    (!f->enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, 16,
					    (void *)f->tag_in) <= 0) ||
	    !EVP_CipherUpdate(c, NULL, &ol, f->aad, (int)f->aadlen)) {
		fmsg_err(f);
		goto out;
	}
	if (f->mid)
		f->mid();
	if (!EVP_CipherUpdate(c, f->out, &ol, f->in, (int)f->len)) {
		fmsg_err(f);
		/* Carrying on regardless must not give a result either. */
		f->after_fail = EVP_CipherFinal_ex(c, f->out, &fl) == 1;
		ERR_clear_error();
		goto out;
	}
	if (!EVP_CipherFinal_ex(c, f->out + ol, &fl)) {
		fmsg_err(f);
		goto out;
	}
	if (f->enc) {
		p[0] = OSSL_PARAM_construct_octet_string(
			OSSL_CIPHER_PARAM_AEAD_TAG, f->tag, 16);
		p[1] = OSSL_PARAM_construct_end();
		if (!EVP_CIPHER_CTX_get_params(c, p)) {
			fmsg_err(f);
			goto out;
		}
	}
	f->ok = 1;
out:
	EVP_CIPHER_CTX_free(c);
}

static int fmsg_job_fn(void *arg)
{
	fmsg_run(*(struct fmsg **)arg);
	return 1;
}

/*
 * @f in an async job (@in_job) or on the thread.  @on_pause runs once,
 * while the job is paused on the device (a reset in flight); on the
 * thread, a helper thread runs it once the device has a request in
 * flight (or after 10 s: the test then fails, the message succeeding).
 */
static void *on_pause_thread(void *arg)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	for (int i = 0; i < 1000 && sysfs_number("in_flight") < 1; i++)
		nanosleep(&ts, NULL);
	((void (*)(void))arg)();
	return NULL;
}

static int fmsg_go(struct fmsg *f, int in_job, void (*on_pause)(void))
{
	ASYNC_WAIT_CTX *w;
	ASYNC_JOB *job = NULL;
	pthread_t th;
	int r, ret, paused = 0;

	if (!in_job) {
		if (on_pause && pthread_create(&th, NULL, on_pause_thread,
					       (void *)on_pause))
			return fail("no thread");
		fmsg_run(f);
		if (on_pause)
			pthread_join(th, NULL);
		return 1;
	}
	w = ASYNC_WAIT_CTX_new();
	if (!w)
		return fail("no wait ctx");
	do {
		ret = ASYNC_start_job(&job, w, &r, fmsg_job_fn, &f, sizeof(f));
		if (ret == ASYNC_PAUSE && on_pause && !paused++)
			on_pause();
	} while (ret == ASYNC_PAUSE);
	ASYNC_WAIT_CTX_free(w);
	if (ret != ASYNC_FINISH)
		return fail("job: %d", ret);
	if (on_pause && !paused)
		return fail("the job never paused on the stalled device");
	return 1;
}

/* @f failed, and its error names asyncoff and @cause. */
static int fmsg_failed(const struct fmsg *f, const char *what,
		       const char *cause)
{
	printf("# %s: %s\n", what, f->err);
	if (f->ok)
		return fail("%s succeeded", what);
	if (f->after_fail)
		return fail("%s: final succeeded after the failed update",
			    what);
	if (strncmp(f->err, "asyncoff: ", 10) || !strstr(f->err, cause))
		return fail("%s: the error \"%s\" does not name asyncoff and "
			    "\"%s\"", what, f->err, cause);
	return 1;
}

static void do_reset(void)
{
	sysfs_write("reset", "1");
}

static void do_stall_reset(void)
{
	sysfs_write("reset", "1");
	sysfs_write("stall_ms", "0");
}

/*
 * A message of kind @k whose device request fails (injected -EIO, or a
 * reset while it is in flight), encrypting and decrypting: EVP fails and
 * says why; then a reset, and the next message (a new device context)
 * is right, also with a reset between its AAD and its text.
 */
static int fault_one(int k, int in_job)
{
	static unsigned char key[32], iv[12], aad[13], pt[4096];
	unsigned char ct[4096], tag[16];
	struct fmsg *f = calloc(1, sizeof(*f));
	struct msg m = { .enc = 1, .key = key, .iv = iv, .ivlen = 12,
			 .aad = aad, .aadlen = sizeof(aad), .in = pt,
			 .len = sizeof(pt), .tag = tag, .taglen = 16 };
	long long s0;
	int ok = 0;

	rnd_fill(key, sizeof(key));
	rnd_fill(iv, sizeof(iv));
	rnd_fill(aad, sizeof(aad));
	rnd_fill(pt, sizeof(pt));
	if (!f || run_msg(ci_def[k], &m, ct) != 1) {
		fail("reference message");
		goto out;
	}
	f->k = k;
	f->key = key;
	f->iv = iv;
	f->aad = aad;
	f->aadlen = sizeof(aad);
	f->len = sizeof(pt);

	/* Injected -EIO on every request. */
	sysfs_write("fail_every", "1");
	f->enc = 1;
	f->in = pt;
	if (!fmsg_go(f, in_job, NULL) ||
	    !fmsg_failed(f, "encrypt, fail_every=1", "request failed") ||
	    !strstr(f->err, "Input/output error"))
		goto out;
	f->enc = 0;
	f->in = ct;
	f->tag_in = tag;
	if (!fmsg_go(f, in_job, NULL) ||
	    !fmsg_failed(f, "decrypt, fail_every=1", "request failed"))
		goto out;
	sysfs_write("fail_every", "0");

	/* A reset while the request waits on a stalled engine. */
	sysfs_write("stall_ms", "10000");
	f->enc = 1;
	f->in = pt;
	if (!fmsg_go(f, in_job, do_stall_reset) ||
	    !fmsg_failed(f, "encrypt, reset in flight", "reset"))
		goto out;
	sysfs_write("stall_ms", "0");

	/* After a reset: the next messages, on a new context, are right. */
	do_reset();
	s0 = submitted();
	f->enc = 1;
	f->in = pt;
	if (!fmsg_go(f, in_job, NULL))
		goto out;
	if (!f->ok || memcmp(f->out, ct, sizeof(pt)) || memcmp(f->tag, tag, 16)) {
		fail("encrypt after the reset: %s", f->ok ? "differs" : f->err);
		goto out;
	}
	f->enc = 0;
	f->in = ct;
	f->mid = do_reset;	/* between the AAD and the text */
	if (!fmsg_go(f, in_job, NULL))
		goto out;
	if (!f->ok || memcmp(f->out, pt, sizeof(pt))) {
		fail("decrypt with a reset after the AAD: %s",
		     f->ok ? "differs" : f->err);
		goto out;
	}
	if (submitted() - s0 < 2) {
		fail("the messages after the reset did not reach the device");
		goto out;
	}
	ok = 1;
out:
	sysfs_write("fail_every", "0");
	sysfs_write("stall_ms", "0");
	free(f);
	return ok;
}

static int t_faults(void)
{
	static const int kinds[] = { 0, 3 };	/* AES-128-GCM, ChaCha20-P */

	if (!policy_device) {
		skip_reason = "runs once, in the device run (aead:0), "
			      "where every message reaches the device";
		return 1;
	}
	if (!sysfs_write("fail_every", "0")) {
		skip_reason = "cannot write " "fail_every";
		return 1;
	}
	for (int i = 0; i < 2; i++)
		for (int in_job = 0; in_job < 2; in_job++)
			if (!fault_one(kinds[i], in_job)) {
				snprintf(failmsg + strlen(failmsg),
					 sizeof(failmsg) - strlen(failmsg),
					 " (%s, %s)", names[kinds[i]],
					 in_job ? "in a job" : "no job");
				return 0;
			}
	return 1;
}

static const struct test tests[] = {
	{ "known_answers_gcm_and_chacha20_poly1305", t_vectors },
	{ "random_messages_pieces_in_place_copies_vs_default", t_random },
	{ "bad_iv_tag_and_key_lengths", t_bad_lengths },
	{ "tls12_records_aad_and_fixed_iv_cross_decrypt", t_tls12 },
	{ "tls13_per_record_iv_key_kept_vs_default", t_tls13 },
	{ "16_async_jobs_pause_on_the_device", t_jobs },
	{ "offload_policy_counts", t_policy },
	{ "faults_and_reset_mid_message_then_next_message_works", t_faults },
};

int main(int argc, char **argv)
{
	size_t nt = sizeof(tests) / sizeof(tests[0]);
	unsigned long long seed = (unsigned long long)time(NULL);
	const char *modules = getenv("OPENSSL_MODULES");
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--quick"))
			quick = 1;
		else if (!strcmp(argv[i], "--vectors") && i + 1 < argc)
			vec_file = argv[++i];
		else if (!strcmp(argv[i], "--policy") && i + 1 < argc)
			policy_device = !strcmp(argv[++i], "device");
		else {
			fprintf(stderr, "usage: %s --vectors FILE [--seed N] "
				"[--quick] [--policy device|default]\n",
				argv[0]);
			return 2;
		}
	}
	if (!vec_file) {
		fprintf(stderr, "%s: --vectors FILE is needed\n", argv[0]);
		return 2;
	}
	rng_state = seed | 1;
	printf("1..%zu\n# seed %llu, policy %s\n", nt, seed,
	       policy_device ? "device (aead:0)" : "default");
	libctx = OSSL_LIB_CTX_new();
	if (modules)
		OSSL_PROVIDER_set_default_search_path(libctx, modules);
	if (!libctx || !OSSL_PROVIDER_load(libctx, "asyncoff") ||
	    !OSSL_PROVIDER_load(libctx, "default")) {
		ERR_print_errors_fp(stdout);
		for (size_t i = 0; i < nt; i++)
			printf("not ok %zu aead: %s # provider not loaded\n",
			       i + 1, tests[i].name);
		return 1;
	}
	for (int k = 0; k < NNAMES; k++) {
		ci_aoff[k] = EVP_CIPHER_fetch(libctx, names[k],
					      "provider=asyncoff");
		ci_def[k] = EVP_CIPHER_fetch(libctx, names[k],
					     "provider=default");
		if (!ci_aoff[k] || !ci_def[k]) {
			ERR_print_errors_fp(stdout);
			return 1;
		}
	}
	for (size_t i = 0; i < nt; i++) {
		int ok = tests[i].fn();

		report(tests[i].name, ok);
		if (!ok)
			status = 1;
	}
	for (int k = 0; k < NNAMES; k++) {
		EVP_CIPHER_free(ci_aoff[k]);
		EVP_CIPHER_free(ci_def[k]);
	}
	OSSL_LIB_CTX_free(libctx);
	return status;
}
