// SPDX-License-Identifier: GPL-2.0
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

int kx_snapshot_take(const char *root, int is_default_root,
		     const struct kx_vm *vm, struct kx_snapshot *s,
		     struct kx_err *e)
{
	int r;

	memset(s, 0, sizeof(*s));
	r = kx_root_check(root, is_default_root, e);
	if (r)
		return r;
	if (vm) {
		snprintf(s->scope, sizeof(s->scope), "%s", vm->name);
		r = kx_counters_read_vm(root, vm->dir, &s->c, e);
		if (r == KX_EXIT_UNAVAILABLE) {
			char msg[KX_ERR_MSG_MAX];

			memcpy(msg, e->msg, sizeof(msg));
			r = kx_fail(e, r, "VM %s: %s (did the VM go away?)",
				    vm->name, msg);
		}
	} else {
		r = kx_counters_read(root, &s->c, e);
	}
	if (r)
		return r;
	/* the time right after by_reason was read */
	r = kx_clocks(&s->wall, &s->boot, e);
	if (r)
		return r;
	kx_boot_id(s->boot_id);
	kx_kernel_release(s->kernel);
	return 0;
}

void kx_snapshot_format(const struct kx_snapshot *s, struct kx_buf *b)
{
	char code[24];
	size_t i;

	kx_buf_printf(b, "%s %d\n", KX_SNAPSHOT_MAGIC,
		      s->scope[0] ? KX_SNAPSHOT_VERSION_VM : KX_SNAPSHOT_VERSION);
	kx_buf_printf(b, "wall_time %llu.%09u\n",
		      (unsigned long long)s->wall.sec, s->wall.nsec);
	kx_buf_printf(b, "boottime %llu.%09u\n",
		      (unsigned long long)s->boot.sec, s->boot.nsec);
	kx_buf_printf(b, "boot_id %s\n", s->boot_id);
	kx_buf_printf(b, "kernel %s\n", s->kernel);
	kx_buf_printf(b, "vendor %s\n", s->c.vendor);
	if (s->scope[0])
		kx_buf_printf(b, "scope %s\n", s->scope);
	kx_buf_printf(b, "total %llu\n", (unsigned long long)s->c.total_file);
	for (i = 0; i < s->c.n; i++) {
		const struct kx_reason *r = &s->c.r[i];

		kx_buf_printf(b, "reason %s %s %llu\n",
			      kx_code_str(r, code, sizeof(code)), r->name,
			      (unsigned long long)r->count);
	}
	kx_buf_printf(b, "sum %llu\n", (unsigned long long)s->c.sum);
	kx_buf_puts(b, "end\n");
}

enum {
	K_WALL,
	K_BOOT,
	K_BOOT_ID,
	K_KERNEL,
	K_VENDOR,
	K_TOTAL,
	K_NHEAD,
};

static const char *const head_keys[K_NHEAD] = {
	"wall_time", "boottime", "boot_id", "kernel", "vendor", "total",
};

static int parse_head(const struct kx_lines *it, int key,
		      const struct kx_field *v, struct kx_snapshot *s,
		      struct kx_err *e)
{
	char q[48];
	struct kx_time *t;
	int r;

	kx_quote(q, sizeof(q), v->p, v->n);
	switch (key) {
	case K_WALL:
	case K_BOOT:
		t = key == K_WALL ? &s->wall : &s->boot;
		if (kx_parse_time(v->p, v->n, t))
			return kx_lines_fail(it, e,
					     "bad %s '%s' (expected "
					     "SECONDS.NANOSECONDS, 9 digits "
					     "after the dot)",
					     head_keys[key], q);
		return 0;
	case K_BOOT_ID:
		if (!kx_boot_id_valid(v->p, v->n) &&
		    !kx_field_is(v, "unknown"))
			return kx_lines_fail(it, e, "bad boot_id '%s'", q);
		memcpy(s->boot_id, v->p, v->n);
		s->boot_id[v->n] = '\0';
		return 0;
	case K_KERNEL:
		if (kx_check_word(v->p, v->n, KX_KERNEL_MAX))
			return kx_lines_fail(it, e,
					     "bad kernel release '%s'", q);
		memcpy(s->kernel, v->p, v->n);
		s->kernel[v->n] = '\0';
		return 0;
	case K_VENDOR:
		if (!kx_field_is(v, "vmx") && !kx_field_is(v, "svm"))
			return kx_lines_fail(it, e,
					     "unknown vendor '%s' (expected "
					     "vmx or svm)",
					     q);
		memcpy(s->c.vendor, v->p, 3);
		s->c.vendor[3] = '\0';
		return 0;
	default: /* K_TOTAL */
		r = kx_parse_u64(v->p, v->n, &s->c.total_file);
		if (r)
			return kx_lines_fail(it, e, "total '%s' %s", q,
					     r == -2 ? "does not fit in 64 "
						       "bits" :
						       "is not an unsigned "
						       "decimal number");
		return 0;
	}
}

int kx_snapshot_parse(const char *buf, size_t len, const char *fname,
		      struct kx_snapshot *s, struct kx_err *e)
{
	struct kx_field f[KX_FIELDS_MAX];
	unsigned seen[K_NHEAD] = { 0 };
	unsigned sum_line = 0, end_line = 0;
	uint64_t sum = 0, version;
	struct kx_lines it;
	struct kx_reason r;
	const char *line;
	char q[48];
	size_t n;
	int rc, nf, k;

	memset(s, 0, sizeof(*s));
	kx_lines_init(&it, buf, len, fname);
	rc = kx_lines_next(&it, &line, &n, e);
	if (rc == 0) {
		it.lineno = 1;
		return kx_lines_fail(&it, e,
				     "empty file, not a kvmexit-read "
				     "snapshot");
	}
	if (rc != 1)
		return rc;
	nf = kx_split(line, n, f, KX_FIELDS_MAX);
	if (nf != 2 || !kx_field_is(&f[0], KX_SNAPSHOT_MAGIC))
		return kx_lines_fail(&it, e,
				     "not a kvmexit-read snapshot (the first "
				     "line must be '%s %d')",
				     KX_SNAPSHOT_MAGIC, KX_SNAPSHOT_VERSION);
	if (kx_parse_u64(f[1].p, f[1].n, &version) ||
	    (version != KX_SNAPSHOT_VERSION &&
	     version != KX_SNAPSHOT_VERSION_VM)) {
		kx_quote(q, sizeof(q), f[1].p, f[1].n);
		return kx_lines_fail(&it, e,
				     "unsupported snapshot format version "
				     "'%s' (this kvmexit-read reads versions "
				     "%d and %d)",
				     q, KX_SNAPSHOT_VERSION,
				     KX_SNAPSHOT_VERSION_VM);
	}

	while ((rc = kx_lines_next(&it, &line, &n, e)) == 1) {
		if (end_line)
			return kx_lines_fail(&it, e,
					     "data after the 'end' line (line "
					     "%u)",
					     end_line);
		if (n && line[0] == '#')
			continue;
		nf = kx_split(line, n, f, KX_FIELDS_MAX);
		if (nf == 0)
			return kx_lines_fail(&it, e, "empty line");
		for (k = 0; k < K_NHEAD; k++)
			if (kx_field_is(&f[0], head_keys[k]))
				break;
		if (k < K_NHEAD) {
			if (nf != 2)
				return kx_lines_fail(&it, e,
						     "expected '%s VALUE'",
						     head_keys[k]);
			if (seen[k])
				return kx_lines_fail(&it, e,
						     "duplicate '%s' line "
						     "(first on line %u)",
						     head_keys[k], seen[k]);
			if (s->c.n || sum_line)
				return kx_lines_fail(&it, e,
						     "'%s' after the reason "
						     "lines",
						     head_keys[k]);
			rc = parse_head(&it, k, &f[1], s, e);
			if (rc)
				return rc;
			seen[k] = it.lineno;
		} else if (kx_field_is(&f[0], "scope")) {
			if (version != KX_SNAPSHOT_VERSION_VM)
				return kx_lines_fail(&it, e,
						     "'scope' line in a version "
						     "%d snapshot",
						     (int)version);
			if (nf != 2 || s->scope[0] || s->c.n ||
			    f[1].n >= sizeof(s->scope))
				return kx_lines_fail(&it, e,
						     "expected one 'scope "
						     "<pid>-<fd>' line before "
						     "the reasons");
			memcpy(s->scope, f[1].p, f[1].n);
			s->scope[f[1].n] = '\0';
			if (!kx_vm_name_valid(s->scope))
				return kx_lines_fail(&it, e,
						     "bad scope '%s' (expected "
						     "<pid>-<fd>)",
						     s->scope);
		} else if (kx_field_is(&f[0], "reason")) {
			if (nf != 4)
				return kx_lines_fail(&it, e,
						     "expected 'reason <code> "
						     "<name> <count>'");
			if (sum_line)
				return kx_lines_fail(&it, e,
						     "reason line after the "
						     "'sum' line");
			rc = kx_reason_from_fields(&it, f + 1, &r, e);
			if (!rc)
				rc = kx_counters_add(&it, &s->c, &r, e);
			if (rc)
				return rc;
		} else if (kx_field_is(&f[0], "sum")) {
			if (nf != 2)
				return kx_lines_fail(&it, e,
						     "expected 'sum VALUE'");
			if (sum_line)
				return kx_lines_fail(&it, e,
						     "duplicate 'sum' line");
			rc = kx_counters_finish(&it, &s->c, e);
			if (rc) {
				/* report it on this line, not the next */
				return kx_lines_fail(&it, e,
						     "'sum' line before the "
						     "'other' reason line");
			}
			if (kx_parse_u64(f[1].p, f[1].n, &sum)) {
				kx_quote(q, sizeof(q), f[1].p, f[1].n);
				return kx_lines_fail(&it, e,
						     "bad sum '%s'", q);
			}
			if (sum != s->c.sum)
				return kx_lines_fail(&it, e,
						     "sum %llu does not match "
						     "the reason counts, which "
						     "add up to %llu (file "
						     "corrupted?)",
						     (unsigned long long)sum,
						     (unsigned long long)
							     s->c.sum);
			sum_line = it.lineno;
		} else if (kx_field_is(&f[0], "end")) {
			if (nf != 1)
				return kx_lines_fail(&it, e,
						     "expected 'end' alone");
			if (!sum_line)
				return kx_lines_fail(&it, e,
						     "'end' without a 'sum' "
						     "line before it");
			end_line = it.lineno;
		} else {
			kx_quote(q, sizeof(q), f[0].p, f[0].n);
			return kx_lines_fail(&it, e, "unknown key '%s'", q);
		}
	}
	if (rc)
		return rc;
	it.lineno++;
	if (!end_line)
		return kx_lines_fail(&it, e,
				     "end of file without the 'end' line "
				     "(file truncated?)");
	for (k = 0; k < K_NHEAD; k++)
		if (!seen[k])
			return kx_lines_fail(&it, e,
					     "end of file: no '%s' line",
					     head_keys[k]);
	if (version == KX_SNAPSHOT_VERSION_VM && !s->scope[0])
		return kx_lines_fail(&it, e,
				     "end of file: no 'scope' line in a "
				     "version %d snapshot",
				     KX_SNAPSHOT_VERSION_VM);
	return 0;
}

int kx_snapshot_load(const char *path, struct kx_snapshot *s,
		     struct kx_err *e)
{
	const char *name = strcmp(path, "-") ? path : "(standard input)";
	size_t len;
	char *buf;
	int r;

	r = kx_read_file(path, KX_SNAPSHOT_MAX, &buf, &len, KX_EXIT_BADINPUT,
			 e);
	if (r)
		return r;
	r = kx_snapshot_parse(buf, len, name, s, e);
	free(buf);
	return r;
}
