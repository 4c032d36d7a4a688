#!/usr/bin/env bash
# exit-path-budget.sh: for each kernel version, what the series adds to the
# default exit path of vmx_vcpu_run() and svm_vcpu_run() in the built test
# kernel must stay within 8 instructions, with no call and no lock
# (tests/exit_path_budget.py). Reuses the guest suites' kernel builds.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
rc=0
for v in $KES_VERSIONS; do
	if ! img=$("$top/scripts/kernel-build.sh" "$v" 2>&1 | tail -1) || [ ! -f "$img" ]; then
		echo "not ok - exit path $v: the kernel did not build: $img"
		rc=1
		continue
	fi
	python3 "$top/tests/exit_path_budget.py" "${img%/arch/x86/boot/bzImage}/vmlinux" "$v" || rc=1
done
exit $rc
