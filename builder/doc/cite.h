/* cite.h - the one home of citation and bibliography formatting (Harvard,
 * as the NCT seed prints it). Every renderer (EPUB, PDF) asks here; none
 * formats a name, a year or an entry itself. */
#ifndef CHAPBOOK_CITE_H
#define CHAPBOOK_CITE_H

#include "base/arena.h"
#include "doc/doc.h"

/* "Ayers et al, 2016", "Pawlby and Fernyhough, 2009", "NCT, 2016",
 * "Gerhardt, 2014" - the name-year label of one entry, without brackets. */
const char *cite_label(arena *a, const doc_ref *r);

/* One piece of a formatted bibliography entry. href is non-NULL for a
 * URL (the text is the URL as printed); italic marks a title set in italics
 * where the style wants it (not used by the seed's style, kept 0). */
typedef struct cite_seg {
	const char *text;
	const char *href;
	int italic;
	const doc_ref *ref;  /* cite_format_group: the entry this label cites */
} cite_seg;

/* The full entry as the seed formats it:
 * "Ayers S, Bond R, Bertullies S, Wijma K. (2016) The aetiology of ...
 *  Psychological Medicine. 46(6): 1121-1134. Available at: URL
 *  [accessed 16th January 2020]."
 * Returns the number of segments; *out is arena memory. */
size_t cite_format_entry(arena *a, const doc_ref *r, cite_seg **out);

/* The in-text citation of a DOC_CITE node as the seed prints it,
 * "(Gerhardt, 2014; NCT, 2016; Leach, 2017)", as segments: the plain text
 * "(", "; " and ")"; one label per key with ref set to the resolved entry
 * (an unresolved key is plain text); one per extra DOC_LINK child with
 * href set (its text flattened). Returns the count; *out is arena memory. */
size_t cite_format_group(arena *a, const doc_node *cite, cite_seg **out);

/* "16th January 2020" from "2020-01-16"; "January 2020" from "2020-01";
 * NULL if the date is malformed. */
const char *cite_format_date(arena *a, const char *iso);

/* Sort d->refs into d->refs_sorted: by first author's family (or literal)
 * name, then year, then title. */
void cite_sort_refs(doc *d);

#endif
