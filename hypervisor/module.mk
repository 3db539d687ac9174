# SPDX-License-Identifier: GPL-2.0-only
# The hypervisor image: freestanding C11 + assembly, linked twice to embed its symbol table.

HV_OUT := $(O)/hypervisor
HV_ARCH := hypervisor/arch/x86_64
HV_COMMON_SRCS := $(wildcard hypervisor/common/*.c)
HV_ARCH_SRCS := $(wildcard $(HV_ARCH)/*.c $(HV_ARCH)/pv/*.c)
HV_ASM_SRCS := $(filter-out %.lds.S,$(wildcard $(HV_ARCH)/*.S $(HV_ARCH)/boot/*.S $(HV_ARCH)/pv/*.S))
HV_OBJS := $(patsubst %.c,$(O)/%.o,$(HV_COMMON_SRCS) $(HV_ARCH_SRCS)) \
	$(patsubst %.S,$(O)/%.o,$(HV_ASM_SRCS))

HV_CC ?= gcc
HV_INCLUDES := -Ihypervisor/include -I$(HV_ARCH)/include -I$(O)/include
HV_CPPFLAGS := -nostdinc -isystem $(shell $(HV_CC) -print-file-name=include) $(HV_INCLUDES) \
	-include hypervisor/include/hospes/compiler.h
HV_CFLAGS := -std=c11 -O2 -g -ffreestanding -fno-builtin-printf -fpie -fvisibility=hidden \
	-mno-red-zone -mgeneral-regs-only -fno-omit-frame-pointer -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fcf-protection=none -fno-strict-aliasing \
	-fno-jump-tables -Wall -Wextra -Werror -Wshadow -Wundef -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter -Wvla -MMD -MP
HV_ASFLAGS := -D__ASSEMBLY__ -Wa,--noexecstack -MMD -MP
HV_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack --no-relax \
	--build-id=none

$(O)/hypervisor/%.o: hypervisor/%.c $(CONFIG_H)
	@mkdir -p $(dir $@)
	@echo "  HVCC    $<"
	@$(HV_CC) $(HV_CPPFLAGS) $(HV_CFLAGS) -c $< -o $@

$(O)/hypervisor/%.o: hypervisor/%.S $(CONFIG_H)
	@mkdir -p $(dir $@)
	@echo "  HVAS    $<"
	@$(HV_CC) $(HV_CPPFLAGS) $(HV_ASFLAGS) -c $< -o $@

$(HV_OUT)/hospes.lds: $(HV_ARCH)/hospes.lds.S $(HV_ARCH)/include/asm/layout.h
	@mkdir -p $(dir $@)
	@$(HV_CC) -E -P -x c -D__ASSEMBLY__ $(HV_INCLUDES) $< -o $@

# Pass 1 links with an empty symbol table; pass 2 embeds the names of pass 1's functions.
# The table lives in .rodata, after .text, so no function moves between the passes.
$(HV_OUT)/syms0.c: hypervisor/scripts/gensyms.sh
	@mkdir -p $(dir $@)
	@hypervisor/scripts/gensyms.sh - > $@

$(HV_OUT)/syms%.o: $(HV_OUT)/syms%.c
	@$(HV_CC) $(HV_CPPFLAGS) $(HV_CFLAGS) -c $< -o $@

$(HV_OUT)/hospes.0: $(HV_OBJS) $(HV_OUT)/syms0.o $(HV_OUT)/hospes.lds
	@echo "  LD      $@"
	@ld $(HV_LDFLAGS) -T $(HV_OUT)/hospes.lds -o $@ $(HV_OBJS) $(HV_OUT)/syms0.o

$(HV_OUT)/syms1.c: $(HV_OUT)/hospes.0 hypervisor/scripts/gensyms.sh
	@hypervisor/scripts/gensyms.sh $< > $@

$(HV_OUT)/hospes-syms: $(HV_OBJS) $(HV_OUT)/syms1.o $(HV_OUT)/hospes.lds $(HV_OUT)/hospes.0
	@echo "  LD      $@"
	@ld $(HV_LDFLAGS) -T $(HV_OUT)/hospes.lds -o $@ $(HV_OBJS) $(HV_OUT)/syms1.o
	@cmp -s <(nm $@ | grep -i ' t ' | sort) <(nm $(HV_OUT)/hospes.0 | grep -i ' t ' | sort) \
		|| { echo "hypervisor: function addresses moved between link passes" >&2; exit 1; }

$(HV_OUT)/hospes: $(HV_OUT)/hospes-syms
	@strip -o $@ $<

$(HV_OUT)/hospes.gz: $(HV_OUT)/hospes
	@echo "  GZIP    $@"
	@gzip -9nc $< > $@

hypervisor: $(HV_OUT)/hospes.gz
.PHONY: hypervisor

ALL_TARGETS += $(HV_OUT)/hospes.gz
DEPS_PKGS += gcc binutils
CHECK_SOURCES += $(HV_COMMON_SRCS) $(HV_ARCH_SRCS)
CHECK_HEADERS_HV += $(wildcard hypervisor/include/hospes/*.h $(HV_ARCH)/include/asm/*.h)

-include $(HV_OBJS:.o=.d)
