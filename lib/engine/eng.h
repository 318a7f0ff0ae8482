/* SPDX-License-Identifier: Apache-2.0 */
/*
 * asyncoff engine: what its files share.
 *
 * The engine is glue on the bridge: its ciphers submit AES requests with
 * aoff_bridge_run() (eng_cipher.c); its RSA and EC methods run the
 * provider's public-key requests (lib/provider/pk_dev.c, built in too); its SHA-256 is the provider's stream
 * (lib/provider/hstream.c, built into the engine as well, with the
 * engine's error and settings glue in eng_err.c), so both front ends hash
 * the same way.  Inside an async job a request pauses the job (the device
 * fd turns readable on completion, as openssl speed -async_jobs waits
 * for); outside one it sleeps.
 */
#ifndef AOFF_ENG_H
#define AOFF_ENG_H

/* Stops the build where the ENGINE API is gone (OpenSSL 4.0). */
#include "have_engine.h"
#include <openssl/evp.h>

/* The reason codes (AOFF_R_*) and AOFF_RAISE() are the provider's. */
#include "prov.h"

#define AOFF_ENG_ID	"asyncoff"
#define AOFF_ENG_NAME	"asyncoff crypto offload engine"

/* eng_err.c: the engine's error library (ERR_get_next_error_library). */
void aoff_eng_err_load(void);
void aoff_eng_err_unload(void);
int aoff_eng_err_lib(void);

/* eng_cipher.c: AES-128/192/256-CBC and -CTR. */
int aoff_eng_ciphers(ENGINE *e, const EVP_CIPHER **cipher, const int **nids,
		     int nid);
int aoff_eng_ciphers_init(void);
void aoff_eng_ciphers_free(void);

/* eng_digest.c: SHA-256. */
int aoff_eng_digests(ENGINE *e, const EVP_MD **md, const int **nids, int nid);
int aoff_eng_digests_init(void);
void aoff_eng_digests_free(void);

/*
 * eng_rsa.c: RSA, the private-key CRT exponentiation on the device;
 * eng_ec.c: ECDSA and ECDH on P-256 and P-384.  Other keys, OpenSSL's.
 */
const RSA_METHOD *aoff_eng_rsa(void);
int aoff_eng_rsa_init(void);
void aoff_eng_rsa_free(void);
const EC_KEY_METHOD *aoff_eng_ec(void);
int aoff_eng_ec_init(void);
void aoff_eng_ec_free(void);

#endif /* AOFF_ENG_H */
