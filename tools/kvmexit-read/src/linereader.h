/* SPDX-License-Identifier: GPL-2.0 */
/* Reading a file of any length line by line, with bounded memory: lines
 * of more than max bytes, NUL bytes and a last line without newline are
 * refused with "FILE:LINE: ..." (KX_EXIT_BADINPUT). For recordings, which
 * can be far larger than what kx_read_file holds. */
#ifndef KX_LINEREADER_H
#define KX_LINEREADER_H

#include <stddef.h>

#include "err.h"

#define KX_LR_CHUNK 65536 /* bytes read at a time */

struct kx_lreader {
	int fd, owned;
	const char *fname; /* as in messages */
	size_t max;	   /* bytes per line, newline excluded */
	char *buf;
	size_t cap, start, end; /* unread data: buf[start..end) */
	int eof;
	unsigned lineno; /* of the line last returned (1-based) */
};

/* Opens path ("-": standard input). A missing file is missing_code; see
 * kx_errno_code for the others. */
int kx_lreader_open(struct kx_lreader *lr, const char *path, size_t max,
		    int missing_code, struct kx_err *e);
/* The next line, without its newline (valid until the next call): 1, 0 at
 * the end of the file, or minus an exit code with e filled. */
int kx_lreader_next(struct kx_lreader *lr, const char **line, size_t *n,
		    struct kx_err *e);
void kx_lreader_close(struct kx_lreader *lr);

#endif
