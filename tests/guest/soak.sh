# The soak: soak.sh SECONDS
# For SECONDS, 4 VMs x 2 vCPUs run the generator (CPUID, RDMSR, OUT, HLT)
# round after round, while at the same time readers loop over every
# statistics file, resets hit the global, VM and vCPU files, the per-VM,
# time, sub-reason and log parameters toggle, and CPU 1 goes offline and
# online.
# Then the resets and toggles stop and a last round of 4 VMs runs, with
# the readers and CPU hotplug still going: the global counters since the
# last reset must equal what those VMs did, and each VM its own workload.
# Splats and leaks are the caller's console check and kmemleak scan.
# shellcheck source=tap.sh
. /etc/kes/tap.sh
secs=${1:-60}
cpuid=2000 msr=500 io=1000
cpu1=/sys/devices/system/cpu/cpu1/online
vmdirs=/sys/kernel/debug/kvm
rm -rf /tmp/soak && mkdir -p /tmp/soak
cd /tmp/soak || exit 1

# loop NAME CMD...: run CMD until "stop-NAME" exists; NAME.n counts the runs.
loop() {
	name=$1
	shift
	(
		n=0
		while [ ! -e "stop-$name" ]; do
			"$@"
			n=$((n + 1))
		done
		echo $n >"$name.n"
	) &
}

read_all() {
	for f in $kd/* $vmdirs/*/exit_* $vmdirs/*/vcpu*/exit_* $vmdirs/*/userspace_exits \
		$vmdirs/*/vcpu*/userspace_exits; do
		cat "$f" >/dev/null 2>&1
	done
}

reset_all() {
	echo 0 >$kd/total
	echo 0 >$kd/time_by_reason
	for f in $vmdirs/*/exit_reasons $vmdirs/*/vcpu*/exit_times; do
		echo 0 2>/dev/null >"$f" && echo >>vm-resets
	done
	sleep 0.1
}

toggle() {
	for v in Y N; do
		echo $v >$kp/exit_stats_per_vm
		sleep 0.1
		echo $v >$kp/exit_stats_time
		sleep 0.1
		echo $v >$kp/exit_stats_detail
		sleep 0.1
	done
	echo 500 >$kp/exit_log_interval
	sleep 0.1
	echo 0 >$kp/exit_log_interval
}

hotplug() {
	echo 0 >$cpu1 && sleep 0.3
	echo 1 >$cpu1 && sleep 0.3
}

workload() {
	kvm-exitgen --vcpus 2 --cpuid $cpuid --msr $msr --io $io >>"w$1.out" 2>&1 ||
		echo "round failed: $(tail -n 1 "w$1.out")" >>"w$1.fail"
}

[ -e $cpu1 ]
tap $? "soak: CPU 1 can go offline"
echo 0 >$kp/exit_log_period
start=$(cut -d. -f1 /proc/uptime)
loop reader read_all
loop resets reset_all
loop toggles toggle
loop hotplug hotplug
for k in 1 2 3 4; do
	loop "w$k" workload $k
done
sleep "$secs"
touch stop-resets stop-toggles stop-w1 stop-w2 stop-w3 stop-w4
while [ ! -e toggles.n ] || [ ! -e resets.n ] || [ ! -e w1.n ] || [ ! -e w2.n ] ||
	[ ! -e w3.n ] || [ ! -e w4.n ]; do
	sleep 0.2
done
rounds=$(cat w1.n w2.n w3.n w4.n | awk '{ s += $1 } END { print s }')
[ ! -e w1.fail ] && [ ! -e w2.fail ] && [ ! -e w3.fail ] && [ ! -e w4.fail ] && [ "$rounds" -gt 0 ]
tap $? "soak: $rounds rounds of 4 VMs x 2 vCPUs ran under resets, toggles and hotplug"
cat w*.fail 2>/dev/null | head -n 5 | sed 's/^/# /'

# The last round: counted from a reset, with readers and hotplug going.
echo 1000 >$kp/exit_log_interval
echo Y >$kp/exit_stats_per_vm && echo Y >$kp/exit_stats_time && echo Y >$kp/exit_stats_detail
echo 0 >$kd/by_reason
for k in 1 2 3 4; do
	kvm-exitgen --vcpus 2 --cpuid $cpuid --msr $msr --io $io --hold "held$k" >"last$k.out" 2>&1 &
	echo $! >"last$k.pid"
done
ok=0
for k in 1 2 3 4; do
	wait_file "held$k" || ok=1
done
tap $ok "soak: the last 4 VMs ran and are held"
touch stop-reader stop-hotplug
while [ ! -e reader.n ] || [ ! -e hotplug.n ]; do sleep 0.2; done
echo 1 >$cpu1
cp $kd/by_reason global.r
cp $kd/by_msr global.msr
cp $kd/by_io_port global.io
sum_vms=0 vm_ok=0
for k in 1 2 3 4; do
	cp "$(cat "held$k")/exit_reasons" "vm$k.r"
	sum_vms=$((sum_vms + $(rows_sum "vm$k.r")))
done
for k in 1 2 3 4; do
	rm -f "held$k"
	wait "$(cat "last$k.pid")"
done
echo N >$kp/exit_stats_per_vm && echo N >$kp/exit_stats_time && echo N >$kp/exit_stats_detail
for k in 1 2 3 4; do
	line=$(grep '^exitgen:' "last$k.out")
	[ "$(row "vm$k.r" $code_cpuid)" = $((2 * cpuid)) ] &&
		[ "$(row "vm$k.r" $code_msr)" = $((2 * msr)) ] &&
		[ "$(row "vm$k.r" $code_io)" = $((2 * io)) ] &&
		[ "$(row "vm$k.r" $code_hlt)" = "$(field "$line" hlt)" ] &&
		[ "$(rows_sum "vm$k.r")" = "$(field "$line" kvm_exits)" ] || {
		vm_ok=1
		echo "# VM $k: $line"
		sed 's/^/#   /' "vm$k.r" | awk '$4 != 0'
	}
done
tap $vm_ok "soak: each of the last VMs counted its own workload exactly ($((2 * cpuid)) CPUID, $((2 * msr)) RDMSR, $((2 * io)) OUT, its HLTs, KVM's exits)"
g_total=$(rows_sum global.r)
[ "$(row global.r $code_cpuid)" = $((8 * cpuid)) ] && [ "$(row global.r $code_msr)" = $((8 * msr)) ] &&
	[ "$(row global.r $code_io)" = $((8 * io)) ] && [ "$g_total" = "$sum_vms" ]
tap $? "soak: the global counters since the reset equal the 4 VMs: $g_total exits (VMs: $sum_vms)"
[ "$(awk '$1 == "0x0000001b" && $2 == "read" { print $3 }' global.msr)" = $((8 * msr)) ] &&
	[ "$(awk '$1 == "0x010f" && $2 == 1 && $3 == "out" { print $4 }' global.io)" = $((8 * io)) ] &&
	[ "$(awk '$1 == "other" { print $2 }' global.msr global.io | sort -u)" = 0 ]
tap $? "soak: by_msr and by_io_port since the reset hold the 4 VMs' $((8 * msr)) RDMSR and $((8 * io)) OUT"

end=$(cut -d. -f1 /proc/uptime)
exits=$(cat w*.out last*.out | sed -n 's/.* kvm_exits=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s }')
vm_resets=$(wc -l <vm-resets 2>/dev/null || echo 0)
echo "# soak: $((end - start)) s ($(awk -v s=$((end - start)) 'BEGIN { printf "%.1f", s / 60 }') min), $((rounds + 4)) VMs of 2 vCPUs, $exits exits counted by KVM, $(cat resets.n) rounds of global resets and $vm_resets VM/vCPU resets, $(cat toggles.n) rounds of toggles, $(cat hotplug.n) offline/online cycles of CPU 1, $(cat reader.n) passes of the readers"
echo "SOAK-FIGURES seconds=$((end - start)) vms=$((rounds + 4)) exits=$exits global_resets=$(cat resets.n) vm_resets=$vm_resets toggles=$(cat toggles.n) hotplugs=$(cat hotplug.n) reads=$(cat reader.n)"
exit $tap_rc
