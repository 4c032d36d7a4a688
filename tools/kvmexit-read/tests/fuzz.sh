#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Usage: fuzz.sh OUT SECONDS
# Runs OUT/fuzz_parsers for SECONDS on a corpus seeded from the fixtures and
# prints one TAP line: "ok - fuzz parsers N execs no crash" or "not ok ...".
out=$1
secs=$2
here=$(cd "$(dirname "$0")" && pwd)
bin=$out/fuzz_parsers
if [ ! -x "$bin" ]; then
	echo "# libFuzzer target not built; clang -fsanitize=fuzzer failed:"
	sed 's/^/#   /' "$out/fuzz-build.log" 2>/dev/null | tail -20
	echo "not ok - fuzz parsers: libFuzzer target could not be built (needs clang and libclang-rt-14-dev)"
	exit 1
fi
corpus=$out/fuzz-corpus
seeds=$out/fuzz-seeds
art=$out/fuzz-artifacts
mkdir -p "$corpus" "$seeds" "$art"
rm -f "$art"/*
rm -f "$seeds"/*
i=0
for f in "$here"/fixtures/*/by_reason "$here"/fixtures/*/vendor \
	"$here"/fixtures/*/total "$here"/fixtures/*/by_msr \
	"$here"/fixtures/*/by_io_port "$here"/fixtures/*/by_exception \
	"$here"/fixtures/*/time_hist "$here"/fixtures/*/userspace_exits \
	"$here"/fixtures/snapshots/*.snap; do
	[ -f "$f" ] || continue
	[ "$(wc -c <"$f")" -le 131072 ] || continue
	i=$((i + 1))
	cp "$f" "$seeds/seed-$i"
done
# pairs of snapshots for the diff path
for pair in a:b a:c-reset a:d-otherboot a:e-svm a:g-older time-a:time-b \
	a:time-b vm-a:vm-b vm-b:vm-a vm-a:vm-other vm-novcpu:vm-b \
	detail-a:detail-b detail-a:detail-reset detail-b:detail-a \
	hist-a:hist-b hist-b:hist-a time-a:hist-b vmh-a:vmh-a user-a:user-b \
	user-a:user-reset; do
	i=$((i + 1))
	{ cat "$here/fixtures/snapshots/${pair%:*}.snap"; echo "--8<--"
	  cat "$here/fixtures/snapshots/${pair#*:}.snap"; } >"$seeds/seed-$i"
done
# by_reason and its time file, for the time parser
for d in "$here"/fixtures/vm/kvm_exits "$here"/fixtures/vm-bad/kvm_exits \
	"$here"/fixtures/bad-time-*; do
	i=$((i + 1))
	{ cat "$d/by_reason"; echo "--8<--"; cat "$d/time_by_reason"; } >"$seeds/seed-$i"
done
# a time file and its histograms, for the cross-check
for d in "$here"/fixtures/hist "$here"/fixtures/hist-b "$here"/fixtures/bad-hist-*; do
	i=$((i + 1))
	{ cat "$d/time_by_reason"; echo "--8<--"; cat "$d/time_hist"; } >"$seeds/seed-$i"
done
# two userspace tables, for their deltas
i=$((i + 1))
{ cat "$here/fixtures/user/userspace_exits"; echo "--8<--"
  cat "$here/fixtures/vmh/kvm/1234-11/userspace_exits"; } >"$seeds/seed-$i"
# two detail tables of each kind, for their deltas
for f in by_msr by_io_port by_exception; do
	i=$((i + 1))
	{ cat "$here/fixtures/detail/$f"; echo "--8<--"
	  cat "$here/fixtures/detail-svm/$f"; } >"$seeds/seed-$i"
done
# a recording (and its marks), for the --timeline path
i=$((i + 1))
cat >"$seeds/seed-$i" <<'EOF'
{"type":"recording","format":1,"source":"/test/kvm_exits","vm":null,"vendor":"vmx","command":null}
{"t":100.000000,"total":1000,"reasons":{"CPUID":600,"HLT":300,"IO_INSTRUCTION":100}}
{"t":100.500000,"total":2100,"reasons":{"CPUID":1600,"HLT":400,"IO_INSTRUCTION":100}}
{"t":101.500000,"total":4150,"reasons":{"CPUID":2600,"HLT":400,"IO_INSTRUCTION":1100,"MSR_WRITE":50}}
{"t":102.000000,"total":110,"reset":true,"reasons":{"CPUID":100,"HLT":10}}
{"t":104.000000,"total":5600,"reasons":{"CPUID":5100,"HLT":410,"other":90,"q\"\\u0041":0}}
--8<--
# marks
100.25 boot start
101.5	L2 init
99 before it
104 the end
EOF
log=$out/fuzz.log
"$bin" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=1024 \
	-print_final_stats=1 -artifact_prefix="$art/" \
	"$corpus" "$seeds" >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
[ -n "$execs" ] || execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
crashes=$(find "$art" -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' | wc -l)
echo "# fuzz: $secs s, ${execs:-0} executions, $crashes crash/leak/timeout artifacts in $art, log in $log"
if [ $rc -eq 0 ] && [ "$crashes" -eq 0 ] && [ -n "$execs" ]; then
	echo "ok - fuzz parsers $execs execs no crash"
else
	grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -20 | sed 's/^/#   /'
	echo "not ok - fuzz parsers: exit status $rc, $crashes artifacts (see $log)"
	exit 1
fi
