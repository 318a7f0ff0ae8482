/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the provider's C tests share: one TAP line per test with the
 * file's prefix (PTEST_PREFIX, defined before this header), the failure
 * message and the skip reason of the test being reported, a seeded
 * xorshift64* generator, a look for a reason on OpenSSL's error queue,
 * the device's sysfs (the "submitted" counter, fault injection) and a hex
 * parser for the vector files.
 */
#ifndef PTEST_H
#define PTEST_H

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <openssl/err.h>

#include "aoff/sysfs.h"

#ifndef PTEST_PREFIX
#error "define PTEST_PREFIX (the TAP names' prefix) before ptest.h"
#endif

static int test_no;
static char failmsg[512];
/* Set by a test that skipped, cleared by report(). */
static const char *skip_reason __attribute__((unused));
/* Reproducible from the seed each test file prints in its TAP output. */
static unsigned long long rng_state __attribute__((unused));

static inline unsigned long long rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static inline size_t rnd_below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static inline void rnd_fill(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)rnd();
}

/* Keeps the reason for the next report(); returns 0 (failed). */
static inline int fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(failmsg, sizeof(failmsg), fmt, ap);
	va_end(ap);
	return 0;
}

/* One TAP line; a failure first prints its reason and the error queue. */
static inline void report(const char *name, int ok)
{
	test_no++;
	if (ok && skip_reason) {
		printf("ok %d " PTEST_PREFIX ": %s # SKIP %s\n", test_no, name,
		       skip_reason);
	} else if (ok) {
		printf("ok %d " PTEST_PREFIX ": %s\n", test_no, name);
	} else {
		printf("# %s\n", failmsg);
		ERR_print_errors_fp(stdout);
		printf("not ok %d " PTEST_PREFIX ": %s\n", test_no, name);
	}
	skip_reason = NULL;
	ERR_clear_error();
	failmsg[0] = 0;
	fflush(stdout);
}

/* Some error on the queue has @what in its reason string; empties it. */
static inline int has_reason(const char *what)
{
	unsigned long e;
	const char *r;
	int found = 0;

	while ((e = ERR_get_error())) {
		r = ERR_reason_error_string(e);
		if (r && strstr(r, what))
			found = 1;
	}
	return found;
}

/* The device under test, for the sysfs helpers of aoff/sysfs.h. */
#define PTEST_DEV	"asyncoff0"

/* Write @val to the device's attribute @attr; 1 if it took it. */
static inline int sysfs_write(const char *attr, const char *val)
{
	return !aoff_attr_write(PTEST_DEV, attr, val);
}

/* A number the device shows in its attribute @attr, or -1. */
static inline long long sysfs_number(const char *attr)
{
	return aoff_attr_get(PTEST_DEV, attr);
}

/* The device's submitted counter, or -1 without the device. */
static inline long long submitted(void)
{
	return sysfs_number("submitted");
}

/*
 * One line of a vector file ("Key = value"; '#' starts a comment): strips
 * the line's end, cuts it at " =" so that @line holds the key, and returns
 * the value, or NULL for a comment or a line without one.
 */
static inline char *ptest_vec_split(char *line)
{
	size_t l = strlen(line);
	char *val;

	if (line[0] == '#')
		return NULL;
	while (l && isspace((unsigned char)line[l - 1]))
		line[--l] = 0;
	val = strstr(line, " =");
	if (!val)
		return NULL;
	*val = 0;
	val += 2;
	while (*val == ' ')
		val++;
	return val;
}

/* Hex digits at @s (up to @cap bytes) into @out; 0 if they do not fit. */
static inline int unhex(const char *s, unsigned char *out, size_t cap,
			size_t *len)
{
	size_t n = 0;

	while (isxdigit((unsigned char)s[0]) && isxdigit((unsigned char)s[1])) {
		unsigned int b;

		if (n == cap || sscanf(s, "%2x", &b) != 1)
			return 0;
		out[n++] = (unsigned char)b;
		s += 2;
	}
	*len = n;
	return 1;
}

#endif /* PTEST_H */
