/* res.c - owns the run's shared resources (see res.h): the faces and
 * pattern sets by path, the prefetch thread, the missing-character set.
 * Loading the patterns costs more than laying out the default booklet, and
 * the A5 PDF, its imposition and the handout share faces and patterns, so
 * each is loaded once per run (and shared by every booklet of a run that
 * builds several). */
#include "typeset/res.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "font/hbsubset.h"

#include "typeset/style.h"

enum {
	RES_MAX_CP = 0x110000,
	RES_MAX_SUBSETS = 64,      /* kept per run; more are made each time */
	RES_MAX_MEMOS = 256,
	RES_MEMO_BYTES = 32 << 20  /* inputs and values kept, at most */
};

/* A memo: input bytes and what was derived from them. */
typedef struct res_memo {
	int kind;
	unsigned char *in, *out;
	size_t n, out_len;
} res_memo;

/* A font subset made for a PDF, kept for the next that draws the same
 * glyphs of the same face. */
typedef struct res_subset {
	const face *face;
	uint32_t *gids, *new_gids;
	size_t n;
	unsigned char *data;
	size_t len;
} res_subset;

typedef struct res_patterns {
	char *path;
	hyph *hy;
} res_patterns;

struct res {
	res *parent;               /* a child's: faces, patterns, shaper */
	pthread_mutex_t lock;      /* the tables, the prefetch, the shaper */
	face **faces;              /* face_path() names each */
	size_t nfaces, capfaces;
	res_patterns *pats;
	size_t npats, cappats;
	struct {                   /* patterns compiled on a second thread */
		pthread_t thread;
		int running;
		char *path;
		hyph *hy;          /* written by the thread until joined */
	} pre;
	unsigned char *missing;    /* bit per code point, made on first use */
	pthread_mutex_t sub_lock;  /* subs: not held while one is made */
	res_subset subs[RES_MAX_SUBSETS];
	size_t nsubs;
	res_memo memos[RES_MAX_MEMOS];   /* under sub_lock too */
	size_t nmemos, memo_bytes;
	shape_cache *shaper;       /* made on first use */
};

res *res_new(void)
{
	res *r = xcalloc(1, sizeof(res));
	if (pthread_mutex_init(&r->lock, NULL) != 0 ||
	    pthread_mutex_init(&r->sub_lock, NULL) != 0)
		mem_fail();
	return r;
}

res *res_child(res *parent)
{
	res *r = res_new();
	r->parent = parent;
	return r;
}

/* The patterns at path: the ones compiled into the program when the file
 * is the one they were made from, else compiled now. */
static hyph *res_open_patterns(const char *path)
{
	hyph *h = hyph_open_image(path, &hyph_builtin);
	return h ? h : hyph_open(path);
}

static void *res_prefetch_main(void *arg)
{
	res *r = arg;
	r->pre.hy = res_open_patterns(r->pre.path);
	return NULL;
}

static res_patterns *res_find_patterns(res *r, const char *path)
{
	for (size_t i = 0; i < r->npats; i++)
		if (!strcmp(r->pats[i].path, path))
			return &r->pats[i];
	return NULL;
}

void res_prefetch(res *r, const style *st)
{
	if (r->parent) {
		res_prefetch(r->parent, st);
		return;
	}
	pthread_mutex_lock(&r->lock);
	if (r->pre.running || !st->hyphenation ||
	    res_find_patterns(r, st->hyphenation)) {
		pthread_mutex_unlock(&r->lock);
		return;
	}
	r->pre.path = xstrdup(st->hyphenation);
	if (r->pre.path &&
	    pthread_create(&r->pre.thread, NULL, res_prefetch_main, r) == 0) {
		r->pre.running = 1;
	} else {
		free(r->pre.path);        /* res_hyph loads them itself */
		r->pre.path = NULL;
	}
	pthread_mutex_unlock(&r->lock);
}

/* Keep patterns hy (opened from path) for the rest of the run. Takes
 * path (malloc'd). Returns hy, or NULL (both freed) when memory runs out. */
static hyph *res_keep_patterns(res *r, char *path, hyph *hy)
{
	if (r->npats == r->cappats) {
		size_t cap = r->cappats ? 2 * r->cappats : 4;
		res_patterns *p = realloc(r->pats, cap * sizeof *p);
		if (!p) {
			free(path);
			hyph_close(hy);
			return NULL;
		}
		r->pats = p;
		r->cappats = cap;
	}
	r->pats[r->npats++] = (res_patterns){path, hy};
	return hy;
}

/* Wait for the prefetch thread and keep what it loaded. */
static void res_join(res *r)
{
	if (!r->pre.running)
		return;
	pthread_join(r->pre.thread, NULL);
	r->pre.running = 0;
	if (r->pre.hy && !res_find_patterns(r, r->pre.path))
		res_keep_patterns(r, r->pre.path, r->pre.hy);
	else {
		hyph_close(r->pre.hy);
		free(r->pre.path);
	}
	r->pre.hy = NULL;
	r->pre.path = NULL;
}

/* res_hyph under the lock. */
static hyph *res_hyph_locked(res *r, const char *path)
{
	res_join(r);
	res_patterns *p = res_find_patterns(r, path);
	if (p)
		return p->hy;
	hyph *hy = res_open_patterns(path);
	char *copy = hy ? xstrdup(path) : NULL;
	if (!copy) {
		hyph_close(hy);
		return NULL;
	}
	return res_keep_patterns(r, copy, hy);
}

hyph *res_hyph(res *r, const char *path)
{
	if (r->parent)
		return res_hyph(r->parent, path);
	pthread_mutex_lock(&r->lock);
	hyph *hy = res_hyph_locked(r, path);
	pthread_mutex_unlock(&r->lock);
	return hy;
}

/* res_font under the lock. */
static face *res_font_locked(res *r, const char *path, char *err,
			     size_t errlen)
{
	for (size_t i = 0; i < r->nfaces; i++)
		if (!strcmp(face_path(r->faces[i]), path))
			return r->faces[i];
	if (r->nfaces == r->capfaces) {
		size_t cap = r->capfaces ? 2 * r->capfaces : 8;
		face **n = realloc(r->faces, cap * sizeof *n);
		if (!n) {
			if (err && errlen)
				snprintf(err, errlen, "%s: out of memory", path);
			return NULL;
		}
		r->faces = n;
		r->capfaces = cap;
	}
	face *f = face_load(path, err, errlen);
	if (f)
		r->faces[r->nfaces++] = f;
	return f;
}

face *res_font(res *r, const char *path, char *err, size_t errlen)
{
	if (r->parent)
		return res_font(r->parent, path, err, errlen);
	pthread_mutex_lock(&r->lock);
	face *f = res_font_locked(r, path, err, errlen);
	pthread_mutex_unlock(&r->lock);
	return f;
}

shape_cache *res_shaper(res *r)
{
	if (r->parent)
		return res_shaper(r->parent);
	pthread_mutex_lock(&r->lock);
	if (!r->shaper && !(r->shaper = shape_cache_new()))
		mem_fail();
	shape_cache *c = r->shaper;
	pthread_mutex_unlock(&r->lock);
	return c;
}

/* The kept subset of f for gids[0..n), or NULL. Under sub_lock. */
static const res_subset *res_find_subset(const res *r, const face *f,
					 const uint32_t *gids, size_t n)
{
	for (size_t i = 0; i < r->nsubs; i++) {
		const res_subset *s = &r->subs[i];
		if (s->face == f && s->n == n &&
		    !memcmp(s->gids, gids, n * sizeof *gids))
			return s;
	}
	return NULL;
}

/* A copy of s's font and new ids; NULL when memory runs out. */
static unsigned char *res_subset_copy(const res_subset *s, uint32_t *new_gids,
				      size_t *out_len)
{
	unsigned char *out = malloc(s->len ? s->len : 1);
	if (!out)
		return NULL;
	memcpy(out, s->data, s->len);
	memcpy(new_gids, s->new_gids, s->n * sizeof *new_gids);
	*out_len = s->len;
	return out;
}

/* Keep the subset just made (copies; nothing when the table is full or
 * memory runs out: it is only made again). Under sub_lock. */
static void res_keep_subset(res *r, const face *f, const uint32_t *gids,
			    size_t n, const uint32_t *new_gids,
			    const unsigned char *data, size_t len)
{
	if (r->nsubs == RES_MAX_SUBSETS || res_find_subset(r, f, gids, n))
		return;
	res_subset s = {f, malloc(n * sizeof *gids), malloc(n * sizeof *gids),
			n, malloc(len ? len : 1), len};
	if (!s.gids || !s.new_gids || !s.data) {
		free(s.gids);
		free(s.new_gids);
		free(s.data);
		return;
	}
	memcpy(s.gids, gids, n * sizeof *gids);
	memcpy(s.new_gids, new_gids, n * sizeof *gids);
	memcpy(s.data, data, len);
	r->subs[r->nsubs++] = s;
}

unsigned char *res_font_subset(res *r, const face *f, const uint32_t *gids,
			       size_t n, uint32_t *new_gids, size_t *out_len,
			       char *err, size_t errlen)
{
	if (r->parent)
		return res_font_subset(r->parent, f, gids, n, new_gids, out_len,
				       err, errlen);
	pthread_mutex_lock(&r->sub_lock);
	const res_subset *s = res_find_subset(r, f, gids, n);
	unsigned char *out = s ? res_subset_copy(s, new_gids, out_len) : NULL;
	pthread_mutex_unlock(&r->sub_lock);
	if (out)
		return out;
	out = hbsubset_build(f, gids, n, new_gids, out_len, err, errlen);
	if (out) {
		pthread_mutex_lock(&r->sub_lock);
		res_keep_subset(r, f, gids, n, new_gids, out, *out_len);
		pthread_mutex_unlock(&r->sub_lock);
	}
	return out;
}

static const res_memo *res_find_memo(const res *r, int kind, const void *in,
				      size_t n)
{
	for (size_t i = 0; i < r->nmemos; i++) {
		const res_memo *m = &r->memos[i];
		if (m->kind == kind && m->n == n && !memcmp(m->in, in, n))
			return m;
	}
	return NULL;
}

unsigned char *res_memo_get(res *r, int kind, const void *in, size_t n,
			    size_t *out_len)
{
	if (r->parent)
		return res_memo_get(r->parent, kind, in, n, out_len);
	pthread_mutex_lock(&r->sub_lock);
	const res_memo *m = res_find_memo(r, kind, in, n);
	unsigned char *out = m ? malloc(m->out_len ? m->out_len : 1) : NULL;
	if (out) {
		memcpy(out, m->out, m->out_len);
		*out_len = m->out_len;
	}
	pthread_mutex_unlock(&r->sub_lock);
	return out;
}

void res_memo_put(res *r, int kind, const void *in, size_t n,
		  const void *out, size_t out_len)
{
	if (r->parent) {
		res_memo_put(r->parent, kind, in, n, out, out_len);
		return;
	}
	pthread_mutex_lock(&r->sub_lock);
	if (r->nmemos < RES_MAX_MEMOS &&
	    r->memo_bytes + n + out_len <= RES_MEMO_BYTES &&
	    !res_find_memo(r, kind, in, n)) {
		res_memo m = {kind, malloc(n ? n : 1),
			      malloc(out_len ? out_len : 1), n, out_len};
		if (m.in && m.out) {
			memcpy(m.in, in, n);
			memcpy(m.out, out, out_len);
			r->memos[r->nmemos++] = m;
			r->memo_bytes += n + out_len;
		} else {
			free(m.in);
			free(m.out);
		}
	}
	pthread_mutex_unlock(&r->sub_lock);
}

int res_first_missing(res *r, uint32_t cp)
{
	if (cp >= RES_MAX_CP)
		return 0;
	pthread_mutex_lock(&r->lock);
	if (!r->missing)
		r->missing = xcalloc(RES_MAX_CP / 8, 1);
	unsigned char bit = (unsigned char)(1u << (cp & 7));
	int first = !(r->missing[cp >> 3] & bit);
	r->missing[cp >> 3] |= bit;
	pthread_mutex_unlock(&r->lock);
	return first;
}

void res_free(res *r)
{
	if (!r)
		return;
	res_join(r);
	for (size_t i = 0; i < r->nfaces; i++)
		face_free(r->faces[i]);
	for (size_t i = 0; i < r->npats; i++) {
		hyph_close(r->pats[i].hy);
		free(r->pats[i].path);
	}
	free(r->faces);
	free(r->pats);
	free(r->missing);
	shape_cache_free(r->shaper);
	for (size_t i = 0; i < r->nsubs; i++) {
		free(r->subs[i].gids);
		free(r->subs[i].new_gids);
		free(r->subs[i].data);
	}
	for (size_t i = 0; i < r->nmemos; i++) {
		free(r->memos[i].in);
		free(r->memos[i].out);
	}
	pthread_mutex_destroy(&r->sub_lock);
	pthread_mutex_destroy(&r->lock);
	free(r);
}
