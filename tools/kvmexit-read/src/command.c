// SPDX-License-Identifier: GPL-2.0
#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"

/* like shells: 127 not found, 126 found but not executable */
static int exec_status(int err)
{
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}

void kx_cmd_title(char *out, size_t size, char **cmd)
{
	size_t o = 0;
	int i;

	out[0] = '\0';
	for (i = 0; cmd[i] && o + 1 < size; i++) {
		int n = snprintf(out + o, size - o, "%s%s", i ? " " : "",
				 cmd[i]);

		if (n < 0 || (size_t)n >= size - o) {
			if (size > 4)
				strcpy(out + size - 4, "...");
			return;
		}
		o += (size_t)n;
	}
}

/* The child: the signal dispositions kvmexit-read inherited (SIGINT and
 * SIGQUIT ignored only if they were ignored on entry, as time(1) and perf
 * stat do), then the command; if exec fails, its errno goes to the parent
 * through the close-on-exec pipe fd. */
static void child(char **cmd, const struct kx_cmd *c, int fd)
{
	int err;

	sigaction(SIGINT, &c->old_int, NULL);
	sigaction(SIGQUIT, &c->old_quit, NULL);
	execvp(cmd[0], cmd);
	err = errno;
	if (kx_write_all(fd, (const char *)&err, sizeof(err)))
		_exit(127);
	_exit(exec_status(err));
}

void kx_cmd_restore(const struct kx_cmd *c)
{
	sigaction(SIGINT, &c->old_int, NULL);
	sigaction(SIGQUIT, &c->old_quit, NULL);
}

int kx_cmd_wait(const struct kx_cmd *c, int *ws, struct kx_err *e)
{
	while (waitpid(c->pid, ws, 0) < 0) {
		if (errno != EINTR)
			return kx_fail(e, KX_EXIT_RUNTIME, "waitpid: %s",
				       strerror(errno));
	}
	return 0;
}

int kx_cmd_start(char **cmd, struct kx_cmd *c, struct kx_err *e)
{
	struct sigaction ign;
	int fds[2], exec_err = 0, ws, r;
	ssize_t n;

	/* like time(1): ^C goes to the command, we stay to report */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	if (pipe2(fds, O_CLOEXEC))
		return kx_fail(e, KX_EXIT_RUNTIME, "pipe: %s", strerror(errno));
	sigaction(SIGINT, &ign, &c->old_int);
	sigaction(SIGQUIT, &ign, &c->old_quit);
	fflush(NULL);
	c->pid = fork();
	if (c->pid == 0) {
		close(fds[0]);
		child(cmd, c, fds[1]);
	}
	close(fds[1]);
	if (c->pid < 0) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "fork: %s", strerror(errno));
		close(fds[0]);
		kx_cmd_restore(c);
		return r;
	}
	/* the child's errno if exec failed; end of file once it succeeded */
	while ((n = read(fds[0], &exec_err, sizeof(exec_err))) < 0 &&
	       errno == EINTR)
		;
	close(fds[0]);
	if (n != (ssize_t)sizeof(exec_err))
		return 0;
	/* nothing ran: reap the child, the status a shell gives */
	r = kx_cmd_wait(c, &ws, e);
	if (!r)
		r = kx_fail(e, exec_status(exec_err), "cannot execute '%s': %s",
			    cmd[0], strerror(exec_err));
	kx_cmd_restore(c);
	return r;
}

void kx_cmd_outcome(int ws, char *title, size_t size, int *status, int *sig)
{
	size_t o = strlen(title);

	*sig = 0;
	if (WIFEXITED(ws)) {
		*status = WEXITSTATUS(ws);
		snprintf(title + o, size - o, " (exited with status %d)",
			 *status);
	} else if (WIFSIGNALED(ws)) {
		*sig = WTERMSIG(ws);
		*status = 128 + *sig;
		snprintf(title + o, size - o,
			 " (killed by signal %d: %s%s)", *sig,
			 strsignal(*sig),
			 WCOREDUMP(ws) ? ", core dumped" : "");
	} else {
		*status = 1;
	}
}
