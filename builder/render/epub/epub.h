/* epub.h - the EPUB 3 renderer: reads the checked document tree and writes
 * one .epub (package document, nav, NCX, title page, one XHTML file per
 * part, the style sheet), built in memory and written atomically. */
#ifndef CHAPBOOK_EPUB_H
#define CHAPBOOK_EPUB_H

#include "base/diag.h"
#include "doc/doc.h"

/* Write the EPUB of d to out_path. css_path is the style sheet to embed
 * (styles/epub.css); epoch (seconds since 1970, UTC) becomes
 * dcterms:modified and every zip entry's time, so equal inputs give equal
 * bytes. Expects check_document to have run (citation anchors, refs_sorted).
 * Returns 0 on success; on failure adds diagnostics, returns -1 and leaves
 * any existing out_path untouched. */
int epub_write(const doc *d, const char *css_path, long long epoch,
	       const char *out_path, diag_list *diags);

/* The book's identifier, "urn:uuid:..." (a name-based UUID, version 5, over
 * the meta identifier, the title and data). Arena memory. Exposed for
 * tests. */
const char *epub_uuid(arena *a, const char *identifier, const char *title,
		      const void *data, size_t len);

#endif
