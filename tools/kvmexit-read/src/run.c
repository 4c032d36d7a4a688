// SPDX-License-Identifier: GPL-2.0
#include "modes.h"

#include <errno.h>
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

static void child(char **cmd)
{
	int err;

	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	execvp(cmd[0], cmd);
	err = errno;
	fprintf(stderr, "kvmexit-read: cannot execute '%s': %s\n", cmd[0],
		strerror(err));
	/* like shells: 127 not found, 126 found but not executable */
	_exit(err == ENOENT || err == ENOTDIR ? 127 : 126);
}

int kx_mode_run(const struct kx_opts *o, int *status, struct kx_err *e)
{
	struct kx_snapshot *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct kx_diff *d = calloc(1, sizeof(*d));
	struct sigaction ign, old_int, old_quit;
	char title[256];
	const char *src = o->vm_sel ? o->vm_sel->dir : o->root;
	struct kx_buf out;
	pid_t pid;
	int r, i, ws;

	kx_buf_init(&out);
	*status = 0;
	if (!a || !b || !d) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		goto out;
	}
	r = kx_snapshot_take(o->root, o->root_is_default, o->vm_sel, 0, a,
			     e);
	if (r)
		goto out;

	/* like time(1): ^C goes to the command, we stay to report */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		child(o->cmd);
	if (pid < 0) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "fork: %s", strerror(errno));
		goto restore;
	}
	while (waitpid(pid, &ws, 0) < 0) {
		if (errno != EINTR) {
			r = kx_fail(e, KX_EXIT_RUNTIME, "waitpid: %s",
				    strerror(errno));
			goto restore;
		}
	}
	if (WIFEXITED(ws))
		*status = WEXITSTATUS(ws);
	else if (WIFSIGNALED(ws))
		*status = 128 + WTERMSIG(ws);
	else
		*status = 1;

	r = kx_snapshot_take(o->root, o->root_is_default, o->vm_sel, 0, b,
			     e);
	if (!r)
		r = kx_diff(a, b, "before", "after", 1, d, e);
	if (r)
		goto restore;
	kx_warn_forced(d, "");
	command_title(title, sizeof(title), o->cmd);
	if (o->fmt == KX_FMT_JSON) {
		kx_buf_printf(&out, "{\"type\":\"command\",\"format\":%d,"
			      "\"command\":[", KX_JSON_FORMAT);
		for (i = 0; o->cmd[i]; i++) {
			if (i)
				kx_buf_putc(&out, ',');
			kx_json_str(&out, o->cmd[i]);
		}
		kx_buf_printf(&out, "],\"exit_status\":%d,", *status);
		kx_json_diff_members(d, src, src, &out);
		kx_buf_puts(&out, "}\n");
	} else {
		kx_table_diff(d, title, &out);
	}
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
