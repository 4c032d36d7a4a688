#!/usr/bin/env python3
"""Check what kvmexit-read printed inside the emulated host (tests/guest/suite.sh).

Reads the guest's output on stdin, prints one TAP line per check. The guest
ran, after a reset: 700 CPUID + 300 OUT (between snapshots a and b), then
twice 400 CPUID + 200 OUT under `kvmexit-read -- CMD`.
"""
import json
import re
import sys

PREFIX = sys.argv[1] if len(sys.argv) > 1 else ""
NAMES = {"vmx": ("CPUID", "IO_INSTRUCTION", "HLT"), "svm": ("cpuid", "io", "hlt")}
failed = 0


def tap(ok, what, why=""):
    global failed
    failed += not ok
    print(f"{'' if ok else 'not '}ok - {PREFIX}tool: {what}" + ("" if ok else f" # {why}"))


def steps(text):
    out = {}
    for m in re.finditer(r"^TOOL-BEGIN (\S+) rc=(\d+)\n(.*?)^TOOL-END$", text, re.M | re.S):
        out[m.group(1)] = (int(m.group(2)), m.group(3))
    return out


def one_json(body):
    """The one JSON object a step printed (other lines are the command's)."""
    objs = [json.loads(l) for l in body.splitlines() if l.startswith("{")]
    if len(objs) != 1:
        raise ValueError(f"{len(objs)} JSON objects")
    return objs[0]


def deltas(obj, key):
    return {r["name"]: r[key] for r in obj["reasons"]}


def table_rows(text):
    """{reason: value} of a human table's reason rows (digits grouped)."""
    return {l.split()[1]: int(l.split()[2].replace(",", "")) for l in text.splitlines()
            if re.match(r"^0x[0-9a-f]+\s", l)}


def check(name, fn):
    try:
        ok, why = fn()
    except Exception as e:  # a missing step or bad JSON is a failure too
        ok, why = False, f"{type(e).__name__}: {e}"
    tap(ok, name, why)


s = steps(sys.stdin.read())
rc = lambda k: s[k][0]
body = lambda k: s[k][1]
vendor = one_json(body("json"))["vendor"] if "json" in s else "vmx"
CPUID, IO, HLT = NAMES.get(vendor, NAMES["vmx"])


def exact(d, cpuid, io, hlt):
    want = {CPUID: cpuid, IO: io, HLT: hlt}
    bad = {k: (d.get(k), v) for k, v in want.items() if d.get(k) != v}
    return not bad, f"(got, want): {bad}"


check("--reset, --save and the workload succeed",
      lambda: (all(rc(k) == 0 for k in ("reset", "save-a", "exitgen", "save-b")),
               {k: rc(k) for k in ("reset", "save-a", "exitgen", "save-b")}))


def diff_table():
    rows = table_rows(body("diff"))
    return rc("diff") == 0 and rows.get(CPUID) == 700 and rows.get(IO) == 300, rows


check("--diff A B table shows exactly 700 CPUID and 300 I/O exits", diff_table)


def diff_json():
    o = one_json(body("diff-json"))
    d = deltas(o, "delta")
    ok, why = exact(d, 700, 300, 1)
    ok &= o["type"] == "diff" and o["total"] == sum(d.values()) and o["interval_seconds"] > 0
    return ok, why + f" total={o['total']} interval={o['interval_seconds']}"


check("--json --diff A B parses, exact deltas, total = sum of deltas", diff_json)
check("--json --diff A (against now) gives the same deltas",
      lambda: exact(deltas(one_json(body("diff-now")), "delta"), 700, 300, 1))


def cmd_table():
    rows = table_rows(body("cmd"))
    return rc("cmd") == 0 and rows.get(CPUID) == 400 and rows.get(IO) == 200, rows


check("-- CMD reports exactly the command's 400 CPUID and 200 I/O exits", cmd_table)


def cmd_json():
    o = one_json(body("cmd-json"))
    ok, why = exact(deltas(o, "delta"), 400, 200, 1)
    return ok and o["type"] == "command" and o["exit_status"] == 0, why


check("--json -- CMD parses, exact deltas, exit status 0", cmd_json)
check("-- CMD passes on the command's exit status (7)",
      lambda: (rc("cmd-status") == 7, f"rc={rc('cmd-status')}"))


def counters_json():
    o = one_json(body("json"))
    c = {r["name"]: r["count"] for r in o["reasons"]}
    ok, why = exact(c, 1500, 700, 3)
    return ok and o["total"] == sum(c.values()), why


check("--json counters since the reset: 1500 CPUID, 700 I/O, 3 HLT", counters_json)
check("table ends with the total",
      lambda: (rc("table") == 0 and re.search(r"^\s+total\s+[\d,]+\s", body("table"), re.M) is not None,
               body("table")[-200:]))


def prometheus():
    text = body("prometheus")
    sample = re.search(r'^kvm_exits_by_reason_total\{[^}]*reason="%s"[^}]*\} (\d+)$' % CPUID,
                       text, re.M)
    ok = rc("prometheus") == 0 and "# TYPE kvm_exits_total counter" in text
    return ok and sample is not None and int(sample.group(1)) == 1500, text[:300]


check("--prometheus has HELP/TYPE and the CPUID sample", prometheus)
check("--diff B A (B older) is refused with exit status 6",
      lambda: (rc("bad-diff") == 6, f"rc={rc('bad-diff')}"))


# Per VM (issue 6): a 2-vCPU VM with per-VM counters and times, held open
# after 300 CPUID + 100 OUT + HLT on each vCPU.
def vm_reasons(counters):
    return {r["name"]: r for r in counters["reasons"]}


def vm_list():
    d = one_json(body("vm-list"))
    vms = [v for v in d["vms"] if v["comm"] == "kvm-exitgen"]
    ok = rc("vm-list") == 0 and len(vms) == 1 and vms[0]["vcpus"] == 2 and \
        vms[0]["time_stats"] is True
    return ok, f"rc={rc('vm-list')} vms={d['vms']}"


def vm_json():
    d = one_json(body("vm-json"))
    vm = vm_reasons(d["counters"])
    vc = [vm_reasons(v["counters"]) for v in d["vcpus"]]
    why = f"rc={rc('vm-json')} vm={ {k: v['count'] for k, v in vm.items() if v['count']} }"
    ok = rc("vm-json") == 0 and len(vc) == 2
    ok = ok and vm[CPUID]["count"] == 600 and vm[IO]["count"] == 200 and vm[HLT]["count"] == 2
    for c in vc:
        ok = ok and c[CPUID]["count"] == 300 and c[IO]["count"] == 100 and c[HLT]["count"] == 1
    for name, r in vm.items():
        ok = ok and r["count"] == sum(c[name]["count"] for c in vc)
        ok = ok and r["time_count"] == sum(c[name]["time_count"] for c in vc)
        ok = ok and r["time_max_ns"] <= r["time_total_ns"]
        ok = ok and (r["count"] or not r["time_total_ns"])
    # every exit but each vCPU's final HLT was re-entered, so timed
    ok = ok and vm[CPUID]["time_count"] == 600 and vm[IO]["time_count"] == 200
    ok = ok and vm[HLT]["time_count"] == 0 and vm[CPUID]["time_total_ns"] > 0
    return ok, why


def vm_prom():
    out = body("vm-prom")
    ok = rc("vm-prom") == 0 and \
        re.search(r'^kvm_exits_by_reason_total\{reason="%s",code="[^"]+",vendor="%s",vm="\d+-\d+"\} 600$'
                  % (CPUID, vendor), out, re.M) is not None and \
        "# TYPE kvm_exit_handling_seconds_total counter" in out
    return ok, out[:300]


def vm_table():
    out = body("vm-table")
    head = out.splitlines()[1] if len(out.splitlines()) > 1 else ""
    ok = rc("vm-table") == 0 and "AVG" in head and "MAX" in head and \
        table_rows(out).get(CPUID) == 600
    return ok, out[:300]


def vm_reset():
    d = one_json(body("vm-after-reset"))
    ok = rc("vm-reset") == 0 and rc("vm-after-reset") == 0 and \
        d["counters"]["total"] == 0 and all(v["counters"]["total"] == 0 for v in d["vcpus"])
    return ok, f"rc={rc('vm-reset')},{rc('vm-after-reset')} total={d['counters']['total']}"


check("--list-vms --json lists the held 2-vCPU timed VM of kvm-exitgen", vm_list)
check("--vm PID --per-vcpu --json: exactly 600 CPUID, 200 I/O, 2 HLT; vCPUs 300/100/1 and add up; times sane", vm_json)
check("--vm NAME --prometheus: vm label, exact CPUID count, handling-time series", vm_prom)
check("--vm NAME table: AVG and MAX columns, 600 CPUID", vm_table)
check("--diff of a global and a VM snapshot is refused with exit status 6",
      lambda: (rc("vm-save") == 0 and rc("vm-diff-global") == 6,
               f"rc={rc('vm-save')},{rc('vm-diff-global')} {body('vm-diff-global')[:200]}"))
check("--vm PID --reset zeroes the VM and its vCPUs", vm_reset)


def sub_rows(obj, table):
    """{key: count} and other of a --json sub-reason table ("msr", "io",
    "exceptions"), wherever the object holds it; deltas under -- CMD."""
    def find(o):
        if isinstance(o, dict):
            if table in o and isinstance(o[table], dict) and "rows" in o[table]:
                return o[table]
            for v in o.values():
                r = find(v)
                if r is not None:
                    return r
        elif isinstance(o, list):
            for v in o:
                r = find(v)
                if r is not None:
                    return r
        return None
    t = find(obj)
    if t is None:
        raise ValueError(f"no {table} table")
    key = {"msr": ("msr", "access"), "io": ("port", "size", "access"),
           "exceptions": ("vector",)}[table]
    val = lambda r: r.get("delta", r.get("count"))
    other = t["other"]
    other = other.get("delta") if isinstance(other, dict) else other
    return {" ".join(str(r[k]) for k in key): val(r) for r in t["rows"]}, other


def msr_json():
    rows, other = sub_rows(one_json(body("msr-json")), "msr")
    ok = rc("msr-json") == 0 and rows.get("0x0000001b read") == 30 and \
        rows.get("0x000001a0 write") == 20 and other == 0 and len(rows) == 2
    return ok, (rows, other)


def io_json():
    rows, other = sub_rows(one_json(body("io-json")), "io")
    ok = rc("io-json") == 0 and rows.get("0x010f 1 out") == 40 and \
        rows.get("0x010f 1 in") == 10 and other == 0 and len(rows) == 2
    return ok, (rows, other)


def exc_json():
    rows, other = sub_rows(one_json(body("exc-json")), "exceptions")
    return rc("exc-json") == 0 and rows.get("6") == 5 and other == 0, (rows, other)


check("detail: reset and a generator run with RDMSR, WRMSR, IN, OUT and UD2 succeed",
      lambda: (rc("detail-reset") == 0 and rc("detail-gen") == 0,
               (rc("detail-reset"), body("detail-gen"))))
check("--msr --json: exactly 30 reads of 0x1b, 20 writes of 0x1a0, nothing else", msr_json)
check("--io --json: exactly 40 OUT and 10 IN of port 0x10f, nothing else", io_json)
check("--exceptions --json: exactly 5 #UD", exc_json)
check("--msr table: named rows, IA32_APICBASE 30",
      lambda: (rc("msr-table") == 0 and re.search(r"^0x0000001b\s+IA32_APICBASE\s+read\s+30\s",
                                                  body("msr-table"), re.M) is not None,
               body("msr-table")[:300]))
check("--prometheus --msr --io --exceptions: exact series",
      lambda: (rc("detail-prom") == 0 and
               re.search(r'^kvm_exits_msr_total\{msr="0x0000001b",name="IA32_APICBASE",access="read",'
                         r'vendor="\w+"\} 30$', body("detail-prom"), re.M) is not None and
               re.search(r'^kvm_exits_io_total\{port="0x010f",size="1",access="in",vendor="\w+"\} 10$',
                         body("detail-prom"), re.M) is not None and
               re.search(r'^kvm_exits_exception_total\{vector="6",name="UD",vendor="\w+"\} 5$',
                         body("detail-prom"), re.M) is not None,
               body("detail-prom")[:400]))


def msr_cmd():
    rows, other = sub_rows(one_json(body("msr-cmd")), "msr")
    return rc("msr-cmd") == 0 and rows.get("0x0000001b read") == 25 and other == 0, (rows, other)


check("--msr --json -- CMD: the command's 25 reads of 0x1b", msr_cmd)


def vm_hist():
    out = body("vm-hist")
    ok = rc("vm-hist") == 0 and re.search(r"\bcount 600\b", out) is not None and \
        re.search(r"^p50 ~\S+, p90 ~\S+, p99 ~\S+", out, re.M) is not None
    return ok, out[:400]


def vm_json_hist():
    cpuid = vm_reasons(one_json(body("vm-json"))["counters"])[CPUID]
    hist = sum(b["count"] for b in cpuid["hist"])
    ok = hist == cpuid["time_count"] == 600 and \
        cpuid["min_ns"] <= cpuid["p50_ns"] <= cpuid["p90_ns"] <= cpuid["p99_ns"] <= \
        cpuid["time_max_ns"] and cpuid["min_ns"] <= cpuid["time_total_ns"] / 600 <= cpuid["time_max_ns"]
    return ok, {k: cpuid.get(k) for k in ("time_count", "min_ns", "p50_ns", "p90_ns", "p99_ns",
                                          "time_max_ns", "time_total_ns")} | {"hist": hist}


def vm_user():
    obj = one_json(body("vm-user"))["userspace_exits"]
    rows = {r["name"]: r["count"] for r in obj["rows"]}
    ok = rc("vm-user") == 0 and rows.get("KVM_EXIT_IO") == 200 and \
        rows.get("KVM_EXIT_HLT") == 2 and set(rows) <= {"KVM_EXIT_IO", "KVM_EXIT_HLT", "KVM_EXIT_INTR"}
    return ok, obj


check("--vm NAME --hist cpuid: 600 timed exits, p50/p90/p99 estimates", vm_hist)
check("--vm --json: CPUID's histogram holds its 600 timed exits, min <= p50 <= p90 <= p99 <= max",
      vm_json_hist)
check("--vm --userspace --json: the VM's 200 KVM_EXIT_IO and 2 KVM_EXIT_HLT", vm_user)
sys.exit(1 if failed else 0)
