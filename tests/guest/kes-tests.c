// SPDX-License-Identifier: GPL-2.0
/*
 * kes-tests: the tests that run inside the emulated host, against the real
 * kvm_intel / kvm_amd. Each test runs in a child process (an assertion ends
 * only that test) and reports one TAP line. Usage: kes-tests [TEST...|all]
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "detail_tests.h"
#include "exit_stats.h"
#include "exitgen.h"
#include "log_tests.h"
#include "per_vm_tests.h"

#define N_EXITS		1000

/* Issue 2: KVM's own statistics see at least the exits the guest caused. */
static void test_kvm_exits_rise(void)
{
	int vcpus;

	for (vcpus = 1; vcpus <= 2; vcpus++) {
		struct kes_vm *vm = exitgen_vm_create(vcpus);
		struct exitgen_result res = { 0 };
		uint64_t before = kes_read_u64("/sys/kernel/debug/kvm/exits");
		uint64_t vm_exits, after, caused;

		exitgen_vm_round(vm, N_EXITS, N_EXITS, &res);
		vm_exits = kes_vm_kvm_exits(vm);
		after = kes_read_u64("/sys/kernel/debug/kvm/exits");
		caused = res.cpuid + res.io + res.hlt;
		diag("vcpus=%d cpuid=%llu io=%llu hlt=%llu kvm per-VM exits=%llu", vcpus,
		     (unsigned long long)res.cpuid, (unsigned long long)res.io,
		     (unsigned long long)res.hlt, (unsigned long long)vm_exits);
		CHECK(res.hlt == (uint64_t)vcpus, "%llu HLT exits", (unsigned long long)res.hlt);
		CHECK(vm_exits >= caused, "per-VM exits %llu < %llu caused",
		      (unsigned long long)vm_exits, (unsigned long long)caused);
		CHECK(after - before >= caused, "aggregate exits rose by %llu < %llu",
		      (unsigned long long)(after - before), (unsigned long long)caused);
		kes_vm_free(vm);
	}
}

/* The generator's exits appear exactly in by_reason, total = KVM's exits. */
static void run_exact(int vcpus, uint32_t n)
{
	struct exit_stats *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
	struct kes_vm *vm = exitgen_vm_create(vcpus);
	struct exitgen_result res = { 0 };
	uint64_t t0, t1, vm_exits;

	KES_ASSERT(a && b, "out of memory");
	t0 = exit_stats_total();
	exit_stats_read(a);
	exitgen_vm_round(vm, n, n, &res);
	vm_exits = kes_vm_kvm_exits(vm);
	exit_stats_read(b);
	t1 = exit_stats_total();
	kes_vm_free(vm);

	diag("vendor=%s vcpus=%d n=%u total delta=%llu kvm exits=%llu", vendor(), vcpus, n,
	     (unsigned long long)(t1 - t0), (unsigned long long)vm_exits);
	check_generator_delta(a, b, (uint64_t)n * vcpus, (uint64_t)n * vcpus, vcpus);
	CHECK(t1 - t0 == vm_exits, "total delta %llu != KVM exits %llu",
	      (unsigned long long)(t1 - t0), (unsigned long long)vm_exits);
	CHECK(b->sum - a->sum == vm_exits, "by_reason sum delta %llu != KVM exits %llu",
	      (unsigned long long)(b->sum - a->sum), (unsigned long long)vm_exits);
	CHECK(t1 == b->sum, "total %llu != sum of by_reason %llu",
	      (unsigned long long)t1, (unsigned long long)b->sum);
	free(a);
	free(b);
}

static void test_counts_exact(void)
{
	run_exact(1, N_EXITS);
}

static void test_counts_smp(void)
{
	run_exact(2, 2 * N_EXITS);
}

static void expect_all_zero(const char *after)
{
	struct exit_stats s;
	int i;

	exit_stats_read(&s);
	CHECK(exit_stats_total() == 0, "total %llu after %s",
	      (unsigned long long)exit_stats_total(), after);
	for (i = 0; i < s.nr; i++)
		CHECK(s.r[i].count == 0, "%s = %llu after %s", s.r[i].name,
		      (unsigned long long)s.r[i].count, after);
}

static void test_reset(void)
{
	struct exitgen_result res;

	exitgen_run(1, 10, 10, &res);
	CHECK(exit_stats_total() >= 21, "total %llu before reset",
	      (unsigned long long)exit_stats_total());
	CHECK(exit_stats_write("total", "0\n", 2) == 0, "write '0\\n' to total");
	expect_all_zero("writing 0 to total");
	exitgen_run(1, 10, 10, &res);
	CHECK(exit_stats_write("by_reason", "0", 1) == 0, "write '0' to by_reason");
	expect_all_zero("writing 0 to by_reason");
}

/* Any value above this is a wrapped-around (negative) or torn count. */
#define RACE_BOUND	1000000

static volatile int race_stop;
static uint64_t race_resets, race_max;

static void *reset_reader(void *unused)
{
	static struct exit_stats s;
	int i;

	(void)unused;
	while (!race_stop) {
		KES_ASSERT(exit_stats_write("total", "0", 1) == 0, "reset");
		race_resets++;
		exit_stats_read(&s);
		for (i = 0; i < s.nr; i++)
			if (s.r[i].count > race_max)
				race_max = s.r[i].count;
		if (exit_stats_total() > race_max)
			race_max = exit_stats_total();
		/* Leave the vCPUs CPU time: a reset storm is not the point. */
		nanosleep(&(struct timespec){ .tv_nsec = 200000 }, NULL);
	}
	return NULL;
}

/* Resets while two vCPUs exit: values stay sane, and a quiet reset is exact. */
static void test_reset_race(void)
{
	struct kes_vm *vm = exitgen_vm_create(2);
	struct exitgen_result res = { 0 };
	pthread_t t;

	KES_ASSERT(pthread_create(&t, NULL, reset_reader, NULL) == 0, "pthread_create");
	exitgen_vm_round(vm, 5000, 5000, &res);
	race_stop = 1;
	pthread_join(t, NULL);
	kes_vm_free(vm);
	diag("%llu resets during the run, largest value read %llu",
	     (unsigned long long)race_resets, (unsigned long long)race_max);
	CHECK(race_resets > 0, "no reset ran during the VM run");
	CHECK(race_max < RACE_BOUND, "read %llu: negative or torn",
	      (unsigned long long)race_max);
	CHECK(exit_stats_write("total", "0", 1) == 0, "final reset");
	expect_all_zero("a reset with no VM running");
}

static void test_bad_writes(void)
{
	static char junk[4096];
	static const char *const files[] = { "total", "by_reason" };
	struct { const char *what; const char *buf; unsigned long len; } bad[] = {
		{ "1", "1", 1 }, { "abc", "abc", 3 }, { "empty", "", 0 },
		{ "-0", "-0", 2 }, { "0 junk", "0 x", 3 }, { "4 KiB junk", junk, sizeof(junk) },
	};
	struct exitgen_result res;
	struct exit_stats a, b;
	unsigned int f, i;
	uint64_t t0;

	memset(junk, 'x', sizeof(junk));
	exitgen_run(1, 5, 5, &res);	/* so that a reset would show */
	t0 = exit_stats_total();
	exit_stats_read(&a);
	for (f = 0; f < 2; f++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			int err = exit_stats_write(files[f], bad[i].buf, bad[i].len);

			CHECK(err == -EINVAL, "writing %s to %s: %d, expected -EINVAL",
			      bad[i].what, files[f], err);
		}
	}
	exit_stats_read(&b);
	CHECK(exit_stats_total() == t0 && t0 > 0, "total changed by bad writes: %llu -> %llu",
	      (unsigned long long)t0, (unsigned long long)exit_stats_total());
	CHECK(!memcmp(&a, &b, sizeof(a)), "by_reason changed by bad writes");
}

/* KUnit's results for our suite, from its debugfs file. */
static void test_kunit(void)
{
	char line[512];
	int cases = 0, failed = 0;
	FILE *f = fopen("/sys/kernel/debug/kunit/kvm_exit_stats/results", "re");

	KES_ASSERT(f, "KUnit suite kvm_exit_stats has no results");
	while (fgets(line, sizeof(line), f)) {
		char *s = line + strspn(line, " \t");

		printf("# kunit: %s", line);
		if (s == line)
			continue;	/* the suite's own line */
		if (!strncmp(s, "ok ", 3))
			cases++;
		else if (!strncmp(s, "not ok ", 7))
			cases++, failed++;
	}
	fclose(f);
	CHECK(cases > 0, "no KUnit cases ran");
	CHECK(failed == 0, "%d of %d KUnit cases failed", failed, cases);
}

/* No warnings from the kernel but the known ones of the emulated CPUs. */
static void test_dmesg_clean(void)
{
	static const char *const known[] = { "topology_common.c", "fpu/xstate.c" };
	int kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	char rec[1024];
	ssize_t n;

	KES_ASSERT(kmsg >= 0, "open /dev/kmsg");
	while ((n = read(kmsg, rec, sizeof(rec) - 1)) != 0) {
		unsigned int i, is_known = 0;
		char *msg;

		if (n < 0) {
			if (errno == EAGAIN)
				break;
			continue;
		}
		rec[n] = '\0';
		msg = strchr(rec, ';') ? strchr(rec, ';') + 1 : rec;
		if (!strstr(msg, "WARNING:") && !strstr(msg, "BUG:") &&
		    !strstr(msg, "Oops") && !strstr(msg, "UBSAN") && !strstr(msg, "leak"))
			continue;
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			is_known |= strstr(msg, known[i]) != NULL;
		if (is_known)
			diag("known: %.*s", (int)strcspn(msg, "\n"), msg);
		else
			CHECK(0, "kernel said: %.*s", (int)strcspn(msg, "\n"), msg);
	}
	close(kmsg);
}

struct test {
	const char *name;
	void (*fn)(void);
	int needs_patch;
};

static const struct test tests[] = {
	{ "kvm_exits_rise", test_kvm_exits_rise, 0 },
	{ "counts_exact", test_counts_exact, 1 },
	{ "counts_smp", test_counts_smp, 1 },
	{ "reset", test_reset, 1 },
	{ "reset_race", test_reset_race, 1 },
	{ "bad_writes", test_bad_writes, 1 },
	{ "log_interval", test_log_interval, 1 },
	{ "kunit", test_kunit, 1 },
	{ "per_vm_memory", test_per_vm_memory, 1 },
	{ "per_vm", test_per_vm, 1 },
	{ "time_stats", test_time_stats, 1 },
	{ "detail", test_detail, 1 },
	{ "userspace_exits", test_userspace_exits, 1 },
	{ "dmesg_clean", test_dmesg_clean, 0 },
};

#define NR_TESTS (sizeof(tests) / sizeof(tests[0]))

/* Seconds a test may take; the slowest (Bochs, 2 CPUs) takes about 20. */
#define TEST_TIMEOUT	300

static int run_one(const struct test *t, int num)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	KES_ASSERT(pid >= 0, "fork");
	if (pid == 0) {
		if (t->needs_patch && !exit_stats_available()) {
			printf("# %s: %s is missing: is the kernel patched?\n", t->name,
			       KES_STATS_DIR);
			exit(1);
		}
		alarm(TEST_TIMEOUT);	/* a hang fails this test, not the boot */
		t->fn();
		fflush(stdout);
		exit(check_failed);
	}
	KES_ASSERT(waitpid(pid, &status, 0) == pid, "waitpid");
	fflush(stderr);
	if (WIFSIGNALED(status))
		printf("# %s: killed by signal %d%s\n", t->name, WTERMSIG(status),
		       WTERMSIG(status) == SIGALRM ? " (no result within the time limit)" : "");
	printf("%sok %d - %s\n", WIFEXITED(status) && !WEXITSTATUS(status) ? "" : "not ",
	       num, t->name);
	fflush(stdout);
	return !(WIFEXITED(status) && !WEXITSTATUS(status));
}

int main(int argc, char **argv)
{
	const struct test *run[NR_TESTS * 4];
	int nr = 0, failed = 0, i;
	unsigned int j;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dup2(1, 2);	/* keep assertion messages in order with the TAP */
	for (i = 1; i < argc; i++) {
		int found = 0;

		for (j = 0; j < NR_TESTS; j++) {
			if (!strcmp(argv[i], "all") || !strcmp(argv[i], tests[j].name)) {
				if (nr < (int)(NR_TESTS * 4))
					run[nr++] = &tests[j];
				found = 1;
			}
		}
		if (!found) {
			fprintf(stderr, "kes-tests: unknown test '%s'\n", argv[i]);
			return 2;
		}
	}
	printf("1..%d\n", nr);
	for (i = 0; i < nr; i++)
		failed += run_one(run[i], i + 1);
	printf("# kes-tests: %d passed, %d failed\n", nr - failed, failed);
	return failed ? 1 : 0;
}
