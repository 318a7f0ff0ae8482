// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: the offload policy, which operations go to the device
 * and which run in-process on the default provider's implementation (sw.c).
 *
 * Offloading a small operation costs more than computing it: a request
 * crosses into the device and back, and a job pauses and resumes, for
 * work that takes the CPU a microsecond.  So each class of algorithm has
 * a size from which its operations go to the device:
 *
 *   digest  SHA-2 digests and HMAC: the message's total length
 *   cipher  AES-CBC/CTR: the bytes of one request (an update's whole
 *           blocks, a TLS record)
 *   aead    AES-GCM, ChaCha20-Poly1305: the message (record) length
 *   pk      public-key operations: on or off, no size
 *
 * Setting (openssl.cnf key "offload" in the provider's section, or
 * ASYNCOFF_OFFLOAD, which wins): a comma-separated list of CLASS:VALUE,
 * VALUE a size in bytes (k/m suffixes; 0: every operation), "on" (= 0) or
 * "off" (never).  Classes not named keep their default.  Anything else is
 * an error at provider init, naming the bad item: an unknown class is
 * more likely a typo than a wish.
 *
 * The defaults come from the sweep in Documentation/provider.md.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "prov.h"

static const char *const pol_names[AOFF_POL_NR] = {
	[AOFF_POL_DIGEST] = "digest",
	[AOFF_POL_CIPHER] = "cipher",
	[AOFF_POL_AEAD] = "aead",
	[AOFF_POL_PK] = "pk",
};

const char *aoff_policy_class_name(enum aoff_pol_class cls)
{
	return cls < AOFF_POL_NR ? pol_names[cls] : "?";
}

/*
 * VALUE of one item: a size, "on" or "off".  0, -EINVAL or -ERANGE (a
 * size too large; the largest is AOFF_POL_OFF, which only "off" sets).
 */
static int pol_value(const char *v, size_t len, int pk, size_t *out)
{
	size_t n;
	int ret;

	if (len == 2 && !strncasecmp(v, "on", 2)) {
		*out = 0;
		return 0;
	}
	if (len == 3 && !strncasecmp(v, "off", 3)) {
		*out = AOFF_POL_OFF;
		return 0;
	}
	if (pk)
		return -EINVAL;
	ret = aoff_size_parse(v, len, &n);
	if (ret)
		return ret;
	if (n >= AOFF_POL_OFF)
		return -ERANGE;
	*out = n;
	return 0;
}

int aoff_policy_parse(const char *s, const char *from)
{
	size_t min[AOFF_POL_NR];
	unsigned int seen = 0;
	const char *p = s;

	memcpy(min, aoff_prov_cfg.offload_min, sizeof(min));
	while (*p) {
		const char *item = p, *comma = strchr(p, ','), *colon;
		size_t ilen = comma ? (size_t)(comma - p) : strlen(p);
		int cls = -1, ret;

		colon = memchr(item, ':', ilen);
		if (colon) {
			for (int i = 0; i < AOFF_POL_NR; i++)
				if (strlen(pol_names[i]) ==
				    (size_t)(colon - item) &&
				    !strncasecmp(item, pol_names[i],
						 (size_t)(colon - item)))
					cls = i;
		}
		if (cls < 0) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "%s = \"%s\": \"%.*s\" is "
				   "not CLASS:VALUE with CLASS one of digest, "
				   "cipher, aead, pk", from, s, (int)ilen,
				   item);
			return 0;
		}
		if (seen & (1U << cls)) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "%s = \"%s\": %s is given "
				   "twice", from, s, pol_names[cls]);
			return 0;
		}
		seen |= 1U << cls;
		ret = pol_value(colon + 1, ilen - (size_t)(colon + 1 - item),
				cls == AOFF_POL_PK, &min[cls]);
		if (ret == -ERANGE) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "%s = \"%s\": value too "
				   "large in \"%.*s\" (at most %zu bytes, or "
				   "off)", from, s, (int)ilen, item,
				   AOFF_POL_OFF - 1);
			return 0;
		}
		if (ret) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "%s = \"%s\": bad value in "
				   "\"%.*s\" (%s)", from, s, (int)ilen, item,
				   cls == AOFF_POL_PK ? "on or off" :
				   "bytes with an optional k or m, on or off");
			return 0;
		}
		p = comma ? comma + 1 : item + ilen;
		if (comma && !*p) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "%s = \"%s\": trailing "
				   "comma", from, s);
			return 0;
		}
	}
	memcpy(aoff_prov_cfg.offload_min, min, sizeof(min));
	return 1;
}
