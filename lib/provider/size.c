// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: the one parser of size settings (dup_max, data_bytes,
 * the offload policy's thresholds): decimal bytes with an optional k or m.
 *
 * strtoull() alone would take a sign or leading blanks ("-1" is then the
 * largest size) and a suffix multiplies after it, so a value too large
 * for size_t would wrap to a small one.  Both are refused here, so that
 * every caller reports a mistyped size instead of running with another.
 */
#include <errno.h>
#include <stdint.h>

#include "prov.h"

int aoff_size_parse(const char *s, size_t len, size_t *out)
{
	size_t v = 0, unit = 1;
	size_t i = 0;

	if (!len || s[0] < '0' || s[0] > '9')
		return -EINVAL;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		unsigned int d = (unsigned int)(s[i] - '0');

		if (v > (SIZE_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (i < len && (s[i] == 'k' || s[i] == 'K')) {
		unit = 1024;
		i++;
	} else if (i < len && (s[i] == 'm' || s[i] == 'M')) {
		unit = 1024 * 1024;
		i++;
	}
	if (i != len)
		return -EINVAL;
	if (v > SIZE_MAX / unit)
		return -ERANGE;
	*out = v * unit;
	return 0;
}
