// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: RSA signatures (PKCS#1 v1.5 and PSS, RFC 8017).
 *
 * The encoding is libcrypto's: DigestInfo by its ASN.1 encoder,
 * RSA_padding_add_PKCS1_type_1() / _PSS_mgf1() to sign and the matching
 * checks to verify; the device does the RSA private-key operation
 * (blinded, pk_rsa.c) and the public-key one.  PKCS#1 v1.5 signatures
 * are therefore byte for byte the default provider's.
 */
#define OPENSSL_SUPPRESS_DEPRECATED	/* RSA_padding_*() take an RSA * */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "pk.h"

/*
 * What PKCS#1 v1.5 signs: DigestInfo (RFC 8017 9.2) of the digest; the
 * bare 36 bytes of TLS 1.0's MD5-SHA1; the data as given without a
 * digest.  *@out is allocated.
 */
static int rsa_pkcs1_t(const struct aoff_sig *s, const uint8_t *tbs,
		       size_t tbslen, uint8_t **out, size_t *outlen)
{
	X509_SIG *xs;
	X509_ALGOR *alg;
	ASN1_OCTET_STRING *dg;
	int len;

	if (!s->md || s->mdnid == NID_md5_sha1) {
		*out = OPENSSL_memdup(tbs, tbslen ? tbslen : 1);
		*outlen = tbslen;
		return *out != NULL;
	}
	xs = X509_SIG_new();
	if (!xs)
		return 0;
	X509_SIG_getm(xs, &alg, &dg);
	*out = NULL;
	len = X509_ALGOR_set0(alg, OBJ_nid2obj(s->mdnid), V_ASN1_NULL, NULL) &&
	      ASN1_OCTET_STRING_set(dg, tbs, (int)tbslen) ?
	      i2d_X509_SIG(xs, out) : -1;
	X509_SIG_free(xs);
	if (len <= 0)
		return 0;
	*outlen = (size_t)len;
	return 1;
}

static int rsa_check_tbs(const struct aoff_sig *s, size_t tbslen)
{
	if (s->md && tbslen != s->mdsize) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "a %zu-byte digest for %s (%zu "
			   "bytes)", tbslen, EVP_MD_get0_name(s->md),
			   s->mdsize);
		return 0;
	}
	if (s->pad == RSA_PKCS1_PSS_PADDING && !s->md) {
		AOFF_RAISE(AOFF_R_UNSUPPORTED_DIGEST, "PSS without a digest");
		return 0;
	}
	return 1;
}

int aoff_rsa_sig_sign(struct aoff_sig *s, uint8_t *sig, size_t *siglen,
		      size_t sigsize, const uint8_t *tbs, size_t tbslen)
{
	const struct aoff_pkey *k = s->k;
	uint8_t em[AOFF_RSA_MAX_BYTES], *t = NULL;
	size_t tlen = 0;
	RSA *rsa = NULL;
	int ret = 0;

	if (!k || !aoff_pkey_dev_check(k, 1, "RSA signature"))
		return 0;
	if (!sig) {
		*siglen = k->nbytes;
		return 1;
	}
	if (sigsize < k->nbytes) {
		AOFF_RAISE(AOFF_R_OUTPUT_TOO_SMALL, "RSA signature: %zu bytes "
			   "of room for %zu", sigsize, k->nbytes);
		return 0;
	}
	if (!rsa_check_tbs(s, tbslen))
		return 0;
	if (s->pad == RSA_PKCS1_PADDING) {
		if (!rsa_pkcs1_t(s, tbs, tbslen, &t, &tlen))
			goto out;
		if (RSA_padding_add_PKCS1_type_1(em, (int)k->nbytes, t,
						 (int)tlen) <= 0)
			goto out;
	} else {
		rsa = aoff_rsa_pub(k);
		if (!rsa || RSA_padding_add_PKCS1_PSS_mgf1(rsa, em, tbs, s->md,
				s->mgf1 ? s->mgf1 : s->md, s->saltlen) <= 0)
			goto out;
	}
	if (!aoff_rsa_private(k, em, sig))
		goto out;
	*siglen = k->nbytes;
	ret = 1;
out:
	OPENSSL_free(t);
	RSA_free(rsa);
	return ret;
}

int aoff_rsa_sig_verify(struct aoff_sig *s, const uint8_t *sig,
			size_t siglen, const uint8_t *tbs, size_t tbslen)
{
	const struct aoff_pkey *k = s->k;
	uint8_t em[AOFF_RSA_MAX_BYTES], dec[AOFF_RSA_MAX_BYTES], *t = NULL;
	size_t tlen = 0;
	RSA *rsa = NULL;
	int ret = 0, n;

	if (!k || !aoff_pkey_dev_check(k, 0, "RSA verification"))
		return 0;
	if (siglen != k->nbytes) {
		AOFF_RAISE(AOFF_R_BAD_SIGNATURE_LENGTH, "RSA signature of %zu "
			   "bytes for a %zu-byte modulus", siglen, k->nbytes);
		return 0;
	}
	if (!rsa_check_tbs(s, tbslen) || !aoff_pk_rsa_public(k, sig, em))
		return 0;
	if (s->pad == RSA_PKCS1_PADDING) {
		n = RSA_padding_check_PKCS1_type_1(dec, (int)k->nbytes, em,
						   (int)k->nbytes,
						   (int)k->nbytes);
		ret = n > 0 && rsa_pkcs1_t(s, tbs, tbslen, &t, &tlen) &&
		      (size_t)n == tlen && !CRYPTO_memcmp(dec, t, tlen);
	} else {
		rsa = aoff_rsa_pub(k);
		ret = rsa && RSA_verify_PKCS1_PSS_mgf1(rsa, tbs, s->md,
				s->mgf1 ? s->mgf1 : s->md, em, s->saltlen) == 1;
	}
	OPENSSL_free(t);
	RSA_free(rsa);
	return ret;
}

static void *rsa_sig_newctx(void *provctx, const char *propq)
{
	(void)provctx;
	(void)propq;
	return aoff_sig_newctx(AOFF_PK_RSA);
}

const OSSL_DISPATCH aoff_rsa_signature_functions[] = {
	{ OSSL_FUNC_SIGNATURE_NEWCTX, (void (*)(void))rsa_sig_newctx },
	AOFF_SIG_COMMON_FUNCTIONS,
	{ 0, NULL }
};
