// SPDX-License-Identifier: GPL-2.0
#include "source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

/* The files of each kind of source (formats in debugfs-format.rst): a new
 * file kind is a column here and a parser in counters.c. */
static const struct kind_files {
	const char *reasons; /* by_reason's format */
	const char *times;   /* optional; time_by_reason's format */
	const char *total;   /* a total file, or NULL: the reasons' sum */
	const char *reset;   /* what --reset writes 0 to, or NULL */
} kinds[] = {
	[KX_SRC_ALL] = { "by_reason", "time_by_reason", "total", "total" },
	[KX_SRC_VM] = { "exit_reasons", "exit_times", NULL, "exit_reasons" },
	[KX_SRC_VCPU] = { "exit_reasons", "exit_times", NULL, NULL },
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
	return vm_gone(src, r, e);
}

int kx_source_vcpus(const struct kx_source *vm, int strict, int **ids,
		    struct kx_err *e)
{
	int n = kx_vm_vcpus(vm->dir, strict, ids, e);

	return n < 0 ? -vm_gone(vm, -n, e) : n;
}
