/* SPDX-License-Identifier: GPL-2.0 */
/* In-guest tests of the sub-reason files (by_msr, by_io_port, by_exception). */
#ifndef KES_DETAIL_TESTS_H
#define KES_DETAIL_TESTS_H

void test_detail(void);
void test_userspace_exits(void);

#endif
