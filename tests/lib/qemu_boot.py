#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
# Boots an ISO (or kernel) in QEMU, watches the serial line, and checks expected lines in order.
#
# Every run is bounded by --timeout. The serial log keeps a timestamp (seconds since QEMU started)
# before each line, so the same tool serves the boot tests and the boot-time benchmarks.
# Exit status: 0 all expectations met, 1 an expectation missed or a --fail pattern seen,
# 2 timeout, 3 usage or QEMU could not start.
import argparse
import os
import re
import select
import signal
import subprocess
import sys
import time

OVMF = "/usr/share/ovmf/OVMF.fd"


def qemu_cmd(a):
    cmd = ["qemu-system-x86_64", "-machine", a.machine, "-cpu", a.cpu, "-smp", str(a.smp),
           "-m", a.mem, "-display", "none", "-vga", "none", "-serial", "stdio",
           "-monitor", "none", "-no-reboot", "-nodefaults"]
    if a.firmware == "uefi":
        cmd += ["-bios", OVMF]
    if a.iso:
        cmd += ["-cdrom", a.iso, "-boot", "d"]
    if a.kernel:
        cmd += ["-kernel", a.kernel]
        if a.append:
            cmd += ["-append", a.append]
        if a.initrd:
            cmd += ["-initrd", a.initrd]
    if a.debugexit:
        cmd += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    cmd += a.extra
    return cmd


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--iso")
    p.add_argument("--kernel")
    p.add_argument("--initrd")
    p.add_argument("--append")
    p.add_argument("--firmware", choices=["bios", "uefi"], default="bios")
    p.add_argument("--machine", default="pc")
    p.add_argument("--cpu", default="qemu64")
    p.add_argument("--smp", type=int, default=1)
    p.add_argument("--mem", default="512M")
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--log", help="write the timestamped serial log here")
    p.add_argument("--expect", action="append", default=[],
                   help="regex that must appear, in the order given")
    p.add_argument("--fail", action="append", default=[],
                   help="regex that fails the run as soon as it appears")
    p.add_argument("--until", help="regex after which the run stops successfully "
                   "(default: the last --expect)")
    p.add_argument("--send", action="append", default=[],
                   help="REGEX=TEXT: type TEXT on the serial line after REGEX appears (a REGEX "
                   "ending in $ waits for a whole line; others also match a prompt)")
    p.add_argument("--linger", type=float, default=0,
                   help="after success, keep watching --fail patterns for this many seconds")
    p.add_argument("--debugexit", action="store_true", help="add isa-debug-exit at 0xf4")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("extra", nargs="*", help="extra QEMU arguments after --")
    a = p.parse_args()
    if not a.iso and not a.kernel:
        p.error("--iso or --kernel is required")

    expects = [re.compile(e) for e in a.expect]
    fails = [re.compile(f) for f in a.fail]
    until = re.compile(a.until) if a.until else (expects[-1] if expects else None)
    sends = []
    for s in a.send:
        rx, _, text = s.partition("=")
        sends.append([re.compile(rx), text.encode().decode("unicode_escape"), False])

    t0 = time.monotonic()
    try:
        q = subprocess.Popen(qemu_cmd(a), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as e:
        print(f"qemu_boot: cannot start QEMU: {e}", file=sys.stderr)
        return 3
    log = open(a.log, "w") if a.log else None
    buf = b""
    nexp = 0
    first_line = None
    status = None
    reason = ""
    linger_end = [None]  # time at which a lingering success becomes final

    def handle(line, t):
        nonlocal nexp, first_line, status, reason
        if first_line is None and line.strip():
            first_line = t
            print(f"time first_line {t:.3f}")
        if log:
            log.write(f"[{t:8.3f}] {line}\n")
            log.flush()
        if not a.quiet:
            print(line, flush=True)
        for f in fails:
            if f.search(line):
                status, reason = 1, f"fail pattern /{f.pattern}/ seen: {line}"
                return
        if nexp < len(expects) and expects[nexp].search(line):
            print(f"time expect{nexp} {t:.3f} /{expects[nexp].pattern}/")
            nexp += 1
        for s in sends:
            if not s[2] and s[0].search(line):
                s[2] = True
                q.stdin.write(s[1].encode())
                q.stdin.flush()
        if until and until.search(line) and nexp == len(expects) and linger_end[0] is None:
            if a.linger > 0:
                linger_end[0] = t + a.linger
            else:
                status = 0

    while status is None:
        now = time.monotonic() - t0
        if linger_end[0] is not None and now >= linger_end[0]:
            status = 0
            break
        left = a.timeout - now
        if left <= 0:
            status, reason = 2, f"timeout after {a.timeout:.0f} s"
            break
        r, _, _ = select.select([q.stdout], [], [], min(left, 0.5))
        if not r:
            if q.poll() is not None:
                break
            continue
        chunk = os.read(q.stdout.fileno(), 65536)
        t = time.monotonic() - t0
        if not chunk:
            break
        buf += chunk
        # Serial consoles send CR LF; some partial lines (prompts) never get a newline.
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            handle(line.decode("utf-8", "replace").replace("\r", ""), t)
            if status is not None:
                break
        if status is None and buf and sends:
            partial = buf.decode("utf-8", "replace")
            for s in sends:
                # A pattern anchored at the line's end waits for the whole line.
                if not s[2] and not s[0].pattern.endswith("$") and s[0].search(partial):
                    s[2] = True
                    q.stdin.write(s[1].encode())
                    q.stdin.flush()
    if buf and status is None:
        handle(buf.decode("utf-8", "replace").rstrip("\r"), time.monotonic() - t0)
    if status is None:
        rc = q.wait()
        if nexp == len(expects) and until is None:
            status = 0
        else:
            status, reason = 1, f"QEMU exited (status {rc}) before /{expects[nexp].pattern}/" \
                if nexp < len(expects) else f"QEMU exited (status {rc})"
    if q.poll() is None:
        os.killpg(q.pid, signal.SIGKILL)
        q.wait()
    if log:
        log.close()
    if status != 0:
        if status == 2 and nexp < len(expects):
            reason += f", still waiting for /{expects[nexp].pattern}/"
        print(f"qemu_boot: {reason}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
