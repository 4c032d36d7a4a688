// SPDX-License-Identifier: GPL-2.0
/*
 * The sub-reason files kvm_exits/by_msr, by_io_port and by_exception, and
 * the exit_stats_detail parameter that switches them on: exact rows for
 * the generator's RDMSR, WRMSR, IN, OUT and UD2, a full table that spills
 * into "other" without losing an exit, resets, and nothing counted while
 * the parameter is off.
 */
#include "detail_tests.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "exit_stats.h"
#include "exitgen.h"

#define DETAIL_PARAM	"/sys/module/kvm/parameters/exit_stats_detail"
#define MSR_X		0x1b		/* IA32_APIC_BASE, read */
#define MSR_Y		0x1a0		/* IA32_MISC_ENABLE, written back */
#define PORT		0x10f
#define SPREAD_BASE	0x200
#define SPREAD_PORTS	300		/* more than the 256 entries of the table */
#define MAX_ROWS	300

/* One sub-reason file: its rows (key fields as text) and "other". */
struct detail {
	int nr;
	struct {
		char key[48];
		uint64_t count;
	} r[MAX_ROWS];
	uint64_t other;
	uint64_t sum;		/* rows and other */
};

/*
 * Parse kvm_exits/FILE: the header, rows of nkey key fields and a count,
 * then "other N" last. Asserts on anything else.
 */
static void detail_read(const char *file, const char *header, int nkey, struct detail *d)
{
	char path[128], line[256];
	int lineno = 0, other_seen = 0;
	FILE *f;

	snprintf(path, sizeof(path), KES_STATS_DIR "/%s", file);
	f = fopen(path, "re");
	KES_ASSERT(f, "open %s", path);
	memset(d, 0, sizeof(*d));
	while (fgets(line, sizeof(line), f)) {
		char a[16], b[16], c[16];
		unsigned long long n;
		int got;

		KES_ASSERT(!other_seen, "%s: a line after other: %s", file, line);
		if (lineno++ == 0) {
			KES_ASSERT(!strcmp(line, header), "%s: header '%s'", file, line);
			continue;
		}
		if (sscanf(line, "other %llu", &n) == 1) {
			d->other = n;
			d->sum += n;
			other_seen = 1;
			continue;
		}
		got = nkey == 2 ? sscanf(line, "%15s %15s %llu", a, b, &n) :
				  sscanf(line, "%15s %15s %15s %llu", a, b, c, &n);
		KES_ASSERT(got == nkey + 1 && d->nr < MAX_ROWS, "%s: bad row '%s'", file, line);
		if (nkey == 2)
			snprintf(d->r[d->nr].key, sizeof(d->r[0].key), "%s %s", a, b);
		else
			snprintf(d->r[d->nr].key, sizeof(d->r[0].key), "%s %s %s", a, b, c);
		for (int i = 0; i < d->nr; i++)
			KES_ASSERT(strcmp(d->r[i].key, d->r[d->nr].key), "%s: %s twice", file,
				   d->r[d->nr].key);
		KES_ASSERT(n > 0, "%s: a row with count 0: %s", file, line);
		d->r[d->nr].count = n;
		d->sum += n;
		d->nr++;
	}
	fclose(f);
	KES_ASSERT(other_seen, "%s: no other line", file);
}

static void read_msr(struct detail *d)
{
	detail_read("by_msr", "# msr access count\n", 2, d);
}

static void read_io(struct detail *d)
{
	detail_read("by_io_port", "# port size access count\n", 3, d);
}

static void read_exc(struct detail *d)
{
	detail_read("by_exception", "# vector name count\n", 2, d);
}

static uint64_t detail_get(const struct detail *d, const char *key)
{
	for (int i = 0; i < d->nr; i++)
		if (!strcmp(d->r[i].key, key))
			return d->r[i].count;
	return 0;
}

/* by_reason counts of the reasons each file breaks down. */
static uint64_t reason_msr(const struct exit_stats *s)
{
	return is_vmx() ? exit_stats_get(s, "MSR_READ") + exit_stats_get(s, "MSR_WRITE") :
			  exit_stats_get(s, "msr");
}

static uint64_t reason_exc(const struct exit_stats *s)
{
	uint64_t sum = 0;

	if (is_vmx())
		return exit_stats_get(s, "EXCEPTION_NMI");
	for (int i = 0; i < s->nr; i++) {
		unsigned long code = strtoul(s->r[i].code, NULL, 16);

		if (code >= 0x40 && code < 0x60)
			sum += s->r[i].count;
	}
	return sum;
}

static void set_detail(const char *val)
{
	KES_ASSERT(kes_write_file(DETAIL_PARAM, val, strlen(val)) == 0, "write %s to %s", val,
		   DETAIL_PARAM);
}

static int detail_is_on(void)
{
	char buf[8] = "";
	FILE *f = fopen(DETAIL_PARAM, "re");

	KES_ASSERT(f && fgets(buf, sizeof(buf), f), "read %s", DETAIL_PARAM);
	fclose(f);
	return buf[0] == 'Y';
}

/* A VM of vcpus vCPUs that does n RDMSR of X, m WRMSR of Y, k OUT and j IN
 * to PORT, u UD2 and spread OUT over SPREAD_PORTS ports, then HLT. */
static void run_vm(int vcpus, uint32_t n, uint32_t m, uint32_t k, uint32_t j, uint32_t u,
		   uint32_t spread)
{
	struct kes_vm *vm = exitgen_vm_create(vcpus);
	struct exitgen_result res = { 0 };
	struct exitgen_params *p = exitgen_vm_params(vm);

	vm->msr_reads = n;
	vm->io_port = PORT;
	p->wrmsr = m;
	p->wrmsr_index = MSR_Y;
	if (m)
		p->wrmsr_value = exitgen_vm_read_msr(vm, MSR_Y);
	p->in = j;
	p->ud = u;
	if (spread) {
		vm->io_port = SPREAD_BASE;
		vm->io_nports = SPREAD_PORTS;
		p->nports = SPREAD_PORTS;
		p->spread = spread;
	}
	exitgen_vm_round(vm, 0, spread ? 0 : k, &res);
	kes_vm_free(vm);
}

static void check_off_files(const char *when)
{
	struct detail d;

	read_msr(&d);
	CHECK(d.nr == 0 && d.other == 0, "%s: by_msr has %d rows, other %llu", when, d.nr,
	      (unsigned long long)d.other);
	read_io(&d);
	CHECK(d.nr == 0 && d.other == 0, "%s: by_io_port has %d rows, other %llu", when, d.nr,
	      (unsigned long long)d.other);
	read_exc(&d);
	CHECK(d.nr == 0 && d.other == 0, "%s: by_exception has %d rows, other %llu", when,
	      d.nr, (unsigned long long)d.other);
}

/* The count of KVM_EXIT_* code in a userspace_exits file; *rest = the other rows. */
static uint64_t user_exits(const char *path, unsigned int code, unsigned int code2,
			   uint64_t *n2, uint64_t *rest)
{
	char line[128];
	int lineno = 0, other = 0;
	uint64_t n = 0;
	FILE *f = fopen(path, "re");

	KES_ASSERT(f, "open %s", path);
	*n2 = *rest = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long c;
		unsigned int k;
		char name[48];

		if (lineno++ == 0) {
			KES_ASSERT(!strcmp(line, "# code name count\n"), "%s: header %s", path, line);
			continue;
		}
		KES_ASSERT(!other, "%s: a line after other", path);
		if (sscanf(line, "other %llu", &c) == 1) {
			other = 1;
			*rest += c;
		} else if (sscanf(line, "%u %47s %llu", &k, name, &c) == 3) {
			if (k == code)
				n = c;
			else if (k == code2)
				*n2 = c;
			else if (strcmp(name, "KVM_EXIT_INTR"))
				*rest += c;
		} else {
			KES_ASSERT(sscanf(line, "- error %llu", &c) == 1, "%s: bad line %s", path, line);
			*rest += c;
		}
	}
	fclose(f);
	KES_ASSERT(other, "%s: no other line", path);
	return n;
}

/* The userspace_exits file at path (who, for messages) counts io KVM_EXIT_IO and hlt KVM_EXIT_HLT
 * returns and nothing else (KVM_EXIT_INTR aside). */
static void check_user_exits(const char *who, const char *path, uint64_t io, uint64_t hlt)
{
	uint64_t got_hlt, rest, got_io = user_exits(path, 2, 5, &got_hlt, &rest);

	CHECK(got_io == io && got_hlt == hlt && !rest,
	      "%s: KVM_EXIT_IO %llu, KVM_EXIT_HLT %llu, rest %llu; expected %llu, %llu", who,
	      (unsigned long long)got_io, (unsigned long long)got_hlt, (unsigned long long)rest,
	      (unsigned long long)io, (unsigned long long)hlt);
}

/*
 * Returns of KVM_RUN to userspace by KVM_EXIT_* reason: globally while
 * exit_stats_detail is set, per VM and vCPU in per-VM VMs; each equal to
 * the I/O and HLT exits the VMM saw (KVM_EXIT_INTR allowed, nothing else).
 */
void test_userspace_exits(void)
{
	const int vcpus = 2;
	const uint32_t k = 120, j = 30;
	struct exitgen_result res = { 0 };
	uint64_t io_seen = 0, hlt_seen = 0;
	struct kes_vm *vm;
	char path[200];

	set_detail("Y");
	KES_ASSERT(kes_write_file("/sys/module/kvm/parameters/exit_stats_per_vm", "Y", 1) == 0,
		   "exit_stats_per_vm=Y");
	vm = exitgen_vm_create(vcpus);
	KES_ASSERT(kes_write_file("/sys/module/kvm/parameters/exit_stats_per_vm", "N", 1) == 0,
		   "exit_stats_per_vm=N");
	exitgen_vm_params(vm)->in = j;
	KES_ASSERT(exit_stats_write("userspace_exits", "0", 1) == 0, "reset through userspace_exits");
	exitgen_vm_round(vm, 10, k, &res);
	for (int i = 0; i < vcpus; i++) {
		io_seen += vm->vcpu[i].io_exits + vm->vcpu[i].in_exits;
		hlt_seen += vm->vcpu[i].hlt_exits;
	}

	/* as many as the VMM saw: globally, in the VM, one vCPU's (one HLT) */
	check_user_exits("global", KES_STATS_DIR "/userspace_exits", io_seen, hlt_seen);
	snprintf(path, sizeof(path), "%s/userspace_exits", kes_vm_debugfs_dir(vm));
	check_user_exits("VM", path, io_seen, hlt_seen);
	snprintf(path, sizeof(path), "%s/vcpu1/userspace_exits", kes_vm_debugfs_dir(vm));
	check_user_exits("vCPU 1", path, vm->vcpu[1].io_exits + vm->vcpu[1].in_exits, 1);
	diag("userspace exits: %llu KVM_EXIT_IO, %llu KVM_EXIT_HLT, globally, per VM and vCPU",
	     (unsigned long long)io_seen, (unsigned long long)hlt_seen);
	kes_vm_free(vm);
	set_detail("N");
}

void test_detail(void)
{
	struct exit_stats *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	const int vcpus = 2;
	const uint32_t n = 300, m = 200, k = 100, j = 50, u = 70, per_port = 3;
	struct detail d;
	char key[48];

	KES_ASSERT(a && b, "out of memory");
	/* Off since boot: the files show only "other 0", whatever runs. */
	CHECK(!detail_is_on(), "exit_stats_detail is on at boot");
	run_vm(1, 10, 10, 10, 10, 10, 0);
	check_off_files("off since boot");

	set_detail("Y");
	CHECK(detail_is_on(), "exit_stats_detail did not switch on");
	KES_ASSERT(exit_stats_write("by_msr", "0", 1) == 0, "reset through by_msr");
	check_off_files("after a reset");
	exit_stats_read(a);
	run_vm(vcpus, n, m, k, j, u, 0);
	exit_stats_read(b);

	read_msr(&d);
	snprintf(key, sizeof(key), "0x%08x read", MSR_X);
	CHECK(detail_get(&d, key) == (uint64_t)n * vcpus, "by_msr %s = %llu, expected %u", key,
	      (unsigned long long)detail_get(&d, key), n * vcpus);
	snprintf(key, sizeof(key), "0x%08x write", MSR_Y);
	CHECK(detail_get(&d, key) == (uint64_t)m * vcpus, "by_msr %s = %llu, expected %u", key,
	      (unsigned long long)detail_get(&d, key), m * vcpus);
	CHECK(d.nr == 2 && d.other == 0, "by_msr: %d rows, other %llu", d.nr,
	      (unsigned long long)d.other);
	CHECK(d.sum == reason_msr(b) - reason_msr(a), "by_msr sum %llu != MSR exits %llu",
	      (unsigned long long)d.sum, (unsigned long long)(reason_msr(b) - reason_msr(a)));

	read_io(&d);
	snprintf(key, sizeof(key), "0x%04x 1 out", PORT);
	CHECK(detail_get(&d, key) == (uint64_t)k * vcpus, "by_io_port %s = %llu, expected %u",
	      key, (unsigned long long)detail_get(&d, key), k * vcpus);
	snprintf(key, sizeof(key), "0x%04x 1 in", PORT);
	CHECK(detail_get(&d, key) == (uint64_t)j * vcpus, "by_io_port %s = %llu, expected %u",
	      key, (unsigned long long)detail_get(&d, key), j * vcpus);
	CHECK(d.nr == 2 && d.other == 0, "by_io_port: %d rows, other %llu", d.nr,
	      (unsigned long long)d.other);
	CHECK(d.sum == exit_stats_get(b, R_IO) - exit_stats_get(a, R_IO),
	      "by_io_port sum %llu != I/O exits %llu", (unsigned long long)d.sum,
	      (unsigned long long)(exit_stats_get(b, R_IO) - exit_stats_get(a, R_IO)));

	read_exc(&d);
	CHECK(detail_get(&d, "6 UD") == (uint64_t)u * vcpus, "by_exception UD = %llu, expected %u",
	      (unsigned long long)detail_get(&d, "6 UD"), u * vcpus);
	CHECK(d.sum == reason_exc(b) - reason_exc(a), "by_exception sum %llu != exceptions %llu",
	      (unsigned long long)d.sum, (unsigned long long)(reason_exc(b) - reason_exc(a)));
	diag("vendor=%s by_msr, by_io_port, by_exception exact for %d vCPUs", vendor(), vcpus);

	/*
	 * A full table: OUT to 300 ports, 3 each per vCPU, in a table of 256
	 * entries of which the first run claimed 2. A port with a row has all
	 * of its exits there; the rest are "other"; nothing is lost.
	 */
	KES_ASSERT(exit_stats_write("by_io_port", "0", 1) == 0, "reset through by_io_port");
	exit_stats_read(a);
	run_vm(vcpus, 0, 0, 0, 0, 0, SPREAD_PORTS * per_port);
	exit_stats_read(b);
	read_io(&d);
	for (int i = 0; i < d.nr; i++)
		CHECK(d.r[i].count == (uint64_t)per_port * vcpus, "by_io_port %s = %llu, expected %u",
		      d.r[i].key, (unsigned long long)d.r[i].count, per_port * vcpus);
	CHECK(d.nr + d.other / (per_port * vcpus) == SPREAD_PORTS &&
	      d.other % (per_port * vcpus) == 0,
	      "by_io_port: %d rows and other %llu for %d ports", d.nr,
	      (unsigned long long)d.other, SPREAD_PORTS);
	CHECK(d.other > 0 && d.nr <= 256, "by_io_port: %d rows, other %llu: the table did not fill",
	      d.nr, (unsigned long long)d.other);
	CHECK(d.sum == exit_stats_get(b, R_IO) - exit_stats_get(a, R_IO),
	      "full table: by_io_port sum %llu != I/O exits %llu", (unsigned long long)d.sum,
	      (unsigned long long)(exit_stats_get(b, R_IO) - exit_stats_get(a, R_IO)));
	diag("full table: %d port rows, other %llu", d.nr, (unsigned long long)d.other);

	/* Bad writes change nothing; "0" to one file resets all three. */
	CHECK(exit_stats_write("by_exception", "1", 1) == -EINVAL, "writing 1 is not EINVAL");
	CHECK(exit_stats_write("by_msr", "x", 1) == -EINVAL, "writing x is not EINVAL");
	read_io(&d);
	CHECK(d.other > 0, "a bad write reset by_io_port");
	KES_ASSERT(exit_stats_write("by_exception", "0", 1) == 0, "reset through by_exception");
	check_off_files("after a reset through by_exception");

	/* Off again: counted exits no longer reach the tables. */
	set_detail("N");
	run_vm(1, 10, 10, 10, 10, 10, 0);
	check_off_files("switched off");
	free(a);
	free(b);
}
