/* epub.h - the EPUB 3 renderer: reads the checked document tree and writes
 * one .epub (package document, nav, NCX, title page, one XHTML file per
 * part, the style sheet), built in memory and written atomically. With
 * the A5 booklet's layout it carries the print edition's page numbers. */
#ifndef CHAPBOOK_EPUB_H
#define CHAPBOOK_EPUB_H

#include "base/diag.h"
#include "doc/doc.h"
#include "typeset/layout.h"

typedef struct epub_options {
	const char *css_path;     /* the style sheet to embed (epub.css) */
	/* seconds since 1970, UTC: dcterms:modified and every zip entry's
	 * time, so equal inputs give equal bytes */
	long long epoch;
	/* The A5 booklet as laid out, or NULL: a page-break marker where each
	 * of its numbered pages begins (lo_page.start), the page list, and
	 * the source of the page numbers in the metadata. Only read (it may
	 * be drawn into a PDF on another thread at the same time). */
	const lo_doc *print;
	/* embed print's faces (the A5 style's epub-fonts), subset */
	int embed_fonts;
	/* Called (when set) once the EPUB no longer reads print: it has
	 * taken what it needs (page starts and numbers, the cover drawn, the
	 * font paths), early in epub_write (after the zip when the cover
	 * comes late: see cover), or at its end on failure. */
	void (*release)(void *ctx);
	void *release_ctx;
	/* When set: the cover drawn ahead of time from print's cover page
	 * (epub_draw_cover on another thread). Asked first without waiting
	 * (wait 0) when the cover page is made; if it is not drawn yet, the
	 * EPUB writes the rest of the book and asks again (wait 1, which
	 * waits for that thread) when the zip comes to the cover, its last
	 * entry, reading print until then (release comes after). Returns 0 when not drawn yet (only
	 * when wait is 0), else 1 with *png a malloc'd PNG of *len bytes the
	 * EPUB takes, or NULL: then it draws print's cover itself. */
	int (*cover)(void *ctx, int wait, unsigned char **png, size_t *len);
	void *cover_ctx;
} epub_options;

/* Page page of lo (the A5 booklet's cover page, or the same page laid out
 * alone: layout_cover) drawn as the EPUB's cover image, the PNG
 * epub_write would make of it. *png malloc'd. 0, or -1 after adding to d.
 * Reads only lo; safe beside other threads. */
int epub_draw_cover(const lo_doc *lo, size_t page, unsigned char **png,
		    size_t *len, diag_list *d);

/* Write the EPUB of d to out_path. Expects check_document to have run
 * (citation anchors, refs_sorted). Returns 0 on success; on failure adds
 * diagnostics, returns -1 and leaves any existing out_path untouched. */
int epub_write(const doc *d, const epub_options *o, const char *out_path,
	       diag_list *diags);

/* The book's identifier, "urn:uuid:..." (a name-based UUID, version 5,
 * of "chapbook:IDENTIFIER:PUBLISHER" in the URL namespace): the same for
 * every edition of a booklet, whatever its content, so a corrected typo
 * is not a new book in a reader's library. Arena memory. */
const char *epub_uuid(arena *a, const char *identifier,
		      const char *publisher);

#endif
