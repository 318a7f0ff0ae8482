#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs every asyncoff kselftest binary (build/selftests/kmod/*), each
# printing its own TAP stream.  Exits non-zero if any of them failed.
# AOFF_SELFTEST_DIR overrides where the binaries are; arguments, if any,
# name the tests to run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dir=${AOFF_SELFTEST_DIR:-$here/../../build/selftests/kmod}
rc=0
if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=()
	for t in "$dir"/*; do
		[ -f "$t" ] && [ -x "$t" ] && tests+=("$(basename "$t")")
	done
fi
if [ ${#tests[@]} -eq 0 ]; then
	echo "run.sh: no test binaries in $dir" >&2
	exit 1
fi
for t in "${tests[@]}"; do
	echo "# run.sh: $t" >&2
	"$dir/$t" || rc=1
done
exit $rc
