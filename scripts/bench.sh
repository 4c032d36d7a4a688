#!/usr/bin/env bash
# bench.sh [--hosts "qemu bochs"] [--kversion V] [--exits N] [--runs R] [--rounds K]
# Exits per second of the unpatched kernel and of the patched one with the
# global counters only, with per-VM counters (kvm.exit_stats_per_vm) and
# with per-VM counters and handling times (kvm.exit_stats_time), booted
# alternately in the same emulator (K rounds of each kernel, R runs of N
# CPUID exits per mode and boot, the patched modes interleaved in one boot),
# and each one's ratio to unpatched; then the instructions the series adds
# to the vendors' run functions, counted with objdump. Numbers only: this is
# a benchmark, it never fails because the machine is slow.
# The kvm:kvm_exit tracepoint is not among them: the test kernel is built
# without CONFIG_FTRACE (tinyconfig), so there is no tracepoint to enable.
# Under Bochs the guest clock follows emulated instructions (ips), so its
# ratio compares instruction counts; under QEMU TCG it is host time.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
hosts="qemu bochs" kversion=${KVERSION:-6.12} n=20000 runs=5 rounds=2
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
res=$(mktemp)
trap 'rm -f "$res"' EXIT

for host in $hosts; do
	for round in $(seq "$rounds"); do
		for series in none default; do
			modes=plain
			[ "$series" = none ] || modes="plain per_vm time"
			note "bench: $host $kversion series=$series round $round"
			# shellcheck disable=SC2086
			"$KES_TOP/scripts/run-guest.sh" --host "$host" --kversion "$kversion" \
				--series "$series" --cpus 1 bench "$n" "$runs" $modes |
				sed -n "s/^bench mode=\([a-z_]*\) exitgen: .*kvm_exits=\([0-9]*\) run_ns=\([0-9]*\)/$host $series-\1 \2 \3/p" >>"$res"
		done
	done
done

echo
echo "Exit-path throughput, linux $kversion, $n CPUID exits x $runs runs x $rounds boots per kernel"
echo "(median exits/s, and its ratio to unpatched)"
printf '%-6s %12s %20s %20s %20s\n' host unpatched "patched (global)" "+ per-VM" "+ per-VM + time"
for host in $hosts; do
	awk -v h="$host" '
		function median(a, n,   i, j, t) {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		$1 == h { k = $2; v[k, ++n[k]] = $3 / ($4 / 1e9) }
		END {
			split("none-plain default-plain default-per_vm default-time", ks, " ")
			for (i = 1; i <= 4; i++) {
				if (!n[ks[i]]) { printf "%-6s no results for %s\n", h, ks[i]; exit }
				delete a
				for (j = 1; j <= n[ks[i]]; j++) a[j] = v[ks[i], j]
				m[i] = median(a, n[ks[i]])
			}
			printf "%-6s %12.0f", h, m[1]
			for (i = 2; i <= 4; i++) printf " %10.0f (%6.4f)", m[i], m[i] / m[1]
			printf "\n"
		}' "$res"
done

# Static instruction counts of the run functions, unpatched vs patched.
echo
echo "Instructions in the vendor run functions (objdump, static count)"
count() {
	objdump -d --no-show-raw-insn "$1" |
		awk -v f="<$2>:" '$2 == f { on = 1; next } /^$/ { on = 0 } on && /^ +[0-9a-f]+:/ { n++ } END { print n + 0 }'
}
vmx=() svm=()
for series in none default; do
	tree=$("$KES_TOP/scripts/kernel-tree.sh" "$kversion" "$series")
	out=$KES_CACHE/build/$(basename "$tree")
	vmx[${#vmx[@]}]=$(count "$out/arch/x86/kvm/vmx/vmx.o" vmx_vcpu_run)
	svm[${#svm[@]}]=$(count "$out/arch/x86/kvm/svm/svm.o" svm_vcpu_run)
done
printf '%-14s %10s %10s %6s\n' function unpatched patched added
printf '%-14s %10s %10s %6s\n' vmx_vcpu_run "${vmx[0]}" "${vmx[1]}" $((vmx[1] - vmx[0]))
printf '%-14s %10s %10s %6s\n' svm_vcpu_run "${svm[0]}" "${svm[1]}" $((svm[1] - svm[0]))
