/* check.c - the meaning of a booklet beyond its schema: citations resolve,
 * ids and keys are unique, every reference is cited and complete, links
 * and dates are well formed. Resolves citations into the tree. */
#include "doc/check.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "doc/cite.h"

int check_edit_distance(const char *a, const char *b, int cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if ((la > lb ? la - lb : lb - la) > (size_t)cap)
		return cap + 1;
	if (lb > 64)
		return strcmp(a, b) ? cap + 1 : 0;
	int row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int prev = row[0], best = (int)i;
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cur = row[j];
			int v = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < v)
				v = row[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			prev = cur;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
	}
	return row[lb] > cap ? cap + 1 : row[lb];
}

static int host_ok(const char *h, size_t n)
{
	if (n == 0 || h[0] == '.' || h[0] == '-' || h[n - 1] == '-')
		return 0;
	int dot = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];
		if (c == '.') {
			dot = 1;
			if (i + 1 < n && h[i + 1] == '.')
				return 0;
		} else if (!isalnum(c) && c != '-') {
			return 0;
		}
	}
	return dot;
}

int check_url_ok(const char *s)
{
	if (!s)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '\\')
			return 0;
	const char *rest = NULL;
	if (!strncmp(s, "https://", 8))
		rest = s + 8;
	else if (!strncmp(s, "http://", 7))
		rest = s + 7;
	if (rest) {
		size_t n = strcspn(rest, "/?#");
		const char *colon = memchr(rest, ':', n);
		if (colon) { /* a port: digits only */
			for (const char *p = colon + 1; p < rest + n; p++)
				if (!isdigit((unsigned char)*p))
					return 0;
			n = (size_t)(colon - rest);
		}
		if (memchr(rest, '@', n))
			return 0;
		return host_ok(rest, n);
	}
	if (!strncmp(s, "mailto:", 7)) {
		const char *at = strchr(s + 7, '@');
		return at && at > s + 7 && host_ok(at + 1, strlen(at + 1));
	}
	if (!strncmp(s, "tel:", 4)) {
		const char *p = s + 4;
		if (*p == '+')
			p++;
		int digits = 0;
		for (; *p; p++) {
			if (isdigit((unsigned char)*p))
				digits++;
			else if (*p != '-' && *p != '.')
				return 0;
		}
		return digits >= 3;
	}
	return 0;
}

int check_date_ok(const char *s)
{
	if (!s)
		return 0;
	size_t n = strlen(s);
	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
		} else if (!isdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	int year = atoi(s);
	if (year < 1000)
		return 0;
	if (n == 4)
		return 1;
	int month = atoi(s + 5);
	if (month < 1 || month > 12)
		return 0;
	if (n == 7)
		return 1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int day = atoi(s + 8);
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (day < 1 || day > mdays[month - 1] || (month == 2 && day == 29 && !leap))
		return 0;
	return 1;
}

static int slug_ok(const char *s)
{
	if (!s || !*s)
		return 0;
	for (const char *p = s; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
		      *p == '-'))
			return 0;
	return 1;
}

/* ---- ids ---------------------------------------------------------------- */

typedef struct idrec {
	const char *id;
	doc_pos pos;
} idrec;

static int idrec_cmp(const void *a, const void *b)
{
	const idrec *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (c)
		return c;
	return x->pos.line != y->pos.line ? (x->pos.line < y->pos.line ? -1 : 1)
					   : (x->pos.col > y->pos.col) - (x->pos.col < y->pos.col);
}

static int refptr_cmp(const void *a, const void *b)
{
	return strcmp((*(doc_ref *const *)a)->id, (*(doc_ref *const *)b)->id);
}

/* ---- references --------------------------------------------------------- */

static void check_names(diag_list *d, const doc_ref *r, const doc_name *n,
			size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (!n[i].literal && (!n[i].family || !*n[i].family))
			diag_add(d, DIAG_ERROR, n[i].pos.file, n[i].pos.line,
				 n[i].pos.col, "reference '%s': a name needs a family name or a literal",
				 r->id);
}

static void need(diag_list *d, const doc_ref *r, const char *field,
		 const char *value)
{
	if (!value || !*value)
		diag_add(d, DIAG_ERROR, r->pos.file, r->pos.line, r->pos.col,
			 "reference '%s' of type %s is missing required field '%s'",
			 r->id, r->type, field);
}

static void check_reference(diag_list *d, const doc_ref *r)
{
	const char *t = r->type;
	if (r->nauthors == 0 && !(r->neditors && !strcmp(t, "book")))
		diag_add(d, DIAG_ERROR, r->pos.file, r->pos.line, r->pos.col,
			 "reference '%s' of type %s is missing required field 'author'%s",
			 r->id, t, !strcmp(t, "book") ? " (or 'editor')" : "");
	check_names(d, r, r->authors, r->nauthors);
	check_names(d, r, r->editors, r->neditors);
	need(d, r, "issued", r->issued);
	need(d, r, "title", r->title);
	if (!strcmp(t, "article-journal") || !strcmp(t, "chapter"))
		need(d, r, "container-title", r->container_title);
	if (!strcmp(t, "book") || !strcmp(t, "chapter") || !strcmp(t, "report"))
		need(d, r, "publisher", r->publisher);
	if (!strcmp(t, "webpage")) {
		need(d, r, "URL", r->url);
		need(d, r, "accessed", r->accessed);
	}
	if (r->issued && (strlen(r->issued) < 4 || !check_date_ok(r->issued)))
		diag_add(d, DIAG_ERROR, r->issued_pos.file, r->issued_pos.line,
			 r->issued_pos.col,
			 "reference '%s': malformed year or date '%s' (expected YYYY, YYYY-MM or YYYY-MM-DD)",
			 r->id, r->issued);
	if (r->accessed && !check_date_ok(r->accessed))
		diag_add(d, DIAG_ERROR, r->accessed_pos.file, r->accessed_pos.line,
			 r->accessed_pos.col,
			 "reference '%s': malformed accessed date '%s' (expected YYYY-MM-DD)",
			 r->id, r->accessed);
	if (r->url && !check_url_ok(r->url))
		diag_add(d, DIAG_ERROR, r->url_pos.file, r->url_pos.line,
			 r->url_pos.col,
			 "reference '%s': malformed or disallowed URL '%s' (http, https, mailto and tel only)",
			 r->id, r->url);
	if (r->accessed && !r->url)
		diag_add(d, DIAG_WARNING, r->accessed_pos.file,
			 r->accessed_pos.line, r->accessed_pos.col,
			 "reference '%s' has an accessed date but no URL", r->id);
}

/* ---- the walk ----------------------------------------------------------- */

static const char *nearest_key(const doc *doc, const char *key)
{
	const char *best = NULL;
	int bestd = 3;
	for (size_t i = 0; i < doc->nrefs; i++) {
		int dist = check_edit_distance(key, doc->refs[i].id, 2);
		if (dist < bestd) {
			bestd = dist;
			best = doc->refs[i].id;
		}
	}
	return best;
}

size_t check_document(doc *doc, diag_list *d)
{
	size_t before = d->errors;
	arena *a = doc->arena;
	const doc_meta *m = &doc->meta;

	if (!slug_ok(m->identifier))
		diag_add(d, DIAG_ERROR, m->identifier_pos.file, m->identifier_pos.line,
			 m->identifier_pos.col,
			 "identifier '%s' must be lower-case letters, digits and '-' (it names the output files)",
			 m->identifier ? m->identifier : "");
	if (!check_date_ok(m->reviewed))
		diag_add(d, DIAG_ERROR, m->reviewed_pos.file, m->reviewed_pos.line,
			 m->reviewed_pos.col,
			 "malformed review date '%s' (expected YYYY, YYYY-MM or YYYY-MM-DD)",
			 m->reviewed ? m->reviewed : "");

	/* Reference keys: unique, indexed for lookup. */
	doc->refs_by_key = arena_alloc(a, (doc->nrefs + 1) * sizeof(doc_ref *));
	for (size_t i = 0; i < doc->nrefs; i++) {
		doc->refs_by_key[i] = &doc->refs[i];
		doc->refs[i].anchor = arena_printf(a, "ref-%s", doc->refs[i].id);
		doc->refs[i].first_cite = NULL;
		check_reference(d, &doc->refs[i]);
	}
	qsort(doc->refs_by_key, doc->nrefs, sizeof *doc->refs_by_key, refptr_cmp);
	/* ids of parts and sections plus the reference anchors share one
	 * namespace in the outputs; collect and sort to find duplicates. */
	size_t cap = doc->nrefs + 16, nids = 0;
	idrec *ids = arena_alloc(a, cap * sizeof *ids);
	for (size_t i = 0; i < doc->nrefs; i++)
		ids[nids++] = (idrec){doc->refs[i].id, doc->refs[i].pos};

	/* Walk the parts: citations, links, ids. */
	size_t ncites = 0;
	for (doc_node *part = doc->parts_first; part; part = part->next) {
		doc_node *h = doc_heading(part);
		if (part->kind != PART_REFERENCES && !(h ? h->next : part->first))
			diag_add(d, DIAG_WARNING, part->pos.file, part->pos.line,
				 part->pos.col, "part '%s' has a title but no content",
				 part->id);
		int entering = 1;
		for (doc_node *n = doc_walk(part, NULL, &entering); n;
		     n = doc_walk(part, n, &entering)) {
			if (!entering)
				continue;
			if ((n->type == DOC_PART || n->type == DOC_SECTION) && n->id) {
				if (nids == cap) {
					ids = arena_grow(a, ids, nids, cap * 2, sizeof *ids);
					cap *= 2;
				}
				ids[nids++] = (idrec){n->id, n->pos};
			} else if (n->type == DOC_LINK) {
				if (!check_url_ok(n->text))
					diag_add(d, DIAG_ERROR, n->pos.file, n->pos.line,
						 n->pos.col,
						 "malformed or disallowed link '%s' (http, https, mailto and tel only)",
						 n->text ? n->text : "");
			} else if (n->type == DOC_PARA && !n->first) {
				diag_add(d, DIAG_WARNING, n->pos.file, n->pos.line,
					 n->pos.col, "empty paragraph");
			} else if (n->type == DOC_CITE) {
				n->anchor = arena_printf(a, "cite-%zu", ++ncites);
				for (size_t k = 0; k < n->nkeys; k++) {
					const char *key = n->keys[k];
					for (size_t j = 0; j < k; j++)
						if (!strcmp(n->keys[j], key))
							diag_add(d, DIAG_WARNING, n->pos.file,
								 n->pos.line, n->pos.col,
								 "'%s' is cited twice in one citation",
								 key);
					doc_ref *r = doc_find_ref(doc, key);
					n->refs[k] = r;
					if (r) {
						if (!r->first_cite)
							r->first_cite = n->anchor;
						continue;
					}
					const char *near = nearest_key(doc, key);
					if (near)
						diag_add(d, DIAG_ERROR, n->pos.file, n->pos.line,
							 n->pos.col,
							 "unknown citation key '%s'; did you mean '%s'?",
							 key, near);
					else
						diag_add(d, DIAG_ERROR, n->pos.file, n->pos.line,
							 n->pos.col, "unknown citation key '%s'", key);
				}
			}
		}
	}
	doc->ncites = ncites;

	qsort(ids, nids, sizeof *ids, idrec_cmp);
	for (size_t i = 1; i < nids; i++)
		if (!strcmp(ids[i].id, ids[i - 1].id))
			diag_add(d, DIAG_ERROR, ids[i].pos.file, ids[i].pos.line,
				 ids[i].pos.col,
				 "duplicate id or key '%s' (first used at line %d)",
				 ids[i].id, ids[i - 1].pos.line);

	for (size_t i = 0; i < doc->nrefs; i++)
		if (!doc->refs[i].first_cite && !doc->refs[i].nocite)
			diag_add(d, DIAG_WARNING, doc->refs[i].pos.file,
				 doc->refs[i].pos.line, doc->refs[i].pos.col,
				 "reference '%s' is never cited", doc->refs[i].id);

	cite_sort_refs(doc);
	return d->errors - before;
}
