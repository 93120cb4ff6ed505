/* pdfx.c - what makes a print file PDF/X-4 (ISO 15930-7), beyond drawing
 * in ink: the inks of the style's colours, the registration colour
 * (Separation /All) for crop and fold marks, the output intent with the
 * compiled-in FOGRA39 profile (icc.h), and the file identifier /ID, a
 * hash of the content (the same file for the same input, never a time or
 * a random number). Trapped and GTS_PDFXVersion are in pdf.c's document
 * information, pdfxid in the XMP (xmp.c). */
#include <stdio.h>
#include <string.h>

#include "base/hash.h"
#include "render/pdf/hpdf_private.h"
#include "render/pdf/icc.h"
#include "render/pdf/writer.h"

ink pdf_ink(const pdf_writer *w, paint p)
{
	const pdf_options *o = w->o;

	for (size_t i = 0; i < o->npalette; i++)
		if (o->palette_rgb[i].r == p.r && o->palette_rgb[i].g == p.g &&
		    o->palette_rgb[i].b == p.b)
			return o->palette_ink[i];
	return ink_from_paint(p);
}

/* [/Separation /All /DeviceCMYK {all four inks at the tint}], made once. */
static HPDF_Array pdf_registration_space(pdf_writer *w)
{
	HPDF_Array cs, c0, c1, dom;
	HPDF_Dict fn;
	int i;

	if (w->registration)
		return w->registration;
	cs = hpriv_array_object(w->pdf);
	fn = hpriv_dict(w->pdf);
	c0 = hpriv_array(w->pdf);
	c1 = hpriv_array(w->pdf);
	dom = hpriv_array(w->pdf);
	PDF_NEED(w, cs);
	PDF_NEED(w, fn);
	PDF_NEED(w, c0);
	PDF_NEED(w, c1);
	PDF_NEED(w, dom);
	PDF_TRY(w, HPDF_Array_AddName(cs, "Separation"));
	PDF_TRY(w, HPDF_Array_AddName(cs, "All"));
	PDF_TRY(w, HPDF_Array_AddName(cs, "DeviceCMYK"));
	PDF_TRY(w, HPDF_Array_Add(cs, fn));
	PDF_TRY(w, HPDF_Dict_AddNumber(fn, "FunctionType", 2));
	PDF_TRY(w, HPDF_Array_AddNumber(dom, 0));
	PDF_TRY(w, HPDF_Array_AddNumber(dom, 1));
	PDF_TRY(w, HPDF_Dict_Add(fn, "Domain", dom));
	for (i = 0; i < 4; i++) {
		PDF_TRY(w, HPDF_Array_AddNumber(c0, 0));
		PDF_TRY(w, HPDF_Array_AddNumber(c1, 1));
	}
	PDF_TRY(w, HPDF_Dict_Add(fn, "C0", c0));
	PDF_TRY(w, HPDF_Dict_Add(fn, "C1", c1));
	PDF_TRY(w, HPDF_Dict_AddNumber(fn, "N", 1));
	w->registration = cs;
	return cs;
fail:
	return NULL;
}

int pdf_registration(pdf_writer *w, HPDF_Page page)
{
	HPDF_Array cs = pdf_registration_space(w);
	HPDF_Dict res, spaces;

	PDF_NEED(w, cs);
	res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
	PDF_NEED(w, res);
	spaces = HPDF_Dict_GetItem(res, "ColorSpace", HPDF_OCLASS_DICT);
	if (!spaces) {
		spaces = hpriv_dict(w->pdf);
		PDF_NEED(w, spaces);
		PDF_TRY(w, HPDF_Dict_Add(res, "ColorSpace", spaces));
	}
	if (!HPDF_Dict_GetItem(spaces, PDF_REGISTRATION, HPDF_OCLASS_ARRAY))
		PDF_TRY(w, HPDF_Dict_Add(spaces, PDF_REGISTRATION, cs));
	return 0;
fail:
	return -1;
}

int pdf_output_intent(pdf_writer *w)
{
	HPDF_Dict oi, prof;
	HPDF_Array list;

	w->stage = "adding the output intent";
	prof = pdf_stream(w, icc_output_profile, icc_output_profile_len);
	if (!prof)
		return -1;
	PDF_TRY(w, HPDF_Dict_AddNumber(prof, "N", 4));
	oi = hpriv_dict(w->pdf);
	list = hpriv_array(w->pdf);
	PDF_NEED(w, oi);
	PDF_NEED(w, list);
	PDF_TRY(w, HPDF_Dict_AddName(oi, "Type", "OutputIntent"));
	PDF_TRY(w, HPDF_Dict_AddName(oi, "S", "GTS_PDFX"));
	PDF_TRY(w, HPDF_Dict_Add(oi, "OutputConditionIdentifier",
				 hpriv_string(w->pdf, ICC_CONDITION_ID)));
	PDF_TRY(w, HPDF_Dict_Add(oi, "RegistryName",
				 hpriv_string(w->pdf, ICC_REGISTRY)));
	PDF_TRY(w, HPDF_Dict_Add(oi, "OutputCondition",
				 hpriv_string(w->pdf, ICC_CONDITION)));
	PDF_TRY(w, HPDF_Dict_Add(oi, "Info", hpriv_string(w->pdf, ICC_INFO)));
	PDF_TRY(w, HPDF_Dict_Add(oi, "DestOutputProfile", prof));
	PDF_TRY(w, HPDF_Array_Add(list, oi));
	PDF_TRY(w, HPDF_Dict_Add(hpriv_catalog(w->pdf), "OutputIntents",
				 list));
	return 0;
fail:
	return -1;
}

void pdf_id_add(pdf_writer *w, const void *data, size_t n)
{
	if (!w->o->pdfx)
		return;         /* only print files carry an /ID */
	w->id[0] = hash_bytes(w->id[0], data, n);
	w->id[1] = hash_bytes(w->id[1], data, n);
}

void pdf_id_start(pdf_writer *w)
{
	w->id[0] = HASH_SEED;
	w->id[1] = hash_u64(HASH_SEED, 0x50444658);   /* "PDFX" */
}

/* The 16 bytes of the /ID (two 64-bit hashes, big-endian). */
static void pdf_id_bytes(const pdf_writer *w, unsigned char *b)
{
	for (int i = 0; i < 16; i++)
		b[i] = (unsigned char)(w->id[i / 8] >> (56 - 8 * (i % 8)));
}

void pdf_id_uuid(const pdf_writer *w, char *s, size_t size)
{
	unsigned char b[16];

	pdf_id_bytes(w, b);
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x80);   /* version 8: custom */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);   /* RFC 4122 variant */
	snprintf(s, size, "uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4],
		 b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
		 b[14], b[15]);
}

int pdf_id_write(pdf_writer *w)
{
	unsigned char b[16];
	HPDF_Array id = hpriv_array(w->pdf);

	pdf_id_bytes(w, b);
	PDF_NEED(w, id);
	PDF_TRY(w, HPDF_Array_Add(id, hpriv_binary(w->pdf, b, sizeof b)));
	PDF_TRY(w, HPDF_Array_Add(id, hpriv_binary(w->pdf, b, sizeof b)));
	PDF_TRY(w, HPDF_Dict_Add(hpriv_trailer(w->pdf), "ID", id));
	return 0;
fail:
	return -1;
}
