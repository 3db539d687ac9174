#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian's stock kernel as an unprivileged PV domain on Hospes, driven at its shell over the
# serial line: arithmetic, a fork/exec loop, files in tmpfs, sort, FPU work on every vCPU at
# once, `sleep 1` against the host clock, then poweroff. Prints TAP lines.
# Usage: shell-scenario.sh KERNEL INITRD CPU SMP VCPUS
set -uo pipefail
cd "$(dirname "$0")/../../.."
kernel=$1 initrd=$2 cpu=$3 smp=$4 vcpus=$5
O=${O:-build}
out="$O/tests/linux-guest"; mkdir -p "$out"
name="$cpu-smp$smp-vcpus$vcpus"
log="$out/$name.log"
iso=$(tests/lib/boot-iso.sh "linux-guest-$vcpus" \
	"console=com1 com1=115200 loglvl=info dom0_mem=256M initdom=unprivileged dom0_max_vcpus=$vcpus" \
	"$kernel=console=hvc0 earlyprintk=xen" "$initrd") || { echo "not ok - $name: build the ISO"; exit 0; }

md5_f=$(seq 1 20000 | md5sum | cut -d' ' -f1)
# The harmonic sum the guests compute, in IEEE doubles and the same order as awk adds.
fpu=$(python3 -c 'import sys
s = 0.0
for i in range(1, 100001): s += 1.0 / i
print("%.12f" % s)')
# (qemu_boot.py decodes backslash escapes in what it types: \\n reaches awk as \n)
awk_prog='BEGIN{s=0;for(i=1;i<=100000;i++)s+=1/i;printf "fpu %.12f\\n",s}'
fpu_jobs=""
for _ in $(seq $((vcpus * 2))); do fpu_jobs+="busybox awk '$awk_prog' & "; done

args=()
step() { args+=(--send "$1=$2\n"); } # type $2 once a line matches $1
args+=(--iso "$iso" --cpu "$cpu" --smp "$smp" --mem 1024M --timeout 300 --log "$log" --quiet
	--expect 'Hospes: starting domain 1 \(unprivileged' --expect 'printk: console \[hvc0\] enabled'
	--expect "smp: Brought up 1 node, $vcpus CPUs?" --expect '^PVBOOT-OK 6\.1\.' --expect '^42$'
	--expect '^forks-100$'
	--expect "^$md5_f  /tmp/f\$" --expect "^$md5_f  -\$" --expect '^files-2$' --expect '^fpu-done-4$'
	--expect '^sleep-0$' --expect '^sleep-1$' --expect 'Hospes: domain 1 shut down: poweroff'
	--fail 'BUG:|WARNING:|Oops|Kernel panic|crashed|PANIC|FATAL|Call Trace|shut down: crash')
step '^PVBOOT-OK' 'echo $((6*7))'
step '^42$' 'i=0; while [ $i -lt 100 ]; do /bin/busybox true; i=$((i+1)); done; echo forks-$i'
step '^forks-100$' "mount -t tmpfs tmp /tmp && seq 1 20000 >/tmp/f && busybox md5sum /tmp/f && busybox shuf /tmp/f >/tmp/r && sort -n /tmp/r | busybox md5sum; echo files-\$((1+1))"
step '^files-2$' "${fpu_jobs}wait; echo fpu-done-\$((2+2))"
step '^fpu-done-4$' 'echo sleep-$((0)); sleep 1; echo sleep-$((1))'
step '^sleep-1$' 'poweroff -f'
if ! timeout 400 python3 tests/lib/qemu_boot.py "${args[@]}" >"$log.qemu" 2>&1; then
	echo "not ok - $name: shell scenario (log: $log)"
	tail -2 "$log.qemu" | sed 's/^/# /'
	tail -5 "$log" | sed 's/^/# /'
	exit 0
fi
echo "ok - $name: boots to the shell as an unprivileged domain; 42, fork/exec, tmpfs, sort, poweroff"

# Every FPU job, racing on all vCPUs, got the exact sum.
want=$((vcpus * 2))
good=$(grep -c "\] fpu $fpu\$" "$log")
if [ "$good" -eq "$want" ]; then
	echo "ok - $name: $want concurrent FPU jobs all computed $fpu"
else
	echo "not ok - $name: $good of $want FPU jobs computed $fpu"
	grep '\] fpu ' "$log" | sed 's/^/# /'
fi

# `sleep 1` measured on the host clock (the log's timestamps), within 20 %.
t0=$(sed -n 's/^\[ *\([0-9.]*\)\] sleep-0$/\1/p' "$log")
t1=$(sed -n 's/^\[ *\([0-9.]*\)\] sleep-1$/\1/p' "$log")
if python3 -c "import sys; d = $t1 - $t0; print('# sleep 1 took %.3f s on the host clock' % d); sys.exit(0 if 0.8 <= d <= 1.2 else 1)"; then
	echo "ok - $name: sleep 1 within 20 % of the host clock"
else
	echo "not ok - $name: sleep 1 off by more than 20 % ($t0 -> $t1)"
fi
