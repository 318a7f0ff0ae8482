# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=sh
#
# Sourced by the provider's shell suites (tools.sh, tls_aead.sh,
# pk_tools.sh): TAP lines named "$TAP_NAME: ...", the device's request
# counter, and the openssl.cnf that loads the provider.  The caller sets
# TAP_NAME and MOD (the modules directory) first and prints its plan.
n=0
fails=0
SYS=/sys/class/misc/asyncoff0

ok() { n=$((n + 1)); echo "ok $n $TAP_NAME: $1"; }
# notok NAME [FILES...]: the last lines of each file as TAP comments.
notok() {
	n=$((n + 1)); fails=$((fails + 1))
	echo "not ok $n $TAP_NAME: $1"
	shift
	for f in "$@"; do [ -f "$f" ] && sed 's/^/# /' "$f" | tail -n 20; done
}
skip() { n=$((n + 1)); echo "ok $n $TAP_NAME: $1 # SKIP $2"; }
submitted() { cat $SYS/submitted 2>/dev/null || echo 0; }

# write_cnf FILE [ASYNCOFF_SECTION_LINES] [DEFAULT_PROPERTIES]: an
# openssl.cnf activating the default provider and asyncoff (module from
# $MOD), as Documentation/provider.md shows it.
write_cnf() {
	{
		echo "openssl_conf = openssl_init"
		echo
		echo "[openssl_init]"
		echo "providers = provider_sect"
		[ -z "${3:-}" ] || echo "alg_section = evp_properties"
		echo
		echo "[provider_sect]"
		echo "default = default_sect"
		echo "asyncoff = asyncoff_sect"
		echo
		echo "[default_sect]"
		echo "activate = 1"
		echo
		echo "[asyncoff_sect]"
		echo "module = $MOD/asyncoff.so"
		echo "activate = 1"
		[ -z "${2:-}" ] || printf '%s\n' "$2"
		if [ -n "${3:-}" ]; then
			echo
			echo "[evp_properties]"
			echo "default_properties = $3"
		fi
	} >"$1"
}
