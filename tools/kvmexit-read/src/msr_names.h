/* SPDX-License-Identifier: GPL-2.0 */
/* MSR names for --msr: the table msr_names.c that gen-msr-names.py
 * generates from a kernel's arch/x86/include/asm/msr-index.h (names
 * without their "MSR_" prefix, sorted by index, one name per index). */
#ifndef KX_MSR_NAMES_H
#define KX_MSR_NAMES_H

#include <stddef.h>
#include <stdint.h>

struct kx_msr_name {
	uint32_t index;
	const char *name;
};

/* msr_names.c (generated) */
extern const struct kx_msr_name kx_msr_names[];
extern const size_t kx_msr_names_count;
/* of the msr-index.h it was generated from, in hex */
extern const char kx_msr_names_sha256[];

/* msr_lookup.c: the name of MSR index, or NULL if msr-index.h has none */
const char *kx_msr_name(uint32_t index);

#endif
