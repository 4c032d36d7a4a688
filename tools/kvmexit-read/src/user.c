// SPDX-License-Identifier: GPL-2.0
#include "user.h"

#include <stdlib.h>
#include <string.h>

#include "diff.h"

#define QUOTE_MAX 48
#define HEADER "code name count"

void kx_user_begin(struct kx_user *u)
{
	memset(u, 0, sizeof(*u));
}

const char *kx_user_name(const struct kx_user *u, unsigned c)
{
	if (c >= KX_USER_CODES || !(u->present >> c & 1) ||
	    !strcmp(u->name[c], "-"))
		return NULL;
	return u->name[c];
}

/* the count of field f into *v, added to the sum of u */
static int add_count(const struct kx_lines *it, struct kx_user *u,
		     const struct kx_field *f, uint64_t *v, struct kx_err *e)
{
	int rc = kx_field_u64(it, "count", f, v, e);

	return rc ? rc : kx_add_sum(it, &u->sum, *v, e);
}

/* "-" or "KVM_EXIT_" and capitals, digits and '_' */
static int name_ok(const struct kx_field *f)
{
	size_t i, pre = strlen("KVM_EXIT_");

	if (kx_field_is(f, "-"))
		return 1;
	if (f->n <= pre || f->n >= KX_USER_NAME_MAX ||
	    memcmp(f->p, "KVM_EXIT_", pre))
		return 0;
	for (i = pre; i < f->n; i++)
		if (!((f->p[i] >= 'A' && f->p[i] <= 'Z') ||
		      (f->p[i] >= '0' && f->p[i] <= '9') || f->p[i] == '_'))
			return 0;
	return 1;
}

int kx_user_line(const struct kx_lines *it, struct kx_user *u,
		 const struct kx_field *f, int nf, struct kx_err *e)
{
	char q[QUOTE_MAX];
	uint64_t code, v;
	int rc;

	if (u->other_line)
		return kx_lines_fail(it, e,
				     nf == 2 && kx_field_is(&f[0], "other") ?
				     "duplicate 'other' line (first on line %u)" :
				     "line after the 'other' line (which must "
				     "be the last one, line %u)",
				     u->other_line);
	if (nf == 2 && kx_field_is(&f[0], "other")) {
		rc = add_count(it, u, &f[1], &u->other, e);
		if (!rc)
			u->other_line = it->lineno;
		return rc;
	}
	if (nf != 3)
		return kx_lines_fail(it, e,
				     "expected '<code> <name> <count>', '- "
				     "error <count>' or 'other <count>', got "
				     "%s%d fields",
				     nf > KX_FIELDS_MAX ? "more than " : "",
				     nf > KX_FIELDS_MAX ? KX_FIELDS_MAX : nf);
	if (kx_field_is(&f[0], "-")) {
		if (!kx_field_is(&f[1], "error")) {
			kx_quote(q, sizeof(q), f[1].p, f[1].n);
			return kx_lines_fail(it, e,
					     "code '-' is only for the '- error' "
					     "line, not '%s'",
					     q);
		}
		if (u->error_line)
			return kx_lines_fail(it, e,
					     "duplicate '- error' line (first "
					     "on line %u)",
					     u->error_line);
		rc = add_count(it, u, &f[2], &u->error, e);
		if (!rc)
			u->error_line = it->lineno;
		return rc;
	}
	if (kx_parse_u64(f[0].p, f[0].n, &code) || code >= KX_USER_CODES) {
		kx_quote(q, sizeof(q), f[0].p, f[0].n);
		return kx_lines_fail(it, e,
				     "bad code '%s' (expected 0 to %d, or '-' "
				     "for errors)",
				     q, KX_USER_CODES - 1);
	}
	if (!name_ok(&f[1])) {
		kx_quote(q, sizeof(q), f[1].p, f[1].n);
		return kx_lines_fail(it, e,
				     "bad name '%s' (expected KVM_EXIT_ and "
				     "capitals, digits or '_', at most %d "
				     "characters, or '-')",
				     q, KX_USER_NAME_MAX - 1);
	}
	if (u->present >> code & 1)
		return kx_lines_fail(it, e,
				     "duplicate code %u (first on line %u)",
				     (unsigned)code, u->lineno[code]);
	if (u->error_line)
		return kx_lines_fail(it, e,
				     "code line after the '- error' line (line "
				     "%u), which comes after the codes",
				     u->error_line);
	rc = add_count(it, u, &f[2], &v, e);
	if (rc)
		return rc;
	u->present |= (uint64_t)1 << code;
	u->count[code] = v;
	u->lineno[code] = it->lineno;
	memcpy(u->name[code], f[1].p, f[1].n);
	u->name[code][f[1].n] = '\0';
	return 0;
}

int kx_user_finish(const struct kx_lines *it, const struct kx_user *u,
		   struct kx_err *e)
{
	struct kx_lines end = *it;

	end.lineno++;
	if (!u->other_line)
		return kx_lines_fail(&end, e,
				     "end of file without the 'other' line "
				     "(file truncated?)");
	return 0;
}

static int parse_user(const char *buf, size_t len, const char *fname,
		      struct kx_user *u, struct kx_err *e)
{
	struct kx_field f[KX_FIELDS_MAX];
	struct kx_lines it;
	const char *line;
	size_t n;
	int rc;

	kx_user_begin(u);
	kx_lines_init(&it, buf, len, fname);
	while ((rc = kx_lines_next_row(&it, HEADER, NULL, &line, &n, e)) == 1) {
		rc = kx_user_line(&it, u, f, kx_split(line, n, f, KX_FIELDS_MAX),
				  e);
		if (rc)
			return rc;
	}
	if (rc)
		return rc;
	return kx_user_finish(&it, u, e);
}

int kx_parse_user(const char *buf, size_t len, const char *fname,
		  struct kx_counters *c, struct kx_err *e)
{
	struct kx_user *u = malloc(sizeof(*u));
	int r;

	free(c->user);
	c->user = NULL;
	if (!u)
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	r = parse_user(buf, len, fname, u, e);
	if (r)
		free(u);
	else
		c->user = u;
	return r;
}

void kx_user_diff(const struct kx_user *a, const struct kx_user *b,
		  struct kx_user_diff *d)
{
	static const struct kx_user zero;
	unsigned c;

	memset(d, 0, sizeof(*d));
	if (!a)
		a = &zero;
	d->present = a->present | b->present;
	for (c = 0; c < KX_USER_CODES; c++) {
		uint64_t before = a->count[c], after = b->count[c];

		if (!(d->present >> c & 1))
			continue;
		if (!(a->present >> c & 1))
			before = 0;
		if (!(b->present >> c & 1))
			after = 0;
		memcpy(d->name[c], b->present >> c & 1 ? b->name[c] : a->name[c],
		       KX_USER_NAME_MAX);
		if (kx_counter_delta(before, after, &d->delta[c], &d->nreset))
			d->reset |= (uint64_t)1 << c;
		/* each at most B's count: the sum is at most B's, checked */
		d->total += d->delta[c];
	}
	d->error_reset = kx_counter_delta(a->error, b->error, &d->error,
					  &d->nreset);
	d->other_reset = kx_counter_delta(a->other, b->other, &d->other,
					  &d->nreset);
	d->total += d->error + d->other;
}
