/* lines.c - the current paragraph's items broken into lines (lb_break)
 * and set: each line's words become runs of shaped glyphs with real word
 * spaces, justified by font expansion (the line's glyphs widened or
 * narrowed within the style's limit, as much as the breaker's ratio asks)
 * and by the space after each word space; punctuation hangs into the
 * margins as the breaker allowed; a hyphen where the line ends at a
 * hyphenation point; link rectangles merged along the line; the lines join
 * the vertical list with their keeps (orphans, widows). */
#include "typeset/lay.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/utf8.h"

/* Expansion is chosen in steps of this fraction of the glyphs' widths. */
#define LAY_EXPANSION_STEP 0.005

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
	L->faces[L->nfaces] = (lay_face){font, size, color,
		face_glyph(L->fonts[font], ' '),
		face_units_per_em(L->fonts[font])};
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
	if (len)
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
	r->hscale = 1;
	return r;
}

/* Shaped glyph g as a run's glyph of this kind, its cluster moved by off
 * (advances beyond 16 bits, which no font loaded has, are clamped). */
static lo_glyph lay_glyph(const shape_glyph *g, size_t off, int kind)
{
	lo_glyph o;
	int32_t a = g->x_advance;
	o.cluster = (uint32_t)(g->cluster + off);
	o.kind = (uint32_t)kind;
	o.gid = (uint16_t)g->gid;
	o.advance = (int16_t)(a > INT16_MAX ? INT16_MAX :
			      a < INT16_MIN ? INT16_MIN : a);
	return o;
}

/* Glyph g's offset (clamped to 16 bits). */
static lo_glyph_offset lay_glyph_offset(const shape_glyph *g)
{
	lo_glyph_offset o;
	int32_t x = g->x_offset, y = g->y_offset;
	o.x = (int16_t)(x > INT16_MAX ? INT16_MAX : x < INT16_MIN ? INT16_MIN : x);
	o.y = (int16_t)(y > INT16_MAX ? INT16_MAX : y < INT16_MIN ? INT16_MIN : y);
	return o;
}

const lo_glyph *lay_plain_glyphs(lay *L, int font, const char *s, size_t *n,
				 const lo_glyph_offset **offsets)
{
	const shape_run *r = lay_shape(L, font, s, strlen(s));
	lo_glyph *g = arena_alloc(L->a, (r->n ? r->n : 1) * sizeof *g);
	lo_glyph_offset *o = NULL;
	for (size_t i = 0; i < r->n; i++) {
		const shape_glyph *sg = &r->glyphs[i];
		g[i] = lay_glyph(sg, 0, s[sg->cluster] == ' ' ? LO_GLYPH_SPACE
							      : LO_GLYPH_TEXT);
		if (sg->x_offset || sg->y_offset) {
			if (!o)
				o = arena_alloc(L->a, r->n * sizeof *o);
			o[i] = lay_glyph_offset(sg);
		}
	}
	*n = r->n;
	*offsets = o;
	return g;
}

/* A piece of a line: the boxes of one word in one look up to a glue item
 * or the line's end, set as one shaped piece. */
typedef struct lay_frag {
	const shape_run *g;       /* its glyphs: the word, or this part of it
				     shaped alone */
	uint32_t look;
	int hyphen;               /* g ends in a hyphen added at the break */
	double width;             /* natural width, pt */
	double glue;              /* natural width of the glue after it, pt
				     (0: none), a hanging quote's kern after
				     it included */
	const lb_glue *gk;        /* that glue's stretch and shrink */
	double extra;             /* what justification adds to that glue */
} lay_frag;

/* A line being set: where the next glyph goes, the run collecting glyphs
 * (L->gl) and text (L->text), and the link rectangle being extended. */
typedef struct lay_setter {
	double x;
	double hscale;
	int prevlink;
	lay_rlink *cur;
	lay_run *open;
	int has_space;            /* the open run has word spaces, adjusted
				     by open->space_adjust */
	int has_offsets;          /* a glyph of the open run is offset */
} lay_setter;

/* Close the open run: its glyphs (their offsets too, if any glyph has
 * one) and text into the arena. */
static void lay_close_run(lay *L, lay_setter *ls)
{
	lay_run *r = ls->open;
	if (!r)
		return;
	r->text = lay_run_text(L, L->text.data, L->text.len);
	lo_glyph *g = arena_alloc(L->a, (L->ngl ? L->ngl : 1) * sizeof *g);
	if (L->ngl)
		memcpy(g, L->gl, L->ngl * sizeof *g);
	r->glyphs = g;
	r->nglyphs = (uint32_t)L->ngl;
	if (ls->has_offsets && L->ngl) {
		lo_glyph_offset *o = arena_alloc(L->a, L->ngl * sizeof *o);
		memcpy(o, L->goff, L->ngl * sizeof *o);
		r->offsets = o;
	}
	ls->open = NULL;
	ls->has_offsets = 0;
	L->ngl = 0;
	L->text.len = 0;
}

/* Open a run in face at the pen, belonging to structure element elem. */
static void lay_open_run(lay *L, lay_setter *ls, uint32_t face, uint32_t elem)
{
	const lay_face *f = &L->faces[face];
	lay_close_run(L, ls);
	ls->open = lay_new_run(L, f->font, f->size, f->color);
	ls->open->elem = elem;
	ls->open->x = ls->x;
	ls->open->hscale = ls->hscale;
	ls->has_space = 0;
}

/* Glyph g (drawn at offset o from the pen) at the end of the open run. */
static inline void lay_put_glyph(lay *L, lay_setter *ls, lo_glyph g,
				 lo_glyph_offset o)
{
	if (L->ngl >= L->capgl) {
		size_t cap = L->capgl;
		LAY_GROW(L, L->gl, L->ngl, L->capgl);
		LAY_GROW(L, L->goff, L->ngl, cap);
	}
	L->goff[L->ngl] = o;
	L->gl[L->ngl++] = g;
	ls->has_offsets |= o.x != 0 || o.y != 0;
}

/* A word space of natural width w (pt, before expansion) and adjustment
 * extra (pt) at the end of the open run, in its face: the space after a
 * word belongs to the word's run. A run's spaces are adjusted alike; one
 * adjusted otherwise (glue of another kind) starts a run of its own. */
static void lay_put_space(lay *L, lay_setter *ls, double w, double extra)
{
	const lay_face *f = &L->faces[ls->open->face];
	double a = floor(w * f->upem / f->size + 0.5);
	a = a > INT16_MAX ? INT16_MAX : a < 0 ? 0 : a;
	/* a glue narrower or wider than the space glyph: the difference is
	 * drawn as adjustment too, so that the run is as wide as measured */
	double adj = extra + ls->hscale * (w - a * f->size / f->upem);
	if (ls->has_space && fabs(ls->open->space_adjust - adj) > 1e-9)
		lay_open_run(L, ls, ls->open->face, ls->open->elem);
	lay_run *r = ls->open;
	lo_glyph g = {0};
	g.cluster = (uint32_t)L->text.len;
	g.gid = (uint16_t)f->space_gid;
	g.kind = LO_GLYPH_SPACE;
	g.advance = (int16_t)a;
	lay_put_glyph(L, ls, g, (lo_glyph_offset){0, 0});
	buf_put(&L->text, " ", 1);
	r->space_adjust = adj;
	ls->has_space = 1;
	r->width += ls->hscale * w + extra;
	ls->x += ls->hscale * w + extra;
}

/* The glyphs of fragment fr at the end of the open run, and its text:
 * the added hyphen as U+00AD and a real hyphen ending the line (last) as
 * U+2010, so that each extracts as what it is. */
static void lay_put_frag(lay *L, lay_setter *ls, const lay_frag *fr, int last)
{
	const shape_run *g = fr->g;
	size_t off = L->text.len, tlen = g->len - (fr->hyphen ? 1 : 0);
	int dash = last && !fr->hyphen && tlen && g->text[tlen - 1] == '-';
	buf_put(&L->text, g->text, dash ? tlen - 1 : tlen);
	if (fr->hyphen)
		buf_put(&L->text, "\xC2\xAD", 2);
	else if (dash)
		buf_put(&L->text, "\xE2\x80\x90", 3);
	for (size_t i = 0; i < g->n; i++) {
		int kind = fr->hyphen && g->glyphs[i].cluster == tlen ?
			   LO_GLYPH_HYPHEN : LO_GLYPH_TEXT;
		lay_put_glyph(L, ls, lay_glyph(&g->glyphs[i], off, kind),
			      lay_glyph_offset(&g->glyphs[i]));
	}
	double w = ls->hscale * fr->width;
	ls->open->width += w;
	ls->x += w;
}

/* The link rectangle from x0 to x1 for look in: extending the previous
 * one of the same link, or a new one. */
static void lay_frag_link(lay *L, lay_setter *ls, const lay_look *in,
			  double x0, double x1)
{
	if (in->link) {
		if (ls->cur && ls->prevlink == in->link) {
			ls->cur->x1 = x1;
		} else {
			LAY_GROW(L, L->rlinks, L->nrlinks, L->caprlinks);
			lay_rlink *cur = ls->cur = &L->rlinks[L->nrlinks++];
			cur->x0 = x0;
			cur->x1 = x1;
			cur->dy0 = lay_descent(L, in->size);
			cur->dy1 = lay_ascent(L, in->size);
			cur->target = in->link - 1;
		}
	} else {
		ls->cur = NULL;
	}
	ls->prevlink = in->link;
}

/* Set fragment fr on the line: onto the open run when it looks alike
 * (same face and link), else as a new run. */
static void lay_set_frag(lay *L, lay_setter *ls, const lay_frag *fr, int last)
{
	const lay_look *in = &L->looks[fr->look];
	uint32_t face = lay_face_index(L, in->font, in->size, in->color);
	if (!ls->open || ls->open->face != face || ls->prevlink != in->link)
		lay_open_run(L, ls, face, (uint32_t)(in->link ?
			L->targets[in->link - 1].elem : L->elem));
	double x0 = ls->x;
	lay_put_frag(L, ls, fr, last);
	lay_frag_link(L, ls, in, x0, ls->x);
}

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

/* Fragment fr of word bx's bytes [from, to): its glyphs (the word's when
 * it is whole; else the part shaped alone, with the hyphen when the line
 * breaks after it at a hyphenation point) and natural width. */
static void lay_frag_shape(lay *L, lay_frag *fr, const lay_boxtext *bx,
			   uint32_t from, uint32_t to, int hyphen)
{
	const lay_look *in = &L->looks[bx->look];
	const shape_run *w = lay_box_plan(L, bx)->word;
	fr->look = bx->look;
	fr->hyphen = hyphen;
	if (from == 0 && to == w->len && !hyphen)
		fr->g = w;
	else if (hyphen)
		fr->g = shape_hyphenated(L->shaper, L->fonts[in->font],
					 w->text + from, to - from, &L->shape);
	else
		fr->g = lay_shape(L, in->font, w->text + from, to - from);
	if (!fr->g)
		mem_fail();
	fr->width = lay_pt(L, in->font, fr->g->width, in->size);
}

/* The fragments of a line of items [s, last) ending at break e, into
 * L->frags; *lead the kern of a hanging quote starting it (pt, <= 0).
 * Returns the count. */
static size_t lay_line_frags(lay *L, size_t s, size_t last, size_t e,
			     double *lead)
{
	size_t n = 0;
	int hyphen = e < L->n && L->items[e].type == LB_PENALTY &&
		     L->items[e].flagged;
	const lay_boxtext *open = NULL;
	uint32_t from = 0, to = 0;
	*lead = 0;
	for (size_t i = s; i <= last; i++) {
		const lb_item *it = i < last ? &L->items[i] : NULL;
		const lay_boxtext *bx = it && it->type == LB_BOX ?
					&L->boxes[it->ref] : NULL;
		if (open && bx && bx->plan == open->plan && bx->plan &&
		    lay_box_from(lay_box_plan(L, bx), bx) == to &&
		    bx->look == open->look) {
			to = lay_box_to(lay_box_plan(L, bx), bx);
			continue;
		}
		if (it && it->type == LB_PENALTY)
			continue;
		if (open) {
			LAY_GROW(L, L->frags, L->nfrags, L->capfrags);
			lay_frag *fr = &L->frags[L->nfrags++];
			memset(fr, 0, sizeof *fr);
			lay_frag_shape(L, fr, open, from, to, hyphen && i == last);
			n++;
			open = NULL;
		}
		if (!it)
			break;
		if (it->type == LB_GLUE && n) {
			lay_frag *fr = &L->frags[L->nfrags - 1];
			fr->glue += it->width;
			fr->gk = &L->glue[it->ref];
		} else if (bx && !bx->plan) {
			if (n)
				L->frags[L->nfrags - 1].glue += it->width;
			else
				*lead += it->width;
		} else if (bx) {
			open = bx;
			from = lay_box_from(lay_box_plan(L, bx), bx);
			to = lay_box_to(lay_box_plan(L, bx), bx);
		}
	}
	return n;
}

/* How far the line's last glyph may hang into the right margin (pt): the
 * protrusion of the character it shows alone. */
static double lay_right_hang(lay *L, const lay_frag *fr)
{
	const shape_run *g = fr->g;
	if (!g || !g->n || !(L->st->protrusion > 0))
		return 0;
	const shape_glyph *last = &g->glyphs[g->n - 1];
	size_t at = utf8_prev(g->text, g->len), used;
	if (last->cluster != at)
		return 0;
	uint32_t cp = utf8_decode(g->text + at, g->len - at, &used);
	const lay_look *in = &L->looks[fr->look];
	return lay_protrusion(L, cp, 1) *
	       lay_pt(L, in->font, last->x_advance, in->size);
}

/* Justify fragments fr[0..n) to width: the expansion (hscale) the break's
 * ratio asks for, within the style's limit, in steps (expands: the
 * paragraph is justified, so the breaker counted on it); then the rest of
 * the difference shared by the glue in proportion to its stretch (or
 * shrink, never past it). Ragged lines and a paragraph's last line keep
 * their natural spaces and glyphs unless they must shrink. Returns
 * hscale; fills each extra. */
static double lay_justify(lay *L, lay_frag *fr, size_t n, double lead,
			  double width, double ratio, int justified,
			  int expands)
{
	double X = expands ? L->st->font_expansion : 0, e = 0;
	if (!justified && ratio > 0)
		ratio = 0;
	if (X > 0) {
		double r = ratio < -1 ? -1 : ratio > 1 ? 1 : ratio;
		e = round(r * X / LAY_EXPANSION_STEP) * LAY_EXPANSION_STEP;
		e = e > X ? X : e < -X ? -X : e;
	}
	double hscale = 1 + e, nat = lead, y = 0, z = 0;
	for (size_t i = 0; i < n; i++) {
		nat += fr[i].width + fr[i].glue;
		if (fr[i].gk && i + 1 < n) {
			y += fr[i].gk->stretch;
			z += fr[i].gk->shrink;
		}
	}
	double hang = justified ? hscale * lay_right_hang(L, &fr[n - 1]) : 0;
	double slack = width + hang - hscale * nat;
	for (size_t i = 0; i + 1 < n; i++) {
		const lb_glue *g = fr[i].gk;
		fr[i].extra = 0;
		if (!g)
			continue;
		if (slack > 0 && justified && y > 0)
			fr[i].extra = slack * g->stretch / y;
		else if (slack < 0 && z > 0)
			fr[i].extra = fmax(slack * g->shrink / z, -g->shrink);
	}
	return hscale;
}

/* Whether the line ending at break e ends at a word space (a glue, or
 * the penalty before one that lets punctuation hang): not at a hyphen, a
 * dash, inside a URL or at the paragraph's end. */
static int lay_breaks_at_space(const lay *L, size_t e)
{
	if (e >= L->n)
		return 0;
	const lb_item *it = &L->items[e];
	if (it->type == LB_GLUE)
		return 1;
	return it->type == LB_PENALTY && !it->flagged &&
	       it->penalty > -LB_INFINITY && e + 1 < L->n &&
	       L->items[e + 1].type == LB_GLUE;
}

/* The word space a line breaks at, as the zero-width last glyph of its
 * last run (LO_GLYPH_LINE_SPACE). */
static void lay_put_line_space(lay *L, lay_setter *ls)
{
	const lay_face *f = &L->faces[ls->open->face];
	lo_glyph g = {0};
	g.cluster = (uint32_t)L->text.len;
	g.gid = (uint16_t)f->space_gid;
	g.kind = LO_GLYPH_LINE_SPACE;
	lay_put_glyph(L, ls, g, (lo_glyph_offset){0, 0});
	buf_put(&L->text, " ", 1);
}

/* Set one broken line from x0 (see the top of the file). */
static void lay_set_line(lay *L, const lay_fmt *f, const lb_line *ln,
			 double x0, double width, double ratio)
{
	size_t s, last, e = ln->end;
	lay_line_span(L, ln, &s, &last);
	if (s >= last)
		return;
	double lead;
	L->nfrags = 0;
	size_t n = lay_line_frags(L, s, last, e, &lead);
	if (!n)
		return;
	lay_frag *fr = L->frags;
	int justified = f->align == LAY_JUSTIFY && e + 1 < L->n;
	lay_setter ls = {0};
	ls.hscale = lay_justify(L, fr, n, lead, width, ratio, justified,
				f->align == LAY_JUSTIFY);
	if (f->align == LAY_CENTER) {
		double w = lead;
		for (size_t i = 0; i < n; i++)
			w += fr[i].width + fr[i].glue;
		w *= ls.hscale;
		if (w < width)
			x0 += (width - w) / 2;
	}
	ls.x = x0 + ls.hscale * lead;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && fr[i - 1].gk) {
			if (ls.open)
				lay_put_space(L, &ls, fr[i - 1].glue,
					      fr[i - 1].extra);
			else
				ls.x += ls.hscale * fr[i - 1].glue +
					fr[i - 1].extra;
		}
		lay_set_frag(L, &ls, &fr[i], i + 1 == n);
	}
	if (ls.open && lay_breaks_at_space(L, e))
		lay_put_line_space(L, &ls);
	lay_close_run(L, &ls);
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
	return pc->off + L->boxes[box].off;
}

/* A list item's number or bullet, hung left of the paragraph. */
static void lay_set_marker(lay *L, const lay_fmt *f)
{
	lay_run *r = lay_new_run(L, f->marker_font, f->size, f->marker_color);
	size_t n;
	r->width = lay_width(L, f->marker_font, f->marker, strlen(f->marker),
			     f->size);
	r->x = f->left - L->st->list_number_gap - r->width;
	r->text = f->marker;
	r->glyphs = lay_plain_glyphs(L, f->marker_font, f->marker, &n,
				     &r->offsets);
	r->nglyphs = (uint32_t)n;
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

/* The line breaker's parameters for the current paragraph set as f says
 * at widths (first line, others) with looseness l: the style's, and for a
 * justified paragraph its font expansion and emergency stretch. Trial
 * settings (blocks.c) use the same, so that they count the lines this
 * setting makes. */
lb_params lay_break_params(const lay *L, const lay_fmt *f,
			   const double widths[2], int l)
{
	lb_params p = {
		.widths = widths, .nwidths = 2, .glue = L->glue,
		.tolerance = L->st->tolerance,
		.line_penalty = L->st->line_penalty,
		.flagged_demerits = L->st->flagged_demerits,
		.fitness_demerits = L->st->fitness_demerits,
		.final_hyphen_demerits = L->st->final_hyphen_demerits,
		.max_hyphens_in_row = L->st->max_hyphens,
		.looseness = l,
	};
	if (f->align == LAY_JUSTIFY) {
		p.box_stretch = p.box_shrink = L->st->font_expansion;
		p.emergency_stretch = L->st->emergency_stretch;
	}
	return p;
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
	lb_params p = lay_break_params(L, f, widths, f->looseness);
	lb_line *out = NULL;
	size_t nl = lb_break(L->items, L->n, &p, &out);
	size_t first = L->nlines;
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
