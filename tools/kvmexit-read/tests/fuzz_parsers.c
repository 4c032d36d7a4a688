// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: feeds the input to every parser (by_reason, vendor,
 * total, snapshot formats 1 and 2, a recording's lines, marks), renders
 * what parses, and if the input holds two parts separated by a line
 * "--8<--", parses them as by_reason and its time file, as two snapshots,
 * which it diffs with and without --force (and per vCPU), and as a
 * recording and its marks, whose timeline it renders. Any crash,
 * sanitizer report or broken invariant aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counters.h"
#include "diff.h"
#include "marks.h"
#include "output.h"
#include "snapshot.h"
#include "timeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kx_snapshot sa, sb;
static struct kx_diff d;
static struct kx_source fuzz_src;

static void render_counters(const struct kx_snapshot *s)
{
	struct kx_buf b;
	struct kx_snapshot *again;
	struct kx_err e;
	uint64_t sum = 0;
	size_t i;

	uint64_t tc = 0, tns = 0, tmax = 0;

	for (i = 0; i < s->c.n; i++) {
		sum += s->c.r[i].count;
		tc += s->c.r[i].tcount;
		tns += s->c.r[i].tns;
		if (s->c.r[i].tmax > tmax)
			tmax = s->c.r[i].tmax;
		if (s->c.r[i].tmax > s->c.r[i].tns)
			abort(); /* parsers must refuse max > total */
	}
	if (sum != s->c.sum || !s->c.n || !s->c.r[s->c.n - 1].is_other)
		abort();
	if (s->c.has_time && (tc != s->c.tcount_sum || tns != s->c.tns_sum ||
			      tmax != s->c.tmax_all))
		abort();
	kx_source_all(&fuzz_src, "fuzz");
	kx_buf_init(&b);
	kx_table_counters(&s->c, &b);
	kx_json_counters(s, "fuzz", &b);
	if (s->scope[0])
		kx_json_vm(s, &fuzz_src, &b);
	kx_prom_counters(s, &b);
	kx_buf_reset(&b);
	/* a snapshot written out must read back identically */
	kx_snapshot_format(s, &b);
	again = calloc(1, sizeof(*again));
	if (!again || b.failed)
		abort();
	if (kx_snapshot_parse(b.p, b.len, "again", again, &e) ||
	    again->c.n != s->c.n || again->c.sum != s->c.sum ||
	    again->c.has_time != s->c.has_time ||
	    again->c.tns_sum != s->c.tns_sum || again->nvcpu != s->nvcpu ||
	    strcmp(again->scope, s->scope))
		abort();
	for (i = 0; i < s->nvcpu; i++)
		if (again->vcpu[i].id != s->vcpu[i].id ||
		    again->vcpu[i].c.sum != s->vcpu[i].c.sum)
			abort();
	kx_snapshot_free(again);
	kx_buf_free(&b);
}

static void diff_both(const struct kx_snapshot *a, const struct kx_snapshot *b)
{
	struct kx_buf out;
	struct kx_err e;
	int force;

	kx_buf_init(&out);
	for (force = 0; force < 2; force++) {
		int r = kx_diff(a, b, "a", "b", force, &d, &e);

		if (force && r == 0 && d.problems) {
			kx_diff_describe(&d, "w: ", 1, &out);
		}
		if (r)
			continue;
		if (!force && d.problems)
			abort(); /* refused problems must not pass */
		kx_table_diff(&d, "t", &out);
		kx_json_diff(&d, "a", "b", &out);
		kx_watch_line(&d, 1.0, &out);
		if (a->nvcpu && b->nvcpu &&
		    kx_diff_vcpus(&d, "a", "b", force, &e) == 0) {
			if (!force && d.problems)
				abort();
			kx_table_diff_vcpus(&d, &out);
			kx_json_diff(&d, "a", "b", &out);
		}
		kx_diff_release(&d);
	}
	kx_buf_free(&out);
}

static struct kx_timeline tl;

/* buf[0..len) as a recording, line by line; if it reads, the invariants
 * of its intervals, and the timeline rendered with the marks of mbuf */
static void timeline(const char *buf, size_t len, const char *mbuf,
		     size_t mlen)
{
	struct kx_tl_view v = { &tl, NULL, 3, 0 };
	struct kx_marks mk = { 0, NULL, NULL };
	struct kx_lines at;
	struct kx_tl_out o;
	struct kx_err e;
	size_t pos = 0, i, k, busy[64];
	uint32_t top[8];
	uint64_t sum;
	char *m;
	int r = 0;

	kx_tl_free(&tl);
	memset(&tl, 0, sizeof(tl));
	kx_lines_init(&at, buf, len, "fuzz");
	while (!r && pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - buf - pos) : len - pos;

		at.lineno++;
		if (memchr(buf + pos, '\0', n))
			return;
		r = kx_tl_line(&tl, buf + pos, n, &at, &e);
		pos += n + 1;
	}
	if (r || kx_tl_finish(&tl, &e))
		return;
	for (i = 0, sum = 0; i < tl.ni; i++) {
		uint64_t dsum = 0;

		for (k = 0; k < tl.iv[i].n; k++)
			dsum += tl.d[tl.iv[i].first + k].delta;
		if (dsum != tl.iv[i].total || !(tl.iv[i].seconds > 0) ||
		    kx_tl_locate(&tl, &tl.iv[i].t0) != (ssize_t)i)
			abort();
		sum += tl.iv[i].total;
	}
	if (sum != tl.total)
		abort();
	k = kx_tl_top(&tl, 8, top);
	for (i = 1; i < k; i++)
		if (tl.reason_total[top[i]] > tl.reason_total[top[i - 1]])
			abort();
	if (tl.ni <= 64) {
		k = kx_tl_busiest(&tl, 64, busy);
		for (i = 1; i < k; i++)
			if (kx_tl_rate(&tl.iv[busy[i]], tl.iv[busy[i]].total) >
			    kx_tl_rate(&tl.iv[busy[i - 1]],
				       tl.iv[busy[i - 1]].total))
				abort();
	}
	m = malloc(mlen + 1);
	if (!m)
		abort();
	memcpy(m, mbuf, mlen);
	m[mlen] = '\0';
	if (kx_marks_parse(m, mlen, "marks", &mk, &e) == 0)
		v.marks = &mk;
	kx_buf_init(&o.b);
	o.flush = NULL;
	o.ctx = NULL;
	kx_tl_table(&v, &o, &e);
	kx_tl_tsv(&v, &o, &e);
	kx_tl_json(&v, &o, &e);
	v.busiest = 2;
	kx_tl_table(&v, &o, &e);
	kx_buf_free(&o.b);
	kx_marks_free(&mk);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data, *cut;
	struct kx_err e;
	size_t i;

	if (size > KX_SNAPSHOT_MAX)
		return 0;
	kx_snapshot_release(&sa);
	kx_snapshot_release(&sb);
	memset(&sa, 0, sizeof(sa));
	if (kx_parse_by_reason(buf, size, "fuzz", &sa.c, &e) == 0) {
		strcpy(sa.c.vendor, "vmx");
		strcpy(sa.boot_id, "unknown");
		strcpy(sa.kernel, "k");
		render_counters(&sa);
		/* the same text as a time file of those reasons: "by_reason
		 * lines" plus "--8<--\n" plus the time_by_reason lines */
		for (i = 0; i + 7 <= size; i++)
			if (!memcmp(buf + i, "--8<--\n", 7)) {
				memset(&sa, 0, sizeof(sa));
				if (kx_parse_by_reason(buf, i, "fuzz", &sa.c, &e) == 0 &&
				    kx_parse_times(buf + i + 7, size - i - 7, "fuzz",
						   &sa.c, &e) == 0) {
					size_t k;

					for (k = 0; k < sa.c.n; k++)
						if (sa.c.r[k].tmax > sa.c.r[k].tns)
							abort(); /* parser must refuse */
					strcpy(sa.c.vendor, "vmx");
					strcpy(sa.boot_id, "unknown");
					strcpy(sa.kernel, "k");
					render_counters(&sa);
				}
				break;
			}
	}
	kx_parse_vendor(buf, size, "fuzz", &sa.c, &e);
	kx_parse_total(buf, size, "fuzz", &sa.c, &e);
	if (kx_snapshot_parse(buf, size, "fuzz", &sa, &e) == 0) {
		render_counters(&sa);
		diff_both(&sa, &sa);
	}
	kx_snapshot_release(&sa);
	/* two snapshots: "A--8<--\nB" */
	cut = NULL;
	for (i = 0; i + 7 <= size; i++)
		if (!memcmp(buf + i, "--8<--\n", 7)) {
			cut = buf + i;
			break;
		}
	if (cut && kx_snapshot_parse(buf, (size_t)(cut - buf), "a", &sa, &e) == 0 &&
	    kx_snapshot_parse(cut + 7, size - (size_t)(cut - buf) - 7, "b", &sb,
			      &e) == 0)
		diff_both(&sa, &sb);
	/* a recording, and after "--8<--" its marks */
	if (cut)
		timeline(buf, (size_t)(cut - buf), cut + 7,
			 size - (size_t)(cut - buf) - 7);
	else
		timeline(buf, size, "", 0);
	kx_snapshot_release(&sa);
	kx_snapshot_release(&sb);
	return 0;
}
