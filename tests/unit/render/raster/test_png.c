/* test_png.c - the PNG writer (builder/render/raster/png.c) and its own
 * deflate: images of every kind a page can hold and some it cannot (flat,
 * repeated rows, anti-aliased edges, noise with every byte value, one
 * pixel, one column, rows longer than a deflate window) are encoded, then
 * decoded by libpng (which checks the zlib stream, its Huffman codes and
 * its Adler-32) and compared pixel for pixel; the same pixels give the
 * same bytes; flat pages come out small. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "unit.h"
#include "render/raster/png.h"

/* rgb encoded and decoded again by libpng: 1 when every pixel comes back
 * (and *size is the file's size). */
static int round_trip(const unsigned char *rgb, int w, int h, size_t *size)
{
	unsigned char *out = NULL;
	size_t len = 0;
	png_encode_rgb(rgb, w, h, 3780, 3780, &out, &len);
	*size = len;
	png_image pi;
	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	int ok = 0;
	if (png_image_begin_read_from_memory(&pi, out, len)) {
		pi.format = PNG_FORMAT_RGB;
		unsigned char *back = malloc(PNG_IMAGE_SIZE(pi));
		if (back && png_image_finish_read(&pi, NULL, back, 0, NULL))
			ok = (int)pi.width == w && (int)pi.height == h &&
			     !memcmp(back, rgb, (size_t)w * h * 3);
		free(back);
		png_image_free(&pi);
	}
	free(out);
	return ok;
}

/* A small deterministic generator (xorshift). */
static uint32_t next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

TEST(flat_and_repeated_rows)
{
	size_t size;
	int w = 1600, h = 2270;
	unsigned char *rgb = malloc((size_t)w * h * 3);
	for (size_t i = 0; i < (size_t)w * h; i++)
		memcpy(rgb + 3 * i, "\x8a\x2a\x5b", 3);
	CHECK(round_trip(rgb, w, h, &size));
	/* 10.9 MB of one colour: runs of 258 bytes, a few bits each */
	CHECK(size < 40000);
	/* a white lower half, a black bar across the middle */
	memset(rgb + (size_t)w * 3 * 1200, 0xff, (size_t)w * 3 * (h - 1200));
	memset(rgb + (size_t)w * 3 * 1500, 0, (size_t)w * 3 * 7);
	CHECK(round_trip(rgb, w, h, &size));
	free(rgb);
}

TEST(edges_like_text)
{
	/* anti-aliased strokes: ramps of grey on white, varying per row */
	size_t size;
	int w = 700, h = 300;
	unsigned char *rgb = malloc((size_t)w * h * 3);
	memset(rgb, 0xff, (size_t)w * h * 3);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int k = (x * 7 + y * 3) % 97;
			if (k < 12)
				memset(rgb + ((size_t)y * w + x) * 3,
				       255 - k * 21, 3);
		}
	CHECK(round_trip(rgb, w, h, &size));
	CHECK(size < (size_t)w * h * 3 / 4);
	free(rgb);
}

TEST(noise_every_byte)
{
	/* incompressible: every literal in use, codes at their longest */
	size_t size;
	uint32_t s = 2463534242u;
	int w = 301, h = 257;
	unsigned char *rgb = malloc((size_t)w * h * 3);
	for (size_t i = 0; i < (size_t)w * h * 3; i++)
		rgb[i] = (unsigned char)next(&s);
	CHECK(round_trip(rgb, w, h, &size));
	/* skewed: a few values common, the rest rare (15-bit codes) */
	for (size_t i = 0; i < (size_t)w * h * 3; i++) {
		uint32_t r = next(&s);
		rgb[i] = (unsigned char)(r % 1000 < 990 ? r % 3 : r >> 8);
	}
	CHECK(round_trip(rgb, w, h, &size));
	free(rgb);
}

TEST(tiny_and_narrow)
{
	size_t size;
	unsigned char one[3] = {1, 2, 3};
	CHECK(round_trip(one, 1, 1, &size));
	unsigned char col[3 * 500];
	for (int i = 0; i < 500; i++)
		memset(col + 3 * i, i / 7, 3);
	CHECK(round_trip(col, 1, 500, &size));
	CHECK(round_trip(col, 500, 1, &size));
	CHECK(round_trip(col, 2, 250, &size));
	/* rows wider than deflate's 32 KiB window */
	int w = 20000;
	unsigned char *wide = malloc((size_t)w * 3 * 3);
	for (int i = 0; i < w * 3 * 3; i++)
		wide[i] = (unsigned char)(i / 9000 * 40);
	CHECK(round_trip(wide, w, 3, &size));
	free(wide);
}

TEST(same_pixels_same_bytes)
{
	int w = 64, h = 64;
	unsigned char rgb[64 * 64 * 3];
	for (int i = 0; i < w * h * 3; i++)
		rgb[i] = (unsigned char)(i % 11 * 23);
	unsigned char *a, *b;
	size_t na, nb;
	png_encode_rgb(rgb, w, h, 3780, 3780, &a, &na);
	png_encode_rgb(rgb, w, h, 3780, 3780, &b, &nb);
	CHECK(na == nb && !memcmp(a, b, na));
	/* the chunks: signature, IHDR first, IEND last */
	CHECK(na > 8 && !memcmp(a, "\x89PNG\r\n\x1a\n", 8));
	CHECK(!memcmp(a + 12, "IHDR", 4));
	CHECK(!memcmp(a + na - 8, "IEND", 4));
	free(a);
	free(b);
}

int main(void)
{
	RUN(flat_and_repeated_rows);
	RUN(edges_like_text);
	RUN(noise_every_byte);
	RUN(tiny_and_narrow);
	RUN(same_pixels_same_bytes);
	CHECK_EXIT();
}
