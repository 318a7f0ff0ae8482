#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The module as Debian's dkms builds it: `tools/install.sh dkms` stages
# the source tree, then dkms add, build and install for each installed
# Debian kernel (6.1 and 6.12), checks each module's vermagic, and
# `dkms remove --all`.  Everything lives in a temporary source, DKMS and
# install tree (dkms --sourcetree/--dkmstree/--installtree), so the system's
# /usr/src, /var/lib/dkms and /lib/modules are left as they were; the last
# test checks that.  Needs root (dkms runs depmod).  Prints TAP.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
stage=$(mktemp -d /tmp/aoff-dkms.XXXXXX)
trap 'rm -rf "$stage"' EXIT
n=0
fails=0
version=$(sed -n 's/^#define AOFF_PROV_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	"$top/lib/provider/prov.c")
mod=asyncoff/${version:-0.1.0}
src=$stage/root/usr/src
trees=(--sourcetree="$src" --dkmstree="$stage/dkms" --installtree="$stage/install")
# dkms signs what it builds, making /var/lib/dkms/mok.key on first use:
# a throwaway key here instead (it reads these from the environment too).
export mok_signing_key=$stage/mok.key mok_certificate=$stage/mok.pub

ok() {		# ok NAME [LOG]: $? of the previous command decides
	local rc=$?
	n=$((n + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok $n $1"
	else
		echo "not ok $n $1"
		[ -z "${2:-}" ] || tail -n 30 "$2" | sed 's/^/# /'
		fails=$((fails + 1))
	fi
}

# What the system holds of asyncoff's, before and after.
footprint() {
	ls -d /usr/src/asyncoff-* 2>/dev/null
	ls -A /var/lib/dkms 2>/dev/null
	find /lib/modules -name 'asyncoff.ko*' 2>/dev/null
	for k in "${kernels[@]}"; do
		md5sum "/lib/modules/$k/modules.dep" 2>/dev/null
	done
}

kernels=()
for b in /lib/modules/*-amd64/build; do
	[ -d "$b" ] && kernels+=("$(basename "$(dirname "$b")")")
done
if ! command -v dkms >/dev/null; then
	echo "1..0 # SKIP dkms is not installed (tools/install-deps.sh)"
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP dkms needs root"
	exit 1
fi
if [ ${#kernels[@]} -lt 2 ]; then
	echo "not ok 1 two Debian kernels with headers (found: ${kernels[*]})"
	exit 1
fi

echo "1..$((3 + 3 * ${#kernels[@]} + 2))"
before=$(footprint)
mkdir -p "$stage/dkms" "$src"
for k in "${kernels[@]}"; do
	mkdir -p "$stage/install/$k"
done
log=$stage/log

DESTDIR=$stage/root "$top/tools/install.sh" dkms >"$log" 2>&1 &&
	[ -f "$src/asyncoff-${version:-0.1.0}/dkms.conf" ] &&
	! grep -q @VERSION@ "$src/asyncoff-${version:-0.1.0}/dkms.conf"
ok "install.sh dkms stages the source tree with its version" "$log"

dkms add "$mod" "${trees[@]}" >"$log" 2>&1
ok "dkms add $mod" "$log"

dkms status "${trees[@]}" 2>&1 | grep -q "^$mod: added"
ok "dkms status says added"

for k in "${kernels[@]}"; do
	dkms build "$mod" -k "$k" "${trees[@]}" >"$log" 2>&1
	ok "dkms build for $k" "$log"
	dkms install "$mod" -k "$k" "${trees[@]}" --no-depmod >"$log" 2>&1
	ok "dkms install for $k" "$log"
	ko=$(find "$stage/install/$k" -name 'asyncoff.ko*' 2>/dev/null | head -n 1)
	[ -n "$ko" ] && modinfo -F vermagic "$ko" 2>"$log" | grep -q "^$k " &&
		modinfo -F name "$ko" | grep -qx asyncoff
	ok "the installed module for $k has $k's vermagic (${ko#"$stage"/})" "$log"
done

dkms remove "$mod" --all "${trees[@]}" --no-depmod >"$log" 2>&1 &&
	[ -z "$(dkms status "${trees[@]}" 2>/dev/null)" ] &&
	[ -z "$(find "$stage/install" -name 'asyncoff.ko*' 2>/dev/null)" ]
ok "dkms remove --all leaves no module and no status" "$log"

after=$(footprint)
[ "$before" = "$after" ]
ok "the system's /usr/src, /var/lib/dkms and /lib/modules are unchanged" \
	<(diff <(echo "$before") <(echo "$after"))

[ "$fails" -eq 0 ]
