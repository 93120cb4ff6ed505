/* layout.c - the typesetter: turns the document tree into pages of
 * positioned text runs, rules and links (lo_doc). Inline content becomes
 * Knuth-Plass items (boxes, glue, penalties) broken by lb_break; the lines
 * form one vertical list per range (body, contents, covers) that is
 * paginated greedily with keeps (widows, orphans, headings, quotes, short
 * list items); the contents is set after the body so its page numbers are
 * known. Every size, space and colour comes from the style. */
#include "typeset/layout.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "doc/cite.h"
#include "font/font.h"
#include "typeset/hyph.h"
#include "typeset/linebreak.h"
#include "typeset/style.h"

/* LAY_LEFT: any break is as good as another (headings, short lines);
 * LAY_RAGGED: ragged right that still prefers evenly filled lines. */
enum { LAY_JUSTIFY, LAY_LEFT, LAY_CENTER, LAY_RAGGED };
enum { LAY_NFONTS = 5, LAY_MAX_NEST = 80, LAY_MAX_HYPH = 32, LAY_MAX_OWNED = 16 };

/* Per-item data beside the lb_item array. */
typedef struct lay_info {
	const char *text;       /* box text (NULL for glue and penalties) */
	size_t len;
	int font;
	double size;
	paint color;
	int link;               /* 1 + index into targets, or 0 */
	int nobreak;            /* spaces do not break (telephone numbers) */
} lay_info;

/* Where a link goes: a URI, or an anchor resolved after pagination. */
typedef struct lay_target {
	const char *uri;
	int anchor;
} lay_target;

/* A link rectangle relative to its line's left edge and baseline. */
typedef struct lay_rlink {
	double x0, x1, dy0, dy1;
	int target;
} lay_rlink;

/* One line of the vertical list. */
typedef struct lay_vline {
	double space_before;    /* dropped at a page top unless fixed */
	double leading;         /* baseline distance from the previous line */
	double ascent, descent; /* extents above (+) and below (-) baseline */
	int fixed;              /* space_before kept at a page top */
	int keep;               /* no page break before this line */
	int force;              /* a new page before this line */
	int part;               /* part index for the running header, or -1 */
	int quote;              /* quote block id (rule at the left), or 0 */
	double rule_x;
	size_t run0, nruns, link0, nlinks;
	int page;               /* after pagination: page within its range */
	double y;               /* baseline below the top of the text block */
} lay_vline;

typedef struct lay_anchor {
	size_t line;            /* SIZE_MAX until placed */
	int page;
	double y;
} lay_anchor;

typedef struct lay_toc {
	int level;
	const char *title;
	int anchor;
} lay_toc;

/* A cache entry: the width of a text in a font at a size, or (font -1)
 * the hyphenation points of a word. */
typedef struct lay_cent {
	const char *s;
	size_t len;
	int font;
	double size;
	double width;
	size_t *pts;
	size_t npts;
} lay_cent;

typedef struct lay_cache {
	lay_cent *e;
	size_t cap, n;
} lay_cache;

/* The format of one paragraph. */
typedef struct lay_fmt {
	double left, width;     /* block offset from the text block, width */
	double first, rest;     /* extra offsets: first line, other lines */
	int align;
	int hyphenate;
	double size, leading;
	const doc_node *src;    /* for diagnostics */
	const char *marker;     /* list number or bullet, hung left of left */
	int marker_font;
	paint marker_color;
} lay_fmt;

typedef struct lay {
	const style *st;
	const doc *d;
	arena *a;
	diag_list *dl;
	font_face *fonts[LAY_NFONTS];
	int heading_font;
	hyph *hy;
	/* the current paragraph */
	lb_item *items;
	lay_info *info;
	size_t n, cap;
	/* output of line setting */
	lo_run *runs;
	size_t nruns, capruns;
	lay_rlink *rlinks;
	size_t nrlinks, caprlinks;
	lay_vline *lines;
	size_t nlines, caplines;
	lay_target *targets;
	size_t ntargets, captargets;
	lay_anchor *anchors;
	size_t nanchors, capanchors;
	lay_toc *toc;
	size_t ntoc, captoc;
	int *ref_anchor;        /* per d->refs index */
	lay_cache cache;        /* widths and hyphenation points per word */
	buf text;               /* the text of the run being set */
	void *arena_owned[LAY_MAX_OWNED];   /* scratch moved into the arena */
	size_t narena_owned;
	/* vertical state */
	double pending;
	int keep_next;
	int prev_para;
	int force_next;
	int part;
	int quote, nquotes;
	double rule_x;
	double measure, text_height;
	size_t overfull;
} lay;

/* Scratch arrays (items, lines, runs ... freed when layout ends) grow
 * with realloc; if that fails they move into the arena (which aborts on
 * out-of-memory, the tool's one place to do so) and are remembered so
 * they are not freed. Page arrays in the result are arena memory sized
 * exactly (LAY_PGROW only as a fallback). */
#define LAY_GROW(L, arr, n, cap)                                          \
	do {                                                              \
		if ((n) >= (cap)) {                                       \
			size_t nc_ = (cap) ? 2 * (cap) : 64;              \
			(arr) = lay_scratch_grow((L), (arr), (n), nc_,    \
						 sizeof *(arr));          \
			(cap) = nc_;                                      \
		}                                                         \
	} while (0)

#define LAY_PGROW(L, arr, n, cap)                                         \
	do {                                                              \
		if ((n) >= (cap)) {                                       \
			size_t nc_ = (cap) ? 2 * (cap) : 8;               \
			(arr) = arena_grow((L)->a, (arr), (n), nc_,       \
					   sizeof *(arr));                \
			(cap) = nc_;                                      \
		}                                                         \
	} while (0)

static int lay_in_arena(const lay *L, const void *p)
{
	for (size_t i = 0; i < L->narena_owned; i++)
		if (L->arena_owned[i] == p)
			return 1;
	return 0;
}

static void *lay_scratch_grow(lay *L, void *old, size_t n, size_t cap,
			      size_t size)
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

static void lay_scratch_free(lay *L, void *p)
{
	if (p && !lay_in_arena(L, p))
		free(p);
}

static double lay_max(double a, double b) { return a > b ? a : b; }

/* Font index for bold/italic bits (1 italic, 2 bold), or the heading
 * font when heading is set. */
static int lay_font(const lay *L, int bits, int heading)
{
	if (heading && L->heading_font != 2)
		return L->heading_font;
	return bits & 3;
}

static double lay_width(const lay *L, int font, const char *s, size_t len,
			double size)
{
	return font_width(L->fonts[font], s, len, size);
}

static double lay_ascent(const lay *L, double size)
{
	return font_ascent(L->fonts[0]) * size / 1000.0;
}

static double lay_descent(const lay *L, double size)
{
	return font_descent(L->fonts[0]) * size / 1000.0;
}

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
static void lay_text(lay *L, const lay_info *base, const char *s, int url,
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

static int lay_add_target(lay *L, const char *uri, int anchor)
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
static int lay_ref_anchor(const lay *L, const doc_ref *r)
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

/* The inline content of a paragraph or heading, through the document's
 * one inline walker (doc_inline_next): em/strong nesting picks the face,
 * links carry their URI (only links the checker accepted come as links). */
static void lay_inline(lay *L, doc_node *root, int bits0, int heading,
		       double size, paint color, int hyphenate)
{
	int italic = 0, bold = 0;
	int link = 0, url = 0, nobreak = 0;
	doc_inline it;
	doc_inline_start(&it, root);
	while (doc_inline_next(&it)) {
		int bits = bits0 | (italic > 0 ? 1 : 0) | (bold > 0 ? 2 : 0);
		lay_info base = {0};
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
			url = lay_is_url(doc_plain_text(L->a, it.node));
			nobreak = !strncmp(it.href, "tel:", 4);
			break;
		case DOC_IN_LINK_END:
			link = url = nobreak = 0;
			break;
		case DOC_IN_TEXT:
			base.font = lay_font(L, bits, heading);
			base.size = size;
			base.color = link ? L->st->link_color : color;
			base.link = link;
			base.nobreak = nobreak;
			lay_text(L, &base, it.text, url, hyphenate && !url);
			break;
		case DOC_IN_CITE:
			base.font = lay_font(L, bits, heading);
			base.size = size;
			base.color = color;
			lay_cite(L, &base, it.node, hyphenate);
			break;
		}
	}
}

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

static lo_run *lay_new_run(lay *L)
{
	LAY_GROW(L, L->runs, L->nruns, L->capruns);
	lo_run *r = &L->runs[L->nruns++];
	memset(r, 0, sizeof *r);
	return r;
}

/* Set one broken line: runs at their x (justified by moving words), the
 * hyphen appended where the line ends at a flagged penalty, and link
 * rectangles merged along the line. */
static void lay_set_line(lay *L, const lay_fmt *f, const lb_line *ln,
			 double x0, double width, double ratio)
{
	size_t s = ln->start, e = ln->end;
	while (s < e && L->items[s].type != LB_BOX)
		s++;
	size_t last = e;
	while (last > s && L->items[last - 1].type != LB_BOX)
		last--;
	/* ragged and last lines are not stretched; glue never shrinks past
	 * its shrink (an overfull line sticks out, and is reported) */
	if ((f->align != LAY_JUSTIFY || e + 1 >= L->n) && ratio > 0)
		ratio = 0;
	if (ratio < -1)
		ratio = -1;
	if (f->align == LAY_CENTER) {
		double nat = 0;
		for (size_t i = s; i < last; i++)
			if (L->items[i].type != LB_PENALTY)
				nat += L->items[i].width;
		if (e < L->n && L->items[e].type == LB_PENALTY)
			nat += L->items[e].width;
		if (nat < width)
			x0 += (width - nat) / 2;
	}
	double x = x0;
	int glued = 1;            /* glue since the previous run */
	int prevlink = 0;
	lay_rlink *cur = NULL;
	lo_run *open = NULL;      /* the run whose text is collected in tb */
	buf *tb = &L->text;
	for (size_t i = s; i < last; i++) {
		const lb_item *it = &L->items[i];
		const lay_info *in = &L->info[i];
		if (it->type == LB_GLUE) {
			x += it->width + (ratio > 0 ? ratio * it->stretch
						    : ratio * it->shrink);
			glued = 1;
			continue;
		}
		if (it->type == LB_PENALTY)
			continue;
		if (!glued && open && open->font == in->font &&
		    open->size == in->size && open->color.r == in->color.r &&
		    open->color.g == in->color.g &&
		    open->color.b == in->color.b && prevlink == in->link) {
			buf_put(tb, in->text, in->len);
			open->width += it->width;
		} else {
			if (open)
				open->text = arena_strndup(L->a, tb->data, tb->len);
			open = lay_new_run(L);
			open->font = in->font;
			open->size = in->size;
			open->x = x;
			open->width = it->width;
			open->color = in->color;
			tb->len = 0;
			buf_put(tb, in->text, in->len);
		}
		if (in->link) {
			if (cur && prevlink == in->link) {
				cur->x1 = x + it->width;
			} else {
				LAY_GROW(L, L->rlinks, L->nrlinks, L->caprlinks);
				cur = &L->rlinks[L->nrlinks++];
				cur->x0 = x;
				cur->x1 = x + it->width;
				cur->dy0 = lay_descent(L, in->size);
				cur->dy1 = lay_ascent(L, in->size);
				cur->target = in->link - 1;
			}
		} else {
			cur = NULL;
		}
		prevlink = in->link;
		x += it->width;
		glued = 0;
	}
	if (open && e < L->n && L->items[e].type == LB_PENALTY &&
	    L->items[e].flagged && L->items[e].width > 0) {
		buf_put(tb, "-", 1);
		open->width += L->items[e].width;
		if (cur)
			cur->x1 += L->items[e].width;
	}
	if (open)
		open->text = arena_strndup(L->a, tb->data, tb->len);
}

/* Break the collected items into lines and append them to the vertical
 * list with their keeps (orphans, widows). Returns the index of the first
 * line, or SIZE_MAX if the paragraph was empty. Empties the items. */
static size_t lay_para_finish(lay *L, const lay_fmt *f)
{
	while (L->n && L->items[L->n - 1].type != LB_BOX)
		L->n--;
	if (!L->n)
		return SIZE_MAX;
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
	double widths[2] = {f->width - f->first, f->width - f->rest};
	lb_params p = {
		.widths = widths, .nwidths = 2, .tolerance = L->st->tolerance,
		.line_penalty = L->st->line_penalty,
		.flagged_demerits = L->st->flagged_demerits,
		.fitness_demerits = L->st->fitness_demerits,
		.max_hyphens_in_row = L->st->max_hyphens,
	};
	lb_line *out = NULL;
	size_t nl = lb_break(L->items, L->n, &p, &out);
	size_t first = L->nlines;
	for (size_t i = 0; i < nl; i++) {
		size_t run0 = L->nruns, link0 = L->nrlinks;
		double off = i ? f->rest : f->first;
		if (i == 0 && f->marker) {
			lo_run *r = lay_new_run(L);
			r->font = f->marker_font;
			r->size = f->size;
			r->width = lay_width(L, f->marker_font, f->marker,
					     strlen(f->marker), f->size);
			r->x = f->left - L->st->list_number_gap - r->width;
			r->color = f->marker_color;
			r->text = f->marker;
		}
		lay_set_line(L, f, &out[i], f->left + off, widths[i ? 1 : 0],
			     out[i].ratio);
		if (out[i].overfull) {
			L->overfull++;
			const doc_pos *pos = f->src ? &f->src->pos : NULL;
			diag_add(L->dl, DIAG_WARNING, pos ? pos->file : L->d->path,
				 pos ? pos->line : 0, pos ? pos->col : 0,
				 "line %zu of this paragraph does not fit the "
				 "measure (%.1fpt)", i + 1, widths[i ? 1 : 0]);
		}
		lay_vline *v = lay_add_line(L, f->leading, f->size, run0, link0);
		if (i > 0 && (i < (size_t)L->st->orphan_lines ||
			      i + (size_t)L->st->widow_lines > nl))
			v->keep = 1;
	}
	free(out);
	L->n = 0;
	if (!nl) {
		diag_add(L->dl, DIAG_ERROR, L->d->path, 0, 0,
			 "out of memory breaking lines");
		return SIZE_MAX;
	}
	return first;
}

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

static int lay_new_anchor(lay *L)
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
	}
	L->pending = hs->below;
	L->keep_next = L->st->heading_keep_lines;
	L->prev_para = 0;
}

static void lay_para(lay *L, doc_node *p, const lay_ctx *cx, const char *marker)
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
static void lay_bibliography(lay *L, const lay_ctx *cx)
{
	const doc *d = L->d;
	const style *st = L->st;
	for (size_t i = 0; i < d->nrefs; i++) {
		const doc_ref *r = d->refs_sorted ? d->refs_sorted[i] : &d->refs[i];
		cite_seg *segs = NULL;
		size_t ns = cite_format_entry(L->a, r, &segs);
		for (size_t k = 0; k < ns; k++) {
			lay_info base = {0};
			base.font = segs[k].italic ? 1 : 0;
			base.size = st->bib_size;
			base.color = st->text_color;
			if (segs[k].href) {
				base.link = lay_add_target(L, segs[k].href, -1);
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
		if (i)
			L->pending = lay_max(L->pending, st->bib_space);
		size_t first = lay_para_finish(L, &f);
		int an = lay_ref_anchor(L, r);
		if (first != SIZE_MAX && an >= 0)
			L->anchors[an].line = first;
	}
	L->prev_para = 0;
}

/* One part of the body, walked without recursion. */
static void lay_part(lay *L, doc_node *part)
{
	const style *st = L->st;
	lay_ctx stack[LAY_MAX_NEST];
	int depth = 0;
	stack[0].left = 0;
	stack[0].width = L->measure;
	stack[0].ordered = 0;
	stack[0].count = 0;
	stack[0].item_first = SIZE_MAX;
	const char *marker = NULL;
	size_t quote_first = SIZE_MAX;
	int entering = 1, overflow = 0;
	L->force_next = 1;
	L->keep_next = 0;
	L->prev_para = 0;
	for (doc_node *c = doc_walk(part, NULL, &entering); c;
	     c = doc_walk(part, c, &entering)) {
		lay_ctx *cx = &stack[depth];
		switch (c->type) {
		case DOC_PART:
			if (entering)
				lay_heading(L, c, 0, cx);
			break;
		case DOC_SECTION:
			if (entering)
				lay_heading(L, c, c->depth > 1 ? 2 : 1, cx);
			break;
		case DOC_HEADING:
			if (entering)
				entering = 0;
			break;
		case DOC_PARA:
			if (entering) {
				lay_para(L, c, cx, marker);
				marker = NULL;
				entering = 0;
			}
			break;
		case DOC_LIST:
		case DOC_EXPERIENCE:
			if (entering) {
				int q = c->type == DOC_EXPERIENCE;
				double ind = q ? st->quote_indent : st->list_indent;
				if (!q && c->ordered) {
					/* the number column holds the widest
					 * number ("12.") however big the type */
					size_t items = 0;
					for (doc_node *k = c->first; k; k = k->next)
						items++;
					char label[32];
					int ll = snprintf(label, sizeof label, "%zu.", items);
					double w = lay_width(L, 0, label, (size_t)ll,
							     st->body_size) +
						   st->list_number_gap;
					ind = lay_max(ind, w);
				}
				if (depth + 1 >= LAY_MAX_NEST) {
					overflow++;   /* deeper still: no indent */
				} else {
					depth++;
					stack[depth] = *cx;
					/* deep nesting stops indenting at half
					 * the measure */
					if (cx->width - ind >= L->measure / 2) {
						stack[depth].left += ind;
						stack[depth].width -= ind;
					}
				}
				lay_ctx *nx = &stack[depth];
				nx->ordered = c->ordered;
				nx->count = 0;
				L->prev_para = 0;
				if (q) {
					L->pending = lay_max(L->pending,
							     st->quote_above);
					L->quote = ++L->nquotes;
					L->rule_x = nx->left - st->quote_rule_gap;
					quote_first = L->nlines;
					doc_node *h = doc_heading(c);
					if (h) {
						lay_inline(L, h, 2, 0,
							   st->quote_title_size,
							   st->heading_color, 0);
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
				}
			} else {
				if (c->type == DOC_EXPERIENCE) {
					lay_keep_block(L, quote_first, 0);
					L->pending = lay_max(L->pending, st->quote_below);
					L->quote = 0;
				} else {
					L->pending = lay_max(L->pending,
							     st->list_item_space);
				}
				if (overflow)
					overflow--;
				else if (depth > 0)
					depth--;
				L->prev_para = 0;
			}
			break;
		case DOC_ITEM:
			if (entering) {
				cx->count++;
				marker = cx->ordered
					? arena_printf(L->a, "%d.", cx->count)
					: st->list_bullet;
				cx->item_first = L->nlines;
				L->pending = lay_max(L->pending,
						     st->list_item_space);
				L->prev_para = 0;
			} else {
				lay_keep_block(L, cx->item_first,
					       st->keep_item_lines);
				marker = NULL;
			}
			break;
		case DOC_BIBLIOGRAPHY:
			if (entering)
				lay_bibliography(L, cx);
			break;
		default:
			if (entering)
				entering = 0;
			break;
		}
	}
}

/* Paginate lines [a, b) greedily: a line goes on the page if it fits,
 * else the page ends before the latest line that may start a page (no
 * keep); when the whole page is one keep chain it ends at the overflow.
 * Sets each line's page (from 0) and y. Returns the page count. */
static int lay_paginate(lay *L, size_t a, size_t b)
{
	int page = 0;
	size_t start = a, i = a;
	double y = 0;
	while (i < b) {
		lay_vline *v = &L->lines[i];
		if (i > start && v->force) {
			page++;
			start = i;
		}
		double ny = i == start
			? v->ascent + (v->fixed ? v->space_before : 0)
			: y + v->space_before + v->leading;
		if (i > start && ny - v->descent > L->text_height) {
			size_t j = i;
			while (j > start && L->lines[j].keep)
				j--;
			if (j == start)
				j = i;
			page++;
			start = i = j;
			continue;
		}
		v->page = page;
		v->y = ny;
		y = ny;
		i++;
	}
	return b > a ? page + 1 : 0;
}

/* A one-off paragraph of plain text (cover, contents, back cover). */
static size_t lay_simple(lay *L, const char *text, int font, double size,
			 double leading, paint color, double left,
			 double width, int align, double hang)
{
	lay_info base = {0};
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
static void lay_cover(lay *L)
{
	const style *st = L->st;
	const doc_meta *m = &L->d->meta;
	int hf = lay_font(L, 2, 1);
	L->force_next = 1;
	L->keep_next = 0;
	L->part = -1;
	L->pending = st->cover_top;
	size_t first = L->nlines;
	lay_simple(L, m->title ? m->title : "", hf, st->cover_title_size,
		   st->cover_title_leading, st->heading_color, 0, L->measure,
		   LAY_LEFT, 0);
	if (m->standfirst) {
		L->pending = st->cover_gap;
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
	lay_simple(L, lay_authors(L), 2, st->cover_author_size,
		   st->cover_standfirst_leading, st->text_color, 0, L->measure,
		   LAY_LEFT, 0);
	if (m->publisher) {
		L->pending = st->cover_gap;
		lay_simple(L, m->publisher, hf, st->cover_author_size,
			   st->cover_standfirst_leading, st->heading_color, 0,
			   L->measure, LAY_LEFT, 0);
	}
	if (first < L->nlines)
		L->lines[first].fixed = 1;
	for (size_t i = first + 1; i < L->nlines; i++)
		L->lines[i].keep = 1;
}

/* The text of the first tel: link in the further-information part. */
static const char *lay_support_line(lay *L)
{
	for (doc_node *p = L->d->parts_first; p; p = p->next) {
		if (p->kind != PART_FURTHER)
			continue;
		int entering = 1;
		for (doc_node *c = doc_walk(p, NULL, &entering); c;
		     c = doc_walk(p, c, &entering))
			if (entering && c->type == DOC_LINK && c->text &&
			    !strncmp(c->text, "tel:", 4))
				return doc_plain_text(L->a, c);
	}
	return NULL;
}

/* Back cover: publisher, support line, review date, at the foot. */
static void lay_back(lay *L)
{
	const style *st = L->st;
	const doc_meta *m = &L->d->meta;
	L->force_next = 1;
	L->keep_next = 0;
	L->part = -1;
	L->pending = 0;
	size_t first = L->nlines;
	if (m->publisher)
		lay_simple(L, m->publisher, lay_font(L, 2, 1), st->back_size,
			   st->back_leading, st->heading_color, 0, L->measure,
			   LAY_LEFT, 0);
	const char *tel = lay_support_line(L);
	if (tel)
		lay_simple(L, arena_printf(L->a, "%s %s", st->back_support_label,
					   tel),
			   0, st->back_size, st->back_leading, st->text_color, 0,
			   L->measure, LAY_LEFT, 0);
	const char *rev = m->reviewed ? cite_format_date(L->a, m->reviewed) : NULL;
	if (rev)
		lay_simple(L, arena_printf(L->a, "%s %s", st->back_reviewed_label,
					   rev),
			   0, st->back_size, st->back_leading, st->text_color, 0,
			   L->measure, LAY_LEFT, 0);
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

/* The contents: every toc entry with dot leaders and its body page number
 * (pages counted from 1 at the first body page), each a link. The number
 * does not change the length of the contents. */
static void lay_contents(lay *L)
{
	const style *st = L->st;
	const style_heading *hs = &st->part;
	L->force_next = 1;
	L->keep_next = 0;
	L->part = -1;
	L->pending = 0;
	lay_simple(L, st->contents_title, lay_font(L, 2, 1), hs->size,
		   hs->leading, st->heading_color, 0, L->measure, LAY_LEFT, 0);
	L->pending = hs->below;
	for (size_t k = 0; k < L->ntoc; k++) {
		const lay_toc *t = &L->toc[k];
		double ind = (t->level - 1) * st->contents_indent;
		if (t->level == 1 && k)
			L->pending = lay_max(L->pending, st->contents_part_above);
		int font = t->level == 1 ? 2 : 0;
		/* room for at least two leader dots before the number */
		double w = L->measure - ind - st->contents_number_width -
			   2 * lay_width(L, 0, ". ", 2, st->contents_size);
		size_t first = lay_simple(L, t->title, font, st->contents_size,
					  st->contents_leading, st->text_color,
					  ind, w, LAY_LEFT, st->contents_indent);
		if (first == SIZE_MAX)
			continue;
		for (size_t i = first + 1; i < L->nlines; i++)
			L->lines[i].keep = 1;
		const lay_anchor *an = &L->anchors[t->anchor];
		if (an->line == SIZE_MAX)
			continue;
		lay_vline *v = &L->lines[L->nlines - 1];
		const char *num = arena_printf(L->a, "%d",
					       L->lines[an->line].page + 1);
		double end = ind;
		if (v->nruns) {
			const lo_run *lr = &L->runs[v->run0 + v->nruns - 1];
			end = lr->x + lr->width;
		}
		double numw = lay_width(L, 0, num, strlen(num), st->contents_size);
		double step = lay_width(L, 0, ". ", 2, st->contents_size);
		double dot = lay_width(L, 0, ".", 1, st->contents_size);
		if (step > 0) {
			double x = ceil((end + step) / step) * step;
			buf b = {0};
			size_t nd = 0;
			while (x + nd * step + dot <= L->measure - numw - step) {
				buf_puts(&b, nd ? " ." : ".");
				nd++;
			}
			if (nd) {
				lo_run *r = lay_new_run(L);
				r->font = 0;
				r->size = st->contents_size;
				r->x = x;
				r->text = arena_strndup(L->a, b.data, b.len);
				r->width = lay_width(L, 0, r->text, b.len,
						     st->contents_size);
				r->color = st->text_color;
				v->nruns++;
			}
			buf_free(&b);
		}
		lo_run *r = lay_new_run(L);
		r->font = 0;
		r->size = st->contents_size;
		r->x = L->measure - numw;
		r->width = numw;
		r->text = num;
		r->color = st->text_color;
		v->nruns++;
		LAY_GROW(L, L->rlinks, L->nrlinks, L->caprlinks);
		lay_rlink *lk = &L->rlinks[L->nrlinks++];
		lk->x0 = ind;
		lk->x1 = L->measure;
		lk->dy0 = v->descent;
		lk->dy1 = v->ascent + (double)(L->nlines - 1 - first) *
					      st->contents_leading;
		lk->target = lay_add_target(L, NULL, t->anchor) - 1;
		v->nlinks++;
	}
}

static const char *lay_roman(arena *a, int n)
{
	static const struct { int v; const char *s; } tab[] = {
		{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
		{90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"},
		{5, "v"}, {4, "iv"}, {1, "i"},
	};
	char out[64];
	size_t len = 0;
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
		while (n >= tab[i].v && len + 4 < sizeof out) {
			size_t l = strlen(tab[i].s);
			memcpy(out + len, tab[i].s, l);
			len += l;
			n -= tab[i].v;
		}
	return arena_strndup(a, out, len);
}

/* Per-page growth bookkeeping while emitting. */
typedef struct lay_pcap {
	size_t runs, links, rules;
	int part, part_start, has_line;
} lay_pcap;

static lo_run *lay_page_run(lay *L, lo_page *p, lay_pcap *c)
{
	LAY_PGROW(L, p->runs, p->nruns, c->runs);
	return &p->runs[p->nruns++];
}

static double lay_left_margin(const style *st, size_t page)
{
	return page % 2 == 0 ? st->margin_inner : st->margin_outer;
}

/* Copy lines [a, b) (pages already absolute) onto their pages. */
static void lay_emit(lay *L, lo_doc *lo, lay_pcap *caps, size_t a, size_t b)
{
	const style *st = L->st;
	for (size_t i = a; i < b; i++) {
		const lay_vline *v = &L->lines[i];
		lo_page *p = &lo->pages[v->page];
		lay_pcap *c = &caps[v->page];
		double xo = lay_left_margin(st, (size_t)v->page);
		double yb = st->page_height - st->margin_top - v->y;
		if (!c->has_line) {
			c->has_line = 1;
			c->part = v->part;
			c->part_start = v->force;
		}
		for (size_t k = 0; k < v->nruns; k++) {
			lo_run *r = lay_page_run(L, p, c);
			*r = L->runs[v->run0 + k];
			r->x += xo;
			r->y = yb;
		}
		for (size_t k = 0; k < v->nlinks; k++) {
			const lay_rlink *rl = &L->rlinks[v->link0 + k];
			const lay_target *t = &L->targets[rl->target];
			int dp = -1;
			double dy = 0;
			if (!t->uri) {
				if (t->anchor < 0 ||
				    L->anchors[t->anchor].page < 0)
					continue;
				dp = L->anchors[t->anchor].page;
				dy = L->anchors[t->anchor].y;
			}
			LAY_PGROW(L, p->links, p->nlinks, c->links);
			lo_link *lk = &p->links[p->nlinks++];
			lk->x0 = rl->x0 + xo;
			lk->x1 = rl->x1 + xo;
			lk->y0 = yb + rl->dy0;
			lk->y1 = yb + rl->dy1;
			lk->uri = t->uri;
			lk->dest_page = dp;
			lk->dest_y = dy;
		}
		/* a quote rule from the first line of a block on this page to
		 * its last one */
		if (v->quote && (i == a || L->lines[i - 1].quote != v->quote ||
				 L->lines[i - 1].page != v->page)) {
			size_t j = i;
			while (j + 1 < b && L->lines[j + 1].quote == v->quote &&
			       L->lines[j + 1].page == v->page)
				j++;
			const lay_vline *w = &L->lines[j];
			LAY_PGROW(L, p->rules, p->nrules, c->rules);
			lo_rule *ru = &p->rules[p->nrules++];
			ru->x0 = ru->x1 = xo + v->rule_x;
			ru->y1 = yb + v->ascent;
			ru->y0 = st->page_height - st->margin_top - w->y +
				 w->descent;
			ru->width = st->quote_rule_width;
			ru->color = st->quote_rule_color;
		}
	}
}

/* Page numbers in the footer and part titles as running heads. */
static void lay_furniture(lay *L, lo_doc *lo, lay_pcap *caps,
			  const char **part_titles, int nparts)
{
	const style *st = L->st;
	for (size_t i = 0; i < lo->npages; i++) {
		lo_page *p = &lo->pages[i];
		lay_pcap *c = &caps[i];
		double xo = lay_left_margin(st, i);
		if (p->label) {
			lo_run *r = lay_page_run(L, p, c);
			r->font = 0;
			r->size = st->footer_size;
			r->text = p->label;
			r->width = lay_width(L, 0, p->label, strlen(p->label),
					     st->footer_size);
			r->y = st->footer_baseline;
			r->color = st->text_color;
			if (!st->footer_outer)
				r->x = xo + (L->measure - r->width) / 2;
			else if (i % 2 == 0)
				r->x = xo + L->measure - r->width;
			else
				r->x = xo;
		}
		if (p->kind == LO_BODY && c->has_line && !c->part_start &&
		    c->part >= 0 && c->part < nparts && part_titles[c->part]) {
			const char *t = part_titles[c->part];
			lo_run *r = lay_page_run(L, p, c);
			r->font = 0;
			r->size = st->header_size;
			r->text = t;
			r->width = lay_width(L, 0, t, strlen(t), st->header_size);
			r->x = xo + (L->measure - r->width) / 2;
			r->y = st->page_height - st->header_baseline;
			r->color = st->header_color;
		}
	}
}

/* Hyphenation patterns stay open between layouts (the A5, the imposed
 * booklet and the handout share them), as fonts do in font.c's cache,
 * until layout_release_cache(). Loading the patterns alone costs more than
 * laying out the booklet. */
static char *lay_hyph_path;
static hyph *lay_hyph_cached;

static char *lay_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *c = malloc(n);
	if (c)
		memcpy(c, s, n);
	return c;
}

static hyph *lay_open_hyph(const char *path)
{
	if (lay_hyph_path && !strcmp(lay_hyph_path, path))
		return lay_hyph_cached;
	if (lay_hyph_cached)
		hyph_close(lay_hyph_cached);
	free(lay_hyph_path);
	lay_hyph_cached = hyph_open(path);
	lay_hyph_path = lay_hyph_cached ? lay_strdup(path) : NULL;
	if (lay_hyph_cached && !lay_hyph_path) {
		hyph_close(lay_hyph_cached);
		lay_hyph_cached = NULL;
		return hyph_open(path);
	}
	return lay_hyph_cached;
}

/* Prefetch: a style's hyphenation patterns compiled on a second thread
 * while the caller parses and checks the booklet and layout reads the
 * fonts; layout waits for it before the first paragraph. Only that thread
 * touches the pattern cache until it is joined. */
static struct {
	pthread_t thread;
	int running;
	char *hyph_path;
	hyph *hy;
} lay_prefetch;

static void *lay_prefetch_main(void *arg)
{
	(void)arg;
	/* A failure is left for the real load to report. */
	lay_prefetch.hy = hyph_open(lay_prefetch.hyph_path);
	return NULL;
}

static void lay_prefetch_clear(void)
{
	free(lay_prefetch.hyph_path);
	memset(&lay_prefetch, 0, sizeof lay_prefetch);
}

void layout_prefetch(const style *st)
{
	if (lay_prefetch.running || !st->hyphenation || lay_hyph_path)
		return;
	lay_prefetch.hyph_path = lay_strdup(st->hyphenation);
	if (lay_prefetch.hyph_path &&
	    pthread_create(&lay_prefetch.thread, NULL, lay_prefetch_main,
			   NULL) == 0)
		lay_prefetch.running = 1;
	else
		lay_prefetch_clear();   /* layout loads them itself */
}

/* Wait for a prefetch and take its patterns into the cache. */
static void lay_prefetch_join(void)
{
	if (!lay_prefetch.running)
		return;
	pthread_join(lay_prefetch.thread, NULL);
	if (lay_prefetch.hy && !lay_hyph_path) {
		lay_hyph_cached = lay_prefetch.hy;
		lay_hyph_path = lay_prefetch.hyph_path;
		lay_prefetch.hyph_path = NULL;
	} else if (lay_prefetch.hy) {
		hyph_close(lay_prefetch.hy);
	}
	lay_prefetch_clear();
}

void layout_release_cache(void)
{
	lay_prefetch_join();
	font_cache_release();
	if (lay_hyph_cached)
		hyph_close(lay_hyph_cached);
	free(lay_hyph_path);
	lay_hyph_cached = NULL;
	lay_hyph_path = NULL;
}

lo_doc *layout_booklet(const doc *d, const style *st, arena *a,
		       diag_list *dl)
{
	lay L;
	lo_doc *lo = NULL;
	memset(&L, 0, sizeof L);
	L.st = st;
	L.d = d;
	L.a = a;
	L.dl = dl;
	const char *paths[LAY_NFONTS] = {st->font_regular, st->font_italic,
					 st->font_bold, st->font_bold_italic,
					 st->font_heading};
	size_t nfonts = st->font_heading ? 5 : 4;
	for (size_t i = 0; i < nfonts; i++) {
		char err[256] = "";
		L.fonts[i] = font_open_cached(paths[i], err, sizeof err);
		if (!L.fonts[i]) {
			diag_add(dl, DIAG_ERROR, st->path, 0, 0,
				 "cannot load font %s: %s", paths[i], err);
			goto out;
		}
	}
	L.heading_font = st->font_heading ? 4 : 2;
	lay_prefetch_join();   /* the fonts were read meanwhile */
	L.hy = lay_open_hyph(st->hyphenation);
	if (!L.hy)
		diag_add(dl, DIAG_WARNING, st->path, 0, 0,
			 "cannot open hyphenation patterns %s: not hyphenating",
			 st->hyphenation);
	L.measure = st->page_width - st->margin_inner - st->margin_outer;
	L.text_height = st->page_height - st->margin_top - st->margin_bottom;

	L.ref_anchor = arena_alloc(a, (d->nrefs + 1) * sizeof *L.ref_anchor);
	for (size_t i = 0; i < d->nrefs; i++)
		L.ref_anchor[i] = lay_new_anchor(&L);

	int nparts = 0;
	for (doc_node *p = d->parts_first; p; p = p->next)
		nparts++;
	const char **part_titles = arena_alloc(a, (nparts + 1) * sizeof *part_titles);
	int k = 0;
	for (doc_node *p = d->parts_first; p; p = p->next, k++) {
		doc_node *h = doc_heading(p);
		part_titles[k] = h ? doc_plain_text(a, h) : NULL;
		L.part = k;
		lay_part(&L, p);
	}
	size_t body_end = L.nlines;
	int nbody = lay_paginate(&L, 0, body_end);
	lay_contents(&L);
	size_t contents_end = L.nlines;
	int nfront = lay_paginate(&L, body_end, contents_end);
	lay_cover(&L);
	size_t cover_end = L.nlines;
	int ncover = lay_paginate(&L, contents_end, cover_end);
	lay_back(&L);
	size_t back_end = L.nlines;
	int nback = lay_paginate(&L, cover_end, back_end);
	if (!ncover)
		ncover = 1;
	if (!nback)
		nback = 1;

	/* page order: cover, contents, [blank], body, [blank], back; the body
	 * starts and the back cover sits on the side a reader expects */
	int front_base = ncover;
	int blank1 = (front_base + nfront) % 2;   /* body on a right page */
	int body_base = front_base + nfront + blank1;
	int blank2 = (body_base + nbody + nback) % 2;
	int back_base = body_base + nbody + blank2;
	int npages = back_base + nback;
	for (size_t i = 0; i < body_end; i++)
		L.lines[i].page += body_base;
	for (size_t i = body_end; i < contents_end; i++)
		L.lines[i].page += front_base;
	for (size_t i = cover_end; i < back_end; i++)
		L.lines[i].page += back_base;
	for (size_t i = 0; i < L.nanchors; i++) {
		lay_anchor *an = &L.anchors[i];
		if (an->line == SIZE_MAX)
			continue;
		const lay_vline *v = &L.lines[an->line];
		an->page = v->page;
		an->y = st->page_height - st->margin_top - v->y + v->ascent;
	}

	lo = arena_alloc(a, sizeof *lo);
	lo->width = st->page_width;
	lo->height = st->page_height;
	lo->fonts = arena_alloc(a, nfonts * sizeof *lo->fonts);
	for (size_t i = 0; i < nfonts; i++)
		lo->fonts[i] = paths[i];
	lo->nfonts = nfonts;
	lo->npages = (size_t)npages;
	lo->pages = arena_alloc(a, lo->npages * sizeof *lo->pages);
	lay_pcap *caps = arena_alloc(a, lo->npages * sizeof *caps);
	for (int i = 0; i < npages; i++) {
		lo_page *p = &lo->pages[i];
		caps[i].part = -1;
		if (i < front_base)
			p->kind = LO_COVER;
		else if (i < front_base + nfront)
			p->kind = LO_FRONT;
		else if (i < body_base)
			p->kind = LO_BLANK;
		else if (i < body_base + nbody)
			p->kind = LO_BODY;
		else if (i < back_base)
			p->kind = LO_BLANK;
		else
			p->kind = LO_BACK;
		if (p->kind == LO_FRONT)
			p->label = lay_roman(a, i - front_base + 1);
		else if (p->kind == LO_BODY)
			p->label = arena_printf(a, "%d", i - body_base + 1);
	}
	/* size every page's arrays exactly: lines' runs, links and quote
	 * rules, a folio and a running head */
	for (size_t i = 0; i < back_end; i++) {
		lay_pcap *c = &caps[L.lines[i].page];
		c->runs += L.lines[i].nruns;
		c->links += L.lines[i].nlinks;
		c->rules += L.lines[i].quote != 0;
	}
	for (int i = 0; i < npages; i++) {
		lo_page *p = &lo->pages[i];
		lay_pcap *c = &caps[i];
		c->runs += 2;
		p->runs = arena_alloc(a, c->runs * sizeof *p->runs);
		if (c->links)
			p->links = arena_alloc(a, c->links * sizeof *p->links);
		if (c->rules)
			p->rules = arena_alloc(a, c->rules * sizeof *p->rules);
	}
	lay_emit(&L, lo, caps, body_end, contents_end);
	lay_emit(&L, lo, caps, contents_end, cover_end);
	lay_emit(&L, lo, caps, 0, body_end);
	lay_emit(&L, lo, caps, cover_end, back_end);
	lay_furniture(&L, lo, caps, part_titles, nparts);

	lo->nlabels = 0;
	lo->labels = arena_alloc(a, 4 * sizeof *lo->labels);
	lo->labels[lo->nlabels++] = (lo_label_range){0, 0, 0};
	if (nfront)
		lo->labels[lo->nlabels++] = (lo_label_range){front_base, 'r', 1};
	lo->labels[lo->nlabels++] = (lo_label_range){body_base, 'D', 1};
	if (body_base + nbody < npages)
		lo->labels[lo->nlabels++] =
			(lo_label_range){body_base + nbody, 0, 0};

	lo->outline = arena_alloc(a, (L.ntoc + 1) * sizeof *lo->outline);
	if (nfront) {
		lo_outline *o = &lo->outline[lo->noutline++];
		o->level = 1;
		o->title = st->contents_title;
		o->page = front_base;
		o->y = st->page_height - st->margin_top;
	}
	for (size_t i = 0; i < L.ntoc; i++) {
		const lay_anchor *an = &L.anchors[L.toc[i].anchor];
		if (an->page < 0)
			continue;
		lo_outline *o = &lo->outline[lo->noutline++];
		o->level = L.toc[i].level;
		o->title = L.toc[i].title;
		o->page = an->page;
		o->y = an->y;
	}
	lo->overfull = L.overfull;
out:
	if (L.hy && L.hy != lay_hyph_cached)
		hyph_close(L.hy);
	buf_free(&L.text);
	lay_scratch_free(&L, L.items);
	lay_scratch_free(&L, L.info);
	lay_scratch_free(&L, L.runs);
	lay_scratch_free(&L, L.rlinks);
	lay_scratch_free(&L, L.lines);
	lay_scratch_free(&L, L.targets);
	lay_scratch_free(&L, L.anchors);
	lay_scratch_free(&L, L.toc);
	lay_scratch_free(&L, L.cache.e);
	return lo;
}

static const char *lay_kind_name(lo_page_kind k)
{
	switch (k) {
	case LO_COVER: return "cover";
	case LO_FRONT: return "front";
	case LO_BODY: return "body";
	case LO_BACK: return "back";
	case LO_BLANK: return "blank";
	}
	return "?";
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
			fprintf(f, "run %d %.2f %.2f %.2f %.2f %s\n", r->font,
				r->size, r->x, r->y, r->width, r->text);
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
}
