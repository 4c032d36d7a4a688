# The in-guest test suite: kes-tests with the named tests, and, when "tool"
# is named, a run of the real kvmexit-read against the real debugfs whose
# output the host side checks (tests/check_tool_output.py).
tests=
tool=0
for t in "$@"; do
	if [ "$t" = tool ]; then tool=1; else tests="$tests $t"; fi
done
rc=0
if [ -n "$tests" ]; then
	# shellcheck disable=SC2086
	kes-tests $tests || rc=1
fi
[ $tool = 1 ] || exit $rc

# Each step prints its output between "TOOL-BEGIN name rc=N" and "TOOL-END".
step() {
	name=$1
	shift
	out=$("$@" 2>&1)
	echo "TOOL-BEGIN $name rc=$?"
	echo "$out"
	echo "TOOL-END"
}
step reset kvmexit-read --reset
step save-a kvmexit-read --save /tmp/a.snap
step exitgen kvm-exitgen --cpuid 700 --io 300
step save-b kvmexit-read --save /tmp/b.snap
step diff kvmexit-read --diff /tmp/a.snap /tmp/b.snap
step diff-json kvmexit-read --json --diff /tmp/a.snap /tmp/b.snap
step diff-now kvmexit-read --json --diff /tmp/a.snap
step cmd kvmexit-read -- kvm-exitgen --cpuid 400 --io 200
step cmd-json kvmexit-read --json -- kvm-exitgen --cpuid 400 --io 200
step cmd-status kvmexit-read -- sh -c 'exit 7'
step table kvmexit-read
step json kvmexit-read --json
step prometheus kvmexit-read --prometheus
step bad-diff kvmexit-read --diff /tmp/b.snap /tmp/a.snap

# Sub-reasons: after a reset, 30 RDMSR of IA32_APIC_BASE, 20 WRMSR of
# IA32_MISC_ENABLE, 40 OUT and 10 IN of port 0x10f and 5 UD2; then 25 RDMSR
# under -- CMD.
echo Y >/sys/module/kvm/parameters/exit_stats_detail
step detail-reset kvmexit-read --reset
step detail-gen kvm-exitgen --cpuid 0 --io 40 --msr 30 --wrmsr 20 --in 10 --ud 5
step msr-json kvmexit-read --json --msr
step io-json kvmexit-read --json --io
step exc-json kvmexit-read --json --exceptions
step msr-table kvmexit-read --msr
step detail-prom kvmexit-read --prometheus --msr --io --exceptions
step msr-cmd kvmexit-read --json --msr -- kvm-exitgen --cpuid 0 --io 0 --msr 25
echo N >/sys/module/kvm/parameters/exit_stats_detail

# Per VM: a 2-vCPU VM created with per-VM counters and times, held open
# after 300 CPUID + 100 OUT + HLT on each vCPU, read by PID and by name.
p=/sys/module/kvm/parameters
echo Y >$p/exit_stats_per_vm && echo Y >$p/exit_stats_time
kvm-exitgen --cpuid 300 --io 100 --vcpus 2 --hold /tmp/held >/tmp/held.out 2>&1 &
holder=$!
i=0
while [ ! -e /tmp/held ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
echo N >$p/exit_stats_per_vm && echo N >$p/exit_stats_time
vmname=$(basename "$(cat /tmp/held 2>/dev/null)")
step vm-list kvmexit-read --list-vms --json
step vm-json kvmexit-read --vm "$holder" --per-vcpu --json
step vm-prom kvmexit-read --vm "$vmname" --prometheus
step vm-table kvmexit-read --vm "$vmname"
step vm-hist kvmexit-read --vm "$vmname" --hist cpuid
step vm-user kvmexit-read --vm "$holder" --userspace --json
step vm-save kvmexit-read --vm "$holder" --save /tmp/vm.snap
step vm-diff-global kvmexit-read --diff /tmp/a.snap /tmp/vm.snap
step vm-reset kvmexit-read --vm "$holder" --reset
step vm-after-reset kvmexit-read --vm "$holder" --per-vcpu --json
rm -f /tmp/held
wait $holder
exit $rc
