/* md.c - reading a Markdown booklet (see md.h): the bytes checked, the
 * YAML metadata block split off (mdmeta.c), heading attributes {#id
 * .kind} read off their lines, CommonMark parsed by cmark, and the
 * blocks converted: # parts, ## and ### sections, paragraphs, lists,
 * experiences from block quotes, and the references part. Inlines and
 * citations are mdinline.c's. */
#include "source/md.h"

#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "base/file.h"
#include "base/hash.h"
#include "base/utf8.h"
#include "doc/check.h"
#include "source/csl.h"
#include "source/load.h"
#include "source/mdinline.h"
#include "source/mdmeta.h"

/* Attributes read off the end of a heading's line. */
typedef struct md_attr {
	int line, col;           /* where the '{' is (byte column) */
	const char *id;
	const char **classes;
	size_t nclasses;
	int pairs;               /* key=value pairs (ignored) */
	int used;
} md_attr;

typedef struct md {
	arena *a;
	diag_list *d;
	const char *path;
	md_src src;
	md_inl inl;
	md_attr *attrs;
	size_t nattrs, attrs_cap, next_attr;
	hmap ids;                /* every part and section id so far */
	doc *doc;
	doc_node holder;         /* the parts, while they are built */
	doc_node *open[6];       /* the open part [0] and sections [1..] */
	int level;               /* heading level of open[level - 1] */
	doc_node *refs_part;     /* marked {#refs} or .references */
	int last_part_plain;     /* the last part has no kind of its own */
	int stray_reported;      /* "before the first heading" said once */
} md;

/* ---- positions and messages --------------------------------------------- */

static doc_pos md_pos(md *m, cmark_node *n)
{
	return md_src_pos(&m->src, cmark_node_get_start_line(n),
			  cmark_node_get_start_column(n));
}

static void md_error_at(md *m, cmark_node *n, const char *msg)
{
	doc_pos p = md_pos(m, n);
	diag_add(m->d, DIAG_ERROR, p.file, p.line, p.col, "%s", msg);
}

/* ---- the bytes ---------------------------------------------------------- */

/* Well-formed UTF-8 without control characters (tab and line ends
 * aside), as XML requires of the other format. 0 after an error. */
static int md_bytes_ok(const char *s, size_t len, const char *path,
		       diag_list *d)
{
	int line = 1;
	size_t line_start = 0;
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		size_t used = 1;
		int bad = 0;
		if (c >= 0x80)
			bad = utf8_decode(s + i, len - i, &used) == UTF8_REPLACEMENT &&
			      !(used == 3 && !memcmp(s + i, "\xEF\xBF\xBD", 3));
		else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			bad = 2;
		if (bad) {
			int col = (int)utf8_count(s + line_start, i - line_start) + 1;
			if (bad == 2)
				diag_add(d, DIAG_ERROR, path, line, col,
					 "control character U+%04X is not allowed in a booklet", c);
			else
				diag_add(d, DIAG_ERROR, path, line, col,
					 "the file is not UTF-8 (byte 0x%02X); save it as UTF-8", c);
			return 0;
		}
		if (c == '\n') {
			line++;
			line_start = i + 1;
		}
		i += used;
	}
	return 1;
}

/* ---- the metadata block ------------------------------------------------- */

/* The line s[at..) up to its end (without "\r\n"); returns its length and
 * sets *next to the following line's start. */
static size_t md_line(const char *s, size_t len, size_t at, size_t *next)
{
	size_t e = at;
	while (e < len && s[e] != '\n')
		e++;
	*next = e < len ? e + 1 : len;
	size_t n = e - at;
	if (n && s[at + n - 1] == '\r')
		n--;
	return n;
}

static int md_is_fence(const char *s, size_t n, const char *fence)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n == 3 && !memcmp(s, fence, 3);
}

/* pandoc's metadata block at the start: "---" on the first line (after a
 * byte-order mark), not followed by a blank line, closed by "---" or
 * "...". Sets the YAML's byte range and the line after the block, and
 * blanks the block in copy (line breaks kept, so cmark's lines stay the
 * file's). 0 when there is none; -1 when it is not closed. */
static int md_front_matter(const char *s, size_t len, char *copy,
			   size_t *from, size_t *to, int *body_line)
{
	size_t at = len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3) ? 3 : 0, next;
	size_t n = md_line(s, len, at, &next);
	if (!md_is_fence(s + at, n, "---"))
		return 0;
	size_t second = next;
	size_t n2 = md_line(s, len, second, &next);
	size_t k = 0;
	while (k < n2 && (s[second + k] == ' ' || s[second + k] == '\t'))
		k++;
	if (second >= len || k == n2)
		return 0;   /* "---" then a blank line: a rule, not metadata */
	int line = 2;
	for (size_t l = second; l < len; l = next, line++) {
		size_t ln = md_line(s, len, l, &next);
		if (md_is_fence(s + l, ln, "---") || md_is_fence(s + l, ln, "...")) {
			*from = second;
			*to = l;
			*body_line = line + 1;
			for (size_t i = 0; i < l + ln; i++)
				if (copy[i] != '\n')
					copy[i] = ' ';
			return 1;
		}
	}
	return -1;
}

/* ---- heading attributes ------------------------------------------------- */

static int md_attr_word_char(char c)
{
	return c && c != ' ' && c != '\t' && c != '{' && c != '}' && c != '"' &&
	       c != '=';
}

/* The attributes inside s[0..n) (between the braces): #id, .class, '-'
 * and key=value or key="value". 0 when something else is there. */
static int md_attr_parse(md *m, const char *s, size_t n, md_attr *out)
{
	const char *classes[16];
	size_t nclasses = 0, tokens = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		size_t j = i + 1;
		if (s[i] == '#' || s[i] == '.') {
			while (j < n && md_attr_word_char(s[j]))
				j++;
			if (j == i + 1 || (j < n && s[j] != ' ' && s[j] != '\t'))
				return 0;
			const char *w = arena_strndup(m->a, s + i + 1, j - i - 1);
			if (s[i] == '#')
				out->id = w;
			else if (nclasses < 16)
				classes[nclasses++] = w;
		} else if (s[i] == '-' && (j == n || s[j] == ' ' || s[j] == '\t')) {
			if (nclasses < 16)
				classes[nclasses++] = "unnumbered";
		} else {
			j = i;
			while (j < n && md_attr_word_char(s[j]))
				j++;
			if (j == i || j >= n || s[j] != '=')
				return 0;
			j++;
			if (j < n && s[j] == '"') {
				j++;
				while (j < n && s[j] != '"')
					j++;
				if (j >= n)
					return 0;
				j++;
			} else {
				while (j < n && md_attr_word_char(s[j]))
					j++;
			}
			out->pairs++;
		}
		tokens++;
		i = j;
	}
	out->classes = arena_alloc(m->a, (nclasses + 1) * sizeof *out->classes);
	memcpy(out->classes, classes, nclasses * sizeof *classes);
	out->nclasses = nclasses;
	return tokens > 0;
}

static int md_atx_line(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	size_t h = 0;
	while (i + h < n && s[i + h] == '#')
		h++;
	return h >= 1 && h <= 6 && (i + h == n || s[i + h] == ' ' || s[i + h] == '\t');
}

static int md_underline(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i >= n || (s[i] != '=' && s[i] != '-'))
		return 0;
	char c = s[i];
	while (i < n && s[i] == c)
		i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i == n;
}

/* A line that may be a setext heading's text: not blank, not a quote or a
 * list item. */
static int md_setext_text(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || s[i] == '>' || ((s[i] == '-' || s[i] == '*' || s[i] == '+') &&
				      (i + 1 == n || s[i + 1] == ' ')))
		return 0;
	size_t d = i;
	while (d < n && s[d] >= '0' && s[d] <= '9')
		d++;
	return !(d > i && d < n && (s[d] == '.' || s[d] == ')'));
}

static void md_attr_push(md *m, const md_attr *at)
{
	if (m->nattrs == m->attrs_cap) {
		size_t cap = m->attrs_cap ? m->attrs_cap * 2 : 16;
		m->attrs = arena_grow(m->a, m->attrs, m->nattrs, cap, sizeof *m->attrs);
		m->attrs_cap = cap;
	}
	m->attrs[m->nattrs++] = *at;
}

/* Attributes at the end of one heading line: read, recorded and blanked
 * in copy (cmark never sees them). */
static void md_attr_line(md *m, char *copy, size_t at, size_t n, int line,
			 int atx)
{
	const char *s = copy + at;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n || s[n - 1] != '}')
		return;
	size_t open = n - 1;
	while (open > 0 && s[open] != '{')
		open--;
	if (s[open] != '{')
		return;
	md_attr a = {.line = line, .col = (int)open + 1};
	if (!md_attr_parse(m, s + open + 1, n - open - 2, &a)) {
		if (atx && open + 1 < n && (s[open + 1] == '#' || s[open + 1] == '.')) {
			doc_pos p = md_src_pos(&m->src, line, (int)open + 1);
			diag_add(m->d, DIAG_WARNING, p.file, p.line, p.col,
				 "'%.*s' at the end of this heading is not read as attributes; write {#id .class}",
				 (int)(n - open), s + open);
		}
		return;
	}
	md_attr_push(m, &a);
	memset(copy + at + open, ' ', n - open);
}

static void md_attrs_prepass(md *m, char *copy, size_t len, size_t body,
			     int body_line)
{
	size_t next;
	int line = body_line;
	for (size_t at = body; at < len; at = next, line++) {
		size_t n = md_line(copy, len, at, &next);
		if (md_atx_line(copy + at, n)) {
			md_attr_line(m, copy, at, n, line, 1);
			continue;
		}
		size_t n2 = 0, after;
		if (next < len)
			n2 = md_line(copy, len, next, &after);
		if (next < len && md_underline(copy + next, n2) &&
		    md_setext_text(copy + at, n))
			md_attr_line(m, copy, at, n, line, 0);
	}
}

/* The attributes recorded on the lines of heading h, or NULL. Headings
 * are asked for in file order, so one pass over the records serves. */
static md_attr *md_attrs_of(md *m, cmark_node *h)
{
	int first = cmark_node_get_start_line(h);
	int last = cmark_node_get_end_line(h);
	while (m->next_attr < m->nattrs && m->attrs[m->next_attr].line < first)
		m->next_attr++;
	if (m->next_attr < m->nattrs && m->attrs[m->next_attr].line <= last) {
		md_attr *a = &m->attrs[m->next_attr++];
		a->used = 1;
		return a;
	}
	return NULL;
}

/* ---- ids ---------------------------------------------------------------- */

static int md_id_eq(const void *entry, const void *key)
{
	return !strcmp(entry, key);
}

static int md_id_used(md *m, const char *id)
{
	return hmap_get(&m->ids, hash_str(id), md_id_eq, id) != NULL;
}

static void md_id_add(md *m, const char *id)
{
	if (!md_id_used(m, id))
		hmap_put(&m->ids, hash_str(id), (void *)id);
}

/* pandoc's identifier for a heading: lower case, punctuation dropped
 * (but '_', '-' and '.'), words joined by '-', nothing before the first
 * letter; "section" when nothing is left; -1, -2, ... after one already
 * used (by a heading or a reference key). */
static const char *md_auto_id(md *m, const char *text)
{
	buf b = {0};
	int started = 0, space = 0;
	size_t n = strlen(text);
	for (size_t i = 0; i < n;) {
		size_t used;
		uint32_t cp = utf8_decode(text + i, n - i, &used);
		i += used;
		if (cp >= 'A' && cp <= 'Z')
			cp += 32;
		else if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
			cp += 32;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == 0xA0) {
			space = started;
			continue;
		}
		if (!md_is_alnum(cp) && cp != '_' && cp != '-' && cp != '.')
			continue;
		if (!started && (!md_is_alnum(cp) || (cp >= '0' && cp <= '9')))
			continue;
		started = 1;
		if (space)
			buf_put(&b, "-", 1);
		space = 0;
		char enc[4];
		buf_put(&b, enc, utf8_encode(cp, enc));
	}
	const char *base = b.len ? arena_strndup(m->a, b.data, b.len) : "section";
	buf_free(&b);
	const char *id = base;
	for (int k = 1; md_id_used(m, id); k++)
		id = arena_printf(m->a, "%s-%d", base, k);
	md_id_add(m, id);
	return id;
}

/* ---- blocks ------------------------------------------------------------- */

static doc_node *md_block(md *m, cmark_node *b);

static doc_node *md_inlines(md *m, doc_type t, doc_pos pos, cmark_node *first)
{
	doc_node *n = doc_node_new(m->a, t, pos);
	m->inl.said_html = 0;
	mdi_convert(&m->inl, first, n);
	mdi_finish(&m->inl, n);
	return n;
}

/* A paragraph that starts "#Tips": meant as a heading, but CommonMark
 * (and pandoc) want a space after the '#'s. Said as a warning with the
 * heading as it should be written. */
static void md_hash_without_space(md *m, cmark_node *p, const char *lit)
{
	size_t n = 0;
	while (lit[n] == '#')
		n++;
	if (n == 0 || n > 6 || !lit[n] || lit[n] == ' ' || lit[n] == '\t')
		return;
	size_t w = strcspn(lit + n, " \t");
	doc_pos at = md_pos(m, p);
	diag_add(m->d, DIAG_WARNING, at.file, at.line, at.col,
		 "'%.*s' is not a heading: a heading needs a space after its '%.*s'",
		 (int)(n + (w > 40 ? 40 : w)), lit, (int)n, lit);
	diag_hint(m->d, "write %.*s %.60s", (int)n, lit, lit + n);
}

static doc_node *md_para(md *m, cmark_node *p)
{
	cmark_node *first = cmark_node_first_child(p);
	const char *lit = first && cmark_node_get_type(first) == CMARK_NODE_TEXT
				  ? cmark_node_get_literal(first) : NULL;
	if (lit && !strncmp(lit, ":::", 3)) {
		md_error_at(m, p, "pandoc's fenced divs (:::) are not read; mark the references part with a heading: # References {#refs}");
		return NULL;
	}
	if (lit)
		md_hash_without_space(m, p, lit);
	return md_inlines(m, DOC_PARA, md_pos(m, p), first);
}

static doc_node *md_list(md *m, cmark_node *l)
{
	doc_node *list = doc_node_new(m->a, DOC_LIST, md_pos(m, l));
	list->ordered = cmark_node_get_list_type(l) == CMARK_ORDERED_LIST;
	if (list->ordered && cmark_node_get_list_start(l) != 1) {
		doc_pos p = list->pos;
		diag_add(m->d, DIAG_WARNING, p.file, p.line, p.col,
			 "this list starts at %d; booklet lists are numbered from 1",
			 cmark_node_get_list_start(l));
	}
	for (cmark_node *it = cmark_node_first_child(l); it; it = cmark_node_next(it)) {
		doc_node *item = doc_node_new(m->a, DOC_ITEM, md_pos(m, it));
		doc_append(list, item);
		if (!cmark_node_first_child(it))
			md_error_at(m, it, "empty list item");
		for (cmark_node *b = cmark_node_first_child(it); b; b = cmark_node_next(b)) {
			doc_node *x = md_block(m, b);
			if (x)
				doc_append(item, x);
		}
	}
	return list;
}

/* "Tina’s experience" is Tina's: the words before "’s" (or "'s"); else
 * the whole title. */
static const char *md_experience_name(md *m, const char *title)
{
	for (const char *p = title; *p; p++) {
		size_t q = !strncmp(p, "\xE2\x80\x99s", 4) ? 4 : !strncmp(p, "'s", 2) ? 2 : 0;
		if (q && p > title && (p[q] == ' ' || p[q] == '\0'))
			return arena_strndup(m->a, title, (size_t)(p - title));
	}
	return title;
}

/* A block quote whose first paragraph is its title in bold alone (or
 * bold, then a line break, then the first paragraph). */
static doc_node *md_experience(md *m, cmark_node *q)
{
	cmark_node *p = cmark_node_first_child(q);
	cmark_node *strong = p && cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH
				     ? cmark_node_first_child(p) : NULL;
	cmark_node *after = strong ? cmark_node_next(strong) : NULL;
	cmark_node_type at = after ? cmark_node_get_type(after) : CMARK_NODE_NONE;
	if (!strong || cmark_node_get_type(strong) != CMARK_NODE_STRONG ||
	    (after && at != CMARK_NODE_SOFTBREAK && at != CMARK_NODE_LINEBREAK)) {
		md_error_at(m, q, "a block quote is an experience: its first line is its title in bold alone (> **Tina’s experience**)");
		return NULL;
	}
	doc_node *e = doc_node_new(m->a, DOC_EXPERIENCE, md_pos(m, q));
	doc_node *h = md_inlines(m, DOC_HEADING, md_pos(m, p),
				 cmark_node_first_child(strong));
	doc_append(e, h);
	e->text = md_experience_name(m, doc_plain_text(m->a, h));
	cmark_node *rest = after ? cmark_node_next(after) : NULL;
	if (rest)
		doc_append(e, md_inlines(m, DOC_PARA, md_pos(m, rest), rest));
	int other = 0;
	for (cmark_node *b = cmark_node_next(p); b; b = cmark_node_next(b)) {
		if (cmark_node_get_type(b) != CMARK_NODE_PARAGRAPH) {
			md_error_at(m, b, "an experience holds only paragraphs");
			other = 1;
			continue;
		}
		doc_node *x = md_para(m, b);
		if (x)
			doc_append(e, x);
	}
	if (!h->next && !other) {
		doc_pos pos = e->pos;
		diag_add(m->d, DIAG_ERROR, pos.file, pos.line, pos.col,
			 "the experience '%s' needs a paragraph after its title",
			 e->text);
	}
	return e;
}

/* What cannot be in a booklet, said plainly. */
static void md_unsupported(md *m, cmark_node *b)
{
	switch (cmark_node_get_type(b)) {
	case CMARK_NODE_CODE_BLOCK:
		md_error_at(m, b, "code blocks have no place in a booklet (is this text indented by four spaces?)");
		break;
	case CMARK_NODE_HTML_BLOCK: {
		const char *h = cmark_node_get_literal(b);
		size_t n = h ? strlen(h) : 0;
		while (n && (h[n - 1] == '\n' || h[n - 1] == ' '))
			n--;
		if (n >= 7 && !strncmp(h, "<!--", 4) && !strncmp(h + n - 3, "-->", 3))
			break;   /* a comment */
		md_error_at(m, b, "raw HTML is not allowed in a booklet; write Markdown (*emphasis*, **strong**, [text](https://...))");
		break;
	}
	case CMARK_NODE_THEMATIC_BREAK:
		md_error_at(m, b, "a horizontal rule (---, ***) has no place in a booklet; a part starts with a # heading, and the metadata block must open on the first line");
		break;
	case CMARK_NODE_HEADING:
		md_error_at(m, b, "a heading cannot be inside a list or a block quote");
		break;
	default:
		md_error_at(m, b, "this Markdown has no place in a booklet");
		break;
	}
}

/* A paragraph, list or experience; NULL after an error (or for a
 * comment). */
static doc_node *md_block(md *m, cmark_node *b)
{
	switch (cmark_node_get_type(b)) {
	case CMARK_NODE_PARAGRAPH:
		return md_para(m, b);
	case CMARK_NODE_LIST:
		return md_list(m, b);
	case CMARK_NODE_BLOCK_QUOTE:
		return md_experience(m, b);
	default:
		md_unsupported(m, b);
		return NULL;
	}
}

/* ---- parts and sections ------------------------------------------------- */

static const struct {
	const char *cls;
	doc_part_kind kind;
} md_kinds[] = {
	{"article", PART_ARTICLE}, {"tips", PART_TIPS},
	{"further", PART_FURTHER}, {"references", PART_REFERENCES},
};

/* The kind a part's classes give (-1 for none); other classes are
 * pandoc's (unnumbered, unlisted: ignored) or warned about. */
static int md_kind(md *m, const md_attr *at, int part)
{
	int kind = -1;
	if (!at)
		return -1;
	doc_pos p = md_src_pos(&m->src, at->line, at->col);
	for (size_t i = 0; i < at->nclasses; i++) {
		const char *c = at->classes[i];
		size_t k = 0;
		while (k < 4 && strcmp(md_kinds[k].cls, c))
			k++;
		if (k < 4 && part)
			kind = (int)md_kinds[k].kind;
		else if (k < 4)
			diag_add(m->d, DIAG_ERROR, p.file, p.line, p.col,
				 "'.%s' is a part kind: it goes on a # heading", c);
		else if (strcmp(c, "unnumbered") && strcmp(c, "unlisted"))
			diag_add(m->d, DIAG_WARNING, p.file, p.line, p.col,
				 "class '.%s' is ignored (part kinds: .tips .further .references)", c);
	}
	if (at->pairs)
		diag_add(m->d, DIAG_WARNING, p.file, p.line, p.col,
			 "key=value heading attributes are ignored");
	if (part && at->id && !strcmp(at->id, "refs"))
		kind = PART_REFERENCES;
	return kind;
}

/* The id a heading's attributes give, checked; else pandoc's own. */
static const char *md_heading_id(md *m, const md_attr *at, doc_node *h)
{
	if (at && at->id) {
		if (!csl_key_ok(at->id)) {
			doc_pos p = md_src_pos(&m->src, at->line, at->col);
			diag_add(m->d, DIAG_ERROR, p.file, p.line, p.col,
				 "id '%s' must start with a letter or '_' and hold only letters, digits, '-', '_' and '.'",
				 at->id);
		}
		md_id_add(m, at->id);
		return at->id;
	}
	return md_auto_id(m, doc_plain_text(m->a, h));
}

static void md_part(md *m, cmark_node *b, doc_node *h, md_attr *at)
{
	doc_node *part = doc_node_new(m->a, DOC_PART, h->pos);
	int kind = md_kind(m, at, 1);
	part->kind = kind < 0 ? PART_ARTICLE : (doc_part_kind)kind;
	part->id = md_heading_id(m, at, h);
	doc_append(part, h);
	doc_append(&m->holder, part);
	m->open[0] = part;
	m->level = 1;
	m->last_part_plain = kind < 0;
	if (part->kind == PART_REFERENCES) {
		if (m->refs_part)
			md_error_at(m, b, "a second references part; the bibliography has one place");
		else
			m->refs_part = part;
	}
}

static void md_section(md *m, cmark_node *b, doc_node *h, md_attr *at,
		       int level)
{
	if (m->level == 0) {
		md_error_at(m, b, "a section before the first # heading: every section belongs to a part");
		m->stray_reported = 1;
		return;
	}
	if (level > m->level + 1) {
		doc_pos p = h->pos;
		diag_add(m->d, DIAG_ERROR, p.file, p.line, p.col,
			 "a level-%d heading under a level-%d one; use %.*s",
			 level, m->level, m->level + 1, "######");
		level = m->level + 1;
	}
	if (m->open[0]->kind == PART_REFERENCES)
		md_error_at(m, b, "the references part cannot have sections");
	md_kind(m, at, 0);
	doc_node *s = doc_node_new(m->a, DOC_SECTION, h->pos);
	s->id = md_heading_id(m, at, h);
	s->depth = level - 1;
	doc_append(s, h);
	doc_append(m->open[level - 2], s);
	m->open[level - 1] = s;
	m->level = level;
}

static void md_heading(md *m, cmark_node *b)
{
	md_attr *at = md_attrs_of(m, b);
	doc_node *h = md_inlines(m, DOC_HEADING, md_pos(m, b),
				 cmark_node_first_child(b));
	if (!h->first)
		md_error_at(m, b, "a heading needs a title");
	int level = cmark_node_get_heading_level(b);
	if (level == 1)
		md_part(m, b, h, at);
	else
		md_section(m, b, h, at, level);
}

static void md_body(md *m, cmark_node *root)
{
	for (cmark_node *b = cmark_node_first_child(root); b; b = cmark_node_next(b)) {
		cmark_node_type t = cmark_node_get_type(b);
		if (t == CMARK_NODE_HEADING) {
			md_heading(m, b);
			continue;
		}
		if (t != CMARK_NODE_PARAGRAPH && t != CMARK_NODE_LIST &&
		    t != CMARK_NODE_BLOCK_QUOTE) {
			md_unsupported(m, b);
			continue;
		}
		if (m->level == 0) {
			if (!m->stray_reported)
				md_error_at(m, b, "text before the first # heading: every part starts with a # heading");
			m->stray_reported = 1;
			continue;
		}
		doc_node *x = md_block(m, b);
		if (x)
			doc_append(m->open[m->level - 1], x);
	}
	for (size_t i = 0; i < m->nattrs; i++)
		if (!m->attrs[i].used) {
			doc_pos p = md_src_pos(&m->src, m->attrs[i].line, m->attrs[i].col);
			diag_add(m->d, DIAG_ERROR, p.file, p.line, p.col,
				 "attributes {...} are read only at the end of a heading");
		}
}

/* ---- references --------------------------------------------------------- */

/* The part the bibliography goes in: the one marked {#refs} or
 * .references; else, as pandoc does, the last part when it is an empty
 * heading of no kind; else a new "References" part at the end. */
static void md_refs_part(md *m, const md_meta *meta)
{
	doc_node *part = m->refs_part;
	doc_node *last = m->holder.last;
	if (!part && meta->refs.n) {
		if (last && m->last_part_plain && last->first == last->last) {
			part = last;
			part->kind = PART_REFERENCES;
		} else {
			const char *title = meta->refs_title ? meta->refs_title : "References";
			part = doc_node_new(m->a, DOC_PART, meta->at);
			part->kind = PART_REFERENCES;
			doc_node *h = doc_node_new(m->a, DOC_HEADING, meta->at);
			doc_node *t = doc_node_new(m->a, DOC_TEXT, meta->at);
			t->text = title;
			doc_append(h, t);
			doc_append(part, h);
			part->id = md_auto_id(m, title);
			doc_append(&m->holder, part);
		}
	}
	if (!part)
		return;
	if (!meta->refs.n)
		diag_add(m->d, DIAG_ERROR, part->pos.file, part->pos.line, part->pos.col,
			 "the references part has no references: list them under 'references:' in the metadata, or name a CSL-JSON file with 'bibliography:'");
	doc_append(part, doc_node_new(m->a, DOC_BIBLIOGRAPHY, part->pos));
}

static int md_ref_eq(const void *entry, const void *key)
{
	return !strcmp(((const doc_ref *)entry)->id, key);
}

/* nocite: the references it names are listed without a citation. */
static void md_nocite(md *m, const md_meta *meta)
{
	doc *d = m->doc;
	if (meta->nocite_all)
		for (size_t i = 0; i < d->nrefs; i++)
			d->refs[i].nocite = 1;
	if (!meta->nnocite)
		return;
	hmap byid = {0};
	for (size_t i = 0; i < d->nrefs; i++)
		if (!hmap_get(&byid, hash_str(d->refs[i].id), md_ref_eq, d->refs[i].id))
			hmap_put(&byid, hash_str(d->refs[i].id), &d->refs[i]);
	for (size_t i = 0; i < meta->nnocite; i++) {
		const char *key = meta->nocite[i];
		doc_ref *r = hmap_get(&byid, hash_str(key), md_ref_eq, key);
		if (r) {
			r->nocite = 1;
			continue;
		}
		const char *near = NULL;
		int best = 3;
		size_t tries = i < 100 ? d->nrefs : 0;   /* suggestions are costly */
		for (size_t j = 0; j < tries; j++) {
			int dist = check_edit_distance(key, d->refs[j].id, 2);
			if (dist < best)
				best = dist, near = d->refs[j].id;
		}
		doc_pos p = meta->nocite_pos[i];
		if (near)
			diag_add(m->d, DIAG_ERROR, p.file, p.line, p.col,
				 "nocite names an unknown reference '%s'; did you mean '%s'?",
				 key, near);
		else
			diag_add(m->d, DIAG_ERROR, p.file, p.line, p.col,
				 "nocite names an unknown reference '%s'", key);
	}
	hmap_free(&byid);
}

/* ---- the whole file ----------------------------------------------------- */

/* Everything after the bytes are known good: metadata, body, references. */
static void md_convert(md *m, const char *data, size_t len, char *copy)
{
	size_t from = 0, to = 0;
	int body_line = 1;
	int fm = md_front_matter(data, len, copy, &from, &to, &body_line);
	if (fm < 0) {
		diag_add(m->d, DIAG_ERROR, m->path, 1, 1,
			 "the metadata block opened by '---' on line 1 is never closed (end it with a line '---')");
		return;
	}
	size_t body = 0;
	for (int l = 1; l < body_line; l++)
		while (body < len && copy[body++] != '\n')
			;
	md_mark_escapes(copy + body, len - body);
	md_attrs_prepass(m, copy, len, body, body_line);
	md_meta meta = {0};
	mdmeta_read(fm ? data + from : NULL, to - from, 2, m->path, m->doc, &meta,
		    m->d);
	for (size_t i = 0; i < meta.refs.n; i++)
		md_id_add(m, meta.refs.items[i].id);   /* headings' ids avoid keys */
	cmark_node *root = cmark_parse_document(copy, len, CMARK_OPT_SMART);
	if (!root) {
		diag_add(m->d, DIAG_ERROR, m->path, 0, 0, "internal error: cmark failed");
		return;
	}
	cmark_node *deep = md_too_deep(root, LOAD_MAX_DEPTH);
	if (deep) {
		doc_pos p = md_pos(m, deep);
		diag_add(m->d, DIAG_ERROR, p.file, p.line, p.col,
			 "blocks and inline markup nested deeper than the limit of %d levels",
			 LOAD_MAX_DEPTH);
	} else {
		md_body(m, root);
	}
	cmark_node_free(root);
	if (deep)
		return;
	if (!m->holder.first && !m->stray_reported)
		diag_add(m->d, DIAG_ERROR, m->path, body_line, 1,
			 "the booklet has no parts: start each part with a # heading");
	m->doc->refs = meta.refs.items;
	m->doc->nrefs = meta.refs.n;
	md_refs_part(m, &meta);
	md_nocite(m, &meta);
}

doc *md_load_memory(const char *data, size_t len, const char *path,
		    arena *a, diag_list *d)
{
	if (len > LOAD_MAX_BYTES) {
		diag_add(d, DIAG_ERROR, path, 0, 0,
			 "file is larger than the limit of %u MiB",
			 LOAD_MAX_BYTES / (1024 * 1024));
		return NULL;
	}
	if (!md_bytes_ok(data, len, path, d))
		return NULL;
	size_t before = d->errors;
	md m = {.a = a, .d = d, .path = path};
	md_src_init(&m.src, a, path, data, len);
	m.inl = (md_inl){a, d, &m.src, {path, 1, 1}, 0};
	m.doc = arena_alloc(a, sizeof *m.doc);
	m.doc->arena = a;
	m.doc->path = path;
	char *copy = malloc(len + 1);
	if (!copy) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "out of memory");
		return NULL;
	}
	memcpy(copy, data, len);
	copy[len] = '\0';
	md_convert(&m, data, len, copy);
	free(copy);
	hmap_free(&m.ids);
	for (doc_node *p = m.holder.first; p; p = p->next)
		p->parent = NULL;
	m.doc->parts_first = m.holder.first;
	m.doc->parts_last = m.holder.last;
	return d->errors > before ? NULL : m.doc;
}

doc *md_load(const char *path, arena *a, diag_list *d)
{
	file_bytes fb;
	file_status st = file_read(path, LOAD_MAX_BYTES, &fb);
	if (st != FILE_OK) {
		file_report(d, path, "booklet", st, &fb, LOAD_MAX_BYTES);
		return NULL;
	}
	doc *result = md_load_memory((const char *)fb.data, fb.len,
				     arena_strdup(a, path), a, d);
	file_release(&fb);
	return result;
}
