#!/usr/bin/env bash
# kernel-build.sh KVERSION [SERIES]
# Configure (tinyconfig + tests/kernel/*.config via the kernel's own
# merge_config.sh) and build a bzImage out of tree; print its path. A
# configuration with modules also gets them installed, stripped, under
# BUILD/modroot/lib/modules (run-guest.sh packs them into the initramfs).
# Build directories live in the cache, one per source tree, so rebuilds are
# incremental and patched/unpatched kernels can coexist (for the benchmark).
# KES_KCONFIG_FLAVOR=NAME (opt-in, e.g. diag): also merge
# tests/kernel/NAME/*.config and tests/kernel/NAME/KVERSION/*.config, in a
# build directory of its own (the normal one suffixed -NAME), so that the
# normal build, its .config and its config stamp are untouched.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

v=${1:?usage: kernel-build.sh KVERSION [SERIES]}
series=${2:-default}
check_kversion "$v"
flavor=${KES_KCONFIG_FLAVOR:-}
if [ -n "$flavor" ]; then
	case "$flavor" in
	patched | *[!a-z0-9]*) die "KES_KCONFIG_FLAVOR='$flavor' is not a config flavor" ;;
	esac
	[ -d "$KES_TOP/tests/kernel/$flavor" ] ||
		die "no config flavor tests/kernel/$flavor/ (KES_KCONFIG_FLAVOR=$flavor)"
fi
for t in gcc:build-essential make:build-essential flex:flex bison:bison bc:bc; do
	need_cmd "${t%%:*}" "${t#*:}"
done

# KES_KSRC: build a tree of your own instead (patch development).
if [ -n "${KES_KSRC:-}" ]; then
	[ -f "$KES_KSRC/Makefile" ] || die "KES_KSRC=$KES_KSRC is not a kernel source tree"
	tree=$(cd "$KES_KSRC" && pwd)
	out=$KES_CACHE/build/ksrc-$(echo "$tree" | sha256sum | cut -c1-12)
else
	tree=$("$KES_TOP/scripts/kernel-tree.sh" "$v" "$series")
	out=$KES_CACHE/build/$(basename "$tree")
fi
[ -z "$flavor" ] || out=$out-$flavor
log=$KES_CACHE/logs/build-$(basename "$out").log
mkdir -p "$out"

shopt -s nullglob
frags=("$KES_TOP"/tests/kernel/*.config)
# Options that only exist once our series is applied.
if [ "$series" != none ] && [ -f "$tree/arch/x86/kvm/exit_stats.c" ]; then
	frags+=("$KES_TOP"/tests/kernel/patched/*.config)
fi
if [ -n "$flavor" ]; then
	frags+=("$KES_TOP/tests/kernel/$flavor"/*.config "$KES_TOP/tests/kernel/$flavor/$v"/*.config)
fi
shopt -u nullglob

# Generate the config beside the build and install it only when it changed,
# so an unchanged fragment does not touch .config.
cfgdir=
trap 'rm -rf "${cfgdir:-}"' EXIT
configure() {
	local missing
	cfgdir=$(mktemp -d "$out/.config-XXXXXX")
	{
		make -C "$tree" O="$cfgdir" tinyconfig &&
		"$tree/scripts/kconfig/merge_config.sh" -m -O "$cfgdir" "$cfgdir/.config" "${frags[@]}" &&
		make -C "$tree" O="$cfgdir" olddefconfig
	} >"$log" 2>&1 || die "configuring linux-$v failed" "$log"

	# merge_config only warns when Kconfig drops a requested option: fail
	# instead. A later fragment may override an earlier one (a flavor's
	# CONFIG_KVM=m): the last value of each option is the one requested.
	missing=$(cat "${frags[@]}" | grep -E '^CONFIG_[A-Z0-9_]+=' |
		awk -F= '{ last[$1] = $0 } END { for (k in last) print last[k] }' |
		while read -r line; do
			grep -qxF "$line" "$cfgdir/.config" || echo "$line"
		done)
	[ -z "$missing" ] || die "linux-$v config lacks: $(echo "$missing" | tr '\n' ' ')" "$log"
	cmp -s "$cfgdir/.config" "$out/.config" || cp "$cfgdir/.config" "$out/.config"
}

# Configuring takes seconds: skip it while its inputs are unchanged.
stamp=$(cat "${frags[@]}" | sha256sum | cut -c1-16)
if [ "$(cat "$out/.kes-config-stamp" 2>/dev/null)" != "$stamp" ] || [ ! -f "$out/.config" ]; then
	rm -f "$out/.kes-config-stamp"
	configure
else
	: >"$log"
fi

note "building linux-$v ($(basename "$tree")) in $out"
make -C "$tree" O="$out" -j"$(nproc)" bzImage >>"$log" 2>&1 ||
	die "building linux-$v failed" "$log"
if grep -qx 'CONFIG_MODULES=y' "$out/.config"; then
	make -C "$tree" O="$out" -j"$(nproc)" modules >>"$log" 2>&1 ||
		die "building linux-$v's modules failed" "$log"
	rm -rf "$out/modroot"
	make -C "$tree" O="$out" INSTALL_MOD_PATH="$out/modroot" INSTALL_MOD_STRIP=1 \
		DEPMOD=/usr/sbin/depmod modules_install >>"$log" 2>&1 ||
		die "installing linux-$v's modules failed" "$log"
fi
echo "$stamp" >"$out/.kes-config-stamp"
echo "$out/arch/x86/boot/bzImage"
