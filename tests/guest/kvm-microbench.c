// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-microbench: the exit round trips of kvm-unit-tests' x86/vmexit.c, one
 * kind at a time, N times on one vCPU:
 *
 *   cpuid         CPUID, handled in KVM
 *   vmcall        VMCALL (Intel) or VMMCALL (AMD), an unknown hypercall
 *                 that KVM answers with -KVM_ENOSYS
 *   rdmsr         RDMSR of IA32_APIC_BASE, handled in KVM
 *   wrmsr         WRMSR of IA32_APIC_BASE with its own value
 *   io_kernel     OUT to a port with an ioeventfd: handled in the kernel
 *   io_user       OUT to a port nobody claims: an exit to this program
 *
 * Prints "microbench kind=K exits=E run_ns=T" per kind, E from KVM's own
 * per-VM exits statistic. Under QEMU -icount shift=0 a guest nanosecond is
 * an instruction, so T/E is the instructions of one round trip.
 * Usage: kvm-microbench N [KIND...]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "kvm_vm.h"

/* Guest code, 16-bit real mode. In: %esi = count, %di = kind, %dx = port. */
__asm__(
	".pushsection .rodata.microbench_guest, \"a\"\n"
	".code16\n"
	".globl microbench_guest_start, microbench_guest_end\n"
	"microbench_guest_start:\n"
	"	mov $0x1b, %ecx\n"		/* IA32_APIC_BASE */
	"	cmp $1, %di\n	je 11f\n"
	"	cmp $2, %di\n	je 12f\n"
	"	cmp $3, %di\n	je 13f\n"
	"	cmp $4, %di\n	je 14f\n"
	"	cmp $5, %di\n	je 15f\n"
	"10:	test %esi, %esi\n	jz 9f\n	xor %eax, %eax\n	cpuid\n"
	"	mov $0x1b, %ecx\n	dec %esi\n	jmp 10b\n"
	"11:	test %esi, %esi\n	jz 9f\n	xor %eax, %eax\n	vmcall\n	dec %esi\n	jmp 11b\n"
	"12:	test %esi, %esi\n	jz 9f\n	xor %eax, %eax\n	vmmcall\n	dec %esi\n	jmp 12b\n"
	"13:	test %esi, %esi\n	jz 9f\n	rdmsr\n	dec %esi\n	jmp 13b\n"
	"14:	push %dx\n	rdmsr\n"
	"1:	test %esi, %esi\n	jz 2f\n	wrmsr\n	dec %esi\n	jmp 1b\n"
	"2:	pop %dx\n	jmp 9f\n"
	"15:	test %esi, %esi\n	jz 9f\n	out %al, (%dx)\n	dec %esi\n	jmp 15b\n"
	"9:	hlt\n	jmp 9b\n"
	"microbench_guest_end:\n"
	".code64\n"
	".popsection\n");

extern const unsigned char microbench_guest_start[], microbench_guest_end[];

enum kind { K_CPUID, K_VMCALL, K_VMMCALL, K_RDMSR, K_WRMSR, K_IO };

static const char *const kinds[] = { "cpuid", "vmcall", "rdmsr", "wrmsr", "io_kernel", "io_user" };

/* One run of n exits of kind name; prints its line. */
static void bench(const char *name, uint32_t n)
{
	struct kes_vm *vm = kes_vm_create(1);
	uint16_t port = vm->io_port;
	struct timespec t0, t1;
	enum kind k = K_CPUID;
	uint64_t exits, ns;
	int efd = -1;

	if (!strcmp(name, "vmcall"))
		k = kes_host_is_svm() ? K_VMMCALL : K_VMCALL;
	else if (!strcmp(name, "rdmsr"))
		k = K_RDMSR;
	else if (!strcmp(name, "wrmsr"))
		k = K_WRMSR;
	else if (!strcmp(name, "io_kernel") || !strcmp(name, "io_user"))
		k = K_IO;
	if (!strcmp(name, "io_kernel")) {
		struct kvm_ioeventfd io = { .len = 1, .flags = KVM_IOEVENTFD_FLAG_PIO };

		port = (uint16_t)(vm->io_port + 1);
		efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		KES_ASSERT(efd >= 0, "eventfd");
		io.addr = port;
		io.fd = efd;
		KES_ASSERT(ioctl(vm->fd, KVM_IOEVENTFD, &io) == 0, "KVM_IOEVENTFD: %s",
			   strerror(errno));
	}
	kes_vm_load_code(vm, microbench_guest_start,
			 (unsigned long)(microbench_guest_end - microbench_guest_start));
	kes_vm_reset_vcpus(vm, n, k, port);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kes_vm_run(vm);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	exits = kes_vm_kvm_exits(vm);
	ns = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000u + t1.tv_nsec - t0.tv_nsec;
	KES_ASSERT(vm->vcpu[0].io_exits == (k == K_IO && efd < 0 ? n : 0),
		   "%s: %llu exits to userspace", name, (unsigned long long)vm->vcpu[0].io_exits);
	KES_ASSERT(exits >= n, "%s: %llu exits for %u round trips", name,
		   (unsigned long long)exits, n);
	if (efd >= 0) {
		uint64_t signalled = 0;

		KES_ASSERT(read(efd, &signalled, sizeof(signalled)) == sizeof(signalled) &&
			   signalled == n, "io_kernel: eventfd signalled %llu times, want %u",
			   (unsigned long long)signalled, n);
		close(efd);
	}
	printf("microbench kind=%s exits=%llu run_ns=%llu\n", name,
	       (unsigned long long)exits, (unsigned long long)ns);
	kes_vm_free(vm);
}

int main(int argc, char **argv)
{
	unsigned long n;
	char *end;
	size_t i;
	int a;

	if (argc < 2) {
		fprintf(stderr, "usage: kvm-microbench N [cpuid|vmcall|rdmsr|wrmsr|io_kernel|io_user...]\n");
		return 2;
	}
	errno = 0;
	n = strtoul(argv[1], &end, 10);
	if (errno || *end || !n || n > 100000000) {
		fprintf(stderr, "kvm-microbench: N must be 1 to 100000000, not '%s'\n", argv[1]);
		return 2;
	}
	if (argc == 2) {
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			bench(kinds[i], (uint32_t)n);
		return 0;
	}
	for (a = 2; a < argc; a++) {
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (!strcmp(argv[a], kinds[i]))
				break;
		if (i == sizeof(kinds) / sizeof(kinds[0])) {
			fprintf(stderr, "kvm-microbench: unknown kind '%s'\n", argv[a]);
			return 2;
		}
		bench(argv[a], (uint32_t)n);
	}
	return 0;
}
