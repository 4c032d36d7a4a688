/* SPDX-License-Identifier: GPL-2.0 */
/* A growable output buffer: every output is rendered into one, then written
 * out in one go (stdout, stderr or an atomically replaced file). */
#ifndef KX_BUF_H
#define KX_BUF_H

#include <stddef.h>

#define KX_BUF_MAX (64u * 1024 * 1024)

struct kx_buf {
	char *p;
	size_t len, cap;
	int failed; /* out of memory or over KX_BUF_MAX: contents incomplete */
};

void kx_buf_init(struct kx_buf *b);
void kx_buf_free(struct kx_buf *b);
void kx_buf_reset(struct kx_buf *b);
void kx_buf_add(struct kx_buf *b, const char *s, size_t n);
void kx_buf_puts(struct kx_buf *b, const char *s);
void kx_buf_putc(struct kx_buf *b, char c);
void kx_buf_printf(struct kx_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
