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

/* the key of an MSR or I/O row: "0x" and 1 to maxd hex digits */
static int parse_hex_key(const struct kx_lines *it, const char *what,
			 const struct kx_field *f, size_t maxd,
			 struct kx_detail_row *r, struct kx_err *e)
{
	char q[QUOTE_MAX];
	uint64_t v;

	if (!kx_parse_hex(f->p, f->n, 1, maxd, &v)) {
		r->key = (uint32_t)v;
		return 0;
	}
	kx_quote(q, sizeof(q), f->p, f->n);
	return kx_lines_fail(it, e,
			     "bad %s '%s' (expected 0x and 1 to %zu hex "
			     "digits)",
			     what, q, maxd);
}

/* the access word: read/write (MSR) or in/out (I/O) */
static const char *access_word(enum kx_detail_kind k, int write)
{
	if (k == KX_DET_MSR)
		return write ? "write" : "read";
	return write ? "out" : "in";
}

static int parse_access(const struct kx_lines *it, enum kx_detail_kind k,
			const struct kx_field *f, struct kx_detail_row *r,
			struct kx_err *e)
{
	const char *no = access_word(k, 0), *yes = access_word(k, 1);
	char q[QUOTE_MAX];

	if (kx_field_is(f, no) || kx_field_is(f, yes)) {
		r->write = kx_field_is(f, yes);
		return 0;
	}
	kx_quote(q, sizeof(q), f->p, f->n);
	return kx_lines_fail(it, e, "bad access '%s' (expected %s or %s)", q,
			     no, yes);
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
		rc = parse_hex_key(it, "MSR", &f[0], 8, r, e);
		if (!rc)
			rc = parse_access(it, k, &f[1], r, e);
		return rc ? rc : kx_field_u64(it, "count", &f[2], &r->count, e);
	case KX_DET_IO:
		rc = parse_hex_key(it, "port", &f[0], 4, r, e);
		if (rc)
			return rc;
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
		return rc ? rc : kx_field_u64(it, "count", &f[3], &r->count, e);
	default: /* KX_DET_EXC */
		if (kx_parse_u64(f[0].p, f[0].n, &vec) || vec > 31) {
			kx_quote(q, sizeof(q), f[0].p, f[0].n);
			return kx_lines_fail(it, e,
					     "bad vector '%s' (expected 0 to "
					     "31)",
					     q);
		}
		r->key = (uint32_t)vec;
		rc = kx_field_word(it, "exception name", &f[1],
				   KX_EXC_NAME_MAX, r->name, e);
		return rc ? rc : kx_field_u64(it, "count", &f[2], &r->count, e);
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
	int rc;

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
	rc = kx_add_sum(it, &t->sum, r->count, e);
	if (!rc)
		t->r[t->n++] = *r;
	return rc;
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
	rc = kx_field_u64(it, "count", count, &t->other, e);
	if (!rc)
		rc = kx_add_sum(it, &t->sum, t->other, e);
	if (!rc)
		t->other_line = it->lineno;
	return rc;
}

static int cmp_rows(const void *a, const void *b)
{
	return kx_detail_cmp(a, b);
}

void kx_detail_sort(struct kx_detail_table *t)
{
	qsort(t->r, t->n, sizeof(t->r[0]), cmp_rows);
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
	while ((rc = kx_lines_next_row(&it, info->header, NULL, &line, &n,
				       e)) == 1) {
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

/* the key as in the file ("0x0000001b read") or, desc, for messages
 * ("MSR 0x0000001b read") */
static const char *key_str(enum kx_detail_kind k,
			   const struct kx_detail_row *r, int desc, char *buf,
			   size_t size)
{
	const char *access = access_word(k, r->write);

	if (k == KX_DET_MSR)
		snprintf(buf, size, desc ? "MSR 0x%08x %s" : "0x%08x %s",
			 (unsigned)r->key, access);
	else if (k == KX_DET_IO)
		snprintf(buf, size,
			 desc ? "port 0x%04x size %u %s" : "0x%04x %u %s",
			 (unsigned)r->key, (unsigned)r->size, access);
	else if (desc)
		snprintf(buf, size, "vector %u", (unsigned)r->key);
	else
		snprintf(buf, size, "%u %s", (unsigned)r->key, r->name);
	return buf;
}

const char *kx_detail_key_text(enum kx_detail_kind k,
			       const struct kx_detail_row *r, char *buf,
			       size_t size)
{
	return key_str(k, r, 0, buf, size);
}

const char *kx_detail_key_desc(enum kx_detail_kind k,
			       const struct kx_detail_row *r, char *buf,
			       size_t size)
{
	return key_str(k, r, 1, buf, size);
}

void kx_detail_cells(enum kx_detail_kind k, const struct kx_detail_row *r,
		     char cells[3][64])
{
	const char *name = kx_detail_name(k, r);

	cells[2][0] = '\0';
	if (k == KX_DET_MSR) {
		snprintf(cells[0], 64, "0x%08x", (unsigned)r->key);
		snprintf(cells[1], 64, "%s", name ? name : "-");
		snprintf(cells[2], 64, "%s", access_word(k, r->write));
	} else if (k == KX_DET_IO) {
		snprintf(cells[0], 64, "0x%04x", (unsigned)r->key);
		snprintf(cells[1], 64, "%u", (unsigned)r->size);
		snprintf(cells[2], 64, "%s", access_word(k, r->write));
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
		snprintf(buf, size, "%s %s", name, access_word(k, r->write));
	else if (k == KX_DET_MSR)
		snprintf(buf, size, "0x%08x %s", (unsigned)r->key,
			 access_word(k, r->write));
	else if (k == KX_DET_IO)
		snprintf(buf, size, "0x%04x/%u %s", (unsigned)r->key,
			 (unsigned)r->size, access_word(k, r->write));
	else if (name)
		snprintf(buf, size, "#%s", name);
	else
		snprintf(buf, size, "#%u", (unsigned)r->key);
	return buf;
}
