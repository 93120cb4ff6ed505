/* lines.c - the current paragraph's items broken into lines (lb_break)
 * and set: each line's boxes become runs at their x (justified by moving
 * words), a hyphen where the line ends at a flagged penalty, link
 * rectangles merged along the line; the lines join the vertical list with
 * their keeps (orphans, widows). */
#include "typeset/lay.h"

#include <stdlib.h>
#include <string.h>

/* Append a vertical-list line for the runs and links set since run0 and
 * link0, applying the pending space, the heading keep and forced breaks. */
static lay_vline *lay_add_line(lay *L, double leading, double size,
			       size_t run0, size_t link0)
{
	LAY_GROW(L, L->lines, L->nlines, L->caplines);
	lay_vline *v = &L->lines[L->nlines++];
	memset(v, 0, sizeof *v);
	v->space_before = L->pending;
	L->pending = 0;
	v->leading = leading;
	v->ascent = lay_ascent(L, size);
	v->descent = lay_descent(L, size);
	v->part = L->part;
	v->quote = L->quote;
	v->rule_x = L->rule_x;
	v->run0 = run0;
	v->nruns = L->nruns - run0;
	v->link0 = link0;
	v->nlinks = L->nrlinks - link0;
	if (L->force_next) {
		v->force = 1;
		L->force_next = 0;
	} else if (L->keep_next > 0) {
		v->keep = 1;
		L->keep_next--;
	}
	return v;
}

/* The index of face (font, size, color) in the layout's table, added on
 * first use. The table holds the few faces the style makes (a font, size
 * and colour for each kind of text), looked up from the last one found. */
uint32_t lay_face_index(lay *L, int font, double size, paint color)
{
	for (size_t k = 0; k < L->nfaces; k++) {
		size_t i = (L->face_hint + k) % L->nfaces;
		const lay_face *f = &L->faces[i];
		if (f->font == font && f->size == size &&
		    f->color.r == color.r && f->color.g == color.g &&
		    f->color.b == color.b) {
			L->face_hint = i;
			return (uint32_t)i;
		}
	}
	LAY_GROW(L, L->faces, L->nfaces, L->capfaces);
	L->faces[L->nfaces] = (lay_face){font, size, color};
	L->face_hint = L->nfaces;
	return (uint32_t)L->nfaces++;
}

/* A run's text, NUL-terminated, in the arena. Packed end to end in
 * blocks of LAY_POOL bytes rather than one arena allocation each (which
 * rounds every word up to 16 bytes): a long paragraph has a run per word. */
const char *lay_run_text(lay *L, const char *s, size_t len)
{
	if (len + 1 > LAY_POOL / 16)
		return arena_strndup(L->a, s, len);
	if (len + 1 > L->pool_left) {
		L->pool = arena_alloc(L->a, LAY_POOL);
		L->pool_left = LAY_POOL;
	}
	char *t = L->pool;
	memcpy(t, s, len);
	t[len] = 0;
	L->pool += len + 1;
	L->pool_left -= len + 1;
	return t;
}

/* A new run in face (font, size, color), to be placed by the caller. */
lay_run *lay_new_run(lay *L, int font, double size, paint color)
{
	uint32_t face = lay_face_index(L, font, size, color);
	LAY_GROW(L, L->runs, L->nruns, L->capruns);
	lay_run *r = &L->runs[L->nruns++];
	memset(r, 0, sizeof *r);
	r->face = face;
	return r;
}

/* A line being set: where the next box goes, the run collecting text (in
 * L->text) and the link rectangle being extended. */
typedef struct lay_setter {
	double x;
	int glued;                /* glue since the previous run */
	int prevlink;
	lay_rlink *cur;
	lay_run *open;
} lay_setter;

/* Where a line of items [s, last) holding the boxes of the break
 * [ln->start, ln->end) starts and ends: glue and penalties at either end
 * are not set. */
static void lay_line_span(const lay *L, const lb_line *ln, size_t *s,
			  size_t *last)
{
	size_t a = ln->start, e = ln->end;
	while (a < e && L->items[a].type != LB_BOX)
		a++;
	size_t b = e;
	while (b > a && L->items[b - 1].type != LB_BOX)
		b--;
	*s = a;
	*last = b;
}

/* Extra x for a centred line of natural width less than width. */
static double lay_center_offset(const lay *L, size_t s, size_t last,
				size_t e, double width)
{
	double nat = 0;
	for (size_t i = s; i < last; i++)
		if (L->items[i].type != LB_PENALTY)
			nat += L->items[i].width;
	if (e < L->n && L->items[e].type == LB_PENALTY)
		nat += L->items[e].width;
	return nat < width ? (width - nat) / 2 : 0;
}

/* Put box i at ls->x: onto the open run when nothing separates them and
 * they look alike (the syllables of a word), else as a new run; its link
 * rectangle extends the previous one of the same link. */
static void lay_set_box(lay *L, lay_setter *ls, size_t i)
{
	const lb_item *it = &L->items[i];
	const lay_boxtext *bx = &L->boxes[it->ref];
	const lay_look *in = &L->looks[bx->look];
	lay_run *open = ls->open;
	buf *tb = &L->text;
	uint32_t face = lay_face_index(L, in->font, in->size, in->color);
	if (!ls->glued && open && open->face == face &&
	    ls->prevlink == in->link) {
		buf_put(tb, bx->text, bx->len);
		open->width += it->width;
	} else {
		if (open)
			open->text = lay_run_text(L, tb->data, tb->len);
		open = ls->open = lay_new_run(L, in->font, in->size, in->color);
		open->elem = (uint32_t)(in->link ? L->targets[in->link - 1].elem
						 : L->elem);
		open->x = ls->x;
		open->width = it->width;
		tb->len = 0;
		buf_put(tb, bx->text, bx->len);
	}
	if (in->link) {
		if (ls->cur && ls->prevlink == in->link) {
			ls->cur->x1 = ls->x + it->width;
		} else {
			LAY_GROW(L, L->rlinks, L->nrlinks, L->caprlinks);
			lay_rlink *cur = ls->cur = &L->rlinks[L->nrlinks++];
			cur->x0 = ls->x;
			cur->x1 = ls->x + it->width;
			cur->dy0 = lay_descent(L, in->size);
			cur->dy1 = lay_ascent(L, in->size);
			cur->target = in->link - 1;
		}
	} else {
		ls->cur = NULL;
	}
	ls->prevlink = in->link;
	ls->x += it->width;
	ls->glued = 0;
}

/* Set one broken line from x0 (see the top of the file). */
static void lay_set_line(lay *L, const lay_fmt *f, const lb_line *ln,
			 double x0, double width, double ratio)
{
	size_t s, last, e = ln->end;
	lay_line_span(L, ln, &s, &last);
	/* ragged and last lines are not stretched; glue never shrinks past
	 * its shrink (an overfull line sticks out, and is reported) */
	if ((f->align != LAY_JUSTIFY || e + 1 >= L->n) && ratio > 0)
		ratio = 0;
	if (ratio < -1)
		ratio = -1;
	if (f->align == LAY_CENTER)
		x0 += lay_center_offset(L, s, last, e, width);
	lay_setter ls = {x0, 1, 0, NULL, NULL};
	for (size_t i = s; i < last; i++) {
		const lb_item *it = &L->items[i];
		if (it->type == LB_GLUE) {
			const lb_glue *g = &L->glue[it->ref];
			ls.x += it->width + (ratio > 0 ? ratio * g->stretch
						       : ratio * g->shrink);
			ls.glued = 1;
		} else if (it->type == LB_BOX) {
			lay_set_box(L, &ls, i);
		}
	}
	if (ls.open && e < L->n && L->items[e].type == LB_PENALTY &&
	    L->items[e].flagged && L->items[e].width > 0) {
		buf_put(&L->text, "-", 1);
		ls.open->width += L->items[e].width;
		if (ls.cur)
			ls.cur->x1 += L->items[e].width;
	}
	if (ls.open)
		ls.open->text = lay_run_text(L, L->text.data, L->text.len);
}

/* Where line ln begins in the paragraph's text (see lo_start): its first
 * box's offset, found through the piece of text that holds the box (the
 * last piece starting at or before it). */
static size_t lay_line_offset(const lay *L, const lb_line *ln)
{
	size_t s, last;
	lay_line_span(L, ln, &s, &last);
	if (s >= last || !L->npieces)
		return 0;
	size_t box = L->items[s].ref, lo = 0, hi = L->npieces;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (L->pieces[mid].box <= box)
			lo = mid;
		else
			hi = mid;
	}
	const lay_piece *pc = &L->pieces[lo];
	if (!pc->text)
		return pc->off;
	return pc->off + (size_t)(L->boxes[box].text - pc->text);
}

/* A list item's number or bullet, hung left of the paragraph. */
static void lay_set_marker(lay *L, const lay_fmt *f)
{
	lay_run *r = lay_new_run(L, f->marker_font, f->size, f->marker_color);
	r->width = lay_width(L, f->marker_font, f->marker, strlen(f->marker),
			     f->size);
	r->x = f->left - L->st->list_number_gap - r->width;
	r->text = f->marker;
	r->elem = (uint32_t)f->marker_elem;
}

/* Line i of the paragraph did not fit width: counted, and a warning at
 * the paragraph. */
static void lay_report_overfull(lay *L, const lay_fmt *f, size_t i,
				double width)
{
	L->overfull++;
	const doc_pos *pos = f->src ? &f->src->pos : NULL;
	diag_add(L->dl, DIAG_WARNING, pos ? pos->file : L->d->path,
		 pos ? pos->line : 0, pos ? pos->col : 0,
		 "line %zu of this paragraph does not fit the measure (%.1fpt)",
		 i + 1, width);
}

/* Break the collected items into lines and append them to the vertical
 * list with their keeps (orphans, widows). Returns the index of the first
 * line, or SIZE_MAX if the paragraph was empty. Empties the items. */
size_t lay_para_finish(lay *L, const lay_fmt *f)
{
	if (!lay_items_end(L, f)) {
		lay_items_reset(L);
		return SIZE_MAX;
	}
	double widths[2] = {f->width - f->first, f->width - f->rest};
	lb_params p = {
		.widths = widths, .nwidths = 2, .glue = L->glue,
		.tolerance = L->st->tolerance,
		.line_penalty = L->st->line_penalty,
		.flagged_demerits = L->st->flagged_demerits,
		.fitness_demerits = L->st->fitness_demerits,
		.max_hyphens_in_row = L->st->max_hyphens,
		.looseness = f->looseness,
	};
	lb_line *out = NULL;
	size_t nl = lb_break(L->items, L->n, &p, &out);
	size_t first = L->nlines;
	/* at most a run per box, and the marker */
	LAY_RESERVE(L, L->runs, L->nruns, L->capruns, L->nruns + L->nboxes + 1);
	LAY_RESERVE(L, L->lines, L->nlines, L->caplines, L->nlines + nl);
	for (size_t i = 0; i < nl; i++) {
		size_t run0 = L->nruns, link0 = L->nrlinks;
		double off = i ? f->rest : f->first;
		if (i == 0 && f->marker)
			lay_set_marker(L, f);
		lay_set_line(L, f, &out[i], f->left + off, widths[i ? 1 : 0],
			     out[i].ratio);
		if (out[i].overfull)
			lay_report_overfull(L, f, i, widths[i ? 1 : 0]);
		lay_vline *v = lay_add_line(L, f->leading, f->size, run0, link0);
		v->src = f->src;
		v->ref = f->ref;
		v->off = i ? lay_line_offset(L, &out[i]) : 0;
		if (i > 0 && (i < (size_t)L->st->orphan_lines ||
			      i + (size_t)L->st->widow_lines > nl))
			v->keep = 1;
	}
	free(out);
	lay_items_reset(L);
	if (!nl) {
		diag_add(L->dl, DIAG_ERROR, L->d->path, 0, 0,
			 "out of memory breaking lines");
		return SIZE_MAX;
	}
	return first;
}
