/* test_doc.c - the document tree's shared pieces: the one inline walker
 * (a link gives an href only once the checker accepted it), the registry
 * of inline roots (every piece of inline content, wherever it sits, is
 * under a registered root, so the checker sees it), and the id registry
 * (generated ids give way to the author's; layered sets; frozen sets). */
#include <stdio.h>
#include <string.h>

#include "doc/check.h"
#include "doc/doc.h"
#include "doc/idset.h"
#include "source/load.h"

#include "unit.h"

/* Every field that may hold inline content, each with a link. */
static const char booklet[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<booklet><meta><title>T</title>"
	"<standfirst>S <link href=\"https://a.org/\">sf</link></standfirst>"
	"<author><family>A</family></author>"
	"<publisher>P</publisher><language>en-GB</language>"
	"<reviewed>2020-01</reviewed><identifier>t</identifier></meta>\n"
	"<part kind=\"article\"><title>A <link href=\"https://a.org/\">pt</link></title>"
	"<p>Text <em>e <strong>s <link href=\"https://a.org/\">p</link></strong></em>"
	" <cite ref=\"ab2000\"><link href=\"https://a.org/\">c</link></cite>.</p>"
	"<ol><li><p><link href=\"https://a.org/\">li</link></p>"
	"<ul><li><p><link href=\"https://a.org/\">nested</link></p></li></ul></li></ol>"
	"<experience name=\"E\"><title><link href=\"https://a.org/\">xt</link></title>"
	"<p><link href=\"https://a.org/\">xp</link></p></experience>"
	"<section><title><link href=\"https://a.org/\">st</link></title>"
	"<p><link href=\"https://a.org/\">sp</link></p></section></part>\n"
	"<part kind=\"references\"><title>R</title>"
	"<p><link href=\"https://a.org/\">rp</link></p>"
	"<reference id=\"ab2000\" type=\"book\"><author><family>Ab</family></author>"
	"<issued>2000</issued><title>A</title><publisher>P</publisher></reference>"
	"</part></booklet>\n";

/* 1 if n sits under a registered inline root. */
static int registered(const doc *d, const doc_node *n)
{
	while (n && n->type != DOC_PARA && n->type != DOC_HEADING)
		n = n->parent;
	for (size_t i = 0; n && i < d->ninlines; i++)
		if (d->inlines[i] == n)
			return 1;
	return 0;
}

/* Counts the inline nodes in root, and those not under a registered root. */
static void count_inline(const doc *d, doc_node *root, size_t *all, size_t *lost)
{
	int entering = 1;
	for (doc_node *n = doc_walk(root, NULL, &entering); n;
	     n = doc_walk(root, n, &entering)) {
		if (!entering || (n->type != DOC_TEXT && n->type != DOC_LINK &&
				  n->type != DOC_CITE && n->type != DOC_EMPH &&
				  n->type != DOC_STRONG))
			continue;
		(*all)++;
		*lost += !registered(d, n);
	}
}

TEST(every_inline_node_is_registered)
{
	arena a = {0};
	diag_list dg = {0};
	doc *d = load_booklet_memory(booklet, sizeof booklet - 1, "t.xml", &a, &dg);
	CHECK(d != NULL);
	if (!d)
		return;
	/* found from the tree, whatever reader built it */
	doc_collect_inlines(d);
	size_t all = 0, lost = 0;
	count_inline(d, d->meta.standfirst, &all, &lost);
	for (doc_node *p = d->parts_first; p; p = p->next)
		count_inline(d, p, &all, &lost);
	CHECK(all > 20);
	CHECK(lost == 0);
	/* and the checker marks every link in them, wherever it sits */
	CHECK(check_document(d, &dg) == 0);
	size_t links = 0, marked = 0;
	for (size_t i = 0; i < d->ninlines; i++) {
		int entering = 1;
		for (doc_node *n = doc_walk(d->inlines[i], NULL, &entering); n;
		     n = doc_walk(d->inlines[i], n, &entering))
			if (entering && n->type == DOC_LINK) {
				links++;
				marked += n->checked;
			}
	}
	CHECK(links == 11 && marked == 11);
	diag_free(&dg);
	arena_free(&a);
}

/* The events of the walk over root, as text: "[" "]" for em, "{" "}" for
 * strong, "<href|" ">" for links, "@" for a citation. */
static const char *events(arena *a, const doc_node *root)
{
	buf b = {0};
	doc_inline it;
	doc_inline_start(&it, root);
	while (doc_inline_next(&it)) {
		switch (it.event) {
		case DOC_IN_TEXT: buf_puts(&b, it.text); break;
		case DOC_IN_EMPH: buf_puts(&b, "["); break;
		case DOC_IN_EMPH_END: buf_puts(&b, "]"); break;
		case DOC_IN_STRONG: buf_puts(&b, "{"); break;
		case DOC_IN_STRONG_END: buf_puts(&b, "}"); break;
		case DOC_IN_LINK: buf_printf(&b, "<%s|", it.href); break;
		case DOC_IN_LINK_END: buf_puts(&b, ">"); break;
		case DOC_IN_CITE: buf_puts(&b, "@"); break;
		}
	}
	const char *s = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

TEST(inline_walker_links_only_when_checked)
{
	arena a = {0};
	doc_pos pos = {"t.xml", 1, 1};
	doc_node *p = doc_node_new(&a, DOC_PARA, pos);
	doc_node *t = doc_node_new(&a, DOC_TEXT, pos);
	t->text = "Go ";
	doc_append(p, t);
	doc_node *em = doc_node_new(&a, DOC_EMPH, pos);
	doc_append(p, em);
	doc_node *link = doc_node_new(&a, DOC_LINK, pos);
	link->text = "javascript:alert(1)";
	doc_append(em, link);
	doc_node *lt = doc_node_new(&a, DOC_TEXT, pos);
	lt->text = "here";
	doc_append(link, lt);
	doc_node *c = doc_node_new(&a, DOC_CITE, pos);
	doc_append(p, c);
	doc_node *cl = doc_node_new(&a, DOC_LINK, pos);  /* a cite's own child */
	cl->text = "https://a.org/";
	doc_append(c, cl);
	doc_node *empty = doc_node_new(&a, DOC_STRONG, pos);
	doc_append(p, empty);

	CHECK_STR(events(&a, p), "Go [here]@{}");
	CHECK(doc_link_href(link) == NULL);
	link->text = "https://nct.org.uk/";
	link->checked = 1;          /* as check_document marks it */
	CHECK_STR(events(&a, p), "Go [<https://nct.org.uk/|here>]@{}");
	CHECK_STR(doc_link_href(link), "https://nct.org.uk/");
	/* an empty root, and the walk ends for good */
	doc_node *e = doc_node_new(&a, DOC_PARA, pos);
	CHECK_STR(events(&a, e), "");
	doc_inline it;
	doc_inline_start(&it, e);
	CHECK(!doc_inline_next(&it) && !doc_inline_next(&it));
	arena_free(&a);
}

TEST(idset_generated_ids_give_way)
{
	arena a = {0};
	idset doc_ids, page;
	idset_init(&doc_ids, NULL, &a);
	CHECK(idset_reserve(&doc_ids, "cite-1") == 1);
	CHECK(idset_reserve(&doc_ids, "cite-1") == 0);
	CHECK(idset_reserve(&doc_ids, "toc") == 1);
	CHECK_STR(idset_new(&doc_ids, "cite-1"), "cite-1-2");
	CHECK_STR(idset_new(&doc_ids, "cite-2"), "cite-2");
	CHECK_STR(idset_new(&doc_ids, "cite-1"), "cite-1-3");
	idset_freeze(&doc_ids);
	CHECK(idset_has(&doc_ids, "cite-1-2") && !idset_has(&doc_ids, "cite-3"));
	CHECK(idset_reserve(&doc_ids, "late") == -1);   /* frozen */

	/* a renderer's layer: sees the document's, adds its own */
	idset_init(&page, &doc_ids, &a);
	CHECK_STR(idset_new(&page, "toc"), "toc-2");
	CHECK_STR(idset_new(&page, "bibliography"), "bibliography");
	CHECK_STR(idset_new(&page, "bibliography"), "bibliography-2");
	CHECK(idset_has(&page, "cite-1") && idset_has(&page, "toc-2"));
	CHECK(!idset_has(&doc_ids, "toc-2"));
	/* many ids from one base stay linear: each resumes the count */
	for (int i = 0; i < 20000; i++)
		idset_new(&page, "section");
	CHECK_STR(idset_new(&page, "section"), "section-20001");
	idset_free(&page);
	arena_free(&a);
}

int main(void)
{
	RUN(every_inline_node_is_registered);
	RUN(inline_walker_links_only_when_checked);
	RUN(idset_generated_ids_give_way);
	CHECK_EXIT();
}
