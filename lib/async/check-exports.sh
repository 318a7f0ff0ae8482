#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# check-exports.sh SO ALIB MAP HEADER
# TAP: the async runtime exports exactly OpenSSL's async API.
#   NM      nm to use (cross builds: aarch64-linux-gnu-nm)
#   LIBCRYPTO  libcrypto to compare with (default: found via ldconfig)
set -u
so=$1 alib=$2 map=$3 header=$4
NM=${NM:-nm}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n $1"; }
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }
check() { # name, then a command whose success means ok
	name=$1; shift
	if "$@"; then ok "$name"; else notok "$name"; fi
}
same() { # diff two lists, show the difference as TAP comments
	diff "$1" "$2" >"$tmp/diff" && return 0
	sed 's/^/# /' "$tmp/diff"
	return 1
}

echo 1..6

# The list the version script allows.
sed -n 's/^[[:space:]]*\(ASYNC_[A-Za-z_]*\);.*/\1/p' "$map" | sort >"$tmp/map"
# Every function the public header declares.
sed -n 's/^[^#].*[ *]\(ASYNC_[A-Za-z_]*\)(.*/\1/p' "$header" | sort -u >"$tmp/header"
# What the shared library really exports (versions stripped, absolute
# version-node symbols dropped).
$NM -D --defined-only "$so" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' |
	sort >"$tmp/dynsym"

check "exports exactly OpenSSL's async symbols" same "$tmp/map" "$tmp/dynsym"
check "header declares exactly the exported functions" \
	same "$tmp/header" "$tmp/dynsym"

# Everything but the 3.2 stack hooks is also in libcrypto 3.0's ABI (the
# names are OpenSSL's, not inventions).
crypto=${LIBCRYPTO:-$(ldconfig -p 2>/dev/null | awk '/libcrypto\.so\.3 .*x86-64|libcrypto\.so\.3 .*AArch64/ { print $NF; exit }')}
if [ -n "$crypto" ] && [ -r "$crypto" ]; then
	nm -D --defined-only "$crypto" | awk '{ sub(/@.*/, "", $3); print $3 }' |
		grep '^ASYNC_' | sort >"$tmp/crypto"
	grep -v -e '^ASYNC_set_mem_functions$' -e '^ASYNC_get_mem_functions$' \
		"$tmp/dynsym" >"$tmp/dynsym30"
	check "the 3.0 names match libcrypto's ASYNC_ exports ($crypto)" \
		same "$tmp/crypto" "$tmp/dynsym30"
else
	skip "the 3.0 names match libcrypto's ASYNC_ exports" "no libcrypto.so.3"
fi

soname=$(${READELF:-readelf} -d "$so" 2>/dev/null | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
check "soname is libasyncoff-async.so.1 (got '$soname')" \
	test "$soname" = libasyncoff-async.so.1

# The static archive may define ASYNC_* and aoff_* names only.
$NM --defined-only -g "$alib" 2>/dev/null |
	awk 'NF == 3 && $2 ~ /[A-Z]/ { print $3 }' |
	grep -v -e '^ASYNC_' -e '^aoff_' >"$tmp/stray"
check "static library defines only ASYNC_* and aoff_* globals" \
	same /dev/null "$tmp/stray"

# No executable stack anywhere (.note.GNU-stack in every object).
if ${READELF:-readelf} -lW "$so" | grep GNU_STACK | grep -q 'RWE'; then
	notok "shared library asks for no executable stack"
else
	ok "shared library asks for no executable stack"
fi
exit $failed
