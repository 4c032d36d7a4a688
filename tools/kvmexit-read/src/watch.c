// SPDX-License-Identifier: GPL-2.0
#include "modes.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diff.h"
#include "output.h"
#include "probe.h"
#include "snapshot.h"
#include "vm.h"

int kx_mode_watch(const struct kx_opts *o, struct kx_err *e)
{
	struct kx_snapshot *s[2] = { calloc(1, sizeof(**s)),
				     calloc(1, sizeof(**s)) };
	struct kx_diff *d = calloc(1, sizeof(*d));
	struct timespec deadline, now;
	struct kx_time start;
	const char *src = o->src.dir;
	struct kx_buf b;
	uint64_t seq;
	int r, cur = 0, p99;

	kx_buf_init(&b);
	if (!s[0] || !s[1] || !d) {
		r = kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		goto out;
	}
	kx_detail_hint(o);
	r = kx_snapshot_take(&o->src, o->root_is_default, 0, s[0], e);
	if (r)
		goto out;
	start = s[0]->boot;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	/* a P99 column if the first read has histograms */
	p99 = s[0]->c.has_time && s[0]->c.hist;
	if (o->fmt == KX_FMT_TEXT) {
		if (o->detail || o->user)
			kx_watch_detail_header(&b);
		else
			kx_watch_header(&b, p99);
		r = kx_emit(NULL, &b, e);
		if (r)
			goto out;
	}
	for (seq = 1; !o->count || seq <= o->count; seq++) {
		kx_ts_add(&deadline, &o->interval);
		while ((r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
					    &deadline, NULL)) == EINTR)
			;
		if (r) {
			r = kx_fail(e, KX_EXIT_RUNTIME, "clock_nanosleep: %s",
				    strerror(r));
			goto out;
		}
		kx_snapshot_release(s[!cur]);
		r = kx_snapshot_take(&o->src, o->root_is_default, 0, s[!cur],
				     e);
		if (r)
			goto out;
		/* same boot and kernel: only resets can be "forced" */
		kx_diff_release(d);
		r = kx_diff(s[cur], s[!cur], "previous", "current", 1, d, e);
		if (!r && o->detail)
			r = kx_diff_detail(d, o->detail, "previous", "current",
					   1, e);
		if (!r && o->user)
			r = kx_diff_user(d, "previous", "current", 1, e);
		if (r)
			goto out;
		kx_buf_reset(&b);
		if (o->fmt == KX_FMT_JSON) {
			kx_json_interval(d, seq,
					 kx_time_sub(&s[!cur]->boot, &start),
					 src, &b);
		} else if (o->detail || o->user) {
			double t = kx_time_sub(&s[!cur]->boot, &start);
			int k;

			for (k = 0; k < KX_DET_KINDS; k++)
				if (o->detail & KX_DETAIL_BIT(k))
					kx_watch_detail_line(d, k, t, &b);
			if (o->user)
				kx_watch_user_line(d, t, &b);
		} else {
			kx_watch_line(d, kx_time_sub(&s[!cur]->boot, &start),
				      p99, &b);
		}
		r = kx_emit_as(o, NULL, &b, e);
		if (r)
			goto out;
		cur = !cur;
		/* fell behind (suspend, slow reads): restart the schedule */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (kx_ts_before(&deadline, &now))
			deadline = now;
	}
	r = 0;
out:
	kx_buf_free(&b);
	if (d)
		kx_diff_release(d);
	free(d);
	kx_snapshot_free(s[0]);
	kx_snapshot_free(s[1]);
	return r;
}
