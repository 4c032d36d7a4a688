// SPDX-License-Identifier: GPL-2.0
#include "marks.h"

#include <stdlib.h>
#include <string.h>

#include "fileio.h"

#define QUOTE_MAX 48

void kx_marks_free(struct kx_marks *mk)
{
	free(mk->m);
	free(mk->text);
	memset(mk, 0, sizeof(*mk));
}

static int cmp_mark(const void *pa, const void *pb)
{
	const struct kx_mark *a = pa, *b = pb;
	int c = kx_time_cmp(&a->t, &b->t);

	if (c)
		return c;
	return a->lineno < b->lineno ? -1 : a->lineno > b->lineno;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One "SECONDS LABEL" line of text (off: where it starts, len bytes). */
static int parse_line(struct kx_marks *mk, size_t off, size_t len,
		      const struct kx_lines *it, struct kx_err *e)
{
	char *s = mk->text + off, q[QUOTE_MAX];
	size_t i = 0, ts, tn, ls;
	struct kx_mark *m;

	while (i < len && is_blank(s[i]))
		i++;
	if (i == len || s[i] == '#')
		return 0;
	ts = i;
	while (i < len && !is_blank(s[i]))
		i++;
	tn = i - ts;
	m = &mk->m[mk->n];
	if (kx_parse_decimal(s + ts, tn, &m->t)) {
		kx_quote(q, sizeof(q), s + ts, tn);
		return kx_lines_fail(it, e,
				     "bad time '%s' (expected seconds since "
				     "boot, e.g. 12.34, as the first field "
				     "of /proc/uptime)",
				     q);
	}
	while (i < len && is_blank(s[i]))
		i++;
	while (len > i && is_blank(s[len - 1]))
		len--;
	if (i == len)
		return kx_lines_fail(it, e, "no label after the time");
	for (ls = i; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return kx_lines_fail(it, e,
					     "control character 0x%02x in the "
					     "label (column %zu)",
					     (unsigned char)s[i], i + 1);
	if (mk->n == KX_MARKS_MAX)
		return kx_lines_fail(it, e, "too many marks (more than %d)",
				     KX_MARKS_MAX);
	s[len] = '\0'; /* the newline, or a blank */
	m->label = s + ls;
	m->lineno = it->lineno;
	mk->n++;
	return 0;
}

int kx_marks_parse(char *buf, size_t len, const char *fname,
		   struct kx_marks *mk, struct kx_err *e)
{
	struct kx_lines it;
	const char *line;
	size_t n, lines = 0, i;
	int r;

	memset(mk, 0, sizeof(*mk));
	mk->text = buf;
	/* written by hand: the last newline may be missing */
	if (len && buf[len - 1] != '\n') {
		char *nb = realloc(buf, len + 2);

		if (!nb) {
			kx_marks_free(mk);
			return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		}
		mk->text = buf = nb;
		buf[len++] = '\n';
		buf[len] = '\0';
	}
	for (i = 0; i < len; i++)
		lines += buf[i] == '\n';
	mk->m = calloc(lines ? lines : 1, sizeof(*mk->m));
	if (!mk->m) {
		kx_marks_free(mk);
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	}
	kx_lines_init(&it, buf, len, fname);
	while ((r = kx_lines_next(&it, &line, &n, e)) == 1) {
		r = parse_line(mk, (size_t)(line - buf), n, &it, e);
		if (r)
			break;
	}
	if (r) {
		kx_marks_free(mk);
		return r;
	}
	qsort(mk->m, mk->n, sizeof(*mk->m), cmp_mark);
	return 0;
}

int kx_marks_load(const char *path, struct kx_marks *mk, struct kx_err *e)
{
	size_t len;
	char *buf;
	int r;

	memset(mk, 0, sizeof(*mk));
	r = kx_read_file(path, KX_MARKS_FILE_MAX, &buf, &len,
			 KX_EXIT_BADINPUT, e);
	if (r)
		return r;
	return kx_marks_parse(buf, len, strcmp(path, "-") ? path :
				 "(standard input)", mk, e);
}
