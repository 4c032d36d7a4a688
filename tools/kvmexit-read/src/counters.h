/* SPDX-License-Identifier: GPL-2.0 */
/* The counters of /sys/kernel/debug/kvm_exits and of a VM or vCPU:
 * parsing the vendor, total, by_reason and time files
 * (Documentation/debugfs-format.rst) from memory; source.h reads them. */
#ifndef KX_COUNTERS_H
#define KX_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "parse.h"

#define KX_MAX_REASONS 512	     /* lines of by_reason, 'other' included */
#define KX_NAME_MAX 64		     /* reason name, NUL included */
#define KX_BY_REASON_MAX (64 * 1024) /* bytes */
#define KX_SMALL_FILE_MAX 64	     /* bytes of vendor and total */
#define KX_VENDOR_MAX 8

struct kx_reason {
	uint64_t code;	 /* meaningless for 'other' */
	uint64_t count;
	unsigned is_other;
	unsigned lineno; /* where it was read, for messages */
	char name[KX_NAME_MAX];
	/* handling time (time_by_reason, exit_times), if has_time */
	uint64_t tcount, tns, tmax;
};

struct kx_hist;
struct kx_user;

struct kx_counters {
	char vendor[KX_VENDOR_MAX]; /* "vmx" or "svm" */
	uint64_t total_file;	    /* the total file, read separately */
	uint64_t sum;		    /* sum of the by_reason counts */
	size_t n;		    /* reasons, the last one is 'other' */
	int has_time;		    /* a time file was read */
	/* over all reasons, if has_time: sums of tcount and tns (checked
	 * not to overflow when parsed) and the largest tmax */
	uint64_t tcount_sum, tns_sum, tmax_all;
	/* the handling-time histograms (time_hist, exit_time_hist; hist.h)
	 * and the returns to userspace (userspace_exits; user.h), each
	 * malloc'd, NULL if not read: kx_counters_release frees them */
	struct kx_hist *hist;
	struct kx_user *user;
	struct kx_reason r[KX_MAX_REASONS];
};

/* Frees c->hist and c->user (c itself stays). */
void kx_counters_release(struct kx_counters *c);

/* Each fills its part of c from buf[0..len) or fails with a KX_EXIT_BADINPUT
 * error naming fname and the line. */
int kx_parse_vendor(const char *buf, size_t len, const char *fname,
		    struct kx_counters *c, struct kx_err *e);
int kx_parse_total(const char *buf, size_t len, const char *fname,
		   struct kx_counters *c, struct kx_err *e);
int kx_parse_by_reason(const char *buf, size_t len, const char *fname,
		       struct kx_counters *c, struct kx_err *e);

/* Building blocks shared with the snapshot parser: parse "<code> <name>
 * <count>" fields, then append the reason to c checking order, duplicates,
 * the table size and the sum. */
int kx_reason_from_fields(const struct kx_lines *it, const struct kx_field *f,
			  struct kx_reason *r, struct kx_err *e);
/* Their first two fields, shared with the histograms' rows (hist.h):
 * "<code> <name>", the code "-" for the 'other' line (then *is_other is set
 * and *code left alone) and only for it; name of KX_NAME_MAX bytes. */
int kx_code_name_from_fields(const struct kx_lines *it,
			     const struct kx_field *f, uint64_t *code,
			     unsigned *is_other, char *name, struct kx_err *e);
int kx_counters_add(const struct kx_lines *it, struct kx_counters *c,
		    const struct kx_reason *r, struct kx_err *e);
/* After the last line: the table must end with 'other'. */
int kx_counters_finish(const struct kx_lines *it, struct kx_counters *c,
		       struct kx_err *e);

/* "0x000a" or "-" for other; buf of at least 24 bytes */
const char *kx_code_str(const struct kx_reason *r, char *buf, size_t size);

/* Parses time_by_reason / exit_times ("<code> <name> <count> <total_ns>
 * <max_ns>" per line, the lines of c in the same order) into c. */
int kx_parse_times(const char *buf, size_t len, const char *fname,
		   struct kx_counters *c, struct kx_err *e);
/* Building block shared with the snapshot parser: the time fields f[0..4]
 * ("<code> <name> <count> <total_ns> <max_ns>") of reason i of c, which
 * must have the same code and name; max_ns may not exceed total_ns and the
 * sums over the reasons must fit in 64 bits. Before reason 0, call
 * kx_times_begin(c). */
void kx_times_begin(struct kx_counters *c);
int kx_time_from_fields(const struct kx_lines *it, const struct kx_field *f,
			struct kx_counters *c, size_t i, struct kx_err *e);

#endif
