// SPDX-License-Identifier: GPL-2.0
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"
#include "vm.h"

int kx_parse_seconds(const char *s, struct kx_time *t)
{
	const char *dot = strchr(s, '.');
	size_t n = strlen(s), ip = dot ? (size_t)(dot - s) : n, fp, i;
	uint64_t sec = 0, ns = 0;

	if (n == 0 || n > 32)
		return -1;
	fp = dot ? n - ip - 1 : 0;
	if (dot && (fp == 0 || fp > 9))
		return -1;
	if (ip == 0 && !dot)
		return -1;
	if (ip && kx_parse_u64(s, ip, &sec))
		return -1;
	if (ip == 0 && fp == 0)
		return -1;
	for (i = 0; i < fp; i++) {
		if (dot[1 + i] < '0' || dot[1 + i] > '9')
			return -1;
		ns = ns * 10 + (uint64_t)(dot[1 + i] - '0');
	}
	for (; i < 9; i++)
		ns *= 10;
	if (sec > KX_WATCH_MAX_SEC || (sec == KX_WATCH_MAX_SEC && ns))
		return -1;
	if (sec == 0 && ns < KX_WATCH_MIN_NS)
		return -1;
	t->sec = sec;
	t->nsec = (uint32_t)ns;
	return 0;
}

static const char *const mode_names[] = {
	[KX_MODE_SAVE] = "--save", [KX_MODE_DIFF] = "--diff",
	[KX_MODE_RESET] = "--reset", [KX_MODE_WATCH] = "--watch",
	[KX_MODE_RUN] = "-- CMD", [KX_MODE_LIST_VMS] = "--list-vms",
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
	O_VM_ROOT, O_HELP, O_VERSION,
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
	{ "--count", 0, "N", O_COUNT, 0,
	  "with --watch: stop after N intervals" },
	{ "--json", 'j', NULL, O_JSON, 0,
	  "JSON output (one object; --watch: one per line)" },
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

int kx_cli_parse(int argc, char **argv, const char *env_root,
		 struct kx_opts *o, struct kx_err *e)
{
	const char *count_s = NULL, *watch_s = NULL;
	int i, r, json = 0, prom = 0;

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
			r = set_mode(o, KX_MODE_RUN, e);
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
	o->fmt = json ? KX_FMT_JSON : prom ? KX_FMT_PROM : KX_FMT_TEXT;
	if (prom && o->mode != KX_MODE_READ)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--prometheus only applies to printing the "
			       "current counters, not to %s",
			       mode_names[o->mode]);
	if (o->force && o->mode != KX_MODE_DIFF && o->mode != KX_MODE_RESET)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--force only applies to --diff and --reset");
	if (count_s && o->mode != KX_MODE_WATCH)
		return kx_fail(e, KX_EXIT_USAGE, "--count only applies to --watch");
	if (o->output && o->mode != KX_MODE_READ && o->mode != KX_MODE_DIFF &&
	    o->mode != KX_MODE_RUN)
		return kx_fail(e, KX_EXIT_USAGE,
			       "--output does not apply to %s%s",
			       mode_names[o->mode],
			       o->mode == KX_MODE_SAVE ?
			       " (its FILE is written atomically already)" :
			       "");
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
"\n"
"Counts KVM VM exits per exit reason from /sys/kernel/debug/kvm_exits, and\n"
"per VM from /sys/kernel/debug/kvm/<pid>-<fd>/exit_reasons (VMs created\n"
"with the kvm parameter exit_stats_per_vm=Y). Handling times (AVG, MAX) are\n"
"shown when the kernel measures them (exit_stats_time=Y).\n"
"\n"
"Modes:\n");
	help_opts(b, 1);
	kx_buf_puts(b, "\nOptions:\n");
	help_opts(b, 0);
	kx_buf_puts(b,
"\n"
"With -- CMD the report goes to standard error (or --output FILE) and the\n"
"exit status is the command's (128+N if killed by signal N, 127 if it was\n"
"not found, 126 if it could not be executed).\n"
"\n"
"Exit status: 0 ok, 1 runtime error, 2 usage error, 3 counters unavailable,\n"
"4 permission denied, 5 malformed snapshot or counters file, 6 snapshots\n"
"not comparable (see --force). See kvmexit-read(1).\n");
}
