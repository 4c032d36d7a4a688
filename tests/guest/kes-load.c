// SPDX-License-Identifier: GPL-2.0
/*
 * kes-load FILE.ko: load a module with one finit_module() call and report
 * its error. busybox' modprobe and insmod retry a failed finit_module()
 * with init_module(), so a fault injected into the first load would be
 * hidden by the second.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: kes-load FILE.ko\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "kes-load: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (syscall(SYS_finit_module, fd, "", 0)) {
		fprintf(stderr, "kes-load: %s: %s\n", argv[1], strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}
