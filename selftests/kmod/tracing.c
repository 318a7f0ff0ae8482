// SPDX-License-Identifier: Apache-2.0
/*
 * The driver's tracepoints (kmod/trace.h) through tracefs: enabled in a
 * trace instance of our own (so nobody else's tracing is disturbed), a
 * batch of requests gives exactly one submit, start and complete record
 * each, with the opcode, lengths, user data, result and a service time
 * no shorter than the modelled latency; failed requests report their
 * errno; interrupts report how many CQEs they cover; a reset reports the
 * context it broke; and with the events off nothing is recorded.
 */
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

#define TRACEFS		"/sys/kernel/tracing"
#define INSTANCE	TRACEFS "/instances/aoff_selftest"
#define NREQ		48
#define UD_BASE		0xa0ff000000000000ull
#define LATENCY_NS	200000ull

struct rec {
	char ctx[32];
	unsigned int opcode, in_len, out_len, engine, cqes;
	unsigned long long ud, service_ns;
	int res;
};

static int write_file(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -errno;
	ok = fputs(val, f) >= 0;
	if (fclose(f) || !ok)
		return -EIO;
	return 0;
}

/* Mounts tracefs where the kernel expects it when nothing has yet. */
static int tracefs_ready(void)
{
	if (access(TRACEFS "/instances", F_OK) == 0)
		return 0;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL))
		return -errno;
	return access(TRACEFS "/instances", F_OK) ? -errno : 0;
}

static int events(int on)
{
	return write_file(INSTANCE "/events/asyncoff/enable", on ? "1" : "0");
}

/* Reads the instance's buffer whole (the events are off by then). */
static char *read_trace(void)
{
	size_t len = 0, cap = 1 << 16, n;
	FILE *f = fopen(INSTANCE "/trace", "r");
	char *buf = malloc(cap);

	if (!f || !buf) {
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
	}
	buf[len] = 0;
	fclose(f);
	return buf;
}

/* Every record of @event (e.g. "aoff_req_submit") in @trace, into @out. */
static unsigned int parse(const char *trace, const char *event,
			  struct rec *out, unsigned int max)
{
	char tag[64];
	const char *p = trace;
	unsigned int n = 0;

	snprintf(tag, sizeof(tag), " %s: ", event);
	while ((p = strstr(p, tag)) && n < max) {
		struct rec *r = &out[n];
		const char *f = p + strlen(tag);
		int ok = 0;

		memset(r, 0, sizeof(*r));
		if (!strcmp(event, "aoff_req_submit"))
			ok = sscanf(f, "dev=%*u ctx=%31s opcode=%u in_len=%u out_len=%u user_data=%llx",
				    r->ctx, &r->opcode, &r->in_len, &r->out_len,
				    &r->ud) == 5;
		else if (!strcmp(event, "aoff_req_start"))
			ok = sscanf(f, "ctx=%31s opcode=%u engine=%u user_data=%llx",
				    r->ctx, &r->opcode, &r->engine, &r->ud) == 4;
		else if (!strcmp(event, "aoff_req_complete"))
			ok = sscanf(f, "ctx=%31s opcode=%u user_data=%llx res=%d service_ns=%llu",
				    r->ctx, &r->opcode, &r->ud, &r->res,
				    &r->service_ns) == 5;
		else if (!strcmp(event, "aoff_irq"))
			ok = sscanf(f, "ctx=%31s cqes=%u", r->ctx, &r->cqes) == 2;
		else if (!strcmp(event, "aoff_ctx_broken"))
			ok = sscanf(f, "dev=%*u ctx=%31s", r->ctx) == 1;
		/* A record we cannot read is one the test must not miss. */
		r->opcode = ok ? r->opcode : ~0u;
		n++;
		p = f;
	}
	return n;
}

/* The record with user data @ud, or NULL; *count says how many had it. */
static const struct rec *find(const struct rec *v, unsigned int n,
			      unsigned long long ud, unsigned int *count)
{
	const struct rec *hit = NULL;
	unsigned int i;

	*count = 0;
	for (i = 0; i < n; i++) {
		if (v[i].ud == ud) {
			hit = &v[i];
			(*count)++;
		}
	}
	return hit;
}

FIXTURE(tracing) {
	struct aoff_ring r;
	long long saved[AOFF_NPARAMS];
	struct rec *recs;
};

FIXTURE_SETUP(tracing)
{
	int ret;

	AOFF_REQUIRE_DEVICE(_metadata);
	if (geteuid())
		SKIP(return, "needs root for tracefs and sysfs");
	ret = tracefs_ready();
	if (ret)
		SKIP(return, "no tracefs at " TRACEFS ": %s", strerror(-ret));
	rmdir(INSTANCE);
	ASSERT_EQ(0, mkdir(INSTANCE, 0700)) TH_LOG("mkdir %s: %m", INSTANCE);
	ASSERT_EQ(0, access(INSTANCE "/events/asyncoff/aoff_req_submit/format",
			    R_OK)) TH_LOG("the module registered no asyncoff events");
	ASSERT_EQ(0, write_file(INSTANCE "/buffer_size_kb", "2048"));
	aoff_params_save(self->saved);
	self->recs = calloc(4 * NREQ, sizeof(*self->recs));
	ASSERT_NE(NULL, self->recs);
	ASSERT_EQ(0, aoff_ring_init(&self->r, 64, 128, 1 << 16));
}

FIXTURE_TEARDOWN(tracing)
{
	aoff_ring_exit(&self->r);
	if (access(INSTANCE, F_OK) == 0) {
		events(0);
		rmdir(INSTANCE);
	}
	aoff_params_restore(self->saved);
	free(self->recs);
}

/* Submits @n NOPs with user data UD_BASE + i and reaps them all. */
static unsigned int run_nops(struct aoff_ring *r, unsigned int n,
			     struct aoff_cqe *cqe)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!aoff_prep_nop(r, UD_BASE + i))
			return 0;
	return aoff_drain(r, cqe, n);
}

TEST_F(tracing, one_record_each_with_fields)
{
	struct aoff_cqe cqe[NREQ];
	struct rec *s = self->recs, *st = s + NREQ, *c = st + NREQ;
	unsigned int ns, nst, nc, i, k;
	char *trace;

	ASSERT_EQ(0, aoff_sysfs_set("latency_ns", LATENCY_NS));
	ASSERT_EQ(0, events(1));
	ASSERT_EQ(NREQ, run_nops(&self->r, NREQ, cqe));
	ASSERT_EQ(0, events(0));
	trace = read_trace();
	ASSERT_NE(NULL, trace);

	ns = parse(trace, "aoff_req_submit", s, NREQ + 1);
	nst = parse(trace, "aoff_req_start", st, NREQ + 1);
	nc = parse(trace, "aoff_req_complete", c, NREQ + 1);
	EXPECT_EQ(NREQ, ns);
	EXPECT_EQ(NREQ, nst);
	EXPECT_EQ(NREQ, nc);
	for (i = 0; i < NREQ; i++) {
		unsigned long long ud = UD_BASE + i;
		const struct rec *a = find(s, ns, ud, &k);

		ASSERT_EQ(1, k) TH_LOG("submit records of 0x%llx", ud);
		EXPECT_EQ(AOFF_OP_NOP, a->opcode);
		EXPECT_EQ(0, a->in_len);
		EXPECT_EQ(0, a->out_len);
		EXPECT_STREQ(s[0].ctx, a->ctx);

		a = find(st, nst, ud, &k);
		ASSERT_EQ(1, k) TH_LOG("start records of 0x%llx", ud);
		EXPECT_EQ(AOFF_OP_NOP, a->opcode);
		EXPECT_LT(a->engine, 64);
		EXPECT_STREQ(s[0].ctx, a->ctx);

		a = find(c, nc, ud, &k);
		ASSERT_EQ(1, k) TH_LOG("complete records of 0x%llx", ud);
		EXPECT_EQ(AOFF_OP_NOP, a->opcode);
		EXPECT_EQ(0, a->res);
		/* The model holds each result at least latency_ns. */
		EXPECT_GE(a->service_ns, LATENCY_NS);
		EXPECT_LT(a->service_ns, 10000000000ull);
		EXPECT_STREQ(s[0].ctx, a->ctx);
	}
	free(trace);
}

TEST_F(tracing, errors_and_interrupts)
{
	struct aoff_cqe cqe[NREQ];
	struct rec *c = self->recs, *irq = c + NREQ;
	unsigned int nc, ni, i, k, sum = 0, failed = 0;
	char *trace;

	ASSERT_EQ(0, aoff_sysfs_set("fail_every", 2));
	ASSERT_EQ(0, aoff_sysfs_set("coalesce_frames", 4));
	ASSERT_EQ(0, aoff_sysfs_set("coalesce_usecs", 1000));
	ASSERT_EQ(0, events(1));
	ASSERT_EQ(NREQ, run_nops(&self->r, NREQ, cqe));
	ASSERT_EQ(0, events(0));
	trace = read_trace();
	ASSERT_NE(NULL, trace);

	nc = parse(trace, "aoff_req_complete", c, NREQ + 1);
	ASSERT_EQ(NREQ, nc);
	/* Each record's result is the one its CQE carried. */
	for (i = 0; i < NREQ; i++) {
		const struct rec *a = find(c, nc, cqe[i].user_data, &k);

		ASSERT_EQ(1, k);
		EXPECT_EQ(cqe[i].res, a->res);
		failed += a->res == -EIO;
	}
	EXPECT_EQ(NREQ / 2, failed);

	ni = parse(trace, "aoff_irq", irq, 3 * NREQ);
	EXPECT_GT(ni, 0);
	for (i = 0; i < ni; i++) {
		EXPECT_GE(irq[i].cqes, 1);
		EXPECT_LE(irq[i].cqes, 4);
		EXPECT_STREQ(c[0].ctx, irq[i].ctx);
		sum += irq[i].cqes;
	}
	/* An interrupt already pending carries more CQEs than it reports. */
	EXPECT_LE(sum, NREQ);
	EXPECT_GE(ni, NREQ / 4 / 2);
	free(trace);
}

TEST_F(tracing, reset_reports_the_context)
{
	struct aoff_cqe cqe[1];
	struct rec *s = self->recs, *b = s + NREQ;
	unsigned int nb;
	char *trace;

	ASSERT_EQ(0, events(1));
	ASSERT_EQ(1, run_nops(&self->r, 1, cqe));
	ASSERT_EQ(0, aoff_sysfs_write("reset", "1"));
	ASSERT_EQ(0, events(0));
	trace = read_trace();
	ASSERT_NE(NULL, trace);
	ASSERT_EQ(1, parse(trace, "aoff_req_submit", s, NREQ));
	nb = parse(trace, "aoff_ctx_broken", b, NREQ);
	ASSERT_EQ(1, nb);
	EXPECT_STREQ(s[0].ctx, b[0].ctx);
	free(trace);
}

TEST_F(tracing, nothing_recorded_when_off)
{
	struct aoff_cqe cqe[NREQ];
	char *trace;

	ASSERT_EQ(0, events(1));
	ASSERT_EQ(0, events(0));
	ASSERT_EQ(NREQ, run_nops(&self->r, NREQ, cqe));
	trace = read_trace();
	ASSERT_NE(NULL, trace);
	EXPECT_EQ(NULL, strstr(trace, " aoff_"));
	free(trace);
}

TEST_HARNESS_MAIN
