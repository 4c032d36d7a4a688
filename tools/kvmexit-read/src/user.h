/* SPDX-License-Identifier: GPL-2.0 */
/* Returns of KVM_RUN to userspace by KVM_EXIT_* reason: kvm_exits/
 * userspace_exits (counted while the kvm parameter exit_stats_detail is Y)
 * and the userspace_exits of a VM or vCPU with per-VM counters. Format in
 * Documentation/debugfs-format.rst; parsing from memory here, reading in
 * source.c, deltas in diff.c, rendering in output_*.c. */
#ifndef KX_USER_H
#define KX_USER_H

#include <stddef.h>
#include <stdint.h>

#include "counters.h"
#include "err.h"
#include "parse.h"

#define KX_USER_CODES 64	      /* KVM_EXIT_* codes 0 to 63 */
#define KX_USER_NAME_MAX 48	      /* "KVM_EXIT_IO", NUL included */
#define KX_USER_FILE_MAX (64 * 1024) /* bytes of one file */

/* The table: a count per code with a line, the errors, the other reasons
 * (64 and above). */
struct kx_user {
	uint64_t present; /* bit c: code c has a line */
	uint64_t count[KX_USER_CODES];
	char name[KX_USER_CODES][KX_USER_NAME_MAX]; /* "-" for none */
	unsigned lineno[KX_USER_CODES];
	uint64_t error;	     /* "- error N": errors other than EINTR */
	unsigned error_line; /* its line, 0 if none (then error is 0) */
	uint64_t other;	     /* "other N": exit reasons of 64 and above */
	unsigned other_line; /* once seen */
	uint64_t sum;	     /* of the rows, error and other (checked) */
};

/* Parses userspace_exits into c->user (malloc'd; an older one is freed).
 * Errors (KX_EXIT_BADINPUT) name fname and the line; c->user is then
 * NULL. */
int kx_parse_user(const char *buf, size_t len, const char *fname,
		  struct kx_counters *c, struct kx_err *e);

/* Building blocks shared with the snapshot parser: an empty table; a
 * line's fields f[0..nf) ("<code> <name> <count>", "- error <count>",
 * "other <count>") added to u (a code once, 0 to 63, before any error line;
 * one error line; "other" once and last; the sum within 64 bits); after the
 * last line, "other" must have been seen. */
void kx_user_begin(struct kx_user *u);
int kx_user_line(const struct kx_lines *it, struct kx_user *u,
		 const struct kx_field *f, int nf, struct kx_err *e);
int kx_user_finish(const struct kx_lines *it, const struct kx_user *u,
		   struct kx_err *e);

/* The name of code c, NULL for "-". */
const char *kx_user_name(const struct kx_user *u, unsigned c);

/* The deltas of two tables (diff.c). */
struct kx_user_diff {
	uint64_t present; /* codes of A or B */
	uint64_t reset;	  /* codes that went down: delta is B's */
	uint64_t delta[KX_USER_CODES];
	char name[KX_USER_CODES][KX_USER_NAME_MAX]; /* B's, else A's */
	uint64_t error, other;
	unsigned error_reset, other_reset;
	uint64_t total;	 /* of the deltas, error and other included */
	size_t nreset;	 /* counters that went down */
};

/* a -> b into d (a NULL: all zero, a new vCPU's); a code in only one side
 * counts as 0 on the other. */
void kx_user_diff(const struct kx_user *a, const struct kx_user *b,
		  struct kx_user_diff *d);

#endif
