/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal /dev/kvm harness in the style of the kernel's KVM selftests:
 * create a VM with one memory slot, add vCPUs in real mode, run them (one
 * thread each) and read what KVM itself counted for the VM.
 */
#ifndef KES_KVM_VM_H
#define KES_KVM_VM_H

#include <stdint.h>

#define KES_MAX_VCPUS	8
#define KES_GUEST_MEM	0x10000		/* 64 KiB of guest RAM at GPA 0 */
#define KES_GUEST_CODE	0x1000		/* where guest code is copied */

struct kes_vcpu {
	int fd;
	struct kvm_run *run;
	/* What userspace saw, filled in by kes_vm_run(). */
	uint64_t io_exits;	/* OUT */
	uint64_t in_exits;	/* IN */
	uint64_t hlt_exits;
	uint64_t kvm_runs;
};

struct kes_vm {
	int kvm_fd;
	int fd;
	int nr_vcpus;
	long run_size;		/* of each vCPU's kvm_run mapping */
	void *mem;
	uint16_t io_port;	/* the first port guests may use */
	uint16_t io_nports;	/* OUT may go to io_port + 0 .. io_nports - 1 */
	uint32_t msr_reads;	/* %ebx of every vCPU at reset (0: none) */
	struct kes_vcpu vcpu[KES_MAX_VCPUS];
};

/* Abort with a message, like the selftests' TEST_ASSERT. */
#define KES_ASSERT(cond, ...)						\
	do {								\
		if (!(cond))						\
			kes_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
	} while (0)

void kes_fail(const char *file, int line, const char *cond, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));

struct kes_vm *kes_vm_create(int nr_vcpus);
void kes_vm_load_code(struct kes_vm *vm, const void *code, unsigned long len);
/*
 * Point every vCPU at the code, with these general-purpose registers and a
 * stack of its own below 0xf000.
 */
void kes_vm_reset_vcpus(struct kes_vm *vm, uint64_t rsi, uint64_t rdi, uint64_t rdx);
/* Run all vCPUs concurrently until each has halted. */
void kes_vm_run(struct kes_vm *vm);
/* KVM's own "exits" statistic for this VM (debugfs); the VM must be open. */
uint64_t kes_vm_kvm_exits(struct kes_vm *vm);
/* The VM's directory under /sys/kernel/debug/kvm/. */
const char *kes_vm_debugfs_dir(struct kes_vm *vm);
void kes_vm_free(struct kes_vm *vm);

/* 1 if this host's CPU has SVM (AMD), 0 if not (Intel VMX), from /proc/cpuinfo. */
int kes_host_is_svm(void);

/* Read one unsigned decimal from a small file. */
uint64_t kes_read_u64(const char *path);

#endif
