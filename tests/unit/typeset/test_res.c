/* test_res.c - the run's shared resources (typeset/res.c): a face and a
 * pattern set are loaded once per path and shared, the prefetch thread's
 * patterns are the ones res_hyph hands out, a face that fails to load is
 * an error with a message and is tried again, and a missing character is
 * reported once per run. Run from the repo root (or with TOP set). */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "typeset/res.h"
#include "typeset/style.h"

#define DIC "/usr/share/hyphen/hyph_en_GB.dic"

static const char *font_file(void)
{
	static char path[512];
	const char *top = getenv("TOP");
	snprintf(path, sizeof path, "%s/fonts/CharisSIL-Regular.ttf",
		 top ? top : ".");
	return path;
}

TEST(faces_are_shared)
{
	res *r = res_new();
	char err[256] = "";
	CHECK(r != NULL);
	if (!r)
		return;
	face *a = res_font(r, font_file(), err, sizeof err);
	face *b = res_font(r, font_file(), err, sizeof err);
	CHECK(a != NULL && a == b);
	CHECK(a && !strcmp(face_path(a), font_file()));
	/* one shape cache for the run: what one layout shaped, the next
	 * finds */
	shape_opts o = {1, 1, "en-GB", NULL};
	CHECK(a && res_shaper(r) == res_shaper(r));
	const shape_run *w = a ? shape_text(res_shaper(r), a, "office", 6, &o) : NULL;
	size_t misses = shape_cache_misses(res_shaper(r));
	CHECK(w && w == shape_text(res_shaper(r), a, "office", 6, &o));
	CHECK(shape_cache_misses(res_shaper(r)) == misses);
	CHECK(res_font(r, "/nonexistent/x.ttf", err, sizeof err) == NULL);
	CHECK(strstr(err, "/nonexistent/x.ttf") != NULL);
	err[0] = 0;
	CHECK(res_font(r, "/nonexistent/x.ttf", err, sizeof err) == NULL);
	CHECK(err[0] != 0);   /* tried again, not remembered as missing */
	res_free(r);
}

TEST(patterns_are_shared_and_prefetched)
{
	res *r = res_new();
	CHECK(r != NULL);
	if (!r)
		return;
	style st;
	memset(&st, 0, sizeof st);
	st.hyphenation = DIC;
	res_prefetch(r, &st);
	res_prefetch(r, &st);        /* a second call while one runs: no-op */
	hyph *h = res_hyph(r, DIC);
	CHECK(h != NULL);
	CHECK(res_hyph(r, DIC) == h);
	size_t pts[8];
	CHECK(h && hyph_points(h, "relationship", 12, pts, 8) == 3);
	res_prefetch(r, &st);        /* already loaded: nothing to do */
	CHECK(res_hyph(r, DIC) == h);
	CHECK(res_hyph(r, "/nonexistent/hyph.dic") == NULL);
	res_free(r);

	/* freed while the prefetch may still run: joined, no leak */
	r = res_new();
	CHECK(r != NULL);
	if (r)
		res_prefetch(r, &st);
	res_free(r);
	res_free(NULL);
}

TEST(missing_characters_once_per_run)
{
	res *r = res_new();
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK(res_first_missing(r, 0x1F600) == 1);
	CHECK(res_first_missing(r, 0x1F600) == 0);
	CHECK(res_first_missing(r, 0x4E2D) == 1);
	CHECK(res_first_missing(r, 0x10FFFF) == 1);
	CHECK(res_first_missing(r, 0x110000) == 0);   /* not a character */
	res_free(r);
}

int main(void)
{
	RUN(faces_are_shared);
	RUN(patterns_are_shared_and_prefetched);
	RUN(missing_characters_once_per_run);
	CHECK_EXIT();
}
