// SPDX-License-Identifier: GPL-2.0
/*
 * The per-VM files: /sys/kernel/debug/kvm/<pid>-<fd>/exit_reasons and
 * exit_times, the same in each vcpuN/, and kvm_exits/time_by_reason.
 */
#include "per_vm_tests.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "exit_stats.h"
#include "exitgen.h"

#define PARAM_DIR	"/sys/module/kvm/parameters/"
#define PER_VM_PARAM	PARAM_DIR "exit_stats_per_vm"
#define TIME_PARAM	PARAM_DIR "exit_stats_time"
#define VCPU_CACHE	"kvm_exit_stats_vcpu"
#define TIME_CACHE	"kvm_exit_stats_time"

static void set_param(const char *path, const char *val)
{
	KES_ASSERT(kes_write_file(path, val, strlen(val)) == 0, "write %s to %s", val, path);
}

/* path of FILE in the VM's directory, or in its vcpuN/ if vcpu >= 0. */
static const char *vm_file(struct kes_vm *vm, int vcpu, const char *file)
{
	static char path[4][200];
	static int next;
	char *p = path[next++ % 4];

	if (vcpu < 0)
		snprintf(p, sizeof(path[0]), "%s/%s", kes_vm_debugfs_dir(vm), file);
	else
		snprintf(p, sizeof(path[0]), "%s/vcpu%d/%s", kes_vm_debugfs_dir(vm), vcpu, file);
	return p;
}

/* Objects (in use or not) and object size of a slab cache, from /proc/slabinfo. */
static void slab_objects(const char *cache, unsigned long *objs, unsigned long *objsize)
{
	char line[512], name[64];
	unsigned long active, num, size;
	FILE *f = fopen("/proc/slabinfo", "re");

	KES_ASSERT(f, "open /proc/slabinfo (CONFIG_SLUB_DEBUG)");
	*objs = *objsize = 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lu %lu %lu", name, &active, &num, &size) == 4 &&
		    !strcmp(name, cache)) {
			*objs = num;
			*objsize = size;
			fclose(f);
			return;
		}
	fclose(f);
	KES_ASSERT(0, "no %s line in /proc/slabinfo (is the guest booted with slab_nomerge?)",
		   cache);
}

/*
 * exit_stats_per_vm=N (the default) allocates nothing per vCPU and creates
 * no files; =Y allocates one object per vCPU.  Run first in a boot: the
 * cache must not have had a slab yet for "nothing" to be exact.
 */
void test_per_vm_memory(void)
{
	unsigned long objs0, objs1, objs2, size;
	struct exitgen_result res = { 0 };
	struct kes_vm *vm;

	set_param(PER_VM_PARAM, "N");
	slab_objects(VCPU_CACHE, &objs0, &size);
	diag("%s: %lu objects of %lu bytes before", VCPU_CACHE, objs0, size);
	CHECK(objs0 == 0, "the cache has %lu objects before any per-VM VM ran", objs0);

	vm = exitgen_vm_create(4);
	exitgen_vm_round(vm, 10, 10, &res);
	slab_objects(VCPU_CACHE, &objs1, &size);
	CHECK(objs1 == objs0, "per-VM stats off: %lu objects, %lu before", objs1, objs0);
	CHECK(access(vm_file(vm, -1, "exit_reasons"), F_OK) && errno == ENOENT,
	      "per-VM stats off, yet %s exists", vm_file(vm, -1, "exit_reasons"));
	CHECK(access(vm_file(vm, 0, "exit_reasons"), F_OK) && errno == ENOENT,
	      "per-VM stats off, yet %s exists", vm_file(vm, 0, "exit_reasons"));
	kes_vm_free(vm);

	set_param(PER_VM_PARAM, "Y");
	vm = exitgen_vm_create(4);
	exitgen_vm_round(vm, 10, 10, &res);
	slab_objects(VCPU_CACHE, &objs2, &size);
	diag("%s: %lu objects of %lu bytes with a 4-vCPU per-VM VM", VCPU_CACHE, objs2, size);
	CHECK(objs2 >= 4, "per-VM stats on: %lu objects for 4 vCPUs", objs2);
	CHECK(access(vm_file(vm, 3, "exit_reasons"), R_OK) == 0, "no %s",
	      vm_file(vm, 3, "exit_reasons"));
	kes_vm_free(vm);
	set_param(PER_VM_PARAM, "N");
}

struct vm_job {
	struct kes_vm *vm;
	uint32_t cpuid, io;
	struct exitgen_result res;
};

static void *vm_job_run(void *arg)
{
	struct vm_job *j = arg;

	exitgen_vm_round(j->vm, j->cpuid, j->io, &j->res);
	return NULL;
}

static uint64_t count_of(const struct exit_stats *s, const char *name)
{
	return exit_stats_get(s, name);
}

/* Every line of a equals the sum of the same lines of b and c (c may be NULL). */
static void check_sum(const char *what, const struct exit_stats *a, const struct exit_stats *b,
		      const struct exit_stats *c)
{
	int i;

	CHECK(a->nr == b->nr && (!c || c->nr == a->nr), "%s: files differ in lines", what);
	for (i = 0; i < a->nr && i < b->nr && (!c || i < c->nr); i++)
		CHECK(a->r[i].count == b->r[i].count + (c ? c->r[i].count : 0),
		      "%s: %s %llu != %llu + %llu", what, a->r[i].name,
		      (unsigned long long)a->r[i].count, (unsigned long long)b->r[i].count,
		      (unsigned long long)(c ? c->r[i].count : 0));
}

static void check_zero(const char *what, const struct exit_stats *s)
{
	CHECK(s->sum == 0, "%s: %llu exits after its reset", what, (unsigned long long)s->sum);
}

/*
 * Two VMs at once, one CPUID-only with 1 vCPU and one I/O-only with 2: each
 * VM's exit_reasons holds exactly its own exits, the two add up to the
 * global delta, the vCPU files add up to their VM's; resets of a vCPU, of a
 * VM and of the global counters touch only what they name.
 */
void test_per_vm(void)
{
	static struct exit_stats g0, g1, a, b, b0, b1, gd, t;
	struct vm_job ja = { .cpuid = 300, .io = 0 }, jb = { .cpuid = 0, .io = 200 };
	pthread_t ta, tb;
	int i;

	set_param(PER_VM_PARAM, "Y");
	ja.vm = exitgen_vm_create(1);
	jb.vm = exitgen_vm_create(2);
	set_param(PER_VM_PARAM, "N");	/* fixed at VM creation: changes nothing now */

	exit_stats_read(&g0);
	KES_ASSERT(pthread_create(&ta, NULL, vm_job_run, &ja) == 0, "pthread_create");
	KES_ASSERT(pthread_create(&tb, NULL, vm_job_run, &jb) == 0, "pthread_create");
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	exit_stats_read(&g1);
	exit_stats_read_file(vm_file(ja.vm, -1, "exit_reasons"), &a);
	exit_stats_read_file(vm_file(jb.vm, -1, "exit_reasons"), &b);
	exit_stats_read_file(vm_file(jb.vm, 0, "exit_reasons"), &b0);
	exit_stats_read_file(vm_file(jb.vm, 1, "exit_reasons"), &b1);

	diag("VM A (1 vCPU, 300 CPUID): %llu exits, KVM says %llu; VM B (2 vCPUs, 2x200 OUT): %llu, KVM says %llu",
	     (unsigned long long)a.sum, (unsigned long long)kes_vm_kvm_exits(ja.vm),
	     (unsigned long long)b.sum, (unsigned long long)kes_vm_kvm_exits(jb.vm));
	CHECK(count_of(&a, R_CPUID) == 300 && count_of(&a, R_IO) == 0 && count_of(&a, R_HLT) == 1,
	      "VM A: %llu CPUID, %llu I/O, %llu HLT; expected 300, 0, 1",
	      (unsigned long long)count_of(&a, R_CPUID), (unsigned long long)count_of(&a, R_IO),
	      (unsigned long long)count_of(&a, R_HLT));
	CHECK(count_of(&b, R_CPUID) == 0 && count_of(&b, R_IO) == 400 && count_of(&b, R_HLT) == 2,
	      "VM B: %llu CPUID, %llu I/O, %llu HLT; expected 0, 400, 2",
	      (unsigned long long)count_of(&b, R_CPUID), (unsigned long long)count_of(&b, R_IO),
	      (unsigned long long)count_of(&b, R_HLT));
	CHECK(count_of(&b0, R_IO) == 200 && count_of(&b1, R_IO) == 200,
	      "VM B vCPUs: %llu and %llu I/O, expected 200 each",
	      (unsigned long long)count_of(&b0, R_IO), (unsigned long long)count_of(&b1, R_IO));
	CHECK(a.sum == kes_vm_kvm_exits(ja.vm), "VM A: %llu != KVM's exits %llu",
	      (unsigned long long)a.sum, (unsigned long long)kes_vm_kvm_exits(ja.vm));
	CHECK(b.sum == kes_vm_kvm_exits(jb.vm), "VM B: %llu != KVM's exits %llu",
	      (unsigned long long)b.sum, (unsigned long long)kes_vm_kvm_exits(jb.vm));

	gd = g1;
	for (i = 0; i < gd.nr && i < g0.nr; i++)
		gd.r[i].count -= g0.r[i].count;
	check_sum("global delta = VM A + VM B", &gd, &a, &b);
	check_sum("VM B = vcpu0 + vcpu1", &b, &b0, &b1);

	/* A global reset leaves the per-VM counters alone. */
	CHECK(exit_stats_write("total", "0", 1) == 0, "global reset");
	exit_stats_read_file(vm_file(ja.vm, -1, "exit_reasons"), &t);
	check_sum("VM A after a global reset", &t, &a, NULL);

	/* Bad writes fail and change nothing. */
	CHECK(kes_write_file(vm_file(ja.vm, -1, "exit_reasons"), "1", 1) == -EINVAL,
	      "writing 1 to a VM's exit_reasons");
	CHECK(kes_write_file(vm_file(jb.vm, 0, "exit_reasons"), "x", 1) == -EINVAL,
	      "writing x to a vCPU's exit_reasons");
	exit_stats_read_file(vm_file(jb.vm, -1, "exit_reasons"), &t);
	check_sum("VM B after bad writes", &t, &b, NULL);

	/* Resetting vcpu1 zeroes it alone; VM B is then vcpu0. */
	CHECK(kes_write_file(vm_file(jb.vm, 1, "exit_reasons"), "0\n", 2) == 0, "reset vcpu1");
	exit_stats_read_file(vm_file(jb.vm, 1, "exit_reasons"), &t);
	check_zero("vcpu1", &t);
	exit_stats_read_file(vm_file(jb.vm, -1, "exit_reasons"), &t);
	check_sum("VM B after resetting vcpu1", &t, &b0, NULL);

	/* Resetting VM B zeroes it and its vCPUs, not VM A. */
	CHECK(kes_write_file(vm_file(jb.vm, -1, "exit_reasons"), "0", 1) == 0, "reset VM B");
	exit_stats_read_file(vm_file(jb.vm, -1, "exit_reasons"), &t);
	check_zero("VM B", &t);
	exit_stats_read_file(vm_file(jb.vm, 0, "exit_reasons"), &t);
	check_zero("VM B vcpu0", &t);
	exit_stats_read_file(vm_file(ja.vm, -1, "exit_reasons"), &t);
	check_sum("VM A after resetting VM B", &t, &a, NULL);

	/* The vCPUs count exactly again after the reset. */
	memset(&jb.res, 0, sizeof(jb.res));
	jb.cpuid = 7;
	jb.io = 5;
	vm_job_run(&jb);
	exit_stats_read_file(vm_file(jb.vm, -1, "exit_reasons"), &t);
	CHECK(count_of(&t, R_CPUID) == 14 && count_of(&t, R_IO) == 10,
	      "VM B after its reset and 2x(7 CPUID + 5 OUT): %llu CPUID, %llu I/O",
	      (unsigned long long)count_of(&t, R_CPUID), (unsigned long long)count_of(&t, R_IO));

	kes_vm_free(ja.vm);
	kes_vm_free(jb.vm);
}

static uint64_t times_sum_ns(const struct exit_times *t)
{
	uint64_t ns = 0;
	int i;

	for (i = 0; i < t->nr; i++)
		ns += t->r[i].total_ns;
	return ns;
}

static void check_times_equal(const char *what, const struct exit_times *a,
			      const struct exit_times *b)
{
	int i;

	CHECK(a->nr == b->nr, "%s: files differ in lines", what);
	for (i = 0; i < a->nr && i < b->nr; i++)
		CHECK(a->r[i].count == b->r[i].count && a->r[i].total_ns == b->r[i].total_ns &&
		      a->r[i].max_ns == b->r[i].max_ns,
		      "%s: %s %llu/%llu/%llu != %llu/%llu/%llu", what, a->r[i].name,
		      (unsigned long long)a->r[i].count, (unsigned long long)a->r[i].total_ns,
		      (unsigned long long)a->r[i].max_ns, (unsigned long long)b->r[i].count,
		      (unsigned long long)b->r[i].total_ns, (unsigned long long)b->r[i].max_ns);
}

/*
 * Handling time, exit to next entry: every exit the vCPU came back from is
 * timed (all but the final HLT, after which the VM is closed), a reason
 * that never occurred has no time, max <= total, and the sum is less than
 * the wall time of the run.  The global file (reset before the run) sees
 * exactly the same as the only timed VM.
 */
#define HIST_BUCKETS	24

/*
 * A time_hist-format file against the time_by_reason-format file read into
 * t at the same moment: the header's bucket edges, each line's buckets add
 * up to its reason's timed exits and min <= average <= max, the "other"
 * line holds the rest, and the buckets of all lines add up to all timed
 * exits. Returns the number of lines with buckets.
 */
static int check_hist(const char *what, const char *path, const struct exit_times *t)
{
	char line[1024], header[512] = "# code name min_ns";
	uint64_t all = 0, listed = 0, timed = 0;
	int lineno = 0, lines = 0, other = 0;
	FILE *f = fopen(path, "re");

	KES_ASSERT(f, "open %s", path);
	for (int b = 0; b + 1 < HIST_BUCKETS; b++)
		snprintf(header + strlen(header), sizeof(header) - strlen(header), " %llu",
			 1ULL << (8 + b));
	strcat(header, " +Inf\n");
	for (int i = 0; i < t->nr; i++)
		timed += t->r[i].count;
	while (fgets(line, sizeof(line), f)) {
		char code[16], name[48];
		unsigned long long min, n, sum = 0;
		int off, j;

		if (lineno++ == 0) {
			CHECK(!strcmp(line, header), "%s: header %s", what, line);
			continue;
		}
		KES_ASSERT(sscanf(line, "%15s %47s %llu%n", code, name, &min, &off) == 3,
			   "%s: bad line %s", what, line);
		for (int b = 0; b < HIST_BUCKETS; b++) {
			KES_ASSERT(sscanf(line + off, " %llu%n", &n, &j) == 1, "%s: %s: %d buckets",
				   what, name, b);
			off += j;
			sum += n;
		}
		all += sum;
		lines++;
		if (!strcmp(name, "other")) {
			other = 1;
			CHECK(sum == timed - listed, "%s: other has %llu, expected %llu", what, sum,
			      (unsigned long long)(timed - listed));
			continue;
		}
		for (int i = 0; i < t->nr; i++) {
			uint64_t c = t->r[i].count;

			if (strcmp(t->r[i].code, code))
				continue;
			listed += c;
			CHECK(sum == c, "%s: %s buckets add up to %llu, timed %llu", what, name, sum,
			      (unsigned long long)c);
			CHECK(c && min <= t->r[i].total_ns / c && t->r[i].total_ns / c <= t->r[i].max_ns,
			      "%s: %s min %llu, avg %llu, max %llu", what, name, min,
			      (unsigned long long)(c ? t->r[i].total_ns / c : 0),
			      (unsigned long long)t->r[i].max_ns);
			if (c)
				diag("%s: %s min %llu ns, avg %llu, max %llu, %llu exits in buckets",
				     what, name, min, (unsigned long long)(t->r[i].total_ns / c),
				     (unsigned long long)t->r[i].max_ns, sum);
		}
	}
	fclose(f);
	CHECK(other, "%s: no other line", what);
	CHECK(all == timed, "%s: buckets add up to %llu, timed %llu", what,
	      (unsigned long long)all, (unsigned long long)timed);
	return lines - other;
}

void test_time_stats(void)
{
	static struct exit_stats c;
	static struct exit_times vt, v0, g;
	struct exitgen_result res = { 0 };
	unsigned long objs, size;
	uint64_t timed = 0;
	struct kes_vm *vm;
	int i;

	set_param(PER_VM_PARAM, "Y");
	set_param(TIME_PARAM, "N");
	vm = exitgen_vm_create(1);
	CHECK(access(vm_file(vm, -1, "exit_times"), F_OK) && errno == ENOENT,
	      "time stats off, yet %s exists", vm_file(vm, -1, "exit_times"));
	kes_vm_free(vm);

	set_param(TIME_PARAM, "Y");
	vm = exitgen_vm_create(1);
	set_param(TIME_PARAM, "N");
	slab_objects(TIME_CACHE, &objs, &size);
	diag("%s: %lu objects of %lu bytes with a timed 1-vCPU per-VM VM", TIME_CACHE,
	     objs, size);
	CHECK(objs >= 1, "no %s object for a timed per-VM vCPU", TIME_CACHE);
	set_param(PER_VM_PARAM, "N");
	CHECK(exit_stats_write("time_by_reason", "0", 1) == 0, "reset time_by_reason");
	exitgen_vm_round(vm, 500, 500, &res);

	exit_stats_read_file(vm_file(vm, -1, "exit_reasons"), &c);
	exit_times_read_file(vm_file(vm, -1, "exit_times"), &vt);
	exit_times_read_file(vm_file(vm, 0, "exit_times"), &v0);
	exit_times_read_file(KES_STATS_DIR "/time_by_reason", &g);
	KES_ASSERT(c.nr == vt.nr, "exit_reasons and exit_times differ in lines");

	for (i = 0; i < c.nr; i++) {
		const char *name = vt.r[i].name;
		uint64_t n = vt.r[i].count, ns = vt.r[i].total_ns, max = vt.r[i].max_ns;

		CHECK(!strcmp(c.r[i].name, name), "line %d: %s vs %s", i, c.r[i].name, name);
		if (n)
			diag("%s: %llu exits, %llu timed, total %llu ns, max %llu ns, avg %llu ns",
			     name, (unsigned long long)c.r[i].count, (unsigned long long)n,
			     (unsigned long long)ns, (unsigned long long)max,
			     (unsigned long long)(ns / n));
		timed += n;
		CHECK(n <= c.r[i].count, "%s: %llu timed of %llu exits", name,
		      (unsigned long long)n, (unsigned long long)c.r[i].count);
		CHECK(max <= ns, "%s: max %llu > total %llu", name, (unsigned long long)max,
		      (unsigned long long)ns);
		CHECK(n || (!ns && !max), "%s: no timed exit, yet %llu ns", name,
		      (unsigned long long)ns);
		if (!strcmp(name, R_CPUID) || !strcmp(name, R_IO))
			CHECK(n == 500 && max > 0, "%s: %llu timed, max %llu ns; expected 500, > 0",
			      name, (unsigned long long)n, (unsigned long long)max);
		if (!strcmp(name, R_HLT))
			CHECK(n == 0, "%s: %llu timed; the final HLT is never re-entered", name,
			      (unsigned long long)n);
	}
	CHECK(timed == c.sum - 1, "%llu exits timed of %llu; expected all but the final HLT",
	      (unsigned long long)timed, (unsigned long long)c.sum);
	diag("handling time %llu ns of a %llu ns run", (unsigned long long)times_sum_ns(&vt),
	     (unsigned long long)res.run_ns);
	CHECK(times_sum_ns(&vt) < res.run_ns, "handling time %llu ns >= wall time %llu ns",
	      (unsigned long long)times_sum_ns(&vt), (unsigned long long)res.run_ns);
	check_times_equal("vcpu0 = VM", &v0, &vt);
	check_times_equal("global = the only timed VM", &g, &vt);
	CHECK(check_hist("VM exit_time_hist", vm_file(vm, -1, "exit_time_hist"), &vt) >= 2,
	      "VM exit_time_hist: fewer than 2 reasons");
	check_hist("vcpu0 exit_time_hist", vm_file(vm, 0, "exit_time_hist"), &v0);
	check_hist("global time_hist", KES_STATS_DIR "/time_hist", &g);

	CHECK(kes_write_file(vm_file(vm, -1, "exit_times"), "0", 1) == 0, "reset exit_times");
	exit_times_read_file(vm_file(vm, -1, "exit_times"), &vt);
	CHECK(times_sum_ns(&vt) == 0, "%llu ns after the VM's reset",
	      (unsigned long long)times_sum_ns(&vt));
	exit_stats_read_file(vm_file(vm, -1, "exit_reasons"), &c);
	CHECK(c.sum == 0, "%llu exits after the VM's reset", (unsigned long long)c.sum);
	kes_vm_free(vm);
}
