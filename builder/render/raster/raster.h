/* raster.h - drawing laid-out pages (typeset/layout.h) into pixels and a
 * PNG: the EPUB's cover image is the print cover, rasterised. Glyph
 * outlines come from FreeType, placed where the layout measured them
 * (the shaped glyphs and advances the PDF states); filled shapes go
 * through FreeType's anti-aliasing rasteriser; the PNG's pixels are
 * compressed by libdeflate. Colours blend in linear light. */
#ifndef CHAPBOOK_RASTER_H
#define CHAPBOOK_RASTER_H

#include <stddef.h>

#include "base/color.h"
#include "base/diag.h"
#include "typeset/layout.h"

/* Largest canvas side in pixels raster_new accepts. */
#define RASTER_MAX_CANVAS 10000

typedef struct raster_canvas raster_canvas;

/* A canvas for a page of page_w x page_h pt, width_px pixels wide and as
 * tall as the page's proportion makes it (1600 px wide: 1600 x 2263 for
 * A5), filled with bg. Page coordinates are PDF points from the bottom
 * left, as in layout.h. Returns NULL after adding an error to d (a size
 * out of range, out of memory). Free with raster_free. */
raster_canvas *raster_new(double page_w, double page_h, int width_px,
			  paint bg, diag_list *d);
void raster_free(raster_canvas *c);

int raster_width(const raster_canvas *c);
int raster_height(const raster_canvas *c);

/* The largest difference, in pt, between a run's drawn advance and its
 * lo_run.width over the runs drawn so far: 0 when glyphs land where the
 * typesetter measured them. */
double raster_advance_error(const raster_canvas *c);

/* Fill the rectangle (x0, y0)-(x1, y1), in page pt, with colour p at
 * opacity alpha (0..1). Fractional edges are anti-aliased by area;
 * anything outside the canvas is clipped. */
void raster_fill_rect(raster_canvas *c, double x0, double y0, double x1,
		      double y1, paint p, double alpha);

/* Draw an image of w x h RGBA pixels (sRGB, not premultiplied, rows top
 * first) into the rectangle (x0, y0)-(x1, y1) in page pt, scaled by area
 * averaging (bilinear where it is enlarged), composited in linear light
 * with its alpha. Returns 0, or -1 after adding an error to d (out of
 * memory). */
int raster_draw_image(raster_canvas *c, const unsigned char *rgba, int w,
		      int h, double x0, double y0, double x1, double y1,
		      diag_list *d);

/* Draw page index page of lo: its filled rectangles, its images (cut to
 * their frames' shape, errors at their source), its rules (stroked
 * with butt caps, as the PDF does), then its text runs (anti-aliased, unhinted outlines at the
 * run's font, size and colour; a character the font lacks is its .notdef
 * glyph, as in the PDF). Links are not drawn. The fonts are loaded from
 * lo->fonts for this call. Returns 0, or -1 after adding an error to d
 * (a page or font index out of range, a font that cannot be loaded). */
int raster_draw_page(raster_canvas *c, const lo_doc *lo, size_t page,
		     diag_list *d);

/* Encode the canvas as a PNG: 8-bit RGB, non-interlaced, an sRGB chunk
 * (with its gAMA and cHRM fallbacks) and pHYs at the canvas' resolution,
 * no time stamp; the same pixels give the same bytes. *png is malloc'd
 * (the caller frees it). Returns 0, or -1 after adding an error to d. */
int raster_encode_png(const raster_canvas *c, unsigned char **png,
		      size_t *len, diag_list *d);

/* Page index page of lo as a PNG width_px wide on white: raster_new,
 * raster_draw_page and raster_encode_png in one. The picture is the
 * trimmed page (lo->width x lo->height from the origin); anything laid
 * into the bleed is cut off. *png is malloc'd. Returns 0, or -1 after
 * adding an error to d. Uses no state shared with the other renderers
 * (its own font faces), so it may run beside them on another thread. */
int raster_page_png(const lo_doc *lo, size_t page, int width_px,
		    unsigned char **png, size_t *len, diag_list *d);

#endif
