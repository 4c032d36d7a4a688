# Allocation failures aimed at the series' allocations (debug flavor:
# failslab and fail_page_alloc in debugfs, modular KVM loaded).
# 1. The per-vCPU counters and time sets come from caches of their own;
#    failslab's cache filter fails exactly those: creating a vCPU in a VM
#    with per-VM counters (and times) fails with ENOMEM, and nothing else
#    changes: the global counters still count a guest exactly.
# 2. The vendor module's load allocates the by_reason lines, the counters
#    and the caches from kvm_exit_stats_init(); the stack filter fails one
#    allocation made below it, at several offsets: the load fails and
#    leaves nothing behind, or, when the failure hits one of debugfs' own
#    allocations, the module loads without that file (debugfs files are
#    best effort, as everywhere in the kernel); the next load succeeds and
#    counts exactly. Not below the slab allocator's
#    sysfs_slab_add(), whose error path leaks the cache's kobject name
#    (mm/slub.c calls no kobject_put() when kobject_init_and_add() fails):
#    a leak of the kernel's, not of the series.
# Leaks and splats are the caller's kmemleak scan and console check.
# shellcheck source=tap.sh
. /etc/kes/tap.sh
fs=/sys/kernel/debug/failslab
fp=/sys/kernel/debug/fail_page_alloc

inject_off() {
	for f in $fs $fp; do
		echo 0 >$f/probability
		echo 0 >$f/require-start
		echo 0xffffffffffffffff >$f/require-end
		echo 0 >$f/reject-start
		echo 0 >$f/reject-end
	done
	echo N >$fs/cache-filter
	for sc in kvm_exit_stats_vcpu kvm_exit_stats_time; do
		[ ! -e /sys/kernel/slab/$sc/failslab ] || echo 0 >/sys/kernel/slab/$sc/failslab
	done
}

loaded() {
	lsmod | grep -q "^$vmod "
}

# The global files, all there?
files() {
	for f in total by_reason vendor time_by_reason; do
		[ -e $kd/$f ] || return 1
	done
}

# One finit_module() (busybox' modprobe would retry with init_module()).
vfile=$(find /lib/modules -name "$(echo "$vmod" | tr _ -).ko")

# exact N: a 1-vCPU guest's N CPUID exits, counted from a reset.
exact() {
	echo 0 >$kd/by_reason && kvm-exitgen --cpuid "$1" --io 0 >/dev/null &&
		[ "$(row $kd/by_reason $code_cpuid)" = "$1" ]
}

for f in $fs $fp; do
	echo N >$f/ignore-gfp-wait
	echo 0 >$f/verbose
	echo 1 >$f/interval
	echo 0 >$f/space
done
echo N >$fp/ignore-gfp-highmem
echo 0 >$fp/min-order
inject_off

# --- 1. the per-vCPU caches
for c in kvm_exit_stats_vcpu kvm_exit_stats_time; do
	[ -e /sys/kernel/slab/$c/failslab ]
	tap $? "faults: the cache $c has a failslab switch"
done
echo Y >$kp/exit_stats_per_vm && echo Y >$kp/exit_stats_time
for c in kvm_exit_stats_vcpu kvm_exit_stats_time; do
	echo Y >$fs/cache-filter
	echo 1 >/sys/kernel/slab/$c/failslab
	echo -1 >$fs/times
	echo 100 >$fs/probability
	out=$(kvm-exitgen --vcpus 2 --cpuid 10 --io 10 2>&1)
	st=$?
	inject_off
	echo "# $c failing: $out" | head -n 2
	[ $st -ne 0 ] && echo "$out" | grep -q "KVM_CREATE_VCPU" &&
		echo "$out" | grep -q "Cannot allocate memory"
	tap $? "faults: with $c failing, KVM_CREATE_VCPU fails with ENOMEM"
	kvm-exitgen --vcpus 2 --cpuid 10 --io 10 >/dev/null
	tap $? "faults: with $c working again, the same VM runs"
done
echo N >$kp/exit_stats_per_vm && echo N >$kp/exit_stats_time
exact 77
tap $? "faults: the global counters count 77 CPUID exactly afterwards"

# --- 2. the vendor module's load
rmmod "$vmod"
start=$(awk '$3 == "kvm_exit_stats_init" { print $1 }' /proc/kallsyms)
# sym_end ADDR [MODULE]: the end of a function, the next symbol's address
# (in the kernel's text, or in MODULE's).
sym_end() {
	awk -v s="$1" -v m="${2:+[$2]}" '$1 > s && $4 == m { print $1 }' /proc/kallsyms |
		sort | head -n 1
}
end=$(sym_end "$start" kvm)
rstart=$(awk '$3 == "sysfs_slab_add" && $4 == "" { print $1 }' /proc/kallsyms)
rend=$(sym_end "$rstart")
echo "# kvm_exit_stats_init: 0x$start-0x$end, not below sysfs_slab_add: 0x$rstart-0x$rend"
[ -n "$start" ] && [ -n "$end" ] && [ -n "$rstart" ] && [ -n "$rend" ]
tap $? "faults: kvm_exit_stats_init and sysfs_slab_add found in /proc/kallsyms"
failed=0 loaded=0 tried=0 partial=0
for space in 0 200 1000 2000 4000 8000 16000 32000; do
	for f in $fs $fp; do
		echo "0x$start" >$f/require-start
		echo "0x$end" >$f/require-end
		echo "0x$rstart" >$f/reject-start
		echo "0x$rend" >$f/reject-end
		echo "$space" >$f/space
		echo 1 >$f/times
		echo 100 >$f/probability
	done
	tried=$((tried + 1))
	out=$(kes-load "$vfile" 2>&1)
	st=$?
	inject_off
	if [ $st != 0 ]; then
		failed=$((failed + 1))
		echo "# load with an allocation failing after $space bytes: $out"
		# Nothing half-made: no module, no files.
		! loaded && [ ! -e $kd ] || break
	elif files; then
		loaded=$((loaded + 1))
		rmmod "$vmod" || break
	else
		partial=$((partial + 1))
		echo "# load with an allocation failing after $space bytes: loaded, files: $(ls $kd 2>/dev/null | tr '\n' ' ')"
		rmmod "$vmod" || break
	fi
done
for f in $fs $fp; do echo 0 >$f/space; done
echo "# loads: $tried tried, $failed failed cleanly, $partial loaded without a debugfs file, $loaded had no allocation to fail"
[ $failed -gt 0 ] && [ $((failed + partial + loaded)) = $tried ]
tap $? "faults: a failed allocation below kvm_exit_stats_init fails the load of $vmod and leaves nothing behind (in debugfs: loads without the file)"
modprobe "$vmod" && loaded && files && exact 55
tap $? "faults: the next load counts 55 CPUID exactly"
exit $tap_rc
