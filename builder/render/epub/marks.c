/* marks.c - the print edition's page numbers in the EPUB: a page-break
 * marker (an empty <span role="doc-pagebreak" epub:type="pagebreak"
 * aria-label="7">) where each numbered page of the A5 booklet begins, as
 * the layout says (lo_page.start): before the paragraph, heading or entry
 * the page opens with, or inside it, between the words where the page's
 * first line begins. A page that begins inside a link (a citation's
 * label, a URL) is marked before the link, so the link's name stays its
 * text; one that begins inside a hyphenated word, before the word. The
 * contents pages are marked at the start of nav.xhtml (nav.c). */
#include <stdint.h>
#include <string.h>

#include "render/epub/book.h"

static int epub_mark_key_eq(const void *entry, const void *key)
{
	return ((const epub_mark_key *)entry)->key == key;
}

static uint64_t epub_key_hash(const void *key)
{
	return hash_u64(HASH_SEED, (uint64_t)(uintptr_t)key);
}

/* Chain mark i after the marks already planned for its key. */
static void epub_mark_chain(epub *st, size_t i)
{
	const void *key = st->marks[i].key;
	epub_mark_key *k = hmap_get(&st->mark_keys, epub_key_hash(key),
				    epub_mark_key_eq, key);
	if (!k) {
		k = arena_alloc(st->a, sizeof *k);
		k->key = key;
		k->first = k->last = i;
		hmap_put(&st->mark_keys, epub_key_hash(key), k);
		return;
	}
	st->marks[k->last].next = i;
	k->last = i;
}

void epub_marks_plan(epub *st)
{
	const lo_doc *lo = st->opt->print;
	if (!lo || !lo->npages)
		return;
	st->marks = arena_alloc(st->a, lo->npages * sizeof *st->marks);
	for (size_t i = 0; i < lo->npages; i++) {
		const lo_page *p = &lo->pages[i];
		const void *key = p->start.node ? (const void *)p->start.node
						: (const void *)p->start.ref;
		if (!p->label || (p->kind == LO_BODY && !key) ||
		    (p->kind != LO_BODY && p->kind != LO_FRONT))
			continue;
		epub_mark *m = &st->marks[st->nmarks];
		m->label = arena_strdup(st->a, p->label);   /* print is let go */
		m->id = epub_new_id(st, arena_printf(st->a, "page-%s", p->label));
		m->key = p->kind == LO_BODY ? key : NULL;
		m->offset = p->kind == LO_BODY ? p->start.offset : 0;
		m->next = SIZE_MAX;
		if (m->key)
			epub_mark_chain(st, st->nmarks);
		st->nmarks++;
	}
}

epub_mark_cursor epub_marks_of(const epub *st, const void *key)
{
	epub_mark_cursor c = {SIZE_MAX, 0};
	const epub_mark_key *k = key && st->nmarks
		? hmap_get(&st->mark_keys, epub_key_hash(key), epub_mark_key_eq, key)
		: NULL;
	if (k)
		c.next = k->first;
	return c;
}

void epub_mark_write(epub_page *pg, xmlNodePtr parent, size_t i)
{
	epub *st = pg->st;
	epub_mark *m = &st->marks[i];
	/* empty, but written <span></span>: a reader that parses the page
	 * as HTML would take <span/> for an unclosed span */
	xmlNodePtr s = epub_inline(st, parent, "span");
	epub_type(pg, s, "pagebreak", "doc-pagebreak");
	epub_attr(st, s, "id", m->id);
	epub_attr(st, s, "aria-label", m->label);
	m->file = pg->file;
}

void epub_marks_upto(epub_page *pg, xmlNodePtr parent, epub_mark_cursor *c,
		     size_t end)
{
	const epub *st = pg->st;
	while (c->next != SIZE_MAX && st->marks[c->next].offset < end) {
		size_t i = c->next;
		c->next = st->marks[i].next;
		epub_mark_write(pg, parent, i);
	}
}

/* Whether a page may be marked at byte k of text: at its start, after a
 * space, or after a hyphen or dash the line broke at (which stays
 * printed), not inside a word. */
static int epub_word_start(const char *text, size_t k)
{
	if (k == 0)
		return 1;
	unsigned char c = (unsigned char)text[k - 1];
	if (c == ' ' || c == '-')
		return 1;
	/* U+2010 hyphen, U+2013 en dash, U+2014 em dash */
	return k >= 3 && (unsigned char)text[k - 3] == 0xE2 &&
	       (unsigned char)text[k - 2] == 0x80 &&
	       (c == 0x90 || c == 0x93 || c == 0x94);
}

void epub_marks_text(epub_page *pg, xmlNodePtr parent, epub_mark_cursor *c,
		     const char *text)
{
	epub *st = pg->st;
	size_t len = strlen(text), done = 0;
	while (c->next != SIZE_MAX && st->marks[c->next].offset < c->at + len) {
		size_t off = st->marks[c->next].offset;
		size_t k = off > c->at ? off - c->at : 0;
		while (k > done && !epub_word_start(text, k))
			k--;
		if (k > done)
			epub_text(st, parent, arena_strndup(st->a, text + done,
							    k - done));
		epub_marks_upto(pg, parent, c, off + 1);
		done = k;
	}
	epub_text(st, parent, done ? text + done : text);
	c->at += len;
}
