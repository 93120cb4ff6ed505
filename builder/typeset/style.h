/* style.h - a page style: every typographic number the typesetter uses
 * (page size, margins, fonts, sizes, spacing, colours, line-breaking and
 * pagination parameters), read from a plain "key = value" style file.
 * The C code holds no defaults: a missing required key is an error. */
#ifndef CHAPBOOK_STYLE_H
#define CHAPBOOK_STYLE_H

#include "base/arena.h"
#include "base/diag.h"
#include "base/color.h"

/* A vertical space that may grow by plus and give up to minus to fill a
 * page ("12pt plus 4pt minus 2pt" in a style file). */
typedef struct style_space {
	double len, plus, minus;
} style_space;

/* One heading level: size, baseline distance, space above and below. */
typedef struct style_heading {
	double size, leading;
	style_space above, below;
} style_heading;

/* What a running head shows. */
typedef enum style_head { HEAD_NONE, HEAD_TITLE, HEAD_PART } style_head;

/* Where a link's address goes when its text is not the address. */
/* A printed link's address: not at all, in brackets after its text, or
 * as a numbered note listed at the end of its part. */
typedef enum style_addr { ADDR_NONE, ADDR_AFTER, ADDR_NOTE } style_addr;

typedef struct style {
	const char *path;
	/* page, pt */
	double page_width, page_height;
	double margin_top, margin_bottom, margin_inner, margin_outer;
	/* fonts: absolute or fonts_dir-relative paths resolved at load */
	const char *font_regular, *font_italic, *font_bold, *font_bold_italic;
	const char *font_heading;      /* NULL: headings use font_bold */
	const char *hyphenation;       /* pattern file */
	int ligatures, kerning;        /* the fonts' 'liga' and 'kern' */
	/* body text */
	double body_size, body_leading;
	double para_indent;
	style_space para_space;
	double space_stretch, space_shrink;   /* fractions of the space */
	double ragged_stretch;  /* ems per space a ragged line is judged by */
	/* headings: part title, section level 1, level 2 and deeper */
	style_heading part, h1, h2;
	/* lists */
	double list_indent, list_number_gap;
	style_space list_item_space;
	const char *list_bullet;
	int keep_item_lines;           /* items up to this many lines stay whole */
	int item_split_penalty;        /* ... unless a page would stop short */
	/* experience quotes */
	double quote_indent, quote_rule_width, quote_rule_gap;
	double quote_size, quote_leading;
	style_space quote_above, quote_below;
	double quote_title_size;
	paint quote_rule_color, quote_color;
	ink quote_rule_ink, quote_ink;
	/* bibliography */
	double bib_indent, bib_size, bib_leading;
	style_space bib_space;
	int bib_ragged;                /* ragged right instead of justified */
	/* the EPUB (when this is the A5 style) embeds the faces above,
	 * subset (epub-fonts, optional, default no) */
	int epub_fonts;
	/* footer (page number) and running header */
	double footer_size, footer_baseline;   /* baseline above page bottom */
	int footer_outer;                      /* 1: at the outer edge, 0: centred */
	double header_size, header_baseline;   /* baseline below page top */
	paint header_color;
	ink header_ink;
	style_head head_left, head_right;      /* on left- and right-hand pages */
	/* colours; each NAME-color has its print colour NAME-color-cmyk
	 * (given, or ink_from_paint of the screen colour); print PDFs draw
	 * links in print_link_color */
	paint text_color, heading_color, link_color, print_link_color;
	ink text_ink, heading_ink, link_ink, print_link_ink;
	style_addr link_address;
	double link_address_scale;     /* its size, as a share of the text's */
	const char *link_notes_title;  /* the notes' heading (link-address = note) */
	/* the page plan: which pages the booklet has, how parts start, the
	 * page count a multiple of page_multiple (left-over pages a ruled
	 * notes page) */
	int facing_pages, cover_page, contents_page, back_cover;
	int part_new_page, part_short_page, page_multiple, notes_page;
	const char *notes_title;
	double notes_rule_gap, notes_rule_width;
	paint notes_rule_color;
	ink notes_rule_ink;
	/* page breaking: penalties for a page break inside an experience,
	 * between list items, before a section or a part title (negative:
	 * welcome), and the least a page mid-booklet is filled */
	int quote_break_penalty, list_break_penalty;
	int section_break_penalty, part_break_penalty;
	double min_page_fill;
	/* cover, contents and back cover */
	double cover_top, cover_title_size, cover_title_leading;
	double cover_standfirst_size, cover_standfirst_leading;
	double cover_author_size, cover_gap;
	/* the designed cover and back cover: colour fields to the bleed */
	double field_bleed;             /* how far fields run past the trim */
	paint cover_field_color, cover_title_color, cover_standfirst_color;
	ink cover_field_ink, cover_title_ink, cover_standfirst_ink;
	double cover_field_height;      /* from the top edge */
	double cover_field_pad;         /* title's last line above its foot */
	double image_max_ppi;           /* pictures embedded at most this
					   many pixels per inch (0: as given) */
	double cover_mark_size;         /* the publisher's mark */
	paint back_field_color, back_text_color;
	ink back_field_ink, back_text_ink;
	double back_field_height;       /* from the bottom edge */
	const char *contents_title;
	double contents_size, contents_leading, contents_indent;
	double contents_number_width;
	style_space contents_part_above;
	double back_size, back_leading;
	const char *back_support_label, *back_reviewed_label;
	/* line breaking */
	double tolerance;
	int line_penalty, hyphen_penalty, dash_penalty, url_penalty;
	int url_word_penalty, url_word_breaks;   /* breaks between syllables
				    of a URL's words: the penalty, and whether
				    the style allows them (the key is set) */
	int flagged_demerits, fitness_demerits, max_hyphens;
	int final_hyphen_demerits;   /* the last line but one hyphenated */
	double font_expansion;   /* glyphs widened or narrowed per justified
				    line by at most this fraction; 0: off */
	double protrusion;       /* hanging punctuation: the built-in amounts
				    (typeset/items.c) times this; 0: off */
	double emergency_stretch;   /* pt of stretch a line may borrow when
				       a paragraph cannot be set within
				       tolerance; 0: none */
	/* pagination */
	int widow_lines, orphan_lines, heading_keep_lines;
	/* printing (optional): creep per sheet for saddle stitching */
	double print_creep;
	const char *print_sheet;    /* "a4" or "letter"; NULL = a4 */
	int print_crop_marks, print_test_sheet;
	double print_bleed;
} style;

/* Parse the style file at path; font paths are resolved against
 * fonts_dir (unless absolute). Returns the style in arena a, or NULL after
 * adding "file:line: error" diagnostics (unknown keys, bad values, missing
 * required keys) to d. */
style *style_load(const char *path, const char *fonts_dir, arena *a,
		  diag_list *d);

/* Parse a style from memory (tests); path names it in messages. */
style *style_parse(const char *text, size_t len, const char *path,
		   const char *fonts_dir, arena *a, diag_list *d);

/* Sheet size for imposition by name ("a4", "letter"), landscape, in pt.
 * Returns 0, or -1 (leaving *w, *h as they were) for an unknown name. */
int style_sheet_size(const char *name, double *w, double *h);

/* Make st's pages the sheet named ("a4", "letter"), portrait (a handout
 * printed on the paper at hand). Returns 0, or -1 for an unknown name. */
int style_set_paper(style *st, const char *name);

/* The style's colours, each as its screen paint and its print ink (at
 * most max of them, into rgb[] and cmyk[]): the print colours of a PDF
 * for print. Returns the number of colours. */
size_t style_inks(const style *st, paint *rgb, ink *cmyk, size_t max);

/* A length ("12pt", "5.5mm", "0.25in") in points; 0 on success, -1 if s is
 * not a length. */
int style_parse_length(const char *s, double *out);

#endif
