#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# CLI tests: runs the real binary against the fixture directories and
# checks exact output, exit codes and messages. Output: TAP.
# Usage: cli.sh path/to/kvmexit-read
B=${1:?usage: cli.sh path/to/kvmexit-read}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
F=$HERE/fixtures
S=$F/snapshots
T=$(mktemp -d /tmp/kvmexit-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
unset KVMEXIT_ROOT
export LC_ALL=C

n=0
failed=0
good=1

# run CMD...: sets $out (stdout), $err (stderr), $rc
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

bad() {
	echo "#   $*"
	good=0
}

# check_rc N
check_rc() {
	[ "$rc" = "$1" ] || bad "exit status $rc, expected $1 (stderr: $(printf '%s\n' "$err" | head -3))"
}
# check_out EXPECTED / check_err EXPECTED: exact
check_out() {
	[ "$out" = "$1" ] || {
		bad "stdout differs:"
		printf '%s\n' "$1" >"$T/want"
		diff "$T/want" "$T/out" | sed 's/^/#     /'
	}
}
check_err() {
	[ "$err" = "$1" ] || bad "stderr is '$err', expected '$1'"
}
# contains HAYSTACK NEEDLE WHAT
contains() {
	case $1 in *"$2"*) ;; *) bad "$3 lacks '$2': $(printf '%s\n' "$1" | head -5)" ;; esac
}
lacks() {
	case $1 in *"$2"*) bad "$3 has '$2'" ;; esac
}
tap() {
	n=$((n + 1))
	if [ $good = 1 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		failed=$((failed + 1))
	fi
	good=1
}

VMX_TABLE='CODE    REASON              COUNT    SHARE
0x000a  CPUID                1000   44.07%
0x001e  IO_INSTRUCTION       1000   44.07%
0x0020  MSR_WRITE             250   11.02%
0x0001  EXTERNAL_INTERRUPT     17    0.75%
0x000c  HLT                     1    0.04%
0x0030  EPT_VIOLATION           1    0.04%
        total                2269  100.00%'

# --- reading the counters -------------------------------------------------
run "$B" --root "$F/vmx-basic"
check_rc 0; check_out "$VMX_TABLE"; check_err ""
tap "vmx table: exact rows sorted by count, shares, total = sum of by_reason"

run "$B" --root "$F/svm-basic"
check_rc 0
check_out 'CODE    REASON     COUNT    SHARE
0x007b  io           700   58.24%
0x0072  cpuid        300   24.96%
0x007c  msr          120    9.98%
0x0400  npf           42    3.49%
0x0060  interrupt     33    2.75%
0x0078  hlt            5    0.42%
-       other          2    0.17%
        total       1202  100.00%'
tap "svm table: exact, 'other' line shown when non-zero"

KVMEXIT_ROOT=$F/vmx-basic run "$B"
check_rc 0; check_out "$VMX_TABLE"
KVMEXIT_ROOT=$F/nonexistent run "$B" --root "$F/vmx-basic"
check_rc 0; check_out "$VMX_TABLE"
tap "KVMEXIT_ROOT selects the directory, --root overrides it"

run "$B" --root "$F/vmx-aligned"
check_rc 0; check_out "$VMX_TABLE"
tap "by_reason without header and with aligned columns reads the same"

run "$B" --root "$F/vmx-zero"
check_rc 0
check_out 'CODE  REASON  COUNT    SHARE
      total       0        -'
tap "all-zero counters: header and total only"

run "$B" --root "$F/vmx-max"
check_rc 0
check_out 'CODE    REASON                 COUNT    SHARE
0x000a  CPUID   18446744073709551615  100.00%
        total   18446744073709551615  100.00%'
tap "u64 max count printed exactly"

wide=0
for d in vmx-basic svm-basic vmx-max; do
	"$B" --root "$F/$d" >"$T/w"
	w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/w")
	[ "$w" -le 80 ] || bad "$d: $w columns"
done
"$B" --diff "$S/a.snap" "$S/b.snap" | tail -n +2 >"$T/w"
w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/w")
[ "$w" -le 80 ] || bad "diff table: $w columns"
tap "tables fit in 80 columns"

# --- malformed counters ---------------------------------------------------
while IFS='|' read -r dir file msg; do
	run "$B" --root "$F/$dir"
	check_rc 5
	check_err "kvmexit-read: $F/$dir/$file$msg"
	[ -z "$out" ] || bad "stdout not empty"
	tap "malformed $dir: exit 5, names file and line"
done <<'LIST'
bad-after-other|by_reason|:65: line after the 'other' line (which must be the last one, line 64)
bad-code|by_reason|:10: bad code '0xzz0a' (expected 0x and 4 to 16 hex digits, or '-')
bad-short-code|by_reason|:10: bad code '0xa' (expected 0x and 4 to 16 hex digits, or '-')
bad-count|by_reason|:10: count '10a0' is not an unsigned decimal number
bad-negative|by_reason|:10: count '-1000' is not an unsigned decimal number
bad-count-overflow|by_reason|:10: count '18446744073709551616' does not fit in 64 bits
bad-sum-overflow|by_reason|:10: sum of the counts overflows 64 bits
bad-crlf|by_reason|:2: count '0\x0d' is not an unsigned decimal number
bad-duplicate-code|by_reason|:11: duplicate code 0x000a (first on line 10)
bad-empty|by_reason|:1: empty file
bad-empty-line|by_reason|:12: expected 3 fields '<code> <name> <count>', got 0
bad-header-late|by_reason|:12: '#' line is only allowed as the first line
bad-long-line|by_reason|:10: line too long (more than 255 bytes)
bad-missing-other|by_reason|:64: end of file without the 'other' line (file truncated?)
bad-nul-byte|by_reason|:10: NUL byte in column 11
bad-oversize|by_reason|: too large (more than 65536 bytes)
bad-too-many-lines|by_reason|:513: too many reasons (more than 512)
bad-truncated|by_reason|:11: last line has no newline (file truncated?)
bad-two-fields|by_reason|:10: expected 3 fields '<code> <name> <count>', got 2
bad-vendor|vendor|:1: unknown vendor 'arm' (expected vmx or svm)
bad-total|total|:1: total is not an unsigned decimal number '12x'
LIST

run "$B" --root "$F/missing-by_reason"
check_rc 3
check_err "kvmexit-read: $F/missing-by_reason/by_reason: No such file or directory"
run "$B" --root "$T/nonexistent"
check_rc 3
check_err "kvmexit-read: $T/nonexistent: no such directory (given by --root or KVMEXIT_ROOT)"
tap "missing counters file or directory: exit 3"

if [ ! -e /sys/kernel/debug/kvm_exits ]; then
	run "$B"
	if [ "$(id -u)" = 0 ]; then
		check_rc 3
		case $err in
		*"mount -t debugfs none /sys/kernel/debug"* | \
		*"neither kvm_intel nor kvm_amd is loaded"* | \
		*"lacks the kvm_exits patch"*) ;;
		*) bad "unexplained: $err" ;;
		esac
	else
		case $rc in 3 | 4) ;; *) bad "exit status $rc" ;; esac
	fi
	tap "default directory missing on this machine: explained, exit 3 ($err)"
fi

# --- JSON and Prometheus --------------------------------------------------
run "$B" --root "$F/vmx-basic" --json
check_rc 0
printf '%s\n' "$out" >"$T/j"
[ "$(wc -l <"$T/j")" = 1 ] || bad "not one line"
got=$(jq -c '[keys, .type, .format, .vendor, .total, .total_file,
	(.reasons | length), .reasons[9], .reasons[-1], .source]' "$T/j")
[ "$got" = '[["boot_id","boottime","format","kernel","reasons","source","total","total_file","type","vendor","wall_time"],"counters",1,"vmx",2269,2270,63,{"code":"0x000c","name":"HLT","count":1},{"code":null,"name":"other","count":0},"'"$F/vmx-basic"'"]' ] ||
	bad "json: $got"
[ "$(jq -r .kernel "$T/j")" = "$(uname -r | tr -c '!-~\n' _)" ] || bad "kernel"
python3 -m json.tool "$T/j" >/dev/null || bad "python json.tool rejects it"
tap "--json counters: valid, stable keys, exact values"

# prom_check FILE: every sample has HELP and TYPE before it, valid names,
# labels and integer values; prints the number of samples
prom_check() {
	awk '
	/^# HELP / { help[$3] = 1; next }
	/^# TYPE / { if ($4 != "counter" && $4 != "gauge") bad = bad " type:" NR
		     type[$3] = 1; next }
	/^#/ { bad = bad " comment:" NR; next }
	{
		if (!match($0, /^[a-zA-Z_:][a-zA-Z0-9_:]*/)) { bad = bad " name:" NR; next }
		name = substr($0, 1, RLENGTH); rest = substr($0, RLENGTH + 1)
		if (!(name in help) || !(name in type)) bad = bad " nohelp:" NR
		if (substr(rest, 1, 1) == "{") {
			# escapes \\ \" \n become X, then no quote or backslash may be left
			gsub(/\\\\|\\"|\\n/, "X", rest)
			if (!match(rest, /^\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*",?)*\}/))
				{ bad = bad " labels:" NR; next }
			rest = substr(rest, RLENGTH + 1)
		}
		if (rest !~ /^ [0-9]+$/) bad = bad " value:" NR
		samples++
	}
	END { print samples + 0; if (bad != "") { print "bad" bad; exit 1 } }' "$1"
}

# the checker itself must catch broken input
printf '# HELP a x\n# TYPE a counter\na{l="x\\q"} 1\nb 2\na{l="y"} 1.5\n9x 1\n' >"$T/p"
got=$(prom_check "$T/p") && bad "checker accepted broken input"
[ "$got" = "2
bad labels:3 nohelp:4 value:5 name:6" ] || bad "checker said: $got"
tap "the Prometheus format checker rejects bad escapes, names and values"

run "$B" --root "$F/vmx-basic" --prometheus
check_rc 0
printf '%s\n' "$out" >"$T/p"
got=$(prom_check "$T/p") || bad "format: $got"
[ "$got" = 64 ] || bad "samples: $got"
contains "$out" 'kvm_exits_total{vendor="vmx"} 2269' "prom"
contains "$out" 'kvm_exits_by_reason_total{reason="CPUID",code="0x000a",vendor="vmx"} 1000' "prom"
contains "$out" 'kvm_exits_by_reason_total{reason="other",code="-",vendor="vmx"} 0' "prom"
contains "$out" '# TYPE kvm_exits_by_reason_total counter' "prom"
tap "--prometheus: valid exposition format, 64 samples, exact values"

run "$B" --root "$F/odd-names" --prometheus
check_rc 0
printf '%s\n' "$out" >"$T/p"
got=$(prom_check "$T/p") || bad "format: $got"
contains "$out" 'reason="quo\"te"' "prom"
contains "$out" 'reason="back\\slash"' "prom"
run "$B" --root "$F/odd-names" --json
jq -e '.reasons[0].name == "quo\"te" and .reasons[1].name == "back\\slash"' \
	>/dev/null <<JSON || bad "json escaping"
$out
JSON
tap "label values and JSON strings are escaped"

mkdir -p "$T/prom"
run "$B" --root "$F/vmx-basic" --prometheus --output "$T/prom/kvm.prom"
check_rc 0; check_out ""
"$B" --root "$F/vmx-basic" --prometheus >"$T/p"
cmp -s "$T/p" "$T/prom/kvm.prom" || bad "file differs from stdout"
[ "$(ls -A "$T/prom")" = kvm.prom ] || bad "left: $(ls -A "$T/prom")"
[ "$(stat -c %a "$T/prom/kvm.prom")" = "$(printf '%o' $((0666 & ~$(umask))))" ] ||
	bad "mode $(stat -c %a "$T/prom/kvm.prom")"
run "$B" --root "$F/vmx-basic" --prometheus --output "$T/nodir/kvm.prom"
check_rc 1
contains "$err" "$T/nodir/kvm.prom: cannot create temporary file" "stderr"
tap "--output: atomic file write, same content, no temp left, errors reported"

run "$B" --root "$F/vmx-basic" --json --output /dev/full
check_rc 1
run sh -c "'$B' --root '$F/vmx-basic' >/dev/full"
check_rc 1
contains "$err" "(standard output): write failed: No space left on device" "stderr"
tap "write errors on standard output are reported (exit 1)"

# --- snapshots ------------------------------------------------------------
run "$B" --root "$F/vmx-basic" --save "$T/a.snap"
check_rc 0; check_out ""; check_err ""
snap=$(cat "$T/a.snap")
[ "$(head -1 "$T/a.snap")" = "kvmexit-read-snapshot 1" ] || bad "version line"
[ "$(grep -c '^reason ' "$T/a.snap")" = 63 ] || bad "reason lines"
contains "$snap" "
vendor vmx
total 2270
reason 0x0000 EXCEPTION_NMI 0
reason 0x0001 EXTERNAL_INTERRUPT 17
" "snapshot"
contains "$snap" "
reason - other 0
sum 2269
end" "snapshot"
contains "$snap" "boot_id $(cat /proc/sys/kernel/random/boot_id)" "snapshot"
contains "$snap" "kernel $(uname -r)" "snapshot"
grep -Eq '^wall_time [0-9]+\.[0-9]{9}$' "$T/a.snap" || bad "wall_time"
grep -Eq '^boottime [0-9]+\.[0-9]{9}$' "$T/a.snap" || bad "boottime"
[ "$(ls -A "$T" | grep -c snap)" = 1 ] || bad "temp files left: $(ls -A "$T")"
tap "--save: versioned snapshot with time, boot_id, kernel, vendor, every counter"

run "$B" --root "$F/svm-basic" --save -
check_rc 0
[ "$(printf '%s\n' "$out" | head -1)" = "kvmexit-read-snapshot 1" ] || bad "stdout"
contains "$out" "reason 0xffffffff invalid_guest_state 0" "snapshot"
run "$B" --root "$F/vmx-basic" --save "$T/j.snap" --json
check_rc 0
[ "$(printf '%s\n' "$out" | jq -r '.type + " " + (.total|tostring)')" = "counters 2269" ] || bad "json"
tap "--save - writes to stdout; --save --json prints the counters object"

run "$B" --root "$F/vmx-basic" --diff "$T/a.snap"
check_rc 0
contains "$out" "$T/a.snap -> now: " "diff"
contains "$out" ", 0 exits" "diff"
tap "--diff A: against the live counters, zero deltas"

DIFF_AB="$S/a.snap -> $S/b.snap: 10.000 s, 2003 exits, 200.30 exits/s
CODE    REASON              DELTA    SHARE  RATE/s
0x001e  IO_INSTRUCTION       1500   74.89%  150.00
0x000a  CPUID                 500   24.96%   50.00
0x0001  EXTERNAL_INTERRUPT      3    0.15%    0.30
        total                2003  100.00%  200.30"
run "$B" --diff "$S/a.snap" "$S/b.snap"
check_rc 0; check_out "$DIFF_AB"; check_err ""
tap "--diff A B: exact deltas, interval, exits per second"

run "$B" --diff "$S/a.snap" "$S/b.snap" --json
check_rc 0
got=$(printf '%s\n' "$out" | jq -c '[.type, .interval_seconds, .interval_clock, .total,
	.exits_per_second, .forced, .reasons[0], (.reasons | length),
	.from.boottime, .to.boottime, .from.source]')
[ "$got" = '["diff",10,"boottime",2003,200.3,[],{"code":"0x001e","name":"IO_INSTRUCTION","delta":1500,"per_second":150,"reset":false},3,1000.5,1010.5,"'"$S/a.snap"'"]' ] ||
	bad "json: $got"
tap "--diff --json: exact values"

run sh -c "cat '$S/a.snap' | '$B' --diff - '$S/b.snap'"
check_rc 0
contains "$out" "(standard input) -> $S/b.snap: 10.000 s" "diff"
tap "--diff reads a snapshot from standard input"

while IFS='|' read -r file msg; do
	run "$B" --diff "$S/a.snap" "$S/$file"
	check_rc 6
	contains "$err" "kvmexit-read: refusing to diff $S/a.snap and $S/$file:" "stderr"
	contains "$err" "$msg" "stderr"
	contains "$err" "use --force to diff them anyway" "stderr"
	[ -z "$out" ] || bad "stdout not empty"
	tap "--diff refuses $file: exit 6"
done <<'LIST'
c-reset.snap|6 counter(s) went down (counters reset in between?)
d-otherboot.snap|different or unknown boots (boot_id 2b2bd94e-4c3f-4bb7-a2a1-1f0bd0a3c6e5 vs 9c0de2a4-6f51-4e0b-8f39-0d2b2c1d7e11)
e-svm.snap|different vendors (vmx vs svm)
f-otherkernel.snap|different kernels (6.12.0-kes vs 6.1.0-kes)
g-older.snap|the second snapshot was taken 100.500 s before the first (boottime)
unknown-boot.snap|different or unknown boots (boot_id 2b2bd94e-4c3f-4bb7-a2a1-1f0bd0a3c6e5 vs unknown)
LIST

run "$B" --diff "$S/a.snap" "$S/c-reset.snap" --force
check_rc 0
check_out "$S/a.snap -> $S/c-reset.snap: 20.000 s, 15 exits, 0.75 exits/s
CODE    REASON                  DELTA    SHARE  RATE/s
0x000a  CPUID (reset)              10   66.67%    0.50
0x001e  IO_INSTRUCTION (reset)      5   33.33%    0.25
        total                      15  100.00%    0.75"
check_err "kvmexit-read: warning: --force: 6 counter(s) went down (counters reset in between?): counted as reset: delta = the value in the second snapshot"
run "$B" --diff "$S/a.snap" "$S/c-reset.snap" --force --json
got=$(printf '%s\n' "$out" | jq -c '[.forced, .total, [.reasons[] | .reset]]')
[ "$got" = '[["counter_decrease"],15,[true,true]]' ] || bad "json: $got"
tap "--diff --force after a reset: delta = new value, flagged, warned"

run "$B" --diff "$S/a.snap" "$S/d-otherboot.snap" --force --json
check_rc 0
got=$(printf '%s\n' "$out" | jq -c '[.forced, .interval_clock, .interval_seconds, .total]')
[ "$got" = '[["boot_id"],"wall_time",100000,2003]' ] || bad "json: $got"
contains "$err" "interval taken from wall_time" "stderr"
run "$B" --diff "$S/a.snap" "$S/g-older.snap" --force --json
got=$(printf '%s\n' "$out" | jq -c '[.forced, .interval_seconds, .exits_per_second]')
[ "$got" = '[["order"],null,null]' ] || bad "json: $got"
run "$B" --diff "$S/a.snap" "$S/e-svm.snap" --force
check_rc 0
contains "$out" "-       other          2    0.17%    0.20" "diff"
contains "$err" "different reason tables (62 reason(s) only in the first): reasons only in the second count from 0" "stderr"
tap "--diff --force across boots, time order and vendors says what it forced"

while IFS='|' read -r file msg; do
	run "$B" --diff "$S/$file" "$S/b.snap"
	check_rc 5
	check_err "kvmexit-read: $S/$file$msg"
	tap "bad snapshot $file: exit 5, names file and line"
done <<'LIST'
bad-version.snap|:1: unsupported snapshot format version '3' (this kvmexit-read reads versions 1 and 2)
not-a-snapshot.snap|:1: not a kvmexit-read snapshot (the first line must be 'kvmexit-read-snapshot 1')
truncated.snap|:34: end of file without the 'end' line (file truncated?)
truncated-midline.snap|:34: last line has no newline (file truncated?)
corrupted.snap|:71: sum 2269 does not match the reason counts, which add up to 3169 (file corrupted?)
hostile-after-end.snap|:73: data after the 'end' line (line 72)
hostile-binary.snap|:1: NUL byte in column 1
hostile-dupkey.snap|:7: duplicate 'vendor' line (first on line 6)
hostile-longline.snap|:5: line too long (more than 255 bytes)
hostile-nul.snap|:6: NUL byte in column 9
hostile-overflow.snap|:16: count '99999999999999999999999' does not fit in 64 bits
hostile-oversize.snap|: too large (more than 131072 bytes)
missing.snap|: No such file or directory
LIST

# a reset between the snapshot and now is refused
cp -r "$F/vmx-basic" "$T/live"
"$B" --root "$T/live" --save "$T/before.snap"
cp "$F/vmx-zero/by_reason" "$T/live/by_reason"
run "$B" --root "$T/live" --diff "$T/before.snap"
check_rc 6
contains "$err" "6 counter(s) went down" "stderr"
tap "--diff A now: counters reset since A are refused"

# --- reset ----------------------------------------------------------------
cp -r "$F/vmx-basic" "$T/r"
run "$B" --root "$T/r" --reset
check_rc 0; check_out ""; check_err ""
[ "$(cat "$T/r/total")" = 0 ] || bad "total is '$(cat "$T/r/total")'"
[ "$(wc -c <"$T/r/total")" = 2 ] || bad "total not '0\\n'"
run "$B" --root "$T/r" --reset --json
check_rc 0; check_out '{"type":"reset","format":1,"source":"'"$T/r"'"}'
tap "--reset writes 0 to total"

cp -r "$F/vmx-basic" "$T/r2"
chmod 755 "$T"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$B" --root "$T/r2" --reset
else
	chmod 0444 "$T/r2/total"
	run "$B" --root "$T/r2" --reset
fi
check_rc 4
check_err "kvmexit-read: $T/r2/total: cannot reset the counters: Permission denied (resetting needs root)"
[ "$(cat "$T/r2/total")" = 2270 ] || bad "total changed"
tap "--reset without permission: exit 4, says root is needed"

run "$B" --root "$T/nonexistent" --reset
check_rc 3
mkdir -p "$T/r3/total"
run "$B" --root "$T/r3" --reset
check_rc 1
contains "$err" "$T/r3/total: cannot reset the counters: Is a directory" "stderr"
tap "--reset on a missing directory (exit 3) or unwritable total (exit 1)"

# --- running a command ----------------------------------------------------
while read -r want cmd; do
	run "$B" --root "$F/vmx-basic" -- sh -c "$cmd"
	check_rc "$want"
	contains "$err" "sh -c $cmd: " "stderr"
	contains "$err" "
CODE  REASON  DELTA    SHARE  RATE/s
      total       0        -" "stderr"
	tap "-- sh -c '$cmd': exit status $want, report on stderr"
done <<'LIST'
0 true
1 false
42 exit 42
143 kill -TERM $$
137 kill -KILL $$
LIST

run "$B" --root "$F/vmx-basic" -- "$T/no-such-command" arg
check_rc 127
contains "$err" "kvmexit-read: cannot execute '$T/no-such-command': No such file or directory" "stderr"
printf 'not a program\n' >"$T/noexec"
chmod 644 "$T/noexec"
run "$B" --root "$F/vmx-basic" -- "$T/noexec"
check_rc 126
contains "$err" "Permission denied" "stderr"
tap "-- CMD: 127 if not found, 126 if not executable"

cp -r "$F/vmx-basic" "$T/run"
sed 's/CPUID 1000/CPUID 1700/; s/HLT 1$/HLT 5/' "$F/vmx-basic/by_reason" >"$T/after"
run "$B" --root "$T/run" -- sh -c "echo hello; cp '$T/after' '$T/run/by_reason'"
check_rc 0
check_out "hello"
# all but the rate column, which depends on the time taken
got=$(printf '%s\n' "$err" | tail -n +2 | awk '{ $NF = ""; print }')
[ "$got" = "CODE REASON DELTA SHARE 
0x000a CPUID 700 99.43% 
0x000c HLT 4 0.57% 
total 704 100.00% " ] || bad "report: $err"
contains "$err" ", 704 exits" "stderr"
tap "-- CMD: command output on stdout, exact deltas on stderr"

cp "$F/vmx-basic/by_reason" "$T/run/by_reason"
run "$B" --root "$T/run" --json -- sh -c "cp '$T/after' '$T/run/by_reason'; exit 3"
check_rc 3; check_out ""
got=$(printf '%s\n' "$err" | jq -c '[.type, .command, .exit_status, .total, [.reasons[].delta]]')
[ "$got" = '["command",["sh","-c","cp '"'$T/after' '$T/run/by_reason'"'; exit 3"],3,704,[700,4]]' ] ||
	bad "json: $got"
run "$B" --root "$F/vmx-basic" --output "$T/report" -- true
check_rc 0; check_err ""
contains "$(cat "$T/report")" "      total       0        -" "report"
tap "-- CMD with --json (stderr) and --output FILE"

# --- watch ----------------------------------------------------------------
start=$(date +%s%N)
run "$B" --root "$F/vmx-basic" --watch 0.2 --count 3
end=$(date +%s%N)
check_rc 0
[ "$(printf '%s\n' "$out" | head -1)" = '  ELAPSED        EXITS     EXITS/s  TOP REASONS' ] || bad "header"
[ "$(printf '%s\n' "$out" | wc -l)" = 4 ] || bad "lines: $out"
printf '%s\n' "$out" | tail -n +2 | grep -Evq '^ +0\.[0-9]{3} +0 +0\.0$' && bad "lines: $out"
[ $(((end - start) / 1000000)) -ge 590 ] || bad "took $(((end - start) / 1000000)) ms"
tap "--watch 0.2 --count 3: header and 3 interval lines, 0.6 s"

cp "$F/vmx-basic/by_reason" "$T/run/by_reason"
( sleep 0.7; cp "$T/after" "$T/run/by_reason.new"; mv "$T/run/by_reason.new" "$T/run/by_reason" ) &
run "$B" --root "$T/run" --watch 0.5 --count 4 --json
wait
check_rc 0
[ "$(printf '%s\n' "$out" | wc -l)" = 4 ] || bad "lines"
got=$(printf '%s\n' "$out" | jq -s -c '[map(.seq), (map(.total) | add), (map(.type) | unique),
	(map(.interval_seconds > 0.4 and .interval_seconds < 1.5) | all)]')
[ "$got" = '[[1,2,3,4],704,["interval"],true]' ] || bad "json lines: $got"
printf '%s\n' "$out" | jq -s -e 'map(select(.total > 0)) | .[0].reasons[0] == {"code":"0x000a","name":"CPUID","delta":700,"per_second":.[0].reasons[0].per_second,"reset":false}' >/dev/null ||
	bad "top reason"
tap "--watch --json: JSON Lines, deltas of a change add up to 704"

for bad_s in 0 -1 abc 1e3 0.001 86401 '' 0.5s; do
	run "$B" --root "$F/vmx-basic" --watch "$bad_s" --count 1
	check_rc 2
	contains "$err" "kvmexit-read: --watch: " "stderr"
done
tap "--watch rejects bad intervals (exit 2)"

# --- usage ----------------------------------------------------------------
for args in "--bogus" "--save" "--save a --diff b" "--json --prometheus" \
	"--diff x --prometheus" "--count 2" "--force" "stray" "--" \
	"--reset --save x" "--watch 1 --count 0"; do
	# shellcheck disable=SC2086
	run "$B" $args
	check_rc 2
	contains "$err" "Try 'kvmexit-read --help' for more information." "stderr '$args'"
done
tap "usage errors: exit 2 with a hint"

run "$B" --help
check_rc 0
contains "$out" "Usage: kvmexit-read" "help"
contains "$out" "-- CMD [ARGS...]" "help"
run "$B" -h
check_rc 0
run "$B" --version
check_rc 0; check_out "kvmexit-read 1.1 (snapshot formats 1 and 2, JSON format 1)"
tap "--help, -h and --version"

# --- per VM (fixtures/vm: kvm_exits with time_by_reason, kvm/ per VM) ---
VR="--root $F/vm/kvm_exits"
run "$B" $VR
check_rc 0
check_out 'CODE    REASON          COUNT    SHARE       AVG       MAX
0x000a  CPUID            1500   96.59%     480ns     2.0us
0x001e  IO_INSTRUCTION     50    3.22%     8.0us    30.0us
0x000c  HLT                 2    0.13%         -         -
0x0030  EPT_VIOLATION       1    0.06%     5.0us     5.0us
        total            1553  100.00%     1.2us    30.0us'
tap "time_by_reason adds AVG and MAX handling time columns"

run "$B" $VR --list-vms
check_rc 0
check_out 'VM                    PID COMMAND           VCPUS          EXITS  TIMES
1234-11              1234 ?                     2            553  yes
4321-5               4321 ?                     1           1002  no
777-1                 777 ?                     0              7  no
777-2                 777 ?                     0              7  no'
run "$B" $VR --list-vms --json
check_rc 0
printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["type"] == "vms" and d["format"] == 1, d
v = {x["vm"]: x for x in d["vms"]}
assert sorted(v) == ["1234-11", "4321-5", "777-1", "777-2"], v
assert v["1234-11"] == {"vm": "1234-11", "pid": 1234, "comm": "?", "vcpus": 2,
                        "exits": 553, "time_stats": True}, v["1234-11"]
assert v["4321-5"]["time_stats"] is False and v["4321-5"]["exits"] == 1002
' 2>"$T/py" || bad "--list-vms --json: $(cat "$T/py")"
KVMEXIT_VM_ROOT=$F/vm/kvm run "$B" --root "$F/vmx-basic" --list-vms
check_rc 0; contains "$out" "1234-11" "KVMEXIT_VM_ROOT list"
tap "--list-vms: VMs with exit_reasons only (not 1234-12), table and JSON, KVMEXIT_VM_ROOT"

run "$B" $VR --vm 1234 --per-vcpu --json
check_rc 0
printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["type"] == "vm" and d["vm"] == "1234-11", d
vm = d["counters"]
assert vm["vm"] == "1234-11" and vm["time_stats"] is True
vc = [x["counters"] for x in d["vcpus"]]
assert [x["vcpu"] for x in d["vcpus"]] == [0, 1]
for i, r in enumerate(vm["reasons"]):
    for k in ("count", "time_count", "time_total_ns"):
        assert r[k] == sum(c["reasons"][i][k] for c in vc), (r, k)
    assert r["time_max_ns"] == max(c["reasons"][i]["time_max_ns"] for c in vc)
assert vm["total"] == 553 == sum(c["total"] for c in vc)
cpuid = [r for r in vm["reasons"] if r["name"] == "CPUID"][0]
assert cpuid == {"code": "0x000a", "name": "CPUID", "count": 500, "time_count": 500,
                 "time_total_ns": 240000, "time_max_ns": 2000}, cpuid
' 2>"$T/py" || bad "--vm --per-vcpu --json: $(cat "$T/py")"
tap "--vm PID --per-vcpu --json: vCPUs add up to the VM, time keys exact"

run "$B" $VR --vm 4321-5 --per-vcpu --prometheus
check_rc 0
contains "$out" 'kvm_exits_total{vendor="vmx",vm="4321-5"} 1002' "prometheus"
contains "$out" 'kvm_exits_total{vendor="vmx",vm="4321-5",vcpu="0"} 1002' "prometheus"
contains "$out" 'kvm_exits_by_reason_total{reason="IO_INSTRUCTION",code="0x001e",vendor="vmx",vm="4321-5",vcpu="0"} 1000' "prometheus"
lacks "$out" "kvm_exit_handling" "untimed VM's prometheus"
[ "$(printf '%s\n' "$out" | grep -c '^# TYPE kvm_exits_by_reason_total ')" = 1 ] ||
	bad "TYPE line of kvm_exits_by_reason_total not exactly once"
run "$B" $VR --vm 1234-11 --prometheus
check_rc 0
contains "$out" '# TYPE kvm_exit_handling_seconds_total counter' "prometheus"
contains "$out" '# TYPE kvm_exit_handling_max_seconds gauge' "prometheus"
contains "$out" 'kvm_exit_handling_seconds_total{reason="IO_INSTRUCTION",code="0x001e",vendor="vmx",vm="1234-11"} 0.000400000' "prometheus"
contains "$out" 'kvm_exit_handling_count_total{reason="CPUID",code="0x000a",vendor="vmx",vm="1234-11"} 500' "prometheus"
tap "--vm --prometheus: vm and vcpu labels, handling-time series only when timed, one TYPE per family"

run "$B" $VR --vm 777
check_rc 3; check_err "kvmexit-read: process 777 has several VMs with statistics: 777-1 777-2; name one with --vm <pid>-<fd>"
run "$B" $VR --vm 777-2
check_rc 0; contains "$out" "VM 777-2" "--vm NAME"
run "$B" $VR --vm 1234-12
check_rc 3; contains "$err" "exit_stats_per_vm to Y before the VM is created" "no stats"
run "$B" $VR --vm 99
check_rc 3; contains "$err" "no VM of process 99" "missing VM"
run "$B" $VR --vm 12x
check_rc 2; contains "$err" "expected a process id or a VM's debugfs name" "bad --vm"
run "$B" $VR --per-vcpu
check_rc 2; contains "$err" "--per-vcpu needs --vm" "usage"
run "$B" $VR --vm 1234 --per-vcpu --save "$T/x.snap"
check_rc 2; contains "$err" "--per-vcpu only applies to printing" "usage"
run "$B" $VR --vm 1234 --list-vms
check_rc 2
tap "--vm: by name, ambiguous pid, VM without statistics, missing VM, bad values, usage"

run "$B" --root "$F/vm-bad/kvm_exits"
check_rc 0; contains "$out" "AVG" "time columns"
run "$B" --root "$F/vm-bad/kvm_exits" --vm 1-1
check_rc 5; contains "$err" "vm-bad/kvm/1-1/exit_times:64: last line has no newline" "bad exit_times"
printf '# code name count total_ns max_ns\n0x0000 EXCEPTION_NMI 1 5 9\n' >"$T/t"
mkdir -p "$T/bt/kvm_exits"; cp "$F/vmx-basic/vendor" "$F/vmx-basic/total" "$F/vmx-basic/by_reason" "$T/bt/kvm_exits/"
cp "$T/t" "$T/bt/kvm_exits/time_by_reason"
run "$B" --root "$T/bt/kvm_exits"
check_rc 5; contains "$err" "time_by_reason:2: max_ns 9 above total_ns 5" "max > total"
sed -n 1p "$F/vm/kvm_exits/time_by_reason" >"$T/bt/kvm_exits/time_by_reason"
echo "0x0001 EXTERNAL_INTERRUPT 1 5 5" >>"$T/bt/kvm_exits/time_by_reason"
run "$B" --root "$T/bt/kvm_exits"
check_rc 5; contains "$err" "reason 'EXTERNAL_INTERRUPT' where by_reason has 'EXCEPTION_NMI'" "out of step"
tap "malformed time files: exit 5 naming file and line"

run "$B" $VR --vm 1234-11 --save "$T/vm.snap"
check_rc 0
contains "$(head -1 "$T/vm.snap")" "kvmexit-read-snapshot 2" "VM snapshot version"
contains "$(cat "$T/vm.snap")" "scope 1234-11" "VM snapshot scope"
run "$B" $VR --save "$T/g.snap"
check_rc 0
contains "$(head -1 "$T/g.snap")" "kvmexit-read-snapshot 1" "global snapshot version"
run "$B" $VR --diff "$T/vm.snap" --json
check_rc 0
printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["total"] == 0 and d["to"]["source"].endswith("vm/kvm/1234-11"), d
' 2>"$T/py" || bad "--diff VM snapshot against now: $(cat "$T/py")"
run "$B" $VR --diff "$T/g.snap" "$T/vm.snap" --force
check_rc 6; check_err "kvmexit-read: refusing to diff $T/g.snap and $T/vm.snap: they count different things (all VMs vs VM 1234-11)"
sed 's/scope 1234-11/scope 4321-5/' "$T/vm.snap" >"$T/vm2.snap"
run "$B" $VR --diff "$T/vm.snap" "$T/vm2.snap"
check_rc 6; contains "$err" "(VM 1234-11 vs VM 4321-5)" "different VMs"
run "$B" $VR --vm 4321 --diff "$T/vm.snap"
check_rc 6
sed '/^scope /d' "$T/vm.snap" >"$T/noscope.snap"
run "$B" $VR --diff "$T/noscope.snap"
check_rc 5; contains "$err" "no 'scope' line in a version 2 snapshot" "v2 without scope"
tap "VM snapshots: version 2 with scope, diff against the same VM now, scope mismatch refused even with --force"

echo "1..$n"
[ $failed = 0 ]
