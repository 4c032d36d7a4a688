// SPDX-License-Identifier: GPL-2.0
/* --record FILE --interval SECONDS [--count N] [-- CMD]: samples the
 * counters into a recording (recording.h), one whole line per sample,
 * written with one write(2) each as it is taken. */
#include "modes.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "command.h"
#include "counters.h"
#include "fileio.h"
#include "probe.h"
#include "recording.h"
#include "source.h"

struct rec {
	const struct kx_opts *o;
	const char *path; /* for messages */
	char *tmp;	  /* the temporary file, until renamed over path */
	int fd;
	int regular;	  /* a regular file: cut back on a write error */
	off_t good;	  /* offset after the last complete line */
	uint64_t samples;
	struct kx_counters *prev, *cur;
	struct kx_time last;  /* t of the last sample, as written */
	struct kx_buf b;
	char title[KX_TITLE_CMD_MAX]; /* the command, for the header */
	int write_failed; /* the error is the file's */
	int stopped;	  /* no more samples: gone, or an error */
	int gone;	  /* the counters went away */
};

/* The self-pipe: the signal handlers wake the sampling loop through it. */
static int wake_fd[2] = { -1, -1 };
static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
	int saved = errno;
	char c = 0;
	ssize_t r;

	if (sig != SIGCHLD)
		stop_sig = sig;
	r = write(wake_fd[1], &c, 1); /* full: a wake-up is pending anyway */
	(void)r;
	errno = saved;
}

/* The old dispositions of the signals handled while recording. */
struct sigs {
	int handled[3];
	struct sigaction old[3];
};
static const int sig_nums[3] = { SIGCHLD, SIGINT, SIGTERM };

/* With a command: SIGCHLD (it exited). Without: SIGINT and SIGTERM (stop),
 * unless they were ignored on entry (a background job of a shell). */
static int handle_signals(int with_cmd, struct sigs *s, struct kx_err *e)
{
	struct sigaction sa;
	int i;

	memset(s, 0, sizeof(*s));
	if (pipe2(wake_fd, O_CLOEXEC | O_NONBLOCK))
		return kx_fail(e, KX_EXIT_RUNTIME, "pipe: %s", strerror(errno));
	stop_sig = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	for (i = 0; i < 3; i++) {
		if ((sig_nums[i] == SIGCHLD) != with_cmd)
			continue;
		if (sigaction(sig_nums[i], NULL, &s->old[i]))
			continue;
		if (sig_nums[i] != SIGCHLD && s->old[i].sa_handler == SIG_IGN)
			continue;
		if (!sigaction(sig_nums[i], &sa, NULL))
			s->handled[i] = 1;
	}
	return 0;
}

static void restore_signals(const struct sigs *s)
{
	int i;

	for (i = 0; i < 3; i++)
		if (s->handled[i])
			sigaction(sig_nums[i], &s->old[i], NULL);
	for (i = 0; i < 2; i++)
		if (wake_fd[i] >= 0)
			close(wake_fd[i]);
	wake_fd[0] = wake_fd[1] = -1;
}

static void drain_wake(void)
{
	char buf[64];

	while (read(wake_fd[0], buf, sizeof(buf)) > 0)
		;
}

/* FILE: "-" is standard output; a device or FIFO is written in place;
 * anything else goes to a temporary file beside it, renamed over it once
 * the recording runs, so that a recording that could not start leaves
 * nothing behind (nor replaces an older FILE). */
static int open_output(struct rec *rc, struct kx_err *e)
{
	const char *path = rc->o->record;
	struct stat st;
	int fd, err;

	if (!strcmp(path, "-")) {
		rc->path = "(standard output)";
		fd = STDOUT_FILENO;
	} else {
		rc->path = path;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			return kx_fail(e, KX_EXIT_RUNTIME,
				       "%s: cannot create the recording: Is a "
				       "directory",
				       path);
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
			if (fd < 0) {
				err = errno;
				return kx_fail(e, kx_errno_code(err,
								KX_EXIT_RUNTIME),
					       "%s: cannot open the recording: "
					       "%s",
					       path, strerror(err));
			}
		} else {
			fd = kx_create_temp(path,
					    "cannot create the recording",
					    &rc->tmp, e);
			if (fd < 0)
				return -fd;
		}
	}
	rc->fd = fd;
	/* standard output may be a file too: where we start writing */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		rc->good = lseek(fd, 0, SEEK_CUR);
		rc->regular = rc->good >= 0;
	}
	return 0;
}

/* Writes rc->b, whole lines; on failure, cuts the file back to its last
 * complete line (a regular file) and fails saying so. */
static int write_lines(struct rec *rc, struct kx_err *e)
{
	char cut[160] = "";
	int err;

	if (rc->b.failed)
		return kx_fail(e, KX_EXIT_RUNTIME,
			       "out of memory while formatting a sample");
	if (!kx_write_all(rc->fd, rc->b.p, rc->b.len)) {
		rc->good += (off_t)rc->b.len;
		return 0;
	}
	err = errno;
	rc->write_failed = 1;
	if (rc->regular && !rc->tmp) {
		if (ftruncate(rc->fd, rc->good))
			snprintf(cut, sizeof(cut),
				 " (and it could not be cut back to its last "
				 "complete line: %s)",
				 strerror(errno));
		else
			snprintf(cut, sizeof(cut),
				 " (cut back to its last complete line: %llu "
				 "sample%s)",
				 (unsigned long long)rc->samples,
				 rc->samples == 1 ? "" : "s");
	}
	return kx_fail(e, kx_errno_code(err, KX_EXIT_RUNTIME),
		       "%s: write failed: %s%s", rc->path, strerror(err), cut);
}

/* 1 if the names (or their number) differ: a new reason table */
static int new_table(const struct kx_counters *a, const struct kx_counters *b)
{
	size_t i;

	if (a->n != b->n)
		return 1;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->r[i].name, b->r[i].name))
			return 1;
	return 0;
}

/* Reads the counters and writes a sample (the first one after the
 * header). A sample in the same microsecond as the previous one (a last
 * sample right after a periodic one) is left out: t only increases. */
static int sample(struct rec *rc, struct kx_err *e)
{
	const struct kx_opts *o = rc->o;
	struct kx_counters *tmp;
	struct kx_time wall, t;
	int r, reset = 0;

	r = kx_source_read(&o->src, rc->cur, e);
	if (!r)
		r = kx_clocks(&wall, &t, e);
	if (r)
		return r;
	if (!rc->samples || new_table(rc->prev, rc->cur)) {
		r = kx_rec_check_names(rc->cur, o->src.dir, e);
		if (r)
			return r;
	}
	kx_buf_reset(&rc->b);
	if (!rc->samples) {
		struct kx_rec_info h;
		char kernel[KX_KERNEL_MAX], boot_id[KX_BOOT_ID_MAX];

		kx_kernel_release(kernel);
		kx_boot_id(boot_id);
		h.source = o->src.dir;
		h.vm = o->src.vm;
		h.vendor = rc->cur->vendor;
		h.kernel = kernel;
		h.boot_id = boot_id;
		h.wall = wall;
		h.boot = t;
		h.interval = o->interval;
		h.command = o->cmd ? rc->title : NULL;
		kx_rec_header(&h, &rc->b);
	}
	t.nsec -= t.nsec % 1000; /* microseconds, as written */
	if (rc->samples) {
		if (kx_time_cmp(&t, &rc->last) <= 0)
			return 0;
		reset = kx_rec_went_down(rc->prev, rc->cur);
	}
	kx_rec_sample(&t, rc->cur, reset, &rc->b);
	r = write_lines(rc, e);
	if (r)
		return r;
	tmp = rc->prev;
	rc->prev = rc->cur;
	rc->cur = tmp;
	rc->last = t;
	rc->samples++;
	return 0;
}

/* After a failed read: did the counters go away (the kvm module unloaded,
 * the VM gone), rather than turn unreadable? */
static int counters_gone(const struct kx_source *src, int r)
{
	char path[KX_PATH_MAX + 16];
	struct stat st;

	if (r == KX_EXIT_UNAVAILABLE)
		return 1;
	/* a read that failed as the files went (ENODEV, EIO) */
	snprintf(path, sizeof(path), "%s/vendor", src->root);
	if (stat(src->dir, &st) == 0 && stat(path, &st) == 0)
		return 0;
	return errno == ENOENT || errno == ENOTDIR || errno == ENODEV;
}

/* A sample after the first: 0 if written, or if the counters went away
 * (a note on standard error, no more samples); else the error, and no
 * more samples. */
static int take(struct rec *rc, struct kx_err *e)
{
	int r = sample(rc, e);

	if (!r)
		return 0;
	rc->stopped = 1;
	if (rc->write_failed || !counters_gone(&rc->o->src, r))
		return r;
	rc->gone = 1;
	fflush(stdout);
	fprintf(stderr,
		"kvmexit-read: counters went away after %llu sample%s; the "
		"recording ends there (%s)\n",
		(unsigned long long)rc->samples, rc->samples == 1 ? "" : "s",
		e->msg);
	e->code = 0;
	e->msg[0] = '\0';
	return 0;
}

/* Waits for the next deadline or a signal: 0, or KX_EXIT_RUNTIME. */
static int wait_wake(const struct timespec *deadline, struct kx_err *e)
{
	struct pollfd pfd = { wake_fd[0], POLLIN, 0 };
	struct timespec now, left, *tmo = NULL;

	if (deadline) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!kx_ts_before(&now, deadline))
			return 0;
		left.tv_sec = deadline->tv_sec - now.tv_sec;
		left.tv_nsec = deadline->tv_nsec - now.tv_nsec;
		if (left.tv_nsec < 0) {
			left.tv_sec--;
			left.tv_nsec += 1000000000L;
		}
		tmo = &left;
	}
	if (ppoll(&pfd, 1, tmo, NULL) < 0 && errno != EINTR)
		return kx_fail(e, KX_EXIT_RUNTIME, "ppoll: %s", strerror(errno));
	drain_wake();
	return 0;
}

/* An error while the command runs: said now, returned when it is done. */
static void defer_error(struct kx_err *e, struct kx_err *saved)
{
	fflush(stdout);
	fprintf(stderr,
		"kvmexit-read: %s; the recording stops here, waiting for the "
		"command to exit\n",
		e->msg);
	*saved = *e;
}

/* The sampling loop: every interval until --count samples or a signal,
 * or (with a command) until the command exits; a last sample then. */
static int record_loop(struct rec *rc, const struct kx_cmd *cmd, int *ws,
		       struct kx_err *e)
{
	const struct kx_opts *o = rc->o;
	struct kx_err saved = { 0, "" };
	struct timespec deadline, now;
	int r = 0;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	kx_ts_add(&deadline, &o->interval);
	for (;;) {
		if (!o->cmd && (rc->stopped || stop_sig ||
				(o->count && rc->samples >= o->count)))
			break;
		r = wait_wake(rc->stopped ? NULL : &deadline, e);
		if (r)
			break;
		if (o->cmd) {
			pid_t w = waitpid(cmd->pid, ws, WNOHANG);

			if (w == cmd->pid) {
				r = rc->stopped ? 0 : take(rc, e);
				break;
			}
			if (w < 0 && errno != EINTR) {
				r = kx_fail(e, KX_EXIT_RUNTIME, "waitpid: %s",
					    strerror(errno));
				break;
			}
		} else if (stop_sig) {
			r = take(rc, e);
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (rc->stopped || kx_ts_before(&now, &deadline))
			continue;
		r = take(rc, e);
		if (r && !o->cmd)
			break;
		if (r)
			defer_error(e, &saved);
		kx_ts_add(&deadline, &o->interval);
		/* fell behind (suspend, slow reads): restart the schedule */
		if (kx_ts_before(&deadline, &now)) {
			deadline = now;
			kx_ts_add(&deadline, &o->interval);
		}
	}
	if (!r && saved.code) {
		*e = saved;
		r = saved.code;
	}
	return r;
}

/* The end: the file made durable and closed. */
static int finish(struct rec *rc, int r, struct kx_err *e)
{
	int err;

	if (rc->fd < 0)
		return r;
	if (!r && rc->regular && fsync(rc->fd)) {
		err = errno;
		r = kx_fail(e, kx_errno_code(err, KX_EXIT_RUNTIME),
			    "%s: write failed: %s", rc->path, strerror(err));
	}
	if (rc->fd != STDOUT_FILENO && close(rc->fd) && !r) {
		err = errno;
		r = kx_fail(e, kx_errno_code(err, KX_EXIT_RUNTIME),
			    "%s: write failed: %s", rc->path, strerror(err));
	}
	rc->fd = -1;
	return r;
}

/* A recording that could not start: nothing left behind */
static void discard(struct rec *rc)
{
	if (rc->tmp) {
		unlink(rc->tmp);
		free(rc->tmp);
		rc->tmp = NULL;
	}
}

/* The temporary file becomes FILE */
static int publish(struct rec *rc, struct kx_err *e)
{
	int err;

	if (!rc->tmp)
		return 0;
	if (rename(rc->tmp, rc->path)) {
		err = errno;
		discard(rc);
		return kx_fail(e, kx_errno_code(err, KX_EXIT_RUNTIME),
			       "%s: cannot rename the temporary recording "
			       "over it: %s",
			       rc->path, strerror(err));
	}
	kx_fsync_dir(rc->path);
	free(rc->tmp);
	rc->tmp = NULL;
	return 0;
}

int kx_mode_record(const struct kx_opts *o, int *status, struct kx_err *e)
{
	struct kx_err saved = { 0, "" };
	struct kx_cmd cmd;
	struct sigs sigs;
	struct rec rc;
	int r, ws = 0, sig, running = 0;

	memset(&rc, 0, sizeof(rc));
	memset(&sigs, 0, sizeof(sigs));
	rc.o = o;
	rc.fd = -1;
	kx_buf_init(&rc.b);
	*status = 0;
	rc.prev = calloc(1, sizeof(*rc.prev));
	rc.cur = calloc(1, sizeof(*rc.cur));
	if (!rc.prev || !rc.cur) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		goto out;
	}
	if (o->cmd)
		kx_cmd_title(rc.title, sizeof(rc.title), o->cmd);
	/* before the temporary file exists: a stop signal cannot leave it */
	r = handle_signals(o->cmd != NULL, &sigs, e);
	if (!r)
		r = kx_root_check(o->root, o->root_is_default, e);
	if (!r)
		r = open_output(&rc, e);
	/* the first sample, just before the command starts */
	if (!r)
		r = sample(&rc, e);
	if (!r && o->cmd) {
		r = kx_cmd_start(o->cmd, &cmd, e);
		running = !r;
	}
	if (!r)
		r = publish(&rc, e);
	if (r && running) {
		/* the command runs already: let it, and say so */
		rc.stopped = 1;
		defer_error(e, &saved);
		r = 0;
	}
	if (r) {
		discard(&rc);
		finish(&rc, r, e);
		goto out;
	}
	r = record_loop(&rc, running ? &cmd : NULL, &ws, e);
	if (running) {
		/* not reaped yet if the loop ended on an error */
		if (waitpid(cmd.pid, &ws, WNOHANG) == 0) {
			int wr = kx_cmd_wait(&cmd, &ws, e);

			if (!r)
				r = wr;
		}
		kx_cmd_restore(&cmd);
		kx_cmd_outcome(ws, rc.title, sizeof(rc.title), status, &sig);
	}
	if (!r && saved.code) {
		*e = saved;
		r = saved.code;
	}
	r = finish(&rc, r, e);
	if (!r && !o->cmd && rc.gone)
		*status = KX_EXIT_UNAVAILABLE;
out:
	restore_signals(&sigs);
	discard(&rc);
	kx_buf_free(&rc.b);
	free(rc.prev);
	free(rc.cur);
	return r;
}
