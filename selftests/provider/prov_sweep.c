// SPDX-License-Identifier: Apache-2.0
/*
 * The offload policy's measurements: per algorithm and size, the cost of
 * one operation in-process (the default provider) against the device
 * (asyncoff, run with ASYNCOFF_OFFLOAD=digest:0,cipher:0,aead:0 so that
 * everything goes there): synchronous latency outside jobs, and with 16
 * async jobs (fd mode) the wall time and the process's CPU time per
 * operation (what the application's threads pay; the device's engines
 * are kernel threads).  Prints a Markdown table.  Not a test.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/async.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#define JOBS	16

static OSSL_LIB_CTX *lc;

struct alg {
	const char *name;	/* EVP name */
	int digest;
	EVP_MD *md[2];		/* [0] default, [1] asyncoff */
	EVP_CIPHER *ci[2];
};

static unsigned char buf[JOBS][16384 + 64];

static int one_op(struct alg *a, int dev, unsigned char *p, size_t len)
{
	static const unsigned char key[32] = { 1 }, iv[16] = { 2 };
	static const unsigned char aad[13] = { 3 };
	unsigned char out[64];
	unsigned int ml;
	int ol, ok;
	EVP_CIPHER_CTX *c;

	if (a->digest)
		return EVP_Digest(p, len, out, &ml, a->md[dev], NULL);
	c = EVP_CIPHER_CTX_new();
	ok = c && EVP_EncryptInit_ex2(c, a->ci[dev], key, iv, NULL) &&
	     EVP_CIPHER_CTX_set_padding(c, 0);
	if (ok && EVP_CIPHER_get_flags(a->ci[dev]) & EVP_CIPH_FLAG_AEAD_CIPHER)
		ok = EVP_EncryptUpdate(c, NULL, &ol, aad, sizeof(aad));
	ok = ok && EVP_EncryptUpdate(c, p, &ol, p, (int)len) &&
	     EVP_EncryptFinal_ex(c, p + ol, &ol);
	EVP_CIPHER_CTX_free(c);
	return ok;
}

static double now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Synchronous: microseconds per operation over ~@secs. */
static double sync_us(struct alg *a, int dev, size_t len, double secs)
{
	double t0 = now(CLOCK_MONOTONIC), t;
	long n = 0;

	do {
		for (int i = 0; i < 16; i++, n++)
			if (!one_op(a, dev, buf[0], len))
				return -1;
		t = now(CLOCK_MONOTONIC) - t0;
	} while (t < secs);
	return t * 1e6 / (double)n;
}

struct jarg {
	struct alg *a;
	size_t len;
	int idx;
	long ops;
};

static int job_fn(void *v)
{
	struct jarg *j = *(struct jarg **)v;

	for (long i = 0; i < j->ops; i++)
		if (!one_op(j->a, 1, buf[j->idx], j->len))
			return 0;
	return 1;
}

/* 16 jobs in fd mode: wall and CPU microseconds per operation. */
static int async_us(struct alg *a, size_t len, long per_job, double *wall,
		    double *cpu)
{
	ASYNC_JOB *job[JOBS] = { 0 };
	ASYNC_WAIT_CTX *w[JOBS];
	struct jarg ja[JOBS];
	int left = JOBS, r;
	double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);

	for (int i = 0; i < JOBS; i++) {
		ja[i] = (struct jarg){ a, len, i, per_job };
		w[i] = ASYNC_WAIT_CTX_new();
	}
	while (left) {
		struct pollfd pfd[JOBS];
		int np = 0;

		for (int i = 0; i < JOBS; i++) {
			struct jarg *p = &ja[i];

			if (!w[i])
				continue;
			switch (ASYNC_start_job(&job[i], w[i], &r, job_fn, &p,
						sizeof(p))) {
			case ASYNC_PAUSE: {
				OSSL_ASYNC_FD fd;
				size_t nfd = 0;

				if (ASYNC_WAIT_CTX_get_all_fds(w[i], NULL,
							       &nfd) &&
				    nfd == 1 &&
				    ASYNC_WAIT_CTX_get_all_fds(w[i], &fd,
							       &nfd))
					pfd[np++] = (struct pollfd){ fd, POLLIN,
								     0 };
				break;
			}
			case ASYNC_FINISH:
				if (!r)
					return 0;
				ASYNC_WAIT_CTX_free(w[i]);
				w[i] = NULL;
				left--;
				break;
			default:
				return 0;
			}
		}
		if (np)
			poll(pfd, (nfds_t)np, 10);
	}
	*wall = (now(CLOCK_MONOTONIC) - t0) * 1e6 / (double)(JOBS * per_job);
	*cpu = (now(CLOCK_PROCESS_CPUTIME_ID) - c0) * 1e6 /
	       (double)(JOBS * per_job);
	return 1;
}

int main(void)
{
	static struct alg algs[] = {
		{ "SHA2-256", 1, { 0 }, { 0 } },
		{ "AES-128-CBC", 0, { 0 }, { 0 } },
		{ "AES-128-GCM", 0, { 0 }, { 0 } },
		{ "ChaCha20-Poly1305", 0, { 0 }, { 0 } },
	};
	static const size_t sizes[] = { 16, 64, 256, 1024, 4096, 16384 };
	const char *mods = getenv("OPENSSL_MODULES");

	lc = OSSL_LIB_CTX_new();
	if (mods)
		OSSL_PROVIDER_set_default_search_path(lc, mods);
	if (!OSSL_PROVIDER_load(lc, "asyncoff") ||
	    !OSSL_PROVIDER_load(lc, "default")) {
		ERR_print_errors_fp(stderr);
		return 1;
	}
	printf("| algorithm | bytes | in-process us/op | device sync us/op | "
	       "device 16 jobs wall us/op | device 16 jobs CPU us/op |\n"
	       "|---|---:|---:|---:|---:|---:|\n");
	for (size_t k = 0; k < sizeof(algs) / sizeof(algs[0]); k++) {
		struct alg *a = &algs[k];

		for (int d = 0; d < 2; d++) {
			const char *pq = d ? "provider=asyncoff" :
					     "provider=default";

			if (a->digest)
				a->md[d] = EVP_MD_fetch(lc, a->name, pq);
			else
				a->ci[d] = EVP_CIPHER_fetch(lc, a->name, pq);
			if (!a->md[d] && !a->ci[d]) {
				ERR_print_errors_fp(stderr);
				return 1;
			}
		}
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			size_t len = sizes[s];
			double sw = sync_us(a, 0, len, 0.2);
			double dv = sync_us(a, 1, len, 0.2);
			double wall = -1, cpu = -1;
			long per = (long)(0.3e6 / (dv > 0 ? dv : 1000));

			if (per < 4)
				per = 4;
			if (!async_us(a, len, per, &wall, &cpu))
				ERR_print_errors_fp(stderr);
			printf("| %s | %zu | %.2f | %.1f | %.1f | %.1f |\n",
			       a->name, len, sw, dv, wall, cpu);
			fflush(stdout);
		}
	}
	return 0;
}
