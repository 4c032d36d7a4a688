// SPDX-License-Identifier: GPL-2.0
#include "modes.h"

#include <stdlib.h>

#include "marks.h"
#include "output.h"
#include "timeline.h"

/* standard output, as it is rendered (indented first with --pretty) */
static int flush_stdout(struct kx_tl_out *out, struct kx_err *e)
{
	const struct kx_opts *o = out->ctx;
	int r;

	r = kx_emit_as(o, NULL, &out->b, e);
	kx_buf_reset(&out->b);
	return r;
}

int kx_mode_timeline(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_timeline *tl = calloc(1, sizeof(*tl));
	struct kx_marks mk = { 0, NULL, NULL };
	struct kx_tl_view v;
	struct kx_tl_out out;
	int r;

	if (!tl)
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	kx_buf_init(&out.b);
	out.flush = flush_stdout;
	out.ctx = o;
	r = kx_tl_load(o->timeline, tl, e);
	if (!r && o->marks)
		r = kx_marks_load(o->marks, &mk, e);
	if (r)
		goto out;
	v.tl = tl;
	v.marks = o->marks ? &mk : NULL;
	v.top = (size_t)o->top;
	v.busiest = (size_t)o->busiest;
	if (o->fmt == KX_FMT_JSON)
		r = kx_tl_json(&v, &out, e);
	else if (o->fmt == KX_FMT_TSV)
		r = kx_tl_tsv(&v, &out, e);
	else
		r = kx_tl_table(&v, &out, e);
out:
	kx_buf_free(&out.b);
	kx_marks_free(&mk);
	kx_tl_free(tl);
	free(tl);
	return r;
}
