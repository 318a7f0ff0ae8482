#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The main job's payload: runs where /dev/asyncoff0 exists (inside the
# QEMU VM that tools/run.sh boots, or on a host with the module loaded)
# and prints the benchmark tables side by side.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/build/bin
secs=${AOFF_RUN_SECONDS:-1}

echo "== asyncoff on $(uname -r), $(nproc) CPUs"
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
echo "== The async runtime against libcrypto: cost of an async job"
"$bin/aoff-async-bench" --iterations 200000 --repeat 3
