// SPDX-License-Identifier: GPL-2.0
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "hist.h"
#include "user.h"

/* fields of a snapshot line: "hist" and those of a time_hist line */
#define SNAP_FIELDS_MAX (KX_HIST_FIELDS + 2)

void kx_snapshot_release(struct kx_snapshot *s)
{
	size_t i;

	kx_counters_release(&s->c);
	for (i = 0; i < s->nvcpu; i++)
		kx_counters_release(&s->vcpu[i].c);
	free(s->vcpu);
	s->vcpu = NULL;
	s->nvcpu = 0;
	free(s->det);
	s->det = NULL;
}

void kx_snapshot_free(struct kx_snapshot *s)
{
	if (s)
		kx_snapshot_release(s);
	free(s);
}

int kx_snapshot_version(const struct kx_snapshot *s)
{
	size_t i;

	if (s->c.hist || s->c.user)
		return KX_SNAPSHOT_VERSION_HIST;
	for (i = 0; i < s->nvcpu; i++)
		if (s->vcpu[i].c.hist || s->vcpu[i].c.user)
			return KX_SNAPSHOT_VERSION_HIST;
	if (s->det && s->det->mask)
		return KX_SNAPSHOT_VERSION_DETAIL;
	return s->scope[0] || s->c.has_time || s->nvcpu ?
		       KX_SNAPSHOT_VERSION_VM :
		       KX_SNAPSHOT_VERSION;
}

/* s->vcpu from the vCPUs of the VM source src */
static int take_vcpus(const struct kx_source *src, struct kx_snapshot *s,
		      struct kx_err *e)
{
	int *ids, n, i, r = 0;

	n = kx_source_vcpus(src, 1, &ids, e);
	if (n >= 0) {
		s->vcpu = calloc((size_t)n + 1, sizeof(*s->vcpu));
		if (!s->vcpu)
			r = kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	}
	for (i = 0; i < n && !r; i++) {
		struct kx_vcpu_counters *v = &s->vcpu[i];
		struct kx_source vs;

		kx_source_vcpu(src, ids[i], &vs);
		v->id = ids[i];
		r = kx_source_read(&vs, &v->c, e);
		if (r)
			break;
		s->nvcpu++;
		/* the kernel gives a VM and its vCPUs the same files */
		if (v->c.has_time != s->c.has_time)
			r = kx_fail(e, KX_EXIT_BADINPUT,
				    "%s/%s: missing, but %s/%s exists",
				    v->c.has_time ? src->dir : vs.dir,
				    "exit_times",
				    v->c.has_time ? vs.dir : src->dir,
				    "exit_times");
		else if (!v->c.hist != !s->c.hist)
			r = kx_fail(e, KX_EXIT_BADINPUT,
				    "%s/%s: missing, but %s/%s exists",
				    v->c.hist ? src->dir : vs.dir,
				    kx_source_hist_file(&vs),
				    v->c.hist ? vs.dir : src->dir,
				    kx_source_hist_file(&vs));
	}
	free(ids);
	return n < 0 ? -n : r;
}

int kx_snapshot_take(const struct kx_source *src, int is_default_root,
		     int per_vcpu, struct kx_snapshot *s, struct kx_err *e)
{
	int r;

	memset(s, 0, sizeof(*s));
	r = kx_root_check(src->root, is_default_root, e);
	if (r)
		return r;
	snprintf(s->scope, sizeof(s->scope), "%s", src->vm);
	r = kx_source_read(src, &s->c, e);
	if (!r && per_vcpu)
		r = take_vcpus(src, s, e);
	if (!r && src->detail) {
		s->det = malloc(sizeof(*s->det));
		r = s->det ? kx_source_read_detail(src, src->detail, s->det, e) :
			     kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	}
	/* the time right after the counters were read */
	if (!r)
		r = kx_clocks(&s->wall, &s->boot, e);
	if (r) {
		kx_snapshot_release(s);
		return r;
	}
	kx_boot_id(s->boot_id);
	kx_kernel_release(s->kernel);
	return 0;
}

/* "hist CODE NAME MIN B0 ... B23" lines and "hist_sum N" */
static void format_hist(const struct kx_counters *c, struct kx_buf *b)
{
	const struct kx_hist *h = c->hist;
	size_t i;
	int k;

	for (i = 0; i < h->n; i++) {
		const struct kx_hist_row *r = &h->r[i];

		if (r->is_other)
			kx_buf_puts(b, "hist - other");
		else
			kx_buf_printf(b, "hist 0x%04llx %s",
				      (unsigned long long)r->code, r->name);
		kx_buf_printf(b, " %llu", (unsigned long long)r->min);
		for (k = 0; k < KX_HIST_BUCKETS; k++)
			kx_buf_printf(b, " %llu", (unsigned long long)r->b[k]);
		kx_buf_putc(b, '\n');
	}
	kx_buf_printf(b, "hist_sum %llu\n", (unsigned long long)h->total);
}

/* "userspace CODE NAME COUNT" lines, "- error", "other", "userspace_sum" */
static void format_user(const struct kx_user *u, struct kx_buf *b)
{
	unsigned k;

	for (k = 0; k < KX_USER_CODES; k++)
		if (u->present >> k & 1)
			kx_buf_printf(b, "userspace %u %s %llu\n", k, u->name[k],
				      (unsigned long long)u->count[k]);
	if (u->error_line)
		kx_buf_printf(b, "userspace - error %llu\n",
			      (unsigned long long)u->error);
	kx_buf_printf(b, "userspace other %llu\nuserspace_sum %llu\n",
		      (unsigned long long)u->other,
		      (unsigned long long)u->sum);
}

/* reason, time, hist, userspace and sum lines of one set of counters */
static void format_counters(const struct kx_counters *c, struct kx_buf *b)
{
	char code[24];
	size_t i;

	for (i = 0; i < c->n; i++)
		kx_buf_printf(b, "reason %s %s %llu\n",
			      kx_code_str(&c->r[i], code, sizeof(code)),
			      c->r[i].name, (unsigned long long)c->r[i].count);
	for (i = 0; c->has_time && i < c->n; i++)
		kx_buf_printf(b, "time %s %s %llu %llu %llu\n",
			      kx_code_str(&c->r[i], code, sizeof(code)),
			      c->r[i].name, (unsigned long long)c->r[i].tcount,
			      (unsigned long long)c->r[i].tns,
			      (unsigned long long)c->r[i].tmax);
	if (c->has_time)
		kx_buf_printf(b, "time_sum %llu %llu\n",
			      (unsigned long long)c->tcount_sum,
			      (unsigned long long)c->tns_sum);
	/* the histograms go with the times */
	if (c->has_time && c->hist)
		format_hist(c, b);
	if (c->user)
		format_user(c->user, b);
	kx_buf_printf(b, "sum %llu\n", (unsigned long long)c->sum);
}

/* "msr KEY COUNT" lines by key, "msr other N", "msr_sum N"; and so on */
static void format_detail(const struct kx_detail *d, struct kx_buf *b)
{
	char key[64];
	size_t i;
	int k;

	for (k = 0; k < KX_DET_KINDS; k++) {
		const struct kx_detail_table *t = &d->t[k];
		const char *w = kx_detail_info(k)->word;

		if (!(d->mask & KX_DETAIL_BIT(k)))
			continue;
		for (i = 0; i < t->n; i++)
			kx_buf_printf(b, "%s %s %llu\n", w,
				      kx_detail_key_text(k, &t->r[i], key,
							 sizeof(key)),
				      (unsigned long long)t->r[i].count);
		kx_buf_printf(b, "%s other %llu\n%s_sum %llu\n", w,
			      (unsigned long long)t->other, w,
			      (unsigned long long)t->sum);
	}
}

void kx_snapshot_format(const struct kx_snapshot *s, struct kx_buf *b)
{
	int version = kx_snapshot_version(s);
	size_t i;

	kx_buf_printf(b, "%s %d\n", KX_SNAPSHOT_MAGIC, version);
	kx_buf_printf(b, "wall_time %llu.%09u\n",
		      (unsigned long long)s->wall.sec, s->wall.nsec);
	kx_buf_printf(b, "boottime %llu.%09u\n",
		      (unsigned long long)s->boot.sec, s->boot.nsec);
	kx_buf_printf(b, "boot_id %s\n", s->boot_id);
	kx_buf_printf(b, "kernel %s\n", s->kernel);
	kx_buf_printf(b, "vendor %s\n", s->c.vendor);
	if (version >= KX_SNAPSHOT_VERSION_VM)
		kx_buf_printf(b, "scope %s\n",
			      s->scope[0] ? s->scope : "global");
	kx_buf_printf(b, "total %llu\n", (unsigned long long)s->c.total_file);
	format_counters(&s->c, b);
	for (i = 0; i < s->nvcpu; i++) {
		kx_buf_printf(b, "vcpu %d\n", s->vcpu[i].id);
		format_counters(&s->vcpu[i].c, b);
	}
	if (s->det)
		format_detail(s->det, b);
	kx_buf_puts(b, "end\n");
}

enum {
	K_WALL,
	K_BOOT,
	K_BOOT_ID,
	K_KERNEL,
	K_VENDOR,
	K_TOTAL,
	K_NHEAD,
};

static const char *const head_keys[K_NHEAD] = {
	"wall_time", "boottime", "boot_id", "kernel", "vendor", "total",
};

static int parse_head(const struct kx_lines *it, int key,
		      const struct kx_field *v, struct kx_snapshot *s,
		      struct kx_err *e)
{
	char q[48];
	struct kx_time *t;
	int r;

	kx_quote(q, sizeof(q), v->p, v->n);
	switch (key) {
	case K_WALL:
	case K_BOOT:
		t = key == K_WALL ? &s->wall : &s->boot;
		if (kx_parse_time(v->p, v->n, t))
			return kx_lines_fail(it, e,
					     "bad %s '%s' (expected "
					     "SECONDS.NANOSECONDS, 9 digits "
					     "after the dot)",
					     head_keys[key], q);
		return 0;
	case K_BOOT_ID:
		if (!kx_boot_id_valid(v->p, v->n) &&
		    !kx_field_is(v, "unknown"))
			return kx_lines_fail(it, e, "bad boot_id '%s'", q);
		memcpy(s->boot_id, v->p, v->n);
		s->boot_id[v->n] = '\0';
		return 0;
	case K_KERNEL:
		if (kx_check_word(v->p, v->n, KX_KERNEL_MAX))
			return kx_lines_fail(it, e,
					     "bad kernel release '%s'", q);
		memcpy(s->kernel, v->p, v->n);
		s->kernel[v->n] = '\0';
		return 0;
	case K_VENDOR:
		if (!kx_field_is(v, "vmx") && !kx_field_is(v, "svm"))
			return kx_lines_fail(it, e,
					     "unknown vendor '%s' (expected "
					     "vmx or svm)",
					     q);
		memcpy(s->c.vendor, v->p, 3);
		s->c.vendor[3] = '\0';
		return 0;
	default: /* K_TOTAL */
		r = kx_parse_u64(v->p, v->n, &s->c.total_file);
		if (r)
			return kx_lines_fail(it, e, "total '%s' %s", q,
					     r == -2 ? "does not fit in 64 "
						       "bits" :
						       "is not an unsigned "
						       "decimal number");
		return 0;
	}
}

/* Where the parser is: the set of counters being read (the VM's or the
 * global ones, then each vCPU's) and what of it was seen. */
struct section {
	struct kx_counters *c;
	unsigned sum_line;  /* its 'sum' line, once seen */
	size_t ntime;	    /* 'time' lines so far */
	unsigned time_sum;  /* its 'time_sum' line, once seen */
	unsigned hist_sum;  /* its 'hist_sum' line, once seen */
	unsigned user_sum;  /* its 'userspace_sum' line, once seen */
};

static int bad_number(const struct kx_lines *it, const char *what,
		      const struct kx_field *f, struct kx_err *e)
{
	char q[48];

	kx_quote(q, sizeof(q), f->p, f->n);
	return kx_lines_fail(it, e, "bad %s '%s'", what, q);
}

/* "time_sum <count> <total_ns>": the sums of the section's time lines */
static int parse_time_sum(const struct kx_lines *it, const struct kx_field *f,
			  int nf, struct section *sec, struct kx_err *e)
{
	uint64_t v[2];
	int k;

	if (nf != 3)
		return kx_lines_fail(it, e,
				     "expected 'time_sum <count> <total_ns>'");
	if (sec->sum_line || sec->time_sum)
		return kx_lines_fail(it, e, "'time_sum' line out of place");
	if (sec->ntime != sec->c->n || !sec->ntime)
		return kx_lines_fail(it, e,
				     "'time_sum' after %zu time lines, there "
				     "are %zu reasons",
				     sec->ntime, sec->c->n);
	for (k = 0; k < 2; k++)
		if (kx_parse_u64(f[1 + k].p, f[1 + k].n, &v[k]))
			return bad_number(it, "time_sum", &f[1 + k], e);
	if (v[0] != sec->c->tcount_sum || v[1] != sec->c->tns_sum)
		return kx_lines_fail(it, e,
				     "time_sum %llu %llu does not match the "
				     "time lines, which add up to %llu %llu "
				     "(file corrupted?)",
				     (unsigned long long)v[0],
				     (unsigned long long)v[1],
				     (unsigned long long)sec->c->tcount_sum,
				     (unsigned long long)sec->c->tns_sum);
	sec->time_sum = it->lineno;
	sec->c->has_time = 1;
	return 0;
}

static int parse_sum(const struct kx_lines *it, const struct kx_field *f,
		     int nf, struct section *sec, struct kx_err *e)
{
	struct kx_counters *c = sec->c;
	char q[48];
	uint64_t sum;

	if (nf != 2)
		return kx_lines_fail(it, e, "expected 'sum VALUE'");
	if (sec->sum_line)
		return kx_lines_fail(it, e, "duplicate 'sum' line");
	if (kx_counters_finish(it, c, e)) {
		/* report it on this line, not the next */
		return kx_lines_fail(it, e,
				     "'sum' line before the 'other' reason "
				     "line");
	}
	if (sec->ntime && !sec->time_sum)
		return kx_lines_fail(it, e,
				     "'sum' line without a 'time_sum' line "
				     "after the time lines");
	if (c->hist && !sec->hist_sum)
		return kx_lines_fail(it, e,
				     "'sum' line without a 'hist_sum' line "
				     "after the hist lines");
	if (c->user && !sec->user_sum)
		return kx_lines_fail(it, e,
				     "'sum' line without a 'userspace_sum' "
				     "line after the userspace lines");
	if (kx_parse_u64(f[1].p, f[1].n, &sum)) {
		kx_quote(q, sizeof(q), f[1].p, f[1].n);
		return kx_lines_fail(it, e, "bad sum '%s'", q);
	}
	if (sum != c->sum)
		return kx_lines_fail(it, e,
				     "sum %llu does not match the reason "
				     "counts, which add up to %llu (file "
				     "corrupted?)",
				     (unsigned long long)sum,
				     (unsigned long long)c->sum);
	sec->sum_line = it->lineno;
	return 0;
}

/* "vcpu N": starts the section of vCPU N */
static int parse_vcpu(const struct kx_lines *it, const struct kx_field *f,
		      int nf, struct kx_snapshot *s, struct section *sec,
		      struct kx_err *e)
{
	struct kx_vcpu_counters *v;
	uint64_t id;

	if (!s->scope[0])
		return kx_lines_fail(it, e,
				     "'vcpu' section in a snapshot that is "
				     "not a VM's (no 'scope <pid>-<fd>' "
				     "line)");
	if (nf != 2 || kx_parse_u64(f[1].p, f[1].n, &id) ||
	    id > KX_VCPU_ID_MAX)
		return kx_lines_fail(it, e,
				     "expected 'vcpu N' (N from 0 to %d)",
				     KX_VCPU_ID_MAX);
	if (!sec->sum_line)
		return kx_lines_fail(it, e,
				     "'vcpu' line before the 'sum' line of "
				     "the previous section");
	if (s->nvcpu && (int)id <= s->vcpu[s->nvcpu - 1].id)
		return kx_lines_fail(it, e,
				     "vcpu %d after vcpu %d (expected in "
				     "increasing order, once each)",
				     (int)id, s->vcpu[s->nvcpu - 1].id);
	if (!(s->nvcpu & (s->nvcpu + 1))) {
		/* full at 0, 1, 3, 7, ... entries: double */
		size_t cap = (s->nvcpu + 1) * 2;
		struct kx_vcpu_counters *nv =
			realloc(s->vcpu, cap * sizeof(*nv));

		if (!nv)
			return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		s->vcpu = nv;
	}
	v = &s->vcpu[s->nvcpu++];
	memset(v, 0, sizeof(*v));
	v->id = (int)id;
	memcpy(v->c.vendor, s->c.vendor, sizeof(v->c.vendor));
	memset(sec, 0, sizeof(*sec));
	sec->c = &v->c;
	return 0;
}

/* The detail tables of a format-3 snapshot: the kinds begun and the
 * line of each kind's '<word>_sum' (which completes it). */
struct detail_state {
	unsigned begun;
	unsigned sum_line[KX_DET_KINDS];
};

/* The kind whose lines start with f ("msr" or "msr_sum": *is_sum), or -1 */
static int detail_kind(const struct kx_field *f, int *is_sum)
{
	int k;

	for (k = 0; k < KX_DET_KINDS; k++) {
		const char *w = kx_detail_info(k)->word;
		size_t n = strlen(w);

		if (f->n < n || memcmp(f->p, w, n))
			continue;
		if (f->n == n) {
			*is_sum = 0;
			return k;
		}
		if (f->n == n + 4 && !memcmp(f->p + n, "_sum", 4)) {
			*is_sum = 1;
			return k;
		}
	}
	return -1;
}

/* "msr <msr> <access> <count>", "msr other <count>", "msr_sum <sum>" (and
 * the same of io and exception): after the global counters' 'sum' */
static int parse_detail(const struct kx_lines *it, uint64_t version, int k,
			int is_sum, const struct kx_field *f, int nf,
			struct kx_snapshot *s, const struct section *sec,
			struct detail_state *ds, struct kx_err *e)
{
	const struct kx_detail_info *info = kx_detail_info(k);
	const char *w = info->word;
	struct kx_detail_table *t;
	struct kx_detail_row r;
	uint64_t sum;
	int rc;

	if (version < KX_SNAPSHOT_VERSION_DETAIL)
		return kx_lines_fail(it, e,
				     "'%s' line in a version %d snapshot "
				     "(detail tables need version %d)",
				     w, (int)version,
				     KX_SNAPSHOT_VERSION_DETAIL);
	if (s->scope[0])
		return kx_lines_fail(it, e,
				     "'%s' line in a snapshot of VM %s (the "
				     "MSR, I/O port and exception tables are "
				     "global)",
				     w, s->scope);
	if (!sec->sum_line || sec->c != &s->c)
		return kx_lines_fail(it, e,
				     "'%s' line before the counters' 'sum' "
				     "line",
				     w);
	if (ds->sum_line[k])
		return kx_lines_fail(it, e,
				     "'%s' line after the '%s_sum' line (line "
				     "%u)",
				     w, w, ds->sum_line[k]);
	if (!s->det) {
		s->det = calloc(1, sizeof(*s->det));
		if (!s->det)
			return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	}
	t = &s->det->t[k];
	if (!(ds->begun & KX_DETAIL_BIT(k))) {
		kx_detail_begin(t, k);
		ds->begun |= KX_DETAIL_BIT(k);
	}
	if (is_sum) {
		if (nf != 2)
			return kx_lines_fail(it, e, "expected '%s_sum VALUE'",
					     w);
		if (!t->other_line)
			return kx_lines_fail(it, e,
					     "'%s_sum' line before the '%s "
					     "other' line",
					     w, w);
		if (kx_parse_u64(f[1].p, f[1].n, &sum)) {
			char what[32];

			snprintf(what, sizeof(what), "%s_sum", w);
			return bad_number(it, what, &f[1], e);
		}
		if (sum != t->sum)
			return kx_lines_fail(it, e,
					     "%s_sum %llu does not match the "
					     "%s lines, which add up to %llu "
					     "(file corrupted?)",
					     w, (unsigned long long)sum, w,
					     (unsigned long long)t->sum);
		ds->sum_line[k] = it->lineno;
		s->det->mask |= KX_DETAIL_BIT(k);
		kx_detail_sort(t);
		return 0;
	}
	if (nf == 3 && kx_field_is(&f[1], "other"))
		return kx_detail_set_other(it, t, &f[2], e);
	if (nf != info->fields + 1)
		return kx_lines_fail(it, e,
				     "expected '%s %s' or '%s other <count>'",
				     w, info->shape, w);
	rc = kx_detail_row_from_fields(it, k, f + 1, &r, e);
	return rc ? rc : kx_detail_add(it, t, &r, e);
}

/* "hist CODE NAME MIN B0 ... B23": after the section's 'time_sum' */
static int parse_hist_line(const struct kx_lines *it, uint64_t version,
			   const struct kx_field *f, int nf,
			   struct section *sec, struct kx_err *e)
{
	struct kx_hist_row r;
	int rc;

	if (version < KX_SNAPSHOT_VERSION_HIST)
		return kx_lines_fail(it, e,
				     "'hist' line in a version %d snapshot "
				     "(histograms need version %d)",
				     (int)version, KX_SNAPSHOT_VERSION_HIST);
	if (nf != KX_HIST_FIELDS + 1)
		return kx_lines_fail(it, e,
				     "expected 'hist <code> <name> <min_ns>' and "
				     "%d bucket counts",
				     KX_HIST_BUCKETS);
	if (!sec->time_sum || sec->sum_line || sec->hist_sum || sec->c->user)
		return kx_lines_fail(it, e,
				     "'hist' line out of place (after the "
				     "section's 'time_sum' line, before its "
				     "'hist_sum')");
	rc = kx_hist_row_from_fields(it, f + 1, &r, e);
	return rc ? rc : kx_hist_add(it, sec->c, &r, e);
}

/* "hist_sum N": the sum of the buckets of the section's hist lines */
static int parse_hist_sum(const struct kx_lines *it, const struct kx_field *f,
			  int nf, struct section *sec, struct kx_err *e)
{
	uint64_t v;
	int rc;

	if (nf != 2)
		return kx_lines_fail(it, e, "expected 'hist_sum VALUE'");
	if (!sec->c->hist || sec->hist_sum || sec->sum_line)
		return kx_lines_fail(it, e, "'hist_sum' line out of place");
	rc = kx_hist_finish(it, sec->c, e);
	if (rc)
		return kx_lines_fail(it, e,
				     "'hist_sum' line before the 'hist - "
				     "other' line");
	if (kx_parse_u64(f[1].p, f[1].n, &v))
		return bad_number(it, "hist_sum", &f[1], e);
	if (v != sec->c->hist->total)
		return kx_lines_fail(it, e,
				     "hist_sum %llu does not match the hist "
				     "lines, which add up to %llu (file "
				     "corrupted?)",
				     (unsigned long long)v,
				     (unsigned long long)sec->c->hist->total);
	sec->hist_sum = it->lineno;
	return 0;
}

/* "userspace CODE NAME COUNT", "userspace - error N", "userspace other N",
 * "userspace_sum N": after the section's times and histograms */
static int parse_user_line(const struct kx_lines *it, uint64_t version,
			   int is_sum, const struct kx_field *f, int nf,
			   struct section *sec, struct kx_err *e)
{
	struct kx_counters *c = sec->c;
	uint64_t v;
	int rc;

	if (version < KX_SNAPSHOT_VERSION_HIST)
		return kx_lines_fail(it, e,
				     "'userspace' line in a version %d "
				     "snapshot (userspace tables need version "
				     "%d)",
				     (int)version, KX_SNAPSHOT_VERSION_HIST);
	if (sec->sum_line || sec->user_sum || (sec->ntime && !sec->time_sum) ||
	    (c->hist && !sec->hist_sum))
		return kx_lines_fail(it, e,
				     "'userspace%s' line out of place (after "
				     "the section's times and histograms, "
				     "before its 'sum')",
				     is_sum ? "_sum" : "");
	if (is_sum) {
		if (nf != 2)
			return kx_lines_fail(it, e,
					     "expected 'userspace_sum VALUE'");
		if (!c->user || kx_user_finish(it, c->user, e))
			return kx_lines_fail(it, e,
					     "'userspace_sum' line before the "
					     "'userspace other' line");
		if (kx_parse_u64(f[1].p, f[1].n, &v))
			return bad_number(it, "userspace_sum", &f[1], e);
		if (v != c->user->sum)
			return kx_lines_fail(it, e,
					     "userspace_sum %llu does not match "
					     "the userspace lines, which add up "
					     "to %llu (file corrupted?)",
					     (unsigned long long)v,
					     (unsigned long long)c->user->sum);
		sec->user_sum = it->lineno;
		return 0;
	}
	if (!c->user) {
		c->user = malloc(sizeof(*c->user));
		if (!c->user)
			return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		kx_user_begin(c->user);
	}
	rc = kx_user_line(it, c->user, f + 1, nf - 1, e);
	return rc;
}

static int parse_body(struct kx_lines *it, uint64_t version,
		      struct kx_snapshot *s, struct kx_err *e)
{
	struct kx_field f[SNAP_FIELDS_MAX];
	unsigned seen[K_NHEAD] = { 0 };
	unsigned end_line = 0, scope_line = 0;
	struct section sec = { &s->c, 0, 0, 0, 0, 0 };
	struct detail_state ds = { 0, { 0 } };
	struct kx_reason r;
	const char *line;
	char q[48];
	size_t n;
	int rc, nf, k, is_sum, v2 = version >= KX_SNAPSHOT_VERSION_VM;

	while ((rc = kx_lines_next(it, &line, &n, e)) == 1) {
		if (end_line)
			return kx_lines_fail(it, e,
					     "data after the 'end' line (line "
					     "%u)",
					     end_line);
		if (n && line[0] == '#')
			continue;
		nf = kx_split(line, n, f, SNAP_FIELDS_MAX);
		if (nf == 0)
			return kx_lines_fail(it, e, "empty line");
		for (k = 0; k < K_NHEAD; k++)
			if (kx_field_is(&f[0], head_keys[k]))
				break;
		if (k < K_NHEAD) {
			if (nf != 2)
				return kx_lines_fail(it, e,
						     "expected '%s VALUE'",
						     head_keys[k]);
			if (seen[k])
				return kx_lines_fail(it, e,
						     "duplicate '%s' line "
						     "(first on line %u)",
						     head_keys[k], seen[k]);
			if (s->c.n || sec.sum_line || s->nvcpu)
				return kx_lines_fail(it, e,
						     "'%s' after the reason "
						     "lines",
						     head_keys[k]);
			rc = parse_head(it, k, &f[1], s, e);
			if (rc)
				return rc;
			seen[k] = it->lineno;
		} else if (kx_field_is(&f[0], "scope")) {
			if (!v2)
				return kx_lines_fail(it, e,
						     "'scope' line in a version "
						     "%d snapshot",
						     (int)version);
			if (nf != 2 || scope_line || s->c.n ||
			    f[1].n >= sizeof(s->scope))
				return kx_lines_fail(it, e,
						     "expected one 'scope "
						     "global' or 'scope "
						     "<pid>-<fd>' line before "
						     "the reasons");
			scope_line = it->lineno;
			if (kx_field_is(&f[1], "global"))
				continue;
			memcpy(s->scope, f[1].p, f[1].n);
			s->scope[f[1].n] = '\0';
			if (!kx_vm_name_valid(s->scope))
				return kx_lines_fail(it, e,
						     "bad scope '%s' (expected "
						     "global or <pid>-<fd>)",
						     s->scope);
		} else if (kx_field_is(&f[0], "reason")) {
			if (nf != 4)
				return kx_lines_fail(it, e,
						     "expected 'reason <code> "
						     "<name> <count>'");
			if (sec.sum_line)
				return kx_lines_fail(it, e,
						     "reason line after the "
						     "'sum' line");
			if (sec.ntime)
				return kx_lines_fail(it, e,
						     "reason line after the "
						     "'time' lines");
			if (sec.c->user)
				return kx_lines_fail(it, e,
						     "reason line after the "
						     "'userspace' lines");
			rc = kx_reason_from_fields(it, f + 1, &r, e);
			if (!rc)
				rc = kx_counters_add(it, sec.c, &r, e);
			if (rc)
				return rc;
		} else if (kx_field_is(&f[0], "time")) {
			if (!v2)
				return kx_lines_fail(it, e,
						     "'time' line in a version "
						     "%d snapshot",
						     (int)version);
			if (nf != 6)
				return kx_lines_fail(it, e,
						     "expected 'time <code> "
						     "<name> <count> <total_ns> "
						     "<max_ns>'");
			if (sec.sum_line || sec.time_sum)
				return kx_lines_fail(it, e,
						     "time line after the "
						     "'time_sum' or 'sum' "
						     "line");
			if (sec.c->user)
				return kx_lines_fail(it, e,
						     "time line after the "
						     "'userspace' lines");
			if (!sec.ntime && kx_counters_finish(it, sec.c, e))
				return kx_lines_fail(it, e,
						     "time line before the "
						     "'other' reason line");
			if (!sec.ntime)
				kx_times_begin(sec.c);
			rc = kx_time_from_fields(it, f + 1, sec.c, sec.ntime,
						 e);
			if (rc)
				return rc;
			sec.ntime++;
		} else if (kx_field_is(&f[0], "time_sum")) {
			rc = parse_time_sum(it, f, nf, &sec, e);
			if (rc)
				return rc;
		} else if (kx_field_is(&f[0], "sum")) {
			rc = parse_sum(it, f, nf, &sec, e);
			if (rc)
				return rc;
			if (sec.c != &s->c)
				sec.c->total_file = sec.c->sum;
		} else if (kx_field_is(&f[0], "hist")) {
			rc = parse_hist_line(it, version, f, nf, &sec, e);
			if (rc)
				return rc;
		} else if (kx_field_is(&f[0], "hist_sum")) {
			rc = parse_hist_sum(it, f, nf, &sec, e);
			if (rc)
				return rc;
		} else if (kx_field_is(&f[0], "userspace") ||
			   kx_field_is(&f[0], "userspace_sum")) {
			rc = parse_user_line(it, version,
					     kx_field_is(&f[0], "userspace_sum"),
					     f, nf, &sec, e);
			if (rc)
				return rc;
		} else if (kx_field_is(&f[0], "vcpu")) {
			if (!v2)
				return kx_lines_fail(it, e,
						     "'vcpu' line in a version "
						     "%d snapshot",
						     (int)version);
			rc = parse_vcpu(it, f, nf, s, &sec, e);
			if (rc)
				return rc;
		} else if ((k = detail_kind(&f[0], &is_sum)) >= 0) {
			rc = parse_detail(it, version, k, is_sum, f, nf, s,
					  &sec, &ds, e);
			if (rc)
				return rc;
		} else if (kx_field_is(&f[0], "end")) {
			if (nf != 1)
				return kx_lines_fail(it, e,
						     "expected 'end' alone");
			if (!sec.sum_line)
				return kx_lines_fail(it, e,
						     "'end' without a 'sum' "
						     "line before it");
			for (k = 0; k < KX_DET_KINDS; k++)
				if ((ds.begun & KX_DETAIL_BIT(k)) &&
				    !ds.sum_line[k])
					return kx_lines_fail(
						it, e,
						"'end' before the '%s_sum' "
						"line",
						kx_detail_info(k)->word);
			end_line = it->lineno;
		} else {
			kx_quote(q, sizeof(q), f[0].p, f[0].n);
			return kx_lines_fail(it, e, "unknown key '%s'", q);
		}
	}
	if (rc)
		return rc;
	it->lineno++;
	if (!end_line)
		return kx_lines_fail(it, e,
				     "end of file without the 'end' line "
				     "(file truncated?)");
	for (k = 0; k < K_NHEAD; k++)
		if (!seen[k])
			return kx_lines_fail(it, e,
					     "end of file: no '%s' line",
					     head_keys[k]);
	if (v2 && !scope_line)
		return kx_lines_fail(it, e,
				     "end of file: no 'scope' line in a "
				     "version %d snapshot",
				     (int)version);
	for (n = 0; n < s->nvcpu; n++)
		memcpy(s->vcpu[n].c.vendor, s->c.vendor, sizeof(s->c.vendor));
	return 0;
}

int kx_snapshot_parse(const char *buf, size_t len, const char *fname,
		      struct kx_snapshot *s, struct kx_err *e)
{
	struct kx_field f[SNAP_FIELDS_MAX];
	uint64_t version;
	struct kx_lines it;
	const char *line;
	char q[48];
	size_t n;
	int rc, nf;

	memset(s, 0, sizeof(*s));
	kx_lines_init(&it, buf, len, fname);
	rc = kx_lines_next(&it, &line, &n, e);
	if (rc == 0) {
		it.lineno = 1;
		return kx_lines_fail(&it, e,
				     "empty file, not a kvmexit-read "
				     "snapshot");
	}
	if (rc != 1)
		return rc;
	nf = kx_split(line, n, f, SNAP_FIELDS_MAX);
	if (nf != 2 || !kx_field_is(&f[0], KX_SNAPSHOT_MAGIC))
		return kx_lines_fail(&it, e,
				     "not a kvmexit-read snapshot (the first "
				     "line must be '%s N', N from %d to %d)",
				     KX_SNAPSHOT_MAGIC, KX_SNAPSHOT_VERSION,
				     KX_SNAPSHOT_VERSION_MAX);
	if (kx_parse_u64(f[1].p, f[1].n, &version) ||
	    version < KX_SNAPSHOT_VERSION ||
	    version > KX_SNAPSHOT_VERSION_MAX) {
		kx_quote(q, sizeof(q), f[1].p, f[1].n);
		return kx_lines_fail(&it, e,
				     "unsupported snapshot format version "
				     "'%s' (this kvmexit-read reads versions "
				     "%d to %d)",
				     q, KX_SNAPSHOT_VERSION,
				     KX_SNAPSHOT_VERSION_MAX);
	}
	/* a histogram line holds 25 numbers */
	if (version >= KX_SNAPSHOT_VERSION_HIST)
		it.max = KX_HIST_LINE_MAX;
	if (version == KX_SNAPSHOT_VERSION && len > KX_SNAPSHOT_MAX)
		return kx_fail(e, KX_EXIT_BADINPUT,
			       "%s: too large (more than %d bytes)", fname,
			       KX_SNAPSHOT_MAX);
	rc = parse_body(&it, version, s, e);
	if (rc)
		kx_snapshot_release(s);
	return rc;
}

int kx_snapshot_load(const char *path, struct kx_snapshot *s,
		     struct kx_err *e)
{
	const char *name = strcmp(path, "-") ? path : "(standard input)";
	size_t len;
	char *buf;
	int r;

	r = kx_read_file(path, KX_SNAPSHOT_MAX_V2, &buf, &len,
			 KX_EXIT_BADINPUT, e);
	if (r)
		return r;
	r = kx_snapshot_parse(buf, len, name, s, e);
	free(buf);
	return r;
}
