#!/usr/bin/env bash
# bench.sh [--hosts "qemu bochs"] [--kversion V] [--exits N] [--runs R] [--rounds K]
# Exits per second of the unpatched and the patched kernel, booted
# alternately in the same emulator (K rounds of each, R runs of N CPUID
# exits per boot), and their ratio; then the instructions the series adds to
# the vendors' run functions, counted with objdump. Numbers only: this is a
# benchmark, it never fails because the machine is slow.
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
			note "bench: $host $kversion series=$series round $round"
			"$KES_TOP/scripts/run-guest.sh" --host "$host" --kversion "$kversion" \
				--series "$series" --cpus 1 bench "$n" "$runs" |
				sed -n "s/^exitgen: .*kvm_exits=\([0-9]*\) run_ns=\([0-9]*\)/$host $series \1 \2/p" >>"$res"
		done
	done
done

echo
echo "Exit-path throughput, linux $kversion, $n CPUID exits x $runs runs x $rounds boots per kernel"
printf '%-6s %26s %26s %8s\n' host "unpatched/s (min-max)" "patched/s (min-max)" ratio
for host in $hosts; do
	awk -v h="$host" '
		function median(a, n,   i, j, t) {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		$1 == h && $2 == "none"    { u[++nu] = $3 / ($4 / 1e9) }
		$1 == h && $2 == "default" { p[++np] = $3 / ($4 / 1e9) }
		END {
			if (!nu || !np) { printf "%-6s no results\n", h; exit }
			mu = median(u, nu); mp = median(p, np)
			printf "%-6s %10.0f (%6.0f-%6.0f) %10.0f (%6.0f-%6.0f) %8.4f\n", h,
				mu, u[1], u[nu], mp, p[1], p[np], mp / mu
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
