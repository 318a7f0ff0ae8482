#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# asyncoff-bench's own tests, as TAP, where /dev/asyncoff0 exists (the QEMU
# VM: make -C tools/asyncoff-bench check-vm-bench KERNEL=6.12):
# --compare's JSON (three paths, outputs verified), the re-exec of the
# libcrypto sibling, the SVG plot, the model settings restored, the AES job
# mode, --sqpoll off, --sq-idle-us, the other CPU per op, and no progress
# line when stderr is not a terminal.
set -u
bin=${1:?usage: check-bench.sh BINDIR}
B=$bin/asyncoff-bench
W=$(mktemp -d)
n=0 failed=0
trap 'rm -rf "$W"' EXIT

ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n $1"; }
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }
check() { name=$1; shift; if "$@"; then ok "$name"; else notok "$name"; fi; }

# A JSON document's field values, by a path of keys (perl's core JSON::PP).
json() {	# $1 file, $2 perl expression over $j
	perl -MJSON::PP -e '
		local $/; open my $f, "<", $ARGV[0] or die;
		my $j = decode_json(<$f>); my $v = eval $ARGV[1];
		die $@ if $@; print defined $v ? "$v\n" : "null\n";' "$1" "$2"
}

echo "1..17"
# AF_ALG is built as modules; the guest's modprobe sees the host's.
modprobe algif_skcipher 2>/dev/null || true
dev=/sys/class/misc/asyncoff0

check "help lists --compare --plot --sqpoll --coalesce-frames" \
	sh -c "'$B' --help | grep -q -- --compare && '$B' --help |
	       grep -q -- --plot && '$B' --help | grep -q -- --sqpoll &&
	       '$B' --help | grep -q -- --coalesce-frames"

f0=$(cat $dev/coalesce_frames) u0=$(cat $dev/coalesce_usecs)
"$B" --compare --seconds 0.2 --rounds 2 --jobs 16 --sizes 16,64 --json \
	--coalesce-frames 4 --coalesce-usecs 50 --plot "$W/c.svg" \
	>"$W/c.json" 2>"$W/c.err"
rc=$?
check "compare: exit 0, the libcrypto sibling announced on stderr" \
	sh -c "[ $rc = 0 ] && grep -q asyncoff-bench-libcrypto '$W/c.err'"
v=$(json "$W/c.json" '$j->{mode} . scalar @{$j->{results}}' 2>&1)
check "compare: valid JSON, mode compare, 2 sizes ($v)" [ "$v" = compare2 ]
v=$(json "$W/c.json" 'join ",", map { ($_->{verified} ? 1 : 0) .
	($_->{asyncoff}{ops_per_sec} > 0 ? 1 : 0) .
	($_->{software}{ops_per_sec} > 0 ? 1 : 0) } @{$j->{results}}' 2>&1)
check "compare: asyncoff and software measured, outputs verified ($v)" \
	[ "$v" = 111,111 ]
avail=$(json "$W/c.json" '$j->{afalg}{available} ? 1 : 0' 2>&1)
if [ "$avail" = 1 ]; then
	v=$(json "$W/c.json" 'join ",", map {
		($_->{afalg}{ops_per_sec} > 0 ? 1 : 0) .
		($_->{asyncoff_vs_afalg} > 0 ? 1 : 0) } @{$j->{results}}' 2>&1)
	check "compare: afalg measured, ratio reported ($v)" [ "$v" = 11,11 ]
else
	skip "compare: afalg measured, ratio reported" \
		"afalg unavailable: $(json "$W/c.json" '$j->{afalg}{reason}' 2>&1)"
fi
v=$(json "$W/c.json" 'join ",", map { my $r = $_->{asyncoff};
	($r->{ops_per_sec_min} <= $r->{ops_per_sec} &&
	 $r->{ops_per_sec} <= $r->{ops_per_sec_max} ? 1 : 0) } @{$j->{results}}' 2>&1)
check "compare: 2 rounds, the median within the rounds' min and max ($v)" \
	[ "$v" = 1,1 ]
# A figure names the guest it came from (benchmark.md): command line and
# clocksource, and the benchmark guest has no allocator debugging.
v=$(json "$W/c.json" '$j->{clocksource} . "|" . $j->{cmdline}' 2>&1)
check "compare: JSON names the guest's clocksource and command line ($v)" \
	sh -c "case '$v' in ?*\|*console=*) exit 0;; esac; exit 1"
check "benchmark guest: idle=poll, no slub_debug, no init_on_free" \
	sh -c "grep -qw idle=poll /proc/cmdline &&
	       ! grep -qE 'slub_debug|init_on_free' /proc/cmdline"
v=$(json "$W/c.json" '$j->{model}{coalesce_frames} . "/" .
	$j->{model}{coalesce_usecs}' 2>&1)
v="$v, after $(cat $dev/coalesce_frames)/$(cat $dev/coalesce_usecs)"
check "compare: model settings applied during the run, restored after ($v)" \
	[ "$v" = "4/50, after $f0/$u0" ]
if command -v xmllint >/dev/null; then
	check "plot: well-formed SVG with three series" \
		sh -c "xmllint --noout '$W/c.svg' &&
		       [ \$(grep -c '<polyline' '$W/c.svg') -ge 2 ] &&
		       grep -q '>software<' '$W/c.svg'"
else
	skip "plot: well-formed SVG" "xmllint missing (libxml2-utils)"
fi

"$B" --mode fd --op aes-128-cbc --size 64 --jobs 8 --seconds 0.2 \
	--sqpoll off >"$W/a.out" 2>"$W/a.err"
rc=$?
check "fd mode aes-128-cbc with --sqpoll off: ops counted, sqpoll off" \
	sh -c "[ $rc = 0 ] && tail -n 1 '$W/a.out' |
	       awk '{ exit !(\$4 > 0 && \$NF == \"off\") }'"
check "no progress line when stderr is not a terminal" \
	sh -c "! grep -q \"\$(printf '\\r')\" '$W/a.err' '$W/c.err'"
"$B" --mode fd --op aes-128-cbc --size 10 >/dev/null 2>&1
check "aes with a size not a multiple of 16: refused (exit 2)" \
	[ $? = 2 ]
"$B" --mode fd --jobs 16 --seconds 0.5 --sq-idle-us 50000 --json \
	>"$W/i.json" 2>"$W/i.err"
rc=$?
v=$(json "$W/i.json" '($j->{sqpoll} ? "on" : "off") . "," .
	($j->{ops} > 0 ? 1 : 0) . "," .
	($j->{other_cpu_ns_per_op} =~ /^[0-9.]+$/ ? "number" : "none")' 2>&1)
check "fd mode --sq-idle-us 50000: SQPOLL, ops, other CPU per op ($rc: $v)" \
	[ "$rc,$v" = "0,on,1,number" ]
"$B" --mode fd --sqpoll off --sq-idle-us 1000 >/dev/null 2>&1
r1=$?
"$B" --mode fd --sq-idle-us 1000001 >/dev/null 2>&1
check "--sq-idle-us with --sqpoll off, or above 10^6: refused ($r1, $?)" \
	[ "$r1,$?" = "2,2" ]
"$B" --mode uring --jobs 16 --seconds 0.2 --json >"$W/u.json" 2>"$W/u.err"
rc=$?
v=$(json "$W/u.json" '$j->{mode} . "," . ($j->{ops} > 0 ? 1 : 0) . "," .
	($j->{syscalls_per_op} < 1 ? 1 : 0)' 2>&1)
check "uring mode (the io_uring NOP floor): ops, under 1 syscall per op ($rc: $v)" \
	[ "$rc,$v" = "0,uring,1,1" ]
# System calls counted by the kernel beside the bridge's own figure.
if command -v perf >/dev/null 2>&1; then
	AOFF_BENCH=$B "$(dirname "$0")/../bench-syscalls.sh" --mode fd --jobs 16 \
		--seconds 0.3 >"$W/s.out" 2>"$W/s.err"
	rc=$?
	check "bench-syscalls: perf's count per op beside the bridge's ($rc: $(cat "$W/s.out" "$W/s.err" | tr '\n' ' '))" \
		sh -c "[ $rc = 0 ] && grep -Eq 'kernel: [0-9.]+ syscalls/op .*bridge: [0-9.]+' '$W/s.out'"
else
	skip "bench-syscalls: perf's count per op" "perf missing (linux-perf)"
fi
exit $failed
