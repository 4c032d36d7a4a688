// SPDX-License-Identifier: GPL-2.0
#include "linereader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int kx_lreader_open(struct kx_lreader *lr, const char *path, size_t max,
		    int missing_code, struct kx_err *e)
{
	memset(lr, 0, sizeof(*lr));
	lr->fd = -1;
	lr->max = max;
	/* a whole line and one more byte, with room to read a chunk */
	lr->cap = max + 1 + KX_LR_CHUNK;
	if (!strcmp(path, "-")) {
		lr->fd = STDIN_FILENO;
		lr->fname = "(standard input)";
	} else {
		lr->fname = path;
		lr->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (lr->fd < 0) {
			int err = errno;

			return kx_fail(e, kx_errno_code(err, missing_code),
				       "%s: %s", path, strerror(err));
		}
		lr->owned = 1;
	}
	lr->buf = malloc(lr->cap);
	if (!lr->buf) {
		kx_lreader_close(lr);
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	}
	return 0;
}

void kx_lreader_close(struct kx_lreader *lr)
{
	if (lr->owned && lr->fd >= 0)
		close(lr->fd);
	lr->fd = -1;
	lr->owned = 0;
	free(lr->buf);
	lr->buf = NULL;
}

static int line_fail(struct kx_lreader *lr, struct kx_err *e, const char *what)
{
	return -kx_fail(e, KX_EXIT_BADINPUT, "%s:%u: %s", lr->fname,
			lr->lineno, what);
}

int kx_lreader_next(struct kx_lreader *lr, const char **line, size_t *n,
		    struct kx_err *e)
{
	char what[96];

	for (;;) {
		size_t avail = lr->end - lr->start, len;
		char *s = lr->buf + lr->start, *nl, *nul;
		ssize_t r;

		nl = memchr(s, '\n', avail < lr->max + 1 ? avail : lr->max + 1);
		if (nl || avail > lr->max || (lr->eof && avail)) {
			lr->lineno++;
			len = nl ? (size_t)(nl - s) : avail;
			if (len > lr->max) {
				snprintf(what, sizeof(what),
					 "line too long (more than %zu bytes)",
					 lr->max);
				return line_fail(lr, e, what);
			}
			nul = memchr(s, '\0', len);
			if (nul) {
				snprintf(what, sizeof(what),
					 "NUL byte in column %zu",
					 (size_t)(nul - s) + 1);
				return line_fail(lr, e, what);
			}
			if (!nl)
				return line_fail(lr, e,
						 "last line has no newline "
						 "(file truncated?)");
			lr->start += len + 1;
			*line = s;
			*n = len;
			return 1;
		}
		if (lr->eof)
			return 0;
		/* less than a line: move it to the front, read more */
		if (lr->start) {
			memmove(lr->buf, s, avail);
			lr->start = 0;
			lr->end = avail;
		}
		r = read(lr->fd, lr->buf + lr->end, lr->cap - lr->end);
		if (r < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			return -kx_fail(e, kx_errno_code(err, KX_EXIT_RUNTIME),
					"%s: read failed: %s", lr->fname,
					strerror(err));
		}
		if (r == 0)
			lr->eof = 1;
		lr->end += (size_t)r;
	}
}
