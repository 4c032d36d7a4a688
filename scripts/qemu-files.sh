#!/usr/bin/env bash
# qemu-files.sh: gen_init_cpio lines that put Debian's own
# qemu-system-x86_64 into an initramfs, with the shared libraries ldd names
# (at the paths ldd names, the dynamic loader included) and the firmware a
# "-M pc -nodefaults" guest opens (SeaBIOS, the kvmvapic and linuxboot
# option ROMs), at the paths of Debian's firmware search path.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

qemu=/usr/bin/qemu-system-x86_64
need_cmd qemu-system-x86_64 qemu-system-x86
fwdirs="/usr/share/qemu /usr/share/seabios"
fw=
for f in bios-256k.bin kvmvapic.bin linuxboot_dma.bin; do
	found=
	for d in $fwdirs; do
		[ -f "$d/$f" ] && { found=$d/$f; break; }
	done
	[ -n "$found" ] || die "QEMU firmware $f not in $fwdirs: install qemu-system-x86"
	fw="$fw $found"
done

libs=$(ldd "$qemu" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
[ -n "$libs" ] || die "ldd $qemu listed no libraries"

# Every parent directory once, parents before children.
{
	echo /usr/bin
	for f in $libs $fw; do dirname "$f"; done
} | sort -u | while read -r d; do
	p=
	for part in $(echo "$d" | tr / ' '); do
		p=$p/$part
		echo "$p"
	done
done | awk '!seen[$0]++' | while read -r d; do
	echo "dir $d 0755 0 0"
done

echo "file /usr/bin/qemu-system-x86_64 $qemu 0755 0 0"
for l in $libs; do
	echo "file $l $(readlink -f "$l") 0755 0 0"
done
for f in $fw; do
	echo "file $f $(readlink -f "$f") 0644 0 0"
done
