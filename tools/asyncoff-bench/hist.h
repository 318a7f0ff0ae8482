/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A latency histogram with bounded relative error: buckets are powers of
 * two split into 16 linear steps, so a percentile is within 1/16 of the
 * true value whatever the range, in fixed memory and O(1) per sample.
 */
#ifndef AOFF_BENCH_HIST_H
#define AOFF_BENCH_HIST_H

#include <stdint.h>
#include <string.h>

#define HIST_SUB_BITS	4
#define HIST_SUB	(1u << HIST_SUB_BITS)
#define HIST_BUCKETS	(64 * HIST_SUB)

struct hist {
	uint64_t count[HIST_BUCKETS];
	uint64_t n;
};

static inline unsigned int hist_index(uint64_t v)
{
	unsigned int msb;

	if (v < HIST_SUB)
		return (unsigned int)v;
	msb = 63u - (unsigned int)__builtin_clzll(v);
	return (msb - HIST_SUB_BITS + 1) * HIST_SUB +
	       (unsigned int)((v >> (msb - HIST_SUB_BITS)) & (HIST_SUB - 1));
}

/* The smallest value that falls in bucket @i. */
static inline uint64_t hist_value(unsigned int i)
{
	unsigned int shift;

	if (i < HIST_SUB)
		return i;
	shift = i / HIST_SUB - 1;
	return ((uint64_t)HIST_SUB | (i % HIST_SUB)) << shift;
}

static inline void hist_add(struct hist *h, uint64_t v)
{
	h->count[hist_index(v)]++;
	h->n++;
}

/* The value below which a fraction @q of the samples lie. */
static inline uint64_t hist_quantile(const struct hist *h, double q)
{
	uint64_t want = (uint64_t)(q * (double)h->n), seen = 0;

	for (unsigned int i = 0; i < HIST_BUCKETS; i++) {
		seen += h->count[i];
		if (seen > want)
			return hist_value(i);
	}
	return 0;
}

#endif /* AOFF_BENCH_HIST_H */
