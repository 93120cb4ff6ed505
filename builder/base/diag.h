/* diag.h - diagnostics as values: every stage adds to one list, main prints
 * them as "file:line:col: error: message" and takes the exit code from
 * what they say failed (diag_exit_code). */
#ifndef CHAPBOOK_DIAG_H
#define CHAPBOOK_DIAG_H

#include <stddef.h>

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

/* Warnings stored when diag_list.limit is 0; errors are always stored. */
enum { DIAG_WARNING_LIMIT = 1000 };

typedef struct diag {
	diag_level level;
	char *file;      /* may be NULL (no location) */
	int line, col;   /* 0 when unknown */
	char *message;
	size_t seq;      /* diag_sort's tie-break: the order added */
} diag;

typedef struct diag_list {
	diag *items;
	size_t n, cap;
	size_t errors, warnings;  /* every one added, stored or not */
	size_t io_errors;         /* of the errors, those added by diag_io */
	size_t stored_warnings;   /* warnings in items: at most the limit */
	size_t limit;             /* warnings to store (0 = DIAG_WARNING_LIMIT);
				     the rest are only counted */
} diag_list;

/* Add a diagnostic about the booklet or a style (an error makes the exit
 * code 1). */
void diag_add(diag_list *d, diag_level level, const char *file, int line,
	      int col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Add an error that is not the content's fault: a file that cannot be read
 * or written, a bad option or environment variable (exit code 2). file may
 * be NULL. */
void diag_io(diag_list *d, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Move src's diagnostics to the end of dst (src is left empty); dst's
 * limit applies to src's warnings. */
void diag_append(diag_list *dst, diag_list *src);
/* Print all, in the order added, to stderr-like stream f; then, if
 * warnings went over the limit, "chapbook: note: ... and N more warnings". */
void diag_print(const diag_list *d, void *stream);
/* With strict, when warnings are all that failed: the line saying so
 * ("chapbook: error: failed because of N warnings and --strict"). */
void diag_print_strict(const diag_list *d, int strict, void *stream);
/* The exit code the diagnostics call for: 2 after an I/O or usage error,
 * else 1 after an error (or, with strict, a warning), else 0. */
int diag_exit_code(const diag_list *d, int strict);
/* Sort by file, line, col (stable), for deterministic output. */
void diag_sort(diag_list *d);
void diag_free(diag_list *d);

#endif
