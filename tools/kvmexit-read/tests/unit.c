// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the parsers, diff, renderers and helpers: they call the
 * in-memory functions directly. Output: TAP. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "counters.h"
#include "diff.h"
#include "err.h"
#include "fileio.h"
#include "jsonl.h"
#include "linereader.h"
#include "marks.h"
#include "output.h"
#include "parse.h"
#include "probe.h"
#include "recording.h"
#include "snapshot.h"
#include "tap.h"
#include "timeline.h"
#include "vm.h"

static struct kx_counters C;
static struct kx_snapshot SA, SB;
static struct kx_diff D;
static struct kx_err E;

static const char EXAMPLE[] =
	"# code name count\n"
	"0x0000 EXCEPTION_NMI 0\n"
	"0x0001 EXTERNAL_INTERRUPT 17\n"
	"0x000a CPUID 1000\n"
	"0x000c HLT 1\n"
	"0x001e IO_INSTRUCTION 1000\n"
	"0x0030 EPT_VIOLATION 1\n"
	"-      other 0\n";

static int parse_br(const char *s)
{
	memset(&E, 0, sizeof(E));
	return kx_parse_by_reason(s, strlen(s), "f", &C, &E);
}

/* parse must fail with KX_EXIT_BADINPUT and a message containing want */
static void expect_br_error(const char *in, size_t len, const char *want)
{
	int r;

	memset(&E, 0, sizeof(E));
	r = kx_parse_by_reason(in, len, "f", &C, &E);
	CHECKF(r == KX_EXIT_BADINPUT && strstr(E.msg, want),
	       "want '%s', got r=%d '%s'", want, r, E.msg);
}

static void test_by_reason_ok(void)
{
	CHECK(parse_br(EXAMPLE) == 0);
	CHECK(C.n == 7);
	CHECK(C.sum == 2019);
	CHECK(C.r[2].code == 0xa && !strcmp(C.r[2].name, "CPUID") &&
	      C.r[2].count == 1000 && C.r[2].lineno == 4);
	CHECK(C.r[6].is_other && !strcmp(C.r[6].name, "other"));
	tap_group("by_reason: the documented example parses to exact values");

	/* no header, aligned columns, leading spaces, svm's 0xffffffff */
	CHECK(parse_br("0x0072 cpuid    0\n  0xffffffff invalid_guest_state 1\n"
		       "-     other    18446744073709551614\n") == 0);
	CHECK(C.n == 3 && C.r[1].code == 0xffffffffu &&
	      C.r[2].count == UINT64_MAX - 1 && C.sum == UINT64_MAX);
	CHECK(parse_br("0x0000000000000001 A 0\n0X0002 B 0\n- other 0\n") ==
	      KX_EXIT_BADINPUT); /* 0X is not 0x */
	CHECK(parse_br("- other 0\n") == 0 && C.n == 1);
	tap_group("by_reason: no header, alignment, u64 max sum, long codes");
}

static void test_by_reason_errors(void)
{
	char big[KX_LINE_MAX + 64], *many;
	size_t i, o = 0;

	expect_br_error("", 0, "f:1: empty file");
	expect_br_error("0x0001 A 1\n- other 0", 20,
			"f:2: last line has no newline");
	expect_br_error("0x0001 A\0 1\n- other 0\n", 22, "f:1: NUL byte in "
							 "column 9");
	expect_br_error("0x0001 A 1a\n- other 0\n", 22,
			"f:1: count '1a' is not an unsigned decimal number");
	expect_br_error("0x0001 A -1\n- other 0\n", 22, "f:1: count '-1'");
	expect_br_error("0x0001 A +1\n- other 0\n", 22, "f:1: count '+1'");
	expect_br_error("0x0001 A 18446744073709551616\n- other 0\n", 40,
			"f:1: count '18446744073709551616' does not fit in 64 "
			"bits");
	expect_br_error("0x0001 A 18446744073709551615\n0x0002 B 1\n- other 0\n",
			51, "f:2: sum of the counts overflows 64 bits");
	expect_br_error("0x01 A 1\n- other 0\n", 19, "f:1: bad code '0x01'");
	expect_br_error("1 A 1\n- other 0\n", 16, "f:1: bad code '1'");
	expect_br_error("0x00g1 A 1\n- other 0\n", 21, "f:1: bad code '0x00g1'");
	expect_br_error("0x00000000000000001 A 1\n- other 0\n", 34,
			"f:1: bad code");
	expect_br_error("0x0001 A 1\n0x0001 B 1\n- other 0\n", 32,
			"f:2: duplicate code 0x0001 (first on line 1)");
	expect_br_error("0x0001 A 1\n", 11,
			"f:2: end of file without the 'other' line");
	expect_br_error("# header\n", 9,
			"f:2: end of file without the 'other' line");
	expect_br_error("- other 0\n0x0001 A 1\n", 21,
			"f:2: line after the 'other' line (which must be the "
			"last one, line 1)");
	expect_br_error("0x0001 A\n- other 0\n", 19,
			"f:1: expected 3 fields '<code> <name> <count>', got 2");
	expect_br_error("0x0001 A 1 2 3 4 5 6 7 8\n- other 0\n", 35,
			"got more than 8");
	expect_br_error("\n- other 0\n", 11, "f:1: expected 3 fields");
	expect_br_error("0x0001 A 1\n# late\n- other 0\n", 28,
			"f:2: '#' line is only allowed as the first line");
	expect_br_error("0x0001 other 1\n- other 0\n", 25,
			"f:1: the 'other' line must have code '-'");
	expect_br_error("- A 1\n- other 0\n", 16,
			"f:1: code '-' is only for the 'other' line");
	expect_br_error("0x0001 A\t 1\n- other 0\n", 22,
			"f:1: bad reason name 'A\\x09'");
	expect_br_error("0x0001 A 1\r\n- other 0\n", 22,
			"f:1: count '1\\x0d' is not");
	expect_br_error("0x0001 \xc3\xa9 1\n- other 0\n", 23,
			"f:1: bad reason name '\\xc3\\xa9'");

	memset(big, 'N', sizeof(big));
	memcpy(big, "0x0001 ", 7);
	big[KX_LINE_MAX + 1] = '\n';
	expect_br_error(big, KX_LINE_MAX + 2, "f:1: line too long (more than "
					      "255 bytes)");
	/* exactly KX_LINE_MAX is fine as far as length goes */
	memcpy(big + KX_LINE_MAX - 2, " 1\n- other 0\n", 12);
	memset(&E, 0, sizeof(E));
	CHECKF(kx_parse_by_reason(big, KX_LINE_MAX + 11, "f", &C, &E) ==
			       KX_EXIT_BADINPUT &&
		       strstr(E.msg, "bad reason name"),
	       "%s", E.msg); /* name too long for KX_NAME_MAX instead */

	many = malloc(KX_MAX_REASONS * 16 + 32);
	for (i = 0; i <= KX_MAX_REASONS; i++)
		o += (size_t)sprintf(many + o, "0x%04zx R 1\n", i);
	o += (size_t)sprintf(many + o, "- other 0\n");
	expect_br_error(many, o, "f:513: too many reasons (more than 512)");
	free(many);
	tap_group("by_reason: each kind of malformed input is refused with "
		  "file, line and reason");
}

static void test_vendor_total(void)
{
	memset(&C, 0, sizeof(C));
	CHECK(kx_parse_vendor("vmx\n", 4, "v", &C, &E) == 0 &&
	      !strcmp(C.vendor, "vmx"));
	CHECK(kx_parse_vendor("svm", 3, "v", &C, &E) == 0 &&
	      !strcmp(C.vendor, "svm"));
	CHECK(kx_parse_vendor("arm\n", 4, "v", &C, &E) == KX_EXIT_BADINPUT &&
	      !strcmp(E.msg, "v:1: unknown vendor 'arm' (expected vmx or svm)"));
	CHECK(kx_parse_vendor("vmx\nsvm\n", 8, "v", &C, &E) ==
		      KX_EXIT_BADINPUT &&
	      strstr(E.msg, "v:2: unexpected extra line"));
	CHECK(kx_parse_vendor("", 0, "v", &C, &E) == KX_EXIT_BADINPUT &&
	      strstr(E.msg, "v:1: empty file"));
	CHECK(kx_parse_vendor("vm\0", 3, "v", &C, &E) == KX_EXIT_BADINPUT &&
	      strstr(E.msg, "NUL"));
	CHECK(kx_parse_total("2020\n", 5, "t", &C, &E) == 0 &&
	      C.total_file == 2020);
	CHECK(kx_parse_total("18446744073709551615", 20, "t", &C, &E) == 0 &&
	      C.total_file == UINT64_MAX);
	CHECK(kx_parse_total("18446744073709551616\n", 21, "t", &C, &E) ==
		      KX_EXIT_BADINPUT &&
	      strstr(E.msg, "t:1: total does not fit in 64 bits"));
	CHECK(kx_parse_total(" 12\n", 4, "t", &C, &E) == KX_EXIT_BADINPUT &&
	      strstr(E.msg, "not an unsigned decimal number ' 12'"));
	CHECK(kx_parse_total("\n", 1, "t", &C, &E) == KX_EXIT_BADINPUT);
	tap_group("vendor and total files: valid and invalid content");
}

static void make_snapshot(struct kx_snapshot *s, const char *br,
			  uint64_t boot_sec)
{
	kx_snapshot_release(s);
	memset(s, 0, sizeof(*s));
	CHECK(kx_parse_by_reason(br, strlen(br), "f", &s->c, &E) == 0);
	strcpy(s->c.vendor, "vmx");
	s->c.total_file = s->c.sum + 1;
	s->wall.sec = 1732500000 + boot_sec;
	s->wall.nsec = 5;
	s->boot.sec = boot_sec;
	s->boot.nsec = 250000000;
	strcpy(s->boot_id, "2b2bd94e-4c3f-4bb7-a2a1-1f0bd0a3c6e5");
	strcpy(s->kernel, "6.12.0-kes");
}

static const char SNAP_TEXT[] =
	"kvmexit-read-snapshot 1\n"
	"wall_time 1732501000.000000005\n"
	"boottime 1000.250000000\n"
	"boot_id 2b2bd94e-4c3f-4bb7-a2a1-1f0bd0a3c6e5\n"
	"kernel 6.12.0-kes\n"
	"vendor vmx\n"
	"total 2020\n"
	"reason 0x0000 EXCEPTION_NMI 0\n"
	"reason 0x0001 EXTERNAL_INTERRUPT 17\n"
	"reason 0x000a CPUID 1000\n"
	"reason 0x000c HLT 1\n"
	"reason 0x001e IO_INSTRUCTION 1000\n"
	"reason 0x0030 EPT_VIOLATION 1\n"
	"reason - other 0\n"
	"sum 2019\n"
	"end\n";

static void test_snapshot_roundtrip(void)
{
	struct kx_buf b;

	make_snapshot(&SA, EXAMPLE, 1000);
	kx_buf_init(&b);
	kx_snapshot_format(&SA, &b);
	CHECKF(b.p && !strcmp(b.p, SNAP_TEXT), "got:\n%s", b.p);
	CHECK(kx_snapshot_parse(b.p, b.len, "s", &SB, &E) == 0);
	CHECK(!memcmp(&SA.wall, &SB.wall, sizeof(SA.wall)) &&
	      !memcmp(&SA.boot, &SB.boot, sizeof(SA.boot)));
	CHECK(!strcmp(SA.boot_id, SB.boot_id) && !strcmp(SA.kernel, SB.kernel));
	CHECK(!strcmp(SB.c.vendor, "vmx") && SB.c.total_file == 2020 &&
	      SB.c.sum == 2019 && SB.c.n == 7);
	CHECK(SB.c.r[4].code == 0x1e && SB.c.r[4].count == 1000 &&
	      SB.c.r[6].is_other);
	/* comments are allowed after the version line */
	kx_buf_reset(&b);
	kx_buf_puts(&b, "kvmexit-read-snapshot 1\n# note\n");
	kx_buf_puts(&b, SNAP_TEXT + strlen("kvmexit-read-snapshot 1\n"));
	CHECK(kx_snapshot_parse(b.p, b.len, "s", &SB, &E) == 0);
	kx_buf_free(&b);
	tap_group("snapshot: exact text and lossless round trip");
}

static void expect_snap_error(const char *text, const char *want)
{
	int r = kx_snapshot_parse(text, strlen(text), "s", &SB, &E);

	CHECKF(r == KX_EXIT_BADINPUT && strstr(E.msg, want),
	       "want '%s', got r=%d '%s'", want, r, E.msg);
}

/* src with the first occurrence of old replaced by new */
static char *edit_in(const char *src, const char *old, const char *new)
{
	static char out[2][4096];
	static int which;
	const char *p = strstr(src, old);
	size_t pre;

	if (!p)
		abort();
	which = !which;
	pre = (size_t)(p - src);
	snprintf(out[which], sizeof(out[which]), "%.*s%s%s", (int)pre, src,
		 new, p + strlen(old));
	return out[which];
}

static char *edit(const char *old, const char *new)
{
	return edit_in(SNAP_TEXT, old, new);
}

static void test_snapshot_errors(void)
{
	expect_snap_error("", "s:1: empty file, not a kvmexit-read snapshot");
	expect_snap_error(EXAMPLE, "s:1: not a kvmexit-read snapshot");
	expect_snap_error(edit("snapshot 1", "snapshot 3"),
			  "s:1: unsupported snapshot format version '3' (this "
			  "kvmexit-read reads versions 1 and 2)");
	/* version 2 is a VM's snapshot: it must name the VM */
	expect_snap_error(edit("snapshot 1", "snapshot 2"),
			  "end of file: no 'scope' line in a version 2 snapshot");
	expect_snap_error(edit("vendor vmx\n", "vendor vmx\nscope 12-7\n"),
			  "'scope' line in a version 1 snapshot");
	expect_snap_error(edit("snapshot 1", "snapshot 99999999999999999999"),
			  "unsupported snapshot format version");
	expect_snap_error(edit("end\n", ""),
			  "s:16: end of file without the 'end' line (file "
			  "truncated?)");
	expect_snap_error(edit("end\n", "end\nend\n"),
			  "s:17: data after the 'end' line (line 16)");
	expect_snap_error(edit("sum 2019\nend\n", "end\n"),
			  "s:15: 'end' without a 'sum' line");
	expect_snap_error(edit("sum 2019", "sum 2018"),
			  "s:15: sum 2018 does not match the reason counts, "
			  "which add up to 2019");
	expect_snap_error(edit("CPUID 1000", "CPUID 1001"),
			  "s:15: sum 2019 does not match");
	expect_snap_error(edit("vendor vmx\n", ""), "end of file: no 'vendor' "
						    "line");
	expect_snap_error(edit("vendor vmx\n", "vendor vmx\nvendor svm\n"),
			  "s:7: duplicate 'vendor' line (first on line 6)");
	expect_snap_error(edit("vendor vmx", "vendor arm"),
			  "s:6: unknown vendor 'arm'");
	expect_snap_error(edit("boot_id 2b2bd94e", "boot_id 2b2bd94X"),
			  "s:4: bad boot_id");
	expect_snap_error(edit("boottime 1000.250000000", "boottime 1000.25"),
			  "s:3: bad boottime '1000.25'");
	expect_snap_error(edit("wall_time 1732501000.000000005",
			       "wall_time -1.000000000"),
			  "s:2: bad wall_time");
	expect_snap_error(edit("kernel 6.12.0-kes", "kernel a b"),
			  "s:5: expected 'kernel VALUE'");
	expect_snap_error(edit("total 2020", "total 1x"), "s:7: total '1x'");
	expect_snap_error(edit("reason - other 0\n",
			       "reason - other 0\ntotal 1\n"),
			  "s:15: duplicate 'total' line (first on line 7)");
	expect_snap_error(edit_in(edit("total 2020\n", ""), "reason - other 0\n",
				  "reason - other 0\ntotal 1\n"),
			  "s:14: 'total' after the reason lines");
	expect_snap_error(edit("reason - other 0\n",
			       "reason - other 0\nreason 0x0100 X 1\n"),
			  "s:15: line after the 'other' line");
	expect_snap_error(edit("sum 2019\n", "sum 2019\nreason - other 0\n"),
			  "s:16: reason line after the 'sum' line");
	expect_snap_error(edit("reason - other 0\n", ""),
			  "s:14: 'sum' line before the 'other' reason line");
	expect_snap_error(edit("reason 0x000c HLT 1", "reason 0x000c HLT"),
			  "s:11: expected 'reason <code> <name> <count>'");
	expect_snap_error(edit("reason 0x000c", "reason 0x000a"),
			  "s:11: duplicate code 0x000a (first on line 10)");
	expect_snap_error(edit("kernel", "colonel"), "s:5: unknown key "
						     "'colonel'");
	expect_snap_error(edit("kernel 6.12.0-kes",
			       "kernel 6.12.0-kes-0123456789012345678901234567"
			       "89012345678901234567890123456789"),
			  "s:5: bad kernel release");
	expect_snap_error(edit("kernel 6.12.0-kes", "kernel 6.12\x7f"),
			  "s:5: bad kernel release '6.12\\x7f'");
	tap_group("snapshot: each kind of malformed file is refused with file "
		  "and line");
}

static void test_snapshot_truncation_and_corruption(void)
{
	size_t len = strlen(SNAP_TEXT), i, bad_prefix = 0, bad_digit = 0;
	size_t digits = 0;
	char copy[sizeof(SNAP_TEXT)];

	/* every proper prefix is refused, never accepted as a snapshot */
	for (i = 0; i < len; i++)
		if (kx_snapshot_parse(SNAP_TEXT, i, "s", &SB, &E) !=
		    KX_EXIT_BADINPUT)
			bad_prefix++;
	CHECKF(bad_prefix == 0, "%zu prefixes accepted", bad_prefix);
	/* changing any digit of a reason count is caught by the sum line */
	for (i = 0; i < len; i++) {
		const char *line = SNAP_TEXT + i;

		while (line > SNAP_TEXT && line[-1] != '\n')
			line--;
		if (strncmp(line, "reason ", 7) || SNAP_TEXT[i] < '0' ||
		    SNAP_TEXT[i] > '9' || !strchr(SNAP_TEXT + i, '\n') ||
		    strchr(SNAP_TEXT + i, ' ') < strchr(SNAP_TEXT + i, '\n'))
			continue;
		digits++;
		memcpy(copy, SNAP_TEXT, sizeof(copy));
		copy[i] = copy[i] == '9' ? '8' : (char)(copy[i] + 1);
		if (kx_snapshot_parse(copy, len, "s", &SB, &E) !=
		    KX_EXIT_BADINPUT)
			bad_digit++;
	}
	CHECK(digits == 14);
	CHECKF(bad_digit == 0, "%zu corrupted counts accepted", bad_digit);
	tap_group("snapshot: all %zu truncations and all %zu one-digit count "
		  "corruptions are refused",
		  len, digits);
}

static const char LATER[] =
	"0x0000 EXCEPTION_NMI 0\n"
	"0x0001 EXTERNAL_INTERRUPT 20\n"
	"0x000a CPUID 1500\n"
	"0x000c HLT 1\n"
	"0x001e IO_INSTRUCTION 2500\n"
	"0x0030 EPT_VIOLATION 1\n"
	"- other 0\n";

static void test_diff(void)
{
	size_t idx[KX_MAX_REASONS], n;
	double rate = 0;

	make_snapshot(&SA, EXAMPLE, 1000);
	make_snapshot(&SB, LATER, 1010);
	CHECK(kx_diff(&SA, &SB, "a", "b", 0, &D, &E) == 0);
	CHECK(D.problems == 0 && D.total == 2003 && D.n == 7);
	CHECK(D.seconds_valid && D.seconds > 9.999999 && D.seconds < 10.000001);
	CHECK(kx_diff_rate(&D, D.total, &rate) && rate > 200.29 &&
	      rate < 200.31);
	n = kx_diff_sorted(&D, idx);
	CHECK(n == 3 && D.d[idx[0]].code == 0x1e && D.d[idx[0]].delta == 1500 &&
	      D.d[idx[1]].code == 0xa && D.d[idx[1]].delta == 500 &&
	      D.d[idx[2]].code == 0x1 && D.d[idx[2]].delta == 3);
	/* same snapshot: zero interval, no rate */
	CHECK(kx_diff(&SA, &SA, "a", "a", 0, &D, &E) == 0 && D.total == 0 &&
	      !kx_diff_rate(&D, 0, &rate));
	tap_group("diff: exact deltas, interval, rate and order");
}

static void expect_refused(unsigned problem, const char *want)
{
	int r = kx_diff(&SA, &SB, "a", "b", 0, &D, &E);

	CHECKF(r == KX_EXIT_REFUSED && D.problems == problem &&
		       strstr(E.msg, want) && strstr(E.msg, "use --force"),
	       "problem %u: got r=%d problems=%u '%s'", problem, r, D.problems,
	       E.msg);
	/* with --force it goes through and says what it forced */
	CHECK(kx_diff(&SA, &SB, "a", "b", 1, &D, &E) == 0 &&
	      D.problems == problem);
}

static void test_diff_refusals(void)
{
	size_t idx[KX_MAX_REASONS];

	make_snapshot(&SA, EXAMPLE, 1000);
	make_snapshot(&SB, LATER, 1010);
	strcpy(SB.c.vendor, "svm");
	expect_refused(KX_P_VENDOR, "different vendors (vmx vs svm)");
	make_snapshot(&SB, LATER, 1010);
	strcpy(SB.kernel, "6.1.0");
	expect_refused(KX_P_KERNEL, "different kernels (6.12.0-kes vs 6.1.0)");
	make_snapshot(&SB, LATER, 5);
	SB.boot_id[0] = 'f';
	expect_refused(KX_P_BOOT, "different or unknown boots");
	/* the interval comes from wall_time, which went backwards here */
	CHECK(D.wall_clock && !D.seconds_valid);
	make_snapshot(&SA, EXAMPLE, 1000);
	make_snapshot(&SB, LATER, 1010);
	strcpy(SA.boot_id, "unknown");
	strcpy(SB.boot_id, "unknown");
	expect_refused(KX_P_BOOT, "unknown");
	make_snapshot(&SA, EXAMPLE, 1000);
	make_snapshot(&SB, LATER, 900);
	expect_refused(KX_P_ORDER, "taken 100.000 s before the first");
	CHECK(!D.seconds_valid);
	make_snapshot(&SA, LATER, 1000);
	make_snapshot(&SB, EXAMPLE, 1010);
	expect_refused(KX_P_DECREASE, "3 counter(s) went down");
	/* forced: a counter that went down counts from 0 */
	CHECK(kx_diff_sorted(&D, idx) == 3 && D.total == 2017 &&
	      D.d[idx[0]].code == 0xa && D.d[idx[0]].delta == 1000 &&
	      D.d[idx[0]].reset && D.d[idx[2]].code == 0x1 &&
	      D.d[idx[2]].delta == 17 && D.d[idx[2]].reset);
	make_snapshot(&SB, "0x0001 EXTERNAL_INTERRUPT 30\n0x0099 NEW 5\n"
			   "- other 0\n", 1010);
	make_snapshot(&SA, LATER, 1000);
	expect_refused(KX_P_TABLE, "different reason tables: 1 reason(s) only "
				   "in the second (0x0099 NEW), 5 reason(s) "
				   "only in the first (0x0000 EXCEPTION_NMI, "
				   "0x000a CPUID, 0x000c HLT, 0x001e "
				   "IO_INSTRUCTION, 0x0030 EPT_VIOLATION)\n");
	CHECK(D.total == 15 && D.d[1].delta == 5 && D.d[1].is_new &&
	      !D.d[0].is_new && D.only_in_a == 5 && D.only_in_b == 1);
	tap_group("diff: refuses vendor, kernel, boot, order, decrease and "
		  "table mismatches; --force computes them");
}

static void test_table(void)
{
	static const char want[] =
		"CODE    REASON              COUNT    SHARE\n"
		"0x000a  CPUID               1,000   49.53%\n"
		"0x001e  IO_INSTRUCTION      1,000   49.53%\n"
		"0x0001  EXTERNAL_INTERRUPT     17    0.84%\n"
		"0x000c  HLT                     1    0.05%\n"
		"0x0030  EPT_VIOLATION           1    0.05%\n"
		"        total               2,019  100.00%\n";
	static const char want_diff[] =
		"x: 10.000 s, 2,003 exits, 200.30 exits/s\n"
		"CODE    REASON              DELTA    SHARE  RATE/s\n"
		"0x001e  IO_INSTRUCTION      1,500   74.89%  150.00\n"
		"0x000a  CPUID                 500   24.96%   50.00\n"
		"0x0001  EXTERNAL_INTERRUPT      3    0.15%    0.30\n"
		"        total               2,003  100.00%  200.30\n";
	struct kx_buf b;

	kx_buf_init(&b);
	CHECK(parse_br(EXAMPLE) == 0);
	kx_table_counters(&C, &b);
	CHECKF(b.p && !strcmp(b.p, want), "got:\n%s", b.p);
	make_snapshot(&SA, EXAMPLE, 1000);
	make_snapshot(&SB, LATER, 1010);
	CHECK(kx_diff(&SA, &SB, "a", "b", 0, &D, &E) == 0);
	kx_buf_reset(&b);
	kx_table_diff(&D, "x", &b);
	CHECKF(b.p && !strcmp(b.p, want_diff), "got:\n%s", b.p);
	kx_buf_reset(&b);
	kx_watch_line(&D, 1.5, &b);
	CHECKF(b.p && !strcmp(b.p, "    1.500        2,003      200.30  "
				   "IO_INSTRUCTION 1,500, CPUID 500, "
				   "EXTERNAL_INTERRUPT 3\n"),
	       "got '%s'", b.p);
	kx_buf_free(&b);
	{
		char g[64];

		kx_fmt_count(g, sizeof(g), 0);
		CHECK(!strcmp(g, "0"));
		kx_fmt_count(g, sizeof(g), 999);
		CHECK(!strcmp(g, "999"));
		kx_fmt_count(g, sizeof(g), 1000);
		CHECK(!strcmp(g, "1,000"));
		kx_fmt_count(g, sizeof(g), UINT64_MAX);
		CHECK(!strcmp(g, "18,446,744,073,709,551,615"));
		kx_fmt_rate(g, sizeof(g), 1234567.891);
		CHECKF(!strcmp(g, "1,234,567.89"), "%s", g);
		kx_fmt_rate(g, sizeof(g), 0.5);
		CHECK(!strcmp(g, "0.50"));
	}
	tap_group("text: exact counters table, diff table and watch line, "
		  "thousands grouped, rates with 2 decimals");
}

static void test_json_prom(void)
{
	struct kx_buf b;

	kx_buf_init(&b);
	kx_json_str(&b, "a\"b\\c\n\x01\xff");
	CHECKF(!strcmp(b.p, "\"a\\\"b\\\\c\\n\\u0001\\u00ff\""), "%s", b.p);
	kx_buf_reset(&b);
	kx_prom_label_value(&b, "a\"b\\c\nd");
	CHECKF(!strcmp(b.p, "\"a\\\"b\\\\c\\nd\""), "%s", b.p);
	kx_buf_reset(&b);
	make_snapshot(&SA, "0x000a CPUID 3\n- other 1\n", 1000);
	kx_prom_counters(&SA, &b);
	CHECKF(!strcmp(b.p,
		       "# HELP kvm_exits_total KVM VM exits since boot or the "
		       "last reset (sum of kvm_exits/by_reason).\n"
		       "# TYPE kvm_exits_total counter\n"
		       "kvm_exits_total{vendor=\"vmx\"} 4\n"
		       "# HELP kvm_exits_by_reason_total KVM VM exits by exit "
		       "reason since boot or the last reset.\n"
		       "# TYPE kvm_exits_by_reason_total counter\n"
		       "kvm_exits_by_reason_total{reason=\"CPUID\",code="
		       "\"0x000a\",vendor=\"vmx\"} 3\n"
		       "kvm_exits_by_reason_total{reason=\"other\",code=\"-\","
		       "vendor=\"vmx\"} 1\n"),
	       "got:\n%s", b.p);
	kx_buf_reset(&b);
	kx_json_counters(&SA, "/r", &b);
	CHECKF(!strcmp(b.p,
		       "{\"type\":\"counters\",\"format\":1,\"source\":\"/r\","
		       "\"vendor\":\"vmx\",\"kernel\":\"6.12.0-kes\","
		       "\"boot_id\":\"2b2bd94e-4c3f-4bb7-a2a1-1f0bd0a3c6e5\","
		       "\"wall_time\":1732501000.000000005,\"boottime\":"
		       "1000.250000000,\"total\":4,\"total_file\":5,"
		       "\"reasons\":[{\"code\":\"0x000a\",\"name\":\"CPUID\","
		       "\"count\":3},{\"code\":null,\"name\":\"other\","
		       "\"count\":1}]}\n"),
	       "got:\n%s", b.p);
	kx_buf_free(&b);
	tap_group("json and prometheus: exact output and escaping");
}

static void test_json_indent(void)
{
	static const char in[] = "{\"a\":[1,{}],\"b\":\"x,{\\\"]:\",\"c\":[]}\n"
				 "{\"d\":1}\n";
	static const char want[] = "{\n  \"a\": [\n    1,\n    {}\n  ],\n"
				   "  \"b\": \"x,{\\\"]:\",\n  \"c\": []\n}\n"
				   "{\n  \"d\": 1\n}\n";
	struct kx_buf b;

	kx_buf_init(&b);
	kx_buf_puts(&b, in);
	kx_json_indent(&b);
	CHECKF(b.p && !strcmp(b.p, want), "got:\n%s", b.p);
	kx_buf_free(&b);
	tap_group("--pretty: JSON indented by two spaces, strings untouched");
}

static void test_seconds(void)
{
	static const char *const good[] = { "1", "0.5", "0.01", "2.000000001",
					    "86400", ".5", "10." };
	static const char *const bad[] = { "", "0", "0.0", "0.009", "-1",
					   "1e3", "inf", "nan", "1.0000000001",
					   "86400.1", "86401", "1 ", " 1",
					   "0x10", "1,5", "." };
	struct kx_time t;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(*good); i++)
		CHECKF(!strcmp(good[i], "10.") ?
			       kx_parse_seconds(good[i], &t) != 0 :
			       kx_parse_seconds(good[i], &t) == 0,
		       "'%s'", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		CHECKF(kx_parse_seconds(bad[i], &t) != 0, "'%s'", bad[i]);
	CHECK(kx_parse_seconds("0.5", &t) == 0 && t.sec == 0 &&
	      t.nsec == 500000000);
	CHECK(kx_parse_seconds("2.000000001", &t) == 0 && t.sec == 2 &&
	      t.nsec == 1);
	tap_group("--watch SECONDS: fractions accepted, junk and extremes "
		  "refused");
}

static int cli(const char *line, struct kx_opts *o)
{
	static char buf[512];
	char *argv[32];
	int argc = 0;
	char *tok;

	snprintf(buf, sizeof(buf), "kvmexit-read %s", line);
	for (tok = strtok(buf, " "); tok && argc < 31; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	memset(&E, 0, sizeof(E));
	return kx_cli_parse(argc, argv, NULL, o, &E);
}

static void test_cli(void)
{
	static const char *const usage[] = {
		"--save a --diff b", "--json --prometheus", "--diff a --prometheus",
		"--force", "--count 3", "--watch 0", "--watch 1 --count 0",
		"--watch 1 --count x", "--save", "--bogus", "-x", "stray",
		"--", "--json=1", "--reset --reset", "--save - --json",
		"--save a --output b", "--watch 1 --output f", "--root=",
		"--diff - -",
	};
	struct kx_opts o;
	char prog[] = "kvmexit-read";
	char *argv[] = { prog, NULL };
	size_t i;

	for (i = 0; i < sizeof(usage) / sizeof(*usage); i++)
		CHECKF(cli(usage[i], &o) == KX_EXIT_USAGE, "'%s' -> '%s'",
		       usage[i], E.msg);
	CHECK(cli("", &o) == 0 && o.mode == KX_MODE_READ &&
	      !strcmp(o.root, KX_DEFAULT_ROOT) && o.root_is_default);
	CHECK(cli("--diff a b --json", &o) == 0 && o.mode == KX_MODE_DIFF &&
	      !strcmp(o.diff_a, "a") && !strcmp(o.diff_b, "b") &&
	      o.fmt == KX_FMT_JSON);
	CHECK(cli("--diff a --force", &o) == 0 && !o.diff_b && o.force);
	CHECK(cli("--reset --force", &o) == 0 && o.mode == KX_MODE_RESET &&
	      o.force);
	CHECK(cli("--diff=a -", &o) == 0 && !strcmp(o.diff_b, "-"));
	CHECK(cli("--watch=0.5 --count=3", &o) == 0 && o.interval.sec == 0 &&
	      o.interval.nsec == 500000000 && o.count == 3);
	CHECK(cli("--root /x --json -- cmd --json", &o) == 0 &&
	      o.mode == KX_MODE_RUN && !strcmp(o.cmd[0], "cmd") &&
	      !strcmp(o.cmd[1], "--json") && !o.cmd[2] &&
	      !strcmp(o.root, "/x") && !o.root_is_default);
	CHECK(cli("--prometheus --output f.prom", &o) == 0 &&
	      o.fmt == KX_FMT_PROM && !strcmp(o.output, "f.prom"));
	CHECK(cli("--bogus --help", &o) == KX_EXIT_USAGE);
	CHECK(cli("--help --bogus", &o) == 0 && o.mode == KX_MODE_HELP);
	CHECK(kx_cli_parse(1, argv, "/env", &o, &E) == 0 &&
	      !strcmp(o.root, "/env"));
	CHECK(cli("--save a", &o) == 0 && !strcmp(o.save, "a"));
	CHECK(cli("--diff a --save b", &o) == KX_EXIT_USAGE &&
	      !strcmp(E.msg, "--diff and --save cannot be combined"));
	CHECK(cli("-j", &o) == 0 && o.fmt == KX_FMT_JSON && !o.pretty);
	CHECK(cli("-p", &o) == 0 && o.fmt == KX_FMT_JSON && o.pretty);
	CHECK(cli("--pretty --diff a", &o) == 0 && o.pretty);
	CHECK(cli("-V", &o) == 0 && o.mode == KX_MODE_VERSION);
	CHECK(cli("-jp", &o) == KX_EXIT_USAGE);
	CHECKF(cli("--force=1 --diff a", &o) == KX_EXIT_USAGE &&
		       !strcmp(E.msg, "--force takes no value"),
	       "%s", E.msg);
	CHECKF(cli("--vm=12x", &o) == KX_EXIT_USAGE &&
		       strstr(E.msg, "--vm '12x': expected a process id"),
	       "%s", E.msg);
	tap_group("command line: modes, values, combinations and env root");
}

static void test_mountinfo(void)
{
	static const char mi[] =
		"22 27 0:21 / /sys rw,nosuid - sysfs sysfs rw\n"
		"33 22 0:7 / /sys/kernel/debug rw,relatime - debugfs debugfs "
		"rw\n";
	static const char nodebug[] =
		"22 27 0:21 / /sys rw,nosuid - sysfs sysfs rw\n"
		"33 22 0:7 / /sys/kernel/debug rw - tracefs tracefs rw\n"
		"34 22 0:7 / /sys/kernel/debugx rw - debugfs debugfs rw\n";

	CHECK(kx_mountinfo_has_debugfs(mi, strlen(mi), "/sys/kernel/debug"));
	/* last line without newline, ending right after the type */
	CHECK(kx_mountinfo_has_debugfs(mi, strlen(mi) - 12,
				       "/sys/kernel/debug"));
	CHECK(!kx_mountinfo_has_debugfs(mi, strlen(mi) - 13,
					"/sys/kernel/debug"));
	CHECK(!kx_mountinfo_has_debugfs(nodebug, strlen(nodebug),
					"/sys/kernel/debug"));
	CHECK(!kx_mountinfo_has_debugfs("", 0, "/sys/kernel/debug"));
	tap_group("mountinfo: debugfs on /sys/kernel/debug is recognised");
}

static void put(const char *dir, const char *rel, const char *content)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (f) {
		fputs(content, f);
		fclose(f);
	}
}

static void test_explain(void)
{
	char dir[] = "/tmp/kx-unit-XXXXXX", path[600];
	int r;

	if (!mkdtemp(dir)) {
		CHECK(0);
		tap_group("missing counters are explained");
		return;
	}
	snprintf(path, sizeof(path), "mkdir -p %s/proc/self %s/sys/module",
		 dir, dir);
	CHECK(system(path) == 0);
	put(dir, "proc/self/mountinfo", "22 27 0:21 / /sys rw - sysfs s rw\n");
	r = kx_explain_missing(KX_DEFAULT_ROOT, 1, dir, &E);
	CHECKF(r == KX_EXIT_UNAVAILABLE &&
		       strstr(E.msg, "debugfs is not mounted") &&
		       strstr(E.msg, "mount -t debugfs none /sys/kernel/debug"),
	       "%s", E.msg);
	put(dir, "proc/self/mountinfo",
	    "33 22 0:7 / /sys/kernel/debug rw - debugfs debugfs rw\n");
	r = kx_explain_missing(KX_DEFAULT_ROOT, 1, dir, &E);
	CHECKF(r == KX_EXIT_UNAVAILABLE &&
		       strstr(E.msg, "neither kvm_intel nor kvm_amd is loaded"),
	       "%s", E.msg);
	snprintf(path, sizeof(path), "%s/sys/module/kvm_amd", dir);
	CHECK(mkdir(path, 0755) == 0);
	r = kx_explain_missing(KX_DEFAULT_ROOT, 1, dir, &E);
	CHECKF(r == KX_EXIT_UNAVAILABLE &&
		       strstr(E.msg, "kvm_amd is loaded: the running kernel "
				     "lacks the kvm_exits patch"),
	       "%s", E.msg);
	r = kx_explain_missing("/x", 0, dir, &E);
	CHECKF(r == KX_EXIT_UNAVAILABLE &&
		       !strcmp(E.msg, "/x: no such directory (given by --root "
				      "or KVMEXIT_ROOT)"),
	       "%s", E.msg);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	CHECK(system(path) == 0);
	tap_group("missing counters: not mounted, module not loaded, kernel "
		  "not patched");
}

static void test_files(void)
{
	char dir[] = "/tmp/kx-unit-XXXXXX", path[600], cmd[700], *buf;
	struct stat st;
	mode_t mask;
	size_t len;

	if (!mkdtemp(dir)) {
		CHECK(0);
		tap_group("files");
		return;
	}
	snprintf(path, sizeof(path), "%s/out.prom", dir);
	CHECK(kx_write_output(path, "abc\n", 4, &E) == 0);
	CHECK(kx_write_output(path, "new\n", 4, &E) == 0);
	CHECK(kx_read_file(path, 4, &buf, &len, KX_EXIT_BADINPUT, &E) == 0 &&
	      len == 4 && !memcmp(buf, "new\n", 4));
	free(buf);
	mask = umask(0);
	umask(mask);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == (0666 & ~mask));
	CHECK(kx_read_file(path, 3, &buf, &len, KX_EXIT_BADINPUT, &E) ==
		      KX_EXIT_BADINPUT &&
	      strstr(E.msg, "too large (more than 3 bytes)"));
	snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 1", dir);
	CHECK(system(cmd) == 0); /* no temporary file left behind */
	snprintf(path, sizeof(path), "%s/nodir/x", dir);
	CHECKF(kx_write_output(path, "x", 1, &E) == KX_EXIT_RUNTIME &&
		       strstr(E.msg, "nodir/x: cannot create temporary file"),
	       "%s", E.msg);
	CHECK(kx_read_file(path, 10, &buf, &len, 7, &E) == 7 &&
	      strstr(E.msg, "No such file"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	tap_group("files: atomic replace, mode, bounded read, errors");
}

static void test_helpers(void)
{
	struct kx_time a = { 10, 900000000 }, b = { 12, 100000000 }, t;
	char q[16];
	uint64_t v;

	kx_quote(q, sizeof(q), "ab\x01\\", 4);
	CHECKF(!strcmp(q, "ab\\x01\\x5c"), "%s", q);
	kx_quote(q, sizeof(q), "abcdefghijklmnopq", 17);
	CHECKF(!strcmp(q, "abcdefghijkl..."), "%s", q);
	CHECK(kx_time_sub(&b, &a) > 1.1999 && kx_time_sub(&b, &a) < 1.2001);
	CHECK(kx_time_sub(&a, &b) < -1.1999);
	CHECK(kx_parse_time("1.000000001", 11, &t) == 0 && t.sec == 1 &&
	      t.nsec == 1);
	CHECK(kx_parse_time("1.00000001", 10, &t) != 0);
	CHECK(kx_parse_time(".000000001", 10, &t) != 0);
	CHECK(kx_parse_u64("0", 1, &v) == 0 && v == 0);
	CHECK(kx_parse_u64("", 0, &v) == -1);
	CHECK(kx_parse_code("0xFFFF", 6, &v) == 0 && v == 0xffff);
	CHECK(kx_boot_id_valid("2b2bd94e-4c3f-4bb7-a2a1-1f0bd0a3c6e5", 36));
	CHECK(!kx_boot_id_valid("2b2bd94e-4c3f-4bb7-a2a1-1f0bd0a3c6eX", 36));
	tap_group("helpers: quoting, times, numbers, boot ids");
}

/* --- handling times, format-2 snapshots, per-VM helpers ------------------ */

static const char TIMES[] =
	"# code name count total_ns max_ns\n"
	"0x0000 EXCEPTION_NMI                0 0 0\n"
	"0x0001 EXTERNAL_INTERRUPT           17 17000 5000\n"
	"0x000a CPUID                        1000 500000 2000\n"
	"0x000c HLT                          0 0 0\n"
	"0x001e IO_INSTRUCTION               990 7000000 350000\n"
	"0x0030 EPT_VIOLATION                1 4100000 4100000\n"
	"-      other                        0 0 0\n";

static int parse_times(const char *t)
{
	memset(&E, 0, sizeof(E));
	if (parse_br(EXAMPLE))
		return -1;
	return kx_parse_times(t, strlen(t), "t", &C, &E);
}

static void expect_times_error(const char *t, const char *want)
{
	int r = parse_times(t);

	CHECKF(r == KX_EXIT_BADINPUT && strstr(E.msg, want),
	       "want '%s', got r=%d '%s'", want, r, E.msg);
	CHECK(!C.has_time);
}

static char *edit_times(const char *old, const char *new)
{
	static char out[4096];
	const char *p = strstr(TIMES, old);

	if (!p)
		abort();
	snprintf(out, sizeof(out), "%.*s%s%s", (int)(p - TIMES), TIMES, new,
		 p + strlen(old));
	return out;
}

static void test_times(void)
{
	CHECK(parse_times(TIMES) == 0 && C.has_time);
	CHECK(C.r[2].tcount == 1000 && C.r[2].tns == 500000 &&
	      C.r[2].tmax == 2000);
	CHECK(C.r[5].tcount == 1 && C.r[5].tmax == 4100000);
	CHECK(C.tcount_sum == 2008 && C.tns_sum == 11617000 &&
	      C.tmax_all == 4100000);
	/* no header, codes with more digits: the same */
	CHECK(parse_times(edit_times("# code name count total_ns max_ns\n"
				     "0x0000 ",
				     "0x00000000 ")) == 0 &&
	      C.tcount_sum == 2008);
	expect_times_error("", "t:1: empty file");
	expect_times_error(edit_times("1000 500000 2000", "1000 500000"),
			   "t:4: expected 5 fields '<code> <name> <count> "
			   "<total_ns> <max_ns>', got 4");
	expect_times_error(edit_times("1000 500000 2000", "1000 500000 2000 1"),
			   "t:4: expected 5 fields");
	expect_times_error(edit_times("0x000a CPUID", "0x000b CPUID"),
			   "t:4: code '0x000b' of CPUID where by_reason has "
			   "0x000a");
	expect_times_error(edit_times("-      other", "0x0099 other"),
			   "t:8: code '0x0099' of other where by_reason has -");
	expect_times_error(edit_times("0x000a CPUID", "0x000a HLT"),
			   "t:4: reason 'HLT' where by_reason has 'CPUID'");
	expect_times_error(edit_times("1000 500000 2000", "1000 500000 600000"),
			   "t:4: max_ns 600000 above total_ns 500000");
	expect_times_error(edit_times("1000 500000", "1000 18446744073709551616"),
			   "t:4: total_ns '18446744073709551616' does not fit "
			   "in 64 bits");
	expect_times_error(edit_times("2000\n", "2x00\n"),
			   "t:4: max_ns '2x00' is not an unsigned decimal");
	expect_times_error(edit_times("1000 500000 2000",
				      "18446744073709551615 500000 2000"),
			   "t:4: sum of the time counts overflows 64 bits");
	expect_times_error(edit_times("7000000 350000",
				      "18446744073709551615 350000"),
			   "t:6: sum of the total_ns values overflows 64 bits");
	expect_times_error(edit_times("-      other                        "
				      "0 0 0\n",
				      ""),
			   "t:8: end of file after 6 time lines, by_reason "
			   "has 7 reasons (file truncated?)");
	expect_times_error(edit_times("0 0 0\n", "0 0 0\n# x\n"),
			   "t:3: '#' line is only allowed as the first line");
	expect_times_error(edit_times("-      other                        "
				      "0 0 0\n",
				      "-      other 0 0 0\n- other 0 0 0\n"),
			   "t:9: more time lines than reasons (7)");
	expect_times_error(edit_times("other                        0 0 0\n",
				      "other 0 0 0"),
			   "t:8: last line has no newline");
	tap_group("time files: exact values and sums; every malformed line "
		  "refused with file and line");
}

static void test_fmt_ns(void)
{
	static const struct {
		uint64_t ns;
		const char *want;
	} t[] = {
		{ 0, "0ns" },	      { 350, "350ns" },
		{ 999, "999ns" },     { 1000, "1.0us" },
		{ 1234, "1.2us" },    { 999949, "999.9us" },
		{ 999950, "1.0ms" },  { 4100000, "4.1ms" },
		{ 999949999, "999.9ms" }, { 999950000, "1.00s" },
		{ 2000000000, "2.00s" },
		{ UINT64_MAX, "18446744073.71s" },
	};
	char out[16];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		kx_fmt_ns(out, sizeof(out), t[i].ns);
		CHECKF(!strcmp(out, t[i].want), "%llu: '%s', want '%s'",
		       (unsigned long long)t[i].ns, out, t[i].want);
	}
	tap_group("durations: ns, us, ms and s, unit chosen after rounding");
}

static void test_time_table_json_prom(void)
{
	static const char want[] =
		"CODE    REASON              COUNT    SHARE       AVG       MAX\n"
		"0x000a  CPUID               1,000   49.53%     500ns     2.0us\n"
		"0x001e  IO_INSTRUCTION      1,000   49.53%     7.1us   350.0us\n"
		"0x0001  EXTERNAL_INTERRUPT     17    0.84%     1.0us     5.0us\n"
		"0x000c  HLT                     1    0.05%         -         -\n"
		"0x0030  EPT_VIOLATION           1    0.05%     4.1ms     4.1ms\n"
		"        total               2,019  100.00%     5.8us     4.1ms\n";
	struct kx_buf b;

	kx_buf_init(&b);
	CHECK(parse_times(TIMES) == 0);
	kx_table_counters(&C, &b);
	CHECKF(b.p && !strcmp(b.p, want), "got:\n%s", b.p);
	/* a time file of zeros (time accounting off): no columns */
	kx_buf_reset(&b);
	CHECK(parse_times("0x0000 EXCEPTION_NMI 0 0 0\n"
			  "0x0001 EXTERNAL_INTERRUPT 0 0 0\n"
			  "0x000a CPUID 0 0 0\n0x000c HLT 0 0 0\n"
			  "0x001e IO_INSTRUCTION 0 0 0\n"
			  "0x0030 EPT_VIOLATION 0 0 0\n- other 0 0 0\n") == 0);
	kx_table_counters(&C, &b);
	CHECKF(b.p && !strstr(b.p, "AVG"), "got:\n%s", b.p);
	/* JSON and Prometheus of a small timed VM */
	make_snapshot(&SA, "0x000a CPUID 3\n- other 1\n", 1000);
	{
		static const char t[] = "0x000a CPUID 2 1500 1000\n- other 1 7 7\n";

		CHECK(kx_parse_times(t, strlen(t), "t", &SA.c, &E) == 0);
	}
	strcpy(SA.scope, "12-7");
	kx_buf_reset(&b);
	kx_json_counters(&SA, "/k/12-7", &b);
	CHECKF(b.p && strstr(b.p, "\"vm\":\"12-7\",\"time_stats\":true,"
				  "\"total\":4,") &&
		       strstr(b.p, "{\"code\":\"0x000a\",\"name\":\"CPUID\","
				   "\"count\":3,\"time_count\":2,"
				   "\"time_total_ns\":1500,\"time_max_ns\":"
				   "1000}"),
	       "got:\n%s", b.p);
	kx_buf_reset(&b);
	kx_prom_counters(&SA, &b);
	CHECKF(b.p && strstr(b.p, "kvm_exits_total{vendor=\"vmx\",vm=\"12-7\"} 4\n") &&
		       strstr(b.p, "# TYPE kvm_exit_handling_count_total counter\n"
				   "kvm_exit_handling_count_total{reason=\"CPUID\","
				   "code=\"0x000a\",vendor=\"vmx\",vm=\"12-7\"} 2\n") &&
		       strstr(b.p, "# TYPE kvm_exit_handling_seconds_total counter\n"
				   "kvm_exit_handling_seconds_total{reason=\"CPUID\","
				   "code=\"0x000a\",vendor=\"vmx\",vm=\"12-7\"} "
				   "0.000001500\n") &&
		       strstr(b.p, "# TYPE kvm_exit_handling_max_seconds gauge\n"
				   "kvm_exit_handling_max_seconds{reason=\"CPUID\","
				   "code=\"0x000a\",vendor=\"vmx\",vm=\"12-7\"} "
				   "0.000001000\n") &&
		       strstr(b.p, "kvm_exit_handling_max_seconds{reason=\"other\","
				   "code=\"-\",vendor=\"vmx\",vm=\"12-7\"} "
				   "0.000000007\n"),
	       "got:\n%s", b.p);
	kx_buf_free(&b);
	tap_group("times: AVG/MAX table columns (none when all zero), JSON "
		  "time keys, Prometheus handling-time families");
}

/* SA as a timed VM snapshot with two vCPUs: cpuid counts c0, c1 */
static void make_vm_snapshot(struct kx_snapshot *s, uint64_t boot, int c0,
			     int c1)
{
	char br[3][128], t[3][128];
	int i, c[3] = { c0 + c1, c0, c1 };

	for (i = 0; i < 3; i++) {
		snprintf(br[i], sizeof(br[i]), "0x000a CPUID %d\n0x000c HLT 1\n"
			 "- other 0\n", c[i]);
		snprintf(t[i], sizeof(t[i]), "0x000a CPUID %d %d %d\n"
			 "0x000c HLT 0 0 0\n- other 0 0 0\n", c[i], c[i] * 100,
			 c[i] ? 100 + i : 0);
	}
	kx_snapshot_release(s);
	make_snapshot(s, br[0], boot);
	CHECK(kx_parse_times(t[0], strlen(t[0]), "t", &s->c, &E) == 0);
	strcpy(s->scope, "1234-11");
	s->c.total_file = s->c.sum;
	s->vcpu = calloc(2, sizeof(*s->vcpu));
	if (!s->vcpu)
		abort();
	s->nvcpu = 2;
	for (i = 0; i < 2; i++) {
		struct kx_counters *v = &s->vcpu[i].c;

		s->vcpu[i].id = i * 2; /* ids need not be dense */
		CHECK(kx_parse_by_reason(br[i + 1], strlen(br[i + 1]), "f", v,
					 &E) == 0);
		CHECK(kx_parse_times(t[i + 1], strlen(t[i + 1]), "t", v,
				     &E) == 0);
		strcpy(v->vendor, "vmx");
		v->total_file = v->sum;
	}
}

static const char VM_SNAP[] =
	"kvmexit-read-snapshot 2\n"
	"wall_time 1732501000.000000005\n"
	"boottime 1000.250000000\n"
	"boot_id 2b2bd94e-4c3f-4bb7-a2a1-1f0bd0a3c6e5\n"
	"kernel 6.12.0-kes\n"
	"vendor vmx\n"
	"scope 1234-11\n"
	"total 32\n"
	"reason 0x000a CPUID 30\n"
	"reason 0x000c HLT 1\n"
	"reason - other 0\n"
	"time 0x000a CPUID 30 3000 100\n"
	"time 0x000c HLT 0 0 0\n"
	"time - other 0 0 0\n"
	"time_sum 30 3000\n"
	"sum 31\n"
	"vcpu 0\n"
	"reason 0x000a CPUID 10\n"
	"reason 0x000c HLT 1\n"
	"reason - other 0\n"
	"time 0x000a CPUID 10 1000 101\n"
	"time 0x000c HLT 0 0 0\n"
	"time - other 0 0 0\n"
	"time_sum 10 1000\n"
	"sum 11\n"
	"vcpu 2\n"
	"reason 0x000a CPUID 20\n"
	"reason 0x000c HLT 1\n"
	"reason - other 0\n"
	"time 0x000a CPUID 20 2000 102\n"
	"time 0x000c HLT 0 0 0\n"
	"time - other 0 0 0\n"
	"time_sum 20 2000\n"
	"sum 21\n"
	"end\n";

static void expect_vm_snap_error(const char *old, const char *new,
				 const char *want)
{
	static char text[sizeof(VM_SNAP) + 256];
	const char *p = strstr(VM_SNAP, old);
	int r;

	if (!p)
		abort();
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(p - VM_SNAP), VM_SNAP,
		 new, p + strlen(old));
	r = kx_snapshot_parse(text, strlen(text), "s", &SB, &E);
	CHECKF(r == KX_EXIT_BADINPUT && strstr(E.msg, want),
	       "want '%s', got r=%d '%s'", want, r, E.msg);
	CHECK(SB.nvcpu == 0 && SB.vcpu == NULL); /* released on failure */
}

static void test_snapshot_v2(void)
{
	size_t i, len = strlen(VM_SNAP), bad = 0;
	struct kx_buf b;

	make_vm_snapshot(&SA, 1000, 10, 20);
	SA.c.total_file = 32;
	CHECK(kx_snapshot_version(&SA) == 2);
	kx_buf_init(&b);
	kx_snapshot_format(&SA, &b);
	CHECKF(b.p && !strcmp(b.p, VM_SNAP), "got:\n%s", b.p);
	kx_snapshot_release(&SB);
	CHECK(kx_snapshot_parse(b.p, b.len, "s", &SB, &E) == 0);
	CHECK(!strcmp(SB.scope, "1234-11") && SB.c.has_time &&
	      SB.c.total_file == 32 && SB.c.r[0].tns == 3000 &&
	      SB.c.tcount_sum == 30 && SB.nvcpu == 2 && SB.vcpu[0].id == 0 &&
	      SB.vcpu[1].id == 2 && SB.vcpu[1].c.sum == 21 &&
	      SB.vcpu[1].c.r[0].tmax == 102 && SB.vcpu[1].c.has_time &&
	      !strcmp(SB.vcpu[1].c.vendor, "vmx"));
	kx_buf_reset(&b);
	kx_snapshot_format(&SB, &b);
	CHECK(b.p && !strcmp(b.p, VM_SNAP));
	kx_snapshot_release(&SB);
	/* global with times: format 2, "scope global" */
	kx_snapshot_release(&SA);
	make_snapshot(&SA, EXAMPLE, 1000);
	CHECK(kx_snapshot_version(&SA) == 1);
	CHECK(kx_parse_times(TIMES, strlen(TIMES), "t", &SA.c, &E) == 0);
	CHECK(kx_snapshot_version(&SA) == 2);
	kx_buf_reset(&b);
	kx_snapshot_format(&SA, &b);
	CHECK(b.p && strstr(b.p, "\nvendor vmx\nscope global\ntotal 2020\n") &&
	      strstr(b.p, "\ntime 0x0030 EPT_VIOLATION 1 4100000 4100000\n") &&
	      strstr(b.p, "\ntime_sum 2008 11617000\nsum 2019\nend\n"));
	CHECK(kx_snapshot_parse(b.p, b.len, "s", &SB, &E) == 0 &&
	      !SB.scope[0] && SB.c.has_time && SB.c.tmax_all == 4100000 &&
	      SB.nvcpu == 0);
	kx_buf_free(&b);
	/* every proper prefix is refused */
	for (i = 0; i < len; i++)
		if (kx_snapshot_parse(VM_SNAP, i, "s", &SB, &E) !=
		    KX_EXIT_BADINPUT)
			bad++;
	CHECKF(bad == 0, "%zu prefixes accepted", bad);
	kx_snapshot_release(&SB);
	tap_group("format-2 snapshots: exact text with scope, time lines, "
		  "time_sum and vCPU sections; lossless round trip");
}

static void test_snapshot_v2_errors(void)
{
	expect_vm_snap_error("scope 1234-11", "scope 1234",
			     "s:7: bad scope '1234' (expected global or "
			     "<pid>-<fd>)");
	expect_vm_snap_error("scope 1234-11\n", "scope global\nscope 1-1\n",
			     "s:8: expected one 'scope global' or 'scope "
			     "<pid>-<fd>' line");
	expect_vm_snap_error("scope 1234-11\n", "scope global\n",
			     "s:17: 'vcpu' section in a snapshot that is not "
			     "a VM's");
	expect_vm_snap_error("time 0x000a CPUID 30 3000 100",
			     "time 0x000a CPUID 30 3000 4000",
			     "s:12: max_ns 4000 above total_ns 3000");
	expect_vm_snap_error("time 0x000a CPUID 30 3000 100",
			     "time 0x000a CPUID 30 3000",
			     "s:12: expected 'time <code> <name> <count> "
			     "<total_ns> <max_ns>'");
	expect_vm_snap_error("time 0x000c HLT 0 0 0\n", "",
			     "s:13: reason 'other' where by_reason has 'HLT'");
	expect_vm_snap_error("time_sum 30 3000", "time_sum 30 3001",
			     "s:15: time_sum 30 3001 does not match the time "
			     "lines, which add up to 30 3000");
	expect_vm_snap_error("time_sum 30 3000\n", "",
			     "s:15: 'sum' line without a 'time_sum' line");
	expect_vm_snap_error("time - other 0 0 0\ntime_sum 30 3000",
			     "time_sum 30 3000",
			     "s:14: 'time_sum' after 2 time lines, there are "
			     "3 reasons");
	expect_vm_snap_error("reason - other 0\ntime", "time",
			     "s:11: time line before the 'other' reason line");
	expect_vm_snap_error("time_sum 30 3000\n",
			     "time_sum 30 3000\nreason 0x0001 X 1\n",
			     "s:16: reason line after the 'time' lines");
	expect_vm_snap_error("sum 31\n", "sum 31\ntime - other 0 0 0\n",
			     "s:17: time line after the 'time_sum' or 'sum' "
			     "line");
	expect_vm_snap_error("vcpu 2", "vcpu 0",
			     "s:26: vcpu 0 after vcpu 0 (expected in "
			     "increasing order, once each)");
	expect_vm_snap_error("vcpu 2", "vcpu 1048576",
			     "s:26: expected 'vcpu N' (N from 0 to 1048575)");
	{
		/* KVM's ids go up to KVM_MAX_VCPU_IDS - 1: 16383 on x86 */
		static char text[sizeof(VM_SNAP) + 16];
		const char *p = strstr(VM_SNAP, "vcpu 2\n");
		struct kx_buf b;

		snprintf(text, sizeof(text), "%.*svcpu 16383\n%s",
			 (int)(p - VM_SNAP), VM_SNAP, p + strlen("vcpu 2\n"));
		CHECKF(kx_snapshot_parse(text, strlen(text), "s", &SB, &E) == 0 &&
			       SB.nvcpu == 2 && SB.vcpu[1].id == 16383,
		       "%s", E.msg);
		kx_buf_init(&b);
		kx_snapshot_format(&SB, &b);
		CHECK(b.p && !strcmp(b.p, text));
		kx_buf_free(&b);
		kx_snapshot_release(&SB);
	}
	expect_vm_snap_error("vcpu 2", "vcpu x", "s:26: expected 'vcpu N'");
	expect_vm_snap_error("sum 11\n", "",
			     "s:25: 'vcpu' line before the 'sum' line of the "
			     "previous section");
	expect_vm_snap_error("sum 21\n", "",
			     "s:34: 'end' without a 'sum' line");
	expect_vm_snap_error("reason 0x000a CPUID 20", "reason 0x000a CPUID 21",
			     "s:34: sum 21 does not match the reason counts, "
			     "which add up to 22");
	expect_vm_snap_error("kvmexit-read-snapshot 2", "kvmexit-read-snapshot 1",
			     "s:7: 'scope' line in a version 1 snapshot");
	tap_group("format-2 snapshots: malformed scope, time, time_sum and "
		  "vcpu lines refused with file and line");
}

static void test_diff_times_vcpus(void)
{
	struct kx_buf b;

	make_vm_snapshot(&SA, 1000, 10, 20);
	make_vm_snapshot(&SB, 1010, 15, 45);
	CHECK(kx_diff(&SA, &SB, "a", "b", 0, &D, &E) == 0);
	CHECK(D.timed && D.total == 30 && D.d[0].delta == 30 &&
	      D.d[0].tcount == 30 && D.d[0].tns == 3000 &&
	      D.d[0].tmax == 100 && D.tcount == 30 && D.tns == 3000 &&
	      D.tmax == 100 && D.nvcpu == 0);
	CHECK(kx_diff_vcpus(&D, "a", "b", 0, &E) == 0);
	CHECK(D.nvcpu == 2 && D.vcpu_id[1] == 2 && !D.vcpu_new[1] &&
	      D.vcpu[0].total == 5 && D.vcpu[1].total == 25 &&
	      D.vcpu[1].d[0].tns == 2500 && D.vcpu[1].tmax == 102 &&
	      D.vcpu[1].seconds_valid && D.vcpu[1].seconds > 9.99);
	kx_buf_init(&b);
	kx_json_diff(&D, "a", "b", &b);
	CHECKF(b.p && strstr(b.p, "\"total\":30,\"exits_per_second\":3.00,"
				  "\"time_count\":30,\"time_total_ns\":3000,"
				  "\"time_max_ns\":100,\"forced\":[],\"vm\":"
				  "\"1234-11\",\"reasons\":[{\"code\":"
				  "\"0x000a\",\"name\":\"CPUID\",\"delta\":30,"
				  "\"per_second\":3.00,\"reset\":false,\"new\":false,"
				  "\"time_count\":30,\"time_total_ns\":3000,"
				  "\"time_max_ns\":100}]") &&
		       strstr(b.p, ",\"vcpus\":[{\"vcpu\":0,\"new\":false,"
				   "\"total\":5,"),
	       "got:\n%s", b.p);
	kx_buf_free(&b);
	kx_diff_release(&D);
	/* a vCPU created in between counts from 0 */
	SA.nvcpu = 1;
	CHECK(kx_diff(&SA, &SB, "a", "b", 0, &D, &E) == 0 &&
	      kx_diff_vcpus(&D, "a", "b", 0, &E) == 0);
	CHECK(D.nvcpu == 2 && D.vcpu_new[1] && D.vcpu[1].total == 46 &&
	      D.vcpu[1].problems == 0 && D.vcpu[1].d[0].tcount == 45 &&
	      D.vcpu[1].d[0].tns == 4500);
	kx_diff_release(&D);
	SA.nvcpu = 2;
	/* a vCPU's counter went down: refused, forced counts as a reset */
	SB.vcpu[0].c.r[0].count = 1;
	SB.vcpu[0].c.sum = 2;
	CHECK(kx_diff(&SA, &SB, "a", "b", 0, &D, &E) == 0);
	CHECKF(kx_diff_vcpus(&D, "a", "b", 0, &E) == KX_EXIT_REFUSED &&
		       strstr(E.msg, "1 counter(s) went down"),
	       "%s", E.msg);
	kx_diff_release(&D);
	CHECK(kx_diff(&SA, &SB, "a", "b", 1, &D, &E) == 0 &&
	      kx_diff_vcpus(&D, "a", "b", 1, &E) == 0 &&
	      D.problems == KX_P_DECREASE && D.vcpu[0].d[0].reset &&
	      D.vcpu[0].d[0].delta == 1);
	kx_diff_release(&D);
	/* a handling-time total that went down is a reset too */
	make_vm_snapshot(&SB, 1010, 15, 45);
	SB.c.r[0].tns = 10;
	CHECK(kx_diff(&SA, &SB, "a", "b", 0, &D, &E) == KX_EXIT_REFUSED &&
	      D.problems == KX_P_DECREASE);
	/* no vCPU sections: refused */
	SB.nvcpu = 0;
	CHECK(kx_diff(&SA, &SB, "a", "b", 1, &D, &E) == 0);
	CHECKF(kx_diff_vcpus(&D, "a", "b", 0, &E) == KX_EXIT_REFUSED &&
		       strstr(E.msg, "--per-vcpu: b has no vCPU sections"),
	       "%s", E.msg);
	kx_diff_release(&D);
	SB.nvcpu = 2;
	/* different scopes: refused even with --force */
	strcpy(SB.scope, "1234-12");
	CHECKF(kx_diff(&SA, &SB, "a", "b", 1, &D, &E) == KX_EXIT_REFUSED &&
		       strstr(E.msg, "(VM 1234-11 vs VM 1234-12)"),
	       "%s", E.msg);
	SB.scope[0] = '\0';
	CHECK(kx_diff(&SA, &SB, "a", "b", 1, &D, &E) == KX_EXIT_REFUSED &&
	      strstr(E.msg, "(VM 1234-11 vs all VMs)"));
	/* only one side timed: no time deltas */
	make_snapshot(&SB, "0x000a CPUID 40\n0x000c HLT 1\n- other 0\n", 1010);
	strcpy(SB.scope, "1234-11");
	CHECK(kx_diff(&SA, &SB, "a", "b", 0, &D, &E) == 0 && !D.timed &&
	      D.d[0].tcount == 0 && D.total == 10);
	kx_snapshot_release(&SA);
	kx_snapshot_release(&SB);
	tap_group("diff of times (count and total deltas, B's max) and of "
		  "vCPUs (new ones from 0, resets, refusals, scopes)");
}

static void test_vm(void)
{
	struct kx_vm_info *v;
	char out[64], fx[256];
	struct kx_vm vm;
	int n, *ids;

	CHECK(kx_vm_root("/sys/kernel/debug/kvm_exits", NULL, out, sizeof(out),
			 &E) == 0 && !strcmp(out, "/sys/kernel/debug/kvm"));
	CHECK(kx_vm_root("/x/kvm_exits//", NULL, out, sizeof(out), &E) == 0 &&
	      !strcmp(out, "/x/kvm"));
	CHECK(kx_vm_root("kvm_exits", NULL, out, sizeof(out), &E) == 0 &&
	      !strcmp(out, "./kvm"));
	CHECK(kx_vm_root("/a", "/vms", out, sizeof(out), &E) == 0 &&
	      !strcmp(out, "/vms"));
	CHECK(kx_vm_sel_matches("1234", "1234-11") &&
	      kx_vm_sel_matches("1234-11", "1234-11") &&
	      !kx_vm_sel_matches("123", "1234-11") &&
	      !kx_vm_sel_matches("1234-1", "1234-11") &&
	      !kx_vm_sel_matches("1234", "") && kx_vm_sel_valid("1") &&
	      kx_vm_sel_valid("1-2") && !kx_vm_sel_valid("1-") &&
	      !kx_vm_sel_valid("x"));
	CHECK(kx_vm_name_valid("1234-11") && kx_vm_name_valid("0-0") &&
	      !kx_vm_name_valid("1234") && !kx_vm_name_valid("1234-") &&
	      !kx_vm_name_valid("-1") && !kx_vm_name_valid("12-3-4") &&
	      !kx_vm_name_valid("a-1") && !kx_vm_name_valid("12345678901-1"));
	snprintf(fx, sizeof(fx), "%.*sfixtures/vm/kvm",
		 (int)(strrchr(__FILE__, '/') ? strrchr(__FILE__, '/') -
						__FILE__ + 1 : 0),
		 __FILE__);
	CHECKF(kx_vm_find(fx, "1234", &vm, &E) == 0 &&
		       !strcmp(vm.name, "1234-11"),
	       "%s", E.msg);
	CHECK(kx_vm_vcpus(vm.dir, 1, &ids, &E) == 2 && ids[0] == 0 &&
	      ids[1] == 1);
	free(ids);
	CHECK(kx_vm_find(fx, "777", &vm, &E) == KX_EXIT_UNAVAILABLE &&
	      strstr(E.msg, "several VMs with statistics: 777-1 777-2"));
	CHECK(kx_vm_find(fx, "1234-12", &vm, &E) == KX_EXIT_UNAVAILABLE &&
	      strstr(E.msg, "exit_stats_per_vm to Y before the VM is "
			    "created"));
	CHECK(kx_vm_find(fx, "5-5", &vm, &E) == KX_EXIT_UNAVAILABLE &&
	      strstr(E.msg, "no VM 5-5 in"));
	CHECK(kx_vm_find(fx, "x", &vm, &E) == KX_EXIT_USAGE);
	/* the COMMAND of a VM from SYSROOT/proc/PID/comm, '?' if missing */
	snprintf(fx + strlen(fx) - 3, sizeof(fx) - strlen(fx) + 3, "sysroot");
	CHECKF(kx_vm_list("/nonexistent/kvm_exits", "/nonexistent/kvm", fx, &v,
			  &n, &E) == KX_EXIT_UNAVAILABLE &&
		       strstr(E.msg, "/nonexistent/kvm: No such file"),
	       "%s", E.msg);
	{
		char root[256], kvm[256];

		snprintf(root, sizeof(root), "%.*skvm_exits",
			 (int)(strlen(fx) - strlen("sysroot")), fx);
		snprintf(kvm, sizeof(kvm), "%.*skvm",
			 (int)(strlen(fx) - strlen("sysroot")), fx);
		CHECKF(kx_vm_list(root, kvm, fx, &v, &n, &E) == 0 && n == 4,
		       "%s", E.msg);
		/* by pid and fd as numbers: 777-1 before 1234-11 */
		CHECK(!strcmp(v[0].name, "777-1") && !strcmp(v[1].name, "777-2"));
		CHECKF(!strcmp(v[2].name, "1234-11") && v[2].pid == 1234 &&
			       !strcmp(v[2].comm, "qemu-system-x86") &&
			       v[2].vcpus == 2 && v[2].exits == 553 &&
			       v[2].timed,
		       "%s %s", v[2].name, v[2].comm);
		CHECK(!strcmp(v[3].name, "4321-5") && !strcmp(v[3].comm, "?") &&
		      !v[3].timed && v[3].vcpus == 1 && v[3].exits == 1002);
		free(v);
	}
	{
		/* the three kinds of counter source, on the fixture */
		struct kx_source all, one, cpu;
		char root[256];
		int *vids;

		snprintf(root, sizeof(root), "%.*skvm_exits",
			 (int)(strlen(fx) - strlen("sysroot")), fx);
		kx_source_all(&all, root);
		CHECKF(kx_source_read(&all, &C, &E) == 0 && C.has_time &&
			       C.sum == 1553 && C.total_file == 1553,
		       "%s", E.msg);
		CHECK(!strcmp(kx_source_reset_file(&all), "total") &&
		      !all.vm[0] && all.vcpu == -1 && !strcmp(all.dir, root));
		snprintf(vm.name, sizeof(vm.name), "1234-11");
		snprintf(vm.dir, sizeof(vm.dir), "%.*skvm/1234-11",
			 (int)(strlen(fx) - strlen("sysroot")), fx);
		kx_source_vm(&one, root, &vm);
		CHECKF(kx_source_read(&one, &C, &E) == 0 && C.has_time &&
			       C.sum == 553 && C.total_file == 553 &&
			       !strcmp(C.vendor, "vmx"),
		       "%s", E.msg);
		CHECK(!strcmp(kx_source_reset_file(&one), "exit_reasons"));
		CHECK(kx_source_vcpus(&one, 1, &vids, &E) == 2 && vids[1] == 1);
		free(vids);
		kx_source_vcpu(&one, 1, &cpu);
		CHECKF(kx_source_read(&cpu, &C, &E) == 0 && C.sum == 251 &&
			       cpu.vcpu == 1 && !strcmp(cpu.vm, "1234-11") &&
			       !kx_source_reset_file(&cpu) &&
			       strstr(cpu.dir, "/kvm/1234-11/vcpu1"),
		       "%s", E.msg);
		kx_source_vcpu(&one, 7, &cpu);
		CHECKF(kx_source_read(&cpu, &C, &E) == KX_EXIT_UNAVAILABLE &&
			       strstr(E.msg, "VM 1234-11: ") &&
			       strstr(E.msg, "(did the VM go away?)"),
		       "%s", E.msg);
	}
	tap_group("per VM: the VM root, names, finding a VM by pid or name, "
		  "vCPUs, the list with COMMAND from the system root, the "
		  "three kinds of counter source");
}

/* ---- --record and --timeline ------------------------------------------- */

static void test_decimal(void)
{
	static const char *const bad[] = { "", ".", "-1", "+1", "1e3", "1.",
					   "1.2.3", "0x1", " 1", "1 ", "inf",
					   "nan", "1.0000000001",
					   "18446744073709551616" };
	struct kx_time t, u;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		CHECKF(kx_parse_decimal(bad[i], strlen(bad[i]), &t) != 0, "'%s'",
		       bad[i]);
	CHECK(kx_parse_decimal("12.345678", 9, &t) == 0 && t.sec == 12 &&
	      t.nsec == 345678000);
	CHECK(kx_parse_decimal("0", 1, &t) == 0 && t.sec == 0 && t.nsec == 0);
	CHECK(kx_parse_decimal(".5", 2, &t) == 0 && t.sec == 0 &&
	      t.nsec == 500000000);
	CHECK(kx_parse_decimal("18446744073709551615.999999999", 30, &t) == 0 &&
	      t.sec == UINT64_MAX && t.nsec == 999999999);
	/* only n bytes are looked at */
	CHECK(kx_parse_decimal("7.25xyz", 4, &t) == 0 && t.sec == 7 &&
	      t.nsec == 250000000);
	CHECK(kx_parse_decimal("1.5", 3, &t) == 0 &&
	      kx_parse_decimal("1.25", 4, &u) == 0 && kx_time_cmp(&t, &u) > 0 &&
	      kx_time_cmp(&u, &t) < 0 && kx_time_cmp(&t, &t) == 0);
	tap_group("plain decimal seconds (marks, a recording's t), time order");
}

/* kx_json_object on s must fail with a message containing want */
static void expect_json_error(const char *s, const char *want)
{
	struct kx_jiter it;
	char why[96] = "";

	CHECKF(kx_json_object(s, strlen(s), &it, why, sizeof(why)) == -1 &&
		       strstr(why, want),
	       "'%s': want '%s', got '%s'", s, want, why);
}

static void test_json_scanner(void)
{
	static const char good[] =
		" {\"a\":1, \"b\":[1,{\"c\":null}],\"d\":\"x\\\"y\","
		"\"e\":true,\"f\":-1.5e+3,\"g\":{}} ";
	struct kx_jval k, v;
	struct kx_jiter it;
	char why[96], out[16], deep[64];
	int n = 0;

	CHECK(kx_json_object(good, strlen(good), &it, why, sizeof(why)) == 0);
	while (kx_json_next(&it, &k, &v)) {
		n++;
		if (n == 1)
			CHECK(kx_json_is(&k, "a") && v.type == KX_J_NUMBER &&
			      v.n == 1 && v.p[0] == '1');
		if (n == 2)
			CHECK(kx_json_is(&k, "b") && v.type == KX_J_ARRAY &&
			      v.n == 14);
		if (n == 3)
			CHECK(kx_json_is(&k, "d") && v.type == KX_J_STRING &&
			      kx_json_unescape(&v, out, sizeof(out)) == 3 &&
			      !strcmp(out, "x\"y"));
		if (n == 4)
			CHECK(v.type == KX_J_TRUE);
		if (n == 5)
			CHECK(v.type == KX_J_NUMBER && v.n == 7 &&
			      kx_json_column(good, &v) == 53);
		if (n == 6)
			CHECK(kx_json_is(&k, "g") && v.type == KX_J_OBJECT);
	}
	CHECK(n == 6);
	expect_json_error("", "column 1: expected a JSON object");
	expect_json_error("[1]", "column 1: expected a JSON object");
	expect_json_error("{\"a\":1,}", "column 8: expected a string key");
	expect_json_error("{\"a\" 1}", "column 6: expected ':'");
	expect_json_error("{\"a\":01}", "column 7: expected ',' or '}'");
	expect_json_error("{\"a\":\"x", "unterminated string");
	expect_json_error("{\"a\":\"\\x\"}", "column 7: bad escape");
	expect_json_error("{\"a\":\"\\u12\"}", "column 7: bad \\u escape");
	expect_json_error("{\"a\":tru}", "column 6: expected a value");
	expect_json_error("{\"a\":1.}", "column 6: bad number");
	expect_json_error("{\"a\":-}", "column 6: bad number");
	expect_json_error("{\"a\":\"\x01\"}", "control character in a string");
	expect_json_error("{}x", "column 3: text after the object");
	expect_json_error("{\"a\":[1 2]}", "expected ',' or ']'");
	/* 16 levels are fine, 17 are not */
	snprintf(deep, sizeof(deep), "{\"a\":%.15s1%.15s}",
		 "[[[[[[[[[[[[[[[", "]]]]]]]]]]]]]]]");
	CHECK(kx_json_object(deep, strlen(deep), &it, why, sizeof(why)) == 0);
	snprintf(deep, sizeof(deep), "{\"a\":%.16s1%.16s}",
		 "[[[[[[[[[[[[[[[[", "]]]]]]]]]]]]]]]]");
	expect_json_error(deep, "nested too deeply");
	v.type = KX_J_STRING;
	v.p = "a\\u0041\\n\\/";
	v.n = strlen(v.p);
	CHECK(kx_json_unescape(&v, out, sizeof(out)) == 4 &&
	      !strcmp(out, "aA\n/"));
	CHECK(kx_json_unescape(&v, out, 4) == -1);
	v.p = "\\u0100";
	v.n = 6;
	CHECK(kx_json_unescape(&v, out, sizeof(out)) == -2);
	v.p = "\\u0000";
	CHECK(kx_json_unescape(&v, out, sizeof(out)) == -2);
	v.p = "\\u0074";
	CHECK(kx_json_is(&v, "t") && !kx_json_is(&v, "tt"));
	tap_group("JSON line scanner: members, types, columns, escapes, every "
		  "grammar error, depth bound");
}

static struct kx_counters C2;

static void test_rec_format(void)
{
	static const char odd[] = "0x0001 quo\"te 5\n0x0002 back\\slash 7\n"
				  "- other 0\n";
	struct kx_rec_info h = { "/d/kvm_exits", "", "vmx", "6.12.0-kes",
				 "2b2bd94e-4c3f-4bb7-a2a1-1f0bd0a3c6e5",
				 { 1732500000, 250000000 }, { 1000, 500000000 },
				 { 0, 100000000 }, NULL };
	struct kx_time t = { 12, 345678901 };
	struct kx_rec_names *names = calloc(1, sizeof(*names));
	struct kx_rec_sample *smp = calloc(1, sizeof(*smp));
	struct kx_rec_head head;
	struct kx_lines at;
	struct kx_buf b;
	const char *nl;

	kx_lines_init(&at, "", 0, "rec");
	at.lineno = 1;
	kx_buf_init(&b);
	CHECK(parse_br(EXAMPLE) == 0);
	kx_rec_header(&h, &b);
	CHECKF(!strcmp(b.p, "{\"type\":\"recording\",\"format\":1,\"source\":"
		       "\"/d/kvm_exits\",\"vm\":null,\"vendor\":\"vmx\","
		       "\"kernel\":\"6.12.0-kes\",\"boot_id\":"
		       "\"2b2bd94e-4c3f-4bb7-a2a1-1f0bd0a3c6e5\","
		       "\"wall_time\":1732500000.250000000,"
		       "\"boottime\":1000.500000000,\"clock\":\"boottime\","
		       "\"interval_seconds\":0.100000000,\"command\":null}\n"),
	       "%s", b.p);
	CHECK(kx_rec_parse_head(b.p, b.len - 1, &at, &head, &E) == 0 &&
	      !strcmp(head.source, "/d/kvm_exits") && !head.vm[0] &&
	      !strcmp(head.vendor, "vmx"));
	kx_buf_reset(&b);
	h.vm = "1234-11";
	h.command = "qemu \"x\"";
	kx_rec_header(&h, &b);
	CHECK(strstr(b.p, "\"vm\":\"1234-11\"") &&
	      strstr(b.p, "\"command\":\"qemu \\\"x\\\"\"}\n"));
	CHECK(kx_rec_parse_head(b.p, b.len - 1, &at, &head, &E) == 0 &&
	      !strcmp(head.vm, "1234-11"));

	/* samples: zeros left out, microseconds, reset only when set */
	kx_buf_reset(&b);
	kx_rec_sample(&t, &C, 0, &b);
	CHECKF(!strcmp(b.p, "{\"t\":12.345678,\"total\":2019,\"reasons\":{"
		       "\"EXTERNAL_INTERRUPT\":17,\"CPUID\":1000,\"HLT\":1,"
		       "\"IO_INSTRUCTION\":1000,\"EPT_VIOLATION\":1}}\n"),
	       "%s", b.p);
	at.lineno = 2;
	CHECK(kx_rec_parse_sample(b.p, b.len - 1, &at, names, smp, &E) == 0 &&
	      smp->t.sec == 12 && smp->t.nsec == 345678000 &&
	      smp->total == 2019 && !smp->reset && smp->n == 5 &&
	      names->n == 5 && !strcmp(names->name[smp->idx[1]], "CPUID") &&
	      smp->count[1] == 1000);
	kx_buf_reset(&b);
	kx_rec_sample(&t, &C, 1, &b);
	CHECK(strstr(b.p, ",\"total\":2019,\"reset\":true,\"reasons\":{"));
	CHECK(kx_rec_parse_sample(b.p, b.len - 1, &at, names, smp, &E) == 0 &&
	      smp->reset && names->n == 5);
	/* names with a quote and a backslash come back as they were */
	memset(&E, 0, sizeof(E));
	CHECK(kx_parse_by_reason(odd, strlen(odd), "f", &C2, &E) == 0);
	kx_buf_reset(&b);
	kx_rec_sample(&t, &C2, 0, &b);
	nl = strchr(b.p, '\n');
	CHECKF(strstr(b.p, "{\"quo\\\"te\":5,\"back\\\\slash\":7}"), "%s", b.p);
	CHECK(nl && kx_rec_parse_sample(b.p, (size_t)(nl - b.p), &at, names,
					smp, &E) == 0 &&
	      names->n == 7 && !strcmp(names->name[5], "quo\"te") &&
	      !strcmp(names->name[6], "back\\slash"));
	kx_buf_free(&b);
	free(names);
	free(smp);
	tap_group("recording lines: exact header and sample, zeros left out, "
		  "round trip through the parser, odd names");
}

static void test_rec_went_down(void)
{
	static const char dup[] = "0x0001 A 1\n0x0002 A 2\n- other 0\n";
	static const char *const cases[][2] = {
		/* current by_reason, went down? */
		{ "0x0001 A 5\n0x0002 B 7\n- other 0\n", "0" },
		{ "0x0001 A 6\n0x0002 B 7\n- other 0\n", "0" },
		{ "0x0001 A 4\n0x0002 B 9\n- other 0\n", "1" },
		{ "0x0001 A 0\n0x0002 B 0\n- other 0\n", "1" },
		{ "0x0001 A 5\n- other 0\n", "1" }, /* B (7) is gone */
		{ "0x0002 B 7\n0x0001 A 5\n- other 0\n", "0" }, /* by name */
		{ "0x0001 A 5\n0x0002 B 7\n0x0003 C 1\n- other 0\n", "0" },
	};
	static const char prev[] = "0x0001 A 5\n0x0002 B 7\n- other 0\n";
	static const char prev0[] = "0x0001 A 5\n0x0002 B 0\n- other 0\n";
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		CHECK(kx_parse_by_reason(prev, strlen(prev), "p", &C2, &E) == 0);
		CHECK(parse_br(cases[i][0]) == 0);
		CHECKF(kx_rec_went_down(&C2, &C) == (cases[i][1][0] == '1'),
		       "case %zu", i);
	}
	/* a reason at 0 that goes away is no decrease */
	CHECK(kx_parse_by_reason(prev0, strlen(prev0), "p", &C2, &E) == 0);
	CHECK(parse_br("0x0001 A 5\n- other 0\n") == 0 &&
	      !kx_rec_went_down(&C2, &C));
	CHECK(parse_br(dup) == 0);
	CHECKF(kx_rec_check_names(&C, "/d", &E) == KX_EXIT_BADINPUT &&
		       !strcmp(E.msg, "/d: reason name 'A' on lines 1 and 2: a "
				      "recording needs unique names"),
	       "%s", E.msg);
	CHECK(parse_br(EXAMPLE) == 0 && kx_rec_check_names(&C, "/d", &E) == 0);
	tap_group("recording: a counter that went down (by name, a reason "
		  "gone) makes a reset; duplicate names refused");
}

/* the hand-made recording of the tests: 5 samples, a reset in the 3rd
 * interval, rates 2200, 2050, reset, 2745 exits/s */
static const char GOOD_REC[] =
	"{\"type\":\"recording\",\"format\":1,\"source\":\"/test/kvm_exits\","
	"\"vm\":null,\"vendor\":\"vmx\",\"command\":null}\n"
	"{\"t\":100.000000,\"total\":1000,\"reasons\":{\"CPUID\":600,"
	"\"HLT\":300,\"IO_INSTRUCTION\":100}}\n"
	"{\"t\":100.500000,\"total\":2100,\"reasons\":{\"CPUID\":1600,"
	"\"HLT\":400,\"IO_INSTRUCTION\":100}}\n"
	"{\"t\":101.500000,\"total\":4150,\"reasons\":{\"CPUID\":2600,"
	"\"HLT\":400,\"IO_INSTRUCTION\":1100,\"MSR_WRITE\":50}}\n"
	"{\"t\":102.000000,\"total\":110,\"reset\":true,\"reasons\":{"
	"\"CPUID\":100,\"HLT\":10}}\n"
	"{\"t\":104.000000,\"total\":5600,\"reasons\":{\"CPUID\":5100,"
	"\"HLT\":410,\"other\":90}}\n";
#define REC_HEAD "{\"type\":\"recording\",\"format\":1,\"source\":\"/s\"}\n"

static struct kx_timeline *TL;

/* a fresh TL from the lines of text: 0 or the error (in E) */
static int tl_feed(const char *text)
{
	struct kx_lines it;
	const char *line;
	size_t n;
	int r;

	if (TL)
		kx_tl_free(TL);
	free(TL);
	TL = calloc(1, sizeof(*TL));
	memset(&E, 0, sizeof(E));
	if (!TL)
		return KX_EXIT_RUNTIME;
	TL->fname = "rec";
	kx_lines_init(&it, text, strlen(text), "rec");
	while ((r = kx_lines_next(&it, &line, &n, &E)) == 1) {
		r = kx_tl_line(TL, line, n, &it, &E);
		if (r)
			return r;
	}
	return r ? r : kx_tl_finish(TL, &E);
}

static int near(double a, double b)
{
	return a > b - 1e-9 && a < b + 1e-9;
}

static void test_timeline_rates(void)
{
	const struct kx_tl_interval *iv;

	CHECKF(tl_feed(GOOD_REC) == 0, "%s", E.msg);
	CHECK(TL->nsamples == 5 && TL->ni == 4 && TL->nresets == 1 &&
	      TL->total == 8750 && TL->names.n == 5);
	CHECK(!strcmp(TL->head.source, "/test/kvm_exits") &&
	      !strcmp(TL->head.vendor, "vmx") && !TL->head.vm[0]);
	iv = TL->iv;
	CHECK(near(iv[0].seconds, 0.5) && iv[0].total == 1100 && !iv[0].reset &&
	      near(kx_tl_rate(&iv[0], iv[0].total), 2200) &&
	      kx_tl_delta(TL, 0, 0) == 1000 && kx_tl_delta(TL, 0, 1) == 100 &&
	      kx_tl_delta(TL, 0, 2) == 0 && iv[0].n == 2);
	CHECK(near(iv[1].seconds, 1.0) && iv[1].total == 2050 &&
	      near(kx_tl_rate(&iv[1], kx_tl_delta(TL, 1, 2)), 1000) &&
	      kx_tl_delta(TL, 1, 3) == 50 && iv[1].lineno == 4);
	/* the reset interval: the end sample's counts, since the reset */
	CHECK(iv[2].reset && iv[2].total == 110 && kx_tl_delta(TL, 2, 0) == 100 &&
	      kx_tl_delta(TL, 2, 1) == 10 && kx_tl_delta(TL, 2, 2) == 0);
	CHECK(!iv[3].reset && near(iv[3].seconds, 2.0) && iv[3].total == 5490 &&
	      near(kx_tl_rate(&iv[3], iv[3].total), 2745) &&
	      kx_tl_delta(TL, 3, 4) == 90);
	CHECK(TL->reason_total[0] == 7100 && TL->reason_total[1] == 510 &&
	      TL->reason_total[2] == 1000 && TL->reason_total[3] == 50 &&
	      TL->reason_total[4] == 90);

	/* a decrease without the flag is a reset too, never a negative rate;
	 * so is a reason that disappears; the flag alone is trusted */
	CHECK(tl_feed(REC_HEAD
		      "{\"t\":1.0,\"total\":10,\"reasons\":{\"A\":5,\"B\":5}}\n"
		      "{\"t\":2.0,\"total\":12,\"reasons\":{\"A\":4,\"B\":8}}\n"
		      "{\"t\":3.0,\"total\":14,\"reasons\":{\"A\":14}}\n"
		      "{\"t\":4.0,\"total\":16,\"reset\":true,\"reasons\":{"
		      "\"A\":16}}\n"
		      "{\"t\":5.0,\"total\":20,\"reset\":false,\"reasons\":{"
		      "\"A\":20}}\n") == 0);
	CHECK(TL->ni == 4 && TL->iv[0].reset && TL->iv[0].total == 12 &&
	      kx_tl_delta(TL, 0, 0) == 4 && kx_tl_delta(TL, 0, 1) == 8 &&
	      TL->iv[1].reset && TL->iv[1].total == 14 && TL->iv[2].reset &&
	      TL->iv[2].total == 16 && !TL->iv[3].reset &&
	      TL->iv[3].total == 4 && TL->nresets == 3 && TL->total == 46);
	/* fractional times, microseconds apart */
	CHECK(tl_feed(REC_HEAD
		      "{\"t\":7.000001,\"total\":0,\"reasons\":{}}\n"
		      "{\"t\":7.000003,\"total\":3,\"reasons\":{\"A\":3}}\n") == 0);
	CHECK(TL->ni == 1 && near(TL->iv[0].seconds, 0.000002) &&
	      near(kx_tl_rate(&TL->iv[0], 3), 1500000));
	tap_group("timeline: exact per-interval deltas and rates, reset "
		  "intervals (flag, a decrease, a reason gone), totals");
}

static void test_timeline_top_busiest(void)
{
	uint32_t top[8];
	size_t busy[8];

	CHECK(tl_feed(GOOD_REC) == 0);
	/* CPUID 7100, IO 1000, HLT 510, MSR 50; 'other' never */
	CHECK(kx_tl_top(TL, 5, top) == 4 && top[0] == 0 && top[1] == 2 &&
	      top[2] == 1 && top[3] == 3);
	CHECK(kx_tl_top(TL, 2, top) == 2 && top[0] == 0 && top[1] == 2);
	CHECK(kx_tl_top(TL, 1, top) == 1 && top[0] == 0);
	CHECK(kx_tl_top(TL, 0, top) == 0);
	/* busiest: 2745, 2200, 2050; the reset one never */
	CHECK(kx_tl_busiest(TL, 8, busy) == 3 && busy[0] == 3 &&
	      busy[1] == 0 && busy[2] == 1);
	CHECK(kx_tl_busiest(TL, 2, busy) == 2 && busy[0] == 3 && busy[1] == 0);
	CHECK(kx_tl_busiest(TL, 1, busy) == 1 && busy[0] == 3);
	/* ties: first seen (top) and earlier (busiest) first; zeros out */
	CHECK(tl_feed(REC_HEAD
		      "{\"t\":1,\"total\":0,\"reasons\":{\"Z\":0}}\n"
		      "{\"t\":2,\"total\":20,\"reasons\":{\"B\":10,\"A\":10}}\n"
		      "{\"t\":3,\"total\":40,\"reasons\":{\"B\":20,\"A\":20}}\n"
		      "{\"t\":4,\"total\":41,\"reasons\":{\"B\":20,\"A\":20,"
		      "\"C\":1}}\n") == 0);
	CHECK(kx_tl_top(TL, 8, top) == 3 && !strcmp(TL->names.name[top[0]], "B") &&
	      !strcmp(TL->names.name[top[1]], "A") &&
	      !strcmp(TL->names.name[top[2]], "C"));
	CHECK(kx_tl_busiest(TL, 8, busy) == 3 && busy[0] == 0 && busy[1] == 1 &&
	      busy[2] == 2);
	tap_group("timeline: top N reasons (not 'other', not zero, ties first "
		  "seen) and busiest intervals (no resets, ties earlier)");
}

static void test_marks(void)
{
	static const char text[] = "# marks\n100.25 boot start\n\n"
				   "101.5\tL2 init  \n  99 before it\n"
				   "104 the end\n100.25 second\n105 after it";
	static const char *const bad[][2] = {
		{ "abc x\n", "m:1: bad time 'abc' (expected seconds since boot" },
		{ "1\n2 x\n", "m:1: no label after the time" },
		{ "2 x\n12.5  \t \n", "m:2: no label after the time" },
		{ "-1 x\n", "m:1: bad time '-1'" },
		{ "1e3 x\n", "m:1: bad time '1e3'" },
		{ "1.0000000001 x\n", "m:1: bad time '1.0000000001'" },
		{ "3 a\x01z\n", "m:1: control character 0x01 in the label "
				"(column 4)" },
		{ "3 a\rz\n", "m:1: control character 0x0d" },
		{ "3 a\0z\n", "m:1: NUL byte in column 4" },
	};
	struct kx_marks mk;
	struct kx_time t;
	char *buf, big[300];
	size_t i;

	buf = strdup(text);
	CHECK(buf && kx_marks_parse(buf, strlen(text), "m", &mk, &E) == 0);
	CHECK(mk.n == 6 && mk.m[0].t.sec == 99 &&
	      !strcmp(mk.m[0].label, "before it") &&
	      !strcmp(mk.m[1].label, "boot start") &&
	      !strcmp(mk.m[2].label, "second") &&
	      !strcmp(mk.m[3].label, "L2 init") && mk.m[3].lineno == 4 &&
	      mk.m[3].t.nsec == 500000000 && !strcmp(mk.m[5].label, "after it"));
	kx_marks_free(&mk);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		size_t len = strlen(bad[i][0]);

		if (strstr(bad[i][1], "NUL"))
			len = 6;
		buf = malloc(len + 1);
		memcpy(buf, bad[i][0], len + 1);
		memset(&E, 0, sizeof(E));
		CHECKF(kx_marks_parse(buf, len, "m", &mk, &E) ==
			       KX_EXIT_BADINPUT &&
			       !strncmp(E.msg, bad[i][1], strlen(bad[i][1])),
		       "case %zu: %s", i, E.msg);
	}
	memset(big, 'x', sizeof(big));
	memcpy(big, "1 ", 2);
	big[sizeof(big) - 1] = '\0';
	buf = strdup(big);
	CHECKF(kx_marks_parse(buf, strlen(big), "m", &mk, &E) ==
		       KX_EXIT_BADINPUT &&
		       !strcmp(E.msg, "m:1: line too long (more than 255 bytes)"),
	       "%s", E.msg);
	buf = strdup("");
	CHECK(kx_marks_parse(buf, 0, "m", &mk, &E) == 0 && mk.n == 0);
	kx_marks_free(&mk);

	/* where they fall: [t0, t1), the last interval up to its end */
	CHECK(tl_feed(GOOD_REC) == 0);
	t.sec = 99;
	t.nsec = 999999999;
	CHECK(kx_tl_locate(TL, &t) == -1);
	t.sec = 100;
	t.nsec = 0;
	CHECK(kx_tl_locate(TL, &t) == 0);
	t.nsec = 250000000;
	CHECK(kx_tl_locate(TL, &t) == 0);
	t.nsec = 500000000;
	CHECK(kx_tl_locate(TL, &t) == 1);
	t.sec = 101;
	t.nsec = 499999999;
	CHECK(kx_tl_locate(TL, &t) == 1);
	t.nsec = 500000000;
	CHECK(kx_tl_locate(TL, &t) == 2);
	t.sec = 103;
	CHECK(kx_tl_locate(TL, &t) == 3);
	t.sec = 104;
	t.nsec = 0;
	CHECK(kx_tl_locate(TL, &t) == 3);
	t.nsec = 1;
	CHECK(kx_tl_locate(TL, &t) == 4);
	tap_group("marks: parsed (comments, blanks, tabs, no last newline), "
		  "sorted, bad lines name MARKS:LINE; placed in their interval");
}

static void test_timeline_errors(void)
{
	static const char *const cases[][2] = {
		{ "", "rec: no samples: a timeline needs at least 2" },
		{ REC_HEAD, "rec: no samples" },
		{ REC_HEAD "{\"t\":1.0,\"total\":1,\"reasons\":{\"A\":1}}\n",
		  "rec: only 1 sample: a timeline needs at least 2" },
		{ "{\"type\":\"interval\",\"format\":1}\n",
		  "rec:1: not a kvmexit-read recording (its first line is "
		  "{\"type\":\"recording\",...}, written by --record); this is "
		  "of type 'interval'" },
		{ "hello\n", "rec:1: not a kvmexit-read recording" },
		{ "{\"type\":\"recording\",\"format\":2,\"source\":\"/s\"}\n",
		  "rec:1: recording format '2' is not supported (this "
		  "kvmexit-read reads format 1)" },
		{ "{\"type\":\"recording\",\"format\":1}\n",
		  "rec:1: missing \"source\"" },
		{ REC_HEAD "{\"t\":2.0,\"total\":1,\"reasons\":{\"A\":1}}\n"
			   "{\"t\":1.5,\"total\":1,\"reasons\":{\"A\":1}}\n",
		  "rec:3: t 1.500000 is not after the previous sample's "
		  "2.000000 (t goes backwards)" },
		{ REC_HEAD "{\"t\":2.0,\"total\":1,\"reasons\":{\"A\":1}}\n"
			   "{\"t\":2.0,\"total\":1,\"reasons\":{\"A\":1}}\n",
		  "rec:3: t 2.000000 is not after" },
		{ REC_HEAD "{\"t\":2.0,\"total\":3,\"reasons\":{\"A\":1}}\n",
		  "rec:2: total 3 does not match the reasons, which add up to 1 "
		  "(file corrupted?)" },
		{ REC_HEAD "{\"t\":2.0,\"reasons\":{\"A\":1}}\n",
		  "rec:2: missing \"total\" (not a sample?)" },
		{ REC_HEAD "{\"total\":1,\"reasons\":{\"A\":1}}\n",
		  "rec:2: missing \"t\"" },
		{ REC_HEAD "{\"t\":1,\"total\":1}\n", "rec:2: missing \"reasons\"" },
		{ REC_HEAD "{\"t\":2.0,\"total\":1,\"reasons\":{\"A\":1}\n",
		  "rec:2: bad JSON: column 37: expected ',' or '}'" },
		{ REC_HEAD "{\"t\":\"2\",\"total\":1,\"reasons\":{\"A\":1}}\n",
		  "rec:2: column 6: \"t\" is '2', not seconds as a plain "
		  "decimal" },
		{ REC_HEAD "{\"t\":-2,\"total\":1,\"reasons\":{\"A\":1}}\n",
		  "rec:2: column 6: \"t\" is '-2'" },
		{ REC_HEAD "{\"t\":2,\"total\":1.5,\"reasons\":{\"A\":1}}\n",
		  "rec:2: column 16: \"total\" is '1.5', not an unsigned 64-bit "
		  "integer" },
		{ REC_HEAD "{\"t\":2,\"total\":1,\"reasons\":{\"A\":-1}}\n",
		  "rec:2: column 33: count of 'A' is '-1', not an unsigned "
		  "64-bit integer" },
		{ REC_HEAD "{\"t\":2,\"total\":2,\"reasons\":{\"A\":1,\"A\":1}}\n",
		  "rec:2: reason 'A' given twice" },
		{ REC_HEAD "{\"t\":2,\"total\":1,\"reasons\":{\"A B\":1}}\n",
		  "rec:2: column 29: bad reason name 'A B'" },
		{ REC_HEAD "{\"t\":2,\"total\":1,\"reasons\":{\"\":1}}\n",
		  "rec:2: column 29: bad reason name ''" },
		{ REC_HEAD "{\"t\":2,\"total\":1,\"reasons\":[1]}\n",
		  "rec:2: column 28: \"reasons\" is not an object" },
		{ REC_HEAD "{\"t\":2,\"total\":1,\"reset\":1,\"reasons\":{}}\n",
		  "rec:2: column 26: \"reset\" is '1', not true or false" },
		{ REC_HEAD "{\"t\":2,\"t\":3,\"total\":0,\"reasons\":{}}\n",
		  "rec:2: column 8: key 't' given twice" },
		{ REC_HEAD REC_HEAD, "rec:2: a line of type 'recording' where a "
				     "sample was expected" },
		{ REC_HEAD "{\"t\":2,\"total\":18446744073709551615,\"reasons\":"
			   "{\"A\":18446744073709551615,\"B\":1}}\n",
		  "rec:2: sum of the reasons overflows 64 bits" },
		{ REC_HEAD "\n", "rec:2: bad JSON: column 1: expected a JSON "
				 "object" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int r = tl_feed(cases[i][0]);

		CHECKF(r == KX_EXIT_BADINPUT &&
			       !strncmp(E.msg, cases[i][1], strlen(cases[i][1])),
		       "case %zu: r=%d '%s'", i, r, E.msg);
	}
	/* unknown keys are skipped (keys may be added) */
	CHECK(tl_feed(REC_HEAD "{\"t\":1,\"x\":[{}],\"total\":0,\"reasons\":{}}\n"
		      "{\"t\":2,\"total\":0,\"reasons\":{},\"y\":null}\n") == 0);
	tap_group("timeline: every corrupt or truncated line is FILE:LINE: "
		  "what is wrong (exit 5)");
}

static void test_timeline_limits(void)
{
	char *text, *p;
	size_t i, size = 600 * 40 + 256;
	int r;

	/* more than 512 different reasons */
	text = malloc(size);
	p = text + sprintf(text, "%s", REC_HEAD);
	for (i = 0; i < 513; i++)
		p += sprintf(p, "{\"t\":%zu,\"total\":1,\"reasons\":{\"R%zu\":1}}\n",
			     i + 1, i);
	r = tl_feed(text);
	CHECKF(r == KX_EXIT_BADINPUT &&
		       !strcmp(E.msg, "rec:514: too many different reasons in "
				      "the recording (more than 512)"),
	       "%s", E.msg);
	free(text);
	tap_group("timeline: the number of reasons is bounded, and the error "
		  "says so");
}

static void test_linereader(void)
{
	char dir[] = "/tmp/kx-unit-XXXXXX", path[600], cmd[700];
	struct kx_lreader lr;
	const char *line;
	size_t n, lines = 0, bytes = 0;
	FILE *f;
	int r, i;

	if (!mkdtemp(dir)) {
		CHECK(0);
		tap_group("line reader");
		return;
	}
	snprintf(path, sizeof(path), "%s/f", dir);
	/* lines across many read chunks */
	f = fopen(path, "w");
	for (i = 0; i < 3000; i++)
		fprintf(f, "%0*d\n", 1 + i % 97, i);
	fclose(f);
	CHECK(kx_lreader_open(&lr, path, 100, KX_EXIT_BADINPUT, &E) == 0);
	while ((r = kx_lreader_next(&lr, &line, &n, &E)) == 1) {
		lines++;
		bytes += n + 1;
		if (lines == 2999)
			CHECK(n == 1 + 2998 % 97 && line[n - 1] == '8');
	}
	CHECK(r == 0 && lines == 3000 && lr.lineno == 3000);
	kx_lreader_close(&lr);
	/* a line of exactly max bytes, then one more */
	f = fopen(path, "w");
	fprintf(f, "0123456789\n01234567890\n");
	fclose(f);
	CHECK(kx_lreader_open(&lr, path, 10, KX_EXIT_BADINPUT, &E) == 0);
	CHECK(kx_lreader_next(&lr, &line, &n, &E) == 1 && n == 10);
	r = kx_lreader_next(&lr, &line, &n, &E);
	CHECKF(r == -KX_EXIT_BADINPUT && strstr(E.msg, "/f:2: line too long "
						"(more than 10 bytes)"),
	       "%s", E.msg);
	kx_lreader_close(&lr);
	f = fopen(path, "w");
	fprintf(f, "ab\ncd");
	fclose(f);
	CHECK(kx_lreader_open(&lr, path, 10, KX_EXIT_BADINPUT, &E) == 0);
	CHECK(kx_lreader_next(&lr, &line, &n, &E) == 1 && n == 2);
	r = kx_lreader_next(&lr, &line, &n, &E);
	CHECKF(r == -KX_EXIT_BADINPUT &&
		       strstr(E.msg, "/f:2: last line has no newline (file "
				     "truncated?)"),
	       "%s", E.msg);
	kx_lreader_close(&lr);
	f = fopen(path, "w");
	fwrite("ab\nc\0d\n", 1, 7, f);
	fclose(f);
	CHECK(kx_lreader_open(&lr, path, 10, KX_EXIT_BADINPUT, &E) == 0);
	CHECK(kx_lreader_next(&lr, &line, &n, &E) == 1);
	r = kx_lreader_next(&lr, &line, &n, &E);
	CHECKF(r == -KX_EXIT_BADINPUT && strstr(E.msg, "/f:2: NUL byte in "
						"column 2"),
	       "%s", E.msg);
	kx_lreader_close(&lr);
	f = fopen(path, "w");
	fclose(f);
	CHECK(kx_lreader_open(&lr, path, 10, KX_EXIT_BADINPUT, &E) == 0 &&
	      kx_lreader_next(&lr, &line, &n, &E) == 0 && lr.lineno == 0);
	kx_lreader_close(&lr);
	snprintf(path, sizeof(path), "%s/none", dir);
	CHECK(kx_lreader_open(&lr, path, 10, 7, &E) == 7 &&
	      strstr(E.msg, "No such file"));
	kx_lreader_close(&lr);
	CHECK(kx_lreader_open(&lr, dir, 10, 7, &E) == 0 &&
	      kx_lreader_next(&lr, &line, &n, &E) == -KX_EXIT_RUNTIME &&
	      strstr(E.msg, "read failed: Is a directory"));
	kx_lreader_close(&lr);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	(void)bytes;
	tap_group("line reader: chunks, the line bound, truncation, NUL, "
		  "empty, missing file, read errors (as minus a code)");
}

/* The rendering of GOOD_REC with v's options, with an out that keeps
 * everything */
static const char *render(int (*fn)(const struct kx_tl_view *,
				    struct kx_tl_out *, struct kx_err *),
			  const struct kx_marks *mk, size_t top,
			  size_t busiest, struct kx_buf *b)
{
	struct kx_tl_view v = { TL, mk, top, busiest };
	struct kx_tl_out o;

	kx_buf_init(&o.b);
	o.flush = NULL;
	o.ctx = NULL;
	CHECK(fn(&v, &o, &E) == 0);
	kx_buf_free(b);
	*b = o.b;
	return b->p ? b->p : "";
}

static void test_timeline_render(void)
{
	static const char marks[] = "100.25 boot start\n101.5 L2 init\n"
				    "99 before it\n104 the end\n105 after it\n";
	struct kx_marks mk;
	const char *s, *want;
	struct kx_buf b;

	kx_buf_init(&b);
	CHECK(tl_feed(GOOD_REC) == 0);
	CHECK(kx_marks_parse(strdup(marks), strlen(marks), "m", &mk, &E) == 0);
	s = render(kx_tl_table, &mk, 2, 0, &b);
	CHECKF(!strcmp(s,
"rec: 5 samples of /test/kvm_exits (vmx), 4.000 s from t 100.000000\n"
"START  INTERVAL   EXITS/s     CPUID  IO_INSTRUCTION   other\n"
"--- -1.000 s before it (before the recording)\n"
"--- 0.250 s boot start\n"
"0.000     0.500  2,200.00  2,000.00            0.00  200.00\n"
"0.500     1.000  2,050.00  1,000.00        1,000.00   50.00\n"
"--- 1.500 s L2 init\n"
"1.500     0.500     reset         -               -       -\n"
"--- 4.000 s the end\n"
"2.000     2.000  2,745.00  2,500.00            0.00  245.00\n"
"--- 5.000 s after it (after the recording)\n"
"total: 8,750 exits in 4.000 s, 2,187.50 exits/s (4 intervals, 1 with a "
"counter reset, counted from the reset)\n"), "%s", s);
	s = render(kx_tl_table, &mk, 5, 2, &b);
	CHECKF(!strcmp(s,
"rec: 5 samples of /test/kvm_exits (vmx), 4.000 s from t 100.000000; the 2 "
"busiest of 4 intervals\n"
"START  INTERVAL   EXITS/s     CPUID  IO_INSTRUCTION     HLT  MSR_WRITE  other\n"
"--- 4.000 s the end\n"
"2.000     2.000  2,745.00  2,500.00            0.00  200.00       0.00  45.00\n"
"--- 0.250 s boot start\n"
"0.000     0.500  2,200.00  2,000.00            0.00  200.00       0.00   0.00\n"
"total: 8,750 exits in 4.000 s, 2,187.50 exits/s (4 intervals, 1 with a "
"counter reset, counted from the reset)\n"), "%s", s);
	s = render(kx_tl_tsv, NULL, 3, 0, &b);
	CHECKF(!strcmp(s,
"t\tinterval\ttotal\tCPUID\tIO_INSTRUCTION\tHLT\tother\n"
"100.000000\t0.500000\t2200.00\t2000.00\t0.00\t200.00\t0.00\n"
"100.500000\t1.000000\t2050.00\t1000.00\t1000.00\t0.00\t50.00\n"
"101.500000\t0.500000\t0.00\t0.00\t0.00\t0.00\t0.00\n"
"102.000000\t2.000000\t2745.00\t2500.00\t0.00\t200.00\t45.00\n"), "%s", s);
	s = render(kx_tl_tsv, NULL, 0, 1, &b);
	CHECKF(!strcmp(s, "t\tinterval\ttotal\tother\n"
		       "102.000000\t2.000000\t2745.00\t2745.00\n"), "%s", s);
	s = render(kx_tl_json, &mk, 5, 0, &b);
	want = "{\"type\":\"timeline\",\"format\":1,\"seq\":1,"
	       "\"t\":100.000000000,\"elapsed_seconds\":0.000,"
	       "\"interval_seconds\":0.500,\"reset\":false,\"total\":1100,"
	       "\"exits_per_second\":2200.00,\"reasons\":[{\"name\":"
	       "\"CPUID\",\"delta\":1000,\"per_second\":2000.00},{\"name\":"
	       "\"HLT\",\"delta\":100,\"per_second\":200.00}],\"marks\":[{"
	       "\"t\":100.250000000,\"label\":\"boot start\"}]}\n{";
	CHECKF(!strncmp(s, want, strlen(want)), "%s", s);
	CHECK(strstr(s, "\"seq\":3,\"t\":101.500000000,\"elapsed_seconds\":"
		     "1.500,\"interval_seconds\":0.500,\"reset\":true,"
		     "\"total\":110,\"exits_per_second\":null,\"reasons\":[{"
		     "\"name\":\"CPUID\",\"delta\":100,\"per_second\":null},"));
	CHECK(strstr(s, "\"marks\":[{\"t\":104.000000000,\"label\":\"the "
		     "end\"}]}\n") && !strstr(s, "before it") &&
	      !strstr(s, "after it"));
	kx_marks_free(&mk);
	kx_buf_free(&b);
	kx_tl_free(TL);
	free(TL);
	TL = NULL;
	tap_group("timeline output: exact table (marks, reset, other, "
		  "summary), --busiest, --tsv, --json");
}

static void test_cli_record_timeline(void)
{
	static const char *const usage[] = {
		"--record f", "--record f --interval 0",
		"--record f --interval 0.001", "--record f --interval nan",
		"--record f --interval 1 --count 1", "--interval 1",
		"--watch 1 --interval 1", "--record f --interval 1 --json",
		"--record f --interval 1 --output g",
		"--record f --interval 1 --count 3 -- true",
		"--record - --interval 1 -- true", "--timeline f --top 513",
		"--timeline f --top x", "--timeline f --busiest 0",
		"--timeline f --json --top 3", "--timeline f --json --tsv",
		"--timeline f --tsv --marks m", "--top 3", "--busiest 2",
		"--marks m", "--tsv", "--timeline f --vm 12",
		"--timeline f --output g", "--record f --timeline g",
		"--timeline f --per-vcpu",
	};
	struct kx_opts o;
	size_t i;

	for (i = 0; i < sizeof(usage) / sizeof(*usage); i++)
		CHECKF(cli(usage[i], &o) == KX_EXIT_USAGE, "'%s' -> '%s'",
		       usage[i], E.msg);
	CHECK(cli("--record f --interval 0.5 --count 3", &o) == 0 &&
	      o.mode == KX_MODE_RECORD && !strcmp(o.record, "f") &&
	      o.interval.sec == 0 && o.interval.nsec == 500000000 &&
	      o.count == 3 && !o.cmd);
	CHECK(cli("--interval=0.01 --record=f -- sh -c x", &o) == 0 &&
	      o.mode == KX_MODE_RECORD && !strcmp(o.cmd[0], "sh") &&
	      o.interval.nsec == 10000000);
	CHECK(cli("--timeline f", &o) == 0 && o.mode == KX_MODE_TIMELINE &&
	      o.top == KX_TL_TOP_DEFAULT && !o.busiest && !o.marks &&
	      o.fmt == KX_FMT_TEXT);
	CHECK(cli("--timeline f --top 0 --busiest 3 --marks m", &o) == 0 &&
	      o.top == 0 && o.busiest == 3 && !strcmp(o.marks, "m"));
	CHECK(cli("--timeline f --tsv --top 2", &o) == 0 &&
	      o.fmt == KX_FMT_TSV && o.top == 2);
	CHECK(cli("--timeline f -p --marks m", &o) == 0 &&
	      o.fmt == KX_FMT_JSON && o.pretty);
	CHECKF(cli("--record f --interval 1 --count 1", &o) == KX_EXIT_USAGE &&
		       !strcmp(E.msg, "--count: a recording needs at least 2 "
				      "samples, not 1"),
	       "%s", E.msg);
	tap_group("command line: --record, --interval, --timeline, --top, "
		  "--busiest, --marks, --tsv and what they combine with");
}

int main(void)
{
	test_by_reason_ok();
	test_by_reason_errors();
	test_vendor_total();
	test_snapshot_roundtrip();
	test_snapshot_errors();
	test_snapshot_truncation_and_corruption();
	test_diff();
	test_diff_refusals();
	test_table();
	test_json_prom();
	test_seconds();
	test_json_indent();
	test_cli();
	test_mountinfo();
	test_explain();
	test_files();
	test_helpers();
	test_times();
	test_fmt_ns();
	test_time_table_json_prom();
	test_snapshot_v2();
	test_snapshot_v2_errors();
	test_diff_times_vcpus();
	test_vm();
	test_decimal();
	test_json_scanner();
	test_rec_format();
	test_rec_went_down();
	test_timeline_rates();
	test_timeline_top_busiest();
	test_marks();
	test_timeline_errors();
	test_timeline_limits();
	test_linereader();
	test_timeline_render();
	test_cli_record_timeline();
	return tap_done();
}
