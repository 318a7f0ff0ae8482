#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Inside the VM (tools/vm/aoff-vm with the module, AOFF_MODULE naming it):
# every provider test, TAP on stdout.
#   run.sh TEST_DIR MODULES_DIR
set -u
out=${1:?usage: run.sh TEST_DIR MODULES_DIR}
mod=${2:?usage: run.sh TEST_DIR MODULES_DIR}
here=$(dirname "$0")
export OPENSSL_MODULES=$mod
status=0
# prov_test and tools.sh test the device paths: every operation goes to
# the device, whatever its size.  policy_test and aead_test run with the
# default policy (and set their own).
export ASYNCOFF_OFFLOAD=digest:0,cipher:0,aead:0

args=
[ -n "${PROV_SEED:-}" ] && args="--seed $PROV_SEED"
[ "${PROV_QUICK:-}" = 1 ] && args="$args --quick"
# shellcheck disable=SC2086 # word splitting wanted
"$out/prov_test" --hmac-vectors "$here/hmac_vectors.txt" $args || status=1

"$here/tools.sh" "$mod" || status=1

# A quick run (PROV_QUICK=1, the sanitizer kernel's: everything there runs
# several times slower) keeps every C test, with fewer random cases, and
# leaves out the stock tools' TLS connections and speed runs: user-space
# work that the 6.1 and 6.12 runs cover.
quick_skip() {	# name of the suite, its plan
	echo "1..1"
	echo "ok 1 $1: stock-tool TLS and speed runs # SKIP quick run" \
		"(PROV_QUICK=1, the sanitizer kernel); 6.1 and 6.12 run them"
}

# The public-key algorithms (RSA, ECDSA, ECDH, X25519).
"$out/pk_test" || status=1
if [ "${PROV_QUICK:-}" = 1 ]; then
	quick_skip provider-pk-tools
else
	"$here/pk_tools.sh" "$mod" || status=1
fi
# AEAD: every message the device can take on it, then the default policy.
# shellcheck disable=SC2086 # word splitting wanted
ASYNCOFF_OFFLOAD=aead:0 "$out/aead_test" --vectors "$here/aead_vectors.txt" \
	--policy device $args || status=1
# shellcheck disable=SC2086
env -u ASYNCOFF_OFFLOAD "$out/aead_test" --vectors "$here/aead_vectors.txt" \
	--policy default $args || status=1
if [ "${PROV_QUICK:-}" = 1 ]; then
	quick_skip provider-aead
else
	env -u ASYNCOFF_OFFLOAD "$here/tls_aead.sh" "$mod" || status=1
fi

# The C checks of the error path, with the module really gone.
if rmmod asyncoff; then
	"$out/prov_test" --no-device || status=1
	"$out/pk_test" --no-device || status=1
	insmod "$AOFF_MODULE" || status=1
else
	echo "1..1"
	echo "ok 1 provider: nodev # SKIP cannot unload asyncoff"
fi
exit $status
