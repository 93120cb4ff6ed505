/* test_style_key.c - an unknown key in a style file (builder/typeset/
 * style.c) is named with the known key it is probably a typo of, and
 * points at the key's column. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "typeset/style.h"
#include "unit.h"

/* The diagnostic whose message starts with "unknown style key". */
static const diag *unknown_key(const char *text, diag_list *d, arena *a)
{
	style_parse(text, strlen(text), "t.style", "fonts", a, d);
	for (size_t i = 0; i < d->n; i++)
		if (!strncmp(d->items[i].message, "unknown style key", 17))
			return &d->items[i];
	return NULL;
}

TEST(typo_gets_did_you_mean)
{
	arena a = {0};
	diag_list d = {0};
	const diag *g = unknown_key("# a comment\n  body-sise = 10pt\n", &d, &a);
	CHECK(g != NULL);
	if (g) {
		CHECK_STR(g->message, "unknown style key 'body-sise'; did you mean 'body-size'?");
		CHECK(g->line == 2 && g->col == 3);
	}
	diag_free(&d);
	arena_free(&a);
}

TEST(far_key_gets_no_guess)
{
	arena a = {0};
	diag_list d = {0};
	const diag *g = unknown_key("colour-of-the-sky = blue\n", &d, &a);
	CHECK(g != NULL);
	if (g)
		CHECK_STR(g->message, "unknown style key 'colour-of-the-sky'");
	diag_free(&d);
	arena_free(&a);
}

/* A missing key is the file's fault, not one line's. */
TEST(missing_key_has_no_line)
{
	arena a = {0};
	diag_list d = {0};
	style_parse("tolerance = 2\n", 14, "t.style", "fonts", &a, &d);
	int found = 0;
	for (size_t i = 0; i < d.n; i++)
		if (!strcmp(d.items[i].message, "required key 'body-size' is missing"))
			found = d.items[i].line == 0;
	CHECK(found);
	diag_free(&d);
	arena_free(&a);
}

int main(void)
{
	RUN(typo_gets_did_you_mean);
	RUN(far_key_gets_no_guess);
	RUN(missing_key_has_no_line);
	CHECK_EXIT();
}
