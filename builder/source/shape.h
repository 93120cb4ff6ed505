/* shape.h - the booklet's structure, checked element by element, as the
 * RelaxNG grammar booklet.rng says it (test_schema holds it to that):
 * which elements may hold which, in what order and how often, which
 * attributes they take, and well-formed ids and keys. Each mistake is
 * reported at the offending element's own line and column with what is
 * allowed there. */
#ifndef CHAPBOOK_SHAPE_H
#define CHAPBOOK_SHAPE_H

#include <stddef.h>

#include <libxml/tree.h>

#include "base/diag.h"

/* Check every element of the tree under root (positions from srcpos);
 * diagnostics go to d. Nesting deeper than max_depth levels is an error
 * that stops the check (later stages recurse). Returns the number of
 * errors. Linear in the size of the tree, without recursion. */
size_t shape_check(xmlNodePtr root, const char *path, int max_depth,
		   diag_list *d);

/* The value of attribute name on x as the tree holds it (no copy), or
 * NULL when absent. A booklet has no DTD and so no entity references:
 * the value is one text node (or none, for an empty value: ""). */
const char *shape_attr(xmlNodePtr x, const char *name);

/* 1 if name[0..len) is the name of a booklet element. */
int shape_known_element(const char *name, size_t len);

#endif
