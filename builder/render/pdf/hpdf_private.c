/* hpdf_private.c - reaching inside libharu 2.3.0 (see hpdf_private.h for
 * why each of these is needed). Everything that touches libharu's
 * structures (HPDF_Doc's mmgr, xref and catalog, HPDF_PageAttr, a stream
 * dictionary's filter and write hook) is here and nowhere else. */
#include "render/pdf/hpdf_private.h"

#include <stdlib.h>

#include <hpdf_catalog.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

HPDF_Dict hpriv_dict(HPDF_Doc pdf)
{
	return HPDF_Dict_New(pdf->mmgr);
}

HPDF_Dict hpriv_object(HPDF_Doc pdf)
{
	HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
	if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
		return NULL;        /* HPDF_Xref_Add freed it */
	return d;
}

HPDF_Array hpriv_array(HPDF_Doc pdf)
{
	return HPDF_Array_New(pdf->mmgr);
}

HPDF_String hpriv_string(HPDF_Doc pdf, const char *s)
{
	return HPDF_String_New(pdf->mmgr, s, NULL);
}

HPDF_Array hpriv_box(HPDF_Doc pdf, HPDF_Box box)
{
	return HPDF_Box_Array_New(pdf->mmgr, box);
}

/* Writes the filter of a stream we compressed: libharu drops any /Filter
 * entry of a stream it was not asked to compress, but calls this hook
 * while writing the dictionary. */
static HPDF_STATUS hpriv_write_flate_key(HPDF_Dict obj, HPDF_Stream out)
{
	(void)obj;
	return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Make s's stream z[0..n), declared as deflated. */
static HPDF_STATUS hpriv_set_flate(HPDF_Dict s, const void *z, size_t n)
{
	s->filter = HPDF_STREAM_FILTER_NONE;
	s->write_fn = hpriv_write_flate_key;
	return HPDF_Stream_Write(s->stream, z, (HPDF_UINT)n);
}

HPDF_Dict hpriv_flate_stream(HPDF_Doc pdf, const void *z, size_t n)
{
	HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (!s || hpriv_set_flate(s, z, n) != HPDF_OK)
		return NULL;
	return s;
}

HPDF_STATUS hpriv_page_write(HPDF_Page page, const void *data, size_t n)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	return HPDF_Stream_Write(attr->stream, data, (HPDF_UINT)n);
}

HPDF_STATUS hpriv_page_take(HPDF_Page page, unsigned char **data, size_t *n)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	HPDF_UINT size = HPDF_Stream_Size(attr->stream), got = size;
	HPDF_STATUS st;
	*data = malloc(size ? size : 1);
	*n = 0;
	if (!*data)
		return HPDF_FAILD_TO_ALLOC_MEM;
	if (size) {
		st = HPDF_Stream_Seek(attr->stream, 0, HPDF_SEEK_SET);
		if (st == HPDF_OK)
			st = HPDF_Stream_Read(attr->stream, *data, &got);
		if (st == HPDF_OK && got != size)
			st = HPDF_STREAM_EOF;
		if (st != HPDF_OK) {
			free(*data);
			*data = NULL;
			return st;
		}
	}
	HPDF_MemStream_FreeData(attr->stream);
	*n = size;
	return HPDF_OK;
}

HPDF_STATUS hpriv_page_set_flate(HPDF_Page page, const void *z, size_t n)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	return hpriv_set_flate(attr->contents, z, n);
}

HPDF_STATUS hpriv_page_label(HPDF_Doc pdf, unsigned first, HPDF_Dict label)
{
	return HPDF_Catalog_AddPageLabel(pdf->catalog, (HPDF_UINT)first, label);
}
