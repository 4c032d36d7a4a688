#!/usr/bin/env bash
# Run every test suite and end with the line CI reads: "N passed, N failed".
# Each suite prints TAP-style "ok - ..." / "not ok - ..." lines; this script
# shows them as they come and counts them. A suite that fails without
# saying "not ok" (it crashed) counts as one failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
extra_failures=0

suite() {
	local name=$1 status
	shift
	echo "=== $name"
	"$@" 2>&1 | tee -a "$log"
	status=${PIPESTATUS[0]}
	if [ "$status" -ne 0 ] && ! grep -q "^not ok" <(sed -n "/^=== $name\$/,\$p" "$log"); then
		echo "not ok - $name exited with status $status" | tee -a "$log"
	fi
	echo "=== $name" >>"$log"
}

start=$(date +%s)
suite tool make -s -C "$top/tools/kvmexit-read" check
suite checkpatch "$top/tests/checkpatch.sh"
suite scripts "$top/tests/scripts.sh"
# Monitoring a fleet: the systemd units, the Prometheus rules, real
# node_exporter and Prometheus, the Debian packages (installed on this host).
suite textfile "$top/tests/textfile-suite.sh"
suite "prometheus rules" "$top/tests/prom-rules.sh"
suite "prometheus e2e" "$top/tests/prom-e2e.sh"
suite deb "$top/tests/deb-suite.sh"
for v in $KES_VERSIONS; do
	for host in qemu bochs; do
		suite "guest $host/$v" "$top/tests/guest-suite.sh" "$host" "$v"
	done
done
# The debug kernels: KASAN, lockdep, kmemleak, fault injection and modular
# KVM (unloads, 10 cycles); KCSAN. Each runs the suite, the soak (60 s)
# and the checks; make soak runs more.
suite "debug qemu/6.12" "$top/tests/debug-suite.sh" debug 60 10
suite "kcsan qemu/6.12" "$top/tests/debug-suite.sh" kcsan 60 0
# A real guest (Debian's QEMU booting Linux on KVM), against the tracepoint.
for v in $KES_VERSIONS; do
	for host in qemu bochs; do
		suite "profile $host/$v" "$top/tests/profile-suite.sh" "$host" "$v"
	done
done
suite "exit path" "$top/tests/exit-path-budget.sh"
# The distribution-kernel path: modules for Debian's own kernels.
suite "modules refusals" "$top/tests/modules-refusals.sh"
for v in $KES_VERSIONS; do
	for host in qemu bochs; do
		suite "modules $host/$v" "$top/tests/modules-suite.sh" "$host" "$v"
	done
done
suite W=1 "$top/tests/kernel-w1.sh"

# A skipped test ("ok ... # SKIP reason") is neither passed nor failed.
passed=$(grep -E '^ok\b' "$log" | grep -Evc '# SKIP\b')
skipped=$(grep -E '^ok\b' "$log" | grep -Ec '# SKIP\b')
failed=$(grep -Ec '^not ok\b' "$log")
echo "=== all suites done in $(( $(date +%s) - start ))s"
if [ "$failed" -ne 0 ]; then
	echo "failed:"
	grep -E '^not ok\b' "$log" | sed 's/^/  /'
fi
if [ "$skipped" -ne 0 ]; then
	echo "$skipped skipped:"
	grep -E '^ok\b.*# SKIP\b' "$log" | sed 's/^/  /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
