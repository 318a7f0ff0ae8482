#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Proves the QEMU runner works: boots each kernel a few times and checks
# what comes back.  Prints TAP.
#
# Usage: tools/vm/tests/vm-runner-selftest.sh [KERNEL...]   (default: 6.1 6.12)
#
# Per kernel, four boots:
#   A  a command that prints on stdout and stderr, reads a file the host
#      just wrote, tries to write the read-only root and /tmp, looks at the
#      module given with --module (the kernel's own dummy.ko, with an
#      argument) and exits 3
#   B  a command that exits 0
#   C  a command that writes a "WARNING:" line into the kernel log and
#      exits 0: the run must fail
#   D  a command that sleeps past --timeout: the run must end with 124
# Plus checks that need no VM: usage errors and aoff-kernel's answers.
set -u

here=$(cd "$(dirname "$0")" && pwd)
vm=$here/../aoff-vm
aoff_kernel=$here/../aoff-kernel
top=$(cd "$here/../../.." && pwd)
work=${BUILD:-$top/build}/vm/selftest
mkdir -p "$work"
cd "$top" || exit 1

kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)

n=0 failed=0
ok() {
	n=$((n + 1))
	echo "ok $n $*"
}
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n $*"
}
skip() {
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"
}
check() { # name command...
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}
diag() { sed 's/^/# /'; }

# One run of the runner: stdout to $work/out, stderr to $work/err, status
# in $rc.  Shows both as TAP comments so a failure can be read in the log.
rc=0
run_vm() {
	local start=$SECONDS
	"$vm" "$@" >"$work/out" 2>"$work/err" </dev/null
	rc=$?
	echo "# aoff-vm $* -> exit $rc in $((SECONDS - start))s"
	diag <"$work/out"
	diag <"$work/err"
}
out_has() { grep -qxF -- "$1" "$work/out"; }
err_has() { grep -qF -- "$1" "$work/err"; }
line_no() { grep -nxF -- "$1" "$work/out" | head -n1 | cut -d: -f1; }
in_order() { # line... : each present, each after the previous
	local prev=0 cur
	for l in "$@"; do
		cur=$(line_no "$l")
		[ -n "$cur" ] && [ "$cur" -gt "$prev" ] || return 1
		prev=$cur
	done
}

# Boots per kernel plus the host-only checks.
echo "1..$((2 + ${#kernels[@]} * 13))"

# --- No VM needed ---------------------------------------------------------------
"$vm" >/dev/null 2>"$work/err" </dev/null
r=$?
check "aoff-vm without a command is a usage error (exit 2)" [ $r = 2 ]
"$vm" --kernel no-such-kernel -- true >/dev/null 2>"$work/err" </dev/null
r=$?
check "aoff-vm with an unknown kernel fails with a message" \
	eval '[ $r = 1 ] && grep -q "unknown kernel" "$work/err"'

for k in "${kernels[@]}"; do
	if ! vars=$("$aoff_kernel" "$k" 2>"$work/err"); then
		reason=$(head -n1 "$work/err")
		for t in aoff-kernel exit-3 stdout-stderr-order host-root read-only tmp \
			module cwd-env exit-0 warning-fails warning-printed timeout \
			timeout-output; do
			skip "$k: $t" "${reason:-kernel $k not available}"
		done
		continue
	fi
	KVER= KIMAGE= KMODDIR=
	eval "$vars"
	check "$k: aoff-kernel names an existing image ($KVER)" [ -r "$KIMAGE" ]

	# A module without dependencies that shows it is loaded and takes a
	# parameter: numdummies=2 creates dummy0 and dummy1.
	dummy=
	if [ -n "$KMODDIR" ]; then
		dummy=$(find "$KMODDIR/kernel/drivers/net" -maxdepth 1 -name 'dummy.ko*' | head -n1)
	fi

	# A: output, order, host root, read-only, tmp, module, cwd, env, exit 3.
	token=token-$RANDOM-$RANDOM-$$
	echo "$token" >"$work/token"
	mod_opts=()
	[ -z "$dummy" ] || mod_opts=(--module "$dummy" --module-args numdummies=2)
	run_vm --kernel "$k" "${mod_opts[@]}" --timeout 300 -- sh -c '
		echo out-first
		echo err-middle >&2
		echo out-last
		echo "token:$(cat "$1")"
		if touch ./.aoff-ro-probe 2>/dev/null; then echo ro:no; else echo ro:yes; fi
		echo tmp-data >/tmp/probe && echo "tmp:$(cat /tmp/probe)"
		if [ -d /sys/class/net/dummy1 ]; then echo mod:yes; else echo mod:no; fi
		echo "cwd:$(pwd)"
		echo "env:$AOFF_IN_VM:$AOFF_MODULE"
		exit 3' sh "$work/token"
	check "$k: the command's exit status 3 comes back" [ $rc = 3 ]
	check "$k: stdout and stderr arrive, in order" in_order out-first err-middle out-last
	check "$k: the host root is visible (a file the host just wrote)" out_has "token:$token"
	check "$k: the host root is read-only" out_has ro:yes
	check "$k: /tmp is writable" out_has tmp:tmp-data
	if [ -n "$dummy" ]; then
		check "$k: --module loads $(basename "$dummy") with --module-args" out_has mod:yes
	else
		skip "$k: --module" "no dummy.ko in ${KMODDIR:-the kernel} (built in?)"
	fi
	check "$k: cwd, AOFF_IN_VM and AOFF_MODULE reach the command" \
		eval 'out_has "cwd:$top" && out_has "env:1:${dummy:+$(realpath "$dummy")}" &&
			! err_has rmmod'

	# B: a clean run is a pass.
	run_vm --kernel "$k" --timeout 300 -- sh -c 'echo all-good'
	check "$k: a clean command exits 0" eval '[ $rc = 0 ] && out_has all-good'

	# C: a WARNING in the kernel log fails a run whose command succeeded.
	run_vm --kernel "$k" --timeout 300 -- sh -c \
		'echo "WARNING: aoff runner selftest $$" >/dev/kmsg && echo wrote'
	check "$k: a WARNING in the kernel log fails the run" \
		eval '[ $rc != 0 ] && [ $rc != 124 ] && out_has wrote'
	check "$k: the offending kernel log line is printed" \
		err_has "WARNING: aoff runner selftest"

	# D: a command that outlives --timeout: killed, reported, exit 124.
	run_vm --kernel "$k" --timeout 20 -- sh -c 'echo sleeping; sleep 600'
	check "$k: a timeout kills the VM and exits 124" eval '[ $rc = 124 ] && err_has TIMEOUT'
	check "$k: output before the timeout still arrives" out_has sleeping
done

[ $failed = 0 ]
