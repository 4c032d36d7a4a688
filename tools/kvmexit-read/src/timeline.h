/* SPDX-License-Identifier: GPL-2.0 */
/* --timeline: the intervals of a recording (recording.h) with their
 * per-reason deltas and rates, counter resets, the top reasons, the
 * busiest intervals and where marks fall; rendering in timeline_out.c. */
#ifndef KX_TIMELINE_H
#define KX_TIMELINE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "err.h"
#include "marks.h"
#include "parse.h"
#include "recording.h"

#define KX_TL_SAMPLES_MAX 1000000	      /* samples of a recording */
#define KX_TL_DELTAS_MAX (16 * 1024 * 1024) /* non-zero deltas kept */
#define KX_TL_TOP_DEFAULT 5

struct kx_tl_delta {
	uint32_t reason; /* index in the names */
	uint64_t delta;
};

/* From one sample to the next. */
struct kx_tl_interval {
	struct kx_time t0, t1; /* on the recording's clock */
	double seconds;	       /* t1 - t0, > 0 */
	int reset;	       /* counters reset in it: no rates */
	uint64_t total;	       /* exits (a reset one: since the reset) */
	size_t first, n;       /* its non-zero deltas: d[first..first+n) */
	unsigned lineno;       /* of its end sample */
};

struct kx_timeline {
	const char *fname;
	struct kx_rec_head head;
	size_t nsamples;
	struct kx_time first, last; /* of the first and last samples */
	struct kx_rec_names names;
	uint64_t reason_total[KX_MAX_REASONS]; /* over the recording */
	uint64_t total;			       /* sum of the intervals' */
	size_t nresets;
	size_t ni, cap_i;
	struct kx_tl_interval *iv;
	size_t nd, cap_d;
	struct kx_tl_delta *d;
	/* while reading: the previous sample's counts, the current line's */
	uint64_t prev[KX_MAX_REASONS], cur[KX_MAX_REASONS];
	uint64_t prev_total;
	struct kx_rec_sample s;
};

/* tl must be zeroed (calloc) before the first line. */
void kx_tl_free(struct kx_timeline *tl);
/* Line at->lineno of the recording: the header if it is line 1, else a
 * sample. A sample whose "t" is not after the previous one's is refused,
 * as is more than KX_TL_SAMPLES_MAX samples or KX_TL_DELTAS_MAX deltas.
 * An interval is a reset if its end sample says "reset":true or any count
 * (or the total) went down; its deltas are then the end sample's counts
 * (the exits since the reset). */
int kx_tl_line(struct kx_timeline *tl, const char *line, size_t n,
	       const struct kx_lines *at, struct kx_err *e);
/* After the last line: at least 2 samples (one interval). */
int kx_tl_finish(struct kx_timeline *tl, struct kx_err *e);
/* Reads the recording path ("-": standard input), lines of at most
 * KX_REC_LINE_MAX bytes. */
int kx_tl_load(const char *path, struct kx_timeline *tl, struct kx_err *e);

/* exits per second of count exits in iv */
double kx_tl_rate(const struct kx_tl_interval *iv, uint64_t count);
/* the delta of reason r in interval i */
uint64_t kx_tl_delta(const struct kx_timeline *tl, size_t i, uint32_t r);
/* The top (at most) n reasons by count over the recording, largest first
 * (ties: first seen first), leaving out zeros and the kernel's own 'other'
 * reason (always in the "other" column); their indexes in idx (room for
 * n), their number returned. */
size_t kx_tl_top(const struct kx_timeline *tl, size_t n, uint32_t *idx);
/* The n intervals of highest total rate, highest first (ties: earlier
 * first), reset intervals left out: indexes in out (room for ni), their
 * number returned. */
size_t kx_tl_busiest(const struct kx_timeline *tl, size_t n, size_t *out);
/* The interval that holds time t: i with t0 <= t < t1 (the last one
 * includes its t1), -1 before the first sample, ni after the last. */
ssize_t kx_tl_locate(const struct kx_timeline *tl, const struct kx_time *t);

/* Rendering (timeline_out.c). Output goes to out->b; if out->flush is set
 * it is called whenever b holds more than KX_TL_FLUSH bytes (whole lines)
 * and at the end, to write b out and empty it. */
#define KX_TL_FLUSH (256 * 1024)
struct kx_tl_out {
	struct kx_buf b;
	int (*flush)(struct kx_tl_out *o, struct kx_err *e);
	const void *ctx;
};

struct kx_tl_view {
	const struct kx_timeline *tl;
	const struct kx_marks *marks; /* NULL: none */
	size_t top;		      /* reason columns */
	size_t busiest;		      /* 0: every interval, in time order */
};

/* The table for people: a title line, a header, a row per interval (marks
 * as "--- " lines before the row of their interval), a summary line. */
int kx_tl_table(const struct kx_tl_view *v, struct kx_tl_out *o,
		struct kx_err *e);
/* Tab-separated: "t interval total R1 ... other", plain numbers. */
int kx_tl_tsv(const struct kx_tl_view *v, struct kx_tl_out *o,
	      struct kx_err *e);
/* One {"type":"timeline",...} object per interval and line. */
int kx_tl_json(const struct kx_tl_view *v, struct kx_tl_out *o,
	       struct kx_err *e);

#endif
