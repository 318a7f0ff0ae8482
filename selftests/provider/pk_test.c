// SPDX-License-Identifier: Apache-2.0
/*
 * The asyncoff provider's public-key algorithms against OpenSSL's default
 * provider: RSA PKCS#1 v1.5 signatures byte for byte, PSS and ECDSA
 * signatures verified across providers both ways, RSA decryption round
 * trips (PKCS#1 v1.5, OAEP with a label), ECDH and X25519 secrets equal,
 * keys from PEM (the default provider's decoders), device-generated keys
 * exported to PEM and used by the default provider, the same work inside
 * async jobs (fd and callback mode, pauses counted) and bad input (sizes,
 * small-order and off-curve points, d >= n, short buffers).  TAP.
 *
 *   pk_test [--modules DIR] [--no-device]
 */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/async.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#define PTEST_PREFIX "provider-pk"
#include "ptest.h"
#include "rsa_test_keys.h"

#define AOFF	"provider=asyncoff"
#define DEF	"provider=default"

static OSSL_LIB_CTX *libctx;
static EVP_PKEY *rsa2048, *p256, *p384, *x25519;	/* default's keys */

/*
 * A key of the default provider, made in the default library context
 * (the test's own context draws its random numbers through AES-CTR, on
 * the device when asyncoff is preferred, so not without the device).
 */
static EVP_PKEY *gen_default(const char *alg, const char *group, int bits)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL);
	EVP_PKEY *pk = NULL;

	if (!c || EVP_PKEY_keygen_init(c) <= 0 ||
	    (group && EVP_PKEY_CTX_set_group_name(c, group) <= 0) ||
	    (bits && EVP_PKEY_CTX_set_rsa_keygen_bits(c, bits) <= 0) ||
	    EVP_PKEY_keygen(c, &pk) <= 0)
		pk = NULL;
	EVP_PKEY_CTX_free(c);
	return pk;
}

/* Through PEM, as a file would be read: the default provider decodes. */
static EVP_PKEY *pem_roundtrip(EVP_PKEY *pk)
{
	BIO *b = BIO_new(BIO_s_mem());
	EVP_PKEY *out = NULL;

	if (b && PEM_write_bio_PrivateKey(b, pk, NULL, NULL, 0, NULL, NULL))
		out = PEM_read_bio_PrivateKey_ex(b, NULL, NULL, NULL, libctx,
						 NULL);
	BIO_free(b);
	return out;
}

/* ------------------------------------------------------------ signing */

struct sigopt {
	const char *md;
	int pad;		/* 0: not RSA */
	int saltlen;		/* PSS */
};

static int do_sign(EVP_PKEY *pk, const char *propq, const struct sigopt *o,
		   const unsigned char *msg, size_t len, unsigned char *sig,
		   size_t *siglen)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pc = NULL;
	int ok;

	ok = m && EVP_DigestSignInit_ex(m, &pc, o->md, libctx, propq, pk,
					NULL) > 0;
	if (ok && o->pad)
		ok = EVP_PKEY_CTX_set_rsa_padding(pc, o->pad) > 0 &&
		     (o->pad != RSA_PKCS1_PSS_PADDING ||
		      EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, o->saltlen) > 0);
	/* Update + Final: EVP_DigestSignFinal signs on a dupctx. */
	ok = ok && EVP_DigestSignUpdate(m, msg, len / 2) > 0 &&
	     EVP_DigestSignUpdate(m, msg + len / 2, len - len / 2) > 0 &&
	     EVP_DigestSignFinal(m, sig, siglen) > 0;
	EVP_MD_CTX_free(m);
	return ok;
}

static int do_verify(EVP_PKEY *pk, const char *propq,
		     const struct sigopt *o, const unsigned char *msg,
		     size_t len, const unsigned char *sig, size_t siglen)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pc = NULL;
	int ok;

	ok = m && EVP_DigestVerifyInit_ex(m, &pc, o->md, libctx, propq, pk,
					  NULL) > 0;
	if (ok && o->pad)
		ok = EVP_PKEY_CTX_set_rsa_padding(pc, o->pad) > 0 &&
		     (o->pad != RSA_PKCS1_PSS_PADDING ||
		      EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, o->saltlen) > 0);
	ok = ok && EVP_DigestVerify(m, sig, siglen, msg, len) == 1;
	EVP_MD_CTX_free(m);
	return ok;
}

/* Ours signs, the default verifies, and the other way round. */
static int cross_sign(EVP_PKEY *pk, const struct sigopt *o, int identical)
{
	unsigned char msg[333], a[600], b[600];
	size_t alen = sizeof(a), blen = sizeof(b);

	RAND_bytes(msg, sizeof(msg));
	if (!do_sign(pk, AOFF, o, msg, sizeof(msg), a, &alen))
		return fail("%s: asyncoff did not sign", o->md);
	if (!do_sign(pk, DEF, o, msg, sizeof(msg), b, &blen))
		return fail("%s: default did not sign", o->md);
	if (identical && (alen != blen || memcmp(a, b, alen)))
		return fail("%s: signatures differ", o->md);
	if (!do_verify(pk, DEF, o, msg, sizeof(msg), a, alen))
		return fail("%s: default rejects asyncoff's signature", o->md);
	if (!do_verify(pk, AOFF, o, msg, sizeof(msg), b, blen))
		return fail("%s: asyncoff rejects default's signature", o->md);
	a[alen / 2] ^= 1;
	if (do_verify(pk, AOFF, o, msg, sizeof(msg), a, alen))
		return fail("%s: asyncoff accepts a damaged signature", o->md);
	ERR_clear_error();
	return 1;
}

static int t_rsa_pkcs1(void)
{
	static const char *const mds[] = { "SHA256", "SHA384", "SHA512",
					   "SHA1" };

	for (size_t i = 0; i < 4; i++) {
		struct sigopt o = { mds[i], RSA_PKCS1_PADDING, 0 };

		if (!cross_sign(rsa2048, &o, 1))
			return 0;
	}
	return 1;
}

static int t_rsa_pss(void)
{
	static const struct sigopt os[] = {
		/* libssl: salt = digest length, MGF1 with the same digest */
		{ "SHA256", RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_DIGEST },
		{ "SHA384", RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_DIGEST },
		{ "SHA512", RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_DIGEST },
		{ "SHA256", RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_MAX },
		{ "SHA256", RSA_PKCS1_PSS_PADDING, 0 },
	};

	for (size_t i = 0; i < sizeof(os) / sizeof(os[0]); i++)
		if (!cross_sign(rsa2048, &os[i], 0))
			return 0;
	return 1;
}

static int t_ecdsa(void)
{
	struct sigopt o256 = { "SHA256", 0, 0 }, o384 = { "SHA384", 0, 0 };
	struct sigopt o512 = { "SHA512", 0, 0 };

	return cross_sign(p256, &o256, 0) && cross_sign(p384, &o384, 0) &&
	       cross_sign(p256, &o512, 0) && cross_sign(p384, &o256, 0);
}

/* EVP_PKEY_sign over a digest (no DigestSign), both ways. */
static int t_plain_sign(void)
{
	unsigned char dg[32], sig[600];
	size_t siglen = sizeof(sig);
	EVP_PKEY *keys[2] = { rsa2048, p256 };

	RAND_bytes(dg, sizeof(dg));
	for (int i = 0; i < 2; i++) {
		EVP_PKEY_CTX *s = EVP_PKEY_CTX_new_from_pkey(libctx, keys[i],
							     AOFF);
		EVP_PKEY_CTX *v = EVP_PKEY_CTX_new_from_pkey(libctx, keys[i],
							     DEF);
		int ok;

		siglen = sizeof(sig);
		ok = s && v && EVP_PKEY_sign_init(s) > 0 &&
		     EVP_PKEY_CTX_set_signature_md(s, EVP_sha256()) > 0 &&
		     EVP_PKEY_sign(s, sig, &siglen, dg, sizeof(dg)) > 0 &&
		     EVP_PKEY_verify_init(v) > 0 &&
		     EVP_PKEY_CTX_set_signature_md(v, EVP_sha256()) > 0 &&
		     EVP_PKEY_verify(v, sig, siglen, dg, sizeof(dg)) == 1;
		EVP_PKEY_CTX_free(s);
		EVP_PKEY_CTX_free(v);
		if (!ok)
			return fail("EVP_PKEY_sign key %d", i);
	}
	return 1;
}

/* --------------------------------------------------------- encryption */

static int rsa_crypt(EVP_PKEY *pk, const char *propq, int enc, int pad,
		     const unsigned char *in, size_t inlen,
		     unsigned char *out, size_t *outlen)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(libctx, pk, propq);
	int ok;

	ok = c && (enc ? EVP_PKEY_encrypt_init(c) : EVP_PKEY_decrypt_init(c))
		> 0 && EVP_PKEY_CTX_set_rsa_padding(c, pad) > 0;
	if (ok && pad == RSA_PKCS1_OAEP_PADDING) {
		unsigned char *label = OPENSSL_memdup("label", 5);

		ok = EVP_PKEY_CTX_set_rsa_oaep_md(c, EVP_sha256()) > 0 &&
		     EVP_PKEY_CTX_set0_rsa_oaep_label(c, label, 5) > 0;
	}
	ok = ok && (enc ? EVP_PKEY_encrypt(c, out, outlen, in, inlen) :
		    EVP_PKEY_decrypt(c, out, outlen, in, inlen)) > 0;
	EVP_PKEY_CTX_free(c);
	return ok;
}

static int t_rsa_crypt(void)
{
	static const int pads[] = { RSA_PKCS1_PADDING, RSA_PKCS1_OAEP_PADDING };
	unsigned char msg[100], ct[512], pt[512];
	size_t ctlen, ptlen;

	RAND_bytes(msg, sizeof(msg));
	for (int i = 0; i < 2; i++) {
		for (int dir = 0; dir < 2; dir++) {
			ctlen = sizeof(ct);
			ptlen = sizeof(pt);
			if (!rsa_crypt(rsa2048, dir ? AOFF : DEF, 1, pads[i],
				       msg, sizeof(msg), ct, &ctlen) ||
			    !rsa_crypt(rsa2048, dir ? DEF : AOFF, 0, pads[i],
				       ct, ctlen, pt, &ptlen))
				return fail("padding %d, %s encrypts", pads[i],
					    dir ? "asyncoff" : "default");
			if (ptlen != sizeof(msg) || memcmp(pt, msg, ptlen))
				return fail("padding %d: round trip differs",
					    pads[i]);
		}
	}
	/* A damaged ciphertext: an error, no plaintext. */
	ctlen = sizeof(ct);
	ptlen = sizeof(pt);
	if (!rsa_crypt(rsa2048, DEF, 1, RSA_PKCS1_OAEP_PADDING, msg, 10, ct,
		       &ctlen))
		return fail("encrypt");
	ct[5] ^= 0x40;
	if (rsa_crypt(rsa2048, AOFF, 0, RSA_PKCS1_OAEP_PADDING, ct, ctlen, pt,
		      &ptlen))
		return fail("a damaged OAEP ciphertext decrypted");
	ERR_clear_error();
	return 1;
}

/* The device's count of public-key requests, or -1. */
static long long pk_submitted(void)
{
	return sysfs_number("pk_submitted");
}

static EVP_PKEY *pem_key(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *pk = NULL;

	if (b)
		pk = PEM_read_bio_PrivateKey_ex(b, NULL, NULL, NULL, libctx,
						NULL);
	BIO_free(b);
	return pk;
}

/*
 * The larger moduli the device takes (fixed keys: generating them under
 * TCG takes minutes): PKCS#1 v1.5 byte-identical, PSS cross-verified,
 * OAEP both ways, each private-key operation a device request.
 */
static int t_rsa_sizes(void)
{
	static const char *const pems[] = { aoff_test_rsa3072_pem,
					    aoff_test_rsa4096_pem };
	struct sigopt v15 = { "SHA256", RSA_PKCS1_PADDING, 0 };
	struct sigopt pss = { "SHA384", RSA_PKCS1_PSS_PADDING,
			      RSA_PSS_SALTLEN_DIGEST };
	unsigned char msg[64], ct[512], pt[512];
	size_t ctlen, ptlen;
	int ok = 1;

	RAND_bytes(msg, sizeof(msg));
	for (int i = 0; i < 2 && ok; i++) {
		EVP_PKEY *pk = pem_key(pems[i]);
		int bits = pk ? EVP_PKEY_get_bits(pk) : 0;
		long long before = pk_submitted();

		if (!pk)
			return fail("RSA key %d does not parse", i);
		ok = cross_sign(pk, &v15, 1) && cross_sign(pk, &pss, 0);
		ctlen = sizeof(ct);
		ptlen = sizeof(pt);
		if (ok && (!rsa_crypt(pk, DEF, 1, RSA_PKCS1_OAEP_PADDING, msg,
				      sizeof(msg), ct, &ctlen) ||
			   !rsa_crypt(pk, AOFF, 0, RSA_PKCS1_OAEP_PADDING, ct,
				      ctlen, pt, &ptlen) ||
			   ptlen != sizeof(msg) || memcmp(pt, msg, ptlen)))
			ok = fail("RSA-%d OAEP: default encrypts, asyncoff "
				  "decrypts", bits);
		/* 2 signatures + 1 decryption, the verifies on top. */
		if (ok && pk_submitted() - before < 3)
			ok = fail("RSA-%d: %lld device requests, want >= 3",
				  bits, pk_submitted() - before);
		printf("# RSA-%d: %lld device requests\n", bits,
		       pk_submitted() - before);
		EVP_PKEY_free(pk);
	}
	return ok;
}

/* ------------------------------------------------------- key exchange */

static int derive(EVP_PKEY *k, EVP_PKEY *peer, const char *propq,
		  unsigned char *out, size_t *outlen)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(libctx, k, propq);
	int ok;

	ok = c && EVP_PKEY_derive_init(c) > 0 &&
	     EVP_PKEY_derive_set_peer(c, peer) > 0 &&
	     EVP_PKEY_derive(c, out, outlen) > 0;
	EVP_PKEY_CTX_free(c);
	return ok;
}

static EVP_PKEY *gen_aoff(const char *alg, const char *group)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(libctx, alg, AOFF);
	EVP_PKEY *pk = NULL;

	if (!c || EVP_PKEY_keygen_init(c) <= 0 ||
	    (group && EVP_PKEY_CTX_set_group_name(c, group) <= 0) ||
	    EVP_PKEY_keygen(c, &pk) <= 0)
		pk = NULL;
	EVP_PKEY_CTX_free(c);
	return pk;
}

/* Device key pair vs default key pair: both sides derive the same. */
static int exch_one(const char *alg, const char *group, EVP_PKEY *def)
{
	unsigned char a[64], b[64];
	size_t alen = sizeof(a), blen = sizeof(b);
	EVP_PKEY *dev = gen_aoff(alg, group);
	int ok = 0;

	if (!dev)
		return fail("%s %s: no device key", alg, group ? group : "");
	if (!derive(dev, def, AOFF, a, &alen))
		fail("%s %s: asyncoff derive", alg, group ? group : "");
	else if (!derive(def, dev, DEF, b, &blen))
		fail("%s %s: default derive", alg, group ? group : "");
	else if (alen != blen || memcmp(a, b, alen))
		fail("%s %s: secrets differ", alg, group ? group : "");
	else
		ok = 1;
	EVP_PKEY_free(dev);
	return ok;
}

static int t_exch(void)
{
	return exch_one("EC", "P-256", p256) && exch_one("EC", "P-384", p384) &&
	       exch_one("X25519", NULL, x25519);
}

/* A key made on the device, saved as PEM, read by the default provider. */
static int t_export(void)
{
	static const char *const alg[] = { "EC", "EC", "X25519" };
	static const char *const grp[] = { "P-256", "P-384", NULL };

	for (int i = 0; i < 3; i++) {
		EVP_PKEY *dev = gen_aoff(alg[i], grp[i]);
		EVP_PKEY *back = dev ? pem_roundtrip(dev) : NULL;
		EVP_PKEY *peer = i == 0 ? p256 : i == 1 ? p384 : x25519;
		unsigned char a[64], b[64];
		size_t alen = sizeof(a), blen = sizeof(b);
		int ok = back && EVP_PKEY_eq(dev, back) == 1 &&
			 derive(back, peer, DEF, a, &alen) &&
			 derive(dev, peer, AOFF, b, &blen) && alen == blen &&
			 !memcmp(a, b, alen);

		EVP_PKEY_free(dev);
		EVP_PKEY_free(back);
		if (!ok)
			return fail("%s %s: export to PEM", alg[i],
				    grp[i] ? grp[i] : "");
	}
	return 1;
}

/* ------------------------------------------------------------- jobs */

struct job_res {
	int ok;
};

static int job_work(void *arg)
{
	struct job_res *r = *(struct job_res **)arg;
	struct sigopt pk1 = { "SHA256", RSA_PKCS1_PADDING, 0 };
	struct sigopt ec = { "SHA256", 0, 0 };
	unsigned char msg[64] = "in a job", s1[512], s2[512], a[32], b[32];
	size_t l1 = sizeof(s1), l2 = sizeof(s2), al = 32, bl = 32;
	EVP_PKEY *x = gen_aoff("X25519", NULL);

	r->ok = do_sign(rsa2048, AOFF, &pk1, msg, sizeof(msg), s1, &l1) &&
		do_sign(rsa2048, DEF, &pk1, msg, sizeof(msg), s2, &l2) &&
		l1 == l2 && !memcmp(s1, s2, l1) &&
		do_sign(p256, AOFF, &ec, msg, sizeof(msg), s1, &l1) &&
		do_verify(p256, AOFF, &ec, msg, sizeof(msg), s1, l1) &&
		x && derive(x, x25519, AOFF, a, &al) &&
		derive(x25519, x, DEF, b, &bl) && !memcmp(a, b, 32);
	EVP_PKEY_free(x);
	return r->ok;
}

static int cb_fired[8];

static int job_cb(void *arg)
{
	__atomic_store_n((int *)arg, 1, __ATOMIC_RELEASE);
	return 1;
}

/* @nj jobs at once, fd mode (poll) or callback mode; pauses counted. */
static int run_jobs(int nj, int cbmode)
{
	ASYNC_JOB *job[8] = { 0 };
	ASYNC_WAIT_CTX *w[8] = { 0 };
	struct job_res res[8] = { { 0 } }, *rp;
	int done = 0, pauses = 0, left = nj, ret, r;

	for (int i = 0; i < nj; i++) {
		w[i] = ASYNC_WAIT_CTX_new();
		if (!w[i])
			return fail("wait ctx");
		if (cbmode)
			ASYNC_WAIT_CTX_set_callback(w[i], job_cb, &cb_fired[i]);
	}
	for (int i = 0; i < nj; i++) {
		rp = &res[i];
		ret = ASYNC_start_job(&job[i], w[i], &r, job_work, &rp,
				      sizeof(rp));
		if (ret == ASYNC_PAUSE)
			pauses++;
		else if (ret == ASYNC_FINISH)
			left--, done++, job[i] = NULL;
		else
			return fail("ASYNC_start_job %d", ret);
	}
	for (int spins = 0; left && spins < 200000; spins++) {
		for (int i = 0; i < nj; i++) {
			if (!job[i])
				continue;
			if (cbmode) {
				if (!__atomic_exchange_n(&cb_fired[i], 0,
							 __ATOMIC_ACQ_REL))
					continue;
			} else {
				struct pollfd pfd = { .events = POLLIN };
				size_t n = 1;

				if (!ASYNC_WAIT_CTX_get_all_fds(w[i], &pfd.fd,
								&n) || n != 1
				    || poll(&pfd, 1, 0) != 1)
					continue;
			}
			ret = ASYNC_start_job(&job[i], w[i], &r, job_work,
					      &rp, sizeof(rp));
			if (ret == ASYNC_PAUSE) {
				pauses++;
			} else {
				job[i] = NULL;
				left--;
				done += ret == ASYNC_FINISH;
			}
		}
		if (left)
			poll(NULL, 0, 1);
	}
	for (int i = 0; i < nj; i++)
		ASYNC_WAIT_CTX_free(w[i]);
	if (left)
		return fail("%d jobs never finished", left);
	for (int i = 0; i < nj; i++)
		if (!res[i].ok)
			return fail("job %d: wrong result", i);
	printf("# %d jobs, %s mode: %d pauses\n", nj, cbmode ? "callback" :
	       "fd", pauses);
	if (pauses < nj)
		return fail("only %d pauses for %d jobs", pauses, nj);
	return done == nj;
}

static int t_jobs_fd(void)
{
	return run_jobs(8, 0);
}

static int t_jobs_cb(void)
{
	return run_jobs(4, 1);
}

/* Outside a job: same results (the rest of the tests), no pause. */
static int t_out_of_job(void)
{
	struct job_res r, *rp = &r;

	return job_work(&rp) || fail("outside a job");
}

/* ---------------------------------------------------------- bad input */

static int t_bad_input(void)
{
	unsigned char zero[32] = { 0 }, out[600], dg[32] = { 1 };
	size_t outlen;
	EVP_PKEY *small = NULL, *k = NULL, *dev = NULL;
	EVP_PKEY_CTX *c = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	BIGNUM *n = NULL, *e = NULL, *d = NULL;
	int ok = 0;

	/* X25519 peer u = 0: small order, the device refuses. */
	small = EVP_PKEY_new_raw_public_key_ex(libctx, "X25519", NULL, zero, 32);
	dev = gen_aoff("X25519", NULL);
	outlen = sizeof(out);
	if (!small || !dev || derive(dev, small, AOFF, out, &outlen)) {
		fail("X25519 with a small-order peer derived");
		goto out;
	}
	if (!has_reason("invalid peer public key")) {
		fail("small-order peer: no error naming it");
		goto out;
	}
	/* Output too small for an RSA signature. */
	c = EVP_PKEY_CTX_new_from_pkey(libctx, rsa2048, AOFF);
	outlen = 100;
	if (!c || EVP_PKEY_sign_init(c) <= 0 ||
	    EVP_PKEY_sign(c, out, &outlen, dg, sizeof(dg)) > 0 ||
	    !has_reason("output buffer too small")) {
		fail("RSA signature into 100 bytes");
		goto out;
	}
	EVP_PKEY_CTX_free(c);
	c = NULL;
	/*
	 * RSA-1024: not a size the device has.  Our keymgmt refuses it,
	 * naming the size (seen here, through EVP_PKEY_fromdata; an
	 * operation's init drops that error when it falls back); demanding
	 * asyncoff, signing fails; preferring it, the default provider signs.
	 */
	k = gen_default("RSA", NULL, 1024);
	if (!k || !EVP_PKEY_todata(k, EVP_PKEY_KEYPAIR, &params)) {
		fail("RSA-1024 key");
		goto out;
	}
	c = EVP_PKEY_CTX_new_from_name(libctx, "RSA", AOFF);
	if (!c || EVP_PKEY_fromdata_init(c) <= 0 ||
	    EVP_PKEY_fromdata(c, &dev, EVP_PKEY_KEYPAIR, params) > 0 ||
	    !has_reason("invalid key length")) {
		fail("RSA-1024 imported, or no error naming the size");
		goto out;
	}
	OSSL_PARAM_free(params);
	params = NULL;
	EVP_PKEY_CTX_free(c);
	c = EVP_PKEY_CTX_new_from_pkey(libctx, k, AOFF);
	outlen = sizeof(out);
	if (!c || (EVP_PKEY_sign_init(c) > 0 &&
		   EVP_PKEY_sign(c, out, &outlen, dg, sizeof(dg)) > 0)) {
		fail("RSA-1024 signed, demanding asyncoff");
		goto out;
	}
	ERR_clear_error();
	EVP_PKEY_CTX_free(c);
	c = EVP_PKEY_CTX_new_from_pkey(libctx, k, "?provider=asyncoff");
	outlen = sizeof(out);
	if (!c || EVP_PKEY_sign_init(c) <= 0 ||
	    EVP_PKEY_sign(c, out, &outlen, dg, sizeof(dg)) <= 0) {
		fail("RSA-1024, preferring asyncoff: the default did not sign");
		goto out;
	}
	EVP_PKEY_CTX_free(c);
	c = NULL;
	EVP_PKEY_free(k);
	k = NULL;
	/* d >= n: the device rejects the key. */
	if (!EVP_PKEY_get_bn_param(rsa2048, "n", &n) ||
	    !EVP_PKEY_get_bn_param(rsa2048, "e", &e) ||
	    !(d = BN_dup(n)) || !BN_add_word(d, 2) ||
	    !(bld = OSSL_PARAM_BLD_new()))
		goto out;
	{
		static const char *const f[] = { "rsa-factor1", "rsa-factor2",
			"rsa-exponent1", "rsa-exponent2",
			"rsa-coefficient1" };
		BIGNUM *v[5] = { 0 };
		int good = OSSL_PARAM_BLD_push_BN(bld, "n", n) &&
			   OSSL_PARAM_BLD_push_BN(bld, "e", e) &&
			   OSSL_PARAM_BLD_push_BN(bld, "d", d);

		for (int i = 0; i < 5; i++)
			good = good && EVP_PKEY_get_bn_param(rsa2048, f[i],
							     &v[i]) &&
			       OSSL_PARAM_BLD_push_BN(bld, f[i], v[i]);
		params = good ? OSSL_PARAM_BLD_to_param(bld) : NULL;
		for (int i = 0; i < 5; i++)
			BN_clear_free(v[i]);
	}
	EVP_PKEY_CTX_free(c);
	c = EVP_PKEY_CTX_new_from_name(libctx, "RSA", DEF);
	if (!params || !c || EVP_PKEY_fromdata_init(c) <= 0 ||
	    EVP_PKEY_fromdata(c, &k, EVP_PKEY_KEYPAIR, params) <= 0) {
		fail("building the d >= n key");
		goto out;
	}
	EVP_PKEY_CTX_free(c);
	c = EVP_PKEY_CTX_new_from_pkey(libctx, k, AOFF);
	outlen = sizeof(out);
	if (!c || EVP_PKEY_sign_init(c) <= 0 ||
	    EVP_PKEY_sign(c, out, &outlen, dg, sizeof(dg)) > 0 ||
	    !has_reason("key rejected by the asyncoff device")) {
		fail("d >= n: signed, or no error naming the key");
		goto out;
	}
	ok = 1;
out:
	EVP_PKEY_CTX_free(c);
	EVP_PKEY_free(small);
	EVP_PKEY_free(dev);
	EVP_PKEY_free(k);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	BN_free(d);
	return ok;
}

/* An off-curve EC point never becomes a key (libcrypto's decoder). */
static int t_off_curve(void)
{
	unsigned char pt[65] = { 4 };
	EVP_PKEY *peer = EVP_PKEY_new(), *dev = gen_aoff("EC", "P-256");
	int ok;

	pt[64] = 1;	/* (0, 1) is not on P-256 */
	ok = peer && dev && EVP_PKEY_copy_parameters(peer, dev) > 0 &&
	     EVP_PKEY_set1_encoded_public_key(peer, pt, sizeof(pt)) <= 0;
	EVP_PKEY_free(peer);
	EVP_PKEY_free(dev);
	ERR_clear_error();
	return ok || fail("an off-curve point was accepted as a peer key");
}

/* Without the module: every operation fails naming the device. */
static int t_nodev(void)
{
	unsigned char dg[32] = { 0 }, out[600];
	size_t outlen = sizeof(out);
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(libctx, rsa2048, AOFF);
	int signed_ok;

	signed_ok = c && EVP_PKEY_sign_init(c) > 0 &&
		    EVP_PKEY_sign(c, out, &outlen, dg, sizeof(dg)) > 0;
	EVP_PKEY_CTX_free(c);
	if (signed_ok || !has_reason("asyncoff device not available"))
		return fail("RSA signature without the device");
	if (gen_aoff("X25519", NULL) ||
	    !has_reason("asyncoff device not available"))
		return fail("X25519 key generation without the device");
	return 1;
}

/* ---------------------------------------------------------- reset */

struct reset_res {
	int signed_ok, named;
};

static int reset_job(void *arg)
{
	struct reset_res *r = *(struct reset_res **)arg;
	unsigned char dg[32] = { 7 }, sig[512];
	size_t siglen = sizeof(sig);
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(libctx, p256, AOFF);

	r->signed_ok = c && EVP_PKEY_sign_init(c) > 0 &&
		       EVP_PKEY_sign(c, sig, &siglen, dg, sizeof(dg)) > 0;
	r->named = has_reason("asyncoff device was reset");
	EVP_PKEY_CTX_free(c);
	return 1;
}

/*
 * A signature paused in a job on a stalled device, then the device
 * reset: the job ends with an error naming the reset; the next
 * signature works (a fresh device context).
 */
static int t_reset(void)
{
	ASYNC_WAIT_CTX *w = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	struct reset_res res = { 0 }, *rp = &res;
	unsigned char dg[32] = { 7 }, sig[512];
	size_t siglen = sizeof(sig);
	EVP_PKEY_CTX *c;
	int r = 0, ret, ok;

	if (!w || !sysfs_write("stall_ms", "5000"))
		return fail("cannot stall the device");
	ret = ASYNC_start_job(&job, w, &r, reset_job, &rp, sizeof(rp));
	if (ret != ASYNC_PAUSE) {
		sysfs_write("stall_ms", "0");
		ASYNC_WAIT_CTX_free(w);
		return fail("the signature did not pause (%d)", ret);
	}
	if (!sysfs_write("reset", "1"))
		fail("cannot reset the device");
	for (int i = 0; i < 100 && ret == ASYNC_PAUSE; i++) {
		struct pollfd pfd = { .events = POLLIN };
		size_t n = 1;

		if (ASYNC_WAIT_CTX_get_all_fds(w, &pfd.fd, &n) && n == 1)
			poll(&pfd, 1, 100);
		ret = ASYNC_start_job(&job, w, &r, reset_job, &rp, sizeof(rp));
	}
	sysfs_write("stall_ms", "0");
	ASYNC_WAIT_CTX_free(w);
	if (ret != ASYNC_FINISH)
		return fail("the job did not finish after the reset (%d)", ret);
	if (res.signed_ok || !res.named)
		return fail("after the reset: signed %d, error named %d",
			    res.signed_ok, res.named);
	c = EVP_PKEY_CTX_new_from_pkey(libctx, p256, AOFF);
	ok = c && EVP_PKEY_sign_init(c) > 0 &&
	     EVP_PKEY_sign(c, sig, &siglen, dg, sizeof(dg)) > 0;
	EVP_PKEY_CTX_free(c);
	return ok || fail("no signature after the reset");
}

/* ---------------------------------------------------------------- TLS */

static X509 *self_signed(EVP_PKEY *pk)
{
	X509 *x = X509_new();
	X509_NAME *n = x ? X509_get_subject_name(x) : NULL;

	if (!x || !X509_set_version(x, 2) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(x), 1) ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), 0) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), 3600) ||
	    !X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
					(const unsigned char *)"localhost", -1,
					-1, 0) ||
	    !X509_set_issuer_name(x, n) || !X509_set_pubkey(x, pk) ||
	    !X509_sign(x, pk, EVP_sha256())) {
		X509_free(x);
		return NULL;
	}
	return x;
}

/*
 * One handshake: the server prefers asyncoff (as s_server -propquery
 * ?provider=asyncoff), the client is plain OpenSSL; stepped over a BIO
 * pair on this thread.  @groups and @sigalgs the client's.
 */
static int async_tls;	/* the server in async jobs (SSL_MODE_ASYNC) */
static int tls_pauses;

static int handshake(EVP_PKEY *key, int version, const char *groups,
		     const char *sigalgs, const char *ciphers)
{
	SSL_CTX *sc = SSL_CTX_new_ex(libctx, "?provider=asyncoff",
				     TLS_server_method());
	SSL_CTX *cc = SSL_CTX_new_ex(NULL, NULL, TLS_client_method());
	X509 *cert = self_signed(key);
	SSL *s = NULL, *c = NULL;
	BIO *sb = NULL, *cb = NULL;
	int sdone = 0, cdone = 0, ok = 0;

	if (!sc || !cc || !cert || !SSL_CTX_use_certificate(sc, cert) ||
	    !SSL_CTX_use_PrivateKey(sc, key) ||
	    !SSL_CTX_set_min_proto_version(cc, version) ||
	    !SSL_CTX_set_max_proto_version(cc, version) ||
	    (groups && !SSL_CTX_set1_groups_list(cc, groups)) ||
	    (sigalgs && !SSL_CTX_set1_sigalgs_list(cc, sigalgs)) ||
	    (ciphers && !SSL_CTX_set_cipher_list(cc, ciphers))) {
		fail("TLS contexts");
		goto out;
	}
	if (async_tls)
		SSL_CTX_set_mode(sc, SSL_MODE_ASYNC);
	s = SSL_new(sc);
	c = SSL_new(cc);
	if (!s || !c || !BIO_new_bio_pair(&sb, 0, &cb, 0)) {
		fail("SSL objects");
		goto out;
	}
	SSL_set_bio(s, sb, sb);
	SSL_set_bio(c, cb, cb);
	SSL_set_accept_state(s);
	SSL_set_connect_state(c);
	for (int i = 0; i < 2000 && !(sdone && cdone); i++) {
		int r, e;

		if (!cdone) {
			r = SSL_do_handshake(c);
			if (r == 1)
				cdone = 1;
			else if (SSL_get_error(c, r) != SSL_ERROR_WANT_READ) {
				fail("client handshake failed");
				goto out;
			}
		}
		if (!sdone) {
			r = SSL_do_handshake(s);
			e = r == 1 ? 0 : SSL_get_error(s, r);
			if (r == 1) {
				sdone = 1;
			} else if (e == SSL_ERROR_WANT_ASYNC) {
				/* Paused on the device: wait for its fd. */
				struct pollfd pfd = { .events = POLLIN };
				size_t nfd = 1;

				tls_pauses++;
				if (SSL_get_all_async_fds(s, &pfd.fd, &nfd) &&
				    nfd == 1)
					poll(&pfd, 1, 5000);
			} else if (e != SSL_ERROR_WANT_READ) {
				fail("server handshake failed (%d)", e);
				goto out;
			}
		}
	}
	ok = sdone && cdone;
	if (!ok)
		fail("handshake did not finish");
out:
	SSL_free(s);
	SSL_free(c);
	SSL_CTX_free(sc);
	SSL_CTX_free(cc);
	X509_free(cert);
	return ok;
}

static int t_tls(void)
{
	if (!handshake(rsa2048, TLS1_3_VERSION, "X25519", "rsa_pss_rsae_sha256",
		       NULL))
		return fail("TLS 1.3 RSA-PSS X25519: %s", failmsg);
	if (!handshake(p256, TLS1_3_VERSION, "P-256",
		       "ecdsa_secp256r1_sha256", NULL))
		return fail("TLS 1.3 ECDSA P-256: %s", failmsg);
	if (!handshake(rsa2048, TLS1_2_VERSION, "P-384", NULL,
		       "ECDHE-RSA-AES128-GCM-SHA256"))
		return fail("TLS 1.2 ECDHE-RSA P-384: %s", failmsg);
	if (!handshake(p256, TLS1_2_VERSION, "P-256", NULL,
		       "ECDHE-ECDSA-AES128-GCM-SHA256"))
		return fail("TLS 1.2 ECDHE-ECDSA P-256: %s", failmsg);
	/* TLS 1.2 copies the key share's parameters into the peer's key. */
	if (!handshake(p256, TLS1_2_VERSION, "X25519:P-256", NULL,
		       "ECDHE-ECDSA-AES128-GCM-SHA256"))
		return fail("TLS 1.2 ECDHE-ECDSA X25519: %s", failmsg);
	if (!handshake(p256, TLS1_3_VERSION, "P-521", NULL, NULL))
		return fail("TLS 1.3 P-521 key share: %s", failmsg);
	return 1;
}

static int t_tls_async(void)
{
	int ok;

	async_tls = 1;
	tls_pauses = 0;
	ok = t_tls();
	async_tls = 0;
	printf("# %d pauses\n", tls_pauses);
	return ok && (tls_pauses >= 10 || fail("%d pauses", tls_pauses));
}

struct test {
	const char *name;
	int (*fn)(void);
};

static const struct test dev_tests[] = {
	{ "RSA PKCS#1 v1.5 signatures byte-identical, cross-verified",
	  t_rsa_pkcs1 },
	{ "RSA-PSS signatures cross-verified", t_rsa_pss },
	{ "ECDSA P-256/P-384 signatures cross-verified", t_ecdsa },
	{ "EVP_PKEY_sign/verify of a digest", t_plain_sign },
	{ "RSA PKCS#1 v1.5 and OAEP round trips", t_rsa_crypt },
	{ "RSA-3072 and RSA-4096: signatures and OAEP on the device",
	  t_rsa_sizes },
	{ "ECDH P-256/P-384 and X25519 secrets equal", t_exch },
	{ "device-generated keys export to PEM", t_export },
	{ "8 jobs in fd mode pause on the device", t_jobs_fd },
	{ "4 jobs in callback mode pause on the device", t_jobs_cb },
	{ "out of a job: synchronous", t_out_of_job },
	{ "bad input: small order, short buffer, size, d >= n", t_bad_input },
	{ "bad input: off-curve point", t_off_curve },
	{ "device reset with a signature in flight", t_reset },
	{ "TLS 1.3/1.2 handshakes, server preferring asyncoff", t_tls },
	{ "the same, the server in async jobs (SSL_MODE_ASYNC)", t_tls_async },
};

static const struct test nodev_tests[] = {
	{ "no device: errors name it", t_nodev },
};

int main(int argc, char **argv)
{
	const struct test *tests = dev_tests;
	size_t nt = sizeof(dev_tests) / sizeof(dev_tests[0]);
	const char *modules = getenv("OPENSSL_MODULES");
	EVP_PKEY *keys[4];
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--modules") && i + 1 < argc) {
			modules = argv[++i];
		} else if (!strcmp(argv[i], "--no-device")) {
			tests = nodev_tests;
			nt = 1;
		} else {
			fprintf(stderr, "usage: %s [--modules DIR] "
				"[--no-device]\n", argv[0]);
			return 2;
		}
	}
	printf("1..%zu\n", nt);
	libctx = OSSL_LIB_CTX_new();
	if (modules)
		OSSL_PROVIDER_set_default_search_path(libctx, modules);
	if (!libctx || !OSSL_PROVIDER_load(libctx, "asyncoff") ||
	    !OSSL_PROVIDER_load(libctx, "default")) {
		ERR_print_errors_fp(stdout);
		for (size_t i = 0; i < nt; i++)
			printf("not ok %zu provider-pk: %s # provider not "
			       "loaded\n", i + 1, tests[i].name);
		return 1;
	}
	/* Keys of the default provider, read back from PEM. */
	keys[0] = gen_default("RSA", NULL, 2048);
	keys[1] = gen_default("EC", "P-256", 0);
	keys[2] = gen_default("EC", "P-384", 0);
	keys[3] = gen_default("X25519", NULL, 0);
	rsa2048 = keys[0] ? pem_roundtrip(keys[0]) : NULL;
	p256 = keys[1] ? pem_roundtrip(keys[1]) : NULL;
	p384 = keys[2] ? pem_roundtrip(keys[2]) : NULL;
	x25519 = keys[3] ? pem_roundtrip(keys[3]) : NULL;
	for (int i = 0; i < 4; i++)
		EVP_PKEY_free(keys[i]);
	if (!rsa2048 || !p256 || !p384 || !x25519) {
		ERR_print_errors_fp(stdout);
		for (size_t i = 0; i < nt; i++)
			printf("not ok %zu provider-pk: %s # no keys\n", i + 1,
			       tests[i].name);
		return 1;
	}
	for (size_t i = 0; i < nt; i++) {
		int ok = tests[i].fn();

		report(tests[i].name, ok);
		status |= !ok;
	}
	EVP_PKEY_free(rsa2048);
	EVP_PKEY_free(p256);
	EVP_PKEY_free(p384);
	EVP_PKEY_free(x25519);
	OSSL_LIB_CTX_free(libctx);
	return status;
}
