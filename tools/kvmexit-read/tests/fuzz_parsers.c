// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: feeds the input to every parser (by_reason, vendor,
 * total, by_msr, by_io_port, by_exception, time_hist against the VMX
 * reasons, userspace_exits, snapshot formats 1 to 4, a recording's lines,
 * marks), renders what parses, and if the input holds two parts separated
 * by a line "--8<--", parses them as by_reason and its time file, as a
 * time file and its histograms (cross-checked), as two snapshots, which it
 * diffs with and without --force (and per vCPU, and their detail and
 * userspace tables), as two detail tables of each kind and two userspace
 * tables, which it diffs, and as a recording and its marks, whose timeline
 * it renders. Any crash, sanitizer report or broken invariant aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "counters.h"
#include "detail.h"
#include "diff.h"
#include "hist.h"
#include "marks.h"
#include "output.h"
#include "snapshot.h"
#include "timeline.h"
#include "user.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct kx_snapshot sa, sb, da, db;
static struct kx_diff d;
static struct kx_source fuzz_src;

/* the reasons of kvm_intel (Linux 6.12), for time_hist's lines */
static const char VMX_REASONS[] =
	"0x0000 EXCEPTION_NMI 0\n"
	"0x0001 EXTERNAL_INTERRUPT 0\n"
	"0x0002 TRIPLE_FAULT 0\n"
	"0x0003 INIT_SIGNAL 0\n"
	"0x0004 SIPI_SIGNAL 0\n"
	"0x0007 INTERRUPT_WINDOW 0\n"
	"0x0008 NMI_WINDOW 0\n"
	"0x0009 TASK_SWITCH 0\n"
	"0x000a CPUID 0\n"
	"0x000c HLT 0\n"
	"0x000d INVD 0\n"
	"0x000e INVLPG 0\n"
	"0x000f RDPMC 0\n"
	"0x0010 RDTSC 0\n"
	"0x0012 VMCALL 0\n"
	"0x0013 VMCLEAR 0\n"
	"0x0014 VMLAUNCH 0\n"
	"0x0015 VMPTRLD 0\n"
	"0x0016 VMPTRST 0\n"
	"0x0017 VMREAD 0\n"
	"0x0018 VMRESUME 0\n"
	"0x0019 VMWRITE 0\n"
	"0x001a VMOFF 0\n"
	"0x001b VMON 0\n"
	"0x001c CR_ACCESS 0\n"
	"0x001d DR_ACCESS 0\n"
	"0x001e IO_INSTRUCTION 0\n"
	"0x001f MSR_READ 0\n"
	"0x0020 MSR_WRITE 0\n"
	"0x0021 INVALID_STATE 0\n"
	"0x0022 MSR_LOAD_FAIL 0\n"
	"0x0024 MWAIT_INSTRUCTION 0\n"
	"0x0025 MONITOR_TRAP_FLAG 0\n"
	"0x0027 MONITOR_INSTRUCTION 0\n"
	"0x0028 PAUSE_INSTRUCTION 0\n"
	"0x0029 MCE_DURING_VMENTRY 0\n"
	"0x002b TPR_BELOW_THRESHOLD 0\n"
	"0x002c APIC_ACCESS 0\n"
	"0x002d EOI_INDUCED 0\n"
	"0x002e GDTR_IDTR 0\n"
	"0x002f LDTR_TR 0\n"
	"0x0030 EPT_VIOLATION 0\n"
	"0x0031 EPT_MISCONFIG 0\n"
	"0x0032 INVEPT 0\n"
	"0x0033 RDTSCP 0\n"
	"0x0034 PREEMPTION_TIMER 0\n"
	"0x0035 INVVPID 0\n"
	"0x0036 WBINVD 0\n"
	"0x0037 XSETBV 0\n"
	"0x0038 APIC_WRITE 0\n"
	"0x0039 RDRAND 0\n"
	"0x003a INVPCID 0\n"
	"0x003b VMFUNC 0\n"
	"0x003c ENCLS 0\n"
	"0x003d RDSEED 0\n"
	"0x003e PML_FULL 0\n"
	"0x003f XSAVES 0\n"
	"0x0040 XRSTORS 0\n"
	"0x0043 UMWAIT 0\n"
	"0x0044 TPAUSE 0\n"
	"0x004a BUS_LOCK 0\n"
	"0x004b NOTIFY 0\n"
	"- other 0\n"
;

/* hist's invariants: rows in the order of their reasons, sums, "other"
 * last; each row rendered */
static void check_hist(const struct kx_counters *c)
{
	const struct kx_hist *h = c->hist;
	struct kx_hist_view v;
	uint64_t total = 0, sum, q[3];
	struct kx_buf b;
	size_t k;
	int i;

	if (!h)
		return;
	if (!h->n || !h->r[h->n - 1].is_other)
		abort();
	kx_buf_init(&b);
	for (k = 0; k < h->n; k++) {
		const struct kx_hist_row *r = &h->r[k];

		for (i = 0, sum = 0; i < KX_HIST_BUCKETS; i++)
			sum += r->b[i];
		if (sum != r->count || (k + 1 < h->n && r->is_other) ||
		    (!r->is_other && (r->reason >= c->n ||
				      c->r[r->reason].code != r->code ||
				      strcmp(c->r[r->reason].name, r->name))) ||
		    (k && !r->is_other && r->reason <= h->r[k - 1].reason))
			abort();
		total += r->count;
		/* the estimates are ordered and within [min, max] */
		if (kx_hist_quantile(r->b, r->count, r->min, 1u << 20, 0.5,
				     &q[0]) &&
		    (!kx_hist_quantile(r->b, r->count, r->min, 1u << 20, 0.9,
				       &q[1]) ||
		     !kx_hist_quantile(r->b, r->count, r->min, 1u << 20, 0.99,
				       &q[2]) ||
		     q[0] > q[1] || q[1] > q[2] || q[2] > 1u << 20 ||
		     (r->min <= 1u << 20 && q[0] < r->min)))
			abort();
		memset(&v, 0, sizeof(v));
		v.title = "t";
		v.row = r;
		v.max = r->is_other ? 0 : c->r[r->reason].tmax;
		v.tcount = r->count;
		v.tns = r->count;
		kx_table_hist(&v, &b);
	}
	if (total != h->total)
		abort();
	kx_buf_free(&b);
}

/* the userspace table's invariants, rendered */
static void check_user(const struct kx_user *u)
{
	struct kx_buf b;
	uint64_t sum;
	unsigned k;

	if (!u)
		return;
	sum = u->error + u->other;
	for (k = 0; k < KX_USER_CODES; k++)
		sum += u->present >> k & 1 ? u->count[k] : 0;
	if (sum != u->sum || !u->other_line)
		abort();
	kx_buf_init(&b);
	kx_table_user(u, &b);
	kx_buf_free(&b);
}

static int same_hist(const struct kx_hist *x, const struct kx_hist *y)
{
	size_t k;

	if (!x || !y)
		return !x && !y;
	if (x->n != y->n || x->total != y->total)
		return 0;
	for (k = 0; k < x->n; k++)
		if (x->r[k].code != y->r[k].code || x->r[k].min != y->r[k].min ||
		    x->r[k].is_other != y->r[k].is_other ||
		    memcmp(x->r[k].b, y->r[k].b, sizeof(x->r[k].b)) ||
		    strcmp(x->r[k].name, y->r[k].name))
			return 0;
	return 1;
}

static int same_user(const struct kx_user *x, const struct kx_user *y)
{
	unsigned k;

	if (!x || !y)
		return !x && !y;
	if (x->present != y->present || x->sum != y->sum ||
	    x->error != y->error || x->other != y->other)
		return 0;
	for (k = 0; k < KX_USER_CODES; k++)
		if ((x->present >> k & 1) && (x->count[k] != y->count[k] ||
					      strcmp(x->name[k], y->name[k])))
			return 0;
	return 1;
}

static void render_counters(const struct kx_snapshot *s)
{
	struct kx_buf b;
	struct kx_snapshot *again;
	struct kx_err e;
	uint64_t sum = 0;
	size_t i;
	int k;

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
	check_hist(&s->c);
	check_user(s->c.user);
	for (i = 0; i < s->nvcpu; i++) {
		check_hist(&s->vcpu[i].c);
		check_user(s->vcpu[i].c.user);
	}
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
		    again->vcpu[i].c.sum != s->vcpu[i].c.sum ||
		    !same_hist(again->vcpu[i].c.hist, s->vcpu[i].c.hist) ||
		    !same_user(again->vcpu[i].c.user, s->vcpu[i].c.user))
			abort();
	/* histograms are written only with times */
	if (!same_hist(again->c.hist, s->c.has_time ? s->c.hist : NULL) ||
	    !same_user(again->c.user, s->c.user))
		abort();
	if (!!again->det != !!(s->det && s->det->mask))
		abort();
	for (k = 0; again->det && k < KX_DET_KINDS; k++) {
		const struct kx_detail_table *x = &s->det->t[k];
		const struct kx_detail_table *y = &again->det->t[k];

		if (again->det->mask != s->det->mask)
			abort();
		if (!(s->det->mask & KX_DETAIL_BIT(k)))
			continue;
		if (x->n != y->n || x->sum != y->sum || x->other != y->other)
			abort();
		for (i = 0; i < x->n; i++)
			if (kx_detail_cmp(&x->r[i], &y->r[i]) ||
			    x->r[i].count != y->r[i].count ||
			    (k == KX_DET_EXC && strcmp(x->r[i].name,
						       y->r[i].name)))
				abort();
	}
	kx_snapshot_free(again);
	kx_buf_free(&b);
}

/* the detail tables of mask of d's snapshots: deltas, rendered */
static void diff_detail(struct kx_diff *x, unsigned mask, int force,
			struct kx_buf *out)
{
	struct kx_err e;
	int k;

	if (kx_diff_detail(x, mask, "a", "b", force, &e))
		return;
	if (!force && x->problems)
		abort(); /* refused problems must not pass */
	for (k = 0; k < KX_DET_KINDS; k++) {
		const struct kx_detail_diff *t = &x->det->t[k];
		uint64_t sum = t->other;
		size_t i;

		if (!(mask & KX_DETAIL_BIT(k)))
			continue;
		for (i = 0; i < t->n; i++) {
			sum += t->d[i].delta;
			if (t->d[i].delta > t->d[i].k.count ||
			    (i && kx_detail_cmp(&t->d[i - 1].k,
						&t->d[i].k) >= 0))
				abort();
		}
		if (sum != t->total || t->total > x->b->det->t[k].sum)
			abort();
		kx_table_detail_diff(x, k, "t", out);
		kx_watch_detail_line(x, k, 1.0, out);
	}
	kx_json_diff(x, "a", "b", out);
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
		if (d.hist) {
			size_t k;

			if (!b->c.hist || d.hist->n != b->c.hist->n)
				abort();
			for (k = 0; k < d.hist->n; k++)
				if (d.hist->r[k].count > b->c.hist->r[k].count)
					abort(); /* a delta is at most B's */
		}
		kx_table_diff(&d, "t", &out);
		kx_json_diff(&d, "a", "b", &out);
		kx_watch_line(&d, 1.0, 1, &out);
		if (a->det && b->det)
			diff_detail(&d, a->det->mask & b->det->mask, force,
				    &out);
		if (a->nvcpu && b->nvcpu &&
		    kx_diff_vcpus(&d, "a", "b", force, &e) == 0) {
			if (!force && d.problems)
				abort();
			kx_table_diff_vcpus(&d, &out);
			kx_json_diff(&d, "a", "b", &out);
		}
		if (kx_diff_user(&d, "a", "b", force, &e) == 0) {
			if (!force && d.problems)
				abort();
			if (!d.user || d.user->total > b->c.user->sum)
				abort();
			kx_table_user_diff(&d, "t", &out);
			kx_watch_user_line(&d, 1.0, &out);
			kx_json_diff(&d, "a", "b", &out);
		}
		kx_diff_release(&d);
	}
	kx_buf_free(&out);
}

/* buf[0..len) as a table of kind k: invariants, rendered; kept in s */
static int detail_table(enum kx_detail_kind k, const char *buf, size_t len,
			struct kx_snapshot *s)
{
	struct kx_detail_table *t = &s->det->t[k];
	struct kx_buf b;
	struct kx_err e;
	uint64_t sum;
	size_t i;

	if (kx_parse_detail(k, buf, len, "fuzz", t, &e))
		return -1;
	sum = t->other;
	for (i = 0; i < t->n; i++) {
		sum += t->r[i].count;
		if (i && kx_detail_cmp(&t->r[i - 1], &t->r[i]) >= 0)
			abort(); /* sorted, no key twice */
		if ((k == KX_DET_IO) != (t->r[i].size != 0) ||
		    (k == KX_DET_EXC && t->r[i].key > 31))
			abort();
	}
	if (sum != t->sum)
		abort();
	s->det->mask |= KX_DETAIL_BIT(k);
	kx_buf_init(&b);
	kx_table_detail(t, &b);
	kx_buf_free(&b);
	return 0;
}

/* the input as detail tables of each kind; with "A--8<--\nB", their
 * deltas A -> B */
static void detail_tables(const char *buf, size_t size, const char *cut)
{
	static struct kx_detail dta, dtb;
	size_t alen = cut ? (size_t)(cut - buf) : size;
	int k;

	for (k = 0; k < KX_DET_KINDS; k++) {
		memset(&da, 0, sizeof(da));
		memset(&db, 0, sizeof(db));
		dta.mask = dtb.mask = 0;
		da.det = &dta;
		db.det = &dtb;
		if (detail_table(k, buf, alen, &da))
			continue;
		strcpy(da.c.vendor, "vmx");
		strcpy(da.boot_id, "unknown");
		strcpy(da.kernel, "k");
		da.c.n = 1;
		da.c.r[0].is_other = 1;
		strcpy(da.c.r[0].name, "other");
		render_counters(&da);
		if (!cut || detail_table(k, cut + 7, size - alen - 7, &db))
			continue;
		db.c = da.c;
		memcpy(db.boot_id, da.boot_id, sizeof(db.boot_id));
		memcpy(db.kernel, da.kernel, sizeof(db.kernel));
		db.boot.sec = 1;
		diff_both(&da, &db);
	}
	/* static tables: not to be freed */
	da.det = db.det = NULL;
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

/* the input as time_hist against the VMX reasons and as userspace_exits;
 * "A--8<--\nB": A as time_by_reason and B as its time_hist, checked
 * against each other; A and B as two userspace tables, diffed */
static void hist_user(const char *buf, size_t size)
{
	static struct kx_counters vmx, c, t;
	struct kx_user_diff ud;
	struct kx_buf b;
	struct kx_err e;
	const char *cut = NULL;
	size_t i;
	int racy;

	if (!vmx.n && kx_parse_by_reason(VMX_REASONS, sizeof(VMX_REASONS) - 1,
					 "r", &vmx, &e))
		abort();
	c = vmx;
	if (kx_parse_hist(buf, size, "fuzz", &c, &e) == 0) {
		check_hist(&c);
		kx_buf_init(&b);
		kx_table_counters(&c, &b);
		kx_buf_free(&b);
	}
	kx_counters_release(&c);
	if (kx_parse_user(buf, size, "fuzz", &c, &e) == 0)
		check_user(c.user);
	kx_counters_release(&c);
	for (i = 0; i + 7 <= size; i++)
		if (!memcmp(buf + i, "--8<--\n", 7)) {
			cut = buf + i;
			break;
		}
	if (!cut)
		return;
	t = vmx;
	if (kx_parse_times(buf, i, "fuzz", &t, &e) == 0) {
		if (kx_parse_hist(cut + 7, size - i - 7, "fuzz", &t, &e) == 0) {
			if (kx_hist_check_times(&t, &t, "h", "t", &racy, &e) ==
				    0 &&
			    (racy || t.hist->total != t.tcount_sum))
				abort(); /* the same read: equalities */
			check_hist(&t);
			kx_buf_init(&b);
			kx_table_counters(&t, &b);
			kx_buf_free(&b);
		}
	}
	kx_counters_release(&t);
	memset(&c, 0, sizeof(c));
	if (kx_parse_user(buf, i, "a", &c, &e) == 0 &&
	    kx_parse_user(cut + 7, size - i - 7, "b", &t, &e) == 0) {
		kx_user_diff(c.user, t.user, &ud);
		if (ud.total > t.user->sum)
			abort();
	}
	kx_counters_release(&c);
	kx_counters_release(&t);
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
	hist_user(buf, size);
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
	detail_tables(buf, size, cut);
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
