#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds a busybox-static initramfs whose /init mounts proc, sys and devtmpfs, prints a marker,
# then runs INIT_SCRIPT (if given and not empty) or a shell. Each FILE is copied into /bin.
# Usage: mkinitramfs.sh OUT.cpio.gz [INIT_SCRIPT [FILE ...]]
# INITRAMFS_TREE=DIR adds DIR's contents (kernel modules from boot/linux-modules.sh, tools).
set -euo pipefail
out=$1 extra=${2:-}
shift $(($# < 2 ? $# : 2))
for f in "$@"; do [ -f "$f" ] || { echo "mkinitramfs: $f: no such file" >&2; exit 1; }; done
bb=/bin/busybox
file "$bb" 2>/dev/null | grep -q 'statically linked' || bb=/usr/bin/busybox
[ -x "$bb" ] || { echo "mkinitramfs: busybox-static is missing (make deps)" >&2; exit 1; }
root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,proc,sys,dev,tmp}
cp "$bb" "$root/bin/busybox"
for a in sh mount echo cat sort seq sleep date poweroff uname ls; do ln -s busybox "$root/bin/$a"; done
for f in "$@"; do cp "$f" "$root/bin/$(basename "$f")"; chmod +x "$root/bin/$(basename "$f")"; done
{
	echo '#!/bin/sh'
	echo 'mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev'
	echo 'echo "HOSPES-INIT: /init running on $(uname -r)"'
	if [ -n "$extra" ]; then cat "$extra"; else echo 'exec /bin/sh'; fi
} > "$root/init"
chmod +x "$root/init"
if [ -n "${INITRAMFS_TREE:-}" ]; then cp -a "$INITRAMFS_TREE"/. "$root"/; fi
mkdir -p "$(dirname "$out")"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -9n) > "$out.tmp"
mv "$out.tmp" "$out"
