// SPDX-License-Identifier: GPL-2.0
#include "output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row {
	char code[24];
	const char *name;
	uint64_t value;
	const char *mark; /* " (reset)", " (new)" or "" after the name */
	/* handling time, if the table is timed; p99 if it has histograms */
	char avg[16], p99[16], max[16];
};

struct table {
	struct row *rows;
	size_t n;
	const char *value_head;
	uint64_t total;
	const struct kx_diff *rate_of; /* add a RATE/s column if set */
	int timed;		       /* add AVG and MAX columns */
	int p99;		       /* and P99 between them */
	char avg[16], p99_total[16], max[16]; /* of the total line */
};

/* the p99 estimate of a histogram row whose longest time is max, or "-" */
static void p99_cell(char *out, size_t size, const struct kx_hist_row *row,
		     uint64_t max)
{
	uint64_t v;

	if (row && kx_hist_quantile(row->b, row->count, row->min, max, 0.99,
				    &v))
		kx_fmt_ns(out, size, v);
	else
		snprintf(out, size, "-");
}

/* the p99 estimate of all rows of h together, or "-" */
static void p99_all(char *out, size_t size, const struct kx_hist *h,
		    uint64_t max)
{
	struct kx_hist_row all;

	memset(&all, 0, sizeof(all));
	kx_hist_all(h, all.b, &all.count, &all.min);
	p99_cell(out, size, &all, max);
}

void kx_fmt_ns(char *out, size_t size, uint64_t ns)
{
	/* the unit is chosen after rounding: 999960 ns is 1.0ms, not
	 * 1000.0us */
	if (ns < 1000)
		snprintf(out, size, "%lluns", (unsigned long long)ns);
	else if (ns < 999950)
		snprintf(out, size, "%.1fus", (double)ns / 1e3);
	else if (ns < 999950000)
		snprintf(out, size, "%.1fms", (double)ns / 1e6);
	else
		snprintf(out, size, "%.2fs", (double)ns / 1e9);
}

static void time_cells(char *avg, char *max, size_t size, uint64_t count,
		       uint64_t ns, uint64_t mx)
{
	if (!count) {
		snprintf(avg, size, "-");
		snprintf(max, size, "-");
		return;
	}
	kx_fmt_ns(avg, size, ns / count);
	kx_fmt_ns(max, size, mx);
}

void kx_fmt_group(char *out, size_t size, const char *num)
{
	size_t n = strspn(num, "0123456789"), o = 0, i;

	for (i = 0; num[i] && o + 2 < size; i++) {
		if (i && i < n && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = num[i];
	}
	out[o] = '\0';
}

void kx_fmt_count(char *out, size_t size, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	kx_fmt_group(out, size, num);
}

void kx_fmt_rate(char *out, size_t size, double r)
{
	char num[64];

	snprintf(num, sizeof(num), "%.*f", KX_RATE_DECIMALS, r);
	kx_fmt_group(out, size, num);
}

static void share(char *out, size_t size, uint64_t v, uint64_t total)
{
	if (total)
		snprintf(out, size, "%.2f%%",
			 (double)v * 100.0 / (double)total);
	else
		snprintf(out, size, "-");
}

static void rate(char *out, size_t size, const struct kx_diff *d, uint64_t v)
{
	double r;

	if (kx_diff_rate(d, v, &r))
		kx_fmt_rate(out, size, r);
	else
		snprintf(out, size, "-");
}

static void render(const struct table *t, struct kx_buf *b)
{
	size_t wc = strlen("CODE"), wn = strlen("REASON");
	size_t wv = strlen(t->value_head), wr = strlen("RATE/s"), i;
	char sh[32], rt[96], val[32];

	for (i = 0; i < t->n; i++) {
		const struct row *r = &t->rows[i];
		size_t nl = strlen(r->name) + strlen(r->mark);

		if (strlen(r->code) > wc)
			wc = strlen(r->code);
		if (nl > wn)
			wn = nl;
	}
	if (strlen("total") > wn)
		wn = strlen("total");
	kx_fmt_count(val, sizeof(val), t->total);
	if (strlen(val) > wv)
		wv = strlen(val);
	if (t->rate_of) {
		rate(rt, sizeof(rt), t->rate_of, t->total);
		if (strlen(rt) > wr)
			wr = strlen(rt);
	}

	kx_buf_printf(b, "%-*s  %-*s  %*s  %7s", (int)wc, "CODE", (int)wn,
		      "REASON", (int)wv, t->value_head, "SHARE");
	if (t->rate_of)
		kx_buf_printf(b, "  %*s", (int)wr, "RATE/s");
	if (t->timed && t->p99)
		kx_buf_printf(b, "  %8s  %8s  %8s", "AVG", "P99", "MAX");
	else if (t->timed)
		kx_buf_printf(b, "  %8s  %8s", "AVG", "MAX");
	kx_buf_putc(b, '\n');
	for (i = 0; i < t->n + 1; i++) {
		const struct row *r = i < t->n ? &t->rows[i] : NULL;
		uint64_t v = r ? r->value : t->total;
		char name[KX_NAME_MAX + 16];

		snprintf(name, sizeof(name), "%s%s", r ? r->name : "total",
			 r ? r->mark : "");
		share(sh, sizeof(sh), v, t->total);
		kx_fmt_count(val, sizeof(val), v);
		kx_buf_printf(b, "%-*s  %-*s  %*s  %7s", (int)wc,
			      r ? r->code : "", (int)wn, name, (int)wv, val,
			      sh);
		if (t->rate_of) {
			rate(rt, sizeof(rt), t->rate_of, v);
			kx_buf_printf(b, "  %*s", (int)wr, rt);
		}
		if (t->timed && t->p99)
			kx_buf_printf(b, "  %8s  %8s  %8s", r ? r->avg : t->avg,
				      r ? r->p99 : t->p99_total,
				      r ? r->max : t->max);
		else if (t->timed)
			kx_buf_printf(b, "  %8s  %8s", r ? r->avg : t->avg,
				      r ? r->max : t->max);
		kx_buf_putc(b, '\n');
	}
}

static const struct kx_counters *sort_c;

static int cmp_count(const void *pa, const void *pb)
{
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	uint64_t x = sort_c->r[ia].count, y = sort_c->r[ib].count;

	if (x != y)
		return x > y ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

void kx_table_counters(const struct kx_counters *c, struct kx_buf *b)
{
	size_t idx[KX_MAX_REASONS], i, n = 0;
	struct row rows[KX_MAX_REASONS];
	struct table t = { rows, 0, "COUNT", c->sum, NULL, 0, 0, "", "", "" };

	for (i = 0; i < c->n; i++)
		if (c->r[i].count)
			idx[n++] = i;
	/* the sums were checked not to overflow when the file was read */
	t.timed = c->has_time && c->tcount_sum;
	t.p99 = c->hist != NULL;
	time_cells(t.avg, t.max, sizeof(t.avg), c->tcount_sum, c->tns_sum,
		   c->tmax_all);
	p99_all(t.p99_total, sizeof(t.p99_total), c->hist, c->tmax_all);
	sort_c = c;
	qsort(idx, n, sizeof(*idx), cmp_count);
	sort_c = NULL;
	for (i = 0; i < n; i++) {
		const struct kx_reason *r = &c->r[idx[i]];

		kx_code_str(r, rows[i].code, sizeof(rows[i].code));
		rows[i].name = r->name;
		rows[i].value = r->count;
		rows[i].mark = "";
		time_cells(rows[i].avg, rows[i].max, sizeof(rows[i].avg),
			   r->tcount, r->tns, r->tmax);
		p99_cell(rows[i].p99, sizeof(rows[i].p99),
			 kx_hist_row_of(c->hist, idx[i]), r->tmax);
	}
	t.n = n;
	render(&t, b);
}

/* "12.500 s, 2,020 exits, 161.60 exits/s" of count exits ("2,020 MSR
 * exits" with a noun) */
static void interval_line(const struct kx_diff *d, uint64_t count,
			  const char *noun, struct kx_buf *b)
{
	char num[96];
	double r;

	if (d->seconds_valid)
		kx_buf_printf(b, "%.3f s%s", d->seconds,
			      d->wall_clock ? " (wall clock)" : "");
	else
		kx_buf_puts(b, "interval unknown");
	kx_fmt_count(num, sizeof(num), count);
	kx_buf_printf(b, ", %s %s%sexits", num, noun ? noun : "",
		      noun ? " " : "");
	if (kx_diff_rate(d, count, &r)) {
		kx_fmt_rate(num, sizeof(num), r);
		kx_buf_printf(b, ", %s exits/s", num);
	}
	kx_buf_putc(b, '\n');
}

void kx_table_diff(const struct kx_diff *d, const char *title,
		   struct kx_buf *b)
{
	size_t idx[KX_MAX_REASONS], i, n;
	struct row rows[KX_MAX_REASONS];
	struct table t = { rows, 0, "DELTA", d->total, d, 0, 0, "", "", "" };

	/* AVG and P99 of the interval's handling times; MAX is B's (since
	 * reset) */
	t.timed = d->timed && d->tcount;
	t.p99 = d->hist != NULL;
	time_cells(t.avg, t.max, sizeof(t.avg), d->tcount, d->tns, d->tmax);
	p99_all(t.p99_total, sizeof(t.p99_total), d->hist, d->tmax);
	n = kx_diff_sorted(d, idx);
	for (i = 0; i < n; i++) {
		const struct kx_delta *x = &d->d[idx[i]];
		struct kx_reason tmp;

		tmp.is_other = x->is_other;
		tmp.code = x->code;
		kx_code_str(&tmp, rows[i].code, sizeof(rows[i].code));
		rows[i].name = x->name;
		rows[i].value = x->delta;
		rows[i].mark = x->reset ? " (reset)" : x->is_new ? " (new)" : "";
		time_cells(rows[i].avg, rows[i].max, sizeof(rows[i].avg),
			   x->tcount, x->tns, x->tmax);
		p99_cell(rows[i].p99, sizeof(rows[i].p99),
			 kx_hist_row_of(d->hist, idx[i]), x->tmax);
	}
	t.n = n;
	kx_buf_printf(b, "%s: ", title);
	interval_line(d, d->total, NULL, b);
	render(&t, b);
}

void kx_table_diff_vcpus(const struct kx_diff *d, struct kx_buf *b)
{
	char title[64];
	size_t i;

	for (i = 0; i < d->nvcpu; i++) {
		snprintf(title, sizeof(title), "\nvcpu%d%s", d->vcpu_id[i],
			 d->vcpu_new[i] ? " (new, counted from 0)" : "");
		kx_table_diff(&d->vcpu[i], title, b);
	}
}

void kx_watch_header(struct kx_buf *b, int p99)
{
	if (p99)
		kx_buf_printf(b, "%9s %12s %11s %9s  %s\n", "ELAPSED", "EXITS",
			      "EXITS/s", "P99", "TOP REASONS");
	else
		kx_buf_printf(b, "%9s %12s %11s  %s\n", "ELAPSED", "EXITS",
			      "EXITS/s", "TOP REASONS");
}

void kx_watch_line(const struct kx_diff *d, double elapsed, int p99,
		   struct kx_buf *b)
{
	size_t idx[KX_MAX_REASONS], i, n;
	char rt[96], num[32], p[16];
	double r;

	if (kx_diff_rate(d, d->total, &r))
		kx_fmt_rate(rt, sizeof(rt), r);
	else
		snprintf(rt, sizeof(rt), "-");
	kx_fmt_count(num, sizeof(num), d->total);
	kx_buf_printf(b, "%9.3f %12s %11s", elapsed, num, rt);
	if (p99) {
		p99_all(p, sizeof(p), d->hist, d->tmax);
		kx_buf_printf(b, " %9s", p);
	}
	n = kx_diff_sorted(d, idx);
	for (i = 0; i < n && i < 3; i++) {
		const struct kx_delta *x = &d->d[idx[i]];

		kx_fmt_count(num, sizeof(num), x->delta);
		kx_buf_printf(b, "%s%s %s", i ? ", " : "  ", x->name, num);
	}
	if (d->problems & KX_P_DECREASE)
		kx_buf_puts(b, n ? " (counters reset)" : "  (counters reset)");
	kx_buf_putc(b, '\n');
}

/* A row of a detail table: its key cells (the last with a mark such as
 * " (reset)") and its value. */
struct drow {
	char cells[3][80];
	uint64_t value;
};

/* The rows, then "other" and "total" (the last two of rows[0..n)), with
 * COUNT or DELTA, SHARE of total and, if rate_of, RATE/s. */
static void render_cols(int ncols, const char *const *cols,
			const struct drow *rows, size_t n,
			const char *value_head, uint64_t total,
			const struct kx_diff *rate_of, struct kx_buf *b)
{
	size_t w[3], wv = strlen(value_head), wr = strlen("RATE/s"), i;
	char sh[32], rt[96], val[32];
	int c;

	for (c = 0; c < ncols; c++)
		w[c] = strlen(cols[c]);
	for (i = 0; i < n; i++) {
		for (c = 0; c < ncols; c++)
			if (strlen(rows[i].cells[c]) > w[c])
				w[c] = strlen(rows[i].cells[c]);
		kx_fmt_count(val, sizeof(val), rows[i].value);
		if (strlen(val) > wv)
			wv = strlen(val);
		if (rate_of) {
			rate(rt, sizeof(rt), rate_of, rows[i].value);
			if (strlen(rt) > wr)
				wr = strlen(rt);
		}
	}
	for (c = 0; c < ncols; c++)
		kx_buf_printf(b, "%-*s  ", (int)w[c], cols[c]);
	kx_buf_printf(b, "%*s  %7s", (int)wv, value_head, "SHARE");
	if (rate_of)
		kx_buf_printf(b, "  %*s", (int)wr, "RATE/s");
	kx_buf_putc(b, '\n');
	for (i = 0; i < n; i++) {
		for (c = 0; c < ncols; c++)
			kx_buf_printf(b, "%-*s  ", (int)w[c], rows[i].cells[c]);
		share(sh, sizeof(sh), rows[i].value, total);
		kx_fmt_count(val, sizeof(val), rows[i].value);
		kx_buf_printf(b, "%*s  %7s", (int)wv, val, sh);
		if (rate_of) {
			rate(rt, sizeof(rt), rate_of, rows[i].value);
			kx_buf_printf(b, "  %*s", (int)wr, rt);
		}
		kx_buf_putc(b, '\n');
	}
}

static void render_detail(enum kx_detail_kind k, const struct drow *rows,
			  size_t n, const char *value_head, uint64_t total,
			  const struct kx_diff *rate_of, struct kx_buf *b)
{
	const struct kx_detail_info *info = kx_detail_info(k);

	render_cols(info->ncols, info->cols, rows, n, value_head, total,
		    rate_of, b);
}

/* the "other" or "total" row */
static void label_row(struct drow *r, const char *label, const char *mark,
		      uint64_t value)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->cells[0], sizeof(r->cells[0]), "%s%s", label, mark);
	r->value = value;
}

static const struct kx_detail_table *sort_dt;

static int cmp_row_count(const void *pa, const void *pb)
{
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	uint64_t x = sort_dt->r[ia].count, y = sort_dt->r[ib].count;

	if (x != y)
		return x > y ? -1 : 1;
	return ia < ib ? -1 : ia > ib; /* r[] is by key */
}

void kx_table_detail(const struct kx_detail_table *t, struct kx_buf *b)
{
	struct drow *rows = malloc((t->n + 2) * sizeof(*rows));
	size_t *idx = malloc((t->n + 1) * sizeof(*idx));
	size_t i, n = 0;
	char cells[3][64];
	int c;

	if (!rows || !idx) {
		b->failed = 1;
		goto out;
	}
	for (i = 0; i < t->n; i++)
		if (t->r[i].count)
			idx[n++] = i;
	sort_dt = t;
	qsort(idx, n, sizeof(*idx), cmp_row_count);
	sort_dt = NULL;
	for (i = 0; i < n; i++) {
		kx_detail_cells(t->kind, &t->r[idx[i]], cells);
		for (c = 0; c < 3; c++)
			memcpy(rows[i].cells[c], cells[c], sizeof(cells[c]));
		rows[i].value = t->r[idx[i]].count;
	}
	label_row(&rows[n], "other", "", t->other);
	label_row(&rows[n + 1], "total", "", t->sum);
	render_detail(t->kind, rows, n + 2, "COUNT", t->sum, NULL, b);
out:
	free(rows);
	free(idx);
}

static const char *detail_noun(enum kx_detail_kind k)
{
	return k == KX_DET_MSR ? "MSR" : k == KX_DET_IO ? "I/O" : "exception";
}

void kx_table_detail_diff(const struct kx_diff *d, enum kx_detail_kind k,
			  const char *title, struct kx_buf *b)
{
	const struct kx_detail_diff *t = &d->det->t[k];
	struct drow *rows = malloc((t->n + 2) * sizeof(*rows));
	size_t *idx = malloc((t->n + 1) * sizeof(*idx));
	const struct kx_detail_info *info = kx_detail_info(k);
	size_t i, n;
	char cells[3][64];
	int c;

	if (!rows || !idx) {
		b->failed = 1;
		goto out;
	}
	n = kx_detail_diff_sorted(t, idx);
	for (i = 0; i < n; i++) {
		const struct kx_detail_delta *x = &t->d[idx[i]];

		kx_detail_cells(k, &x->k, cells);
		for (c = 0; c < 3; c++)
			snprintf(rows[i].cells[c], sizeof(rows[i].cells[c]),
				 "%.63s%s", cells[c],
				 c == info->ncols - 1 && x->reset ? " (reset)" :
								    "");
		rows[i].value = x->delta;
	}
	label_row(&rows[n], "other", t->other_reset ? " (reset)" : "",
		  t->other);
	label_row(&rows[n + 1], "total", "", t->total);
	kx_buf_printf(b, "%s: ", title);
	interval_line(d, t->total, detail_noun(k), b);
	render_detail(k, rows, n + 2, "DELTA", t->total, d, b);
out:
	free(rows);
	free(idx);
}

void kx_watch_detail_header(struct kx_buf *b)
{
	kx_buf_printf(b, "%9s %-10s %12s %11s  %s\n", "ELAPSED", "TABLE",
		      "EXITS", "EXITS/s", "TOP KEYS");
}

void kx_watch_detail_line(const struct kx_diff *d, enum kx_detail_kind k,
			  double elapsed, struct kx_buf *b)
{
	const struct kx_detail_diff *t = &d->det->t[k];
	size_t *idx = malloc((t->n + 1) * sizeof(*idx));
	char rt[96], num[32], key[96];
	size_t i, n;
	double r;

	if (!idx) {
		b->failed = 1;
		return;
	}
	if (kx_diff_rate(d, t->total, &r))
		kx_fmt_rate(rt, sizeof(rt), r);
	else
		snprintf(rt, sizeof(rt), "-");
	kx_fmt_count(num, sizeof(num), t->total);
	kx_buf_printf(b, "%9.3f %-10s %12s %11s", elapsed,
		      kx_detail_info(k)->json, num, rt);
	n = kx_detail_diff_sorted(t, idx);
	for (i = 0; i < n && i < 3; i++) {
		kx_fmt_count(num, sizeof(num), t->d[idx[i]].delta);
		kx_buf_printf(b, "%s%s %s", i ? ", " : "  ",
			      kx_detail_short(k, &t->d[idx[i]].k, key,
					      sizeof(key)),
			      num);
	}
	if (t->other) {
		kx_fmt_count(num, sizeof(num), t->other);
		kx_buf_printf(b, "%sother %s", n ? ", " : "  ", num);
	}
	if (t->nreset)
		kx_buf_puts(b, n || t->other ? " (counters reset)" :
					       "  (counters reset)");
	kx_buf_putc(b, '\n');
	free(idx);
}

/* --hist: the range of bucket i, "<= 256ns", "256ns - 512ns", "> 1.07s" */
static void bucket_range(char *out, size_t size, int i)
{
	char lo[16], hi[16];

	kx_fmt_ns(lo, sizeof(lo), kx_hist_lower(i));
	kx_fmt_ns(hi, sizeof(hi), kx_hist_upper(i));
	if (!i)
		snprintf(out, size, "<= %s", hi);
	else if (i == KX_HIST_BUCKETS - 1)
		snprintf(out, size, "> %s", lo);
	else
		snprintf(out, size, "%s - %s", lo, hi);
}

#define KX_HIST_BAR 40 /* characters of the longest bar */

void kx_table_hist(const struct kx_hist_view *v, struct kx_buf *b)
{
	const struct kx_hist_row *row = v->row;
	static const double qs[3] = { 0.5, 0.9, 0.99 };
	static const char *const qn[3] = { "p50", "p90", "p99" };
	size_t wr = strlen("TIME"), wc = strlen("COUNT");
	char range[40], num[32], sh[32], t1[16], t2[16], t3[16];
	int first = -1, last = -1, i, k, len;
	uint64_t top = 0, q;

	for (i = 0; i < KX_HIST_BUCKETS; i++) {
		if (!row->b[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
		if (row->b[i] > top)
			top = row->b[i];
	}
	kx_fmt_count(num, sizeof(num), row->count);
	kx_buf_printf(b, "%s: %s timed exit%s%s\n", v->title, num,
		      row->count == 1 ? "" : "s",
		      v->interval ? " in the interval" : "");
	for (i = first; first >= 0 && i <= last; i++) {
		bucket_range(range, sizeof(range), i);
		if (strlen(range) > wr)
			wr = strlen(range);
		kx_fmt_count(num, sizeof(num), row->b[i]);
		if (strlen(num) > wc)
			wc = strlen(num);
	}
	if (first >= 0)
		kx_buf_printf(b, "%-*s  %*s  %7s\n", (int)wr, "TIME", (int)wc,
			      "COUNT", "SHARE");
	for (i = first; first >= 0 && i <= last; i++) {
		bucket_range(range, sizeof(range), i);
		kx_fmt_count(num, sizeof(num), row->b[i]);
		share(sh, sizeof(sh), row->b[i], row->count);
		kx_buf_printf(b, "%-*s  %*s  %7s", (int)wr, range, (int)wc,
			      num, sh);
		/* at least one character for a bucket that is not empty */
		len = (int)((double)row->b[i] * KX_HIST_BAR / (double)top + 0.5);
		if (row->b[i] && !len)
			len = 1;
		if (len)
			kx_buf_puts(b, "  ");
		for (k = 0; k < len; k++)
			kx_buf_putc(b, '#');
		kx_buf_putc(b, '\n');
	}
	kx_fmt_count(num, sizeof(num), row->count);
	if (v->tcount)
		kx_fmt_ns(t2, sizeof(t2), v->tns / v->tcount);
	else
		snprintf(t2, sizeof(t2), "-");
	kx_fmt_ns(t1, sizeof(t1), row->min);
	kx_fmt_ns(t3, sizeof(t3), v->max);
	if (!row->count) {
		snprintf(t1, sizeof(t1), "-");
		snprintf(t3, sizeof(t3), "-");
	}
	if (v->interval)
		kx_buf_printf(b,
			      "count %s, avg %s; since the last reset: min %s, "
			      "max %s\n",
			      num, t2, t1, t3);
	else
		kx_buf_printf(b, "count %s, min %s, avg %s, max %s\n", num, t1,
			      t2, t3);
	if (!row->count)
		return;
	for (k = 0; k < 3; k++) {
		kx_hist_quantile(row->b, row->count, row->min, v->max, qs[k],
				 &q);
		kx_fmt_ns(t1, sizeof(t1), q);
		kx_buf_printf(b, "%s%s ~%s", k ? ", " : "", qn[k], t1);
	}
	kx_buf_puts(b, " (estimates)\n");
}

/* the cells of code c of a userspace table: its code and name */
static void user_cells(struct drow *r, unsigned c, const char *name,
		       const char *mark)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->cells[0], sizeof(r->cells[0]), "%u", c);
	snprintf(r->cells[1], sizeof(r->cells[1]), "%.47s%s", name, mark);
}

static const uint64_t *sort_user;

static int cmp_user(const void *pa, const void *pb)
{
	unsigned a = *(const unsigned *)pa, b = *(const unsigned *)pb;

	if (sort_user[a] != sort_user[b])
		return sort_user[a] > sort_user[b] ? -1 : 1;
	return a < b ? -1 : a > b; /* by code */
}

/* the codes with a non-zero value in v, largest first (ties by code) */
static unsigned user_sorted(const uint64_t *v, uint64_t present,
			    unsigned *idx)
{
	unsigned c, n = 0;

	for (c = 0; c < KX_USER_CODES; c++)
		if ((present >> c & 1) && v[c])
			idx[n++] = c;
	sort_user = v;
	qsort(idx, n, sizeof(*idx), cmp_user);
	sort_user = NULL;
	return n;
}

static const char *const user_cols[2] = { "CODE", "NAME" };

void kx_table_user(const struct kx_user *u, struct kx_buf *b)
{
	struct drow rows[KX_USER_CODES + 3];
	unsigned idx[KX_USER_CODES], i, n;

	n = user_sorted(u->count, u->present, idx);
	for (i = 0; i < n; i++) {
		user_cells(&rows[i], idx[i], u->name[idx[i]], "");
		rows[i].value = u->count[idx[i]];
	}
	label_row(&rows[n], "error", "", u->error);
	label_row(&rows[n + 1], "other", "", u->other);
	label_row(&rows[n + 2], "total", "", u->sum);
	render_cols(2, user_cols, rows, n + 3, "COUNT", u->sum, NULL, b);
}

void kx_table_user_diff(const struct kx_diff *d, const char *title,
			struct kx_buf *b)
{
	const struct kx_user_diff *u = d->user;
	struct drow rows[KX_USER_CODES + 3];
	unsigned idx[KX_USER_CODES], i, n;

	n = user_sorted(u->delta, u->present, idx);
	for (i = 0; i < n; i++) {
		user_cells(&rows[i], idx[i], u->name[idx[i]],
			   u->reset >> idx[i] & 1 ? " (reset)" : "");
		rows[i].value = u->delta[idx[i]];
	}
	label_row(&rows[n], "error", u->error_reset ? " (reset)" : "",
		  u->error);
	label_row(&rows[n + 1], "other", u->other_reset ? " (reset)" : "",
		  u->other);
	label_row(&rows[n + 2], "total", "", u->total);
	kx_buf_printf(b, "%s: ", title);
	interval_line(d, u->total, "userspace", b);
	render_cols(2, user_cols, rows, n + 3, "DELTA", u->total, d, b);
}

void kx_watch_user_line(const struct kx_diff *d, double elapsed,
			struct kx_buf *b)
{
	const struct kx_user_diff *u = d->user;
	unsigned idx[KX_USER_CODES], i, n;
	char rt[96], num[32];
	const char *sep = "  ";
	double r;

	if (kx_diff_rate(d, u->total, &r))
		kx_fmt_rate(rt, sizeof(rt), r);
	else
		snprintf(rt, sizeof(rt), "-");
	kx_fmt_count(num, sizeof(num), u->total);
	kx_buf_printf(b, "%9.3f %-10s %12s %11s", elapsed, "userspace", num,
		      rt);
	n = user_sorted(u->delta, u->present, idx);
	for (i = 0; i < n && i < 3; i++) {
		kx_fmt_count(num, sizeof(num), u->delta[idx[i]]);
		if (strcmp(u->name[idx[i]], "-"))
			kx_buf_printf(b, "%s%s %s", sep, u->name[idx[i]], num);
		else
			kx_buf_printf(b, "%scode %u %s", sep, idx[i], num);
		sep = ", ";
	}
	if (u->error) {
		kx_fmt_count(num, sizeof(num), u->error);
		kx_buf_printf(b, "%serror %s", sep, num);
		sep = ", ";
	}
	if (u->other) {
		kx_fmt_count(num, sizeof(num), u->other);
		kx_buf_printf(b, "%sother %s", sep, num);
		sep = ", ";
	}
	if (u->nreset)
		kx_buf_printf(b, "%s(counters reset)", *sep == ',' ? " " : "  ");
	kx_buf_putc(b, '\n');
}
