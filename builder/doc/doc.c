/* doc.c - building and walking the document tree. */
#include "doc/doc.h"

#include <stdlib.h>
#include <string.h>

doc_node *doc_node_new(arena *a, doc_type type, doc_pos pos)
{
	doc_node *n = arena_alloc(a, sizeof *n);
	n->type = type;
	n->pos = pos;
	return n;
}

void doc_append(doc_node *parent, doc_node *child)
{
	child->parent = parent;
	child->prev = parent->last;
	child->next = NULL;
	if (parent->last)
		parent->last->next = child;
	else
		parent->first = child;
	parent->last = child;
}

void doc_add_inline(doc *d, doc_node *root)
{
	if (d->ninlines == d->capinlines) {
		size_t cap = d->capinlines ? 2 * d->capinlines : 64;
		d->inlines = arena_grow(d->arena, d->inlines, d->ninlines, cap,
					sizeof *d->inlines);
		d->capinlines = cap;
	}
	d->inlines[d->ninlines++] = root;
}

void doc_collect_inlines(doc *d)
{
	d->ninlines = 0;
	if (d->meta.standfirst)
		doc_add_inline(d, d->meta.standfirst);
	for (doc_node *part = d->parts_first; part; part = part->next) {
		int entering = 1;
		for (doc_node *n = doc_walk(part, NULL, &entering); n;
		     n = doc_walk(part, n, &entering)) {
			if (!entering ||
			    (n->type != DOC_HEADING && n->type != DOC_PARA))
				continue;
			doc_add_inline(d, n);
			entering = 0;       /* its inline children are its own */
		}
	}
}

const char *doc_link_href(const doc_node *link)
{
	return link && link->type == DOC_LINK && link->checked ? link->text
							       : NULL;
}

void doc_inline_start(doc_inline *it, const doc_node *root)
{
	memset(it, 0, sizeof *it);
	it->root_ = root;
	it->entering_ = 1;
}

/* The event for entering (or leaving) node n; 0 for a node that makes
 * none (the root, an unchecked link). */
static int doc_inline_event_of(doc_inline *it, const doc_node *n, int entering)
{
	it->node = n;
	it->text = NULL;
	it->href = NULL;
	switch (n->type) {
	case DOC_TEXT:
		if (!entering)
			return 0;
		it->event = DOC_IN_TEXT;
		it->text = n->text ? n->text : "";
		return 1;
	case DOC_EMPH:
		it->event = entering ? DOC_IN_EMPH : DOC_IN_EMPH_END;
		return 1;
	case DOC_STRONG:
		it->event = entering ? DOC_IN_STRONG : DOC_IN_STRONG_END;
		return 1;
	case DOC_LINK:
		it->href = doc_link_href(n);
		it->event = entering ? DOC_IN_LINK : DOC_IN_LINK_END;
		return it->href != NULL;
	case DOC_CITE:
		if (!entering)
			return 0;
		it->event = DOC_IN_CITE;
		return 1;
	default:
		return 0;
	}
}

int doc_inline_next(doc_inline *it)
{
	doc_node *root = (doc_node *)it->root_;
	if (!root)
		return 0;
	for (;;) {
		doc_node *n = (doc_node *)it->at_;
		if (n && n->type == DOC_CITE && it->entering_)
			it->entering_ = 0;   /* a group is one event */
		n = doc_walk(root, n, &it->entering_);
		it->at_ = n;
		if (!n) {
			it->root_ = NULL;
			return 0;
		}
		if (n != root && doc_inline_event_of(it, n, it->entering_))
			return 1;
	}
}

doc_node *doc_walk(doc_node *root, doc_node *n, int *entering)
{
	if (!n) {
		*entering = 1;
		return root;
	}
	if (*entering) {
		if (n->first)
			return n->first;
		*entering = 0;  /* an empty node is left right after entering */
		return n;
	}
	if (n == root)
		return NULL;
	if (n->next) {
		*entering = 1;
		return n->next;
	}
	return n->parent;
}

char *doc_plain_text(arena *a, const doc_node *n)
{
	buf b = {0};
	if (n->type == DOC_TEXT) {
		buf_puts(&b, n->text);
	} else {
		int entering = 1;
		doc_node *root = (doc_node *)n;
		for (doc_node *c = doc_walk(root, NULL, &entering); c;
		     c = doc_walk(root, c, &entering)) {
			if (!entering)
				continue;
			if (c->type == DOC_TEXT)
				buf_puts(&b, c->text);
			else if (c->type == DOC_CITE) {
				/* skip the cite's own children (extra links) */
				entering = 0;
			} else if (c != root && (c->type == DOC_PARA ||
						 c->type == DOC_HEADING) &&
				   b.len && b.data[b.len - 1] != ' ')
				buf_put(&b, " ", 1);
		}
	}
	char *s = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

doc_node *doc_heading(const doc_node *n)
{
	return n && n->first && n->first->type == DOC_HEADING ? n->first : NULL;
}

static int doc_ref_eq(const void *entry, const void *key)
{
	return strcmp(((const doc_ref *)entry)->id, key) == 0;
}

doc_ref *doc_find_ref(const doc *d, const char *key)
{
	if (d->refs_by_key.cap)
		return hmap_get(&d->refs_by_key, hash_str(key), doc_ref_eq, key);
	for (size_t i = 0; i < d->nrefs; i++)
		if (strcmp(d->refs[i].id, key) == 0)
			return &d->refs[i];
	return NULL;
}

void doc_hmap_settle(hmap *m, arena *a)
{
	if (!m->cap)
		return;
	void **entries = arena_alloc(a, m->cap * sizeof *entries);
	uint64_t *hashes = arena_alloc(a, m->cap * sizeof *hashes);
	memcpy(entries, m->entries, m->cap * sizeof *entries);
	memcpy(hashes, m->hashes, m->cap * sizeof *hashes);
	hmap settled = {entries, hashes, m->cap, m->n};
	hmap_free(m);
	*m = settled;
}

const char *doc_type_name(doc_type t)
{
	static const char *names[DOC__MAX] = {
		[DOC_PART] = "part",       [DOC_SECTION] = "section",
		[DOC_HEADING] = "title",   [DOC_PARA] = "p",
		[DOC_LIST] = "list",       [DOC_ITEM] = "li",
		[DOC_EXPERIENCE] = "experience",
		[DOC_BIBLIOGRAPHY] = "bibliography",
		[DOC_TEXT] = "text",       [DOC_EMPH] = "em",
		[DOC_STRONG] = "strong",   [DOC_LINK] = "link",
		[DOC_CITE] = "cite",
	};
	return (unsigned)t < DOC__MAX ? names[t] : "?";
}

const char *doc_part_kind_name(doc_part_kind k)
{
	static const char *names[PART__MAX] = {"article", "tips", "further",
					       "references"};
	return (unsigned)k < PART__MAX ? names[k] : "?";
}
