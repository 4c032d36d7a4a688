# The demo, inside the emulated host: reset, two workloads with a snapshot
# after each, then what a user sees: the raw files, the tool's table, the
# diff between the workloads, the kernel log summary, and the sub-reason
# tables (which MSR, which port, which exception).
d=/sys/kernel/debug/kvm_exits
echo "== $(uname -r) on the emulated $(cat $d/vendor) host: kvmexit-read --reset"
kvmexit-read --reset || exit 1
echo "== workload A: kvm-exitgen --cpuid 2000 --io 500"
kvm-exitgen --cpuid 2000 --io 500 || exit 1
kvmexit-read --save /tmp/a.snap || exit 1
echo "== workload B: kvm-exitgen --cpuid 300 --io 1500 --vcpus 2"
kvm-exitgen --cpuid 300 --io 1500 --vcpus 2 || exit 1
kvmexit-read --save /tmp/b.snap || exit 1
echo "== cat $d/total"
cat $d/total
echo "== cat $d/by_reason (non-zero lines)"
grep -v ' 0$' $d/by_reason
echo "== kvmexit-read (everything since the reset)"
kvmexit-read
echo "== kvmexit-read --diff a.snap b.snap (workload B alone)"
kvmexit-read --diff /tmp/a.snap /tmp/b.snap
echo "== kernel log with exit_log_interval=1000"
echo 1000 >/sys/module/kvm/parameters/exit_log_interval
kvm-exitgen --cpuid 600 --io 600 >/dev/null
i=0
until dmesg | grep -q 'kvm_exits: [0-9]* exits (+' || [ $i -ge 5 ]; do
	sleep 1
	i=$((i + 1))
done
dmesg | grep 'kvm_exits:' | tail -3
echo "== which MSR, which port, which exception: exit_stats_detail=Y, then"
echo "   kvm-exitgen --cpuid 0 --io 200 --msr 300 --wrmsr 100 --in 50 --ud 10"
echo Y >/sys/module/kvm/parameters/exit_stats_detail
kvmexit-read --reset >/dev/null || exit 1
kvm-exitgen --cpuid 0 --io 200 --msr 300 --wrmsr 100 --in 50 --ud 10 >/dev/null || exit 1
echo "== kvmexit-read --msr"
kvmexit-read --msr
echo "== kvmexit-read --io"
kvmexit-read --io
echo "== kvmexit-read --exceptions"
kvmexit-read --exceptions
echo N >/sys/module/kvm/parameters/exit_stats_detail
