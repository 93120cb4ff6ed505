/* layout.h - the typesetter's output: pages of positioned text runs, rules,
 * filled rectangles, images and links, with no libharu types. The PDF renderer and the imposition
 * draw these pages; tests read them (layout_dump) without writing a PDF. */
#ifndef CHAPBOOK_LAYOUT_H
#define CHAPBOOK_LAYOUT_H

#include <stddef.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/color.h"
#include "base/diag.h"
#include "doc/doc.h"

/* Coordinates are PDF points with the origin at the page's bottom left. */

typedef struct lo_run {
	int font;            /* index into lo_doc.fonts */
	double size;         /* pt */
	double x, y;         /* start of the baseline */
	double width;        /* advance width as measured by the typesetter */
	paint color;
	const char *text;    /* UTF-8, NUL-terminated, no control characters */
	int link;            /* part of a link or citation: print PDFs draw it
				in lo_doc.print_link_color instead of color */
} lo_run;

typedef struct lo_rule {
	double x0, y0, x1, y1, width;
	paint color;
} lo_rule;

/* A filled rectangle (a colour field on the cover); it may reach past
 * the page's edges into the bleed (lo_doc.bleed). Drawn before the rules
 * and the text. */
typedef struct lo_fill {
	double x0, y0, x1, y1;
	paint color;
} lo_fill;

/* An image (the cover picture) scaled to cover the rectangle, centred,
 * what overflows cut off; it may reach into the bleed. data holds the
 * file's bytes (PNG or JPEG), decoded by each renderer; src is where the
 * source names it, for messages. Drawn after the fills. */
typedef struct lo_image {
	double x0, y0, x1, y1;
	const unsigned char *data;
	size_t len;
	const char *alt;
	const doc_pos *src;
} lo_image;

typedef struct lo_link {
	double x0, y0, x1, y1;   /* the clickable rectangle */
	const char *uri;         /* external link, or NULL */
	int dest_page;           /* internal link: target page index, or -1 */
	double dest_y;           /* top of the target on that page */
} lo_link;

typedef enum lo_page_kind {
	LO_COVER, LO_FRONT, LO_BODY, LO_BACK, LO_BLANK,
	LO_NOTES                 /* a ruled page for the reader's notes */
} lo_page_kind;

typedef struct lo_page {
	lo_page_kind kind;
	const char *label;       /* the printed number ("iii", "7") or NULL */
	lo_run *runs;   size_t nruns;
	lo_rule *rules; size_t nrules;
	lo_link *links; size_t nlinks;
	lo_fill *fills; size_t nfills;
	lo_image *images; size_t nimages;
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
	double bleed;            /* pt past the trim that fills and images
				    may reach (cut off when printed) */
	paint print_link_color;  /* links' colour in print (lo_run.link) */
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

/* One line per page, run, fill, image, rule, link and outline entry: the
 * golden format for tests. */
void layout_dump(const lo_doc *lo, FILE *f);

#endif
