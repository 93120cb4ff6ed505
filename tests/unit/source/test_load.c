/* test_load.c - the loader: element positions (one forward scan, exact in
 * characters on long lines and after comments, CDATA, processing
 * instructions and multi-line start tags), the shape checks' messages at
 * the offending element, the nesting limit, and registration of every
 * inline root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/check.h"
#include "source/load.h"

#include "unit.h"

static const char head[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<booklet><meta><title>T</title><standfirst>S</standfirst>"
	"<author><family>A</family></author><publisher>P</publisher>"
	"<language>en-GB</language><reviewed>2020-01</reviewed>"
	"<identifier>t</identifier></meta>\n"
	"<part kind=\"article\"><title>A</title>\n";
static const char tail[] = "</part></booklet>\n";

/* Load head + body + tail and check it; the diagnostics in *d. */
static doc *load(arena *a, diag_list *d, const char *body)
{
	buf b = {0};
	buf_puts(&b, head);
	buf_puts(&b, body);
	buf_puts(&b, tail);
	doc *doc = load_booklet_memory(b.data, b.len, "t.xml", a, d);
	if (doc)
		check_document(doc, d);
	buf_free(&b);
	return doc;
}

/* 1 if a diagnostic is at line:col and its message contains what. */
static int has(const diag_list *d, int line, int col, const char *what)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].line == line && d->items[i].col == col &&
		    strstr(d->items[i].message, what))
			return 1;
	for (size_t i = 0; i < d->n; i++)
		printf("  got %d:%d: %s\n", d->items[i].line, d->items[i].col,
		       d->items[i].message);
	return 0;
}

/* The column of an element far to the right of a long line, counted in
 * characters (é is two bytes, one column). */
TEST(column_on_a_long_line)
{
	arena a = {0};
	diag_list d = {0};
	buf b = {0};
	buf_puts(&b, "<p>");
	for (int i = 0; i < 5000; i++)
		buf_puts(&b, "<em>\xc3\xa9</em> ");
	buf_puts(&b, "<link href=\"javascript:x\">y</link></p>\n");
	int col = 1 + 3 + 5000 * 11;  /* <p>, then "<em>é</em> " 11 chars each */
	load(&a, &d, b.data);
	CHECK(d.errors == 1);
	CHECK(has(&d, 4, col, "malformed or disallowed link 'javascript:x'"));
	buf_free(&b);
	diag_free(&d);
	arena_free(&a);
}

/* '<' inside comments, CDATA and processing instructions opens nothing;
 * a start tag over several lines is where its '<' is; an attribute is
 * where its name is. */
TEST(positions_skip_markup_that_is_not_an_element)
{
	arena a = {0};
	diag_list d = {0};
	load(&a, &d, "<!-- <p> <em> --><?pi <p>?><p><![CDATA[<em>]]> "
		     "<link\n   href=\"file:///x\">y</link></p>\n");
	CHECK(has(&d, 4, 48, "malformed or disallowed link 'file:///x'"));
	diag_free(&d);
	memset(&d, 0, sizeof d);
	CHECK(!load(&a, &d, "<!-- <p> --><?pi <p>?><p class=\"x\">y</p>\n"));
	CHECK(has(&d, 4, 26, "unknown attribute 'class' on <p>"));  /* at class= */
	diag_free(&d);
	arena_free(&a);
}

/* Shape errors at the element at fault, saying what is allowed there
 * (the schema said "Element part has extra content: p" at the part's
 * first paragraph for each of these). */
TEST(shape_errors_at_the_element)
{
	arena a = {0};
	diag_list d = {0};
	CHECK(!load(&a, &d, "<p>x</p>\n<section><title>S</title><p>y</p></section>\n"
			    "  <p>after</p>\n"));
	CHECK(has(&d, 6, 3, "<p> is not allowed after <section> in <part> (allowed here: section)"));
	diag_free(&d);
	memset(&d, 0, sizeof d);
	CHECK(!load(&a, &d, "<section id=\"a b\"><title>S</title><p>y</p></section>\n"));
	CHECK(has(&d, 4, 1, "id 'a b' on <section> is not a valid id"));
	diag_free(&d);
	memset(&d, 0, sizeof d);
	CHECK(!load(&a, &d, "<p>x <cite ref=\"ok 9bad\"/></p>\n"));
	CHECK(has(&d, 4, 6, "citation key '9bad' is not a valid key"));
	diag_free(&d);
	memset(&d, 0, sizeof d);
	CHECK(!load(&a, &d, "<p>x <link href=\"https://a.org/\"><em>a<strong>b</strong></em></link></p>\n"));
	CHECK(has(&d, 4, 39, "<strong> is not allowed inside the <em> of a <link>: it holds plain text"));
	diag_free(&d);
	arena_free(&a);
}

/* Nesting deeper than the limit is refused before anything recurses. */
TEST(nesting_limit)
{
	arena a = {0};
	diag_list d = {0};
	buf b = {0};
	buf_puts(&b, "<p>");
	for (int i = 0; i < LOAD_MAX_DEPTH; i++)
		buf_puts(&b, "<em>");
	buf_puts(&b, "x");
	for (int i = 0; i < LOAD_MAX_DEPTH; i++)
		buf_puts(&b, "</em>");
	buf_puts(&b, "</p>\n");
	CHECK(!load(&a, &d, b.data));
	char want[64];
	snprintf(want, sizeof want, "elements nested deeper than %d levels",
		 LOAD_MAX_DEPTH);
	CHECK(d.errors == 1 && strstr(d.items[0].message, want));
	buf_free(&b);
	diag_free(&d);
	arena_free(&a);
}

/* The standfirst, titles and paragraphs are registered as inline roots,
 * in source order. */
TEST(inline_roots_registered)
{
	arena a = {0};
	diag_list d = {0};
	doc *doc = load(&a, &d, "<p>x</p><ul><li><p>y</p></li></ul>"
				"<experience name=\"E\"><title>E</title><p>z</p></experience>\n");
	CHECK(doc && doc->ninlines == 6);
	if (doc && doc->ninlines == 6) {
		CHECK(doc->inlines[0] == doc->meta.standfirst);
		CHECK(doc->inlines[1] == doc_heading(doc->parts_first));
		CHECK(doc->inlines[5]->type == DOC_PARA);
		CHECK_STR(doc->inlines[5]->first->text, "z");
	}
	diag_free(&d);
	arena_free(&a);
}

int main(void)
{
	RUN(column_on_a_long_line);
	RUN(positions_skip_markup_that_is_not_an_element);
	RUN(shape_errors_at_the_element);
	RUN(nesting_limit);
	RUN(inline_roots_registered);
	CHECK_EXIT();
}
