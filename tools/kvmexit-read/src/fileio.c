// SPDX-License-Identifier: GPL-2.0
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads fd (named name in messages) into a malloc'd, NUL-terminated buffer
 * of at most max bytes; the caller closes fd. */
static int read_bounded(int fd, const char *name, size_t max, char **out,
			size_t *len, struct kx_err *e)
{
	size_t n = 0, cap = max < 65536 ? max + 2 : 65536;
	char *buf;

	/* room for one byte more than max, to tell "exactly max" from "too
	 * large"; grown as the file turns out larger */
	buf = malloc(cap);
	if (!buf)
		return kx_fail(e, KX_EXIT_RUNTIME, "%s: out of memory", name);
	for (;;) {
		ssize_t r;

		if (n + 1 == cap) {
			size_t ncap = cap > (max + 2) / 2 ? max + 2 : cap * 2;
			char *nb = realloc(buf, ncap);

			if (!nb) {
				free(buf);
				return kx_fail(e, KX_EXIT_RUNTIME,
					       "%s: out of memory", name);
			}
			buf = nb;
			cap = ncap;
		}
		r = read(fd, buf + n, cap - 1 - n);
		if (r < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			free(buf);
			return kx_fail(e, kx_errno_code(err, KX_EXIT_RUNTIME),
				       "%s: read failed: %s", name,
				       strerror(err));
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			free(buf);
			return kx_fail(e, KX_EXIT_BADINPUT,
				       "%s: too large (more than %zu bytes)",
				       name, max);
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int kx_read_file(const char *path, size_t max, char **out, size_t *len,
		 int missing_code, struct kx_err *e)
{
	int fd, r;

	*out = NULL;
	*len = 0;
	if (!strcmp(path, "-"))
		return read_bounded(STDIN_FILENO, "(standard input)", max, out,
				    len, e);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int err = errno;

		return kx_fail(e, kx_errno_code(err, missing_code), "%s: %s",
			       path, strerror(err));
	}
	r = read_bounded(fd, path, max, out, len, e);
	close(fd);
	return r;
}

static const char *file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	return "not a regular file";
}

int kx_read_counters_file(const char *path, size_t max, char **out,
			  size_t *len, struct kx_err *e)
{
	struct stat st;
	int fd, r, err;

	*out = NULL;
	*len = 0;
	/* O_NONBLOCK: a FIFO must not block the open (or the read) */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		err = errno;
		r = kx_errno_code(err, KX_EXIT_UNAVAILABLE);
		return kx_fail(e, r, "%s: %s%s", path, strerror(err),
			       r == KX_EXIT_PERM ?
			       " (reading the counters needs root)" : "");
	}
	if (fstat(fd, &st)) {
		err = errno;
		close(fd);
		return kx_fail(e, KX_EXIT_RUNTIME, "%s: %s", path,
			       strerror(err));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return kx_fail(e, KX_EXIT_BADINPUT,
			       "%s: %s, not a counters file (they are regular "
			       "files)",
			       path, file_kind(st.st_mode));
	}
	r = read_bounded(fd, path, max, out, len, e);
	close(fd);
	return r;
}

int kx_write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static int fail_errno(struct kx_err *e, int err, const char *what,
		      const char *path)
{
	return kx_fail(e, kx_errno_code(err, KX_EXIT_RUNTIME), "%s: %s: %s",
		       path, what, strerror(err));
}

int kx_create_temp(const char *path, const char *what, char **tmp,
		   struct kx_err *e)
{
	const char *slash = strrchr(path, '/'), *base;
	size_t dirlen, tlen;
	mode_t mask;
	int fd, err;

	*tmp = NULL;
	if (!*path)
		return -kx_fail(e, KX_EXIT_USAGE, "empty output file name");
	base = slash ? slash + 1 : path;
	if (!*base)
		return -kx_fail(e, KX_EXIT_USAGE,
				"%s: output file name ends with '/'", path);
	dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	tlen = strlen(path) + 16;
	*tmp = malloc(tlen);
	if (!*tmp)
		return -kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	/* DIR/.BASE.XXXXXX: hidden, and no *.prom match for node_exporter */
	snprintf(*tmp, tlen, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
	fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		free(*tmp);
		*tmp = NULL;
		return -fail_errno(e, err, what, path);
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask)) {
		err = errno;
		close(fd);
		unlink(*tmp);
		fail_errno(e, err, what, path);
		free(*tmp);
		*tmp = NULL;
		return -e->code;
	}
	return fd;
}

void kx_fsync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	char *dir = malloc(dirlen + 2);
	int dfd;

	if (!dir)
		return;
	if (dirlen)
		snprintf(dir, dirlen + 2, "%.*s", (int)dirlen, path);
	else
		strcpy(dir, ".");
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
}

int kx_write_output(const char *path, const char *data, size_t len,
		    struct kx_err *e)
{
	struct stat st;
	char *tmp;
	int fd, err;

	if (!path || !strcmp(path, "-")) {
		if (kx_write_all(STDOUT_FILENO, data, len))
			return fail_errno(e, errno, "write failed",
					  "(standard output)");
		return 0;
	}
	if (!*path)
		return kx_fail(e, KX_EXIT_USAGE, "empty output file name");
	/* a device or FIFO (/dev/stdout, a pipe) is written in place:
	 * renaming over it would replace it by a regular file */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return kx_fail(e, KX_EXIT_RUNTIME,
				       "%s: is a directory", path);
		fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return fail_errno(e, errno, "cannot open", path);
		if (kx_write_all(fd, data, len)) {
			err = errno;
			close(fd);
			return fail_errno(e, err, "write failed", path);
		}
		if (close(fd))
			return fail_errno(e, errno, "write failed", path);
		return 0;
	}
	fd = kx_create_temp(path, "cannot create temporary file in directory",
			    &tmp, e);
	if (fd < 0)
		return -fd;
	if (kx_write_all(fd, data, len) || fsync(fd)) {
		err = errno;
		close(fd);
		unlink(tmp);
		fail_errno(e, err, "write failed", tmp);
		goto out;
	}
	if (close(fd)) {
		err = errno;
		unlink(tmp);
		fail_errno(e, err, "write failed", tmp);
		goto out;
	}
	if (rename(tmp, path)) {
		err = errno;
		unlink(tmp);
		fail_errno(e, err, "cannot rename temporary file over it",
			   path);
		goto out;
	}
	/* make the rename itself durable; some file systems refuse: ignore */
	kx_fsync_dir(path);
	free(tmp);
	return 0;
out:
	free(tmp);
	return e->code;
}
