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

#include "typeset/style.h"

enum { RES_MAX_CP = 0x110000 };

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
	shape_cache *shaper;       /* made on first use */
};

res *res_new(void)
{
	res *r = xcalloc(1, sizeof(res));
	if (pthread_mutex_init(&r->lock, NULL) != 0)
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
	pthread_mutex_destroy(&r->lock);
	free(r);
}
