#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# TAP on stdout: runs aoff_broken.ko under the QEMU runner on the debug
# kernel once per bug class and once clean.
#
# Usage: selftests/sanitizer/check-vm-sanitizer.sh PATH/aoff_broken.ko
#
# A bug class passes when the runner FAILS (non-zero, not a timeout or a
# usage error), its output names that class's report, no other class's
# report appears (so the right instrument fired, not something else), and
# the kernel log shows the module triggered that class.  The clean run
# passes when the runner passes with the module loaded and the instruments
# present in the guest.
# Logs: build/sanitizer/logs/<class>.out (runner) and .kmsg (kernel log).
# Environment: AOFF_SANITIZER_KERNEL (default debug), AOFF_SANITIZER_TIMEOUT
# (seconds per run, default 400).
set -u
ko=${1:?usage: $0 PATH/aoff_broken.ko}
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=$top/tools/vm/aoff-vm
logdir=${BUILD:-$top/build}/sanitizer/logs
mkdir -p "$logdir"
timeout_s=${AOFF_SANITIZER_TIMEOUT:-400}
# Another kernel to prove (a bzImage path, see tools/vm/aoff-kernel).
kernel=${AOFF_SANITIZER_KERNEL:-debug}

# class|trigger|what the runner's output must name
cases=(
	"kasan|kasan|KASAN: slab-out-of-bounds"
	"lockdep|lockdep|possible circular locking dependency"
	"kmemleak|leak|unreferenced object"
	"atomic-sleep|atomic-sleep|sleeping function called from invalid context"
	"ubsan|ubsan|UBSAN: shift-out-of-bounds"
)

# The guest checks on the clean run: the module is loaded and every
# instrument the bug classes rely on is really in this kernel.
clean_cmd='grep -q "^aoff_broken " /proc/modules &&
	test -w /sys/kernel/debug/kmemleak &&
	test -e /proc/lockdep &&
	zcat /proc/config.gz | grep -qx CONFIG_KASAN=y &&
	zcat /proc/config.gz | grep -qx CONFIG_UBSAN=y &&
	zcat /proc/config.gz | grep -qx CONFIG_DEBUG_ATOMIC_SLEEP=y'

echo "1..$((${#cases[@]} + 1))"
n=0

# $1 name: runs the VM, leaves status in $rc and output in $out, $kmsg
vm_run() {
	local name=$1
	shift
	out=$logdir/$name.out kmsg=$logdir/$name.kmsg
	rm -f "$out" "$kmsg"
	# From the top directory: visible in the guest (not under /tmp).
	(cd "$top" && "$vm" --kernel "$kernel" --timeout "$timeout_s" \
		--log "$kmsg" --module "$ko" "$@") >"$out" 2>&1 </dev/null
	rc=$?
}

diag() { # lines of evidence for a failed test
	sed 's/^/#   /' | head -n 40
}

n=$((n + 1))
vm_run clean -- sh -c "$clean_cmd"
if [ "$rc" -eq 0 ]; then
	echo "ok $n clean: aoff_broken.ko loaded without trigger passes on the debug kernel"
else
	echo "not ok $n clean: aoff_broken.ko loaded without trigger passes on the debug kernel"
	echo "# runner exit $rc (want 0); output:"
	diag <"$out"
fi

for c in "${cases[@]}"; do
	IFS='|' read -r name trigger expect <<<"$c"
	n=$((n + 1))
	title="$name: trigger=$trigger fails the run, naming \"$expect\""
	vm_run "$name" --module-args "trigger=$trigger" -- true
	why=
	if [ "$rc" -eq 0 ]; then
		why="the runner passed"
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 2 ]; then
		why="the runner exited $rc (timeout or usage error), not a detected bug"
	elif ! grep -qF -- "$expect" "$out"; then
		why="the runner's output does not name \"$expect\""
	elif ! tr -d '\r' <"$kmsg" | grep -qF "aoff_broken: triggering $trigger"; then
		why="the kernel log does not show the module triggering $trigger"
	else
		for o in "${cases[@]}"; do
			IFS='|' read -r oname _ oexpect <<<"$o"
			[ "$oname" != "$name" ] || continue
			if grep -qF -- "$oexpect" "$out"; then
				why="another class's report (\"$oexpect\") appeared too"
				break
			fi
		done
	fi
	if [ -z "$why" ]; then
		echo "ok $n $title"
	else
		echo "not ok $n $title"
		echo "# $why (runner exit $rc); output:"
		diag <"$out"
	fi
done
