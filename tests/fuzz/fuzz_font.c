/* fuzz_font.c - libFuzzer target for everything that reads a TrueType
 * file: the metrics reader (font.c), GPOS kerning (kern.c) and the
 * subsetter (subset.c). An input is either a font itself (first byte 'F')
 * or a list of patches to a real font - Charis SIL (first byte even) or
 * DejaVu Serif, which has kerning (odd; from Debian fonts-dejavu-core,
 * else Charis) - so mutations reach deep into well-formed tables: each
 * patch is a table number (modulo the font's table count; the directory
 * itself is one more), a 3-byte big-endian offset into that table (modulo
 * its length), a length byte, and that many bytes written there. Run from
 * the repository root. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "font/font.h"
#include "font/subset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned char *base[2];
static size_t base_len[2];
static unsigned char *work;

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)n)) &&
	    fread(p, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

static void release(void)
{
	free(base[0]);
	if (base[1] != base[0])
		free(base[1]);
	free(work);
}

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
	if (!base[0]) {
		base[0] = slurp("fonts/CharisSIL-Regular.ttf", &base_len[0]);
		if (!base[0])
			abort();   /* run from the repository root */
		base[1] = slurp("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
				&base_len[1]);
		if (!base[1]) {
			base[1] = base[0];
			base_len[1] = base_len[0];
		}
		size_t max = base_len[0] > base_len[1] ? base_len[0] : base_len[1];
		work = malloc(max);
		if (!work)
			abort();
		atexit(release);
	}
	if (size && data[0] == 'F') {
		exercise(data + 1, size - 1);
		return 0;
	}
	int which = size ? data[0] & 1 : 0;
	const unsigned char *b = base[which];
	size_t len = base_len[which], at = size ? 1 : 0;
	size_t ntables = len >= 12 ? (size_t)(b[4] << 8 | b[5]) : 0;
	memcpy(work, b, len);
	while (at + 5 <= size) {
		size_t t = data[at] % (ntables + 1), start = 0, tlen = 12 + ntables * 16;
		size_t off = (size_t)data[at + 1] << 16 | (size_t)data[at + 2] << 8 |
			     data[at + 3];
		size_t n = data[at + 4];
		at += 5;
		if (t < ntables) {   /* a table (offsets of the unpatched font) */
			const unsigned char *e = b + 12 + t * 16;
			start = (size_t)e[8] << 24 | (size_t)e[9] << 16 |
				(size_t)e[10] << 8 | e[11];
			tlen = (size_t)e[12] << 24 | (size_t)e[13] << 16 |
			       (size_t)e[14] << 8 | e[15];
		}
		if (start >= len || !tlen)
			continue;
		if (tlen > len - start)
			tlen = len - start;
		off = start + off % tlen;
		if (n > size - at)
			n = size - at;
		if (n > len - off)
			n = len - off;
		memcpy(work + off, data + at, n);
		at += n;
	}
	exercise(work, len);
	return 0;
}
