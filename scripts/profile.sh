#!/usr/bin/env bash
# profile.sh [--host bochs|qemu] [--kversion V] [--interval S]
#            [--guest quiet|verbose] [--out DIR]
# The exit profile of a real guest: boot the emulated host with Debian's
# qemu-system-x86_64 in its initramfs, let it boot the test kernel as a
# nested guest on KVM (tests/guest/profile*.sh, tests/l2/init.sh) while
# kvmexit-read records the counters, then print the boot's total, the
# per-reason table, the busiest intervals and a gnuplot picture of the
# timeline. All files land in DIR (default build/profile/HOST-V).
#   --interval S   recording interval in the host's seconds (default 0.1
#                  under QEMU; 0.01 under Bochs, whose clock runs on
#                  emulated instructions: the boot takes about 0.3 s there)
#   --guest MODE   quiet (default): the nested kernel boots with "quiet";
#                  verbose: its boot messages go to its serial port (each
#                  character an I/O exit)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

host=bochs kversion=${KVERSION:-6.12} interval= guest=quiet out=
while [ $# -gt 0 ]; do
	case "$1" in
	--host) host=$2; shift 2 ;;
	--kversion) kversion=$2; shift 2 ;;
	--interval) interval=$2; shift 2 ;;
	--guest) guest=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) die "profile.sh: unknown option $1 (--host, --kversion, --interval, --guest, --out)" ;;
	esac
done
case "$host" in bochs|qemu) ;; *) die "unknown host '$host' (bochs or qemu)" ;; esac
case "$guest" in quiet|verbose) ;; *) die "unknown --guest '$guest' (quiet or verbose)" ;; esac
check_kversion "$kversion"
if [ -z "$interval" ]; then
	interval=0.1
	[ "$host" = bochs ] && interval=0.01
fi
# The recorder's own bounds, checked before a boot that would refuse them.
awk -v s="$interval" 'BEGIN { exit !(s ~ /^[0-9]*\.?[0-9]+$/ && s >= 0.01 && s <= 86400) }' ||
	die "bad --interval '$interval' (seconds, 0.01 to 86400)"
need_cmd gnuplot gnuplot-nox
out=${out:-$KES_TOP/build/profile/$host-$kversion}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/*

kernel=$("$KES_TOP/scripts/kernel-build.sh" "$kversion")
tool=$KES_TOP/tools/kvmexit-read/build/kvmexit-read
make -s -C "$KES_TOP/tools/kvmexit-read" >/dev/null || die "building kvmexit-read failed"
gen=$(gen_init_cpio_path)

# The nested guest: the same test kernel, busybox and tests/l2/init.sh.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
	for d in /bin /dev /proc /tmp; do echo "dir $d 0755 0 0"; done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "file /init $KES_TOP/tests/l2/init.sh 0755 0 0"
	echo "file /bin/busybox /bin/busybox 0755 0 0"
} >"$work/l2.list"
"$gen" "$work/l2.list" | gzip -1 >"$work/l2.gz" || die "packing the nested guest's initramfs failed"
{
	"$KES_TOP/scripts/qemu-files.sh"
	echo "dir /l2 0755 0 0"
	echo "file /l2/bzImage $kernel 0644 0 0"
	echo "file /l2/initrd.gz $work/l2.gz 0644 0 0"
} >"$work/extra.list"

# One CPU: an idle second CPU costs Bochs more than it gives.
status=0
KES_MEM_MB=${KES_MEM_MB:-768} "$KES_TOP/scripts/run-guest.sh" --host "$host" --kernel "$kernel" \
	--kversion "$kversion" --cpus 1 --timeout 1800 --initrd-extra "$work/extra.list" \
	--log "$out/serial.log" profile "$interval" "$guest" >"$out/sections.txt" || status=$?

# Split "PROFILE-BEGIN name" ... "PROFILE-END name" into DIR/name.
awk -v dir="$out" '
	/^PROFILE-BEGIN / { f = dir "/" $2; printf "" >f; next }
	/^PROFILE-END / { close(f); f = ""; next }
	f != "" { print >>f }' "$out/sections.txt"
[ $status -eq 0 ] || die "the profile run failed (status $status)" "$out/serial.log"
for f in before after record.jsonl l2.log; do
	[ -s "$out/$f" ] || die "the profile run printed no $f" "$out/sections.txt"
done

# Milestones on the recording's clock: the host's own stamps, and the
# nested kernel's start (the stamp of its init line minus its uptime).
awk '
	$2 == "L1-MARK" { t = $1; $1 = $2 = ""; sub(/^ +/, ""); print t, $0 }
	$2 == "L2-MARK" {
		t = $1; up = $3; $1 = $2 = $3 = ""; sub(/^ +/, "")
		if ($0 == "init") printf "%.6f guest kernel start\n", t - up
		print t, "guest " $0
	}' "$out/l2.log" | sort -n >"$out/marks.txt"
# The same for gnuplot (time, tab, label), without the pause that sits on "work done".
grep -v " VM stopped and read$" "$out/marks.txt" | sed 's/ /\t/' >"$out/marks.tsv"

"$tool" --timeline "$out/record.jsonl" --tsv >"$out/timeline.tsv"
"$tool" --timeline "$out/record.jsonl" --marks "$out/marks.txt" >"$out/timeline.txt"
gnuplot -e "data='$out/timeline.tsv'; marks='$out/marks.tsv'; out='$out/profile.svg'; title='Exits of a Linux guest boot under QEMU/KVM: $host host, linux $kversion, guest $guest'" \
	"$KES_TOP/scripts/profile.gp" >"$out/gnuplot.log" 2>&1 ||
	die "gnuplot failed" "$out/gnuplot.log"

# The boot's exits per reason: after minus before, by code.
awk 'NR == FNR { if ($1 !~ /^#/) b[$1 " " $2] = $3; next }
	$1 !~ /^#/ { d = $3 - b[$1 " " $2]; if (d > 0) print $1, $2, d }' \
	"$out/before" "$out/after" | sort -k3,3nr >"$out/reasons.txt"
total=$(awk '{ s += $3 } END { print s + 0 }' "$out/reasons.txt")

echo "== Linux $kversion guest boot under Debian's QEMU/KVM on the emulated $host host (guest $guest)"
echo "total exits: $total"
echo
awk -v t="$total" 'BEGIN { printf "%-6s  %-28s %10s %7s\n", "CODE", "REASON", "EXITS", "SHARE" }
	{ printf "%-6s  %-28s %10d %6.1f%%\n", $1, $2, $3, 100 * $3 / t }' "$out/reasons.txt"
echo
echo "busiest intervals:"
"$tool" --timeline "$out/record.jsonl" --busiest 5
echo
echo "timeline: $out/timeline.txt"
echo "picture:  $out/profile.svg"
