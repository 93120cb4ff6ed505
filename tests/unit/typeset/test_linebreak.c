/* test_linebreak.c - unit tests for lb_break: total fit beats first fit,
 * overfull boxes, the hyphen limit, empty paragraphs, ratios (with boxes
 * that stretch: font expansion), the emergency-stretch pass (used only
 * when the first pass fails), the final hyphen demerits and speed. */
#include "unit.h"
#include "typeset/linebreak.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAXI = 4096 };

typedef struct para {
	lb_item it[MAXI];
	size_t n;
} para;

static void box(para *p, double w)
{
	p->it[p->n++] = (lb_item){.type = LB_BOX, .width = w};
}

/* The kinds of glue the tests use (lb_params.glue): each stretch and
 * shrink pair once. */
static lb_glue kinds[64];
static size_t nkinds;

static uint32_t kind(double y, double z)
{
	for (size_t i = 0; i < nkinds; i++)
		if (kinds[i].stretch == y && kinds[i].shrink == z)
			return (uint32_t)i;
	if (nkinds == sizeof kinds / sizeof *kinds)
		abort();   /* the tests use a handful */
	kinds[nkinds] = (lb_glue){y, z};
	return (uint32_t)nkinds++;
}

static void glue(para *p, double w, double y, double z)
{
	p->it[p->n++] = (lb_item){.type = LB_GLUE, .width = w,
				  .ref = kind(y, z)};
}

static void pen(para *p, double w, int penalty, int flagged)
{
	p->it[p->n++] = (lb_item){.type = LB_PENALTY, .width = w,
				  .penalty = (int16_t)penalty,
				  .flagged = (uint8_t)flagged};
}

static void finish(para *p)
{
	glue(p, 0, 1e6, 0);
	pen(p, 0, -LB_INFINITY, 0);
}

static lb_params params(const double *w, int maxhy)
{
	lb_params p = {.widths = w, .nwidths = 1, .glue = kinds,
		       .tolerance = 2.0,
		       .line_penalty = 10, .flagged_demerits = 3000,
		       .fitness_demerits = 3000, .max_hyphens_in_row = maxhy};
	return p;
}

/* Every box lies on exactly one line, lines are in order and end at
 * breaks. */
static int covers(const para *p, const lb_line *l, size_t nl)
{
	size_t at = 0;
	for (size_t i = 0; i < nl; i++) {
		if (l[i].start < at || l[i].end < l[i].start || l[i].end >= p->n)
			return 0;
		for (size_t j = at; j < l[i].start; j++)
			if (p->it[j].type == LB_BOX)
				return 0;
		at = l[i].end;
	}
	return nl > 0 && l[nl - 1].end == p->n - 1;
}

/* Words 4 6 5 2 5 6 3 5 8, space 2 (+1 -1), measure 20. First fit takes
 * "4 6 5 2" (shrunk to the limit, r = -1) then "5 6 3" (r = +1): fitness
 * classes three apart. Total fit sets "4 6 5" (r = 0.5) and "2 5 6 3"
 * (r = -0.67), far fewer demerits. */
TEST(total_fit_beats_first_fit)
{
	static para p;
	static const double words[] = {4, 6, 5, 2, 5, 6, 3, 5, 8};
	p.n = 0;
	for (size_t i = 0; i < 9; i++) {
		if (i)
			glue(&p, 2, 1, 1);
		box(&p, words[i]);
	}
	finish(&p);
	double w = 20;
	lb_params pr = params(&w, 0);
	lb_line *l = NULL;
	size_t nl = lb_break(p.it, p.n, &pr, &l);
	CHECK(nl == 3);
	if (nl == 3) {
		CHECK(l[0].start == 0 && l[0].end == 5);
		CHECK(l[1].start == 6 && l[1].end == 13);
		CHECK(l[2].start == 14 && l[2].end == 18);
		CHECK(l[0].ratio > 0.49 && l[0].ratio < 0.51);
		CHECK(l[1].ratio > -0.67 && l[1].ratio < -0.66);
		CHECK(l[2].ratio >= 0 && l[2].ratio < 0.001);
		CHECK(!l[0].overfull && !l[1].overfull && !l[2].overfull);
		CHECK(!l[0].hyphenated);
	}
	CHECK(covers(&p, l, nl));
	free(l);
}

TEST(box_wider_than_measure)
{
	static para p;
	p.n = 0;
	box(&p, 3);
	glue(&p, 1, 1, 0.5);
	box(&p, 3);
	glue(&p, 1, 1, 0.5);
	box(&p, 25);            /* wider than the measure */
	glue(&p, 1, 1, 0.5);
	box(&p, 3);
	glue(&p, 1, 1, 0.5);
	box(&p, 40);            /* two of them */
	finish(&p);
	double w = 10;
	lb_params pr = params(&w, 0);
	lb_line *l = NULL;
	size_t nl = lb_break(p.it, p.n, &pr, &l);
	CHECK(nl == 4);
	CHECK(covers(&p, l, nl));
	if (nl == 4) {
		CHECK(!l[0].overfull && l[0].start == 0 && l[0].end == 3);
		CHECK(l[1].overfull && l[1].start == 4 && l[1].end == 5);
		CHECK(!l[2].overfull);
		CHECK(l[3].overfull && l[3].start == 8);
		for (size_t i = 0; i < nl; i++)
			CHECK(l[i].ratio >= -1);
	}
	free(l);

	/* a lone box wider than the measure, no glue at all */
	p.n = 0;
	box(&p, 50);
	pen(&p, 0, -LB_INFINITY, 0);
	nl = lb_break(p.it, p.n, &pr, &l);
	CHECK(nl == 1 && l[0].overfull && l[0].end == 1);
	free(l);
}

/* Words of three syllables (3 + 3 + 3, hyphen width 1) that fit the
 * measure best when split; returns the longest run of hyphenated lines. */
static size_t hyphen_run(int maxhy, size_t *nlines, int *bad_ratio)
{
	static para p;
	p.n = 0;
	srand(7);
	for (size_t wd = 0; wd < 120; wd++) {
		if (wd)
			glue(&p, 2, 1, 0.7);
		int syl = 1 + rand() % 4;
		for (int s = 0; s < syl; s++) {
			if (s)
				pen(&p, 1, 50, 1);
			box(&p, 2 + rand() % 3);
		}
	}
	finish(&p);
	double w = 23;
	lb_params pr = params(&w, maxhy);
	pr.flagged_demerits = 0;
	lb_line *l = NULL;
	size_t nl = lb_break(p.it, p.n, &pr, &l);
	size_t run = 0, best = 0;
	*bad_ratio = !covers(&p, l, nl);
	for (size_t i = 0; i < nl; i++) {
		run = l[i].hyphenated ? run + 1 : 0;
		if (run > best)
			best = run;
		if (l[i].overfull || l[i].ratio < -1 || l[i].ratio > 10)
			*bad_ratio = 1;
	}
	*nlines = nl;
	free(l);
	return best;
}

TEST(hyphen_limit)
{
	size_t nl0, nl1, nl2;
	int bad0, bad1, bad2;
	size_t free_run = hyphen_run(0, &nl0, &bad0);
	size_t run1 = hyphen_run(1, &nl1, &bad1);
	size_t run2 = hyphen_run(2, &nl2, &bad2);
	CHECK(free_run > 2);    /* without a limit hyphens pile up... */
	CHECK(run1 <= 1);       /* ...with one they do not */
	CHECK(run2 <= 2);
	CHECK(nl0 > 10 && nl1 > 10 && nl2 > 10);
	CHECK(!bad0 && !bad1 && !bad2);
}

TEST(empty_paragraph)
{
	lb_line *l = (lb_line *)1;
	double w = 10;
	lb_params pr = params(&w, 0);
	CHECK(lb_break(NULL, 0, &pr, &l) == 0 && l == NULL);
	static para p;
	p.n = 0;
	finish(&p);
	size_t nl = lb_break(p.it, p.n, &pr, &l);
	CHECK(nl == 1 && l && l[0].start == 0 && l[0].end == 1 &&
	      !l[0].overfull);
	free(l);
}

/* A paragraph with no forced break at its end still terminates. */
TEST(missing_final_penalty)
{
	static para p;
	p.n = 0;
	for (int i = 0; i < 30; i++) {
		if (i)
			glue(&p, 1, 1, 0.3);
		box(&p, 4);
	}
	double w = 21;
	lb_params pr = params(&w, 0);
	pr.tolerance = 100;
	lb_line *l = NULL;
	size_t nl = lb_break(p.it, p.n, &pr, &l);
	CHECK(nl >= 5 && l[nl - 1].end == p.n);
	free(l);
}

/* Random justified text: every line within tolerance, first line
 * narrower (indent widths), no content lost. */
TEST(ratios_within_tolerance)
{
	static para p;
	srand(11);
	for (int round = 0; round < 50; round++) {
		p.n = 0;
		for (int wd = 0; wd < 150; wd++) {
			if (wd)
				glue(&p, 3.3, 1.65, 1.1);
			box(&p, 8 + rand() % 25);
		}
		finish(&p);
		double w[2] = {200, 230};
		lb_params pr = params(w, 2);
		pr.nwidths = 2;
		lb_line *l = NULL;
		size_t nl = lb_break(p.it, p.n, &pr, &l);
		CHECK(nl > 5 && covers(&p, l, nl));
		for (size_t i = 0; i < nl; i++) {
			CHECK(l[i].ratio >= -1 && l[i].ratio <= 2.0 + 1e-9);
			CHECK(!l[i].overfull);
			/* recompute the ratio from the items */
			double nat = 0, y = 0, z = 0, m = w[i ? 1 : 0];
			for (size_t j = l[i].start; j < l[i].end; j++) {
				nat += p.it[j].type == LB_PENALTY ? 0 : p.it[j].width;
				y += p.it[j].type == LB_GLUE ?
					kinds[p.it[j].ref].stretch : 0;
				z += p.it[j].type == LB_GLUE ?
					kinds[p.it[j].ref].shrink : 0;
			}
			double r = nat < m ? (m - nat) / y : (m - nat) / z;
			CHECK(r - l[i].ratio < 1e-6 && l[i].ratio - r < 1e-6);
		}
		free(l);
	}
}

/* Tight measure and narrow tolerance force the looser passes. */
TEST(second_and_emergency_pass)
{
	static para p;
	p.n = 0;
	for (int wd = 0; wd < 40; wd++) {
		if (wd)
			glue(&p, 1, 0.1, 0.1);
		box(&p, 3 + wd % 5);
	}
	finish(&p);
	double w = 17;
	lb_params pr = params(&w, 0);
	pr.tolerance = 0.1;
	lb_line *l = NULL;
	size_t nl = lb_break(p.it, p.n, &pr, &l);
	CHECK(nl > 5 && covers(&p, l, nl));
	free(l);
}

/* Stretch and shrink (y, z) of items [a, b): glue's, and each box's
 * width times the box fractions. */
static void line_flex(const para *p, size_t a, size_t b, double bs,
		      double *nat, double *y, double *z)
{
	*nat = *y = *z = 0;
	for (size_t j = a; j < b; j++) {
		const lb_item *it = &p->it[j];
		if (it->type == LB_PENALTY)
			continue;
		*nat += it->width;
		if (it->type == LB_GLUE) {
			*y += kinds[it->ref].stretch;
			*z += kinds[it->ref].shrink;
		} else if (it->width > 0) {
			*y += it->width * bs;
			*z += it->width * bs;
		}
	}
}

/* Font expansion: boxes stretch and shrink by a fraction of their width,
 * and the ratio counts it (recomputed here); a measure that the spaces
 * alone cannot fill within tolerance is filled with the boxes' help. */
TEST(boxes_stretch_with_font_expansion)
{
	static para p;
	p.n = 0;
	/* words of 30 and spaces of 3 (stretch 0.3): 7 words are 228 */
	for (int wd = 0; wd < 28; wd++) {
		if (wd)
			glue(&p, 3, 0.3, 0.4);
		box(&p, 30);
	}
	finish(&p);
	double w = 233;   /* 5 short: the 6 spaces stretch 1.8, ratio 2.8 */
	lb_params pr = params(&w, 0);
	pr.tolerance = 1;
	lb_line *l = NULL;
	size_t nl = lb_break(p.it, p.n, &pr, &l);
	CHECK(nl == 4 && covers(&p, l, nl));
	CHECK(l && l[0].ratio > 1);      /* beyond tolerance: the loose pass */
	free(l);
	pr.box_stretch = pr.box_shrink = 0.02;   /* + 4.2: ratio 0.83 */
	nl = lb_break(p.it, p.n, &pr, &l);
	CHECK(nl == 4 && covers(&p, l, nl));
	for (size_t i = 0; l && i + 1 < nl; i++) {
		double nat, y, z;
		line_flex(&p, l[i].start, l[i].end, 0.02, &nat, &y, &z);
		double r = nat < w ? (w - nat) / y : (w - nat) / z;
		CHECK(fabs(r - l[i].ratio) < 1e-9);
		CHECK(l[i].ratio <= 1 + 1e-9 && !l[i].overfull);
	}
	free(l);
}

/* Final hyphen demerits: words 3 3 4 and 3|4 (a hyphenation point, no
 * penalty), spaces 2 (+6 -1), measure 20. Breaking at the hyphen fills
 * the first line exactly (demerits 100) and leaves "4" alone on the last;
 * breaking before the word stretches the first line (r = 0.5, demerits
 * 506). With TeX's \finalhyphendemerits (5000) the paragraph no longer
 * ends on the end of a hyphenated word; without, it does. */
TEST(no_hyphen_before_the_last_line)
{
	static para p;
	p.n = 0;
	box(&p, 3);
	glue(&p, 2, 6, 1);
	box(&p, 3);
	glue(&p, 2, 6, 1);
	box(&p, 4);
	glue(&p, 2, 6, 1);
	box(&p, 3);
	pen(&p, 1, 0, 1);
	box(&p, 4);
	finish(&p);
	double w = 20;
	for (int k = 0; k < 2; k++) {
		lb_params pr = params(&w, 0);
		pr.final_hyphen_demerits = k ? 5000 : 0;
		lb_line *l = NULL;
		size_t nl = lb_break(p.it, p.n, &pr, &l);
		CHECK(nl == 2 && covers(&p, l, nl));
		if (nl == 2) {
			CHECK(l[0].hyphenated == !k);
			CHECK(l[0].end == (k ? 5u : 7u));
			CHECK(fabs(l[0].ratio - (k ? 0.5 : 0)) < 1e-9);
		}
		free(l);
	}
}

/* Emergency stretch: when no set of breaks is within tolerance, a second
 * pass lets every line count on extra stretch while choosing (lines
 * within tolerance with it), but reports the real ratios; a paragraph
 * the first pass sets is set the same with or without it. */
TEST(emergency_stretch_only_when_needed)
{
	static para p;
	p.n = 0;
	srand(11);
	for (int wd = 0; wd < 150; wd++) {
		if (wd)
			glue(&p, 3.3, 1.65, 1.1);
		box(&p, 8 + rand() % 25);
	}
	finish(&p);
	double w = 200, E = 5;
	lb_params pr = params(&w, 2);
	pr.tolerance = 1;        /* no set of breaks is within it */
	lb_line *plain = NULL, *em = NULL;
	size_t n0 = lb_break(p.it, p.n, &pr, &plain);
	pr.emergency_stretch = E;
	size_t n1 = lb_break(p.it, p.n, &pr, &em);
	CHECK(n0 > 5 && n1 > 5 && covers(&p, em, n1));
	int loose_without = 0;
	for (size_t i = 0; i + 1 < n0; i++) {
		double nat, y, z;
		line_flex(&p, plain[i].start, plain[i].end, 0, &nat, &y, &z);
		loose_without |= nat < w && (w - nat) > 1 * (y + E) + 1e-9;
	}
	CHECK(loose_without);   /* the tolerance-10 pass alone is looser */
	for (size_t i = 0; i + 1 < n1; i++) {
		double nat, y, z;
		line_flex(&p, em[i].start, em[i].end, 0, &nat, &y, &z);
		CHECK(!em[i].overfull);
		if (nat < w) {
			CHECK((w - nat) <= 1 * (y + E) + 1e-9);
			CHECK(fabs(em[i].ratio - (w - nat) / y) < 1e-9);
		}
	}
	free(plain);
	free(em);
	/* a paragraph set within tolerance: the same breaks either way */
	static para q;
	q.n = 0;
	srand(5);
	for (int wd = 0; wd < 120; wd++) {
		if (wd)
			glue(&q, 3.3, 1.65, 1.1);
		box(&q, 8 + rand() % 25);
	}
	finish(&q);
	double w2 = 200;
	lb_params a = params(&w2, 2), b = params(&w2, 2);
	b.emergency_stretch = 20;
	lb_line *la = NULL, *lbk = NULL;
	size_t na = lb_break(q.it, q.n, &a, &la);
	size_t nb = lb_break(q.it, q.n, &b, &lbk);
	CHECK(na > 5 && na == nb);
	for (size_t i = 0; la && lbk && i < na && i < nb; i++)
		CHECK(la[i].end == lbk[i].end && la[i].ratio == lbk[i].ratio);
	free(la);
	free(lbk);
}

TEST(repeatable_long_paragraph)
{
	static para p;
	srand(5);
	p.n = 0;
	for (int wd = 0; wd < 120; wd++) {
		if (wd)
			glue(&p, 3.3, 1.65, 1.1);
		int syl = 1 + rand() % 3;
		for (int s = 0; s < syl; s++) {
			if (s)
				pen(&p, 4, 50, 1);
			box(&p, 5 + rand() % 15);
		}
	}
	finish(&p);
	double w = 300;
	lb_params pr = params(&w, 2);
	/* the same long paragraph broken repeatedly gives the same lines
	 * (no state leaks between calls); speed is `make bench`'s job */
	lb_line *l0 = NULL;
	size_t n0 = lb_break(p.it, p.n, &pr, &l0);
	CHECK(n0 > 1);
	for (int i = 0; i < 100; i++) {
		lb_line *l = NULL;
		size_t n = lb_break(p.it, p.n, &pr, &l);
		CHECK(n == n0 && l && l0 && !memcmp(l, l0, n * sizeof *l));
		free(l);
	}
	free(l0);
}

/* A paragraph of n words of width 10, spaces of 4 (stretch 4, shrink
 * 2), broken at width 100 with looseness l: the line count, each line's
 * ratio within bounds checked. */
static size_t loose_lines(int n, int l)
{
	static para p;
	double w[1] = {100};
	p.n = 0;
	for (int i = 0; i < n; i++) {
		if (i)
			glue(&p, 4, 4, 2);
		box(&p, 10);
	}
	finish(&p);
	lb_params q = params(w, 0);
	q.looseness = l;
	lb_line *out = NULL;
	size_t nl = lb_break(p.it, p.n, &q, &out);
	CHECK(nl > 0 && covers(&p, out, nl));
	for (size_t i = 0; i + 1 < nl; i++)
		CHECK(out[i].ratio <= 2.0 + 1e-9 && out[i].ratio >= -1 - 1e-9);
	free(out);
	return nl;
}

/* Looseness (TeX's \looseness): a paragraph set a line longer or shorter
 * when the tolerance allows, else as near as it can; 0 is the best. */
TEST(looseness)
{
	/* 26 words: best 4 lines (7 7 7 5); 5 of 6 words stretch fully */
	CHECK(loose_lines(26, 0) == 4);
	CHECK(loose_lines(26, 1) == 5);
	/* 22 words: best 4 lines (the last short); 3 of 8 words shrink, 5
	 * would need lines of 5 words (ratio 2.1): the nearest is 4 */
	CHECK(loose_lines(22, 0) == 4);
	CHECK(loose_lines(22, -1) == 3);
	CHECK(loose_lines(22, 1) == 4);
	CHECK(loose_lines(22, -5) == 3);
}

int main(void)
{
	RUN(total_fit_beats_first_fit);
	RUN(box_wider_than_measure);
	RUN(hyphen_limit);
	RUN(empty_paragraph);
	RUN(missing_final_penalty);
	RUN(ratios_within_tolerance);
	RUN(second_and_emergency_pass);
	RUN(boxes_stretch_with_font_expansion);
	RUN(emergency_stretch_only_when_needed);
	RUN(no_hyphen_before_the_last_line);
	RUN(repeatable_long_paragraph);
	RUN(looseness);
	CHECK_EXIT();
}
