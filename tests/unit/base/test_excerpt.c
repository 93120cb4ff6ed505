/* test_excerpt.c - the source line and caret under a diagnostic
 * (builder/base/excerpt.c): the caret stands under the character the
 * column names, whatever tabs, accents, wide characters or clipping come
 * before it; nothing from the input reaches the terminal as a control
 * sequence; the line is read back from the right file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/excerpt.h"
#include "unit.h"

static char out[1 << 16];

/* What f received, in out. */
static const char *drain(FILE *f)
{
	rewind(f);
	size_t n = fread(out, 1, sizeof out - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

static const char *text(const char *s, int line, int col)
{
	FILE *f = tmpfile();
	excerpt_print_text(s, strlen(s), line, col, 0, f);
	return drain(f);
}

/* The character (one byte: the tests put ASCII there) printed above the
 * caret, found by display position in the two lines. */
static char above_caret(const char *two_lines)
{
	const char *nl = strchr(two_lines, '\n');
	const char *caret = nl ? strchr(nl + 1, '^') : NULL;
	if (!caret)
		return 0;
	size_t at = (size_t)(caret - (nl + 1));
	/* count display cells of the first line: ASCII is one byte a cell,
	 * a UTF-8 sequence one cell (the tests use no wide ones here) */
	size_t cell = 0;
	for (const char *p = two_lines; p < nl; p++) {
		if (((unsigned char)*p & 0xC0) == 0x80)
			continue;
		if (cell == at)
			return *p;
		cell++;
	}
	return 0;
}

TEST(caret_under_column)
{
	CHECK_STR(text("  <p>a & b</p>", 14, 8),
		  "   14 |   <p>a & b</p>\n"
		  "      |        ^\n");
	CHECK(above_caret(out) == '&');
}

TEST(no_caret_when_column_unknown)
{
	CHECK_STR(text("body-sise = 10pt", 12, 0), "   12 | body-sise = 10pt\n");
}

TEST(tabs_expanded_to_eight)
{
	CHECK_STR(text("\tx\t&", 3, 4),
		  "    3 |         x       &\n"
		  "      |                 ^\n");
	CHECK(above_caret(out) == '&');
}

/* The column counts characters: curly quotes and accents are one each. */
TEST(utf8_columns)
{
	text("\xe2\x80\x9c" "caf\xc3\xa9\xe2\x80\x9d & x", 1, 8);
	CHECK(above_caret(out) == '&');
}

TEST(wide_characters_take_two_cells)
{
	CHECK_STR(text("\xe4\xb8\x80\xe4\xb8\x80&", 2, 3),
		  "    2 | \xe4\xb8\x80\xe4\xb8\x80&\n"
		  "      |     ^\n");
}

TEST(long_line_clipped_around_column)
{
	char line[1001];
	for (int i = 0; i < 1000; i++)
		line[i] = (char)('a' + i % 26);
	line[700] = '&';
	line[1000] = '\0';
	text(line, 9, 701);
	const char *nl = strchr(out, '\n');
	CHECK(nl != NULL);
	CHECK(!strncmp(out, "    9 | ...", 11));
	CHECK(nl && !strncmp(nl - 3, "...", 3));
	CHECK(nl && (size_t)(nl - out) <= 8 + 3 + EXCERPT_WIDTH + 3);
	CHECK(above_caret(out) == '&');
	/* near the start: no leading "...", the caret in place */
	line[700] = 'x';
	line[5] = '&';
	text(line, 9, 6);
	CHECK(!strncmp(out, "    9 | abcde&", 14));
	CHECK(above_caret(out) == '&');
	/* near the end */
	line[5] = 'f';
	line[998] = '&';
	text(line, 9, 999);
	CHECK(above_caret(out) == '&');
	nl = strchr(out, '\n');
	CHECK(nl && nl[-1] != '.');
}

/* An escape sequence in the booklet must not drive the terminal. */
TEST(control_characters_made_harmless)
{
	text("a\033[2Jb\x01" "c\xff" "d", 1, 0);
	CHECK(strchr(out, '\033') == NULL && strchr(out, '\x01') == NULL);
	CHECK(strstr(out, "a\xef\xbf\xbd[2Jb\xef\xbf\xbd" "c\xef\xbf\xbd" "d\n") != NULL);
}

TEST(column_past_the_end)
{
	CHECK_STR(text("<p>", 4, 9), "    4 | <p>\n      |    ^\n");
}

TEST(coloured_caret)
{
	FILE *f = tmpfile();
	excerpt_print_text("ab", 2, 2, 1, 1, f);
	drain(f);
	CHECK(strstr(out, "\033[1;32m^\033[0m") != NULL);
}

TEST(lines_read_from_the_file)
{
	char path[] = "/tmp/test_excerpt_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	const char *body = "first\r\nsecond line\r\n\tthird & last";
	CHECK(write(fd, body, strlen(body)) == (ssize_t)strlen(body));
	close(fd);
	excerpt_cache c = {0};
	FILE *f = tmpfile();
	/* out of order, as a report never is, still right */
	CHECK(excerpt_print(&c, path, 3, 8, 0, f) == 1);
	CHECK(excerpt_print(&c, path, 1, 0, 0, f) == 1);
	CHECK(excerpt_print(&c, path, 2, 0, 0, f) == 1);
	CHECK(excerpt_print(&c, path, 4, 1, 0, f) == 0);
	CHECK(excerpt_print(&c, path, 0, 1, 0, f) == 0);
	CHECK(excerpt_print(&c, "/nonexistent/x.xml", 1, 1, 0, f) == 0);
	CHECK(excerpt_print(&c, "/tmp", 1, 1, 0, f) == 0);
	CHECK_STR(drain(f), "    3 |         third & last\n"
			    "      |               ^\n"
			    "    1 | first\n"
			    "    2 | second line\n");
	excerpt_cache_free(&c);
	unlink(path);
}

/* More files than the cache holds: each still read right. */
TEST(many_files)
{
	char paths[20][48];
	excerpt_cache c = {0};
	FILE *f = tmpfile();
	for (int i = 0; i < 20; i++) {
		snprintf(paths[i], sizeof paths[i], "/tmp/test_excerpt_%d_XXXXXX", i);
		int fd = mkstemp(paths[i]);
		char line[32];
		int n = snprintf(line, sizeof line, "file %d\n", i);
		CHECK(fd >= 0 && write(fd, line, (size_t)n) == n);
		close(fd);
	}
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 20; i++)
			CHECK(excerpt_print(&c, paths[i], 1, 0, 0, f) == 1);
	drain(f);
	CHECK(strstr(out, "    1 | file 19\n    1 | file 0\n") != NULL);
	excerpt_cache_free(&c);
	for (int i = 0; i < 20; i++)
		unlink(paths[i]);
}

/* A long line is measured once and drawn from the nearest place: the
 * same picture as drawing it from its start, wherever the column. */
TEST(long_line_from_file_same_as_from_start)
{
	char path[] = "/tmp/test_excerpt_long_XXXXXX";
	int fd = mkstemp(path);
	static char line[30000];
	size_t n = 0;
	for (int i = 0; n < 20000; i++) {
		const char *piece = i % 7 == 0 ? "\t" : i % 5 == 0 ? "\xc3\xa9" :
				    i % 11 == 0 ? "\xe4\xb8\x80" : "ab ";
		memcpy(line + n, piece, strlen(piece));
		n += strlen(piece);
	}
	CHECK(fd >= 0 && write(fd, "x\n", 2) == 2);
	CHECK(write(fd, line, n) == (ssize_t)n && write(fd, "\ny\n", 3) == 3);
	close(fd);
	excerpt_cache c = {0};
	int cols[] = {1, 50, 100, 101, 255, 256, 257, 258, 5000, 9999, 12000, 14000, 30000, 0};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		static char want[sizeof out];
		FILE *f = tmpfile();
		excerpt_print_text(line, n, 2, cols[i], 0, f);
		snprintf(want, sizeof want, "%s", drain(f));
		f = tmpfile();
		CHECK(excerpt_print(&c, path, 2, cols[i], 0, f) == 1);
		drain(f);
		if (strcmp(out, want))
			printf("  column %d:\n%s  from the start:\n%s", cols[i], out, want);
		CHECK_STR(out, want);
	}
	excerpt_cache_free(&c);
	unlink(path);
}

int main(void)
{
	RUN(caret_under_column);
	RUN(no_caret_when_column_unknown);
	RUN(tabs_expanded_to_eight);
	RUN(utf8_columns);
	RUN(wide_characters_take_two_cells);
	RUN(long_line_clipped_around_column);
	RUN(control_characters_made_harmless);
	RUN(column_past_the_end);
	RUN(coloured_caret);
	RUN(lines_read_from_the_file);
	RUN(many_files);
	RUN(long_line_from_file_same_as_from_start);
	CHECK_EXIT();
}
