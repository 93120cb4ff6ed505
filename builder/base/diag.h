/* diag.h - diagnostics as values: every stage adds to one list, main prints
 * them as "file:line:col: error: message" and picks the exit code. */
#ifndef CHAPBOOK_DIAG_H
#define CHAPBOOK_DIAG_H

#include <stddef.h>

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

typedef struct diag {
	diag_level level;
	char *file;      /* may be NULL (no location) */
	int line, col;   /* 0 when unknown */
	char *message;
} diag;

typedef struct diag_list {
	diag *items;
	size_t n, cap;
	size_t errors, warnings;
	size_t limit;    /* stop storing after this many (0 = 1000) */
} diag_list;

void diag_add(diag_list *d, diag_level level, const char *file, int line,
	      int col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Move src's diagnostics to the end of dst (src is left empty). */
void diag_append(diag_list *dst, diag_list *src);
/* Print all, in the order added, to stderr-like stream f. */
void diag_print(const diag_list *d, void *stream);
/* Sort by file, line, col (stable), for deterministic output. */
void diag_sort(diag_list *d);
void diag_free(diag_list *d);

#endif
