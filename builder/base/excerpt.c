/* excerpt.c - the source line and caret under a diagnostic (see
 * excerpt.h). */
#include "base/excerpt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/mem.h"
#include "base/utf8.h"

/* Files over this size are not read back for excerpts (as big as the
 * largest booklet that is read). */
#define EXCERPT_MAX_BYTES (64u * 1024 * 1024)
/* Files kept open at once; the oldest goes first. */
enum { EXCERPT_FILES = 8, EXCERPT_TAB = 8 };

#define COLOR_CARET "\033[1;32m"
#define COLOR_GUTTER "\033[1;34m"
#define COLOR_OFF "\033[0m"

typedef struct excerpt_file {
	char *path;
	file_bytes bytes;
	int ok;             /* 0: could not be read */
	int cur_line;       /* a cursor: line cur_line starts at cur_off */
	size_t cur_off;
} excerpt_file;

/* ---- display width ------------------------------------------------------ */

/* Terminal cells a character takes: 0 for combining marks and zero-width
 * characters, 2 for East Asian wide ones and emoji, else 1. A small table
 * of the common ranges, not all of Unicode's. */
static int cell_width(uint32_t cp)
{
	if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
	    (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x00AD)
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
	    (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

/* A control character or a malformed byte: shown as U+FFFD, so that no
 * byte of the input reaches the terminal as a command. */
static int unprintable(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       cp == UTF8_REPLACEMENT;
}

/* One character of the line: its bytes, code point and cells at cell. */
typedef struct glyph {
	size_t used;
	uint32_t cp;
	int width;
} glyph;

static glyph next_glyph(const char *s, size_t len, long cell)
{
	glyph g;
	g.cp = utf8_decode(s, len, &g.used);
	if (g.cp == '\t')
		g.width = (int)(EXCERPT_TAB - cell % EXCERPT_TAB);
	else if (unprintable(g.cp))
		g.width = 1;
	else
		g.width = cell_width(g.cp);
	return g;
}

/* The cell where character col (1-based) starts, and the line's width. */
static void measure(const char *text, size_t len, int col, long *caret,
		    long *total)
{
	long cell = 0;
	int k = 1;
	*caret = -1;
	for (size_t i = 0; i < len;) {
		if (k == col)
			*caret = cell;
		glyph g = next_glyph(text + i, len - i, cell);
		cell += g.width;
		i += g.used;
		k++;
	}
	*total = cell;
	if (*caret < 0)
		*caret = cell;  /* past the end: just after the last character */
}

static void put_glyph(const char *s, const glyph *g, FILE *f)
{
	if (g->cp == '\t')
		fprintf(f, "%*s", g->width, "");
	else if (unprintable(g->cp))
		fputs("\xEF\xBF\xBD", f);
	else
		fwrite(s, 1, g->used, f);
}

/* ---- drawing ------------------------------------------------------------ */

void excerpt_print_text(const char *text, size_t len, int line, int col,
			int color, FILE *f)
{
	while (len && (text[len - 1] == '\r' || text[len - 1] == '\n'))
		len--;
	long caret, total;
	measure(text, len, col, &caret, &total);
	/* The window of cells shown: all, or EXCERPT_WIDTH around the caret. */
	long from = 0, to = total;
	if (total > EXCERPT_WIDTH) {
		from = caret - EXCERPT_WIDTH / 2;
		if (from + EXCERPT_WIDTH > total)
			from = total - EXCERPT_WIDTH;
		if (from < 0)
			from = 0;
		to = from + EXCERPT_WIDTH;
	}
	char num[16];
	int gutter = snprintf(num, sizeof num, "%d", line);
	if (gutter < 5)
		gutter = 5;
	const char *gc = color ? COLOR_GUTTER : "", *off = color ? COLOR_OFF : "";
	fprintf(f, "%s%*d |%s ", gc, gutter, line, off);
	long shown_from = -1, cell = 0;
	for (size_t i = 0; i < len;) {
		glyph g = next_glyph(text + i, len - i, cell);
		if (cell >= from && cell + g.width <= to) {
			if (shown_from < 0) {
				shown_from = cell;
				if (from > 0)
					fputs("...", f);
			}
			put_glyph(text + i, &g, f);
		}
		cell += g.width;
		i += g.used;
	}
	if (to < total)
		fputs("...", f);
	fputc('\n', f);
	if (col <= 0)
		return;
	if (shown_from < 0)
		shown_from = from;
	long at = caret - shown_from + (from > 0 ? 3 : 0);
	if (at < 0)
		at = 0;
	fprintf(f, "%s%*s |%s %*s%s^%s\n", gc, gutter, "", off, (int)at, "",
		color ? COLOR_CARET : "", off);
}

/* ---- finding the line --------------------------------------------------- */

static excerpt_file *cache_get(excerpt_cache *c, const char *path)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->files[i].path, path))
			return &c->files[i];
	if (!c->files)
		c->files = xcalloc(EXCERPT_FILES, sizeof *c->files);
	if (c->n == EXCERPT_FILES) {
		free(c->files[0].path);
		file_release(&c->files[0].bytes);
		memmove(c->files, c->files + 1, (c->n - 1) * sizeof *c->files);
		c->n--;
	}
	excerpt_file *e = &c->files[c->n++];
	memset(e, 0, sizeof *e);
	e->path = xstrdup(path);
	e->ok = file_map(path, EXCERPT_MAX_BYTES, &e->bytes) == FILE_OK;
	e->cur_line = 1;
	return e;
}

/* Start and length of line (1-based), scanning on from the cursor:
 * diagnostics are printed in line order, so a report reads each file
 * about once. 0 when the file has fewer lines. */
static int find_line(excerpt_file *e, int line, size_t *start, size_t *len)
{
	const char *s = (const char *)e->bytes.data;
	size_t n = e->bytes.len;
	if (line < e->cur_line) {
		e->cur_line = 1;
		e->cur_off = 0;
	}
	while (e->cur_line < line) {
		const char *nl = memchr(s + e->cur_off, '\n', n - e->cur_off);
		if (!nl)
			return 0;
		e->cur_off = (size_t)(nl - s) + 1;
		e->cur_line++;
	}
	if (e->cur_off >= n)
		return 0;  /* the empty "line" after a final newline */
	const char *nl = memchr(s + e->cur_off, '\n', n - e->cur_off);
	*start = e->cur_off;
	*len = nl ? (size_t)(nl - s) - e->cur_off : n - e->cur_off;
	return 1;
}

int excerpt_print(excerpt_cache *c, const char *file, int line, int col,
		  int color, FILE *f)
{
	if (!file || line <= 0)
		return 0;
	excerpt_file *e = cache_get(c, file);
	size_t start, len;
	if (!e->ok || !find_line(e, line, &start, &len))
		return 0;
	excerpt_print_text((const char *)e->bytes.data + start, len, line, col,
			   color, f);
	return 1;
}

void excerpt_cache_free(excerpt_cache *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->files[i].path);
		file_release(&c->files[i].bytes);
	}
	free(c->files);
	memset(c, 0, sizeof *c);
}
