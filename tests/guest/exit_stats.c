// SPDX-License-Identifier: GPL-2.0
#include "exit_stats.h"
#include "kvm_vm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int exit_stats_available(void)
{
	return access(KES_STATS_DIR "/by_reason", R_OK) == 0;
}

void exit_stats_read(struct exit_stats *s)
{
	exit_stats_read_file(KES_STATS_DIR "/by_reason", s);
}

void exit_stats_read_file(const char *path, struct exit_stats *s)
{
	char line[256];
	FILE *f;
	int lineno = 0;

	memset(s, 0, sizeof(*s));
	f = fopen(path, "re");
	KES_ASSERT(f, "open %s", path);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long count;
		char extra;

		lineno++;
		if (line[0] == '#')
			continue;
		KES_ASSERT(s->nr < KES_MAX_REASONS, "by_reason: too many lines");
		KES_ASSERT(sscanf(line, "%15s %47s %llu %c", s->r[s->nr].code,
				  s->r[s->nr].name, &count, &extra) == 3,
			   "%s line %d malformed: %s", path, lineno, line);
		s->r[s->nr].count = count;
		s->sum += count;
		s->nr++;
	}
	fclose(f);
	KES_ASSERT(s->nr > 0 && !strcmp(s->r[s->nr - 1].name, "other"),
		   "%s: no 'other' line at the end", path);
}

void exit_times_read_file(const char *path, struct exit_times *t)
{
	char line[256];
	FILE *f;
	int lineno = 0;

	memset(t, 0, sizeof(*t));
	f = fopen(path, "re");
	KES_ASSERT(f, "open %s", path);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long c, ns, max;
		char extra;

		lineno++;
		if (line[0] == '#')
			continue;
		KES_ASSERT(t->nr < KES_MAX_REASONS, "%s: too many lines", path);
		KES_ASSERT(sscanf(line, "%15s %47s %llu %llu %llu %c", t->r[t->nr].code,
				  t->r[t->nr].name, &c, &ns, &max, &extra) == 5,
			   "%s line %d malformed: %s", path, lineno, line);
		t->r[t->nr].count = c;
		t->r[t->nr].total_ns = ns;
		t->r[t->nr].max_ns = max;
		t->nr++;
	}
	fclose(f);
	KES_ASSERT(t->nr > 0 && !strcmp(t->r[t->nr - 1].name, "other"),
		   "%s: no 'other' line at the end", path);
}

uint64_t exit_stats_total(void)
{
	return kes_read_u64(KES_STATS_DIR "/total");
}

uint64_t exit_stats_get(const struct exit_stats *s, const char *name)
{
	int i;

	for (i = 0; i < s->nr; i++)
		if (!strcmp(s->r[i].name, name))
			return s->r[i].count;
	return 0;
}

int exit_stats_write(const char *file, const char *buf, unsigned long len)
{
	char path[128];

	snprintf(path, sizeof(path), KES_STATS_DIR "/%s", file);
	return kes_write_file(path, buf, len);
}

int kes_write_file(const char *path, const char *buf, unsigned long len)
{
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		err = -errno;
	else if ((unsigned long)n != len)
		err = -EIO;
	close(fd);
	return err;
}
