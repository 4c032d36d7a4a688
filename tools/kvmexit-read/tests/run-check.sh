#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# "make check": runs every suite and merges their TAP into one stream,
# numbered anew, with the plan and a summary at the end. A suite that
# crashes, exits non-zero without a failed test, or runs a different number
# of tests than it planned adds a "not ok" line. A test a suite skipped
# ("ok N - ... # SKIP reason") stays so, counted apart: never as passed.
# Exits non-zero if any test failed. Environment: OUT (build directory),
# CHECK_FUZZ_SECONDS.
OUT=${OUT:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp /tmp/kvmexit-check.XXXXXX)
trap 'rm -f "$TMP"' EXIT
n=0
failed=0
skipped=0

emit() { # emit ok|not-ok|skip DESCRIPTION
	n=$((n + 1))
	if [ "$1" = skip ]; then
		echo "ok $n - $2"
		skipped=$((skipped + 1))
	elif [ "$1" = ok ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

suite() { # suite NAME CMD...
	name=$1
	shift
	echo "# --- $name: $*"
	"$@" >"$TMP" 2>&1
	rc=$?
	ran=0
	sfail=0
	plan=
	while IFS= read -r line; do
		case $line in
		"ok "*" # SKIP"*)
			ran=$((ran + 1))
			emit skip "$name: $(echo "$line" | sed 's/^ok [0-9]* *-* *//')"
			;;
		"ok "*)
			ran=$((ran + 1))
			emit ok "$name: $(echo "$line" | sed 's/^ok [0-9]* *-* *//')"
			;;
		"not ok "*)
			ran=$((ran + 1))
			sfail=$((sfail + 1))
			emit not-ok "$name: $(echo "$line" | sed 's/^not ok [0-9]* *-* *//')"
			;;
		1..*) plan=${line#1..} ;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done <"$TMP"
	if [ -n "$plan" ] && [ "$plan" != "$ran" ]; then
		emit not-ok "$name: planned $plan tests but ran $ran"
	elif [ $rc -ne 0 ] && [ $sfail -eq 0 ]; then
		emit not-ok "$name: exited with status $rc without a failed test"
	elif [ $ran -eq 0 ]; then
		emit not-ok "$name: ran no tests"
	fi
}

suite unit "$OUT/unit"
suite unit-asan "$OUT/unit-asan"
suite cli sh "$HERE/cli.sh" "$OUT/kvmexit-read"
suite cli-asan sh "$HERE/cli.sh" "$OUT/kvmexit-read-asan"
suite install sh "$HERE/install.sh" "$OUT"
suite msr-names sh "$HERE/msr-names.sh"
suite fuzz sh "$HERE/fuzz.sh" "$OUT" "${CHECK_FUZZ_SECONDS:-25}"

echo "1..$n"
echo "# kvmexit-read check: $((n - failed - skipped)) passed, $failed failed, $skipped skipped, $n total"
[ $failed -eq 0 ]
