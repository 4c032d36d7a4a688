/* SPDX-License-Identifier: GPL-2.0 */
/* Counter sources: where a set of counters is read from. All VMs (the
 * counters root, /sys/kernel/debug/kvm_exits), one VM (its directory under
 * /sys/kernel/debug/kvm) or one vCPU of it (the VM's vcpuN/). Snapshots,
 * diffs, watch, -- CMD, --reset and the renderers take a source and never
 * look at file names: which files a kind of source has is said once, in
 * source.c. */
#ifndef KX_SOURCE_H
#define KX_SOURCE_H

#include "counters.h"
#include "detail.h"
#include "err.h"
#include "vm.h"

enum kx_source_kind {
	KX_SRC_ALL,  /* the global counters of all VMs */
	KX_SRC_VM,   /* one VM's (per-VM counters) */
	KX_SRC_VCPU, /* one vCPU's of a VM */
};

struct kx_source {
	enum kx_source_kind kind;
	const char *root;	 /* the counters root (its vendor file) */
	char dir[KX_PATH_MAX];	 /* the directory of this source's files */
	char vm[KX_VM_NAME_MAX]; /* the VM's name, "" for all VMs */
	int vcpu;		 /* the vCPU's id, -1 if not a vCPU */
	/* the detail tables to read with the counters (KX_DETAIL_BIT()s;
	 * all VMs' only), 0 for none */
	unsigned detail;
	/* what else kx_source_read reads: KX_READ_HIST, KX_READ_USER */
	unsigned extra;
};

/* The handling-time histograms (time_hist, exit_time_hist) when the time
 * file exists; a missing histogram file is no error. */
#define KX_READ_HIST 1u
/* The returns to userspace (userspace_exits); a missing file is
 * KX_EXIT_UNAVAILABLE saying that the kernel's series is older. */
#define KX_READ_USER 2u

/* The counters of all VMs in root. */
void kx_source_all(struct kx_source *src, const char *root);
/* The counters of vm, with root's vendor. */
void kx_source_vm(struct kx_source *src, const char *root,
		  const struct kx_vm *vm);
/* vCPU id of the VM (or other) source vm. */
void kx_source_vcpu(const struct kx_source *vm, int id, struct kx_source *out);

/* Reads the counters of src into c (which must hold no histograms or
 * userspace table: kx_counters_release): the vendor, the reasons, the
 * total (a file for all VMs, the reasons' sum otherwise), the handling
 * times if the source's time file exists, and what src->extra asks for:
 * the histograms (checked against the time file, read again after them;
 * see kx_hist_check_times), the userspace table. A VM's missing file says
 * that the VM may have gone away. */
int kx_source_read(const struct kx_source *src, struct kx_counters *c,
		   struct kx_err *e);
/* Reads the detail tables of mask (all VMs' counters only) into d. A
 * missing file is KX_EXIT_UNAVAILABLE saying that the kernel's series is
 * older than the tables. */
int kx_source_read_detail(const struct kx_source *src, unsigned mask,
			  struct kx_detail *d, struct kx_err *e);
/* The ids of the vCPUs of the VM source vm (see kx_vm_vcpus): their count
 * or minus an exit code; *ids is malloc'd (free it, also on failure). */
int kx_source_vcpus(const struct kx_source *vm, int strict, int **ids,
		    struct kx_err *e);
/* The file --reset writes 0 to, in src->dir; NULL if it cannot be reset
 * on its own (a vCPU). */
const char *kx_source_reset_file(const struct kx_source *src);
/* The names of src's files: its counters ("by_reason", "exit_reasons"),
 * its time file ("time_by_reason",
 * "exit_times"), its histograms ("time_hist", "exit_time_hist"). */
const char *kx_source_reasons_file(const struct kx_source *src);
const char *kx_source_times_file(const struct kx_source *src);
const char *kx_source_hist_file(const struct kx_source *src);

#endif
