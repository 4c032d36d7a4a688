#!/usr/bin/env bash
# hang-repro.sh [options]
# The reproducer of an intermittent hang of a two-CPU emulated host:
# boots the emulated host again and again and runs
# tests/guest/hang-repro.sh in it: the log summary on at a small interval
# until a summary is printed, off again, then the 2-vCPU generator
# (kvm-exitgen --vcpus 2 --cpuid 20000 --io 20000). A boot that does not
# reach its end marker within --timeout is a hang; the serial logs of hung
# and failed boots are kept. One summary line per configuration:
#   hang-repro: CONFIG: N iterations, N passed, N hung, N crashed, N failed,
#   hang rate P%
# (crashed: the kernel panicked, or the emulator stopped without the end
# marker; failed: the guest script reported an error).
# Options (those marked * may be given more than once: every combination
# is run):
#   --kversion V *     6.1 (default) or 6.12
#   --series S *       default (kernel-patch/V) or none (unpatched)
#   --accel A *        QEMU's -accel: tcg (multi-threaded TCG, the default)
#                      or tcg,thread=single
#   --host H *         qemu (default; emulated AMD SVM) or bochs (Intel VMX;
#                      --accel does not apply)
#   --variant X *      the 2-vCPU VM's statistics: plain, per_vm, time, or
#                      mixed (default: the three in turn, round by round)
#   --rounds N         sequences per boot (default 1)
#   --iterations N     boots per configuration (default 10)
#   --timeout S        seconds per boot before it counts as hung (default 240)
#   --diag             the diagnostic kernel (KES_KCONFIG_FLAVOR=diag:
#                      lockup and hung-task detectors, lockdep, sysrq), all
#                      kernel messages on the console, and at the timeout
#                      QEMU's monitor sends sysrq l, w and d
#   --flavor NAME      a kernel of that config flavor (KES_KCONFIG_FLAVOR,
#                      tests/kernel/NAME/; --diag implies diag)
#   --out DIR          where logs go (default: the cache's logs/hang-repro/DATE)
#   --initrd FILE      boot this initramfs (scripts/make-initramfs.sh)
#                      instead of packing one at the start
#   --keep-all         keep the logs of boots that passed too
# In the guest, a watchdog reports on a step stuck for 45 s (KVM's exit
# counts, the generator's threads and stacks, a trace of KVM's page
# faults). With QEMU, at the timeout of a boot its monitor records each
# vCPU's registers (LOG.monitor) and where it is: the function at its RIP
# and the kernel text addresses found on its stack, named from vmlinux
# (LOG.where), then three more looks a second apart and the CPU use of
# QEMU's threads.
# Exits 0 when every boot passed, 1 otherwise.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kversions=() series=() accels=() hosts=() variants=()
rounds=1 iterations=10 tmo=240 diag=0 out='' keep_all=0 initrd='' flavor=''
while [ $# -gt 0 ]; do
	case "$1" in
	--kversion) kversions+=("$2"); shift 2 ;;
	--series) series+=("$2"); shift 2 ;;
	--accel) accels+=("$2"); shift 2 ;;
	--host) hosts+=("$2"); shift 2 ;;
	--variant) variants+=("$2"); shift 2 ;;
	--rounds) rounds=$2; shift 2 ;;
	--iterations) iterations=$2; shift 2 ;;
	--timeout) tmo=$2; shift 2 ;;
	--diag) diag=1; flavor=diag; shift ;;
	--flavor) flavor=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--keep-all) keep_all=1; shift ;;
	--initrd) initrd=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "hang-repro.sh: unknown option $1" ;;
	esac
done
[ ${#kversions[@]} -gt 0 ] || kversions=(6.1)
[ ${#series[@]} -gt 0 ] || series=(default)
[ ${#accels[@]} -gt 0 ] || accels=(tcg)
[ ${#hosts[@]} -gt 0 ] || hosts=(qemu)
[ ${#variants[@]} -gt 0 ] || variants=(mixed)
for v in "${kversions[@]}"; do check_kversion "$v"; done
for s in "${series[@]}"; do
	case "$s" in default | none) ;; *) die "unknown series '$s' (default or none)" ;; esac
done
for h in "${hosts[@]}"; do
	case "$h" in qemu | bochs) ;; *) die "unknown host '$h' (qemu or bochs)" ;; esac
done
for a in "${accels[@]}"; do
	case "$a" in tcg | tcg,*) ;; *) die "unknown accel '$a' (tcg or tcg,thread=single)" ;; esac
done
for x in "${variants[@]}"; do
	case "$x" in plain | per_vm | time | mixed) ;; *) die "unknown variant '$x'" ;; esac
done
for n in "$rounds" "$iterations" "$tmo"; do
	case "$n" in '' | *[!0-9]* | 0) die "'$n' is not a positive number" ;; esac
done
need_cmd python3 python3

[ -n "$out" ] || out=$KES_CACHE/logs/hang-repro/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
results=$out/results.txt
work=$(mktemp -d)
watcher=
trap 'if [ -n "$watcher" ]; then kill "$watcher" 2>/dev/null || true; fi; rm -rf "$work"' EXIT
# One initramfs for every boot.
if [ -n "$initrd" ]; then
	[ -f "$initrd" ] || die "no initramfs $initrd"
else
	initrd=$work/initrd.gz
	"$KES_TOP/scripts/make-initramfs.sh" "$initrd"
fi

# hmp SOCKET COMMAND...: run HMP commands on QEMU's monitor, print their output.
hmp() {
	python3 - "$@" <<'PY'
import re, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
def until_prompt():
    buf = b""
    end = time.time() + 10
    while not buf.endswith(b"(qemu) ") and time.time() < end:
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if not d:
            break
        buf += d
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", buf.decode(errors="replace"))
until_prompt()
for cmd in sys.argv[2:]:
    s.sendall(cmd.encode() + b"\n")
    text = until_prompt()
    # The monitor echoes the command line: keep what follows it.
    lines = text.replace("\r", "").split("\n")
    print("(qemu) " + cmd)
    print("\n".join(l for l in lines[1:] if l != "(qemu) "))
PY
}

# where LOG SOCKET VMLINUX: each vCPU's RIP and a scan of its kernel stack
# for text addresses, named from vmlinux (the test kernel is not
# relocatable, so addresses are link addresses).
where() {
	local log=$1 sock=$2 vmlinux=$3 regs cpus c rsp n pid p
	# Stopped while we look, so that registers and stacks agree.
	regs=$(hmp "$sock" stop "info registers -a") || return 0
	cpus=$(printf '%s\n' "$regs" | grep -c '^RAX=' || true)
	{
		printf '%s\n' "$regs"
		for ((c = 0; c < cpus; c++)); do
			rsp=$(printf '%s\n' "$regs" | grep -o 'RSP=[0-9a-f]*' | sed -n "$((c + 1))p")
			rsp=${rsp#RSP=}
			# To the end of the stack's page at most: the stack's top is
			# page-aligned, and a read past it fails as a whole.
			n=$(((4096 - (0x${rsp:-0} & 4095)) / 8))
			hmp "$sock" "cpu $c" "x /${n}gx 0x$rsp" || true
		done
		hmp "$sock" cont >/dev/null || true
		# Moving or stuck? Three more looks at the RIPs, a second apart,
		# and how busy each of QEMU's threads is (a vCPU thread at 100%
		# spins; one at 0% waits).
		for n in 1 2 3; do
			sleep 1
			hmp "$sock" "info registers -a" | grep -E '^(CPU#|RIP=)' | sed "s/^/look $n: /" || true
		done
		pid=''
		for p in $(pgrep -f "unix:$sock," || true); do
			[ "$(cat "/proc/$p/comm" 2>/dev/null)" = timeout ] || pid=$p
		done
		[ -z "$pid" ] || ps -L -o tid,pcpu,stat,time,comm -p "$pid" || true
	} >"$log.monitor"
	[ -f "$vmlinux" ] || return 0
	python3 - "$log.monitor" "$vmlinux" >"$log.where" <<'PY' || true
import bisect, re, subprocess, sys
mon, vmlinux = sys.argv[1], sys.argv[2]
syms = []
for line in subprocess.run(["nm", "-n", vmlinux], capture_output=True, text=True).stdout.splitlines():
    f = line.split()
    if len(f) == 3 and f[1] in "tTwW":
        syms.append((int(f[0], 16), f[2]))
addrs = [a for a, _ in syms]
def name(x):
    i = bisect.bisect_right(addrs, x) - 1
    if i < 0 or x - addrs[i] > 0x10000:
        return None
    return "%s+0x%x" % (syms[i][1], x - addrs[i])
text = open(mon).read()
regs, _, rest = text.partition("(qemu) cpu 0")
for n, rip in enumerate(re.findall(r"RIP=([0-9a-f]+)", regs)):
    print("CPU%d RIP %s %s" % (n, rip, name(int(rip, 16)) or "(not kernel text: in the nested guest?)"))
for look in sorted(set(re.findall(r"^look (\d+):", text, re.M))):
    rips = re.findall(r"^look %s: RIP=([0-9a-f]+)" % look, text, re.M)
    print("look %s: %s" % (look, "  ".join("CPU%d %s" % (n, name(int(r, 16)) or r) for n, r in enumerate(rips))))
for n, part in enumerate(re.split(r"\(qemu\) cpu \d+", "(qemu) cpu 0" + rest)[1:]):
    words = re.findall(r"0x([0-9a-f]{16})\b", part)
    found = [name(int(w, 16)) for w in words if w.startswith("ffffffff8")]
    print("CPU%d stack scan: %s" % (n, " ".join(f for f in found if f) or "nothing"))
PY
}

# watch LOG SOCKET VMLINUX: at the timeout, if the guest has not finished,
# record where the vCPUs are (LOG.monitor, LOG.where) and, on the diagnostic
# kernel, ask it for sysrq l, w and d (printed to the serial log).
watch() {
	local log=$1 sock=$2 vmlinux=$3 t=0 k
	while [ $t -lt "$tmo" ]; do
		sleep 2
		t=$((t + 2))
		tr -d '\r' <"$log" 2>/dev/null | grep -aq '^KES-END rc=' && return 0
	done
	[ -S "$sock" ] || return 0
	where "$log" "$sock" "$vmlinux"
	[ $diag = 1 ] || return 0
	for k in l w d; do
		hmp "$sock" "sendkey alt-sysrq-$k" >/dev/null || true
		sleep 8
	done
	# Where they are after that: did anything move?
	cp "$log.where" "$log.where-1" 2>/dev/null || true
	where "$log" "$sock" "$vmlinux"
}

# boot HOST ACCEL KVERSION KERNEL VARIANT LOG: one boot; sets res to pass,
# fail (the guest script failed), crash (the kernel panicked, or the
# emulator stopped early without the end marker) or hang (no end marker by
# the timeout, no panic).
# Dies when the boot did not even start (no serial log).
boot() {
	local host=$1 accel=$2 kversion=$3 kernel=$4 variant=$5 log=$6 start rc=0 end
	local sock=$work/mon.sock grace=15 args=("$variant" "$rounds")
	[ $diag = 0 ] || { args+=(diag); grace=60; }
	rm -f "$sock"
	if [ "$host" = qemu ]; then
		watch "$log" "$sock" "$(dirname "$kernel")/../../../vmlinux" &
		watcher=$!
	fi
	start=$(date +%s)
	KES_QEMU_ACCEL=$accel KES_QEMU_MONITOR=$sock \
		"$KES_TOP/scripts/run-guest.sh" --host "$host" --kversion "$kversion" --kernel "$kernel" --initrd "$initrd" --cpus 2 \
		--timeout $((tmo + grace)) --log "$log" hang-repro "${args[@]}" \
		>"$log.out" 2>&1 || rc=$?
	if [ -n "$watcher" ]; then
		# The emulator has gone: nothing more to look at.
		kill "$watcher" 2>/dev/null || true
		wait "$watcher" 2>/dev/null || true
		watcher=
	fi
	[ -f "$log" ] || die "$host/$kversion: the boot did not start: $(tail -n 1 "$log.out")" "$log.out"
	end=$(tr -d '\r' <"$log" | grep -a '^KES-END rc=' || true)
	if [ "$end" = "KES-END rc=0" ] && [ $rc = 0 ]; then
		res=pass
	elif [ -n "$end" ]; then
		res=fail
	elif tr -d '\r' <"$log" | grep -aq 'Kernel panic'; then
		res=crash
	elif [ $(($(date +%s) - start)) -ge "$tmo" ]; then
		res=hang
	else
		res=crash
	fi
}

failed_any=0 res='' dtag=''
oops_re='int3: |Oops|BUG: |WARNING: |Kernel panic|INFO: task|rcu: INFO|blocked for more'
[ -z "$flavor" ] || dtag=" $flavor"
for host in "${hosts[@]}"; do
	host_accels=("${accels[@]}")
	[ "$host" = qemu ] || host_accels=(n/a)
	for v in "${kversions[@]}"; do
		for s in "${series[@]}"; do
			kernel=$(KES_KCONFIG_FLAVOR=$flavor "$KES_TOP/scripts/kernel-build.sh" "$v" "$s")
			for accel in "${host_accels[@]}"; do
				for variant in "${variants[@]}"; do
					name="$host accel=$accel $v series=$s variant=$variant rounds=$rounds$dtag"
					tag=$(echo "$host-$accel-$v-$s-$variant" | tr -c 'A-Za-z0-9.\n-' _)
					pass=0 hang=0 crash=0 fail=0
					for ((i = 1; i <= iterations; i++)); do
						log=$out/$tag-$i.log
						t0=$(date +%s)
						boot "$host" "$accel" "$v" "$kernel" "$variant" "$log"
						# What the kernel said first, if anything went wrong.
						sig=''
						[ "$res" = pass ] || sig=$(tr -d '\r' <"$log" | grep -aEm1 "$oops_re" | cut -c1-120 || true)
						echo "$name iteration=$i $res $(($(date +%s) - t0))s${sig:+ $sig}" >>"$results"
						note "$name: iteration $i: $res in $(($(date +%s) - t0))s${sig:+: $sig}"
						case "$res" in
						pass) pass=$((pass + 1)) ;;
						hang) hang=$((hang + 1)); note "hung boot's serial log: $log" ;;
						crash) crash=$((crash + 1)); note "crashed boot's serial log: $log" ;;
						*) fail=$((fail + 1)); note "failed boot's serial log: $log" ;;
						esac
						if [ "$res" = pass ] && [ $keep_all = 0 ]; then
							rm -f "$log" "$log".*
						fi
					done
					[ $((hang + crash + fail)) = 0 ] || failed_any=1
					line="hang-repro: $name: $iterations iterations, $pass passed, $hang hung, $crash crashed, $fail failed, hang rate $(awk -v h=$hang -v n="$iterations" 'BEGIN { printf "%.1f%%", 100 * h / n }')"
					echo "$line"
					echo "$line" >>"$results"
				done
			done
		done
	done
done
note "results and kept logs in $out"
exit $failed_any
