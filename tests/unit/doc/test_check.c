/* test_check.c - the checker's rules (edit distance, URL policy, dates),
 * key lookup through a loaded booklet, and UTF-8 text surviving the loader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/check.h"
#include "source/load.h"

#include "unit.h"  /* the test harness */

TEST(edit_distance)
{
	CHECK(check_edit_distance("ayers2016", "ayers2016", 2) == 0);
	CHECK(check_edit_distance("ayers2061", "ayers2016", 2) == 2);
	CHECK(check_edit_distance("ayer2016", "ayers2016", 2) == 1);
	CHECK(check_edit_distance("smith1999", "ayers2016", 2) == 3);
	CHECK(check_edit_distance("", "abc", 2) == 3);
}

TEST(url_policy)
{
	CHECK(check_url_ok("https://www.nct.org.uk/"));
	CHECK(check_url_ok("http://example.org:8080/a?b#c"));
	CHECK(check_url_ok("mailto:info@nct.org.uk"));
	CHECK(check_url_ok("tel:+443003300700"));
	CHECK(!check_url_ok("javascript:alert(1)"));
	CHECK(!check_url_ok("file:///etc/passwd"));
	CHECK(!check_url_ok("htp://ncbi"));
	CHECK(!check_url_ok("https://no spaces.org/"));
	CHECK(!check_url_ok("https://user@evil.org/"));
	CHECK(!check_url_ok("mailto:nobody"));
	CHECK(!check_url_ok("tel:call-us"));
	CHECK(!check_url_ok(NULL));
}

TEST(dates)
{
	CHECK(check_date_ok("2020"));
	CHECK(check_date_ok("2020-01"));
	CHECK(check_date_ok("2020-01-16"));
	CHECK(check_date_ok("2020-02-29"));
	CHECK(!check_date_ok("2019-02-29"));
	CHECK(!check_date_ok("2020-13"));
	CHECK(!check_date_ok("2020-02-30"));
	CHECK(!check_date_ok("16"));
	CHECK(!check_date_ok("January 2020"));
}

/* RFC 5646 syntax; "English" (a 7-letter primary subtag that no
 * language has) was accepted and written as xml:lang="English". */
TEST(language_tags)
{
	const char *good[] = { "en", "en-GB", "cy", "pt-BR", "zh-Hant-TW",
			       "sr-Latn-RS", "es-419", "de-CH-1901", "sl-rozaj-biske",
			       "en-US-u-ca-gregory", "x-private", "en-x-nct",
			       "zh-yue-HK", "i-klingon", "EN-gb", "ast" };
	const char *bad[] = { "English", "english please", "", "e", "en-",
			      "-en", "en--GB", "en_GB", "en-GB-", "toolongtag",
			      "en-a", "en-a-bbb-a-ccc", "en-x", "en-GB-oedx",
			      "eng1", "1en", "en-\xc3\xa9" };
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		if (!check_language_tag_ok(good[i])) {
			printf("  refused good tag '%s'\n", good[i]);
			CHECK(0);
		}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (check_language_tag_ok(bad[i])) {
			printf("  accepted bad tag '%s'\n", bad[i]);
			CHECK(0);
		}
	CHECK(!check_language_tag_ok(NULL));
}

static const char booklet[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<booklet><meta><title>Caf\xc3\xa9 \xe2\x80\x93 test</title>"
	"<standfirst>S</standfirst><author><family>A</family></author>"
	"<publisher>P</publisher><language>en-GB</language>"
	"<reviewed>2020-01</reviewed><identifier>t</identifier></meta>\n"
	"<part kind=\"article\"><title>A</title>"
	"<p>It\xe2\x80\x99s <cite ref=\"zed2001 ab2000\"/>.</p>"
	"<p>Again <cite ref=\"ab2000\"/>.</p></part>\n"
	"<part kind=\"references\"><title>R</title>"
	"<reference id=\"zed2001\" type=\"book\"><author><family>Zed</family></author>"
	"<issued>2001</issued><title>Z</title><publisher>P</publisher></reference>"
	"<reference id=\"ab2000\" type=\"book\"><author><family>Ab</family></author>"
	"<issued>2000</issued><title>A</title><publisher>P</publisher></reference>"
	"</part></booklet>\n";

TEST(key_lookup_and_anchors)
{
	arena a = {0};
	diag_list d = {0};
	doc *doc = load_booklet_memory(booklet, sizeof booklet - 1, "t.xml", &a, &d);
	CHECK(doc != NULL);
	if (doc) {
		CHECK(check_document(doc, &d) == 0);
		CHECK(d.warnings == 0);
		CHECK(doc_find_ref(doc, "ab2000") == &doc->refs[1]);
		CHECK(doc_find_ref(doc, "zed2001") == &doc->refs[0]);
		CHECK(doc_find_ref(doc, "nope") == NULL);
		CHECK(doc->ncites == 2);
		/* the first citation of ab2000 is the group in paragraph 1 */
		CHECK_STR(doc->refs[1].first_cite, "cite-1");
		CHECK_STR(doc->refs[1].anchor, "ref-ab2000");
		/* bibliography order: Ab before Zed */
		CHECK(doc->refs_sorted[0] == &doc->refs[1]);
		/* UTF-8 survives: é, – and ’ */
		CHECK_STR(doc->meta.title, "Caf\xc3\xa9 \xe2\x80\x93 test");
		doc_node *p = doc->parts_first->first->next;
		CHECK(p && p->type == DOC_PARA);
		CHECK(p && p->first && p->first->type == DOC_TEXT);
		if (p && p->first)
			CHECK_STR(p->first->text, "It\xe2\x80\x99s ");
		CHECK(p && p->first && p->first->next &&
		      p->first->next->type == DOC_CITE &&
		      p->first->next->nkeys == 2);
	}
	diag_free(&d);
	arena_free(&a);
}

TEST(unknown_key_suggests)
{
	arena a = {0};
	diag_list d = {0};
	char src[sizeof booklet];
	memcpy(src, booklet, sizeof booklet);
	char *k = strstr(src, "ref=\"ab2000\"/>.</p></part>");
	CHECK(k != NULL);
	if (k)
		memcpy(k + 5, "ba2000", 6);
	doc *doc = load_booklet_memory(src, sizeof src - 1, "t.xml", &a, &d);
	CHECK(doc != NULL);
	if (doc)
		CHECK(check_document(doc, &d) == 1);
	int found = 0;
	for (size_t i = 0; i < d.n; i++)
		if (strstr(d.items[i].message,
			   "unknown citation key 'ba2000'; did you mean 'ab2000'?") &&
		    d.items[i].line == 3)
			found = 1;
	if (!found)
		for (size_t i = 0; i < d.n; i++)
			printf("  got %d: %s\n", d.items[i].line, d.items[i].message);
	CHECK(found);
	diag_free(&d);
	arena_free(&a);
}

/* The checker's marks: only a link it accepted gives an href through the
 * inline walker; the standfirst is checked like any paragraph; citation
 * anchors and generated ids give way to the author's ids. */
static const char marked[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<booklet><meta><title>T</title>"
	"<standfirst>S <link href=\"https://nct.org.uk/\">n</link> <cite ref=\"ab2000\"/></standfirst>"
	"<author><family>A</family></author>"
	"<publisher>P</publisher><language>en-GB</language>"
	"<reviewed>2020-01</reviewed><identifier>t</identifier></meta>\n"
	"<part kind=\"article\"><title>A</title>"
	"<p>Text <cite ref=\"ab2000 ab2000 ab2000\"/>.</p>"
	"<section id=\"cite-1\"><title>S</title><p>x</p>"
	"<section><title>T</title><p>y</p></section></section>"
	"<section id=\"section-1\"><title>U</title><p>z</p></section>"
	"<section id=\"ref-ab2000\"><title>V</title><p>w</p></section></part>\n"
	"<part kind=\"references\"><title>R</title>"
	"<reference id=\"ab2000\" type=\"book\"><author><family>Ab</family></author>"
	"<issued>2000</issued><title>A</title><publisher>P</publisher></reference>"
	"</part></booklet>\n";

TEST(checked_marks_and_ids)
{
	arena a = {0};
	diag_list d = {0};
	doc *doc = load_booklet_memory(marked, sizeof marked - 1, "t.xml", &a, &d);
	CHECK(doc != NULL);
	if (!doc)
		return;
	doc_node *sf = doc->meta.standfirst;
	doc_node *link = sf->first->next;
	CHECK(link && link->type == DOC_LINK);
	CHECK(doc_link_href(link) == NULL);          /* not yet checked */
	CHECK(check_document(doc, &d) == 0);
	CHECK_STR(doc_link_href(link), "https://nct.org.uk/");
	/* the standfirst's citation is resolved and numbered first */
	doc_node *cite = link->next->next;
	CHECK(cite && cite->type == DOC_CITE && cite->refs[0] == &doc->refs[0]);
	CHECK_STR(cite->anchor, "cite-1-2");         /* cite-1 is the author's */
	CHECK_STR(doc->refs[0].first_cite, "cite-1-2");
	CHECK_STR(doc->refs[0].anchor, "ref-ab2000-2");
	/* the section without an id: section-1 is taken */
	doc_node *s1 = doc_heading(doc->parts_first)->next->next;
	CHECK(s1 && s1->type == DOC_SECTION);
	doc_node *inner = s1 ? s1->last : NULL;
	CHECK(inner && inner->type == DOC_SECTION);
	if (inner)
		CHECK_STR(inner->id, "section-1-2");
	CHECK_STR(doc->parts_first->id, "article");
	CHECK(idset_has(&doc->ids, "cite-1") && idset_has(&doc->ids, "cite-1-2") &&
	      idset_has(&doc->ids, "section-1-2") && idset_has(&doc->ids, "references"));
	/* a key given three times in one citation: one warning */
	size_t twice = 0;
	for (size_t i = 0; i < d.n; i++)
		twice += strstr(d.items[i].message, "'ab2000' is cited twice") != NULL;
	CHECK(twice == 1);
	diag_free(&d);
	arena_free(&a);
}

int main(void)
{
	RUN(edit_distance);
	RUN(url_policy);
	RUN(dates);
	RUN(language_tags);
	RUN(checked_marks_and_ids);
	RUN(key_lookup_and_anchors);
	RUN(unknown_key_suggests);
	CHECK_EXIT();
}
