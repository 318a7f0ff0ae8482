// SPDX-License-Identifier: Apache-2.0
/* placeholder until the ABI lands */
#include "pk.h"
int aoff_pk_ec_keygen(enum aoff_pk_curve c, uint8_t *priv, uint8_t *pub) { (void)c; (void)priv; (void)pub; AOFF_RAISE(AOFF_R_DEVICE_ERROR, "todo"); return 0; }
int aoff_pk_x25519_keygen(uint8_t *priv, uint8_t *pub) { (void)priv; (void)pub; AOFF_RAISE(AOFF_R_DEVICE_ERROR, "todo"); return 0; }
