/* cite.c - the one home of Harvard citation and bibliography formatting as
 * the NCT seed prints it: in-text labels ("Ayers et al, 2016"), full entries
 * as text segments (URLs marked as links), dates ("16th January 2020") and
 * the bibliography order. Renderers (EPUB, PDF) only place what this file
 * returns. All strings are arena memory. */
#include "doc/cite.h"

#include <stdlib.h>
#include <string.h>

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
} cite_segs;

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
		buf_puts(&s->text, ".");
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

const char *cite_label(arena *a, const doc_ref *r)
{
	size_t n;
	const doc_name *names = cite_lead_names(r, &n);
	const char *year = cite_year(a, r);
	if (!names) {
		const char *what = cite_empty(r->title) ? r->id : r->title;
		return arena_printf(a, "%s, %s", what ? what : "Anon", year);
	}
	if (n == 1)
		return arena_printf(a, "%s, %s", cite_short_name(&names[0]), year);
	if (n == 2)
		return arena_printf(a, "%s and %s, %s", cite_short_name(&names[0]),
				    cite_short_name(&names[1]), year);
	return arena_printf(a, "%s et al, %s", cite_short_name(&names[0]), year);
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
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&s->text, ", ");
		cite_put_name_inverted(&s->text, &names[i]);
	}
	cite_stop(s);
	if (!r->nauthors)
		buf_puts(&s->text, n > 1 ? " (Eds.)" : " (Ed.)");
}

/* "Eds. P.O. Svanberg and J. Barlow, Keeping the Baby in Mind, Routledge." */
static void cite_put_chapter_source(cite_segs *s, const doc_ref *r)
{
	int any = 0;
	if (r->nauthors && r->neditors) {
		buf_puts(&s->text, " Eds. ");
		for (size_t i = 0; i < r->neditors; i++) {
			if (i)
				buf_puts(&s->text, i + 1 == r->neditors ? " and " : ", ");
			cite_put_name_direct(&s->text, &r->editors[i]);
		}
		any = 1;
	}
	const char *parts[3] = { r->container_title, r->publisher_place, r->publisher };
	for (size_t i = 0; i < 3; i++) {
		if (cite_empty(parts[i]))
			continue;
		buf_puts(&s->text, any ? (i == 2 && !cite_empty(r->publisher_place) ? ": " : ", ") : " ");
		buf_puts(&s->text, parts[i]);
		any = 1;
	}
	if (any)
		cite_stop(s);
}

/* " Psychological Medicine. 46(6): 1121-1134." and
 * " Boston: Harvard Medical School." */
static void cite_put_source(cite_segs *s, const doc_ref *r)
{
	if (!cite_empty(r->container_title)) {
		buf_puts(&s->text, " ");
		buf_puts(&s->text, r->container_title);
		cite_stop(s);
	}
	int vol = !cite_empty(r->volume), iss = !cite_empty(r->issue);
	int page = !cite_empty(r->page);
	if (vol || iss || page) {
		buf_puts(&s->text, " ");
		if (vol)
			buf_puts(&s->text, r->volume);
		if (iss) {
			buf_puts(&s->text, "(");
			buf_puts(&s->text, r->issue);
			buf_puts(&s->text, ")");
		}
		if (page) {
			if (vol || iss)
				buf_puts(&s->text, ": ");
			buf_puts(&s->text, r->page);
		}
		cite_stop(s);
	}
	if (!cite_empty(r->publisher) || !cite_empty(r->publisher_place)) {
		buf_puts(&s->text, " ");
		if (!cite_empty(r->publisher_place)) {
			buf_puts(&s->text, r->publisher_place);
			if (!cite_empty(r->publisher))
				buf_puts(&s->text, ": ");
		}
		if (!cite_empty(r->publisher))
			buf_puts(&s->text, r->publisher);
		cite_stop(s);
	}
}

size_t cite_format_entry(arena *a, const doc_ref *r, cite_seg **out)
{
	cite_segs s = { .a = a };
	cite_put_names(&s, r);
	if (s.text.len)
		buf_puts(&s.text, " ");
	buf_puts(&s.text, "(");
	buf_puts(&s.text, cite_empty(r->issued) ? "n.d." : cite_year(a, r));
	buf_puts(&s.text, ")");
	if (!cite_empty(r->title)) {
		buf_puts(&s.text, " ");
		buf_puts(&s.text, r->title);
		cite_stop(&s);
	} else {
		buf_puts(&s.text, ".");
	}
	if (r->type && strcmp(r->type, "chapter") == 0)
		cite_put_chapter_source(&s, r);
	else
		cite_put_source(&s, r);
	if (!cite_empty(r->url)) {
		buf_puts(&s.text, " Available at: ");
		cite_segs_link(&s, r->url);
		if (!cite_empty(r->accessed)) {
			const char *when = cite_format_date(a, r->accessed);
			buf_puts(&s.text, " [accessed ");
			buf_puts(&s.text, when ? when : r->accessed);
			buf_puts(&s.text, "]");
		}
		buf_puts(&s.text, ".");
	}
	cite_segs_flush(&s);
	buf_free(&s.text);
	*out = s.items;
	return s.n;
}

size_t cite_format_group(arena *a, const doc_node *cite, cite_seg **out)
{
	cite_segs s = { .a = a };
	size_t items = 0;
	buf_puts(&s.text, "(");
	for (size_t i = 0; i < cite->nkeys; i++, items++) {
		if (items)
			buf_puts(&s.text, "; ");
		const doc_ref *r = cite->refs ? cite->refs[i] : NULL;
		if (!r) {
			buf_puts(&s.text, cite->keys[i]);
			continue;
		}
		cite_segs_flush(&s);
		buf_puts(&s.text, cite_label(a, r));
		cite_segs_flush(&s);
		s.items[s.n - 1].ref = r;
	}
	for (const doc_node *c = cite->first; c; c = c->next) {
		if (c->type != DOC_LINK)
			continue;
		if (items++)
			buf_puts(&s.text, "; ");
		cite_segs_link(&s, c->text);
		s.items[s.n - 1].text = doc_plain_text(a, c);
	}
	buf_puts(&s.text, ")");
	cite_segs_flush(&s);
	buf_free(&s.text);
	*out = s.items;
	return s.n;
}

/* ASCII case-insensitive comparison; other bytes compare as unsigned. */
static int cite_casecmp(const char *x, const char *y)
{
	x = x ? x : "";
	y = y ? y : "";
	for (;; x++, y++) {
		int cx = (unsigned char)*x, cy = (unsigned char)*y;
		if (cx >= 'A' && cx <= 'Z')
			cx += 'a' - 'A';
		if (cy >= 'A' && cy <= 'Z')
			cy += 'a' - 'A';
		if (cx != cy || !cx)
			return cx - cy;
	}
}

/* Bibliography order: lead name, year, title. */
static int cite_order(const doc_ref *x, const doc_ref *y)
{
	size_t nx, ny;
	const doc_name *ax = cite_lead_names(x, &nx);
	const doc_name *ay = cite_lead_names(y, &ny);
	int c = cite_casecmp(ax ? cite_short_name(&ax[0]) : x->title,
			     ay ? cite_short_name(&ay[0]) : y->title);
	if (c)
		return c;
	c = cite_casecmp(x->issued, y->issued);
	if (c)
		return c;
	return cite_casecmp(x->title, y->title);
}

void cite_sort_refs(doc *d)
{
	doc_ref **v = arena_alloc(d->arena, (d->nrefs ? d->nrefs : 1) * sizeof *v);
	/* Insertion sort: stable, and bibliographies are short. */
	for (size_t i = 0; i < d->nrefs; i++) {
		doc_ref *r = &d->refs[i];
		size_t j = i;
		while (j > 0 && cite_order(v[j - 1], r) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = r;
	}
	d->refs_sorted = v;
}
