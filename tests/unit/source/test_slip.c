/* test_slip.c - the slips of hand-written XML said in plain words (slip.c,
 * htmlent.c and the "did you mean" of shape.c): each slip one error, at
 * the slip's own line and column (in characters), with its hint; nothing
 * of libxml2's cascade after a structural error; every one of many
 * independent slips reported, in one pass. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/check.h"
#include "source/htmlent.h"
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

/* Load head + body + tail (the body starts on line 4); the diagnostics in
 * *d. */
static void load(arena *a, diag_list *d, const char *body)
{
	buf b = {0};
	buf_puts(&b, head);
	buf_puts(&b, body);
	buf_puts(&b, tail);
	doc *doc = load_booklet_memory(b.data, b.len, "t.xml", a, d);
	if (doc)
		check_document(doc, d);
	buf_free(&b);
}

/* 1 if d holds exactly one error, at line:col, with this message and
 * hint (NULL: none). */
static int one(const diag_list *d, int line, int col, const char *msg,
	       const char *hint)
{
	if (d->errors == 1 && d->n == 1 && d->items[0].line == line &&
	    d->items[0].col == col && !strcmp(d->items[0].message, msg) &&
	    (hint ? d->items[0].hint && !strcmp(d->items[0].hint, hint)
		  : !d->items[0].hint))
		return 1;
	for (size_t i = 0; i < d->n; i++)
		printf("  got %d:%d: %s [hint: %s]\n", d->items[i].line,
		       d->items[i].col, d->items[i].message,
		       d->items[i].hint ? d->items[i].hint : "-");
	return 0;
}

/* Load body and check it gives exactly the one error described. */
static int slip(const char *body, int line, int col, const char *msg,
		const char *hint)
{
	arena a = {0};
	diag_list d = {0};
	load(&a, &d, body);
	int ok = one(&d, line, col, msg, hint);
	diag_free(&d);
	arena_free(&a);
	return ok;
}

/* Several elements left open: the innermost is named, and the hint closes
 * them all, innermost first. */
TEST(several_unclosed_elements)
{
	CHECK(slip("<p>a <em>b <strong>c</p>\n", 4, 21,
		   "<strong> opened at 4:12 is not closed before </p>",
		   "write </strong></em> before </p>"));
}

/* Columns are characters: the caret lands on the '&' after curly quotes,
 * accents and a dash (three bytes each, one column). */
TEST(columns_in_characters)
{
	CHECK(slip("<p>“Quoté” — ñ & more</p>\n", 4, 16, "bare '&' in text",
		   "write &amp; for a literal ampersand"));
	CHECK(slip("<p>“Quoté” <link href=\"https://a.org/é?a=1&b=2\">x</link></p>\n",
		   4, 43, "bare '&' in the value of 'href'",
		   "write &amp; for a literal ampersand, in a link too (?a=1&amp;b=2)"));
}

/* An HTML entity in an attribute value is found at its '&'; a name near
 * an HTML one gets "did you mean"; HTML names are case-sensitive. */
TEST(html_entities)
{
	CHECK(slip("<p><link href=\"https://a.org/x&nbsp;y\">x</link></p>\n", 4, 31,
		   "&nbsp; is not an XML entity",
		   "write the character itself (U+00A0) or &#160;"));
	CHECK(slip("<p>Caf&Eacute;</p>\n", 4, 7, "&Eacute; is not an XML entity",
		   "write the character itself (É, U+00C9) or &#201;"));
	CHECK(slip("<p>x &ndahs; y</p>\n", 4, 6, "&ndahs; is not an XML entity",
		   "did you mean &ndash;? write the character itself (–, U+2013) or &#8211;"));
	CHECK(htmlent_lookup("copy", 4) == 0xA9);
	CHECK(htmlent_lookup("hellip", 6) == 0x2026);
	CHECK(htmlent_lookup("eacute", 6) == 0xE9 && htmlent_lookup("Eacute", 6) == 0xC9);
	CHECK(htmlent_lookup("amp", 3) == 0 && htmlent_lookup("nbspx", 5) == 0);
	CHECK(htmlent_lookup("nbsp;", 4) == 0xA0);   /* the length decides */
}

/* One error for one slip: nothing of what libxml2 reports after an
 * unclosed element or a broken attribute, even a real slip later on. */
TEST(no_cascade)
{
	CHECK(slip("<p>a <em>b</p>\n<p>c & d</p>\n", 4, 11,
		   "<em> opened at 4:6 is not closed before </p>",
		   "write </em> before </p>"));
	CHECK(slip("<p>a <cite ref=“k”/> & b</p>\n", 4, 16,
		   "the value of 'ref' is in curly quotes (“...”)",
		   "write ref=\"k\" with straight quotes"));
	CHECK(slip("<p>a <cite ref=‘k/></p>\n", 4, 16,
		   "the value of 'ref' is in curly quotes (‘)",
		   "write ref=\"...\" with straight quotes"));
}

/* Slips that leave the structure whole are each reported: many bare
 * ampersands on one long line, every one at its own column, each with
 * its hint (one forward scan: no slower per slip as the line grows). */
TEST(every_independent_slip)
{
	enum { N = 3000 };
	buf b = {0};
	buf_puts(&b, "<p>");
	for (int i = 0; i < N; i++)
		buf_puts(&b, "é & ");
	buf_puts(&b, "</p>\n");
	arena a = {0};
	diag_list d = {0};
	load(&a, &d, b.data);
	CHECK(d.errors == N && d.n == N);
	int ok = 1;
	for (size_t i = 0; i < d.n && ok; i++)
		ok = d.items[i].line == 4 && d.items[i].col == 4 + 4 * (int)i + 2 &&
		     d.items[i].hint && !strcmp(d.items[i].message, "bare '&' in text");
	CHECK(ok);
	buf_free(&b);
	diag_free(&d);
	arena_free(&a);
}

/* A '<' meant as text, followed by a word, reads as a start tag of an
 * element the booklet does not have: said as a bare '<'. */
TEST(less_than_before_a_word)
{
	CHECK(slip("<p>if a<b c then</p>\n", 4, 8, "bare '<' in text",
		   "write &lt; for a literal less-than sign"));
	CHECK(slip("<p>a <cite ref \"k\"/></p>\n", 4, 12,
		   "attribute 'ref' of <cite> has no value", "write ref=\"...\""));
}

/* Mismatched end tags: a typo of the open element's name, or the right
 * name on a mistyped start tag. */
TEST(mismatched_end_tags)
{
	CHECK(slip("<p>a <strong>b</strnog></p>\n", 4, 15,
		   "</strnog> does not match <strong> opened at 4:6",
		   "write </strong>"));
	CHECK(slip("<p>a <emph>b</em></p>\n", 4, 13,
		   "</em> does not match <emph> opened at 4:6",
		   "<emph> is not a booklet element: did you mean <em>?"));
}

/* Unknown elements and attributes: "did you mean" among what is allowed
 * there (ignoring case, and knowing HTML's words); an attribute mistyped
 * is one error, at the attribute, not a second for the one missing. */
TEST(did_you_mean)
{
	CHECK(slip("<p>a <i>b</i></p>\n", 4, 6,
		   "unknown element <i> in <p> (allowed here: em strong link cite)",
		   "did you mean <em>?"));
	CHECK(slip("<p>a <Strong>b</Strong></p>\n", 4, 6,
		   "unknown element <Strong> in <p> (allowed here: em strong link cite)",
		   "did you mean <strong>?"));
	CHECK(slip("<p>a <span>b</span></p>\n", 4, 6,
		   "unknown element <span> in <p> (allowed here: em strong link cite)",
		   NULL));
	CHECK(slip("<p>a <link\n    url=\"https://a.org/\">b</link></p>\n", 5, 5,
		   "unknown attribute 'url' on <link>", "did you mean 'href'?"));
	CHECK(slip("<p>a <cite refs=\"k\"/></p>\n", 4, 12,
		   "unknown attribute 'refs' on <cite>", "did you mean 'ref'?"));
}

/* A start tag without its '>', and comments: one left open until the
 * next begins, '--' inside one. */
TEST(tags_and_comments)
{
	CHECK(slip("<p>a <em<strong>b</strong></em></p>\n", 4, 9,
		   "the start tag <em> is not closed before the next '<'",
		   "end it with '>' (or '/>' when it holds nothing)"));
	CHECK(slip("<p>a <em&x>b</em></p>\n", 4, 9,
		   "unexpected '&' in the start tag <em>", NULL));
	CHECK(slip("<p>a <em x>b</em></p>\n", 4, 10,
		   "attribute 'x' of <em> has no value", "write x=\"...\""));
	CHECK(slip("<!-- note\n<p>a</p>\n<!-- two -->\n", 4, 1,
		   "the comment is not closed before the next one, at 6:1",
		   "end it with -->"));
	CHECK(slip("<!-- a -- b -->\n", 4, 8, "'--' inside a comment",
		   "a comment cannot hold '--': write a dash (–), or end the comment with -->"));
}

/* A file cut short: inside a start tag, or with elements still open. */
TEST(cut_short)
{
	arena a = {0};
	diag_list d = {0};
	const char *src = "<booklet><meta><title>T</title></meta>\n  <part kind=\"article\"><title>A\n";
	load_booklet_memory(src, strlen(src), "t.xml", &a, &d);
	CHECK(one(&d, 2, 32, "<title> opened at 2:24 is not closed before the end of the file",
		  "end the file with </title></part></booklet>, unless it is cut short"));
	diag_free(&d);
	memset(&d, 0, sizeof d);
	src = "<booklet><meta><title>T</title></meta>\n  <part kind=\"art";
	load_booklet_memory(src, strlen(src), "t.xml", &a, &d);
	CHECK(one(&d, 2, 3, "the file ends inside the start tag <part>",
		  "is the file cut short?"));
	diag_free(&d);
	arena_free(&a);
}

int main(void)
{
	RUN(several_unclosed_elements);
	RUN(columns_in_characters);
	RUN(html_entities);
	RUN(no_cascade);
	RUN(every_independent_slip);
	RUN(less_than_before_a_word);
	RUN(mismatched_end_tags);
	RUN(did_you_mean);
	RUN(tags_and_comments);
	RUN(cut_short);
	CHECK_EXIT();
}
