// SPDX-License-Identifier: GPL-2.0
#include "modes.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diff.h"
#include "fileio.h"
#include "output.h"
#include "snapshot.h"
#include "vm.h"

#define KX_TITLE_CMD_MAX 256 /* bytes of the command in the report's title */

/* like shells: 127 not found, 126 found but not executable */
static int exec_status(int err)
{
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}

/* "cmd arg1 arg2", cut to fit */
static void command_title(char *out, size_t size, char **cmd)
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
static void child(char **cmd, const struct sigaction *old_int,
		  const struct sigaction *old_quit, int fd)
{
	int err;

	sigaction(SIGINT, old_int, NULL);
	sigaction(SIGQUIT, old_quit, NULL);
	execvp(cmd[0], cmd);
	err = errno;
	if (kx_write_all(fd, (const char *)&err, sizeof(err)))
		_exit(127);
	_exit(exec_status(err));
}

/* Appends what happened to the command to its title and sets *status as
 * a shell would: its exit code, 128+N if killed by signal N. */
static void outcome(int ws, char *title, size_t size, int *status,
		    int *sig)
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

int kx_mode_run(const struct kx_opts *o, int *status, struct kx_err *e)
{
	struct kx_snapshot *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct kx_diff *d = calloc(1, sizeof(*d));
	struct sigaction ign, old_int, old_quit;
	char title[KX_TITLE_CMD_MAX + 128];
	const char *src = o->src.dir;
	struct kx_buf out;
	int r, ws, sig = 0, fds[2], exec_err = 0;
	ssize_t n;
	pid_t pid;

	kx_buf_init(&out);
	*status = 0;
	if (!a || !b || !d) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		goto out;
	}
	r = kx_snapshot_take(&o->src, o->root_is_default, 0, a, e);
	if (r)
		goto out;

	/* like time(1): ^C goes to the command, we stay to report */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	if (pipe2(fds, O_CLOEXEC)) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "pipe: %s", strerror(errno));
		goto out;
	}
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		child(o->cmd, &old_int, &old_quit, fds[1]);
	}
	close(fds[1]);
	if (pid < 0) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "fork: %s", strerror(errno));
		close(fds[0]);
		goto restore;
	}
	/* the child's errno if exec failed; end of file once it succeeded */
	while ((n = read(fds[0], &exec_err, sizeof(exec_err))) < 0 &&
	       errno == EINTR)
		;
	close(fds[0]);
	while (waitpid(pid, &ws, 0) < 0) {
		if (errno != EINTR) {
			r = kx_fail(e, KX_EXIT_RUNTIME, "waitpid: %s",
				    strerror(errno));
			goto restore;
		}
	}
	if (n == (ssize_t)sizeof(exec_err)) {
		/* nothing ran: no report, the status a shell gives */
		r = kx_fail(e, exec_status(exec_err),
			    "cannot execute '%s': %s", o->cmd[0],
			    strerror(exec_err));
		goto restore;
	}
	command_title(title, KX_TITLE_CMD_MAX, o->cmd);
	outcome(ws, title, sizeof(title), status, &sig);

	r = kx_snapshot_take(&o->src, o->root_is_default, 0, b, e);
	if (!r)
		r = kx_diff(a, b, "before", "after", 1, d, e);
	if (r)
		goto restore;
	kx_warn_forced(d, "");
	if (o->fmt == KX_FMT_JSON) {
		kx_json_command(d, o->cmd, *status, sig, src, &out);
	} else {
		kx_table_diff(d, title, &out);
	}
	if (o->pretty)
		kx_json_indent(&out);
	if (o->output) {
		r = kx_emit(o->output, &out, e);
	} else if (out.failed) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	} else if (kx_write_all(STDERR_FILENO, out.p, out.len)) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "writing to standard error: %s",
			    strerror(errno));
	}
restore:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
out:
	kx_buf_free(&out);
	free(d);
	kx_snapshot_free(b);
	kx_snapshot_free(a);
	return r;
}
