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
#      exits 0: the run must fail; then 200 more and one other report
#      that the runner must still name
#   D  a command that sleeps past --timeout: the run must end with 124
# On the first kernel also:
#   E  a command that leaves a process holding the module it was given
#      (loop.ko, via /dev/loop-control): the unload fails, so must the run
#   F  a command that panics the kernel (sysrq c): the run must fail
# Plus checks that need no VM: usage errors and aoff-kernel's answers.
#
# The kernels run in parallel (one VM each; VM_RUNNER_JOBS=1 runs them one
# after the other); results are printed, numbered, when all are done.

# The checks are single-quoted on purpose: eval expands them when they run.
# shellcheck disable=SC2016
set -u

here=$(cd "$(dirname "$0")" && pwd)
vm=$here/../aoff-vm
aoff_kernel=$here/../aoff-kernel
top=$(cd "$here/../../.." && pwd)
base_work=${BUILD:-$top/build}/vm/selftest
work=$base_work/host
mkdir -p "$work"
cd "$top" || exit 1

kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)

# Results are written unnumbered ("ok - name"); the end numbers them.
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
skip() { echo "ok - $1 # SKIP $2"; }
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

# --- No VM needed ---------------------------------------------------------------
host_checks() {
"$vm" >/dev/null 2>"$work/err" </dev/null
r=$?
check "aoff-vm without a command is a usage error (exit 2)" [ $r = 2 ]
"$vm" --kernel no-such-kernel -- true >/dev/null 2>"$work/err" </dev/null
r=$?
check "aoff-vm with an unknown kernel fails with a message" \
	eval '[ $r = 1 ] && grep -q "unknown kernel" "$work/err"'
}

# --- One kernel -----------------------------------------------------------------
kernel_checks() { # kernel first(1/0)
	local k=$1 first=$2 vars reason t KVER KIMAGE KMODDIR dummy loop token
	local mod_opts b_secs
	work=$base_work/$k
	mkdir -p "$work"
	if ! vars=$("$aoff_kernel" "$k" 2>"$work/err"); then
		reason=$(head -n1 "$work/err")
		for t in aoff-kernel exit-3 stdout-stderr-order host-root read-only tmp \
			module cwd-env exit-0 warning-fails warning-printed \
			late-report-named timeout timeout-output; do
			skip "$k: $t" "${reason:-kernel $k not available}"
		done
		if [ "$first" = 1 ]; then
			skip "$k: unload failure" "${reason:-kernel $k not available}"
			skip "$k: panic" "${reason:-kernel $k not available}"
		fi
		return
	fi
	KVER='' KIMAGE='' KMODDIR=''
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
	b_secs=$SECONDS
	run_vm --kernel "$k" --timeout 300 -- sh -c 'echo all-good'
	b_secs=$((SECONDS - b_secs))
	check "$k: a clean command exits 0" eval '[ $rc = 0 ] && out_has all-good'

	# C: a WARNING in the kernel log fails a run whose command succeeded.
	# Then 200 lines of one report, more than the excerpt shows, and a
	# last, different one: the runner must still name it.
	run_vm --kernel "$k" --timeout 300 -- sh -c \
		'echo "WARNING: aoff runner selftest $$" >/dev/kmsg &&
		 i=0; while [ $i -lt 200 ]; do
			echo "WARNING: aoff runner selftest, again" >/dev/kmsg
			i=$((i + 1))
		 done
		 echo "UBSAN: aoff runner selftest, the last report" >/dev/kmsg &&
		 echo wrote'
	check "$k: a WARNING in the kernel log fails the run" \
		eval '[ $rc != 0 ] && [ $rc != 124 ] && out_has wrote'
	check "$k: the offending kernel log line is printed" \
		err_has "WARNING: aoff runner selftest"
	check "$k: a report after a long one is still named, once" \
		eval 'err_has "  * UBSAN: aoff runner selftest, the last report" &&
			[ "$(grep -cF "  * WARNING: aoff runner selftest, again" "$work/err")" = 1 ]'

	# D: a command that outlives --timeout: killed, reported, exit 124.
	# A whole clean run (B) plus a margin is enough to reach the command.
	run_vm --kernel "$k" --timeout $((b_secs * 3 / 2 + 5)) -- sh -c \
		'echo sleeping; sleep 600'
	check "$k: a timeout kills the VM and exits 124" eval '[ $rc = 124 ] && err_has TIMEOUT'
	check "$k: output before the timeout still arrives" out_has sleeping

	[ "$first" = 1 ] || return

	# E: the module cannot be unloaded after the command: the run fails.
	loop=
	if [ -n "$KMODDIR" ]; then
		loop=$(find "$KMODDIR/kernel/drivers/block" -maxdepth 1 -name 'loop.ko*' | head -n1)
	fi
	if [ -n "$loop" ]; then
		run_vm --kernel "$k" --module "$loop" --timeout 300 -- sh -c \
			'sleep 1000 </dev/loop-control >/dev/null 2>&1 & echo holding'
		check "$k: a module that cannot be unloaded fails the run" \
			eval '[ $rc = 1 ] && out_has holding && err_has "rmmod loop failed"'
	else
		skip "$k: a module that cannot be unloaded fails the run" \
			"no loop.ko in ${KMODDIR:-the kernel} (built in?)"
	fi

	# F: a kernel panic in the middle of the command fails the run.
	run_vm --kernel "$k" --timeout 300 -- sh -c \
		'[ -w /proc/sysrq-trigger ] || { echo no-sysrq; exit 0; }
		 echo c >/proc/sysrq-trigger; echo survived'
	if out_has no-sysrq; then
		skip "$k: a kernel panic fails the run" "the kernel has no sysrq"
	else
		check "$k: a kernel panic fails the run" \
			eval '[ $rc = 1 ] && ! out_has survived && err_has "Kernel panic"'
	fi
}

# --- Run, then print in order -----------------------------------------------------
host_checks >"$base_work/host.tap"
pids=()
first=1
for k in "${kernels[@]}"; do
	kernel_checks "$k" "$first" >"$base_work/$k.tap" 2>&1 &
	pids+=($!)
	first=0
	[ "${VM_RUNNER_JOBS:-2}" -gt 1 ] || wait "${pids[@]}"
done
wait "${pids[@]}"

files=("$base_work/host.tap")
for k in "${kernels[@]}"; do
	files+=("$base_work/$k.tap")
done
echo "1..$(cat "${files[@]}" | grep -cE '^(not )?ok - ')"
cat "${files[@]}" | awk '
	/^(not )?ok - / { n++; sub(/ - /, " " n " "); if ($1 == "not") bad++ }
	{ print }
	END { exit bad > 0 }'
