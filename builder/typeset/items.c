/* items.c - the inline content of one paragraph as Knuth-Plass items
 * (lb_item, with lay_info beside each): words as boxes, split at
 * hyphenation points and after dashes, interword glue, penalties; links
 * and citations become link targets. Widths come from the fonts, kerned;
 * widths and hyphenation points are cached per word. */
#include "typeset/lay.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "doc/cite.h"

static void lay_push(lay *L, lb_type type, double w, double stretch,
		     double shrink, int penalty, int flagged,
		     const lay_info *inf)
{
	if (L->n >= L->cap) {
		size_t nc = L->cap ? 2 * L->cap : 256;
		L->items = lay_scratch_grow(L, L->items, L->n, nc,
					    sizeof *L->items);
		L->info = lay_scratch_grow(L, L->info, L->n, nc, sizeof *L->info);
		L->cap = nc;
	}
	lb_item *it = &L->items[L->n];
	it->type = type;
	it->width = w;
	it->stretch = stretch;
	it->shrink = shrink;
	it->penalty = penalty;
	it->flagged = flagged;
	L->info[L->n] = *inf;
	L->n++;
}

static uint64_t lay_hash(const char *s, size_t len, int font, double size)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	h = (h ^ (uint64_t)(font + 1)) * 1099511628211u;
	h = (h ^ (uint64_t)(size * 64)) * 1099511628211u;
	return h;
}

/* The cache entry for (s, font, size); *found says whether it was there
 * (if not, the entry is new and keyed, its value still to be filled). */
static lay_cent *lay_cache_get(lay *L, const char *s, size_t len, int font,
			       double size, int *found)
{
	lay_cache *c = &L->cache;
	if (2 * (c->n + 1) > c->cap) {
		size_t nc = c->cap ? 2 * c->cap : 1024;
		lay_cent *ne = lay_scratch_grow(L, NULL, 0, nc, sizeof *ne);
		memset(ne, 0, nc * sizeof *ne);
		for (size_t i = 0; i < c->cap; i++) {
			if (!c->e[i].s)
				continue;
			size_t j = lay_hash(c->e[i].s, c->e[i].len, c->e[i].font,
					    c->e[i].size) & (nc - 1);
			while (ne[j].s)
				j = (j + 1) & (nc - 1);
			ne[j] = c->e[i];
		}
		lay_scratch_free(L, c->e);
		c->e = ne;
		c->cap = nc;
	}
	size_t j = lay_hash(s, len, font, size) & (c->cap - 1);
	while (c->e[j].s) {
		lay_cent *e = &c->e[j];
		if (e->len == len && e->font == font && e->size == size &&
		    !memcmp(e->s, s, len)) {
			*found = 1;
			return e;
		}
		j = (j + 1) & (c->cap - 1);
	}
	lay_cent *e = &c->e[j];
	e->s = len ? s : "";
	e->len = len;
	e->font = font;
	e->size = size;
	c->n++;
	*found = 0;
	return e;
}

static void lay_box(lay *L, const lay_info *base, const char *s, size_t len)
{
	if (!len)
		return;
	lay_info inf = *base;
	inf.text = s;
	inf.len = len;
	int found;
	lay_cent *e = lay_cache_get(L, s, len, base->font, base->size, &found);
	if (!found)
		e->width = lay_width(L, base->font, s, len, base->size);
	lay_push(L, LB_BOX, e->width, 0, 0, 0, 0, &inf);
}

/* Interword glue from the space of base's font, unless the paragraph is
 * empty so far or already ends in glue. */
static void lay_glue(lay *L, const lay_info *base)
{
	if (!L->n || L->items[L->n - 1].type == LB_GLUE)
		return;
	double w = lay_width(L, base->font, " ", 1, base->size);
	lay_info inf = *base;
	inf.text = NULL;
	inf.len = 0;
	if (base->nobreak)
		lay_push(L, LB_PENALTY, 0, 0, 0, LB_INFINITY, 0, &inf);
	lay_push(L, LB_GLUE, w, w * L->st->space_stretch,
		 w * L->st->space_shrink, 0, 0, &inf);
}

static void lay_penalty(lay *L, const lay_info *base, double w, int pen,
			int flagged)
{
	lay_info inf = *base;
	inf.text = NULL;
	inf.len = 0;
	lay_push(L, LB_PENALTY, w, 0, 0, pen, flagged, &inf);
}

/* Length of a dash (ASCII hyphen, U+2010, en or em dash) at s, or 0. */
static size_t lay_dash(const char *s, size_t len)
{
	if (len >= 1 && s[0] == '-')
		return 1;
	if (len >= 3 && (unsigned char)s[0] == 0xE2 &&
	    (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x90 || (unsigned char)s[2] == 0x93 ||
	     (unsigned char)s[2] == 0x94))
		return 3;
	return 0;
}

/* The code point ending s[0..end). */
static uint32_t lay_last_cp(const char *s, size_t end)
{
	size_t k = utf8_prev(s, end), used;
	return utf8_decode(s + k, end - k, &used);
}

/* Kerning (pt) between the character ending s[0..at) and c. */
static double lay_kern_at(const lay *L, const lay_info *base, const char *s,
			  size_t at, uint32_t c)
{
	return font_kern(L->fonts[base->font], lay_last_cp(s, at), c) *
	       base->size / 1000.0;
}

/* The box just pushed holds s[at..len): add the kerning across the join
 * with the box before it, so a hyphenated word's boxes sum to its kerned
 * width. */
static void lay_kern_join(lay *L, const lay_info *base, const char *s,
			  size_t at, size_t len)
{
	size_t used;
	if (!L->n || L->items[L->n - 1].type != LB_BOX || at >= len)
		return;
	L->items[L->n - 1].width +=
		lay_kern_at(L, base, s, at, utf8_decode(s + at, len - at, &used));
}

/* A word part without dashes: boxes split at hyphenation points. */
static void lay_syllables(lay *L, const lay_info *base, const char *s,
			  size_t len, int hyphenate)
{
	size_t pts[LAY_MAX_HYPH], np = 0;
	if (hyphenate && L->hy && len >= 5) {
		int found;
		lay_cent *e = lay_cache_get(L, s, len, -1, 0, &found);
		if (!found) {
			e->npts = hyph_points(L->hy, s, len, pts, LAY_MAX_HYPH);
			e->pts = arena_alloc(L->a, (e->npts + 1) * sizeof *e->pts);
			memcpy(e->pts, pts, e->npts * sizeof *pts);
		}
		np = e->npts;
		memcpy(pts, e->pts, np * sizeof *pts);
	}
	size_t at = 0;
	double hw = np ? lay_width(L, base->font, "-", 1, base->size) : 0;
	for (size_t i = 0; i < np; i++) {
		if (pts[i] <= at || pts[i] >= len)
			continue;
		lay_box(L, base, s + at, pts[i] - at);
		if (at)
			lay_kern_join(L, base, s, at, len);
		/* the hyphen is kerned against the letter it follows */
		lay_penalty(L, base, hw + lay_kern_at(L, base, s, pts[i], '-'),
			    L->st->hyphen_penalty, 1);
		at = pts[i];
	}
	lay_box(L, base, s + at, len - at);
	if (at)
		lay_kern_join(L, base, s, at, len);
}

/* One space-free word: breaks after dashes (unflagged) and at hyphenation
 * points (flagged), or for URLs only after '/', '.' and '-'. */
static void lay_word(lay *L, const lay_info *base, const char *s, size_t len,
		     int url, int hyphenate)
{
	size_t at = 0;
	if (url) {
		for (size_t i = 0; i + 1 < len; i++) {
			char c = s[i];
			if ((c == '/' || c == '.' || c == '-') && s[i + 1] != '/') {
				lay_box(L, base, s + at, i + 1 - at);
				lay_penalty(L, base, 0, L->st->url_penalty, 0);
				at = i + 1;
			}
		}
		lay_box(L, base, s + at, len - at);
		return;
	}
	size_t i = 0;
	while (i < len) {
		size_t dl = lay_dash(s + i, len - i);
		if (dl && i + dl < len && i > at) {
			lay_syllables(L, base, s + at, i - at, hyphenate);
			lay_box(L, base, s + i, dl);
			lay_penalty(L, base, 0, L->st->dash_penalty, 0);
			at = i + dl;
		}
		i += dl ? dl : 1;
	}
	lay_syllables(L, base, s + at, len - at, hyphenate);
}

/* Text: words at spaces, glue between. The text stays in the tree (or the
 * arena); boxes point into it. */
void lay_text(lay *L, const lay_info *base, const char *s, int url,
		     int hyphenate)
{
	size_t len = strlen(s), i = 0;
	while (i < len) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			lay_glue(L, base);
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && s[j] != ' ' && s[j] != '\t' && s[j] != '\n')
			j++;
		lay_word(L, base, s + i, j - i, url, hyphenate);
		i = j;
	}
}

int lay_add_target(lay *L, const char *uri, int anchor)
{
	LAY_GROW(L, L->targets, L->ntargets, L->captargets);
	L->targets[L->ntargets].uri = uri;
	L->targets[L->ntargets].anchor = anchor;
	return (int)++L->ntargets;
}

static int lay_is_url(const char *s)
{
	return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8) ||
	       !strncmp(s, "www.", 4);
}

/* The anchor of a bibliography entry, or -1. */
int lay_ref_anchor(const lay *L, const doc_ref *r)
{
	if (!r || !L->d->refs || r < L->d->refs || r >= L->d->refs + L->d->nrefs)
		return -1;
	return L->ref_anchor[r - L->d->refs];
}

/* A citation as cite_format_group spells it: each label a link to its
 * bibliography entry, extra links as URI links. */
static void lay_cite(lay *L, const lay_info *base, const doc_node *c,
		     int hyphenate)
{
	cite_seg *segs = NULL;
	size_t ns = cite_format_group(L->a, c, &segs);
	for (size_t k = 0; k < ns; k++) {
		lay_info lk = *base;
		const char *t = segs[k].text ? segs[k].text : "";
		int an = segs[k].ref ? lay_ref_anchor(L, segs[k].ref) : -1;
		if (an >= 0)
			lk.link = lay_add_target(L, NULL, an);
		else if (segs[k].href)
			lk.link = lay_add_target(L, segs[k].href, -1);
		if (lk.link)
			lk.color = L->st->link_color;
		int url = segs[k].href && lay_is_url(t);
		lay_text(L, &lk, t, url, hyphenate && !lk.link);
	}
}

/* The inline content of a paragraph or heading, walked without recursion:
 * em/strong nesting picks the face, links carry their URI. */
void lay_inline(lay *L, doc_node *root, int bits0, int heading,
		       double size, paint color, int hyphenate)
{
	int italic = 0, bold = 0, entering = 1;
	int link = 0, url = 0, nobreak = 0;
	for (doc_node *c = doc_walk(root, NULL, &entering); c;
	     c = doc_walk(root, c, &entering)) {
		if (c == root)
			continue;
		switch (c->type) {
		case DOC_EMPH:
			italic += entering ? 1 : -1;
			break;
		case DOC_STRONG:
			bold += entering ? 1 : -1;
			break;
		case DOC_LINK:
			if (entering && c->text) {
				const char *t = doc_plain_text(L->a, c);
				link = lay_add_target(L, c->text, -1);
				url = lay_is_url(t);
				nobreak = !strncmp(c->text, "tel:", 4);
			} else {
				link = 0;
				url = 0;
				nobreak = 0;
			}
			break;
		case DOC_TEXT:
			if (entering && c->text) {
				int bits = bits0 | (italic > 0 ? 1 : 0) |
					   (bold > 0 ? 2 : 0);
				lay_info base = {0};
				base.font = lay_font(L, bits, heading);
				base.size = size;
				base.color = link ? L->st->link_color : color;
				base.link = link;
				base.nobreak = nobreak;
				lay_text(L, &base, c->text, url,
					 hyphenate && !url);
			}
			break;
		case DOC_CITE:
			if (entering) {
				int bits = bits0 | (italic > 0 ? 1 : 0) |
					   (bold > 0 ? 2 : 0);
				lay_info base = {0};
				base.font = lay_font(L, bits, heading);
				base.size = size;
				base.color = color;
				lay_cite(L, &base, c, hyphenate);
				entering = 0;
			}
			break;
		default:
			break;
		}
	}
}

/* End the paragraph's items for lb_break: trailing glue and penalties
 * dropped, notional stretch for ragged lines, then the finishing glue and
 * the forced break. Returns 0 (and leaves no items) if the paragraph is
 * empty, else 1. */
int lay_items_end(lay *L, const lay_fmt *f)
{
	while (L->n && L->items[L->n - 1].type != LB_BOX)
		L->n--;
	if (!L->n)
		return 0;
	/* ragged lines: any break is as good as another, fewest lines win;
	 * ragged-right text gets half an em of notional stretch per space, so
	 * lines that stop well short of the measure cost more (the stretch is
	 * never applied when the line is set) */
	if (f->align != LAY_JUSTIFY)
		for (size_t i = 0; i < L->n; i++)
			if (L->items[i].type == LB_GLUE)
				L->items[i].stretch = f->align == LAY_RAGGED ?
					L->st->ragged_stretch * f->size : f->width;
	lay_info z = L->info[L->n - 1];
	z.text = NULL;
	z.link = 0;
	lay_push(L, LB_GLUE, 0, L->measure * 1000.0, 0, 0, 0, &z);
	lay_penalty(L, &z, 0, -LB_INFINITY, 0);
	return 1;
}
