// SPDX-License-Identifier: Apache-2.0
/*
 * --compare: the same AES-CBC encryption, sizes and number of async jobs,
 * in one process and run, through three paths:
 *
 *   asyncoff  async jobs through the bridge (fd mode): copy the plaintext
 *             into the context's data area, one request, the job pauses,
 *             the ciphertext is copied out;
 *   afalg     the same jobs calling EVP_EncryptUpdate/Final on a cipher
 *             context of OpenSSL's afalg engine: the kernel's cbc(aes)
 *             through AF_ALG with AIO; the engine pauses the job and
 *             registers its eventfd in the wait ctx, and the loop resumes
 *             jobs whose fds are readable, as "openssl speed -async_jobs"
 *             does;
 *   software  EVP with the default provider, synchronously, one thread.
 *
 * Each job slot has its own wait ctx and cipher context (asyncoff: the
 * device context the bridge opens for the wait ctx; afalg: an EVP cipher
 * context with its AF_ALG socket and AIO context), set up before the clock
 * starts.  As in "openssl speed -evp", afalg and software operations are
 * EVP_EncryptUpdate calls that chain the IV; an asyncoff job writes key
 * and IV into the data area with every request (a provider's work).
 * Before each size is timed, one operation of each offload path from a
 * fresh context is checked against software.
 *
 * The afalg engine calls libcrypto's ASYNC_* functions, so this runs only
 * in the binary linked with libcrypto; the other one re-executes it.
 */
/* ENGINE_* are deprecated in OpenSSL 3.0, and still afalg's only door. */
#define OPENSSL_API_COMPAT 10101
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/async.h>
#include "aoff/json.h"
#include "bench.h"
#include "hist.h"

#ifdef ASYNCOFF_ASYNC_RUNTIME

int bench_compare_reexec(char **argv)
{
	static const char sibling[] = "asyncoff-bench-libcrypto";
	char path[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	if (n < 0 || (size_t)n + sizeof(sibling) >= sizeof(path)) {
		fprintf(stderr, "asyncoff-bench: /proc/self/exe: %m\n");
		return -1;
	}
	path[n] = '\0';
	slash = strrchr(path, '/');
	strcpy(slash ? slash + 1 : path, sibling);
	fprintf(stderr, "asyncoff-bench: --compare runs in %s (the afalg "
		"engine needs libcrypto's ASYNC)\n", sibling);
	execv(path, argv);
	fprintf(stderr, "asyncoff-bench: cannot run %s: %m (build it: make -C "
		"tools/asyncoff-bench)\n", path);
	return -1;
}

int bench_compare(const struct opts *o)
{
	(void)o;
	return 2;
}

#else /* libcrypto */

#include <sys/socket.h>
#include <sys/utsname.h>
#include <linux/if_alg.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>

int bench_compare_reexec(char **argv)
{
	(void)argv;
	return 0;
}

enum { P_AOFF, P_AFALG, P_SOFT, NR_PATHS };
static const char *const path_name[NR_PATHS] = {
	"asyncoff", "afalg", "software",
};

struct cmp_common {
	const EVP_CIPHER *cipher;
	int size;
};

struct afalg_slot {
	EVP_CIPHER_CTX *ctx;
	uint8_t *out;
};

/*
 * One size.  r[p] is path p's median round (by rate); lo[p] and hi[p] are
 * the slowest and fastest rounds' rates, so a reader sees the noise.
 */
struct row {
	size_t size;
	int have[NR_PATHS];
	struct result r[NR_PATHS];
	double lo[NR_PATHS], hi[NR_PATHS];
	int verified;
};

/* One operation on an afalg cipher context; may pause the job. */
static int afalg_job(void *p)
{
	const struct bench_call *c = p;
	const struct cmp_common *cc = c->common;
	struct afalg_slot *s = c->slot;
	uint8_t *out = c->out ? c->out : s->out;
	int len = 0;

	if (!EVP_EncryptUpdate(s->ctx, out, &len, bench_plaintext(0),
			       cc->size))
		return -EIO;
	return len == cc->size ? 1 : -EIO;
}

static EVP_CIPHER_CTX *new_cipher_ctx(const EVP_CIPHER *cipher, ENGINE *e)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

	if (ctx && EVP_EncryptInit_ex(ctx, cipher, e, bench_key, bench_iv) &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0))
		return ctx;
	EVP_CIPHER_CTX_free(ctx);
	return NULL;
}

static void ssl_reason(char *why, size_t len, const char *what)
{
	unsigned long e = ERR_get_error();

	snprintf(why, len, "%s%s%s", what, e ? ": " : "",
		 e ? ERR_reason_error_string(e) ? ERR_reason_error_string(e) :
		 "error" : "");
	ERR_clear_error();
}

/*
 * The kernel side first (clearer reasons than the engine's), then the
 * engine.  NULL with @why filled when afalg cannot run.
 */
static ENGINE *afalg_open(const EVP_CIPHER *cipher, char *why, size_t len)
{
	struct sockaddr_alg sa = { .salg_family = AF_ALG,
				   .salg_type = "skcipher",
				   .salg_name = "cbc(aes)" };
	ENGINE *e;
	int fd = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		snprintf(why, len, "socket(AF_ALG): %m (modprobe "
			 "algif_skcipher)");
		return NULL;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		snprintf(why, len, "AF_ALG skcipher cbc(aes): %m (modprobe "
			 "algif_skcipher)");
		close(fd);
		return NULL;
	}
	close(fd);
	e = ENGINE_by_id("afalg");
	if (!e) {
		ssl_reason(why, len, "OpenSSL cannot load the afalg engine");
		return NULL;
	}
	if (!ENGINE_init(e)) {
		ssl_reason(why, len, "ENGINE_init(afalg) failed");
		ENGINE_free(e);
		return NULL;
	}
	if (!ENGINE_get_cipher(e, EVP_CIPHER_get_nid(cipher))) {
		snprintf(why, len, "the afalg engine has no %s",
			 EVP_CIPHER_get0_name(cipher));
		ERR_clear_error();
		ENGINE_finish(e);
		ENGINE_free(e);
		return NULL;
	}
	return e;
}

/* Software: the default provider, one operation after the other. */
static int run_soft(const struct opts *o, EVP_CIPHER_CTX *ctx, int size,
		    uint8_t *out, struct result *r)
{
	struct hist *h = calloc(1, sizeof(*h));
	struct cpu_mark c0;
	uint64_t t0, end;
	int len;

	if (!h)
		return -ENOMEM;
	memset(r, 0, sizeof(*r));
	progress_start(o);
	t0 = now_ns();
	cpu_mark_now(&c0);
	end = t0 + (uint64_t)(o->seconds * 1e9);
	for (;;) {
		uint64_t t = 0;

		if (bench_lat_sample(r->ops)) {
			t = now_ns();
			if (t >= end)
				break;
			progress("  size %d software %8.0f ops/s ...", size,
				 (double)r->ops / ((double)(t - t0) / 1e9));
		}
		if (!EVP_EncryptUpdate(ctx, out, &len, bench_plaintext(0),
				       size)) {
			free(h);
			return -EIO;
		}
		if (t)
			hist_add(h, now_ns() - t);
		r->ops++;
	}
	progress_end();
	r->secs = (double)(now_ns() - t0) / 1e9;
	cpu_mark_since(&c0, r);
	r->jobs = 1;
	r->contexts = 1;
	r->size = (size_t)size;
	r->p50 = hist_quantile(h, 0.50);
	r->p99 = hist_quantile(h, 0.99);
	free(h);
	return 0;
}

static double rate(const struct result *r)
{
	return r->secs > 0 ? (double)r->ops / r->secs : 0.0;
}

static double mbps(const struct result *r)
{
	return rate(r) * (double)r->size / 1e6;
}

static void json_path(struct aoff_json *j, const struct row *w, int p)
{
	const struct result *r = &w->r[p];

	if (!w->have[p]) {
		aoff_json_null(j, path_name[p]);
		return;
	}
	aoff_json_begin_object(j, path_name[p]);
	aoff_json_uint(j, "ops", r->ops);
	aoff_json_double(j, "seconds", r->secs, 3);
	aoff_json_double(j, "ops_per_sec", rate(r), 1);
	aoff_json_double(j, "mb_per_sec", mbps(r), 2);
	aoff_json_uint(j, "lat_p50_ns", r->p50);
	aoff_json_uint(j, "lat_p99_ns", r->p99);
	aoff_json_double(j, "cpu_ns_per_op", per_op(r->cpu_ns, r->ops), 1);
	aoff_json_double(j, "ops_per_sec_min", w->lo[p], 1);
	aoff_json_double(j, "ops_per_sec_max", w->hi[p], 1);
	if (r->other_cpu_known)
		aoff_json_double(j, "other_cpu_ns_per_op",
				 per_op(r->other_cpu_ns, r->ops), 1);
	/* Only the bridge counts its system calls. */
	if (p == P_AOFF)
		aoff_json_double(j, "syscalls_per_op",
				 per_op(r->syscalls, r->ops), 4);
	aoff_json_end_object(j);
}

static void json_ratio(struct aoff_json *j, const char *key,
		       const struct row *w, int p)
{
	if (w->have[P_AOFF] && w->have[p] && rate(&w->r[p]) > 0)
		aoff_json_double(j, key, rate(&w->r[P_AOFF]) / rate(&w->r[p]),
				 3);
	else
		aoff_json_null(j, key);
}

struct env {
	char kernel[128];
	char cmdline[1024];	/* the guest's, so a reader sees its settings */
	char clocksource[64];	/* hpet: every clock_gettime is a syscall */
	int idle_poll;
	long long latency_ns, ns_per_kib, engines, frames, usecs, sq_poll;
};

/* The first line of @path, without its newline; "?" when unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f || !fgets(buf, (int)len, f))
		snprintf(buf, len, "?");
	else
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

static void read_env(const struct opts *o, struct env *v)
{
	struct utsname u;

	read_line("/proc/cmdline", v->cmdline, sizeof(v->cmdline));
	read_line("/sys/devices/system/clocksource/clocksource0/"
		  "current_clocksource", v->clocksource,
		  sizeof(v->clocksource));
	v->idle_poll = !!strstr(v->cmdline, "idle=poll");
	snprintf(v->kernel, sizeof(v->kernel), "%s",
		 uname(&u) ? "?" : u.release);
	v->latency_ns = bench_sysfs_get(o->dev, "latency_ns");
	v->ns_per_kib = bench_sysfs_get(o->dev, "ns_per_kib");
	v->engines = bench_sysfs_get(o->dev, "engines");
	v->frames = bench_sysfs_get(o->dev, "coalesce_frames");
	v->usecs = bench_sysfs_get(o->dev, "coalesce_usecs");
	v->sq_poll = bench_sysfs_get(o->dev, "sq_poll_usecs");
}

static void json_model(struct aoff_json *j, const struct env *v)
{
	aoff_json_begin_object(j, "model");
	aoff_json_int(j, "latency_ns", v->latency_ns);
	aoff_json_int(j, "ns_per_kib", v->ns_per_kib);
	aoff_json_int(j, "engines", v->engines);
	aoff_json_int(j, "coalesce_frames", v->frames);
	aoff_json_int(j, "coalesce_usecs", v->usecs);
	aoff_json_int(j, "sq_poll_usecs", v->sq_poll);
	aoff_json_end_object(j);
}

static void json_row(struct aoff_json *j, const struct row *w)
{
	aoff_json_begin_object(j, NULL);
	aoff_json_uint(j, "size", w->size);
	aoff_json_bool(j, "verified", w->verified);
	for (int p = 0; p < NR_PATHS; p++)
		json_path(j, w, p);
	json_ratio(j, "asyncoff_vs_afalg", w, P_AFALG);
	json_ratio(j, "asyncoff_vs_software", w, P_SOFT);
	aoff_json_end_object(j);
}

static void print_json(const struct opts *o, const struct env *v,
		       const char *afalg_why, const struct row *rows,
		       unsigned int n)
{
	int sq = bench_sqpoll_state();
	struct aoff_json j;

	aoff_json_init(&j, stdout, 0);
	aoff_json_begin_object(&j, NULL);
	aoff_json_string(&j, "mode", "compare");
	aoff_json_string(&j, "op", o->op);
	aoff_json_uint(&j, "jobs", o->jobs);
	aoff_json_double(&j, "seconds", o->seconds, 3);
	aoff_json_uint(&j, "rounds", o->rounds);
	aoff_json_string(&j, "async", bench_async_impl);
	aoff_json_string(&j, "kernel", v->kernel);
	aoff_json_string(&j, "cmdline", v->cmdline);
	aoff_json_string(&j, "clocksource", v->clocksource);
	aoff_json_bool(&j, "idle_poll", v->idle_poll);
	aoff_json_string(&j, "device", o->dev);
	if (sq < 0)
		aoff_json_null(&j, "sqpoll");
	else
		aoff_json_bool(&j, "sqpoll", sq);
	json_model(&j, v);
	aoff_json_begin_object(&j, "afalg");
	aoff_json_bool(&j, "available", !afalg_why[0]);
	if (afalg_why[0])
		aoff_json_string(&j, "reason", afalg_why);
	else
		aoff_json_null(&j, "reason");
	aoff_json_end_object(&j);
	aoff_json_begin_array(&j, "results");
	for (unsigned int i = 0; i < n; i++)
		json_row(&j, &rows[i]);
	aoff_json_end_array(&j);
	aoff_json_end_object(&j);
	printf("\n");
}

static void print_header(const struct opts *o, const struct env *v,
			 const char *afalg_why)
{
	printf("asyncoff-bench --compare: %s encryption, %u async jobs, %.1f s "
	       "per path and size", o->op, o->jobs, o->seconds);
	if (o->rounds > 1)
		printf(", median of %u rounds", o->rounds);
	printf("\n");
	printf("guest: %s; clocksource %s\n", v->cmdline, v->clocksource);
	printf("kernel %s%s; ASYNC: %s; %s: latency_ns %lld, ns_per_kib %lld, "
	       "engines %lld, coalesce %lld frames/%lld us, sq_poll_usecs %lld\n",
	       v->kernel, v->idle_poll ? " (idle=poll)" : "", bench_async_impl,
	       o->dev, v->latency_ns, v->ns_per_kib, v->engines, v->frames,
	       v->usecs, v->sq_poll);
	if (afalg_why[0])
		printf("afalg: unavailable (%s)\n", afalg_why);
	else
		printf("afalg: OpenSSL's afalg engine, kernel cbc(aes) over "
		       "AF_ALG\n");
	printf("%7s %12s %8s %12s %8s %12s %8s %8s %8s %s\n", "bytes",
	       "asyncoff/s", "MB/s", "afalg/s", "MB/s", "software/s", "MB/s",
	       "x afalg", "x sw", "output");
}

static void print_row(const struct row *w)
{
	char ra[16] = "-", rs[16] = "-", fa[16] = "-", fm[16] = "-";

	if (w->have[P_AFALG]) {
		snprintf(fa, sizeof(fa), "%.0f", rate(&w->r[P_AFALG]));
		snprintf(fm, sizeof(fm), "%.2f", mbps(&w->r[P_AFALG]));
		if (rate(&w->r[P_AFALG]) > 0)
			snprintf(ra, sizeof(ra), "%.2f", rate(&w->r[P_AOFF]) /
				 rate(&w->r[P_AFALG]));
	}
	if (rate(&w->r[P_SOFT]) > 0)
		snprintf(rs, sizeof(rs), "%.2f",
			 rate(&w->r[P_AOFF]) / rate(&w->r[P_SOFT]));
	printf("%7zu %12.0f %8.2f %12s %8s %12.0f %8.2f %8s %8s %s\n", w->size,
	       rate(&w->r[P_AOFF]), mbps(&w->r[P_AOFF]), fa, fm,
	       rate(&w->r[P_SOFT]), mbps(&w->r[P_SOFT]), ra, rs,
	       w->verified ? "verified" : "MISMATCH");
	fflush(stdout);
}

/* The slowest and fastest round of each path, per size. */
static void print_spread(const struct row *rows, unsigned int n)
{
	printf("rounds, ops/s min-max:");
	for (unsigned int i = 0; i < n; i++) {
		printf("\n%7zu", rows[i].size);
		for (int p = 0; p < NR_PATHS; p++)
			if (rows[i].have[p])
				printf("  %s %.0f-%.0f", path_name[p],
				       rows[i].lo[p], rows[i].hi[p]);
	}
	printf("\n");
}

static int write_plot(const struct opts *o, const struct env *v,
		      const struct row *rows, unsigned int n)
{
	double x[BENCH_MAX_SIZES], y[NR_PATHS][BENCH_MAX_SIZES];
	struct plot_series s[NR_PATHS];
	char title[256];
	unsigned int k = 0;
	int ret;

	for (int p = 0; p < NR_PATHS; p++) {
		if (!rows[0].have[p])
			continue;
		for (unsigned int i = 0; i < n; i++) {
			x[i] = (double)rows[i].size;
			y[p][i] = rows[i].have[p] ? rate(&rows[i].r[p]) : 0;
		}
		s[k++] = (struct plot_series){ .name = path_name[p], .n = n,
					       .x = x, .y = y[p] };
	}
	int sq = bench_sqpoll_state();

	snprintf(title, sizeof(title), "%s encryption, %u async jobs%s "
		 "(Linux %s%s)", o->op, o->jobs, sq < 0 ? "" : sq ?
		 ", SQPOLL" : ", doorbells", v->kernel,
		 v->idle_poll ? ", idle=poll" : "");
	ret = bench_plot_svg(o->plot, title, "bytes per operation",
			     "operations per second", s, k);
	if (ret)
		fprintf(stderr, "asyncoff-bench: %s: %s\n", o->plot,
			strerror(-ret));
	return ret;
}

static void afalg_slots_free(struct afalg_slot *slots, unsigned int n)
{
	for (unsigned int i = 0; slots && i < n; i++) {
		EVP_CIPHER_CTX_free(slots[i].ctx);
		free(slots[i].out);
	}
	free(slots);
}

/*
 * @n fresh afalg cipher contexts.  Fresh for every size: the engine ties a
 * context's AIO to the eventfd of the wait ctx it first ran in, and the
 * wait ctxs live for one measurement.
 */
static struct afalg_slot *afalg_slots(const EVP_CIPHER *cipher, ENGINE *e,
				      unsigned int n, size_t size,
				      void **ptrs, char *why, size_t len)
{
	struct afalg_slot *slots = calloc(n, sizeof(*slots));

	for (unsigned int i = 0; slots && i < n; i++) {
		slots[i].ctx = new_cipher_ctx(cipher, e);
		slots[i].out = malloc(size);
		ptrs[i] = &slots[i];
		if (!slots[i].ctx || !slots[i].out) {
			ssl_reason(why, len, "afalg cipher context");
			afalg_slots_free(slots, n);
			return NULL;
		}
	}
	if (!slots)
		snprintf(why, len, "out of memory");
	return slots;
}

/* Path @p's rounds of one size, and the median of them into @w. */
struct rounds {
	struct result r[NR_PATHS][BENCH_MAX_ROUNDS];
	unsigned int n[NR_PATHS];
};

static void keep_round(struct rounds *rs, int p, const struct result *t)
{
	if (rs->n[p] < BENCH_MAX_ROUNDS)
		rs->r[p][rs->n[p]++] = *t;
}

static int by_rate(const void *a, const void *b)
{
	double x = rate(a), y = rate(b);

	return (x > y) - (x < y);
}

static void take_median(struct row *w, struct rounds *rs, int p)
{
	unsigned int n = rs->n[p];

	if (!n)
		return;
	qsort(rs->r[p], n, sizeof(rs->r[p][0]), by_rate);
	/* An even count takes the lower middle: a real round, not a mean. */
	w->r[p] = rs->r[p][(n - 1) / 2];
	w->lo[p] = rate(&rs->r[p][0]);
	w->hi[p] = rate(&rs->r[p][n - 1]);
	w->have[p] = 1;
}

/* One size: verify both offload paths, then time the three. */
static int compare_size(const struct opts *o, const EVP_CIPHER *cipher,
			ENGINE *e, void **slot_ptrs, uint8_t *want,
			uint8_t *got, char *why, size_t why_len,
			struct row *w)
{
	struct cmp_common cc = { .cipher = cipher, .size = (int)w->size };
	struct job_args *a = bench_job_args(o->op, (uint32_t)w->size);
	struct bench_call call = { .common = a, .out = got };
	EVP_CIPHER_CTX *soft = new_cipher_ctx(cipher, NULL);
	struct afalg_slot *slots = NULL, *one = NULL;
	struct rounds *rs = calloc(1, sizeof(*rs));
	struct opts so = *o;
	int r, len, ret = -EIO;

	so.size = w->size;
	w->verified = 1;
	/* The reference: software from a fresh context. */
	if (!rs || !a || !soft || !EVP_EncryptUpdate(soft, want, &len,
					      bench_plaintext(0), cc.size)) {
		fprintf(stderr, "asyncoff-bench: software %s failed\n", o->op);
		goto out;
	}
	EVP_CIPHER_CTX_free(soft);
	soft = new_cipher_ctx(cipher, NULL);

	memset(got, 0, w->size);
	r = bench_run_one(bench_job, &call);
	if (r != 1) {
		fprintf(stderr, "asyncoff-bench: asyncoff %s: %s%s\n", o->op,
			r < 0 ? strerror(-r) : "failed", r == -ENOENT ?
			" (is the module loaded? insmod asyncoff.ko)" : "");
		goto out;
	}
	if (memcmp(got, want, w->size)) {
		fprintf(stderr, "asyncoff-bench: asyncoff %s of %zu bytes "
			"differs from software\n", o->op, w->size);
		w->verified = 0;
	}
	if (!why[0]) {
		void *p1;

		one = afalg_slots(cipher, e, 1, w->size, &p1, why, why_len);
		call = (struct bench_call){ .common = &cc, .slot = one,
					    .out = got };
		memset(got, 0, w->size);
		if (one && bench_run_one(afalg_job, &call) != 1) {
			snprintf(why, why_len, "encryption failed");
		} else if (one && memcmp(got, want, w->size)) {
			fprintf(stderr, "asyncoff-bench: afalg %s of %zu bytes "
				"differs from software\n", o->op, w->size);
			w->verified = 0;
		}
	}

	/*
	 * --rounds: the three paths take turns, so that a burst of load from
	 * elsewhere on the machine hits one round of one path rather than a
	 * whole column; each reports its median round, with min and max.
	 */
	for (unsigned int round = 0; round < o->rounds; round++) {
		struct result t;

		r = bench_drive(&so, o->jobs, bench_job, a, NULL, "asyncoff",
				&t);
		if (r) {
			fprintf(stderr, "asyncoff-bench: asyncoff: %s\n",
				strerror(-r));
			ret = r;
			goto out;
		}
		keep_round(rs, P_AOFF, &t);

		/* Fresh contexts: afalg's are tied to their wait ctxs. */
		if (!why[0])
			slots = afalg_slots(cipher, e, o->jobs, w->size,
					    slot_ptrs, why, why_len);
		if (slots) {
			r = bench_drive(&so, o->jobs, afalg_job, &cc,
					slot_ptrs, "afalg", &t);
			if (r)
				snprintf(why, why_len, "failed during the run: "
					 "%s", strerror(-r));
			else
				keep_round(rs, P_AFALG, &t);
			afalg_slots_free(slots, o->jobs);
			slots = NULL;
		}

		r = soft ? run_soft(&so, soft, cc.size, got, &t) : -ENOMEM;
		if (r) {
			fprintf(stderr, "asyncoff-bench: software: %s\n",
				strerror(-r));
			ret = r;
			goto out;
		}
		keep_round(rs, P_SOFT, &t);
	}
	for (int p = 0; p < NR_PATHS; p++)
		take_median(w, rs, p);
	ret = 0;
out:
	free(rs);
	afalg_slots_free(one, 1);
	afalg_slots_free(slots, o->jobs);
	EVP_CIPHER_CTX_free(soft);
	free(a);
	return ret;
}

int bench_compare(const struct opts *o)
{
	const EVP_CIPHER *cipher = !strcmp(o->op, "aes-256-cbc") ?
				   EVP_aes_256_cbc() : EVP_aes_128_cbc();
	void **slot_ptrs = calloc(o->jobs, sizeof(*slot_ptrs));
	struct row *rows = calloc(o->nr_sizes, sizeof(*rows));
	uint8_t *want = NULL, *got = NULL;
	char why[256] = "";
	size_t max = 0;
	ENGINE *e = NULL;
	struct env v;
	int ret = 1, bad = 0;

	for (unsigned int i = 0; i < o->nr_sizes; i++)
		max = o->sizes[i] > max ? o->sizes[i] : max;
	read_env(o, &v);
	want = malloc(max);
	got = malloc(max);
	if (!rows || !slot_ptrs || !want || !got || !bench_plaintext(max) ||
	    !ASYNC_init_thread(o->jobs + 1, 0)) {
		fprintf(stderr, "asyncoff-bench: out of memory\n");
		goto out;
	}
	e = afalg_open(cipher, why, sizeof(why));
	if (!o->json)
		print_header(o, &v, why);
	/*
	 * Warm-up, not measured: the first jobs of a process pay for the
	 * pool's stacks, page faults and the device's first contexts, which
	 * would all land on the first size's asyncoff figure.
	 */
	{
		struct opts wo = *o;
		struct job_args *a = bench_job_args(o->op, 16);
		struct result wr;

		wo.seconds = o->seconds < 0.2 ? o->seconds : 0.2;
		wo.quiet = 1;
		if (!a || bench_drive(&wo, o->jobs, bench_job, a, NULL, "warm-up",
				      &wr)) {
			free(a);
			fprintf(stderr, "asyncoff-bench: asyncoff warm-up failed "
				"(is the module loaded?)\n");
			goto out;
		}
		free(a);
	}
	for (unsigned int i = 0; i < o->nr_sizes; i++) {
		rows[i].size = o->sizes[i];
		if (compare_size(o, cipher, e, slot_ptrs, want, got, why,
				 sizeof(why), &rows[i]))
			goto out;
		bad |= !rows[i].verified;
		if (!o->json)
			print_row(&rows[i]);
	}
	if (o->json) {
		print_json(o, &v, why, rows, o->nr_sizes);
	} else {
		int sq = bench_sqpoll_state();

		printf("asyncoff: the bridge's contexts %s\n", sq < 0 ?
		       "(SQPOLL unknown)" : sq ? "with SQPOLL (no doorbell "
		       "while the device watches)" : "with a doorbell per "
		       "request (no SQPOLL)");
		if (why[0])
			printf("afalg: %s\n", why);
		if (o->rounds > 1)
			print_spread(rows, o->nr_sizes);
	}
	ret = bad;
	if (o->plot && write_plot(o, &v, rows, o->nr_sizes))
		ret = 1;
out:
	if (e) {
		ENGINE_finish(e);
		ENGINE_free(e);
	}
	free(slot_ptrs);
	free(rows);
	free(want);
	free(got);
	return ret;
}

#endif
