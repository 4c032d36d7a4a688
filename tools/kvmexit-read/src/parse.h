/* SPDX-License-Identifier: GPL-2.0 */
/* Line and field scanning shared by the parsers of the debugfs files and
 * of snapshots. Everything works on in-memory buffers that need not be
 * NUL-terminated. */
#ifndef KX_PARSE_H
#define KX_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define KX_LINE_MAX 255 /* bytes per line, newline excluded */
#define KX_FIELDS_MAX 8

struct kx_lines {
	const char *buf;
	size_t len, pos;
	size_t max;	 /* bytes per line, newline excluded: KX_LINE_MAX
			  * unless a parser sets more (time_hist) */
	unsigned lineno; /* number of the line last returned (1-based) */
	const char *fname;
};

struct kx_field {
	const char *p;
	size_t n;
};

struct kx_time {
	uint64_t sec;
	uint32_t nsec;
};

void kx_lines_init(struct kx_lines *it, const char *buf, size_t len,
		   const char *fname);

/* Next line without its newline: 1 = got one, 0 = end of buffer, or an
 * error code (e filled, "FILE:LINE: ...") for a NUL byte, a line longer
 * than it->max or a last line without newline (truncated file). */
int kx_lines_next(struct kx_lines *it, const char **line, size_t *n,
		  struct kx_err *e);

/* Fails with "FILE:LINE: <message>" for the current line. */
int kx_lines_fail(const struct kx_lines *it, struct kx_err *e, const char *fmt,
		  ...) __attribute__((format(printf, 3, 4)));

/*
 * The next data line of a file whose first line is its header: '#' and the
 * words of header (by_msr, time_hist, userspace_exits). 1 with the line, 0
 * at the end, or an error code (KX_EXIT_BADINPUT, e filled) for an empty
 * file, a first line without '#', a header check that fails or a '#' line
 * after the first. check judges the header line (the whole line, '#'
 * included); NULL: its fields after '#' must be header's words (at most
 * KX_FIELDS_MAX of them).
 */
int kx_lines_next_row(struct kx_lines *it, const char *header,
		      int (*check)(const struct kx_lines *it, const char *line,
				   size_t n, struct kx_err *e),
		      const char **line, size_t *n, struct kx_err *e);

/* Splits on runs of spaces (leading/trailing spaces ignored). Returns the
 * number of fields; stops counting at max + 1. */
int kx_split(const char *line, size_t n, struct kx_field *f, int max);

int kx_field_is(const struct kx_field *f, const char *s);

/* Unsigned decimal, digits only: 0 ok, -1 not a number, -2 > UINT64_MAX */
int kx_parse_u64(const char *p, size_t n, uint64_t *v);
/* "0x" and mind..maxd hex digits (mind >= 1, maxd <= 16): 0 ok, -1 not */
int kx_parse_hex(const char *p, size_t n, size_t mind, size_t maxd,
		 uint64_t *v);
/* "0x" and 4..16 hex digits: 0 ok, -1 otherwise */
int kx_parse_code(const char *p, size_t n, uint64_t *v);
/* The value of one hexadecimal digit, or -1. */
int kx_hexval(char c);
/* 1..max-1 printable ASCII characters other than space: 0 ok, -1 not */
int kx_check_word(const char *p, size_t n, size_t max);

/* Field f of the current line of it, for the parsers of tables. An
 * unsigned decimal into *v, or fails with "<what> '<f>' is not an unsigned
 * decimal number" (or "does not fit in 64 bits"). */
int kx_field_u64(const struct kx_lines *it, const char *what,
		 const struct kx_field *f, uint64_t *v, struct kx_err *e);
/* *sum += v, or fails with "sum of the counts overflows 64 bits". */
int kx_add_sum(const struct kx_lines *it, uint64_t *sum, uint64_t v,
	       struct kx_err *e);
/* A word (kx_check_word) copied into out (max bytes, NUL included), or
 * fails with "bad <what> '<f>' (1 to <max - 1> printable characters
 * expected)". */
int kx_field_word(const struct kx_lines *it, const char *what,
		  const struct kx_field *f, size_t max, char *out,
		  struct kx_err *e);

/* "SECONDS.NNNNNNNNN" (1..18 digits, '.', exactly 9 digits): 0 ok, -1 not */
int kx_parse_time(const char *p, size_t n, struct kx_time *t);

/* A plain decimal number of seconds, "12", "12.5" or ".5": digits, at
 * most one '.', 1 to 9 digits after it, no sign or exponent, the integer
 * part within 64 bits: 0 ok, -1 not */
int kx_parse_decimal(const char *p, size_t n, struct kx_time *t);

/* a - b in seconds (negative if b is later) */
double kx_time_sub(const struct kx_time *a, const struct kx_time *b);
/* <0, 0, >0 as a is before, at or after b */
int kx_time_cmp(const struct kx_time *a, const struct kx_time *b);

#endif
