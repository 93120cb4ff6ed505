/* linebreak.c - owns the choice of line breaks: Knuth-Plass total fit over
 * boxes (which may stretch and shrink a little: font expansion), glue and
 * penalties with fitness classes, flagged and fitness demerits and a hard
 * limit on consecutive hyphenated lines. One forward scan per pass
 * (tolerance; tolerance with emergency stretch; 10; an emergency pass that
 * cannot fail); work is O(breakpoints * active nodes). */
#include "typeset/linebreak.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { LB_CHUNK = 1024 };

/* Prefix sums of fractional stretch/shrink are inexact: a line that fits
 * exactly must not be lost to rounding. */
#define LB_EPS 1e-9

/* A feasible break, a node of the search graph. Nodes live in a chunk
 * pool freed at the end; active ones are also on a linked list. A node is
 * counted in refs once while active and once per node whose best previous
 * break it is; when the count drops to 0 it lies on no path that can still
 * win, and goes to the free list (lb_release). So a pass holds about one
 * node per line set so far, not one per feasible break, however long the
 * paragraph. */
typedef struct lb_node {
	size_t pos;                /* break item index (n: virtual end) */
	size_t start;              /* first item of the next line */
	size_t line;               /* lines so far (0 at the start node) */
	int fitness;               /* of the line ending here */
	int hyphens;               /* consecutive hyphenated lines ending here */
	int overfull;
	unsigned refs;
	double ratio;
	double demerits;           /* total from the paragraph start */
	double tw, ty, tz;         /* totals up to start */
	struct lb_node *prev;      /* best previous break */
	struct lb_node *next;      /* active, dead or free list */
} lb_node;

typedef struct lb_chunk {
	struct lb_chunk *older;
	size_t used;
	lb_node nodes[LB_CHUNK];
} lb_chunk;

typedef struct lb_cand {          /* best way found to reach the current b */
	size_t cls;
	int fitness, hkey, hyphens, overfull;
	double demerits, ratio;
	lb_node *prev;
} lb_cand;

typedef struct lb_ctx {
	const lb_item *items;
	size_t n;                  /* items; a virtual break at n if needed */
	size_t last;               /* the paragraph's final break */
	const lb_params *p;
	double background;         /* stretch every line has in this pass */
	lb_chunk *chunks;
	lb_node *free;             /* released nodes, for reuse */
	lb_cand *cands;
	size_t ncands, capcands;
	int oom;
} lb_ctx;

/* Width, stretch and shrink of items [0, i), summed in item order as a
 * pass reaches i (no arrays of prefix sums: a paragraph may have
 * millions of items). */
typedef struct lb_sums {
	double w, y, z;
} lb_sums;

static void lb_add(const lb_ctx *c, lb_sums *t, size_t i)
{
	const lb_item *it = &c->items[i];
	if (it->type == LB_GLUE) {
		t->w += it->width;
		t->y += c->p->glue[it->ref].stretch;
		t->z += c->p->glue[it->ref].shrink;
	} else if (it->type == LB_BOX) {
		t->w += it->width;
		if (it->width > 0) {
			t->y += it->width * c->p->box_stretch;
			t->z += it->width * c->p->box_shrink;
		}
	}
}

static lb_node *lb_new_node(lb_ctx *c)
{
	if (c->free) {
		lb_node *x = c->free;
		c->free = x->next;
		memset(x, 0, sizeof *x);
		return x;
	}
	if (!c->chunks || c->chunks->used == LB_CHUNK) {
		lb_chunk *k = malloc(sizeof *k);
		if (!k) {
			c->oom = 1;
			return NULL;
		}
		k->older = c->chunks;
		k->used = 0;
		c->chunks = k;
	}
	lb_node *x = &c->chunks->nodes[c->chunks->used++];
	memset(x, 0, sizeof *x);
	return x;
}

/* Drop one reference to x; nodes left without any go to the free list,
 * and drop theirs to their predecessors. */
static void lb_release(lb_ctx *c, lb_node *x)
{
	while (x && --x->refs == 0) {
		lb_node *p = x->prev;
		x->next = c->free;
		c->free = x;
		x = p;
	}
}

static void lb_free_nodes(lb_ctx *c)
{
	c->free = NULL;
	while (c->chunks) {
		lb_chunk *o = c->chunks->older;
		free(c->chunks);
		c->chunks = o;
	}
}

static int lb_forced(const lb_ctx *c, size_t b)
{
	return b >= c->n || (c->items[b].type == LB_PENALTY &&
			     c->items[b].penalty <= -LB_INFINITY);
}

/* First item of the line after a break at b: discardable glue and
 * (unforced) penalties after a break vanish. */
static size_t lb_after(const lb_ctx *c, size_t b)
{
	size_t j = b + 1;
	while (j < c->n && (c->items[j].type == LB_GLUE ||
			    (c->items[j].type == LB_PENALTY &&
			     c->items[j].penalty > -LB_INFINITY)))
		j++;
	return j;
}

/* Is item b a legal breakpoint? */
static int lb_legal(const lb_ctx *c, size_t b)
{
	const lb_item *it = &c->items[b];
	if (it->type == LB_PENALTY) {
		if (it->penalty >= LB_INFINITY)
			return 0;
	} else if (it->type != LB_GLUE || b == 0 ||
		   c->items[b - 1].type != LB_BOX) {
		return 0;
	}
	/* a break whose next line would hold nothing before the forced
	 * break (e.g. at the finishing glue) only makes an empty line */
	return lb_forced(c, b) || !lb_forced(c, lb_after(c, b));
}

static int lb_flagged(const lb_ctx *c, size_t b)
{
	return b < c->n && c->items[b].type == LB_PENALTY && c->items[b].flagged;
}

static double lb_measure(const lb_ctx *c, size_t line)
{
	const lb_params *p = c->p;
	if (!p->widths || !p->nwidths)
		return 0;
	return p->widths[line < p->nwidths ? line : p->nwidths - 1];
}

static size_t lb_class(const lb_ctx *c, size_t line)
{
	size_t nw = c->p->nwidths ? c->p->nwidths : 1;
	if (c->p->looseness)
		return line;   /* every line count kept apart */
	return line < nw - 1 ? line : nw - 1;
}

static int lb_fitness(double r)
{
	if (r < -0.5)
		return 0;               /* tight */
	if (r <= 0.5)
		return 1;               /* decent */
	if (r <= 1)
		return 2;               /* loose */
	return 3;                       /* very loose */
}

/* Adjustment ratio of the line from node a to break b, t the totals up
 * to b (HUGE_VAL if it cannot stretch, -HUGE_VAL if it cannot shrink),
 * with extra stretch (the pass's background stretch, or 0). */
static double lb_ratio_with(const lb_ctx *c, const lb_node *a, size_t b,
			    const lb_sums *t, double extra)
{
	double w = t->w - a->tw, L = lb_measure(c, a->line);
	if (b < c->n && c->items[b].type == LB_PENALTY)
		w += c->items[b].width;
	double r = 0;
	if (w < L) {
		double y = t->y - a->ty + extra;
		r = y > LB_EPS ? (L - w) / y : HUGE_VAL;
	} else if (w > L) {
		double z = t->z - a->tz;
		r = z > LB_EPS ? (L - w) / z : -HUGE_VAL;
	}
	if (r < -1 && r > -1 - LB_EPS)
		r = -1;
	return r;
}

static double lb_ratio(const lb_ctx *c, const lb_node *a, size_t b,
		       const lb_sums *t)
{
	return lb_ratio_with(c, a, b, t, 0);
}

/* Demerits of a line from a to b with ratio r (r >= -1). */
static double lb_demerits(const lb_ctx *c, const lb_node *a, size_t b,
			  double r, int fit)
{
	const lb_params *p = c->p;
	double bad = r > 0 && isinf(r) ? 10000 : 100 * fabs(r) * fabs(r) * fabs(r);
	if (bad > 10000)
		bad = 10000;
	double d = p->line_penalty + bad;
	d *= d;
	int pen = b < c->n && c->items[b].type == LB_PENALTY ? c->items[b].penalty : 0;
	if (pen > 0)
		d += (double)pen * pen;
	else if (pen < 0 && pen > -LB_INFINITY)
		d -= (double)pen * pen;
	if (lb_flagged(c, b) && a->hyphens > 0)
		d += p->flagged_demerits;
	if (b == c->last && a->hyphens > 0)
		d += p->final_hyphen_demerits;   /* a hyphen before the last line */
	if (a->line > 0 && abs(fit - a->fitness) > 1)
		d += p->fitness_demerits;
	return d;
}

/* Offer a candidate for break b, keeping the best per (class, fitness,
 * hyphen state). */
static void lb_offer(lb_ctx *c, const lb_cand *k)
{
	for (size_t i = 0; i < c->ncands; i++) {
		lb_cand *o = &c->cands[i];
		if (o->cls == k->cls && o->fitness == k->fitness &&
		    o->hkey == k->hkey) {
			if (k->demerits < o->demerits)
				*o = *k;
			return;
		}
	}
	if (c->ncands == c->capcands) {
		size_t nc = c->capcands ? c->capcands * 2 : 16;
		lb_cand *m = realloc(c->cands, nc * sizeof *m);
		if (!m) {
			c->oom = 1;
			return;
		}
		c->cands = m;
		c->capcands = nc;
	}
	c->cands[c->ncands++] = *k;
}

/* Turn the candidates at b (t the totals up to b) into active nodes
 * (prepended to *active). Within a (class, hyphen state) group,
 * candidates worse than the best by more than fitness_demerits can never
 * win and are dropped. */
static void lb_commit(lb_ctx *c, size_t b, lb_node **active,
		      const lb_sums *t)
{
	size_t start = b < c->n ? lb_after(c, b) : c->n;
	lb_sums st = *t;         /* totals up to start */
	for (size_t j = b; j < start; j++)
		lb_add(c, &st, j);
	for (size_t i = 0; i < c->ncands; i++) {
		const lb_cand *k = &c->cands[i];
		double best = k->demerits;
		for (size_t j = 0; j < c->ncands; j++)
			if (c->cands[j].cls == k->cls && c->cands[j].hkey == k->hkey &&
			    c->cands[j].demerits < best)
				best = c->cands[j].demerits;
		if (k->demerits > best + c->p->fitness_demerits)
			continue;
		lb_node *x = lb_new_node(c);
		if (!x)
			return;
		x->pos = b;
		x->start = start;
		x->line = k->prev->line + 1;
		x->fitness = k->fitness;
		x->hyphens = k->hyphens;
		x->overfull = k->overfull;
		x->ratio = k->ratio;
		x->demerits = k->demerits;
		x->tw = st.w;
		x->ty = st.y;
		x->tz = st.z;
		x->prev = k->prev;
		x->refs = 1;
		k->prev->refs++;
		x->next = *active;
		*active = x;
	}
	c->ncands = 0;
}

/* The state of one pass at break b. */
typedef struct lb_scan {
	double tol;                /* < 0: the emergency pass */
	int limit;                 /* hyphenated lines in a row, 0: any */
	lb_node *active;
	lb_node *dead;             /* deactivated at b, released after it */
	lb_node *gone;             /* the latest of them */
} lb_scan;

/* Offer the line from active node a to break b (t the totals up to b),
 * if it is feasible in this pass. Returns its adjustment ratio. */
static double lb_try(lb_ctx *c, const lb_scan *sc, lb_node *a, size_t b,
		     const lb_sums *t)
{
	int emergency = sc->tol < 0, limit = sc->limit;
	double r = lb_ratio_with(c, a, b, t, c->background);
	int ok = r >= -1 && (emergency || r <= sc->tol + LB_EPS);
	int hy = lb_flagged(c, b) ? a->hyphens + 1 : 0;
	if (ok && limit && hy > limit && !emergency)
		ok = 0;
	if (!ok)
		return r;
	int fit = lb_fitness(r);
	lb_cand k = {
		.cls = lb_class(c, a->line + 1), .fitness = fit,
		.hkey = limit ? (hy < limit ? hy : limit) : hy > 0,
		.hyphens = hy,
		.demerits = a->demerits + lb_demerits(c, a, b, r, fit),
		.prev = a,
	};
	double real = c->background > 0 ? lb_ratio(c, a, b, t) : r;
	k.ratio = isinf(real) ? 0 : real;
	if (emergency && limit && hy > limit)
		k.demerits += 1e12;   /* only as a last resort */
	lb_offer(c, &k);
	return r;
}

/* Every active node tried against break b; those that can reach no later
 * break (the line would be overfull, or b is forced) leave the active
 * list for the dead list. */
static void lb_scan_break(lb_ctx *c, lb_scan *sc, size_t b, const lb_sums *t)
{
	int forced = lb_forced(c, b);
	lb_node **link = &sc->active;
	sc->gone = NULL;
	while (*link) {
		lb_node *a = *link;
		double r = lb_try(c, sc, a, b, t);
		if (r < -1 || forced) {
			*link = a->next;  /* deactivate */
			a->next = sc->dead;
			sc->dead = a;
			if (!sc->gone || a->pos > sc->gone->pos ||
			    (a->pos == sc->gone->pos &&
			     a->demerits < sc->gone->demerits))
				sc->gone = a;
		} else {
			link = &a->next;
		}
	}
	/* emergency: never let the list run dry; the latest break starts an
	 * overfull line that ends here */
	if (sc->tol < 0 && !sc->active && !c->ncands && sc->gone) {
		lb_node *g = sc->gone;
		double r = lb_ratio(c, g, b, t);
		lb_cand k = {
			.cls = lb_class(c, g->line + 1), .fitness = 0,
			.hyphens = lb_flagged(c, b) ? g->hyphens + 1 : 0,
			.overfull = 1, .ratio = r < -1 ? -1 : (isinf(r) ? 0 : r),
			.demerits = g->demerits + 1e9, .prev = g,
		};
		lb_offer(c, &k);
	}
}

/* Release the nodes deactivated at the last break. */
static void lb_bury(lb_ctx *c, lb_scan *sc)
{
	while (sc->dead) {
		lb_node *x = sc->dead;
		sc->dead = x->next;
		lb_release(c, x);
	}
}

/* With looseness, of the nodes at the final break (active up to before)
 * the one whose line count is nearest the best's plus the looseness,
 * then the one with fewest demerits; else best. */
static lb_node *lb_loosest(const lb_ctx *c, lb_node *active,
			   const lb_node *before, lb_node *best)
{
	if (!c->p->looseness || !best)
		return best;
	long want = (long)best->line + c->p->looseness;
	lb_node *pick = best;
	for (lb_node *x = active; x && x != before; x = x->next) {
		long d = labs((long)x->line - want);
		long pd = labs((long)pick->line - want);
		if (d < pd || (d == pd && x->demerits < pick->demerits))
			pick = x;
	}
	return pick;
}

/* One pass. tol < 0 means the emergency pass. Returns the best node at the
 * final break, or NULL if the pass found no feasible set (or no memory). */
static lb_node *lb_pass(lb_ctx *c, double tol, size_t last)
{
	const lb_params *p = c->p;
	lb_scan sc = {tol, p->max_hyphens_in_row > 0 ? p->max_hyphens_in_row : 0,
		      lb_new_node(c), NULL, NULL};
	if (!sc.active)
		return NULL;
	sc.active->refs = 1;
	lb_sums t = {0, 0, 0}; /* totals up to b */
	for (size_t b = 0; b <= last && sc.active; b++) {
		if (b > 0)
			lb_add(c, &t, b - 1);
		if (b < c->n && !lb_legal(c, b))
			continue;
		lb_scan_break(c, &sc, b, &t);
		if (c->oom)
			return NULL;
		lb_node *before = sc.active;
		lb_commit(c, b, &sc.active, &t);
		if (c->oom)
			return NULL;
		if (b == last) {
			lb_node *done = NULL;  /* the best at the final break */
			for (lb_node *x = sc.active; x && x != before; x = x->next)
				if (!done || x->demerits < done->demerits)
					done = x;
			return lb_loosest(c, sc.active, before, done);
		}
		lb_bury(c, &sc);
	}
	return NULL;
}

size_t lb_break(const lb_item *items, size_t n, const lb_params *p,
		lb_line **lines)
{
	*lines = NULL;
	if (!items || n == 0 || !p)
		return 0;
	lb_ctx c = {.items = items, .n = n, .p = p};
	/* the paragraph should end in a forced break; if not, add one */
	size_t last = lb_forced(&c, n - 1) ? n - 1 : n;
	c.last = last;
	size_t count = 0;
	double tols[4] = {p->tolerance, p->tolerance, 10, -1};
	double bg[4] = {0, p->emergency_stretch, p->emergency_stretch,
			p->emergency_stretch};
	lb_node *end = NULL;
	for (int pass = 0; pass < 4 && !end && !c.oom; pass++) {
		if ((pass == 1 && !(p->emergency_stretch > 0)) ||
		    (pass == 2 && p->tolerance >= 10))
			continue;
		lb_free_nodes(&c);
		c.background = bg[pass];
		end = lb_pass(&c, tols[pass], last);
	}
	if (!end)
		goto out;
	lb_line *out = malloc(end->line * sizeof *out);
	if (!out)
		goto out;
	for (lb_node *x = end; x->prev; x = x->prev) {
		lb_line *l = &out[x->line - 1];
		l->start = x->prev->start < x->pos ? x->prev->start : x->pos;
		l->end = x->pos;
		l->ratio = x->ratio;
		l->hyphenated = lb_flagged(&c, x->pos);
		l->overfull = x->overfull;
	}
	*lines = out;
	count = end->line;
out:
	lb_free_nodes(&c);
	free(c.cands);
	return count;
}
