#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boots an ISO in QEMU with the serial line on this terminal (make run). Options:
#   --iso F --smp N --mem M --cpu MODEL --machine pc|q35 --firmware bios|uefi [-- extra QEMU args]
# Debugging: QEMU_GDB=1 adds "-s -S" (then: gdb build/hypervisor/hospes-syms, target remote :1234).
set -euo pipefail
iso="" smp=2 mem=1024M cpu=qemu64 machine=pc fw=bios
while [ $# -gt 0 ]; do
	case $1 in
	--iso) iso=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--machine) machine=$2; shift 2 ;;
	--firmware) fw=$2; shift 2 ;;
	--) shift; break ;;
	*) break ;;
	esac
done
[ -n "$iso" ] || { echo "qemu-run: --iso is required" >&2; exit 2; }
args=(-machine "$machine" -cpu "$cpu" -smp "$smp" -m "$mem" -cdrom "$iso" -boot d
	-nographic -serial mon:stdio -no-reboot)
[ "$fw" = uefi ] && args+=(-bios /usr/share/ovmf/OVMF.fd)
[ -n "${QEMU_GDB:-}" ] && args+=(-s -S)
echo "qemu-run: qemu-system-x86_64 ${args[*]} $*" >&2
exec qemu-system-x86_64 "${args[@]}" "$@"
