/* lay.h - the typesetter's internal state, shared by its phases (not
 * used outside typeset/). layout_booklet (layout.c) runs them in order:
 *
 *   items.c     inline content -> Knuth-Plass items (boxes, glue,
 *               penalties) of the current paragraph
 *   lines.c     a paragraph's items broken (lb_break) and set as lines of
 *               runs and link rectangles on the vertical list
 *   blocks.c    the body: parts, headings, paragraphs, lists, quotes and
 *               the bibliography as vertical-list lines with keeps
 *   matter.c    the cover, the contents (after the body, for its page
 *               numbers) and the back cover
 *   paginate.c  each range of the vertical list cut into pages, and where
 *               each range's pages fall in the book
 *   pages.c     the lo_doc: lines copied onto their pages, folios, running
 *               heads, page labels and the outline
 *
 * Every size, space and colour comes from the style. */
#ifndef CHAPBOOK_LAY_H
#define CHAPBOOK_LAY_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/color.h"
#include "base/diag.h"
#include "base/hash.h"
#include "doc/doc.h"
#include "font/face.h"
#include "font/shape.h"
#include "typeset/hyph.h"
#include "typeset/layout.h"
#include "typeset/linebreak.h"
#include "typeset/style.h"

/* LAY_LEFT: any break is as good as another (headings, short lines);
 * LAY_RAGGED: ragged right that still prefers evenly filled lines. */
enum { LAY_JUSTIFY, LAY_LEFT, LAY_CENTER, LAY_RAGGED };
enum { LAY_NFONTS = 5, LAY_MAX_NEST = 80, LAY_MAX_HYPH = 32, LAY_MAX_OWNED = 16 };
enum { LAY_KEEP_ITEMS = 1 << 16 };   /* items kept allocated between paragraphs */
enum { LAY_POOL = 64 * 1024 };       /* a block of run texts */

/* What a box shows: piece `piece` of a word as its plan (a lay_cent in
 * the layout's word cache, by number: lay_box_plan) has it, shaped whole
 * (the box's glyphs are the word's whose clusters fall in the piece), its
 * look (an index into the paragraph's looks) and where its text starts
 * in its piece of the paragraph's text (see lay_piece; soft hyphens
 * counted). A box with no plan (0) is a kern: space only (a hanging
 * opening quote's). The box's lb_item.ref indexes the paragraph's array
 * of these; 16 bytes, as a long paragraph has millions. */
typedef struct lay_boxtext {
	uint32_t plan;          /* 1 + index into lay.plans, or 0 */
	uint32_t piece, look;
	uint32_t off;
} lay_boxtext;

/* How a piece of text looks and where it goes. */
typedef struct lay_look {
	int font;
	double size;
	double space;           /* the font's word space at size (set when
				   the look joins the paragraph's table) */
	paint color;
	int link;               /* 1 + index into targets, or 0 */
	int nobreak;            /* spaces do not break (telephone numbers) */
} lay_look;

/* A run as line setting makes it: a stretch of one line in one face
 * (see lo_run), where it starts on its line, its width as drawn, its text
 * and glyphs (arena), and its face in the layout's table of faces. Copied
 * into an lo_run on its page. A run without glyphs (folios, leaders,
 * numbers set by their own code) is shaped when the pages are made. */
typedef struct lay_run {
	const char *text;
	const lo_glyph *glyphs;
	const lo_glyph_offset *offsets;
	double x, width;
	double space_adjust, hscale;
	uint32_t face, nglyphs;
	uint32_t elem;          /* its structure element (lo_run.elem) */
} lay_run;

/* What the runs of one face share. */
typedef struct lay_face {
	int font;
	double size;
	paint color;
	uint32_t space_gid;     /* the font's space glyph */
	int upem;               /* its units per em */
} lay_face;

/* Where a link goes: a URI, or an anchor resolved after pagination. */
typedef struct lay_target {
	const char *uri;
	int anchor;
	int elem;               /* its LO_LINK element */
	const char *title;      /* what it leads to, in words (lo_link.title) */
} lay_target;

/* A link's address printed as a note (link-address = note): its number
 * is its index + 1, shown after the link's text and before the address
 * in the list at the end of the link's part. */
typedef struct lay_addr_note {
	const char *shown;      /* the address as a reader types it */
	const char *href;       /* where the listed address links to */
	const doc_pos *pos;     /* the link, for diagnostics */
} lay_addr_note;

/* A link rectangle relative to its line's left edge and baseline. */
typedef struct lay_rlink {
	double x0, x1, dy0, dy1;
	int target;
} lay_rlink;

/* One line of the vertical list. */
typedef struct lay_vline {
	double space_before;    /* dropped at a page top unless fixed */
	double stretch, shrink; /* how far space_before may grow or give up
				   to fill a page */
	double leading;         /* baseline distance from the previous line */
	double ascent, descent; /* extents above (+) and below (-) baseline */
	int fixed;              /* space_before kept at a page top */
	int keep;               /* no page break before this line */
	int force;              /* a new page before this line */
	int penalty;            /* cost of a page break before this line
				   (negative: a good place) */
	int part_title;         /* first line of a part's title */
	int para_start;         /* first line of a paragraph */
	int bottom;             /* set at the foot of its page (the
				   support line closing a handout) */
	int para;               /* 1 + the ordinal of its paragraph among
				   those that may be set a line longer or
				   shorter (lay_variant), or 0 */
	int part;               /* part index for the running header, or -1 */
	int quote;              /* quote block id (rule at the left), or 0 */
	double rule_x;
	size_t run0, nruns, link0, nlinks;
	int page;               /* after pagination: page within its range,
				   then (lay_order_pages) within the book */
	double y;               /* baseline below the top of the text block */
	/* the text the line sets, for lo_page.start: the paragraph or
	 * heading (lay_fmt.src) or entry (lay_fmt.ref), and the offset of
	 * the line's first box in its text (0 on its first line) */
	const doc_node *src;
	const doc_ref *ref;
	size_t off;
} lay_vline;

/* What setting a paragraph one line shorter (tighter) or longer (looser)
 * costs in line badness, or -1 when it cannot be (blocks.c). */
typedef struct lay_variant {
	double tighter, looser;
} lay_variant;

/* Paragraphs of more items are always set at their best (looseness
 * tracks every line count: the cost grows with the square). */
enum { LAY_LOOSE_ITEMS = 3000 };
/* A book of more lines is set once, without looseness (a second setting
 * of thousands of pages costs more than it brings). */
enum { LAY_LOOSE_LINES = 8000 };

typedef struct lay_anchor {
	size_t line;            /* SIZE_MAX until placed */
	int page;
	double y;
} lay_anchor;

typedef struct lay_toc {
	int level;
	const char *title;
	int anchor;
	const doc_pos *pos;     /* the heading's */
	size_t line;            /* its contents entry's last line, or SIZE_MAX */
	size_t run;             /* that line's leader and number runs */
} lay_toc;

/* A character the fonts lack, and where it first occurs in the source
 * (line 0: only in text without a position, such as the title). */
typedef struct lay_missing {
	uint32_t cp;
	int font;
	doc_pos pos;
} lay_missing;

/* Where a word may break: at a hyphenation point (flagged, a hyphen
 * added), at the author's soft hyphen (the same), after a dash (a real
 * hyphen or an en or em dash: nothing added), inside a URL (before a full
 * stop or slash, after "//" ...: nothing added), between the syllables of
 * a URL's long word (the last resort: nothing added); END closes the last
 * piece. */
enum { LAY_BRK_END, LAY_BRK_HYPH, LAY_BRK_SHY, LAY_BRK_DASH, LAY_BRK_URL,
       LAY_BRK_URLWORD };

/* A piece of a word up to its next break, in font units of its face. */
typedef struct lay_wpiece {
	uint32_t end;           /* where the piece ends in the shaped text */
	int32_t width;          /* its glyphs' advances (shape_range) */
	int32_t pen;            /* width added when the line breaks at end
				   (the hyphen, with its kerning) */
	int32_t hang;           /* how far the line may then hang into the
				   right margin (protrusion) */
	uint8_t kind;           /* LAY_BRK_* of the break at end */
} lay_wpiece;

/* A cache entry: how a word breaks in a font, keyed by its source text
 * (soft hyphens included), font and mode, so a word met again costs one
 * lookup: shaped once, hyphenated once, its pieces measured once. */
typedef struct lay_cent {
	const char *s;
	size_t len;
	int font;
	int mode;               /* LAY_WORD_* the pieces were made for */
	const shape_run *word;  /* s shaped whole, soft hyphens removed */
	uint32_t id;            /* 1 + its index in lay.plans */
	lay_wpiece *pieces;
	size_t npieces;
	int32_t hang_left;      /* how far a line starting with it may hang
				   into the left margin, font units */
} lay_cent;

enum { LAY_WORD_URL = 1, LAY_WORD_HYPHENATE = 2 };

/* The bytes of a box's word it shows: [lay_box_from, lay_box_to). */
static inline uint32_t lay_box_from(const lay_cent *plan, const lay_boxtext *b)
{
	return b->piece ? plan->pieces[b->piece - 1].end : 0;
}

static inline uint32_t lay_box_to(const lay_cent *plan, const lay_boxtext *b)
{
	return plan->pieces[b->piece].end;
}

enum { LAY_CACHE_CHUNK = 1024 };

typedef struct lay_cache_chunk {
	struct lay_cache_chunk *older;
	size_t used;
	lay_cent e[LAY_CACHE_CHUNK];
} lay_cache_chunk;

/* Entries in chunks, found through the one hash table (base/hash.h). */
typedef struct lay_cache {
	hmap map;
	lay_cache_chunk *chunk;
} lay_cache;

/* The format of one paragraph. */
typedef struct lay_fmt {
	double left, width;     /* block offset from the text block, width */
	double first, rest;     /* extra offsets: first line, other lines */
	int align;
	int hyphenate;
	double size, leading;
	const doc_node *src;    /* for diagnostics, and lo_page.start */
	const doc_ref *ref;     /* a bibliography entry: for lo_page.start */
	const char *marker;     /* list number or bullet, hung left of left */
	int marker_elem;        /* its LO_LBL element */
	int marker_font;
	paint marker_color;
	int looseness;          /* lines more (< 0: fewer) than the best */
} lay_fmt;

/* A piece of the current paragraph's text as given to lay_text, and
 * where it lies in the paragraph's text (lo_start's offset): a box's
 * offset is its piece's plus its distance into the piece. */
typedef struct lay_piece {
	const char *text;       /* NULL: printed text that is not the
				   document's (a link's address): a line
				   that begins inside it begins at off */
	size_t box;             /* index of the piece's first box */
	size_t off;             /* byte offset of text in the paragraph's */
} lay_piece;

/* The ranges of the vertical list, in the order they are set: the body
 * first (the contents lists its headings), then the contents, the cover
 * and the back cover. A range a style does without is empty. */
enum { LAY_BODY, LAY_CONTENTS, LAY_COVER, LAY_BACK, LAY_NRANGES };

typedef struct lay_range {
	size_t first, end;      /* lines [first, end) */
	int npages;
	int base;               /* index of its first page in the book */
} lay_range;

/* The book: cover, contents, body, the notes page, blank pages (only
 * when the page count cannot be planned otherwise), back cover. */
typedef struct lay_book {
	lay_range r[LAY_NRANGES];
	int notes;              /* index of the notes page, or -1 */
	int blanks;             /* blank pages before the back cover */
	int npages;
} lay_book;

/* How a range is cut into pages (paginate.c): the book index of its
 * first page (which side it is on), and a planned page count: its pages
 * modulo `modulus` should be a residue with finite extra cost (extra[m]
 * for m pages modulo modulus; NULL: any count). */
typedef struct lay_pageplan {
	int first;
	int modulus;
	const double *extra;
} lay_pageplan;

typedef struct lay {
	const style *st;
	const doc *d;
	arena *a;
	diag_list *dl;
	face *fonts[LAY_NFONTS];
	shape_cache *shaper;    /* the run's (res_shaper) */
	shape_opts shape;       /* kerning, ligatures, the booklet's language */
	const char *font_paths[LAY_NFONTS];   /* the style's, for lo_doc */
	size_t nfonts;
	int heading_font;
	hyph *hy;
	/* the current paragraph */
	lb_item *items;
	size_t n, cap;
	lay_boxtext *boxes;     /* by the box items' ref */
	size_t nboxes, capboxes;
	lb_glue *glue;          /* by the glue items' ref: a few kinds */
	size_t nglue, capglue;
	lay_look *looks;
	size_t nlooks, caplooks;
	lay_piece *pieces;      /* the paragraph's text pieces, in order */
	size_t npieces, cappieces, text_off;
	/* output of line setting */
	lay_run *runs;
	size_t nruns, capruns;
	lay_face *faces;
	size_t nfaces, capfaces, face_hint;
	lay_rlink *rlinks;
	size_t nrlinks, caprlinks;
	lay_vline *lines;
	size_t nlines, caplines;
	lay_target *targets;
	size_t ntargets, captargets;
	lay_addr_note *addr_notes;   /* link-address = note: every note */
	size_t naddr_notes, capaddr_notes;
	size_t addr_notes_set;       /* the notes already listed */
	lay_anchor *anchors;
	size_t nanchors, capanchors;
	lay_toc *toc;
	size_t ntoc, captoc;
	lo_struct *structs;     /* the logical structure (structure.c) */
	size_t nstructs, capstructs;
	int elem;               /* the element of the text being set (runs of
				   a link belong to the link's) */
	int *ref_anchor;        /* per d->refs index */
	const char **part_titles;   /* per part, for running heads */
	const char *book_title;     /* the title, for running heads */
	double cover_image_depth;   /* the cover image's foot below the page
				       top, or 0 for none */
	int cover_figure;           /* its LO_FIGURE element */
	int nparts;
	lay_cache cache;        /* widths and hyphenation points per word */
	const lay_cent **plans; /* every word plan made, by number
				   (lay_cent.id, lay_boxtext.plan) */
	size_t nplans, capplans;
	const doc_pos *src;     /* where the text being set comes from, or
				   NULL (reported at the booklet) */
	doc_pos style_pos;      /* the style file, for its own words */
	lay_missing *missing;   /* in order of discovery */
	size_t nmissing, capmissing;
	hmap missing_map;       /* code point -> its lay_missing */
	buf text;               /* the text of the run being set */
	lo_glyph *gl;           /* and its glyphs, with their offsets */
	lo_glyph_offset *goff;
	size_t ngl, capgl;
	struct lay_frag *frags; /* the line being set, in pieces */
	size_t nfrags, capfrags;
	double last_hang;       /* right hang (pt) of the word just added */
	char *pool;             /* run texts, packed (see lay_run_text) */
	size_t pool_left;
	void *arena_owned[LAY_MAX_OWNED];   /* scratch moved into the arena */
	size_t narena_owned;
	/* vertical state: the space before the next line (the largest asked
	 * for, with its stretch and shrink), the penalty for a page break
	 * before it */
	double pending, pend_plus, pend_minus;
	int pend_penalty;
	int keep_next;
	int prev_para;
	int force_next;
	int part;
	int quote, nquotes;
	double rule_x;
	double measure, text_height;
	double foot;            /* the last baseline of a full page, below the
				   text block's top: on the body's line grid */
	/* looseness: the first layout notes each paragraph's variants; the
	 * page breaker may ask for some (loose, one entry per paragraph:
	 * -1, 0, 1), and the book is set again with them */
	size_t npara;
	lay_variant *variants;
	size_t nvariants, capvariants;
	signed char *loose;     /* the second layout's plan, or NULL */
	signed char *loose_plan;/* asked for by the first layout's pages */
	int cover_only;         /* layout_cover: the cover page alone */
	int set_once;           /* over LAY_LOOSE_LINES lines: the book is set
				   once, so no variants are noted or offered
				   (pages planned on paragraphs a line longer
				   or shorter would come out uneven) */
	size_t overfull;
} lay;

/* The word plan of box b, or NULL for a kern. */
static inline const lay_cent *lay_box_plan(const lay *L, const lay_boxtext *b)
{
	return b->plan ? L->plans[b->plan - 1] : NULL;
}

/* Scratch arrays (items, lines, runs ... freed when layout ends) grow
 * with realloc; if that fails they move into the arena (which aborts on
 * out-of-memory, the tool's one place to do so) and are remembered so
 * they are not freed. */
#define LAY_GROW(L, arr, n, cap)                                          \
	do {                                                              \
		if ((n) >= (cap)) {                                       \
			size_t nc_ = (cap) ? 2 * (cap) : 64;              \
			(arr) = lay_scratch_grow((L), (arr), (n), nc_,    \
						 sizeof *(arr));          \
			(cap) = nc_;                                      \
		}                                                         \
	} while (0)

/* Room for need elements at once (a long paragraph's runs and lines),
 * rather than by doubling, which leaves the heap full of holes. */
#define LAY_RESERVE(L, arr, n, cap, need)                                 \
	do {                                                              \
		if ((need) > (cap)) {                                     \
			size_t nc_ = 2 * (cap) > (need) ? 2 * (cap) : (need); \
			(arr) = lay_scratch_grow((L), (arr), (n), nc_,    \
						 sizeof *(arr));          \
			(cap) = nc_;                                      \
		}                                                         \
	} while (0)

/* layout.c: scratch memory (see LAY_GROW) */
void *lay_scratch_grow(lay *L, void *old, size_t n, size_t cap, size_t size);
void lay_scratch_free(lay *L, void *p);

static inline double lay_max(double a, double b) { return a > b ? a : b; }

/* Font index for bold/italic bits (1 italic, 2 bold), or the heading
 * font when heading is set. */
static inline int lay_font(const lay *L, int bits, int heading)
{
	if (heading && L->heading_font != 2)
		return L->heading_font;
	return bits & 3;
}

/* Text s[0..len) in font, shaped as lay_shape would (out of memory
 * exits). */
const shape_run *lay_shape(const lay *L, int font, const char *s, size_t len);

/* Font units of font at size, in pt. */
static inline double lay_pt(const lay *L, int font, int64_t units,
			    double size)
{
	return (double)units * size / face_units_per_em(L->fonts[font]);
}

/* The width of s[0..len) in font at size, shaped (kerning, ligatures):
 * what it takes when drawn as one piece. */
static inline double lay_width(const lay *L, int font, const char *s,
			       size_t len, double size)
{
	return lay_pt(L, font, lay_shape(L, font, s, len)->width, size);
}

static inline double lay_ascent(const lay *L, double size)
{
	return face_ascent_1000(L->fonts[0]) * size / 1000.0;
}

static inline double lay_descent(const lay *L, double size)
{
	return face_descent_1000(L->fonts[0]) * size / 1000.0;
}

/* items.c: the current paragraph's items */
void lay_inline(lay *L, doc_node *root, int bits0, int heading, double size,
		paint color, int hyphenate);
void lay_text(lay *L, const lay_look *lk, const char *s, int url,
	      int hyphenate);
void lay_check_glyphs(lay *L, int font, const char *s, size_t len);
const char *lay_strip_shy(arena *a, const char *s);
int lay_add_target(lay *L, const char *uri, int anchor);
int lay_ref_anchor(const lay *L, const doc_ref *r);
int lay_items_end(lay *L, const lay_fmt *f);
double lay_protrusion(const lay *L, uint32_t cp, int right);
void lay_items_reset(lay *L);
void lay_cache_free(lay_cache *c);

/* lines.c: breaking and setting the current paragraph */
lb_params lay_break_params(const lay *L, const lay_fmt *f,
			   const double widths[2], int l);
size_t lay_para_finish(lay *L, const lay_fmt *f);
uint32_t lay_face_index(lay *L, int font, double size, paint color);
lay_run *lay_new_run(lay *L, int font, double size, paint color);
const char *lay_run_text(lay *L, const char *s, size_t len);
const lo_glyph *lay_plain_glyphs(lay *L, int font, const char *s,
				 size_t *n, const lo_glyph_offset **offsets);

/* blocks.c: the body */
void lay_ref_anchors(lay *L);
void lay_body(lay *L);
int lay_new_anchor(lay *L);
void lay_space(lay *L, style_space s);
void lay_link_address(lay *L, const doc_node *link, const char *href,
		      const lay_look *lk);
size_t lay_finish(lay *L, const lay_fmt *f, int balance);

/* matter.c: cover, title block, contents, back cover, colophon */
void lay_cover(lay *L);
void lay_title_block(lay *L);
void lay_contents(lay *L);
void lay_contents_numbers(lay *L, int body_base);
void lay_back(lay *L);
void lay_colophon(lay *L);
const char *lay_authors(lay *L);
size_t lay_simple(lay *L, const char *text, const doc_pos *at, int font,
		  double size, double leading, paint color, double left,
		  double width, int align, double hang);
int lay_standfirst_names_authors(lay *L);

/* paginate.c */
int lay_paginate(lay *L, size_t a, size_t b, const lay_pageplan *plan);
void lay_plan_book(lay *L, lay_book *b);

/* structure.c: the logical structure */
int lay_elem(lay *L, lo_stype type, int parent);
int lay_elem_heading(lay *L, int level, int parent);
int lay_elem_parent(const lay *L, int e);
int lay_heading_level(const doc_node *n);
void lay_structs_copy(lay *L, lo_doc *lo);

/* pages.c */
lo_doc *lay_make_pages(lay *L, const lay_book *b);

#endif
