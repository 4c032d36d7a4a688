// SPDX-License-Identifier: GPL-2.0
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define CELL_MAX 64

/* What every renderer needs: the rows to show, in order, the top
 * reasons, and the interval of each mark. */
struct plan {
	const struct kx_tl_view *v;
	const struct kx_timeline *tl;
	size_t nrows, *rows;
	size_t ntop;
	uint32_t *top;
	ssize_t *loc; /* of each mark, non-decreasing */
	size_t nmarks;
};

static void plan_free(struct plan *p)
{
	free(p->rows);
	free(p->top);
	free(p->loc);
}

static int plan_make(const struct kx_tl_view *v, struct plan *p,
		     struct kx_err *e)
{
	const struct kx_timeline *tl = v->tl;
	size_t i, ntop = v->top < tl->names.n ? v->top : tl->names.n;

	memset(p, 0, sizeof(*p));
	p->v = v;
	p->tl = tl;
	p->rows = calloc(tl->ni ? tl->ni : 1, sizeof(*p->rows));
	p->top = calloc(ntop ? ntop : 1, sizeof(*p->top));
	p->nmarks = v->marks ? v->marks->n : 0;
	p->loc = calloc(p->nmarks ? p->nmarks : 1, sizeof(*p->loc));
	if (!p->rows || !p->top || !p->loc) {
		plan_free(p);
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	}
	if (v->busiest) {
		p->nrows = kx_tl_busiest(tl, v->busiest, p->rows);
	} else {
		for (i = 0; i < tl->ni; i++)
			p->rows[i] = i;
		p->nrows = tl->ni;
	}
	p->ntop = kx_tl_top(tl, ntop, p->top);
	for (i = 0; i < p->nmarks; i++)
		p->loc[i] = kx_tl_locate(tl, &v->marks->m[i].t);
	return 0;
}

/* The first mark at or after interval i (loc is non-decreasing). */
static size_t marks_from(const struct plan *p, ssize_t i)
{
	size_t lo = 0, hi = p->nmarks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->loc[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int row_done(struct kx_tl_out *o, struct kx_err *e)
{
	if (o->flush && o->b.len > KX_TL_FLUSH)
		return o->flush(o, e);
	return 0;
}

static int out_done(struct kx_tl_out *o, struct kx_err *e)
{
	if (o->flush)
		return o->flush(o, e);
	if (o->b.failed)
		return kx_fail(e, KX_EXIT_RUNTIME,
			       "out of memory while formatting the output");
	return 0;
}

/* exits of interval i not in the top columns */
static uint64_t rest(const struct plan *p, size_t i)
{
	uint64_t sum = 0;
	size_t k;

	for (k = 0; k < p->ntop; k++)
		sum += kx_tl_delta(p->tl, i, p->top[k]);
	return p->tl->iv[i].total - sum;
}

/* ---- the table --------------------------------------------------------- */

/* the cells of row r (column c: 0 start, 1 interval, 2 total, then the top
 * reasons, then other) */
static void cell(const struct plan *p, size_t i, size_t c, char *out,
		 size_t size)
{
	const struct kx_tl_interval *iv = &p->tl->iv[i];
	uint64_t count;

	if (c == 0) {
		snprintf(out, size, "%.3f",
			 kx_time_sub(&iv->t0, &p->tl->first));
		return;
	}
	if (c == 1) {
		snprintf(out, size, "%.3f", iv->seconds);
		return;
	}
	if (iv->reset) {
		snprintf(out, size, "%s", c == 2 ? "reset" : "-");
		return;
	}
	if (c == 2)
		count = iv->total;
	else if (c - 3 < p->ntop)
		count = kx_tl_delta(p->tl, i, p->top[c - 3]);
	else
		count = rest(p, i);
	kx_fmt_rate(out, size, kx_tl_rate(iv, count));
}

static const char *head(const struct plan *p, size_t c)
{
	if (c < 3)
		return c == 0 ? "START" : c == 1 ? "INTERVAL" : "EXITS/s";
	if (c - 3 < p->ntop)
		return p->tl->names.name[p->top[c - 3]];
	return "other";
}

static void mark_lines(const struct plan *p, ssize_t at, struct kx_buf *b)
{
	const struct kx_marks *mk = p->v->marks;
	size_t k;

	for (k = marks_from(p, at); k < p->nmarks && p->loc[k] == at; k++)
		kx_buf_printf(b, "--- %.3f s %s%s\n",
			      kx_time_sub(&mk->m[k].t, &p->tl->first),
			      mk->m[k].label,
			      at < 0 ? " (before the recording)" :
			      (size_t)at == p->tl->ni ?
			      " (after the recording)" : "");
}

static void title(const struct plan *p, struct kx_buf *b)
{
	const struct kx_timeline *tl = p->tl;

	kx_buf_printf(b, "%s: %zu samples of ", tl->fname, tl->nsamples);
	if (tl->head.vm[0])
		kx_buf_printf(b, "VM %s", tl->head.vm);
	else
		kx_buf_printf(b, "%s", tl->head.source);
	if (tl->head.vendor[0])
		kx_buf_printf(b, " (%s)", tl->head.vendor);
	kx_buf_printf(b, ", %.3f s from t %llu.%06u",
		      kx_time_sub(&tl->last, &tl->first),
		      (unsigned long long)tl->first.sec, tl->first.nsec / 1000);
	if (p->v->busiest)
		kx_buf_printf(b, "; the %zu busiest of %zu intervals",
			      p->nrows, tl->ni);
	kx_buf_putc(b, '\n');
}

static void summary(const struct plan *p, struct kx_buf *b)
{
	const struct kx_timeline *tl = p->tl;
	double secs = kx_time_sub(&tl->last, &tl->first);
	char num[32], rt[96];

	kx_fmt_count(num, sizeof(num), tl->total);
	kx_fmt_rate(rt, sizeof(rt), (double)tl->total / secs);
	kx_buf_printf(b, "total: %s exits in %.3f s, %s exits/s (%zu "
		      "interval%s", num, secs, rt, tl->ni,
		      tl->ni == 1 ? "" : "s");
	if (tl->nresets)
		kx_buf_printf(b, ", %zu with a counter reset, counted from "
			      "the reset", tl->nresets);
	kx_buf_puts(b, ")\n");
}

int kx_tl_table(const struct kx_tl_view *v, struct kx_tl_out *o,
		struct kx_err *e)
{
	char c[CELL_MAX];
	size_t ncol, col, r, *w;
	struct plan p;
	int rc = plan_make(v, &p, e);

	if (rc)
		return rc;
	ncol = 3 + p.ntop + 1;
	w = calloc(ncol, sizeof(*w));
	if (!w) {
		plan_free(&p);
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	}
	for (col = 0; col < ncol; col++)
		w[col] = strlen(head(&p, col));
	for (r = 0; r < p.nrows; r++)
		for (col = 0; col < ncol; col++) {
			cell(&p, p.rows[r], col, c, sizeof(c));
			if (strlen(c) > w[col])
				w[col] = strlen(c);
		}
	title(&p, &o->b);
	for (col = 0; col < ncol; col++)
		kx_buf_printf(&o->b, "%s%*s", col ? "  " : "", (int)w[col],
			      head(&p, col));
	kx_buf_putc(&o->b, '\n');
	if (!v->busiest)
		mark_lines(&p, -1, &o->b);
	for (r = 0; r < p.nrows && !rc; r++) {
		mark_lines(&p, (ssize_t)p.rows[r], &o->b);
		for (col = 0; col < ncol; col++) {
			cell(&p, p.rows[r], col, c, sizeof(c));
			kx_buf_printf(&o->b, "%s%*s", col ? "  " : "",
				      (int)w[col], c);
		}
		kx_buf_putc(&o->b, '\n');
		rc = row_done(o, e);
	}
	if (!rc) {
		if (!v->busiest)
			mark_lines(&p, (ssize_t)p.tl->ni, &o->b);
		summary(&p, &o->b);
		rc = out_done(o, e);
	}
	free(w);
	plan_free(&p);
	return rc;
}

/* ---- tab-separated values ------------------------------------------- */

static void tsv_rate(struct kx_buf *b, const struct kx_tl_interval *iv,
		     uint64_t count)
{
	kx_buf_printf(b, "\t%.*f", KX_RATE_DECIMALS,
		      iv->reset ? 0.0 : kx_tl_rate(iv, count));
}

int kx_tl_tsv(const struct kx_tl_view *v, struct kx_tl_out *o,
	      struct kx_err *e)
{
	struct plan p;
	size_t r, k;
	int rc = plan_make(v, &p, e);

	if (rc)
		return rc;
	kx_buf_puts(&o->b, "t\tinterval\ttotal");
	for (k = 0; k < p.ntop; k++)
		kx_buf_printf(&o->b, "\t%s", p.tl->names.name[p.top[k]]);
	kx_buf_puts(&o->b, "\tother\n");
	for (r = 0; r < p.nrows && !rc; r++) {
		size_t i = p.rows[r];
		const struct kx_tl_interval *iv = &p.tl->iv[i];

		kx_buf_printf(&o->b, "%llu.%06u\t%.6f",
			      (unsigned long long)iv->t0.sec,
			      iv->t0.nsec / 1000, iv->seconds);
		tsv_rate(&o->b, iv, iv->total);
		for (k = 0; k < p.ntop; k++)
			tsv_rate(&o->b, iv, kx_tl_delta(p.tl, i, p.top[k]));
		tsv_rate(&o->b, iv, rest(&p, i));
		kx_buf_putc(&o->b, '\n');
		rc = row_done(o, e);
	}
	if (!rc)
		rc = out_done(o, e);
	plan_free(&p);
	return rc;
}

/* ---- JSON Lines -------------------------------------------------------- */

static int cmp_delta(const void *pa, const void *pb)
{
	const struct kx_tl_delta *a = pa, *b = pb;

	if (a->delta != b->delta)
		return a->delta > b->delta ? -1 : 1;
	return a->reason < b->reason ? -1 : a->reason > b->reason;
}

static void json_rate(struct kx_buf *b, const struct kx_tl_interval *iv,
		      uint64_t count)
{
	if (iv->reset)
		kx_buf_puts(b, "null");
	else
		kx_buf_printf(b, "%.*f", KX_RATE_DECIMALS,
			      kx_tl_rate(iv, count));
}

int kx_tl_json(const struct kx_tl_view *v, struct kx_tl_out *o,
	       struct kx_err *e)
{
	struct kx_tl_delta *sorted;
	struct plan p;
	size_t r, k, first;
	int rc = plan_make(v, &p, e);

	if (rc)
		return rc;
	sorted = calloc(p.tl->names.n ? p.tl->names.n : 1, sizeof(*sorted));
	if (!sorted) {
		plan_free(&p);
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	}
	for (r = 0; r < p.nrows && !rc; r++) {
		size_t i = p.rows[r];
		const struct kx_tl_interval *iv = &p.tl->iv[i];
		struct kx_buf *b = &o->b;

		kx_buf_printf(b, "{\"type\":\"timeline\",\"format\":%d,"
			      "\"seq\":%zu,\"t\":%llu.%09u,"
			      "\"elapsed_seconds\":%.3f,"
			      "\"interval_seconds\":%.3f,\"reset\":%s,"
			      "\"total\":%llu,\"exits_per_second\":",
			      KX_JSON_FORMAT, i + 1,
			      (unsigned long long)iv->t0.sec, iv->t0.nsec,
			      kx_time_sub(&iv->t0, &p.tl->first), iv->seconds,
			      iv->reset ? "true" : "false",
			      (unsigned long long)iv->total);
		json_rate(b, iv, iv->total);
		if (iv->n) {
			memcpy(sorted, p.tl->d + iv->first,
			       iv->n * sizeof(*sorted));
			qsort(sorted, iv->n, sizeof(*sorted), cmp_delta);
		}
		kx_buf_puts(b, ",\"reasons\":[");
		for (k = 0; k < iv->n; k++) {
			kx_buf_puts(b, k ? ",{\"name\":" : "{\"name\":");
			kx_json_str(b, p.tl->names.name[sorted[k].reason]);
			kx_buf_printf(b, ",\"delta\":%llu,\"per_second\":",
				      (unsigned long long)sorted[k].delta);
			json_rate(b, iv, sorted[k].delta);
			kx_buf_putc(b, '}');
		}
		kx_buf_puts(b, "],\"marks\":[");
		first = marks_from(&p, (ssize_t)i);
		for (k = first; k < p.nmarks && p.loc[k] == (ssize_t)i; k++) {
			const struct kx_mark *m = &v->marks->m[k];

			kx_buf_printf(b, "%s{\"t\":%llu.%09u,\"label\":",
				      k > first ? "," : "",
				      (unsigned long long)m->t.sec, m->t.nsec);
			kx_json_str(b, m->label);
			kx_buf_putc(b, '}');
		}
		kx_buf_puts(b, "]}\n");
		rc = row_done(o, e);
	}
	if (!rc)
		rc = out_done(o, e);
	free(sorted);
	plan_free(&p);
	return rc;
}
