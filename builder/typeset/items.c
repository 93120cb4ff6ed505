/* items.c - the inline content of one paragraph as Knuth-Plass items
 * (lb_item): words as boxes, split where they may break (hyphenation
 * points, soft hyphens, dashes, URLs), interword glue, penalties, and the
 * items that let punctuation hang into the margins (protrusion); links and
 * citations become link targets. An item is 16 bytes: a box's word (shaped
 * whole by HarfBuzz through the run's shape cache) and look (font, size,
 * colour, link, in the paragraph's table of looks) are beside it in
 * L->boxes, a glue's stretch and shrink in the paragraph's few kinds of
 * glue. Widths are the shaped glyphs' advances (kerning, ligatures), the
 * same the lines are drawn with; how a word breaks in a font is worked out
 * once per word and cached. */
#include "typeset/lay.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/mem.h"
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

const shape_run *lay_shape(const lay *L, int font, const char *s, size_t len)
{
	const shape_run *r = shape_text(L->shaper, L->fonts[font], s, len,
					&L->shape);
	if (!r)
		mem_fail();
	return r;
}

static int lay_cent_eq(const void *entry, const void *key)
{
	const lay_cent *e = entry, *k = key;
	return e->len == k->len && e->font == k->font && e->mode == k->mode &&
	       !memcmp(e->s, k->s, k->len);
}

/* The cache entry for (s, font, mode); *found says whether it was there
 * (if not, the entry is new and keyed, its value still to be filled).
 * NULL when memory runs out (the caller then works without it). */
static lay_cent *lay_cache_get(lay *L, const char *s, size_t len, int font,
			       int mode, int *found)
{
	lay_cache *c = &L->cache;
	lay_cent key = {0};
	key.s = len ? s : "";
	key.len = len;
	key.font = font;
	key.mode = mode;
	uint64_t h = hash_u64(hash_bytes(HASH_SEED, s, len),
			      (uint64_t)(font + 1) << 8 | (uint64_t)mode);
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
		if (cp >= 0x20 && cp != 0xAD && !face_glyph(L->fonts[font], cp))
			lay_note_missing(L, font, cp);
	}
}

/* Where the characters of glyph i of r end: the nearest larger cluster
 * (HarfBuzz's clusters run monotonically, up for left-to-right text,
 * down for right-to-left), or the text's end. */
static size_t lay_cluster_end(const shape_run *r, size_t i)
{
	uint32_t at = r->glyphs[i].cluster;
	size_t k = i + 1;
	while (k < r->n && r->glyphs[k].cluster == at)
		k++;
	if (k < r->n && r->glyphs[k].cluster > at)
		return r->glyphs[k].cluster;
	k = i;
	while (k > 0 && r->glyphs[k - 1].cluster == at)
		k--;
	if (k > 0 && r->glyphs[k - 1].cluster > at)
		return r->glyphs[k - 1].cluster;
	return r->len;
}

/* Note the characters of shaped text r that came out as .notdef (glyph
 * 0): those of each such glyph's cluster. The shaped glyphs say it, so
 * the font's cmap is not asked again. */
static void lay_note_notdef(lay *L, int font, const shape_run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->glyphs[i].gid != 0 ||
		    (i > 0 && r->glyphs[i - 1].cluster == r->glyphs[i].cluster))
			continue;
		size_t at = r->glyphs[i].cluster, end = lay_cluster_end(r, i), used;
		while (at < end) {
			uint32_t cp = utf8_decode(r->text + at, end - at, &used);
			at += used;
			if (cp >= 0x20 && cp != 0xAD)
				lay_note_missing(L, font, cp);
		}
	}
}

/* The index of look lk in the paragraph's looks, added unless it is the
 * last one added; its word space is measured when it is added. */
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
	L->looks[L->nlooks].space = lay_width(L, lk->font, " ", 1, lk->size);
	return (uint32_t)L->nlooks++;
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

static void lay_penalty(lay *L, double w, int pen, int flagged)
{
	lb_item *it = lay_push(L, LB_PENALTY, w);
	it->penalty = (int16_t)pen;   /* style.c bounds penalties to 10000 */
	it->flagged = (uint8_t)flagged;
}

/* Interword glue from the space of look k's font, unless the paragraph is
 * empty so far or already ends in glue. After a word whose last character
 * may hang into the right margin, the break goes to a penalty before the
 * glue whose width takes the hang off the line (the glue itself is then no
 * break: a glue breaks only after a box). */
static void lay_glue(lay *L, uint32_t k)
{
	if (!L->n || L->items[L->n - 1].type == LB_GLUE)
		return;
	const lay_look *lk = &L->looks[k];
	double w = lk->space;
	if (lk->nobreak)
		lay_push(L, LB_PENALTY, 0)->penalty = LB_INFINITY;
	else if (L->last_hang > 0 && L->items[L->n - 1].type == LB_BOX)
		lay_penalty(L, -L->last_hang, 0, 0);
	L->last_hang = 0;
	lay_push(L, LB_GLUE, w)->ref = lay_glue_kind(L, w * L->st->space_stretch,
						     w * L->st->space_shrink);
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

/* The next soft hyphen (U+00AD) in s[0..len), or NULL. */
static const char *lay_find_shy(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if ((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xAD)
			return s + i;
	return NULL;
}

/* Protrusion: how much of a character's width may hang into the margin,
 * on the right at a line's end (right) or on the left at its start, before
 * the style's factor. The classes and amounts are microtype's defaults
 * for text fonts: full stops, commas and hyphens most, colons and
 * semicolons half, dashes and marks of exclamation and question little;
 * closing quotes on the right, opening quotes on the left. */
static double lay_protrusion_table(uint32_t cp, int right)
{
	if (right)
		switch (cp) {
		case '.': case ',': case '-': case 0x2010: case 0x2011:
		case '\'': case 0x2019:
			return 0.7;
		case ':': case ';': case '"': case 0x201D:
			return 0.5;
		case 0x2013:
			return 0.3;
		case '!': case '?': case 0x2014:
			return 0.2;
		default:
			return 0;
		}
	switch (cp) {
	case '\'': case 0x2018:
		return 0.7;
	case '"': case 0x201C:
		return 0.5;
	default:
		return 0;
	}
}

/* The fraction of cp's width that may hang into the margin on that side
 * in this style. */
double lay_protrusion(const lay *L, uint32_t cp, int right)
{
	return L->st->protrusion * lay_protrusion_table(cp, right);
}

/* Font units glyph g, showing character cp alone, may hang into the
 * margin (right or left side). */
static int32_t lay_hang(const lay *L, const shape_glyph *g, uint32_t cp,
			int right)
{
	double f = lay_protrusion(L, cp, right);
	return f > 0 && g->x_advance > 0 ? (int32_t)(f * g->x_advance) : 0;
}

/* A word's breaks (then pieces) while they are worked out. */
typedef struct lay_cands {
	lay_wpiece *p;
	size_t *last;           /* per piece: its glyph of largest cluster */
	size_t n, cap;
} lay_cands;

static void lay_cand(lay_cands *c, size_t end, int kind)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->p = xreallocarray(c->p, c->cap, sizeof *c->p);
	}
	memset(&c->p[c->n], 0, sizeof *c->p);
	c->p[c->n].end = (uint32_t)end;
	c->p[c->n].kind = (uint8_t)kind;
	c->n++;
}

static int lay_cand_cmp(const void *a, const void *b)
{
	const lay_wpiece *x = a, *y = b;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return (x->kind > y->kind) - (x->kind < y->kind);
}

/* Breaks inside a URL, as The Chicago Manual of Style (17th ed., 14.18)
 * has them: after "//" or a colon; before a single slash, a tilde, a full
 * stop, a comma, a hyphen, an underline, a question mark, a number sign or
 * a percent sign; before or after an equals sign or an ampersand. Nothing
 * is added at the break, and a line never ends with the URL's own hyphen.
 * None within two characters of either end. */
static void lay_url_breaks(lay_cands *c, const char *s, size_t len)
{
	for (size_t i = 2; i + 2 < len; i++) {
		char ch = s[i], pr = s[i - 1];
		if ((pr == '/' && s[i - 2] == '/') || (pr == ':' && ch != '/') ||
		    pr == '=' || pr == '&' ||
		    (ch == '/' && pr != '/' && s[i + 1] != '/') || ch == '~' ||
		    ch == '.' || ch == ',' || ch == '-' || ch == '_' ||
		    ch == '?' || ch == '#' || ch == '%' || ch == '=' || ch == '&')
			lay_cand(c, i, LAY_BRK_URL);
	}
}

/* The last resort inside a URL, when the style allows it: between the
 * syllables of its words of eight letters or more (nothing added). */
static void lay_url_word_breaks(lay *L, lay_cands *c, const char *s,
				size_t len)
{
	size_t pts[LAY_MAX_HYPH];
	if (!L->hy || !L->st->url_word_breaks)
		return;
	for (size_t i = 0; i < len;) {
		size_t j = i;
		while (j < len && ((s[j] >= 'a' && s[j] <= 'z') ||
				   (s[j] >= 'A' && s[j] <= 'Z')))
			j++;
		if (j - i >= 8) {
			size_t np = hyph_points(L->hy, s + i, j - i, pts,
						LAY_MAX_HYPH);
			for (size_t k = 0; k < np; k++)
				if (pts[k] >= 3 && pts[k] + 3 <= j - i)
					lay_cand(c, i + pts[k], LAY_BRK_URLWORD);
		}
		i = j > i ? j : i + 1;
	}
}

/* The hyphenation points of part s[0..len) of a word, added at off. */
static void lay_hyph_breaks(lay *L, lay_cands *c, const char *s, size_t len,
			    size_t off)
{
	size_t pts[LAY_MAX_HYPH];
	if (!L->hy || len < 5)
		return;
	size_t np = hyph_points(L->hy, s, len, pts, LAY_MAX_HYPH);
	for (size_t i = 0; i < np; i++)
		if (pts[i] > 0 && pts[i] < len)
			lay_cand(c, off + pts[i], LAY_BRK_HYPH);
}

/* Every possible break of s[0..len) (soft hyphens removed: c holds a
 * break for each of the nshy there were): the author's soft hyphens,
 * which are then the word's only hyphenation, else the hyphenation
 * points of its dash-free parts;
 * after dashes; or for a URL its own breaks. Sorted, at most one per
 * offset (the author's first), none at either end. */
static void lay_breaks(lay *L, lay_cands *c, const char *s, size_t len,
		       size_t nshy, int mode)
{
	int hyph = !nshy && (mode & LAY_WORD_HYPHENATE);
	if (mode & LAY_WORD_URL) {
		lay_url_breaks(c, s, len);
		lay_url_word_breaks(L, c, s, len);
	} else {
		size_t at = 0, i = 0;
		while (i < len) {
			size_t dl = lay_dash(s + i, len - i);
			if (dl && i + dl < len && i > at) {
				if (hyph)
					lay_hyph_breaks(L, c, s + at, i - at, at);
				lay_cand(c, i + dl, LAY_BRK_DASH);
				at = i + dl;
			}
			i += dl ? dl : 1;
		}
		if (hyph)
			lay_hyph_breaks(L, c, s + at, len - at, at);
	}
	if (c->n > 1)
		qsort(c->p, c->n, sizeof *c->p, lay_cand_cmp);
	size_t k = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->p[i].end > 0 && c->p[i].end < len &&
		    (!k || c->p[k - 1].end != c->p[i].end))
			c->p[k++] = c->p[i];
	c->n = k;
}

/* The index of the piece holding byte at: the number of breaks at or
 * before it (binary search; the last entry, END, is past every byte). */
static size_t lay_piece_of(const lay_cands *c, uint32_t at)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->p[mid].end <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Close the breaks with the END piece, then measure every piece from the
 * word's glyphs in one pass (a glyph counts in the piece holding its
 * cluster, as shape_range has it) and drop the hyphenation points no
 * glyph starts at (inside a ligature or a letter with its marks; the
 * author's soft hyphens stay). c->last gets each piece's last glyph. */
static void lay_measure_pieces(const shape_run *w, lay_cands *c)
{
	lay_cand(c, w->len, LAY_BRK_END);
	unsigned char *starts = xcalloc(c->n, 1);
	c->last = xcalloc(c->n, sizeof *c->last);
	for (size_t k = 0; k < c->n; k++)
		c->last[k] = SIZE_MAX;
	for (size_t i = 0; i < w->n; i++) {
		const shape_glyph *g = &w->glyphs[i];
		size_t k = lay_piece_of(c, g->cluster);
		if (k >= c->n)
			k = c->n - 1;
		c->p[k].width += g->x_advance;
		if (c->last[k] == SIZE_MAX ||
		    g->cluster > w->glyphs[c->last[k]].cluster)
			c->last[k] = i;
		if (k > 0 && c->p[k - 1].end == g->cluster)
			starts[k - 1] = 1;
	}
	size_t k = 0;
	int32_t carry = 0;
	size_t carry_last = SIZE_MAX;
	for (size_t i = 0; i < c->n; i++) {
		lay_wpiece p = c->p[i];
		size_t last = c->last[i] != SIZE_MAX ? c->last[i] : carry_last;
		p.width += carry;
		carry = 0;
		carry_last = SIZE_MAX;
		if (p.kind == LAY_BRK_HYPH && !starts[i]) {
			carry = p.width;
			carry_last = last;
			continue;
		}
		c->last[k] = last;
		c->p[k++] = p;
	}
	c->n = k;
	free(starts);
}

/* The code point ending s[0..end), and where it starts. */
static uint32_t lay_last_cp(const char *s, size_t end, size_t *start)
{
	size_t k = utf8_prev(s, end), used;
	*start = k;
	return utf8_decode(s + k, end - k, &used);
}

/* The hyphen added after the character ending s[0..end) in font, kerned
 * to it: the width the pair shapes to less the character's own (the
 * shaped pair, a few dozen for a whole booklet, is cached), into *pen;
 * and into *hang how far the hyphen may hang into the margin. Only the
 * character before the hyphen counts: the piece is shaped whole, with its
 * hyphen, when a line is set there. */
static void lay_hyphen_after(lay *L, int font, const char *s, size_t end,
			     int32_t *pen, int32_t *hang)
{
	size_t at;
	lay_last_cp(s, end, &at);
	const shape_run *h = shape_hyphenated(L->shaper, L->fonts[font], s + at,
					      end - at, &L->shape);
	if (!h)
		mem_fail();
	*pen = (int32_t)(h->width - lay_shape(L, font, s + at, end - at)->width);
	*hang = 0;
	if (h->n && h->glyphs[h->n - 1].cluster == end - at)
		*hang = lay_hang(L, &h->glyphs[h->n - 1], '-', 1);
}

/* What is added at each break of the word w (font units of font): at a
 * hyphen, the hyphen (lay_hyphen_after); and how far the line may then
 * hang into the right margin. Also the left hang of the word's first
 * character. Only for left-to-right glyph order. */
static void lay_break_widths(lay *L, int font, const shape_run *w,
			     lay_cands *c, int32_t *hang_left)
{
	int ltr = w->n && w->glyphs[0].cluster <= w->glyphs[w->n - 1].cluster;
	uint32_t from = 0;
	size_t used;
	*hang_left = 0;
	if (ltr && w->glyphs[0].cluster == 0) {
		uint32_t cp = utf8_decode(w->text, w->len, &used);
		if (w->n == 1 || w->glyphs[1].cluster >= used)
			*hang_left = lay_hang(L, &w->glyphs[0], cp, 0);
	}
	for (size_t i = 0; i < c->n; i++) {
		lay_wpiece *p = &c->p[i];
		if (p->kind == LAY_BRK_HYPH || p->kind == LAY_BRK_SHY) {
			lay_hyphen_after(L, font, w->text, p->end, &p->pen,
					 &p->hang);
		} else if (ltr && p->kind != LAY_BRK_URL &&
			   p->kind != LAY_BRK_URLWORD &&
			   c->last[i] != SIZE_MAX && p->end > from) {
			size_t at;
			uint32_t cp = lay_last_cp(w->text, p->end, &at);
			const shape_glyph *g = &w->glyphs[c->last[i]];
			if (g->cluster == at)
				p->hang = lay_hang(L, g, cp, 1);
		}
		from = p->end;
	}
}

/* s[0..len) without its soft hyphens, into b; a break for each (at its
 * offset in the result) into c. Returns how many there were. */
static size_t lay_remove_shy(const char *s, size_t len, buf *b, lay_cands *c)
{
	size_t n = 0, at = 0;
	const char *q;
	b->len = 0;
	while ((q = lay_find_shy(s + at, len - at))) {
		size_t k = (size_t)(q - s);
		buf_put(b, s + at, k - at);
		lay_cand(c, b->len, LAY_BRK_SHY);
		n++;
		at = k + 2;
	}
	buf_put(b, s + at, len - at);
	return n;
}

/* How word s[0..len) breaks in font (mode: LAY_WORD_*): shaped whole
 * (soft hyphens removed), its pieces between breaks measured, what each
 * break adds, the hangs; cached per word (in the arena, uncached, when the
 * cache has no memory). Characters the font lacks (shaped as .notdef) are
 * noted the first time the word is met. */
static const lay_cent *lay_word_plan(lay *L, int font, const char *s,
				     size_t len, int mode)
{
	int found;
	lay_cent *e = lay_cache_get(L, s, len, font, mode, &found);
	if (e && found)
		return e;
	if (!e)
		e = arena_alloc(L->a, sizeof *e);
	LAY_GROW(L, L->plans, L->nplans, L->capplans);
	L->plans[L->nplans++] = e;
	e->id = (uint32_t)L->nplans;
	lay_cands c = {0};
	size_t nshy = 0;
	if (lay_find_shy(s, len)) {
		buf b = {0};
		nshy = lay_remove_shy(s, len, &b, &c);
		e->word = lay_shape(L, font, b.data, b.len);
		buf_free(&b);
	} else {
		e->word = lay_shape(L, font, s, len);
	}
	lay_note_notdef(L, font, e->word);
	lay_breaks(L, &c, e->word->text, e->word->len, nshy, mode);
	lay_measure_pieces(e->word, &c);
	lay_break_widths(L, font, e->word, &c, &e->hang_left);
	e->pieces = arena_alloc(L->a, c.n * sizeof *e->pieces);
	memcpy(e->pieces, c.p, c.n * sizeof *e->pieces);
	e->npieces = c.n;
	free(c.p);
	free(c.last);
	return e;
}


/* A box for piece i of plan e in look k, of width w; its offset in the
 * piece of text word s[0..len) lies in: where the piece starts in s,
 * counting the soft hyphens the shaped text lost (*src and *done walk s
 * and the shaped text along, so a word is read once). */
static void lay_word_box(lay *L, const lay_cent *e, size_t i, uint32_t k,
			 double w, const char *s, size_t len, size_t word_off,
			 size_t *src, uint32_t *done)
{
	uint32_t from = i ? e->pieces[i - 1].end : 0;
	while (*done < from && *src < len) {
		if (*src + 1 < len && (unsigned char)s[*src] == 0xC2 &&
		    (unsigned char)s[*src + 1] == 0xAD) {
			*src += 2;
			continue;
		}
		(*src)++;
		(*done)++;
	}
	while (*src + 1 < len && (unsigned char)s[*src] == 0xC2 &&
	       (unsigned char)s[*src + 1] == 0xAD)
		*src += 2;
	LAY_GROW(L, L->boxes, L->nboxes, L->capboxes);
	L->boxes[L->nboxes] = (lay_boxtext){e->id, (uint32_t)i, k,
					    (uint32_t)(word_off + *src)};
	lay_push(L, LB_BOX, w)->ref = (uint32_t)L->nboxes++;
}

/* One space-free word in look k: its pieces as boxes with a penalty at
 * each break (a hyphen's width less its hang; the style's penalty for its
 * kind), shaped and measured once per word (lay_word_plan). A word that
 * may start a line with an opening quote hanging into the left margin
 * gets the hang as a negative kern box, the glue before it as much wider
 * (so the kern costs nothing unless the line starts there). */
static void lay_word(lay *L, uint32_t k, const char *s, size_t len, int url,
		     int hyphenate)
{
	const lay_look *lk = &L->looks[k];
	int font = lk->font;
	double size = lk->size;
	int mode = (url ? LAY_WORD_URL : 0) | (hyphenate ? LAY_WORD_HYPHENATE : 0);
	const lay_cent *e = lay_word_plan(L, font, s, len, mode);
	const lay_piece *pc = L->npieces ? &L->pieces[L->npieces - 1] : NULL;
	size_t word_off = pc && pc->text ? (size_t)(s - pc->text) : 0;
	if (!e->npieces)
		return;
	if (e->hang_left > 0 && L->n && L->items[L->n - 1].type == LB_GLUE) {
		double hl = lay_pt(L, font, e->hang_left, size);
		L->items[L->n - 1].width += hl;
		LAY_GROW(L, L->boxes, L->nboxes, L->capboxes);
		L->boxes[L->nboxes] = (lay_boxtext){0, 0, k,
						    (uint32_t)word_off};
		lay_push(L, LB_BOX, -hl)->ref = (uint32_t)L->nboxes++;
	}
	size_t src = 0;
	uint32_t done = 0;
	for (size_t i = 0; i < e->npieces; i++) {
		const lay_wpiece *p = &e->pieces[i];
		lay_word_box(L, e, i, k, lay_pt(L, font, p->width, size), s, len,
			     word_off, &src, &done);
		double w = lay_pt(L, font, p->pen - p->hang, size);
		switch (p->kind) {
		case LAY_BRK_HYPH:
		case LAY_BRK_SHY:
			lay_penalty(L, w, L->st->hyphen_penalty, 1);
			break;
		case LAY_BRK_DASH:
			lay_penalty(L, w, L->st->dash_penalty, 0);
			break;
		case LAY_BRK_URL:
			lay_penalty(L, w, L->st->url_penalty, 0);
			break;
		case LAY_BRK_URLWORD:
			lay_penalty(L, w, L->st->url_word_penalty, 0);
			break;
		default:
			L->last_hang = lay_pt(L, font, p->hang, size);
			break;
		}
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
