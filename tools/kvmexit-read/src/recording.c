// SPDX-License-Identifier: GPL-2.0
#include "recording.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "jsonl.h"
#include "output.h"

#define QUOTE_MAX 48

static void time_us(struct kx_buf *b, const struct kx_time *t)
{
	kx_buf_printf(b, "%llu.%06u", (unsigned long long)t->sec,
		      t->nsec / 1000);
}

static void str_or_null(struct kx_buf *b, const char *s)
{
	if (s && *s)
		kx_json_str(b, s);
	else
		kx_buf_puts(b, "null");
}

void kx_rec_header(const struct kx_rec_info *h, struct kx_buf *b)
{
	kx_buf_printf(b, "{\"type\":\"%s\",\"format\":%d,\"source\":",
		      KX_REC_TYPE, KX_REC_FORMAT);
	kx_json_str(b, h->source);
	kx_buf_puts(b, ",\"vm\":");
	str_or_null(b, h->vm);
	kx_buf_puts(b, ",\"vendor\":");
	kx_json_str(b, h->vendor);
	kx_buf_puts(b, ",\"kernel\":");
	kx_json_str(b, h->kernel);
	kx_buf_puts(b, ",\"boot_id\":");
	kx_json_str(b, h->boot_id);
	kx_buf_printf(b, ",\"wall_time\":%llu.%09u,\"boottime\":%llu.%09u,"
		      "\"clock\":\"boottime\",\"interval_seconds\":%llu.%09u,"
		      "\"command\":",
		      (unsigned long long)h->wall.sec, h->wall.nsec,
		      (unsigned long long)h->boot.sec, h->boot.nsec,
		      (unsigned long long)h->interval.sec, h->interval.nsec);
	str_or_null(b, h->command);
	kx_buf_puts(b, "}\n");
}

void kx_rec_sample(const struct kx_time *t, const struct kx_counters *c,
		   int reset, struct kx_buf *b)
{
	int first = 1;
	size_t i;

	kx_buf_puts(b, "{\"t\":");
	time_us(b, t);
	kx_buf_printf(b, ",\"total\":%llu,%s\"reasons\":{",
		      (unsigned long long)c->sum,
		      reset ? "\"reset\":true," : "");
	for (i = 0; i < c->n; i++) {
		if (!c->r[i].count)
			continue;
		if (!first)
			kx_buf_putc(b, ',');
		first = 0;
		kx_json_str(b, c->r[i].name);
		kx_buf_printf(b, ":%llu", (unsigned long long)c->r[i].count);
	}
	kx_buf_puts(b, "}}\n");
}

int kx_rec_check_names(const struct kx_counters *c, const char *where,
		       struct kx_err *e)
{
	size_t i, k;

	for (i = 0; i < c->n; i++)
		for (k = 0; k < i; k++)
			if (!strcmp(c->r[i].name, c->r[k].name))
				return kx_fail(e, KX_EXIT_BADINPUT,
					       "%s: reason name '%s' on lines "
					       "%u and %u: a recording needs "
					       "unique names",
					       where, c->r[i].name,
					       c->r[k].lineno, c->r[i].lineno);
	return 0;
}

/* The index in c of the reason named name (i: where it likely is), or -1 */
static long find_name(const struct kx_counters *c, const char *name, size_t i)
{
	size_t k;

	if (i < c->n && !strcmp(c->r[i].name, name))
		return (long)i;
	for (k = 0; k < c->n; k++)
		if (!strcmp(c->r[k].name, name))
			return (long)k;
	return -1;
}

int kx_rec_went_down(const struct kx_counters *prev,
		     const struct kx_counters *cur)
{
	size_t i;
	long k;

	if (cur->sum < prev->sum)
		return 1;
	/* every reason of prev, matched by name; one cur lacks is 0 now */
	for (i = 0; i < prev->n; i++) {
		if (!prev->r[i].count)
			continue;
		k = find_name(cur, prev->r[i].name, i);
		if (k < 0 || cur->r[k].count < prev->r[i].count)
			return 1;
	}
	return 0;
}

/* ---- reading ------------------------------------------------------- */

static uint32_t hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/* The index of name, added if new: >= 0, or -1 if the table is full. */
static int name_index(struct kx_rec_names *t, const char *name, size_t n)
{
	uint32_t h = hash(name, n) % KX_REC_HASH;

	for (;; h = (h + 1) % KX_REC_HASH) {
		uint16_t s = t->slot[h];

		if (!s)
			break;
		if (!strcmp(t->name[s - 1], name))
			return s - 1;
	}
	if (t->n == KX_MAX_REASONS)
		return -1;
	memcpy(t->name[t->n], name, n + 1);
	t->slot[h] = (uint16_t)(t->n + 1);
	return (int)t->n++;
}

/* "'text'" of a value, quoted for a message */
static const char *quote_val(char *q, size_t size, const struct kx_jval *v)
{
	kx_quote(q, size, v->p, v->n);
	return q;
}

static int text_field(const struct kx_jval *v, char *out, size_t size)
{
	int r;

	out[0] = '\0';
	if (v->type == KX_J_NULL)
		return 0;
	if (v->type != KX_J_STRING)
		return -1;
	r = kx_json_unescape(v, out, size);
	if (r == -1) /* too long: keep what fits, for messages */
		kx_quote(out, size, v->p, v->n);
	return r == -2 ? -1 : 0;
}

int kx_rec_parse_head(const char *line, size_t n, const struct kx_lines *at,
		      struct kx_rec_head *h, struct kx_err *e)
{
	static const char what[] =
		"not a kvmexit-read recording (its first line is "
		"{\"type\":\"recording\",...}, written by --record)";
	struct kx_jval key, val, type = { KX_J_NULL, "", 0 };
	struct kx_jval format = { KX_J_NULL, "", 0 };
	char why[96], q[QUOTE_MAX];
	struct kx_jiter it;
	int have_source = 0;
	uint64_t f;

	memset(h, 0, sizeof(*h));
	if (kx_json_object(line, n, &it, why, sizeof(why)))
		return kx_lines_fail(at, e, "%s: bad JSON, %s", what, why);
	while (kx_json_next(&it, &key, &val)) {
		if (kx_json_is(&key, "type")) {
			type = val;
		} else if (kx_json_is(&key, "format")) {
			format = val;
		} else if (kx_json_is(&key, "source")) {
			have_source = 1;
			if (val.type != KX_J_STRING ||
			    text_field(&val, h->source, sizeof(h->source)))
				return kx_lines_fail(at, e,
						     "\"source\" is not a "
						     "string");
		} else if (kx_json_is(&key, "vm")) {
			if (text_field(&val, h->vm, sizeof(h->vm)))
				return kx_lines_fail(at, e,
						     "\"vm\" is not a string "
						     "or null");
		} else if (kx_json_is(&key, "vendor")) {
			if (text_field(&val, h->vendor, sizeof(h->vendor)))
				return kx_lines_fail(at, e,
						     "\"vendor\" is not a "
						     "string");
		}
	}
	if (!kx_json_is(&type, KX_REC_TYPE)) {
		if (type.type == KX_J_STRING)
			return kx_lines_fail(at, e, "%s; this is of type '%s'",
					     what, quote_val(q, sizeof(q),
							     &type));
		return kx_lines_fail(at, e, "%s", what);
	}
	if (format.type != KX_J_NUMBER ||
	    kx_parse_u64(format.p, format.n, &f) || f != KX_REC_FORMAT)
		return kx_lines_fail(at, e,
				     "recording format '%s' is not supported "
				     "(this kvmexit-read reads format %d)",
				     quote_val(q, sizeof(q), &format),
				     KX_REC_FORMAT);
	if (!have_source)
		return kx_lines_fail(at, e, "missing \"source\"");
	return 0;
}

/* The "reasons" object into s; sum: their sum */
static int parse_reasons(const char *line, const struct kx_jval *obj,
			 const struct kx_lines *at, struct kx_rec_names *names,
			 struct kx_rec_sample *s, uint64_t *sum,
			 struct kx_err *e)
{
	struct kx_jval key, val;
	char name[KX_NAME_MAX], q[QUOTE_MAX];
	struct kx_jiter it;
	int idx, r;

	*sum = 0;
	names->gen++; /* a new sample: no reason seen in it yet */
	kx_json_members(line, obj, &it);
	while (kx_json_next(&it, &key, &val)) {
		r = kx_json_unescape(&key, name, sizeof(name));
		if (r < 0 || kx_check_word(name, (size_t)r, KX_NAME_MAX))
			return kx_lines_fail(at, e,
					     "column %zu: bad reason name "
					     "'%s' (1 to %d printable "
					     "characters expected)",
					     kx_json_column(line, &key),
					     quote_val(q, sizeof(q), &key),
					     KX_NAME_MAX - 1);
		idx = name_index(names, name, (size_t)r);
		if (idx < 0)
			return kx_lines_fail(at, e,
					     "too many different reasons in "
					     "the recording (more than %d)",
					     KX_MAX_REASONS);
		if (names->seen[idx] == names->gen)
			return kx_lines_fail(at, e, "reason '%s' given twice",
					     name);
		names->seen[idx] = names->gen;
		if (val.type != KX_J_NUMBER ||
		    kx_parse_u64(val.p, val.n, &s->count[s->n]))
			return kx_lines_fail(at, e,
					     "column %zu: count of '%s' is "
					     "'%s', not an unsigned 64-bit "
					     "integer",
					     kx_json_column(line, &val), name,
					     quote_val(q, sizeof(q), &val));
		if (*sum > UINT64_MAX - s->count[s->n])
			return kx_lines_fail(at, e,
					     "sum of the reasons overflows 64 "
					     "bits");
		*sum += s->count[s->n];
		s->idx[s->n++] = (uint16_t)idx;
	}
	return 0;
}

int kx_rec_parse_sample(const char *line, size_t n, const struct kx_lines *at,
			struct kx_rec_names *names, struct kx_rec_sample *s,
			struct kx_err *e)
{
	struct kx_jval key, val, reasons = { KX_J_NULL, "", 0 };
	int have_t = 0, have_total = 0, have_reasons = 0, have_reset = 0;
	char why[96], q[QUOTE_MAX];
	struct kx_jiter it;
	uint64_t sum;
	int r;

	memset(s, 0, offsetof(struct kx_rec_sample, idx));
	if (kx_json_object(line, n, &it, why, sizeof(why)))
		return kx_lines_fail(at, e, "bad JSON: %s", why);
	while (kx_json_next(&it, &key, &val)) {
		int *have = NULL;

		if (kx_json_is(&key, "t"))
			have = &have_t;
		else if (kx_json_is(&key, "total"))
			have = &have_total;
		else if (kx_json_is(&key, "reasons"))
			have = &have_reasons;
		else if (kx_json_is(&key, "reset"))
			have = &have_reset;
		else if (kx_json_is(&key, "type"))
			return kx_lines_fail(at, e,
					     "a line of type '%s' where a "
					     "sample was expected (two "
					     "recordings in one file?)",
					     quote_val(q, sizeof(q), &val));
		else
			continue; /* keys added later */
		if (*have)
			return kx_lines_fail(at, e, "column %zu: key '%s' "
					     "given twice",
					     kx_json_column(line, &key),
					     quote_val(q, sizeof(q), &key));
		*have = 1;
		if (have == &have_t) {
			if (val.type != KX_J_NUMBER ||
			    kx_parse_decimal(val.p, val.n, &s->t))
				return kx_lines_fail(at, e,
						     "column %zu: \"t\" is "
						     "'%s', not seconds as a "
						     "plain decimal (e.g. "
						     "12.345678)",
						     kx_json_column(line, &val),
						     quote_val(q, sizeof(q),
							       &val));
		} else if (have == &have_total) {
			if (val.type != KX_J_NUMBER ||
			    kx_parse_u64(val.p, val.n, &s->total))
				return kx_lines_fail(at, e,
						     "column %zu: \"total\" is "
						     "'%s', not an unsigned "
						     "64-bit integer",
						     kx_json_column(line, &val),
						     quote_val(q, sizeof(q),
							       &val));
		} else if (have == &have_reset) {
			if (val.type != KX_J_TRUE && val.type != KX_J_FALSE)
				return kx_lines_fail(at, e,
						     "column %zu: \"reset\" is "
						     "'%s', not true or false",
						     kx_json_column(line, &val),
						     quote_val(q, sizeof(q),
							       &val));
			s->reset = val.type == KX_J_TRUE;
		} else {
			if (val.type != KX_J_OBJECT)
				return kx_lines_fail(at, e,
						     "column %zu: \"reasons\" "
						     "is not an object",
						     kx_json_column(line,
								    &val));
			reasons = val;
		}
	}
	if (!have_t || !have_total || !have_reasons)
		return kx_lines_fail(at, e, "missing \"%s\" (not a sample?)",
				     !have_t ? "t" :
				     !have_total ? "total" : "reasons");
	r = parse_reasons(line, &reasons, at, names, s, &sum, e);
	if (r)
		return r;
	if (sum != s->total)
		return kx_lines_fail(at, e,
				     "total %llu does not match the reasons, "
				     "which add up to %llu (file corrupted?)",
				     (unsigned long long)s->total,
				     (unsigned long long)sum);
	return 0;
}
