#!/usr/bin/env bash
# Every patch of every series passes the kernel's own checkpatch.pl --strict
# (from the pristine Debian source of that version) with nothing to report.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

for v in $KES_VERSIONS; do
	tree=$("$top/scripts/kernel-tree.sh" "$v" none) || { echo "not ok - checkpatch: $v tree"; continue; }
	n=0
	for p in "$KES_PATCH_DIR/$v"/*.patch; do
		[ -f "$p" ] || continue
		n=$((n + 1))
		res=$("$tree/scripts/checkpatch.pl" --strict --no-tree -q "$p" 2>/dev/null)
		summary=$("$tree/scripts/checkpatch.pl" --strict --no-tree "$p" 2>/dev/null | grep '^total:')
		if [ -z "$res" ] && [[ "$summary" == "total: 0 errors, 0 warnings, 0 checks,"* ]]; then
			echo "ok - checkpatch --strict: $v/$(basename "$p")"
		else
			echo "not ok - checkpatch --strict: $v/$(basename "$p")"
			echo "$res" | head -20 | sed 's/^/# /'
		fi
	done
	[ $n -gt 0 ] || echo "not ok - checkpatch: no patches in $KES_PATCH_DIR/$v"
done
