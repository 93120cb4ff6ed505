/* test_subset.c - unit tests for the TrueType subsetter: the subset of
 * Charis SIL is a well-formed sfnt (directory, checksums, checkSumAdjustment),
 * holds exactly the glyphs asked for in order with their outlines and
 * advances, pulls in and renumbers composite components, and refuses
 * damaged fonts with a message instead of reading out of bounds. */
#include "unit.h"
#include "font/font.h"
#include "font/subset.h"

#include <stdint.h>
#include <stdlib.h>

#define REGULAR "fonts/CharisSIL-Regular.ttf"
#define ITALIC "fonts/CharisSIL-Italic.ttf"

static font_face *F;
static const unsigned char *T;
static size_t TLEN;

static unsigned u16(const unsigned char *p) { return (unsigned)(p[0] << 8 | p[1]); }
static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* A table of the font at p (len bytes): its bytes and length, or NULL. */
static const unsigned char *table(const unsigned char *p, size_t len,
				  const char *tag, size_t *tlen)
{
	unsigned n = u16(p + 4), i;

	for (i = 0; i < n; i++) {
		const unsigned char *e = p + 12 + i * 16;

		if (!memcmp(e, tag, 4) && u32(e + 8) + (size_t)u32(e + 12) <= len) {
			*tlen = u32(e + 12);
			return p + u32(e + 8);
		}
	}
	return NULL;
}

static uint32_t sum(const unsigned char *p, size_t n)
{
	uint32_t s = 0;
	size_t i, k;

	for (i = 0; i < n; i += 4) {
		uint32_t v = 0;

		for (k = 0; k < 4; k++)
			v = v << 8 | (i + k < n ? p[i + k] : 0);
		s += v;
	}
	return s;
}

/* Glyph g's bytes in a font with a long or short loca. */
static const unsigned char *glyph(const unsigned char *p, size_t len,
				  unsigned g, size_t *glen)
{
	size_t l, hl, ll;
	const unsigned char *glyf = table(p, len, "glyf", &l);
	const unsigned char *loca = table(p, len, "loca", &ll);
	const unsigned char *head = table(p, len, "head", &hl);
	size_t a, b;

	if (!glyf || !loca || !head)
		return NULL;
	if (u16(head + 50)) {
		a = u32(loca + g * 4);
		b = u32(loca + g * 4 + 4);
	} else {
		a = u16(loca + g * 2) * 2u;
		b = u16(loca + g * 2 + 2) * 2u;
	}
	*glen = b - a;
	return glyf + a;
}

static unsigned advance(const unsigned char *p, size_t len, unsigned g)
{
	size_t hl, ml;
	const unsigned char *hhea = table(p, len, "hhea", &hl);
	const unsigned char *hmtx = table(p, len, "hmtx", &ml);
	unsigned nhm = u16(hhea + 34);

	return u16(hmtx + (g < nhm ? g : nhm - 1) * 4);
}

TEST(well_formed)
{
	uint16_t gids[4];
	size_t n = 0, len, i, tl;
	char err[128] = "";
	unsigned char *s;

	gids[0] = 0;
	gids[1] = (uint16_t)font_glyph_id(F, 'H');
	gids[2] = (uint16_t)font_glyph_id(F, 'i');
	gids[3] = (uint16_t)font_glyph_id(F, 0x2019);
	s = subset_build(T, TLEN, gids, 4, &len, err, sizeof err);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(len < TLEN / 20);
	CHECK(u32(s) == 0x00010000);
	n = u16(s + 4);
	CHECK(n >= 9);
	/* tags sorted, tables 4-aligned and inside, checksums right */
	for (i = 0; i < n; i++) {
		const unsigned char *e = s + 12 + i * 16;
		uint32_t off = u32(e + 8), l = u32(e + 12);

		CHECK(off % 4 == 0 && off + (size_t)l <= len);
		if (i)
			CHECK(memcmp(e - 16, e, 4) < 0);
		if (memcmp(e, "head", 4)) {
			CHECK(sum(s + off, l) == u32(e + 4));
		} else {
			/* summed with checkSumAdjustment as zero */
			CHECK(sum(s + off, l) - u32(s + off + 8) == u32(e + 4));
		}
	}
	CHECK(sum(s, len) == 0xB1B0AFBAu);
	CHECK(table(s, len, "cmap", &tl) == NULL);
	CHECK(table(s, len, "GSUB", &tl) == NULL);
	CHECK(table(s, len, "fpgm", &tl) != NULL);
	CHECK(u16(table(s, len, "maxp", &tl) + 4) == 4);
	CHECK(u16(table(s, len, "hhea", &tl) + 34) == 4);
	for (i = 0; i < 4; i++) {
		size_t a, b;
		const unsigned char *x = glyph(T, TLEN, gids[i], &a);
		const unsigned char *y = glyph(s, len, (unsigned)i, &b);

		CHECK(x && y && a <= b && b - a < 4 && !memcmp(x, y, a));
		CHECK(advance(s, len, (unsigned)i) ==
		      advance(T, TLEN, gids[i]));
	}
	free(s);
}

/* é is a composite in Charis (e + acute): its components come along
 * after the glyphs asked for, and its references point at them. */
TEST(composites_follow)
{
	uint16_t gids[2] = {0, 0};
	size_t len, gl, ol;
	char err[128] = "";
	unsigned char *s;
	const unsigned char *g, *o;

	gids[1] = (uint16_t)font_glyph_id(F, 0xE9);
	o = glyph(T, TLEN, gids[1], &ol);
	CHECK(o && ol >= 10 && (int16_t)u16(o) < 0);
	s = subset_build(T, TLEN, gids, 2, &len, err, sizeof err);
	CHECK(s != NULL);
	if (!s)
		return;
	size_t tl;
	unsigned n = u16(table(s, len, "maxp", &tl) + 4);
	CHECK(n >= 3);
	g = glyph(s, len, 1, &gl);
	CHECK(g && (int16_t)u16(g) < 0);
	/* every component reference is in range and names the same outline
	 * as the original's reference */
	{
		size_t p = 10, q = 10;
		unsigned flags;

		do {
			unsigned nw = u16(g + p + 2), old = u16(o + q + 2);
			size_t a, b;
			const unsigned char *x, *y;

			flags = u16(g + p);
			CHECK(nw >= 2 && nw < n);
			x = glyph(T, TLEN, old, &a);
			y = glyph(s, len, nw, &b);
			CHECK(x && y && a <= b && !memcmp(x, y, a));
			p += 4 + ((flags & 1) ? 4 : 2);
			q = p;
			if (flags & 8)
				p += 2, q += 2;
			else if (flags & 0x40)
				p += 4, q += 4;
			else if (flags & 0x80)
				p += 8, q += 8;
		} while ((flags & 0x20) && p < gl);
	}
	free(s);
}

TEST(info)
{
	subset_info in;
	char err[128];
	font_face *it;
	size_t len;
	const unsigned char *p;

	CHECK(subset_info_read(T, TLEN, &in, err, sizeof err) == 0);
	CHECK_STR(in.ps_name, "CharisSIL");
	CHECK(in.weight == 400);
	CHECK(in.italic_angle == 0 && !in.fixed_pitch);
	CHECK(in.bbox[0] < 0 && in.bbox[1] < 0 && in.bbox[2] > 1000 / 2 &&
	      in.bbox[3] > 700);
	it = font_load(ITALIC, err, sizeof err);
	CHECK(it != NULL);
	if (!it)
		return;
	p = font_data(it, &len);
	CHECK(subset_info_read(p, len, &in, err, sizeof err) == 0);
	CHECK_STR(in.ps_name, "CharisSIL-Italic");
	CHECK(in.italic_angle < -5 && in.italic_angle > -20);
	font_free(it);
}

/* Damaged fonts: every truncation of the file's first part, garbage, and
 * glyph numbers the font does not have give NULL and a message. */
TEST(damaged)
{
	uint16_t gids[3] = {0, 36, 68};
	size_t len, cut;
	char err[128];
	unsigned char *s, *copy;
	int refused = 1;

	for (cut = 0; cut < 4096; cut += 7) {
		err[0] = 0;
		s = subset_build(T, cut, gids, 3, &len, err, sizeof err);
		if (s || !err[0])
			refused = 0;
		free(s);
	}
	CHECK(refused);
	/* the glyph table cut short */
	s = subset_build(T, TLEN / 2, gids, 3, &len, err, sizeof err);
	CHECK(s == NULL && err[0]);
	free(s);
	err[0] = 0;
	gids[2] = 60000;
	CHECK(subset_build(T, TLEN, gids, 3, &len, err, sizeof err) == NULL);
	CHECK(strstr(err, "out of range") != NULL);
	CHECK(subset_build((const unsigned char *)"not a font at all", 17,
			   gids, 1, &len, err, sizeof err) == NULL);
	CHECK(strstr(err, "not a TrueType") != NULL);
	/* a loca pointing past glyf */
	copy = malloc(TLEN);
	if (copy) {
		size_t ll, hl;
		unsigned char *loca, *head;

		memcpy(copy, T, TLEN);
		loca = (unsigned char *)table(copy, TLEN, "loca", &ll);
		head = (unsigned char *)table(copy, TLEN, "head", &hl);
		if (u16(head + 50))
			memset(loca + 37 * 4, 0x7F, 4);
		else
			memset(loca + 37 * 2, 0x7F, 2);
		gids[2] = 36;
		err[0] = 0;
		CHECK(subset_build(copy, TLEN, gids, 3, &len, err,
				   sizeof err) == NULL);
		CHECK(strstr(err, "loca") != NULL);
		free(copy);
	}
}

int main(void)
{
	char err[256];

	F = font_load(REGULAR, err, sizeof err);
	if (!F) {
		printf("FAIL test_subset: %s\n", err);
		return 1;
	}
	T = font_data(F, &TLEN);
	RUN(well_formed);
	RUN(composites_follow);
	RUN(info);
	RUN(damaged);
	font_free(F);
	CHECK_EXIT();
}
