#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Installs what `make` built (top-level `make install`, `make
# modules_install`, `make uninstall`).  Run it after `make`; it builds
# nothing.
#
#   tools/install.sh user       libraries, headers, pkg-config files, the
#                               OpenSSL provider, the tools, the man pages
#   tools/install.sh module     asyncoff.ko for $KREL into
#                               /lib/modules/$KREL/updates, then depmod
#   tools/install.sh dkms       the module's source for DKMS into
#                               /usr/src/asyncoff-$version (kmod/dkms.conf)
#   tools/install.sh uninstall  removes what "user" and "module" installed
#
# Variables (the usual GNU names):
#   DESTDIR     staging root, prepended to every path (packaging)
#   PREFIX      /usr/local
#   LIBDIR      $PREFIX/lib
#   MODULESDIR  where the provider goes: OpenSSL's own directory when
#               PREFIX is /usr, else $LIBDIR/ossl-modules (then point
#               OPENSSL_MODULES or openssl.cnf there)
#   ENGINESDIR  where the engine goes (built only where OpenSSL still has
#               the ENGINE API): OpenSSL's own directory when PREFIX is
#               /usr, else $LIBDIR/engines-3 (then point OPENSSL_ENGINES
#               or dynamic_path there)
#   KREL        kernel release for "module" (default: the one `make` built
#               for, as kmod/Makefile chooses it)
#
# The async runtime's <openssl/async.h> would clash with OpenSSL's, so it
# goes under $PREFIX/include/asyncoff-async (its pkg-config file says so).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
destdir=${DESTDIR:-}
prefix=${PREFIX:-/usr/local}
libdir=${LIBDIR:-$prefix/lib}
incdir=$prefix/include
bindir=$prefix/bin
mandir=$prefix/share/man
pcdir=$libdir/pkgconfig
version=$(sed -n 's/^VERSION[[:space:]]*:*=[[:space:]]*//p' "$top/mk/common.mk")
[ -n "$version" ] || { echo "install.sh: no VERSION in mk/common.mk" >&2; exit 1; }

if [ -z "${MODULESDIR:-}" ]; then
	if [ "$prefix" = /usr ] && command -v openssl >/dev/null; then
		MODULESDIR=$(openssl version -m | sed -n 's/^MODULESDIR: "\(.*\)"$/\1/p')
	fi
	MODULESDIR=${MODULESDIR:-$libdir/ossl-modules}
fi

if [ -z "${ENGINESDIR:-}" ]; then
	if [ "$prefix" = /usr ] && command -v openssl >/dev/null; then
		ENGINESDIR=$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')
	fi
	ENGINESDIR=${ENGINESDIR:-$libdir/engines-3}
fi

die() { echo "install.sh: $*" >&2; exit 1; }

need() {
	local f
	for f in "$@"; do
		[ -e "$build/$f" ] || die "$build/$f is missing: run 'make' first"
	done
}

# inst MODE SRC DIR [NAME]
inst() {
	install -D -m "$1" "$2" "$destdir$3/${4:-$(basename "$2")}"
	echo "  INSTALL $3/${4:-$(basename "$2")}"
}

# link TARGET DIR NAME
link() {
	ln -sfn "$1" "$destdir$2/$3"
	echo "  LINK    $2/$3 -> $1"
}

pc_file() {	# NAME DESCRIPTION CFLAGS LIBS REQUIRES_PRIVATE
	local out=$destdir$pcdir/$1.pc
	mkdir -p "$(dirname "$out")"
	cat >"$out" <<EOF
prefix=$prefix
libdir=$libdir
includedir=$incdir

Name: $1
Description: $2
Version: $version
Cflags: $3
Libs: $4
Requires.private: $5
EOF
	echo "  INSTALL $pcdir/$1.pc"
}

user_files() {
	echo "lib/libasyncoff.so.1 lib/libasyncoff.a lib/libasyncoff-async.so.1"
	echo "lib/libasyncoff-async.a lib/ossl-modules/asyncoff.so"
	echo "bin/asyncoffctl bin/asyncoff-bench bin/asyncoff-bench-libcrypto"
	echo "bin/aoff-async-bench"
}

# Every page, as SECTION-DIR/NAME relative to Documentation/man.
man_pages() {
	(cd "$top/Documentation/man" && ls man[1-8]/*.[1-8])
}

install_user() {
	local f m
	# shellcheck disable=SC2046
	need $(user_files)

	inst 0755 "$build/lib/libasyncoff.so.1" "$libdir"
	link libasyncoff.so.1 "$libdir" libasyncoff.so
	inst 0644 "$build/lib/libasyncoff.a" "$libdir"
	inst 0755 "$build/lib/libasyncoff-async.so.1" "$libdir"
	link libasyncoff-async.so.1 "$libdir" libasyncoff-async.so
	inst 0644 "$build/lib/libasyncoff-async.a" "$libdir"
	inst 0755 "$build/lib/ossl-modules/asyncoff.so" "$MODULESDIR"
	# Optional: lib/engine skips it where OpenSSL has no ENGINE API.
	if [ -e "$build/lib/engines-3/asyncoff.so" ]; then
		inst 0755 "$build/lib/engines-3/asyncoff.so" "$ENGINESDIR"
	fi

	inst 0644 "$top/include/asyncoff/asyncoff.h" "$incdir/asyncoff"
	inst 0644 "$top/include/asyncoff/bridge.h" "$incdir/asyncoff"
	inst 0644 "$top/include/uapi/linux/asyncoff.h" "$incdir/linux"
	inst 0644 "$top/include/async-runtime/openssl/async.h" \
		"$incdir/asyncoff-async/openssl"

	pc_file libasyncoff "asyncoff device library and ASYNC_WAIT_CTX bridge" \
		"-I\${includedir}" "-L\${libdir} -lasyncoff" liburing
	pc_file asyncoff-async "OpenSSL's ASYNC API without libcrypto" \
		"-I\${includedir}/asyncoff-async" "-L\${libdir} -lasyncoff-async" ""

	for f in asyncoffctl asyncoff-bench asyncoff-bench-libcrypto \
		 aoff-async-bench; do
		inst 0755 "$build/bin/$f" "$bindir"
	done
	for m in $(man_pages); do
		inst 0644 "$top/Documentation/man/$m" "$mandir/$(dirname "$m")"
	done
	if [ -z "$destdir" ] && command -v ldconfig >/dev/null; then
		ldconfig
	fi
}

kernel_release() {
	# The release kmod/Makefile builds for, without building anything.
	make -s --no-print-directory -C "$top/kmod" print-krel 2>/dev/null
}

install_module() {
	local krel=${KREL:-$(kernel_release)}
	[ -n "$krel" ] || die "cannot tell the kernel release; set KREL"
	need "kmod/$krel/asyncoff.ko"
	inst 0644 "$build/kmod/$krel/asyncoff.ko" "/lib/modules/$krel/updates"
	if [ -z "$destdir" ]; then
		depmod -a "$krel"
		echo "  DEPMOD  $krel (now: modprobe asyncoff)"
	fi
}

# The source tree DKMS builds from: what kmod/Kbuild compiles, the uapi
# header where AOFF_UAPI (dkms.conf) points, dkms.conf with the version.
dkms_src() {
	local d=/usr/src/asyncoff-$version f
	for f in "$top"/kmod/*.c "$top"/kmod/*.h "$top"/kmod/Kbuild; do
		inst 0644 "$f" "$d"
	done
	inst 0644 "$top/include/uapi/linux/asyncoff.h" "$d/include/uapi/linux"
	sed "s/@VERSION@/$version/" "$top/kmod/dkms.conf" >"$destdir$d/dkms.conf"
	echo "  INSTALL $d/dkms.conf"
	echo "  (now: dkms install asyncoff/$version, or dkms autoinstall)"
}

uninstall() {
	local f krel=${KREL:-$(kernel_release)}
	for f in "$libdir"/libasyncoff.so "$libdir"/libasyncoff.so.1 \
		 "$libdir"/libasyncoff.a "$libdir"/libasyncoff-async.so \
		 "$libdir"/libasyncoff-async.so.1 "$libdir"/libasyncoff-async.a \
		 "$MODULESDIR"/asyncoff.so "$ENGINESDIR"/asyncoff.so \
		 "$incdir"/asyncoff/asyncoff.h \
		 "$incdir"/asyncoff/bridge.h "$incdir"/linux/asyncoff.h \
		 "$incdir"/asyncoff-async/openssl/async.h \
		 "$pcdir"/libasyncoff.pc "$pcdir"/asyncoff-async.pc \
		 "$bindir"/asyncoffctl "$bindir"/asyncoff-bench \
		 "$bindir"/asyncoff-bench-libcrypto "$bindir"/aoff-async-bench; do
		rm -f "$destdir$f"
	done
	for f in $(man_pages); do
		rm -f "$destdir$mandir/$f"
	done
	rmdir "$destdir$incdir/asyncoff" "$destdir$incdir/asyncoff-async/openssl" \
	      "$destdir$incdir/asyncoff-async" 2>/dev/null || true
	if [ -n "$krel" ]; then
		rm -f "$destdir/lib/modules/$krel/updates/asyncoff.ko"
		[ -n "$destdir" ] || depmod -a "$krel"
	fi
	echo "  UNINSTALL done"
}

case ${1:-} in
user) install_user ;;
module) install_module ;;
dkms) dkms_src ;;
uninstall) uninstall ;;
*) die "usage: tools/install.sh user|module|dkms|uninstall" ;;
esac
