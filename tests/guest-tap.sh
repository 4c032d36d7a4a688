# shellcheck shell=bash
# guest_tap PREFIX STATUS WHAT [TEST...] < OUTPUT
# Turn what a guest run printed (kes-tests' numbered TAP) into the runner's
# TAP lines "ok - PREFIX: test", keeping diagnostics. A run that failed
# without a "not ok" fails as WHAT; each TEST named must have reported.
# Returns non-zero if anything failed.
guest_tap() {
	local prefix=$1 status=$2 what=$3 out t rc=0
	shift 3
	out=$(cat)
	echo "$out" | sed -n -e "s|^\(not \)\{0,1\}ok [0-9]* - |&$prefix: |p" \
		-e '/^# /p' -e '/^\[kes\]/p' -e '/^error:/p' |
		sed -e 's|^\(\(not \)\{0,1\}ok\) [0-9]* - |\1 - |'
	[ "$status" -eq 0 ] || rc=1
	# Here-strings, not "echo | grep -q": grep -q quits at the first match
	# and, with pipefail, echo's SIGPIPE on a long output would count as
	# no match.
	if [ "$status" -ne 0 ] && ! grep -q '^not ok ' <<<"$out"; then
		echo "not ok - $prefix: $what"
	fi
	for t in "$@"; do
		grep -Eq "^(not )?ok [0-9]+ - $t\$" <<<"$out" || {
			echo "not ok - $prefix: $t reported"
			rc=1
		}
	done
	return $rc
}
