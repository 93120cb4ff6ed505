/* paginate.c - the vertical list cut into pages by total fit (Knuth and
 * Plass's method applied to pages, as their line breaker is to lines):
 * of every way to cut a range into pages, the one whose pages cost least
 * in all. A page costs the badness of the stretch or shrink its spaces
 * need to end exactly on the last baseline of a full page (L->foot),
 * plus the penalty of the break that ends it (a good place before a
 * heading, a poor one inside an experience); a page that ends a part may
 * stop short, at a cost that grows with the empty part, and must still
 * be min-page-fill full unless it ends the range. Keeps (widows, orphans,
 * headings with their text) and pages a line short or worse are allowed
 * only at costs far above any ordinary page, so there is always a way.
 * The search also counts pages modulo the booklet's page multiple, so the
 * body can take the page count that fills the last sheet. Then the book's
 * order: cover, contents, body, the notes page, back cover. */
#include "typeset/lay.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* The breaker's own scale: 100 is a page whose spaces stretch or shrink
 * all they may. These rank what must never or should hardly ever happen;
 * how pages look is the style's (spaces, penalties, min-page-fill). */
#define PG_INF 1e300
#define PG_OVERFULL 1e15   /* a page whose one line is taller than it */
#define PG_KEEP 1e12       /* a break a keep forbids */
#define PG_SPARSE 1e9      /* a page mid-range under min-page-fill */
#define PG_SHORT 1e7       /* a page that stops more than a line short */
#define PG_LOOSE 3000      /* a page up to a line short: per line */
#define PG_EMPTY 2000      /* a part's last page: times its empty share,
			      squared */
#define PG_PAGE 10         /* every page */
#define PG_NOTES 300       /* using the notes page to fill the last sheet */
#define PG_BAD 1e9         /* a plan costing this much breaks a rule */

/* The range being paginated, with prefix sums over its lines of the
 * space-plus-leading each adds below the line before it, and of the
 * stretch and shrink of those spaces. */
typedef struct pg_range {
	lay *L;
	size_t a, b;
	double *adv, *str, *shr;   /* prefix sums, index i: lines [a, a+i) */
	double body_leading;
} pg_range;

/* What a page [j, k) needs: the depth of its last baseline at natural
 * spacing, the stretch and shrink it has. */
typedef struct pg_page {
	double depth, stretch, shrink;
} pg_page;

static pg_page pg_measure(const pg_range *g, size_t j, size_t k)
{
	const lay_vline *v = &g->L->lines[j];
	size_t i0 = j + 1 - g->a, i1 = k - g->a;
	pg_page p;
	p.depth = v->ascent + (v->fixed ? v->space_before : 0) +
		  (g->adv[i1] - g->adv[i0]);
	p.stretch = g->str[i1] - g->str[i0];
	p.shrink = g->shr[i1] - g->shr[i0];
	return p;
}

/* Does the page [j, k) end a part (or the range): may it stop short?
 * A part that starts on a new page ends one; one that runs on, only if
 * the style lets the page before it stop short. */
static int pg_ends_part(const pg_range *g, size_t k)
{
	if (k >= g->b)
		return 1;
	const lay_vline *v = &g->L->lines[k];
	return v->force || (v->part_title && g->L->st->part_short_page);
}

static double pg_badness(double r)
{
	r = fabs(r);
	return r > 10 ? 100000 : 100 * r * r * r;
}

/* The adjustment of page [j, k)'s spaces: positive stretches (1 = all
 * they may), negative shrinks. A part's end is set at natural spacing
 * unless it must shrink. */
static double pg_ratio(const pg_range *g, size_t j, size_t k)
{
	double foot = g->L->foot;
	pg_page p = pg_measure(g, j, k);
	double d = foot - p.depth;
	if (d < 0)
		return p.shrink > 0 ? lay_max(-1, d / p.shrink) : 0;
	if (pg_ends_part(g, k) || !(p.stretch > 0))
		return 0;
	return d / p.stretch < 1 ? d / p.stretch : 1;
}

/* The cost of page [j, k) (without the break's penalty). */
static double pg_cost(const pg_range *g, size_t j, size_t k)
{
	const lay *L = g->L;
	double foot = L->foot;
	pg_page p = pg_measure(g, j, k);
	double d = foot - p.depth;
	if (d < -1e-6) {
		if (p.depth - p.shrink > foot + 1e-6)
			return k - j == 1 ? PG_OVERFULL : PG_INF;
		return pg_badness(d / p.shrink);
	}
	double fill = p.depth / foot;
	if (pg_ends_part(g, k)) {
		double c = PG_EMPTY * (1 - fill) * (1 - fill);
		if (k < g->b && fill < L->st->min_page_fill)
			c += PG_SPARSE * (1 + L->st->min_page_fill - fill);
		return c;
	}
	if (d <= p.stretch + 1e-6)
		return p.stretch > 0 ? pg_badness(d / p.stretch) : 0;
	double lines = (d - p.stretch) / g->body_leading;
	if (lines <= 1 + 1e-6)
		return 100 + PG_LOOSE * lines;
	double c = PG_SHORT * lines;
	if (fill < L->st->min_page_fill)
		c += PG_SPARSE * (1 + L->st->min_page_fill - fill);
	return c;
}

/* The penalty of a page break before line k (the range's end: none). */
static double pg_penalty(const pg_range *g, size_t k)
{
	if (k >= g->b)
		return 0;
	const lay_vline *v = &g->L->lines[k];
	if (v->force)
		return 0;
	return v->penalty + (v->keep ? PG_KEEP : 0);
}

/* Prefix sums for lines [a, b). 0, or -1 when memory runs out. */
static int pg_prepare(pg_range *g)
{
	size_t n = g->b - g->a;
	g->adv = malloc((n + 1) * sizeof *g->adv);
	g->str = malloc((n + 1) * sizeof *g->str);
	g->shr = malloc((n + 1) * sizeof *g->shr);
	if (!g->adv || !g->str || !g->shr)
		return -1;
	g->adv[0] = g->str[0] = g->shr[0] = 0;
	for (size_t i = 0; i < n; i++) {
		const lay_vline *v = &g->L->lines[g->a + i];
		g->adv[i + 1] = g->adv[i] + v->space_before + v->leading;
		g->str[i + 1] = g->str[i] + v->stretch;
		g->shr[i + 1] = g->shr[i] + v->shrink;
	}
	return 0;
}

static void pg_release(pg_range *g)
{
	free(g->adv);
	free(g->str);
	free(g->shr);
}

/* Set the lines of page [j, k) (page number page) at their depths, its
 * spaces adjusted by ratio r; lines marked bottom at its end go to the
 * foot. */
static void pg_set_page(const pg_range *g, size_t j, size_t k, int page)
{
	lay *L = g->L;
	double r = pg_ratio(g, j, k);
	lay_vline *v = &L->lines[j];
	double y = v->ascent + (v->fixed ? v->space_before : 0);
	for (size_t i = j; i < k; i++) {
		v = &L->lines[i];
		if (i > j)
			y += v->space_before + v->leading +
			     (r > 0 ? r * v->stretch : r * v->shrink);
		v->page = page;
		v->y = y;
	}
	size_t i0 = k;
	while (i0 > j && L->lines[i0 - 1].bottom)
		i0--;
	double shift = L->foot - L->lines[k - 1].y;
	if (i0 < k && shift > 0)
		for (size_t i = i0; i < k; i++)
			L->lines[i].y += shift;
}

/* The cheapest way to cut lines [g->a, g->b) into pages, counting pages
 * modulo M: cost[(k - a) * M + m] is the least cost of the lines before
 * k on a number of pages that is m modulo M, from[] the start of that
 * last page. */
static void pg_search(const pg_range *g, int M, double *cost, uint32_t *from)
{
	const lay *L = g->L;
	size_t a = g->a, n = g->b - g->a;
	for (size_t i = 0; i <= n; i++)
		for (int m = 0; m < M; m++)
			cost[i * M + m] = PG_INF;
	cost[0] = 0;
	for (size_t k = a + 1; k <= g->b; k++) {
		double pen = pg_penalty(g, k);
		for (size_t j = k; j-- > a;) {
			/* the spaces and leadings alone, shrunk, overflow:
			 * a longer page would too */
			if (k - j > 1 &&
			    (g->adv[k - a] - g->adv[j + 1 - a]) -
			    (g->shr[k - a] - g->shr[j + 1 - a]) > L->foot)
				break;
			double c = pg_cost(g, j, k);
			if (c < PG_INF) {
				c += pen + PG_PAGE;
				for (int m = 0; m < M; m++) {
					double from_cost = cost[(j - a) * M + m];
					size_t at = (k - a) * M + (m + 1) % M;
					if (from_cost < PG_INF &&
					    from_cost + c < cost[at]) {
						cost[at] = from_cost + c;
						from[at] = (uint32_t)(j - a);
					}
				}
			}
			if (L->lines[j].force && j > a)
				break;
		}
	}
}

/* The residue to end on: the cheapest with its extra cost, unless every
 * plan the extra costs allow breaks a rule and one they do not allow
 * does not (then the caller pads the book). */
static int pg_pick(const double *end, int M, const double *extra)
{
	int best = 0, any = 0;
	double bc = PG_INF, ac = PG_INF;
	for (int m = 0; m < M; m++) {
		double c = end[m] + (extra ? extra[m] : 0);
		if (c < bc) {
			bc = c;
			best = m;
		}
		if (end[m] < ac) {
			ac = end[m];
			any = m;
		}
	}
	return bc >= PG_BAD && ac < PG_BAD ? any : best;
}

/* Set pages from the breaks the search chose; returns the page count. */
static int pg_apply(const pg_range *g, int M, const uint32_t *from, int m)
{
	size_t n = g->b - g->a, k = n;
	int pages = 0;
	int mm = m;
	while (k > 0) {
		k = from[k * M + mm];
		mm = (mm + M - 1) % M;
		pages++;
	}
	int page = pages;
	k = n;
	mm = m;
	while (k > 0) {
		size_t j = from[k * M + mm];
		pg_set_page(g, g->a + j, g->a + k, --page);
		k = j;
		mm = (mm + M - 1) % M;
	}
	return pages;
}

/* Greedy pages, when memory for the search runs out: a line goes on the
 * page if it fits, else the page ends before the latest line without a
 * keep. */
static int pg_greedy(const pg_range *g)
{
	lay *L = g->L;
	size_t start = g->a, i = g->a;
	int page = 0;
	while (i < g->b) {
		size_t k = i + 1;
		while (k < g->b && !L->lines[k].force &&
		       pg_measure(g, start, k + 1).depth <= L->foot)
			k++;
		size_t e = k;
		while (e < g->b && e > start + 1 && L->lines[e].keep &&
		       !L->lines[e].force)
			e--;
		if (e == start + 1 && k > e)
			e = k;
		pg_set_page(g, start, e, page++);
		start = i = e;
	}
	return page;
}

int lay_paginate(lay *L, size_t a, size_t b, const lay_pageplan *plan)
{
	if (b <= a)
		return 0;
	pg_range g = {L, a, b, NULL, NULL, NULL, L->st->body_leading};
	int M = plan && plan->modulus > 1 ? plan->modulus : 1;
	size_t n = b - a;
	double *cost = NULL;
	uint32_t *from = NULL;
	int pages;
	if (pg_prepare(&g) == 0 && n < UINT32_MAX) {
		cost = malloc((n + 1) * (size_t)M * sizeof *cost);
		from = malloc((n + 1) * (size_t)M * sizeof *from);
	}
	if (cost && from) {
		pg_search(&g, M, cost, from);
		int m = pg_pick(cost + n * M, M, plan ? plan->extra : NULL);
		pages = pg_apply(&g, M, from, m);
	} else if (g.adv && g.str && g.shr) {
		pages = pg_greedy(&g);
	} else {
		pages = 0;
		for (size_t i = a; i < b; i++)
			L->lines[i].page = 0;
		pages = 1;
	}
	free(cost);
	free(from);
	pg_release(&g);
	return pages;
}

/* The extra cost of ending the body on m pages modulo M: none when the
 * book then fills its last sheet, PG_NOTES when the notes page does,
 * else too much. */
static void pg_sheet_costs(const lay *L, int fixed, int M, double *extra)
{
	for (int m = 0; m < M; m++) {
		int total = fixed + m;
		if (total % M == 0)
			extra[m] = 0;
		else if (L->st->notes_page && (total + 1) % M == 0)
			extra[m] = PG_NOTES;
		else
			extra[m] = PG_BAD;
	}
}

/* Paginate every range and put them in book order: cover, contents,
 * body, [notes], [blanks], back cover. The body's page count is planned
 * so that the book fills whole sheets (page-multiple), with the notes
 * page if that helps, blank pages only when nothing else can. Makes every
 * line's page absolute, places the anchors and fills in the contents'
 * page numbers. */
void lay_plan_book(lay *L, lay_book *b)
{
	const style *st = L->st;
	lay_range *cover = &b->r[LAY_COVER], *front = &b->r[LAY_CONTENTS];
	lay_range *body = &b->r[LAY_BODY], *back = &b->r[LAY_BACK];
	cover->npages = lay_paginate(L, cover->first, cover->end, NULL);
	front->npages = lay_paginate(L, front->first, front->end, NULL);
	back->npages = lay_paginate(L, back->first, back->end, NULL);
	cover->base = 0;
	front->base = cover->npages;
	body->base = front->base + front->npages;
	int M = st->page_multiple > 1 ? st->page_multiple : 1;
	double extra[64];
	pg_sheet_costs(L, body->base + back->npages, M, extra);
	lay_pageplan plan = {body->base, M, extra};
	body->npages = lay_paginate(L, body->first, body->end, &plan);
	if (body->base + body->npages + back->npages == 0)
		body->npages = 1;   /* nothing at all: one empty page */
	int total = body->base + body->npages + back->npages;
	b->notes = -1;
	if (total % M && st->notes_page) {
		b->notes = body->base + body->npages;
		total++;
	}
	b->blanks = (M - total % M) % M;
	back->base = total + b->blanks - back->npages;
	b->npages = total + b->blanks;
	for (int k = 0; k < LAY_NRANGES; k++)
		for (size_t i = b->r[k].first; i < b->r[k].end; i++)
			L->lines[i].page += b->r[k].base;
	for (size_t i = 0; i < L->nanchors; i++) {
		lay_anchor *an = &L->anchors[i];
		if (an->line == SIZE_MAX)
			continue;
		const lay_vline *v = &L->lines[an->line];
		an->page = v->page;
		an->y = st->page_height - st->margin_top - v->y + v->ascent;
	}
	lay_contents_numbers(L, body->base);
}
