/* csl.h - bibliography entries from CSL items: the metadata's
 * `references:` list (CSL-YAML) and the files named by `bibliography:`
 * (CSL-JSON as Zotero exports it, or CSL-YAML), into doc_ref. Fields are
 * taken as plain text (whitespace collapsed), as the XML's are; every CSL
 * date form gives YYYY, YYYY-MM or YYYY-MM-DD. */
#ifndef CHAPBOOK_CSL_H
#define CHAPBOOK_CSL_H

#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"
#include "doc/doc.h"
#include "source/ytree.h"

/* The entries read so far, in source order (arena memory). */
typedef struct csl_refs {
	doc_ref *items;
	size_t n, cap;
} csl_refs;

/* A bibliography file may be at most this large. */
#define CSL_MAX_BYTES (64u * 1024 * 1024)

/* Append the CSL items of list (a YAML sequence). */
void csl_add_items(csl_refs *out, const yt_node *list, arena *a,
		   diag_list *d);

/* Read the bibliography file that name (a scalar in the metadata) gives,
 * relative to the directory of booklet; it must stay inside that
 * directory. .json is CSL-JSON, .yaml and .yml CSL-YAML (a list, or a
 * mapping with `references:`). Returns 0, or -1 after a diagnostic. */
int csl_read_file(csl_refs *out, const char *booklet, const yt_node *name,
		  arena *a, diag_list *d);

/* The same from text[0..len) (CSL-JSON when json, else CSL-YAML), named
 * path in messages. text is rewritten in place (JSON's surrogate pairs). */
int csl_read_memory(csl_refs *out, char *text, size_t len, int json,
		    const char *path, arena *a, diag_list *d);

/* The ISO form of a CSL date: "2019", 2020-01-16, {date-parts: [[2020,
 * 1, 16]]}, {raw: ...}, {literal: ...}, {year: 2020, month: 1} or a list
 * holding one of these. NULL (and a diagnostic) when v is none of them. */
const char *csl_date(const yt_node *v, arena *a, diag_list *d);

/* 1 if s can be a key or an id: it becomes an anchor in the outputs, so
 * it must be an XML name without ':' (letters, digits, '-', '_', '.', not
 * starting with a digit, '-' or '.'), as the XML format requires. */
int csl_key_ok(const char *s);

#endif
