// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: AES-128/192/256 in CBC and CTR mode, run by the
 * device, with the EVP behaviour of the default provider: CBC buffers a
 * partial block (and, decrypting with padding, holds the last whole block
 * back for final), pads with PKCS#7 unless padding is off; CTR is a stream
 * cipher (block size 1) whose key stream carries over between updates.
 *
 * Each request carries the key and the IV in the data area next to the
 * data; the device leaves the chaining value (CBC: last ciphertext block;
 * CTR: next counter) in the IV, which we copy back.  CTR updates of any
 * length: whole blocks plus the tail block padded with zeroes go in one
 * request; the tail's output bytes past the data are the unused key
 * stream (E(counter) ^ 0), kept for the next update, exactly as
 * OpenSSL's own CTR keeps it in "num".
 *
 * CTR never pauses.  OpenSSL's CTR-DRBG (the default DRBG of RAND_bytes)
 * fetches AES-256-CTR with the application's properties and runs it with
 * the DRBG's lock held (drbg_ctr.c: generate); a job that paused there
 * would leave the lock held while its thread runs other jobs, whose own
 * RAND_bytes then fails ("unable to create drbg").  The provider cannot
 * tell the DRBG from any other caller, so inside an async job every CTR
 * request runs in-process on the default provider's AES-CTR (sw.c), with
 * the same key, counter and key stream bookkeeping as the device path;
 * outside a job it goes to the device, which only sleeps the thread.
 *
 * The offload policy (policy.c, class "cipher") keeps requests shorter
 * than its size in-process too, on the same path.
 *
 * With "tls-version" set (libssl, provided ciphers), each CBC update is
 * one TLS record, padded here on encryption, unpadded and stripped of its
 * MAC on decryption (cipher_tls.c), as the default provider does.
 */
#include <string.h>
#include <openssl/async.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/prov_ssl.h>

#include "prov.h"

#define AES_BLK		AOFF_AES_BLOCK_SIZE
#define TLS_MAC_MAX	64

struct aoff_cipher {
	unsigned int mode;		/* EVP_CIPH_CBC_MODE / _CTR_MODE */
	size_t keylen;
	int enc;
	int pad;
	int key_set, iv_set;
	uint8_t key[32];
	uint8_t iv[AES_BLK];		/* chaining value / next counter */
	uint8_t oiv[AES_BLK];		/* as given at init */
	uint8_t buf[AES_BLK];		/* CBC: partial or held block */
	size_t bufsz;
	uint8_t ks[AES_BLK];		/* CTR: key stream of the last block */
	unsigned int num;		/* CTR: its bytes used, 0 = none left */
	unsigned int tlsversion;
	size_t tlsmacsize;
	uint8_t tlsmac[TLS_MAC_MAX];
	int tlsmac_set;
	EVP_CIPHER_CTX *sw;		/* in-process: keyed with key */
	int sw_enc;			/* ... for this direction */
};

static void *aoff_cipher_new(unsigned int mode, size_t keylen)
{
	struct aoff_cipher *c = OPENSSL_zalloc(sizeof(*c));

	if (c) {
		c->mode = mode;
		c->keylen = keylen;
		c->pad = 1;
	}
	return c;
}

static void cipher_freectx(void *vctx)
{
	struct aoff_cipher *c = vctx;

	if (!c)
		return;
	EVP_CIPHER_CTX_free(c->sw);
	OPENSSL_clear_free(c, sizeof(*c));
}

static void *cipher_dupctx(void *vctx)
{
	struct aoff_cipher *c = OPENSSL_malloc(sizeof(*c));

	if (c) {
		memcpy(c, vctx, sizeof(*c));
		c->sw = NULL;	/* keyed again from c->key when needed */
	}
	return c;
}

/*
 * In-process on the default provider's cipher (sw.c): CTR inside a job
 * (see the top of the file), and requests the offload policy keeps off
 * the device.  @len bytes, whole blocks, from the chaining value in c->iv,
 * which is left where the device would leave it (CBC: the last ciphertext
 * block; CTR: the next counter).
 */
static int cipher_sw(struct aoff_cipher *c, const uint8_t *in, uint8_t *out,
		     size_t len)
{
	static const char *const names[2][3] = {
		{ "AES-128-CBC", "AES-192-CBC", "AES-256-CBC" },
		{ "AES-128-CTR", "AES-192-CTR", "AES-256-CTR" },
	};
	int enc = c->enc || c->mode == EVP_CIPH_CTR_MODE;
	int outl = 0;

	if (c->sw && c->sw_enc != enc) {
		EVP_CIPHER_CTX_free(c->sw);
		c->sw = NULL;
	}
	if (!c->sw) {
		const EVP_CIPHER *ci = aoff_sw_cipher(
			names[c->mode == EVP_CIPH_CTR_MODE][(c->keylen - 16) / 8]);

		if (!ci)
			return 0;
		c->sw = EVP_CIPHER_CTX_new();
		if (!c->sw || !EVP_CipherInit_ex2(c->sw, ci, c->key, NULL,
						  enc, NULL)) {
			EVP_CIPHER_CTX_free(c->sw);
			c->sw = NULL;
			AOFF_RAISE(AOFF_R_NO_SOFTWARE, "AES key setup");
			return 0;
		}
		c->sw_enc = enc;
	}
	while (len) {
		/* EVP's lengths are int: 1 GiB at a time, whole blocks. */
		size_t n = len > (1U << 30) ? (1U << 30) : len;

		if (!EVP_CipherInit_ex2(c->sw, NULL, NULL, c->iv, enc, NULL) ||
		    !EVP_CIPHER_CTX_set_padding(c->sw, 0) ||
		    !EVP_CipherUpdate(c->sw, out, &outl, in, (int)n) ||
		    (size_t)outl != n ||
		    !EVP_CIPHER_CTX_get_updated_iv(c->sw, c->iv, AES_BLK)) {
			AOFF_RAISE(AOFF_R_NO_SOFTWARE, "in-process AES");
			return 0;
		}
		in += n;
		out += n;
		len -= n;
	}
	return 1;
}

/*
 * Run @len bytes (CBC: whole blocks; CTR: whole blocks, the zero-padded
 * tail included) through the device, in chunks that fit the data area,
 * chaining the IV from one to the next.
 */
static int cipher_dev(struct aoff_cipher *c, const uint8_t *in, uint8_t *out,
		      size_t len)
{
	struct aoff_dev d;
	int encrypt = c->enc || c->mode == EVP_CIPH_CTR_MODE;

	if (!len)
		return 1;
	if ((c->mode == EVP_CIPH_CTR_MODE && ASYNC_get_current_job()) ||
	    !aoff_policy_device(AOFF_POL_CIPHER, len))
		return cipher_sw(c, in, out, len);
	if (!aoff_dev_get(&d))
		return 0;
	while (len) {
		struct aoff_sqe sqe;
		uint64_t off;
		uint8_t *base;
		size_t n;
		int ok;

		/* [key 32][iv 16][data n], the data in place */
		if (!aoff_dev_alloc(&d, 64, len, AES_BLK, &off, &n))
			return 0;
		base = aoff_dev_ptr(&d, off);
		memcpy(base, c->key, c->keylen);
		memcpy(base + 32, c->iv, AES_BLK);
		memcpy(base + 64, in, n);
		memset(&sqe, 0, sizeof(sqe));
		if (c->mode == EVP_CIPH_CBC_MODE)
			aoff_prep_aes_cbc(&sqe, 0, encrypt, off,
					  (uint32_t)c->keylen, off + 32,
					  off + 64, (uint32_t)n, off + 64);
		else
			aoff_prep_aes_ctr(&sqe, 0, encrypt, off,
					  (uint32_t)c->keylen, off + 32,
					  off + 64, (uint32_t)n, off + 64);
		ok = aoff_dev_run(&d, &sqe, 1, NULL,
				  c->mode == EVP_CIPH_CBC_MODE ? "AES-CBC" :
				  "AES-CTR", 0);
		if (ok) {
			memcpy(out, base + 64, n);
			memcpy(c->iv, base + 32, AES_BLK);
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

static int cipher_init(void *vctx, const unsigned char *key, size_t keylen,
		       const unsigned char *iv, size_t ivlen,
		       const OSSL_PARAM params[], int enc);

static int cipher_encrypt_init(void *vctx, const unsigned char *key,
			       size_t keylen, const unsigned char *iv,
			       size_t ivlen, const OSSL_PARAM params[])
{
	return cipher_init(vctx, key, keylen, iv, ivlen, params, 1);
}

static int cipher_decrypt_init(void *vctx, const unsigned char *key,
			       size_t keylen, const unsigned char *iv,
			       size_t ivlen, const OSSL_PARAM params[])
{
	return cipher_init(vctx, key, keylen, iv, ivlen, params, 0);
}

static int cipher_set_ctx_params(void *vctx, const OSSL_PARAM params[]);

static int cipher_init(void *vctx, const unsigned char *key, size_t keylen,
		       const unsigned char *iv, size_t ivlen,
		       const OSSL_PARAM params[], int enc)
{
	struct aoff_cipher *c = vctx;

	c->enc = enc;
	c->bufsz = 0;
	c->num = 0;
	if (iv) {
		if (ivlen != AES_BLK) {
			AOFF_RAISE(AOFF_R_BAD_IV_LENGTH, "AES needs a 16-byte "
				   "IV, got %zu bytes", ivlen);
			return 0;
		}
		memcpy(c->iv, iv, AES_BLK);
		memcpy(c->oiv, iv, AES_BLK);
		c->iv_set = 1;
	} else if (c->iv_set && c->mode == EVP_CIPH_CBC_MODE) {
		/* As the default provider: CBC starts over from the IV. */
		memcpy(c->iv, c->oiv, AES_BLK);
	}
	if (key) {
		if (keylen != c->keylen) {
			AOFF_RAISE(AOFF_R_BAD_KEY_LENGTH, "AES-%zu needs a "
				   "%zu-byte key, got %zu bytes",
				   c->keylen * 8, c->keylen, keylen);
			return 0;
		}
		memcpy(c->key, key, keylen);
		c->key_set = 1;
		EVP_CIPHER_CTX_free(c->sw);	/* keyed with the old key */
		c->sw = NULL;
	}
	return cipher_set_ctx_params(c, params);
}

static int cipher_check(struct aoff_cipher *c, size_t need, size_t outsize)
{
	if (!c->key_set) {
		AOFF_RAISE(AOFF_R_NO_KEY, "AES needs a key");
		return 0;
	}
	if (outsize < need) {
		AOFF_RAISE(AOFF_R_OUTPUT_TOO_SMALL, "%zu bytes for %zu",
			   outsize, need);
		return 0;
	}
	return 1;
}

/* One TLS record, in place (see the top of the file). */
static int cipher_tls_update(struct aoff_cipher *c, unsigned char *out,
			     size_t *outl, size_t outsize,
			     const unsigned char *in, size_t inl)
{
	size_t len = inl;

	if (!in || in != out || !c->pad || c->mode != EVP_CIPH_CBC_MODE) {
		AOFF_RAISE(AOFF_R_TLS_RECORD, "TLS records are padded CBC "
			   "and processed in place");
		return 0;
	}
	if (c->enc) {
		size_t padnum = AES_BLK - inl % AES_BLK;

		if (!cipher_check(c, inl + padnum, outsize))
			return 0;
		memset(out + inl, (int)(padnum - 1), padnum);
		len += padnum;
	} else if (len % AES_BLK || !cipher_check(c, len, outsize)) {
		if (len % AES_BLK)
			AOFF_RAISE(AOFF_R_TLS_RECORD, "record of %zu bytes is "
				   "not a whole number of blocks", len);
		return 0;
	}
	if (!cipher_dev(c, out, out, len))
		return 0;
	c->tlsmac_set = 0;
	if (!c->enc) {
		if (!aoff_tls_unpad(c->tlsversion, out, &len, c->tlsmacsize,
				    c->tlsmac)) {
			AOFF_RAISE(AOFF_R_TLS_RECORD, "bad TLS record");
			return 0;
		}
		c->tlsmac_set = c->tlsmacsize > 0;
	}
	*outl = len;
	return 1;
}

static int cbc_update(struct aoff_cipher *c, unsigned char *out,
		      size_t *outl, size_t outsize, const unsigned char *in,
		      size_t inl)
{
	uint8_t *stage = NULL;
	size_t head = 0, blocks, total;
	int ok;

	/* Top up a partial block first. */
	if (c->bufsz) {
		size_t take = AES_BLK - c->bufsz;

		if (take > inl)
			take = inl;
		memcpy(c->buf + c->bufsz, in, take);
		c->bufsz += take;
		in += take;
		inl -= take;
	}
	/* A full buffered block goes unless it may be the padded last. */
	if (c->bufsz == AES_BLK && (c->enc || inl || !c->pad))
		head = AES_BLK;
	blocks = inl - inl % AES_BLK;
	if (!c->enc && c->pad && blocks && blocks == inl)
		blocks -= AES_BLK;	/* hold the last block back */
	total = head + blocks;
	if (!cipher_check(c, total, outsize))
		return 0;
	if (total) {
		if (head) {
			/* The held block and the new ones in one request. */
			stage = OPENSSL_malloc(total);
			if (!stage) {
				AOFF_RAISE(AOFF_R_NO_MEMORY, "AES-CBC");
				return 0;
			}
			memcpy(stage, c->buf, AES_BLK);
			memcpy(stage + AES_BLK, in, blocks);
			ok = cipher_dev(c, stage, out, total);
			OPENSSL_clear_free(stage, total);
			c->bufsz = 0;
		} else {
			ok = cipher_dev(c, in, out, total);
		}
		if (!ok)
			return 0;
	}
	in += blocks;
	inl -= blocks;
	if (inl) {
		/* bufsz is 0 here: the buffer was sent, or inl was 0. */
		memcpy(c->buf, in, inl);
		c->bufsz = inl;
	}
	*outl = total;
	return 1;
}

static int ctr_update(struct aoff_cipher *c, unsigned char *out,
		      size_t *outl, const unsigned char *in, size_t inl)
{
	size_t i = 0, rest, whole, tail;
	uint8_t *stage;
	int ok;

	/* The key stream left over from the last block. */
	while (c->num && i < inl) {
		out[i] = in[i] ^ c->ks[c->num];
		c->num = (c->num + 1) % AES_BLK;
		i++;
	}
	rest = inl - i;
	whole = rest - rest % AES_BLK;
	tail = rest % AES_BLK;
	if (tail) {
		stage = OPENSSL_zalloc(whole + AES_BLK);
		if (!stage) {
			AOFF_RAISE(AOFF_R_NO_MEMORY, "AES-CTR");
			return 0;
		}
		memcpy(stage, in + i, rest);
		ok = cipher_dev(c, stage, stage, whole + AES_BLK);
		if (ok) {
			memcpy(out + i, stage, rest);
			memcpy(c->ks, stage + whole, AES_BLK);
			c->num = (unsigned int)tail;
		}
		OPENSSL_clear_free(stage, whole + AES_BLK);
	} else {
		ok = cipher_dev(c, in + i, out + i, whole);
	}
	if (!ok)
		return 0;
	*outl = inl;
	return 1;
}

static int cipher_update(void *vctx, unsigned char *out, size_t *outl,
			 size_t outsize, const unsigned char *in, size_t inl)
{
	struct aoff_cipher *c = vctx;

	*outl = 0;
	if (c->tlsversion)
		return cipher_tls_update(c, out, outl, outsize, in, inl);
	if (c->mode == EVP_CIPH_CTR_MODE) {
		if (!cipher_check(c, inl, outsize))
			return 0;
		return ctr_update(c, out, outl, in, inl);
	}
	return cbc_update(c, out, outl, outsize, in, inl);
}

static int cipher_final(void *vctx, unsigned char *out, size_t *outl,
			size_t outsize)
{
	struct aoff_cipher *c = vctx;
	uint8_t blk[AES_BLK];
	unsigned int padv;

	*outl = 0;
	if (!c->key_set) {
		AOFF_RAISE(AOFF_R_NO_KEY, "AES needs a key");
		return 0;
	}
	if (c->mode == EVP_CIPH_CTR_MODE || c->tlsversion)
		return 1;
	if (c->enc) {
		if (!c->pad) {
			if (c->bufsz) {
				AOFF_RAISE(AOFF_R_WRONG_FINAL_BLOCK_LENGTH,
					   "%zu bytes left without padding",
					   c->bufsz);
				return 0;
			}
			return 1;
		}
		/* PKCS#7: 1..16 bytes, each the pad length. */
		memset(c->buf + c->bufsz, (int)(AES_BLK - c->bufsz),
		       AES_BLK - c->bufsz);
		if (!cipher_check(c, AES_BLK, outsize) ||
		    !cipher_dev(c, c->buf, out, AES_BLK))
			return 0;
		c->bufsz = 0;
		*outl = AES_BLK;
		return 1;
	}
	if (!c->pad) {
		if (c->bufsz) {
			AOFF_RAISE(AOFF_R_WRONG_FINAL_BLOCK_LENGTH,
				   "%zu bytes left without padding", c->bufsz);
			return 0;
		}
		return 1;
	}
	if (c->bufsz != AES_BLK) {
		AOFF_RAISE(AOFF_R_WRONG_FINAL_BLOCK_LENGTH,
			   "%zu bytes where the padded last block should be",
			   c->bufsz);
		return 0;
	}
	if (!cipher_dev(c, c->buf, blk, AES_BLK))
		return 0;
	c->bufsz = 0;
	padv = blk[AES_BLK - 1];
	if (padv == 0 || padv > AES_BLK)
		goto bad;
	for (unsigned int i = AES_BLK - padv; i < AES_BLK; i++)
		if (blk[i] != padv)
			goto bad;
	if (!cipher_check(c, AES_BLK - padv, outsize))
		return 0;
	memcpy(out, blk, AES_BLK - padv);
	*outl = AES_BLK - padv;
	OPENSSL_cleanse(blk, sizeof(blk));
	return 1;
bad:
	OPENSSL_cleanse(blk, sizeof(blk));
	AOFF_RAISE(AOFF_R_BAD_DECRYPT, "bad padding in the last block");
	return 0;
}

/* EVP_Cipher(): the raw transformation, no padding, no buffering. */
static int cipher_cipher(void *vctx, unsigned char *out, size_t *outl,
			 size_t outsize, const unsigned char *in, size_t inl)
{
	struct aoff_cipher *c = vctx;

	if (!cipher_check(c, inl, outsize))
		return 0;
	if (c->mode == EVP_CIPH_CTR_MODE)
		return ctr_update(c, out, outl, in, inl);
	if (inl % AES_BLK) {
		AOFF_RAISE(AOFF_R_WRONG_FINAL_BLOCK_LENGTH,
			   "%zu bytes are not whole blocks", inl);
		return 0;
	}
	if (!cipher_dev(c, in, out, inl))
		return 0;
	*outl = inl;
	return 1;
}

static const OSSL_PARAM cipher_gettable_ctx[] = {
	OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
	OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_IVLEN, NULL),
	OSSL_PARAM_uint(OSSL_CIPHER_PARAM_PADDING, NULL),
	OSSL_PARAM_uint(OSSL_CIPHER_PARAM_NUM, NULL),
	OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_IV, NULL, 0),
	OSSL_PARAM_octet_string(OSSL_CIPHER_PARAM_UPDATED_IV, NULL, 0),
	OSSL_PARAM_octet_ptr(OSSL_CIPHER_PARAM_TLS_MAC, NULL, 0),
	OSSL_PARAM_END
};

static const OSSL_PARAM *cipher_gettable_ctx_params(void *ctx, void *provctx)
{
	(void)ctx;
	(void)provctx;
	return cipher_gettable_ctx;
}

static int set_iv_param(OSSL_PARAM *p, const uint8_t *iv)
{
	/* Either form, as the default provider accepts. */
	if (p->data_type == OSSL_PARAM_OCTET_PTR)
		return OSSL_PARAM_set_octet_ptr(p, iv, AES_BLK);
	return OSSL_PARAM_set_octet_string(p, iv, AES_BLK);
}

static int cipher_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
	struct aoff_cipher *c = vctx;
	OSSL_PARAM *p;

	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_KEYLEN);
	if (p && !OSSL_PARAM_set_size_t(p, c->keylen))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IVLEN);
	if (p && !OSSL_PARAM_set_size_t(p, AES_BLK))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_PADDING);
	if (p && !OSSL_PARAM_set_uint(p, (unsigned int)c->pad))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_NUM);
	if (p && !OSSL_PARAM_set_uint(p, c->num))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IV);
	if (p && !set_iv_param(p, c->oiv))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_UPDATED_IV);
	if (p && !set_iv_param(p, c->iv))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_TLS_MAC);
	if (p && !OSSL_PARAM_set_octet_ptr(p, c->tlsmac, c->tlsmacsize))
		return 0;
	return 1;
}

static const OSSL_PARAM cipher_settable_ctx[] = {
	OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
	OSSL_PARAM_uint(OSSL_CIPHER_PARAM_PADDING, NULL),
	OSSL_PARAM_uint(OSSL_CIPHER_PARAM_NUM, NULL),
	OSSL_PARAM_uint(OSSL_CIPHER_PARAM_TLS_VERSION, NULL),
	OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_TLS_MAC_SIZE, NULL),
	OSSL_PARAM_END
};

static const OSSL_PARAM *cipher_settable_ctx_params(void *ctx, void *provctx)
{
	(void)ctx;
	(void)provctx;
	return cipher_settable_ctx;
}

static int cipher_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
	struct aoff_cipher *c = vctx;
	const OSSL_PARAM *p;
	unsigned int u;
	size_t sz;

	if (!params)
		return 1;
	p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_PADDING);
	if (p) {
		if (!OSSL_PARAM_get_uint(p, &u))
			goto bad;
		c->pad = u ? 1 : 0;
	}
	p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_NUM);
	if (p) {
		if (!OSSL_PARAM_get_uint(p, &u))
			goto bad;
		c->num = u % AES_BLK;
	}
	p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_KEYLEN);
	if (p) {
		if (!OSSL_PARAM_get_size_t(p, &sz))
			goto bad;
		if (sz != c->keylen) {
			AOFF_RAISE(AOFF_R_BAD_KEY_LENGTH, "AES-%zu keys are "
				   "%zu bytes", c->keylen * 8, c->keylen);
			return 0;
		}
	}
	p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_TLS_VERSION);
	if (p) {
		if (!OSSL_PARAM_get_uint(p, &u))
			goto bad;
		if (u && (u == SSL3_VERSION || c->mode != EVP_CIPH_CBC_MODE)) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "TLS record mode needs "
				   "CBC and TLS 1.0 or later");
			return 0;
		}
		c->tlsversion = u;
	}
	p = OSSL_PARAM_locate_const(params, OSSL_CIPHER_PARAM_TLS_MAC_SIZE);
	if (p) {
		if (!OSSL_PARAM_get_size_t(p, &sz))
			goto bad;
		if (sz > TLS_MAC_MAX) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "TLS MAC of %zu bytes", sz);
			return 0;
		}
		c->tlsmacsize = sz;
	}
	return 1;
bad:
	AOFF_RAISE(AOFF_R_BAD_PARAM, "cipher parameter %s", p->key);
	return 0;
}

static const OSSL_PARAM cipher_gettable[] = {
	OSSL_PARAM_uint(OSSL_CIPHER_PARAM_MODE, NULL),
	OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_KEYLEN, NULL),
	OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_IVLEN, NULL),
	OSSL_PARAM_size_t(OSSL_CIPHER_PARAM_BLOCK_SIZE, NULL),
	OSSL_PARAM_int(OSSL_CIPHER_PARAM_AEAD, NULL),
	OSSL_PARAM_int(OSSL_CIPHER_PARAM_CUSTOM_IV, NULL),
	OSSL_PARAM_int(OSSL_CIPHER_PARAM_CTS, NULL),
	OSSL_PARAM_int(OSSL_CIPHER_PARAM_TLS1_MULTIBLOCK, NULL),
	OSSL_PARAM_int(OSSL_CIPHER_PARAM_HAS_RAND_KEY, NULL),
	OSSL_PARAM_END
};

/* The algorithm parameters every cipher of ours answers (aead.c too). */
const OSSL_PARAM *aoff_cipher_gettable_params(void *provctx)
{
	(void)provctx;
	return cipher_gettable;
}

static int cipher_get_params(OSSL_PARAM params[], unsigned int mode,
			     size_t keylen)
{
	static const char *const zero[] = {
		OSSL_CIPHER_PARAM_AEAD, OSSL_CIPHER_PARAM_CUSTOM_IV,
		OSSL_CIPHER_PARAM_CTS, OSSL_CIPHER_PARAM_TLS1_MULTIBLOCK,
		OSSL_CIPHER_PARAM_HAS_RAND_KEY,
	};
	OSSL_PARAM *p;

	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_MODE);
	if (p && !OSSL_PARAM_set_uint(p, mode))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_KEYLEN);
	if (p && !OSSL_PARAM_set_size_t(p, keylen))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_IVLEN);
	if (p && !OSSL_PARAM_set_size_t(p, AES_BLK))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_CIPHER_PARAM_BLOCK_SIZE);
	if (p && !OSSL_PARAM_set_size_t(p, mode == EVP_CIPH_CBC_MODE ?
					AES_BLK : 1))
		return 0;
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++) {
		p = OSSL_PARAM_locate(params, zero[i]);
		if (p && !OSSL_PARAM_set_int(p, 0))
			return 0;
	}
	return 1;
}

/* One dispatch table per mode and key size. */
#define AOFF_CIPHER(name, mode, keylen)					\
static void *name##_newctx(void *provctx)				\
{									\
	(void)provctx;							\
	return aoff_cipher_new(mode, keylen);				\
}									\
static int name##_get_params(OSSL_PARAM params[])			\
{									\
	return cipher_get_params(params, mode, keylen);			\
}									\
const OSSL_DISPATCH aoff_##name##_functions[] = {			\
	{ OSSL_FUNC_CIPHER_NEWCTX, (void (*)(void))name##_newctx },	\
	{ OSSL_FUNC_CIPHER_FREECTX, (void (*)(void))cipher_freectx },	\
	{ OSSL_FUNC_CIPHER_DUPCTX, (void (*)(void))cipher_dupctx },	\
	{ OSSL_FUNC_CIPHER_ENCRYPT_INIT,				\
	  (void (*)(void))cipher_encrypt_init },			\
	{ OSSL_FUNC_CIPHER_DECRYPT_INIT,				\
	  (void (*)(void))cipher_decrypt_init },			\
	{ OSSL_FUNC_CIPHER_UPDATE, (void (*)(void))cipher_update },	\
	{ OSSL_FUNC_CIPHER_FINAL, (void (*)(void))cipher_final },	\
	{ OSSL_FUNC_CIPHER_CIPHER, (void (*)(void))cipher_cipher },	\
	{ OSSL_FUNC_CIPHER_GET_PARAMS,					\
	  (void (*)(void))name##_get_params },				\
	{ OSSL_FUNC_CIPHER_GETTABLE_PARAMS,				\
	  (void (*)(void))aoff_cipher_gettable_params },			\
	{ OSSL_FUNC_CIPHER_GET_CTX_PARAMS,				\
	  (void (*)(void))cipher_get_ctx_params },			\
	{ OSSL_FUNC_CIPHER_SET_CTX_PARAMS,				\
	  (void (*)(void))cipher_set_ctx_params },			\
	{ OSSL_FUNC_CIPHER_GETTABLE_CTX_PARAMS,				\
	  (void (*)(void))cipher_gettable_ctx_params },			\
	{ OSSL_FUNC_CIPHER_SETTABLE_CTX_PARAMS,				\
	  (void (*)(void))cipher_settable_ctx_params },			\
	{ 0, NULL }							\
}

AOFF_CIPHER(aes128cbc, EVP_CIPH_CBC_MODE, 16);
AOFF_CIPHER(aes192cbc, EVP_CIPH_CBC_MODE, 24);
AOFF_CIPHER(aes256cbc, EVP_CIPH_CBC_MODE, 32);
AOFF_CIPHER(aes128ctr, EVP_CIPH_CTR_MODE, 16);
AOFF_CIPHER(aes192ctr, EVP_CIPH_CTR_MODE, 24);
AOFF_CIPHER(aes256ctr, EVP_CIPH_CTR_MODE, 32);
