/* SPDX-License-Identifier: GPL-2.0 */
/* Rendering counters and deltas as text tables, JSON and Prometheus text
 * exposition format. Everything appends to a kx_buf. */
#ifndef KX_OUTPUT_H
#define KX_OUTPUT_H

#include <stdint.h>

#include "buf.h"
#include "diff.h"
#include "snapshot.h"

#define KX_JSON_FORMAT 1 /* the "format" key of every JSON object */

/* output_table.c */
/* Non-zero reasons, largest first, then the total (= sum of by_reason);
 * with AVG and MAX handling time columns when c has times. */
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
/* --watch: the header, then one line per interval. */
void kx_watch_header(struct kx_buf *b);
void kx_watch_line(const struct kx_diff *d, double elapsed, struct kx_buf *b);

/* output_json.c */
void kx_json_str(struct kx_buf *b, const char *s);
/* The counters as one JSON object (all reasons, in table order) and a
 * newline. */
void kx_json_counters(const struct kx_snapshot *s, const char *source,
		      struct kx_buf *b);
/* --vm X --per-vcpu: {"type":"vm","format":1,"vm":NAME,"counters":{...},
 * "vcpus":[{"vcpu":N,"counters":{...}},...]}\n; src (the VM's) and its
 * vCPUs' sources name the objects' sources */
void kx_json_vm(const struct kx_snapshot *s, const struct kx_source *src,
		struct kx_buf *b);
/* Members of a delta object, without braces: from, to, interval_seconds,
 * interval_clock, total, exits_per_second, (if timed) time_count,
 * time_total_ns, time_max_ns, forced, (a VM's) vm, reasons, and after
 * kx_diff_vcpus, vcpus. */
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
 * families only if a set has times. */
void kx_prom_counters(const struct kx_snapshot *s, struct kx_buf *b);

#endif
