#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Extracts the few files asyncoff borrows at build time from Debian's
# linux-source-6.12 tarball (never committed):
#   build/kselftest/kselftest_harness.h, kselftest.h   (test harness)
#   build/checkpatch/checkpatch.pl, spelling.txt, const_structs.checkpatch
# Idempotent: does nothing when the files are already there.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build
tarball=${AOFF_LINUX_SOURCE:-$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)}

[ -f "$out/kselftest/kselftest_harness.h" ] && [ -f "$out/checkpatch/checkpatch.pl" ] && exit 0
if [ -z "$tarball" ] || [ ! -f "$tarball" ]; then
	echo "kernel-src-files: /usr/src/linux-source-6.12.tar.xz not found;" \
	     "run: apt-get install linux-source-6.12" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$(basename "$tarball" .tar.xz)
tar -xJf "$tarball" -C "$tmp" \
	"$prefix/tools/testing/selftests/kselftest_harness.h" \
	"$prefix/tools/testing/selftests/kselftest.h" \
	"$prefix/scripts/checkpatch.pl" \
	"$prefix/scripts/spelling.txt" \
	"$prefix/scripts/const_structs.checkpatch"
mkdir -p "$out/kselftest" "$out/checkpatch"
cp "$tmp/$prefix/tools/testing/selftests/"kselftest*.h "$out/kselftest/"
cp "$tmp/$prefix/scripts/checkpatch.pl" "$tmp/$prefix/scripts/spelling.txt" \
   "$tmp/$prefix/scripts/const_structs.checkpatch" "$out/checkpatch/"
