/* arena.h - one bump allocator per build: the document tree, the layout and
 * every string they hold live here and are freed together by arena_free. */
#ifndef CHAPBOOK_ARENA_H
#define CHAPBOOK_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct arena {
	arena_block *head;   /* current block; older blocks chain behind it */
	size_t total;        /* bytes obtained from malloc, for the benchmark */
} arena;

/* Zeroed memory aligned for any type; never NULL (when memory runs out,
 * base/mem.h's mem_fail ends the process cleanly with exit 3). */
void *arena_alloc(arena *a, size_t size);
/* Copies of strings and byte ranges, NUL-terminated. */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
/* printf into the arena. */
char *arena_printf(arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);
/* Grow an arena array: returns a copy of old (n elements of size) with room
 * for cap elements. Old memory is simply abandoned to the arena. */
void *arena_grow(arena *a, void *old, size_t n, size_t cap, size_t size);
void arena_free(arena *a);

/* A growable byte buffer (malloc-backed, for output files; out of memory
 * takes mem_fail too). */
typedef struct buf {
	char *data;
	size_t len, cap;
} buf;

void buf_put(buf *b, const char *s, size_t n);
/* Room for n more bytes and the NUL after them, for a caller that writes
 * them itself (then moves len and writes the NUL). */
void buf_reserve(buf *b, size_t n);
void buf_puts(buf *b, const char *s);
void buf_printf(buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_free(buf *b);

#endif
