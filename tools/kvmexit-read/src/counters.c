// SPDX-License-Identifier: GPL-2.0
#include "counters.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUOTE_MAX 48

void kx_counters_release(struct kx_counters *c)
{
	free(c->hist);
	free(c->user);
	c->hist = NULL;
	c->user = NULL;
}

/* A one-line file ("vmx\n", "2020\n"): its content without the newline. */
static int one_line(const char *buf, size_t len, const char *fname,
		    const char *what, struct kx_field *f, struct kx_err *e)
{
	struct kx_lines it;
	const char *line;
	size_t n;
	int r;

	f->p = buf;
	f->n = 0;
	/* the newline is optional here */
	if (len && buf[len - 1] != '\n' && !memchr(buf, '\n', len)) {
		if (memchr(buf, '\0', len))
			return kx_fail(e, KX_EXIT_BADINPUT,
				       "%s:1: NUL byte in %s", fname, what);
		f->p = buf;
		f->n = len;
		return 0;
	}
	kx_lines_init(&it, buf, len, fname);
	r = kx_lines_next(&it, &line, &n, e);
	if (r == 0) {
		it.lineno = 1;
		return kx_lines_fail(&it, e, "empty file: expected the %s",
				     what);
	}
	if (r != 1)
		return r;
	if (it.pos != len) {
		it.lineno = 2;
		return kx_lines_fail(&it, e,
				     "unexpected extra line after the %s",
				     what);
	}
	f->p = line;
	f->n = n;
	return 0;
}

int kx_parse_vendor(const char *buf, size_t len, const char *fname,
		    struct kx_counters *c, struct kx_err *e)
{
	char q[QUOTE_MAX];
	struct kx_field f;
	int r = one_line(buf, len, fname, "vendor", &f, e);

	if (r)
		return r;
	if (kx_field_is(&f, "vmx") || kx_field_is(&f, "svm")) {
		memcpy(c->vendor, f.p, 3);
		c->vendor[3] = '\0';
		return 0;
	}
	kx_quote(q, sizeof(q), f.p, f.n);
	return kx_fail(e, KX_EXIT_BADINPUT,
		       "%s:1: unknown vendor '%s' (expected vmx or svm)", fname,
		       q);
}

int kx_parse_total(const char *buf, size_t len, const char *fname,
		   struct kx_counters *c, struct kx_err *e)
{
	char q[QUOTE_MAX];
	struct kx_field f;
	int r = one_line(buf, len, fname, "total", &f, e);

	if (r)
		return r;
	r = kx_parse_u64(f.p, f.n, &c->total_file);
	if (r == 0)
		return 0;
	kx_quote(q, sizeof(q), f.p, f.n);
	return kx_fail(e, KX_EXIT_BADINPUT, "%s:1: %s '%s'", fname,
		       r == -2 ? "total does not fit in 64 bits" :
				 "total is not an unsigned decimal number",
		       q);
}

int kx_code_name_from_fields(const struct kx_lines *it,
			     const struct kx_field *f, uint64_t *code,
			     unsigned *is_other, char *name, struct kx_err *e)
{
	char q[QUOTE_MAX];
	int rc = kx_field_word(it, "reason name", &f[1], KX_NAME_MAX, name, e);

	if (rc)
		return rc;
	if (kx_field_is(&f[0], "-")) {
		if (!kx_field_is(&f[1], "other"))
			return kx_lines_fail(it, e,
					     "code '-' is only for the 'other' "
					     "line, not '%s'",
					     name);
		*is_other = 1;
	} else if (kx_parse_code(f[0].p, f[0].n, code)) {
		kx_quote(q, sizeof(q), f[0].p, f[0].n);
		return kx_lines_fail(it, e,
				     "bad code '%s' (expected 0x and 4 to 16 "
				     "hex digits, or '-')",
				     q);
	} else if (kx_field_is(&f[1], "other")) {
		return kx_lines_fail(it, e,
				     "the 'other' line must have code '-'");
	}
	return 0;
}

int kx_reason_from_fields(const struct kx_lines *it, const struct kx_field *f,
			  struct kx_reason *r, struct kx_err *e)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->lineno = it->lineno;
	rc = kx_code_name_from_fields(it, f, &r->code, &r->is_other, r->name,
				      e);
	return rc ? rc : kx_field_u64(it, "count", &f[2], &r->count, e);
}

int kx_counters_add(const struct kx_lines *it, struct kx_counters *c,
		    const struct kx_reason *r, struct kx_err *e)
{
	size_t i;
	int rc;

	if (c->n && c->r[c->n - 1].is_other)
		return kx_lines_fail(it, e,
				     "line after the 'other' line (which must "
				     "be the last one, line %u)",
				     c->r[c->n - 1].lineno);
	if (c->n == KX_MAX_REASONS)
		return kx_lines_fail(it, e, "too many reasons (more than %d)",
				     KX_MAX_REASONS);
	if (!r->is_other) {
		for (i = 0; i < c->n; i++)
			if (c->r[i].code == r->code)
				return kx_lines_fail(it, e,
						     "duplicate code 0x%04llx "
						     "(first on line %u)",
						     (unsigned long long)r->code,
						     c->r[i].lineno);
	}
	rc = kx_add_sum(it, &c->sum, r->count, e);
	if (!rc)
		c->r[c->n++] = *r;
	return rc;
}

int kx_counters_finish(const struct kx_lines *it, struct kx_counters *c,
		       struct kx_err *e)
{
	struct kx_lines end = *it;

	end.lineno++;
	if (c->n == 0 || !c->r[c->n - 1].is_other)
		return kx_lines_fail(&end, e,
				     "end of file without the 'other' line "
				     "(file truncated?)");
	return 0;
}

/*
 * The next data row of a debugfs table file (by_reason, time_by_reason):
 * 1 with its want fields in f, 0 at the end, or an error code. An empty
 * file is an error; a '#' line is allowed only first (the header).
 */
static int next_row(struct kx_lines *it, size_t len, struct kx_field *f,
		    int want, const char *shape, struct kx_err *e)
{
	const char *line;
	size_t n;
	int rc, nf;

	if (len == 0) {
		it->lineno = 1;
		return -kx_lines_fail(it, e, "empty file");
	}
	while ((rc = kx_lines_next(it, &line, &n, e)) == 1) {
		if (n && line[0] == '#') {
			if (it->lineno == 1)
				continue; /* the header */
			return -kx_lines_fail(it, e,
					      "'#' line is only allowed as the "
					      "first line");
		}
		nf = kx_split(line, n, f, KX_FIELDS_MAX);
		if (nf != want)
			return -kx_lines_fail(it, e,
					      "expected %d fields '%s', got %s%d",
					      want, shape,
					      nf > KX_FIELDS_MAX ? "more than " : "",
					      nf > KX_FIELDS_MAX ? KX_FIELDS_MAX : nf);
		return 1;
	}
	return rc ? -rc : 0;
}

int kx_parse_by_reason(const char *buf, size_t len, const char *fname,
		       struct kx_counters *c, struct kx_err *e)
{
	struct kx_field f[KX_FIELDS_MAX];
	struct kx_lines it;
	struct kx_reason r;
	int rc;

	c->n = 0;
	c->sum = 0;
	kx_lines_init(&it, buf, len, fname);
	while ((rc = next_row(&it, len, f, 3, "<code> <name> <count>", e)) == 1) {
		rc = kx_reason_from_fields(&it, f, &r, e);
		if (!rc)
			rc = kx_counters_add(&it, c, &r, e);
		if (rc)
			return rc;
	}
	if (rc)
		return -rc;
	return kx_counters_finish(&it, c, e);
}

const char *kx_code_str(const struct kx_reason *r, char *buf, size_t size)
{
	if (r->is_other)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "0x%04llx", (unsigned long long)r->code);
	return buf;
}

void kx_times_begin(struct kx_counters *c)
{
	size_t i;

	c->has_time = 0;
	c->tcount_sum = c->tns_sum = c->tmax_all = 0;
	for (i = 0; i < c->n; i++)
		c->r[i].tcount = c->r[i].tns = c->r[i].tmax = 0;
}

int kx_time_from_fields(const struct kx_lines *it, const struct kx_field *f,
			struct kx_counters *c, size_t i, struct kx_err *e)
{
	static const char *const what[3] = { "count", "total_ns", "max_ns" };
	struct kx_reason *r;
	char q[QUOTE_MAX], code[24];
	uint64_t v[3];
	int rc, k;

	if (i >= c->n)
		return kx_lines_fail(it, e,
				     "more time lines than reasons (%zu)",
				     c->n);
	r = &c->r[i];
	kx_code_str(r, code, sizeof(code));
	if (!kx_field_is(&f[1], r->name)) {
		kx_quote(q, sizeof(q), f[1].p, f[1].n);
		return kx_lines_fail(it, e,
				     "reason '%s' where by_reason has '%s' "
				     "(files out of step?)",
				     q, r->name);
	}
	if (!kx_field_is(&f[0], code)) {
		uint64_t got;

		/* "0x0a" and "0x000a" are the same code */
		if (r->is_other || kx_parse_code(f[0].p, f[0].n, &got) ||
		    got != r->code) {
			kx_quote(q, sizeof(q), f[0].p, f[0].n);
			return kx_lines_fail(it, e,
					     "code '%s' of %s where by_reason "
					     "has %s",
					     q, r->name, code);
		}
	}
	for (k = 0; k < 3; k++) {
		rc = kx_field_u64(it, what[k], &f[2 + k], &v[k], e);
		if (rc)
			return rc;
	}
	if (v[2] > v[1])
		return kx_lines_fail(it, e, "max_ns %llu above total_ns %llu",
				     (unsigned long long)v[2],
				     (unsigned long long)v[1]);
	if (c->tcount_sum > UINT64_MAX - v[0])
		return kx_lines_fail(it, e,
				     "sum of the time counts overflows 64 "
				     "bits");
	if (c->tns_sum > UINT64_MAX - v[1])
		return kx_lines_fail(it, e,
				     "sum of the total_ns values overflows 64 "
				     "bits");
	c->tcount_sum += v[0];
	c->tns_sum += v[1];
	if (v[2] > c->tmax_all)
		c->tmax_all = v[2];
	r->tcount = v[0];
	r->tns = v[1];
	r->tmax = v[2];
	return 0;
}

int kx_parse_times(const char *buf, size_t len, const char *fname,
		   struct kx_counters *c, struct kx_err *e)
{
	struct kx_field f[KX_FIELDS_MAX];
	struct kx_lines it;
	size_t i = 0;
	int rc;

	kx_times_begin(c);
	kx_lines_init(&it, buf, len, fname);
	while ((rc = next_row(&it, len, f, 5,
			      "<code> <name> <count> <total_ns> <max_ns>", e)) == 1) {
		rc = kx_time_from_fields(&it, f, c, i, e);
		if (rc)
			return rc;
		i++;
	}
	if (rc)
		return -rc;
	if (i != c->n) {
		it.lineno++;
		return kx_lines_fail(&it, e,
				     "end of file after %zu time lines, "
				     "by_reason has %zu reasons (file "
				     "truncated?)",
				     i, c->n);
	}
	c->has_time = 1;
	return 0;
}
