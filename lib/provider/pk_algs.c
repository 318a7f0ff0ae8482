// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff provider: the public-key algorithm tables (prov.c's query
 * returns them).  The names are the default provider's, so that a key
 * of its keymgmt moves here by export/import and libssl finds the same
 * algorithms by the same names.
 */
#include "pk.h"

#define AOFF_PROPS	"provider=asyncoff"

const OSSL_ALGORITHM aoff_pk_keymgmt[] = {
	{ "RSA:rsaEncryption:1.2.840.113549.1.1.1", AOFF_PROPS,
	  aoff_rsa_keymgmt_functions, "RSA keys for the asyncoff device" },
	{ "EC:id-ecPublicKey:1.2.840.10045.2.1", AOFF_PROPS,
	  aoff_ec_keymgmt_functions, "P-256/P-384 keys for the asyncoff device" },
	{ "X25519:1.3.101.110", AOFF_PROPS, aoff_x25519_keymgmt_functions,
	  "X25519 keys for the asyncoff device" },
	{ NULL, NULL, NULL, NULL }
};

const OSSL_ALGORITHM aoff_pk_signature[] = {
	{ "RSA:rsaEncryption:1.2.840.113549.1.1.1", AOFF_PROPS,
	  aoff_rsa_signature_functions,
	  "RSA PKCS#1 v1.5 and PSS signatures on the asyncoff device" },
	{ "ECDSA", AOFF_PROPS, aoff_ecdsa_signature_functions,
	  "ECDSA on P-256 and P-384 on the asyncoff device" },
	{ NULL, NULL, NULL, NULL }
};

const OSSL_ALGORITHM aoff_pk_asym_cipher[] = {
	{ "RSA:rsaEncryption:1.2.840.113549.1.1.1", AOFF_PROPS,
	  aoff_rsa_asym_cipher_functions,
	  "RSA PKCS#1 v1.5 and OAEP encryption on the asyncoff device" },
	{ NULL, NULL, NULL, NULL }
};

const OSSL_ALGORITHM aoff_pk_keyexch[] = {
	{ "ECDH", AOFF_PROPS, aoff_ecdh_keyexch_functions,
	  "ECDH on P-256 and P-384 on the asyncoff device" },
	{ "X25519:1.3.101.110", AOFF_PROPS, aoff_x25519_keyexch_functions,
	  "X25519 on the asyncoff device" },
	{ NULL, NULL, NULL, NULL }
};
