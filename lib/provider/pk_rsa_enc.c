// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: RSA encryption and decryption (ASYM_CIPHER):
 * PKCS#1 v1.5, OAEP and no padding.
 *
 * Padding stays in the provider, on libcrypto's functions, as QAT's
 * provider does it: RSA_padding_add_PKCS1_type_2() / _OAEP_mgf1() before
 * the device's public-key operation, and after the (blinded, pk_rsa.c)
 * private-key operation RSA_padding_check_PKCS1_type_2() / _OAEP_mgf1(),
 * OpenSSL's constant-time checks.  libssl's RSA key exchange
 * (RSA_PKCS1_WITH_TLS_PADDING, TLS 1.2 without ECDHE) needs OpenSSL's
 * internal TLS check, which libcrypto does not export: that padding
 * runs in-process on the default provider.
 */
#define OPENSSL_SUPPRESS_DEPRECATED	/* RSA_padding_*() */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <openssl/rsa.h>

#include "pk.h"

struct pk_enc {
	struct aoff_pkey *k;
	int pad;
	EVP_MD *md, *mgf1;	/* OAEP (NULL: SHA-1, as OpenSSL) */
	uint8_t *label;
	size_t labellen;
	unsigned int client_version, alt_version;	/* TLS padding */
};

static void *enc_newctx(void *provctx)
{
	struct pk_enc *e = OPENSSL_zalloc(sizeof(*e));

	(void)provctx;
	if (e)
		e->pad = RSA_PKCS1_PADDING;
	return e;
}

static void enc_freectx(void *vctx)
{
	struct pk_enc *e = vctx;

	if (!e)
		return;
	aoff_pkey_free(e->k);
	EVP_MD_free(e->md);
	EVP_MD_free(e->mgf1);
	OPENSSL_free(e->label);
	OPENSSL_free(e);
}

static void *enc_dupctx(void *vctx)
{
	const struct pk_enc *src = vctx;
	struct pk_enc *e = OPENSSL_memdup(src, sizeof(*src));

	if (!e)
		return NULL;
	aoff_pkey_ref(e->k);
	if (e->md)
		EVP_MD_up_ref(e->md);
	if (e->mgf1)
		EVP_MD_up_ref(e->mgf1);
	if (src->label) {
		e->label = OPENSSL_memdup(src->label, src->labellen);
		if (!e->label) {
			e->labellen = 0;
			enc_freectx(e);
			return NULL;
		}
	}
	return e;
}

static int enc_set_md(EVP_MD **slot, const OSSL_PARAM *p)
{
	const char *name;
	EVP_MD *md;

	if (!OSSL_PARAM_get_utf8_string_ptr(p, &name))
		return 0;
	md = aoff_pk_sw_md(name, NULL);
	if (!md)
		return 0;
	EVP_MD_free(*slot);
	*slot = md;
	return 1;
}

static int enc_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
	struct pk_enc *e = vctx;
	const OSSL_PARAM *p;
	const char *v;
	void *lab = NULL;
	size_t llen;
	int pad;

	if (!params)
		return 1;
	p = OSSL_PARAM_locate_const(params, OSSL_ASYM_CIPHER_PARAM_PAD_MODE);
	if (p) {
		if (p->data_type == OSSL_PARAM_UTF8_STRING) {
			if (!OSSL_PARAM_get_utf8_string_ptr(p, &v))
				return 0;
			pad = !strcmp(v, OSSL_PKEY_RSA_PAD_MODE_NONE) ?
			      RSA_NO_PADDING :
			      !strcmp(v, OSSL_PKEY_RSA_PAD_MODE_PKCSV15) ?
			      RSA_PKCS1_PADDING :
			      !strcmp(v, OSSL_PKEY_RSA_PAD_MODE_OAEP) ?
			      RSA_PKCS1_OAEP_PADDING : -1;
		} else if (!OSSL_PARAM_get_int(p, &pad)) {
			return 0;
		}
		if (pad != RSA_NO_PADDING && pad != RSA_PKCS1_PADDING &&
		    pad != RSA_PKCS1_OAEP_PADDING &&
		    pad != RSA_PKCS1_WITH_TLS_PADDING) {
			AOFF_RAISE(AOFF_R_UNSUPPORTED_PADDING, "RSA "
				   "encryption padding %d", pad);
			return 0;
		}
		e->pad = pad;
	}
	p = OSSL_PARAM_locate_const(params, OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST);
	if (p && !enc_set_md(&e->md, p))
		return 0;
	p = OSSL_PARAM_locate_const(params, OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST);
	if (p && !enc_set_md(&e->mgf1, p))
		return 0;
	p = OSSL_PARAM_locate_const(params, OSSL_ASYM_CIPHER_PARAM_OAEP_LABEL);
	if (p) {
		if (!OSSL_PARAM_get_octet_string(p, &lab, 0, &llen))
			return 0;
		OPENSSL_free(e->label);
		e->label = lab;
		e->labellen = llen;
	}
	p = OSSL_PARAM_locate_const(params,
				    OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION);
	if (p && !OSSL_PARAM_get_uint(p, &e->client_version))
		return 0;
	p = OSSL_PARAM_locate_const(params,
				    OSSL_ASYM_CIPHER_PARAM_TLS_NEGOTIATED_VERSION);
	if (p && !OSSL_PARAM_get_uint(p, &e->alt_version))
		return 0;
	return 1;
}

static int enc_init(void *vctx, void *key, const OSSL_PARAM params[],
		    int priv)
{
	struct pk_enc *e = vctx;
	struct aoff_pkey *k = key;

	if (!e || !k || k->type != AOFF_PK_RSA) {
		AOFF_RAISE(AOFF_R_NO_KEY, "RSA encryption: no RSA key");
		return 0;
	}
	if (!aoff_pkey_dev_check(k, priv, priv ? "RSA decryption" :
				 "RSA encryption"))
		return 0;
	aoff_pkey_free(e->k);
	e->k = aoff_pkey_ref(k);
	e->pad = RSA_PKCS1_PADDING;
	return enc_set_ctx_params(e, params);
}

static int enc_encrypt_init(void *vctx, void *key, const OSSL_PARAM params[])
{
	return enc_init(vctx, key, params, 0);
}

static int enc_decrypt_init(void *vctx, void *key, const OSSL_PARAM params[])
{
	return enc_init(vctx, key, params, 1);
}

/* OpenSSL's OAEP default digest is SHA-1 (RFC 8017 A.2.1). */
static EVP_MD *enc_oaep_md(struct pk_enc *e)
{
	if (!e->md)
		e->md = aoff_pk_sw_md("SHA1", NULL);
	return e->md;
}

static int enc_encrypt(void *vctx, unsigned char *out, size_t *outlen,
		       size_t outsize, const unsigned char *in, size_t inlen)
{
	struct pk_enc *e = vctx;
	const struct aoff_pkey *k = e->k;
	uint8_t em[AOFF_RSA_MAX_BYTES];
	int n, ok;

	if (!k)
		return 0;
	n = (int)k->nbytes;
	if (!out) {
		*outlen = k->nbytes;
		return 1;
	}
	if (outsize < k->nbytes) {
		AOFF_RAISE(AOFF_R_OUTPUT_TOO_SMALL, "RSA encryption: %zu "
			   "bytes of room for %d", outsize, n);
		return 0;
	}
	switch (e->pad) {
	case RSA_PKCS1_PADDING:
		ok = RSA_padding_add_PKCS1_type_2(em, n, in, (int)inlen);
		break;
	case RSA_PKCS1_OAEP_PADDING:
		ok = enc_oaep_md(e) &&
		     RSA_padding_add_PKCS1_OAEP_mgf1(em, n, in, (int)inlen,
				e->label, (int)e->labellen, e->md,
				e->mgf1 ? e->mgf1 : e->md);
		break;
	case RSA_NO_PADDING:
		ok = inlen == k->nbytes;
		if (ok)
			memcpy(em, in, inlen);
		else
			AOFF_RAISE(AOFF_R_DATA_TOO_LARGE, "RSA without "
				   "padding: %zu bytes for a %d-byte modulus",
				   inlen, n);
		break;
	default:
		AOFF_RAISE(AOFF_R_UNSUPPORTED_PADDING, "RSA encryption with "
			   "padding %d", e->pad);
		ok = 0;
	}
	if (ok <= 0 || !aoff_pk_rsa_public(k, em, out))
		return 0;
	*outlen = k->nbytes;
	return 1;
}

/* RSA_PKCS1_WITH_TLS_PADDING: the default provider, in-process. */
static int enc_decrypt_tls(struct pk_enc *e, unsigned char *out,
			   size_t *outlen, size_t outsize,
			   const unsigned char *in, size_t inlen)
{
	OSSL_LIB_CTX *lc = aoff_sw_libctx();
	EVP_PKEY_CTX *pc;
	OSSL_PARAM params[4];
	int pad = RSA_PKCS1_WITH_TLS_PADDING, ret;

	if (!lc)
		return 0;
	params[0] = OSSL_PARAM_construct_int(OSSL_ASYM_CIPHER_PARAM_PAD_MODE,
					     &pad);
	params[1] = OSSL_PARAM_construct_uint(
		OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, &e->client_version);
	params[2] = OSSL_PARAM_construct_uint(
		OSSL_ASYM_CIPHER_PARAM_TLS_NEGOTIATED_VERSION, &e->alt_version);
	params[3] = OSSL_PARAM_construct_end();
	pc = EVP_PKEY_CTX_new_from_pkey(lc, e->k->pk, NULL);
	*outlen = outsize;
	ret = pc && EVP_PKEY_decrypt_init_ex(pc, params) > 0 &&
	      EVP_PKEY_decrypt(pc, out, outlen, in, inlen) > 0;
	EVP_PKEY_CTX_free(pc);
	return ret;
}

static int enc_decrypt(void *vctx, unsigned char *out, size_t *outlen,
		       size_t outsize, const unsigned char *in, size_t inlen)
{
	struct pk_enc *e = vctx;
	const struct aoff_pkey *k = e->k;
	uint8_t em[AOFF_RSA_MAX_BYTES];
	int n, ret = -1;

	if (!k)
		return 0;
	n = (int)k->nbytes;
	if (!out) {
		*outlen = k->nbytes;
		return 1;
	}
	if (e->pad == RSA_PKCS1_WITH_TLS_PADDING)
		return enc_decrypt_tls(e, out, outlen, outsize, in, inlen);
	if (inlen != k->nbytes) {
		AOFF_RAISE(AOFF_R_DATA_TOO_LARGE, "RSA decryption: %zu bytes "
			   "of ciphertext for a %d-byte modulus", inlen, n);
		return 0;
	}
	if (e->pad == RSA_NO_PADDING && outsize < k->nbytes) {
		AOFF_RAISE(AOFF_R_OUTPUT_TOO_SMALL, "RSA decryption: %zu "
			   "bytes of room for %d", outsize, n);
		return 0;
	}
	if (!aoff_rsa_private(k, in, em))
		goto out;
	switch (e->pad) {
	case RSA_NO_PADDING:
		memcpy(out, em, k->nbytes);
		ret = n;
		break;
	case RSA_PKCS1_PADDING:
		ret = RSA_padding_check_PKCS1_type_2(out, (int)outsize, em, n,
						     n);
		break;
	case RSA_PKCS1_OAEP_PADDING:
		if (enc_oaep_md(e))
			ret = RSA_padding_check_PKCS1_OAEP_mgf1(out,
				(int)outsize, em, n, n, e->label,
				(int)e->labellen, e->md,
				e->mgf1 ? e->mgf1 : e->md);
		break;
	}
out:
	OPENSSL_cleanse(em, sizeof(em));
	if (ret < 0)
		return 0;
	*outlen = (size_t)ret;
	return 1;
}

static int enc_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
	struct pk_enc *e = vctx;
	OSSL_PARAM *p;

	p = OSSL_PARAM_locate(params, OSSL_ASYM_CIPHER_PARAM_PAD_MODE);
	if (p && p->data_type == OSSL_PARAM_INTEGER &&
	    !OSSL_PARAM_set_int(p, e->pad))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST);
	if (p && !OSSL_PARAM_set_utf8_string(p, e->md ?
					     EVP_MD_get0_name(e->md) : "SHA1"))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST);
	if (p && !OSSL_PARAM_set_utf8_string(p, e->mgf1 ?
			EVP_MD_get0_name(e->mgf1) : e->md ?
			EVP_MD_get0_name(e->md) : "SHA1"))
		return 0;
	return 1;
}

static const OSSL_PARAM enc_gettable[] = {
	OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_PAD_MODE, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST, NULL, 0),
	OSSL_PARAM_END
};

static const OSSL_PARAM enc_settable[] = {
	OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_PAD_MODE, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST_PROPS, NULL,
			       0),
	OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST_PROPS, NULL,
			       0),
	OSSL_PARAM_octet_string(OSSL_ASYM_CIPHER_PARAM_OAEP_LABEL, NULL, 0),
	OSSL_PARAM_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, NULL),
	OSSL_PARAM_uint(OSSL_ASYM_CIPHER_PARAM_TLS_NEGOTIATED_VERSION, NULL),
	OSSL_PARAM_END
};

static const OSSL_PARAM *enc_gettable_ctx_params(void *vctx, void *provctx)
{
	(void)vctx;
	(void)provctx;
	return enc_gettable;
}

static const OSSL_PARAM *enc_settable_ctx_params(void *vctx, void *provctx)
{
	(void)vctx;
	(void)provctx;
	return enc_settable;
}

const OSSL_DISPATCH aoff_rsa_asym_cipher_functions[] = {
	{ OSSL_FUNC_ASYM_CIPHER_NEWCTX, (void (*)(void))enc_newctx },
	{ OSSL_FUNC_ASYM_CIPHER_ENCRYPT_INIT,
	  (void (*)(void))enc_encrypt_init },
	{ OSSL_FUNC_ASYM_CIPHER_ENCRYPT, (void (*)(void))enc_encrypt },
	{ OSSL_FUNC_ASYM_CIPHER_DECRYPT_INIT,
	  (void (*)(void))enc_decrypt_init },
	{ OSSL_FUNC_ASYM_CIPHER_DECRYPT, (void (*)(void))enc_decrypt },
	{ OSSL_FUNC_ASYM_CIPHER_FREECTX, (void (*)(void))enc_freectx },
	{ OSSL_FUNC_ASYM_CIPHER_DUPCTX, (void (*)(void))enc_dupctx },
	{ OSSL_FUNC_ASYM_CIPHER_GET_CTX_PARAMS,
	  (void (*)(void))enc_get_ctx_params },
	{ OSSL_FUNC_ASYM_CIPHER_GETTABLE_CTX_PARAMS,
	  (void (*)(void))enc_gettable_ctx_params },
	{ OSSL_FUNC_ASYM_CIPHER_SET_CTX_PARAMS,
	  (void (*)(void))enc_set_ctx_params },
	{ OSSL_FUNC_ASYM_CIPHER_SETTABLE_CTX_PARAMS,
	  (void (*)(void))enc_settable_ctx_params },
	{ 0, NULL }
};
