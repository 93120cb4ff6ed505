/* source.h - reading a booklet in whichever format its name says:
 * Markdown (.md, .markdown, in any case) or chapbook's XML (anything
 * else). */
#ifndef CHAPBOOK_SOURCE_H
#define CHAPBOOK_SOURCE_H

#include "base/arena.h"
#include "base/diag.h"
#include "doc/doc.h"

/* 1 if path names a Markdown booklet. */
int source_is_markdown(const char *path);

/* The document tree of the booklet at path (NULL after errors, in d). */
doc *source_load(const char *path, arena *a, diag_list *d);

#endif
