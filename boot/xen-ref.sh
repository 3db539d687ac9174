#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetches Debian's Xen 4.17 hypervisor (reference for side-by-side tests; never installed, never
# committed) into $O/xen-ref/ and prints the path of its xen.gz.
# Usage: boot/xen-ref.sh            (O defaults to build)
set -euo pipefail
cd "$(dirname "$0")/.."
O=${O:-build}
pkg=xen-hypervisor-4.17-amd64
dir="$O/xen-ref"
find_gz() { find "$dir/root/boot" -maxdepth 1 -name 'xen-4.17-amd64.gz' 2>/dev/null | head -1 || true; }
gz=$(find_gz)
if [ -z "$gz" ]; then
	mkdir -p "$dir"
	rm -rf "$dir/root" "$dir"/*.deb
	# apt-get download writes into the current directory; the package lists must exist.
	if ! (cd "$dir" && apt-get download "$pkg" >/dev/null 2>"download.log"); then
		apt-get update >/dev/null 2>&1 || true
		(cd "$dir" && apt-get download "$pkg" >/dev/null 2>"download.log") || {
			cat "$dir/download.log" >&2
			echo "xen-ref: could not download $pkg" >&2
			exit 1
		}
	fi
	dpkg -x "$dir"/"$pkg"_*.deb "$dir/root"
	gz=$(find_gz)
	[ -n "$gz" ] || { echo "xen-ref: no xen-4.17-amd64.gz in $pkg" >&2; exit 1; }
fi
echo "$gz"
