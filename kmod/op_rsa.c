// SPDX-License-Identifier: GPL-2.0-only
/*
 * asyncoff: raw RSA, the private operation (CRT) and the public one, on
 * the kernel's "rsa" akcipher (crypto/rsa.c).
 *
 * The akcipher parses the DER key itself, but checks little: Debian's 6.1
 * and 6.12 both compute the private operation through the CRT only, so an
 * inconsistent key (p * q != n, a zero p) would give a wrong result or
 * reach mpi_powm() with a zero modulus.  The key is therefore parsed once
 * more with rsa_parse_*_key() (the akcipher's own parser) and checked with
 * the kernel's MPI functions before the akcipher sees it.
 *
 * The engine's transform keeps the MPIs of the last key set on it; setting
 * a key that is not one (an ASN.1 NULL) after the operation makes the
 * akcipher free them first (mpi_free wipes limbs with kfree_sensitive) and
 * then fail the parse, so no key stays.
 */
#include <crypto/akcipher.h>
#include <crypto/internal/rsa.h>
#include <linux/mpi.h>
#include <linux/scatterlist.h>
#include "compat.h"
#include "ops.h"

/* DER of an ASN.1 NULL: no RSA key parses from it. */
static const u8 aoff_rsa_no_key[] = { 0x05, 0x00 };

int aoff_rsa_init(struct aoff_engine *eng)
{
	struct crypto_akcipher *tfm;

	/* Synchronous only: the request runs to its end on the engine. */
	tfm = crypto_alloc_akcipher("rsa", 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	eng->rsa_req = akcipher_request_alloc(tfm, GFP_KERNEL);
	if (!eng->rsa_req) {
		crypto_free_akcipher(tfm);
		return -ENOMEM;
	}
	akcipher_request_set_callback(eng->rsa_req, 0, NULL, NULL);
	eng->rsa = tfm;
	return 0;
}

void aoff_rsa_exit(struct aoff_engine *eng)
{
	akcipher_request_free(eng->rsa_req);
	crypto_free_akcipher(eng->rsa);
	eng->rsa_req = NULL;
	eng->rsa = NULL;
}

int aoff_op_rsa_prep(struct aoff_ctx *ctx, struct aoff_req *req)
{
	const struct aoff_sqe *sqe = &req->sqe;
	u32 k = sqe->in_len;

	if (!sqe->pk.key_len || sqe->pk.key_len > AOFF_RSA_KEY_MAX)
		return -EINVAL;
	/* The key, parsed on the engine, must then agree with k. */
	if ((k != 256 && k != 384 && k != 512) || sqe->out_len < k)
		return -EINVAL;
	return aoff_pk_prep(ctx, req, true, false);
}

/* The integers of a key, as the kernel's MPIs. */
enum { AOFF_RSA_N, AOFF_RSA_E, AOFF_RSA_D, AOFF_RSA_P, AOFF_RSA_Q,
	AOFF_RSA_DP, AOFF_RSA_DQ, AOFF_RSA_QINV, AOFF_RSA_NR };

struct aoff_rsa_mpis {
	MPI v[AOFF_RSA_NR];
	unsigned int nr;
};

static void aoff_rsa_mpis_free(struct aoff_rsa_mpis *m)
{
	unsigned int i;

	for (i = 0; i < m->nr; i++)
		mpi_free(m->v[i]);
}

static int aoff_rsa_mpis_read(struct aoff_rsa_mpis *m,
			      const struct rsa_key *raw, bool priv)
{
	const u8 *p[AOFF_RSA_NR] = { raw->n, raw->e, raw->d, raw->p, raw->q,
				     raw->dp, raw->dq, raw->qinv };
	size_t sz[AOFF_RSA_NR] = { raw->n_sz, raw->e_sz, raw->d_sz, raw->p_sz,
				   raw->q_sz, raw->dp_sz, raw->dq_sz,
				   raw->qinv_sz };

	for (m->nr = 0; m->nr < (priv ? AOFF_RSA_NR : AOFF_RSA_D); m->nr++) {
		m->v[m->nr] = mpi_read_raw_data(p[m->nr], sz[m->nr]);
		if (!m->v[m->nr]) {
			aoff_rsa_mpis_free(m);
			return -ENOMEM;
		}
	}
	return 0;
}

/* 0 < @a < @b. */
static bool aoff_mpi_between(MPI a, MPI b)
{
	return mpi_cmp_ui(a, 0) > 0 && mpi_cmp(a, b) < 0;
}

static bool aoff_mpi_odd(MPI a)
{
	return mpi_test_bit(a, 0);
}

/* p * q == n, with the kernel's multiplication. */
static int aoff_rsa_pq_is_n(MPI p, MPI q, MPI n)
{
	MPI pq = mpi_alloc(0);
	int ret;

	if (!pq)
		return -ENOMEM;
	ret = aoff_mpi_mul(pq, p, q);
	if (!ret)
		ret = mpi_cmp(pq, n) ? -EKEYREJECTED : 0;
	mpi_free(pq);
	return ret;
}

/*
 * The checks the uapi header lists; -EKEYREJECTED, -EINVAL (k does not
 * match in_len), -ERANGE (input not below n) or -ENOMEM.
 */
static int aoff_rsa_check(const struct rsa_key *raw, bool priv,
			  const u8 *in, u32 k)
{
	struct aoff_rsa_mpis m;
	MPI *v = m.v, c;
	unsigned int bits;
	int ret;

	ret = aoff_rsa_mpis_read(&m, raw, priv);
	if (ret)
		return ret;
	ret = -EKEYREJECTED;
	bits = mpi_get_nbits(v[AOFF_RSA_N]);
	if (bits != 2048 && bits != 3072 && bits != 4096)
		goto out;
	if (!aoff_mpi_odd(v[AOFF_RSA_E]) || mpi_cmp_ui(v[AOFF_RSA_E], 3) < 0 ||
	    mpi_cmp(v[AOFF_RSA_E], v[AOFF_RSA_N]) >= 0)
		goto out;
	if (priv) {
		if (!aoff_mpi_between(v[AOFF_RSA_D], v[AOFF_RSA_N]) ||
		    !aoff_mpi_odd(v[AOFF_RSA_P]) || !aoff_mpi_odd(v[AOFF_RSA_Q]) ||
		    mpi_cmp_ui(v[AOFF_RSA_P], 1) <= 0 ||
		    mpi_cmp_ui(v[AOFF_RSA_Q], 1) <= 0 ||
		    !aoff_mpi_between(v[AOFF_RSA_DP], v[AOFF_RSA_P]) ||
		    !aoff_mpi_between(v[AOFF_RSA_DQ], v[AOFF_RSA_Q]) ||
		    !aoff_mpi_between(v[AOFF_RSA_QINV], v[AOFF_RSA_P]))
			goto out;
		ret = aoff_rsa_pq_is_n(v[AOFF_RSA_P], v[AOFF_RSA_Q],
				       v[AOFF_RSA_N]);
		if (ret)
			goto out;
	}
	ret = -EINVAL;
	if (bits / 8 != k)
		goto out;
	ret = -ENOMEM;
	c = mpi_read_raw_data(in, k);
	if (!c)
		goto out;
	ret = mpi_cmp(c, v[AOFF_RSA_N]) < 0 ? 0 : -ERANGE;
	mpi_free(c);
out:
	aoff_rsa_mpis_free(&m);
	return ret;
}

static s32 aoff_rsa_run(struct aoff_engine *eng, struct aoff_req *req,
			bool priv)
{
	struct akcipher_request *areq = eng->rsa_req;
	struct aoff_pk_buf *pk = eng->pk;
	u32 klen = req->sqe.pk.key_len, k = req->sqe.in_len;
	struct scatterlist src, dst;
	struct rsa_key raw = {};
	int ret;

	aoff_pk_read(eng, req);
	ret = priv ? rsa_parse_priv_key(&raw, pk->key, klen) :
		     rsa_parse_pub_key(&raw, pk->key, klen);
	if (ret) {
		ret = ret == -ENOMEM ? ret : -EKEYREJECTED;
		goto out;
	}
	ret = aoff_rsa_check(&raw, priv, pk->in, k);
	if (ret)
		goto out;
	ret = priv ? crypto_akcipher_set_priv_key(eng->rsa, pk->key, klen) :
		     crypto_akcipher_set_pub_key(eng->rsa, pk->key, klen);
	if (ret) {
		ret = ret == -ENOMEM ? ret : -EKEYREJECTED;
		goto out;
	}
	sg_init_one(&src, pk->in, k);
	sg_init_one(&dst, pk->out, k);
	akcipher_request_set_crypt(areq, &src, &dst, k, k);
	ret = priv ? crypto_akcipher_decrypt(areq) :
		     crypto_akcipher_encrypt(areq);
	if (!ret)
		ret = k;
out:
	/* Frees the key's MPIs (see the top comment); the parse fails. */
	crypto_akcipher_set_pub_key(eng->rsa, aoff_rsa_no_key,
				    sizeof(aoff_rsa_no_key));
	return aoff_pk_done(eng, req, ret);
}

s32 aoff_op_rsa_private_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	return aoff_rsa_run(eng, req, true);
}

s32 aoff_op_rsa_public_issue(struct aoff_engine *eng, struct aoff_req *req)
{
	return aoff_rsa_run(eng, req, false);
}
