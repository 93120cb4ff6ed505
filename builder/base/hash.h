/* hash.h - the one hash function (FNV-1a, 64 bits) and the one hash table
 * of the tool: open addressing over caller-owned entries, found by a hash
 * and an equality test the caller gives, so that any key (a string, a
 * string in a font at a size, a pair of ids) uses the same table. */
#ifndef CHAPBOOK_HASH_H
#define CHAPBOOK_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_SEED 0xcbf29ce484222325ULL  /* FNV-1a 64 offset basis */

/* FNV-1a of n bytes, continuing from h (start with HASH_SEED). */
uint64_t hash_bytes(uint64_t h, const void *p, size_t n);
/* Mix a 64-bit value into h, as hash_bytes of its 8 bytes would. */
uint64_t hash_u64(uint64_t h, uint64_t v);
/* hash_bytes(HASH_SEED, s, strlen(s)). */
uint64_t hash_str(const char *s);

typedef struct hmap {
	void **entries;      /* NULL for an empty slot */
	uint64_t *hashes;
	size_t cap, n;       /* cap is 0 or a power of two */
} hmap;

/* Whether entry matches key (both as the caller defines them). */
typedef int (*hmap_eq)(const void *entry, const void *key);

/* The entry with hash h for which eq(entry, key) holds, or NULL. */
void *hmap_get(const hmap *m, uint64_t h, hmap_eq eq, const void *key);

/* Add entry under hash h (the caller makes sure no equal entry is there).
 * The table holds the pointer, not a copy. Returns 0 (running out of
 * memory takes mem_fail, base/mem.h). */
int hmap_put(hmap *m, uint64_t h, void *entry);

/* Calls fn on every entry (in slot order, which depends on the hashes:
 * deterministic for deterministic input). */
void hmap_each(const hmap *m, void (*fn)(void *entry, void *ctx), void *ctx);

/* Frees the table's slots (not the entries). */
void hmap_free(hmap *m);

#endif
