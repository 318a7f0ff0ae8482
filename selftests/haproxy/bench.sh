#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Inside the VM with the module: how much of the device's latency HAProxy's
# ssl-mode-async hides.  With the model's latency_ns set, wrk with
# "Connection: close" (one TLS handshake per request) against HAProxy
# (ssl-provider asyncoff, then default; nbthread 2) with and without
# ssl-mode-async, ROUNDS rounds alternating the two, SECS seconds each, on
# TLS 1.3 (ECDSA P-256) and TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256.  Prints
# handshakes per second: the median with min and max.  A figure, not a test.
#
# Usage: bench.sh MODULES_DIR [LATENCY_NS] [ROUNDS] [SECS]
set -u
MOD=${1:?usage: bench.sh MODULES_DIR [LATENCY_NS] [ROUNDS] [SECS]}
LAT=${2:-10000000}
ROUNDS=${3:-3}
SECS=${4:-10}
here=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/aoff-haproxy.XXXXXX)
# shellcheck source=selftests/haproxy/lib.sh
. "$here/lib.sh"

missing=$(hp_tools)
[ -z "$missing" ] || { echo "bench.sh: missing: $missing" >&2; exit 1; }
hp_net
hp_certs || { cat "$W/req.err" >&2; exit 1; }
set_param latency_ns "$LAT"
hp_config "$W/async.cfg" "ssl-provider-path $MOD" "ssl-provider asyncoff" \
	"ssl-provider default" "ssl-mode-async"
hp_config "$W/sync.cfg" "ssl-provider-path $MOD" "ssl-provider asyncoff" \
	"ssl-provider default"

echo "kernel $(uname -r); $(haproxy -v | head -n 1); $(openssl version)"
echo "model: latency_ns $(stat latency_ns), engines $(stat engines); wrk -t1 -c16 -d${SECS}s --timeout 30s -H 'Connection: close'"
declare -A RES=([async.ec13]="" [sync.ec13]="" [async.rsa12g]="" [sync.rsa12g]="")
trap 'hp_alive && hp_stop >/dev/null; set_param latency_ns 0' EXIT
for r in $(seq 1 "$ROUNDS"); do
	for mode in async sync; do
		hp_start "$W/$mode.cfg" || exit 1
		# Each HAProxy thread's first handshakes set things up: not
		# part of the rate.
		h2 ec13 4 4 120
		for v in ec13 rsa12g; do
			s0=$(stat submitted)
			# wrk's default 2 s request timeout is too short
			# for a handshake at 10 ms per device request under
			# TCG: such requests would count as errors, not rate.
			timeout -k 5 $((SECS + 60)) wrk -t1 -c16 -d"${SECS}s" \
				--timeout 30s -H 'Connection: close' \
				"https://127.0.0.1:${PORT[$v]}/" >"$W/wrk.out" 2>&1
			s1=$(stat submitted)
			rps=$(sed -n 's/^Requests\/sec:[[:space:]]*//p' "$W/wrk.out")
			reqs=$(sed -n 's/^[[:space:]]*\([0-9]*\) requests in.*/\1/p' "$W/wrk.out")
			errs=$(grep -E 'Socket errors|Non-2xx' "$W/wrk.out" | tr -s ' ' | tr '\n' ' ')
			[ "${reqs:-0}" -gt 0 ] || { reqs=0; sed 's/^/  wrk: /' "$W/wrk.out"; }
			echo "round $r $mode $v: ${rps:-0} handshakes/s, $reqs requests, $(( (s1 - s0) / (reqs ? reqs : 1) )) device requests each ${errs:+($errs)}"
			RES[$mode.$v]="${RES[$mode.$v]:-} ${rps:-0}"
		done
		hp_stop >/dev/null
	done
done

med() { tr ' ' '\n' | grep . | sort -g | awk '{ a[NR] = $1 } END {
	printf "%.1f (min %.1f, max %.1f)", a[int((NR + 1) / 2)], a[1], a[NR] }'; }
echo
echo "| listener | ssl-mode-async | without | ratio |"
echo "|---|---:|---:|---:|"
for v in ec13 rsa12g; do
	a=$(echo "${RES[async.$v]}" | med)
	s=$(echo "${RES[sync.$v]}" | med)
	ratio=$(awk -v a="${a%% *}" -v s="${s%% *}" 'BEGIN { if (s > 0) printf "%.2f", a / s }')
	echo "| ${DESC[$v]} | $a | $s | $ratio |"
done
set_param latency_ns 0
rm -rf "$W"
