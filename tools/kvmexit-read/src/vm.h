/* SPDX-License-Identifier: GPL-2.0 */
/* Per-VM counters: the VMs in KVM's debugfs directory (default the "kvm"
 * directory beside the counters root) that have an exit_reasons file, and
 * their vcpuN/ directories. Documentation/kvmexit-read.rst, "Per VM". */
#ifndef KX_VM_H
#define KX_VM_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define KX_VM_ROOT_ENV "KVMEXIT_VM_ROOT"
#define KX_VM_NAME_MAX 64 /* "<pid>-<fd>", NUL included */
#define KX_PATH_MAX 4096
/* The highest vCPU id read from a VM directory or a snapshot. KVM names
 * the directories vcpuN by vCPU id, below KVM_MAX_VCPU_IDS (x86 in Linux
 * 6.12: KVM_MAX_VCPUS, up to 4096, times 4); this bound is far above. */
#define KX_VCPU_ID_MAX 1048575

struct kx_vm {
	char name[KX_VM_NAME_MAX];
	char dir[KX_PATH_MAX];
};

/* The VM directory: vm_root if given, else dirname(root)/kvm. */
int kx_vm_root(const char *root, const char *vm_root, char *out, size_t size,
	       struct kx_err *e);
/* 1 if name is "<pid>-<fd>" (decimal numbers), 0 if not. */
int kx_vm_name_valid(const char *name);
/* 1 if sel is a --vm value: "<pid>" or "<pid>-<fd>", 0 if not. */
int kx_vm_sel_valid(const char *sel);
/* 1 if a snapshot of scope ("" global, else "<pid>-<fd>") is of the VM
 * that sel names (by name, or by its process id), 0 if not. */
int kx_vm_sel_matches(const char *sel, const char *scope);
/* The VM named sel ("<pid>-<fd>") or the only one of process sel ("<pid>")
 * that has exit_reasons. Missing, ambiguous or without per-VM statistics:
 * KX_EXIT_UNAVAILABLE (or KX_EXIT_USAGE for a malformed sel), saying why. */
int kx_vm_find(const char *vm_root, const char *sel, struct kx_vm *vm,
	       struct kx_err *e);
/* The vCPU ids of the VM in vm_dir (its vcpuN/ directories), sorted, in
 * *ids (malloc'd; free it, also on failure); their count, or minus an exit
 * code. A vcpuN/ without exit_reasons or with an id above KX_VCPU_ID_MAX is
 * skipped, or if strict an error (KX_EXIT_BADINPUT) naming it. */
int kx_vm_vcpus(const char *vm_dir, int strict, int **ids, struct kx_err *e);

/* One VM of --list-vms. */
struct kx_vm_info {
	char name[KX_VM_NAME_MAX];
	unsigned long pid;
	char comm[32];
	int vcpus;
	int timed;
	unsigned long long exits;
};
/* The VMs with per-VM statistics, sorted by pid and then fd (as numbers),
 * in *v (malloc'd, *n of them, no limit; free it, also on failure). */
int kx_vm_list(const char *root, const char *vm_root, const char *sysroot,
	       struct kx_vm_info **v, int *n, struct kx_err *e);

#endif
