/* SPDX-License-Identifier: GPL-2.0 */
/* Handling-time histograms: kvm_exits/time_hist and the exit_time_hist of
 * a VM or vCPU (Documentation/debugfs-format.rst). Per reason with a row of
 * its own, the shortest handling time and 24 log2 buckets of its timed
 * exits; an "other" line for the rest. Parsing from memory, the
 * cross-check against the time file and the quantile estimates here;
 * reading in source.c, deltas in diff.c, rendering in output_*.c. */
#ifndef KX_HIST_H
#define KX_HIST_H

#include <stddef.h>
#include <stdint.h>

#include "counters.h"
#include "err.h"
#include "parse.h"

/* Bucket 0 holds times up to 2^KX_HIST_SHIFT ns, bucket i times above
 * 2^(i+7) and up to 2^(i+8) ns, the last (+Inf) times above 2^30 ns. */
#define KX_HIST_BUCKETS 24
#define KX_HIST_SHIFT 8
#define KX_HIST_KERNEL_ROWS 32	       /* rows of the kernel (documentation) */
#define KX_HIST_FILE_MAX (512 * 1024)  /* bytes of one file */
#define KX_HIST_LINE_MAX 1023	       /* bytes of a line: 25 u64 and a name */
#define KX_HIST_FIELDS (3 + KX_HIST_BUCKETS) /* code name min_ns buckets */

/* One line: a reason's histogram, or the "other" line. */
struct kx_hist_row {
	uint64_t code; /* meaningless for other */
	unsigned is_other;
	unsigned lineno; /* where it was read, for messages */
	size_t reason;	 /* the index of its reason in the counters */
	char name[KX_NAME_MAX];
	uint64_t min;	/* min_ns: the shortest time (0 if none) */
	uint64_t count; /* the sum of b[] (checked: no overflow) */
	uint64_t b[KX_HIST_BUCKETS];
};

/* The lines of a file, in the counters' order, "other" last. Allocated to
 * fit (kx_hist_add grows it); free() frees it. */
struct kx_hist {
	size_t n, cap;
	uint64_t total; /* the buckets of all rows (checked: no overflow) */
	struct kx_hist_row r[];
};

/* The upper edge of bucket i in ns (inclusive), UINT64_MAX for the last
 * (+Inf); the lower edge (exclusive; 0 for bucket 0). */
uint64_t kx_hist_upper(int i);
uint64_t kx_hist_lower(int i);

/* Parses time_hist / exit_time_hist into c->hist (malloc'd; an older one
 * is freed). The reasons of c must have been read: each line's code and
 * name must be one of them, in their order. Errors (KX_EXIT_BADINPUT) name
 * fname and the line; c->hist is then NULL. */
int kx_parse_hist(const char *buf, size_t len, const char *fname,
		  struct kx_counters *c, struct kx_err *e);

/* Building blocks shared with the snapshot parser: a row from the fields
 * f[0..KX_HIST_FIELDS) ("<code> <name> <min_ns> <b0> ... <b23>"); adding
 * it to c->hist (allocated on the first row): a reason of c, after the
 * previous row's, once, no line after "other", the sums within 64 bits;
 * after the last line, "other" must have been seen. */
int kx_hist_row_from_fields(const struct kx_lines *it,
			    const struct kx_field *f, struct kx_hist_row *r,
			    struct kx_err *e);
int kx_hist_add(const struct kx_lines *it, struct kx_counters *c,
		const struct kx_hist_row *r, struct kx_err *e);
int kx_hist_finish(const struct kx_lines *it, const struct kx_counters *c,
		   struct kx_err *e);

/*
 * The histograms of t1->hist against the time file, read before them
 * (t1's times) and again after them (t2's): each line's buckets must add
 * up to a count between its reason's timed counts of t1 and t2, all lines
 * together to one between their sums, and where t1 and t2 agree on a
 * reason, its min_ns may not be above its average (total_ns / count) nor
 * the average above max_ns. Both read at the same moment (t1 and t2 the
 * same), these are equalities. Fails with KX_EXIT_BADINPUT naming both
 * files; *racy is 1 if t1 and t2 differ (the counters moved between the
 * reads: a reset in between can explain a failure, worth a new read).
 */
int kx_hist_check_times(const struct kx_counters *t1,
			const struct kx_counters *t2, const char *hist_path,
			const char *time_path, int *racy, struct kx_err *e);

/* The row of reason i of the counters, or NULL; the "other" row. */
const struct kx_hist_row *kx_hist_row_of(const struct kx_hist *h, size_t i);
const struct kx_hist_row *kx_hist_other(const struct kx_hist *h);

/*
 * An estimate of quantile q (0 < q <= 1) of count times in buckets b, whose
 * shortest is min and longest max: the bucket where the cumulative count
 * reaches q * count, linearly interpolated between its lower edge (0 for
 * bucket 0) and its upper edge (max for the last), then clamped into
 * [min, max]. 1 with *v set, 0 if count is 0.
 */
int kx_hist_quantile(const uint64_t *b, uint64_t count, uint64_t min,
		     uint64_t max, double q, uint64_t *v);

/* All the rows of h summed: buckets, count, and the smallest min of the
 * rows with a count. */
void kx_hist_all(const struct kx_hist *h, uint64_t *b, uint64_t *count,
		 uint64_t *min);
/* The times of the "other" line, from c's time file: the largest max_ns,
 * and the sums of total_ns and of the timed counts, of the reasons without
 * a row of c->hist. */
void kx_hist_other_times(const struct kx_counters *c, uint64_t *max,
			 uint64_t *ns, uint64_t *count);

/* "256 512 ... 1073741824 +Inf": the header's edges, for messages */
const char *kx_hist_edges_text(void);

#endif
