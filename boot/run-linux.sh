#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make run-linux: Debian's stock kernel and a busybox initramfs on Hospes in QEMU, its shell on
# this terminal. LINUX_INITDOM=unprivileged (default: an ordinary PV guest, domain 1, console
# ring) or privileged (Dom0, console_io); LINUX_VCPUS, LINUX_MEM, LINUX_CMDLINE; the QEMU_*
# variables of make run.
set -euo pipefail
cd "$(dirname "$0")/.."
O=${O:-build}
initdom=${LINUX_INITDOM:-unprivileged} vcpus=${LINUX_VCPUS:-1} mem=${LINUX_MEM:-256M}
case $initdom in
privileged | unprivileged) ;;
*) echo "run-linux: LINUX_INITDOM must be privileged or unprivileged, not '$initdom'" >&2; exit 2 ;;
esac
kernel=$(boot/linux-kernel.sh)
out="$O/boot/linux"; mkdir -p "$out"
printf '%s\n' 'echo "Hospes: Debian $(uname -r) is up; poweroff -f ends the domain"' \
	'exec /bin/busybox setsid /bin/busybox cttyhack /bin/sh' >"$out/init-tail.sh"
boot/mkinitramfs.sh "$out/initrd.gz" "$out/init-tail.sh"
hv="${HV_CMDLINE:-console=com1 com1=115200,8n1 loglvl=info} dom0_mem=$mem dom0_max_vcpus=$vcpus"
hv+=" initdom=$initdom noreboot"
iso=$(tests/lib/boot-iso.sh "run-linux" "$hv" \
	"$kernel=${LINUX_CMDLINE:-console=hvc0 earlyprintk=xen}" "$out/initrd.gz")
exec boot/qemu-run.sh --iso "$iso" --smp "${QEMU_SMP:-2}" --mem "${QEMU_MEM:-1024M}" \
	--cpu "${QEMU_CPU:-qemu64}" --machine "${QEMU_MACHINE:-pc}" --firmware "${QEMU_FIRMWARE:-bios}" \
	${QEMU_EXTRA:-}
