/* SPDX-License-Identifier: GPL-2.0 */
/* The command line. */
#ifndef KX_CLI_H
#define KX_CLI_H

#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "parse.h"
#include "source.h"

/* The top-level VERSION file, passed by the Makefile: one place for it. */
#ifndef KX_VERSION
#error "KX_VERSION is not set: build with make (it reads ../../VERSION)"
#endif
#define KX_ROOT_ENV "KVMEXIT_ROOT"
/* the kvm module's parameters: exit_stats_detail (the --msr hint) */
#define KX_PARAM_DIR_ENV "KVMEXIT_PARAM_DIR"
#define KX_DEFAULT_PARAM_DIR "/sys/module/kvm/parameters"

enum kx_mode {
	KX_MODE_READ, /* no mode option: print the counters */
	KX_MODE_SAVE,
	KX_MODE_DIFF,
	KX_MODE_RESET,
	KX_MODE_WATCH,
	KX_MODE_RUN, /* -- CMD [ARGS...] */
	KX_MODE_LIST_VMS,
	KX_MODE_RECORD,	  /* --record FILE --interval SECONDS [-- CMD] */
	KX_MODE_TIMELINE, /* --timeline FILE */
	KX_MODE_HELP,
	KX_MODE_VERSION,
};

enum kx_format { KX_FMT_TEXT, KX_FMT_JSON, KX_FMT_PROM, KX_FMT_TSV };

#define KX_WATCH_MIN_NS 10000000ull		/* 0.01 s */
#define KX_WATCH_MAX_SEC 86400ull		/* one day */
#define KX_COUNT_MAX 1000000000ull

struct kx_opts {
	enum kx_mode mode;
	enum kx_format fmt;
	const char *root;
	int root_is_default;
	const char *save;   /* --save FILE */
	const char *diff_a; /* --diff A [B] */
	const char *diff_b; /* NULL: now */
	const char *output; /* --output FILE */
	struct kx_time interval; /* --watch SECONDS, --interval SECONDS */
	uint64_t count; /* 0: forever */
	const char *record;   /* --record FILE */
	const char *timeline; /* --timeline FILE */
	const char *marks;    /* --marks MARKS */
	uint64_t top;	      /* --top N (default KX_TL_TOP_DEFAULT) */
	uint64_t busiest;     /* --busiest N, 0: every interval */
	int force;
	int pretty; /* -p, --pretty: indented JSON */
	char **cmd; /* NULL-terminated, after -- */
	const char *vm;	     /* --vm PID|NAME */
	int per_vcpu;	     /* --per-vcpu */
	const char *vm_root; /* --vm-root DIR, $KVMEXIT_VM_ROOT */
	unsigned detail;       /* --msr, --io, --exceptions: KX_DETAIL_BIT()s */
	const char *hist;      /* --hist REASON */
	int user;	       /* --userspace */
	const char *param_dir; /* --param-dir DIR, $KVMEXIT_PARAM_DIR */
	struct kx_source src; /* what is read: all VMs, or --vm's (by main) */
};

/* Parses argv; env_root is getenv(KX_ROOT_ENV). Usage errors are
 * KX_EXIT_USAGE with a message. */
int kx_cli_parse(int argc, char **argv, const char *env_root,
		 struct kx_opts *o, struct kx_err *e);

/* "0.5", "2", "1.25": > 0, at most 9 decimals, 0.01 s to one day (the
 * SECONDS of --watch and --interval). */
int kx_parse_seconds(const char *s, struct kx_time *t);

void kx_cli_help(struct kx_buf *b);

/* What the sources of o's mode read besides the counters (struct
 * kx_source's extra): the histograms when printing, saving, diffing,
 * watching or running a command, the userspace tables with --userspace. */
unsigned kx_opts_extra(const struct kx_opts *o);

#endif
