# SPDX-License-Identifier: GPL-2.0-only
# libFuzzer harnesses (clang, ASan + UBSan) over hypervisor parsers; `make fuzz` builds them all.

FUZZ_OUT := $(O)/tests/fuzz
FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Wall -Wextra -Werror \
	-Wno-unused-parameter -Ihypervisor/include -I$(O)/include
FUZZ_ELF_SRCS := tests/fuzz/fuzz_elf.c \
	$(patsubst %,hypervisor/common/%.c,elf bzimage inflate lzma2 xz crc pvlayout)

$(FUZZ_OUT)/fuzz_elf: $(FUZZ_ELF_SRCS) $(wildcard hypervisor/include/hospes/*.h) $(CONFIG_H)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_ELF_SRCS) -o $@

fuzz-elf: $(FUZZ_OUT)/fuzz_elf
.PHONY: fuzz-elf

FUZZ_TARGETS += fuzz-elf
# Built by `make all` when clang is there, so that the test suite finds it.
ifneq ($(shell command -v $(FUZZ_CC) 2>/dev/null),)
ALL_TARGETS += $(FUZZ_OUT)/fuzz_elf
endif
DEPS_PKGS += clang xz-utils
CHECK_SOURCES += tests/fuzz/fuzz_elf.c
