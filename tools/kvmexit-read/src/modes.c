// SPDX-License-Identifier: GPL-2.0
#include "modes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"
#include "fileio.h"
#include "output.h"
#include "snapshot.h"

int kx_emit(const char *path, const struct kx_buf *b, struct kx_err *e)
{
	if (b->failed)
		return kx_fail(e, KX_EXIT_RUNTIME,
			       "out of memory while formatting the output");
	return kx_write_output(path, b->p ? b->p : "", b->len, e);
}

void kx_warn_forced(const struct kx_diff *d, const char *why)
{
	struct kx_buf b;
	char prefix[64];

	if (!d->problems)
		return;
	kx_buf_init(&b);
	snprintf(prefix, sizeof(prefix), "kvmexit-read: warning: %s", why);
	kx_diff_describe(d, prefix, 1, &b);
	if (!b.failed && b.p) {
		fflush(stdout);
		kx_write_all(STDERR_FILENO, b.p, b.len);
	}
	kx_buf_free(&b);
}

static struct kx_snapshot *alloc_snapshot(struct kx_err *e)
{
	struct kx_snapshot *s = calloc(1, sizeof(*s));

	if (!s)
		kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	return s;
}

/* A snapshot of the counters now, or NULL with e set. */
static struct kx_snapshot *take_snapshot(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_snapshot *s = alloc_snapshot(e);

	if (s && kx_snapshot_take(o->root, o->root_is_default, s, e)) {
		free(s);
		s = NULL;
	}
	return s;
}

int kx_mode_read(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_snapshot *s = take_snapshot(o, e);
	struct kx_buf b;
	int r;

	if (!s)
		return e->code;
	kx_buf_init(&b);
	if (o->fmt == KX_FMT_JSON)
		kx_json_counters(s, o->root, &b);
	else if (o->fmt == KX_FMT_PROM)
		kx_prom_counters(s, &b);
	else
		kx_table_counters(&s->c, &b);
	r = kx_emit(o->output, &b, e);
	kx_buf_free(&b);
	free(s);
	return r;
}

int kx_mode_save(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_snapshot *s = take_snapshot(o, e);
	struct kx_buf b;
	int r;

	if (!s)
		return e->code;
	kx_buf_init(&b);
	kx_snapshot_format(s, &b);
	r = kx_emit(o->save, &b, e);
	if (!r && o->fmt == KX_FMT_JSON) {
		kx_buf_reset(&b);
		kx_json_counters(s, o->root, &b);
		r = kx_emit(NULL, &b, e);
	}
	kx_buf_free(&b);
	free(s);
	return r;
}

int kx_mode_diff(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_snapshot *a = alloc_snapshot(e), *b = NULL;
	const char *name_b = o->diff_b ? o->diff_b : "now";
	const char *name_a = o->diff_a;
	struct kx_diff *d = NULL;
	struct kx_buf out;
	char title[512];
	int r;

	kx_buf_init(&out);
	if (!a)
		return e->code;
	b = alloc_snapshot(e);
	d = b ? calloc(1, sizeof(*d)) : NULL;
	if (!d) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		goto out;
	}
	if (!strcmp(name_a, "-"))
		name_a = "(standard input)";
	if (!strcmp(name_b, "-"))
		name_b = "(standard input)";
	r = kx_snapshot_load(o->diff_a, a, e);
	if (!r)
		r = o->diff_b ? kx_snapshot_load(o->diff_b, b, e) :
				kx_snapshot_take(o->root, o->root_is_default,
						 b, e);
	if (!r)
		r = kx_diff(a, b, name_a, name_b, o->force, d, e);
	if (r)
		goto out;
	kx_warn_forced(d, "--force: ");
	if (o->fmt == KX_FMT_JSON) {
		kx_json_diff(d, name_a, o->diff_b ? name_b : o->root, &out);
	} else {
		snprintf(title, sizeof(title), "%s -> %s", name_a, name_b);
		kx_table_diff(d, title, &out);
	}
	r = kx_emit(o->output, &out, e);
out:
	kx_buf_free(&out);
	free(d);
	free(b);
	free(a);
	return r;
}

int kx_mode_reset(const struct kx_opts *o, struct kx_err *e)
{
	size_t plen = strlen(o->root) + sizeof("/total");
	char *path;
	struct kx_buf b;
	int fd, r, err;

	r = kx_root_check(o->root, o->root_is_default, e);
	if (r)
		return r;
	path = malloc(plen);
	if (!path)
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	snprintf(path, plen, "%s/total", o->root);
	/* like "echo 0 > total" */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || kx_write_all(fd, "0\n", 2)) {
		err = errno;
		if (fd >= 0)
			close(fd);
		r = kx_errno_code(err, KX_EXIT_UNAVAILABLE);
		kx_fail(e, r, "%s: cannot reset the counters: %s%s", path,
			strerror(err),
			r == KX_EXIT_PERM ? " (resetting needs root)" : "");
		free(path);
		return r;
	}
	if (close(fd)) {
		err = errno;
		kx_fail(e, KX_EXIT_RUNTIME, "%s: cannot reset the counters: %s",
			path, strerror(err));
		free(path);
		return KX_EXIT_RUNTIME;
	}
	free(path);
	if (o->fmt != KX_FMT_JSON)
		return 0;
	kx_buf_init(&b);
	kx_buf_printf(&b, "{\"type\":\"reset\",\"format\":%d,\"source\":",
		      KX_JSON_FORMAT);
	kx_json_str(&b, o->root);
	kx_buf_puts(&b, "}\n");
	r = kx_emit(NULL, &b, e);
	kx_buf_free(&b);
	return r;
}
