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

/* "Dr Susan Pawlby": one person's name as the source gives it
 * (honorific, given and family names), or the literal name. */
const char *cite_person(arena *a, const doc_name *n);

/* The one author-list formatter, for title pages, covers and document
 * metadata: "Susan Pawlby", "A and B", "A, B and C", each name as
 * cite_person writes it. "" for no names. */
const char *cite_author_list(arena *a, const doc_name *names, size_t n);

/* "Pawlby, Susan" (for sorting, as EPUB's file-as), or the literal name. */
const char *cite_person_sort_as(arena *a, const doc_name *n);

/* One piece of a formatted bibliography entry. href is non-NULL for a
 * URL that check_document accepted (the text is the URL as printed); italic marks a title set in italics
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

/* The fields of a reference, as bits (in the order of cite_field_name). */
enum {
	CITE_F_AUTHOR = 1u << 0, CITE_F_EDITOR = 1u << 1, CITE_F_ISSUED = 1u << 2,
	CITE_F_TITLE = 1u << 3, CITE_F_CONTAINER = 1u << 4,
	CITE_F_VOLUME = 1u << 5, CITE_F_ISSUE = 1u << 6, CITE_F_PAGE = 1u << 7,
	CITE_F_PUBLISHER = 1u << 8, CITE_F_PLACE = 1u << 9,
	CITE_F_URL = 1u << 10, CITE_F_ACCESSED = 1u << 11
};

/* The fields r gives that cite_format_entry does not print (CITE_F_*
 * bits), found by formatting the entry: the formatter marks each field it
 * writes, so this cannot drift from it. check.c warns about each. */
unsigned cite_unprinted_fields(arena *a, const doc_ref *r);

/* "container-title" for CITE_F_CONTAINER: the element's name. */
const char *cite_field_name(unsigned field);

/* The in-text citation of a DOC_CITE node as the seed prints it,
 * "(Gerhardt, 2014; NCT, 2016; Leach, 2017)", as segments: the plain text
 * "(", "; " and ")"; one label per key with ref set to the resolved entry
 * (an unresolved key is plain text); one per extra DOC_LINK child with
 * href set when the checker accepted it (its text flattened). A key's
 * prefix comes before its label after a space, its suffix after it,
 * directly when it starts with ',', ';' or '.' and after a space
 * otherwise, both outside the link: "(see Gerhardt, 2014, p. 4)". An
 * author-in-text citation (in_text) is "Gerhardt (2014)" or "Gerhardt
 * (2014, p. 33)", all of it the one link to the entry; its extra links
 * follow in brackets of their own. Returns the count; *out is arena
 * memory. */
size_t cite_format_group(arena *a, const doc_node *cite, cite_seg **out);

/* "16th January 2020" from "2020-01-16"; "January 2020" from "2020-01";
 * NULL if the date is malformed. */
const char *cite_format_date(arena *a, const char *iso);

/* Sort d->refs into d->refs_sorted: by first author's family (or literal)
 * name, then year, then title, with ICU's collator for the booklet's
 * language (so "Ó Súilleabháin" sorts with the Os, not after "World");
 * stable, O(n log n). */
void cite_sort_refs(doc *d);

#endif
