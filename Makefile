# SPDX-License-Identifier: GPL-2.0-only
# Hospes top-level build: one non-recursive make over every module.mk fragment (see mk/README.md).

O ?= build
export O
PYTHON := /usr/bin/python3
SHELL := /bin/bash

.DEFAULT_GOAL := all
# Keep intermediate objects: unit tests and the two-pass hypervisor link reuse them.
.SECONDARY:

# Host toolchain for tools and unit tests.
HOSTCC ?= gcc
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Wshadow -Wundef \
	-Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

ALL_TARGETS :=
DEPS_PKGS := build-essential python3 python3-kconfiglib gzip cpio clang-format cppcheck
CHECK_SOURCES :=
CHECK_HEADERS :=
CHECK_HEADERS_HV :=
FUZZ_TARGETS :=

# --- configuration (Kconfig via python3-kconfiglib) -------------------------------------------
KCONFIG_ENV := srctree=$(CURDIR) KCONFIG_CONFIG=$(CURDIR)/.config
CONFIG_H := $(O)/include/generated/config.h

.config:
	@echo "  CONFIG  no .config yet: using configs/defconfig"
	@$(KCONFIG_ENV) $(PYTHON) /usr/lib/python3/dist-packages/defconfig.py --kconfig Kconfig configs/defconfig >/dev/null

$(CONFIG_H): .config Kconfig $(shell find . -name Kconfig -not -path './$(O)/*' 2>/dev/null)
	@mkdir -p $(dir $@)
	@$(KCONFIG_ENV) $(PYTHON) /usr/lib/python3/dist-packages/genconfig.py --header-path $@ Kconfig

.PHONY: defconfig menuconfig olddefconfig savedefconfig
defconfig:
	$(KCONFIG_ENV) $(PYTHON) /usr/lib/python3/dist-packages/defconfig.py --kconfig Kconfig configs/defconfig
menuconfig:
	$(KCONFIG_ENV) $(PYTHON) /usr/lib/python3/dist-packages/menuconfig.py Kconfig
olddefconfig:
	$(KCONFIG_ENV) $(PYTHON) /usr/lib/python3/dist-packages/olddefconfig.py Kconfig
savedefconfig:
	$(KCONFIG_ENV) $(PYTHON) /usr/lib/python3/dist-packages/savedefconfig.py --kconfig Kconfig --out configs/defconfig

-include .config

# --- fragments -----------------------------------------------------------------------------------
MK_FRAGMENTS := $(sort $(wildcard */module.mk */*/module.mk */*/*/module.mk))
include $(MK_FRAGMENTS)

.PHONY: all deps test bench fuzz check clean distclean run format
all: $(ALL_TARGETS)

deps:
	@$(CURDIR)/mk/deps.sh $(sort $(DEPS_PKGS))

test: all
	@tests/run

bench: all
	@tests/bench/run

fuzz: $(FUZZ_TARGETS)

# make check: formatting, static analysis, and every header compiling on its own.
check: $(CONFIG_H)
	@mk/check.sh "$(CHECK_SOURCES)" "$(CHECK_HEADERS)" "$(CHECK_HEADERS_HV)"

format:
	@clang-format -i $(CHECK_SOURCES) $(CHECK_HEADERS) $(CHECK_HEADERS_HV)

clean:
	rm -rf $(O)

distclean: clean
	rm -f .config .config.old
