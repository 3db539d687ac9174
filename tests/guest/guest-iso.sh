#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds a GRUB ISO that boots HYPERVISOR with GUEST.elf as the initial domain (multiboot2 module 1).
# Usage: tests/guest/guest-iso.sh HYPERVISOR GUEST.elf OUT.iso [GUEST_CMDLINE]
# HV_CMDLINE overrides the hypervisor command line (same options for Xen and Hospes).
set -euo pipefail
hv=$1 guest=$2 out=$3 gcmd=${4:-}
cd "$(dirname "$0")/../.."
HV_CMDLINE=${HV_CMDLINE:-console=com1 com1=115200 loglvl=all guest_loglvl=all dom0_mem=64M}
cfg=$(mktemp); trap 'rm -f "$cfg"' EXIT
cat >"$cfg" <<CFG
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
menuentry "pvkit $(basename "$guest")" {
	multiboot2 /boot/hv.gz $HV_CMDLINE
	module2 /boot/guest.elf $gcmd
	boot
}
CFG
boot/mkiso.sh "$out" "$cfg" "$hv=boot/hv.gz" "$guest=boot/guest.elf"
