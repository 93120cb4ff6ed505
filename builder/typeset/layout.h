/* layout.h - the typesetter's output: pages of positioned text runs, rules,
 * filled rectangles, images and links, with no libharu types. The PDF
 * renderer and the imposition draw these pages; tests read them
 * (layout_dump) without writing a PDF. */
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

/* The logical structure of the booklet (a PDF's tags): elements in an
 * array, each naming its parent, element 0 the Document. The children of
 * an element are read in the order their content is drawn (page by page,
 * and on a page in the order of its runs), so a paragraph split across
 * pages stays one element. Runs, rules and links name the element they
 * belong to; LO_ARTIFACT (0, what zeroed memory says) marks page furniture
 * that is not read: running heads, folios, rules, leaders, decoration. */
typedef enum lo_stype {
	LO_DOCUMENT,   /* the root, element 0 */
	LO_SECT,       /* a part, a section, the cover, contents, back cover */
	LO_H,          /* a heading, level 1..6 (no level skipped) */
	LO_P,          /* a paragraph */
	LO_L,          /* a list (numbering), its items LO_LI */
	LO_LI,         /* a list item: LO_LBL (if numbered) and one LO_LBODY */
	LO_LBL,        /* a list item's number or bullet */
	LO_LBODY,      /* a list item's content */
	LO_BLOCKQUOTE, /* an experience, its title an LO_H */
	LO_TOC,        /* the contents (or a level of it), of LO_TOCI */
	LO_TOCI,       /* a contents entry: an LO_REFERENCE */
	LO_REFERENCE,  /* what a contents entry refers to, holding its LO_LINK */
	LO_LINK,       /* a link: its text and its annotations (lo_link.elem) */
	LO_BIBENTRY,   /* one bibliography entry */
	LO_FIGURE,     /* an image, with alt */
	LO_CAPTION,
	LO_STYPE_MAX
} lo_stype;

enum { LO_ARTIFACT = 0 };

/* How a list (LO_L) marks its items. */
typedef enum lo_numbering {
	LO_NUM_NONE, LO_NUM_DECIMAL, LO_NUM_DISC
} lo_numbering;

typedef struct lo_struct {
	lo_stype type;
	int parent;              /* index of the parent element; -1 for 0 */
	int level;               /* LO_H: 1..6 */
	lo_numbering numbering;  /* LO_L */
	const char *alt;         /* LO_FIGURE: what the image shows */
} lo_struct;

/* What a glyph of a run is. */
typedef enum lo_glyph_kind {
	LO_GLYPH_TEXT,       /* letters, digits, punctuation, real hyphens */
	LO_GLYPH_SPACE,      /* a word space (the font's space glyph) */
	LO_GLYPH_HYPHEN,     /* a hyphen added by line breaking */
	LO_GLYPH_LINE_SPACE  /* the word space a line breaks at, last on
				its line: the space glyph with no advance
				(nothing moves), so that text extraction and
				screen readers, which join a paragraph's
				lines, see the words apart */
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
	int elem;            /* its element in lo_doc.structs, or LO_ARTIFACT */
	double size;         /* pt */
	double x, y;         /* start of the baseline */
	double width;        /* where the pen ends, from x, as drawn */
	paint color;
	const char *text;    /* UTF-8, NUL-terminated, no control
				characters: the text as it should copy and
				extract. Word spaces are U+0020 (a line
				ending at one ends in it); a hyphen
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
	int link;            /* part of a link or citation: print PDFs draw it
				in lo_doc.print_link_color instead of color */
} lo_run;

typedef struct lo_rule {
	double x0, y0, x1, y1, width;
	paint color;
	int elem;                /* its element, or LO_ARTIFACT */
} lo_rule;

/* A filled rectangle (a colour field on the cover); it may reach past
 * the page's edges into the bleed (lo_doc.bleed). Drawn before the rules
 * and the text; decoration (an artifact). */
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
	int elem;                /* its LO_FIGURE element, or LO_ARTIFACT */
	double max_ppi;          /* embedded at most this many pixels per
				    inch of its frame (0: as given) */
} lo_image;

typedef struct lo_link {
	double x0, y0, x1, y1;   /* the clickable rectangle */
	const char *uri;         /* external link, or NULL */
	int dest_page;           /* internal link: target page index, or -1 */
	double dest_y;           /* top of the target on that page */
	int elem;                /* its LO_LINK element (with its text) */
	const char *title;       /* what it leads to, in words: the heading or
				    reference it goes to, the text of a URI
				    link; or NULL */
} lo_link;

typedef enum lo_page_kind {
	LO_COVER, LO_FRONT, LO_BODY, LO_BACK, LO_BLANK,
	LO_NOTES                 /* a ruled page for the reader's notes */
} lo_page_kind;

/* Where a page begins in the document: the text its first line sets
 * (the EPUB puts its print page markers here).
 *
 * node: the DOC_PARA (a list item's and an experience's paragraphs
 * included) or DOC_HEADING whose inline content the page's first line
 * sets; NULL when ref is set or the page opens with no document text.
 * ref: the bibliography entry the first line sets, else NULL.
 * offset: the byte offset in that text where the first line begins, or 0
 * when the page begins with the node or entry itself. The text is the
 * content as the one inline walker gives it (doc_inline_next: the TEXT
 * events' text and each citation group as cite_format_group's segments,
 * concatenated, soft hyphens included), or for an entry the text of
 * cite_format_entry's segments. A line begins at its first box: a word,
 * or the part of a hyphenated word after the hyphen.
 *
 * Only body pages (LO_BODY) have one: the contents, the covers and blank
 * pages have neither node nor ref. */
typedef struct lo_start {
	const doc_node *node;
	const doc_ref *ref;
	size_t offset;
} lo_start;

typedef struct lo_page {
	lo_page_kind kind;
	const char *label;       /* the printed number ("iii", "7") or NULL */
	lo_start start;          /* where the page begins in the document */
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
	lo_struct *structs;      /* the logical structure; none (0) when the
				    layout records none */
	size_t nstructs;
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

/* The style's cover page laid out alone, page 0 of the lo_doc returned:
 * the same page layout_booklet makes first, without laying out the rest
 * of the book (so the EPUB can draw it while the book is laid out). NULL
 * when the style has no cover page, when the cover's page would depend on
 * the rest of the book (a link on it numbered after the body's, with
 * link-address = note), or after adding errors to dl. */
lo_doc *layout_cover(const doc *d, const struct style *st, struct res *r,
		     arena *a, diag_list *dl);

/* One line per page, run (its text, then its glyph ids after "|"), fill,
 * image, rule, link, outline entry and structure element: the golden
 * format for tests. */
void layout_dump(const lo_doc *lo, FILE *f);

#endif
