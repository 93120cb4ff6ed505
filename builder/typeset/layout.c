/* layout.c - the typesetter's entry point (see layout.h): runs its
 * phases in order (lay.h lists them and the files that hold them) over one
 * lay state, and owns that state's scratch memory; also the text dump of a
 * layout that golden tests read. */
#include "typeset/layout.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "typeset/lay.h"
#include "typeset/res.h"

/* Scratch arrays (see LAY_GROW in lay.h): realloc'd, or moved into the
 * arena when realloc fails and remembered there so they are not freed. */
static int lay_in_arena(const lay *L, const void *p)
{
	for (size_t i = 0; i < L->narena_owned; i++)
		if (L->arena_owned[i] == p)
			return 1;
	return 0;
}

void *lay_scratch_grow(lay *L, void *old, size_t n, size_t cap, size_t size)
{
	if (!lay_in_arena(L, old)) {
		void *p = cap <= SIZE_MAX / size ? realloc(old, cap * size) : NULL;
		if (p)
			return p;
	}
	void *p = arena_grow(L->a, old, n, cap, size);
	size_t i;
	for (i = 0; i < L->narena_owned; i++)
		if (L->arena_owned[i] == old)
			break;
	if (i == L->narena_owned) {
		free(old);
		if (L->narena_owned < LAY_MAX_OWNED)
			L->narena_owned++;
	}
	L->arena_owned[i < LAY_MAX_OWNED ? i : LAY_MAX_OWNED - 1] = p;
	return p;
}

void lay_scratch_free(lay *L, void *p)
{
	if (p && !lay_in_arena(L, p))
		free(p);
}

/* Take the style's faces from r. Returns 0, or -1 after an error naming
 * the font that cannot be loaded. */
static int lay_open_fonts(lay *L, res *r)
{
	const style *st = L->st;
	const char *paths[LAY_NFONTS] = {st->font_regular, st->font_italic,
					 st->font_bold, st->font_bold_italic,
					 st->font_heading};
	L->nfonts = st->font_heading ? 5 : 4;
	for (size_t i = 0; i < L->nfonts; i++) {
		char err[256] = "";
		L->font_paths[i] = paths[i];
		L->fonts[i] = res_font(r, paths[i], err, sizeof err);
		if (!L->fonts[i]) {
			diag_add(L->dl, DIAG_ERROR, st->path, 0, 0,
				 "cannot load font %s: %s", paths[i], err);
			return -1;
		}
	}
	L->heading_font = st->font_heading ? 4 : 2;
	L->shaper = res_shaper(r);
	L->shape.kern = st->kerning;
	L->shape.liga = st->ligatures;
	L->shape.lang = L->d->meta.language;
	L->src = &L->style_pos;
	if (st->list_bullet)
		lay_check_glyphs(L, 0, st->list_bullet, strlen(st->list_bullet));
	return 0;
}

/* Each character the fonts lack, once per run (r remembers which were
 * reported by earlier layouts), at the first place it occurs. */
static void lay_report_missing(lay *L, res *r)
{
	for (size_t i = 0; i < L->nmissing; i++) {
		const lay_missing *m = &L->missing[i];
		if (!res_first_missing(r, m->cp))
			continue;
		char ch[8] = "";
		if (m->cp >= 0x20 && (m->cp < 0x7F || m->cp >= 0xA0))
			ch[utf8_encode(m->cp, ch)] = 0;
		const char *font = L->font_paths[m->font];
		const char *slash = strrchr(font, '/');
		diag_add(L->dl, DIAG_WARNING, m->pos.file, m->pos.line,
			 m->pos.col, "no glyph for U+%04X%s%s%s in %s; it is "
			 "drawn as an empty box", (unsigned)m->cp,
			 *ch ? " (" : "", ch, *ch ? ")" : "",
			 slash ? slash + 1 : font);
	}
}

/* The runs set outside line setting (folios, running heads, leaders,
 * contents numbers: text and width only) get their glyphs, shaped as
 * lay_width measured them. */
static void lay_shape_plain_runs(lay *L, lo_doc *lo)
{
	for (size_t i = 0; i < lo->npages; i++)
		for (size_t k = 0; k < lo->pages[i].nruns; k++) {
			lo_run *r = &lo->pages[i].runs[k];
			if (r->glyphs || !r->text || r->font < 0 ||
			    (size_t)r->font >= L->nfonts)
				continue;
			r->glyphs = lay_plain_glyphs(L, r->font, r->text,
						     &r->nglyphs, &r->offsets);
			r->upem = face_units_per_em(L->fonts[r->font]);
			r->hscale = 1;
		}
}

/* Close range k of the vertical list at the current line. */
static void lay_end_range(lay *L, lay_book *b, int k)
{
	lay_range *rg = &b->r[k];
	rg->first = k ? b->r[k - 1].end : 0;
	rg->end = L->nlines;
}

/* The vertical list, range by range: the body (opened by the title
 * block and closed by the colophon when the style has no cover and no
 * back cover), then the contents, the cover and the back cover, each
 * only if the style has it; then the pages, planned as a book. */
static void lay_set_book(lay *L, lay_book *b)
{
	const style *st = L->st;
	int all = !L->cover_only;
	lay_ref_anchors(L);
	if (all && !st->cover_page)
		lay_title_block(L);
	if (all)
		lay_body(L);
	if (all && !st->back_cover)
		lay_colophon(L);
	lay_end_range(L, b, LAY_BODY);
	if (all && st->contents_page)
		lay_contents(L);
	lay_end_range(L, b, LAY_CONTENTS);
	if (st->cover_page)
		lay_cover(L);
	lay_end_range(L, b, LAY_COVER);
	if (all && st->back_cover)
		lay_back(L);
	lay_end_range(L, b, LAY_BACK);
	lay_plan_book(L, b);
}

/* Forget the vertical list before the book is set a second time, with
 * the looseness its pages asked for. */
static void lay_reset(lay *L)
{
	L->nlines = L->nruns = L->nrlinks = 0;
	L->ntargets = L->nanchors = L->ntoc = 0;
	L->naddr_notes = L->addr_notes_set = 0;
	L->nstructs = 0;
	L->elem = LO_ARTIFACT;
	L->cover_figure = LO_ARTIFACT;
	L->quote = L->nquotes = 0;
	L->pending = L->pend_plus = L->pend_minus = 0;
	L->pend_penalty = L->keep_next = L->force_next = L->prev_para = 0;
	L->npara = 0;
	L->overfull = 0;
	L->set_once = 0;
}

/* Set the book; when its pages ask for paragraphs a line longer or
 * shorter, set it again with them (the first setting's diagnostics are
 * dropped then: the second says the same). */
static void lay_set_loosened(lay *L, lay_book *b)
{
	diag_list *dl = L->dl, first = {0};
	L->dl = &first;
	lay_set_book(L, b);
	L->dl = dl;
	int again = 0;
	for (size_t i = 0; L->loose_plan && L->nlines <= LAY_LOOSE_LINES &&
			   i < L->nvariants; i++)
		again |= L->loose_plan[i] != 0;
	if (!again) {
		diag_append(dl, &first);
		return;
	}
	diag_free(&first);
	lay_reset(L);
	L->loose = L->loose_plan;
	memset(b, 0, sizeof *b);
	lay_set_book(L, b);
}

/* The last baseline of a full page: as many body lines as fit the text
 * block, the first at its ascent. Pages of running text all end there;
 * spaces stretch to bring other pages level with them. */
static double lay_foot(const lay *L)
{
	const style *st = L->st;
	double asc = lay_ascent(L, st->body_size);
	double desc = lay_descent(L, st->body_size);
	double room = L->text_height - asc + desc;
	if (room < 0)
		return L->text_height;
	return asc + floor(room / st->body_leading) * st->body_leading;
}

static void lay_free(lay *L)
{
	buf_free(&L->text);
	lay_scratch_free(L, L->gl);
	lay_scratch_free(L, L->goff);
	lay_scratch_free(L, L->frags);
	lay_scratch_free(L, L->items);
	lay_scratch_free(L, L->boxes);
	lay_scratch_free(L, L->plans);
	lay_scratch_free(L, L->glue);
	lay_scratch_free(L, L->looks);
	lay_scratch_free(L, L->pieces);
	lay_scratch_free(L, L->runs);
	lay_scratch_free(L, L->faces);
	lay_scratch_free(L, L->missing);
	hmap_free(&L->missing_map);
	lay_scratch_free(L, L->rlinks);
	lay_scratch_free(L, L->lines);
	lay_scratch_free(L, L->targets);
	lay_scratch_free(L, L->addr_notes);
	lay_scratch_free(L, L->anchors);
	lay_scratch_free(L, L->toc);
	lay_scratch_free(L, L->variants);
	lay_scratch_free(L, L->structs);
	lay_cache_free(&L->cache);
}

/* layout_booklet, or with cover_only the cover page alone (NULL when it
 * would not be the book's page 0 as it is: no cover page, or one whose
 * link numbers count on the body's). */
static lo_doc *lay_book_pages(const doc *d, const style *st, res *r,
			      arena *a, diag_list *dl, int cover_only)
{
	lay L;
	lo_doc *lo = NULL;
	memset(&L, 0, sizeof L);
	L.cover_only = cover_only;
	L.st = st;
	L.d = d;
	L.a = a;
	L.dl = dl;
	L.style_pos = (doc_pos){st->path, 0, 0};
	L.measure = st->page_width - st->margin_inner - st->margin_outer;
	L.text_height = st->page_height - st->margin_top - st->margin_bottom;
	if (lay_open_fonts(&L, r) == 0) {
		/* the fonts were read while the patterns were prefetched */
		L.hy = res_hyph(r, st->hyphenation);
		if (!L.hy)
			diag_add(dl, DIAG_WARNING, st->path, 0, 0,
				 "cannot open hyphenation patterns %s: not "
				 "hyphenating", st->hyphenation);
		L.foot = lay_foot(&L);
		lay_book b;
		memset(&b, 0, sizeof b);
		lay_set_loosened(&L, &b);
		lo = lay_make_pages(&L, &b);
		lay_shape_plain_runs(&L, lo);
		lay_report_missing(&L, r);
		if (cover_only && (L.naddr_notes || !lo || !lo->npages ||
				   lo->pages[0].kind != LO_COVER))
			lo = NULL;
	}
	lay_free(&L);
	return lo;
}

lo_doc *layout_booklet(const doc *d, const style *st, res *r, arena *a,
		       diag_list *dl)
{
	return lay_book_pages(d, st, r, a, dl, 0);
}

lo_doc *layout_cover(const doc *d, const style *st, res *r, arena *a,
		     diag_list *dl)
{
	if (!st->cover_page)
		return NULL;
	return lay_book_pages(d, st, r, a, dl, 1);
}

static const char *lay_kind_name(lo_page_kind k)
{
	switch (k) {
	case LO_COVER: return "cover";
	case LO_FRONT: return "front";
	case LO_BODY: return "body";
	case LO_BACK: return "back";
	case LO_NOTES: return "notes";
	case LO_BLANK: return "blank";
	}
	return "?";
}

static const char *lay_stype_name(lo_stype t)
{
	static const char *const names[LO_STYPE_MAX] = {
		"Document", "Sect", "H", "P", "L", "LI", "Lbl", "LBody",
		"BlockQuote", "TOC", "TOCI", "Reference", "Link", "BibEntry",
		"Figure", "Caption"
	};
	return t >= 0 && t < LO_STYPE_MAX ? names[t] : "?";
}

void layout_dump(const lo_doc *lo, FILE *f)
{
	fprintf(f, "doc %.2f %.2f pages %zu overfull %zu\n", lo->width,
		lo->height, lo->npages, lo->overfull);
	for (size_t i = 0; i < lo->npages; i++) {
		const lo_page *p = &lo->pages[i];
		fprintf(f, "page %zu %s %s\n", i + 1, lay_kind_name(p->kind),
			p->label ? p->label : "-");
		for (size_t k = 0; k < p->nruns; k++) {
			const lo_run *r = &p->runs[k];
			fprintf(f, "run %d %.2f %.2f %.2f %.2f %.3f %.3f %s |",
				r->font, r->size, r->x, r->y, r->width,
				r->hscale, r->space_adjust, r->text);
			for (size_t g = 0; g < r->nglyphs; g++)
				fprintf(f, " %u%s", (unsigned)r->glyphs[g].gid,
					r->glyphs[g].kind == LO_GLYPH_SPACE ? "s" :
					r->glyphs[g].kind == LO_GLYPH_HYPHEN ? "h" :
					r->glyphs[g].kind == LO_GLYPH_LINE_SPACE ? "e" : "");
			fputc('\n', f);
		}
		for (size_t k = 0; k < p->nfills; k++) {
			const lo_fill *r = &p->fills[k];
			fprintf(f, "fill %.2f %.2f %.2f %.2f\n", r->x0, r->y0,
				r->x1, r->y1);
		}
		for (size_t k = 0; k < p->nimages; k++) {
			const lo_image *m = &p->images[k];
			fprintf(f, "image %.2f %.2f %.2f %.2f %zu bytes %s\n",
				m->x0, m->y0, m->x1, m->y1, m->len,
				m->alt ? m->alt : "");
		}
		for (size_t k = 0; k < p->nrules; k++) {
			const lo_rule *r = &p->rules[k];
			fprintf(f, "rule %.2f %.2f %.2f %.2f %.2f\n", r->x0, r->y0,
				r->x1, r->y1, r->width);
		}
		for (size_t k = 0; k < p->nlinks; k++) {
			const lo_link *l = &p->links[k];
			if (l->uri)
				fprintf(f, "link %.2f %.2f %.2f %.2f uri %s\n",
					l->x0, l->y0, l->x1, l->y1, l->uri);
			else
				fprintf(f, "link %.2f %.2f %.2f %.2f page %d %.2f\n",
					l->x0, l->y0, l->x1, l->y1,
					l->dest_page + 1, l->dest_y);
		}
	}
	for (size_t i = 0; i < lo->noutline; i++)
		fprintf(f, "outline %d page %d %.2f %s\n", lo->outline[i].level,
			lo->outline[i].page + 1, lo->outline[i].y,
			lo->outline[i].title);
	for (size_t i = 0; i < lo->nstructs; i++) {
		const lo_struct *e = &lo->structs[i];
		fprintf(f, "struct %zu %s parent %d", i, lay_stype_name(e->type),
			e->parent);
		if (e->type == LO_H)
			fprintf(f, " level %d", e->level);
		fputc('\n', f);
	}
}
