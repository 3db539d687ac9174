#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds (or reuses) a Hospes ISO for one hypervisor command line and prints its path.
# Usage: boot-iso.sh NAME "HV CMDLINE" [MODULE[=CMDLINE] ...]   (GRUB menu timeout 0)
set -euo pipefail
O=${O:-build}
name=$1 cmdline=$2; shift 2
dir="$O/tests/iso"
mkdir -p "$dir"
boot/mkgrubcfg.sh boot/grub.cfg.in 0 "$cmdline" "$@" > "$dir/$name.cfg.new"
iso="$dir/$name.iso"
hv="$O/hypervisor/hospes.gz"
fresh=1
for m in "$@"; do [ "${m%%=*}" -nt "$iso" ] && fresh=0; done
if [ $fresh = 1 ] && [ -f "$iso" ] && cmp -s "$dir/$name.cfg.new" "$dir/$name.cfg" && [ "$iso" -nt "$hv" ]; then
	rm "$dir/$name.cfg.new"
else
	mv "$dir/$name.cfg.new" "$dir/$name.cfg"
	mods=()
	for m in "$@"; do f=${m%%=*}; mods+=("$f=boot/$(basename "$f")"); done
	boot/mkiso.sh "$iso" "$dir/$name.cfg" "$hv=boot/hospes.gz" "${mods[@]}"
fi
echo "$iso"
