/* test_style.c - the style parser (typeset/style.c): every length, size
 * and ratio is bounded, and every error names the style file and the line
 * of the key at fault. Each case is the repository's a5.style with one
 * line changed (or one added), parsed from memory. Run from the repo root
 * (or with TOP set). */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "typeset/style.h"

static char *base_text;   /* styles/a5.style */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (s = malloc((size_t)n + 1)) &&
	    fread(s, 1, (size_t)n, f) == (size_t)n)
		s[n] = 0;
	else {
		free(s);
		s = NULL;
	}
	fclose(f);
	return s;
}

/* The line number (from 1) of the line starting with "key =" in text. */
static int line_of(const char *text, const char *key)
{
	size_t kl = strlen(key);
	int line = 1;
	for (const char *p = text; *p; p++) {
		if ((p == text || p[-1] == '\n') && !strncmp(p, key, kl) &&
		    (p[kl] == ' ' || p[kl] == '='))
			return line;
		if (*p == '\n')
			line++;
	}
	return 0;
}

/* a5.style with the line of key set to "key = value" (or, if the style
 * has no such key, the line added at the end). Malloc'd. */
static char *with(const char *key, const char *value)
{
	size_t kl = strlen(key), n = strlen(base_text);
	char *out = malloc(n + kl + strlen(value) + 8);
	const char *p = base_text, *line = NULL;
	for (; *p; p++)
		if ((p == base_text || p[-1] == '\n') && !strncmp(p, key, kl) &&
		    (p[kl] == ' ' || p[kl] == '=')) {
			line = p;
			break;
		}
	if (!line) {
		sprintf(out, "%s%s = %s\n", base_text, key, value);
		return out;
	}
	const char *end = strchr(line, '\n');
	end = end ? end : line + strlen(line);
	sprintf(out, "%.*s%s = %s%s", (int)(line - base_text), base_text, key,
		value, end);
	return out;
}

/* Parse text; returns the one error's line and copies its message, or
 * -1 if the style loaded, -2 if there was not exactly one error. */
static int parse_error(const char *text, char *msg, size_t msglen)
{
	arena a = {0};
	diag_list dl = {0};
	style *st = style_parse(text, strlen(text), "t.style", "fonts", &a, &dl);
	int rc = st ? -1 : dl.errors != 1 ? -2 : dl.items[0].line;
	if (msg && dl.n)
		snprintf(msg, msglen, "%s", dl.items[0].message);
	else if (msg)
		msg[0] = 0;
	if (rc == -2)
		for (size_t i = 0; i < dl.n; i++)
			printf("  %s:%d: %s\n", dl.items[i].file,
			       dl.items[i].line, dl.items[i].message);
	CHECK(!st || !dl.n || !strcmp(dl.items[0].file, "t.style"));
	diag_free(&dl);
	arena_free(&a);
	return rc;
}

/* key = value is an error at key's line whose message contains want. */
static int rejects(const char *key, const char *value, const char *want)
{
	char *t = with(key, value), msg[256];
	int line = parse_error(t, msg, sizeof msg);
	int ok = line > 0 && line == line_of(t, key) && strstr(msg, key) &&
		 strstr(msg, want);
	if (!ok)
		printf("  %s = %s: line %d (want %d), \"%s\"\n", key, value,
		       line, line_of(t, key), msg);
	free(t);
	return ok;
}

static int accepts(const char *key, const char *value)
{
	char *t = with(key, value);
	int ok = parse_error(t, NULL, 0) == -1;
	if (!ok)
		printf("  %s = %s: rejected\n", key, value);
	free(t);
	return ok;
}

TEST(repository_style_loads)
{
	CHECK(parse_error(base_text, NULL, 0) == -1);
}

/* page-width = 1e300pt used to loop for ever, growing memory; 100000mm
 * ended in "libharu error 0x1054" while writing the PDF. */
TEST(huge_lengths_are_errors_at_their_line)
{
	CHECK(rejects("page-width", "1e300pt", "out of range"));
	CHECK(rejects("page-width", "100000mm", "from 1in to 5000mm"));
	CHECK(rejects("page-height", "1e999pt", "out of range"));
	CHECK(rejects("cover-top", "1e300pt", "out of range"));
	CHECK(rejects("body-size", "501pt", "from 1pt to 500pt"));
	CHECK(rejects("body-leading", "2000pt", "out of range"));
	CHECK(rejects("print-creep", "6mm", "from 0 to 5mm"));
	CHECK(accepts("page-width", "5000mm"));
	CHECK(accepts("page-height", "5000mm"));
	CHECK(rejects("page-height", "0.9in", "from 1in"));
}

/* inf and nan are not lengths or numbers (strtod takes them). */
TEST(inf_and_nan_are_not_numbers)
{
	CHECK(rejects("page-width", "infpt", "not a length"));
	CHECK(rejects("page-width", "+infpt", "not a length"));
	CHECK(rejects("body-size", "nanpt", "not a length"));
	CHECK(rejects("body-size", "-nanpt", "not a length"));
	CHECK(rejects("page-width", "0x10pt", "not a length"));
	CHECK(rejects("tolerance", "inf", "not a number"));
	CHECK(rejects("space-shrink", "nan", "not a number"));
	CHECK(rejects("hyphen-penalty", "inf", "not a whole number"));
	CHECK(rejects("tolerance", "1e999", "out of range"));
}

/* Zero and negative sizes were "expected a length" (misleading: they are
 * lengths) or a message at line 1 about body-size and body-leading. */
TEST(zero_and_negative_sizes_say_so_at_their_line)
{
	CHECK(rejects("body-size", "0pt", "0pt is out of range (from 1pt"));
	CHECK(rejects("body-size", "-10pt", "-10pt is out of range"));
	CHECK(rejects("body-leading", "0mm", "out of range"));
	CHECK(rejects("h1-size", "-1pt", "out of range"));
	CHECK(rejects("footer-size", "0in", "out of range"));
	CHECK(rejects("margin-top", "-5mm", "out of range (from 0 to"));
	CHECK(rejects("quote-rule-width", "-1pt", "out of range"));
	CHECK(rejects("space-stretch", "-0.5", "out of range"));
	CHECK(accepts("paragraph-indent", "0pt"));
	CHECK(accepts("quote-rule-width", "0pt"));
}

TEST(ratios_and_counts_are_bounded)
{
	CHECK(rejects("space-shrink", "1.5", "from 0 to 1"));
	CHECK(rejects("space-stretch", "11", "from 0 to 10"));
	CHECK(rejects("tolerance", "1000", "from 0 to 100"));
	CHECK(rejects("hyphen-penalty", "10001", "from -10000 to 10000"));
	CHECK(rejects("line-penalty", "-1", "out of range"));
	CHECK(rejects("widow-lines", "101", "from 0 to 100"));
	CHECK(rejects("max-hyphens", "2.5", "not a whole number"));
	CHECK(rejects("keep-item-lines", "99999999999", "out of range"));
	CHECK(accepts("hyphen-penalty", "-10000"));
	CHECK(accepts("tolerance", "1e1"));
}

/* The shaping and justification keys: switches are yes/no, expansion at
 * most 5%, protrusion a factor of the built-in amounts up to 1,
 * emergency stretch a length; the optional ones may be left out (off). */
TEST(shaping_and_justification_keys)
{
	CHECK(rejects("ligatures", "maybe", "yes or no"));
	CHECK(rejects("kerning", "1", "yes or no"));
	CHECK(rejects("font-expansion", "0.1", "from 0 to 0.05"));
	CHECK(rejects("font-expansion", "-0.01", "out of range"));
	CHECK(rejects("protrusion", "1.5", "from 0 to 1"));
	CHECK(rejects("emergency-stretch", "200pt", "out of range"));
	CHECK(rejects("emergency-stretch", "3", "not a length"));
	CHECK(rejects("url-word-penalty", "20000", "from -10000 to 10000"));
	CHECK(rejects("final-hyphen-demerits", "-1", "out of range"));
	CHECK(accepts("font-expansion", "0"));
	CHECK(accepts("protrusion", "0.5"));
	CHECK(rejects("emergency-stretch", "1.5em", "not a length"));
	char *t = with("ligatures", "no");
	char *u = strstr(t, "\nligatures = no");
	CHECK(u != NULL);
	if (u)   /* a required key left out */
		memcpy(u + 1, "#", 1);
	char msg[256];
	CHECK(parse_error(t, msg, sizeof msg) == 0 &&
	      strstr(msg, "required key 'ligatures' is missing"));
	free(t);
	for (const char *const *k = (const char *const[]){"font-expansion",
		"protrusion", "emergency-stretch", "url-word-penalty",
		"final-hyphen-demerits", NULL};
	     *k; k++) {
		t = with(*k, "0");
		char *v = strstr(t, *k);
		while (v && v != t && v[-1] != '\n')
			v = strstr(v + 1, *k);
		if (v)
			*v = '#';
		CHECK(v && parse_error(t, NULL, 0) == -1);
		free(t);
	}
}

/* Rules between keys used to be reported at line 1. */
TEST(rules_between_keys_name_the_line_that_breaks_them)
{
	char msg[256];
	char *t = with("margin-outer", "140mm");
	CHECK(parse_error(t, msg, sizeof msg) == line_of(t, "margin-outer"));
	CHECK(strstr(msg, "no room across the page-width") != NULL);
	free(t);
	t = with("margin-bottom", "200mm");
	CHECK(parse_error(t, msg, sizeof msg) == line_of(t, "margin-bottom"));
	CHECK(strstr(msg, "no room down the page-height") != NULL);
	free(t);
	t = with("print-sheet", "a3");
	CHECK(parse_error(t, msg, sizeof msg) == line_of(t, "print-sheet"));
	CHECK(strstr(msg, "a4 or letter") != NULL);
	free(t);
	t = with("ragged-stretch", "0");
	CHECK(parse_error(t, msg, sizeof msg) == line_of(t, "bib-ragged"));
	CHECK(strstr(msg, "ragged-stretch") != NULL);
	free(t);
	t = with("body-size", "12pt\nbody-size = 13pt");
	CHECK(parse_error(t, msg, sizeof msg) == line_of(t, "body-size") + 1);
	CHECK(strstr(msg, "set twice (first on line") != NULL);
	free(t);
}

/* The print colour of colour key name in the style text (2 if it does
 * not load), into *k. */
static int ink_of(const char *text, const char *name, ink *k)
{
	arena a = {0};
	diag_list dl = {0};
	style *st = style_parse(text, strlen(text), "t.style", "fonts", &a, &dl);
	paint rgb[32];
	ink inks[32];
	int rc = 2;
	if (st) {
		size_t n = style_inks(st, rgb, inks, 32);
		const paint *want = !strcmp(name, "quote-color") ? &st->quote_color
				    : &st->link_color;
		for (size_t i = 0; i < n; i++)
			if (!memcmp(&rgb[i], want, sizeof *want)) {
				*k = inks[i];
				rc = 0;
			}
	}
	diag_free(&dl);
	arena_free(&a);
	return rc;
}

/* Print colours (--print): four ink percentages; a grey with none prints
 * in black ink alone (never four-colour black), another colour by the
 * plain conversion; two colours alike on screen must print alike, since a
 * print file finds a run's ink by its screen colour. */
TEST(print_colours)
{
	char msg[256];
	ink k = {0, 0, 0, 0};
	CHECK(accepts("link-color-cmyk", "0 70 20 45"));
	CHECK(accepts("link-color-cmyk", "0  70.5\t20 45"));
	CHECK(rejects("link-color-cmyk", "0 70 20", "four percentages"));
	CHECK(rejects("link-color-cmyk", "0 70 20 45 5", "four percentages"));
	CHECK(rejects("link-color-cmyk", "0 170 20 45", "0 to 100"));
	CHECK(rejects("link-color-cmyk", "#1f4e8c", "four percentages"));
	char *t = with("link-color-cmyk", "10 70 20 45");
	CHECK(ink_of(t, "link-color", &k) == 0 && k.c == 0.1 &&
	      k.m == 0.7 && k.y == 0.2 && k.k == 0.45);
	free(t);
	t = with("quote-color", "#404040");          /* no quote-color-cmyk */
	CHECK(ink_of(t, "quote-color", &k) == 0 && k.c == 0 && k.m == 0 &&
	      k.y == 0 && k.k > 0.74 && k.k < 0.75);
	free(t);
	t = with("quote-color", "#ff0000");
	CHECK(ink_of(t, "quote-color", &k) == 0 && k.c == 0 && k.m == 1 &&
	      k.y == 1 && k.k == 0);
	free(t);
	t = with("quote-color", "#1f4e8c");   /* the links' blue, unlike */
	CHECK(parse_error(t, msg, sizeof msg) == line_of(t, "link-color-cmyk"));
	CHECK(strstr(msg, "same colour on screen but not in print") &&
	      strstr(msg, "quote-color") && strstr(msg, "link-color"));
	free(t);
}

/* Spaces take a stretch and a shrink: "12pt plus 4pt minus 2pt"; each
 * part is a length in range, and a space gives up no more than itself. */
TEST(spaces_stretch_and_shrink)
{
	CHECK(accepts("paragraph-space", "0pt plus 2pt"));
	CHECK(accepts("h1-above", "13pt plus 6pt minus 3pt"));
	CHECK(accepts("h1-below", "5pt minus 1mm"));
	CHECK(rejects("h1-above", "13pt minus 14pt", "more than its own length"));
	CHECK(rejects("h1-above", "13pt plus", "needs a length after 'plus'"));
	CHECK(rejects("h1-above", "13pt minus 1pt plus 2pt", "not a space"));
	CHECK(rejects("h1-above", "13pt over 2pt", "not a space"));
	CHECK(rejects("h1-above", "13pt plus 2", "not a length"));
	CHECK(rejects("h1-above", "13pt plus 6000mm", "out of range"));
	CHECK(rejects("running-head-left", "chapter", "expected none, title or part"));
	CHECK(rejects("link-address", "footnote", "expected none, after or note"));
	CHECK(rejects("page-multiple", "0", "from 1 to 64"));
	CHECK(rejects("min-page-fill", "1.5", "from 0 to 1"));
	char *t = with("link-address", "note");
	char msg[256];
	/* the repository's styles name no notes title: note needs one */
	if (!strstr(t, "link-notes-title")) {
		CHECK(parse_error(t, msg, sizeof msg) == line_of(t, "link-address"));
		CHECK(strstr(msg, "needs link-notes-title") != NULL);
	}
	free(t);
	t = with("notes-rule-gap", "0mm");
	CHECK(parse_error(t, msg, sizeof msg) == line_of(t, "notes-page"));
	CHECK(strstr(msg, "notes-page needs") != NULL);
	free(t);
	arena a = {0};
	diag_list dl = {0};
	style *st = style_parse(base_text, strlen(base_text), "t.style", "f",
				&a, &dl);
	CHECK(st && st->h1.above.len > 0 && st->h1.above.plus > 0 &&
	      st->h1.above.minus > 0 && st->h1.above.minus <= st->h1.above.len);
	CHECK(st && style_set_paper(st, "letter") == 0 && st->page_width == 612 &&
	      st->page_height == 792 && style_set_paper(st, "a3") == -1);
	diag_free(&dl);
	arena_free(&a);
}

int main(void)
{
	const char *top = getenv("TOP");
	char path[512];
	snprintf(path, sizeof path, "%s/styles/a5.style", top ? top : ".");
	base_text = slurp(path);
	if (!base_text) {
		printf("FAIL test_style: cannot read %s\n", path);
		return 1;
	}
	RUN(repository_style_loads);
	RUN(huge_lengths_are_errors_at_their_line);
	RUN(inf_and_nan_are_not_numbers);
	RUN(zero_and_negative_sizes_say_so_at_their_line);
	RUN(ratios_and_counts_are_bounded);
	RUN(rules_between_keys_name_the_line_that_breaks_them);
	RUN(shaping_and_justification_keys);
	RUN(print_colours);
	RUN(spaces_stretch_and_shrink);
	free(base_text);
	CHECK_EXIT();
}
