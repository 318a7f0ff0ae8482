// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: ECDSA signatures on P-256 and P-384.
 *
 * The device signs a digest and answers r || s at the curve's width; the
 * provider turns that into the DER Ecdsa-Sig-Value (libcrypto's
 * ECDSA_SIG) that OpenSSL and TLS carry, and back for verification,
 * accepting only the strict DER that the default provider accepts.  The
 * device takes the leftmost bytes of a longer digest (FIPS 186-4 6.4).
 */
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>

#include "pk.h"

int aoff_ecdsa_sig_sign(struct aoff_sig *s, uint8_t *sig, size_t *siglen,
			size_t sigsize, const uint8_t *tbs, size_t tbslen)
{
	const struct aoff_pkey *k = s->k;
	uint8_t rs[2 * AOFF_EC_MAX_BYTES];
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *sv = NULL;
	size_t max;
	int len, ret = 0;

	if (!k || !aoff_pkey_dev_check(k, 1, "ECDSA signature"))
		return 0;
	max = (size_t)EVP_PKEY_get_size(k->pk);
	if (!sig) {
		*siglen = max;
		return 1;
	}
	if (s->md && tbslen != s->mdsize) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "a %zu-byte digest for %s",
			   tbslen, EVP_MD_get0_name(s->md));
		return 0;
	}
	if (sigsize < max) {
		AOFF_RAISE(AOFF_R_OUTPUT_TOO_SMALL, "ECDSA signature: %zu "
			   "bytes of room for up to %zu", sigsize, max);
		return 0;
	}
	if (!aoff_pk_ecdsa_sign(k, tbs, tbslen, rs))
		return 0;
	es = ECDSA_SIG_new();
	r = BN_bin2bn(rs, (int)k->flen, NULL);
	sv = BN_bin2bn(rs + k->flen, (int)k->flen, NULL);
	if (!es || !r || !sv || !ECDSA_SIG_set0(es, r, sv))
		goto out;
	r = sv = NULL;	/* es owns them */
	len = i2d_ECDSA_SIG(es, &sig);
	if (len <= 0)
		goto out;
	*siglen = (size_t)len;
	ret = 1;
out:
	BN_free(r);
	BN_free(sv);
	ECDSA_SIG_free(es);
	return ret;
}

int aoff_ecdsa_sig_verify(struct aoff_sig *s, const uint8_t *sig,
			  size_t siglen, const uint8_t *tbs, size_t tbslen)
{
	const struct aoff_pkey *k = s->k;
	uint8_t rs[2 * AOFF_EC_MAX_BYTES];
	const unsigned char *p = sig;
	unsigned char *der = NULL;
	const BIGNUM *r, *sv;
	ECDSA_SIG *es;
	int ret = 0, len;

	if (!k || !aoff_pkey_dev_check(k, 0, "ECDSA verification"))
		return 0;
	if (s->md && tbslen != s->mdsize) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "a %zu-byte digest for %s",
			   tbslen, EVP_MD_get0_name(s->md));
		return 0;
	}
	es = d2i_ECDSA_SIG(NULL, &p, (long)siglen);
	if (!es)
		return 0;
	/* Strict DER only: re-encoded, it must be the same bytes. */
	len = i2d_ECDSA_SIG(es, &der);
	if (len != (int)siglen || memcmp(der, sig, siglen))
		goto out;
	ECDSA_SIG_get0(es, &r, &sv);
	/* Wider than the curve: r or s >= n, not a valid signature. */
	if (BN_bn2binpad(r, rs, (int)k->flen) < 0 ||
	    BN_bn2binpad(sv, rs + k->flen, (int)k->flen) < 0)
		goto out;
	ret = aoff_pk_ecdsa_verify(k, tbs, tbslen, rs) == 1;
out:
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	return ret;
}

static void *ecdsa_sig_newctx(void *provctx, const char *propq)
{
	(void)provctx;
	(void)propq;
	return aoff_sig_newctx(AOFF_PK_EC);
}

const OSSL_DISPATCH aoff_ecdsa_signature_functions[] = {
	{ OSSL_FUNC_SIGNATURE_NEWCTX, (void (*)(void))ecdsa_sig_newctx },
	AOFF_SIG_COMMON_FUNCTIONS,
	{ 0, NULL }
};
