/* cidfont.c - the PDF's fonts: each face a Type0/CIDFontType2 font with
 * a true subset (hb-subset, font/hbsubset.h), a CIDToGIDMap, W widths
 * (each glyph's natural advance, exact to 1/1000 of 1/1000 em; kerning
 * and justification are in the text's TJ numbers) and a ToUnicode map in
 * which each CID stands for the text its glyph shows: a ligature for its
 * letters ("ffi" as three), a hyphen added at a line break for U+00AD, a
 * word space for U+0020. CIDs are given out as text is drawn (pdf_cid);
 * the fonts are embedded once every page is drawn (pdf_finish_fonts). The
 * subsets, the costly part, are made ahead on a second thread while the
 * pages are drawn, from the glyphs of the layout's runs, and used when the
 * pages drew exactly those glyphs (else made again: the same glyphs give
 * the same subset, so the output does not depend on the thread). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/hash.h"
#include "base/utf8.h"
#include "font/hbsubset.h"
#include "render/pdf/hpdf_private.h"
#include "render/pdf/writer.h"

enum { PDF_W_RUN = 8192 };

/* The glyphs lo's runs draw in each of w's fonts, into the fonts'
 * pre_gids (sorted, .notdef included). 0, or -1 when memory runs out
 * (then nothing is made ahead). */
static int pdf_presub_glyphs(pdf_writer *w)
{
	const lo_doc *lo = w->lo;
	const size_t row = PDF_MAX_GLYPHS / 8;
	unsigned char *seen = calloc(w->nfonts ? w->nfonts : 1, row);
	if (!seen)
		return -1;
	for (size_t p = 0; p < lo->npages; p++)
		for (size_t k = 0; k < lo->pages[p].nruns; k++) {
			const lo_run *r = &lo->pages[p].runs[k];
			if (r->font < 0 || (size_t)r->font >= lo->nfonts)
				continue;
			unsigned char *s = seen + w->font_of[r->font] * row;
			for (size_t g = 0; g < r->nglyphs; g++)
				s[r->glyphs[g].gid / 8] |=
					(unsigned char)(1u << (r->glyphs[g].gid % 8));
		}
	int rc = 0;
	for (size_t i = 0; i < w->nfonts && !rc; i++) {
		pdf_font *f = &w->fonts[i];
		unsigned char *s = seen + i * row;
		size_t n = 0, b;
		s[0] |= 1;   /* .notdef, CID 0 */
		for (b = 0; b < row; b++)
			for (unsigned v = s[b]; v; v &= v - 1)
				n++;
		f->pre_gids = malloc(n * sizeof *f->pre_gids);
		f->pre_new = malloc(n * sizeof *f->pre_new);
		if (!f->pre_gids || !f->pre_new) {
			rc = -1;
			break;
		}
		for (b = 0; b < row; b++)
			for (unsigned k = 0; s[b] >> k; k++)
				if ((s[b] >> k) & 1)
					f->pre_gids[f->npre++] = (uint32_t)(b * 8 + k);
	}
	free(seen);
	return rc;
}

/* The second thread: each font's subset of its pre_gids (from the run's
 * resources: the A5 and its imposition draw the same glyphs, and so do
 * many booklets of one run). A font that
 * cannot be subset is left without (pdf_finish_font tries again, and
 * reports). */
static void *pdf_presub_main(void *arg)
{
	pdf_writer *w = arg;
	for (size_t i = 0; i < w->nfonts; i++) {
		pdf_font *f = &w->fonts[i];
		char err[256];
		if (f->npre > 1)   /* some glyph besides .notdef */
			f->pre_sub = res_font_subset(w->res, f->face, f->pre_gids,
						     f->npre, f->pre_new,
						     &f->pre_len, err, sizeof err);
	}
	return NULL;
}

/* Start making the subsets ahead; nothing when there is no memory or no
 * thread to be had (the fonts are then subset at the end). */
static void pdf_presub_start(pdf_writer *w)
{
	if (pdf_presub_glyphs(w) == 0 &&
	    pthread_create(&w->presub, NULL, pdf_presub_main, w) == 0)
		w->presub_running = 1;
}

static void pdf_presub_join(pdf_writer *w)
{
	if (w->presub_running)
		pthread_join(w->presub, NULL);
	w->presub_running = 0;
}

/* Each distinct font path once (from the run's resources), and their
 * subsets started. Returns 0, or -1 with an error naming the font. */
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
	pdf_presub_start(w);
	return 0;
}

/* Font units as the W array states them: 1/1000 em, rounded to 1/1000
 * (exact enough: 1/1000000 em), so that the text's TJ numbers, reckoned
 * from these, put glyphs exactly where layout put them. */
static double pdf_width_1000(const face *fc, int32_t units)
{
	return round((double)units * 1000000.0 / face_units_per_em(fc)) /
	       1000.0;
}

static void pdf_font_free(pdf_font *f)
{
	free(f->pre_gids);
	free(f->pre_new);
	free(f->pre_sub);
	free(f->cids);
	free(f->by_gid);
	buf_free(&f->texts);
	hmap_free(&f->others);
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
		f->by_gid = calloc(PDF_MAX_GLYPHS, sizeof *f->by_gid);
		f->cap = 256;
		f->cids = malloc(f->cap * sizeof *f->cids);
		if (!f->by_gid || !f->cids) {
			diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
				 "out of memory");
			return NULL;
		}
		/* CID 0 is .notdef, standing for nothing. */
		f->cids[0] = (pdf_cid_def){0, 0, 0, face_advance(f->face, 0),
			pdf_width_1000(f->face, face_advance(f->face, 0))};
		f->ncids = 1;
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

/* Finding a CID by its glyph and text: the table's entries are CIDs,
 * compared through the font's CID definitions. */
typedef struct pdf_cid_key {
	const pdf_font *f;
	uint32_t gid;
	const char *text;
	size_t len;
} pdf_cid_key;

static int pdf_cid_same(const pdf_font *f, size_t cid, uint32_t gid,
			const char *text, size_t len)
{
	const pdf_cid_def *d = &f->cids[cid];
	return d->gid == gid && d->len == len &&
	       !memcmp(f->texts.data + d->text, text, len);
}

static int pdf_cid_eq(const void *entry, const void *key)
{
	const pdf_cid_key *k = key;
	return pdf_cid_same(k->f, (uintptr_t)entry, k->gid, k->text, k->len);
}

static uint64_t pdf_cid_hash(uint32_t gid, const char *text, size_t len)
{
	return hash_bytes(hash_u64(HASH_SEED, gid), text, len);
}

/* Room for one more CID: 0, or -1 (reported). */
static int pdf_cid_room(pdf_writer *w, pdf_font *f)
{
	if (f->ncids >= PDF_MAX_GLYPHS) {
		diag_add(w->diags, DIAG_ERROR, f->path, 0, 0,
			 "cannot write PDF: more than %d distinct glyphs "
			 "and texts in one font", PDF_MAX_GLYPHS - 1);
		return -1;
	}
	if (f->ncids == f->cap) {
		pdf_cid_def *c = realloc(f->cids, 2 * f->cap * sizeof *c);
		if (!c) {
			diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
				 "out of memory");
			return -1;
		}
		f->cids = c;
		f->cap *= 2;
	}
	return 0;
}

/* The CID that draws glyph gid standing for text[0..len) in f, allocated
 * on first use (CIDs are numbered in order of first use). A glyph past the
 * face's last is drawn as .notdef. Returns the CID, or -1 (reported). */
long pdf_cid(pdf_writer *w, pdf_font *f, uint32_t gid, const char *text,
	     size_t len)
{
	if (gid >= face_glyph_count(f->face) || gid >= PDF_MAX_GLYPHS)
		gid = 0;
	if (len > 0xFFFF)
		len = 0xFFFF;
	size_t cid = f->by_gid[gid];
	if (cid && pdf_cid_same(f, cid, gid, text, len))
		return (long)cid;
	uint64_t h = pdf_cid_hash(gid, text, len);
	pdf_cid_key key = {f, gid, text, len};
	if (cid && (cid = (uintptr_t)hmap_get(&f->others, h, pdf_cid_eq, &key)))
		return (long)cid;
	if (pdf_cid_room(w, f))
		return -1;
	cid = f->ncids;
	int32_t adv = face_advance(f->face, gid);
	f->cids[cid] = (pdf_cid_def){(uint32_t)f->texts.len, (uint16_t)gid,
				     (uint16_t)len, adv,
				     pdf_width_1000(f->face, adv)};
	buf_put(&f->texts, text, len);
	if (!f->by_gid[gid]) {
		f->by_gid[gid] = (uint16_t)cid;
	} else if (hmap_put(&f->others, h, (void *)(uintptr_t)cid)) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		return -1;
	}
	f->ncids++;
	return (long)cid;
}

/* text[0..len) (UTF-8) as UTF-16BE hex digits into b. */
static void pdf_utf16_hex(buf *b, const char *text, size_t len)
{
	size_t i = 0, used;
	while (i < len) {
		uint16_t u[2];
		size_t nu = utf16_encode(utf8_decode(text + i, len - i, &used), u);
		i += used;
		for (size_t k = 0; k < nu; k++)
			buf_printf(b, "%04X", (unsigned)u[k]);
	}
}

/* The ToUnicode CMap: each CID to the UTF-16BE of the text it stands for
 * (several characters for a ligature), as bfchar blocks of at most 100
 * entries. A CID standing for nothing (a second glyph of one character,
 * as some scripts draw) has no entry. */
static void pdf_tounicode(const pdf_font *f, buf *b)
{
	size_t cid, k = 0, n = 0;

	for (cid = 1; cid < f->ncids; cid++)
		n += f->cids[cid].len > 0;
	buf_puts(b, "/CIDInit /ProcSet findresource begin\n"
		 "12 dict begin\n"
		 "begincmap\n"
		 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
		 "/Supplement 0 >> def\n"
		 "/CMapName /Adobe-Identity-UCS def\n"
		 "/CMapType 2 def\n"
		 "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (cid = 1; cid < f->ncids; cid++) {
		const pdf_cid_def *d = &f->cids[cid];

		if (!d->len)
			continue;
		if (k % 100 == 0)
			buf_printf(b, "%zu beginbfchar\n",
				   n - k < 100 ? n - k : 100);
		buf_printf(b, "<%04zX> <", cid);
		pdf_utf16_hex(b, f->texts.data + d->text, d->len);
		buf_puts(b, ">\n");
		k++;
		if (k % 100 == 0 || k == n)
			buf_puts(b, "endbfchar\n");
	}
	buf_puts(b, "endcmap\n"
		 "CMapName currentdict /CMap defineresource pop\n"
		 "end\nend\n");
}

/* The font's name in the PDF: a subset tag (six letters hashed from the
 * face and its CIDs, so identical input gives identical output), "+" and
 * the PostScript name. */
static void pdf_font_name(const pdf_font *f, const face_info *info,
			  char *base, size_t len)
{
	uint64_t h = hash_str(info->ps_name);
	size_t i;

	for (i = 1; i < f->ncids; i++)
		h = hash_u64(h, f->cids[i].gid);
	h = hash_bytes(h, f->texts.data, f->texts.len);
	for (i = 0; i < 6; i++) {
		base[i] = (char)('A' + h % 26);
		h /= 26;
	}
	snprintf(base + 6, len - 6, "+%s", info->ps_name);
}

/* Whether the subset made ahead holds exactly the glyphs f's CIDs draw;
 * if so, each CID's glyph in it into map. */
static int pdf_presub_fits(const pdf_font *f, uint32_t *map)
{
	if (!f->pre_sub)
		return 0;
	unsigned char *used = calloc(f->npre, 1);
	size_t nused = 0, i;
	int ok = used != NULL;
	for (i = 0; ok && i < f->ncids; i++) {
		size_t lo = 0, hi = f->npre;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (f->pre_gids[mid] < f->cids[i].gid)
				lo = mid + 1;
			else
				hi = mid;
		}
		ok = lo < f->npre && f->pre_gids[lo] == f->cids[i].gid;
		if (ok) {
			map[i] = f->pre_new[lo];
			nused += !used[lo];
			used[lo] = 1;
		}
	}
	free(used);
	return ok && nused == f->npre;
}

/* The subset font program (FontFile2) of f's glyphs, and each CID's glyph
 * in it (map, f->ncids entries): the one made ahead when it fits. NULL
 * (reported). */
static HPDF_Dict pdf_font_program(pdf_writer *w, pdf_font *f, uint32_t *map)
{
	uint32_t *gids = NULL;
	unsigned char *sub = NULL;
	size_t sublen = 0, i;
	char err[256] = "out of memory";
	HPDF_Dict ff;

	if (pdf_presub_fits(f, map)) {
		sub = f->pre_sub;
		sublen = f->pre_len;
		f->pre_sub = NULL;
	} else if ((gids = malloc(f->ncids * sizeof *gids))) {
		for (i = 0; i < f->ncids; i++)
			gids[i] = f->cids[i].gid;
		sub = hbsubset_build(f->face, gids, f->ncids, map, &sublen,
				     err, sizeof err);
	}
	free(gids);
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

/* The CIDToGIDMap stream: each CID's glyph in the subset (map), two
 * bytes each. NULL (reported). */
static HPDF_Dict pdf_cid_to_gid(pdf_writer *w, const pdf_font *f,
				const uint32_t *map)
{
	unsigned char *m = malloc(f->ncids * 2);
	HPDF_Dict s;
	size_t i;

	if (!m) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		return NULL;
	}
	for (i = 0; i < f->ncids; i++) {
		m[i * 2] = (unsigned char)(map[i] >> 8);
		m[i * 2 + 1] = (unsigned char)map[i];
	}
	s = pdf_stream(w, m, f->ncids * 2);
	free(m);
	return s;
}

/* The FontDescriptor of f, named base, with its font program ff. NULL
 * (reported). */
static HPDF_Dict pdf_font_descriptor(pdf_writer *w, const pdf_font *f,
				     const face_info *info,
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
				       face_ascent_1000(f->face)));
	PDF_TRY(w, HPDF_Dict_AddNumber(desc, "Descent",
				       face_descent_1000(f->face)));
	PDF_TRY(w, HPDF_Dict_AddNumber(desc, "CapHeight",
				       face_cap_height_1000(f->face)));
	/* No stem width in a TrueType file; the usual estimate from the
	 * weight class. */
	PDF_TRY(w, HPDF_Dict_AddNumber(desc, "StemV",
				       10 + 220 * (info->weight - 50) / 900));
	PDF_TRY(w, HPDF_Dict_Add(desc, "FontFile2", ff));
	return desc;
fail:
	return NULL;
}

/* The W array of cidfont: every CID's natural advance in 1/1000 em (a
 * real, exact to 1/1000: pdf_cid_def.width, which the text's TJ numbers
 * are reckoned from), as "first [w w ...]" runs of at most PDF_W_RUN widths
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
		PDF_TRY(w, HPDF_Array_AddReal(wa, (HPDF_REAL)f->cids[i].width));
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
	const face_info *info = face_get_info(f->face);
	char base[96];
	buf b = {0};
	uint32_t *gmap = malloc(f->ncids * sizeof *gmap);

	w->stage = "embedding the font";
	if (!gmap) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		return -1;
	}
	pdf_font_name(f, info, base, sizeof base);
	if (!(ff = pdf_font_program(w, f, gmap)) ||
	    !(map = pdf_cid_to_gid(w, f, gmap)) ||
	    !(desc = pdf_font_descriptor(w, f, info, base, ff)) ||
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
	free(gmap);
	return 0;
fail:
	buf_free(&b);
	free(gmap);
	return -1;
}

int pdf_finish_fonts(pdf_writer *w)
{
	size_t i;

	pdf_presub_join(w);
	for (i = 0; i < w->nfonts; i++)
		if (w->fonts[i].font && pdf_finish_font(w, &w->fonts[i]))
			return -1;
	return 0;
}

void pdf_free_fonts(pdf_writer *w)
{
	size_t i;

	pdf_presub_join(w);
	for (i = 0; w->fonts && i < w->nfonts; i++)
		pdf_font_free(&w->fonts[i]);
	free(w->fonts);
	free(w->font_of);
}
