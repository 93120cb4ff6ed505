/* pdf.c - the PDF renderer (see pdf.h). Owns the document: pages (colour
 * fields, images, rules, text), link annotations, outline, page labels, document info, and
 * drawing laid-out pages onto booklet sheets for imposition (order from
 * impose.c). Text is ours: operators written straight into each page's
 * content stream with the CID fonts of cidfont.c, so glyphs land where
 * layout put them; every stream is deflated here. The few places that
 * reach inside libharu are in hpdf_private.c, which says why. *
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
#include <libdeflate.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/mem.h"
#include "base/outfile.h"
#include "base/utf8.h"
#include "doc/cite.h"
#include "font/face.h"
#include "render/pdf/hpdf_private.h"
#include "render/pdf/impose.h"
#include "render/pdf/pagez.h"
#include "render/pdf/writer.h"
#include "render/pdf/xmp.h"
#include "render/raster/decode.h"

#define PDF_SLUG 18.0        /* pt outside the bleed that holds crop marks */
#define MARK_GAP 3.0         /* pt between a trim/bleed edge and its mark */
#define MARK_WIDTH 0.25
#define FOLD_MARK_LEN 10.0
#define MARK_MIN_ROOM 6.0
#define TEST_TEXT_SIZE 6.0
#define OUTLINE_MAX_DEPTH 8
#define PDF_DEFLATE_LEVEL 1
/* Pages from which a PDF's pages are compressed on a thread of their own
 * (render/pdf/pagez.c). */
#define PDF_PAGEZ_PAGES 64
/* Streams this long or longer are compressed once per run (res_memo). */
#define PDF_MEMO_MIN 1024
enum { PDF_MEMO_DEFLATE = 1 };

static void pdf_on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
			 void *user)
{
	pdf_writer *w = user;

	if (!w->err) {
		w->err = error_no;
		w->detail = detail_no;
	}
}

void pdf_fail(pdf_writer *w, const char *file, const char *why)
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

/* A colour component libharu accepts (it rejects anything outside 0..1). */
static HPDF_REAL pdf_unit(double v)
{
	return (HPDF_REAL)(v < 0 ? 0 : v > 1 ? 1 : v);
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

void pdf_put_text(buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s), i, used;
	int ascii = 1;

	for (i = 0; i < n && ascii; i++)
		ascii = s[i] >= 0x20 && s[i] < 0x7F;
	if (ascii) {
		buf_puts(b, "(");
		for (i = 0; i < n; i++) {
			if (s[i] == '(' || s[i] == ')' || s[i] == '\\')
				buf_puts(b, "\\");
			buf_put(b, s + i, 1);
		}
		buf_puts(b, ")");
		return;
	}
	buf_puts(b, "<FEFF");
	for (i = 0; i < n; i += used) {
		uint16_t u[2];
		size_t nu = utf16_encode(utf8_decode(s + i, n - i, &used), u);

		for (size_t k = 0; k < nu; k++) {
			char h[4] = {hex[u[k] >> 12], hex[(u[k] >> 8) & 15],
				     hex[(u[k] >> 4) & 15], hex[u[k] & 15]};
			buf_put(b, h, 4);
		}
	}
	buf_puts(b, ">");
}

hpriv_raw *pdf_raw_since(pdf_writer *w, size_t off)
{
	hpriv_raw *r = arena_alloc(&w->mem, sizeof *r);

	r->text = &w->raw;
	r->off = off;
	r->len = w->raw.len - off;
	return r;
}

/* The colour c as the operators that set it, for filling (stroke 0) or
 * stroking: RGB on screen, the style's ink (CMYK) in a print file. */
static void pdf_put_color(const pdf_writer *w, buf *b, paint c, int stroke)
{
	if (w->o->pdfx) {
		ink k = pdf_ink(w, c);

		pdf_num(b, pdf_unit(k.c));
		pdf_num(b, pdf_unit(k.m));
		pdf_num(b, pdf_unit(k.y));
		pdf_num(b, pdf_unit(k.k));
		buf_puts(b, stroke ? "K\n" : "k\n");
		return;
	}
	pdf_num(b, pdf_unit(c.r));
	pdf_num(b, pdf_unit(c.g));
	pdf_num(b, pdf_unit(c.b));
	buf_puts(b, stroke ? "RG\n" : "rg\n");
}

/* Text state while a page's text object is written. The open TJ array
 * started at tj_x; pen is where the PDF's pen stands from there and want
 * where the layout puts it, both in 1/1000 em of the size before the
 * horizontal scale (TJ's own unit): each TJ number closes the gap. */
typedef struct pdf_tstate {
	buf ops;                   /* the operators, between BT and ET */
	pdf_font *font;
	double size;
	double hscale;             /* Tz / 100 (0: not set yet) */
	double rise;               /* Ts */
	paint color;
	int have_color;
	int in_tj;                 /* a TJ array is open */
	int in_str;                /* and a string in it */
	double y, tj_x;            /* its baseline and start */
	double pen, want;
	uint32_t *ends;            /* scratch: where each glyph's cluster
				      ends (pdf_cluster_ends) */
	size_t capends;
} pdf_tstate;

/* Make f's resource name valid on page. */
static int pdf_page_font(pdf_writer *w, HPDF_Page page, pdf_font *f)
{
	HPDF_Dict res, fonts;

	res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
	PDF_NEED(w, res);
	fonts = HPDF_Dict_GetItem(res, "Font", HPDF_OCLASS_DICT);
	if (!fonts) {
		fonts = hpriv_dict(w->pdf);
		PDF_NEED(w, fonts);
		PDF_TRY(w, HPDF_Dict_Add(res, "Font", fonts));
	}
	if (!HPDF_Dict_GetItem(fonts, f->res, HPDF_OCLASS_DICT))
		PDF_TRY(w, HPDF_Dict_Add(fonts, f->res, f->font));
	return 0;
fail:
	return -1;
}

/* A new TJ array at (x, y): the one before closed, font, size, scale
 * and colour set where they change. Returns 0 or -1 (reported). */
static int pdf_show_start(pdf_writer *w, HPDF_Page page, pdf_tstate *ts,
			  pdf_font *f, const lo_run *r, paint color,
			  int same_color)
{
	if (ts->in_tj)
		buf_puts(&ts->ops, "] TJ\n");
	ts->in_tj = 0;
	if (f != ts->font || r->size != ts->size) {
		if (f != ts->font && pdf_page_font(w, page, f))
			return -1;
		buf_printf(&ts->ops, "/%s ", f->res);
		pdf_num(&ts->ops, r->size);
		buf_puts(&ts->ops, "Tf\n");
		ts->font = f;
		ts->size = r->size;
	}
	if (!same_color) {
		pdf_put_color(w, &ts->ops, color, 0);
		ts->color = color;
		ts->have_color = 1;
	}
	if (r->hscale != ts->hscale) {
		pdf_num(&ts->ops, r->hscale * 100);
		buf_puts(&ts->ops, "Tz\n");
		ts->hscale = r->hscale;
	}
	buf_puts(&ts->ops, "1 0 0 1 ");
	pdf_num(&ts->ops, r->x);
	pdf_num(&ts->ops, r->y);
	buf_puts(&ts->ops, "Tm [");
	ts->in_tj = 1;
	ts->y = r->y;
	ts->tj_x = r->x;
	ts->pen = ts->want = 0;
	return 0;
}

/* A CID as two bytes of a literal string (half the size of hex):
 * parentheses and backslash escaped, CR and LF too, since a reader
 * normalises line ends inside strings. */
static void pdf_put_cid(buf *ops, long cid)
{
	unsigned char b[2] = {(unsigned char)(cid >> 8), (unsigned char)cid};

	/* written in place: a call per glyph of every page adds up */
	if (ops->cap - ops->len <= 4)
		buf_reserve(ops, 4);
	char *e = ops->data + ops->len;
	for (int k = 0; k < 2; k++) {
		switch (b[k]) {
		case '(': case ')': case '\\':
			*e++ = '\\';
			*e++ = (char)b[k];
			break;
		case '\r':
			*e++ = '\\';
			*e++ = 'r';
			break;
		case '\n':
			*e++ = '\\';
			*e++ = 'n';
			break;
		default:
			*e++ = (char)b[k];
		}
	}
	*e = '\0';
	ops->len = (size_t)(e - ops->data);
}

/* Close the gap between the PDF's pen and where the layout wants it with
 * a TJ number (when it is at least 1/2000 of 1/1000 em), ending the string
 * being written. */
static void pdf_catch_up(pdf_tstate *ts)
{
	double d = ts->pen - ts->want;
	if (d > -0.0005 && d < 0.0005)
		return;
	d = round(d * 1000) / 1000;
	if (ts->in_str)
		buf_put(&ts->ops, ")", 1);
	ts->in_str = 0;
	pdf_num(&ts->ops, d);
	ts->pen -= d;
}

/* A vertical glyph offset as text rise: the TJ array split around the
 * Ts operator. */
static void pdf_set_rise(pdf_tstate *ts, double rise)
{
	buf_puts(&ts->ops, ts->in_str ? ")] TJ\n" : "] TJ\n");
	pdf_num(&ts->ops, rise);
	buf_puts(&ts->ops, "Ts [");
	ts->in_str = 0;
	ts->rise = rise;
}

static int pdf_u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Where each glyph's cluster ends in run r's text (tl bytes): the next
 * larger cluster, into ts->ends. Left-to-right runs (clusters never
 * decreasing) in one pass from the end; others through the sorted
 * clusters. 0, or -1 when memory runs out. */
static int pdf_cluster_ends(pdf_tstate *ts, const lo_run *r, size_t tl)
{
	const lo_glyph *g = r->glyphs;
	size_t n = r->nglyphs, i;
	int ltr = 1;

	if (2 * n + 1 > ts->capends) {
		uint32_t *e = realloc(ts->ends, (2 * n + 1) * sizeof *e);
		if (!e)
			return -1;
		ts->ends = e;
		ts->capends = 2 * n + 1;
	}
	for (i = 1; i < n && ltr; i++)
		ltr = g[i].cluster >= g[i - 1].cluster;
	if (ltr) {
		uint32_t end = (uint32_t)tl;
		for (i = n; i-- > 0;) {
			if (i + 1 < n && g[i + 1].cluster > g[i].cluster)
				end = g[i + 1].cluster;
			ts->ends[i] = end;
		}
		return 0;
	}
	uint32_t *cl = ts->ends + n;
	for (i = 0; i < n; i++)
		cl[i] = g[i].cluster;
	cl[n] = (uint32_t)tl;
	qsort(cl, n + 1, sizeof *cl, pdf_u32_cmp);
	for (i = 0; i < n; i++) {
		size_t lo = 0, hi = n + 1;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (cl[mid] <= g[i].cluster)
				lo = mid + 1;
			else
				hi = mid;
		}
		ts->ends[i] = lo <= n ? cl[lo] : g[i].cluster;
	}
	return 0;
}

/* The text glyph i of run r stands for, its cluster's characters ending
 * at end: all of them (a ligature's several), or, when several glyphs in
 * a row show one cluster (a letter and its marks), one each in turn, the
 * last glyph taking the rest. */
static const char *pdf_glyph_text(const lo_run *r, size_t i, size_t end,
				  size_t *len)
{
	const lo_glyph *g = r->glyphs;
	size_t c = g[i].cluster, first = i, k, used;

	if (c >= end) {
		*len = 0;
		return r->text + end;
	}
	while (first > 0 && g[first - 1].cluster == c)
		first--;
	size_t at = c;
	for (k = first; k < i && at < end; k++) {
		utf8_decode(r->text + at, end - at, &used);
		at += used;
	}
	size_t stop = end;
	if (at < end && i + 1 < r->nglyphs && g[i + 1].cluster == c) {
		utf8_decode(r->text + at, end - at, &used);
		stop = at + used;
	}
	*len = stop - at;
	return r->text + at;
}

/* Run r's glyphs in the open TJ array: each shown by the CID of its glyph
 * and text, placed where the layout put it (advances with kerning, the
 * space after word spaces, offsets) by TJ numbers against the widths the
 * font states. Returns 0 or -1 (reported). */
static int pdf_show_glyphs(pdf_writer *w, pdf_tstate *ts, pdf_font *f,
			   const lo_run *r)
{
	double unit = 1000.0 / r->upem;           /* font units to TJ's */
	double space = r->space_adjust * 1000 / (r->size * r->hscale);
	size_t tl = strlen(r->text);

	if (pdf_cluster_ends(ts, r, tl)) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		return -1;
	}
	pdf_catch_up(ts);        /* to where the run starts */
	for (size_t i = 0; i < r->nglyphs; i++) {
		const lo_glyph *g = &r->glyphs[i];
		size_t len;
		const char *text = pdf_glyph_text(r, i, ts->ends[i], &len);
		long cid = pdf_cid(w, f, g->gid, text, len);
		int xo = r->offsets ? r->offsets[i].x : 0;
		int yo = r->offsets ? r->offsets[i].y : 0;
		double rise = yo * r->size / r->upem;

		if (cid < 0)
			return -1;
		const pdf_cid_def *d = &f->cids[cid];
		if (rise != ts->rise)
			pdf_set_rise(ts, rise);
		if (xo) {
			ts->want += xo * unit;
			pdf_catch_up(ts);
		}
		if (!ts->in_str)
			buf_put(&ts->ops, "(", 1);
		ts->in_str = 1;
		pdf_put_cid(&ts->ops, cid);
		ts->pen += d->width;
		/* the layout's advance as the W width plus what differs from
		 * the glyph's natural advance (kerning), so that no rounding
		 * creeps in where nothing differs */
		ts->want += d->width + (g->advance - d->advance - xo) * unit;
		if (g->kind == LO_GLYPH_SPACE)
			ts->want += space;
		pdf_catch_up(ts);
	}
	if (ts->in_str)
		buf_put(&ts->ops, ")", 1);
	ts->in_str = 0;
	return 0;
}

/* Append the operators showing run r in f, in colour color (the run's, or
 * a print file's link colour). Runs that continue a line in
 * the same font, size, scale and colour join one TJ array, each placed by
 * a TJ number from where the previous one ends, so glyphs land exactly
 * where layout put them and each line is one positioning operator.
 * Returns 0 or -1 (reported). */
static int pdf_show(pdf_writer *w, HPDF_Page page, pdf_tstate *ts,
		    pdf_font *f, const lo_run *r, paint color)
{
	int same_color = ts->have_color && color.r == ts->color.r &&
			 color.g == ts->color.g && color.b == ts->color.b;
	double em = r->size * r->hscale / 1000;

	if (ts->in_tj && f == ts->font && r->size == ts->size && same_color &&
	    r->hscale == ts->hscale && r->y == ts->y &&
	    r->x > ts->tj_x + ts->want * em - r->size) {
		ts->want = (r->x - ts->tj_x) / em;
	} else if (pdf_show_start(w, page, ts, f, r, color, same_color)) {
		return -1;
	}
	return pdf_show_glyphs(w, ts, f, r);
}

/* Write the collected text object into page's content stream. */
static int pdf_flush_text(pdf_writer *w, HPDF_Page page, pdf_tstate *ts)
{
	if (!ts->ops.len)
		return 0;
	if (ts->in_tj)
		buf_puts(&ts->ops, "] TJ\n");
	ts->in_tj = 0;
	if (ts->rise != 0)
		buf_puts(&ts->ops, "0 Ts\n");
	ts->rise = 0;
	pdf_tag_close(w, &ts->ops);
	(void)page;
	buf_put(&w->page_ops, "BT\n", 3);
	buf_put(&w->page_ops, ts->ops.data, ts->ops.len);
	buf_put(&w->page_ops, "ET\n", 3);
	ts->ops.len = 0;
	return 0;
}

/* The graphics of page p (its rules) as operators into b, each in its
 * element's marked content on PDF page side (rules are artifacts). */
static void pdf_rules(pdf_writer *w, buf *b, const lo_page *p, int side)
{
	size_t i;

	for (i = 0; i < p->nrules; i++) {
		const lo_rule *r = &p->rules[i];

		pdf_tag_mark(w, b, side, r->elem);
		pdf_num(b, r->width > 0 ? r->width : 0);
		buf_puts(b, "w\n");
		pdf_put_color(w, b, r->color, 1);
		pdf_num(b, r->x0);
		pdf_num(b, r->y0);
		buf_puts(b, "m\n");
		pdf_num(b, r->x1);
		pdf_num(b, r->y1);
		buf_puts(b, "l S\n");
	}
	pdf_tag_close(w, b);
}

/* The colour fields of page p as operators into b: decoration
 * (artifacts), drawn first. */
static void pdf_fills(pdf_writer *w, buf *b, const lo_page *p, int side)
{
	for (size_t i = 0; i < p->nfills; i++) {
		const lo_fill *f = &p->fills[i];

		pdf_tag_mark(w, b, side, LO_ARTIFACT);
		pdf_put_color(w, b, f->color, 0);
		pdf_num(b, f->x0);
		pdf_num(b, f->y0);
		pdf_num(b, f->x1 - f->x0);
		pdf_num(b, f->y1 - f->y0);
		buf_puts(b, "re f\n");
	}
}

/* Decoded RGBA pixels as the planes of an image: its colour (RGB on
 * screen, CMYK inks in a print file, as pdf_put_color makes them) and its
 * alpha, malloc'd; *opaque when every pixel is. *comps: 3 or 4. 0, or -1
 * when memory runs out. */
static int pdf_planes(const pdf_writer *w, const unsigned char *rgba,
		      size_t n, unsigned char **color, int *comps,
		      unsigned char **alpha, int *opaque)
{
	*comps = w->o->pdfx ? 4 : 3;
	*color = malloc(n * (size_t)*comps + 1);
	*alpha = malloc(n + 1);
	if (!*color || !*alpha)
		return -1;
	*opaque = 1;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *px = rgba + i * 4;
		unsigned char *out = *color + i * (size_t)*comps;

		if (*comps == 4) {
			ink k = ink_from_paint((paint){px[0] / 255.0,
				px[1] / 255.0, px[2] / 255.0});
			out[0] = (unsigned char)(k.c * 255 + 0.5);
			out[1] = (unsigned char)(k.m * 255 + 0.5);
			out[2] = (unsigned char)(k.y * 255 + 0.5);
			out[3] = (unsigned char)(k.k * 255 + 0.5);
		} else {
			memcpy(out, px, 3);
		}
		(*alpha)[i] = px[3];
		*opaque &= px[3] == 255;
	}
	return 0;
}

/* An image XObject of pw x ph pixels from a plane (deflated here) in
 * colour space space, or NULL (reported). */
static HPDF_Dict pdf_image_stream(pdf_writer *w, const unsigned char *plane,
				  size_t len, int pw, int ph, const char *space)
{
	HPDF_Dict s = pdf_stream(w, plane, len);
	PDF_NEED(w, s);
	PDF_TRY(w, HPDF_Dict_AddName(s, "Type", "XObject"));
	PDF_TRY(w, HPDF_Dict_AddName(s, "Subtype", "Image"));
	PDF_TRY(w, HPDF_Dict_AddNumber(s, "Width", pw));
	PDF_TRY(w, HPDF_Dict_AddNumber(s, "Height", ph));
	PDF_TRY(w, HPDF_Dict_AddName(s, "ColorSpace", space));
	PDF_TRY(w, HPDF_Dict_AddNumber(s, "BitsPerComponent", 8));
	return s;
fail:
	return NULL;
}

/* The image XObject of laid-out image im: decoded (render/raster/
 * decode.c), cut to its frame's shape, with a soft mask when it has
 * transparency. NULL (reported; an image that cannot be decoded is an
 * error at its source). */
static HPDF_Dict pdf_image_object(pdf_writer *w, const lo_image *im)
{
	char err[256] = "";
	unsigned char *rgba = NULL, *part = NULL, *color = NULL, *alpha = NULL;
	int iw, ih, cx, cy, cw, ch, comps, opaque;
	const doc_pos *at = im->src;
	HPDF_Dict img = NULL;

	if (raster_decode_image(im->data, im->len, &iw, &ih, &rgba, err,
				sizeof err) != 0) {
		diag_add(w->diags, DIAG_ERROR, at ? at->file : w->out_path,
			 at ? at->line : 0, at ? at->col : 0, "cover image: %s",
			 err);
		return NULL;
	}
	raster_cover_crop(iw, ih, im->x1 - im->x0, im->y1 - im->y0, &cx, &cy,
			  &cw, &ch);
	part = raster_crop(rgba, iw, cx, cy, cw, ch);
	/* no more pixels than the frame takes at the style's image-max-ppi
	 * (print needs 300; a phone photo has four times that) */
	double scale = 1;
	if (part && im->max_ppi > 0) {
		scale = fmin(scale, (im->x1 - im->x0) / 72 * im->max_ppi / cw);
		scale = fmin(scale, (im->y1 - im->y0) / 72 * im->max_ppi / ch);
	}
	if (scale < 1) {
		int nw = (int)lround(cw * scale), nh = (int)lround(ch * scale);
		nw = nw < 1 ? 1 : nw;
		nh = nh < 1 ? 1 : nh;
		unsigned char *small = raster_shrink(part, cw, ch, nw, nh);
		free(part);
		part = small;
		cw = nw;
		ch = nh;
	}
	size_t n = (size_t)cw * (size_t)ch;
	if (!part || pdf_planes(w, part, n, &color, &comps, &alpha, &opaque)) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0, "out of memory");
		goto out;
	}
	img = pdf_image_stream(w, color, n * (size_t)comps, cw, ch,
			       comps == 4 ? "DeviceCMYK" : "DeviceRGB");
	if (img && !opaque) {
		HPDF_Dict mask = pdf_image_stream(w, alpha, n, cw, ch,
						  "DeviceGray");
		if (!mask || HPDF_Dict_Add(img, "SMask", mask) != HPDF_OK) {
			pdf_fail(w, w->out_path, "no soft mask");
			img = NULL;
		}
	}
out:
	free(rgba);
	free(part);
	free(color);
	free(alpha);
	return img;
}

/* The images of page p (the cover picture), each an XObject of page
 * named from the page index, drawn over its frame into b in its
 * element's marked content (a Figure with its text alternative). 0, or
 * -1 (reported). */
static int pdf_images(pdf_writer *w, HPDF_Page page, buf *b,
		      const lo_page *p, int side)
{
	w->stage = "drawing an image";
	for (size_t i = 0; i < p->nimages; i++) {
		const lo_image *im = &p->images[i];
		char name[48];
		HPDF_Dict img = pdf_image_object(w, im), res, xo;

		if (!img)
			return -1;
		snprintf(name, sizeof name, "Im%zu_%zu",
			 (size_t)(p - w->lo->pages), i);
		res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
		PDF_NEED(w, res);
		xo = HPDF_Dict_GetItem(res, "XObject", HPDF_OCLASS_DICT);
		if (!xo) {
			xo = hpriv_dict(w->pdf);
			PDF_NEED(w, xo);
			PDF_TRY(w, HPDF_Dict_Add(res, "XObject", xo));
		}
		PDF_TRY(w, HPDF_Dict_Add(xo, name, img));
		pdf_tag_mark(w, b, side, im->elem);
		buf_puts(b, "q\n");
		pdf_num(b, im->x1 - im->x0);
		buf_puts(b, "0 0 ");
		pdf_num(b, im->y1 - im->y0);
		pdf_num(b, im->x0);
		pdf_num(b, im->y0);
		buf_printf(b, "cm\n/%s Do\nQ\n", name);
	}
	return 0;
fail:
	return -1;
}

/* Draw one laid-out page onto PDF page `page` as placed by pl: clipped
 * and transformed in a saved graphics state, its fills, images and rules,
 * then its text in one text object (links in the print colour for
 * print). Returns 0, or -1 (reported). */
static int pdf_draw_page(pdf_writer *w, HPDF_Page page, const lo_page *p,
			 const pdf_place *pl)
{
	size_t i;
	pdf_tstate ts;
	buf g = {0};

	memset(&ts, 0, sizeof ts);
	w->stage = "drawing a page";
	buf_puts(&g, "q\n");
	if (pl->has_clip) {
		pdf_num(&g, pl->clip.left);
		pdf_num(&g, pl->clip.bottom);
		pdf_num(&g, pl->clip.right - pl->clip.left);
		pdf_num(&g, pl->clip.top - pl->clip.bottom);
		buf_puts(&g, "re W n\n");
	}
	if (pl->scale != 1 || pl->dx != 0 || pl->dy != 0) {
		pdf_num(&g, pl->scale);
		buf_puts(&g, "0 0 ");
		pdf_num(&g, pl->scale);
		pdf_num(&g, pl->dx);
		pdf_num(&g, pl->dy);
		buf_puts(&g, "cm\n");
	}
	pdf_fills(w, &g, p, pl->side);
	if (pdf_images(w, page, &g, p, pl->side))
		goto fail;
	pdf_rules(w, &g, p, pl->side);
	buf_put(&w->page_ops, g.data, g.len);

	/* Text: one text object per page, written straight into the
	 * content stream with our own CID font (see pdf_font). */
	w->stage = "drawing text";
	for (i = 0; i < p->nruns; i++) {
		const lo_run *r = &p->runs[i];
		pdf_font *f;

		if (!r->text || !r->nglyphs || !(r->size > 0) ||
		    !(r->hscale > 0) || r->upem <= 0)
			continue;
		if (pdf_tag_changes(w, r->elem)) {
			if (ts.in_tj)
				buf_puts(&ts.ops, "] TJ\n");
			ts.in_tj = 0;
			pdf_tag_mark(w, &ts.ops, pl->side, r->elem);
		}
		f = pdf_font_get(w, r->font);
		if (!f || pdf_show(w, page, &ts, f, r,
				   r->link && w->o->print ?
				   w->lo->print_link_color : r->color))
			goto fail;
	}
	if (pdf_flush_text(w, page, &ts))
		goto fail;
	buf_put(&w->page_ops, "Q\n", 2);
	buf_free(&ts.ops);
	free(ts.ends);
	buf_free(&g);
	return 0;
fail:
	buf_free(&ts.ops);
	free(ts.ends);
	buf_free(&g);
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

/* What link l does, in words, for its /Contents (what a screen reader
 * says of it): "Go to page 3: Why is bonding so important?", "Open
 * https://... in a browser", "Call 0300 330 0700". In the arena. */
static const char *pdf_link_words(const pdf_writer *w, arena *a,
				  const lo_link *l)
{
	const char *t = l->title && *l->title ? l->title : NULL;

	if (l->uri) {
		if (!strncmp(l->uri, "tel:", 4))
			return arena_printf(a, "Call %s", t ? t : l->uri + 4);
		if (!strncmp(l->uri, "mailto:", 7))
			return arena_printf(a, "Write an email to %s",
					    l->uri + 7);
		if (!strncmp(l->uri, "http://", 7) ||
		    !strncmp(l->uri, "https://", 8))
			return arena_printf(a, "Open %s in a browser", l->uri);
		return arena_printf(a, "Open %s", l->uri);
	}
	const char *label = w->lo->pages[l->dest_page].label;
	const char *page = label ? label :
			   arena_printf(a, "%d", l->dest_page + 1);
	return t ? arena_printf(a, "Go to page %s: %s", page, t)
		 : arena_printf(a, "Go to page %s", page);
}

/* " /Dest [page /XYZ left top 1]": the top of the target (y in the
 * target page's laid-out coordinates) at the left of its page. */
static void pdf_put_dest(const pdf_writer *w, buf *b, int page, double y)
{
	const pdf_place *pl = &w->place[page];

	buf_printf(b, " /Dest [%lu 0 R /XYZ ",
		   hpriv_obj_num(w->sides[pl->side]));
	pdf_num(b, pl->dx);
	pdf_num(b, pl->dy + pl->scale * y);
	buf_puts(b, "1]");
}

/* The annotation of link l on page side at rect r (x0 y0 x1 y1): what
 * libharu's link annotations hold (no border, the destination or the URI
 * action), what it does in words (/Contents, what a screen reader says of
 * it), and in a tagged PDF its place in l's Link element (/StructParent)
 * with its page's tab order following the structure. Written as text: a
 * long booklet has thousands of links, a kilobyte or more each as
 * libharu dictionaries. Returns 0, or -1 (reported). */
static int pdf_link_annot(pdf_writer *w, arena *a, const lo_link *l,
			  int side, const double *r, const char *uri)
{
	size_t off = w->raw.len;
	HPDF_Page page = w->sides[side];
	hpriv_raw *rec;
	HPDF_Array annots;
	HPDF_Dict an;
	int key, k;

	buf_puts(&w->raw, "/Type /Annot /Subtype /Link /Rect [");
	for (k = 0; k < 4; k++)
		pdf_num(&w->raw, r[k]);
	buf_puts(&w->raw, "] /Border [0 0 0]");
	if (uri) {
		buf_puts(&w->raw, " /A <</Type /Action /S /URI /URI ");
		pdf_put_text(&w->raw, uri);
		buf_puts(&w->raw, ">>");
	} else {
		pdf_put_dest(w, &w->raw, l->dest_page, l->dest_y);
	}
	buf_puts(&w->raw, "\n/Contents ");
	pdf_put_text(&w->raw, pdf_link_words(w, a, l));
	/* its record is completed below, once the StructParent is known */
	rec = pdf_raw_since(w, off);
	an = hpriv_raw_object(w->pdf, rec);
	PDF_NEED(w, an);
	if (pdf_tag_annot(w, an, side, l->elem, &key))
		return -1;
	if (key >= 0)
		buf_printf(&w->raw, " /StructParent %d", key);
	buf_puts(&w->raw, "\n");
	rec->len = w->raw.len - off;
	annots = HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY);
	if (!annots) {
		annots = hpriv_array(w->pdf);
		PDF_NEED(w, annots);
		PDF_TRY(w, HPDF_Dict_Add(page, "Annots", annots));
	}
	PDF_TRY(w, HPDF_Array_Add(annots, an));
	if (key >= 0 && !HPDF_Dict_GetItem(page, "Tabs", HPDF_OCLASS_NAME))
		PDF_TRY(w, HPDF_Dict_AddName(page, "Tabs", "S"));
	return 0;
fail:
	return -1;
}

/* Link annotations of every page, after all pages exist (none in a
 * print file). */
static int pdf_add_links(pdf_writer *w)
{
	size_t pi, i;
	char *uri = NULL;
	arena words = {0};

	if (w->o->pdfx)
		return 0;
	w->stage = "adding links";
	for (pi = 0; pi < w->lo->npages; pi++) {
		const lo_page *p = &w->lo->pages[pi];
		const pdf_place *pl = &w->place[pi];

		if (pl->side < 0)
			continue;
		for (i = 0; i < p->nlinks; i++) {
			const lo_link *l = &p->links[i];
			double r[4] = {
				pl->dx + pl->scale * l->x0,
				pl->dy + pl->scale * l->y0,
				pl->dx + pl->scale * l->x1,
				pl->dy + pl->scale * l->y1,
			};

			free(uri);
			uri = NULL;
			if (l->uri) {
				uri = pdf_uri_encode(l->uri);
				if (!uri) {
					diag_add(w->diags, DIAG_ERROR,
						 w->out_path, 0, 0,
						 "out of memory");
					goto fail;
				}
			} else if (!pdf_dest_ok(w, l->dest_page)) {
				if (!w->o->test_sheet || l->dest_page < 0 ||
				    (size_t)l->dest_page >= w->lo->npages)
					diag_add(w->diags, DIAG_WARNING,
						 w->out_path, 0, 0, "link on "
						 "page %zu points to missing "
						 "page %d; left out", pi + 1,
						 l->dest_page);
				/* else its target is not on the test sheet */
				continue;
			}
			if (pdf_link_annot(w, &words, l, pl->side, r, uri))
				goto fail;
		}
	}
	free(uri);
	arena_free(&words);
	return 0;
fail:
	free(uri);
	arena_free(&words);
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
		item = HPDF_CreateOutline(w->pdf, parent, "", NULL);
		PDF_NEED(w, item);
		PDF_TRY(w, hpriv_set_text(w->pdf, item, "Title", e->title));
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
		PDF_TRY(w, hpriv_page_label(w->pdf, (unsigned)r->first,
					    label));
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

/* Document information entry type (key) as the text string of s: made
 * where libharu puts it, then given its value. HPDF_OK, or not. */
static HPDF_STATUS pdf_info_text(pdf_writer *w, HPDF_InfoType type,
				 const char *key, const char *s)
{
	if (HPDF_SetInfoAttr(w->pdf, type, "") != HPDF_OK)
		return HPDF_FAILD_TO_ALLOC_MEM;
	HPDF_Dict info = hpriv_info(w->pdf);
	return info && hpriv_set_text(w->pdf, info, key, s) == 0
		? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
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
			PDF_TRY(w, pdf_info_text(w, HPDF_INFO_TITLE, "Title",
						 m->title));
		if (m->nauthors)
			PDF_TRY(w, pdf_info_text(w, HPDF_INFO_AUTHOR, "Author",
						 pdf_authors(&a, m)));
		if (m->standfirst) {
			char *s = doc_plain_text(&a, m->standfirst);

			if (s && *s)
				PDF_TRY(w, pdf_info_text(w,
					HPDF_INFO_SUBJECT, "Subject", s));
		}
	}
	if (w->o->creator) {
		PDF_TRY(w, pdf_info_text(w, HPDF_INFO_CREATOR, "Creator",
					 w->o->creator));
		PDF_TRY(w, pdf_info_text(w, HPDF_INFO_PRODUCER, "Producer",
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
	if (w->o->pdfx) {
		/* PDF/X: nobody trapped it (a print shop may) */
		PDF_TRY(w, HPDF_SetInfoAttr(w->pdf, HPDF_INFO_TRAPPED, "False"));
		PDF_TRY(w, pdf_info_text(w, HPDF_INFO_GTS_PDFX,
					 "GTS_PDFXVersion", "PDF/X-4"));
	}
	arena_free(&a);
	return 0;
fail:
	arena_free(&a);
	return -1;
}

/* data deflated (zlib format, for /FlateDecode) into *z (malloc'd, *n
 * bytes). We compress rather than libharu, with libdeflate at level 1
 * (PDF_DEFLATE_LEVEL), chosen by measurement on the default booklet's
 * three PDFs (callgrind, before font streams were compressed once a run):
 * level 1 15.5 M instructions and 327.0 KB, level 2 23.5 M and 324.3 KB,
 * level 4 24.1 M and 322.9 KB, level 6 28.9 M and 319.8 KB: a third
 * less work for 1.3% more bytes than level 4. Returns 0, or
 * -1 (reported). */
static int pdf_deflate(pdf_writer *w, const void *data, size_t len,
		       unsigned char **z, size_t *n)
{
	size_t cap = libdeflate_zlib_compress_bound(w->deflater, len);

	*z = malloc(cap ? cap : 1);
	if (!*z) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		return -1;
	}
	*n = libdeflate_zlib_compress(w->deflater, data, len, *z, cap);
	if (!*n) {
		free(*z);
		pdf_fail(w, w->out_path, "compression failed");
		return -1;
	}
	return 0;
}

HPDF_Dict pdf_stream(pdf_writer *w, const void *data, size_t len)
{
	unsigned char *z;
	size_t n;
	HPDF_Dict s;

	/* the same font programs and maps recur in every PDF of the run:
	 * each is compressed once */
	z = len >= PDF_MEMO_MIN ? res_memo_get(w->res, PDF_MEMO_DEFLATE, data,
					       len, &n) : NULL;
	if (!z) {
		if (pdf_deflate(w, data, len, &z, &n))
			return NULL;
		if (len >= PDF_MEMO_MIN)
			res_memo_put(w->res, PDF_MEMO_DEFLATE, data, len, z, n);
	}
	s = hpriv_flate_stream(w->pdf, z, n);
	free(z);
	return s;
}

/* Page side's compressed content stream (zn bytes at z, freed here) into
 * its PDF page; it feeds the /ID. Returns 0, or -1 (reported). */
static int pdf_page_flate(pdf_writer *w, int side, unsigned char *z,
			  size_t zn)
{
	HPDF_STATUS st;

	pdf_id_add(w, z, zn);
	st = hpriv_page_set_flate(w->sides[side], z, zn);
	free(z);
	if (st != HPDF_OK) {
		pdf_fail(w, w->out_path, "compression failed");
		return -1;
	}
	return 0;
}

/* The page on the compressor thread, when there is one, into its PDF page
 * (pages are taken in order, so the /ID is the same as in turn). */
static int pdf_page_settle(pdf_writer *w)
{
	unsigned char *z;
	size_t zn;
	int side;

	if (!w->pz || !pagez_take(w->pz, &z, &zn, &side))
		return 0;
	if (!zn) {
		free(z);
		pdf_fail(w, w->out_path, "compression failed");
		return -1;
	}
	return pdf_page_flate(w, side, z, zn);
}

/* Deflate PDF page side's content stream (w->page_ops, where its
 * operators were gathered, never copied into libharu), once it is
 * complete: on the compressor thread while the next page is drawn, when
 * there is one, else here. Done as each page is finished, so that at most
 * two pages' operators are ever held uncompressed. Returns 0, or -1
 * (reported). */
static int pdf_deflate_page(pdf_writer *w, int side)
{
	unsigned char *z;
	size_t zn;
	int rc;

	w->stage = "compressing pages";
	if (w->pz) {    /* the page before settled, this one handed over */
		if (pdf_page_settle(w))
			return -1;
		pagez_give(w->pz, &w->page_ops, side);
		return 0;
	}
	rc = pdf_deflate(w, w->page_ops.data ? w->page_ops.data : "",
			 w->page_ops.len, &z, &zn);
	w->page_ops.len = 0;
	if (rc)
		return -1;
	return pdf_page_flate(w, side, z, zn);
}

/* TrimBox (the finished page or sheet, off inside the media: w by h)
 * and BleedBox (bleed around it). */
static int pdf_page_boxes(pdf_writer *w, HPDF_Page page, double off,
			  double wd, double ht, double bleed)
{
	HPDF_Box trim = { (HPDF_REAL)off, (HPDF_REAL)off,
		(HPDF_REAL)(off + wd), (HPDF_REAL)(off + ht) };
	HPDF_Box bl = { (HPDF_REAL)(off - bleed), (HPDF_REAL)(off - bleed),
		(HPDF_REAL)(off + wd + bleed),
		(HPDF_REAL)(off + ht + bleed) };
	HPDF_Array ta = hpriv_box(w->pdf, trim), ba;

	PDF_NEED(w, ta);
	PDF_TRY(w, HPDF_Dict_Add(page, "TrimBox", ta));
	ba = hpriv_box(w->pdf, bl);
	PDF_NEED(w, ba);
	PDF_TRY(w, HPDF_Dict_Add(page, "BleedBox", ba));
	return 0;
fail:
	return -1;
}

/* A line from (x0, y0) to (x1, y1) into b. */
static void pdf_line(buf *b, double x0, double y0, double x1, double y1)
{
	pdf_num(b, x0);
	pdf_num(b, y0);
	buf_puts(b, "m\n");
	pdf_num(b, x1);
	pdf_num(b, y1);
	buf_puts(b, "l\n");
}

/* Start marks in b (after the page's content, which is drawn in a saved
 * graphics state): an artifact in a tagged PDF, thin, in black on screen
 * and in the registration colour (every ink) in a print file. */
static int pdf_marks_begin(pdf_writer *w, HPDF_Page page, buf *b)
{
	static const paint black = {0, 0, 0};

	if (w->tags.on)
		buf_puts(b, "/Artifact BMC\n");
	pdf_num(b, MARK_WIDTH);
	buf_puts(b, "w\n");
	if (!w->o->pdfx) {
		pdf_put_color(w, b, black, 1);
		return 0;
	}
	if (pdf_registration(w, page))
		return -1;
	buf_puts(b, "/" PDF_REGISTRATION " CS 1 SCN\n");
	return 0;
}

/* Stroke the marks in b and write them into page's content. */
static int pdf_marks_end(pdf_writer *w, HPDF_Page page, buf *b)
{
	buf_puts(b, "S\n");
	if (w->tags.on)
		buf_puts(b, "EMC\n");
	(void)page;
	buf_put(&w->page_ops, b->data, b->len);
	return 0;
}

/* Corner crop marks around the trimmed area (x0, y0)-(x1, y1), each
 * starting MARK_GAP beyond the bleed and running len into the slug. */
static void pdf_corner_marks(buf *b, double x0, double y0, double x1,
			     double y1, double bleed, double len)
{
	double x[2] = { x0, x1 }, y[2] = { y0, y1 };
	double g = bleed + MARK_GAP;
	int cx, cy;

	for (cx = 0; cx < 2; cx++)
		for (cy = 0; cy < 2; cy++) {
			double sx = cx ? 1 : -1;
			double sy = cy ? 1 : -1;

			pdf_line(b, x[cx] + sx * g, y[cy],
				 x[cx] + sx * (g + len), y[cy]);
			pdf_line(b, x[cx], y[cy] + sy * g,
				 x[cx], y[cy] + sy * (g + len));
		}
}

/* Corner crop marks in the slug of a plain page whose trimmed page starts
 * off inside the media: each mark starts MARK_GAP beyond the bleed. */
static int pdf_crop_marks(pdf_writer *w, HPDF_Page page, double off,
			  double bleed, double slug)
{
	const lo_doc *lo = w->lo;
	buf b = {0};
	int rc = -1;

	w->stage = "drawing crop marks";
	if (pdf_marks_begin(w, page, &b) == 0) {
		pdf_corner_marks(&b, off, off, off + lo->width,
				 off + lo->height, bleed, slug - MARK_GAP);
		rc = pdf_marks_end(w, page, &b);
	}
	buf_free(&b);
	return rc;
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
		if (off > 0 && pdf_page_boxes(w, page, off, lo->width,
					      lo->height, bleed))
			goto fail;
		w->place[i].side = (int)i;
		w->place[i].scale = 1;
		w->place[i].dx = off;
		w->place[i].dy = off;
		if (w->o->pdfx) {
			/* what reaches past the bleed would meet the marks */
			w->place[i].has_clip = 1;
			w->place[i].clip.left = (HPDF_REAL)(off - bleed);
			w->place[i].clip.bottom = (HPDF_REAL)(off - bleed);
			w->place[i].clip.right = (HPDF_REAL)(off + lo->width +
							     bleed);
			w->place[i].clip.top = (HPDF_REAL)(off + lo->height +
							   bleed);
		}
		if (pdf_draw_page(w, page, &lo->pages[i], &w->place[i]))
			goto fail;
		if (w->o->crop_marks &&
		    pdf_crop_marks(w, page, off, bleed, slug))
			goto fail;
		if (pdf_deflate_page(w, (int)i))
			goto fail;
	}
	return 0;
fail:
	return -1;
}

/* Fold and trim marks on one sheet side (see the top of the file),
 * the laid-out pages spanning (px0, py0)-(px1, py1). */
static int pdf_sheet_marks(pdf_writer *w, HPDF_Page page, double px0,
			   double px1, double py0, double py1)
{
	double sw = w->media_w, sh = w->media_h, fold = sw / 2;
	double len = py0 >= MARK_MIN_ROOM ? py0 - MARK_GAP : FOLD_MARK_LEN;
	buf b = {0};
	int i, rc = -1;

	w->stage = "drawing sheet marks";
	if (pdf_marks_begin(w, page, &b))
		goto done;
	pdf_line(&b, fold, 0, fold, len);
	pdf_line(&b, fold, sh, fold, sh - len);
	for (i = 0; i < 2 && py0 >= MARK_MIN_ROOM; i++) {
		/* vertical trim marks below and above the outer edges */
		double x = i ? px1 : px0;

		pdf_line(&b, x, 0, x, py0 - MARK_GAP);
		pdf_line(&b, x, sh, x, py1 + MARK_GAP);
	}
	for (i = 0; i < 2 && px0 >= MARK_MIN_ROOM; i++) {
		/* horizontal trim marks beside the top and bottom edges */
		double y = i ? py1 : py0;

		pdf_line(&b, 0, y, px0 - MARK_GAP, y);
		pdf_line(&b, sw, y, px1 + MARK_GAP, y);
	}
	rc = pdf_marks_end(w, page, &b);
done:
	buf_free(&b);
	return rc;
}

/* Print marks on a sheet side whose sheet (sw by sh, the trim) starts off
 * inside the media: crop marks at its corners and fold marks beyond its
 * top and bottom edges, all in the slug outside the bleed. */
static int pdf_print_sheet_marks(pdf_writer *w, HPDF_Page page, double off,
				 double sw, double sh)
{
	double bleed = w->o->bleed, g = bleed + MARK_GAP;
	double len = PDF_SLUG - MARK_GAP, fold = off + sw / 2;
	buf b = {0};
	int rc = -1;

	w->stage = "drawing sheet marks";
	if (pdf_marks_begin(w, page, &b) == 0) {
		pdf_corner_marks(&b, off, off, off + sw, off + sh, bleed, len);
		pdf_line(&b, fold, off - g, fold, off - g - len);
		pdf_line(&b, fold, off + sh + g, fold, off + sh + g + len);
		rc = pdf_marks_end(w, page, &b);
	}
	buf_free(&b);
	return rc;
}

#define TEST_SHEET_HOWTO "Test sheet: print double-sided, flip on short " \
	"edge, actual size (100%). Page 1 should back onto page 2."

/* The test sheet's own words (ASCII, written here) as a run in font 0 at
 * TEST_TEXT_SIZE: each character's nominal glyph, unkerned (the writer
 * does not shape). glyphs holds room for strlen(text) glyphs. */
static lo_run pdf_plain_run(const face *fc, const char *text,
			    lo_glyph *glyphs)
{
	lo_run r;
	size_t i, n = strlen(text);
	int32_t adv = 0;

	memset(&r, 0, sizeof r);
	for (i = 0; i < n; i++) {
		lo_glyph *g = &glyphs[i];
		memset(g, 0, sizeof *g);
		g->cluster = (uint32_t)i;
		g->gid = (uint16_t)face_glyph(fc, (unsigned char)text[i]);
		g->kind = text[i] == ' ' ? LO_GLYPH_SPACE : LO_GLYPH_TEXT;
		g->advance = (int16_t)face_advance(fc, g->gid);
		adv += g->advance;
	}
	r.size = TEST_TEXT_SIZE;
	r.text = text;
	r.glyphs = glyphs;
	r.nglyphs = n;
	r.upem = face_units_per_em(fc);
	r.hscale = 1;
	r.width = (double)adv * TEST_TEXT_SIZE / r.upem;
	return r;
}

/* The test sheet's marks: "sheet 1 front/back" by the fold, in the bottom
 * margin if the sheet has one, else centred in the gutter (the pages'
 * inner margins) near the top; on the front, a line telling the reader how
 * to print it (left of the fold, or centred under the label). */
static int pdf_sheet_label(pdf_writer *w, HPDF_Page page, int side,
			   double py0)
{
	char text[48];
	lo_glyph g1[sizeof text], g2[sizeof TEST_SHEET_HOWTO];
	pdf_font *f;
	pdf_tstate ts;
	lo_run label, howto;
	int bottom = py0 >= TEST_TEXT_SIZE + 2 * MARK_GAP;

	if (w->lo->nfonts == 0)
		return 0;
	memset(&ts, 0, sizeof ts);
	snprintf(text, sizeof text, "sheet %d %s", side / 2 + 1,
		 side % 2 ? "back" : "front");
	f = pdf_font_get(w, 0);
	if (!f)
		goto fail;
	w->stage = "drawing the sheet label";
	label = pdf_plain_run(f->face, text, g1);
	howto = pdf_plain_run(f->face, TEST_SHEET_HOWTO, g2);
	if (bottom) {
		/* Bottom margin, just right of the fold mark. */
		label.x = w->media_w / 2 + MARK_GAP;
		label.y = (py0 - TEST_TEXT_SIZE) / 2;
		howto.x = w->media_w / 2 - MARK_GAP - howto.width;
		howto.y = label.y;
	} else {
		/* Gutter, centred under the top fold mark. */
		label.x = w->media_w / 2 - label.width / 2;
		label.y = w->media_h - FOLD_MARK_LEN - MARK_GAP - TEST_TEXT_SIZE;
		howto.x = w->media_w / 2 - howto.width / 2;
		howto.y = label.y - TEST_TEXT_SIZE - 2;
	}
	if (pdf_show(w, page, &ts, f, &label, label.color))
		goto fail;
	if (side == 0 && pdf_show(w, page, &ts, f, &howto, howto.color))
		goto fail;
	if (pdf_flush_text(w, page, &ts))
		goto fail;
	buf_free(&ts.ops);
	free(ts.ends);
	return 0;
fail:
	buf_free(&ts.ops);
	free(ts.ends);
	return -1;
}

/* Where laid-out page pi goes on sheet side `side`, at position pos (0
 * left of the fold, 1 right): on a sheet of sw by sh starting off inside
 * the media, pages of pw by ph (at scale) touching the fold and centred
 * from top to bottom, moved toward the fold by creep, clipped to their
 * half of the sheet (and in a print file, to the bleed beyond its outer
 * edges). */
static void pdf_impose_place(pdf_writer *w, pdf_place *pl, int side,
			     int pos, double scale, double off)
{
	const lo_doc *lo = w->lo;
	double sw = w->media_w - 2 * off, sh = w->media_h - 2 * off;
	double half = sw / 2, pw = lo->width * scale, ph = lo->height * scale;
	double creep = w->o->creep * (side / 2);
	double bleed = w->o->pdfx ? w->o->bleed : 0;

	pl->side = side;
	pl->scale = scale;
	pl->dx = off + (pos == 0 ? half - pw + creep : half - creep);
	pl->dy = off + (sh - ph) / 2;
	pl->has_clip = 1;
	pl->clip.left = (HPDF_REAL)(pos == 0 ? off - bleed : off + half);
	pl->clip.right = (HPDF_REAL)(pos == 0 ? off + half : off + sw + bleed);
	pl->clip.bottom = (HPDF_REAL)(off - bleed);
	pl->clip.top = (HPDF_REAL)(off + sh + bleed);
}

/* Imposed booklet: two laid-out pages per sheet side. In a print file the
 * sheet is the trimmed size, with bleed and marks around it. */
static int pdf_imposed_pages(pdf_writer *w)
{
	const lo_doc *lo = w->lo;
	int npages = (int)lo->npages;
	int last_back = npages > 0 && lo->pages[npages - 1].kind == LO_BACK;
	int *seq = NULL, n, side, pos;
	double off = w->o->pdfx ? w->o->bleed + PDF_SLUG : 0;
	double sw = w->media_w - 2 * off, sh = w->media_h - 2 * off;
	double half = sw / 2, scale = 1, pw, ph, py0;

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

		w->stage = "creating a sheet";
		page = HPDF_AddPage(w->pdf);
		PDF_NEED(w, page);
		w->sides[side] = page;
		PDF_TRY(w, HPDF_Page_SetWidth(page, (HPDF_REAL)w->media_w));
		PDF_TRY(w, HPDF_Page_SetHeight(page, (HPDF_REAL)w->media_h));
		if (w->o->pdfx &&
		    pdf_page_boxes(w, page, off, sw, sh, w->o->bleed))
			goto fail;
		for (pos = 0; pos < 2; pos++) {
			int slot = impose_slot(n, side, pos);
			int pi = slot >= 0 ? seq[slot] : -1;

			if (pi < 0)
				continue;
			pdf_impose_place(w, &w->place[pi], side, pos, scale,
					 off);
			if (pdf_draw_page(w, page, &lo->pages[pi],
					  &w->place[pi]))
				goto fail;
		}
		if (w->o->pdfx ?
		    pdf_print_sheet_marks(w, page, off, sw, sh) :
		    w->o->crop_marks &&
		    pdf_sheet_marks(w, page, half - pw, half + pw, py0,
				    py0 + ph))
			goto fail;
		if (w->o->test_sheet && pdf_sheet_label(w, page, side, py0))
			goto fail;
		if (pdf_deflate_page(w, side))
			goto fail;
	}
	free(seq);
	return 0;
fail:
	free(seq);
	return -1;
}

/* libharu saves the document straight into the output file. */
static int pdf_produce(void *ctx, void *sink)
{
	pdf_writer *w = ctx;
	PDF_TRY(w, hpriv_save(w->pdf, outfile_sink_put, sink));
	return 0;
fail:
	return -1;
}

/* Save the document and write it atomically, never whole in memory. */
static int pdf_save(pdf_writer *w)
{
	w->stage = "saving";
	return outfile_write_stream(w->out_path, pdf_produce, w, w->diags);
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
	po->npalette = style_inks(st, po->palette_rgb, po->palette_ink,
				  PDF_PALETTE_MAX);
}

void pdf_options_print(pdf_options *po)
{
	po->pdfx = 1;
	po->print = 1;
	po->bleed = PDF_PRINT_BLEED;
	po->crop_marks = 1;
	po->test_sheet = 0;
}

/* The sheet size, the number of PDF pages and where each laid-out page
 * goes (nowhere yet). Returns 0, or -1 (reported). */
static int pdf_plan(pdf_writer *w)
{
	const lo_doc *lo = w->lo;
	const pdf_options *o = w->o;
	size_t i, nsides;

	if (lo->width <= 0 || lo->height <= 0) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "cannot write PDF: page size %gx%g", lo->width,
			 lo->height);
		return -1;
	}
	if (o->impose) {
		/* a print file: the sheet, its bleed and a slug for marks */
		double off = o->pdfx ? o->bleed + PDF_SLUG : 0;

		w->media_w = (o->sheet_w > 0 ? o->sheet_w : PDF_A4_LANDSCAPE_W) +
			     2 * off;
		w->media_h = (o->sheet_h > 0 ? o->sheet_h : PDF_A4_LANDSCAPE_H) +
			     2 * off;
		nsides = (size_t)impose_sides(
			impose_padded_count((int)lo->npages));
		/* A test sheet is a single sheet: sheet 1, front and back. */
		if (o->test_sheet && nsides > 2)
			nsides = 2;
	} else {
		nsides = lo->npages;
	}
	if (nsides == 0) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "cannot write PDF: no pages");
		return -1;
	}
	w->sides = calloc(nsides, sizeof *w->sides);
	w->place = calloc(lo->npages ? lo->npages : 1, sizeof *w->place);
	if (!w->sides || !w->place) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		return -1;
	}
	w->nsides = (int)nsides;
	for (i = 0; i < lo->npages; i++)
		w->place[i].side = -1;
	return 0;
}

/* A libharu document that leaves compression to us (pdf_deflate) and
 * takes UTF-8 strings. Returns 0, or -1 (reported). */
static int pdf_start(pdf_writer *w)
{
	w->pdf = HPDF_New(pdf_on_error, w);
	if (!w->pdf) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "cannot write PDF: libharu could not start");
		return -1;
	}
	w->stage = "setting up";
	/* a long document's pages: compressed beside the drawing (a short
	 * one's would only add a thread to those the build already keeps
	 * busy: measured slower for the 16-page booklet) */
	if (w->lo->npages >= PDF_PAGEZ_PAGES)
		w->pz = pagez_start(PDF_DEFLATE_LEVEL);
	w->deflater = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL);
	if (!w->deflater) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		return -1;
	}
	/* no encoder: text strings are made UTF-16 by hpriv_set_text */
	if (HPDF_SetCompressionMode(w->pdf, HPDF_COMP_NONE) != HPDF_OK) {
		pdf_fail(w, w->out_path, "setup failed");
		return -1;
	}
	return 0;
}

/* The XMP metadata of the document (xmp.c) as the catalog's /Metadata
 * stream, uncompressed so that any tool can find it. Returns 0, or -1
 * (reported). */
static int pdf_add_xmp(pdf_writer *w)
{
	xmp_info x;
	arena a = {0};
	buf b = {0};
	char uuid[64];
	HPDF_Dict s;
	int rc = -1;

	memset(&x, 0, sizeof x);
	if (w->d) {
		const doc_meta *m = &w->d->meta;
		const char **names = arena_alloc(&a, (m->nauthors + 1) *
						 sizeof *names);

		for (size_t i = 0; i < m->nauthors; i++)
			names[i] = cite_person(&a, &m->authors[i]);
		x.title = m->title;
		x.creators = names;
		x.ncreators = m->nauthors;
		x.description = m->standfirst ?
				doc_plain_text(&a, m->standfirst) : NULL;
		x.language = m->language;
	}
	x.epoch = w->o->epoch;
	x.creator_tool = w->o->creator;
	x.producer = w->o->creator ? arena_printf(&a, "%s with libHaru %s",
		w->o->creator, HPDF_GetVersion()) : NULL;
	x.pdfua = w->tags.on;
	x.pdfx = w->o->pdfx;
	if (w->o->pdfx) {
		pdf_id_uuid(w, uuid, sizeof uuid);
		x.document_id = uuid;
	}
	xmp_packet(&b, &x);
	w->stage = "adding metadata";
	s = hpriv_raw_stream(w->pdf, b.data, b.len);
	PDF_NEED(w, s);
	PDF_TRY(w, HPDF_Dict_AddName(s, "Type", "Metadata"));
	PDF_TRY(w, HPDF_Dict_AddName(s, "Subtype", "XML"));
	PDF_TRY(w, HPDF_Dict_Add(hpriv_catalog(w->pdf), "Metadata", s));
	rc = 0;
fail:
	buf_free(&b);
	arena_free(&a);
	return rc;
}

/* The catalog's entries for readers and checkers: the language, the
 * title shown in the window, XMP metadata; in a print file the output
 * intent and the /ID; the version (PDF/UA-1 is on PDF 1.7, PDF/X-4 on
 * PDF 1.6). Returns 0, or -1 (reported). */
static int pdf_add_catalog(pdf_writer *w)
{
	HPDF_Dict cat = hpriv_catalog(w->pdf), vp;
	const char *lang = w->d ? w->d->meta.language : NULL;

	w->stage = "completing the catalog";
	PDF_NEED(w, cat);
	if (lang && *lang)
		PDF_TRY(w, HPDF_Dict_Add(cat, "Lang",
					 hpriv_string(w->pdf, lang)));
	vp = hpriv_dict(w->pdf);
	PDF_NEED(w, vp);
	PDF_TRY(w, HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE));
	PDF_TRY(w, HPDF_Dict_Add(cat, "ViewerPreferences", vp));
	if (pdf_add_xmp(w))
		return -1;
	if (w->o->pdfx && (pdf_output_intent(w) || pdf_id_write(w)))
		return -1;
	hpriv_set_version(w->pdf, w->o->pdfx ? HPDF_VER_16 : HPDF_VER_17);
	return 0;
fail:
	return -1;
}

/* Everything in the document: information, pages, links, outline,
 * labels, the structure tree, the fonts (once every page is drawn),
 * compressed pages and the catalog's entries. Returns 0, or -1
 * (reported). */
static int pdf_build(pdf_writer *w)
{
	if (pdf_load_fonts(w) || pdf_add_info(w) || pdf_tags_start(w))
		return -1;
	if (w->o->impose ? pdf_imposed_pages(w) : pdf_plain_pages(w))
		return -1;
	if (pdf_page_settle(w))         /* the last page */
		return -1;
	if (pdf_add_links(w) || pdf_add_outline(w))
		return -1;
	if (!w->o->impose && pdf_add_labels(w))
		return -1;
	if (w->lo->noutline &&
	    HPDF_SetPageMode(w->pdf, HPDF_PAGE_MODE_USE_OUTLINE) != HPDF_OK) {
		pdf_fail(w, w->out_path, "page mode");
		return -1;
	}
	if (pdf_tags_finish(w) || pdf_finish_fonts(w) || pdf_add_catalog(w))
		return -1;
	return 0;
}

int pdf_write(const doc *d, const lo_doc *lo, res *r, const pdf_options *o,
	      const char *out_path, diag_list *diags)
{
	pdf_writer w;
	int rc = -1;

	memset(&w, 0, sizeof w);
	w.d = d;
	w.lo = lo;
	w.res = r;
	w.o = o;
	w.out_path = out_path;
	w.diags = diags;
	w.stage = "starting";
	pdf_id_start(&w);
	if (o->pdfx && d && d->meta.title)
		pdf_id_add(&w, d->meta.title, strlen(d->meta.title));
	pdf_id_add(&w, &o->epoch, sizeof o->epoch);
	if (pdf_plan(&w) == 0 && pdf_start(&w) == 0 && pdf_build(&w) == 0)
		rc = pdf_save(&w);
	if (w.pdf)
		HPDF_Free(w.pdf);
	pdf_free_fonts(&w);
	pdf_tags_free(&w);
	buf_free(&w.raw);
	buf_free(&w.page_ops);
	arena_free(&w.mem);
	free(w.sides);
	free(w.place);
	if (w.deflater)
		libdeflate_free_compressor(w.deflater);
	pagez_stop(w.pz);
	return rc;
}
