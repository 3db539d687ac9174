#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
# Boot-time benchmark helper: boots ISOs alternately (A B A B ...), records when expected lines
# appear on the serial line, and prints median, min and max per system and the ratios.
# Usage: bootstat.py --runs N --qemu-args "..." SYSTEM:ISO:LABEL=REGEX[,LABEL=REGEX...] ...
import argparse
import re
import statistics
import subprocess
import sys

QB = "tests/lib/qemu_boot.py"


def boot_once(iso, marks, qemu_args, timeout):
    cmd = [QB, "--quiet", "--iso", iso, "--timeout", str(timeout)] + qemu_args
    for _, rx in marks:
        cmd += ["--expect", rx]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    times = {}
    for line in out.splitlines():
        m = re.match(r"time expect(\d+) ([0-9.]+)", line)
        if m:
            times[marks[int(m.group(1))][0]] = float(m.group(2))
    return times


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--qemu-args", default="")
    p.add_argument("--ratio", action="append", default=[],
                   help="SYS:LABEL/SYS:LABEL: print the ratio of the two medians")
    p.add_argument("systems", nargs="+")
    a = p.parse_args()
    systems = []
    for s in a.systems:
        name, iso, spec = s.split(":", 2)
        marks = [tuple(kv.split("=", 1)) for kv in spec.split(",,")]
        systems.append((name, iso, marks))
    qargs = a.qemu_args.split()
    results = {name: {} for name, _, _ in systems}
    for name, iso, marks in systems:  # warm-up run, not counted
        boot_once(iso, marks, qargs, a.timeout)
    for _ in range(a.runs):
        for name, iso, marks in systems:
            for label, t in boot_once(iso, marks, qargs, a.timeout).items():
                results[name].setdefault(label, []).append(t)
    print(f"{'system':<10} {'phase':<28} {'median s':>9} {'min s':>8} {'max s':>8} {'runs':>5}")
    med = {}
    for name, _, marks in systems:
        for label, _ in marks:
            v = results[name].get(label, [])
            if not v:
                print(f"{name:<10} {label:<28} {'-':>9} {'-':>8} {'-':>8} {0:>5}")
                continue
            med[(name, label)] = statistics.median(v)
            print(f"{name:<10} {label:<28} {med[(name, label)]:9.3f} {min(v):8.3f} "
                  f"{max(v):8.3f} {len(v):>5}")
    for r in a.ratio:
        num, den = (tuple(x.split(":", 1)) for x in r.split("/", 1))
        if num in med and den in med and med[den] > 0:
            print(f"ratio {num[0]} {num[1]} / {den[0]} {den[1]}: {med[num] / med[den]:.3f}")
        else:
            print(f"ratio {num[0]} {num[1]} / {den[0]} {den[1]}: n/a (missing measurements)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
