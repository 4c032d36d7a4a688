/* SPDX-License-Identifier: GPL-2.0 */
/* Read and reset /sys/kernel/debug/kvm_exits/ (the patch's files). */
#ifndef KES_EXIT_STATS_H
#define KES_EXIT_STATS_H

#include <stdint.h>

#define KES_STATS_DIR	"/sys/kernel/debug/kvm_exits"
#define KES_MAX_REASONS	512

struct exit_stats {
	int nr;
	struct {
		char code[16];
		char name[48];
		uint64_t count;
	} r[KES_MAX_REASONS];
	uint64_t sum;		/* of all by_reason lines */
};

/* Handling time by reason: kvm_exits/time_by_reason, a VM's exit_times. */
struct exit_times {
	int nr;
	struct {
		char code[16];
		char name[48];
		uint64_t count, total_ns, max_ns;
	} r[KES_MAX_REASONS];
};

int exit_stats_available(void);
/* Parse by_reason; asserts on any malformed line. */
void exit_stats_read(struct exit_stats *s);
/* Parse a file in by_reason's format (a VM's or vCPU's exit_reasons). */
void exit_stats_read_file(const char *path, struct exit_stats *s);
/* Parse a file in time_by_reason's format. */
void exit_times_read_file(const char *path, struct exit_times *t);
uint64_t exit_stats_total(void);
/* Count of the reason called name (0 if absent from the table). */
uint64_t exit_stats_get(const struct exit_stats *s, const char *name);
/* Write buf to a file of the directory; returns 0 or -errno. */
int exit_stats_write(const char *file, const char *buf, unsigned long len);
/* Write buf to the file at path; returns 0 or -errno. */
int kes_write_file(const char *path, const char *buf, unsigned long len);

#endif
