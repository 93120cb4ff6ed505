/* mdinline.h - Markdown inline content into the document tree, for the
 * Markdown reader (md.c, mdmeta.c): text, emphasis and links from cmark's
 * inline nodes, pandoc's citations ([@a; @b], [see @a, p. 4], @a and
 * @a [p. 4]) found in their text, and source positions found in the
 * file's lines (cmark's own inline columns are not exact). */
#ifndef CHAPBOOK_MDINLINE_H
#define CHAPBOOK_MDINLINE_H

#include <stddef.h>
#include <stdint.h>

#include <cmark.h>

#include "base/arena.h"
#include "base/diag.h"
#include "doc/doc.h"

/* The Markdown file as read, indexed by line, for positions. */
typedef struct md_src {
	const char *path;
	const char *s;
	size_t len;
	size_t *line;       /* offset of each line's start; line[nlines] = len + 1 */
	size_t nlines;
	unsigned char *gave_up; /* per line: a search failed there */
	int memo_line;      /* md_src_col's last answer, to count on from */
	size_t memo_byte, memo_col;
} md_src;

void md_src_init(md_src *src, arena *a, const char *path, const char *s,
		 size_t len);

/* The position of cmark's (line, byte column), as line and character
 * column. */
doc_pos md_src_pos(md_src *src, int line, int bytecol);

/* Escaped '@' (\@, &#64;) is handed to cmark with this byte before it:
 * such an '@' never starts a citation. The byte is removed from the
 * tree's text and links. */
#define MD_MARK '\x01'

/* Mark the escaped '@'s of s[0..n) in place (same length): "\@" becomes
 * MD_MARK '@', "&#64;" four marks and '@'. */
void md_mark_escapes(char *s, size_t n);

/* How inline content is placed: from the file (src), or every node at one
 * position (a metadata value such as the abstract). */
typedef struct md_inl {
	arena *a;
	diag_list *d;
	md_src *src;
	doc_pos at;
	int said_html;      /* raw HTML reported in this block (once is enough) */
} md_inl;

/* Convert cmark inline node first and its following siblings into
 * children of to. Nesting depth is bounded by the caller's check. */
void mdi_convert(md_inl *c, cmark_node *first, doc_node *to);

/* Once a block's inlines are converted: find its citations, join
 * adjacent text, drop escape marks, settle positions, and apply the
 * whitespace rule (norm.h). */
void mdi_finish(md_inl *c, doc_node *block);

/* The first node nested deeper than limit under root (cmark's own walk,
 * no recursion), or NULL. */
cmark_node *md_too_deep(cmark_node *root, int limit);

/* pandoc's reading of letters and digits, for citation keys and
 * identifiers: ASCII letters and digits, and any character outside ASCII
 * but punctuation, symbols and spaces. */
int md_is_alnum(uint32_t cp);

/* Length of the citation key that starts s[0..n) (after the '@'), or 0:
 * pandoc's rule, a letter, digit or '_' then letters, digits, '_' and
 * the punctuation :.#$%&-+?<>~/ followed by a letter or digit; or a key
 * in braces, @{...} (then *inner and *inner_len give it). */
size_t mdi_key(const char *s, size_t n, const char **inner, size_t *inner_len);

#endif
