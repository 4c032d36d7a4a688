// SPDX-License-Identifier: GPL-2.0
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"
#include "detail.h"
#include "probe.h"
#include "timeline.h"
#include "vm.h"

int kx_parse_seconds(const char *s, struct kx_time *t)
{
	size_t n = strlen(s);
	struct kx_time v;

	if (n == 0 || n > 32 || kx_parse_decimal(s, n, &v))
		return -1;
	if (v.sec > KX_WATCH_MAX_SEC || (v.sec == KX_WATCH_MAX_SEC && v.nsec))
		return -1;
	if (v.sec == 0 && v.nsec < KX_WATCH_MIN_NS)
		return -1;
	*t = v;
	return 0;
}

static const char *const mode_names[] = {
	[KX_MODE_SAVE] = "--save", [KX_MODE_DIFF] = "--diff",
	[KX_MODE_RESET] = "--reset", [KX_MODE_WATCH] = "--watch",
	[KX_MODE_RUN] = "-- CMD", [KX_MODE_LIST_VMS] = "--list-vms",
	[KX_MODE_RECORD] = "--record", [KX_MODE_TIMELINE] = "--timeline",
};

static int set_mode(struct kx_opts *o, enum kx_mode m, struct kx_err *e)
{
	if (o->mode != KX_MODE_READ && o->mode != m)
		return kx_fail(e, KX_EXIT_USAGE, "%s and %s cannot be combined",
			       mode_names[o->mode], mode_names[m]);
	if (o->mode == m)
		return kx_fail(e, KX_EXIT_USAGE, "%s given twice",
			       mode_names[m]);
	o->mode = m;
	return 0;
}

/* "--opt VALUE" or "--opt=VALUE" */
static int take_value(int argc, char **argv, int *i, const char *inline_val,
		      const char *opt, const char **val, struct kx_err *e)
{
	if (inline_val) {
		*val = inline_val;
	} else {
		if (*i + 1 >= argc)
			return kx_fail(e, KX_EXIT_USAGE, "%s needs a value",
				       opt);
		*val = argv[++*i];
	}
	if (!**val)
		return kx_fail(e, KX_EXIT_USAGE, "%s: empty value", opt);
	return 0;
}

enum opt_id {
	O_SAVE, O_DIFF, O_RESET, O_WATCH, O_COUNT, O_LIST_VMS, O_JSON,
	O_PRETTY, O_PROM, O_OUTPUT, O_FORCE, O_ROOT, O_VM, O_PER_VCPU,
	O_VM_ROOT, O_HELP, O_VERSION, O_RECORD, O_INTERVAL, O_TIMELINE,
	O_TOP, O_BUSIEST, O_MARKS, O_TSV, O_MSR, O_IO, O_EXC, O_PARAM_DIR,
	O_HIST, O_USER,
};

/* The options: what the parser accepts and what --help lists. */
static const struct opt {
	const char *name;  /* "--json" */
	char shrt;	   /* 'j' for -j, or 0 */
	const char *arg;   /* value shown in --help, NULL: a flag */
	enum opt_id id;
	int mode;	   /* listed under "Modes" */
	const char *help;  /* lines separated by '\n' */
} opts[] = {
	{ "--save", 0, "FILE", O_SAVE, 1,
	  "save a snapshot ('-': standard output)" },
	{ "--diff", 0, "A [B]", O_DIFF, 1,
	  "deltas from snapshot A to B (or to now)" },
	{ "--reset", 0, NULL, O_RESET, 1,
	  "reset the counters (root; debugfs only)" },
	{ "--watch", 0, "SECONDS", O_WATCH, 1,
	  "deltas every SECONDS (0.01 to 86400)" },
	{ "--list-vms", 0, NULL, O_LIST_VMS, 1, "VMs with per-VM counters" },
	{ "--record", 0, "FILE", O_RECORD, 1,
	  "record the counters every --interval to FILE\n"
	  "(JSON Lines; '-': standard output), until\n"
	  "--count N samples, SIGINT/SIGTERM or -- CMD exits" },
	{ "--timeline", 0, "FILE", O_TIMELINE, 1,
	  "exits/s per interval of a recording" },
	{ "--count", 0, "N", O_COUNT, 0,
	  "with --watch: stop after N intervals;\n"
	  "with --record: after N samples (2 or more)" },
	{ "--interval", 0, "SECONDS", O_INTERVAL, 0,
	  "with --record: a sample every SECONDS (0.01 to\n"
	  "86400, fractions allowed)" },
	{ "--top", 0, "N", O_TOP, 0,
	  "with --timeline: a column for each of the N\n"
	  "reasons with the most exits (default 5, 0 to 512)" },
	{ "--busiest", 0, "N", O_BUSIEST, 0,
	  "with --timeline: only the N intervals with the\n"
	  "highest exits/s, highest first" },
	{ "--marks", 0, "MARKS", O_MARKS, 0,
	  "with --timeline: show the marks of file MARKS\n"
	  "(lines 'SECONDS LABEL', SECONDS since boot)" },
	{ "--tsv", 0, NULL, O_TSV, 0,
	  "with --timeline: tab-separated values (gnuplot)" },
	{ "--msr", 0, NULL, O_MSR, 0,
	  "MSR exits by MSR and access (by_msr): a table\n"
	  "instead of the reasons'; added to --json,\n"
	  "--prometheus and --save" },
	{ "--io", 0, NULL, O_IO, 0,
	  "I/O instruction exits by port, size and direction\n"
	  "(by_io_port), as --msr" },
	{ "--exceptions", 0, NULL, O_EXC, 0,
	  "exception exits by vector (by_exception), as --msr" },
	{ "--userspace", 0, NULL, O_USER, 0,
	  "returns of KVM_RUN to userspace by KVM_EXIT_* reason\n"
	  "(userspace_exits): a table instead of the reasons';\n"
	  "added to --json, --prometheus and --save; with --vm\n"
	  "too" },
	{ "--hist", 0, "REASON", O_HIST, 0,
	  "the handling-time histogram of REASON (its name as\n"
	  "in the REASON column, any case, a code such as\n"
	  "0x000a, or 'other') with p50, p90 and p99 estimates;\n"
	  "with --diff: of the interval" },
	{ "--param-dir", 0, "DIR", O_PARAM_DIR, 0,
	  "the kvm module's parameters, for the exit_stats_detail\n"
	  "hint (default: /sys/module/kvm/parameters, or\n"
	  "$KVMEXIT_PARAM_DIR)" },
	{ "--json", 'j', NULL, O_JSON, 0,
	  "JSON output (one object; --watch, --timeline:\n"
	  "one per line)" },
	{ "--pretty", 'p', NULL, O_PRETTY, 0,
	  "indented JSON output (implies --json)" },
	{ "--prometheus", 0, NULL, O_PROM, 0,
	  "Prometheus text format (printing the counters only)" },
	{ "--output", 0, "FILE", O_OUTPUT, 0,
	  "write the output to FILE atomically (temp + rename)" },
	{ "--force", 0, NULL, O_FORCE, 0,
	  "--diff snapshots that do not match (says what it\n"
	  "forced); --reset a tree that is not on debugfs" },
	{ "--root", 0, "DIR", O_ROOT, 0,
	  "read DIR instead of /sys/kernel/debug/kvm_exits\n"
	  "(default: $KVMEXIT_ROOT if set)" },
	{ "--vm", 0, "PID|NAME", O_VM, 0,
	  "the counters of one VM (its debugfs name <pid>-<fd>,\n"
	  "or the only VM of process PID with per-VM counters)" },
	{ "--per-vcpu", 0, NULL, O_PER_VCPU, 0,
	  "with --vm: the VM's vCPUs too (printing, --save);\n"
	  "with --diff of VM snapshots: per-vCPU deltas" },
	{ "--vm-root", 0, "DIR", O_VM_ROOT, 0,
	  "KVM's per-VM directories (default: the kvm directory\n"
	  "beside the counters root, or $KVMEXIT_VM_ROOT)" },
	{ "--help", 'h', NULL, O_HELP, 0, "this help" },
	{ "--version", 'V', NULL, O_VERSION, 0, "print the version" },
};
#define NOPTS (sizeof(opts) / sizeof(*opts))

/* The option a is ("--name" or "-x"), or NULL. */
static const struct opt *find_opt(const char *a)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if (a[1] == '-' ? !strcmp(a, opts[i].name) :
				  opts[i].shrt && a[1] == opts[i].shrt && !a[2])
			return &opts[i];
	return NULL;
}

/* A number of an option: 0, or a usage error saying the range. */
static int parse_num(const char *opt, const char *s, uint64_t min,
		     uint64_t max, uint64_t *v, struct kx_err *e)
{
	if (kx_parse_u64(s, strlen(s), v) || *v < min || *v > max)
		return kx_fail(e, KX_EXIT_USAGE,
			       "%s: bad number '%s' (%llu to %llu)", opt, s,
			       (unsigned long long)min,
			       (unsigned long long)max);
	return 0;
}

/* The options of --record and --timeline, after the loop. */
static int check_record_timeline(struct kx_opts *o, const char *interval_s,
				 const char *top_s, const char *busiest_s,
				 const char *count_s, struct kx_err *e)
{
	static const char *const tl_only[] = { "--top", "--busiest",
					       "--marks", "--tsv" };
	const char *tl_given[] = { top_s, busiest_s, o->marks,
				   o->fmt == KX_FMT_TSV ? "" : NULL };
	size_t i;
	int r;

	o->top = KX_TL_TOP_DEFAULT;
	for (i = 0; i < 4; i++)
		if (tl_given[i] && o->mode != KX_MODE_TIMELINE)
			return kx_fail(e, KX_EXIT_USAGE,
				       "%s only applies to --timeline",
				       tl_only[i]);
	if (interval_s && o->mode != KX_MODE_RECORD)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--interval only applies to --record%s",
			       o->mode == KX_MODE_WATCH ?
			       " (--watch takes its SECONDS itself)" : "");
	if (o->mode == KX_MODE_RECORD) {
		if (!interval_s)
			return kx_fail(e, KX_EXIT_USAGE,
				       "--record needs --interval SECONDS");
		if (kx_parse_seconds(interval_s, &o->interval))
			return kx_fail(e, KX_EXIT_USAGE,
				       "--interval: bad interval '%s' "
				       "(seconds, e.g. 1 or 0.5; from 0.01 "
				       "to 86400)",
				       interval_s);
		if (o->fmt == KX_FMT_JSON)
			return kx_fail(e, KX_EXIT_USAGE,
				       "--json does not apply to --record (a "
				       "recording is JSON Lines already)");
		if (count_s && o->cmd)
			return kx_fail(e, KX_EXIT_USAGE,
				       "--count cannot be combined with -- "
				       "CMD: the recording ends when the "
				       "command exits");
		if (o->cmd && !strcmp(o->record, "-"))
			return kx_fail(e, KX_EXIT_USAGE,
				       "--record - -- CMD: the command's "
				       "output would mix with the recording "
				       "on standard output; record to a file");
	}
	if (top_s) {
		r = parse_num("--top", top_s, 0, KX_MAX_REASONS, &o->top, e);
		if (r)
			return r;
		if (o->fmt == KX_FMT_JSON)
			return kx_fail(e, KX_EXIT_USAGE,
				       "--top does not apply to --json (it "
				       "lists every reason)");
	}
	if (busiest_s) {
		r = parse_num("--busiest", busiest_s, 1, KX_COUNT_MAX,
			      &o->busiest, e);
		if (r)
			return r;
	}
	if (o->marks && o->fmt == KX_FMT_TSV)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--marks does not apply to --tsv (plot the "
			       "marks file itself)");
	return 0;
}

/* --userspace and --hist: the modes and formats they apply to */
static int check_user_hist(const struct kx_opts *o, struct kx_err *e)
{
	if (o->user && o->mode != KX_MODE_READ && o->mode != KX_MODE_SAVE &&
	    o->mode != KX_MODE_DIFF && o->mode != KX_MODE_WATCH &&
	    o->mode != KX_MODE_RUN)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--userspace only applies to printing the "
			       "counters, --save, --diff, --watch and -- CMD, "
			       "not to %s",
			       mode_names[o->mode]);
	if (!o->hist)
		return 0;
	if (o->mode != KX_MODE_READ && o->mode != KX_MODE_DIFF)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--hist only applies to printing the counters "
			       "and --diff, not to %s",
			       mode_names[o->mode]);
	if (o->fmt != KX_FMT_TEXT)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--hist prints a table: not with --%s (which "
			       "has the histogram of every reason)",
			       o->fmt == KX_FMT_JSON ? "json" : "prometheus");
	if (o->per_vcpu)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--hist does not apply to --per-vcpu (use --vm "
			       "alone)");
	if (o->detail || o->user)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--hist cannot be combined with %s",
			       o->user ? "--userspace" :
			       o->detail & KX_DETAIL_BIT(KX_DET_MSR) ? "--msr" :
			       o->detail & KX_DETAIL_BIT(KX_DET_IO) ? "--io" :
							     "--exceptions");
	return 0;
}

/* --msr, --io, --exceptions: the modes that read or compare counters */
static int check_detail(const struct kx_opts *o, struct kx_err *e)
{
	const char *opt = NULL;
	int k;

	for (k = KX_DET_KINDS - 1; k >= 0; k--)
		if (o->detail & KX_DETAIL_BIT(k))
			opt = kx_detail_info(k)->option;
	if (!opt)
		return 0;
	if (o->mode != KX_MODE_READ && o->mode != KX_MODE_SAVE &&
	    o->mode != KX_MODE_DIFF && o->mode != KX_MODE_WATCH &&
	    o->mode != KX_MODE_RUN)
		return kx_fail(e, KX_EXIT_USAGE,
			       "%s only applies to printing the counters, "
			       "--save, --diff, --watch and -- CMD, not to %s",
			       opt, mode_names[o->mode]);
	if (o->vm || o->per_vcpu)
		return kx_fail(e, KX_EXIT_USAGE,
			       "%s does not apply to %s (the MSR, I/O port "
			       "and exception tables are global)",
			       opt, o->vm ? "--vm" : "--per-vcpu");
	return 0;
}

int kx_cli_parse(int argc, char **argv, const char *env_root,
		 struct kx_opts *o, struct kx_err *e)
{
	const char *count_s = NULL, *watch_s = NULL, *interval_s = NULL;
	const char *top_s = NULL, *busiest_s = NULL;
	int i, r, json = 0, prom = 0, tsv = 0;

	memset(o, 0, sizeof(*o));
	o->mode = KX_MODE_READ;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = NULL;
		const struct opt *op;
		char name[32];

		if (!strcmp(a, "--")) {
			if (i + 1 >= argc)
				return kx_fail(e, KX_EXIT_USAGE,
					       "-- needs a command to run");
			/* --record ... -- CMD: record while CMD runs */
			r = o->mode == KX_MODE_RECORD ? 0 :
				set_mode(o, KX_MODE_RUN, e);
			if (r)
				return r;
			o->cmd = argv + i + 1;
			break;
		}
		if (a[0] != '-' || !strcmp(a, "-"))
			return kx_fail(e, KX_EXIT_USAGE,
				       "unexpected argument '%s' (to run a "
				       "command, put it after --)",
				       a);
		/* split --opt=value */
		eq = a[1] == '-' ? strchr(a, '=') : NULL;
		if (eq) {
			if ((size_t)(eq - a) >= sizeof(name))
				return kx_fail(e, KX_EXIT_USAGE,
					       "unknown option '%s'", a);
			memcpy(name, a, (size_t)(eq - a));
			name[eq - a] = '\0';
			a = name;
			eq++;
		}
		op = find_opt(a);
		if (!op)
			return kx_fail(e, KX_EXIT_USAGE,
				       "unknown option '%s'", argv[i]);
		if (eq && !op->arg)
			return kx_fail(e, KX_EXIT_USAGE, "%s takes no value",
				       a);
		r = 0;
		switch (op->id) {
		case O_HELP:
			o->mode = KX_MODE_HELP;
			return 0;
		case O_VERSION:
			o->mode = KX_MODE_VERSION;
			return 0;
		case O_JSON:
			json = 1;
			break;
		case O_PRETTY:
			json = 1;
			o->pretty = 1;
			break;
		case O_PROM:
			prom = 1;
			break;
		case O_FORCE:
			o->force = 1;
			break;
		case O_PER_VCPU:
			o->per_vcpu = 1;
			break;
		case O_LIST_VMS:
			r = set_mode(o, KX_MODE_LIST_VMS, e);
			break;
		case O_RESET:
			r = set_mode(o, KX_MODE_RESET, e);
			break;
		case O_VM:
			r = take_value(argc, argv, &i, eq, a, &o->vm, e);
			break;
		case O_VM_ROOT:
			r = take_value(argc, argv, &i, eq, a, &o->vm_root, e);
			break;
		case O_ROOT:
			r = take_value(argc, argv, &i, eq, a, &o->root, e);
			break;
		case O_OUTPUT:
			r = take_value(argc, argv, &i, eq, a, &o->output, e);
			break;
		case O_COUNT:
			r = take_value(argc, argv, &i, eq, a, &count_s, e);
			break;
		case O_SAVE:
			r = set_mode(o, KX_MODE_SAVE, e);
			if (!r)
				r = take_value(argc, argv, &i, eq, a, &o->save,
					       e);
			break;
		case O_WATCH:
			r = set_mode(o, KX_MODE_WATCH, e);
			if (!r)
				r = take_value(argc, argv, &i, eq, a, &watch_s,
					       e);
			break;
		case O_RECORD:
			r = set_mode(o, KX_MODE_RECORD, e);
			if (!r)
				r = take_value(argc, argv, &i, eq, a,
					       &o->record, e);
			break;
		case O_TIMELINE:
			r = set_mode(o, KX_MODE_TIMELINE, e);
			if (!r)
				r = take_value(argc, argv, &i, eq, a,
					       &o->timeline, e);
			break;
		case O_INTERVAL:
			r = take_value(argc, argv, &i, eq, a, &interval_s, e);
			break;
		case O_TOP:
			r = take_value(argc, argv, &i, eq, a, &top_s, e);
			break;
		case O_BUSIEST:
			r = take_value(argc, argv, &i, eq, a, &busiest_s, e);
			break;
		case O_MARKS:
			r = take_value(argc, argv, &i, eq, a, &o->marks, e);
			break;
		case O_TSV:
			tsv = 1;
			break;
		case O_MSR:
			o->detail |= KX_DETAIL_BIT(KX_DET_MSR);
			break;
		case O_IO:
			o->detail |= KX_DETAIL_BIT(KX_DET_IO);
			break;
		case O_EXC:
			o->detail |= KX_DETAIL_BIT(KX_DET_EXC);
			break;
		case O_PARAM_DIR:
			r = take_value(argc, argv, &i, eq, a, &o->param_dir, e);
			break;
		case O_USER:
			o->user = 1;
			break;
		case O_HIST:
			r = take_value(argc, argv, &i, eq, a, &o->hist, e);
			break;
		case O_DIFF:
			r = set_mode(o, KX_MODE_DIFF, e);
			if (!r)
				r = take_value(argc, argv, &i, eq, a,
					       &o->diff_a, e);
			/* optional B: the next argument unless an option */
			if (!r && i + 1 < argc &&
			    (argv[i + 1][0] != '-' || !strcmp(argv[i + 1], "-")))
				o->diff_b = argv[++i];
			break;
		}
		if (r)
			return r;
	}

	if (json && prom)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--json and --prometheus cannot be combined");
	if (tsv && (json || prom))
		return kx_fail(e, KX_EXIT_USAGE,
			       "--tsv and --%s cannot be combined",
			       json ? "json" : "prometheus");
	o->fmt = json ? KX_FMT_JSON : prom ? KX_FMT_PROM :
		 tsv ? KX_FMT_TSV : KX_FMT_TEXT;
	r = check_record_timeline(o, interval_s, top_s, busiest_s, count_s,
				  e);
	if (r)
		return r;
	if (prom && o->mode != KX_MODE_READ)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--prometheus only applies to printing the "
			       "current counters, not to %s",
			       mode_names[o->mode]);
	if (o->force && o->mode != KX_MODE_DIFF && o->mode != KX_MODE_RESET)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--force only applies to --diff and --reset");
	if (count_s && o->mode != KX_MODE_WATCH && o->mode != KX_MODE_RECORD)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--count only applies to --watch and --record");
	if (o->output && o->mode != KX_MODE_READ && o->mode != KX_MODE_DIFF &&
	    o->mode != KX_MODE_RUN)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--output does not apply to %s%s",
			       mode_names[o->mode],
			       o->mode == KX_MODE_SAVE ?
			       " (its FILE is written atomically already)" :
			       o->mode == KX_MODE_RECORD ?
			       " (the recording goes to its FILE)" : "");
	if (o->mode == KX_MODE_SAVE && json && !strcmp(o->save, "-"))
		return kx_fail(e, KX_EXIT_USAGE,
			       "--save - writes the snapshot to standard "
			       "output: --json cannot be combined with it");
	if (o->mode == KX_MODE_DIFF && o->diff_b &&
	    !strcmp(o->diff_a, "-") && !strcmp(o->diff_b, "-"))
		return kx_fail(e, KX_EXIT_USAGE,
			       "--diff: only one snapshot can be read from "
			       "standard input");
	if (watch_s && kx_parse_seconds(watch_s, &o->interval))
		return kx_fail(e, KX_EXIT_USAGE,
			       "--watch: bad interval '%s' (seconds, e.g. 1 "
			       "or 0.5; from 0.01 to 86400)",
			       watch_s);
	if (count_s && (kx_parse_u64(count_s, strlen(count_s), &o->count) ||
			o->count == 0 || o->count > KX_COUNT_MAX))
		return kx_fail(e, KX_EXIT_USAGE,
			       "--count: bad number '%s' (1 to %llu)", count_s,
			       (unsigned long long)KX_COUNT_MAX);
	if (count_s && o->mode == KX_MODE_RECORD && o->count < 2)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--count: a recording needs at least 2 "
			       "samples, not %llu",
			       (unsigned long long)o->count);

	if (o->per_vcpu && !o->vm && o->mode != KX_MODE_DIFF)
		return kx_fail(e, KX_EXIT_USAGE, "--per-vcpu needs --vm");
	if (o->per_vcpu && o->mode != KX_MODE_READ &&
	    o->mode != KX_MODE_SAVE && o->mode != KX_MODE_DIFF)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--per-vcpu only applies to printing the "
			       "counters, --save and --diff, not to %s",
			       mode_names[o->mode]);
	if (o->vm && !kx_vm_sel_valid(o->vm))
		return kx_fail(e, KX_EXIT_USAGE,
			       "--vm '%s': expected a process id or a VM's "
			       "debugfs name <pid>-<fd> (see --list-vms)",
			       o->vm);
	if (o->vm && o->mode == KX_MODE_LIST_VMS)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--vm and --list-vms cannot be combined");
	if (o->vm && o->mode == KX_MODE_TIMELINE)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--vm does not apply to --timeline (the "
			       "recording says what it recorded)");
	r = check_detail(o, e);
	if (!r)
		r = check_user_hist(o, e);
	if (r)
		return r;
	if (!o->param_dir) {
		const char *env_param = getenv(KX_PARAM_DIR_ENV);

		o->param_dir = env_param && *env_param ? env_param :
							 KX_DEFAULT_PARAM_DIR;
	}
	if (!o->vm_root) {
		const char *env_vm = getenv(KX_VM_ROOT_ENV);

		if (env_vm && *env_vm)
			o->vm_root = env_vm;
	}
	if (!o->root && env_root && *env_root)
		o->root = env_root;
	if (!o->root)
		o->root = KX_DEFAULT_ROOT;
	o->root_is_default = !strcmp(o->root, KX_DEFAULT_ROOT);
	return 0;
}

unsigned kx_opts_extra(const struct kx_opts *o)
{
	unsigned x = o->user ? KX_READ_USER : 0;

	if (o->mode == KX_MODE_READ || o->mode == KX_MODE_SAVE ||
	    o->mode == KX_MODE_DIFF || o->mode == KX_MODE_WATCH ||
	    o->mode == KX_MODE_RUN)
		x |= KX_READ_HIST;
	return x;
}

/* "  -j, --json        JSON output ..." lines of the options of a kind */
static void help_opts(struct kx_buf *b, int mode)
{
	char left[32];
	const char *h, *nl;
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		if (opts[i].mode != mode)
			continue;
		snprintf(left, sizeof(left), "%c%c%s%s%s%s",
			 opts[i].shrt ? '-' : ' ', opts[i].shrt ? opts[i].shrt : ' ',
			 opts[i].shrt ? ", " : "  ", opts[i].name,
			 opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
		/* an option too wide for the column gets a line of its own */
		if (strlen(left) >= 22) {
			kx_buf_printf(b, "  %s\n", left);
			left[0] = '\0';
		}
		for (h = opts[i].help;; h = nl + 1) {
			nl = strchr(h, '\n');
			kx_buf_printf(b, "  %-22s%.*s\n", h == opts[i].help ? left : "",
				      nl ? (int)(nl - h) : (int)strlen(h), h);
			if (!nl)
				break;
		}
	}
}

void kx_cli_help(struct kx_buf *b)
{
	kx_buf_puts(b,
"Usage: kvmexit-read [OPTIONS]                      print the counters\n"
"       kvmexit-read --save FILE                    save a snapshot\n"
"       kvmexit-read --diff A [B] [--force]         deltas from A to B (or now)\n"
"       kvmexit-read --reset [--force]              reset the counters\n"
"       kvmexit-read --watch SECONDS [--count N]    deltas every SECONDS\n"
"       kvmexit-read [OPTIONS] -- CMD [ARGS...]     deltas over a command's run\n"
"       kvmexit-read --list-vms                     VMs with per-VM counters\n"
"       kvmexit-read --record FILE --interval SECONDS [--count N | -- CMD...]\n"
"                                                   record the counters\n"
"       kvmexit-read --timeline FILE [--top N] [--busiest N] [--marks MARKS]\n"
"                    [--json | --tsv]               exits/s per interval\n"
"\n"
"Counts KVM VM exits per exit reason from /sys/kernel/debug/kvm_exits, and\n"
"per VM from /sys/kernel/debug/kvm/<pid>-<fd>/exit_reasons (VMs created\n"
"with the kvm parameter exit_stats_per_vm=Y). Handling times (AVG, MAX) are\n"
"shown when the kernel measures them (exit_stats_time=Y), with a P99 estimate\n"
"from its histograms (time_hist; --hist REASON shows one). --msr, --io and\n"
"--exceptions show the exits by MSR, I/O port and exception vector, counted\n"
"while the kvm parameter exit_stats_detail is Y; --userspace, the returns of\n"
"KVM_RUN to userspace (globally counted while exit_stats_detail is Y).\n"
"\n"
"Modes:\n");
	help_opts(b, 1);
	kx_buf_puts(b, "\nOptions:\n");
	help_opts(b, 0);
	kx_buf_puts(b,
"\n"
"With -- CMD the report goes to standard error (or --output FILE) and the\n"
"exit status is the command's (128+N if killed by signal N, 127 if it was\n"
"not found, 126 if it could not be executed); with --record ... -- CMD too.\n"
"A recording's times are seconds since boot (CLOCK_BOOTTIME), as the first\n"
"field of /proc/uptime: marks taken with cut -d' ' -f1 /proc/uptime line up.\n"
"\n"
"Exit status: 0 ok, 1 runtime error, 2 usage error, 3 counters unavailable,\n"
"4 permission denied, 5 malformed snapshot, counters file or recording,\n"
"6 snapshots not comparable (see --force). See kvmexit-read(1).\n");
}
