/* SPDX-License-Identifier: GPL-2.0 */
/* One function per mode of the command line; each returns an exit code and
 * fills e on failure. */
#ifndef KX_MODES_H
#define KX_MODES_H

#include "buf.h"
#include "cli.h"
#include "err.h"

struct kx_diff;
struct kx_snapshot;

/* modes.c */
int kx_mode_read(const struct kx_opts *o, struct kx_err *e);
int kx_mode_save(const struct kx_opts *o, struct kx_err *e);
int kx_mode_diff(const struct kx_opts *o, struct kx_err *e);
int kx_mode_reset(const struct kx_opts *o, struct kx_err *e);
int kx_mode_list_vms(const struct kx_opts *o, struct kx_err *e);
/* Writes b to path (atomically) or stdout, failing if b is incomplete. */
int kx_emit(const char *path, const struct kx_buf *b, struct kx_err *e);
/* kx_emit, indenting JSON first if o asks for --pretty. */
int kx_emit_as(const struct kx_opts *o, const char *path, struct kx_buf *b,
	       struct kx_err *e);
/* Prints "kvmexit-read: warning: --force: ..." lines for forced problems. */
void kx_warn_forced(const struct kx_diff *d, const char *why);
/* With --msr, --io or --exceptions: a one-line hint on standard error if
 * the kvm parameter exit_stats_detail is N (the tables count nothing). */
void kx_detail_hint(const struct kx_opts *o);
/* The detail tables of s (o->detail), one after the other. */
void kx_table_details(const struct kx_opts *o, const struct kx_snapshot *s,
		      struct kx_buf *b);
/* After kx_diff_detail: "TITLE: ..." and the deltas, table by table. */
void kx_table_detail_diffs(const struct kx_opts *o, const struct kx_diff *d,
			   const char *title, struct kx_buf *b);

/* watch.c */
int kx_mode_watch(const struct kx_opts *o, struct kx_err *e);

/* run.c: *status is the command's status mapped like a shell's */
int kx_mode_run(const struct kx_opts *o, int *status, struct kx_err *e);

/* record.c: *status is the command's (with -- CMD), else 0, or
 * KX_EXIT_UNAVAILABLE if the counters went away during the recording */
int kx_mode_record(const struct kx_opts *o, int *status, struct kx_err *e);

/* timeline_mode.c */
int kx_mode_timeline(const struct kx_opts *o, struct kx_err *e);

#endif
