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
 *    needs the catalog, since HPDF_AddPageLabel always sets one;
 *  - tagged and print PDFs need catalog entries libharu has no call for
 *    (StructTreeRoot, MarkInfo, Lang, ViewerPreferences' DisplayDocTitle,
 *    Metadata, OutputIntents), an /ID in the trailer without encryption,
 *    the header's version (1.7 for PDF/UA-1, 1.6 for PDF/X-4; libharu
 *    writes 1.3), an uncompressed stream (XMP metadata) and byte
 *    strings;
 *  - a tagged PDF has an object per structure element (thousands in a
 *    long booklet), which as libharu dictionaries cost a kilobyte each
 *    (every entry holds a 128-byte key): we write their entries as text
 *    (hpriv_raw), and need the object numbers to refer to them;
 *  - HPDF_SaveToStream saves into 4 KB pieces that must then be copied
 *    out whole: we take what it writes as it writes it (hpriv_save).
 *
 * Every function returns NULL or a status other than HPDF_OK on failure,
 * with libharu's error handler called where libharu reports one. */
#ifndef CHAPBOOK_HPDF_PRIVATE_H
#define CHAPBOOK_HPDF_PRIVATE_H

#include <stddef.h>

#include <hpdf.h>

#include "base/arena.h"

/* A new dictionary: direct (written inside its parent), or indirect
 * (an object of its own, numbered in the order they are made). */
HPDF_Dict hpriv_dict(HPDF_Doc pdf);
HPDF_Dict hpriv_object(HPDF_Doc pdf);
HPDF_Array hpriv_array(HPDF_Doc pdf);
HPDF_String hpriv_string(HPDF_Doc pdf, const char *s);
/* Set key of d to the text string of s (UTF-8): UTF-16BE after a byte
 * order mark, in hex, as libharu's UTF-8 encoder writes it (without
 * that encoder, whose tables cost a fifth of a short PDF's setting up).
 * 0, or -1 out of memory. */
int hpriv_set_text(HPDF_Doc pdf, HPDF_Dict d, const char *key,
		   const char *s);
/* A byte string, written in hex. */
HPDF_Binary hpriv_binary(HPDF_Doc pdf, const void *data, size_t n);
/* An array that is an object of its own. */
HPDF_Array hpriv_array_object(HPDF_Doc pdf);
/* The document information dictionary, once an entry is set. */
HPDF_Dict hpriv_info(HPDF_Doc pdf);
/* The document catalog and the trailer dictionary. */
HPDF_Dict hpriv_catalog(HPDF_Doc pdf);
HPDF_Dict hpriv_trailer(HPDF_Doc pdf);
/* The version in the file's header. */
void hpriv_set_version(HPDF_Doc pdf, HPDF_PDFVer v);
/* A new stream object holding data[0..n) as it is (no filter). */
HPDF_Dict hpriv_raw_stream(HPDF_Doc pdf, const void *data, size_t n);
/* [left bottom right top], for TrimBox and BleedBox. */
HPDF_Array hpriv_box(HPDF_Doc pdf, HPDF_Box box);

/* Dictionary entries written as they are: text->data[off, off + len)
 * when the file is saved (text may grow and move until then; the
 * hpriv_raw itself must stay where it is). */
typedef struct hpriv_raw {
	const buf *text;
	size_t off, len;
} hpriv_raw;

/* A new object, a dictionary holding just the entries of r. */
HPDF_Dict hpriv_raw_object(HPDF_Doc pdf, const hpriv_raw *r);
/* The entries of r added to dictionary d (after its own; once per
 * dictionary, and only for dictionaries libharu writes no entries of its
 * own for at save time, such as annotations). */
HPDF_STATUS hpriv_raw_entries(HPDF_Dict d, const hpriv_raw *r);
/* The object number of an object made indirect (0 for any other). */
unsigned long hpriv_obj_num(const void *obj);

/* A new stream object holding z[0..n), already deflated (zlib format):
 * written with /Filter /FlateDecode. */
HPDF_Dict hpriv_flate_stream(HPDF_Doc pdf, const void *z, size_t n);

/* Replace the page's content stream by z[0..n), already deflated. */
HPDF_STATUS hpriv_page_set_flate(HPDF_Page page, const void *z, size_t n);

/* Save the document: put(ctx, data, n) is called with the PDF's bytes in
 * order. */
HPDF_STATUS hpriv_save(HPDF_Doc pdf,
		       void (*put)(void *ctx, const void *data, size_t n),
		       void *ctx);

/* Register label (from HPDF_PageLabel_New, possibly edited) for the pages
 * from index first on. */
HPDF_STATUS hpriv_page_label(HPDF_Doc pdf, unsigned first, HPDF_Dict label);

#endif
