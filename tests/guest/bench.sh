# Benchmark workload: R runs of N CPUID exits on one vCPU (CPUID is handled
# in the kernel, so this is the exit path alone), after a warm-up run, in
# each of the named modes, interleaved run by run so that they share the
# emulator's good and bad moments:
#   plain   the kernel as it is (unpatched, or patched: global counters)
#   per_vm  the VM created with kvm.exit_stats_per_vm=Y
#   time    the VM created with exit_stats_per_vm=Y and exit_stats_time=Y
#   detail  kvm.exit_stats_detail=Y: sub-reasons (by_msr, by_io_port,
#           by_exception); CPUID exits pay its dispatch, not a table
# and, for the unpatched kernel, what the tools we are compared with do:
#   ftrace  kvm:kvm_exit enabled into the ftrace ring buffer (what
#           trace-cmd record and perf kvm stat record pay)
#   hist    a hist:keys=exit_reason trigger on kvm:kvm_exit
#   perf    per-reason, per-CPU perf_event counters filtered by exit_reason
#           (kvm_stat), kes-peer perf
#   bpf     a BPF program on kvm:kvm_exit counting into a per-CPU array by
#           reason (bcc kvmexit), kes-peer bpf
# Prints "bench mode=M exitgen: ..." per run.
n=${1:-20000}
r=${2:-5}
shift 2
modes=${*:-plain}
p=/sys/module/kvm/parameters
ev=/sys/kernel/debug/tracing/events/kvm/kvm_exit
mode() {
	[ ! -e $p/exit_stats_detail ] || echo N >$p/exit_stats_detail
	case "$1" in
	plain | ftrace | hist | perf | bpf)
		[ ! -e $p/exit_stats_per_vm ] || { echo N >$p/exit_stats_per_vm; echo N >$p/exit_stats_time; } ;;
	per_vm) echo Y >$p/exit_stats_per_vm && echo N >$p/exit_stats_time ;;
	time) echo Y >$p/exit_stats_per_vm && echo Y >$p/exit_stats_time ;;
	detail) echo N >$p/exit_stats_per_vm && echo N >$p/exit_stats_time &&
		echo Y >$p/exit_stats_detail ;;
	*) echo "bench: unknown mode $1"; return 1 ;;
	esac
}
# Runs the generator in mode $1, tracing set up around it.
gen() {
	case "$1" in
	ftrace)
		echo 1 >$ev/enable || return 1
		kvm-exitgen --cpuid "$n" --io 0
		echo 0 >$ev/enable
		echo >/sys/kernel/debug/tracing/trace ;;
	hist)
		echo 'hist:keys=exit_reason' >$ev/trigger || return 1
		kvm-exitgen --cpuid "$n" --io 0
		echo '!hist:keys=exit_reason' >$ev/trigger ;;
	perf | bpf) kes-peer "$1" -- kvm-exitgen --cpuid "$n" --io 0 | grep '^exitgen:' ;;
	*) kvm-exitgen --cpuid "$n" --io 0 ;;
	esac
}
kvm-exitgen --cpuid 1000 --io 0 >/dev/null || exit 1
for m in $modes; do
	# Each peer once with its own counts, to show that it counts.
	case "$m" in
	perf | bpf) kes-peer "$m" -- kvm-exitgen --cpuid 1000 --io 0 | grep '^# peer' | head -4 ;;
	esac
done
i=0
while [ $i -lt "$r" ]; do
	for m in $modes; do
		mode "$m" || exit 1
		out=$(gen "$m") || exit 1
		echo "bench mode=$m $out"
	done
	i=$((i + 1))
done
mode plain
