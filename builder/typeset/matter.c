/* matter.c - the text around the body: the designed cover (the title in
 * a colour field that runs to the bleed, the standfirst below it, the
 * publisher's mark at the foot), or instead a compact title block opening
 * the first page (a handout); the contents (entries set before the body
 * is paginated, their page numbers filled in after); the back cover
 * (publisher, support line, review date in a band at the foot), or
 * instead a colophon closing the last page. Sizes and colours come from
 * the style; the fields themselves are drawn by pages.c. */
#include "typeset/lay.h"

#include <math.h>
#include <string.h>

#include "doc/cite.h"

enum { LAY_TOC_LEVELS = 6 };   /* contents levels nested as TOCs */

/* A one-off paragraph of plain text (cover, contents, back cover, the
 * link notes' heading), left aligned ones balanced. Returns its first
 * line or SIZE_MAX. */
size_t lay_simple(lay *L, const char *text, const doc_pos *at, int font,
		  double size, double leading, paint color, double left,
		  double width, int align, double hang)
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
	return lay_finish(L, &f, align == LAY_LEFT);
}

const char *lay_authors(lay *L)
{
	const doc_meta *m = &L->d->meta;
	return cite_author_list(L->a, m->authors, m->nauthors);
}

/* 1 when the standfirst names every author (by family name, or the
 * literal name of an organisation): an author line under it would say
 * the same again. */
int lay_standfirst_names_authors(lay *L)
{
	const doc_meta *m = &L->d->meta;
	if (!m->standfirst || !m->nauthors)
		return 0;
	const char *sf = doc_plain_text(L->a, m->standfirst);
	for (size_t i = 0; i < m->nauthors; i++) {
		const doc_name *n = &m->authors[i];
		const char *name = n->literal ? n->literal : n->family;
		if (!name || !*name || !strstr(sf, name))
			return 0;
	}
	return 1;
}

/* The height from the first baseline of lines [a, b) to the last. */
static double lay_block_depth(const lay *L, size_t a, size_t b)
{
	double h = 0;
	for (size_t i = a + 1; i < b; i++)
		h += L->lines[i].space_before + L->lines[i].leading;
	return h;
}

/* Move line i (not a page's first) so that its baseline lands at y
 * below the text block's top, the line before it being at prev_y; never
 * closer than its own space. Returns where it lands. */
static double lay_place(lay *L, size_t i, double prev_y, double y)
{
	lay_vline *v = &L->lines[i];
	double at = prev_y + v->space_before + v->leading;
	if (y > at)
		v->space_before += y - at;
	return lay_max(at, y);
}

/* The standfirst, in the face and colour given (a paragraph of element
 * sect). Returns its first line or SIZE_MAX. */
static size_t lay_standfirst(lay *L, double size, double leading,
			     paint color, int sect)
{
	const doc_meta *m = &L->d->meta;
	if (!m->standfirst)
		return SIZE_MAX;
	L->elem = lay_elem(L, LO_P, sect);
	lay_inline(L, m->standfirst, 1, 0, size, color, 0);
	lay_fmt f = {0};
	f.width = L->measure;
	f.align = LAY_LEFT;
	f.size = size;
	f.leading = leading;
	f.src = m->standfirst;
	return lay_finish(L, &f, 1);
}

/* The cover: the title at the foot of the colour field (which runs from
 * the top edge down cover-field-height; the booklet's picture, if it has
 * one, fills the field above the title), the standfirst below the field,
 * the authors if the standfirst does not name them, the publisher's mark
 * at the foot of the page. */
void lay_cover(lay *L)
{
	const style *st = L->st;
	const doc_meta *m = &L->d->meta;
	int hf = lay_font(L, 2, 1);
	double field = st->cover_field_height - st->margin_top;
	L->force_next = 1;
	L->keep_next = 0;
	L->part = -1;
	L->pending = 0;
	size_t first = L->nlines;
	int sect = lay_elem(L, LO_SECT, LO_DOCUMENT);
	if (m->cover_data) {
		L->cover_figure = lay_elem(L, LO_FIGURE, sect);
		L->structs[L->cover_figure].alt = m->cover_alt;
	}
	L->elem = lay_elem_heading(L, 1, sect);
	lay_simple(L, m->title ? m->title : "", NULL, hf, st->cover_title_size,
		   st->cover_title_leading, st->cover_title_color, 0,
		   L->measure, LAY_LEFT, 0);
	if (first == L->nlines)
		return;
	size_t title_end = L->nlines;
	lay_vline *t = &L->lines[first];
	t->fixed = 1;
	double depth = lay_block_depth(L, first, title_end);
	double y0 = field - st->cover_field_pad - depth;
	t->space_before = lay_max(0, y0 - t->ascent);
	double y = lay_max(t->ascent, y0) + depth;
	/* the picture fills the field above the title */
	if (m->cover_data)
		L->cover_image_depth = lay_max(0, st->margin_top +
					       t->space_before -
					       st->cover_field_pad);
	size_t sf = lay_standfirst(L, st->cover_standfirst_size,
				   st->cover_standfirst_leading,
				   st->cover_standfirst_color, sect);
	if (sf != SIZE_MAX) {
		y = lay_place(L, sf, y, field + st->cover_gap +
			      L->lines[sf].ascent);
		y += lay_block_depth(L, sf, L->nlines);
	}
	if (!lay_standfirst_names_authors(L) && m->nauthors) {
		L->pending = st->cover_gap;
		L->elem = lay_elem(L, LO_P, sect);
		size_t au = lay_simple(L, lay_authors(L), &m->authors[0].pos, 2,
				       st->cover_author_size,
				       st->cover_standfirst_leading,
				       st->cover_standfirst_color, 0,
				       L->measure, LAY_LEFT, 0);
		if (au != SIZE_MAX)
			y += L->lines[au].space_before + L->lines[au].leading +
			     lay_block_depth(L, au, L->nlines);
	}
	if (m->publisher) {
		L->pending = st->cover_gap;
		L->elem = lay_elem(L, LO_P, sect);
		size_t pm = lay_simple(L, m->publisher, NULL, hf,
				       st->cover_mark_size,
				       st->cover_standfirst_leading,
				       st->heading_color, 0, L->measure,
				       LAY_LEFT, 0);
		/* its descender on the text block's foot */
		if (pm != SIZE_MAX)
			lay_place(L, pm, y, L->foot -
				  lay_descent(L, st->body_size) +
				  L->lines[pm].descent);
	}
	for (size_t i = first + 1; i < L->nlines; i++)
		L->lines[i].keep = 1;
}

/* A handout's title block opening its first page: title, standfirst,
 * the authors unless the standfirst names them; the text follows. */
void lay_title_block(lay *L)
{
	const style *st = L->st;
	const doc_meta *m = &L->d->meta;
	L->force_next = 0;
	L->keep_next = 0;
	L->part = -1;
	L->pending = st->cover_top;
	size_t first = L->nlines;
	int sect = lay_elem(L, LO_SECT, LO_DOCUMENT);
	L->elem = lay_elem_heading(L, 1, sect);
	lay_simple(L, m->title ? m->title : "", NULL, lay_font(L, 2, 1),
		   st->cover_title_size, st->cover_title_leading,
		   st->heading_color, 0, L->measure, LAY_LEFT, 0);
	if (first < L->nlines)
		L->lines[first].fixed = 1;
	L->pending = st->cover_gap;
	lay_standfirst(L, st->cover_standfirst_size,
		       st->cover_standfirst_leading, st->text_color, sect);
	if (!lay_standfirst_names_authors(L) && m->nauthors) {
		L->pending = st->cover_gap / 2;
		L->elem = lay_elem(L, LO_P, sect);
		lay_simple(L, lay_authors(L), &m->authors[0].pos, 2,
			   st->cover_author_size, st->cover_standfirst_leading,
			   st->text_color, 0, L->measure, LAY_LEFT, 0);
	}
	for (size_t i = first + 1; i < L->nlines; i++)
		L->lines[i].keep = 1;
	/* the text starts on this page */
	L->keep_next = 2;
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

/* The support line and the review date, in colour c, paragraphs of
 * element sect. */
static void lay_support_lines(lay *L, paint c, int sect)
{
	const style *st = L->st;
	const doc_meta *m = &L->d->meta;
	const doc_node *tel = lay_support_link(L);
	L->elem = lay_elem(L, LO_P, sect);
	if (tel)
		lay_simple(L, arena_printf(L->a, "%s %s", st->back_support_label,
					   doc_plain_text(L->a, tel)),
			   &tel->pos, 0, st->back_size, st->back_leading, c, 0,
			   L->measure, LAY_LEFT, 0);
	const char *rev = m->reviewed ? cite_format_date(L->a, m->reviewed) : NULL;
	L->elem = lay_elem(L, LO_P, sect);
	if (rev)
		lay_simple(L, arena_printf(L->a, "%s %s", st->back_reviewed_label,
					   rev),
			   &m->reviewed_pos, 0, st->back_size, st->back_leading,
			   c, 0, L->measure, LAY_LEFT, 0);
}

/* Back cover: the publisher's mark, support line and review date at the
 * foot, inside the band pages.c draws. */
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
		lay_simple(L, m->publisher, NULL, lay_font(L, 2, 1),
			   st->cover_mark_size, st->cover_standfirst_leading,
			   st->back_text_color, 0, L->measure, LAY_LEFT, 0);
	L->pending = st->back_leading - st->back_size;
	lay_support_lines(L, st->back_text_color, sect);
	if (first >= L->nlines)
		return;
	/* set at the foot of the page */
	lay_vline *v = &L->lines[first];
	double depth = lay_block_depth(L, first, L->nlines);
	v->fixed = 1;
	v->space_before = lay_max(0, L->foot - depth - v->ascent);
	for (size_t i = first + 1; i < L->nlines; i++)
		L->lines[i].keep = 1;
}

/* Without a back cover: the support line and review date close the
 * text, set at the foot of its last page. */
void lay_colophon(lay *L)
{
	size_t first = L->nlines;
	L->part = -1;
	L->pending = L->st->part.above.len;
	L->keep_next = 0;
	lay_support_lines(L, L->st->text_color,
			  lay_elem(L, LO_SECT, LO_DOCUMENT));
	for (size_t i = first; i < L->nlines; i++) {
		L->lines[i].bottom = 1;
		L->lines[i].keep = i > first;
	}
}

/* Dot leaders from end to the number (of width numw) on a contents line,
 * into run r, on a grid of ". " steps so that they line up down the
 * page. */
static void lay_leaders(lay *L, lay_run *r, double end, double numw)
{
	const style *st = L->st;
	double step = lay_width(L, 0, ". ", 2, st->contents_size);
	double dot = lay_width(L, 0, ".", 1, st->contents_size);
	r->text = "";
	r->width = 0;
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
		r->x = x;
		r->text = lay_run_text(L, b.data, b.len);
		r->width = lay_width(L, 0, r->text, b.len, st->contents_size);
	}
	buf_free(&b);
}

/* The contents entry for t (lines [first, nlines), indented by ind) ends
 * in two runs filled in once the body has pages (lay_contents_numbers):
 * the leaders (decoration) and the page number (part of the entry's
 * link); a link (target tg) covers the whole entry. */
static void lay_contents_slots(lay *L, lay_toc *t, size_t first, double ind,
			       int tg)
{
	const style *st = L->st;
	lay_vline *v = &L->lines[L->nlines - 1];
	t->line = L->nlines - 1;
	t->run = L->nruns;
	for (int k = 0; k < 2; k++) {
		lay_run *r = lay_new_run(L, 0, st->contents_size, st->text_color);
		r->text = "";
		r->elem = k ? (uint32_t)L->targets[tg - 1].elem : LO_ARTIFACT;
		v->nruns++;
	}
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

/* The page numbers of the contents (pages counted from 1 at the body's
 * first page, book index body_base), after their leaders. */
void lay_contents_numbers(lay *L, int body_base)
{
	const style *st = L->st;
	for (size_t k = 0; k < L->ntoc; k++) {
		const lay_toc *t = &L->toc[k];
		const lay_anchor *an = &L->anchors[t->anchor];
		if (t->line == SIZE_MAX || an->line == SIZE_MAX)
			continue;
		const lay_vline *v = &L->lines[t->line];
		const char *num = arena_printf(L->a, "%d",
			L->lines[an->line].page - body_base + 1);
		double numw = lay_width(L, 0, num, strlen(num), st->contents_size);
		double end = 0;
		for (size_t i = v->run0; i < t->run; i++)
			end = lay_max(end, L->runs[i].x + L->runs[i].width);
		lay_leaders(L, &L->runs[t->run], end, numw);
		lay_run *r = &L->runs[t->run + 1];
		r->x = L->measure - numw;
		r->width = numw;
		r->text = num;
	}
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

/* The contents: every toc entry, balanced, with room for leaders and its
 * page number (filled in later), each a link. */
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
	lay_space(L, hs->below);
	/* a TOC per level, each in the entry above it: toc[l] and item[l] */
	int toc[LAY_TOC_LEVELS + 1], item[LAY_TOC_LEVELS + 1];
	for (int l = 1; l <= LAY_TOC_LEVELS; l++)
		toc[l] = item[l] = -1;
	toc[1] = lay_elem(L, LO_TOC, sect);
	for (size_t k = 0; k < L->ntoc; k++) {
		lay_toc *t = &L->toc[k];
		double ind = (t->level - 1) * st->contents_indent;
		if (t->level == 1 && k)
			lay_space(L, st->contents_part_above);
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
		lay_contents_slots(L, t, first, ind, tg);
		/* an entry over entries of its own goes with the first */
		if (k + 1 < L->ntoc && L->toc[k + 1].level > t->level)
			L->keep_next = 1;
	}
}
