#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds a GRUB rescue ISO that boots on BIOS (grub-pc) and UEFI (grub-efi) from one image.
# Usage: mkiso.sh OUT.iso GRUB.CFG [SRC=DEST ...]   (DEST is a path inside the ISO, e.g. boot/hospes.gz)
set -euo pipefail
out=$1 cfg=$2; shift 2
stage=$(mktemp -d); trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$cfg" "$stage/boot/grub/grub.cfg"
for m in "$@"; do
	src=${m%%=*} dst=${m#*=}
	mkdir -p "$stage/$(dirname "$dst")"
	cp "$src" "$stage/$dst"
done
mkdir -p "$(dirname "$out")"
# grub-mkrescue puts both the i386-pc El Torito image and an EFI system partition in the ISO when
# both grub-pc-bin and grub-efi-amd64-bin are installed; insist on both so neither goes missing.
for d in /usr/lib/grub/i386-pc /usr/lib/grub/x86_64-efi; do
	[ -d "$d" ] || { echo "mkiso: $d missing (make deps installs grub-pc-bin and grub-efi-amd64-bin)" >&2; exit 1; }
done
grub-mkrescue -o "$out.tmp" "$stage" >"$out.log" 2>&1 || { cat "$out.log" >&2; exit 1; }
mv "$out.tmp" "$out"
