// SPDX-License-Identifier: GPL-2.0
/*
 * Drain the serial console, then power off. Without the drain the last lines
 * of the test output are lost when the emulator stops.
 */
#include <fcntl.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <sys/reboot.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	fflush(stdout);
	if (fd >= 0) {
		tcdrain(fd);
		close(fd);
	}
	sync();
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	perror("poweroff");
	return 1;
}
