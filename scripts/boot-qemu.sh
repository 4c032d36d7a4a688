#!/usr/bin/env bash
# boot-qemu.sh KERNEL INITRD CMDLINE LOG [CPUS] [TIMEOUT]
# The emulated AMD host: QEMU's TCG emulates SVM (it cannot emulate VMX), so
# kvm_amd runs real SVM exits. Serial console to LOG; exits when the guest
# powers off, or fails after TIMEOUT seconds.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${1:?usage: boot-qemu.sh KERNEL INITRD CMDLINE LOG [CPUS] [TIMEOUT]}
initrd=${2:?} cmdline=${3:?} log=${4:?} cpus=${5:-2} tmo=${6:-600}
need_cmd qemu-system-x86_64 qemu-system-x86

# One host thread for all vCPUs (thread=single): with multi-threaded TCG,
# with or without our series, the guest kernel runs stale copies of text it
# has patched ("int3" oops in __schedule), a nested guest repeats an
# instruction, or gets the host's state in its VMCB and its vCPU loops on
# NPF exits for ever (the 2-vCPU hang): see Documentation/testing.rst,
# "Multi-threaded TCG breaks the emulated AMD host".  KES_QEMU_ACCEL
# overrides.
# KES_QEMU_ARGS adds options, e.g. "-icount shift=0,sleep=off" for the
# benchmark: guest time then advances 1 ns per emulated instruction.
# KES_QEMU_MONITOR=SOCKET puts QEMU's monitor (HMP) on that Unix socket
# instead of none, to look into a hung guest (info registers -a, sendkey
# alt-sysrq-l; scripts/hang-repro.sh).
monitor=none
[ -z "${KES_QEMU_MONITOR:-}" ] || monitor=unix:$KES_QEMU_MONITOR,server=on,wait=off
# KES_MEM_MB: the host's memory (default 512).
# shellcheck disable=SC2086
timeout --foreground -k 5 "$tmo" qemu-system-x86_64 ${KES_QEMU_ARGS:-} \
	-accel "${KES_QEMU_ACCEL:-tcg,thread=single}" -cpu EPYC -smp "$cpus" -m "${KES_MEM_MB:-512}" \
	-display none -monitor "$monitor" -serial "file:$log" -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 $cmdline" </dev/null >"$log.qemu" 2>&1 || {
	rc=$?
	[ $rc -eq 124 ] && die "QEMU guest did not power off within ${tmo}s" "$log"
	die "QEMU failed (status $rc)" "$log.qemu"
}
