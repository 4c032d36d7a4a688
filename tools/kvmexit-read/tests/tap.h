/* SPDX-License-Identifier: GPL-2.0 */
/* A tiny TAP producer: one "ok"/"not ok" line per group of checks, failed
 * checks as "# " diagnostics, the plan at the end. */
#ifndef KX_TAP_H
#define KX_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count, tap_failed, tap_group_ok = 1;

/* inside a group: records a failed check without stopping */
#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			printf("#   %s:%d: check failed: %s\n", __FILE__,  \
			       __LINE__, #cond);                           \
			tap_group_ok = 0;                                  \
		}                                                          \
	} while (0)

/* a check with a message (printf format) shown when it fails */
#define CHECKF(cond, ...)                                                  \
	do {                                                               \
		if (!(cond)) {                                             \
			printf("#   %s:%d: check failed: %s: ", __FILE__,  \
			       __LINE__, #cond);                           \
			printf(__VA_ARGS__);                               \
			printf("\n");                                      \
			tap_group_ok = 0;                                  \
		}                                                          \
	} while (0)

/* ends a group: one TAP line for all checks since the previous one */
__attribute__((format(printf, 1, 2))) static void tap_group(const char *fmt,
							    ...)
{
	va_list ap;

	tap_count++;
	if (!tap_group_ok)
		tap_failed++;
	printf("%sok %d - ", tap_group_ok ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	tap_group_ok = 1;
}

static int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
