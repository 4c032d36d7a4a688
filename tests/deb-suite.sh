#!/usr/bin/env bash
# The Debian packages: make deb (debhelper, dh-dkms), lintian, and an
# install on this host (a debootstrap chroot would need the compiler,
# headers and linux-source inside it too: far over the time): files where
# Debian puts them, DKMS builds the modules for the installed Debian
# headers (postinst), man kvmexit-read, systemd-analyze verify of the
# installed units, and apt-get remove leaves nothing behind. Refuses to
# touch a host where the packages, or make dkms-install's module, are
# installed already. TAP lines on stdout.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib.sh
. "$top/scripts/lib.sh"
need_cmd apt-get apt
need_cmd dkms dkms
need_cmd man man-db
[ "$(id -u)" -eq 0 ] || die "deb-suite.sh installs packages: run as root"
tmp=$(mktemp -d)
installed=0
cleanup() {
	if [ $installed = 1 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get purge -y kvmexit-read kvm-exit-stats-dkms >>"$tmp/apt.log" 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { echo "ok - deb: $1"; }
notok() { echo "not ok - deb: $1"; echo "# $2"; }
fail() { notok "$1" "$2"; exit 1; }

ver=$(cat "$top/VERSION")
out=$top/build/deb
tool_deb=$out/kvmexit-read_${ver}_amd64.deb
dkms_deb=$out/kvm-exit-stats-dkms_${ver}_all.deb

# --- build and lintian
"$top/scripts/deb-build.sh" >"$tmp/build.out" 2>&1 ||
	fail "make deb builds both packages" "$(tail -n 5 "$tmp/build.out")"
if [ "$(grep -c '\.deb$' "$tmp/build.out")" != 2 ] || [ ! -f "$tool_deb" ] || [ ! -f "$dkms_deb" ]; then
	fail "make deb builds both packages" "$(cat "$tmp/build.out")"
fi
ok "make deb builds kvmexit-read_${ver}_amd64.deb and kvm-exit-stats-dkms_${ver}_all.deb"
v1=$(dpkg-deb -f "$tool_deb" Version) v2=$(dpkg-deb -f "$dkms_deb" Version)
conf=$(dpkg-deb --fsys-tarfile "$dkms_deb" | tar -xOf - "./usr/src/kvm-exit-stats-$ver/dkms.conf" | sed -n 's/^PACKAGE_VERSION=//p')
if [ "$v1" = "$ver" ] && [ "$v2" = "$ver" ] && [ "$conf" = "\"$ver\"" ]; then
	ok "both packages and the DKMS module are version $ver, from VERSION"
else
	notok "versions from VERSION" "VERSION $ver, packages $v1 and $v2, dkms.conf $conf"
fi
if grep -E '^[EW]: ' "$out/lintian.log"; then
	notok "lintian: no errors, no warnings" "$(grep -E '^[EW]: ' "$out/lintian.log" | head -5)"
else
	ok "lintian: no errors, no warnings"
fi
if git -C "$top" check-ignore -q "$tool_deb" && [ -z "$(git -C "$top" ls-files '*.deb' 'build/*')" ]; then
	ok "the packages are build outputs: build/ is git-ignored, no .deb tracked"
else
	notok "packages never committed" "check-ignore or ls-files: $(git -C "$top" ls-files '*.deb' 'build/*' | head -3)"
fi

# --- install on this host
for p in kvmexit-read kvm-exit-stats-dkms; do
	! dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^[ih]' ||
		fail "install test" "$p is installed on this host already: not touching it (apt-get remove $p first)"
done
[ -z "$(ls -d /usr/src/kvm-exit-stats-* /var/lib/dkms/kvm-exit-stats 2>/dev/null)" ] ||
	fail "install test" "kvm-exit-stats is registered with DKMS already (make dkms-install?): run make dkms-remove first"
# What may change: everything the packages or their scripts may write,
# less what is not theirs: depmod's indexes of a kernel (dkms runs depmod;
# they exist wherever that kernel's image is installed) and DKMS' own
# signing key, made at its first build of any module.
snap() {
	find /etc /usr /lib/modules /lib/systemd /var/lib/dkms /var/lib/systemd -xdev 2>/dev/null |
		grep -Ev '^(/usr)?/lib/modules/[^/]+/modules\.[a-z.]+$|^/var/lib/dkms/mok\.(key|pub)$' | LC_ALL=C sort
}
snap >"$tmp/before"
# The modules tests' releases: Debian's kernels whose headers are installed.
rels=()
for v in $KES_VERSIONS; do
	r=$(stock_release "$v") && [ -d "/usr/src/linux-headers-$r" ] && rels+=("$r")
done
[ ${#rels[@]} -gt 0 ] || fail "install test" "no Debian kernel headers installed (scripts/install-deps.sh installs them)"
installed=1
# A cache kept across runs: the first builds the modules (a few minutes on
# 2 cores), later ones find them built.
start=$SECONDS
KES_CACHE=$KES_CACHE/deb-test DEBIAN_FRONTEND=noninteractive \
	apt-get install -y --no-install-recommends "$tool_deb" "$dkms_deb" >"$tmp/apt.log" 2>&1 ||
	fail "apt-get install of both packages" "$(tail -n 15 "$tmp/apt.log")"
ok "apt-get install of both packages ($((SECONDS - start)) s, DKMS builds included)"
dpkg -L kvmexit-read kvm-exit-stats-dkms | LC_ALL=C sort -u >"$tmp/files"

missing=
for f in /usr/bin/kvmexit-read /usr/share/man/man1/kvmexit-read.1.gz \
	/lib/systemd/system/kvmexit-read-textfile.service /lib/systemd/system/kvmexit-read-textfile.timer \
	/usr/libexec/kvmexit-read/kvmexit-read-textfile /usr/share/kvmexit-read/kvm-exits.rules.yml \
	/usr/share/doc/kvmexit-read/copyright /usr/share/doc/kvm-exit-stats-dkms/copyright \
	"/usr/src/kvm-exit-stats-$ver/dkms.conf" "/usr/src/kvm-exit-stats-$ver/scripts/modules-build.sh" \
	"/usr/src/kvm-exit-stats-$ver/modules/Kbuild" /usr/share/dkms/modules_to_force_install/kvm-exit-stats; do
	if [ ! -e "$f" ] || ! grep -qx "$f" "$tmp/files"; then missing="$missing $f"; fi
done
for v in $KES_VERSIONS; do
	[ -n "$(find "/usr/src/kvm-exit-stats-$ver/kernel-patch/$v" -name '*.patch')" ] || missing="$missing kernel-patch/$v/*.patch"
done
if [ -z "$missing" ]; then ok "the files are where Debian puts them"; else notok "files in place" "missing:$missing"; fi
got=$(/usr/bin/kvmexit-read --version)
case "$got" in
"kvmexit-read $ver (snapshot formats 1 "*", JSON format "[0-9]*")") version_ok=1 ;;
*) version_ok=0 ;;
esac
if [ $version_ok = 1 ]; then
	ok "/usr/bin/kvmexit-read --version says $ver"
else
	notok "kvmexit-read --version" "$got"
fi

for r in "${rels[@]}"; do
	# (dkms passes on readelf's warnings about Debian's modules: not ours.)
	st=$(dkms status -m kvm-exit-stats -v "$ver" -k "$r" 2>/dev/null)
	# DKMS compresses them as the kernel's own are (6.12: kvm.ko.xz).
	ko=$(find "/lib/modules/$r/updates/dkms" -name 'kvm.ko*' 2>/dev/null | head -n1)
	if [[ $st == "kvm-exit-stats/$ver, $r, x86_64: installed"* ]] && [ -n "$ko" ] &&
		modinfo -F parm "$ko" | grep -q '^exit_log_interval:'; then
		ok "dkms status: installed for $r, whose headers are installed; its kvm.ko has the series"
	else
		notok "dkms status for $r" "dkms status: $st; $(ls "/lib/modules/$r/updates/dkms" 2>&1)"
	fi
done

page=$(MANPAGER=cat MANWIDTH=80 man kvmexit-read 2>&1 || true)
if grep -q '^NAME' <<<"$page" && grep -q "kvmexit-read $ver" <<<"$page"; then
	ok "man kvmexit-read shows the page, version $ver"
else
	notok "man kvmexit-read" "$(head -c 300 <<<"$page")"
fi
out_v=$(systemd-analyze verify kvmexit-read-textfile.service kvmexit-read-textfile.timer 2>&1) && st=0 || st=$?
if [ "$st" -eq 0 ] && [ -z "$out_v" ]; then
	ok "systemd-analyze verify of the installed units is clean (man:kvmexit-read(1) found)"
else
	notok "systemd-analyze verify of the installed units" "status $st: $out_v"
fi

# --- remove
DEBIAN_FRONTEND=noninteractive apt-get remove -y kvmexit-read kvm-exit-stats-dkms >>"$tmp/apt.log" 2>&1 ||
	fail "apt-get remove" "$(tail -n 15 "$tmp/apt.log")"
installed=0
snap >"$tmp/after"
# dpkg keeps a removed package's postrm until it is purged, and with it
# deb-systemd-helper's record of whether the timer was enabled (restored
# if it is installed again), as for every package with a systemd unit:
# the only thing remove may leave, and purge must not.
rc=/var/lib/systemd/deb-systemd-helper-enabled/kvmexit-read-textfile.timer.dsh-also
left=$(comm -13 "$tmp/before" "$tmp/after" | grep -vx "$rc" || true)
gone=$(comm -23 "$tmp/before" "$tmp/after")
if [ -z "$left" ] && [ -z "$gone" ] && [ -z "$(ls -d /var/lib/dkms/kvm-exit-stats /usr/src/kvm-exit-stats-* 2>/dev/null)" ]; then
	ok "apt-get remove leaves nothing behind (modules, DKMS tree, files) but dpkg's record until purge"
else
	notok "apt-get remove leaves nothing behind" "left: $(head -n 10 <<<"$left" | tr '\n' ' '); gone: $(head -n 10 <<<"$gone" | tr '\n' ' ')"
fi
DEBIAN_FRONTEND=noninteractive apt-get purge -y kvmexit-read kvm-exit-stats-dkms >>"$tmp/apt.log" 2>&1 ||
	fail "apt-get purge" "$(tail -n 15 "$tmp/apt.log")"
snap >"$tmp/after"
left=$(comm -13 "$tmp/before" "$tmp/after")
st=$(dpkg-query -W -f='${db:Status-Abbrev}' kvmexit-read 2>/dev/null || true)
if [ -z "$left" ] && [[ $st != r* ]]; then
	ok "apt-get purge leaves not even that"
else
	notok "apt-get purge" "status '$st', left: $(head -n 10 <<<"$left" | tr '\n' ' ')"
fi
