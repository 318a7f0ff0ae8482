// SPDX-License-Identifier: Apache-2.0
/*
 * The crypto operations: known-answer tests (FIPS 180-4 / NIST SHA-256
 * examples, RFC 4231 HMAC-SHA256, SP 800-38A AES-CBC/CTR), then
 * randomised comparison with OpenSSL's software results for every op over
 * all short lengths, some long ones, unaligned offsets and buffers that
 * cross pages of the data area; partial hashing over many random pieces
 * submitted as one batch; IV chaining; every documented error.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

#define DATA_BYTES	(4u << 20)
#define SLOTS		AOFF_HASH_SLOTS_DEFAULT


/* One SQE, submitted and completed; returns the CQE's res. */
/* Several SQEs in one doorbell; res[i] is the result of sqes[i]. */
static void sha256_ref(const uint8_t *p, size_t n, uint8_t *md)
{
	unsigned int len;

	EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
}

static const EVP_CIPHER *aes_cipher(int cbc, uint32_t klen)
{
	if (cbc)
		return klen == 16 ? EVP_aes_128_cbc() : klen == 24 ?
		       EVP_aes_192_cbc() : EVP_aes_256_cbc();
	return klen == 16 ? EVP_aes_128_ctr() : klen == 24 ?
	       EVP_aes_192_ctr() : EVP_aes_256_ctr();
}

static void aes_ref(int cbc, int enc, const uint8_t *key, uint32_t klen,
		    const uint8_t *iv, const uint8_t *in, size_t n, uint8_t *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int l1 = 0, l2 = 0;

	EVP_CipherInit_ex(c, aes_cipher(cbc, klen), NULL, key, iv, enc);
	EVP_CIPHER_CTX_set_padding(c, 0);
	if (n)
		EVP_CipherUpdate(c, out, &l1, in, (int)n);
	EVP_CipherFinal_ex(c, out + l1, &l2);
	EVP_CIPHER_CTX_free(c);
}

/* The documented chaining value of CTR: counter + ceil(n / 16). */
static void ctr_next(uint8_t *iv, size_t n)
{
	uint64_t add = (n + 15) / 16;
	int i;

	for (i = 15; i >= 0 && add; i--) {
		uint64_t v = iv[i] + (add & 0xff);

		iv[i] = (uint8_t)v;
		add = (add >> 8) + (v >> 8);
	}
}

FIXTURE(crypto) {
	struct aoff_ring r;
};

FIXTURE_SETUP(crypto)
{
	AOFF_REQUIRE_DEVICE(_metadata);
	ASSERT_EQ(0, aoff_ring_init(&self->r, 256, 512, DATA_BYTES));
	ASSERT_EQ(SLOTS, self->r.s.hash_slots);
	AOFF_RND_SEED();
}

FIXTURE_TEARDOWN(crypto)
{
	aoff_ring_exit(&self->r);
}

static struct aoff_sqe sha_sqe(uint8_t op, uint64_t in, uint32_t len,
			       uint64_t out, uint32_t slot)
{
	struct aoff_sqe s;

	memset(&s, 0, sizeof(s));
	s.opcode = op;
	s.in_off = in;
	s.in_len = len;
	s.hash.state_slot = slot;
	if (op == AOFF_OP_SHA256 || op == AOFF_OP_SHA256_LAST) {
		s.out_off = out;
		s.out_len = 32;
	}
	return s;
}

static struct aoff_sqe aes_sqe(uint8_t op, uint64_t key, uint32_t klen,
			       uint64_t iv, uint64_t in, uint32_t len,
			       uint64_t out)
{
	struct aoff_sqe s;

	memset(&s, 0, sizeof(s));
	s.opcode = op;
	s.cipher.key_off = key;
	s.cipher.key_len = klen;
	s.cipher.iv_off = iv;
	s.in_off = in;
	s.in_len = len;
	s.out_off = out;
	s.out_len = len;
	return s;
}

TEST_F(crypto, info_lists_ops)
{
	struct aoff_info info;
	int op;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ASSERT_EQ(0, aoff_ioctl(self->r.fd, AOFF_IOC_INFO, &info));
	/* The operations this file tests; aead.c checks its own. */
	for (op = 0; op <= AOFF_OP_AES_CTR_DECRYPT; op++)
		EXPECT_TRUE(info.ops[0] & (1ull << op)) TH_LOG("opcode %d", op);
	EXPECT_TRUE(info.features & AOFF_FEAT_HASH_SLOTS);
	EXPECT_TRUE(info.features & AOFF_FEAT_EVENTFD);
}

TEST_F(crypto, sha256_kat)
{
	static const struct { const char *msg, *md; } v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	uint8_t *d = self->r.data, md[32];
	struct aoff_sqe s;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		size_t n = strlen(v[i].msg);

		memcpy(d + 4095, v[i].msg, n);	/* across a page boundary */
		s = sha_sqe(AOFF_OP_SHA256, 4095, n, 8192 + 3, 0);
		ASSERT_EQ(32, aoff_run1(&self->r, &s));
		aoff_unhex(md, v[i].md);
		EXPECT_EQ(0, memcmp(md, d + 8192 + 3, 32)) TH_LOG("vector %u", i);
	}
	/* One million 'a' (FIPS 180-2 example 3). */
	memset(d, 'a', 1000000);
	s = sha_sqe(AOFF_OP_SHA256, 0, 1000000, 1000001, 0);
	ASSERT_EQ(32, aoff_run1(&self->r, &s));
	aoff_unhex(md, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	EXPECT_EQ(0, memcmp(md, d + 1000001, 32));
}

TEST_F(crypto, hmac_kat)
{
	static const struct { const char *key, *msg, *mac; } v[] = {
		{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There",
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
		{ "4a656665", "what do ya want for nothing?",
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	};
	uint8_t *d = self->r.data, mac[32];
	struct aoff_sqe s;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		const char *msg = i < 2 ? v[i].msg :
			"Test Using Larger Than Block-Size Key - Hash Key First";
		uint32_t klen = i < 2 ? strlen(v[i].key) / 2 : 131;

		memset(&s, 0, sizeof(s));
		if (i < 2)
			aoff_unhex(d + 100, v[i].key);
		else
			memset(d + 100, 0xaa, 131);
		memcpy(d + 1000, msg, strlen(msg));
		s.opcode = AOFF_OP_HMAC_SHA256;
		s.hash.key_off = 100;
		s.hash.key_len = klen;
		s.in_off = 1000;
		s.in_len = strlen(msg);
		s.out_off = 2000;
		s.out_len = 32;
		ASSERT_EQ(32, aoff_run1(&self->r, &s));
		aoff_unhex(mac, i < 2 ? v[i].mac :
		    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
		EXPECT_EQ(0, memcmp(mac, d + 2000, 32)) TH_LOG("RFC 4231 case %u", i);
	}
}

TEST_F(crypto, aes_kat)
{
	static const char *pt = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
				"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
	static const struct { int op; const char *key, *iv, *ct, *iv_out; } v[] = {
		{ AOFF_OP_AES_CBC_ENCRYPT, "2b7e151628aed2a6abf7158809cf4f3c",
		  "000102030405060708090a0b0c0d0e0f",
		  "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
		  "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7",
		  "3ff1caa1681fac09120eca307586e1a7" },
		{ AOFF_OP_AES_CBC_ENCRYPT,
		  "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
		  "000102030405060708090a0b0c0d0e0f",
		  "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
		  "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b",
		  "b2eb05e2c39be9fcda6c19078c6a9d1b" },
		{ AOFF_OP_AES_CTR_ENCRYPT, "2b7e151628aed2a6abf7158809cf4f3c",
		  "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
		  "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
		  "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee",
		  "f0f1f2f3f4f5f6f7f8f9fafbfcfdff03" },
	};
	uint8_t *d = self->r.data, exp[64], iv_out[16], iv[16];
	struct aoff_sqe s;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		uint32_t klen = strlen(v[i].key) / 2;

		aoff_unhex(d + 10, v[i].key);
		aoff_unhex(iv, v[i].iv);
		memcpy(d + 100, iv, 16);
		aoff_unhex(d + 4090, pt);		/* input crosses a page */
		s = aes_sqe(v[i].op, 10, klen, 100, 4090, 64, 12280);
		ASSERT_EQ(64, aoff_run1(&self->r, &s));
		aoff_unhex(exp, v[i].ct);
		aoff_unhex(iv_out, v[i].iv_out);
		EXPECT_EQ(0, memcmp(exp, d + 12280, 64)) TH_LOG("vector %u", i);
		EXPECT_EQ(0, memcmp(iv_out, d + 100, 16)) TH_LOG("IV %u", i);
		/* And back, in place, from the original IV. */
		memcpy(d + 100, iv, 16);
		s = aes_sqe(v[i].op == AOFF_OP_AES_CBC_ENCRYPT ?
			    AOFF_OP_AES_CBC_DECRYPT : AOFF_OP_AES_CTR_DECRYPT,
			    10, klen, 100, 12280, 64, 12280);
		ASSERT_EQ(64, aoff_run1(&self->r, &s));
		aoff_unhex(exp, pt);
		EXPECT_EQ(0, memcmp(exp, d + 12280, 64)) TH_LOG("decrypt %u", i);
		EXPECT_EQ(0, memcmp(iv_out, d + 100, 16)) TH_LOG("dec IV %u", i);
	}
}

/* Lengths 0..1100 every byte, then random ones up to 64 KiB and two big. */
static uint32_t pick_len(unsigned int i, unsigned int *n_total)
{
	*n_total = 1101 + 60 + 2;
	if (i <= 1100)
		return i;
	if (i < 1161)
		return aoff_rnd_below(65536);
	return i == 1161 ? 300000 + aoff_rnd_below(4096) : 1 << 20;
}

/* An offset that often straddles a page boundary. */
static uint64_t pick_off(uint32_t len, uint64_t lo, uint64_t hi)
{
	uint64_t span = hi - lo - len, off;

	if (aoff_rnd_below(2)) {
		off = ((lo + aoff_rnd_below(span)) & ~4095ull) + 4096 - aoff_rnd_below(64);
		if (off >= lo && off + len <= hi)
			return off;
	}
	return lo + aoff_rnd_below(span);
}

TEST_F(crypto, sha256_vs_openssl)
{
	uint8_t *d = self->r.data, md[32];
	unsigned int i, n = 1;
	struct aoff_sqe s;

	for (i = 0; i < n; i++) {
		uint32_t len = pick_len(i, &n);
		uint64_t in = pick_off(len, 0, DATA_BYTES / 2);
		uint64_t out = pick_off(32, DATA_BYTES / 2, DATA_BYTES);

		aoff_rnd_fill(d + in, len);
		s = sha_sqe(AOFF_OP_SHA256, in, len, out, 0);
		ASSERT_EQ(32, aoff_run1(&self->r, &s)) TH_LOG("len %u", len);
		sha256_ref(d + in, len, md);
		ASSERT_EQ(0, memcmp(md, d + out, 32)) TH_LOG("len %u off %llu", len,
							   (unsigned long long)in);
	}
}

TEST_F(crypto, hmac_vs_openssl)
{
	uint8_t *d = self->r.data, mac[32];
	unsigned int i, n = 1, mlen;
	struct aoff_sqe s;

	for (i = 0; i < n; i++) {
		uint32_t len = pick_len(i, &n);
		uint32_t klen = aoff_rnd_below(4) ? aoff_rnd_below(200) : aoff_rnd_below(AOFF_HMAC_KEY_MAX + 1);
		uint64_t key = pick_off(klen, 0, 65536);
		uint64_t in = pick_off(len, 65536, DATA_BYTES / 2);
		uint64_t out = pick_off(32, DATA_BYTES / 2, DATA_BYTES);

		aoff_rnd_fill(d + key, klen);
		aoff_rnd_fill(d + in, len);
		memset(&s, 0, sizeof(s));
		s.opcode = AOFF_OP_HMAC_SHA256;
		s.hash.key_off = key;
		s.hash.key_len = klen;
		s.in_off = in;
		s.in_len = len;
		s.out_off = out;
		s.out_len = 32 + aoff_rnd_below(3);
		ASSERT_EQ(32, aoff_run1(&self->r, &s)) TH_LOG("len %u klen %u", len, klen);
		HMAC(EVP_sha256(), d + key, (int)klen, d + in, len, mac, &mlen);
		ASSERT_EQ(0, memcmp(mac, d + out, 32)) TH_LOG("len %u klen %u", len, klen);
	}
}

static void aes_compare(struct __test_metadata *_metadata, struct aoff_ring *r,
			int cbc)
{
	static const uint32_t klens[] = { 16, 24, 32 };
	uint8_t *d = r->data, iv[16], iv2[16];
	uint8_t *exp = malloc(1 << 20);
	unsigned int i, n = 1;
	struct aoff_sqe s;

	ASSERT_NE(NULL, exp);
	for (i = 0; i < n; i++) {
		uint32_t len = pick_len(i, &n), klen = klens[aoff_rnd_below(3)];
		int enc = aoff_rnd_below(2), inplace = !aoff_rnd_below(3);
		uint64_t key, ivo, in, out;
		int op;

		if (cbc)
			len &= ~15u;
		key = pick_off(klen, 0, 32768);
		ivo = pick_off(16, 32768, 65536);
		in = pick_off(len, 65536, DATA_BYTES / 2);
		out = inplace ? in : pick_off(len, DATA_BYTES / 2, DATA_BYTES);
		aoff_rnd_fill(d + key, klen);
		aoff_rnd_fill(iv, 16);
		memcpy(d + ivo, iv, 16);
		aoff_rnd_fill(d + in, len);
		aes_ref(cbc, enc, d + key, klen, iv, d + in, len, exp);
		/* The documented chaining value. */
		memcpy(iv2, iv, 16);
		if (!cbc)
			ctr_next(iv2, len);
		else if (len)
			memcpy(iv2, (enc ? exp : d + in) + len - 16, 16);

		if (cbc)
			op = enc ? AOFF_OP_AES_CBC_ENCRYPT : AOFF_OP_AES_CBC_DECRYPT;
		else
			op = enc ? AOFF_OP_AES_CTR_ENCRYPT : AOFF_OP_AES_CTR_DECRYPT;
		s = aes_sqe(op, key, klen, ivo, in, len, out);
		s.out_len += aoff_rnd_below(3);
		ASSERT_EQ((int)len, aoff_run1(r, &s))
			TH_LOG("len %u klen %u enc %d", len, klen, enc);
		ASSERT_EQ(0, memcmp(exp, d + out, len))
			TH_LOG("len %u klen %u enc %d in place %d", len, klen, enc, inplace);
		ASSERT_EQ(0, memcmp(iv2, d + ivo, 16))
			TH_LOG("IV: len %u klen %u enc %d", len, klen, enc);
	}
	free(exp);
}

TEST_F(crypto, aes_cbc_vs_openssl)
{
	aes_compare(_metadata, &self->r, 1);
}

TEST_F(crypto, aes_ctr_vs_openssl)
{
	aes_compare(_metadata, &self->r, 0);
}

/* A stream cut in random pieces, chained through the IV, equals one call. */
TEST_F(crypto, aes_chaining)
{
	uint8_t *d = self->r.data, iv[16];
	uint8_t *exp = malloc(65536);
	struct aoff_sqe sq[64];
	int res[64], cbc;

	ASSERT_NE(NULL, exp);
	for (cbc = 0; cbc < 2; cbc++) {
		uint32_t total = 0, pos = 0, piece;
		unsigned int k = 0, i;

		aoff_rnd_fill(d, 32);
		aoff_rnd_fill(iv, 16);
		memcpy(d + 64, iv, 16);
		aoff_rnd_fill(d + 4096, 65536);
		while (k < 40) {
			piece = 16 * (1 + aoff_rnd_below(64));
			sq[k++] = aes_sqe(cbc ? AOFF_OP_AES_CBC_ENCRYPT :
					  AOFF_OP_AES_CTR_ENCRYPT, 0, 32, 64,
					  4096 + pos, piece, 4096 + 65536 + pos);
			pos += piece;
			if (pos > 60000)
				break;
		}
		total = pos;
		/* One batch: the device starts a context's requests in order. */
		ASSERT_EQ(0, aoff_run_batch(&self->r, sq, k, res));
		for (i = 0; i < k; i++)
			ASSERT_EQ((int)sq[i].in_len, res[i]);
		aes_ref(cbc, 1, d, 32, iv, d + 4096, total, exp);
		EXPECT_EQ(0, memcmp(exp, d + 4096 + 65536, total)) TH_LOG("cbc %d", cbc);
	}
	free(exp);
}

/* Many slots interleaved, each a chain of random pieces, all in one go. */
TEST_F(crypto, sha256_partial_pieces)
{
	uint8_t *d = self->r.data, md[32];
	static struct aoff_sqe sq[256];
	static int res[256];
	uint32_t start[SLOTS], pos[SLOTS], pieces[SLOTS];
	unsigned int k = 0, i, slot, round;

	aoff_rnd_fill(d, 2u << 20);
	for (slot = 0; slot < SLOTS; slot++) {
		start[slot] = slot * 65536 + aoff_rnd_below(4096);
		pos[slot] = start[slot];
		pieces[slot] = 2 + aoff_rnd_below(12);
	}
	for (round = 0; round < 14; round++) {
		for (slot = 0; slot < SLOTS; slot++) {
			uint32_t len = aoff_rnd_below(3) ? aoff_rnd_below(200) : aoff_rnd_below(5000);
			uint8_t op;

			if (round >= pieces[slot])
				continue;
			op = round == 0 ? AOFF_OP_SHA256_FIRST :
			     round == pieces[slot] - 1 ? AOFF_OP_SHA256_LAST :
			     AOFF_OP_SHA256_MIDDLE;
			sq[k++] = sha_sqe(op, pos[slot], len,
					  (3u << 20) + slot * 64, slot);
			pos[slot] += len;
		}
	}
	ASSERT_EQ(0, aoff_run_batch(&self->r, sq, k, res));
	for (i = 0; i < k; i++)
		ASSERT_EQ(sq[i].opcode == AOFF_OP_SHA256_LAST ? 32 : 0, res[i])
			TH_LOG("sqe %u opcode %u", i, sq[i].opcode);
	for (slot = 0; slot < SLOTS; slot++) {
		sha256_ref(d + start[slot], pos[slot] - start[slot], md);
		EXPECT_EQ(0, memcmp(md, d + (3u << 20) + slot * 64, 32))
			TH_LOG("slot %u, %u pieces", slot, pieces[slot]);
	}
}

TEST_F(crypto, sha256_partial_errors)
{
	struct aoff_sqe s, sq[3];
	int res[3];

	/* No digest in progress. */
	s = sha_sqe(AOFF_OP_SHA256_MIDDLE, 0, 10, 0, 3);
	EXPECT_EQ(-ENODATA, aoff_run1(&self->r, &s));
	s = sha_sqe(AOFF_OP_SHA256_LAST, 0, 10, 100, 3);
	EXPECT_EQ(-ENODATA, aoff_run1(&self->r, &s));
	/* LAST empties the slot. */
	s = sha_sqe(AOFF_OP_SHA256_FIRST, 0, 10, 0, 3);
	EXPECT_EQ(0, aoff_run1(&self->r, &s));
	s = sha_sqe(AOFF_OP_SHA256_LAST, 0, 10, 100, 3);
	EXPECT_EQ(32, aoff_run1(&self->r, &s));
	s = sha_sqe(AOFF_OP_SHA256_LAST, 0, 10, 100, 3);
	EXPECT_EQ(-ENODATA, aoff_run1(&self->r, &s));
	/* Slot out of range; FIRST/MIDDLE with an output; LAST short output. */
	s = sha_sqe(AOFF_OP_SHA256_FIRST, 0, 10, 0, SLOTS);
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));
	s = sha_sqe(AOFF_OP_SHA256_FIRST, 0, 10, 0, 1);
	s.out_len = 32;
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));
	/* A failed link in a batch empties the slot: the chain fails. */
	sq[0] = sha_sqe(AOFF_OP_SHA256_FIRST, 0, 10, 0, 2);
	sq[1] = sha_sqe(AOFF_OP_SHA256_MIDDLE, 0, 10, 0, 2);
	sq[1].out_len = 1;	/* invalid */
	sq[2] = sha_sqe(AOFF_OP_SHA256_LAST, 0, 10, 100, 2);
	ASSERT_EQ(0, aoff_run_batch(&self->r, sq, 3, res));
	EXPECT_EQ(0, res[0]);
	EXPECT_EQ(-EINVAL, res[1]);
	EXPECT_EQ(-ENODATA, res[2]);
	/* One-shot: slot and key must be 0, output 32 bytes. */
	s = sha_sqe(AOFF_OP_SHA256, 0, 10, 100, 1);
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));
	s = sha_sqe(AOFF_OP_SHA256, 0, 10, 100, 0);
	s.hash.key_len = 1;
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));
	s = sha_sqe(AOFF_OP_SHA256, 0, 10, 100, 0);
	s.out_len = 31;
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));
	s = sha_sqe(AOFF_OP_SHA256, 0, 10, DATA_BYTES - 31, 0);
	EXPECT_EQ(-EFAULT, aoff_run1(&self->r, &s));
}

TEST_F(crypto, hmac_errors)
{
	struct aoff_sqe s;

	memset(&s, 0, sizeof(s));
	s.opcode = AOFF_OP_HMAC_SHA256;
	s.out_len = 32;
	s.hash.key_len = AOFF_HMAC_KEY_MAX + 1;
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));
	s.hash.key_len = 16;
	s.hash.key_off = DATA_BYTES - 15;
	EXPECT_EQ(-EFAULT, aoff_run1(&self->r, &s));
	s.hash.key_off = 0;
	s.hash.state_slot = 1;
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));
	s.hash.state_slot = 0;
	s.out_len = 31;
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));
	s.out_len = 32;
	EXPECT_EQ(32, aoff_run1(&self->r, &s));
}

TEST_F(crypto, aes_errors)
{
	struct aoff_sqe s;

	s = aes_sqe(AOFF_OP_AES_CBC_ENCRYPT, 0, 16, 32, 4096, 17, 8192);
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));		/* CBC not % 16 */
	s = aes_sqe(AOFF_OP_AES_CTR_ENCRYPT, 0, 16, 32, 4096, 17, 8192);
	EXPECT_EQ(17, aoff_run1(&self->r, &s));		/* CTR: any length */
	s = aes_sqe(AOFF_OP_AES_CBC_ENCRYPT, 0, 17, 32, 4096, 16, 8192);
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));		/* key length */
	s = aes_sqe(AOFF_OP_AES_CBC_ENCRYPT, 0, 16, DATA_BYTES - 15, 4096, 16, 8192);
	EXPECT_EQ(-EFAULT, aoff_run1(&self->r, &s));		/* IV outside */
	s = aes_sqe(AOFF_OP_AES_CBC_ENCRYPT, DATA_BYTES - 8, 16, 32, 4096, 16, 8192);
	EXPECT_EQ(-EFAULT, aoff_run1(&self->r, &s));		/* key outside */
	s = aes_sqe(AOFF_OP_AES_CBC_ENCRYPT, 0, 16, 32, 4096, 32, 4112);
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));		/* partial overlap */
	s = aes_sqe(AOFF_OP_AES_CBC_ENCRYPT, 0, 16, 4100, 4096, 32, 8192);
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));		/* IV in the input */
	s = aes_sqe(AOFF_OP_AES_CBC_ENCRYPT, 0, 16, 8200, 4096, 32, 8192);
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));		/* IV in the output */
	s = aes_sqe(AOFF_OP_AES_CBC_ENCRYPT, 0, 16, 32, 4096, 32, 8192);
	s.out_len = 31;
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));		/* output too short */
	s = aes_sqe(AOFF_OP_AES_CBC_ENCRYPT, 0, 16, 32, 4096, 32, 8192);
	s.cipher.resv = 1;
	EXPECT_EQ(-EINVAL, aoff_run1(&self->r, &s));
	s = aes_sqe(AOFF_OP_AES_CBC_DECRYPT, 0, 16, 32, 4096, 0, 8192);
	EXPECT_EQ(0, aoff_run1(&self->r, &s));		/* empty */
}

TEST_HARNESS_MAIN
