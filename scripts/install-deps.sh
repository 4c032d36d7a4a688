#!/usr/bin/env bash
# Install what the build, the emulated hosts and the tests need, from Debian's
# archive only. Skips packages that are already installed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev cpio kmod xz-utils
	rsync python3 jq clang libclang-rt-14-dev
	linux-source-6.12 linux-source-6.1
	busybox-static
	bochs bochsbios vgabios isolinux syslinux-common xorriso
	qemu-system-x86
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

[ "$(id -u)" -eq 0 ] || die "packages missing (${missing[*]}); run as root to install them"
log="$KES_CACHE/logs/apt.log"
mkdir -p "$(dirname "$log")"
note "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update >"$log" 2>&1 || die "apt-get update failed" "$log"
apt-get install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1 ||
	die "apt-get install failed" "$log"
