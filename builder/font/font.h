/* font.h - TrueType metrics read straight from the font file (cmap,
 * hmtx, head, hhea, OS/2), independent of any PDF library. Widths are
 * advance * 1000 / unitsPerEm, truncated: the PDF's W arrays state the same
 * numbers, so what the typesetter measures is what the PDF draws. */
#ifndef CHAPBOOK_FONT_H
#define CHAPBOOK_FONT_H

#include <stddef.h>
#include <stdint.h>

typedef struct font_face font_face;

/* Load a .ttf file. On failure returns NULL and writes a message (no
 * location prefix) into err. */
font_face *font_load(const char *path, char *err, size_t errlen);
/* The same from len bytes in memory (copied); name stands for the path
 * in messages. */
font_face *font_load_memory(const void *data, size_t len, const char *name,
			    char *err, size_t errlen);
void font_free(font_face *f);

/* Advance of one code point in 1/1000 em; a missing glyph measures as
 * .notdef. */
int font_advance(const font_face *f, uint32_t cp);
int font_has_glyph(const font_face *f, uint32_t cp);
/* Pair kerning from GPOS, in 1/1000 em (negative: closer), between two
 * code points or two glyphs; 0 when the font has none. */
double font_kern(const font_face *f, uint32_t left, uint32_t right);
double font_kern_glyphs(const font_face *f, uint32_t left, uint32_t right);
/* Width of UTF-8 text at size pt, kerned. Invalid UTF-8 bytes count as
 * U+FFFD. */
double font_width(const font_face *f, const char *s, size_t len, double size);
/* Ascender, descender (negative) and cap height in 1/1000 em. */
int font_ascent(const font_face *f);
int font_descent(const font_face *f);
int font_cap_height(const font_face *f);
const char *font_path(const font_face *f);

/* The font file's bytes (for subsetting). */
const unsigned char *font_data(const font_face *f, size_t *len);
/* Glyph index of a code point, 0 (.notdef) if the face lacks it. */
uint32_t font_glyph_id(const font_face *f, uint32_t cp);
/* Advance of a glyph in 1/1000 em, as font_advance measures it. */
int font_glyph_advance(const font_face *f, uint32_t gid);

#endif
