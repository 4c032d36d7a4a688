#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes the test fixtures in tests/fixtures/ (run from anywhere; the
fixtures are committed, rerun this only to change them).

Counter directories (vendor, total, by_reason as described in
Documentation/debugfs-format.rst) use the exit reason tables of Linux 6.12
(VMX_EXIT_REASONS, SVM_EXIT_REASONS); snapshots/ holds snapshot files."""
import os
import shutil

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
U64_MAX = 2**64 - 1

VMX = [
    (0x0, 'EXCEPTION_NMI'), (0x1, 'EXTERNAL_INTERRUPT'), (0x2, 'TRIPLE_FAULT'),
    (0x3, 'INIT_SIGNAL'), (0x4, 'SIPI_SIGNAL'), (0x7, 'INTERRUPT_WINDOW'),
    (0x8, 'NMI_WINDOW'), (0x9, 'TASK_SWITCH'), (0xa, 'CPUID'), (0xc, 'HLT'),
    (0xd, 'INVD'), (0xe, 'INVLPG'), (0xf, 'RDPMC'), (0x10, 'RDTSC'),
    (0x12, 'VMCALL'), (0x13, 'VMCLEAR'), (0x14, 'VMLAUNCH'), (0x15, 'VMPTRLD'),
    (0x16, 'VMPTRST'), (0x17, 'VMREAD'), (0x18, 'VMRESUME'), (0x19, 'VMWRITE'),
    (0x1a, 'VMOFF'), (0x1b, 'VMON'), (0x1c, 'CR_ACCESS'), (0x1d, 'DR_ACCESS'),
    (0x1e, 'IO_INSTRUCTION'), (0x1f, 'MSR_READ'), (0x20, 'MSR_WRITE'),
    (0x21, 'INVALID_STATE'), (0x22, 'MSR_LOAD_FAIL'),
    (0x24, 'MWAIT_INSTRUCTION'), (0x25, 'MONITOR_TRAP_FLAG'),
    (0x27, 'MONITOR_INSTRUCTION'), (0x28, 'PAUSE_INSTRUCTION'),
    (0x29, 'MCE_DURING_VMENTRY'), (0x2b, 'TPR_BELOW_THRESHOLD'),
    (0x2c, 'APIC_ACCESS'), (0x2d, 'EOI_INDUCED'), (0x2e, 'GDTR_IDTR'),
    (0x2f, 'LDTR_TR'), (0x30, 'EPT_VIOLATION'), (0x31, 'EPT_MISCONFIG'),
    (0x32, 'INVEPT'), (0x33, 'RDTSCP'), (0x34, 'PREEMPTION_TIMER'),
    (0x35, 'INVVPID'), (0x36, 'WBINVD'), (0x37, 'XSETBV'),
    (0x38, 'APIC_WRITE'), (0x39, 'RDRAND'), (0x3a, 'INVPCID'),
    (0x3b, 'VMFUNC'), (0x3c, 'ENCLS'), (0x3d, 'RDSEED'), (0x3e, 'PML_FULL'),
    (0x3f, 'XSAVES'), (0x40, 'XRSTORS'), (0x43, 'UMWAIT'), (0x44, 'TPAUSE'),
    (0x4a, 'BUS_LOCK'), (0x4b, 'NOTIFY'),
]

SVM = [
    (0x0, 'read_cr0'), (0x2, 'read_cr2'), (0x3, 'read_cr3'), (0x4, 'read_cr4'),
    (0x8, 'read_cr8'), (0x10, 'write_cr0'), (0x12, 'write_cr2'),
    (0x13, 'write_cr3'), (0x14, 'write_cr4'), (0x18, 'write_cr8'),
    (0x20, 'read_dr0'), (0x21, 'read_dr1'), (0x22, 'read_dr2'),
    (0x23, 'read_dr3'), (0x24, 'read_dr4'), (0x25, 'read_dr5'),
    (0x26, 'read_dr6'), (0x27, 'read_dr7'), (0x30, 'write_dr0'),
    (0x31, 'write_dr1'), (0x32, 'write_dr2'), (0x33, 'write_dr3'),
    (0x34, 'write_dr4'), (0x35, 'write_dr5'), (0x36, 'write_dr6'),
    (0x37, 'write_dr7'), (0x60, 'interrupt'), (0x61, 'nmi'), (0x62, 'smi'),
    (0x63, 'init'), (0x64, 'vintr'), (0x65, 'cr0_sel_write'),
    (0x66, 'read_idtr'), (0x67, 'read_gdtr'), (0x68, 'read_ldtr'),
    (0x69, 'read_rt'), (0x6a, 'write_idtr'), (0x6b, 'write_gdtr'),
    (0x6c, 'write_ldtr'), (0x6d, 'write_rt'), (0x6e, 'rdtsc'), (0x6f, 'rdpmc'),
    (0x70, 'pushf'), (0x71, 'popf'), (0x72, 'cpuid'), (0x73, 'rsm'),
    (0x74, 'iret'), (0x75, 'swint'), (0x76, 'invd'), (0x77, 'pause'),
    (0x78, 'hlt'), (0x79, 'invlpg'), (0x7a, 'invlpga'), (0x7b, 'io'),
    (0x7c, 'msr'), (0x7d, 'task_switch'), (0x7e, 'ferr_freeze'),
    (0x7f, 'shutdown'), (0x80, 'vmrun'), (0x81, 'hypercall'), (0x82, 'vmload'),
    (0x83, 'vmsave'), (0x84, 'stgi'), (0x85, 'clgi'), (0x86, 'skinit'),
    (0x87, 'rdtscp'), (0x88, 'icebp'), (0x89, 'wbinvd'), (0x8a, 'monitor'),
    (0x8b, 'mwait'), (0x8d, 'xsetbv'), (0x8f, 'write_efer_trap'),
    (0x90, 'write_cr0_trap'), (0x94, 'write_cr4_trap'),
    (0x98, 'write_cr8_trap'), (0xa2, 'invpcid'), (0x400, 'npf'),
    (0x401, 'avic_incomplete_ipi'), (0x402, 'avic_unaccelerated_access'),
    (0x403, 'vmgexit'), (0x80000001, 'vmgexit_mmio_read'),
    (0x80000002, 'vmgexit_mmio_write'), (0x80000003, 'vmgexit_nmi_complete'),
    (0x80000004, 'vmgexit_ap_hlt_loop'), (0x80000005, 'vmgexit_ap_jump_table'),
    (0x80000010, 'vmgexit_page_state_change'),
    (0x80000011, 'vmgexit_guest_request'),
    (0x80000012, 'vmgexit_ext_guest_request'),
    (0x80000013, 'vmgexit_ap_creation'),
    (0x8000fffd, 'vmgexit_hypervisor_feature'),
    (0xffffffff, 'invalid_guest_state'),
]


def by_reason(table, counts, other=0, header=True, align=False):
    lines = ["# code name count"] if header else []
    for code, name in table:
        c = "0x%04x" % code
        if align:
            lines.append("%-10s %-28s %20d" % (c, name, counts.get(code, 0)))
        else:
            lines.append("%s %s %d" % (c, name, counts.get(code, 0)))
    lines.append(("%-10s %-28s %20d" if align else "%s %s %d")
                 % ("-", "other", other))
    return "\n".join(lines) + "\n"


def write(path, data):
    full = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(data.encode("latin-1") if isinstance(data, str) else data)


def counters_dir(name, vendor, total, br):
    write(name + "/vendor", vendor + "\n" if vendor in ("vmx", "svm")
          else vendor)
    write(name + "/total", "%d\n" % total if isinstance(total, int)
          else total)
    if br is not None:
        write(name + "/by_reason", br)


VMX_COUNTS = {0x01: 17, 0x0a: 1000, 0x0c: 1, 0x1e: 1000, 0x20: 250,
              0x30: 1}
SVM_COUNTS = {0x60: 33, 0x72: 300, 0x78: 5, 0x7b: 700, 0x7c: 120,
              0x400: 42}
VMX_BR = by_reason(VMX, VMX_COUNTS)


def mutate(old, new, count=1):
    assert old in VMX_BR, old
    return VMX_BR.replace(old, new, count)


def snap_section(counts, table, other, times):
    """reason lines, time lines and time_sum if times (code -> (count, ns,
    max)), and the sum line, of one set of counters"""
    lines = ["reason 0x%04x %s %d" % (code, name, counts.get(code, 0))
             for code, name in table]
    lines.append("reason - other %d" % other)
    if times is not None:
        for code, name in table:
            lines.append("time 0x%04x %s %d %d %d"
                         % ((code, name) + times.get(code, (0, 0, 0))))
        lines.append("time - other 0 0 0")
        lines.append("time_sum %d %d" % (sum(t[0] for t in times.values()),
                                         sum(t[1] for t in times.values())))
    lines.append("sum %d" % (sum(counts.get(c, 0) for c, _ in table) + other))
    return lines


def snapshot(counts, wall, boot, boot_id="2b2bd94e-4c3f-4bb7-a2a1-1f0bd0a3c6e5",
             kernel="6.12.0-kes", vendor="vmx", table=VMX, other=0,
             total=None, version=1, scope=None, times=None, vcpus=()):
    """vcpus: (id, counts, times) sections after the VM's"""
    s = sum(counts.get(c, 0) for c, _ in table) + other
    lines = ["kvmexit-read-snapshot %d" % version,
             "wall_time %s" % wall, "boottime %s" % boot,
             "boot_id %s" % boot_id, "kernel %s" % kernel,
             "vendor %s" % vendor]
    if scope is not None:
        lines.append("scope %s" % scope)
    lines.append("total %d" % (s if total is None else total))
    lines += snap_section(counts, table, other, times)
    for vid, vc, vt in vcpus:
        lines.append("vcpu %d" % vid)
        lines += snap_section(vc, table, 0, vt)
    lines.append("end")
    return "\n".join(lines) + "\n"


def main():
    for d in os.listdir(HERE) if os.path.isdir(HERE) else []:
        if d != "README":
            shutil.rmtree(os.path.join(HERE, d))

    # good counter directories
    counters_dir("vmx-basic", "vmx", 2270, VMX_BR)  # total: one in flight
    counters_dir("svm-basic", "svm", 1202, by_reason(SVM, SVM_COUNTS, 2))
    counters_dir("vmx-zero", "vmx", 0, by_reason(VMX, {}))
    counters_dir("vmx-aligned", "vmx", 2269,
                 by_reason(VMX, VMX_COUNTS, header=False, align=True))
    counters_dir("vmx-max", "vmx", U64_MAX, by_reason(VMX, {0x0a: U64_MAX}))
    counters_dir("odd-names", "vmx", 12,
                 "0x0001 quo\"te 5\n0x0002 back\\slash 7\n- other 0\n")

    # malformed counter directories: (name, by_reason)
    bad = {
        "bad-count": mutate("0x000a CPUID 1000", "0x000a CPUID 10a0"),
        "bad-code": mutate("0x000a CPUID", "0xzz0a CPUID"),
        "short-code": mutate("0x000a CPUID", "0xa CPUID"),
        "count-overflow": mutate("CPUID 1000", "CPUID 18446744073709551616"),
        "sum-overflow": mutate("CPUID 1000", "CPUID %d" % U64_MAX)
                        .replace("IO_INSTRUCTION 1000",
                                 "IO_INSTRUCTION %d" % U64_MAX),
        "duplicate-code": mutate("0x000c HLT", "0x000a HLT"),
        "missing-other": VMX_BR[:VMX_BR.index("- other")],
        "truncated": VMX_BR[:VMX_BR.index("0x000c HLT") + 7],
        "after-other": VMX_BR + "0x0100 LATE 1\n",
        "nul-byte": mutate("CPUID", "CPU\0D"),
        "long-line": mutate("0x000a CPUID", "0x000a " + "C" * 300),
        "too-many-lines": "".join("0x%04x R%d 1\n" % (i, i)
                                  for i in range(600)) + "- other 0\n",
        "two-fields": mutate("0x000a CPUID 1000", "0x000a CPUID"),
        "empty-line": mutate("0x000c HLT 1\n", "0x000c HLT 1\n\n"),
        "crlf": VMX_BR.replace("\n", "\r\n"),
        "header-late": mutate("0x000c HLT 1\n", "0x000c HLT 1\n# again\n"),
        "oversize": "# " + "x" * 200 + "\n" + "".join(
            "0x%04x %s 1\n" % (i, "N" * 100) for i in range(700)),
        "empty": "",
        "negative": mutate("CPUID 1000", "CPUID -1000"),
    }
    for name, br in bad.items():
        counters_dir("bad-" + name if not name.startswith("bad-") else name,
                     "vmx", 2269, br)
    counters_dir("bad-vendor", "arm\n", 2269, VMX_BR)
    counters_dir("bad-total", "vmx", "12x\n", VMX_BR)
    counters_dir("missing-by_reason", "vmx", 2269, None)

    # snapshots
    S = "snapshots/"
    write(S + "a.snap", snapshot(VMX_COUNTS, "1732500000.250000000",
                                 "1000.500000000", total=2270))
    b = dict(VMX_COUNTS)
    b[0x0a] += 500
    b[0x1e] += 1500
    b[0x01] += 3
    write(S + "b.snap", snapshot(b, "1732500010.250000000",
                                 "1010.500000000"))
    write(S + "c-reset.snap", snapshot({0x0a: 10, 0x1e: 5},
                                       "1732500020.250000000",
                                       "1020.500000000"))
    write(S + "d-otherboot.snap", snapshot(
        b, "1732600000.250000000", "20.000000000",
        boot_id="9c0de2a4-6f51-4e0b-8f39-0d2b2c1d7e11"))
    write(S + "e-svm.snap", snapshot(SVM_COUNTS, "1732500010.250000000",
                                     "1010.500000000", vendor="svm",
                                     table=SVM, other=2))
    write(S + "f-otherkernel.snap", snapshot(b, "1732500010.250000000",
                                             "1010.500000000",
                                             kernel="6.1.0-kes"))
    write(S + "g-older.snap", snapshot(b, "1732499900.250000000",
                                       "900.000000000"))
    write(S + "unknown-boot.snap", snapshot(b, "1732500010.250000000",
                                            "1010.500000000",
                                            boot_id="unknown"))
    a = snapshot(VMX_COUNTS, "1732500000.250000000", "1000.500000000")
    write(S + "bad-version.snap", a.replace("snapshot 1", "snapshot 3"))
    write(S + "not-a-snapshot.snap", VMX_BR)
    write(S + "truncated.snap", a[:a.index("reason 0x001e")])
    write(S + "truncated-midline.snap", a[:a.index("reason 0x001e") + 9])
    write(S + "corrupted.snap", a.replace("CPUID 1000", "CPUID 1900"))
    write(S + "hostile-longline.snap",
          a.replace("kernel 6.12.0-kes", "kernel " + "A" * 5000))
    write(S + "hostile-nul.snap", a.replace("vendor vmx", "vendor v\0x"))
    write(S + "hostile-overflow.snap",
          a.replace("CPUID 1000", "CPUID 99999999999999999999999"))
    write(S + "hostile-dupkey.snap",
          a.replace("vendor vmx\n", "vendor vmx\nvendor svm\n"))
    # oversized snapshots are generated by tests/cli.sh, not committed
    write(S + "hostile-after-end.snap", a + "reason 0x0100 X 1\n")
    write(S + "hostile-binary.snap", bytes(range(256)) * 4)
    write(S + "hostile-format.snap",
          a.replace("kernel 6.12.0-kes", "kernel %s%n%x"))
    vm_fixtures()


def times(table, t, other=(0, 0, 0)):
    """time_by_reason / exit_times text: t maps code -> (count, ns, max)."""
    lines = ["# code name count total_ns max_ns"]
    for code, name in table:
        c, ns, mx = t.get(code, (0, 0, 0))
        lines.append("0x%04x %-28s %d %d %d" % (code, name, c, ns, mx))
    lines.append("%-6s %-28s %d %d %d" % (("-", "other") + other))
    return "\n".join(lines) + "\n"


def vm_fixtures():
    """vm/kvm_exits (global, with time_by_reason) and vm/kvm (KVM's per-VM
    directories): 1234-11 timed with 2 vCPUs, 4321-5 untimed with 1 vCPU,
    1234-12 without per-VM statistics, 777-1 and 777-2 (one process, two
    VMs); vm-bad/ has a malformed time file and a vCPU without files."""
    v0 = {0x0a: 300, 0x0c: 1, 0x30: 1}
    v1 = {0x0a: 200, 0x1e: 50, 0x0c: 1}
    t0 = {0x0a: (300, 150000, 2000), 0x30: (1, 5000, 5000)}
    t1 = {0x0a: (200, 90000, 1500), 0x1e: (50, 400000, 30000)}
    vm = {k: v0.get(k, 0) + v1.get(k, 0) for k in set(v0) | set(v1)}
    tvm = {}
    for k in set(t0) | set(t1):
        a, b = t0.get(k, (0, 0, 0)), t1.get(k, (0, 0, 0))
        tvm[k] = (a[0] + b[0], a[1] + b[1], max(a[2], b[2]))
    g = dict(vm)
    g[0x0a] += 1000
    counters_dir("vm/kvm_exits", "vmx", sum(g.values()), by_reason(VMX, g))
    write("vm/kvm_exits/time_by_reason", times(VMX, tvm))
    d = "vm/kvm/1234-11/"
    write(d + "exits", "%d\n" % sum(vm.values()))
    write(d + "exit_reasons", by_reason(VMX, vm))
    write(d + "exit_times", times(VMX, tvm))
    for i, (c, t) in enumerate(((v0, t0), (v1, t1))):
        write(d + "vcpu%d/exit_reasons" % i, by_reason(VMX, c))
        write(d + "vcpu%d/exit_times" % i, times(VMX, t))
    d = "vm/kvm/4321-5/"
    write(d + "exits", "1002\n")
    write(d + "exit_reasons", by_reason(VMX, {0x1e: 1000, 0x0c: 1, 0x30: 1}))
    write(d + "vcpu0/exit_reasons", by_reason(VMX, {0x1e: 1000, 0x0c: 1,
                                                   0x30: 1}))
    write("vm/kvm/1234-12/exits", "5\n")
    for n in ("777-1", "777-2"):
        write("vm/kvm/%s/exit_reasons" % n, by_reason(VMX, {0x0a: 7}))
    counters_dir("vm-bad/kvm_exits", "vmx", 1000, by_reason(VMX, {0x0a: 1000}))
    write("vm-bad/kvm_exits/time_by_reason",
          times(VMX, {0x0a: (10, 1000, 500)}))
    write("vm-bad/kvm/1-1/exit_reasons", by_reason(VMX, {0x0a: 1}))
    write("vm-bad/kvm/1-1/exit_times", times(VMX, {})[:-30])
    # 2-1: vcpu1/ without its files (KVM's own files only)
    br1, t1 = by_reason(VMX, {0x0a: 1}), times(VMX, {0x0a: (1, 100, 100)})
    for f, text in (("exit_reasons", br1), ("exit_times", t1)):
        write("vm-bad/kvm/2-1/" + f, text)
        write("vm-bad/kvm/2-1/vcpu0/" + f, text)
    write("vm-bad/kvm/2-1/vcpu1/tsc-offset", "0\n")
    # 3-1: timed VM whose vcpu0 lacks exit_times
    write("vm-bad/kvm/3-1/exit_reasons", br1)
    write("vm-bad/kvm/3-1/exit_times", t1)
    write("vm-bad/kvm/3-1/vcpu0/exit_reasons", br1)
    # 4-1: garbage instead of exit_reasons
    write("vm-bad/kvm/4-1/exit_reasons", "hello world\n\x01\x02\n")
    # 5-1: a count of 2^64 in a vCPU's exit_times
    write("vm-bad/kvm/5-1/exit_reasons", br1)
    write("vm-bad/kvm/5-1/exit_times", t1)
    write("vm-bad/kvm/5-1/vcpu0/exit_reasons", br1)
    write("vm-bad/kvm/5-1/vcpu0/exit_times",
          times(VMX, {0x0a: (2**64, 100, 100)}))
    # 6-1: total_ns values that add up to more than 64 bits
    write("vm-bad/kvm/6-1/exit_reasons", br1)
    write("vm-bad/kvm/6-1/exit_times",
          times(VMX, {0x0a: (1, U64_MAX, 1), 0x0c: (1, 2, 1)}))

    # /proc of a test system root, for --list-vms' COMMAND (unit tests)
    write("vm/sysroot/proc/1234/comm", "qemu-system-x86\n")

    # malformed time_by_reason next to a good by_reason: (name, text)
    good_t = times(VMX, {0x0a: (1000, 500000, 2000)})
    bad_t = {
        "fields": good_t.replace("CPUID                        1000 500000 2000",
                                 "CPUID 1000 500000"),
        "huge": good_t.replace("1000 500000 2000", "1000 18446744073709551616 2000"),
        "negative": good_t.replace("1000 500000 2000", "-1000 500000 2000"),
        "max": good_t.replace("1000 500000 2000", "1000 500000 600000"),
        "code": good_t.replace("0x000a CPUID", "0x000b CPUID"),
        "name": good_t.replace("0x000a CPUID   ", "0x000a CPUIDX  "),
        "short": good_t[:good_t.index("0x000c")],
        "long": good_t.replace("- ", "0x0100 EXTRA 0 0 0\n- ", 1)
                      .replace("\n-      other", "\n-      other"),
        "sum-overflow": times(VMX, {0x0a: (1, U64_MAX, 5), 0x1e: (1, 1, 1)}),
        "count-sum-overflow": times(VMX, {0x0a: (U64_MAX, 10, 5),
                                          0x1e: (1, 1, 1)}),
        "truncated": good_t[:-1],
        "empty": "",
        "header-late": good_t.replace("0x000c HLT", "# again\n0x000c HLT"),
    }
    for name, text in bad_t.items():
        counters_dir("bad-time-" + name, "vmx", 2270, VMX_BR)
        write("bad-time-%s/time_by_reason" % name, text)

    # format-2 snapshots: global with times, a VM's with vCPU sections
    S = "snapshots/"
    ta = {0x0a: (1000, 500000, 2000), 0x1e: (1000, 3000000, 40000)}
    tb = {0x0a: (1500, 800000, 9000), 0x1e: (2500, 7500000, 40000),
          0x01: (20, 20000, 1500)}
    b = dict(VMX_COUNTS)
    b[0x0a] += 500
    b[0x1e] += 1500
    b[0x01] += 3
    write(S + "time-a.snap", snapshot(VMX_COUNTS, "1732500000.250000000",
                                      "1000.500000000", version=2,
                                      scope="global", times=ta))
    write(S + "time-b.snap", snapshot(b, "1732500010.250000000",
                                      "1010.500000000", version=2,
                                      scope="global", times=tb))
    va = [(0, {0x0a: 300, 0x0c: 1}, {0x0a: (300, 150000, 2000)}),
          (1, {0x0a: 200, 0x1e: 50}, {0x0a: (200, 90000, 1500),
                                       0x1e: (50, 400000, 30000)})]
    vb = [(0, {0x0a: 400, 0x0c: 1}, {0x0a: (400, 250000, 2500)}),
          (1, {0x0a: 250, 0x1e: 150}, {0x0a: (250, 110000, 1500),
                                        0x1e: (150, 900000, 30000)}),
          (2, {0x0a: 7}, {0x0a: (7, 700, 100)})]

    def vm_sum(v):
        c, t = {}, {}
        for _, vc, vt in v:
            for k, x in vc.items():
                c[k] = c.get(k, 0) + x
            for k, x in vt.items():
                o = t.get(k, (0, 0, 0))
                t[k] = (o[0] + x[0], o[1] + x[1], max(o[2], x[2]))
        return c, t
    for name, v, wall, boot, scope in (
            ("vm-a", va, "1732500000.250000000", "1000.500000000", "1234-11"),
            ("vm-b", vb, "1732500004.250000000", "1004.500000000", "1234-11"),
            ("vm-other", vb, "1732500004.250000000", "1004.500000000",
             "4321-5")):
        c, t = vm_sum(v)
        write(S + name + ".snap", snapshot(c, wall, boot, version=2,
                                           scope=scope, times=t, vcpus=v))
    c, t = vm_sum(va)
    write(S + "vm-novcpu.snap", snapshot(c, "1732500000.250000000",
                                         "1000.500000000", version=2,
                                         scope="1234-11", times=t))
    text = snapshot(b, "1732500010.250000000", "1010.500000000", version=2,
                    scope="global", times=tb)
    write(S + "hostile-timesum.snap", text.replace("time_sum 4020", "time_sum 4021"))
    write(S + "hostile-vcpu-global.snap",
          text.replace("end\n", "vcpu 0\nreason - other 0\nsum 0\nend\n"))
    write(S + "hostile-time-v1.snap",
          snapshot(b, "1732500010.250000000", "1010.500000000")
          .replace("\nsum ", "\ntime - other 0 0 0\nsum "))


if __name__ == "__main__":
    main()
