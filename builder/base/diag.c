/* diag.c - collecting, ordering and printing diagnostics. */
#include "base/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dupstr(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

void diag_add(diag_list *d, diag_level level, const char *file, int line,
	      int col, const char *fmt, ...)
{
	if (level == DIAG_ERROR)
		d->errors++;
	else if (level == DIAG_WARNING)
		d->warnings++;
	size_t limit = d->limit ? d->limit : 1000;
	if (d->n >= limit)
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		diag *p = realloc(d->items, cap * sizeof *p);
		if (!p)
			return;
		d->items = p;
		d->cap = cap;
	}
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	size_t len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		msg[--len] = '\0';
	diag *g = &d->items[d->n++];
	g->level = level;
	g->file = dupstr(file);
	g->line = line;
	g->col = col;
	g->message = dupstr(msg);
}

void diag_append(diag_list *dst, diag_list *src)
{
	size_t limit = dst->limit ? dst->limit : 1000;
	for (size_t i = 0; i < src->n; i++) {
		diag *g = &src->items[i];
		if (dst->n < limit && dst->n == dst->cap) {
			size_t cap = dst->cap ? dst->cap * 2 : 16;
			diag *p = realloc(dst->items, cap * sizeof *p);
			if (p) {
				dst->items = p;
				dst->cap = cap;
			}
		}
		if (dst->n < dst->cap && dst->n < limit) {
			dst->items[dst->n++] = *g;
		} else {
			free(g->file);
			free(g->message);
		}
	}
	dst->errors += src->errors;
	dst->warnings += src->warnings;
	free(src->items);
	memset(src, 0, sizeof *src);
}

void diag_print(const diag_list *d, void *stream)
{
	FILE *f = stream;
	static const char *names[] = {"error", "warning", "note"};
	for (size_t i = 0; i < d->n; i++) {
		const diag *g = &d->items[i];
		if (g->file && g->line > 0)
			fprintf(f, "%s:%d:%d: ", g->file, g->line,
				g->col > 0 ? g->col : 1);
		else if (g->file)
			fprintf(f, "%s: ", g->file);
		else
			fputs("chapbook: ", f);
		fprintf(f, "%s: %s\n", names[g->level], g->message);
	}
	size_t limit = d->limit ? d->limit : 1000;
	if (d->errors + d->warnings > limit)
		fprintf(f, "chapbook: note: %zu more diagnostics not shown\n",
			d->errors + d->warnings - limit);
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
	return x < y ? -1 : x > y;
}

void diag_sort(diag_list *d)
{
	if (d->n > 1)
		qsort(d->items, d->n, sizeof *d->items, cmp);
}

void diag_free(diag_list *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].message);
	}
	free(d->items);
	memset(d, 0, sizeof *d);
}
