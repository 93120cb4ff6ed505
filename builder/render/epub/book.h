/* book.h - the EPUB being built: the renderer's state and the helpers its
 * files share (not used outside render/epub/). epub_write (epub.c) runs
 * them in order:
 *
 *   epub.c   planning (file names, where citations live), the zip, the
 *            container and the style sheet
 *   xhtml.c  libxml2 helpers; the document tree as XHTML: the title page
 *            and one page per part
 *   nav.c    nav.xhtml (contents, landmarks) and toc.ncx
 *   opf.c    the package document (metadata, manifest, spine) and the
 *            book's identifier
 *   marks.c  the print edition's page-break markers: where they go, and
 *            written into the text
 *   cover.c  the cover image (the booklet's, or the print cover drawn)
 *            and the cover page
 *   fonts.c  the print faces, subset and embedded (epub-fonts = yes)
 */
#ifndef CHAPBOOK_EPUB_BOOK_H
#define CHAPBOOK_EPUB_BOOK_H

#include <stddef.h>

#include <libxml/tree.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/hash.h"
#include "doc/doc.h"
#include "render/epub/epub.h"

#define EPUB_XHTML_NS "http://www.w3.org/1999/xhtml"
#define EPUB_OPS_NS "http://www.idpf.org/2007/ops"
#define EPUB_OPF_NS "http://www.idpf.org/2007/opf"
#define EPUB_DC_NS "http://purl.org/dc/elements/1.1/"
#define EPUB_NCX_NS "http://www.daisy.org/z3986/2005/ncx/"
#define EPUB_CONTAINER_NS "urn:oasis:names:tc:opendocument:xmlns:container"

#define EPUB_DIR "OEBPS/"
#define EPUB_CSS "style.css"
#define EPUB_TITLE_FILE "title.xhtml"
#define EPUB_COVER_FILE "cover.xhtml"
#define EPUB_NAV_FILE "nav.xhtml"
#define EPUB_NCX_FILE "toc.ncx"
#define EPUB_OPF_FILE "package.opf"

/* One file of the zip, in the order it is stored. data is owned: freed
 * with xmlFree when from_xml, else with free. */
typedef struct epub_entry {
	const char *name;
	void *data;
	size_t len;
	int from_xml;
} epub_entry;

/* Which file holds a citation anchor: entries of st->cite_file. */
typedef struct epub_cite_file {
	const char *anchor, *file;
} epub_cite_file;

/* A page-break marker of the print edition (marks.c). */
typedef struct epub_mark {
	const char *label;            /* the page's printed number */
	const char *id;               /* its id in the book */
	const void *key;              /* the node or entry it is in, or NULL
					 for a contents page */
	size_t offset;                /* in the key's text (lo_start); 0:
					 before the node */
	size_t next;                  /* the key's next mark, or SIZE_MAX */
	const char *file;             /* where it was written, once written */
	size_t play;                  /* NCX playOrder (nav.c) */
} epub_mark;

/* A key's first and last marks, in st->mark_keys. */
typedef struct epub_mark_key {
	const void *key;
	size_t first, last;
} epub_mark_key;

/* Where a text's marks stand while it is written: the next mark of the
 * text still to write (SIZE_MAX: none) and the bytes written so far. */
typedef struct epub_mark_cursor {
	size_t next;
	size_t at;
} epub_mark_cursor;

/* The citations of one entry, in document order (the anchors its back
 * links go to). */
typedef struct epub_backs {
	const char **anchors;
	size_t n, cap;
} epub_backs;

typedef struct epub {
	const doc *d;
	const epub_options *opt;
	arena *a;
	diag_list *diags;
	const char *lang;
	const char *title;            /* plain-text book title */
	/* parts, in order: node, file name (relative to OEBPS/), title */
	const doc_node **parts;
	const char **part_file, **part_title;
	size_t nparts;
	const char *refs_file;        /* the file holding the bibliography */
	const char *bib_id;           /* id of the section holding it */
	hmap cite_file;               /* epub_cite_file by anchor */
	epub_backs *backs;            /* per entry of d->refs */
	epub_mark *marks;             /* in page order */
	size_t nmarks;
	hmap mark_keys;               /* epub_mark_key by key */
	/* the cover image (file name in OEBPS/, media type, alternative
	 * text), or NULL for none (cover.c) */
	const char *cover_file, *cover_type, *cover_alt;
	/* the entry of the cover drawn from the print cover, else 0; late
	 * while its bytes are still being drawn (opt->cover: cover.c,
	 * epub_cover_finish) */
	size_t cover_drawn;
	int cover_late;
	const char *font_files[8];    /* embedded fonts, in OEBPS/fonts/ */
	size_t nfonts;
	const char *font_paths[8];    /* the print faces (copied from print) */
	size_t nfont_paths;
	int released;                 /* opt->release called */
	idset ids;                    /* the ids only the EPUB writes, over
					 the document's (d->ids) */
	epub_entry *entries;
	size_t nentries, capentries;
	size_t css_entry;             /* the style sheet's entry */
	int oom;                      /* a libxml2 call returned NULL */
} epub;

/* One XHTML page being built. */
typedef struct epub_page {
	epub *st;
	xmlDocPtr xd;
	xmlNodePtr html, body;
	xmlNsPtr ops;                 /* the epub: namespace */
	const char *file;             /* this page's file name */
} epub_page;

typedef struct epub_toc {
	int level;            /* 0 for a part, section depth below */
	const char *label, *href;
	size_t play;          /* NCX playOrder (epub_play_order) */
} epub_toc;

/* epub.c */
int epub_entry_room(epub *st, const char *name);
/* The file holding citation anchor, or NULL. */
const char *epub_cite_file_of(const epub *st, const char *anchor);
/* A new id, unique in the whole book: from the id registry. */
const char *epub_new_id(epub *st, const char *base);
int epub_plan(epub *st);

/* xhtml.c: libxml2 helpers (a NULL parent or node makes them do nothing;
 * a failed allocation sets st->oom) */
xmlNodePtr epub_el(epub *st, xmlNodePtr parent, const char *name);
void epub_text(epub *st, xmlNodePtr parent, const char *text);
void epub_attr(epub *st, xmlNodePtr n, const char *name, const char *value);
xmlNodePtr epub_inline(epub *st, xmlNodePtr parent, const char *name);
xmlNodePtr epub_el_text(epub *st, xmlNodePtr parent, const char *name,
			const char *text);
void epub_type(epub_page *pg, xmlNodePtr n, const char *type,
	       const char *role);
int epub_add_xml(epub *st, xmlDocPtr xd, const char *name);
xmlDocPtr epub_xml_new(epub *st, const char *name, const char *ns,
		       xmlNodePtr *root);
void epub_page_new(epub *st, epub_page *pg, const char *file,
		   const char *title, const char *body_type);
xmlNodePtr epub_render(epub_page *pg, const doc_node *root, xmlNodePtr into);
int epub_write_titlepage(epub *st);
int epub_write_part(epub *st, size_t i);

/* nav.c */
size_t epub_toc_entries(epub *st, epub_toc **out);
void epub_play_order(epub *st, epub_toc *toc, size_t ntoc);
int epub_write_nav(epub *st, const epub_toc *toc, size_t ntoc);
int epub_write_ncx(epub *st, const char *uid, const epub_toc *toc,
		   size_t ntoc);

/* opf.c */
int epub_write_opf(epub *st, const char *modified);

/* cover.c: the cover image and page, when there is a cover (0), or
 * -1 after adding a diagnostic */
int epub_cover_make(epub *st);

/* cover.c: the drawn cover's bytes into its entry, when they were not
 * drawn yet at epub_cover_make (waits for them). 0, or -1 after adding a
 * diagnostic. */
int epub_cover_finish(epub *st);

/* fonts.c: the print faces subset to the characters of the XHTML pages
 * written so far, and their @font-face rules added to the style sheet
 * (entry css); nothing unless the options ask. 0, or -1 after adding a
 * diagnostic. */
int epub_fonts_make(epub *st, size_t css);
/* Copy the print faces' paths from opt->print (for epub_fonts_make). */
void epub_fonts_plan(epub *st);

/* marks.c */
/* Plan a marker for every numbered page of st->opt->print that has a
 * start (and one for each contents page, written by nav.c); ids from
 * the registry. */
void epub_marks_plan(epub *st);
/* A cursor over the marks of key (a node or entry; none: SIZE_MAX). */
epub_mark_cursor epub_marks_of(const epub *st, const void *key);
/* Write, appended to parent, the cursor's marks that stand before byte
 * end of its text. */
void epub_marks_upto(epub_page *pg, xmlNodePtr parent, epub_mark_cursor *c,
		     size_t end);
/* Append text to parent with the cursor's marks that fall inside it
 * written where they fall (moved back to the start of a word the page
 * breaks inside); the cursor moves past it. */
void epub_marks_text(epub_page *pg, xmlNodePtr parent, epub_mark_cursor *c,
		     const char *text);
/* Write mark index i, appended to parent. */
void epub_mark_write(epub_page *pg, xmlNodePtr parent, size_t i);

#endif
