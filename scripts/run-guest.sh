#!/usr/bin/env bash
# run-guest.sh [options] SCRIPT [ARG...]
# Build the kernel and initramfs, boot the emulated host, run
# tests/guest/SCRIPT.sh with ARGs inside it and print what it printed.
# Exits with the script's status; a boot that never reaches the end marker
# is a failure naming the serial log.
#   --host bochs|qemu   emulated Intel VMX (default) or AMD SVM host
#   --kversion V        6.12 (default) or 6.1
#   --series S          default (kernel-patch/V) or none (unpatched)
#   --cpus N            emulated CPUs (default 2)
#   --timeout S         wall-clock limit of the boot (default 900)
#   --log FILE          serial log (default in the cache's logs/)
#   --kernel FILE       boot this bzImage instead of building one (e.g. a
#                       distribution's vmlinuz; --series is then ignored)
#   --initrd-extra LIST more gen_init_cpio lines for the initramfs
#   --initrd FILE       boot this initramfs (made by make-initramfs.sh)
#                       instead of packing one, e.g. once for many boots
set -euo pipefail
. "$(dirname "$0")/lib.sh"

host=bochs kversion=${KVERSION:-6.12} series=default cpus=2 tmo=900 log=
kernel='' extra='' initrd=''
while [ $# -gt 0 ]; do
	case "$1" in
	--host) host=$2; shift 2 ;;
	--kversion) kversion=$2; shift 2 ;;
	--series) series=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	--timeout) tmo=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--initrd-extra) extra=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--) shift; break ;;
	-*) die "run-guest.sh: unknown option $1" ;;
	*) break ;;
	esac
done
script=${1:?usage: run-guest.sh [options] SCRIPT [ARG...]}
shift
case "$host" in bochs|qemu) ;; *) die "unknown host '$host' (bochs or qemu)" ;; esac
check_kversion "$kversion"
[ -f "$KES_TOP/tests/guest/$script.sh" ] || die "no guest script tests/guest/$script.sh"

if [ -n "$kernel" ]; then
	[ -f "$kernel" ] || die "no kernel image $kernel"
	series=stock
else
	kernel=$("$KES_TOP/scripts/kernel-build.sh" "$kversion" "$series")
fi
mkdir -p "$KES_CACHE/logs"
if [ -n "$initrd" ]; then
	[ -f "$initrd" ] || die "no initramfs $initrd"
else
	initrd=$(mktemp "$KES_CACHE/initrd-XXXXXX.gz")
	list=$(mktemp)
	trap 'rm -f "$initrd" "$list"' EXIT
	[ -z "$extra" ] || cat "$extra" >"$list"
	# A kernel built with modules (a flavor with modular KVM): they go in
	# /lib/modules, where modprobe looks.
	modroot=$(dirname "$kernel")/../../../modroot
	if [ -d "$modroot/lib/modules" ]; then
		(cd "$modroot" && find lib -type d | LC_ALL=C sort | sed 's|.*|dir /& 0755 0 0|' &&
			find lib -type f | LC_ALL=C sort | sed "s|.*|file /& $(pwd)/& 0644 0 0|") >>"$list"
	fi
	"$KES_TOP/scripts/make-initramfs.sh" "$initrd" "$list"
fi
[ -n "$log" ] || log=$KES_CACHE/logs/serial-$host-$kversion-$series-$script.log

args=$(IFS=,; echo "$*")
# slab_nomerge: the per-VM tests count the kvm_exit_stats_vcpu cache's
# objects in /proc/slabinfo, where a merged cache has no line of its own.
cmdline="${KES_CMDLINE:-} loglevel=4 panic=-1 slab_nomerge kes.run=$script${args:+ kes.args=$args}"
# serial_tail: the end of the serial log as diagnostics, so that a CI log
# shows why a boot failed without access to the machine's cache.
serial_tail() {
	tr -d '\r' <"$log" 2>/dev/null | tail -n 40 | sed 's/^/# serial: /' >&2
}
start=$(date +%s)
"$KES_TOP/scripts/boot-$host.sh" "$kernel" "$initrd" "$cmdline" "$log" "$cpus" "$tmo" ||
	{ serial_tail; exit 1; }
note "$host/$kversion: boot to power-off in $(( $(date +%s) - start ))s"

# What the script printed, between the markers init writes.
sed -n '/^KES-BEGIN /,/^KES-END /p' "$log" | tr -d '\r' | sed '1d;$d'
end=$(tr -d '\r' <"$log" | grep -a '^KES-END rc=' || true)
[ -n "$end" ] || { serial_tail; die "$host/$kversion: the guest did not finish its run" "$log"; }
rc=${end#KES-END rc=}
exit "$rc"
