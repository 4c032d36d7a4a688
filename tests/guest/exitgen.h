/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exit generator: a real-mode guest that executes exactly
 * vm->msr_reads RDMSR (0 unless set), then `cpuid` CPUID instructions, then
 * `io` OUT instructions to one port, then HLT, on every vCPU of a VM. Each
 * is intercepted by KVM on VMX and SVM alike, so per vCPU it causes exactly
 * that many MSR-read, CPUID and I/O exits and one HLT exit (plus whatever
 * the host adds: EPT/NPT faults on first touch, interrupts).
 */
#ifndef KES_EXITGEN_H
#define KES_EXITGEN_H

#include <stdint.h>
#include "kvm_vm.h"

struct exitgen_result {
	int vcpus;
	uint64_t cpuid;		/* CPUID instructions the guests executed */
	uint64_t msr;		/* RDMSR instructions the guests executed */
	uint64_t io;		/* OUT exits seen by userspace */
	uint64_t hlt;		/* HLT exits seen by userspace */
	uint64_t kvm_exits;	/* KVM's own per-VM "exits" statistic */
	uint64_t run_ns;	/* CLOCK_MONOTONIC time of the guest round(s) */
};

/* A VM loaded with the generator's guest code. */
struct kes_vm *exitgen_vm_create(int vcpus);
/* Run one round on every vCPU of vm and add to *res. */
void exitgen_vm_round(struct kes_vm *vm, uint32_t cpuid, uint32_t io,
		      struct exitgen_result *res);
/* Create a VM, run one round, read KVM's exits, close the VM. */
void exitgen_run(int vcpus, uint32_t cpuid, uint32_t io, struct exitgen_result *res);

#endif
