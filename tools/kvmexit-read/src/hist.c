// SPDX-License-Identifier: GPL-2.0
#include "hist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUOTE_MAX 48

uint64_t kx_hist_upper(int i)
{
	if (i >= KX_HIST_BUCKETS - 1)
		return UINT64_MAX;
	return (uint64_t)1 << (KX_HIST_SHIFT + i);
}

uint64_t kx_hist_lower(int i)
{
	return i ? (uint64_t)1 << (KX_HIST_SHIFT + i - 1) : 0;
}

const char *kx_hist_edges_text(void)
{
	static char text[256];
	size_t o = 0;
	int i;

	if (text[0])
		return text;
	for (i = 0; i < KX_HIST_BUCKETS - 1; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "%llu ",
				      (unsigned long long)kx_hist_upper(i));
	snprintf(text + o, sizeof(text) - o, "+Inf");
	return text;
}

int kx_hist_row_from_fields(const struct kx_lines *it,
			    const struct kx_field *f, struct kx_hist_row *r,
			    struct kx_err *e)
{
	char what[32];
	int i, rc;

	memset(r, 0, sizeof(*r));
	r->lineno = it->lineno;
	rc = kx_code_name_from_fields(it, f, &r->code, &r->is_other, r->name,
				      e);
	if (!rc)
		rc = kx_field_u64(it, "min_ns", &f[2], &r->min, e);
	for (i = 0; !rc && i < KX_HIST_BUCKETS; i++) {
		snprintf(what, sizeof(what), "bucket %d count", i);
		rc = kx_field_u64(it, what, &f[3 + i], &r->b[i], e);
		if (!rc && r->count > UINT64_MAX - r->b[i])
			rc = kx_lines_fail(it, e,
					   "sum of the buckets overflows 64 "
					   "bits");
		if (!rc)
			r->count += r->b[i];
	}
	return rc;
}

/* the index of the reason of c with row r's code, or -1 */
static long reason_of(const struct kx_counters *c, const struct kx_hist_row *r)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!c->r[i].is_other && c->r[i].code == r->code)
			return (long)i;
	return -1;
}

int kx_hist_add(const struct kx_lines *it, struct kx_counters *c,
		const struct kx_hist_row *r, struct kx_err *e)
{
	struct kx_hist *h = c->hist;
	struct kx_hist_row *last = h && h->n ? &h->r[h->n - 1] : NULL;
	long i = -1;
	size_t k;

	if (last && last->is_other)
		return kx_lines_fail(it, e,
				     r->is_other ?
				     "duplicate 'other' line (first on line %u)" :
				     "line after the 'other' line (which must "
				     "be the last one, line %u)",
				     last->lineno);
	if (!r->is_other) {
		for (k = 0; h && k < h->n; k++)
			if (h->r[k].code == r->code)
				return kx_lines_fail(it, e,
						     "duplicate code 0x%04llx "
						     "(first on line %u)",
						     (unsigned long long)r->code,
						     h->r[k].lineno);
		i = reason_of(c, r);
		if (i < 0)
			return kx_lines_fail(it, e,
					     "code 0x%04llx (%s) is not a reason "
					     "of by_reason (files out of step?)",
					     (unsigned long long)r->code,
					     r->name);
		if (strcmp(c->r[i].name, r->name))
			return kx_lines_fail(it, e,
					     "reason '%s' where by_reason has "
					     "'%s' for code 0x%04llx (files out "
					     "of step?)",
					     r->name, c->r[i].name,
					     (unsigned long long)r->code);
		if (last && (size_t)i < last->reason)
			return kx_lines_fail(it, e,
					     "%s after %s: not in the order of "
					     "by_reason",
					     r->name, last->name);
	}
	if (h && h->total > UINT64_MAX - r->count)
		return kx_lines_fail(it, e,
				     "sum of the buckets of all lines "
				     "overflows 64 bits");
	if (!h || h->n == h->cap) {
		/* at most one row per reason, 'other' included */
		size_t cap = h ? h->cap * 2 : 8;
		struct kx_hist *nh;

		if (cap > KX_MAX_REASONS)
			cap = KX_MAX_REASONS;
		if (h && h->n >= cap)
			return kx_lines_fail(it, e,
					     "too many lines (more than %d)",
					     KX_MAX_REASONS);
		nh = realloc(h, sizeof(*nh) + cap * sizeof(nh->r[0]));
		if (!nh)
			return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		if (!h) {
			nh->n = 0;
			nh->total = 0;
		}
		nh->cap = cap;
		c->hist = h = nh;
	}
	h->r[h->n] = *r;
	h->r[h->n].reason = r->is_other ? c->n : (size_t)i;
	h->n++;
	h->total += r->count;
	return 0;
}

int kx_hist_finish(const struct kx_lines *it, const struct kx_counters *c,
		   struct kx_err *e)
{
	struct kx_lines end = *it;

	end.lineno++;
	if (!c->hist || !c->hist->n || !c->hist->r[c->hist->n - 1].is_other)
		return kx_lines_fail(&end, e,
				     "end of file without the 'other' line "
				     "(file truncated?)");
	return 0;
}

/* "code name min_ns 256 512 ... +Inf": the header without '#' */
static const char *header_text(void)
{
	static char text[320];

	if (!text[0])
		snprintf(text, sizeof(text), "code name min_ns %s",
			 kx_hist_edges_text());
	return text;
}

/* The header line, after its '#': "code name min_ns" and the 24 bucket
 * edges. */
static int check_header(const struct kx_lines *it, const char *line,
			size_t n, struct kx_err *e)
{
	static const char *const words[3] = { "code", "name", "min_ns" };
	struct kx_field f[KX_HIST_FIELDS + 2];
	char q[QUOTE_MAX], want[24];
	int nf, i;

	nf = kx_split(line + 1, n - 1, f, KX_HIST_FIELDS + 1);
	for (i = 0; i < 3; i++) {
		if (i >= nf)
			return kx_lines_fail(it, e,
					     "bad header: no '%s' (expected '# "
					     "code name min_ns' and the bucket "
					     "edges)",
					     words[i]);
		if (!kx_field_is(&f[i], words[i])) {
			kx_quote(q, sizeof(q), f[i].p, f[i].n);
			return kx_lines_fail(it, e,
					     "bad header: '%s' where '%s' is "
					     "expected (the header is '# code "
					     "name min_ns' and the bucket "
					     "edges)",
					     q, words[i]);
		}
	}
	if (nf != KX_HIST_FIELDS)
		return kx_lines_fail(it, e,
				     "bad header: %s%d bucket edges, expected "
				     "%d (%s)",
				     nf > KX_HIST_FIELDS ? "more than " : "",
				     (nf > KX_HIST_FIELDS ? nf - 1 : nf) - 3,
				     KX_HIST_BUCKETS, kx_hist_edges_text());
	for (i = 0; i < KX_HIST_BUCKETS; i++) {
		if (i < KX_HIST_BUCKETS - 1)
			snprintf(want, sizeof(want), "%llu",
				 (unsigned long long)kx_hist_upper(i));
		else
			snprintf(want, sizeof(want), "+Inf");
		if (!kx_field_is(&f[3 + i], want)) {
			kx_quote(q, sizeof(q), f[3 + i].p, f[3 + i].n);
			return kx_lines_fail(it, e,
					     "bad header: the edge of bucket %d "
					     "is '%s', expected %s",
					     i, q, want);
		}
	}
	return 0;
}

static int parse_hist(const char *buf, size_t len, const char *fname,
		      struct kx_counters *c, struct kx_err *e)
{
	struct kx_field f[KX_HIST_FIELDS + 2];
	struct kx_hist_row r;
	struct kx_lines it;
	const char *line;
	size_t n;
	int rc, nf;

	kx_lines_init(&it, buf, len, fname);
	it.max = KX_HIST_LINE_MAX;
	while ((rc = kx_lines_next_row(&it, header_text(), check_header, &line,
				       &n, e)) == 1) {
		nf = kx_split(line, n, f, KX_HIST_FIELDS + 1);
		if (nf != KX_HIST_FIELDS)
			return kx_lines_fail(&it, e,
					     "expected %d fields '<code> <name> "
					     "<min_ns>' and %d bucket counts, "
					     "got %s%d",
					     KX_HIST_FIELDS, KX_HIST_BUCKETS,
					     nf > KX_HIST_FIELDS ? "more than " :
								   "",
					     nf > KX_HIST_FIELDS ?
					     KX_HIST_FIELDS : nf);
		rc = kx_hist_row_from_fields(&it, f, &r, e);
		if (!rc)
			rc = kx_hist_add(&it, c, &r, e);
		if (rc)
			return rc;
	}
	if (rc)
		return rc;
	return kx_hist_finish(&it, c, e);
}

int kx_parse_hist(const char *buf, size_t len, const char *fname,
		  struct kx_counters *c, struct kx_err *e)
{
	int r;

	free(c->hist);
	c->hist = NULL;
	r = parse_hist(buf, len, fname, c, e);
	if (r) {
		free(c->hist);
		c->hist = NULL;
	}
	return r;
}

/* "<hist_path>:<line>: <name>: the buckets add up to <count> timed exits,
 * but <time_path> has <lo>" (or "had <lo> before and <hi> after"); for the
 * "other" row: "the buckets of all lines add up to". */
static int count_mismatch(const char *hist_path,
			  const struct kx_hist_row *row, uint64_t count,
			  const char *time_path, uint64_t lo, uint64_t hi,
			  struct kx_err *e)
{
	char was[80];

	if (lo == hi)
		snprintf(was, sizeof(was), "has %llu", (unsigned long long)lo);
	else
		snprintf(was, sizeof(was), "had %llu before and %llu after",
			 (unsigned long long)lo, (unsigned long long)hi);
	return kx_fail(e, KX_EXIT_BADINPUT,
		       "%s:%u: %s%s add up to %llu timed exits, but %s %s (the "
		       "files disagree)",
		       hist_path, row->lineno, row->is_other ? "" : row->name,
		       row->is_other ? "the buckets of all lines" :
				       ": the buckets",
		       (unsigned long long)count, time_path, was);
}

int kx_hist_check_times(const struct kx_counters *t1,
			const struct kx_counters *t2, const char *hist_path,
			const char *time_path, int *racy, struct kx_err *e)
{
	const struct kx_hist *h = t1->hist;
	size_t i;

	*racy = t1->tcount_sum != t2->tcount_sum || t1->tns_sum != t2->tns_sum;
	for (i = 0; i < t1->n && i < t2->n; i++)
		if (t1->r[i].tcount != t2->r[i].tcount ||
		    t1->r[i].tns != t2->r[i].tns)
			*racy = 1;
	if (t1->n != t2->n)
		*racy = 1;
	for (i = 0; i < h->n; i++) {
		const struct kx_hist_row *row = &h->r[i];
		uint64_t lo, hi;

		if (row->is_other) {
			lo = t1->tcount_sum;
			hi = t2->tcount_sum;
			if (h->total >= lo && h->total <= hi)
				continue;
			return count_mismatch(hist_path, row, h->total,
					      time_path, lo, hi, e);
		}
		lo = t1->r[row->reason].tcount;
		hi = row->reason < t2->n ? t2->r[row->reason].tcount : 0;
		if (row->count < lo || row->count > hi)
			return count_mismatch(hist_path, row, row->count,
					      time_path, lo, hi, e);
		/* min <= average <= max: only of one moment */
		if (lo != hi || !lo || t1->r[row->reason].tns !=
					       t2->r[row->reason].tns)
			continue;
		if (row->min > t1->r[row->reason].tns / lo)
			return kx_fail(e, KX_EXIT_BADINPUT,
				       "%s:%u: %s: min_ns %llu above the "
				       "average of %s, %llu (total_ns %llu / "
				       "count %llu; the files disagree)",
				       hist_path, row->lineno, row->name,
				       (unsigned long long)row->min, time_path,
				       (unsigned long long)(t1->r[row->reason].tns /
							    lo),
				       (unsigned long long)t1->r[row->reason].tns,
				       (unsigned long long)lo);
		if (t1->r[row->reason].tns / lo > t1->r[row->reason].tmax)
			return kx_fail(e, KX_EXIT_BADINPUT,
				       "%s: %s: the average %llu (total_ns "
				       "%llu / count %llu) is above max_ns "
				       "%llu",
				       time_path, row->name,
				       (unsigned long long)(t1->r[row->reason].tns /
							    lo),
				       (unsigned long long)t1->r[row->reason].tns,
				       (unsigned long long)lo,
				       (unsigned long long)t1->r[row->reason].tmax);
	}
	return 0;
}

const struct kx_hist_row *kx_hist_row_of(const struct kx_hist *h, size_t i)
{
	size_t k;

	for (k = 0; h && k < h->n; k++)
		if (!h->r[k].is_other && h->r[k].reason == i)
			return &h->r[k];
	return NULL;
}

const struct kx_hist_row *kx_hist_other(const struct kx_hist *h)
{
	return h && h->n && h->r[h->n - 1].is_other ? &h->r[h->n - 1] : NULL;
}

int kx_hist_quantile(const uint64_t *b, uint64_t count, uint64_t min,
		     uint64_t max, double q, uint64_t *v)
{
	double target = q * (double)count, cum = 0, lo, hi, x;
	int i;

	if (!count)
		return 0;
	for (i = 0; i < KX_HIST_BUCKETS; i++) {
		if (!b[i])
			continue;
		/* the last non-empty bucket takes what rounding leaves */
		if (cum + (double)b[i] >= target || i == KX_HIST_BUCKETS - 1)
			break;
		cum += (double)b[i];
	}
	if (i == KX_HIST_BUCKETS) {
		/* count was more than the buckets hold: the last non-empty */
		for (i = KX_HIST_BUCKETS - 1; i > 0 && !b[i]; i--)
			;
		cum = (double)count - (double)b[i];
	}
	lo = (double)kx_hist_lower(i);
	hi = i == KX_HIST_BUCKETS - 1 ? (double)max : (double)kx_hist_upper(i);
	if (hi < lo)
		hi = lo;
	x = b[i] ? (target - cum) / (double)b[i] : 1;
	if (x < 0)
		x = 0;
	if (x > 1)
		x = 1;
	x = lo + x * (hi - lo);
	if (x < (double)min)
		x = (double)min;
	if (x > (double)max)
		x = (double)max;
	/* at most max, a u64: the conversion cannot overflow */
	*v = x >= 18446744073709549568.0 ? max : (uint64_t)(x + 0.5);
	if (*v > max)
		*v = max;
	return 1;
}

void kx_hist_all(const struct kx_hist *h, uint64_t *b, uint64_t *count,
		 uint64_t *min)
{
	size_t k;
	int i;

	memset(b, 0, KX_HIST_BUCKETS * sizeof(*b));
	*count = 0;
	*min = 0;
	for (k = 0; h && k < h->n; k++) {
		const struct kx_hist_row *r = &h->r[k];

		if (!r->count)
			continue;
		if (!*count || r->min < *min)
			*min = r->min;
		/* each below h->total, which was checked */
		for (i = 0; i < KX_HIST_BUCKETS; i++)
			b[i] += r->b[i];
		*count += r->count;
	}
}

void kx_hist_other_times(const struct kx_counters *c, uint64_t *max,
			 uint64_t *ns, uint64_t *count)
{
	size_t i;

	*max = 0;
	*ns = 0;
	*count = 0;
	for (i = 0; i < c->n; i++) {
		if (kx_hist_row_of(c->hist, i))
			continue;
		if (c->r[i].tmax > *max)
			*max = c->r[i].tmax;
		/* parts of c->tns_sum and c->tcount_sum, checked */
		*ns += c->r[i].tns;
		*count += c->r[i].tcount;
	}
}
