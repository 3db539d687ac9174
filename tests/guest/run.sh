#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boots each pvkit test guest as the initial domain of HYPERVISOR in QEMU and prints one TAP line
# per run, comparing the guest's last "Test result:" line with the expected one.
# Usage: tests/guest/run.sh HYPERVISOR LABEL [RUN...]   (default: every run below; the bench
# guest is run by tests/bench/20-pvkit-hypercalls instead)
# EXPECT="name=RESULT ..." overrides expectations for a hypervisor with known deviations.
# PVKIT_SMP=N boots the machine with N CPUs (default 1).
set -uo pipefail
cd "$(dirname "$0")/../.."
O=${O:-build}
hv=$1 label=$2; shift 2
out="$O/tests/guest/${label// /-}"
mkdir -p "$out"

# name  guest-image  module-cmdline (commas for spaces, - for none)  expected-result
# (smp needs a dom0 with two vCPUs: SKIP with one, SUCCESS with dom0_max_vcpus=2, see suite 21)
runs=(
	"hello hello.elf - SUCCESS"
	"hello-hcall-syscall hello.elf hcall=syscall SUCCESS"
	"hello-no-hypercall-page hello-syscall.elf - SUCCESS"
	"hello-high-virt-base hello-high.elf - SUCCESS"
	"hypercalls hypercalls.elf - SUCCESS"
	"mmu mmu.elf - SUCCESS"
	"memory memory.elf - SUCCESS"
	"events events.elf - SUCCESS"
	"traps traps.elf - SUCCESS"
	"softint softint.elf - SUCCESS"
	"usermode usermode.elf - SUCCESS"
	"timers timers.elf - SUCCESS"
	"vcpu vcpu.elf - SUCCESS"
	"smp smp.elf - SKIP"
	"grants grants.elf - SUCCESS"
	"control control.elf - SUCCESS"
	"negative negative.elf - FAILURE"
	"fuzz fuzz.elf count=20000,seed=1 SUCCESS"
)

for r in "${runs[@]}"; do
	read -r name elf gcmd want <<<"$r"
	[ $# -gt 0 ] && [[ " $* " != *" $name "* ]] && continue
	for e in ${EXPECT:-}; do
		[ "${e%%=*}" = "$name" ] && want=${e#*=}
	done
	[ "$gcmd" = - ] && gcmd=
	gcmd=${gcmd//,/ }
	iso="$out/$name.iso" log="$out/$name.log"
	if ! tests/guest/guest-iso.sh "$hv" "$O/tests/guest/$elf" "$iso" "$gcmd" >"$log" 2>&1; then
		echo "not ok - $name: build ISO"; tail -5 "$log" | sed 's/^/# /'; continue
	fi
	start=$(date +%s%N)
	python3 tests/lib/qemu_boot.py --iso "$iso" --timeout 60 --smp "${PVKIT_SMP:-1}" \
		--quiet --log "$log" --expect "^Test result: " --fail '\(XEN\) .*(Panic|PANIC|FATAL)' >"$log.qemu" 2>&1
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	got=$(sed -n 's/^\[[ 0-9.]*\] Test result: //p' "$log" | tail -1)
	if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then
		echo "ok - $name on $label: Test result: $got (${ms} ms)"
	else
		echo "not ok - $name on $label: expected $want, got '${got:-no result line}' (log: $log)"
		grep -E 'FAILURE|ERROR|SKIP|unhandled|PANIC|Panic' "$log" | tail -15 | sed 's/^/# /'
		tail -3 "$log.qemu" | sed 's/^/# /'
	fi
done
