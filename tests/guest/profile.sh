# The real-guest profile, inside the emulated host: Debian's QEMU boots the
# test kernel as a nested guest under KVM (profile-l2.sh) while
# kvmexit-read records the counters, the kernel's own kvm:kvm_exit and
# kvm_entry tracepoints count the same exits in hist triggers, and the
# files the host checks are printed as sections between markers. Where the
# series has them, sub-reasons are on: by_msr, by_io_port and by_exception
# hold the boot's exits, counted from before the "before" copy.
# Args: INTERVAL (recording interval in seconds) [QUIET] (quiet or verbose:
# the nested kernel's boot messages off or on).
interval=${1:-0.1}
d=/sys/kernel/debug/kvm_exits
tr=/sys/kernel/tracing
ev=$tr/events/kvm

section() {
	echo "PROFILE-BEGIN $1"
	cat "$2"
	# A file without a final newline must not swallow the marker.
	[ -z "$(tail -c 1 "$2")" ] || echo
	echo "PROFILE-END $1"
}

mount -t tracefs tracefs $tr || exit 1
# Triggers first, then the "before" copy: no VM runs between the two.
echo 'hist:keys=exit_reason' >$ev/kvm_exit/trigger || exit 1
echo 'hist:keys=vcpu_id' >$ev/kvm_entry/trigger || exit 1
echo Y >/sys/module/kvm/parameters/exit_stats_per_vm || exit 1
detail=/sys/module/kvm/parameters/exit_stats_detail
if [ -e $detail ]; then
	echo Y >$detail || exit 1
fi
cp $d/by_reason /tmp/before
kvmexit-read --record /tmp/record.jsonl --interval "$interval" -- \
	sh /etc/kes/profile-l2.sh "${2:-quiet}"
rc=$?
cp $d/by_reason /tmp/after
for f in by_msr by_io_port by_exception; do
	[ ! -e $d/$f ] || cp $d/$f /tmp/$f
done
cp $ev/kvm_exit/hist /tmp/hist-exit
cp $ev/kvm_entry/hist /tmp/hist-entry

printf 'kernel %s\nvendor %s\ninterval %s\nguest %s\nstatus %s\n' "$(uname -r)" \
	"$(cat $d/vendor)" "$interval" "${2:-quiet}" "$rc" >/tmp/meta
section meta /tmp/meta
for s in before after by_msr by_io_port by_exception hist-exit hist-entry l2.log pause \
	qemu.err record.jsonl; do
	[ -f /tmp/$s ] && section $s /tmp/$s
done
exit $rc
