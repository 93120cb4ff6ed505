/* blocks.c - the body as a vertical list: parts and sections with their
 * headings (kept with what follows, anchored, listed in the contents),
 * paragraphs, lists (numbers or bullets hung in the margin, short items
 * kept whole), experiences (indented, ruled, kept whole if they fit) and
 * the bibliography (hanging indents, each entry an anchor). */
#include "typeset/lay.h"

#include <stdio.h>
#include <string.h>

#include "doc/cite.h"

/* Keep lines [first, nlines) on one page if they fit on one. */
static void lay_keep_block(lay *L, size_t first, int limit_lines)
{
	if (first == SIZE_MAX || first >= L->nlines)
		return;
	if (limit_lines > 0 && L->nlines - first > (size_t)limit_lines)
		return;
	double h = L->lines[first].ascent - L->lines[first].descent;
	for (size_t i = first + 1; i < L->nlines; i++)
		h += L->lines[i].space_before + L->lines[i].leading;
	if (h > L->text_height)
		return;
	for (size_t i = first + 1; i < L->nlines; i++)
		L->lines[i].keep = 1;
}

int lay_new_anchor(lay *L)
{
	LAY_GROW(L, L->anchors, L->nanchors, L->capanchors);
	lay_anchor *an = &L->anchors[L->nanchors];
	an->line = SIZE_MAX;
	an->page = -1;
	an->y = 0;
	return (int)L->nanchors++;
}

/* Nesting context: block offset and width. */
typedef struct lay_ctx {
	double left, width;
	int ordered, count;
	size_t item_first;
} lay_ctx;

static const style_heading *lay_heading_style(const style *st, int level)
{
	return level == 0 ? &st->part : level == 1 ? &st->h1 : &st->h2;
}

/* A part (level 0) or section heading: kept together and with the next
 * lines, an anchor and a contents entry. */
static void lay_heading(lay *L, doc_node *owner, int level, const lay_ctx *cx)
{
	doc_node *h = doc_heading(owner);
	if (!h)
		return;
	const style_heading *hs = lay_heading_style(L->st, level);
	L->pending = lay_max(L->pending, hs->above);
	lay_inline(L, h, 2, 1, hs->size, L->st->heading_color, 0);
	lay_fmt f = {0};
	f.left = cx->left;
	f.width = cx->width;
	f.align = LAY_LEFT;
	f.size = hs->size;
	f.leading = hs->leading;
	f.src = h;
	L->keep_next = 0;
	size_t first = lay_para_finish(L, &f);
	if (first != SIZE_MAX) {
		for (size_t i = first + 1; i < L->nlines; i++)
			L->lines[i].keep = 1;
		int an = lay_new_anchor(L);
		L->anchors[an].line = first;
		LAY_GROW(L, L->toc, L->ntoc, L->captoc);
		lay_toc *t = &L->toc[L->ntoc++];
		t->level = level + 1;
		t->title = doc_plain_text(L->a, h);
		t->anchor = an;
		t->pos = &h->pos;
	}
	L->pending = hs->below;
	L->keep_next = L->st->heading_keep_lines;
	L->prev_para = 0;
}

static void lay_para(lay *L, doc_node *p, const lay_ctx *cx, const char *marker,
		     int marker_elem)
{
	const style *st = L->st;
	int quote = L->quote != 0;
	double size = quote ? st->quote_size : st->body_size;
	paint color = quote ? st->quote_color : st->text_color;
	lay_fmt f = {0};
	f.left = cx->left;
	f.width = cx->width;
	f.align = LAY_JUSTIFY;
	f.hyphenate = 1;
	f.size = size;
	f.leading = quote ? st->quote_leading : st->body_leading;
	f.src = p;
	f.marker = marker;
	f.marker_elem = marker_elem;
	f.marker_font = 0;
	f.marker_color = color;
	if (L->prev_para) {
		f.first = st->para_indent;
		L->pending = lay_max(L->pending, st->para_space);
	}
	lay_inline(L, p, 0, 0, size, color, 1);
	lay_para_finish(L, &f);
	L->prev_para = 1;
}

/* The reference list: hanging indents, each entry an anchor, URLs as
 * links that break only after '/', '.' and '-'. */
static void lay_bibliography(lay *L, const lay_ctx *cx, int cont)
{
	const doc *d = L->d;
	const style *st = L->st;
	/* a list of entries, each LI > LBody > BibEntry */
	int list = lay_elem(L, LO_L, cont);
	for (size_t i = 0; i < d->nrefs; i++) {
		const doc_ref *r = d->refs_sorted ? d->refs_sorted[i] : &d->refs[i];
		cite_seg *segs = NULL;
		size_t ns = cite_format_entry(L->a, r, &segs);
		L->src = &r->pos;
		L->elem = lay_elem(L, LO_BIBENTRY, lay_elem(L, LO_LBODY,
					lay_elem(L, LO_LI, list)));
		for (size_t k = 0; k < ns; k++) {
			lay_look base = {0};
			base.font = segs[k].italic ? 1 : 0;
			base.size = st->bib_size;
			base.color = st->text_color;
			if (segs[k].href) {
				base.link = lay_add_target(L, segs[k].href, -1);
				L->targets[base.link - 1].title = segs[k].text;
				base.color = st->link_color;
			}
			const char *t = segs[k].text ? segs[k].text : "";
			/* a segment boundary is not a space unless the text says */
			lay_text(L, &base, t, segs[k].href != NULL,
				 !segs[k].href && !st->bib_ragged);
		}
		lay_fmt f = {0};
		f.left = cx->left;
		f.width = cx->width;
		f.rest = st->bib_indent;
		f.align = st->bib_ragged ? LAY_RAGGED : LAY_JUSTIFY;
		f.hyphenate = !st->bib_ragged;
		f.size = st->bib_size;
		f.leading = st->bib_leading;
		f.ref = r;
		if (i)
			L->pending = lay_max(L->pending, st->bib_space);
		size_t first = lay_para_finish(L, &f);
		int an = lay_ref_anchor(L, r);
		if (first != SIZE_MAX && an >= 0)
			L->anchors[an].line = first;
	}
	L->prev_para = 0;
}

/* Walking a part: the nesting of lists and quotes, the marker waiting
 * for an item's first paragraph, the first line of the open quote. */
typedef struct lay_walk {
	lay_ctx stack[LAY_MAX_NEST];
	int depth;
	int overflow;             /* levels nested past LAY_MAX_NEST */
	const char *marker;
	int marker_elem;          /* the marker's LO_LBL element */
	size_t quote_first;
	int cont;                 /* the structure element blocks go in */
} lay_walk;

/* The indent of a list or quote: an ordered list's number column holds
 * its widest number ("12.") however big the type. */
static double lay_block_indent(const lay *L, const doc_node *c)
{
	const style *st = L->st;
	if (c->type == DOC_EXPERIENCE)
		return st->quote_indent;
	double ind = st->list_indent;
	if (c->ordered) {
		size_t items = 0;
		for (doc_node *k = c->first; k; k = k->next)
			items++;
		char label[32];
		int ll = snprintf(label, sizeof label, "%zu.", items);
		double w = lay_width(L, 0, label, (size_t)ll, st->body_size) +
			   st->list_number_gap;
		ind = lay_max(ind, w);
	}
	return ind;
}

/* An experience: space above, the rule's place, its title kept with its
 * first line. */
static void lay_quote_enter(lay *L, lay_walk *w, doc_node *c,
			    const lay_ctx *nx)
{
	const style *st = L->st;
	L->pending = lay_max(L->pending, st->quote_above);
	L->quote = ++L->nquotes;
	L->rule_x = nx->left - st->quote_rule_gap;
	w->quote_first = L->nlines;
	doc_node *h = doc_heading(c);
	if (!h)
		return;
	L->elem = lay_elem_heading(L, lay_heading_level(c), w->cont);
	lay_inline(L, h, 2, 0, st->quote_title_size, st->heading_color, 0);
	lay_fmt f = {0};
	f.left = nx->left;
	f.width = nx->width;
	f.align = LAY_LEFT;
	f.size = st->quote_title_size;
	f.leading = st->quote_leading;
	f.src = h;
	lay_para_finish(L, &f);
	L->keep_next = 1;
}

/* Entering a list or an experience: a nested, indented context. */
static void lay_block_enter(lay *L, lay_walk *w, doc_node *c)
{
	lay_ctx *cx = &w->stack[w->depth];
	double ind = lay_block_indent(L, c);
	if (w->depth + 1 >= LAY_MAX_NEST) {
		w->overflow++;   /* deeper still: no indent */
	} else {
		w->depth++;
		w->stack[w->depth] = *cx;
		/* deep nesting stops indenting at half the measure */
		if (cx->width - ind >= L->measure / 2) {
			w->stack[w->depth].left += ind;
			w->stack[w->depth].width -= ind;
		}
	}
	lay_ctx *nx = &w->stack[w->depth];
	nx->ordered = c->ordered;
	nx->count = 0;
	L->prev_para = 0;
	w->cont = lay_elem(L, c->type == DOC_EXPERIENCE ? LO_BLOCKQUOTE : LO_L,
			   w->cont);
	if (c->type == DOC_LIST)
		L->structs[w->cont].numbering = c->ordered ? LO_NUM_DECIMAL
							   : LO_NUM_DISC;
	if (c->type == DOC_EXPERIENCE)
		lay_quote_enter(L, w, c, nx);
}

/* Leaving a list or an experience (kept on one page if it fits). */
static void lay_block_leave(lay *L, lay_walk *w, const doc_node *c)
{
	const style *st = L->st;
	if (c->type == DOC_EXPERIENCE) {
		lay_keep_block(L, w->quote_first, 0);
		L->pending = lay_max(L->pending, st->quote_below);
		L->quote = 0;
	} else {
		L->pending = lay_max(L->pending, st->list_item_space);
	}
	if (w->overflow)
		w->overflow--;
	else if (w->depth > 0)
		w->depth--;
	L->prev_para = 0;
	w->cont = lay_elem_parent(L, w->cont);
}

/* Entering a list item: its marker waits for its first paragraph. */
static void lay_item_enter(lay *L, lay_walk *w)
{
	lay_ctx *cx = &w->stack[w->depth];
	cx->count++;
	w->marker = cx->ordered ? arena_printf(L->a, "%d.", cx->count)
				: L->st->list_bullet;
	int li = lay_elem(L, LO_LI, w->cont);
	w->marker_elem = w->marker ? lay_elem(L, LO_LBL, li) : LO_ARTIFACT;
	w->cont = lay_elem(L, LO_LBODY, li);
	cx->item_first = L->nlines;
	L->pending = lay_max(L->pending, L->st->list_item_space);
	L->prev_para = 0;
}

/* Leaving a list item: short items stay on one page. */
static void lay_item_leave(lay *L, lay_walk *w)
{
	lay_keep_block(L, w->stack[w->depth].item_first,
		       L->st->keep_item_lines);
	w->marker = NULL;
	w->cont = lay_elem_parent(L, lay_elem_parent(L, w->cont));
}

/* One part of the body, walked without recursion. */
static void lay_part(lay *L, doc_node *part)
{
	lay_walk w;
	w.depth = 0;
	w.overflow = 0;
	w.marker = NULL;
	w.marker_elem = LO_ARTIFACT;
	w.quote_first = SIZE_MAX;
	w.cont = LO_DOCUMENT;
	w.stack[0] = (lay_ctx){0, L->measure, 0, 0, SIZE_MAX};
	int entering = 1;
	L->force_next = 1;
	L->keep_next = 0;
	L->prev_para = 0;
	for (doc_node *c = doc_walk(part, NULL, &entering); c;
	     c = doc_walk(part, c, &entering)) {
		lay_ctx *cx = &w.stack[w.depth];
		switch (c->type) {
		case DOC_PART:
		case DOC_SECTION:
			if (!entering) {
				w.cont = lay_elem_parent(L, w.cont);
				break;
			}
			w.cont = lay_elem(L, LO_SECT, w.cont);
			L->elem = lay_elem_heading(L, lay_heading_level(c),
						   w.cont);
			lay_heading(L, c, c->type == DOC_PART ? 0 :
				    c->depth > 1 ? 2 : 1, cx);
			break;
		case DOC_PARA:
			if (entering) {
				L->elem = lay_elem(L, LO_P, w.cont);
				lay_para(L, c, cx, w.marker, w.marker_elem);
				w.marker = NULL;
				entering = 0;
			}
			break;
		case DOC_LIST:
		case DOC_EXPERIENCE:
			if (entering)
				lay_block_enter(L, &w, c);
			else
				lay_block_leave(L, &w, c);
			break;
		case DOC_ITEM:
			if (entering)
				lay_item_enter(L, &w);
			else
				lay_item_leave(L, &w);
			break;
		case DOC_BIBLIOGRAPHY:
			if (entering)
				lay_bibliography(L, cx, w.cont);
			break;
		default:              /* headings were set by their owner */
			entering = 0;
			break;
		}
	}
}

/* A part's title as its running head: one line, never broken, so without
 * soft hyphens; its characters checked in the running head's font. */
static const char *lay_part_title(lay *L, const doc_node *h)
{
	const char *t = lay_strip_shy(L->a, doc_plain_text(L->a, h));
	L->src = &h->pos;
	lay_check_glyphs(L, 0, t, strlen(t));
	return t;
}

/* The body: every part in order, with the anchors of the bibliography
 * entries made first (citations link to them from anywhere) and the part
 * titles kept for the running heads. */
void lay_body(lay *L)
{
	const doc *d = L->d;
	L->ref_anchor = arena_alloc(L->a, (d->nrefs + 1) * sizeof *L->ref_anchor);
	for (size_t i = 0; i < d->nrefs; i++)
		L->ref_anchor[i] = lay_new_anchor(L);
	int nparts = 0;
	for (doc_node *p = d->parts_first; p; p = p->next)
		nparts++;
	L->part_titles = arena_alloc(L->a, (nparts + 1) * sizeof *L->part_titles);
	L->nparts = nparts;
	int k = 0;
	for (doc_node *p = d->parts_first; p; p = p->next, k++) {
		doc_node *h = doc_heading(p);
		L->part_titles[k] = h ? lay_part_title(L, h) : NULL;
		L->part = k;
		lay_part(L, p);
	}
}
