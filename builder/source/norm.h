/* norm.h - the whitespace rule of booklet text, shared by the source
 * formats: runs of spaces, tabs and line breaks become one space, a block
 * (a paragraph or a title) is trimmed at its start, and at its end when
 * text is its last content (a space before a trailing citation stays); a
 * citation counts as a word, so the space after it stays too; text that
 * collapses to nothing is unlinked. */
#ifndef CHAPBOOK_NORM_H
#define CHAPBOOK_NORM_H

#include <stddef.h>

#include "base/arena.h"
#include "doc/doc.h"

/* Collapse the whitespace of every DOC_TEXT under block, in place. */
void norm_block(doc_node *block);

/* A copy of s[0..n) in arena a with whitespace runs collapsed and both
 * ends trimmed (the rule for plain fields: names, titles, dates). */
char *norm_text(arena *a, const char *s, size_t n);

#endif
