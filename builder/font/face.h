/* face.h - a TrueType face read through HarfBuzz: loading (with the checks
 * that turn a damaged file into an error message), metrics, the nominal
 * glyph of a code point, glyph advances and what a PDF font descriptor
 * states. The shaper (shape.h) and the subsetter (hbsubset.h) work on it.
 *
 * Units: font units (1/units_per_em em, the font's own integers) unless a
 * name says otherwise; the *_1000 functions give 1/1000 em truncated toward
 * zero (the PDF font descriptor's integers). A face is immutable once
 * loaded: any number of threads may use one face at the same time. No
 * HarfBuzz types here. */
#ifndef CHAPBOOK_FACE_H
#define CHAPBOOK_FACE_H

#include <stddef.h>
#include <stdint.h>

typedef struct face face;

/* Load the TrueType file at path (mapped read-only where possible). On
 * failure NULL, with "PATH: message" in err. Refused: files that are not a
 * TrueType-outline font (CFF .otf and collections included), tables that
 * lie outside the file, no or a bad head/hhea/hmtx/maxp/loca/glyf, a
 * unitsPerEm outside 16..16384, no glyphs, no Unicode cmap. */
face *face_load(const char *path, char *err, size_t errlen);
/* The same from len bytes (copied); name stands for the path. */
face *face_load_memory(const void *data, size_t len, const char *name,
		       char *err, size_t errlen);
void face_free(face *f);

/* A face shared by the whole run, loaded on the first request for path
 * and kept until face_cache_release(); safe from several threads. NULL
 * with a message in err. */
face *face_open_cached(const char *path, char *err, size_t errlen);
void face_cache_release(void);

const char *face_path(const face *f);
/* The font file's bytes (what the subsetter reads). */
const unsigned char *face_data(const face *f, size_t *len);

int face_units_per_em(const face *f);
uint32_t face_glyph_count(const face *f);
/* Glyph of code point cp through the cmap, 0 (.notdef) when missing. */
uint32_t face_glyph(const face *f, uint32_t cp);
/* Horizontal advance of glyph gid in font units (32 bits: no overflow for
 * wide glyphs); an id past the last glyph measures as .notdef. */
int32_t face_advance(const face *f, uint32_t gid);
/* The same in 1/1000 em, truncated. */
int face_advance_1000(const face *f, uint32_t gid);

/* Vertical metrics in font units: the hhea ascender and descender
 * (negative; OS/2 typo metrics when the font sets USE_TYPO_METRICS) and
 * the OS/2 cap height (7/10 of the ascender when the font has none). */
int face_ascent(const face *f);
int face_descent(const face *f);
int face_cap_height(const face *f);
/* The same in 1/1000 em, truncated. */
int face_ascent_1000(const face *f);
int face_descent_1000(const face *f);
int face_cap_height_1000(const face *f);

/* What a PDF FontDescriptor says about the face. */
typedef struct face_info {
	char ps_name[64];      /* PostScript name (name ID 6) reduced to
				  [A-Za-z0-9-], "Font" when it has none */
	int bbox[4];           /* head xMin yMin xMax yMax, 1/1000 em */
	double italic_angle;   /* degrees, from post */
	int weight;            /* OS/2 usWeightClass (400 or 700 from head
				  when there is no OS/2) */
	int fixed_pitch;       /* post isFixedPitch */
} face_info;

const face_info *face_get_info(const face *f);

/* The HarfBuzz font (hb_font_t, immutable, at scale units_per_em) for
 * shape.c and hbsubset.c. */
struct hb_font_t *face_hb_font(const face *f);

#endif
