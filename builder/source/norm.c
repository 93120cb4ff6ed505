/* norm.c - the whitespace rule of booklet text (see norm.h). */
#include "source/norm.h"

#include <string.h>

static int norm_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Unlink the text nodes under block that collapsed to nothing. */
static void norm_unlink_empty(doc_node *block)
{
	int entering = 1;
	for (doc_node *n = doc_walk(block, NULL, &entering); n;) {
		doc_node *next = doc_walk(block, n, &entering);
		if (n->type == DOC_TEXT && !*n->text && n != block) {
			doc_node *p = n->parent;
			if (n->prev)
				n->prev->next = n->next;
			else
				p->first = n->next;
			if (n->next)
				n->next->prev = n->prev;
			else
				p->last = n->prev;
			if (next == n)
				next = doc_walk(block, n, &entering);
		}
		n = next;
	}
}

void norm_block(doc_node *block)
{
	int space = 1;
	doc_node *last_text = NULL;
	int entering = 1;
	for (doc_node *n = doc_walk(block, NULL, &entering); n;
	     n = doc_walk(block, n, &entering)) {
		if (!entering && n->type == DOC_CITE)
			space = 0;   /* "@a says": the space after it counts */
		if (!entering || n->type != DOC_TEXT)
			continue;
		char *s = (char *)n->text;
		size_t k = 0;
		for (const char *p = s; *p; p++) {
			if (norm_space(*p)) {
				if (!space)
					s[k++] = ' ';
				space = 1;
			} else {
				s[k++] = *p;
				space = 0;
			}
		}
		s[k] = '\0';
		if (k)
			last_text = n;
	}
	doc_node *last_leaf = block;
	while (last_leaf->last)
		last_leaf = last_leaf->last;
	if (last_text && last_text == last_leaf) {
		char *s = (char *)last_text->text;
		size_t k = strlen(s);
		while (k && s[k - 1] == ' ')
			s[--k] = '\0';
	}
	norm_unlink_empty(block);
}

char *norm_text(arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	size_t k = 0;
	int space = 1;
	for (size_t i = 0; i < n; i++) {
		if (norm_space(s[i])) {
			if (!space)
				out[k++] = ' ';
			space = 1;
		} else {
			out[k++] = s[i];
			space = 0;
		}
	}
	while (k && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
	return out;
}
