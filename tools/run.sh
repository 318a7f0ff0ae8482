#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# make run: the main job.  Uses /dev/asyncoff0 directly when the module is
# loaded on this machine; otherwise builds the module for Debian's 6.12
# kernel (AOFF_RUN_KERNEL=6.1 for the other) and boots it in the QEMU VM,
# where tools/demo.sh prints the benchmark tables.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ -c /dev/asyncoff0 ]; then
	exec tools/demo.sh
fi
kernel=${AOFF_RUN_KERNEL:-6.12}
eval "$(tools/vm/aoff-kernel "$kernel")"
mod=$(tools/vm/aoff-module "$kernel")
echo "Booting Debian's $KVER in QEMU (TCG) with asyncoff.ko ..."
# --profile bench: Debian's default command line plus idle=poll (under TCG a
# halted vCPU wakes milliseconds late, which would measure QEMU's idle
# loop); no allocator debugging, which would slow what allocates.
exec tools/vm/aoff-vm --kernel "$kernel" --mem 2048 --profile bench \
	--module "$mod" -- tools/demo.sh
