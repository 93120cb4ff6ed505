/* arena.c - the per-build bump allocator and the output byte buffer. */
#include "base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

struct arena_block {
	arena_block *prev;
	size_t used, size;
	max_align_t data[];
};

enum { ARENA_BLOCK = 64 * 1024 };

void *arena_alloc(arena *a, size_t size)
{
	size_t align = sizeof(max_align_t);
	if (size > SIZE_MAX - align)
		mem_fail();
	size = (size + align - 1) / align * align;
	arena_block *b = a->head;
	if (!b || b->size - b->used < size) {
		size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		if (cap > SIZE_MAX - sizeof *b)
			mem_fail();
		b = xmalloc(sizeof *b + cap);
		b->prev = a->head;
		b->used = 0;
		b->size = cap;
		a->head = b;
		a->total += sizeof *b + cap;
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
	if (!fmt)  /* also tells gcc under -fsanitize that fmt is set */
		fmt = "";
	va_list ap2;
	va_copy(ap2, ap);
	char probe[1];
	int n = vsnprintf(probe, sizeof probe, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void *arena_grow(arena *a, void *old, size_t n, size_t cap, size_t size)
{
	if (size && cap > SIZE_MAX / size)
		mem_fail();
	void *p = arena_alloc(a, cap * size);
	if (old && n)
		memcpy(p, old, n * size);
	return p;
}

void arena_free(arena *a)
{
	arena_block *b = a->head;
	while (b) {
		arena_block *prev = b->prev;
		free(b);
		b = prev;
	}
	a->head = NULL;
	a->total = 0;
}

/* Room in b for n more bytes and the closing NUL. */
static void buf_grow(buf *b, size_t n)
{
	if (n >= SIZE_MAX / 2 - b->len)
		mem_fail();
	size_t cap = b->cap ? b->cap * 2 : 4096;
	while (cap < b->len + n + 1)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

static inline void buf_room(buf *b, size_t n)
{
	/* cap is 0 or more than len: no overflow here */
	if (n >= b->cap - b->len)
		buf_grow(b, n);
}

/* Called for every glyph a PDF draws: the common case (it fits) is a
 * comparison and a copy. */
void buf_put(buf *b, const char *s, size_t n)
{
	buf_room(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_reserve(buf *b, size_t n)
{
	buf_room(b, n);
}

void buf_puts(buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

/* Formatted straight into the buffer's free room: once when it fits (the
 * PDF structure tree formats hundreds of thousands of references), twice
 * when the buffer must grow first. */
void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	buf_room(b, 0);
	size_t room = b->cap - b->len;
	int n = vsnprintf(b->data + b->len, room, fmt, ap);
	if (n > 0 && (size_t)n >= room) {
		buf_room(b, (size_t)n);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
	}
	if (n > 0)
		b->len += (size_t)n;
	b->data[b->len] = '\0';
	va_end(ap2);
	va_end(ap);
}

void buf_free(buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
