#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Stages kernel modules from the fetched Debian kernel package, with everything they depend on,
# under DIR/lib/modules/<version>/ with a modules.dep (depmod), for an initramfs.
# Usage: linux-modules.sh DIR MODULE...   (module names as modprobe takes them)
set -euo pipefail
cd "$(dirname "$0")/.."
O=${O:-build}
out=$1; shift
vmlinuz=$(boot/linux-kernel.sh)
ver=${vmlinuz##*/vmlinuz-}
src="$O/linux/root/lib/modules/$ver"
[ -d "$src/kernel" ] || { echo "linux-modules: no modules for $ver in $src" >&2; exit 1; }
declare -A seen=()
find_ko() { find "$src/kernel" -name "$1.ko" -o -name "${1//_/-}.ko" | head -1; }
stage() {
	local name=${1//-/_} ko dep
	[ -n "${seen[$name]:-}" ] && return 0
	seen[$name]=1
	ko=$(find_ko "$name")
	[ -n "$ko" ] || ko=$(find_ko "$1")
	[ -n "$ko" ] || { echo "linux-modules: no module $1 in $ver" >&2; return 1; }
	mkdir -p "$out/lib/modules/$ver/$(dirname "${ko#"$src"/}")"
	cp "$ko" "$out/lib/modules/$ver/${ko#"$src"/}"
	for dep in $(/sbin/modinfo -F depends "$ko" | tr ',' ' '); do stage "$dep"; done
}
for m in "$@"; do stage "$m"; done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$src/$f" ] && cp "$src/$f" "$out/lib/modules/$ver/"
done
/sbin/depmod -b "$out" "$ver"
