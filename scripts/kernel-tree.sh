#!/usr/bin/env bash
# kernel-tree.sh KVERSION [SERIES]
# Print the path of a source tree of Debian's linux-source-KVERSION with the
# patch series kernel-patch/KVERSION applied (SERIES=none: unpatched).
#
# One pristine unpack per package version is kept in the cache; a patched tree
# is a hard-linked copy of it (git apply replaces files rather than writing
# through the links) keyed by the series hash, so changing a patch gives a new
# tree patched from clean. Trees appear only once complete: work happens in a
# temporary directory that is renamed at the end, and removed on failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

v=${1:?usage: kernel-tree.sh KVERSION [SERIES]}
series=${2:-default}
check_kversion "$v"
need_cmd git git

pkg=linux-source-$v
tarball=/usr/src/$pkg.tar.xz
pkgver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
	die "package $pkg is not installed (run scripts/install-deps.sh)"
[ -f "$tarball" ] || die "$tarball missing although $pkg is installed"

src=$KES_CACHE/src
mkdir -p "$src" "$KES_CACHE/logs"
pristine=$src/linux-$v-${pkgver//[^A-Za-z0-9.+-]/_}
log=$KES_CACHE/logs/tree-$v.log

tmp=
cleanup() { if [ -n "$tmp" ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT

if [ ! -d "$pristine" ]; then
	note "unpacking $tarball"
	tmp=$(mktemp -d "$src/.unpack-$v.XXXXXX")
	tar -C "$tmp" -xf "$tarball" >"$log" 2>&1 || die "unpacking $tarball failed" "$log"
	[ -f "$tmp/$pkg/Makefile" ] || die "$tarball has no $pkg/Makefile" "$log"
	mv "$tmp/$pkg" "$pristine"
	rm -rf "$tmp"
	tmp=
fi

if [ "$series" = none ]; then
	echo "$pristine"
	exit 0
fi
hash=$(series_hash "$v")
if [ "$hash" = none ]; then
	echo "$pristine"
	exit 0
fi

tree=$pristine-$hash
if [ ! -d "$tree" ]; then
	note "applying $KES_PATCH_DIR/$v (series $hash)"
	tmp=$(mktemp -d "$src/.patch-$v.XXXXXX")
	rmdir "$tmp"
	cp -al "$pristine" "$tmp"
	: >"$log"
	for p in $(find "$KES_PATCH_DIR/$v" -maxdepth 1 -name '*.patch' | LC_ALL=C sort); do
		echo "== $p" >>"$log"
		(cd "$tmp" && git apply --verbose "$p") >>"$log" 2>&1 ||
			die "patch $(basename "$p") does not apply to $pkg $pkgver" "$log"
	done
	mv "$tmp" "$tree"
	tmp=
fi
echo "$tree"
