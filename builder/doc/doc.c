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

static int key_cmp(const void *k, const void *e)
{
	return strcmp(k, (*(doc_ref *const *)e)->id);
}

doc_ref *doc_find_ref(const doc *d, const char *key)
{
	if (d->refs_by_key) {
		doc_ref **r = bsearch(key, d->refs_by_key, d->nrefs,
				      sizeof *d->refs_by_key, key_cmp);
		return r ? *r : NULL;
	}
	for (size_t i = 0; i < d->nrefs; i++)
		if (strcmp(d->refs[i].id, key) == 0)
			return &d->refs[i];
	return NULL;
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
