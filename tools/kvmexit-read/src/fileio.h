/* SPDX-License-Identifier: GPL-2.0 */
/* Bounded reads and atomic writes. */
#ifndef KX_FILEIO_H
#define KX_FILEIO_H

#include <stddef.h>

#include "err.h"

/* Reads all of path ("-" = standard input) into a malloc'd, NUL-terminated
 * buffer. A file of more than max bytes is refused (KX_EXIT_BADINPUT), so
 * reads are bounded. Errors: see kx_errno_code(); missing_code is used for
 * ENOENT/ENOTDIR. */
int kx_read_file(const char *path, size_t max, char **out, size_t *len,
		 int missing_code, struct kx_err *e);

/* Like kx_read_file for a counters file (debugfs, or a tree given with
 * --root): only a regular file is read (a FIFO or device is refused with
 * KX_EXIT_BADINPUT instead of blocking), a missing one is
 * KX_EXIT_UNAVAILABLE, and EACCES says that reading the counters needs
 * root. */
int kx_read_counters_file(const char *path, size_t max, char **out,
			  size_t *len, struct kx_err *e);

/* Writes len bytes to fd, retrying short writes and EINTR; 0 or -1/errno. */
int kx_write_all(int fd, const char *p, size_t len);

/* Creates the hidden temporary file ".NAME.XXXXXX" beside path (mode
 * 0666 minus the umask, close-on-exec) for writing, to be renamed over
 * path once complete: its fd, its name in *tmp (malloc'd; free it), or
 * minus an exit code (e names path). what says what could not be created
 * ("cannot create temporary file in directory"). */
int kx_create_temp(const char *path, const char *what, char **tmp,
		   struct kx_err *e);
/* fsync of the directory of path (after a rename); errors are ignored, as
 * some file systems refuse it */
void kx_fsync_dir(const char *path);

/* Writes data to path, or to standard output if path is NULL or "-".
 * A file is replaced atomically: a hidden temporary file in the same
 * directory (".NAME.XXXXXX") is written, fsync'ed and renamed over path,
 * then the directory is fsync'ed. Readers see the old or the new file,
 * never a partial one. An existing path that is not a regular file (a
 * device, a FIFO) is opened and written in place instead. */
int kx_write_output(const char *path, const char *data, size_t len,
		    struct kx_err *e);

#endif
