// SPDX-License-Identifier: Apache-2.0
/*
 * The progress line: one line on stderr, rewritten in place at most twice
 * a second, once a measurement has lasted a second.  Only when stderr is a
 * terminal and neither --quiet nor --json: a log or a pipe gets nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "bench.h"

static int enabled, shown;
static uint64_t t_start, t_next;

void progress_start(const struct opts *o)
{
	enabled = !o->quiet && !o->json && isatty(STDERR_FILENO);
	t_start = now_ns();
	t_next = t_start + 1000000000ull;
}

void progress(const char *fmt, ...)
{
	uint64_t t;
	va_list ap;

	if (!enabled)
		return;
	t = now_ns();
	if (t < t_next)
		return;
	t_next = t + 500000000ull;
	fputs("\r\033[K", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	shown = 1;
}

void progress_end(void)
{
	if (shown)
		fputs("\r\033[K", stderr);
	shown = 0;
}
