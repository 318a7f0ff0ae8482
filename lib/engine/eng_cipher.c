// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff engine: AES-128/192/256 in CBC and CTR mode (EVP_CIPHER_meth_*)
 * run by the device.
 *
 * A legacy (engine) cipher leaves buffering and PKCS#7 padding to the EVP
 * layer: do_cipher gets whole blocks in CBC mode; CTR is a stream cipher
 * (block size 1) and gets any length.  The IV in the EVP_CIPHER_CTX is the
 * chaining value (CBC: last ciphertext block; CTR: next counter); the
 * device updates its copy in the data area, which we copy back.  A CTR
 * tail shorter than a block goes to the device padded with zeroes; the
 * output bytes past the data are the unused key stream (E(counter) ^ 0),
 * kept in the cipher data with EVP's "num" saying how much of it is used,
 * as OpenSSL's own CTR does.
 */
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/obj_mac.h>

#include "eng.h"

#define AES_BLK		AOFF_AES_BLOCK_SIZE

struct eng_aes {
	uint8_t key[32];
	unsigned int keylen;
	uint8_t ks[AES_BLK];	/* CTR: key stream of the last block */
};

static int aes_init(EVP_CIPHER_CTX *ctx, const unsigned char *key,
		    const unsigned char *iv, int enc)
{
	struct eng_aes *a = EVP_CIPHER_CTX_get_cipher_data(ctx);
	int kl = EVP_CIPHER_CTX_get_key_length(ctx);

	(void)iv;	/* EVP keeps it in the ctx */
	(void)enc;
	if (!key)
		return 1;
	if (kl != 16 && kl != 24 && kl != 32) {
		AOFF_RAISE(AOFF_R_BAD_KEY_LENGTH, "AES key of %d bytes", kl);
		return 0;
	}
	memcpy(a->key, key, (size_t)kl);
	a->keylen = (unsigned int)kl;
	return 1;
}

/*
 * @len bytes (CBC: whole blocks; CTR: whole blocks, a zero-padded tail
 * included) through the device in chunks that fit the data area, the IV
 * chained from one to the next.
 */
static int aes_dev(EVP_CIPHER_CTX *ctx, struct eng_aes *a, int ctr,
		   const uint8_t *in, uint8_t *out, size_t len)
{
	int encrypt = ctr || EVP_CIPHER_CTX_is_encrypting(ctx);
	uint8_t *iv = EVP_CIPHER_CTX_iv_noconst(ctx);
	struct aoff_dev d;

	if (!a->keylen) {
		AOFF_RAISE(AOFF_R_NO_KEY, "AES needs a key");
		return 0;
	}
	if (!len)
		return 1;
	if (!aoff_dev_get(&d))
		return 0;
	while (len) {
		struct aoff_sqe sqe;
		uint64_t off;
		uint8_t *base;
		size_t n;
		int ok;

		/* [key 32][iv 16, padded to 32][data n], the data in place */
		if (!aoff_dev_alloc(&d, 64, len, AES_BLK, &off, &n))
			return 0;
		base = aoff_dev_ptr(&d, off);
		memcpy(base, a->key, a->keylen);
		memcpy(base + 32, iv, AES_BLK);
		memcpy(base + 64, in, n);
		memset(&sqe, 0, sizeof(sqe));
		if (ctr)
			aoff_prep_aes_ctr(&sqe, 0, encrypt, off, a->keylen,
					  off + 32, off + 64, (uint32_t)n,
					  off + 64);
		else
			aoff_prep_aes_cbc(&sqe, 0, encrypt, off, a->keylen,
					  off + 32, off + 64, (uint32_t)n,
					  off + 64);
		ok = aoff_dev_run(&d, &sqe, 1, NULL,
				  ctr ? "AES-CTR" : "AES-CBC", 0);
		if (ok) {
			memcpy(out, base + 64, n);
			memcpy(iv, base + 32, AES_BLK);
		}
		OPENSSL_cleanse(base, 64 + n);
		aoff_dev_free(&d, off);
		if (!ok)
			return 0;
		in += n;
		out += n;
		len -= n;
	}
	return 1;
}

static int cbc_cipher(EVP_CIPHER_CTX *ctx, unsigned char *out,
		      const unsigned char *in, size_t len)
{
	if (len % AES_BLK) {
		AOFF_RAISE(AOFF_R_WRONG_FINAL_BLOCK_LENGTH,
			   "%zu bytes are not whole blocks", len);
		return 0;
	}
	return aes_dev(ctx, EVP_CIPHER_CTX_get_cipher_data(ctx), 0, in, out,
		       len);
}

static int ctr_cipher(EVP_CIPHER_CTX *ctx, unsigned char *out,
		      const unsigned char *in, size_t len)
{
	struct eng_aes *a = EVP_CIPHER_CTX_get_cipher_data(ctx);
	unsigned int num = (unsigned int)EVP_CIPHER_CTX_get_num(ctx) % AES_BLK;
	size_t i = 0, rest, whole, tail;
	uint8_t *stage;
	int ok;

	/* The key stream left over from the last block. */
	while (num && i < len) {
		out[i] = in[i] ^ a->ks[num];
		num = (num + 1) % AES_BLK;
		i++;
	}
	rest = len - i;
	whole = rest - rest % AES_BLK;
	tail = rest % AES_BLK;
	if (!tail) {
		ok = aes_dev(ctx, a, 1, in + i, out + i, whole);
	} else {
		stage = OPENSSL_zalloc(whole + AES_BLK);
		if (!stage) {
			AOFF_RAISE(AOFF_R_NO_MEMORY, "AES-CTR");
			return 0;
		}
		memcpy(stage, in + i, rest);
		ok = aes_dev(ctx, a, 1, stage, stage, whole + AES_BLK);
		if (ok) {
			memcpy(out + i, stage, rest);
			memcpy(a->ks, stage + whole, AES_BLK);
			num = (unsigned int)tail;
		}
		OPENSSL_clear_free(stage, whole + AES_BLK);
	}
	if (!ok)
		return 0;
	EVP_CIPHER_CTX_set_num(ctx, (int)num);
	return 1;
}

static const struct {
	int nid;
	int keylen;
	int ctr;
} eng_aes_algs[] = {
	{ NID_aes_128_cbc, 16, 0 },
	{ NID_aes_192_cbc, 24, 0 },
	{ NID_aes_256_cbc, 32, 0 },
	{ NID_aes_128_ctr, 16, 1 },
	{ NID_aes_192_ctr, 24, 1 },
	{ NID_aes_256_ctr, 32, 1 },
};
#define NR_ALGS	(sizeof(eng_aes_algs) / sizeof(eng_aes_algs[0]))

static int eng_cipher_nids[NR_ALGS];
static EVP_CIPHER *eng_cipher_meths[NR_ALGS];

static EVP_CIPHER *aes_meth(int nid, int keylen, int ctr)
{
	EVP_CIPHER *c = EVP_CIPHER_meth_new(nid, ctr ? 1 : AES_BLK, keylen);

	if (!c)
		return NULL;
	if (!EVP_CIPHER_meth_set_iv_length(c, AES_BLK) ||
	    !EVP_CIPHER_meth_set_flags(c, (ctr ? EVP_CIPH_CTR_MODE :
					   EVP_CIPH_CBC_MODE) |
				       EVP_CIPH_FLAG_DEFAULT_ASN1) ||
	    !EVP_CIPHER_meth_set_init(c, aes_init) ||
	    !EVP_CIPHER_meth_set_do_cipher(c, ctr ? ctr_cipher : cbc_cipher) ||
	    !EVP_CIPHER_meth_set_impl_ctx_size(c, sizeof(struct eng_aes))) {
		EVP_CIPHER_meth_free(c);
		return NULL;
	}
	return c;
}

/* The ENGINE_set_ciphers() callback: the list, or one cipher. */
int aoff_eng_ciphers(ENGINE *e, const EVP_CIPHER **cipher, const int **nids,
		     int nid)
{
	(void)e;
	if (!cipher) {
		*nids = eng_cipher_nids;
		return (int)NR_ALGS;
	}
	for (size_t i = 0; i < NR_ALGS; i++) {
		if (eng_aes_algs[i].nid != nid)
			continue;
		*cipher = eng_cipher_meths[i];
		return *cipher != NULL;
	}
	*cipher = NULL;
	return 0;
}

/* At bind time: lookups may come from any thread, unlocked. */
int aoff_eng_ciphers_init(void)
{
	for (size_t i = 0; i < NR_ALGS; i++) {
		eng_cipher_nids[i] = eng_aes_algs[i].nid;
		eng_cipher_meths[i] = aes_meth(eng_aes_algs[i].nid,
					       eng_aes_algs[i].keylen,
					       eng_aes_algs[i].ctr);
		if (!eng_cipher_meths[i]) {
			aoff_eng_ciphers_free();
			return 0;
		}
	}
	return 1;
}

void aoff_eng_ciphers_free(void)
{
	for (size_t i = 0; i < NR_ALGS; i++) {
		EVP_CIPHER_meth_free(eng_cipher_meths[i]);
		eng_cipher_meths[i] = NULL;
	}
}
