/* diag.c - collecting, ordering and printing diagnostics. */
#include "base/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/excerpt.h"
#include "base/mem.h"

#define COLOR_BOLD "\033[1m"
#define COLOR_OFF "\033[0m"

static size_t warning_limit(const diag_list *d)
{
	return d->limit ? d->limit : DIAG_WARNING_LIMIT;
}

/* Count a diagnostic of level; 1 if it is to be stored (an error or a
 * note always, a warning while under the limit). */
static int diag_count(diag_list *d, diag_level level)
{
	if (level == DIAG_ERROR) {
		d->errors++;
		return 1;
	}
	if (level != DIAG_WARNING)
		return 1;
	d->warnings++;
	if (d->stored_warnings >= warning_limit(d))
		return 0;
	d->stored_warnings++;
	return 1;
}

/* Room for one more item. */
static diag *diag_slot(diag_list *d)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = xreallocarray(d->items, d->cap, sizeof *d->items);
	}
	return &d->items[d->n++];
}

static void diag_vadd(diag_list *d, diag_level level, const char *file,
		      int line, int col, const char *fmt, va_list ap)
{
	d->last = 0;
	if (!diag_count(d, level))
		return;
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	diag *g = diag_slot(d);
	g->level = level;
	g->file = file ? xstrdup(file) : NULL;
	g->line = line;
	g->col = col;
	g->message = xstrdup(msg);
	g->hint = NULL;
	d->last = d->n;
}

void diag_add(diag_list *d, diag_level level, const char *file, int line,
	      int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, level, file, line, col, fmt, ap);
	va_end(ap);
}

void diag_io(diag_list *d, const char *file, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, DIAG_ERROR, file, 0, 0, fmt, ap);
	va_end(ap);
	d->io_errors++;
}

void diag_hint(diag_list *d, const char *fmt, ...)
{
	if (!d->last)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag *g = &d->items[d->last - 1];
	free(g->hint);
	g->hint = xstrdup(msg);
}

void diag_append(diag_list *dst, diag_list *src)
{
	for (size_t i = 0; i < src->n; i++) {
		diag *g = &src->items[i];
		if (g->level == DIAG_WARNING &&
		    dst->stored_warnings >= warning_limit(dst)) {
			free(g->file);
			free(g->message);
			free(g->hint);
			continue;
		}
		if (g->level == DIAG_WARNING)
			dst->stored_warnings++;
		*diag_slot(dst) = *g;
	}
	dst->errors += src->errors;
	dst->warnings += src->warnings;
	dst->io_errors += src->io_errors;
	dst->last = 0;
	free(src->items);
	memset(src, 0, sizeof *src);
}

/* The level's name, coloured as compilers colour it. */
static void put_level(diag_level level, int color, FILE *f)
{
	static const char *names[] = {"error", "warning", "note"};
	static const char *colors[] = {"\033[1;31m", "\033[1;35m", "\033[1;36m"};
	if (color)
		fprintf(f, "%s%s:%s ", colors[level], names[level], COLOR_OFF);
	else
		fprintf(f, "%s: ", names[level]);
}

static void print_one(const diag *g, excerpt_cache *cache, int color, FILE *f)
{
	const char *b = color ? COLOR_BOLD : "", *off = color ? COLOR_OFF : "";
	if (g->file && g->line > 0 && g->col > 0)
		fprintf(f, "%s%s:%d:%d:%s ", b, g->file, g->line, g->col, off);
	else if (g->file && g->line > 0)
		fprintf(f, "%s%s:%d:%s ", b, g->file, g->line, off);
	else if (g->file)
		fprintf(f, "%s%s:%s ", b, g->file, off);
	else
		fprintf(f, "%schapbook:%s ", b, off);
	put_level(g->level, color, f);
	fprintf(f, "%s\n", g->message);
	excerpt_print(cache, g->file, g->line, g->col, color, f);
	if (g->hint)
		fprintf(f, "%shint:%s %s\n", color ? "\033[1;32m" : "", off,
			g->hint);
}

void diag_print_color(const diag_list *d, void *stream, int color)
{
	FILE *f = stream;
	excerpt_cache cache = {0};
	for (size_t i = 0; i < d->n; i++) {
		/* One write per diagnostic: stderr is unbuffered, and a
		 * character at a time is a system call each. */
		char *text = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&text, &len);
		print_one(&d->items[i], &cache, color, m ? m : f);
		if (m && fclose(m) == 0)
			fwrite(text, 1, len, f);
		free(text);
	}
	excerpt_cache_free(&cache);
	if (d->warnings > d->stored_warnings)
		fprintf(f, "chapbook: note: ... and %zu more warning%s\n",
			d->warnings - d->stored_warnings,
			d->warnings - d->stored_warnings == 1 ? "" : "s");
}

int diag_color_wanted(void *stream)
{
	const char *no = getenv("NO_COLOR");
	return !(no && *no) && isatty(fileno((FILE *)stream));
}

void diag_print(const diag_list *d, void *stream)
{
	diag_print_color(d, stream, diag_color_wanted(stream));
}

void diag_print_count(const diag_list *d, void *stream)
{
	if (!d->errors && !d->warnings)
		return;
	FILE *f = stream;
	fputs("chapbook: ", f);
	if (d->errors)
		fprintf(f, "%zu error%s", d->errors, d->errors == 1 ? "" : "s");
	if (d->errors && d->warnings)
		fputs(", ", f);
	if (d->warnings)
		fprintf(f, "%zu warning%s", d->warnings,
			d->warnings == 1 ? "" : "s");
	fputc('\n', f);
}

void diag_report(const diag_list *d, int strict, void *stream)
{
	diag_print(d, stream);
	diag_print_count(d, stream);
	diag_print_strict(d, strict, stream);
}

void diag_print_strict(const diag_list *d, int strict, void *stream)
{
	if (strict && d->warnings && !d->errors)
		fprintf(stream, "chapbook: error: failed because of %zu "
			"warning%s and --strict\n", d->warnings,
			d->warnings == 1 ? "" : "s");
}

int diag_exit_code(const diag_list *d, int strict)
{
	if (d->io_errors)
		return 2;
	if (d->errors || (strict && d->warnings))
		return 1;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	const diag *x = a, *y = b;
	int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void diag_sort(diag_list *d)
{
	d->last = 0;
	for (size_t i = 0; i < d->n; i++)
		d->items[i].seq = i;
	if (d->n > 1)
		qsort(d->items, d->n, sizeof *d->items, cmp);
}

void diag_free(diag_list *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].message);
		free(d->items[i].hint);
	}
	free(d->items);
	memset(d, 0, sizeof *d);
}
