/* items.c - the inline content of one paragraph as Knuth-Plass items
 * (lb_item): words as boxes, split at hyphenation points and after
 * dashes, interword glue, penalties; links and citations become link
 * targets. An item is 16 bytes: a box's text (pointing into the document)
 * and look (font, size, colour, link, in the paragraph's table of looks)
 * are beside it in L->boxes, a glue's stretch and shrink in the
 * paragraph's few kinds of glue. Widths come from the fonts, kerned; widths
 * and hyphenation points are cached per word. */
#include "typeset/lay.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/utf8.h"
#include "doc/cite.h"

/* Append an item of this type and width. */
static lb_item *lay_push(lay *L, lb_type type, double w)
{
	LAY_GROW(L, L->items, L->n, L->cap);
	lb_item *it = &L->items[L->n++];
	memset(it, 0, sizeof *it);
	it->type = type;
	it->width = w;
	return it;
}

static int lay_cent_eq(const void *entry, const void *key)
{
	const lay_cent *e = entry, *k = key;
	return e->len == k->len && e->font == k->font && e->size == k->size &&
	       !memcmp(e->s, k->s, k->len);
}

/* The cache entry for (s, font, size); *found says whether it was there
 * (if not, the entry is new and keyed, its value still to be filled).
 * NULL when memory runs out (the caller then works without it). */
static lay_cent *lay_cache_get(lay *L, const char *s, size_t len, int font,
			       double size, int *found)
{
	lay_cache *c = &L->cache;
	lay_cent key = {len ? s : "", len, font, size, 0, NULL, 0};
	uint64_t h = hash_u64(hash_u64(hash_bytes(HASH_SEED, s, len),
				       (uint64_t)(font + 1)),
			      (uint64_t)(size * 64));
	lay_cent *e = hmap_get(&c->map, h, lay_cent_eq, &key);
	*found = e != NULL;
	if (e)
		return e;
	if (!c->chunk || c->chunk->used == LAY_CACHE_CHUNK) {
		lay_cache_chunk *k = malloc(sizeof *k);
		if (!k)
			return NULL;
		k->older = c->chunk;
		k->used = 0;
		c->chunk = k;
	}
	e = &c->chunk->e[c->chunk->used];
	*e = key;
	if (hmap_put(&c->map, h, e) != 0)
		return NULL;
	c->chunk->used++;
	return e;
}

void lay_cache_free(lay_cache *c)
{
	hmap_free(&c->map);
	while (c->chunk) {
		lay_cache_chunk *k = c->chunk->older;
		free(c->chunk);
		c->chunk = k;
	}
}

static int lay_missing_eq(const void *entry, const void *key)
{
	return ((const lay_missing *)entry)->cp == *(const uint32_t *)key;
}

/* Is pos earlier in the source than the one recorded in m? A position
 * without a line is later than any with one. */
static int lay_earlier(const doc_pos *pos, const lay_missing *m)
{
	if (!pos || pos->line <= 0)
		return 0;
	if (m->pos.line <= 0)
		return 1;
	return pos->line < m->pos.line ||
	       (pos->line == m->pos.line && pos->col < m->pos.col);
}

/* Note that font lacks character cp, met at L->src. */
static void lay_note_missing(lay *L, int font, uint32_t cp)
{
	uint64_t h = hash_u64(HASH_SEED, cp);
	lay_missing *m = hmap_get(&L->missing_map, h, lay_missing_eq, &cp);
	if (m) {
		if (lay_earlier(L->src, m))
			m->pos = *L->src;
		return;
	}
	if (L->nmissing == L->capmissing) {
		/* the entries move: the table is rebuilt over them */
		LAY_GROW(L, L->missing, L->nmissing, L->capmissing);
		hmap_free(&L->missing_map);
		for (size_t i = 0; i < L->nmissing; i++)
			if (hmap_put(&L->missing_map,
				     hash_u64(HASH_SEED, L->missing[i].cp),
				     &L->missing[i]))
				return;
	}
	m = &L->missing[L->nmissing];
	m->cp = cp;
	m->font = font;
	m->pos = L->src ? *L->src : (doc_pos){L->d->path, 0, 0};
	if (hmap_put(&L->missing_map, h, m) == 0)
		L->nmissing++;
}

/* Note every character of s[0..len) that font lacks (it is drawn as the
 * font's empty box); reported once each when the layout ends. */
void lay_check_glyphs(lay *L, int font, const char *s, size_t len)
{
	size_t i = 0, used;
	while (i < len) {
		uint32_t cp = utf8_decode(s + i, len - i, &used);
		i += used;
		if (cp >= 0x20 && !font_has_glyph(L->fonts[font], cp))
			lay_note_missing(L, font, cp);
	}
}

/* The index of look lk in the paragraph's looks, added unless it is the
 * last one added. */
static uint32_t lay_look_index(lay *L, const lay_look *lk)
{
	if (L->nlooks) {
		const lay_look *p = &L->looks[L->nlooks - 1];
		if (p->font == lk->font && p->size == lk->size &&
		    p->color.r == lk->color.r && p->color.g == lk->color.g &&
		    p->color.b == lk->color.b && p->link == lk->link &&
		    p->nobreak == lk->nobreak)
			return (uint32_t)(L->nlooks - 1);
	}
	LAY_GROW(L, L->looks, L->nlooks, L->caplooks);
	L->looks[L->nlooks] = *lk;
	return (uint32_t)L->nlooks++;
}

/* A box showing s[0..len) with look k, measured once per word. */
static void lay_box(lay *L, uint32_t k, const char *s, size_t len)
{
	if (!len)
		return;
	const lay_look *lk = &L->looks[k];
	int found;
	double w;
	lay_cent *e = lay_cache_get(L, s, len, lk->font, lk->size, &found);
	if (e && found) {
		w = e->width;
	} else {
		w = lay_width(L, lk->font, s, len, lk->size);
		if (e)
			e->width = w;
		lay_check_glyphs(L, lk->font, s, len);
	}
	LAY_GROW(L, L->boxes, L->nboxes, L->capboxes);
	L->boxes[L->nboxes] = (lay_boxtext){s, (uint32_t)len, k};
	lay_push(L, LB_BOX, w)->ref = (uint32_t)L->nboxes++;
}

/* The index of glue with this stretch and shrink in the paragraph's
 * table (the glue of one font and size is one kind). */
static uint32_t lay_glue_kind(lay *L, double stretch, double shrink)
{
	for (size_t i = L->nglue; i-- > 0;)
		if (L->glue[i].stretch == stretch && L->glue[i].shrink == shrink)
			return (uint32_t)i;
	LAY_GROW(L, L->glue, L->nglue, L->capglue);
	L->glue[L->nglue] = (lb_glue){stretch, shrink};
	return (uint32_t)L->nglue++;
}

/* Interword glue from the space of look k's font, unless the paragraph is
 * empty so far or already ends in glue. */
static void lay_glue(lay *L, uint32_t k)
{
	if (!L->n || L->items[L->n - 1].type == LB_GLUE)
		return;
	const lay_look *lk = &L->looks[k];
	double w = lay_width(L, lk->font, " ", 1, lk->size);
	if (lk->nobreak)
		lay_push(L, LB_PENALTY, 0)->penalty = LB_INFINITY;
	lay_push(L, LB_GLUE, w)->ref = lay_glue_kind(L, w * L->st->space_stretch,
						     w * L->st->space_shrink);
}

static void lay_penalty(lay *L, double w, int pen, int flagged)
{
	lb_item *it = lay_push(L, LB_PENALTY, w);
	it->penalty = (int16_t)pen;   /* style.c bounds penalties to 10000 */
	it->flagged = (uint8_t)flagged;
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
static double lay_kern_at(const lay *L, uint32_t k, const char *s,
			  size_t at, uint32_t c)
{
	const lay_look *lk = &L->looks[k];
	return font_kern(L->fonts[lk->font], lay_last_cp(s, at), c) *
	       lk->size / 1000.0;
}

/* The box just pushed holds s[at..len): add the kerning across the join
 * with the box before it, so a hyphenated word's boxes sum to its kerned
 * width. */
static void lay_kern_join(lay *L, uint32_t k, const char *s, size_t at,
			  size_t len)
{
	size_t used;
	if (!L->n || L->items[L->n - 1].type != LB_BOX || at >= len)
		return;
	L->items[L->n - 1].width +=
		lay_kern_at(L, k, s, at, utf8_decode(s + at, len - at, &used));
}

/* A word part without dashes: boxes split at hyphenation points. */
static void lay_syllables(lay *L, uint32_t k, const char *s, size_t len,
			  int hyphenate)
{
	size_t pts[LAY_MAX_HYPH], np = 0;
	if (hyphenate && L->hy && len >= 5) {
		int found;
		lay_cent *e = lay_cache_get(L, s, len, -1, 0, &found);
		if (e && found) {
			np = e->npts;
			memcpy(pts, e->pts, np * sizeof *pts);
		} else {
			np = hyph_points(L->hy, s, len, pts, LAY_MAX_HYPH);
			if (e) {
				e->npts = np;
				e->pts = arena_alloc(L->a,
						     (np + 1) * sizeof *e->pts);
				memcpy(e->pts, pts, np * sizeof *pts);
			}
		}
	}
	size_t at = 0;
	const lay_look *lk = &L->looks[k];
	double hw = np ? lay_width(L, lk->font, "-", 1, lk->size) : 0;
	for (size_t i = 0; i < np; i++) {
		if (pts[i] <= at || pts[i] >= len)
			continue;
		lay_box(L, k, s + at, pts[i] - at);
		if (at)
			lay_kern_join(L, k, s, at, len);
		/* the hyphen is kerned against the letter it follows */
		lay_penalty(L, hw + lay_kern_at(L, k, s, pts[i], '-'),
			    L->st->hyphen_penalty, 1);
		at = pts[i];
	}
	lay_box(L, k, s + at, len - at);
	if (at)
		lay_kern_join(L, k, s, at, len);
}

/* Part of a space-free word: breaks after dashes (unflagged) and at
 * hyphenation points (flagged), or for URLs only after '/', '.' and '-'. */
static void lay_word_part(lay *L, uint32_t k, const char *s, size_t len,
			  int url, int hyphenate)
{
	size_t at = 0;
	if (url) {
		for (size_t i = 0; i + 1 < len; i++) {
			char c = s[i];
			if ((c == '/' || c == '.' || c == '-') && s[i + 1] != '/') {
				lay_box(L, k, s + at, i + 1 - at);
				lay_penalty(L, 0, L->st->url_penalty, 0);
				at = i + 1;
			}
		}
		lay_box(L, k, s + at, len - at);
		return;
	}
	size_t i = 0;
	while (i < len) {
		size_t dl = lay_dash(s + i, len - i);
		if (dl && i + dl < len && i > at) {
			lay_syllables(L, k, s + at, i - at, hyphenate);
			lay_box(L, k, s + i, dl);
			lay_penalty(L, 0, L->st->dash_penalty, 0);
			at = i + dl;
		}
		i += dl ? dl : 1;
	}
	lay_syllables(L, k, s + at, len - at, hyphenate);
}

/* The next soft hyphen (U+00AD) in s[0..len), or NULL. */
static const char *lay_find_shy(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if ((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xAD)
			return s + i;
	return NULL;
}

/* One space-free word. Soft hyphens (U+00AD, as text pasted from a word
 * processor or the web has them) are the author's breaks and the only
 * ones in their word: each is a flagged penalty carrying a hyphen (kerned
 * against the letter before), invisible unless the line breaks there, and
 * the parts around it are kerned together as if it were not there. */
static void lay_word(lay *L, uint32_t k, const char *s, size_t len, int url,
		     int hyphenate)
{
	if (!lay_find_shy(s, len)) {
		lay_word_part(L, k, s, len, url, hyphenate);
		return;
	}
	const lay_look *lk = &L->looks[k];
	uint32_t prev = 0;          /* last character of the parts so far */
	size_t at = 0;
	while (at < len) {
		const char *shy = lay_find_shy(s + at, len - at);
		size_t end = shy ? (size_t)(shy - s) : len;
		if (end > at) {
			size_t first = L->n, used;
			if (prev)
				lay_penalty(L, lay_width(L, lk->font, "-", 1,
							 lk->size) +
					       font_kern(L->fonts[lk->font],
							 prev, '-') *
					       lk->size / 1000.0,
					    L->st->hyphen_penalty, 1);
			lay_word_part(L, k, s + at, end - at, url, 0);
			uint32_t next = utf8_decode(s + at, end - at, &used);
			for (size_t i = first; prev && i < L->n; i++)
				if (L->items[i].type == LB_BOX) {
					L->items[i].width +=
						font_kern(L->fonts[lk->font],
							  prev, next) *
						lk->size / 1000.0;
					break;
				}
			prev = lay_last_cp(s, end);
		}
		at = end + 2;
	}
}

/* s without its soft hyphens (s itself if it has none), for text that is
 * never broken: running heads, bookmarks. */
const char *lay_strip_shy(arena *a, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	if (!s || !lay_find_shy(s, len))
		return s;
	char *out = arena_alloc(a, len + 1), *q = out;
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)s[i] == 0xC2 && i + 1 < len &&
		    (unsigned char)s[i + 1] == 0xAD) {
			i++;
			continue;
		}
		*q++ = s[i];
	}
	*q = 0;
	return out;
}

/* Text in look lk: words at spaces, glue between. The text stays in the
 * tree (or the arena); boxes point into it. */
void lay_text(lay *L, const lay_look *lk, const char *s, int url,
	      int hyphenate)
{
	uint32_t k = lay_look_index(L, lk);
	size_t len = strlen(s), i = 0;
	LAY_GROW(L, L->pieces, L->npieces, L->cappieces);
	L->pieces[L->npieces++] = (lay_piece){s, L->nboxes, L->text_off};
	L->text_off += len;
	while (i < len) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			lay_glue(L, k);
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && s[j] != ' ' && s[j] != '\t' && s[j] != '\n')
			j++;
		lay_word(L, k, s + i, j - i, url, hyphenate);
		i = j;
	}
}

/* A link target (1 + its index) and its LO_LINK element, under the
 * element of the text being set. */
int lay_add_target(lay *L, const char *uri, int anchor)
{
	LAY_GROW(L, L->targets, L->ntargets, L->captargets);
	L->targets[L->ntargets].uri = uri;
	L->targets[L->ntargets].anchor = anchor;
	L->targets[L->ntargets].elem = lay_elem(L, LO_LINK, L->elem);
	L->targets[L->ntargets].title = NULL;
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
static void lay_cite(lay *L, const lay_look *base, const doc_node *c,
		     int hyphenate)
{
	cite_seg *segs = NULL;
	size_t ns = cite_format_group(L->a, c, &segs);
	for (size_t k = 0; k < ns; k++) {
		lay_look lk = *base;
		const char *t = segs[k].text ? segs[k].text : "";
		int an = segs[k].ref ? lay_ref_anchor(L, segs[k].ref) : -1;
		if (an >= 0)
			lk.link = lay_add_target(L, NULL, an);
		else if (segs[k].href)
			lk.link = lay_add_target(L, segs[k].href, -1);
		if (lk.link)
			L->targets[lk.link - 1].title = t;
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
	int italic = 0, bold = 0;
	int link = 0, url = 0, nobreak = 0;
	doc_inline it;
	doc_inline_start(&it, root);
	while (doc_inline_next(&it)) {
		int bits = bits0 | (italic > 0 ? 1 : 0) | (bold > 0 ? 2 : 0);
		lay_look base = {0};
		switch (it.event) {
		case DOC_IN_EMPH:
		case DOC_IN_EMPH_END:
			italic += it.event == DOC_IN_EMPH ? 1 : -1;
			break;
		case DOC_IN_STRONG:
		case DOC_IN_STRONG_END:
			bold += it.event == DOC_IN_STRONG ? 1 : -1;
			break;
		case DOC_IN_LINK:
			link = lay_add_target(L, it.href, -1);
			L->targets[link - 1].title = doc_plain_text(L->a, it.node);
			url = lay_is_url(L->targets[link - 1].title);
			nobreak = !strncmp(it.href, "tel:", 4);
			break;
		case DOC_IN_LINK_END:
			if (link) {   /* the address, if the style prints it */
				base.font = lay_font(L, bits, heading);
				base.size = size;
				base.color = L->st->link_color;
				base.link = link;
				lay_link_address(L, it.node, it.href, &base);
			}
			link = url = nobreak = 0;
			break;
		case DOC_IN_TEXT:
			L->src = &it.node->pos;
			base.font = lay_font(L, bits, heading);
			base.size = size;
			base.color = link ? L->st->link_color : color;
			base.link = link;
			base.nobreak = nobreak;
			lay_text(L, &base, it.text, url, hyphenate && !url);
			break;
		case DOC_IN_CITE:
			L->src = &it.node->pos;
			base.font = lay_font(L, bits, heading);
			base.size = size;
			base.color = color;
			lay_cite(L, &base, it.node, hyphenate);
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
		for (size_t i = 0; i < L->nglue; i++)
			L->glue[i].stretch = f->align == LAY_RAGGED ?
				L->st->ragged_stretch * f->size : f->width;
	lay_push(L, LB_GLUE, 0)->ref = lay_glue_kind(L, L->measure * 1000.0, 0);
	lay_penalty(L, 0, -LB_INFINITY, 0);
	return 1;
}

/* Empty the paragraph's items and looks for the next one. A very long
 * paragraph's arrays are given back at once, so that they do not add to
 * the memory its lines and pages take next. */
void lay_items_reset(lay *L)
{
	L->n = 0;
	L->nboxes = 0;
	L->nglue = 0;
	L->nlooks = 0;
	L->npieces = 0;
	L->text_off = 0;
	if (L->cap > LAY_KEEP_ITEMS) {
		lay_scratch_free(L, L->items);
		L->items = NULL;
		L->cap = 0;
	}
	if (L->capboxes > LAY_KEEP_ITEMS) {
		lay_scratch_free(L, L->boxes);
		L->boxes = NULL;
		L->capboxes = 0;
	}
	if (L->caplooks > LAY_KEEP_ITEMS) {
		lay_scratch_free(L, L->looks);
		L->looks = NULL;
		L->caplooks = 0;
	}
}
