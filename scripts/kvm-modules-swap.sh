#!/bin/sh
# kvm-modules-swap.sh load DIR | restore | status
# Swap the running kernel's kvm and kvm_intel / kvm_amd for the kvm-exit-stats
# modules in DIR (kvm.ko, kvm-intel.ko, kvm-amd.ko from make modules), or put
# the distribution's own back (/lib/modules/$(uname -r)/kernel/arch/x86/kvm).
#   load DIR  refuses while a VM runs (the modules are in use); if ours fail
#             to load, or /sys/kernel/debug/kvm_exits does not appear, loads
#             the distribution's again and says so: the host keeps a KVM.
#   restore   unloads ours, loads the distribution's.
#   status    says which kvm is loaded: "ours", "distribution" or "none".
# POSIX sh on purpose: the tests run it under busybox in the emulated hosts.
set -eu

die() { echo "error: $1" >&2; exit 1; }
note() { echo "[kes] $*" >&2; }

rel=$(uname -r)
distdir=/lib/modules/$rel/kernel/arch/x86/kvm
stats=/sys/kernel/debug/kvm_exits
tmpf=
trap 'rm -f "$tmpf"' EXIT

loaded() { [ -f "/sys/module/$1/initstate" ]; }
# Our kvm.ko is the one with the series' parameter.
ours_loaded() { [ -e /sys/module/kvm/parameters/exit_log_interval ]; }

# The vendor module: the one loaded, else what the CPU has.
detect_vendor() {
	if loaded kvm_intel; then vmod=kvm_intel
	elif loaded kvm_amd; then vmod=kvm_amd
	elif grep -qw vmx /proc/cpuinfo; then vmod=kvm_intel
	elif grep -qw svm /proc/cpuinfo; then vmod=kvm_amd
	else die "this CPU has neither VMX nor SVM (or they are disabled in the firmware): KVM cannot run"
	fi
	vfile=$(echo "$vmod" | tr _ -).ko
}

status() {
	if ours_loaded; then echo ours
	elif loaded kvm; then echo distribution
	else echo none
	fi
}

# insmod_file FILE NAME: load one module file, with the options modprobe's
# configuration gives NAME (kmod only), decompressing it first if needed
# (insmod of busybox cannot). Prints insmod's error on failure.
insmod_file() {
	f=$1
	opts=$(modprobe -c 2>/dev/null | sed -n "s/^options $2 //p" | tr '\n' ' ') || opts=
	case "$f" in
	*.ko.xz|*.ko.zst|*.ko.gz)
		rm -f "$tmpf"
		tmpf=$(mktemp /tmp/kes-module-XXXXXX)
		case "$f" in
		*.xz) xz -dc "$f" ;;
		*.zst) zstd -qdc "$f" ;;
		*.gz) gzip -dc "$f" ;;
		esac >"$tmpf" || { echo "cannot decompress $f"; return 1; }
		f=$tmpf ;;
	esac
	# shellcheck disable=SC2086
	insmod "$f" $opts 2>&1
}

# load_deps FILE: what FILE needs besides kvm (irqbypass, ccp), via modprobe.
load_deps() {
	for d in $(modinfo -F depends "$1" 2>/dev/null | tr , ' '); do
		[ "$d" = kvm ] || loaded "$d" || modprobe "$d" 2>&1 || return 1
	done
}

# modfile DIR FILE.ko: FILE.ko in DIR, or its compressed form (DKMS and
# Debian's 6.12 install modules xz-compressed).
modfile() {
	for f in "$1/$2" "$1/$2.xz" "$1/$2.zst" "$1/$2.gz"; do
		if [ -f "$f" ]; then echo "$f"; return 0; fi
	done
	return 1
}

# Refuse while anything but the vendor module holds kvm, or anything holds
# the vendor module: every VM (and every open /dev/kvm) holds a reference.
check_unused() {
	if loaded "$vmod" && [ "$(cat "/sys/module/$vmod/refcnt")" -gt 0 ]; then
		die "$vmod is in use ($(cat "/sys/module/$vmod/refcnt") references): a VM or another /dev/kvm user is running; stop it first (virsh list, ps -C qemu-system-x86_64), nothing was changed"
	fi
	loaded kvm || return 0
	holders=$(ls /sys/module/kvm/holders 2>/dev/null | tr '\n' ' ')
	n=0 other=
	for h in $holders; do
		n=$((n + 1))
		case "$h" in kvm_intel|kvm_amd) ;; *) other="$other $h" ;; esac
	done
	[ -z "$other" ] || die "kvm is used by module(s)$other: unload them first, nothing was changed"
	[ "$(cat /sys/module/kvm/refcnt)" -le "$n" ] ||
		die "kvm is in use ($(cat /sys/module/kvm/refcnt) references): a VM or another /dev/kvm user is running; stop it first, nothing was changed"
}

# unload: the vendor module, then kvm. Prints rmmod's error on failure.
unload() {
	for m in kvm_intel kvm_amd kvm; do
		if loaded "$m"; then rmmod "$m" 2>&1 || return 1; fi
	done
}

# load_distro: the distribution's kvm and vendor module, from their files
# (not modprobe: DKMS may have put ours first in modprobe's search path).
load_distro() {
	k=$(modfile "$distdir" kvm.ko) || { echo "no kvm.ko in $distdir"; return 1; }
	v=$(modfile "$distdir" "$vfile") || { echo "no $vfile in $distdir"; return 1; }
	if ours_loaded; then unload || return 1; fi
	if ! loaded kvm; then
		load_deps "$k" && insmod_file "$k" kvm || return 1
	fi
	if ! loaded "$vmod"; then
		load_deps "$v" && insmod_file "$v" "$vmod" || return 1
	fi
	wait_dev
}

# /dev/kvm appears through devtmpfs (and udev): give it a moment.
wait_dev() {
	i=0
	while [ ! -c /dev/kvm ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -c /dev/kvm ] || { echo "no /dev/kvm"; return 1; }
}

# failed MESSAGE: our modules did not come up; put the distribution's back.
failed() {
	if err=$(load_distro) && ! ours_loaded; then
		die "loading the kvm-exit-stats modules failed: $1; the distribution's kvm modules are loaded again (see dmesg)"
	fi
	die "loading the kvm-exit-stats modules failed: $1; restoring the distribution's failed too: $err; KVM is unavailable until you run: modprobe $vmod (see dmesg)"
}

need_root() {
	[ "$(id -u)" -eq 0 ] || die "kvm-modules-swap.sh $1 must run as root"
}

mount_debugfs() {
	grep -q " /sys/kernel/debug debugfs " /proc/mounts ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null ||
		die "cannot mount debugfs on /sys/kernel/debug"
}

cmd=${1:-}
case "$cmd" in
load)
	[ -n "${2:-}" ] || die "usage: kvm-modules-swap.sh load DIR (the modules from make modules)"
	dir=$2
	need_root load
	detect_vendor
	ok=$(modfile "$dir" kvm.ko) || die "no kvm.ko in $dir: build it with make modules"
	ov=$(modfile "$dir" "$vfile") || die "no $vfile in $dir: build it with make modules"
	magic=$(modinfo -F vermagic "$ok" 2>/dev/null) || magic=
	[ -n "$magic" ] || die "$ok is not a kernel module"
	[ "${magic%% *}" = "$rel" ] ||
		die "$ok is for ${magic%% *}, the running kernel is $rel: make modules KRELEASE=$rel"
	mount_debugfs
	check_unused
	note "unloading $(status) kvm, loading $ok and $ov"
	if ! err=$(unload); then
		# A VM started after the check; put back what went.
		load_distro >/dev/null || true
		die "unloading kvm failed: $err: a VM or another /dev/kvm user is running; stop it first"
	fi
	err=$(load_deps "$ok" && insmod_file "$ok" kvm) || failed "$ok: $err"
	err=$(load_deps "$ov" && insmod_file "$ov" "$vmod") || failed "$ov: $err"
	ours_loaded || failed "the kvm.ko loaded is not ours"
	[ -d "$stats" ] || failed "no $stats"
	err=$(wait_dev) || failed "$err"
	note "kvm-exit-stats kvm and $vmod loaded from $dir: counters in $stats (back: kvm-modules-swap.sh restore)"
	;;
restore)
	need_root restore
	detect_vendor
	if ! ours_loaded && loaded kvm && loaded "$vmod"; then
		note "the distribution's kvm modules are loaded already"
		exit 0
	fi
	check_unused
	err=$(load_distro) || die "restoring the distribution's kvm modules failed: $err; try: modprobe $vmod (see dmesg)"
	ours_loaded && die "restoring the distribution's kvm modules failed: ours are still loaded"
	note "the distribution's kvm and $vmod are loaded"
	;;
status)
	status
	;;
*)
	die "usage: kvm-modules-swap.sh load DIR | restore | status"
	;;
esac
