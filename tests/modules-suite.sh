#!/usr/bin/env bash
# modules-suite.sh HOST KVERSION
# The distribution-kernel path on one emulated host: build kvm.ko,
# kvm-intel.ko and kvm-amd.ko with scripts/modules-build.sh against the
# installed headers of Debian's kernel of the same package version as
# linux-source-KVERSION, boot that kernel's own image (scripts/stock-kernel.sh:
# downloaded, never installed) with its kvm modules and ours in the
# initramfs, and run tests/guest/modules.sh there. TAP lines
# "ok - modules HOST/KVERSION: ...".
# Bochs runs one CPU (Debian's kernel boots in one to two minutes there) and
# the short list of load failures; QEMU runs two CPUs, for counts_smp.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
. "$top/tests/guest-tap.sh"
host=${1:?usage: modules-suite.sh HOST KVERSION} v=${2:?}
p="modules $host/$v"

fail() { echo "not ok - $p: $1"; [ -z "${2:-}" ] || echo "# $2"; exit 1; }

tests="per_vm_memory kvm_exits_rise counts_exact reset bad_writes log_interval per_vm time_stats detail userspace_exits"
case "$host" in
qemu) cpus=2 args="$tests counts_smp" tmo=600 ;;
bochs) cpus=1 args="--short $tests" tmo=1500 ;;
*) fail "unknown host" ;;
esac

rel=$(stock_release "$v") ||
	fail "a Debian kernel of linux-source-$v's version exists" "run scripts/install-deps.sh"
[ -d "/usr/src/linux-headers-$rel" ] ||
	fail "linux-headers-$rel is installed" "run scripts/install-deps.sh"
pkgver=$(dpkg-query -W -f='${Version}' "linux-headers-$rel")

# The build the user runs (make modules), into the cache rather than build/.
mods=$KES_CACHE/modules-test/$rel
start=$(date +%s)
if err=$("$top/scripts/modules-build.sh" --krelease "$rel" --out "$mods" 2>&1 >/dev/null); then
	echo "ok - $p: modules built for $rel in $(( $(date +%s) - start ))s"
else
	fail "modules built for $rel" "$err"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
stock=$("$top/scripts/stock-kernel.sh" "$rel" "$pkgver" 2>"$tmp/err") ||
	fail "Debian's linux-image-$rel $pkgver unpacked" "$(tail -n1 "$tmp/err")"

# The initramfs: Debian's kvm modules where its kernel looks for them, ours
# in /lib/kes-modules, the swap script in /bin.
list=$tmp/initramfs.list
{
	echo "dir /lib 0755 0 0"
	echo "dir /lib/kes-modules 0755 0 0"
	for m in kvm kvm-intel kvm-amd; do
		echo "file /lib/kes-modules/$m.ko $mods/$m.ko 0644 0 0"
	done
	echo "file /bin/kvm-modules-swap $top/scripts/kvm-modules-swap.sh 0755 0 0"
	(cd "$stock/lib" && find modules -type d | LC_ALL=C sort | sed 's|.*|dir /lib/& 0755 0 0|')
	(cd "$stock/lib" && find modules -type f | LC_ALL=C sort |
		sed "s|.*|file /lib/& $stock/lib/& 0644 0 0|")
} >"$list"

# shellcheck disable=SC2086
out=$("$top/scripts/run-guest.sh" --host "$host" --kversion "$v" --cpus "$cpus" \
	--timeout "$tmo" --kernel "$stock/vmlinuz" --initrd-extra "$list" \
	--log "$KES_CACHE/logs/serial-$host-$rel-modules.log" modules $args 2>&1)
status=$?
# shellcheck disable=SC2086
echo "$out" | guest_tap "$p" "$status" \
	"Debian's $rel booted and ran the tests to the end" ${args#--short }
