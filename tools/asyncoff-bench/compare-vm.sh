#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# asyncoff-bench --compare in the QEMU VM (the benchmark guest: Debian's
# default command line plus idle=poll, aoff-vm --profile bench), with
# the fresh module and Debian's AF_ALG modules loaded; --plot FILE writes
# the chart on the host (the guest's file system is read-only, so the SVG
# comes back over the console between markers).
#
# Usage: compare-vm.sh [--kernel 6.1|6.12] [asyncoff-bench options...]
#   e.g. compare-vm.sh --jobs 64 --rounds 3 --seconds 1 \
#            --plot Documentation/images/compare.svg
#        compare-vm.sh --in-vm ...   (what runs inside the VM)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${BUILD:-$top/build}

if [ "${1:-}" = --in-vm ]; then
	shift
	modprobe algif_skcipher 2>/dev/null ||
		echo "note: cannot load algif_skcipher; afalg will be unavailable"
	plot=
	if [ "${1:-}" = --plot-out ]; then
		plot=/tmp/plot.svg
		shift
		set -- "$@" --plot "$plot"
	fi
	rc=0
	# --quiet: the guest's console is a terminal, but a captured one.
	"$build/bin/asyncoff-bench" --compare --quiet "$@" || rc=$?
	if [ -n "$plot" ] && [ -f "$plot" ]; then
		echo "@@@ asyncoff-bench plot begin"
		cat "$plot"
		echo "@@@ asyncoff-bench plot end"
	fi
	exit $rc
fi

kernel=6.12 plot= args=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift;;
	--plot) plot=$2; shift;;
	*) args="$args $1";;
	esac
	shift
done
eval "$("$top/tools/vm/aoff-kernel" "$kernel")"
make -s -C "$top/kmod" KDIR="$KDIR" >&2
make -s -C "$here" >&2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rc=0
# shellcheck disable=SC2086 # the options are words on purpose
"$top/tools/vm/aoff-vm" --kernel "$kernel" --timeout 3000 --profile bench \
	--module "$build/kmod/$KVER/asyncoff.ko" -- \
	"$here/compare-vm.sh" --in-vm ${plot:+--plot-out} $args >"$out" || rc=$?
sed '/^@@@ asyncoff-bench plot begin/,/^@@@ asyncoff-bench plot end/d' "$out"
if [ -n "$plot" ]; then
	sed -n '/^@@@ asyncoff-bench plot begin/,/^@@@ asyncoff-bench plot end/p' \
		"$out" | sed '1d;$d' | tr -d '\r' >"$plot"
	[ -s "$plot" ] && echo "plot: $plot" ||
		{ echo "compare-vm: no plot came back" >&2; rc=1; }
fi
exit $rc
