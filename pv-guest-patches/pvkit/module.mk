# SPDX-License-Identifier: GPL-2.0-only
# pvkit: the freestanding PV guest kit (libpvkit.a, entry objects, linker script) and its example.
PVKIT_DIR := pv-guest-patches/pvkit
PVKIT_OUT := $(O)/$(PVKIT_DIR)
PVKIT_LDS := $(PVKIT_DIR)/pvkit.ld
PVKIT_CC ?= gcc

# Guest code: freestanding, no red zone (the hypervisor pushes frames on our stack), no SSE,
# not position independent, linked at 1 MiB (so -mcmodel=small).
PVKIT_CFLAGS := -std=c11 -O2 -g -m64 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-common -mno-red-zone -mcmodel=small \
	-mgeneral-regs-only -nostdinc -isystem $(shell $(PVKIT_CC) -print-file-name=include) \
	-I hypervisor/include -I $(PVKIT_DIR)/include \
	-Wall -Wextra -Werror -Wshadow -Wundef -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -MMD -MP
PVKIT_ASFLAGS := -m64 -nostdinc -I hypervisor/include -I $(PVKIT_DIR)/include -MMD -MP
PVKIT_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-Wl,-z,noexecstack -Wl,--no-warn-rwx-segments -T $(PVKIT_LDS)

PVKIT_SRCS := $(sort $(wildcard $(PVKIT_DIR)/src/*.c))
PVKIT_OBJS := $(patsubst %.c,$(O)/%.o,$(PVKIT_SRCS)) $(PVKIT_OUT)/src/entry.o
PVKIT_LIB := $(PVKIT_OUT)/libpvkit.a
# Entry objects: with the HYPERCALL_PAGE note, and without it (hypercalls by bare syscall only).
PVKIT_HEAD := $(PVKIT_OUT)/src/head.o
PVKIT_HEAD_NOHCP := $(PVKIT_OUT)/src/head-nohcp.o

$(O)/pv-guest-patches/%.o: pv-guest-patches/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(PVKIT_CC) $(PVKIT_CFLAGS) -c $< -o $@

$(O)/pv-guest-patches/%.o: pv-guest-patches/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	@$(PVKIT_CC) $(PVKIT_ASFLAGS) -c $< -o $@

$(PVKIT_HEAD_NOHCP): $(PVKIT_DIR)/src/head.S
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	@$(PVKIT_CC) $(PVKIT_ASFLAGS) -DPVKIT_NO_HYPERCALL_PAGE -c $< -o $@

$(PVKIT_LIB): $(PVKIT_OBJS)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

# $(call pvkit_guest,OUT.elf,OBJECTS,HEAD_OBJECT): link a guest image against libpvkit.
define pvkit_guest
$(1): $(2) $(3) $$(PVKIT_LIB) $$(PVKIT_LDS)
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	@$$(PVKIT_CC) $$(PVKIT_LDFLAGS) -o $$@ $(3) $(2) $$(PVKIT_LIB)
ALL_TARGETS += $(1)
endef

# The high variant: the same kit built with -mcmodel=kernel and linked at Linux's kernel address
# (VIRT_BASE 0xffffffff80000000, image at 0xffffffff80100000, loaded at 1 MiB), into $(O)/pvkit-high/.
PVKIT_HIGH_OUT := $(O)/pvkit-high
PVKIT_HIGH_CFLAGS = $(filter-out -mcmodel=small,$(PVKIT_CFLAGS)) -mcmodel=kernel -DPVKIT_HIGH
PVKIT_HIGH_OBJS := $(patsubst %.c,$(PVKIT_HIGH_OUT)/%.o,$(PVKIT_SRCS)) \
	$(PVKIT_HIGH_OUT)/$(PVKIT_DIR)/src/entry.o
PVKIT_HIGH_LIB := $(PVKIT_HIGH_OUT)/libpvkit.a
PVKIT_HIGH_HEAD := $(PVKIT_HIGH_OUT)/$(PVKIT_DIR)/src/head.o
PVKIT_HIGH_LDFLAGS := -Wl,--defsym,pvkit_virt_base=0xffffffff80000000

$(PVKIT_HIGH_OUT)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(PVKIT_CC) $(PVKIT_HIGH_CFLAGS) -c $< -o $@

$(PVKIT_HIGH_OUT)/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $@"
	@$(PVKIT_CC) $(PVKIT_ASFLAGS) -DPVKIT_HIGH -c $< -o $@

$(PVKIT_HIGH_LIB): $(PVKIT_HIGH_OBJS)
	@echo "  AR      $@"
	@rm -f $@ && ar rcs $@ $^

# $(call pvkit_guest_high,OUT.elf,OBJECTS): link a guest of the high variant.
define pvkit_guest_high
$(1): $(2) $$(PVKIT_HIGH_HEAD) $$(PVKIT_HIGH_LIB) $$(PVKIT_LDS)
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	@$$(PVKIT_CC) $$(PVKIT_LDFLAGS) $$(PVKIT_HIGH_LDFLAGS) -o $$@ $$(PVKIT_HIGH_HEAD) $(2) \
		$$(PVKIT_HIGH_LIB)
ALL_TARGETS += $(1)
endef

PVKIT_EXAMPLE := $(PVKIT_OUT)/example/example.elf
$(eval $(call pvkit_guest,$(PVKIT_EXAMPLE),$(PVKIT_OUT)/example/main.o,$(PVKIT_HEAD)))

ALL_TARGETS += $(PVKIT_LIB) $(PVKIT_HEAD) $(PVKIT_HEAD_NOHCP)
CHECK_SOURCES += $(PVKIT_SRCS) $(PVKIT_DIR)/example/main.c
CHECK_HEADERS_HV += $(sort $(wildcard $(PVKIT_DIR)/include/pvkit/*.h))
-include $(PVKIT_HIGH_OBJS:.o=.d) $(PVKIT_HIGH_HEAD:.o=.d)
-include $(PVKIT_OBJS:.o=.d) $(PVKIT_HEAD:.o=.d) $(PVKIT_HEAD_NOHCP:.o=.d) \
	$(PVKIT_OUT)/example/main.d
