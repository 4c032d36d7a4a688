#!/usr/bin/env bash
# The series adds no warning to a W=1 build: the new file compiles without
# any, and the vendor files show none that mention the patch's code.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

for v in $KES_VERSIONS; do
	kernel=$("$top/scripts/kernel-build.sh" "$v" 2>/dev/null) || {
		echo "not ok - W=1: $v kernel builds"; continue; }
	out=${kernel%/arch/x86/boot/bzImage}
	tree=$("$top/scripts/kernel-tree.sh" "$v")
	objs="arch/x86/kvm/exit_stats.o arch/x86/kvm/vmx/vmx.o arch/x86/kvm/svm/svm.o"
	# shellcheck disable=SC2086
	log=$(touch "$tree"/arch/x86/kvm/exit_stats.c; make -s -C "$tree" O="$out" W=1 $objs 2>&1)
	warn=$(echo "$log" | grep -E 'warning:' | grep -E 'exit_stats|kvm_exit_stats')
	if [ $? -le 1 ] && [ -z "$warn" ] && ! grep -q 'error:' <<<"$log"; then
		echo "ok - W=1: $v exit_stats.o, vmx.o, svm.o add no warnings"
	else
		echo "not ok - W=1: $v exit_stats.o, vmx.o, svm.o add no warnings"
		echo "$warn$(echo "$log" | grep error:)" | head -10 | sed 's/^/# /'
	fi
done
