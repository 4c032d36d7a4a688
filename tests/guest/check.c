// SPDX-License-Identifier: GPL-2.0
#include "check.h"

#include <stdarg.h>
#include <string.h>

#include "kvm_vm.h"

int check_failed;

void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

const char *vendor(void)
{
	static char v[8];
	FILE *f;

	if (!v[0]) {
		f = fopen(KES_STATS_DIR "/vendor", "re");
		KES_ASSERT(f && fscanf(f, "%7s", v) == 1, "read vendor");
		fclose(f);
	}
	return v;
}

int is_vmx(void)
{
	return !strcmp(vendor(), "vmx");
}

/*
 * Besides CPUID, I/O and HLT, a run may see only exits the host causes:
 * nested-paging faults on first touch of guest memory and host interrupts.
 */
int reason_is_incidental(const char *name)
{
	static const char *const ok[] = {
		"EPT_VIOLATION", "EXTERNAL_INTERRUPT", "EXCEPTION_NMI",
		"npf", "interrupt", "nmi",
	};
	unsigned int i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(name, ok[i]))
			return 1;
	return 0;
}

/* Check a by_reason delta for a run of the generator. */
void check_generator_delta(const struct exit_stats *a, const struct exit_stats *b,
			   uint64_t cpuid, uint64_t io, uint64_t hlt)
{
	int i;

	CHECK(a->nr == b->nr, "by_reason changed its number of lines");
	for (i = 0; i < a->nr && i < b->nr; i++) {
		const char *name = b->r[i].name;
		uint64_t d = b->r[i].count - a->r[i].count;

		CHECK(b->r[i].count >= a->r[i].count, "%s went down", name);
		if (d)
			diag("delta %s %s %llu", b->r[i].code, name, (unsigned long long)d);
		if (!strcmp(name, R_CPUID))
			CHECK(d == cpuid, "%s delta %llu, expected %llu", name,
			      (unsigned long long)d, (unsigned long long)cpuid);
		else if (!strcmp(name, R_IO))
			CHECK(d == io, "%s delta %llu, expected %llu", name,
			      (unsigned long long)d, (unsigned long long)io);
		else if (!strcmp(name, R_HLT))
			CHECK(d == hlt, "%s delta %llu, expected %llu", name,
			      (unsigned long long)d, (unsigned long long)hlt);
		else
			CHECK(!d || reason_is_incidental(name),
			      "unexpected reason %s (+%llu)", name, (unsigned long long)d);
	}
}
