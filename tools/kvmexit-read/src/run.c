// SPDX-License-Identifier: GPL-2.0
#include "modes.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"
#include "diff.h"
#include "fileio.h"
#include "output.h"
#include "snapshot.h"

int kx_mode_run(const struct kx_opts *o, int *status, struct kx_err *e)
{
	struct kx_snapshot *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct kx_diff *d = calloc(1, sizeof(*d));
	char title[KX_TITLE_CMD_MAX + 128];
	const char *src = o->src.dir;
	struct kx_buf out;
	struct kx_cmd cmd;
	int r, ws, sig = 0;

	kx_buf_init(&out);
	*status = 0;
	if (!a || !b || !d) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		goto out;
	}
	kx_detail_hint(o);
	r = kx_snapshot_take(&o->src, o->root_is_default, 0, a, e);
	if (r)
		goto out;
	/* a command that cannot be run gets no report */
	r = kx_cmd_start(o->cmd, &cmd, e);
	if (r)
		goto out;
	r = kx_cmd_wait(&cmd, &ws, e);
	if (r)
		goto restore;
	kx_cmd_title(title, KX_TITLE_CMD_MAX, o->cmd);
	kx_cmd_outcome(ws, title, sizeof(title), status, &sig);

	r = kx_snapshot_take(&o->src, o->root_is_default, 0, b, e);
	if (!r)
		r = kx_diff(a, b, "before", "after", 1, d, e);
	if (!r && o->detail)
		r = kx_diff_detail(d, o->detail, "before", "after", 1, e);
	if (!r && o->user)
		r = kx_diff_user(d, "before", "after", 1, e);
	if (r)
		goto restore;
	kx_warn_forced(d, "");
	if (o->fmt == KX_FMT_JSON) {
		kx_json_command(d, o->cmd, *status, sig, src, &out);
	} else if (o->detail || o->user) {
		kx_table_detail_diffs(o, d, title, &out);
	} else {
		kx_table_diff(d, title, &out);
	}
	if (o->pretty)
		kx_json_indent(&out);
	if (o->output) {
		r = kx_emit(o->output, &out, e);
	} else if (out.failed) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	} else if (kx_write_all(STDERR_FILENO, out.p, out.len)) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "writing to standard error: %s",
			    strerror(errno));
	}
restore:
	kx_cmd_restore(&cmd);
out:
	kx_buf_free(&out);
	if (d)
		kx_diff_release(d);
	free(d);
	kx_snapshot_free(b);
	kx_snapshot_free(a);
	return r;
}
