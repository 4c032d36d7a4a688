/* SPDX-License-Identifier: GPL-2.0 */
/* Rendering counters and deltas as text tables, JSON and Prometheus text
 * exposition format. Everything appends to a kx_buf. */
#ifndef KX_OUTPUT_H
#define KX_OUTPUT_H

#include <stdint.h>

#include "buf.h"
#include "detail.h"
#include "diff.h"
#include "hist.h"
#include "snapshot.h"
#include "user.h"

#define KX_JSON_FORMAT 1 /* the "format" key of every JSON object */

/* output_table.c */
/* Non-zero reasons, largest first, then the total (= sum of by_reason);
 * with AVG and MAX handling time columns when c has times, and P99
 * between them when it has histograms ("-" for a reason without a row). */
void kx_table_counters(const struct kx_counters *c, struct kx_buf *b);
/* Human tables group digits by thousands ("1,234,567"); machine formats
 * (JSON, Prometheus, snapshots) never do. Rates have KX_RATE_DECIMALS
 * decimals everywhere, tables and JSON alike. */
#define KX_RATE_DECIMALS 2
/* num (a decimal number) with ',' between groups of three integer digits */
void kx_fmt_group(char *out, size_t size, const char *num);
void kx_fmt_count(char *out, size_t size, uint64_t v);
/* a rate ("2,773.69") */
void kx_fmt_rate(char *out, size_t size, double r);
/* 350ns, 1.2us, 4.1ms, 2.00s */
void kx_fmt_ns(char *out, size_t size, uint64_t ns);
/* "TITLE: 12.500 s, 2020 exits, 161.60 exits/s" then the non-zero deltas
 * with their rates, then the total. */
void kx_table_diff(const struct kx_diff *d, const char *title,
		   struct kx_buf *b);
/* After kx_table_diff of a diff with kx_diff_vcpus: one block per vCPU. */
void kx_table_diff_vcpus(const struct kx_diff *d, struct kx_buf *b);
/* --watch: the header, then one line per interval; with p99, a P99 column
 * (of the interval's histograms, "-" if it has none). */
void kx_watch_header(struct kx_buf *b, int p99);
void kx_watch_line(const struct kx_diff *d, double elapsed, int p99,
		   struct kx_buf *b);
/* A detail table: its non-zero rows, largest first (ties by key), then
 * "other" and the total, with COUNT and SHARE. */
void kx_table_detail(const struct kx_detail_table *t, struct kx_buf *b);
/* After kx_diff_detail: "TITLE: 10.000 s, 607 MSR exits, 60.70 exits/s",
 * then the table of kind k's non-zero deltas, "other" and the total with
 * DELTA, SHARE and RATE/s. */
void kx_table_detail_diff(const struct kx_diff *d, enum kx_detail_kind k,
			  const char *title, struct kx_buf *b);
/* --watch with detail tables: the header, then per interval one line per
 * table (its exits, rate, top three keys and other). */
void kx_watch_detail_header(struct kx_buf *b);
void kx_watch_detail_line(const struct kx_diff *d, enum kx_detail_kind k,
			  double elapsed, struct kx_buf *b);

/* --hist: one histogram row (a reason's, or "other"), titled: a row per
 * bucket from the first to the last non-empty one (range, count, share, a
 * bar), then count, min, avg (tns / tcount, of the time file), max, and
 * the p50, p90 and p99 estimates (kx_hist_quantile). interval: the row is
 * a diff's (its min and max are B's, since its last reset). */
struct kx_hist_view {
	const char *title;
	const struct kx_hist_row *row;
	uint64_t max;
	uint64_t tcount, tns;
	int interval;
};
void kx_table_hist(const struct kx_hist_view *v, struct kx_buf *b);
/* --userspace: the codes with a count, largest first (ties by code), then
 * "error", "other" and the total, with COUNT and SHARE. */
void kx_table_user(const struct kx_user *u, struct kx_buf *b);
/* After kx_diff_user: "TITLE: 10.000 s, 1,003 userspace exits, ..." and
 * the non-zero deltas, "error", "other" and the total, with DELTA, SHARE
 * and RATE/s. */
void kx_table_user_diff(const struct kx_diff *d, const char *title,
			struct kx_buf *b);
/* --watch --userspace: a line of the interval (with the detail header). */
void kx_watch_user_line(const struct kx_diff *d, double elapsed,
			struct kx_buf *b);

/* output_json.c */
void kx_json_str(struct kx_buf *b, const char *s);
/* The counters as one JSON object (all reasons, in table order; the
 * detail tables of s->det as "msr", "io", "exceptions") and a newline. */
void kx_json_counters(const struct kx_snapshot *s, const char *source,
		      struct kx_buf *b);
/* --vm X --per-vcpu: {"type":"vm","format":1,"vm":NAME,"counters":{...},
 * "vcpus":[{"vcpu":N,"counters":{...}},...]}\n; src (the VM's) and its
 * vCPUs' sources name the objects' sources */
void kx_json_vm(const struct kx_snapshot *s, const struct kx_source *src,
		struct kx_buf *b);
/* Members of a delta object, without braces: from, to, interval_seconds,
 * interval_clock, total, exits_per_second, (if timed) time_count,
 * time_total_ns, time_max_ns, forced, (a VM's) vm, reasons, after
 * kx_diff_detail msr, io, exceptions, and after kx_diff_vcpus, vcpus. */
void kx_json_diff_members(const struct kx_diff *d, const char *from,
			  const char *to, struct kx_buf *b);
/* {"type":"diff",...}\n */
void kx_json_diff(const struct kx_diff *d, const char *from, const char *to,
		  struct kx_buf *b);

/* --watch: {"type":"interval","format":1,"seq":N,"elapsed_seconds":S,
 * <diff members>}\n */
void kx_json_interval(const struct kx_diff *d, uint64_t seq, double elapsed,
		      const char *source, struct kx_buf *b);
/* -- CMD: {"type":"command","format":1,"command":[...],"exit_status":N,
 * "signal":N|null,<diff members>}\n (sig 0: exited) */
void kx_json_command(const struct kx_diff *d, char *const *cmd, int status,
		     int sig, const char *source, struct kx_buf *b);
/* --reset: {"type":"reset","format":1,"source":DIR}\n */
void kx_json_reset(const char *source, struct kx_buf *b);
/* --list-vms: {"type":"vms","format":1,"source":DIR,"vms":[...]}\n */
void kx_json_vms(const struct kx_vm_info *v, int n, const char *source,
		 struct kx_buf *b);
/* Rewrites the compact JSON in b (one object per line) indented by two
 * spaces a level, for --pretty. */
void kx_json_indent(struct kx_buf *b);

/* output_prom.c */
void kx_prom_label_value(struct kx_buf *b, const char *s);
/* The series of s (labels vm="<pid>-<fd>" if a VM's) and, with the vcpu
 * label, of its vCPU sections; HELP/TYPE once per family; the handling-time
 * families only if a set has times; kvm_exits_msr_total,
 * kvm_exits_io_total and kvm_exits_exception_total of s->det's tables. */
void kx_prom_counters(const struct kx_snapshot *s, struct kx_buf *b);

#endif
