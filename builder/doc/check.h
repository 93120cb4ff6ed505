/* check.h - the meaning of a booklet beyond the schema: citations resolve
 * (with "did you mean"), ids and keys are unique, references are cited and
 * have the fields their type needs, URLs and dates are well formed. Also
 * resolves citations in the tree (DOC_CITE refs, anchors). */
#ifndef CHAPBOOK_CHECK_H
#define CHAPBOOK_CHECK_H

#include "base/diag.h"
#include "doc/doc.h"

/* Returns the number of errors added to d. */
size_t check_document(doc *doc, diag_list *d);

/* Levenshtein distance, capped: returns cap+1 when it exceeds cap. */
int check_edit_distance(const char *a, const char *b, int cap);

/* 1 if s is an acceptable link: http://host..., https://host...,
 * mailto:addr@host, tel:+digits. The one URL scheme policy of the tool. */
int check_url_ok(const char *s);

/* 1 if s is a well-formed BCP 47 language tag (RFC 5646 syntax:
 * language with up to three extended subtags, then optional script,
 * region, variants, extensions and private use; or private use alone; or
 * one of the irregular grandfathered tags), case-insensitive. The primary
 * language must have 2 or 3 letters: the 4-8 letter forms the syntax
 * reserves are not assigned to any language ("English" is refused). */
int check_language_tag_ok(const char *s);

/* 1 if s is YYYY, YYYY-MM or YYYY-MM-DD with a real month and day. */
int check_date_ok(const char *s);

/* 1 if s is an accessibility conformance a booklet may claim: "WCAG 2.0",
 * "WCAG 2.1" or "WCAG 2.2", a space, then "A", "AA" or "AAA". */
int check_conformance_ok(const char *s);

#endif
