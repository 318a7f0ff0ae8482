#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds (once) the asyncoff sanitizer kernel: Debian's linux-source-6.12
# tarball, "make tinyconfig" plus asyncoff-debug.config (KASAN, lockdep,
# kmemleak, UBSAN, ...), everything the QEMU runner needs built in.
#
# Usage: tools/vm/debug-kernel/build.sh [--print]
#   --print   after making sure the kernel exists, print shell assignments
#             for tools/vm/aoff-kernel:  KVER= KIMAGE= KDIR= KMODDIR=
#
# The build is cached outside the repo in
#   ${AOFF_CACHE:-/var/cache/asyncoff}/debug-kernel/<source-version>-<key>/
# where <key> is the sha256 of the config fragment and of this script, so a
# change to either builds a new kernel.  The directory counts as built only
# once its ".complete" stamp exists, written last: an interrupted build is
# thrown away and redone, never mistaken for a finished one.  A lock makes
# concurrent callers wait for one build instead of racing.
#
# Environment: AOFF_CACHE (cache root), AOFF_LINUX_SOURCE (tarball),
# AOFF_KERNEL_JOBS (make -j, default 2: the CI machines have 2 shared cores).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/asyncoff-debug.config
tarball=${AOFF_LINUX_SOURCE:-/usr/src/linux-source-6.12.tar.xz}
jobs=${AOFF_KERNEL_JOBS:-2}
cache_root=${AOFF_CACHE:-/var/cache/asyncoff}/debug-kernel

print=0
case "${1:-}" in
--print) print=1 ;;
"") ;;
-h | --help)
	sed -n '4,21s/^# \{0,1\}//p' "$0"
	exit 0
	;;
*)
	echo "usage: $0 [--print]" >&2
	exit 2
	;;
esac

say() { printf '  %-7s %s\n' KERNEL "$*" >&2; }
die() {
	echo "debug-kernel: $*" >&2
	exit 1
}

[ -f "$tarball" ] ||
	die "$tarball not found; run: apt-get install linux-source-6.12"

# The source version names the cache entry: Debian's package version when
# the tarball comes from a package, else a hash of the tarball itself.
src_version=$(dpkg-query -W -f='${Version}' "$(basename "$tarball" .tar.xz)" \
	2>/dev/null || true)
if [ -z "$src_version" ]; then
	src_version=tar-$(sha256sum "$tarball" | cut -c1-16)
fi
key=$(cat "$fragment" "$0" | sha256sum | cut -c1-16)
dir=$cache_root/$src_version-$key
tree=$dir/linux
stamp=$dir/.complete
log=$dir/build.log

print_result() {
	[ "$print" = 1 ] || return 0
	local kver
	kver=$(cat "$dir/kernelrelease")
	printf 'KVER=%q\nKIMAGE=%q\nKDIR=%q\nKMODDIR=\n' \
		"$kver" "$tree/arch/x86/boot/bzImage" "$tree"
}

# Fast path, no lock needed: the stamp is only ever written last.
if [ -f "$stamp" ]; then
	print_result
	exit 0
fi

mkdir -p "$cache_root" ||
	die "cannot create $cache_root; set AOFF_CACHE to a writable directory"
exec 9>"$dir.lock"
if ! flock -n 9; then
	say "waiting for another build of $dir"
	flock 9
fi
if [ -f "$stamp" ]; then
	print_result
	exit 0
fi

# Nothing from an outer make may leak into the kernel's own build: a
# jobserver, O=, M=, V=, W=, C= or a cross ARCH would each change it.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS
unset O M V W C ARCH CROSS_COMPILE KBUILD_EXTMOD KBUILD_OUTPUT KCFLAGS \
	LOCALVERSION CC LD

started=$(date +%s)
rm -rf "$dir"
mkdir -p "$tree"
: >"$log"

fail() {
	echo "debug-kernel: $* failed; last lines of $log:" >&2
	tail -n 40 "$log" >&2
	exit 1
}
kmake() { nice make -C "$tree" -j"$jobs" "$@" >>"$log" 2>&1; }

say "extracting $(basename "$tarball") ($src_version) into $dir"
tar -xJf "$tarball" -C "$tree" --strip-components=1 || fail "extracting"

say "configuring: tinyconfig + $(basename "$fragment")"
# ARCH=x86_64, not the default ARCH=x86: there tinyconfig picks a 32-bit
# kernel, and values it derives from that (FRAME_WARN=1024, ...) would stay
# in .config after the fragment turns 64BIT on.
kmake ARCH=x86_64 tinyconfig || fail "make tinyconfig"
(cd "$tree" && scripts/kconfig/merge_config.sh -m .config "$fragment") \
	>>"$log" 2>&1 || fail "merge_config.sh"
kmake olddefconfig || fail "make olddefconfig"

# Kconfig silently drops an option whose dependencies are unmet; catch that
# here, before a long build of the wrong kernel.
missing=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF -- "$line" "$tree/.config" && continue
		sym=${line%%=*}
		got=$(grep -E "^(# )?$sym[= ]" "$tree/.config" || echo "absent")
		echo "debug-kernel: requested $line, final .config has: $got" >&2
		missing=1
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		grep -qE "^$sym=[ym]$" "$tree/.config" || continue
		echo "debug-kernel: requested $sym off, but it is on" >&2
		missing=1
		;;
	esac
done <"$fragment"
[ "$missing" = 0 ] ||
	die "config fragment not honoured (unmet dependencies?); see $tree/.config"

say "building with make -j$jobs (log: $log)"
kmake || fail "kernel build"
make -s --no-print-directory -C "$tree" kernelrelease \
	>"$dir/kernelrelease" 2>>"$log" || fail "make kernelrelease"

# The contract: an external module builds against this tree as KDIR.
say "checking that an external module builds against it"
probe=$dir/probe-module
mkdir -p "$probe"
printf '%s\n' '// SPDX-License-Identifier: GPL-2.0-only' \
	'#include <linux/module.h>' \
	'MODULE_DESCRIPTION("asyncoff debug-kernel build probe");' \
	'MODULE_LICENSE("GPL");' >"$probe/probe.c"
echo 'obj-m := probe.o' >"$probe/Kbuild"
kmake M="$probe" modules || fail "external module build against KDIR"
[ -f "$probe/probe.ko" ] || fail "external module build (no probe.ko)"
rm -rf "$probe"

echo $(($(date +%s) - started)) >"$dir/build-seconds"
touch "$stamp"
say "built $(cat "$dir/kernelrelease") in $(cat "$dir/build-seconds") s"
print_result
