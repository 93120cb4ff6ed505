/* test_hbsubset.c - unit tests for subsetting with hb-subset: the subset
 * of Charis SIL loads back in HarfBuzz with the glyphs asked for (and the
 * components of a composite), each with its original advance and outline
 * extents at the new id the caller was given; only the tables a PDF CID
 * font needs are kept; the sfnt checksum holds; two builds are identical;
 * the subset of the article's text is no larger than the retired
 * hand-written subsetter made it. */
#include "unit.h"
#include "base/utf8.h"
#include "font/face.h"
#include "font/hbsubset.h"
#include "font/shape.h"

#include <hb.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>

#define REGULAR "fonts/CharisSIL-Regular.ttf"

static face *F;
static shape_cache *C;
static const shape_opts ON = {1, 1, "en-GB", "Latn"};

/* Distinct glyphs of text shaped in F, in first-use order after .notdef. */
static size_t glyphs_of(const char *text, uint32_t *g, size_t cap)
{
	const shape_run *r = shape_text(C, F, text, strlen(text), &ON);
	size_t n = 0;

	g[n++] = 0;
	for (size_t i = 0; r && i < r->n && n < cap; i++) {
		size_t k = 0;
		while (k < n && g[k] != r->glyphs[i].gid)
			k++;
		if (k == n)
			g[n++] = r->glyphs[i].gid;
	}
	return n;
}

/* A HarfBuzz font over a subset's bytes. */
static hb_font_t *hb_open(const unsigned char *p, size_t len)
{
	hb_blob_t *b = hb_blob_create((const char *)p, (unsigned)len,
				      HB_MEMORY_MODE_READONLY, NULL, NULL);
	hb_face_t *f = hb_face_create(b, 0);
	hb_font_t *font = hb_font_create(f);
	hb_face_destroy(f);
	hb_blob_destroy(b);
	return font;
}

static int same_extents(hb_font_t *a, uint32_t ga, hb_font_t *b, uint32_t gb)
{
	hb_glyph_extents_t x, y;
	int ok = hb_font_get_glyph_extents(a, ga, &x) &&
		 hb_font_get_glyph_extents(b, gb, &y);
	return ok && x.x_bearing == y.x_bearing &&
	       x.y_bearing == y.y_bearing && x.width == y.width &&
	       x.height == y.height;
}

TEST(round_trip)
{
	uint32_t g[128], ng[128];
	size_t n = glyphs_of("The office: flow, affection and baby-bonding.", g, 128);
	size_t len = 0;
	char err[256];
	unsigned char *s = hbsubset_build(F, g, n, ng, &len, err, sizeof err);
	CHECK(s != NULL && len > 1000);
	if (!s)
		return;
	hb_font_t *sub = hb_open(s, len);
	hb_face_t *sf = hb_font_get_face(sub);
	CHECK(hb_face_get_upem(sf) == 2048);
	/* the glyphs asked for, plus the components of composite glyphs */
	unsigned count = hb_face_get_glyph_count(sf);
	CHECK(count >= n && count < n + 8);
	CHECK(ng[0] == 0);
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		if (ng[i] >= count)
			bad++;
		else if (hb_font_get_glyph_h_advance(sub, ng[i]) !=
			 face_advance(F, g[i]) ||
			 !same_extents(face_hb_font(F), g[i], sub, ng[i]))
			bad++;
		for (size_t k = 0; k < n; k++)   /* old order kept */
			if ((g[i] < g[k]) != (ng[i] < ng[k]))
				bad++;
	}
	CHECK(bad == 0);
	/* the ligature glyphs are in */
	const shape_run *r = shape_text(C, F, "office", 6, &ON);
	size_t k = 0;
	while (k < n && g[k] != r->glyphs[1].gid)
		k++;
	CHECK(k < n);
	hb_font_destroy(sub);
	free(s);
}

static int has_table(const unsigned char *p, size_t len, const char *tag)
{
	unsigned n = len >= 12 ? (unsigned)(p[4] << 8 | p[5]) : 0;
	for (unsigned i = 0; i < n && 12 + i * 16 + 16 <= len; i++)
		if (!memcmp(p + 12 + i * 16, tag, 4))
			return 1;
	return 0;
}

TEST(tables_checksum_and_determinism)
{
	uint32_t g[64];
	size_t n = glyphs_of("Hello world", g, 64), len = 0, len2 = 0;
	unsigned char *a = hbsubset_build(F, g, n, NULL, &len, NULL, 0);
	unsigned char *b = hbsubset_build(F, g, n, NULL, &len2, NULL, 0);
	CHECK(a && b && len == len2 && !memcmp(a, b, len));
	if (!a || !b) {
		free(a);
		free(b);
		return;
	}
	static const char *const keep[] = {"glyf", "loca", "head", "hhea",
					   "hmtx", "maxp", "post", "fpgm",
					   "prep", "cvt "};
	static const char *const drop[] = {"cmap", "name", "GSUB", "GPOS",
					   "GDEF", "Silt"};
	for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
		CHECK(has_table(a, len, keep[i]));
	for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
		CHECK(!has_table(a, len, drop[i]));
	/* the whole font sums to 0xB1B0AFBA (head.checkSumAdjustment) */
	uint32_t sum = 0;
	for (size_t i = 0; i < len; i += 4) {
		uint32_t v = 0;
		for (size_t k = 0; k < 4; k++)
			v = v << 8 | (i + k < len ? a[i + k] : 0);
		sum += v;
	}
	CHECK(sum == 0xB1B0AFBAu);
	free(a);
	free(b);
}

/* The EPUB's text subset is a font a browser can use: it keeps the cmap
 * (and name, OS/2, the layout tables) and maps exactly the characters
 * asked for (that the face has), each to a glyph with its advance; it is
 * the same twice. */
TEST(text_subset_keeps_cmap)
{
	const uint32_t cps[] = {'B', 'o', 'n', 'd', 0x2019 /* ’ */, 0xE9 /* é */};
	size_t n = sizeof cps / sizeof *cps, len = 0, len2 = 0;
	char err[128] = "";
	unsigned char *a = hbsubset_text(F, cps, n, &len, err, sizeof err);
	unsigned char *b = hbsubset_text(F, cps, n, &len2, err, sizeof err);
	CHECK(a && b && len == len2 && !memcmp(a, b, len));
	if (!a || !b) {
		printf("  %s\n", err);
		free(a);
		free(b);
		return;
	}
	static const char *const keep[] = {"cmap", "name", "OS/2", "post",
					   "glyf", "hmtx", "GSUB", "GPOS"};
	for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
		CHECK(has_table(a, len, keep[i]));
	hb_font_t *sub = hb_open(a, len);
	hb_codepoint_t g;
	for (size_t i = 0; i < n; i++) {
		CHECK(hb_font_get_nominal_glyph(sub, cps[i], &g));
		CHECK(hb_font_get_glyph_h_advance(sub, g) ==
		      face_advance(F, face_glyph(F, cps[i])));
	}
	CHECK(!hb_font_get_nominal_glyph(sub, 'z', &g));
	CHECK(len < 40000);
	hb_font_destroy(sub);
	free(a);
	free(b);
}

/* é is a composite in Charis (e + acute): its components come along. */
TEST(composites_follow)
{
	uint32_t g[2] = {0, face_glyph(F, 0xE9)}, ng[2];
	size_t len = 0;
	unsigned char *s = hbsubset_build(F, g, 2, ng, &len, NULL, 0);
	CHECK(s != NULL);
	if (!s)
		return;
	hb_font_t *sub = hb_open(s, len);
	CHECK(hb_face_get_glyph_count(hb_font_get_face(sub)) > 2);
	CHECK(same_extents(face_hb_font(F), g[1], sub, ng[1]));
	hb_font_destroy(sub);
	free(s);
}

TEST(bad_glyphs)
{
	uint32_t g[2] = {0, face_glyph_count(F)};
	size_t len = 0;
	char err[256] = "";
	CHECK(hbsubset_build(F, g, 2, NULL, &len, err, sizeof err) == NULL);
	CHECK(strstr(err, "out of range") != NULL);
	/* no glyphs at all: .notdef alone */
	unsigned char *s = hbsubset_build(F, NULL, 0, NULL, &len, err, sizeof err);
	CHECK(s != NULL && len > 0);
	free(s);
}

static size_t deflated(const unsigned char *p, size_t n)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(4);
	size_t cap = libdeflate_zlib_compress_bound(c, n), r;
	void *o = malloc(cap);
	r = o ? libdeflate_zlib_compress(c, p, n, o, cap) : 0;
	free(o);
	libdeflate_free_compressor(c);
	return r;
}

/* The glyphs of the article's sentences: hb-subset's font is no larger,
 * deflated as the PDF stores it, than the retired hand-written subsetter
 * (subset.c) made for the same 75 glyphs: 12,216 bytes. */
TEST(no_larger_than_subset_c)
{
	FILE *fp = fopen("tests/data/sentences.txt", "r");
	static char text[1 << 16];
	size_t tl = fp ? fread(text, 1, sizeof text - 1, fp) : 0;
	if (fp)
		fclose(fp);
	text[tl] = 0;
	CHECK(tl > 1000);
	static uint32_t g[4096];
	static unsigned char seen[65536];
	size_t n = 0, i = 0;
	g[n++] = 0;
	seen[0] = 1;
	while (i < tl) {
		size_t used;
		uint32_t gid = face_glyph(F, utf8_decode(text + i, tl - i, &used));
		i += used;
		if (!seen[gid]) {
			seen[gid] = 1;
			g[n++] = gid;
		}
	}
	size_t hlen = 0;
	unsigned char *hb = hbsubset_build(F, g, n, NULL, &hlen, NULL, 0);
	CHECK(hb && n == 75);
	if (hb) {
		size_t hd = deflated(hb, hlen);
		if (hd > 12216)
			printf("  %zu glyphs: hb-subset %zu bytes deflated\n",
			       n, hd);
		CHECK(hd <= 12216);
	}
	free(hb);
}

int main(void)
{
	char err[256];
	F = face_load(REGULAR, err, sizeof err);
	C = shape_cache_new();
	if (!F || !C) {
		printf("FAIL setup: %s\n", err);
		return 1;
	}
	RUN(round_trip);
	RUN(tables_checksum_and_determinism);
	RUN(text_subset_keeps_cmap);
	RUN(composites_follow);
	RUN(bad_glyphs);
	RUN(no_larger_than_subset_c);
	shape_cache_free(C);
	face_free(F);
	CHECK_EXIT();
}
