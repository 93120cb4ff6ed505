/* srcpos.c - element positions from one forward scan of the source (see
 * srcpos.h). Replaces a search from the line start per element, which was
 * quadratic on a long line (40,000 <em> on one line took 17 s). */
#include "source/srcpos.h"

#include <string.h>

#include "base/utf8.h"

typedef struct srcpos {
	int line, col;
} srcpos;

/* 1 if s[i..len) starts with lit. */
static int srcpos_at(const char *s, size_t len, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	return len - i >= n && memcmp(s + i, lit, n) == 0;
}

/* The positions of every start tag, in source order. A well-formed source
 * has '<' only where markup starts, so outside comments, CDATA sections,
 * processing instructions and declarations each '<' not followed by '/'
 * opens an element. Returns the count; *out is arena memory. */
static size_t srcpos_scan(const char *s, size_t len, arena *a, srcpos **out)
{
	size_t n = 0, cap = 64;
	srcpos *v = arena_alloc(a, cap * sizeof *v);
	int line = 1, mark_col = 1;
	size_t mark = 0;             /* a byte offset on this line at mark_col */
	const char *until = NULL;    /* the end of the construct we are in */
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '\n') {
			line++;
			mark = i + 1;
			mark_col = 1;
			continue;
		}
		if (until) {
			if (c == until[0] && srcpos_at(s, len, i, until)) {
				i += strlen(until) - 1;
				until = NULL;
			}
			continue;
		}
		if (c != '<' || i + 1 >= len)
			continue;
		if (srcpos_at(s, len, i, "<!--")) {
			until = "-->", i += 3;
		} else if (srcpos_at(s, len, i, "<![CDATA[")) {
			until = "]]>", i += 8;
		} else if (s[i + 1] == '?') {
			until = "?>", i += 1;
		} else if (s[i + 1] == '!') {
			until = ">";
		} else if (s[i + 1] != '/') {
			int col = mark_col + (int)utf8_count(s + mark, i - mark);
			if (n == cap) {
				v = arena_grow(a, v, n, cap * 2, sizeof *v);
				cap *= 2;
			}
			v[n++] = (srcpos){line, col};
			mark = i;
			mark_col = col;
		}
	}
	*out = v;
	return n;
}

/* The next element after n in document order within root, or NULL. */
static xmlNodePtr srcpos_next(xmlNodePtr root, xmlNodePtr n)
{
	if (n->children && n->type == XML_ELEMENT_NODE)
		return n->children;
	while (n != root && !n->next)
		n = n->parent;
	return n == root ? NULL : n->next;
}

void srcpos_index(const char *src, size_t len, xmlNodePtr root, arena *a)
{
	srcpos *v = NULL;
	size_t n = srcpos_scan(src, len, a, &v);
	size_t k = 0;
	/* One walk (the tree is large and scattered: each walk costs a
	 * cache miss per node), undone in the case that cannot happen. */
	for (xmlNodePtr x = root; x; x = srcpos_next(root, x))
		if (x->type == XML_ELEMENT_NODE && k++ < n)
			x->_private = &v[k - 1];
	if (k == n)
		return;
	for (xmlNodePtr x = root; x; x = srcpos_next(root, x))
		x->_private = NULL;
}

doc_pos srcpos_of(const char *path, xmlNodePtr n)
{
	doc_pos p = {path, 0, 0};
	if (!n)
		return p;
	if (n->type == XML_ELEMENT_NODE && n->_private) {
		const srcpos *s = n->_private;
		p.line = s->line;
		p.col = s->col;
		return p;
	}
	long line = xmlGetLineNo(n);
	p.line = line > 0 && line < 0x7fffffff ? (int)line : 0;
	return p;
}
