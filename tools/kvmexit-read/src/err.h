/* SPDX-License-Identifier: GPL-2.0 */
/* Exit codes and the error record every fallible function fills in. */
#ifndef KX_ERR_H
#define KX_ERR_H

#include <stddef.h>

enum kx_exit {
	KX_EXIT_OK = 0,
	KX_EXIT_RUNTIME = 1,	 /* I/O error, out of memory, fork failed */
	KX_EXIT_USAGE = 2,	 /* bad command line */
	KX_EXIT_UNAVAILABLE = 3, /* counters directory missing */
	KX_EXIT_PERM = 4,	 /* permission denied (needs root) */
	KX_EXIT_BADINPUT = 5,	 /* malformed snapshot or counters file */
	KX_EXIT_REFUSED = 6,	 /* snapshots cannot be compared (--force) */
};

#define KX_ERR_MSG_MAX 1024

struct kx_err {
	int code;
	char msg[KX_ERR_MSG_MAX];
};

/* Fills e (code and message) and returns code. */
int kx_fail(struct kx_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Exit code for a failed open/read/write: EACCES/EPERM -> KX_EXIT_PERM,
 * ENOENT/ENOTDIR -> missing_code, anything else -> KX_EXIT_RUNTIME. */
int kx_errno_code(int errnum, int missing_code);

/* Copies p[0..n) into out (NUL-terminated, cut with "..." to fit) with
 * non-printable bytes and backslashes shown as \xNN; for messages. */
void kx_quote(char *out, size_t out_size, const char *p, size_t n);

#endif
