/* raster.c - owns drawing laid-out pages into an 8-bit sRGB canvas.
 * Every shape (glyph outlines from FreeType, rules, rectangles) is filled
 * by exact area coverage here and blended in linear light; glyphs are the
 * runs' shaped glyphs, unhinted outlines placed at the advances the
 * typesetter set (kerning, word spaces, font expansion), so runs land where
 * the PDF puts them. Images are resampled by area averaging; the PNG is
 * written by png.c. Canvas rows run top to bottom; page coordinates are PDF
 * points from the bottom left, as FreeType's are (y up). */
#include "render/raster/raster.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

#include "base/arena.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "font/face.h"
#include "render/raster/decode.h"
#include "render/raster/png.h"

/* Glyphs larger than this many pixels to the em are not drawn (their
 * outlines would leave FreeType's 26.6 coordinate range). */
#define RASTER_MAX_PPEM 65536.0

struct raster_canvas {
	int w, h;                 /* pixels */
	double sx, sy;            /* pixels per pt, across and up */
	unsigned char *rgb;       /* w * h * 3, sRGB, top row first */
	FT_Library ft;
	double advance_error;     /* see raster_advance_error */
};

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

/* n pixels at px set to rgb: one, then copies of what is done, doubling. */
static void fill_pixels(unsigned char *px, size_t n, const unsigned char *rgb)
{
	if (n == 0)
		return;
	if (rgb[0] == rgb[1] && rgb[1] == rgb[2]) {
		memset(px, rgb[0], n * 3);
		return;
	}
	size_t done = 3, all = n * 3;
	memcpy(px, rgb, 3);
	while (done < all) {
		size_t k = done < all - done ? done : all - done;
		memcpy(px + done, px, k);
		done += k;
	}
}

/* Blend ink over n pixels at px with coverage cov (0..255). */
static void blend_pixels(unsigned char *px, int n, const raster_ink *k,
			 unsigned cov)
{
	uint32_t a = (uint32_t)((cov * (uint64_t)k->alpha + 127) / 255);

	if (a == 0)
		return;
	if (a == 65535) {
		fill_pixels(px, (size_t)n, k->srgb);
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

raster_canvas *raster_new(double page_w, double page_h, int width_px,
			  paint bg, diag_list *d)
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
	n = (size_t)width_px * (size_t)hd * 3;
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
	raster_ink k = ink_of(bg, 1);
	fill_pixels(c->rgb, n / 3, k.srgb);
	return c;
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

/* ---- outlines: coverage by accumulated signed area ---------------------
 *
 * An outline is filled band by band: each of its edges adds, to every
 * pixel it crosses, the signed area it encloses to the pixel's right
 * within the band's row (the method of Raph Levien's font-rs); a running
 * sum along each row is then the pixel's coverage, exact for straight
 * edges, its magnitude clamped to 1 (the nonzero rule, but where contours
 * overlap inside one pixel). Curves are flattened to within 1/16 of a
 * pixel. FreeType's own rasteriser gives the same coverage, but
 * splits a large glyph into many bands and walks the whole outline again
 * for each (ten times the instructions for the cover's title). */

/* Floats in one band's accumulation buffer, at most (4 MB). */
#define RASTER_BAND_CELLS (1u << 20)

typedef struct raster_acc {
	float *a;           /* (w + 2) x rows: per row, area added per column */
	int w;              /* the box's width in pixels */
	int rows;           /* rows in the band */
	double x0, y0;      /* canvas pixel of the box's left edge, band's
			       bottom (y up) */
	double px, py;      /* the pen, box coordinates */
	double sx, sy;      /* the contour's start */
} raster_acc;

/* The edge (x0, y0) - (x1, y1), in box coordinates (y up). Parts left of
 * the box count at its left edge (all of a row right of them is inside),
 * parts right of it at its right edge, rows outside the band not at all. */
static void acc_line(raster_acc *A, double x0, double y0, double x1,
		     double y1)
{
	if (y0 == y1 || !(fabs(x0) < 1e7 && fabs(x1) < 1e7))
		return;
	double dir = 1;
	if (y0 > y1) {
		double t = x0; x0 = x1; x1 = t;
		t = y0; y0 = y1; y1 = t;
		dir = -1;
	}
	double dxdy = (x1 - x0) / (y1 - y0);
	int r0 = y0 < 0 ? 0 : (int)y0;
	int r1 = y1 > A->rows ? A->rows : (int)ceil(y1);
	double w = A->w;
	for (int r = r0; r < r1; r++) {
		double ya = r > y0 ? r : y0, yb = r + 1 < y1 ? r + 1 : y1;
		double dy = yb - ya;
		if (!(dy > 0))
			continue;
		double xa = x0 + (ya - y0) * dxdy, xb = x0 + (yb - y0) * dxdy;
		double lo = xa < xb ? xa : xb, hi = xa < xb ? xb : xa;
		lo = lo < 0 ? 0 : lo > w ? w : lo;
		hi = hi < 0 ? 0 : hi > w ? w : hi;
		float *row = A->a + (size_t)r * (size_t)(A->w + 2);
		double d = dy * dir;
		int i0 = (int)lo, i1 = (int)ceil(hi);
		if (i1 <= i0 + 1) {
			/* within one column: its share of the column by the
			 * edge's mean position, the rest to the next column */
			double mid = 0.5 * (lo + hi) - i0;
			row[i0] += (float)(d * (1 - mid));
			row[i0 + 1] += (float)(d * mid);
			continue;
		}
		/* across columns: the area under the edge, column by column */
		double s = 1 / (hi - lo);
		double f0 = lo - i0, a0 = 0.5 * s * (1 - f0) * (1 - f0);
		double f1 = hi - i1 + 1, am = 0.5 * s * f1 * f1;
		row[i0] += (float)(d * a0);
		if (i1 == i0 + 2) {
			row[i0 + 1] += (float)(d * (1 - a0 - am));
		} else {
			double a1 = s * (1.5 - f0);
			row[i0 + 1] += (float)(d * (a1 - a0));
			for (int i = i0 + 2; i < i1 - 1; i++)
				row[i] += (float)(d * s);
			double a2 = a1 + (i1 - i0 - 3) * s;
			row[i1 - 1] += (float)(d * (1 - a2 - am));
		}
		row[i1] += (float)(d * am);
	}
}

/* FreeType's outline walk, in 26.6 canvas pixels, into box coordinates. */
static void acc_to(raster_acc *A, const FT_Vector *v, double *x, double *y)
{
	*x = v->x / 64.0 - A->x0;
	*y = v->y / 64.0 - A->y0;
}

static int acc_move(const FT_Vector *to, void *user)
{
	raster_acc *A = user;
	if (A->px != A->sx || A->py != A->sy)
		acc_line(A, A->px, A->py, A->sx, A->sy);   /* close */
	acc_to(A, to, &A->px, &A->py);
	A->sx = A->px;
	A->sy = A->py;
	return 0;
}

static int acc_lineto(const FT_Vector *to, void *user)
{
	raster_acc *A = user;
	double x, y;
	acc_to(A, to, &x, &y);
	acc_line(A, A->px, A->py, x, y);
	A->px = x;
	A->py = y;
	return 0;
}

/* Chords for a curve whose largest second difference of control points
 * is dev pixels, so that they stray at most 1/16 px from it: a quadratic
 * strays dev / 4n^2 from n chords, a cubic 3 dev / 4n^2 (pass 3 dev). */
static int acc_steps(double dev)
{
	double n = ceil(sqrt(dev * 4));
	return n < 1 ? 1 : n > 100 ? 100 : (int)n;
}

static int acc_conic(const FT_Vector *c1, const FT_Vector *to, void *user)
{
	raster_acc *A = user;
	double cx, cy, x, y;
	acc_to(A, c1, &cx, &cy);
	acc_to(A, to, &x, &y);
	double dev = hypot(A->px - 2 * cx + x, A->py - 2 * cy + y);
	int n = acc_steps(dev);
	double x0 = A->px, y0 = A->py;
	for (int i = 1; i <= n; i++) {
		double t = (double)i / n, u = 1 - t;
		double qx = u * u * x0 + 2 * u * t * cx + t * t * x;
		double qy = u * u * y0 + 2 * u * t * cy + t * t * y;
		acc_line(A, A->px, A->py, qx, qy);
		A->px = qx;
		A->py = qy;
	}
	return 0;
}

static int acc_cubic(const FT_Vector *c1, const FT_Vector *c2,
		     const FT_Vector *to, void *user)
{
	raster_acc *A = user;
	double ax, ay, bx, by, x, y;
	acc_to(A, c1, &ax, &ay);
	acc_to(A, c2, &bx, &by);
	acc_to(A, to, &x, &y);
	double d1 = hypot(A->px - 2 * ax + bx, A->py - 2 * ay + by);
	double d2 = hypot(ax - 2 * bx + x, ay - 2 * by + y);
	int n = acc_steps(3 * (d1 > d2 ? d1 : d2));
	double x0 = A->px, y0 = A->py;
	for (int i = 1; i <= n; i++) {
		double t = (double)i / n, u = 1 - t;
		double qx = u * u * u * x0 + 3 * u * u * t * ax +
			    3 * u * t * t * bx + t * t * t * x;
		double qy = u * u * u * y0 + 3 * u * u * t * ay +
			    3 * u * t * t * by + t * t * t * y;
		acc_line(A, A->px, A->py, qx, qy);
		A->px = qx;
		A->py = qy;
	}
	return 0;
}

/* Blend the band's coverage into the canvas: each row summed left to
 * right, runs of the same coverage blended at once. */
static void acc_blend(raster_canvas *c, const raster_acc *A,
		      const raster_ink *ink)
{
	int col0 = (int)A->x0;
	for (int r = 0; r < A->rows; r++) {
		const float *row = A->a + (size_t)r * (size_t)(A->w + 2);
		int crow = c->h - 1 - ((int)A->y0 + r);
		unsigned char *px = c->rgb + ((size_t)crow * c->w + col0) * 3;
		float sum = 0;
		int i = 0;
		while (i < A->w) {
			sum += row[i];
			float m = fabsf(sum);
			unsigned cov = m >= 1 ? 255 : (unsigned)(m * 255 + 0.5f);
			int j = i + 1;
			/* the same coverage on: no area added */
			while (j < A->w && row[j] == 0)
				j++;
			if (cov)
				blend_pixels(px + (size_t)i * 3, j - i, ink, cov);
			i = j;
		}
	}
}

/* Fill outline o (26.6 pixel coordinates, y up) with ink, anti-aliased,
 * clipped to the canvas. */
static void fill_outline(raster_canvas *c, const FT_Outline *o,
			 const raster_ink *ink)
{
	static const FT_Outline_Funcs walk = {
		acc_move, acc_lineto, acc_conic, acc_cubic, 0, 0
	};
	FT_BBox bb;

	if (ink->alpha == 0 || o->n_points == 0)
		return;
	FT_Outline_Get_CBox(o, &bb);
	double l = floor(bb.xMin / 64.0), r = ceil(bb.xMax / 64.0);
	double b = floor(bb.yMin / 64.0), t = ceil(bb.yMax / 64.0);
	l = l < 0 ? 0 : l;
	b = b < 0 ? 0 : b;
	r = r > c->w ? c->w : r;
	t = t > c->h ? c->h : t;
	if (!(r > l && t > b))
		return;
	int w = (int)(r - l), h = (int)(t - b);
	int band = (int)(RASTER_BAND_CELLS / (unsigned)(w + 2));
	band = band < 1 ? 1 : band > h ? h : band;
	float *a = xmalloc((size_t)band * (size_t)(w + 2) * sizeof *a);
	for (int y = 0; y < h; y += band) {
		raster_acc A = { a, w, h - y < band ? h - y : band, l, b + y,
				 0, 0, 0, 0 };
		memset(a, 0, (size_t)A.rows * (size_t)(w + 2) * sizeof *a);
		FT_Outline_Decompose((FT_Outline *)o, &walk, &A);
		if (A.px != A.sx || A.py != A.sy)
			acc_line(&A, A.px, A.py, A.sx, A.sy);
		acc_blend(c, &A, ink);
	}
	free(a);
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

/* Fill the box [l, r) x [b, t) in pixels (y up) with ink, each pixel as
 * much as the box covers it: the coverage an outline of the box would
 * give, edges at 1/64 px as outlines have them, without walking one. */
static void fill_box(raster_canvas *c, double l, double b, double r,
		     double t, const raster_ink *ink)
{
	l = fmax(round(l * 64) / 64, 0);
	r = fmin(round(r * 64) / 64, c->w);
	b = fmax(round(b * 64) / 64, 0);
	t = fmin(round(t * 64) / 64, c->h);
	if (!(r > l && t > b) || ink->alpha == 0)
		return;
	int c0 = (int)floor(l), c1 = (int)ceil(r);
	int r0 = (int)floor(b), r1 = (int)ceil(t);
	/* the share of each edge column the box covers */
	double hl = c1 == c0 + 1 ? r - l : c0 + 1 - l;
	double hr = r - (c1 - 1);
	for (int y = r0; y < r1; y++) {
		double vy = fmin(t, y + 1) - fmax(b, y);
		unsigned char *px = c->rgb +
			((size_t)(c->h - 1 - y) * c->w + c0) * 3;
		blend_pixels(px, 1, ink, (unsigned)lround(vy * hl * 255));
		if (c1 > c0 + 1) {
			blend_pixels(px + 3, c1 - c0 - 2, ink,
				     (unsigned)lround(vy * 255));
			blend_pixels(px + (size_t)(c1 - c0 - 1) * 3, 1, ink,
				     (unsigned)lround(vy * hr * 255));
		}
	}
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

	if (r > l && t > b)
		fill_box(c, l, b, r, t, &ink);
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
		    y > -4 * ppem_y && y < c->h + 4 * ppem_y;

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

int raster_draw_page(raster_canvas *c, const lo_doc *lo, size_t page,
		     diag_list *d)
{
	const lo_page *p;
	raster_face *faces;
	int rc = 0;

	if (page >= lo->npages) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "cannot rasterise page "
			 "%zu: the layout has %zu", page + 1, lo->npages);
		return -1;
	}
	p = &lo->pages[page];
	faces = calloc(lo->nfonts ? lo->nfonts : 1, sizeof *faces);
	if (!faces) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, "out of memory");
		return -1;
	}
	if (page_faces(c, lo, p, faces, d) == 0) {
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
	} else {
		rc = -1;
	}
	for (size_t i = 0; i < lo->nfonts; i++)
		raster_face_free(&faces[i]);
	free(faces);
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
	unsigned char *px = c->rgb + ((size_t)row * c->w + col0) * 3;

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
	for (int row = row0; row < row1; row++) {
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

int raster_encode_png(const raster_canvas *c, unsigned char **png,
		      size_t *len, diag_list *d)
{
	(void)d;
	png_encode_rgb(c->rgb, c->w, c->h,
		       (unsigned long)lround(c->sx * 72 / 0.0254),
		       (unsigned long)lround(c->sy * 72 / 0.0254), png, len);
	return 0;
}

int raster_page_png(const lo_doc *lo, size_t page, int width_px,
		    unsigned char **png, size_t *len, diag_list *d)
{
	const paint white = { 1, 1, 1 };
	raster_canvas *c = raster_new(lo->width, lo->height, width_px, white, d);
	int rc;

	*png = NULL;
	*len = 0;
	if (!c)
		return -1;
	rc = raster_draw_page(c, lo, page, d);
	if (rc == 0)
		rc = raster_encode_png(c, png, len, d);
	raster_free(c);
	return rc;
}
