/* idset.h - the one registry of the ids written into the outputs. The
 * checker reserves every id the author wrote and then makes the ids the
 * tree needs (citation anchors "cite-N", entry anchors "ref-KEY", ids of
 * parts and sections that have none) so that none collides with an
 * author's; a renderer layers its own set on top for the ids only it
 * writes ("bibliography", "toc", heading ids). Generated ids give way:
 * an author's <section id="cite-1"> keeps its id and the first citation
 * becomes "cite-1-2". */
#ifndef CHAPBOOK_IDSET_H
#define CHAPBOOK_IDSET_H

#include <stddef.h>

#include "base/arena.h"
#include "base/hash.h"

typedef struct idset {
	const struct idset *parent;  /* read, never changed (may be NULL) */
	arena *a;                    /* the ids made here live in it */
	hmap map;                    /* ids reserved here */
	hmap next;                   /* base -> the next suffix to try */
	int frozen;                  /* map lives in the arena, next is gone */
} idset;

/* An empty set over parent (NULL for none). A frozen parent may be read
 * by several sets at once, from several threads. */
void idset_init(idset *s, const idset *parent, arena *a);

/* 1 if id is taken in s or a parent. */
int idset_has(const idset *s, const char *id);

/* Reserve id as it is (it is kept, not copied). Returns 1 if it was free,
 * 0 if it was already taken (nothing changes), -1 when memory runs out. */
int idset_reserve(idset *s, const char *id);

/* A free id made from base and reserved: base itself, else base-2,
 * base-3, ... (resuming where the last call with this base stopped, so n
 * calls cost O(n)). Arena memory; NULL when memory runs out. */
const char *idset_new(idset *s, const char *base);

/* No more ids will be added: the table moves into the arena (see
 * doc_hmap_settle), so a frozen set needs no idset_free and can be shared
 * read-only. */
void idset_freeze(idset *s);

/* Free the tables of a set that was not frozen. */
void idset_free(idset *s);

#endif
