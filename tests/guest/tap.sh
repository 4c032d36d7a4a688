# Sourced by the guest scripts that report TAP themselves: numbered TAP
# lines, the exit codes of the generator's VM-exit reasons per vendor, and
# helpers to read by_reason-format files.
# shellcheck disable=SC2034 # used by the scripts that source this
tap_n=0
tap_rc=0
tap() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_rc=1
	fi
}

if grep -qw svm /proc/cpuinfo; then
	vmod=kvm_amd
	code_cpuid=0x0072 code_msr=0x007c code_io=0x007b code_hlt=0x0078
else
	vmod=kvm_intel
	code_cpuid=0x000a code_msr=0x001f code_io=0x001e code_hlt=0x000c
fi
kp=/sys/module/kvm/parameters
kd=/sys/kernel/debug/kvm_exits

# row FILE CODE: the count of one reason in a by_reason-format file (or
# in what stdin holds, with FILE -); empty if the file cannot be read.
row() {
	awk -v c="$2" '$1 == c { print $3; found = 1 } END { if (!found) exit 1 }' "$1"
}

# rows_sum FILE: the sum of all counts (reasons and "other").
rows_sum() {
	awk '!/^#/ { s += $3 } END { print s + 0 }' "$1"
}

# field LINE NAME: NAME=value out of a kvm-exitgen result line.
field() {
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# wait_file FILE: until FILE exists (a kvm-exitgen --hold), at most 2 min.
wait_file() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 1200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$1" ]
}
