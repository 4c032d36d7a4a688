// SPDX-License-Identifier: GPL-2.0
#include "exitgen.h"

#include <string.h>
#include <time.h>

/*
 * Guest code, 16-bit real mode. In: %ebx = RDMSR count, %esi = CPUID
 * count, %edi = OUT count, %dx = port. RDMSR and CPUID clobber %edx, so
 * the port is kept in %bp; CPUID clobbers %ebx, so the RDMSR come first.
 * The MSR read is IA32_APIC_BASE, which KVM intercepts on VMX and SVM.
 */
__asm__(
	".pushsection .rodata.exitgen_guest, \"a\"\n"
	".code16\n"
	".globl exitgen_guest_start, exitgen_guest_end\n"
	"exitgen_guest_start:\n"
	"	mov %dx, %bp\n"
	"5:	test %ebx, %ebx\n"
	"	jz 1f\n"
	"	mov $0x1b, %ecx\n"
	"	rdmsr\n"
	"	dec %ebx\n"
	"	jmp 5b\n"
	"1:	test %esi, %esi\n"
	"	jz 2f\n"
	"	xor %eax, %eax\n"
	"	cpuid\n"
	"	dec %esi\n"
	"	jmp 1b\n"
	"2:	mov %bp, %dx\n"
	"3:	test %edi, %edi\n"
	"	jz 4f\n"
	"	out %al, (%dx)\n"
	"	dec %edi\n"
	"	jmp 3b\n"
	"4:	hlt\n"
	"	jmp 4b\n"
	"exitgen_guest_end:\n"
	".code64\n"
	".popsection\n");

extern const unsigned char exitgen_guest_start[], exitgen_guest_end[];

struct kes_vm *exitgen_vm_create(int vcpus)
{
	struct kes_vm *vm = kes_vm_create(vcpus);

	kes_vm_load_code(vm, exitgen_guest_start,
			 (unsigned long)(exitgen_guest_end - exitgen_guest_start));
	return vm;
}

void exitgen_vm_round(struct kes_vm *vm, uint32_t cpuid, uint32_t io,
		      struct exitgen_result *res)
{
	struct timespec t0, t1;
	int i;

	kes_vm_reset_vcpus(vm, cpuid, io, vm->io_port);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kes_vm_run(vm);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->run_ns += (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u + t1.tv_nsec - t0.tv_nsec;
	res->vcpus = vm->nr_vcpus;
	for (i = 0; i < vm->nr_vcpus; i++) {
		KES_ASSERT(vm->vcpu[i].io_exits == io, "vCPU %d: %llu OUT exits, expected %u",
			   i, (unsigned long long)vm->vcpu[i].io_exits, io);
		res->cpuid += cpuid;
		res->msr += vm->msr_reads;
		res->io += vm->vcpu[i].io_exits;
		res->hlt += vm->vcpu[i].hlt_exits;
	}
}

void exitgen_run(int vcpus, uint32_t cpuid, uint32_t io, struct exitgen_result *res)
{
	struct kes_vm *vm = exitgen_vm_create(vcpus);

	memset(res, 0, sizeof(*res));
	exitgen_vm_round(vm, cpuid, io, res);
	res->kvm_exits = kes_vm_kvm_exits(vm);
	kes_vm_free(vm);
}
