/* layout.h - the typesetter's output: pages of positioned text runs, rules
 * and links, with no libharu types. The PDF renderer and the imposition
 * draw these pages; tests read them (layout_dump) without writing a PDF. */
#ifndef CHAPBOOK_LAYOUT_H
#define CHAPBOOK_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/color.h"
#include "base/diag.h"
#include "doc/doc.h"

/* Coordinates are PDF points with the origin at the page's bottom left. */

/* What a glyph of a run is. */
typedef enum lo_glyph_kind {
	LO_GLYPH_TEXT,       /* letters, digits, punctuation, real hyphens */
	LO_GLYPH_SPACE,      /* a word space (the font's space glyph) */
	LO_GLYPH_HYPHEN      /* a hyphen added by line breaking */
} lo_glyph_kind;

/* One shaped glyph of a run, 8 bytes (a long paragraph has millions).
 * Numbers are font units (lo_run.upem per em), as HarfBuzz gave them:
 * exact at any size. */
typedef struct lo_glyph {
	uint32_t cluster : 30;  /* byte offset into the run's text of the
				   first character the glyph shows; its
				   characters run up to the next larger
				   cluster of the run (or the text's end): a
				   ligature shows several, and glyphs sharing
				   a cluster share them */
	uint32_t kind : 2;      /* an lo_glyph_kind */
	uint16_t gid;           /* glyph id in the run's font; 0 (.notdef)
				   for a character the font lacks */
	int16_t advance;        /* pen movement after the glyph, kerning
				   included; a word space's is its natural
				   width (justification is space_adjust) */
} lo_glyph;

/* Where a glyph is drawn from the pen (marks over their letters), font
 * units. */
typedef struct lo_glyph_offset {
	int16_t x, y;
} lo_glyph_offset;

/* A stretch of one line in one font, size, colour and link: shaped
 * glyphs (copied into the layout's arena: renderers never shape) with the
 * text they show. Drawing: the pen starts at (x, y); each glyph is drawn
 * at the pen plus its offset (scaled like its advance) and moves it by
 * hscale * advance * size / upem, plus space_adjust after a word space. */
typedef struct lo_run {
	int font;            /* index into lo_doc.fonts */
	double size;         /* pt */
	double x, y;         /* start of the baseline */
	double width;        /* where the pen ends, from x, as drawn */
	paint color;
	const char *text;    /* UTF-8, NUL-terminated, no control
				characters: the text as it should copy and
				extract. Word spaces are U+0020; a hyphen
				added by line breaking is U+00AD (soft
				hyphen); a real hyphen (U+002D) that ends a
				line is U+2010, so that extraction does not
				take it for an added one */
	const lo_glyph *glyphs;   /* in drawing order (left to right) */
	size_t nglyphs;
	const lo_glyph_offset *offsets;   /* one per glyph, or NULL when no
				     glyph of the run is offset */
	int upem;            /* the font's units per em */
	double space_adjust; /* pt added after each word space (justified
				lines; may be negative), on the page */
	double hscale;       /* horizontal scale of the glyphs and their
				advances (font expansion): 1 = none */
} lo_run;

typedef struct lo_rule {
	double x0, y0, x1, y1, width;
	paint color;
} lo_rule;

typedef struct lo_link {
	double x0, y0, x1, y1;   /* the clickable rectangle */
	const char *uri;         /* external link, or NULL */
	int dest_page;           /* internal link: target page index, or -1 */
	double dest_y;           /* top of the target on that page */
} lo_link;

typedef enum lo_page_kind { LO_COVER, LO_FRONT, LO_BODY, LO_BACK, LO_BLANK } lo_page_kind;

typedef struct lo_page {
	lo_page_kind kind;
	const char *label;       /* the printed number ("iii", "7") or NULL */
	lo_run *runs;   size_t nruns;
	lo_rule *rules; size_t nrules;
	lo_link *links; size_t nlinks;
} lo_page;

typedef struct lo_outline {
	int level;               /* 1 = part, 2 = section, ... */
	const char *title;
	int page;
	double y;
} lo_outline;

/* PDF page labels: from page index first on, numbered in style. */
typedef struct lo_label_range {
	int first;
	char style;              /* 'r' lower roman, 'D' decimal, 0 none */
	int start;
} lo_label_range;

typedef struct lo_doc {
	double width, height;    /* page size, pt */
	double bleed;            /* pt of bleed the pages were laid out with */
	const char **fonts;      /* TrueType paths, indexed by lo_run.font */
	size_t nfonts;
	lo_page *pages;   size_t npages;
	lo_outline *outline; size_t noutline;
	lo_label_range *labels; size_t nlabels;
	size_t overfull;         /* lines that could not be fitted */
} lo_doc;

struct style;
struct res;

/* Typeset the booklet with a style: cover, contents, body, back cover.
 * Takes the style's fonts and hyphenation patterns from r (which keeps
 * them for the next layout and the PDF). Returns the pages in arena a, or
 * NULL after adding errors to dl (a font that cannot be loaded). Lines
 * that cannot be fitted are warnings at their paragraph and are counted in
 * overfull. */
lo_doc *layout_booklet(const doc *d, const struct style *st, struct res *r,
		       arena *a, diag_list *dl);

/* One line per page, run (its text, then its glyph ids after "|"), rule,
 * link and outline entry: the golden format for tests. */
void layout_dump(const lo_doc *lo, FILE *f);

#endif
