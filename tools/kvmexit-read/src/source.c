// SPDX-License-Identifier: GPL-2.0
#include "source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "hist.h"
#include "user.h"

/* reads of the time file, histograms and time file again, when a reset
 * between them can explain a mismatch (see kx_hist_check_times) */
#define KX_HIST_TRIES 3

/* The files of each kind of source (formats in debugfs-format.rst): a new
 * file kind is a column here and a parser in counters.c. */
static const struct kind_files {
	const char *reasons; /* by_reason's format */
	const char *times;   /* optional; time_by_reason's format */
	const char *total;   /* a total file, or NULL: the reasons' sum */
	const char *reset;   /* what --reset writes 0 to, or NULL */
	const char *hist;    /* optional, with times; time_hist's format */
	const char *user;    /* userspace_exits' format */
} kinds[] = {
	[KX_SRC_ALL] = { "by_reason", "time_by_reason", "total", "total",
			 "time_hist", "userspace_exits" },
	[KX_SRC_VM] = { "exit_reasons", "exit_times", NULL, "exit_reasons",
			"exit_time_hist", "userspace_exits" },
	[KX_SRC_VCPU] = { "exit_reasons", "exit_times", NULL, NULL,
			  "exit_time_hist", "userspace_exits" },
};

void kx_source_all(struct kx_source *src, const char *root)
{
	memset(src, 0, sizeof(*src));
	src->kind = KX_SRC_ALL;
	src->root = root;
	src->vcpu = -1;
	snprintf(src->dir, sizeof(src->dir), "%s", root);
}

void kx_source_vm(struct kx_source *src, const char *root,
		  const struct kx_vm *vm)
{
	kx_source_all(src, root);
	src->kind = KX_SRC_VM;
	snprintf(src->dir, sizeof(src->dir), "%s", vm->dir);
	snprintf(src->vm, sizeof(src->vm), "%s", vm->name);
}

void kx_source_vcpu(const struct kx_source *vm, int id, struct kx_source *out)
{
	*out = *vm;
	out->kind = KX_SRC_VCPU;
	out->vcpu = id;
	snprintf(out->dir, sizeof(out->dir), "%.*s/vcpu%d",
		 (int)(sizeof(out->dir) - 16), vm->dir, id);
}

const char *kx_source_reset_file(const struct kx_source *src)
{
	return kinds[src->kind].reset;
}

const char *kx_source_reasons_file(const struct kx_source *src)
{
	return kinds[src->kind].reasons;
}

const char *kx_source_times_file(const struct kx_source *src)
{
	return kinds[src->kind].times;
}

const char *kx_source_hist_file(const struct kx_source *src)
{
	return kinds[src->kind].hist;
}

/* A VM's file missing: say why it may be */
static int vm_gone(const struct kx_source *src, int r, struct kx_err *e)
{
	char msg[KX_ERR_MSG_MAX];

	if (r != KX_EXIT_UNAVAILABLE || src->kind == KX_SRC_ALL)
		return r;
	memcpy(msg, e->msg, sizeof(msg));
	return kx_fail(e, r, "VM %s: %s (did the VM go away?)", src->vm, msg);
}

typedef int (*parse_fn)(const char *buf, size_t len, const char *fname,
			struct kx_counters *c, struct kx_err *e);

static int read_one(const char *dir, const char *file, size_t max,
		    parse_fn parse, struct kx_counters *c, struct kx_err *e)
{
	size_t plen = strlen(dir) + strlen(file) + 2, len;
	char *path = malloc(plen), *buf;
	int r;

	if (!path)
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	snprintf(path, plen, "%s/%s", dir, file);
	r = kx_read_counters_file(path, max, &buf, &len, e);
	if (r == 0) {
		r = parse(buf, len, path, c, e);
		free(buf);
	}
	free(path);
	return r;
}

/* Reads dir/file into c with parse if it exists (0 if it does not). */
static int read_optional(const char *dir, const char *file, size_t max,
			 parse_fn parse, struct kx_counters *c,
			 struct kx_err *e)
{
	int r = read_one(dir, file, max, parse, c, e);

	if (r == KX_EXIT_UNAVAILABLE) {
		/* only a missing file is optional: a parse error is BADINPUT */
		e->code = 0;
		e->msg[0] = '\0';
		return 0;
	}
	return r;
}

/*
 * The histograms of src into c, whose times were just read: checked
 * against the time file read again after them. A mismatch that the
 * counters moving between the reads can explain (a reset) is read again,
 * times first, up to KX_HIST_TRIES times. No histogram file: no
 * histograms, no error.
 */
static int read_hist(const struct kx_source *src, const struct kind_files *f,
		     struct kx_counters *c, struct kx_err *e)
{
	char hpath[KX_PATH_MAX + 32], tpath[KX_PATH_MAX + 32];
	struct kx_counters *t2 = NULL;
	int r = 0, racy, attempt;

	snprintf(hpath, sizeof(hpath), "%s/%s", src->dir, f->hist);
	snprintf(tpath, sizeof(tpath), "%s/%s", src->dir, f->times);
	for (attempt = 0; attempt < KX_HIST_TRIES; attempt++) {
		if (attempt) {
			r = read_one(src->dir, f->times, KX_BY_REASON_MAX,
				     kx_parse_times, c, e);
			if (r)
				break;
		}
		r = read_one(src->dir, f->hist, KX_HIST_FILE_MAX,
			     kx_parse_hist, c, e);
		if (r == KX_EXIT_UNAVAILABLE && !attempt) {
			/* a kernel without histograms */
			e->code = 0;
			e->msg[0] = '\0';
			r = 0;
			break;
		}
		if (r)
			break;
		if (!t2)
			t2 = malloc(sizeof(*t2));
		if (!t2) {
			r = kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
			break;
		}
		memcpy(t2, c, sizeof(*t2));
		t2->hist = NULL;
		t2->user = NULL;
		r = read_one(src->dir, f->times, KX_BY_REASON_MAX,
			     kx_parse_times, t2, e);
		if (!r)
			r = kx_hist_check_times(c, t2, hpath, tpath, &racy, e);
		if (!r || !racy)
			break;
	}
	free(t2);
	if (r) {
		free(c->hist);
		c->hist = NULL;
	}
	return r;
}

/* The userspace table of src into c; missing: the series is older. */
static int read_user(const struct kx_source *src, const struct kind_files *f,
		     struct kx_counters *c, struct kx_err *e)
{
	int r = read_one(src->dir, f->user, KX_USER_FILE_MAX, kx_parse_user, c,
			 e);

	if (r != KX_EXIT_UNAVAILABLE || src->kind == KX_SRC_VCPU)
		return r;
	return -kx_fail(e, r,
			"%s/%s: not found: the kernel's kvm_exits series is "
			"older than the counts of returns to userspace that "
			"--userspace reads",
			src->dir, f->user);
}

int kx_source_read(const struct kx_source *src, struct kx_counters *c,
		   struct kx_err *e)
{
	const struct kind_files *f = &kinds[src->kind];
	int r;

	memset(c, 0, sizeof(*c));
	r = read_one(src->root, "vendor", KX_SMALL_FILE_MAX, kx_parse_vendor,
		     c, e);
	if (!r && f->total)
		r = read_one(src->dir, f->total, KX_SMALL_FILE_MAX,
			     kx_parse_total, c, e);
	if (!r)
		r = read_one(src->dir, f->reasons, KX_BY_REASON_MAX,
			     kx_parse_by_reason, c, e);
	if (!r && !f->total)
		c->total_file = c->sum;
	if (!r)
		r = read_optional(src->dir, f->times, KX_BY_REASON_MAX,
				  kx_parse_times, c, e);
	if (!r && (src->extra & KX_READ_HIST) && c->has_time)
		r = read_hist(src, f, c, e);
	if (!r && (src->extra & KX_READ_USER)) {
		r = read_user(src, f, c, e);
		if (r < 0)
			r = -r; /* said why: not the VM gone */
		else
			r = vm_gone(src, r, e);
	} else {
		r = vm_gone(src, r, e);
	}
	if (r)
		kx_counters_release(c);
	return r;
}

int kx_source_read_detail(const struct kx_source *src, unsigned mask,
			  struct kx_detail *d, struct kx_err *e)
{
	char path[KX_PATH_MAX + 32];
	size_t len;
	char *buf;
	int k, r;

	d->mask = 0;
	if (src->kind != KX_SRC_ALL && mask)
		return kx_fail(e, KX_EXIT_USAGE,
			       "the MSR, I/O port and exception tables are "
			       "global: not of a VM");
	for (k = 0; k < KX_DET_KINDS; k++) {
		const struct kx_detail_info *info = kx_detail_info(k);

		if (!(mask & KX_DETAIL_BIT(k)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", src->dir, info->file);
		r = kx_read_counters_file(path, KX_DETAIL_FILE_MAX, &buf, &len,
					  e);
		if (r == KX_EXIT_UNAVAILABLE)
			return kx_fail(e, r,
				       "%s: not found: the kernel's kvm_exits "
				       "series is older than the MSR, I/O "
				       "port and exception tables that %s "
				       "reads (by_msr, by_io_port, "
				       "by_exception)",
				       path, info->option);
		if (r)
			return r;
		r = kx_parse_detail(k, buf, len, path, &d->t[k], e);
		free(buf);
		if (r)
			return r;
		d->mask |= KX_DETAIL_BIT(k);
	}
	return 0;
}

int kx_source_vcpus(const struct kx_source *vm, int strict, int **ids,
		    struct kx_err *e)
{
	int n = kx_vm_vcpus(vm->dir, strict, ids, e);

	return n < 0 ? -vm_gone(vm, -n, e) : n;
}
