/* srcpos.h - where each element of a parsed booklet starts (line and
 * column of its '<'), found in one forward scan of the source, so every
 * stage of the loader reports positions in constant time per element, in
 * any order. */
#ifndef CHAPBOOK_SRCPOS_H
#define CHAPBOOK_SRCPOS_H

#include <stddef.h>

#include <libxml/tree.h>

#include "base/arena.h"
#include "doc/doc.h"

/* Scan src (len bytes, already parsed into the tree under root, so
 * well-formed) for its start tags and attach each one's position to the
 * element it opens (in xmlNode._private, arena memory; the source itself
 * in the xmlDoc's _private, for srcpos_attr). Elements are
 * matched to start tags in document order; when the counts disagree
 * (which a well-formed source never does) no position is attached. */
void srcpos_index(const char *src, size_t len, xmlNodePtr root, arena *a);

/* The position of n: the line and column (1-based, in characters) of its
 * start tag when indexed; otherwise libxml2's line and column 0. */
doc_pos srcpos_of(const char *path, xmlNodePtr n);

/* The position of attribute name in element n's start tag (the first
 * character of its name), or the element's position when it cannot be
 * found there. */
doc_pos srcpos_attr(const char *path, xmlNodePtr n, const char *name);

#endif
