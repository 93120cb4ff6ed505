/* pdf.c - the PDF renderer (see pdf.h). Owns everything libharu: the
 * document, pages, rules, link annotations, outline, page labels, document
 * info, and drawing laid-out pages onto booklet sheets for imposition
 * (order from impose.c). Text and fonts are ours, written through
 * libharu's object layer: libharu 2.3.0's TrueType path maps all 65,536
 * code points per font per document, embeds near-whole fonts and writes a
 * ToUnicode CMap poppler rejects, so each face is a Type0/CIDFontType2 font
 * with a true subset (subset.c), a CIDToGIDMap, W widths from font.c (the
 * numbers the typesetter measured) and a correct ToUnicode map, and text
 * operators go straight into the page's content stream.
 *
 * Imposition geometry: each sheet side is one landscape PDF page; the
 * laid-out pages sit either side of the vertical fold line at the sheet's
 * centre, touching it, centred vertically, scaled down only if a page does
 * not fit its half (A5 on US Letter). Each page is clipped to its half of
 * the sheet. Creep: sheet k (1 = outermost) has both its pages moved toward
 * the fold by creep * (k - 1), so the inner sheets, which stick out further
 * at the fore-edge once nested, lose no text when the booklet is trimmed.
 * Marks: fold marks are short lines on the fold at the top and bottom sheet
 * edges (in the pages' inner margins when the sheet has no margin, as A5 on
 * A4); trim marks at the outer page corners are drawn only where the sheet
 * leaves at least MARK_MIN_ROOM around the pages. */
#include "render/pdf/pdf.h"

#include <hpdf.h>
#include <hpdf_page_label.h>
#include <hpdf_pages.h>
#include <libdeflate.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/utf8.h"
#include "doc/cite.h"
#include "font/font.h"
#include "render/pdf/impose.h"
#include "base/outfile.h"
#include "font/subset.h"

#define PDF_SLUG 18.0        /* pt outside the bleed that holds crop marks */
#define MARK_GAP 3.0         /* pt between a trim/bleed edge and its mark */
#define MARK_WIDTH 0.25
#define FOLD_MARK_LEN 10.0
#define MARK_MIN_ROOM 6.0
#define TEST_TEXT_SIZE 6.0
#define OUTLINE_MAX_DEPTH 8
#define BMP_BYTES (65536 / 8)
#define PDF_DEFLATE_LEVEL 4
#define PDF_MAX_GLYPHS 65536  /* CIDs and glyph indices are 16-bit */

/* A face as this PDF uses it. Text is drawn with CIDs numbered in order
 * of first use, one per code point; each CID maps (CIDToGIDMap) to a glyph
 * of the subset font built at the end, whose glyphs are the original glyph
 * indices gids[] in order. */
typedef struct pdf_font {
	const char *path;
	font_face *face;
	HPDF_Dict font;            /* the Type0 dictionary, made on first use,
				      so unused faces are not embedded */
	char res[16];              /* resource name, "F1".. */
	uint16_t *cid_bmp;         /* BMP code point -> CID, 0 = none yet */
	uint32_t *cps;             /* CID -> code point */
	uint16_t *gid_index;       /* CID -> subset glyph */
	size_t ncids, cap;
	uint16_t *gids;            /* subset glyph -> original glyph */
	uint16_t *gid_pos;         /* original glyph -> subset glyph + 1 */
	size_t ngids;
	unsigned char warned[BMP_BYTES]; /* missing ones already reported */
} pdf_font;

/* Where a laid-out page lands: on PDF page `side`, transformed by
 * (scale, dx, dy), clipped to clip (sheet coordinates) when has_clip. */
typedef struct pdf_place {
	int side;                  /* -1: the page is not drawn */
	double scale, dx, dy;
	int has_clip;
	HPDF_Rect clip;
} pdf_place;

typedef struct pdf_writer {
	HPDF_Doc pdf;
	HPDF_STATUS err, detail;   /* first error seen by the handler */
	const char *stage;         /* what we were doing, for messages */
	const doc *d;
	const lo_doc *lo;
	const pdf_options *o;
	const char *out_path;
	diag_list *diags;
	HPDF_Encoder enc;
	pdf_font *fonts;           /* one per distinct path */
	size_t nfonts;
	size_t *font_of;           /* lo font index -> fonts[] index */
	HPDF_Page *sides;          /* the PDF pages */
	int nsides;
	pdf_place *place;          /* per laid-out page */
	struct libdeflate_compressor *deflater;
	double media_w, media_h;
} pdf_writer;

static void pdf_on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
			 void *user)
{
	pdf_writer *w = user;

	if (!w->err) {
		w->err = error_no;
		w->detail = detail_no;
	}
}

/* Report the libharu failure (or `why` if libharu reported none). */
static void pdf_fail(pdf_writer *w, const char *file, const char *why)
{
	if (w->err)
		diag_add(w->diags, DIAG_ERROR, file, 0, 0,
			 "cannot write PDF: libharu error 0x%04X (detail %u) "
			 "while %s", (unsigned)w->err, (unsigned)w->detail,
			 w->stage);
	else
		diag_add(w->diags, DIAG_ERROR, file, 0, 0,
			 "cannot write PDF: %s while %s", why, w->stage);
}

#define PDF_TRY(w, call)                                                   \
	do {                                                               \
		if ((call) != HPDF_OK) {                                   \
			pdf_fail((w), (w)->out_path, "call failed");       \
			goto fail;                                         \
		}                                                          \
	} while (0)

#define PDF_NEED(w, ptr)                                                   \
	do {                                                               \
		if (!(ptr)) {                                              \
			pdf_fail((w), (w)->out_path, "no object");         \
			goto fail;                                         \
		}                                                          \
	} while (0)

/* A colour component libharu accepts (it rejects anything outside 0..1). */
static HPDF_REAL pdf_unit(double v)
{
	return (HPDF_REAL)(v < 0 ? 0 : v > 1 ? 1 : v);
}

/* Load each distinct font path once (from the run's face cache). Returns
 * 0, or -1 with an error naming the font. */
static int pdf_load_fonts(pdf_writer *w)
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
		f->face = font_open_cached(path, err, sizeof err);
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
}

/* The font for lo font index i; NULL on failure (reported). Its Type0
 * dictionary is created, empty, on first use (so unused faces are not
 * embedded) and filled by pdf_finish_font. */
static pdf_font *pdf_font_get(pdf_writer *w, int i)
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
		f->font = HPDF_Dict_New(w->pdf->mmgr);
		if (!f->font ||
		    HPDF_Xref_Add(w->pdf->xref, f->font) != HPDF_OK) {
			f->font = NULL;
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
static long pdf_cid(pdf_writer *w, pdf_font *f, uint32_t cp)
{
	size_t cid = 0, i;
	uint32_t gid;

	if (cp < 65536) {
		cid = f->cid_bmp[cp];
	} else {
		for (i = 1; i < f->ncids; i++)
			if (f->cps[i] == cp) {
				cid = i;
				break;
			}
	}
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
	gid = font_glyph_id(f->face, cp);
	if (gid == 0 && cp >= 0x20) {
		int seen = 0;

		if (cp < 65536) {
			seen = f->warned[cp >> 3] & (1u << (cp & 7));
			f->warned[cp >> 3] |= (unsigned char)(1u << (cp & 7));
		}
		if (!seen)
			diag_add(w->diags, DIAG_WARNING, f->path, 0, 0,
				 "font has no glyph for U+%04X; it is drawn "
				 "as an empty box", (unsigned)cp);
	}
	if (gid >= PDF_MAX_GLYPHS)
		gid = 0;
	if (!f->gid_pos[gid]) {
		f->gids[f->ngids++] = (uint16_t)gid;
		f->gid_pos[gid] = (uint16_t)f->ngids;
	}
	cid = f->ncids++;
	f->cps[cid] = cp;
	f->gid_index[cid] = (uint16_t)(f->gid_pos[gid] - 1);
	if (cp < 65536)
		f->cid_bmp[cp] = (uint16_t)cid;
	return (long)cid;
}

/* A number for a content stream, rounded to 1/1000, without trailing
 * zeros or an exponent, and a space. By hand: snprintf("%.3f") was a
 * tenth of the build. */
static void pdf_num(buf *b, double v)
{
	char s[32], *e = s + sizeof s, *p = e;
	long long t;
	int neg, frac, k;

	if (!(v > -1e9 && v < 1e9))
		v = 0;
	t = llround(v * 1000);
	neg = t < 0;
	if (neg)
		t = -t;
	frac = (int)(t % 1000);
	t /= 1000;
	*--p = ' ';
	if (frac) {
		int digits[3] = {frac / 100, frac / 10 % 10, frac % 10};
		int last = 2;

		while (digits[last] == 0)
			last--;
		for (k = last; k >= 0; k--)
			*--p = (char)('0' + digits[k]);
		*--p = '.';
	}
	do {
		*--p = (char)('0' + t % 10);
		t /= 10;
	} while (t);
	if (neg)
		*--p = '-';
	buf_put(b, p, (size_t)(e - p));
}

/* Text state while a page's text object is written. */
typedef struct pdf_tstate {
	buf ops;                   /* the operators, between BT and ET */
	pdf_font *font;
	double size;
	paint color;
	int have_color;
	int in_tj;                 /* a TJ array is open */
	double y, end_x;           /* its baseline and where its text ends */
} pdf_tstate;

/* Make f's resource name valid on page. */
static int pdf_page_font(pdf_writer *w, HPDF_Page page, pdf_font *f)
{
	HPDF_Dict res, fonts;

	res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
	PDF_NEED(w, res);
	fonts = HPDF_Dict_GetItem(res, "Font", HPDF_OCLASS_DICT);
	if (!fonts) {
		fonts = HPDF_Dict_New(w->pdf->mmgr);
		PDF_NEED(w, fonts);
		PDF_TRY(w, HPDF_Dict_Add(res, "Font", fonts));
	}
	if (!HPDF_Dict_GetItem(fonts, f->res, HPDF_OCLASS_DICT))
		PDF_TRY(w, HPDF_Dict_Add(fonts, f->res, f->font));
	return 0;
fail:
	return -1;
}

/* Append the operators showing text in f at size, colour c, with its
 * baseline origin at (x, y). Runs that continue a line in the same font,
 * size and colour join one TJ array, each placed by an adjustment from
 * where the previous run ends (computed from the same widths the W array
 * states), so glyphs land exactly where layout put them and each line is
 * one positioning operator. Returns 0 or -1 (reported). */
static int pdf_show(pdf_writer *w, HPDF_Page page, pdf_tstate *ts,
		    pdf_font *f, double size, paint c, double x, double y,
		    const char *text)
{
	const char *s = text;
	double adv = 0;             /* 1/1000 em, kerning included */
	uint32_t prev = 0;          /* previous glyph of this run */
	int same_color = ts->have_color && c.r == ts->color.r &&
			 c.g == ts->color.g && c.b == ts->color.b;

	if (ts->in_tj && f == ts->font && size == ts->size && same_color &&
	    y == ts->y && x > ts->end_x - size) {
		double adj = (ts->end_x - x) * 1000 / size;

		if (adj <= -0.0005 || adj >= 0.0005)
			pdf_num(&ts->ops, adj);
	} else {
		if (ts->in_tj)
			buf_puts(&ts->ops, "] TJ\n");
		ts->in_tj = 0;
		if (f != ts->font || size != ts->size) {
			if (f != ts->font && pdf_page_font(w, page, f))
				return -1;
			buf_printf(&ts->ops, "/%s ", f->res);
			pdf_num(&ts->ops, size);
			buf_puts(&ts->ops, "Tf\n");
			ts->font = f;
			ts->size = size;
		}
		if (!same_color) {
			pdf_num(&ts->ops, pdf_unit(c.r));
			pdf_num(&ts->ops, pdf_unit(c.g));
			pdf_num(&ts->ops, pdf_unit(c.b));
			buf_puts(&ts->ops, "rg\n");
			ts->color = c;
			ts->have_color = 1;
		}
		buf_puts(&ts->ops, "1 0 0 1 ");
		pdf_num(&ts->ops, x);
		pdf_num(&ts->ops, y);
		buf_puts(&ts->ops, "Tm [");
		ts->in_tj = 1;
		ts->y = y;
	}
	/* Each CID as two bytes of a literal string (half the size of hex):
	 * parentheses and backslash escaped, CR and LF too, since a reader
	 * normalises line ends inside strings. */
	buf_put(&ts->ops, "(", 1);
	const char *end = s + strlen(s);
	while (s < end) {
		size_t used;
		long cid = pdf_cid(w, f, utf8_decode(s, (size_t)(end - s), &used));
		s += used;
		unsigned char b[2];
		char e[4];
		size_t k;

		if (cid < 0)
			return -1;
		uint32_t g = f->gids[f->gid_index[cid]];
		/* pair kerning, as font_width measured it for layout */
		double kern = prev && g ? font_kern_glyphs(f->face, prev, g) : 0;
		if (kern <= -0.0005 || kern >= 0.0005) {
			buf_put(&ts->ops, ")", 1);
			pdf_num(&ts->ops, -kern);
			buf_put(&ts->ops, "(", 1);
			adv += kern;
		}
		prev = g;
		adv += font_glyph_advance(f->face, g);
		b[0] = (unsigned char)(cid >> 8);
		b[1] = (unsigned char)cid;
		for (k = 0; k < 2; k++) {
			switch (b[k]) {
			case '(': case ')': case '\\':
				e[0] = '\\';
				e[1] = (char)b[k];
				buf_put(&ts->ops, e, 2);
				break;
			case '\r':
				buf_put(&ts->ops, "\\r", 2);
				break;
			case '\n':
				buf_put(&ts->ops, "\\n", 2);
				break;
			default:
				buf_put(&ts->ops, (const char *)&b[k], 1);
			}
		}
	}
	buf_put(&ts->ops, ")", 1);
	ts->end_x = x + adv * size / 1000;
	return 0;
}

/* Write the collected text object into page's content stream. */
static int pdf_flush_text(pdf_writer *w, HPDF_Page page, pdf_tstate *ts)
{
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;

	if (!ts->ops.len)
		return 0;
	if (ts->in_tj)
		buf_puts(&ts->ops, "] TJ\n");
	ts->in_tj = 0;
	w->stage = "drawing text";
	PDF_TRY(w, HPDF_Stream_WriteStr(attr->stream, "BT\n"));
	PDF_TRY(w, HPDF_Stream_Write(attr->stream,
				     (const HPDF_BYTE *)ts->ops.data,
				     (HPDF_UINT)ts->ops.len));
	PDF_TRY(w, HPDF_Stream_WriteStr(attr->stream, "ET\n"));
	ts->ops.len = 0;
	return 0;
fail:
	return -1;
}

/* Draw one laid-out page onto PDF page `page` as placed by pl. Returns 0,
 * or -1 (reported). */
static int pdf_draw_page(pdf_writer *w, HPDF_Page page, const lo_page *p,
			 const pdf_place *pl)
{
	size_t i;
	pdf_tstate ts;

	memset(&ts, 0, sizeof ts);
	w->stage = "drawing a page";
	PDF_TRY(w, HPDF_Page_GSave(page));
	if (pl->has_clip) {
		PDF_TRY(w, HPDF_Page_Rectangle(page, pl->clip.left,
			pl->clip.bottom, pl->clip.right - pl->clip.left,
			pl->clip.top - pl->clip.bottom));
		PDF_TRY(w, HPDF_Page_Clip(page));
		PDF_TRY(w, HPDF_Page_EndPath(page));
	}
	if (pl->scale != 1 || pl->dx != 0 || pl->dy != 0)
		PDF_TRY(w, HPDF_Page_Concat(page, (HPDF_REAL)pl->scale, 0, 0,
			(HPDF_REAL)pl->scale, (HPDF_REAL)pl->dx,
			(HPDF_REAL)pl->dy));

	for (i = 0; i < p->nrules; i++) {
		const lo_rule *r = &p->rules[i];

		PDF_TRY(w, HPDF_Page_SetLineWidth(page,
			(HPDF_REAL)(r->width > 0 ? r->width : 0)));
		PDF_TRY(w, HPDF_Page_SetRGBStroke(page, pdf_unit(r->color.r),
			pdf_unit(r->color.g), pdf_unit(r->color.b)));
		PDF_TRY(w, HPDF_Page_MoveTo(page, (HPDF_REAL)r->x0,
					    (HPDF_REAL)r->y0));
		PDF_TRY(w, HPDF_Page_LineTo(page, (HPDF_REAL)r->x1,
					    (HPDF_REAL)r->y1));
		PDF_TRY(w, HPDF_Page_Stroke(page));
	}

	/* Text: one text object per page, written straight into the
	 * content stream with our own CID font (see pdf_font). */
	w->stage = "drawing text";
	for (i = 0; i < p->nruns; i++) {
		const lo_run *r = &p->runs[i];
		pdf_font *f;

		if (!r->text || !*r->text || !(r->size > 0))
			continue;
		f = pdf_font_get(w, r->font);
		if (!f || pdf_show(w, page, &ts, f, r->size, r->color, r->x,
				   r->y, r->text))
			goto fail;
	}
	if (pdf_flush_text(w, page, &ts))
		goto fail;
	PDF_TRY(w, HPDF_Page_GRestore(page));
	buf_free(&ts.ops);
	return 0;
fail:
	buf_free(&ts.ops);
	return -1;
}

/* A URI with bytes outside printable ASCII (and space) percent-encoded.
 * Returns a malloc'd string or NULL. */
static char *pdf_uri_encode(const char *uri)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(uri), i, k = 0;
	char *out = malloc(n * 3 + 1);

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)uri[i];

		if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' ||
		    c == '>' || c == '\\' || c == '{' || c == '}' ||
		    c == '|' || c == '^' || c == '`') {
			out[k++] = '%';
			out[k++] = hex[c >> 4];
			out[k++] = hex[c & 15];
		} else {
			out[k++] = (char)c;
		}
	}
	out[k] = 0;
	return out;
}

/* A destination at height y (laid-out page coordinates) of page index
 * `page`, or NULL (reported). */
static HPDF_Destination pdf_dest(pdf_writer *w, int page, double y)
{
	const pdf_place *pl = &w->place[page];
	HPDF_Destination dst;

	dst = HPDF_Page_CreateDestination(w->sides[pl->side]);
	if (!dst) {
		pdf_fail(w, w->out_path, "no destination");
		return NULL;
	}
	if (HPDF_Destination_SetXYZ(dst, (HPDF_REAL)pl->dx,
				    (HPDF_REAL)(pl->dy + pl->scale * y),
				    1) != HPDF_OK) {
		pdf_fail(w, w->out_path, "bad destination");
		return NULL;
	}
	return dst;
}

static int pdf_dest_ok(const pdf_writer *w, int page)
{
	return page >= 0 && (size_t)page < w->lo->npages &&
	       w->place[page].side >= 0;
}

/* Link annotations of every page, after all pages exist. */
static int pdf_add_links(pdf_writer *w)
{
	size_t pi, i;
	char *uri = NULL;

	w->stage = "adding links";
	for (pi = 0; pi < w->lo->npages; pi++) {
		const lo_page *p = &w->lo->pages[pi];
		const pdf_place *pl = &w->place[pi];

		if (pl->side < 0)
			continue;
		for (i = 0; i < p->nlinks; i++) {
			const lo_link *l = &p->links[i];
			HPDF_Annotation a;
			HPDF_Rect r;

			r.left = (HPDF_REAL)(pl->dx + pl->scale * l->x0);
			r.bottom = (HPDF_REAL)(pl->dy + pl->scale * l->y0);
			r.right = (HPDF_REAL)(pl->dx + pl->scale * l->x1);
			r.top = (HPDF_REAL)(pl->dy + pl->scale * l->y1);
			if (l->uri) {
				free(uri);
				uri = pdf_uri_encode(l->uri);
				if (!uri) {
					diag_add(w->diags, DIAG_ERROR,
						 w->out_path, 0, 0,
						 "out of memory");
					goto fail;
				}
				a = HPDF_Page_CreateURILinkAnnot(
					w->sides[pl->side], r, uri);
			} else if (pdf_dest_ok(w, l->dest_page)) {
				HPDF_Destination dst =
					pdf_dest(w, l->dest_page, l->dest_y);

				if (!dst)
					goto fail;
				a = HPDF_Page_CreateLinkAnnot(
					w->sides[pl->side], r, dst);
			} else if (w->o->test_sheet && l->dest_page >= 0 &&
				   (size_t)l->dest_page < w->lo->npages) {
				continue;   /* its target is not on the test sheet */
			} else {
				diag_add(w->diags, DIAG_WARNING, w->out_path,
					 0, 0, "link on page %zu points to "
					 "missing page %d; left out", pi + 1,
					 l->dest_page);
				continue;
			}
			PDF_NEED(w, a);
			PDF_TRY(w, HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0));
		}
	}
	free(uri);
	return 0;
fail:
	free(uri);
	return -1;
}

/* The outline (bookmarks), nested by level. */
static int pdf_add_outline(pdf_writer *w)
{
	HPDF_Outline last[OUTLINE_MAX_DEPTH + 1] = {0};
	size_t i;

	w->stage = "adding the outline";
	for (i = 0; i < w->lo->noutline; i++) {
		const lo_outline *e = &w->lo->outline[i];
		int level = e->level < 1 ? 1 :
			    e->level > OUTLINE_MAX_DEPTH ? OUTLINE_MAX_DEPTH :
			    e->level;
		HPDF_Outline parent = NULL, item;
		HPDF_Destination dst;
		int l;

		if (!pdf_dest_ok(w, e->page) || !e->title)
			continue;
		for (l = level - 1; l >= 1 && !parent; l--)
			parent = last[l];
		item = HPDF_CreateOutline(w->pdf, parent, e->title, w->enc);
		PDF_NEED(w, item);
		dst = pdf_dest(w, e->page, e->y);
		if (!dst)
			goto fail;
		PDF_TRY(w, HPDF_Outline_SetDestination(item, dst));
		PDF_TRY(w, HPDF_Outline_SetOpened(item, HPDF_TRUE));
		last[level] = item;
		for (l = level + 1; l <= OUTLINE_MAX_DEPTH; l++)
			last[l] = NULL;
	}
	return 0;
fail:
	return -1;
}

/* Page labels (plain pages only: sheets have no page numbers). A range
 * with style 0 gets a label dictionary without /S: empty labels. */
static int pdf_add_labels(pdf_writer *w)
{
	size_t i;

	w->stage = "adding page labels";
	for (i = 0; i < w->lo->nlabels; i++) {
		const lo_label_range *r = &w->lo->labels[i];
		HPDF_PageNumStyle style = r->style == 'r' ?
			HPDF_PAGE_NUM_STYLE_LOWER_ROMAN :
			HPDF_PAGE_NUM_STYLE_DECIMAL;
		HPDF_Dict label;

		if (r->first < 0 || (size_t)r->first >= w->lo->npages)
			continue;
		label = HPDF_PageLabel_New(w->pdf, style,
					   r->start > 0 ? r->start : 1, NULL);
		PDF_NEED(w, label);
		if (!r->style)
			PDF_TRY(w, HPDF_Dict_RemoveElement(label, "S"));
		PDF_TRY(w, HPDF_Catalog_AddPageLabel(w->pdf->catalog,
			(HPDF_UINT)r->first, label));
	}
	return 0;
fail:
	return -1;
}

/* "Dr Susan Pawlby and Dr Lucy Findlay" in the arena (doc/cite's one
 * author-list formatter, as on the cover). */
static const char *pdf_authors(arena *a, const doc_meta *m)
{
	return cite_author_list(a, m->authors, m->nauthors);
}

/* Document information: title, authors, subject, creator, dates. The
 * document tree has no keywords, so none are written. */
static int pdf_add_info(pdf_writer *w)
{
	HPDF_Date date;
	struct tm tm;
	time_t t = (time_t)w->o->epoch;
	arena a = {0};

	w->stage = "setting document information";
	if (w->d) {
		const doc_meta *m = &w->d->meta;

		if (m->title)
			PDF_TRY(w, HPDF_SetInfoAttr(w->pdf, HPDF_INFO_TITLE,
						    m->title));
		if (m->nauthors)
			PDF_TRY(w, HPDF_SetInfoAttr(w->pdf, HPDF_INFO_AUTHOR,
						    pdf_authors(&a, m)));
		if (m->standfirst) {
			char *s = doc_plain_text(&a, m->standfirst);

			if (s && *s)
				PDF_TRY(w, HPDF_SetInfoAttr(w->pdf,
					HPDF_INFO_SUBJECT, s));
		}
	}
	if (w->o->creator) {
		PDF_TRY(w, HPDF_SetInfoAttr(w->pdf, HPDF_INFO_CREATOR,
					    w->o->creator));
		PDF_TRY(w, HPDF_SetInfoAttr(w->pdf, HPDF_INFO_PRODUCER,
			arena_printf(&a, "%s with libHaru %s", w->o->creator,
				     HPDF_GetVersion())));
	}
	if (!gmtime_r(&t, &tm)) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "cannot write PDF: date %lld out of range",
			 w->o->epoch);
		goto fail;
	}
	memset(&date, 0, sizeof date);
	date.year = tm.tm_year + 1900;
	date.month = tm.tm_mon + 1;
	date.day = tm.tm_mday;
	date.hour = tm.tm_hour;
	date.minutes = tm.tm_min;
	date.seconds = tm.tm_sec > 59 ? 59 : tm.tm_sec;
	date.ind = 'Z';
	PDF_TRY(w, HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, date));
	PDF_TRY(w, HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, date));
	arena_free(&a);
	return 0;
fail:
	arena_free(&a);
	return -1;
}

/* Writes the filter of a stream we compressed: libharu drops any /Filter
 * entry of a stream it was not asked to compress, but calls this hook
 * while writing the dictionary. */
static HPDF_STATUS pdf_write_flate_key(HPDF_Dict obj, HPDF_Stream out)
{
	(void)obj;
	return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

/* Put data into stream object s deflated (zlib format, /FlateDecode).
 * We compress rather than libharu: libdeflate at level 4 makes files within
 * 2% of zlib's level 6 in a fifth of the time. */
static int pdf_deflate_into(pdf_writer *w, HPDF_Dict s, const void *data,
			    size_t len)
{
	size_t cap = libdeflate_zlib_compress_bound(w->deflater, len), n;
	unsigned char *z = malloc(cap ? cap : 1);

	if (!z) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		return -1;
	}
	n = libdeflate_zlib_compress(w->deflater, data, len, z, cap);
	s->filter = HPDF_STREAM_FILTER_NONE;
	s->write_fn = pdf_write_flate_key;
	if (!n || HPDF_Stream_Write(s->stream, z, (HPDF_UINT)n) != HPDF_OK) {
		free(z);
		pdf_fail(w, w->out_path, "compression failed");
		return -1;
	}
	free(z);
	return 0;
}

/* A new stream object holding data, deflated. */
static HPDF_Dict pdf_stream(pdf_writer *w, const void *data, size_t len)
{
	HPDF_Dict s = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);

	if (!s || pdf_deflate_into(w, s, data, len))
		return NULL;
	return s;
}

/* Deflate each page's finished content stream in place. */
static int pdf_deflate_pages(pdf_writer *w)
{
	int i;

	w->stage = "compressing pages";
	for (i = 0; i < w->nsides; i++) {
		HPDF_PageAttr attr = (HPDF_PageAttr)w->sides[i]->attr;
		HPDF_UINT n = HPDF_Stream_Size(attr->stream), got = n;
		HPDF_BYTE *raw = malloc(n ? n : 1);
		int rc;

		if (!raw) {
			diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
				 "out of memory");
			return -1;
		}
		if (n && (HPDF_Stream_Seek(attr->stream, 0, HPDF_SEEK_SET) !=
			  HPDF_OK ||
			  HPDF_Stream_Read(attr->stream, raw, &got) != HPDF_OK ||
			  got != n)) {
			free(raw);
			pdf_fail(w, w->out_path, "cannot read a page back");
			return -1;
		}
		HPDF_MemStream_FreeData(attr->stream);
		rc = pdf_deflate_into(w, attr->contents, raw, n);
		free(raw);
		if (rc)
			return -1;
	}
	return 0;
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

/* Fill f's Type0 dictionary: the descendant CIDFontType2 with its widths
 * and CIDToGIDMap, the descriptor, the subset font program and the
 * ToUnicode map. The subset tag is a hash of the face and the characters,
 * so identical input gives identical output. */
static int pdf_finish_font(pdf_writer *w, pdf_font *f)
{
	HPDF_MMgr mm = w->pdf->mmgr;
	HPDF_Dict cidfont, desc, sysinfo, ff, map, tu;
	HPDF_Array arr, wa, bbox;
	subset_info info;
	const unsigned char *ttf;
	unsigned char *sub = NULL, *m = NULL;
	size_t len, sublen = 0, i;
	char err[256], base[96];
	uint32_t h = 2166136261u;
	buf b = {0};
	int flags;

	w->stage = "embedding the font";
	ttf = font_data(f->face, &len);
	if (subset_info_read(ttf, len, &info, err, sizeof err) != 0 ||
	    !(sub = subset_build(ttf, len, f->gids, f->ngids, &sublen, err,
				 sizeof err))) {
		diag_add(w->diags, DIAG_ERROR, f->path, 0, 0,
			 "cannot embed font: %s", err);
		goto fail;
	}
	for (i = 0; info.ps_name[i]; i++)
		h = (h ^ (unsigned char)info.ps_name[i]) * 16777619u;
	for (i = 1; i < f->ncids; i++)
		h = (h ^ f->cps[i]) * 16777619u;
	for (i = 0; i < 6; i++) {
		base[i] = (char)('A' + h % 26);
		h /= 26;
	}
	snprintf(base + 6, sizeof base - 6, "+%s", info.ps_name);

	/* The font program and the CID -> glyph map. */
	ff = pdf_stream(w, sub, sublen);
	PDF_NEED(w, ff);
	PDF_TRY(w, HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)sublen));
	m = malloc(f->ncids * 2);
	if (!m) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		goto fail;
	}
	for (i = 0; i < f->ncids; i++) {
		m[i * 2] = (unsigned char)(f->gid_index[i] >> 8);
		m[i * 2 + 1] = (unsigned char)f->gid_index[i];
	}
	map = pdf_stream(w, m, f->ncids * 2);
	PDF_NEED(w, map);

	desc = HPDF_Dict_New(mm);
	PDF_NEED(w, desc);
	PDF_TRY(w, HPDF_Xref_Add(w->pdf->xref, desc));
	PDF_TRY(w, HPDF_Dict_AddName(desc, "Type", "FontDescriptor"));
	PDF_TRY(w, HPDF_Dict_AddName(desc, "FontName", base));
	flags = 32 | (info.fixed_pitch ? 1 : 0) |
		(info.italic_angle != 0 ? 64 : 0);
	PDF_TRY(w, HPDF_Dict_AddNumber(desc, "Flags", flags));
	bbox = HPDF_Array_New(mm);
	PDF_NEED(w, bbox);
	PDF_TRY(w, HPDF_Dict_Add(desc, "FontBBox", bbox));
	for (i = 0; i < 4; i++)
		PDF_TRY(w, HPDF_Array_AddNumber(bbox, info.bbox[i]));
	PDF_TRY(w, HPDF_Dict_AddReal(desc, "ItalicAngle",
				     (HPDF_REAL)info.italic_angle));
	PDF_TRY(w, HPDF_Dict_AddNumber(desc, "Ascent",
				       font_ascent(f->face)));
	PDF_TRY(w, HPDF_Dict_AddNumber(desc, "Descent",
				       font_descent(f->face)));
	PDF_TRY(w, HPDF_Dict_AddNumber(desc, "CapHeight",
				       font_cap_height(f->face)));
	/* No stem width in a TrueType file; the usual estimate from the
	 * weight class. */
	PDF_TRY(w, HPDF_Dict_AddNumber(desc, "StemV",
				       10 + 220 * (info.weight - 50) / 900));
	PDF_TRY(w, HPDF_Dict_Add(desc, "FontFile2", ff));

	cidfont = HPDF_Dict_New(mm);
	PDF_NEED(w, cidfont);
	PDF_TRY(w, HPDF_Xref_Add(w->pdf->xref, cidfont));
	PDF_TRY(w, HPDF_Dict_AddName(cidfont, "Type", "Font"));
	PDF_TRY(w, HPDF_Dict_AddName(cidfont, "Subtype", "CIDFontType2"));
	PDF_TRY(w, HPDF_Dict_AddName(cidfont, "BaseFont", base));
	sysinfo = HPDF_Dict_New(mm);
	PDF_NEED(w, sysinfo);
	PDF_TRY(w, HPDF_Dict_Add(cidfont, "CIDSystemInfo", sysinfo));
	PDF_TRY(w, HPDF_Dict_Add(sysinfo, "Registry",
				 HPDF_String_New(mm, "Adobe", NULL)));
	PDF_TRY(w, HPDF_Dict_Add(sysinfo, "Ordering",
				 HPDF_String_New(mm, "Identity", NULL)));
	PDF_TRY(w, HPDF_Dict_AddNumber(sysinfo, "Supplement", 0));
	PDF_TRY(w, HPDF_Dict_Add(cidfont, "FontDescriptor", desc));
	PDF_TRY(w, HPDF_Dict_Add(cidfont, "CIDToGIDMap", map));
	/* Widths: one run from CID 0, in 1/1000 em as layout measured. */
	arr = HPDF_Array_New(mm);
	PDF_NEED(w, arr);
	PDF_TRY(w, HPDF_Dict_Add(cidfont, "W", arr));
	PDF_TRY(w, HPDF_Array_AddNumber(arr, 0));
	wa = HPDF_Array_New(mm);
	PDF_NEED(w, wa);
	PDF_TRY(w, HPDF_Array_Add(arr, wa));
	for (i = 0; i < f->ncids; i++)
		PDF_TRY(w, HPDF_Array_AddNumber(wa, font_glyph_advance(f->face,
			f->gids[f->gid_index[i]])));

	pdf_tounicode(f, &b);
	tu = pdf_stream(w, b.data, b.len);
	PDF_NEED(w, tu);

	PDF_TRY(w, HPDF_Dict_AddName(f->font, "Type", "Font"));
	PDF_TRY(w, HPDF_Dict_AddName(f->font, "Subtype", "Type0"));
	PDF_TRY(w, HPDF_Dict_AddName(f->font, "BaseFont", base));
	PDF_TRY(w, HPDF_Dict_AddName(f->font, "Encoding", "Identity-H"));
	arr = HPDF_Array_New(mm);
	PDF_NEED(w, arr);
	PDF_TRY(w, HPDF_Dict_Add(f->font, "DescendantFonts", arr));
	PDF_TRY(w, HPDF_Array_Add(arr, cidfont));
	PDF_TRY(w, HPDF_Dict_Add(f->font, "ToUnicode", tu));
	free(sub);
	free(m);
	buf_free(&b);
	return 0;
fail:
	free(sub);
	free(m);
	buf_free(&b);
	return -1;
}

/* Plain pages: one PDF page per laid-out page, with bleed and crop
 * marks. */
static int pdf_plain_pages(pdf_writer *w)
{
	const lo_doc *lo = w->lo;
	double bleed = w->o->bleed > 0 ? w->o->bleed : 0;
	double slug = w->o->crop_marks ? PDF_SLUG : 0;
	double off = bleed + slug;
	size_t i;

	w->media_w = lo->width + 2 * off;
	w->media_h = lo->height + 2 * off;
	for (i = 0; i < lo->npages; i++) {
		HPDF_Page page;

		w->stage = "creating a page";
		page = HPDF_AddPage(w->pdf);
		PDF_NEED(w, page);
		w->sides[i] = page;
		PDF_TRY(w, HPDF_Page_SetWidth(page, (HPDF_REAL)w->media_w));
		PDF_TRY(w, HPDF_Page_SetHeight(page, (HPDF_REAL)w->media_h));
		if (off > 0) {
			HPDF_Box trim = { (HPDF_REAL)off, (HPDF_REAL)off,
				(HPDF_REAL)(off + lo->width),
				(HPDF_REAL)(off + lo->height) };
			HPDF_Box bl = { (HPDF_REAL)slug, (HPDF_REAL)slug,
				(HPDF_REAL)(w->media_w - slug),
				(HPDF_REAL)(w->media_h - slug) };
			HPDF_Array ta = HPDF_Box_Array_New(w->pdf->mmgr, trim);
			HPDF_Array ba;

			PDF_NEED(w, ta);
			PDF_TRY(w, HPDF_Dict_Add(page, "TrimBox", ta));
			ba = HPDF_Box_Array_New(w->pdf->mmgr, bl);
			PDF_NEED(w, ba);
			PDF_TRY(w, HPDF_Dict_Add(page, "BleedBox", ba));
		}
		w->place[i].side = (int)i;
		w->place[i].scale = 1;
		w->place[i].dx = off;
		w->place[i].dy = off;
		if (pdf_draw_page(w, page, &lo->pages[i], &w->place[i]))
			goto fail;
		if (w->o->crop_marks) {
			double x[2] = { off, off + lo->width };
			double y[2] = { off, off + lo->height };
			double g = bleed + MARK_GAP, len = slug - MARK_GAP;
			int cx, cy;

			w->stage = "drawing crop marks";
			PDF_TRY(w, HPDF_Page_SetLineWidth(page, MARK_WIDTH));
			PDF_TRY(w, HPDF_Page_SetRGBStroke(page, 0, 0, 0));
			for (cx = 0; cx < 2; cx++)
				for (cy = 0; cy < 2; cy++) {
					double sx = cx ? 1 : -1;
					double sy = cy ? 1 : -1;

					PDF_TRY(w, HPDF_Page_MoveTo(page,
						(HPDF_REAL)(x[cx] + sx * g),
						(HPDF_REAL)y[cy]));
					PDF_TRY(w, HPDF_Page_LineTo(page,
						(HPDF_REAL)(x[cx] + sx *
							    (g + len)),
						(HPDF_REAL)y[cy]));
					PDF_TRY(w, HPDF_Page_MoveTo(page,
						(HPDF_REAL)x[cx],
						(HPDF_REAL)(y[cy] + sy * g)));
					PDF_TRY(w, HPDF_Page_LineTo(page,
						(HPDF_REAL)x[cx],
						(HPDF_REAL)(y[cy] + sy *
							    (g + len))));
				}
			PDF_TRY(w, HPDF_Page_Stroke(page));
		}
	}
	return 0;
fail:
	return -1;
}

/* Fold and trim marks on one sheet side (see the top of the file). */
static int pdf_sheet_marks(pdf_writer *w, HPDF_Page page, double px0,
			   double px1, double py0, double py1)
{
	double sw = w->media_w, sh = w->media_h, fold = sw / 2;
	double len;

	w->stage = "drawing sheet marks";
	PDF_TRY(w, HPDF_Page_SetLineWidth(page, MARK_WIDTH));
	PDF_TRY(w, HPDF_Page_SetRGBStroke(page, 0, 0, 0));
	len = py0 >= MARK_MIN_ROOM ? py0 - MARK_GAP : FOLD_MARK_LEN;
	PDF_TRY(w, HPDF_Page_MoveTo(page, (HPDF_REAL)fold, 0));
	PDF_TRY(w, HPDF_Page_LineTo(page, (HPDF_REAL)fold, (HPDF_REAL)len));
	PDF_TRY(w, HPDF_Page_MoveTo(page, (HPDF_REAL)fold, (HPDF_REAL)sh));
	PDF_TRY(w, HPDF_Page_LineTo(page, (HPDF_REAL)fold,
				    (HPDF_REAL)(sh - len)));
	if (py0 >= MARK_MIN_ROOM) {
		/* Vertical trim marks below and above the outer edges. */
		double xs[2] = { px0, px1 };
		int i;

		for (i = 0; i < 2; i++) {
			PDF_TRY(w, HPDF_Page_MoveTo(page, (HPDF_REAL)xs[i], 0));
			PDF_TRY(w, HPDF_Page_LineTo(page, (HPDF_REAL)xs[i],
				(HPDF_REAL)(py0 - MARK_GAP)));
			PDF_TRY(w, HPDF_Page_MoveTo(page, (HPDF_REAL)xs[i],
						    (HPDF_REAL)sh));
			PDF_TRY(w, HPDF_Page_LineTo(page, (HPDF_REAL)xs[i],
				(HPDF_REAL)(py1 + MARK_GAP)));
		}
	}
	if (px0 >= MARK_MIN_ROOM) {
		/* Horizontal trim marks beside the top and bottom edges. */
		double ys[2] = { py0, py1 };
		int i;

		for (i = 0; i < 2; i++) {
			PDF_TRY(w, HPDF_Page_MoveTo(page, 0, (HPDF_REAL)ys[i]));
			PDF_TRY(w, HPDF_Page_LineTo(page,
				(HPDF_REAL)(px0 - MARK_GAP),
				(HPDF_REAL)ys[i]));
			PDF_TRY(w, HPDF_Page_MoveTo(page, (HPDF_REAL)sw,
						    (HPDF_REAL)ys[i]));
			PDF_TRY(w, HPDF_Page_LineTo(page,
				(HPDF_REAL)(px1 + MARK_GAP),
				(HPDF_REAL)ys[i]));
		}
	}
	PDF_TRY(w, HPDF_Page_Stroke(page));
	return 0;
fail:
	return -1;
}

/* The test sheet's marks: "sheet 1 front/back" by the fold, in the bottom
 * margin if the sheet has one, else centred in the gutter (the pages'
 * inner margins) near the top; on the front, a line telling the reader how
 * to print it (left of the fold, or centred under the label). */
#define TEST_SHEET_HOWTO "Test sheet: print double-sided, flip on short " \
	"edge, actual size (100%). Page 1 should back onto page 2."
static int pdf_sheet_label(pdf_writer *w, HPDF_Page page, int side,
			   double py0)
{
	char text[48];
	pdf_font *f;
	pdf_tstate ts;
	double tw, hw;
	double x, y, hx, hy;
	int bottom = py0 >= TEST_TEXT_SIZE + 2 * MARK_GAP;
	static const paint black = {0, 0, 0};

	if (w->lo->nfonts == 0)
		return 0;
	memset(&ts, 0, sizeof ts);
	snprintf(text, sizeof text, "sheet %d %s", side / 2 + 1,
		 side % 2 ? "back" : "front");
	f = pdf_font_get(w, 0);
	if (!f)
		goto fail;
	w->stage = "drawing the sheet label";
	tw = font_width(f->face, text, strlen(text), TEST_TEXT_SIZE);
	hw = font_width(f->face, TEST_SHEET_HOWTO, strlen(TEST_SHEET_HOWTO),
			TEST_TEXT_SIZE);
	if (bottom) {
		/* Bottom margin, just right of the fold mark. */
		x = w->media_w / 2 + MARK_GAP;
		y = (py0 - TEST_TEXT_SIZE) / 2;
		hx = w->media_w / 2 - MARK_GAP - hw;
		hy = y;
	} else {
		/* Gutter, centred under the top fold mark. */
		x = w->media_w / 2 - tw / 2;
		y = w->media_h - FOLD_MARK_LEN - MARK_GAP - TEST_TEXT_SIZE;
		hx = w->media_w / 2 - hw / 2;
		hy = y - TEST_TEXT_SIZE - 2;
	}
	if (pdf_show(w, page, &ts, f, TEST_TEXT_SIZE, black, x, y, text))
		goto fail;
	if (side == 0 && pdf_show(w, page, &ts, f, TEST_TEXT_SIZE, black,
				  hx, hy, TEST_SHEET_HOWTO))
		goto fail;
	if (pdf_flush_text(w, page, &ts))
		goto fail;
	buf_free(&ts.ops);
	return 0;
fail:
	buf_free(&ts.ops);
	return -1;
}

/* Imposed booklet: two laid-out pages per sheet side. */
static int pdf_imposed_pages(pdf_writer *w)
{
	const lo_doc *lo = w->lo;
	int npages = (int)lo->npages;
	int last_back = npages > 0 && lo->pages[npages - 1].kind == LO_BACK;
	int *seq = NULL, n, side, pos;
	double sw = w->media_w, sh = w->media_h, half = sw / 2;
	double scale = 1, pw, ph, py0;

	n = impose_padded_count(npages);
	seq = malloc((size_t)(n ? n : 1) * sizeof *seq);
	if (!seq) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		goto fail;
	}
	impose_pad(npages, last_back, seq);
	if (lo->width * scale > half)
		scale = half / lo->width;
	if (lo->height * scale > sh)
		scale = sh / lo->height;
	pw = lo->width * scale;
	ph = lo->height * scale;
	py0 = (sh - ph) / 2;

	for (side = 0; side < w->nsides; side++) {
		HPDF_Page page;
		double creep = w->o->creep * (side / 2);

		w->stage = "creating a sheet";
		page = HPDF_AddPage(w->pdf);
		PDF_NEED(w, page);
		w->sides[side] = page;
		PDF_TRY(w, HPDF_Page_SetWidth(page, (HPDF_REAL)sw));
		PDF_TRY(w, HPDF_Page_SetHeight(page, (HPDF_REAL)sh));
		for (pos = 0; pos < 2; pos++) {
			int slot = impose_slot(n, side, pos);
			int pi = slot >= 0 ? seq[slot] : -1;
			pdf_place *pl;

			if (pi < 0)
				continue;
			pl = &w->place[pi];
			pl->side = side;
			pl->scale = scale;
			pl->dx = pos == 0 ? half - pw + creep : half - creep;
			pl->dy = py0;
			pl->has_clip = 1;
			pl->clip.left = pos == 0 ? 0 : (HPDF_REAL)half;
			pl->clip.right = pos == 0 ? (HPDF_REAL)half :
					 (HPDF_REAL)sw;
			pl->clip.bottom = 0;
			pl->clip.top = (HPDF_REAL)sh;
			if (pdf_draw_page(w, page, &lo->pages[pi], pl))
				goto fail;
		}
		if (w->o->crop_marks &&
		    pdf_sheet_marks(w, page, half - pw, half + pw, py0,
				    py0 + ph))
			goto fail;
		if (w->o->test_sheet && pdf_sheet_label(w, page, side, py0))
			goto fail;
	}
	free(seq);
	return 0;
fail:
	free(seq);
	return -1;
}

/* Save the document into memory and write it atomically. */
static int pdf_save(pdf_writer *w)
{
	HPDF_UINT32 size, got;
	HPDF_BYTE *data = NULL;
	HPDF_STATUS st;
	int rc;

	w->stage = "saving";
	PDF_TRY(w, HPDF_SaveToStream(w->pdf));
	size = HPDF_GetStreamSize(w->pdf);
	data = malloc(size ? size : 1);
	if (!data) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		goto fail;
	}
	got = size;
	st = HPDF_ReadFromStream(w->pdf, data, &got);
	if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != size) {
		pdf_fail(w, w->out_path, "short read of the saved PDF");
		goto fail;
	}
	rc = outfile_write(w->out_path, data, size, w->diags);
	free(data);
	return rc;
fail:
	free(data);
	return -1;
}

void pdf_options_from_style(const style *st, pdf_options *po)
{
	memset(po, 0, sizeof *po);
	po->creep = st->print_creep;
	po->crop_marks = st->print_crop_marks;
	po->bleed = st->print_bleed;
	po->test_sheet = st->print_test_sheet;
	if (style_sheet_size(st->print_sheet ? st->print_sheet : "a4",
			     &po->sheet_w, &po->sheet_h) != 0)
		style_sheet_size("a4", &po->sheet_w, &po->sheet_h);
}

int pdf_write(const doc *d, const lo_doc *lo, const pdf_options *o,
	      const char *out_path, diag_list *diags)
{
	pdf_writer w;
	size_t i, nsides;
	int rc = -1;

	memset(&w, 0, sizeof w);
	w.d = d;
	w.lo = lo;
	w.o = o;
	w.out_path = out_path;
	w.diags = diags;
	w.stage = "starting";
	if (lo->width <= 0 || lo->height <= 0) {
		diag_add(diags, DIAG_ERROR, out_path, 0, 0,
			 "cannot write PDF: page size %gx%g", lo->width,
			 lo->height);
		return -1;
	}
	if (o->impose) {
		w.media_w = o->sheet_w > 0 ? o->sheet_w : PDF_A4_LANDSCAPE_W;
		w.media_h = o->sheet_h > 0 ? o->sheet_h : PDF_A4_LANDSCAPE_H;
		nsides = (size_t)impose_sides(
			impose_padded_count((int)lo->npages));
		/* A test sheet is a single sheet: sheet 1, front and back. */
		if (o->test_sheet && nsides > 2)
			nsides = 2;
	} else {
		nsides = lo->npages;
	}
	if (nsides == 0) {
		diag_add(diags, DIAG_ERROR, out_path, 0, 0,
			 "cannot write PDF: no pages");
		return -1;
	}
	w.sides = calloc(nsides, sizeof *w.sides);
	w.place = calloc(lo->npages ? lo->npages : 1, sizeof *w.place);
	if (!w.sides || !w.place) {
		diag_add(diags, DIAG_ERROR, out_path, 0, 0, "out of memory");
		goto out;
	}
	w.nsides = (int)nsides;
	for (i = 0; i < lo->npages; i++)
		w.place[i].side = -1;

	w.pdf = HPDF_New(pdf_on_error, &w);
	if (!w.pdf) {
		diag_add(diags, DIAG_ERROR, out_path, 0, 0,
			 "cannot write PDF: libharu could not start");
		goto out;
	}
	w.stage = "setting up";
	w.deflater = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL);
	if (!w.deflater) {
		diag_add(diags, DIAG_ERROR, out_path, 0, 0, "out of memory");
		goto out;
	}
	/* Streams are compressed by us (pdf_deflate_into), not libharu. */
	if (HPDF_SetCompressionMode(w.pdf, HPDF_COMP_NONE) != HPDF_OK ||
	    HPDF_UseUTFEncodings(w.pdf) != HPDF_OK ||
	    HPDF_SetCurrentEncoder(w.pdf, "UTF-8") != HPDF_OK ||
	    !(w.enc = HPDF_GetEncoder(w.pdf, "UTF-8"))) {
		pdf_fail(&w, out_path, "setup failed");
		goto out;
	}
	if (pdf_load_fonts(&w) || pdf_add_info(&w))
		goto out;
	if (o->impose ? pdf_imposed_pages(&w) : pdf_plain_pages(&w))
		goto out;
	if (pdf_add_links(&w) || pdf_add_outline(&w))
		goto out;
	if (!o->impose && pdf_add_labels(&w))
		goto out;
	if (lo->noutline &&
	    HPDF_SetPageMode(w.pdf, HPDF_PAGE_MODE_USE_OUTLINE) != HPDF_OK) {
		pdf_fail(&w, out_path, "page mode");
		goto out;
	}
	for (i = 0; i < w.nfonts; i++)
		if (w.fonts[i].font && pdf_finish_font(&w, &w.fonts[i]))
			goto out;
	if (pdf_deflate_pages(&w))
		goto out;
	rc = pdf_save(&w);
out:
	if (w.pdf)
		HPDF_Free(w.pdf);
	for (i = 0; w.fonts && i < w.nfonts; i++)
		pdf_font_free(&w.fonts[i]);
	free(w.fonts);
	free(w.font_of);
	free(w.sides);
	free(w.place);
	if (w.deflater)
		libdeflate_free_compressor(w.deflater);
	return rc;
}
