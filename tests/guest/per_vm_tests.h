/* SPDX-License-Identifier: GPL-2.0 */
/* In-guest tests of the per-VM / per-vCPU counters and handling times. */
#ifndef KES_PER_VM_TESTS_H
#define KES_PER_VM_TESTS_H

void test_per_vm_memory(void);
void test_per_vm(void);
void test_time_stats(void);

#endif
