# SPDX-License-Identifier: GPL-2.0-only
# Host unit tests: the real hypervisor sources compiled for the host under ASan and UBSan.

UNIT_OUT := $(O)/tests/unit
UNIT_CFLAGS := $(filter-out -O2 -Wmissing-prototypes,$(HOST_CFLAGS)) -O1 $(SAN_FLAGS) \
	-Ihypervisor/include -I$(O)/include
# The hypervisor's printf family would clash with the C library's: rename it in its objects.
UNIT_HV_DEFS := -Dvsnprintf=hv_vsnprintf -Dsnprintf=hv_snprintf
UNIT_HV_SRCS := cmdline parse string vsprintf multiboot2 memmap frame acpi elf pvlayout bzimage \
	inflate lzma2 xz crc event_channel grant_entry pagetype pte_insn xencons domctl_check vpit \
	pci_msi
UNIT_TESTS := cmdline multiboot2 memmap frame acpi vsprintf elf pvlayout bzimage event_channel \
	grant pagetype pte_insn xencons domctl vpit pci_msi
UNIT_BINS := $(patsubst %,$(UNIT_OUT)/hypervisor/test_%,$(UNIT_TESTS))

$(UNIT_OUT)/hv/%.o: hypervisor/common/%.c $(CONFIG_H)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $< (unit)"
	@$(HOSTCC) $(UNIT_CFLAGS) $(UNIT_HV_DEFS) -c $< -o $@

$(UNIT_OUT)/harness.o: tests/unit/harness.c tests/unit/harness.h
	@mkdir -p $(dir $@)
	@$(HOSTCC) $(UNIT_CFLAGS) -c $< -o $@

$(UNIT_OUT)/hypervisor/test_%: tests/unit/hypervisor/test_%.c $(UNIT_OUT)/harness.o \
		$(patsubst %,$(UNIT_OUT)/hv/%.o,$(UNIT_HV_SRCS)) $(CONFIG_H)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(HOSTCC) $(UNIT_CFLAGS) $< $(UNIT_OUT)/harness.o \
		$(patsubst %,$(UNIT_OUT)/hv/%.o,$(UNIT_HV_SRCS)) -o $@

unit-tests: $(UNIT_BINS)
.PHONY: unit-tests

ALL_TARGETS += $(UNIT_BINS)
DEPS_PKGS += libasan8 libubsan1
CHECK_SOURCES += tests/unit/harness.c $(wildcard tests/unit/hypervisor/*.c)
