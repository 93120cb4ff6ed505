/* hpdf_private.c - reaching inside libharu 2.3.0 (see hpdf_private.h for
 * why each of these is needed). Everything that touches libharu's
 * structures (HPDF_Doc's mmgr, xref and catalog, HPDF_PageAttr, a stream
 * dictionary's filter and write hook) is here and nowhere else. */
#include "render/pdf/hpdf_private.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_catalog.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "base/utf8.h"

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

int hpriv_set_text(HPDF_Doc pdf, HPDF_Dict d, const char *key,
		   const char *s)
{
	size_t n = strlen(s), used;
	/* at most two UTF-16 units per UTF-8 byte, and the mark */
	unsigned char *u = malloc(2 + 2 * n + 2), *q = u;
	if (!u)
		return -1;
	*q++ = 0xFE;
	*q++ = 0xFF;
	for (size_t i = 0; i < n; i += used) {
		uint16_t unit[2];
		size_t k = utf16_encode(utf8_decode(s + i, n - i, &used), unit);
		for (size_t j = 0; j < k; j++) {
			*q++ = (unsigned char)(unit[j] >> 8);
			*q++ = (unsigned char)unit[j];
		}
	}
	HPDF_Binary b = HPDF_Binary_New(pdf->mmgr, u, (HPDF_UINT)(q - u));
	free(u);
	return b && HPDF_Dict_Add(d, key, b) == HPDF_OK ? 0 : -1;
}

HPDF_Binary hpriv_binary(HPDF_Doc pdf, const void *data, size_t n)
{
	return HPDF_Binary_New(pdf->mmgr, (HPDF_BYTE *)data, (HPDF_UINT)n);
}

HPDF_Array hpriv_array_object(HPDF_Doc pdf)
{
	HPDF_Array a = HPDF_Array_New(pdf->mmgr);
	if (a && HPDF_Xref_Add(pdf->xref, a) != HPDF_OK)
		return NULL;        /* HPDF_Xref_Add freed it */
	return a;
}

HPDF_Dict hpriv_catalog(HPDF_Doc pdf)
{
	return pdf->catalog;
}

HPDF_Dict hpriv_info(HPDF_Doc pdf)
{
	return pdf->info;
}

HPDF_Dict hpriv_trailer(HPDF_Doc pdf)
{
	return pdf->trailer;
}

void hpriv_set_version(HPDF_Doc pdf, HPDF_PDFVer v)
{
	pdf->pdf_version = v;
}

HPDF_Dict hpriv_raw_stream(HPDF_Doc pdf, const void *data, size_t n)
{
	HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (!s)
		return NULL;
	s->filter = HPDF_STREAM_FILTER_NONE;
	if (HPDF_Stream_Write(s->stream, data, (HPDF_UINT)n) != HPDF_OK)
		return NULL;
	return s;
}

/* Writes the entries of a raw dictionary (hpriv_raw_entries), called
 * by libharu between the dictionary's own entries and its ">>". */
static HPDF_STATUS hpriv_write_raw(HPDF_Dict obj, HPDF_Stream out)
{
	const hpriv_raw *r = obj->attr;
	if (!r->len)
		return HPDF_OK;
	return HPDF_Stream_Write(out, (const HPDF_BYTE *)r->text->data + r->off,
				 (HPDF_UINT)r->len);
}

HPDF_STATUS hpriv_raw_entries(HPDF_Dict d, const hpriv_raw *r)
{
	if (d->write_fn || d->attr || d->stream)
		return HPDF_INVALID_OBJECT;
	d->attr = (void *)r;
	d->write_fn = hpriv_write_raw;
	return HPDF_OK;
}

HPDF_Dict hpriv_raw_object(HPDF_Doc pdf, const hpriv_raw *r)
{
	HPDF_Dict d = hpriv_object(pdf);
	if (d && hpriv_raw_entries(d, r) != HPDF_OK)
		return NULL;
	return d;
}

unsigned long hpriv_obj_num(const void *obj)
{
	const HPDF_Obj_Header *h = obj;
	if (!h || !(h->obj_id & HPDF_OTYPE_INDIRECT))
		return 0;
	return h->obj_id & 0x00FFFFFF;
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

HPDF_STATUS hpriv_page_set_flate(HPDF_Page page, const void *z, size_t n)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	return hpriv_set_flate(attr->contents, z, n);
}

/* Where a save goes (hpriv_save). */
typedef struct hpriv_sink {
	void (*put)(void *ctx, const void *data, size_t n);
	void *ctx;
} hpriv_sink;

/* Passes what libharu writes on to the sink the stream was made for. */
static HPDF_STATUS hpriv_put(HPDF_Stream stream, const HPDF_BYTE *ptr,
			     HPDF_UINT size)
{
	const hpriv_sink *sink = stream->attr;
	sink->put(sink->ctx, ptr, size);
	return HPDF_OK;
}

HPDF_STATUS hpriv_save(HPDF_Doc pdf,
		       void (*put)(void *ctx, const void *data, size_t n),
		       void *ctx)
{
	hpriv_sink sink = {put, ctx};
	HPDF_STATUS st;

	/* HPDF_SaveToStream writes to pdf->stream when there is one (and
	 * frees it with the document) */
	if (!pdf->stream)
		pdf->stream = HPDF_CallbackWriter_New(pdf->mmgr, hpriv_put, NULL);
	if (!pdf->stream)
		return HPDF_FAILD_TO_ALLOC_MEM;
	pdf->stream->attr = &sink;
	st = HPDF_SaveToStream(pdf);
	pdf->stream->attr = NULL;
	return st;
}

HPDF_STATUS hpriv_page_label(HPDF_Doc pdf, unsigned first, HPDF_Dict label)
{
	return HPDF_Catalog_AddPageLabel(pdf->catalog, (HPDF_UINT)first, label);
}
