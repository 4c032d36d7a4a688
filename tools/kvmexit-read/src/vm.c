// SPDX-License-Identifier: GPL-2.0
#include "vm.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "counters.h"
#include "fileio.h"
#include "source.h"

int kx_vm_root(const char *root, const char *vm_root, char *out, size_t size,
	       struct kx_err *e)
{
	const char *slash;
	size_t n;

	if (vm_root) {
		if (strlen(vm_root) >= size)
			return kx_fail(e, KX_EXIT_USAGE, "VM root path too long");
		strcpy(out, vm_root);
		return 0;
	}
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	slash = memrchr(root, '/', n);
	n = slash ? (size_t)(slash - root) : 0;
	if (n + sizeof("/kvm") > size)
		return kx_fail(e, KX_EXIT_USAGE, "VM root path too long");
	if (slash)
		memcpy(out, root, n);
	else
		out[n++] = '.';
	strcpy(out + n, "/kvm");
	return 0;
}

static int all_digits(const char *p, size_t n)
{
	size_t i;

	if (!n || n > 10)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

int kx_vm_name_valid(const char *name)
{
	const char *dash = strchr(name, '-');

	return dash && all_digits(name, (size_t)(dash - name)) &&
	       all_digits(dash + 1, strlen(dash + 1));
}

int kx_vm_sel_valid(const char *sel)
{
	return all_digits(sel, strlen(sel)) || kx_vm_name_valid(sel);
}

int kx_vm_sel_matches(const char *sel, const char *scope)
{
	size_t n = strlen(sel);

	if (!scope[0])
		return 0;
	if (kx_vm_name_valid(sel))
		return !strcmp(sel, scope);
	return !strncmp(scope, sel, n) && scope[n] == '-';
}

static int has_file(const char *dir, const char *name, const char *file)
{
	char p[KX_PATH_MAX];

	if ((size_t)snprintf(p, sizeof(p), "%s/%s/%s", dir, name, file) >= sizeof(p))
		return 0;
	return access(p, F_OK) == 0;
}

/* "<pid>-<fd>" names by pid, then fd, as numbers: "93-1" before "1000-1" */
static int cmp_name(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	unsigned long long px = strtoull(x, NULL, 10), py = strtoull(y, NULL, 10);
	unsigned long long fx = strtoull(strchr(x, '-') + 1, NULL, 10);
	unsigned long long fy = strtoull(strchr(y, '-') + 1, NULL, 10);

	if (px != py)
		return px < py ? -1 : 1;
	return (fx > fy) - (fx < fy);
}

/* Names of the VM directories with exit_reasons; *n of them (malloc'd). */
static int scan(const char *vm_root, char ***names, int *n, struct kx_err *e)
{
	DIR *d = opendir(vm_root);
	struct dirent *de;
	char **v = NULL;
	int cap = 0;

	*n = 0;
	*names = NULL;
	if (!d)
		return kx_fail(e, kx_errno_code(errno, KX_EXIT_UNAVAILABLE),
			       "%s: %s (is kvm loaded and debugfs mounted?)",
			       vm_root, strerror(errno));
	while ((de = readdir(d))) {
		if (!kx_vm_name_valid(de->d_name) ||
		    !has_file(vm_root, de->d_name, "exit_reasons"))
			continue;
		if (*n == cap) {
			char **nv = realloc(v, sizeof(*v) * (size_t)(cap ? cap * 2 : 16));

			if (!nv)
				goto oom;
			v = nv;
			cap = cap ? cap * 2 : 16;
		}
		v[*n] = strdup(de->d_name);
		if (!v[*n])
			goto oom;
		(*n)++;
	}
	closedir(d);
	qsort(v, (size_t)*n, sizeof(*v), cmp_name);
	*names = v;
	return 0;
oom:
	closedir(d);
	while (*n)
		free(v[--*n]);
	free(v);
	return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
}

static void free_names(char **v, int n)
{
	while (n)
		free(v[--n]);
	free(v);
}

int kx_vm_find(const char *vm_root, const char *sel, struct kx_vm *vm,
	       struct kx_err *e)
{
	size_t pl = strlen(sel);
	int by_pid = all_digits(sel, pl), i, n, found = -1, r;
	char **names, list[256] = "";

	if (!kx_vm_sel_valid(sel))
		return kx_fail(e, KX_EXIT_USAGE,
			       "--vm '%s': expected a process id or a VM's "
			       "debugfs name <pid>-<fd> (see --list-vms)",
			       sel);
	if (!by_pid) {
		if (!has_file(vm_root, sel, "exit_reasons")) {
			/* KVM made the directory, but not our files */
			if (has_file(vm_root, sel, "."))
				return kx_fail(e, KX_EXIT_UNAVAILABLE,
					       "VM %s has no per-VM exit "
					       "statistics: set "
					       "/sys/module/kvm/parameters/"
					       "exit_stats_per_vm to Y before "
					       "the VM is created",
					       sel);
			return kx_fail(e, KX_EXIT_UNAVAILABLE,
				       "no VM %s in %s (see --list-vms; VMs "
				       "have per-VM exit statistics if "
				       "/sys/module/kvm/parameters/"
				       "exit_stats_per_vm was Y when they were "
				       "created)",
				       sel, vm_root);
		}
		snprintf(vm->name, sizeof(vm->name), "%s", sel);
		snprintf(vm->dir, sizeof(vm->dir), "%s/%s", vm_root, sel);
		return 0;
	}
	r = scan(vm_root, &names, &n, e);
	if (r)
		return r;
	for (i = 0; i < n; i++) {
		if (strncmp(names[i], sel, pl) || names[i][pl] != '-')
			continue;
		if (strlen(list) + strlen(names[i]) + 2 < sizeof(list)) {
			strcat(list, " ");
			strcat(list, names[i]);
		}
		if (found >= 0)
			found = -2;
		else if (found == -1)
			found = i;
	}
	if (found == -2)
		r = kx_fail(e, KX_EXIT_UNAVAILABLE,
			    "process %s has several VMs with statistics:%s; "
			    "name one with --vm <pid>-<fd>",
			    sel, list);
	else if (found == -1)
		r = kx_fail(e, KX_EXIT_UNAVAILABLE,
			    "no VM of process %s with per-VM exit statistics "
			    "in %s (set /sys/module/kvm/parameters/"
			    "exit_stats_per_vm to Y before creating it; see "
			    "--list-vms)",
			    sel, vm_root);
	else {
		snprintf(vm->name, sizeof(vm->name), "%s", names[found]);
		snprintf(vm->dir, sizeof(vm->dir), "%s/%s", vm_root,
			 names[found]);
	}
	free_names(names, n);
	return r;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int kx_vm_vcpus(const char *vm_dir, int strict, int **ids, struct kx_err *e)
{
	DIR *d = opendir(vm_dir);
	struct dirent *de;
	int n = 0, cap = 0, *v = NULL;

	*ids = NULL;
	if (!d)
		return -kx_fail(e, kx_errno_code(errno, KX_EXIT_UNAVAILABLE),
				"%s: %s (did the VM go away?)", vm_dir,
				strerror(errno));
	while ((de = readdir(d))) {
		const char *p = de->d_name;
		unsigned long id;

		if (strncmp(p, "vcpu", 4) || !all_digits(p + 4, strlen(p + 4)) ||
		    (p[4] == '0' && p[5]))
			continue;
		id = strtoul(p + 4, NULL, 10);
		if (id > KX_VCPU_ID_MAX || !has_file(vm_dir, p, "exit_reasons")) {
			if (!strict)
				continue;
			if (id > KX_VCPU_ID_MAX)
				kx_fail(e, KX_EXIT_BADINPUT,
					"%s/%s: vCPU id above %d, the highest "
					"this kvmexit-read reads",
					vm_dir, p, KX_VCPU_ID_MAX);
			else
				kx_fail(e, KX_EXIT_BADINPUT,
					"%s/%s/exit_reasons: missing, but "
					"%s/exit_reasons exists (a vCPU being "
					"created, or a broken VM directory)",
					vm_dir, p, vm_dir);
			closedir(d); /* p is gone with it */
			*ids = v;
			return -KX_EXIT_BADINPUT;
		}
		if (n == cap) {
			int *nv = realloc(v, sizeof(*v) * (size_t)(cap ? cap * 2 : 16));

			if (!nv) {
				closedir(d);
				*ids = v;
				return -kx_fail(e, KX_EXIT_RUNTIME,
						"out of memory");
			}
			v = nv;
			cap = cap ? cap * 2 : 16;
		}
		v[n++] = (int)id;
	}
	closedir(d);
	if (n)
		qsort(v, (size_t)n, sizeof(*v), cmp_int);
	*ids = v;
	return n;
}

int kx_vm_list(const char *root, const char *vm_root, const char *sysroot,
	       struct kx_vm_info **out, int *n, struct kx_err *e)
{
	static struct kx_counters c;
	char **names, path[KX_PATH_MAX];
	struct kx_vm_info *v;
	int i, nn, r;

	*n = 0;
	*out = NULL;
	r = scan(vm_root, &names, &nn, e);
	if (r)
		return r;
	v = calloc((size_t)nn + 1, sizeof(*v));
	if (!v) {
		free_names(names, nn);
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	}
	for (i = 0; i < nn; i++) {
		struct kx_vm_info *x = &v[*n];
		struct kx_source src;
		struct kx_vm vm;
		int *ids, k;
		char *buf;
		size_t len;

		memset(x, 0, sizeof(*x));
		snprintf(x->name, sizeof(x->name), "%s", names[i]);
		x->pid = strtoul(names[i], NULL, 10);
		snprintf(vm.name, sizeof(vm.name), "%s", names[i]);
		snprintf(vm.dir, sizeof(vm.dir), "%s/%s", vm_root, names[i]);
		kx_source_vm(&src, root, &vm);
		r = kx_source_read(&src, &c, e);
		if (r == KX_EXIT_UNAVAILABLE) {
			r = 0; /* the VM went away meanwhile */
			continue;
		}
		if (r)
			break;
		x->exits = c.sum;
		x->timed = c.has_time;
		k = kx_vm_vcpus(vm.dir, 0, &ids, e);
		free(ids);
		if (k < 0) {
			r = -k;
			if (r == KX_EXIT_UNAVAILABLE) {
				r = 0;
				continue;
			}
			break;
		}
		x->vcpus = k;
		snprintf(x->comm, sizeof(x->comm), "?");
		snprintf(path, sizeof(path), "%s/proc/%lu/comm", sysroot, x->pid);
		if (!kx_read_file(path, 64, &buf, &len, KX_EXIT_UNAVAILABLE, e)) {
			size_t j;

			for (j = 0; j < len && j < sizeof(x->comm) - 1 && buf[j] != '\n'; j++)
				x->comm[j] = (buf[j] > ' ' && buf[j] < 0x7f) ? buf[j] : '_';
			x->comm[j] = '\0';
			free(buf);
		}
		e->code = 0;
		e->msg[0] = '\0';
		(*n)++;
	}
	free_names(names, nn);
	*out = v;
	return r;
}
