// SPDX-License-Identifier: GPL-2.0
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

int kx_fail(struct kx_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

int kx_errno_code(int errnum, int missing_code)
{
	if (errnum == EACCES || errnum == EPERM)
		return KX_EXIT_PERM;
	if (errnum == ENOENT || errnum == ENOTDIR)
		return missing_code;
	return KX_EXIT_RUNTIME;
}

void kx_quote(char *out, size_t out_size, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;

	if (out_size < 8) {
		if (out_size)
			out[0] = '\0';
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		int plain = ch >= 0x20 && ch < 0x7f && ch != '\\';
		size_t need = plain ? 1 : 4;

		/* keep room for "..." and the NUL */
		if (o + need + 4 > out_size) {
			out[o++] = '.';
			out[o++] = '.';
			out[o++] = '.';
			break;
		}
		if (plain) {
			out[o++] = (char)ch;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[ch >> 4];
			out[o++] = hex[ch & 15];
		}
	}
	out[o] = '\0';
}
