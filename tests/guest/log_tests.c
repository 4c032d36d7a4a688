// SPDX-License-Identifier: GPL-2.0
/*
 * The log summary: one line "kvm_exits: TOTAL exits (+NEW): NAME P.P%, ..."
 * once exit_log_interval exits have happened, at most one per
 * exit_log_period seconds, none with the interval at 0. Times come from the
 * kernel's own stamps on /dev/kmsg records, so a slow emulator cannot make
 * the test fail: the kernel's clock is the one the period is kept in.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "exitgen.h"
#include "log_tests.h"

#define LOG_PARAM	"/sys/module/kvm/parameters/exit_log_interval"
#define PERIOD_PARAM	"/sys/module/kvm/parameters/exit_log_period"

struct summary {
	unsigned long long usec;	/* the kernel's time stamp of the record */
	char text[512];			/* after "kvm_exits: " */
};

/* 0 if val was written to path, else the errno of the write. */
static int write_param(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), err = 0;

	KES_ASSERT(fd >= 0, "open %s", path);
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		err = errno ? errno : EIO;
	close(fd);
	return err;
}

/* The next "kvm_exits:" record within ms milliseconds: 1, or 0 if none. */
static int next_summary(int kmsg, int ms, struct summary *s)
{
	struct pollfd p = { .fd = kmsg, .events = POLLIN };
	char rec[1024];

	for (;;) {
		ssize_t n = read(kmsg, rec, sizeof(rec) - 1);
		char *msg;

		if (n < 0 && errno == EAGAIN) {
			if (poll(&p, 1, ms) <= 0)
				return 0;
			continue;
		}
		if (n < 0)
			continue;	/* EPIPE: overwritten records */
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg || strncmp(msg + 1, "kvm_exits: ", 11))
			continue;
		printf("# kmsg: %s", msg + 1);
		KES_ASSERT(sscanf(rec, "%*u,%*u,%llu", &s->usec) == 1, "kmsg record '%s'", rec);
		snprintf(s->text, sizeof(s->text), "%s", msg + 12);
		s->text[strcspn(s->text, "\n")] = '\0';
		return 1;
	}
}

/*
 * Check one summary: the counts, at least min_new new exits, and up to five
 * "NAME P.P%" shares in falling order that add up to at most 100%. Returns
 * the share (per mille) of reason want, -1 if it is not named.
 */
static int check_summary(const struct summary *s, unsigned long long min_new,
			 const char *want)
{
	unsigned long long total, new;
	int used = 0, shares = 0, prev = 1000, sum = 0, found = -1;
	const char *p;

	if (sscanf(s->text, "%llu exits (+%llu):%n", &total, &new, &used) != 2 || !used) {
		CHECK(0, "not a one-line summary: '%s'", s->text);
		return -1;
	}
	CHECK(new >= min_new && total >= new, "summary counts total %llu, new %llu (want >= %llu)",
	      total, new, min_new);
	for (p = s->text + used; *p; shares++) {
		char name[64];
		int whole, tenth, n = 0, pm;

		if (sscanf(p, " %63[^ ] %d.%d%%%n", name, &whole, &tenth, &n) != 3 || !n) {
			CHECK(0, "bad share at '%s'", p);
			return -1;
		}
		pm = whole * 10 + tenth;
		CHECK(pm <= prev && pm > 0, "share %d.%d%% of %s out of order", whole, tenth, name);
		prev = pm;
		sum += pm;
		if (!strcmp(name, want))
			found = pm;
		p += n;
		if (*p == ',')
			p++;
	}
	CHECK(shares >= 1 && shares <= 5, "%d reasons named, want 1 to 5", shares);
	CHECK(sum <= 1000, "shares add up to %d.%d%%", sum / 10, sum % 10);
	return found;
}

void test_log_interval(void)
{
	struct exitgen_result res;
	unsigned long long total = 0, new = 0;
	struct summary a, b, c;
	int kmsg, cpuid, io;

	CHECK(kes_read_u64(LOG_PARAM) == 10000, "default exit_log_interval is %llu",
	      (unsigned long long)kes_read_u64(LOG_PARAM));
	CHECK(kes_read_u64(PERIOD_PARAM) == 60, "default exit_log_period is %llu",
	      (unsigned long long)kes_read_u64(PERIOD_PARAM));
	CHECK(write_param(PERIOD_PARAM, "86401") == EINVAL,
	      "exit_log_period=86401 was not refused with EINVAL");
	CHECK(kes_read_u64(PERIOD_PARAM) == 60, "a refused period changed it");

	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	KES_ASSERT(kmsg >= 0, "open /dev/kmsg");
	lseek(kmsg, 0, SEEK_END);
	KES_ASSERT(!write_param(PERIOD_PARAM, "2"), "set exit_log_period");

	/*
	 * 300 CPUID and 300 OUT after a reset, the log off; then on: the
	 * summary comes at once and covers them all, about half each.
	 */
	KES_ASSERT(!write_param(LOG_PARAM, "0"), "set exit_log_interval");
	KES_ASSERT(!write_param("/sys/kernel/debug/kvm_exits/total", "0"), "reset");
	exitgen_run(1, 300, 300, &res);
	KES_ASSERT(!write_param(LOG_PARAM, "100"), "set exit_log_interval");
	KES_ASSERT(next_summary(kmsg, 20000, &a), "no summary within 20 s of 601 exits, interval 100");
	cpuid = check_summary(&a, 601, R_CPUID);
	io = check_summary(&a, 601, R_IO);
	CHECK(cpuid >= 450 && io >= 450, "CPUID %d and IO %d per mille of the new exits, want both >= 45%%",
	      cpuid, io);
	CHECK(sscanf(a.text, "%llu exits (+%llu)", &total, &new) == 2 && total == new,
	      "after a reset, total and new differ: '%s'", a.text);

	/* More exits at once: the next summary waits for the period. */
	exitgen_run(1, 300, 300, &res);
	KES_ASSERT(next_summary(kmsg, 20000, &b), "no second summary within 20 s");
	check_summary(&b, 100, R_CPUID);
	/* Jiffies granularity: the period is 2 s less at most one tick (4 ms at HZ=250). */
	CHECK(b.usec - a.usec >= 1990000, "two summaries %llu us apart with exit_log_period=2",
	      b.usec - a.usec);

	/* Off: exits, and no summary while the work would have looked twice. */
	KES_ASSERT(!write_param(LOG_PARAM, "0"), "set exit_log_interval");
	while (next_summary(kmsg, 0, &c))
		;
	exitgen_run(1, 300, 300, &res);
	CHECK(!next_summary(kmsg, 3000, &c), "a summary with exit_log_interval=0: '%s'", c.text);

	write_param(LOG_PARAM, "10000");
	write_param(PERIOD_PARAM, "60");
	close(kmsg);
}
