#!/usr/bin/env bash
# debug-suite.sh [--soak-only] FLAVOR [SOAK_SECONDS [UNLOAD_CYCLES]]
# Boot a debug flavor of the patched 6.12 kernel (tests/kernel/FLAVOR/:
# debug = KASAN, lockdep, atomic-sleep checks, kmemleak, fault injection
# and modular KVM; kcsan = KCSAN) on the emulated AMD host and run
# tests/guest/debug.sh there: the whole in-guest suite, the unload and
# fault-injection tests (modular KVM only), the soak, the leak scan and the
# console check. TAP lines "ok - FLAVOR qemu/6.12: ...". --soak-only: not
# the suite (make soak).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
. "$top/tests/guest-tap.sh"
only=
if [ "${1:-}" = --soak-only ]; then
	only=1
	shift
fi
flavor=${1:?usage: debug-suite.sh [--soak-only] FLAVOR [SOAK_SECONDS [UNLOAD_CYCLES]]}
soak=${2:-60} cycles=${3:-50}
case "$soak$cycles" in *[!0-9]*) die "debug-suite.sh: SOAK_SECONDS and UNLOAD_CYCLES are numbers" ;; esac
v=6.12 host=qemu
p="$flavor $host/$v"
[ -d "$top/tests/kernel/$flavor" ] || die "debug-suite.sh: no flavor tests/kernel/$flavor"

tests="kvm_exits_rise counts_exact counts_smp reset reset_race bad_writes log_interval kunit per_vm_memory per_vm time_stats"
args="$tests tool"
[ -z "$only" ] || { tests='' args=''; }
log=$KES_CACHE/logs/serial-$host-$v-$flavor.log
start=$(date +%s)
# shellcheck disable=SC2086
out=$(KES_KCONFIG_FLAVOR=$flavor KES_MEM_MB=${KES_MEM_MB:-1024} \
	"$top/scripts/run-guest.sh" --host "$host" --kversion "$v" --cpus 2 \
	--timeout $((1800 + soak)) --log "$log" debug "$soak" "$cycles" $args 2>&1)
status=$?
# shellcheck disable=SC2086
echo "$out" | guest_tap "$p" "$status" "boot ran to the end" $tests || status=1
[ -n "$only" ] || echo "$out" | python3 "$top/tests/check_tool_output.py" "$p: " || status=1
# What the guest could not say: a report on the console after its check,
# or a boot that died.
if tr -d '\r' <"$log" | grep -aE 'BUG: KASAN|BUG: KCSAN|Kernel panic|Oops:' >/dev/null; then
	echo "not ok - $p: the console shows a kernel report"
	tr -d '\r' <"$log" | grep -aE -m 5 -A 3 'BUG: KASAN|BUG: KCSAN|Kernel panic|Oops:' | sed 's/^/# /'
	status=1
else
	echo "ok - $p: the console shows no kernel report"
fi
echo "# $p: $(( $(date +%s) - start ))s; $(echo "$out" | grep -a '^SOAK-FIGURES' | tail -n 1)"
exit $status
