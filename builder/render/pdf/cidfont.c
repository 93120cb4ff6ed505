/* cidfont.c - the PDF's fonts: each face a Type0/CIDFontType2 font with
 * a true subset (subset.c), a CIDToGIDMap, W widths from font.c (the
 * numbers the typesetter measured) and a ToUnicode map, so every
 * character extracts as itself. CIDs are given out as text is drawn
 * (pdf_cid); the fonts are embedded once every page is drawn
 * (pdf_finish_fonts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/hash.h"
#include "font/subset.h"
#include "render/pdf/hpdf_private.h"
#include "render/pdf/writer.h"

enum { PDF_W_RUN = 8192 };

/* Each distinct font path once (from the run's resources). Returns
 * 0, or -1 with an error naming the font. */
int pdf_load_fonts(pdf_writer *w)
{
	const lo_doc *lo = w->lo;
	size_t i, j;

	w->fonts = calloc(lo->nfonts ? lo->nfonts : 1, sizeof *w->fonts);
	w->font_of = calloc(lo->nfonts ? lo->nfonts : 1, sizeof *w->font_of);
	if (!w->fonts || !w->font_of) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		return -1;
	}
	for (i = 0; i < lo->nfonts; i++) {
		const char *path = lo->fonts[i];
		char err[512];
		pdf_font *f;

		for (j = 0; j < w->nfonts; j++)
			if (strcmp(w->fonts[j].path, path) == 0)
				break;
		w->font_of[i] = j;
		if (j < w->nfonts)
			continue;
		f = &w->fonts[w->nfonts++];
		f->path = path;
		f->face = res_font(w->res, path, err, sizeof err);
		if (!f->face) {
			diag_add(w->diags, DIAG_ERROR, path, 0, 0,
				 "cannot load font: %s", err);
			return -1;
		}
	}
	return 0;
}

static void pdf_font_free(pdf_font *f)
{
	free(f->cid_bmp);
	free(f->cps);
	free(f->gid_index);
	free(f->gids);
	free(f->gid_pos);
	hmap_free(&f->cid_astral);
}

/* The font for lo font index i; NULL on failure (reported). Its Type0
 * dictionary is created, empty, on first use (so unused faces are not
 * embedded) and filled by pdf_finish_font. */
pdf_font *pdf_font_get(pdf_writer *w, int i)
{
	pdf_font *f;

	if (i < 0 || (size_t)i >= w->lo->nfonts) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "cannot write PDF: text run uses font %d of %zu", i,
			 w->lo->nfonts);
		return NULL;
	}
	f = &w->fonts[w->font_of[i]];
	if (!f->font) {
		w->stage = "creating the font";
		f->cid_bmp = calloc(65536, sizeof *f->cid_bmp);
		f->gids = malloc(PDF_MAX_GLYPHS * sizeof *f->gids);
		f->gid_pos = calloc(PDF_MAX_GLYPHS, sizeof *f->gid_pos);
		f->cap = 256;
		f->cps = malloc(f->cap * sizeof *f->cps);
		f->gid_index = malloc(f->cap * sizeof *f->gid_index);
		if (!f->cid_bmp || !f->gids || !f->gid_pos || !f->cps ||
		    !f->gid_index) {
			diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
				 "out of memory");
			return NULL;
		}
		/* CID 0 and subset glyph 0 are .notdef. */
		f->cps[0] = 0;
		f->gid_index[0] = 0;
		f->ncids = 1;
		f->gids[0] = 0;
		f->gid_pos[0] = 1;
		f->ngids = 1;
		snprintf(f->res, sizeof f->res, "F%zu",
			 (size_t)(f - w->fonts) + 1);
		f->font = hpriv_object(w->pdf);
		if (!f->font) {
			pdf_fail(w, f->path, "no font dictionary");
			return NULL;
		}
	}
	return f;
}

/* The CID that draws code point cp in f, allocated on first use: CIDs are
 * numbered in order of first use, one per code point (so text extracts
 * exactly), and map to subset glyphs. A character the face lacks is
 * warned about once and drawn with .notdef, still extracting as itself.
 * Returns the CID, or -1 (reported). */
/* Finding the CID of a code point above the BMP: the table's entries are
 * CIDs, compared through the font's CID -> code point array. */
typedef struct pdf_cp_key {
	const uint32_t *cps;
	uint32_t cp;
} pdf_cp_key;

static int pdf_cid_eq(const void *entry, const void *key)
{
	const pdf_cp_key *k = key;
	return k->cps[(uintptr_t)entry] == k->cp;
}

long pdf_cid(pdf_writer *w, pdf_font *f, uint32_t cp)
{
	size_t cid = 0;
	uint32_t gid;
	pdf_cp_key key = {f->cps, cp};

	if (cp < 65536)
		cid = f->cid_bmp[cp];
	else
		cid = (uintptr_t)hmap_get(&f->cid_astral, hash_u64(HASH_SEED, cp),
					  pdf_cid_eq, &key);
	if (cid)
		return (long)cid;
	if (f->ncids >= PDF_MAX_GLYPHS) {
		diag_add(w->diags, DIAG_ERROR, f->path, 0, 0,
			 "cannot write PDF: more than %d distinct "
			 "characters in one font", PDF_MAX_GLYPHS - 1);
		return -1;
	}
	if (f->ncids == f->cap) {
		size_t cap = f->cap * 2;
		uint32_t *c = realloc(f->cps, cap * sizeof *c);
		uint16_t *g;

		if (c)
			f->cps = c;
		g = c ? realloc(f->gid_index, cap * sizeof *g) : NULL;
		if (!g) {
			diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
				 "out of memory");
			return -1;
		}
		f->gid_index = g;
		f->cap = cap;
	}
	/* a character the face lacks is .notdef (the typesetter has said
	 * so, at its place in the booklet) */
	gid = font_glyph_id(f->face, cp);
	if (gid >= PDF_MAX_GLYPHS)
		gid = 0;
	if (!f->gid_pos[gid]) {
		f->gids[f->ngids++] = (uint16_t)gid;
		f->gid_pos[gid] = (uint16_t)f->ngids;
	}
	cid = f->ncids;
	f->cps[cid] = cp;
	f->gid_index[cid] = (uint16_t)(f->gid_pos[gid] - 1);
	if (cp < 65536)
		f->cid_bmp[cp] = (uint16_t)cid;
	else if (hmap_put(&f->cid_astral, hash_u64(HASH_SEED, cp),
			  (void *)(uintptr_t)cid)) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		return -1;
	}
	f->ncids++;
	return (long)cid;
}

/* The ToUnicode CMap: each CID to the UTF-16BE of its code point, as
 * bfchar blocks of at most 100 entries. */
static void pdf_tounicode(const pdf_font *f, buf *b)
{
	size_t cid, k = 0, n = f->ncids - 1;

	buf_puts(b, "/CIDInit /ProcSet findresource begin\n"
		 "12 dict begin\n"
		 "begincmap\n"
		 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
		 "/Supplement 0 >> def\n"
		 "/CMapName /Adobe-Identity-UCS def\n"
		 "/CMapType 2 def\n"
		 "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (cid = 1; cid < f->ncids; cid++, k++) {
		uint32_t cp = f->cps[cid];

		if (k % 100 == 0)
			buf_printf(b, "%zu beginbfchar\n",
				   n - k < 100 ? n - k : 100);
		if (cp >= 0x10000)
			buf_printf(b, "<%04zX> <%04X%04X>\n", cid,
				   (unsigned)(0xD800 + ((cp - 0x10000) >> 10)),
				   (unsigned)(0xDC00 + (cp & 0x3FF)));
		else
			buf_printf(b, "<%04zX> <%04X>\n", cid, (unsigned)cp);
		if (k % 100 == 99 || cid + 1 == f->ncids)
			buf_puts(b, "endbfchar\n");
	}
	buf_puts(b, "endcmap\n"
		 "CMapName currentdict /CMap defineresource pop\n"
		 "end\nend\n");
}

/* The font's name in the PDF: a subset tag (six letters hashed from the
 * face and its characters, so identical input gives identical output),
 * "+" and the PostScript name. */
static void pdf_font_name(const pdf_font *f, const subset_info *info,
			  char *base, size_t len)
{
	uint64_t h = hash_str(info->ps_name);
	size_t i;

	for (i = 1; i < f->ncids; i++)
		h = hash_u64(h, f->cps[i]);
	for (i = 0; i < 6; i++) {
		base[i] = (char)('A' + h % 26);
		h /= 26;
	}
	snprintf(base + 6, len - 6, "+%s", info->ps_name);
}

/* The subset font program (FontFile2) of f's glyphs. NULL (reported). */
static HPDF_Dict pdf_font_program(pdf_writer *w, pdf_font *f)
{
	const unsigned char *ttf;
	unsigned char *sub;
	size_t len, sublen = 0;
	char err[256];
	HPDF_Dict ff;

	ttf = font_data(f->face, &len);
	sub = subset_build(ttf, len, f->gids, f->ngids, &sublen, err,
			   sizeof err);
	if (!sub) {
		diag_add(w->diags, DIAG_ERROR, f->path, 0, 0,
			 "cannot embed font: %s", err);
		return NULL;
	}
	ff = pdf_stream(w, sub, sublen);
	free(sub);
	PDF_NEED(w, ff);
	PDF_TRY(w, HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)sublen));
	return ff;
fail:
	return NULL;
}

/* The CIDToGIDMap stream: each CID's subset glyph, two bytes each. NULL
 * (reported). */
static HPDF_Dict pdf_cid_to_gid(pdf_writer *w, const pdf_font *f)
{
	unsigned char *m = malloc(f->ncids * 2);
	HPDF_Dict map;
	size_t i;

	if (!m) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		return NULL;
	}
	for (i = 0; i < f->ncids; i++) {
		m[i * 2] = (unsigned char)(f->gid_index[i] >> 8);
		m[i * 2 + 1] = (unsigned char)f->gid_index[i];
	}
	map = pdf_stream(w, m, f->ncids * 2);
	free(m);
	return map;
}

/* The FontDescriptor of f, named base, with its font program ff. NULL
 * (reported). */
static HPDF_Dict pdf_font_descriptor(pdf_writer *w, const pdf_font *f,
				     const subset_info *info,
				     const char *base, HPDF_Dict ff)
{
	HPDF_Dict desc;
	HPDF_Array bbox;
	int flags, i;

	desc = hpriv_object(w->pdf);
	PDF_NEED(w, desc);
	PDF_TRY(w, HPDF_Dict_AddName(desc, "Type", "FontDescriptor"));
	PDF_TRY(w, HPDF_Dict_AddName(desc, "FontName", base));
	flags = 32 | (info->fixed_pitch ? 1 : 0) |
		(info->italic_angle != 0 ? 64 : 0);
	PDF_TRY(w, HPDF_Dict_AddNumber(desc, "Flags", flags));
	bbox = hpriv_array(w->pdf);
	PDF_NEED(w, bbox);
	PDF_TRY(w, HPDF_Dict_Add(desc, "FontBBox", bbox));
	for (i = 0; i < 4; i++)
		PDF_TRY(w, HPDF_Array_AddNumber(bbox, info->bbox[i]));
	PDF_TRY(w, HPDF_Dict_AddReal(desc, "ItalicAngle",
				     (HPDF_REAL)info->italic_angle));
	PDF_TRY(w, HPDF_Dict_AddNumber(desc, "Ascent",
				       font_ascent(f->face)));
	PDF_TRY(w, HPDF_Dict_AddNumber(desc, "Descent",
				       font_descent(f->face)));
	PDF_TRY(w, HPDF_Dict_AddNumber(desc, "CapHeight",
				       font_cap_height(f->face)));
	/* No stem width in a TrueType file; the usual estimate from the
	 * weight class. */
	PDF_TRY(w, HPDF_Dict_AddNumber(desc, "StemV",
				       10 + 220 * (info->weight - 50) / 900));
	PDF_TRY(w, HPDF_Dict_Add(desc, "FontFile2", ff));
	return desc;
fail:
	return NULL;
}

/* The W array of cidfont: every CID's advance in 1/1000 em, as layout
 * measured it, as "first [w w ...]" runs of at most PDF_W_RUN widths
 * (libharu refuses arrays of more than 32,767 elements, and a face may
 * draw up to 65,535 characters). */
static int pdf_font_widths(pdf_writer *w, const pdf_font *f,
			   HPDF_Dict cidfont)
{
	HPDF_Array arr, wa = NULL;
	size_t i;

	arr = hpriv_array(w->pdf);
	PDF_NEED(w, arr);
	PDF_TRY(w, HPDF_Dict_Add(cidfont, "W", arr));
	for (i = 0; i < f->ncids; i++) {
		if (i % PDF_W_RUN == 0) {
			PDF_TRY(w, HPDF_Array_AddNumber(arr, (HPDF_INT32)i));
			wa = hpriv_array(w->pdf);
			PDF_NEED(w, wa);
			PDF_TRY(w, HPDF_Array_Add(arr, wa));
		}
		PDF_TRY(w, HPDF_Array_AddNumber(wa, font_glyph_advance(f->face,
			f->gids[f->gid_index[i]])));
	}
	return 0;
fail:
	return -1;
}

/* The descendant CIDFontType2 font: Identity ordering, descriptor desc,
 * CIDToGIDMap map, widths. NULL (reported). */
static HPDF_Dict pdf_cid_font(pdf_writer *w, const pdf_font *f,
			      const char *base, HPDF_Dict desc, HPDF_Dict map)
{
	HPDF_Dict cidfont, sysinfo;

	cidfont = hpriv_object(w->pdf);
	PDF_NEED(w, cidfont);
	PDF_TRY(w, HPDF_Dict_AddName(cidfont, "Type", "Font"));
	PDF_TRY(w, HPDF_Dict_AddName(cidfont, "Subtype", "CIDFontType2"));
	PDF_TRY(w, HPDF_Dict_AddName(cidfont, "BaseFont", base));
	sysinfo = hpriv_dict(w->pdf);
	PDF_NEED(w, sysinfo);
	PDF_TRY(w, HPDF_Dict_Add(cidfont, "CIDSystemInfo", sysinfo));
	PDF_TRY(w, HPDF_Dict_Add(sysinfo, "Registry",
				 hpriv_string(w->pdf, "Adobe")));
	PDF_TRY(w, HPDF_Dict_Add(sysinfo, "Ordering",
				 hpriv_string(w->pdf, "Identity")));
	PDF_TRY(w, HPDF_Dict_AddNumber(sysinfo, "Supplement", 0));
	PDF_TRY(w, HPDF_Dict_Add(cidfont, "FontDescriptor", desc));
	PDF_TRY(w, HPDF_Dict_Add(cidfont, "CIDToGIDMap", map));
	if (pdf_font_widths(w, f, cidfont))
		goto fail;
	return cidfont;
fail:
	return NULL;
}

/* Fill f's Type0 dictionary: the descendant font, the descriptor, the
 * subset font program and the ToUnicode map. Objects are made in the same
 * order every time, so identical input gives identical output. */
static int pdf_finish_font(pdf_writer *w, pdf_font *f)
{
	HPDF_Dict ff, map, desc, cidfont, tu;
	HPDF_Array arr;
	subset_info info;
	const unsigned char *ttf;
	size_t len;
	char err[256], base[96];
	buf b = {0};

	w->stage = "embedding the font";
	ttf = font_data(f->face, &len);
	if (subset_info_read(ttf, len, &info, err, sizeof err) != 0) {
		diag_add(w->diags, DIAG_ERROR, f->path, 0, 0,
			 "cannot embed font: %s", err);
		goto fail;
	}
	pdf_font_name(f, &info, base, sizeof base);
	if (!(ff = pdf_font_program(w, f)) || !(map = pdf_cid_to_gid(w, f)) ||
	    !(desc = pdf_font_descriptor(w, f, &info, base, ff)) ||
	    !(cidfont = pdf_cid_font(w, f, base, desc, map)))
		goto fail;
	pdf_tounicode(f, &b);
	tu = pdf_stream(w, b.data, b.len);
	PDF_NEED(w, tu);

	PDF_TRY(w, HPDF_Dict_AddName(f->font, "Type", "Font"));
	PDF_TRY(w, HPDF_Dict_AddName(f->font, "Subtype", "Type0"));
	PDF_TRY(w, HPDF_Dict_AddName(f->font, "BaseFont", base));
	PDF_TRY(w, HPDF_Dict_AddName(f->font, "Encoding", "Identity-H"));
	arr = hpriv_array(w->pdf);
	PDF_NEED(w, arr);
	PDF_TRY(w, HPDF_Dict_Add(f->font, "DescendantFonts", arr));
	PDF_TRY(w, HPDF_Array_Add(arr, cidfont));
	PDF_TRY(w, HPDF_Dict_Add(f->font, "ToUnicode", tu));
	buf_free(&b);
	return 0;
fail:
	buf_free(&b);
	return -1;
}

int pdf_finish_fonts(pdf_writer *w)
{
	size_t i;

	for (i = 0; i < w->nfonts; i++)
		if (w->fonts[i].font && pdf_finish_font(w, &w->fonts[i]))
			return -1;
	return 0;
}

void pdf_free_fonts(pdf_writer *w)
{
	size_t i;

	for (i = 0; w->fonts && i < w->nfonts; i++)
		pdf_font_free(&w->fonts[i]);
	free(w->fonts);
	free(w->font_of);
}
