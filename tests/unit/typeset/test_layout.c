/* test_layout.c - unit tests of the style parser and the typesetter: a
 * small booklet built by hand is laid out with styles/a5.style and the
 * pages are checked (measure, hyphenation runs, widows and orphans, the
 * contents, links, labels, overfull reporting, speed). Run from the repo
 * root (or with TOP set); fonts from FONTS or the Debian Charis package. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "typeset/layout.h"
#include "typeset/res.h"
#include "typeset/style.h"

static res *R;   /* fonts and patterns shared by every layout */

static const char *fonts_dir(void)
{
	const char *f = getenv("FONTS");
	if (f)
		return f;
	FILE *t = fopen("fonts/CharisSIL-Regular.ttf", "rb");
	if (t) {
		fclose(t);
		return "fonts";
	}
	return "/usr/share/fonts/truetype/charis";
}

static const char *style_path(arena *a)
{
	const char *top = getenv("TOP");
	return top ? arena_printf(a, "%s/styles/a5.style", top)
		   : "styles/a5.style";
}

static doc_pos P(int line)
{
	doc_pos p = {"t.xml", line, 1};
	return p;
}

static doc_node *add(arena *a, doc_node *parent, doc_type t, int line)
{
	doc_node *n = doc_node_new(a, t, P(line));
	doc_append(parent, n);
	return n;
}

static doc_node *add_text(arena *a, doc_node *parent, const char *s)
{
	doc_node *t = add(a, parent, DOC_TEXT, parent->pos.line);
	t->text = arena_strdup(a, s);
	return t;
}

static doc_node *add_heading(arena *a, doc_node *owner, const char *s)
{
	doc_node *h = add(a, owner, DOC_HEADING, owner->pos.line);
	add_text(a, h, s);
	return h;
}

static const char *filler =
	"Building a relationship with your baby depends on getting to know "
	"them, and understanding takes patience; wonderful, extraordinary "
	"responsibilities accompany unconditional encouragement. ";

/* A paragraph "Pn<A> filler... Pn<Z>." with markers to find its first
 * and last lines on the pages. */
static doc_node *add_para(arena *a, doc_node *parent, int n, int reps)
{
	doc_node *p = add(a, parent, DOC_PARA, 100 + n);
	buf b = {0};
	buf_printf(&b, "P%dA ", n);
	for (int i = 0; i < reps; i++)
		buf_puts(&b, filler);
	buf_printf(&b, "P%dZ.", n);
	add_text(a, p, arena_strndup(a, b.data, b.len));
	buf_free(&b);
	return p;
}

typedef struct tbook {
	doc *d;
	int npara;
} tbook;

/* Three parts (article with sections, a list and a quote; tips; the
 * references) and two bibliography entries, one of them cited. */
static tbook make_book(arena *a, int scale)
{
	tbook tb = {0};
	doc *d = arena_alloc(a, sizeof *d);
	d->arena = a;
	d->path = "t.xml";
	d->meta.title = "A test booklet about bonding";
	d->meta.publisher = "NCT";
	d->meta.reviewed = "2020-01";
	d->meta.identifier = "t";
	d->meta.nauthors = 2;
	d->meta.authors = arena_alloc(a, 2 * sizeof *d->meta.authors);
	d->meta.authors[0].honorific = "Dr";
	d->meta.authors[0].given = "Susan";
	d->meta.authors[0].family = "Pawlby";
	d->meta.authors[1].honorific = "Dr";
	d->meta.authors[1].given = "Lucy";
	d->meta.authors[1].family = "Findlay";
	d->nrefs = 2;
	d->refs = arena_alloc(a, 2 * sizeof *d->refs);
	for (int i = 0; i < 2; i++) {
		doc_ref *r = &d->refs[i];
		r->id = i ? "zed2019" : "abc2016";
		r->type = "webpage";
		r->nauthors = 1;
		r->authors = arena_alloc(a, sizeof *r->authors);
		r->authors[0].literal = i ? "Zed" : "Abc";
		r->issued = i ? "2019" : "2016";
		r->title = "A title of a reference that is long enough to wrap";
		r->url = "https://www.example.org/a/very/long/path/that-needs/"
			 "breaking/at/slashes/index.html";
		r->url_checked = 1;  /* as check_document marks it */
		r->accessed = "2020-01-16";
	}
	d->refs_sorted = arena_alloc(a, 2 * sizeof *d->refs_sorted);
	d->refs_sorted[0] = &d->refs[0];
	d->refs_sorted[1] = &d->refs[1];

	int n = 0;
	doc_node *part = doc_node_new(a, DOC_PART, P(10));
	part->kind = PART_ARTICLE;
	part->id = "article";
	d->parts_first = d->parts_last = part;
	add_heading(a, part, "The article");
	doc_node *p0 = add_para(a, part, n++, 2);
	doc_node *cite = add(a, p0, DOC_CITE, 11);
	cite->nkeys = 1;
	cite->keys = arena_alloc(a, sizeof *cite->keys);
	cite->keys[0] = "abc2016";
	cite->refs = arena_alloc(a, sizeof *cite->refs);
	cite->refs[0] = &d->refs[0];
	cite->anchor = "cite-1";
	for (int s = 0; s < 4 * scale; s++) {
		doc_node *sec = add(a, part, DOC_SECTION, 20 + s);
		sec->depth = 1;
		add_heading(a, sec, arena_printf(a, "Section number %d", s + 1));
		for (int k = 0; k < 3; k++)
			add_para(a, sec, n++, 1 + (s + k) % 4);
		if (s % 2 == 0) {
			doc_node *ol = add(a, sec, DOC_LIST, 30);
			ol->ordered = 1;
			for (int k = 0; k < 3; k++)
				add_para(a, add(a, ol, DOC_ITEM, 31), n++, 1);
		} else {
			doc_node *ex = add(a, sec, DOC_EXPERIENCE, 40);
			ex->text = "Tina";
			add_heading(a, ex, "Tina’s experience");
			add_para(a, ex, n++, 2);
			add_para(a, ex, n++, 1);
		}
	}
	doc_node *tips = doc_node_new(a, DOC_PART, P(50));
	tips->kind = PART_TIPS;
	part->next = tips;
	tips->prev = part;
	d->parts_last = tips;
	add_heading(a, tips, "Tips");
	doc_node *ul = add(a, tips, DOC_LIST, 51);
	for (int k = 0; k < 5; k++)
		add_para(a, add(a, ul, DOC_ITEM, 52), n++, 1);
	doc_node *refs = doc_node_new(a, DOC_PART, P(60));
	refs->kind = PART_REFERENCES;
	tips->next = refs;
	refs->prev = tips;
	d->parts_last = refs;
	add_heading(a, refs, "References");
	add(a, refs, DOC_BIBLIOGRAPHY, 61);
	tb.d = d;
	tb.npara = n;
	return tb;
}

static const style *load_style(arena *a, diag_list *dl)
{
	return style_load(style_path(a), fonts_dir(), a, dl);
}

TEST(style_reports_bad_lines)
{
	arena a = {0};
	diag_list dl = {0};
	const char *txt = "# comment\n"
			  "page-width = 148mm\n"
			  "page-height = 12furlongs\n"
			  "colour-of-sky = #0000ff\n"
			  "text-color = #12345\n";
	style *st = style_parse(txt, strlen(txt), "x.style", "f", &a, &dl);
	CHECK(st == NULL);
	int saw_len = 0, saw_unknown = 0, saw_color = 0, saw_missing = 0;
	for (size_t i = 0; i < dl.n; i++) {
		const diag *g = &dl.items[i];
		if (g->line == 3 && strstr(g->message, "page-height"))
			saw_len = 1;
		if (g->line == 4 && strstr(g->message, "colour-of-sky"))
			saw_unknown = 1;
		if (g->line == 5 && strstr(g->message, "colour"))
			saw_color = 1;
		if (strstr(g->message, "body-size"))
			saw_missing = 1;
	}
	CHECK(saw_len && saw_unknown && saw_color && saw_missing);
	double v = 0;
	CHECK(style_parse_length("72pt", &v) == 0 && v == 72);
	CHECK(style_parse_length("1in", &v) == 0 && v == 72);
	CHECK(style_parse_length("25.4mm", &v) == 0 && v > 71.99 && v < 72.01);
	CHECK(style_parse_length("12", &v) != 0);
	diag_free(&dl);
	arena_free(&a);
}

TEST(style_files_load)
{
	arena a = {0};
	diag_list dl = {0};
	const style *st = load_style(&a, &dl);
	CHECK(st != NULL);
	if (st) {
		CHECK(st->page_width > 419.5 && st->page_width < 419.6);
		CHECK(st->page_height > 595.2 && st->page_height < 595.3);
		CHECK(st->font_regular && strstr(st->font_regular, "Charis"));
	}
	const char *top = getenv("TOP");
	const char *h = top ? arena_printf(&a, "%s/styles/a4-handout.style", top)
			    : "styles/a4-handout.style";
	st = style_load(h, fonts_dir(), &a, &dl);
	CHECK(st && st->page_width > 595.2 && st->page_width < 595.3);
	CHECK(dl.errors == 0);
	for (size_t i = 0; i < dl.n; i++)
		printf("  %s:%d: %s\n", dl.items[i].file, dl.items[i].line,
		       dl.items[i].message);
	diag_free(&dl);
	arena_free(&a);
}

/* A text line: the runs of one page at one baseline. */
typedef struct tline {
	double y;
	const lo_run *first, *last;   /* leftmost, rightmost */
	const char *text;             /* runs joined by spaces */
} tline;

/* The text lines of page p inside the text block (header and footer
 * excluded), top to bottom. Returns the count; *out is arena memory. */
static size_t page_lines(arena *a, const style *st, const lo_page *p,
			 tline **out)
{
	tline *ls = arena_alloc(a, (p->nruns + 1) * sizeof *ls);
	size_t n = 0;
	double top = st->page_height - st->margin_top;
	for (size_t i = 0; i < p->nruns; i++) {
		const lo_run *r = &p->runs[i];
		if (r->y > top || r->y < st->margin_bottom)
			continue;
		size_t k;
		for (k = 0; k < n; k++)
			if (ls[k].y > r->y - 0.01 && ls[k].y < r->y + 0.01)
				break;
		if (k == n) {
			ls[n].y = r->y;
			ls[n].first = ls[n].last = r;
			ls[n].text = r->text;
			n++;
			continue;
		}
		if (r->x < ls[k].first->x)
			ls[k].first = r;
		if (r->x > ls[k].last->x)
			ls[k].last = r;
		ls[k].text = arena_printf(a, "%s %s", ls[k].text, r->text);
	}
	/* sort by y descending (insertion sort: few lines per page) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && ls[j].y > ls[j - 1].y; j--) {
			tline t = ls[j];
			ls[j] = ls[j - 1];
			ls[j - 1] = t;
		}
	*out = ls;
	return n;
}

static int has_word(const char *text, const char *w)
{
	size_t l = strlen(w);
	for (const char *s = strstr(text, w); s; s = strstr(s + 1, w))
		if ((s == text || s[-1] == ' ') &&
		    (s[l] == ' ' || s[l] == '.' || s[l] == 0))
			return 1;
	return 0;
}

/* The a5 style's text with `from` replaced by `to` (arena memory). */
static char *style_text_with(arena *a, const char *from, const char *to)
{
	FILE *f = fopen(style_path(a), "rb");
	char *txt = arena_alloc(a, 65536), *at;
	size_t n = f ? fread(txt, 1, 65535, f) : 0;
	if (f)
		fclose(f);
	txt[n] = 0;
	at = strstr(txt, from);
	if (!at)
		return txt;
	return arena_printf(a, "%.*s%s%s", (int)(at - txt), txt, to,
			    at + strlen(from));
}

/* The word gaps on the bibliography's lines (the page with the
 * "References" heading on), as drawn: each word space's advance plus its
 * run's justification; the smallest and largest. */
static void bib_gaps(arena *a, const style *st, const lo_doc *lo,
		     double *lo_gap, double *hi_gap)
{
	*lo_gap = 1e9;
	*hi_gap = -1;
	for (size_t i = 0; i < lo->npages; i++) {
		tline *ls;
		size_t n = page_lines(a, st, &lo->pages[i], &ls), k, r, g;
		int in_bib = 0;
		for (k = 0; k < n; k++) {
			if (!strcmp(ls[k].text, "References")) {
				in_bib = 1;
				continue;
			}
			if (!in_bib || k + 1 == n)  /* last lines end entries */
				continue;
			const lo_page *p = &lo->pages[i];
			for (r = 0; r < p->nruns; r++) {
				const lo_run *a1 = &p->runs[r];
				if (a1->y != ls[k].y)
					continue;
				for (g = 0; g < a1->nglyphs; g++) {
					if (a1->glyphs[g].kind != LO_GLYPH_SPACE)
						continue;
					double w = a1->hscale * a1->glyphs[g].advance *
						   a1->size / a1->upem +
						   a1->space_adjust;
					if (w < *lo_gap) *lo_gap = w;
					if (w > *hi_gap) *hi_gap = w;
				}
			}
		}
	}
}

TEST(bibliography_ragged)
{
	arena a = {0};
	diag_list dl = {0};
	const char *txt;
	style *st;
	double g0, g1;

	/* bib-ragged = yes: every space at its natural width */
	txt = style_text_with(&a, "bib-ragged = yes", "bib-ragged = yes");
	st = style_parse(txt, strlen(txt), "a5.style", fonts_dir(), &a, &dl);
	CHECK(st && st->bib_ragged && st->ragged_stretch > 0);
	if (!st)
		return;
	tbook tb = make_book(&a, 1);
	lo_doc *lo = layout_booklet(tb.d, st, R, &a, &dl);
	CHECK(lo != NULL);
	if (!lo)
		return;
	bib_gaps(&a, st, lo, &g0, &g1);
	CHECK(g1 > 0 && g1 - g0 < 0.01);
	/* justified: the spaces stretch to fill the measure */
	txt = style_text_with(&a, "bib-ragged = yes", "bib-ragged = no");
	st = style_parse(txt, strlen(txt), "a5.style", fonts_dir(), &a, &dl);
	CHECK(st && !st->bib_ragged);
	lo = st ? layout_booklet(tb.d, st, R, &a, &dl) : NULL;
	CHECK(lo != NULL);
	if (lo) {
		bib_gaps(&a, st, lo, &g0, &g1);
		CHECK(g1 - g0 > 0.1);
	}
	CHECK(dl.errors == 0);
	/* ragged without its stretch is an error, not a silent default */
	txt = style_text_with(&a, "ragged-stretch = 0.5", "");
	CHECK(style_parse(txt, strlen(txt), "a5.style", fonts_dir(), &a,
			  &dl) == NULL);
	CHECK(dl.n > 0 && strstr(dl.items[dl.n - 1].message,
				 "bib-ragged needs ragged-stretch"));
	diag_free(&dl);
	arena_free(&a);
}

/* The last glyph of r that is drawn: not the space a line ends at. */
static const lo_glyph *last_drawn(const lo_run *r)
{
	size_t n = r->nglyphs;
	if (n && r->glyphs[n - 1].kind == LO_GLYPH_LINE_SPACE)
		n--;
	return n ? &r->glyphs[n - 1] : NULL;
}

TEST(layout_pages)
{
	arena a = {0};
	diag_list dl = {0};
	const style *st = load_style(&a, &dl);
	CHECK(st != NULL);
	if (!st)
		return;
	tbook tb = make_book(&a, 1);
	lo_doc *lo = layout_booklet(tb.d, st, R, &a, &dl);
	CHECK(lo != NULL);
	if (!lo)
		return;
	CHECK(lo->npages >= 5);
	CHECK(lo->npages % 2 == 0);
	CHECK(lo->pages[0].kind == LO_COVER && lo->pages[0].label == NULL);
	CHECK(lo->pages[1].kind == LO_FRONT);
	CHECK_STR(lo->pages[1].label, "i");
	CHECK(lo->pages[lo->npages - 1].kind == LO_BACK);
	CHECK(lo->pages[lo->npages - 1].label == NULL);
	CHECK(lo->overfull == 0);
	CHECK(dl.warnings == 0);
	CHECK(lo->nlabels >= 3 && lo->labels[0].first == 0 &&
	      lo->labels[0].style == 0);

	int body_first = -1;
	for (size_t i = 0; i < lo->npages; i++)
		if (lo->pages[i].kind == LO_BODY && body_first < 0)
			body_first = (int)i;
	CHECK(body_first > 0 && body_first % 2 == 0);  /* a right-hand page */
	CHECK_STR(lo->pages[body_first].label, "1");

	/* every run inside the text block; no 3 hyphenated lines in a row */
	int hy_run = 0, hy_max = 0, hyphens = 0;
	for (size_t i = 0; i < lo->npages; i++) {
		const lo_page *p = &lo->pages[i];
		double left = i % 2 == 0 ? st->margin_inner : st->margin_outer;
		double right = left + st->page_width - st->margin_inner -
			       st->margin_outer;
		for (size_t k = 0; k < p->nruns; k++) {
			const lo_run *r = &p->runs[k];
			/* punctuation may hang into the margin: at most 0.7 of
			 * the last glyph, times the style's protrusion */
			double hang = 0;
			const lo_glyph *lg = last_drawn(r);
			if (lg)
				hang = 0.7 * st->protrusion * r->hscale *
				       lg->advance * r->size / r->upem;
			if (r->x < left - 0.01 - st->list_indent ||
			    r->x + r->width > right + hang + 0.01) {
				printf("  outside: page %zu '%s' %.2f+%.2f\n",
				       i + 1, r->text, r->x, r->width);
				CHECK(0);
			}
		}
		tline *ls;
		size_t n = page_lines(&a, st, p, &ls);
		for (size_t k = 0; k < n; k++) {
			const lo_run *e = ls[k].last;
			int h = e->nglyphs &&
				e->glyphs[e->nglyphs - 1].kind == LO_GLYPH_HYPHEN;
			hyphens += h;
			hy_run = h ? hy_run + 1 : 0;
			if (hy_run > hy_max)
				hy_max = hy_run;
		}
	}
	CHECK(hy_max <= st->max_hyphens);
	CHECK(hyphens > 0);   /* the filler text does get hyphenated */

	/* no orphans (first line alone at a page bottom) or widows (last
	 * line alone at a page top) */
	for (int n = 0; n < tb.npara; n++) {
		char A[32], Z[32];
		snprintf(A, sizeof A, "P%dA", n);
		snprintf(Z, sizeof Z, "P%dZ", n);
		for (size_t i = 0; i < lo->npages; i++) {
			tline *ls;
			size_t nl = page_lines(&a, st, &lo->pages[i], &ls);
			if (!nl)
				continue;
			if (has_word(ls[nl - 1].text, A) &&
			    !has_word(ls[nl - 1].text, Z)) {
				printf("  orphan %s on page %zu\n", A, i + 1);
				CHECK(0);
			}
			if (has_word(ls[0].text, Z) && !has_word(ls[0].text, A)) {
				printf("  widow %s on page %zu\n", Z, i + 1);
				CHECK(0);
			}
		}
	}

	/* the contents: one link per outline entry (but "Contents"), to the
	 * entry's page, whose label is printed at the right */
	size_t nlinks = 0;
	for (size_t i = 0; i < lo->npages; i++) {
		const lo_page *p = &lo->pages[i];
		if (p->kind != LO_FRONT)
			continue;
		for (size_t k = 0; k < p->nlinks; k++, nlinks++) {
			const lo_link *l = &p->links[k];
			CHECK(l->uri == NULL);
			size_t o = nlinks + 1;
			CHECK(o < lo->noutline);
			if (o >= lo->noutline)
				break;
			CHECK(l->dest_page == lo->outline[o].page);
			const char *want = lo->pages[l->dest_page].label;
			int found = 0;
			for (size_t r = 0; r < p->nruns; r++)
				if (p->runs[r].y > l->y0 && p->runs[r].y < l->y1 &&
				    want && !strcmp(p->runs[r].text, want))
					found = 1;
			CHECK(found);
		}
	}
	/* 5 sections/parts + "Contents" */
	CHECK(lo->noutline == 4 + 3 + 1);
	CHECK(nlinks == lo->noutline - 1);
	CHECK(lo->outline[0].level == 1 && lo->outline[2].level == 2);

	/* the citation links to the bibliography page; URLs are URI links */
	int cite_ok = 0, uri_ok = 0;
	for (size_t i = 0; i < lo->npages; i++)
		for (size_t k = 0; k < lo->pages[i].nlinks; k++) {
			const lo_link *l = &lo->pages[i].links[k];
			if (lo->pages[i].kind == LO_BODY && !l->uri &&
			    l->dest_page > (int)i &&
			    lo->pages[l->dest_page].kind == LO_BODY)
				cite_ok = 1;
			if (l->uri && strstr(l->uri, "example.org"))
				uri_ok = 1;
		}
	CHECK(cite_ok && uri_ok);

	/* the dump: one line per page, run, rule, link, outline entry and
	 * structure element */
	char *dump = NULL;
	size_t dlen = 0;
	FILE *mf = open_memstream(&dump, &dlen);
	if (mf) {
		layout_dump(lo, mf);
		fclose(mf);
		CHECK(dump && strstr(dump, "\npage 1 cover -\n"));
		CHECK(dump && strstr(dump, "\npage 2 front i\n"));
		CHECK(dump && strstr(dump, "\noutline 1 page 2 "));
		size_t nl = 0, want = 1 + lo->npages + lo->noutline +
				      lo->nstructs;
		for (size_t i = 0; i < lo->npages; i++)
			want += lo->pages[i].nruns + lo->pages[i].nrules +
				lo->pages[i].nlinks + lo->pages[i].nfills +
				lo->pages[i].nimages;
		for (size_t i = 0; dump && i < dlen; i++)
			nl += dump[i] == '\n';
		CHECK(nl == want);
		free(dump);
	}

	/* quotes have a rule on each page they are on; a quote breaks across
	 * pages only between its paragraphs: each rule starts at the quote's
	 * title or at a paragraph's first line */
	size_t rules = 0;
	for (size_t i = 0; i < lo->npages; i++) {
		const lo_page *p = &lo->pages[i];
		if (p->kind != LO_BODY)
			continue;
		rules += p->nrules;
		tline *ls;
		size_t n = page_lines(&a, st, p, &ls);
		for (size_t k = 0; k < p->nrules; k++) {
			const lo_rule *ru = &p->rules[k];
			size_t q = 0;
			while (q < n && ls[q].y > ru->y1)
				q++;
			int starts = q < n && (strstr(ls[q].text, "experience") ||
					       (ls[q].first->text[0] == 'P' &&
						strchr(ls[q].first->text, 'A')));
			if (!starts)
				printf("  quote broken mid-paragraph on page %zu: %s\n",
				       i + 1, q < n ? ls[q].text : "?");
			CHECK(starts);
		}
	}
	CHECK(rules >= 2 && rules <= 4);   /* two quotes of two paragraphs */

	/* no heading at the foot of a page, none followed by a lone line */
	for (size_t i = 0; i < lo->npages; i++) {
		tline *ls;
		size_t n = page_lines(&a, st, &lo->pages[i], &ls);
		for (size_t k = 0; k < n; k++) {
			int heading = ls[k].first->size == st->h1.size ||
				      ls[k].first->size == st->part.size;
			if (heading && k + 2 >= n && lo->pages[i].kind == LO_BODY) {
				printf("  heading near the foot of page %zu: %s\n",
				       i + 1, ls[k].text);
				CHECK(0);
			}
		}
	}
	diag_free(&dl);
	arena_free(&a);
}

TEST(layout_reports_overfull_word)
{
	arena a = {0};
	diag_list dl = {0};
	const style *st = load_style(&a, &dl);
	if (!st) {
		CHECK(0);
		return;
	}
	tbook tb = make_book(&a, 1);
	doc_node *p = add(&a, tb.d->parts_first, DOC_PARA, 777);
	add_text(&a, p, "Short words then 1234567890123456789012345678901234567890"
			"1234567890123456789012345678901234567890 and more.");
	lo_doc *lo = layout_booklet(tb.d, st, R, &a, &dl);
	CHECK(lo != NULL);
	CHECK(lo && lo->overfull >= 1);
	int found = 0;
	for (size_t i = 0; i < dl.n; i++)
		if (dl.items[i].level == DIAG_WARNING && dl.items[i].line == 777)
			found = 1;
	CHECK(found);
	diag_free(&dl);
	arena_free(&a);
}

TEST(layout_survives_deep_nesting)
{
	arena a = {0};
	diag_list dl = {0};
	const style *st = load_style(&a, &dl);
	if (!st) {
		CHECK(0);
		return;
	}
	tbook tb = make_book(&a, 1);
	doc_node *at = tb.d->parts_first;
	for (int i = 0; i < 100; i++) {
		doc_node *l = add(&a, at, DOC_LIST, 900 + i);
		at = add(&a, l, DOC_ITEM, 900 + i);
		add_para(&a, at, 1000 + i, 0);
	}
	lo_doc *lo = layout_booklet(tb.d, st, R, &a, &dl);
	CHECK(lo != NULL);
	for (size_t i = 0; lo && i < lo->npages; i++)
		for (size_t k = 0; k < lo->pages[i].nruns; k++)
			CHECK(lo->pages[i].runs[k].x >= 0 &&
			      lo->pages[i].runs[k].x + lo->pages[i].runs[k].width <=
				      st->page_width);
	diag_free(&dl);
	arena_free(&a);
}

/* A 100x book lays out completely (its speed is `make bench`'s job, not
 * a test's). */
TEST(layout_large_book)
{
	arena a = {0};
	diag_list dl = {0};
	const style *st = load_style(&a, &dl);
	if (!st) {
		CHECK(0);
		return;
	}
	tbook tb = make_book(&a, 100);
	lo_doc *lo = layout_booklet(tb.d, st, R, &a, &dl);
	CHECK(lo && lo->npages > 100);
	CHECK(lo && lo->overfull == 0);
	CHECK(dl.errors == 0);
	diag_free(&dl);
	arena_free(&a);
}

/* A booklet of one article part: a heading and one paragraph per text
 * (at lines 20, 30, ...). */
static doc *tiny_book(arena *a, const char *title, const char **paras,
		      int n)
{
	doc *d = arena_alloc(a, sizeof *d);
	d->arena = a;
	d->path = "t.xml";
	d->meta.title = title;
	d->meta.publisher = "NCT";
	d->meta.reviewed = "2020-01";
	d->meta.identifier = "t";
	doc_node *part = doc_node_new(a, DOC_PART, P(10));
	part->kind = PART_ARTICLE;
	part->id = "article";
	d->parts_first = d->parts_last = part;
	add_heading(a, part, "Part");
	for (int i = 0; i < n; i++)
		add_text(a, add(a, part, DOC_PARA, 20 + 10 * i), paras[i]);
	return d;
}

/* The texts of the runs on body pages, in order, "|" between. */
static char *body_runs(arena *a, const lo_doc *lo)
{
	buf b = {0};
	for (size_t i = 0; lo && i < lo->npages; i++)
		for (size_t k = 0; lo->pages[i].kind == LO_BODY &&
				   k < lo->pages[i].nruns; k++) {
			buf_puts(&b, lo->pages[i].runs[k].text);
			buf_puts(&b, "|");
		}
	char *s = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

/* The first word of s (up to a space), its length in *n. */
static const char *first_word(const char *s, size_t *n)
{
	*n = strcspn(s, " ");
	return s;
}

/* Every body page says where it begins in the document (lo_page.start):
 * the paragraph, heading or entry its first line sets and the offset in
 * its text, so the EPUB can mark the page there. The text at the offset
 * is the page's first word (after a list number); a page that starts
 * inside a paragraph has an offset into it; the contents page starts
 * with its title (no node); the cover has no start. */
TEST(page_starts_are_where_first_lines_begin)
{
	arena a = {0};
	diag_list dl = {0};
	const style *st = load_style(&a, &dl);
	tbook tb = make_book(&a, 3);
	add_para(&a, tb.d->parts_first, 99, 16);   /* over a page long */
	lo_doc *lo = st ? layout_booklet(tb.d, st, R, &a, &dl) : NULL;
	CHECK(lo != NULL);
	if (!lo)
		return;
	CHECK(lo->pages[0].start.node == NULL && lo->pages[0].start.ref == NULL);
	CHECK(lo->pages[1].kind == LO_FRONT && lo->pages[1].start.node == NULL);
	int body = 0, mid = 0, bad = 0;
	for (size_t i = 0; i < lo->npages; i++) {
		const lo_page *p = &lo->pages[i];
		if (p->kind != LO_BODY)
			continue;
		body++;
		const lo_start *s = &p->start;
		const char *text = NULL;
		if (s->node && s->node->first && s->node->first->type == DOC_TEXT)
			text = s->node->first->text;
		else if (s->ref)
			text = s->ref->authors[0].literal;   /* entries open with it */
		if (!text || s->offset >= strlen(text) || p->nruns == 0) {
			bad++;
			continue;
		}
		if (s->offset > 0 && s->node && s->node->type == DOC_PARA)
			mid++;
		size_t n;
		const char *w = first_word(text + s->offset, &n);
		/* the first run, or the one after a list item's number */
		int found = 0;
		for (size_t k = 0; k < 2 && k < p->nruns; k++) {
			const char *r = p->runs[k].text;
			size_t rl = strcspn(r, " ");
			if (rl && r[rl - 1] == '-' && rl - 1 < n)
				rl--;    /* a hyphenated word's first part */
			if (rl <= n && !strncmp(r, w, rl))
				found = 1;
		}
		if (!found) {
			bad++;
			printf("  page %zu starts '%.20s', first run '%s'\n", i + 1,
			       text + s->offset, p->runs[0].text);
		}
	}
	CHECK(body >= 4);
	CHECK(mid >= 1);
	CHECK(bad == 0);
	arena_free(&a);
}

#define SHY "\xC2\xAD"

/* U+00AD printed as a visible hyphen mid-line. It is a discretionary
 * break: invisible on an unbroken line; where the line breaks, a hyphen
 * glyph (marked as added: LO_GLYPH_HYPHEN) whose text is U+00AD, so that
 * the word copies whole. */
TEST(soft_hyphens_are_invisible_unless_broken)
{
	arena a = {0};
	diag_list dl = {0};
	const style *st = load_style(&a, &dl);
	const char *one[] = {"See inter" SHY "national aid."};
	lo_doc *lo = st ? layout_booklet(tiny_book(&a, "T", one, 1), st, R, &a,
					 &dl) : NULL;
	char *runs = body_runs(&a, lo);
	CHECK(lo != NULL);
	CHECK(strstr(runs, "See international aid.|") != NULL);
	CHECK(strstr(runs, SHY) == NULL && strstr(runs, "inter-") == NULL);
	CHECK(dl.errors == 0 && dl.warnings == 0);

	/* a measure of 31mm: the long word breaks at its soft hyphens */
	char *txt = NULL;
	{
		FILE *f = fopen(style_path(&a), "rb");
		static char sbuf[16384];
		size_t n = f ? fread(sbuf, 1, sizeof sbuf - 1, f) : 0;
		if (f)
			fclose(f);
		sbuf[n] = 0;
		txt = arena_printf(&a, "%s\npage-width = 60mm\n", sbuf);
		char *pw = strstr(txt, "page-width = 148mm");
		if (pw)
			memcpy(pw, "#age", 4);
	}
	st = style_parse(txt, strlen(txt), "narrow.style", fonts_dir(), &a, &dl);
	CHECK(st != NULL);
	const char *word[] = {"Super" SHY "cali" SHY "fragil" SHY "istic" SHY
			      "expi" SHY "ali" SHY "docious"};
	lo = st ? layout_booklet(tiny_book(&a, "T", word, 1), st, R, &a, &dl)
		: NULL;
	runs = body_runs(&a, lo);
	/* the word's runs (a line each), each ending in an added hyphen but
	 * the last: a soft hyphen in the text, nowhere else */
	char *w = strstr(runs, "Super");
	buf joined = {0};
	int breaks = 0;
	for (char *q = w; q && *q; q++) {
		if (*q == '|') {
			if (q - w < 2 || memcmp(q - 2, SHY, 2))
				break;
			breaks++;
			continue;
		}
		if (!memcmp(q, SHY, 2) && q[2] == '|') {
			q++;
			continue;
		}
		buf_put(&joined, q, 1);
	}
	int hyphen_glyphs = 0;
	for (size_t i = 0; lo && i < lo->npages; i++)
		for (size_t k = 0; k < lo->pages[i].nruns; k++) {
			const lo_run *r = &lo->pages[i].runs[k];
			for (size_t g = 0; g < r->nglyphs; g++)
				if (r->glyphs[g].kind == LO_GLYPH_HYPHEN) {
					hyphen_glyphs++;
					CHECK(g + 1 == r->nglyphs);
					CHECK(r->glyphs[g].gid == 16);  /* '-' */
				}
		}
	CHECK(hyphen_glyphs == breaks);
	CHECK(breaks >= 1);
	CHECK(joined.len == 34 && !memcmp(joined.data,
		"Supercalifragilisticexpialidocious", 34));
	buf_free(&joined);
	diag_free(&dl);
	arena_free(&a);
}

/* A missing glyph was reported three times (once per PDF), at the font
 * file. Now: once per character per run of the tool, at the booklet's
 * line where it first occurs. */
TEST(missing_glyph_once_at_first_occurrence)
{
	arena a = {0};
	diag_list dl = {0};
	res *r = res_new();
	const style *st = load_style(&a, &dl);
	const char *paras[] = {
		"Smile \xF0\x9F\x98\x80 please.",              /* line 20 */
		"Then \xE4\xB8\xAD and \xF0\x9F\x98\x80 again.", /* line 30 */
		"\xE4\xB8\xAD \xF0\x9F\x98\x80 \xE4\xB8\xAD.",  /* line 40 */
	};
	/* the title (no position) has the emoji too, and a book only it has */
	doc *d = tiny_book(&a, "Title \xF0\x9F\x98\x80 \xF0\x9F\x93\x96", paras, 3);
	CHECK(r && st);
	if (!r || !st)
		return;
	CHECK(layout_booklet(d, st, r, &a, &dl) != NULL);
	int smile = 0, zhong = 0, book = 0;
	for (size_t i = 0; i < dl.n; i++) {
		const diag *g = &dl.items[i];
		CHECK(g->level == DIAG_WARNING);
		CHECK(g->file && !strcmp(g->file, "t.xml"));
		if (strstr(g->message, "U+1F600")) {
			smile++;
			CHECK(g->line == 20);
		} else if (strstr(g->message, "U+4E2D")) {
			zhong++;
			CHECK(g->line == 30);
			CHECK(strstr(g->message, "CharisSIL-Regular.ttf") != NULL);
		} else if (strstr(g->message, "U+1F4D6")) {
			book++;
		}
	}
	CHECK(smile == 1 && zhong == 1 && book == 1 && dl.n == 3);
	diag_free(&dl);
	/* the next layout of the run (the handout) says nothing again */
	const char *top = getenv("TOP");
	st = style_load(top ? arena_printf(&a, "%s/styles/a4-handout.style", top)
			    : "styles/a4-handout.style", fonts_dir(), &a, &dl);
	CHECK(st && layout_booklet(d, st, r, &a, &dl) != NULL);
	CHECK(dl.n == 0);
	diag_free(&dl);
	res_free(r);
	arena_free(&a);
}

/* The a5 style with these lines changed ("key = value" each, replacing
 * the key's line or added at the end), parsed. */
static const style *style_with(arena *a, diag_list *dl, const char **kv,
			       int n)
{
	char *txt = style_text_with(a, "\n#", "\n#");
	for (int i = 0; i < n; i++) {
		const char *eq = strchr(kv[i], '=');
		char *key = arena_strndup(a, kv[i], (size_t)(eq - kv[i]));
		while (*key && key[strlen(key) - 1] == ' ')
			key[strlen(key) - 1] = 0;
		char *at = strstr(txt, arena_printf(a, "\n%s = ", key));
		if (at) {
			char *end = strchr(at + 1, '\n');
			txt = arena_printf(a, "%.*s\n%s%s", (int)(at - txt), txt,
					   kv[i], end ? end : "\n");
		} else {
			txt = arena_printf(a, "%s\n%s\n", txt, kv[i]);
		}
	}
	return style_parse(txt, strlen(txt), "t.style", fonts_dir(), a, dl);
}

/* Page 0 of lo as layout_dump writes it, runs' fonts named by their files
 * (the cover laid out alone may number the book's fonts otherwise). */
static char *page0_dump(arena *a, const lo_doc *lo)
{
	lo_doc one = *lo;
	one.npages = 1;
	one.noutline = 0;
	one.nstructs = 0;
	char *txt = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&txt, &len);
	if (!f)
		return NULL;
	layout_dump(&one, f);
	for (size_t k = 0; k < lo->pages[0].nruns; k++)
		fprintf(f, "font %zu %s\n", k,
			lo->fonts[lo->pages[0].runs[k].font]);
	fclose(f);
	char *s = arena_strndup(a, txt, len);
	free(txt);
	return s;
}

/* The cover laid out alone (for the EPUB to draw while the book is laid
 * out) is the book's first page exactly; none when the style has no
 * cover page, or when a link on it would be numbered after the body's
 * (link-address = note). */
TEST(cover_laid_out_alone)
{
	arena a = {0};
	diag_list dl = {0};
	const style *st = load_style(&a, &dl);
	CHECK(st != NULL);
	if (!st)
		return;
	tbook tb = make_book(&a, 1);
	doc_node *sf = doc_node_new(&a, DOC_PARA, P(3));
	add_text(&a, sf, "Mums often expect an instant bond with their babies; "
		 "two doctors explain why bonding can take time.");
	tb.d->meta.standfirst = sf;
	lo_doc *book = layout_booklet(tb.d, st, R, &a, &dl);
	lo_doc *cover = layout_cover(tb.d, st, R, &a, &dl);
	CHECK(book && cover && cover->pages[0].kind == LO_COVER);
	if (book && cover) {
		char *d1 = page0_dump(&a, book), *d2 = page0_dump(&a, cover);
		CHECK(d1 && d2 && strstr(d1, "instant bond") && !strcmp(d1, d2));
	}
	const char *nocover[] = {"cover-page = no"};
	const style *st2 = style_with(&a, &dl, nocover, 1);
	CHECK(st2 && layout_cover(tb.d, st2, R, &a, &dl) == NULL);
	/* a link on the cover, its address a numbered note */
	const char *notes[] = {"link-address = note",
			       "link-notes-title = Web addresses"};
	const style *st3 = style_with(&a, &dl, notes, 2);
	doc_node *l = add(&a, sf, DOC_LINK, 3);
	l->text = "https://www.nct.org.uk/";
	l->checked = 1;
	add_text(&a, l, "NCT");
	CHECK(st3 && layout_booklet(tb.d, st3, R, &a, &dl) != NULL);
	CHECK(st3 && layout_cover(tb.d, st3, R, &a, &dl) == NULL);
	CHECK(dl.errors == 0);
	diag_free(&dl);
	arena_free(&a);
}

/* A booklet of one paragraph: text, a link (href, shown as link_text),
 * more text. */
static doc *link_book(arena *a, const char *before, const char *href,
		      const char *link_text, const char *after)
{
	const char *none[] = {""};
	doc *d = tiny_book(a, "T", none, 1);
	doc_node *para = d->parts_first->last;
	para->first = para->last = NULL;
	add_text(a, para, before);
	doc_node *l = add(a, para, DOC_LINK, para->pos.line);
	l->text = href;
	l->checked = 1;
	add_text(a, l, link_text);
	add_text(a, para, after);
	return d;
}

static int has_gid(const lo_doc *lo, unsigned gid)
{
	for (size_t i = 0; lo && i < lo->npages; i++)
		for (size_t k = 0; k < lo->pages[i].nruns; k++)
			for (size_t g = 0; g < lo->pages[i].runs[k].nglyphs; g++)
				if (lo->pages[i].runs[k].glyphs[g].gid == gid)
					return 1;
	return 0;
}

/* The style's ligatures and kerning switches: Charis SIL's "ffi" and
 * "fi" ligatures (glyphs 743 and 739) with ligatures = yes, single
 * letters with no, the text the same; DejaVu Serif's pair kerning makes
 * "AVATAR To" narrower than its glyphs' own advances, and not with
 * kerning = no. */
TEST(shaping_follows_the_style)
{
	arena a = {0};
	diag_list dl = {0};
	const char *para[] = {"An office affair; fine flowers."};
	const char *off[] = {"ligatures = no"};
	const style *on = load_style(&a, &dl), *no = style_with(&a, &dl, off, 1);
	CHECK(on && no && on->ligatures && !no->ligatures);
	if (!on || !no)
		return;
	doc *d = tiny_book(&a, "T", para, 1);
	lo_doc *l1 = layout_booklet(d, on, R, &a, &dl);
	lo_doc *l2 = layout_booklet(d, no, R, &a, &dl);
	CHECK(has_gid(l1, 743) && has_gid(l1, 739));
	CHECK(l2 && !has_gid(l2, 743) && !has_gid(l2, 739));
	CHECK(strstr(body_runs(&a, l1), "An office affair; fine flowers.|"));
	CHECK(strstr(body_runs(&a, l2), "An office affair; fine flowers.|"));

	const char *kern[] = {
		"font-regular = /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
		"kerning = yes"};
	const char *nokern[] = {
		"font-regular = /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
		"kerning = no"};
	const char *av[] = {"AVATAR To"};
	d = tiny_book(&a, "T", av, 1);
	for (int k = 0; k < 2; k++) {
		const style *st = style_with(&a, &dl, k ? nokern : kern, 2);
		lo_doc *lo = st ? layout_booklet(d, st, R, &a, &dl) : NULL;
		char err[256];
		face *f = res_font(R, kern[0] + 15, err, sizeof err);
		const lo_run *r = NULL;
		for (size_t i = 0; lo && i < lo->npages && !r; i++)
			for (size_t j = 0; j < lo->pages[i].nruns; j++)
				if (!strcmp(lo->pages[i].runs[j].text, "AVATAR To"))
					r = &lo->pages[i].runs[j];
		CHECK(r && f);
		if (!r || !f)
			continue;
		long shaped = 0, nominal = 0;
		for (size_t g = 0; g < r->nglyphs; g++) {
			shaped += r->glyphs[g].advance;
			nominal += face_advance(f, r->glyphs[g].gid);
		}
		CHECK(k ? shaped == nominal : shaped < nominal - 200);
	}
	CHECK(dl.errors == 0);
	diag_free(&dl);
	arena_free(&a);
}

/* The link-coloured runs of the body, in order, their trailing spaces
 * dropped; *hyphens counts added hyphens among them. */
static char **link_pieces(arena *a, const style *st, const lo_doc *lo,
			  size_t *n, int *hyphens)
{
	char **out = arena_alloc(a, 64 * sizeof *out);
	*n = 0;
	*hyphens = 0;
	for (size_t i = 0; lo && i < lo->npages; i++)
		for (size_t k = 0; k < lo->pages[i].nruns && *n < 64; k++) {
			const lo_run *r = &lo->pages[i].runs[k];
			if (lo->pages[i].kind != LO_BODY ||
			    r->color.r != st->link_color.r ||
			    r->color.g != st->link_color.g ||
			    r->color.b != st->link_color.b)
				continue;
			char *t = arena_strdup(a, r->text);
			while (*t && t[strlen(t) - 1] == ' ')
				t[strlen(t) - 1] = 0;
			out[(*n)++] = t;
			for (size_t g = 0; g < r->nglyphs; g++)
				*hyphens += r->glyphs[g].kind == LO_GLYPH_HYPHEN;
		}
	return out;
}

static int url_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* URLs break where The Chicago Manual of Style says (after "//", before
 * a slash, full stop, hyphen ...), or as a last resort between the
 * syllables of a long word, never adding a hyphen and never ending a line
 * with the URL's own hyphen; the pieces read back as the URL. A telephone
 * number never breaks: it moves whole to the next line. */
TEST(urls_and_phone_numbers_break_properly)
{
	arena a = {0};
	diag_list dl = {0};
	const char *narrow[] = {"page-width = 70mm"};
	const style *st = style_with(&a, &dl, narrow, 1);
	CHECK(st != NULL);
	if (!st)
		return;
	const char *url = "https://www.nct.org.uk/about-us/news-and-views/"
			  "difficulties-baby-bonding-affect-third-uk-mums";
	lo_doc *lo = layout_booklet(link_book(&a, "Read the news at ", url, url,
					      " today."), st, R, &a, &dl);
	size_t n;
	int hyphens;
	char **pc = link_pieces(&a, st, lo, &n, &hyphens);
	CHECK(n >= 3 && hyphens == 0);
	buf all = {0};
	for (size_t i = 0; i < n; i++) {
		buf_puts(&all, pc[i]);
		if (i + 1 == n)
			break;
		const char *p = pc[i], *q = pc[i + 1];
		size_t pl = strlen(p);
		int chicago = (pl >= 2 && !strcmp(p + pl - 2, "//")) ||
			      strchr("/.,-~_?#%=&", q[0]) ||
			      strchr(":=&", p[pl - 1]);
		int syllable = url_letter(p[pl - 1]) && url_letter(q[0]);
		if (!(chicago || syllable) || p[pl - 1] == '-')
			printf("  URL broken badly: '%s' | '%s'\n", p, q);
		CHECK((chicago || syllable) && p[pl - 1] != '-');
	}
	CHECK(all.len == strlen(url) && !memcmp(all.data, url, all.len));
	buf_free(&all);

	/* the telephone number on one line, wherever the paragraph breaks */
	for (int words = 0; words < 12; words++) {
		buf b = {0};
		for (int w = 0; w < words; w++)
			buf_puts(&b, "support ");
		buf_puts(&b, "call the line: ");
		lo = layout_booklet(link_book(&a, arena_strndup(&a, b.data, b.len),
					      "tel:+443003300700", "0300 330 0700",
					      "."), st, R, &a, &dl);
		buf_free(&b);
		pc = link_pieces(&a, st, lo, &n, &hyphens);
		CHECK(n == 1 && !strcmp(pc[0], "0300 330 0700"));
	}
	CHECK(dl.errors == 0 && dl.warnings == 0);
	diag_free(&dl);
	arena_free(&a);
}

/* The fraction of the last character of s that may hang into the right
 * margin, as typeset/items.c's table has it (an added hyphen, U+00AD in
 * the text, as a hyphen). */
static double hang_of(const char *s)
{
	size_t l = strlen(s);
	if (l >= 2 && !memcmp(s + l - 2, "\xC2\xAD", 2))
		return 0.7;
	if (l >= 3 && !memcmp(s + l - 3, "\xE2\x80\x99", 3))   /* ’ */
		return 0.7;
	if (l >= 3 && !memcmp(s + l - 3, "\xE2\x80\x9D", 3))   /* ” */
		return 0.5;
	switch (l ? s[l - 1] : 0) {
	case '.': case ',': case '-': case '\'':
		return 0.7;
	case ':': case ';': case '"':
		return 0.5;
	case '!': case '?':
		return 0.2;
	default:
		return 0;
	}
}

/* Justified lines: every full line ends exactly at the right edge of the
 * measure, or past it by the hanging punctuation's share of its last
 * glyph (protrusion); glyphs are widened or narrowed by at most the
 * style's font expansion, in steps of 0.5%. Without protrusion and
 * expansion, every full line ends at the edge, unscaled. */
TEST(justified_lines_hang_and_expand)
{
	arena a = {0};
	diag_list dl = {0};
	const char *plain[] = {"protrusion = 0", "font-expansion = 0"};
	const char *paras[3];
	buf b = {0};
	for (int i = 0; i < 5; i++)
		buf_puts(&b, filler);
	buf_puts(&b, "End.");
	paras[0] = paras[1] = paras[2] = arena_strndup(&a, b.data, b.len);
	buf_free(&b);
	for (int k = 0; k < 2; k++) {
		const style *st = k ? style_with(&a, &dl, plain, 2)
				    : load_style(&a, &dl);
		CHECK(st && (k ? st->protrusion == 0 : st->protrusion > 0));
		lo_doc *lo = st ? layout_booklet(tiny_book(&a, "T", paras, 3),
						  st, R, &a, &dl) : NULL;
		int full = 0, hung = 0, scaled = 0, bad = 0;
		for (size_t i = 0; lo && i < lo->npages; i++) {
			const lo_page *p = &lo->pages[i];
			double left = i % 2 == 0 ? st->margin_inner
						 : st->margin_outer;
			double right = left + st->page_width - st->margin_inner -
				       st->margin_outer;
			tline *ls;
			size_t n = p->kind == LO_BODY ? page_lines(&a, st, p, &ls) : 0;
			for (size_t j = 0; j < n; j++) {
				const lo_run *r = ls[j].last;
				double h = r->hscale;
				double x = st->font_expansion;
				if (h < 1 - x - 1e-9 || h > 1 + x + 1e-9 ||
				    fabs(h * 200 - round(h * 200)) > 1e-6)
					bad++;
				scaled += h != 1;
				if (r->size != st->body_size ||
				    strstr(r->text, "End."))
					continue;   /* heading, last line */
				const lo_glyph *g = last_drawn(r);
				char *t = arena_strdup(&a, r->text);
				if (*t && t[strlen(t) - 1] == ' ')
					t[strlen(t) - 1] = 0;   /* its line space */
				double want = right + hang_of(t) *
					st->protrusion * h * g->advance * r->size /
					r->upem;
				full++;
				hung += want > right + 0.01;
				if (fabs(r->x + r->width - want) > 0.01) {
					printf("  line ends at %.3f, want %.3f: %s\n",
					       r->x + r->width, want, r->text);
					bad++;
				}
			}
		}
		CHECK(bad == 0 && full > 20);
		CHECK(k ? hung == 0 && scaled == 0 : hung > 3 && scaled > 3);
	}
	CHECK(dl.errors == 0);
	diag_free(&dl);
	arena_free(&a);
}

/* The type of element e, or -1 when e is out of range. */
static int stype(const lo_doc *lo, int e)
{
	return e >= 0 && (size_t)e < lo->nstructs ? (int)lo->structs[e].type
						   : -1;
}

/* The logical structure (a PDF's tags): every run belongs to an element
 * or is furniture; headings at their levels; lists, contents entries,
 * links and bibliography entries as PDF/UA wants them; a paragraph split
 * across pages is one element. */
TEST(layout_structure)
{
	arena a = {0};
	diag_list dl = {0};
	const style *st = load_style(&a, &dl);
	tbook tb = make_book(&a, 2);
	add_para(&a, tb.d->parts_first, 99, 25);    /* longer than a page */
	lo_doc *lo = st ? layout_booklet(tb.d, st, R, &a, &dl) : NULL;
	CHECK(lo && lo->nstructs > 1);
	if (!lo || lo->nstructs < 2)
		return;
	CHECK(lo->structs[0].type == LO_DOCUMENT && lo->structs[0].parent == -1);
	for (size_t e = 1; e < lo->nstructs; e++)
		CHECK(lo->structs[e].parent >= 0 &&
		      (size_t)lo->structs[e].parent < e);
	int *page_of = arena_alloc(&a, lo->nstructs * sizeof *page_of);
	int split = 0, folios = 0, bibs = 0, lbls = 0, heads[7] = {0};
	for (size_t e = 0; e < lo->nstructs; e++)
		page_of[e] = -1;
	for (size_t i = 0; i < lo->npages; i++) {
		const lo_page *p = &lo->pages[i];
		for (size_t k = 0; k < p->nruns; k++) {
			const lo_run *r = &p->runs[k];
			int t = stype(lo, r->elem);
			if (p->label && !strcmp(r->text, p->label) &&
			    r->y < st->margin_bottom) {
				CHECK(r->elem == LO_ARTIFACT);   /* folio */
				folios++;
				continue;
			}
			if (r->text[0] == '.' &&             /* leaders */
			    strspn(r->text, ". ") == strlen(r->text))
				CHECK(r->elem == LO_ARTIFACT);
			if (r->text[0] == 'P' && r->text[1] >= '0' &&
			    r->text[1] <= '9')
				CHECK(t == LO_P);
			if (!strcmp(r->text, "1.") || !strcmp(r->text, "•")) {
				int l = lo->structs[lo->structs[r->elem].parent].parent;
				CHECK(t == LO_LBL && stype(lo, l) == LO_L &&
				      lo->structs[l].numbering ==
				      (r->text[0] == '1' ? LO_NUM_DECIMAL
							 : LO_NUM_DISC));
				lbls++;
			}
			if (t == LO_H && !strcmp(r->text, "Tina’s"))
				CHECK(lo->structs[r->elem].level == 3);
			if (t == LO_H && !strcmp(r->text, "Section"))
				CHECK(lo->structs[r->elem].level == 2);
			if (t == LO_H && !strcmp(r->text, "Tips"))
				CHECK(lo->structs[r->elem].level == 1);
			if (t == LO_H)
				heads[lo->structs[r->elem].level]++;
			if (t == LO_P && page_of[r->elem] >= 0 &&
			    page_of[r->elem] != (int)i)
				split++;
			if (r->elem > 0)
				page_of[r->elem] = (int)i;
		}
		for (size_t k = 0; k < p->nlinks; k++) {
			const lo_link *l = &p->links[k];
			CHECK(stype(lo, l->elem) == LO_LINK);
			if (p->kind == LO_FRONT) {   /* a contents entry */
				int ref = lo->structs[l->elem].parent;
				CHECK(stype(lo, ref) == LO_REFERENCE &&
				      stype(lo, lo->structs[ref].parent) == LO_TOCI);
				CHECK(l->title && *l->title);
			}
		}
	}
	for (size_t e = 0; e < lo->nstructs; e++)
		if (lo->structs[e].type == LO_BIBENTRY) {
			int body = lo->structs[e].parent;
			CHECK(stype(lo, body) == LO_LBODY &&
			      stype(lo, lo->structs[body].parent) == LO_LI);
			bibs++;
		}
	CHECK(split > 0);
	CHECK(folios > 0 && lbls > 0);
	CHECK(bibs == (int)tb.d->nrefs);
	CHECK(heads[1] >= 3 && heads[2] >= 8 && heads[3] >= 1 &&
	      heads[4] == 0);                    /* title, parts; sections */
	diag_free(&dl);
	arena_free(&a);
}

/* The lowest baseline of the text lines on page p (in PDF coordinates:
 * the smallest y), or 1e9 for none. */
static double last_baseline(arena *a, const style *st, const lo_page *p)
{
	tline *ls;
	size_t n = page_lines(a, st, p, &ls);
	return n ? ls[n - 1].y : 1e9;
}

/* Does body page i end a part: the next page opens with a part title, or
 * it is the last body page? */
static int ends_part(arena *a, const style *st, const lo_doc *lo, size_t i)
{
	if (i + 1 >= lo->npages || lo->pages[i + 1].kind != LO_BODY)
		return 1;
	tline *ls;
	size_t n = page_lines(a, st, &lo->pages[i + 1], &ls);
	return n && ls[0].first->size == st->part.size;
}

/* The A5's plan and pages: a multiple of 4 pages, no blank page, at most
 * one notes page (before the back cover), for two sizes of book; in the
 * smaller (the larger cannot quite be set so: the widows and orphans of
 * its ten-line paragraphs leave one spread short), every body page
 * that does not end a part ends within one body line of the fullest, and
 * facing pages end level. */
TEST(pages_planned_full_and_level)
{
	arena a = {0};
	diag_list dl = {0};
	const style *st = load_style(&a, &dl);
	CHECK(st != NULL);
	for (int scale = 1; st && scale <= 3; scale += 2) {
		tbook tb = make_book(&a, scale);
		lo_doc *lo = layout_booklet(tb.d, st, R, &a, &dl);
		CHECK(lo != NULL);
		if (!lo)
			continue;
		CHECK(lo->npages % 4 == 0);
		size_t notes = 0;
		double deepest = 1e9;
		for (size_t i = 0; i < lo->npages; i++) {
			CHECK(lo->pages[i].kind != LO_BLANK);
			if (lo->pages[i].kind == LO_NOTES) {
				notes++;
				CHECK(i + 2 == lo->npages);
			}
			if (lo->pages[i].kind == LO_BODY) {
				double y = last_baseline(&a, st, &lo->pages[i]);
				if (y < deepest)
					deepest = y;
			}
		}
		CHECK(notes <= 1);
		for (size_t i = 0; scale == 1 && i < lo->npages; i++) {
			if (lo->pages[i].kind != LO_BODY || ends_part(&a, st, lo, i))
				continue;
			double y = last_baseline(&a, st, &lo->pages[i]);
			if (y - deepest > st->body_leading + 0.5)
				printf("  page %zu ends %.1f pt above the foot\n",
				       i + 1, y - deepest);
			CHECK(y - deepest <= st->body_leading + 0.5);
			/* a left-hand page (odd index) and the page facing it */
			if (i % 2 == 1 && i + 1 < lo->npages &&
			    lo->pages[i + 1].kind == LO_BODY &&
			    !ends_part(&a, st, lo, i + 1)) {
				double z = last_baseline(&a, st, &lo->pages[i + 1]);
				if (y - z > 1.5 || z - y > 1.5)
					printf("  pages %zu-%zu differ by %.1f pt\n",
					       i + 1, i + 2, y - z);
				CHECK(y - z <= 1.5 && z - y <= 1.5);
			}
		}
	}
	CHECK(dl.errors == 0 && dl.warnings == 0);
	diag_free(&dl);
	arena_free(&a);
}

/* Nothing stranded: every list and experience in the test book follows
 * a paragraph that introduces it, so no page opens with a list's first
 * item or an experience's title; running heads differ on facing pages
 * (the booklet's title on the left, the part's on the right). */
TEST(nothing_stranded_and_running_heads)
{
	arena a = {0};
	diag_list dl = {0};
	const style *st = load_style(&a, &dl);
	tbook tb = make_book(&a, 3);
	lo_doc *lo = st ? layout_booklet(tb.d, st, R, &a, &dl) : NULL;
	CHECK(lo != NULL);
	int left = 0, right = 0;
	for (size_t i = 0; lo && i < lo->npages; i++) {
		const lo_page *p = &lo->pages[i];
		if (p->kind != LO_BODY)
			continue;
		tline *ls;
		size_t n = page_lines(&a, st, p, &ls);
		if (n) {
			CHECK(strcmp(ls[0].first->text, "1.") != 0);
			CHECK(!strstr(ls[0].text, "experience"));
		}
		for (size_t k = 0; k < p->nruns; k++) {
			const lo_run *r = &p->runs[k];
			if (r->y < st->page_height - st->margin_top + 1)
				continue;   /* not in the head */
			if (i % 2) {
				CHECK_STR(r->text, "A test booklet about bonding");
				left++;
			} else {
				CHECK(!strcmp(r->text, "The article") ||
				      !strcmp(r->text, "Tips") ||
				      !strcmp(r->text, "References"));
				right++;
			}
		}
	}
	CHECK(left > 0 && right > 0);
	diag_free(&dl);
	arena_free(&a);
}

/* A long heading breaks balanced: its last line is not a lone word and
 * is at least half as long as its first. */
TEST(headings_balanced)
{
	arena a = {0};
	diag_list dl = {0};
	const style *st = load_style(&a, &dl);
	const char *one[] = {"Some text under the heading."};
	doc *d = tiny_book(&a, "T", one, 1);
	doc_node *h = doc_heading(d->parts_first);
	h->first->text = "Recovering from mental health problems and bonding "
			 "with your new baby";
	lo_doc *lo = st ? layout_booklet(d, st, R, &a, &dl) : NULL;
	CHECK(lo != NULL);
	int found = 0;
	for (size_t i = 0; lo && i < lo->npages; i++) {
		const lo_page *p = &lo->pages[i];
		if (p->kind != LO_BODY)
			continue;
		tline *ls;
		size_t n = page_lines(&a, st, p, &ls), k = 0;
		while (k < n && ls[k].first->size == st->part.size)
			k++;
		if (k < 2)
			continue;
		found = 1;
		double w0 = ls[0].last->x + ls[0].last->width - ls[0].first->x;
		double wl = ls[k - 1].last->x + ls[k - 1].last->width -
			    ls[k - 1].first->x;
		CHECK(strchr(ls[k - 1].text, ' ') != NULL);
		CHECK(wl >= w0 / 2);
	}
	CHECK(found);
	diag_free(&dl);
	arena_free(&a);
}

/* The handout's plan: no cover, contents or back cover; page 1 opens
 * with the title and the text; the review date closes the last page, at
 * its foot. */
TEST(handout_plan)
{
	arena a = {0};
	diag_list dl = {0};
	const char *top = getenv("TOP");
	const char *h = top ? arena_printf(&a, "%s/styles/a4-handout.style", top)
			    : "styles/a4-handout.style";
	const style *st = style_load(h, fonts_dir(), &a, &dl);
	tbook tb = make_book(&a, 1);
	lo_doc *lo = st ? layout_booklet(tb.d, st, R, &a, &dl) : NULL;
	CHECK(lo != NULL && lo->npages >= 2);
	if (!lo)
		return;
	for (size_t i = 0; i < lo->npages; i++)
		CHECK(lo->pages[i].kind == LO_BODY);
	CHECK_STR(lo->pages[0].label, "1");
	int title = 0, text = 0, reviewed = 0;
	for (size_t k = 0; k < lo->pages[0].nruns; k++) {
		const lo_run *r = &lo->pages[0].runs[k];
		/* (a run holds a stretch of words, spaces and all) */
		title |= r->size == st->cover_title_size &&
			 !strncmp(r->text, "A test", 6);
		text |= r->size == st->body_size;
	}
	const lo_page *last = &lo->pages[lo->npages - 1];
	double lowest = 1e9;
	for (size_t k = 0; k < last->nruns; k++)
		if (last->runs[k].y > st->margin_bottom - 1 &&
		    last->runs[k].y < lowest)
			lowest = last->runs[k].y;
	for (size_t k = 0; k < last->nruns; k++)
		if (strstr(last->runs[k].text, "reviewed"))
			reviewed = last->runs[k].y == lowest;
	CHECK(title && text && reviewed);
	diag_free(&dl);
	arena_free(&a);
}

/* A link whose text is not its address prints the address after it (a
 * link too), unless the style says none; a telephone link whose text is
 * a number, or a link that shows its address, prints nothing more. */
TEST(link_addresses)
{
	arena a = {0};
	diag_list dl = {0};
	for (int none = 0; none < 2; none++) {
		const char *txt = none ? style_text_with(&a, "link-address = after",
							 "link-address = none")
				       : style_text_with(&a, "x", "x");
		style *st = style_parse(txt, strlen(txt), "a5.style",
					fonts_dir(), &a, &dl);
		CHECK(st && st->link_address == (none ? ADDR_NONE : ADDR_AFTER));
		const char *one[] = {"Contact "};
		doc *d = tiny_book(&a, "T", one, 1);
		doc_node *p = d->parts_first->last;
		const char *hrefs[3] = {"https://pandasfoundation.org.uk/",
					"tel:+443003300700",
					"https://www.example.org/"};
		const char *texts[3] = {"PANDAS", "0300 330 0700",
					"www.example.org"};
		for (int k = 0; k < 3; k++) {
			doc_node *l = add(&a, p, DOC_LINK, 20);
			l->text = hrefs[k];
			l->checked = 1;
			add_text(&a, l, texts[k]);
			add_text(&a, p, k < 2 ? " or " : ".");
		}
		lo_doc *lo = st ? layout_booklet(d, st, R, &a, &dl) : NULL;
		char *runs = body_runs(&a, lo);
		CHECK(!none == (strstr(runs, "(pandasfoundation.org.uk)") != NULL));
		CHECK(!strstr(runs, "+443003300700") && !strstr(runs, "(www."));
		/* the address is part of the link: coloured, marked for print */
		int marked = 0;
		for (size_t i = 0; lo && i < lo->npages; i++)
			for (size_t k = 0; k < lo->pages[i].nruns; k++)
				if (strstr(lo->pages[i].runs[k].text, "pandasfoundation"))
					marked += lo->pages[i].runs[k].link;
		CHECK(none || marked > 0);
	}
	CHECK(dl.errors == 0);
	diag_free(&dl);
	arena_free(&a);
}

/* link-address = note: a link whose text is not its address gets a
 * superscript number, and the end of its part lists the addresses under
 * link-notes-title, numbered in the order of the links, as links, in the
 * part's structure (a heading, then L > LI > Lbl, LBody); the document's
 * text offsets (the EPUB's page markers) do not count the number. */
TEST(link_address_notes)
{
	arena a = {0};
	diag_list dl = {0};
	const char *txt = style_text_with(&a, "link-address = after",
		"link-address = note\nlink-notes-title = Web addresses");
	style *st = style_parse(txt, strlen(txt), "a5.style", fonts_dir(), &a,
				&dl);
	CHECK(st && st->link_address == ADDR_NOTE);
	const char *one[] = {"Ask "};
	doc *d = tiny_book(&a, "T", one, 1);
	doc_node *p = d->parts_first->last;
	const char *hrefs[3] = {"https://pandasfoundation.org.uk/",
				"https://www.example.org/",
				"https://www.nct.org.uk/about-us"};
	const char *texts[3] = {"PANDAS", "www.example.org", "NCT"};
	for (int k = 0; k < 3; k++) {
		doc_node *l = add(&a, p, DOC_LINK, 20);
		l->text = hrefs[k];
		l->checked = 1;
		add_text(&a, l, texts[k]);
		add_text(&a, p, k < 2 ? " or " : ".");
	}
	lo_doc *lo = st ? layout_booklet(d, st, R, &a, &dl) : NULL;
	char *runs = body_runs(&a, lo);
	/* numbered in order; the link that shows its address has none */
	CHECK(strstr(runs, "PANDAS\u00b9") && strstr(runs, "NCT\u00b2"));
	CHECK(!strstr(runs, "(pandasfoundation") && !strstr(runs, "\u00b3"));
	const char *h = strstr(runs, "Web addresses");
	const char *n1 = h ? strstr(h, "pandasfoundation.org.uk") : NULL;
	const char *n2 = n1 ? strstr(n1, "nct.org.uk/about-us") : NULL;
	CHECK(h && n1 && n2);
	/* each listed address is a link, to its own address */
	int linked = 0;
	for (size_t i = 0; lo && i < lo->npages; i++)
		for (size_t k = 0; k < lo->pages[i].nruns; k++) {
			const lo_run *r = &lo->pages[i].runs[k];
			if (strstr(r->text, "about-us") && r->link)
				linked++;
		}
	CHECK(linked == 1);
	/* the heading one level below the part's, then the list */
	int h2 = -1, list = -1;
	for (size_t i = 0; lo && i < lo->nstructs; i++) {
		if (lo->structs[i].type == LO_H && lo->structs[i].level == 2)
			h2 = (int)i;
		if (lo->structs[i].type == LO_L && h2 >= 0 && list < 0)
			list = (int)i;
	}
	CHECK(h2 > 0 && list > h2 &&
	      lo->structs[list].parent == lo->structs[h2].parent);
	CHECK(dl.errors == 0);
	diag_free(&dl);
	arena_free(&a);
}

int main(void)
{
	R = res_new();
	if (!R) {
		printf("FAIL test_layout: res_new\n");
		return 1;
	}
	RUN(style_reports_bad_lines);
	RUN(style_files_load);
	RUN(layout_pages);
	RUN(layout_structure);
	RUN(bibliography_ragged);
	RUN(layout_reports_overfull_word);
	RUN(layout_survives_deep_nesting);
	RUN(layout_large_book);
	RUN(soft_hyphens_are_invisible_unless_broken);
	RUN(missing_glyph_once_at_first_occurrence);
	RUN(shaping_follows_the_style);
	RUN(urls_and_phone_numbers_break_properly);
	RUN(justified_lines_hang_and_expand);
	RUN(pages_planned_full_and_level);
	RUN(nothing_stranded_and_running_heads);
	RUN(headings_balanced);
	RUN(handout_plan);
	RUN(link_addresses);
	RUN(link_address_notes);
	RUN(page_starts_are_where_first_lines_begin);
	RUN(cover_laid_out_alone);
	res_free(R);
	CHECK_EXIT();
}
