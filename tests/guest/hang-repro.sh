# The sequence once seen to hang a 2-CPU emulated host, ROUNDS
# times in one boot:
#   1. log on: exit_log_period=0, exit_log_interval=500, 1-vCPU generator
#      runs until a "kvm_exits:" summary has been printed (the deferrable
#      work is armed and has run);
#   2. log off: exit_log_interval=0;
#   3. the 2-vCPU generator, 20000 CPUID + 20000 OUT per vCPU, with
#      VARIANT's parameters:
#        plain   none (the default statistics only)
#        per_vm  exit_stats_per_vm=Y: each vCPU created and destroyed
#                toggles kvm_exit_stats_vcpu_key (static_branch_inc/dec)
#        time    exit_stats_per_vm=Y and exit_stats_time=Y
#        mixed   plain, per_vm and time in turn, round by round
# On an unpatched kernel (no exit_log_interval) steps 1 and 2 run the same
# generator without the log, and the variants are all plain.
# Usage: hang-repro.sh [VARIANT] [ROUNDS] [diag]
# "diag": kernel messages at every level on the console (for the
# diagnostic kernel's lockup reports and sysrq output).
# Progress lines "hang-repro: round R STEP t=UPTIME" tell where a hung boot
# stopped; a watchdog reports on a step stuck for 45 s (see stuck()).
variant=${1:-plain}
rounds=${2:-1}
diag=${3:-}
p=/sys/module/kvm/parameters
patched=0
[ -e $p/exit_log_interval ] && patched=1

case "$variant" in
plain | per_vm | time | mixed) ;;
*) echo "hang-repro: unknown variant $variant"; exit 2 ;;
esac

# Warnings, oopses and their stacks reach the serial log (init keeps the
# console at level 1); in diag mode everything, sysrq output included.
if [ "$diag" = diag ]; then dmesg -n 8; else dmesg -n 5; fi

step() {
	echo "hang-repro: round $r $1 t=$(cut -d' ' -f1 /proc/uptime)"
}

summaries() { dmesg | grep -c 'kvm_exits: [0-9]* exits (+'; }

# set_stats PER_VM TIME: the opt-in statistics for VMs created afterwards.
set_stats() {
	[ $patched = 1 ] || return 0
	echo "$1" >$p/exit_stats_per_vm && echo "$2" >$p/exit_stats_time
}

# The watchdog: fed with the uptime at each step; once a step makes no
# progress for 45 s it shows what it can: whether KVM still counts exits
# (a vCPU looping on exits, or none running), the generator's threads
# (state, CPU, kernel stack), KVM's page faults and MMU events for half a
# second (ftrace), and with sysrq (the diagnostic kernel) the
# blocked tasks and every CPU's stack.
uptime_s() { cut -d. -f1 /proc/uptime; }
stuck() {
	echo "hang-repro: watchdog: no progress for 45 s"
	for n in 1 2; do
		echo "hang-repro: watchdog: exits $(cat /sys/kernel/debug/kvm_exits/total 2>/dev/null)" \
			"$(grep -v ' 0$' /sys/kernel/debug/kvm_exits/by_reason 2>/dev/null | tr '\n' ' ')"
		sleep 2
	done
	for t in /proc/[0-9]*/task/[0-9]*; do
		grep -q '^Name:.*kvm-exitgen' "$t/status" 2>/dev/null || continue
		# comm, state and last CPU (fields 2, 3 and 39 of stat)
		echo "hang-repro: watchdog: task ${t#/proc/} $(cut -d' ' -f2,3,39 "$t/stat")" \
			"wchan=$(cat "$t/wchan" 2>/dev/null)"
		sed 's/^/hang-repro: watchdog:   /' "$t/stack" 2>/dev/null
	done
	# The exits themselves, for half a second, where the kernel can trace
	# (the test kernel has ftrace): which fault, which address, which
	# error code, what KVM's MMU made of it.
	tr=/sys/kernel/debug/tracing
	if [ -d $tr/events/kvm ]; then
		echo 1 >$tr/events/kvm/kvm_page_fault/enable
		echo 1 >$tr/events/kvmmmu/enable 2>/dev/null
		sleep 0.5
		echo 0 >$tr/events/kvm/kvm_page_fault/enable
		echo 0 >$tr/events/kvmmmu/enable 2>/dev/null
		grep -v '^#' $tr/trace | head -n 40 | sed 's/^/hang-repro: watchdog: trace: /'
		echo >$tr/trace
	fi
	if [ -w /proc/sysrq-trigger ]; then
		echo w >/proc/sysrq-trigger
		echo l >/proc/sysrq-trigger
	fi
}
uptime_s >/tmp/hang-repro.fed
(
	while sleep 15; do
		[ -e /tmp/hang-repro.done ] && exit 0
		if [ $(($(uptime_s) - $(cat /tmp/hang-repro.fed))) -ge 45 ]; then
			stuck
			uptime_s >/tmp/hang-repro.fed
		fi
	done
) &
watchdog=$!
feed() { uptime_s >/tmp/hang-repro.fed; }

r=1
rc=0
echo "hang-repro: $(uname -r) $(cat /sys/kernel/debug/kvm_exits/vendor 2>/dev/null || echo unpatched)" \
	"variant=$variant rounds=$rounds cpus=$(grep -c ^processor /proc/cpuinfo)"
while [ $r -le "$rounds" ]; do
	v=$variant
	if [ "$v" = mixed ]; then
		case $((r % 3)) in 1) v=plain ;; 2) v=per_vm ;; 0) v='time' ;; esac
	fi
	feed
	step "log-on"
	before=0
	if [ $patched = 1 ]; then
		before=$(summaries)
		echo 0 >$p/exit_log_period && echo 500 >$p/exit_log_interval || rc=1
	fi
	i=0
	while [ $i -lt 20 ]; do
		kvm-exitgen --cpuid 2000 --io 2000 >/dev/null || rc=1
		i=$((i + 1))
		[ $patched = 0 ] || [ "$(summaries)" -gt "$before" ] && break
	done
	if [ $patched = 1 ] && [ "$(summaries)" -le "$before" ]; then
		echo "hang-repro: round $r: no summary after $i runs of 4000 exits"
		rc=1
	fi
	feed
	n=$before
	[ $patched = 0 ] || n=$(summaries)
	step "log-off runs=$i summaries=$((n - before))"
	[ $patched = 0 ] || echo 0 >$p/exit_log_interval || rc=1
	case "$v" in
	plain) set_stats N N ;;
	per_vm) set_stats Y N ;;
	time) set_stats Y Y ;;
	esac
	step "smp variant=$v"
	out=$(kvm-exitgen --vcpus 2 --cpuid 20000 --io 20000) || rc=1
	echo "hang-repro: round $r $out"
	set_stats N N
	r=$((r + 1))
done
feed
r=end
step "done rc=$rc"
: >/tmp/hang-repro.done
kill "$watchdog" 2>/dev/null
[ $patched = 0 ] || echo 10000 >$p/exit_log_interval
exit $rc
