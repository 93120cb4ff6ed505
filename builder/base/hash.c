/* hash.c - FNV-1a and the open-addressing table (see hash.h). */
#include "base/hash.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define HASH_PRIME 1099511628211ULL

uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * HASH_PRIME;
	return h;
}

uint64_t hash_u64(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		h = (h ^ (v & 0xFF)) * HASH_PRIME;
	return h;
}

uint64_t hash_str(const char *s)
{
	return hash_bytes(HASH_SEED, s, strlen(s));
}

void *hmap_get(const hmap *m, uint64_t h, hmap_eq eq, const void *key)
{
	if (!m->cap)
		return NULL;
	for (size_t j = h & (m->cap - 1); m->entries[j]; j = (j + 1) & (m->cap - 1))
		if (m->hashes[j] == h && eq(m->entries[j], key))
			return m->entries[j];
	return NULL;
}

static void hmap_insert(void **entries, uint64_t *hashes, size_t cap,
			uint64_t h, void *entry)
{
	size_t j = h & (cap - 1);
	while (entries[j])
		j = (j + 1) & (cap - 1);
	entries[j] = entry;
	hashes[j] = h;
}

int hmap_put(hmap *m, uint64_t h, void *entry)
{
	if (2 * (m->n + 1) > m->cap) {
		size_t nc = m->cap ? 2 * m->cap : 64;
		void **ne = xcalloc(nc, sizeof *ne);
		uint64_t *nh = xreallocarray(NULL, nc, sizeof *nh);
		for (size_t i = 0; i < m->cap; i++)
			if (m->entries[i])
				hmap_insert(ne, nh, nc, m->hashes[i], m->entries[i]);
		free(m->entries);
		free(m->hashes);
		m->entries = ne;
		m->hashes = nh;
		m->cap = nc;
	}
	hmap_insert(m->entries, m->hashes, m->cap, h, entry);
	m->n++;
	return 0;
}

void hmap_each(const hmap *m, void (*fn)(void *entry, void *ctx), void *ctx)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->entries[i])
			fn(m->entries[i], ctx);
}

void hmap_free(hmap *m)
{
	free(m->entries);
	free(m->hashes);
	memset(m, 0, sizeof *m);
}
