// SPDX-License-Identifier: GPL-2.0
#include "parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define QUOTE_MAX 48

void kx_lines_init(struct kx_lines *it, const char *buf, size_t len,
		   const char *fname)
{
	it->buf = buf;
	it->len = len;
	it->pos = 0;
	it->lineno = 0;
	it->fname = fname;
	it->max = KX_LINE_MAX;
}

int kx_lines_fail(const struct kx_lines *it, struct kx_err *e, const char *fmt,
		  ...)
{
	char msg[KX_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return kx_fail(e, KX_EXIT_BADINPUT, "%s:%u: %s", it->fname,
		       it->lineno, msg);
}

int kx_lines_next(struct kx_lines *it, const char **line, size_t *n,
		  struct kx_err *e)
{
	const char *start, *nl, *nul;
	size_t rest, len;

	if (it->pos >= it->len)
		return 0;
	it->lineno++;
	start = it->buf + it->pos;
	rest = it->len - it->pos;
	/* look no further than one byte past the longest line allowed */
	nl = memchr(start, '\n', rest < it->max + 1 ? rest : it->max + 1);
	len = nl ? (size_t)(nl - start) : rest;
	if (len > it->max)
		return kx_lines_fail(it, e, "line too long (more than %zu bytes)",
				     it->max);
	nul = memchr(start, '\0', len);
	if (nul)
		return kx_lines_fail(it, e, "NUL byte in column %zu",
				     (size_t)(nul - start) + 1);
	if (!nl)
		return kx_lines_fail(it, e,
				     "last line has no newline (file truncated?)");
	it->pos += len + 1;
	*line = start;
	*n = len;
	return 1;
}

/* header's words against the fields after '#' of the header line */
static int header_words(const struct kx_lines *it, const char *header,
			const char *line, size_t n, struct kx_err *e)
{
	struct kx_field f[KX_FIELDS_MAX], want[KX_FIELDS_MAX];
	char q[QUOTE_MAX * 2];
	int nf, nw, i;

	nf = kx_split(line + 1, n - 1, f, KX_FIELDS_MAX);
	nw = kx_split(header, strlen(header), want, KX_FIELDS_MAX);
	for (i = 0; nf == nw && i < nf; i++)
		if (f[i].n != want[i].n || memcmp(f[i].p, want[i].p, f[i].n))
			break;
	if (nf == nw && i == nf)
		return 0;
	kx_quote(q, sizeof(q), line, n);
	return kx_lines_fail(it, e, "bad header '%s' (expected '# %s')", q,
			     header);
}

int kx_lines_next_row(struct kx_lines *it, const char *header,
		      int (*check)(const struct kx_lines *it, const char *line,
				   size_t n, struct kx_err *e),
		      const char **line, size_t *n, struct kx_err *e)
{
	int rc;

	if (it->lineno == 0 && it->len == 0) {
		it->lineno = 1;
		return kx_lines_fail(it, e,
				     "empty file (expected the header line "
				     "'# %s')",
				     header);
	}
	while ((rc = kx_lines_next(it, line, n, e)) == 1) {
		if (it->lineno == 1) {
			if (!*n || (*line)[0] != '#')
				return kx_lines_fail(it, e,
						     "expected the header line "
						     "'# %s' first",
						     header);
			rc = check ? check(it, *line, *n, e) :
				     header_words(it, header, *line, *n, e);
			if (rc)
				return rc;
			continue;
		}
		if (*n && (*line)[0] == '#')
			return kx_lines_fail(it, e,
					     "'#' line is only allowed as the "
					     "first line (the header)");
		return 1;
	}
	return rc;
}

int kx_split(const char *line, size_t n, struct kx_field *f, int max)
{
	size_t i = 0;
	int nf = 0;

	for (;;) {
		size_t s;

		while (i < n && line[i] == ' ')
			i++;
		if (i == n)
			return nf;
		if (nf == max)
			return max + 1;
		s = i;
		while (i < n && line[i] != ' ')
			i++;
		f[nf].p = line + s;
		f[nf].n = i - s;
		nf++;
	}
}

int kx_field_is(const struct kx_field *f, const char *s)
{
	size_t n = strlen(s);

	return f->n == n && !memcmp(f->p, s, n);
}

int kx_parse_u64(const char *p, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return -1;
	for (i = 0; i < n; i++) {
		unsigned d = (unsigned)(p[i] - '0');

		if (x > (UINT64_MAX - d) / 10)
			return -2;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

int kx_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int kx_parse_hex(const char *p, size_t n, size_t mind, size_t maxd,
		 uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (n < mind + 2 || n > maxd + 2 || p[0] != '0' || p[1] != 'x')
		return -1;
	for (i = 2; i < n; i++) {
		int d = kx_hexval(p[i]);

		if (d < 0)
			return -1;
		x = x << 4 | (uint64_t)d;
	}
	*v = x;
	return 0;
}

int kx_parse_code(const char *p, size_t n, uint64_t *v)
{
	return kx_parse_hex(p, n, 4, 16, v);
}

int kx_check_word(const char *p, size_t n, size_t max)
{
	size_t i;

	if (n == 0 || n >= max)
		return -1;
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] <= 0x20 || (unsigned char)p[i] >= 0x7f)
			return -1;
	return 0;
}

int kx_field_u64(const struct kx_lines *it, const char *what,
		 const struct kx_field *f, uint64_t *v, struct kx_err *e)
{
	char q[QUOTE_MAX];
	int rc = kx_parse_u64(f->p, f->n, v);

	if (!rc)
		return 0;
	kx_quote(q, sizeof(q), f->p, f->n);
	return kx_lines_fail(it, e, "%s '%s' %s", what, q,
			     rc == -2 ? "does not fit in 64 bits" :
					"is not an unsigned decimal number");
}

int kx_add_sum(const struct kx_lines *it, uint64_t *sum, uint64_t v,
	       struct kx_err *e)
{
	if (*sum > UINT64_MAX - v)
		return kx_lines_fail(it, e,
				     "sum of the counts overflows 64 bits");
	*sum += v;
	return 0;
}

int kx_field_word(const struct kx_lines *it, const char *what,
		  const struct kx_field *f, size_t max, char *out,
		  struct kx_err *e)
{
	char q[QUOTE_MAX];

	if (kx_check_word(f->p, f->n, max)) {
		kx_quote(q, sizeof(q), f->p, f->n);
		return kx_lines_fail(it, e,
				     "bad %s '%s' (1 to %zu printable "
				     "characters expected)",
				     what, q, max - 1);
	}
	memcpy(out, f->p, f->n);
	out[f->n] = '\0';
	return 0;
}

int kx_parse_time(const char *p, size_t n, struct kx_time *t)
{
	const char *dot = memchr(p, '.', n);
	size_t ip;
	uint64_t sec, ns;

	if (!dot)
		return -1;
	ip = (size_t)(dot - p);
	if (ip < 1 || ip > 18 || n - ip - 1 != 9)
		return -1;
	if (kx_parse_u64(p, ip, &sec) || kx_parse_u64(dot + 1, 9, &ns))
		return -1;
	t->sec = sec;
	t->nsec = (uint32_t)ns;
	return 0;
}

int kx_parse_decimal(const char *p, size_t n, struct kx_time *t)
{
	const char *dot = memchr(p, '.', n);
	size_t ip = dot ? (size_t)(dot - p) : n, fp = dot ? n - ip - 1 : 0, i;
	uint64_t sec = 0, ns = 0;

	if (ip == 0 && fp == 0)
		return -1; /* "" or "." */
	if (dot && (fp == 0 || fp > 9))
		return -1;
	if (ip && kx_parse_u64(p, ip, &sec))
		return -1;
	for (i = 0; i < fp; i++) {
		if (dot[1 + i] < '0' || dot[1 + i] > '9')
			return -1;
		ns = ns * 10 + (uint64_t)(dot[1 + i] - '0');
	}
	for (; i < 9; i++)
		ns *= 10;
	t->sec = sec;
	t->nsec = (uint32_t)ns;
	return 0;
}

double kx_time_sub(const struct kx_time *a, const struct kx_time *b)
{
	double s, ns;

	if (a->sec >= b->sec)
		s = (double)(a->sec - b->sec);
	else
		s = -(double)(b->sec - a->sec);
	ns = (double)a->nsec - (double)b->nsec;
	return s + ns / 1e9;
}

int kx_time_cmp(const struct kx_time *a, const struct kx_time *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->nsec != b->nsec)
		return a->nsec < b->nsec ? -1 : 1;
	return 0;
}
