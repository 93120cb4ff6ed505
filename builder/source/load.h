/* load.h - reading a booklet: parse the XML safely (no DTD, no entities,
 * no network), check its structure (shape.h), and convert it into
 * chapbook's document tree. */
#ifndef CHAPBOOK_LOAD_H
#define CHAPBOOK_LOAD_H

#include "base/arena.h"
#include "base/diag.h"
#include "doc/doc.h"

/* Returns the tree (in arena a) or NULL when the file cannot be read, is
 * not well-formed or is not valid; diagnostics go to d. */
doc *load_booklet(const char *path, arena *a, diag_list *d);

/* Same, from memory (tests and the fuzzer). path names it in messages. */
doc *load_booklet_memory(const char *data, size_t len, const char *path,
			 arena *a, diag_list *d);

/* Limits on untrusted input (documented in README). */
#define LOAD_MAX_BYTES (64u * 1024 * 1024)
#define LOAD_MAX_DEPTH 64

#endif
