/* test_raster.c - the raster renderer (builder/render/raster/): a layout
 * built by hand with the Charis SIL fonts is drawn, the PNG decoded back
 * with libpng and its pixels checked (size, background, rule colour and
 * butt ends, text only inside its runs' boxes, linear-light blending,
 * area-averaged images, identical bytes twice); images decoded from PNG
 * and JPEG, hostile ones refused with messages; and the default
 * booklet's A5 cover drawn at 1600 px (kept as $B/cover-a5.png to look
 * at) compared with MuPDF's rendering of the PDF of the same layout;
 * pages drawn a band of rows at a time equal to those drawn whole.
 * Run from the repository root (or with TOP set). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include "unit.h"
#include "base/arena.h"
#include "base/diag.h"
#include "doc/check.h"
#include "font/face.h"
#include "font/shape.h"
#include "render/pdf/pdf.h"
#include "render/raster/decode.h"
#include "render/raster/raster.h"
#include "source/load.h"
#include "typeset/layout.h"
#include "typeset/res.h"
#include "typeset/style.h"

#define A5_W 419.53
#define A5_H 595.28

/* DejaVu Serif (Debian fonts-dejavu-core) kerns AV and To; Charis SIL
 * has no pair kerning. */
#define KERNED "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

static char tmpdir[] = "/tmp/chapbook-test-raster-XXXXXX";
static const char *font_paths[3];
static char font_store[2][512];

/* The repository's file at rel, under TOP when set. */
static const char *top_path(arena *a, const char *rel)
{
	const char *top = getenv("TOP");
	return top ? arena_printf(a, "%s/%s", top, rel) : rel;
}

static int find_fonts(arena *a)
{
	static const char *const names[] = {
		"fonts/CharisSIL-Regular.ttf", "fonts/CharisSIL-Italic.ttf"
	};
	for (int i = 0; i < 2; i++) {
		snprintf(font_store[i], sizeof font_store[i], "%s",
			 top_path(a, names[i]));
		if (access(font_store[i], R_OK) != 0)
			return 0;
		font_paths[i] = font_store[i];
	}
	font_paths[2] = KERNED;
	return access(KERNED, R_OK) == 0;
}

/* Run r's glyphs: its text in the font at path, shaped (kerning and
 * ligatures on) as the typesetter shapes it; width their advance. Arena
 * memory. */
static void shape_into(arena *a, lo_run *r, const char *path)
{
	char err[256];
	face *f = face_load(path, err, sizeof err);
	shape_cache *c = shape_cache_new();
	shape_opts o = {1, 1, "en-GB", NULL};
	const shape_run *s = f && c ? shape_text(c, f, r->text, strlen(r->text),
						 &o) : NULL;
	r->hscale = 1;
	if (s) {
		lo_glyph *g = arena_alloc(a, (s->n + 1) * sizeof *g);
		for (size_t i = 0; i < s->n; i++) {
			g[i].cluster = s->glyphs[i].cluster;
			g[i].gid = (uint16_t)s->glyphs[i].gid;
			g[i].kind = r->text[s->glyphs[i].cluster] == ' ' ?
				    LO_GLYPH_SPACE : LO_GLYPH_TEXT;
			g[i].advance = (int16_t)s->glyphs[i].x_advance;
		}
		r->glyphs = g;
		r->nglyphs = s->n;
		r->upem = face_units_per_em(f);
		r->width = (double)s->width * r->size / r->upem;
	}
	shape_cache_free(c);
	face_free(f);
}

/* ---- reading images back ------------------------------------------------ */

typedef struct image {
	int w, h;
	unsigned char *rgb;     /* malloc'd */
} image;

/* A PNG decoded by libpng itself (not by the code under test). */
static image png_pixels(const unsigned char *png, size_t len)
{
	png_image pi;
	image im = {0, 0, NULL};

	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&pi, png, len))
		return im;
	pi.format = PNG_FORMAT_RGB;
	im.rgb = malloc(PNG_IMAGE_SIZE(pi));
	if (!im.rgb || !png_image_finish_read(&pi, NULL, im.rgb, 0, NULL)) {
		free(im.rgb);
		im.rgb = NULL;
		png_image_free(&pi);
		return im;
	}
	im.w = (int)pi.width;
	im.h = (int)pi.height;
	return im;
}

static const unsigned char *px(const image *im, int x, int y)
{
	return im->rgb + ((size_t)y * im->w + x) * 3;
}

static int px_is(const image *im, int x, int y, int r, int g, int b)
{
	const unsigned char *p = px(im, x, y);
	return p[0] == r && p[1] == g && p[2] == b;
}

/* The chunk types of a PNG, space-separated, into out. */
static void png_chunks(const unsigned char *png, size_t len, char *out,
		       size_t outlen)
{
	size_t at = 8, n = 0;

	out[0] = 0;
	while (at + 12 <= len && n + 6 < outlen) {
		size_t clen = (size_t)png[at] << 24 | (size_t)png[at + 1] << 16 |
			      (size_t)png[at + 2] << 8 | png[at + 3];
		n += (size_t)snprintf(out + n, outlen - n, "%s%.4s",
				      n ? " " : "", (const char *)png + at + 4);
		at += 12 + clen;
	}
}

/* A binary PPM (P6, maxval 255) as pdftoppm writes it. */
static image read_ppm(const char *path)
{
	image im = {0, 0, NULL};
	FILE *f = fopen(path, "rb");
	int w, h, max;

	if (!f)
		return im;
	if (fscanf(f, "P6 %d %d %d", &w, &h, &max) == 3 && max == 255 &&
	    fgetc(f) != EOF && w > 0 && h > 0) {
		im.rgb = malloc((size_t)w * h * 3);
		if (im.rgb && fread(im.rgb, 3, (size_t)w * h, f) == (size_t)w * h) {
			im.w = w;
			im.h = h;
		} else {
			free(im.rgb);
			im.rgb = NULL;
		}
	}
	fclose(f);
	return im;
}

/* The canvas' pixels, through raster_encode_png and libpng. */
static image canvas_pixels(const raster_canvas *c)
{
	unsigned char *png = NULL;
	size_t len = 0;
	diag_list dl = {0};
	image im = {0, 0, NULL};

	if (raster_encode_png(c, &png, &len, &dl) == 0)
		im = png_pixels(png, len);
	free(png);
	diag_free(&dl);
	return im;
}

/* ---- a layout by hand ------------------------------------------------------ */

#define RULE_Y 300.0
#define RULE_W 4.0

/* One A5 page: a 24 pt line in the regular face, an 18 pt italic line
 * with accents and quotes, a 20 pt line of kerned pairs in DejaVu Serif,
 * and a red rule between the first two. Run widths are measured with
 * font/ as the typesetter does. */
#define NRUNS 3
static void build_layout(arena *a, lo_doc *lo)
{
	static const char *const texts[NRUNS] = {
		"Hamburgefonstiv", "Quiet caf\xC3\xA9 \xE2\x80\x9C" "baby\xE2\x80\x9D",
		"AVAWAY To Ta P."
	};
	static const double sizes[NRUNS] = { 24, 18, 20 }, ys[NRUNS] = { 450, 200, 100 };
	lo_page *p;

	memset(lo, 0, sizeof *lo);
	lo->width = A5_W;
	lo->height = A5_H;
	lo->fonts = font_paths;
	lo->nfonts = 3;
	lo->npages = 1;
	lo->pages = p = arena_alloc(a, sizeof *p);
	p->kind = LO_COVER;
	p->nruns = NRUNS;
	p->runs = arena_alloc(a, NRUNS * sizeof *p->runs);
	for (int i = 0; i < NRUNS; i++) {
		lo_run *r = &p->runs[i];

		r->font = i;
		r->size = sizes[i];
		r->x = 60;
		r->y = ys[i];
		r->color = i ? (paint){ 0, 0, 0 } : (paint){ 0.1, 0.2, 0.5 };
		r->text = texts[i];
		shape_into(a, r, font_paths[i]);
	}
	p->nrules = 1;
	p->rules = arena_alloc(a, sizeof *p->rules);
	p->rules[0] = (lo_rule){ .x0 = 60, .y0 = RULE_Y, .x1 = 360, .y1 = RULE_Y,
		.width = RULE_W, .color = { 0.8, 0.1, 0.1 } };
}

/* A box in pixels (inclusive), from pt with the canvas' scale. */
typedef struct pxbox {
	int x0, y0, x1, y1;
} pxbox;

static pxbox box_of(const image *im, double x0, double y0, double x1,
		    double y1, int grow)
{
	double sx = im->w / A5_W, sy = im->h / A5_H;
	pxbox b;

	b.x0 = (int)(x0 * sx) - grow;
	b.x1 = (int)(x1 * sx) + grow;
	b.y0 = (int)((A5_H - y1) * sy) - grow;
	b.y1 = (int)((A5_H - y0) * sy) + grow;
	return b;
}

static int in_box(pxbox b, int x, int y)
{
	return x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1;
}

/* The box of run r: its measured width, and its font's ascent and
 * descent, grown by 1 px, and sideways by a tenth of an em, which the
 * side bearings of an italic's first and last glyphs may reach into. */
static pxbox run_box(const image *im, const lo_run *r)
{
	char err[256];
	face *f = face_load(font_paths[r->font], err, sizeof err);
	double asc = f ? face_ascent_1000(f) * r->size / 1000 : r->size;
	double desc = f ? face_descent_1000(f) * r->size / 1000 : -r->size;

	face_free(f);
	double side = r->size / 10;

	return box_of(im, r->x - side, r->y + desc, r->x + r->width + side,
		      r->y + asc, 1);
}

/* ---- tests ------------------------------------------------------------------- */

TEST(page_pixels)
{
	arena a = {0};
	diag_list dl = {0};
	lo_doc lo;
	unsigned char *png = NULL;
	size_t len = 0;

	build_layout(&a, &lo);
	CHECK(raster_page_png(&lo, 0, 800, &png, &len, &dl) == 0);
	CHECK(dl.errors == 0 && dl.warnings == 0);
	image im = png_pixels(png, len);
	CHECK(im.rgb != NULL);
	if (!im.rgb)
		goto out;
	/* A5's proportion: 800 * 595.28 / 419.53 */
	CHECK(im.w == 800 && im.h == 1135);

	const lo_run *runs = lo.pages[0].runs;
	pxbox text[NRUNS];
	for (int k = 0; k < NRUNS; k++)
		text[k] = run_box(&im, &runs[k]);
	pxbox rule = box_of(&im, 60, RULE_Y - RULE_W / 2, 360,
			    RULE_Y + RULE_W / 2, 1);
	pxbox rule_in = box_of(&im, 60, RULE_Y - RULE_W / 2, 360,
			       RULE_Y + RULE_W / 2, -1);
	long stray = 0, ink[NRUNS] = { 0 }, solid[NRUNS] = { 0 };
	long rule_bad = 0, rule_px = 0;
	int left[NRUNS], right[NRUNS];
	for (int k = 0; k < NRUNS; k++) {
		left[k] = 99999;
		right[k] = -1;
	}

	for (int y = 0; y < im.h; y++)
		for (int x = 0; x < im.w; x++) {
			int white = px_is(&im, x, y, 255, 255, 255);
			int k = -1;
			for (int i = 0; i < NRUNS; i++)
				if (in_box(text[i], x, y))
					k = i;

			if (in_box(rule_in, x, y)) {
				rule_px++;
				rule_bad += !px_is(&im, x, y, 204, 26, 26);
			} else if (k >= 0 && !white) {
				ink[k]++;
				left[k] = x < left[k] ? x : left[k];
				right[k] = x > right[k] ? x : right[k];
				solid[k] += k ? px_is(&im, x, y, 0, 0, 0)
					      : px_is(&im, x, y, 26, 51, 128);
			} else if (!white && !in_box(rule, x, y)) {
				stray++;
			}
		}
	/* White wherever nothing is drawn; the rule solid in its colour. */
	CHECK(stray == 0);
	CHECK(rule_px > 500 && rule_bad == 0);
	/* Butt ends: white one pixel beyond each end of the rule. */
	CHECK(px_is(&im, rule.x0 - 1, (rule.y0 + rule.y1) / 2, 255, 255, 255));
	CHECK(px_is(&im, rule.x1 + 1, (rule.y0 + rule.y1) / 2, 255, 255, 255));
	/* The rule is RULE_W pt thick: 4 pt at 800/419.53 px per pt. */
	int thick = 0;
	for (int y = rule.y0; y <= rule.y1; y++)
		thick += !px_is(&im, 300, y, 255, 255, 255);
	CHECK(thick >= 7 && thick <= 9);
	/* Each run inked in its colour, solid inside stems, anti-aliased at
	 * the edges, spanning its measured width. */
	for (int k = 0; k < NRUNS; k++) {
		int x0 = (int)(runs[k].x * im.w / A5_W);
		int x1 = (int)((runs[k].x + runs[k].width) * im.w / A5_W);

		CHECK(ink[k] > 2000 && solid[k] > 300 && solid[k] < ink[k]);
		CHECK(left[k] - x0 < 6 && x1 - right[k] < 6);
	}
	/* Glyphs placed at the layout's advances, kerning included (the
	 * DejaVu line has kerned pairs). */
	raster_canvas *c = raster_new(A5_W, A5_H, 800, (paint){1, 1, 1}, &dl);
	CHECK(c && raster_draw_page(c, &lo, 0, &dl) == 0);
	CHECK(c && raster_advance_error(c) < 1e-9);
	lo.pages[0].runs[1].width += 5;
	CHECK(c && raster_draw_page(c, &lo, 0, &dl) == 0);
	CHECK(c && raster_advance_error(c) > 4.99 && raster_advance_error(c) < 5.01);
	raster_free(c);
out:
	free(im.rgb);
	free(png);
	diag_free(&dl);
	arena_free(&a);
}

TEST(png_deterministic)
{
	arena a = {0};
	diag_list dl = {0};
	lo_doc lo;
	unsigned char *p1 = NULL, *p2 = NULL;
	size_t n1 = 0, n2 = 0;
	char chunks[256];

	build_layout(&a, &lo);
	CHECK(raster_page_png(&lo, 0, 600, &p1, &n1, &dl) == 0);
	CHECK(raster_page_png(&lo, 0, 600, &p2, &n2, &dl) == 0);
	CHECK(p1 && p2 && n1 == n2 && memcmp(p1, p2, n1) == 0);
	png_chunks(p1, n1, chunks, sizeof chunks);
	CHECK(strncmp(chunks, "IHDR ", 5) == 0);
	CHECK(strstr(chunks, "sRGB") && strstr(chunks, "gAMA") &&
	      strstr(chunks, "cHRM") && strstr(chunks, "pHYs"));
	CHECK(strstr(chunks, "tIME") == NULL && strstr(chunks, "tEXt") == NULL);
	CHECK(strcmp(chunks + strlen(chunks) - 4, "IEND") == 0);
	/* a page of text in three colours: 8-bit indexed, its palette
	 * after the colour-space chunks, not interlaced */
	CHECK(n1 > 33 && p1[24] == 8 && p1[25] == 3 && p1[28] == 0);
	CHECK(strstr(chunks, "cHRM PLTE pHYs IDAT") != NULL);
	free(p1);
	free(p2);
	diag_free(&dl);
	arena_free(&a);
}

/* Fractional edges and images on a 100 x 50 pt canvas at 1 px per pt. */
TEST(shapes_and_images)
{
	diag_list dl = {0};
	raster_canvas *c = raster_new(100, 50, 100, (paint){1, 1, 1}, &dl);
	paint black = { 0, 0, 0 };

	CHECK(c && raster_width(c) == 100 && raster_height(c) == 50);
	if (!c)
		return;
	/* x 10.5 to 20: column 10 half covered; rows 30..39 (y 10..20 up) */
	raster_fill_rect(c, 10.5, 10, 20, 20, black, 1);
	/* 2 x 2 pixels of a 4 x 4 black and white checkerboard */
	unsigned char check[4 * 4 * 4];
	for (int i = 0; i < 16; i++) {
		unsigned char v = ((i % 4) + (i / 4)) % 2 ? 255 : 0;
		memset(check + 4 * i, v, 3);
		check[4 * i + 3] = 255;
	}
	CHECK(raster_draw_image(c, check, 4, 4, 30, 30, 32, 32, &dl) == 0);
	/* opaque red, 3 x 3, stretched over 40..47.5 x 5..12 */
	unsigned char red[9 * 4];
	for (int i = 0; i < 9; i++)
		memcpy(red + 4 * i, "\xff\x00\x00\xff", 4);
	CHECK(raster_draw_image(c, red, 3, 3, 40, 5, 47.5, 12, &dl) == 0);
	/* a transparent pixel over the black rectangle changes nothing */
	CHECK(raster_draw_image(c, (const unsigned char *)"\xff\xff\xff\x00",
				1, 1, 12, 12, 18, 18, &dl) == 0);
	/* black to white, enlarged 50 times */
	CHECK(raster_draw_image(c, (const unsigned char *)
				"\x00\x00\x00\xff\xff\xff\xff\xff", 2, 1,
				0, 45, 100, 50, &dl) == 0);
	/* half transparent black over white */
	CHECK(raster_draw_image(c, (const unsigned char *)"\x00\x00\x00\x80",
				1, 1, 60, 10, 70, 20, &dl) == 0);
	image im = canvas_pixels(c);
	CHECK(im.rgb && im.w == 100 && im.h == 50);
	if (im.rgb) {
		/* linear light: half black on white is sRGB 188, not 128 */
		const unsigned char *edge = px(&im, 10, 35);
		CHECK(edge[0] >= 185 && edge[0] <= 190 && edge[0] == edge[2]);
		CHECK(px_is(&im, 11, 35, 0, 0, 0) && px_is(&im, 19, 30, 0, 0, 0));
		CHECK(px_is(&im, 9, 35, 255, 255, 255));
		CHECK(px_is(&im, 20, 35, 255, 255, 255));
		CHECK(px_is(&im, 15, 29, 255, 255, 255));
		CHECK(px_is(&im, 15, 40, 255, 255, 255));
		CHECK(px_is(&im, 15, 35, 0, 0, 0));   /* under the clear pixel */
		/* each pixel averages two black and two white by area */
		for (int y = 18; y < 20; y++)
			for (int x = 30; x < 32; x++) {
				const unsigned char *p = px(&im, x, y);
				CHECK(p[0] >= 185 && p[0] <= 190 && p[1] == p[0]);
			}
		CHECK(px_is(&im, 29, 18, 255, 255, 255));
		CHECK(px_is(&im, 32, 19, 255, 255, 255));
		/* the red image: solid inside, blended where it covers part of
		 * a pixel (x 47..47.5), absent beyond */
		CHECK(px_is(&im, 40, 38, 255, 0, 0) && px_is(&im, 46, 44, 255, 0, 0));
		const unsigned char *half = px(&im, 47, 40);
		CHECK(half[0] == 255 && half[1] > 150 && half[1] < 200);
		CHECK(px_is(&im, 48, 40, 255, 255, 255));
		CHECK(px_is(&im, 43, 37, 255, 255, 255));
		/* the enlarged ramp: black at the left, white at the right,
		 * never darker to the right */
		CHECK(px_is(&im, 0, 2, 0, 0, 0) && px_is(&im, 99, 2, 255, 255, 255));
		int mono = 1;
		for (int x = 1; x < 100; x++)
			mono &= px(&im, x, 2)[0] >= px(&im, x - 1, 2)[0];
		CHECK(mono);
		const unsigned char *mid = px(&im, 65, 35);
		CHECK(mid[0] >= 185 && mid[0] <= 190);
	}
	free(im.rgb);
	CHECK(dl.errors == 0);
	raster_free(c);
	diag_free(&dl);
}

/* A canvas of at most 256 colours is written indexed, one of more as
 * RGB; both decode (by libpng) to the very pixels drawn. */
TEST(png_indexed_or_rgb)
{
	diag_list dl = {0};
	/* 256 colours: a 16 x 16 image of distinct greys and reds */
	unsigned char pic[16 * 16 * 4], pic2[16 * 17 * 4];
	for (int i = 0; i < 16 * 16; i++) {
		pic[4 * i] = (unsigned char)i;
		pic[4 * i + 1] = pic[4 * i + 2] = (unsigned char)(i / 2);
		pic[4 * i + 3] = 255;
	}
	/* 272: the same colours and 16 more */
	memcpy(pic2, pic, sizeof pic);
	for (int i = 256; i < 16 * 17; i++) {
		pic2[4 * i] = pic2[4 * i + 2] = 7;
		pic2[4 * i + 1] = (unsigned char)(100 + i - 256);
		pic2[4 * i + 3] = 255;
	}
	for (int k = 0; k < 2; k++) {
		int h = k ? 17 : 16;
		/* one canvas pixel per picture pixel: no resampling */
		raster_canvas *c = raster_new(16, h, 16, (paint){0, 0, 0}, &dl);
		CHECK(c != NULL);
		if (!c)
			continue;
		CHECK(raster_draw_image(c, k ? pic2 : pic, 16, h, 0, 0, 16, h,
					&dl) == 0);
		unsigned char *png = NULL;
		size_t len = 0;
		CHECK(raster_encode_png(c, &png, &len, &dl) == 0);
		CHECK(png && len > 33 && png[25] == (k ? 2 : 3));
		image im = png ? png_pixels(png, len) : (image){0};
		CHECK(im.rgb && im.w == 16 && im.h == h);
		int same = im.rgb != NULL;
		for (int i = 0; im.rgb && i < 16 * h; i++)
			same &= !memcmp(im.rgb + 3 * i, (k ? pic2 : pic) + 4 * i, 3);
		CHECK(same);
		free(im.rgb);
		free(png);
		raster_free(c);
	}
	CHECK(dl.errors == 0);
	diag_free(&dl);
}

/* Slanted and hairline rules; geometry no layout should produce (huge,
 * infinite, NaN) is clipped or skipped, never a crash or a hang. */
TEST(rules_and_wild_geometry)
{
	arena a = {0};
	diag_list dl = {0};
	lo_doc lo;
	lo_page *p;
	const double inf = 1.0 / 0.0, nan = 0.0 / 0.0;

	memset(&lo, 0, sizeof lo);
	lo.width = 100;
	lo.height = 50;
	lo.fonts = font_paths;
	lo.nfonts = 1;
	lo.npages = 2;
	lo.pages = p = arena_alloc(&a, 2 * sizeof *p);
	p[0].nrules = 2;
	p[0].rules = arena_alloc(&a, 2 * sizeof *p->rules);
	p[0].rules[0] = (lo_rule){ .x0 = 0, .y0 = 0, .x1 = 50, .y1 = 50,
		.width = 2, .color = { 0, 0, 0 } }; /* slant */
	p[0].rules[1] = (lo_rule){ .x0 = 60, .y0 = 10, .x1 = 90, .y1 = 10,
		.width = 0, .color = { 0, 0, 0 } }; /* hairline */
	p[1].nrules = 5;
	p[1].rules = arena_alloc(&a, 5 * sizeof *p->rules);
	p[1].rules[0] = (lo_rule){ .x0 = -1e300, .y0 = 5, .x1 = 1e300, .y1 = 6,
		.width = 1, .color = { 0, 0, 1 } };
	p[1].rules[1] = (lo_rule){ .x0 = 70, .y0 = 20, .x1 = 80, .y1 = 30,
		.width = 1e9, .color = { 0, 0, 1 } };
	p[1].rules[2] = (lo_rule){ .x0 = nan, .y0 = 20, .x1 = 80, .y1 = 30,
		.width = 1, .color = { 0, 0, 1 } };
	p[1].rules[3] = (lo_rule){ .x0 = 10, .y0 = 20, .x1 = inf, .y1 = 20,
		.width = 1, .color = { 0, 0, 1 } };
	p[1].rules[4] = (lo_rule){ .x0 = 70, .y0 = 40, .x1 = 70, .y1 = 40,
		.width = 3, .color = { 0, 0, 1 } }; /* a dot */
	p[1].nruns = 4;
	p[1].runs = arena_alloc(&a, 4 * sizeof *p->runs);
	p[1].runs[0] = (lo_run){ .size = 12, .x = 1e300, .y = 10, .text = "far" };
	p[1].runs[1] = (lo_run){ .size = 12, .x = nan, .y = nan, .text = "nan" };
	p[1].runs[2] = (lo_run){ .size = 9999, .x = -500, .y = 20, .text = "huge" };
	p[1].runs[3] = (lo_run){ .size = 1e-9, .x = 10, .y = 10, .text = "tiny" };
	for (int i = 0; i < 4; i++) {
		double size = p[1].runs[i].size;
		p[1].runs[i].size = 12;
		shape_into(&a, &p[1].runs[i], font_paths[0]);
		p[1].runs[i].size = size;
	}
	raster_canvas *c = raster_new(100, 50, 100, (paint){1, 1, 1}, &dl);
	CHECK(c && raster_draw_page(c, &lo, 0, &dl) == 0);
	image im = c ? canvas_pixels(c) : (image){0, 0, NULL};
	CHECK(im.rgb != NULL);
	if (im.rgb) {
		/* the 45-degree rule: black on its centre line, white off it */
		CHECK(px_is(&im, 25, 24, 0, 0, 0) && px_is(&im, 40, 9, 0, 0, 0));
		CHECK(px_is(&im, 25, 10, 255, 255, 255));
		CHECK(px_is(&im, 25, 40, 255, 255, 255));
		/* the hairline: about a pixel of ink (here straddling rows 39
		 * and 40, half each), butt ends */
		int ink = 0;
		for (int y = 35; y < 45; y++)
			ink += 255 - px(&im, 75, y)[0];
		CHECK(ink > 100 && ink <= 260);
		CHECK(px_is(&im, 58, 40, 255, 255, 255));
		CHECK(px_is(&im, 91, 40, 255, 255, 255));
	}
	free(im.rgb);
	/* page 2 and more: only that nothing breaks */
	CHECK(c && raster_draw_page(c, &lo, 1, &dl) == 0);
	if (c) {
		unsigned char px4[4] = { 0, 0, 0, 255 };
		raster_fill_rect(c, -inf, nan, 1e300, -1e300, (paint){0, 1, 0}, 1);
		CHECK(raster_draw_image(c, px4, 1, 1, -1e300, -1e300, 1e300,
					1e-300, &dl) == 0);
		CHECK(raster_draw_image(c, px4, 1, 1, nan, 0, 10, 10, &dl) == 0);
		CHECK(raster_draw_image(c, px4, 1, 1, 3, 3, 3 + 1e-12, 40, &dl) == 0);
	}
	CHECK(dl.errors == 0);
	raster_free(c);
	diag_free(&dl);
	arena_free(&a);
}

TEST(bad_requests)
{
	arena a = {0};
	diag_list dl = {0};
	lo_doc lo;
	unsigned char *png = (unsigned char *)"x";
	size_t len = 1;

	CHECK(raster_new(100, 100, 0, (paint){1, 1, 1}, &dl) == NULL);
	CHECK(raster_new(100, 100, 20000, (paint){1, 1, 1}, &dl) == NULL);
	CHECK(raster_new(100, 1e5, 1000, (paint){1, 1, 1}, &dl) == NULL);
	CHECK(raster_new(0, 100, 100, (paint){1, 1, 1}, &dl) == NULL);
	CHECK(dl.errors == 4);
	CHECK(dl.n && strstr(dl.items[0].message, "1 to 10000 pixels"));
	build_layout(&a, &lo);
	CHECK(raster_page_png(&lo, 1, 100, &png, &len, &dl) == -1);
	CHECK(png == NULL && len == 0);
	CHECK(strstr(dl.items[dl.n - 1].message, "the layout has 1") != NULL);
	lo.pages[0].runs[1].font = 3;
	CHECK(raster_page_png(&lo, 0, 100, &png, &len, &dl) == -1);
	CHECK(strstr(dl.items[dl.n - 1].message, "uses font 3 of 3") != NULL);
	lo.pages[0].runs[1].font = 1;
	const char *missing[3] = { "no/such/font.ttf", "no/such/font.ttf",
				   "no/such/font.ttf" };
	lo.fonts = missing;
	CHECK(raster_page_png(&lo, 0, 100, &png, &len, &dl) == -1);
	CHECK(dl.items[dl.n - 1].file &&
	      strcmp(dl.items[dl.n - 1].file, "no/such/font.ttf") == 0);
	CHECK(strstr(dl.items[dl.n - 1].message, "cannot load font") != NULL);
	diag_free(&dl);
	arena_free(&a);
}

/* ---- decoding ------------------------------------------------------------- */

/* A w x h JPEG of pixels with components per pixel in colour space cs. */
/* A PNG of three vertical stripes, red, green and blue, each 10 x 10
 * pixels (made with the canvas itself). *len its size; malloc'd. */
static unsigned char *stripes_png(size_t *len)
{
	diag_list dl = {0};
	unsigned char *png = NULL;
	raster_canvas *c = raster_new(30, 10, 30, (paint){1, 1, 1}, &dl);
	if (!c)
		return NULL;
	raster_fill_rect(c, 0, 0, 10, 10, (paint){1, 0, 0}, 1);
	raster_fill_rect(c, 10, 0, 20, 10, (paint){0, 1, 0}, 1);
	raster_fill_rect(c, 20, 0, 30, 10, (paint){0, 0, 1}, 1);
	if (raster_encode_png(c, &png, len, &dl) != 0)
		png = NULL;
	raster_free(c);
	diag_free(&dl);
	return png;
}

/* A page's fills and cover picture: the fill runs past the page's edges
 * (the bleed) and is cut at the canvas; the picture is cut to its frame's
 * shape, centred (a square frame over a 3:1 picture shows its middle
 * third), drawn over the fill, under the rules. */
TEST(fills_and_cover_picture)
{
	diag_list dl = {0};
	size_t len = 0;
	unsigned char *png = stripes_png(&len);
	CHECK(png != NULL);
	if (!png)
		return;
	lo_doc lo;
	lo_page pg;
	lo_fill fill = { -5, -5, 105, 30, { 0, 0, 1 } };
	lo_image pic = { 40, 20, 60, 40, png, len, "stripes", NULL, 0, 0 };
	memset(&lo, 0, sizeof lo);
	memset(&pg, 0, sizeof pg);
	pg.fills = &fill;
	pg.nfills = 1;
	pg.images = &pic;
	pg.nimages = 1;
	lo.width = 100;
	lo.height = 50;
	lo.bleed = 5;
	lo.pages = &pg;
	lo.npages = 1;
	raster_canvas *c = raster_new(100, 50, 100, (paint){1, 1, 1}, &dl);
	CHECK(c && raster_draw_page(c, &lo, 0, &dl) == 0);
	image im = c ? canvas_pixels(c) : (image){0, 0, NULL};
	if (im.rgb) {
		/* rows count down from the top: page y 30..40 is rows 10..20 */
		CHECK(px_is(&im, 0, 49, 0, 0, 255) && px_is(&im, 99, 21, 0, 0, 255));
		CHECK(px_is(&im, 10, 15, 255, 255, 255));   /* above the fill */
		CHECK(px_is(&im, 41, 12, 0, 255, 0) && px_is(&im, 58, 28, 0, 255, 0));
		CHECK(px_is(&im, 39, 25, 0, 0, 255) && px_is(&im, 61, 25, 0, 0, 255));
		CHECK(px_is(&im, 50, 8, 255, 255, 255));    /* above the frame */
	}
	free(im.rgb);
	/* a damaged picture is an error at its source, not a crash */
	doc_pos at = { "b.xml", 12, 5 };
	unsigned char junk[16] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	pic = (lo_image){ 40, 20, 60, 40, junk, sizeof junk, "x", &at, 0, 0 };
	CHECK(c && raster_draw_page(c, &lo, 0, &dl) == -1);
	CHECK(dl.n > 0 && dl.items[dl.n - 1].line == 12 &&
	      strstr(dl.items[dl.n - 1].message, "cover image"));
	raster_free(c);
	free(png);
	diag_free(&dl);
}

/* The part of a picture that covers a frame: the middle, the picture's
 * shape cut to the frame's. */
TEST(cover_crop)
{
	int x, y, w, h;
	raster_cover_crop(300, 100, 20, 20, &x, &y, &w, &h);
	CHECK(x == 100 && y == 0 && w == 100 && h == 100);
	raster_cover_crop(100, 300, 40, 20, &x, &y, &w, &h);
	CHECK(x == 0 && y == 125 && w == 100 && h == 50);
	raster_cover_crop(100, 50, 200, 100, &x, &y, &w, &h);
	CHECK(x == 0 && y == 0 && w == 100 && h == 50);
	raster_cover_crop(1, 1000, 1000, 1, &x, &y, &w, &h);
	CHECK(w == 1 && h == 1 && y == 499);
	unsigned char src[3 * 2 * 4];
	for (int i = 0; i < 24; i++)
		src[i] = (unsigned char)i;
	unsigned char *part = raster_crop(src, 3, 1, 1, 2, 1);
	CHECK(part && part[0] == 16 && part[7] == 23);
	free(part);
}

/* Shrinking averages by area in linear light: black and white pixels
 * make the sRGB grey of half the light (188), not 128; a transparent
 * pixel lends no colour, only its transparency; a 3-to-2 shrink splits
 * the middle pixel between both; no size may grow. */
TEST(shrink_pictures)
{
	unsigned char bw[2 * 2 * 4] = {0, 0, 0, 255, 255, 255, 255, 255,
				       255, 255, 255, 255, 0, 0, 0, 255};
	unsigned char *g = raster_shrink(bw, 2, 2, 1, 1);
	CHECK(g && g[0] == 188 && g[1] == 188 && g[2] == 188 && g[3] == 255);
	free(g);
	unsigned char ta[2 * 1 * 4] = {255, 0, 0, 0, 0, 0, 255, 255};
	unsigned char *t = raster_shrink(ta, 2, 1, 1, 1);
	CHECK(t && t[0] == 0 && t[2] == 255 && t[3] == 128);
	free(t);
	unsigned char row[3 * 1 * 4] = {0, 0, 0, 255, 255, 255, 255, 255,
					0, 0, 0, 255};
	unsigned char *s = raster_shrink(row, 3, 1, 2, 1);
	/* each output pixel: 1 black + half a white over 1.5 pixels: a
	 * third of the light */
	CHECK(s && s[0] == s[4] && s[0] > 150 && s[0] < 160);
	free(s);
	CHECK(raster_shrink(row, 3, 1, 4, 1) == NULL);
	CHECK(raster_shrink(row, 3, 1, 0, 1) == NULL);
}

/* A picture written as JPEG reads back at its size with its colours
 * (within JPEG's loss), transparent pixels as white; the same pixels give
 * the same bytes. */
TEST(jpeg_out)
{
	enum { W = 64, H = 48 };
	unsigned char *px = malloc(W * H * 4);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			unsigned char *p = px + (y * W + x) * 4;
			p[0] = x < W / 2 ? 200 : 20;
			p[1] = 60;
			p[2] = x < W / 2 ? 30 : 220;
			p[3] = y < 8 ? 0 : 255;   /* the top band transparent */
		}
	unsigned char *j1 = NULL, *j2 = NULL, *back = NULL;
	size_t n1 = 0, n2 = 0;
	char err[128];
	CHECK(raster_encode_jpeg(px, W, H, 88, &j1, &n1, err, sizeof err) == 0);
	CHECK(raster_encode_jpeg(px, W, H, 88, &j2, &n2, err, sizeof err) == 0);
	CHECK(j1 && j2 && n1 == n2 && !memcmp(j1, j2, n1));
	int w = 0, h = 0;
	CHECK(j1 && raster_decode_image(j1, n1, &w, &h, &back, err,
					sizeof err) == 0);
	CHECK(w == W && h == H);
	if (back && w == W && h == H) {
		const unsigned char *red = back + (30 * W + 8) * 4;
		const unsigned char *blue = back + (30 * W + 56) * 4;
		const unsigned char *top = back + (2 * W + 8) * 4;
		CHECK(abs(red[0] - 200) < 12 && abs(red[2] - 30) < 12);
		CHECK(abs(blue[0] - 20) < 12 && abs(blue[2] - 220) < 12);
		CHECK(top[0] > 245 && top[1] > 245 && top[2] > 245);
	}
	free(px);
	free(j1);
	free(j2);
	free(back);
}

static unsigned char *make_jpeg(const unsigned char *pixels, int w, int h,
				int components, J_COLOR_SPACE cs,
				int progressive, unsigned long *len)
{
	struct jpeg_compress_struct ci;
	struct jpeg_error_mgr jerr;
	unsigned char *out = NULL;

	*len = 0;
	ci.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&ci);
	jpeg_mem_dest(&ci, &out, len);
	ci.image_width = (JDIMENSION)w;
	ci.image_height = (JDIMENSION)h;
	ci.input_components = components;
	ci.in_color_space = cs;
	jpeg_set_defaults(&ci);
	jpeg_set_quality(&ci, 95, TRUE);
	if (progressive)
		jpeg_simple_progression(&ci);
	jpeg_start_compress(&ci, TRUE);
	while (ci.next_scanline < ci.image_height) {
		JSAMPROW row = (JSAMPROW)(pixels + (size_t)ci.next_scanline *
					  w * components);
		jpeg_write_scanlines(&ci, &row, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	return out;
}

/* A PNG whose header claims w x h, with a token IDAT: enough for the
 * header to be read. */
static size_t fake_png(unsigned char *out, unsigned w, unsigned h)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', 13, 10, 26, 10 };
	unsigned char ihdr[17] = { 'I', 'H', 'D', 'R' };
	size_t n = 8;

	memcpy(out, sig, 8);
	for (int i = 0; i < 4; i++) {
		ihdr[4 + i] = (unsigned char)(w >> (24 - 8 * i));
		ihdr[8 + i] = (unsigned char)(h >> (24 - 8 * i));
	}
	ihdr[12] = 8;   /* depth */
	ihdr[13] = 2;   /* RGB */
	memcpy(out + n, "\0\0\0\x0d", 4);
	memcpy(out + n + 4, ihdr, 17);
	uLong crc = crc32(0, ihdr, 17);
	for (int i = 0; i < 4; i++)
		out[n + 21 + i] = (unsigned char)(crc >> (24 - 8 * i));
	n += 25;
	memcpy(out + n, "\0\0\0\0IDAT\x35\xaf\x06\x1e", 12);
	return n + 12;
}

/* Set the frame size in a baseline JPEG's SOF0 header. */
static void jpeg_set_size(unsigned char *j, unsigned long len, unsigned w,
			  unsigned h)
{
	for (unsigned long i = 2; i + 9 < len; i++)
		if (j[i] == 0xFF && (j[i + 1] == 0xC0 || j[i + 1] == 0xC2)) {
			j[i + 5] = (unsigned char)(h >> 8);
			j[i + 6] = (unsigned char)h;
			j[i + 7] = (unsigned char)(w >> 8);
			j[i + 8] = (unsigned char)w;
			return;
		}
}

static int near(int a, int b, int tol)
{
	return a - b <= tol && b - a <= tol;
}

TEST(decode_png_and_jpeg)
{
	diag_list dl = {0};
	char err[256];
	int w, h;
	unsigned char *rgba = NULL, *png = NULL;
	size_t len = 0;

	/* PNG: the canvas' own output round-trips exactly */
	raster_canvas *c = raster_new(40, 20, 40, (paint){0.2, 0.4, 0.6}, &dl);
	CHECK(c != NULL);
	if (c) {
		raster_fill_rect(c, 0, 0, 10, 20, (paint){1, 0, 0}, 1);
		CHECK(raster_encode_png(c, &png, &len, &dl) == 0);
	}
	CHECK(raster_decode_image(png, len, &w, &h, &rgba, err, sizeof err) == 0);
	CHECK(w == 40 && h == 20 && rgba);
	if (rgba) {
		CHECK(memcmp(rgba, "\xff\x00\x00\xff", 4) == 0);
		CHECK(memcmp(rgba + 4 * 39, "\x33\x66\x99\xff", 4) == 0);
	}
	free(rgba);
	/* Truncated: an error with a message, never a crash. */
	CHECK(raster_decode_image(png, len / 2, &w, &h, &rgba, err,
				  sizeof err) == -1);
	CHECK(rgba == NULL && strncmp(err, "cannot read PNG image: ", 23) == 0);
	free(png);
	raster_free(c);

	/* JPEG: RGB baseline, RGB progressive, greyscale, Adobe CMYK */
	unsigned char rgb[16 * 8 * 3], grey[16 * 8], cmyk[16 * 8 * 4];
	for (int i = 0; i < 16 * 8; i++) {
		rgb[3 * i] = (unsigned char)(60 + i % 16 * 4);
		rgb[3 * i + 1] = 100;
		rgb[3 * i + 2] = (unsigned char)(200 - i / 16 * 5);
		grey[i] = 77;
		/* inverted (Adobe) CMYK of pure red: no cyan, full M and Y */
		memcpy(cmyk + 4 * i, "\xff\x00\x00\xff", 4);
	}
	for (int prog = 0; prog < 2; prog++) {
		unsigned long jl;
		unsigned char *j = make_jpeg(rgb, 16, 8, 3, JCS_RGB, prog, &jl);
		CHECK(raster_decode_image(j, jl, &w, &h, &rgba, err,
					  sizeof err) == 0);
		CHECK(w == 16 && h == 8 && rgba);
		for (int i = 0; rgba && i < 16 * 8; i++)
			CHECK(near(rgba[4 * i], rgb[3 * i], 12) &&
			      near(rgba[4 * i + 1], 100, 12) &&
			      near(rgba[4 * i + 2], rgb[3 * i + 2], 12) &&
			      rgba[4 * i + 3] == 255);
		free(rgba);
		/* frames over the limits are refused from the header */
		jpeg_set_size(j, jl, 9000, 8);
		CHECK(raster_decode_image(j, jl, &w, &h, &rgba, err,
					  sizeof err) == -1);
		CHECK_STR(err, "JPEG image is 9000 x 8 pixels; the limit is "
			       "8000 on each side");
		jpeg_set_size(j, jl, 6000, 5000);
		CHECK(raster_decode_image(j, jl, &w, &h, &rgba, err,
					  sizeof err) == -1);
		CHECK_STR(err, "JPEG image is 6000 x 5000 pixels; the limit "
			       "is 25 million pixels");
		free(j);
	}
	unsigned long jl;
	unsigned char *j = make_jpeg(grey, 16, 8, 1, JCS_GRAYSCALE, 0, &jl);
	CHECK(raster_decode_image(j, jl, &w, &h, &rgba, err, sizeof err) == 0);
	CHECK(rgba && near(rgba[0], 77, 2) && rgba[0] == rgba[1] &&
	      rgba[1] == rgba[2] && rgba[3] == 255);
	free(rgba);
	free(j);
	j = make_jpeg(cmyk, 16, 8, 4, JCS_CMYK, 0, &jl);
	CHECK(raster_decode_image(j, jl, &w, &h, &rgba, err, sizeof err) == 0);
	CHECK(rgba && near(rgba[0], 255, 3) && near(rgba[1], 0, 3) &&
	      near(rgba[2], 0, 3));
	free(rgba);
	free(j);

	/* PNG headers over the limits */
	unsigned char fake[64];
	size_t fl = fake_png(fake, 8001, 10);
	CHECK(raster_decode_image(fake, fl, &w, &h, &rgba, err, sizeof err) == -1);
	CHECK_STR(err, "PNG image is 8001 x 10 pixels; the limit is 8000 on "
		       "each side");
	fl = fake_png(fake, 8000, 8000);
	CHECK(raster_decode_image(fake, fl, &w, &h, &rgba, err, sizeof err) == -1);
	CHECK_STR(err, "PNG image is 8000 x 8000 pixels; the limit is 25 "
		       "million pixels");
	CHECK(raster_decode_image((const unsigned char *)"GIF89a", 6, &w, &h,
				  &rgba, err, sizeof err) == -1);
	CHECK_STR(err, "not a PNG or JPEG image");
	CHECK(raster_decode_image(NULL, 0, &w, &h, &rgba, err, sizeof err) == -1);
	diag_free(&dl);
}

/* Damaged files: every outcome is a picture or a message. */
TEST(decode_damaged)
{
	unsigned char rgb[32 * 32 * 3];
	unsigned long jl;
	int bad = 0;

	for (int i = 0; i < 32 * 32 * 3; i++)
		rgb[i] = (unsigned char)(i * 7);
	unsigned char *j = make_jpeg(rgb, 32, 32, 3, JCS_RGB, 1, &jl);
	unsigned char *copy = malloc(jl);
	srand(7);
	for (int k = 0; k < 300 && copy; k++) {
		int w, h;
		unsigned char *rgba;
		char err[256];
		memcpy(copy, j, jl);
		for (int m = 0; m < 1 + k % 4; m++)
			copy[(size_t)rand() % jl] = (unsigned char)rand();
		unsigned long n = k % 3 ? jl : (unsigned long)rand() % jl;
		if (raster_decode_image(copy, n, &w, &h, &rgba, err, sizeof err)) {
			bad += rgba != NULL || !err[0];
		} else {
			bad += !rgba || w < 1 || h < 1 || err[0];
			free(rgba);
		}
	}
	CHECK(bad == 0);
	free(copy);
	free(j);
}

/* ---- the default booklet's cover --------------------------------------- */

static double luma(const unsigned char *p)
{
	return 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
}

/* Mean luminance of each 20 x 20 block. */
static double block_luma(const image *im, int bx, int by)
{
	double s = 0;
	for (int y = by * 20; y < by * 20 + 20; y++)
		for (int x = bx * 20; x < bx * 20 + 20; x++)
			s += luma(px(im, x, y));
	return s / 400;
}

/* How mine and theirs agree: the overlap of their ink (pixels darker
 * than 160) as intersection over union; the worst and the mean
 * difference of 20 px blocks' luminance; and mine's ink over theirs. */
static void compare(const image *mine, const image *theirs, double *iou,
		    double *worst, double *mean, double *ink_ratio)
{
	long both = 0, either = 0;
	double total = 0, ink_m = 0, ink_t = 0;
	int n = 0;

	for (size_t i = 0; i < (size_t)mine->w * mine->h; i++) {
		int m = luma(mine->rgb + 3 * i) < 160;
		int t = luma(theirs->rgb + 3 * i) < 160;
		both += m && t;
		either += m || t;
	}
	*worst = 0;
	for (int by = 0; by < mine->h / 20; by++)
		for (int bx = 0; bx < mine->w / 20; bx++) {
			double m = block_luma(mine, bx, by);
			double t = block_luma(theirs, bx, by);
			double diff = m > t ? m - t : t - m;
			*worst = diff > *worst ? diff : *worst;
			total += diff;
			ink_m += 255 - m;
			ink_t += 255 - t;
			n++;
		}
	*iou = either ? (double)both / either : 0;
	*mean = total / n;
	*ink_ratio = ink_t > 0 ? ink_m / ink_t : 0;
}

/* Page page of lo as raster_page_png would draw it on one whole canvas
 * (raster_new, raster_draw_page, raster_encode_png). */
static int whole_png(const lo_doc *lo, size_t page, int width,
		     unsigned char **png, size_t *len, diag_list *dl)
{
	raster_canvas *c = raster_new(lo->width, lo->height, width,
				      (paint){1, 1, 1}, dl);
	int rc = c ? raster_draw_page(c, lo, page, dl) : -1;
	if (rc == 0)
		rc = raster_encode_png(c, png, len, dl);
	raster_free(c);
	return rc;
}

/* raster_page_png draws a band of rows at a time: the same bytes as one
 * whole canvas, for text straddling the bands, at widths whose last band
 * is short, and for a page of more than 256 colours (twelve runs of
 * text in twelve colours), which it then draws whole, as RGB. */
TEST(bands_equal_whole)
{
	arena a = {0};
	diag_list dl = {0};
	lo_doc lo;

	build_layout(&a, &lo);
	for (int k = 0; k < 2; k++) {
		if (k) {        /* twelve coloured copies of the first run */
			lo_page *p = &lo.pages[0];
			lo_run *runs = arena_alloc(&a, 12 * sizeof *runs);
			for (int i = 0; i < 12; i++) {
				runs[i] = p->runs[0];
				runs[i].y = 60 + 40 * i;
				runs[i].color = (paint){ i / 12.0, 1 - i / 12.0,
							 (i % 3) / 2.0 };
			}
			p->runs = runs;
			p->nruns = 12;
		}
		for (int w = 0; w < 3; w++) {
			int width = (int[]){ 600, 1600, 1000 }[w];
			unsigned char *band = NULL, *whole = NULL;
			size_t blen = 0, wlen = 0;
			CHECK(raster_page_png(&lo, 0, width, &band, &blen, &dl) == 0);
			CHECK(whole_png(&lo, 0, width, &whole, &wlen, &dl) == 0);
			CHECK(band && whole && blen == wlen &&
			      !memcmp(band, whole, blen));
			/* indexed (3) for three colours, RGB (2) for twelve */
			CHECK(band && blen > 25 && band[25] == (k ? 2 : 3));
			free(band);
			free(whole);
		}
	}
	CHECK(dl.errors == 0);
	diag_free(&dl);
	arena_free(&a);
}

TEST(default_cover_matches_pdf)
{
	arena a = {0};
	diag_list dl = {0};
	const char *bdir = getenv("B") ? getenv("B") : "build";
	doc *d = load_booklet(top_path(&a, "content/booklet.xml"), &a, &dl);
	style *st = d && check_document(d, &dl) == 0
		? style_load(top_path(&a, "styles/a5.style"), top_path(&a, "fonts"),
			     &a, &dl) : NULL;
	res *r = res_new();
	lo_doc *lo = st ? layout_booklet(d, st, r, &a, &dl) : NULL;
	unsigned char *png = NULL;
	size_t len = 0;
	char pdf[600], cmd[1400], ppm[600], keep[600];

	CHECK(lo && lo->npages > 1 && lo->pages[0].kind == LO_COVER);
	if (!lo)
		goto out;
	CHECK(raster_page_png(lo, 0, 1600, &png, &len, &dl) == 0);
	snprintf(keep, sizeof keep, "%s/cover-a5.png", bdir);
	FILE *f = fopen(keep, "wb");
	if (f) {
		fwrite(png, 1, len, f);
		fclose(f);
	}
	image mine = png_pixels(png, len);
	CHECK(mine.w == 1600 && mine.h == 2270);

	/* The same layout as a PDF, drawn by MuPDF at the same size. */
	pdf_options po;
	memset(&po, 0, sizeof po);
	po.epoch = 1700000000LL;
	po.creator = "chapbook test";
	snprintf(pdf, sizeof pdf, "%s/cover.pdf", tmpdir);
	snprintf(ppm, sizeof ppm, "%s/cover.ppm", tmpdir);
	CHECK(pdf_write(d, lo, r, &po, pdf, &dl) == 0);
	snprintf(cmd, sizeof cmd, "mutool draw -q -w 1600 -h 2270 -o '%s' "
		 "'%s' 1 2>/dev/null", ppm, pdf);
	CHECK(system(cmd) == 0);
	image theirs = read_ppm(ppm);
	CHECK(theirs.w == 1600 && theirs.h == 2270);
	if (mine.rgb && theirs.rgb && mine.w == theirs.w && mine.h == theirs.h) {
		double iou, worst, mean, ratio;

		compare(&mine, &theirs, &iou, &worst, &mean, &ratio);
		printf("  cover vs MuPDF: ink overlap %.3f, worst block %.1f, "
		       "mean %.2f, ink ratio %.3f\n", iou, worst, mean, ratio);
		/* The same glyphs in the same places: the ink overlaps by
		 * 0.90 (shifted by one pixel it would be 0.78, by two 0.61);
		 * MuPDF blends in sRGB, so its edges are a little darker. */
		CHECK(iou > 0.85);
		CHECK(worst < 20 && mean < 1);
		CHECK(ratio > 0.9 && ratio < 1.05);
	}
	free(mine.rgb);
	free(theirs.rgb);
	/* Drawn a band of rows at a time (raster_page_png), the cover is the
	 * very PNG a whole canvas gives: its title's glyphs straddle bands. */
	unsigned char *whole = NULL;
	size_t wlen = 0;
	CHECK(whole_png(lo, 0, 1600, &whole, &wlen, &dl) == 0);
	CHECK(whole && wlen == len && !memcmp(whole, png, len));
	free(whole);
	/* Every run of every page drawn at the layout's measure. */
	raster_canvas *c = raster_new(lo->width, lo->height, 100,
				      (paint){1, 1, 1}, &dl);
	for (size_t i = 0; c && i < lo->npages; i++)
		CHECK(raster_draw_page(c, lo, i, &dl) == 0);
	CHECK(c && raster_advance_error(c) < 1e-6);
	raster_free(c);
out:
	if (dl.errors)
		diag_print(&dl, stdout);
	CHECK(dl.errors == 0);
	free(png);
	res_free(r);
	diag_free(&dl);
	arena_free(&a);
}

int main(void)
{
	arena a = {0};

	if (!mkdtemp(tmpdir)) {
		printf("FAIL raster: no temporary directory\n");
		return 1;
	}
	if (!find_fonts(&a)) {
		printf("FAIL raster: Charis SIL (fonts/) or DejaVu Serif "
		       "(fonts-dejavu-core) not found\n");
		return 1;
	}
	RUN(page_pixels);
	RUN(png_deterministic);
	RUN(png_indexed_or_rgb);
	RUN(shapes_and_images);
	RUN(rules_and_wild_geometry);
	RUN(bad_requests);
	RUN(decode_png_and_jpeg);
	RUN(decode_damaged);
	RUN(fills_and_cover_picture);
	RUN(cover_crop);
	RUN(shrink_pictures);
	RUN(jpeg_out);
	RUN(bands_equal_whole);
	RUN(default_cover_matches_pdf);
	arena_free(&a);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("  could not remove %s\n", tmpdir);
	CHECK_EXIT();
}
