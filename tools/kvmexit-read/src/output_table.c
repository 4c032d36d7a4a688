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
	char avg[16], max[16]; /* handling time, if the table is timed */
};

struct table {
	struct row *rows;
	size_t n;
	const char *value_head;
	uint64_t total;
	const struct kx_diff *rate_of; /* add a RATE/s column if set */
	int timed;		       /* add AVG and MAX columns */
	char avg[16], max[16];	       /* of the total line */
};

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
	if (t->timed)
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
		if (t->timed)
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
	struct table t = { rows, 0, "COUNT", c->sum, NULL, 0, "", "" };

	for (i = 0; i < c->n; i++)
		if (c->r[i].count)
			idx[n++] = i;
	/* the sums were checked not to overflow when the file was read */
	t.timed = c->has_time && c->tcount_sum;
	time_cells(t.avg, t.max, sizeof(t.avg), c->tcount_sum, c->tns_sum,
		   c->tmax_all);
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
	}
	t.n = n;
	render(&t, b);
}

static void interval_line(const struct kx_diff *d, struct kx_buf *b)
{
	char num[96];
	double r;

	if (d->seconds_valid)
		kx_buf_printf(b, "%.3f s%s", d->seconds,
			      d->wall_clock ? " (wall clock)" : "");
	else
		kx_buf_puts(b, "interval unknown");
	kx_fmt_count(num, sizeof(num), d->total);
	kx_buf_printf(b, ", %s exits", num);
	if (kx_diff_rate(d, d->total, &r)) {
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
	struct table t = { rows, 0, "DELTA", d->total, d, 0, "", "" };

	/* AVG of the interval's handling times; MAX is B's (since reset) */
	t.timed = d->timed && d->tcount;
	time_cells(t.avg, t.max, sizeof(t.avg), d->tcount, d->tns, d->tmax);
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
	}
	t.n = n;
	kx_buf_printf(b, "%s: ", title);
	interval_line(d, b);
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

void kx_watch_header(struct kx_buf *b)
{
	kx_buf_printf(b, "%9s %12s %11s  %s\n", "ELAPSED", "EXITS", "EXITS/s",
		      "TOP REASONS");
}

void kx_watch_line(const struct kx_diff *d, double elapsed, struct kx_buf *b)
{
	size_t idx[KX_MAX_REASONS], i, n;
	char rt[96], num[32];
	double r;

	if (kx_diff_rate(d, d->total, &r))
		kx_fmt_rate(rt, sizeof(rt), r);
	else
		snprintf(rt, sizeof(rt), "-");
	kx_fmt_count(num, sizeof(num), d->total);
	kx_buf_printf(b, "%9.3f %12s %11s", elapsed, num, rt);
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
