#!/usr/bin/env bash
# profile-suite.sh HOST KVERSION
# A real guest's boot (make profile) on one emulated host, checked against
# the kernel's own kvm:kvm_exit tracepoint and KVM's per-VM exits statistic
# (tests/check_profile.py): TAP lines "ok - HOST/KVERSION profile: ...".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
host=${1:?usage: profile-suite.sh HOST KVERSION} v=${2:?}
dir=$KES_CACHE/profile-check/$host-$v
p="$host/$v profile: "

out=$("$top/scripts/profile.sh" --host "$host" --kversion "$v" --out "$dir" 2>&1)
status=$?
if [ $status -eq 0 ]; then
	echo "ok - ${p}make profile ran to the end"
else
	echo "not ok - ${p}make profile ran to the end (status $status)"
	echo "$out" | tail -n 20 | sed 's/^/# /'
fi
python3 "$top/tests/check_profile.py" "$dir" "$p" || status=1
if [ -s "$dir/profile.svg" ] && grep -q '</svg>' "$dir/profile.svg"; then
	echo "ok - ${p}gnuplot drew the timeline"
else
	echo "not ok - ${p}gnuplot drew the timeline"
	status=1
fi

# The oracle must see a single exit counted under the wrong reason.
tmp=$(mktemp -d)
cp -r "$dir"/. "$tmp"/
awk '$1 ~ /^0x/ && $3 > 0 && !moved { $3--; moved = 1 } $1 == "-" { $3++ } 1' \
	"$dir/after" >"$tmp/after"
moved=$(python3 "$top/tests/check_profile.py" "$tmp" "")
if echo "$moved" | grep -q '^not ok - by_reason equals' && echo "$moved" | grep -q '^# code -: ours'; then
	echo "ok - ${p}the oracle check catches one exit moved to another reason"
else
	echo "not ok - ${p}the oracle check catches one exit moved to another reason"
	status=1
fi
rm -rf "$tmp"
exit $status
