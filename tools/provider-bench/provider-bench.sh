#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# provider-bench: openssl speed -elapsed -async_jobs N -bytes B -evp
# aes-128-cbc through the asyncoff provider, OpenSSL's afalg engine
# (kernel AF_ALG, AIO + eventfd) and the default provider (in-process
# software), every run in one VM boot, and the ratios.  Under QEMU/TCG
# only ratios of one run mean anything.
#
# Usage: provider-bench.sh [--kernel 6.1|6.12] [--seconds S] [--jobs "1 16 64"]
#                          [--bytes "16 64 ..."] [--alg aes-128-cbc]
#        provider-bench.sh --in-vm ...   (what runs inside the VM)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kernel=6.12 seconds=1 jobs="1 16 64" bytes="16 64 256 1024 8192 16384"
alg=aes-128-cbc in_vm=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift;;
	--seconds) seconds=$2; shift;;
	--jobs) jobs=$2; shift;;
	--bytes) bytes=$2; shift;;
	--alg) alg=$2; shift;;
	--in-vm) in_vm=1;;
	-h|--help) sed -n '3,13p' "$0"; exit 0;;
	*) echo "provider-bench: unknown option $1" >&2; exit 2;;
	esac
	shift
done

if [ $in_vm = 0 ]; then
	build=${BUILD:-$top/build}
	eval "$("$top/tools/vm/aoff-kernel" "$kernel")"
	make -C "$top/kmod" KDIR="$KDIR" >&2
	make -C "$top/lib/provider" >&2
	# AF_ALG (af_alg, algif_skcipher) is loaded inside, by modprobe.
	# --profile bench: Debian's default command line plus idle=poll
	# (under TCG a halted vCPU wakes milliseconds late, which would
	# measure QEMU's idle loop instead of the stacks compared here).
	exec "$top/tools/vm/aoff-vm" --kernel "$kernel" --timeout 3000 \
		--profile bench \
		--module "$build/kmod/$KVER/asyncoff.ko" \
		--env OPENSSL_MODULES="$build/lib/ossl-modules" -- \
		"$0" --in-vm --seconds "$seconds" --jobs "$jobs" \
		--bytes "$bytes" --alg "$alg"
fi

# --- inside the VM --------------------------------------------------------
mod=${OPENSSL_MODULES:?}
aoff="-provider-path $mod -provider asyncoff -provider default -propquery provider=asyncoff"
W=$(mktemp -d)

# ops/s of one openssl speed run: its -mr "+F:idx:name:bytes_per_s" line.
speed() {	# $1 jobs, $2 bytes, rest: options
	n=$1 b=$2
	shift 2
	# shellcheck disable=SC2068 # options are words on purpose
	if ! openssl speed -mr -elapsed -seconds "$seconds" -async_jobs "$n" \
		-bytes "$b" $@ -evp "$alg" >"$W/out" 2>"$W/err"; then
		echo fail
		return
	fi
	awk -F: -v b="$b" '/^\+F:/ { printf "%.0f\n", $4 / b; exit }' \
		"$W/out"
}

ratio() {
	case "$1$2" in *fail*|"") echo "-"; return;; esac
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

echo "kernel $(uname -r); openssl $(openssl version | cut -d' ' -f2);" \
     "$alg; -seconds $seconds -elapsed"
echo "guest: $(cat /proc/cmdline); clocksource" \
     "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null)"
dev=/sys/class/misc/asyncoff0
echo "asyncoff model: engines $(cat $dev/engines 2>/dev/null)," \
     "latency_ns $(cat $dev/latency_ns 2>/dev/null)," \
     "ns_per_kib $(cat $dev/ns_per_kib 2>/dev/null)," \
     "coalesce_frames $(cat $dev/coalesce_frames 2>/dev/null)," \
     "coalesce_usecs $(cat $dev/coalesce_usecs 2>/dev/null)"
# Debian builds AF_ALG as modules; the guest sees the host's /lib/modules.
modprobe algif_skcipher 2>/dev/null ||
	echo "note: cannot load algif_skcipher; afalg will fail ('-')"
openssl engine -t afalg 2>&1 | grep -q available ||
	echo "note: the afalg engine is not available; its column shows '-'"
echo
echo "| jobs | bytes | asyncoff ops/s | afalg ops/s | default ops/s | asyncoff/afalg | asyncoff/default |"
echo "|-----:|------:|---------------:|------------:|--------------:|---------------:|-----------------:|"
for n in $jobs; do
	for b in $bytes; do
		a=$(speed "$n" "$b" $aoff)
		f=$(speed "$n" "$b" -engine afalg)
		d=$(speed "$n" "$b")
		echo "| $n | $b | $a | $f | $d | $(ratio "$a" "$f") | $(ratio "$a" "$d") |"
	done
done
rm -rf "$W"
