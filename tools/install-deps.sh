#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Installs the Debian packages asyncoff needs to build and test, when any
# is missing.  As root it runs apt-get itself; otherwise it prints the
# exact command to run and fails, so nothing half-works.
#
# Usage: tools/install-deps.sh [--check]
#   --check   only report what is missing (exit 1 if anything is)
set -eu

packages=(
	# user space build and the libcrypto oracle
	build-essential pkg-config libssl-dev openssl liburing-dev
	# the two target kernels: headers to build the module, images to boot
	linux-headers-amd64 linux-image-amd64
	linux-headers-6.12-amd64 linux-image-6.12-amd64
	# kselftest_harness.h and checkpatch.pl come from the source tarballs
	linux-source-6.1 linux-source-6.12
	# the QEMU runner and its initramfs
	qemu-system-x86 busybox-static cpio kmod xz-utils
	# the DKMS package test (check-dkms)
	dkms
	# kernel style checks
	sparse perl
	# asyncoff-bench's test: its SVG plot is well-formed (xmllint); the
	# kernel's own count of system calls (perf stat)
	libxml2-utils linux-perf
	# the HAProxy suite (check-vm-haproxy-*): the server and its load
	haproxy nghttp2-client wrk
	# aarch64 cross build of the async runtime, run under qemu-user
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
	# building the sanitizer kernel
	flex bison bc libelf-dev libssl-dev dwarves rsync
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
# One name may appear in two groups above.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk 'NF && !seen[$0]++')

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${1:-}" = --check ]; then
	echo "missing packages: ${missing[*]}"
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "asyncoff needs these Debian packages; as root run:" >&2
	echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "  DEPS    installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
