// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: the entry point (OSSL_provider_init), the algorithm
 * tables and the settings.
 *
 * Settings come from the provider's openssl.cnf section (the core hands
 * them over as strings) and, overriding it, from the environment:
 *   device	ASYNCOFF_DEVICE		the device node (/dev/asyncoff0)
 *   dup_max	ASYNCOFF_DUP_MAX	bytes of a hash stream kept so it can
 *					be copied or moved (65536)
 *   data_bytes	ASYNCOFF_DATA_BYTES	data area of each device context
 *					(65536; requests are cut to fit it)
 *   offload	ASYNCOFF_OFFLOAD	which operations go to the device,
 *					per class and size (policy.c)
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "prov.h"
#include "pk.h"

#define AOFF_PROPS		"provider=asyncoff"

struct aoff_prov_cfg aoff_prov_cfg = {
	.device = "/dev/asyncoff0",
	.dup_max = 64 * 1024,
	.data_bytes = 64 * 1024,
	.offload_min = {
		[AOFF_POL_DIGEST] = AOFF_POL_DIGEST_DEFAULT,
		[AOFF_POL_CIPHER] = AOFF_POL_CIPHER_DEFAULT,
		[AOFF_POL_AEAD] = AOFF_POL_AEAD_DEFAULT,
		[AOFF_POL_PK] = 0,
	},
};

static OSSL_FUNC_core_get_params_fn *c_get_params;

static const OSSL_ALGORITHM aoff_digests[] = {
	{ "SHA2-256:SHA-256:SHA256:2.16.840.1.101.3.4.2.1", AOFF_PROPS,
	  aoff_sha256_functions, "SHA-256 on the asyncoff device" },
	{ "SHA2-384:SHA-384:SHA384:2.16.840.1.101.3.4.2.2", AOFF_PROPS,
	  aoff_sha384_functions, "SHA-384 on the asyncoff device" },
	{ "SHA2-512:SHA-512:SHA512:2.16.840.1.101.3.4.2.3", AOFF_PROPS,
	  aoff_sha512_functions, "SHA-512 on the asyncoff device" },
	{ NULL, NULL, NULL, NULL }
};

static const OSSL_ALGORITHM aoff_macs[] = {
	{ "HMAC", AOFF_PROPS, aoff_hmac_functions,
	  "HMAC-SHA256 on the asyncoff device" },
	{ NULL, NULL, NULL, NULL }
};

static const OSSL_ALGORITHM aoff_ciphers[] = {
	{ "AES-128-CBC:AES128:2.16.840.1.101.3.4.1.2", AOFF_PROPS,
	  aoff_aes128cbc_functions, NULL },
	{ "AES-192-CBC:AES192:2.16.840.1.101.3.4.1.22", AOFF_PROPS,
	  aoff_aes192cbc_functions, NULL },
	{ "AES-256-CBC:AES256:2.16.840.1.101.3.4.1.42", AOFF_PROPS,
	  aoff_aes256cbc_functions, NULL },
	{ "AES-128-CTR", AOFF_PROPS, aoff_aes128ctr_functions, NULL },
	{ "AES-192-CTR", AOFF_PROPS, aoff_aes192ctr_functions, NULL },
	{ "AES-256-CTR", AOFF_PROPS, aoff_aes256ctr_functions, NULL },
	{ "AES-128-GCM:id-aes128-GCM:2.16.840.1.101.3.4.1.6", AOFF_PROPS,
	  aoff_aes128gcm_functions, NULL },
	{ "AES-192-GCM:id-aes192-GCM:2.16.840.1.101.3.4.1.26", AOFF_PROPS,
	  aoff_aes192gcm_functions, NULL },
	{ "AES-256-GCM:id-aes256-GCM:2.16.840.1.101.3.4.1.46", AOFF_PROPS,
	  aoff_aes256gcm_functions, NULL },
	{ "ChaCha20-Poly1305", AOFF_PROPS, aoff_chacha20poly1305_functions,
	  NULL },
	{ NULL, NULL, NULL, NULL }
};

static const OSSL_ALGORITHM *aoff_query(void *provctx, int op, int *no_cache)
{
	(void)provctx;
	*no_cache = 0;
	switch (op) {
	case OSSL_OP_DIGEST:
		return aoff_digests;
	case OSSL_OP_MAC:
		return aoff_macs;
	case OSSL_OP_CIPHER:
		return aoff_ciphers;
	case OSSL_OP_KEYMGMT:
		return aoff_pk_keymgmt;
	case OSSL_OP_SIGNATURE:
		return aoff_pk_signature;
	case OSSL_OP_ASYM_CIPHER:
		return aoff_pk_asym_cipher;
	case OSSL_OP_KEYEXCH:
		return aoff_pk_keyexch;
	}
	return NULL;
}

static const OSSL_PARAM aoff_param_types[] = {
	OSSL_PARAM_DEFN(OSSL_PROV_PARAM_NAME, OSSL_PARAM_UTF8_PTR, NULL, 0),
	OSSL_PARAM_DEFN(OSSL_PROV_PARAM_VERSION, OSSL_PARAM_UTF8_PTR, NULL, 0),
	OSSL_PARAM_DEFN(OSSL_PROV_PARAM_BUILDINFO, OSSL_PARAM_UTF8_PTR, NULL,
			0),
	OSSL_PARAM_DEFN(OSSL_PROV_PARAM_STATUS, OSSL_PARAM_INTEGER, NULL, 0),
	OSSL_PARAM_END
};

static const OSSL_PARAM *aoff_gettable_params(void *provctx)
{
	(void)provctx;
	return aoff_param_types;
}

static int aoff_get_params(void *provctx, OSSL_PARAM params[])
{
	OSSL_PARAM *p;

	(void)provctx;
	p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_NAME);
	if (p && !OSSL_PARAM_set_utf8_ptr(p, "asyncoff crypto offload"))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_VERSION);
	if (p && !OSSL_PARAM_set_utf8_ptr(p, AOFF_VERSION))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_BUILDINFO);
	if (p && !OSSL_PARAM_set_utf8_ptr(p, "asyncoff " AOFF_VERSION))
		return 0;
	p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_STATUS);
	if (p && !OSSL_PARAM_set_int(p, 1))
		return 0;
	return 1;
}

static const OSSL_ITEM *aoff_reason_strings(void *provctx)
{
	(void)provctx;
	return aoff_err_reasons();
}

static int aoff_instances;

static void aoff_teardown(void *provctx)
{
	/* The last instance takes the process-wide state with it. */
	if (__atomic_sub_fetch(&aoff_instances, 1, __ATOMIC_ACQ_REL) == 0) {
		aoff_hmac_cleanup();
		aoff_pk_sw_cleanup();
		aoff_sw_cleanup();
	}
	OPENSSL_free(provctx);
}

static const OSSL_DISPATCH aoff_dispatch[] = {
	{ OSSL_FUNC_PROVIDER_TEARDOWN, (void (*)(void))aoff_teardown },
	{ OSSL_FUNC_PROVIDER_GETTABLE_PARAMS,
	  (void (*)(void))aoff_gettable_params },
	{ OSSL_FUNC_PROVIDER_GET_PARAMS, (void (*)(void))aoff_get_params },
	{ OSSL_FUNC_PROVIDER_QUERY_OPERATION, (void (*)(void))aoff_query },
	{ OSSL_FUNC_PROVIDER_GET_REASON_STRINGS,
	  (void (*)(void))aoff_reason_strings },
	{ OSSL_FUNC_PROVIDER_GET_CAPABILITIES,
	  (void (*)(void))aoff_pk_get_capabilities },
	{ 0, NULL }
};

/*
 * The openssl.cnf value of @name, then the environment's @env, which
 * wins; *@from: which of the two it was, for errors.
 */
static const char *aoff_setting(const OSSL_CORE_HANDLE *handle,
				const char *name, const char *env,
				const char **from)
{
	const char *env_val = getenv(env);
	char *val = NULL;
	OSSL_PARAM req[2];

	*from = env;
	if (env_val && *env_val)
		return env_val;
	*from = name;
	if (!c_get_params)
		return NULL;
	req[0] = OSSL_PARAM_construct_utf8_ptr(name, &val, 0);
	req[1] = OSSL_PARAM_construct_end();
	if (!c_get_params(handle, req))
		return NULL;
	return val;
}

/* A size setting of at least @least bytes; 1, or 0 with an error. */
static int aoff_size_setting(const char *v, const char *from, size_t least,
			     size_t *out)
{
	size_t sz;
	int ret = aoff_size_parse(v, strlen(v), &sz);

	if (ret == -ERANGE) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "%s = \"%s\": too large (at "
			   "most %zu bytes)", from, v, (size_t)SIZE_MAX);
		return 0;
	}
	if (ret || sz < least) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "%s = \"%s\": not a size of at "
			   "least %zu bytes (bytes with an optional k or m)",
			   from, v, least);
		return 0;
	}
	*out = sz;
	return 1;
}

static int aoff_configure(const OSSL_CORE_HANDLE *handle)
{
	struct aoff_bridge_opts bo;
	const char *v, *from;
	int ret;

	v = aoff_setting(handle, "device", "ASYNCOFF_DEVICE", &from);
	if (v && *v)
		aoff_prov_cfg.device = OPENSSL_strdup(v);
	v = aoff_setting(handle, "dup_max", "ASYNCOFF_DUP_MAX", &from);
	if (v && !aoff_size_setting(v, from, 0, &aoff_prov_cfg.dup_max))
		return 0;
	v = aoff_setting(handle, "data_bytes", "ASYNCOFF_DATA_BYTES", &from);
	if (v && !aoff_size_setting(v, from, 4096, &aoff_prov_cfg.data_bytes))
		return 0;
	v = aoff_setting(handle, "offload", "ASYNCOFF_OFFLOAD", &from);
	if (v && !aoff_policy_parse(v, from))
		return 0;
	if (!aoff_prov_cfg.device)
		return 0;

	/*
	 * The bridge is ours alone (libasyncoff is linked in, hidden), so
	 * its settings are too.  A second provider instance in another
	 * library context finds it set up: -EBUSY, same settings.
	 */
	memset(&bo, 0, sizeof(bo));
	bo.sz = sizeof(bo);
	bo.device = aoff_prov_cfg.device;
	bo.data_bytes = aoff_prov_cfg.data_bytes;
	/* HAProxy must see every fd in a pause (Documentation/bridge.md). */
	bo.flags = AOFF_BRIDGE_F_ANNOUNCE;
	ret = aoff_bridge_init(&bo);
	if (ret && ret != -EBUSY) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "bridge settings: %s",
			   strerror(-ret));
		return 0;
	}
	return 1;
}

__attribute__((visibility("default")))
int OSSL_provider_init(const OSSL_CORE_HANDLE *handle,
		       const OSSL_DISPATCH *in, const OSSL_DISPATCH **out,
		       void **provctx)
{
	struct aoff_prov *prov;

	aoff_err_init(in);
	aoff_err_set_handle(handle);
	for (const OSSL_DISPATCH *f = in; f->function_id; f++)
		if (f->function_id == OSSL_FUNC_CORE_GET_PARAMS)
			c_get_params = OSSL_FUNC_core_get_params(f);
	if (!aoff_configure(handle))
		return 0;
	prov = OPENSSL_zalloc(sizeof(*prov));
	if (!prov)
		return 0;
	prov->handle = handle;
	__atomic_add_fetch(&aoff_instances, 1, __ATOMIC_ACQ_REL);
	*provctx = prov;
	*out = aoff_dispatch;
	return 1;
}
