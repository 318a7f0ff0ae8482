#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Inside the VM with the module (tools/vm/aoff-vm): Debian's HAProxy 2.6 on
# the asyncoff provider, loaded by h2load, TAP on stdout.
#   A: ssl-provider asyncoff, then default; ssl-mode-async; nbthread 2.
#      Eight listeners (TLS 1.3 default and AES-128-GCM, TLS 1.2 GCM and
#      CBC, each on an ECDSA P-256 and an RSA-2048 certificate): every
#      request succeeds and the device's counters show the work; the
#      device requests of one connection, by opcode, from the driver's
#      aoff_req_submit tracepoint.  Then fail_ppm at 10 % and a reset under
#      load: no hang, HAProxy alive, every client ends with success, an
#      alert or a close; faults off, every request succeeds again.
#   C: default first, asyncoff second, ssl-propquery ?provider=asyncoff
#      (RAND_bytes in jobs, issue 14 part 1): the first burst of 50
#      handshakes after the start all succeed.
#   B: no ssl-mode-async (hash slots, issue 14 part 2): 50 concurrent TLS
#      1.2 handshakes on two threads all succeed.
#   At the end the device is idle: submitted == completed, in_flight 0.
#
# Usage: run.sh MODULES_DIR
set -u
MOD=${1:?usage: run.sh MODULES_DIR}
here=$(cd "$(dirname "$0")" && pwd)
UAPI=$here/../../include/uapi/linux/asyncoff.h
W=$(mktemp -d /tmp/aoff-haproxy.XXXXXX)
# shellcheck source=selftests/haproxy/lib.sh
. "$here/lib.sh"

n=0
fails=0
PLAN=24
echo "1..$PLAN"
ok() { n=$((n + 1)); echo "# ${SECONDS}s"; echo "ok $n haproxy: $1"; }
notok() {
	n=$((n + 1)); fails=$((fails + 1))
	echo "# ${SECONDS}s"
	echo "not ok $n haproxy: $1"
	shift
	for f in "$@"; do [ -f "$f" ] && sed 's/^/# /' "$f" | tail -n 15; done
}
check() {	# check NAME CONDITION-STATUS [FILES...]
	local name=$1 st=$2
	shift 2
	if [ "$st" -eq 0 ]; then ok "$name"; else notok "$name" "$@"; fi
}
skip_rest() {
	while [ $n -lt $PLAN ]; do
		n=$((n + 1)); echo "ok $n haproxy: # SKIP $1"
	done
}
finish() {
	hp_alive && hp_stop >/dev/null
	set_param fail_ppm 0 2>/dev/null
	set_param latency_ns 0 2>/dev/null
	[ -d "$TR" ] && { echo 0 >"$TR/events/asyncoff/enable"; rmdir "$TR"; }
	rm -rf "$W"
	[ $fails -eq 0 ]
	exit
}
TR=

missing=$(hp_tools)
if [ -n "$missing" ]; then
	skip_rest "missing: $missing (tools/install-deps.sh installs haproxy, nghttp2-client, wrk)"
	finish
fi
hp_net
if ! hp_certs; then
	notok "certificates (openssl req)" "$W/req.err"
	skip_rest "no certificates"
	finish
fi

# --- the device requests of one connection, by opcode --------------------
# Opcode names from the uapi header, so new opcodes name themselves.
declare -A OPNAME
# (No process substitution: the guest's /dev has no /dev/fd.)
sed -n 's/^[[:space:]]*AOFF_OP_\([A-Z0-9_]*\)[[:space:]]*=[[:space:]]*\([0-9]*\),.*/\2 \1/p' \
	"$UAPI" >"$W/opnames"
while read -r num name; do OPNAME[$num]=$name; done <"$W/opnames"
mountpoint -q /sys/kernel/tracing ||
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
if [ -d /sys/kernel/tracing/instances ] &&
   mkdir /sys/kernel/tracing/instances/aoff_haproxy 2>/dev/null; then
	TR=/sys/kernel/tracing/instances/aoff_haproxy
	echo 512 >"$TR/buffer_size_kb"
fi
# ops_of VARIANT CONNECTIONS: C connections of one request each, traced;
# prints the table row: device requests per connection, by opcode.  True
# when every request succeeded and the trace holds every submission.
ops_of() {
	local v=$1 c=$2 s0 s1 got row t0=$SECONDS t1
	[ -n "$TR" ] && { echo >"$TR/trace"; echo 1 >"$TR/events/asyncoff/aoff_req_submit/enable"; }
	s0=$(stat submitted)
	h2 "$v" "$c" "$c"
	t1=$((SECONDS - t0))
	s1=$(stat submitted)
	[ -n "$TR" ] || { echo "# ops $v: $(( (s1 - s0) / c )) per connection (no tracefs)"; h2_all "$c"; return; }
	echo 0 >"$TR/events/asyncoff/aoff_req_submit/enable"
	grep -o 'aoff_req_submit: .*opcode=[0-9]*' "$TR/trace" |
		sed 's/.*opcode=//' | sort -n | uniq -c >"$W/ops"
	got=$(awk '{ s += $1 } END { print s + 0 }' "$W/ops")
	row=$(while read -r cnt op; do
		printf '%s %s\n' "${OPNAME[$op]:-opcode_$op}" "$cnt"
	done <"$W/ops" | awk -v c="$c" -v all="$((s1 - s0))" '
		{ row = row sep $1 " " $2 / c; sep = ", " }
		END { printf "%g | %s", all / c, row }')
	echo "# ops $v | ${DESC[$v]} | $row"
	[ "$got" -eq $((s1 - s0)) ] || echo "# ops $v: trace has $got of $((s1 - s0)) submissions"
	echo "# ops $v: h2load ${t1}s, all $((SECONDS - t0))s"
	h2_all "$c" && [ $((s1 - s0)) -gt 0 ]
}

# ======================= A: asyncoff first, ssl-mode-async ================
GLOBAL_A=("ssl-provider-path $MOD" "ssl-provider asyncoff"
	  "ssl-provider default" "ssl-mode-async")
hp_config "$W/a.cfg" "${GLOBAL_A[@]}"
stops=0
if hp_start "$W/a.cfg"; then
	ok "A: HAProxy starts with ssl-provider asyncoff, ssl-provider default, ssl-mode-async, nbthread 2"
else
	notok "A: HAProxy starts with ssl-provider asyncoff, ssl-provider default, ssl-mode-async, nbthread 2"
	skip_rest "HAProxy did not start (see above)"
	finish
fi

# Small: TCG is slow and the machine shared; the bursts below are the load.
OPSC=4
for v in $VARIANTS; do
	good=0
	c0=$(stat completed)
	ops_of "$v" $OPSC || good=1
	h2_line "$v, $OPSC connections"
	[ "$(stat completed)" -gt "$c0" ] || good=1
	check "A: ${DESC[$v]}: every request succeeds, the device's submitted and completed grow" \
		$good "$W/h2.out" "$HP_LOG"
done
settle 15; st=$?
check "A: after the load the device is idle: submitted $(stat submitted) == completed $(stat completed), in_flight 0" $st

# --- faults: fail_ppm at 10 % ------------------------------------------------
e0=$(stat errors)
set_param fail_ppm 100000
good=0
for v in ec13 rsa12c ec12g; do
	h2 "$v" 20 4 120
	h2_line "$v under fail_ppm 100000"
	[ "$H2_RC" -ne 124 ] || good=1
done
hp_alive || { echo "# HAProxy died"; good=1; }
e1=$(stat errors)
echo "# device errors under faults: $((e1 - e0))"
[ $((e1 - e0)) -gt 0 ] || good=1
check "A: fail_ppm 10 %: h2load on TLS 1.3, TLS 1.2 CBC and GCM ends in time, HAProxy alive, faults injected ($((e1 - e0)))" \
	$good "$W/h2.out" "$HP_LOG"

# Each client ends: a handshake, a TLS alert or a close, never a hang.
# One at a time: started together on the loaded TCG guest, s_client spent
# its 30 s loading itself over 9p (uninterruptible, TERM not delivered).
declare -A OUT=([ok]=0 [alert]=0 [close]=0 [hang]=0 [other]=0)
for i in 1 2 3 4 5 6; do
	case $((i % 3)) in 0) v=ec13;; 1) v=rsa12c;; *) v=ec12g;; esac
	timeout -k 5 60 openssl s_client -connect "127.0.0.1:${PORT[$v]}" \
		-servername localhost </dev/null >"$W/sc$i.out" 2>&1
	rc=$?
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then k=hang
		cp "$W/sc$i.out" "$W/sc.other"
	elif grep -q '^New, TLSv1' "$W/sc$i.out" &&
	     grep -q 'Verify return code' "$W/sc$i.out" && [ "$rc" -eq 0 ]; then k=ok
	elif grep -qi 'alert' "$W/sc$i.out"; then k=alert
	elif grep -qi 'unexpected eof\|Connection reset\|errno=104\|write:errno\|closed' "$W/sc$i.out"; then k=close
	else k=other; cp "$W/sc$i.out" "$W/sc.other"; fi
	OUT[$k]=$((OUT[$k] + 1))
done
echo "# 6 s_client handshakes under faults: ${OUT[ok]} completed, ${OUT[alert]} alert, ${OUT[close]} close, ${OUT[other]} other, ${OUT[hang]} hung"
[ "${OUT[hang]}" -eq 0 ] && [ "${OUT[other]}" -eq 0 ] && hp_alive
check "A: fail_ppm 10 %: every s_client handshake ends in time with success, a TLS alert or a close" \
	$? "$W/sc.other" "$HP_LOG"
set_param fail_ppm 0

good=0
for v in ec13 rsa12c ec12g; do
	h2 "$v" 8 4
	h2_all 8 || { h2_line "$v after faults"; good=1; }
done
check "A: faults off: every request succeeds again (TLS 1.3, TLS 1.2 CBC and GCM)" $good "$W/h2.out"

# --- a device reset during load ------------------------------------------------
# wrk with "Connection: close": a TLS 1.3 handshake per request, so the
# reset finds handshakes in flight (established connections with AES-GCM
# records would not notice it).
r0=$(stat resets)
timeout -k 5 90 wrk -t1 -c4 -d6s --timeout 30s -H 'Connection: close' \
	"https://127.0.0.1:${PORT[ec13]}/" >"$W/reset.out" 2>&1 &
lp=$!
sleep 2
set_param reset 1
wait $lp
rc=$?
reqs=$(sed -n 's/^[[:space:]]*\([0-9]*\) requests in.*/\1/p' "$W/reset.out")
echo "# wrk -c4 -d6s, Connection: close, reset after 2 s: exit $rc, ${reqs:-no} requests; $(grep -E 'Socket errors|Non-2xx' "$W/reset.out" | tr -s ' ' | tr '\n' ' ')"
good=0
[ $rc -eq 0 ] && [ "${reqs:-0}" -gt 0 ] || good=1
hp_alive || { echo "# HAProxy died"; good=1; }
[ "$(stat resets)" -gt "$r0" ] || good=1
check "A: a device reset during a handshake load (wrk, Connection: close): wrk ends in time, HAProxy alive, reset counted" \
	$good "$W/reset.out" "$HP_LOG"

good=0
for v in ec13 rsa12c ec12g; do
	h2 "$v" 8 4
	h2_all 8 || { h2_line "$v after the reset"; good=1; }
done
check "A: after the reset every request succeeds (TLS 1.3, TLS 1.2 CBC and GCM)" $good "$W/h2.out"

settle 15; st=$?
check "A: after faults and the reset: submitted $(stat submitted) == completed $(stat completed), in_flight 0" $st
grep -c 'SSL handshake failure' "$HP_LOG" | sed 's/^/# handshake failures HAProxy logged: /'
hp_stop; rc=$?
check "A: HAProxy stops cleanly after faults and the reset (exit $rc)" $rc "$HP_LOG"

# ============ C: default first, asyncoff second, ?provider=asyncoff =========
hp_config "$W/c.cfg" "ssl-provider-path $MOD" "ssl-provider default" \
	"ssl-provider asyncoff" "ssl-propquery ?provider=asyncoff" \
	"ssl-mode-async"
if hp_start "$W/c.cfg"; then
	ok "C: HAProxy starts with default, then asyncoff, ssl-propquery ?provider=asyncoff, ssl-mode-async"
	for v in ec13 rsa12g; do
		s0=$(stat submitted)
		h2 "$v" 50 50
		h2_line "$v, first burst"
		h2_all 50 && [ "$(stat submitted)" -gt "$s0" ]
		check "C: first burst after the start, 50 connections: ${DESC[$v]}: 0 failed" \
			$? "$W/h2.out" "$HP_LOG"
	done
	hp_stop || stops=1
else
	notok "C: HAProxy starts with default, then asyncoff, ssl-propquery ?provider=asyncoff, ssl-mode-async"
	notok "C: first burst: ec13 (HAProxy did not start)"
	notok "C: first burst: rsa12g (HAProxy did not start)"
fi

# ================= B: without ssl-mode-async: >16 handshakes a thread =======
hp_config "$W/b.cfg" "ssl-provider-path $MOD" "ssl-provider asyncoff" \
	"ssl-provider default"
if hp_start "$W/b.cfg"; then
	ok "B: HAProxy starts without ssl-mode-async (asyncoff, then default)"
	for v in ec12g rsa12c; do
		s0=$(stat submitted)
		h2 "$v" 50 50
		h2_line "$v, 50 concurrent handshakes, no async"
		h2_all 50 && [ "$(stat submitted)" -gt "$s0" ]
		check "B: no ssl-mode-async, 50 concurrent handshakes on 2 threads: ${DESC[$v]}: 0 failed" \
			$? "$W/h2.out" "$HP_LOG"
	done
	hp_stop || stops=1
else
	notok "B: HAProxy starts without ssl-mode-async (asyncoff, then default)"
	for v in ec12g rsa12c; do notok "B: $v (HAProxy did not start)"; done
fi

settle 15
st=$?
[ $stops -eq 0 ] || echo "# a HAProxy did not stop cleanly"
[ $st -eq 0 ] && [ $stops -eq 0 ]; st=$?
check "at the end: submitted $(stat submitted) == completed $(stat completed), in_flight 0, every HAProxy stopped cleanly" $st
finish
