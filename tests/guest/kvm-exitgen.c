// SPDX-License-Identifier: GPL-2.0
/* kvm-exitgen: run the exit generator from the command line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitgen.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kvm-exitgen [--cpuid N] [--msr N] [--io N] [--vcpus K] [--hold FILE]\n"
		"                   [--msr-index X] [--wrmsr N] [--wrmsr-index Y] [--in N]\n"
		"                   [--port P] [--spread N] [--ports K] [--ud N]\n"
		"Run a KVM guest that executes exactly N CPUID, N RDMSR and N OUT\n"
		"instructions and one HLT on each of K vCPUs (default: 1000 CPUID, no\n"
		"RDMSR, 1000 OUT, K=1), then print what userspace saw and KVM's own\n"
		"exit count for the VM.\n"
		"--msr-index X: the MSR of the RDMSR (default 0x1b, IA32_APIC_BASE).\n"
		"--wrmsr N: N WRMSR of MSR Y (--wrmsr-index, default 0x1a0,\n"
		"IA32_MISC_ENABLE), each writing back the value the MSR has.\n"
		"--in N: N IN from the port. --port P: the port (default 0x10f).\n"
		"--spread N: N more OUT, to ports P to P+K-1 in turn (--ports K).\n"
		"--ud N: N UD2 (#UD exceptions, which KVM intercepts).\n"
		"--hold FILE: after the run, keep the VM open, write its debugfs\n"
		"directory to FILE and wait until FILE is removed.\n");
}

static unsigned long parse_num(const char *opt, const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max) {
		fprintf(stderr, "kvm-exitgen: %s: '%s' is not a number from 0 to %lu\n",
			opt, s, max);
		exit(2);
	}
	return v;
}

/* A number in C notation (0x1a0, 416), up to max. */
static unsigned long parse_index(const char *opt, const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || v > max) {
		fprintf(stderr, "kvm-exitgen: %s: '%s' is not a number from 0 to 0x%lx\n",
			opt, s, max);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long cpuid = 1000, io = 1000, vcpus = 1, msr = 0;
	unsigned long msr_index = EXITGEN_RDMSR_INDEX, wrmsr = 0, wrmsr_index = 0x1a0;
	unsigned long in = 0, port = 0x10f, spread = 0, ports = 1, ud = 0;
	struct exitgen_params *p;
	struct exitgen_result res = { 0 };
	const char *hold = NULL;
	struct kes_vm *vm;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (i + 1 >= argc) {
			usage(stderr);
			return 2;
		}
		if (!strcmp(a, "--cpuid"))
			cpuid = parse_num(a, argv[++i], 0xffffffffUL);
		else if (!strcmp(a, "--msr"))
			msr = parse_num(a, argv[++i], 0xffffffffUL);
		else if (!strcmp(a, "--io"))
			io = parse_num(a, argv[++i], 0xffffffffUL);
		else if (!strcmp(a, "--vcpus"))
			vcpus = parse_num(a, argv[++i], KES_MAX_VCPUS);
		else if (!strcmp(a, "--hold"))
			hold = argv[++i];
		else if (!strcmp(a, "--msr-index"))
			msr_index = parse_index(a, argv[++i], 0xffffffffUL);
		else if (!strcmp(a, "--wrmsr"))
			wrmsr = parse_num(a, argv[++i], 0xffffffffUL);
		else if (!strcmp(a, "--wrmsr-index"))
			wrmsr_index = parse_index(a, argv[++i], 0xffffffffUL);
		else if (!strcmp(a, "--in"))
			in = parse_num(a, argv[++i], 0xffffffffUL);
		else if (!strcmp(a, "--port"))
			port = parse_index(a, argv[++i], 0xffff);
		else if (!strcmp(a, "--spread"))
			spread = parse_num(a, argv[++i], 0xffffffffUL);
		else if (!strcmp(a, "--ports"))
			ports = parse_num(a, argv[++i], 0xffff);
		else if (!strcmp(a, "--ud"))
			ud = parse_num(a, argv[++i], 0xffffffffUL);
		else {
			usage(stderr);
			return 2;
		}
	}
	if (!vcpus) {
		fprintf(stderr, "kvm-exitgen: --vcpus must be at least 1\n");
		return 2;
	}
	if (!ports || port + ports > 0x10000) {
		fprintf(stderr, "kvm-exitgen: --ports must be at least 1 and end at port 0xffff\n");
		return 2;
	}
	vm = exitgen_vm_create((int)vcpus);
	vm->msr_reads = (uint32_t)msr;
	vm->io_port = (uint16_t)port;
	vm->io_nports = (uint16_t)ports;
	p = exitgen_vm_params(vm);
	p->rdmsr_index = (uint32_t)msr_index;
	p->wrmsr = (uint32_t)wrmsr;
	p->wrmsr_index = (uint32_t)wrmsr_index;
	if (wrmsr)
		p->wrmsr_value = exitgen_vm_read_msr(vm, (uint32_t)wrmsr_index);
	p->in = (uint32_t)in;
	p->spread = (uint32_t)spread;
	p->nports = (uint16_t)ports;
	p->ud = (uint32_t)ud;
	exitgen_vm_round(vm, (uint32_t)cpuid, (uint32_t)io, &res);
	res.kvm_exits = kes_vm_kvm_exits(vm);
	if (hold) {
		char tmp[256];
		FILE *f;

		/* Written whole, then renamed: a waiter never reads half of it. */
		snprintf(tmp, sizeof(tmp), "%s.tmp", hold);
		f = fopen(tmp, "w");
		if (!f || fprintf(f, "%s\n", kes_vm_debugfs_dir(vm)) < 0 || fclose(f) ||
		    rename(tmp, hold)) {
			fprintf(stderr, "kvm-exitgen: cannot write %s: %s\n", hold, strerror(errno));
			return 1;
		}
		while (access(hold, F_OK) == 0)
			usleep(50000);
	}
	kes_vm_free(vm);
	printf("exitgen: vcpus=%d cpuid=%llu io=%llu hlt=%llu msr=%llu kvm_exits=%llu run_ns=%llu"
	       " wrmsr=%llu in=%llu ud=%llu\n",
	       res.vcpus, (unsigned long long)res.cpuid, (unsigned long long)res.io,
	       (unsigned long long)res.hlt, (unsigned long long)res.msr,
	       (unsigned long long)res.kvm_exits, (unsigned long long)res.run_ns,
	       (unsigned long long)wrmsr * res.vcpus, (unsigned long long)in * res.vcpus,
	       (unsigned long long)ud * res.vcpus);
	return 0;
}
