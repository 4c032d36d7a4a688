# Run by profile.sh under kvmexit-read --record: boot the nested guest with
# Debian's qemu-system-x86_64 on KVM, stamp each line of its serial console
# with this host's uptime (the recording's clock) into /tmp/l2.log, and
# when the guest says its work is done, stop QEMU to read the VM's own
# counters (/tmp/pause) while it still exists, then let it power off.
# QEMU's own messages go to /tmp/qemu.err.
# Arg: quiet or verbose (the nested kernel's boot messages).
l2_args="console=ttyS0 panic=-1"
[ "${1:-quiet}" = quiet ] && l2_args="$l2_args quiet"
cr=$(printf '\r')

stamp() {
	read -r up _ </proc/uptime
	echo "$up $*" >>/tmp/l2.log
}

# All of QEMU's threads stopped (state T), so no vCPU is in the guest.
stopped() {
	for s in /proc/"$1"/task/*/stat; do
		read -r st <"$s" || return 1
		st=${st##*) }
		[ "${st%% *}" = T ] || return 1
	done
}

pause() {
	q=$1
	kill -STOP "$q"
	i=0
	until stopped "$q"; do
		i=$((i + 1))
		[ $i -lt 400 ] || { echo "QEMU did not stop" >>/tmp/pause; return 1; }
		sleep 0.05
	done
	for vm in /sys/kernel/debug/kvm/"$q"-*; do break; done
	{
		echo "vm $(basename "$vm")"
		echo "kvm_exits $(cat "$vm/exits")"
		echo "# exit_reasons"
		cat "$vm/exit_reasons"
	} >/tmp/pause
	stamp "L1-MARK VM stopped and read"
	kill -CONT "$q"
}

rm -f /tmp/l2.fifo /tmp/l2.log /tmp/pause /tmp/qemu.err
mkfifo /tmp/l2.fifo || exit 1
stamp "L1-MARK qemu start"
/usr/bin/qemu-system-x86_64 -accel kvm -cpu host -m 256 -smp 1 -nodefaults \
	-display none -serial stdio -no-reboot \
	-kernel /l2/bzImage -initrd /l2/initrd.gz -append "$l2_args" \
	</dev/null >/tmp/l2.fifo 2>/tmp/qemu.err &
q=$!
while IFS= read -r line; do
	line=${line%"$cr"}
	stamp "$line"
	case "$line" in
	"L2-MARK "*" work done") pause "$q" ;;
	esac
done </tmp/l2.fifo
wait $q
rc=$?
stamp "L1-MARK qemu exit status $rc"
exit $rc
