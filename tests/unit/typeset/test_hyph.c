/* test_hyph.c - unit tests for hyph_points: en-GB patterns, capitals,
 * curly apostrophes, UTF-8, punctuation, digits, short words, caching,
 * and our pattern compiler, and the patterns it compiled into the program
 * at make time, against libhyphen's loader. */
#include "unit.h"
#include "typeset/hyph.h"

#include <stdlib.h>
#include <unistd.h>

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

/* Our pattern compiler against libhyphen's loader: the same points for
 * every word of the booklet and for 200,000 random letter strings (with
 * accented letters, capitals and curly apostrophes), and for a pattern
 * file with directives, comments, an over-long line and CRLF endings.
 * (Not a repeated pattern: libhyphen's loader leaks the first.) */
static int same_points(hyph *a, hyph *b, const char *w, size_t n)
{
	size_t p1[64], p2[64];
	size_t n1 = hyph_points(a, w, n, p1, 64);
	size_t n2 = hyph_points(b, w, n, p2, 64);
	return n1 == n2 && !memcmp(p1, p2, n1 * sizeof *p1);
}

TEST(compiled_patterns_match_libhyphen)
{
	hyph *ref = hyph_open_libhyphen(DIC);
	static const char *const letters[] = {
		"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l",
		"m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x",
		"y", "z", "e", "a", "i", "o", "u", "s", "t", "n", "r", "l",
		"\xC3\xA9", "\xC3\xAF", "\xE2\x80\x99", "E", "T"
	};
	size_t nl = sizeof letters / sizeof *letters, words = 0, diffs = 0;
	FILE *f = fopen("content/booklet.xml", "rb");
	char line[4096], w[256];

	CHECK(ref != NULL);
	if (!ref)
		return;
	CHECK(f != NULL);
	while (f && fgets(line, sizeof line, f)) {
		char *tok = strtok(line, " \t\r\n<>=\"/");
		for (; tok; tok = strtok(NULL, " \t\r\n<>=\"/")) {
			words++;
			diffs += !same_points(H, ref, tok, strlen(tok));
		}
	}
	if (f)
		fclose(f);
	CHECK(words > 3000);
	srand(7);
	for (int i = 0; i < 200000; i++) {
		size_t n = 0, k = 5 + (size_t)(rand() % 14);
		for (size_t j = 0; j < k; j++) {
			const char *l = letters[(size_t)rand() % nl];
			size_t m = strlen(l);
			memcpy(w + n, l, m);
			n += m;
		}
		diffs += !same_points(H, ref, w, n);
	}
	CHECK(diffs == 0);
	hyph_close(ref);

	/* a small hand-made file through both loaders */
	char path[] = "/tmp/chapbook-hyph-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	FILE *o = fdopen(fd, "w");
	fputs("UTF-8\r\nLEFTHYPHENMIN 2\r\nRIGHTHYPHENMIN 2\r\n"
	      "% a comment\r\n.ab1c\r\n1ba\r\nc1d\r\na1b\r\n\r\n"
	      "x1yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
	      "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n"
	      "\xC3\xA9" "1t\n", o);
	fclose(o);
	hyph *mine = hyph_open(path), *theirs = hyph_open_libhyphen(path);
	CHECK(mine && theirs);
	if (mine && theirs) {
		static const char *const probe[] = {
			"abcdabcd", "cdcdcdba", "babababab", "\xC3\xA9t\xC3\xA9t\xC3\xA9t",
			"xyyyyyyy", "abababcd"
		};
		for (size_t i = 0; i < sizeof probe / sizeof *probe; i++)
			CHECK(same_points(mine, theirs, probe[i], strlen(probe[i])));
	}
	hyph_close(mine);
	hyph_close(theirs);
	unlink(path);
}

/* The patterns compiled into the program at make time: the same breaks
 * as libhyphen's own loader for every word tried, used only while the
 * file holds the bytes they were made from. */
TEST(builtin_patterns)
{
	CHECK(hyph_builtin.source != NULL);
	hyph *img = hyph_open_image(DIC, &hyph_builtin);
	hyph *ref = hyph_open_libhyphen(DIC);
	CHECK(img && ref);
	if (!img || !ref) {
		hyph_close(img);
		hyph_close(ref);
		return;
	}
	static const char *const letters[] = {
		"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l",
		"m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x",
		"y", "z", "e", "a", "i", "o", "u", "s", "t", "n", "r", "l",
		"\xC3\xA9", "\xE2\x80\x99", "-", "E"
	};
	size_t nl = sizeof letters / sizeof *letters, diffs = 0;
	char w[256];
	srand(11);
	for (int i = 0; i < 100000; i++) {
		size_t n = 0, k = 5 + (size_t)(rand() % 14);
		for (size_t j = 0; j < k; j++) {
			const char *l = letters[(size_t)rand() % nl];
			memcpy(w + n, l, strlen(l));
			n += strlen(l);
		}
		diffs += !same_points(img, ref, w, n);
	}
	CHECK(diffs == 0);
	hyph_close(img);
	hyph_close(ref);

	/* one byte changed: not the image's file any more */
	char path[] = "/tmp/chapbook-hyph-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	FILE *o = fdopen(fd, "wb");
	fwrite(hyph_builtin.source, 1, hyph_builtin.source_len - 1, o);
	fputc(hyph_builtin.source[hyph_builtin.source_len - 1] ^ 1, o);
	fclose(o);
	CHECK(hyph_open_image(path, &hyph_builtin) == NULL);
	CHECK(hyph_open_image("/nonexistent/hyph.dic", &hyph_builtin) == NULL);
	unlink(path);
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
	RUN(compiled_patterns_match_libhyphen);
	RUN(builtin_patterns);
	hyph_close(H);
	CHECK_EXIT();
}
