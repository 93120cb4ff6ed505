/* mdinline.c - Markdown inlines into the document tree: cmark's inline
 * nodes, pandoc's citations found in their text, and positions found in
 * the source lines (see mdinline.h). */
#include "source/mdinline.h"

#include <string.h>

#include "base/utf8.h"
#include "source/norm.h"

#define MD_MAX_KEY 256   /* longer "keys" are taken as text */

/* ---- positions ---------------------------------------------------------- */

void md_src_init(md_src *src, arena *a, const char *path, const char *s,
		 size_t len)
{
	memset(src, 0, sizeof *src);
	src->path = path;
	src->s = s;
	src->len = len;
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	src->line = arena_alloc(a, (n + 1) * sizeof *src->line);
	src->gave_up = arena_alloc(a, n + 1);
	size_t k = 0;
	src->line[k++] = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\n')
			src->line[k++] = i + 1;
	src->line[n] = len + 1;
	src->nlines = n;
}

static size_t md_line_len(const md_src *src, int line)
{
	return src->line[line] - 1 - src->line[line - 1];
}

doc_pos md_src_pos(md_src *src, int line, int bytecol)
{
	doc_pos p = {src->path, line, 1};
	if (line < 1 || (size_t)line > src->nlines) {
		p.line = line < 1 ? 1 : (int)src->nlines;
		return p;
	}
	size_t b = bytecol > 1 ? (size_t)bytecol - 1 : 0;
	size_t n = md_line_len(src, line);
	if (b > n)
		b = n;
	const char *start = src->s + src->line[line - 1];
	if (src->memo_line != line || src->memo_byte > b) {
		src->memo_line = line;
		src->memo_byte = 0;
		src->memo_col = 1;
	}
	src->memo_col += utf8_count(start + src->memo_byte, b - src->memo_byte);
	src->memo_byte = b;
	p.col = (int)src->memo_col;
	return p;
}

/* Byte offset in line of needle, searched from byte offset from; -1
 * when absent. A line where a search failed is not searched again, so
 * that a hostile line costs linear time. */
static long md_src_find(md_src *src, int line, size_t from,
			const char *needle, size_t n)
{
	if (!src || line < 1 || (size_t)line > src->nlines || n == 0 ||
	    src->gave_up[line - 1])
		return -1;
	const char *start = src->s + src->line[line - 1];
	size_t len = md_line_len(src, line);
	for (size_t i = from; i + n <= len; i++) {
		const char *p = memchr(start + i, needle[0], len - i - n + 1);
		if (!p)
			break;
		i = (size_t)(p - start);
		if (!memcmp(p, needle, n) && !(i > 0 && start[i - 1] == '\\'))
			return (long)i;
	}
	src->gave_up[line - 1] = 1;
	return -1;
}

void md_mark_escapes(char *s, size_t n)
{
	static const char *const at_entities[] = {"&#64;", "&#x40;", "&#X40;",
						  "&commat;"};
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			if (s[i + 1] == '@')
				s[i] = MD_MARK;
			i++;   /* an escaped character, whatever it is */
			continue;
		}
		if (s[i] != '&')
			continue;
		for (size_t e = 0; e < sizeof at_entities / sizeof *at_entities; e++) {
			size_t len = strlen(at_entities[e]);
			if (i + len <= n && !memcmp(s + i, at_entities[e], len)) {
				memset(s + i, MD_MARK, len - 1);
				s[i + len - 1] = '@';
				i += len - 1;
				break;
			}
		}
	}
}

/* ---- characters and keys ------------------------------------------------ */

int md_is_alnum(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		       (cp >= '0' && cp <= '9');
	if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7)
		return 0;   /* Latin-1 controls, punctuation and symbols */
	if ((cp >= 0x2000 && cp <= 0x2BFF) ||   /* punctuation, symbols */
	    (cp >= 0x2E00 && cp <= 0x2E7F) ||
	    (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFE10 && cp <= 0xFE6F) ||
	    (cp >= 0xFF00 && cp <= 0xFF0F) ||
	    (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0xFF3B && cp <= 0xFF40) ||
	    (cp >= 0xFF5B && cp <= 0xFF65) ||
	    (cp >= 0xFFF0 && cp <= 0xFFFF) ||
	    (cp >= 0x1F000 && cp <= 0x1FAFF))   /* emoji */
		return 0;
	return 1;
}

static uint32_t mdi_cp(const char *s, size_t n, size_t *used)
{
	return utf8_decode(s, n, used);
}

static int mdi_key_char(const char *s, size_t n, size_t *used)
{
	uint32_t cp = mdi_cp(s, n, used);
	return cp == '_' || md_is_alnum(cp);
}

size_t mdi_key(const char *s, size_t n, const char **inner, size_t *inner_len)
{
	if (n >= 2 && s[0] == '{') {
		size_t i = 1;
		while (i < n && s[i] != '}' && s[i] != '{')
			i++;
		if (i >= n || s[i] != '}' || i == 1 || i - 1 > MD_MAX_KEY)
			return 0;
		*inner = s + 1;
		*inner_len = i - 1;
		return i + 1;
	}
	size_t i = 0, used;
	while (i < n) {
		if (mdi_key_char(s + i, n - i, &used)) {
			i += used;
			continue;
		}
		if (i > 0 && strchr(":.#$%&-+?<>~/", s[i]) && s[i] &&
		    i + 1 < n && mdi_key_char(s + i + 1, n - i - 1, &used)) {
			i++;
			continue;
		}
		break;
	}
	if (i == 0 || i > MD_MAX_KEY)
		return 0;
	*inner = s;
	*inner_len = i;
	return i;
}

cmark_node *md_too_deep(cmark_node *root, int limit)
{
	cmark_iter *it = cmark_iter_new(root);
	cmark_node *found = NULL;
	int depth = 0;
	cmark_event_type ev;
	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_EXIT) {
			depth--;
			continue;
		}
		if (depth > limit)
			found = n;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT: case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK: case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE: case CMARK_NODE_CODE_BLOCK:
		case CMARK_NODE_HTML_BLOCK: case CMARK_NODE_THEMATIC_BREAK:
			break;   /* leaves: no exit event */
		default:
			depth++;
		}
	}
	cmark_iter_free(it);
	return found;
}

/* ---- tree surgery ------------------------------------------------------- */

static void mdi_unlink(doc_node *n)
{
	doc_node *p = n->parent;
	if (n->prev)
		n->prev->next = n->next;
	else
		p->first = n->next;
	if (n->next)
		n->next->prev = n->prev;
	else
		p->last = n->prev;
	n->parent = n->prev = n->next = NULL;
}

static void mdi_insert_after(doc_node *at, doc_node *n)
{
	n->parent = at->parent;
	n->prev = at;
	n->next = at->next;
	if (at->next)
		at->next->prev = n;
	else
		at->parent->last = n;
	at->next = n;
}

static doc_node *mdi_text(md_inl *c, const char *s, size_t n, doc_pos pos)
{
	doc_node *t = doc_node_new(c->a, DOC_TEXT, pos);
	t->text = arena_strndup(c->a, s, n);
	return t;
}

/* ---- conversion of cmark's inlines ------------------------------------- */

static doc_pos mdi_pos(md_inl *c, cmark_node *k)
{
	if (!c->src)
		return c->at;
	/* byte columns for now: mdi_finish turns them into characters */
	doc_pos p = {c->src->path, cmark_node_get_start_line(k),
		     cmark_node_get_start_column(k)};
	return p;
}

/* A copy of s without escape marks. */
static char *mdi_unmark(arena *a, const char *s)
{
	size_t n = strlen(s);
	char *out = arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != MD_MARK)
			out[k++] = s[i];
	out[k] = '\0';
	return out;
}

static int mdi_is_comment(const char *html)
{
	size_t n = html ? strlen(html) : 0;
	while (n && (html[n - 1] == '\n' || html[n - 1] == ' '))
		n--;
	return n >= 7 && !strncmp(html, "<!--", 4) && !strncmp(html + n - 3, "-->", 3);
}

/* The position of a link: cmark's, unless it misses the '[' or '<' that
 * starts it (autolinks in list items), then the '<' searched for. */
static doc_pos mdi_link_pos(md_inl *c, cmark_node *k)
{
	doc_pos p = mdi_pos(c, k);
	if (!c->src || p.line < 1 || (size_t)p.line > c->src->nlines)
		return p;
	const char *line = c->src->s + c->src->line[p.line - 1];
	size_t len = md_line_len(c->src, p.line);
	size_t b = p.col > 0 ? (size_t)p.col - 1 : 0;
	if (b < len && (line[b] == '[' || line[b] == '<'))
		return p;
	for (size_t i = b; i < len; i++)
		if (line[i] == '<') {
			p.col = (int)i + 1;
			break;
		}
	return p;
}

/* The line that holds p (a byte column), or NULL; its length in *len. */
static const char *mdi_line(md_inl *c, doc_pos p, size_t *len)
{
	if (!c->src || p.line < 1 || (size_t)p.line > c->src->nlines)
		return NULL;
	*len = md_line_len(c->src, p.line);
	return c->src->s + c->src->line[p.line - 1];
}

static void mdi_error(md_inl *c, cmark_node *k, const char *msg)
{
	doc_pos p = mdi_pos(c, k);
	size_t len;
	const char *line = mdi_line(c, p, &len);
	/* cmark places inline code one column after its backtick */
	if (line && cmark_node_get_type(k) == CMARK_NODE_CODE && p.col > 1 &&
	    (size_t)p.col - 2 < len && line[p.col - 2] == '`')
		p.col--;
	if (c->src)
		p = md_src_pos(c->src, p.line, p.col);
	diag_add(c->d, DIAG_ERROR, p.file, p.line, p.col, "%s", msg);
}

/* A hard line break after the last child of to: said where it is, at
 * the '\\' or the first of the trailing spaces that end its line. */
static void mdi_line_break(md_inl *c, doc_node *to)
{
	doc_pos p = to->last ? to->last->pos : to->pos;
	size_t len;
	const char *line = to->last ? mdi_line(c, p, &len) : NULL;
	if (line) {
		while (len && (line[len - 1] == '\r'))
			len--;
		size_t end = len;
		while (end && line[end - 1] == ' ')
			end--;
		if (end == len && end && line[end - 1] == '\\')
			end--;
		p.col = (int)end + 1;
		p = md_src_pos(c->src, p.line, p.col);
	}
	diag_add(c->d, DIAG_WARNING, p.file, p.line, p.col,
		 "a line break (two spaces or '\\' at the end of a line) is set as a space");
}

/* A warning at p (a byte column) with a hint. */
static void mdi_warn(md_inl *c, doc_pos p, const char *hint, const char *msg)
{
	if (c->src)
		p = md_src_pos(c->src, p.line, p.col);
	diag_add(c->d, DIAG_WARNING, p.file, p.line, p.col, "%s", msg);
	diag_hint(c->d, "%s", hint);
}

/* 1 for a space (or the edge of the text) in the flanking rules. */
static int mdi_flank_space(uint32_t cp)
{
	return cp == 0 || cp == ' ' || cp == '\t' || cp == 0xA0;
}

/* The byte offset of needle[0..n) on the source line holding p, at or
 * after byte from, not just after a backslash; -1 when it is not there.
 * (md_src_find's misses mark a line for good; a slip is only looked
 * for.) */
static long mdi_find_on_line(md_inl *c, doc_pos p, size_t from,
			     const char *needle, size_t n)
{
	size_t len;
	const char *line = mdi_line(c, p, &len);
	for (size_t i = from; line && n && i + n <= len; i++) {
		const char *q = memchr(line + i, needle[0], len - i - n + 1);
		if (!q)
			break;
		i = (size_t)(q - line);
		if (!memcmp(q, needle, n) && !(i > 0 && line[i - 1] == '\\'))
			return (long)i;
	}
	return -1;
}

/* The character of a text node's literal s before offset i, or after
 * offset j; at the node's edge, a letter when an inline node (emphasis, a
 * link) touches it there, else a space. */
static uint32_t mdi_before(cmark_node *k, const char *s, size_t i)
{
	size_t used;
	if (i > 0) {
		size_t st = utf8_prev(s, i);
		return mdi_cp(s + st, i - st, &used);
	}
	cmark_node *o = cmark_node_previous(k);
	return o && cmark_node_get_type(o) != CMARK_NODE_SOFTBREAK &&
	       cmark_node_get_type(o) != CMARK_NODE_LINEBREAK ? 'a' : 0;
}

static uint32_t mdi_after(cmark_node *k, const char *s, size_t j)
{
	size_t used;
	if (s[j])
		return mdi_cp(s + j, strlen(s + j), &used);
	cmark_node *o = cmark_node_next(k);
	return o && cmark_node_get_type(o) != CMARK_NODE_SOFTBREAK &&
	       cmark_node_get_type(o) != CMARK_NODE_LINEBREAK ? 'a' : 0;
}

/* 1 for the characters a slip's context is matched on in the source
 * (what cmark's smart punctuation, escapes and entities leave as they
 * were written). */
static int mdi_plain(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || (ch && strchr(" ,;:!?()", ch));
}

/* Where s[i..j) of text node k is in the source (a byte column), found
 * by its plain neighbours on k's line from byte *from on (then moved past
 * it); 0 when it cannot be found, as after an escape (\*). */
static int mdi_locate(md_inl *c, cmark_node *k, const char *s, size_t i,
		      size_t j, size_t *from, doc_pos *at)
{
	size_t a = i, b = j;
	while (b < j + 6 && mdi_plain(s[b]))
		b++;
	if (b == j)
		while (a > 0 && a + 6 > i && mdi_plain(s[a - 1]))
			a--;
	doc_pos p = mdi_pos(c, k);
	long off = mdi_find_on_line(c, p, *from, s + a, b - a);
	if (off < 0)
		return 0;
	p.col = (int)((size_t)off + (i - a)) + 1;
	*from = (size_t)p.col - 1 + (j - i);
	*at = p;
	return 1;
}

/* Slips in the text of node k that cmark prints as they are: a run of
 * '*' or '_' that opened or closed no emphasis (where CommonMark's
 * flanking rules say it could have: one between spaces, or '_' inside a
 * word, is a plain character), and "[text] (https://...)", which a space
 * keeps from being a link. Each a warning with a hint. */
static void mdi_text_slips(md_inl *c, cmark_node *k, const char *s)
{
	size_t from = 0;
	if (!c->src)
		return;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == ']' && s[i + 1] == ' ' && s[i + 2] == '(' &&
		    (!strncmp(s + i + 3, "http", 4) || !strncmp(s + i + 3, "mailto:", 7) ||
		     !strncmp(s + i + 3, "tel:", 4))) {
			doc_pos at;
			if (mdi_locate(c, k, s, i, i + 1, &from, &at))
				mdi_warn(c, at, "write [text](https://...) with nothing between ']' and '('",
					 "not a link: a space between ']' and '(' leaves both printed as text");
			continue;
		}
		if (s[i] != '*' && s[i] != '_')
			continue;
		size_t j = i;
		while (s[j] == s[i])
			j++;
		uint32_t before = mdi_before(k, s, i), after = mdi_after(k, s, j);
		int sp_b = mdi_flank_space(before), sp_a = mdi_flank_space(after);
		int pu_b = !sp_b && !md_is_alnum(before), pu_a = !sp_a && !md_is_alnum(after);
		int left = !sp_a && (!pu_a || sp_b || pu_b);
		int right = !sp_b && (!pu_b || sp_a || pu_a);
		doc_pos at;
		if ((left || right) && !(s[i] == '_' && left && right) &&
		    mdi_locate(c, k, s, i, j, &from, &at)) {
			char msg[64];
			snprintf(msg, sizeof msg, "unmatched '%.*s'%s is printed as it is",
				 (int)(j - i > 8 ? 8 : j - i), s + i, j - i > 8 ? "..." : "");
			mdi_warn(c, at, s[i] == '*'
				 ? "*emphasis* needs a '*' at each end, **strong** two; write \\* for an asterisk"
				 : "_emphasis_ needs a '_' at each end, __strong__ two; write \\_ for an underscore",
				 msg);
		}
		i = j - 1;
	}
}

void mdi_convert(md_inl *c, cmark_node *k, doc_node *to)
{
	for (; k; k = cmark_node_next(k)) {
		doc_node *n = NULL;
		switch (cmark_node_get_type(k)) {
		case CMARK_NODE_TEXT: {
			const char *s = cmark_node_get_literal(k);
			mdi_text_slips(c, k, s);
			n = mdi_text(c, s, strlen(s), mdi_pos(c, k));
			break;
		}
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			if (cmark_node_get_type(k) == CMARK_NODE_LINEBREAK)
				mdi_line_break(c, to);
			n = mdi_text(c, " ", 1, to->last ? to->last->pos : to->pos);
			break;
		case CMARK_NODE_EMPH:
		case CMARK_NODE_STRONG:
			n = doc_node_new(c->a, cmark_node_get_type(k) == CMARK_NODE_EMPH
						       ? DOC_EMPH : DOC_STRONG,
					 mdi_pos(c, k));
			doc_append(to, n);
			mdi_convert(c, cmark_node_first_child(k), n);
			continue;
		case CMARK_NODE_LINK:
			n = doc_node_new(c->a, DOC_LINK, mdi_link_pos(c, k));
			n->text = mdi_unmark(c->a, cmark_node_get_url(k));
			doc_append(to, n);
			mdi_convert(c, cmark_node_first_child(k), n);
			continue;
		case CMARK_NODE_HTML_INLINE:
			if (mdi_is_comment(cmark_node_get_literal(k)) || c->said_html)
				continue;
			c->said_html = 1;
			mdi_error(c, k, "raw HTML is not allowed in a booklet; write Markdown (*emphasis*, **strong**, [text](https://...))");
			continue;
		case CMARK_NODE_CODE:
			mdi_error(c, k, "inline code (`...`) has no place in a booklet; write the text plainly");
			continue;
		case CMARK_NODE_IMAGE:
			mdi_error(c, k, "images are not supported in a booklet");
			continue;
		default:
			mdi_error(c, k, "this Markdown has no place in a booklet");
			continue;
		}
		doc_append(to, n);
	}
}

/* ---- citations ---------------------------------------------------------- */

/* A run of a citation's content: part of a text node, or a whole node
 * (emphasis, a link). node NULL marks a ';' between items. */
typedef struct mdi_seg {
	doc_node *node;
	size_t from, to;
} mdi_seg;

typedef struct mdi_segs {
	mdi_seg *v;
	size_t n, cap;
} mdi_segs;

static void mdi_seg_push(md_inl *c, mdi_segs *s, doc_node *node, size_t from,
			 size_t to)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		s->v = arena_grow(c->a, s->v, s->n, cap, sizeof *s->v);
		s->cap = cap;
	}
	s->v[s->n++] = (mdi_seg){node, from, to};
}

/* The ']' that closes a bracket opened before (n, i), across the
 * following siblings; 0 when a '[' comes first or there is none. */
static int mdi_close(doc_node *n, size_t i, doc_node **en, size_t *ei)
{
	for (doc_node *k = n; k; k = k->next, i = 0) {
		if (k->type != DOC_TEXT)
			continue;
		for (const char *p = k->text + i; *p; p++) {
			if (*p == '[')
				return 0;
			if (*p == ']') {
				*en = k;
				*ei = (size_t)(p - k->text);
				return 1;
			}
		}
	}
	return 0;
}

/* The segments from (n, i) up to (en, ei), split at ';' when split. */
static void mdi_segments(md_inl *c, mdi_segs *s, doc_node *n, size_t i,
			 doc_node *en, size_t ei, int split)
{
	for (doc_node *k = n;; k = k->next, i = 0) {
		if (k->type != DOC_TEXT) {
			mdi_seg_push(c, s, k, 0, 0);
			continue;
		}
		size_t end = k == en ? ei : strlen(k->text);
		size_t from = i;
		for (size_t j = i; split && j < end; j++)
			if (k->text[j] == ';') {
				mdi_seg_push(c, s, k, from, j);
				mdi_seg_push(c, s, NULL, 0, 0);
				from = j + 1;
			}
		mdi_seg_push(c, s, k, from, end);
		if (k == en)
			return;
	}
}

/* 1 if the character before an '@' lets it start a citation: not a
 * letter or digit ("mail@example.org"), '.', '_', '@' or an escape. */
static int mdi_before_ok(const char *s, size_t i)
{
	char b = s[i - 1];
	if (b == MD_MARK || b == '.' || b == '_' || b == '@')
		return 0;
	size_t st = utf8_prev(s, i), used;
	return !md_is_alnum(mdi_cp(s + st, i - st, &used));
}

/* 1 if text[i] == '@' may start a citation, judged by the character
 * before it, in this text or the text node before; not right after
 * emphasis or a link ("*e*@a", as pandoc reads it). */
static int mdi_at_ok(const doc_node *t, size_t i)
{
	if (t->text[i] != '@')
		return 0;
	if (i > 0)
		return mdi_before_ok(t->text, i);
	const doc_node *p = t->prev;
	if (!p)
		return 1;
	if (p->type != DOC_TEXT || !*p->text)
		return 0;
	return mdi_before_ok(p->text, strlen(p->text));
}

/* A key found in a segment: where it is and what it says. */
typedef struct mdi_key_at {
	size_t seg;          /* index in the segments */
	size_t at;           /* offset of '@' (or of the '-' before it) */
	size_t end;          /* offset just after the key */
	const char *key;     /* arena copy */
	int suppress;        /* written -@key */
} mdi_key_at;

/* The first key in segments [s0, s1) at or after (seg, off); 0 if none. */
static int mdi_find_key(md_inl *c, mdi_segs *s, size_t s0, size_t s1,
			size_t off0, mdi_key_at *out)
{
	for (size_t k = s0; k < s1; k++) {
		mdi_seg *g = &s->v[k];
		if (!g->node || g->node->type != DOC_TEXT)
			continue;
		const char *t = g->node->text;
		for (size_t i = k == s0 ? (off0 > g->from ? off0 : g->from) : g->from;
		     i < g->to; i++) {
			if (!mdi_at_ok(g->node, i))
				continue;
			const char *inner;
			size_t inner_len;
			size_t n = mdi_key(t + i + 1, g->to - i - 1, &inner, &inner_len);
			if (!n)
				continue;
			int sup = i > g->from && t[i - 1] == '-' &&
				  (i - 1 == g->from || t[i - 2] == ' ');
			*out = (mdi_key_at){k, sup ? i - 1 : i, i + 1 + n,
					    arena_strndup(c->a, inner, inner_len), sup};
			return 1;
		}
	}
	return 0;
}

/* The words of segments [s0, s1) (text from..to of the first and last as
 * given), with links moved to links; whitespace collapsed, NULL if none. */
static const char *mdi_words(md_inl *c, mdi_segs *s, size_t s0, size_t s1,
			     doc_node **links, size_t *nlinks)
{
	buf b = {0};
	for (size_t k = s0; k < s1; k++) {
		mdi_seg *g = &s->v[k];
		if (!g->node)
			continue;
		if (g->node->type == DOC_TEXT)
			buf_put(&b, g->node->text + g->from, g->to - g->from);
		else if (g->node->type == DOC_LINK)
			links[(*nlinks)++] = g->node;
		else
			buf_puts(&b, doc_plain_text(c->a, g->node));
	}
	char *w = norm_text(c->a, b.data ? b.data : "", b.len);
	buf_free(&b);
	w = mdi_unmark(c->a, w);
	/* "[@a, <https://...>]": the comma only led to the link */
	size_t n = strlen(w);
	while (n && (w[n - 1] == ',' || w[n - 1] == ' '))
		w[--n] = '\0';
	return n ? w : NULL;
}

typedef struct mdi_cite {
	const char **keys, **prefixes, **suffixes;
	size_t nkeys;
	doc_node **links;
	size_t nlinks;
	int any_prefix, any_suffix, suppress;
	doc_pos pos;          /* the first key's */
	doc_pos last;         /* the last key found in the file */
	int have_pos;
} mdi_cite;

/* Where the key is in the file: the '@' searched for on its text's line,
 * after *floor (the previous key found on that line, updated). */
static doc_pos mdi_key_pos(md_inl *c, doc_node *t, const char *key,
			   doc_pos *floor)
{
	doc_pos p = t->pos;
	if (!c->src)
		return p;
	size_t from = p.col > 0 ? (size_t)p.col - 1 : 0;
	if (floor->line == p.line && (size_t)floor->col > from)
		from = (size_t)floor->col;   /* just after the last '@' */
	char needle[MD_MAX_KEY + 4];
	snprintf(needle, sizeof needle, "@%s", key);
	long at = md_src_find(c->src, p.line, from, needle, strlen(needle));
	if (at < 0) {
		snprintf(needle, sizeof needle, "@{%s", key);
		at = md_src_find(c->src, p.line, from, needle, strlen(needle));
	}
	if (at >= 0) {
		p.col = (int)at + 1;
		*floor = p;
	}
	return p;
}

/* Read the items of a bracketed citation from segments; 0 when some item
 * has no key (then it is plain text in brackets). */
static int mdi_items(md_inl *c, mdi_segs *s, mdi_cite *ct)
{
	size_t nitems = 1;
	for (size_t k = 0; k < s->n; k++)
		nitems += !s->v[k].node;
	ct->keys = arena_alloc(c->a, (nitems + 1) * sizeof *ct->keys);
	ct->prefixes = arena_alloc(c->a, (nitems + 1) * sizeof *ct->prefixes);
	ct->suffixes = arena_alloc(c->a, (nitems + 1) * sizeof *ct->suffixes);
	ct->links = arena_alloc(c->a, (s->n + 1) * sizeof *ct->links);
	for (size_t s0 = 0; s0 <= s->n;) {
		size_t s1 = s0;
		while (s1 < s->n && s->v[s1].node)
			s1++;
		mdi_key_at k;
		if (!mdi_find_key(c, s, s0, s1, 0, &k))
			return 0;
		doc_pos kp = mdi_key_pos(c, s->v[k.seg].node, k.key, &ct->last);
		if (!ct->have_pos) {
			ct->pos = kp;
			ct->have_pos = 1;
		}
		mdi_key_at again;
		if (mdi_find_key(c, s, k.seg, s1, k.end, &again)) {
			doc_node *t = s->v[again.seg].node;
			doc_pos p = mdi_key_pos(c, t, again.key, &ct->last);
			if (c->src)
				p = md_src_pos(c->src, p.line, p.col);
			diag_add(c->d, DIAG_ERROR, p.file, p.line, p.col,
				 "two keys in one citation item ('%s' and '%s'); separate them with ';'",
				 k.key, again.key);
		}
		ct->suppress |= k.suppress;
		/* prefix: up to the key; suffix: from its end */
		size_t keep_to = s->v[k.seg].to, keep_from = s->v[k.seg].from;
		s->v[k.seg].to = k.at;
		const char *pre = mdi_words(c, s, s0, k.seg + 1, ct->links, &ct->nlinks);
		s->v[k.seg].to = keep_to;
		s->v[k.seg].from = k.end;
		const char *suf = mdi_words(c, s, k.seg, s1, ct->links, &ct->nlinks);
		s->v[k.seg].from = keep_from;
		ct->prefixes[ct->nkeys] = pre;
		ct->suffixes[ct->nkeys] = suf;
		ct->any_prefix |= pre != NULL;
		ct->any_suffix |= suf != NULL;
		ct->keys[ct->nkeys++] = k.key;
		s0 = s1 + 1;
	}
	return 1;
}

/* Put the citation in place of (n, i) .. (en, ei) inclusive; returns the
 * text node that follows it (the rest of en). */
static doc_node *mdi_place(md_inl *c, mdi_cite *ct, int in_text, doc_node *n,
			   size_t i, doc_node *en, size_t ei)
{
	doc_node *cite = doc_node_new(c->a, DOC_CITE, ct->pos);
	cite->keys = ct->keys;
	cite->nkeys = ct->nkeys;
	cite->refs = arena_alloc(c->a, (ct->nkeys + 1) * sizeof *cite->refs);
	cite->prefixes = ct->any_prefix ? ct->prefixes : NULL;
	cite->suffixes = ct->any_suffix ? ct->suffixes : NULL;
	cite->in_text = in_text;
	if (ct->suppress) {
		doc_pos p = ct->pos;
		if (c->src)
			p = md_src_pos(c->src, p.line, p.col);
		diag_add(c->d, DIAG_WARNING, p.file, p.line, p.col,
			 "'-@%s' (the year alone) is set like '@%s': chapbook always names the author",
			 ct->keys[0], ct->keys[0]);
	}
	/* the rest of en's text follows the citation */
	doc_node *rest;
	if (en == n) {
		/* the rest shares n's string: n ends at i, before it */
		rest = doc_node_new(c->a, DOC_TEXT, n->pos);
		rest->text = n->text + ei + 1;
		if (c->src && ct->last.line == n->pos.line && ct->last.col >= n->pos.col)
			rest->pos.col = ct->last.col + 1;  /* searches go on from here */
		mdi_insert_after(n, rest);
	} else {
		rest = en;
		rest->text = rest->text + ei + 1;
		for (doc_node *k = n->next; k != en;) {
			doc_node *next = k->next;
			mdi_unlink(k);
			k = next;
		}
	}
	((char *)n->text)[i] = '\0';
	mdi_insert_after(n, cite);
	for (size_t k = 0; k < ct->nlinks; k++) {
		if (ct->links[k]->parent)
			mdi_unlink(ct->links[k]);
		doc_append(cite, ct->links[k]);
	}
	return rest;
}

/* "[...]" opened at (n, i): a citation if every ';'-separated item has a
 * key. Returns the text after it, or NULL when it is not one. */
static doc_node *mdi_bracket(md_inl *c, doc_node *n, size_t i)
{
	doc_node *en;
	size_t ei;
	if (!mdi_close(n, i + 1, &en, &ei))
		return NULL;
	mdi_segs s = {0};
	mdi_segments(c, &s, n, i + 1, en, ei, 1);
	mdi_cite ct = {0};
	if (!mdi_items(c, &s, &ct))
		return NULL;
	return mdi_place(c, &ct, 0, n, i, en, ei);
}

/* "@key" at (n, i), with "[suffix]" after it when one follows. Returns
 * the text after it, or NULL when no key is written there. */
static doc_node *mdi_in_text(md_inl *c, doc_node *n, size_t i)
{
	const char *inner;
	size_t inner_len;
	/* a key is short: look no further (a long text costs linear time) */
	size_t room = strnlen(n->text + i + 1, MD_MAX_KEY + 2);
	size_t kn = mdi_key(n->text + i + 1, room, &inner, &inner_len);
	if (!kn)
		return NULL;
	mdi_cite ct = {0};
	ct.keys = arena_alloc(c->a, 2 * sizeof *ct.keys);
	ct.suffixes = arena_alloc(c->a, 2 * sizeof *ct.suffixes);
	ct.keys[0] = arena_strndup(c->a, inner, inner_len);
	ct.nkeys = 1;
	ct.pos = mdi_key_pos(c, n, ct.keys[0], &ct.last);
	size_t end = i + 1 + kn;   /* offset just after the key */
	size_t open = n->text[end] == ' ' ? end + 1 : end;
	doc_node *en;
	size_t ei;
	if (n->text[open] == '[' && mdi_close(n, open + 1, &en, &ei)) {
		mdi_segs s = {0};
		mdi_segments(c, &s, n, open + 1, en, ei, 0);
		mdi_key_at k;
		if (!mdi_find_key(c, &s, 0, s.n, 0, &k)) {
			ct.links = arena_alloc(c->a, (s.n + 1) * sizeof *ct.links);
			ct.suffixes[0] = mdi_words(c, &s, 0, s.n, ct.links, &ct.nlinks);
			ct.any_suffix = ct.suffixes[0] != NULL;
			ct.prefixes = NULL;
			return mdi_place(c, &ct, 1, n, i, en, ei);
		}
	}
	return mdi_place(c, &ct, 1, n, i, n, end - 1);
}

/* Citations among the children of one container (a block, emphasis). */
static void mdi_cites_in(md_inl *c, doc_node *box)
{
	doc_node *n = box->first;
	size_t i = 0;
	while (n) {
		if (n->type != DOC_TEXT || !n->text[i]) {
			n = n->next;
			i = 0;
			continue;
		}
		doc_node *rest = NULL;
		if (n->text[i] == '[')
			rest = mdi_bracket(c, n, i);
		else if (mdi_at_ok(n, i))
			rest = mdi_in_text(c, n, i);
		if (rest) {
			n = rest;
			i = 0;
		} else {
			i++;
		}
	}
}

static void mdi_cites(md_inl *c, doc_node *block)
{
	int entering = 1;
	for (doc_node *n = doc_walk(block, NULL, &entering); n;
	     n = doc_walk(block, n, &entering)) {
		if (!entering)
			continue;
		if (n->type == DOC_LINK || n->type == DOC_CITE)
			entering = 0;   /* no citations inside links */
		else if (n->first)
			mdi_cites_in(c, n);
	}
}

/* ---- finishing a block -------------------------------------------------- */

/* Join each run of adjacent text nodes into its first. */
static void mdi_join_text(md_inl *c, doc_node *block)
{
	int entering = 1;
	for (doc_node *n = doc_walk(block, NULL, &entering); n;
	     n = doc_walk(block, n, &entering)) {
		if (!entering || n->type != DOC_TEXT || !n->next ||
		    n->next->type != DOC_TEXT)
			continue;
		buf b = {0};
		buf_puts(&b, n->text);
		while (n->next && n->next->type == DOC_TEXT) {
			doc_node *k = n->next;
			buf_puts(&b, k->text);
			mdi_unlink(k);
		}
		n->text = arena_strndup(c->a, b.data, b.len);
		buf_free(&b);
	}
}

/* Escape marks out of the text; positions into characters. */
static void mdi_settle(md_inl *c, doc_node *block)
{
	int entering = 1;
	for (doc_node *n = doc_walk(block, NULL, &entering); n;
	     n = doc_walk(block, n, &entering)) {
		if (!entering || n == block)
			continue;
		if (n->type == DOC_TEXT && strchr(n->text, MD_MARK))
			n->text = mdi_unmark(c->a, n->text);
		if (c->src)
			n->pos = md_src_pos(c->src, n->pos.line, n->pos.col);
	}
}

void mdi_finish(md_inl *c, doc_node *block)
{
	mdi_cites(c, block);
	mdi_join_text(c, block);
	mdi_settle(c, block);
	norm_block(block);
}
