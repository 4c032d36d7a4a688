# The run of a debug kernel (KES_KCONFIG_FLAVOR=debug or kcsan):
# debug.sh SOAK_SECONDS UNLOAD_CYCLES [TEST... [tool]]
# Load KVM if it is modular, narrow KCSAN to the series, forget what the
# boot leaked; run the in-guest suite (suite.sh with TEST... and tool, if
# named), the unload (UNLOAD_CYCLES cycles) and fault-injection tests where
# KVM is modular and UNLOAD_CYCLES is not 0, and the soak; then scan for
# leaks and print every report of the kernel's checkers. One TAP line per
# check.
# shellcheck source=tap.sh
. /etc/kes/tap.sh
soak=${1:?usage: debug.sh SOAK_SECONDS UNLOAD_CYCLES TEST...}
cycles=${2:?}
shift 2
leaks=/sys/kernel/debug/kmemleak
kcsan=/sys/kernel/debug/kcsan
rc=0

modular=0
if [ ! -d /sys/module/kvm ]; then
	modular=1
	modprobe "$vmod"
	tap $? "debug: $vmod and kvm load"
fi
echo "# kernel: $(uname -r), checkers:$([ -e $leaks ] && echo " kmemleak")$([ -e $kcsan ] && echo " KCSAN")$(grep -q kasan /proc/kallsyms && echo " KASAN")$(grep -q lockdep_init /proc/kallsyms && echo " lockdep")"

# Objects the boot left unreferenced are not ours: report only new ones.
[ ! -e $leaks ] || echo clear >$leaks
# The rest of the kernel has races KCSAN reports and we do not own (KVM's
# own statistics are plain increments): report those in the series'
# functions.
if [ -e $kcsan ]; then
	n=0
	for f in $(awk '$2 ~ /^[tT]$/ && $3 ~ /^(__)?kvm_exit_stats_|^(by_reason|total|vendor|time_by_reason)_(show|open)$|^(vm|vcpu)_(exit_(reasons|times)_(show|open)|file_release|reset_write)$|^exit_(log_interval|log_period|stats_time)_set$/ { print $3 }' /proc/kallsyms | sort -u); do
		echo "!$f" >$kcsan && n=$((n + 1))
	done
	echo whitelist >$kcsan
	echo "# KCSAN reports narrowed to $n functions of the series"
	[ $n -gt 20 ]
	tap $? "debug: KCSAN watches the series' functions"
fi

[ $# = 0 ] || sh /etc/kes/suite.sh "$@" || rc=1
if [ $modular = 1 ] && [ "$cycles" != 0 ]; then
	sh /etc/kes/unload.sh "$cycles" || rc=1
	sh /etc/kes/faults.sh || rc=1
fi
sh /etc/kes/soak.sh "$soak" || rc=1

if [ -e $leaks ]; then
	# Twice, as kmemleak advises: an object seen once may be in flight.
	echo scan >$leaks && sleep 6 && echo scan >$leaks
	n=$(grep -c '^unreferenced object' $leaks)
	sed -n '1,40s/^/# /p' $leaks
	[ "$n" = 0 ]
	tap $? "debug: kmemleak finds no leak ($n unreferenced objects)"
fi
# Each checker's report starts with one of these lines.
dmesg >/tmp/dmesg.txt
grep -E 'BUG:|WARNING:|Oops|UBSAN|KASAN|KCSAN: |possible circular|possible recursive|inconsistent lock|suspicious RCU|sleeping function|kmemleak: [0-9]+ new|bad unlock|held lock freed' /tmp/dmesg.txt >/tmp/splats.txt
n=$(wc -l </tmp/splats.txt)
sed -n '1,20s/^/# splat: /p' /tmp/splats.txt
[ "$n" = 0 ]
tap $? "debug: the kernel's checkers reported nothing ($n report lines)"
echo "SPLATS $n"
[ $rc = 0 ] && [ $tap_rc = 0 ]
