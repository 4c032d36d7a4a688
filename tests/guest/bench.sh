# Benchmark workload: R runs of N CPUID exits on one vCPU (CPUID is handled
# in the kernel, so this is the exit path alone), after a warm-up run, in
# each of the named modes, interleaved run by run so that they share the
# emulator's good and bad moments:
#   plain   the kernel as it is (unpatched, or patched: global counters)
#   per_vm  the VM created with kvm.exit_stats_per_vm=Y
#   time    the VM created with exit_stats_per_vm=Y and exit_stats_time=Y
# Prints "bench mode=M exitgen: ..." per run.
n=${1:-20000}
r=${2:-5}
shift 2
modes=${*:-plain}
p=/sys/module/kvm/parameters
mode() {
	case "$1" in
	plain) [ ! -e $p/exit_stats_per_vm ] || { echo N >$p/exit_stats_per_vm; echo N >$p/exit_stats_time; } ;;
	per_vm) echo Y >$p/exit_stats_per_vm && echo N >$p/exit_stats_time ;;
	time) echo Y >$p/exit_stats_per_vm && echo Y >$p/exit_stats_time ;;
	*) echo "bench: unknown mode $1"; return 1 ;;
	esac
}
kvm-exitgen --cpuid 1000 --io 0 >/dev/null || exit 1
i=0
while [ $i -lt "$r" ]; do
	for m in $modes; do
		mode "$m" || exit 1
		out=$(kvm-exitgen --cpuid "$n" --io 0) || exit 1
		echo "bench mode=$m $out"
	done
	i=$((i + 1))
done
mode plain
