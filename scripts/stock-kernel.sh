#!/usr/bin/env bash
# stock-kernel.sh KRELEASE [PKGVERSION]
# Print the directory of Debian's own kernel KRELEASE as the tests boot it:
# vmlinuz, and lib/modules/KRELEASE/ holding the distribution's kvm modules
# and their dependencies (decompressed: busybox insmod cannot decompress) with
# a modules.dep. The package linux-image-KRELEASE is fetched with apt-get
# download and unpacked with dpkg-deb -x, never installed; only what the
# tests need is kept, in the cache. PKGVERSION: refuse any other version
# (the tests pair the image with the headers the modules were built against).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

rel=${1:?usage: stock-kernel.sh KRELEASE [PKGVERSION]}
want=${2:-}
for t in apt-get:apt dpkg-deb:dpkg modinfo:kmod depmod:kmod xz:xz-utils zstd:zstd; do
	need_cmd "${t%%:*}" "${t#*:}"
done
pkg=linux-image-$rel
dir=$KES_CACHE/stock/$rel
log=$KES_CACHE/logs/stock-$rel.log
mkdir -p "$KES_CACHE/stock" "$KES_CACHE/logs"

if [ -f "$dir/version" ]; then
	have=$(cat "$dir/version")
	if [ -z "$want" ] || [ "$have" = "$want" ]; then
		echo "$dir"
		exit 0
	fi
	rm -rf "$dir"	# another version of the same release: fetch again
fi

tmp=$(mktemp -d "$KES_CACHE/stock/.fetch-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
note "downloading $pkg"
# apt-get download writes to the current directory; _apt cannot write there.
(cd "$tmp" && apt-get -o APT::Sandbox::User=root download "$pkg") >"$log" 2>&1 ||
	die "apt-get download $pkg failed" "$log"
deb=$(find "$tmp" -maxdepth 1 -name '*.deb' | head -n1)
have=$(dpkg-deb -f "$deb" Version)
[ -z "$want" ] || [ "$have" = "$want" ] ||
	die "$pkg in the archive is $have, the headers are $want: they must match"
dpkg-deb -x "$deb" "$tmp/x" >>"$log" 2>&1 || die "dpkg-deb -x $deb failed" "$log"
rm -f "$deb"

src=$tmp/x/lib/modules/$rel
out=$tmp/out
mkdir -p "$out/lib/modules/$rel"
cp "$tmp/x/boot/vmlinuz-$rel" "$out/vmlinuz" || die "$pkg has no boot/vmlinuz-$rel"

# copy_mod NAME: the module and, first, what it depends on (modinfo depends).
copy_mod() {
	local name=$1 f rel_path dep
	f=$(find "$src/kernel" -name "$name.ko*" -o -name "${name//_/-}.ko*" | head -n1)
	[ -n "$f" ] || die "$pkg has no module $name"
	rel_path=${f#"$src"/}
	rel_path=${rel_path%.ko*}.ko
	[ -f "$out/lib/modules/$rel/$rel_path" ] && return 0
	for dep in $(modinfo -F depends "$f" | tr , ' '); do
		copy_mod "$dep"
	done
	mkdir -p "$(dirname "$out/lib/modules/$rel/$rel_path")"
	case "$f" in
	*.ko.xz) xz -dc "$f" ;;
	*.ko.zst) zstd -qdc "$f" ;;
	*.ko.gz) gzip -dc "$f" ;;
	*) cat "$f" ;;
	esac >"$out/lib/modules/$rel/$rel_path" || die "decompressing $f failed"
}
copy_mod kvm_intel
copy_mod kvm_amd
cp "$src/modules.builtin" "$out/lib/modules/$rel/" 2>/dev/null || true
depmod -b "$out" "$rel" >>"$log" 2>&1 || die "depmod for $rel failed" "$log"
echo "$have" >"$out/version"
rm -rf "$dir"
mv "$out" "$dir"
echo "$dir"
