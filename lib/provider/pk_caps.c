// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: the TLS groups it announces (the "TLS-GROUP"
 * capability).
 *
 * libssl (3.0) uses a group only when the keymgmt it fetches for the
 * group's algorithm, with the application's properties, comes from a
 * provider that announced the group.  An application preferring
 * asyncoff fetches our EC and X25519 keymgmts, so the groups they serve
 * must be announced here or libssl drops them ("no suitable key share").
 * P-521 is announced too: our EC keymgmt generates and derives on it
 * in-process (the device has P-256 and P-384 only).  The values are the
 * IANA TLS Supported Groups registry's.
 */
#include <string.h>
#include <strings.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/prov_ssl.h>

#include "pk.h"

struct pk_group {
	const char *name, *internal, *alg;
	unsigned int id, secbits;
};

static const struct pk_group pk_groups[] = {
	{ "secp256r1", "prime256v1", "EC", 0x0017, 128 },
	{ "P-256", "prime256v1", "EC", 0x0017, 128 },
	{ "secp384r1", "secp384r1", "EC", 0x0018, 192 },
	{ "P-384", "secp384r1", "EC", 0x0018, 192 },
	{ "secp521r1", "secp521r1", "EC", 0x0019, 256 },
	{ "P-521", "secp521r1", "EC", 0x0019, 256 },
	{ "x25519", "X25519", "X25519", 0x001d, 128 },
};

int aoff_pk_get_capabilities(void *provctx, const char *capability,
			     OSSL_CALLBACK *cb, void *arg)
{
	(void)provctx;
	if (strcasecmp(capability, "TLS-GROUP"))
		return 0;
	for (size_t i = 0; i < sizeof(pk_groups) / sizeof(pk_groups[0]); i++) {
		const struct pk_group *g = &pk_groups[i];
		unsigned int id = g->id, bits = g->secbits;
		int kem = 0, mintls = TLS1_VERSION, maxtls = 0;
		int mindtls = DTLS1_VERSION, maxdtls = 0;
		OSSL_PARAM p[] = {
			OSSL_PARAM_utf8_string(OSSL_CAPABILITY_TLS_GROUP_NAME,
					       (char *)g->name, 0),
			OSSL_PARAM_utf8_string(
				OSSL_CAPABILITY_TLS_GROUP_NAME_INTERNAL,
				(char *)g->internal, 0),
			OSSL_PARAM_utf8_string(OSSL_CAPABILITY_TLS_GROUP_ALG,
					       (char *)g->alg, 0),
			OSSL_PARAM_uint(OSSL_CAPABILITY_TLS_GROUP_ID, &id),
			OSSL_PARAM_uint(OSSL_CAPABILITY_TLS_GROUP_SECURITY_BITS,
					&bits),
			OSSL_PARAM_int(OSSL_CAPABILITY_TLS_GROUP_IS_KEM, &kem),
			OSSL_PARAM_int(OSSL_CAPABILITY_TLS_GROUP_MIN_TLS,
				       &mintls),
			OSSL_PARAM_int(OSSL_CAPABILITY_TLS_GROUP_MAX_TLS,
				       &maxtls),
			OSSL_PARAM_int(OSSL_CAPABILITY_TLS_GROUP_MIN_DTLS,
				       &mindtls),
			OSSL_PARAM_int(OSSL_CAPABILITY_TLS_GROUP_MAX_DTLS,
				       &maxdtls),
			OSSL_PARAM_END
		};

		/* The utf8 lengths: what OSSL_PARAM_construct_utf8 sets. */
		p[0].data_size = strlen(g->name);
		p[1].data_size = strlen(g->internal);
		p[2].data_size = strlen(g->alg);
		if (!cb(p, arg))
			return 0;
	}
	return 1;
}
