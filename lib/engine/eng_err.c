// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff engine: errors on OpenSSL's error queue under the engine's own
 * library code (ERR_get_next_error_library(); ERR_error_string() names it
 * "asyncoff engine"), with the provider's reason codes, and the settings
 * the provider's SHA-256 stream and device glue read (aoff_prov_cfg).
 */
#include <stdarg.h>
#include <openssl/err.h>

#include "eng.h"
#include "pk.h"

/* Read by lib/provider/dev.c and hstream.c; eng.c sets the device. */
struct aoff_prov_cfg aoff_prov_cfg = {
	.device = "/dev/asyncoff0",
	.dup_max = 64 * 1024,
	.data_bytes = 64 * 1024,
};

static int eng_lib;
static int eng_loaded;

/* ERR_load_strings() adds the library code to each entry: not const. */
#define R(code, text)	{ ERR_PACK(0, 0, code), text }
static ERR_STRING_DATA eng_reasons[] = {
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
	R(AOFF_R_KEY_REJECTED, "key rejected by the asyncoff device"),
	R(AOFF_R_BAD_PEER_KEY, "invalid peer public key"),
	R(AOFF_R_RSA_INPUT, "RSA input not below the modulus"),
	R(AOFF_R_BAD_RESULT, "asyncoff device result failed its check"),
	{ 0, NULL }
};
/*
 * The library's name is the entry (lib, 0, 0); ERR_load_strings() stops
 * at the first zero code, so this one gets its code before loading.
 */
static ERR_STRING_DATA eng_libname[] = {
	{ 0, "asyncoff engine" },
	{ 0, NULL }
};

void aoff_eng_err_load(void)
{
	if (eng_loaded)
		return;
	/* A rebind in the same process keeps the code it got first. */
	if (!eng_lib)
		eng_lib = ERR_get_next_error_library();
	eng_loaded = 1;
	eng_libname[0].error = ERR_PACK(eng_lib, 0, 0);
	ERR_load_strings(eng_lib, eng_reasons);
	ERR_load_strings(eng_lib, eng_libname);
}

void aoff_eng_err_unload(void)
{
	if (!eng_loaded)
		return;
	ERR_unload_strings(eng_lib, eng_reasons);
	ERR_unload_strings(eng_lib, eng_libname);
	/* The code stays ours: OpenSSL never hands library codes back. */
	eng_loaded = 0;
}

int aoff_eng_err_lib(void)
{
	return eng_lib;
}

/* AOFF_RAISE() of the engine and of the provider code built into it. */
void aoff_err_raise(const char *file, int line, const char *func, int reason,
		    const char *fmt, ...)
{
	va_list ap;

	ERR_new();
	ERR_set_debug(file, line, func);
	va_start(ap, fmt);
	ERR_vset_error(eng_lib, reason, fmt, ap);
	va_end(ap);
}
