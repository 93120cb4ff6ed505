/* pages.c - the typesetter's result (lo_doc): the vertical list's lines
 * copied onto their pages (runs, marked when they belong to a link, link
 * rectangles resolved to URIs or anchors, quote rules), page kinds and
 * folios, running heads (facing pages: one kind on the left, another on
 * the right; none on a page that opens a part), the cover's and back
 * cover's colour fields, the ruled notes page, PDF page labels and the
 * outline. */
#include "typeset/lay.h"

#include <math.h>
#include <string.h>

/* Per-page growth bookkeeping while emitting. */
typedef struct lay_pcap {
	size_t runs, links, rules, fills, images;
	int part, part_start, has_line;
} lay_pcap;

#define LAY_PGROW(L, arr, n, cap)                                         \
	do {                                                              \
		if ((n) >= (cap)) {                                       \
			size_t nc_ = (cap) ? 2 * (cap) : 8;               \
			(arr) = arena_grow((L)->a, (arr), (n), nc_,       \
					   sizeof *(arr));                \
			(cap) = nc_;                                      \
		}                                                         \
	} while (0)

static const char *lay_roman(arena *a, int n)
{
	static const struct { int v; const char *s; } tab[] = {
		{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
		{90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"},
		{5, "v"}, {4, "iv"}, {1, "i"},
	};
	char out[64];
	size_t len = 0;
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
		while (n >= tab[i].v && len + 4 < sizeof out) {
			size_t l = strlen(tab[i].s);
			memcpy(out + len, tab[i].s, l);
			len += l;
			n -= tab[i].v;
		}
	return arena_strndup(a, out, len);
}

static lo_run *lay_page_run(lay *L, lo_page *p, lay_pcap *c)
{
	LAY_PGROW(L, p->runs, p->nruns, c->runs);
	return &p->runs[p->nruns++];
}

/* The left margin of book page index page: the inner on a right-hand
 * page (even indexes: the cover is a right-hand page), the outer on a
 * left-hand one; without facing pages, always the inner. */
static double lay_left_margin(const style *st, size_t page)
{
	return page % 2 == 0 || !st->facing_pages ? st->margin_inner
						  : st->margin_outer;
}

static int lay_same_paint(paint a, paint b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* Is run s of line v part of a link drawn in the link colour? (A run
 * never spans a link's edge, but the word space after a link's last word
 * belongs to its run: a run is the link's when it starts inside it.) */
static int lay_run_is_link(const lay *L, const lay_vline *v,
			   const lay_run *s, const lay_face *f)
{
	if (!lay_same_paint(f->color, L->st->link_color))
		return 0;
	for (size_t k = 0; k < v->nlinks; k++) {
		const lay_rlink *rl = &L->rlinks[v->link0 + k];
		if (s->x >= rl->x0 - 0.01 && s->x < rl->x1 - 0.01)
			return 1;
	}
	return 0;
}

/* The link rectangles of line v at (xo, yb) on page p, resolved: a URI,
 * or the page and height of an anchor (links to anchors that were never
 * placed are dropped). */
static void lay_emit_links(lay *L, lo_page *p, lay_pcap *c,
			   const lay_vline *v, double xo, double yb)
{
	for (size_t k = 0; k < v->nlinks; k++) {
		const lay_rlink *rl = &L->rlinks[v->link0 + k];
		const lay_target *t = &L->targets[rl->target];
		int dp = -1;
		double dy = 0;
		if (!t->uri) {
			if (t->anchor < 0 || L->anchors[t->anchor].page < 0)
				continue;
			dp = L->anchors[t->anchor].page;
			dy = L->anchors[t->anchor].y;
		}
		LAY_PGROW(L, p->links, p->nlinks, c->links);
		lo_link *lk = &p->links[p->nlinks++];
		lk->x0 = rl->x0 + xo;
		lk->x1 = rl->x1 + xo;
		lk->y0 = yb + rl->dy0;
		lk->y1 = yb + rl->dy1;
		lk->uri = t->uri;
		lk->dest_page = dp;
		lk->dest_y = dy;
		lk->elem = t->elem;
		lk->title = t->title;
	}
}

/* A quote rule from line i, the first of its block on its page, down to
 * the block's last line on that page (lines before b). */
static void lay_emit_rule(lay *L, lo_page *p, lay_pcap *c, size_t i,
			  size_t b, double xo, double yb)
{
	const style *st = L->st;
	const lay_vline *v = &L->lines[i];
	size_t j = i;
	while (j + 1 < b && L->lines[j + 1].quote == v->quote &&
	       L->lines[j + 1].page == v->page)
		j++;
	const lay_vline *w = &L->lines[j];
	LAY_PGROW(L, p->rules, p->nrules, c->rules);
	lo_rule *ru = &p->rules[p->nrules++];
	ru->x0 = ru->x1 = xo + v->rule_x;
	ru->y1 = yb + v->ascent;
	ru->y0 = st->page_height - st->margin_top - w->y + w->descent;
	ru->width = st->quote_rule_width;
	ru->color = st->quote_rule_color;
}

/* Copy lines [a, b) (pages already absolute) onto their pages. */
static void lay_emit(lay *L, lo_doc *lo, lay_pcap *caps, size_t a, size_t b)
{
	const style *st = L->st;
	for (size_t i = a; i < b; i++) {
		const lay_vline *v = &L->lines[i];
		lo_page *p = &lo->pages[v->page];
		lay_pcap *c = &caps[v->page];
		double xo = lay_left_margin(st, (size_t)v->page);
		double yb = st->page_height - st->margin_top - v->y;
		if (!c->has_line) {
			c->has_line = 1;
			c->part = v->part;
			c->part_start = v->force || v->part_title;
			if (p->kind == LO_BODY)
				p->start = (lo_start){v->src, v->ref, v->off};
		} else if (p->kind == LO_BODY && !p->start.node && !p->start.ref &&
			   (v->src || v->ref)) {
			/* a page that opens with printed notes (link
			 * addresses), which are not the document's text,
			 * begins where its first text of the document does */
			p->start = (lo_start){v->src, v->ref, 0};
		}
		for (size_t k = 0; k < v->nruns; k++) {
			const lay_run *s = &L->runs[v->run0 + k];
			const lay_face *f = &L->faces[s->face];
			if (!s->text || !*s->text)
				continue;
			lo_run *r = lay_page_run(L, p, c);
			r->link = lay_run_is_link(L, v, s, f);
			r->font = f->font;
			r->size = f->size;
			r->x = s->x + xo;
			r->y = yb;
			r->width = s->width;
			r->color = f->color;
			r->text = s->text;
			r->glyphs = s->glyphs;
			r->nglyphs = s->nglyphs;
			r->offsets = s->offsets;
			r->upem = face_units_per_em(L->fonts[f->font]);
			r->space_adjust = s->space_adjust;
			r->hscale = s->hscale;
			r->elem = (int)s->elem;
		}
		lay_emit_links(L, p, c, v, xo, yb);
		if (v->quote && (i == a || L->lines[i - 1].quote != v->quote ||
				 L->lines[i - 1].page != v->page))
			lay_emit_rule(L, p, c, i, b, xo, yb);
	}
}

/* A running head's text, fitted to the measure: a title too long for it
 * loses words from its end, with an ellipsis. */
static const char *lay_fit_head(lay *L, const char *t)
{
	const style *st = L->st;
	size_t len = strlen(t);
	if (lay_width(L, 0, t, len, st->header_size) <= L->measure)
		return t;
	static const char ell[] = "\u2026";
	while (len > 0) {
		while (len > 0 && t[len - 1] != ' ')
			len--;
		while (len > 0 && t[len - 1] == ' ')
			len--;
		const char *s = arena_printf(L->a, "%.*s%s", (int)len, t, ell);
		if (lay_width(L, 0, s, strlen(s), st->header_size) <= L->measure)
			return s;
	}
	return NULL;
}

/* The running head of book page i with first-line part c->part, or NULL:
 * none on a page that opens a part or holds the title. */
static const char *lay_head_text(lay *L, const lay_pcap *c, size_t i)
{
	const style *st = L->st;
	if (!c->has_line || c->part_start || c->part < 0 || c->part >= L->nparts)
		return NULL;
	style_head h = st->facing_pages && i % 2 ? st->head_left : st->head_right;
	if (h == HEAD_TITLE)
		return L->book_title;
	if (h == HEAD_PART)
		return L->part_titles[c->part];
	return NULL;
}

/* Page numbers in the footer and running heads. */
static void lay_furniture(lay *L, lo_doc *lo, lay_pcap *caps)
{
	const style *st = L->st;
	for (size_t i = 0; i < lo->npages; i++) {
		lo_page *p = &lo->pages[i];
		lay_pcap *c = &caps[i];
		double xo = lay_left_margin(st, i);
		if (p->label) {
			lo_run *r = lay_page_run(L, p, c);
			r->font = 0;
			r->size = st->footer_size;
			r->text = p->label;
			r->width = lay_width(L, 0, p->label, strlen(p->label),
					     st->footer_size);
			r->y = st->footer_baseline;
			r->color = st->text_color;
			if (!st->footer_outer || !st->facing_pages)
				r->x = xo + (L->measure - r->width) / 2;
			else if (i % 2 == 0)
				r->x = xo + L->measure - r->width;
			else
				r->x = xo;
		}
		const char *t = p->kind == LO_BODY ? lay_head_text(L, c, i) : NULL;
		if (t) {
			lo_run *r = lay_page_run(L, p, c);
			r->font = 0;
			r->size = st->header_size;
			r->text = t;
			r->width = lay_width(L, 0, t, strlen(t), st->header_size);
			r->x = xo + (L->measure - r->width) / 2;
			r->y = st->page_height - st->header_baseline;
			r->color = st->header_color;
		}
	}
}

/* A filled rectangle on page p. */
static void lay_fill(lay *L, lo_page *p, lay_pcap *c, double x0, double y0,
		     double x1, double y1, paint color)
{
	LAY_PGROW(L, p->fills, p->nfills, c->fills);
	p->fills[p->nfills++] = (lo_fill){x0, y0, x1, y1, color};
}

/* The cover picture over the top of the field, to the bleed. */
static void lay_cover_image(lay *L, lo_doc *lo, lo_page *p, lay_pcap *c)
{
	const doc_meta *m = &L->d->meta;
	double b = lo->bleed, w = L->st->page_width, h = L->st->page_height;
	if (!m->cover_data || !(L->cover_image_depth > 0))
		return;
	LAY_PGROW(L, p->images, p->nimages, c->images);
	lo_image *im = &p->images[p->nimages++];
	im->x0 = -b;
	im->x1 = w + b;
	im->y0 = h - L->cover_image_depth;
	im->y1 = h + b;
	im->data = m->cover_data;
	im->len = m->cover_len;
	im->alt = m->cover_alt;
	im->src = &m->cover_pos;
	im->elem = L->cover_figure;
	im->max_ppi = L->st->image_max_ppi;
}

/* The cover's colour field, from the top edge down (with the picture),
 * and the back cover's band, from the bottom edge up: both run into the
 * bleed. */
static void lay_fields(lay *L, lo_doc *lo, lay_pcap *caps)
{
	const style *st = L->st;
	double b = lo->bleed, w = st->page_width, h = st->page_height;
	for (size_t i = 0; i < lo->npages; i++) {
		lo_page *p = &lo->pages[i];
		int first_cover = p->kind == LO_COVER &&
				  (i == 0 || lo->pages[i - 1].kind != LO_COVER);
		if (first_cover && st->cover_field_height > 0)
			lay_fill(L, p, &caps[i], -b, h - st->cover_field_height,
				 w + b, h + b, st->cover_field_color);
		if (first_cover)
			lay_cover_image(L, lo, p, &caps[i]);
		if (p->kind == LO_BACK && st->back_field_height > 0 &&
		    i + 1 == lo->npages)
			lay_fill(L, p, &caps[i], -b, -b, w + b,
				 st->back_field_height, st->back_field_color);
	}
}

/* The notes page: its title, and rules a line's writing apart down to
 * the foot of the text block. */
static void lay_notes(lay *L, lo_doc *lo, lay_pcap *caps, int at)
{
	const style *st = L->st;
	if (at < 0 || (size_t)at >= lo->npages)
		return;
	lo_page *p = &lo->pages[at];
	lay_pcap *c = &caps[at];
	double xo = lay_left_margin(st, (size_t)at);
	double top = st->page_height - st->margin_top;
	int hf = lay_font(L, 2, 1);
	lo_run *r = lay_page_run(L, p, c);
	r->font = hf;
	r->size = st->part.size;
	r->text = st->notes_title;
	r->width = lay_width(L, hf, r->text, strlen(r->text), r->size);
	r->x = xo;
	r->y = top - lay_ascent(L, r->size);
	r->color = st->heading_color;
	double y = r->y - st->part.below.len - st->notes_rule_gap;
	double foot = top - L->foot;
	for (; y >= foot - 0.01; y -= st->notes_rule_gap) {
		LAY_PGROW(L, p->rules, p->nrules, c->rules);
		lo_rule *ru = &p->rules[p->nrules++];
		ru->x0 = xo;
		ru->x1 = xo + L->measure;
		ru->y0 = ru->y1 = y;
		ru->width = st->notes_rule_width;
		ru->color = st->notes_rule_color;
	}
}

/* Every page's kind and printed number (roman in the contents, arabic
 * from 1 in the body, the notes page numbered on). */
static void lay_page_kinds(lay *L, lo_doc *lo, const lay_book *b)
{
	const lay_range *front = &b->r[LAY_CONTENTS], *body = &b->r[LAY_BODY];
	const lay_range *back = &b->r[LAY_BACK];
	for (int i = 0; i < b->npages; i++) {
		lo_page *p = &lo->pages[i];
		if (i < front->base)
			p->kind = LO_COVER;
		else if (i < body->base)
			p->kind = LO_FRONT;
		else if (i < body->base + body->npages)
			p->kind = LO_BODY;
		else if (i == b->notes)
			p->kind = LO_NOTES;
		else if (i < back->base)
			p->kind = LO_BLANK;
		else
			p->kind = LO_BACK;
		if (p->kind == LO_FRONT)
			p->label = lay_roman(L->a, i - front->base + 1);
		else if (p->kind == LO_BODY || p->kind == LO_NOTES)
			p->label = arena_printf(L->a, "%d", i - body->base + 1);
	}
}

/* Size every page's arrays exactly: its lines' runs, links and quote
 * rules, a folio and a running head. Each kind of array is one arena
 * allocation, sliced page by page (a long booklet has thousands of pages;
 * an allocation per page would leave the ends of arena blocks unused). */
static void lay_size_pages(lay *L, lo_doc *lo, lay_pcap *caps, size_t nlines)
{
	size_t runs = 0, links = 0, rules = 0;
	for (size_t i = 0; i < lo->npages; i++) {
		caps[i].part = -1;
		caps[i].runs = 3;   /* folio, running head, notes title */
		if (lo->pages[i].kind == LO_NOTES && L->st->notes_rule_gap > 0)
			caps[i].rules = (size_t)(L->foot / L->st->notes_rule_gap) + 1;
	}
	for (size_t i = 0; i < nlines; i++) {
		lay_pcap *c = &caps[L->lines[i].page];
		c->runs += L->lines[i].nruns;
		c->links += L->lines[i].nlinks;
		c->rules += L->lines[i].quote != 0;
	}
	for (size_t i = 0; i < lo->npages; i++) {
		runs += caps[i].runs;
		links += caps[i].links;
		rules += caps[i].rules;
	}
	lo_run *r = arena_alloc(L->a, runs * sizeof *r);
	lo_link *k = links ? arena_alloc(L->a, links * sizeof *k) : NULL;
	lo_rule *u = rules ? arena_alloc(L->a, rules * sizeof *u) : NULL;
	for (size_t i = 0; i < lo->npages; i++) {
		lo_page *p = &lo->pages[i];
		const lay_pcap *c = &caps[i];
		p->runs = r;
		r += c->runs;
		if (c->links) {
			p->links = k;
			k += c->links;
		}
		if (c->rules) {
			p->rules = u;
			u += c->rules;
		}
	}
}

/* PDF page labels: none on the cover, roman for the contents, arabic for
 * the body and the notes page, none after them. */
static void lay_labels(lay *L, lo_doc *lo, const lay_book *b)
{
	const lay_range *front = &b->r[LAY_CONTENTS], *body = &b->r[LAY_BODY];
	int end = body->base + body->npages + (b->notes >= 0);
	lo->nlabels = 0;
	lo->labels = arena_alloc(L->a, 4 * sizeof *lo->labels);
	if (front->base > 0)
		lo->labels[lo->nlabels++] = (lo_label_range){0, 0, 0};
	if (front->npages)
		lo->labels[lo->nlabels++] =
			(lo_label_range){front->base, 'r', 1};
	lo->labels[lo->nlabels++] = (lo_label_range){body->base, 'D', 1};
	if (end < b->npages)
		lo->labels[lo->nlabels++] = (lo_label_range){end, 0, 0};
}

/* The outline: the contents page, then every heading that was placed. */
static void lay_outline(lay *L, lo_doc *lo, const lay_book *b)
{
	const style *st = L->st;
	const lay_range *front = &b->r[LAY_CONTENTS];
	lo->outline = arena_alloc(L->a, (L->ntoc + 1) * sizeof *lo->outline);
	if (front->npages) {
		lo_outline *o = &lo->outline[lo->noutline++];
		o->level = 1;
		o->title = st->contents_title;
		o->page = front->base;
		o->y = st->page_height - st->margin_top;
	}
	for (size_t i = 0; i < L->ntoc; i++) {
		const lay_anchor *an = &L->anchors[L->toc[i].anchor];
		if (an->page < 0)
			continue;
		lo_outline *o = &lo->outline[lo->noutline++];
		o->level = L->toc[i].level;
		o->title = lay_strip_shy(L->a, L->toc[i].title);
		o->page = an->page;
		o->y = an->y;
	}
}

/* The laid-out book in the arena: the ranges' lines on their pages (after
 * lay_plan_book), folios and running heads, the colour fields, the notes
 * page, labels and outline. */
lo_doc *lay_make_pages(lay *L, const lay_book *b)
{
	const style *st = L->st;
	lo_doc *lo = arena_alloc(L->a, sizeof *lo);
	lo->width = st->page_width;
	lo->height = st->page_height;
	lo->bleed = st->field_bleed;
	lo->print_link_color = st->print_link_color;
	lo->fonts = arena_alloc(L->a, L->nfonts * sizeof *lo->fonts);
	for (size_t i = 0; i < L->nfonts; i++)
		lo->fonts[i] = L->font_paths[i];
	lo->nfonts = L->nfonts;
	lo->npages = (size_t)b->npages;
	lo->pages = arena_alloc(L->a, lo->npages * sizeof *lo->pages);
	lay_pcap *caps = arena_alloc(L->a, lo->npages * sizeof *caps);
	lay_page_kinds(L, lo, b);
	lay_size_pages(L, lo, caps, b->r[LAY_BACK].end);
	if (L->book_title)
		L->book_title = lay_fit_head(L, L->book_title);
	for (int k = 0; k < L->nparts; k++)
		if (L->part_titles[k])
			L->part_titles[k] = lay_fit_head(L, L->part_titles[k]);
	static const int order[LAY_NRANGES] = {
		LAY_CONTENTS, LAY_COVER, LAY_BODY, LAY_BACK
	};
	for (int k = 0; k < LAY_NRANGES; k++)
		lay_emit(L, lo, caps, b->r[order[k]].first, b->r[order[k]].end);
	lay_furniture(L, lo, caps);
	lay_fields(L, lo, caps);
	lay_notes(L, lo, caps, b->notes);
	lay_labels(L, lo, b);
	lay_outline(L, lo, b);
	lay_structs_copy(L, lo);
	lo->overfull = L->overfull;
	return lo;
}
