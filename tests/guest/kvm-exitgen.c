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
		"Run a KVM guest that executes exactly N CPUID, N RDMSR and N OUT\n"
		"instructions and one HLT on each of K vCPUs (default: 1000 CPUID, no\n"
		"RDMSR, 1000 OUT, K=1), then print what userspace saw and KVM's own\n"
		"exit count for the VM.\n"
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

int main(int argc, char **argv)
{
	unsigned long cpuid = 1000, io = 1000, vcpus = 1, msr = 0;
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
		else {
			usage(stderr);
			return 2;
		}
	}
	if (!vcpus) {
		fprintf(stderr, "kvm-exitgen: --vcpus must be at least 1\n");
		return 2;
	}
	vm = exitgen_vm_create((int)vcpus);
	vm->msr_reads = (uint32_t)msr;
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
	printf("exitgen: vcpus=%d cpuid=%llu io=%llu hlt=%llu msr=%llu kvm_exits=%llu run_ns=%llu\n",
	       res.vcpus, (unsigned long long)res.cpuid, (unsigned long long)res.io,
	       (unsigned long long)res.hlt, (unsigned long long)res.msr,
	       (unsigned long long)res.kvm_exits, (unsigned long long)res.run_ns);
	return 0;
}
