#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
# Boot-time benchmark helper: boots ISOs alternately (A B A B ...), records when expected lines
# appear on the serial line, and prints median, min and max per system and the ratios.
# Usage: bootstat.py --runs N --qemu-args "..." SYSTEM:ISO:LABEL=REGEX[,,LABEL=REGEX...] ...
# The REGEXes must appear in that order (the last one ends the boot), except for a LABEL written
# ?LABEL: that line is optional, looked up in the serial log afterwards, anywhere in it.
# --values REGEX also collects numbers the guest prints (named groups name, value, optional unit),
# e.g. `UBENCH fork_exit 123.4 us`; --compare A/B prints the ratio of the medians of system A to
# system B for every phase and value both measured, next to the --target limits they match.
# --span NAME=FROM..TO adds a phase: the time between two labels' lines in the same boot.
# With --values-start REGEX (group name) and a group ops in --values, each value is also timed
# with the host's clock: from its start line to its value line, per op ("name host (unit)").
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

QB = "tests/lib/qemu_boot.py"
LOGLINE = re.compile(r"^\[\s*([0-9.]+)\] (.*)$")
SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def boot_once(iso, marks, a, logfile):
    cmd = [QB, "--quiet", "--iso", iso, "--timeout", str(a.timeout), "--log", logfile]
    cmd += a.qemu_args.split()
    required = [(label, rx) for label, rx in marks if not label.startswith("?")]
    optional = [(label[1:], re.compile(rx)) for label, rx in marks if label.startswith("?")]
    for _, rx in required:
        cmd += ["--expect", rx]
    for rx in a.fail:
        cmd += ["--fail", rx]
    if a.qemu_extra:
        cmd += ["--"] + a.qemu_extra.split()
    r = subprocess.run(cmd, capture_output=True, text=True)
    times = {}
    for line in r.stdout.splitlines():
        m = re.match(r"time expect(\d+) ([0-9.]+)", line)
        if m:
            times[required[int(m.group(1))][0]] = float(m.group(2))
    values = {}
    if (a.values or optional) and os.path.exists(logfile):
        rxs = [re.compile(x) for x in a.values]
        srx = re.compile(a.values_start) if a.values_start else None
        started = {}
        with open(logfile, errors="replace") as f:
            for line in f:
                m = LOGLINE.match(line.rstrip("\n"))
                for label, orx in optional if m else []:
                    if label not in times and orx.search(m.group(2)):
                        times[label] = float(m.group(1))
                st = srx.search(m.group(2)) if m and srx else None
                if st:
                    started[st.group("name")] = float(m.group(1))
                v = next((x for x in (r.search(m.group(2)) for r in rxs) if x), None) if m else None
                if v:
                    g = v.groupdict()
                    unit = g.get("unit")
                    label = v.group("name") + (f" ({unit})" if unit else "")
                    values[label] = float(v.group("value"))
                    t0 = started.get(v.group("name"))
                    if t0 is not None and g.get("ops") and unit in SECONDS:
                        dt = float(m.group(1)) - t0
                        values[v.group("name") + f" host ({unit})"] = \
                            dt / int(g["ops"]) / SECONDS[unit]
    problem = None
    if r.returncode != 0:
        problem = (r.stderr.strip().splitlines() or [f"qemu_boot exit status {r.returncode}"])[-1]
    return times, values, problem


def fmt(x):
    return f"{x:.6g}" if abs(x) < 1e6 else f"{x:.0f}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1, help="uncounted boots per system first")
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--qemu-args", default="", help="qemu_boot.py options, e.g. \"--smp 2\"")
    p.add_argument("--qemu-extra", default="", help="arguments for QEMU itself, e.g. -icount ...")
    p.add_argument("--fail", action="append", default=[],
                   help="regex that ends a boot as failed (passed to qemu_boot.py)")
    p.add_argument("--values", action="append", default=[],
                   help="regex with groups name, value (and unit, ops) to collect (repeatable)")
    p.add_argument("--values-start", help="regex with group name: a value's timed part starts")
    p.add_argument("--log-dir", help="keep each boot's serial log here (default: discarded)")
    p.add_argument("--ratio", action="append", default=[],
                   help="SYS:LABEL/SYS:LABEL: print the ratio of the two medians")
    p.add_argument("--compare", action="append", default=[],
                   help="SYS/SYS: ratio of the medians of every label both systems have")
    p.add_argument("--target", action="append", default=[],
                   help="REGEX=MAX: the --compare ratios of labels matching REGEX should be <= MAX")
    p.add_argument("--span", action="append", default=[],
                   help="NAME=FROM..TO: a phase of its own, the time from label FROM to label TO")
    p.add_argument("systems", nargs="+")
    a = p.parse_args()
    spans = [(n, *r.split("..", 1)) for n, r in (x.split("=", 1) for x in a.span)]
    systems = []
    for s in a.systems:
        name, iso, spec = s.split(":", 2)
        marks = [tuple(kv.split("=", 1)) for kv in spec.split(",,")]
        systems.append((name, iso, marks))
    targets = [(re.compile(t.rsplit("=", 1)[0]), float(t.rsplit("=", 1)[1])) for t in a.target]
    logdir = a.log_dir or tempfile.mkdtemp(prefix="bootstat-")
    os.makedirs(logdir, exist_ok=True)
    times = {name: {} for name, _, _ in systems}
    values = {name: {} for name, _, _ in systems}
    vorder = []
    plan = [(-1 - w) for w in range(a.warmup)] + list(range(a.runs))
    for run in plan:  # negative: warm-up runs, not counted
        for name, iso, marks in systems:
            tag = f"warmup{-run}" if run < 0 else f"run{run + 1}"
            log = os.path.join(logdir, f"{name}-{tag}.log")
            t, v, problem = boot_once(iso, marks, a, log)
            if problem:
                print(f"# {name} {tag}: {problem} (log: {log if a.log_dir else 'discarded'})")
            if run < 0:
                continue
            for span, frm, to in spans:
                if frm in t and to in t:
                    t[span] = t[to] - t[frm]
            for label, x in t.items():
                times[name].setdefault(label, []).append(x)
            for label, x in v.items():
                values[name].setdefault(label, []).append(x)
                if label not in vorder:
                    vorder.append(label)
    if not a.log_dir:
        for f in os.listdir(logdir):
            os.unlink(os.path.join(logdir, f))
        os.rmdir(logdir)
    print(f"{'system':<10} {'phase':<28} {'median s':>9} {'min s':>8} {'max s':>8} {'runs':>5}")
    med = {}
    for name, _, marks in systems:
        for label in [m[0] for m in marks] + [sp[0] for sp in spans]:
            label = label.lstrip("?")
            v = times[name].get(label, [])
            if not v:
                print(f"{name:<10} {label:<28} {'-':>9} {'-':>8} {'-':>8} {0:>5}")
                continue
            med[(name, label)] = statistics.median(v)
            print(f"{name:<10} {label:<28} {med[(name, label)]:9.3f} {min(v):8.3f} "
                  f"{max(v):8.3f} {len(v):>5}")
    if a.values:
        print(f"{'system':<10} {'value':<28} {'median':>9} {'min':>8} {'max':>8} {'runs':>5}")
        for name, _, _ in systems:
            for label in vorder:
                v = values[name].get(label, [])
                if not v:
                    print(f"{name:<10} {label:<28} {'-':>9} {'-':>8} {'-':>8} {0:>5}")
                    continue
                med[(name, label)] = statistics.median(v)
                print(f"{name:<10} {label:<28} {fmt(med[(name, label)]):>9} {fmt(min(v)):>8} "
                      f"{fmt(max(v)):>8} {len(v):>5}")
    for r in a.ratio:
        num, den = (tuple(x.split(":", 1)) for x in r.split("/", 1))
        if num in med and den in med and med[den] > 0:
            print(f"ratio {num[0]} {num[1]} / {den[0]} {den[1]}: {med[num] / med[den]:.3f}")
        else:
            print(f"ratio {num[0]} {num[1]} / {den[0]} {den[1]}: n/a (missing measurements)")
    # Host load only ever slows a boot down, so the ratio of the minimums is shown too.
    lo = {(n, label): min(v) for n, d in list(times.items()) + list(values.items())
          for label, v in d.items() if v}
    for c in a.compare:
        sa, sb = c.split("/", 1)
        labels = [label.lstrip("?") for n, _, marks in systems if n == sa for label, _ in marks]
        labels += [sp[0] for sp in spans] + vorder
        print(f"{'ratio ' + sa + '/' + sb:<37} {'medians':>9} {'minimums':>9}  target (medians)")
        for label in labels:
            lim = next((m for rx, m in targets if rx.search(label)), None)
            goal = f"<= {lim:.2f}" if lim is not None else ""
            if (sa, label) in med and (sb, label) in med and med[(sb, label)] > 0:
                q = med[(sa, label)] / med[(sb, label)]
                qmin = lo[(sa, label)] / lo[(sb, label)] if lo[(sb, label)] > 0 else float("nan")
                if lim is not None:
                    goal += ": met" if q <= lim else ": NOT met"
                print(f"ratio {label:<31} {q:9.3f} {qmin:9.3f}  {goal}")
            else:
                print(f"ratio {label:<31} {'n/a':>9} {'n/a':>9}  {goal} (missing measurements)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
