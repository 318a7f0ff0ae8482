#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# pk-bench: does the async path hide the device's public-key latency?
# openssl speed -async_jobs J rsa2048 (and the other public-key tests)
# through the asyncoff provider (openssl.cnf default_properties
# ?provider=asyncoff: speed takes no -propquery for public-key work), with
# the model's pk_latency_ns set to L, against J/L and against the
# synchronous path (no -async_jobs: one request at a time, about 1/L per
# thread), plus the default provider's software, and the process's CPU per
# operation (user + system) offloading against computing; every run in one VM boot
# of the benchmark guest.  Under QEMU/TCG only ratios of one run mean
# anything.
#
# First the engines' own rate is measured (L = 0, 64 jobs): L is then
# chosen so that the largest J / L stays under half of it, so the figure
# shows latency hiding, not the engines' limit.  Both are printed.
#
# Usage: pk-bench.sh [--kernel 6.1|6.12] [--seconds S] [--jobs "1 8 64"]
#                    [--latency-ns L] [--rounds N] [--tests "rsa2048 ..."]
#        pk-bench.sh --in-vm ...   (what runs inside the VM)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kernel=6.12 seconds=3 jobs="1 8 64" lat= rounds=3 in_vm=0
tests="rsa2048 ecdsap256 ecdhp256 ecdhx25519"
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift;;
	--seconds) seconds=$2; shift;;
	--jobs) jobs=$2; shift;;
	--latency-ns) lat=$2; shift;;
	--rounds) rounds=$2; shift;;
	--tests) tests=$2; shift;;
	--in-vm) in_vm=1;;
	-h|--help) sed -n '3,21p' "$0"; exit 0;;
	*) echo "pk-bench: unknown option $1" >&2; exit 2;;
	esac
	shift
done

if [ $in_vm = 0 ]; then
	build=${BUILD:-$top/build}
	make -s -C "$top/lib/provider" >&2
	mod=$("$top/tools/vm/aoff-module" "$kernel")
	# --profile bench: Debian's default command line plus what TCG needs
	# (Documentation/benchmark.md).
	exec "$top/tools/vm/aoff-vm" --kernel "$kernel" --timeout 3000 \
		--profile bench --module "$mod" \
		--env OPENSSL_MODULES="$build/lib/ossl-modules" -- \
		"$0" --in-vm --seconds "$seconds" --jobs "$jobs" \
		--rounds "$rounds" --tests "$tests" ${lat:+--latency-ns "$lat"}
fi

# --- inside the VM --------------------------------------------------------
mod=${OPENSSL_MODULES:?}
dev=/sys/class/misc/asyncoff0
W=$(mktemp -d)
lat0=$(cat $dev/pk_latency_ns)
trap 'echo "$lat0" >$dev/pk_latency_ns; rm -rf "$W"' EXIT
cat >"$W/openssl.cnf" <<CNF
openssl_conf = openssl_init
[openssl_init]
providers = provider_sect
alg_section = evp_properties
[provider_sect]
default = default_sect
asyncoff = asyncoff_sect
[default_sect]
activate = 1
[asyncoff_sect]
module = $mod/asyncoff.so
activate = 1
[evp_properties]
default_properties = ?provider=asyncoff
CNF

# Operations per second of one speed run of test $1 (the first figure of
# its -mr line: signatures for rsa/ecdsa, derivations for ecdh); $2: jobs
# (0: synchronous), $3: "aoff" or "default".
speed() {
	if [ "$2" -gt 0 ]; then set -- "$1" "$2" "$3" -async_jobs "$2"
	else set -- "$1" "$2" "$3"; fi
	t=$1 where=$3
	shift 3
	if [ "$where" = aoff ]; then
		OPENSSL_CONF=$W/openssl.cnf openssl speed -mr -elapsed \
			-seconds "$seconds" "$@" "$t" >"$W/out" 2>"$W/err"
	else
		OPENSSL_CONF=/dev/null openssl speed -mr -elapsed \
			-seconds "$seconds" "$@" "$t" >"$W/out" 2>"$W/err"
	fi || { echo fail; return; }
	# speed -mr writes "+R<n>:count:bits:seconds" on stderr, the first
	# one for rsa and ecdsa being the signatures, for ecdh derivations.
	awk -F: '/^\+R[0-9]*:/ { printf "%.1f\n", $2 / $4; exit }' \
		"$W/err" "$W/out"
}

# Seconds of CPU (user + system) this shell's children have used so far:
# the second line of the shell's "times" builtin, run in this shell (in a
# command substitution it would count the subshell's children only).
child_cpu() {
	times >"$W/times"
	sed -n 2p "$W/times" | tr 'ms' '  ' |
		awk '{ print $1 * 60 + $2 + $3 * 60 + $4 }' >"$W/cpu"
}

# The process's CPU per operation of one speed run of test $1 with $2 jobs
# ($3 as for speed), in microseconds: what the offloading application pays
# (openssl speed's own figure counts user time only).
cpu_us() {
	child_cpu
	c0=$(cat "$W/cpu")
	speed "$@" >"$W/ops"
	child_cpu
	c1=$(cat "$W/cpu")
	ops=$(cat "$W/ops")
	case $ops in fail|"") echo fail; return;; esac
	awk -v a="$c0" -v b="$c1" -v o="$ops" -v s="$seconds" 'BEGIN {
		n = o * s; if (n <= 0) { print "fail"; exit }
		printf "%.1f\n", (b - a) / n * 1e6 }'
}

# The median of $rounds runs of "${fn:-speed} $@", with min and max.
median() {
	i=0
	: >"$W/rounds"
	while [ $i -lt "$rounds" ]; do
		${fn:-speed} "$@" >>"$W/rounds"
		i=$((i + 1))
	done
	if grep -q fail "$W/rounds"; then echo "fail - -"; return; fi
	sort -n "$W/rounds" | awk '{ v[NR] = $1 }
		END { printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

echo "pk-bench: kernel $(uname -r); openssl $(openssl version | cut -d' ' -f2)"
echo "guest: $(cat /proc/cmdline); clocksource" \
     "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "device: engines $(cat $dev/engines), pk_busy_ns $(cat $dev/pk_busy_ns);" \
     "-seconds $seconds, median of $rounds rounds (min-max)"
for t in $tests; do
	echo
	echo "## $t"
	echo 0 >$dev/pk_latency_ns
	max=$(echo "$jobs" | tr ' ' '\n' | sort -n | tail -n 1)
	set -- $(median "$t" "$max" aoff)
	cap=$1
	echo "engines' own rate (L = 0, $max jobs): $1 ops/s ($2-$3)"
	set -- $(median "$t" 0 default)
	echo "default provider, in-process: $1 ops/s ($2-$3)"
	L=$lat
	if [ -z "$L" ]; then
		# J/L under half the engines' rate: L >= 2 J / cap seconds.
		L=$(awk -v j="$max" -v c="$cap" 'BEGIN {
			if (c <= 0) { print 10000000; exit }
			l = 2 * j / c * 1e9; if (l < 1000000) l = 1000000
			printf "%.0f\n", l }')
	fi
	echo "$L" >$dev/pk_latency_ns
	# At least six latencies per run, so a job completes several
	# operations (RSA under TCG wants seconds of L).
	s0=$seconds
	seconds=$(awk -v s="$s0" -v l="$L" 'BEGIN {
		m = 6 * l / 1e9; printf "%d\n", (s > m ? s : m) + 0.999 }')
	echo "model latency L = pk_latency_ns $L; -seconds $seconds"
	echo "| jobs | asyncoff ops/s | J/L | % of J/L | synchronous ops/s | 1/L |"
	echo "|-----:|---------------:|----:|---------:|------------------:|----:|"
	set -- $(median "$t" 0 aoff)
	sync="$1 ($2-$3)"
	for j in $jobs; do
		set -- $(median "$t" "$j" aoff)
		awk -v j="$j" -v a="$1" -v lo="$2" -v hi="$3" -v l="$L" -v s="$sync" 'BEGIN {
			jl = j / (l / 1e9)
			printf "| %d | %s (%s-%s) | %.1f | %.1f %% | %s | %.1f |\n",
			       j, a, lo, hi, jl, 100 * a / jl, s, 1 / (l / 1e9) }'
	done
	# CPU per operation: the process offloading (model latency 0, so
	# the figure is not the time spent waiting) against the software.
	echo 0 >$dev/pk_latency_ns
	seconds=$s0
	echo
	echo "CPU per operation (the process's user + system time):"
	echo "| path | µs per op |"
	echo "|---|---:|"
	set -- $(fn=cpu_us median "$t" "$max" aoff)
	echo "| asyncoff, $max jobs | $1 ($2-$3) |"
	set -- $(fn=cpu_us median "$t" 0 aoff)
	echo "| asyncoff, synchronous | $1 ($2-$3) |"
	set -- $(fn=cpu_us median "$t" 0 default)
	echo "| default provider | $1 ($2-$3) |"
done
