#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian's stock kernel as Dom0 on Hospes, with the devices QEMU gives it: /proc/xen says
# control_d, the IDE/AHCI disk's ext2 file reads back intact, the e1000/e1000e NIC gets a DHCP
# lease from QEMU's user network, both devices' interrupts arrive as PIRQs (INTx on pc; MSI
# and MSI-X on q35, with no "xen map irq failed"), and xenctl lists the domains through
# /dev/xen/privcmd (sysctl). Prints TAP lines.
# Usage: dom0-hardware.sh KERNEL INITRD MACHINE CPU SMP VCPUS
set -uo pipefail
cd "$(dirname "$0")/../../.."
kernel=$1 initrd=$2 machine=$3 cpu=$4 smp=$5 vcpus=$6
O=${O:-build}
out="$O/tests/linux-dom0"; mkdir -p "$out"
name="$machine-$cpu-smp$smp-vcpus$vcpus"
log="$out/$name.log"
iso=$(tests/lib/boot-iso.sh "linux-dom0-hw-$vcpus" \
	"console=com1 com1=115200 loglvl=info dom0_mem=512M dom0_max_vcpus=$vcpus" \
	"$kernel=console=hvc0 earlyprintk=xen" "$initrd") || { echo "not ok - $name: build the ISO"; exit 0; }

# A disk with an ext2 file system holding a file whose checksum the test knows.
disk="$out/$name-disk.img"
rm -rf "$out/disk-root" && mkdir -p "$out/disk-root" && seq 1 30000 >"$out/disk-root/data.txt"
want_md5=$(md5sum <"$out/disk-root/data.txt" | cut -d' ' -f1)
rm -f "$disk" && mke2fs -q -t ext2 -d "$out/disk-root" "$disk" 16M >/dev/null ||
	{ echo "not ok - $name: make the disk image (mke2fs)"; exit 0; }
# q35: AHCI interrupts by MSI, the e1000e NIC by MSI-X; pc: PIIX IDE and e1000 by INTx (GSIs).
# The /proc/interrupts line each must show: its chip and handler, then its name.
if [ "$machine" = q35 ]; then
	devs=(-drive "file=$disk,format=raw,if=none,id=d0" -device "ide-hd,drive=d0,bus=ide.0")
	disk_mod=ahci net_mod=e1000e
	irq_lines=("ahci (MSI):xen-pirq +-msi +ahci" "e1000e (MSI-X):xen-pirq +-msi-x +eth0")
else
	devs=(-drive "file=$disk,format=raw,if=ide,index=0")
	disk_mod=ata_piix net_mod=e1000
	irq_lines=("ata_piix (INTx):xen-pirq +-ioapic-(level|edge) +.*(ata_piix|ata)"
		"e1000 (INTx):xen-pirq +-ioapic-level +.*eth0")
fi
devs+=(-netdev user,id=n0 -device "$net_mod,netdev=n0")
# QEMU 7.2's multi-threaded TCG itself dies now and then (SIGSEGV in memory_region_dispatch_write)
# while Linux sizes a q35 device's BARs on one vCPU and the other touches MMIO: with two vCPUs on
# q35 they take turns on one host thread (still two CPUs to the hypervisor and to Linux).
[ "$machine" = q35 ] && [ "$smp" -gt 1 ] && devs+=(-accel tcg,thread=single)

args=(--iso "$iso" --machine "$machine" --cpu "$cpu" --smp "$smp" --mem 2048M --timeout 400
	--log "$log" --quiet --expect 'Hospes: starting domain 0 \(privileged'
	--expect "smp: Brought up 1 node, $vcpus CPUs?" --expect '^DOM0-OK 6\.1\.'
	--expect '^caps: control_d$' --expect "^$want_md5  /mnt/data.txt\$" --expect '^disk-done-1$'
	--expect 'lease of 10\.0\.2\.[0-9]+ obtained' --expect '^net-done-2$')
# q35: Dom0 tries to aim the AHCI controller's MSI elsewhere through config space (sysfs, so
# ports 0xcf8/0xcfc); the address must read back unchanged, and the disk must still work. Then
# the NIC's driver is reloaded: its MSI-X PIRQs are unmapped and mapped again, and it works.
msi_cmd='echo msi-done-$((2+2))'
if [ "$machine" = q35 ]; then
	msi_cmd='c=/sys/bus/pci/devices/0000:00:1f.2/config; p=$(od -An -tu1 -j52 -N1 $c); while [ $p -ne 0 ] && [ $(od -An -tu1 -j$p -N1 $c) -ne 5 ]; do p=$(od -An -tu1 -j$((p+1)) -N1 $c); done; a=$(od -An -tx4 -j$((p+4)) -N4 $c); printf "\\000\\020\\000\\000" | dd of=$c bs=4 seek=$(((p+4)/4)) conv=notrunc 2>/dev/null; echo msi-addr: $p $a $(od -An -tx4 -j$((p+4)) -N4 $c); echo 3 >/proc/sys/vm/drop_caches; echo again: $(md5sum /mnt/data.txt); rmmod NETMOD && modprobe NETMOD && sleep 1 && ip link set eth0 up && udhcpc -i eth0 -n -q -t 10 -s /bin/true; echo msi-done-$((2+2))'
	msi_cmd=${msi_cmd//NETMOD/$net_mod}
	args+=(--expect '^msi-addr: [1-9][0-9]* (fee[0-9a-f]{5}) \1$'
		--expect "^again: $want_md5 /mnt/data.txt\$" --expect 'lease of 10\.0\.2\.[0-9]+ obtained')
fi
args+=(--expect '^msi-done-4$' --expect '^irq-done-3$'
	--expect '^xenctl: physinfo: [0-9]+ CPUs, [0-9]+ kHz, [0-9]+ pages, [0-9]+ free$'
	--expect "^xenctl: domain 0: [0-9]+ pages \\(max [0-9]+\\), $vcpus vCPUs online\$"
	--expect '^xenctl: done \(ok\)$' --expect 'Hospes: domain 0 shut down: poweroff'
	--fail 'BUG:|WARNING:|Oops|Kernel panic|crashed|PANIC|FATAL|Call Trace|shut down: crash'
	--fail '^mount: mounting|^modprobe: |SIOCGIFFLAGS|No lease, failing'
	--fail 'xen map irq failed')
step() { args+=(--send "$1=$2\n"); } # type $2 once a line matches $1
step '^DOM0-OK' 'modprobe xenfs; mount -t xenfs xenfs /proc/xen; echo caps: $(cat /proc/xen/capabilities)'
step '^caps: .*$' "modprobe $disk_mod && modprobe sd_mod && modprobe crc32c_generic && modprobe ext4 && sleep 2 && mkdir -p /mnt && mount -t ext2 -o ro /dev/sda /mnt && md5sum /mnt/data.txt; echo disk-done-\$((0+1))"
step '^disk-done-1$' "modprobe $net_mod && sleep 1 && ip link set eth0 up && udhcpc -i eth0 -n -q -t 10 -s /bin/true; echo net-done-\$((1+1))"
step '^net-done-2$' "$msi_cmd"
step '^msi-done-4$' 'cat /proc/interrupts; echo irq-done-$((1+2))'
step '^irq-done-3$' 'modprobe xen_privcmd && xenctl'
step '^xenctl: done.*$' 'poweroff -f' # $: only once the whole line is in
if ! timeout 500 python3 tests/lib/qemu_boot.py "${args[@]}" -- "${devs[@]}" >"$log.qemu" 2>&1; then
	echo "not ok - $name: Dom0 with a disk and a NIC (log: $log)"
	tail -2 "$log.qemu" | sed 's/^/# /'
	tail -6 "$log" | sed 's/^/# /'
	exit 0
fi
echo "ok - $name: Dom0 is control_d, reads its $disk_mod disk's file intact, gets a DHCP lease on $net_mod, lists itself through privcmd"
# /proc/interrupts: the disk's and the NIC's lines, of the expected kind, count interrupts.
for dev in "${irq_lines[@]}"; do
	label=${dev%%:*} pat=${dev#*:}
	n=$(grep -E "\] +[0-9]+:.* $pat" "$log" | sed 's/^\[[ 0-9.]*\] *[0-9]*://' |
		awk '{ for (i = 1; i <= NF && $i ~ /^[0-9]+$/; i++) s += $i } END { print s + 0 }')
	if [ "$n" -gt 0 ]; then
		echo "ok - $name: $n interrupts from $label reached Dom0 as PIRQ events"
	else
		echo "not ok - $name: no interrupts from $label in /proc/interrupts (want: $pat)"
		grep -E '\] +[0-9]+:' "$log" | sed 's/^/# /' | head -20
	fi
done
# q35: the hypervisor mapped the NIC's MSI-X entry 0 twice (driver loaded, reloaded after unmap).
if [ "$machine" = q35 ]; then
	n=$(grep -cE '^\[ *[0-9.]+\] MSI-X [0-9a-f]{2}:[0-9a-f]{2}\.[0-7] entry 0: vector 0x[0-9a-f]+, PIRQ [0-9]+$' "$log")
	if [ "$n" -eq 2 ]; then
		echo "ok - $name: the NIC's MSI-X PIRQs were unmapped on rmmod and mapped again on modprobe"
	else
		echo "not ok - $name: the hypervisor mapped MSI-X entry 0 $n times, want 2"
	fi
fi
