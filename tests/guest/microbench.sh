# The kvm-unit-tests-style round trips (kvm-microbench), R runs of N each:
# cpuid, vmcall, rdmsr, wrmsr, in-kernel and userspace I/O. With "detail",
# the runs are repeated with kvm.exit_stats_detail=Y, their lines marked
# "detail=1".
n=${1:-20000}
r=${2:-3}
detail=${3:-}
p=/sys/module/kvm/parameters/exit_stats_detail
i=0
while [ $i -lt "$r" ]; do
	kvm-microbench "$n" || exit 1
	if [ "$detail" = detail ]; then
		echo Y >$p || exit 1
		out=$(kvm-microbench "$n") || exit 1
		echo "$out" | sed 's/^microbench /microbench detail=1 /'
		echo N >$p
	fi
	i=$((i + 1))
done
