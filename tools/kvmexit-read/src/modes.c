// SPDX-License-Identifier: GPL-2.0
#include "modes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff.h"
#include "fileio.h"
#include "output.h"
#include "snapshot.h"
#include "vm.h"

int kx_emit(const char *path, const struct kx_buf *b, struct kx_err *e)
{
	if (b->failed)
		return kx_fail(e, KX_EXIT_RUNTIME,
			       "out of memory while formatting the output");
	return kx_write_output(path, b->p ? b->p : "", b->len, e);
}

void kx_warn_forced(const struct kx_diff *d, const char *why)
{
	struct kx_buf b;
	char prefix[64];

	if (!d->problems)
		return;
	kx_buf_init(&b);
	snprintf(prefix, sizeof(prefix), "kvmexit-read: warning: %s", why);
	kx_diff_describe(d, prefix, 1, &b);
	if (!b.failed && b.p) {
		fflush(stdout);
		kx_write_all(STDERR_FILENO, b.p, b.len);
	}
	kx_buf_free(&b);
}

static struct kx_snapshot *alloc_snapshot(struct kx_err *e)
{
	struct kx_snapshot *s = calloc(1, sizeof(*s));

	if (!s)
		kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	return s;
}

/* A snapshot of the counters now, or NULL with e set. */
static struct kx_snapshot *take_snapshot(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_snapshot *s = alloc_snapshot(e);

	if (s && kx_snapshot_take(o->root, o->root_is_default, o->vm_sel, s, e)) {
		free(s);
		s = NULL;
	}
	return s;
}

/* What a file's output names as its source: the root, or the VM's dir. */
static const char *source_of(const struct kx_opts *o)
{
	return o->vm_sel ? o->vm_sel->dir : o->root;
}

/* --vm X --per-vcpu: the VM, then each vCPU. */
static int read_per_vcpu(const struct kx_opts *o, struct kx_snapshot *vm_s,
			 struct kx_buf *b, struct kx_err *e)
{
	static int ids[KX_MAX_VCPUS];
	struct kx_snapshot **s;
	int n, i, r = 0, *labels;

	n = kx_vm_vcpus(o->vm_sel, ids, KX_MAX_VCPUS, e);
	if (n < 0)
		return -n;
	s = calloc((size_t)n + 1, sizeof(*s));
	labels = calloc((size_t)n + 1, sizeof(*labels));
	if (!s || !labels) {
		free(s);
		free(labels);
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	}
	s[0] = vm_s;
	labels[0] = -1;
	for (i = 0; i < n && !r; i++) {
		struct kx_vm v = *o->vm_sel;

		kx_vm_vcpu_dir(o->vm_sel, ids[i], v.dir, sizeof(v.dir));
		s[i + 1] = alloc_snapshot(e);
		if (!s[i + 1])
			r = e->code;
		else
			r = kx_snapshot_take(o->root, o->root_is_default, &v,
					     s[i + 1], e);
		labels[i + 1] = ids[i];
	}
	if (r)
		goto out;
	if (o->fmt == KX_FMT_PROM) {
		kx_prom_counters_multi((const struct kx_snapshot *const *)s, labels,
				       n + 1, b);
	} else if (o->fmt == KX_FMT_JSON) {
		kx_buf_printf(b, "{\"type\":\"vm\",\"format\":%d,\"vm\":",
			      KX_JSON_FORMAT);
		kx_json_str(b, vm_s->scope);
		kx_buf_puts(b, ",\"counters\":");
		kx_json_counters_obj(vm_s, o->vm_sel->dir, b);
		kx_buf_puts(b, ",\"vcpus\":[");
		for (i = 0; i < n; i++) {
			char dir[KX_PATH_MAX];

			kx_vm_vcpu_dir(o->vm_sel, ids[i], dir, sizeof(dir));
			kx_buf_printf(b, "%s{\"vcpu\":%d,\"counters\":", i ? "," : "",
				      ids[i]);
			kx_json_counters_obj(s[i + 1], dir, b);
			kx_buf_putc(b, '}');
		}
		kx_buf_puts(b, "]}\n");
	} else {
		kx_buf_printf(b, "VM %s\n", vm_s->scope);
		kx_table_counters(&vm_s->c, b);
		for (i = 0; i < n; i++) {
			kx_buf_printf(b, "\nVM %s vcpu%d\n", vm_s->scope, ids[i]);
			kx_table_counters(&s[i + 1]->c, b);
		}
	}
out:
	for (i = 1; i <= n; i++)
		free(s[i]);
	free(s);
	free(labels);
	return r;
}

int kx_mode_read(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_snapshot *s = take_snapshot(o, e);
	struct kx_buf b;
	int r = 0;

	if (!s)
		return e->code;
	kx_buf_init(&b);
	if (o->per_vcpu)
		r = read_per_vcpu(o, s, &b, e);
	else if (o->fmt == KX_FMT_JSON)
		kx_json_counters(s, source_of(o), &b);
	else if (o->fmt == KX_FMT_PROM)
		kx_prom_counters(s, &b);
	else if (s->scope[0]) {
		kx_buf_printf(&b, "VM %s\n", s->scope);
		kx_table_counters(&s->c, &b);
	} else
		kx_table_counters(&s->c, &b);
	if (!r)
		r = kx_emit(o->output, &b, e);
	kx_buf_free(&b);
	free(s);
	return r;
}

int kx_mode_save(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_snapshot *s = take_snapshot(o, e);
	struct kx_buf b;
	int r;

	if (!s)
		return e->code;
	kx_buf_init(&b);
	kx_snapshot_format(s, &b);
	r = kx_emit(o->save, &b, e);
	if (!r && o->fmt == KX_FMT_JSON) {
		kx_buf_reset(&b);
		kx_json_counters(s, source_of(o), &b);
		r = kx_emit(NULL, &b, e);
	}
	kx_buf_free(&b);
	free(s);
	return r;
}

int kx_mode_diff(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_snapshot *a = alloc_snapshot(e), *b = NULL;
	const char *name_b = o->diff_b ? o->diff_b : "now";
	const char *name_a = o->diff_a;
	const struct kx_vm *now_sel = o->vm_sel;
	static struct kx_vm now_vm;
	struct kx_diff *d = NULL;
	struct kx_buf out;
	char title[512];
	int r;

	kx_buf_init(&out);
	if (!a)
		return e->code;
	b = alloc_snapshot(e);
	d = b ? calloc(1, sizeof(*d)) : NULL;
	if (!d) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		goto out;
	}
	if (!strcmp(name_a, "-"))
		name_a = "(standard input)";
	if (!strcmp(name_b, "-"))
		name_b = "(standard input)";
	r = kx_snapshot_load(o->diff_a, a, e);
	if (!r && !o->diff_b && !o->vm_sel && a->scope[0]) {
		/* a VM's snapshot against now: that VM now */
		char root[KX_PATH_MAX];

		r = kx_vm_root(o->root, o->vm_root, root, sizeof(root), e);
		if (!r)
			r = kx_vm_find(root, a->scope, &now_vm, e);
		now_sel = &now_vm;
	}
	if (!r)
		r = o->diff_b ? kx_snapshot_load(o->diff_b, b, e) :
				kx_snapshot_take(o->root, o->root_is_default,
						 now_sel, b, e);
	if (!r)
		r = kx_diff(a, b, name_a, name_b, o->force, d, e);
	if (r)
		goto out;
	kx_warn_forced(d, "--force: ");
	if (o->fmt == KX_FMT_JSON) {
		kx_json_diff(d, name_a, o->diff_b ? name_b :
				 now_sel ? now_sel->dir : o->root, &out);
	} else {
		snprintf(title, sizeof(title), "%s -> %s", name_a, name_b);
		kx_table_diff(d, title, &out);
	}
	r = kx_emit(o->output, &out, e);
out:
	kx_buf_free(&out);
	free(d);
	free(b);
	free(a);
	return r;
}

int kx_mode_reset(const struct kx_opts *o, struct kx_err *e)
{
	const char *dir = source_of(o), *file = o->vm_sel ? "exit_reasons" : "total";
	size_t plen = strlen(dir) + strlen(file) + 2;
	char *path;
	struct kx_buf b;
	int fd, r, err;

	r = kx_root_check(o->root, o->root_is_default, e);
	if (r)
		return r;
	path = malloc(plen);
	if (!path)
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	snprintf(path, plen, "%s/%s", dir, file);
	/* like "echo 0 > total" */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || kx_write_all(fd, "0\n", 2)) {
		err = errno;
		if (fd >= 0)
			close(fd);
		r = kx_errno_code(err, KX_EXIT_UNAVAILABLE);
		kx_fail(e, r, "%s: cannot reset the counters: %s%s", path,
			strerror(err),
			r == KX_EXIT_PERM ? " (resetting needs root)" : "");
		free(path);
		return r;
	}
	if (close(fd)) {
		err = errno;
		kx_fail(e, KX_EXIT_RUNTIME, "%s: cannot reset the counters: %s",
			path, strerror(err));
		free(path);
		return KX_EXIT_RUNTIME;
	}
	free(path);
	if (o->fmt != KX_FMT_JSON)
		return 0;
	kx_buf_init(&b);
	kx_buf_printf(&b, "{\"type\":\"reset\",\"format\":%d,\"source\":",
		      KX_JSON_FORMAT);
	kx_json_str(&b, dir);
	kx_buf_puts(&b, "}\n");
	r = kx_emit(NULL, &b, e);
	kx_buf_free(&b);
	return r;
}

int kx_mode_list_vms(const struct kx_opts *o, struct kx_err *e)
{
	static struct kx_vm_info v[KX_MAX_VCPUS];
	char root[KX_PATH_MAX];
	struct kx_buf b;
	int n, i, r;

	r = kx_root_check(o->root, o->root_is_default, e);
	if (!r)
		r = kx_vm_root(o->root, o->vm_root, root, sizeof(root), e);
	if (!r)
		r = kx_vm_list(o->root, root, "", v, KX_MAX_VCPUS, &n, e);
	if (r)
		return r;
	kx_buf_init(&b);
	if (o->fmt == KX_FMT_JSON) {
		kx_buf_printf(&b, "{\"type\":\"vms\",\"format\":%d,\"source\":",
			      KX_JSON_FORMAT);
		kx_json_str(&b, root);
		kx_buf_puts(&b, ",\"vms\":[");
		for (i = 0; i < n; i++) {
			kx_buf_puts(&b, i ? ",{\"vm\":" : "{\"vm\":");
			kx_json_str(&b, v[i].name);
			kx_buf_printf(&b, ",\"pid\":%lu,\"comm\":", v[i].pid);
			kx_json_str(&b, v[i].comm);
			kx_buf_printf(&b,
				      ",\"vcpus\":%d,\"exits\":%llu,"
				      "\"time_stats\":%s}",
				      v[i].vcpus, v[i].exits,
				      v[i].timed ? "true" : "false");
		}
		kx_buf_puts(&b, "]}\n");
	} else if (!n) {
		kx_buf_printf(&b,
			      "no VM with per-VM counters in %s (set "
			      "/sys/module/kvm/parameters/exit_stats_per_vm to Y "
			      "before creating VMs)\n",
			      root);
	} else {
		kx_buf_printf(&b, "%-16s %8s %-16s %6s %14s  %s\n", "VM", "PID",
			      "COMMAND", "VCPUS", "EXITS", "TIMES");
		for (i = 0; i < n; i++)
			kx_buf_printf(&b, "%-16s %8lu %-16s %6d %14llu  %s\n",
				      v[i].name, v[i].pid, v[i].comm, v[i].vcpus,
				      v[i].exits, v[i].timed ? "yes" : "no");
	}
	r = kx_emit(NULL, &b, e);
	kx_buf_free(&b);
	return r;
}
