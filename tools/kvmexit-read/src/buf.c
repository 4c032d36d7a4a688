// SPDX-License-Identifier: GPL-2.0
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kx_buf_init(struct kx_buf *b)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

void kx_buf_free(struct kx_buf *b)
{
	free(b->p);
	kx_buf_init(b);
}

void kx_buf_reset(struct kx_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->p)
		b->p[0] = '\0';
}

/* Makes room for n more bytes plus a NUL; 0 on success. */
static int reserve(struct kx_buf *b, size_t n)
{
	size_t want, cap;
	char *p;

	if (b->failed)
		return -1;
	if (n > KX_BUF_MAX || b->len > KX_BUF_MAX - n) {
		b->failed = 1;
		return -1;
	}
	want = b->len + n + 1;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void kx_buf_add(struct kx_buf *b, const char *s, size_t n)
{
	if (reserve(b, n))
		return;
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void kx_buf_puts(struct kx_buf *b, const char *s)
{
	kx_buf_add(b, s, strlen(s));
}

void kx_buf_putc(struct kx_buf *b, char c)
{
	kx_buf_add(b, &c, 1);
}

void kx_buf_printf(struct kx_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}
