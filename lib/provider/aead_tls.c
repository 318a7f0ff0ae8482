// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: TLS 1.2 records for AES-GCM (RFC 5288) and
 * ChaCha20-Poly1305 (RFC 7905), as libssl drives a provided AEAD: it sets
 * the record's 13-byte pseudo-header with AEAD_TLS1_AAD (reading back the
 * tag length, AEAD_TLS1_AAD_PAD), and hands the whole record to one
 * EVP_Cipher call, in place.
 *
 *   AES-GCM: record = explicit nonce (8) | text | tag (16).  The nonce is
 *     the 4-byte fixed IV (AEAD_TLS1_IV_FIXED) and the explicit part,
 *     which encrypting comes from a 64-bit counter started at random (and
 *     is written to the record), decrypting from the record.
 *   ChaCha20-Poly1305: record = text | tag (16); the nonce is the 12-byte
 *     fixed IV XOR the record's sequence number (the AAD's first 8 bytes),
 *     right-aligned.
 *
 * The length in the pseudo-header is the record's; the provider makes it
 * the text's (without the explicit nonce and, decrypting, the tag), as
 * the default provider does.  One record is one AEAD message: on the
 * device when the policy's "aead" size says so, else on the default
 * provider's cipher.  A record that fails to decrypt is wiped.
 */
#include <errno.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "aead.h"

int aoff_aead_tls_aad(struct aoff_aead *c, const OSSL_PARAM *p)
{
	size_t len, cut = 0;

	if (p->data_type != OSSL_PARAM_OCTET_STRING || !p->data ||
	    p->data_size != AOFF_TLS1_AAD_LEN) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "TLS AAD must be %d bytes",
			   AOFF_TLS1_AAD_LEN);
		return 0;
	}
	memcpy(c->tls_aad, p->data, AOFF_TLS1_AAD_LEN);
	len = (size_t)c->tls_aad[11] << 8 | c->tls_aad[12];
	if (c->kind == AOFF_AEAD_GCM)
		cut += AOFF_GCM_TLS_EXPLICIT;
	if (!c->enc)
		cut += AOFF_AEAD_TAG_MAX;
	if (len < cut) {
		AOFF_RAISE(AOFF_R_TLS_RECORD, "record of %zu bytes", len);
		return 0;
	}
	len -= cut;
	c->tls_aad[11] = (uint8_t)(len >> 8);
	c->tls_aad[12] = (uint8_t)len;
	c->tls_aad_len = AOFF_TLS1_AAD_LEN;
	c->tls_pad = AOFF_AEAD_TAG_MAX;
	return 1;
}

int aoff_aead_tls_iv_fixed(struct aoff_aead *c, const OSSL_PARAM *p)
{
	size_t len = p->data_size;

	if (p->data_type != OSSL_PARAM_OCTET_STRING || !p->data)
		goto bad;
	if (c->kind == AOFF_AEAD_CHACHA) {
		if (len != AOFF_AEAD_NONCE_SIZE)
			goto bad;
		memcpy(c->tls_iv, p->data, len);
	} else if (len == (size_t)-1) {
		/* Special case: the whole IV, counter included. */
		memcpy(c->tls_iv, p->data, AOFF_AEAD_NONCE_SIZE);
	} else {
		if (len != AOFF_GCM_TLS_FIXED_IV)
			goto bad;
		memcpy(c->tls_iv, p->data, len);
		if (c->enc && !aoff_sw_rand(c->tls_iv + len,
					    AOFF_AEAD_NONCE_SIZE - len))
			return 0;
	}
	c->tls_fixed = 1;
	return 1;
bad:
	AOFF_RAISE(AOFF_R_BAD_PARAM, "%s TLS fixed IV of %zu bytes", c->name,
		   len);
	return 0;
}

/* The 64-bit big-endian invocation counter in the IV's last 8 bytes. */
static void gcm_count(uint8_t *iv)
{
	for (int i = AOFF_AEAD_NONCE_SIZE - 1; i >= AOFF_GCM_TLS_FIXED_IV; i--)
		if (++iv[i])
			break;
}

int aoff_aead_tls(struct aoff_aead *c, unsigned char *out, size_t *outl,
		  size_t outsize, const unsigned char *in, size_t inl)
{
	size_t head = c->kind == AOFF_AEAD_GCM ? AOFF_GCM_TLS_EXPLICIT : 0;
	uint8_t nonce[AOFF_AEAD_NONCE_SIZE];
	struct aoff_aead_msg m;
	int r = 0;

	*outl = 0;
	/* Whatever happens, the pseudo-header was for this record only. */
	c->tls_aad_len = 0;
	if (!in || !out || outsize < inl ||
	    (c->kind == AOFF_AEAD_GCM && in != out) ||
	    inl < head + AOFF_AEAD_TAG_MAX || !c->key_set || !c->tls_fixed) {
		AOFF_RAISE(AOFF_R_TLS_RECORD, "%s TLS record of %zu bytes "
			   "(in place, with key and fixed IV set)", c->name,
			   inl);
		return 0;
	}
	memcpy(nonce, c->tls_iv, sizeof(nonce));
	if (c->kind == AOFF_AEAD_GCM) {
		if (c->enc) {
			memcpy(out, c->tls_iv + AOFF_GCM_TLS_FIXED_IV,
			       AOFF_GCM_TLS_EXPLICIT);
			gcm_count(c->tls_iv);
		} else {
			memcpy(nonce + AOFF_GCM_TLS_FIXED_IV, in,
			       AOFF_GCM_TLS_EXPLICIT);
		}
	} else {
		for (int i = 0; i < 8; i++)
			nonce[4 + i] ^= c->tls_aad[i];
	}
	memset(&m, 0, sizeof(m));
	m.kind = c->kind;
	m.enc = c->enc;
	m.key = c->key;
	m.keylen = c->keylen;
	m.nonce = nonce;
	m.aad = c->tls_aad;
	m.aadlen = AOFF_TLS1_AAD_LEN;
	m.in = in + head;
	m.out = out + head;
	m.len = inl - head - AOFF_AEAD_TAG_MAX;
	m.tag = out + head + m.len;
	m.taglen = AOFF_AEAD_TAG_MAX;
	if (!c->enc && in != out) {
		/* The tag is read from the input (ChaCha, out of place). */
		m.tag = (uint8_t *)in + head + m.len;
	}
	if (aoff_policy_device(AOFF_POL_AEAD, m.len) &&
	    aoff_aead_dev_fits(m.aadlen, m.len))
		r = aoff_aead_dev(&m);
	else
		r = aoff_aead_sw(c->sw, &m);
	if (r != 1) {
		if (!c->enc)
			OPENSSL_cleanse(out + head, m.len);
		if (r == -EBADMSG)
			AOFF_RAISE(AOFF_R_BAD_DECRYPT, "%s TLS record tag does "
				   "not match", c->name);
		return 0;
	}
	/*
	 * As the default provider: the whole record encrypting, the text
	 * decrypting (libssl's update path reads it; EVP_Cipher() on GCM
	 * says the record, aead.c).
	 */
	*outl = c->enc ? inl : m.len;
	return 1;
}
