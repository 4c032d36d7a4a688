#!/usr/bin/env bash
# prometheus/kvm-exits.rules.yml: promtool check rules, and promtool test
# rules with tests/prometheus/kvm-exits.rules.test.yml (synthetic series:
# rates, resets, per VM, fleet-wide, every alert firing and not). The unit
# tests must also reject a copy of the rules with increase() for rate():
# they would not catch a wrong rule otherwise. TAP lines on stdout.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib.sh
. "$top/scripts/lib.sh"
need_cmd promtool prometheus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - prometheus rules: $1"; }
notok() { echo "not ok - prometheus rules: $1"; echo "# $2"; }

rules=$top/prometheus/kvm-exits.rules.yml
tests=$top/tests/prometheus/kvm-exits.rules.test.yml
if out=$(promtool check rules "$rules" 2>&1); then
	ok "promtool check rules: $(grep -o 'SUCCESS: [0-9]* rules found' <<<"$out")"
else
	notok "promtool check rules" "$(tr '\n' ' ' <<<"$out")"
fi
# promtool reads the rule files relative to the test file: run from there.
if out=$(cd "$(dirname "$tests")" && promtool test rules "$(basename "$tests")" 2>&1); then
	ok "promtool test rules: $(grep -c '^  - interval:' "$tests") test groups pass"
else
	notok "promtool test rules" "$(tr '\n' ' ' <<<"$out" | head -c 1500)"
fi
mkdir -p "$tmp/prometheus" "$tmp/tests/prometheus"
sed 's/rate(kvm_exits_by_reason_total{vm=""}\[5m\])/increase(kvm_exits_by_reason_total{vm=""}[5m])/' \
	"$rules" >"$tmp/prometheus/kvm-exits.rules.yml"
cp "$tests" "$tmp/tests/prometheus/"
if cmp -s "$rules" "$tmp/prometheus/kvm-exits.rules.yml"; then
	notok "the unit tests reject a wrong rule" "the sed changed nothing in $rules"
elif (cd "$tmp/tests/prometheus" && promtool test rules "$(basename "$tests")") >/dev/null 2>&1; then
	notok "the unit tests reject a wrong rule" "increase() for rate() passed"
else
	ok "the unit tests reject a wrong rule (increase() for rate())"
fi
