/* SPDX-License-Identifier: GPL-2.0 */
/* Snapshots: the counters plus when and where they were taken; the text
 * format of --save (Documentation/kvmexit-read.rst, "Snapshot format"). */
#ifndef KX_SNAPSHOT_H
#define KX_SNAPSHOT_H

#include "buf.h"
#include "counters.h"
#include "err.h"
#include "parse.h"
#include "probe.h"
#include "vm.h"

#define KX_SNAPSHOT_VERSION 1	 /* of the global counters */
#define KX_SNAPSHOT_VERSION_VM 2 /* adds a "scope" line: the VM's name */
#define KX_SNAPSHOT_MAGIC "kvmexit-read-snapshot"
#define KX_SNAPSHOT_MAX (128 * 1024) /* bytes */

struct kx_snapshot {
	struct kx_time wall; /* CLOCK_REALTIME */
	struct kx_time boot; /* CLOCK_BOOTTIME */
	char boot_id[KX_BOOT_ID_MAX];
	char kernel[KX_KERNEL_MAX];
	struct kx_counters c; /* vendor, total_file, sum and reasons */
	char scope[KX_VM_NAME_MAX]; /* "" global, else the VM's name */
};

/* Reads the counters in root (or, if vm, that VM's, with root's vendor)
 * and the clocks, boot id and kernel release. */
int kx_snapshot_take(const char *root, int is_default_root,
		     const struct kx_vm *vm, struct kx_snapshot *s,
		     struct kx_err *e);

/* Appends the snapshot file text to b. */
void kx_snapshot_format(const struct kx_snapshot *s, struct kx_buf *b);

/* Parses snapshot text; errors name fname and the line (KX_EXIT_BADINPUT). */
int kx_snapshot_parse(const char *buf, size_t len, const char *fname,
		      struct kx_snapshot *s, struct kx_err *e);

/* Reads and parses a snapshot file ("-" = standard input). */
int kx_snapshot_load(const char *path, struct kx_snapshot *s,
		     struct kx_err *e);

#endif
