/* excerpt.h - the source line under a diagnostic, as the best compilers
 * show it: the line read back from the file being diagnosed (files are read
 * once per report and cached), tabs expanded, control characters and
 * malformed UTF-8 made harmless, long lines clipped around the column, and
 * a caret under the column (counted in characters, as diagnostics count):
 *
 *    14 |     <p>Bonding <cite ref="ayers2061"/>.</p>
 *       |                ^
 */
#ifndef CHAPBOOK_EXCERPT_H
#define CHAPBOOK_EXCERPT_H

#include <stddef.h>
#include <stdio.h>

/* Widest excerpt, in terminal cells, before a line is clipped. */
enum { EXCERPT_WIDTH = 100 };

/* Files read for excerpts, kept for one report. Zero-initialise; free
 * with excerpt_cache_free. */
typedef struct excerpt_cache {
	struct excerpt_file *files;
	size_t n;
} excerpt_cache;

/* Print line `line` of file (and, when col > 0, the caret line) to f,
 * coloured when color is set. Returns 1 if printed, 0 when there is no
 * such line (file unreadable, not regular, line 0 or past the end). */
int excerpt_print(excerpt_cache *c, const char *file, int line, int col,
		  int color, FILE *f);

/* The same for a line given as text (len bytes, no newline): what
 * excerpt_print draws once it has found the line. */
void excerpt_print_text(const char *text, size_t len, int line, int col,
			int color, FILE *f);

void excerpt_cache_free(excerpt_cache *c);

#endif
