#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# aead-bench: AES-128-GCM and ChaCha20-Poly1305 records (TLS 1.3 style:
# key kept, new IV, 13 bytes of AAD, tag; aead-bench.c) through the
# asyncoff provider with its offload policy and through the default
# provider, per size and number of async jobs, every run in one VM boot of
# the benchmark guest.  Each figure is the median of --rounds rounds with
# min and max.  The "ran on" column is the device's sysfs submitted counter
# per record during the provider's runs: below the policy's aead size the
# provider computes in-process (0), from it on the device (1).  Prints a
# Markdown table and writes an SVG plot (MB/s against size, log-log, one
# line per provider and job count, the threshold a vertical line).  Under
# QEMU/TCG only ratios of one run mean anything.
#
# Usage: aead-bench.sh [--kernel 6.1|6.12] [--seconds S] [--jobs "1 16 64"]
#                      [--bytes "16 64 ..."] [--rounds N]
#                      [--ciphers "AES-128-GCM ChaCha20-Poly1305"]
#                      [--svg FILE]     (default build/bench/aead-bench.svg)
#        ASYNCOFF_OFFLOAD=aead:N aead-bench.sh ...  another threshold
#        aead-bench.sh --in-vm ...   (what runs inside the VM)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kernel=6.12 seconds=1 jobs="1 16 64" bytes="16 64 256 1024 4096 16384"
rounds=3 ciphers="AES-128-GCM ChaCha20-Poly1305" svg='' in_vm=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift;;
	--seconds) seconds=$2; shift;;
	--jobs) jobs=$2; shift;;
	--bytes) bytes=$2; shift;;
	--rounds) rounds=$2; shift;;
	--ciphers) ciphers=$2; shift;;
	--svg) svg=$2; shift;;
	--in-vm) in_vm=1;;
	-h|--help) sed -n '3,21p' "$0"; exit 0;;
	*) echo "aead-bench: unknown option $1" >&2; exit 2;;
	esac
	shift
done

if [ $in_vm = 0 ]; then
	build=${BUILD:-$top/build}
	svg=${svg:-$build/bench/aead-bench.svg}
	make -s -C "$here" all >&2
	mod=$("$top/tools/vm/aoff-module" "$kernel")
	out=$(mktemp)
	trap 'rm -f "$out" "$out.rc"' EXIT
	# --profile bench: Debian's default command line plus what TCG needs
	# (Documentation/benchmark.md).  The host's root is read-only in the
	# guest, so the plot is drawn here from the table it prints.
	{
		rc=0
		"$top/tools/vm/aoff-vm" --kernel "$kernel" --timeout 3000 \
			--profile bench --module "$mod" \
			--env OPENSSL_MODULES="$build/lib/ossl-modules" \
			--env AEAD_BENCH="$build/tools/provider-bench/aead-bench" \
			${ASYNCOFF_OFFLOAD:+--env ASYNCOFF_OFFLOAD="$ASYNCOFF_OFFLOAD"} \
			-- "$0" --in-vm --seconds "$seconds" --jobs "$jobs" \
			--bytes "$bytes" --rounds "$rounds" \
			--ciphers "$ciphers" || rc=$?
		echo "$rc" >"$out.rc"
	} | tee "$out"
	rc=$(cat "$out.rc")
	[ "$rc" = 0 ] || exit "$rc"
	mkdir -p "$(dirname "$svg")"
	"$here/aead-plot.sh" <"$out" >"$svg"
	echo "plot: $svg" >&2
	exit 0
fi

# --- inside the VM --------------------------------------------------------
bench=${AEAD_BENCH:?}
dev=/sys/class/misc/asyncoff0
export OPENSSL_CONF=/dev/null	# the policy from ASYNCOFF_OFFLOAD only

# The policy's aead size in bytes (lib/provider/policy.c): from
# ASYNCOFF_OFFLOAD when it names aead, else the default, 1024.  "off":
# never the device.
thr=$(echo "${ASYNCOFF_OFFLOAD:-}" | tr ',' '\n' | sed -n 's/^aead://p' |
	tail -n 1)
case $thr in
"") thr=1024;;
on) thr=0;;
off) thr=off;;
*[kK]) thr=$(( ${thr%?} * 1024 ));;
*[mM]) thr=$(( ${thr%?} * 1024 * 1024 ));;
esac

# One driver run: "ops min max cpu cpumin cpumax submitted_per_record".
run() {	# $1 cipher, $2 provider, $3 bytes, $4 jobs
	if ! "$bench" --cipher "$1" --provider "$2" --bytes "$3" --jobs "$4" \
		--seconds "$seconds" --rounds "$rounds" \
		--counter $dev/submitted >"$W/out" 2>"$W/err"; then
		sed 's/^/  aead-bench: /' "$W/err" >&2
		echo "- - - - - - -"
		return
	fi
	sed -n 's/^median //p' "$W/out"
}

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
echo "aead-bench: kernel $(uname -r); openssl $(openssl version | cut -d' ' -f2);" \
     "-seconds $seconds per round, median of $rounds rounds (min-max)"
echo "guest: $(cat /proc/cmdline); clocksource" \
     "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "asyncoff model: engines $(cat $dev/engines), latency_ns" \
     "$(cat $dev/latency_ns), ns_per_kib $(cat $dev/ns_per_kib)"
echo "policy: aead threshold $thr bytes" \
     "(ASYNCOFF_OFFLOAD=${ASYNCOFF_OFFLOAD:-unset, the default})"
echo
echo "| cipher | jobs | bytes | asyncoff ran on (submitted/record) | asyncoff ops/s | asyncoff MB/s | asyncoff CPU ns/op | default ops/s | default MB/s | default CPU ns/op | asyncoff/default |"
echo "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"
fail=0
for c in $ciphers; do
	for j in $jobs; do
		for b in $bytes; do
			a=$(run "$c" asyncoff "$b" "$j")
			d=$(run "$c" default "$b" "$j")
			line=$(awk -v c="$c" -v j="$j" -v b="$b" -v a="$a" \
				-v d="$d" -v thr="$thr" 'BEGIN {
				split(a, A, " "); split(d, D, " ")
				if (A[1] == "-") where = "failed"
				else if (A[7] == "-") where = "?"
				else {
					where = A[7] >= 0.5 ? "device" : "in-process"
					want = (thr != "off" && b + 0 >= thr + 0) ? "device" : "in-process"
					if (where != want) where = where " (policy: " want "!)"
					where = where sprintf(" (%s)", A[7])
				}
				if (D[1] == "-") where = where " (default failed!)"
				fa = A[1] == "-" ? "-" : sprintf("%d (%d-%d)", A[1], A[2], A[3])
				fd = D[1] == "-" ? "-" : sprintf("%d (%d-%d)", D[1], D[2], D[3])
				ma = A[1] == "-" ? "-" : sprintf("%.2f", A[1] * b / 1e6)
				md = D[1] == "-" ? "-" : sprintf("%.2f", D[1] * b / 1e6)
				ca = A[1] == "-" ? "-" : sprintf("%d (%d-%d)", A[4], A[5], A[6])
				cd = D[1] == "-" ? "-" : sprintf("%d (%d-%d)", D[4], D[5], D[6])
				r = (A[1] == "-" || D[1] == "-" || D[1] <= 0) ? "-" : sprintf("%.2f", A[1] / D[1])
				printf "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n",
				       c, j, b, where, fa, ma, ca, fd, md, cd, r }')
			echo "$line"
			case $line in *failed*|*"!)"*) fail=1;; esac
		done
	done
done
[ $fail = 0 ] || echo "aead-bench: a run failed or went against the policy" >&2
exit $fail
