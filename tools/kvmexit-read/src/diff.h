/* SPDX-License-Identifier: GPL-2.0 */
/* Per-reason deltas between two snapshots. */
#ifndef KX_DIFF_H
#define KX_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "snapshot.h"

/* Why two snapshots cannot be compared; --force compares them anyway. */
enum kx_problem {
	KX_P_VENDOR = 1 << 0,	/* vmx vs svm */
	KX_P_KERNEL = 1 << 1,	/* different kernel releases */
	KX_P_BOOT = 1 << 2,	/* different or unknown boot ids */
	KX_P_ORDER = 1 << 3,	/* B taken before A */
	KX_P_TABLE = 1 << 4,	/* different reason tables */
	KX_P_DECREASE = 1 << 5, /* a counter went down: reset in between */
};
#define KX_P_COUNT 6

struct kx_delta {
	uint64_t code;
	uint64_t delta;
	unsigned is_other;
	unsigned reset; /* counter went down: delta is B's value */
	char name[KX_NAME_MAX];
};

struct kx_diff {
	const struct kx_snapshot *a, *b;
	double seconds;	   /* length of the interval */
	int seconds_valid; /* 0: unknown (clock went backwards) */
	int wall_clock;	   /* 1: seconds from wall_time (different boots) */
	uint64_t total;	   /* sum of the deltas */
	unsigned problems; /* enum kx_problem bits found (all forced) */
	size_t only_in_a;  /* reasons of A not in B, ignored (forced) */
	size_t n;	   /* B's reasons, in B's order */
	struct kx_delta d[KX_MAX_REASONS];
};

/* Compares a (older) and b (newer); name_a/name_b are used in messages.
 * Reasons are matched by code and name. Without force, any problem fails
 * with KX_EXIT_REFUSED and a message listing them; with force the deltas
 * are computed anyway (a counter that went down counts as reset: delta =
 * its value in b) and d->problems says what was forced. */
int kx_diff(const struct kx_snapshot *a, const struct kx_snapshot *b,
	    const char *name_a, const char *name_b, int force,
	    struct kx_diff *d, struct kx_err *e);

/* Short stable name of a problem bit ("vendor", "kernel", "boot_id",
 * "order", "reason_table", "counter_decrease"), for JSON. */
const char *kx_problem_key(unsigned bit);

/* Appends one line per problem, "PREFIX<problem>\n", or with actions
 * "PREFIX<problem>: <what --force did>\n". */
struct kx_buf;
void kx_diff_describe(const struct kx_diff *d, const char *prefix,
		      int actions, struct kx_buf *b);

/* Fills idx with the indexes of the non-zero deltas,
 * largest delta first (ties in table order); returns how many. */
size_t kx_diff_sorted(const struct kx_diff *d, size_t *idx);

/* exits per second over the interval; 0 if it is unknown or empty */
int kx_diff_rate(const struct kx_diff *d, uint64_t count, double *rate);

#endif
