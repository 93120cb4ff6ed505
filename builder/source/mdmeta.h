/* mdmeta.h - the YAML metadata block of a Markdown booklet, read with
 * pandoc's keys (title, abstract, author, publisher, lang, date,
 * identifier, references, bibliography, nocite, reference-section-title)
 * into the tree's meta and the bibliography entries. Internal to md.c. */
#ifndef CHAPBOOK_MDMETA_H
#define CHAPBOOK_MDMETA_H

#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"
#include "doc/doc.h"
#include "source/csl.h"

/* What the metadata gives besides doc->meta. */
typedef struct md_meta {
	csl_refs refs;           /* references: and bibliography: entries */
	const char **nocite;     /* keys listed by nocite: */
	doc_pos *nocite_pos;
	size_t nnocite;
	int nocite_all;          /* nocite: "@*" */
	const char *refs_title;  /* reference-section-title, or NULL */
	doc_pos at;              /* the block's first line, for "missing" */
} md_meta;

/* Read yaml[0..len), which starts at line first_line of the booklet at
 * path (yaml is NULL when the file has no metadata block), into
 * d->meta and *out. Problems go to dl. */
void mdmeta_read(const char *yaml, size_t len, int first_line,
		 const char *path, doc *d, md_meta *out, diag_list *dl);

#endif
