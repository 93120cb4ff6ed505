/* test_paths.c - where styles and fonts are found (builder/cli/paths.c):
 * beside the booklet first, then its parent (the repository's layout),
 * then installed beside the program, then the build tree, then the
 * compiled-in data directory; --styles/--fonts alone when given; a
 * missing style names every place looked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/diag.h"
#include "cli/paths.h"
#include "unit.h"

static char root[64];

/* Create root/rel, an empty file, with its directories. */
static void touch(const char *rel)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	for (char *s = path + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(path, 0777);
		*s = '/';
	}
	FILE *f = fopen(path, "w");
	if (f)
		fclose(f);
}

static const char *at(const char *rel)
{
	static char buf[8][256];
	static int k;
	k = (k + 1) % 8;
	snprintf(buf[k], sizeof buf[k], "%s/%s", root, rel);
	return buf[k];
}

static void setup(void)
{
	snprintf(root, sizeof root, "/tmp/test_paths_XXXXXX");
	if (!mkdtemp(root))
		return;
	touch("proj/book/booklet.xml");
	touch("proj/book/styles/a5.style");         /* beside the booklet */
	touch("proj/styles/a5.style");              /* overridden */
	touch("proj/styles/epub.css");              /* the parent */
	touch("inst/share/chapbook/styles/a4-handout.style");
	touch("inst/share/chapbook/styles/epub.css");
	touch("inst/styles/tree.style");            /* the build tree */
	touch("data/styles/data.style");            /* compiled in */
	touch("data/styles/a4-handout.style");
	touch("inst/share/chapbook/fonts/x.ttf");
	touch("data/fonts/x.ttf");
}

TEST(search_order)
{
	arena a = {0};
	diag_list d = {0};
	paths p;
	paths_init(&p, at("proj/book/booklet.xml"), NULL, NULL,
		   at("inst/bin/chapbook"), at("data"), &a);
	const char *why;
	CHECK_STR(paths_style(&p, "a5.style", &why, &a, &d),
		  at("proj/book/styles/a5.style"));
	CHECK_STR(why, "beside the booklet");
	CHECK_STR(paths_style(&p, "epub.css", &why, &a, &d),
		  at("proj/book/../styles/epub.css"));
	CHECK_STR(why, "in the booklet's parent directory");
	CHECK_STR(paths_style(&p, "a4-handout.style", &why, &a, &d),
		  at("inst/share/chapbook/styles/a4-handout.style"));
	CHECK_STR(why, "installed beside the program");
	CHECK_STR(paths_style(&p, "tree.style", &why, &a, &d), at("inst/styles/tree.style"));
	CHECK_STR(why, "in the tree the program was built in");
	CHECK_STR(paths_style(&p, "data.style", &why, &a, &d), at("data/styles/data.style"));
	CHECK_STR(why, "installed");
	CHECK_STR(paths_fonts(&p, &why, &a, &d), at("inst/share/chapbook/fonts"));
	CHECK(d.n == 0);
	diag_free(&d);
	arena_free(&a);
}

TEST(missing_style_names_every_place)
{
	arena a = {0};
	diag_list d = {0};
	paths p;
	paths_init(&p, at("proj/book/booklet.xml"), NULL, NULL,
		   at("inst/bin/chapbook"), at("data"), &a);
	CHECK(paths_style(&p, "nope.style", NULL, &a, &d) == NULL);
	CHECK(d.n == 1 && diag_exit_code(&d, 0) == 2);
	if (d.n == 1) {
		char want[2048];
		snprintf(want, sizeof want, "cannot find style 'nope.style': looked "
			 "for %s, %s, %s, %s and %s",
			 at("proj/book/styles/nope.style"),
			 at("proj/book/../styles/nope.style"),
			 at("inst/share/chapbook/styles/nope.style"),
			 at("inst/styles/nope.style"), at("data/styles/nope.style"));
		CHECK_STR(d.items[0].message, want);
		CHECK(d.items[0].hint && strstr(d.items[0].hint, "--styles DIR"));
	}
	diag_free(&d);
	arena_free(&a);
}

TEST(given_directories_only)
{
	arena a = {0};
	diag_list d = {0};
	paths p;
	paths_init(&p, at("proj/book/booklet.xml"), at("elsewhere"),
		   at("nofonts"), at("inst/bin/chapbook"), at("data"), &a);
	const char *why;
	/* given: used as is, even missing (the reader says so) */
	CHECK_STR(paths_style(&p, "a5.style", &why, &a, &d), at("elsewhere/a5.style"));
	CHECK_STR(why, "given with --styles");
	CHECK_STR(paths_fonts(&p, &why, &a, &d), at("nofonts"));
	CHECK(p.nstyles == 1 && p.nfonts == 1);
	diag_free(&d);
	arena_free(&a);
}

TEST(no_fonts_anywhere)
{
	arena a = {0};
	diag_list d = {0};
	paths p;
	paths_init(&p, at("proj/book/booklet.xml"), NULL, NULL,
		   at("none/bin/chapbook"), at("none"), &a);
	CHECK(paths_fonts(&p, NULL, &a, &d) == NULL);
	CHECK(d.n == 1 && strstr(d.items[0].message, "cannot find a fonts directory: looked for "));
	diag_free(&d);
	arena_free(&a);
}

/* A booklet named without a directory: styles/ and ../styles. */
TEST(booklet_in_current_directory)
{
	arena a = {0};
	paths p;
	paths_init(&p, "booklet.xml", NULL, NULL, "/opt/cb/bin/chapbook",
		   "/usr/share/chapbook", &a);
	CHECK(p.nstyles == 5);
	CHECK_STR(p.styles[0], "styles");
	CHECK_STR(p.styles[1], "../styles");
	CHECK_STR(p.styles[2], "/opt/cb/share/chapbook/styles");
	CHECK_STR(p.styles[3], "/opt/cb/styles");
	CHECK_STR(p.styles[4], "/usr/share/chapbook/styles");
	/* installed where it was built for: no place twice */
	paths_init(&p, "b/booklet.xml", NULL, NULL, "/usr/bin/chapbook",
		   "/usr/share/chapbook", &a);
	CHECK(p.nfonts == 4);
	CHECK_STR(p.fonts[2], "/usr/share/chapbook/fonts");
	arena_free(&a);
}

int main(void)
{
	setup();
	RUN(search_order);
	RUN(missing_style_names_every_place);
	RUN(given_directories_only);
	RUN(no_fonts_anywhere);
	RUN(booklet_in_current_directory);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%.64s'", root);
	if (system(cmd) != 0)
		return 1;
	CHECK_EXIT();
}
