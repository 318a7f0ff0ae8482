#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# System calls per operation as the kernel counts them, beside the bridge's
# own count: runs one asyncoff-bench measurement (--json) under
# "perf stat -e raw_syscalls:sys_enter -e syscalls:sys_enter_clock_gettime"
# and prints one line per run.  The kernel's count covers the whole process
# (setup and warm-up included), so it is an upper bound of the measured
# loop's; clock_gettime calls are shown apart because in a TCG guest the
# clocksource is hpet and each one is a system call (the benchmark samples
# its clock, see BENCH_LAT_EVERY in tools/asyncoff-bench/bench.h).
#
# Usage: bench-syscalls.sh ASYNCOFF-BENCH-ARGS...   (e.g. --mode fd --jobs 64)
# Needs Debian's linux-perf and tracefs (the VM runner mounts debugfs).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bench=${AOFF_BENCH:-$top/build/bin/asyncoff-bench}

if ! command -v perf >/dev/null 2>&1; then
	echo "bench-syscalls: perf not found (apt-get install linux-perf)" >&2
	exit 1
fi
W=$(mktemp -d)

# Switching a tracepoint on or off patches kernel text (its static key).
# Under QEMU's TCG a vCPU can run a stale translation of the patched code
# and die on the int3 the patching leaves for a moment ("Oops: int3" in
# __schedule, seen on Debian's 6.12 guest when perf switched
# raw_syscalls:sys_enter on).  So the two events are switched on through
# tracefs while the other CPUs are offline, stay on while perf counts (perf
# then only adds a probe, no patching), and are switched off the same way.
T=/sys/kernel/tracing
events="raw_syscalls/sys_enter syscalls/sys_enter_clock_gettime"
cpus_set() {	# 0|1: every CPU but the boot CPU offline / online
	for c in /sys/devices/system/cpu/cpu[1-9]*/online; do
		[ -w "$c" ] && echo "$1" >"$c"
	done
	return 0
}
events_set() {	# 0|1
	cpus_set 0
	for e in $events; do
		echo "$1" >"$T/events/$e/enable" || { cpus_set 1; return 1; }
	done
	cpus_set 1
}
if [ "${AOFF_IN_VM:-}" = 1 ]; then
	[ -d "$T/events" ] || mount -t tracefs tracefs "$T" 2>/dev/null || true
	# Nothing is written to the trace buffer: the probes stay, the
	# buffer is off.
	echo 0 >"$T/tracing_on" 2>/dev/null || true
	events_set 1 || {
		echo "bench-syscalls: cannot switch the events on in $T" >&2
		exit 1
	}
	trap 'events_set 0; rm -rf "$W"' EXIT
else
	trap 'rm -rf "$W"' EXIT
fi

if ! perf stat -x, -o "$W/perf" -e raw_syscalls:sys_enter \
	-e syscalls:sys_enter_clock_gettime -- \
	"$bench" --json --quiet "$@" >"$W/json" 2>"$W/err"; then
	echo "bench-syscalls: asyncoff-bench $* failed:" >&2
	cat "$W/err" "$W/perf" >&2
	exit 1
fi
# perf -x, lines: value,unit,event,...; "<not supported>" when tracefs or
# the event is missing.
all=$(awk -F, '$3 == "raw_syscalls:sys_enter" { print $1 }' "$W/perf")
clk=$(awk -F, '$3 == "syscalls:sys_enter_clock_gettime" { print $1 }' "$W/perf")
case "$all$clk" in
*[!0-9]* | "")
	echo "bench-syscalls: perf could not count the tracepoints" \
		"(is tracefs mounted?):" >&2
	cat "$W/perf" >&2
	exit 1
	;;
esac
# The benchmark's JSON: its operation count and the bridge's own figure.
ops=$(sed -n 's/.*"ops":\([0-9]*\).*/\1/p' "$W/json")
own=$(sed -n 's/.*"syscalls_per_op":\([0-9.]*\).*/\1/p' "$W/json")
[ -n "$ops" ] && [ "$ops" -gt 0 ] || {
	echo "bench-syscalls: no operation count in: $(cat "$W/json")" >&2
	exit 1
}
awk -v a="$all" -v c="$clk" -v n="$ops" -v own="$own" -v args="$*" 'BEGIN {
	printf "%-36s %9d ops  kernel: %.4f syscalls/op (%.4f clock_gettime, " \
	       "%.4f other)  bridge: %s\n", args, n, a / n, c / n, (a - c) / n, own
}'
