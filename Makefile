# SPDX-License-Identifier: Apache-2.0
#
# asyncoff top-level Makefile.
#
#   make            build everything (user space, the module for $(KVER))
#   make check      install missing packages, build, run every test suite;
#                   ends with "N passed, N failed, N skipped"
#   make run        the main job: the module in the QEMU VM and the benchmark
#   make install    libraries, headers, provider, tools, man pages
#                   (PREFIX=/usr/local, DESTDIR=); make modules_install puts
#                   asyncoff.ko under /lib/modules (then: modprobe asyncoff)
#   make V=1        show full command lines
#
# Each part has its own Makefile; this one only delegates.  Test suites are
# make targets "check-NAME" that print TAP; tools/check.sh runs them.

TOP := $(CURDIR)
include mk/common.mk
export AOFF_VERBOSE BUILD

# Kernel to build the module for: KVER=<release> (any installed headers) or
# KDIR=<kernel build dir>.  Default: the running kernel if its headers are
# installed, else the newest installed Debian linux-headers-*.
export KVER KDIR

.PHONY: all deps check run clean lib kmod tools selftests install \
	modules_install uninstall check-dkms

all: lib kmod tools selftests

lib:
	$(Q)$(MAKE) --no-print-directory -C lib
kmod:
	$(Q)$(MAKE) --no-print-directory -C kmod
tools:
	$(Q)$(MAKE) --no-print-directory -C tools
selftests: lib
	$(Q)$(MAKE) --no-print-directory -C selftests

deps:
	$(Q)tools/install-deps.sh

# The suites, cheapest first.  Each is a "check-NAME" target below.
CHECK_SUITES ?= async async-asan async-ucontext async-aarch64 lib bridge install \
		dkms kmod-style vm-runner vm-6.1 vm-6.12 vm-lib-6.1 vm-lib-6.12 \
		vm-bridge-6.1 vm-bridge-6.12 vm-provider-6.1 vm-provider-6.12 \
		vm-engine-6.1 vm-engine-6.12 vm-haproxy-6.12 \
		vm-bench-6.1 vm-bench-6.12 vm-sanitizer vm-debug vm-lib-debug \
		vm-bridge-debug vm-provider-debug

check: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/check.sh $(CHECK_SUITES)

# Host tests of the async runtime (no kernel): plain, ASan+UBSan, with the
# ucontext fallback, and the aarch64 cross build under qemu-user.
check-async check-async-asan check-async-ucontext check-async-aarch64:
	$(Q)$(MAKE) --no-print-directory -C selftests/host $@

# Build-time checks of the module: W=1 on both kernels, checkpatch, sparse.
check-kmod-style:
	$(Q)$(MAKE) --no-print-directory -C kmod $@

# Host tests of libasyncoff's pure parts, plain and ASan+UBSan.
check-lib:
	$(Q)$(MAKE) -C selftests/lib $@

# The QEMU runner proves itself: output, exit status, log checks, timeout.
check-vm-runner:
	$(Q)$(MAKE) -C tools/vm $@

# The bridge's host-testable parts (export/link checks, no-device paths).
check-bridge:
	$(Q)$(MAKE) -C selftests/bridge $@

# The bridge inside async jobs on the real device, both ASYNC providers.
check-vm-bridge-%:
	$(Q)$(MAKE) -C selftests/bridge check-vm-bridge KERNEL=$*

# asyncoff-bench in the VM: --compare (asyncoff, afalg, software), the
# plot, the model settings.
check-vm-bench-%:
	$(Q)$(MAKE) -C tools/asyncoff-bench check-vm-bench KERNEL=$*

# The OpenSSL provider with stock openssl tools, on the device.
check-vm-provider-%:
	$(Q)$(MAKE) -C selftests/provider check-vm-provider KERNEL=$*

# The OpenSSL ENGINE with stock openssl tools, on the device.
check-vm-engine-%:
	$(Q)$(MAKE) -C selftests/engine check-vm-engine KERNEL=$*

# Debian's HAProxy on the provider under h2load, faults and a reset.
check-vm-haproxy-%:
	$(Q)$(MAKE) -C selftests/haproxy check-vm-haproxy KERNEL=$*

# Each class of kernel bug (KASAN, lockdep, kmemleak, ...) must fail a run
# on the sanitizer kernel: proves vm-debug would catch ours.
check-vm-sanitizer:
	$(Q)$(MAKE) -C selftests/sanitizer $@

# libasyncoff against the real device, inside QEMU.
check-vm-lib-%:
	$(Q)$(MAKE) -C selftests/lib check-vm-lib KERNEL=$*

# kselftests of the driver inside QEMU, one suite per kernel.
check-vm-%:
	$(Q)$(MAKE) --no-print-directory -C selftests/kmod check-vm KERNEL=$*

# Installation (tools/install.sh); DESTDIR and PREFIX as usual.
export DESTDIR PREFIX
install: all
	$(Q)tools/install.sh user
modules_install: kmod
	$(Q)tools/install.sh module
uninstall:
	$(Q)tools/install.sh uninstall

# make install / modules_install / uninstall into a staging directory, and
# the example program built from the installed files alone.
check-install: all
	$(Q)selftests/install/check-install.sh

# The module built and installed by Debian's dkms for each installed
# kernel from a staged source tree, then removed (all in temporary trees).
check-dkms:
	$(Q)selftests/dkms/check-dkms.sh

run: deps all
	$(Q)$(MAKE) --no-print-directory -C tools run

clean:
	$(Q)rm -rf build
	$(Q)$(MAKE) --no-print-directory -C kmod clean
