/* test_diag.c - diagnostics (builder/base/diag.c): errors are never
 * dropped, warnings over the limit are counted and summed up in one line,
 * the exit code follows what failed, --strict says why it failed; each
 * diagnostic shows its source line, caret and hint; a closing count;
 * colour only on a terminal. */
#define _XOPEN_SOURCE 700   /* posix_openpt, for a terminal to print to */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "unit.h"

/* What diag_print (and diag_print_strict) write, in a static buffer. */
static const char *printed(const diag_list *d, int strict)
{
	static char out[1 << 20];
	FILE *f = tmpfile();
	if (!f)
		return "";
	diag_print(d, f);
	diag_print_strict(d, strict, f);
	rewind(f);
	size_t n = fread(out, 1, sizeof out - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

static size_t count_lines(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The failure the issue found: 1,000 warnings, then an error that was
 * dropped, so the build exited 1 printing only warnings. */
TEST(errors_kept_after_warnings_fill_the_cap)
{
	diag_list d = {0};
	for (int i = 0; i < 1500; i++)
		diag_add(&d, DIAG_WARNING, "b.xml", i + 1, 1, "warning %d", i);
	diag_add(&d, DIAG_ERROR, "b.xml", 2000, 3, "the error");
	CHECK(d.errors == 1 && d.warnings == 1500);
	diag_sort(&d);
	const char *out = printed(&d, 0);
	CHECK(strstr(out, "b.xml:2000:3: error: the error\n") != NULL);
	CHECK(count_lines(out, ": warning: ") == DIAG_WARNING_LIMIT);
	CHECK(strstr(out, "chapbook: note: ... and 500 more warnings\n") != NULL);
	CHECK(diag_exit_code(&d, 0) == 1);
	diag_free(&d);
}

TEST(limit_applies_when_lists_are_joined)
{
	diag_list a = {.limit = 3}, b = {0};
	for (int i = 0; i < 2; i++)
		diag_add(&a, DIAG_WARNING, "a.xml", i + 1, 1, "w");
	for (int i = 0; i < 4; i++)
		diag_add(&b, DIAG_WARNING, "b.xml", i + 1, 1, "w");
	diag_add(&b, DIAG_ERROR, "b.xml", 9, 1, "e");
	diag_append(&a, &b);
	CHECK(b.n == 0 && b.errors == 0 && b.warnings == 0);
	CHECK(a.n == 4 && a.errors == 1 && a.warnings == 6);
	const char *out = printed(&a, 0);
	CHECK(strstr(out, "b.xml:9:1: error: e\n") != NULL);
	CHECK(strstr(out, "... and 3 more warnings\n") != NULL);
	diag_free(&a);
}

TEST(exit_codes)
{
	diag_list d = {0};
	CHECK(diag_exit_code(&d, 1) == 0);
	diag_add(&d, DIAG_NOTE, NULL, 0, 0, "a note");
	CHECK(diag_exit_code(&d, 1) == 0);
	diag_add(&d, DIAG_WARNING, "b.xml", 3, 1, "w");
	CHECK(diag_exit_code(&d, 0) == 0);
	CHECK(diag_exit_code(&d, 1) == 1);
	diag_add(&d, DIAG_ERROR, "b.xml", 4, 1, "e");
	CHECK(diag_exit_code(&d, 0) == 1);
	diag_io(&d, "out/x.pdf", "cannot write output file: %s", "No space");
	CHECK(d.errors == 2 && d.io_errors == 1);
	CHECK(diag_exit_code(&d, 0) == 2);
	const char *out = printed(&d, 0);
	CHECK(strstr(out, "out/x.pdf: error: cannot write output file: No space\n"));
	CHECK(strstr(out, "chapbook: note: a note\n"));
	diag_free(&d);
}

/* With --strict, warnings alone failing say so in one closing line; not
 * when an error failed anyway, nor without --strict. */
TEST(strict_says_why)
{
	diag_list d = {0};
	diag_add(&d, DIAG_WARNING, "b.xml", 3, 1, "w1");
	diag_add(&d, DIAG_WARNING, "b.xml", 4, 1, "w2");
	const char *out = printed(&d, 1);
	const char *line = "chapbook: error: failed because of 2 warnings and --strict\n";
	CHECK(strlen(out) > strlen(line) &&
	      !strcmp(out + strlen(out) - strlen(line), line));
	CHECK(!strstr(printed(&d, 0), "--strict"));
	diag_add(&d, DIAG_ERROR, "b.xml", 5, 1, "e");
	CHECK(!strstr(printed(&d, 1), "--strict"));
	diag_free(&d);
}

TEST(sort_is_stable_and_by_place)
{
	diag_list d = {0};
	diag_add(&d, DIAG_WARNING, "b.xml", 5, 1, "second at 5:1");
	diag_add(&d, DIAG_ERROR, "a.xml", 9, 9, "other file");
	for (int i = 0; i < 50; i++)
		diag_add(&d, DIAG_WARNING, "b.xml", 5, 1, "same place %d", i);
	diag_add(&d, DIAG_ERROR, "b.xml", 2, 7, "first");
	diag_sort(&d);
	CHECK_STR(d.items[0].message, "other file");
	CHECK_STR(d.items[1].message, "first");
	CHECK_STR(d.items[2].message, "second at 5:1");
	int in_order = 1;
	for (int i = 0; i < 50; i++) {
		char want[32];
		snprintf(want, sizeof want, "same place %d", i);
		in_order &= !strcmp(d.items[3 + i].message, want);
	}
	CHECK(in_order);
	diag_free(&d);
}

TEST(messages_trimmed_and_bounded)
{
	diag_list d = {0};
	char big[3000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	diag_add(&d, DIAG_ERROR, NULL, 0, 0, "libxml says: %s\n", "oops ");
	diag_add(&d, DIAG_ERROR, "f", 1, 0, "%s", big);
	CHECK_STR(d.items[0].message, "libxml says: oops");
	CHECK(strlen(d.items[1].message) < 1024);
	CHECK(strstr(printed(&d, 0), "chapbook: error: libxml says: oops\nf:1: error: x"));
	diag_free(&d);
}

/* A booklet with a bare ampersand on line 2. */
static const char *write_booklet(char *path)
{
	int fd = mkstemp(path);
	const char *body = "<booklet>\n  <p>Salt & pepper</p>\n</booklet>\n";
	if (fd < 0 || write(fd, body, strlen(body)) != (ssize_t)strlen(body))
		return NULL;
	close(fd);
	return path;
}

TEST(source_line_caret_and_hint)
{
	char path[] = "/tmp/test_diag_XXXXXX";
	CHECK(write_booklet(path) != NULL);
	diag_list d = {0};
	diag_add(&d, DIAG_ERROR, path, 2, 11, "xmlParseEntityRef: no name");
	diag_hint(&d, "write &amp; for a literal %s", "ampersand");
	diag_add(&d, DIAG_WARNING, path, 3, 0, "no caret without a column");
	char want[512];
	snprintf(want, sizeof want,
		 "%s:2:11: error: xmlParseEntityRef: no name\n"
		 "    2 |   <p>Salt & pepper</p>\n"
		 "      |           ^\n"
		 "hint: write &amp; for a literal ampersand\n"
		 "%s:3: warning: no caret without a column\n"
		 "    3 | </booklet>\n",
		 path, path);
	CHECK_STR(printed(&d, 0), want);
	diag_free(&d);
	unlink(path);
}

/* A hint goes with its own diagnostic: not onto an earlier one when its
 * warning was over the limit, and it survives joining and sorting. */
TEST(hint_follows_its_diagnostic)
{
	diag_list d = {.limit = 1}, e = {0};
	diag_hint(&d, "nothing to attach to");
	CHECK(d.n == 0);
	diag_add(&d, DIAG_WARNING, "b.xml", 5, 1, "kept");
	diag_add(&d, DIAG_WARNING, "b.xml", 1, 1, "over the limit");
	diag_hint(&d, "lost with its warning");
	CHECK(d.n == 1 && d.items[0].hint == NULL);
	diag_add(&e, DIAG_ERROR, "a.xml", 9, 1, "other");
	diag_hint(&e, "first hint");
	diag_hint(&e, "replaced");
	diag_append(&d, &e);
	diag_hint(&d, "not after a join");
	diag_sort(&d);
	CHECK_STR(d.items[0].hint, "replaced");
	CHECK(d.items[1].hint == NULL);
	CHECK(strstr(printed(&d, 0), "a.xml:9:1: error: other\nhint: replaced\n"));
	diag_free(&d);
}

/* What diag_report writes. */
static const char *reported(const diag_list *d, int strict)
{
	static char out[4096];
	FILE *f = tmpfile();
	diag_report(d, strict, f);
	rewind(f);
	size_t n = fread(out, 1, sizeof out - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

TEST(closing_count)
{
	diag_list d = {0};
	diag_add(&d, DIAG_NOTE, NULL, 0, 0, "a note is not counted");
	CHECK(!strstr(reported(&d, 0), "chapbook: 0"));
	CHECK(!strstr(reported(&d, 0), "error"));
	diag_add(&d, DIAG_WARNING, "b.xml", 1, 1, "w");
	CHECK(strstr(reported(&d, 0), "\nchapbook: 1 warning\n"));
	diag_add(&d, DIAG_ERROR, "b.xml", 2, 1, "e");
	CHECK(strstr(reported(&d, 0), "\nchapbook: 1 error, 1 warning\n"));
	diag_add(&d, DIAG_ERROR, "b.xml", 3, 1, "e");
	diag_add(&d, DIAG_WARNING, "b.xml", 4, 1, "w");
	const char *out = reported(&d, 0);
	const char *last = "chapbook: 2 errors, 2 warnings\n";
	CHECK(!strcmp(out + strlen(out) - strlen(last), last));
	diag_free(&d);
	/* with --strict the line saying why comes last */
	diag_add(&d, DIAG_WARNING, "b.xml", 1, 1, "w");
	CHECK(strstr(reported(&d, 1), "chapbook: 1 warning\nchapbook: error: "
		     "failed because of 1 warning and --strict\n"));
	diag_free(&d);
	CHECK_STR(reported(&d, 1), "");
}

TEST(colour_only_on_a_terminal)
{
	diag_list d = {0};
	diag_add(&d, DIAG_ERROR, "b.xml", 2, 1, "e");
	diag_hint(&d, "h");
	FILE *f = tmpfile();
	CHECK(!diag_color_wanted(f));
	diag_print_color(&d, f, 1);
	rewind(f);
	char buf[256] = {0};
	CHECK(fread(buf, 1, sizeof buf - 1, f) > 0);
	fclose(f);
	CHECK(strstr(buf, "\033[1mb.xml:2:1:\033[0m \033[1;31merror:\033[0m e\n"));
	CHECK(strstr(buf, "\033[1;32mhint:\033[0m h\n"));
	CHECK(!strchr(printed(&d, 0), '\033'));
	diag_free(&d);
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m)) {
		puts("  (no pseudo-terminal: terminal half skipped)");
		return;
	}
	FILE *tty = fopen(ptsname(m), "w");
	CHECK(tty != NULL);
	if (tty) {
		unsetenv("NO_COLOR");
		CHECK(diag_color_wanted(tty));
		setenv("NO_COLOR", "", 1);
		CHECK(diag_color_wanted(tty));
		setenv("NO_COLOR", "1", 1);
		CHECK(!diag_color_wanted(tty));
		unsetenv("NO_COLOR");
		fclose(tty);
	}
	close(m);
}

int main(void)
{
	RUN(errors_kept_after_warnings_fill_the_cap);
	RUN(limit_applies_when_lists_are_joined);
	RUN(exit_codes);
	RUN(strict_says_why);
	RUN(sort_is_stable_and_by_place);
	RUN(messages_trimmed_and_bounded);
	RUN(source_line_caret_and_hint);
	RUN(hint_follows_its_diagnostic);
	RUN(closing_count);
	RUN(colour_only_on_a_terminal);
	CHECK_EXIT();
}
