// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: the device's public-key operations, one request
 * each, through the bridge (pausing the current job, or sleeping).
 *
 * Key material goes with every request, in the data area (the device
 * keeps none), and is wiped from the data area before it is freed: the
 * area is shared with the device, and the next request of the context
 * would otherwise find it there.
 */
#include <errno.h>
#include <string.h>
#include <openssl/crypto.h>

#include "pk.h"

static uint32_t pk_curve(enum aoff_pk_curve c)
{
	return c == AOFF_CURVE_P256 ? AOFF_EC_P256 :
	       c == AOFF_CURVE_P384 ? AOFF_EC_P384 : 0;
}

/* In this file, not pk_key.c, so that the engine can build it alone. */
size_t aoff_curve_bytes(enum aoff_pk_curve c)
{
	return c == AOFF_CURVE_P256 ? 32 : c == AOFF_CURVE_P384 ? 48 : 0;
}

/* A block of @len bytes in the data area of the current device context. */
static int pk_alloc(struct aoff_dev *d, size_t len, uint64_t *off)
{
	size_t got;

	if (!aoff_dev_get(d))
		return 0;
	return aoff_dev_alloc(d, len, 0, 1, off, &got);
}

static void pk_free(struct aoff_dev *d, uint64_t off, size_t len)
{
	OPENSSL_cleanse(aoff_dev_ptr(d, off), len);
	aoff_dev_free(d, off);
}

/*
 * Run one request.  1: success.  0: an error raised naming @what and the
 * cause, except -EBADMSG when @badmsg is given: *@badmsg = 1, nothing
 * raised (a signature that does not verify is an answer, not an error).
 */
static int pk_run(struct aoff_dev *d, const struct aoff_sqe *sqe,
		  const char *what, int *badmsg)
{
	int32_t res = 0;
	int ret;

	/*
	 * -EAGAIN: the kernel's RNG gave no usable number for a key or a
	 * nonce (uapi header); a new draw is a new request.
	 */
	for (int tries = 0; tries < 3; tries++) {
		ret = aoff_bridge_run(d->bc, sqe, 1, &res);
		if (ret != -EAGAIN)
			break;
	}
	if (!ret)
		return 1;
	if (ret == -ECANCELED || (ret == -EIO && aoff_ctx_broken(d->dc))) {
		AOFF_RAISE(AOFF_R_DEVICE_RESET,
			   "%s: %s was reset while the request was in flight",
			   what, aoff_prov_cfg.device);
		return 0;
	}
	switch (ret) {
	case -EKEYREJECTED:
		AOFF_RAISE(AOFF_R_KEY_REJECTED, "%s: the device rejected the "
			   "key (inconsistent, out of range or of a size it "
			   "lacks)", what);
		return 0;
	case -EBADMSG:
		if (badmsg) {
			*badmsg = 1;
			return 0;
		}
		AOFF_RAISE(AOFF_R_BAD_PEER_KEY, "%s: the peer's public key is "
			   "not valid (off the curve, infinity or of small "
			   "order)", what);
		return 0;
	case -ERANGE:
		AOFF_RAISE(AOFF_R_RSA_INPUT, "%s: the input is not below the "
			   "modulus", what);
		return 0;
	case -EAGAIN:
		AOFF_RAISE(AOFF_R_DEVICE_ERROR, "%s: the device's random "
			   "number generator gave no usable number, three "
			   "times", what);
		return 0;
	case -EOPNOTSUPP:
		AOFF_RAISE(AOFF_R_DEVICE_ERROR, "%s: %s does not have this "
			   "operation (an older asyncoff module?)", what,
			   aoff_prov_cfg.device);
		return 0;
	}
	AOFF_RAISE(AOFF_R_DEVICE_ERROR, "%s on %s: %s", what,
		   aoff_prov_cfg.device, strerror(-ret));
	return 0;
}

static int pk_rsa(const struct aoff_pkey *k, int priv, const uint8_t *in,
		  uint8_t *out)
{
	const uint8_t *der = priv ? k->der_priv : k->der_pub;
	size_t derlen = priv ? k->der_priv_len : k->der_pub_len;
	const char *what = priv ? "RSA private-key operation" :
			   "RSA public-key operation";
	size_t len = derlen + 2 * k->nbytes;
	struct aoff_sqe sqe = { 0 };
	struct aoff_dev d;
	uint64_t off;
	uint8_t *p;
	int ret;

	if (!der) {
		AOFF_RAISE(AOFF_R_NO_KEY, "%s: no key for the device", what);
		return 0;
	}
	if (!pk_alloc(&d, len, &off))
		return 0;
	p = aoff_dev_ptr(&d, off);
	memcpy(p, der, derlen);
	memcpy(p + derlen, in, k->nbytes);
	aoff_prep_rsa(&sqe, 0, priv ? AOFF_OP_RSA_PRIVATE : AOFF_OP_RSA_PUBLIC,
		      off, (uint32_t)derlen, off + derlen,
		      (uint32_t)k->nbytes, off + derlen + k->nbytes);
	ret = pk_run(&d, &sqe, what, NULL);
	if (ret)
		memcpy(out, p + derlen + k->nbytes, k->nbytes);
	pk_free(&d, off, len);
	return ret;
}

int aoff_pk_rsa_private(const struct aoff_pkey *k, const uint8_t *in,
			uint8_t *out)
{
	return pk_rsa(k, 1, in, out);
}

int aoff_pk_rsa_public(const struct aoff_pkey *k, const uint8_t *in,
		       uint8_t *out)
{
	return pk_rsa(k, 0, in, out);
}

int aoff_pk_ecdsa_sign(const struct aoff_pkey *k, const uint8_t *dgst,
		       size_t dlen, uint8_t *rs)
{
	struct aoff_sqe sqe = { 0 };
	size_t cb = k->flen, len = cb + dlen + 2 * cb;
	struct aoff_dev d;
	uint64_t off;
	uint8_t *p;
	int ret;

	if (!dlen || dlen > AOFF_ECDSA_DIGEST_MAX) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "ECDSA: a digest of %zu bytes "
			   "(1 to %d)", dlen, AOFF_ECDSA_DIGEST_MAX);
		return 0;
	}
	if (!pk_alloc(&d, len, &off))
		return 0;
	p = aoff_dev_ptr(&d, off);
	memcpy(p, k->priv, cb);
	memcpy(p + cb, dgst, dlen);
	aoff_prep_ecdsa_sign(&sqe, 0, pk_curve(k->curve), off, off + cb,
			     (uint32_t)dlen, off + cb + dlen);
	ret = pk_run(&d, &sqe, "ECDSA signature", NULL);
	if (ret)
		memcpy(rs, p + cb + dlen, 2 * cb);
	pk_free(&d, off, len);
	return ret;
}

int aoff_pk_ecdsa_verify(const struct aoff_pkey *k, const uint8_t *dgst,
			 size_t dlen, const uint8_t *rs)
{
	struct aoff_sqe sqe = { 0 };
	size_t cb = k->flen, len = 4 * cb + dlen;
	struct aoff_dev d;
	int bad = 0, ret;
	uint64_t off;
	uint8_t *p;

	if (!dlen || dlen > AOFF_ECDSA_DIGEST_MAX) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "ECDSA: a digest of %zu bytes "
			   "(1 to %d)", dlen, AOFF_ECDSA_DIGEST_MAX);
		return -1;
	}
	if (!pk_alloc(&d, len, &off))
		return -1;
	p = aoff_dev_ptr(&d, off);
	memcpy(p, k->pub, 2 * cb);
	memcpy(p + 2 * cb, rs, 2 * cb);
	memcpy(p + 4 * cb, dgst, dlen);
	aoff_prep_ecdsa_verify(&sqe, 0, pk_curve(k->curve), off, off + 4 * cb,
			       (uint32_t)dlen, off + 2 * cb);
	ret = pk_run(&d, &sqe, "ECDSA verification", &bad);
	pk_free(&d, off, len);
	return ret ? 1 : bad ? 0 : -1;
}

int aoff_pk_ec_keygen(enum aoff_pk_curve c, uint8_t *priv, uint8_t *pub)
{
	struct aoff_sqe sqe = { 0 };
	size_t cb = aoff_curve_bytes(c), len = 3 * cb;
	struct aoff_dev d;
	uint64_t off;
	uint8_t *p;
	int ret;

	if (!pk_alloc(&d, len, &off))
		return 0;
	p = aoff_dev_ptr(&d, off);
	aoff_prep_ecdh_keygen(&sqe, 0, pk_curve(c), 0, 0, off);
	ret = pk_run(&d, &sqe, "EC key generation", NULL);
	if (ret) {
		memcpy(priv, p, cb);
		memcpy(pub, p + cb, 2 * cb);
	}
	pk_free(&d, off, len);
	return ret;
}

int aoff_pk_ecdh(const struct aoff_pkey *k, const struct aoff_pkey *peer,
		 uint8_t *secret)
{
	struct aoff_sqe sqe = { 0 };
	size_t cb = k->flen, len = 4 * cb;
	struct aoff_dev d;
	uint64_t off;
	uint8_t *p;
	int ret;

	if (!pk_alloc(&d, len, &off))
		return 0;
	p = aoff_dev_ptr(&d, off);
	memcpy(p, k->priv, cb);
	memcpy(p + cb, peer->pub, 2 * cb);
	aoff_prep_ecdh_derive(&sqe, 0, pk_curve(k->curve), off, off + cb,
			      off + 3 * cb);
	ret = pk_run(&d, &sqe, "ECDH", NULL);
	if (ret)
		memcpy(secret, p + 3 * cb, cb);
	pk_free(&d, off, len);
	return ret;
}

int aoff_pk_x25519_keygen(uint8_t *priv, uint8_t *pub)
{
	struct aoff_sqe sqe = { 0 };
	size_t len = 2 * AOFF_X25519_BYTES;
	struct aoff_dev d;
	uint64_t off;
	uint8_t *p;
	int ret;

	if (!pk_alloc(&d, len, &off))
		return 0;
	p = aoff_dev_ptr(&d, off);
	aoff_prep_x25519_keygen(&sqe, 0, 0, 0, off);
	ret = pk_run(&d, &sqe, "X25519 key generation", NULL);
	if (ret) {
		memcpy(priv, p, AOFF_X25519_BYTES);
		memcpy(pub, p + AOFF_X25519_BYTES, AOFF_X25519_BYTES);
	}
	pk_free(&d, off, len);
	return ret;
}

int aoff_pk_x25519(const struct aoff_pkey *k, const struct aoff_pkey *peer,
		   uint8_t *secret)
{
	struct aoff_sqe sqe = { 0 };
	size_t len = 3 * AOFF_X25519_BYTES;
	struct aoff_dev d;
	uint64_t off;
	uint8_t *p;
	int ret;

	if (!pk_alloc(&d, len, &off))
		return 0;
	p = aoff_dev_ptr(&d, off);
	memcpy(p, k->priv, AOFF_X25519_BYTES);
	memcpy(p + AOFF_X25519_BYTES, peer->pub, AOFF_X25519_BYTES);
	aoff_prep_x25519_derive(&sqe, 0, off, off + AOFF_X25519_BYTES,
				off + 2 * AOFF_X25519_BYTES);
	ret = pk_run(&d, &sqe, "X25519", NULL);
	if (ret)
		memcpy(secret, p + 2 * AOFF_X25519_BYTES, AOFF_X25519_BYTES);
	pk_free(&d, off, len);
	return ret;
}
