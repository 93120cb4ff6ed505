/* idset.c - the id registry (see idset.h): base/hash tables, moved into
 * the arena once frozen. */
#include "doc/idset.h"

#include "doc/doc.h"

#include <stdlib.h>
#include <string.h>

typedef struct idset_next {
	const char *base;
	unsigned long next;
} idset_next;

static int idset_eq_str(const void *entry, const void *key)
{
	return strcmp(entry, key) == 0;
}

static int idset_eq_next(const void *entry, const void *key)
{
	return strcmp(((const idset_next *)entry)->base, key) == 0;
}

void idset_init(idset *s, const idset *parent, arena *a)
{
	memset(s, 0, sizeof *s);
	s->parent = parent;
	s->a = a;
}

/* 1 if id is in s itself. */
static int idset_has_here(const idset *s, const char *id)
{
	return hmap_get(&s->map, hash_str(id), idset_eq_str, id) != NULL;
}

int idset_has(const idset *s, const char *id)
{
	for (; s; s = s->parent)
		if (idset_has_here(s, id))
			return 1;
	return 0;
}

int idset_reserve(idset *s, const char *id)
{
	if (idset_has(s, id))
		return 0;
	if (s->frozen)
		return -1;  /* frozen: a caller's mistake, reported as failure */
	return hmap_put(&s->map, hash_str(id), (void *)id) == 0 ? 1 : -1;
}

const char *idset_new(idset *s, const char *base)
{
	if (!idset_has(s, base)) {
		const char *id = arena_strdup(s->a, base);
		return idset_reserve(s, id) == 1 ? id : NULL;
	}
	uint64_t h = hash_str(base);
	idset_next *nx = hmap_get(&s->next, h, idset_eq_next, base);
	if (!nx) {
		nx = arena_alloc(s->a, sizeof *nx);
		nx->base = arena_strdup(s->a, base);
		nx->next = 2;
		if (hmap_put(&s->next, h, nx) < 0)
			return NULL;
	}
	for (;;) {
		const char *id = arena_printf(s->a, "%s-%lu", base, nx->next++);
		int r = idset_reserve(s, id);
		if (r != 0)
			return r == 1 ? id : NULL;
	}
}

void idset_freeze(idset *s)
{
	if (s->frozen)
		return;
	doc_hmap_settle(&s->map, s->a);
	hmap_free(&s->next);
	s->frozen = 1;
}

void idset_free(idset *s)
{
	if (!s->frozen)
		hmap_free(&s->map);
	hmap_free(&s->next);
}
