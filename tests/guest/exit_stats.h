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

int exit_stats_available(void);
/* Parse by_reason; asserts on any malformed line. */
void exit_stats_read(struct exit_stats *s);
uint64_t exit_stats_total(void);
/* Count of the reason called name (0 if absent from the table). */
uint64_t exit_stats_get(const struct exit_stats *s, const char *name);
/* Write buf to a file of the directory; returns 0 or -errno. */
int exit_stats_write(const char *file, const char *buf, unsigned long len);

#endif
