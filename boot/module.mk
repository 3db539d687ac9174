# SPDX-License-Identifier: GPL-2.0-only
# Boot media: the GRUB rescue ISO (BIOS + UEFI) and the QEMU launcher behind `make run`.

BOOT_OUT := $(O)/boot
HV_CMDLINE ?= console=com1 com1=115200,8n1 loglvl=info
# Extra multiboot2 modules for the ISO, as "file[=cmdline]" words (later issues add Dom0 here).
BOOT_MODULES ?=
GRUB_TIMEOUT ?= 1
QEMU_SMP ?= 2
QEMU_MEM ?= 1024M
QEMU_CPU ?= qemu64
QEMU_MACHINE ?= pc
QEMU_FIRMWARE ?= bios
QEMU_EXTRA ?=
LINUX_INITDOM ?= privileged
LINUX_VCPUS ?= 1
LINUX_MEM ?= 256M
LINUX_CMDLINE ?= console=hvc0 earlyprintk=xen

$(BOOT_OUT)/grub.cfg: boot/grub.cfg.in boot/mkgrubcfg.sh FORCE
	@mkdir -p $(dir $@)
	@boot/mkgrubcfg.sh boot/grub.cfg.in $(GRUB_TIMEOUT) "$(HV_CMDLINE)" $(BOOT_MODULES) > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

$(BOOT_OUT)/hospes.iso: $(BOOT_OUT)/grub.cfg $(O)/hypervisor/hospes.gz boot/mkiso.sh
	@echo "  ISO     $@"
	@boot/mkiso.sh $@ $(BOOT_OUT)/grub.cfg $(O)/hypervisor/hospes.gz=boot/hospes.gz \
		$(foreach m,$(BOOT_MODULES),$(firstword $(subst =, ,$(m)))=boot/$(notdir $(firstword $(subst =, ,$(m)))))

iso: $(BOOT_OUT)/hospes.iso

# Interactive: the serial line on this terminal (Ctrl-A X quits QEMU, Ctrl-A C its monitor).
# make run: Hospes with Debian's kernel as Dom0 (or, LINUX_INITDOM=unprivileged, as a guest);
# make run-hv: the hypervisor alone, with BOOT_MODULES if any.
run: run-linux

run-hv: all $(BOOT_OUT)/hospes.iso
	boot/qemu-run.sh --iso $(BOOT_OUT)/hospes.iso --smp $(QEMU_SMP) --mem $(QEMU_MEM) \
		--cpu $(QEMU_CPU) --machine $(QEMU_MACHINE) --firmware $(QEMU_FIRMWARE) $(QEMU_EXTRA)

# Debian's stock kernel with a busybox shell on Hospes (boot/run-linux.sh has the variables).
run-linux: all
	LINUX_INITDOM="$(LINUX_INITDOM)" LINUX_VCPUS="$(LINUX_VCPUS)" LINUX_MEM="$(LINUX_MEM)" \
	LINUX_CMDLINE="$(LINUX_CMDLINE)" QEMU_SMP=$(QEMU_SMP) QEMU_MEM=$(QEMU_MEM) \
	QEMU_CPU=$(QEMU_CPU) QEMU_MACHINE=$(QEMU_MACHINE) QEMU_FIRMWARE=$(QEMU_FIRMWARE) \
	QEMU_EXTRA="$(QEMU_EXTRA)" HV_CMDLINE="$(HV_CMDLINE)" boot/run-linux.sh

.PHONY: iso run run-hv run-linux FORCE
FORCE:

ALL_TARGETS += $(BOOT_OUT)/hospes.iso
DEPS_PKGS += qemu-system-x86 grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools ovmf \
	busybox-static cpio file apt dpkg kmod e2fsprogs
