/* blocks.c - the body as a vertical list: parts and sections with their
 * headings (kept with what follows, anchored, listed in the contents),
 * paragraphs, lists (numbers or bullets hung in the margin, short items
 * kept whole), experiences (indented, ruled, kept whole if they fit) and
 * the bibliography (hanging indents, each entry an anchor). */
#include "typeset/lay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc/cite.h"

/* Ask for space s before the next line: the largest space asked for
 * since the last line wins, with the most stretch and shrink of those as
 * large. */
void lay_space(lay *L, style_space s)
{
	if (s.len > L->pending + 1e-9) {
		L->pending = s.len;
		L->pend_plus = s.plus;
		L->pend_minus = s.minus;
	} else if (s.len > L->pending - 1e-9) {
		L->pend_plus = lay_max(L->pend_plus, s.plus);
		L->pend_minus = lay_max(L->pend_minus, s.minus);
	}
}

/* s without a URL scheme ("https://", "mailto:"), "www." and a final
 * "/", lower case: for telling whether a link's text shows its address.
 * Arena memory. */
static char *lay_bare_address(lay *L, const char *s)
{
	static const char *const drop[] = {"https://", "http://", "mailto:",
					   "www."};
	for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
		if (!strncasecmp(s, drop[i], strlen(drop[i])))
			s += strlen(drop[i]);
	char *t = arena_strdup(L->a, s);
	size_t n = strlen(t);
	while (n && t[n - 1] == '/')
		t[--n] = 0;
	for (char *p = t; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return t;
}

/* Text s set in look lk that is printed, not the document's text (a
 * link's address or note number): a line that begins inside it begins,
 * for the EPUB's page marker, just after the link. */
static void lay_printed(lay *L, const lay_look *lk, const char *s, int url)
{
	size_t text_off = L->text_off, piece = L->npieces;
	lay_text(L, lk, s, url, 0);
	L->pieces[piece].text = NULL;
	L->text_off = text_off;
}

/* n in superscript figures (U+2070 to U+2079), arena memory. */
static char *lay_superscript(lay *L, size_t n)
{
	static const char *const sup[10] = {
		"\u2070", "\u00b9", "\u00b2", "\u00b3", "\u2074",
		"\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};
	char digits[24];
	int k = snprintf(digits, sizeof digits, "%zu", n);
	char *s = arena_alloc(L->a, (size_t)k * 3 + 1), *o = s;
	for (int i = 0; i < k; i++) {
		size_t len = strlen(sup[digits[i] - '0']);
		memcpy(o, sup[digits[i] - '0'], len);
		o += len;
	}
	*o = 0;
	return s;
}

/* After a link's text (link, to href): its address, as a paper reader
 * needs it, when the style asks for that and the text does not already
 * show it (a telephone link whose text holds a number shows it): in
 * brackets (link-address = after), or as a superscript number whose note
 * the end of the part lists (note). Set in the link's look lk, so it is
 * part of the link. */
void lay_link_address(lay *L, const doc_node *link, const char *href,
		      const lay_look *lk)
{
	if (L->st->link_address == ADDR_NONE || !href)
		return;
	const char *text = doc_plain_text(L->a, link);
	if (!strncmp(href, "tel:", 4)) {
		if (strpbrk(text, "0123456789"))
			return;
		href += 4;
	}
	char *addr = lay_bare_address(L, href);
	if (!*addr || strstr(lay_bare_address(L, text), addr))
		return;
	/* what the reader types: the address without its scheme */
	const char *shown = href;
	if (!strncasecmp(shown, "https://", 8))
		shown += 8;
	else if (!strncasecmp(shown, "http://", 7))
		shown += 7;
	else if (!strncasecmp(shown, "mailto:", 7))
		shown += 7;
	size_t n = strlen(shown);
	while (n > 1 && shown[n - 1] == '/' && !strchr(shown, '?'))
		n--;
	if (L->st->link_address == ADDR_NOTE) {
		LAY_GROW(L, L->addr_notes, L->naddr_notes, L->capaddr_notes);
		lay_addr_note *an = &L->addr_notes[L->naddr_notes++];
		an->shown = arena_printf(L->a, "%.*s", (int)n, shown);
		an->href = href;
		an->pos = &link->pos;
		lay_printed(L, lk, lay_superscript(L, L->naddr_notes), 0);
		return;
	}
	/* a size smaller than the text: it breaks only at its dots and
	 * slashes, and a long one would leave a loose line */
	lay_look small = *lk;
	small.size = lk->size * L->st->link_address_scale;
	lay_printed(L, &small, arena_printf(L->a, " (%.*s)", (int)n, shown), 1);
}

/* The addresses noted since the last list of them (link-address = note),
 * listed under the style's link-notes-title at the end of a part: a
 * numbered list at the bibliography's size, each address a link that
 * breaks only at its dots and slashes. In the part's structure element
 * cont: a heading one level below the part's, then L > LI > Lbl, LBody. */
static void lay_address_notes(lay *L, int cont)
{
	const style *st = L->st;
	if (L->addr_notes_set >= L->naddr_notes)
		return;
	const style_heading *hs = &st->h2;
	lay_space(L, hs->above);
	L->pend_penalty = st->section_break_penalty;
	L->elem = lay_elem_heading(L, 2, cont);
	L->keep_next = 0;
	size_t first = lay_simple(L, st->link_notes_title,
				  L->addr_notes[L->addr_notes_set].pos,
				  lay_font(L, 2, 1), hs->size, hs->leading,
				  st->heading_color, 0, L->measure, LAY_LEFT, 0);
	for (size_t i = first + 1; first != SIZE_MAX && i < L->nlines; i++)
		L->lines[i].keep = 1;
	lay_space(L, hs->below);
	L->keep_next = st->heading_keep_lines;
	int list = lay_elem(L, LO_L, cont);
	L->structs[list].numbering = LO_NUM_DECIMAL;
	/* the number column holds the widest number */
	char *widest = arena_printf(L->a, "%zu.", L->naddr_notes);
	double col = lay_width(L, 0, widest, strlen(widest), st->bib_size) +
		     0.5 * st->bib_size;
	for (size_t i = L->addr_notes_set; i < L->naddr_notes; i++) {
		const lay_addr_note *an = &L->addr_notes[i];
		L->src = an->pos;
		int li = lay_elem(L, LO_LI, list);
		int lbl = lay_elem(L, LO_LBL, li);
		L->elem = lay_elem(L, LO_LBODY, li);
		lay_look base = {0};
		base.size = st->bib_size;
		base.color = st->link_color;
		base.link = lay_add_target(L, an->href, -1);
		L->targets[base.link - 1].title = an->shown;
		lay_text(L, &base, an->shown, 1, 0);
		lay_fmt f = {0};
		f.left = col;
		f.width = L->measure - col;
		f.align = LAY_RAGGED;
		f.size = st->bib_size;
		f.leading = st->bib_leading;
		f.marker = arena_printf(L->a, "%zu.", i + 1);
		f.marker_elem = lbl;
		f.marker_color = st->text_color;
		if (i > L->addr_notes_set)
			lay_space(L, st->bib_space);
		lay_finish(L, &f, 0);
	}
	L->addr_notes_set = L->naddr_notes;
	L->prev_para = 0;
}

/* How the current paragraph's items break at width w (with its first
 * line and other lines offset as f says) and looseness l: the number of
 * lines (0 when memory runs out), whether one is overfull, the largest
 * stretch of a line but the last and the lines' badness in all. */
typedef struct lay_trial {
	size_t lines;
	int overfull;
	double most, badness;
} lay_trial;

static lay_trial lay_try_break(lay *L, const lay_fmt *f, double w, int l)
{
	double widths[2] = {w - f->first, w - f->rest};
	lb_params p = lay_break_params(L, f, widths, l);
	lb_line *out = NULL;
	lay_trial t = {0, 0, 0, 0};
	t.lines = lb_break(L->items, L->n, &p, &out);
	for (size_t i = 0; i < t.lines; i++) {
		double r = out[i].ratio < 0 ? -out[i].ratio : out[i].ratio;
		t.overfull |= out[i].overfull;
		t.badness += 100 * r * r * r;
		if (i + 1 < t.lines && out[i].ratio > t.most)
			t.most = out[i].ratio;
	}
	free(out);
	return t;
}

static size_t lay_count_lines(lay *L, const lay_fmt *f, double w,
			      int *overfull)
{
	lay_trial t = lay_try_break(L, f, w, 0);
	*overfull = t.overfull;
	return t.lines;
}

/* Paragraph k (the current items, ended) set a line shorter and a line
 * longer: what each costs in badness over its best setting, or -1 when
 * it cannot be had within the tolerance, or (longer) without stretching
 * a line's spaces further than they may stretch. */
static void lay_note_variants(lay *L, const lay_fmt *f, size_t k)
{
	LAY_GROW(L, L->variants, L->nvariants, L->capvariants);
	lay_variant *v = &L->variants[L->nvariants++];
	v->tighter = v->looser = -1;
	(void)k;
	lay_trial best = lay_try_break(L, f, f->width, 0);
	if (best.lines < 2 || best.overfull)
		return;
	lay_trial t = lay_try_break(L, f, f->width, -1);
	if (t.lines + 1 == best.lines && !t.overfull)
		v->tighter = lay_max(0, t.badness - best.badness);
	t = lay_try_break(L, f, f->width, 1);
	if (t.lines == best.lines + 1 && !t.overfull && t.most <= 1)
		v->looser = lay_max(0, t.badness - best.badness);
}

/* The narrowest width, at most f->width, that breaks the current
 * paragraph (a heading, a contents entry, a title: set left) into as few
 * lines as f->width does: its lines come out of even length, the last no
 * shorter than it must be. */
static double lay_balanced_width(lay *L, const lay_fmt *f)
{
	int over;
	if (!lay_items_end(L, f))
		return f->width;
	size_t n = lay_count_lines(L, f, f->width, &over);
	if (n < 2 || over)
		return f->width;
	double lo = 0, hi = f->width;
	for (int it = 0; it < 16; it++) {
		double mid = (lo + hi) / 2;
		size_t k = lay_count_lines(L, f, mid, &over);
		if (k && k <= n && !over)
			hi = mid;
		else
			lo = mid;
	}
	return hi + 0.01 < f->width ? hi + 0.01 : f->width;
}

/* Break and set the current paragraph (balanced when asked: see
 * lay_balanced_width) and give its first line the space, stretch, shrink
 * and page-break penalty waiting for it. Returns its first line, or
 * SIZE_MAX for an empty paragraph (which leaves them waiting). */
size_t lay_finish(lay *L, const lay_fmt *f, int balance)
{
	double plus = L->pend_plus, minus = L->pend_minus;
	int penalty = L->pend_penalty;
	lay_fmt g = *f;
	size_t para = SIZE_MAX;
	if (balance && f->align == LAY_LEFT)
		g.width = lay_balanced_width(L, f);
	else if (f->align == LAY_JUSTIFY && L->n <= LAY_LOOSE_ITEMS &&
		 lay_items_end(L, f)) {
		para = L->npara++;
		if (L->nlines > LAY_LOOSE_LINES)
			L->set_once = 1;
		if (L->loose)
			g.looseness = para < L->nvariants ? L->loose[para] : 0;
		else if (!L->set_once)
			lay_note_variants(L, f, para);
	}
	size_t first = lay_para_finish(L, &g);
	if (first == SIZE_MAX)
		return first;
	for (size_t i = first; para != SIZE_MAX && i < L->nlines; i++)
		L->lines[i].para = (int)para + 1;
	L->lines[first].stretch = plus;
	L->lines[first].shrink = minus;
	L->lines[first].penalty += penalty;
	L->pend_plus = L->pend_minus = 0;
	L->pend_penalty = 0;
	return first;
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
	lay_space(L, hs->above);
	L->pend_penalty = level == 0 ? L->st->part_break_penalty
				     : L->st->section_break_penalty;
	lay_inline(L, h, 2, 1, hs->size, L->st->heading_color, 0);
	lay_fmt f = {0};
	f.left = cx->left;
	f.width = cx->width;
	f.align = LAY_LEFT;
	f.size = hs->size;
	f.leading = hs->leading;
	f.src = h;
	L->keep_next = 0;
	size_t first = lay_finish(L, &f, 1);
	if (first != SIZE_MAX) {
		L->lines[first].part_title = level == 0;
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
		t->line = SIZE_MAX;
	}
	lay_space(L, hs->below);
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
		lay_space(L, st->para_space);
	}
	lay_inline(L, p, 0, 0, size, color, 1);
	size_t first = lay_finish(L, &f, 0);
	if (first != SIZE_MAX)
		L->lines[first].para_start = 1;
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
			lay_space(L, st->bib_space);
		size_t first = lay_finish(L, &f, 0);
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
	size_t quote_first;       /* the experience's first line (its title) */
	size_t quote_text;        /* its first line of text */
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
	lay_space(L, st->quote_above);
	L->quote = ++L->nquotes;
	L->rule_x = nx->left - st->quote_rule_gap;
	w->quote_first = w->quote_text = L->nlines;
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
	lay_finish(L, &f, 1);
	w->quote_text = L->nlines;
	L->keep_next = 1;
}

/* Where an experience [first, nlines) may break across pages: only
 * between its paragraphs, with at least two lines of text on either side,
 * at a cost. An experience taller than a page breaks where its
 * paragraphs let it (widows and orphans). */
static void lay_quote_keeps(lay *L, size_t first, size_t text)
{
	if (first == SIZE_MAX || first >= L->nlines)
		return;
	double h = L->lines[first].ascent - L->lines[L->nlines - 1].descent;
	for (size_t i = first + 1; i < L->nlines; i++)
		h += L->lines[i].space_before + L->lines[i].leading;
	if (h > L->foot)
		return;
	for (size_t i = first + 1; i < L->nlines; i++) {
		lay_vline *v = &L->lines[i];
		if (v->para_start && i >= text + 2 && L->nlines - i >= 2)
			v->penalty += L->st->quote_break_penalty;
		else
			v->keep = 1;
	}
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
	/* a paragraph introducing a list or an experience stays with its
	 * first line */
	if (c->prev && c->prev->type == DOC_PARA && L->keep_next < 1)
		L->keep_next = 1;
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
		lay_quote_keeps(L, w->quote_first, w->quote_text);
		lay_space(L, st->quote_below);
		L->quote = 0;
	} else {
		lay_space(L, st->list_item_space);
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
	lay_space(L, L->st->list_item_space);
	if (cx->count > 1)
		L->pend_penalty = L->st->list_break_penalty;
	L->prev_para = 0;
}

/* Leaving a list item: a short item breaks across pages only where its
 * widows and orphans allow and the page would otherwise stop short (at
 * item-split-penalty). */
static void lay_item_leave(lay *L, lay_walk *w)
{
	size_t first = w->stack[w->depth].item_first;
	if (first < L->nlines &&
	    L->nlines - first <= (size_t)L->st->keep_item_lines)
		for (size_t i = first + 1; i < L->nlines; i++)
			L->lines[i].penalty += L->st->item_split_penalty;
	w->marker = NULL;
	w->cont = lay_elem_parent(L, lay_elem_parent(L, w->cont));
}

/* One part of the body, walked without recursion. */
static void lay_part(lay *L, doc_node *part)
{
	lay_walk w = {0};   /* (some fields set only inside a quote) */
	w.depth = 0;
	w.overflow = 0;
	w.marker = NULL;
	w.marker_elem = LO_ARTIFACT;
	w.quote_first = SIZE_MAX;
	w.cont = LO_DOCUMENT;
	w.stack[0] = (lay_ctx){0, L->measure, 0, 0, SIZE_MAX};
	int entering = 1;
	L->force_next = L->st->part_new_page;
	L->keep_next = 0;
	L->prev_para = 0;
	for (doc_node *c = doc_walk(part, NULL, &entering); c;
	     c = doc_walk(part, c, &entering)) {
		lay_ctx *cx = &w.stack[w.depth];
		switch (c->type) {
		case DOC_PART:
		case DOC_SECTION:
			if (!entering) {
				if (c == part)   /* its addresses, in its Sect */
					lay_address_notes(L, w.cont);
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
	lay_address_notes(L, w.cont);   /* if the walk did not leave part */
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

/* The anchors of the bibliography entries, made before anything is set:
 * citations link to them from anywhere (a standfirst on the cover or above
 * the handout's text included). */
void lay_ref_anchors(lay *L)
{
	const doc *d = L->d;
	L->ref_anchor = arena_alloc(L->a, (d->nrefs + 1) * sizeof *L->ref_anchor);
	for (size_t i = 0; i < d->nrefs; i++)
		L->ref_anchor[i] = lay_new_anchor(L);
}

/* The body: every part in order, the part titles kept for the running
 * heads. */
void lay_body(lay *L)
{
	const doc *d = L->d;
	int nparts = 0;
	for (doc_node *p = d->parts_first; p; p = p->next)
		nparts++;
	L->part_titles = arena_alloc(L->a, (nparts + 1) * sizeof *L->part_titles);
	L->nparts = nparts;
	if (d->meta.title) {
		L->book_title = lay_strip_shy(L->a, d->meta.title);
		L->src = NULL;
		lay_check_glyphs(L, 0, L->book_title, strlen(L->book_title));
	}
	int k = 0;
	for (doc_node *p = d->parts_first; p; p = p->next, k++) {
		doc_node *h = doc_heading(p);
		L->part_titles[k] = h ? lay_part_title(L, h) : NULL;
		L->part = k;
		lay_part(L, p);
	}
}
