// SPDX-License-Identifier: Apache-2.0
/*
 * The asyncoff engine from C, against OpenSSL's software: every cipher in
 * both directions with updates split at random lengths (CTR key stream
 * carried across updates, CBC buffering by EVP), SHA-256 with random
 * splits and EVP_MD_CTX_copy() in the middle of a stream, and the same
 * inside an async job, which must pause on the device's fd (one fd on the
 * wait ctx) and give the same bytes.  RSA and EC keys of the engine's
 * methods: RSA PKCS#1 v1.5 signatures byte-identical to software's,
 * ECDSA signatures of either side verified by the other, equal ECDH
 * secrets, on the device (its pk_submitted counter grows), outside and
 * inside a job.  Prints TAP.
 *
 *   OPENSSL_ENGINES=build/lib/engines-3 eng_test [--seed N]
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/async.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/rsa.h>

static int tn, tfail;

static void tap(int ok, const char *name)
{
	tn++;
	if (!ok)
		tfail++;
	printf("%sok %d engine-c: %s\n", ok ? "" : "not ", tn, name);
	if (!ok)
		ERR_print_errors_fp(stdout);
	fflush(stdout);
}

/* Run @fn(@arg) in a job; count its pauses and the wait fds seen. */
struct job_res {
	int ret, pauses, maxfds;
};

struct jarg {
	int (*fn)(void *);
	void *arg;
};

static int tramp(void *p)
{
	struct jarg *j = p;

	return j->fn(j->arg);
}

static int run_job(int (*fn)(void *), void *arg, struct job_res *r)
{
	ASYNC_WAIT_CTX *wctx = ASYNC_WAIT_CTX_new();
	ASYNC_JOB *job = NULL;
	struct jarg a = { fn, arg };
	int st, done = 0;

	memset(r, 0, sizeof(*r));
	if (!wctx)
		return 0;
	while (!done) {
		OSSL_ASYNC_FD fds[4];
		size_t nfds = 0;
		struct pollfd pfd[4];

		st = ASYNC_start_job(&job, wctx, &r->ret, tramp, &a, sizeof(a));
		switch (st) {
		case ASYNC_PAUSE:
			r->pauses++;
			if (!ASYNC_WAIT_CTX_get_all_fds(wctx, NULL, &nfds) ||
			    nfds > 4 ||
			    !ASYNC_WAIT_CTX_get_all_fds(wctx, fds, &nfds))
				goto out;
			if ((int)nfds > r->maxfds)
				r->maxfds = (int)nfds;
			/* fd mode: wait for the device, as speed does. */
			for (size_t i = 0; i < nfds; i++)
				pfd[i] = (struct pollfd){ .fd = fds[i],
							  .events = POLLIN };
			if (nfds && poll(pfd, nfds, 10000) <= 0)
				goto out;
			break;
		case ASYNC_FINISH:
			done = 1;
			break;
		default:
			goto out;
		}
	}
out:
	ASYNC_WAIT_CTX_free(wctx);
	return done;
}

static unsigned int rnd_state;

static unsigned int rnd(unsigned int n)
{
	rnd_state = rnd_state * 1103515245 + 12345;
	return (rnd_state >> 8) % n;
}

/* En- or decrypt @len bytes in random pieces with @impl (NULL: software). */
static int cipher_run(ENGINE *impl, const EVP_CIPHER *c, int enc, int pad,
		      const unsigned char *in, size_t len, unsigned char *out,
		      int *outl)
{
	static const unsigned char key[32] = "0123456789abcdef0123456789abcde";
	static const unsigned char iv[16] = "fedcba987654321";
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int ok = 0, n, tot = 0;
	size_t off = 0;

	if (!ctx || !EVP_CipherInit_ex(ctx, c, impl, key, iv, enc))
		goto out;
	EVP_CIPHER_CTX_set_padding(ctx, pad);
	while (off < len) {
		size_t k = 1 + rnd(len - off < 700 ? (unsigned int)(len - off) : 700);

		if (!EVP_CipherUpdate(ctx, out + tot, &n, in + off, (int)k))
			goto out;
		tot += n;
		off += k;
	}
	if (!EVP_CipherFinal_ex(ctx, out + tot, &n))
		goto out;
	*outl = tot + n;
	ok = 1;
out:
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

struct ctest {
	ENGINE *e;
	const EVP_CIPHER *c;
	int pad;
	const unsigned char *in;
	size_t len;
	unsigned int seed;
};

/* Engine vs software on the same splits (same seed), both directions. */
static int cipher_case(void *p)
{
	struct ctest *t = p;
	size_t cap = t->len + 32;
	unsigned char *a = malloc(cap), *b = malloc(cap), *back = malloc(cap);
	int al, bl, backl, ok = 0;

	if (!a || !b || !back)
		goto out;
	rnd_state = t->seed;
	if (!cipher_run(NULL, t->c, 1, t->pad, t->in, t->len, a, &al))
		goto out;
	rnd_state = t->seed;
	if (!cipher_run(t->e, t->c, 1, t->pad, t->in, t->len, b, &bl))
		goto out;
	if (al != bl || memcmp(a, b, (size_t)al))
		goto out;
	rnd_state = t->seed + 1;
	if (!cipher_run(t->e, t->c, 0, t->pad, a, (size_t)al, back, &backl))
		goto out;
	ok = (size_t)backl == t->len && !memcmp(back, t->in, t->len);
out:
	free(a);
	free(b);
	free(back);
	return ok;
}

struct dtest {
	ENGINE *e;
	const unsigned char *in;
	size_t len, cut;
};

/*
 * SHA-256 of in[0, len) in random pieces, with a copy taken at @cut that
 * hashes "tail" after in[0, cut): both against software.  Both copies
 * going on needs the stream kept for a replay, which the engine does up
 * to 64 KiB (dup_max); longer, only one copy goes on (as EVP_DigestSign
 * does): the original, and the copy is dropped.
 */
#define DUP_MAX	65536

static int digest_case(void *p)
{
	struct dtest *t = p;
	EVP_MD_CTX *m = EVP_MD_CTX_new(), *cp = EVP_MD_CTX_new();
	unsigned char d1[32], d2[32], r1[32], r2[32];
	int both = t->cut <= DUP_MAX;
	unsigned int l;
	size_t off = 0;
	int ok = 0;

	if (!m || !cp || !EVP_DigestInit_ex(m, EVP_sha256(), t->e))
		goto out;
	for (;;) {
		size_t k = 1 + rnd(3000);

		if (off == t->cut && !EVP_MD_CTX_copy_ex(cp, m))
			goto out;
		if (off == t->len)
			break;
		if (off < t->cut && off + k > t->cut)
			k = t->cut - off;
		if (off + k > t->len)
			k = t->len - off;
		if (!EVP_DigestUpdate(m, t->in + off, k))
			goto out;
		off += k;
	}
	if (!EVP_DigestFinal_ex(m, d1, &l))
		goto out;
	if (both && (!EVP_DigestUpdate(cp, "tail", 4) ||
		     !EVP_DigestFinal_ex(cp, d2, &l)))
		goto out;
	/* Software: no engine is a default here. */
	if (!EVP_Digest(t->in, t->len, r1, &l, EVP_sha256(), NULL))
		goto out;
	EVP_MD_CTX_reset(m);
	if (!EVP_DigestInit_ex(m, EVP_sha256(), NULL) ||
	    !EVP_DigestUpdate(m, t->in, t->cut) ||
	    !EVP_DigestUpdate(m, "tail", 4) || !EVP_DigestFinal_ex(m, r2, &l))
		goto out;
	ok = !memcmp(d1, r1, 32) && (!both || !memcmp(d2, r2, 32));
out:
	EVP_MD_CTX_free(m);
	EVP_MD_CTX_free(cp);
	return ok;
}

/* The device's count of public-key requests (sysfs). */
static long pk_submitted(void)
{
	FILE *f = fopen("/sys/class/misc/asyncoff0/pk_submitted", "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* A copy of software key @sw using the engine's RSA method. */
static RSA *rsa_eng_copy(ENGINE *e, const RSA *sw)
{
	const BIGNUM *n, *ee, *d, *p, *q, *dp, *dq, *qi;
	RSA *r = RSA_new_method(e);

	if (!r)
		return NULL;
	RSA_get0_key(sw, &n, &ee, &d);
	RSA_get0_factors(sw, &p, &q);
	RSA_get0_crt_params(sw, &dp, &dq, &qi);
	if (!RSA_set0_key(r, BN_dup(n), BN_dup(ee), BN_dup(d)) ||
	    !RSA_set0_factors(r, BN_dup(p), BN_dup(q)) ||
	    !RSA_set0_crt_params(r, BN_dup(dp), BN_dup(dq), BN_dup(qi))) {
		RSA_free(r);
		return NULL;
	}
	return r;
}

static EC_KEY *ec_eng_copy(ENGINE *e, const EC_KEY *sw)
{
	EC_KEY *k = EC_KEY_new_method(e);

	if (!k || !EC_KEY_set_group(k, EC_KEY_get0_group(sw)) ||
	    !EC_KEY_set_private_key(k, EC_KEY_get0_private_key(sw)) ||
	    !EC_KEY_set_public_key(k, EC_KEY_get0_public_key(sw))) {
		EC_KEY_free(k);
		return NULL;
	}
	return k;
}

/* Keys made once in software; the engine's copies are made per case. */
struct pktest {
	ENGINE *e;
	RSA *rsa[2];		/* 2048 (device), 1024 (OpenSSL's) */
	EC_KEY *ec[2][2];	/* P-256, P-384; two keys each for ECDH */
	int devops;		/* requests the case sent to the device */
};

static int rsa_case(struct pktest *t, RSA *sw, int dev)
{
	unsigned char dg[32], a[512], b[512];
	unsigned int alen = 0, blen = 0;
	RSA *r = rsa_eng_copy(t->e, sw);
	int ok;

	memset(dg, 0x5a, sizeof(dg));
	ok = r && RSA_sign(NID_sha256, dg, 32, a, &alen, r) &&
	     RSA_sign(NID_sha256, dg, 32, b, &blen, sw) && alen == blen &&
	     !memcmp(a, b, alen) &&
	     RSA_verify(NID_sha256, dg, 32, a, alen, sw) == 1 &&
	     RSA_verify(NID_sha256, dg, 32, b, blen, r) == 1;
	/* Twice: the second signature uses the cached DER. */
	ok = ok && RSA_sign(NID_sha256, dg, 32, a, &alen, r) &&
	     !memcmp(a, b, alen);
	if (dev)
		t->devops += 2;
	RSA_free(r);
	return ok;
}

static int ec_case(struct pktest *t, EC_KEY *swa, EC_KEY *swb)
{
	unsigned char dg[48], a[160], b[160];
	unsigned int alen = 0, blen = 0;
	EC_KEY *ea = ec_eng_copy(t->e, swa);
	int ok, fl = (EC_GROUP_get_degree(EC_KEY_get0_group(swa)) + 7) / 8;
	int dl = fl == 32 ? 32 : 48;

	memset(dg, 0xa5, sizeof(dg));
	ok = ea && ECDSA_sign(0, dg, dl, a, &alen, ea) &&
	     ECDSA_verify(0, dg, dl, a, (int)alen, swa) == 1 &&
	     ECDSA_sign(0, dg, dl, b, &blen, swa) &&
	     ECDSA_verify(0, dg, dl, b, (int)blen, ea) == 1;
	/* Another digest: the device must say no. */
	dg[0] ^= 1;
	ok = ok && ECDSA_verify(0, dg, dl, b, (int)blen, ea) == 0;
	ok = ok && ECDH_compute_key(a, (size_t)fl,
				    EC_KEY_get0_public_key(swb), ea,
				    NULL) == fl &&
	     ECDH_compute_key(b, (size_t)fl, EC_KEY_get0_public_key(swa),
			      swb, NULL) == fl && !memcmp(a, b, (size_t)fl);
	t->devops += 4;
	EC_KEY_free(ea);
	return ok;
}

/*
 * RSA signatures by one key from NJOBS jobs of one thread, each started
 * (and paused on the device) before the first resumes: the interleaving
 * under which OpenSSL's per-thread blinding would go wrong.
 */
#define NJOBS	4
struct rsajob {
	RSA *r;
	const unsigned char *want;
	unsigned int wlen;
};

static int rsa_job(void *p)
{
	struct rsajob *j = *(struct rsajob **)p;
	unsigned char dg[32], sig[512];
	unsigned int len = 0;

	memset(dg, 0x5a, sizeof(dg));
	return RSA_sign(NID_sha256, dg, 32, sig, &len, j->r) &&
	       len == j->wlen && !memcmp(sig, j->want, len);
}

static int rsa_interleaved(struct pktest *t)
{
	ASYNC_WAIT_CTX *w[NJOBS] = { NULL };
	ASYNC_JOB *job[NJOBS] = { NULL };
	int ret[NJOBS] = { 0 }, st[NJOBS], ok = 1, paused = 0;
	unsigned char dg[32], want[512];
	unsigned int wlen = 0;
	RSA *r = rsa_eng_copy(t->e, t->rsa[0]);
	struct rsajob j = { r, want, 0 }, *jp = &j;

	memset(dg, 0x5a, sizeof(dg));
	if (!r || !RSA_sign(NID_sha256, dg, 32, want, &wlen, t->rsa[0]))
		ok = 0;
	j.wlen = wlen;
	for (int k = 0; ok && k < NJOBS; k++) {
		w[k] = ASYNC_WAIT_CTX_new();
		st[k] = w[k] ? ASYNC_start_job(&job[k], w[k], &ret[k], rsa_job,
					       &jp, sizeof(jp)) : ASYNC_ERR;
		ok = st[k] == ASYNC_PAUSE || st[k] == ASYNC_FINISH;
		paused += st[k] == ASYNC_PAUSE;
	}
	for (int k = 0; ok && k < NJOBS; k++) {
		while (ok && st[k] == ASYNC_PAUSE) {
			OSSL_ASYNC_FD fd;
			size_t nfds = 1;
			struct pollfd pfd;

			if (!ASYNC_WAIT_CTX_get_all_fds(w[k], &fd, &nfds) ||
			    nfds != 1) {
				ok = 0;
				break;
			}
			pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
			if (poll(&pfd, 1, 10000) <= 0) {
				ok = 0;
				break;
			}
			st[k] = ASYNC_start_job(&job[k], w[k], &ret[k],
						rsa_job, &jp, sizeof(jp));
		}
		ok = ok && st[k] == ASYNC_FINISH && ret[k];
	}
	printf("# %d RSA jobs, %d paused before any resumed\n", NJOBS,
	       paused);
	ok = ok && paused == NJOBS;
	for (int k = 0; k < NJOBS; k++)
		ASYNC_WAIT_CTX_free(w[k]);
	RSA_free(r);
	t->devops += NJOBS;
	return ok;
}

static int pk_case(void *p)
{
	struct pktest *t = p;

	t->devops = 0;
	return rsa_case(t, t->rsa[0], 1) && rsa_case(t, t->rsa[1], 0) &&
	       ec_case(t, t->ec[0][0], t->ec[0][1]) &&
	       ec_case(t, t->ec[1][0], t->ec[1][1]);
}

static int pk_keys(struct pktest *t)
{
	static const int bits[2] = { 2048, 1024 };
	static const int nids[2] = { NID_X9_62_prime256v1, NID_secp384r1 };
	BIGNUM *f4 = BN_new();
	int ok = f4 && BN_set_word(f4, RSA_F4);

	for (int i = 0; ok && i < 2; i++) {
		/* Software keys: RSA_new_method(NULL) with no default engine. */
		t->rsa[i] = RSA_new();
		ok = t->rsa[i] &&
		     RSA_generate_key_ex(t->rsa[i], bits[i], f4, NULL);
		for (int j = 0; ok && j < 2; j++) {
			t->ec[i][j] = EC_KEY_new_by_curve_name(nids[i]);
			ok = t->ec[i][j] && EC_KEY_generate_key(t->ec[i][j]);
		}
	}
	BN_free(f4);
	return ok;
}

static void pk_tests(ENGINE *e)
{
	struct pktest t = { .e = e };
	struct job_res r = { 0, 0, 0 };
	long before, after;
	char name[200];
	int ok;

	if (!pk_keys(&t)) {
		tap(0, "RSA and EC software keys, outside a job");
		tap(0, "RSA and EC software keys, in a job");
		tap(0, "RSA and EC software keys, interleaved jobs");
		goto out;
	}
	for (int injob = 0; injob < 2; injob++) {
		before = pk_submitted();
		if (injob)
			ok = run_job(pk_case, &t, &r) && r.ret &&
			     r.pauses >= t.devops && r.maxfds == 1;
		else
			ok = pk_case(&t);
		after = pk_submitted();
		printf("# pk_submitted %ld -> %ld, %d device requests, "
		       "%d pauses\n", before, after, t.devops, r.pauses);
		ok = ok && before >= 0 && after - before >= t.devops;
		snprintf(name, sizeof(name), "RSA-2048/1024 PKCS#1 v1.5 "
			 "identical to software, ECDSA P-256/P-384 both ways, "
			 "ECDH equal, on the device (pk_submitted) %s",
			 injob ? "in an async job, paused per request" :
			 "outside a job");
		tap(ok, name);
	}
	before = pk_submitted();
	t.devops = 0;
	ok = rsa_interleaved(&t);
	after = pk_submitted();
	ok = ok && after - before >= t.devops;
	tap(ok, "RSA-2048 signatures of one key from 4 jobs of one thread, "
	    "interleaved on the device, identical to software");
out:
	for (int i = 0; i < 2; i++) {
		RSA_free(t.rsa[i]);
		EC_KEY_free(t.ec[i][0]);
		EC_KEY_free(t.ec[i][1]);
	}
}

int main(int argc, char **argv)
{
	static const struct { const char *name; int ctr; } ciphers[] = {
		{ "AES-128-CBC", 0 }, { "AES-192-CBC", 0 },
		{ "AES-256-CBC", 0 }, { "AES-128-CTR", 1 },
		{ "AES-192-CTR", 1 }, { "AES-256-CTR", 1 },
	};
	static const size_t lens[] = { 0, 1, 15, 16, 17, 100, 4096, 70001 };
	static const size_t dlens[][2] = {
		{ 0, 0 }, { 3, 1 }, { 64, 64 }, { 65, 10 }, { 1000, 130 },
		{ 60000, 59999 }, { 100000, 50000 }, { 200000, 199999 },
	};
	unsigned int seed = (unsigned int)time(NULL);
	unsigned char *in;
	ENGINE *e;
	char name[160];

	if (argc == 3 && !strcmp(argv[1], "--seed"))
		seed = (unsigned int)strtoul(argv[2], NULL, 0);
	printf("1..%zu\n", 2 * sizeof(ciphers) / sizeof(ciphers[0]) +
	       2 * sizeof(dlens) / sizeof(dlens[0]) + 4);
	printf("# seed %u\n", seed);
	in = malloc(200000);
	if (!in)
		return 1;
	srand(seed);
	for (size_t i = 0; i < 200000; i++)
		in[i] = (unsigned char)rand();
	e = ENGINE_by_id("asyncoff");
	if (!e || !ENGINE_init(e)) {
		tap(0, "ENGINE_by_id + ENGINE_init");
		printf("Bail out! no engine\n");
		return 1;
	}
	tap(1, "ENGINE_by_id + ENGINE_init");

	for (int injob = 0; injob < 2; injob++) {
		for (size_t ci = 0; ci < sizeof(ciphers) / sizeof(ciphers[0]);
		     ci++) {
			const EVP_CIPHER *c = EVP_get_cipherbyname(ciphers[ci].name);
			int ok = c != NULL, pauses = 0, maxfds = 0;

			for (size_t li = 0; ok && li < sizeof(lens) / sizeof(lens[0]); li++) {
				for (int pad = ciphers[ci].ctr; ok && pad < 2; pad++) {
					struct ctest t = { e, c, pad, in, lens[li],
							   seed + (unsigned int)li };
					struct job_res r;

					if (!pad && lens[li] % 16)
						continue;
					if (!injob) {
						ok = cipher_case(&t);
						continue;
					}
					ok = run_job(cipher_case, &t, &r) && r.ret;
					pauses += r.pauses;
					if (r.maxfds > maxfds)
						maxfds = r.maxfds;
				}
			}
			if (injob) {
				printf("# %s in a job: %d pauses, %d wait fds\n",
				       ciphers[ci].name, pauses, maxfds);
				ok = ok && pauses > 0 && maxfds == 1;
			}
			snprintf(name, sizeof(name), "%s %s: random splits, "
				 "padding on/off, both ways match software%s",
				 ciphers[ci].name, injob ? "in an async job" :
				 "outside a job", injob ? ", the job paused on "
				 "one device fd" : "");
			tap(ok, name);
		}
		for (size_t di = 0; di < sizeof(dlens) / sizeof(dlens[0]); di++) {
			struct dtest t = { e, in, dlens[di][0], dlens[di][1] };
			struct job_res r = { 0, 0, 0 };
			int ok;

			rnd_state = seed + (unsigned int)di;
			if (injob)
				ok = run_job(digest_case, &t, &r) && r.ret &&
				     r.pauses > 0 && r.maxfds == 1;
			else
				ok = digest_case(&t);
			snprintf(name, sizeof(name), "SHA-256 %s: %zu bytes, "
				 "copied at %zu, matches software (%d pauses)",
				 injob ? "in an async job" : "outside a job",
				 t.len, t.cut, r.pauses);
			tap(ok, name);
		}
	}
	pk_tests(e);
	ENGINE_finish(e);
	ENGINE_free(e);
	free(in);
	return tfail ? 1 : 0;
}
