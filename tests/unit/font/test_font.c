/* test_font.c - unit tests for the TrueType reader: metrics of Charis SIL,
 * coverage, UTF-8 decoding, hostile files (not a font, truncated), and
 * GPOS pair kerning (DejaVu Serif, from Debian fonts-dejavu-core). */
#include "unit.h"
#include "font/font.h"
#include "font/kern.h"

#include <stdlib.h>
#include <unistd.h>

#define REGULAR "fonts/CharisSIL-Regular.ttf"

static font_face *F;

TEST(hello_width)
{
	/* advances in font units (2048/em) from hmtx, read with a separate
	 * parser: H 1522, e 1004, l 608, o 1114; libharu truncates each to
	 * 1/1000 em */
	int h = 1522 * 1000 / 2048, e = 1004 * 1000 / 2048,
	    l = 608 * 1000 / 2048, o = 1114 * 1000 / 2048;
	CHECK(font_advance(F, 'H') == h && font_advance(F, 'e') == e);
	CHECK(font_advance(F, 'l') == l && font_advance(F, 'o') == o);
	double w = font_width(F, "Hello", 5, 10.0);
	CHECK(w == (h + e + 2 * l + o) * 10.0 / 1000.0);
	CHECK(w == 23.68);              /* libharu's HPDF_Font_TextWidth: 2368 */
	CHECK(font_width(F, "", 0, 10.0) == 0);
}

TEST(coverage)
{
	CHECK(font_has_glyph(F, 0x2019));   /* ’ */
	CHECK(font_has_glyph(F, 0x201C) && font_has_glyph(F, 0x201D));
	CHECK(font_has_glyph(F, 0x2013) && font_has_glyph(F, 0x2014));
	CHECK(font_has_glyph(F, 0xE9));     /* é */
	CHECK(!font_has_glyph(F, 0x1F600)); /* emoji */
	CHECK(!font_has_glyph(F, 0xFFFF));
	/* a missing glyph measures as .notdef */
	CHECK(font_advance(F, 0x1F600) == font_advance(F, 0xFFFF));
	CHECK(font_advance(F, 0x1F600) > 0);
	/* ’ “ ” – — é as libharu measures them: 4603 */
	const char *s = "\xE2\x80\x99 \xE2\x80\x9C \xE2\x80\x9D \xE2\x80\x93 "
			"\xE2\x80\x94 \xC3\xA9";
	CHECK(font_width(F, s, strlen(s), 1000.0) == 4603);
}

TEST(vertical_metrics)
{
	CHECK(font_ascent(F) > 900 && font_ascent(F) < 1300);
	CHECK(font_descent(F) < -200 && font_descent(F) > -600);
	CHECK(font_cap_height(F) > 600 && font_cap_height(F) < 720);
	CHECK_STR(font_path(F), REGULAR);
}

TEST(invalid_utf8_measures_as_replacement)
{
	/* invalid bytes measure as U+FFFD, one per byte */
	CHECK(font_width(F, "\xFF\xFE", 2, 1000.0) ==
	      2.0 * font_advance(F, 0xFFFD));
}

/* Write n bytes of src (or text) to a temporary file. */
static void write_file(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");
	if (fp) {
		fwrite(p, 1, n, fp);
		fclose(fp);
	}
}

TEST(hostile_files)
{
	char err[256] = "";
	CHECK(font_load("tests/unit/font/test_font.c", err, sizeof err) == NULL);
	CHECK(err[0] != '\0');
	err[0] = '\0';
	CHECK(font_load("/nonexistent.ttf", err, sizeof err) == NULL);
	CHECK(err[0] != '\0');
	/* truncated copies of the real font, at many lengths */
	FILE *fp = fopen(REGULAR, "rb");
	CHECK(fp != NULL);
	if (!fp)
		return;
	static unsigned char data[1 << 20];
	size_t n = fread(data, 1, sizeof data, fp);
	fclose(fp);
	char tmp[] = "/tmp/chapbook-test-font-XXXXXX";
	int fd = mkstemp(tmp);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	static const size_t cuts[] = {0, 4, 12, 100, 300, 1000, 5000, 20000,
				      100000, 400000};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		write_file(tmp, data, cuts[i] < n ? cuts[i] : n / 2);
		err[0] = '\0';
		font_face *f = font_load(tmp, err, sizeof err);
		CHECK(f == NULL && err[0] != '\0');
		font_free(f);
	}
	/* random corruption: must not crash; a result may load or not */
	srand(3);
	static unsigned char bad[1 << 20];
	for (int round = 0; round < 40; round++) {
		memcpy(bad, data, n);
		for (int k = 0; k < 20; k++)
			bad[rand() % 2000] = (unsigned char)rand();
		write_file(tmp, bad, n);
		font_face *f = font_load(tmp, err, sizeof err);
		if (f) {
			for (uint32_t c = 0; c < 0x3000; c += 7)
				(void)font_advance(f, c);
			font_free(f);
		}
	}
	remove(tmp);
	close(fd);
}

/* Pair kerning: Charis SIL has none (its GPOS holds only mark
 * positioning); DejaVu Serif (Debian fonts-dejavu-core) kerns AV, To, P.
 * and not oo, and font_width includes it. */
#define KERNED "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
TEST(kerning)
{
	char err[256];
	CHECK(font_kern(F, 'A', 'V') == 0 && font_kern(F, 'T', 'o') == 0);
	CHECK(font_width(F, "AV", 2, 10) ==
	      (font_advance(F, 'A') + font_advance(F, 'V')) / 100.0);
	font_face *k = font_load(KERNED, err, sizeof err);
	CHECK(k != NULL);
	if (!k)
		return;
	double av = font_kern(k, 'A', 'V');
	CHECK(av < -10 && font_kern(k, 'T', 'o') < -10 &&
	      font_kern(k, 'P', '.') < -10);
	CHECK(font_kern(k, 'o', 'o') == 0);
	CHECK(font_kern(k, 'A', 'V') == av);   /* remembered, same answer */
	double w = font_width(k, "AV", 2, 10);
	double expect = (font_advance(k, 'A') + font_advance(k, 'V') + av) / 100;
	CHECK(w > expect - 1e-9 && w < expect + 1e-9);
	CHECK(font_width(k, "Tomato", 6, 10) < (font_advance(k, 'T') +
	      font_advance(k, 'o') * 2 + font_advance(k, 'm') +
	      font_advance(k, 'a') + font_advance(k, 't')) / 100.0);
	font_free(k);
}

/* A damaged GPOS never crashes: kerning reads from every truncation of
 * the table, and from random bytes written over it, are only numbers. */
TEST(kerning_damaged)
{
	FILE *fp = fopen(KERNED, "rb");
	static unsigned char data[1 << 20];
	size_t n = fp ? fread(data, 1, sizeof data, fp) : 0;
	if (fp)
		fclose(fp);
	CHECK(n > 1000);
	size_t gpos = 0, glen = 0, nt = n > 12 ? (size_t)(data[4] << 8 | data[5]) : 0;
	for (size_t i = 0; i < nt && 12 + i * 16 + 16 <= n; i++) {
		const unsigned char *e = data + 12 + i * 16;
		if (!memcmp(e, "GPOS", 4)) {
			gpos = (size_t)e[8] << 24 | (size_t)e[9] << 16 |
			       (size_t)e[10] << 8 | e[11];
			glen = (size_t)e[12] << 24 | (size_t)e[13] << 16 |
			       (size_t)e[14] << 8 | e[15];
		}
	}
	CHECK(gpos > 0 && glen > 0 && gpos + glen <= n);
	if (!gpos)
		return;
	static const uint16_t g[] = {0, 1, 36, 57, 68, 82, 500, 65535};
	for (size_t cut = gpos; cut < gpos + glen; cut += glen / 97 + 1) {
		kern_table *t = kern_load(data, cut);
		for (size_t a = 0; a < 8; a++)
			for (size_t b = 0; b < 8; b++)
				(void)kern_pair(t, g[a], g[b]);
		kern_free(t);
	}
	static unsigned char bad[1 << 20];
	srand(11);
	for (int round = 0; round < 60; round++) {
		memcpy(bad, data, n);
		for (int k = 0; k < 40; k++)
			bad[gpos + (size_t)rand() % (glen < 4096 ? glen : 4096)] =
				(unsigned char)rand();
		kern_table *t = kern_load(bad, n);
		for (size_t a = 0; a < 8; a++)
			for (size_t b = 0; b < 8; b++)
				(void)kern_pair(t, g[a], g[b]);
		kern_free(t);
	}
}

/* A face from memory measures exactly as the same face from its file. */
TEST(load_from_memory)
{
	char err[256];
	size_t len;
	const unsigned char *bytes = font_data(F, &len);
	font_face *m = font_load_memory(bytes, len, "copy.ttf", err, sizeof err);
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK(font_width(m, "Hello \xE2\x80\x99 \xC3\xA9", 10, 10) ==
	      font_width(F, "Hello \xE2\x80\x99 \xC3\xA9", 10, 10));
	CHECK(font_ascent(m) == font_ascent(F));
	font_free(m);
	CHECK(font_load_memory("not a font", 10, "bad.ttf", err, sizeof err) == NULL);
	CHECK(strstr(err, "bad.ttf") != NULL);
}

/* Offset and length of table tag in a font image, or 0. */
static size_t table_of(const unsigned char *p, size_t n, const char *tag,
		       size_t *len)
{
	size_t count = (size_t)p[4] << 8 | p[5];
	for (size_t i = 0; i < count && 12 + i * 16 + 16 <= n; i++) {
		const unsigned char *r = p + 12 + i * 16;
		if (memcmp(r, tag, 4))
			continue;
		*len = (size_t)r[12] << 24 | (size_t)r[13] << 16 |
		       (size_t)r[14] << 8 | r[15];
		return (size_t)r[8] << 24 | (size_t)r[9] << 16 |
		       (size_t)r[10] << 8 | r[11];
	}
	return 0;
}

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

/* Advances were stored in 16 bits: 40000 units at 1000 per em came back
 * as -25536. */
TEST(wide_advances_are_kept)
{
	size_t n, len, head, hmtx, hhea;
	const unsigned char *src = font_data(F, &n);
	unsigned char *p = malloc(n);
	char err[256];
	CHECK(p != NULL);
	if (!p)
		return;
	memcpy(p, src, n);
	head = table_of(p, n, "head", &len);
	hhea = table_of(p, n, "hhea", &len);
	hmtx = table_of(p, n, "hmtx", &len);
	uint32_t g = font_glyph_id(F, 'A');
	unsigned nhm = (unsigned)p[hhea + 34] << 8 | p[hhea + 35];
	CHECK(head && hhea && hmtx && g > 0 && g < nhm);
	put16(p + head + 18, 1000);            /* unitsPerEm */
	put16(p + hmtx + g * 4, 40000);        /* advance of A */
	font_face *m = font_load_memory(p, n, "wide.ttf", err, sizeof err);
	CHECK(m != NULL);
	if (m) {
		CHECK(font_advance(m, 'A') == 40000);
		CHECK(font_glyph_advance(m, g) == 40000);
		CHECK(font_width(m, "AA", 2, 10) == 800);
		font_free(m);
	}
	free(p);
}

/* A file cut inside its 'name' table (the tables after it lost too) used
 * to load without a word. */
TEST(font_cut_inside_a_table_is_an_error)
{
	size_t n, len, name;
	const unsigned char *src = font_data(F, &n);
	char err[256] = "";
	name = table_of(src, n, "name", &len);
	CHECK(name > 0 && len > 2);
	font_face *m = font_load_memory(src, name + len / 2, "cut.ttf", err,
					sizeof err);
	CHECK(m == NULL);
	CHECK(strstr(err, "cut.ttf") != NULL);
	CHECK(strstr(err, "'name'") != NULL);
	CHECK(strstr(err, "cut short") != NULL);
	font_free(m);
}

int main(void)
{
	char err[256];
	F = font_load(REGULAR, err, sizeof err);
	if (!F) {
		printf("FAIL font_load: %s\n", err);
		return 1;
	}
	RUN(hello_width);
	RUN(coverage);
	RUN(vertical_metrics);
	RUN(invalid_utf8_measures_as_replacement);
	RUN(hostile_files);
	RUN(load_from_memory);
	RUN(kerning);
	RUN(kerning_damaged);
	RUN(wide_advances_are_kept);
	RUN(font_cut_inside_a_table_is_an_error);
	font_free(F);
	CHECK_EXIT();
}
