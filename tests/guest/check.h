/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the in-guest tests share: CHECK (an assertion that lets the test go
 * on), diagnostics, the vendor's names of the generator's exit reasons and
 * the check of a by_reason delta after a generator run.
 */
#ifndef KES_CHECK_H
#define KES_CHECK_H

#include <stdint.h>
#include <stdio.h>

#include "exit_stats.h"

extern int check_failed;

/* Like KES_ASSERT, but lets the test go on and report everything wrong. */
#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			printf("# FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);				\
			printf("\n");					\
			check_failed = 1;				\
		}							\
	} while (0)

void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "vmx" or "svm", from kvm_exits/vendor. */
const char *vendor(void);
int is_vmx(void);

/* Names of the reasons the generator causes, per vendor. */
#define R_CPUID	(is_vmx() ? "CPUID" : "cpuid")
#define R_IO	(is_vmx() ? "IO_INSTRUCTION" : "io")
#define R_HLT	(is_vmx() ? "HLT" : "hlt")

/* Exits the host causes on its own: nested-paging faults, interrupts. */
int reason_is_incidental(const char *name);

/* Check a by_reason delta b - a for a run of the generator. */
void check_generator_delta(const struct exit_stats *a, const struct exit_stats *b,
			   uint64_t cpuid, uint64_t io, uint64_t hlt);

#endif
