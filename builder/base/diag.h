/* diag.h - diagnostics as values: every stage adds to one list, main prints
 * them as "file:line:col: error: message" (with the source line, a caret
 * under the column and an optional hint) and takes the exit code from
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
	char *hint;      /* NULL, or advice in plain words ("write &amp; for
			    a literal ampersand"), printed as "hint: ..." */
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
	size_t last;              /* 1 + index of the item the last add
				     stored; 0 when it was only counted */
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
/* Attach a hint to the diagnostic added last (replacing any hint it has);
 * nothing when that one was only counted (a warning over the limit). */
void diag_hint(diag_list *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Move src's diagnostics to the end of dst (src is left empty); dst's
 * limit applies to src's warnings. */
void diag_append(diag_list *dst, diag_list *src);
/* Print all, in the order they stand, to stderr-like stream f: each as
 * "file:line:col: level: message", then the source line with a caret under
 * the column when the file can be read back (no caret when col is 0), then
 * "hint: ..." when it has one. Then, if warnings went over the limit,
 * "chapbook: note: ... and N more warnings". Coloured when
 * diag_color_wanted(stream). */
void diag_print(const diag_list *d, void *stream);
/* The same, coloured or not as color says. */
void diag_print_color(const diag_list *d, void *stream, int color);
/* 1 when stream is a terminal and NO_COLOR is unset or empty. */
int diag_color_wanted(void *stream);
/* The closing count, when there was any error or warning:
 * "chapbook: 2 errors, 1 warning". */
void diag_print_count(const diag_list *d, void *stream);
/* With strict, when warnings are all that failed: the line saying so
 * ("chapbook: error: failed because of N warnings and --strict"). */
void diag_print_strict(const diag_list *d, int strict, void *stream);
/* The exit code the diagnostics call for: 2 after an I/O or usage error,
 * else 1 after an error (or, with strict, a warning), else 0. */
int diag_exit_code(const diag_list *d, int strict);
/* All of the report, in order: diag_print, diag_print_count,
 * diag_print_strict. */
void diag_report(const diag_list *d, int strict, void *stream);
/* Sort by file, line, col (stable), for deterministic output. */
void diag_sort(diag_list *d);
void diag_free(diag_list *d);

#endif
