/* srcpos.c - element positions from one forward scan of the source (see
 * srcpos.h). Replaces a search from the line start per element, which was
 * quadratic on a long line (40,000 <em> on one line took 17 s). */
#include "source/srcpos.h"

#include <string.h>

#include "base/utf8.h"

typedef struct srcpos {
	int line, col;
	size_t off;   /* of the '<' */
} srcpos;

/* The source the positions are in (kept in the xmlDoc's _private). */
typedef struct srcpos_src {
	const char *s;
	size_t len;
} srcpos_src;

/* The scan's place: the line, and a byte offset on it with its column. */
typedef struct srcpos_scan_at {
	int line, mark_col;
	size_t mark;
} srcpos_scan_at;

/* Move over s[from..to), counting the lines it ends. */
static void srcpos_lines(srcpos_scan_at *at, const char *s, size_t from,
			 size_t to)
{
	const char *p = s + from, *end = s + to;
	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		at->line++;
		at->mark = (size_t)(++p - s);
		at->mark_col = 1;
	}
}

/* The offset just past the first lit at or after i (len if none). */
static size_t srcpos_past(const char *s, size_t len, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	for (const char *p = s + i; (p = memchr(p, lit[0], len - (size_t)(p - s)));
	     p++)
		if ((size_t)(s + len - p) >= n && !memcmp(p, lit, n))
			return (size_t)(p - s) + n;
	return len;
}

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
	srcpos_scan_at at = {1, 1, 0};
	for (size_t i = 0; i < len;) {
		const char *lt = memchr(s + i, '<', len - i);
		size_t j = lt ? (size_t)(lt - s) : len;
		srcpos_lines(&at, s, i, j);
		if (j + 1 >= len)
			break;
		const char *until = NULL;
		if (srcpos_at(s, len, j, "<!--"))
			until = "-->";
		else if (srcpos_at(s, len, j, "<![CDATA["))
			until = "]]>";
		else if (s[j + 1] == '?')
			until = "?>";
		else if (s[j + 1] == '!')
			until = ">";
		if (until) {
			i = srcpos_past(s, len, j + 2, until);
			srcpos_lines(&at, s, j, i);
			continue;
		}
		if (s[j + 1] != '/') {
			int col = at.mark_col + (int)utf8_count(s + at.mark, j - at.mark);
			if (n == cap) {
				v = arena_grow(a, v, n, cap * 2, sizeof *v);
				cap *= 2;
			}
			v[n++] = (srcpos){at.line, col, j};
			at.mark = j;
			at.mark_col = col;
		}
		i = j + 1;
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
	if (root->doc) {
		srcpos_src *ss = arena_alloc(a, sizeof *ss);
		*ss = (srcpos_src){src, len};
		root->doc->_private = ss;
	}
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

/* A start tag read from its '<' on: where the reader is, on which line,
 * and a mark on that line whose column is known. */
typedef struct srcpos_tag {
	const char *s;
	size_t len, k, mark;
	int line, mark_col;
} srcpos_tag;

static void srcpos_tag_step(srcpos_tag *t)
{
	if (t->s[t->k++] == '\n') {
		t->line++;
		t->mark = t->k;
		t->mark_col = 1;
	}
}

static int srcpos_tag_space(const srcpos_tag *t)
{
	char c = t->k < t->len ? t->s[t->k] : 0;
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The length of the attribute name at the reader (up to '=', a space or
 * the tag's end). */
static size_t srcpos_tag_name(const srcpos_tag *t)
{
	size_t k = t->k;
	while (k < t->len && !strchr("= \t\r\n/>\"'", t->s[k]))
		k++;
	return k - t->k;
}

doc_pos srcpos_attr(const char *path, xmlNodePtr x, const char *name)
{
	doc_pos p = srcpos_of(path, x);
	const srcpos *e = x && x->type == XML_ELEMENT_NODE ? x->_private : NULL;
	const srcpos_src *src = e && x->doc ? x->doc->_private : NULL;
	if (!src || e->off >= src->len)
		return p;
	srcpos_tag t = {src->s, src->len, e->off + 1, e->off, e->line, e->col};
	t.k += srcpos_tag_name(&t);
	size_t n = strlen(name);
	while (t.k < t.len) {
		while (srcpos_tag_space(&t))
			srcpos_tag_step(&t);
		size_t an = srcpos_tag_name(&t);
		if (!an)
			break;
		if (an == n && !memcmp(t.s + t.k, name, n)) {
			p.line = t.line;
			p.col = t.mark_col + (int)utf8_count(t.s + t.mark, t.k - t.mark);
			return p;
		}
		t.k += an;
		while (srcpos_tag_space(&t))
			srcpos_tag_step(&t);
		if (t.k >= t.len || t.s[t.k] != '=')
			break;
		t.k++;
		while (srcpos_tag_space(&t))
			srcpos_tag_step(&t);
		if (t.k >= t.len || (t.s[t.k] != '"' && t.s[t.k] != '\''))
			break;
		char q = t.s[t.k++];
		while (t.k < t.len && t.s[t.k] != q)
			srcpos_tag_step(&t);
		t.k++;
	}
	return p;
}
