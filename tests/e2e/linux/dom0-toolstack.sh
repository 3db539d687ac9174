#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian's stock kernel as Dom0 on Hospes, its toolstack interfaces driven from user space
# through Linux's own Xen drivers by xenctl's subcommands: a domain built from Dom0 (createdomain,
# max_mem, populate_physmap) and its frames mapped through privcmd (MMAPBATCH_V2, v1, MMAP) with
# per-frame errors, a mapping that outlives the domain, gntalloc/gntdev and evtchn loopbacks,
# xenbus_backend. Each xenctl check becomes one TAP line.
# Usage: dom0-toolstack.sh KERNEL INITRD MACHINE CPU SMP VCPUS
set -uo pipefail
cd "$(dirname "$0")/../../.."
kernel=$1 initrd=$2 machine=$3 cpu=$4 smp=$5 vcpus=$6
O=${O:-build}
out="$O/tests/linux-dom0-toolstack"; mkdir -p "$out"
name="$machine-$cpu-smp$smp-vcpus$vcpus"
log="$out/$name.log"
iso=$(tests/lib/boot-iso.sh "linux-dom0-toolstack-$vcpus" \
	"console=com1 com1=115200 loglvl=info dom0_mem=512M dom0_max_vcpus=$vcpus" \
	"$kernel=console=hvc0 earlyprintk=xen" "$initrd") || { echo "not ok - $name: build the ISO"; exit 0; }

args=(--iso "$iso" --machine "$machine" --cpu "$cpu" --smp "$smp" --mem 2048M --timeout 400
	--log "$log" --quiet --expect 'Hospes: starting domain 0 \(privileged'
	--expect "smp: Brought up 1 node, $vcpus CPUs?" --expect '^DOM0-OK 6\.1\.'
	--expect '^modules-loaded$'
	--expect 'domain [0-9]+: 3 frames still mapped by other domains' --expect '^xenctl: foreign done'
	--expect '^xenctl: grant done' --expect '^xenctl: evtchn done' --expect '^xenctl: xenbus done'
	--expect 'Hospes: domain 0 shut down: poweroff'
	--fail 'BUG:|WARNING:|Oops|Kernel panic|crashed|PANIC|FATAL|Call Trace|shut down: crash'
	--fail '^modprobe: ')
step() { args+=(--send "$1=$2\n"); } # type $2 once a line matches $1
step '^DOM0-OK' 'modprobe xenfs && mount -t xenfs xenfs /proc/xen && modprobe xen_privcmd && modprobe xen_evtchn && modprobe xen_gntdev && modprobe xen_gntalloc && echo modules-loaded'
step '^modules-loaded$' 'xenctl foreign'
step '^xenctl: foreign done' 'xenctl grant'
step '^xenctl: grant done' 'xenctl evtchn'
step '^xenctl: evtchn done' 'xenctl xenbus'
step '^xenctl: xenbus done' 'poweroff -f'
timeout 500 python3 tests/lib/qemu_boot.py "${args[@]}" >"$log.qemu" 2>&1
rc=$?
# Every check xenctl printed, as TAP (the boot's own verdict follows).
n=0
while IFS= read -r line; do
	line=${line%$'\r'}
	case "$line" in
	*"xenctl: ok - "*) echo "ok - $name: ${line#*xenctl: ok - }"; n=$((n + 1)) ;;
	*"xenctl: not ok - "*) echo "not ok - $name: ${line#*xenctl: not ok - }"; n=$((n + 1)) ;;
	esac
done < <(grep -a 'xenctl: \(not \)\?ok - ' "$log" | sed 's/^\[[^]]*\] *//')
if [ $rc -ne 0 ]; then
	echo "not ok - $name: Dom0 toolstack boot ($n checks ran; log: $log)"
	tail -2 "$log.qemu" | sed 's/^/# /'
	tail -6 "$log" | sed 's/^/# /'
	exit 0
fi
echo "ok - $name: Dom0 ran every toolstack check and powered off cleanly ($n checks)"
