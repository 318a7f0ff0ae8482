// SPDX-License-Identifier: Apache-2.0
/*
 * aead-bench: TLS 1.3 style AEAD records, one cipher, size, job count and
 * provider per run.  openssl speed -aead cannot do this for
 * ChaCha20-Poly1305 in OpenSSL 3.0 (it streams one endless message for
 * every mode but GCM/CCM/OCB/SIV), so the record loop is ours: per message
 * the key is kept and a new 12-byte IV set (EVP_EncryptInit_ex2 with a NULL
 * cipher and key, as libssl does per record), 13 bytes of AAD, the text in
 * place, final, the 16-byte tag read back.
 *
 * J async jobs (ASYNC_start_job) each loop records for a fixed time; the
 * main loop waits for paused jobs on their ASYNC_WAIT_CTX fds with poll(),
 * as openssl speed does.  A job that never pauses (the provider below its
 * aead threshold computes in-process, the default provider always does)
 * just runs its records until the time is up.
 *
 * Output, one line per round and one summary line, machine readable:
 *   round R OPS_PER_S CPU_NS_PER_OP
 *   median OPS MIN MAX CPU_MED CPU_MIN CPU_MAX SUBMITTED_PER_OP
 * CPU time is the process's (CLOCK_PROCESS_CPUTIME_ID): what the
 * application pays; the device model's engines are kernel threads.
 * (median: the middle round, the upper of the two for an even count.)
 * SUBMITTED_PER_OP is the growth of --counter (the device's sysfs
 * "submitted") per record: about 1 when records went to the device, 0
 * when they ran in-process; "-" without --counter.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/async.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#define AOFF_AB_MAXJOBS		256
#define AOFF_AB_MAXBYTES	(64 * 1024)
#define AOFF_AB_MAXROUNDS	99

struct aoff_ab_job {
	EVP_CIPHER_CTX *ctx;
	unsigned char *buf;
	size_t len;
	unsigned long long ops;
	unsigned long long seq;	/* the record number, mixed into the IV */
};

/* Set by the main loop, read by jobs between records. */
static volatile int aoff_ab_stop;
static double aoff_ab_deadline;

static double aoff_ab_now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The stop test runs once per record.  On a guest whose clocksource is
 * hpet a precise clock_gettime is a system call (issue 15), which would
 * add to the path measured; the coarse clock is read from the vDSO
 * without touching the hardware, and its few milliseconds of resolution
 * do not matter against a run of a fraction of a second or more.
 */
static int aoff_ab_time_up(void)
{
	if (!aoff_ab_stop &&
	    aoff_ab_now(CLOCK_MONOTONIC_COARSE) >= aoff_ab_deadline)
		aoff_ab_stop = 1;
	return aoff_ab_stop;
}

/* One record: new IV with the key kept, AAD, text in place, final, tag. */
static int aoff_ab_record(struct aoff_ab_job *j)
{
	static const unsigned char aad[13] = { 0x17, 0x03, 0x03 };
	unsigned char iv[12] = { 0x5a }, tag[16];
	int ol, fl;

	/* TLS 1.3: the static IV XOR the record number. */
	for (int i = 0; i < 8; i++)
		iv[4 + i] ^= (unsigned char)(j->seq >> (56 - 8 * i));
	j->seq++;
	return EVP_EncryptInit_ex2(j->ctx, NULL, NULL, iv, NULL) &&
	       EVP_EncryptUpdate(j->ctx, NULL, &ol, aad, sizeof(aad)) &&
	       EVP_EncryptUpdate(j->ctx, j->buf, &ol, j->buf, (int)j->len) &&
	       EVP_EncryptFinal_ex(j->ctx, j->buf + ol, &fl) &&
	       EVP_CIPHER_CTX_ctrl(j->ctx, EVP_CTRL_AEAD_GET_TAG, sizeof(tag),
				   tag) > 0;
}

static int aoff_ab_job_fn(void *arg)
{
	struct aoff_ab_job *j = *(struct aoff_ab_job **)arg;

	while (!aoff_ab_time_up()) {
		if (!aoff_ab_record(j))
			return 0;
		j->ops++;
	}
	return 1;
}

/* The device's counter, or -1 (no file, or unreadable). */
static long long aoff_ab_counter(const char *path)
{
	long long v = -1;
	FILE *f;

	if (!path)
		return -1;
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/* Runs @n jobs until @secs have passed; 1 on success. */
static int aoff_ab_run(struct aoff_ab_job *jobs, int n, double secs)
{
	ASYNC_JOB *job[AOFF_AB_MAXJOBS] = { 0 };
	ASYNC_WAIT_CTX *w[AOFF_AB_MAXJOBS] = { 0 };
	int left = n, ok = 1, r;

	for (int i = 0; i < n; i++)
		if (!(w[i] = ASYNC_WAIT_CTX_new()))
			return 0;
	aoff_ab_stop = 0;
	aoff_ab_deadline = aoff_ab_now(CLOCK_MONOTONIC_COARSE) + secs;
	while (left) {
		struct pollfd pfd[AOFF_AB_MAXJOBS];
		int np = 0;

		for (int i = 0; i < n; i++) {
			struct aoff_ab_job *p = &jobs[i];
			OSSL_ASYNC_FD fd;
			size_t nfd = 0;

			if (!w[i])
				continue;
			switch (ASYNC_start_job(&job[i], w[i], &r,
						aoff_ab_job_fn, &p,
						sizeof(p))) {
			case ASYNC_PAUSE:
				/*
				 * The provider pauses with one fd (the
				 * bridge's eventfd); poll on it so the loop
				 * sleeps until a completion arrives.
				 */
				if (ASYNC_WAIT_CTX_get_all_fds(w[i], NULL,
							       &nfd) &&
				    nfd == 1 &&
				    ASYNC_WAIT_CTX_get_all_fds(w[i], &fd,
							       &nfd))
					pfd[np++] = (struct pollfd){
						.fd = fd, .events = POLLIN };
				break;
			case ASYNC_FINISH:
				if (!r)
					ok = 0;
				ASYNC_WAIT_CTX_free(w[i]);
				w[i] = NULL;
				left--;
				break;
			default:
				/* ASYNC_ERR or NO_JOBS: stop the others too. */
				aoff_ab_stop = 1;
				ok = 0;
				break;
			}
		}
		if (!ok && np == 0 && left)
			break;
		aoff_ab_time_up();
		if (np)
			poll(pfd, (nfds_t)np, 10);
	}
	for (int i = 0; i < n; i++)
		ASYNC_WAIT_CTX_free(w[i]);
	return ok;
}

static int aoff_ab_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void aoff_ab_usage(void)
{
	fprintf(stderr,
		"usage: aead-bench --cipher NAME --provider asyncoff|default\n"
		"                  --bytes B --jobs J [--seconds S] [--rounds N]\n"
		"                  [--counter SYSFS_FILE]\n");
}

int main(int argc, char **argv)
{
	const char *cipher = "AES-128-GCM", *prov = "asyncoff", *cnt = NULL;
	double secs = 1, ops[AOFF_AB_MAXROUNDS], cpu[AOFF_AB_MAXROUNDS];
	static const unsigned char key[32] = { 0x42 };
	static const unsigned char iv0[12] = { 0x5a };
	struct aoff_ab_job jobs[AOFF_AB_MAXJOBS];
	long long sub0, sub1;
	unsigned long long total = 0;
	int njobs = 1, rounds = 3;
	size_t len = 16;
	char pq[64];
	OSSL_LIB_CTX *lc;
	EVP_CIPHER *ci;

	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v) {
			aoff_ab_usage();
			return 2;
		}
		if (!strcmp(argv[i], "--cipher"))
			cipher = v;
		else if (!strcmp(argv[i], "--provider"))
			prov = v;
		else if (!strcmp(argv[i], "--bytes"))
			len = strtoul(v, NULL, 0);
		else if (!strcmp(argv[i], "--jobs"))
			njobs = atoi(v);
		else if (!strcmp(argv[i], "--seconds"))
			secs = atof(v);
		else if (!strcmp(argv[i], "--rounds"))
			rounds = atoi(v);
		else if (!strcmp(argv[i], "--counter"))
			cnt = v;
		else {
			aoff_ab_usage();
			return 2;
		}
		i++;
	}
	if (njobs < 1 || njobs > AOFF_AB_MAXJOBS || len < 1 ||
	    len > AOFF_AB_MAXBYTES || rounds < 1 ||
	    rounds > AOFF_AB_MAXROUNDS || !(secs > 0)) {
		fprintf(stderr, "aead-bench: jobs 1-%d, bytes 1-%d, rounds "
			"1-%d, seconds > 0\n", AOFF_AB_MAXJOBS,
			AOFF_AB_MAXBYTES, AOFF_AB_MAXROUNDS);
		return 2;
	}

	/*
	 * Both providers in one library context, the cipher fetched from the
	 * one measured: asyncoff's in-process path itself fetches the
	 * default provider's implementation.
	 */
	lc = OSSL_LIB_CTX_new();
	if (!lc || !OSSL_PROVIDER_load(lc, "default") ||
	    (!strcmp(prov, "asyncoff") && !OSSL_PROVIDER_load(lc, prov))) {
		ERR_print_errors_fp(stderr);
		return 1;
	}
	snprintf(pq, sizeof(pq), "provider=%s", prov);
	ci = EVP_CIPHER_fetch(lc, cipher, pq);
	if (!ci) {
		fprintf(stderr, "aead-bench: no %s in provider %s\n", cipher,
			prov);
		ERR_print_errors_fp(stderr);
		return 1;
	}
	/* A pool of exactly the jobs used, made up front as speed does. */
	if (!ASYNC_init_thread((size_t)njobs, (size_t)njobs)) {
		fprintf(stderr, "aead-bench: ASYNC_init_thread failed\n");
		return 1;
	}
	for (int i = 0; i < njobs; i++) {
		jobs[i] = (struct aoff_ab_job){ .len = len };
		jobs[i].ctx = EVP_CIPHER_CTX_new();
		jobs[i].buf = calloc(1, len + 64);
		if (!jobs[i].ctx || !jobs[i].buf ||
		    !EVP_EncryptInit_ex2(jobs[i].ctx, ci, key, iv0, NULL)) {
			ERR_print_errors_fp(stderr);
			return 1;
		}
	}

	/*
	 * A short untimed warm-up: one-time costs (the provider's first
	 * fetch of the in-process implementation, the bridge's setup, the
	 * jobs' first switch) would otherwise land in round 1 alone and
	 * show as its minimum.
	 */
	if (!aoff_ab_run(jobs, njobs, secs < 0.1 ? secs : 0.1)) {
		fprintf(stderr, "aead-bench: warm-up failed\n");
		ERR_print_errors_fp(stderr);
		return 1;
	}
	sub0 = aoff_ab_counter(cnt);
	for (int r = 0; r < rounds; r++) {
		unsigned long long n = 0;
		double t0, c0, t, c;

		for (int i = 0; i < njobs; i++)
			jobs[i].ops = 0;
		t0 = aoff_ab_now(CLOCK_MONOTONIC);
		c0 = aoff_ab_now(CLOCK_PROCESS_CPUTIME_ID);
		if (!aoff_ab_run(jobs, njobs, secs)) {
			fprintf(stderr, "aead-bench: %s %zu B %d jobs via %s "
				"failed\n", cipher, len, njobs, prov);
			ERR_print_errors_fp(stderr);
			return 1;
		}
		t = aoff_ab_now(CLOCK_MONOTONIC) - t0;
		c = aoff_ab_now(CLOCK_PROCESS_CPUTIME_ID) - c0;
		for (int i = 0; i < njobs; i++)
			n += jobs[i].ops;
		total += n;
		ops[r] = n / t;
		cpu[r] = n ? c * 1e9 / n : 0;
		printf("round %d %.0f %.0f\n", r + 1, ops[r], cpu[r]);
	}
	sub1 = aoff_ab_counter(cnt);

	qsort(ops, (size_t)rounds, sizeof(ops[0]), aoff_ab_cmp);
	qsort(cpu, (size_t)rounds, sizeof(cpu[0]), aoff_ab_cmp);
	printf("median %.0f %.0f %.0f %.0f %.0f %.0f ", ops[rounds / 2],
	       ops[0], ops[rounds - 1], cpu[rounds / 2], cpu[0],
	       cpu[rounds - 1]);
	if (sub0 >= 0 && sub1 >= sub0 && total)
		printf("%.2f\n", (double)(sub1 - sub0) / (double)total);
	else
		printf("-\n");

	for (int i = 0; i < njobs; i++) {
		EVP_CIPHER_CTX_free(jobs[i].ctx);
		free(jobs[i].buf);
	}
	EVP_CIPHER_free(ci);
	ASYNC_cleanup_thread();
	OSSL_LIB_CTX_free(lc);
	return 0;
}
