#!/usr/bin/env bash
# demo.sh [--host bochs|qemu] [--kversion V]
# The main job end to end: build the patched kernel and the tools, boot the
# emulated host (Intel VMX in Bochs by default), run two workloads and show
# the exit statistics and the diff between them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
host=bochs kversion=${KVERSION:-6.12}
while [ $# -gt 0 ]; do
	case "$1" in
	--host) host=$2; shift 2 ;;
	--kversion) kversion=$2; shift 2 ;;
	*) die "demo.sh: unknown option $1 (--host bochs|qemu, --kversion V)" ;;
	esac
done
# One CPU under Bochs (idle SMP guests crawl there); two under QEMU.
cpus=1
[ "$host" = qemu ] && cpus=2
"$KES_TOP/scripts/run-guest.sh" --host "$host" --kversion "$kversion" --cpus "$cpus" demo
echo
echo "== next: a real Linux guest's boot, exit by exit: make profile HOST=$host KVERSION=$kversion"
