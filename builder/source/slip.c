/* slip.c - libxml2's parse errors in plain words (see slip.h): where the
 * slip is in the source, what it is, and what to write instead. */
#include "source/slip.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "base/utf8.h"
#include "doc/check.h"
#include "source/htmlent.h"
#include "source/shape.h"

#define SLIP_NONE SIZE_MAX

/* An element open at the scan's place: its name in the source, and where
 * its start tag is. */
struct slip_open {
	const char *name;
	size_t nlen;
	int line, col;
};

typedef struct slip_pos {
	int line, col;
} slip_pos;

/* An attribute of a start tag, as written: its name, and where its value
 * starts (after the quote, when it has one). */
typedef struct slip_attr {
	const char *name;
	size_t nlen;
	size_t name_off, val_off;
} slip_attr;

static int slip_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The characters of a name, as far as a slip needs: ASCII letters and
 * digits, '-', '_', '.', ':' and anything not ASCII. */
static int slip_namechar(char c)
{
	unsigned char u = (unsigned char)c;
	return u >= 0x80 || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
	       (u >= '0' && u <= '9') || u == '-' || u == '_' || u == '.' ||
	       u == ':';
}

void slip_init(slip_ctx *s, const char *path, const char *src, size_t len,
	       diag_list *d)
{
	memset(s, 0, sizeof *s);
	s->path = path;
	s->src = src;
	s->len = len;
	s->d = d;
	s->ln = 1;
	s->line = 1;
	s->col = 1;
}

void slip_free(slip_ctx *s)
{
	free(s->open);
	s->open = NULL;
	s->depth = s->cap = 0;
}

/* ---- positions ---------------------------------------------------------- */

/* The offset where line (1-based) starts, or SLIP_NONE past the end. The
 * line cursor moves forward, and starts again from the top for an earlier
 * line. */
static size_t slip_line_start(slip_ctx *s, int line)
{
	if (line < s->ln) {
		s->ln = 1;
		s->ln_off = 0;
		s->memo_col = 0;
	}
	while (s->ln < line) {
		const char *nl = memchr(s->src + s->ln_off, '\n', s->len - s->ln_off);
		if (!nl)
			return SLIP_NONE;
		s->ln++;
		s->ln_off = (size_t)(nl - s->src) + 1;
		s->memo_col = 0;
	}
	return s->ln_off;
}

/* The offset of line:col (col counted in characters, as libxml2 and the
 * diagnostics count), at most the end of its line; SLIP_NONE when there is
 * no such line. */
static size_t slip_offset(slip_ctx *s, int line, int col)
{
	if (line < 1)
		return SLIP_NONE;
	size_t p = slip_line_start(s, line);
	if (p == SLIP_NONE)
		return SLIP_NONE;
	int c = 1;
	if (s->memo_col && s->memo_col <= col) {
		c = s->memo_col;
		p = s->memo_off;
	}
	for (; c < col && p < s->len && s->src[p] != '\n'; c++) {
		size_t used;
		utf8_decode(s->src + p, s->len - p, &used);
		p += used;
	}
	s->memo_col = c;
	s->memo_off = p;
	return p;
}

/* The line and column of offset off, counted from the column or line
 * cursor (or from the top, for an offset before the line). */
static slip_pos slip_where(const slip_ctx *s, size_t off)
{
	int line = s->ln;
	size_t ls = s->ln_off;
	if (s->memo_col && off >= ls && off < s->memo_off)   /* on its line */
		return (slip_pos){s->ln, s->memo_col -
			(int)utf8_count(s->src + off, s->memo_off - off)};
	if (s->memo_col && off >= s->memo_off &&
	    !memchr(s->src + s->memo_off, '\n', off - s->memo_off))
		return (slip_pos){s->ln, s->memo_col +
			(int)utf8_count(s->src + s->memo_off, off - s->memo_off)};
	if (off < ls) {
		line = 1;
		ls = 0;
	}
	const char *p = s->src + ls, *nl;
	while ((nl = memchr(p, '\n', off - (size_t)(p - s->src)))) {
		line++;
		p = nl + 1;
	}
	ls = (size_t)(p - s->src);
	return (slip_pos){line, 1 + (int)utf8_count(s->src + ls, off - ls)};
}

/* ---- the scan of what precedes the error --------------------------------- */

static int slip_starts(const slip_ctx *s, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	return s->len - i >= n && memcmp(s->src + i, lit, n) == 0;
}

/* The offset just past the first lit at or after i, or SLIP_NONE. */
static size_t slip_past(const slip_ctx *s, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	for (const char *p = s->src + i;
	     (p = memchr(p, lit[0], s->len - (size_t)(p - s->src))); p++)
		if ((size_t)(s->src + s->len - p) >= n && !memcmp(p, lit, n))
			return (size_t)(p - s->src) + n;
	return SLIP_NONE;
}

/* The offset just past the markup whose '<' is at i (a tag's '>' is the
 * first one outside quotes), or SLIP_NONE when the file ends inside it. */
static size_t slip_markup_end(const slip_ctx *s, size_t i)
{
	if (slip_starts(s, i, "<!--"))
		return slip_past(s, i + 4, "-->");
	if (slip_starts(s, i, "<![CDATA["))
		return slip_past(s, i + 9, "]]>");
	if (slip_starts(s, i, "<?"))
		return slip_past(s, i + 2, "?>");
	if (slip_starts(s, i, "<!"))
		return slip_past(s, i + 2, ">");
	char q = 0;
	for (size_t k = i + 1; k < s->len; k++) {
		char c = s->src[k];
		if (q)
			q = c == q ? 0 : q;
		else if (c == '"' || c == '\'')
			q = c;
		else if (c == '>')
			return k + 1;
	}
	return SLIP_NONE;
}

/* Move the scan to offset to, counting lines and columns. */
static void slip_move(slip_ctx *s, size_t to)
{
	const char *p = s->src + s->off, *end = s->src + to, *nl, *ls = NULL;
	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		s->line++;
		ls = p = nl + 1;
	}
	if (ls)
		s->col = 1 + (int)utf8_count(ls, (size_t)(end - ls));
	else
		s->col += (int)utf8_count(s->src + s->off, to - s->off);
	s->off = to;
}

/* The length of the name that starts at i: ASCII name characters, and
 * what XML allows beyond ASCII (not punctuation such as curly quotes,
 * U+2000 to U+206F, nor U+00A0 to U+00BF, U+00D7, U+00F7). */
static size_t slip_name_len(const slip_ctx *s, size_t i)
{
	size_t k = i, used;
	while (k < s->len && slip_namechar(s->src[k])) {
		if ((unsigned char)s->src[k] < 0x80) {
			k++;
			continue;
		}
		uint32_t c = utf8_decode(s->src + k, s->len - k, &used);
		if ((c >= 0xA0 && c <= 0xBF) || c == 0xD7 || c == 0xF7 ||
		    (c >= 0x2000 && c <= 0x206F && c != 0x200C && c != 0x200D &&
		     c != 0x203F && c != 0x2040) || c == UTF8_REPLACEMENT)
			break;
		k += used;
	}
	return k - i;
}

/* The markup src[i..end), which starts at the scan's place: a start tag
 * opens an element, an end tag closes the innermost. */
static void slip_apply(slip_ctx *s, size_t i, size_t end)
{
	const char *t = s->src + i;
	if (t[1] == '/') {
		if (s->depth)
			s->depth--;
		return;
	}
	if (t[1] == '!' || t[1] == '?' || s->src[end - 2] == '/')
		return;
	size_t n = slip_name_len(s, i + 1);
	if (n > end - i - 1)
		n = end - i - 1;
	if (s->depth == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->open = xreallocarray(s->open, s->cap, sizeof *s->open);
	}
	s->open[s->depth++] = (slip_open){t + 1, n, s->line, s->col};
}

/* Read on to stop, applying every piece of markup that ends by then. The
 * scan rests at stop, or at the '<' of the markup that stop lies in. */
static void slip_scan_to(slip_ctx *s, size_t stop)
{
	while (s->off < stop) {
		const char *lt = memchr(s->src + s->off, '<', stop - s->off);
		if (!lt) {
			slip_move(s, stop);
			return;
		}
		size_t i = (size_t)(lt - s->src);
		slip_move(s, i);
		size_t end = slip_markup_end(s, i);
		if (end == SLIP_NONE || end > stop)
			return;
		slip_apply(s, i, end);
		slip_move(s, end);
	}
}

/* The start of the tag that at lies in, or SLIP_NONE when at is in text. */
static size_t slip_tag_of(slip_ctx *s, size_t at)
{
	slip_scan_to(s, at);
	return s->off < at && s->src[s->off] == '<' ? s->off : SLIP_NONE;
}

/* The attribute of the start tag at tag that at lies in (or the last one
 * before at); 0 when there is none. */
static int slip_attr_at(const slip_ctx *s, size_t tag, size_t at, slip_attr *a)
{
	const char *src = s->src;
	size_t k = tag + 1 + slip_name_len(s, tag + 1);
	int found = 0;
	while (k < at) {
		while (k < s->len && slip_space(src[k]))
			k++;
		size_t n = slip_name_len(s, k);
		if (!n || k >= at)
			break;
		*a = (slip_attr){src + k, n, k, k + n};
		found = 1;
		k += n;
		while (k < s->len && slip_space(src[k]))
			k++;
		if (k >= s->len || src[k] != '=')
			break;
		k++;
		while (k < s->len && slip_space(src[k]))
			k++;
		a->val_off = k;
		if (k >= s->len || (src[k] != '"' && src[k] != '\''))
			break;
		char q = src[k++];
		a->val_off = k;
		while (k < s->len && src[k] != q)
			k++;
		k++;
	}
	return found;
}

/* 1 if the element name at i of the source is a booklet element. */
static int slip_known(const slip_ctx *s, size_t i)
{
	return shape_known_element(s->src + i, slip_name_len(s, i));
}

/* ---- saying it ---------------------------------------------------------- */

static void slip_say(slip_ctx *s, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An error at offset off. */
static void slip_say(slip_ctx *s, size_t off, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	slip_pos p = slip_where(s, off);
	diag_add(s->d, DIAG_ERROR, s->path, p.line, p.col, "%s", msg);
}

/* The hint for a character written as an HTML entity: the character
 * itself or its number, after lead (a "did you mean", or ""). */
static void slip_hint_char(slip_ctx *s, const char *lead, uint32_t cp)
{
	char ch[5];
	ch[utf8_encode(cp, ch)] = '\0';
	if (htmlent_invisible(cp))
		diag_hint(s->d, "%swrite the character itself (U+%04X) or &#%u;",
			  lead, (unsigned)cp, (unsigned)cp);
	else
		diag_hint(s->d, "%swrite the character itself (%s, U+%04X) or &#%u;",
			  lead, ch, (unsigned)cp, (unsigned)cp);
}

/* The '&' that starts the reference ending before at (on its line, after
 * a name, a '#' and digits or nothing), or SLIP_NONE. */
static size_t slip_amp_before(const slip_ctx *s, size_t at)
{
	size_t k = at;
	if (k > 0 && s->src[k - 1] == ';')
		k--;
	while (k > 0 && at - k < 64 && (slip_namechar(s->src[k - 1]) ||
					 s->src[k - 1] == '#'))
		k--;
	return k > 0 && s->src[k - 1] == '&' ? k - 1 : SLIP_NONE;
}

/* A bare '&' at amp: in text, or in an attribute value. */
static void slip_bare_amp(slip_ctx *s, size_t amp)
{
	slip_attr a;
	size_t tag = slip_tag_of(s, amp);
	if (tag != SLIP_NONE && slip_attr_at(s, tag, amp, &a)) {
		slip_say(s, amp, "bare '&' in the value of '%.*s'", (int)a.nlen, a.name);
		if (a.nlen == 4 && !memcmp(a.name, "href", 4))
			diag_hint(s->d, "write &amp; for a literal ampersand, in a link too (?a=1&amp;b=2)");
		else
			diag_hint(s->d, "write &amp; for a literal ampersand");
		return;
	}
	slip_say(s, amp, "bare '&' in text");
	diag_hint(s->d, "write &amp; for a literal ampersand");
}

/* An entity reference &name; that XML does not define, at amp. */
static void slip_unknown_entity(slip_ctx *s, size_t amp, const char *name,
				size_t n, const char *semi)
{
	uint32_t cp = htmlent_lookup(name, n);
	const char *near = cp ? NULL : htmlent_nearest(name, n, &cp);
	slip_say(s, amp, "&%.*s%s is not an XML entity", (int)n, name, semi);
	if (near) {
		char lead[64];
		snprintf(lead, sizeof lead, "did you mean &%s;? ", near);
		slip_hint_char(s, lead, cp);
	} else if (cp) {
		slip_hint_char(s, "", cp);
	} else {
		diag_hint(s->d, "XML knows only &amp; &lt; &gt; &quot; and &apos;; "
				"write &amp; for a literal ampersand");
	}
}

/* Something a start tag cannot hold, at at: most often the next tag's
 * '<' where the '>' was forgotten ("<author<family>"). */
static int slip_in_tag(slip_ctx *s, size_t at)
{
	size_t tag = slip_tag_of(s, at);
	if (tag == SLIP_NONE || at >= s->len || !slip_name_len(s, tag + 1))
		return 0;
	int n = (int)slip_name_len(s, tag + 1);
	const char *name = s->src + tag + 1;
	if (s->src[at] == '<') {
		slip_say(s, at, "the start tag <%.*s> is not closed before the next '<'",
			 n, name);
		diag_hint(s->d, "end it with '>' (or '/>' when it holds nothing)");
		return 1;
	}
	size_t used;
	utf8_decode(s->src + at, s->len - at, &used);
	slip_say(s, at, "unexpected '%.*s' in the start tag <%.*s>", (int)used,
		 s->src + at, n, name);
	return 1;
}

/* "xmlParseEntityRef: no name" (after '&'), "StartTag: invalid element
 * name" (after '<'), or an attribute's name that is not one (inside a
 * tag). *local is set for the first two. */
static int slip_no_name(slip_ctx *s, size_t at, int *local)
{
	if (at == 0)
		return 0;
	if (s->src[at - 1] == '&') {
		*local = 1;
		slip_bare_amp(s, at - 1);
		return 1;
	}
	if (s->src[at - 1] == '<') {
		*local = 1;
		slip_say(s, at - 1, "bare '<' in text");
		diag_hint(s->d, "write &lt; for a literal less-than sign");
		return 1;
	}
	return slip_in_tag(s, at);
}

/* "Double hyphen within comment": '--' inside a comment; when it starts a
 * "<!--", the comment before it was never closed. */
static int slip_double_hyphen(slip_ctx *s, size_t at)
{
	if (at + 2 <= s->len && !memcmp(s->src + at, "--", 2))
		;   /* libxml2 points at the '--' ... */
	else if (at >= 2 && !memcmp(s->src + at - 2, "--", 2))
		at -= 2;   /* ... or, in a "<!--", just after it */
	else
		return 0;
	size_t start = slip_tag_of(s, at);
	if (at >= 2 && !memcmp(s->src + at - 2, "<!", 2) && start != SLIP_NONE &&
	    start < at - 2 && slip_starts(s, start, "<!--")) {
		slip_pos next = slip_where(s, at - 2);
		slip_say(s, start, "the comment is not closed before the next one, at %d:%d",
			 next.line, next.col);
		diag_hint(s->d, "end it with -->");
		return 1;
	}
	slip_say(s, at, "'--' inside a comment");
	diag_hint(s->d, "a comment cannot hold '--': write a dash (–), or end the comment with -->");
	return 1;
}

/* "Input is not proper UTF-8": said as the Markdown reader says it. */
static int slip_not_utf8(slip_ctx *s, size_t at, const char *msg)
{
	const char *bytes = strstr(msg, "Bytes: ");
	if (strncmp(msg, "Input is not proper UTF-8", 25) || !bytes)
		return 0;
	slip_say(s, at, "the file is not UTF-8 (bytes %s); save it as UTF-8",
		 bytes + 7);
	return 1;
}

/* "EntityRef: expecting ';'": &name without its ';'. */
static int slip_no_semicolon(slip_ctx *s, size_t at)
{
	size_t amp = slip_amp_before(s, at);
	if (amp == SLIP_NONE)
		return 0;
	const char *name = s->src + amp + 1;
	size_t n = at - amp - 1;
	static const char *const xml[] = {"amp", "lt", "gt", "quot", "apos"};
	if (slip_tag_of(s, amp) != SLIP_NONE) {   /* a URL's "&b=2" */
		slip_bare_amp(s, amp);
		return 1;
	}
	for (size_t i = 0; i < sizeof xml / sizeof *xml; i++)
		if (strlen(xml[i]) == n && !memcmp(xml[i], name, n)) {
			slip_say(s, amp, "'&%s' needs a ';'", xml[i]);
			diag_hint(s->d, "write &%s;", xml[i]);
			return 1;
		}
	if (htmlent_lookup(name, n)) {
		slip_unknown_entity(s, amp, name, n, "");
		return 1;
	}
	slip_bare_amp(s, amp);
	return 1;
}

/* "Entity 'name' not defined". */
static int slip_undefined_entity(slip_ctx *s, size_t at, const char *name)
{
	size_t amp = slip_amp_before(s, at);
	if (!name || amp == SLIP_NONE)
		return 0;
	slip_unknown_entity(s, amp, name, strlen(name), ";");
	return 1;
}

/* "CharRef: invalid ... value": '&#' not followed by a number and ';'. */
static int slip_charref(slip_ctx *s, size_t at)
{
	size_t amp = slip_amp_before(s, at);
	if (amp == SLIP_NONE)
		return 0;
	slip_say(s, amp, "'&#' starts a character number, such as &#8212; or &#x2014;");
	diag_hint(s->d, "write &amp; for a literal ampersand");
	return 1;
}

/* The attribute whose value should start at at ("name = " before it);
 * its name in *a; 0 when there is none. */
static int slip_attr_before(const slip_ctx *s, size_t at, slip_attr *a)
{
	size_t k = at;
	while (k > 0 && slip_space(s->src[k - 1]))
		k--;
	if (k == 0 || s->src[k - 1] != '=')
		return 0;
	k--;
	while (k > 0 && slip_space(s->src[k - 1]))
		k--;
	size_t end = k;
	while (k > 0 && slip_namechar(s->src[k - 1]))
		k--;
	if (k == end)
		return 0;
	*a = (slip_attr){s->src + k, end - k, k, at};
	return 1;
}

/* 1 for the quotation marks a word processor or keyboard puts where XML
 * wants a straight quote. */
static int slip_curly(uint32_t c)
{
	return c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 ||
	       c == 0x201E || c == 0x201A || c == 0x00AB || c == 0x00BB ||
	       c == 0x2033 || c == 0x2032 || c == 0xFF02;
}

/* "AttValue: \" or ' expected": a value in curly quotes, or in none. */
static int slip_unquoted(slip_ctx *s, size_t at)
{
	slip_attr a;
	if (at >= s->len || !slip_attr_before(s, at, &a))
		return 0;
	size_t used, k;
	uint32_t open = utf8_decode(s->src + at, s->len - at, &used);
	if (slip_curly(open)) {
		size_t v = at + used, close_len = 0;
		uint32_t close = 0;
		for (k = v; k < s->len && s->src[k] != '\n' && s->src[k] != '>';
		     k += used) {
			uint32_t c = utf8_decode(s->src + k, s->len - k, &used);
			if (slip_curly(c) || c == '"') {
				close = c, close_len = used;
				break;
			}
		}
		char o[5], c[5] = "";
		o[utf8_encode(open, o)] = '\0';
		if (close_len)
			c[utf8_encode(close, c)] = '\0';
		slip_say(s, at, "the value of '%.*s' is in curly quotes (%s%s%s)",
			 (int)a.nlen, a.name, o, close_len ? "..." : "", c);
		if (close_len)
			diag_hint(s->d, "write %.*s=\"%.*s\" with straight quotes",
				  (int)a.nlen, a.name, (int)(k - v), s->src + v);
		else
			diag_hint(s->d, "write %.*s=\"...\" with straight quotes",
				  (int)a.nlen, a.name);
		return 1;
	}
	for (k = at; k < s->len && !slip_space(s->src[k]) && s->src[k] != '>' &&
		     !slip_starts(s, k, "/>");)
		k++;
	slip_say(s, at, "the value of '%.*s' needs quotes", (int)a.nlen, a.name);
	diag_hint(s->d, "write %.*s=\"%.*s\"", (int)a.nlen, a.name,
		  k > at ? (int)(k - at) : 3, k > at ? s->src + at : "...");
	return 1;
}

/* "Unescaped '<' not allowed in attributes values": a '<' in a value, or
 * a value whose closing quote is missing (so the value runs on past the
 * tag's end). */
static int slip_lt_in_value(slip_ctx *s, size_t at)
{
	slip_attr a;
	if (at < s->len && s->src[at] != '<' && at > 0 && s->src[at - 1] == '<')
		at--;
	size_t tag = slip_tag_of(s, at);
	if (tag == SLIP_NONE || !slip_attr_at(s, tag, at, &a) || a.val_off > at)
		return 0;
	const char *gt = memchr(s->src + a.val_off, '>', at - a.val_off);
	if (!gt) {
		slip_say(s, at, "bare '<' in the value of '%.*s'", (int)a.nlen, a.name);
		diag_hint(s->d, "write &lt; for a literal less-than sign");
		return 1;
	}
	size_t end = (size_t)(gt - s->src);
	while (end > a.val_off && (s->src[end - 1] == '/' || slip_space(s->src[end - 1])))
		end--;
	char q = s->src[a.val_off - 1];
	slip_say(s, a.val_off - 1, "the value of '%.*s' has no closing quote",
		 (int)a.nlen, a.name);
	diag_hint(s->d, "write %.*s=%c%.*s%c", (int)a.nlen, a.name, q,
		  (int)(end - a.val_off), s->src + a.val_off, q);
	return 1;
}

/* The tag at tag names no booklet element, so its '<' was meant as text
 * ("x<y"): say so. 1 if it does. */
static int slip_lt_as_text(slip_ctx *s, size_t tag)
{
	if (tag == SLIP_NONE || slip_known(s, tag + 1))
		return 0;
	slip_say(s, tag, "bare '<' in text");
	diag_hint(s->d, "write &lt; for a literal less-than sign");
	return 1;
}

/* "Specification mandates value for attribute name". */
static int slip_no_value(slip_ctx *s, size_t at, const char *name)
{
	size_t tag = slip_tag_of(s, at);
	if (tag == SLIP_NONE || !name)
		return 0;
	if (slip_lt_as_text(s, tag))
		return 1;
	size_t n = strlen(name), k = at;
	while (k > tag && slip_space(s->src[k - 1]))
		k--;
	if (k - tag > n && !memcmp(s->src + k - n, name, n))
		k -= n;
	slip_say(s, k, "attribute '%s' of <%.*s> has no value", name,
		 (int)slip_name_len(s, tag + 1), s->src + tag + 1);
	diag_hint(s->d, "write %s=\"...\"", name);
	return 1;
}

/* An error at at, with nothing but spaces after it, inside a start tag:
 * the file is cut short. 1 if said. */
static int slip_cut_short(slip_ctx *s, size_t at)
{
	size_t k = at;
	while (k < s->len && slip_space(s->src[k]))
		k++;
	if (k < s->len)
		return 0;
	size_t tag = slip_tag_of(s, at);
	if (tag == SLIP_NONE || !slip_name_len(s, tag + 1))
		return 0;
	slip_say(s, tag, "the file ends inside the start tag <%.*s>",
		 (int)slip_name_len(s, tag + 1), s->src + tag + 1);
	diag_hint(s->d, "is the file cut short?");
	return 1;
}

/* "Couldn't find end of Start Tag". */
static int slip_no_gt(slip_ctx *s, size_t at)
{
	size_t tag = slip_tag_of(s, at);
	if (tag == SLIP_NONE)
		return 0;
	if (slip_lt_as_text(s, tag))
		return 1;
	slip_say(s, at, "the start tag <%.*s> is not closed with '>'",
		 (int)slip_name_len(s, tag + 1), s->src + tag + 1);
	return 1;
}

/* The closing tags of the open elements from the innermost out to index
 * stop (excluded): "</strong></em>". */
static void slip_closers(const slip_ctx *s, size_t stop, char *out, size_t size)
{
	size_t k = 0;
	out[0] = '\0';
	for (size_t i = s->depth; i > stop && k < size; i--) {
		const slip_open *o = &s->open[i - 1];
		int w = snprintf(out + k, size - k, "</%.*s>", (int)o->nlen, o->name);
		if (w < 0 || (size_t)w >= size - k) {
			out[k] = '\0';
			return;
		}
		k += (size_t)w;
	}
}

/* 1 if names a and b are near enough to be one mistyped for the other:
 * one edit, or two when one has four letters or more. */
static int slip_typo(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int cap = la >= 4 || lb >= 4 ? 2 : 1;
	return check_edit_distance(a, b, cap) <= cap;
}

/* "Opening and ending tag mismatch": an element not closed before its
 * parent's end tag, or an end tag that matches no open element. */
static int slip_mismatch(slip_ctx *s, size_t at)
{
	size_t lt = at;
	while (lt > 0 && s->src[lt - 1] != '<')
		lt--;
	if (lt == 0 || lt >= s->len || s->src[lt] != '/')
		return 0;
	size_t etag = lt - 1;
	const char *ename = s->src + lt + 1;
	int en = (int)slip_name_len(s, lt + 1);
	slip_scan_to(s, etag);
	if (s->off != etag || s->depth == 0)
		return 0;
	size_t i = s->depth;
	while (i > 0 && !(s->open[i - 1].nlen == (size_t)en &&
			  !memcmp(s->open[i - 1].name, ename, (size_t)en)))
		i--;
	const slip_open *top = &s->open[s->depth - 1];
	int tn = (int)top->nlen;
	if (i > 0) {   /* the end tag closes an outer element */
		char closers[256];
		slip_closers(s, i, closers, sizeof closers);
		slip_say(s, etag, "<%.*s> opened at %d:%d is not closed before </%.*s>",
			 tn, top->name, top->line, top->col, en, ename);
		diag_hint(s->d, "write %s before </%.*s>", closers, en, ename);
		return 1;
	}
	slip_say(s, etag, "</%.*s> does not match <%.*s> opened at %d:%d", en,
		 ename, tn, top->name, top->line, top->col);
	char a[64], b[64];
	snprintf(a, sizeof a, "%.*s", en, ename);
	snprintf(b, sizeof b, "%.*s", tn, top->name);
	if (!shape_known_element(b, strlen(b)) && shape_known_element(a, strlen(a)))
		diag_hint(s->d, "<%s> is not a booklet element: did you mean <%s>?", b, a);
	else if (slip_typo(a, b))
		diag_hint(s->d, "write </%s>", b);
	else
		diag_hint(s->d, "no <%s> is open here: write </%s> to close <%s>, or remove </%s>",
			  a, b, b, a);
	return 1;
}

/* The end of the last line that holds anything: where a file cut short
 * ends. */
static size_t slip_last_text(const slip_ctx *s)
{
	size_t k = s->len;
	while (k > 0 && slip_space(s->src[k - 1]))
		k--;
	return k;
}

/* "Premature end of data in tag": elements still open at the end. */
static int slip_unclosed_at_end(slip_ctx *s)
{
	slip_scan_to(s, s->len);
	if (s->off != s->len || s->depth == 0)
		return 0;
	const slip_open *top = &s->open[s->depth - 1];
	slip_say(s, slip_last_text(s), "<%.*s> opened at %d:%d is not closed before the end of the file",
		 (int)top->nlen, top->name, top->line, top->col);
	char closers[256];
	slip_closers(s, 0, closers, sizeof closers);
	diag_hint(s->d, "end the file with %s, unless it is cut short", closers);
	return 1;
}

/* "Comment not terminated". */
static int slip_open_comment(slip_ctx *s)
{
	slip_scan_to(s, s->len);
	if (s->off >= s->len || !slip_starts(s, s->off, "<!--"))
		return 0;
	slip_say(s, s->off, "the comment is not closed before the end of the file");
	diag_hint(s->d, "end it with -->");
	return 1;
}

/* Said in plain words when e is a slip this module knows; 1 if so. *local
 * is set when the slip leaves the structure whole (libxml2's later errors
 * are then errors of their own). */
static int slip_explain(slip_ctx *s, const xmlError *e, size_t at,
			const char *msg, int *local)
{
	switch (e->code) {
	case XML_ERR_ATTRIBUTE_NOT_STARTED:
	case XML_ERR_ATTRIBUTE_NOT_FINISHED:
	case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
	case XML_ERR_LT_IN_ATTRIBUTE:
	case XML_ERR_GT_REQUIRED:
	case XML_ERR_NAME_REQUIRED:
	case XML_ERR_SPACE_REQUIRED:
	case XML_ERR_EQUAL_REQUIRED:
		if (slip_cut_short(s, at))
			return 1;
		break;
	default:
		break;
	}
	switch (e->code) {
	case XML_ERR_NAME_REQUIRED:
		return slip_no_name(s, at, local);
	case XML_ERR_SPACE_REQUIRED:
		return slip_in_tag(s, at);
	case XML_ERR_HYPHEN_IN_COMMENT:
		return slip_double_hyphen(s, at);
	case XML_ERR_INVALID_CHAR:
		return slip_not_utf8(s, at, msg);
	case XML_ERR_ENTITYREF_SEMICOL_MISSING:
		*local = 1;
		return slip_no_semicolon(s, at);
	case XML_ERR_UNDECLARED_ENTITY:
	case XML_WAR_UNDECLARED_ENTITY:
		*local = 1;
		return slip_undefined_entity(s, at, e->str1);
	case XML_ERR_INVALID_HEX_CHARREF:
	case XML_ERR_INVALID_DEC_CHARREF:
	case XML_ERR_INVALID_CHARREF:
		*local = 1;
		return slip_charref(s, at);
	case XML_ERR_ATTRIBUTE_NOT_STARTED:
		return slip_unquoted(s, at);
	case XML_ERR_LT_IN_ATTRIBUTE:
		return slip_lt_in_value(s, at);
	case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
		return slip_no_value(s, at, e->str1);
	case XML_ERR_GT_REQUIRED:
		return slip_no_gt(s, at);
	case XML_ERR_TAG_NAME_MISMATCH:
		return slip_mismatch(s, at);
	case XML_ERR_TAG_NOT_FINISHED:
		return slip_unclosed_at_end(s);
	case XML_ERR_COMMENT_NOT_FINISHED:
		return slip_open_comment(s);
	default:
		return 0;
	}
}

void slip_report(slip_ctx *s, const xmlError *e, const char *msg)
{
	if (s->done)
		return;
	int line = e->line > 0 ? e->line : 1, col = e->int2;
	if (line == s->last_line && col == s->last_col)
		return;   /* a second message about the same slip */
	s->last_line = line;
	s->last_col = col;
	if (e->level == XML_ERR_WARNING) {
		diag_add(s->d, DIAG_WARNING, s->path, line, col, "%s", msg);
		return;
	}
	int local = 0;
	size_t at = slip_offset(s, line, col);
	if (at == SLIP_NONE || !slip_explain(s, e, at, msg, &local)) {
		diag_add(s->d, DIAG_ERROR, s->path, line, col, "%s", msg);
		local = 0;
	}
	if (!local)
		s->done = 1;
}
