# The demo, inside the emulated host: reset, two workloads with a snapshot
# after each, then what a user sees: the raw files, the tool's table, the
# diff between the workloads, and the kernel log summary.
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
