// SPDX-License-Identifier: GPL-2.0
#include "timeline.h"

#include <stdlib.h>
#include <string.h>

#include "linereader.h"

void kx_tl_free(struct kx_timeline *tl)
{
	free(tl->iv);
	free(tl->d);
	tl->iv = NULL;
	tl->d = NULL;
	tl->ni = tl->cap_i = tl->nd = tl->cap_d = 0;
}

/* p (an array of *cap items of size, n used) with room for one more,
 * moved if need be; NULL if out of memory (p is still valid then). */
static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	void *np;
	size_t nc;

	if (n < *cap)
		return p;
	nc = *cap ? *cap * 2 : 256;
	np = realloc(p, nc * size);
	if (np)
		*cap = nc;
	return np;
}

/* The interval from the previous sample to tl->s, whose dense counts are
 * in tl->cur. */
static int add_interval(struct kx_timeline *tl, const struct kx_lines *at,
			struct kx_err *e)
{
	const struct kx_rec_sample *s = &tl->s;
	struct kx_tl_interval *iv;
	size_t r, nr = tl->names.n;
	int reset = s->reset || s->total < tl->prev_total;
	void *np;

	for (r = 0; r < nr && !reset; r++)
		reset = tl->cur[r] < tl->prev[r];
	np = grow(tl->iv, &tl->cap_i, tl->ni, sizeof(*tl->iv));
	if (!np)
		return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
	tl->iv = np;
	iv = &tl->iv[tl->ni];
	memset(iv, 0, sizeof(*iv));
	iv->t0 = tl->last;
	iv->t1 = s->t;
	iv->seconds = kx_time_sub(&iv->t1, &iv->t0);
	iv->reset = reset;
	iv->total = reset ? s->total : s->total - tl->prev_total;
	iv->first = tl->nd;
	iv->lineno = at->lineno;
	for (r = 0; r < nr; r++) {
		uint64_t dv = reset ? tl->cur[r] : tl->cur[r] - tl->prev[r];

		if (!dv)
			continue;
		if (tl->nd == KX_TL_DELTAS_MAX)
			return kx_lines_fail(at, e,
					     "recording too large (more than "
					     "%d non-zero deltas)",
					     KX_TL_DELTAS_MAX);
		np = grow(tl->d, &tl->cap_d, tl->nd, sizeof(*tl->d));
		if (!np)
			return kx_fail(e, KX_EXIT_RUNTIME, "out of memory");
		tl->d = np;
		if (tl->reason_total[r] > UINT64_MAX - dv)
			return kx_lines_fail(at, e,
					     "the exits of '%s' over the "
					     "recording overflow 64 bits",
					     tl->names.name[r]);
		tl->reason_total[r] += dv;
		tl->d[tl->nd].reason = (uint32_t)r;
		tl->d[tl->nd].delta = dv;
		tl->nd++;
		iv->n++;
	}
	if (tl->total > UINT64_MAX - iv->total)
		return kx_lines_fail(at, e,
				     "the exits over the recording overflow "
				     "64 bits");
	tl->total += iv->total;
	tl->nresets += (size_t)reset;
	tl->ni++;
	return 0;
}

int kx_tl_line(struct kx_timeline *tl, const char *line, size_t n,
	       const struct kx_lines *at, struct kx_err *e)
{
	struct kx_rec_sample *s = &tl->s;
	size_t i;
	int r;

	tl->fname = at->fname;
	if (at->lineno == 1)
		return kx_rec_parse_head(line, n, at, &tl->head, e);
	if (tl->nsamples == KX_TL_SAMPLES_MAX)
		return kx_lines_fail(at, e,
				     "too many samples (more than %d)",
				     KX_TL_SAMPLES_MAX);
	r = kx_rec_parse_sample(line, n, at, &tl->names, s, e);
	if (r)
		return r;
	if (tl->nsamples && kx_time_cmp(&s->t, &tl->last) <= 0)
		return kx_lines_fail(at, e,
				     "t %llu.%06u is not after the previous "
				     "sample's %llu.%06u (t goes backwards)",
				     (unsigned long long)s->t.sec,
				     s->t.nsec / 1000,
				     (unsigned long long)tl->last.sec,
				     tl->last.nsec / 1000);
	memset(tl->cur, 0, tl->names.n * sizeof(*tl->cur));
	for (i = 0; i < s->n; i++)
		tl->cur[s->idx[i]] = s->count[i];
	if (tl->nsamples) {
		r = add_interval(tl, at, e);
		if (r)
			return r;
	} else {
		tl->first = s->t;
	}
	memcpy(tl->prev, tl->cur, tl->names.n * sizeof(*tl->cur));
	tl->prev_total = s->total;
	tl->last = s->t;
	tl->nsamples++;
	return 0;
}

int kx_tl_finish(struct kx_timeline *tl, struct kx_err *e)
{
	if (tl->nsamples >= 2)
		return 0;
	return kx_fail(e, KX_EXIT_BADINPUT,
		       "%s: %s: a timeline needs at least 2 (record longer, "
		       "or with a shorter --interval)",
		       tl->fname ? tl->fname : "recording",
		       tl->nsamples ? "only 1 sample" : "no samples");
}

int kx_tl_load(const char *path, struct kx_timeline *tl, struct kx_err *e)
{
	struct kx_lreader lr;
	struct kx_lines at;
	const char *line;
	size_t n;
	int r;

	r = kx_lreader_open(&lr, path, KX_REC_LINE_MAX, KX_EXIT_BADINPUT, e);
	if (r)
		return r;
	kx_lines_init(&at, "", 0, lr.fname);
	tl->fname = lr.fname;
	while ((r = kx_lreader_next(&lr, &line, &n, e)) == 1) {
		at.lineno = lr.lineno;
		r = kx_tl_line(tl, line, n, &at, e);
		if (r)
			break;
	}
	if (r < 0)
		r = -r;
	if (!r && lr.lineno == 0)
		r = kx_fail(e, KX_EXIT_BADINPUT,
			    "%s:1: empty file, not a kvmexit-read recording",
			    lr.fname);
	if (!r)
		r = kx_tl_finish(tl, e);
	kx_lreader_close(&lr);
	return r;
}

double kx_tl_rate(const struct kx_tl_interval *iv, uint64_t count)
{
	return (double)count / iv->seconds;
}

uint64_t kx_tl_delta(const struct kx_timeline *tl, size_t i, uint32_t r)
{
	const struct kx_tl_interval *iv = &tl->iv[i];
	size_t k;

	for (k = iv->first; k < iv->first + iv->n; k++)
		if (tl->d[k].reason == r)
			return tl->d[k].delta;
	return 0;
}

size_t kx_tl_top(const struct kx_timeline *tl, size_t n, uint32_t *idx)
{
	size_t got = 0, i, k;

	/* insertion into the sorted top list: n is small */
	for (i = 0; i < tl->names.n; i++) {
		uint64_t v = tl->reason_total[i];

		if (!v || !strcmp(tl->names.name[i], "other"))
			continue;
		for (k = got; k > 0 && tl->reason_total[idx[k - 1]] < v; k--)
			if (k < n)
				idx[k] = idx[k - 1];
		if (k < n) {
			idx[k] = (uint32_t)i;
			if (got < n)
				got++;
		}
	}
	return got;
}

static const struct kx_timeline *sort_tl;

static int cmp_busy(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	double ra = kx_tl_rate(&sort_tl->iv[a], sort_tl->iv[a].total);
	double rb = kx_tl_rate(&sort_tl->iv[b], sort_tl->iv[b].total);

	if (ra != rb)
		return ra > rb ? -1 : 1;
	return a < b ? -1 : a > b;
}

size_t kx_tl_busiest(const struct kx_timeline *tl, size_t n, size_t *out)
{
	size_t i, m = 0;

	for (i = 0; i < tl->ni; i++)
		if (!tl->iv[i].reset)
			out[m++] = i;
	sort_tl = tl;
	qsort(out, m, sizeof(*out), cmp_busy);
	sort_tl = NULL;
	return m < n ? m : n;
}

ssize_t kx_tl_locate(const struct kx_timeline *tl, const struct kx_time *t)
{
	size_t lo = 0, hi = tl->ni;

	if (!tl->ni || kx_time_cmp(t, &tl->iv[0].t0) < 0)
		return -1;
	if (kx_time_cmp(t, &tl->last) > 0)
		return (ssize_t)tl->ni;
	/* the last interval whose t0 <= t */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (kx_time_cmp(&tl->iv[mid].t0, t) <= 0)
			lo = mid;
		else
			hi = mid;
	}
	return (ssize_t)lo;
}
