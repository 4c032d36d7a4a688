/* SPDX-License-Identifier: GPL-2.0 */
/* The marks of --timeline --marks: a text file of lines "SECONDS LABEL"
 * (SECONDS on the recording's clock, seconds since boot as in
 * /proc/uptime), blank lines and '#' comments allowed. */
#ifndef KX_MARKS_H
#define KX_MARKS_H

#include <stddef.h>

#include "err.h"
#include "parse.h"

#define KX_MARKS_FILE_MAX (1024 * 1024) /* bytes */
#define KX_MARKS_MAX 100000

struct kx_mark {
	struct kx_time t;
	const char *label; /* into the file's text */
	unsigned lineno;
};

struct kx_marks {
	size_t n;
	struct kx_mark *m; /* sorted by time, then by line */
	char *text;	   /* owned */
};

/* Parses buf[0..len) (taken over: freed by kx_marks_free, also on
 * failure); errors are KX_EXIT_BADINPUT "FILE:LINE: ...". A last line
 * without newline is fine (the file is written by hand). */
int kx_marks_parse(char *buf, size_t len, const char *fname,
		   struct kx_marks *mk, struct kx_err *e);
/* Reads and parses path ("-": standard input). */
int kx_marks_load(const char *path, struct kx_marks *mk, struct kx_err *e);
void kx_marks_free(struct kx_marks *mk);

#endif
