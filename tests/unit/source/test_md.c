/* test_md.c - the Markdown reader: content/booklet.md gives the same tree
 * as content/booklet.xml, node for node; pandoc's citations with prefixes,
 * suffixes, links and author-in-text; escapes; heading attributes and
 * pandoc's identifiers; experiences; where the bibliography goes; nocite;
 * positions of diagnostics; limits on hostile input. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc/check.h"
#include "source/load.h"
#include "source/md.h"
#include "source/source.h"

#include "unit.h"  /* the test harness */

/* ---- helpers ------------------------------------------------------------ */

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The first difference between two nodes' own fields, or NULL. */
static const char *node_diff(const doc_node *x, const doc_node *y)
{
	if (x->type != y->type)
		return "type";
	if (!same(x->id, y->id))
		return "id";
	if (!same(x->text, y->text))
		return "text";
	if (x->kind != y->kind || x->ordered != y->ordered || x->depth != y->depth)
		return "kind, ordered or depth";
	if (x->nkeys != y->nkeys)
		return "number of keys";
	for (size_t k = 0; k < x->nkeys; k++)
		if (!same(x->keys[k], y->keys[k]))
			return "key";
	for (size_t k = 0; k < x->nkeys; k++)
		if (!same(x->prefixes ? x->prefixes[k] : NULL,
			  y->prefixes ? y->prefixes[k] : NULL) ||
		    !same(x->suffixes ? x->suffixes[k] : NULL,
			  y->suffixes ? y->suffixes[k] : NULL))
			return "prefix or suffix";
	if (x->in_text != y->in_text)
		return "in_text";
	return NULL;
}

/* Walk two trees in step; report the first difference. */
static int tree_same(doc_node *a, doc_node *b)
{
	int ea = 1, eb = 1;
	doc_node *x = doc_walk(a, NULL, &ea), *y = doc_walk(b, NULL, &eb);
	while (x && y) {
		const char *why = ea != eb ? "shape" : node_diff(x, y);
		if (why) {
			printf("  differs (%s): %s '%s' vs %s '%s'\n", why,
			       doc_type_name(x->type), x->text ? x->text : "",
			       doc_type_name(y->type), y->text ? y->text : "");
			return 0;
		}
		x = doc_walk(a, x, &ea);
		y = doc_walk(b, y, &eb);
	}
	return !x && !y;
}

static int names_same(const doc_name *a, const doc_name *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!same(a[i].family, b[i].family) || !same(a[i].given, b[i].given) ||
		    !same(a[i].literal, b[i].literal) ||
		    !same(a[i].honorific, b[i].honorific))
			return 0;
	return 1;
}

static int ref_same(const doc_ref *a, const doc_ref *b)
{
	return same(a->id, b->id) && same(a->type, b->type) &&
	       a->nauthors == b->nauthors && a->neditors == b->neditors &&
	       names_same(a->authors, b->authors, a->nauthors) &&
	       names_same(a->editors, b->editors, a->neditors) &&
	       same(a->issued, b->issued) && same(a->title, b->title) &&
	       same(a->container_title, b->container_title) &&
	       same(a->volume, b->volume) && same(a->issue, b->issue) &&
	       same(a->page, b->page) && same(a->publisher, b->publisher) &&
	       same(a->publisher_place, b->publisher_place) &&
	       same(a->url, b->url) && same(a->accessed, b->accessed) &&
	       a->nocite == b->nocite;
}

typedef struct loaded {
	arena a;
	diag_list d;
	doc *doc;
} loaded;

static void md_from(loaded *l, const char *src, const char *path)
{
	memset(l, 0, sizeof *l);
	l->doc = md_load_memory(src, strlen(src), path, &l->a, &l->d);
}

static void done(loaded *l)
{
	diag_free(&l->d);
	arena_free(&l->a);
}

/* 1 if a diagnostic at line:col says exactly msg. */
static int said(const loaded *l, int line, int col, const char *msg)
{
	for (size_t i = 0; i < l->d.n; i++)
		if (l->d.items[i].line == line && l->d.items[i].col == col &&
		    !strcmp(l->d.items[i].message, msg))
			return 1;
	printf("  wanted %d:%d: %s\n", line, col, msg);
	for (size_t i = 0; i < l->d.n; i++)
		printf("  got %d:%d: %s\n", l->d.items[i].line, l->d.items[i].col,
		       l->d.items[i].message);
	return 0;
}

/* The n-th (from 0) node of type t in document order, or NULL. */
static doc_node *nth(doc *d, doc_type t, int n)
{
	for (doc_node *p = d->parts_first; p; p = p->next) {
		int e = 1;
		for (doc_node *x = doc_walk(p, NULL, &e); x; x = doc_walk(p, x, &e))
			if (e && x->type == t && n-- == 0)
				return x;
	}
	return NULL;
}

#define HEAD "---\ntitle: T\nabstract: A\nauthor: [Jo Bloggs]\npublisher: P\n" \
	     "lang: en-GB\ndate: 2020-01\nidentifier: t\n"
#define REFS "references:\n" \
	     "- {id: a, type: book, author: [{family: Ab}], issued: 2000, title: A, publisher: P}\n" \
	     "- {id: b, type: book, author: [{family: Bo}], issued: 2001, title: B, publisher: P}\n"

/* ---- the default booklet, both ways ------------------------------------- */

TEST(same_tree_as_xml)
{
	arena a = {0};
	diag_list d = {0};
	doc *x = load_booklet("content/booklet.xml", &a, &d);
	doc *m = md_load("content/booklet.md", &a, &d);
	CHECK(x && m && d.n == 0);
	if (!x || !m)
		goto out;
	CHECK(check_document(x, &d) == 0 && check_document(m, &d) == 0);
	CHECK(d.warnings == 0);
	doc_node *p = x->parts_first, *q = m->parts_first;
	for (; p && q; p = p->next, q = q->next)
		CHECK(tree_same(p, q));
	CHECK(!p && !q);
	const doc_meta *mx = &x->meta, *mm = &m->meta;
	CHECK_STR(mm->title, mx->title);
	CHECK(tree_same(mx->standfirst, mm->standfirst));
	CHECK(mx->nauthors == mm->nauthors &&
	      names_same(mx->authors, mm->authors, mx->nauthors));
	CHECK_STR(mm->publisher, mx->publisher);
	CHECK_STR(mm->language, mx->language);
	CHECK_STR(mm->reviewed, mx->reviewed);
	CHECK_STR(mm->identifier, mx->identifier);
	CHECK(x->nrefs == m->nrefs && x->nrefs == 21);
	for (size_t i = 0; i < x->nrefs && i < m->nrefs; i++)
		if (!ref_same(&x->refs[i], &m->refs[i])) {
			printf("  reference %zu (%s) differs\n", i, x->refs[i].id);
			CHECK(0);
		}
	CHECK(x->ncites == m->ncites);
out:
	diag_free(&d);
	arena_free(&a);
}

/* ---- citations ---------------------------------------------------------- */

/* Every form of citation pandoc writes, and the XML's prefix, suffix and
 * form saying the same: the same trees. */
TEST(citation_forms_same_tree_as_xml)
{
	arena a = {0};
	diag_list d = {0};
	doc *x = load_booklet("tests/md/cite-forms.xml", &a, &d);
	doc *m = md_load("tests/md/cite-forms.md", &a, &d);
	CHECK(x && m && d.n == 0);
	if (x && m) {
		doc_node *p = x->parts_first, *q = m->parts_first;
		for (; p && q; p = p->next, q = q->next)
			CHECK(tree_same(p, q));
		CHECK(!p && !q);
		CHECK(nth(x, DOC_CITE, 1) && nth(x, DOC_CITE, 1)->prefixes &&
		      !strcmp(nth(x, DOC_CITE, 1)->prefixes[0], "see"));
	}
	diag_free(&d);
	arena_free(&a);
}

/* Slips cmark prints as they are, warned about with a hint: '#' without
 * its space, emphasis opened or closed by nothing, a space between ']' and
 * '('; not an escaped '*', one between spaces, '_' inside a word, or
 * emphasis that closes. */
TEST(markdown_slips)
{
	loaded l;
	md_from(&l, HEAD REFS "---\n\n# P\n\n"
		"A \\* star, 5 * 3, snake_case, **bold**, *em*, a_b_c [@a].\n\n"
		"#Tips now\n\n"
		"Open *here, [a link] (https://example.org/) and _there [@b].\n",
		"t.md");
	CHECK(l.doc != NULL);
	CHECK(l.d.warnings == 4 && l.d.errors == 0);
	CHECK(said(&l, 18, 1, "'#Tips' is not a heading: a heading needs a space after its '#'"));
	CHECK(said(&l, 20, 6, "unmatched '*' is printed as it is"));
	CHECK(said(&l, 20, 20, "not a link: a space between ']' and '(' leaves both printed as text"));
	CHECK(said(&l, 20, 49, "unmatched '_' is printed as it is"));
	for (size_t i = 0; i < l.d.n; i++)
		CHECK(l.d.items[i].hint != NULL);
	done(&l);
}

TEST(citation_forms)
{
	loaded l;
	md_from(&l, HEAD REFS "---\n\n# P\n\n"
		"One [@a]. Two [@a; @b]. Three [see @a, p. 4; also @b p. 5].\n"
		"Four [@a, <https://example.org/x>]. @b says so, and @a [p. 33]\n"
		"agrees (@b).\n",
		"t.md");
	CHECK(l.doc != NULL);
	if (!l.doc)
		goto out;
	CHECK(check_document(l.doc, &l.d) == 0);
	doc_node *c1 = nth(l.doc, DOC_CITE, 0), *c2 = nth(l.doc, DOC_CITE, 1);
	doc_node *c3 = nth(l.doc, DOC_CITE, 2), *c4 = nth(l.doc, DOC_CITE, 3);
	doc_node *c5 = nth(l.doc, DOC_CITE, 4), *c6 = nth(l.doc, DOC_CITE, 5);
	doc_node *c7 = nth(l.doc, DOC_CITE, 6);
	CHECK(c1 && c1->nkeys == 1 && !strcmp(c1->keys[0], "a") && !c1->prefixes &&
	      !c1->suffixes && !c1->in_text && !c1->first);
	CHECK(c2 && c2->nkeys == 2 && !strcmp(c2->keys[1], "b") && !c2->prefixes);
	CHECK(c3 && c3->nkeys == 2 && c3->prefixes && c3->suffixes);
	if (c3 && c3->prefixes && c3->suffixes) {
		CHECK_STR(c3->prefixes[0], "see");
		CHECK_STR(c3->suffixes[0], ", p. 4");
		CHECK_STR(c3->prefixes[1], "also");
		CHECK_STR(c3->suffixes[1], "p. 5");
	}
	/* a link after the key joins the group, as <link> inside <cite> */
	CHECK(c4 && c4->nkeys == 1 && !c4->suffixes && c4->first &&
	      c4->first->type == DOC_LINK && c4->first == c4->last);
	if (c4 && c4->first) {
		CHECK_STR(c4->first->text, "https://example.org/x");
		CHECK_STR(c4->first->first->text, "https://example.org/x");
	}
	CHECK(c5 && c5->in_text && c5->nkeys == 1 && !strcmp(c5->keys[0], "b") &&
	      !c5->suffixes);
	CHECK(c6 && c6->in_text && c6->suffixes);
	if (c6 && c6->suffixes)
		CHECK_STR(c6->suffixes[0], "p. 33");
	CHECK(c7 && c7->in_text && !strcmp(c7->keys[0], "b"));
	/* the words around them are kept, spaces included */
	doc_node *p = nth(l.doc, DOC_PARA, 0);
	CHECK(p && p->first && !strcmp(p->first->text, "One "));
	CHECK(c5 && c5->next && !strcmp(c5->next->text, " says so, and "));
	CHECK(c6 && c6->next && !strcmp(c6->next->text, " agrees ("));
	CHECK(l.doc->ncites == 7);
out:
	done(&l);
}

TEST(not_citations)
{
	loaded l;
	md_from(&l, HEAD REFS "---\n\n# P\n\n"
		"Mail info@example.org, x.@a, \\@a, &#64;a and [some text] and\n"
		"[a link @a](https://example.org/) and *em*@a. Cite [@a].\n",
		"t.md");
	CHECK(l.doc != NULL);
	if (l.doc) {
		CHECK(l.doc->parts_first && nth(l.doc, DOC_CITE, 1) == NULL);
		doc_node *p = nth(l.doc, DOC_PARA, 0);
		CHECK(p && p->first && !strcmp(p->first->text,
			"Mail info@example.org, x.@a, @a, @a and [some text] and "));
		doc_node *c = nth(l.doc, DOC_CITE, 0);
		CHECK(c && !strcmp(c->keys[0], "a"));
	}
	done(&l);
}

TEST(citation_positions)
{
	loaded l;
	md_from(&l, HEAD REFS "---\n\n# P\n\n"
		"Caf\xc3\xa9 \xe2\x80\x93 see [@a; @zz]. Again [@zz].\n\n"
		"- item\n  text [see @b, p. 1; @ba] done\n\n"
		"> **Kim\xe2\x80\x99s experience**\n>\n> \xe2\x80\x9cQuote\xe2\x80\x9d @ab.\n",
		"t.md");
	CHECK(l.doc != NULL);
	if (l.doc) {
		CHECK(check_document(l.doc, &l.d) == 4);
		/* the column (in characters) of the citation's first key */
		/* one position per citation: its first key's */
		CHECK(said(&l, 16, 13, "unknown citation key 'zz'; did you mean 'a'?"));
		CHECK(said(&l, 16, 30, "unknown citation key 'zz'; did you mean 'a'?"));
		CHECK(said(&l, 19, 13, "unknown citation key 'ba'; did you mean 'a'?"));
		CHECK(said(&l, 23, 11, "unknown citation key 'ab'; did you mean 'a'?"));
	}
	done(&l);
}

/* ---- structure ---------------------------------------------------------- */

TEST(headings_ids_and_kinds)
{
	loaded l;
	md_from(&l, HEAD REFS "---\n\n"
		"# 12 Top tips \xe2\x80\x93 how? {.tips}\n\nText [@a].\n\n"
		"## Day & night {- .unnumbered}\n\nText.\n\n"
		"### Sub {#sub}\n\nText.\n\n## Day & night\n\nText.\n\n"
		"Further\n=======\n\nText [@b].\n\n"
		"# Read more {#more .further}\n\nText.\n",
		"t.md");
	CHECK(l.doc != NULL && l.d.n == 0);
	if (!l.doc)
		goto out;
	doc_node *p = l.doc->parts_first;
	CHECK(p && p->kind == PART_TIPS && !strcmp(p->id, "top-tips-how"));
	doc_node *s1 = nth(l.doc, DOC_SECTION, 0), *s2 = nth(l.doc, DOC_SECTION, 1);
	doc_node *s3 = nth(l.doc, DOC_SECTION, 2);
	CHECK(s1 && !strcmp(s1->id, "day-night") && s1->depth == 1);
	CHECK(s2 && !strcmp(s2->id, "sub") && s2->depth == 2 && s2->parent == s1);
	CHECK(s3 && !strcmp(s3->id, "day-night-1") && s3->parent == p);
	/* a setext heading is a part too; the references part is appended */
	doc_node *p2 = p ? p->next : NULL;
	CHECK(p2 && !strcmp(p2->id, "further") && p2->kind == PART_ARTICLE);
	doc_node *p3 = p2 ? p2->next : NULL;
	CHECK(p3 && p3->kind == PART_FURTHER && !strcmp(p3->id, "more"));
	doc_node *r = p3 ? p3->next : NULL;
	CHECK(r && r->kind == PART_REFERENCES && !strcmp(r->id, "references") &&
	      !r->next && r->last && r->last->type == DOC_BIBLIOGRAPHY);
	CHECK(r && r->first && r->first->first &&
	      !strcmp(r->first->first->text, "References"));
out:
	done(&l);
}

TEST(references_part_placement)
{
	loaded l;
	/* marked with {#refs}, not last: the bibliography goes there */
	md_from(&l, HEAD REFS "---\n\n# A\n\n[@a; @b]\n\n"
		"# Sources {#refs}\n\nIntro.\n\n# After {.further}\n\nText.\n", "t.md");
	CHECK(l.doc && l.doc->parts_first->next->kind == PART_REFERENCES);
	if (l.doc) {
		doc_node *r = l.doc->parts_first->next;
		CHECK(!strcmp(r->id, "refs") && r->last->type == DOC_BIBLIOGRAPHY &&
		      r->last->prev->type == DOC_PARA);
	}
	done(&l);
	/* pandoc's way: an empty last heading takes the bibliography */
	md_from(&l, HEAD REFS "reference-section-title: Unused\n---\n\n"
		"# A\n\n[@a; @b]\n\n# Works cited\n", "t.md");
	CHECK(l.doc && l.doc->parts_last->kind == PART_REFERENCES &&
	      !strcmp(l.doc->parts_last->id, "works-cited") &&
	      l.doc->parts_first->next == l.doc->parts_last);
	done(&l);
	/* appended, with pandoc's reference-section-title */
	md_from(&l, HEAD REFS "reference-section-title: Bibliography\n---\n\n"
		"# A\n\n[@a; @b]\n", "t.md");
	CHECK(l.doc && l.doc->parts_last->kind == PART_REFERENCES &&
	      !strcmp(l.doc->parts_last->id, "bibliography"));
	done(&l);
	/* no references, no references part; a marked one is an error */
	md_from(&l, HEAD "---\n\n# A\n\nText.\n", "t.md");
	CHECK(l.doc && !l.doc->parts_first->next);
	done(&l);
	md_from(&l, HEAD "---\n\n# A\n\nText.\n\n# R {#refs}\n", "t.md");
	CHECK(!l.doc && said(&l, 15, 1,
		"the references part has no references: list them under "
		"'references:' in the metadata, or name a CSL-JSON file with 'bibliography:'"));
	done(&l);
}

TEST(experiences)
{
	loaded l;
	md_from(&l, HEAD "---\n\n# A\n\n"
		"> **Tina\xe2\x80\x99s experience**\n>\n> One.\n>\n> Two.\n\n"
		"> **A dad's story**\n> Straight on.\n\n"
		"1. > **In a list**\n   >\n   > Yes.\n", "t.md");
	CHECK(l.doc != NULL && l.d.n == 0);
	if (l.doc) {
		doc_node *e1 = nth(l.doc, DOC_EXPERIENCE, 0);
		doc_node *e2 = nth(l.doc, DOC_EXPERIENCE, 1);
		doc_node *e3 = nth(l.doc, DOC_EXPERIENCE, 2);
		CHECK(e1 && !strcmp(e1->text, "Tina") && e1->first->type == DOC_HEADING &&
		      !strcmp(e1->first->first->text, "Tina\xe2\x80\x99s experience") &&
		      e1->first->next && e1->first->next->next == e1->last);
		CHECK(e2 && !strcmp(e2->text, "A dad") && e2->last->type == DOC_PARA &&
		      !strcmp(e2->last->first->text, "Straight on."));
		CHECK(e3 && !strcmp(e3->text, "In a list") &&
		      e3->parent->type == DOC_ITEM);
	}
	done(&l);
	md_from(&l, HEAD "---\n\n# A\n\n> Just a quote.\n", "t.md");
	CHECK(!l.doc && said(&l, 13, 1, "a block quote is an experience: its first line "
			     "is its title in bold alone (> **Tina\xe2\x80\x99s experience**)"));
	done(&l);
}

/* ---- CSL ----------------------------------------------------------------- */

TEST(csl_dates_names_nocite)
{
	loaded l;
	md_from(&l, HEAD "nocite: \"@d, @e\"\nreferences:\n"
		"- {id: a, type: book, author: [NCT], issued: 2019, title: A, publisher: P}\n"
		"- {id: b, type: webpage, author: [{literal: NHS}], issued: 2020-01-16,\n"
		"   title: B, URL: \"https://x.org/\", accessed: {date-parts: [[2020, 1, 6]]}}\n"
		"- {id: c, type: book, editor: [{family: Berg, given: A, non-dropping-particle: van den}],\n"
		"   issued: {date-parts: [[\"2017\", \"3\"]]}, title: C, publisher: P}\n"
		"- {id: d, type: report, author: [{family: D}], issued: [{year: 2015, month: 6}],\n"
		"   title: D, publisher: P, DOI: 10.1/x, note: ignored}\n"
		"- {id: e, type: report, author: [{family: E}], issued: {raw: 2014}, title: E, publisher: P}\n"
		"---\n\n# A\n\n[@a; @b; @c]\n", "t.md");
	CHECK(l.doc != NULL && l.d.n == 0);
	if (!l.doc)
		goto out;
	doc_ref *r = l.doc->refs;
	CHECK(l.doc->nrefs == 5);
	CHECK_STR(r[0].issued, "2019");
	CHECK_STR(r[0].authors[0].literal, "NCT");
	CHECK_STR(r[1].issued, "2020-01-16");
	CHECK_STR(r[1].accessed, "2020-01-06");
	CHECK_STR(r[1].authors[0].literal, "NHS");
	CHECK_STR(r[2].issued, "2017-03");
	CHECK(r[2].nauthors == 0 && r[2].neditors == 1);
	CHECK_STR(r[2].editors[0].family, "van den Berg");
	CHECK_STR(r[3].issued, "2015-06");
	CHECK_STR(r[4].issued, "2014");
	CHECK(!r[0].nocite && r[3].nocite && r[4].nocite);
	/* listed by nocite: no "never cited" warning */
	CHECK(check_document(l.doc, &l.d) == 0 && l.d.warnings == 0);
out:
	done(&l);
	md_from(&l, HEAD REFS "nocite: \"@a, @bb, @zzz\"\n---\n\n# A\n\n[@a]\n", "t.md");
	CHECK(!l.doc && said(&l, 12, 9,
		"nocite names an unknown reference 'bb'; did you mean 'b'?") &&
	      said(&l, 12, 9, "nocite names an unknown reference 'zzz'"));
	done(&l);
}

/* A file in a fresh directory of its own (name may climb out of it). */
static char scratch_dir[64];

static char *scratch(const char *name, const char *text)
{
	if (!scratch_dir[0]) {
		strcpy(scratch_dir, "/tmp/chapbook-md-XXXXXX");
		if (!mkdtemp(scratch_dir))
			return NULL;
	}
	char *path = malloc(strlen(scratch_dir) + strlen(name) + 2);
	sprintf(path, "%s/%s", scratch_dir, name);
	FILE *f = text ? fopen(path, "w") : NULL;
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return path;
}

TEST(csl_json_bibliography)
{
	/* Zotero's CSL-JSON, compact; a type chapbook cannot format is
	 * reported in the JSON file, at the value */
	char *json = scratch("refs.json",
		"[{\"id\":\"z\",\"type\":\"webpage\",\"title\":\"T\",\"DOI\":\"10.1/x\"},\n"
		" {\"id\": \"y\", \"type\": \"bok\", \"title\": \"T\"}]\n");
	char *md = scratch("b.md", HEAD "bibliography: refs.json\n---\n\n# A\n\n[@z]\n");
	loaded l = {0};
	l.doc = md_load(md, &l.a, &l.d);
	CHECK(l.doc == NULL && l.d.errors == 1);
	CHECK(said(&l, 2, 22, "reference 'y': type 'bok' is not one chapbook formats "
		   "(article-journal, book, chapter, report, webpage)"));
	CHECK(l.d.n == 1 && l.d.items[0].file && !strcmp(l.d.items[0].file, json));
	done(&l);
	/* a character outside the BMP as JSON's surrogate pair, \/, fields
	 * chapbook does not read, dates as date-parts with strings */
	free(json);
	json = scratch("refs.json",
		"[{\"id\":\"z\",\"type\":\"webpage\",\"title\":\"Sleep \\ud83d\\ude34 \\/ rest\","
		"\"author\":[{\"literal\":\"Trust\"}],\"issued\":{\"date-parts\":[[\"2020\",3]]},"
		"\"abstract\":\"x\",\"container-title-short\":\"y\",\"URL\":\"https://x.org/\","
		"\"accessed\":{\"date-parts\":[[2021,1,16]]}}]\n");
	memset(&l, 0, sizeof l);
	l.doc = md_load(md, &l.a, &l.d);
	CHECK(l.doc && l.doc->nrefs == 1 && l.d.n == 0);
	if (l.doc && l.doc->nrefs == 1) {
		CHECK_STR(l.doc->refs[0].title, "Sleep \xf0\x9f\x98\xb4 / rest");
		CHECK_STR(l.doc->refs[0].issued, "2020-03");
		CHECK_STR(l.doc->refs[0].accessed, "2021-01-16");
	}
	done(&l);
	/* a bibliography must stay inside the booklet's directory */
	char *outside = scratch("../chapbook-md-outside.json", "[]\n");
	char *link = scratch("link.json", NULL);
	CHECK(symlink(outside, link) == 0);
	static const char *const names[] = {"../chapbook-md-outside.json",
					    "/etc/passwd.json", "link.json"};
	static const char *const why[] = {
		"cannot read bibliography '../chapbook-md-outside.json': it is outside the booklet's directory",
		"bibliography '/etc/passwd.json' must be a path relative to the booklet's directory",
		"cannot read bibliography 'link.json': it is outside the booklet's directory",
	};
	for (size_t i = 0; i < 3; i++) {
		char text[256];
		snprintf(text, sizeof text, HEAD "bibliography: %s\n---\n\n# A\n\nT.\n",
			 names[i]);
		md_from(&l, text, md);
		CHECK(!l.doc && said(&l, 9, 15, why[i]));
		done(&l);
	}
	remove(link);
	remove(outside);
	remove(json);
	remove(md);
	remove(scratch_dir);
	free(json);
	free(md);
	free(outside);
	free(link);
}

/* ---- hostile input ------------------------------------------------------ */

TEST(limits)
{
	loaded l;
	/* block quotes nested past the limit */
	char deep[400];
	size_t n = (size_t)snprintf(deep, sizeof deep, HEAD "---\n\n# A\n\n");
	for (int i = 0; i < 80; i++)
		deep[n++] = '>';
	strcpy(deep + n, " x\n");
	md_from(&l, deep, "t.md");
	CHECK(!l.doc && l.d.errors == 1 &&
	      strstr(l.d.items[0].message, "nested deeper than the limit of 64 levels"));
	done(&l);
	/* YAML nested past its limit, and aliases (never expanded) */
	char yaml[300];
	n = (size_t)snprintf(yaml, sizeof yaml, "---\ntitle: ");
	for (int i = 0; i < 70; i++)
		yaml[n++] = '[';
	strcpy(yaml + n, "\n---\n");
	md_from(&l, yaml, "t.md");
	CHECK(!l.doc && said(&l, 2, 71, "YAML: nested deeper than the limit of 64 levels"));
	done(&l);
	md_from(&l, HEAD "x: &a [1]\ny: *a\n---\n\n# A\n\nT.\n", "t.md");
	CHECK(!l.doc && said(&l, 10, 4,
		"YAML: aliases (*name) are not supported; write the value out"));
	done(&l);
	/* larger than 64 MiB: refused before a byte is read */
	memset(&l, 0, sizeof l);
	l.doc = md_load_memory("", LOAD_MAX_BYTES + 1u, "big.md", &l.a, &l.d);
	CHECK(!l.doc && said(&l, 0, 0, "file is larger than the limit of 64 MiB"));
	done(&l);
	/* bytes that are not UTF-8, control characters */
	md_from(&l, HEAD "---\n\n# A\n\nCaf\xc3\xa9 \xff.\n", "t.md");
	CHECK(!l.doc && said(&l, 13, 6, "the file is not UTF-8 (byte 0xFF); save it as UTF-8"));
	done(&l);
	md_from(&l, HEAD "---\n\n# A\n\nBell \x07.\n", "t.md");
	CHECK(!l.doc && said(&l, 13, 6, "control character U+0007 is not allowed in a booklet"));
	done(&l);
}

TEST(reader_by_extension)
{
	CHECK(source_is_markdown("content/booklet.md"));
	CHECK(source_is_markdown("B.MD"));
	CHECK(source_is_markdown("notes.markdown"));
	CHECK(!source_is_markdown("content/booklet.xml"));
	CHECK(!source_is_markdown("content.md/booklet"));
	CHECK(!source_is_markdown("md"));
}

int main(void)
{
	RUN(reader_by_extension);
	RUN(same_tree_as_xml);
	RUN(citation_forms);
	RUN(not_citations);
	RUN(citation_positions);
	RUN(headings_ids_and_kinds);
	RUN(citation_forms_same_tree_as_xml);
	RUN(markdown_slips);
	RUN(references_part_placement);
	RUN(experiences);
	RUN(csl_dates_names_nocite);
	RUN(csl_json_bibliography);
	RUN(limits);
	CHECK_EXIT();
}
