// SPDX-License-Identifier: GPL-2.0
#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"

#define MOUNTINFO_MAX (1024 * 1024)

int kx_mountinfo_has_debugfs(const char *buf, size_t len, const char *mnt)
{
	size_t pos = 0, mlen = strlen(mnt);

	/* "36 35 0:7 / /sys/kernel/debug rw,... - debugfs debugfs rw" */
	while (pos < len) {
		const char *line = buf + pos, *nl, *sep;
		size_t n, i, f = 0, fs = 0, fe = 0, rest;

		nl = memchr(line, '\n', len - pos);
		n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + 1;
		/* field 5 is the mount point */
		for (i = 0; i < n && f < 5; i++) {
			if (line[i] == ' ')
				continue;
			f++;
			fs = i;
			while (i < n && line[i] != ' ')
				i++;
			fe = i;
		}
		if (f != 5 || fe - fs != mlen || memcmp(line + fs, mnt, mlen))
			continue;
		/* the file system type follows " - " */
		for (sep = line + fe; sep + 3 <= line + n; sep++) {
			if (memcmp(sep, " - ", 3))
				continue;
			rest = (size_t)(line + n - (sep + 3));
			if (rest >= 7 && !memcmp(sep + 3, "debugfs", 7) &&
			    (rest == 7 || sep[10] == ' '))
				return 1;
			break;
		}
	}
	return 0;
}

static int exists(const char *sysroot, const char *path)
{
	char full[4096];
	struct stat st;

	snprintf(full, sizeof(full), "%s%s", sysroot, path);
	return stat(full, &st) == 0;
}

int kx_explain_missing(const char *root, int is_default, const char *sysroot,
		       struct kx_err *e)
{
	char path[4096], *mi = NULL;
	size_t milen = 0;
	struct kx_err ignore;
	int mounted, intel, amd;

	if (!is_default)
		return kx_fail(e, KX_EXIT_UNAVAILABLE,
			       "%s: no such directory (given by --root or "
			       "KVMEXIT_ROOT)",
			       root);
	snprintf(path, sizeof(path), "%s/proc/self/mountinfo", sysroot);
	if (kx_read_file(path, MOUNTINFO_MAX, &mi, &milen, KX_EXIT_RUNTIME,
			 &ignore) == 0) {
		mounted = kx_mountinfo_has_debugfs(mi, milen, KX_DEBUGFS_MNT);
		free(mi);
	} else {
		/* no /proc: guess from what the mount would show */
		mounted = exists(sysroot, KX_DEBUGFS_MNT "/kvm");
	}
	if (!mounted)
		return kx_fail(e, KX_EXIT_UNAVAILABLE,
			       "%s: not found: debugfs is not mounted on "
			       "%s; mount it with: mount -t debugfs none %s",
			       root, KX_DEBUGFS_MNT, KX_DEBUGFS_MNT);
	intel = exists(sysroot, "/sys/module/kvm_intel");
	amd = exists(sysroot, "/sys/module/kvm_amd");
	if (!intel && !amd)
		return kx_fail(e, KX_EXIT_UNAVAILABLE,
			       "%s: not found: neither kvm_intel nor kvm_amd "
			       "is loaded; load one (modprobe kvm_intel or "
			       "modprobe kvm_amd); if the directory is still "
			       "missing then, the running kernel lacks the "
			       "kvm_exits patch",
			       root);
	return kx_fail(e, KX_EXIT_UNAVAILABLE,
		       "%s: not found although debugfs is mounted and %s is "
		       "loaded: the running kernel lacks the kvm_exits patch",
		       root, intel && amd ? "kvm_intel and kvm_amd" :
			     intel	  ? "kvm_intel" :
					    "kvm_amd");
}

int kx_root_check(const char *root, int is_default, struct kx_err *e)
{
	struct stat st;
	int err;

	if (stat(root, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return kx_fail(e, KX_EXIT_UNAVAILABLE,
				       "%s: not a directory", root);
		return 0;
	}
	err = errno;
	if (err == ENOENT || err == ENOTDIR)
		return kx_explain_missing(root, is_default, "", e);
	if (err == EACCES || err == EPERM)
		return kx_fail(e, KX_EXIT_PERM,
			       "%s: %s: reading the counters needs root "
			       "(debugfs is only accessible to root)",
			       root, strerror(err));
	return kx_fail(e, KX_EXIT_RUNTIME, "%s: %s", root, strerror(err));
}

int kx_detail_param(const char *param_dir)
{
	struct kx_err ignore;
	char path[4096];
	size_t len;
	char *buf;
	int r = -1;

	snprintf(path, sizeof(path), "%s/exit_stats_detail", param_dir);
	/* a regular file only: never blocks on a FIFO */
	if (kx_read_counters_file(path, 64, &buf, &len, &ignore))
		return -1;
	/* a bool parameter reads "Y\n" or "N\n" */
	if (len == 2 && buf[1] == '\n' && (buf[0] == 'Y' || buf[0] == 'N'))
		r = buf[0] == 'Y';
	free(buf);
	return r;
}

int kx_boot_id_valid(const char *s, size_t n)
{
	size_t i;

	if (n != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' :
			   !((s[i] >= '0' && s[i] <= '9') ||
			     (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return 1;
}

void kx_boot_id(char out[KX_BOOT_ID_MAX])
{
	struct kx_err ignore;
	size_t len;
	char *buf;

	strcpy(out, "unknown");
	if (kx_read_file(KX_BOOT_ID_PATH, 64, &buf, &len, KX_EXIT_RUNTIME,
			 &ignore))
		return;
	if (len == 37 && buf[36] == '\n' && kx_boot_id_valid(buf, 36)) {
		memcpy(out, buf, 36);
		out[36] = '\0';
	}
	free(buf);
}

void kx_kernel_release(char out[KX_KERNEL_MAX])
{
	struct utsname u;
	size_t i;

	if (uname(&u) || !u.release[0]) {
		strcpy(out, "unknown");
		return;
	}
	snprintf(out, KX_KERNEL_MAX, "%s", u.release);
	for (i = 0; out[i]; i++)
		if ((unsigned char)out[i] <= 0x20 ||
		    (unsigned char)out[i] >= 0x7f)
			out[i] = '_';
}

static int get_clock(clockid_t id, const char *name, struct kx_time *t,
		     struct kx_err *e)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) || ts.tv_sec < 0)
		return kx_fail(e, KX_EXIT_RUNTIME, "clock_gettime(%s): %s",
			       name, strerror(errno));
	t->sec = (uint64_t)ts.tv_sec;
	t->nsec = (uint32_t)ts.tv_nsec;
	return 0;
}

int kx_clocks(struct kx_time *wall, struct kx_time *boot, struct kx_err *e)
{
	int r = get_clock(CLOCK_REALTIME, "CLOCK_REALTIME", wall, e);

	return r ? r : get_clock(CLOCK_BOOTTIME, "CLOCK_BOOTTIME", boot, e);
}

void kx_ts_add(struct timespec *t, const struct kx_time *d)
{
	t->tv_sec += (time_t)d->sec;
	t->tv_nsec += (long)d->nsec;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

int kx_ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}
