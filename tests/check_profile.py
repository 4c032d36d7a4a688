#!/usr/bin/env python3
"""check_profile.py DIR PREFIX: TAP lines for one make-profile run.

DIR holds what scripts/profile.sh split out of the emulated host's serial
log: by_reason before and after the nested guest's boot ("before",
"after"), the kvm:kvm_exit and kvm:kvm_entry hist triggers over the same
span ("hist-exit", "hist-entry"), the VM's counters read while QEMU was
stopped ("pause"), the guest's stamped console ("l2.log"), the recording
("record.jsonl") and "meta".

The oracle: the kernel's own kvm_exit tracepoint must count exactly what
our counters count, reason by reason, except where the two sit at
different points of the exit path, and each such difference is accounted
for by an exact equation, never a tolerance:
  - 6.1 SVM traces kvm_exit in svm_handle_exit, which an exit handled in
    the fastpath and re-entered (EXIT_FASTPATH_REENTER_GUEST: a WRMSR of
    the TSC deadline) never reaches; kvm_entry is traced on every entry.
    So: ours == entries, and the shortfall of the tracepoint is all MSR
    exits: ours[msr] - traced[msr] == entries - traced.
  - VMX traces kvm_exit after the VM-fail return, and neither tracepoint
    sees an exit synthesized for emulation_required; a VM-fail is traced
    as an entry without an exit. A guest boot has neither, which the
    check asserts (entries == traced), so every reason must match.
  - 6.12 SVM counts and traces side by side: every reason must match.
"""
import json
import re
import sys

MSR = {"svm": 0x7C}
# The reasons each sub-reason file breaks down, by vendor.
SUB_REASONS = {
    "by_msr": {"vmx": [0x1F, 0x20], "svm": [0x7C]},
    "by_io_port": {"vmx": [0x1E], "svm": [0x7B]},
    "by_exception": {"vmx": [0x00], "svm": list(range(0x40, 0x60))},
}


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def by_reason(text):
    """code (int, or '-' for other) -> count"""
    out = {}
    for line in (text or "").splitlines():
        f = line.split()
        if len(f) != 3 or line.startswith("#"):
            continue
        code = f[0] if f[0] == "-" else int(f[0], 16)
        out[code] = int(f[2])
    return out


def sub_reason(text):
    """(rows {key: count}, other) of a by_msr, by_io_port or by_exception file,
    or None if there is no file"""
    if text is None:
        return None
    rows, other = {}, None
    for line in text.splitlines()[1:]:
        f = line.split()
        if f[:1] == ["other"]:
            other = int(f[1])
        elif f:
            rows[" ".join(f[:-1])] = int(f[-1])
    return rows, other


def hist(text):
    """key -> hitcount, and the Totals"""
    keys, totals = {}, {}
    for line in (text or "").splitlines():
        m = re.match(r"\{ \w+:\s+(\d+) \} hitcount:\s+(\d+)", line)
        if m:
            keys[int(m.group(1))] = int(m.group(2))
        m = re.match(r"\s+(Hits|Entries|Dropped): (\d+)", line)
        if m:
            totals[m.group(1)] = int(m.group(2))
    return keys, totals


class Tap:
    def __init__(self, prefix):
        self.prefix, self.failed = prefix, 0

    def check(self, ok, name, why=""):
        print(("ok - " if ok else "not ok - ") + self.prefix + name)
        if not ok:
            self.failed += 1
            for line in why.splitlines():
                print("# " + line)


def main():
    d, prefix = sys.argv[1], sys.argv[2]
    t = Tap(prefix)
    meta = dict(l.split(" ", 1) for l in (read(d + "/meta") or "").splitlines() if " " in l)
    vendor, kernel = meta.get("vendor", "?"), meta.get("kernel", "?")
    l2 = read(d + "/l2.log") or ""
    marks = [l.split(" ", 3)[3] for l in l2.splitlines() if l.split(" ")[1:2] == ["L2-MARK"]]
    t.check(marks[:3] == ["init", "work done", "poweroff"],
            "the nested guest reached userspace, did its work and powered off",
            "marks seen: %r (l2.log)\n%s" % (marks, read(d + "/qemu.err") or ""))
    t.check(meta.get("status") == "0", "QEMU exited with status 0",
            "status %s" % meta.get("status"))

    before, after = by_reason(read(d + "/before")), by_reason(read(d + "/after"))
    ours = {c: after[c] - before.get(c, 0) for c in after}
    ours = {c: n for c, n in ours.items() if n}
    total = sum(ours.values())
    traced_raw, tex = hist(read(d + "/hist-exit"))
    _, ten = hist(read(d + "/hist-entry"))
    # VMX traces the full exit reason (flags in the high bits); our lines
    # are by basic reason. Codes our table lacks are our "other" line.
    traced = {}
    for code, n in traced_raw.items():
        if vendor == "vmx":
            code &= 0xFFFF
        if code not in after:
            code = "-"
        traced[code] = traced.get(code, 0) + n
    entries, texits = ten.get("Hits"), tex.get("Hits")
    t.check(tex.get("Dropped") == 0 and ten.get("Dropped") == 0 and entries is not None,
            "the hist triggers counted every event (none dropped)",
            "kvm_exit %r, kvm_entry %r" % (tex, ten))
    t.check(len(ours) >= 8, "at least 8 distinct exit reasons in a guest boot (%d)" % len(ours),
            "reasons: %r" % ours)

    expect = dict(traced)
    why = ""
    if vendor == "svm" and kernel.startswith("6.1."):
        reentered = (entries or 0) - (texits or 0)
        expect[MSR["svm"]] = expect.get(MSR["svm"], 0) + reentered
        why = "; %d fastpath re-entries, all MSR" % reentered
        t.check(total == entries, "every entry traced ends in one counted exit (%d)" % total,
                "ours %d, kvm_entry %r" % (total, entries))
    else:
        t.check(entries == texits == total,
                "kvm_entry, kvm_exit and our total agree (%d)" % total,
                "ours %d, kvm_exit %r, kvm_entry %r" % (total, texits, entries))
    expect = {c: n for c, n in expect.items() if n}
    diff = sorted(((str(c), ours.get(c, 0), expect.get(c, 0)) for c in set(ours) | set(expect)
                   if ours.get(c, 0) != expect.get(c, 0)), key=str)
    t.check(total > 0 and not diff, "by_reason equals the kvm:kvm_exit tracepoint, reason by reason (%d "
            "reasons, %d exits%s)" % (len(ours), total, why),
            "\n".join("code %s: ours %d, tracepoint %d" % x for x in diff) or "no exits")

    # Sub-reasons were on from before "before": each file's lines add up to
    # the exits of its reasons in the boot. The MSRs read most, for the docs.
    for name, codes in SUB_REASONS.items():
        sub = sub_reason(read(d + "/" + name))
        if sub is None:
            continue
        rows, other = sub
        want = sum(ours.get(c, 0) for c in codes.get(vendor, []))
        got = sum(rows.values()) + (other or 0)
        t.check(other is not None and got == want and want > 0,
                "%s adds up to the boot's exits of its reasons (%d keys, %d exits, other %s)"
                % (name, len(rows), got, other),
                "%s: rows + other = %d, by_reason %d" % (name, got, want))
        if name == "by_msr":
            for key, n in sorted(rows.items(), key=lambda kv: -kv[1])[:10]:
                print("# %s top MSR: %s %d" % (prefix, key, n))

    # The VM's own statistic, read while QEMU was stopped.
    pause = read(d + "/pause") or ""
    m = re.search(r"^kvm_exits (\d+)$", pause, re.M)
    vm = sum(by_reason(pause.split("# exit_reasons", 1)[-1]).values())
    t.check(m is not None and vm > 0 and int(m.group(1)) == vm,
            "the VM's per-VM sum equals KVM's own exits statistic (%d)" % vm,
            "pause file:\n" + pause[:400])

    # The recording: whole lines, and its last sample is the final state.
    samples = []
    lines = (read(d + "/record.jsonl") or "").splitlines()
    try:
        samples = [json.loads(l) for l in lines]
    except ValueError as e:
        t.check(False, "the recording is JSON lines", str(e))
    counts = [s for s in samples if "total" in s]
    ts = [s["t"] for s in counts]
    t.check(len(counts) >= 3 and ts == sorted(ts) and counts[-1]["total"] == sum(after.values()),
            "the recording has %d samples in time order, the last equal to by_reason after "
            "the boot" % len(counts),
            "last %r, by_reason %d" % (counts[-1].get("total") if counts else None,
                                       sum(after.values())))
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
