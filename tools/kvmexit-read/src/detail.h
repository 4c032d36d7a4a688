/* SPDX-License-Identifier: GPL-2.0 */
/* The detail tables of /sys/kernel/debug/kvm_exits (counted while the kvm
 * parameter exit_stats_detail is Y): MSR exits by MSR and access (by_msr),
 * I/O instruction exits by port, size and direction (by_io_port), exception
 * exits by vector (by_exception). Formats in
 * Documentation/debugfs-format.rst; parsing from memory here, reading in
 * source.c, deltas in diff.c, rendering in output_*.c. */
#ifndef KX_DETAIL_H
#define KX_DETAIL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "parse.h"

enum kx_detail_kind { KX_DET_MSR, KX_DET_IO, KX_DET_EXC, KX_DET_KINDS };
#define KX_DETAIL_BIT(k) (1u << (k))
#define KX_DETAIL_ALL ((1u << KX_DET_KINDS) - 1)

/* Rows a table may have: far above the kernel's tables (256 MSR, 256 port
 * and 32 vector entries), so that a larger kernel table still reads. */
#define KX_DETAIL_ROWS_MAX 1024
#define KX_DETAIL_FILE_MAX (64 * 1024) /* bytes of one file */
#define KX_EXC_NAME_MAX 16	       /* exception name, NUL included */

/* What is said once per kind: the file, the option, the words used in
 * snapshots, JSON, Prometheus and messages, the columns. */
struct kx_detail_info {
	const char *file;   /* "by_msr" */
	const char *option; /* "--msr" */
	const char *word;   /* snapshot lines: "msr", "io", "exception" */
	const char *json;   /* JSON member: "msr", "io", "exceptions" */
	const char *metric; /* "kvm_exits_msr_total" */
	const char *what;   /* in messages and titles: "MSR", "I/O port" */
	const char *header; /* the file's header, without '#' */
	const char *shape;  /* a row, for messages */
	int fields;	    /* of a row */
	int ncols;	    /* key columns of the tables */
	const char *cols[3];
	unsigned kernel_rows; /* the kernel's table size (documentation) */
};
const struct kx_detail_info *kx_detail_info(enum kx_detail_kind k);

/* One key and its count. */
struct kx_detail_row {
	uint32_t key;		    /* MSR index, port or vector */
	uint8_t size;		    /* I/O: 1, 2 or 4 bytes; else 0 */
	uint8_t write;		    /* MSR: write; I/O: out; else 0 */
	char name[KX_EXC_NAME_MAX]; /* exception: the kernel's name or "-" */
	uint64_t count;
	unsigned lineno; /* where it was read, for messages */
};

struct kx_detail_table {
	enum kx_detail_kind kind;
	size_t n;	     /* rows, sorted by key once complete */
	uint64_t other;	     /* exits the kernel's table had no room for */
	unsigned other_line; /* the 'other' line, once seen */
	uint64_t sum;	     /* of the rows and other (checked: no overflow) */
	struct kx_detail_row r[KX_DETAIL_ROWS_MAX];
};

/* The tables read (a snapshot's): mask says which of t[] hold one. */
struct kx_detail {
	unsigned mask;
	struct kx_detail_table t[KX_DET_KINDS];
};

/* Parses by_msr / by_io_port / by_exception (kind k) into t; errors name
 * fname and the line (KX_EXIT_BADINPUT). */
int kx_parse_detail(enum kx_detail_kind k, const char *buf, size_t len,
		    const char *fname, struct kx_detail_table *t,
		    struct kx_err *e);

/* Building blocks shared with the snapshot parser: an empty table of kind
 * k; a row from its fields (info->fields of them); adding it (no key
 * twice, at most KX_DETAIL_ROWS_MAX rows, no line after 'other', the sum
 * within 64 bits); the 'other' count (once, last); sorting by key. */
void kx_detail_begin(struct kx_detail_table *t, enum kx_detail_kind k);
int kx_detail_row_from_fields(const struct kx_lines *it,
			      enum kx_detail_kind k, const struct kx_field *f,
			      struct kx_detail_row *r, struct kx_err *e);
int kx_detail_add(const struct kx_lines *it, struct kx_detail_table *t,
		  const struct kx_detail_row *r, struct kx_err *e);
int kx_detail_set_other(const struct kx_lines *it, struct kx_detail_table *t,
			const struct kx_field *count, struct kx_err *e);
void kx_detail_sort(struct kx_detail_table *t);
/* <0, 0, >0: the order of keys (key, then size, then access) */
int kx_detail_cmp(const struct kx_detail_row *a, const struct kx_detail_row *b);

/* The key as in the file, without the count: "0x0000001b read", "0x010f 1
 * out", "6 UD" (buf of at least 48 bytes). */
const char *kx_detail_key_text(enum kx_detail_kind k,
			       const struct kx_detail_row *r, char *buf,
			       size_t size);
/* The key for messages: "MSR 0x0000001b read", "port 0x010f size 1 out",
 * "vector 6". */
const char *kx_detail_key_desc(enum kx_detail_kind k,
			       const struct kx_detail_row *r, char *buf,
			       size_t size);
/* The key columns of the tables (info->ncols cells of up to 64 bytes):
 * MSR, NAME ("-" if unknown), ACCESS; PORT, SIZE, ACCESS; VECTOR, NAME. */
void kx_detail_cells(enum kx_detail_kind k, const struct kx_detail_row *r,
		     char cells[3][64]);
/* Short, for --watch: "IA32_APICBASE read" (or "0x00000833 write"),
 * "0x010f/1 out", "#UD" (or "#21"). */
const char *kx_detail_short(enum kx_detail_kind k,
			    const struct kx_detail_row *r, char *buf,
			    size_t size);
/* The exception's name, or NULL for "-"; the MSR's name or NULL. */
const char *kx_detail_name(enum kx_detail_kind k,
			   const struct kx_detail_row *r);

/* The change of one key between two tables (diff.c). */
struct kx_detail_delta {
	struct kx_detail_row k; /* the key, count = B's (0 if only in A) */
	uint64_t delta;
	unsigned reset; /* went down: delta is B's value */
};

struct kx_detail_diff {
	size_t n; /* keys of A and B, by key */
	struct kx_detail_delta d[2 * KX_DETAIL_ROWS_MAX];
	uint64_t other;	       /* delta of 'other' */
	unsigned other_reset;  /* 'other' went down */
	uint64_t total;	       /* sum of the deltas, other included */
	size_t nreset;	       /* counters that went down, other included */
};

struct kx_detail_diffs {
	unsigned mask;
	struct kx_detail_diff t[KX_DET_KINDS];
};

#endif
