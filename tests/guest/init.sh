#!/bin/busybox sh
# /init of the test initramfs: mount what the tests read, run the script the
# kernel command line names (kes.run=NAME, kes.args=A,B,...), print its exit
# status between markers the host side looks for, then power off.
/bin/busybox --install -s /bin
export PATH=/bin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug

run=none
args=
for w in $(cat /proc/cmdline); do
	case "$w" in
	kes.run=*) run=${w#kes.run=} ;;
	kes.args=*) args=$(echo "${w#kes.args=}" | tr , ' ') ;;
	esac
done

# Keep kernel messages off the console while the script runs: a warning
# printed from another CPU can land in the middle of a TAP line. A failed
# run prints them afterwards instead.
dmesg -n 1
echo "KES-BEGIN $run"
if [ -f "/etc/kes/$run.sh" ]; then
	# shellcheck disable=SC2086
	sh "/etc/kes/$run.sh" $args
	rc=$?
else
	echo "init: no script /etc/kes/$run.sh"
	rc=127
fi
if [ "$rc" -ne 0 ]; then
	dmesg -r | grep '^<[0-4]>' | tail -n 40 | sed 's/^/# kernel: /'
fi
echo "KES-END rc=$rc"
exec kes-poweroff
