#!/usr/bin/env bash
# dkms.sh install [KRELEASE] | remove
# Register the kvm-exit-stats modules with DKMS (Debian's dkms package) so
# that they are rebuilt for every new kernel whose matching source is
# installed, and build + install them for KRELEASE (default: uname -r) into
# /lib/modules/KRELEASE/updates/dkms, which modprobe prefers to the
# distribution's kernel/ directory. remove: unregister, delete every build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_cmd dkms dkms
[ "$(id -u)" -eq 0 ] || die "dkms.sh must run as root"
name=kvm-exit-stats
ver=$(cat "$KES_TOP/VERSION" 2>/dev/null || true)
[ -n "$ver" ] || die "no version in $KES_TOP/VERSION"
src=/usr/src/$name-$ver
# kvm.ko carries no MODULE_VERSION, like the kernel's own: DKMS would take
# both for "the same version" and refuse to install. This file (DKMS' own
# mechanism) skips that comparison for this package, on upgrades too.
force=/usr/share/dkms/modules_to_force_install/$name
mkdir -p "$KES_CACHE/logs"
log=$KES_CACHE/logs/dkms.log

registered() { [ -n "$(dkms status -m "$name" -v "$ver" 2>/dev/null)" ]; }

case "${1:-}" in
install)
	rel=${2:-$(uname -r)}
	: >"$log"
	if registered; then
		dkms remove -m "$name" -v "$ver" --all >>"$log" 2>&1 ||
			die "dkms remove of the previous $name $ver failed" "$log"
	fi
	# DKMS builds from a copy in /usr/src: what modules-build.sh needs.
	rm -rf "$src"
	mkdir -p "$src/scripts"
	sed "s/#MODULE_VERSION#/$ver/" "$KES_TOP/dkms.conf" >"$src/dkms.conf"
	cp "$KES_TOP/scripts/lib.sh" "$KES_TOP/scripts/modules-build.sh" \
		"$KES_TOP/scripts/kvm-modules-swap.sh" "$src/scripts/"
	cp -r "$KES_TOP/modules" "$KES_TOP/kernel-patch" "$src/"
	mkdir -p "$(dirname "$force")"
	echo "${name}_version-override" >"$force"
	dkms add -m "$name" -v "$ver" >>"$log" 2>&1 || die "dkms add $name/$ver failed" "$log"
	note "dkms: building $name $ver for $rel"
	dkms install -m "$name" -v "$ver" -k "$rel" >>"$log" 2>&1 ||
		die "dkms install for $rel failed (and /var/lib/dkms/$name/$ver/build/make.log)" "$log"
	note "installed in /lib/modules/$rel/updates/dkms: modprobe loads them from the next boot;" \
		"now: sudo scripts/kvm-modules-swap.sh load /lib/modules/$rel/updates/dkms"
	;;
remove)
	if registered; then
		dkms remove -m "$name" -v "$ver" --all >"$log" 2>&1 || die "dkms remove $name/$ver failed" "$log"
	fi
	rm -rf "$src" "$force"
	note "removed $name $ver from DKMS: the distribution's kvm modules load from the next boot" \
		"(now: sudo scripts/kvm-modules-swap.sh restore)"
	;;
*)
	die "usage: dkms.sh install [KRELEASE] | remove"
	;;
esac
