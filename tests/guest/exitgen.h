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

/* Where the guest finds struct exitgen_params (guest-physical). */
#define EXITGEN_PARAMS		0x800
/* IA32_APIC_BASE, which KVM intercepts on VMX and SVM. */
#define EXITGEN_RDMSR_INDEX	0x1b

/*
 * What the guest does after its CPUID and OUT: WRMSR of wrmsr_value to
 * wrmsr_index, IN from the port, OUT to port + (i mod nports), UD2. Set
 * before a round; every vCPU does all of it.
 */
struct exitgen_params {
	uint32_t rdmsr_index;	/* the MSR of the RDMSR (vm->msr_reads of them) */
	uint32_t wrmsr;
	uint32_t wrmsr_index;
	uint64_t wrmsr_value;
	uint32_t in;
	uint32_t spread;
	uint16_t nports;	/* 1 to vm->io_nports */
	uint16_t pad;
	uint32_t ud;
} __attribute__((packed));

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
/* The VM's parameter block, in guest memory. */
struct exitgen_params *exitgen_vm_params(struct kes_vm *vm);
/* The value of MSR index of vCPU 0, read with KVM_GET_MSRS (no exit). */
uint64_t exitgen_vm_read_msr(struct kes_vm *vm, uint32_t index);
/* Run one round on every vCPU of vm and add to *res. */
void exitgen_vm_round(struct kes_vm *vm, uint32_t cpuid, uint32_t io,
		      struct exitgen_result *res);
/* Create a VM, run one round, read KVM's exits, close the VM. */
void exitgen_run(int vcpus, uint32_t cpuid, uint32_t io, struct exitgen_result *res);

#endif
