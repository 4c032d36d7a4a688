#!/usr/bin/env bash
# bench.sh [--hosts "qemu bochs"] [--kversion V] [--exits N] [--runs R] [--rounds K]
# The cost of counting exits, ours and the tools we are compared with, side
# by side in one run: the unpatched kernel plain and with the kvm:kvm_exit
# tracepoint into the ftrace ring buffer, with a hist trigger, with
# kvm_stat's per-reason perf counters and with a bcc-kvmexit-style BPF
# program; the patched kernel with the global counters, + per-VM counters,
# + handling times, + sub-reasons; and kvm-microbench's round trips (cpuid,
# vmcall, rdmsr, wrmsr, in-kernel and userspace I/O) on both kernels, and
# on the patched one again with sub-reasons. K rounds, each tool
# in a boot of its own, R runs of N exits per mode and boot. Numbers only: this is a benchmark, it never fails
# because the machine is slow.
# QEMU runs with -icount shift=0,sleep=off: its guest clock advances 1 ns
# per emulated instruction (host's and nested guest's alike), so a guest-side
# time per exit is the instructions of one CPUID exit round trip, the same
# in every run, and the difference to unpatched is what a mode adds.
# Bochs' guest clock is not an instruction count (see
# Documentation/testing.rst); its figures are guest nanoseconds.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
hosts="qemu bochs" kversion=${KVERSION:-6.12} n=20000 runs=3 rounds=1
while [ $# -gt 0 ]; do
	case "$1" in
	--hosts) hosts=$2; shift 2 ;;
	--kversion) kversion=$2; shift 2 ;;
	--exits) n=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	*) die "bench.sh: unknown option $1" ;;
	esac
done
check_kversion "$kversion"
res=$(mktemp) micro=$(mktemp)
trap 'rm -f "$res" "$micro"' EXIT
start=$(date +%s)

# Each tracing tool in a boot of its own: what one leaves behind (a
# tracepoint's state) must not weigh on the next mode measured.
for host in $hosts; do
	for round in $(seq "$rounds"); do
		for spec in none:plain none:ftrace none:hist none:perf none:bpf "default:plain per_vm time detail"; do
			series=${spec%%:*} modes=${spec#*:}
			note "bench: $host $kversion series=$series round $round: $modes"
			# shellcheck disable=SC2086
			KES_QEMU_ARGS="-icount shift=0,sleep=off" \
			"$KES_TOP/scripts/run-guest.sh" --host "$host" --kversion "$kversion" \
				--series "$series" --cpus 1 bench "$n" "$runs" $modes |
				sed -n "s/^bench mode=\([a-z_]*\) exitgen: .*kvm_exits=\([0-9]*\) run_ns=\([0-9]*\)/$host $series-\1 \2 \3/p" >>"$res"
		done
		for series in none default; do
			note "bench: $host $kversion series=$series round $round: kvm-microbench"
			detail=
			[ "$series" = none ] || detail=detail
			KES_QEMU_ARGS="-icount shift=0,sleep=off" \
			"$KES_TOP/scripts/run-guest.sh" --host "$host" --kversion "$kversion" \
				--series "$series" --cpus 1 microbench "$n" "$runs" $detail |
				sed -n -e "s/^microbench detail=1 kind=\([a-z_]*\) exits=\([0-9]*\) run_ns=\([0-9]*\)/$host detail-\1 \2 \3/p" \
					-e "s/^microbench kind=\([a-z_]*\) exits=\([0-9]*\) run_ns=\([0-9]*\)/$host $series-\1 \2 \3/p" >>"$micro"
		done
	done
done

# Every run, to see the spread: under -icount the same mode gives the same
# count run after run, up to the few timer interrupts that fall in a run.
echo
echo "Runs (host kernel-mode exits guest_ns ns_per_exit):"
awk '{ printf "  %s %s %s %s %.1f\n", $1, $2, $3, $4, $4 / $3 }' "$res"

# The runs of host h by key ("series-mode") into v[key, i], n[key]; med(k)
# is the median of key k's runs, -1 if it has none.
per_key='
	function median(a, n,   i, j, t) {
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function med(k,   a, j) {
		for (j = 1; j <= n[k]; j++) a[j] = v[k, j]
		return n[k] ? median(a, n[k]) : -1
	}
	$1 == h { k = $2; v[k, ++n[k]] = $4 / $3 }
'

# One table per host: per exit (median), what it adds to unpatched, and the
# exit rate as a ratio to unpatched.
for host in $hosts; do
	unit="guest ns"
	[ "$host" = qemu ] && unit=instructions
	echo
	echo "$host, linux $kversion, $n CPUID exits x $runs runs x $rounds boot(s) per kernel: $unit per exit round trip"
	awk -v h="$host" "$per_key"'
		END {
			split("none-plain default-plain default-per_vm default-time default-detail none-ftrace none-hist none-perf none-bpf", ks, " ")
			split("unpatched|kvm-exit-stats (default)|+ per-VM|+ per-VM + time|+ sub-reasons (exit_stats_detail)|ftrace ring buffer (trace-cmd, perf kvm record)|hist trigger keys=exit_reason|perf counters per reason (kvm_stat)|BPF per-CPU array (bcc kvmexit)", ls, "|")
			printf "%-48s %12s %10s %12s\n", "mode", "per exit", "added", "exits/s"
			for (i = 1; i <= 9; i++) {
				if (!n[ks[i]]) { printf "%-48s %12s\n", ls[i], "no result"; continue }
				m[i] = med(ks[i])
				if (i == 1) base = m[1]
				printf "%-48s %12.1f %+10.1f %11.4fx\n", ls[i], m[i], m[i] - base, base / m[i]
			}
		}' "$res"
done
# The kvm-unit-tests-style round trips, unpatched and patched.
for host in $hosts; do
	unit="guest ns"
	[ "$host" = qemu ] && unit=instructions
	echo
	echo "$host, linux $kversion, kvm-microbench: $unit per round trip (median of $runs x $rounds)"
	awk -v h="$host" "$per_key"'
		END {
			split("cpuid vmcall rdmsr wrmsr io_kernel io_user", ks, " ")
			printf "%-12s %12s %12s %10s %14s %10s\n", "kind", "unpatched", "patched", "added",
				"+ sub-reasons", "added"
			for (i = 1; i <= 6; i++) {
				m[1] = med("none-" ks[i])
				m[2] = med("default-" ks[i])
				m[3] = med("detail-" ks[i])
				printf "%-12s %12.1f %12.1f %+10.1f %14.1f %+10.1f\n", ks[i], m[1], m[2],
					m[2] - m[1], m[3], m[3] - m[1]
			}
		}' "$micro"
done

# What the disassembly says the default path adds (the check make check runs).
echo
echo "The default exit path in the patched vmlinux (tests/exit_path_budget.py):"
img=$("$KES_TOP/scripts/kernel-build.sh" "$kversion" default 2>/dev/null | tail -1)
python3 "$KES_TOP/tests/exit_path_budget.py" "${img%/arch/x86/boot/bzImage}/vmlinux" "$kversion" |
	sed 's/ *# [0-9a-f]* <\([a-z_]*\)>/ <\1>/g; s/ | /\n      /g'
echo
echo "bench took $(( $(date +%s) - start )) s"
