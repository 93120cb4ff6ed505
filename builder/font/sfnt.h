/* sfnt.h - bounds-checked reading of a TrueType (sfnt) file in memory: its
 * big-endian fields and its table directory, for the few checks face.c
 * makes before HarfBuzz reads the file (the table directory, and header
 * fields HarfBuzz hides or replaces with defaults); a read outside the
 * file gives 0, never a read outside the buffer. */
#ifndef CHAPBOOK_SFNT_H
#define CHAPBOOK_SFNT_H

#include <stddef.h>
#include <stdint.h>

typedef struct sfnt {
	const unsigned char *p;
	size_t len;
} sfnt;

/* Whether bytes [off, off + n) lie inside the file. */
static inline int sfnt_in(const sfnt *s, size_t off, size_t n)
{
	return off <= s->len && n <= s->len - off;
}

static inline unsigned sfnt_u16(const sfnt *s, size_t off)
{
	if (!sfnt_in(s, off, 2))
		return 0;
	return (unsigned)(s->p[off] << 8 | s->p[off + 1]);
}

static inline int sfnt_s16(const sfnt *s, size_t off)
{
	return (int16_t)sfnt_u16(s, off);
}

static inline uint32_t sfnt_u32(const sfnt *s, size_t off)
{
	if (!sfnt_in(s, off, 4))
		return 0;
	return (uint32_t)s->p[off] << 24 | (uint32_t)s->p[off + 1] << 16 |
	       (uint32_t)s->p[off + 2] << 8 | s->p[off + 3];
}

/* Find table tag (e.g. "glyf"): 1 with its offset and length if the
 * directory holds it and it lies inside the file, else 0. */
int sfnt_table(const sfnt *s, const char *tag, size_t *off, size_t *len);

#endif
