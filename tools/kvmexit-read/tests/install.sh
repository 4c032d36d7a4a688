#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make install into a DESTDIR, the man page, and the static build. TAP.
# Usage: install.sh OUT  (run from tools/kvmexit-read)
OUT=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
V=$(cat "$HERE/../../../VERSION")
T=$(mktemp -d /tmp/kvmexit-install.XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0
failed=0
good=1
bad() { echo "#   $*"; good=0; }
tap() {
	n=$((n + 1))
	if [ $good = 1 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=$((failed + 1)); fi
	good=1
}

make -s -C "$HERE/.." OUT="$OUT" install DESTDIR="$T/root" PREFIX=/opt/kx >"$T/log" 2>&1 ||
	bad "make install failed: $(cat "$T/log")"
[ -x "$T/root/opt/kx/bin/kvmexit-read" ] || bad "no bin/kvmexit-read"
[ -f "$T/root/opt/kx/share/man/man1/kvmexit-read.1" ] || bad "no man page"
[ "$(stat -c %a "$T/root/opt/kx/share/man/man1/kvmexit-read.1" 2>/dev/null)" = 644 ] || bad "man page mode"
[ "$("$T/root/opt/kx/bin/kvmexit-read" --version)" = "kvmexit-read $V (snapshot formats 1 to 4, JSON format 1)" ] ||
	bad "installed binary does not run"
grep -qx ".TH KVMEXIT-READ 1 [0-9-]* \"kvmexit-read $V\" \"User Commands\"" "$T/root/opt/kx/share/man/man1/kvmexit-read.1" ||
	bad "installed man page does not say version $V"
[ "$(cd "$T/root" && find . -type f | sort | tr '\n' ' ')" = "./opt/kx/bin/kvmexit-read ./opt/kx/share/man/man1/kvmexit-read.1 " ] ||
	bad "installed files: $(cd "$T/root" && find . -type f)"
tap "make install PREFIX=/opt/kx DESTDIR=...: binary and man page"

if command -v groff >/dev/null; then
	w=$(groff -man -Tutf8 -ww -z "$HERE/../kvmexit-read.1" 2>&1)
	[ -z "$w" ] || bad "groff warnings: $w"
	groff -man -Tascii -P-bcu "$HERE/../kvmexit-read.1" 2>/dev/null | grep -q "^EXIT STATUS" || bad "no EXIT STATUS section"
else
	grep -q '^\.SH "\{0,1\}EXIT STATUS' "$HERE/../kvmexit-read.1" || bad "no EXIT STATUS section"
fi
tap "man page renders without warnings"

make -s -C "$HERE/.." OUT="$OUT" static >"$T/log" 2>&1 || bad "make static failed: $(cat "$T/log")"
st=$HERE/../$OUT/kvmexit-read.static
case $OUT in /*) st=$OUT/kvmexit-read.static ;; esac
if [ -x "$st" ]; then
	ldd "$st" >"$T/ldd" 2>&1
	grep -q "not a dynamic executable\|statically linked" "$T/ldd" || bad "not static: $(cat "$T/ldd")"
	"$st" --root "$HERE/fixtures/vmx-basic" | tail -1 | grep -q "total *2,269 *100.00%" || bad "static binary output"
else
	bad "no $st"
fi
tap "make static: a statically linked binary that works"

echo "1..$n"
[ $failed = 0 ]
