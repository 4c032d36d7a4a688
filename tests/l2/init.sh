#!/bin/busybox sh
# /init of the nested (L2) guest that make profile boots with Debian's QEMU
# inside the emulated host: reach userspace, do a little work, power off.
# Each milestone line carries the guest's own uptime, so that the host can
# place the guest kernel's start on its own clock (its stamp minus this).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mark() {
	read -r up _ </proc/uptime
	echo "L2-MARK $up $*"
}
mark init
mkdir -p /tmp/work
i=0
while [ $i -lt 50 ]; do
	echo "file $i" >/tmp/work/f$i
	cp /tmp/work/f$i /tmp/work/g$i
	i=$((i + 1))
done
rm -r /tmp/work
dd if=/dev/zero of=/dev/null bs=64k count=2000 2>/dev/null
sleep 1
mark work done
# The host stops QEMU here to read the VM's counters while it is alive.
sleep 1
mark poweroff
poweroff -f
