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

/* {vendor="..."[,vm="..."][,vcpu="N"] and the closing brace */
static void labels_tail(struct kx_buf *b, const struct kx_snapshot *s, int vcpu)
{
	kx_buf_puts(b, "vendor=");
	kx_prom_label_value(b, s->c.vendor);
	if (s->scope[0]) {
		kx_buf_puts(b, ",vm=");
		kx_prom_label_value(b, s->scope);
	}
	if (vcpu >= 0)
		kx_buf_printf(b, ",vcpu=\"%d\"", vcpu);
	kx_buf_putc(b, '}');
}

/* metric{reason=...,code=...,vendor=...} for every reason, value by which */
static void per_reason(struct kx_buf *b, const char *metric,
		       const struct kx_snapshot *s, const struct kx_counters *c,
		       int vcpu, int which)
{
	char code[24];
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct kx_reason *r = &c->r[i];

		kx_buf_printf(b, "%s{reason=", metric);
		kx_prom_label_value(b, r->name);
		kx_buf_puts(b, ",code=");
		kx_prom_label_value(b, kx_code_str(r, code, sizeof(code)));
		kx_buf_putc(b, ',');
		labels_tail(b, s, vcpu);
		if (which == 0)
			kx_buf_printf(b, " %llu\n", (unsigned long long)r->count);
		else if (which == 1)
			kx_buf_printf(b, " %llu\n", (unsigned long long)r->tcount);
		else if (which == 2)
			kx_buf_printf(b, " %.9f\n", (double)r->tns / 1e9);
		else
			kx_buf_printf(b, " %.9f\n", (double)r->tmax / 1e9);
	}
}

/* the counters of set i: s's own (i == 0), else vCPU i - 1's */
static const struct kx_counters *set_of(const struct kx_snapshot *s, size_t i,
					int *vcpu)
{
	*vcpu = i ? s->vcpu[i - 1].id : -1;
	return i ? &s->vcpu[i - 1].c : &s->c;
}

void kx_prom_counters(const struct kx_snapshot *s, struct kx_buf *b)
{
	static const struct {
		const char *metric, *help, *type;
	} fam[] = {
		{ "kvm_exits_by_reason_total",
		  "KVM VM exits by exit reason since boot or the last reset.",
		  "counter" },
		{ "kvm_exit_handling_count_total",
		  "KVM VM exits whose handling time (exit to next entry) was "
		  "measured, by exit reason.",
		  "counter" },
		{ "kvm_exit_handling_seconds_total",
		  "Total handling time (exit to next entry) of KVM VM exits, "
		  "by exit reason.",
		  "counter" },
		{ "kvm_exit_handling_max_seconds",
		  "Longest handling time of one KVM VM exit since the last "
		  "reset, by exit reason.",
		  "gauge" },
	};
	const struct kx_counters *c;
	int k, timed = 0, vcpu;
	size_t i;

	kx_buf_puts(b,
		    "# HELP kvm_exits_total KVM VM exits since boot or the "
		    "last reset (sum of kvm_exits/by_reason).\n"
		    "# TYPE kvm_exits_total counter\n");
	for (i = 0; i <= s->nvcpu; i++) {
		c = set_of(s, i, &vcpu);
		kx_buf_puts(b, "kvm_exits_total{");
		labels_tail(b, s, vcpu);
		kx_buf_printf(b, " %llu\n", (unsigned long long)c->sum);
		timed |= c->has_time;
	}
	for (k = 0; k < (timed ? 4 : 1); k++) {
		kx_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", fam[k].metric,
			      fam[k].help, fam[k].metric, fam[k].type);
		for (i = 0; i <= s->nvcpu; i++) {
			c = set_of(s, i, &vcpu);
			if (k == 0 || c->has_time)
				per_reason(b, fam[k].metric, s, c, vcpu, k);
		}
	}
}
