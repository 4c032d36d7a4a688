#!/usr/bin/env bash
# deb-build.sh: build the Debian packages (make deb) into build/deb/:
# kvmexit-read_<version>_amd64.deb and kvm-exit-stats-dkms_<version>_all.deb,
# with debhelper from a copy of the sources (so that debhelper's work files
# never land in the clone), then run lintian on them. The version is the
# top-level VERSION file's: debian/changelog is written from it here.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_cmd dpkg-buildpackage dpkg-dev
need_cmd dh debhelper
need_cmd dh_dkms dh-dkms
need_cmd lintian lintian
ver=$(cat "$KES_TOP/VERSION" 2>/dev/null || true)
[[ $ver =~ ^[0-9][0-9A-Za-z.+~]*$ ]] || die "$KES_TOP/VERSION: '$ver' is not a version"

out=$KES_TOP/build/deb
src=$out/kvm-exit-stats-$ver
log=$out/build.log
rm -rf "$out"
mkdir -p "$src/scripts"
cp -r "$KES_TOP"/{VERSION,debian,systemd,prometheus,dkms.conf,modules,kernel-patch} "$src/"
cp "$KES_TOP"/scripts/{lib.sh,modules-build.sh,kvm-modules-swap.sh} "$src/scripts/"
mkdir -p "$src/tools"
# The tool without its build directory.
tar -C "$KES_TOP/tools" --exclude=kvmexit-read/build -cf - kvmexit-read | tar -C "$src/tools" -xf -

# The changelog's date is the last commit's: the same sources give the
# same packages.
when=$(git -C "$KES_TOP" log -1 --format=%cD 2>/dev/null || date -R)
cat >"$src/debian/changelog" <<CHANGELOG
kvm-exit-stats ($ver) unstable; urgency=medium

  * Release $ver: kvmexit-read and the kvm-exit-stats series (DKMS).

 -- $(sed -n 's/^Maintainer: //p' "$src/debian/control")  $when
CHANGELOG

note "building kvmexit-read and kvm-exit-stats-dkms $ver (log: $log)"
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$log" 2>&1 ||
	die "dpkg-buildpackage failed" "$log"
debs=("$out/kvmexit-read_${ver}_amd64.deb" "$out/kvm-exit-stats-dkms_${ver}_all.deb")
for d in "${debs[@]}"; do
	[ -f "$d" ] || die "the build made no $(basename "$d")" "$log"
done

# Errors and warnings fail the build; kept ones are overridden in debian/
# with the reason.
lintian --fail-on error,warning --display-info "$out"/kvm-exit-stats_"${ver}"_amd64.changes \
	>"$out/lintian.log" 2>&1 || {
	cat "$out/lintian.log" >&2
	die "lintian found problems" "$out/lintian.log"
}
cat "$out/lintian.log" >&2
printf '%s\n' "${debs[@]}"
