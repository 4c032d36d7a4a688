// SPDX-License-Identifier: GPL-2.0
/* make bench: CPU time of reading and printing the counters.
 * Usage: bench BINARY DIR RUNS
 * 1. in process: RUNS*100 times kx_snapshot_take(DIR) + table/JSON/Prometheus
 *    rendering, CPU time from getrusage(RUSAGE_SELF);
 * 2. whole program: RUNS times fork+exec "BINARY --root DIR" (stdout to
 *    /dev/null), CPU time from getrusage(RUSAGE_CHILDREN).
 * Prints numbers only; nothing is asserted. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "output.h"
#include "snapshot.h"

static double tv(const struct timeval *t)
{
	return (double)t->tv_sec + (double)t->tv_usec / 1e6;
}

static double cpu(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return tv(&ru.ru_utime) + tv(&ru.ru_stime);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void in_process(const char *dir, long runs, int fmt)
{
	static const char *const names[] = { "table", "json", "prometheus" };
	static struct kx_snapshot s;
	double c0 = cpu(RUSAGE_SELF), w0 = now(), c, w;
	struct kx_source src;
	struct kx_buf b;
	struct kx_err e;
	size_t bytes = 0;
	long i;

	kx_source_all(&src, dir);
	kx_buf_init(&b);
	for (i = 0; i < runs; i++) {
		if (kx_snapshot_take(&src, 0, 0, &s, &e)) {
			fprintf(stderr, "bench: %s\n", e.msg);
			exit(1);
		}
		kx_buf_reset(&b);
		if (fmt == 0)
			kx_table_counters(&s.c, &b);
		else if (fmt == 1)
			kx_json_counters(&s, dir, &b);
		else
			kx_prom_counters(&s, &b);
		bytes += b.len;
	}
	c = cpu(RUSAGE_SELF) - c0;
	w = now() - w0;
	printf("in process, read + %-10s %7ld runs: %7.2f us CPU/run, "
	       "%7.2f us wall/run (%zu bytes/run)\n",
	       names[fmt], runs, c / (double)runs * 1e6,
	       w / (double)runs * 1e6, bytes / (size_t)runs);
	kx_buf_free(&b);
}

static void whole_program(const char *bin, const char *dir, long runs,
			  const char *extra)
{
	double c0 = cpu(RUSAGE_CHILDREN), w0 = now(), c, w;
	long i;

	for (i = 0; i < runs; i++) {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 1);
			execl(bin, bin, "--root", dir, extra, (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st)) {
			fprintf(stderr, "bench: %s failed\n", bin);
			exit(1);
		}
	}
	c = cpu(RUSAGE_CHILDREN) - c0;
	w = now() - w0;
	printf("process, %-21s %7ld runs: %7.1f us CPU/run, %7.1f us "
	       "wall/run (fork+exec included)\n",
	       extra ? extra : "table", runs, c / (double)runs * 1e6,
	       w / (double)runs * 1e6);
}

int main(int argc, char **argv)
{
	long runs;

	if (argc != 4 || (runs = atol(argv[3])) <= 0) {
		fprintf(stderr, "usage: bench BINARY DIR RUNS\n");
		return 2;
	}
	in_process(argv[2], runs * 100, 0);
	in_process(argv[2], runs * 100, 1);
	in_process(argv[2], runs * 100, 2);
	whole_program(argv[1], argv[2], runs, NULL);
	whole_program(argv[1], argv[2], runs, "--json");
	whole_program(argv[1], argv[2], runs, "--prometheus");
	return 0;
}
