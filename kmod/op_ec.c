// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: what ECDSA and ECDH on P-256 and P-384 share, on the kernel's
 * crypto/ecc.c (ecc.ko on Debian's 6.1, built in on 6.12).
 *
 * Scalars are kept here as the kernel's native digit arrays (vli, least
 * significant u64 first), converted from and to the ABI's big-endian bytes
 * with vli_from_be64() and ecc_swap_digits().  Debian's 6.1 passes private
 * keys to ecc_gen_privkey() and ecc_make_pub_key() as big-endian digit
 * arrays, 6.12 (since 6.10) as native ones: aoff_ec_gen() and
 * aoff_ec_pub() hide that.  Range checks use vli_cmp() against the
 * curve's order, the same on both.
 */
#include <crypto/ecdh.h>
#include <crypto/internal/ecc.h>
#include <crypto/rng.h>
#include <linux/string.h>
#include "compat.h"
#include "ops.h"

static bool aoff_ec_have_rng;

/*
 * ecc_gen_privkey() draws from the kernel's default DRBG, instantiated on
 * first use: on Debian's 6.1 that loads drbg.ko and seeds it (jitterentropy
 * under TCG: seconds).  Taking a reference at module load does that once,
 * there, instead of in the first request, and keeps the DRBG until unload.
 * Without one, EC key and nonce generation fail with -EAGAIN.
 */
void aoff_ec_init(void)
{
	int ret = crypto_get_default_rng();

	aoff_ec_have_rng = !ret;
	if (ret)
		pr_info("no default DRBG (%d): EC key generation fails\n", ret);
}

void aoff_ec_exit(void)
{
	if (aoff_ec_have_rng)
		crypto_put_default_rng();
	aoff_ec_have_rng = false;
}

int aoff_ec_curve(const struct aoff_sqe *sqe, struct aoff_ec *ec)
{
	switch (sqe->op_flags) {
	case AOFF_EC_P256:
		ec->id = ECC_CURVE_NIST_P256;
		break;
	case AOFF_EC_P384:
		ec->id = ECC_CURVE_NIST_P384;
		break;
	default:
		return -EINVAL;
	}
	ec->curve = ecc_get_curve(ec->id);
	if (!ec->curve)
		return -EOPNOTSUPP;
	ec->nd = ec->curve->g.ndigits;
	ec->cb = ec->nd * sizeof(u64);
	return 0;
}

/* The op's curve and its lengths (prep): -EINVAL if they do not match. */
int aoff_ec_prep(struct aoff_ctx *ctx, struct aoff_req *req, struct aoff_ec *ec)
{
	int ret = aoff_ec_curve(&req->sqe, ec);

	if (ret)
		return ret;
	if (ec->nd > AOFF_EC_DIGITS)
		return -EOPNOTSUPP;
	return 0;
}

/* 1 <= d < n for the big-endian scalar at @be; -EKEYREJECTED otherwise. */
int aoff_ec_scalar(const struct aoff_ec *ec, const u8 *be, u64 *d)
{
	vli_from_be64(d, be, ec->nd);
	if (vli_is_zero(d, ec->nd) || vli_cmp(ec->curve->n, d, ec->nd) != 1)
		return -EKEYREJECTED;
	return 0;
}

/*
 * A private key from the kernel's RNG (FIPS 186-4 B.4.2), native digits.
 * Any failure of the kernel's DRBG (not loadable, not seeded) is -EAGAIN,
 * as the uapi header says; -ENOMEM stays what it is.
 */
int aoff_ec_gen(const struct aoff_ec *ec, u64 *d)
{
	u64 be[AOFF_EC_DIGITS];
	int ret;

	if (AOFF_ECC_PRIV_NATIVE) {
		ret = ecc_gen_privkey(ec->id, ec->nd, d);
	} else {
		ret = ecc_gen_privkey(ec->id, ec->nd, be);
		if (!ret)
			ecc_swap_digits(be, d, ec->nd);
		memzero_explicit(be, sizeof(be));
	}
	if (ret && ret != -ENOMEM) {
		pr_warn_ratelimited("ecc_gen_privkey: %d\n", ret);
		ret = -EAGAIN;
	}
	return ret;
}

/* d * G as X || Y, big-endian, at @out (2 * cb bytes, u64-aligned). */
int aoff_ec_pub(const struct aoff_ec *ec, const u64 *d, u64 *out)
{
	u64 be[AOFF_EC_DIGITS];
	int ret;

	if (AOFF_ECC_PRIV_NATIVE)
		return ecc_make_pub_key(ec->id, ec->nd, d, out);
	ecc_swap_digits(d, be, ec->nd);
	ret = ecc_make_pub_key(ec->id, ec->nd, be, out);
	memzero_explicit(be, sizeof(be));
	return ret;
}

/*
 * The point X || Y at @be into @pt (whose x and y have room), validated
 * as SP 800-56A 5.6.2.3.4 says (not infinity, coordinates < p, on the
 * curve; the NIST curves' cofactor is 1, so that is the full check).
 */
int aoff_ec_point(const struct aoff_ec *ec, const u8 *be, struct ecc_point *pt)
{
	pt->ndigits = ec->nd;
	vli_from_be64(pt->x, be, ec->nd);
	vli_from_be64(pt->y, be + ec->cb, ec->nd);
	return ecc_is_pubkey_valid_partial(ec->curve, pt);
}

/* The digest's leftmost min(len, cb) bytes as an integer mod n (FIPS 186-4). */
void aoff_ec_digest(const struct aoff_ec *ec, const u8 *dig, u32 len, u64 *z)
{
	u8 be[AOFF_EC_DIGITS * sizeof(u64)] = {};
	u32 n = min(len, ec->cb);

	memcpy(be + ec->cb - n, dig, n);
	vli_from_be64(z, be, ec->nd);
	/* z < 2^(8 cb) < 2 n: one subtraction reduces it. */
	if (vli_cmp(z, ec->curve->n, ec->nd) >= 0)
		vli_sub(z, z, ec->curve->n, ec->nd);
}

/* Native digits to big-endian bytes (@out u64-aligned). */
void aoff_ec_to_be(const struct aoff_ec *ec, const u64 *v, u8 *out)
{
	ecc_swap_digits(v, (u64 *)out, ec->nd);
}

/* a + b mod n for a, b < n, from the kernel's vli_sub and vli_cmp. */
void aoff_ec_add_mod(u64 *res, const u64 *a, const u64 *b, const u64 *n,
		     unsigned int nd)
{
	u64 t[AOFF_EC_DIGITS];

	vli_sub(t, n, b, nd);			/* t = n - b, in (0, n] */
	if (vli_cmp(a, t, nd) >= 0) {
		vli_sub(res, a, t, nd);		/* a + b - n */
	} else {
		vli_sub(t, t, a, nd);		/* n - b - a > 0 */
		vli_sub(res, n, t, nd);		/* a + b */
	}
	memzero_explicit(t, sizeof(t));
}
