# shellcheck shell=bash
# Common helpers for the kvm-exit-stats scripts: one place for the cache
# location, the supported kernel versions and the one-line error convention.

KES_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KES_CACHE=${KES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kvm-exit-stats}
KES_VERSIONS="6.12 6.1"
# The patch series, one directory per version (overridable for tests).
KES_PATCH_DIR=${KES_PATCH_DIR:-$KES_TOP/kernel-patch}

# die MESSAGE [LOG]: one line naming what failed (and the log to read), exit 1.
die() {
	if [ -n "${2:-}" ]; then
		echo "error: $1 (see $2)" >&2
	else
		echo "error: $1" >&2
	fi
	exit 1
}

note() { echo "[kes] $*" >&2; }

# check_kversion V: refuse versions we have no series and no config for.
check_kversion() {
	local v
	for v in $KES_VERSIONS; do
		[ "$1" = "$v" ] && return 0
	done
	die "unknown KVERSION '$1' (supported: $KES_VERSIONS)"
}

# need_cmd CMD PACKAGE: fail clearly when a tool is missing.
need_cmd() {
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' not found: install package '$2' (or run scripts/install-deps.sh)"
}

# series_hash V: identifies the patch series applied to a tree ("none" if empty).
series_hash() {
	local dir="$KES_PATCH_DIR/$1" files
	files=$(find "$dir" -maxdepth 1 -name '*.patch' 2>/dev/null | LC_ALL=C sort)
	if [ -z "$files" ]; then
		echo none
	else
		# shellcheck disable=SC2086
		cat $files | sha256sum | cut -c1-12
	fi
}

# stock_release V: the release name of Debian's amd64 kernel built from the
# same package version as the installed linux-source-V (installed headers
# first, then apt's package lists); the kernel the modules tests run.
stock_release() {
	local want p re
	want=$(dpkg-query -W -f='${Version}' "linux-source-$1" 2>/dev/null) || return 1
	for p in /usr/src/linux-headers-*/include/generated/package.h; do
		if grep -qF "\" Debian $want\"" "$p" 2>/dev/null; then
			p=${p%/include/generated/package.h}
			echo "${p#/usr/src/linux-headers-}"
			return 0
		fi
	done
	re="^linux-headers-${1//./\\.}(\\.[0-9]+)+(-[0-9]+)?(\\+deb[0-9]+)?-amd64\$"
	for p in $(apt-cache pkgnames "linux-headers-$1" 2>/dev/null | grep -E "$re" | LC_ALL=C sort); do
		if apt-cache show "$p" 2>/dev/null | grep -x "Version: $want" >/dev/null; then
			echo "${p#linux-headers-}"
			return 0
		fi
	done
	return 1
}

# gen_init_cpio_path: the kernel's usr/gen_init_cpio, which packs an
# initramfs from a file list without root. One C file: built from any
# unpacked source, once.
gen_init_cpio_path() {
	local gen=$KES_CACHE/tools/gen_init_cpio tree
	if [ ! -x "$gen" ]; then
		tree=$("$KES_TOP/scripts/kernel-tree.sh" 6.12 none)
		mkdir -p "$(dirname "$gen")"
		gcc -O2 -o "$gen.tmp" "$tree/usr/gen_init_cpio.c" && mv "$gen.tmp" "$gen" ||
			die "building gen_init_cpio failed"
	fi
	echo "$gen"
}
