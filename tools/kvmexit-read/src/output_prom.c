// SPDX-License-Identifier: GPL-2.0
#include "output.h"

#include <stdio.h>

void kx_prom_label_value(struct kx_buf *b, const char *s)
{
	kx_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '\\')
			kx_buf_puts(b, "\\\\");
		else if (*s == '"')
			kx_buf_puts(b, "\\\"");
		else if (*s == '\n')
			kx_buf_puts(b, "\\n");
		else
			kx_buf_putc(b, *s);
	}
	kx_buf_putc(b, '"');
}

void kx_prom_counters(const struct kx_snapshot *s, struct kx_buf *b)
{
	char code[24];
	size_t i;

	kx_buf_puts(b,
		    "# HELP kvm_exits_total KVM VM exits since boot or the "
		    "last reset (sum of kvm_exits/by_reason).\n"
		    "# TYPE kvm_exits_total counter\n"
		    "kvm_exits_total{vendor=");
	kx_prom_label_value(b, s->c.vendor);
	kx_buf_printf(b, "} %llu\n", (unsigned long long)s->c.sum);
	kx_buf_puts(b,
		    "# HELP kvm_exits_by_reason_total KVM VM exits by exit "
		    "reason since boot or the last reset.\n"
		    "# TYPE kvm_exits_by_reason_total counter\n");
	for (i = 0; i < s->c.n; i++) {
		const struct kx_reason *r = &s->c.r[i];

		kx_buf_puts(b, "kvm_exits_by_reason_total{reason=");
		kx_prom_label_value(b, r->name);
		kx_buf_puts(b, ",code=");
		kx_prom_label_value(b, kx_code_str(r, code, sizeof(code)));
		kx_buf_puts(b, ",vendor=");
		kx_prom_label_value(b, s->c.vendor);
		kx_buf_printf(b, "} %llu\n", (unsigned long long)r->count);
	}
}
