/* test_starter.c - `chapbook new`'s text (builder/cli/starter.c): the
 * starter's identifier becomes one made from the directory's name, a
 * valid identifier (lower-case letters, digits, '-'), or stays as it is. */
#include <stdlib.h>
#include <string.h>

#include "cli/starter.h"
#include "unit.h"

static const char *text =
	"<identifier>my-booklet</identifier> <!-- my-booklet.epub -->";

static int id_is(const char *dir, const char *id)
{
	char *t = starter_text(text, dir);
	char want[256];
	snprintf(want, sizeof want,
		 "<identifier>%s</identifier> <!-- %s.epub -->", id, id);
	int ok = !strcmp(t, want);
	if (!ok)
		printf("  %s: %s\n", dir, t);
	free(t);
	return ok;
}

TEST(identifier_from_directory)
{
	CHECK(id_is("skin", "skin"));
	CHECK(id_is("booklets/Skin Care/", "skin-care"));
	CHECK(id_is("/home/ann/2024 -- Sleep & Naps!", "2024-sleep-naps"));
	CHECK(id_is("Café", "caf"));
}

TEST(identifier_kept_when_nothing_left)
{
	CHECK(id_is("...", "my-booklet"));
	CHECK(id_is("/", "my-booklet"));
	CHECK(id_is("€€", "my-booklet"));
}

/* The compiled-in starters are the repository's, identifier and all. */
TEST(starters_compiled_in)
{
	CHECK(strstr(starter_xml, "<identifier>my-booklet</identifier>") != NULL);
	CHECK(strstr(starter_md, "\nidentifier: my-booklet\n") != NULL);
	CHECK(!strncmp(starter_xml, "<?xml", 5) && !strncmp(starter_md, "---\n", 4));
}

int main(void)
{
	RUN(identifier_from_directory);
	RUN(identifier_kept_when_nothing_left);
	RUN(starters_compiled_in);
	CHECK_EXIT();
}
