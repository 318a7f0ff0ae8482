// SPDX-License-Identifier: Apache-2.0
/*
 * asyncoff engine: the dynamic engine's entry points (bind_engine,
 * v_check), its control command and its life cycle.
 *
 *   openssl engine -t -c asyncoff        (OPENSSL_ENGINES=<dir> or the
 *                                         engines-3 directory)
 *   openssl speed -engine asyncoff -async_jobs 16 -evp aes-128-cbc
 *   openssl speed -engine asyncoff -async_jobs 8 rsa2048 ecdsap256 ecdhp256
 *
 * Binding only builds the method tables: no device is needed to load the
 * engine or list what it offers.  ENGINE_init() (openssl engine -t, -engine
 * on any tool, "init = 1" in openssl.cnf) checks that the device is there
 * and does every operation we offer, so an engine without its device is
 * "unavailable" with an error saying why instead of failing later.
 *
 * The control command DEVICE (a string; before init) names the device
 * node; else $ASYNCOFF_DEVICE, else /dev/asyncoff0.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>

#include "eng.h"

#define AOFF_ENG_CMD_DEVICE	ENGINE_CMD_BASE

static const ENGINE_CMD_DEFN eng_cmds[] = {
	{ AOFF_ENG_CMD_DEVICE, "DEVICE",
	  "asyncoff device node (default: $ASYNCOFF_DEVICE, /dev/asyncoff0)",
	  ENGINE_CMD_FLAG_STRING },
	{ 0, NULL, NULL, 0 }
};

static char *eng_device;	/* DEVICE, OPENSSL_strdup()ed */
static int eng_inited;		/* the bridge has its settings */

/* The opcodes behind what the engine offers. */
static const unsigned int eng_ops[] = {
	AOFF_OP_SHA256, AOFF_OP_SHA256_FIRST, AOFF_OP_SHA256_MIDDLE,
	AOFF_OP_SHA256_LAST, AOFF_OP_AES_CBC_ENCRYPT, AOFF_OP_AES_CBC_DECRYPT,
	AOFF_OP_AES_CTR_ENCRYPT, AOFF_OP_AES_CTR_DECRYPT,
	AOFF_OP_RSA_PRIVATE, AOFF_OP_ECDSA_SIGN, AOFF_OP_ECDSA_VERIFY,
	AOFF_OP_ECDH_DERIVE,
};

static int eng_check_device(const char *dev)
{
	struct aoff_ctx_opts o = { .sz = sizeof(o), .sq_entries = 1,
				   .data_bytes = 4096 };
	struct aoff_info info;
	struct aoff_ctx *dc;
	int ret, err;

	dc = aoff_ctx_open(dev, &o);
	if (!dc) {
		err = errno;
		if (err == ENOENT || err == ENXIO || err == ENODEV)
			AOFF_RAISE(AOFF_R_NO_DEVICE,
				   "%s: %s (is the asyncoff module loaded?)",
				   dev, strerror(err));
		else
			AOFF_RAISE(AOFF_R_NO_DEVICE, "%s: %s", dev,
				   strerror(err));
		return 0;
	}
	ret = aoff_ctx_info(dc, &info);
	aoff_ctx_close(dc);
	if (ret) {
		AOFF_RAISE(AOFF_R_NO_DEVICE, "%s: device info: %s", dev,
			   strerror(-ret));
		return 0;
	}
	for (size_t i = 0; i < sizeof(eng_ops) / sizeof(eng_ops[0]); i++) {
		unsigned int op = eng_ops[i];

		if (!(info.ops[op / 64] & (1ULL << (op % 64)))) {
			AOFF_RAISE(AOFF_R_NO_DEVICE,
				   "%s does not do opcode %u", dev, op);
			return 0;
		}
	}
	return 1;
}

static int eng_init(ENGINE *e)
{
	struct aoff_bridge_opts bo;
	const char *dev = eng_device;
	int ret;

	(void)e;
	if (!dev || !*dev)
		dev = getenv("ASYNCOFF_DEVICE");
	if (!dev || !*dev)
		dev = "/dev/asyncoff0";
	if (!eng_check_device(dev))
		return 0;
	/*
	 * The bridge is the engine's own (libasyncoff is linked in, hidden);
	 * it keeps the first settings until destroy (-EBUSY after).
	 */
	memset(&bo, 0, sizeof(bo));
	bo.sz = sizeof(bo);
	bo.device = dev;
	bo.data_bytes = aoff_prov_cfg.data_bytes;
	ret = aoff_bridge_init(&bo);
	if (ret && ret != -EBUSY) {
		AOFF_RAISE(AOFF_R_BAD_PARAM, "bridge settings: %s",
			   strerror(-ret));
		return 0;
	}
	if (!ret)
		aoff_prov_cfg.device = dev;
	eng_inited = 1;
	return 1;
}

static int eng_finish(ENGINE *e)
{
	/* Device contexts live with their wait ctxs; destroy ends the rest. */
	(void)e;
	return 1;
}

static int eng_destroy(ENGINE *e)
{
	(void)e;
	aoff_bridge_cleanup();
	aoff_eng_ciphers_free();
	aoff_eng_digests_free();
	aoff_eng_rsa_free();
	aoff_eng_ec_free();
	aoff_prov_cfg.device = "/dev/asyncoff0";
	OPENSSL_free(eng_device);
	eng_device = NULL;
	eng_inited = 0;
	aoff_eng_err_unload();
	return 1;
}

static int eng_ctrl(ENGINE *e, int cmd, long i, void *p, void (*f)(void))
{
	(void)e;
	(void)i;
	(void)f;
	switch (cmd) {
	case AOFF_ENG_CMD_DEVICE:
		if (!p || !*(const char *)p) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "DEVICE needs a path");
			return 0;
		}
		if (eng_inited) {
			AOFF_RAISE(AOFF_R_BAD_PARAM, "DEVICE must come before "
				   "the engine is initialised (it uses %s)",
				   aoff_prov_cfg.device);
			return 0;
		}
		OPENSSL_free(eng_device);
		eng_device = OPENSSL_strdup(p);
		if (!eng_device) {
			AOFF_RAISE(AOFF_R_NO_MEMORY, "DEVICE");
			return 0;
		}
		return 1;
	}
	AOFF_RAISE(AOFF_R_BAD_PARAM, "unknown control command %d", cmd);
	return 0;
}

static void eng_free_meths(void)
{
	aoff_eng_ciphers_free();
	aoff_eng_digests_free();
	aoff_eng_rsa_free();
	aoff_eng_ec_free();
}

static int eng_bind(ENGINE *e, const char *id)
{
	if (id && strcmp(id, AOFF_ENG_ID))
		return 0;
	aoff_eng_err_load();
	if (!aoff_eng_ciphers_init() || !aoff_eng_digests_init() ||
	    !aoff_eng_rsa_init() || !aoff_eng_ec_init()) {
		eng_free_meths();
		return 0;
	}
	if (!ENGINE_set_id(e, AOFF_ENG_ID) ||
	    !ENGINE_set_name(e, AOFF_ENG_NAME) ||
	    !ENGINE_set_init_function(e, eng_init) ||
	    !ENGINE_set_finish_function(e, eng_finish) ||
	    !ENGINE_set_destroy_function(e, eng_destroy) ||
	    !ENGINE_set_ctrl_function(e, eng_ctrl) ||
	    !ENGINE_set_cmd_defns(e, eng_cmds) ||
	    !ENGINE_set_ciphers(e, aoff_eng_ciphers) ||
	    !ENGINE_set_digests(e, aoff_eng_digests) ||
	    !ENGINE_set_RSA(e, aoff_eng_rsa()) ||
	    !ENGINE_set_EC(e, aoff_eng_ec())) {
		eng_free_meths();
		return 0;
	}
	return 1;
}

/* The two symbols the dynamic loader looks up; exports.map keeps them. */
#pragma GCC visibility push(default)
IMPLEMENT_DYNAMIC_BIND_FN(eng_bind)
IMPLEMENT_DYNAMIC_CHECK_FN()
#pragma GCC visibility pop
