# SPDX-License-Identifier: Apache-2.0
#
# Shared make conventions for every user-space part of asyncoff.
# Include it with:  TOP := <path to top>;  include $(TOP)/mk/common.mk
#
# - Quiet build lines ("  CC      foo.o") unless V=1.
# - Warnings are errors in user space.
# - Outputs go under $(BUILD) (default: $(TOP)/build), never beside sources.

ifeq ($(origin V),command line)
  AOFF_VERBOSE := $(V)
endif
ifeq ($(AOFF_VERBOSE),1)
  Q :=
  quiet = @:
else
  Q := @
  quiet = @printf '  %-7s %s\n'
endif

# The release: the provider's and engine's version strings, the man pages'
# .TH lines (check-install compares), dkms.conf (install.sh substitutes).
VERSION  := 0.1.0

BUILD    ?= $(abspath $(TOP)/build)
CC       ?= cc
AR       ?= ar
WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wno-unused-parameter
OPT      ?= -O2 -g
CFLAGS   ?= $(OPT)
AOFF_CFLAGS := -std=gnu11 $(WARNINGS) -fno-strict-aliasing -D_GNU_SOURCE \
	       -DAOFF_VERSION='"$(VERSION)"'

# Sub-makes stay silent about themselves ("Entering directory", "Nothing to
# be done"): the quiet lines above say what is built.
ifneq ($(AOFF_VERBOSE),1)
  MAKEFLAGS += --no-print-directory -s
endif
