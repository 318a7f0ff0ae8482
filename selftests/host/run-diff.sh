#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The differential test: runs async_diff built against libcrypto (the
# reference) and against a runtime build with the same seeds and compares
# the traces byte for byte.  One TAP result per seed.
#
# Usage: run-diff.sh NAME REFCMD TESTCMD STEPS SEED...
#   REFCMD / TESTCMD  command lines of the two programs (may carry a
#                     wrapper such as "env ASAN_OPTIONS=..." or qemu)
set -u
name=$1 ref=$2 test=$3 steps=$4
shift 4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..$#"
n=0 status=0
for seed in "$@"; do
	n=$((n + 1))
	# shellcheck disable=SC2086 # command lines on purpose
	$ref "$seed" "$steps" >"$tmp/ref" 2>"$tmp/ref.err"
	rrc=$?
	# shellcheck disable=SC2086
	$test "$seed" "$steps" >"$tmp/test" 2>"$tmp/test.err"
	trc=$?
	why=
	if [ "$rrc" -ne 0 ]; then
		why="reference exited $rrc"
	elif [ "$trc" -ne 0 ]; then
		why="exited $trc"
	elif ! tail -n 1 "$tmp/ref" | grep -q ' m end live=0$'; then
		why="reference trace incomplete"
	elif ! cmp -s "$tmp/ref" "$tmp/test"; then
		why="trace differs from libcrypto's"
	fi
	lines=$(wc -l <"$tmp/ref")
	if [ -z "$why" ]; then
		echo "ok $n $name: diff.seed-$seed ($lines trace lines identical)"
	else
		status=1
		echo "not ok $n $name: diff.seed-$seed: $why"
		diff -u "$tmp/ref" "$tmp/test" | sed -n '3,30s/^/# /p'
		sed 's/^/# stderr: /' "$tmp/test.err" | head -n 20
	fi
done
exit $status
