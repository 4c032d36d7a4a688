/* SPDX-License-Identifier: GPL-2.0 */
/* Snapshots: the counters plus when and where they were taken; the text
 * format of --save (Documentation/kvmexit-read.rst, "Snapshot format"). */
#ifndef KX_SNAPSHOT_H
#define KX_SNAPSHOT_H

#include "buf.h"
#include "counters.h"
#include "detail.h"
#include "err.h"
#include "parse.h"
#include "probe.h"
#include "source.h"
#include "vm.h"

/* Format 1: the global counters. Format 2 (written only when needed: a
 * VM's counters, handling times or vCPU sections) adds a "scope" line,
 * "time" lines and "vcpu N" sections. Format 3 (written only with detail
 * tables: --save --msr, --io, --exceptions) is format 2 plus the tables'
 * "msr", "io" and "exception" lines. Format 4 (written only with
 * histograms or a userspace table) is format 3 plus a section's "hist"
 * and "userspace" lines, and lines of up to KX_HIST_LINE_MAX bytes. All
 * four are read. */
#define KX_SNAPSHOT_VERSION 1
#define KX_SNAPSHOT_VERSION_VM 2
#define KX_SNAPSHOT_VERSION_DETAIL 3
#define KX_SNAPSHOT_VERSION_HIST 4
#define KX_SNAPSHOT_VERSION_MAX KX_SNAPSHOT_VERSION_HIST
#define KX_SNAPSHOT_MAGIC "kvmexit-read-snapshot"
#define KX_SNAPSHOT_MAX (128 * 1024)	    /* bytes of a format-1 file */
/* of a format-2 or 3 file: all that kvmexit-read can write (its output buffer's
 * limit), such as a VM of 4096 timed vCPUs */
#define KX_SNAPSHOT_MAX_V2 KX_BUF_MAX

/* A vCPU's counters in a VM's snapshot. */
struct kx_vcpu_counters {
	int id;
	struct kx_counters c;
};

struct kx_snapshot {
	struct kx_time wall; /* CLOCK_REALTIME */
	struct kx_time boot; /* CLOCK_BOOTTIME */
	char boot_id[KX_BOOT_ID_MAX];
	char kernel[KX_KERNEL_MAX];
	struct kx_counters c; /* vendor, total_file, sum and reasons */
	char scope[KX_VM_NAME_MAX]; /* "" global, else the VM's name */
	/* a VM's vCPUs (--per-vcpu), by id; malloc'd: kx_snapshot_release */
	size_t nvcpu;
	struct kx_vcpu_counters *vcpu;
	/* the detail tables read (global only), NULL if none; malloc'd:
	 * kx_snapshot_release */
	struct kx_detail *det;
};

/* Reads the counters of src (with per_vcpu, a VM's vCPUs' too: vCPU
 * sections; the detail tables of src->detail; the histograms and userspace
 * tables of src->extra) and the clocks, boot id and kernel release; the
 * scope is the source's VM. */
int kx_snapshot_take(const struct kx_source *src, int is_default_root,
		     int per_vcpu, struct kx_snapshot *s, struct kx_err *e);

/* Frees the vCPU sections, detail tables, histograms and userspace tables
 * of s (s itself stays). */
void kx_snapshot_release(struct kx_snapshot *s);
/* kx_snapshot_release(s), then free(s); NULL is fine. */
void kx_snapshot_free(struct kx_snapshot *s);
/* The format version kx_snapshot_format writes for s. */
int kx_snapshot_version(const struct kx_snapshot *s);

/* Appends the snapshot file text to b. */
void kx_snapshot_format(const struct kx_snapshot *s, struct kx_buf *b);

/* Parses snapshot text; errors name fname and the line (KX_EXIT_BADINPUT).
 * s is overwritten (release it first if it holds vCPU sections or detail
 * tables); on failure they are already released. */
int kx_snapshot_parse(const char *buf, size_t len, const char *fname,
		      struct kx_snapshot *s, struct kx_err *e);

/* Reads and parses a snapshot file ("-" = standard input). */
int kx_snapshot_load(const char *path, struct kx_snapshot *s,
		     struct kx_err *e);

#endif
