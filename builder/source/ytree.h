/* ytree.h - YAML, and JSON read as YAML's flow syntax, into a small tree
 * that keeps the position of every value. Built from libyaml's event
 * parser without recursion: aliases are refused (nothing is ever
 * expanded), nesting and the number of values are bounded, and control
 * characters in values are refused. The Markdown metadata block and CSL
 * bibliographies are read through it. */
#ifndef CHAPBOOK_YTREE_H
#define CHAPBOOK_YTREE_H

#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"
#include "doc/doc.h"

typedef enum yt_kind { YT_SCALAR, YT_SEQ, YT_MAP } yt_kind;

typedef struct yt_node yt_node;
struct yt_node {
	yt_kind kind;
	doc_pos pos;         /* where the value starts (column in characters) */
	const char *text;    /* SCALAR: the value, NUL-terminated */
	size_t len;
	int plain;           /* SCALAR: written without quotes */
	/* SEQ: the items; MAP: key, value, key, value, ... (keys are scalars) */
	yt_node *first, *last, *next;
	size_t n;
};

/* Limits (documented in README). */
#define YT_MAX_DEPTH 64
#define YT_MAX_NODES 2000000

/* Parse the first document of text[0..len). Positions name file, and the
 * text's first line is line first_line of that file. Returns the root
 * (NULL for an empty document, or after an error, reported to d). */
yt_node *yt_parse(const char *text, size_t len, const char *file,
		  int first_line, arena *a, diag_list *d);

/* The value for key in map (NULL when absent or map is not a map). */
const yt_node *yt_get(const yt_node *map, const char *key);

/* 1 for a scalar that stands for nothing: empty, ~ or null unquoted. */
int yt_is_null(const yt_node *v);

/* Warn when v is an unquoted word that YAML 1.1 readers take for yes or
 * no (y, N, yes, off, ...): chapbook keeps the text, but pandoc drops it
 * (a given name "N" vanishes). */
void yt_warn_bool(diag_list *d, const yt_node *v);

/* Report "message" at v's position. */
void yt_error(diag_list *d, const yt_node *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void yt_warning(diag_list *d, const yt_node *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
