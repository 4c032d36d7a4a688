#!/usr/bin/env bash
# End to end with the real components (Debian's prometheus and
# prometheus-node-exporter) on localhost ports picked here: what the
# timer runs writes the textfile from a fixture counter tree, node_exporter
# serves it, Prometheus scrapes it every second with
# prometheus/kvm-exits.rules.yml loaded. Through the HTTP API: the metric
# type is counter, the per-reason recording rule gives the rate of a known
# advance of the counters (and stays right across a reset), the per-VM one
# has the fixture's VMs, and the stale alert fires once the file stops
# changing (its 300 s made 5 s here: the only change to the rules).
# TAP lines on stdout; about 25 s.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/lib.sh
. "$top/scripts/lib.sh"
need_cmd prometheus prometheus
need_cmd prometheus-node-exporter prometheus-node-exporter
need_cmd curl curl
need_cmd jq jq
tmp=$(mktemp -d)
pids=()
cleanup() {
	local p
	touch "$tmp/stop"
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { echo "ok - prometheus e2e: $1"; }
notok() { echo "not ok - prometheus e2e: $1"; echo "# $2"; }
# Stop at the first failure: what follows needs it.
fail() { notok "$1" "$2 (logs: node_exporter $(tail -c 300 "$tmp/ne.log"); prometheus $(tail -c 300 "$tmp/prom.log"))"; exit 1; }

make -s -C "$top/tools/kvmexit-read" >/dev/null || die "building kvmexit-read failed"
export KVMEXIT_READ=$top/tools/kvmexit-read/build/kvmexit-read
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ne_port=$(free_port)
prom_port=$(free_port)
api=http://127.0.0.1:$prom_port/api/v1

# The counters: fixtures/vm (global counters and four VMs); CPUID at 1500.
cp -r "$top/tools/kvmexit-read/tests/fixtures/vm" "$tmp/tree"
export KVMEXIT_ROOT=$tmp/tree/kvm_exits
set_cpuid() { # the new file beside, renamed over: the tool never reads half of it
	sed "s/^0x000a CPUID .*/0x000a CPUID $1/" "$KVMEXIT_ROOT/by_reason" >"$KVMEXIT_ROOT/.by_reason"
	mv "$KVMEXIT_ROOT/.by_reason" "$KVMEXIT_ROOT/by_reason"
}
mkdir "$tmp/textfile"
# The timer, every half second until told to stop.
(while [ ! -e "$tmp/stop" ]; do
	"$top/systemd/kvmexit-read-textfile" "$tmp/textfile" || echo "run failed: $?"
	sleep 0.5
done) >"$tmp/timer.log" 2>&1 &
pids+=($!)

sed 's/\(node_textfile_mtime_seconds.*\) > 300$/\1 > 5/' "$top/prometheus/kvm-exits.rules.yml" >"$tmp/rules.yml"
cmp -s "$tmp/rules.yml" "$top/prometheus/kvm-exits.rules.yml" &&
	fail "the stale alert's threshold" "no '> 300' in the stale alert to shorten"
cat >"$tmp/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [rules.yml]
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$ne_port']
YAML

prometheus-node-exporter --web.listen-address="127.0.0.1:$ne_port" --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$tmp/textfile" >"$tmp/ne.log" 2>&1 &
pids+=($!)
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/data" \
	--web.listen-address="127.0.0.1:$prom_port" >"$tmp/prom.log" 2>&1 &
pids+=($!)

# until SECONDS CMD...: retry CMD every 0.25 s for at most SECONDS.
until_ok() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.25
	done
}
q() { curl -sf "$api/query" --data-urlencode "query=$1" ${2:+--data-urlencode "time=$2"}; }
# samples SELECTOR VALUE: how many of the last minute's samples equal VALUE
samples() { q "${1}[1m]" | jq --arg v "$2" '[.data.result[0].values[] | select(.[1] == $v)] | length'; }
have() { [ "$(samples "$1" "$2")" -ge "$3" ]; }
cpuid='kvm_exits_by_reason_total{reason="CPUID",vm=""}'
rule='instance_reason:kvm_exits:rate5m{reason="CPUID"}'

until_ok 20 have "$cpuid" 1500 3 || fail "node_exporter serves the textfile to Prometheus" "no CPUID samples of 1500"
ok "node_exporter serves the timer's textfile, Prometheus scrapes it"

type=$(curl -sf "$api/metadata?metric=kvm_exits_by_reason_total" | jq -r '.data.kvm_exits_by_reason_total[0].type')
if [ "$type" = counter ]; then ok "kvm_exits_by_reason_total is a counter (rate() sees resets)"; else notok "metric type" "type '$type'"; fi

# check_rule NAME: the rule's last value against rate() of the raw
# samples it was computed from.
check_rule() {
	local last t v want
	last=$(q "${rule}[10s]" | jq -r '.data.result[0].values[-1] | "\(.[0]) \(.[1])"')
	t=${last% *} v=${last#* }
	echo 0 >"$tmp/rate"
	mapfile -t want < <(q "${cpuid}[5m]" "$t" | python3 "$top/tests/prom_rate.py" 300 "$t")
	if python3 -c 'import sys; v = float(sys.argv[1]); sys.exit(not (v > 0 and any(w != "none" and abs(v - float(w)) <= 1e-9 * v for w in sys.argv[2:])))' "$v" "${want[@]}"; then
		ok "$1: $v/s at $t"
		echo "$v" >"$tmp/rate"
	else
		notok "$1" "rule $v/s at $t, rate() of the samples: ${want[*]}"
	fi
}

# A known advance: 6000 CPUID exits.
set_cpuid 7500
until_ok 20 have "$cpuid" 7500 3 || fail "the advance reaches Prometheus" "no CPUID samples of 7500"
check_rule "the per-reason rule is the rate of the 6000 exits added"
hlt=$(q 'instance_reason:kvm_exits:rate5m{reason="HLT"}' | jq -r '.data.result[0].value[1]')
if [ "$hlt" = 0 ]; then ok "a reason that did not move has rate 0"; else notok "HLT rate" "$hlt"; fi

# A reset: 50 exits since. rate() counts 6000 + 50 exits over its 300 s
# (then extrapolates up); read as a gauge, the change would be 50 - 1500.
set_cpuid 50
until_ok 20 have "$cpuid" 50 3 || fail "the reset reaches Prometheus" "no CPUID samples of 50"
check_rule "across a reset (7500 -> 50) the rule is rate() of the samples"
if python3 -c 'import sys; sys.exit(not float(sys.argv[1]) * 300 >= 6050 - 1e-6)' "$(cat "$tmp/rate")"; then
	ok "across the reset the rate counts the 6050 exits (6000 before, 50 after)"
else
	notok "across the reset the rate counts the 6050 exits" "$(cat "$tmp/rate")/s over 300 s"
fi

vms=$(q 'instance_vm:kvm_exits:rate5m' | jq -r '[.data.result[].metric.vm] | sort | join(" ")')
if [ "$vms" = "1234-11 4321-5 777-1 777-2" ]; then ok "the per-VM rule has the fixture's VMs"; else notok "per-VM rule" "VMs: '$vms'"; fi

# Stale: no alert while the timer runs; firing once it stops.
alerts() { curl -sf "$api/alerts" | jq -r '[.data.alerts[] | select(.labels.alertname == "KvmExitsTextfileStale") | .state] | join(" ")'; }
a=$(alerts)
if [ -z "$a" ]; then ok "no stale alert while the file changes"; else notok "no stale alert while the file changes" "state: $a"; fi
touch "$tmp/stop"
wait "${pids[0]}" || true
if grep -q . "$tmp/timer.log"; then notok "the timer's runs" "$(head -c 300 "$tmp/timer.log")"; else ok "every run of the timer's command succeeded"; fi
firing() { [ "$(alerts)" = firing ]; }
if until_ok 20 firing; then ok "KvmExitsTextfileStale fires when the file stops changing"; else notok "stale alert" "state: '$(alerts)'"; fi
