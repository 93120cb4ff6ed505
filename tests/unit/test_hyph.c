/* test_hyph.c - unit tests for hyph_points: en-GB patterns, capitals,
 * curly apostrophes, UTF-8, punctuation, digits, short words, caching. */
#include "check.h"
#include "hyph.h"


#define DIC "/usr/share/hyphen/hyph_en_GB.dic"

static hyph *H;

/* The word with '-' at each point, e.g. "re-la-tion-ship". */
static const char *show(const char *w)
{
	static char out[512];
	size_t pts[32], n = hyph_points(H, w, strlen(w), pts, 32), at = 0, o = 0;
	for (size_t i = 0; i <= n; i++) {
		size_t to = i < n ? pts[i] : strlen(w);
		memcpy(out + o, w + at, to - at);
		o += to - at;
		if (i < n)
			out[o++] = '-';
		at = to;
	}
	out[o] = '\0';
	return out;
}

/* Every offset lands on a UTF-8 character boundary, inside the word. */
static int on_boundaries(const char *w)
{
	size_t pts[32], n = hyph_points(H, w, strlen(w), pts, 32);
	for (size_t i = 0; i < n; i++)
		if (pts[i] == 0 || pts[i] >= strlen(w) ||
		    ((unsigned char)w[pts[i]] & 0xC0) == 0x80 ||
		    (i && pts[i] <= pts[i - 1]))
			return 0;
	return 1;
}

TEST(plain_words)
{
	CHECK_STR(show("relationship"), "re-la-tion-ship");
	CHECK_STR(show("breastfeeding"), "breast-feed-ing");
	CHECK_STR(show("responsibility"), "re-spons-ib-il-ity");
	CHECK_STR(show("reading"), "read-ing");
	size_t pts[8];
	CHECK(hyph_points(H, "relationship", 12, pts, 8) == 3);
	CHECK(pts[0] == 2 && pts[1] == 4 && pts[2] == 8);
	CHECK(hyph_points(H, "relationship", 12, pts, 2) == 2);  /* max */
}

TEST(capitals)
{
	CHECK_STR(show("Relationship"), "Re-la-tion-ship");
	CHECK_STR(show("RELATIONSHIP"), "RE-LA-TION-SHIP");
}

TEST(apostrophes)
{
	CHECK_STR(show("baby\xE2\x80\x99s"), "baby\xE2\x80\x99s");
	CHECK_STR(show("relationship\xE2\x80\x99s"),
		  "re-la-tion-ship\xE2\x80\x99s");
	CHECK_STR(show("relationship's"), "re-la-tion-ship's");
	CHECK(on_boundaries("baby\xE2\x80\x99s"));
	CHECK(on_boundaries("breastfeeding\xE2\x80\x99s"));
}

TEST(utf8_words)
{
	/* é is two bytes: offsets still land between characters */
	CHECK(on_boundaries("\xC3\xA9l\xC3\xA9phantine"));
	CHECK_STR(show("\xC3\xA9l\xC3\xA9phantine"),
		  "\xC3\xA9l\xC3\xA9phant-ine");
	CHECK_STR(show("\xC3\x89L\xC3\x89PHANTINE"),
		  "\xC3\x89L\xC3\x89PHANT-INE");
	CHECK(on_boundaries("na\xC3\xAFvet\xC3\xA9s"));
	CHECK(on_boundaries("\xC3\xBC" "berempfindlich"));
}

TEST(no_breaks)
{
	size_t pts[8];
	CHECK(hyph_points(H, "cat", 3, pts, 8) == 0);
	CHECK(hyph_points(H, "four", 4, pts, 8) == 0);
	CHECK(hyph_points(H, "(four)", 6, pts, 8) == 0);   /* 4 letters */
	CHECK(hyph_points(H, "relationship2", 13, pts, 8) == 0);
	CHECK(hyph_points(H, "1234567890", 10, pts, 8) == 0);
	CHECK(hyph_points(H, "and/or/relationship", 19, pts, 8) == 0);
	CHECK(hyph_points(H, "relationship@example", 20, pts, 8) == 0);
	CHECK(hyph_points(H, "", 0, pts, 8) == 0);
	CHECK(hyph_points(NULL, "relationship", 12, pts, 8) == 0);
}

TEST(punctuation)
{
	CHECK_STR(show("(relationship),"), "(re-la-tion-ship),");
	CHECK_STR(show("\xE2\x80\x9Crelationship\xE2\x80\x9D"),
		  "\xE2\x80\x9Cre-la-tion-ship\xE2\x80\x9D");
	CHECK_STR(show("\xE2\x80\x98relationship.\xE2\x80\x99"),
		  "\xE2\x80\x98re-la-tion-ship.\xE2\x80\x99");
	size_t pts[8];
	CHECK(hyph_points(H, "(relationship),", 15, pts, 8) == 3);
	CHECK(pts[0] == 3 && pts[1] == 5 && pts[2] == 9);
}

TEST(existing_hyphens)
{
	/* never next to the hyphen or dash already there */
	CHECK_STR(show("breast-feeding"), "breast-feed-ing");
	CHECK_STR(show("relationship\xE2\x80\x94" "breastfeeding"),
		  "re-la-tion-ship\xE2\x80\x94" "breast-feed-ing");
	CHECK(on_boundaries("relationship\xE2\x80\x93" "reading"));
}

/* The cache gives the same answers on every hit (its speed is measured
 * by `make bench`, not asserted here). */
TEST(cached)
{
	static const char *words[] = {"relationship", "breastfeeding",
				      "responsibility", "hyphenation",
				      "typesetting", "paragraph"};
	size_t pts[16], first[6], total = 0;
	for (int i = 0; i < 6; i++)
		first[i] = hyph_points(H, words[i], strlen(words[i]), pts, 16);
	for (int i = 0; i < 60000; i++) {
		const char *w = words[i % 6];
		size_t n = hyph_points(H, w, strlen(w), pts, 16);
		CHECK(n == first[i % 6]);
		total += n;
	}
	CHECK(total > 60000);
	CHECK_STR(show("relationship"), "re-la-tion-ship");  /* cache hit */
}

int main(void)
{
	H = hyph_open(DIC);
	if (!H) {
		printf("FAIL hyph_open: cannot load %s\n", DIC);
		return 1;
	}
	CHECK(hyph_open("/nonexistent/hyph.dic") == NULL);
	RUN(plain_words);
	RUN(capitals);
	RUN(apostrophes);
	RUN(utf8_words);
	RUN(no_breaks);
	RUN(punctuation);
	RUN(existing_hyphens);
	RUN(cached);
	hyph_close(H);
	CHECK_EXIT();
}
