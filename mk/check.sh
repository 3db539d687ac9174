#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make check: clang-format, cppcheck and header self-containment over the files fragments list.
# Arguments: "<sources>" "<host headers>" "<freestanding hypervisor headers>".
set -uo pipefail
srcs=$1 hdrs=$2 hvhdrs=$3
O=${O:-build}
fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

echo "check: clang-format"
for f in $srcs $hdrs $hvhdrs; do
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>"$tmp/fmt"; then
		echo "  format: $f"; head -5 "$tmp/fmt"; fail=1
	fi
done

# comparePointers is off: linker-script symbols (__text_start, __image_end) are compared and
# subtracted by design; cppcheck takes them for unrelated arrays.
echo "check: cppcheck"
if ! cppcheck -q --error-exitcode=1 --enable=warning,portability --inline-suppr \
	--suppress=missingIncludeSystem --suppress=comparePointers --std=c11 -D__x86_64__ \
	-I hypervisor/include -I hypervisor/arch/x86_64/include -I "$O/include" \
	-I dom0-tools/lib/include $srcs 2>"$tmp/cpp"; then
	cat "$tmp/cpp"; fail=1
fi

echo "check: headers self-contained"
for h in $hdrs; do
	echo "#include \"$PWD/$h\"" > "$tmp/h.c"
	gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -fsyntax-only -I dom0-tools/lib/include \
		-I "$O/include" "$tmp/h.c" 2>"$tmp/err" || { echo "  header: $h"; head -5 "$tmp/err"; fail=1; }
done
for h in $hvhdrs; do
	echo "#include \"$PWD/$h\"" > "$tmp/h.c"
	gcc -std=c11 -ffreestanding -nostdinc -Wall -Wextra -Werror -fsyntax-only \
		-I hypervisor/include -I hypervisor/arch/x86_64/include -I "$O/include" \
		-isystem "$(gcc -print-file-name=include)" "$tmp/h.c" 2>"$tmp/err" \
		|| { echo "  header: $h"; head -5 "$tmp/err"; fail=1; }
done
[ $fail -eq 0 ] && echo "check: all clean" || echo "check: FAILED"
exit $fail
