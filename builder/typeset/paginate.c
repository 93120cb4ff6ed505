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
 * Where spaces cannot fill a page, paragraphs wholly on it may be set a
 * line longer or shorter (TeX's looseness) at a cost: the search counts
 * how many each page asks for, the cheapest such paragraphs on the page
 * are chosen (L->loose_plan), and layout.c sets the book again with them.
 * The search also counts pages modulo the booklet's page multiple, so the
 * body can take the page count that fills the last sheet. Then the book's
 * order: cover, contents, body, the notes page, back cover. */
#include "typeset/lay.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The breaker's own scale: 100 is a page whose spaces stretch or shrink
 * all they may. These rank what must never or should hardly ever happen;
 * how pages look is the style's (spaces, penalties, min-page-fill). */
#define PG_INF 1e300
#define PG_OVERFULL 1e15   /* a page whose one line is taller than it */
#define PG_KEEP 1e12       /* a break a keep forbids */
#define PG_SPARSE 1e9      /* a page mid-range under min-page-fill */
#define PG_SHORT 1e7       /* a page that stops more than a line short */
#define PG_UNEVEN 1e6      /* a facing page short of its partner: per line */
#define PG_LOOSE 3000      /* a page up to a line short: per line */
#define PG_LEVEL_TOL 1.0   /* pt a facing page may stop short of its level */
#define PG_STRETCH 2.0     /* spaces stretch at most this many times their
			      stretch (badness 800), as TeX's glue may */
#define PG_EMPTY 2000      /* a part's last page: times its empty share,
			      squared */
#define PG_PAGE 10         /* every page */
#define PG_NOTES 300       /* using the notes page to fill the last sheet */
#define PG_VARIANT 150     /* a paragraph set a line longer or shorter */
#define PG_MAX_ADJ 3       /* paragraphs so changed on one page */
#define PG_LEVEL 400       /* a page of a spread set a line short */
#define PG_BAD 1e9         /* a plan costing this much breaks a rule */

/* The range being paginated, with prefix sums over its lines of the
 * space-plus-leading each adds below the line before it, and of the
 * stretch and shrink of those spaces. */
typedef struct pg_range {
	lay *L;
	size_t a, b;
	double *adv, *str, *shr;   /* prefix sums, index i: lines [a, a+i) */
	/* paragraphs that may be set a line longer (looser) or shorter
	 * (tighter): how many end before line a+i, how many start before
	 * it; those wholly on a page [j, k) are end[k-a] - start[j-a] */
	unsigned *loose_end, *loose_start, *tight_end, *tight_start;
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

/* The adjustment of page [j, k)'s spaces to end on target (the foot,
 * or a line above it): positive stretches (1: all they are meant to, at most PG_STRETCH), negative
 * shrinks. A part's end is set at natural spacing unless it must shrink
 * to fit the foot. */
static double pg_ratio(const pg_range *g, size_t j, size_t k, double target)
{
	pg_page p = pg_measure(g, j, k);
	if (pg_ends_part(g, k))
		target = g->L->foot;
	double d = target - p.depth;
	if (d < 0)
		return p.shrink > 0 ? lay_max(-1, d / p.shrink) : 0;
	if (pg_ends_part(g, k) || !(p.stretch > 0))
		return 0;
	return d / p.stretch < PG_STRETCH ? d / p.stretch : PG_STRETCH;
}

/* The cost of a page that does not end a part, whose spaces have
 * stretch and shrink, ending d above its target (below when negative),
 * filling its share of the page. A page may stop up to a line short of
 * the foot at a cost (not when its target is already a line up); a
 * facing page that does no longer ends level with its partner, and costs
 * more. */
static double pg_fill_cost(const pg_range *g, double d, double stretch,
			   double shrink, double fill, int level)
{
	const lay *L = g->L;
	if (d < -1e-6)
		return -d > shrink + 1e-6 ? PG_INF : pg_badness(d / shrink);
	if (d <= stretch * PG_STRETCH + 1e-6)
		return stretch > 0 ? pg_badness(d / stretch) : 0;
	stretch *= PG_STRETCH;
	double lines = (d - stretch) / g->body_leading;
	if (L->st->facing_pages && d - stretch > PG_LEVEL_TOL &&
	    lines <= 1 + 1e-6 && !level)
		return PG_UNEVEN * lines;
	if (lines <= 1 + 1e-6 && !level)
		return 100 + PG_LOOSE * lines;
	double c = PG_SHORT * (lines + level);
	if (fill < L->st->min_page_fill)
		c += PG_SPARSE * (1 + L->st->min_page_fill - fill);
	return c;
}

/* The cost of page [j, k) ending on its level's target (0: the foot, 1:
 * a line above it), without the break's penalty, and in *adj how many
 * paragraphs wholly on it to set a line longer (> 0) or shorter (< 0)
 * for that cost. */
static double pg_cost(const pg_range *g, size_t j, size_t k, int level,
		      int *adj)
{
	const lay *L = g->L;
	double foot = L->foot, lead = g->body_leading;
	pg_page p = pg_measure(g, j, k);
	double fill = p.depth / foot;
	*adj = 0;
	if (pg_ends_part(g, k)) {
		double d = foot - p.depth;
		if (d < -1e-6) {
			if (p.depth - p.shrink > foot + 1e-6)
				return k - j == 1 ? PG_OVERFULL : PG_INF;
			return pg_badness(d / p.shrink);
		}
		double c = PG_EMPTY * (1 - fill) * (1 - fill);
		if (k < g->b && fill < L->st->min_page_fill)
			c += PG_SPARSE * (1 + L->st->min_page_fill - fill);
		return c;
	}
	double d = foot - level * lead - p.depth;
	double extra = level ? PG_LEVEL : 0;
	/* a line above the foot is a line of running text: a page ending in
	 * smaller type would have room for one more of its own lines */
	if (level && L->lines[k - 1].leading < lead - 1e-6)
		extra += PG_UNEVEN;
	double best = pg_fill_cost(g, d, p.stretch, p.shrink, fill, level);
	if (best > 100) {
		unsigned nl = g->loose_end[k - g->a] - g->loose_start[j - g->a];
		unsigned nt = g->tight_end[k - g->a] - g->tight_start[j - g->a];
		for (int u = 1; u <= PG_MAX_ADJ; u++) {
			double c;
			if ((unsigned)u <= nl) {
				c = pg_fill_cost(g, d - u * lead, p.stretch,
						 p.shrink, fill + u * lead / foot,
						 level) + u * PG_VARIANT;
				if (c < best) {
					best = c;
					*adj = u;
				}
			}
			if ((unsigned)u <= nt) {
				c = pg_fill_cost(g, d + u * lead, p.stretch,
						 p.shrink, fill - u * lead / foot,
						 level) + u * PG_VARIANT;
				if (c < best) {
					best = c;
					*adj = -u;
				}
			}
		}
	}
	if (best >= PG_INF)
		return k - j == 1 ? PG_OVERFULL : PG_INF;
	return best + extra;
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

/* The variant paragraph p of line i (0: none) may have: looser (1) or
 * tighter (-1). */
static int pg_variant(const pg_range *g, size_t i, int dir)
{
	const lay *L = g->L;
	int p = L->lines[i].para;
	if (!p || L->loose || L->set_once || (size_t)p > L->nvariants)
		return 0;
	const lay_variant *v = &L->variants[p - 1];
	return (dir > 0 ? v->looser : v->tighter) >= 0;
}

/* Prefix sums for lines [a, b). 0, or -1 when memory runs out. */
static int pg_prepare(pg_range *g)
{
	size_t n = g->b - g->a;
	g->adv = malloc((n + 1) * sizeof *g->adv);
	g->str = malloc((n + 1) * sizeof *g->str);
	g->shr = malloc((n + 1) * sizeof *g->shr);
	unsigned **cnt[4] = {&g->loose_end, &g->loose_start, &g->tight_end,
			     &g->tight_start};
	for (int c = 0; c < 4; c++)
		*cnt[c] = malloc((n + 1) * sizeof **cnt[c]);
	if (!g->adv || !g->str || !g->shr || !g->loose_end ||
	    !g->loose_start || !g->tight_end || !g->tight_start)
		return -1;
	g->adv[0] = g->str[0] = g->shr[0] = 0;
	for (int c = 0; c < 4; c++)
		(*cnt[c])[0] = 0;
	const lay_vline *lines = g->L->lines;
	for (size_t i = 0; i < n; i++) {
		size_t at = g->a + i;
		const lay_vline *v = &lines[at];
		g->adv[i + 1] = g->adv[i] + v->space_before + v->leading;
		g->str[i + 1] = g->str[i] + v->stretch;
		g->shr[i + 1] = g->shr[i] + v->shrink;
		int first = v->para && (i == 0 || lines[at - 1].para != v->para);
		int last = v->para && (at + 1 == g->b ||
				       lines[at + 1].para != v->para);
		g->loose_start[i + 1] = g->loose_start[i] +
					(first && pg_variant(g, at, 1));
		g->tight_start[i + 1] = g->tight_start[i] +
					(first && pg_variant(g, at, -1));
		g->loose_end[i + 1] = g->loose_end[i] +
				      (last && pg_variant(g, at, 1));
		g->tight_end[i + 1] = g->tight_end[i] +
				      (last && pg_variant(g, at, -1));
	}
	return 0;
}

static void pg_release(pg_range *g)
{
	free(g->adv);
	free(g->str);
	free(g->shr);
	free(g->loose_end);
	free(g->loose_start);
	free(g->tight_end);
	free(g->tight_start);
}

/* Ask for n paragraphs wholly on page [j, k) to be set a line longer
 * (n > 0) or shorter (n < 0): the cheapest that may be. */
static void pg_ask_variants(const pg_range *g, size_t j, size_t k, int n)
{
	lay *L = g->L;
	int dir = n > 0 ? 1 : -1;
	for (int want = n > 0 ? n : -n; want > 0; want--) {
		int pick = 0;
		double pc = 0;
		for (size_t i = j; i < k; i++) {
			int p = L->lines[i].para;
			if (!p || (i > j && L->lines[i - 1].para == p) ||
			    (i == j && j > g->a && L->lines[j - 1].para == p))
				continue;
			size_t e = i;
			while (e + 1 < k && L->lines[e + 1].para == p)
				e++;
			if (e + 1 == k && k < g->b && L->lines[k].para == p)
				continue;   /* runs on to the next page */
			const lay_variant *v = &L->variants[p - 1];
			double c = dir > 0 ? v->looser : v->tighter;
			if (c >= 0 && !L->loose_plan[p - 1] && (!pick || c < pc)) {
				pick = p;
				pc = c;
			}
		}
		if (!pick)
			return;
		L->loose_plan[pick - 1] = (signed char)dir;
	}
}

/* Set the lines of page [j, k) (page number page) at their depths, its
 * spaces adjusted to end on its level's target; lines marked bottom at
 * its end go to the foot. */
static void pg_set_page(const pg_range *g, size_t j, size_t k, int page,
			int level)
{
	lay *L = g->L;
	double r = pg_ratio(g, j, k, L->foot - level * g->body_leading);
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

/* The search's states at a break k: for each number of pages so far
 * modulo M and each level state, the cheapest way to set the lines
 * before k, with how its last page was made. Level states: the level of
 * an open spread's left page (0 or 1), or PG_FREE when the next page may
 * take either (it opens a spread, or faces a page that ends a part). */
enum { PG_FREE = 2, PG_NLEVELS = 3 };

typedef struct pg_node {
	double cost;
	uint32_t from;          /* the last page's first line, from a */
	int8_t from_level;      /* the level state before it */
	int8_t level;           /* its level: 0 at the foot, 1 a line up */
	int8_t adj;             /* paragraphs it wants longer or shorter */
} pg_node;

typedef struct pg_search_ctx {
	const pg_range *g;
	int M;                  /* pages counted modulo M */
	int first;              /* book index of the range's first page */
	int facing;
	pg_node *nodes;         /* (n + 1) * M * PG_NLEVELS */
} pg_search_ctx;

static pg_node *pg_at(const pg_search_ctx *s, size_t i, int m, int lv)
{
	return &s->nodes[(i * (size_t)s->M + (size_t)m) * PG_NLEVELS + lv];
}

/* Offer page [j, k) (cost c at level lv, adjustment adj), as page
 * number m modulo M, after state (j, m, from_lv) of cost base; the
 * state it leads to keeps the cheaper. */
static void pg_offer(const pg_search_ctx *s, size_t j, size_t k, int m,
		     int from_lv, double base, int lv, double c, int adj,
		     int ends)
{
	if (c >= PG_INF)
		return;
	int left = s->facing && (s->first + m) % 2 == 1;
	int to_lv = left && !ends ? lv : PG_FREE;
	pg_node *to = pg_at(s, k - s->g->a, (m + 1) % s->M, to_lv);
	if (base + c < to->cost) {
		to->cost = base + c;
		to->from = (uint32_t)(j - s->g->a);
		to->from_level = (int8_t)from_lv;
		to->level = (int8_t)lv;
		to->adj = (int8_t)adj;
	}
}

/* Every state reachable from page [j, k) (penalty pen of its break). A
 * page under min-page-fill that ends no part is never the best way but
 * when nothing else is; a page of one line always stands by for that,
 * so the others are not offered (a long range has many). */
static void pg_relax(const pg_search_ctx *s, size_t j, size_t k, double pen)
{
	const pg_range *g = s->g;
	int adj[2];
	double c[2];
	int levels = s->facing ? 2 : 1;
	int ends = pg_ends_part(g, k);
	if (!ends && k - j > 1 && pg_measure(g, j, k).depth +
	    PG_MAX_ADJ * g->body_leading < g->L->st->min_page_fill * g->L->foot)
		return;
	for (int lv = 0; lv < levels; lv++) {
		c[lv] = pg_cost(g, j, k, lv, &adj[lv]);
		if (c[lv] < PG_INF)
			c[lv] += pen + PG_PAGE;
	}
	if (c[0] >= PG_INF && (levels < 2 || c[1] >= PG_INF))
		return;
	const pg_node *from = pg_at(s, j - g->a, 0, 0);
	for (int m = 0; m < s->M; m++) {
		int left = s->facing && (s->first + m) % 2 == 1;
		for (int from_lv = 0; from_lv < PG_NLEVELS; from_lv++) {
			double base = from[m * PG_NLEVELS + from_lv].cost;
			if (base >= PG_INF)
				continue;
			/* a right-hand page ends level with its left page */
			if (!left && s->facing && from_lv != PG_FREE) {
				int lv = ends ? 0 : from_lv;
				pg_offer(s, j, k, m, from_lv, base, from_lv,
					 c[lv], adj[lv], ends);
				continue;
			}
			for (int lv = 0; lv < levels; lv++)
				pg_offer(s, j, k, m, from_lv, base, lv, c[lv],
					 adj[lv], ends);
		}
	}
}

/* The cheapest ways to cut lines [a, b) into pages (total fit). */
static void pg_search(const pg_search_ctx *s)
{
	const pg_range *g = s->g;
	const lay *L = g->L;
	size_t a = g->a, n = g->b - g->a;
	double reach = L->foot + PG_MAX_ADJ * g->body_leading;
	for (size_t i = 0; i <= n; i++)
		for (int m = 0; m < s->M; m++)
			for (int lv = 0; lv < PG_NLEVELS; lv++)
				pg_at(s, i, m, lv)->cost = PG_INF;
	pg_at(s, 0, 0, PG_FREE)->cost = 0;
	for (size_t k = a + 1; k <= g->b; k++) {
		double pen = pg_penalty(g, k);
		for (size_t j = k; j-- > a;) {
			/* the spaces and leadings alone, shrunk, overflow:
			 * a longer page would too */
			if (k - j > 1 &&
			    (g->adv[k - a] - g->adv[j + 1 - a]) -
			    (g->shr[k - a] - g->shr[j + 1 - a]) > reach)
				break;
			pg_relax(s, j, k, pen);
			if (L->lines[j].force && j > a)
				break;
		}
	}
}

/* The final state to end on: the cheapest with the residue's extra
 * cost, unless every plan the extra costs allow breaks a rule and one
 * they do not allow does not (then the caller pads the book). extra is
 * by pages modulo em (a divisor of the search's M). */
static const pg_node *pg_pick(const pg_search_ctx *s, const double *extra,
			      int em, int *m_out, int *lv_out)
{
	size_t n = s->g->b - s->g->a;
	double bc = PG_INF, ac = PG_INF;
	int bm = 0, bl = PG_FREE, am = 0, al = PG_FREE;
	for (int m = 0; m < s->M; m++)
		for (int lv = 0; lv < PG_NLEVELS; lv++) {
			double c = pg_at(s, n, m, lv)->cost;
			double e = c + (extra ? extra[m % em] : 0);
			if (e < bc) {
				bc = e;
				bm = m;
				bl = lv;
			}
			if (c < ac) {
				ac = c;
				am = m;
				al = lv;
			}
		}
	if (bc >= PG_BAD && ac < PG_BAD) {
		bm = am;
		bl = al;
	}
	*m_out = bm;
	*lv_out = bl;
	return pg_at(s, n, bm, bl);
}

/* Set pages along the chosen states back from (n, m, lv), noting the
 * paragraphs its pages want longer or shorter; returns the page count. */
static int pg_apply(const pg_search_ctx *s, int m, int lv)
{
	const pg_range *g = s->g;
	size_t n = g->b - g->a, k = n;
	int pages = 0, mm = m, ll = lv;
	while (k > 0) {
		const pg_node *x = pg_at(s, k, mm, ll);
		k = x->from;
		ll = x->from_level;
		mm = (mm + s->M - 1) % s->M;
		pages++;
	}
	int page = pages;
	k = n;
	mm = m;
	ll = lv;
	while (k > 0) {
		const pg_node *x = pg_at(s, k, mm, ll);
		size_t j = x->from;
		pg_set_page(g, g->a + j, g->a + k, --page, x->level);
		if (x->adj && g->L->loose_plan)
			pg_ask_variants(g, g->a + j, g->a + k, x->adj);
		k = j;
		ll = x->from_level;
		mm = (mm + s->M - 1) % s->M;
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
		pg_set_page(g, start, e, page++, 0);
		start = i = e;
	}
	return page;
}

int lay_paginate(lay *L, size_t a, size_t b, const lay_pageplan *plan)
{
	if (b <= a)
		return 0;
	pg_range g;
	memset(&g, 0, sizeof g);
	g.L = L;
	g.a = a;
	g.b = b;
	g.body_leading = L->st->body_leading;
	int em = plan && plan->modulus > 1 ? plan->modulus : 1;
	pg_search_ctx s = {&g, em, plan ? plan->first : 0,
			   L->st->facing_pages, NULL};
	/* facing pages: count pages far enough to know each one's side */
	if (s.facing && s.M % 2)
		s.M *= 2;
	size_t n = b - a;
	int pages;
	int prepared = pg_prepare(&g) == 0;
	size_t count = (n + 1) * (size_t)s.M * PG_NLEVELS;
	if (prepared && n < UINT32_MAX && count / PG_NLEVELS / s.M == n + 1)
		s.nodes = malloc(count * sizeof *s.nodes);
	if (s.nodes) {
		int m, lv;
		pg_search(&s);
		pg_pick(&s, plan ? plan->extra : NULL, em, &m, &lv);
		pages = pg_apply(&s, m, lv);
	} else if (prepared) {
		pages = pg_greedy(&g);
	} else {
		for (size_t i = a; i < b; i++)
			L->lines[i].page = 0;
		pages = 1;
	}
	free(s.nodes);
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
	if (!L->loose && !L->set_once && L->nvariants && !L->loose_plan)
		L->loose_plan = arena_alloc(L->a, L->nvariants);
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
