/* SPDX-License-Identifier: GPL-2.0 */
/* Per-reason deltas between two snapshots. */
#ifndef KX_DIFF_H
#define KX_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "detail.h"
#include "err.h"
#include "hist.h"
#include "snapshot.h"
#include "user.h"

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
	unsigned is_new; /* not in A (different tables): delta is B's value */
	char name[KX_NAME_MAX];
	/* handling time, if the diff is timed: deltas of the count and the
	 * total (B's values if reset), and B's max (a maximum since the last
	 * reset cannot be diffed) */
	uint64_t tcount, tns, tmax;
};

struct kx_diff {
	const struct kx_snapshot *a, *b;
	const struct kx_counters *cb; /* B's counters diffed (b's or a vCPU's) */
	double seconds;	   /* length of the interval */
	int seconds_valid; /* 0: unknown (clock went backwards) */
	int wall_clock;	   /* 1: seconds from wall_time (different boots) */
	uint64_t total;	   /* sum of the deltas */
	unsigned problems; /* enum kx_problem bits found (all forced) */
	size_t only_in_a;  /* reasons of A not in B, ignored (forced) */
	size_t only_in_b;  /* reasons of B not in A, counted from 0 (forced) */
	size_t n;	   /* B's reasons, in B's order */
	int timed;	   /* both have handling times: tcount, tns, tmax */
	uint64_t tcount, tns, tmax; /* sums of the time deltas, B's max */
	struct kx_delta d[KX_MAX_REASONS];
	/* kx_diff_vcpus: one diff per vCPU of B (new ones count from 0) */
	size_t nvcpu;
	int *vcpu_id;
	int *vcpu_new; /* not in A: created in between */
	struct kx_diff *vcpu;
	/* kx_diff_detail: the deltas of the detail tables, NULL if none */
	struct kx_detail_diffs *det;
	/* the interval's histograms, if both sides have them (and times):
	 * a row per row of B, its buckets' deltas (B's buckets if its
	 * reason, or a bucket, went down: counted from the reset), B's min;
	 * reason is the index in d[] (B's table); "other" last. NULL if
	 * none; malloc'd */
	struct kx_hist *hist;
	/* kx_diff_user: the deltas of the userspace tables, NULL if none */
	struct kx_user_diff *user;
};

/* Compares a (older) and b (newer) into d (release d first if it holds
 * vCPU or detail deltas); name_a/name_b are used in messages.
 * Reasons are matched by code and name. Without force, any problem fails
 * with KX_EXIT_REFUSED and a message listing them; with force the deltas
 * are computed anyway (a counter that went down counts as reset: delta =
 * its value in b) and d->problems says what was forced. */
int kx_diff(const struct kx_snapshot *a, const struct kx_snapshot *b,
	    const char *name_a, const char *name_b, int force,
	    struct kx_diff *d, struct kx_err *e);

/* After kx_diff of two VM snapshots with vCPU sections: d->vcpu[i] for
 * each vCPU of B (matched by id; one not in A counts from 0). Problems of
 * the vCPU diffs are added to d->problems and refused unless force.
 * Without vCPU sections in both: KX_EXIT_REFUSED saying which lacks them.
 * Free with kx_diff_release. */
int kx_diff_vcpus(struct kx_diff *d, const char *name_a, const char *name_b,
		  int force, struct kx_err *e);
void kx_diff_release(struct kx_diff *d);

/* After kx_diff: the deltas of the detail tables of mask (KX_DETAIL_BIT()s)
 * in d->det, key by key; a key in only one side counts as 0 on the other.
 * A count that went down (a key of A missing from B included: the kernel
 * lists only keys counted since the last reset) is a KX_P_DECREASE problem,
 * refused unless force, and then counts as reset (delta = its value in B).
 * A table missing from a or b: KX_EXIT_REFUSED saying which. Free with
 * kx_diff_release. */
int kx_diff_detail(struct kx_diff *d, unsigned mask, const char *name_a,
		   const char *name_b, int force, struct kx_err *e);
/* After kx_diff (and kx_diff_vcpus): the deltas of the userspace tables
 * of d and of its vCPU diffs (a vCPU new in B counts from 0); a code in
 * only one side counts as 0 on the other. A count that went down (a code
 * of A missing from B included) is a KX_P_DECREASE problem, refused unless
 * force, and then counts as reset. A table missing from a side:
 * KX_EXIT_REFUSED saying which. Free with kx_diff_release. */
int kx_diff_user(struct kx_diff *d, const char *name_a, const char *name_b,
		 int force, struct kx_err *e);

/* The change of one counter from a to b into *delta: b - a, or b if it
 * went down (a reset in between: then 1 is returned and *nreset counted). */
int kx_counter_delta(uint64_t a, uint64_t b, uint64_t *delta,
		     size_t *nreset);

/* Fills idx with the indexes of the non-zero deltas of t (other left
 * out), largest first (ties by key); returns how many. */
size_t kx_detail_diff_sorted(const struct kx_detail_diff *t, size_t *idx);

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
