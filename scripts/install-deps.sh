#!/usr/bin/env bash
# install-deps.sh [demo]
# Install what the build, the emulated hosts and the tests need, from Debian's
# archive only. Skips packages that are already installed. "demo": only what
# make demo needs (one kernel source, the emulators), so that a fresh
# machine's first demo does not wait for the test suites' packages.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

demo=(
	build-essential bc bison flex libelf-dev libssl-dev cpio kmod xz-utils
	rsync python3 zstd git
	busybox-static
	bochs bochsbios vgabios isolinux syslinux-common xorriso
	qemu-system-x86
)
pkgs=(
	"${demo[@]}"
	jq clang libclang-rt-14-dev
	linux-source-6.12 linux-source-6.1
	gnuplot-nox
	debhelper dh-dkms dkms lintian man-db prometheus prometheus-node-exporter curl
)
case "${1:-}" in
"") ;;
demo)
	check_kversion "${KVERSION:-6.12}"
	pkgs=("${demo[@]}" "linux-source-${KVERSION:-6.12}")
	;;
*) die "install-deps.sh: unknown argument '$1' (none, or demo)" ;;
esac

log="$KES_CACHE/logs/apt.log"
updated=0

# install PKG...: those of PKG not installed yet.
install() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "packages missing (${missing[*]}); run as root to install them"
	mkdir -p "$(dirname "$log")"
	note "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if [ $updated = 0 ]; then
		apt-get update >"$log" 2>&1 || die "apt-get update failed" "$log"
		updated=1
	fi
	apt-get install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1 ||
		die "apt-get install failed" "$log"
}
install "${pkgs[@]}"
[ "${1:-}" != demo ] || exit 0

# The distribution-kernel tests (tests/modules-suite.sh) build against the
# headers of Debian's kernel of the same package version as linux-source-V.
# (Debian's 6.12 headers package depends on its linux-image: apt installs
# that too; the tests never boot the installed one.)
headers=()
for v in $KES_VERSIONS; do
	if ! r=$(stock_release "$v") && [ $updated = 0 ] && [ "$(id -u)" -eq 0 ]; then
		mkdir -p "$(dirname "$log")"
		apt-get update >"$log" 2>&1 || die "apt-get update failed" "$log"
		updated=1
	fi
	r=${r:-$(stock_release "$v")} ||
		die "no linux-headers-*-amd64 package has the version of linux-source-$v ($(dpkg-query -W -f='${Version}' "linux-source-$v"))"
	headers+=("linux-headers-$r")
done
install "${headers[@]}"
