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

/* vendor="..."[,vm="..."][,vcpu="N"] */
static void labels_rest(struct kx_buf *b, const struct kx_snapshot *s, int vcpu)
{
	kx_buf_puts(b, "vendor=");
	kx_prom_label_value(b, s->c.vendor);
	if (s->scope[0]) {
		kx_buf_puts(b, ",vm=");
		kx_prom_label_value(b, s->scope);
	}
	if (vcpu >= 0)
		kx_buf_printf(b, ",vcpu=\"%d\"", vcpu);
}

/* the same and the closing brace */
static void labels_tail(struct kx_buf *b, const struct kx_snapshot *s, int vcpu)
{
	labels_rest(b, s, vcpu);
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

/* The series of detail table t, by key, then the "other" series: labels
 * msr, name (if known), access; port, size, access; vector, name (if
 * known); then those of s. */
static void prom_detail(const struct kx_snapshot *s,
			const struct kx_detail_table *t, struct kx_buf *b)
{
	static const char *const help[KX_DET_KINDS] = {
		"KVM VM exits of MSR accesses (rdmsr, wrmsr) by MSR and "
		"access since boot or the last reset, with the kvm parameter "
		"exit_stats_detail=Y (kvm_exits/by_msr); msr=\"other\": "
		"exits the kernel's table had no room for.",
		"KVM VM exits of I/O instructions by port, size and access "
		"since boot or the last reset, with the kvm parameter "
		"exit_stats_detail=Y (kvm_exits/by_io_port); port=\"other\": "
		"exits the kernel's table had no room for.",
		"KVM VM exits of exceptions (and NMIs) by vector since boot "
		"or the last reset, with the kvm parameter "
		"exit_stats_detail=Y (kvm_exits/by_exception); "
		"vector=\"other\": exits the kernel's table had no room for.",
	};
	static const char *const first[KX_DET_KINDS] = { "msr", "port",
							 "vector" };
	enum kx_detail_kind k = t->kind;
	const char *metric = kx_detail_info(k)->metric, *name;
	size_t i;

	kx_buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n", metric, help[k],
		      metric);
	for (i = 0; i < t->n; i++) {
		const struct kx_detail_row *r = &t->r[i];

		name = kx_detail_name(k, r);
		if (k == KX_DET_MSR)
			kx_buf_printf(b, "%s{msr=\"0x%08x\",", metric,
				      (unsigned)r->key);
		else if (k == KX_DET_IO)
			kx_buf_printf(b, "%s{port=\"0x%04x\",size=\"%u\",",
				      metric, (unsigned)r->key,
				      (unsigned)r->size);
		else
			kx_buf_printf(b, "%s{vector=\"%u\",", metric,
				      (unsigned)r->key);
		if (name) {
			kx_buf_puts(b, "name=");
			kx_prom_label_value(b, name);
			kx_buf_putc(b, ',');
		}
		if (k == KX_DET_MSR)
			kx_buf_printf(b, "access=\"%s\",",
				      r->write ? "write" : "read");
		else if (k == KX_DET_IO)
			kx_buf_printf(b, "access=\"%s\",",
				      r->write ? "out" : "in");
		labels_tail(b, s, -1);
		kx_buf_printf(b, " %llu\n", (unsigned long long)r->count);
	}
	kx_buf_printf(b, "%s{%s=\"other\",", metric, first[k]);
	labels_tail(b, s, -1);
	kx_buf_printf(b, " %llu\n", (unsigned long long)t->other);
}

/* The histogram series of one row: cumulative _bucket{...,le=...} ending
 * in le="+Inf", _sum (seconds, of the time file) and _count (the
 * buckets'); labels reason and code (name and code, "other" and "-"),
 * then those of s. */
static void prom_hist_row(struct kx_buf *b, const struct kx_snapshot *s,
			  int vcpu, const char *name, const char *code,
			  const struct kx_hist_row *row, uint64_t ns)
{
	static const char *const metric = "kvm_exit_handling_duration_seconds";
	static const char *const part[3] = { "_bucket", "_sum", "_count" };
	uint64_t cum = 0;
	int i, k;

	for (k = 0; k < 3; k++) {
		for (i = 0; i < (k ? 1 : KX_HIST_BUCKETS); i++) {
			kx_buf_printf(b, "%s%s{reason=", metric, part[k]);
			kx_prom_label_value(b, name);
			kx_buf_puts(b, ",code=");
			kx_prom_label_value(b, code);
			kx_buf_putc(b, ',');
			if (k) {
				labels_tail(b, s, vcpu);
				if (k == 1)
					kx_buf_printf(b, " %.9f\n",
						      (double)ns / 1e9);
				else
					kx_buf_printf(b, " %llu\n",
						      (unsigned long long)row->count);
				continue;
			}
			/* below row->count, checked */
			cum += row->b[i];
			labels_rest(b, s, vcpu);
			if (i < KX_HIST_BUCKETS - 1)
				kx_buf_printf(b, ",le=\"%.10g\"} %llu\n",
					      (double)kx_hist_upper(i) / 1e9,
					      (unsigned long long)cum);
			else
				kx_buf_printf(b, ",le=\"+Inf\"} %llu\n",
					      (unsigned long long)cum);
		}
	}
}

/* The histogram family's series of counters c: each reason with a row,
 * then "other"; none without histograms (or times). */
static void prom_hist(struct kx_buf *b, const struct kx_snapshot *s,
		      const struct kx_counters *c, int vcpu)
{
	const struct kx_hist *h = c->hist;
	char code[24];
	uint64_t omax, ons, ocount;
	size_t k;

	if (!c->has_time || !h)
		return;
	for (k = 0; k < h->n; k++) {
		const struct kx_hist_row *row = &h->r[k];

		if (row->is_other) {
			kx_hist_other_times(c, &omax, &ons, &ocount);
			prom_hist_row(b, s, vcpu, "other", "-", row, ons);
			continue;
		}
		snprintf(code, sizeof(code), "0x%04llx",
			 (unsigned long long)row->code);
		prom_hist_row(b, s, vcpu, row->name, code, row,
			      c->r[row->reason].tns);
	}
}

/* kvm_exits_userspace_total of counters c: the codes with a line, then
 * "error" and "other" (code "-"); none without a userspace table */
static void prom_user(struct kx_buf *b, const struct kx_snapshot *s,
		      const struct kx_counters *c, int vcpu)
{
	static const char *const metric = "kvm_exits_userspace_total";
	const struct kx_user *u = c->user;
	unsigned k;

	if (!u)
		return;
	for (k = 0; k < KX_USER_CODES; k++) {
		if (!(u->present >> k & 1))
			continue;
		kx_buf_printf(b, "%s{reason=", metric);
		kx_prom_label_value(b, u->name[k]);
		kx_buf_printf(b, ",code=\"%u\",", k);
		labels_tail(b, s, vcpu);
		kx_buf_printf(b, " %llu\n", (unsigned long long)u->count[k]);
	}
	kx_buf_printf(b, "%s{reason=\"error\",code=\"-\",", metric);
	labels_tail(b, s, vcpu);
	kx_buf_printf(b, " %llu\n", (unsigned long long)u->error);
	kx_buf_printf(b, "%s{reason=\"other\",code=\"-\",", metric);
	labels_tail(b, s, vcpu);
	kx_buf_printf(b, " %llu\n", (unsigned long long)u->other);
}

/* A family: its # HELP and # TYPE lines (header), then the series of
 * each set of counters of s (its own, then its vCPUs') */
static void prom_family(struct kx_buf *b, const struct kx_snapshot *s,
			const char *header,
			void (*series)(struct kx_buf *b,
				       const struct kx_snapshot *s,
				       const struct kx_counters *c, int vcpu))
{
	const struct kx_counters *c;
	size_t i;
	int vcpu;

	kx_buf_puts(b, header);
	for (i = 0; i <= s->nvcpu; i++) {
		c = set_of(s, i, &vcpu);
		series(b, s, c, vcpu);
	}
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
	int k, timed = 0, hist = 0, user = 0, vcpu;
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
		hist |= c->has_time && c->hist;
		user |= c->user != NULL;
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
	if (hist)
		prom_family(b, s,
			    "# HELP kvm_exit_handling_duration_seconds Handling "
			    "time (exit to next entry) of KVM VM exits by exit "
			    "reason, in log2 buckets (kvm_exits/time_hist); "
			    "reason=\"other\": the reasons without a histogram "
			    "row of their own.\n"
			    "# TYPE kvm_exit_handling_duration_seconds "
			    "histogram\n",
			    prom_hist);
	for (k = 0; s->det && k < KX_DET_KINDS; k++)
		if (s->det->mask & KX_DETAIL_BIT(k))
			prom_detail(s, &s->det->t[k], b);
	if (user)
		prom_family(b, s,
			    "# HELP kvm_exits_userspace_total Returns of "
			    "KVM_RUN to userspace by KVM_EXIT_* reason since "
			    "boot or the last reset (kvm_exits/userspace_exits, "
			    "counted with the kvm parameter "
			    "exit_stats_detail=Y; a VM's, with per-VM "
			    "counters); reason=\"error\": errors other than "
			    "EINTR, reason=\"other\": exit reasons of 64 and "
			    "above.\n"
			    "# TYPE kvm_exits_userspace_total counter\n",
			    prom_user);
}
