#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
# Writes seed inputs for fuzz_elf into DIR: Xen ELF kernels (Linux-like, XTF-like), raw and
# gzip/xz-compressed, and wrapped in bzImages. Generated at run time: nothing binary is committed.
import gzip
import lzma
import os
import struct
import sys

KBASE = 0xffffffff80000000


def note(ntype, desc, name=b"Xen\0"):
    pad = lambda b: b + b"\0" * (-len(b) % 4)
    return struct.pack("<III", len(name), len(desc), ntype) + pad(name) + pad(desc)


def elf(notes, paddr, entry, text=0x1000, bss=0x2000):
    """ELF64 x86-64 ET_EXEC: PT_LOAD text+bss at paddr, PT_NOTE with notes."""
    ph_off, note_off, text_off = 64, 0x200, 0x1000
    ehdr = b"\x7fELF\x02\x01\x01" + b"\0" * 9
    ehdr += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, entry, ph_off, 0, 0, 64, 56, 2, 64, 0, 0)
    load = struct.pack("<IIQQQQQQ", 1, 7, text_off, paddr + KBASE, paddr, text, text + bss, 0x1000)
    pnote = struct.pack("<IIQQQQQQ", 4, 4, note_off, 0, 0, len(notes), len(notes), 4)
    img = bytearray(text_off + text)
    img[0:64] = ehdr
    img[ph_off:ph_off + 112] = load + pnote
    img[note_off:note_off + len(notes)] = notes
    for i in range(text):
        img[text_off + i] = (i * 7 + 1) & 0xff
    return bytes(img)


def linux():
    q = lambda v: struct.pack("<Q", v)
    notes = (note(6, b"linux\0") + note(5, b"xen-3.0\0") + note(3, q(KBASE)) +
             note(15, q(0x8000000000)) + note(1, q(KBASE + 0x1000000)) +
             note(2, q(KBASE + 0x1000000)) +
             note(10, b"!writable_page_tables|pae_pgdir_above_4gb") +
             note(17, struct.pack("<I", 0x8801)) + note(8, b"generic\0") + note(16, q(1)))
    return elf(notes, 0x1000000, KBASE + 0x1000000)


def xtf():
    notes = (note(6, b"XTF\0") + note(8, b"generic\0") + note(2, struct.pack("<I", 0x100000)) +
             note(5, b"xen-3.0\0") + note(10, b"!writable_page_tables\0"))
    return elf(notes, 0x100000, 0x100000)


def bzimage(payload):
    hdr = bytearray(1024 + 0x10)
    hdr[0x1f1] = 1
    hdr[0x202:0x206] = b"HdrS"
    struct.pack_into("<H", hdr, 0x206, 0x20f)
    struct.pack_into("<II", hdr, 0x248, 0x10, len(payload))
    return bytes(hdr) + payload


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    xz_filters = [{"id": lzma.FILTER_X86}, {"id": lzma.FILTER_LZMA2, "preset": 6}]
    for name, img in (("linux", linux()), ("xtf", xtf())):
        xz = lzma.compress(img, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32, filters=xz_filters)
        gz = gzip.compress(img, mtime=0)
        seeds = {"elf": img, "xz": xz, "gz": gz, "bz-xz": bzimage(xz + struct.pack("<I", len(img))),
                 "bz-gz": bzimage(gz)}
        for kind, data in seeds.items():
            with open(os.path.join(out, "%s.%s" % (name, kind)), "wb") as f:
                f.write(data)


main()
