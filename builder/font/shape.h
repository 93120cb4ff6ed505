/* shape.h - shaping UTF-8 text in a face (face.h) with HarfBuzz: kerning,
 * ligatures, marks, into positioned glyphs, through a cache so that the
 * same text in the same face with the same options shapes once.
 *
 * Units: font units (face_units_per_em per em), exact integers, the same
 * at every size: shaping is size-independent (no hinting, no tracking), so
 * a size is not part of the cache key. shape_pt converts to points.
 *
 * What the line breaker needs: shape a word whole, then measure its pieces
 * between hyphenation points with shape_range (the pieces always sum to the
 * whole), ask shape_break_at whether a point may break at all (never
 * inside a ligature or a base letter with its marks) and whether the two
 * sides, once broken, shape differently (kerning or context across the
 * point: then shape them apart, e.g. with shape_hyphenated for the first
 * piece and shape_text for the rest).
 *
 * Memory and threads: a cache owns every run it returns (arena memory);
 * runs are immutable and valid until shape_cache_free. A cache may be
 * shared by threads (it locks; shaping under the lock, so threads that
 * shape a lot are better off with a cache each); faces are shared freely. */
#ifndef CHAPBOOK_SHAPE_H
#define CHAPBOOK_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "font/face.h"

/* What the style switches. */
typedef struct shape_opts {
	int kern;              /* kerning (GPOS 'kern', or a 'kern' table) */
	int liga;              /* standard ligatures ('liga') */
	const char *lang;      /* BCP 47 ("en-GB"), or NULL */
	const char *script;    /* ISO 15924 ("Latn"), or NULL: from the text */
} shape_opts;

enum { SHAPE_UNSAFE_TO_BREAK = 1 };  /* shape_glyph.flags */

typedef struct shape_glyph {
	uint32_t gid;          /* glyph id in the face */
	uint32_t cluster;      /* byte offset into the text of the first
				  character this glyph shows; a ligature
				  has one cluster for all its characters */
	int32_t x_advance;     /* pen movement after it, font units */
	int32_t x_offset;      /* where it is drawn relative to the pen */
	int32_t y_offset;
	unsigned flags;        /* SHAPE_UNSAFE_TO_BREAK: breaking the text
				  before this glyph's cluster and shaping the
				  sides apart gives other glyphs/positions */
} shape_glyph;

typedef struct shape_run {
	const char *text;      /* a copy of the text shaped (NUL-terminated) */
	size_t len;            /* its length in bytes */
	const shape_glyph *glyphs;  /* in visual order (left to right) */
	size_t n;
	int64_t width;         /* sum of x_advance, font units */
	int units_per_em;
} shape_run;

typedef struct shape_cache shape_cache;

/* An empty cache; NULL when memory runs out. */
shape_cache *shape_cache_new(void);
/* Frees the cache and every run it returned. */
void shape_cache_free(shape_cache *c);

/* Text text[0..len) in f with o shaped: the cached run, or NULL when
 * memory runs out. Invalid UTF-8 shapes as U+FFFD (each byte); characters
 * the face lacks come out as glyph 0 (.notdef), each with its cluster. */
const shape_run *shape_text(shape_cache *c, const face *f, const char *text,
			    size_t len, const shape_opts *o);

/* text[0..len) followed by a hyphen (U+002D) inserted by line breaking,
 * shaped together (kerning to the hyphen included). The hyphen's glyph is
 * the one whose cluster is len. */
const shape_run *shape_hyphenated(shape_cache *c, const face *f,
				  const char *text, size_t len,
				  const shape_opts *o);

/* Sum of the advances of the glyphs whose cluster lies in [from, to), in
 * font units: the width of text[from..to) as part of the whole run. For
 * from < at < to, shape_range(from, at) + shape_range(at, to) equals
 * shape_range(from, to); shape_range(0, len) is the run's width. */
int64_t shape_range(const shape_run *r, size_t from, size_t to);

typedef enum shape_break {
	SHAPE_BREAK_NONE,      /* inside a cluster (a ligature, a letter with
				  its marks): no break here */
	SHAPE_BREAK_CLEAN,     /* the pieces shape as parts of the whole */
	SHAPE_BREAK_RESHAPE    /* a break is possible, but the sides shape
				  differently apart (kerning or contextual
				  forms across it): reshape them */
} shape_break;

/* Whether the text may break at byte offset at (0 < at < len; 0 and len
 * are CLEAN, anything else NONE). */
shape_break shape_break_at(const shape_run *r, size_t at);

/* Font units at size pt, in points. */
static inline double shape_pt(const shape_run *r, int64_t units, double size)
{
	return (double)units * size / r->units_per_em;
}

/* Runs shaped so far (not found in the cache), for tests and benchmarks. */
size_t shape_cache_misses(const shape_cache *c);
/* Shape plans made so far: one per face, options, language and script
 * (text of digits and punctuation only takes the language's script, so
 * that it shares the plan of the words around it). */
size_t shape_cache_plans(const shape_cache *c);

#endif
