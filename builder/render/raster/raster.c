/* raster.c - owns drawing laid-out pages into an 8-bit sRGB canvas and
 * encoding it as PNG (compressed by libdeflate). Every shape (glyph outlines, rules,
 * rectangles) is an outline given to FreeType's anti-aliasing rasteriser,
 * whose coverage spans are blended here in linear light; glyphs are the
 * runs' shaped glyphs, unhinted outlines placed at the advances the
 * typesetter set (kerning, word spaces, font expansion), so runs land where
 * the PDF puts them. Images are resampled by area averaging. Canvas rows
 * run top to bottom; page coordinates are PDF
 * points from the bottom left, as FreeType's are (y up). */
#include "render/raster/raster.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

#include "base/arena.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "font/face.h"
#include "render/raster/decode.h"

/* Glyphs larger than this many pixels to the em are not drawn (their
 * outlines would leave FreeType's 26.6 coordinate range). */
#define RASTER_MAX_PPEM 65536.0

struct raster_canvas {
	int w, h;                 /* pixels */
	double sx, sy;            /* pixels per pt, across and up */
	/* the rows held: y0 .. y0 + rows - 1 of the h (all of them, but in
	 * raster_page_png, which draws the page a band of rows at a time) */
	int y0, rows;
	unsigned char *rgb;       /* w * rows * 3, sRGB, top row first */
	unsigned char bg[3];      /* what the rows are filled with */
	FT_Library ft;
	double advance_error;     /* see raster_advance_error */
};

/* Pixel x of canvas row row, which must be held. */
static unsigned char *px_at(const raster_canvas *c, int row, int x)
{
	return c->rgb + ((size_t)(row - c->y0) * c->w + (size_t)x) * 3;
}

/* ---- colour: sRGB bytes and linear light ------------------------------- */

static uint16_t lin_of[256];        /* sRGB byte -> linear, 0..65535 */
static unsigned char srgb_of[65536];  /* linear -> nearest sRGB byte */
static float linf_of[256];          /* sRGB byte -> linear, 0..1 */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static double srgb_to_linear(double c)
{
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/* The three tables; srgb_of[lin_of[v]] == v for every byte v, so an opaque
 * colour comes out exactly as given. */
static void tables_init(void)
{
	unsigned v;
	size_t x = 0;

	for (v = 0; v < 256; v++) {
		lin_of[v] = (uint16_t)lround(srgb_to_linear(v / 255.0) * 65535);
		linf_of[v] = lin_of[v] / 65535.0f;
	}
	for (v = 0; v < 255; v++) {
		double edge = srgb_to_linear((v + 0.5) / 255.0) * 65535;

		for (; x < 65536 && x < edge; x++)
			srgb_of[x] = (unsigned char)v;
	}
	for (; x < 65536; x++)
		srgb_of[x] = 255;
}

static unsigned char to_byte(double c)
{
	if (!(c > 0))
		return 0;
	return c >= 1 ? 255 : (unsigned char)lround(c * 255);
}

/* What a shape is filled with: an sRGB colour, its linear value, and an
 * opacity (0..65535). */
typedef struct raster_ink {
	unsigned char srgb[3];
	uint32_t lin[3];
	uint32_t alpha;
} raster_ink;

static raster_ink ink_of(paint p, double alpha)
{
	raster_ink k;

	k.srgb[0] = to_byte(p.r);
	k.srgb[1] = to_byte(p.g);
	k.srgb[2] = to_byte(p.b);
	for (int i = 0; i < 3; i++)
		k.lin[i] = lin_of[k.srgb[i]];
	k.alpha = !(alpha > 0) ? 0 : alpha >= 1 ? 65535
		: (uint32_t)lround(alpha * 65535);
	return k;
}

/* Blend ink over n pixels at px with coverage cov (0..255). */
static void blend_pixels(unsigned char *px, int n, const raster_ink *k,
			 unsigned cov)
{
	uint32_t a = (uint32_t)((cov * (uint64_t)k->alpha + 127) / 255);

	if (a == 0)
		return;
	if (a == 65535) {       /* opaque: one pixel, then doubling copies */
		size_t done = 3, len = (size_t)n * 3;
		memcpy(px, k->srgb, 3);
		while (done < len) {
			size_t m = done < len - done ? done : len - done;
			memcpy(px + done, px, m);
			done += m;
		}
		return;
	}
	for (; n > 0; n--, px += 3)
		for (int i = 0; i < 3; i++) {
			uint64_t v = (uint64_t)k->lin[i] * a +
				     (uint64_t)lin_of[px[i]] * (65535 - a);

			px[i] = srgb_of[(v + 32767) / 65535];
		}
}

/* ---- canvas ------------------------------------------------------------- */

/* Fill the rows held with the background. */
static void canvas_clear(raster_canvas *c)
{
	size_t n = (size_t)c->w * (size_t)c->rows * 3;
	if (c->bg[0] == c->bg[1] && c->bg[1] == c->bg[2]) {
		memset(c->rgb, c->bg[0], n);   /* white, grey: one byte */
	} else if (n >= 3) {
		/* one pixel, then copies of what is filled, doubling */
		size_t done = 3;
		memcpy(c->rgb, c->bg, 3);
		while (done < n) {
			size_t m = done < n - done ? done : n - done;
			memcpy(c->rgb + done, c->rgb, m);
			done += m;
		}
	}
}

/* raster_new, holding band rows at a time when band > 0 (the first
 * band's rows, not cleared), else every row, cleared. */
static raster_canvas *canvas_new(double page_w, double page_h, int width_px,
				 paint bg, int band, diag_list *d)
{
	raster_canvas *c;
	double hd;
	size_t n;

	pthread_once(&tables_once, tables_init);
	if (!(page_w > 0 && page_h > 0 && page_w < 1e6 && page_h < 1e6)) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "cannot rasterise a page of %g x %g pt", page_w, page_h);
		return NULL;
	}
	hd = floor(width_px * page_h / page_w + 0.5);
	if (width_px < 1 || width_px > RASTER_MAX_CANVAS || hd < 1 ||
	    hd > RASTER_MAX_CANVAS) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "cannot rasterise a page %d pixels wide: each side "
			 "must be 1 to %d pixels", width_px, RASTER_MAX_CANVAS);
		return NULL;
	}
	c = calloc(1, sizeof *c);
	int rows = band > 0 && band < hd ? band : (int)hd;
	n = (size_t)width_px * (size_t)rows * 3;
	if (c)
		c->rgb = malloc(n);
	if (!c || !c->rgb || FT_Init_FreeType(&c->ft) != 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "out of memory for a %d-pixel-wide image", width_px);
		if (c)
			free(c->rgb);
		free(c);
		return NULL;
	}
	c->w = width_px;
	c->h = (int)hd;
	c->sx = c->w / page_w;
	c->sy = c->h / page_h;
	c->y0 = 0;
	c->rows = rows;
	memcpy(c->bg, ink_of(bg, 1).srgb, 3);
	if (!band)
		canvas_clear(c);
	return c;
}

raster_canvas *raster_new(double page_w, double page_h, int width_px,
			  paint bg, diag_list *d)
{
	return canvas_new(page_w, page_h, width_px, bg, 0, d);
}

void raster_free(raster_canvas *c)
{
	if (!c)
		return;
	FT_Done_FreeType(c->ft);
	free(c->rgb);
	free(c);
}

int raster_width(const raster_canvas *c)
{
	return c->w;
}

int raster_height(const raster_canvas *c)
{
	return c->h;
}

double raster_advance_error(const raster_canvas *c)
{
	return c->advance_error;
}

/* ---- outlines: FreeType's rasteriser, spans blended here --------------- */

typedef struct raster_spans {
	raster_canvas *c;
	const raster_ink *ink;
} raster_spans;

/* FreeType's 256 coverage levels rounded to RASTER_AA_LEVELS: steps of
 * 1.6% at an edge, finer than the eye tells on a cover, and few enough
 * that a page of text in a few colours needs fewer than 256 colours, so
 * its PNG is written indexed (raster_encode_png): a third of the bytes to
 * compress. Solid (255) and empty (0) stay exact. */
enum { RASTER_AA_LEVELS = 64 };

static unsigned aa_level(unsigned cov)
{
	unsigned q = (cov * (RASTER_AA_LEVELS - 1) + 127) / 255;
	return (q * 255 + (RASTER_AA_LEVELS - 1) / 2) / (RASTER_AA_LEVELS - 1);
}

/* FreeType's span callback: y counts up from the canvas' bottom row. */
static void spans_blend(int y, int count, const FT_Span *spans, void *user)
{
	const raster_spans *s = user;
	raster_canvas *c = s->c;
	int row = c->h - 1 - y;

	if (row < c->y0 || row >= c->y0 + c->rows)
		return;
	for (int i = 0; i < count; i++) {
		int x = spans[i].x, n = spans[i].len;

		if (x < 0) {
			n += x;
			x = 0;
		}
		if (x + n > c->w)
			n = c->w - x;
		if (n > 0)
			blend_pixels(px_at(c, row, x), n, s->ink,
				     aa_level(spans[i].coverage));
	}
}

/* Fill outline o (26.6 pixel coordinates, y up) with ink, anti-aliased,
 * clipped to the rows held (the rows outside them FreeType leaves
 * alone; those inside get the same coverage as on a whole canvas). */
static void fill_outline(raster_canvas *c, const FT_Outline *o,
			 const raster_ink *ink)
{
	FT_Raster_Params params;
	raster_spans s = { c, ink };

	if (ink->alpha == 0)
		return;
	memset(&params, 0, sizeof params);
	params.source = o;
	params.flags = FT_RASTER_FLAG_AA | FT_RASTER_FLAG_DIRECT |
		       FT_RASTER_FLAG_CLIP;
	params.gray_spans = spans_blend;
	params.user = &s;
	params.clip_box.xMin = 0;
	params.clip_box.yMin = c->h - c->y0 - c->rows;
	params.clip_box.xMax = c->w;
	params.clip_box.yMax = c->h - c->y0;
	FT_Outline_Render(c->ft, (FT_Outline *)o, &params);
}

/* Fill the polygon of n (at most 8) points given in pixels, y up. */
static void fill_polygon(raster_canvas *c, const double *xy, int n,
			 const raster_ink *ink)
{
	FT_Vector pts[8];
	char tags[8];
	short end = (short)(n - 1);
	FT_Outline o;

	for (int i = 0; i < n; i++) {
		pts[i].x = lround(xy[2 * i] * 64);
		pts[i].y = lround(xy[2 * i + 1] * 64);
		tags[i] = FT_CURVE_TAG_ON;
	}
	memset(&o, 0, sizeof o);
	o.n_contours = 1;
	o.n_points = (short)n;
	o.points = pts;
	o.tags = tags;
	o.contours = &end;
	o.flags = FT_OUTLINE_NONE;
	fill_outline(c, &o, ink);
}

/* Clamp v (pixels) to a band a little wider than the canvas side len, so
 * coordinates stay far inside FreeType's 26.6 range. */
static double clamp_px(double v, int len)
{
	if (!(v > -2))
		return -2;
	return v > len + 2 ? len + 2 : v;
}

void raster_fill_rect(raster_canvas *c, double x0, double y0, double x1,
		      double y1, paint p, double alpha)
{
	raster_ink ink = ink_of(p, alpha);
	double l = clamp_px(fmin(x0, x1) * c->sx, c->w);
	double r = clamp_px(fmax(x0, x1) * c->sx, c->w);
	double b = clamp_px(fmin(y0, y1) * c->sy, c->h);
	double t = clamp_px(fmax(y0, y1) * c->sy, c->h);
	double xy[8] = { l, b, r, b, r, t, l, t };

	if (r > l && t > b)
		fill_polygon(c, xy, 4, &ink);
}

/* Clip the segment (x0,y0)-(x1,y1) in pixels to the canvas grown by m on
 * each side (Liang-Barsky). Returns 0 when nothing is left. */
static int clip_segment(const raster_canvas *c, double m, double *x0,
			double *y0, double *x1, double *y1)
{
	double dx = *x1 - *x0, dy = *y1 - *y0, t0 = 0, t1 = 1;
	double p[4] = { -dx, dx, -dy, dy };
	double q[4] = { *x0 + m, c->w + m - *x0, *y0 + m, c->h + m - *y0 };

	for (int i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (q[i] < 0)
				return 0;
			continue;
		}
		double t = q[i] / p[i];
		if (p[i] < 0) {
			if (t > t1)
				return 0;
			if (t > t0)
				t0 = t;
		} else {
			if (t < t0)
				return 0;
			if (t < t1)
				t1 = t;
		}
	}
	*x1 = *x0 + t1 * dx;
	*y1 = *y0 + t1 * dy;
	*x0 += t0 * dx;
	*y0 += t0 * dy;
	return 1;
}

/* A rule: the segment stroked at its width with butt caps (PDF's default
 * line cap); width 0 is the thinnest line, one pixel. A level or upright
 * rule (the usual case) is a rectangle; a slanted one a parallelogram,
 * drawn unless it is wider than the canvas. */
static void draw_rule(raster_canvas *c, const lo_rule *r)
{
	double dx = r->x1 - r->x0, dy = r->y1 - r->y0, len = hypot(dx, dy);
	double half = r->width > 0 ? r->width / 2 : 0.5 / fmax(c->sx, c->sy);
	raster_ink ink = ink_of(r->color, 1);

	if (!(len > 0) || !isfinite(len) || !(half < 1e6))
		return;
	if (dx == 0 || dy == 0) {
		double hx = dx == 0 ? half : 0, hy = dy == 0 ? half : 0;

		raster_fill_rect(c, fmin(r->x0, r->x1) - hx,
				 fmin(r->y0, r->y1) - hy, fmax(r->x0, r->x1) + hx,
				 fmax(r->y0, r->y1) + hy, r->color, 1);
		return;
	}
	/* the half-width across the rule, in pixels */
	double nx = -dy / len * half * c->sx, ny = dx / len * half * c->sy;
	double x0 = r->x0 * c->sx, y0 = r->y0 * c->sy;
	double x1 = r->x1 * c->sx, y1 = r->y1 * c->sy;

	if (fabs(nx) + fabs(ny) > c->w + c->h ||
	    !clip_segment(c, fabs(nx) + fabs(ny) + 2, &x0, &y0, &x1, &y1))
		return;
	double xy[8] = { x0 + nx, y0 + ny, x1 + nx, y1 + ny,
			 x1 - nx, y1 - ny, x0 - nx, y0 - ny };
	fill_polygon(c, xy, 4, &ink);
}

/* ---- text --------------------------------------------------------------- */

typedef struct raster_face {
	face *file;               /* the font file, read and checked as the
				     layout's was (font/face.h) */
	FT_Face outlines;         /* its glyph outlines */
} raster_face;

/* Load lo's font i for drawing (once per page). 0, or -1 with an error. */
static int raster_face_load(raster_canvas *c, const lo_doc *lo, size_t i,
			    raster_face *f, diag_list *d)
{
	char err[512];
	const unsigned char *data;
	size_t len;

	f->file = face_load(lo->fonts[i], err, sizeof err);
	if (!f->file) {
		diag_add(d, DIAG_ERROR, lo->fonts[i], 0, 0,
			 "cannot load font: %s", err);
		return -1;
	}
	data = face_data(f->file, &len);
	if (FT_New_Memory_Face(c->ft, data, (FT_Long)len, 0, &f->outlines)) {
		diag_add(d, DIAG_ERROR, lo->fonts[i], 0, 0,
			 "cannot load font: FreeType cannot read its outlines");
		face_free(f->file);
		f->file = NULL;
		return -1;
	}
	return 0;
}

static void raster_face_free(raster_face *f)
{
	if (f->outlines)
		FT_Done_Face(f->outlines);
	face_free(f->file);
}

/* Draw glyph gid of f with its origin at (x, y) pixels, scaled to ppem
 * pixels per em across and up. Unhinted: outlines in font units, scaled
 * and moved by FreeType to 1/64 pixel. */
static void draw_glyph(raster_canvas *c, const raster_face *f, uint32_t gid,
		       double ppem_x, double ppem_y, double x, double y,
		       const raster_ink *ink)
{
	FT_Face face = f->outlines;
	FT_Matrix m;

	if (FT_Load_Glyph(face, gid, FT_LOAD_NO_SCALE) != 0 ||
	    face->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
		return;
	/* font units to 26.6 pixels, as a 16.16 factor */
	m.xx = lround(ppem_x * 64 / face->units_per_EM * 65536);
	m.yy = lround(ppem_y * 64 / face->units_per_EM * 65536);
	m.xy = m.yx = 0;
	FT_Outline_Transform(&face->glyph->outline, &m);
	FT_Outline_Translate(&face->glyph->outline, lround(x * 64),
			     lround(y * 64));
	fill_outline(c, &face->glyph->outline, ink);
}

/* One run: its glyphs, each at the pen plus its offsets, scaled by the
 * run's expansion across, the pen moved by the glyph's advance (and the
 * word-space adjustment after a space), so the pen ends at x + width.
 * Glyphs that cannot reach the canvas (more than 4 em off it), or larger
 * than RASTER_MAX_PPEM, are measured only. Records how far the pen ends
 * from x + width. */
static void draw_run(raster_canvas *c, const raster_face *f, const lo_run *r)
{
	raster_ink ink = ink_of(r->color, 1);
	double ppem_x = r->size * r->hscale * c->sx, ppem_y = r->size * c->sy;
	double unit = r->size / r->upem;   /* pt per font unit */
	double pen = 0;                     /* pt from x */
	double x = r->x * c->sx, y = r->y * c->sy;
	int drawn = ppem_x <= RASTER_MAX_PPEM && ppem_y <= RASTER_MAX_PPEM &&
		    y > c->h - c->y0 - c->rows - 4 * ppem_y &&
		    y < c->h - c->y0 + 4 * ppem_y;

	for (size_t i = 0; i < r->nglyphs; i++) {
		const lo_glyph *g = &r->glyphs[i];
		int xo = r->offsets ? r->offsets[i].x : 0;
		int yo = r->offsets ? r->offsets[i].y : 0;
		double gx = x + (pen + r->hscale * xo * unit) * c->sx;
		double gy = y + yo * unit * c->sy;

		if (drawn && gx > -4 * ppem_x && gx < c->w + 4 * ppem_x)
			draw_glyph(c, f, g->gid, ppem_x, ppem_y, gx, gy, &ink);
		pen += r->hscale * g->advance * unit;
		if (g->kind == LO_GLYPH_SPACE)
			pen += r->space_adjust;
	}
	double miss = fabs(pen - r->width);
	if (miss > c->advance_error)
		c->advance_error = miss;
}

/* Load the fonts page p's runs use into faces (lo->nfonts slots). */
static int page_faces(raster_canvas *c, const lo_doc *lo, const lo_page *p,
		      raster_face *faces, diag_list *d)
{
	for (size_t i = 0; i < p->nruns; i++) {
		const lo_run *r = &p->runs[i];

		if (r->font < 0 || (size_t)r->font >= lo->nfonts) {
			diag_add(d, DIAG_ERROR, NULL, 0, 0,
				 "cannot rasterise page %zu: a run uses font "
				 "%d of %zu", (size_t)(p - lo->pages) + 1,
				 r->font, lo->nfonts);
			return -1;
		}
		if (!faces[r->font].file &&
		    raster_face_load(c, lo, (size_t)r->font, &faces[r->font], d))
			return -1;
	}
	return 0;
}

/* A laid-out image: decoded, cut to its frame's shape and drawn to fill
 * it. 0, or -1 after adding an error at the image's source. */
static int draw_lo_image(raster_canvas *c, const lo_image *im, diag_list *d)
{
	char err[256] = "";
	unsigned char *rgba = NULL, *part = NULL;
	int w, h, cx, cy, cw, ch, rc = -1;
	const doc_pos *at = im->src;

	if (raster_decode_image(im->data, im->len, &w, &h, &rgba, err,
				sizeof err) != 0) {
		diag_add(d, DIAG_ERROR, at ? at->file : NULL, at ? at->line : 0,
			 at ? at->col : 0, "cover image: %s", err);
		return -1;
	}
	raster_cover_crop(w, h, im->x1 - im->x0, im->y1 - im->y0, &cx, &cy,
			  &cw, &ch);
	part = raster_crop(rgba, w, cx, cy, cw, ch);
	if (!part)
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "out of memory");
	else
		rc = raster_draw_image(c, part, cw, ch, im->x0, im->y0, im->x1,
				       im->y1, d);
	free(part);
	free(rgba);
	return rc;
}

/* Page page of lo and the faces its runs use (lo->nfonts slots, free
 * with page_faces_free), or NULL after adding an error to d. */
static raster_face *page_open(raster_canvas *c, const lo_doc *lo,
			      size_t page, diag_list *d)
{
	if (page >= lo->npages) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot rasterise page "
			 "%zu: the layout has %zu", page + 1, lo->npages);
		return NULL;
	}
	raster_face *faces = calloc(lo->nfonts ? lo->nfonts : 1, sizeof *faces);
	if (!faces) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "out of memory");
		return NULL;
	}
	if (page_faces(c, lo, &lo->pages[page], faces, d) != 0) {
		for (size_t i = 0; i < lo->nfonts; i++)
			raster_face_free(&faces[i]);
		free(faces);
		return NULL;
	}
	return faces;
}

static void page_faces_free(const lo_doc *lo, raster_face *faces)
{
	for (size_t i = 0; i < lo->nfonts; i++)
		raster_face_free(&faces[i]);
	free(faces);
}

/* Draw page p into the rows c holds, its fonts in faces. */
static int page_draw(raster_canvas *c, const lo_page *p,
		     const raster_face *faces, diag_list *d)
{
	int rc = 0;
	for (size_t i = 0; i < p->nfills; i++) {
		const lo_fill *f = &p->fills[i];

		raster_fill_rect(c, f->x0, f->y0, f->x1, f->y1, f->color, 1);
	}
	for (size_t i = 0; i < p->nimages && rc == 0; i++)
		rc = draw_lo_image(c, &p->images[i], d);
	for (size_t i = 0; i < p->nrules; i++)
		draw_rule(c, &p->rules[i]);
	for (size_t i = 0; i < p->nruns; i++) {
		const lo_run *r = &p->runs[i];

		if (r->nglyphs && r->size > 0 && r->size < 1e4 &&
		    r->upem > 0 && r->hscale > 0 && r->hscale < 10)
			draw_run(c, &faces[r->font], r);
	}
	return rc;
}

int raster_draw_page(raster_canvas *c, const lo_doc *lo, size_t page,
		     diag_list *d)
{
	raster_face *faces = page_open(c, lo, page, d);
	if (!faces)
		return -1;
	int rc = page_draw(c, &lo->pages[page], faces, d);
	page_faces_free(lo, faces);
	return rc;
}

/* ---- images: area-averaged resampling, composited in linear light ------ */

/* How one canvas pixel along one axis samples the image: source pixels
 * first .. first + n - 1 with weights w[at ..] (summing to 1), and the
 * share of the canvas pixel the image covers. */
typedef struct raster_taps {
	int first, n;
	size_t at;
	float cover;
} raster_taps;

/* Taps of canvas pixels lo .. hi - 1 along an axis where the image spans
 * [a, b) pixels and has len source pixels. Shrinking, each canvas pixel
 * averages the source pixels its footprint covers, by area; enlarging,
 * it interpolates the two nearest (bilinear). 0, or -1 out of memory. */
static int axis_taps(double a, double b, int len, int lo, int hi,
		     raster_taps **taps_out, float **w_out)
{
	double ratio = len / (b - a);
	/* taps per canvas pixel: never more than the source has */
	int most = ratio >= len ? len + 1 : ratio >= 1 ? (int)ceil(ratio) + 2 : 2;
	raster_taps *taps = calloc((size_t)(hi - lo), sizeof *taps);
	float *w = malloc((size_t)(hi - lo) * (size_t)most * sizeof *w);
	size_t at = 0;

	*taps_out = taps;
	*w_out = w;
	if (!taps || !w)
		return -1;
	for (int i = lo; i < hi; i++) {
		raster_taps *t = &taps[i - lo];
		double p0 = fmax(i, a), p1 = fmin(i + 1, b);
		double u0 = (p0 - a) * ratio, u1 = (p1 - a) * ratio;

		t->cover = (float)(p1 - p0);
		t->at = at;
		if (ratio >= 1 && u1 - u0 > 1e-9) {
			int k0 = (int)floor(u0), k1 = (int)ceil(u1) - 1;

			k0 = k0 < 0 ? 0 : k0;
			k1 = k1 > len - 1 ? len - 1 : k1;
			k1 = k1 - k0 + 1 > most ? k0 + most - 1 : k1;
			t->first = k0;
			for (int k = k0; k <= k1; k++)
				w[at + t->n++] = (float)((fmin(k + 1, u1) -
					fmax(k, u0)) / (u1 - u0));
		} else {
			double uc = (u0 + u1) / 2 - 0.5;
			int k0 = (int)floor(uc);
			double f = uc - k0;

			if (k0 < 0) {
				k0 = 0;
				f = 0;
			}
			if (k0 >= len - 1) {
				k0 = len - 1;
				f = 0;
			}
			t->first = k0;
			w[at + t->n++] = (float)(1 - f);
			if (f > 0)
				w[at + t->n++] = (float)f;
		}
		at += (size_t)t->n;
	}
	return 0;
}

/* Sum the source rows of vertical taps vt into acc (premultiplied linear
 * RGBA per pixel) for source columns c0 .. c1. */
static void image_rows(const unsigned char *rgba, int w, const raster_taps *vt,
		       const float *vw, int c0, int c1, float *acc)
{
	memset(acc + 4 * c0, 0, (size_t)(c1 - c0 + 1) * 4 * sizeof *acc);
	for (int t = 0; t < vt->n; t++) {
		const unsigned char *s = rgba + (size_t)(vt->first + t) * w * 4;
		float k = vw[vt->at + t];

		for (int x = c0; x <= c1; x++) {
			const unsigned char *p = s + 4 * x;
			float a = k * p[3] / 255.0f;
			float *q = acc + 4 * x;

			q[0] += a * linf_of[p[0]];
			q[1] += a * linf_of[p[1]];
			q[2] += a * linf_of[p[2]];
			q[3] += a;
		}
	}
}

/* Composite one canvas row from acc through horizontal taps. */
static void image_span(raster_canvas *c, int row, int col0,
		       const raster_taps *ht, int n, const float *hw,
		       const float *acc, float vcover)
{
	unsigned char *px = px_at(c, row, col0);

	for (int i = 0; i < n; i++, px += 3) {
		const raster_taps *t = &ht[i];
		float s[4] = { 0, 0, 0, 0 }, cov = t->cover * vcover;

		for (int k = 0; k < t->n; k++)
			for (int j = 0; j < 4; j++)
				s[j] += hw[t->at + k] * acc[4 * (t->first + k) + j];
		float keep = 1 - s[3] * cov;
		for (int j = 0; j < 3; j++) {
			float v = s[j] * cov + linf_of[px[j]] * keep;
			long x = lroundf(v * 65535);

			px[j] = srgb_of[x < 0 ? 0 : x > 65535 ? 65535 : x];
		}
	}
}

int raster_draw_image(raster_canvas *c, const unsigned char *rgba, int w,
		      int h, double x0, double y0, double x1, double y1,
		      diag_list *d)
{
	/* the image's box in canvas pixels, rows counted down */
	double l = fmin(x0, x1) * c->sx, r = fmax(x0, x1) * c->sx;
	double t = c->h - fmax(y0, y1) * c->sy, b = c->h - fmin(y0, y1) * c->sy;
	raster_taps *ht = NULL, *vt = NULL;
	float *hw = NULL, *vw = NULL, *acc = NULL;
	int rc = 0;

	if (!rgba || w < 1 || h < 1 || !(r - l > 1e-6) || !(b - t > 1e-6) ||
	    !(r > 0 && l < c->w && b > 0 && t < c->h))
		return 0;
	int col0 = (int)floor(fmax(l, 0)), col1 = (int)ceil(fmin(r, c->w));
	int row0 = (int)floor(fmax(t, 0)), row1 = (int)ceil(fmin(b, c->h));

	if (axis_taps(l, r, w, col0, col1, &ht, &hw) ||
	    axis_taps(t, b, h, row0, row1, &vt, &vw) ||
	    !(acc = malloc((size_t)w * 4 * sizeof *acc))) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "out of memory drawing a %d x %d image", w, h);
		rc = -1;
		goto out;
	}
	const raster_taps *last = &ht[col1 - col0 - 1];
	int c0 = ht[0].first, c1 = last->first + last->n - 1;
	int held0 = row0 > c->y0 ? row0 : c->y0;
	int held1 = row1 < c->y0 + c->rows ? row1 : c->y0 + c->rows;
	for (int row = held0; row < held1; row++) {
		const raster_taps *v = &vt[row - row0];

		image_rows(rgba, w, v, vw, c0, c1, acc);
		image_span(c, row, col0, ht, col1 - col0, hw, acc, v->cover);
	}
out:
	free(ht);
	free(hw);
	free(vt);
	free(vw);
	free(acc);
	return rc;
}

/* ---- PNG ---------------------------------------------------------------- */

/* The PNG's chunks are framed here and its pixels compressed by
 * libdeflate, not written through libpng: a drawn page is 11 MB of
 * filtered rows, mostly zeros, and libpng's zlib takes 390 M instructions
 * over them (level 1, run-length strategy, our filter choice), libdeflate
 * 143 M for the same ratio. Deterministic: no time chunk, fixed filters
 * and level. The chunks are the ones libpng writes for an sRGB image. */

/* Deflate level 2: the A5 cover's filtered rows (11 MB, 99% zeros) in
 * 18 ms and 126 KB, where level 1 takes 28 ms for 136 KB (timed, 5 runs
 * each, alternated: level 1 runs fewer instructions, 143 M against 290 M,
 * but its matches over long runs of zeros cost more time). */
enum { PNG_DEFLATE_LEVEL = 2 };

static void png_put32(buf *b, uint32_t v)
{
	char q[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
	buf_put(b, q, 4);
}

/* One chunk: length, type, data, CRC of type and data. */
static void png_chunk(buf *b, const char *type, const void *data, size_t n)
{
	png_put32(b, (uint32_t)n);
	size_t at = b->len;
	buf_put(b, type, 4);
	if (n)
		buf_put(b, data, n);
	png_put32(b, libdeflate_crc32(0, b->data + at, n + 4));
}

/* Row y filtered into out (1 + 3w bytes): Up when the row repeats the one
 * above (all zeros: colour fields and margins), else Sub, else None,
 * whichever leaves the smaller sum of magnitudes (PNG's own heuristic,
 * over every fourth byte). out is zeroed. */
static void png_filter_row(const unsigned char *row, const unsigned char *up,
			   int w, unsigned char *out)
{
	size_t n = (size_t)w * 3;
	if (up && !memcmp(row, up, n)) {
		out[0] = 2;     /* the rest: zeros already (calloc'd) */
		return;
	}
	/* Sub written out first, then the sums of magnitudes (a byte b as
	 * the signed value it is: min(b, 256 - b)) */
	unsigned char *o = out + 1;
	size_t k = n < 3 ? n : 3;
	memcpy(o, row, k);
	for (size_t i = 3; i < n; i++)
		o[i] = (unsigned char)(row[i] - row[i - 3]);
	unsigned long none = 0, sub = 0;
	for (size_t i = 0; i < n; i += 4) {   /* a byte in four tells */
		unsigned r = row[i], d = o[i];
		none += r < 128 ? r : 256 - r;
		sub += d < 128 ? d : 256 - d;
	}
	if (sub < none) {
		out[0] = 1;
	} else {
		out[0] = 0;
		memcpy(out + 1, row, n);
	}
}

/* The canvas' rows filtered for an 8-bit RGB PNG into a calloc'd buffer
 * of *raw_len bytes. */
static unsigned char *png_rows_rgb(const raster_canvas *c, size_t *raw_len)
{
	size_t stride = 1 + (size_t)c->w * 3;
	*raw_len = stride * (size_t)c->h;
	/* zeroed: an Up row of a flat field is its filter byte alone (fresh
	 * pages from the system cost nothing to zero) */
	unsigned char *raw = xcalloc(*raw_len, 1);
	for (int y = 0; y < c->h; y++)
		png_filter_row(c->rgb + (size_t)y * c->w * 3,
			       y ? c->rgb + (size_t)(y - 1) * c->w * 3 : NULL,
			       c->w, raw + (size_t)y * stride);
	return raw;
}

/* Rows of an indexed PNG in the making, when the picture has at most 256
 * colours: the palette (pal, n colours in the order they first appear,
 * so the same pixels give the same file) and the rows in raw (calloc'd,
 * stride bytes each), a row that repeats the one above filtered Up (its
 * filter byte alone), the others unfiltered (PNG's advice for palettes).
 * Only rows that differ from the one above are looked at, and in them a
 * pixel the colour of its left neighbour costs one comparison. Filled a
 * band of rows at a time (png_index_rows); the last row seen is kept in
 * prev for the band after it. */
enum { PNG_SLOTS = 1024 };   /* a power of two, at least 4 x 256 */
typedef struct png_index {
	uint32_t keys[PNG_SLOTS];   /* colour + 1; 0 is empty */
	unsigned char vals[PNG_SLOTS];
	unsigned char pal[768];
	int n;
	unsigned char *raw;
	size_t stride, raw_len;
	unsigned char *prev;        /* w * 3 bytes */
	int have_prev;
} png_index;

/* Rows for a w x h picture, none indexed yet. */
static png_index *png_index_new(int w, int h)
{
	png_index *ix = xcalloc(1, sizeof *ix);
	ix->stride = 1 + (size_t)w;
	ix->raw_len = ix->stride * (size_t)h;
	ix->raw = xcalloc(ix->raw_len, 1);
	ix->prev = xmalloc((size_t)w * 3);
	return ix;
}

static void png_index_free(png_index *ix)
{
	free(ix->raw);
	free(ix->prev);
	free(ix);
}

/* The rows c holds into ix; -1 once there are more than 256 colours. */
static int png_index_rows(png_index *ix, const raster_canvas *c)
{
	size_t rowb = (size_t)c->w * 3;
	for (int y = c->y0; y < c->y0 + c->rows; y++) {
		const unsigned char *row = px_at(c, y, 0);
		const unsigned char *up = y == c->y0 ? ix->prev : row - rowb;
		unsigned char *out = ix->raw + (size_t)y * ix->stride;
		if ((y > c->y0 || ix->have_prev) && !memcmp(row, up, rowb)) {
			out[0] = 2;     /* Up: the rest zeros already */
			continue;
		}
		uint32_t last = 0;
		unsigned char li = 0;
		for (int x = 0; x < c->w; x++) {
			const unsigned char *p = row + 3 * (size_t)x;
			uint32_t key = ((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 |
					p[2]) + 1;
			if (key != last) {
				uint32_t h = (key * 2654435761u) >> 22;
				while (ix->keys[h] && ix->keys[h] != key)
					h = (h + 1) & (PNG_SLOTS - 1);
				if (!ix->keys[h]) {
					if (ix->n == 256)
						return -1;
					ix->keys[h] = key;
					ix->vals[h] = (unsigned char)ix->n;
					memcpy(ix->pal + 3 * ix->n, p, 3);
					ix->n++;
				}
				last = key;
				li = ix->vals[h];
			}
			out[1 + x] = li;
		}
	}
	if (c->rows > 0) {
		memcpy(ix->prev, px_at(c, c->y0 + c->rows - 1, 0), rowb);
		ix->have_prev = 1;
	}
	return 0;
}

/* The PNG of canvas c's picture (all c->h rows, at its resolution) from
 * its filtered rows raw (raw_len bytes, freed here), indexed with palette
 * pal of npal colours, or RGB when npal is 0. */
static int png_assemble(const raster_canvas *c, const unsigned char *pal,
			int npal, unsigned char *raw, size_t raw_len,
			unsigned char **png, size_t *len, diag_list *d)
{
	struct libdeflate_compressor *z =
		libdeflate_alloc_compressor(PNG_DEFLATE_LEVEL);
	if (!z)
		mem_fail();
	size_t cap = libdeflate_zlib_compress_bound(z, raw_len);
	unsigned char *zdata = xmalloc(cap);
	size_t zlen = libdeflate_zlib_compress(z, raw, raw_len, zdata, cap);
	libdeflate_free_compressor(z);
	free(raw);
	if (!zlen) {
		free(zdata);
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot encode PNG");
		return -1;
	}
	buf b = {0};
	buf_put(&b, "\x89PNG\r\n\x1a\n", 8);
	unsigned char ihdr[13] = {0};
	for (int k = 0; k < 4; k++) {
		ihdr[k] = (unsigned char)((uint32_t)c->w >> (24 - 8 * k));
		ihdr[4 + k] = (unsigned char)((uint32_t)c->h >> (24 - 8 * k));
	}
	ihdr[8] = 8;                    /* bits per sample (or index) */
	ihdr[9] = npal ? 3 : 2;         /* indexed colour, or RGB */
	png_chunk(&b, "IHDR", ihdr, sizeof ihdr);
	const unsigned char srgb = 0;   /* perceptual */
	png_chunk(&b, "sRGB", &srgb, 1);
	/* gAMA and cHRM for decoders without sRGB, as libpng writes them */
	static const unsigned char gama[4] = {0, 0, 0xB1, 0x8F};
	png_chunk(&b, "gAMA", gama, 4);
	static const uint32_t chrm_v[8] = {31270, 32900, 64000, 33000,
					   30000, 60000, 15000, 6000};
	unsigned char chrm[32];
	for (int k = 0; k < 8; k++)
		for (int j = 0; j < 4; j++)
			chrm[4 * k + j] = (unsigned char)(chrm_v[k] >> (24 - 8 * j));
	png_chunk(&b, "cHRM", chrm, sizeof chrm);
	if (npal)       /* after the colour-space chunks, before IDAT */
		png_chunk(&b, "PLTE", pal, 3 * (size_t)npal);
	uint32_t ppm[2] = {(uint32_t)lround(c->sx * 72 / 0.0254),
			   (uint32_t)lround(c->sy * 72 / 0.0254)};
	unsigned char phys[9];
	for (int k = 0; k < 2; k++)
		for (int j = 0; j < 4; j++)
			phys[4 * k + j] = (unsigned char)(ppm[k] >> (24 - 8 * j));
	phys[8] = 1;            /* metre */
	png_chunk(&b, "pHYs", phys, sizeof phys);
	png_chunk(&b, "IDAT", zdata, zlen);
	png_chunk(&b, "IEND", NULL, 0);
	free(zdata);
	*png = (unsigned char *)b.data;
	*len = b.len;
	return 0;
}

/* The indexed PNG of ix's rows, all of c's made (ix freed). */
static int png_index_png(png_index *ix, const raster_canvas *c,
			 unsigned char **png, size_t *len, diag_list *d)
{
	int rc = png_assemble(c, ix->pal, ix->n, ix->raw, ix->raw_len, png,
			      len, d);
	ix->raw = NULL;      /* png_assemble freed it */
	png_index_free(ix);
	return rc;
}

int raster_encode_png(const raster_canvas *c, unsigned char **png,
		      size_t *len, diag_list *d)
{
	png_index *ix = png_index_new(c->w, c->h);
	if (png_index_rows(ix, c) == 0)   /* a canvas holds all its rows */
		return png_index_png(ix, c, png, len, d);
	png_index_free(ix);
	size_t raw_len;
	unsigned char *raw = png_rows_rgb(c, &raw_len);
	return png_assemble(c, NULL, 0, raw, raw_len, png, len, d);
}

/* Rows drawn and indexed a band at a time in raster_page_png: 128 rows
 * of a 1600-pixel cover are 600 KB, which stay in the cache while they
 * are drawn, compared and indexed, where a whole canvas is 11 MB of
 * fresh memory to fault in, clear, draw and read back. */
enum { RASTER_BAND_ROWS = 128 };

/* raster_page_png a band at a time: 1 when the page has more than 256
 * colours (or pictures: those are drawn on a whole canvas), 0 with the
 * PNG made, -1 after adding an error to d. */
static int page_png_banded(const lo_doc *lo, size_t page, int width_px,
			   unsigned char **png, size_t *len, diag_list *d)
{
	const paint white = { 1, 1, 1 };
	if (page >= lo->npages || lo->pages[page].nimages)
		return 1;
	raster_canvas *c = canvas_new(lo->width, lo->height, width_px, white,
				      RASTER_BAND_ROWS, d);
	if (!c)
		return -1;
	raster_face *faces = page_open(c, lo, page, d);
	if (!faces) {
		raster_free(c);
		return -1;
	}
	png_index *ix = png_index_new(c->w, c->h);
	int band = c->rows, rc = 0;
	for (int y0 = 0; y0 < c->h && rc == 0; y0 += band) {
		c->y0 = y0;
		c->rows = y0 + band <= c->h ? band : c->h - y0;
		canvas_clear(c);
		if (page_draw(c, &lo->pages[page], faces, d) != 0)
			rc = -1;
		else if (png_index_rows(ix, c) != 0)
			rc = 1;
	}
	page_faces_free(lo, faces);
	if (rc == 0)
		rc = png_index_png(ix, c, png, len, d);
	else
		png_index_free(ix);
	raster_free(c);
	return rc;
}

int raster_page_png(const lo_doc *lo, size_t page, int width_px,
		    unsigned char **png, size_t *len, diag_list *d)
{
	*png = NULL;
	*len = 0;
	int rc = page_png_banded(lo, page, width_px, png, len, d);
	if (rc != 1)
		return rc;
	const paint white = { 1, 1, 1 };
	raster_canvas *c = raster_new(lo->width, lo->height, width_px, white, d);
	if (!c)
		return -1;
	rc = raster_draw_page(c, lo, page, d);
	if (rc == 0)
		rc = raster_encode_png(c, png, len, d);
	raster_free(c);
	return rc;
}
