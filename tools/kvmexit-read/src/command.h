/* SPDX-License-Identifier: GPL-2.0 */
/* Running the command of "-- CMD" (the deltas of its run, and --record):
 * fork + execvp, SIGINT and SIGQUIT ignored by kvmexit-read while it runs
 * (the command gets the dispositions kvmexit-read was started with), its
 * status mapped as shells do. */
#ifndef KX_COMMAND_H
#define KX_COMMAND_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

#define KX_TITLE_CMD_MAX 256 /* bytes of the command in titles */

struct kx_cmd {
	pid_t pid;
	struct sigaction old_int, old_quit;
};

/* Ignores SIGINT and SIGQUIT, then starts cmd and waits until it has been
 * executed. 0: it runs (c->pid); call kx_cmd_restore once done with it.
 * Otherwise nothing runs, the dispositions are restored and e says why:
 * 127 if the command was not found, 126 if it could not be executed (as
 * shells), KX_EXIT_RUNTIME if pipe or fork failed. */
int kx_cmd_start(char **cmd, struct kx_cmd *c, struct kx_err *e);
/* Waits for the command (EINTR retried): 0 with its wait status in *ws,
 * or KX_EXIT_RUNTIME. */
int kx_cmd_wait(const struct kx_cmd *c, int *ws, struct kx_err *e);
/* Gives SIGINT and SIGQUIT back the dispositions kx_cmd_start found. */
void kx_cmd_restore(const struct kx_cmd *c);

/* "cmd arg1 arg2", cut with "..." to fit size */
void kx_cmd_title(char *out, size_t size, char **cmd);
/* Appends what happened to the command (" (exited with status N)",
 * " (killed by signal N: NAME)") to title and sets *status as a shell
 * would: its exit code, 128+N if killed by signal N (*sig = N, else 0). */
void kx_cmd_outcome(int ws, char *title, size_t size, int *status, int *sig);

#endif
