#!/usr/bin/env bash
# What scripts/modules-build.sh must refuse, each with one error line and
# nothing built: missing headers, a KDIR that is no headers tree, a kernel
# with kvm built in, a linux-source of another Debian version (or none), a
# KSRC of another upstream version, and a KSRC of the right version whose
# headers differ from the kernel's. Uses the installed headers of Debian's
# 6.12 kernel (scripts/install-deps.sh) and a cache of its own. TAP lines.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export KES_CACHE=$tmp/cache

ok() { echo "ok - modules refusals: $1"; }
notok() { echo "not ok - modules refusals: $1"; echo "# $2"; }

rel=$(stock_release 6.12) && [ -d "/usr/src/linux-headers-$rel" ] || {
	notok "Debian's 6.12 headers are installed" "run scripts/install-deps.sh"
	exit 1
}
rel_re=$(printf '%s' "$rel" | sed 's/[.+]/\\&/g')
hdeb=$(dpkg-query -W -f='${Version}' "linux-headers-$rel")
hsrc=$(sed -n 's|^include \(/.*\)/Makefile$|\1|p' "/usr/src/linux-headers-$rel/Makefile")

# expect NAME REGEX ARGS...: modules-build.sh ARGS fails with one error
# line matching REGEX, and builds nothing (no module tree, no output).
expect() {
	local name=$1 re=$2 status
	shift 2
	env "${envs[@]}" "$top/scripts/modules-build.sh" --out "$tmp/out" "$@" \
		>"$tmp/stdout" 2>"$tmp/err"
	status=$?
	if [ $status -ne 0 ] && grep -Eq "$re" "$tmp/err" && [ "$(grep -c . "$tmp/err")" -eq 1 ] &&
		[ ! -e "$tmp/out" ] && [ -z "$(find "$KES_CACHE" -path '*/modules/*' 2>/dev/null)" ]; then
		ok "$name"
	else
		notok "$name" "status $status, stderr: $(head -c 400 "$tmp/err")"
	fi
}
envs=()

expect "missing headers name the package to install" \
	"^error: no kernel headers for 0\.0\.0-kes-none in /lib/modules/0\.0\.0-kes-none/build or /usr/src/linux-headers-0\.0\.0-kes-none: install linux-headers-0\.0\.0-kes-none \(or give KDIR=\)$" \
	--krelease 0.0.0-kes-none
mkdir -p "$tmp/empty"
expect "a KDIR that is no headers tree" \
	"^error: KDIR=$tmp/empty is not a kernel headers/build tree" --kdir "$tmp/empty"

# Headers of a kernel with kvm built in (a copy with CONFIG_KVM=y).
cp -a "/usr/src/linux-headers-$rel" "$tmp/kvm-y"
sed -i 's/^CONFIG_KVM=m$/CONFIG_KVM=y/' "$tmp/kvm-y/.config"
expect "a kernel with kvm built in" "^error: $rel_re has CONFIG_KVM not =m" --kdir "$tmp/kvm-y"

# linux-source-6.12 of another Debian version, or missing (dpkg-query stub).
mkdir -p "$tmp/bin"
cat >"$tmp/bin/dpkg-query" <<STUB
#!/bin/sh
case "\$*" in
*linux-source-6.12*) [ -n "\$KES_FAKE_SRC" ] && echo "ii  \$KES_FAKE_SRC"; exit 0 ;;
esac
exec /usr/bin/dpkg-query "\$@"
STUB
chmod +x "$tmp/bin/dpkg-query"
envs=(PATH="$tmp/bin:$PATH" KES_FAKE_SRC=6.12.117-1~kes0)
expect "linux-source of another Debian version" \
	"^error: linux-source-6\.12 is 6\.12\.117-1~kes0 but the headers of $rel_re are ${hdeb//./\\.}: mismatched source, nothing built" \
	--krelease "$rel"
envs=(PATH="$tmp/bin:$PATH" KES_FAKE_SRC=)
expect "linux-source not installed" \
	"^error: linux-source-6\.12 is not installed: apt-get install linux-source-6\.12=$hdeb \(or give KSRC=\)$" \
	--krelease "$rel"
envs=()

# KSRC trees: another upstream version; the right version, one header changed.
fake_tree() {
	mkdir -p "$1/arch/x86/kvm" "$1/virt/kvm"
	printf 'VERSION = %s\nPATCHLEVEL = %s\nSUBLEVEL = %s\n' "${2%%.*}" \
		"$(echo "$2" | cut -d. -f2)" "${2##*.}" >"$1/Makefile"
}
fake_tree "$tmp/old" 6.12.116
expect "a KSRC of another upstream version" \
	"^error: KSRC $tmp/old is Linux 6\.12\.116 but the headers of $rel_re are 6\.12\.117: mismatched source, nothing built$" \
	--krelease "$rel" --ksrc "$tmp/old"
fake_tree "$tmp/patched" "$(sed -n 's/^#define LINUX_VERSION_\(MAJOR\|PATCHLEVEL\|SUBLEVEL\) //p' \
	"/usr/src/linux-headers-$rel/include/generated/uapi/linux/version.h" | paste -sd.)"
mkdir -p "$tmp/patched/arch/x86"
cp -al "$hsrc/include" "$tmp/patched/" 2>/dev/null || cp -r "$hsrc/include" "$tmp/patched/"
cp -al "$hsrc/arch/x86/include" "$tmp/patched/arch/x86/" 2>/dev/null ||
	cp -r "$hsrc/arch/x86/include" "$tmp/patched/arch/x86/"
f=$tmp/patched/include/linux/kvm_host.h
cp "$f" "$tmp/h" && rm -f "$f" && { cat "$tmp/h"; echo "/* changed */"; } >"$f"
expect "a KSRC whose headers differ from the kernel's" \
	"^error: KSRC $tmp/patched differs from the headers of $rel_re \(include/linux/kvm_host\.h differs, 1 file\(s\) in all\): mismatched source, nothing built \(see .*/logs/modules-$rel_re\.log\)$" \
	--krelease "$rel" --ksrc "$tmp/patched"

# The swap script is POSIX sh: it must parse under dash and busybox (the
# emulated hosts run it there), and say how to use it when misused.
if dash -n "$top/scripts/kvm-modules-swap.sh" && busybox sh -n "$top/scripts/kvm-modules-swap.sh"; then
	ok "kvm-modules-swap.sh parses under dash and busybox sh"
else
	notok "kvm-modules-swap.sh parses under dash and busybox sh" "see the shells' messages above"
fi
err=$(dash "$top/scripts/kvm-modules-swap.sh" frobnicate 2>&1)
if [ $? -ne 0 ] && [ "$err" = "error: usage: kvm-modules-swap.sh load DIR | restore | status" ]; then
	ok "kvm-modules-swap.sh refuses an unknown command with its usage"
else
	notok "kvm-modules-swap.sh refuses an unknown command with its usage" "$err"
fi
