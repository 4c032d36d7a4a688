#!/usr/bin/env bash
# The systemd units and what they run (systemd/): systemd-analyze verify,
# and kvmexit-read-textfile against fixture counter trees: the files it
# writes, per-VM files coming and going, and the bad cases (counters
# missing, textfile directory missing, not writable, a write that fails),
# each leaving the last good files alone. TAP lines on stdout.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib.sh
. "$top/scripts/lib.sh"
need_cmd systemd-analyze systemd
need_cmd setpriv util-linux
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - textfile: $1"; }
notok() { echo "not ok - textfile: $1"; echo "# $2"; }
check() { # check NAME DETAIL CMD...: ok if CMD succeeds
	local name=$1 detail=$2
	shift 2
	if "$@"; then ok "$name"; else notok "$name" "$detail"; fi
}

make -s -C "$top/tools/kvmexit-read" >/dev/null || die "building kvmexit-read failed"
export KVMEXIT_READ=$top/tools/kvmexit-read/build/kvmexit-read
fx=$top/tools/kvmexit-read/tests/fixtures
tf=$top/systemd/kvmexit-read-textfile

# --- systemd-analyze verify: in a root holding the system's units, ours
# where the package puts them, and the script they run.
root=$tmp/root
mkdir -p "$root/lib/systemd" "$root/usr/libexec/kvmexit-read"
cp -a /lib/systemd/system "$root/lib/systemd/"
cp "$top"/systemd/kvmexit-read-textfile.{service,timer} "$root/lib/systemd/system/"
cp "$tf" "$root/usr/libexec/kvmexit-read/"
verify() { systemd-analyze verify --man=no --root="$root" kvmexit-read-textfile.service kvmexit-read-textfile.timer 2>&1; }
out=$(verify) && st=0 || st=$?
check "systemd-analyze verify is clean" "status $st: $out" test "$st" -eq 0 -a -z "$out"
# ... and does say something about a unit with a mistake.
sed -i 's/^UMask=/UMsk=/' "$root/lib/systemd/system/kvmexit-read-textfile.service"
out=$(verify) || true
check "systemd-analyze verify reports a misspelt key" "said: $out" grep -q "Unknown key 'UMsk'" <<<"$out"
# The hardening the issue names, and the directory it may write.
svc=$top/systemd/kvmexit-read-textfile.service
for k in ProtectSystem=strict ProtectHome=yes NoNewPrivileges=yes \
	ReadWritePaths=-/var/lib/prometheus/node-exporter \
	Environment=KVMEXIT_TEXTFILE_DIR=/var/lib/prometheus/node-exporter; do
	check "the service has $k" "not in $svc" grep -qx "$k" "$svc"
done
check "the timer runs it every 15 s" "timer: $(cat "$top/systemd/kvmexit-read-textfile.timer")" \
	grep -qx OnUnitActiveSec=15s "$top/systemd/kvmexit-read-textfile.timer"

# --- the files it writes
d=$tmp/textfile
mkdir "$d"
st=0
KVMEXIT_ROOT=$fx/vmx-basic KVMEXIT_TEXTFILE_DIR=$d "$tf" 2>"$tmp/err" || st=$?
if [ $st -eq 0 ] && cmp -s "$d/kvm_exits.prom" <("$KVMEXIT_READ" --root "$fx/vmx-basic" --prometheus) &&
	[ "$(stat -c %a "$d/kvm_exits.prom")" = 644 ] && [ "$(ls -A "$d")" = kvm_exits.prom ]; then
	ok "writes kvm_exits.prom: kvmexit-read --prometheus, mode 644, nothing else"
else
	notok "writes kvm_exits.prom" "status $st, $(cat "$tmp/err"), files: $(ls -A "$d")"
fi

# Per VM (fixtures/vm: four VMs with per-VM counters, one without); the
# directory as an argument this time; a file of a VM that is gone.
cp -r "$fx/vm" "$tmp/vm"
touch "$d/kvm_exits_vm_999-1.prom"
st=0
KVMEXIT_ROOT=$tmp/vm/kvm_exits "$tf" "$d" 2>"$tmp/err" || st=$?
files() { find "$d" -mindepth 1 -printf '%f\n' | LC_ALL=C sort | tr '\n' ' '; }
if [ $st -eq 0 ] && [ "$(files)" = "kvm_exits.prom kvm_exits_vm_1234-11.prom kvm_exits_vm_4321-5.prom kvm_exits_vm_777-1.prom kvm_exits_vm_777-2.prom " ]; then
	ok "one file per VM with per-VM counters, the gone VM's removed"
else
	notok "one file per VM" "status $st, $(cat "$tmp/err"), files: $(files)"
fi
check "a VM's file is kvmexit-read --vm NAME --prometheus" "$(head -3 "$d/kvm_exits_vm_1234-11.prom")" \
	cmp -s "$d/kvm_exits_vm_1234-11.prom" <("$KVMEXIT_READ" --root "$tmp/vm/kvm_exits" --vm 1234-11 --prometheus)
# A VM going away: its file goes at the next run; so does the temporary
# file of a run that was killed.
rm -rf "$tmp/vm/kvm/4321-5"
touch -d '-2 min' "$d/.kvm_exits.prom.AbC123"
KVMEXIT_ROOT=$tmp/vm/kvm_exits "$tf" "$d" 2>"$tmp/err" || true
check "a VM that went away loses its file, a killed run's temporary file goes" "files: $(files)" \
	test ! -e "$d/kvm_exits_vm_4321-5.prom" -a ! -e "$d/.kvm_exits.prom.AbC123"

# --- bad cases: each leaves the files as they were.
state() { (cd "$d" && find . -mindepth 1 -printf '%p %s %T@\n' | LC_ALL=C sort && cat ./*) | sha256sum; }
touch -d '2020-01-01' "$d"/*
before=$(state)
same() { [ "$(state)" = "$before" ]; }
# Counters missing: the kvm modules not loaded.
mkdir "$tmp/empty"
st=0
KVMEXIT_ROOT=$tmp/empty/kvm_exits "$tf" "$d" 2>"$tmp/err" || st=$?
if [ $st -eq 3 ] && grep -q "$tmp/empty/kvm_exits" "$tmp/err" && same; then
	ok "counters missing: status 3, kvmexit-read's message, the last good files untouched"
else
	notok "counters missing" "status $st, stderr: $(cat "$tmp/err")"
fi
# A textfile directory that is missing.
st=0
KVMEXIT_ROOT=$fx/vmx-basic "$tf" "$tmp/nodir" 2>"$tmp/err" || st=$?
if [ $st -eq 1 ] && grep -qx "kvmexit-read-textfile: $tmp/nodir: no such directory (.*)" "$tmp/err" &&
	[ ! -e "$tmp/nodir" ]; then
	ok "a missing textfile directory: a clear error, nothing created"
else
	notok "a missing textfile directory" "status $st, stderr: $(cat "$tmp/err")"
fi
# Not writable (by this user: nobody).
chmod 755 "$tmp" "$d"
st=0
KVMEXIT_ROOT=$fx/vmx-basic setpriv --reuid=nobody --regid=nogroup --clear-groups \
	"$tf" "$d" 2>"$tmp/err" || st=$?
if [ $st -eq 1 ] && grep -qx "kvmexit-read-textfile: $d: not writable (.*)" "$tmp/err" && same; then
	ok "a textfile directory not writable: a clear error, the files untouched"
else
	notok "a textfile directory not writable" "status $st, stderr: $(cat "$tmp/err")"
fi
# A write that fails half-way (file size limit; SIGXFSZ ignored, as a
# full disk does not kill): no partial file, no temporary file left.
st=0
(trap '' XFSZ && ulimit -f 2 && KVMEXIT_ROOT=$fx/vmx-basic "$tf" "$d") 2>"$tmp/err" || st=$?
if [ $st -eq 1 ] && grep -q "kvm_exits.prom" "$tmp/err" && same; then
	ok "a failed write: status 1, no partial or temporary file, the old file whole"
else
	notok "a failed write" "status $st, stderr: $(cat "$tmp/err"), files: $(files)"
fi
