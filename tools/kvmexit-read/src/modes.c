// SPDX-License-Identifier: GPL-2.0
#include "modes.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "diff.h"
#include "fileio.h"
#include "output.h"
#include "snapshot.h"
#include "vm.h"

#define KX_DEBUGFS_MAGIC 0x64626720ul /* DEBUGFS_MAGIC, linux/magic.h */

int kx_emit(const char *path, const struct kx_buf *b, struct kx_err *e)
{
	if (b->failed)
		return kx_fail(e, KX_EXIT_RUNTIME,
			       "out of memory, or over %u MiB, while "
			       "formatting the output",
			       KX_BUF_MAX >> 20);
	return kx_write_output(path, b->p ? b->p : "", b->len, e);
}

int kx_emit_as(const struct kx_opts *o, const char *path, struct kx_buf *b,
	       struct kx_err *e)
{
	if (o->pretty && o->fmt == KX_FMT_JSON)
		kx_json_indent(b);
	return kx_emit(path, b, e);
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

void kx_detail_hint(const struct kx_opts *o)
{
	/* a VM's userspace table counts whatever the parameter says */
	int user = o->user && o->src.kind == KX_SRC_ALL;

	if ((!o->detail && !user) || kx_detail_param(o->param_dir) != 0)
		return;
	fflush(stdout);
	fprintf(stderr,
		"kvmexit-read: hint: the kvm parameter exit_stats_detail is "
		"N: the %s%s are not counting; switch it on with: echo Y > "
		"%s/exit_stats_detail\n",
		o->detail ? "MSR, I/O port and exception tables" : "",
		!user ? "" : o->detail ? " and the returns to userspace" :
					 "returns to userspace (userspace_exits)",
		o->param_dir);
}

void kx_table_details(const struct kx_opts *o, const struct kx_snapshot *s,
		      struct kx_buf *b)
{
	size_t i;
	int k, n = 0;

	for (k = 0; k < KX_DET_KINDS; k++) {
		if (!(o->detail & KX_DETAIL_BIT(k)))
			continue;
		if (n++)
			kx_buf_putc(b, '\n');
		kx_table_detail(&s->det->t[k], b);
	}
	if (!o->user)
		return;
	if (n)
		kx_buf_putc(b, '\n');
	if (s->scope[0])
		kx_buf_printf(b, "VM %s\n", s->scope);
	kx_table_user(s->c.user, b);
	for (i = 0; i < s->nvcpu; i++) {
		kx_buf_printf(b, "\nVM %s vcpu%d\n", s->scope, s->vcpu[i].id);
		kx_table_user(s->vcpu[i].c.user, b);
	}
}

void kx_table_detail_diffs(const struct kx_opts *o, const struct kx_diff *d,
			   const char *title, struct kx_buf *b)
{
	char vtitle[64];
	size_t i;
	int k, n = 0;

	for (k = 0; k < KX_DET_KINDS; k++) {
		if (!(o->detail & KX_DETAIL_BIT(k)))
			continue;
		if (n++)
			kx_buf_putc(b, '\n');
		kx_table_detail_diff(d, k, title, b);
	}
	if (!o->user)
		return;
	if (n)
		kx_buf_putc(b, '\n');
	kx_table_user_diff(d, title, b);
	for (i = 0; i < d->nvcpu; i++) {
		snprintf(vtitle, sizeof(vtitle), "\nvcpu%d%s", d->vcpu_id[i],
			 d->vcpu_new[i] ? " (new, counted from 0)" : "");
		kx_table_user_diff(&d->vcpu[i], vtitle, b);
	}
}

/* The reason --hist names in c: 0 with *i its index (c->n: "other", the
 * histogram's other line), or a usage error. A name as printed, any case,
 * or a code: "0x" and 1 to 16 hex digits. */
static int hist_select(const char *sel, const struct kx_counters *c,
		       const char *where, size_t *i, struct kx_err *e)
{
	size_t n = strlen(sel), k;
	uint64_t code = 0;
	int is_code = n > 2 && n <= 18 && sel[0] == '0' &&
		      (sel[1] == 'x' || sel[1] == 'X');

	for (k = 2; is_code && k < n; k++) {
		int v = kx_hexval(sel[k]);

		if (v < 0)
			is_code = 0;
		else
			code = code << 4 | (uint64_t)v;
	}
	if (!strcasecmp(sel, "other")) {
		*i = c->n;
		return 0;
	}
	for (k = 0; k < c->n; k++) {
		if (c->r[k].is_other)
			continue;
		if (is_code ? c->r[k].code == code :
			      !strcasecmp(c->r[k].name, sel)) {
			*i = k;
			return 0;
		}
	}
	return kx_fail(e, KX_EXIT_USAGE,
		       "--hist '%s': no such reason in %s (a name as in the "
		       "REASON column, in any case, a code such as 0x000a, or "
		       "'other')",
		       sel, where);
}

/* Why reason i has no histogram row: it is in "other", or has no timed
 * exits; KX_EXIT_UNAVAILABLE. */
static int hist_no_row(const char *name, uint64_t tcount, const char *path,
		       struct kx_err *e)
{
	if (tcount)
		return kx_fail(e, KX_EXIT_UNAVAILABLE,
			       "--hist %s: %s has no histogram row of its own: "
			       "its timed exits are in the 'other' line of %s "
			       "(the kernel keeps a row for each of the first "
			       "%d reasons timed since the vendor module "
			       "loaded); --hist other shows that line",
			       name, name, path, KX_HIST_KERNEL_ROWS);
	return kx_fail(e, KX_EXIT_UNAVAILABLE,
		       "--hist %s: %s has no timed exits since the last reset, "
		       "so no line in %s",
		       name, name, path);
}

/* The times of the reasons without a row of h, from their deltas: the
 * largest max and the sums, for the "other" line of a diff */
static void diff_other_times(const struct kx_diff *d, uint64_t *max,
			     uint64_t *ns, uint64_t *count)
{
	size_t i;

	*max = *ns = *count = 0;
	for (i = 0; i < d->n; i++) {
		if (kx_hist_row_of(d->hist, i))
			continue;
		if (d->d[i].tmax > *max)
			*max = d->d[i].tmax;
		*ns += d->d[i].tns;
		*count += d->d[i].tcount;
	}
}

/* --hist REASON of the counters of s */
static int hist_read(const struct kx_opts *o, const struct kx_snapshot *s,
		     struct kx_buf *b, struct kx_err *e)
{
	const struct kx_counters *c = &s->c;
	const char *dir = o->src.dir;
	struct kx_hist_view v;
	char path[KX_PATH_MAX + 32], title[KX_NAME_MAX + 128], code[24];
	size_t i;
	int r;

	snprintf(path, sizeof(path), "%s/%s", dir,
		 kx_source_reasons_file(&o->src));
	r = hist_select(o->hist, c, path, &i, e);
	if (r)
		return r;
	snprintf(path, sizeof(path), "%s/%s", dir,
		 kx_source_times_file(&o->src));
	if (!c->has_time)
		return kx_fail(e, KX_EXIT_UNAVAILABLE,
			       "--hist: %s: not found: %s",
			       path,
			       o->src.kind == KX_SRC_ALL ?
			       "the kernel's kvm_exits series predates "
			       "handling times" :
			       "no handling times in this VM (created while "
			       "the kvm parameter exit_stats_time was N)");
	snprintf(path, sizeof(path), "%s/%s", dir,
		 kx_source_hist_file(&o->src));
	if (!c->hist)
		return kx_fail(e, KX_EXIT_UNAVAILABLE,
			       "--hist: %s: not found: the kernel's kvm_exits "
			       "series is older than the handling-time "
			       "histograms that --hist reads",
			       path);
	memset(&v, 0, sizeof(v));
	v.title = title;
	if (i == c->n) {
		v.row = kx_hist_other(c->hist);
		kx_hist_other_times(c, &v.max, &v.tns, &v.tcount);
		snprintf(title, sizeof(title),
			 "%s%s%sother (the reasons without a row of their own)",
			 s->scope[0] ? "VM " : "", s->scope,
			 s->scope[0] ? ": " : "");
	} else {
		v.row = kx_hist_row_of(c->hist, i);
		if (!v.row)
			return hist_no_row(c->r[i].name, c->r[i].tcount, path,
					   e);
		v.max = c->r[i].tmax;
		v.tcount = c->r[i].tcount;
		v.tns = c->r[i].tns;
		snprintf(title, sizeof(title), "%s%s%s%s (%s)",
			 s->scope[0] ? "VM " : "", s->scope,
			 s->scope[0] ? ": " : "", c->r[i].name,
			 kx_code_str(&c->r[i], code, sizeof(code)));
	}
	kx_table_hist(&v, b);
	return 0;
}

/* --diff --hist REASON: the interval's histogram */
static int hist_diff(const struct kx_opts *o, const struct kx_diff *d,
		     const char *name_a, const char *name_b, const char *title,
		     struct kx_buf *b, struct kx_err *e)
{
	const struct kx_counters *c = d->cb;
	struct kx_hist_view v;
	char t[KX_NAME_MAX + 640], code[24];
	size_t i;
	int r;

	if (!d->a->c.hist || !d->b->c.hist)
		return kx_fail(e, KX_EXIT_REFUSED,
			       "--hist: %s has no handling-time histograms "
			       "(snapshots of a kernel with time_hist, saved "
			       "while handling times were measured)",
			       !d->a->c.hist ? name_a : name_b);
	r = hist_select(o->hist, c, name_b, &i, e);
	if (r)
		return r;
	if (!d->hist)
		return kx_fail(e, KX_EXIT_REFUSED,
			       "--hist: the snapshots have no handling times "
			       "to diff");
	memset(&v, 0, sizeof(v));
	v.title = t;
	v.interval = 1;
	if (i == c->n) {
		v.row = kx_hist_other(d->hist);
		diff_other_times(d, &v.max, &v.tns, &v.tcount);
		snprintf(t, sizeof(t),
			 "%s: other (the reasons without a row of their own)",
			 title);
	} else {
		v.row = kx_hist_row_of(d->hist, i);
		if (!v.row)
			return hist_no_row(c->r[i].name, c->r[i].tcount,
					   name_b, e);
		v.max = d->d[i].tmax;
		v.tcount = d->d[i].tcount;
		v.tns = d->d[i].tns;
		snprintf(t, sizeof(t), "%s: %s (%s)%s", title, c->r[i].name,
			 kx_code_str(&c->r[i], code, sizeof(code)),
			 d->d[i].reset ? " (reset)" :
			 d->d[i].is_new ? " (new)" : "");
	}
	kx_table_hist(&v, b);
	return 0;
}

static struct kx_snapshot *alloc_snapshot(struct kx_err *e)
{
	struct kx_snapshot *s = calloc(1, sizeof(*s));

	if (!s)
		kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	return s;
}

/* A snapshot of src now (with --per-vcpu, its vCPUs'), or NULL with e
 * set. */
static struct kx_snapshot *take_snapshot(const struct kx_opts *o,
					 const struct kx_source *src,
					 struct kx_err *e)
{
	struct kx_snapshot *s = alloc_snapshot(e);

	if (s && kx_snapshot_take(src, o->root_is_default,
				  src->kind == KX_SRC_VM && o->per_vcpu, s,
				  e)) {
		kx_snapshot_free(s);
		s = NULL;
	}
	return s;
}

int kx_mode_read(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_snapshot *s;
	struct kx_buf b;
	size_t i;
	int r;

	kx_detail_hint(o);
	s = take_snapshot(o, &o->src, e);
	if (!s)
		return e->code;
	kx_buf_init(&b);
	if (o->hist) {
		r = hist_read(o, s, &b, e);
		if (r) {
			kx_buf_free(&b);
			kx_snapshot_free(s);
			return r;
		}
	} else if (o->fmt == KX_FMT_PROM) {
		kx_prom_counters(s, &b);
	} else if (o->fmt == KX_FMT_JSON) {
		if (o->per_vcpu)
			kx_json_vm(s, &o->src, &b);
		else
			kx_json_counters(s, o->src.dir, &b);
	} else if (o->detail || o->user) {
		kx_table_details(o, s, &b);
	} else {
		if (s->scope[0])
			kx_buf_printf(&b, "VM %s\n", s->scope);
		kx_table_counters(&s->c, &b);
		for (i = 0; i < s->nvcpu; i++) {
			kx_buf_printf(&b, "\nVM %s vcpu%d\n", s->scope,
				      s->vcpu[i].id);
			kx_table_counters(&s->vcpu[i].c, &b);
		}
	}
	r = kx_emit_as(o, o->output, &b, e);
	kx_buf_free(&b);
	kx_snapshot_free(s);
	return r;
}

int kx_mode_save(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_snapshot *s;
	struct kx_buf b;
	int r;

	kx_detail_hint(o);
	s = take_snapshot(o, &o->src, e);
	if (!s)
		return e->code;
	kx_buf_init(&b);
	kx_snapshot_format(s, &b);
	r = kx_emit(o->save, &b, e);
	if (!r && o->fmt == KX_FMT_JSON) {
		kx_buf_reset(&b);
		if (o->per_vcpu)
			kx_json_vm(s, &o->src, &b);
		else
			kx_json_counters(s, o->src.dir, &b);
		r = kx_emit_as(o, NULL, &b, e);
	}
	kx_buf_free(&b);
	kx_snapshot_free(s);
	return r;
}

/* --vm with --diff: the snapshot must be of that VM */
static int check_vm_sel(const struct kx_opts *o, const struct kx_snapshot *s,
			const char *name, struct kx_err *e)
{
	if (!o->vm || kx_vm_sel_matches(o->vm, s->scope))
		return 0;
	return kx_fail(e, KX_EXIT_REFUSED,
		       "refusing --vm %s: %s is a snapshot of %s%s, not of "
		       "that VM",
		       o->vm, name, s->scope[0] ? "VM " : "all VMs",
		       s->scope);
}

int kx_mode_diff(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_snapshot *a = alloc_snapshot(e), *b = NULL;
	const char *name_b = o->diff_b ? o->diff_b : "now";
	const char *name_a = o->diff_a;
	struct kx_source now = o->src;
	struct kx_diff *d = NULL;
	struct kx_buf out;
	char title[512];
	int r;

	kx_buf_init(&out);
	if (!a)
		return e->code;
	d = calloc(1, sizeof(*d));
	if (!d) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		goto out;
	}
	if (!strcmp(name_a, "-"))
		name_a = "(standard input)";
	if (!strcmp(name_b, "-"))
		name_b = "(standard input)";
	r = kx_snapshot_load(o->diff_a, a, e);
	if (!r)
		r = check_vm_sel(o, a, name_a, e);
	if (!r && !o->diff_b && a->scope[0]) {
		/* a VM's snapshot against now: that VM now */
		char root[KX_PATH_MAX];
		struct kx_vm vm;

		r = kx_vm_root(o->root, o->vm_root, root, sizeof(root), e);
		if (!r)
			r = kx_vm_find(root, a->scope, &vm, e);
		if (r) {
			char msg[KX_ERR_MSG_MAX];

			memcpy(msg, e->msg, sizeof(msg));
			kx_fail(e, r, "%s is a snapshot of VM %s, which cannot "
				"be read now: %s", name_a, a->scope, msg);
		} else {
			kx_source_vm(&now, o->root, &vm);
			now.extra = o->src.extra;
		}
	}
	if (!r && !o->diff_b)
		kx_detail_hint(o);
	if (!r) {
		b = o->diff_b ? alloc_snapshot(e) : take_snapshot(o, &now, e);
		if (!b)
			r = e->code;
		else if (o->diff_b)
			r = kx_snapshot_load(o->diff_b, b, e);
		if (!r && o->diff_b)
			r = check_vm_sel(o, b, name_b, e);
	}
	/* with detail or userspace tables, their problems are listed with
	 * the others' */
	if (!r)
		r = kx_diff(a, b, name_a, name_b,
			    o->force || o->detail || o->user, d, e);
	if (!r && o->per_vcpu)
		r = kx_diff_vcpus(d, name_a, name_b, o->force || o->user, e);
	if (!r && o->detail)
		r = kx_diff_detail(d, o->detail, name_a, name_b,
				   o->force || o->user, e);
	if (!r && o->user)
		r = kx_diff_user(d, name_a, name_b, o->force, e);
	if (r)
		goto out;
	kx_warn_forced(d, "--force: ");
	if (o->fmt == KX_FMT_JSON) {
		kx_json_diff(d, name_a, o->diff_b ? name_b : now.dir, &out);
	} else {
		if (!a->scope[0])
			snprintf(title, sizeof(title), "%s -> %s", name_a,
				 name_b);
		else
			snprintf(title, sizeof(title), "VM %s: %s -> %s",
				 a->scope, name_a, name_b);
		if (o->hist) {
			r = hist_diff(o, d, name_a, name_b, title, &out, e);
			if (r)
				goto out;
		} else if (o->detail || o->user) {
			kx_table_detail_diffs(o, d, title, &out);
		} else {
			kx_table_diff(d, title, &out);
			kx_table_diff_vcpus(d, &out);
		}
	}
	r = kx_emit_as(o, o->output, &out, e);
out:
	kx_buf_free(&out);
	if (d)
		kx_diff_release(d);
	free(d);
	kx_snapshot_free(b);
	kx_snapshot_free(a);
	return r;
}

/* Opens path for the reset write: never through a symbolic link, only a
 * regular file, and only on debugfs unless force (then the file is
 * emptied first and a warning says it is not debugfs). */
static int open_reset_target(const char *path, int force, struct kx_err *e)
{
	struct statfs sfs;
	struct stat st;
	int fd, err, r;

	fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
				O_NOCTTY);
	if (fd < 0) {
		err = errno;
		if (err == ELOOP)
			return -kx_fail(e, KX_EXIT_PERM,
					"%s: a symbolic link: refusing to "
					"reset the counters through it",
					path);
		r = kx_errno_code(err, KX_EXIT_UNAVAILABLE);
		return -kx_fail(e, r, "%s: cannot reset the counters: %s%s",
				path, strerror(err),
				r == KX_EXIT_PERM ?
				" (resetting needs root)" : "");
	}
	if (fstat(fd, &st) || fstatfs(fd, &sfs)) {
		err = errno;
		close(fd);
		return -kx_fail(e, KX_EXIT_RUNTIME, "%s: %s", path,
				strerror(err));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -kx_fail(e, KX_EXIT_PERM,
				"%s: not a regular file: refusing to reset "
				"the counters through it",
				path);
	}
	if ((unsigned long)sfs.f_type == KX_DEBUGFS_MAGIC)
		return fd;
	if (!force) {
		close(fd);
		return -kx_fail(e, KX_EXIT_PERM,
				"%s: not on debugfs (file system magic "
				"0x%lx): refusing to write to it (--force "
				"writes 0 to it anyway, for a test tree)",
				path, (unsigned long)sfs.f_type);
	}
	fflush(stdout);
	fprintf(stderr,
		"kvmexit-read: warning: --force: %s is not on debugfs: "
		"writing 0 to it anyway\n",
		path);
	if (ftruncate(fd, 0)) {
		err = errno;
		close(fd);
		return -kx_fail(e, KX_EXIT_RUNTIME,
				"%s: cannot reset the counters: %s", path,
				strerror(err));
	}
	return fd;
}

int kx_mode_reset(const struct kx_opts *o, struct kx_err *e)
{
	const char *dir = o->src.dir, *file = kx_source_reset_file(&o->src);
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
	/* like "echo 0 > total", on debugfs only */
	fd = open_reset_target(path, o->force, e);
	if (fd < 0) {
		free(path);
		return -fd;
	}
	if (kx_write_all(fd, "0\n", 2)) {
		err = errno;
		close(fd);
		r = kx_errno_code(err, KX_EXIT_RUNTIME);
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
	kx_json_reset(dir, &b);
	r = kx_emit_as(o, NULL, &b, e);
	kx_buf_free(&b);
	return r;
}

/* The --list-vms table: columns as wide as their widest value. */
static void table_vms(const struct kx_vm_info *v, int n, struct kx_buf *b)
{
	int wname = 16, wpid = 8, wcomm = 16, i, k;
	char pid[24], exits[32];

	for (i = 0; i < n; i++) {
		k = (int)strlen(v[i].name);
		wname = k > wname ? k : wname;
		k = snprintf(pid, sizeof(pid), "%lu", v[i].pid);
		wpid = k > wpid ? k : wpid;
		k = (int)strlen(v[i].comm);
		wcomm = k > wcomm ? k : wcomm;
	}
	kx_buf_printf(b, "%-*s %*s %-*s %6s %14s  %s\n", wname, "VM", wpid,
		      "PID", wcomm, "COMMAND", "VCPUS", "EXITS", "TIMES");
	for (i = 0; i < n; i++) {
		kx_fmt_count(exits, sizeof(exits), v[i].exits);
		kx_buf_printf(b, "%-*s %*lu %-*s %6d %14s  %s\n", wname,
			      v[i].name, wpid, v[i].pid, wcomm, v[i].comm,
			      v[i].vcpus, exits, v[i].timed ? "yes" : "no");
	}
}

int kx_mode_list_vms(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_vm_info *v = NULL;
	char root[KX_PATH_MAX];
	struct kx_buf b;
	int n, r;

	r = kx_root_check(o->root, o->root_is_default, e);
	if (!r)
		r = kx_vm_root(o->root, o->vm_root, root, sizeof(root), e);
	if (!r)
		r = kx_vm_list(o->root, root, "", &v, &n, e);
	if (r) {
		free(v);
		return r;
	}
	kx_buf_init(&b);
	if (o->fmt == KX_FMT_JSON) {
		kx_json_vms(v, n, root, &b);
	} else if (!n) {
		kx_buf_printf(&b,
			      "no VM with per-VM counters in %s (set "
			      "/sys/module/kvm/parameters/exit_stats_per_vm to Y "
			      "before creating VMs)\n",
			      root);
	} else {
		table_vms(v, n, &b);
	}
	free(v);
	r = kx_emit_as(o, NULL, &b, e);
	kx_buf_free(&b);
	return r;
}
