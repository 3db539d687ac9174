#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetches Debian's stock kernel (the package linux-image-amd64 points at) into $O/linux/ with
# apt-get download + dpkg -x (never installed, never committed) and prints the vmlinuz path.
set -euo pipefail
cd "$(dirname "$0")/.."
O=${O:-build}
dir="$O/linux"
find_vmlinuz() { find "$dir/root/boot" -maxdepth 1 -name 'vmlinuz-*-amd64' 2>/dev/null | sort | tail -1 || true; }
v=$(find_vmlinuz)
if [ -z "$v" ]; then
	mkdir -p "$dir"
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
	if [ -z "$pkg" ]; then
		apt-get update >/dev/null 2>&1 || true
		pkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
	fi
	[ -n "$pkg" ] || { echo "linux-kernel: cannot tell which package linux-image-amd64 wants" >&2; exit 1; }
	rm -rf "$dir/root" "$dir"/*.deb
	(cd "$dir" && apt-get download "$pkg" >/dev/null 2>download.log) ||
		{ cat "$dir/download.log" >&2; echo "linux-kernel: could not download $pkg" >&2; exit 1; }
	dpkg -x "$dir"/"$pkg"_*.deb "$dir/root"
	rm -f "$dir"/*.deb
	v=$(find_vmlinuz)
	[ -n "$v" ] || { echo "linux-kernel: no vmlinuz in $pkg" >&2; exit 1; }
fi
echo "$v"
