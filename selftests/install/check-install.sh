#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# `make install`, `make modules_install` and `make uninstall` into a
# staging directory (DESTDIR), then use only what was installed: build the
# bridge example with pkg-config alone (both ASYNC providers), load the
# installed provider into stock openssl, read the installed module's
# modinfo.  Prints TAP.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
stage=$(mktemp -d /tmp/aoff-install.XXXXXX)
trap 'rm -rf "$stage"' EXIT
prefix=/usr/local
n=0
fails=0

ok() {		# ok NAME [DIAG]: $? of the previous command decides
	local rc=$?
	n=$((n + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok $n $1"
	else
		echo "not ok $n $1"
		[ -z "${2:-}" ] || sed 's/^/# /' "$2"
		fails=$((fails + 1))
	fi
}

echo "1..11"
log=$stage/log
make -s --no-print-directory -C "$top" install DESTDIR="$stage/root" \
	PREFIX="$prefix" >"$log" 2>&1
ok "make install into DESTDIR" "$log"

root=$stage/root$prefix
missing=
for f in lib/libasyncoff.so lib/libasyncoff.so.1 lib/libasyncoff.a \
	 lib/libasyncoff-async.so lib/libasyncoff-async.so.1 \
	 lib/libasyncoff-async.a lib/ossl-modules/asyncoff.so \
	 lib/pkgconfig/libasyncoff.pc lib/pkgconfig/asyncoff-async.pc \
	 include/asyncoff/asyncoff.h include/asyncoff/bridge.h \
	 include/linux/asyncoff.h include/asyncoff-async/openssl/async.h \
	 bin/asyncoffctl bin/asyncoff-bench bin/asyncoff-bench-libcrypto \
	 bin/aoff-async-bench; do
	[ -e "$root/$f" ] || missing="$missing $f"
done
for f in man1/asyncoff-bench.1 man7/asyncoff.7 man8/asyncoffctl.8 \
	 man3/aoff_prep_sha256.3 man3/aoff_prep_aes_cbc.3; do
	[ -e "$root/share/man/$f" ] || missing="$missing share/man/$f"
done
src_pages=$(find "$top/Documentation/man" -name '*.[1-8]' | wc -l)
inst_pages=$(find "$root/share/man" -name '*.[1-8]' 2>/dev/null | wc -l)
[ -z "$missing" ] && [ "$src_pages" -eq "$inst_pages" ]
ok "every library, header, pkg-config file, tool and man page ($inst_pages) is installed${missing:+ (missing:$missing)}"

# Only the staged tree: no -I or -L into the source or build directories.
export PKG_CONFIG_SYSROOT_DIR=$stage/root
export PKG_CONFIG_PATH=$root/lib/pkgconfig
example=$top/Documentation/examples/bridge-example.c
# shellcheck disable=SC2046
cc -Wall -Wextra -Werror $(pkg-config --cflags libasyncoff asyncoff-async) \
	-o "$stage/ex-runtime" "$example" \
	$(pkg-config --libs libasyncoff asyncoff-async) >"$log" 2>&1
ok "the example builds from the installed runtime with pkg-config alone" "$log"
# shellcheck disable=SC2046
cc -Wall -Wextra -Werror $(pkg-config --cflags libasyncoff) \
	-o "$stage/ex-libcrypto" "$example" \
	$(pkg-config --libs libasyncoff) -lcrypto >"$log" 2>&1
ok "the example builds against libcrypto's ASYNC with pkg-config alone" "$log"

# Linked against the installed shared libraries, it runs (without a device
# it must fail cleanly with a message naming the device, not crash).
LD_LIBRARY_PATH=$root/lib ASYNCOFF_DEVICE=/nonexistent/asyncoff0 \
	"$stage/ex-runtime" >"$log" 2>&1
rc=$?
[ "$rc" -eq 1 ] && grep -q "synchronous call failed" "$log"
ok "the installed example runs and reports a missing device (exit $rc)" "$log"

OPENSSL_MODULES=$root/lib/ossl-modules openssl list -providers \
	-provider asyncoff >"$log" 2>&1 && grep -q "status: active" "$log"
ok "stock openssl loads the installed provider" "$log"

"$root/bin/asyncoffctl" --help >"$log" 2>&1
ok "the installed asyncoffctl runs" "$log"

# Every installed page renders with all of groff's warnings on and none
# printed (from the man directory, where the .so links resolve), and man
# finds the section 1, 7 and 8 pages by name.
: >"$log"
(cd "$root/share/man" && for p in man[1-8]/*; do
	groff -man -Tutf8 -ww -z "$p" 2>&1 | sed "s|^|$p: |"
done) >"$log" 2>&1
unfound=
for p in asyncoffctl.8 asyncoff-bench.1 asyncoff.7; do
	MANPATH=$root/share/man man -w "${p%.*}" 2>>"$log" |
		grep -qx "$root/share/man/man${p##*.}/$p" || unfound="$unfound $p"
done
[ ! -s "$log" ] && [ -z "$unfound" ]
ok "every installed man page renders without a warning; man finds them by name${unfound:+ (not found:$unfound)}" "$log"

version=$(sed -n 's/^VERSION[[:space:]]*:*=[[:space:]]*//p' "$top/mk/common.mk")
bad=
for p in "$root"/share/man/man[1-8]/*; do
	# .so links carry no .TH of their own.
	grep -q '^\.so ' "$p" && continue
	grep -q "^\.TH .* \"asyncoff $version\"" "$p" || bad="$bad ${p#"$root"/share/man/}"
done
[ -n "$version" ] && [ -z "$bad" ]
ok "every installed man page carries asyncoff $version (mk/common.mk) in .TH${bad:+ (not:$bad)}"

make -s --no-print-directory -C "$top" modules_install \
	DESTDIR="$stage/root" >"$log" 2>&1 &&
	ko=$(find "$stage/root/lib/modules" -name asyncoff.ko) &&
	[ -n "$ko" ] && modinfo -F license "$ko" | grep -qx GPL
ok "make modules_install puts asyncoff.ko under /lib/modules/<release>/updates" "$log"

make -s --no-print-directory -C "$top" uninstall DESTDIR="$stage/root" \
	PREFIX="$prefix" >"$log" 2>&1
left=$(find "$stage/root" -type f -o -type l | sed "s|^$stage/root||")
[ -z "$left" ]
ok "make uninstall removes every installed file${left:+ (left: $(echo $left))}" "$log"

[ "$fails" -eq 0 ]
