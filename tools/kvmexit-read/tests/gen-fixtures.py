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


def snap_section(counts, table, other, times, hist=None, user=None):
    """reason lines, time lines and time_sum if times (code -> (count, ns,
    max)), hist lines and hist_sum if hist (see hist_lines), userspace
    lines and userspace_sum if user (see user_lines), and the sum line, of
    one set of counters"""
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
    if hist is not None:
        lines += hist_lines(table, hist, "hist ")
        lines.append("hist_sum %d" % hist_total(hist))
    if user is not None:
        lines += ["userspace " + x for x in user_lines(user)]
        lines.append("userspace_sum %d" % user_sum(user))
    lines.append("sum %d" % (sum(counts.get(c, 0) for c, _ in table) + other))
    return lines


def snapshot(counts, wall, boot, boot_id="2b2bd94e-4c3f-4bb7-a2a1-1f0bd0a3c6e5",
             kernel="6.12.0-kes", vendor="vmx", table=VMX, other=0,
             total=None, version=1, scope=None, times=None, vcpus=(),
             detail=None, hist=None, user=None):
    """vcpus: (id, counts, times[, hist, user]) sections after the VM's;
    detail: the detail tables (see detail_lines); hist, user: the
    histograms and userspace table of the first section"""
    s = sum(counts.get(c, 0) for c, _ in table) + other
    lines = ["kvmexit-read-snapshot %d" % version,
             "wall_time %s" % wall, "boottime %s" % boot,
             "boot_id %s" % boot_id, "kernel %s" % kernel,
             "vendor %s" % vendor]
    if scope is not None:
        lines.append("scope %s" % scope)
    lines.append("total %d" % (s if total is None else total))
    lines += snap_section(counts, table, other, times, hist, user)
    for v in vcpus:
        lines.append("vcpu %d" % v[0])
        lines += snap_section(v[1], table, 0, *v[2:])
    if detail is not None:
        lines += detail_lines(detail)
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
    write(S + "bad-version.snap", a.replace("snapshot 1", "snapshot 5"))
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
    detail_fixtures()
    msr_index_fixture()
    hist_fixtures()
    user_fixtures()


# --- the detail tables: by_msr, by_io_port, by_exception -------------------
# rows: msr: (index, "read"|"write", count); io: (port, size, "in"|"out",
# count); exception: (vector, name, count). A table is (rows, other).
DETAIL_WORDS = ("msr", "io", "exception")
DETAIL_FILES = {"msr": "by_msr", "io": "by_io_port",
                "exception": "by_exception"}
DETAIL_HEADERS = {"msr": "# msr access count",
                  "io": "# port size access count",
                  "exception": "# vector name count"}


def detail_key(word, row):
    """the key as the kernel and the snapshot write it (without count)"""
    if word == "msr":
        return "0x%08x %s" % (row[0], row[1])
    if word == "io":
        return "0x%04x %d %s" % (row[0], row[1], row[2])
    return "%d %s" % (row[0], row[1])


def detail_sort_key(word, row):
    if word == "msr":
        return (row[0], 0, row[1] == "write")
    if word == "io":
        return (row[0], row[1], row[2] == "out")
    return (row[0], 0, 0)


def detail_file(word, table, sep=" "):
    """the debugfs file: header, rows in the given order, other"""
    rows, other = table
    lines = [DETAIL_HEADERS[word]]
    lines += [sep.join(detail_key(word, r).split(" ") + [str(r[-1])])
              for r in rows]
    lines.append("other%s%d" % (sep, other))
    return "\n".join(lines) + "\n"


def detail_lines(detail):
    """snapshot lines of the tables in detail (word -> table), by key"""
    lines = []
    for word in DETAIL_WORDS:
        if word not in detail:
            continue
        rows, other = detail[word]
        for r in sorted(rows, key=lambda r: detail_sort_key(word, r)):
            lines.append("%s %s %d" % (word, detail_key(word, r), r[-1]))
        lines.append("%s other %d" % (word, other))
        lines.append("%s_sum %d" % (word, sum(r[-1] for r in rows) + other))
    return lines


def detail_sum(table):
    return sum(r[-1] for r in table[0]) + table[1]


# what a VMX guest did: the kernel lists the rows in no particular order
DET_A = {
    "msr": ([(0x80b, "write", 90), (0x1b, "read", 400),
             (0x6e0, "write", 150), (0x1a0, "write", 200)], 7),
    "io": ([(0x10f, 1, "out", 1000), (0x70, 1, "in", 3),
            (0x70, 1, "out", 3), (0xcfc, 4, "in", 20)], 0),
    "exception": ([(14, "PF", 2), (6, "UD", 300), (2, "NMI", 1)], 0),
}
# 10 s later: more of each, a new port and a new vector
DET_B = {
    "msr": ([(0x80b, "write", 290), (0x1b, "read", 900),
             (0x6e0, "write", 150), (0x1a0, "write", 200)], 9),
    "io": ([(0x10f, 1, "out", 1500), (0x70, 1, "in", 3),
            (0x70, 1, "out", 3), (0xcfc, 4, "in", 20),
            (0xcf8, 4, "out", 40)], 0),
    "exception": ([(14, "PF", 2), (6, "UD", 400), (2, "NMI", 1),
                   (13, "GP", 5)], 0),
}
# after a reset: fewer keys, lower counts
DET_RESET = {
    "msr": ([(0x1b, "read", 10), (0x80b, "write", 5)], 0),
    "io": ([(0x10f, 1, "out", 8)], 0),
    "exception": ([(6, "UD", 1)], 0),
}


def detail_counts(det, base):
    """VMX by_reason counts of base with the detail tables' sums: MSR_READ
    and MSR_WRITE (other counted as reads), IO_INSTRUCTION, EXCEPTION_NMI"""
    c = dict(base)
    msr, other = det["msr"]
    c[0x1f] = sum(r[2] for r in msr if r[1] == "read") + other
    c[0x20] = sum(r[2] for r in msr if r[1] == "write")
    c[0x1e] = detail_sum(det["io"])
    c[0x00] = detail_sum(det["exception"])
    return c


def detail_dir(name, det, vendor="vmx", br=None, sep=" "):
    counts = detail_counts(det, {0x01: 17, 0x0a: 1000, 0x0c: 1})
    if br is None:
        br = by_reason(VMX, counts)
    counters_dir(name, vendor, sum(counts.values()), br)
    for word, table in det.items():
        text = table if isinstance(table, (str, bytes)) \
            else detail_file(word, table, sep)
        write("%s/%s" % (name, DETAIL_FILES[word]), text)


def detail_fixtures():
    """detail/ (VMX, the three tables), detail-svm/, detail-zero/ (the
    parameter never set), params-on/ and params-off/ (the kvm parameter),
    bad-msr-*, bad-io-*, bad-exc-* (one malformed table each), snapshots
    of format 3"""
    detail_dir("detail", DET_A, sep="  ")
    svm_det = {
        "msr": ([(0xc0000080, "write", 4), (0xc0010015, "read", 60)], 1),
        "io": ([(0x3f8, 1, "out", 700)], 0),
        "exception": ([(14, "PF", 9)], 0),
    }
    svm = sorted(SVM + [(0x46, 'UD_excp'), (0x4e, 'PF_excp')])
    counts = {0x60: 33, 0x72: 300, 0x7b: 700, 0x7c: 65, 0x4e: 9}
    detail_dir("detail-svm", svm_det, vendor="svm",
               br=by_reason(svm, counts))
    zero = {w: ([], 0) for w in DETAIL_WORDS}
    detail_dir("detail-zero", zero, br=VMX_BR)
    write("params-on/exit_stats_detail", "Y\n")
    write("params-off/exit_stats_detail", "N\n")

    msr = detail_file("msr", DET_A["msr"])
    io = detail_file("io", DET_A["io"])
    exc = detail_file("exception", DET_A["exception"])

    def m(old, new, text=msr):
        assert old in text, old
        return text.replace(old, new, 1)
    bad = {
        "msr-empty": ("msr", ""),
        "msr-header": ("msr", m("# msr access count", "# msr count access")),
        "msr-no-header": ("msr", m("# msr access count\n", "")),
        "msr-hex": ("msr", m("0x0000001b", "0x0000zz1b")),
        "msr-long-hex": ("msr", m("0x0000001b", "0x00000001b")),
        "msr-access": ("msr", m("0x0000001b read", "0x0000001b rd")),
        "msr-fields": ("msr", m("0x0000001b read 400", "0x0000001b 400")),
        "msr-duplicate": ("msr", m("other 7", "0x0000001b read 1\nother 7")),
        "msr-missing-other": ("msr", m("other 7\n", "")),
        "msr-duplicate-other": ("msr", msr + "other 7\n"),
        "msr-after-other": ("msr", msr + "0x00000010 read 1\n"),
        "msr-long-line": ("msr", m("0x0000001b read", "0x0000001b read"
                                   + " " * 300)),
        "msr-nul": ("msr", m("read 400", "re\0d 400")),
        "msr-count-overflow": ("msr", m("read 400",
                                        "read 18446744073709551616")),
        "msr-sum-overflow": ("msr", m("read 400", "read %d" % U64_MAX)),
        "msr-truncated": ("msr", msr[:-1]),
        "msr-crlf": ("msr", msr.replace("\n", "\r\n")),
        "msr-too-many": ("msr", DETAIL_HEADERS["msr"] + "\n" + "".join(
            "0x%08x read 1\n" % i for i in range(1025)) + "other 0\n"),
        "io-size": ("io", m("0x0070 1 in", "0x0070 3 in", io)),
        "io-port": ("io", m("0x0070 1 in", "0x10070 1 in", io)),
        "io-access": ("io", m("0x0070 1 in", "0x0070 1 inout", io)),
        "io-duplicate": ("io", m("other 0", "0x0070 1 in 5\nother 0", io)),
        "exc-vector": ("exception", m("14 PF", "32 PF", exc)),
        "exc-name": ("exception", m("14 PF", "14 PAGE_FAULT_TOO_LONG", exc)),
        "exc-header": ("exception", m("# vector name count",
                                      "# vector count", exc)),
        "exc-duplicate": ("exception", m("other 0", "6 UD 1\nother 0", exc)),
    }
    for name, (word, text) in bad.items():
        counters_dir("bad-" + name, "vmx", 2270, VMX_BR)
        write("bad-%s/%s" % (name, DETAIL_FILES[word]), text)

    S = "snapshots/"
    base = {0x01: 17, 0x0a: 1000, 0x0c: 1}
    for name, det, wall, boot in (
            ("detail-a", DET_A, "1732500000.250000000", "1000.500000000"),
            ("detail-b", DET_B, "1732500010.250000000", "1010.500000000"),
            ("detail-reset", DET_RESET, "1732500020.250000000",
             "1020.500000000")):
        write(S + name + ".snap",
              snapshot(detail_counts(det, base if det is not DET_RESET
                                     else {}), wall, boot, version=3,
                       scope="global", detail=det))
    text = snapshot(detail_counts(DET_A, base), "1732500000.250000000",
                    "1000.500000000", version=3, scope="global",
                    detail=DET_A)
    write(S + "hostile-detail-v2.snap",
          text.replace("snapshot 3", "snapshot 2"))
    write(S + "hostile-detail-sum.snap",
          text.replace("msr_sum 847", "msr_sum 848"))
    write(S + "hostile-detail-dup.snap",
          text.replace("msr other 7", "msr 0x0000001b read 1\nmsr other 7"))
    write(S + "hostile-detail-nosum.snap", text.replace("io_sum 1026\n", ""))
    write(S + "hostile-detail-vm.snap",
          text.replace("scope global", "scope 1234-11"))


def msr_index_fixture():
    """msr-index/msr-index.h: what gen-msr-names.py takes and leaves out
    (tests/msr-names.sh), and the table it must give"""
    write("msr-index/msr-index.h", """\
/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ASM_X86_MSR_INDEX_H
#define _ASM_X86_MSR_INDEX_H

#define MSR_EFER\t\t0xc0000080 /* extended feature register */
#define MSR_LSTAR\t\t0xc0000082 /* long mode SYSCALL target */
#define MSR_K6_WHCR\t\t0xc0000082
#define MSR_IA32_APICBASE\t\t0x0000001b
#define MSR_IA32_APICBASE_BSP\t\t(1<<8)
#define MSR_PLATFORM_INFO_CPUID_FAULT_BIT\t31
#define MSR_IA32_FRED_SSP0\tMSR_IA32_PL0_SSP\t/* an alias */
#define MSR_MTRRcap\t\t\t0x000000fe
#define MSR_IA32_UMWAIT_CONTROL\t\t\t0xe1
#define MSR_IA32_UMWAIT_CONTROL_TIME_MASK\t(~0x03U)
#define MSR_SUM\t\t\t0x10 + 1
#define MSR_TOO_WIDE\t\t0x100000000
#define MSR_CPP\t\t\t0x00000123 // a C++ comment
 #define MSR_INDENTED\t\t0x00000124
#define MSRX_NOT\t\t0x00000125
#define MSR_EMPTY

#endif /* _ASM_X86_MSR_INDEX_H */
""")
    write("msr-index/want", """\
\t{ 0x0000001b, "IA32_APICBASE" },
\t{ 0x000000e1, "IA32_UMWAIT_CONTROL" },
\t{ 0x000000fe, "MTRRcap" },
\t{ 0x00000123, "CPP" },
\t{ 0xc0000080, "EFER" },
\t{ 0xc0000082, "LSTAR" },
""")



# --- the handling-time histograms: time_hist, exit_time_hist -------------
# A histogram is (rows, other): rows maps a code to (min_ns, buckets),
# other is (min_ns, buckets); buckets maps a bucket index to its count.
NB = 24
HIST_HEADER = ("# code name min_ns "
               + " ".join(str(2 ** (8 + i)) for i in range(NB - 1)) + " +Inf")


def buckets(bk):
    return [bk.get(i, 0) for i in range(NB)]


def hist_lines(table, hist, prefix="", align=False):
    """the lines of hist, in table order, then other"""
    rows, other = hist
    fmt = "%s%-6s %-28s %d %s" if align else "%s%s %s %d %s"
    lines = []
    for code, name in table:
        if code in rows:
            mn, bk = rows[code]
            lines.append(fmt % (prefix, "0x%04x" % code, name, mn,
                                " ".join(map(str, buckets(bk)))))
    mn, bk = other
    lines.append(fmt % (prefix, "-", "other", mn,
                        " ".join(map(str, buckets(bk)))))
    return lines


def hist_total(hist):
    rows, other = hist
    return sum(sum(b.values()) for _, b in rows.values()) + sum(other[1].values())


def hist_file(table, hist, align=True):
    return "\n".join([HIST_HEADER] + hist_lines(table, hist, "", align)) + "\n"


# hist/: what a VMX host measured. CPUID and IO_INSTRUCTION have rows,
# HLT too (long waits); MSR_WRITE and EXTERNAL_INTERRUPT, timed, are in
# "other"; EPT_VIOLATION is not timed.
HIST_COUNTS = {0x01: 17, 0x0a: 500, 0x0c: 2, 0x1e: 500, 0x20: 250, 0x30: 1}
HIST_TIMES = {0x01: (17, 12000, 900), 0x0a: (500, 240000, 2000),
              0x0c: (2, 2000000, 1500000), 0x1e: (500, 600000, 2000),
              0x20: (250, 100000, 500)}
HIST_A = ({0x0a: (375, {1: 12, 2: 480, 3: 8}),
           0x0c: (500000, {11: 1, 13: 1}),
           0x1e: (600, {2: 100, 3: 400})},
          (300, {1: 250, 2: 17}))
# 10 s later: 500 more CPUID exits, 1000 more I/O exits, 10 of them slow
HIST_COUNTS_B = dict(HIST_COUNTS)
HIST_COUNTS_B[0x0a] += 500
HIST_COUNTS_B[0x1e] += 1000
HIST_TIMES_B = dict(HIST_TIMES)
HIST_TIMES_B[0x0a] = (1000, 480000, 2000)
HIST_TIMES_B[0x1e] = (1500, 2400000, 90000)
HIST_B = ({0x0a: (375, {1: 12, 2: 980, 3: 8}),
           0x0c: (500000, {11: 1, 13: 1}),
           0x1e: (600, {2: 100, 3: 1390, 7: 5, 9: 5})},
          (300, {1: 250, 2: 17}))


def hist_dir(name, counts, t, hist, text=None):
    counters_dir(name, "vmx", sum(counts.values()), by_reason(VMX, counts))
    write(name + "/time_by_reason", times(VMX, t))
    write(name + "/time_hist", hist_file(VMX, hist) if text is None else text)


def hist_fixtures():
    """hist/ (global, with time_hist), bad-hist-* (one malformed or
    disagreeing time_hist each), vmh/ (hist/ plus a VM whose vCPUs have
    histograms and userspace tables), snapshots of format 4"""
    hist_dir("hist", HIST_COUNTS, HIST_TIMES, HIST_A)
    hist_dir("hist-b", HIST_COUNTS_B, HIST_TIMES_B, HIST_B)
    # timing never ran: only the other line
    hist_dir("hist-zero", VMX_COUNTS, {}, ({}, (0, {})))
    good = hist_file(VMX, HIST_A, align=False)

    def m(old, new, text=good):
        assert old in text, old
        return text.replace(old, new, 1)
    cpuid = "0x000a CPUID 375 0 12 480 8 " + " ".join(["0"] * 20)
    other = "- other 300 0 250 17 " + " ".join(["0"] * 21)
    bad = {
        "empty": "",
        "no-header": m(HIST_HEADER + "\n", ""),
        "header-word": m("min_ns", "min"),
        "header-edges": m(" +Inf", ""),
        "header-edge": m(" 8192 ", " 8000 "),
        "header-late": m(other, "# again\n" + other),
        "fields": m(cpuid, cpuid[:-2]),
        "fields-long": m(cpuid, cpuid + " 0"),
        "code": m("0x000a CPUID", "0xzz0a CPUID"),
        "name": m("0x000a CPUID", "0x000a CPUIDX"),
        "not-a-reason": m(cpuid, "0x0099 NEW 1 1 " + " ".join(["0"] * 23)),
        "order": m(cpuid + "\n", "").replace("- other", cpuid + "\n- other"),
        "duplicate": m(cpuid, cpuid + "\n" + cpuid),
        "number": m("375 0 12 480", "375 0 12a 480"),
        "negative": m("375 0 12 480", "-375 0 12 480"),
        "overflow": m("375 0 12 480", "375 0 18446744073709551616 480"),
        "row-overflow": m("375 0 12 480", "375 0 %d 480" % U64_MAX),
        "missing-other": m(other + "\n", ""),
        "duplicate-other": good + other + "\n",
        "after-other": good + cpuid + "\n",
        "other-code": m("- other", "0x0000 other"),
        "dash-code": m("0x000a CPUID", "- CPUID"),
        "nul": m("CPUID", "CPU\0D"),
        "long-line": m("0x000a CPUID", "0x000a" + " " * 1100 + "CPUID"),
        "crlf": good.replace("\n", "\r\n"),
        "truncated": good[:-1],
        # the files disagree
        "count": m("375 0 12 480 8", "375 0 12 481 8"),
        "total": m("300 0 250 17", "300 0 250 18"),
        "min": m("0x000a CPUID 375", "0x000a CPUID 481"),
    }
    for name, text in bad.items():
        hist_dir("bad-hist-" + name, HIST_COUNTS, HIST_TIMES, HIST_A, text)

    # a VM with 2 vCPUs: histograms and userspace tables
    v0 = {0x0a: 300, 0x0c: 1, 0x30: 1}
    v1 = {0x0a: 200, 0x1e: 50, 0x0c: 1}
    t0 = {0x0a: (300, 150000, 2000), 0x30: (1, 5000, 5000)}
    t1 = {0x0a: (200, 90000, 1500), 0x1e: (50, 400000, 30000)}
    h0 = ({0x0a: (300, {1: 200, 2: 90, 3: 10}), 0x30: (5000, {5: 1})},
          (0, {}))
    h1 = ({0x0a: (280, {1: 150, 2: 48, 3: 2}),
           0x1e: (5000, {5: 40, 6: 8, 7: 2})}, (0, {}))
    u0 = ([(2, "KVM_EXIT_IO", 30), (10, "KVM_EXIT_INTR", 1)], None, 0)
    u1 = ([(2, "KVM_EXIT_IO", 50), (5, "KVM_EXIT_HLT", 1)], 2, 0)
    vm = {k: v0.get(k, 0) + v1.get(k, 0) for k in set(v0) | set(v1)}
    tvm = {k: (t0.get(k, (0, 0, 0))[0] + t1.get(k, (0, 0, 0))[0],
               t0.get(k, (0, 0, 0))[1] + t1.get(k, (0, 0, 0))[1],
               max(t0.get(k, (0, 0, 0))[2], t1.get(k, (0, 0, 0))[2]))
           for k in set(t0) | set(t1)}
    hvm = ({0x0a: (280, {1: 350, 2: 138, 3: 12}), 0x1e: h1[0][0x1e],
            0x30: h0[0][0x30]}, (0, {}))
    uvm = ([(2, "KVM_EXIT_IO", 80), (5, "KVM_EXIT_HLT", 1),
            (10, "KVM_EXIT_INTR", 1)], 2, 0)
    hist_dir("vmh/kvm_exits", HIST_COUNTS, HIST_TIMES, HIST_A)
    write("vmh/kvm_exits/userspace_exits", user_file(USER_A))
    d = "vmh/kvm/1234-11/"
    for prefix, c, t, h, u in (("", vm, tvm, hvm, uvm),
                               ("vcpu0/", v0, t0, h0, u0),
                               ("vcpu1/", v1, t1, h1, u1)):
        write(d + prefix + "exit_reasons", by_reason(VMX, c))
        write(d + prefix + "exit_times", times(VMX, t))
        write(d + prefix + "exit_time_hist", hist_file(VMX, h))
        write(d + prefix + "userspace_exits", user_file(u))
    # 2-1: vcpu0 without exit_time_hist
    d = "vmh/kvm/2-1/"
    for prefix in ("", "vcpu0/"):
        write(d + prefix + "exit_reasons", by_reason(VMX, v0))
        write(d + prefix + "exit_times", times(VMX, t0))
        write(d + prefix + "userspace_exits", user_file(u0))
    write(d + "exit_time_hist", hist_file(VMX, h0))

    S = "snapshots/"
    write(S + "hist-a.snap", snapshot(HIST_COUNTS, "1732500000.250000000",
                                      "1000.500000000", version=4,
                                      scope="global", times=HIST_TIMES,
                                      hist=HIST_A))
    text = snapshot(HIST_COUNTS_B, "1732500010.250000000", "1010.500000000",
                    version=4, scope="global", times=HIST_TIMES_B,
                    hist=HIST_B)
    write(S + "hist-b.snap", text)
    write(S + "hostile-hist-v3.snap", text.replace("snapshot 4", "snapshot 3"))
    write(S + "hostile-hist-sum.snap",
          text.replace("hist_sum 2769", "hist_sum 2768"))
    write(S + "hostile-hist-nosum.snap", text.replace("hist_sum 2769\n", ""))
    write(S + "hostile-hist-code.snap",
          text.replace("hist 0x000c HLT", "hist 0x0099 HLT"))
    write(S + "hostile-hist-place.snap",
          text.replace("time_sum", "hist - other 0 " + " ".join(["0"] * 24)
                       + "\ntime_sum"))
    # a VM's with vCPU sections, histograms and userspace tables
    write(S + "vmh-a.snap", snapshot(
        vm, "1732500000.250000000", "1000.500000000", version=4,
        scope="1234-11", times=tvm, hist=hvm, user=uvm,
        vcpus=[(0, v0, t0, h0, u0), (1, v1, t1, h1, u1)]))


# --- returns to userspace: userspace_exits ---------------------------------
# A table is (rows, error, other): rows (code, name, count) by code, error
# None for no "- error" line.
USER_A = ([(2, "KVM_EXIT_IO", 1000), (5, "KVM_EXIT_HLT", 2),
           (10, "KVM_EXIT_INTR", 1), (50, "-", 4)], 3, 0)
USER_B = ([(2, "KVM_EXIT_IO", 1600), (5, "KVM_EXIT_HLT", 2),
           (10, "KVM_EXIT_INTR", 5), (17, "KVM_EXIT_INTERNAL_ERROR", 1),
           (50, "-", 4)], 3, 2)
USER_RESET = ([(2, "KVM_EXIT_IO", 10)], None, 0)


def user_lines(u):
    rows, error, other = u
    lines = ["%d %s %d" % r for r in rows]
    if error is not None:
        lines.append("- error %d" % error)
    lines.append("other %d" % other)
    return lines


def user_sum(u):
    return sum(r[2] for r in u[0]) + (u[1] or 0) + u[2]


def user_file(u):
    return "\n".join(["# code name count"] + user_lines(u)) + "\n"


def user_fixtures():
    """user/ (vmx-basic plus userspace_exits), user-zero/, bad-user-*,
    snapshots of format 4 with userspace tables"""
    for name, u in (("user", USER_A), ("user-zero", ([], None, 0))):
        counters_dir(name, "vmx", 2270, VMX_BR)
        write(name + "/userspace_exits", user_file(u))
    good = user_file(USER_A)

    def m(old, new, text=good):
        assert old in text, old
        return text.replace(old, new, 1)
    bad = {
        "empty": "",
        "header": m("# code name count", "# code count"),
        "no-header": m("# code name count\n", ""),
        "code": m("5 KVM_EXIT_HLT", "64 KVM_EXIT_HLT"),
        "code-word": m("5 KVM_EXIT_HLT", "five KVM_EXIT_HLT"),
        "name": m("KVM_EXIT_HLT", "HLT"),
        "name-lower": m("KVM_EXIT_HLT", "KVM_EXIT_hlt"),
        "duplicate": m("5 KVM_EXIT_HLT 2", "5 KVM_EXIT_HLT 2\n5 KVM_EXIT_HLT 1"),
        "after-error": m("- error 3", "- error 3\n60 - 1"),
        "duplicate-error": m("- error 3", "- error 3\n- error 1"),
        "dash": m("- error 3", "- oops 3"),
        "fields": m("5 KVM_EXIT_HLT 2", "5 KVM_EXIT_HLT"),
        "count": m("KVM_EXIT_HLT 2", "KVM_EXIT_HLT 2x"),
        "overflow": m("KVM_EXIT_HLT 2", "KVM_EXIT_HLT 18446744073709551616"),
        "sum-overflow": m("KVM_EXIT_HLT 2", "KVM_EXIT_HLT %d" % U64_MAX),
        "missing-other": m("other 0\n", ""),
        "duplicate-other": good + "other 0\n",
        "after-other": good + "3 KVM_EXIT_DEBUG 1\n",
        "nul": m("KVM_EXIT_IO", "KVM_EXIT\0IO"),
        "crlf": good.replace("\n", "\r\n"),
        "truncated": good[:-1],
        "long-line": m("KVM_EXIT_HLT", "KVM_EXIT_HLT" + " " * 300),
    }
    for name, text in bad.items():
        counters_dir("bad-user-" + name, "vmx", 2270, VMX_BR)
        write("bad-user-%s/userspace_exits" % name, text)

    S = "snapshots/"
    for name, u, wall, boot in (
            ("user-a", USER_A, "1732500000.250000000", "1000.500000000"),
            ("user-b", USER_B, "1732500010.250000000", "1010.500000000"),
            ("user-reset", USER_RESET, "1732500020.250000000",
             "1020.500000000")):
        write(S + name + ".snap",
              snapshot(VMX_COUNTS, wall, boot, version=4, scope="global",
                       user=u))
    text = snapshot(VMX_COUNTS, "1732500000.250000000", "1000.500000000",
                    version=4, scope="global", user=USER_A)
    write(S + "hostile-user-sum.snap",
          text.replace("userspace_sum 1010", "userspace_sum 1011"))
    write(S + "hostile-user-nosum.snap",
          text.replace("userspace_sum 1010\n", ""))
    write(S + "hostile-user-dup.snap",
          text.replace("userspace 5 KVM_EXIT_HLT 2",
                       "userspace 5 KVM_EXIT_HLT 2\nuserspace 5 KVM_EXIT_HLT 2"))


if __name__ == "__main__":
    main()
