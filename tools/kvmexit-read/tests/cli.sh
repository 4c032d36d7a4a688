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
V=$(cat "$HERE/../../../VERSION")
T=$(mktemp -d /tmp/kvmexit-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
unset KVMEXIT_ROOT
export LC_ALL=C
# the exit_stats_detail hint of --msr: only where a test asks for it
export KVMEXIT_PARAM_DIR=$T/no-such-param-dir

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
0x000a  CPUID               1,000   44.07%
0x001e  IO_INSTRUCTION      1,000   44.07%
0x0020  MSR_WRITE             250   11.02%
0x0001  EXTERNAL_INTERRUPT     17    0.75%
0x000c  HLT                     1    0.04%
0x0030  EPT_VIOLATION           1    0.04%
        total               2,269  100.00%'

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
        total      1,202  100.00%'
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
check_out 'CODE    REASON                       COUNT    SHARE
0x000a  CPUID   18,446,744,073,709,551,615  100.00%
        total   18,446,744,073,709,551,615  100.00%'
tap "u64 max count printed exactly, digits grouped by thousands"

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

# a FIFO where a counters file should be: refused at once, not waited on
mkdir -p "$T/fifo"
cp "$F/vmx-basic/vendor" "$F/vmx-basic/total" "$T/fifo/"
mkfifo "$T/fifo/by_reason"
run timeout 10 "$B" --root "$T/fifo"
check_rc 5
check_err "kvmexit-read: $T/fifo/by_reason: a FIFO, not a counters file (they are regular files)"
rm "$T/fifo/by_reason"
mkdir "$T/fifo/by_reason"
run timeout 10 "$B" --root "$T/fifo"
check_rc 5
check_err "kvmexit-read: $T/fifo/by_reason: a directory, not a counters file (they are regular files)"
tap "a FIFO or directory named by_reason: exit 5 at once, says what it is"

# as_nobody CMD...: runs CMD as an ordinary user (65534) when root
as_nobody() {
	if [ "$(id -u)" = 0 ]; then
		run setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		run "$@"
	fi
}
chmod 755 "$T"
mkdir -p "$T/perm"
chmod 755 "$T/perm"
cp "$S/a.snap" "$T/perm/a.snap"
chmod 000 "$T/perm/a.snap"
as_nobody "$B" --diff "$T/perm/a.snap" "$S/b.snap"
check_rc 4
check_err "kvmexit-read: $T/perm/a.snap: Permission denied"
cp -r "$F/vmx-basic" "$T/perm/c"
chmod 755 "$T/perm/c"
chmod 000 "$T/perm/c/by_reason"
as_nobody "$B" --root "$T/perm/c"
check_rc 4
check_err "kvmexit-read: $T/perm/c/by_reason: Permission denied (reading the counters needs root)"
tap "an unreadable snapshot: exit 4 without a root hint; an unreadable counters file says root is needed"

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
	/^# TYPE / { if ($4 != "counter" && $4 != "gauge" && $4 != "histogram") bad = bad " type:" NR
		     type[$3] = $4; next }
	/^#/ { bad = bad " comment:" NR; next }
	{
		if (!match($0, /^[a-zA-Z_:][a-zA-Z0-9_:]*/)) { bad = bad " name:" NR; next }
		name = substr($0, 1, RLENGTH); rest = substr($0, RLENGTH + 1)
		# the series of a histogram: FAMILY_bucket, _sum, _count
		fam = name
		if (!(name in type) && match(name, /_(bucket|sum|count)$/) &&
		    type[substr(name, 1, RSTART - 1)] == "histogram")
			fam = substr(name, 1, RSTART - 1)
		if (!(fam in help) || !(fam in type)) bad = bad " nohelp:" NR
		if (substr(rest, 1, 1) == "{") {
			# escapes \\ \" \n become X, then no quote or backslash may be left
			gsub(/\\\\|\\"|\\n/, "X", rest)
			if (!match(rest, /^\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*",?)*\}/))
				{ bad = bad " labels:" NR; next }
			rest = substr(rest, RLENGTH + 1)
		}
		# integers; seconds (the handling-time families, the _sum of a
		# histogram) as decimals
		dec = (fam != name) ? (name ~ /_sum$/) : (name ~ /_seconds(_total)?$/)
		if (dec ? rest !~ /^ [0-9]+\.[0-9]+$/ : rest !~ /^ [0-9]+$/)
			bad = bad " value:" NR
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

DIFF_AB="$S/a.snap -> $S/b.snap: 10.000 s, 2,003 exits, 200.30 exits/s
CODE    REASON              DELTA    SHARE  RATE/s
0x001e  IO_INSTRUCTION      1,500   74.89%  150.00
0x000a  CPUID                 500   24.96%   50.00
0x0001  EXTERNAL_INTERRUPT      3    0.15%    0.30
        total               2,003  100.00%  200.30"
run "$B" --diff "$S/a.snap" "$S/b.snap"
check_rc 0; check_out "$DIFF_AB"; check_err ""
tap "--diff A B: exact deltas, interval, exits per second"

run "$B" --diff "$S/a.snap" "$S/b.snap" --json
check_rc 0
got=$(printf '%s\n' "$out" | jq -c '[.type, .interval_seconds, .interval_clock, .total,
	.exits_per_second, .forced, .reasons[0], (.reasons | length),
	.from.boottime, .to.boottime, .from.source]')
[ "$got" = '["diff",10,"boottime",2003,200.3,[],{"code":"0x001e","name":"IO_INSTRUCTION","delta":1500,"per_second":150,"reset":false,"new":false},3,1000.5,1010.5,"'"$S/a.snap"'"]' ] ||
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
contains "$out" "-       other                2    0.17%    0.20" "diff"
contains "$out" "0x007b  io (new)           700   58.24%   70.00" "diff"
contains "$err" "different reason tables: 91 reason(s) only in the second (0x0000 read_cr0, 0x0002 read_cr2, 0x0003 read_cr3, 0x0004 read_cr4, 0x0008 read_cr8 and 86 more), 62 reason(s) only in the first (0x0000 EXCEPTION_NMI, 0x0001 EXTERNAL_INTERRUPT, 0x0002 TRIPLE_FAULT, 0x0003 INIT_SIGNAL, 0x0004 SIPI_SIGNAL and 57 more): reasons only in the second count from 0" "stderr"
tap "--diff --force across boots, time order and vendors says what it forced"

# a reason added in B (a newer kernel's table): named, on the right side
awk '/^reason - other/ { print "reason 0x0099 NEW_REASON 5" }
	/^sum / { $2 += 5 } { print }' "$S/b.snap" >"$T/b-new.snap"
run "$B" --diff "$S/a.snap" "$T/b-new.snap"
check_rc 6
check_err "kvmexit-read: refusing to diff $S/a.snap and $T/b-new.snap:
  different reason tables: 1 reason(s) only in the second (0x0099 NEW_REASON)
use --force to diff them anyway"
run "$B" --diff "$S/a.snap" "$T/b-new.snap" --force
check_rc 0
check_err "kvmexit-read: warning: --force: different reason tables: 1 reason(s) only in the second (0x0099 NEW_REASON): reasons only in the second count from 0, reasons only in the first are left out"
contains "$out" "0x0099  NEW_REASON (new)        5    0.25%    0.50" "table"
run "$B" --diff "$S/a.snap" "$T/b-new.snap" --force --json
got=$(printf '%s\n' "$out" | jq -c '[.forced, [.reasons[] | select(.new) | .name], [.reasons[] | select(.new | not) | .name]]')
[ "$got" = '[["reason_table"],["NEW_REASON"],["IO_INSTRUCTION","CPUID","EXTERNAL_INTERRUPT"]]' ] || bad "json: $got"
run "$B" --diff "$T/b-new.snap" "$S/b.snap" --force
contains "$err" "different reason tables: 1 reason(s) only in the first (0x0099 NEW_REASON): " "stderr"
tap "--diff: a reason only in B is named as such (not '0 only in the first'); JSON marks it \"new\""

while IFS='|' read -r file msg; do
	run "$B" --diff "$S/$file" "$S/b.snap"
	check_rc 5
	check_err "kvmexit-read: $S/$file$msg"
	tap "bad snapshot $file: exit 5, names file and line"
done <<'LIST'
bad-version.snap|:1: unsupported snapshot format version '5' (this kvmexit-read reads versions 1 to 4)
not-a-snapshot.snap|:1: not a kvmexit-read snapshot (the first line must be 'kvmexit-read-snapshot N', N from 1 to 4)
truncated.snap|:34: end of file without the 'end' line (file truncated?)
truncated-midline.snap|:34: last line has no newline (file truncated?)
corrupted.snap|:71: sum 2269 does not match the reason counts, which add up to 3169 (file corrupted?)
hostile-after-end.snap|:73: data after the 'end' line (line 72)
hostile-binary.snap|:1: NUL byte in column 1
hostile-dupkey.snap|:7: duplicate 'vendor' line (first on line 6)
hostile-longline.snap|:5: line too long (more than 255 bytes)
hostile-nul.snap|:6: NUL byte in column 9
hostile-overflow.snap|:16: count '99999999999999999999999' does not fit in 64 bits
missing.snap|: No such file or directory
LIST

# oversized snapshots, generated here: the limits are those the man page
# and the rst give (128 KiB for format 1, 64 MiB for format 2)
grep -q "^Files of more than 128 KiB (format 1) or 64 MiB (format 2)" "$HERE/../kvmexit-read.1" ||
	bad "man page limits"
grep -q "128 KiB per file" "$HERE/../../../Documentation/kvmexit-read.rst" &&
	grep -q "(at most 64 MiB per file" "$HERE/../../../Documentation/kvmexit-read.rst" || bad "rst limits"
for v in 1:131072 2:67108864; do
	# a.snap (format 2: with a scope line), comment lines up to max bytes
	# before its end line: the largest allowed, then one byte more
	python3 - "$S/a.snap" "${v%:*}" "${v#*:}" >"$T/big.snap" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines(True)
version, size = sys.argv[2], int(sys.argv[3])
lines[0] = "kvmexit-read-snapshot %s\n" % version
if version == "2":
    lines.insert([l.startswith("vendor ") for l in lines].index(True) + 1, "scope global\n")
head = "".join(lines[:-1])
pad = size - len(head) - len(lines[-1])
rows = ["#" * 99 + "\n"] * (pad // 100) + (["#" * (pad % 100 - 1) + "\n"] if pad % 100 else [])
sys.stdout.write(head + "".join(rows) + lines[-1])
PY
	max=${v#*:}
	[ "$(wc -c <"$T/big.snap")" = "$max" ] || bad "generated $(wc -c <"$T/big.snap") bytes, not $max"
	run "$B" --diff "$T/big.snap" "$T/big.snap"
	check_rc 0
	sed -i '2i #' "$T/big.snap"
	run "$B" --diff "$T/big.snap" "$S/b.snap"
	check_rc 5
	check_err "kvmexit-read: $T/big.snap: too large (more than $max bytes)"
done
tap "snapshots of exactly 128 KiB (format 1) and 64 MiB (format 2) are read, one byte more is refused"

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
run "$B" --root "$T/r" --reset --force
check_rc 0; check_out ""
check_err "kvmexit-read: warning: --force: $T/r/total is not on debugfs: writing 0 to it anyway"
[ "$(cat "$T/r/total")" = 0 ] || bad "total is '$(cat "$T/r/total")'"
[ "$(wc -c <"$T/r/total")" = 2 ] || bad "total not '0\\n'"
run "$B" --root "$T/r" --reset --force --json
check_rc 0; check_out '{"type":"reset","format":1,"source":"'"$T/r"'"}'
tap "--reset --force writes 0 to the total of a test tree, warning that it is not debugfs"

# --reset writes only to debugfs: a tree elsewhere needs --force, and a
# symbolic link is never followed
cp -r "$F/vmx-basic" "$T/rl"
run "$B" --root "$T/rl" --reset
check_rc 4
magic=$(stat -f -c %t "$T/rl/total")
check_err "kvmexit-read: $T/rl/total: not on debugfs (file system magic 0x$magic): refusing to write to it (--force writes 0 to it anyway, for a test tree)"
[ "$(cat "$T/rl/total")" = 2270 ] || bad "total changed without --force"
printf 'precious\n' >"$T/victim"
rm "$T/rl/total"
ln -s "$T/victim" "$T/rl/total"
for force in "" --force; do
	run "$B" --root "$T/rl" --reset $force
	check_rc 4
	check_err "kvmexit-read: $T/rl/total: a symbolic link: refusing to reset the counters through it"
done
[ "$(cat "$T/victim")" = precious ] || bad "the link's target was written: $(cat "$T/victim")"
tap "--reset refuses a tree not on debugfs without --force, and a symbolic link even with it"

cp -r "$F/vmx-basic" "$T/r2"
chmod 755 "$T"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$B" --root "$T/r2" --reset --force
else
	chmod 0444 "$T/r2/total"
	run "$B" --root "$T/r2" --reset --force
fi
check_rc 4
check_err "kvmexit-read: $T/r2/total: cannot reset the counters: Permission denied (resetting needs root)"
[ "$(cat "$T/r2/total")" = 2270 ] || bad "total changed"
tap "--reset without permission: exit 4, says root is needed"

run "$B" --root "$T/nonexistent" --reset --force
check_rc 3
mkdir -p "$T/r3/total"
run "$B" --root "$T/r3" --reset --force
check_rc 1
contains "$err" "$T/r3/total: cannot reset the counters: Is a directory" "stderr"
tap "--reset on a missing directory (exit 3) or unwritable total (exit 1)"

# --- running a command ----------------------------------------------------
while IFS='|' read -r want what cmd; do
	run "$B" --root "$F/vmx-basic" -- sh -c "$cmd"
	check_rc "$want"
	contains "$err" "sh -c $cmd ($what): " "stderr"
	contains "$err" "
CODE  REASON  DELTA    SHARE  RATE/s
      total       0        -" "stderr"
	tap "-- sh -c '$cmd': exit status $want, report on stderr says $what"
done <<'LIST'
0|exited with status 0|true
1|exited with status 1|false
42|exited with status 42|exit 42
143|killed by signal 15: Terminated|kill -TERM $$
137|killed by signal 9: Killed|kill -KILL $$
LIST
run "$B" --root "$F/vmx-basic" --json -- sh -c 'kill -TERM $$'
check_rc 143
[ "$(printf '%s\n' "$err" | jq -c '[.exit_status, .signal]')" = "[143,15]" ] || bad "json: $err"
run "$B" --root "$F/vmx-basic" --json -- sh -c 'exit 4'
[ "$(printf '%s\n' "$err" | jq -c '[.exit_status, .signal]')" = "[4,null]" ] || bad "json: $err"
tap "-- CMD --json: exit_status, and signal (null if it exited)"

run "$B" --root "$F/vmx-basic" -- "$T/no-such-command" arg
check_rc 127
check_err "kvmexit-read: cannot execute '$T/no-such-command': No such file or directory"
printf 'not a program\n' >"$T/noexec"
chmod 644 "$T/noexec"
run "$B" --root "$F/vmx-basic" -- "$T/noexec"
check_rc 126
check_err "kvmexit-read: cannot execute '$T/noexec': Permission denied"
run "$B" --root "$F/vmx-basic" --json -- "$T/no-such-command"
check_rc 127
check_err "kvmexit-read: cannot execute '$T/no-such-command': No such file or directory"
tap "-- CMD: 127 if not found, 126 if not executable, and no report of a command that never ran"

# SIGINT and SIGQUIT: the command gets the dispositions kvmexit-read was
# started with (ignored stays ignored, as with time and perf stat)
run sh -c "trap '' INT QUIT; exec '$B' --root '$F/vmx-basic' -- sh -c 'kill -INT \$\$; kill -QUIT \$\$; echo survived'"
check_rc 0
check_out "survived"
run "$B" --root "$F/vmx-basic" -- sh -c 'kill -INT $$; echo survived'
check_rc 130
check_out ""
contains "$err" "(killed by signal 2: Interrupt)" "stderr"
tap "-- CMD keeps SIGINT and SIGQUIT ignored for the command if they were ignored on entry, default otherwise"

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
printf '%s\n' "$out" | tail -n +2 | grep -Evq '^ +[0-9]+\.[0-9]{3} +0 +0\.00$' && bad "lines: $out"
printf '%s\n' "$out" | tail -n +2 | awk '$1 <= prev { exit 1 } { prev = $1 }' || bad "elapsed not increasing: $out"
# absolute deadlines: never sooner than 3 intervals (a loaded machine is
# only slower)
[ $(((end - start) / 1000000)) -ge 590 ] || bad "took $(((end - start) / 1000000)) ms"
tap "--watch 0.2 --count 3: header and 3 interval lines, at least 0.6 s"

# the counters change once while --watch runs; whenever that happens, the
# intervals' deltas add up to the change (no sleeps to race against: the
# change is made after the first line, and the watch is stopped two lines
# after it)
cp "$F/vmx-basic/by_reason" "$T/run/by_reason"
: >"$T/wl"
"$B" --root "$T/run" --watch 0.05 --json >"$T/wl" 2>"$T/wl.err" &
wpid=$!
lines_at_least() { # N: waits (60 s at most) for N lines of output
	i=0
	while [ "$(wc -l <"$T/wl")" -lt "$1" ] && [ $i -lt 600 ] && kill -0 $wpid 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
}
lines_at_least 1
cp "$T/after" "$T/run/by_reason.new"
mv "$T/run/by_reason.new" "$T/run/by_reason"
lines_at_least $(($(wc -l <"$T/wl") + 2))
kill $wpid
{ wait $wpid; } 2>/dev/null
# complete lines only
out=$(head -n "$(wc -l <"$T/wl")" "$T/wl")
[ -s "$T/wl.err" ] && bad "stderr: $(cat "$T/wl.err")"
[ "$(printf '%s\n' "$out" | wc -l)" -ge 3 ] || bad "lines: $out"
got=$(printf '%s\n' "$out" | jq -s -c '[(map(.seq) == [range(1; length + 1)]), (map(.total) | add), (map(.type) | unique),
	(map(.interval_seconds > 0) | all), (map(select(.total > 0)) | length)]')
[ "$got" = '[true,704,["interval"],true,1]' ] || bad "json lines: $got"
printf '%s\n' "$out" | jq -s -e 'map(select(.total > 0)) | .[0].reasons[0] == {"code":"0x000a","name":"CPUID","delta":700,"per_second":.[0].reasons[0].per_second,"reset":false,"new":false}' >/dev/null ||
	bad "top reason"
tap "--watch --json: JSON Lines, deltas of a change add up to 704"

for bad_s in 0 -1 abc 1e3 0.001 86401 '' 0.5s; do
	run "$B" --root "$F/vmx-basic" --watch "$bad_s" --count 1
	check_rc 2
	contains "$err" "kvmexit-read: --watch: " "stderr"
done
tap "--watch rejects bad intervals (exit 2)"

# --- record and timeline ---------------------------------------------------
# complete FILE: every line is one JSON object ending in a newline
complete() {
	[ -s "$1" ] || { bad "$1 is empty or missing"; return; }
	[ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] || bad "$1: last line has no newline"
	jq -c . "$1" >/dev/null 2>&1 || bad "$1: not JSON Lines: $(head -c 300 "$1")"
}
# samples FILE: the number of sample lines (all but the header)
samples() { echo $(($(wc -l <"$1") - 1)); }
VMX_REASONS='{"EXTERNAL_INTERRUPT":17,"CPUID":1000,"HLT":1,"IO_INSTRUCTION":1000,"MSR_WRITE":250,"EPT_VIOLATION":1}'

mkdir "$T/rec"
up0=$(cut -d' ' -f1 /proc/uptime)
run "$B" --root "$F/vmx-basic" --record "$T/rec/c3.jsonl" --interval 0.01 --count 3
up1=$(cut -d' ' -f1 /proc/uptime)
check_rc 0; check_out ""; check_err ""
complete "$T/rec/c3.jsonl"
[ "$(wc -l <"$T/rec/c3.jsonl")" = 4 ] || bad "lines: $(cat "$T/rec/c3.jsonl")"
got=$(head -1 "$T/rec/c3.jsonl" | jq -c '[.type, .format, .source, .vm, .vendor, .clock, .interval_seconds, .command, (.boot_id | length)]')
[ "$got" = '["recording",1,"'"$F/vmx-basic"'",null,"vmx","boottime",0.01,null,36]' ] || bad "header: $got"
got=$(tail -n +2 "$T/rec/c3.jsonl" | jq -s -c "[(map(.total) | unique), (map(.reasons == $VMX_REASONS) | unique), (map(has(\"reset\")) | unique), (map(keys) | unique)]")
[ "$got" = '[[2269],[true],[false],[["reasons","t","total"]]]' ] || bad "samples: $got"
# t: seconds since boot with 6 decimals, increasing, on the clock of
# /proc/uptime (which has 2 decimals, cut). The schedule does not drift, so
# a late sample makes the next gap short: only the whole span must cover
# two intervals (less the time from the schedule's start to the first
# stamp).
tail -n +2 "$T/rec/c3.jsonl" | grep -Evq '^\{"t":[0-9]+\.[0-9]{6},' && bad "t format: $(cat "$T/rec/c3.jsonl")"
tail -n +2 "$T/rec/c3.jsonl" | jq -r .t | awk -v a="$up0" -v b="$up1" '
	NR == 1 { first = $1 } NR > 1 && $1 <= prev { exit 1 }
	$1 < a || $1 > b + 0.01 { exit 1 } { prev = $1 } END { exit !(prev - first >= 0.015) }' ||
	bad "t not within /proc/uptime $up0..$up1, increasing, 2 intervals in all: $(tail -n +2 "$T/rec/c3.jsonl" | jq -r .t | tr '\n' ' ')"
[ "$(ls -A "$T/rec")" = c3.jsonl ] || bad "files left: $(ls -A "$T/rec")"
tap "--record --count 3 --interval 0.01: a header and 3 samples with the fixture's counts, t from CLOCK_BOOTTIME = /proc/uptime"

run "$B" --root "$F/vmx-basic" --record - --interval 0.01 --count 2
check_rc 0; check_err ""
[ "$(printf '%s\n' "$out" | jq -c -s '[.[0].type, (.[1:] | map(.total))]')" = '["recording",[2269,2269]]' ] || bad "stdout: $out"
tap "--record - writes the recording to standard output"

run "$B" --root "$F/vmx-basic" --record "$T/rec/x7.jsonl" --interval 0.01 -- sh -c 'sleep 0.05; exit 7'
check_rc 7; check_out ""; check_err ""
complete "$T/rec/x7.jsonl"
[ "$(samples "$T/rec/x7.jsonl")" -ge 2 ] || bad "samples: $(cat "$T/rec/x7.jsonl")"
[ "$(head -1 "$T/rec/x7.jsonl" | jq -r .command)" = "sh -c sleep 0.05; exit 7" ] || bad "command: $(head -1 "$T/rec/x7.jsonl")"
run "$B" --root "$F/vmx-basic" --record "$T/rec/k.jsonl" --interval 0.01 -- sh -c 'kill -TERM $$'
check_rc 143; check_err ""
complete "$T/rec/k.jsonl"
run "$B" --root "$F/vmx-basic" --record "$T/rec/n.jsonl" --interval 0.01 -- "$T/no-such-command"
check_rc 127
check_err "kvmexit-read: cannot execute '$T/no-such-command': No such file or directory"
[ -e "$T/rec/n.jsonl" ] && bad "a recording of a command that never ran"
tap "--record -- CMD: a sample before, every interval, one at the exit; the command's exit status (7, 143, 127)"

# counters rewritten while recording: up (CPUID 1700), then down (CPUID
# 10): the first sample with the lower value says "reset": true. No sleeps
# to race: the command waits for the higher value in the recording.
cp -r "$F/vmx-basic" "$T/rec/tree"
sed 's/CPUID 1000$/CPUID 1700/' "$F/vmx-basic/by_reason" >"$T/rec/hi"
sed 's/CPUID 1000$/CPUID 10/' "$F/vmx-basic/by_reason" >"$T/rec/lo"
run "$B" --root "$T/rec/tree" --record "$T/rec/r.jsonl" --interval 0.01 -- sh -c "
	cp '$T/rec/hi' '$T/rec/tree/n'; mv '$T/rec/tree/n' '$T/rec/tree/by_reason'
	i=0; until grep -q '\"CPUID\":1700' '$T/rec/r.jsonl' 2>/dev/null || [ \$i -ge 600 ]; do sleep 0.1; i=\$((i + 1)); done
	cp '$T/rec/lo' '$T/rec/tree/n'; mv '$T/rec/tree/n' '$T/rec/tree/by_reason'"
check_rc 0; check_err ""
complete "$T/rec/r.jsonl"
# the first sample with CPUID 10 is the one (the only one) with a reset
got=$(tail -n +2 "$T/rec/r.jsonl" | jq -s -c '[(map(.reset // false) | index(true)) == (map(.reasons.CPUID) | index(10)),
	(map(select(.reset)) | length), (map(.reasons.CPUID) | unique), (map(.total) | .[0])]')
[ "$got" = '[true,1,[10,1000,1700],2269]' ] || bad "samples: $got: $(cat "$T/rec/r.jsonl")"
run "$B" --timeline "$T/rec/r.jsonl"
check_rc 0
[ "$(printf '%s\n' "$out" | grep -c '  reset ')" = 1 ] || bad "timeline: $out"
contains "$out" "1 with a counter reset, counted from the reset)" "timeline"
tap "--record: counters that went down mid-recording flag that sample \"reset\": true; --timeline shows reset, no rate"

# the counters go away (the kvm module unloaded): the recording keeps its
# samples and ends, with one note
cp -r "$F/vmx-basic" "$T/rec/gone"
run "$B" --root "$T/rec/gone" --record "$T/rec/g.jsonl" --interval 0.01 -- sh -c "
	i=0; until [ \$(wc -l 2>/dev/null <'$T/rec/g.jsonl' || echo 0) -ge 3 ] || [ \$i -ge 600 ]; do sleep 0.1; i=\$((i + 1)); done
	rm -rf '$T/rec/gone'; sleep 0.1; exit 4"
check_rc 4
complete "$T/rec/g.jsonl"
ns=$(samples "$T/rec/g.jsonl")
[ "$ns" -ge 2 ] || bad "samples: $ns"
check_err "kvmexit-read: counters went away after $ns samples; the recording ends there ($T/rec/gone/vendor: No such file or directory)"
cp -r "$F/vmx-basic" "$T/rec/gone"
"$B" --root "$T/rec/gone" --record "$T/rec/g2.jsonl" --interval 0.01 >"$T/rec/g2.out" 2>"$T/rec/g2.err" &
rpid=$!
i=0; until [ "$(wc -l 2>/dev/null <"$T/rec/g2.jsonl" || echo 0)" -ge 3 ] || [ $i -ge 600 ]; do sleep 0.1; i=$((i + 1)); done
rm -rf "$T/rec/gone"
wait $rpid
rc=$?
check_rc 3
complete "$T/rec/g2.jsonl"
ns=$(samples "$T/rec/g2.jsonl")
[ "$(cat "$T/rec/g2.err")" = "kvmexit-read: counters went away after $ns samples; the recording ends there ($T/rec/gone/vendor: No such file or directory)" ] ||
	bad "stderr: $(cat "$T/rec/g2.err")"
run "$B" --timeline "$T/rec/g2.jsonl"
check_rc 0
tap "--record: counters gone mid-recording: complete samples kept, one note; -- CMD's status, else exit 3"

# SIGTERM (and SIGINT) end a recording without a command: exit 0, complete
"$B" --root "$F/vmx-basic" --record "$T/rec/s.jsonl" --interval 0.01 >"$T/rec/s.out" 2>"$T/rec/s.err" &
rpid=$!
i=0; until [ "$(wc -l 2>/dev/null <"$T/rec/s.jsonl" || echo 0)" -ge 3 ] || [ $i -ge 600 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $rpid
wait $rpid
rc=$?
check_rc 0
[ -s "$T/rec/s.err" ] && bad "stderr: $(cat "$T/rec/s.err")"
complete "$T/rec/s.jsonl"
[ "$(samples "$T/rec/s.jsonl")" -ge 2 ] || bad "samples"
# (SIGINT as the default action, even if this script runs with it ignored)
run python3 -c "
import os, signal, subprocess, sys, time
p = subprocess.Popen(['$B', '--root', '$F/vmx-basic', '--record', '$T/rec/i.jsonl', '--interval', '0.01'],
                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
for _ in range(600):
    time.sleep(0.1)
    if os.path.exists('$T/rec/i.jsonl') and open('$T/rec/i.jsonl').read().count('\\n') >= 3:
        break
p.send_signal(signal.SIGINT)
try:
    sys.exit(p.wait(timeout=60))
except subprocess.TimeoutExpired:
    p.kill()
    sys.exit(99)"
check_rc 0
complete "$T/rec/i.jsonl"
tap "--record without a command stops at SIGTERM or SIGINT: exit 0, the file complete"

for bad_s in 0 -1 abc nan inf 1e3 0.001 86401 '' 0.5s; do
	run "$B" --root "$F/vmx-basic" --record "$T/rec/b.jsonl" --interval "$bad_s" --count 2
	check_rc 2
	contains "$err" "kvmexit-read: --interval: " "stderr"
done
[ -e "$T/rec/b.jsonl" ] && bad "file created"
while IFS='|' read -r args msg; do
	# shellcheck disable=SC2086
	run "$B" $args
	check_rc 2
	check_err "kvmexit-read: $msg
Try 'kvmexit-read --help' for more information."
done <<'LIST'
--record f|--record needs --interval SECONDS
--interval 1|--interval only applies to --record
--record f --interval 1 --count 1|--count: a recording needs at least 2 samples, not 1
--record f --interval 1 --count 3 -- true|--count cannot be combined with -- CMD: the recording ends when the command exits
--record - --interval 1 -- true|--record - -- CMD: the command's output would mix with the recording on standard output; record to a file
--record f --interval 1 --json|--json does not apply to --record (a recording is JSON Lines already)
--record f --interval 1 --output g|--output does not apply to --record (the recording goes to its FILE)
--timeline f --top 513|--top: bad number '513' (0 to 512)
--timeline f --busiest 0|--busiest: bad number '0' (1 to 1000000000)
--timeline f --json --top 3|--top does not apply to --json (it lists every reason)
--timeline f --tsv --marks m|--marks does not apply to --tsv (plot the marks file itself)
--timeline f --tsv --json|--tsv and --json cannot be combined
--tsv|--tsv only applies to --timeline
--marks m --watch 1|--marks only applies to --timeline
--timeline f --vm 12|--vm does not apply to --timeline (the recording says what it recorded)
LIST
tap "--record and --timeline usage errors: exit 2 with the reason (intervals as --watch: 0.01 to 86400)"

# an unwritable FILE: named, before the command starts, nothing left behind
echo old >"$T/rec/keep.jsonl"
mkdir "$T/rec/dir"
while IFS='|' read -r want file msg; do
	run "$B" --root "$F/vmx-basic" --record "$file" --interval 0.01 -- touch "$T/rec/ran"
	check_rc "$want"
	check_err "kvmexit-read: $file: $msg"
	[ -e "$T/rec/ran" ] && bad "$file: the command ran"
	rm -f "$T/rec/ran"
done <<LIST
1|$T/rec/nodir/r.jsonl|cannot create the recording: No such file or directory
1|$T/rec/dir|cannot create the recording: Is a directory
1|/dev/full|write failed: No space left on device
LIST
mkdir "$T/rec/ro"
chmod 555 "$T/rec/ro"
as_nobody "$B" --root "$F/vmx-basic" --record "$T/rec/ro/r.jsonl" --interval 0.01 -- touch "$T/rec/ran"
check_rc 4
check_err "kvmexit-read: $T/rec/ro/r.jsonl: cannot create the recording: Permission denied"
[ -e "$T/rec/ran" ] && bad "the command ran"
# counters unavailable: no recording, an older FILE stays
run "$B" --root "$T/nonexistent" --record "$T/rec/keep.jsonl" --interval 0.01 -- touch "$T/rec/ran"
check_rc 3
[ "$(cat "$T/rec/keep.jsonl")" = old ] || bad "keep.jsonl replaced"
[ -e "$T/rec/ran" ] && bad "the command ran"
[ -z "$(find "$T/rec/dir" "$T/rec/ro" -mindepth 1)" ] || bad "files left: $(find "$T/rec/dir" "$T/rec/ro" -mindepth 1)"
[ -z "$(find "$T/rec" -name '.*.jsonl.*')" ] || bad "temporary files left: $(find "$T/rec" -name '.*.jsonl.*')"
tap "--record to a missing directory, a directory, /dev/full, without permission: named, exit 1 or 4, command not run, nothing left"

# a write error mid-recording (here the file size limit, EFBIG) cuts the
# file back to its last complete line
run sh -c "trap '' XFSZ; ulimit -f 2; exec '$B' --root '$F/vmx-basic' --record '$T/rec/u.jsonl' --interval 0.01 --count 1000"
check_rc 1
complete "$T/rec/u.jsonl"
ns=$(samples "$T/rec/u.jsonl")
check_err "kvmexit-read: $T/rec/u.jsonl: write failed: File too large (cut back to its last complete line: $ns samples)"
[ "$(wc -c <"$T/rec/u.jsonl")" -le 1024 ] || bad "size"
run "$B" --timeline "$T/rec/u.jsonl"
check_rc 0
tap "--record: a write error cuts the file back to its last complete line, exit 1 naming the file"

VR="--root $F/vm/kvm_exits"
run "$B" $VR --vm 1234-11 --record "$T/rec/vm.jsonl" --interval 0.01 --count 2
check_rc 0
got=$(jq -s -c '[.[0].vm, .[0].source, .[1].total, .[1].reasons.CPUID]' "$T/rec/vm.jsonl")
[ "$got" = '["1234-11","'"$F/vm/kvm/1234-11"'",553,500]' ] || bad "vm: $got"
tap "--record --vm: the VM's counters, the header names the VM"

# --timeline of a hand-made recording: exact rates
cat >"$T/rec/good.jsonl" <<'EOF'
{"type":"recording","format":1,"source":"/test/kvm_exits","vm":null,"vendor":"vmx","command":null}
{"t":100.000000,"total":1000,"reasons":{"CPUID":600,"HLT":300,"IO_INSTRUCTION":100}}
{"t":100.500000,"total":2100,"reasons":{"CPUID":1600,"HLT":400,"IO_INSTRUCTION":100}}
{"t":101.500000,"total":4150,"reasons":{"CPUID":2600,"HLT":400,"IO_INSTRUCTION":1100,"MSR_WRITE":50}}
{"t":102.000000,"total":110,"reset":true,"reasons":{"CPUID":100,"HLT":10}}
{"t":104.000000,"total":5600,"reasons":{"CPUID":5100,"HLT":410,"other":90}}
EOF
G=$T/rec/good.jsonl
run "$B" --timeline "$G"
check_rc 0; check_err ""
check_out "$G: 5 samples of /test/kvm_exits (vmx), 4.000 s from t 100.000000
START  INTERVAL   EXITS/s     CPUID  IO_INSTRUCTION     HLT  MSR_WRITE  other
0.000     0.500  2,200.00  2,000.00            0.00  200.00       0.00   0.00
0.500     1.000  2,050.00  1,000.00        1,000.00    0.00      50.00   0.00
1.500     0.500     reset         -               -       -          -      -
2.000     2.000  2,745.00  2,500.00            0.00  200.00       0.00  45.00
total: 8,750 exits in 4.000 s, 2,187.50 exits/s (4 intervals, 1 with a counter reset, counted from the reset)"
run "$B" --timeline - --top 1 <"$G"
check_rc 0
check_out "(standard input): 5 samples of /test/kvm_exits (vmx), 4.000 s from t 100.000000
START  INTERVAL   EXITS/s     CPUID     other
0.000     0.500  2,200.00  2,000.00    200.00
0.500     1.000  2,050.00  1,000.00  1,050.00
1.500     0.500     reset         -         -
2.000     2.000  2,745.00  2,500.00    245.00
total: 8,750 exits in 4.000 s, 2,187.50 exits/s (4 intervals, 1 with a counter reset, counted from the reset)"
tap "--timeline: exact per-interval rates, top reasons then other, reset intervals, the summary"

run "$B" --timeline "$G" --busiest 2 --top 0
check_rc 0
check_out "$G: 5 samples of /test/kvm_exits (vmx), 4.000 s from t 100.000000; the 2 busiest of 4 intervals
START  INTERVAL   EXITS/s     other
2.000     2.000  2,745.00  2,745.00
0.000     0.500  2,200.00  2,200.00
total: 8,750 exits in 4.000 s, 2,187.50 exits/s (4 intervals, 1 with a counter reset, counted from the reset)"
run "$B" --timeline "$G" --busiest 10 --tsv --top 0
check_out "t	interval	total	other
102.000000	2.000000	2745.00	2745.00
100.000000	0.500000	2200.00	2200.00
100.500000	1.000000	2050.00	2050.00"
tap "--timeline --busiest N: the N highest rates, highest first, resets left out"

printf '# marks: seconds since boot\n100.25 boot start\n\n101.5\tL2 init\n99 before it\n104 the end\n104.000001 after it' >"$T/rec/marks"
run "$B" --timeline "$G" --marks "$T/rec/marks" --top 2
check_rc 0
check_out "$G: 5 samples of /test/kvm_exits (vmx), 4.000 s from t 100.000000
START  INTERVAL   EXITS/s     CPUID  IO_INSTRUCTION   other
--- -1.000 s before it (before the recording)
--- 0.250 s boot start
0.000     0.500  2,200.00  2,000.00            0.00  200.00
0.500     1.000  2,050.00  1,000.00        1,000.00   50.00
--- 1.500 s L2 init
1.500     0.500     reset         -               -       -
--- 4.000 s the end
2.000     2.000  2,745.00  2,500.00            0.00  245.00
--- 4.000 s after it (after the recording)
total: 8,750 exits in 4.000 s, 2,187.50 exits/s (4 intervals, 1 with a counter reset, counted from the reset)"
run "$B" --timeline "$G" --marks "$T/rec/marks" --json
check_rc 0
got=$(printf '%s\n' "$out" | jq -c -s 'map([.seq, .reset, .exits_per_second, (.marks | map(.label))])')
[ "$got" = '[[1,false,2200,["boot start"]],[2,false,2050,[]],[3,true,null,["L2 init"]],[4,false,2745,["the end"]]]' ] || bad "json: $got"
got=$(printf '%s\n' "$out" | jq -c -s '.[3] | [.type, .format, .t, .elapsed_seconds, .interval_seconds, .total, .reasons]')
[ "$got" = '["timeline",1,102,2,2,5490,[{"name":"CPUID","delta":5000,"per_second":2500},{"name":"HLT","delta":400,"per_second":200},{"name":"other","delta":90,"per_second":45}]]' ] ||
	bad "json: $got"
tap "--timeline --marks: each mark before the row of its interval (before/after the recording too); --json: mark labels per interval"

run "$B" --timeline "$G" --tsv
check_rc 0; check_err ""
check_out "t	interval	total	CPUID	IO_INSTRUCTION	HLT	MSR_WRITE	other
100.000000	0.500000	2200.00	2000.00	0.00	200.00	0.00	0.00
100.500000	1.000000	2050.00	1000.00	1000.00	0.00	50.00	0.00
101.500000	0.500000	0.00	0.00	0.00	0.00	0.00	0.00
102.000000	2.000000	2745.00	2500.00	0.00	200.00	0.00	45.00"
tap "--timeline --tsv: the header t interval total R1 ... other, plain numbers, reset intervals as 0"

# the marks file: errors name MARKS:LINE
while IFS='|' read -r text msg; do
	printf '%b' "$text" >"$T/rec/m"
	run "$B" --timeline "$G" --marks "$T/rec/m"
	check_rc 5; check_out ""
	check_err "kvmexit-read: $T/rec/m:$msg"
done <<'LIST'
100 a\nabc x\n|2: bad time 'abc' (expected seconds since boot, e.g. 12.34, as the first field of /proc/uptime)
100\n|1: no label after the time
-3 x\n|1: bad time '-3' (expected seconds since boot, e.g. 12.34, as the first field of /proc/uptime)
1 a\033[31m\n|1: control character 0x1b in the label (column 4)
LIST
run "$B" --timeline "$G" --marks "$T/rec/none"
check_rc 5; check_err "kvmexit-read: $T/rec/none: No such file or directory"
tap "--marks: a bad line is MARKS:LINE: what is wrong, exit 5"

# corrupt and truncated recordings: FILE:LINE: what is wrong, exit 5
H='{"type":"recording","format":1,"source":"/s"}'
S1='{"t":1.0,"total":1,"reasons":{"A":1}}'
while IFS='|' read -r text msg; do
	printf '%b' "$text" >"$T/rec/c.jsonl"
	run "$B" --timeline "$T/rec/c.jsonl"
	check_rc 5; check_out ""
	check_err "kvmexit-read: $T/rec/c.jsonl$msg"
done <<LIST
$H\n$S1\n{"t":2.0,"total":2,"reasons":{"A":2}}|:3: last line has no newline (file truncated?)
$H\n$S1\n{"t":2.0,"total":2,"reasons":{"A":2}\n|:3: bad JSON: column 37: expected ',' or '}'
$H\n$S1\n{"t":2.0,"reasons":{"A":2}}\n|:3: missing "total" (not a sample?)
$H\n$S1\n{"t":0.5,"total":2,"reasons":{"A":2}}\n|:3: t 0.500000 is not after the previous sample's 1.000000 (t goes backwards)
$H\n$S1\n{"t":2.0,"total":3,"reasons":{"A":2}}\n|:3: total 3 does not match the reasons, which add up to 2 (file corrupted?)
$H\n$S1\n$H\n|:3: a line of type 'recording' where a sample was expected (two recordings in one file?)
{"type":"interval","format":1}\n|:1: not a kvmexit-read recording (its first line is {"type":"recording",...}, written by --record); this is of type 'interval'
{"type":"recording","format":2,"source":"/s"}\n|:1: recording format '2' is not supported (this kvmexit-read reads format 1)
$H\n$S1\n|: only 1 sample: a timeline needs at least 2 (record longer, or with a shorter --interval)
$H\n|: no samples: a timeline needs at least 2 (record longer, or with a shorter --interval)
|:1: empty file, not a kvmexit-read recording
LIST
run "$B" --timeline "$S/a.snap"
check_rc 5
check_err "kvmexit-read: $S/a.snap:1: not a kvmexit-read recording (its first line is {\"type\":\"recording\",...}, written by --record): bad JSON, column 1: expected a JSON object ('{')"
head -c 70000 /dev/zero | tr '\0' x >"$T/rec/long.jsonl"
run "$B" --timeline "$T/rec/long.jsonl"
check_rc 5; check_err "kvmexit-read: $T/rec/long.jsonl:1: line too long (more than 65536 bytes)"
{ echo "$H"; i=0; while [ $i -lt 513 ]; do echo "{\"t\":$((i + 1)),\"total\":1,\"reasons\":{\"R$i\":1}}"; i=$((i + 1)); done; } >"$T/rec/many.jsonl"
run "$B" --timeline "$T/rec/many.jsonl"
check_rc 5; check_err "kvmexit-read: $T/rec/many.jsonl:514: too many different reasons in the recording (more than 512)"
run "$B" --timeline "$T/rec/none.jsonl"
check_rc 5; check_err "kvmexit-read: $T/rec/none.jsonl: No such file or directory"
# every cut of a real recording short of a line end is refused, naming
# the line; every cut at a line end reads
"$B" --root "$F/vmx-basic" --record "$T/rec/cut.jsonl" --interval 0.01 --count 3
size=$(wc -c <"$T/rec/cut.jsonl")
i=1
while [ $i -lt "$size" ]; do
	head -c $i "$T/rec/cut.jsonl" >"$T/rec/cut1"
	lines=$(wc -l <"$T/rec/cut1")
	"$B" --timeline "$T/rec/cut1" >/dev/null 2>"$T/rec/cut.err"
	rc=$?
	if [ "$(tail -c 1 "$T/rec/cut1" | od -An -c | tr -d ' ')" = '\n' ]; then
		[ $lines -ge 3 ] && [ $rc != 0 ] && bad "cut at $i: exit $rc"
	else
		[ $rc = 5 ] || bad "cut at $i: exit $rc"
		grep -q "^kvmexit-read: $T/rec/cut1:$((lines + 1)): last line has no newline (file truncated?)$" "$T/rec/cut.err" ||
			bad "cut at $i: $(cat "$T/rec/cut.err")"
	fi
	i=$((i + 37))
done
tap "--timeline: truncated, corrupt, not a recording, too few samples, over the line and reason limits: FILE:LINE: what is wrong, exit 5"

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
check_rc 0; check_out "kvmexit-read $V (snapshot formats 1 to 4, JSON format 1)"
tap "--help, -h and --version"

run "$B" -V
check_rc 0; check_out "kvmexit-read $V (snapshot formats 1 to 4, JSON format 1)"
run "$B" --root "$F/vmx-basic" -j
check_rc 0
[ "$(printf '%s\n' "$out" | jq -r .total)" = 2269 ] || bad "-j: $out"
"$B" --root "$F/vmx-basic" --json >"$T/compact"
run "$B" --root "$F/vmx-basic" -p
check_rc 0
[ "$(printf '%s\n' "$out" | head -3)" = '{
  "type": "counters",
  "format": 1,' ] || bad "-p: $(printf '%s\n' "$out" | head -3)"
# the same object, only indented (wall_time and boottime differ per run)
[ "$(printf '%s\n' "$out" | jq -c 'del(.wall_time, .boottime)')" = "$(jq -c 'del(.wall_time, .boottime)' "$T/compact")" ] || bad "-p differs from --json"
run "$B" --diff "$S/a.snap" "$S/b.snap" --pretty
check_rc 0
[ "$(printf '%s\n' "$out" | jq -c .)" = "$("$B" --diff "$S/a.snap" "$S/b.snap" --json | jq -c .)" ] || bad "--pretty diff"
contains "$out" '  "reasons": [
    {
      "code": "0x001e",' "--pretty"
run "$B" --root "$F/vmx-basic" -p --prometheus
check_rc 2
run "$B" --root "$F/vmx-basic" --json=1
check_rc 2; contains "$err" "--json takes no value" "stderr"
run "$B" --root "$F/vmx-basic" -x
check_rc 2; contains "$err" "unknown option '-x'" "stderr"
tap "-j (--json), -p/--pretty (indented JSON, same content), -V (--version)"

# --help, the man page and the rst list the same options, and the parser
# knows each of them
"$B" --help | awk '/^(Modes|Options):/ { on = 1; next } /^$/ { on = 0 }
	on && /^  [- ]/ { print substr($0, 3, 22) }' |
	grep -o -- '--[a-z][a-z-]*\|-[a-zA-Z]\b' | sort -u >"$T/opt-help"
awk '/^\.SH (MODES|OPTIONS)/ { on = 1; next } /^\.SH/ { on = 0 }
	on && tp { gsub(/\\-/, "-"); print } { tp = on && /^\.TP/ }' "$HERE/../kvmexit-read.1" |
	grep -o -- '--[a-z][a-z-]*\|-[a-zA-Z]\b' | sort -u >"$T/opt-man"
awk '/^Usage$/ { on = 1 } /^Printing the counters$/ { on = 0 } on' "$HERE/../../../Documentation/kvmexit-read.rst" |
	grep -o -- '--[a-z][a-z-]*\|\B-[a-zA-Z]\b' | sort -u >"$T/opt-rst"
[ "$(wc -l <"$T/opt-help")" -ge 17 ] || bad "few options in --help: $(cat "$T/opt-help")"
diff "$T/opt-help" "$T/opt-man" >"$T/d" || bad "--help vs man page: $(cat "$T/d")"
diff "$T/opt-help" "$T/opt-rst" >"$T/d" || bad "--help vs rst: $(cat "$T/d")"
while read -r opt; do
	run "$B" "$opt"
	lacks "$err" "unknown option" "$opt"
done <"$T/opt-help"
tap "--help, the man page and Documentation/kvmexit-read.rst list the same options, all known to the parser"

# --- per VM (fixtures/vm: kvm_exits with time_by_reason, kvm/ per VM) ---
VR="--root $F/vm/kvm_exits"
run "$B" $VR
check_rc 0
check_out 'CODE    REASON          COUNT    SHARE       AVG       MAX
0x000a  CPUID           1,500   96.59%     480ns     2.0us
0x001e  IO_INSTRUCTION     50    3.22%     8.0us    30.0us
0x000c  HLT                 2    0.13%         -         -
0x0030  EPT_VIOLATION       1    0.06%     5.0us     5.0us
        total           1,553  100.00%     1.2us    30.0us'
tap "time_by_reason adds AVG and MAX handling time columns"

# comm PID: what --list-vms shows as the COMMAND of a process
comm() {
	c=$(cat "/proc/$1/comm" 2>/dev/null) || c='?'
	printf '%s' "$c" | tr -c '!-~' _
}
run "$B" $VR --list-vms
check_rc 0
check_out "$(printf '%-16s %8s %-16s %6s %14s  %s\n' VM PID COMMAND VCPUS EXITS TIMES \
	777-1 777 "$(comm 777)" 0 7 no 777-2 777 "$(comm 777)" 0 7 no \
	1234-11 1234 "$(comm 1234)" 2 553 yes 4321-5 4321 "$(comm 4321)" 1 1,002 no)"
run "$B" $VR --list-vms --json
check_rc 0
printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["type"] == "vms" and d["format"] == 1, d
v = {x["vm"]: x for x in d["vms"]}
assert sorted(v) == ["1234-11", "4321-5", "777-1", "777-2"], v
assert v["1234-11"] == {"vm": "1234-11", "pid": 1234, "comm": v["1234-11"]["comm"],
                        "vcpus": 2, "exits": 553, "time_stats": True}, v["1234-11"]
assert v["4321-5"]["time_stats"] is False and v["4321-5"]["exits"] == 1002
' 2>"$T/py" || bad "--list-vms --json: $(cat "$T/py")"
KVMEXIT_VM_ROOT=$F/vm/kvm run "$B" --root "$F/vmx-basic" --list-vms
check_rc 0; contains "$out" "1234-11" "KVMEXIT_VM_ROOT list"
tap "--list-vms: VMs with exit_reasons only (not 1234-12), by pid and fd as numbers, table and JSON, KVMEXIT_VM_ROOT"

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
contains "$err" "exit_stats_per_vm to Y before creating it" "missing VM"
run "$B" $VR --vm 99-1
check_rc 3; contains "$err" "no VM 99-1 in $F/vm/kvm (see --list-vms; VMs have per-VM exit statistics if" "missing VM name"
mkdir -p "$T/k12/kvm/55-1" "$T/k12/kvm_exits"
run "$B" --root "$T/k12/kvm_exits" --vm 55-1
check_rc 3; check_err "kvmexit-read: VM 55-1 has no per-VM exit statistics: set /sys/module/kvm/parameters/exit_stats_per_vm to Y before the VM is created"
run "$B" $VR --vm 12x
check_rc 2; contains "$err" "expected a process id or a VM's debugfs name" "bad --vm"
run "$B" $VR --per-vcpu
check_rc 2; contains "$err" "--per-vcpu needs --vm" "usage"
run "$B" $VR --vm 1234 --per-vcpu --watch 1 --count 1
check_rc 2; contains "$err" "--per-vcpu only applies to printing the counters, --save and --diff, not to --watch" "usage"
run "$B" $VR --vm 1234 --per-vcpu --reset
check_rc 2
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
contains "$(head -2 "$T/g.snap")" "kvmexit-read-snapshot 2" "global timed snapshot version"
contains "$(cat "$T/g.snap")" "
scope global
" "global timed snapshot scope"
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

# --- per VM and handling times: more ---------------------------------------
# a VM of this shell: --list-vms shows its command from /proc/PID/comm
mkdir -p "$T/kl/kvm/$$-3" "$T/kl/kvm/$$-3/vcpu0" "$T/kl/kvm/4194305-1" "$T/kl/kvm_exits"
cp "$F/vm/kvm_exits/"* "$T/kl/kvm_exits/"
cp "$F/vm/kvm/4321-5/exit_reasons" "$T/kl/kvm/$$-3/"
cp "$F/vm/kvm/4321-5/exit_reasons" "$T/kl/kvm/$$-3/vcpu0/"
cp "$F/vm/kvm/777-1/exit_reasons" "$T/kl/kvm/4194305-1/"
mkdir -p "$T/kl/kvm/not-a-vm" "$T/kl/kvm/12-x"
cp "$F/vm/kvm/777-1/exit_reasons" "$T/kl/kvm/not-a-vm/"
run "$B" --root "$T/kl/kvm_exits" --list-vms --json
check_rc 0
got=$(printf '%s\n' "$out" | jq -c '[.vms[] | [.vm, .pid, .comm, .vcpus, .exits, .time_stats]] | sort_by(.[1])')
[ "$got" = '[["'$$'-3",'$$',"'"$(comm $$)"'",1,1002,false],["4194305-1",4194305,"?",0,7,false]]' ] ||
	bad "list: $got"
[ "$(comm $$)" != "?" ] || bad "no comm for the shell"
run "$B" --root "$T/kl/kvm_exits" --vm-root "$F/vm/kvm" --list-vms
check_rc 0; contains "$out" "1234-11" "--vm-root"
run "$B" --root "$T/kl/kvm_exits" --vm-root "$T/nonexistent" --list-vms
check_rc 3; contains "$err" "$T/nonexistent: No such file or directory" "missing VM root"
tap "--list-vms: COMMAND from /proc/PID/comm ('?' if gone), only <pid>-<fd> dirs, --vm-root"

# hosts run thousands of VMs: all are listed, by pid and fd as numbers
python3 - "$T/many" "$F/vm/kvm/777-1/exit_reasons" <<'PY'
import os, sys
root, src = sys.argv[1], open(sys.argv[2]).read()
os.makedirs(root + "/kvm_exits")
for f in ("vendor", "total", "by_reason"):
    open(root + "/kvm_exits/" + f, "w").write(open(os.path.dirname(sys.argv[2]) + "/../../kvm_exits/" + f).read())
for pid in range(1, 1301):
    os.makedirs("%s/kvm/%d-1" % (root, pid))
    open("%s/kvm/%d-1/exit_reasons" % (root, pid), "w").write(src)
PY
run "$B" --root "$T/many/kvm_exits" --list-vms
check_rc 0; check_err ""
[ "$(printf '%s\n' "$out" | wc -l)" = 1301 ] || bad "$(printf '%s\n' "$out" | wc -l) lines, not 1301"
[ "$(printf '%s\n' "$out" | awk 'NR > 1 { print $1 }' | tr '\n' ' ' | cut -c1-30)" = "1-1 2-1 3-1 4-1 5-1 6-1 7-1 8-" ] ||
	bad "order: $(printf '%s\n' "$out" | head -5)"
printf '%s\n' "$out" | awk 'NR > 1 { split($1, a, "-"); if (a[1] != NR - 1) { print "bad order at " NR; exit 1 } }' ||
	bad "not sorted by pid"
run "$B" --root "$T/many/kvm_exits" --list-vms --json
[ "$(printf '%s\n' "$out" | jq '.vms | length')" = 1300 ] || bad "json: not 1300 VMs"
tap "--list-vms lists 1300 VMs (no cap), sorted by pid as a number"

# KVM names vCPU directories by id: ids of 1024 and above are saved and
# read back
mkdir -p "$T/ids/kvm/50-1/vcpu0" "$T/ids/kvm/50-1/vcpu5000" "$T/ids/kvm/50-1/vcpu16383" "$T/ids/kvm_exits"
cp "$F/vm/kvm_exits/vendor" "$F/vm/kvm_exits/total" "$F/vm/kvm_exits/by_reason" "$T/ids/kvm_exits/"
for d in "" /vcpu0 /vcpu5000 /vcpu16383; do
	cp "$F/vm/kvm/4321-5/exit_reasons" "$T/ids/kvm/50-1$d/"
done
run "$B" --root "$T/ids/kvm_exits" --vm 50-1 --per-vcpu --save "$T/ids.snap"
check_rc 0; check_err ""
[ "$(grep '^vcpu ' "$T/ids.snap" | tr '\n' ' ')" = "vcpu 0 vcpu 5000 vcpu 16383 " ] || bad "vcpu lines: $(grep '^vcpu ' "$T/ids.snap")"
run "$B" --diff "$T/ids.snap" "$T/ids.snap" --per-vcpu --json
check_rc 0
[ "$(printf '%s\n' "$out" | jq -c '[.vcpus[].vcpu]')" = "[0,5000,16383]" ] || bad "diff: $out $err"
run "$B" --root "$T/ids/kvm_exits" --vm 50-1 --per-vcpu
check_rc 0; contains "$out" "VM 50-1 vcpu16383" "table"
mkdir -p "$T/ids/kvm/50-1/vcpu1048576"
cp "$F/vm/kvm/4321-5/exit_reasons" "$T/ids/kvm/50-1/vcpu1048576/"
run "$B" --root "$T/ids/kvm_exits" --vm 50-1 --per-vcpu
check_rc 5; check_err "kvmexit-read: $T/ids/kvm/50-1/vcpu1048576: vCPU id above 1048575, the highest this kvmexit-read reads"
tap "--save --per-vcpu with vCPU ids 5000 and 16383: saved, and --diff reads them back"

# names longer than the columns' 16 characters keep the table aligned
mkdir -p "$T/long/kvm/4194304-123456789" "$T/long/kvm/1-2" "$T/long/kvm_exits"
cp "$F/vm/kvm_exits/vendor" "$F/vm/kvm_exits/total" "$F/vm/kvm_exits/by_reason" "$T/long/kvm_exits/"
cp "$F/vm/kvm/4321-5/exit_reasons" "$T/long/kvm/4194304-123456789/"
cp "$F/vm/kvm/4321-5/exit_reasons" "$T/long/kvm/1-2/"
run "$B" --root "$T/long/kvm_exits" --list-vms
check_rc 0
# every column starts where its heading starts
for col in PID COMMAND VCPUS EXITS TIMES; do
	printf '%s\n' "$out" | awk -v h="$col" '
	NR == 1 { i = index($0, h); e = i + length(h) }
	NR > 1 && (h == "COMMAND" || h == "TIMES") && substr($0, i - 1, 1) != " " { print "column " h " line " NR; bad = 1 }
	NR > 1 && h != "COMMAND" && h != "TIMES" && (substr($0, e - 1, 1) == " " || substr($0, e, 1) != " ") { print "column " h " line " NR; bad = 1 }
	END { exit bad }' >"$T/al" || bad "misaligned: $(cat "$T/al"): $out"
done
contains "$out" "4194304-123456789  4194304 ?" "long name"
tap "--list-vms: a VM name longer than 16 characters keeps the columns aligned"

run "$B" $VR --vm 1234-11 --per-vcpu
check_rc 0
check_out 'VM 1234-11
CODE    REASON          COUNT    SHARE       AVG       MAX
0x000a  CPUID             500   90.42%     480ns     2.0us
0x001e  IO_INSTRUCTION     50    9.04%     8.0us    30.0us
0x000c  HLT                 2    0.36%         -         -
0x0030  EPT_VIOLATION       1    0.18%     5.0us     5.0us
        total             553  100.00%     1.2us    30.0us

VM 1234-11 vcpu0
CODE    REASON         COUNT    SHARE       AVG       MAX
0x000a  CPUID            300   99.34%     500ns     2.0us
0x000c  HLT                1    0.33%         -         -
0x0030  EPT_VIOLATION      1    0.33%     5.0us     5.0us
        total            302  100.00%     514ns     5.0us

VM 1234-11 vcpu1
CODE    REASON          COUNT    SHARE       AVG       MAX
0x000a  CPUID             200   79.68%     450ns     1.5us
0x001e  IO_INSTRUCTION     50   19.92%     8.0us    30.0us
0x000c  HLT                 1    0.40%         -         -
        total             251  100.00%     2.0us    30.0us'
run "$B" $VR --vm 4321-5
check_rc 0
check_out 'VM 4321-5
CODE    REASON          COUNT    SHARE
0x001e  IO_INSTRUCTION  1,000   99.80%
0x000c  HLT                 1    0.10%
0x0030  EPT_VIOLATION       1    0.10%
        total           1,002  100.00%'
tap "--vm --per-vcpu table: the VM's block then one per vCPU; no time columns for an untimed VM"

run "$B" $VR --json
check_rc 0
printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["time_stats"] is True and "vm" not in d, d.keys()
r = {x["name"]: x for x in d["reasons"]}
assert all(set(x) == {"code", "name", "count", "time_count", "time_total_ns", "time_max_ns"}
           for x in d["reasons"]), d["reasons"][0]
assert r["IO_INSTRUCTION"] == {"code": "0x001e", "name": "IO_INSTRUCTION", "count": 50,
                               "time_count": 50, "time_total_ns": 400000,
                               "time_max_ns": 30000}, r["IO_INSTRUCTION"]
assert r["other"]["time_count"] == 0
' 2>"$T/py" || bad "global --json with times: $(cat "$T/py")"
run "$B" $VR --vm 4321 --json
printf '%s\n' "$out" | jq -e '.vm == "4321-5" and (has("time_stats") | not) and
	(.reasons | map(has("time_count")) | any | not) and .total == 1002' >/dev/null ||
	bad "untimed VM json: $out"
tap "--json: time_count, time_total_ns, time_max_ns on every reason when the time file exists, none otherwise"

run "$B" $VR --prometheus
check_rc 0
printf '%s\n' "$out" >"$T/p"
got=$(prom_check "$T/p") || bad "format: $got"
[ "$got" = $((1 + 4 * 63)) ] || bad "samples: $got"
contains "$out" '# TYPE kvm_exit_handling_count_total counter' "prom"
contains "$out" '# HELP kvm_exit_handling_seconds_total ' "prom"
contains "$out" 'kvm_exit_handling_seconds_total{reason="CPUID",code="0x000a",vendor="vmx"} 0.000240000' "prom"
contains "$out" 'kvm_exit_handling_max_seconds{reason="IO_INSTRUCTION",code="0x001e",vendor="vmx"} 0.000030000' "prom"
contains "$out" 'kvm_exit_handling_count_total{reason="other",code="-",vendor="vmx"} 0' "prom"
lacks "$out" 'vm=' "global prom"
run "$B" $VR --vm 1234-11 --per-vcpu --prometheus
check_rc 0
printf '%s\n' "$out" >"$T/p"
got=$(prom_check "$T/p") || bad "format: $got"
[ "$got" = $((3 + 3 * 4 * 63)) ] || bad "samples: $got"
contains "$out" 'kvm_exit_handling_max_seconds{reason="IO_INSTRUCTION",code="0x001e",vendor="vmx",vm="1234-11",vcpu="1"} 0.000030000' "prom"
contains "$out" 'kvm_exits_total{vendor="vmx",vm="1234-11",vcpu="0"} 302' "prom"
[ "$(grep -c '^# TYPE ' "$T/p")" = 5 ] || bad "TYPE lines: $(grep -c '^# TYPE ' "$T/p")"
tap "--prometheus with times: kvm_exit_handling_{count,seconds}_total counters, max_seconds gauge, vm/vcpu labels"

while IFS='|' read -r dir msg; do
	run "$B" --root "$F/$dir"
	check_rc 5
	check_err "kvmexit-read: $F/$dir/time_by_reason$msg"
	[ -z "$out" ] || bad "stdout not empty"
	tap "malformed time file $dir: exit 5, names file and line"
done <<'LIST'
bad-time-code|:10: code '0x000b' of CPUID where by_reason has 0x000a
bad-time-count-sum-overflow|:28: sum of the time counts overflows 64 bits
bad-time-empty|:1: empty file
bad-time-fields|:10: expected 5 fields '<code> <name> <count> <total_ns> <max_ns>', got 4
bad-time-header-late|:11: '#' line is only allowed as the first line
bad-time-huge|:10: total_ns '18446744073709551616' does not fit in 64 bits
bad-time-long|:64: reason 'EXTRA' where by_reason has 'other' (files out of step?)
bad-time-max|:10: max_ns 600000 above total_ns 500000
bad-time-name|:10: reason 'CPUIDX' where by_reason has 'CPUID' (files out of step?)
bad-time-negative|:10: count '-1000' is not an unsigned decimal number
bad-time-short|:11: end of file after 9 time lines, by_reason has 63 reasons (file truncated?)
bad-time-sum-overflow|:28: sum of the total_ns values overflows 64 bits
bad-time-truncated|:64: last line has no newline (file truncated?)
LIST

VB="--root $F/vm-bad/kvm_exits"
VD=$F/vm-bad/kvm
while IFS='|' read -r vm msg; do
	run "$B" $VB --vm "$vm" --per-vcpu
	check_rc 5
	check_err "kvmexit-read: $msg"
	[ -z "$out" ] || bad "stdout not empty"
	tap "broken VM directory $vm: exit 5, names the file"
done <<LIST
2-1|$VD/2-1/vcpu1/exit_reasons: missing, but $VD/2-1/exit_reasons exists (a vCPU being created, or a broken VM directory)
3-1|$VD/3-1/vcpu0/exit_times: missing, but $VD/3-1/exit_times exists
4-1|$VD/4-1/exit_reasons:1: expected 3 fields '<code> <name> <count>', got 2
5-1|$VD/5-1/vcpu0/exit_times:10: count '18446744073709551616' does not fit in 64 bits
6-1|$VD/6-1/exit_times:11: sum of the total_ns values overflows 64 bits
LIST
run "$B" $VB --vm 2-1
check_rc 0; contains "$out" "VM 2-1" "VM without --per-vcpu"
run "$B" $VB --list-vms
check_rc 5; check_err "kvmexit-read: $VD/1-1/exit_times:64: last line has no newline (file truncated?)"
tap "a broken VM directory fails --list-vms with the file and line; --vm without --per-vcpu reads only the VM"

# --- format-2 snapshots and diffs with times and vCPUs --------------------
run "$B" $VR --save "$T/g2.snap"
check_rc 0
[ "$(sed -n 7p "$T/g2.snap")" = "scope global" ] || bad "line 7: $(sed -n 7p "$T/g2.snap")"
grep -q '^time 0x001e IO_INSTRUCTION 50 400000 30000$' "$T/g2.snap" || bad "time line"
grep -q '^time - other 0 0 0$' "$T/g2.snap" || bad "time other line"
grep -q '^time_sum 551 645000$' "$T/g2.snap" || bad "time_sum line"
[ "$(grep -c '^time ' "$T/g2.snap")" = 63 ] || bad "time lines"
run "$B" $VR --diff "$T/g2.snap" --json
check_rc 0
printf '%s\n' "$out" | jq -e '.total == 0 and .time_count == 0 and .time_max_ns == 30000 and
	.reasons == [] and (has("vm") | not)' >/dev/null || bad "diff now: $out"
run "$B" --root "$F/vmx-basic" --save "$T/g1.snap"
[ "$(head -1 "$T/g1.snap")" = "kvmexit-read-snapshot 1" ] && ! grep -q '^scope\|^time' "$T/g1.snap" ||
	bad "untimed global snapshot is not format 1"
tap "--save of timed global counters: format 2, scope global, time and time_sum lines; untimed stays format 1"

DIFF_T="$S/time-a.snap -> $S/time-b.snap: 10.000 s, 2,003 exits, 200.30 exits/s
CODE    REASON              DELTA    SHARE  RATE/s       AVG       MAX
0x001e  IO_INSTRUCTION      1,500   74.89%  150.00     3.0us    40.0us
0x000a  CPUID                 500   24.96%   50.00     600ns     9.0us
0x0001  EXTERNAL_INTERRUPT      3    0.15%    0.30     1.0us     1.5us
        total               2,003  100.00%  200.30     2.4us    40.0us"
run "$B" --diff "$S/time-a.snap" "$S/time-b.snap"
check_rc 0; check_out "$DIFF_T"; check_err ""
run "$B" --diff "$S/time-a.snap" "$S/time-b.snap" --json
got=$(printf '%s\n' "$out" | jq -c '[.total, .time_count, .time_total_ns, .time_max_ns, .reasons[0], (.reasons | length)]')
[ "$got" = '[2003,2020,4820000,40000,{"code":"0x001e","name":"IO_INSTRUCTION","delta":1500,"per_second":150,"reset":false,"new":false,"time_count":1500,"time_total_ns":4500000,"time_max_ns":40000},3]' ] ||
	bad "json: $got"
run "$B" --diff "$S/a.snap" "$S/time-b.snap"
check_rc 0; check_out "$(printf '%s\n' "$DIFF_AB" | sed "1s|b.snap|time-b.snap|")"
run "$B" --diff "$S/time-a.snap" "$S/b.snap" --json
check_rc 0
printf '%s\n' "$out" | jq -e '.total == 2003 and (has("time_count") | not) and
	(.reasons[0] | has("time_count") | not)' >/dev/null || bad "v2 -> v1 json: $out"
tap "--diff of timed snapshots: count and total_ns deltas, AVG of the interval, B's MAX; format 1 and 2 mix"

DIFF_VM="VM 1234-11: $S/vm-a.snap -> $S/vm-b.snap: 4.000 s, 257 exits, 64.25 exits/s
CODE    REASON          DELTA    SHARE  RATE/s       AVG       MAX
0x000a  CPUID             157   61.09%   39.25     768ns     2.5us
0x001e  IO_INSTRUCTION    100   38.91%   25.00     5.0us    30.0us
        total             257  100.00%   64.25     2.4us    30.0us"
run "$B" --diff "$S/vm-a.snap" "$S/vm-b.snap"
check_rc 0; check_out "$DIFF_VM"
run "$B" --diff "$S/vm-a.snap" "$S/vm-b.snap" --per-vcpu
check_rc 0
check_out "$DIFF_VM

vcpu0: 4.000 s, 100 exits, 25.00 exits/s
CODE    REASON  DELTA    SHARE  RATE/s       AVG       MAX
0x000a  CPUID     100  100.00%   25.00     1.0us     2.5us
        total     100  100.00%   25.00     1.0us     2.5us

vcpu1: 4.000 s, 150 exits, 37.50 exits/s
CODE    REASON          DELTA    SHARE  RATE/s       AVG       MAX
0x001e  IO_INSTRUCTION    100   66.67%   25.00     5.0us    30.0us
0x000a  CPUID              50   33.33%   12.50     400ns     1.5us
        total             150  100.00%   37.50     3.5us    30.0us

vcpu2 (new, counted from 0): 4.000 s, 7 exits, 1.75 exits/s
CODE    REASON  DELTA    SHARE  RATE/s       AVG       MAX
0x000a  CPUID       7  100.00%    1.75     100ns     100ns
        total       7  100.00%    1.75     100ns     100ns"
run "$B" --diff "$S/vm-a.snap" "$S/vm-b.snap" --per-vcpu --json
check_rc 0
printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["vm"] == "1234-11" and d["total"] == 257, d
assert [(v["vcpu"], v["new"], v["total"]) for v in d["vcpus"]] == [(0, False, 100), (1, False, 150), (2, True, 7)]
assert d["total"] == sum(v["total"] for v in d["vcpus"])
assert d["time_count"] == sum(v["time_count"] for v in d["vcpus"]) == 257
assert d["vcpus"][1]["reasons"][0] == {"code": "0x001e", "name": "IO_INSTRUCTION", "delta": 100,
    "per_second": 25, "reset": False, "new": False, "time_count": 100, "time_total_ns": 500000, "time_max_ns": 30000}
' 2>"$T/py" || bad "per-vcpu diff json: $(cat "$T/py")"
tap "--diff --per-vcpu of VM snapshots: a block (JSON: vcpus) per vCPU, a new vCPU counts from 0, vCPUs add up"

run "$B" --diff "$S/vm-a.snap" "$S/vm-other.snap" --force
check_rc 6; check_err "kvmexit-read: refusing to diff $S/vm-a.snap and $S/vm-other.snap: they count different things (VM 1234-11 vs VM 4321-5)"
run "$B" --diff "$S/time-a.snap" "$S/vm-b.snap" --force
check_rc 6; contains "$err" "(all VMs vs VM 1234-11)" "scope"
run "$B" --diff "$S/vm-novcpu.snap" "$S/vm-b.snap" --per-vcpu
check_rc 6; check_err "kvmexit-read: --per-vcpu: $S/vm-novcpu.snap has no vCPU sections (save snapshots with --vm and --per-vcpu)"
run "$B" --diff "$S/vm-novcpu.snap" "$S/vm-b.snap"
check_rc 0; contains "$out" "257 exits" "VM diff without vCPU sections"
run "$B" --diff "$S/vm-b.snap" "$S/vm-a.snap" --per-vcpu --force
check_rc 0
contains "$err" "kvmexit-read: warning: --force: the second snapshot was taken 4.000 s before the first" "stderr"
contains "$err" "counter(s) went down" "stderr"
tap "--diff refuses different scopes even with --force, and --per-vcpu without vCPU sections"

# --vm with --diff of two files: applied to the snapshots' scope
run "$B" --vm 1234-11 --diff "$S/a.snap" "$S/b.snap"
check_rc 6
check_err "kvmexit-read: refusing --vm 1234-11: $S/a.snap is a snapshot of all VMs, not of that VM"
run "$B" --vm 4321 --diff "$S/vm-a.snap" "$S/vm-b.snap"
check_rc 6
check_err "kvmexit-read: refusing --vm 4321: $S/vm-a.snap is a snapshot of VM 1234-11, not of that VM"
run "$B" --vm 1234-11 --diff "$S/vm-a.snap" "$S/a.snap" --force
check_rc 6
check_err "kvmexit-read: refusing --vm 1234-11: $S/a.snap is a snapshot of all VMs, not of that VM"
run "$B" --vm 1234 --diff "$S/vm-a.snap" "$S/vm-b.snap"
check_rc 0; check_out "$DIFF_VM"
run "$B" --vm 12x --diff "$S/vm-a.snap" "$S/vm-b.snap"
check_rc 2; contains "$err" "--vm '12x': expected a process id" "usage"
tap "--vm with --diff A B: refused unless both snapshots are of that VM (no live VM needed)"

mkdir -p "$T/vmt"
cp -r "$F/vm/kvm_exits" "$F/vm/kvm" "$T/vmt/"
run "$B" --root "$T/vmt/kvm_exits" --vm 1234 --per-vcpu --save "$T/vmt.snap"
check_rc 0
[ "$(grep -c '^vcpu ' "$T/vmt.snap")" = 2 ] || bad "vcpu sections"
grep -q '^scope 1234-11$' "$T/vmt.snap" || bad "scope"
sed 's/CPUID 300$/CPUID 340/' "$F/vm/kvm/1234-11/vcpu0/exit_reasons" >"$T/vmt/kvm/1234-11/vcpu0/exit_reasons"
sed 's/CPUID 500$/CPUID 540/' "$F/vm/kvm/1234-11/exit_reasons" >"$T/vmt/kvm/1234-11/exit_reasons"
run "$B" --root "$T/vmt/kvm_exits" --diff "$T/vmt.snap" --per-vcpu --json
check_rc 0
got=$(printf '%s\n' "$out" | jq -c '[.vm, .total, [.vcpus[] | .total], .to.source]')
[ "$got" = '["1234-11",40,[40,0],"'"$T/vmt/kvm/1234-11"'"]' ] || bad "diff now: $got"
run "$B" --root "$T/vmt/kvm_exits" --vm 1234 --per-vcpu --save - --json
check_rc 2
rm -r "$T/vmt/kvm/1234-11"
run "$B" --root "$T/vmt/kvm_exits" --diff "$T/vmt.snap"
check_rc 3
check_err "kvmexit-read: $T/vmt.snap is a snapshot of VM 1234-11, which cannot be read now: no VM 1234-11 in $T/vmt/kvm (see --list-vms; VMs have per-VM exit statistics if /sys/module/kvm/parameters/exit_stats_per_vm was Y when they were created)"
tap "--vm --per-vcpu --save: vCPU sections; --diff SNAP reads that VM now (its vCPUs too), fails if the VM is gone"

cp -r "$F/vm/kvm" "$T/vmt/"
run "$B" --root "$T/vmt/kvm_exits" --vm 1234-11 --watch 0.1 --count 1 --json
check_rc 0
printf '%s\n' "$out" | jq -e '.vm == "1234-11" and .to.source == "'"$T/vmt/kvm/1234-11"'" and
	.time_count == 0 and .total == 0' >/dev/null || bad "watch: $out"
run "$B" --root "$T/vmt/kvm_exits" --vm 1234-11 --json -- sh -c \
	"sed 's/CPUID 500\$/CPUID 507/' '$F/vm/kvm/1234-11/exit_reasons' >'$T/vmt/kvm/1234-11/exit_reasons'"
check_rc 0
printf '%s\n' "$err" | jq -e '.type == "command" and .vm == "1234-11" and .total == 7 and
	.from.source == "'"$T/vmt/kvm/1234-11"'"' >/dev/null || bad "command: $err"
run "$B" --root "$T/vmt/kvm_exits" --vm 1234-11 --reset --json
check_rc 4; contains "$err" "$T/vmt/kvm/1234-11/exit_reasons: not on debugfs" "VM reset"
run "$B" --root "$T/vmt/kvm_exits" --vm 1234-11 --reset --json --force
check_rc 0; check_out '{"type":"reset","format":1,"source":"'"$T/vmt/kvm/1234-11"'"}'
[ "$(cat "$T/vmt/kvm/1234-11/exit_reasons")" = 0 ] || bad "VM's exit_reasons not reset"
[ "$(cat "$T/vmt/kvm_exits/total")" = "$(cat "$F/vm/kvm_exits/total")" ] || bad "global total touched"
tap "--vm with --watch, -- CMD (VM's deltas, VM source) and --reset (writes 0 to the VM's exit_reasons only)"

while IFS='|' read -r file msg; do
	run "$B" --diff "$S/$file" "$S/b.snap"
	check_rc 5
	check_err "kvmexit-read: $S/$file$msg"
	tap "bad format-2 snapshot $file: exit 5, names file and line"
done <<'LIST'
hostile-timesum.snap|:135: time_sum 4021 8320000 does not match the time lines, which add up to 4020 8320000 (file corrupted?)
hostile-vcpu-global.snap|:137: 'vcpu' section in a snapshot that is not a VM's (no 'scope <pid>-<fd>' line)
hostile-time-v1.snap|:71: 'time' line in a version 1 snapshot
LIST

# --- detail tables: --msr, --io, --exceptions -------------------------------
# (KVMEXIT_PARAM_DIR points nowhere: no hint unless a test asks for one)
DETAIL_MSR='MSR         NAME               ACCESS  COUNT    SHARE
0x0000001b  IA32_APICBASE      read      400   47.23%
0x000001a0  IA32_MISC_ENABLE   write     200   23.61%
0x000006e0  IA32_TSC_DEADLINE  write     150   17.71%
0x0000080b  -                  write      90   10.63%
other                                      7    0.83%
total                                    847  100.00%'
DETAIL_IO='PORT    SIZE  ACCESS  COUNT    SHARE
0x010f  1     out     1,000   97.47%
0x0cfc  4     in         20    1.95%
0x0070  1     in          3    0.29%
0x0070  1     out         3    0.29%
other                     0    0.00%
total                 1,026  100.00%'
DETAIL_EXC='VECTOR  NAME  COUNT    SHARE
6       UD      300   99.01%
14      PF        2    0.66%
2       NMI       1    0.33%
other             0    0.00%
total           303  100.00%'
run "$B" --root "$F/detail" --msr
check_rc 0; check_out "$DETAIL_MSR"; check_err ""
tap "--msr: rows by count with the msr-index.h name ('-' if none), share, other last, total"

run "$B" --root "$F/detail" --exceptions --io --msr
check_rc 0; check_err ""
check_out "$DETAIL_MSR

$DETAIL_IO

$DETAIL_EXC"
run "$B" --root "$F/detail" --io
check_out "$DETAIL_IO"
run "$B" --root "$F/detail" --exceptions
check_out "$DETAIL_EXC"
tap "--msr --io --exceptions: one table each, in that order; by port, size and direction; by vector"

run "$B" --root "$F/detail-svm" --msr --io --exceptions
check_rc 0
check_out 'MSR         NAME     ACCESS  COUNT    SHARE
0xc0010015  K7_HWCR  read       60   92.31%
0xc0000080  EFER     write       4    6.15%
other                            1    1.54%
total                           65  100.00%

PORT    SIZE  ACCESS  COUNT    SHARE
0x03f8  1     out       700  100.00%
other                     0    0.00%
total                   700  100.00%

VECTOR  NAME  COUNT    SHARE
14      PF        9  100.00%
other             0    0.00%
total             9  100.00%'
run "$B" --root "$F/detail-zero" --msr --exceptions
check_rc 0
check_out 'MSR    NAME  ACCESS  COUNT    SHARE
other                    0        -
total                    0        -

VECTOR  NAME  COUNT    SHARE
other             0        -
total             0        -'
tap "--msr etc.: an svm host's tables; tables of a parameter never set (header and other 0 only)"

# the kvm parameter exit_stats_detail: a hint on stderr when N
HINT="kvmexit-read: hint: the kvm parameter exit_stats_detail is N: the MSR, I/O port and exception tables are not counting; switch it on with: echo Y > $F/params-off/exit_stats_detail"
run "$B" --root "$F/detail" --msr --param-dir "$F/params-off"
check_rc 0; check_out "$DETAIL_MSR"; check_err "$HINT"
KVMEXIT_PARAM_DIR=$F/params-off run "$B" --root "$F/detail" --msr --json
check_rc 0; check_err "$HINT"
[ "$(printf '%s\n' "$out" | jq -r .msr.total)" = 847 ] || bad "json: $out"
run "$B" --root "$F/detail" --msr --param-dir "$F/params-on"
check_rc 0; check_out "$DETAIL_MSR"; check_err ""
run "$B" --root "$F/vmx-basic" --param-dir "$F/params-off"
check_rc 0; check_out "$VMX_TABLE"; check_err ""
run "$B" --diff "$S/detail-a.snap" "$S/detail-b.snap" --msr --param-dir "$F/params-off"
check_rc 0; check_err ""
tap "exit_stats_detail=N: one hint line on stderr and the table all the same; none if Y, without --msr, or for two snapshots"

# kernels whose series predates the tables: unchanged without --msr, a
# clear error with it
for o in msr:by_msr io:by_io_port exceptions:by_exception; do
	run "$B" --root "$F/vmx-basic" "--${o%:*}"
	check_rc 3; check_out ""
	check_err "kvmexit-read: $F/vmx-basic/${o#*:}: not found: the kernel's kvm_exits series is older than the MSR, I/O port and exception tables that --${o%:*} reads (by_msr, by_io_port, by_exception)"
done
run "$B" --root "$F/vmx-basic" --save "$T/old.snap" --msr
check_rc 3
[ -e "$T/old.snap" ] && bad "a snapshot was written"
tap "--msr, --io, --exceptions without the kernel's file: exit 3 naming it and saying the series is older"

while IFS='|' read -r dir opt msg; do
	run "$B" --root "$F/$dir" "$opt"
	check_rc 5; check_out ""
	check_err "kvmexit-read: $F/$dir/$msg"
done <<'LIST'
bad-msr-empty|--msr|by_msr:1: empty file (expected the header line '# msr access count')
bad-msr-header|--msr|by_msr:1: bad header '# msr count access' (expected '# msr access count')
bad-msr-no-header|--msr|by_msr:1: expected the header line '# msr access count' first
bad-msr-hex|--msr|by_msr:3: bad MSR '0x0000zz1b' (expected 0x and 1 to 8 hex digits)
bad-msr-long-hex|--msr|by_msr:3: bad MSR '0x00000001b' (expected 0x and 1 to 8 hex digits)
bad-msr-access|--msr|by_msr:3: bad access 'rd' (expected read or write)
bad-msr-fields|--msr|by_msr:3: expected 3 fields '<msr> <access> <count>' or 'other <count>', got 2
bad-msr-duplicate|--msr|by_msr:6: duplicate MSR 0x0000001b read (first on line 3)
bad-msr-missing-other|--msr|by_msr:6: end of file without the 'other' line (file truncated?)
bad-msr-duplicate-other|--msr|by_msr:7: duplicate 'other' line (first on line 6)
bad-msr-after-other|--msr|by_msr:7: line after the 'other' line (which must be the last one, line 6)
bad-msr-long-line|--msr|by_msr:3: line too long (more than 255 bytes)
bad-msr-nul|--msr|by_msr:3: NUL byte in column 14
bad-msr-count-overflow|--msr|by_msr:3: count '18446744073709551616' does not fit in 64 bits
bad-msr-sum-overflow|--msr|by_msr:3: sum of the counts overflows 64 bits
bad-msr-truncated|--msr|by_msr:6: last line has no newline (file truncated?)
bad-msr-crlf|--msr|by_msr:1: bad header '# msr access count\x0d' (expected '# msr access count')
bad-msr-too-many|--msr|by_msr:1026: too many rows (more than 1024)
bad-io-size|--io|by_io_port:3: bad size '3' (expected 1, 2 or 4)
bad-io-port|--io|by_io_port:3: bad port '0x10070' (expected 0x and 1 to 4 hex digits)
bad-io-access|--io|by_io_port:3: bad access 'inout' (expected in or out)
bad-io-duplicate|--io|by_io_port:6: duplicate port 0x0070 size 1 in (first on line 3)
bad-exc-vector|--exceptions|by_exception:2: bad vector '32' (expected 0 to 31)
bad-exc-name|--exceptions|by_exception:2: bad exception name 'PAGE_FAULT_TOO_LONG' (1 to 15 printable characters expected)
bad-exc-header|--exceptions|by_exception:1: bad header '# vector count' (expected '# vector name count')
bad-exc-duplicate|--exceptions|by_exception:5: duplicate vector 6 (first on line 3)
LIST
# the malformed file is read only when asked for
run "$B" --root "$F/bad-msr-hex"
check_rc 0
run "$B" --root "$F/bad-msr-hex" --io
check_rc 3
tap "malformed by_msr, by_io_port, by_exception: exit 5 naming file, line and what is wrong (26 kinds); read only when asked for"

mkdir -p "$T/dfifo"
cp "$F/detail/"* "$T/dfifo/"
rm "$T/dfifo/by_io_port"
mkfifo "$T/dfifo/by_io_port"
run timeout 10 "$B" --root "$T/dfifo" --io
check_rc 5
check_err "kvmexit-read: $T/dfifo/by_io_port: a FIFO, not a counters file (they are regular files)"
tap "a FIFO named by_io_port: refused at once, exit 5"

run "$B" --root "$F/detail" --msr --io --exceptions --json
check_rc 0
printf '%s\n' "$out" >"$T/dj"
got=$(jq -c '[.type, .total, (keys | map(select(. == "msr" or . == "io" or . == "exceptions"))),
	.msr.total, .msr.other, .msr.rows[0], .msr.rows[3], .io.rows[0], .io.rows[3], .exceptions]' "$T/dj")
[ "$got" = '["counters",3194,["exceptions","io","msr"],847,7,{"msr":"0x0000001b","name":"IA32_APICBASE","access":"read","count":400},{"msr":"0x0000080b","name":null,"access":"write","count":90},{"port":"0x0070","size":1,"access":"in","count":3},{"port":"0x0cfc","size":4,"access":"in","count":20},{"total":303,"other":0,"rows":[{"vector":2,"name":"NMI","count":1},{"vector":6,"name":"UD","count":300},{"vector":14,"name":"PF","count":2}]}]' ] ||
	bad "json: $got"
python3 -m json.tool "$T/dj" >/dev/null || bad "python json.tool rejects it"
run "$B" --root "$F/detail" --json
[ "$(printf '%s\n' "$out" | jq -c 'has("msr")')" = false ] || bad "tables without --msr"
run "$B" --root "$F/detail" --io -p
check_rc 0
[ "$(printf '%s\n' "$out" | jq -c '.io.rows | length')" = 4 ] || bad "--pretty: $out"
tap "--json with --msr etc.: msr, io, exceptions objects of total, other and rows by key (name null if none); none without"

run "$B" --root "$F/detail" --msr --io --exceptions --prometheus
check_rc 0
printf '%s\n' "$out" >"$T/dp"
got=$(prom_check "$T/dp") || bad "format: $got"
[ "$got" = $((64 + 5 + 5 + 4)) ] || bad "samples: $got"
contains "$out" 'kvm_exits_total{vendor="vmx"} 3194' "prom"
contains "$out" '# TYPE kvm_exits_msr_total counter
kvm_exits_msr_total{msr="0x0000001b",name="IA32_APICBASE",access="read",vendor="vmx"} 400
kvm_exits_msr_total{msr="0x000001a0",name="IA32_MISC_ENABLE",access="write",vendor="vmx"} 200
kvm_exits_msr_total{msr="0x000006e0",name="IA32_TSC_DEADLINE",access="write",vendor="vmx"} 150
kvm_exits_msr_total{msr="0x0000080b",access="write",vendor="vmx"} 90
kvm_exits_msr_total{msr="other",vendor="vmx"} 7
# HELP kvm_exits_io_total ' "prom"
contains "$out" '# TYPE kvm_exits_io_total counter
kvm_exits_io_total{port="0x0070",size="1",access="in",vendor="vmx"} 3
kvm_exits_io_total{port="0x0070",size="1",access="out",vendor="vmx"} 3
kvm_exits_io_total{port="0x010f",size="1",access="out",vendor="vmx"} 1000
kvm_exits_io_total{port="0x0cfc",size="4",access="in",vendor="vmx"} 20
kvm_exits_io_total{port="other",vendor="vmx"} 0
# HELP kvm_exits_exception_total ' "prom"
contains "$out" '# TYPE kvm_exits_exception_total counter
kvm_exits_exception_total{vector="2",name="NMI",vendor="vmx"} 1
kvm_exits_exception_total{vector="6",name="UD",vendor="vmx"} 300
kvm_exits_exception_total{vector="14",name="PF",vendor="vmx"} 2
kvm_exits_exception_total{vector="other",vendor="vmx"} 0' "prom"
run "$B" --root "$F/detail" --prometheus
lacks "$out" "kvm_exits_msr_total" "prom without --msr"
tap "--prometheus --msr --io --exceptions: the reasons' families plus kvm_exits_{msr,io,exception}_total, other series, valid format"

# promtool (Debian's prometheus package) lints the exposition format
if command -v promtool >/dev/null; then
	for args in "--root $F/vmx-basic" "--root $F/svm-basic" "--root $F/odd-names" \
		"--root $F/vm/kvm_exits" "--root $F/vm/kvm_exits --vm 1234-11 --per-vcpu" \
		"--root $F/detail --msr --io --exceptions" "--root $F/detail-svm --msr --io --exceptions" \
		"--root $F/detail-zero --msr --io --exceptions" \
		"--root $F/hist" "--root $F/hist-zero" "--root $F/user --userspace" \
		"--root $F/vmh/kvm_exits --userspace" \
		"--root $F/vmh/kvm_exits --vm 1234-11 --per-vcpu --userspace"; do
		# shellcheck disable=SC2086
		"$B" $args --prometheus >"$T/pt" 2>"$T/pt.err" || bad "$args: exit status $?"
		promtool check metrics <"$T/pt" >"$T/pt.out" 2>&1 || bad "promtool check metrics, $args: $(cat "$T/pt.out")"
	done
	tap "promtool check metrics accepts every --prometheus output (reasons, times, VMs, vCPUs, MSR, I/O, exception, histogram, userspace families)"
else
	n=$((n + 1))
	echo "ok $n - promtool check metrics of every --prometheus output # SKIP promtool not installed (Debian: prometheus)"
fi

# snapshots with tables: format 3, only when asked for
run "$B" --root "$F/detail" --save "$T/d.snap" --msr --io --exceptions
check_rc 0; check_out ""; check_err ""
[ "$(head -1 "$T/d.snap")" = "kvmexit-read-snapshot 3" ] || bad "version: $(head -1 "$T/d.snap")"
grep -qx "scope global" "$T/d.snap" || bad "no scope line"
[ "$(sed -n '/^sum /,$p' "$T/d.snap" | tail -n +2)" = "msr 0x0000001b read 400
msr 0x000001a0 write 200
msr 0x000006e0 write 150
msr 0x0000080b write 90
msr other 7
msr_sum 847
io 0x0070 1 in 3
io 0x0070 1 out 3
io 0x010f 1 out 1000
io 0x0cfc 4 in 20
io other 0
io_sum 1026
exception 2 NMI 1
exception 6 UD 300
exception 14 PF 2
exception other 0
exception_sum 303
end" ] || bad "tables: $(sed -n '/^sum /,$p' "$T/d.snap")"
run "$B" --root "$F/detail" --save "$T/d1.snap"
[ "$(head -1 "$T/d1.snap")" = "kvmexit-read-snapshot 1" ] || bad "without --msr: $(head -1 "$T/d1.snap")"
run "$B" --root "$F/detail" --save "$T/dm.snap" --io --json
check_rc 0
grep -q "^msr" "$T/dm.snap" && bad "an msr table saved without --msr"
[ "$(printf '%s\n' "$out" | jq -c '[has("io"), has("msr")]')" = "[true,false]" ] || bad "json: $out"
tap "--save --msr --io --exceptions: format 3 with the tables by key, other and sums; format 1 without"

run "$B" --root "$F/detail" --diff "$T/d.snap" --msr --exceptions
check_rc 0; check_err ""
contains "$out" "$T/d.snap -> now: " "diff"
contains "$out" ", 0 MSR exits" "diff"
contains "$out" ", 0 exception exits" "diff"
run "$B" --diff "$S/detail-a.snap" "$T/d.snap" --msr --io --exceptions --force
check_rc 0
contains "$out" ", 0 MSR exits" "diff"
tap "--diff of a saved format-3 snapshot against now and against the generator's fixture"

DIFF_DET="$S/detail-a.snap -> $S/detail-b.snap: 10.000 s, 702 MSR exits, 70.20 exits/s
MSR         NAME           ACCESS  DELTA    SHARE  RATE/s
0x0000001b  IA32_APICBASE  read      500   71.23%   50.00
0x0000080b  -              write     200   28.49%   20.00
other                                  2    0.28%    0.20
total                                702  100.00%   70.20

$S/detail-a.snap -> $S/detail-b.snap: 10.000 s, 540 I/O exits, 54.00 exits/s
PORT    SIZE  ACCESS  DELTA    SHARE  RATE/s
0x010f  1     out       500   92.59%   50.00
0x0cf8  4     out        40    7.41%    4.00
other                     0    0.00%    0.00
total                   540  100.00%   54.00

$S/detail-a.snap -> $S/detail-b.snap: 10.000 s, 105 exception exits, 10.50 exits/s
VECTOR  NAME  DELTA    SHARE  RATE/s
6       UD      100   95.24%   10.00
13      GP        5    4.76%    0.50
other             0    0.00%    0.00
total           105  100.00%   10.50"
run "$B" --diff "$S/detail-a.snap" "$S/detail-b.snap" --msr --io --exceptions
check_rc 0; check_out "$DIFF_DET"; check_err ""
run "$B" --diff "$S/detail-a.snap" "$S/detail-b.snap"
check_rc 0
contains "$out" "CODE    REASON" "diff without --msr"
lacks "$out" "MSR exits" "diff without --msr"
tap "--diff --msr --io --exceptions: deltas per key (a key only in B counts from 0), rates, other; the reasons without"

run "$B" --diff "$S/detail-a.snap" "$S/detail-b.snap" --msr --io --exceptions --json
check_rc 0
got=$(printf '%s\n' "$out" | jq -c '[.type, .total, .forced, .msr.total, .msr.per_second, .msr.other, .msr.rows[0],
	(.msr.rows | length), .io.rows[1], .exceptions.rows[1]]')
[ "$got" = '["diff",1347,[],702,70.2,{"delta":2,"per_second":0.2,"reset":false},{"msr":"0x0000001b","name":"IA32_APICBASE","access":"read","delta":500,"per_second":50,"reset":false},2,{"port":"0x0cf8","size":4,"access":"out","delta":40,"per_second":4,"reset":false},{"vector":13,"name":"GP","delta":5,"per_second":0.5,"reset":false}]' ] ||
	bad "json: $got"
tap "--diff --json with tables: msr, io, exceptions of total, per_second, other and the non-zero rows, largest first"

run "$B" --diff "$S/detail-a.snap" "$S/detail-reset.snap" --msr
check_rc 6; check_out ""
check_err "kvmexit-read: refusing to diff $S/detail-a.snap and $S/detail-reset.snap:
  12 counter(s) went down (counters reset in between?)
use --force to diff them anyway"
run "$B" --diff "$S/detail-a.snap" "$S/detail-reset.snap" --msr --force
check_rc 0
check_err "kvmexit-read: warning: --force: 12 counter(s) went down (counters reset in between?): counted as reset: delta = the value in the second snapshot"
check_out "$S/detail-a.snap -> $S/detail-reset.snap: 20.000 s, 15 MSR exits, 0.75 exits/s
MSR            NAME           ACCESS         DELTA    SHARE  RATE/s
0x0000001b     IA32_APICBASE  read (reset)      10   66.67%    0.50
0x0000080b     -              write (reset)      5   33.33%    0.25
other (reset)                                    0    0.00%    0.00
total                                           15  100.00%    0.75"
run "$B" --diff "$S/detail-a.snap" "$S/detail-reset.snap" --io --force --json
got=$(printf '%s\n' "$out" | jq -c '[.forced, .io]')
[ "$got" = '[["counter_decrease"],{"total":8,"per_second":0.4,"other":{"delta":0,"per_second":0,"reset":false},"rows":[{"port":"0x010f","size":1,"access":"out","delta":8,"per_second":0.4,"reset":true}]}]' ] ||
	bad "json: $got"
tap "--diff --msr across a reset: refused (keys gone or lower count as went down); --force counts from the reset, marked"

while IFS='|' read -r args msg; do
	# shellcheck disable=SC2086
	run "$B" --diff $args
	check_rc 6; check_out ""
	check_err "kvmexit-read: $msg"
done <<LIST
$S/a.snap $S/detail-b.snap --msr|--msr: $S/a.snap has no MSR table (save snapshots with --save FILE --msr)
$S/detail-a.snap $S/b.snap --exceptions|--exceptions: $S/b.snap has no exception table (save snapshots with --save FILE --exceptions)
$T/dm.snap $S/detail-b.snap --io --msr|--msr: $T/dm.snap has no MSR table (save snapshots with --save FILE --msr)
LIST
tap "--diff --msr of a snapshot without the MSR table: exit 6, says which and how to save one"

while IFS='|' read -r file msg; do
	run "$B" --diff "$S/$file" "$S/detail-b.snap" --msr
	check_rc 5
	check_err "kvmexit-read: $S/$file$msg"
done <<'LIST'
hostile-detail-v2.snap|:73: 'msr' line in a version 2 snapshot (detail tables need version 3)
hostile-detail-sum.snap|:78: msr_sum 848 does not match the msr lines, which add up to 847 (file corrupted?)
hostile-detail-dup.snap|:77: duplicate MSR 0x0000001b read (first on line 73)
hostile-detail-nosum.snap|:89: 'end' before the 'io_sum' line
hostile-detail-vm.snap|:73: 'msr' line in a snapshot of VM 1234-11 (the MSR, I/O port and exception tables are global)
LIST
tap "bad format-3 snapshots: exit 5, names file and line"

# --watch --msr: one line per table and interval; the deltas of a change
# add up to it
rm -rf "$T/dw"
cp -r "$F/detail" "$T/dw"
run "$B" --root "$T/dw" --watch 0.05 --count 2 --msr --io
check_rc 0; check_err ""
[ "$(printf '%s\n' "$out" | head -1)" = '  ELAPSED TABLE             EXITS     EXITS/s  TOP KEYS' ] || bad "header: $out"
printf '%s\n' "$out" | tail -n +2 | awk '{ print $2 }' | tr '\n' ' ' | grep -qx 'msr io msr io ' || bad "lines: $out"
sed 's/^0x0000001b  read  400$/0x0000001b  read  1400/; s/^other  7$/other  8/' "$F/detail/by_msr" >"$T/dw-after"
: >"$T/wl"
"$B" --root "$T/dw" --watch 0.05 --msr --json >"$T/wl" 2>"$T/wl.err" &
wpid=$!
lines_at_least 1
cp "$T/dw-after" "$T/dw/by_msr.new"
mv "$T/dw/by_msr.new" "$T/dw/by_msr"
lines_at_least $(($(wc -l <"$T/wl") + 2))
kill $wpid
{ wait $wpid; } 2>/dev/null
out=$(head -n "$(wc -l <"$T/wl")" "$T/wl")
[ -s "$T/wl.err" ] && bad "stderr: $(cat "$T/wl.err")"
got=$(printf '%s\n' "$out" | jq -s -c '[(map(.msr.total) | add), (map(.msr.other.delta) | add), (map(select(.msr.total > 0)) | length),
	(map(.msr.rows[]) | map({msr, name, access, delta}))]')
[ "$got" = '[1001,1,1,[{"msr":"0x0000001b","name":"IA32_APICBASE","access":"read","delta":1000}]]' ] || bad "json lines: $got"
cp "$F/detail/by_msr" "$T/dw/by_msr"
run "$B" --root "$T/dw" --watch 0.05 --count 1 --msr -- true
check_rc 2
tap "--watch --msr --io: a line per table and interval; --json: the deltas per key add up to the change"

cp "$F/detail/by_msr" "$T/dw/by_msr"
run "$B" --root "$T/dw" --msr --io -- sh -c "echo hi; cp '$T/dw-after' '$T/dw/by_msr'"
check_rc 0; check_out "hi"
# all but the rate column, which depends on the time taken
got=$(printf '%s\n' "$err" | sed -n '2,5p' | awk '{ $NF = ""; print }')
[ "$got" = "MSR NAME ACCESS DELTA SHARE 
0x0000001b IA32_APICBASE read 1,000 99.90% 
other 1 0.10% 
total 1,001 100.00% " ] || bad "report: $err"
contains "$err" "sh -c echo hi; cp '$T/dw-after' '$T/dw/by_msr' (exited with status 0): " "report"
contains "$err" " s, 1,001 MSR exits, " "report"
contains "$err" " s, 0 I/O exits, " "report"
tap "-- CMD --msr --io: the command's deltas per key on stderr"

while IFS='|' read -r args msg; do
	# shellcheck disable=SC2086
	run "$B" $args
	check_rc 2
	check_err "kvmexit-read: $msg
Try 'kvmexit-read --help' for more information."
done <<LIST
--msr --reset|--msr only applies to printing the counters, --save, --diff, --watch and -- CMD, not to --reset
--io --list-vms|--io only applies to printing the counters, --save, --diff, --watch and -- CMD, not to --list-vms
--exceptions --record f --interval 1|--exceptions only applies to printing the counters, --save, --diff, --watch and -- CMD, not to --record
--msr --timeline f|--msr only applies to printing the counters, --save, --diff, --watch and -- CMD, not to --timeline
--msr --vm 1234-11|--msr does not apply to --vm (the MSR, I/O port and exception tables are global)
--io --diff a b --per-vcpu|--io does not apply to --per-vcpu (the MSR, I/O port and exception tables are global)
--msr=1|--msr takes no value
--param-dir|--param-dir needs a value
LIST
tap "--msr, --io, --exceptions, --param-dir usage errors: exit 2 with the reason"

# --- handling-time histograms: time_hist, exit_time_hist, --hist -------------
HIST_TABLE='CODE    REASON              COUNT    SHARE       AVG       P99       MAX
0x000a  CPUID                 500   39.37%     480ns     1.4us     2.0us
0x001e  IO_INSTRUCTION        500   39.37%     1.2us     2.0us     2.0us
0x0020  MSR_WRITE             250   19.69%     400ns         -     500ns
0x0001  EXTERNAL_INTERRUPT     17    1.34%     705ns         -     900ns
0x000c  HLT                     2    0.16%     1.0ms     1.5ms     1.5ms
0x0030  EPT_VIOLATION           1    0.08%         -         -         -
        total               1,270  100.00%     2.3us     2.0us     1.5ms'
run "$B" --root "$F/hist"
check_rc 0; check_out "$HIST_TABLE"; check_err ""
w=$(printf '%s\n' "$out" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
[ "$w" -le 80 ] || bad "$w columns"
# without time_hist (an older series): no P99, as before
run "$B" --root "$F/vm/kvm_exits"
check_rc 0; contains "$out" "SHARE       AVG       MAX" "table"; lacks "$out" "P99" "table"
# timing never ran: an other line of zeros, no time columns
run "$B" --root "$F/hist-zero"
check_rc 0; check_out "$VMX_TABLE"
tap "time_hist: a P99 column between AVG and MAX ('-' without a row of its own), the total's of all lines; none without the file"

HIST_CPUID='CPUID (0x000a): 500 timed exits
TIME           COUNT    SHARE
256ns - 512ns     12    2.40%  #
512ns - 1.0us    480   96.00%  ########################################
1.0us - 2.0us      8    1.60%  #
count 500, min 375ns, avg 480ns, max 2.0us
p50 ~766ns, p90 ~979ns, p99 ~1.4us (estimates)'
for r in cpuid CPUID 0x000a 0xa 0XA; do
	run "$B" --root "$F/hist" --hist "$r"
	check_rc 0; check_out "$HIST_CPUID"; check_err ""
done
run "$B" --root "$F/hist" --hist=hlt
check_rc 0
check_out 'HLT (0x000c): 2 timed exits
TIME               COUNT    SHARE
262.1us - 524.3us      1   50.00%  ########################################
524.3us - 1.0ms        0    0.00%
1.0ms - 2.1ms          1   50.00%  ########################################
count 2, min 500.0us, avg 1.0ms, max 1.5ms
p50 ~524.3us, p90 ~1.5ms, p99 ~1.5ms (estimates)'
run "$B" --root "$F/hist" --hist Other
check_rc 0
check_out 'other (the reasons without a row of their own): 267 timed exits
TIME           COUNT    SHARE
256ns - 512ns    250   93.63%  ########################################
512ns - 1.0us     17    6.37%  ###
count 267, min 300ns, avg 419ns, max 900ns
p50 ~393ns, p90 ~502ns, p99 ~900ns (estimates)'
run "$B" --root "$F/hist-zero" --hist other
check_rc 0
check_out 'other (the reasons without a row of their own): 0 timed exits
count 0, min -, avg -, max -'
run "$B" --root "$F/vmh/kvm_exits" --vm 1234 --hist Io_Instruction
check_rc 0
check_out 'VM 1234-11: IO_INSTRUCTION (0x001e): 50 timed exits
TIME             COUNT    SHARE
4.1us - 8.2us       40   80.00%  ########################################
8.2us - 16.4us       8   16.00%  ########
16.4us - 32.8us      2    4.00%  ##
count 50, min 5.0us, avg 8.0us, max 30.0us
p50 ~6.7us, p90 ~13.3us, p99 ~28.7us (estimates)'
run "$B" --root "$F/hist" --hist cpuid --output "$T/hist.txt"
check_rc 0; check_out ""
[ "$(cat "$T/hist.txt")" = "$HIST_CPUID" ] || bad "--output: $(cat "$T/hist.txt")"
tap "--hist REASON: by name in any case or code, a row per bucket from the first to the last non-empty, count, min, avg, max, p50/p90/p99 estimates; other; --vm"

while IFS='|' read -r args want msg; do
	# shellcheck disable=SC2086
	run "$B" $args
	check_rc "$want"; check_out ""
	check_err "kvmexit-read: $msg"
done <<LIST
--root $F/hist --hist msr_write|3|--hist MSR_WRITE: MSR_WRITE has no histogram row of its own: its timed exits are in the 'other' line of $F/hist/time_hist (the kernel keeps a row for each of the first 32 reasons timed since the vendor module loaded); --hist other shows that line
--root $F/hist --hist EPT_VIOLATION|3|--hist EPT_VIOLATION: EPT_VIOLATION has no timed exits since the last reset, so no line in $F/hist/time_hist
--root $F/hist --hist bogus|2|--hist 'bogus': no such reason in $F/hist/by_reason (a name as in the REASON column, in any case, a code such as 0x000a, or 'other')
--root $F/hist --hist 0x0099|2|--hist '0x0099': no such reason in $F/hist/by_reason (a name as in the REASON column, in any case, a code such as 0x000a, or 'other')
--root $F/vm/kvm_exits --hist cpuid|3|--hist: $F/vm/kvm_exits/time_hist: not found: the kernel's kvm_exits series is older than the handling-time histograms that --hist reads
--root $F/vmx-basic --hist cpuid|3|--hist: $F/vmx-basic/time_by_reason: not found: the kernel's kvm_exits series predates handling times
--root $F/vm/kvm_exits --vm 4321-5 --hist cpuid|3|--hist: $F/vm/kvm/4321-5/exit_times: not found: no handling times in this VM (created while the kvm parameter exit_stats_time was N)
LIST
tap "--hist: a reason in other, without timed exits, unknown (exit 2), no time file or no histograms (exit 3), each said"

while IFS='|' read -r dir msg; do
	run "$B" --root "$F/$dir"
	check_rc 5; check_out ""
	check_err "kvmexit-read: $F/$dir/time_hist$msg"
done <<LIST
bad-hist-empty|:1: empty file (expected the header line '# code name min_ns 256 512 1024 2048 4096 8192 16384 32768 65536 131072 262144 524288 1048576 2097152 4194304 8388608 16777216 33554432 67108864 134217728 268435456 536870912 1073741824 +Inf')
bad-hist-no-header|:1: expected the header line '# code name min_ns 256 512 1024 2048 4096 8192 16384 32768 65536 131072 262144 524288 1048576 2097152 4194304 8388608 16777216 33554432 67108864 134217728 268435456 536870912 1073741824 +Inf' first
bad-hist-header-word|:1: bad header: 'min' where 'min_ns' is expected (the header is '# code name min_ns' and the bucket edges)
bad-hist-header-edges|:1: bad header: 23 bucket edges, expected 24 (256 512 1024 2048 4096 8192 16384 32768 65536 131072 262144 524288 1048576 2097152 4194304 8388608 16777216 33554432 67108864 134217728 268435456 536870912 1073741824 +Inf)
bad-hist-header-edge|:1: bad header: the edge of bucket 5 is '8000', expected 8192
bad-hist-header-late|:5: '#' line is only allowed as the first line (the header)
bad-hist-fields|:2: expected 27 fields '<code> <name> <min_ns>' and 24 bucket counts, got 26
bad-hist-fields-long|:2: expected 27 fields '<code> <name> <min_ns>' and 24 bucket counts, got more than 27
bad-hist-code|:2: bad code '0xzz0a' (expected 0x and 4 to 16 hex digits, or '-')
bad-hist-name|:2: reason 'CPUIDX' where by_reason has 'CPUID' for code 0x000a (files out of step?)
bad-hist-not-a-reason|:2: code 0x0099 (NEW) is not a reason of by_reason (files out of step?)
bad-hist-order|:4: CPUID after IO_INSTRUCTION: not in the order of by_reason
bad-hist-duplicate|:3: duplicate code 0x000a (first on line 2)
bad-hist-number|:2: bucket 1 count '12a' is not an unsigned decimal number
bad-hist-negative|:2: min_ns '-375' is not an unsigned decimal number
bad-hist-overflow|:2: bucket 1 count '18446744073709551616' does not fit in 64 bits
bad-hist-row-overflow|:2: sum of the buckets overflows 64 bits
bad-hist-missing-other|:5: end of file without the 'other' line (file truncated?)
bad-hist-duplicate-other|:6: duplicate 'other' line (first on line 5)
bad-hist-after-other|:6: line after the 'other' line (which must be the last one, line 5)
bad-hist-other-code|:5: the 'other' line must have code '-'
bad-hist-dash-code|:2: code '-' is only for the 'other' line, not 'CPUID'
bad-hist-nul|:2: NUL byte in column 11
bad-hist-long-line|:2: line too long (more than 1023 bytes)
bad-hist-crlf|:1: bad header: the edge of bucket 23 is '+Inf\x0d', expected +Inf
bad-hist-truncated|:5: last line has no newline (file truncated?)
bad-hist-count|:2: CPUID: the buckets add up to 501 timed exits, but $F/bad-hist-count/time_by_reason has 500 (the files disagree)
bad-hist-total|:5: the buckets of all lines add up to 1270 timed exits, but $F/bad-hist-total/time_by_reason has 1269 (the files disagree)
bad-hist-min|:2: CPUID: min_ns 481 above the average of $F/bad-hist-min/time_by_reason, 480 (total_ns 240000 / count 500; the files disagree)
LIST
# counters that move between the reads, resets included: the time file
# read before and after the histograms brackets them (a symbolic link
# swapped to each new state makes each read see one moment, as the
# kernel's files do)
python3 - "$F/hist" "$T/moving" 3 >"$T/moving.out" 2>&1 <<'PY' &
import os, sys, time
src, live, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
files = {n: open(os.path.join(src, n)).read() for n in os.listdir(src)}
os.makedirs(live)
def state(k):
    d, j = os.path.join(live, "s%d" % k), k % 7  # a reset every 7 states
    os.mkdir(d)
    for n, text in files.items():
        if n == "time_by_reason":
            text = text.replace("500 240000 2000", "%d %d 2000" % (500 + j, 240000 + 480 * j))
        if n == "time_hist":
            text = text.replace("375 0 12 480 8", "375 0 12 %d 8" % (480 + j))
        open(os.path.join(d, n), "w").write(text)
    return d
os.symlink(state(0), os.path.join(live, "root"))
k, end = 0, time.time() + secs
while time.time() < end:
    k += 1
    os.symlink(state(k), os.path.join(live, "root.new"))
    os.rename(os.path.join(live, "root.new"), os.path.join(live, "root"))
    time.sleep(0.002)
print(k)
PY
lpid=$!
i=0
while [ ! -e "$T/moving/root" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
i=0
while [ $i -lt 100 ] && kill -0 $lpid 2>/dev/null; do
	"$B" --root "$T/moving/root" >/dev/null 2>"$T/moving.err" ||
		{ bad "read $i: $(cat "$T/moving.err")"; break; }
	i=$((i + 1))
done
wait $lpid
[ $i -ge 10 ] || bad "only $i reads while the counters moved ($(cat "$T/moving.out"))"
[ "$(cat "$T/moving.out")" -ge 10 ] 2>/dev/null || bad "writer: $(cat "$T/moving.out")"
rm -rf "$T/moving"
tap "time_hist of counters that move (and reset) between the reads: the time file read again brackets the histograms, never refused"

# a histogram line of many long numbers: up to 1023 bytes is fine
mkdir -p "$T/hl"
cp "$F/hist/"* "$T/hl/"
sed -i 's/^0x000a CPUID /0x000a CPUID'"$(printf '%*s' 900 '')"'/' "$T/hl/time_hist"
run "$B" --root "$T/hl"
check_rc 0; check_out "$HIST_TABLE"
tap "malformed time_hist (29 kinds, the files disagreeing included): exit 5 naming the file, line and what is wrong (and the time file)"

run "$B" --root "$F/hist" --json
check_rc 0
printf '%s\n' "$out" >"$T/hj"
got=$(jq -c '[.time_hist, .time_p50_ns, .time_p90_ns, .time_p99_ns, .hist_other.count, .hist_other.min_ns,
	.hist_other.p99_ns, (.hist_other.hist | map(.count)), (.reasons[] | select(.name == "CPUID") |
	[.min_ns, .p50_ns, .p90_ns, .p99_ns, .hist[0], .hist[2], .hist[22], .hist[23], (.hist | length)]),
	[.reasons[] | select(has("hist")) | .name], [.reasons[] | select(.name == "MSR_WRITE") | has("p99_ns")]]' "$T/hj")
[ "$got" = '[true,831,1735,2021,267,300,900,[0,250,17,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],[375,766,979,1408,{"le_ns":256,"count":0},{"le_ns":1024,"count":480},{"le_ns":1073741824,"count":0},{"le_ns":null,"count":0},24],["CPUID","HLT","IO_INSTRUCTION"],[false]]' ] ||
	bad "json: $got"
python3 -m json.tool "$T/hj" >/dev/null || bad "python json.tool rejects it"
run "$B" --root "$F/vm/kvm_exits" --json
[ "$(printf '%s\n' "$out" | jq -c '[has("time_hist"), has("hist_other"), (.reasons[] | select(.name == "CPUID") | has("hist"))]')" = "[false,false,false]" ] ||
	bad "json without time_hist: $out"
tap "--json: time_hist, time_p50/p90/p99_ns, per reason with a row min_ns, p50/p90/p99_ns and hist (le_ns, null for +Inf), hist_other; none without the file"

run "$B" --root "$F/hist" --prometheus
check_rc 0
printf '%s\n' "$out" >"$T/hp"
got=$(prom_check "$T/hp") || bad "format: $got"
[ "$got" = $((64 + 63 * 3 + 4 * 26)) ] || bad "samples: $got"
contains "$out" '# TYPE kvm_exit_handling_duration_seconds histogram
kvm_exit_handling_duration_seconds_bucket{reason="CPUID",code="0x000a",vendor="vmx",le="2.56e-07"} 0
kvm_exit_handling_duration_seconds_bucket{reason="CPUID",code="0x000a",vendor="vmx",le="5.12e-07"} 12
kvm_exit_handling_duration_seconds_bucket{reason="CPUID",code="0x000a",vendor="vmx",le="1.024e-06"} 492
kvm_exit_handling_duration_seconds_bucket{reason="CPUID",code="0x000a",vendor="vmx",le="2.048e-06"} 500' "prom"
contains "$out" 'kvm_exit_handling_duration_seconds_bucket{reason="CPUID",code="0x000a",vendor="vmx",le="0.000131072"} 500' "prom"
contains "$out" 'kvm_exit_handling_duration_seconds_bucket{reason="CPUID",code="0x000a",vendor="vmx",le="1.073741824"} 500
kvm_exit_handling_duration_seconds_bucket{reason="CPUID",code="0x000a",vendor="vmx",le="+Inf"} 500
kvm_exit_handling_duration_seconds_sum{reason="CPUID",code="0x000a",vendor="vmx"} 0.000240000
kvm_exit_handling_duration_seconds_count{reason="CPUID",code="0x000a",vendor="vmx"} 500
kvm_exit_handling_duration_seconds_bucket{reason="HLT",' "prom"
contains "$out" 'kvm_exit_handling_duration_seconds_bucket{reason="other",code="-",vendor="vmx",le="5.12e-07"} 250' "prom"
contains "$out" 'kvm_exit_handling_duration_seconds_sum{reason="other",code="-",vendor="vmx"} 0.000112000
kvm_exit_handling_duration_seconds_count{reason="other",code="-",vendor="vmx"} 267' "prom"
lacks "$out" 'reason="MSR_WRITE",code="0x0020",vendor="vmx",le=' "prom"
run "$B" --root "$F/vmh/kvm_exits" --vm 1234-11 --per-vcpu --prometheus
check_rc 0
printf '%s\n' "$out" >"$T/hp"
got=$(prom_check "$T/hp") || bad "format: $got"
[ "$(printf '%s\n' "$out" | grep -c '^# TYPE kvm_exit_handling_duration_seconds histogram$')" = 1 ] || bad "TYPE not once"
contains "$out" 'kvm_exit_handling_duration_seconds_count{reason="IO_INSTRUCTION",code="0x001e",vendor="vmx",vm="1234-11",vcpu="1"} 50' "prom"
contains "$out" 'kvm_exit_handling_duration_seconds_bucket{reason="CPUID",code="0x000a",vendor="vmx",vm="1234-11",vcpu="0",le="5.12e-07"} 200' "prom"
run "$B" --root "$F/vm/kvm_exits" --prometheus
lacks "$out" "duration" "prom without time_hist"
tap "--prometheus: the histogram family kvm_exit_handling_duration_seconds, cumulative buckets to +Inf, _sum of total_ns, _count, reason=\"other\"; vm and vcpu labels"

# snapshots and diffs with histograms
run "$B" --root "$F/hist" --save "$T/h.snap"
check_rc 0; check_out ""
[ "$(head -1 "$T/h.snap")" = "kvmexit-read-snapshot 4" ] || bad "version: $(head -1 "$T/h.snap")"
[ "$(sed -n '/^time_sum/,$p' "$T/h.snap")" = "time_sum 1269 2952000
hist 0x000a CPUID 375 0 12 480 8 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
hist 0x000c HLT 500000 0 0 0 0 0 0 0 0 0 0 0 1 0 1 0 0 0 0 0 0 0 0 0 0
hist 0x001e IO_INSTRUCTION 600 0 0 100 400 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
hist - other 300 0 250 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
hist_sum 1269
sum 1270
end" ] || bad "snapshot: $(sed -n '/^time_sum/,$p' "$T/h.snap")"
[ "$(grep -v '^wall_time\|^boottime\|^boot_id\|^kernel' "$T/h.snap")" = "$(grep -v '^wall_time\|^boottime\|^boot_id\|^kernel' "$S/hist-a.snap")" ] ||
	bad "differs from the generator's hist-a.snap"
run "$B" --root "$F/hist" --diff "$T/h.snap"
check_rc 0; contains "$out" ", 0 exits" "diff"
run "$B" --root "$F/vm/kvm_exits" --save "$T/h2.snap"
[ "$(head -1 "$T/h2.snap")" = "kvmexit-read-snapshot 2" ] || bad "without time_hist: $(head -1 "$T/h2.snap")"
tap "--save with time_hist: format 4, hist lines and hist_sum after time_sum; format 2 without"

run "$B" --diff "$S/hist-a.snap" "$S/hist-b.snap"
check_rc 0; check_err ""
check_out "$S/hist-a.snap -> $S/hist-b.snap: 10.000 s, 1,500 exits, 150.00 exits/s
CODE    REASON          DELTA    SHARE  RATE/s       AVG       P99       MAX
0x001e  IO_INSTRUCTION  1,000   66.67%  100.00     1.8us     2.0us    90.0us
0x000a  CPUID             500   33.33%   50.00     480ns     1.0us     2.0us
        total           1,500  100.00%  150.00     1.4us     2.0us     1.5ms"
run "$B" --diff "$S/hist-a.snap" "$S/hist-b.snap" --hist io_instruction
check_rc 0
check_out "$S/hist-a.snap -> $S/hist-b.snap: IO_INSTRUCTION (0x001e): 1,000 timed exits in the interval
TIME              COUNT    SHARE
1.0us - 2.0us       990   99.00%  ########################################
2.0us - 4.1us         0    0.00%
4.1us - 8.2us         0    0.00%
8.2us - 16.4us        0    0.00%
16.4us - 32.8us       5    0.50%  #
32.8us - 65.5us       0    0.00%
65.5us - 131.1us      5    0.50%  #
count 1,000, avg 1.8us; since the last reset: min 600ns, max 90.0us
p50 ~1.5us, p90 ~2.0us, p99 ~2.0us (estimates)"
run "$B" --diff "$S/hist-a.snap" "$S/hist-b.snap" --hist hlt
check_rc 0
check_out "$S/hist-a.snap -> $S/hist-b.snap: HLT (0x000c): 0 timed exits in the interval
count 0, avg -; since the last reset: min -, max -"
run "$B" --diff "$S/hist-a.snap" "$S/hist-b.snap" --json
got=$(printf '%s\n' "$out" | jq -c '[.time_p50_ns, .time_p90_ns, .time_p99_ns, .hist_other.count, has("time_hist"),
	(.reasons[] | [.name, .p50_ns, .p99_ns, (.hist | map(.count) | add), .hist[9].count])]')
[ "$got" = '[1283,1903,2043,0,false,["IO_INSTRUCTION",1541,2048,1000,5],["CPUID",768,1019,500,0]]' ] || bad "json: $got"
# B after a reset: the buckets count from it
sed 's/^hist 0x000a CPUID 375 0 12 980 8 /hist 0x000a CPUID 375 0 12 10 8 /; s/^hist_sum 2769/hist_sum 1799/' \
	"$S/hist-b.snap" >"$T/hr.snap"
run "$B" --diff "$S/hist-a.snap" "$T/hr.snap" --hist cpuid
check_rc 0
contains "$out" "CPUID (0x000a): 30 timed exits in the interval" "a bucket that went down"
run "$B" --diff "$S/a.snap" "$S/hist-b.snap" --hist cpuid
check_rc 6; check_out ""
check_err "kvmexit-read: --hist: $S/a.snap has no handling-time histograms (snapshots of a kernel with time_hist, saved while handling times were measured)"
run "$B" --diff "$S/time-a.snap" "$S/hist-b.snap" --force
check_rc 0; lacks "$out" "P99" "diff with one side without histograms"
tap "--diff of snapshots with histograms: the interval's P99, --hist of the interval (bucket deltas, B's min and max), JSON; a bucket that went down counts from the reset"

while IFS='|' read -r file msg; do
	run "$B" --diff "$S/$file" "$S/hist-b.snap"
	check_rc 5
	check_err "kvmexit-read: $S/$file$msg"
done <<'LIST'
hostile-hist-v3.snap|:136: 'hist' line in a version 3 snapshot (histograms need version 4)
hostile-hist-sum.snap|:140: hist_sum 2768 does not match the hist lines, which add up to 2769 (file corrupted?)
hostile-hist-nosum.snap|:140: 'sum' line without a 'hist_sum' line after the hist lines
hostile-hist-code.snap|:137: code 0x0099 (HLT) is not a reason of by_reason (files out of step?)
hostile-hist-place.snap|:135: 'hist' line out of place (after the section's 'time_sum' line, before its 'hist_sum')
LIST
tap "bad format-4 snapshots with histograms: exit 5, names file and line"

# a VM and its vCPUs
run "$B" --root "$F/vmh/kvm_exits" --vm 1234 --per-vcpu
check_rc 0
check_out 'VM 1234-11
CODE    REASON          COUNT    SHARE       AVG       P99       MAX
0x000a  CPUID             500   90.42%     480ns     1.6us     2.0us
0x001e  IO_INSTRUCTION     50    9.04%     8.0us    28.7us    30.0us
0x000c  HLT                 2    0.36%         -         -         -
0x0030  EPT_VIOLATION       1    0.18%     5.0us     5.0us     5.0us
        total             553  100.00%     1.2us    12.8us    30.0us

VM 1234-11 vcpu0
CODE    REASON         COUNT    SHARE       AVG       P99       MAX
0x000a  CPUID            300   99.34%     500ns     1.7us     2.0us
0x000c  HLT                1    0.33%         -         -         -
0x0030  EPT_VIOLATION      1    0.33%     5.0us     5.0us     5.0us
        total            302  100.00%     514ns     1.8us     5.0us

VM 1234-11 vcpu1
CODE    REASON          COUNT    SHARE       AVG       P99       MAX
0x000a  CPUID             200   79.68%     450ns     1.0us     1.5us
0x001e  IO_INSTRUCTION     50   19.92%     8.0us    28.7us    30.0us
0x000c  HLT                 1    0.40%         -         -         -
        total             251  100.00%     2.0us    15.9us    30.0us'
run "$B" --root "$F/vmh/kvm_exits" --vm 2-1 --per-vcpu
check_rc 5
check_err "kvmexit-read: $F/vmh/kvm/2-1/vcpu0/exit_time_hist: missing, but $F/vmh/kvm/2-1/exit_time_hist exists"
run "$B" --root "$F/vmh/kvm_exits" --vm 1234-11 --per-vcpu --save "$T/vh.snap"
check_rc 0
[ "$(grep -c '^hist_sum' "$T/vh.snap")" = 3 ] || bad "hist_sum lines: $(grep -c '^hist_sum' "$T/vh.snap")"
run "$B" --diff "$S/vmh-a.snap" "$T/vh.snap" --per-vcpu --force --json
check_rc 0
got=$(printf '%s\n' "$out" | jq -c '[.total, .time_p99_ns, [.vcpus[] | .time_p99_ns]]')
[ "$got" = '[0,null,[null,null]]' ] || bad "json: $got"
tap "--vm --per-vcpu: a P99 column per VM and vCPU; a vCPU without exit_time_hist in a VM with one: exit 5; VM snapshots with histograms"

run "$B" --root "$F/hist" --watch 0.05 --count 2
check_rc 0; check_err ""
[ "$(printf '%s\n' "$out" | head -1)" = '  ELAPSED        EXITS     EXITS/s       P99  TOP REASONS' ] || bad "header: $out"
printf '%s\n' "$out" | tail -n +2 | grep -Evq '^ +[0-9]+\.[0-9]{3} +0 +0\.00 +-$' && bad "lines: $out"
run "$B" --root "$F/hist" --watch 0.05 --count 1 --json
[ "$(printf '%s\n' "$out" | jq -c '[.time_p99_ns, .hist_other.count]')" = "[null,0]" ] || bad "json: $out"
run "$B" --root "$F/hist" -- true
check_rc 0
contains "$err" "CODE  REASON  DELTA    SHARE  RATE/s" "-- CMD"
run "$B" --root "$F/vmx-basic" --watch 0.05 --count 1
[ "$(printf '%s\n' "$out" | head -1)" = '  ELAPSED        EXITS     EXITS/s  TOP REASONS' ] || bad "header without time_hist: $out"
tap "--watch with time_hist: a P99 column of the interval ('-' without timed exits), JSON time_p99_ns; none without"

while IFS='|' read -r args msg; do
	# shellcheck disable=SC2086
	run "$B" $args
	check_rc 2
	check_err "kvmexit-read: $msg
Try 'kvmexit-read --help' for more information."
done <<LIST
--hist cpuid --json|--hist prints a table: not with --json (which has the histogram of every reason)
--hist cpuid --prometheus|--hist prints a table: not with --prometheus (which has the histogram of every reason)
--hist cpuid --vm 1 --per-vcpu|--hist does not apply to --per-vcpu (use --vm alone)
--hist cpuid --msr|--hist cannot be combined with --msr
--hist cpuid --userspace|--hist cannot be combined with --userspace
--hist cpuid --save x|--hist only applies to printing the counters and --diff, not to --save
--hist cpuid --watch 1|--hist only applies to printing the counters and --diff, not to --watch
--hist cpuid -- true|--hist only applies to printing the counters and --diff, not to -- CMD
--hist|--hist needs a value
--hist=|--hist: empty value
LIST
tap "--hist usage errors: exit 2 with the reason"

# --- returns to userspace: userspace_exits, --userspace ------------------------
USER_TABLE='CODE   NAME           COUNT    SHARE
2      KVM_EXIT_IO    1,000   99.01%
50     -                  4    0.40%
5      KVM_EXIT_HLT       2    0.20%
10     KVM_EXIT_INTR      1    0.10%
error                     3    0.30%
other                     0    0.00%
total                 1,010  100.00%'
run "$B" --root "$F/user" --userspace
check_rc 0; check_out "$USER_TABLE"; check_err ""
run "$B" --root "$F/user-zero" --userspace
check_rc 0
check_out 'CODE   NAME  COUNT    SHARE
error            0        -
other            0        -
total            0        -'
run "$B" --root "$F/user"
check_rc 0; check_out "$VMX_TABLE"
mkdir -p "$T/du"
cp "$F/detail/"* "$F/user/userspace_exits" "$T/du/"
run "$B" --root "$T/du" --userspace --exceptions
check_rc 0
check_out "$DETAIL_EXC

$USER_TABLE"
tap "--userspace: codes by count with their names ('-' if none), share, error, other, total; after the detail tables; read only when asked for"

UHINT="kvmexit-read: hint: the kvm parameter exit_stats_detail is N: the returns to userspace (userspace_exits) are not counting; switch it on with: echo Y > $F/params-off/exit_stats_detail"
run "$B" --root "$F/user" --userspace --param-dir "$F/params-off"
check_rc 0; check_out "$USER_TABLE"; check_err "$UHINT"
run "$B" --root "$T/du" --userspace --msr --param-dir "$F/params-off"
check_rc 0
check_err "kvmexit-read: hint: the kvm parameter exit_stats_detail is N: the MSR, I/O port and exception tables and the returns to userspace are not counting; switch it on with: echo Y > $F/params-off/exit_stats_detail"
run "$B" --root "$F/user" --userspace --param-dir "$F/params-on"
check_rc 0; check_err ""
run "$B" --root "$F/vmh/kvm_exits" --vm 1234-11 --userspace --param-dir "$F/params-off"
check_rc 0; check_err ""
run "$B" --root "$F/vmx-basic" --userspace
check_rc 3; check_out ""
check_err "kvmexit-read: $F/vmx-basic/userspace_exits: not found: the kernel's kvm_exits series is older than the counts of returns to userspace that --userspace reads"
run "$B" --root "$F/vmx-basic" --userspace --save "$T/u0.snap"
check_rc 3
[ -e "$T/u0.snap" ] && bad "a snapshot was written"
tap "--userspace: the exit_stats_detail hint for the global table (not a VM's); a kernel without the file: exit 3 saying the series is older"

while IFS='|' read -r dir msg; do
	run "$B" --root "$F/$dir" --userspace
	check_rc 5; check_out ""
	check_err "kvmexit-read: $F/$dir/userspace_exits$msg"
done <<'LIST'
bad-user-empty|:1: empty file (expected the header line '# code name count')
bad-user-header|:1: bad header '# code count' (expected '# code name count')
bad-user-no-header|:1: expected the header line '# code name count' first
bad-user-code|:3: bad code '64' (expected 0 to 63, or '-' for errors)
bad-user-code-word|:3: bad code 'five' (expected 0 to 63, or '-' for errors)
bad-user-name|:3: bad name 'HLT' (expected KVM_EXIT_ and capitals, digits or '_', at most 47 characters, or '-')
bad-user-name-lower|:3: bad name 'KVM_EXIT_hlt' (expected KVM_EXIT_ and capitals, digits or '_', at most 47 characters, or '-')
bad-user-duplicate|:4: duplicate code 5 (first on line 3)
bad-user-after-error|:7: code line after the '- error' line (line 6), which comes after the codes
bad-user-duplicate-error|:7: duplicate '- error' line (first on line 6)
bad-user-dash|:6: code '-' is only for the '- error' line, not 'oops'
bad-user-fields|:3: expected '<code> <name> <count>', '- error <count>' or 'other <count>', got 2 fields
bad-user-count|:3: count '2x' is not an unsigned decimal number
bad-user-overflow|:3: count '18446744073709551616' does not fit in 64 bits
bad-user-sum-overflow|:3: sum of the counts overflows 64 bits
bad-user-missing-other|:7: end of file without the 'other' line (file truncated?)
bad-user-duplicate-other|:8: duplicate 'other' line (first on line 7)
bad-user-after-other|:8: line after the 'other' line (which must be the last one, line 7)
bad-user-nul|:2: NUL byte in column 11
bad-user-crlf|:1: bad header '# code name count\x0d' (expected '# code name count')
bad-user-truncated|:7: last line has no newline (file truncated?)
bad-user-long-line|:3: line too long (more than 255 bytes)
LIST
run "$B" --root "$F/bad-user-code"
check_rc 0
tap "malformed userspace_exits: exit 5 naming file, line and what is wrong (22 kinds); read only with --userspace"

run "$B" --root "$F/user" --userspace --json
check_rc 0
printf '%s\n' "$out" >"$T/uj"
got=$(jq -c '.userspace_exits' "$T/uj")
[ "$got" = '{"total":1010,"error":3,"other":0,"rows":[{"code":2,"name":"KVM_EXIT_IO","count":1000},{"code":5,"name":"KVM_EXIT_HLT","count":2},{"code":10,"name":"KVM_EXIT_INTR","count":1},{"code":50,"name":null,"count":4}]}' ] ||
	bad "json: $got"
python3 -m json.tool "$T/uj" >/dev/null || bad "python json.tool rejects it"
run "$B" --root "$F/user" --json
[ "$(printf '%s\n' "$out" | jq -c 'has("userspace_exits")')" = false ] || bad "without --userspace"
run "$B" --root "$F/vmh/kvm_exits" --vm 1234-11 --per-vcpu --userspace --json
got=$(printf '%s\n' "$out" | jq -c '[.counters.userspace_exits.total, [.vcpus[].counters.userspace_exits.total], .vcpus[1].counters.userspace_exits.error]')
[ "$got" = '[84,[31,53],2]' ] || bad "vm json: $got"
run "$B" --root "$F/user" --userspace --prometheus
check_rc 0
printf '%s\n' "$out" >"$T/up"
got=$(prom_check "$T/up") || bad "format: $got"
[ "$got" = $((64 + 6)) ] || bad "samples: $got"
contains "$out" '# TYPE kvm_exits_userspace_total counter
kvm_exits_userspace_total{reason="KVM_EXIT_IO",code="2",vendor="vmx"} 1000
kvm_exits_userspace_total{reason="KVM_EXIT_HLT",code="5",vendor="vmx"} 2
kvm_exits_userspace_total{reason="KVM_EXIT_INTR",code="10",vendor="vmx"} 1
kvm_exits_userspace_total{reason="-",code="50",vendor="vmx"} 4
kvm_exits_userspace_total{reason="error",code="-",vendor="vmx"} 3
kvm_exits_userspace_total{reason="other",code="-",vendor="vmx"} 0' "prom"
run "$B" --root "$F/vmh/kvm_exits" --vm 1234-11 --per-vcpu --userspace --prometheus
contains "$out" 'kvm_exits_userspace_total{reason="error",code="-",vendor="vmx",vm="1234-11",vcpu="1"} 2' "prom"
tap "--userspace --json: userspace_exits of total, error, other and rows by code (name null if none), per VM and vCPU; --prometheus: kvm_exits_userspace_total"

run "$B" --root "$F/vmh/kvm_exits" --vm 1234 --per-vcpu --userspace
check_rc 0
check_out 'VM 1234-11
CODE   NAME           COUNT    SHARE
2      KVM_EXIT_IO       80   95.24%
5      KVM_EXIT_HLT       1    1.19%
10     KVM_EXIT_INTR      1    1.19%
error                     2    2.38%
other                     0    0.00%
total                    84  100.00%

VM 1234-11 vcpu0
CODE   NAME           COUNT    SHARE
2      KVM_EXIT_IO       30   96.77%
10     KVM_EXIT_INTR      1    3.23%
error                     0    0.00%
other                     0    0.00%
total                    31  100.00%

VM 1234-11 vcpu1
CODE   NAME          COUNT    SHARE
2      KVM_EXIT_IO      50   94.34%
5      KVM_EXIT_HLT      1    1.89%
error                    2    3.77%
other                    0    0.00%
total                   53  100.00%'
tap "--vm --per-vcpu --userspace: the VM's table, then each vCPU's"

run "$B" --root "$F/user" --userspace --save "$T/u.snap"
check_rc 0; check_out ""
[ "$(head -1 "$T/u.snap")" = "kvmexit-read-snapshot 4" ] || bad "version: $(head -1 "$T/u.snap")"
[ "$(sed -n '/^reason - other/,$p' "$T/u.snap")" = "reason - other 0
userspace 2 KVM_EXIT_IO 1000
userspace 5 KVM_EXIT_HLT 2
userspace 10 KVM_EXIT_INTR 1
userspace 50 - 4
userspace - error 3
userspace other 0
userspace_sum 1010
sum 2269
end" ] || bad "snapshot: $(sed -n '/^reason - other/,$p' "$T/u.snap")"
run "$B" --root "$F/user" --save "$T/u1.snap"
[ "$(head -1 "$T/u1.snap")" = "kvmexit-read-snapshot 1" ] || bad "without --userspace: $(head -1 "$T/u1.snap")"
run "$B" --root "$F/user" --diff "$T/u.snap" --userspace
check_rc 0; contains "$out" ", 0 userspace exits" "diff"
tap "--save --userspace: format 4, userspace lines and userspace_sum before sum; format 1 without"

UDIFF="$S/user-a.snap -> $S/user-b.snap: 10.000 s, 607 userspace exits, 60.70 exits/s
CODE   NAME                     DELTA    SHARE  RATE/s
2      KVM_EXIT_IO                600   98.85%   60.00
10     KVM_EXIT_INTR                4    0.66%    0.40
17     KVM_EXIT_INTERNAL_ERROR      1    0.16%    0.10
error                               0    0.00%    0.00
other                               2    0.33%    0.20
total                             607  100.00%   60.70"
run "$B" --diff "$S/user-a.snap" "$S/user-b.snap" --userspace
check_rc 0; check_out "$UDIFF"; check_err ""
run "$B" --diff "$S/user-a.snap" "$S/user-b.snap" --userspace --json
got=$(printf '%s\n' "$out" | jq -c '.userspace_exits')
[ "$got" = '{"total":607,"per_second":60.7,"error":{"delta":0,"per_second":0,"reset":false},"other":{"delta":2,"per_second":0.2,"reset":false},"rows":[{"code":2,"name":"KVM_EXIT_IO","delta":600,"per_second":60,"reset":false},{"code":10,"name":"KVM_EXIT_INTR","delta":4,"per_second":0.4,"reset":false},{"code":17,"name":"KVM_EXIT_INTERNAL_ERROR","delta":1,"per_second":0.1,"reset":false}]}' ] ||
	bad "json: $got"
run "$B" --diff "$S/user-a.snap" "$S/user-reset.snap" --userspace
check_rc 6; check_out ""
check_err "kvmexit-read: refusing to diff $S/user-a.snap and $S/user-reset.snap:
  5 counter(s) went down (counters reset in between?)
use --force to diff them anyway"
run "$B" --diff "$S/user-a.snap" "$S/user-reset.snap" --userspace --force
check_rc 0
check_out "$S/user-a.snap -> $S/user-reset.snap: 20.000 s, 10 userspace exits, 0.50 exits/s
CODE           NAME                 DELTA    SHARE  RATE/s
2              KVM_EXIT_IO (reset)     10  100.00%    0.50
error (reset)                           0    0.00%    0.00
other                                   0    0.00%    0.00
total                                  10  100.00%    0.50"
run "$B" --diff "$S/a.snap" "$S/user-b.snap" --userspace
check_rc 6
check_err "kvmexit-read: --userspace: $S/a.snap has no userspace exit table (save snapshots with --save FILE --userspace)"
run "$B" --diff "$S/user-a.snap" "$S/user-b.snap"
check_rc 0; contains "$out" "CODE  REASON  DELTA" "diff without --userspace"
tap "--diff --userspace: deltas per code, rates, error, other; a reset refused, --force counts from it; a snapshot without the table: exit 6"

run "$B" --diff "$S/vmh-a.snap" "$S/vmh-a.snap" --per-vcpu --userspace
check_rc 0
check_out "VM 1234-11: $S/vmh-a.snap -> $S/vmh-a.snap: 0.000 s, 0 userspace exits
CODE   NAME  DELTA    SHARE  RATE/s
error            0        -       -
other            0        -       -
total            0        -       -

vcpu0: 0.000 s, 0 userspace exits
CODE   NAME  DELTA    SHARE  RATE/s
error            0        -       -
other            0        -       -
total            0        -       -

vcpu1: 0.000 s, 0 userspace exits
CODE   NAME  DELTA    SHARE  RATE/s
error            0        -       -
other            0        -       -
total            0        -       -"
tap "--diff --per-vcpu --userspace of VM snapshots: a table per vCPU"

while IFS='|' read -r file msg; do
	run "$B" --diff "$S/$file" "$S/user-b.snap" --userspace
	check_rc 5
	check_err "kvmexit-read: $S/$file$msg"
done <<'LIST'
hostile-user-sum.snap|:78: userspace_sum 1011 does not match the userspace lines, which add up to 1010 (file corrupted?)
hostile-user-nosum.snap|:78: 'sum' line without a 'userspace_sum' line after the userspace lines
hostile-user-dup.snap|:74: duplicate code 5 (first on line 73)
LIST
tap "bad format-4 snapshots with userspace tables: exit 5, names file and line"

rm -rf "$T/uw"
cp -r "$F/user" "$T/uw"
run "$B" --root "$T/uw" --watch 0.05 --count 2 --userspace
check_rc 0; check_err ""
[ "$(printf '%s\n' "$out" | head -1)" = '  ELAPSED TABLE             EXITS     EXITS/s  TOP KEYS' ] || bad "header: $out"
printf '%s\n' "$out" | tail -n +2 | awk '{ print $2 }' | tr '\n' ' ' | grep -qx 'userspace userspace ' || bad "lines: $out"
sed 's/^2 KVM_EXIT_IO 1000$/2 KVM_EXIT_IO 1500/; s/^other 0$/other 2/' "$F/user/userspace_exits" >"$T/uw-after"
: >"$T/wl"
"$B" --root "$T/uw" --watch 0.05 --userspace --json >"$T/wl" 2>"$T/wl.err" &
wpid=$!
lines_at_least 1
cp "$T/uw-after" "$T/uw/userspace_exits.new"
mv "$T/uw/userspace_exits.new" "$T/uw/userspace_exits"
lines_at_least $(($(wc -l <"$T/wl") + 2))
kill $wpid
{ wait $wpid; } 2>/dev/null
out=$(head -n "$(wc -l <"$T/wl")" "$T/wl")
[ -s "$T/wl.err" ] && bad "stderr: $(cat "$T/wl.err")"
got=$(printf '%s\n' "$out" | jq -s -c '[(map(.userspace_exits.total) | add), (map(.userspace_exits.other.delta) | add),
	(map(.userspace_exits.rows[]) | map({code, name, delta}))]')
[ "$got" = '[502,2,[{"code":2,"name":"KVM_EXIT_IO","delta":500}]]' ] || bad "json lines: $got"
cp "$F/user/userspace_exits" "$T/uw/userspace_exits"
run "$B" --root "$T/uw" --userspace -- sh -c "cp '$T/uw-after' '$T/uw/userspace_exits'"
check_rc 0
got=$(printf '%s\n' "$err" | sed -n '2,6p' | awk '{ $NF = ""; print }')
[ "$got" = "CODE NAME DELTA SHARE 
2 KVM_EXIT_IO 500 99.60% 
error 0 0.00% 
other 2 0.40% 
total 502 100.00% " ] || bad "report: $err"
contains "$err" " s, 502 userspace exits, " "report"
tap "--watch --userspace: a line per interval; --json: the deltas add up to the change; -- CMD --userspace: the command's deltas"

while IFS='|' read -r args msg; do
	# shellcheck disable=SC2086
	run "$B" $args
	check_rc 2
	check_err "kvmexit-read: $msg
Try 'kvmexit-read --help' for more information."
done <<LIST
--userspace --reset|--userspace only applies to printing the counters, --save, --diff, --watch and -- CMD, not to --reset
--userspace --list-vms|--userspace only applies to printing the counters, --save, --diff, --watch and -- CMD, not to --list-vms
--userspace --record f --interval 1|--userspace only applies to printing the counters, --save, --diff, --watch and -- CMD, not to --record
--userspace --timeline f|--userspace only applies to printing the counters, --save, --diff, --watch and -- CMD, not to --timeline
--userspace=1|--userspace takes no value
LIST
tap "--userspace usage errors: exit 2 with the reason"

echo "1..$n"
[ $failed = 0 ]
