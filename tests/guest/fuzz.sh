#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Long fuzzing run (make fuzz): the fuzz guest issues FUZZ_COUNT (default 1000000) random
# hypercalls as the initial domain of FUZZ_HV (default Debian's Xen 4.17); the run passes when
# the guest reaches its result line and the hypervisor did not panic.
set -uo pipefail
cd "$(dirname "$0")/../.."
O=${O:-build}
hv=${FUZZ_HV:-$(boot/xen-ref.sh)} || exit 1
count=${FUZZ_COUNT:-1000000} seed=${FUZZ_SEED:-$(date +%s)}
out="$O/tests/guest/fuzz-run"
mkdir -p "$out"
tests/guest/guest-iso.sh "$hv" "$O/tests/guest/fuzz.elf" "$out/fuzz.iso" \
	"count=$count seed=$seed" >"$out/iso.log" 2>&1 || { cat "$out/iso.log"; exit 1; }
echo "fuzz: $count hypercalls, seed $seed, on $hv"
python3 tests/lib/qemu_boot.py --iso "$out/fuzz.iso" --timeout "${FUZZ_TIMEOUT:-1800}" --quiet \
	--log "$out/fuzz.log" --expect '^Test result: SUCCESS' \
	--fail '\(XEN\) .*(Panic|PANIC|FATAL)' --fail '^Test result: (FAILURE|ERROR)'
rc=$?
grep -a 'fuzz:' "$out/fuzz.log" | tail -2
[ $rc -eq 0 ] && echo "fuzz: survived (log: $out/fuzz.log)" || echo "fuzz: FAILED (log: $out/fuzz.log)"
exit $rc
