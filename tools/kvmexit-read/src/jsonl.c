// SPDX-License-Identifier: GPL-2.0
#include "jsonl.h"
#include "parse.h"

#include <stdio.h>
#include <string.h>

struct scan {
	const char *base, *end;
	const char *err_at; /* where the first error is */
	const char *err;    /* what it is */
};

static const char *fail(struct scan *s, const char *at, const char *what)
{
	s->err_at = at;
	s->err = what;
	return NULL;
}

static const char *ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* p at the opening quote: returns the end (after the closing quote) */
static const char *scan_string(struct scan *s, const char *p)
{
	p++;
	while (p < s->end) {
		unsigned char ch = (unsigned char)*p;
		int i;

		if (ch == '"')
			return p + 1;
		if (ch < 0x20)
			return fail(s, p, "control character in a string");
		if (ch != '\\') {
			p++;
			continue;
		}
		if (p + 1 >= s->end)
			break;
		switch (p[1]) {
		case '"':
		case '\\':
		case '/':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			p += 2;
			break;
		case 'u':
			for (i = 0; i < 4; i++)
				if (p + 2 + i >= s->end || kx_hexval(p[2 + i]) < 0)
					return fail(s, p, "bad \\u escape");
			p += 6;
			break;
		default:
			return fail(s, p, "bad escape in a string");
		}
	}
	return fail(s, s->end, "unterminated string");
}

static const char *scan_digits(const char *p, const char *end)
{
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p;
}

static const char *scan_number(struct scan *s, const char *p)
{
	const char *start = p, *q;

	if (p < s->end && *p == '-')
		p++;
	if (p < s->end && *p == '0') {
		p++;
	} else {
		q = scan_digits(p, s->end);
		if (q == p)
			return fail(s, start, "bad number");
		p = q;
	}
	if (p < s->end && *p == '.') {
		q = scan_digits(p + 1, s->end);
		if (q == p + 1)
			return fail(s, start, "bad number");
		p = q;
	}
	if (p < s->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < s->end && (*p == '+' || *p == '-'))
			p++;
		q = scan_digits(p, s->end);
		if (q == p)
			return fail(s, start, "bad number");
		p = q;
	}
	return p;
}

static const char *scan_value(struct scan *s, const char *p, int depth,
			      struct kx_jval *v);

/* p at '{' or '[': returns the end (after the closing bracket) */
static const char *scan_container(struct scan *s, const char *p, int depth,
				  int object)
{
	char close = object ? '}' : ']';
	struct kx_jval v;
	int first = 1;

	if (depth >= KX_JSON_DEPTH)
		return fail(s, p, "nested too deeply");
	p = ws(p + 1, s->end);
	for (;;) {
		if (p < s->end && *p == close)
			return p + 1;
		if (!first) {
			if (p >= s->end || *p != ',')
				return fail(s, p, object ?
					    "expected ',' or '}'" :
					    "expected ',' or ']'");
			p = ws(p + 1, s->end);
		}
		first = 0;
		if (object) {
			if (p >= s->end || *p != '"')
				return fail(s, p, "expected a string key");
			p = scan_string(s, p);
			if (!p)
				return NULL;
			p = ws(p, s->end);
			if (p >= s->end || *p != ':')
				return fail(s, p, "expected ':'");
			p = ws(p + 1, s->end);
		}
		p = scan_value(s, p, depth + 1, &v);
		if (!p)
			return NULL;
		p = ws(p, s->end);
	}
}

static const char *scan_word(struct scan *s, const char *p, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(s->end - p) < n || memcmp(p, w, n))
		return fail(s, p, "expected a value");
	return p + n;
}

static const char *scan_value(struct scan *s, const char *p, int depth,
			      struct kx_jval *v)
{
	const char *q;

	if (p >= s->end)
		return fail(s, p, "expected a value");
	v->p = p;
	switch (*p) {
	case '"':
		v->type = KX_J_STRING;
		q = scan_string(s, p);
		if (q) {
			v->p = p + 1;
			v->n = (size_t)(q - p) - 2;
		}
		return q;
	case '{':
	case '[':
		v->type = *p == '{' ? KX_J_OBJECT : KX_J_ARRAY;
		q = scan_container(s, p, depth, *p == '{');
		break;
	case 't':
		v->type = KX_J_TRUE;
		q = scan_word(s, p, "true");
		break;
	case 'f':
		v->type = KX_J_FALSE;
		q = scan_word(s, p, "false");
		break;
	case 'n':
		v->type = KX_J_NULL;
		q = scan_word(s, p, "null");
		break;
	default:
		v->type = KX_J_NUMBER;
		if (*p != '-' && (*p < '0' || *p > '9'))
			return fail(s, p, "expected a value");
		q = scan_number(s, p);
	}
	if (q)
		v->n = (size_t)(q - p);
	return q;
}

int kx_json_object(const char *line, size_t n, struct kx_jiter *it,
		   char *why, size_t size)
{
	struct scan s = { line, line + n, NULL, NULL };
	struct kx_jval v;
	const char *p = ws(line, line + n);

	if (p >= s.end || *p != '{') {
		fail(&s, p, "expected a JSON object ('{')");
	} else {
		p = scan_value(&s, p, 0, &v);
		if (p)
			p = ws(p, s.end);
		if (p == s.end) {
			kx_json_members(line, &v, it);
			return 0;
		}
		if (p)
			fail(&s, p, "text after the object");
	}
	snprintf(why, size, "column %zu: %s", (size_t)(s.err_at - line) + 1,
		 s.err);
	return -1;
}

void kx_json_members(const char *base, const struct kx_jval *obj,
		     struct kx_jiter *it)
{
	it->base = base;
	it->p = obj->p + 1;
	it->end = obj->p + obj->n;
	it->first = 1;
}

int kx_json_next(struct kx_jiter *it, struct kx_jval *key, struct kx_jval *val)
{
	/* the object was checked: no errors here */
	struct scan s = { it->base, it->end, NULL, NULL };
	const char *p = ws(it->p, it->end);

	if (p >= it->end || *p == '}')
		return 0;
	if (!it->first)
		p = ws(p + 1, it->end); /* the ',' */
	it->first = 0;
	p = scan_value(&s, p, 0, key);
	if (!p)
		return 0;
	p = ws(p, it->end);
	p = ws(p + 1, it->end); /* the ':' */
	p = scan_value(&s, p, 0, val);
	if (!p)
		return 0;
	it->p = p;
	return 1;
}

int kx_json_unescape(const struct kx_jval *v, char *out, size_t size)
{
	size_t i = 0, o = 0;
	int k, cp;

	if (!size)
		return -1;
	while (i < v->n) {
		char ch = v->p[i++];

		if (ch == '\\') {
			ch = v->p[i++];
			switch (ch) {
			case 'b':
				ch = '\b';
				break;
			case 'f':
				ch = '\f';
				break;
			case 'n':
				ch = '\n';
				break;
			case 'r':
				ch = '\r';
				break;
			case 't':
				ch = '\t';
				break;
			case 'u':
				cp = 0;
				for (k = 0; k < 4; k++)
					cp = cp << 4 | kx_hexval(v->p[i + k]);
				i += 4;
				if (cp == 0 || cp > 0xff)
					return -2;
				ch = (char)cp;
				break;
			default: /* '"', '\\', '/' */
				break;
			}
		}
		if (o + 1 >= size)
			return -1;
		out[o++] = ch;
	}
	out[o] = '\0';
	return (int)o;
}

int kx_json_is(const struct kx_jval *v, const char *s)
{
	char buf[64];
	size_t n = strlen(s);

	if (v->type != KX_J_STRING)
		return 0;
	if (!memchr(v->p, '\\', v->n))
		return v->n == n && !memcmp(v->p, s, n);
	return kx_json_unescape(v, buf, sizeof(buf)) == (int)n &&
	       !memcmp(buf, s, n);
}

size_t kx_json_column(const char *base, const struct kx_jval *v)
{
	/* a string's text starts after its quote */
	return (size_t)(v->p - base) + (v->type == KX_J_STRING ? 0 : 1);
}
