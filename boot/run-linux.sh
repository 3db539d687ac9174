#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make run: Debian's stock kernel and a busybox initramfs on Hospes in QEMU, its shell on this
# terminal. LINUX_INITDOM=privileged (default: Dom0, with its Xen drivers, disk and NIC modules
# loaded and xenfs mounted) or unprivileged (an ordinary PV guest, domain 1, console ring);
# LINUX_VCPUS, LINUX_MEM, LINUX_CMDLINE; the QEMU_* variables.
set -euo pipefail
cd "$(dirname "$0")/.."
O=${O:-build}
initdom=${LINUX_INITDOM:-privileged} vcpus=${LINUX_VCPUS:-1} mem=${LINUX_MEM:-256M}
case $initdom in
privileged | unprivileged) ;;
*) echo "run-linux: LINUX_INITDOM must be privileged or unprivileged, not '$initdom'" >&2; exit 2 ;;
esac
kernel=$(boot/linux-kernel.sh)
out="$O/boot/linux"; mkdir -p "$out"
tree="$out/tree"; rm -rf "$tree"
boot/linux-modules.sh "$tree" xen_privcmd xen_evtchn xen_gntdev xen_gntalloc xenfs ata_piix ahci \
	sd_mod ext4 crc32c_generic e1000 e1000e >/dev/null
{
	echo '/bin/busybox --install -s /bin'
	if [ "$initdom" = privileged ]; then
		echo 'for m in xenfs xen_privcmd xen_evtchn xen_gntdev xen_gntalloc; do modprobe $m; done'
		echo 'mount -t xenfs xenfs /proc/xen; mkdir -p /opt/hospes'
	fi
	echo 'echo "Hospes: Debian $(uname -r) is up ($(cat /proc/xen/capabilities 2>/dev/null || echo domU)); poweroff -f ends the domain"'
	echo 'exec /bin/busybox setsid /bin/busybox cttyhack /bin/sh'
} >"$out/init-tail.sh"
INITRAMFS_TREE="$tree" boot/mkinitramfs.sh "$out/initrd.gz" "$out/init-tail.sh" \
	"$O/tests/e2e/linux/xenctl"
hv="${HV_CMDLINE:-console=com1 com1=115200,8n1 loglvl=info} dom0_mem=$mem dom0_max_vcpus=$vcpus"
hv+=" initdom=$initdom noreboot"
iso=$(tests/lib/boot-iso.sh "run-linux" "$hv" \
	"$kernel=${LINUX_CMDLINE:-console=hvc0 earlyprintk=xen}" "$out/initrd.gz")
exec boot/qemu-run.sh --iso "$iso" --smp "${QEMU_SMP:-2}" --mem "${QEMU_MEM:-1024M}" \
	--cpu "${QEMU_CPU:-qemu64}" --machine "${QEMU_MACHINE:-pc}" --firmware "${QEMU_FIRMWARE:-bios}" \
	${QEMU_EXTRA:-}
