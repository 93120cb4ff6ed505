/* fuzz_font.c - libFuzzer target for everything that reads a TrueType
 * file: the metrics reader (font.c), GPOS kerning (kern.c) and the
 * subsetter (subset.c). Inputs: font_patch.h (a font, or patches to
 * Charis SIL or DejaVu Serif). Run from the repository root. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "font/font.h"
#include "font/subset.h"
#include "font_patch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Everything a build asks of a face. */
static void exercise(const unsigned char *font, size_t len)
{
	static const char *const text[] = {
		"Hello", "AVAWAY To", "r. P. f\xC3\xA9" "e", "\xE2\x80\x9C" "Tina\xE2\x80\x99s\xE2\x80\x9D",
		"\xF0\x9F\x98\x80", "\xFF\xFE"
	};
	char err[256];
	font_face *f = font_load_memory(font, len, "fuzz.ttf", err, sizeof err);
	if (f) {
		uint16_t gids[64];
		size_t n = 1, out_len = 0;
		gids[0] = 0;
		for (size_t i = 0; i < sizeof text / sizeof *text; i++) {
			(void)font_width(f, text[i], strlen(text[i]), 10);
			for (const char *s = text[i]; *s && n < 64; s++) {
				uint32_t g = font_glyph_id(f, (unsigned char)*s);
				(void)font_kern_glyphs(f, gids[n - 1], g);
				(void)font_glyph_advance(f, g);
				gids[n++] = (uint16_t)g;
			}
		}
		subset_info info;
		(void)subset_info_read(font, len, &info, err, sizeof err);
		free(subset_build(font, len, gids, n, &out_len, err, sizeof err));
		font_free(f);
	} else {
		subset_info info;
		uint16_t g[3] = {0, 1, 2};
		size_t out_len;
		(void)subset_info_read(font, len, &info, err, sizeof err);
		free(subset_build(font, len, g, 3, &out_len, err, sizeof err));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	const unsigned char *font = fp_font(data, size, &len);

	exercise(font, len);
	return 0;
}
