# Unloading KVM under open files, in a kernel with modular KVM (the debug
# flavor). unload.sh CYCLES
# 1. A VM's and a vCPU's files held open after the VM's fd is closed: the
#    vendor module must refuse to unload (the VM it keeps alive needs it),
#    the files must read the VM's counts, and once they are closed both
#    modules unload, the caches go, and a reload counts from zero.
# 2. The global files held open: the vendor module unloads (they belong to
#    kvm.ko, which they pin), reads fail cleanly, kvm.ko refuses to go
#    until they are closed.
# 3. CYCLES loads and unloads of both modules while a reader loops over
#    the global files: every load counts a guest exactly, and every unload
#    destroys the caches. Leaks are the caller's kmemleak scan.
# shellcheck source=tap.sh
. /etc/kes/tap.sh
cycles=${1:-50}

unload_all() {
	i=0
	rmmod "$vmod" 2>/dev/null
	# A looping reader pins kvm.ko for the moment of a read: retry.
	while ! rmmod kvm 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.05
	done
	! grep -q '^kvm_exit_stats' /proc/slabinfo
}

# --- 1. the files of a closed VM
echo Y >$kp/exit_stats_per_vm && echo Y >$kp/exit_stats_time
rm -f /tmp/held
kvm-exitgen --vcpus 2 --cpuid 300 --msr 200 --io 100 --hold /tmp/held >/tmp/held.out 2>&1 &
gen=$!
wait_file /tmp/held
tap $? "unload: a 2-vCPU VM with per-VM counters and times held open"
echo N >$kp/exit_stats_per_vm && echo N >$kp/exit_stats_time
vm=$(cat /tmp/held)
exec 3<"$vm/exit_reasons" 4<"$vm/vcpu0/exit_reasons" 5<"$vm/exit_times" 6<"$vm/vcpu1/exit_times"
rm -f /tmp/held
wait $gen
tap $? "unload: the VM's process closed it and exited"

out=$(rmmod "$vmod" 2>&1)
st=$?
echo "# rmmod $vmod: $out"
[ $st -ne 0 ] && lsmod | grep -q "^$vmod "
tap $? "unload: $vmod refuses to unload while a closed VM's files are open"

cat <&3 >/tmp/vm.r && cat <&4 >/tmp/vcpu0.r && cat <&5 >/tmp/vm.t && cat <&6 >/tmp/vcpu1.t
tap $? "unload: the closed VM's files read"
[ "$(row /tmp/vm.r $code_cpuid)" = 600 ] && [ "$(row /tmp/vm.r $code_msr)" = 400 ] &&
	[ "$(row /tmp/vm.r $code_io)" = 200 ] && [ "$(row /tmp/vcpu0.r $code_cpuid)" = 300 ] &&
	[ "$(row /tmp/vm.t $code_cpuid)" = 600 ] && [ "$(row /tmp/vcpu1.t $code_msr)" = 200 ]
tap $? "unload: they hold the VM's counts (600 CPUID, 400 RDMSR, 200 OUT; 300 and 200 per vCPU)"
exec 3<&- 4<&- 5<&- 6<&-
[ ! -e "$vm" ]
tap $? "unload: the VM is destroyed when its last file closes"
unload_all
tap $? "unload: then $vmod and kvm unload and the kvm_exit_stats caches are destroyed"

modprobe "$vmod" && kvm-exitgen --cpuid 123 --io 0 >/dev/null &&
	[ "$(row $kd/by_reason $code_cpuid)" = 123 ]
tap $? "unload: reloaded, the counters start from zero and count 123 CPUID exactly"

# --- 2. the global files
exec 3<$kd/by_reason 4<$kd/time_by_reason 5<$kd/total
rmmod "$vmod"
tap $? "unload: $vmod unloads while the global files are open"
! cat <&3 >/dev/null 2>&1 && ! cat <&5 >/dev/null 2>&1
tap $? "unload: reading a global file after the unload fails instead of reading freed counters"
! rmmod kvm 2>/dev/null
tap $? "unload: kvm refuses to unload while they are open"
exec 3<&- 4<&- 5<&-
unload_all
tap $? "unload: once they are closed, kvm unloads"

# --- 3. cycles, with a reader looping over the global files
rm -f /tmp/reader.stop
(
	n=0
	while [ ! -e /tmp/reader.stop ]; do
		cat $kd/total $kd/by_reason $kd/time_by_reason $kd/vendor >/dev/null 2>&1
		n=$((n + 1))
		# Leave the emulated CPUs to the loads, which are the test.
		sleep 0.02
	done
	echo $n >/tmp/reader.n
) &
reader=$!
bad=
c=0
while [ $c -lt "$cycles" ]; do
	c=$((c + 1))
	# Every other cycle with per-VM counters and times, whose caches must go too.
	modprobe "$vmod" || { bad="$c: modprobe"; break; }
	if [ $((c % 2)) = 0 ]; then
		echo Y >$kp/exit_stats_per_vm && echo Y >$kp/exit_stats_time
	else
		echo N >$kp/exit_stats_per_vm && echo N >$kp/exit_stats_time
	fi
	kvm-exitgen --vcpus 2 --cpuid 50 --msr 5 --io 10 >/dev/null || { bad="$c: kvm-exitgen"; break; }
	n=$(row $kd/by_reason $code_cpuid)
	[ "$n" = 100 ] || { bad="$c: $n CPUID exits counted, not 100"; break; }
	unload_all || { bad="$c: unload"; break; }
done
touch /tmp/reader.stop
wait $reader
echo N >$kp/exit_stats_per_vm 2>/dev/null
echo N >$kp/exit_stats_time 2>/dev/null
echo "# unload: $c cycles, $(cat /tmp/reader.n) reads of the global files meanwhile"
[ -z "$bad" ] && [ $c = "$cycles" ]
tap $? "unload: $cycles load/unload cycles counted exactly and destroyed the caches${bad:+ (cycle $bad)}"
modprobe "$vmod"
tap $? "unload: $vmod loaded again for what follows"
exit $tap_rc
