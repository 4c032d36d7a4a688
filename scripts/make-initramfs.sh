#!/usr/bin/env bash
# make-initramfs.sh OUT.cpio.gz [EXTRA.list]
# Pack busybox, the guest programs and the scripts of tests/guest/ into a
# gzip'd initramfs with the kernel's own usr/gen_init_cpio (no root, no
# device nodes on the host needed). EXTRA.list: more gen_init_cpio lines
# (dir/file) to add, e.g. the kernel modules of a distribution kernel.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=${1:?usage: make-initramfs.sh OUT.cpio.gz [EXTRA.list]}
extra=${2:-}
[ -z "$extra" ] || [ -f "$extra" ] || die "no file list $extra"
busybox=/bin/busybox
[ -x "$busybox" ] && file_is_static=$(ldd "$busybox" 2>&1 | grep -c "not a dynamic") || true
[ "${file_is_static:-0}" = 1 ] || die "$busybox is not the static busybox: install busybox-static"

guest=$KES_TOP/tests/guest
make -s -C "$guest" OUT="$KES_CACHE/guest" >/dev/null ||
	die "building the guest programs failed (run: make -C tests/guest)"
tool=$KES_TOP/tools/kvmexit-read/build/kvmexit-read.static
make -s -C "$KES_TOP/tools/kvmexit-read" static >/dev/null ||
	die "building kvmexit-read failed (run: make -C tools/kvmexit-read static)"

gen=$(gen_init_cpio_path)

list=$(mktemp)
trap 'rm -f "$list"' EXIT
{
	for d in /bin /dev /proc /sys /tmp /etc /etc/kes; do
		echo "dir $d 0755 0 0"
	done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "file /init $guest/init.sh 0755 0 0"
	echo "file /bin/busybox $busybox 0755 0 0"
	for p in kvm-exitgen kes-tests kes-poweroff kes-peer kvm-microbench kes-load; do
		echo "file /bin/$p $KES_CACHE/guest/$p 0755 0 0"
	done
	echo "file /bin/kvmexit-read $tool 0755 0 0"
	for s in "$guest"/*.sh; do
		[ "$(basename "$s")" = init.sh ] && continue
		echo "file /etc/kes/$(basename "$s") $s 0644 0 0"
	done
	[ -z "$extra" ] || cat "$extra"
} >"$list"
"$gen" "$list" | gzip -1 >"$out.tmp" && mv "$out.tmp" "$out" || die "packing $out failed"
