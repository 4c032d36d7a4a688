#!/usr/bin/env bash
# guest-suite.sh HOST KVERSION
# Boot the patched kernel on one emulated host and turn what the guest
# reports into TAP lines "ok - HOST/KVERSION: test".
# QEMU runs everything in one 2-CPU boot. Bochs runs the suite on 1 CPU (an
# idle 2-CPU Bochs guest crawls: ~1 min per guest second) and boots again
# with 2 CPUs for the SMP test only.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/guest-tap.sh"
host=${1:?usage: guest-suite.sh HOST KVERSION} v=${2:?}

smp="counts_smp reset_race"
rest="per_vm_memory kvm_exits_rise counts_exact reset bad_writes log_interval per_vm time_stats detail userspace_exits kunit dmesg_clean"
case "$host" in
qemu) boots=("2:$smp $rest tool") ;;
bochs) boots=("1:$rest tool" "2:$smp") ;;
*) echo "not ok - $host/$v: unknown host"; exit 1 ;;
esac

rc=0
for b in "${boots[@]}"; do
	cpus=${b%%:*}
	# shellcheck disable=SC2086
	set -- ${b#*:}
	out=$("$top/scripts/run-guest.sh" --host "$host" --kversion "$v" --cpus "$cpus" \
		suite "$@" 2>&1)
	status=$?
	# shellcheck disable=SC2046
	echo "$out" | guest_tap "$host/$v" "$status" \
		"boot with $cpus CPU(s) ran to the end" $(printf '%s\n' "$@" | grep -vx tool) || rc=1
	if [[ " $* " == *" tool "* ]]; then
		echo "$out" | python3 "$top/tests/check_tool_output.py" "$host/$v: " || rc=1
	fi
done
exit $rc
