// SPDX-License-Identifier: GPL-2.0
#include "output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kx_json_str(struct kx_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	kx_buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			kx_buf_putc(b, '\\');
			kx_buf_putc(b, (char)ch);
		} else if (ch == '\n') {
			kx_buf_puts(b, "\\n");
		} else if (ch < 0x20 || ch >= 0x7f) {
			/* bytes >= 0x80 (paths need not be UTF-8) are shown
			 * as the code point of the same value: valid JSON */
			kx_buf_puts(b, "\\u00");
			kx_buf_putc(b, hex[ch >> 4]);
			kx_buf_putc(b, hex[ch & 15]);
		} else {
			kx_buf_putc(b, (char)ch);
		}
	}
	kx_buf_putc(b, '"');
}

/* {"type":"TYPE","format":N, */
static void json_head(struct kx_buf *b, const char *type)
{
	kx_buf_printf(b, "{\"type\":\"%s\",\"format\":%d,", type,
		      KX_JSON_FORMAT);
}

static void json_time(struct kx_buf *b, const struct kx_time *t)
{
	kx_buf_printf(b, "%llu.%09u", (unsigned long long)t->sec, t->nsec);
}

/* a number with decimals, or null if not valid */
static void json_double(struct kx_buf *b, double v, int decimals, int valid)
{
	if (valid && isfinite(v))
		kx_buf_printf(b, "%.*f", decimals, v);
	else
		kx_buf_puts(b, "null");
}

/* ,"time_count":N,"time_total_ns":N,"time_max_ns":N */
static void json_time_keys(struct kx_buf *b, uint64_t count, uint64_t ns,
			   uint64_t max)
{
	kx_buf_printf(b, ",\"time_count\":%llu,\"time_total_ns\":%llu,"
		      "\"time_max_ns\":%llu", (unsigned long long)count,
		      (unsigned long long)ns, (unsigned long long)max);
}

static void json_code(struct kx_buf *b, unsigned is_other, uint64_t code)
{
	if (is_other)
		kx_buf_puts(b, "null");
	else
		kx_buf_printf(b, "\"0x%04llx\"", (unsigned long long)code);
}

/* "source", "vendor", "kernel", "boot_id", "wall_time", "boottime" */
static void json_meta(struct kx_buf *b, const struct kx_snapshot *s,
		      const char *source)
{
	kx_buf_puts(b, "\"source\":");
	kx_json_str(b, source);
	kx_buf_puts(b, ",\"vendor\":");
	kx_json_str(b, s->c.vendor);
	kx_buf_puts(b, ",\"kernel\":");
	kx_json_str(b, s->kernel);
	kx_buf_puts(b, ",\"boot_id\":");
	kx_json_str(b, s->boot_id);
	kx_buf_puts(b, ",\"wall_time\":");
	json_time(b, &s->wall);
	kx_buf_puts(b, ",\"boottime\":");
	json_time(b, &s->boot);
}


/* The key members of a detail row: "msr":"0x0000001b","name":"EFER"|null,
 * "access":"read"; "port":"0x010f","size":1,"access":"out"; "vector":6,
 * "name":"UD"|null */
static void json_detail_key(struct kx_buf *b, enum kx_detail_kind k,
			    const struct kx_detail_row *r)
{
	const char *name = kx_detail_name(k, r);

	if (k == KX_DET_IO) {
		kx_buf_printf(b, "\"port\":\"0x%04x\",\"size\":%u,"
			      "\"access\":\"%s\"",
			      (unsigned)r->key, (unsigned)r->size,
			      r->write ? "out" : "in");
		return;
	}
	if (k == KX_DET_MSR)
		kx_buf_printf(b, "\"msr\":\"0x%08x\",\"name\":",
			      (unsigned)r->key);
	else
		kx_buf_printf(b, "\"vector\":%u,\"name\":", (unsigned)r->key);
	if (name)
		kx_json_str(b, name);
	else
		kx_buf_puts(b, "null");
	if (k == KX_DET_MSR)
		kx_buf_printf(b, ",\"access\":\"%s\"",
			      r->write ? "write" : "read");
}

/* ,"msr":{"total":N,"other":N,"rows":[{...,"count":N}]} of each table,
 * rows by key */
static void json_detail(const struct kx_detail *d, struct kx_buf *b)
{
	size_t i;
	int k;

	for (k = 0; k < KX_DET_KINDS; k++) {
		const struct kx_detail_table *t = &d->t[k];

		if (!(d->mask & KX_DETAIL_BIT(k)))
			continue;
		kx_buf_printf(b, ",\"%s\":{\"total\":%llu,\"other\":%llu,"
			      "\"rows\":[",
			      kx_detail_info(k)->json,
			      (unsigned long long)t->sum,
			      (unsigned long long)t->other);
		for (i = 0; i < t->n; i++) {
			kx_buf_puts(b, i ? ",{" : "{");
			json_detail_key(b, k, &t->r[i]);
			kx_buf_printf(b, ",\"count\":%llu}",
				      (unsigned long long)t->r[i].count);
		}
		kx_buf_puts(b, "]}");
	}
}

/* ,"p50_ns":N,"p90_ns":N,"p99_ns":N (null if no times) of a histogram row
 * whose longest time is max; prefix: "" or "time_" */
static void json_quantiles(struct kx_buf *b, const char *prefix,
			   const struct kx_hist_row *row, uint64_t max)
{
	static const double qs[3] = { 0.5, 0.9, 0.99 };
	static const char *const qn[3] = { "p50", "p90", "p99" };
	uint64_t v;
	int k;

	for (k = 0; k < 3; k++) {
		kx_buf_printf(b, ",\"%s%s_ns\":", prefix, qn[k]);
		if (kx_hist_quantile(row->b, row->count, row->min, max, qs[k],
				     &v))
			kx_buf_printf(b, "%llu", (unsigned long long)v);
		else
			kx_buf_puts(b, "null");
	}
}

/* ,"hist":[{"le_ns":256,"count":N},...,{"le_ns":null,"count":N}] */
static void json_buckets(struct kx_buf *b, const struct kx_hist_row *row)
{
	int i;

	kx_buf_puts(b, ",\"hist\":[");
	for (i = 0; i < KX_HIST_BUCKETS; i++) {
		kx_buf_puts(b, i ? ",{\"le_ns\":" : "{\"le_ns\":");
		if (i < KX_HIST_BUCKETS - 1)
			kx_buf_printf(b, "%llu",
				      (unsigned long long)kx_hist_upper(i));
		else
			kx_buf_puts(b, "null");
		kx_buf_printf(b, ",\"count\":%llu}",
			      (unsigned long long)row->b[i]);
	}
	kx_buf_putc(b, ']');
}

/* ,"time_p50_ns":...,"time_p99_ns":N of all rows of h; then
 * ,"hist_other":{"count":N[,"min_ns":N],"p50_ns":...,"hist":[...]} of its
 * "other" row, whose longest time is other_max */
static void json_hist_totals(struct kx_buf *b, const struct kx_hist *h,
			     uint64_t max, uint64_t other_max, int with_min)
{
	const struct kx_hist_row *o = kx_hist_other(h);
	struct kx_hist_row all;

	memset(&all, 0, sizeof(all));
	kx_hist_all(h, all.b, &all.count, &all.min);
	json_quantiles(b, "time_", &all, max);
	if (!o)
		return;
	kx_buf_printf(b, ",\"hist_other\":{\"count\":%llu",
		      (unsigned long long)o->count);
	if (with_min)
		kx_buf_printf(b, ",\"min_ns\":%llu",
			      (unsigned long long)o->min);
	json_quantiles(b, "", o, other_max);
	json_buckets(b, o);
	kx_buf_putc(b, '}');
}

/* ,"userspace_exits":{"total":N,"error":N,"other":N,"rows":[{"code":2,
 * "name":"KVM_EXIT_IO","count":N}]}, rows by code */
static void json_user(struct kx_buf *b, const struct kx_user *u)
{
	const char *name;
	unsigned c;
	int first = 1;

	kx_buf_printf(b, ",\"userspace_exits\":{\"total\":%llu,\"error\":%llu,"
		      "\"other\":%llu,\"rows\":[",
		      (unsigned long long)u->sum, (unsigned long long)u->error,
		      (unsigned long long)u->other);
	for (c = 0; c < KX_USER_CODES; c++) {
		if (!(u->present >> c & 1))
			continue;
		kx_buf_printf(b, "%s{\"code\":%u,\"name\":", first ? "" : ",",
			      c);
		name = kx_user_name(u, c);
		if (name)
			kx_json_str(b, name);
		else
			kx_buf_puts(b, "null");
		kx_buf_printf(b, ",\"count\":%llu}",
			      (unsigned long long)u->count[c]);
		first = 0;
	}
	kx_buf_puts(b, "]}");
}

/* A counters object of c (s: the meta data and scope) */
static void counters_obj(const struct kx_snapshot *s,
			 const struct kx_counters *c, const char *source,
			 struct kx_buf *b)
{
	size_t i;

	json_head(b, "counters");
	json_meta(b, s, source);
	if (s->scope[0]) {
		kx_buf_puts(b, ",\"vm\":");
		kx_json_str(b, s->scope);
	}
	if (c->has_time)
		kx_buf_puts(b, ",\"time_stats\":true");
	if (c->hist) {
		uint64_t omax, ons, ocount;

		kx_hist_other_times(c, &omax, &ons, &ocount);
		kx_buf_puts(b, ",\"time_hist\":true");
		json_hist_totals(b, c->hist, c->tmax_all, omax, 1);
	}
	kx_buf_printf(b, ",\"total\":%llu,\"total_file\":%llu,\"reasons\":[",
		      (unsigned long long)c->sum,
		      (unsigned long long)c->total_file);
	for (i = 0; i < c->n; i++) {
		const struct kx_reason *r = &c->r[i];
		const struct kx_hist_row *h = kx_hist_row_of(c->hist, i);

		kx_buf_puts(b, i ? ",{\"code\":" : "{\"code\":");
		json_code(b, r->is_other, r->code);
		kx_buf_puts(b, ",\"name\":");
		kx_json_str(b, r->name);
		kx_buf_printf(b, ",\"count\":%llu",
			      (unsigned long long)r->count);
		if (c->has_time)
			json_time_keys(b, r->tcount, r->tns, r->tmax);
		if (h) {
			kx_buf_printf(b, ",\"min_ns\":%llu",
				      (unsigned long long)h->min);
			json_quantiles(b, "", h, r->tmax);
			json_buckets(b, h);
		}
		kx_buf_putc(b, '}');
	}
	kx_buf_putc(b, ']');
	if (c == &s->c && s->det)
		json_detail(s->det, b);
	if (c->user)
		json_user(b, c->user);
	kx_buf_putc(b, '}');
}

void kx_json_counters(const struct kx_snapshot *s, const char *source,
		      struct kx_buf *b)
{
	counters_obj(s, &s->c, source, b);
	kx_buf_putc(b, '\n');
}

void kx_json_vm(const struct kx_snapshot *s, const struct kx_source *src,
		struct kx_buf *b)
{
	struct kx_source vs;
	size_t i;

	json_head(b, "vm");
	kx_buf_puts(b, "\"vm\":");
	kx_json_str(b, s->scope);
	kx_buf_puts(b, ",\"counters\":");
	counters_obj(s, &s->c, src->dir, b);
	kx_buf_puts(b, ",\"vcpus\":[");
	for (i = 0; i < s->nvcpu; i++) {
		kx_source_vcpu(src, s->vcpu[i].id, &vs);
		kx_buf_printf(b, "%s{\"vcpu\":%d,\"counters\":", i ? "," : "",
			      s->vcpu[i].id);
		counters_obj(s, &s->vcpu[i].c, vs.dir, b);
		kx_buf_putc(b, '}');
	}
	kx_buf_puts(b, "]}\n");
}

/* "total", "exits_per_second" and the time sums if timed */
static void diff_totals(const struct kx_diff *d, struct kx_buf *b)
{
	double r;

	kx_buf_printf(b, "\"total\":%llu,\"exits_per_second\":",
		      (unsigned long long)d->total);
	json_double(b, kx_diff_rate(d, d->total, &r) ? r : 0,
		    KX_RATE_DECIMALS, kx_diff_rate(d, d->total, &r));
	if (d->timed)
		json_time_keys(b, d->tcount, d->tns, d->tmax);
	if (d->hist) {
		uint64_t omax, ons, ocount;

		kx_hist_other_times(d->cb, &omax, &ons, &ocount);
		json_hist_totals(b, d->hist, d->tmax, omax, 0);
	}
}

/* "reasons": the non-zero deltas */
static void diff_reason_list(const struct kx_diff *d, struct kx_buf *b)
{
	size_t idx[KX_MAX_REASONS], i, n;
	double r;

	kx_buf_puts(b, "\"reasons\":[");
	n = kx_diff_sorted(d, idx);
	for (i = 0; i < n; i++) {
		const struct kx_delta *x = &d->d[idx[i]];
		int ok = kx_diff_rate(d, x->delta, &r);

		kx_buf_puts(b, i ? ",{\"code\":" : "{\"code\":");
		json_code(b, x->is_other, x->code);
		kx_buf_puts(b, ",\"name\":");
		kx_json_str(b, x->name);
		kx_buf_printf(b, ",\"delta\":%llu,\"per_second\":",
			      (unsigned long long)x->delta);
		json_double(b, ok ? r : 0, KX_RATE_DECIMALS, ok);
		kx_buf_printf(b, ",\"reset\":%s,\"new\":%s",
			      x->reset ? "true" : "false",
			      x->is_new ? "true" : "false");
		if (d->timed)
			json_time_keys(b, x->tcount, x->tns, x->tmax);
		if (kx_hist_row_of(d->hist, idx[i])) {
			json_quantiles(b, "", kx_hist_row_of(d->hist, idx[i]),
				       x->tmax);
			json_buckets(b, kx_hist_row_of(d->hist, idx[i]));
		}
		kx_buf_putc(b, '}');
	}
	kx_buf_puts(b, "]");
}

/* ,"userspace_exits":{"total":N,"per_second":R,"error":{delta},
 * "other":{delta},"rows":[{"code":N,"name":S,delta}]}: the non-zero
 * deltas, largest first (ties by code) */
static void json_user_diff(const struct kx_diff *d, struct kx_buf *b);

/* "delta":N,"per_second":R|null,"reset":B */
static void json_delta(const struct kx_diff *d, uint64_t delta, int reset,
		       struct kx_buf *b)
{
	double r;
	int ok = kx_diff_rate(d, delta, &r);

	kx_buf_printf(b, "\"delta\":%llu,\"per_second\":",
		      (unsigned long long)delta);
	json_double(b, ok ? r : 0, KX_RATE_DECIMALS, ok);
	kx_buf_printf(b, ",\"reset\":%s", reset ? "true" : "false");
}

/* ,"member":{"total":N,"per_second":R|null: the start of a table's diff */
static void json_total(const struct kx_diff *d, const char *member,
		       uint64_t total, struct kx_buf *b)
{
	double r;
	int ok = kx_diff_rate(d, total, &r);

	kx_buf_printf(b, ",\"%s\":{\"total\":%llu,\"per_second\":", member,
		      (unsigned long long)total);
	json_double(b, ok ? r : 0, KX_RATE_DECIMALS, ok);
}

/* ,"msr":{"total":N,"per_second":R,"other":{delta},"rows":[{...,delta}]}
 * of each table diffed, rows with a non-zero delta, largest first */
static void json_detail_diff(const struct kx_diff *d, struct kx_buf *b)
{
	size_t *idx, i, n;
	int k;

	for (k = 0; k < KX_DET_KINDS; k++) {
		const struct kx_detail_diff *t = &d->det->t[k];

		if (!(d->det->mask & KX_DETAIL_BIT(k)))
			continue;
		idx = malloc((t->n + 1) * sizeof(*idx));
		if (!idx) {
			b->failed = 1;
			return;
		}
		json_total(d, kx_detail_info(k)->json, t->total, b);
		kx_buf_puts(b, ",\"other\":{");
		json_delta(d, t->other, t->other_reset, b);
		kx_buf_puts(b, "},\"rows\":[");
		n = kx_detail_diff_sorted(t, idx);
		for (i = 0; i < n; i++) {
			const struct kx_detail_delta *x = &t->d[idx[i]];

			kx_buf_puts(b, i ? ",{" : "{");
			json_detail_key(b, k, &x->k);
			kx_buf_putc(b, ',');
			json_delta(d, x->delta, x->reset, b);
			kx_buf_putc(b, '}');
		}
		kx_buf_puts(b, "]}");
		free(idx);
	}
}

void kx_json_diff_members(const struct kx_diff *d, const char *from,
			  const char *to, struct kx_buf *b)
{
	unsigned bit;
	int first = 1;
	size_t i;

	kx_buf_puts(b, "\"from\":{");
	json_meta(b, d->a, from);
	kx_buf_puts(b, "},\"to\":{");
	json_meta(b, d->b, to);
	kx_buf_puts(b, "},\"interval_seconds\":");
	json_double(b, d->seconds, 3, d->seconds_valid);
	kx_buf_printf(b, ",\"interval_clock\":\"%s\"",
		      d->wall_clock ? "wall_time" : "boottime");
	kx_buf_putc(b, ',');
	diff_totals(d, b);
	kx_buf_puts(b, ",\"forced\":[");
	for (bit = 1; bit < 1u << KX_P_COUNT; bit <<= 1) {
		if (!(d->problems & bit))
			continue;
		kx_buf_printf(b, "%s\"%s\"", first ? "" : ",",
			      kx_problem_key(bit));
		first = 0;
	}
	kx_buf_puts(b, "],");
	if (d->a->scope[0]) {
		kx_buf_puts(b, "\"vm\":");
		kx_json_str(b, d->a->scope);
		kx_buf_putc(b, ',');
	}
	diff_reason_list(d, b);
	if (d->det)
		json_detail_diff(d, b);
	if (d->user)
		json_user_diff(d, b);
	if (!d->vcpu)
		return;
	kx_buf_puts(b, ",\"vcpus\":[");
	for (i = 0; i < d->nvcpu; i++) {
		kx_buf_printf(b, "%s{\"vcpu\":%d,\"new\":%s,", i ? "," : "",
			      d->vcpu_id[i], d->vcpu_new[i] ? "true" : "false");
		diff_totals(&d->vcpu[i], b);
		kx_buf_putc(b, ',');
		diff_reason_list(&d->vcpu[i], b);
		if (d->vcpu[i].user)
			json_user_diff(&d->vcpu[i], b);
		kx_buf_putc(b, '}');
	}
	kx_buf_putc(b, ']');
}

static const uint64_t *sort_delta;

static int cmp_code_delta(const void *pa, const void *pb)
{
	unsigned a = *(const unsigned *)pa, b = *(const unsigned *)pb;

	if (sort_delta[a] != sort_delta[b])
		return sort_delta[a] > sort_delta[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void json_user_diff(const struct kx_diff *d, struct kx_buf *b)
{
	const struct kx_user_diff *u = d->user;
	unsigned idx[KX_USER_CODES], c, n = 0, i;

	for (c = 0; c < KX_USER_CODES; c++)
		if ((u->present >> c & 1) && u->delta[c])
			idx[n++] = c;
	sort_delta = u->delta;
	qsort(idx, n, sizeof(*idx), cmp_code_delta);
	sort_delta = NULL;
	json_total(d, "userspace_exits", u->total, b);
	kx_buf_puts(b, ",\"error\":{");
	json_delta(d, u->error, u->error_reset, b);
	kx_buf_puts(b, "},\"other\":{");
	json_delta(d, u->other, u->other_reset, b);
	kx_buf_puts(b, "},\"rows\":[");
	for (i = 0; i < n; i++) {
		c = idx[i];
		kx_buf_printf(b, "%s{\"code\":%u,\"name\":", i ? "," : "", c);
		if (strcmp(u->name[c], "-"))
			kx_json_str(b, u->name[c]);
		else
			kx_buf_puts(b, "null");
		kx_buf_putc(b, ',');
		json_delta(d, u->delta[c], (int)(u->reset >> c & 1), b);
		kx_buf_putc(b, '}');
	}
	kx_buf_puts(b, "]}");
}

void kx_json_diff(const struct kx_diff *d, const char *from, const char *to,
		  struct kx_buf *b)
{
	json_head(b, "diff");
	kx_json_diff_members(d, from, to, b);
	kx_buf_puts(b, "}\n");
}

void kx_json_interval(const struct kx_diff *d, uint64_t seq, double elapsed,
		      const char *source, struct kx_buf *b)
{
	json_head(b, "interval");
	kx_buf_printf(b, "\"seq\":%llu,\"elapsed_seconds\":",
		      (unsigned long long)seq);
	json_double(b, elapsed, 3, 1);
	kx_buf_putc(b, ',');
	kx_json_diff_members(d, source, source, b);
	kx_buf_puts(b, "}\n");
}

void kx_json_command(const struct kx_diff *d, char *const *cmd, int status,
		     int sig, const char *source, struct kx_buf *b)
{
	int i;

	json_head(b, "command");
	kx_buf_puts(b, "\"command\":[");
	for (i = 0; cmd[i]; i++) {
		if (i)
			kx_buf_putc(b, ',');
		kx_json_str(b, cmd[i]);
	}
	kx_buf_printf(b, "],\"exit_status\":%d,\"signal\":", status);
	if (sig)
		kx_buf_printf(b, "%d,", sig);
	else
		kx_buf_puts(b, "null,");
	kx_json_diff_members(d, source, source, b);
	kx_buf_puts(b, "}\n");
}

void kx_json_reset(const char *source, struct kx_buf *b)
{
	json_head(b, "reset");
	kx_buf_puts(b, "\"source\":");
	kx_json_str(b, source);
	kx_buf_puts(b, "}\n");
}

void kx_json_vms(const struct kx_vm_info *v, int n, const char *source,
		 struct kx_buf *b)
{
	int i;

	json_head(b, "vms");
	kx_buf_puts(b, "\"source\":");
	kx_json_str(b, source);
	kx_buf_puts(b, ",\"vms\":[");
	for (i = 0; i < n; i++) {
		kx_buf_puts(b, i ? ",{\"vm\":" : "{\"vm\":");
		kx_json_str(b, v[i].name);
		kx_buf_printf(b, ",\"pid\":%lu,\"comm\":", v[i].pid);
		kx_json_str(b, v[i].comm);
		kx_buf_printf(b,
			      ",\"vcpus\":%d,\"exits\":%llu,"
			      "\"time_stats\":%s}",
			      v[i].vcpus, v[i].exits,
			      v[i].timed ? "true" : "false");
	}
	kx_buf_puts(b, "]}\n");
}

static void indent(struct kx_buf *b, int depth)
{
	kx_buf_putc(b, '\n');
	while (depth-- > 0)
		kx_buf_puts(b, "  ");
}

void kx_json_indent(struct kx_buf *b)
{
	struct kx_buf o;
	int depth = 0, in_str = 0, esc = 0;
	size_t i;

	if (b->failed || !b->p)
		return;
	kx_buf_init(&o);
	for (i = 0; i < b->len; i++) {
		char c = b->p[i], next = i + 1 < b->len ? b->p[i + 1] : 0;

		if (in_str) {
			kx_buf_putc(&o, c);
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		switch (c) {
		case '"':
			in_str = 1;
			kx_buf_putc(&o, c);
			break;
		case '{':
		case '[':
			kx_buf_putc(&o, c);
			if (next == '}' || next == ']') {
				kx_buf_putc(&o, next);
				i++;
			} else {
				indent(&o, ++depth);
			}
			break;
		case '}':
		case ']':
			indent(&o, --depth);
			kx_buf_putc(&o, c);
			break;
		case ',':
			kx_buf_putc(&o, c);
			indent(&o, depth);
			break;
		case ':':
			kx_buf_puts(&o, ": ");
			break;
		default:
			kx_buf_putc(&o, c);
		}
	}
	if (o.failed) {
		kx_buf_free(&o);
		b->failed = 1;
		return;
	}
	kx_buf_free(b);
	*b = o;
}
