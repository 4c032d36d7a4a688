#!/usr/bin/env bash
# Error paths of the build and boot scripts: each must fail with one line
# naming what failed (and the log to read), and leave nothing half-made in
# the cache. TAP lines on stdout.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - scripts: $1"; }
notok() { echo "not ok - scripts: $1"; echo "# $2"; }

# expect NAME STATUS-MUST-BE-NONZERO REGEX CMD...: runs CMD, checks stderr.
expect_fail() {
	local name=$1 re=$2 status
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ $status -ne 0 ] && grep -Eq "$re" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -le 3 ]; then
		ok "$name"
	else
		notok "$name" "status $status, stderr: $(head -c 300 "$tmp/err")"
	fi
}

expect_fail "unknown KVERSION is refused by kernel-build.sh" \
	"^error: unknown KVERSION '7.0' \(supported: 6.12 6.1\)$" \
	"$top/scripts/kernel-build.sh" 7.0
expect_fail "unknown KVERSION is refused by make" \
	"unknown KVERSION '5.10'" make -s -C "$top" KVERSION=5.10 kernel
expect_fail "unknown host is refused by run-guest.sh" \
	"unknown host 'vmware'" "$top/scripts/run-guest.sh" --host vmware suite
expect_fail "an unknown config flavor is refused by kernel-build.sh" \
	"^error: no config flavor tests/kernel/nosuch/ \(KES_KCONFIG_FLAVOR=nosuch\)$" \
	env KES_KCONFIG_FLAVOR=nosuch "$top/scripts/kernel-build.sh" 6.12
expect_fail "an unknown flavor is refused by debug-suite.sh" \
	"no flavor tests/kernel/nosuch" "$top/tests/debug-suite.sh" nosuch
expect_fail "a soak of no number of seconds is refused by debug-suite.sh" \
	"SOAK_SECONDS and UNLOAD_CYCLES are numbers" "$top/tests/debug-suite.sh" debug 1m
expect_fail "an unknown series is refused by hang-repro.sh" \
	"^error: unknown series 'foo' \(default or none\)$" "$top/scripts/hang-repro.sh" --series foo
expect_fail "unknown host is refused by profile.sh" \
	"unknown host 'vmware'" "$top/scripts/profile.sh" --host vmware
expect_fail "a recording interval of 0 is refused by profile.sh" \
	"bad --interval '0' \(seconds, 0.01 to 86400\)" "$top/scripts/profile.sh" --interval 0
expect_fail "an unknown guest mode is refused by profile.sh" \
	"unknown --guest 'loud'" "$top/scripts/profile.sh" --guest loud

# A PATH with the basics but no emulator.
mkdir -p "$tmp/bin"
for c in dirname cat; do ln -s "$(command -v $c)" "$tmp/bin/$c"; done
expect_fail "missing qemu-system-x86_64 names the package" \
	"'qemu-system-x86_64' not found: install package 'qemu-system-x86'" \
	env PATH="$tmp/bin" /bin/bash "$top/scripts/boot-qemu.sh" k i c "$tmp/log"
expect_fail "missing bochs names the package" \
	"'bochs' not found: install package 'bochs'" \
	env PATH="$tmp/bin" /bin/bash "$top/scripts/boot-bochs.sh" k i c "$tmp/log"

# A series that does not apply: error names the patch and the log, and no
# tree (nor a temporary one) is left for a later run to mistake for good.
mkdir -p "$tmp/series/6.12"
cat >"$tmp/series/6.12/0001-bad.patch" <<'PATCH'
--- a/Makefile
+++ b/Makefile
@@ -1,3 +1,3 @@
-this line is not in the kernel's Makefile
+nor is this one
 at all
PATCH
hash=$(KES_PATCH_DIR="$tmp/series" series_hash 6.12)
expect_fail "a patch that does not apply is named, with its log" \
	"^error: patch 0001-bad.patch does not apply to linux-source-6.12 .* \(see .*/logs/tree-6.12.log\)$" \
	env KES_PATCH_DIR="$tmp/series" "$top/scripts/kernel-tree.sh" 6.12
left=$(find "$KES_CACHE/src" -maxdepth 1 \( -name "*-$hash" -o -name ".patch-*" \) 2>/dev/null)
if [ -z "$left" ]; then
	ok "a failed patch leaves no tree in the cache"
else
	notok "a failed patch leaves no tree in the cache" "left: $left"
fi

# A boot that does not finish in time fails and names the serial log.
# (An initramfs of junk: the kernel finds no init and never powers off.)
kernel=$("$top/scripts/kernel-build.sh" 6.12 2>/dev/null)
head -c 4096 /dev/zero >"$tmp/junk-initrd"
expect_fail "a boot past its time limit fails and names the serial log" \
	"QEMU guest did not power off within 2s \(see $tmp/serial.log\)" \
	"$top/scripts/boot-qemu.sh" "$kernel" "$tmp/junk-initrd" panic=0 "$tmp/serial.log" 1 2
