#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Writes a grub.cfg from the template: mkgrubcfg.sh TEMPLATE TIMEOUT "HV CMDLINE" [FILE[=CMDLINE] ...]
set -euo pipefail
tmpl=$1 timeout=$2 cmdline=$3; shift 3
mods=""
for m in "$@"; do
	f=${m%%=*} args=""
	[[ $m == *=* ]] && args=" ${m#*=}"
	mods+="	module2 /boot/$(basename "$f")$args"$'\n'
done
awk -v cmd="$cmdline" -v to="$timeout" -v mods="$mods" '
	{ gsub(/@HV_CMDLINE@/, cmd); gsub(/@TIMEOUT@/, to) }
	/^@MODULES@$/ { printf "%s", mods; next }
	{ print }' "$tmpl"
