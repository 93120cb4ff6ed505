/* test_face.c - unit tests for the HarfBuzz face: for the four Charis SIL
 * faces and DejaVu Serif, every advance and the vertical metrics equal
 * the font's own tables read here byte by byte (hmtx, hhea, OS/2, head),
 * glyph lookup gives known glyphs, the descriptor facts are the files';
 * damaged files HarfBuzz would accept (no cmap, no glyf, unitsPerEm 0, no
 * glyphs, truncated) are refused with a message; advances are 32-bit. */
#include "unit.h"
#include "font/face.h"

#include <stdint.h>
#include <stdlib.h>

#define REGULAR "fonts/CharisSIL-Regular.ttf"
#define KERNED "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

static const char *const FACES[] = {
	REGULAR, "fonts/CharisSIL-Italic.ttf", "fonts/CharisSIL-Bold.ttf",
	"fonts/CharisSIL-BoldItalic.ttf", KERNED
};

/* A copy of REGULAR's bytes for patching. */
static unsigned char *orig, *work;
static size_t olen;

static unsigned u16(const unsigned char *p) { return (unsigned)(p[0] << 8 | p[1]); }
static uint32_t u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The directory record of table tag in work. */
static unsigned char *record(const char *tag)
{
	unsigned n = u16(work + 4);

	for (unsigned i = 0; i < n; i++)
		if (!memcmp(work + 12 + i * 16, tag, 4))
			return work + 12 + i * 16;
	return NULL;
}

static unsigned char *table(const char *tag)
{
	unsigned char *r = record(tag);
	return r ? work + u32(r + 8) : NULL;
}

static face *load_work(char *err, size_t errlen)
{
	return face_load_memory(work, olen, "patched.ttf", err, errlen);
}

/* Table tag of the font in d[0..len), or NULL (for reading the facts the
 * face must give straight from the bytes). */
static const unsigned char *table_of(const unsigned char *d, size_t len,
				     const char *tag, size_t *tlen)
{
	unsigned n = u16(d + 4);
	for (unsigned i = 0; i < n && 12 + (i + 1) * 16 <= len; i++)
		if (!memcmp(d + 12 + i * 16, tag, 4)) {
			*tlen = u32(d + 12 + i * 16 + 12);
			return d + u32(d + 12 + i * 16 + 8);
		}
	return NULL;
}

static int s16(const unsigned char *p) { return (int16_t)u16(p); }

TEST(metrics_equal_the_tables)
{
	for (size_t k = 0; k < sizeof FACES / sizeof *FACES; k++) {
		char err[256];
		face *f = face_load(FACES[k], err, sizeof err);
		CHECK(f != NULL);
		if (!f)
			continue;
		size_t len, hl, ml, ol, tl;
		const unsigned char *d = face_data(f, &len);
		const unsigned char *hhea = table_of(d, len, "hhea", &hl);
		const unsigned char *hmtx = table_of(d, len, "hmtx", &ml);
		const unsigned char *os2 = table_of(d, len, "OS/2", &ol);
		const unsigned char *head = table_of(d, len, "head", &tl);
		CHECK(hhea && hmtx && os2 && head);
		if (!hhea || !hmtx || !os2 || !head) {
			face_free(f);
			continue;
		}
		int upem = (int)u16(head + 18);
		CHECK(face_units_per_em(f) == upem && upem == 2048);
		/* every advance, the last one repeated past numberOfHMetrics,
		 * .notdef's past the last glyph */
		unsigned nhm = u16(hhea + 34), bad = 0;
		for (uint32_t g = 0; g < face_glyph_count(f) + 3; g++) {
			unsigned i = g < face_glyph_count(f) ? g : 0;
			int want = (int)u16(hmtx + 4 * (i < nhm ? i : nhm - 1));
			if (face_advance(f, g) != want ||
			    face_advance_1000(f, g) != want * 1000 / upem)
				bad++;
		}
		CHECK(bad == 0);
		/* ascender and descender: hhea's, or OS/2's typo metrics when
		 * fsSelection bit 7 (USE_TYPO_METRICS) says so */
		int typo = (u16(os2 + 62) & 0x80) != 0;
		int asc = typo ? s16(os2 + 68) : s16(hhea + 4);
		int desc = typo ? s16(os2 + 70) : s16(hhea + 6);
		CHECK(face_ascent(f) == asc && face_descent(f) == desc);
		CHECK(face_ascent_1000(f) == asc * 1000 / upem);
		CHECK(face_descent_1000(f) == desc * 1000 / upem);
		if (u16(os2) >= 2 && s16(os2 + 88) > 0)
			CHECK(face_cap_height(f) == s16(os2 + 88));
		CHECK(face_glyph_count(f) > 1000);
		CHECK(face_glyph(f, 'a') != 0 && face_glyph(f, 0x1F600) == 0);
		CHECK_STR(face_path(f), FACES[k]);
		face_free(f);
	}
	/* known glyphs of Charis SIL Regular */
	face *f = face_load(REGULAR, NULL, 0);
	CHECK(f && face_glyph(f, ' ') == 3 && face_glyph(f, '-') == 16 &&
	      face_glyph(f, '.') == 17 && face_glyph(f, 'a') == 68 &&
	      face_glyph(f, 'b') == 69);
	face_free(f);
}

TEST(descriptor_from_the_file)
{
	for (size_t k = 0; k < sizeof FACES / sizeof *FACES; k++) {
		char err[256];
		face *f = face_load(FACES[k], err, sizeof err);
		CHECK(f != NULL);
		if (!f)
			continue;
		size_t len, tl;
		const unsigned char *d = face_data(f, &len);
		const unsigned char *head = table_of(d, len, "head", &tl);
		const face_info *in = face_get_info(f);
		for (int i = 0; head && i < 4; i++)
			CHECK(in->bbox[i] == s16(head + 36 + 2 * i) * 1000 / 2048);
		CHECK(in->fixed_pitch == 0);
		CHECK(in->weight == 400 || in->weight == 700);
		face_free(f);
	}
	face *f = face_load("fonts/CharisSIL-BoldItalic.ttf", NULL, 0);
	CHECK(f && face_get_info(f)->weight == 700 &&
	      face_get_info(f)->italic_angle < -5);
	CHECK(f && !strcmp(face_get_info(f)->ps_name, "CharisSIL-BoldItalic"));
	face_free(f);
	f = face_load(KERNED, NULL, 0);
	CHECK(f && !strcmp(face_get_info(f)->ps_name, "DejaVuSerif") &&
	      face_get_info(f)->weight == 400 &&
	      face_get_info(f)->italic_angle == 0);
	face_free(f);
}

TEST(memory_equals_file)
{
	char err[256];
	face *a = face_load(REGULAR, err, sizeof err);
	face *b = face_load_memory(orig, olen, "copy.ttf", err, sizeof err);
	CHECK(a && b);
	if (a && b) {
		CHECK(face_glyph_count(a) == face_glyph_count(b));
		for (uint32_t g = 0; g < face_glyph_count(a); g += 7)
			CHECK(face_advance(a, g) == face_advance(b, g));
		CHECK_STR(face_path(b), "copy.ttf");
	}
	face_free(a);
	face_free(b);
}

/* Each damage gives NULL and a message naming the file and the fault. */
static void refused(const char *what, const char *want)
{
	char err[256] = "";
	face *f = load_work(err, sizeof err);
	if (f || !strstr(err, "patched.ttf") || !strstr(err, want))
		printf("  %s: loaded=%d err='%s' want '%s'\n", what, f != NULL,
		       err, want);
	CHECK(f == NULL && strstr(err, "patched.ttf") && strstr(err, want));
	face_free(f);
	memcpy(work, orig, olen);
}

TEST(damaged_fonts_refused)
{
	memcpy(record("cmap"), "xmap", 4);
	refused("no cmap", "cmap");
	/* a cmap with no Unicode subtable: every subtable's platform 7 */
	unsigned char *c = table("cmap");
	for (unsigned i = 0; i < u16(c + 2); i++)
		c[4 + i * 8 + 1] = 7;
	refused("no Unicode cmap", "Unicode");
	memcpy(record("glyf"), "xlyf", 4);
	refused("no glyf", "glyf");
	memset(table("head") + 18, 0, 2);
	refused("unitsPerEm 0", "unitsPerEm");
	memset(table("maxp") + 4, 0, 2);
	refused("no glyphs", "no glyphs");
	memcpy(table("maxp"), "\0\7\0\0", 4);   /* maxp version 7.0 */
	refused("maxp HarfBuzz rejects", "maxp");
	memset(table("hhea") + 34, 0, 2);
	refused("numberOfHMetrics 0", "numberOfHMetrics");
	memcpy(work, "OTTO", 4);
	refused("CFF", "CFF");
	memcpy(work, "ttcf", 4);
	refused("collection", "collections");
	memcpy(work, "\x7f" "ELF", 4);
	refused("not a font", "not a TrueType font");
	/* a table directory pointing past the end */
	unsigned char *r = record("GPOS");
	r[8] = 0x7f;
	refused("table outside the file", "table 'GPOS' runs past the end of the file");
}

TEST(truncated_and_random)
{
	/* 752898: one byte short of the end of the last table (prep) */
	static const size_t cuts[] = {0, 4, 12, 100, 300, 1000, 5000, 20000,
				      100000, 400000, 752898};
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		char err[256] = "";
		face *f = face_load_memory(orig, cuts[i] < olen ? cuts[i] : olen / 2,
					   "cut.ttf", err, sizeof err);
		CHECK(f == NULL && strstr(err, "cut.ttf"));
		face_free(f);
	}
	/* random bytes over the tables: must not crash; may load or not */
	srand(5);
	for (int round = 0; round < 40; round++) {
		memcpy(work, orig, olen);
		for (int k = 0; k < 30; k++)
			work[12 + rand() % 20000] = (unsigned char)rand();
		face *f = load_work(NULL, 0);
		if (f) {
			for (uint32_t cp = 0; cp < 0x3000; cp += 7)
				(void)face_advance(f, face_glyph(f, cp));
			(void)face_get_info(f);
			face_free(f);
		}
	}
	memcpy(work, orig, olen);
	CHECK(face_load("/nonexistent.ttf", NULL, 0) == NULL);
	char err[256];
	CHECK(face_load("fonts", err, sizeof err) == NULL &&
	      strstr(err, "not a regular file"));
}

/* The retired font.c kept 1/1000 em in 16 bits; these advances are 32-bit, so a face
 * with a tiny em and a wide glyph still measures right. HarfBuzz 6.0 reads
 * hmtx advances of 32768 units and more as negative: such a font is
 * refused. */
TEST(wide_advances)
{
	unsigned char *head = table("head"), *hmtx = table("hmtx");
	head[18] = 0;
	head[19] = 16;                      /* unitsPerEm 16 */
	uint32_t g = 0;
	face *f = load_work(NULL, 0);
	CHECK(f != NULL);
	if (f) {
		g = face_glyph(f, 'W');
		face_free(f);
	}
	CHECK(g > 0 && g < u16(table("hhea") + 34));
	hmtx[g * 4] = 0x7F;
	hmtx[g * 4 + 1] = 0xFF;           /* advance 32767 units */
	f = load_work(NULL, 0);
	CHECK(f != NULL);
	if (f) {
		CHECK(face_advance(f, g) == 32767);
		CHECK(face_advance_1000(f, g) == 32767 * 1000 / 16);
		face_free(f);
	}
	head[18] = 0x08;
	head[19] = 0;                       /* unitsPerEm 2048 again */
	hmtx[g * 4] = 0x80;
	hmtx[g * 4 + 1] = 0x00;           /* 32768 */
	refused("advance 32768", "32768 units");
}

TEST(cached)
{
	char err[256];
	face *a = face_open_cached(REGULAR, err, sizeof err);
	face *b = face_open_cached(REGULAR, err, sizeof err);
	face *c = face_open_cached(KERNED, err, sizeof err);
	CHECK(a && a == b && c && c != a);
	CHECK(face_open_cached("/nonexistent.ttf", err, sizeof err) == NULL);
	face_cache_release();
}

int main(void)
{
	FILE *fp = fopen(REGULAR, "rb");
	static unsigned char buf[2][1 << 20];
	if (!fp) {
		printf("FAIL open %s\n", REGULAR);
		return 1;
	}
	olen = fread(buf[0], 1, sizeof buf[0], fp);
	fclose(fp);
	orig = buf[0];
	work = buf[1];
	memcpy(work, orig, olen);
	RUN(metrics_equal_the_tables);
	RUN(descriptor_from_the_file);
	RUN(memory_equals_file);
	RUN(damaged_fonts_refused);
	RUN(truncated_and_random);
	RUN(wide_advances);
	RUN(cached);
	CHECK_EXIT();
}
