/* md.h - reading a Markdown booklet: CommonMark through cmark with
 * pandoc's conventions (a YAML metadata block, [@key] citations, heading
 * attributes {#id .tips}), converted into the same document tree as the
 * XML format, so that every check and every output is the same. */
#ifndef CHAPBOOK_MD_H
#define CHAPBOOK_MD_H

#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"
#include "doc/doc.h"

/* Returns the tree (in arena a), or NULL when the file cannot be read or
 * has errors; diagnostics go to d. The limits are the XML's
 * (LOAD_MAX_BYTES, LOAD_MAX_DEPTH in load.h). */
doc *md_load(const char *path, arena *a, diag_list *d);

/* Same, from memory (tests and the fuzzer). path names the file in
 * messages; bibliography files are found beside it. */
doc *md_load_memory(const char *data, size_t len, const char *path,
		    arena *a, diag_list *d);

#endif
