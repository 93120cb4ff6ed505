/* matter.c - the pages around the body: the cover (title, standfirst,
 * authors, publisher), the contents (set after the body is paginated, so
 * it shows page numbers; each entry a link) and the back cover
 * (publisher, support line, review date, at the foot of the page). */
#include "typeset/lay.h"

#include <math.h>
#include <string.h>

#include "doc/cite.h"

enum { LAY_TOC_LEVELS = 6 };   /* contents levels nested as TOCs */

/* A one-off paragraph of plain text (cover, contents, back cover). */
static size_t lay_simple(lay *L, const char *text, const doc_pos *at,
			 int font, double size, double leading, paint color,
			 double left, double width, int align, double hang)
{
	L->src = at;
	lay_look base = {0};
	base.font = font;
	base.size = size;
	base.color = color;
	lay_text(L, &base, text, 0, 0);
	lay_fmt f = {0};
	f.left = left;
	f.width = width;
	f.rest = hang;
	f.align = align;
	f.size = size;
	f.leading = leading;
	return lay_para_finish(L, &f);
}

static const char *lay_authors(lay *L)
{
	const doc_meta *m = &L->d->meta;
	return cite_author_list(L->a, m->authors, m->nauthors);
}

/* Cover: title, standfirst, authors, publisher. */
void lay_cover(lay *L)
{
	const style *st = L->st;
	const doc_meta *m = &L->d->meta;
	int hf = lay_font(L, 2, 1);
	L->force_next = 1;
	L->keep_next = 0;
	L->part = -1;
	L->pending = st->cover_top;
	size_t first = L->nlines;
	int sect = lay_elem(L, LO_SECT, LO_DOCUMENT);
	L->elem = lay_elem_heading(L, 1, sect);
	lay_simple(L, m->title ? m->title : "", NULL, hf, st->cover_title_size,
		   st->cover_title_leading, st->heading_color, 0, L->measure,
		   LAY_LEFT, 0);
	if (m->standfirst) {
		L->pending = st->cover_gap;
		L->elem = lay_elem(L, LO_P, sect);
		lay_inline(L, m->standfirst, 1, 0, st->cover_standfirst_size,
			   st->text_color, 0);
		lay_fmt f = {0};
		f.width = L->measure;
		f.align = LAY_LEFT;
		f.size = st->cover_standfirst_size;
		f.leading = st->cover_standfirst_leading;
		f.src = m->standfirst;
		lay_para_finish(L, &f);
	}
	L->pending = st->cover_gap;
	L->elem = lay_elem(L, LO_P, sect);
	lay_simple(L, lay_authors(L),
		   m->nauthors ? &m->authors[0].pos : NULL, 2, st->cover_author_size,
		   st->cover_standfirst_leading, st->text_color, 0, L->measure,
		   LAY_LEFT, 0);
	if (m->publisher) {
		L->pending = st->cover_gap;
		L->elem = lay_elem(L, LO_P, sect);
		lay_simple(L, m->publisher, NULL, hf, st->cover_author_size,
			   st->cover_standfirst_leading, st->heading_color, 0,
			   L->measure, LAY_LEFT, 0);
	}
	if (first < L->nlines)
		L->lines[first].fixed = 1;
	for (size_t i = first + 1; i < L->nlines; i++)
		L->lines[i].keep = 1;
}

/* The first tel: link in the further-information part, or NULL. */
static const doc_node *lay_support_link(lay *L)
{
	for (doc_node *p = L->d->parts_first; p; p = p->next) {
		if (p->kind != PART_FURTHER)
			continue;
		int entering = 1;
		for (doc_node *c = doc_walk(p, NULL, &entering); c;
		     c = doc_walk(p, c, &entering))
			if (entering && c->type == DOC_LINK && c->text &&
			    !strncmp(c->text, "tel:", 4))
				return c;
	}
	return NULL;
}

/* Back cover: publisher, support line, review date, at the foot. */
void lay_back(lay *L)
{
	const style *st = L->st;
	const doc_meta *m = &L->d->meta;
	L->force_next = 1;
	L->keep_next = 0;
	L->part = -1;
	L->pending = 0;
	size_t first = L->nlines;
	int sect = lay_elem(L, LO_SECT, LO_DOCUMENT);
	L->elem = lay_elem(L, LO_P, sect);
	if (m->publisher)
		lay_simple(L, m->publisher, NULL, lay_font(L, 2, 1), st->back_size,
			   st->back_leading, st->heading_color, 0, L->measure,
			   LAY_LEFT, 0);
	const doc_node *tel = lay_support_link(L);
	L->elem = lay_elem(L, LO_P, sect);
	if (tel)
		lay_simple(L, arena_printf(L->a, "%s %s", st->back_support_label,
					   doc_plain_text(L->a, tel)),
			   &tel->pos, 0, st->back_size, st->back_leading,
			   st->text_color, 0, L->measure, LAY_LEFT, 0);
	const char *rev = m->reviewed ? cite_format_date(L->a, m->reviewed) : NULL;
	L->elem = lay_elem(L, LO_P, sect);
	if (rev)
		lay_simple(L, arena_printf(L->a, "%s %s", st->back_reviewed_label,
					   rev),
			   &m->reviewed_pos, 0, st->back_size, st->back_leading,
			   st->text_color, 0, L->measure, LAY_LEFT, 0);
	/* set at the foot of the page */
	if (first < L->nlines) {
		const lay_vline *e = &L->lines[L->nlines - 1];
		double h = L->lines[first].ascent - e->descent;
		for (size_t i = first + 1; i < L->nlines; i++)
			h += L->lines[i].space_before + L->lines[i].leading;
		L->lines[first].fixed = 1;
		L->lines[first].space_before =
			h < L->text_height ? L->text_height - h : 0;
	}
	for (size_t i = first + 1; i < L->nlines; i++)
		L->lines[i].keep = 1;
}

/* Dot leaders from end to the number (of width numw) on contents line
 * v, on a grid of ". " steps so that they line up down the page. */
static void lay_leaders(lay *L, lay_vline *v, double end, double numw)
{
	const style *st = L->st;
	double step = lay_width(L, 0, ". ", 2, st->contents_size);
	double dot = lay_width(L, 0, ".", 1, st->contents_size);
	if (!(step > 0))
		return;
	double x = ceil((end + step) / step) * step;
	buf b = {0};
	size_t nd = 0;
	while (x + nd * step + dot <= L->measure - numw - step) {
		buf_puts(&b, nd ? " ." : ".");
		nd++;
	}
	if (nd) {
		lay_run *r = lay_new_run(L, 0, st->contents_size,
					 st->text_color);
		r->x = x;
		r->text = lay_run_text(L, b.data, b.len);
		r->width = lay_width(L, 0, r->text, b.len, st->contents_size);
		v->nruns++;
	}
	buf_free(&b);
}

/* The page number ending the contents entry for t (lines [first,
 * nlines), indented by ind), after its leaders, and a link (target tg)
 * over the whole entry to its heading. */
static void lay_contents_number(lay *L, const lay_toc *t, size_t first,
				double ind, int tg)
{
	const style *st = L->st;
	const lay_anchor *an = &L->anchors[t->anchor];
	if (an->line == SIZE_MAX)
		return;
	lay_vline *v = &L->lines[L->nlines - 1];
	const char *num = arena_printf(L->a, "%d", L->lines[an->line].page + 1);
	double end = ind;
	if (v->nruns) {
		const lay_run *lr = &L->runs[v->run0 + v->nruns - 1];
		end = lr->x + lr->width;
	}
	double numw = lay_width(L, 0, num, strlen(num), st->contents_size);
	lay_leaders(L, v, end, numw);
	lay_run *r = lay_new_run(L, 0, st->contents_size, st->text_color);
	r->x = L->measure - numw;
	r->width = numw;
	r->text = num;
	r->elem = (uint32_t)L->targets[tg - 1].elem;
	v->nruns++;
	LAY_GROW(L, L->rlinks, L->nrlinks, L->caprlinks);
	lay_rlink *lk = &L->rlinks[L->nrlinks++];
	lk->x0 = ind;
	lk->x1 = L->measure;
	lk->dy0 = v->descent;
	lk->dy1 = v->ascent + (double)(L->nlines - 1 - first) *
				      st->contents_leading;
	lk->target = tg - 1;
	v->nlinks++;
}

/* The structure of contents entry t: a TOCI in the TOC of its level
 * (made in the entry above it when it is the first of its level there),
 * holding a Reference with a Link to the heading, which the entry's text
 * and number belong to (L->elem). Returns the link's target. */
static int lay_toc_entry(lay *L, int *toc, int *item, const lay_toc *t)
{
	int l = t->level < 1 ? 1 : t->level > LAY_TOC_LEVELS ? LAY_TOC_LEVELS
							     : t->level;
	for (int k = 2; k <= l; k++)
		if (toc[k] < 0)
			toc[k] = lay_elem(L, LO_TOC, item[k - 1] >= 0 ?
					  item[k - 1] : toc[k - 1]);
	for (int k = l + 1; k <= LAY_TOC_LEVELS; k++)
		toc[k] = item[k] = -1;
	item[l] = lay_elem(L, LO_TOCI, toc[l]);
	L->elem = lay_elem(L, LO_REFERENCE, item[l]);
	int tg = lay_add_target(L, NULL, t->anchor);
	L->targets[tg - 1].title = lay_strip_shy(L->a, t->title);
	L->elem = L->targets[tg - 1].elem;
	return tg;
}

/* The contents: every toc entry with dot leaders and its body page number
 * (pages counted from 1 at the first body page), each a link. The number
 * does not change the length of the contents. */
void lay_contents(lay *L)
{
	const style *st = L->st;
	const style_heading *hs = &st->part;
	L->force_next = 1;
	L->keep_next = 0;
	L->part = -1;
	L->pending = 0;
	int sect = lay_elem(L, LO_SECT, LO_DOCUMENT);
	L->elem = lay_elem_heading(L, 1, sect);
	lay_simple(L, st->contents_title, &L->style_pos, lay_font(L, 2, 1), hs->size,
		   hs->leading, st->heading_color, 0, L->measure, LAY_LEFT, 0);
	L->pending = hs->below;
	/* a TOC per level, each in the entry above it: toc[l] and item[l] */
	int toc[LAY_TOC_LEVELS + 1], item[LAY_TOC_LEVELS + 1];
	for (int l = 1; l <= LAY_TOC_LEVELS; l++)
		toc[l] = item[l] = -1;
	toc[1] = lay_elem(L, LO_TOC, sect);
	for (size_t k = 0; k < L->ntoc; k++) {
		const lay_toc *t = &L->toc[k];
		double ind = (t->level - 1) * st->contents_indent;
		if (t->level == 1 && k)
			L->pending = lay_max(L->pending, st->contents_part_above);
		int font = t->level == 1 ? 2 : 0;
		/* room for at least two leader dots before the number */
		double w = L->measure - ind - st->contents_number_width -
			   2 * lay_width(L, 0, ". ", 2, st->contents_size);
		int tg = lay_toc_entry(L, toc, item, t);
		size_t first = lay_simple(L, t->title, t->pos, font, st->contents_size,
					  st->contents_leading, st->text_color,
					  ind, w, LAY_LEFT, st->contents_indent);
		if (first == SIZE_MAX)
			continue;
		for (size_t i = first + 1; i < L->nlines; i++)
			L->lines[i].keep = 1;
		lay_contents_number(L, t, first, ind, tg);
	}
}
