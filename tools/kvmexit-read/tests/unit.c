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
#include "detail.h"
#include "diff.h"
#include "err.h"
#include "fileio.h"
#include "hist.h"
#include "jsonl.h"
#include "linereader.h"
#include "marks.h"
#include "msr_names.h"
#include "output.h"
#include "parse.h"
#include "probe.h"
#include "recording.h"
#include "snapshot.h"
#include "tap.h"
#include "timeline.h"
#include "user.h"
#include "vm.h"

static struct kx_counters C;
static struct kx_buf B2; /* scratch text */
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
	expect_snap_error(edit("snapshot 1", "snapshot 5"),
			  "s:1: unsupported snapshot format version '5' (this "
			  "kvmexit-read reads versions 1 to 4)");
	expect_snap_error(edit("snapshot 1", "snapshot 0"),
			  "s:1: unsupported snapshot format version '0'");
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
	kx_watch_line(&D, 1.5, 0, &b);
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

/* --- detail tables: by_msr, by_io_port, by_exception ---------------------- */

static struct kx_detail_table DT;

static const char MSR_EX[] =
	"# msr access count\n"
	"0x0000001b read 400\n"
	"0x000001a0 write 200\n"
	"other 7\n";
static const char IO_EX[] =
	"# port size access count\n"
	"0x010f 1 out 1000\n"
	"0x0070 1 in 3\n"
	"other 0\n";
static const char EXC_EX[] =
	"# vector name count\n"
	"6 UD 300\n"
	"14 PF 2\n"
	"other 0\n";

static int parse_det(enum kx_detail_kind k, const char *s, size_t len)
{
	memset(&E, 0, sizeof(E));
	return kx_parse_detail(k, s, len, "f", &DT, &E);
}

#define PARSE_DET(k, s) parse_det(k, s, sizeof(s) - 1)

/* kind k's parse of in[0..len) must fail with a message containing want */
static void expect_det_error(enum kx_detail_kind k, const char *in,
			     size_t len, const char *want)
{
	int r = parse_det(k, in, len);

	CHECKF(r == KX_EXIT_BADINPUT && strstr(E.msg, want),
	       "want '%s', got r=%d '%s'", want, r, E.msg);
}

#define DET_ERR(k, s, want) expect_det_error(k, s, sizeof(s) - 1, want)

static void test_detail_parse(void)
{
	CHECK(PARSE_DET(KX_DET_MSR, MSR_EX) == 0);
	CHECK(DT.kind == KX_DET_MSR && DT.n == 2 && DT.other == 7 &&
	      DT.sum == 607 && DT.other_line == 4);
	CHECK(DT.r[0].key == 0x1b && !DT.r[0].write && DT.r[0].count == 400 &&
	      DT.r[0].lineno == 2);
	CHECK(DT.r[1].key == 0x1a0 && DT.r[1].write && DT.r[1].count == 200);
	CHECK(PARSE_DET(KX_DET_IO, IO_EX) == 0);
	/* sorted by key: port 0x70 first */
	CHECK(DT.n == 2 && DT.sum == 1003 && DT.r[0].key == 0x70 &&
	      DT.r[0].size == 1 && !DT.r[0].write && DT.r[0].count == 3 &&
	      DT.r[1].key == 0x10f && DT.r[1].write && DT.r[1].count == 1000);
	CHECK(PARSE_DET(KX_DET_EXC, EXC_EX) == 0);
	CHECK(DT.n == 2 && DT.sum == 302 && DT.r[0].key == 6 &&
	      !strcmp(DT.r[0].name, "UD") && DT.r[1].key == 14 &&
	      !strcmp(DT.r[1].name, "PF"));
	tap_group("detail tables: the documented examples parse to exact "
		  "values, rows sorted by key");

	/* the parameter never set: a header and other 0 */
	CHECK(PARSE_DET(KX_DET_MSR, "# msr access count\nother 0\n") == 0 &&
	      DT.n == 0 && DT.sum == 0);
	/* fields separated by runs of spaces, header words too */
	CHECK(PARSE_DET(KX_DET_IO, "#  port size   access count\n"
				   "  0xcf8  4  out  20  \n0x1 2 in 1\n"
				   "other   5\n") == 0 &&
	      DT.n == 2 && DT.r[0].key == 1 && DT.r[0].size == 2 &&
	      DT.r[1].key == 0xcf8 && DT.r[1].size == 4 && DT.sum == 26);
	/* same port and size, both directions */
	CHECK(PARSE_DET(KX_DET_IO, "# port size access count\n0x70 1 out 1\n"
				   "0x70 1 in 2\n0x70 2 in 3\nother 0\n") == 0 &&
	      DT.n == 3 && !DT.r[0].write && DT.r[0].size == 1 &&
	      DT.r[1].write && DT.r[2].size == 2);
	CHECK(PARSE_DET(KX_DET_MSR, "# msr access count\n0xffffffff write 1\n"
				    "0xC0000080 read 18446744073709551613\n"
				    "other 1\n") == 0 &&
	      DT.sum == UINT64_MAX && DT.r[0].key == 0xc0000080 &&
	      DT.r[1].key == 0xffffffffu);
	CHECK(PARSE_DET(KX_DET_EXC, "# vector name count\n0 DE 1\n31 - 2\n"
				    "2 NMI 3\nother 0\n") == 0 &&
	      DT.n == 3 && DT.r[2].key == 31 && !strcmp(DT.r[2].name, "-") &&
	      !kx_detail_name(KX_DET_EXC, &DT.r[2]) &&
	      !strcmp(kx_detail_name(KX_DET_EXC, &DT.r[1]), "NMI"));
	tap_group("detail tables: no rows, runs of spaces, both directions, "
		  "u64 sum, unnamed vectors");
}

static void test_detail_errors(void)
{
	char *many;
	size_t i, o;

	DET_ERR(KX_DET_MSR, "", "f:1: empty file (expected the header line "
				"'# msr access count')");
	DET_ERR(KX_DET_MSR, "0x0000001b read 400\nother 0\n",
		"f:1: expected the header line '# msr access count' first");
	DET_ERR(KX_DET_MSR, "# msr count access\nother 0\n",
		"f:1: bad header '# msr count access' (expected '# msr access "
		"count')");
	DET_ERR(KX_DET_MSR, "# msr access count extra\nother 0\n",
		"f:1: bad header");
	DET_ERR(KX_DET_IO, "# msr access count\nother 0\n",
		"(expected '# port size access count')");
	DET_ERR(KX_DET_EXC, "#\nother 0\n", "f:1: bad header '#'");
	DET_ERR(KX_DET_MSR, "# msr access count\n0x0000zz1b read 1\nother 0\n",
		"f:2: bad MSR '0x0000zz1b' (expected 0x and 1 to 8 hex "
		"digits)");
	DET_ERR(KX_DET_MSR, "# msr access count\n0x000000001 read 1\nother 0\n",
		"f:2: bad MSR '0x000000001'");
	DET_ERR(KX_DET_MSR, "# msr access count\n0x read 1\nother 0\n",
		"f:2: bad MSR '0x'");
	DET_ERR(KX_DET_MSR, "# msr access count\n1b read 1\nother 0\n",
		"f:2: bad MSR '1b'");
	DET_ERR(KX_DET_MSR, "# msr access count\n0X1b read 1\nother 0\n",
		"f:2: bad MSR '0X1b'");
	DET_ERR(KX_DET_MSR, "# msr access count\n0x1b Read 1\nother 0\n",
		"f:2: bad access 'Read' (expected read or write)");
	DET_ERR(KX_DET_MSR, "# msr access count\n0x1b in 1\nother 0\n",
		"f:2: bad access 'in' (expected read or write)");
	DET_ERR(KX_DET_IO, "# port size access count\n0x70 1 read 1\nother 0\n",
		"f:2: bad access 'read' (expected in or out)");
	DET_ERR(KX_DET_IO, "# port size access count\n0x10000 1 in 1\nother 0\n",
		"f:2: bad port '0x10000' (expected 0x and 1 to 4 hex digits)");
	DET_ERR(KX_DET_IO, "# port size access count\n0x70 3 in 1\nother 0\n",
		"f:2: bad size '3' (expected 1, 2 or 4)");
	DET_ERR(KX_DET_IO, "# port size access count\n0x70 01 in 1\nother 0\n",
		"f:2: bad size '01'");
	DET_ERR(KX_DET_IO, "# port size access count\n0x70 8 in 1\nother 0\n",
		"f:2: bad size '8'");
	DET_ERR(KX_DET_EXC, "# vector name count\n32 XX 1\nother 0\n",
		"f:2: bad vector '32' (expected 0 to 31)");
	DET_ERR(KX_DET_EXC, "# vector name count\n-1 XX 1\nother 0\n",
		"f:2: bad vector '-1'");
	DET_ERR(KX_DET_EXC, "# vector name count\n0x6 UD 1\nother 0\n",
		"f:2: bad vector '0x6'");
	DET_ERR(KX_DET_EXC,
		"# vector name count\n6 ABCDEFGHIJKLMNOP 1\nother 0\n",
		"f:2: bad exception name 'ABCDEFGHIJKLMNOP' (1 to 15 "
		"printable characters expected)");
	DET_ERR(KX_DET_MSR, "# msr access count\n0x1b read 1\n"
			    "0x0000001b read 2\nother 0\n",
		"f:3: duplicate MSR 0x0000001b read (first on line 2)");
	DET_ERR(KX_DET_IO, "# port size access count\n0x70 1 in 1\n"
			   "0x0070 1 in 2\nother 0\n",
		"f:3: duplicate port 0x0070 size 1 in (first on line 2)");
	DET_ERR(KX_DET_EXC, "# vector name count\n6 UD 1\n6 XX 2\nother 0\n",
		"f:3: duplicate vector 6 (first on line 2)");
	DET_ERR(KX_DET_MSR, "# msr access count\n0x1b read 1\n",
		"f:3: end of file without the 'other' line (file truncated?)");
	DET_ERR(KX_DET_MSR, "# msr access count\n",
		"f:2: end of file without the 'other' line");
	DET_ERR(KX_DET_MSR, "# msr access count\nother 1\nother 1\n",
		"f:3: duplicate 'other' line (first on line 2)");
	DET_ERR(KX_DET_MSR, "# msr access count\nother 1\n0x1b read 1\n",
		"f:3: line after the 'other' line (which must be the last one, "
		"line 2)");
	DET_ERR(KX_DET_MSR, "# msr access count\nother\n",
		"f:2: expected 'other <count>'");
	DET_ERR(KX_DET_MSR, "# msr access count\nother 1 2\n",
		"f:2: expected 'other <count>'");
	DET_ERR(KX_DET_MSR, "# msr access count\n0x1b read\nother 0\n",
		"f:2: expected 3 fields '<msr> <access> <count>' or 'other "
		"<count>', got 2");
	DET_ERR(KX_DET_IO, "# port size access count\n0x70 in 1\nother 0\n",
		"f:2: expected 4 fields '<port> <size> <access> <count>'");
	DET_ERR(KX_DET_MSR, "# msr access count\n\nother 0\n",
		"f:2: expected 3 fields");
	DET_ERR(KX_DET_MSR, "# msr access count\n# again\nother 0\n",
		"f:2: '#' line is only allowed as the first line (the "
		"header)");
	DET_ERR(KX_DET_MSR, "# msr access count\n0x1b read 1a\nother 0\n",
		"f:2: count '1a' is not an unsigned decimal number");
	DET_ERR(KX_DET_MSR, "# msr access count\n0x1b read 1\nother -1\n",
		"f:3: count '-1' is not an unsigned decimal number");
	DET_ERR(KX_DET_MSR, "# msr access count\n"
			    "0x1b read 18446744073709551616\nother 0\n",
		"f:2: count '18446744073709551616' does not fit in 64 bits");
	DET_ERR(KX_DET_MSR, "# msr access count\n"
			    "0x1b read 18446744073709551615\n0x1c read 1\n"
			    "other 0\n",
		"f:3: sum of the counts overflows 64 bits");
	DET_ERR(KX_DET_MSR, "# msr access count\n"
			    "0x1b read 18446744073709551615\nother 1\n",
		"f:3: sum of the counts overflows 64 bits");
	DET_ERR(KX_DET_MSR, "# msr access count\n0x1b read 1\r\nother 0\n",
		"f:2: count '1\\x0d' is not an unsigned decimal number");
	DET_ERR(KX_DET_MSR, "# msr access count\n0x1b re\0d 1\nother 0\n",
		"f:2: NUL byte in column 8");
	DET_ERR(KX_DET_MSR, "# msr access count\nother 0",
		"f:2: last line has no newline (file truncated?)");
	many = malloc(64 + (KX_DETAIL_ROWS_MAX + 1) * 24);
	o = (size_t)sprintf(many, "# msr access count\n");
	for (i = 0; i <= KX_DETAIL_ROWS_MAX; i++)
		o += (size_t)sprintf(many + o, "0x%08zx read 1\n", i);
	o += (size_t)sprintf(many + o, "other 0\n");
	expect_det_error(KX_DET_MSR, many, o,
			 "f:1026: too many rows (more than 1024)");
	/* exactly the limit reads */
	o = (size_t)sprintf(many, "# msr access count\n");
	for (i = 0; i < KX_DETAIL_ROWS_MAX; i++)
		o += (size_t)sprintf(many + o, "0x%08zx write 1\n", i);
	o += (size_t)sprintf(many + o, "other 0\n");
	CHECK(parse_det(KX_DET_MSR, many, o) == 0 &&
	      DT.n == KX_DETAIL_ROWS_MAX && DT.sum == KX_DETAIL_ROWS_MAX);
	free(many);
	tap_group("detail tables: bad header, hex, access, size, vector, "
		  "name, duplicate key, missing/duplicate other, fields, NUL, "
		  "CR, counts and sums over 64 bits, too many rows are "
		  "refused with file and line");
}

static void test_msr_names(void)
{
	size_t i, bad = 0;

	CHECKF(kx_msr_name(0x1b) &&
		       !strcmp(kx_msr_name(0x1b), "IA32_APICBASE"),
	       "%s", kx_msr_name(0x1b));
	CHECK(kx_msr_name(0xc0000080) &&
	      !strcmp(kx_msr_name(0xc0000080), "EFER"));
	CHECK(kx_msr_name(0x1a0) &&
	      !strcmp(kx_msr_name(0x1a0), "IA32_MISC_ENABLE"));
	/* one index, two names: the first in msr-index.h */
	CHECK(kx_msr_name(0xc0000082) &&
	      !strcmp(kx_msr_name(0xc0000082), "LSTAR"));
	/* decimal values are bit numbers, not indexes: 0x1f has no name */
	CHECK(!kx_msr_name(0x1f));
	CHECK(!kx_msr_name(0x80b) && !kx_msr_name(0xffffffff));
	CHECK(kx_msr_names_count > 400 && strlen(kx_msr_names_sha256) == 64);
	CHECK(kx_msr_name(kx_msr_names[0].index) == kx_msr_names[0].name);
	for (i = 0; i < kx_msr_names_count; i++) {
		const char *n = kx_msr_names[i].name;

		if ((i && kx_msr_names[i].index <= kx_msr_names[i - 1].index) ||
		    !strncmp(n, "MSR_", 4) ||
		    kx_check_word(n, strlen(n), 64) ||
		    kx_msr_name(kx_msr_names[i].index) != n)
			bad++;
	}
	CHECKF(bad == 0, "%zu bad entries", bad);
	tap_group("MSR names: 0x1b IA32_APICBASE, 0xc0000080 EFER, the first "
		  "name of an index, %zu entries sorted and found by lookup",
		  kx_msr_names_count);
}

static void make_det_snapshot(struct kx_snapshot *s, const char *br,
			      uint64_t boot_sec, const char *msr,
			      const char *io, const char *exc)
{
	const char *text[KX_DET_KINDS] = { msr, io, exc };
	int k;

	make_snapshot(s, br, boot_sec);
	s->det = calloc(1, sizeof(*s->det));
	if (!s->det)
		abort();
	for (k = 0; k < KX_DET_KINDS; k++) {
		if (!text[k])
			continue;
		CHECK(kx_parse_detail(k, text[k], strlen(text[k]), "f",
				      &s->det->t[k], &E) == 0);
		s->det->mask |= KX_DETAIL_BIT(k);
	}
}

static const char DET_SNAP_TAIL[] =
	"sum 2019\n"
	"msr 0x0000001b read 400\n"
	"msr 0x000001a0 write 200\n"
	"msr other 7\n"
	"msr_sum 607\n"
	"io 0x0070 1 in 3\n"
	"io 0x010f 1 out 1000\n"
	"io other 0\n"
	"io_sum 1003\n"
	"exception 6 UD 300\n"
	"exception 14 PF 2\n"
	"exception other 0\n"
	"exception_sum 302\n"
	"end\n";

/* SNAP_TEXT as format 3 with the three example tables */
static const char *det_snap_text(void)
{
	static char out[4096];
	const char *head = strchr(SNAP_TEXT, '\n') + 1;
	const char *total = strstr(SNAP_TEXT, "total ");
	const char *sum = strstr(SNAP_TEXT, "sum 2019\n");

	snprintf(out, sizeof(out),
		 "kvmexit-read-snapshot 3\n%.*sscope global\n%.*s%s",
		 (int)(total - head), head, (int)(sum - total), total,
		 DET_SNAP_TAIL);
	return out;
}

static void expect_det_snap_error(const char *text, const char *want)
{
	int r;

	kx_snapshot_release(&SB);
	r = kx_snapshot_parse(text, strlen(text), "s", &SB, &E);
	CHECKF(r == KX_EXIT_BADINPUT && strstr(E.msg, want) && !SB.det,
	       "want '%s', got r=%d '%s'", want, r, E.msg);
}

static void test_detail_snapshot(void)
{
	const char *want = det_snap_text();
	struct kx_buf b;
	size_t i, len, bad_prefix = 0;

	kx_snapshot_release(&SA);
	make_det_snapshot(&SA, EXAMPLE, 1000, MSR_EX, IO_EX, EXC_EX);
	CHECK(kx_snapshot_version(&SA) == 3);
	kx_buf_init(&b);
	kx_snapshot_format(&SA, &b);
	CHECKF(b.p && !strcmp(b.p, want), "got:\n%s\nwant:\n%s", b.p, want);
	kx_snapshot_release(&SB);
	CHECK(kx_snapshot_parse(b.p, b.len, "s", &SB, &E) == 0);
	CHECK(SB.det && SB.det->mask == KX_DETAIL_ALL && !SB.scope[0] &&
	      SB.c.sum == 2019);
	for (i = 0; SB.det && i < KX_DET_KINDS; i++)
		CHECK(SB.det->t[i].n == SA.det->t[i].n &&
		      SB.det->t[i].sum == SA.det->t[i].sum &&
		      SB.det->t[i].other == SA.det->t[i].other &&
		      SB.det->t[i].r[1].key == SA.det->t[i].r[1].key &&
		      SB.det->t[i].r[1].count == SA.det->t[i].r[1].count);
	/* only the MSR table: the others are absent, not empty */
	kx_snapshot_release(&SA);
	make_det_snapshot(&SA, EXAMPLE, 1000, MSR_EX, NULL, NULL);
	kx_buf_reset(&b);
	kx_snapshot_format(&SA, &b);
	kx_snapshot_release(&SB);
	CHECK(kx_snapshot_parse(b.p, b.len, "s", &SB, &E) == 0 && SB.det &&
	      SB.det->mask == KX_DETAIL_BIT(KX_DET_MSR) &&
	      !strstr(b.p, "io "));
	/* no tables: format 1 as before */
	kx_snapshot_release(&SA);
	make_snapshot(&SA, EXAMPLE, 1000);
	CHECK(kx_snapshot_version(&SA) == 1);
	/* every proper prefix is refused, leaving nothing allocated */
	len = strlen(want);
	for (i = 0; i < len; i++) {
		kx_snapshot_release(&SB);
		if (kx_snapshot_parse(want, i, "s", &SB, &E) !=
			    KX_EXIT_BADINPUT ||
		    SB.det)
			bad_prefix++;
	}
	CHECKF(bad_prefix == 0, "%zu prefixes accepted", bad_prefix);
	kx_buf_free(&b);
	tap_group("snapshot format 3: exact text of the detail tables, round "
		  "trip, a table not read is absent, all %zu truncations "
		  "refused",
		  len);

	expect_det_snap_error(edit_in(want, "snapshot 3", "snapshot 2"),
			      "s:17: 'msr' line in a version 2 snapshot "
			      "(detail tables need version 3)");
	expect_det_snap_error(edit_in(want, "msr_sum 607", "msr_sum 608"),
			      "s:20: msr_sum 608 does not match the msr lines, "
			      "which add up to 607 (file corrupted?)");
	expect_det_snap_error(edit_in(want, "msr_sum 607", "msr_sum x"),
			      "s:20: bad msr_sum 'x'");
	expect_det_snap_error(edit_in(want, "msr other 7\n",
				      "msr 0x1b read 1\nmsr other 7\n"),
			      "s:19: duplicate MSR 0x0000001b read (first on "
			      "line 17)");
	expect_det_snap_error(edit_in(want, "msr_sum 607\n",
				      "msr 0x1c read 1\nmsr_sum 607\n"),
			      "s:20: line after the 'other' line (which must "
			      "be the last one, line 19)");
	expect_det_snap_error(edit_in(want, "msr_sum 607\n",
				      "msr other 1\nmsr_sum 607\n"),
			      "s:20: duplicate 'other' line (first on line "
			      "19)");
	expect_det_snap_error(edit_in(want, "msr other 7\n", ""),
			      "s:19: 'msr_sum' line before the 'msr other' "
			      "line");
	expect_det_snap_error(edit_in(want, "io_sum 1003\n", ""),
			      "s:28: 'end' before the 'io_sum' line");
	expect_det_snap_error(edit_in(want, "end\n", "msr other 1\nend\n"),
			      "s:29: 'msr' line after the 'msr_sum' line (line "
			      "20)");
	expect_det_snap_error(edit_in(want, "scope global", "scope 12-3"),
			      "s:17: 'msr' line in a snapshot of VM 12-3 (the "
			      "MSR, I/O port and exception tables are "
			      "global)");
	expect_det_snap_error(edit_in(edit_in(want, "sum 2019\n", ""), "end\n",
				      "sum 2019\nend\n"),
			      "s:16: 'msr' line before the counters' 'sum' "
			      "line");
	expect_det_snap_error(edit_in(want, "io 0x0070 1 in 3",
				      "io 0x0070 3 in 3"),
			      "s:21: bad size '3'");
	expect_det_snap_error(edit_in(want, "exception 6 UD 300",
				      "exception 6 300"),
			      "s:25: expected 'exception <vector> <name> "
			      "<count>' or 'exception other <count>'");
	expect_det_snap_error(edit_in(want, "msr_sum 607", "msr_sum 607 1"),
			      "s:20: expected 'msr_sum VALUE'");
	expect_det_snap_error(edit_in(want, "exception 14 PF 2",
				      "exception 32 PF 2"),
			      "s:26: bad vector '32'");
	expect_det_snap_error(edit_in(want, "msr_sum", "msr_summ"),
			      "s:20: unknown key 'msr_summ'");
	tap_group("snapshot format 3: detail lines in a version 2 file or a "
		  "VM's, sums, duplicates, order and bad rows are refused "
		  "with file and line");
}

static const char MSR_LATER[] =
	"# msr access count\n"
	"0x0000001b read 900\n"
	"0x000001a0 write 200\n"
	"0x0000080b write 100\n"
	"other 9\n";
static const char MSR_RESET[] =
	"# msr access count\n"
	"0x0000080b write 5\n"
	"0x0000001b read 10\n"
	"other 0\n";
static const char EXC_LATER[] =
	"# vector name count\n"
	"6 UD 400\n"
	"14 PF 2\n"
	"13 GP 5\n"
	"other 0\n";

static void test_detail_diff(void)
{
	const struct kx_detail_diff *t;
	size_t idx[2 * KX_DETAIL_ROWS_MAX], n;
	unsigned mx = KX_DETAIL_BIT(KX_DET_MSR) | KX_DETAIL_BIT(KX_DET_EXC);

	kx_snapshot_release(&SA);
	kx_snapshot_release(&SB);
	make_det_snapshot(&SA, EXAMPLE, 1000, MSR_EX, IO_EX, EXC_EX);
	make_det_snapshot(&SB, LATER, 1010, MSR_LATER, NULL, EXC_LATER);
	kx_diff_release(&D);
	CHECK(kx_diff(&SA, &SB, "a", "b", 0, &D, &E) == 0);
	CHECKF(kx_diff_detail(&D, mx, "a", "b", 0, &E) == 0, "%s", E.msg);
	CHECK(D.det && D.det->mask == mx && D.problems == 0);
	t = &D.det->t[KX_DET_MSR];
	/* by key: 0x1b +500, 0x1a0 +0, 0x80b new +100; other +2 */
	CHECK(t->n == 3 && t->total == 602 && t->other == 2 &&
	      !t->other_reset && !t->nreset);
	CHECK(t->d[0].k.key == 0x1b && t->d[0].delta == 500 &&
	      t->d[1].k.key == 0x1a0 && t->d[1].delta == 0 &&
	      t->d[2].k.key == 0x80b && t->d[2].delta == 100 &&
	      t->d[2].k.count == 100);
	n = kx_detail_diff_sorted(t, idx);
	CHECK(n == 2 && idx[0] == 0 && idx[1] == 2);
	t = &D.det->t[KX_DET_EXC];
	CHECK(t->n == 3 && t->total == 105 && t->d[0].k.key == 6 &&
	      t->d[0].delta == 100 && t->d[1].k.key == 13 &&
	      t->d[1].delta == 5 && !strcmp(t->d[1].k.name, "GP"));
	tap_group("detail diff: deltas key by key, a key only in B counts "
		  "from 0, other, the total");

	/* a table that one side lacks */
	kx_diff_release(&D);
	CHECK(kx_diff(&SA, &SB, "a", "b", 0, &D, &E) == 0);
	CHECKF(kx_diff_detail(&D, KX_DETAIL_BIT(KX_DET_IO), "a", "b", 1, &E) ==
			       KX_EXIT_REFUSED &&
		       !strcmp(E.msg, "--io: b has no I/O port table (save "
				      "snapshots with --save FILE --io)"),
	       "%s", E.msg);
	kx_diff_release(&D);
	CHECK(kx_diff(&SB, &SA, "b", "a", 1, &D, &E) == 0);
	CHECK(kx_diff_detail(&D, KX_DETAIL_BIT(KX_DET_IO), "b", "a", 1, &E) ==
		      KX_EXIT_REFUSED &&
	      strstr(E.msg, "--io: b has no I/O port table"));

	/* a reset in between: keys gone or lower, other lower */
	kx_snapshot_release(&SB);
	make_det_snapshot(&SB, EXAMPLE, 1010, MSR_RESET, IO_EX, EXC_EX);
	kx_diff_release(&D);
	CHECK(kx_diff(&SA, &SB, "a", "b", 1, &D, &E) == 0);
	CHECK(kx_diff_detail(&D, KX_DETAIL_BIT(KX_DET_MSR), "a", "b", 0, &E) ==
		      KX_EXIT_REFUSED &&
	      strstr(E.msg, "refusing to diff a and b:\n  3 counter(s) went "
			    "down (counters reset in between?)\nuse --force"));
	kx_diff_release(&D);
	CHECK(kx_diff(&SA, &SB, "a", "b", 1, &D, &E) == 0);
	CHECK(kx_diff_detail(&D, KX_DETAIL_BIT(KX_DET_MSR), "a", "b", 1, &E) ==
		      0 &&
	      D.problems == KX_P_DECREASE);
	t = &D.det->t[KX_DET_MSR];
	/* 0x1b 400 -> 10 (reset, 10), 0x1a0 200 -> gone (reset, 0), 0x80b
	 * new 5, other 7 -> 0 (reset, 0) */
	CHECK(t->n == 3 && t->nreset == 3 && t->other_reset && t->other == 0 &&
	      t->total == 15);
	CHECK(t->d[0].reset && t->d[0].delta == 10 && t->d[1].reset &&
	      t->d[1].delta == 0 && t->d[1].k.count == 0 && !t->d[2].reset &&
	      t->d[2].delta == 5);
	CHECK(kx_detail_diff_sorted(t, idx) == 2 && idx[0] == 0);
	tap_group("detail diff: a table missing from one side is refused "
		  "naming it; a reset (a key gone, a count or other lower) "
		  "is refused, forced it counts from the reset");
	kx_diff_release(&D);
}

static void test_detail_render(void)
{
	static const char want_msr[] =
		"MSR         NAME              ACCESS  COUNT    SHARE\n"
		"0x0000001b  IA32_APICBASE     read      400   65.90%\n"
		"0x000001a0  IA32_MISC_ENABLE  write     200   32.95%\n"
		"other                                     7    1.15%\n"
		"total                                   607  100.00%\n";
	static const char want_io[] =
		"PORT    SIZE  ACCESS  COUNT    SHARE\n"
		"0x010f  1     out     1,000   99.70%\n"
		"0x0070  1     in          3    0.30%\n"
		"other                     0    0.00%\n"
		"total                 1,003  100.00%\n";
	static const char want_exc[] =
		"VECTOR  NAME  COUNT    SHARE\n"
		"6       UD      300   99.34%\n"
		"14      PF        2    0.66%\n"
		"other             0    0.00%\n"
		"total           302  100.00%\n";
	static const char want_empty[] =
		"MSR    NAME  ACCESS  COUNT    SHARE\n"
		"other                    0        -\n"
		"total                    0        -\n";
	static const char want_diff[] =
		"x: 10.000 s, 602 MSR exits, 60.20 exits/s\n"
		"MSR         NAME           ACCESS  DELTA    SHARE  RATE/s\n"
		"0x0000001b  IA32_APICBASE  read      500   83.06%   50.00\n"
		"0x0000080b  -              write     100   16.61%   10.00\n"
		"other                                  2    0.33%    0.20\n"
		"total                                602  100.00%   60.20\n";
	static const char want_reset[] =
		"x: 10.000 s, 15 MSR exits, 1.50 exits/s\n"
		"MSR            NAME           ACCESS        DELTA    SHARE  "
		"RATE/s\n"
		"0x0000001b     IA32_APICBASE  read (reset)     10   66.67%    "
		"1.00\n"
		"0x0000080b     -              write             5   33.33%    "
		"0.50\n"
		"other (reset)                                   0    0.00%    "
		"0.00\n"
		"total                                          15  100.00%    "
		"1.50\n";
	struct kx_buf b;

	kx_buf_init(&b);
	CHECK(PARSE_DET(KX_DET_MSR, MSR_EX) == 0);
	kx_table_detail(&DT, &b);
	CHECKF(b.p && !strcmp(b.p, want_msr), "got:\n%s", b.p);
	kx_buf_reset(&b);
	CHECK(PARSE_DET(KX_DET_IO, IO_EX) == 0);
	kx_table_detail(&DT, &b);
	CHECKF(b.p && !strcmp(b.p, want_io), "got:\n%s", b.p);
	kx_buf_reset(&b);
	CHECK(PARSE_DET(KX_DET_EXC, EXC_EX) == 0);
	kx_table_detail(&DT, &b);
	CHECKF(b.p && !strcmp(b.p, want_exc), "got:\n%s", b.p);
	kx_buf_reset(&b);
	CHECK(PARSE_DET(KX_DET_MSR, "# msr access count\nother 0\n") == 0);
	kx_table_detail(&DT, &b);
	CHECKF(b.p && !strcmp(b.p, want_empty), "got:\n%s", b.p);

	kx_snapshot_release(&SA);
	kx_snapshot_release(&SB);
	make_det_snapshot(&SA, EXAMPLE, 1000, MSR_EX, IO_EX, EXC_EX);
	make_det_snapshot(&SB, LATER, 1010, MSR_LATER, IO_EX, EXC_LATER);
	kx_diff_release(&D);
	CHECK(kx_diff(&SA, &SB, "a", "b", 0, &D, &E) == 0 &&
	      kx_diff_detail(&D, KX_DETAIL_ALL, "a", "b", 0, &E) == 0);
	kx_buf_reset(&b);
	kx_table_detail_diff(&D, KX_DET_MSR, "x", &b);
	CHECKF(b.p && !strcmp(b.p, want_diff), "got:\n%s", b.p);
	kx_buf_reset(&b);
	kx_watch_detail_header(&b);
	kx_watch_detail_line(&D, KX_DET_MSR, 1.5, &b);
	kx_watch_detail_line(&D, KX_DET_IO, 1.5, &b);
	kx_watch_detail_line(&D, KX_DET_EXC, 1.5, &b);
	CHECKF(b.p && !strcmp(b.p,
			      "  ELAPSED TABLE             EXITS     EXITS/s  "
			      "TOP KEYS\n"
			      "    1.500 msr                 602       60.20  "
			      "IA32_APICBASE read 500, 0x0000080b write 100, "
			      "other 2\n"
			      "    1.500 io                    0        0.00\n"
			      "    1.500 exceptions          105       10.50  "
			      "#UD 100, #GP 5\n"),
	       "got:\n%s", b.p);
	kx_buf_reset(&b);
	kx_json_diff(&D, "a", "b", &b);
	CHECKF(b.p && strstr(b.p, "\"reasons\":[{\"code\":\"0x001e\"") &&
		       strstr(b.p,
			      "],\"msr\":{\"total\":602,\"per_second\":60.20,"
			      "\"other\":{\"delta\":2,\"per_second\":0.20,"
			      "\"reset\":false},\"rows\":[{\"msr\":"
			      "\"0x0000001b\",\"name\":\"IA32_APICBASE\","
			      "\"access\":\"read\",\"delta\":500,"
			      "\"per_second\":50.00,\"reset\":false},{\"msr\":"
			      "\"0x0000080b\",\"name\":null,\"access\":"
			      "\"write\",\"delta\":100,\"per_second\":10.00,"
			      "\"reset\":false}]},\"io\":{\"total\":0,"
			      "\"per_second\":0.00,\"other\":{\"delta\":0,"
			      "\"per_second\":0.00,\"reset\":false},\"rows\":"
			      "[]},\"exceptions\":{\"total\":105,"
			      "\"per_second\":10.50,\"other\":{\"delta\":0,"
			      "\"per_second\":0.00,\"reset\":false},\"rows\":"
			      "[{\"vector\":6,\"name\":\"UD\",\"delta\":100,"
			      "\"per_second\":10.00,\"reset\":false},"
			      "{\"vector\":13,\"name\":\"GP\",\"delta\":5,"
			      "\"per_second\":0.50,\"reset\":false}]}}\n"),
	       "got:\n%s", b.p);

	kx_snapshot_release(&SB);
	make_det_snapshot(&SB, EXAMPLE, 1010, MSR_RESET, IO_EX, EXC_EX);
	kx_diff_release(&D);
	CHECK(kx_diff(&SA, &SB, "a", "b", 1, &D, &E) == 0 &&
	      kx_diff_detail(&D, KX_DETAIL_BIT(KX_DET_MSR), "a", "b", 1, &E) ==
		      0);
	kx_buf_reset(&b);
	kx_table_detail_diff(&D, KX_DET_MSR, "x", &b);
	CHECKF(b.p && !strcmp(b.p, want_reset), "got:\n%s", b.p);
	kx_buf_reset(&b);
	kx_watch_detail_line(&D, KX_DET_MSR, 2, &b);
	CHECKF(b.p && !strcmp(b.p, "    2.000 msr                  15        "
				   "1.50  IA32_APICBASE read 10, 0x0000080b "
				   "write 5 (counters reset)\n"),
	       "got '%s'", b.p);
	kx_buf_reset(&b);
	kx_diff_describe(&D, "", 0, &b);
	CHECKF(b.p && !strcmp(b.p, "3 counter(s) went down (counters reset "
				   "in between?)\n"),
	       "got '%s'", b.p);
	kx_diff_release(&D);
	kx_buf_free(&b);
	tap_group("detail text: exact tables of the three kinds, diff table "
		  "with rates and (reset) marks, watch lines, JSON deltas");
}

static void test_detail_json_prom(void)
{
	struct kx_buf b;

	kx_buf_init(&b);
	kx_snapshot_release(&SA);
	make_det_snapshot(&SA, "0x000a CPUID 3\n- other 1\n", 1000, MSR_EX,
			  IO_EX, "# vector name count\n6 UD 300\n21 - 1\n"
				 "other 0\n");
	kx_json_counters(&SA, "/r", &b);
	CHECKF(b.p && strstr(b.p, "\"count\":1}],\"msr\":{\"total\":607,"
				  "\"other\":7,\"rows\":[{\"msr\":\"0x0000001b\","
				  "\"name\":\"IA32_APICBASE\",\"access\":"
				  "\"read\",\"count\":400},{\"msr\":"
				  "\"0x000001a0\",\"name\":\"IA32_MISC_ENABLE\","
				  "\"access\":\"write\",\"count\":200}]},\"io\":"
				  "{\"total\":1003,\"other\":0,\"rows\":[{"
				  "\"port\":\"0x0070\",\"size\":1,\"access\":"
				  "\"in\",\"count\":3},{\"port\":\"0x010f\","
				  "\"size\":1,\"access\":\"out\",\"count\":"
				  "1000}]},\"exceptions\":{\"total\":301,"
				  "\"other\":0,\"rows\":[{\"vector\":6,\"name\":"
				  "\"UD\",\"count\":300},{\"vector\":21,"
				  "\"name\":null,\"count\":1}]}}\n"),
	       "got:\n%s", b.p);
	kx_buf_reset(&b);
	kx_prom_counters(&SA, &b);
	CHECKF(b.p && strstr(b.p, "vendor=\"vmx\"} 1\n"
				  "# HELP kvm_exits_msr_total KVM VM exits of "
				  "MSR accesses") &&
		       strstr(b.p,
			      "# TYPE kvm_exits_msr_total counter\n"
			      "kvm_exits_msr_total{msr=\"0x0000001b\",name="
			      "\"IA32_APICBASE\",access=\"read\",vendor="
			      "\"vmx\"} 400\n"
			      "kvm_exits_msr_total{msr=\"0x000001a0\",name="
			      "\"IA32_MISC_ENABLE\",access=\"write\",vendor="
			      "\"vmx\"} 200\n"
			      "kvm_exits_msr_total{msr=\"other\",vendor="
			      "\"vmx\"} 7\n# HELP kvm_exits_io_total ") &&
		       strstr(b.p,
			      "# TYPE kvm_exits_io_total counter\n"
			      "kvm_exits_io_total{port=\"0x0070\",size=\"1\","
			      "access=\"in\",vendor=\"vmx\"} 3\n"
			      "kvm_exits_io_total{port=\"0x010f\",size=\"1\","
			      "access=\"out\",vendor=\"vmx\"} 1000\n"
			      "kvm_exits_io_total{port=\"other\",vendor="
			      "\"vmx\"} 0\n") &&
		       strstr(b.p,
			      "# TYPE kvm_exits_exception_total counter\n"
			      "kvm_exits_exception_total{vector=\"6\",name="
			      "\"UD\",vendor=\"vmx\"} 300\n"
			      "kvm_exits_exception_total{vector=\"21\","
			      "vendor=\"vmx\"} 1\n"
			      "kvm_exits_exception_total{vector=\"other\","
			      "vendor=\"vmx\"} 0\n"),
	       "got:\n%s", b.p);
	/* without tables: as before */
	kx_snapshot_release(&SA);
	make_snapshot(&SA, "0x000a CPUID 3\n- other 1\n", 1000);
	kx_buf_reset(&b);
	kx_prom_counters(&SA, &b);
	CHECK(b.p && !strstr(b.p, "msr") && !strstr(b.p, "io_total"));
	kx_buf_reset(&b);
	kx_json_counters(&SA, "/r", &b);
	CHECK(b.p && strstr(b.p, "\"count\":1}]}\n"));
	kx_buf_free(&b);
	tap_group("detail JSON and Prometheus: exact rows by key, null and "
		  "absent names, the other series, nothing without tables");
}

static void test_detail_cli(void)
{
	static const char *const usage[] = {
		"--msr --reset", "--io --list-vms", "--exceptions --record f "
		"--interval 1", "--msr --timeline f", "--msr --vm 12",
		"--io --vm 12 --per-vcpu", "--msr --diff a --per-vcpu",
		"--msr=1", "--param-dir", "--param-dir=",
	};
	char dir[4096];
	struct kx_opts o;
	size_t i;

	for (i = 0; i < sizeof(usage) / sizeof(*usage); i++)
		CHECKF(cli(usage[i], &o) == KX_EXIT_USAGE, "'%s' -> '%s'",
		       usage[i], E.msg);
	CHECKF(cli("--reset --io", &o) == KX_EXIT_USAGE &&
		       !strcmp(E.msg, "--io only applies to printing the "
				      "counters, --save, --diff, --watch and "
				      "-- CMD, not to --reset"),
	       "%s", E.msg);
	CHECKF(cli("--exceptions --vm 12", &o) == KX_EXIT_USAGE &&
		       !strcmp(E.msg, "--exceptions does not apply to --vm "
				      "(the MSR, I/O port and exception "
				      "tables are global)"),
	       "%s", E.msg);
	CHECK(cli("", &o) == 0 && !o.detail &&
	      (getenv(KX_PARAM_DIR_ENV) ||
	       !strcmp(o.param_dir, "/sys/module/kvm/parameters")));
	CHECK(cli("--msr --exceptions", &o) == 0 &&
	      o.detail == (KX_DETAIL_BIT(KX_DET_MSR) |
			   KX_DETAIL_BIT(KX_DET_EXC)));
	CHECK(cli("--io --msr --io --save x", &o) == 0 &&
	      o.mode == KX_MODE_SAVE &&
	      o.detail == (KX_DETAIL_BIT(KX_DET_MSR) |
			   KX_DETAIL_BIT(KX_DET_IO)));
	CHECK(cli("--msr --io --exceptions --diff a b --force", &o) == 0 &&
	      o.detail == KX_DETAIL_ALL);
	CHECK(cli("--msr --watch 1", &o) == 0 && cli("--io -- x", &o) == 0 &&
	      cli("--io --prometheus", &o) == 0);
	CHECK(cli("--param-dir /p --msr", &o) == 0 &&
	      !strcmp(o.param_dir, "/p"));
	snprintf(dir, sizeof(dir), "%.*sfixtures/params-on",
		 (int)(strrchr(__FILE__, '/') ? strrchr(__FILE__, '/') -
						__FILE__ + 1 : 0),
		 __FILE__);
	CHECK(kx_detail_param(dir) == 1);
	memcpy(strrchr(dir, '-'), "-off", 5);
	CHECK(kx_detail_param(dir) == 0);
	CHECK(kx_detail_param("/nonexistent") == -1);
	tap_group("command line: --msr, --io, --exceptions, --param-dir and "
		  "what they combine with; the exit_stats_detail parameter");
}

/* --- handling-time histograms and returns to userspace -------------------- */

/* a time_hist line: code, name, min_ns and the buckets of the n pairs
 * (bucket, count) */
static void hist_line(struct kx_buf *b, const char *code, const char *name,
		      unsigned long long min, const int *pairs, int n)
{
	int bk[KX_HIST_BUCKETS] = { 0 }, i;

	for (i = 0; i < n; i++)
		bk[pairs[2 * i]] = pairs[2 * i + 1];
	kx_buf_printf(b, "%-6s %-28s %llu", code, name, min);
	for (i = 0; i < KX_HIST_BUCKETS; i++)
		kx_buf_printf(b, " %d", bk[i]);
	kx_buf_putc(b, '\n');
}

/* the histograms of EXAMPLE and TIMES: CPUID and IO_INSTRUCTION have rows,
 * EXTERNAL_INTERRUPT and EPT_VIOLATION are in other */
static const char *hist_text(void)
{
	static const int cpuid[] = { 1, 600, 2, 390, 3, 10 };
	static const int io[] = { 2, 90, 3, 100, 4, 300, 5, 400, 6, 90, 8, 5,
				  11, 5 };
	static const int other[] = { 2, 10, 3, 4, 4, 2, 5, 1, 14, 1 };
	static struct kx_buf b;

	if (b.p)
		return b.p;
	kx_buf_init(&b);
	kx_buf_printf(&b, "# code name min_ns %s\n", kx_hist_edges_text());
	hist_line(&b, "0x000a", "CPUID", 300, cpuid, 3);
	hist_line(&b, "0x001e", "IO_INSTRUCTION", 900, io, 7);
	hist_line(&b, "-", "other", 500, other, 5);
	return b.p;
}

/* parses t as the histograms of EXAMPLE and TIMES into C */
static int parse_hist(const char *t)
{
	kx_counters_release(&C);
	if (parse_times(TIMES))
		return -1;
	memset(&E, 0, sizeof(E));
	return kx_parse_hist(t, strlen(t), "h", &C, &E);
}

static void expect_hist_error(const char *t, const char *want)
{
	int r = parse_hist(t);

	CHECKF(r == KX_EXIT_BADINPUT && strstr(E.msg, want),
	       "want '%s', got r=%d '%s'", want, r, E.msg);
	CHECK(!C.hist);
}

/* hist_text() with the first old replaced by new */
static char *edit_hist(const char *old, const char *new)
{
	return edit_in(hist_text(), old, new);
}

static void test_hist_parse(void)
{
	const struct kx_hist_row *r;
	uint64_t v, b[KX_HIST_BUCKETS], n, mn;
	int racy;

	CHECKF(parse_hist(hist_text()) == 0, "%s", E.msg);
	CHECK(C.hist && C.hist->n == 3 && C.hist->total == 2008);
	r = kx_hist_row_of(C.hist, 2); /* CPUID */
	CHECK(r && r->code == 0xa && !strcmp(r->name, "CPUID") &&
	      r->min == 300 && r->count == 1000 && r->b[1] == 600 &&
	      r->b[2] == 390 && r->b[3] == 10 && r->lineno == 2);
	r = kx_hist_row_of(C.hist, 4); /* IO_INSTRUCTION */
	CHECK(r && r->count == 990 && r->b[11] == 5 && r->reason == 4);
	CHECK(!kx_hist_row_of(C.hist, 1) && !kx_hist_row_of(C.hist, 6));
	r = kx_hist_other(C.hist);
	CHECK(r && r->is_other && r->count == 18 && r->min == 500 &&
	      r->b[14] == 1);
	CHECK(kx_hist_check_times(&C, &C, "h", "t", &racy, &E) == 0 && !racy);
	kx_hist_other_times(&C, &v, &n, &mn);
	CHECK(v == 4100000 && n == 17000 + 4100000 && mn == 18);
	kx_hist_all(C.hist, b, &n, &mn);
	CHECK(n == 2008 && mn == 300 && b[2] == 390 + 90 + 10);
	/* only the other line, runs of spaces, no alignment */
	CHECK(parse_times(TIMES) == 0);
	kx_buf_reset(&B2);
	kx_buf_printf(&B2, "#   code name   min_ns %s  \n", kx_hist_edges_text());
	kx_buf_puts(&B2, "  -  other 0");
	for (n = 0; n < KX_HIST_BUCKETS; n++)
		kx_buf_puts(&B2, "   0");
	kx_buf_puts(&B2, "\n");
	CHECKF(kx_parse_hist(B2.p, B2.len, "h", &C, &E) == 0, "%s", E.msg);
	CHECK(C.hist->n == 1 && C.hist->total == 0);
	/* the edges */
	CHECK(kx_hist_upper(0) == 256 && kx_hist_lower(0) == 0 &&
	      kx_hist_lower(1) == 256 && kx_hist_upper(1) == 512 &&
	      kx_hist_upper(22) == 1073741824ull &&
	      kx_hist_lower(23) == 1073741824ull &&
	      kx_hist_upper(23) == UINT64_MAX);
	kx_counters_release(&C);
	tap_group("time_hist: rows matched to their reasons, sums, the other "
		  "line, the edges; runs of spaces");
}

static void test_hist_errors(void)
{
	char *long_line;

	expect_hist_error("", "h:1: empty file (expected the header line '# "
			      "code name min_ns 256 512 ");
	expect_hist_error(edit_hist("# code", "  code"),
			  "h:1: expected the header line '# code name min_ns");
	expect_hist_error(edit_hist("min_ns", "min"),
			  "h:1: bad header: 'min' where 'min_ns' is expected");
	expect_hist_error(edit_hist(" name min_ns", ""),
			  "h:1: bad header: '256' where 'name' is expected");
	expect_hist_error(edit_hist(" 256 ", " 255 "),
			  "h:1: bad header: the edge of bucket 0 is '255', "
			  "expected 256");
	expect_hist_error(edit_hist(" +Inf", " inf"),
			  "h:1: bad header: the edge of bucket 23 is 'inf', "
			  "expected +Inf");
	expect_hist_error(edit_hist(" +Inf", ""),
			  "h:1: bad header: 23 bucket edges, expected 24");
	expect_hist_error(edit_hist(" +Inf", " +Inf 1"),
			  "h:1: bad header: more than 24 bucket edges");
	expect_hist_error(edit_hist("-      other", "# x\n-      other"),
			  "h:4: '#' line is only allowed as the first line");
	expect_hist_error(edit_hist("300 0 600", "300 600"),
			  "h:2: expected 27 fields '<code> <name> <min_ns>' and "
			  "24 bucket counts, got 26");
	expect_hist_error(edit_hist("0x000a", "0x000x"),
			  "h:2: bad code '0x000x' (expected 0x and 4 to 16 hex");
	expect_hist_error(edit_hist("0x000a", "0x0009"),
			  "h:2: code 0x0009 (CPUID) is not a reason of "
			  "by_reason (files out of step?)");
	expect_hist_error(edit_hist("0x000a CPUID ", "0x000a CPUIDX"),
			  "h:2: reason 'CPUIDX' where by_reason has 'CPUID' for "
			  "code 0x000a");
	expect_hist_error(edit_hist("0x001e IO_INSTRUCTION ",
				    "0x0001 EXTERNAL_INTERRUPT "),
			  "h:3: EXTERNAL_INTERRUPT after CPUID: not in the order "
			  "of by_reason");
	expect_hist_error(edit_hist("0x001e IO_INSTRUCTION ",
				    "0x000a CPUID          "),
			  "h:3: duplicate code 0x000a (first on line 2)");
	expect_hist_error(edit_hist("300 0 600", "300 0 6x0"),
			  "h:2: bucket 1 count '6x0' is not an unsigned decimal");
	expect_hist_error(edit_hist("300 0 600", "18446744073709551616 0 600"),
			  "h:2: min_ns '18446744073709551616' does not fit in "
			  "64 bits");
	expect_hist_error(edit_hist("300 0 600", "300 18446744073709551615 600"),
			  "h:2: sum of the buckets overflows 64 bits");
	expect_hist_error(edit_hist("300 0 600", "300 18446744073709550615 600"),
			  "h:3: sum of the buckets of all lines overflows 64 "
			  "bits");
	expect_hist_error(edit_hist("-      other", "0x0000 other"),
			  "h:4: the 'other' line must have code '-'");
	expect_hist_error(edit_hist("0x000a CPUID ", "-      CPUID "),
			  "h:2: code '-' is only for the 'other' line, not "
			  "'CPUID'");
	expect_hist_error(edit_hist("-      other", "0x0030 EPT_VIOLATION"),
			  "h:5: end of file without the 'other' line");
	expect_hist_error(edit_hist("0x000a CPUID ", "-      other "),
			  "h:3: line after the 'other' line (which must be the "
			  "last one, line 2)");
	expect_hist_error(edit_hist("0x001e IO_INSTRUCTION ", "-      other "),
			  "h:4: duplicate 'other' line (first on line 3)");
	expect_hist_error(edit_hist("CPUID", "CP\tID"),
			  "h:2: bad reason name 'CP\\x09ID'");
	expect_hist_error(edit_hist("\n0x000a", "\r\n0x000a"),
			  "h:1: bad header: the edge of bucket 23 is "
			  "'+Inf\\x0d', expected +Inf");
	CHECK(parse_hist(hist_text()) == 0);
	{
		const char *t = hist_text();

		CHECK(parse_times(TIMES) == 0);
		CHECK(kx_parse_hist(t, strlen(t) - 1, "h", &C, &E) ==
			      KX_EXIT_BADINPUT &&
		      strstr(E.msg, "h:4: last line has no newline") &&
		      !C.hist);
		CHECK(kx_parse_hist("# c\0de", 7, "h", &C, &E) ==
			      KX_EXIT_BADINPUT &&
		      strstr(E.msg, "h:1: NUL byte in column 4"));
	}
	/* a line of up to 1023 bytes, not more */
	{
		const char *t = hist_text(), *l = strstr(t, "0x000a");
		size_t len = (size_t)(strchr(l, '\n') - l);

		long_line = malloc(strlen(t) + 1024);
		if (!long_line)
			abort();
		snprintf(long_line, strlen(t) + 1024, "%.*s0x000a%*s%s",
			 (int)(l - t), t, (int)(1023 - len), "", l + 6);
		CHECKF(parse_hist(long_line) == 0, "%s", E.msg);
		snprintf(long_line, strlen(t) + 1024, "%.*s0x000a%*s%s",
			 (int)(l - t), t, (int)(1024 - len), "", l + 6);
		expect_hist_error(long_line,
				  "h:2: line too long (more than 1023 bytes)");
	}
	free(long_line);
	kx_counters_release(&C);
	tap_group("time_hist: header and bucket edges, fields, codes and "
		  "names of by_reason in its order, numbers, sums, the other "
		  "line, NUL, CR, truncation: FILE:LINE and what is wrong");
}

static void test_hist_quantile(void)
{
	uint64_t b[KX_HIST_BUCKETS] = { 0 }, v;

	b[1] = 600;
	b[2] = 390;
	b[3] = 10;
	/* CPUID: p50 in (256, 512], p90 in (512, 1024], p99 at 1024 */
	CHECK(kx_hist_quantile(b, 1000, 300, 2000, 0.5, &v) && v == 469);
	CHECK(kx_hist_quantile(b, 1000, 300, 2000, 0.9, &v) && v == 906);
	CHECK(kx_hist_quantile(b, 1000, 300, 2000, 0.99, &v) && v == 1024);
	CHECK(kx_hist_quantile(b, 1000, 300, 2000, 1, &v) && v == 2000);
	/* clamped into [min, max] */
	CHECK(kx_hist_quantile(b, 1000, 480, 2000, 0.5, &v) && v == 480);
	CHECK(kx_hist_quantile(b, 1000, 300, 900, 0.99, &v) && v == 900);
	CHECK(!kx_hist_quantile(b, 0, 0, 0, 0.5, &v));
	/* the first bucket from 0, the last up to max */
	memset(b, 0, sizeof(b));
	b[0] = 4;
	CHECK(kx_hist_quantile(b, 4, 0, 256, 0.5, &v) && v == 128);
	CHECK(kx_hist_quantile(b, 4, 100, 256, 0.25, &v) && v == 100);
	memset(b, 0, sizeof(b));
	b[23] = 2;
	CHECK(kx_hist_quantile(b, 2, 2000000000ull, 3073741824ull, 0.5, &v) &&
	      v == 2073741824ull);
	/* max below the last bucket's edge (files read apart): max */
	CHECK(kx_hist_quantile(b, 2, 0, 5, 0.99, &v) && v == 5);
	/* u64 extremes */
	CHECK(kx_hist_quantile(b, 2, 0, UINT64_MAX, 1, &v) && v == UINT64_MAX);
	b[23] = UINT64_MAX;
	CHECK(kx_hist_quantile(b, UINT64_MAX, 0, UINT64_MAX, 0.5, &v) &&
	      v > 1073741824ull);
	tap_group("quantile estimates: the bucket reaching q * count, linear "
		  "between its edges (0 below the first, max above the last), "
		  "clamped into [min, max]");
}

static void test_hist_check_times(void)
{
	struct kx_counters *t2 = calloc(1, sizeof(*t2));
	int racy;

	if (!t2)
		abort();
	CHECK(parse_hist(hist_text()) == 0);
	/* the same moment: equalities */
	memcpy(t2, &C, sizeof(*t2));
	t2->hist = NULL;
	t2->r[2].tcount = 1001; /* CPUID timed once more after the read */
	t2->r[2].tns += 400;
	t2->tcount_sum++;
	t2->tns_sum += 400;
	CHECKF(kx_hist_check_times(&C, t2, "h", "t", &racy, &E) == 0 && racy,
	       "%s", E.msg);
	C.hist->r[0].count++;
	C.hist->r[0].b[1]++;
	C.hist->total++;
	CHECK(kx_hist_check_times(&C, t2, "h", "t", &racy, &E) == 0 && racy);
	CHECK(kx_hist_check_times(&C, &C, "h", "t", &racy, &E) ==
		      KX_EXIT_BADINPUT && !racy &&
	      !strcmp(E.msg, "h:2: CPUID: the buckets add up to 1001 timed "
			     "exits, but t has 1000 (the files disagree)"));
	C.hist->r[0].count++;
	C.hist->r[0].b[1]++;
	C.hist->total++;
	CHECK(kx_hist_check_times(&C, t2, "h", "t", &racy, &E) ==
		      KX_EXIT_BADINPUT && racy &&
	      !strcmp(E.msg, "h:2: CPUID: the buckets add up to 1002 timed "
			     "exits, but t had 1000 before and 1001 after (the "
			     "files disagree)"));
	CHECK(parse_hist(hist_text()) == 0);
	C.hist->r[2].count--;
	C.hist->r[2].b[14]--;
	C.hist->total--;
	CHECK(kx_hist_check_times(&C, &C, "h", "t", &racy, &E) ==
		      KX_EXIT_BADINPUT &&
	      !strcmp(E.msg, "h:4: the buckets of all lines add up to 2007 "
			     "timed exits, but t has 2008 (the files "
			     "disagree)"));
	/* min_ns above the average, the average above max_ns */
	CHECK(parse_hist(hist_text()) == 0);
	C.hist->r[0].min = 501;
	CHECK(kx_hist_check_times(&C, &C, "h", "t", &racy, &E) ==
		      KX_EXIT_BADINPUT &&
	      !strcmp(E.msg, "h:2: CPUID: min_ns 501 above the average of t, "
			     "500 (total_ns 500000 / count 1000; the files "
			     "disagree)"));
	C.hist->r[0].min = 300;
	C.r[2].tmax = 499;
	CHECK(kx_hist_check_times(&C, &C, "h", "t", &racy, &E) ==
		      KX_EXIT_BADINPUT &&
	      !strcmp(E.msg, "t: CPUID: the average 500 (total_ns 500000 / "
			     "count 1000) is above max_ns 499"));
	/* read apart: no min check of a reason that moved */
	memcpy(t2, &C, sizeof(*t2));
	t2->hist = NULL;
	t2->r[2].tns++;
	C.hist->r[0].min = 501;
	CHECK(kx_hist_check_times(&C, t2, "h", "t", &racy, &E) == 0 && racy);
	free(t2);
	kx_counters_release(&C);
	tap_group("time_hist against time_by_reason read before and after it: "
		  "each line's count between its two counts, the total too, "
		  "min <= average <= max of one moment; both files named");
}

/* a snapshot of EXAMPLE and TIMES with the histograms at boot time boot */
static void make_hist_snapshot(struct kx_snapshot *s, uint64_t boot,
			       const char *hist)
{
	make_snapshot(s, EXAMPLE, boot);
	CHECK(kx_parse_times(TIMES, strlen(TIMES), "t", &s->c, &E) == 0);
	CHECKF(kx_parse_hist(hist, strlen(hist), "h", &s->c, &E) == 0, "%s",
	       E.msg);
}

static const char USER_EX[] =
	"# code name count\n"
	"2 KVM_EXIT_IO 1000\n"
	"5 KVM_EXIT_HLT 2\n"
	"10 KVM_EXIT_INTR 1\n"
	"- error 3\n"
	"other 0\n";

static int parse_user(const char *t)
{
	kx_counters_release(&C);
	memset(&E, 0, sizeof(E));
	return kx_parse_user(t, strlen(t), "u", &C, &E);
}

static void expect_user_error(const char *t, const char *want)
{
	int r = parse_user(t);

	CHECKF(r == KX_EXIT_BADINPUT && strstr(E.msg, want),
	       "want '%s', got r=%d '%s'", want, r, E.msg);
	CHECK(!C.user);
}

static void test_user(void)
{
	const struct kx_user *u;
	struct kx_user_diff d;
	struct kx_user *a;

	CHECKF(parse_user(USER_EX) == 0, "%s", E.msg);
	u = C.user;
	CHECK(u && u->present == ((1ull << 2) | (1ull << 5) | (1ull << 10)) &&
	      u->count[2] == 1000 && u->count[5] == 2 && u->count[10] == 1 &&
	      u->error == 3 && u->error_line == 5 && u->other == 0 &&
	      u->other_line == 6 && u->sum == 1006 &&
	      !strcmp(kx_user_name(u, 2), "KVM_EXIT_IO") &&
	      !kx_user_name(u, 3) && !kx_user_name(u, 64));
	CHECK(parse_user("# code  name count\n  63   -   5  \nother 7\n") == 0 &&
	      C.user->count[63] == 5 && !kx_user_name(C.user, 63) &&
	      C.user->sum == 12 && !C.user->error_line);
	CHECK(parse_user("# code name count\nother 0\n") == 0 &&
	      C.user->sum == 0 && !C.user->present);
	expect_user_error("", "u:1: empty file (expected the header line '# code "
			      "name count')");
	expect_user_error("2 KVM_EXIT_IO 1\nother 0\n",
			  "u:1: expected the header line '# code name count' "
			  "first");
	expect_user_error("# code name\nother 0\n",
			  "u:1: bad header '# code name' (expected '# code name "
			  "count')");
	expect_user_error("# code name count\n64 KVM_EXIT_X 1\nother 0\n",
			  "u:2: bad code '64' (expected 0 to 63, or '-' for "
			  "errors)");
	expect_user_error("# code name count\n0x2 KVM_EXIT_IO 1\nother 0\n",
			  "u:2: bad code '0x2'");
	expect_user_error("# code name count\n2 KVM_EXIT_ 1\nother 0\n",
			  "u:2: bad name 'KVM_EXIT_'");
	expect_user_error("# code name count\n2 KVM_EXIT_I-O 1\nother 0\n",
			  "u:2: bad name 'KVM_EXIT_I-O'");
	expect_user_error("# code name count\n2 KVM_EXIT_IO 1\n2 - 1\nother 0\n",
			  "u:3: duplicate code 2 (first on line 2)");
	expect_user_error("# code name count\n- error 1\n2 - 1\nother 0\n",
			  "u:3: code line after the '- error' line (line 2)");
	expect_user_error("# code name count\n- error 1\n- error 1\nother 0\n",
			  "u:3: duplicate '- error' line (first on line 2)");
	expect_user_error("# code name count\n- other 1\nother 0\n",
			  "u:2: code '-' is only for the '- error' line, not "
			  "'other'");
	expect_user_error("# code name count\nother 0\nother 0\n",
			  "u:3: duplicate 'other' line (first on line 2)");
	expect_user_error("# code name count\nother 0\n2 - 1\n",
			  "u:3: line after the 'other' line (which must be the "
			  "last one, line 2)");
	expect_user_error("# code name count\n2 - 1\n",
			  "u:3: end of file without the 'other' line");
	expect_user_error("# code name count\nother\n",
			  "u:2: expected '<code> <name> <count>', '- error "
			  "<count>' or 'other <count>', got 1 fields");
	expect_user_error("# code name count\n2 - 1 1 1 1 1 1 1 1\nother 0\n",
			  "got more than 8 fields");
	expect_user_error("# code name count\n2 - 18446744073709551615\nother "
			  "1\n",
			  "u:3: sum of the counts overflows 64 bits");
	expect_user_error("# code name count\nother 18446744073709551616\n",
			  "u:2: count '18446744073709551616' does not fit in 64 "
			  "bits");
	expect_user_error("# code name count\nother 0", "u:2: last line has no "
							  "newline");
	tap_group("userspace_exits: the example, unnamed codes, an empty "
		  "table; codes, names, duplicates, order, error and other "
		  "lines, numbers: FILE:LINE and what is wrong");

	CHECK(parse_user(USER_EX) == 0);
	a = C.user;
	C.user = NULL;
	CHECK(parse_user("# code name count\n2 KVM_EXIT_IO 1500\n"
			 "17 KVM_EXIT_INTERNAL_ERROR 1\n- error 3\nother 2\n") ==
	      0);
	kx_user_diff(a, C.user, &d);
	/* +500 IO, 5 and 10 gone (reset), 17 new, other +2 */
	CHECK(d.present == ((1ull << 2) | (1ull << 5) | (1ull << 10) |
			    (1ull << 17)) &&
	      d.delta[2] == 500 && d.delta[17] == 1 && d.delta[5] == 0 &&
	      d.reset == ((1ull << 5) | (1ull << 10)) && d.nreset == 2 &&
	      d.error == 0 && !d.error_reset && d.other == 2 &&
	      d.total == 503 && !strcmp(d.name[5], "KVM_EXIT_HLT") &&
	      !strcmp(d.name[17], "KVM_EXIT_INTERNAL_ERROR"));
	kx_user_diff(NULL, a, &d);
	CHECK(d.total == 1006 && !d.nreset && d.error == 3);
	kx_user_diff(C.user, a, &d);
	/* the other way: IO 1500 -> 1000 and other 2 -> 0 went down */
	CHECK(d.nreset == 3 && (d.reset >> 2 & 1) && d.delta[2] == 1000 &&
	      d.other_reset && d.other == 0 && d.delta[17] == 0);
	free(a);
	kx_counters_release(&C);
	tap_group("userspace tables' deltas: by code, a code in one side only "
		  "counts as 0 on the other, a count that went down is a "
		  "reset, error and other");
}

static void test_hist_user_snapshot(void)
{
	struct kx_buf b;
	const char *p;
	char *text;

	make_hist_snapshot(&SA, 1000, hist_text());
	CHECK(parse_user(USER_EX) == 0);
	SA.c.user = C.user;
	C.user = NULL;
	CHECK(kx_snapshot_version(&SA) == 4);
	kx_buf_init(&b);
	kx_snapshot_format(&SA, &b);
	p = b.p ? strstr(b.p, "time_sum") : NULL;
	CHECKF(p && !strncmp(p, "time_sum 2008 11617000\n"
			      "hist 0x000a CPUID 300 0 600 390 10 0 0 0 0 0 0 0 0 "
			      "0 0 0 0 0 0 0 0 0 0 0 0\n"
			      "hist 0x001e IO_INSTRUCTION 900 0 0 90 100 300 400 "
			      "90 0 5 0 0 5 0 0 0 0 0 0 0 0 0 0 0 0\n"
			      "hist - other 500 0 0 10 4 2 1 0 0 0 0 0 0 0 0 1 0 "
			      "0 0 0 0 0 0 0 0\n"
			      "hist_sum 2008\n"
			      "userspace 2 KVM_EXIT_IO 1000\n"
			      "userspace 5 KVM_EXIT_HLT 2\n"
			      "userspace 10 KVM_EXIT_INTR 1\n"
			      "userspace - error 3\n"
			      "userspace other 0\n"
			      "userspace_sum 1006\n"
			      "sum 2019\nend\n", 10000),
	       "got:\n%s", p ? p : b.p);
	CHECK(!strncmp(b.p, "kvmexit-read-snapshot 4\n", 24));
	kx_snapshot_release(&SB);
	CHECKF(kx_snapshot_parse(b.p, b.len, "s", &SB, &E) == 0, "%s", E.msg);
	CHECK(SB.c.hist && SB.c.hist->n == 3 && SB.c.hist->total == 2008 &&
	      kx_hist_row_of(SB.c.hist, 4)->b[11] == 5 && SB.c.user &&
	      SB.c.user->sum == 1006 && SB.c.user->error == 3);
	text = strdup(b.p);
	if (!text)
		abort();
	/* a userspace table without times, before the sum line */
	kx_counters_release(&SA.c);
	SA.c.has_time = 0;
	CHECK(parse_user(USER_EX) == 0);
	SA.c.user = C.user;
	C.user = NULL;
	kx_buf_reset(&b);
	kx_snapshot_format(&SA, &b);
	kx_snapshot_release(&SB);
	CHECKF(kx_snapshot_parse(b.p, b.len, "s", &SB, &E) == 0 && !SB.c.hist &&
		       SB.c.user && !SB.c.has_time,
	       "%s", E.msg);
	kx_buf_free(&b);
	kx_snapshot_release(&SA);
	tap_group("snapshot format 4: hist lines and hist_sum after time_sum, "
		  "userspace lines and userspace_sum before sum; read back");

#define SNAP4_ERR(old, new, want)                                            \
	do {                                                                 \
		kx_snapshot_release(&SB);                                    \
		expect_snap_error(edit_in(text, old, new), want);            \
	} while (0)
	SNAP4_ERR("snapshot 4", "snapshot 3",
		  "s:24: 'hist' line in a version 3 snapshot (histograms need "
		  "version 4)");
	SNAP4_ERR("hist_sum 2008", "hist_sum 2009",
		  "s:27: hist_sum 2009 does not match the hist lines, which "
		  "add up to 2008 (file corrupted?)");
	SNAP4_ERR("hist_sum 2008\n", "",
		  "s:27: 'userspace' line out of place (after the section's "
		  "times and histograms, before its 'sum')");
	SNAP4_ERR("hist - other 500 0 0 10 4 2 1 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 "
		  "0 0 0\n", "", "s:26: 'hist_sum' line before the 'hist - "
		  "other' line");
	SNAP4_ERR("time_sum 2008 11617000\n", "",
		  "s:23: 'hist' line out of place");
	SNAP4_ERR("hist 0x000a CPUID 300", "hist 0x000a HLT 300",
		  "s:24: reason 'HLT' where by_reason has 'CPUID' for code "
		  "0x000a");
	SNAP4_ERR("hist 0x001e IO_INSTRUCTION", "hist 0x0001 EXTERNAL_INTERRUPT",
		  "s:25: EXTERNAL_INTERRUPT after CPUID: not in the order of "
		  "by_reason");
	SNAP4_ERR("hist 0x000a CPUID 300 0", "hist 0x000a CPUID 300",
		  "s:24: expected 'hist <code> <name> <min_ns>' and 24 bucket "
		  "counts");
	SNAP4_ERR("userspace_sum 1006", "userspace_sum 1",
		  "s:33: userspace_sum 1 does not match the userspace lines, "
		  "which add up to 1006 (file corrupted?)");
	SNAP4_ERR("userspace_sum 1006\n", "",
		  "s:33: 'sum' line without a 'userspace_sum' line after the "
		  "userspace lines");
	SNAP4_ERR("userspace other 0\n", "",
		  "s:32: 'userspace_sum' line before the 'userspace other' "
		  "line");
	SNAP4_ERR("userspace 2 KVM_EXIT_IO", "userspace 99 KVM_EXIT_IO",
		  "s:28: bad code '99'");
	SNAP4_ERR("userspace_sum 1006\n", "userspace_sum 1006\nhist - other 0 "
		  "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		  "s:34: 'hist' line out of place");
	SNAP4_ERR("sum 2019\n", "sum 2019\nuserspace other 0\n",
		  "s:35: 'userspace' line out of place");
	/* format 4 lines may be longer than 255 bytes; not in format 3 */
	kx_snapshot_release(&SB);
	CHECKF(kx_snapshot_parse(edit_in(text, "boottime ", "# pad" "%300s\nboottime "),
				 strlen(edit_in(text, "boottime ",
						"# pad%300s\nboottime ")),
				 "s", &SB, &E) == 0,
	       "%s", E.msg);
	free(text);
	kx_snapshot_release(&SB);
	tap_group("snapshot format 4: hist and userspace lines out of place, "
		  "in format 3, sums that do not match, bad rows: FILE:LINE");
}

static void test_hist_diff_render(void)
{
	static const int cpuid_b[] = { 1, 600, 2, 890, 3, 10 };
	static const int io_b[] = { 2, 90, 3, 100, 4, 300, 5, 400, 6, 90, 8, 5,
				    11, 5 };
	static const int other_b[] = { 2, 10, 3, 4, 4, 2, 5, 1, 14, 1 };
	const struct kx_hist_row *r;
	struct kx_hist_view v;
	struct kx_buf b, hb;
	char *later_times;

	/* B: 500 more CPUID exits, all in (512, 1024] */
	kx_buf_init(&hb);
	kx_buf_printf(&hb, "# code name min_ns %s\n", kx_hist_edges_text());
	hist_line(&hb, "0x000a", "CPUID", 300, cpuid_b, 3);
	hist_line(&hb, "0x001e", "IO_INSTRUCTION", 900, io_b, 7);
	hist_line(&hb, "-", "other", 500, other_b, 5);
	make_hist_snapshot(&SA, 1000, hist_text());
	make_snapshot(&SB, edit_in(EXAMPLE, "CPUID 1000", "CPUID 1500"), 1010);
	later_times = strdup(edit_in(TIMES, "1000 500000 2000",
				     "1500 850000 2000"));
	if (!later_times)
		abort();
	CHECK(kx_parse_times(later_times, strlen(later_times), "t", &SB.c,
			     &E) == 0);
	CHECKF(kx_parse_hist(hb.p, hb.len, "h", &SB.c, &E) == 0, "%s", E.msg);
	kx_diff_release(&D);
	CHECKF(kx_diff(&SA, &SB, "a", "b", 0, &D, &E) == 0, "%s", E.msg);
	CHECK(D.hist && D.hist->n == 3 && D.hist->total == 500);
	r = kx_hist_row_of(D.hist, 2);
	CHECK(r && r->count == 500 && r->b[2] == 500 && r->min == 300);
	CHECK(kx_hist_row_of(D.hist, 4)->count == 0 &&
	      kx_hist_other(D.hist)->count == 0);
	kx_buf_init(&b);
	kx_table_diff(&D, "a -> b", &b);
	CHECKF(b.p && !strcmp(b.p,
			       "a -> b: 10.000 s, 500 exits, 50.00 exits/s\n"
			       "CODE    REASON  DELTA    SHARE  RATE/s       AVG  "
			       "     P99       MAX\n"
			       "0x000a  CPUID     500  100.00%   50.00     700ns  "
			       "   1.0us     2.0us\n"
			       "        total     500  100.00%   50.00     700ns  "
			       "   1.0us     4.1ms\n"),
	       "got:\n%s", b.p);
	/* a reason reset in between counts from the reset: B's buckets */
	kx_diff_release(&D);
	CHECK(kx_diff(&SB, &SA, "b", "a", 1, &D, &E) == 0);
	CHECK(D.d[2].reset && kx_hist_row_of(D.hist, 2)->count == 1000 &&
	      kx_hist_other(D.hist)->count == 18);
	kx_diff_release(&D);
	kx_buf_reset(&b);
	kx_table_counters(&SA.c, &b);
	CHECKF(b.p && !strcmp(b.p,
			       "CODE    REASON              COUNT    SHARE       "
			       "AVG       P99       MAX\n"
			       "0x000a  CPUID               1,000   49.53%     "
			       "500ns     1.0us     2.0us\n"
			       "0x001e  IO_INSTRUCTION      1,000   49.53%     "
			       "7.1us    33.4us   350.0us\n"
			       "0x0001  EXTERNAL_INTERRUPT     17    0.84%     "
			       "1.0us         -     5.0us\n"
			       "0x000c  HLT                     1    0.05%       "
			       "  -         -         -\n"
			       "0x0030  EPT_VIOLATION           1    0.05%     "
			       "4.1ms         -     4.1ms\n"
			       "        total               2,019  100.00%     "
			       "5.8us    15.6us     4.1ms\n"),
	       "got:\n%s", b.p);
	/* --hist: the CPUID row */
	kx_buf_reset(&b);
	memset(&v, 0, sizeof(v));
	v.title = "CPUID (0x000a)";
	v.row = kx_hist_row_of(SA.c.hist, 2);
	v.max = 2000;
	v.tcount = 1000;
	v.tns = 500000;
	kx_table_hist(&v, &b);
	CHECKF(b.p && !strcmp(b.p,
			       "CPUID (0x000a): 1,000 timed exits\n"
			       "TIME           COUNT    SHARE\n"
			       "256ns - 512ns    600   60.00%  "
			       "########################################\n"
			       "512ns - 1.0us    390   39.00%  "
			       "##########################\n"
			       "1.0us - 2.0us     10    1.00%  #\n"
			       "count 1,000, min 300ns, avg 500ns, max 2.0us\n"
			       "p50 ~469ns, p90 ~906ns, p99 ~1.0us (estimates)\n"),
	       "got:\n%s", b.p);
	/* the other row: its first bucket (<= 256ns) and last (> 1.07s) */
	kx_buf_reset(&b);
	{
		struct kx_hist_row row;

		memset(&row, 0, sizeof(row));
		row.b[0] = 1;
		row.b[23] = 1;
		row.count = 2;
		row.min = 100;
		v.row = &row;
		v.max = 2000000000;
		v.tcount = 2;
		v.tns = 2000000100;
		v.interval = 1;
		kx_table_hist(&v, &b);
	}
	CHECKF(b.p && strstr(b.p, "<= 256ns               1   50.00%  ##"
				  "######################################\n") &&
		       strstr(b.p, "1.0ms - 2.1ms          0    0.00%\n") &&
		       strstr(b.p, "> 1.07s                1   50.00%  ####") &&
		       strstr(b.p, "count 2, avg 1.00s; since the last reset: "
				   "min 100ns, max 2.00s\n") &&
		       strstr(b.p, "p50 ~256ns, p90 ~1.81s, p99 ~1.98s "),
	       "got:\n%s", b.p);
	kx_buf_free(&b);
	kx_buf_free(&hb);
	free(later_times);
	kx_snapshot_release(&SA);
	kx_snapshot_release(&SB);
	tap_group("histograms: the interval's (bucket deltas, a reset counts "
		  "from it), the P99 column of tables and diffs, the --hist "
		  "table of a reason and of an interval");
}

static void test_hist_user_json_prom(void)
{
	struct kx_buf b;

	make_hist_snapshot(&SA, 1000, hist_text());
	CHECK(parse_user(USER_EX) == 0);
	SA.c.user = C.user;
	C.user = NULL;
	kx_buf_init(&b);
	kx_json_counters(&SA, "src", &b);
	CHECKF(b.p && strstr(b.p, ",\"time_stats\":true,\"time_hist\":true,"
				  "\"time_p50_ns\":") &&
		       strstr(b.p, "{\"code\":\"0x000a\",\"name\":\"CPUID\","
				   "\"count\":1000,\"time_count\":1000,"
				   "\"time_total_ns\":500000,\"time_max_ns\":"
				   "2000,\"min_ns\":300,\"p50_ns\":469,"
				   "\"p90_ns\":906,\"p99_ns\":1024,\"hist\":"
				   "[{\"le_ns\":256,\"count\":0},{\"le_ns\":512,"
				   "\"count\":600},") &&
		       strstr(b.p, "{\"le_ns\":1073741824,\"count\":0},"
				   "{\"le_ns\":null,\"count\":0}]}") &&
		       strstr(b.p, "\"hist_other\":{\"count\":18,\"min_ns\":"
				   "500,") &&
		       strstr(b.p, ",\"userspace_exits\":{\"total\":1006,"
				   "\"error\":3,\"other\":0,\"rows\":[{\"code\":"
				   "2,\"name\":\"KVM_EXIT_IO\",\"count\":1000},"),
	       "got:\n%s", b.p);
	kx_buf_reset(&b);
	kx_prom_counters(&SA, &b);
	CHECKF(b.p && strstr(b.p, "# TYPE kvm_exit_handling_duration_seconds "
				  "histogram\n"
				  "kvm_exit_handling_duration_seconds_bucket{"
				  "reason=\"CPUID\",code=\"0x000a\",vendor=\"vmx\","
				  "le=\"2.56e-07\"} 0\n"
				  "kvm_exit_handling_duration_seconds_bucket{"
				  "reason=\"CPUID\",code=\"0x000a\",vendor=\"vmx\","
				  "le=\"5.12e-07\"} 600\n") &&
		       strstr(b.p, "kvm_exit_handling_duration_seconds_bucket{"
				   "reason=\"other\",code=\"-\",vendor=\"vmx\","
				   "le=\"+Inf\"} 18\n"
				   "kvm_exit_handling_duration_seconds_sum{"
				   "reason=\"other\",code=\"-\",vendor=\"vmx\"} "
				   "0.004117000\n"
				   "kvm_exit_handling_duration_seconds_count{"
				   "reason=\"other\",code=\"-\",vendor=\"vmx\"} 18\n") &&
		       strstr(b.p, "# TYPE kvm_exits_userspace_total counter\n"
				   "kvm_exits_userspace_total{reason="
				   "\"KVM_EXIT_IO\",code=\"2\",vendor=\"vmx\"} "
				   "1000\n") &&
		       strstr(b.p, "kvm_exits_userspace_total{reason=\"error\","
				   "code=\"-\",vendor=\"vmx\"} 3\n"
				   "kvm_exits_userspace_total{reason=\"other\","
				   "code=\"-\",vendor=\"vmx\"} 0\n"),
	       "got:\n%s", b.p);
	kx_buf_reset(&b);
	kx_table_user(SA.c.user, &b);
	CHECKF(b.p && !strcmp(b.p, "CODE   NAME           COUNT    SHARE\n"
				   "2      KVM_EXIT_IO    1,000   99.40%\n"
				   "5      KVM_EXIT_HLT       2    0.20%\n"
				   "10     KVM_EXIT_INTR      1    0.10%\n"
				   "error                     3    0.30%\n"
				   "other                     0    0.00%\n"
				   "total                 1,006  100.00%\n"),
	       "got:\n%s", b.p);
	kx_buf_free(&b);
	kx_snapshot_release(&SA);
	tap_group("JSON and Prometheus of histograms (time_hist, min_ns, "
		  "p50/p90/p99_ns, hist, hist_other; the histogram family) "
		  "and of userspace tables; the userspace table");
}

static void test_hist_user_cli(void)
{
	static const char *const usage[] = {
		"--hist x --json", "--hist x --prometheus", "--hist x --save f",
		"--hist x --watch 1", "--hist x --reset", "--hist x --msr",
		"--hist x --userspace", "--hist x --vm 1 --per-vcpu",
		"--hist", "--hist=", "--userspace --reset",
		"--userspace --list-vms", "--userspace --timeline f",
		"--userspace --record f --interval 1", "--userspace=1",
	};
	struct kx_opts o;
	size_t i;

	for (i = 0; i < sizeof(usage) / sizeof(*usage); i++)
		CHECKF(cli(usage[i], &o) == KX_EXIT_USAGE, "'%s' -> '%s'",
		       usage[i], E.msg);
	CHECK(cli("--hist CPUID", &o) == 0 && !strcmp(o.hist, "CPUID") &&
	      kx_opts_extra(&o) == KX_READ_HIST);
	CHECK(cli("--hist=other --diff a b", &o) == 0 &&
	      !strcmp(o.hist, "other"));
	CHECK(cli("--hist 0xa --vm 12", &o) == 0);
	CHECK(cli("--userspace --vm 12 --per-vcpu", &o) == 0 && o.user &&
	      kx_opts_extra(&o) == (KX_READ_HIST | KX_READ_USER));
	CHECK(cli("--userspace --msr --save x", &o) == 0 && o.user &&
	      o.detail == KX_DETAIL_BIT(KX_DET_MSR));
	CHECK(cli("--userspace --watch 1", &o) == 0 &&
	      cli("--userspace -- true", &o) == 0 &&
	      cli("--userspace --prometheus", &o) == 0);
	CHECK(cli("--record f --interval 1", &o) == 0 &&
	      kx_opts_extra(&o) == 0);
	CHECK(cli("--list-vms", &o) == 0 && kx_opts_extra(&o) == 0);
	tap_group("command line: --hist REASON and --userspace, what they "
		  "combine with, what is read in each mode");
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
	test_detail_parse();
	test_detail_errors();
	test_msr_names();
	test_detail_snapshot();
	test_detail_diff();
	test_detail_render();
	test_detail_json_prom();
	test_detail_cli();
	test_hist_parse();
	test_hist_errors();
	test_hist_quantile();
	test_hist_check_times();
	test_user();
	test_hist_user_snapshot();
	test_hist_diff_render();
	test_hist_user_json_prom();
	test_hist_user_cli();
	return tap_done();
}
