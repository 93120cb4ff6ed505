/* fuzz_image.c - libFuzzer target for raster_decode_image (PNG through
 * libpng, JPEG through libjpeg-turbo) and, for every image that decodes,
 * raster_draw_image onto a small canvas at a rectangle the input picks.
 * The first byte chooses what the rest is: (byte % 6) 0 - the image's
 * bytes as they are; 1..5 - patches to a seed made at start-up (an RGB
 * PNG with sRGB chunks from raster_encode_png, an RGBA PNG, a greyscale
 * PNG, a baseline and a progressive JPEG), so mutations reach past the
 * signatures into well-formed headers and data. A patch is a 2-byte
 * big-endian offset (modulo the seed's length), a length byte and that
 * many bytes; a first byte of 0xC0 or more also cuts the patched seed
 * short (to (byte - 0xBF) / 65 of its length). After patching a PNG, every chunk's CRC is made right
 * again, so that header fields (size, depth, colour type, interlace)
 * reach the decoder rather than its CRC check. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

#include "base/diag.h"
#include "render/raster/decode.h"
#include "render/raster/raster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { NSEEDS = 5 };
static unsigned char *seed[NSEEDS];
static size_t seed_len[NSEEDS];
static unsigned char *work;
static size_t work_cap;

/* A small picture: a gradient with a soft-edged square. */
static unsigned char pattern(int x, int y, int c)
{
	int in = x > 5 && x < 18 && y > 3 && y < 12;
	return (unsigned char)(in ? 40 * c : x * 9 + y * 13 * c);
}

static void seed_png_canvas(void)
{
	diag_list d;
	memset(&d, 0, sizeof d);
	raster_canvas *c = raster_new(24, 16, 24, (paint){0.9, 0.7, 0.2}, &d);
	if (c) {
		raster_fill_rect(c, 3.5, 2.25, 14, 11.5, (paint){0.1, 0.2, 0.6}, 0.7);
		(void)raster_encode_png(c, &seed[0], &seed_len[0], &d);
		raster_free(c);
	}
	diag_free(&d);
}

/* An RGBA or greyscale PNG through libpng's simplified writer. */
static void seed_png(int slot, png_uint_32 format, int channels)
{
	png_image img;
	unsigned char px[24 * 16 * 4];
	png_alloc_size_t len = 0;

	for (int y = 0; y < 16; y++)
		for (int x = 0; x < 24; x++)
			for (int c = 0; c < channels; c++)
				px[(y * 24 + x) * channels + c] =
					c == 3 ? (unsigned char)(x * 10) : pattern(x, y, c);
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	img.width = 24;
	img.height = 16;
	img.format = format;
	if (!png_image_write_to_memory(&img, NULL, &len, 0, px, 0, NULL))
		return;
	seed[slot] = malloc(len);
	if (seed[slot] && png_image_write_to_memory(&img, seed[slot], &len, 0,
						    px, 0, NULL))
		seed_len[slot] = len;
}

static void seed_jpeg(int slot, int progressive)
{
	struct jpeg_compress_struct ci;
	struct jpeg_error_mgr jerr;
	unsigned char *out = NULL, row[24 * 3];
	unsigned long len = 0;

	ci.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&ci);
	jpeg_mem_dest(&ci, &out, &len);
	ci.image_width = 24;
	ci.image_height = 16;
	ci.input_components = 3;
	ci.in_color_space = JCS_RGB;
	jpeg_set_defaults(&ci);
	jpeg_set_quality(&ci, 80, TRUE);
	if (progressive)
		jpeg_simple_progression(&ci);
	jpeg_start_compress(&ci, TRUE);
	while (ci.next_scanline < ci.image_height) {
		JSAMPROW r = row;
		for (int x = 0; x < 24; x++)
			for (int c = 0; c < 3; c++)
				row[3 * x + c] = pattern(x, (int)ci.next_scanline, c);
		jpeg_write_scanlines(&ci, &r, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	seed[slot] = out;
	seed_len[slot] = len;
}

static void release(void)
{
	for (int i = 0; i < NSEEDS; i++)
		free(seed[i]);
	free(work);
}

static void make_seeds(void)
{
	seed_png_canvas();
	seed_png(1, PNG_FORMAT_RGBA, 4);
	seed_png(2, PNG_FORMAT_GRAY, 1);
	seed_jpeg(3, 0);
	seed_jpeg(4, 1);
	for (int i = 0; i < NSEEDS; i++) {
		if (!seed[i] || !seed_len[i])
			abort();
		if (seed_len[i] > work_cap)
			work_cap = seed_len[i];
	}
	work = malloc(work_cap);
	if (!work)
		abort();
	atexit(release);
}

/* Recompute the CRC of every whole chunk of the PNG in p[0..len). */
static void png_fix_crcs(unsigned char *p, size_t len)
{
	size_t at = 8;

	while (at + 12 <= len) {
		size_t n = (size_t)p[at] << 24 | (size_t)p[at + 1] << 16 |
			   (size_t)p[at + 2] << 8 | p[at + 3];
		if (n > len - at - 12)
			return;
		uLong crc = crc32(0, p + at + 4, (uInt)(n + 4));
		for (int i = 0; i < 4; i++)
			p[at + 8 + n + i] = (unsigned char)(crc >> (24 - 8 * i));
		at += 12 + n;
	}
}

/* Decode; draw what decodes onto a 48 x 32 canvas at a rectangle from
 * the input's last bytes (possibly off the canvas, reversed or tiny). */
static void exercise(const unsigned char *bytes, size_t len,
		     const uint8_t *data, size_t size)
{
	int w, h;
	unsigned char *rgba;
	char err[256];

	if (raster_decode_image(bytes, len, &w, &h, &rgba, err, sizeof err) != 0)
		return;
	diag_list d;
	memset(&d, 0, sizeof d);
	raster_canvas *c = raster_new(48, 32, 48, (paint){1, 1, 1}, &d);
	if (c) {
		double r[4] = { 2, 3, 40, 29 };
		for (int i = 0; i < 4 && size > 4; i++)
			r[i] = (int8_t)data[size - 1 - i] / 2.0;
		(void)raster_draw_image(c, rgba, w, h, r[0], r[1], r[2], r[3], &d);
		raster_free(c);
	}
	diag_free(&d);
	free(rgba);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!work)
		make_seeds();
	if (size == 0)
		return 0;
	int mode = data[0] % 6;
	if (mode == 0) {
		exercise(data + 1, size - 1, data, size);
		return 0;
	}
	const unsigned char *b = seed[mode - 1];
	size_t len = seed_len[mode - 1], at = 1;
	memcpy(work, b, len);
	while (at + 3 <= size) {
		size_t off = ((size_t)data[at] << 8 | data[at + 1]) % len;
		size_t n = data[at + 2];
		at += 3;
		if (n > size - at)
			n = size - at;
		if (n > len - off)
			n = len - off;
		memcpy(work + off, data + at, n);
		at += n;
	}
	if (mode <= 3)
		png_fix_crcs(work, len);
	if (data[0] >= 0xC0)
		len = len * (size_t)(data[0] - 0xBF) / 65;
	exercise(work, len, data, size);
	return 0;
}
