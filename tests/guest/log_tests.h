/* SPDX-License-Identifier: GPL-2.0 */
/* In-guest tests of the periodic one-line log summary. */
#ifndef KES_LOG_TESTS_H
#define KES_LOG_TESTS_H

void test_log_interval(void);

#endif
