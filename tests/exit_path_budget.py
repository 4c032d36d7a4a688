#!/usr/bin/env python3
"""exit_path_budget.py VMLINUX LABEL [BUDGET]

Check, in the disassembly of a kernel built with the series (KVM built in),
what the exit counters add to the default path of vmx_vcpu_run() and
svm_vcpu_run(): from the compare of the exit code with 0xff (or the load of
kvm_exit_stats_pcpu where there is none), following the path
taken with the default parameters (conditional branches not taken, jumps
followed, static keys off), up to and including the static-key NOP of the
opt-in statistics; plus the entry's static-key NOP (and a jump right after
it, if the compiler put one there). The sum must stay within BUDGET
instructions (default 8), with no call and no lock prefix on the way.

The static-key sites are read from the kernel's own __jump_table, so the
check does not depend on how objdump spells a NOP. Prints TAP lines.
"""
import re
import struct
import subprocess
import sys

KEY = "kvm_exit_stats_vcpu_key"
PCPU = "kvm_exit_stats_pcpu"
FUNCS = ("vmx_vcpu_run", "svm_vcpu_run")


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def symbols(vmlinux):
    syms = {}
    for line in run("nm", vmlinux).splitlines():
        f = line.split()
        if len(f) == 3:
            syms[f[2]] = int(f[0], 16)
    return syms


def read_at(vmlinux, addr, size):
    """size bytes of vmlinux at virtual address addr."""
    for line in run("readelf", "-SW", vmlinux).splitlines():
        m = re.search(r"\]\s+\S+\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m:
            base, off, length = (int(x, 16) for x in m.groups())
            if base <= addr and addr + size <= base + length:
                with open(vmlinux, "rb") as f:
                    f.seek(off + addr - base)
                    return f.read(size)
    raise SystemExit(f"not ok - exit path: {addr:x} is in no section of {vmlinux}")


def key_sites(vmlinux, syms, key):
    """Code addresses of the __jump_table entries of static key key."""
    start, stop = syms.get("__start___jump_table"), syms.get("__stop___jump_table")
    if start is None or stop is None:
        raise SystemExit("not ok - exit path: no __jump_table (CONFIG_JUMP_LABEL off?)")
    data = read_at(vmlinux, start, stop - start)
    sites = set()
    # struct jump_entry: s32 code, s32 target, long key, each relative to itself.
    for i in range(0, len(data) - len(data) % 16, 16):
        code, _target, k = struct.unpack_from("<iiq", data, i)
        a = start + i
        if (a + 8 + k) & ~3 == key:
            sites.add(a + code)
    return sites


def disassemble(vmlinux, fn):
    out = run("objdump", "-d", "--no-show-raw-insn", f"--disassemble={fn}", vmlinux)
    insns = []
    for line in out.splitlines():
        m = re.match(r"\s*([0-9a-f]+):\s+(.*)$", line)
        if m and m.group(2).strip():
            insns.append((int(m.group(1), 16), m.group(2).strip()))
    return insns


def paths(insns, index, start, sites, limit=48):
    """Every path from start to a static-key site, both ways at each branch."""
    done, todo = [], [(start, [])]
    while todo and len(done) < 64:
        pc, path = todo.pop()
        while True:
            if pc not in index or len(path) >= limit:
                break
            i = index[pc]
            addr, text = insns[i]
            path = path + [(addr, text)]
            if addr in sites:
                done.append(path)
                break
            m = re.match(r"(j[a-z]+)\s+([0-9a-f]+)\s", text + " ")
            nxt = insns[i + 1][0] if i + 1 < len(insns) else None
            if m and m.group(1) == "jmp":
                pc = int(m.group(2), 16)
            elif m:
                todo.append((int(m.group(2), 16), path))
                pc = nxt
            else:
                pc = nxt
    return done


REG_MOVE = re.compile(r"mov[a-z]*\s+%[a-z0-9]+,%[a-z0-9]+$")


def cost(path):
    """Instructions of a path that do work: register-to-register moves,
    which the compiler adds or drops with its register allocation, are not
    counted."""
    return [t for _, t in path if not REG_MOVE.match(re.sub(r"\s+#.*", "", t))]


# The compare of the exit code with the counters' direct range: cmp $0xff
# (or $0x100) with a register, or test $0xff of a high byte register.
RANGE = re.compile(r"(cmp[a-z]*\s+\$0x(ff|100),%|test[a-z]*\s+\$0xff,%[a-d]h)")


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: exit_path_budget.py VMLINUX LABEL [BUDGET]")
    vmlinux, label = sys.argv[1], sys.argv[2]
    budget = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    syms = symbols(vmlinux)
    if KEY not in syms:
        print(f"not ok - exit path {label}: no symbol {KEY} in {vmlinux}")
        return 1
    sites = key_sites(vmlinux, syms, syms[KEY])
    failed = 0
    for fn in FUNCS:
        insns = disassemble(vmlinux, fn)
        index = {a: i for i, (a, _) in enumerate(insns)}
        own = sorted(a for a in sites if a in index)
        loads = [a for a, t in insns if f"<{PCPU}>" in t]
        # The count starts at its range check, wherever the compiler put it,
        # or at the load of the per-CPU base on paths without one.
        starts = sorted({a for a, t in insns if RANGE.match(t)} | set(loads))
        fast = []
        problems = []
        if not loads:
            problems.append(f"no load of {PCPU}")
        reached = set()
        for s in starts:
            found = [p for p in paths(insns, index, s, sites)
                     if any(f"<{PCPU}>" in t for _, t in p)]
            reached |= {p[-1][0] for p in found}
            # The default path: the count of a code below 0x100, no call.
            ok = [p for p in found if not any(t.startswith("call") for _, t in p)]
            if s in loads and not found:
                problems.append(f"from {s:x}: no path to the static-key NOP")
            elif found and not ok:
                # The compiler saw the code is out of range (VM-fail): cold.
                print(f"# {fn}: from {s:x} only the out-of-line count (a constant code)")
            fast += ok
        entry = [a for a in own if a not in reached]
        entry_cost = 0
        if len(entry) != 1:
            problems.append(f"{len(entry)} entry static-key sites, want 1")
        else:
            i = index[entry[0]]
            entry_cost = 1 + (i + 1 < len(insns) and insns[i + 1][1].startswith("jmp"))
        worst = 0
        for path in fast:
            if any(t.startswith("lock") or " lock " in t for _, t in path):
                problems.append("lock prefix on the default path")
            if not any(t.startswith("inc") and "(" in t for _, t in path):
                problems.append("no memory increment on the default path")
            worst = max(worst, len(cost(path)) + entry_cost)
        exit_paths = fast
        detail = "; ".join(" | ".join(cost(p)) for p in exit_paths)
        print(f"# {fn}: exit path(s): {detail}")
        print(f"# {fn}: entry: {entry_cost} instruction(s) at {[hex(a) for a in entry]}")
        if not problems and worst <= budget:
            print(f"ok - exit path {label}: {fn} adds {worst} instructions per exit "
                  f"(budget {budget}), no call, no lock")
        else:
            failed += 1
            problems.append(f"{worst} instructions, budget {budget}")
            print(f"not ok - exit path {label}: {fn}: {'; '.join(problems)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
