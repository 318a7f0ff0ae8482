// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: errors on OpenSSL's error queue, through the core's
 * error functions, under the provider's own library code (the core gives
 * each provider one; ERR_error_string() shows it as "asyncoff") and our
 * reason strings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <openssl/err.h>

#include "prov.h"
#include "pk.h"

static OSSL_FUNC_core_new_error_fn *c_new_error;
static OSSL_FUNC_core_set_error_debug_fn *c_set_error_debug;
static OSSL_FUNC_core_vset_error_fn *c_vset_error;
static const OSSL_CORE_HANDLE *err_handle;

#define R(code, text)	{ ERR_PACK(0, 0, code), (void *)(text) }
static const OSSL_ITEM aoff_reasons[] = {
	R(AOFF_R_NO_DEVICE, "asyncoff device not available"),
	R(AOFF_R_DEVICE_RESET, "asyncoff device was reset"),
	R(AOFF_R_DEVICE_ERROR, "asyncoff device request failed"),
	R(AOFF_R_DATA_AREA, "no room in the device data area"),
	R(AOFF_R_NO_HASH_SLOT, "no free hash slot on the device context"),
	R(AOFF_R_STATE_LOST, "hash state out of reach"),
	R(AOFF_R_NOT_DUPLICABLE, "hash stream too long to duplicate"),
	R(AOFF_R_BAD_KEY_LENGTH, "invalid key length"),
	R(AOFF_R_BAD_IV_LENGTH, "invalid iv length"),
	R(AOFF_R_NO_KEY, "no key set"),
	R(AOFF_R_WRONG_FINAL_BLOCK_LENGTH, "wrong final block length"),
	R(AOFF_R_BAD_DECRYPT, "bad decrypt"),
	R(AOFF_R_OUTPUT_TOO_SMALL, "output buffer too small"),
	R(AOFF_R_UNSUPPORTED_DIGEST, "unsupported digest"),
	R(AOFF_R_BAD_PARAM, "invalid parameter"),
	R(AOFF_R_NO_MEMORY, "out of memory"),
	R(AOFF_R_FAILED_STATE, "context unusable after an earlier error"),
	R(AOFF_R_TLS_RECORD, "invalid TLS record"),
	R(AOFF_R_NO_SOFTWARE, "default provider not available"),
	R(AOFF_R_KEY_REJECTED, "key rejected by the asyncoff device"),
	R(AOFF_R_BAD_PEER_KEY, "invalid peer public key"),
	R(AOFF_R_RSA_INPUT, "RSA input not below the modulus"),
	R(AOFF_R_BAD_RESULT, "asyncoff device result failed its check"),
	R(AOFF_R_UNSUPPORTED_PADDING, "unsupported padding mode"),
	R(AOFF_R_BAD_SIGNATURE_LENGTH, "wrong signature length"),
	R(AOFF_R_DATA_TOO_LARGE, "data too large for the key"),
	{ 0, NULL }
};

void aoff_err_init(const OSSL_DISPATCH *in)
{
	for (; in->function_id; in++) {
		switch (in->function_id) {
		case OSSL_FUNC_CORE_NEW_ERROR:
			c_new_error = OSSL_FUNC_core_new_error(in);
			break;
		case OSSL_FUNC_CORE_SET_ERROR_DEBUG:
			c_set_error_debug = OSSL_FUNC_core_set_error_debug(in);
			break;
		case OSSL_FUNC_CORE_VSET_ERROR:
			c_vset_error = OSSL_FUNC_core_vset_error(in);
			break;
		}
	}
}

/*
 * The core files errors under the handle's library code.  A process that
 * loads the provider into several library contexts gets one handle each;
 * the errors go under the latest, which names the same provider.
 */
void aoff_err_set_handle(const OSSL_CORE_HANDLE *handle)
{
	err_handle = handle;
}

const OSSL_ITEM *aoff_err_reasons(void)
{
	return aoff_reasons;
}

void aoff_err_raise(const char *file, int line, const char *func, int reason,
		    const char *fmt, ...)
{
	va_list ap;

	if (!c_new_error || !c_set_error_debug || !c_vset_error) {
		/* A core without error functions: say it where we can. */
		va_start(ap, fmt);
		fprintf(stderr, "asyncoff: ");
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
		return;
	}
	c_new_error(err_handle);
	c_set_error_debug(err_handle, file, line, func);
	va_start(ap, fmt);
	c_vset_error(err_handle, ERR_PACK(0, 0, reason), fmt, ap);
	va_end(ap);
}
