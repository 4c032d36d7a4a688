// SPDX-License-Identifier: GPL-2.0
#include "exitgen.h"

#include <linux/kvm.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

/*
 * Guest code, 16-bit real mode. In: %ebx = RDMSR count, %esi = CPUID
 * count, %edi = OUT count, %dx = port, and the rest in struct
 * exitgen_params at EXITGEN_PARAMS (DS = 0). RDMSR and CPUID clobber %edx,
 * so the port is kept in %bp; CPUID clobbers %ebx, so the RDMSR come first.
 * Then WRMSR, IN from the port, OUT spread over consecutive ports and UD2,
 * each as often as the block says; the #UD handler skips the UD2.
 */
__asm__(
	".pushsection .rodata.exitgen_guest, \"a\"\n"
	".code16\n"
	".globl exitgen_guest_start, exitgen_guest_end, exitgen_ud_handler\n"
	"exitgen_guest_start:\n"
	"	mov %dx, %bp\n"
	"5:	test %ebx, %ebx\n"
	"	jz 1f\n"
	"	mov 0x800, %ecx\n"
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
	"4:	mov 0x804, %ebx\n"
	"6:	test %ebx, %ebx\n"
	"	jz 7f\n"
	"	mov 0x808, %ecx\n"
	"	mov 0x80c, %eax\n"
	"	mov 0x810, %edx\n"
	"	wrmsr\n"
	"	dec %ebx\n"
	"	jmp 6b\n"
	"7:	mov 0x814, %ebx\n"
	"	mov %bp, %dx\n"
	"8:	test %ebx, %ebx\n"
	"	jz 9f\n"
	"	in (%dx), %al\n"
	"	dec %ebx\n"
	"	jmp 8b\n"
	"9:	mov 0x818, %ebx\n"
	"	movzwl 0x81c, %esi\n"
	"	xor %edi, %edi\n"
	"10:	test %ebx, %ebx\n"
	"	jz 11f\n"
	"	mov %bp, %dx\n"
	"	add %di, %dx\n"
	"	out %al, (%dx)\n"
	"	inc %edi\n"
	"	cmp %esi, %edi\n"
	"	jb 12f\n"
	"	xor %edi, %edi\n"
	"12:	dec %ebx\n"
	"	jmp 10b\n"
	"11:	mov 0x820, %ebx\n"
	"13:	test %ebx, %ebx\n"
	"	jz 14f\n"
	"	ud2\n"
	"	dec %ebx\n"
	"	jmp 13b\n"
	"14:	hlt\n"
	"	jmp 14b\n"
	"exitgen_ud_handler:\n"
	"	push %bp\n"
	"	mov %sp, %bp\n"
	"	addw $2, 2(%bp)\n"
	"	pop %bp\n"
	"	iret\n"
	"exitgen_guest_end:\n"
	".code64\n"
	".popsection\n");

extern const unsigned char exitgen_guest_start[], exitgen_guest_end[];
extern const unsigned char exitgen_ud_handler[];

_Static_assert(offsetof(struct exitgen_params, rdmsr_index) == 0x00, "guest reads 0x800");
_Static_assert(offsetof(struct exitgen_params, wrmsr) == 0x04, "guest reads 0x804");
_Static_assert(offsetof(struct exitgen_params, wrmsr_index) == 0x08, "guest reads 0x808");
_Static_assert(offsetof(struct exitgen_params, wrmsr_value) == 0x0c, "guest reads 0x80c");
_Static_assert(offsetof(struct exitgen_params, in) == 0x14, "guest reads 0x814");
_Static_assert(offsetof(struct exitgen_params, spread) == 0x18, "guest reads 0x818");
_Static_assert(offsetof(struct exitgen_params, nports) == 0x1c, "guest reads 0x81c");
_Static_assert(offsetof(struct exitgen_params, ud) == 0x20, "guest reads 0x820");

struct kes_vm *exitgen_vm_create(int vcpus)
{
	struct kes_vm *vm = kes_vm_create(vcpus);
	uint16_t ivt_ud[2] = {
		(uint16_t)(KES_GUEST_CODE + (exitgen_ud_handler - exitgen_guest_start)), 0
	};

	kes_vm_load_code(vm, exitgen_guest_start,
			 (unsigned long)(exitgen_guest_end - exitgen_guest_start));
	/* Real-mode IVT entry 6 (#UD): offset, segment. */
	memcpy((char *)vm->mem + 6 * 4, ivt_ud, sizeof(ivt_ud));
	exitgen_vm_params(vm)->rdmsr_index = EXITGEN_RDMSR_INDEX;
	exitgen_vm_params(vm)->nports = 1;
	return vm;
}

struct exitgen_params *exitgen_vm_params(struct kes_vm *vm)
{
	return (struct exitgen_params *)((char *)vm->mem + EXITGEN_PARAMS);
}

uint64_t exitgen_vm_read_msr(struct kes_vm *vm, uint32_t index)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} msrs = { .hdr.nmsrs = 1, .e.index = index };

	KES_ASSERT(ioctl(vm->vcpu[0].fd, KVM_GET_MSRS, &msrs) == 1,
		   "KVM_GET_MSRS 0x%x", index);
	return msrs.e.data;
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
		const struct exitgen_params *p = exitgen_vm_params(vm);

		KES_ASSERT(vm->vcpu[i].io_exits == (uint64_t)io + p->spread,
			   "vCPU %d: %llu OUT exits, expected %llu", i,
			   (unsigned long long)vm->vcpu[i].io_exits,
			   (unsigned long long)io + p->spread);
		KES_ASSERT(vm->vcpu[i].in_exits == p->in, "vCPU %d: %llu IN exits, expected %u",
			   i, (unsigned long long)vm->vcpu[i].in_exits, p->in);
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
