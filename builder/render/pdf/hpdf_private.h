/* hpdf_private.h - the only places chapbook reaches inside libharu 2.3.0's
 * structures (the document's memory manager, cross-reference table and
 * catalog, a page's content stream, a stream object's filter and write
 * hook). libharu's public API cannot do what the PDF renderer needs:
 *
 *  - objects of our own (the CID font dictionaries, font program,
 *    CIDToGIDMap and ToUnicode streams) need the memory manager and the
 *    cross-reference table, which HPDF_Doc hides;
 *  - text is written as content-stream operators of our own (libharu's
 *    text API would use its own TrueType font path, which maps all 65,536
 *    code points, embeds near-whole fonts and writes a ToUnicode CMap
 *    poppler rejects), so we write into the page's content stream;
 *  - streams are deflated by us (libdeflate, five times faster than
 *    libharu's zlib at the same size), and libharu drops the /Filter of a
 *    stream it did not compress itself unless we hook its dictionary
 *    writer;
 *  - a page label without a numbering style (the cover's empty label)
 *    needs the catalog, since HPDF_AddPageLabel always sets one.
 *
 * Every function returns NULL or a status other than HPDF_OK on failure,
 * with libharu's error handler called where libharu reports one. */
#ifndef CHAPBOOK_HPDF_PRIVATE_H
#define CHAPBOOK_HPDF_PRIVATE_H

#include <stddef.h>

#include <hpdf.h>

/* A new dictionary: direct (written inside its parent), or indirect
 * (an object of its own, numbered in the order they are made). */
HPDF_Dict hpriv_dict(HPDF_Doc pdf);
HPDF_Dict hpriv_object(HPDF_Doc pdf);
HPDF_Array hpriv_array(HPDF_Doc pdf);
HPDF_String hpriv_string(HPDF_Doc pdf, const char *s);
/* [left bottom right top], for TrimBox and BleedBox. */
HPDF_Array hpriv_box(HPDF_Doc pdf, HPDF_Box box);

/* A new stream object holding z[0..n), already deflated (zlib format):
 * written with /Filter /FlateDecode. */
HPDF_Dict hpriv_flate_stream(HPDF_Doc pdf, const void *z, size_t n);

/* Append raw operators to the page's content stream. */
HPDF_STATUS hpriv_page_write(HPDF_Page page, const void *data, size_t n);

/* The page's content stream so far, read back into *data (malloc'd, the
 * caller frees) and emptied. HPDF_OK, or an error (out of memory:
 * HPDF_FAILD_TO_ALLOC_MEM). */
HPDF_STATUS hpriv_page_take(HPDF_Page page, unsigned char **data, size_t *n);

/* Replace the page's content stream by z[0..n), already deflated. */
HPDF_STATUS hpriv_page_set_flate(HPDF_Page page, const void *z, size_t n);

/* Register label (from HPDF_PageLabel_New, possibly edited) for the pages
 * from index first on. */
HPDF_STATUS hpriv_page_label(HPDF_Doc pdf, unsigned first, HPDF_Dict label);

#endif
