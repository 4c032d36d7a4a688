// SPDX-License-Identifier: GPL-2.0
#include "msr_names.h"

const char *kx_msr_name(uint32_t index)
{
	size_t lo = 0, hi = kx_msr_names_count;

	/* the table is sorted by index, one entry per index */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (kx_msr_names[mid].index == index)
			return kx_msr_names[mid].name;
		if (kx_msr_names[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
