#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# TAP: libasyncoff.so defines no ASYNC_* symbol, only refers to them, and
# links neither libcrypto nor the async runtime (the application brings one).
# Usage: check-link.sh LIBASYNCOFF_SO
set -u
so=$1
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n bridge-link: $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n bridge-link: $1"; }
echo "1..4"
defined=$(nm -D --defined-only "$so" | awk '{print $3}' | grep '^ASYNC_' || true)
if [ -z "$defined" ]; then ok "no ASYNC_ symbol defined"; else notok "defines: $defined"; fi
undef=$(nm -D --undefined-only "$so" | awk '{print $NF}' | grep -c '^ASYNC_' || true)
if [ "$undef" -ge 5 ]; then ok "ASYNC_ symbols left to the application ($undef)"
else notok "only $undef ASYNC_ references (expected the bridge's)"; fi
needed=$(readelf -d "$so" | grep NEEDED)
if echo "$needed" | grep -Eq 'libcrypto|libasyncoff-async'; then
	notok "links an ASYNC provider: $needed"
else ok "links neither libcrypto nor the runtime"; fi
bad=$(nm -D --defined-only "$so" | awk '$2 ~ /[TDBRW]/ {print $3}' | grep -v '^aoff_' | grep -v '^ASYNCOFF_' || true)
if [ -z "$bad" ]; then ok "exports aoff_* only"; else notok "exports: $bad"; fi
exit $fail
