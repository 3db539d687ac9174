# SPDX-License-Identifier: GPL-2.0-only
# tests/guest: pvkit conformance guests, each booted as the initial domain; and `make xen-ref`.
TESTS_GUEST_DIR := tests/guest
TESTS_GUEST_OUT := $(O)/tests/guest
TESTS_GUEST_NAMES := hello hypercalls mmu memory events traps softint usermode timers vcpu smp grants control negative bench fuzz
TESTS_GUEST_ELFS := $(foreach n,$(TESTS_GUEST_NAMES),$(TESTS_GUEST_OUT)/$(n).elf) \
	$(TESTS_GUEST_OUT)/hello-syscall.elf

$(TESTS_GUEST_OUT)/%.o: $(TESTS_GUEST_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(PVKIT_CC) $(PVKIT_CFLAGS) -c $< -o $@

$(foreach n,$(TESTS_GUEST_NAMES),$(eval $(call pvkit_guest,$(TESTS_GUEST_OUT)/$(n).elf,$(TESTS_GUEST_OUT)/$(n)/main.o,$(PVKIT_HEAD))))
# hello linked at Linux's kernel address (VIRT_BASE 0xffffffff80000000): the loader must honour it.
$(eval $(call pvkit_guest_high,$(TESTS_GUEST_OUT)/hello-high.elf,$(PVKIT_HIGH_OUT)/$(TESTS_GUEST_DIR)/hello/main.o))
TESTS_GUEST_ELFS += $(TESTS_GUEST_OUT)/hello-high.elf
# The same hello guest without a HYPERCALL_PAGE note: every hypercall is a bare syscall.
$(eval $(call pvkit_guest,$(TESTS_GUEST_OUT)/hello-syscall.elf,$(TESTS_GUEST_OUT)/hello/main.o,$(PVKIT_HEAD_NOHCP)))

.PHONY: guest-tests xen-ref guest-fuzz
guest-tests: $(TESTS_GUEST_ELFS)

# make fuzz: a long random-hypercall run of the fuzz guest (FUZZ_HV, FUZZ_COUNT, FUZZ_SEED).
guest-fuzz: $(TESTS_GUEST_OUT)/fuzz.elf
	@tests/guest/fuzz.sh
FUZZ_TARGETS += guest-fuzz

# Debian's Xen 4.17 hypervisor for side-by-side runs: downloaded and unpacked, never installed.
xen-ref:
	@boot/xen-ref.sh

CHECK_SOURCES += $(foreach n,$(TESTS_GUEST_NAMES),$(TESTS_GUEST_DIR)/$(n)/main.c)
DEPS_PKGS += qemu-system-x86 grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools ovmf
-include $(foreach n,$(TESTS_GUEST_NAMES),$(TESTS_GUEST_OUT)/$(n)/main.d)
