/* SPDX-License-Identifier: Apache-2.0 */
/*
 * asyncoff provider: the AEAD context, shared by aead.c (the EVP cipher)
 * and aead_tls.c (TLS 1.2 records).
 */
#ifndef AOFF_AEAD_H
#define AOFF_AEAD_H

#include "prov.h"

#define AOFF_TLS1_AAD_LEN	13	/* seq 8, type, version 2, length 2 */
#define AOFF_GCM_TLS_FIXED_IV	4
#define AOFF_GCM_TLS_EXPLICIT	8

/* Where this message's text is (aead.c). */
enum {
	AOFF_AEAD_PH_AAD,	/* no text yet: AAD kept and mirrored */
	AOFF_AEAD_PH_DEV,	/* the device did the text (kept in @text) */
	AOFF_AEAD_PH_SW,	/* the default provider's cipher has it all */
	AOFF_AEAD_PH_FAILED,	/* the device failed the text: until a new IV */
};

struct aoff_aead {
	int kind;			/* AOFF_AEAD_GCM / _CHACHA */
	size_t keylen;
	const char *name;		/* the default provider's name */
	int enc;
	int key_set;
	uint8_t key[32];
	EVP_CIPHER_CTX *sw;		/* the default provider's, mirrored */

	/* The message. */
	uint8_t iv[AOFF_AEAD_NONCE_SIZE];
	int iv_ok;		/* a fresh 12-byte IV the device can use */
	int phase;		/* AOFF_AEAD_PH_* */
	int done;		/* final ran; a new IV is needed */
	int sw_stale;		/* ... and @sw did not see the text */
	uint8_t *aad;
	size_t aadlen, aadcap;
	uint8_t *text;		/* PH_DEV: the device's input */
	size_t textlen;
	uint8_t tag[AOFF_AEAD_TAG_MAX];	/* decrypting: the tag set */
	size_t taglen;
	int tag_set;
	uint8_t vtag[AOFF_AEAD_TAG_MAX];	/* ... the one the device checked */
	size_t vtaglen;
	uint8_t dtag[AOFF_AEAD_TAG_MAX];	/* encrypting: the device's tag */
	int dev_tag;		/* dtag is the finished message's tag */

	/* TLS 1.2 records (aead_tls.c). */
	size_t tls_aad_len;	/* 0: no record pending */
	uint8_t tls_aad[AOFF_TLS1_AAD_LEN];
	size_t tls_pad;		/* what AEAD_TLS1_AAD_PAD reports */
	int tls_fixed;
	uint8_t tls_iv[AOFF_AEAD_NONCE_SIZE];
};

int aoff_aead_tls_aad(struct aoff_aead *c, const OSSL_PARAM *p);
int aoff_aead_tls_iv_fixed(struct aoff_aead *c, const OSSL_PARAM *p);
int aoff_aead_tls(struct aoff_aead *c, unsigned char *out, size_t *outl,
		  size_t outsize, const unsigned char *in, size_t inl);

#endif /* AOFF_AEAD_H */
