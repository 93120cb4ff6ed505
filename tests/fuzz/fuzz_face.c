/* fuzz_face.c - libFuzzer target for the HarfBuzz font path: loading a
 * face (face.c's checks, then HarfBuzz), its metrics and descriptor facts,
 * shaping with kerning and ligatures on and off (shape.c: clusters,
 * pieces, hyphenated pieces, break points) and subsetting the glyphs drawn
 * (hbsubset.c, whose output is loaded back). Inputs: font_patch.h (a
 * font, or patches to Charis SIL or DejaVu Serif). Run from the
 * repository root. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "font/face.h"
#include "font/hbsubset.h"
#include "font/shape.h"
#include "font_patch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Shape text both ways, walk its break points and pieces, and remember
 * its glyphs in g[*n..64). */
static void shape_all(shape_cache *c, face *f, const char *text,
		      uint32_t *g, size_t *n)
{
	static const shape_opts opts[2] = {{1, 1, "en-GB", "Latn"},
					   {0, 0, NULL, NULL}};
	size_t len = strlen(text);
	for (int k = 0; k < 2; k++) {
		const shape_run *r = shape_text(c, f, text, len, &opts[k]);
		if (!r)
			continue;
		int64_t sum = 0;
		size_t prev = 0;
		for (size_t at = 1; at <= len; at++) {
			if (at < len && shape_break_at(r, at) == SHAPE_BREAK_NONE)
				continue;
			sum += shape_range(r, prev, at);
			(void)shape_hyphenated(c, f, text, at, &opts[k]);
			prev = at;
		}
		if (sum != r->width)
			abort();   /* pieces must sum to the whole */
		for (size_t i = 0; i < r->n && *n < 64; i++)
			g[(*n)++] = r->glyphs[i].gid;
	}
}

/* Everything a build asks of a face. */
static void exercise(const unsigned char *font, size_t len)
{
	static const char *const text[] = {
		"Hello", "AVAWAY To", "office affluent", "r. P. f\xC3\xA9" "e",
		"\xE2\x80\x9C" "Tina\xE2\x80\x99s\xE2\x80\x9D", "e\xCC\x81\xCC\xA3",
		"\xF0\x9F\x98\x80", "\xFF\xFE", "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85"
	};
	char err[256];
	face *f = face_load_memory(font, len, "fuzz.ttf", err, sizeof err);
	if (!f)
		return;
	(void)face_get_info(f);
	(void)face_ascent_1000(f);
	(void)face_descent_1000(f);
	(void)face_cap_height_1000(f);
	for (uint32_t gid = 0; gid < face_glyph_count(f) && gid < 300; gid++)
		(void)face_advance_1000(f, gid);
	shape_cache *c = shape_cache_new();
	uint32_t g[64], ng[64];
	size_t n = 0, out_len = 0;
	for (size_t i = 0; c && i < sizeof text / sizeof *text; i++)
		shape_all(c, f, text[i], g, &n);
	shape_cache_free(c);
	unsigned char *sub = hbsubset_build(f, g, n, ng, &out_len, err,
					    sizeof err);
	if (sub) {
		for (size_t i = 0; i < n; i++)
			if (g[i] == 0 && ng[i] != 0)
				abort();   /* .notdef stays glyph 0 */
		face *back = face_load_memory(sub, out_len, "sub.ttf", err,
					      sizeof err);
		face_free(back);   /* no cmap: refused, but never a crash */
		free(sub);
	}
	face_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	const unsigned char *font = fp_font(data, size, &len);

	exercise(font, len);
	return 0;
}
