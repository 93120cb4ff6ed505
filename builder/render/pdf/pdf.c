/* pdf.c - the PDF renderer (see pdf.h). Owns the document: pages, filled
 * rectangles, images, rules, text, link annotations, outline, page labels,
 * document info, and
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
#include "base/outfile.h"
#include "base/utf8.h"
#include "doc/cite.h"
#include "font/font.h"
#include "render/pdf/hpdf_private.h"
#include "render/pdf/impose.h"
#include "render/pdf/writer.h"
#include "render/raster/decode.h"

#define PDF_SLUG 18.0        /* pt outside the bleed that holds crop marks */
#define MARK_GAP 3.0         /* pt between a trim/bleed edge and its mark */
#define MARK_WIDTH 0.25
#define FOLD_MARK_LEN 10.0
#define MARK_MIN_ROOM 6.0
#define TEST_TEXT_SIZE 6.0
#define OUTLINE_MAX_DEPTH 8
#define PDF_DEFLATE_LEVEL 4

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

/* A new TJ array at (x, y): the one before closed, font, size and
 * colour set where they change. Returns 0 or -1 (reported). */
static int pdf_show_start(pdf_writer *w, HPDF_Page page, pdf_tstate *ts,
			  pdf_font *f, double size, paint c, int same_color,
			  double x, double y)
{
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
	return 0;
}

/* A CID as two bytes of a literal string (half the size of hex):
 * parentheses and backslash escaped, CR and LF too, since a reader
 * normalises line ends inside strings. */
static void pdf_put_cid(buf *ops, long cid)
{
	unsigned char b[2] = {(unsigned char)(cid >> 8), (unsigned char)cid};
	char e[2];
	size_t k;

	for (k = 0; k < 2; k++) {
		switch (b[k]) {
		case '(': case ')': case '\\':
			e[0] = '\\';
			e[1] = (char)b[k];
			buf_put(ops, e, 2);
			break;
		case '\r':
			buf_put(ops, "\\r", 2);
			break;
		case '\n':
			buf_put(ops, "\\n", 2);
			break;
		default:
			buf_put(ops, (const char *)&b[k], 1);
		}
	}
}

/* text as one string of the open TJ array, pair-kerned as font_width
 * measured it for layout; notes where it ends (x plus its advance).
 * Returns 0 or -1 (reported). */
static int pdf_show_text(pdf_writer *w, pdf_tstate *ts, pdf_font *f,
			 double size, double x, const char *text)
{
	const char *s = text, *end = text + strlen(text);
	double adv = 0;             /* 1/1000 em, kerning included */
	uint32_t prev = 0;          /* previous glyph of this run */

	buf_put(&ts->ops, "(", 1);
	while (s < end) {
		size_t used;
		long cid = pdf_cid(w, f, utf8_decode(s, (size_t)(end - s), &used));

		s += used;
		if (cid < 0)
			return -1;
		uint32_t g = f->gids[f->gid_index[cid]];
		double kern = prev && g ? font_kern_glyphs(f->face, prev, g) : 0;
		if (kern <= -0.0005 || kern >= 0.0005) {
			buf_put(&ts->ops, ")", 1);
			pdf_num(&ts->ops, -kern);
			buf_put(&ts->ops, "(", 1);
			adv += kern;
		}
		prev = g;
		adv += font_glyph_advance(f->face, g);
		pdf_put_cid(&ts->ops, cid);
	}
	buf_put(&ts->ops, ")", 1);
	ts->end_x = x + adv * size / 1000;
	return 0;
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
	int same_color = ts->have_color && c.r == ts->color.r &&
			 c.g == ts->color.g && c.b == ts->color.b;

	if (ts->in_tj && f == ts->font && size == ts->size && same_color &&
	    y == ts->y && x > ts->end_x - size) {
		double adj = (ts->end_x - x) * 1000 / size;

		if (adj <= -0.0005 || adj >= 0.0005)
			pdf_num(&ts->ops, adj);
	} else if (pdf_show_start(w, page, ts, f, size, c, same_color, x, y)) {
		return -1;
	}
	return pdf_show_text(w, ts, f, size, x, text);
}

/* Write the collected text object into page's content stream. */
static int pdf_flush_text(pdf_writer *w, HPDF_Page page, pdf_tstate *ts)
{
	if (!ts->ops.len)
		return 0;
	if (ts->in_tj)
		buf_puts(&ts->ops, "] TJ\n");
	ts->in_tj = 0;
	w->stage = "drawing text";
	PDF_TRY(w, hpriv_page_write(page, "BT\n", 3));
	PDF_TRY(w, hpriv_page_write(page, ts->ops.data, ts->ops.len));
	PDF_TRY(w, hpriv_page_write(page, "ET\n", 3));
	ts->ops.len = 0;
	return 0;
fail:
	return -1;
}

/* Split decoded RGBA pixels into RGB and alpha planes (malloc'd); *opaque
 * when every pixel is. 0, or -1 when memory runs out. */
static int pdf_planes(const unsigned char *rgba, size_t n, unsigned char **rgb,
		      unsigned char **alpha, int *opaque)
{
	*rgb = malloc(n * 3 + 1);
	*alpha = malloc(n + 1);
	if (!*rgb || !*alpha)
		return -1;
	*opaque = 1;
	for (size_t i = 0; i < n; i++) {
		memcpy(*rgb + i * 3, rgba + i * 4, 3);
		(*alpha)[i] = rgba[i * 4 + 3];
		*opaque &= rgba[i * 4 + 3] == 255;
	}
	return 0;
}

/* An image XObject of w x h pixels from a deflated plane of the given
 * colour space, or NULL (reported). */
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

/* The laid-out image im, decoded (render/raster/decode.c), cut to its
 * frame's shape and drawn on page as resource name over its frame: an RGB
 * image with a soft mask when it has transparency. 0, or -1 (reported; an
 * image that cannot be decoded is an error at its source). */
static int pdf_draw_image(pdf_writer *w, HPDF_Page page, const lo_image *im,
			  const char *name)
{
	char err[256] = "";
	unsigned char *rgba = NULL, *part = NULL, *rgb = NULL, *alpha = NULL;
	int iw, ih, cx, cy, cw, ch, opaque, rc = -1;
	const doc_pos *at = im->src;
	buf ops = {0};

	w->stage = "drawing an image";
	if (raster_decode_image(im->data, im->len, &iw, &ih, &rgba, err,
				sizeof err) != 0) {
		diag_add(w->diags, DIAG_ERROR, at ? at->file : w->out_path,
			 at ? at->line : 0, at ? at->col : 0, "cover image: %s",
			 err);
		return -1;
	}
	raster_cover_crop(iw, ih, im->x1 - im->x0, im->y1 - im->y0, &cx, &cy,
			  &cw, &ch);
	part = raster_crop(rgba, iw, cx, cy, cw, ch);
	size_t n = (size_t)cw * (size_t)ch;
	if (!part || pdf_planes(part, n, &rgb, &alpha, &opaque)) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0, "out of memory");
		goto out;
	}
	HPDF_Dict img = pdf_image_stream(w, rgb, n * 3, cw, ch, "DeviceRGB");
	if (!img)
		goto out;
	if (!opaque) {
		HPDF_Dict mask = pdf_image_stream(w, alpha, n, cw, ch,
						  "DeviceGray");
		if (!mask || HPDF_Dict_Add(img, "SMask", mask) != HPDF_OK)
			goto out;
	}
	HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
	if (!res)
		goto out;
	HPDF_Dict xo = HPDF_Dict_GetItem(res, "XObject", HPDF_OCLASS_DICT);
	if (!xo) {
		xo = hpriv_dict(w->pdf);
		if (!xo || HPDF_Dict_Add(res, "XObject", xo) != HPDF_OK)
			goto out;
	}
	if (HPDF_Dict_Add(xo, name, img) != HPDF_OK)
		goto out;
	buf_puts(&ops, "q\n");
	pdf_num(&ops, im->x1 - im->x0);
	buf_puts(&ops, "0 0 ");
	pdf_num(&ops, im->y1 - im->y0);
	pdf_num(&ops, im->x0);
	pdf_num(&ops, im->y0);
	buf_printf(&ops, "cm\n/%s Do\nQ\n", name);
	if (hpriv_page_write(page, ops.data, ops.len) != HPDF_OK)
		goto out;
	rc = 0;
out:
	if (rc && !w->diags->errors)
		pdf_fail(w, w->out_path, "the image could not be added");
	buf_free(&ops);
	free(rgba);
	free(part);
	free(rgb);
	free(alpha);
	return rc;
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

	for (i = 0; i < p->nfills; i++) {
		const lo_fill *f = &p->fills[i];

		PDF_TRY(w, HPDF_Page_SetRGBFill(page, pdf_unit(f->color.r),
			pdf_unit(f->color.g), pdf_unit(f->color.b)));
		PDF_TRY(w, HPDF_Page_Rectangle(page, (HPDF_REAL)f->x0,
			(HPDF_REAL)f->y0, (HPDF_REAL)(f->x1 - f->x0),
			(HPDF_REAL)(f->y1 - f->y0)));
		PDF_TRY(w, HPDF_Page_Fill(page));
	}
	for (i = 0; i < p->nimages; i++) {
		char name[48];

		snprintf(name, sizeof name, "Im%zu_%zu",
			 (size_t)(p - w->lo->pages), i);
		if (pdf_draw_image(w, page, &p->images[i], name))
			goto fail;
	}
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
		if (!f || pdf_show(w, page, &ts, f, r->size,
				   r->link && w->o->print ?
				   w->lo->print_link_color : r->color,
				   r->x, r->y, r->text))
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

/* data deflated (zlib format, for /FlateDecode) into *z (malloc'd, *n
 * bytes). We compress rather than libharu: libdeflate at level 4 makes
 * files within 2% of zlib's level 6 in a fifth of the time. Returns 0, or
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

	if (pdf_deflate(w, data, len, &z, &n))
		return NULL;
	s = hpriv_flate_stream(w->pdf, z, n);
	free(z);
	return s;
}

/* Deflate each page's finished content stream in place. */
static int pdf_deflate_pages(pdf_writer *w)
{
	int i;

	w->stage = "compressing pages";
	for (i = 0; i < w->nsides; i++) {
		unsigned char *raw, *z;
		size_t n, zn;
		HPDF_STATUS st = hpriv_page_take(w->sides[i], &raw, &n);
		int rc;

		if (st == HPDF_FAILD_TO_ALLOC_MEM) {
			diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
				 "out of memory");
			return -1;
		}
		if (st != HPDF_OK) {
			pdf_fail(w, w->out_path, "cannot read a page back");
			return -1;
		}
		rc = pdf_deflate(w, raw, n, &z, &zn);
		free(raw);
		if (rc)
			return -1;
		st = hpriv_page_set_flate(w->sides[i], z, zn);
		free(z);
		if (st != HPDF_OK) {
			pdf_fail(w, w->out_path, "compression failed");
			return -1;
		}
	}
	return 0;
}

/* TrimBox (the finished page, off inside the media) and BleedBox (slug
 * inside the media) of a plain page. */
static int pdf_page_boxes(pdf_writer *w, HPDF_Page page, double off,
			  double slug)
{
	const lo_doc *lo = w->lo;
	HPDF_Box trim = { (HPDF_REAL)off, (HPDF_REAL)off,
		(HPDF_REAL)(off + lo->width), (HPDF_REAL)(off + lo->height) };
	HPDF_Box bl = { (HPDF_REAL)slug, (HPDF_REAL)slug,
		(HPDF_REAL)(w->media_w - slug),
		(HPDF_REAL)(w->media_h - slug) };
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

/* Corner crop marks in the slug of a plain page whose trimmed page starts
 * off inside the media: each mark starts MARK_GAP beyond the bleed. */
static int pdf_crop_marks(pdf_writer *w, HPDF_Page page, double off,
			  double bleed, double slug)
{
	const lo_doc *lo = w->lo;
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
				(HPDF_REAL)(x[cx] + sx * g), (HPDF_REAL)y[cy]));
			PDF_TRY(w, HPDF_Page_LineTo(page,
				(HPDF_REAL)(x[cx] + sx * (g + len)),
				(HPDF_REAL)y[cy]));
			PDF_TRY(w, HPDF_Page_MoveTo(page, (HPDF_REAL)x[cx],
				(HPDF_REAL)(y[cy] + sy * g)));
			PDF_TRY(w, HPDF_Page_LineTo(page, (HPDF_REAL)x[cx],
				(HPDF_REAL)(y[cy] + sy * (g + len))));
		}
	PDF_TRY(w, HPDF_Page_Stroke(page));
	return 0;
fail:
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
		if (off > 0 && pdf_page_boxes(w, page, off, slug))
			goto fail;
		w->place[i].side = (int)i;
		w->place[i].scale = 1;
		w->place[i].dx = off;
		w->place[i].dy = off;
		if (pdf_draw_page(w, page, &lo->pages[i], &w->place[i]))
			goto fail;
		if (w->o->crop_marks &&
		    pdf_crop_marks(w, page, off, bleed, slug))
			goto fail;
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
		w->media_w = o->sheet_w > 0 ? o->sheet_w : PDF_A4_LANDSCAPE_W;
		w->media_h = o->sheet_h > 0 ? o->sheet_h : PDF_A4_LANDSCAPE_H;
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
	w->deflater = libdeflate_alloc_compressor(PDF_DEFLATE_LEVEL);
	if (!w->deflater) {
		diag_add(w->diags, DIAG_ERROR, w->out_path, 0, 0,
			 "out of memory");
		return -1;
	}
	if (HPDF_SetCompressionMode(w->pdf, HPDF_COMP_NONE) != HPDF_OK ||
	    HPDF_UseUTFEncodings(w->pdf) != HPDF_OK ||
	    HPDF_SetCurrentEncoder(w->pdf, "UTF-8") != HPDF_OK ||
	    !(w->enc = HPDF_GetEncoder(w->pdf, "UTF-8"))) {
		pdf_fail(w, w->out_path, "setup failed");
		return -1;
	}
	return 0;
}

/* Everything in the document: information, pages, links, outline,
 * labels, the fonts (once every page is drawn) and compressed pages.
 * Returns 0, or -1 (reported). */
static int pdf_build(pdf_writer *w)
{
	if (pdf_load_fonts(w) || pdf_add_info(w))
		return -1;
	if (w->o->impose ? pdf_imposed_pages(w) : pdf_plain_pages(w))
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
	if (pdf_finish_fonts(w) || pdf_deflate_pages(w))
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
	if (pdf_plan(&w) == 0 && pdf_start(&w) == 0 && pdf_build(&w) == 0)
		rc = pdf_save(&w);
	if (w.pdf)
		HPDF_Free(w.pdf);
	pdf_free_fonts(&w);
	free(w.sides);
	free(w.place);
	if (w.deflater)
		libdeflate_free_compressor(w.deflater);
	return rc;
}
