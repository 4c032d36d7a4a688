#!/usr/bin/env bash
# boot-bochs.sh KERNEL INITRD CMDLINE LOG [CPUS] [TIMEOUT]
# The emulated Intel host: Bochs emulates a Skylake-X with VMX, EPT and
# unrestricted guest, so kvm_intel runs real VMX exits. Bochs cannot load a
# kernel directly: the kernel and initramfs go on an isolinux CD image.
# Bochs' own exit status is not reliable (1 on ACPI power-off, sometimes a
# crash while exiting), so callers judge a run by its serial log.
# KES_MEM_MB: the host's memory (default 512).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${1:?usage: boot-bochs.sh KERNEL INITRD CMDLINE LOG [CPUS] [TIMEOUT]}
initrd=${2:?} cmdline=${3:?} log=${4:?} cpus=${5:-1} tmo=${6:-900}
need_cmd bochs bochs
need_cmd xorriso xorriso
[ -f /usr/lib/ISOLINUX/isolinux.bin ] || die "isolinux.bin missing: install package isolinux"
[ -f /usr/lib/syslinux/modules/bios/ldlinux.c32 ] ||
	die "ldlinux.c32 missing: install package syslinux-common"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/iso/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$work/iso/isolinux/"
cp "$kernel" "$work/iso/vmlinuz"
cp "$initrd" "$work/iso/initrd.gz"
cat >"$work/iso/isolinux/isolinux.cfg" <<CFG
DEFAULT linux
TIMEOUT 0
LABEL linux
  KERNEL /vmlinuz
  APPEND initrd=/initrd.gz console=ttyS0 $cmdline
CFG
xorriso -as mkisofs -quiet -o "$work/boot.iso" -b isolinux/isolinux.bin \
	-c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
	"$work/iso" >"$log.bochs" 2>&1 || die "building the boot CD failed" "$log.bochs"

# Values measured to work with Debian's Bochs 2.7; see Documentation/testing.rst.
cat >"$work/bochsrc" <<RC
megs: ${KES_MEM_MB:-512}
cpu: model=corei7_skylake_x, count=$cpus, ips=4000000, reset_on_triple_fault=1, ignore_bad_msrs=1
clock: sync=none
pci: enabled=1, chipset=i440fx
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=cdrom, path=$work/boot.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$log
display_library: rfb, options="timeout=0"
speaker: enabled=0
sound: driver=dummy
error: action=ignore
log: $log.bochs
RC
echo c >"$work/rc"
: >"$log"
(cd "$work" && timeout --foreground -k 5 "$tmo" bochs -q -f bochsrc -rc rc \
	</dev/null >>"$log.bochs" 2>&1) || {
	rc=$?
	[ $rc -eq 124 ] && die "Bochs guest did not power off within ${tmo}s" "$log"
	true	# 1 on power-off, or a crash on exit: the serial log decides
}
