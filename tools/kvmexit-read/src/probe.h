/* SPDX-License-Identifier: GPL-2.0 */
/* Facts about the running system: where the counters are, why they are
 * missing, the kernel release, the boot id and the clocks. */
#ifndef KX_PROBE_H
#define KX_PROBE_H

#include <stddef.h>

#include "err.h"
#include "parse.h"

#define KX_DEFAULT_ROOT "/sys/kernel/debug/kvm_exits"
#define KX_DEBUGFS_MNT "/sys/kernel/debug"
#define KX_BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"
#define KX_BOOT_ID_MAX 40 /* 36 characters, "unknown" or a NUL */
#define KX_KERNEL_MAX 65  /* as struct utsname's release */

/* 1 if /proc/self/mountinfo content buf has a debugfs mounted at mnt */
int kx_mountinfo_has_debugfs(const char *buf, size_t len, const char *mnt);

/* Explains why root/vendor is missing. For the default root the message
 * says whether debugfs is not mounted, kvm_intel/kvm_amd is not loaded or
 * the kernel lacks the patch; sysroot ("" normally) prefixes /proc and /sys
 * paths, for tests. Always returns KX_EXIT_UNAVAILABLE. */
int kx_explain_missing(const char *root, int is_default, const char *sysroot,
		       struct kx_err *e);

/* Checks that the counters can be read from root before reading them: a
 * missing directory is explained, EACCES is KX_EXIT_PERM. */
int kx_root_check(const char *root, int is_default, struct kx_err *e);

/* The kvm parameter exit_stats_detail in param_dir (the kvm module's
 * parameters directory): 1 if Y, 0 if N, -1 if unknown (no such file, as
 * on kernels without the tables, or unreadable). */
int kx_detail_param(const char *param_dir);

/* 36-character boot id, or "unknown" if it cannot be read */
void kx_boot_id(char out[KX_BOOT_ID_MAX]);
/* 1 if s is a syntactically valid boot id (36 chars, lower hex and '-') */
int kx_boot_id_valid(const char *s, size_t n);
/* uname -r, with characters other than printable non-space ASCII as '_' */
void kx_kernel_release(char out[KX_KERNEL_MAX]);
/* CLOCK_REALTIME and CLOCK_BOOTTIME */
int kx_clocks(struct kx_time *wall, struct kx_time *boot, struct kx_err *e);

/* Deadlines on CLOCK_MONOTONIC (--watch, --record): t += d, and a < b */
struct timespec;
void kx_ts_add(struct timespec *t, const struct kx_time *d);
int kx_ts_before(const struct timespec *a, const struct timespec *b);

#endif
