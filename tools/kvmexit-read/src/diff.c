// SPDX-License-Identifier: GPL-2.0
#include "diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static const char *const problem_keys[KX_P_COUNT] = {
	"vendor", "kernel", "boot_id", "order", "reason_table",
	"counter_decrease",
};

const char *kx_problem_key(unsigned bit)
{
	unsigned i;

	for (i = 0; i < KX_P_COUNT; i++)
		if (bit == 1u << i)
			return problem_keys[i];
	return "unknown";
}

/* index of reason r (the i-th of its table) in a, or -1 */
static long find_reason(const struct kx_counters *a, const struct kx_reason *r,
		      size_t i)
{
	size_t j;

#define SAME(x) ((x)->is_other == r->is_other && \
		 (r->is_other || (x)->code == r->code) && \
		 !strcmp((x)->name, r->name))
	if (i < a->n && SAME(&a->r[i]))
		return (long)i;
	for (j = 0; j < a->n; j++)
		if (SAME(&a->r[j]))
			return (long)j;
	return -1;
#undef SAME
}

/* The row of a with the code and name of r (other: a's other), or NULL */
static const struct kx_hist_row *hist_match(const struct kx_hist *a,
					    const struct kx_hist_row *r)
{
	size_t k;

	if (r->is_other)
		return kx_hist_other(a);
	for (k = 0; a && k < a->n; k++)
		if (!a->r[k].is_other && a->r[k].code == r->code &&
		    !strcmp(a->r[k].name, r->name))
			return &a->r[k];
	return NULL;
}

/* The interval's histograms ha -> hb (ha NULL: all zero) into d->hist. */
static int diff_hist(const struct kx_hist *ha, const struct kx_hist *hb,
		     struct kx_diff *d, struct kx_err *e)
{
	struct kx_hist *h = malloc(sizeof(*h) + hb->n * sizeof(h->r[0]));
	size_t k;
	int i;

	if (!h)
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	h->n = h->cap = hb->n;
	h->total = 0;
	for (k = 0; k < hb->n; k++) {
		const struct kx_hist_row *rb = &hb->r[k];
		const struct kx_hist_row *ra = hist_match(ha, rb);
		struct kx_hist_row *x = &h->r[k];
		/* a reason counted from a reset: its buckets too */
		int reset = rb->is_other ? (d->problems & KX_P_DECREASE) != 0 :
					   rb->reason < d->n &&
					   (d->d[rb->reason].reset ||
					    d->d[rb->reason].is_new);

		*x = *rb;
		for (i = 0; ra && !reset && i < KX_HIST_BUCKETS; i++)
			if (rb->b[i] < ra->b[i])
				reset = 1;
		x->count = 0;
		for (i = 0; i < KX_HIST_BUCKETS; i++) {
			if (ra && !reset)
				x->b[i] = rb->b[i] - ra->b[i];
			/* at most B's, whose sums were checked */
			x->count += x->b[i];
		}
		h->total += x->count;
	}
	free(d->hist);
	d->hist = h;
	return 0;
}

/* The deltas of counters ca -> cb into d (problems added to d->problems);
 * a_zero: ca is all zero (a new vCPU's), without histograms. */
static int diff_counters(const struct kx_counters *ca,
			 const struct kx_counters *cb, int a_zero,
			 const char *name_a, const char *name_b,
			 struct kx_diff *d, struct kx_err *e)
{
	size_t i, matched = 0;

	d->cb = cb;
	d->timed = ca->has_time && cb->has_time;
	for (i = 0; i < cb->n; i++) {
		const struct kx_reason *rb = &cb->r[i];
		struct kx_delta *x = &d->d[i];
		long j = find_reason(ca, rb, i);
		const struct kx_reason *ra = j < 0 ? NULL : &ca->r[j];

		x->code = rb->code;
		x->is_other = rb->is_other;
		memcpy(x->name, rb->name, sizeof(x->name));
		if (!ra) {
			d->problems |= KX_P_TABLE;
			x->is_new = 1;
			d->only_in_b++;
			x->delta = rb->count;
		} else if (rb->count < ra->count ||
			   (d->timed && (rb->tcount < ra->tcount ||
					 rb->tns < ra->tns))) {
			d->problems |= KX_P_DECREASE;
			x->reset = 1;
			x->delta = rb->count;
			matched++;
		} else {
			x->delta = rb->count - ra->count;
			matched++;
		}
		if (d->total > UINT64_MAX - x->delta)
			return kx_fail(e, KX_EXIT_BADINPUT,
				       "%s -> %s: sum of the deltas overflows "
				       "64 bits",
				       name_a, name_b);
		d->total += x->delta;
		if (!d->timed)
			continue;
		x->tmax = rb->tmax;
		if (ra && !x->reset) {
			x->tcount = rb->tcount - ra->tcount;
			x->tns = rb->tns - ra->tns;
		} else {
			x->tcount = rb->tcount;
			x->tns = rb->tns;
		}
		/* below B's own sums, which were checked when read */
		d->tcount += x->tcount;
		d->tns += x->tns;
		if (x->tmax > d->tmax)
			d->tmax = x->tmax;
	}
	d->n = cb->n;
	d->only_in_a = ca->n - matched;
	if (d->only_in_a)
		d->problems |= KX_P_TABLE;
	if (d->timed && cb->hist && (ca->hist || a_zero))
		return diff_hist(a_zero ? NULL : ca->hist, cb->hist, d, e);
	return 0;
}

static int refuse(const struct kx_diff *d, const char *name_a,
		  const char *name_b, struct kx_err *e)
{
	struct kx_buf msg;
	int r;

	kx_buf_init(&msg);
	kx_diff_describe(d, "  ", 0, &msg);
	r = kx_fail(e, KX_EXIT_REFUSED,
		    "refusing to diff %s and %s:\n%suse --force to diff them "
		    "anyway",
		    name_a, name_b, msg.p ? msg.p : "");
	kx_buf_free(&msg);
	return r;
}

int kx_diff(const struct kx_snapshot *a, const struct kx_snapshot *b,
	    const char *name_a, const char *name_b, int force,
	    struct kx_diff *d, struct kx_err *e)
{
	int r;

	memset(d, 0, sizeof(*d));
	d->a = a;
	d->b = b;
	/* Not a problem --force can wave through: the counts are of
	 * different VMs, or of one VM and of all. */
	if (strcmp(a->scope, b->scope))
		return kx_fail(e, KX_EXIT_REFUSED,
			       "refusing to diff %s and %s: they count "
			       "different things (%s%s vs %s%s)",
			       name_a, name_b, a->scope[0] ? "VM " : "",
			       a->scope[0] ? a->scope : "all VMs",
			       b->scope[0] ? "VM " : "",
			       b->scope[0] ? b->scope : "all VMs");
	if (strcmp(a->c.vendor, b->c.vendor))
		d->problems |= KX_P_VENDOR;
	if (strcmp(a->kernel, b->kernel))
		d->problems |= KX_P_KERNEL;
	if (strcmp(a->boot_id, b->boot_id) || !strcmp(a->boot_id, "unknown"))
		d->problems |= KX_P_BOOT;

	if (d->problems & KX_P_BOOT) {
		/* CLOCK_BOOTTIME of different boots cannot be compared */
		d->wall_clock = 1;
		d->seconds = kx_time_sub(&b->wall, &a->wall);
		d->seconds_valid = d->seconds >= 0;
	} else {
		d->seconds = kx_time_sub(&b->boot, &a->boot);
		d->seconds_valid = d->seconds >= 0;
		if (!d->seconds_valid)
			d->problems |= KX_P_ORDER;
	}

	r = diff_counters(&a->c, &b->c, 0, name_a, name_b, d, e);
	if (!r && (!d->problems || force))
		return 0;
	if (!r)
		r = refuse(d, name_a, name_b, e);
	/* nothing to release on failure */
	free(d->hist);
	d->hist = NULL;
	return r;
}

static const struct kx_counters *vcpu_of(const struct kx_snapshot *s, int id)
{
	size_t i;

	for (i = 0; i < s->nvcpu; i++)
		if (s->vcpu[i].id == id)
			return &s->vcpu[i].c;
	return NULL;
}

int kx_diff_vcpus(struct kx_diff *d, const char *name_a, const char *name_b,
		  int force, struct kx_err *e)
{
	const struct kx_snapshot *a = d->a, *b = d->b;
	struct kx_counters *zero = NULL; /* a new vCPU's start */
	size_t i, k;
	int r = 0;

	if (!a->nvcpu || !b->nvcpu)
		return kx_fail(e, KX_EXIT_REFUSED,
			       "--per-vcpu: %s has no vCPU sections (save "
			       "snapshots with --vm and --per-vcpu)",
			       !a->nvcpu ? name_a : name_b);
	d->vcpu = calloc(b->nvcpu, sizeof(*d->vcpu));
	d->vcpu_id = calloc(b->nvcpu, sizeof(*d->vcpu_id));
	d->vcpu_new = calloc(b->nvcpu, sizeof(*d->vcpu_new));
	if (!d->vcpu || !d->vcpu_id || !d->vcpu_new)
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	for (i = 0; i < b->nvcpu && !r; i++) {
		const struct kx_counters *cb = &b->vcpu[i].c;
		const struct kx_counters *ca = vcpu_of(a, b->vcpu[i].id);
		struct kx_diff *v = &d->vcpu[i];

		v->a = a;
		v->b = b;
		v->seconds = d->seconds;
		v->seconds_valid = d->seconds_valid;
		v->wall_clock = d->wall_clock;
		d->vcpu_id[i] = b->vcpu[i].id;
		d->vcpu_new[i] = !ca;
		d->nvcpu = i + 1;
		if (!ca) {
			/* created in between: counts from 0 */
			if (!zero)
				zero = malloc(sizeof(*zero));
			if (!zero) {
				r = kx_fail(e, KX_EXIT_RUNTIME,
					    "out of memory");
				break;
			}
			memcpy(zero, cb, sizeof(*zero));
			zero->hist = NULL;
			zero->user = NULL;
			zero->sum = zero->tcount_sum = zero->tns_sum = 0;
			for (k = 0; k < zero->n; k++)
				zero->r[k].count = zero->r[k].tcount =
					zero->r[k].tns = 0;
			ca = zero;
		}
		r = diff_counters(ca, cb, ca == zero, name_a, name_b, v, e);
		d->problems |= v->problems;
	}
	free(zero);
	if (r || !d->problems || force)
		return r;
	return refuse(d, name_a, name_b, e);
}

int kx_counter_delta(uint64_t a, uint64_t b, uint64_t *delta, size_t *nreset)
{
	if (b < a) {
		*delta = b;
		(*nreset)++;
		return 1;
	}
	*delta = b - a;
	return 0;
}

/* The deltas of table ta -> tb (both sorted by key) into x. */
static void diff_detail_table(const struct kx_detail_table *ta,
			      const struct kx_detail_table *tb,
			      struct kx_detail_diff *x)
{
	size_t i = 0, j = 0;

	/* x is zeroed (calloc) */
	while (i < ta->n || j < tb->n) {
		const struct kx_detail_row *ra = i < ta->n ? &ta->r[i] : NULL;
		const struct kx_detail_row *rb = j < tb->n ? &tb->r[j] : NULL;
		struct kx_detail_delta *o = &x->d[x->n];
		int c = !ra ? 1 : !rb ? -1 : kx_detail_cmp(ra, rb);
		uint64_t before = c <= 0 ? ra->count : 0;

		memset(o, 0, sizeof(*o));
		if (c >= 0) {
			/* in B (B's name of an exception) */
			o->k = *rb;
			j++;
		} else {
			/* only in A: 0 in B */
			o->k = *ra;
			o->k.count = 0;
		}
		if (c <= 0)
			i++;
		o->reset = kx_counter_delta(before, o->k.count, &o->delta,
					    &x->nreset);
		/* at most B's count: the sum is at most B's, checked */
		x->total += o->delta;
		x->n++;
	}
	x->other_reset = kx_counter_delta(ta->other, tb->other, &x->other,
					  &x->nreset);
	x->total += x->other;
}

int kx_diff_detail(struct kx_diff *d, unsigned mask, const char *name_a,
		   const char *name_b, int force, struct kx_err *e)
{
	const struct kx_detail *da = d->a->det, *db = d->b->det;
	int k;

	for (k = 0; k < KX_DET_KINDS; k++) {
		const struct kx_detail_info *info = kx_detail_info(k);
		unsigned bit = KX_DETAIL_BIT(k);

		if (!(mask & bit))
			continue;
		if (!da || !(da->mask & bit) || !db || !(db->mask & bit))
			return kx_fail(e, KX_EXIT_REFUSED,
				       "%s: %s has no %s table (save "
				       "snapshots with --save FILE %s)",
				       info->option,
				       !da || !(da->mask & bit) ? name_a :
								  name_b,
				       info->what, info->option);
	}
	free(d->det);
	d->det = calloc(1, sizeof(*d->det));
	if (!d->det)
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	for (k = 0; k < KX_DET_KINDS; k++) {
		if (!(mask & KX_DETAIL_BIT(k)))
			continue;
		diff_detail_table(&da->t[k], &db->t[k], &d->det->t[k]);
		d->det->mask |= KX_DETAIL_BIT(k);
		if (d->det->t[k].nreset)
			d->problems |= KX_P_DECREASE;
	}
	if (!d->problems || force)
		return 0;
	return refuse(d, name_a, name_b, e);
}

static const struct kx_detail_diff *sort_t;

static int cmp_detail_delta(const void *pa, const void *pb)
{
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	uint64_t x = sort_t->d[ia].delta, y = sort_t->d[ib].delta;

	if (x != y)
		return x > y ? -1 : 1;
	return ia < ib ? -1 : ia > ib; /* d[] is by key */
}

size_t kx_detail_diff_sorted(const struct kx_detail_diff *t, size_t *idx)
{
	size_t i, n = 0;

	for (i = 0; i < t->n; i++)
		if (t->d[i].delta)
			idx[n++] = i;
	sort_t = t;
	qsort(idx, n, sizeof(*idx), cmp_detail_delta);
	sort_t = NULL;
	return n;
}

/* The userspace table of c to diff, or a refusal naming the snapshot */
static int user_of(const struct kx_counters *c, const char *name,
		   const char *what, struct kx_err *e)
{
	if (c->user)
		return 0;
	return kx_fail(e, KX_EXIT_REFUSED,
		       "--userspace: %s has no userspace exit table%s (save "
		       "snapshots with --save FILE --userspace)",
		       name, what);
}

int kx_diff_user(struct kx_diff *d, const char *name_a, const char *name_b,
		 int force, struct kx_err *e)
{
	const struct kx_snapshot *a = d->a, *b = d->b;
	char what[48];
	size_t i;
	int r;

	r = user_of(&a->c, name_a, "", e);
	if (!r)
		r = user_of(&b->c, name_b, "", e);
	for (i = 0; !r && i < d->nvcpu; i++) {
		const struct kx_counters *ca = vcpu_of(a, d->vcpu_id[i]);

		snprintf(what, sizeof(what), " for vcpu%d", d->vcpu_id[i]);
		if (ca)
			r = user_of(ca, name_a, what, e);
		if (!r)
			r = user_of(vcpu_of(b, d->vcpu_id[i]), name_b, what, e);
	}
	if (r)
		return r;
	free(d->user);
	d->user = malloc(sizeof(*d->user));
	if (!d->user)
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	kx_user_diff(a->c.user, b->c.user, d->user);
	if (d->user->nreset)
		d->problems |= KX_P_DECREASE;
	for (i = 0; i < d->nvcpu; i++) {
		const struct kx_counters *ca = vcpu_of(a, d->vcpu_id[i]);
		struct kx_diff *v = &d->vcpu[i];

		free(v->user);
		v->user = malloc(sizeof(*v->user));
		if (!v->user)
			return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		kx_user_diff(ca ? ca->user : NULL,
			     vcpu_of(b, d->vcpu_id[i])->user, v->user);
		if (v->user->nreset)
			d->problems |= v->problems |= KX_P_DECREASE;
	}
	if (!d->problems || force)
		return 0;
	return refuse(d, name_a, name_b, e);
}

void kx_diff_release(struct kx_diff *d)
{
	size_t i;

	for (i = 0; d->vcpu && i < d->nvcpu; i++)
		kx_diff_release(&d->vcpu[i]);
	free(d->hist);
	d->hist = NULL;
	free(d->user);
	d->user = NULL;
	free(d->det);
	d->det = NULL;
	free(d->vcpu);
	free(d->vcpu_id);
	free(d->vcpu_new);
	d->vcpu = NULL;
	d->vcpu_id = NULL;
	d->vcpu_new = NULL;
	d->nvcpu = 0;
}

#define LIST_MAX 5 /* reasons named per side, then "and N more" */

/* ": N reason(s) only in the second (CODE NAME, ...), M reason(s) only
 * in the first (...)", for the sides that have any */
static void table_sides(const struct kx_diff *d, struct kx_buf *b)
{
	const struct kx_counters *ca = &d->a->c, *cb = &d->b->c;
	const char *sep = ": ";
	char code[24];
	size_t i, k;
	int side;

	for (side = 0; side < 2; side++) {
		const struct kx_counters *c = side ? ca : cb, *o = side ? cb : ca;
		size_t n = side ? d->only_in_a : d->only_in_b;

		if (!n)
			continue;
		kx_buf_printf(b, "%s%zu reason(s) only in the %s (", sep, n,
			      side ? "first" : "second");
		for (i = 0, k = 0; i < c->n && k < n; i++) {
			if (find_reason(o, &c->r[i], i) >= 0)
				continue;
			if (k < LIST_MAX)
				kx_buf_printf(b, "%s%s %s", k ? ", " : "",
					      kx_code_str(&c->r[i], code,
							  sizeof(code)),
					      c->r[i].name);
			k++;
		}
		if (k > LIST_MAX)
			kx_buf_printf(b, " and %zu more", k - LIST_MAX);
		kx_buf_putc(b, ')');
		sep = ", ";
	}
}

static void line(struct kx_buf *b, int actions, const char *action)
{
	if (actions)
		kx_buf_printf(b, ": %s", action);
	kx_buf_putc(b, '\n');
}

void kx_diff_describe(const struct kx_diff *d, const char *prefix,
		      int actions, struct kx_buf *b)
{
	const struct kx_snapshot *a = d->a, *s = d->b;
	size_t i, k, nreset = 0;

	if (d->problems & KX_P_VENDOR) {
		kx_buf_printf(b, "%sdifferent vendors (%s vs %s)", prefix,
			      a->c.vendor, s->c.vendor);
		line(b, actions, "reasons matched by code and name");
	}
	if (d->problems & KX_P_KERNEL) {
		kx_buf_printf(b, "%sdifferent kernels (%s vs %s)", prefix,
			      a->kernel, s->kernel);
		line(b, actions, "reasons matched by code and name");
	}
	if (d->problems & KX_P_BOOT) {
		kx_buf_printf(b,
			      "%sdifferent or unknown boots (boot_id %s vs "
			      "%s): their boottime values cannot be compared",
			      prefix, a->boot_id, s->boot_id);
		line(b, actions,
		     d->seconds_valid ? "interval taken from wall_time" :
					"wall_time went backwards too, "
					"interval unknown");
	}
	if (d->problems & KX_P_ORDER) {
		kx_buf_printf(b,
			      "%sthe second snapshot was taken %.3f s before "
			      "the first (boottime)",
			      prefix, -d->seconds);
		line(b, actions, "interval unknown");
	}
	if (d->problems & KX_P_TABLE) {
		kx_buf_printf(b, "%sdifferent reason tables", prefix);
		table_sides(d, b);
		line(b, actions,
		     "reasons only in the second count from 0, reasons "
		     "only in the first are left out");
	}
	if (d->problems & KX_P_DECREASE) {
		for (i = 0; i < d->n; i++)
			nreset += d->d[i].reset;
		for (k = 0; k < d->nvcpu; k++)
			for (i = 0; i < d->vcpu[k].n; i++)
				nreset += d->vcpu[k].d[i].reset;
		for (k = 0; d->det && k < KX_DET_KINDS; k++)
			if (d->det->mask & KX_DETAIL_BIT(k))
				nreset += d->det->t[k].nreset;
		if (d->user)
			nreset += d->user->nreset;
		for (k = 0; k < d->nvcpu; k++)
			if (d->vcpu[k].user)
				nreset += d->vcpu[k].user->nreset;
		kx_buf_printf(b,
			      "%s%zu counter(s) went down (counters reset in "
			      "between?)",
			      prefix, nreset);
		line(b, actions,
		     "counted as reset: delta = the value in the second "
		     "snapshot");
	}
}

static const struct kx_diff *sort_d;

static int cmp_delta(const void *pa, const void *pb)
{
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	uint64_t x = sort_d->d[ia].delta, y = sort_d->d[ib].delta;

	if (x != y)
		return x > y ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

size_t kx_diff_sorted(const struct kx_diff *d, size_t *idx)
{
	size_t i, n = 0;

	for (i = 0; i < d->n; i++)
		if (d->d[i].delta || d->d[i].tcount)
			idx[n++] = i;
	sort_d = d;
	qsort(idx, n, sizeof(*idx), cmp_delta);
	sort_d = NULL;
	return n;
}

int kx_diff_rate(const struct kx_diff *d, uint64_t count, double *rate)
{
	if (!d->seconds_valid || !(d->seconds > 0))
		return 0;
	*rate = (double)count / d->seconds;
	return 1;
}
