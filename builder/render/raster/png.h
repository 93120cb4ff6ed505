/* png.h - writing 8-bit RGB pixels as a PNG file, fast for what a drawn
 * page is: mostly rows that repeat the row above (margins, colour fields)
 * and rows of flat colour broken by anti-aliased edges. Deterministic: the
 * same pixels give the same bytes (no time chunk, fixed choices). */
#ifndef CHAPBOOK_PNG_H
#define CHAPBOOK_PNG_H

#include <stddef.h>

/* The PNG of w x h pixels rgb (3 bytes a pixel, rows top first, no
 * padding): 8-bit RGB, non-interlaced, an sRGB chunk with its gAMA and
 * cHRM fallbacks, and pHYs at ppm_x x ppm_y pixels per metre (0: none).
 * *png is malloc'd (the caller frees it); out of memory takes base/mem.h's
 * mem_fail. w and h are 1 to 100,000. */
void png_encode_rgb(const unsigned char *rgb, int w, int h,
		    unsigned long ppm_x, unsigned long ppm_y,
		    unsigned char **png, size_t *len);

#endif
