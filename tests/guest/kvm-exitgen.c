// SPDX-License-Identifier: GPL-2.0
/* kvm-exitgen: run the exit generator from the command line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitgen.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kvm-exitgen [--cpuid N] [--io N] [--vcpus K]\n"
		"Run a KVM guest that executes exactly N CPUID and N OUT instructions\n"
		"and one HLT on each of K vCPUs (default: N=1000, K=1), then print what\n"
		"userspace saw and KVM's own exit count for the VM.\n");
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
	unsigned long cpuid = 1000, io = 1000, vcpus = 1;
	struct exitgen_result res;
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
		else if (!strcmp(a, "--io"))
			io = parse_num(a, argv[++i], 0xffffffffUL);
		else if (!strcmp(a, "--vcpus"))
			vcpus = parse_num(a, argv[++i], KES_MAX_VCPUS);
		else {
			usage(stderr);
			return 2;
		}
	}
	if (!vcpus) {
		fprintf(stderr, "kvm-exitgen: --vcpus must be at least 1\n");
		return 2;
	}
	exitgen_run((int)vcpus, (uint32_t)cpuid, (uint32_t)io, &res);
	printf("exitgen: vcpus=%d cpuid=%llu io=%llu hlt=%llu kvm_exits=%llu run_ns=%llu\n",
	       res.vcpus, (unsigned long long)res.cpuid, (unsigned long long)res.io,
	       (unsigned long long)res.hlt, (unsigned long long)res.kvm_exits,
	       (unsigned long long)res.run_ns);
	return 0;
}
