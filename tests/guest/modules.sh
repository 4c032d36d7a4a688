# The distribution-kernel path, inside the emulated host booted with Debian's
# own kernel: its kvm modules (in /lib/modules) are loaded first, as on a
# user's machine; kvm-modules-swap must refuse while a VM runs, put Debian's
# back when ours fail to load, swap ours in (/lib/kes-modules), which then
# pass kes-tests "$@", and restore Debian's. One TAP line per check.
# --short: of the failures, only a corrupt vendor module (under Bochs each
# module load takes seconds; QEMU runs them all).
short=0
if [ "${1:-}" = --short ]; then
	short=1
	shift
fi
# shellcheck source=tap.sh
. /etc/kes/tap.sh
swap=/bin/kvm-modules-swap
ours=/lib/kes-modules

# expect_fail NAME REGEX ARGS...: the swap fails, its message matches REGEX,
# and the distribution's kvm is loaded and runs a guest afterwards.
expect_fail() {
	name=$1 re=$2
	shift 2
	out=$(sh $swap "$@" 2>&1)
	st=$?
	echo "$out" | sed 's/^/# /'
	[ $st -ne 0 ] && echo "$out" | grep -Eq "$re" && [ "$(echo "$out" | grep -c '^error:')" -eq 1 ]
	tap $? "$name: refused with one error line"
	distro_works "$name: Debian's kvm still loaded and running guests"
}

distro_works() {
	[ "$(sh $swap status)" = distribution ] && [ ! -e /sys/kernel/debug/kvm_exits ] &&
		[ -c /dev/kvm ] && kvm-exitgen --cpuid 10 --io 10 >/dev/null
	tap $? "$1"
}

if grep -qw vmx /proc/cpuinfo; then vmod=kvm_intel vfile=kvm-intel.ko vendor=vmx
else vmod=kvm_amd vfile=kvm-amd.ko vendor=svm
fi
echo "# kernel $(uname -r): $(cat /proc/version)"

# From here on the kernel log must stay clean (dmesg_clean below); what
# Debian's kernel says while booting on an emulated CPU is not ours.
echo "kes: modules tests begin" >/dev/kmsg
modprobe "$vmod" 2>&1 | sed 's/^/# /'
distro_works "Debian's own kvm and $vmod load and run a guest"

# A VM running: the swap must refuse and change nothing.
if [ $short = 0 ]; then
	kvm-exitgen --cpuid 4000000000 --io 0 >/dev/null 2>&1 &
	gen=$!
	i=0
	while [ "$(cat /sys/module/$vmod/refcnt)" -eq 0 ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	expect_fail "swap while a VM runs" "is in use" load $ours
	kill $gen
	wait $gen 2>/dev/null
fi

# Our modules fail to load: Debian's come back, and the swap says so.
# (A broken ELF magic: the kernel refuses the file, busybox' modinfo, which
# only scans for "vermagic=", still reads its release.)
corrupt() {
	cp "$1" "$2"
	printf 'KES!' | dd of="$2" conv=notrunc 2>/dev/null
}
mkdir -p /tmp/bad-kvm /tmp/bad-vendor
corrupt $ours/kvm.ko /tmp/bad-kvm/kvm.ko
cp $ours/$vfile /tmp/bad-kvm/
cp $ours/kvm.ko /tmp/bad-vendor/
corrupt $ours/$vfile /tmp/bad-vendor/$vfile
[ $short = 1 ] || expect_fail "corrupt kvm.ko" "bad-kvm/kvm.ko: .*loaded again" load /tmp/bad-kvm
expect_fail "corrupt $vfile" "bad-vendor/$vfile: .*loaded again" load /tmp/bad-vendor

# The real swap.
sh $swap load $ours 2>&1 | sed 's/^/# /'
[ "$(sh $swap status)" = ours ] && [ "$(cat /sys/kernel/debug/kvm_exits/vendor)" = $vendor ] &&
	[ -f /sys/kernel/debug/kvm_exits/by_reason ] && [ -c /dev/kvm ]
tap $? "swap to ours: kvm_exits appeared, vendor $vendor"

if [ $# -gt 0 ]; then
	# shellcheck disable=SC2086
	kes-tests "$@" || tap_rc=1
fi

# The files of a closed VM keep the vendor module loaded (the VM they hold
# needs it, whether or not the kernel pins it for every VM), read the
# VM's counts, and destroy the VM when they close; the restore below then
# unloads both modules.
echo Y >$kp/exit_stats_per_vm && echo Y >$kp/exit_stats_time
rm -f /tmp/held
kvm-exitgen --vcpus 2 --cpuid 300 --io 100 --hold /tmp/held >/dev/null 2>&1 &
gen=$!
wait_file /tmp/held
echo N >$kp/exit_stats_per_vm && echo N >$kp/exit_stats_time
vm=$(cat /tmp/held)
exec 3<"$vm/exit_reasons" 4<"$vm/vcpu1/exit_times"
rm -f /tmp/held
wait $gen
! rmmod $vmod 2>/dev/null && lsmod | grep -q "^$vmod "
tap $? "a closed VM's open files keep $vmod loaded"
[ "$(row - $code_cpuid <&3)" = 600 ] && [ "$(row - $code_cpuid <&4)" = 300 ]
tap $? "they read the closed VM's counts: 600 CPUID, 300 timed on vCPU 1"
exec 3<&- 4<&-
[ -n "$vm" ] && [ ! -e "$vm" ]
tap $? "closing them destroys the VM"

sh $swap restore 2>&1 | sed 's/^/# /'
distro_works "restore: Debian's kvm loaded again, kvm_exits gone, guests run"

# kes-tests' dmesg_clean, over the swaps, the tests and the restore only.
bad=$(dmesg | sed -n '/kes: modules tests begin/,$p' |
	grep -E 'WARNING:|BUG:|Oops|UBSAN|leak' | grep -vE 'topology_common\.c|fpu/xstate\.c')
echo "$bad" | sed -n 's/^./# kernel said: &/p'
[ -z "$bad" ]
tap $? "dmesg_clean: no kernel warning since the first swap"
exit $tap_rc
