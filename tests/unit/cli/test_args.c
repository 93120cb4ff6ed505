/* test_args.c - the command line's words (builder/cli/args.c): both
 * spellings of option values, options anywhere, case-insensitive paper
 * and format names, and a usage error that names what was wrong. */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "unit.h"

static char err[4096];

/* Parse the words of line (space-separated, after "chapbook"); the
 * messages land in err. The previous parse's list of booklets is freed
 * (the last one stays reachable from here). */
static int parse(const char *line, args *a)
{
	static char buf[512];
	static args last;
	args_free(&last);
	char *argv[32] = {"chapbook"};
	int argc = 1;
	snprintf(buf, sizeof buf, "%s", line);
	for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	FILE *f = tmpfile();
	int rc = args_parse(argc, argv, a, f);
	rewind(f);
	size_t n = fread(err, 1, sizeof err - 1, f);
	err[n] = '\0';
	fclose(f);
	if (rc == 0)
		last = *a;
	return rc;
}

TEST(both_value_spellings)
{
	args a;
	CHECK(parse("build --format=epub,A5 --output out2 --sheet=A4 b.xml", &a) == 0);
	CHECK(a.cmd == CMD_BUILD && a.formats == (OUT_EPUB | OUT_A5));
	CHECK_STR(a.outdir, "out2");
	CHECK_STR(a.sheet, "a4");
	CHECK_STR(a.booklet, "b.xml");
	CHECK(parse("build b.xml --output=d -o e --format handout --sheet Letter", &a) == 0);
	CHECK_STR(a.outdir, "e");
	CHECK_STR(a.sheet, "letter");
	CHECK(a.formats == OUT_HANDOUT);
	CHECK(parse("build -odir", &a) == 0);
	CHECK_STR(a.outdir, "dir");
	CHECK_STR(err, "");
}

/* check and build take several booklets, options among them. */
TEST(several_booklets)
{
	args a;
	CHECK(parse("build a.xml -o x b.md --pdf c.xml", &a) == 0);
	CHECK(a.nbooklets == 3);
	CHECK_STR(a.booklets[0], "a.xml");
	CHECK_STR(a.booklets[1], "b.md");
	CHECK_STR(a.booklets[2], "c.xml");
	CHECK_STR(a.booklet, "a.xml");
	CHECK_STR(a.outdir, "x");
	CHECK(parse("check a.xml b.xml", &a) == 0 && a.nbooklets == 2);
	CHECK(parse("build", &a) == 0 && a.nbooklets == 1);
	CHECK_STR(a.booklets[0], ARGS_DEFAULT_BOOKLET);
}

TEST(defaults)
{
	args a;
	CHECK(parse("check", &a) == 0);
	CHECK(a.cmd == CMD_CHECK && !a.strict && !a.quiet && !a.verbose);
	CHECK_STR(a.booklet, ARGS_DEFAULT_BOOKLET);
	CHECK(parse("build", &a) == 0);
	CHECK(a.formats == OUT_ALL);
	CHECK_STR(a.outdir, "out");
	CHECK(parse("build --pdf", &a) == 0 && a.formats == OUT_A5);
}

TEST(switches)
{
	args a;
	CHECK(parse("build -q --strict --crop-marks --bleed --test-sheet --creep 0.3mm", &a) == 0);
	CHECK(a.quiet && a.strict && a.crop_marks && a.bleed && a.test_sheet);
	CHECK(a.creep_set && a.creep_mm > 0.29 && a.creep_mm < 0.31);
	CHECK(parse("check -v", &a) == 0 && a.verbose);
	CHECK(parse("new d --xml", &a) == 0 && a.xml && a.cmd == CMD_NEW);
	CHECK_STR(a.booklet, "d");
	CHECK(parse("new --xml --markdown d", &a) == 0 && !a.xml);
}

TEST(double_dash_ends_options)
{
	args a;
	CHECK(parse("build -- -odd.xml", &a) == 0);
	CHECK_STR(a.booklet, "-odd.xml");
	CHECK_STR(a.outdir, "out");
}

TEST(help_and_version)
{
	args a;
	CHECK(parse("--version", &a) == 0 && a.cmd == CMD_VERSION);
	CHECK(parse("--help", &a) == 0 && a.cmd == CMD_HELP && a.help_for == CMD_NONE);
	CHECK(parse("build --format epub --help", &a) == 0);
	CHECK(a.cmd == CMD_HELP && a.help_for == CMD_BUILD);
	CHECK(parse("help watch", &a) == 0 && a.help_for == CMD_WATCH);
	CHECK(parse("new -h", &a) == 0 && a.help_for == CMD_NEW);
}

TEST(unknown_command_named)
{
	args a;
	CHECK(parse("new2", &a) == -1);
	CHECK_STR(err, "chapbook: error: unknown command 'new2'; commands: check, "
		  "build, new, watch\nhint: did you mean 'new'?\n");
	CHECK(parse("frobnicate", &a) == -1);
	CHECK_STR(err, "chapbook: error: unknown command 'frobnicate'; commands: "
		  "check, build, new, watch\n");
}

TEST(usage_errors_say_what)
{
	args a;
	CHECK(parse("build --frmat epub", &a) == -1);
	CHECK(!strncmp(err, "chapbook: error: unknown option '--frmat'; did you "
		       "mean '--format'?\nchapbook: see 'chapbook build --help'\n", 200));
	CHECK(parse("build --format", &a) == -1);
	CHECK(strstr(err, "option '--format' needs a value (LIST)"));
	CHECK(parse("build --strict=yes", &a) == -1);
	CHECK(strstr(err, "option '--strict' takes no value"));
	CHECK(parse("check --sheet a4", &a) == -1);
	CHECK(strstr(err, "option '--sheet' does not apply to 'check'"));
	CHECK(parse("build --sheet a3", &a) == -1);
	CHECK(strstr(err, "--sheet takes a4 or letter, not 'a3'"));
	CHECK(parse("build --format epub,pdfx", &a) == -1);
	CHECK(strstr(err, "unknown format in 'epub,pdfx'"));
	CHECK(parse("build --creep 7", &a) == -1);
	CHECK(strstr(err, "--creep takes millimetres from 0 to 5, not '7'"));
	CHECK(parse("watch a.xml b.xml", &a) == -1);
	CHECK(strstr(err, "more than one booklet given: 'b.xml'"));
	CHECK(parse("new d1 d2", &a) == -1);
	CHECK(strstr(err, "more than one directory given: 'd2'"));
	CHECK(parse("build -x", &a) == -1);
	CHECK(strstr(err, "unknown option '-x'"));
	CHECK(parse("build -qv", &a) == -1);
	CHECK(strstr(err, "--quiet and --verbose contradict each other"));
	CHECK(parse("new", &a) == -1);
	CHECK(strstr(err, "'new' needs a directory"));
	CHECK(parse("build -o", &a) == -1);
	CHECK(strstr(err, "option '-o' needs a value (DIR)"));
	CHECK(parse("--strict check", &a) == -1);
	CHECK(strstr(err, "'--strict' before a command"));
	CHECK(parse("", &a) == -1);
	CHECK(strstr(err, "usage: chapbook COMMAND"));
}

/* Every help fits an 80-column terminal. */
TEST(help_fits_80_columns)
{
	args_command cmds[] = {CMD_NONE, CMD_CHECK, CMD_BUILD, CMD_WATCH, CMD_NEW};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		FILE *f = tmpfile();
		args_help(cmds[i], f);
		rewind(f);
		char line[256];
		int lines = 0;
		while (fgets(line, sizeof line, f)) {
			lines++;
			if (strlen(line) > 80)
				printf("  too wide: %s", line);
			CHECK(strlen(line) <= 80);
		}
		CHECK(lines > 5);
		fclose(f);
	}
}

int main(void)
{
	RUN(both_value_spellings);
	RUN(defaults);
	RUN(several_booklets);
	RUN(switches);
	RUN(double_dash_ends_options);
	RUN(help_and_version);
	RUN(unknown_command_named);
	RUN(usage_errors_say_what);
	RUN(help_fits_80_columns);
	CHECK_EXIT();
}
