/* SPDX-License-Identifier: GPL-2.0 */
/* The recording format of --record (JSON Lines, Documentation/
 * kvmexit-read.rst, "Recording format"): a header line, then one line per
 * sample with the cumulative counts. Writing the lines, and checking and
 * parsing them for --timeline. */
#ifndef KX_RECORDING_H
#define KX_RECORDING_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "counters.h"
#include "err.h"
#include "parse.h"
#include "vm.h"

#define KX_REC_FORMAT 1
#define KX_REC_TYPE "recording"
/* bytes per line: a sample of KX_MAX_REASONS reasons with the longest
 * names and counts takes about 45 KiB */
#define KX_REC_LINE_MAX (64 * 1024)
#define KX_REC_TEXT_MAX 256 /* bytes kept of the header's texts */

/* What the header line says. */
struct kx_rec_head {
	char source[KX_REC_TEXT_MAX]; /* the directory read */
	char vm[KX_VM_NAME_MAX];      /* "" for all VMs */
	char vendor[8];		      /* "" if not given */
};

/* Writing. The header: type, format, source, vm (null for all VMs),
 * vendor, kernel, boot_id, wall_time and boottime (of the same moment),
 * clock, interval_seconds and command (null without one). */
struct kx_rec_info {
	const char *source, *vm, *vendor, *kernel, *boot_id;
	struct kx_time wall, boot, interval;
	const char *command; /* NULL: none */
};
void kx_rec_header(const struct kx_rec_info *h, struct kx_buf *b);
/* A sample line: {"t":S.UUUUUU,"total":N[,"reset":true],"reasons":{...}}
 * with the non-zero counts of c by name, in c's order. */
void kx_rec_sample(const struct kx_time *t, const struct kx_counters *c,
		   int reset, struct kx_buf *b);
/* Reasons are recorded by name: two reasons of c with the same name are
 * KX_EXIT_BADINPUT (naming where, the counters' directory). */
int kx_rec_check_names(const struct kx_counters *c, const char *where,
		       struct kx_err *e);
/* 1 if a count of cur is below prev's count of the reason of the same
 * name (a reason that is gone counts as 0), or cur's sum is below prev's:
 * the counters were reset in between. */
int kx_rec_went_down(const struct kx_counters *prev,
		     const struct kx_counters *cur);

/* Reading. The reason names of a recording, numbered as first seen. */
#define KX_REC_HASH 1024 /* slots, twice KX_MAX_REASONS */
struct kx_rec_names {
	size_t n;
	char name[KX_MAX_REASONS][KX_NAME_MAX];
	uint16_t slot[KX_REC_HASH];    /* index + 1, 0: free */
	uint32_t seen[KX_MAX_REASONS]; /* gen of the sample last listing it */
	uint32_t gen;		       /* samples parsed */
};

/* One sample line: the reasons it lists, by index in the names. */
struct kx_rec_sample {
	struct kx_time t;
	uint64_t total;
	int reset;
	size_t n;
	uint16_t idx[KX_MAX_REASONS];
	uint64_t count[KX_MAX_REASONS];
};

/* Line 1 (at: the file name and line number for messages). Not a
 * recording, or of another format: KX_EXIT_BADINPUT saying so. */
int kx_rec_parse_head(const char *line, size_t n, const struct kx_lines *at,
		      struct kx_rec_head *h, struct kx_err *e);
/* A sample line: "t" (a plain decimal), "total" and "reasons" (an object
 * of unsigned integers, which must add up to total) are required, "reset"
 * is optional (a boolean), other keys are ignored. New reason names are
 * added to names (at most KX_MAX_REASONS). */
int kx_rec_parse_sample(const char *line, size_t n, const struct kx_lines *at,
			struct kx_rec_names *names, struct kx_rec_sample *s,
			struct kx_err *e);

#endif
