// SPDX-License-Identifier: Apache-2.0
/*
 * AEAD (AES-GCM, ChaCha20-Poly1305) and SHA-384/512 (one-shot, partial,
 * HMAC): known answers (the GCM specification's test cases from NIST,
 * RFC 8439 section 2.8.2, FIPS 180-4 examples, RFC 4231), randomised
 * comparison with OpenSSL (plaintext 0..64 KiB, AAD 0..1 KiB, every tag
 * length, in place and apart, random partial-hash pieces mixed with
 * SHA-256 chains in shared slots), tag failures that must leave the
 * output untouched, every documented error and bound, and a device reset
 * in the middle of a record stream and a partial digest.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

#define DATA_BYTES	(4u << 20)
#define SLOTS		AOFF_HASH_SLOTS_DEFAULT
/* Where the random tests put things (all inside DATA_BYTES). */
#define KB_AT		0		/* key blocks: 0 .. 4 KiB */
#define AAD_AT		8192		/* AAD: 8 KiB .. 80 KiB */
#define IN_AT		(128u << 10)	/* input: 128 KiB .. 400 KiB */
#define OUT_AT		(1u << 20)	/* output: 1 MiB .. 1.3 MiB */


/* One SQE, submitted and completed; returns the CQE's res. */
/* Several SQEs in one doorbell; res[i] is the result of sqes[i]. */
/* The four AEAD opcodes as (gcm, enc). */
static uint8_t aead_op(int gcm, int enc)
{
	if (gcm)
		return enc ? AOFF_OP_AES_GCM_ENCRYPT : AOFF_OP_AES_GCM_DECRYPT;
	return enc ? AOFF_OP_CHACHA20_POLY1305_ENCRYPT :
		     AOFF_OP_CHACHA20_POLY1305_DECRYPT;
}

static struct aoff_sqe aead_sqe(int gcm, int enc, uint64_t kb, uint8_t klen,
				uint64_t aad, uint32_t aad_len, uint8_t tlen,
				uint64_t in, uint32_t in_len, uint64_t out)
{
	struct aoff_sqe s;

	memset(&s, 0, sizeof(s));
	s.opcode = aead_op(gcm, enc);
	s.aead.key_off = kb;
	s.aead.key_len = klen;
	s.aead.aad_off = aad_len ? aad : 0;
	s.aead.aad_len = aad_len;
	s.aead.tag_len = tlen;
	s.in_off = in;
	s.in_len = in_len;
	s.out_off = out;
	s.out_len = enc ? in_len + tlen : in_len - tlen;
	return s;
}

static const EVP_CIPHER *aead_cipher(int gcm, uint32_t klen)
{
	if (!gcm)
		return EVP_chacha20_poly1305();
	return klen == 16 ? EVP_aes_128_gcm() : klen == 24 ?
	       EVP_aes_192_gcm() : EVP_aes_256_gcm();
}

/*
 * OpenSSL's result.  Encrypt: out = ciphertext || tag.  Decrypt: in is
 * ciphertext || tag, out the plaintext.  Returns 0, or -1 when the tag
 * does not match or OpenSSL refused.
 */
static int aead_ref(int gcm, int enc, const uint8_t *kb, uint32_t klen,
		    const uint8_t *aad, uint32_t aad_len, uint32_t tlen,
		    const uint8_t *in, uint32_t in_len, uint8_t *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint32_t text = enc ? in_len : in_len - tlen;
	int l = 0, ok;

	ok = c && EVP_CipherInit_ex(c, aead_cipher(gcm, klen), NULL, NULL,
				    NULL, enc) > 0 &&
	     EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) > 0 &&
	     EVP_CipherInit_ex(c, NULL, NULL, kb, kb + klen, enc) > 0;
	if (ok && aad_len)
		ok = EVP_CipherUpdate(c, NULL, &l, aad, (int)aad_len) > 0;
	if (ok && text)
		ok = EVP_CipherUpdate(c, out, &l, in, (int)text) > 0;
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_TAG, (int)tlen,
					 (void *)(in + text)) > 0;
	if (ok)
		ok = EVP_CipherFinal_ex(c, out + text, &l) > 0;
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, (int)tlen,
					 out + text) > 0;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -1;
}

static const uint8_t gcm_tags[] = { 4, 8, 12, 13, 14, 15, 16 };

FIXTURE(aead) {
	struct aoff_ring r;
	long long params[AOFF_NPARAMS];
	int have_aead, have_sha512;	/* the driver offers them */
};

/* Debian's kernels have every transform; others (tinyconfig) may not. */
static int debian_kernel(void)
{
	char buf[512] = "";
	FILE *f = fopen("/proc/version", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	return strstr(buf, "Debian") != NULL;
}

static int have_ops(const struct aoff_info *info, int lo, int hi)
{
	for (; lo <= hi; lo++)
		if (!(info->ops[0] & (1ull << lo)))
			return 0;
	return 1;
}

/* A kernel without the transforms: skip, saying why (the log names it). */
#define NEED(what)							\
	do {								\
		if (!self->have_##what)					\
			SKIP(return, "the driver offers no " #what	\
			     " ops on this kernel (dmesg: \"no ...\")");	\
	} while (0)

FIXTURE_SETUP(aead)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	aoff_params_save(self->params);
	ASSERT_EQ(0, aoff_ring_init(&self->r, 256, 512, DATA_BYTES));
	ASSERT_EQ(SLOTS, self->r.s.hash_slots);
	AOFF_RND_SEED();
	{
		struct aoff_info info;

		memset(&info, 0, sizeof(info));
		info.size = sizeof(info);
		ASSERT_EQ(0, aoff_ioctl(self->r.fd, AOFF_IOC_INFO, &info));
		self->have_aead = have_ops(&info, AOFF_OP_AES_GCM_ENCRYPT,
					   AOFF_OP_CHACHA20_POLY1305_DECRYPT);
		self->have_sha512 = have_ops(&info, AOFF_OP_SHA384,
					     AOFF_OP_HMAC_SHA512);
	}
}

FIXTURE_TEARDOWN(aead)
{
	aoff_ring_exit(&self->r);
	aoff_params_restore(self->params);
}

TEST_F(aead, info_lists_ops)
{
	struct aoff_info info;
	int op;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ASSERT_EQ(0, aoff_ioctl(self->r.fd, AOFF_IOC_INFO, &info));
	/* Debian's 6.1 and 6.12 have every transform these need. */
	if (!debian_kernel() && !(self->have_aead && self->have_sha512))
		SKIP(return, "not a Debian kernel, and it lacks %s",
		     self->have_aead ? "sha384/sha512" : "gcm or rfc7539");
	for (op = AOFF_OP_AES_GCM_ENCRYPT; op <= AOFF_OP_HMAC_SHA512; op++)
		EXPECT_TRUE(info.ops[0] & (1ull << op)) TH_LOG("opcode %d", op);
}

/* The GCM specification's test cases 1, 2, 4, 10 and 16. */
TEST_F(aead, gcm_kat)
{
	static const char *p4 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da"
		"2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657"
		"ba637b39";
	static const char *a4 = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
	static const struct { const char *key, *iv, *pt, *aad, *ct, *tag; } v[] = {
		{ "00000000000000000000000000000000", "000000000000000000000000",
		  "", "", "", "58e2fccefa7e3061367f1d57a4e7455a" },
		{ "00000000000000000000000000000000", "000000000000000000000000",
		  "00000000000000000000000000000000", "",
		  "0388dace60b6a392f328c2b971b2fe78",
		  "ab6e47d42cec13bdf53a67b21257bddf" },
		{ "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
		  NULL, NULL,
		  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
		  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
		  "5bc94fbc3221a5db94fae95ae7121a47" },
		{ "feffe9928665731c6d6a8f9467308308feffe9928665731c",
		  "cafebabefacedbaddecaf888", NULL, NULL,
		  "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
		  "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
		  "2519498e80f1478f37ba55bd6d27618c" },
		{ "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
		  "cafebabefacedbaddecaf888", NULL, NULL,
		  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
		  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
		  "76fc6ece0f4e1768cddf8853bb2d551b" },
	};
	uint8_t *d = self->r.data, pt[64], ct[64], tag[16];
	struct aoff_sqe s;
	unsigned int i, t;

	NEED(aead);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint32_t klen = aoff_unhex(d + 100, v[i].key);
		uint32_t n = aoff_unhex(pt, v[i].pt ? v[i].pt : p4);
		uint32_t alen = aoff_unhex(d + 4090, v[i].aad ? v[i].aad : a4);

		aoff_unhex(d + 100 + klen, v[i].iv);
		aoff_unhex(ct, v[i].ct);
		aoff_unhex(tag, v[i].tag);
		for (t = 0; t < sizeof(gcm_tags); t++) {
			uint8_t tl = gcm_tags[t];

			/* Input and output cross pages; AAD too. */
			memcpy(d + 8190, pt, n);
			memset(d + 12285, 0xee, 100);
			s = aead_sqe(1, 1, 100, klen, 4090, alen, tl, 8190, n,
				     12285);
			ASSERT_EQ(n + tl, aoff_run1(&self->r, &s)) TH_LOG("case %u", i);
			EXPECT_EQ(0, memcmp(ct, d + 12285, n)) TH_LOG("case %u", i);
			/* A short tag is the full tag's leading bytes. */
			EXPECT_EQ(0, memcmp(tag, d + 12285 + n, tl))
				TH_LOG("case %u tag %u", i, tl);
			EXPECT_EQ(0xee, d[12285 + n + tl]) TH_LOG("wrote past res");
			/* And back, in place. */
			s = aead_sqe(1, 0, 100, klen, 4090, alen, tl, 12285,
				     n + tl, 12285);
			ASSERT_EQ(n, aoff_run1(&self->r, &s)) TH_LOG("case %u", i);
			EXPECT_EQ(0, memcmp(pt, d + 12285, n)) TH_LOG("case %u", i);
		}
	}
}

/* RFC 8439 section 2.8.2. */
TEST_F(aead, chacha20_poly1305_kat)
{
	static const char *pt = "Ladies and Gentlemen of the class of '99: If I "
		"could offer you only one tip for the future, sunscreen would be it.";
	static const char *ct =
		"d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
		"3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
		"92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
		"3ff4def08e4b7a9de576d26586cec64b6116"
		"1ae10b594f09e26a7e902ecbd0600691";
	uint8_t *d = self->r.data, exp[200];
	uint32_t n = strlen(pt), i;
	struct aoff_sqe s;

	NEED(aead);
	for (i = 0; i < 32; i++)
		d[4080 + i] = 0x80 + i;		/* the key block crosses a page */
	aoff_unhex(d + 4080 + 32, "070000004041424344454647");
	aoff_unhex(d + 5000, "50515253c0c1c2c3c4c5c6c7");
	memcpy(d + 20000, pt, n);
	ASSERT_EQ(n + 16, aoff_unhex(exp, ct));
	s = aead_sqe(0, 1, 4080, 32, 5000, 12, 16, 20000, n, 20000);
	ASSERT_EQ(n + 16, aoff_run1(&self->r, &s));
	EXPECT_EQ(0, memcmp(exp, d + 20000, n + 16));
	s = aead_sqe(0, 0, 4080, 32, 5000, 12, 16, 20000, n + 16, 30000);
	ASSERT_EQ(n, aoff_run1(&self->r, &s));
	EXPECT_EQ(0, memcmp(pt, d + 30000, n));
}

/* Text lengths: every short one is likely, then up to 64 KiB. */
static uint32_t pick_text(void)
{
	switch (aoff_rnd_below(4)) {
	case 0:
		return aoff_rnd_below(65);
	case 1:
		return aoff_rnd_below(1100);
	default:
		return aoff_rnd_below(65537);
	}
}

static uint32_t pick_aad(void)
{
	static const uint32_t tls[] = { 0, 5, 13 };	/* none, 1.3, 1.2 */

	return aoff_rnd_below(3) ? tls[aoff_rnd_below(3)] : aoff_rnd_below(1025);
}

/*
 * One random record through the device and OpenSSL: encrypt must give
 * OpenSSL's ciphertext and tag, decrypt of that must give the plaintext.
 */
static int aead_random_one(struct __test_metadata *_metadata,
			   struct aoff_ring *r, uint8_t *ref)
{
	int gcm = aoff_rnd_below(2);
	uint32_t klen = gcm ? 16 + 8 * aoff_rnd_below(3) : 32;
	uint32_t tl = gcm ? gcm_tags[aoff_rnd_below(sizeof(gcm_tags))] : 16;
	uint32_t n = pick_text(), alen = pick_aad();
	uint64_t kb = KB_AT + aoff_rnd_below(4096 - 44), aad = AAD_AT + aoff_rnd_below(4096);
	uint64_t in = IN_AT + aoff_rnd_below(4096);
	uint64_t out = aoff_rnd_below(2) ? in : OUT_AT + aoff_rnd_below(4096);
	uint8_t *d = r->data;
	struct aoff_sqe s;

	aoff_rnd_fill(d + kb, klen + 12);
	aoff_rnd_fill(d + aad, alen);
	aoff_rnd_fill(d + in, n);
	if (aead_ref(gcm, 1, d + kb, klen, d + aad, alen, tl, d + in, n, ref))
		return -1;
	s = aead_sqe(gcm, 1, kb, klen, aad, alen, tl, in, n, out);
	EXPECT_EQ(n + tl, aoff_run1(r, &s)) TH_LOG("gcm %d klen %u n %u aad %u tag %u",
					       gcm, klen, n, alen, tl);
	EXPECT_EQ(0, memcmp(ref, d + out, n + tl))
		TH_LOG("encrypt: gcm %d klen %u n %u aad %u tag %u", gcm, klen,
		       n, alen, tl);
	/* Decrypt what the device wrote, in place or elsewhere. */
	in = out;
	out = aoff_rnd_below(2) ? in : IN_AT + 4096 + aoff_rnd_below(4096);
	memcpy(ref + n + tl, d + in, n + tl);
	if (aead_ref(gcm, 0, d + kb, klen, d + aad, alen, tl, ref + n + tl,
		     n + tl, ref))
		return -1;
	s = aead_sqe(gcm, 0, kb, klen, aad, alen, tl, in, n + tl, out);
	EXPECT_EQ(n, aoff_run1(r, &s)) TH_LOG("decrypt: gcm %d n %u", gcm, n);
	EXPECT_EQ(0, memcmp(ref, d + out, n)) TH_LOG("decrypt: gcm %d n %u",
						     gcm, n);
	return 0;
}

TEST_F(aead, aead_vs_openssl)
{
	static uint8_t ref[2 * (65536 + 16)];
	unsigned int i;

	NEED(aead);
	for (i = 0; i < 160 && !_metadata->exit_code; i++)
		ASSERT_EQ(0, aead_random_one(_metadata, &self->r, ref))
			TH_LOG("OpenSSL refused record %u", i);
}

/* The largest text and AAD work; one more byte is -EMSGSIZE. */
TEST_F(aead, aead_bounds)
{
	static uint8_t ref[AOFF_AEAD_TEXT_MAX + 16];
	uint8_t *d = self->r.data;
	const uint32_t n = AOFF_AEAD_TEXT_MAX, alen = AOFF_AEAD_AAD_MAX;
	const uint64_t aad = 4096, in = 128 << 10, out = 1 << 20;
	struct aoff_sqe s;
	int gcm;

	NEED(aead);
	for (gcm = 0; gcm < 2; gcm++) {
		aoff_rnd_fill(d, 44);
		aoff_rnd_fill(d + aad, alen);
		aoff_rnd_fill(d + in, n + 1);
		ASSERT_EQ(0, aead_ref(gcm, 1, d, 32, d + aad, alen, 16, d + in,
				      n, ref));
		s = aead_sqe(gcm, 1, 0, 32, aad, alen, 16, in, n, out);
		ASSERT_EQ(n + 16, aoff_run1(&self->r, &s));
		EXPECT_EQ(0, memcmp(ref, d + out, n + 16)) TH_LOG("gcm %d", gcm);
		s = aead_sqe(gcm, 0, 0, 32, aad, alen, 16, out, n + 16, out);
		ASSERT_EQ(n, aoff_run1(&self->r, &s));
		EXPECT_EQ(0, memcmp(d + in, d + out, n)) TH_LOG("gcm %d", gcm);

		s = aead_sqe(gcm, 1, 0, 32, aad, alen, 16, in, n + 1, out);
		EXPECT_EQ(-EMSGSIZE, aoff_run1(&self->r, &s));
		s = aead_sqe(gcm, 0, 0, 32, aad, alen, 16, in, n + 17, out);
		EXPECT_EQ(-EMSGSIZE, aoff_run1(&self->r, &s));
		s = aead_sqe(gcm, 1, 0, 32, aad, alen + 1, 16, in, 16, out);
		EXPECT_EQ(-EMSGSIZE, aoff_run1(&self->r, &s));
	}
}

/*
 * A decryption whose tag does not match completes with -EBADMSG and
 * writes nothing: the output range (apart or in place) keeps its bytes.
 */
TEST_F(aead, tag_mismatch)
{
	uint8_t *d = self->r.data, save[2048 + 16];
	const uint64_t kb = 100, aad = 300, in = 5000, out = 9000;
	const uint32_t n = 2000, alen = 13;
	struct aoff_sqe s;
	int gcm, what, inplace;

	NEED(aead);
	for (gcm = 0; gcm < 2; gcm++) {
		uint32_t tl = gcm ? 12 : 16, klen = gcm ? 16 : 32;

		aoff_rnd_fill(d + kb, klen + 12);
		aoff_rnd_fill(d + aad, alen);
		aoff_rnd_fill(d + in, n);
		s = aead_sqe(gcm, 1, kb, klen, aad, alen, tl, in, n, in);
		ASSERT_EQ(n + tl, aoff_run1(&self->r, &s));
		/* 0 tag, 1 last tag byte, 2 ciphertext, 3 AAD, 4 nonce, 5 key */
		for (what = 0; what < 6; what++) {
			uint8_t *p = what == 0 ? d + in + n :
				     what == 1 ? d + in + n + tl - 1 :
				     what == 2 ? d + in + 1234 :
				     what == 3 ? d + aad + 12 :
				     what == 4 ? d + kb + klen + 11 : d + kb + 3;

			*p ^= 0x01;
			for (inplace = 0; inplace < 2; inplace++) {
				uint64_t o = inplace ? in : out;

				if (!inplace)
					memset(d + out, 0x5a, n + 16);
				memcpy(save, d + o, n + tl);
				s = aead_sqe(gcm, 0, kb, klen, aad, alen, tl, in,
					     n + tl, o);
				EXPECT_EQ(-EBADMSG, aoff_run1(&self->r, &s))
					TH_LOG("gcm %d change %d", gcm, what);
				EXPECT_EQ(0, memcmp(save, d + o, n + tl))
					TH_LOG("gcm %d change %d in place %d: output written",
					       gcm, what, inplace);
			}
			*p ^= 0x01;
		}
		/* Restored: it decrypts again. */
		s = aead_sqe(gcm, 0, kb, klen, aad, alen, tl, in, n + tl, out);
		EXPECT_EQ(n, aoff_run1(&self->r, &s));
	}
}

static void expect_res(struct __test_metadata *_metadata, struct aoff_ring *r,
		       struct aoff_sqe s, int want, const char *what)
{
	EXPECT_EQ(want, aoff_run1(r, &s)) TH_LOG("%s", what);
}

TEST_F(aead, aead_errors)
{
	const uint64_t D = self->r.s.data_bytes;
	struct aoff_ring *r = &self->r;
	struct aoff_sqe s, g, c;
	unsigned int i;

	NEED(aead);
	memset(r->data, 0x11, 8192);
	g = aead_sqe(1, 1, 0, 16, 100, 13, 16, 1000, 64, 2000);
	c = aead_sqe(0, 0, 0, 32, 100, 13, 16, 1000, 64, 2000);
	/* The templates are valid (decrypt: a tag failure). */
	expect_res(_metadata, r, g, 80, "valid GCM");
	expect_res(_metadata, r, c, -EBADMSG, "valid ChaCha20-Poly1305");

	/* Key and tag lengths. */
	for (i = 0; i < 40; i++) {
		int gcm_ok = (i == 16 || i == 24 || i == 32);

		s = g;
		s.aead.key_len = i;
		if (!gcm_ok)
			expect_res(_metadata, r, s, -EINVAL, "GCM key length");
		s = c;
		s.aead.key_len = i;
		if (i != 32)
			expect_res(_metadata, r, s, -EINVAL, "ChaCha key length");
		s = g;
		s.aead.tag_len = i;
		s.out_len = 64 + i;
		if (!(i == 4 || i == 8 || (i >= 12 && i <= 16)))
			expect_res(_metadata, r, s, -EINVAL, "GCM tag length");
		s = c;
		s.aead.tag_len = i;
		if (i != 16)
			expect_res(_metadata, r, s, -EINVAL, "ChaCha tag length");
	}
	s = g;
	s.aead.key_len = 255;
	expect_res(_metadata, r, s, -EINVAL, "key length 255");

	/* Reserved and unused fields. */
	s = g;
	s.aead.resv = 1;
	expect_res(_metadata, r, s, -EINVAL, "resv");
	s = g;
	s.op_flags = 1;
	expect_res(_metadata, r, s, -EINVAL, "op_flags");
	s = g;
	s.flags = 1;
	expect_res(_metadata, r, s, -EINVAL, "flags");
	s = g;
	s.aead.aad_len = 0;
	expect_res(_metadata, r, s, -EINVAL, "aad_off without AAD");
	s.aead.aad_off = 0;
	expect_res(_metadata, r, s, 80, "no AAD");

	/* Output too short; decrypt input shorter than its tag. */
	s = g;
	s.out_len = 79;
	expect_res(_metadata, r, s, -EINVAL, "encrypt out_len");
	s = c;
	s.out_len = 47;
	expect_res(_metadata, r, s, -EINVAL, "decrypt out_len");
	s = c;
	s.in_len = 15;
	s.out_len = 0;
	expect_res(_metadata, r, s, -EINVAL, "decrypt in_len < tag_len");
	s = c;
	s.in_len = 16;		/* an empty text: a tag failure, not EINVAL */
	s.out_len = 0;
	expect_res(_metadata, r, s, -EBADMSG, "decrypt of the tag alone");

	/* Every range at the end of the data area, and one byte over. */
	s = g;
	s.aead.key_off = D - 28;
	expect_res(_metadata, r, s, 80, "key block at the end");
	s.aead.key_off = D - 27;
	expect_res(_metadata, r, s, -EFAULT, "key block over the end");
	s.aead.key_off = ~0ull - 10;
	expect_res(_metadata, r, s, -EFAULT, "key block wraps");
	s = g;
	s.aead.aad_off = D - 13;
	expect_res(_metadata, r, s, 80, "AAD at the end");
	s.aead.aad_off = D - 12;
	expect_res(_metadata, r, s, -EFAULT, "AAD over the end");
	s.aead.aad_off = ~0ull;
	expect_res(_metadata, r, s, -EFAULT, "AAD wraps");
	s = g;
	s.in_off = D - 64;
	expect_res(_metadata, r, s, 80, "input at the end");
	s.in_off = D - 63;
	expect_res(_metadata, r, s, -EFAULT, "input over the end");
	s = g;
	s.out_off = D - 80;
	expect_res(_metadata, r, s, 80, "output at the end");
	s.out_off = D - 79;
	expect_res(_metadata, r, s, -EFAULT, "output over the end");
	s.out_off = ~0ull - 1;
	expect_res(_metadata, r, s, -EFAULT, "output wraps");
}

/*
 * Every encryption is OpenSSL's whatever the ranges' overlap: the
 * device reads everything before it writes (documented).
 */
TEST_F(aead, aead_overlaps)
{
	static uint8_t ref[4096 + 16];
	uint8_t *d = self->r.data, src[4096];
	const uint32_t n = 3000;
	struct aoff_sqe s;
	int shift;

	NEED(aead);
	aoff_rnd_fill(d + 100, 44);
	aoff_rnd_fill(d + 200, 40);
	aoff_rnd_fill(src, n);
	/* ref of the record, AAD and key block apart. */
	ASSERT_EQ(0, aead_ref(1, 1, d + 100, 32, d + 200, 40, 16, src, n, ref));
	for (shift = -40; shift <= 40; shift += 20) {
		memcpy(d + 10000, src, n);
		s = aead_sqe(1, 1, 100, 32, 200, 40, 16, 10000, n, 10000 + shift);
		ASSERT_EQ(n + 16, aoff_run1(&self->r, &s));
		EXPECT_EQ(0, memcmp(ref, d + 10000 + shift, n + 16))
			TH_LOG("shift %d", shift);
	}
}

/* FIPS 180-4 examples (as the NIST example files give them). */
TEST_F(aead, sha512_kat)
{
	static const char *abc2 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklm"
		"ghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	static const struct { const char *msg, *md384, *md512; } v[] = {
		{ "", "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
		      "274edebfe76f65fbd51ad2f14898b95b",
		  "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
		  "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e" },
		{ "abc", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
			 "8086072ba1e7cc2358baeca134c825a7",
		  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
		{ NULL, "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
			"fcc7c71a557e2db966c3e9fa91746039",
		  "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
		  "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909" },
		{ "a", "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b"
		       "07b8b3dc38ecc4ebae97ddd87f3d8985",
		  "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
		  "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b" },
	};
	uint8_t *d = self->r.data, md[64];
	struct aoff_sqe s;
	unsigned int i, alg;

	NEED(sha512);
	for (i = 0; i < 4; i++) {
		const char *msg = v[i].msg ? v[i].msg : abc2;
		/* The last one is a million 'a' (the FIPS 180-2 example). */
		size_t n = i == 3 ? 1000000 : strlen(msg);

		if (i == 3)
			memset(d + 4000, 'a', n);
		else
			memcpy(d + 4000, msg, n);	/* across a page */
		for (alg = 0; alg < 2; alg++) {
			uint32_t len = alg ? 64 : 48;

			memset(&s, 0, sizeof(s));
			s.opcode = alg ? AOFF_OP_SHA512 : AOFF_OP_SHA384;
			s.in_off = 4000;
			s.in_len = n;
			s.out_off = 2000000 + 5;
			s.out_len = len;
			ASSERT_EQ(len, aoff_run1(&self->r, &s));
			aoff_unhex(md, alg ? v[i].md512 : v[i].md384);
			EXPECT_EQ(0, memcmp(md, d + 2000005, len))
				TH_LOG("vector %u alg %u", i, alg);
		}
	}
}

/* RFC 4231 test cases 1, 2 and 6. */
TEST_F(aead, hmac_sha384_512_kat)
{
	static const struct { const char *mac384, *mac512; } v[] = {
		{ "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
		  "faea9ea9076ede7f4af152e8b2fa9cb6",
		  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
		  "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
		{ "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
		  "8e2240ca5e69e2c78b3239ecfab21649",
		  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
		  "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
		{ "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
		  "0c2ef6ab4030fe8296248df163f44952",
		  "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
		  "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
	};
	static const char *msgs[] = { "Hi There", "what do ya want for nothing?",
		"Test Using Larger Than Block-Size Key - Hash Key First" };
	uint8_t *d = self->r.data, mac[64];
	struct aoff_sqe s;
	unsigned int i, alg;

	NEED(sha512);
	for (i = 0; i < 3; i++) {
		uint32_t klen = i == 0 ? 20 : i == 1 ? 4 : 131;

		if (i == 0)
			memset(d + 100, 0x0b, 20);
		else if (i == 1)
			memcpy(d + 100, "Jefe", 4);
		else
			memset(d + 100, 0xaa, 131);
		memcpy(d + 1000, msgs[i], strlen(msgs[i]));
		for (alg = 0; alg < 2; alg++) {
			uint32_t len = alg ? 64 : 48;

			memset(&s, 0, sizeof(s));
			s.opcode = alg ? AOFF_OP_HMAC_SHA512 : AOFF_OP_HMAC_SHA384;
			s.hash.key_off = 100;
			s.hash.key_len = klen;
			s.in_off = 1000;
			s.in_len = strlen(msgs[i]);
			s.out_off = 3000;
			s.out_len = len;
			ASSERT_EQ(len, aoff_run1(&self->r, &s));
			aoff_unhex(mac, alg ? v[i].mac512 : v[i].mac384);
			EXPECT_EQ(0, memcmp(mac, d + 3000, len))
				TH_LOG("RFC 4231 case %u alg %u", i, alg);
		}
	}
}

static const EVP_MD *md_of(int alg)
{
	return alg == 0 ? EVP_sha256() : alg == 1 ? EVP_sha384() : EVP_sha512();
}

static uint32_t md_len(int alg)
{
	return alg == 0 ? 32 : alg == 1 ? 48 : 64;
}

TEST_F(aead, sha512_hmac_vs_openssl)
{
	uint8_t *d = self->r.data, md[64];
	unsigned int i, mdl;
	struct aoff_sqe s;

	NEED(sha512);
	for (i = 0; i < 200; i++) {
		int alg = 1 + aoff_rnd_below(2), mac = aoff_rnd_below(2);
		uint32_t n = i < 130 ? i : aoff_rnd_below(65537);
		uint32_t klen = aoff_rnd_below(4) ? aoff_rnd_below(300) : 4096;
		uint64_t in = 8192 + aoff_rnd_below(8192), out = 200000 + aoff_rnd_below(100);

		aoff_rnd_fill(d + in, n);
		aoff_rnd_fill(d + 100, klen);
		memset(&s, 0, sizeof(s));
		s.in_off = in;
		s.in_len = n;
		s.out_off = out;
		s.out_len = md_len(alg) + aoff_rnd_below(3);
		if (mac) {
			s.opcode = alg == 1 ? AOFF_OP_HMAC_SHA384 :
					      AOFF_OP_HMAC_SHA512;
			s.hash.key_off = 100;
			s.hash.key_len = klen;
			HMAC(md_of(alg), d + 100, (int)klen, d + in, n, md, &mdl);
		} else {
			s.opcode = alg == 1 ? AOFF_OP_SHA384 : AOFF_OP_SHA512;
			EVP_Digest(d + in, n, md, &mdl, md_of(alg), NULL);
		}
		ASSERT_EQ(md_len(alg), aoff_run1(&self->r, &s));
		EXPECT_EQ(0, memcmp(md, d + out, md_len(alg)))
			TH_LOG("alg %d mac %d n %u klen %u", alg, mac, n, klen);
	}
}

/*
 * Partial digests of the three algorithms in shared slots, each message
 * cut in random pieces (empty ones included), all chains interleaved in
 * one batch: each must give OpenSSL's one-shot digest.
 */
TEST_F(aead, partial_mixed_slots)
{
	static const uint8_t first[3] = { AOFF_OP_SHA256_FIRST,
		AOFF_OP_SHA384_FIRST, AOFF_OP_SHA512_FIRST };
	static struct aoff_sqe chain[SLOTS][16], sq[256];
	uint8_t *d = self->r.data, md[64];
	unsigned int nlink[SLOTS], next[SLOTS], off[SLOTS], len[SLOTS];
	unsigned int round, n, k, slot, left, total;
	int res[256], alg[SLOTS];

	NEED(sha512);
	for (round = 0; round < 6; round++) {
		/* Each slot's chain: FIRST, MIDDLEs, LAST; random pieces. */
		total = 0;
		for (slot = 0; slot < SLOTS; slot++) {
			unsigned int at = 0, links = 2 + aoff_rnd_below(14);

			alg[slot] = aoff_rnd_below(3);
			len[slot] = aoff_rnd_below(3) ? aoff_rnd_below(3000) :
						   aoff_rnd_below(40000);
			off[slot] = 65536 + slot * 40960 + aoff_rnd_below(64);
			aoff_rnd_fill(d + off[slot], len[slot]);
			for (k = 0; k < links; k++) {
				struct aoff_sqe *s = &chain[slot][k];

				left = len[slot] - at;
				memset(s, 0, sizeof(*s));
				s->opcode = first[alg[slot]] +
					    (k == 0 ? 0 : k == links - 1 ? 2 : 1);
				s->hash.state_slot = slot;
				s->in_off = off[slot] + at;
				s->in_len = k == links - 1 ? left :
					    aoff_rnd_below(4) ? aoff_rnd_below(left + 1) : 0;
				at += s->in_len;
				if (k == links - 1) {
					s->out_off = 3000000 + slot * 64;
					s->out_len = md_len(alg[slot]);
				}
			}
			nlink[slot] = links;
			next[slot] = 0;
			total += links;
		}
		/* Interleave the chains at random, each kept in order. */
		for (n = 0; n < total; ) {
			slot = aoff_rnd_below(SLOTS);
			if (next[slot] < nlink[slot])
				sq[n++] = chain[slot][next[slot]++];
		}
		ASSERT_EQ(0, aoff_run_batch(&self->r, sq, n, res));
		for (k = 0; k < n; k++)
			EXPECT_EQ((int)sq[k].out_len, res[k])
				TH_LOG("round %u sqe %u op %u", round, k,
				       sq[k].opcode);
		for (slot = 0; slot < SLOTS; slot++) {
			EVP_Digest(d + off[slot], len[slot], md, NULL,
				   md_of(alg[slot]), NULL);
			EXPECT_EQ(0, memcmp(md, d + 3000000 + slot * 64,
					    md_len(alg[slot])))
				TH_LOG("round %u slot %u alg %d len %u", round,
				       slot, alg[slot], len[slot]);
		}
	}
}

static struct aoff_sqe part_sqe(uint8_t op, uint32_t slot, uint32_t out_len)
{
	struct aoff_sqe s;

	memset(&s, 0, sizeof(s));
	s.opcode = op;
	s.hash.state_slot = slot;
	s.in_off = 100;
	s.in_len = 10;
	if (out_len) {
		s.out_off = 5000;
		s.out_len = out_len;
	}
	return s;
}

/* A slot holds one algorithm's digest; another's MIDDLE or LAST fails. */
TEST_F(aead, shared_slot_rules)
{
	struct aoff_ring *r = &self->r;
	struct aoff_sqe s;

	NEED(sha512);
	expect_res(_metadata, r, part_sqe(AOFF_OP_SHA256_FIRST, 3, 0), 0, "first");
	expect_res(_metadata, r, part_sqe(AOFF_OP_SHA512_MIDDLE, 3, 0), -ENODATA,
		   "SHA-512 on a SHA-256 slot");
	/* The failure emptied the slot for its owner too. */
	expect_res(_metadata, r, part_sqe(AOFF_OP_SHA256_LAST, 3, 32), -ENODATA,
		   "SHA-256 after the failure");
	expect_res(_metadata, r, part_sqe(AOFF_OP_SHA384_FIRST, 3, 0), 0, "first");
	expect_res(_metadata, r, part_sqe(AOFF_OP_SHA256_MIDDLE, 3, 0), -ENODATA,
		   "SHA-256 on a SHA-384 slot");
	expect_res(_metadata, r, part_sqe(AOFF_OP_SHA512_FIRST, 3, 0), 0, "first");
	expect_res(_metadata, r, part_sqe(AOFF_OP_SHA384_LAST, 3, 48), -ENODATA,
		   "SHA-384 on a SHA-512 slot");
	/* FIRST of another algorithm simply restarts the slot. */
	expect_res(_metadata, r, part_sqe(AOFF_OP_SHA512_FIRST, 3, 0), 0, "first");
	expect_res(_metadata, r, part_sqe(AOFF_OP_SHA384_FIRST, 3, 0), 0, "restart");
	expect_res(_metadata, r, part_sqe(AOFF_OP_SHA384_LAST, 3, 48), 48, "last");
	expect_res(_metadata, r, part_sqe(AOFF_OP_SHA384_LAST, 3, 48), -ENODATA,
		   "LAST emptied the slot");

	/* Field rules of the SHA-384/512 operations. */
	s = part_sqe(AOFF_OP_SHA384_FIRST, SLOTS, 0);
	expect_res(_metadata, r, s, -EINVAL, "slot out of range");
	s = part_sqe(AOFF_OP_SHA512_MIDDLE, 0, 64);
	expect_res(_metadata, r, s, -EINVAL, "MIDDLE with an output");
	s = part_sqe(AOFF_OP_SHA512_LAST, 0, 63);
	expect_res(_metadata, r, s, -EINVAL, "SHA-512 LAST out_len 63");
	s = part_sqe(AOFF_OP_SHA384_LAST, 0, 47);
	expect_res(_metadata, r, s, -EINVAL, "SHA-384 LAST out_len 47");
	s = part_sqe(AOFF_OP_SHA512_MIDDLE, 1, 0);
	expect_res(_metadata, r, s, -ENODATA, "MIDDLE on an empty slot");
	s = part_sqe(AOFF_OP_SHA512, 0, 63);
	expect_res(_metadata, r, s, -EINVAL, "one-shot out_len 63");
	s = part_sqe(AOFF_OP_SHA384, 1, 48);
	expect_res(_metadata, r, s, -EINVAL, "one-shot with a slot");
	s = part_sqe(AOFF_OP_SHA384, 0, 48);
	s.hash.key_len = 1;
	expect_res(_metadata, r, s, -EINVAL, "plain hash with a key");
	s = part_sqe(AOFF_OP_SHA512_FIRST, 0, 0);
	s.hash.resv = 1;
	expect_res(_metadata, r, s, -EINVAL, "hash.resv");
	s = part_sqe(AOFF_OP_HMAC_SHA512, 0, 64);
	s.hash.key_len = AOFF_HMAC_KEY_MAX + 1;
	expect_res(_metadata, r, s, -EINVAL, "HMAC key too long");
	s.hash.key_len = 10;
	s.hash.key_off = r->s.data_bytes - 9;
	expect_res(_metadata, r, s, -EFAULT, "HMAC key over the end");
	s.hash.key_off = 0;
	s.out_len = 63;
	expect_res(_metadata, r, s, -EINVAL, "HMAC-SHA512 out_len 63");
	s = part_sqe(AOFF_OP_HMAC_SHA384, 0, 48);
	s.hash.state_slot = 1;
	expect_res(_metadata, r, s, -EINVAL, "HMAC with a slot");
	s = part_sqe(AOFF_OP_SHA384, 0, 48);
	s.in_off = r->s.data_bytes - 9;
	expect_res(_metadata, r, s, -EFAULT, "input over the end");
}

/*
 * A reset while records and a partial SHA-384 digest are in flight: each
 * request completes once, correct or -ECANCELED; the context is broken;
 * a new one computes both again.
 */
TEST_F(aead, reset_mid_stream)
{
	static uint8_t ref[4096 + 16];
	struct aoff_sqe sq[48];
	int res[48];
	uint8_t *d = self->r.data, md[48];
	struct aoff_ring fresh;
	struct aoff_cqe c[48];
	unsigned int i, k, got = 0, cancelled = 0;
	long long resets0 = aoff_sysfs_get("resets");
	uint64_t t0;

	NEED(aead);
	NEED(sha512);
	/* Held for a second after running: the reset finds them all. */
	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 1000000000));
	aoff_rnd_fill(d, 44);
	aoff_rnd_fill(d + 100, 13);
	for (i = 0; i < 48; i++) {
		memset(&sq[i], 0, sizeof(sq[i]));
		if (i % 2) {
			aoff_rnd_fill(d + 10000 + i * 4200, 4000);
			sq[i] = aead_sqe(1, 1, 0, 16, 100, 13, 16,
					 10000 + i * 4200, 4000,
					 10000 + i * 4200);
		} else {
			sq[i].opcode = i == 0 ? AOFF_OP_SHA384_FIRST :
				       i == 46 ? AOFF_OP_SHA384_LAST :
				       AOFF_OP_SHA384_MIDDLE;
			sq[i].in_off = 500000;
			sq[i].in_len = 1000;
			if (i == 46) {
				sq[i].out_off = 600000;
				sq[i].out_len = 48;
			}
		}
		sq[i].user_data = i;
		*aoff_get_sqe(&self->r) = sq[i];
	}
	ASSERT_EQ(48, aoff_enter(&self->r, 48, 0, -1));
	usleep(5000);
	ASSERT_EQ(0, aoff_sysfs_write("reset", "1"));
	t0 = aoff_now_ns();
	while (got < 48 && aoff_now_ns() - t0 < 5000000000ull)
		got += aoff_reap(&self->r, c + got, 48 - got);
	ASSERT_EQ(48, got);
	memset(res, 0, sizeof(res));
	for (i = 0; i < 48; i++) {
		int want = c[i].user_data % 2 ? 4016 :
			   c[i].user_data == 46 ? 48 : 0;

		ASSERT_LT(c[i].user_data, 48);
		res[c[i].user_data]++;
		if (c[i].res == -ECANCELED) {
			cancelled++;
			continue;
		}
		EXPECT_EQ(want, c[i].res) TH_LOG("sqe %llu",
			(unsigned long long)c[i].user_data);
		/* A LAST that beat the reset has the whole chain's digest. */
		if (c[i].user_data == 46 && c[i].res == 48) {
			for (k = 0; k < 24; k++)
				memcpy(d + 700000 + k * 1000, d + 500000, 1000);
			EVP_Digest(d + 700000, 24000, md, NULL, EVP_sha384(),
				   NULL);
			EXPECT_EQ(0, memcmp(md, d + 600000, 48));
		}
	}
	for (i = 0; i < 48; i++)
		if (res[i] != 1)
			break;
	EXPECT_EQ(48, i) TH_LOG("an SQE completed other than once");

	EXPECT_GT(cancelled, 0);
	EXPECT_EQ(resets0 + 1, aoff_sysfs_get("resets"));
	EXPECT_EQ(-EIO, aoff_enter(&self->r, 0, 1, 0));

	/* A context opened after the reset works at once. */
	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", 0));
	ASSERT_EQ(0, aoff_ring_init(&fresh, 8, 16, 1 << 20));
	aoff_rnd_fill(fresh.data, 44);
	aoff_rnd_fill(fresh.data + 4096, 3000);
	ASSERT_EQ(0, aead_ref(1, 1, fresh.data, 16, NULL, 0, 16,
			      fresh.data + 4096, 3000, ref));
	sq[0] = aead_sqe(1, 1, 0, 16, 0, 0, 16, 4096, 3000, 8192);
	EXPECT_EQ(3016, aoff_run1(&fresh, &sq[0]));
	EXPECT_EQ(0, memcmp(ref, fresh.data + 8192, 3016));
	for (i = 0; i < 3; i++) {
		memset(&sq[i], 0, sizeof(sq[i]));
		sq[i].opcode = AOFF_OP_SHA384_FIRST + i;
		sq[i].in_off = 4096 + i * 1000;
		sq[i].in_len = 1000;
	}
	sq[2].out_off = 20000;
	sq[2].out_len = 48;
	ASSERT_EQ(0, aoff_run_batch(&fresh, sq, 3, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(0, res[1]);
	EXPECT_EQ(48, res[2]);
	EVP_Digest(fresh.data + 4096, 3000, md, NULL, EVP_sha384(), NULL);
	EXPECT_EQ(0, memcmp(md, fresh.data + 20000, 48));
	aoff_ring_exit(&fresh);
}

TEST_HARNESS_MAIN
