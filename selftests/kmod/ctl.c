// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoffctl against the real device: status (text and JSON), set,
 * fault, reset, and its errors (unknown parameter, bad value, missing
 * device).  AOFF_CTL names the binary (default: build/bin/asyncoffctl
 * next to this test's build directory).
 */
#include <limits.h>
#include <stdio.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "aoff_test.h"

static char ctl[PATH_MAX + 64];

/* Runs asyncoffctl ARGS; returns its exit status, output in @out. */
static int run_ctl(const char *args, char *out, size_t len)
{
	char cmd[PATH_MAX + 1024];
	size_t n = 0;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", ctl, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out) {
		n = fread(out, 1, len - 1, p);
		out[n] = 0;
	} else {
		char sink[4096];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

FIXTURE(ctl) {
	long long saved[AOFF_NPARAMS];
	char dev[64];
	char out[16384];
};

FIXTURE_SETUP(ctl)
{
	const char *env = getenv("AOFF_CTL");
	char self_path[PATH_MAX];
	ssize_t n;

	AOFF_REQUIRE_DEVICE(_metadata);
	if (geteuid())
		SKIP(return, "needs root to write sysfs");
	if (env) {
		snprintf(ctl, sizeof(ctl), "%.*s", PATH_MAX, env);
	} else {
		n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
		ASSERT_GT(n, 0);
		self_path[n] = 0;
		*strrchr(self_path, '/') = 0;
		snprintf(ctl, sizeof(ctl), "%.*s/../../bin/asyncoffctl",
			 PATH_MAX - 32, self_path);
	}
	if (access(ctl, X_OK))
		SKIP(return, "asyncoffctl not built (make -C tools/asyncoffctl)");
	snprintf(self->dev, sizeof(self->dev), "%.60s",
		 strrchr(aoff_dev_path(), '/') + 1);
	aoff_params_save(self->saved);
}

FIXTURE_TEARDOWN(ctl)
{
	aoff_params_restore(self->saved);
}

TEST_F(ctl, help)
{
	EXPECT_EQ(0, run_ctl("--help", self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "usage:"));
	EXPECT_EQ(2, run_ctl("", NULL, 0));
	EXPECT_EQ(2, run_ctl("frobnicate", self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "unknown command"));
}

TEST_F(ctl, status)
{
	char args[128];

	ASSERT_EQ(0, run_ctl("status", self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, self->dev));
	EXPECT_NE(NULL, strstr(self->out, "submitted"));
	EXPECT_NE(NULL, strstr(self->out, "latency_ns"));
	EXPECT_NE(NULL, strstr(self->out, "sq_poll_usecs"));
	EXPECT_NE(NULL, strstr(self->out, "sq_polled"));
	snprintf(args, sizeof(args), "status %s --json", self->dev);
	ASSERT_EQ(0, run_ctl(args, self->out, sizeof(self->out)));
	EXPECT_EQ(0, strncmp(self->out, "{\"devices\":[{\"name\":\"", 21));
	EXPECT_NE(NULL, strstr(self->out, "\"statistics\":{\"submitted\":"));
	/* Per operation class, the public-key one's model parameters. */
	EXPECT_NE(NULL, strstr(self->out, "\"classes\":{\"sym_submitted\":"));
	EXPECT_NE(NULL, strstr(self->out, "\"pk_errors\":"));
	EXPECT_NE(NULL, strstr(self->out, "\"pk_latency_ns\":"));
	/* A device that does not exist. */
	EXPECT_EQ(1, run_ctl("status asyncoff63", self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "no such device"));
	EXPECT_EQ(2, run_ctl("status nonsense", NULL, 0));
}

TEST_F(ctl, set_and_fault)
{
	char args[256];

	snprintf(args, sizeof(args), "set %s latency_ns=1234 coalesce-frames=7", self->dev);
	ASSERT_EQ(0, run_ctl(args, self->out, sizeof(self->out))) TH_LOG("%s", self->out);
	EXPECT_EQ(1234, aoff_sysfs_get("latency_ns"));
	EXPECT_EQ(7, aoff_sysfs_get("coalesce_frames"));
	snprintf(args, sizeof(args), "set %s sq-poll-usecs=250", self->dev);
	ASSERT_EQ(0, run_ctl(args, self->out, sizeof(self->out))) TH_LOG("%s", self->out);
	EXPECT_EQ(250, aoff_sysfs_get("sq_poll_usecs"));
	snprintf(args, sizeof(args), "set %s sq_poll_usecs=0", self->dev);
	EXPECT_EQ(1, run_ctl(args, self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "sq_poll_usecs"));
	EXPECT_EQ(250, aoff_sysfs_get("sq_poll_usecs"));
	/* Unknown parameter, not a number: usage errors, nothing written. */
	snprintf(args, sizeof(args), "set %s latency_ns=5 bogus=1", self->dev);
	EXPECT_EQ(2, run_ctl(args, self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "bogus"));
	EXPECT_EQ(1234, aoff_sysfs_get("latency_ns"));
	snprintf(args, sizeof(args), "set %s latency_ns=abc", self->dev);
	EXPECT_EQ(2, run_ctl(args, self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "latency_ns"));
	/* Out of range: the driver refuses, the tool says which. */
	snprintf(args, sizeof(args), "set %s engines=65", self->dev);
	EXPECT_EQ(1, run_ctl(args, self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "engines"));
	EXPECT_EQ(1, run_ctl("set asyncoff63 engines=1", self->out, sizeof(self->out)));
	EXPECT_NE(NULL, strstr(self->out, "no such device"));

	snprintf(args, sizeof(args), "fault %s fail-every=5 fail_ppm=10", self->dev);
	ASSERT_EQ(0, run_ctl(args, self->out, sizeof(self->out))) TH_LOG("%s", self->out);
	EXPECT_EQ(5, aoff_sysfs_get("fail_every"));
	EXPECT_EQ(10, aoff_sysfs_get("fail_ppm"));
	snprintf(args, sizeof(args), "fault %s off", self->dev);
	ASSERT_EQ(0, run_ctl(args, NULL, 0));
	EXPECT_EQ(0, aoff_sysfs_get("fail_every"));
	EXPECT_EQ(0, aoff_sysfs_get("fail_ppm"));
	snprintf(args, sizeof(args), "fault %s latency_ns=1", self->dev);
	EXPECT_EQ(2, run_ctl(args, NULL, 0));
}

TEST_F(ctl, reset)
{
	long long r0 = aoff_sysfs_get("resets");
	struct aoff_ring r;
	char args[128];

	ASSERT_EQ(0, aoff_ring_init(&r, 8, 16, 4096));
	snprintf(args, sizeof(args), "reset /dev/%s", self->dev);
	ASSERT_EQ(0, run_ctl(args, self->out, sizeof(self->out))) TH_LOG("%s", self->out);
	EXPECT_EQ(r0 + 1, aoff_sysfs_get("resets"));
	EXPECT_TRUE(*r.status & AOFF_STATUS_BROKEN);
	aoff_ring_exit(&r);
	EXPECT_EQ(1, run_ctl("reset asyncoff63", NULL, 0));
}

TEST_HARNESS_MAIN
