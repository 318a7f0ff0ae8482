#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs kselftest-harness test binaries of one build and prints their TAP with
# the build's name in every result: "ok 3 runtime: waitctx.count_with_null...".
#
# Usage: run-suite.sh NAME DIR WRAPPER TEST...
#   NAME     label of the build (crypto, runtime, asan, ucontext, aarch64)
#   DIR      directory holding the binaries
#   WRAPPER  command line to run each binary under ("" for none), e.g.
#            "env ASAN_OPTIONS=..." or "qemu-aarch64-static -L ..."
# Exit status: 0 when every binary exited 0.
set -u
name=$1 dir=$2 wrapper=$3
shift 3
status=0
for t in "$@"; do
	bin=$dir/$t
	label=${t%_test}
	if [ ! -x "$bin" ]; then
		printf '1..1\nnot ok 1 %s: %s: not built\n' "$name" "$label"
		status=1
		continue
	fi
	out=$(mktemp)
	# shellcheck disable=SC2086 # the wrapper is a command line on purpose
	$wrapper "$bin" >"$out" 2>&1 </dev/null
	rc=$?
	sed -e "s/^\(\(not \)\{0,1\}ok [0-9][0-9]* \)\(global\.\)\{0,1\}/\1$name: $label./" "$out"
	if [ "$rc" -ne 0 ]; then
		status=1
		if ! grep -q '^not ok ' "$out"; then
			printf '1..1\nnot ok 1 %s: %s: exited with status %d\n' \
				"$name" "$label" "$rc"
		fi
	fi
	rm -f "$out"
done
exit $status
