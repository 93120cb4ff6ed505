/* cite.c - the one home of Harvard citation and bibliography formatting as
 * the NCT seed prints it: in-text labels ("Ayers et al, 2016"), full entries
 * as text segments (URLs marked as links), dates ("16th January 2020") and
 * the bibliography order. Renderers (EPUB, PDF) only place what this file
 * returns. All strings are arena memory. */
#include "doc/cite.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ucol.h>
#include <unicode/uloc.h>

static const char *const cite_months[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/* A growing list of segments in the arena. */
typedef struct cite_segs {
	arena *a;
	cite_seg *items;
	size_t n, cap;
	buf text;   /* pending plain text, flushed as one segment */
	unsigned printed;  /* CITE_F_* of the fields written so far */
	int dry;    /* only mark the fields: no text, no segments (for
		       cite_unprinted_fields, once per entry of a booklet) */
} cite_segs;

/* Append t to the pending text (nothing when dry). */
static void cite_puts(cite_segs *s, const char *t)
{
	if (!s->dry)
		buf_puts(&s->text, t);
}

static void cite_segs_flush(cite_segs *s)
{
	if (s->text.len == 0)
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		s->items = arena_grow(s->a, s->items, s->n, cap, sizeof *s->items);
		s->cap = cap;
	}
	cite_seg *g = &s->items[s->n++];
	g->text = arena_strndup(s->a, s->text.data, s->text.len);
	g->href = NULL;
	g->italic = 0;
	g->ref = NULL;
	s->text.len = 0;
}

static void cite_segs_link(cite_segs *s, const char *url)
{
	if (s->dry)
		return;
	cite_segs_flush(s);
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		s->items = arena_grow(s->a, s->items, s->n, cap, sizeof *s->items);
		s->cap = cap;
	}
	cite_seg *g = &s->items[s->n++];
	g->text = arena_strdup(s->a, url);
	g->href = g->text;
	g->italic = 0;
	g->ref = NULL;
}

/* 1 if s is NULL or empty. */
static int cite_empty(const char *s)
{
	return !s || !*s;
}

/* The last byte written to the pending text (0 if none). */
static char cite_last(const cite_segs *s)
{
	return s->text.len ? s->text.data[s->text.len - 1] : 0;
}

/* Append a full stop unless the text already ends in . ? or !. */
static void cite_stop(cite_segs *s)
{
	char c = cite_last(s);
	if (c != '.' && c != '?' && c != '!')
		cite_puts(s, ".");
}

/* The initials of a given name: "Susan" -> "S", "TB" -> "TB",
 * "P.O." -> "PO", "Mary-Jane" -> "MJ". A piece written entirely in capitals
 * is kept whole; otherwise its first character (UTF-8 aware) is taken. */
static void cite_put_initials(buf *b, const char *given)
{
	const char *p = given;
	while (*p) {
		while (*p == ' ' || *p == '.' || *p == '-')
			p++;
		if (!*p)
			break;
		const char *start = p;
		int all_caps = 1;
		while (*p && *p != ' ' && *p != '.' && *p != '-') {
			unsigned char c = (unsigned char)*p;
			if (c >= 'a' && c <= 'z')
				all_caps = 0;
			p++;
		}
		if (all_caps) {
			buf_put(b, start, (size_t)(p - start));
		} else {
			size_t n = 1;
			while (start + n < p && ((unsigned char)start[n] & 0xC0) == 0x80)
				n++;
			char c = *start;
			if (c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
			buf_put(b, &c, 1);
			if (n > 1)
				buf_put(b, start + 1, n - 1);
		}
	}
}

/* "Ayers S" (family then initials) or the literal name. */
static void cite_put_name_inverted(buf *b, const doc_name *n)
{
	if (!cite_empty(n->literal)) {
		buf_puts(b, n->literal);
		return;
	}
	if (!cite_empty(n->family))
		buf_puts(b, n->family);
	if (!cite_empty(n->given)) {
		if (!cite_empty(n->family))
			buf_puts(b, " ");
		cite_put_initials(b, n->given);
	}
}

/* "P.O. Svanberg" (given as written, then family) or the literal name. */
static void cite_put_name_direct(buf *b, const doc_name *n)
{
	if (!cite_empty(n->literal)) {
		buf_puts(b, n->literal);
		return;
	}
	if (!cite_empty(n->given)) {
		buf_puts(b, n->given);
		if (!cite_empty(n->family))
			buf_puts(b, " ");
	}
	if (!cite_empty(n->family))
		buf_puts(b, n->family);
}

const char *cite_person(arena *a, const doc_name *n)
{
	if (!cite_empty(n->literal))
		return n->literal;
	buf b = {0};
	const char *parts[3] = { n->honorific, n->given, n->family };
	for (int i = 0; i < 3; i++) {
		if (cite_empty(parts[i]))
			continue;
		if (b.len)
			buf_puts(&b, " ");
		buf_puts(&b, parts[i]);
	}
	const char *s = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

const char *cite_author_list(arena *a, const doc_name *names, size_t n)
{
	buf b = {0};
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&b, i + 1 == n ? " and " : ", ");
		buf_puts(&b, cite_person(a, &names[i]));
	}
	const char *s = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

const char *cite_person_sort_as(arena *a, const doc_name *n)
{
	if (!cite_empty(n->literal))
		return n->literal;
	if (!cite_empty(n->given))
		return arena_printf(a, "%s, %s", n->family ? n->family : "",
				    n->given);
	return n->family ? n->family : "";
}

/* The short name used in labels and for sorting. */
static const char *cite_short_name(const doc_name *n)
{
	if (!cite_empty(n->literal))
		return n->literal;
	if (!cite_empty(n->family))
		return n->family;
	return n->given ? n->given : "";
}

/* The names a label and the sort use: authors, else editors. */
static const doc_name *cite_lead_names(const doc_ref *r, size_t *count)
{
	if (r->nauthors) {
		*count = r->nauthors;
		return r->authors;
	}
	*count = r->neditors;
	return r->neditors ? r->editors : NULL;
}

/* "2016" (first four characters of issued) or "n.d.". */
static const char *cite_year(arena *a, const doc_ref *r)
{
	if (cite_empty(r->issued) || strlen(r->issued) < 4)
		return "n.d.";
	return arena_strndup(a, r->issued, 4);
}

/* The names of a label: "Ayers et al", "Pawlby and Fernyhough", "NCT";
 * the title (or the id) for an entry that names nobody. */
static const char *cite_label_names(arena *a, const doc_ref *r)
{
	size_t n;
	const doc_name *names = cite_lead_names(r, &n);
	if (!names) {
		const char *what = cite_empty(r->title) ? r->id : r->title;
		return what ? what : "Anon";
	}
	if (n == 1)
		return cite_short_name(&names[0]);
	if (n == 2)
		return arena_printf(a, "%s and %s", cite_short_name(&names[0]),
				    cite_short_name(&names[1]));
	return arena_printf(a, "%s et al", cite_short_name(&names[0]));
}

const char *cite_label(arena *a, const doc_ref *r)
{
	return arena_printf(a, "%s, %s", cite_label_names(a, r), cite_year(a, r));
}

const char *cite_format_date(arena *a, const char *iso)
{
	if (!iso)
		return NULL;
	size_t len = strlen(iso);
	if (len != 4 && len != 7 && len != 10)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		int dash = (i == 4 || i == 7);
		if (dash ? iso[i] != '-' : (iso[i] < '0' || iso[i] > '9'))
			return NULL;
	}
	int year = atoi(iso);
	if (len == 4)
		return arena_strndup(a, iso, 4);
	int month = (iso[5] - '0') * 10 + (iso[6] - '0');
	if (month < 1 || month > 12)
		return NULL;
	if (len == 7)
		return arena_printf(a, "%s %d", cite_months[month - 1], year);
	static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int day = (iso[8] - '0') * 10 + (iso[9] - '0');
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	int max = (month == 2 && !leap) ? 28 : days[month - 1];
	if (day < 1 || day > max)
		return NULL;
	const char *suffix = "th";
	if (day % 10 == 1 && day != 11)
		suffix = "st";
	else if (day % 10 == 2 && day != 12)
		suffix = "nd";
	else if (day % 10 == 3 && day != 13)
		suffix = "rd";
	return arena_printf(a, "%d%s %s %d", day, suffix, cite_months[month - 1], year);
}

/* "Ayers S, Bond R, Wijma K." - or for an editor-only entry
 * "Leach P. (Ed.)". */
static void cite_put_names(cite_segs *s, const doc_ref *r)
{
	size_t n;
	const doc_name *names = cite_lead_names(r, &n);
	if (!names)
		return;
	s->printed |= r->nauthors ? CITE_F_AUTHOR : CITE_F_EDITOR;
	if (s->dry)
		return;
	for (size_t i = 0; i < n; i++) {
		if (i)
			cite_puts(s, ", ");
		cite_put_name_inverted(&s->text, &names[i]);
	}
	cite_stop(s);
	if (!r->nauthors)
		cite_puts(s, n > 1 ? " (Eds.)" : " (Ed.)");
}

/* " 46(6): 1121-1134." - volume, issue and pages, as far as given. */
static void cite_put_numbers(cite_segs *s, const doc_ref *r)
{
	int vol = !cite_empty(r->volume), iss = !cite_empty(r->issue);
	int page = !cite_empty(r->page);
	if (!vol && !iss && !page)
		return;
	cite_puts(s, " ");
	if (vol) {
		cite_puts(s, r->volume);
		s->printed |= CITE_F_VOLUME;
	}
	if (iss) {
		cite_puts(s, "(");
		cite_puts(s, r->issue);
		cite_puts(s, ")");
		s->printed |= CITE_F_ISSUE;
	}
	if (page) {
		if (vol || iss)
			cite_puts(s, ": ");
		cite_puts(s, r->page);
		s->printed |= CITE_F_PAGE;
	}
	cite_stop(s);
}

/* "Eds. P.O. Svanberg and J. Barlow, Keeping the Baby in Mind, Routledge."
 * then the chapter's volume, issue and pages. */
static void cite_put_chapter_source(cite_segs *s, const doc_ref *r)
{
	int any = 0;
	if (r->nauthors && r->neditors) {
		cite_puts(s, " Eds. ");
		for (size_t i = 0; i < r->neditors && !s->dry; i++) {
			if (i)
				cite_puts(s, i + 1 == r->neditors ? " and " : ", ");
			cite_put_name_direct(&s->text, &r->editors[i]);
		}
		s->printed |= CITE_F_EDITOR;
		any = 1;
	}
	const char *parts[3] = { r->container_title, r->publisher_place, r->publisher };
	static const unsigned bits[3] = { CITE_F_CONTAINER, CITE_F_PLACE,
					  CITE_F_PUBLISHER };
	for (size_t i = 0; i < 3; i++) {
		if (cite_empty(parts[i]))
			continue;
		cite_puts(s, any ? (i == 2 && !cite_empty(r->publisher_place) ? ": " : ", ") : " ");
		cite_puts(s, parts[i]);
		s->printed |= bits[i];
		any = 1;
	}
	if (any)
		cite_stop(s);
	cite_put_numbers(s, r);
}

/* " Psychological Medicine. 46(6): 1121-1134." and
 * " Boston: Harvard Medical School." */
static void cite_put_source(cite_segs *s, const doc_ref *r)
{
	if (!cite_empty(r->container_title)) {
		cite_puts(s, " ");
		cite_puts(s, r->container_title);
		cite_stop(s);
		s->printed |= CITE_F_CONTAINER;
	}
	cite_put_numbers(s, r);
	if (!cite_empty(r->publisher) || !cite_empty(r->publisher_place)) {
		cite_puts(s, " ");
		if (!cite_empty(r->publisher_place)) {
			cite_puts(s, r->publisher_place);
			s->printed |= CITE_F_PLACE;
			if (!cite_empty(r->publisher))
				cite_puts(s, ": ");
		}
		if (!cite_empty(r->publisher)) {
			cite_puts(s, r->publisher);
			s->printed |= CITE_F_PUBLISHER;
		}
		cite_stop(s);
	}
}

/* The entry of r into s (see cite_format_entry). */
static void cite_put_entry(cite_segs *s, const doc_ref *r)
{
	arena *a = s->a;
	cite_put_names(s, r);
	if (s->text.len)
		cite_puts(s, " ");
	cite_puts(s, "(");
	if (!s->dry)
		cite_puts(s, cite_empty(r->issued) ? "n.d." : cite_year(a, r));
	cite_puts(s, ")");
	if (!cite_empty(r->issued))
		s->printed |= CITE_F_ISSUED;
	if (!cite_empty(r->title)) {
		cite_puts(s, " ");
		cite_puts(s, r->title);
		cite_stop(s);
		s->printed |= CITE_F_TITLE;
	} else {
		cite_puts(s, ".");
	}
	if (r->type && strcmp(r->type, "chapter") == 0)
		cite_put_chapter_source(s, r);
	else
		cite_put_source(s, r);
	if (!cite_empty(r->url)) {
		cite_puts(s, " Available at: ");
		if (r->url_checked) {
			cite_segs_link(s, r->url);
		} else {
			cite_puts(s, r->url);  /* unchecked: no link */
		}
		s->printed |= CITE_F_URL;
		if (!cite_empty(r->accessed)) {
			const char *when = s->dry ? "" : cite_format_date(a, r->accessed);
			cite_puts(s, " [accessed ");
			cite_puts(s, when ? when : r->accessed);
			cite_puts(s, "]");
			s->printed |= CITE_F_ACCESSED;
		}
		cite_puts(s, ".");
	}
	cite_segs_flush(s);
	buf_free(&s->text);
}

size_t cite_format_entry(arena *a, const doc_ref *r, cite_seg **out)
{
	cite_segs s = { .a = a };
	cite_put_entry(&s, r);
	*out = s.items;
	return s.n;
}

/* The CITE_F_* of the fields r gives. */
static unsigned cite_given_fields(const doc_ref *r)
{
	const struct { const char *v; unsigned bit; } f[] = {
		{ r->issued, CITE_F_ISSUED }, { r->title, CITE_F_TITLE },
		{ r->container_title, CITE_F_CONTAINER }, { r->volume, CITE_F_VOLUME },
		{ r->issue, CITE_F_ISSUE }, { r->page, CITE_F_PAGE },
		{ r->publisher, CITE_F_PUBLISHER }, { r->publisher_place, CITE_F_PLACE },
		{ r->url, CITE_F_URL }, { r->accessed, CITE_F_ACCESSED },
	};
	unsigned given = (r->nauthors ? CITE_F_AUTHOR : 0) |
			 (r->neditors ? CITE_F_EDITOR : 0);
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		if (!cite_empty(f[i].v))
			given |= f[i].bit;
	return given;
}

unsigned cite_unprinted_fields(arena *a, const doc_ref *r)
{
	cite_segs s = { .a = a, .dry = 1 };
	cite_put_entry(&s, r);
	return cite_given_fields(r) & ~s.printed;
}

const char *cite_field_name(unsigned field)
{
	static const char *const names[] = {
		"author", "editor", "issued", "title", "container-title", "volume",
		"issue", "page", "publisher", "publisher-place", "URL", "accessed",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (field == 1u << i)
			return names[i];
	return "?";
}

/* The words written before key i of cite, or NULL. */
static const char *cite_prefix(const doc_node *cite, size_t i)
{
	const char *p = cite->prefixes ? cite->prefixes[i] : NULL;
	return cite_empty(p) ? NULL : p;
}

/* The words written after key i of cite, or NULL. */
static const char *cite_suffix(const doc_node *cite, size_t i)
{
	const char *p = cite->suffixes ? cite->suffixes[i] : NULL;
	return cite_empty(p) ? NULL : p;
}

/* Append a suffix as pandoc sets it: directly after what precedes when it
 * starts with ',', ';' or '.' ("Gerhardt, 2014, p. 4"), else after sep. */
static void cite_put_suffix(buf *b, const char *suffix, const char *sep)
{
	if (!suffix)
		return;
	if (*suffix != ',' && *suffix != ';' && *suffix != '.')
		buf_puts(b, sep);
	buf_puts(b, suffix);
}

/* The pending text as a segment linking to entry r. */
static void cite_segs_ref(cite_segs *s, const doc_ref *r)
{
	if (!s->text.len)
		return;
	cite_segs_flush(s);
	s->items[s->n - 1].ref = r;
}

/* The extra links of a citation (its DOC_LINK children), each after sep
 * ("; " between them); a link the checker has not accepted is its text. */
static void cite_group_links(cite_segs *s, const doc_node *cite, size_t items)
{
	for (const doc_node *c = cite->first; c; c = c->next) {
		if (c->type != DOC_LINK)
			continue;
		if (items++)
			buf_puts(&s->text, "; ");
		const char *href = doc_link_href(c);
		if (!href) {  /* unchecked: its text, not a link */
			buf_puts(&s->text, doc_plain_text(s->a, c));
			continue;
		}
		cite_segs_link(s, href);
		s->items[s->n - 1].text = doc_plain_text(s->a, c);
	}
}

/* "(see Gerhardt, 2014, p. 4; NCT, 2016)": the prefix, the label (the
 * link), the suffix, per key; then the extra links. */
static void cite_group_parenthetical(cite_segs *s, const doc_node *cite)
{
	buf_puts(&s->text, "(");
	for (size_t i = 0; i < cite->nkeys; i++) {
		if (i)
			buf_puts(&s->text, "; ");
		const char *prefix = cite_prefix(cite, i);
		if (prefix) {
			buf_puts(&s->text, prefix);
			buf_puts(&s->text, " ");
		}
		const doc_ref *r = cite->refs ? cite->refs[i] : NULL;
		if (r) {
			cite_segs_flush(s);
			buf_puts(&s->text, cite_label(s->a, r));
			cite_segs_ref(s, r);
		} else {
			buf_puts(&s->text, cite->keys[i]);
		}
		cite_put_suffix(&s->text, cite_suffix(cite, i), " ");
	}
	cite_group_links(s, cite, cite->nkeys);
	buf_puts(&s->text, ")");
}

/* "Gerhardt (2014)", "Gerhardt (2014, p. 33)": the whole of it one link
 * to the entry, so that the link says what it leads to and no line of a
 * PDF or EPUB shows a link cut off inside its brackets; a prefix before it
 * and extra links after it, in brackets of their own, are not part of it.
 * (A group of several keys, which pandoc's author-in-text form never
 * writes, is set key by key, separated by "; ".) */
static void cite_group_in_text(cite_segs *s, const doc_node *cite)
{
	for (size_t i = 0; i < cite->nkeys; i++) {
		if (i)
			buf_puts(&s->text, "; ");
		const char *prefix = cite_prefix(cite, i);
		if (prefix) {
			buf_puts(&s->text, prefix);
			buf_puts(&s->text, " ");
		}
		const doc_ref *r = cite->refs ? cite->refs[i] : NULL;
		if (!r) {
			buf_puts(&s->text, cite->keys[i]);
			continue;
		}
		cite_segs_flush(s);
		buf_printf(&s->text, "%s (%s", cite_label_names(s->a, r),
			   cite_year(s->a, r));
		cite_put_suffix(&s->text, cite_suffix(cite, i), ", ");
		buf_puts(&s->text, ")");
		cite_segs_ref(s, r);
	}
	int links = 0;
	for (const doc_node *c = cite->first; c; c = c->next)
		links += c->type == DOC_LINK;
	if (links) {
		buf_puts(&s->text, " (");
		cite_group_links(s, cite, 0);
		buf_puts(&s->text, ")");
	}
}

size_t cite_format_group(arena *a, const doc_node *cite, cite_seg **out)
{
	cite_segs s = { .a = a };
	if (cite->in_text)
		cite_group_in_text(&s, cite);
	else
		cite_group_parenthetical(&s, cite);
	cite_segs_flush(&s);
	buf_free(&s.text);
	*out = s.items;
	return s.n;
}

/* ---- bibliography order -------------------------------------------------- */

/* The collator for a BCP 47 tag (the booklet's language), falling back to
 * the root collation; NULL only if ICU cannot open even that. */
static UCollator *cite_collator(const char *lang)
{
	UErrorCode err = U_ZERO_ERROR;
	char locale[ULOC_FULLNAME_CAPACITY] = "";
	if (lang && *lang) {
		uloc_forLanguageTag(lang, locale, sizeof locale, NULL, &err);
		if (U_FAILURE(err))
			locale[0] = '\0';
	}
	err = U_ZERO_ERROR;
	UCollator *c = ucol_open(locale, &err);
	if (U_FAILURE(err)) {
		err = U_ZERO_ERROR;
		c = ucol_open("", &err);
	}
	return U_FAILURE(err) ? NULL : c;
}

/* Two UTF-8 strings in the collator's order (bytes without one, or for
 * text ICU cannot read). */
static int cite_collate(const UCollator *coll, const char *x, const char *y)
{
	x = x ? x : "";
	y = y ? y : "";
	if (coll) {
		UErrorCode err = U_ZERO_ERROR;
		UCollationResult r = ucol_strcollUTF8(coll, x, -1, y, -1, &err);
		if (U_SUCCESS(err))
			return r == UCOL_LESS ? -1 : r == UCOL_GREATER;
	}
	return strcmp(x, y);
}

/* One entry's place: the lead name (or the title), the year, the title. */
typedef struct cite_sortkey {
	doc_ref *ref;
	const char *name, *year, *title;
} cite_sortkey;

/* Bibliography order: lead name, year, title (ties keep source order:
 * the sort is stable). */
static int cite_sortkey_cmp(const UCollator *coll, const cite_sortkey *x,
			    const cite_sortkey *y)
{
	int c = cite_collate(coll, x->name, y->name);
	if (!c)
		c = strcmp(x->year, y->year);
	if (!c)
		c = cite_collate(coll, x->title, y->title);
	return c;
}

/* Stable merge sort of k[0..n) through tmp (room for n), O(n log n)
 * comparisons; iterative, so no recursion on hostile input. */
static void cite_merge_sort(cite_sortkey *k, cite_sortkey *tmp, size_t n,
			    const UCollator *coll)
{
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, t = lo;
			while (i < mid && j < hi)
				tmp[t++] = cite_sortkey_cmp(coll, &k[j], &k[i]) < 0
						   ? k[j++] : k[i++];
			while (i < mid)
				tmp[t++] = k[i++];
			while (j < hi)
				tmp[t++] = k[j++];
		}
		memcpy(k, tmp, n * sizeof *k);
	}
}

void cite_sort_refs(doc *d)
{
	size_t n = d->nrefs;
	doc_ref **v = arena_alloc(d->arena, (n ? n : 1) * sizeof *v);
	cite_sortkey *k = malloc((n ? n : 1) * 2 * sizeof *k);
	if (!k) {
		for (size_t i = 0; i < n; i++)
			v[i] = &d->refs[i];  /* no memory to sort: source order */
		d->refs_sorted = v;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		doc_ref *r = &d->refs[i];
		size_t nn;
		const doc_name *lead = cite_lead_names(r, &nn);
		k[i].ref = r;
		k[i].name = lead ? cite_short_name(&lead[0]) : r->title;
		k[i].year = r->issued ? r->issued : "";
		k[i].title = r->title;
	}
	UCollator *coll = cite_collator(d->meta.language);
	cite_merge_sort(k, k + n, n, coll);
	for (size_t i = 0; i < n; i++)
		v[i] = k[i].ref;
	free(k);
	if (coll)
		ucol_close(coll);
	d->refs_sorted = v;
}
