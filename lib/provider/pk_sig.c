// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: what the RSA and ECDSA signatures share — the
 * context, its copies (libssl's DigestSignFinal signs on a copy), the
 * digest of DigestSign/DigestVerify and the parameters libssl and the
 * tools set and read.
 *
 * The digest runs in-process on the default provider's implementation:
 * it is short next to the public-key operation, and a device round trip
 * for it would only add to the handshake's latency.  Only the
 * public-key operation goes to the device (pk_rsa_sig.c,
 * pk_ecdsa_sig.c).
 */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/params.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "pk.h"

void *aoff_sig_newctx(enum aoff_pk_type type)
{
	struct aoff_sig *s = OPENSSL_zalloc(sizeof(*s));

	if (!s)
		return NULL;
	s->type = type;
	s->pad = RSA_PKCS1_PADDING;
	s->saltlen = RSA_PSS_SALTLEN_AUTO;
	return s;
}

void aoff_sig_freectx(void *vctx)
{
	struct aoff_sig *s = vctx;

	if (!s)
		return;
	aoff_pkey_free(s->k);
	EVP_MD_free(s->md);
	EVP_MD_free(s->mgf1);
	EVP_MD_CTX_free(s->mdctx);
	OPENSSL_free(s);
}

void *aoff_sig_dupctx(void *vctx)
{
	const struct aoff_sig *src = vctx;
	struct aoff_sig *s = OPENSSL_memdup(src, sizeof(*src));

	if (!s)
		return NULL;
	aoff_pkey_ref(s->k);
	if (s->md)
		EVP_MD_up_ref(s->md);
	if (s->mgf1)
		EVP_MD_up_ref(s->mgf1);
	if (src->mdctx) {
		s->mdctx = EVP_MD_CTX_new();
		if (!s->mdctx || !EVP_MD_CTX_copy_ex(s->mdctx, src->mdctx)) {
			EVP_MD_CTX_free(s->mdctx);
			s->mdctx = NULL;
			aoff_sig_freectx(s);
			return NULL;
		}
	}
	return s;
}

static int sig_set_md(struct aoff_sig *s, const char *name, int mgf1)
{
	EVP_MD *md = aoff_pk_sw_md(name, NULL);

	if (!md)
		return 0;
	if (!mgf1 && (size_t)EVP_MD_get_size(md) > AOFF_ECDSA_DIGEST_MAX) {
		AOFF_RAISE(AOFF_R_UNSUPPORTED_DIGEST, "%s: digests of at most "
			   "%d bytes", name, AOFF_ECDSA_DIGEST_MAX);
		EVP_MD_free(md);
		return 0;
	}
	if (mgf1) {
		EVP_MD_free(s->mgf1);
		s->mgf1 = md;
		return 1;
	}
	EVP_MD_free(s->md);
	s->md = md;
	s->mdnid = EVP_MD_get_type(md);
	s->mdsize = (size_t)EVP_MD_get_size(md);
	return 1;
}

static int sig_init(struct aoff_sig *s, void *key, int sign,
		    const OSSL_PARAM params[])
{
	struct aoff_pkey *k = key;

	if (!s)
		return 0;
	if (k) {
		if (k->type != s->type) {
			AOFF_RAISE(AOFF_R_NO_KEY, "a %s key for a %s "
				   "signature", aoff_pkey_type_name(k->type),
				   aoff_pkey_type_name(s->type));
			return 0;
		}
		if (!aoff_pkey_dev_check(k, sign, sign ? "signing" :
					 "verification"))
			return 0;
		aoff_pkey_free(s->k);
		s->k = aoff_pkey_ref(k);
	} else if (!s->k) {
		AOFF_RAISE(AOFF_R_NO_KEY, "signature: no key");
		return 0;
	}
	s->sign = sign;
	return aoff_sig_set_ctx_params(s, params);
}

int aoff_sig_sign_init(void *vctx, void *key, const OSSL_PARAM params[])
{
	return sig_init(vctx, key, 1, params);
}

int aoff_sig_verify_init(void *vctx, void *key, const OSSL_PARAM params[])
{
	return sig_init(vctx, key, 0, params);
}

int aoff_sig_sign(void *vctx, unsigned char *sig, size_t *siglen,
		  size_t sigsize, const unsigned char *tbs, size_t tbslen)
{
	struct aoff_sig *s = vctx;

	if (s->type == AOFF_PK_RSA)
		return aoff_rsa_sig_sign(s, sig, siglen, sigsize, tbs, tbslen);
	return aoff_ecdsa_sig_sign(s, sig, siglen, sigsize, tbs, tbslen);
}

int aoff_sig_verify(void *vctx, const unsigned char *sig, size_t siglen,
		    const unsigned char *tbs, size_t tbslen)
{
	struct aoff_sig *s = vctx;

	if (s->type == AOFF_PK_RSA)
		return aoff_rsa_sig_verify(s, sig, siglen, tbs, tbslen);
	return aoff_ecdsa_sig_verify(s, sig, siglen, tbs, tbslen);
}

static int sig_digest_init(struct aoff_sig *s, const char *mdname, void *key,
			   int sign, const OSSL_PARAM params[])
{
	if (!sig_init(s, key, sign, params))
		return 0;
	if (mdname && !sig_set_md(s, mdname, 0))
		return 0;
	if (!s->md) {
		AOFF_RAISE(AOFF_R_UNSUPPORTED_DIGEST, "DigestSign/Verify "
			   "without a digest");
		return 0;
	}
	if (!s->mdctx)
		s->mdctx = EVP_MD_CTX_new();
	return s->mdctx && EVP_DigestInit_ex2(s->mdctx, s->md, NULL);
}

int aoff_sig_digest_sign_init(void *vctx, const char *mdname, void *key,
			      const OSSL_PARAM params[])
{
	return sig_digest_init(vctx, mdname, key, 1, params);
}

int aoff_sig_digest_verify_init(void *vctx, const char *mdname, void *key,
				const OSSL_PARAM params[])
{
	return sig_digest_init(vctx, mdname, key, 0, params);
}

int aoff_sig_digest_update(void *vctx, const unsigned char *data, size_t len)
{
	struct aoff_sig *s = vctx;

	return s && s->mdctx && EVP_DigestUpdate(s->mdctx, data, len);
}

int aoff_sig_digest_sign_final(void *vctx, unsigned char *sig,
			       size_t *siglen, size_t sigsize)
{
	struct aoff_sig *s = vctx;
	unsigned char dgst[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;

	if (!s || !s->mdctx)
		return 0;
	/* A size query does not finish the digest (EVP_DigestSignFinal). */
	if (sig && !EVP_DigestFinal_ex(s->mdctx, dgst, &dlen))
		return 0;
	return aoff_sig_sign(s, sig, siglen, sigsize, dgst, dlen);
}

int aoff_sig_digest_verify_final(void *vctx, const unsigned char *sig,
				 size_t siglen)
{
	struct aoff_sig *s = vctx;
	unsigned char dgst[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;

	if (!s || !s->mdctx || !EVP_DigestFinal_ex(s->mdctx, dgst, &dlen))
		return 0;
	return aoff_sig_verify(s, sig, siglen, dgst, dlen);
}

/* The DER AlgorithmIdentifier of the signature: PKCS#1 v1.5 and ECDSA. */
static int sig_algid(const struct aoff_sig *s, OSSL_PARAM *p)
{
	X509_ALGOR *alg;
	unsigned char *der = NULL;
	int sigid, len, ret;

	if (!s->md || (s->type == AOFF_PK_RSA && s->pad != RSA_PKCS1_PADDING))
		return 1;	/* none: the parameter stays unset */
	if (!OBJ_find_sigid_by_algs(&sigid, s->mdnid, s->type == AOFF_PK_RSA ?
				    NID_rsaEncryption :
				    NID_X9_62_id_ecPublicKey))
		return 1;
	alg = X509_ALGOR_new();
	if (!alg)
		return 0;
	/* RSA's parameters are NULL, ECDSA's absent (RFC 4055, RFC 5758). */
	X509_ALGOR_set0(alg, OBJ_nid2obj(sigid), s->type == AOFF_PK_RSA ?
			V_ASN1_NULL : V_ASN1_UNDEF, NULL);
	len = i2d_X509_ALGOR(alg, &der);
	ret = len > 0 && OSSL_PARAM_set_octet_string(p, der, (size_t)len);
	OPENSSL_free(der);
	X509_ALGOR_free(alg);
	return ret;
}

int aoff_sig_get_ctx_params(void *vctx, OSSL_PARAM params[])
{
	struct aoff_sig *s = vctx;
	OSSL_PARAM *p;

	if (!s)
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_ALGORITHM_ID);
	if (p && !sig_algid(s, p))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_DIGEST);
	if (p && s->md && !OSSL_PARAM_set_utf8_string(p, EVP_MD_get0_name(s->md)))
		return 0;
	if (s->type != AOFF_PK_RSA)
		return 1;
	p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_PAD_MODE);
	if (p) {
		if (p->data_type == OSSL_PARAM_INTEGER) {
			if (!OSSL_PARAM_set_int(p, s->pad))
				return 0;
		} else if (!OSSL_PARAM_set_utf8_string(p,
				s->pad == RSA_PKCS1_PSS_PADDING ? "pss" :
				"pkcs1")) {
			return 0;
		}
	}
	p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_MGF1_DIGEST);
	if (p && (s->mgf1 || s->md) &&
	    !OSSL_PARAM_set_utf8_string(p, EVP_MD_get0_name(s->mgf1 ?
					s->mgf1 : s->md)))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_PSS_SALTLEN);
	if (p) {
		if (p->data_type == OSSL_PARAM_INTEGER) {
			if (!OSSL_PARAM_set_int(p, s->saltlen))
				return 0;
		} else {
			char num[16];
			const char *v = s->saltlen == RSA_PSS_SALTLEN_DIGEST ?
				"digest" : s->saltlen == RSA_PSS_SALTLEN_MAX ?
				"max" : s->saltlen == RSA_PSS_SALTLEN_AUTO ?
				"auto" : NULL;

			if (!v) {
				snprintf(num, sizeof(num), "%d", s->saltlen);
				v = num;
			}
			if (!OSSL_PARAM_set_utf8_string(p, v))
				return 0;
		}
	}
	return 1;
}

static int sig_set_pad(struct aoff_sig *s, const OSSL_PARAM *p)
{
	const char *v;
	int pad;

	if (p->data_type == OSSL_PARAM_UTF8_STRING) {
		if (!OSSL_PARAM_get_utf8_string_ptr(p, &v))
			return 0;
		pad = !strcmp(v, OSSL_PKEY_RSA_PAD_MODE_PKCSV15) ?
		      RSA_PKCS1_PADDING :
		      !strcmp(v, OSSL_PKEY_RSA_PAD_MODE_PSS) ?
		      RSA_PKCS1_PSS_PADDING : -1;
	} else if (!OSSL_PARAM_get_int(p, &pad)) {
		return 0;
	}
	if (pad != RSA_PKCS1_PADDING && pad != RSA_PKCS1_PSS_PADDING) {
		AOFF_RAISE(AOFF_R_UNSUPPORTED_PADDING, "RSA signature padding "
			   "%d: PKCS#1 v1.5 (%d) and PSS (%d) only", pad,
			   RSA_PKCS1_PADDING, RSA_PKCS1_PSS_PADDING);
		return 0;
	}
	s->pad = pad;
	return 1;
}

static int sig_set_saltlen(struct aoff_sig *s, const OSSL_PARAM *p)
{
	const char *v;
	int n;

	if (p->data_type == OSSL_PARAM_UTF8_STRING) {
		if (!OSSL_PARAM_get_utf8_string_ptr(p, &v))
			return 0;
		if (!strcmp(v, OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST))
			n = RSA_PSS_SALTLEN_DIGEST;
		else if (!strcmp(v, OSSL_PKEY_RSA_PSS_SALT_LEN_MAX))
			n = RSA_PSS_SALTLEN_MAX;
		else if (!strcmp(v, OSSL_PKEY_RSA_PSS_SALT_LEN_AUTO))
			n = RSA_PSS_SALTLEN_AUTO;
		else
			n = atoi(v);
	} else if (!OSSL_PARAM_get_int(p, &n)) {
		return 0;
	}
	if (n < RSA_PSS_SALTLEN_MAX) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "PSS salt length %d", n);
		return 0;
	}
	s->saltlen = n;
	return 1;
}

int aoff_sig_set_ctx_params(void *vctx, const OSSL_PARAM params[])
{
	struct aoff_sig *s = vctx;
	const OSSL_PARAM *p;
	const char *name;

	if (!s)
		return 0;
	if (!params)
		return 1;
	p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_DIGEST);
	if (p && (!OSSL_PARAM_get_utf8_string_ptr(p, &name) ||
		  !sig_set_md(s, name, 0)))
		return 0;
	if (s->type != AOFF_PK_RSA)
		return 1;
	p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_PAD_MODE);
	if (p && !sig_set_pad(s, p))
		return 0;
	p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_MGF1_DIGEST);
	if (p && (!OSSL_PARAM_get_utf8_string_ptr(p, &name) ||
		  !sig_set_md(s, name, 1)))
		return 0;
	p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_PSS_SALTLEN);
	if (p && !sig_set_saltlen(s, p))
		return 0;
	return 1;
}

static const OSSL_PARAM sig_gettable[] = {
	OSSL_PARAM_octet_string(OSSL_SIGNATURE_PARAM_ALGORITHM_ID, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, NULL, 0),
	OSSL_PARAM_END
};

static const OSSL_PARAM sig_settable[] = {
	OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PROPERTIES, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_PROPERTIES, NULL, 0),
	OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, NULL, 0),
	OSSL_PARAM_END
};

const OSSL_PARAM *aoff_sig_gettable_ctx_params(void *vctx, void *provctx)
{
	(void)vctx;
	(void)provctx;
	return sig_gettable;
}

const OSSL_PARAM *aoff_sig_settable_ctx_params(void *vctx, void *provctx)
{
	(void)vctx;
	(void)provctx;
	return sig_settable;
}
