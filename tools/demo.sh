#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The main job's payload: runs where /dev/asyncoff0 exists (inside the
# QEMU VM that tools/run.sh boots, or on a host with the module loaded)
# and prints the benchmark tables: first the comparison of asyncoff with
# the afalg engine and software, then the device path and the bridge.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/build/bin
secs=${AOFF_RUN_SECONDS:-1}

echo "== asyncoff on $(uname -r), $(nproc) CPUs"
# What the figures were taken on: a benchmark guest boots Debian's default
# command line plus idle=poll and tsc=reliable (aoff-vm --profile bench).
echo "   kernel command line: $(cat /proc/cmdline)"
echo "   clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo '?')"
echo
# The headline: the same AES-128-CBC encryption through asyncoff, OpenSSL's
# afalg engine (kernel AF_ALG) and in-process software, 64 async jobs.
# Debian builds AF_ALG as modules, and the kernel's own module autoload
# does not reach the VM's root: load it here (see tools/provider-bench).
modprobe algif_skcipher 2>/dev/null || true
echo "== asyncoff vs afalg vs software (asyncoff-bench --compare)"
"$bin/asyncoff-bench" --compare --seconds "$secs" --quiet ||
	echo "(the comparison failed; the other tables follow)"
echo
echo "== Device path: NOP requests through the rings (libasyncoff), one context"
"$bin/asyncoff-bench" --mode ring --sweep --seconds "$secs" --quiet
echo
echo "== The same 64 requests in flight spread over many contexts (epoll)"
for c in 1 16 64; do
	"$bin/asyncoff-bench" --mode ring --jobs 64 --contexts "$c" \
		--seconds "$secs" --quiet | tail -n 1
done
echo
echo "== Async jobs through the bridge: one wait ctx and device context per job"
for m in fd callback; do
	"$bin/asyncoff-bench" --mode "$m" --jobs 64 --seconds "$secs" --quiet
done
"$bin/asyncoff-bench" --mode sync --seconds "$secs" --quiet | tail -n 1
echo
echo "== The floor: CPU per NOP, 64 in flight, against the kernel's io_uring NOP"
# CPU per operation = the process's + the rest of the machine's (in the
# guest: the device model's engines, interrupt and workers).
printf '%-10s %12s %12s %12s %12s %8s\n' mode ops/s "proc ns/op" "other ns/op" \
	"total ns/op" "x uring"
floor=
for m in uring ring fd; do
	j=$("$bin/asyncoff-bench" --mode "$m" --jobs 64 --seconds "$secs" --json \
		--quiet) || { echo "$m: failed"; continue; }
	v=$(printf '%s\n' "$j" | sed -n 's/.*"ops_per_sec":\([0-9.]*\).*"cpu_ns_per_op":\([0-9.]*\),"other_cpu_ns_per_op":\([0-9.a-z]*\).*/\1 \2 \3/p')
	set -- $v
	[ "$3" = null ] && set -- "$1" "$2" 0
	total=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", a + b }')
	[ -n "$floor" ] || floor=$total
	awk -v m="$m" -v o="$1" -v p="$2" -v q="$3" -v t="$total" -v f="$floor" \
		'BEGIN { printf "%-10s %12.0f %12.0f %12.0f %12.0f %8.1f\n", m, o, p, q, t, t / f }'
done
echo
echo "== System calls per operation, counted by the kernel (perf stat)"
for m in fd callback; do
	"$top/tools/bench-syscalls.sh" --mode "$m" --jobs 64 --seconds "$secs" ||
		echo "(perf stat unavailable; the bridge's own count is above)"
done
echo
# 10,000 contexts want ~1.5 GiB in the guest (tools/vm/aoff-vm --mem).
many=10000
mem_kb=$(awk '/^MemTotal/ {print $2}' /proc/meminfo)
[ "${mem_kb:-0}" -ge 1500000 ] || many=2000
echo "== $many jobs in flight, fd and callback mode (cost per op stays flat)"
for m in fd callback; do
	"$bin/asyncoff-bench" --mode "$m" --jobs "$many" --seconds "$secs" \
		--quiet | tail -n 1
done
echo
echo "== The async runtime against libcrypto: cost of an async job"
"$bin/aoff-async-bench" --iterations 200000 --repeat 3
