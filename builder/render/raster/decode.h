/* decode.h - reading a cover image (PNG through libpng, JPEG through
 * libjpeg-turbo) from untrusted bytes into RGBA pixels, within size limits,
 * with errors as messages and never a crash; shrinking a picture, and
 * writing one as JPEG (libjpeg-turbo). */
#ifndef CHAPBOOK_RASTER_DECODE_H
#define CHAPBOOK_RASTER_DECODE_H

#include <stddef.h>

/* Limits on an image: each side, and the pixel count (100 MB of RGBA). */
#define RASTER_MAX_SIDE 8000
#define RASTER_MAX_PIXELS (25u * 1000 * 1000)
/* Progressive JPEG scans read before giving up (a few are normal; a
 * hostile file can hold thousands, each a pass over the whole image). */
#define RASTER_MAX_JPEG_SCANS 100

/* Decode a PNG or JPEG (told apart by their signatures) of len bytes.
 * On success returns 0 with *w x *h pixels in *rgba: 8-bit sRGB red,
 * green, blue, alpha (not premultiplied; 255 for an opaque format), rows
 * top first, malloc'd (the caller frees it). Greyscale, palette, 16-bit,
 * interlaced and CMYK images are converted. On failure returns -1, sets
 * *rgba to NULL and writes a message (no location prefix, for example
 * "PNG image is 9000 x 100 pixels; the limit is 8000 on each side") into
 * err. */
int raster_decode_image(const unsigned char *bytes, size_t len, int *w,
			int *h, unsigned char **rgba, char *err, size_t errlen);

/* The part of a w x h image that covers a frame of fw x fh (any unit)
 * when scaled to fill it, centred, the rest cut off: its origin *cx, *cy
 * and size *cw x *ch in pixels (at least 1 x 1). */
void raster_cover_crop(int w, int h, double fw, double fh, int *cx, int *cy,
		       int *cw, int *ch);

/* A copy of the cw x ch pixels at (cx, cy) of a w-pixel-wide RGBA image
 * (the rectangle inside it), malloc'd; NULL when memory runs out. */
unsigned char *raster_crop(const unsigned char *rgba, int w, int cx, int cy,
			   int cw, int ch);

/* The w x h RGBA image shrunk to nw x nh (each no larger than before) by
 * area averaging in linear light, alpha weighting colour (so transparent
 * pixels lend no colour), malloc'd; NULL when memory runs out or a size
 * is out of range. */
unsigned char *raster_shrink(const unsigned char *rgba, int w, int h,
			     int nw, int nh);

/* The w x h RGBA image as a baseline JPEG at quality (1..100), alpha
 * composited over white, with optimised Huffman tables (deterministic).
 * 0 with *jpeg malloc'd (the caller frees it), or -1 with a message in
 * err. */
int raster_encode_jpeg(const unsigned char *rgba, int w, int h, int quality,
		       unsigned char **jpeg, size_t *len, char *err,
		       size_t errlen);

#endif
