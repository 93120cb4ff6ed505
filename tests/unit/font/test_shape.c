/* test_shape.c - unit tests for the shaper: Charis SIL's ffi ligature is
 * one glyph with one cluster (and no break inside it), and goes with
 * liga off; DejaVu Serif's GPOS kerning gives known figures (the retired
 * hand-written reader's); pieces of a word sum to the whole; a hyphenated
 * piece ends in a hyphen glyph at the piece's length; marks stay with
 * their letter; invalid UTF-8 and missing glyphs; the cache shapes once
 * and serves two threads. */
#include "unit.h"
#include "font/face.h"
#include "font/shape.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define REGULAR "fonts/CharisSIL-Regular.ttf"
#define KERNED "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

static face *F, *K;
static shape_cache *C;
static const shape_opts ON = {1, 1, "en-GB", "Latn"};
static const shape_opts NOLIGA = {1, 0, "en-GB", "Latn"};
static const shape_opts NOKERN = {0, 1, "en-GB", "Latn"};

static const shape_run *sh(face *f, const char *s, const shape_opts *o)
{
	return shape_text(C, f, s, strlen(s), o);
}

TEST(ligature_one_cluster)
{
	const shape_run *r = sh(F, "office", &ON);
	CHECK(r && r->n == 4);
	if (!r || r->n != 4)
		return;
	CHECK(r->glyphs[0].cluster == 0 && r->glyphs[1].cluster == 1 &&
	      r->glyphs[2].cluster == 4 && r->glyphs[3].cluster == 5);
	uint32_t f = face_glyph(F, 'f');
	CHECK(r->glyphs[1].gid != f && r->glyphs[1].gid != face_glyph(F, 'i'));
	/* no break inside the ligature: of-fice is not a break point */
	CHECK(shape_break_at(r, 2) == SHAPE_BREAK_NONE);
	CHECK(shape_break_at(r, 3) == SHAPE_BREAK_NONE);
	CHECK(shape_break_at(r, 1) != SHAPE_BREAK_NONE);
	CHECK(shape_break_at(r, 4) != SHAPE_BREAK_NONE);
	CHECK(shape_break_at(r, 0) == SHAPE_BREAK_CLEAN &&
	      shape_break_at(r, 6) == SHAPE_BREAK_CLEAN);
	/* the ligature's width is the glyph's */
	CHECK(shape_range(r, 1, 4) == face_advance(F, r->glyphs[1].gid));
	/* liga off: six glyphs, each letter its own */
	const shape_run *n = sh(F, "office", &NOLIGA);
	CHECK(n && n->n == 6 && n->glyphs[1].gid == f && n->glyphs[2].gid == f);
	CHECK(n && shape_break_at(n, 2) != SHAPE_BREAK_NONE);
	CHECK(n != r);
	/* fi and fl are ligatures too */
	CHECK(sh(F, "fit", &ON)->n == 2 && sh(F, "flow", &ON)->n == 3);
}

/* DejaVu Serif's GPOS pair kerning as HarfBuzz applies it: the shaped
 * width with kerning minus the width without, in font units, for pairs
 * whose values the retired hand-written GPOS reader (kern.c) gave too
 * (AV -49.8 in 1/1000 em is -102 of 2048 units, and so on). */
TEST(kerning_from_gpos)
{
	static const struct { const char *pair; int units; } want[] = {
		{"AV", -102}, {"To", -159}, {"P.", -415}, {"Yo", -178},
		{"WA", -102}, {"LT", -167}, {"Fa", -139}, {"VA", -139},
		{"Ty", 0}, {"oo", 0},
	};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		const char *p = want[i].pair;
		int64_t d = sh(K, p, &ON)->width - sh(K, p, &NOKERN)->width;
		if (d != want[i].units)
			printf("  %s: %lld, want %d\n", p, (long long)d,
			       want[i].units);
		CHECK(d == want[i].units);
	}
	/* without kerning a word is its nominal advances */
	const shape_run *t = sh(K, "Tomato", &NOKERN);
	int64_t sum = 0;
	for (const char *p = "Tomato"; *p; p++)
		sum += face_advance(K, face_glyph(K, (unsigned char)*p));
	CHECK(t->width == sum && sh(K, "Tomato", &ON)->width < sum);
	/* a kerned pair is marked: breaking between them changes widths */
	const shape_run *av = sh(K, "AV", &ON);
	CHECK(shape_break_at(av, 1) == SHAPE_BREAK_RESHAPE);
}

TEST(pieces_sum_to_whole)
{
	static const char *const words[] = {"relationship", "affection",
		"difficulties", "Waffle", "AVAWAY", "na\xC3\xAFve"};
	for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
		for (int k = 0; k < 2; k++) {
			face *f = k ? K : F;
			const shape_run *r = sh(f, words[w], &ON);
			int64_t sum = 0;
			size_t prev = 0;
			for (size_t at = 1; at <= r->len; at++) {
				if (at < r->len &&
				    shape_break_at(r, at) == SHAPE_BREAK_NONE)
					continue;
				sum += shape_range(r, prev, at);
				prev = at;
			}
			CHECK(sum == r->width);
			CHECK(shape_range(r, 0, r->len) == r->width);
		}
	}
	/* within a multi-byte character: never a break */
	const shape_run *r = sh(F, "na\xC3\xAFve", &ON);
	CHECK(shape_break_at(r, 3) == SHAPE_BREAK_NONE);
	CHECK(shape_break_at(r, 4) != SHAPE_BREAK_NONE);
}

TEST(hyphenated_piece)
{
	const char *w = "relationship";
	const shape_run *h = shape_hyphenated(C, F, w, 4, &ON);   /* rela- */
	const shape_run *p = shape_text(C, F, w, 4, &ON);
	CHECK(h && p && h->len == 5 && !strcmp(h->text, "rela-"));
	if (!h || !p)
		return;
	CHECK(h->n == p->n + 1);
	CHECK(h->glyphs[h->n - 1].cluster == 4);
	CHECK(h->glyphs[h->n - 1].gid == face_glyph(F, '-'));
	CHECK(h->width == p->width + face_advance(F, face_glyph(F, '-')));
	/* the same text with a real hyphen is the same run */
	CHECK(sh(F, "rela-", &ON) == h);
	/* with DejaVu's kerning the hyphen may kern: the run says so */
	const shape_run *kh = shape_hyphenated(C, K, "T", 1, &ON);
	CHECK(kh->width == sh(K, "T-", &ON)->width);
}

TEST(marks_and_bad_input)
{
	/* e + combining acute: one cluster, no break between them */
	const shape_run *r = sh(F, "e\xCC\x81t", &ON);
	CHECK(r && r->glyphs[0].cluster == 0);
	CHECK(shape_break_at(r, 1) == SHAPE_BREAK_NONE);
	CHECK(shape_break_at(r, 3) != SHAPE_BREAK_NONE);
	/* invalid UTF-8: each byte a U+FFFD, clusters at the bytes */
	r = sh(F, "\xFF\xFE", &ON);
	uint32_t rep = face_glyph(F, 0xFFFD);
	CHECK(r && r->n == 2 && r->glyphs[0].gid == rep &&
	      r->glyphs[1].cluster == 1);
	CHECK(r && r->width == 2 * face_advance(F, rep));
	/* a character the face lacks is .notdef */
	r = sh(F, "a\xF0\x9F\x98\x80", &ON);
	CHECK(r && r->n == 2 && r->glyphs[1].gid == 0 &&
	      r->glyphs[1].cluster == 1);
	/* empty text: no glyphs */
	r = shape_text(C, F, "", 0, &ON);
	CHECK(r && r->n == 0 && r->width == 0);
	/* a NUL inside the text is part of it */
	r = shape_text(C, F, "a\0b", 3, &ON);
	CHECK(r && r->n == 3 && r->glyphs[2].cluster == 2);
}

TEST(cache_shapes_once)
{
	shape_cache *c = shape_cache_new();
	char w[32];
	CHECK(c != NULL);
	if (!c)
		return;
	const shape_run *a = shape_text(c, F, "bonding", 7, &ON);
	const shape_run *b = shape_text(c, F, "bonding!", 7, &ON);
	CHECK(a == b && shape_cache_misses(c) == 1);
	CHECK(shape_text(c, K, "bonding", 7, &ON) != a);
	CHECK(shape_text(c, F, "bonding", 7, &NOLIGA) != a);
	shape_opts tr = {1, 1, "tr", "Latn"};
	CHECK(shape_text(c, F, "bonding", 7, &tr) != a);
	CHECK(shape_cache_misses(c) == 4);
	/* many entries (the table grows): earlier runs stay where they were */
	for (int i = 0; i < 5000; i++) {
		snprintf(w, sizeof w, "word%d", i);
		shape_text(c, F, w, strlen(w), &ON);
	}
	CHECK(shape_text(c, F, "bonding", 7, &ON) == a && a->n == 7);
	CHECK(!strcmp(a->text, "bonding"));
	CHECK(shape_cache_misses(c) == 5004);
	/* size plays no part: points are a conversion */
	CHECK(shape_pt(a, a->width, 10) * 2 == shape_pt(a, a->width, 20));
	shape_cache_free(c);
}

/* Words of digits and punctuation ("2017).") have no script of their
 * own: they are shaped in the script of the document's language, with
 * the plan of the words around them (as HarfBuzz would shape them inside
 * a sentence), not with a plan of their own: one plan for English; for
 * Serbian in Cyrillic, the digits' plan is Cyrillic's, not the Latin
 * word's; without a language they stay scriptless (a plan of their own). */
TEST(digits_take_the_languages_script)
{
	const char *langs[] = {"en-GB", "sr-Cyrl", NULL};
	const size_t want[] = {1, 2, 2};
	for (int k = 0; k < 3; k++) {
		shape_cache *c = shape_cache_new();
		CHECK(c != NULL);
		if (!c)
			return;
		shape_opts o = {1, 1, langs[k], NULL};
		const shape_run *a = shape_text(c, F, "bonding", 7, &o);
		const shape_run *d = shape_text(c, F, "2017).", 6, &o);
		CHECK(a && d && d->n == 6);
		if (shape_cache_plans(c) != want[k])
			printf("  %s: %zu plans\n", langs[k] ? langs[k] : "-",
			       shape_cache_plans(c));
		CHECK(shape_cache_plans(c) == want[k]);
		shape_cache_free(c);
	}
}

/* Two threads shaping the same words through one cache get the same runs
 * as one thread does. */
static void *shape_words(void *arg)
{
	int64_t *sum = arg;
	char w[32];
	for (int i = 0; i < 3000; i++) {
		snprintf(w, sizeof w, "ef%dfi%d", i % 700, i % 13);
		const shape_run *r = shape_text(C, i % 2 ? F : K, w, strlen(w),
						&ON);
		*sum += r ? r->width : -1000000;
	}
	return NULL;
}

TEST(two_threads)
{
	int64_t one = 0, s[2] = {0, 0};
	pthread_t t[2];
	shape_words(&one);
	shape_cache_free(C);
	C = shape_cache_new();
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], NULL, shape_words, &s[i]) == 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK(s[0] == one && s[1] == one);
}

int main(void)
{
	char err[256];
	F = face_load(REGULAR, err, sizeof err);
	K = face_load(KERNED, err, sizeof err);
	C = shape_cache_new();
	if (!F || !K || !C) {
		printf("FAIL setup: %s\n", err);
		return 1;
	}
	RUN(ligature_one_cluster);
	RUN(kerning_from_gpos);
	RUN(pieces_sum_to_whole);
	RUN(hyphenated_piece);
	RUN(marks_and_bad_input);
	RUN(cache_shapes_once);
	RUN(digits_take_the_languages_script);
	RUN(two_threads);
	shape_cache_free(C);
	face_free(F);
	face_free(K);
	CHECK_EXIT();
}
