// SPDX-License-Identifier: GPL-2.0
#include "detail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msr_names.h"

#define QUOTE_MAX 48

static const struct kx_detail_info infos[KX_DET_KINDS] = {
	[KX_DET_MSR] = { "by_msr", "--msr", "msr", "msr", "kvm_exits_msr_total",
			 "MSR", "msr access count", "<msr> <access> <count>", 3,
			 3, { "MSR", "NAME", "ACCESS" }, 128 },
	[KX_DET_IO] = { "by_io_port", "--io", "io", "io", "kvm_exits_io_total",
			"I/O port", "port size access count",
			"<port> <size> <access> <count>", 4, 3,
			{ "PORT", "SIZE", "ACCESS" }, 64 },
	[KX_DET_EXC] = { "by_exception", "--exceptions", "exception",
			 "exceptions", "kvm_exits_exception_total", "exception",
			 "vector name count", "<vector> <name> <count>", 3, 2,
			 { "VECTOR", "NAME", NULL }, 32 },
};

const struct kx_detail_info *kx_detail_info(enum kx_detail_kind k)
{
	return &infos[k];
}

void kx_detail_begin(struct kx_detail_table *t, enum kx_detail_kind k)
{
	t->kind = k;
	t->n = 0;
	t->other = 0;
	t->other_line = 0;
	t->sum = 0;
}

/* "0x" and 1 to maxd hex digits: 0 ok, -1 not */
static int parse_hex(const char *p, size_t n, size_t maxd, uint32_t *v)
{
	uint32_t x = 0;
	size_t i;

	if (n < 3 || n > maxd + 2 || p[0] != '0' || p[1] != 'x')
		return -1;
	for (i = 2; i < n; i++) {
		int d = kx_hexval(p[i]);

		if (d < 0)
			return -1;
		x = x << 4 | (uint32_t)d;
	}
	*v = x;
	return 0;
}

/* the access word: read/write (MSR) or in/out (I/O) */
static int parse_access(const struct kx_lines *it, enum kx_detail_kind k,
			const struct kx_field *f, struct kx_detail_row *r,
			struct kx_err *e)
{
	const char *no = k == KX_DET_MSR ? "read" : "in";
	const char *yes = k == KX_DET_MSR ? "write" : "out";
	char q[QUOTE_MAX];

	if (kx_field_is(f, no) || kx_field_is(f, yes)) {
		r->write = kx_field_is(f, yes);
		return 0;
	}
	kx_quote(q, sizeof(q), f->p, f->n);
	return kx_lines_fail(it, e, "bad access '%s' (expected %s or %s)", q,
			     no, yes);
}

static int parse_count(const struct kx_lines *it, const struct kx_field *f,
		       uint64_t *v, struct kx_err *e)
{
	char q[QUOTE_MAX];
	int rc = kx_parse_u64(f->p, f->n, v);

	if (!rc)
		return 0;
	kx_quote(q, sizeof(q), f->p, f->n);
	return kx_lines_fail(it, e, "count '%s' %s", q,
			     rc == -2 ? "does not fit in 64 bits" :
					"is not an unsigned decimal number");
}

int kx_detail_row_from_fields(const struct kx_lines *it,
			      enum kx_detail_kind k, const struct kx_field *f,
			      struct kx_detail_row *r, struct kx_err *e)
{
	char q[QUOTE_MAX];
	uint64_t vec;
	int rc;

	memset(r, 0, sizeof(*r));
	r->lineno = it->lineno;
	switch (k) {
	case KX_DET_MSR:
		if (parse_hex(f[0].p, f[0].n, 8, &r->key)) {
			kx_quote(q, sizeof(q), f[0].p, f[0].n);
			return kx_lines_fail(it, e,
					     "bad MSR '%s' (expected 0x and 1 "
					     "to 8 hex digits)",
					     q);
		}
		rc = parse_access(it, k, &f[1], r, e);
		return rc ? rc : parse_count(it, &f[2], &r->count, e);
	case KX_DET_IO:
		if (parse_hex(f[0].p, f[0].n, 4, &r->key)) {
			kx_quote(q, sizeof(q), f[0].p, f[0].n);
			return kx_lines_fail(it, e,
					     "bad port '%s' (expected 0x and 1 "
					     "to 4 hex digits)",
					     q);
		}
		if (f[1].n != 1 || (f[1].p[0] != '1' && f[1].p[0] != '2' &&
				    f[1].p[0] != '4')) {
			kx_quote(q, sizeof(q), f[1].p, f[1].n);
			return kx_lines_fail(it, e,
					     "bad size '%s' (expected 1, 2 or "
					     "4)",
					     q);
		}
		r->size = (uint8_t)(f[1].p[0] - '0');
		rc = parse_access(it, k, &f[2], r, e);
		return rc ? rc : parse_count(it, &f[3], &r->count, e);
	default: /* KX_DET_EXC */
		if (kx_parse_u64(f[0].p, f[0].n, &vec) || vec > 31) {
			kx_quote(q, sizeof(q), f[0].p, f[0].n);
			return kx_lines_fail(it, e,
					     "bad vector '%s' (expected 0 to "
					     "31)",
					     q);
		}
		r->key = (uint32_t)vec;
		if (kx_check_word(f[1].p, f[1].n, KX_EXC_NAME_MAX)) {
			kx_quote(q, sizeof(q), f[1].p, f[1].n);
			return kx_lines_fail(it, e,
					     "bad exception name '%s' (1 to %d "
					     "printable characters expected)",
					     q, KX_EXC_NAME_MAX - 1);
		}
		memcpy(r->name, f[1].p, f[1].n);
		r->name[f[1].n] = '\0';
		return parse_count(it, &f[2], &r->count, e);
	}
}

int kx_detail_cmp(const struct kx_detail_row *a, const struct kx_detail_row *b)
{
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	if (a->write != b->write)
		return a->write < b->write ? -1 : 1;
	return 0;
}

int kx_detail_add(const struct kx_lines *it, struct kx_detail_table *t,
		  const struct kx_detail_row *r, struct kx_err *e)
{
	char key[64];
	size_t i;

	if (t->other_line)
		return kx_lines_fail(it, e,
				     "line after the 'other' line (which must "
				     "be the last one, line %u)",
				     t->other_line);
	for (i = 0; i < t->n; i++)
		if (!kx_detail_cmp(&t->r[i], r))
			return kx_lines_fail(it, e,
					     "duplicate %s (first on line %u)",
					     kx_detail_key_desc(t->kind, r, key,
								sizeof(key)),
					     t->r[i].lineno);
	if (t->n == KX_DETAIL_ROWS_MAX)
		return kx_lines_fail(it, e, "too many rows (more than %d)",
				     KX_DETAIL_ROWS_MAX);
	if (t->sum > UINT64_MAX - r->count)
		return kx_lines_fail(it, e,
				     "sum of the counts overflows 64 bits");
	t->sum += r->count;
	t->r[t->n++] = *r;
	return 0;
}

int kx_detail_set_other(const struct kx_lines *it, struct kx_detail_table *t,
			const struct kx_field *count, struct kx_err *e)
{
	int rc;

	if (t->other_line)
		return kx_lines_fail(it, e,
				     "duplicate 'other' line (first on line "
				     "%u)",
				     t->other_line);
	rc = parse_count(it, count, &t->other, e);
	if (rc)
		return rc;
	if (t->sum > UINT64_MAX - t->other)
		return kx_lines_fail(it, e,
				     "sum of the counts overflows 64 bits");
	t->sum += t->other;
	t->other_line = it->lineno;
	return 0;
}

static int cmp_rows(const void *a, const void *b)
{
	return kx_detail_cmp(a, b);
}

void kx_detail_sort(struct kx_detail_table *t)
{
	qsort(t->r, t->n, sizeof(t->r[0]), cmp_rows);
}

/* The header line: '#' and the kind's words, split on spaces. */
static int check_header(const struct kx_lines *it, enum kx_detail_kind k,
			const char *line, size_t n, struct kx_err *e)
{
	struct kx_field f[KX_FIELDS_MAX], want[KX_FIELDS_MAX];
	const char *h = infos[k].header;
	char q[QUOTE_MAX * 2];
	int nf, nw, i;

	if (!n || line[0] != '#')
		return kx_lines_fail(it, e,
				     "expected the header line '# %s' first",
				     h);
	nf = kx_split(line + 1, n - 1, f, KX_FIELDS_MAX);
	nw = kx_split(h, strlen(h), want, KX_FIELDS_MAX);
	for (i = 0; nf == nw && i < nf; i++)
		if (f[i].n != want[i].n || memcmp(f[i].p, want[i].p, f[i].n))
			break;
	if (nf == nw && i == nf)
		return 0;
	kx_quote(q, sizeof(q), line, n);
	return kx_lines_fail(it, e, "bad header '%s' (expected '# %s')", q, h);
}

int kx_parse_detail(enum kx_detail_kind k, const char *buf, size_t len,
		    const char *fname, struct kx_detail_table *t,
		    struct kx_err *e)
{
	const struct kx_detail_info *info = &infos[k];
	struct kx_field f[KX_FIELDS_MAX];
	struct kx_detail_row r;
	struct kx_lines it;
	const char *line;
	size_t n;
	int rc, nf;

	kx_detail_begin(t, k);
	kx_lines_init(&it, buf, len, fname);
	if (len == 0) {
		it.lineno = 1;
		return kx_lines_fail(&it, e,
				     "empty file (expected the header line "
				     "'# %s')",
				     info->header);
	}
	while ((rc = kx_lines_next(&it, &line, &n, e)) == 1) {
		if (it.lineno == 1) {
			rc = check_header(&it, k, line, n, e);
			if (rc)
				return rc;
			continue;
		}
		if (n && line[0] == '#')
			return kx_lines_fail(&it, e,
					     "'#' line is only allowed as the "
					     "first line (the header)");
		nf = kx_split(line, n, f, KX_FIELDS_MAX);
		if (nf && kx_field_is(&f[0], "other")) {
			if (nf != 2)
				return kx_lines_fail(&it, e,
						     "expected 'other <count>'");
			rc = kx_detail_set_other(&it, t, &f[1], e);
			if (rc)
				return rc;
			continue;
		}
		if (t->other_line)
			return kx_lines_fail(&it, e,
					     "line after the 'other' line "
					     "(which must be the last one, line "
					     "%u)",
					     t->other_line);
		if (nf != info->fields)
			return kx_lines_fail(&it, e,
					     "expected %d fields '%s' or 'other "
					     "<count>', got %s%d",
					     info->fields, info->shape,
					     nf > KX_FIELDS_MAX ? "more than " :
								  "",
					     nf > KX_FIELDS_MAX ? KX_FIELDS_MAX :
								  nf);
		rc = kx_detail_row_from_fields(&it, k, f, &r, e);
		if (!rc)
			rc = kx_detail_add(&it, t, &r, e);
		if (rc)
			return rc;
	}
	if (rc)
		return rc;
	if (!t->other_line) {
		it.lineno++;
		return kx_lines_fail(&it, e,
				     "end of file without the 'other' line "
				     "(file truncated?)");
	}
	kx_detail_sort(t);
	return 0;
}

const char *kx_detail_name(enum kx_detail_kind k,
			   const struct kx_detail_row *r)
{
	if (k == KX_DET_MSR)
		return kx_msr_name(r->key);
	if (k == KX_DET_EXC && strcmp(r->name, "-"))
		return r->name;
	return NULL;
}

const char *kx_detail_key_text(enum kx_detail_kind k,
			       const struct kx_detail_row *r, char *buf,
			       size_t size)
{
	if (k == KX_DET_MSR)
		snprintf(buf, size, "0x%08x %s", (unsigned)r->key,
			 r->write ? "write" : "read");
	else if (k == KX_DET_IO)
		snprintf(buf, size, "0x%04x %u %s", (unsigned)r->key,
			 (unsigned)r->size, r->write ? "out" : "in");
	else
		snprintf(buf, size, "%u %s", (unsigned)r->key, r->name);
	return buf;
}

const char *kx_detail_key_desc(enum kx_detail_kind k,
			       const struct kx_detail_row *r, char *buf,
			       size_t size)
{
	if (k == KX_DET_MSR)
		snprintf(buf, size, "MSR 0x%08x %s", (unsigned)r->key,
			 r->write ? "write" : "read");
	else if (k == KX_DET_IO)
		snprintf(buf, size, "port 0x%04x size %u %s", (unsigned)r->key,
			 (unsigned)r->size, r->write ? "out" : "in");
	else
		snprintf(buf, size, "vector %u", (unsigned)r->key);
	return buf;
}

void kx_detail_cells(enum kx_detail_kind k, const struct kx_detail_row *r,
		     char cells[3][64])
{
	const char *name = kx_detail_name(k, r);

	cells[2][0] = '\0';
	if (k == KX_DET_MSR) {
		snprintf(cells[0], 64, "0x%08x", (unsigned)r->key);
		snprintf(cells[1], 64, "%s", name ? name : "-");
		snprintf(cells[2], 64, "%s", r->write ? "write" : "read");
	} else if (k == KX_DET_IO) {
		snprintf(cells[0], 64, "0x%04x", (unsigned)r->key);
		snprintf(cells[1], 64, "%u", (unsigned)r->size);
		snprintf(cells[2], 64, "%s", r->write ? "out" : "in");
	} else {
		snprintf(cells[0], 64, "%u", (unsigned)r->key);
		snprintf(cells[1], 64, "%s", r->name);
	}
}

const char *kx_detail_short(enum kx_detail_kind k,
			    const struct kx_detail_row *r, char *buf,
			    size_t size)
{
	const char *name = kx_detail_name(k, r);

	if (k == KX_DET_MSR && name)
		snprintf(buf, size, "%s %s", name, r->write ? "write" : "read");
	else if (k == KX_DET_MSR)
		snprintf(buf, size, "0x%08x %s", (unsigned)r->key,
			 r->write ? "write" : "read");
	else if (k == KX_DET_IO)
		snprintf(buf, size, "0x%04x/%u %s", (unsigned)r->key,
			 (unsigned)r->size, r->write ? "out" : "in");
	else if (name)
		snprintf(buf, size, "#%s", name);
	else
		snprintf(buf, size, "#%u", (unsigned)r->key);
	return buf;
}
