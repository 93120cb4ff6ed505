/* excerpt.c - the source line and caret under a diagnostic (see
 * excerpt.h). */
#include "base/excerpt.h"

#include <limits.h>
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

/* A place in a line: byte offset, character number (1-based) and cell. */
typedef struct cursor {
	size_t byte;
	long k, cell;
} cursor;

/* Places every EXCERPT_STEP characters of a long line, so that each of
 * many diagnostics on it (32,000 unknown keys in one citation) costs a
 * short walk, not the line. */
enum { EXCERPT_STEP = 256, EXCERPT_LONG = 4096 };

typedef struct excerpt_file {
	char *path;
	file_bytes bytes;
	int ok;             /* 0: could not be read */
	int cur_line;       /* a cursor: line cur_line starts at cur_off */
	size_t cur_off;
	size_t cur_len;     /* its length, once known (else SIZE_MAX) */
	int measured;       /* the line measured last (0: none) */
	long total;         /* its width in cells */
	long chars;         /* its length in characters */
	cursor *steps;      /* its places every EXCERPT_STEP characters */
	size_t nsteps;
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

/* Walk from c to character col, or to the end of the line. */
static cursor walk_to(const char *text, size_t len, cursor c, long col)
{
	while (c.byte < len && c.k < col) {
		glyph g = next_glyph(text + c.byte, len - c.byte, c.cell);
		c.byte += g.used;
		c.cell += g.width;
		c.k++;
	}
	return c;
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

/* Draw the line (total cells wide) and the caret under character col,
 * walking from hint, a place at or before the window shown: the cost is
 * the walk from hint plus the window, not the whole line. */
static void draw(const char *text, size_t len, int line, int col, int color,
		 FILE *f, cursor hint, long total)
{
	cursor caret = walk_to(text, len, hint, col > 0 ? col : 1);
	/* The window of cells shown: all, or EXCERPT_WIDTH around the caret. */
	long from = 0, to = total;
	if (total > EXCERPT_WIDTH) {
		from = caret.cell - EXCERPT_WIDTH / 2;
		if (from + EXCERPT_WIDTH > total)
			from = total - EXCERPT_WIDTH;
		if (from < hint.cell)
			from = hint.cell;
		to = from + EXCERPT_WIDTH;
	}
	char num[16];
	int gutter = snprintf(num, sizeof num, "%d", line);
	if (gutter < 5)
		gutter = 5;
	const char *gc = color ? COLOR_GUTTER : "", *off = color ? COLOR_OFF : "";
	fprintf(f, "%s%*d |%s ", gc, gutter, line, off);
	long shown_from = -1;
	for (cursor c = hint; c.byte < len && c.cell < to;) {
		glyph g = next_glyph(text + c.byte, len - c.byte, c.cell);
		if (c.cell >= from && c.cell + g.width <= to) {
			if (shown_from < 0) {
				shown_from = c.cell;
				if (from > 0)
					fputs("...", f);
			}
			put_glyph(text + c.byte, &g, f);
		}
		c.byte += g.used;
		c.cell += g.width;
	}
	if (to < total)
		fputs("...", f);
	fputc('\n', f);
	if (col <= 0)
		return;
	if (shown_from < 0)
		shown_from = from;
	long at = caret.cell - shown_from + (from > 0 ? 3 : 0);
	if (at < 0)
		at = 0;
	fprintf(f, "%s%*s |%s %*s%s^%s\n", gc, gutter, "", off, (int)at, "",
		color ? COLOR_CARET : "", off);
}

static size_t trim_eol(const char *text, size_t len)
{
	while (len && (text[len - 1] == '\r' || text[len - 1] == '\n'))
		len--;
	return len;
}

void excerpt_print_text(const char *text, size_t len, int line, int col,
			int color, FILE *f)
{
	len = trim_eol(text, len);
	cursor start = {0, 1, 0};
	long total = walk_to(text, len, start, LONG_MAX).cell;
	draw(text, len, line, col, color, f, start, total);
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
		free(c->files[0].steps);
		file_release(&c->files[0].bytes);
		memmove(c->files, c->files + 1, (c->n - 1) * sizeof *c->files);
		c->n--;
	}
	excerpt_file *e = &c->files[c->n++];
	memset(e, 0, sizeof *e);
	e->path = xstrdup(path);
	e->ok = file_map(path, EXCERPT_MAX_BYTES, &e->bytes) == FILE_OK;
	e->cur_line = 1;
	e->cur_len = SIZE_MAX;
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
		e->cur_len = SIZE_MAX;
	}
	while (e->cur_line < line) {
		const char *nl = memchr(s + e->cur_off, '\n', n - e->cur_off);
		if (!nl)
			return 0;
		e->cur_off = (size_t)(nl - s) + 1;
		e->cur_line++;
		e->cur_len = SIZE_MAX;
	}
	if (e->cur_off >= n)
		return 0;  /* the empty "line" after a final newline */
	if (e->cur_len == SIZE_MAX) {
		const char *nl = memchr(s + e->cur_off, '\n', n - e->cur_off);
		e->cur_len = nl ? (size_t)(nl - s) - e->cur_off : n - e->cur_off;
	}
	*start = e->cur_off;
	*len = e->cur_len;
	return 1;
}

/* Measure a long line once: its width and its places every EXCERPT_STEP
 * characters (steps[i] is character 1 + i * EXCERPT_STEP). */
static void measure_line(excerpt_file *e, const char *text, size_t len,
			 int line)
{
	e->nsteps = 0;
	size_t cap = len / EXCERPT_STEP + 2;
	e->steps = xreallocarray(e->steps, cap, sizeof *e->steps);
	cursor c = {0, 1, 0};
	for (;;) {
		e->steps[e->nsteps++] = c;
		cursor next = walk_to(text, len, c, c.k + EXCERPT_STEP);
		if (next.k != c.k + EXCERPT_STEP) {
			e->total = next.cell;
			e->chars = next.k - 1;
			break;
		}
		c = next;
	}
	e->measured = line;
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
	const char *text = (const char *)e->bytes.data + start;
	len = trim_eol(text, len);
	cursor hint = {0, 1, 0};
	if (len <= EXCERPT_LONG) {
		draw(text, len, line, col, color, f, hint,
		     walk_to(text, len, hint, LONG_MAX).cell);
		return 1;
	}
	if (e->measured != line)
		measure_line(e, text, len, line);
	/* the last place more than a window's width before the caret (which
	 * stands just after the last character when col is past the end) */
	long caret = col <= e->chars + 1 ? col : e->chars + 1;
	long before = caret - EXCERPT_WIDTH;
	size_t i = before > 1 ? (size_t)(before - 1) / EXCERPT_STEP : 0;
	if (i >= e->nsteps)
		i = e->nsteps - 1;
	if (e->steps[i].k <= before)
		hint = e->steps[i];
	draw(text, len, line, col, color, f, hint, e->total);
	return 1;
}

void excerpt_cache_free(excerpt_cache *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->files[i].path);
		free(c->files[i].steps);
		file_release(&c->files[i].bytes);
	}
	free(c->files);
	memset(c, 0, sizeof *c);
}
