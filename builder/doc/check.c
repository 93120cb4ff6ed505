/* check.c - the meaning of a booklet beyond its schema: citations resolve,
 * ids and keys are unique, every reference is cited and complete, links
 * and dates are well formed. Resolves citations into the tree. */
#include "doc/check.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/hash.h"
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

/* ---- language tags (RFC 5646, section 2.1) ------------------------------- */

/* The subtags of a tag, split at '-'. */
typedef struct check_subtags {
	const char *s[64];
	size_t len[64];
	size_t n;
} check_subtags;

static int check_all(const char *s, size_t n, int (*is)(int))
{
	for (size_t i = 0; i < n; i++)
		if (!is((unsigned char)s[i]))
			return 0;
	return 1;
}

static int check_alpha(const check_subtags *t, size_t i, size_t min, size_t max)
{
	return i < t->n && t->len[i] >= min && t->len[i] <= max &&
	       check_all(t->s[i], t->len[i], isalpha);
}

static int check_alnum(const check_subtags *t, size_t i, size_t min, size_t max)
{
	return i < t->n && t->len[i] >= min && t->len[i] <= max &&
	       check_all(t->s[i], t->len[i], isalnum);
}

/* privateuse = "x" 1*("-" (1*8alphanum)), from subtag i to the end. */
static int check_private_use(const check_subtags *t, size_t i)
{
	if (i + 1 >= t->n || t->len[i] != 1 || tolower((unsigned char)t->s[i][0]) != 'x')
		return 0;
	for (size_t k = i + 1; k < t->n; k++)
		if (!check_alnum(t, k, 1, 8))
			return 0;
	return 1;
}

int check_language_tag_ok(const char *s)
{
	static const char *const irregular[] = {
		"en-GB-oed", "i-ami", "i-bnn", "i-default", "i-enochian",
		"i-hak", "i-klingon", "i-lux", "i-mingo", "i-navajo", "i-pwn",
		"i-tao", "i-tay", "i-tsu", "sgn-BE-FR", "sgn-BE-NL", "sgn-CH-DE",
	};
	if (!s || !*s)
		return 0;
	for (size_t i = 0; i < sizeof irregular / sizeof *irregular; i++)
		if (!strcasecmp(s, irregular[i]))
			return 1;
	check_subtags t = {.n = 0};
	for (const char *p = s;;) {
		size_t n = strcspn(p, "-");
		if (n == 0 || t.n == sizeof t.s / sizeof *t.s)
			return 0;
		t.s[t.n] = p;
		t.len[t.n++] = n;
		if (!p[n])
			break;
		p += n + 1;
	}
	if (check_private_use(&t, 0))
		return 1;
	size_t i = 0;
	if (!check_alpha(&t, i++, 2, 3))       /* language */
		return 0;
	for (int k = 0; k < 3 && check_alpha(&t, i, 3, 3); k++)
		i++;                          /* extlang */
	if (check_alpha(&t, i, 4, 4))          /* script */
		i++;
	if (check_alpha(&t, i, 2, 2) ||        /* region */
	    (i < t.n && t.len[i] == 3 && check_all(t.s[i], 3, isdigit)))
		i++;
	while (check_alnum(&t, i, 5, 8) ||     /* variants */
	       (i < t.n && t.len[i] == 4 && isdigit((unsigned char)t.s[i][0]) &&
		check_alnum(&t, i, 4, 4)))
		i++;
	char singletons[36] = {0};             /* extensions */
	while (check_alnum(&t, i, 1, 1) && tolower((unsigned char)t.s[i][0]) != 'x') {
		char c = (char)tolower((unsigned char)t.s[i][0]);
		char *seen = strchr(singletons, c);
		if (seen)
			return 0;             /* one extension per singleton */
		singletons[strlen(singletons)] = c;
		size_t k = i + 1;
		while (check_alnum(&t, k, 2, 8))
			k++;
		if (k == i + 1)
			return 0;
		i = k;
	}
	return i == t.n || check_private_use(&t, i);
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

static void check_reference(diag_list *d, doc_ref *r)
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
	r->url_checked = r->url && check_url_ok(r->url);
	if (r->url && !r->url_checked)
		diag_add(d, DIAG_ERROR, r->url_pos.file, r->url_pos.line,
			 r->url_pos.col,
			 "reference '%s': malformed or disallowed URL '%s' (http, https, mailto and tel only)",
			 r->id, r->url);
	if (r->accessed && !r->url)
		diag_add(d, DIAG_WARNING, r->accessed_pos.file,
			 r->accessed_pos.line, r->accessed_pos.col,
			 "reference '%s' has an accessed date but no URL", r->id);
}

/* ---- the checker's state ----------------------------------------------- */

/* "Did you mean" costs one edit distance per reference for each unknown
 * key; past this many in one booklet the suggestions stop, so hostile
 * input (20,000 unknown keys against 5,000 entries) stays linear. */
#define CHECK_SUGGEST_BUDGET 1000000

typedef struct checker {
	doc *doc;
	diag_list *d;
	size_t ncites;
	size_t suggest_budget;
	int oom;
} checker;

static const char *nearest_key(checker *C, const char *key)
{
	const doc *doc = C->doc;
	const char *best = NULL;
	int bestd = 3;
	if (C->suggest_budget < doc->nrefs)
		return NULL;
	C->suggest_budget -= doc->nrefs;
	for (size_t i = 0; i < doc->nrefs; i++) {
		int dist = check_edit_distance(key, doc->refs[i].id, 2);
		if (dist < bestd) {
			bestd = dist;
			best = doc->refs[i].id;
		}
	}
	return best;
}

/* Every field a reference gives reaches its bibliography entry, or the
 * author is told which does not (an accessed date without a URL has its
 * own warning in check_reference). */
static void check_printed(checker *C, const doc_ref *r)
{
	unsigned left = cite_unprinted_fields(C->doc->arena, r);
	if (!r->url)
		left &= ~(unsigned)CITE_F_ACCESSED;
	for (unsigned bit = 1; left; bit <<= 1) {
		if (!(left & bit))
			continue;
		left &= ~bit;
		diag_add(C->d, DIAG_WARNING, r->pos.file, r->pos.line, r->pos.col,
			 "reference '%s' gives '%s', which the bibliography entry of a %s does not print",
			 r->id, cite_field_name(bit), r->type);
	}
}

/* ---- meta ----------------------------------------------------------------- */

/* 1 if s is a conformance the EPUB can claim: "WCAG 2.0", "2.1" or "2.2"
 * with "A", "AA" or "AAA". */
int check_conformance_ok(const char *s)
{
	static const char *const v[] = { "2.0", "2.1", "2.2" };
	if (!s || strncmp(s, "WCAG ", 5))
		return 0;
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		if (!strncmp(s + 5, v[i], 3) && s[8] == ' ' &&
		    (!strcmp(s + 9, "A") || !strcmp(s + 9, "AA") ||
		     !strcmp(s + 9, "AAA")))
			return 1;
	return 0;
}

/* A claim of accessibility names who evaluated the book and what they
 * found (EPUB Accessibility 1.1 wants the evaluator named whenever
 * conformance is claimed). */
static void check_accessibility(checker *C)
{
	const doc_meta *m = &C->doc->meta;
	const doc_pos *p = &m->a11y_pos;
	const char *by = m->a11y_certified_by, *to = m->a11y_conforms_to;
	if (!by && !to)
		return;
	if (!by || !*by)
		diag_add(C->d, DIAG_ERROR, p->file, p->line, p->col,
			 "accessibility needs certified-by: who evaluated the "
			 "book (EPUB Accessibility 1.1 wants the evaluator named "
			 "with any claim of conformance)");
	if (!to || !*to)
		diag_add(C->d, DIAG_ERROR, p->file, p->line, p->col,
			 "accessibility needs conforms-to: what the evaluation "
			 "found, such as WCAG 2.1 AA");
	else if (!check_conformance_ok(to))
		diag_add(C->d, DIAG_ERROR, p->file, p->line, p->col,
			 "accessibility conforms-to '%s' is not WCAG 2.0, 2.1 or "
			 "2.2 with A, AA or AAA (such as WCAG 2.1 AA)", to);
}

static void check_meta(checker *C)
{
	const doc_meta *m = &C->doc->meta;
	diag_list *d = C->d;
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
	if (!check_language_tag_ok(m->language))
		diag_add(d, DIAG_ERROR, m->language_pos.file, m->language_pos.line,
			 m->language_pos.col,
			 "language '%s' is not a BCP 47 language tag (for example en-GB, en, cy, pt-BR)",
			 m->language ? m->language : "");
	check_accessibility(C);
}

/* ---- ids ------------------------------------------------------------------ */

/* An id or key as written, where. */
typedef struct idrec {
	const char *id;
	doc_pos pos;
} idrec;

static int idrec_eq(const void *entry, const void *key)
{
	return strcmp(((const idrec *)entry)->id, key) == 0;
}

static int pos_before(doc_pos a, doc_pos b)
{
	return a.line != b.line ? a.line < b.line : a.col < b.col;
}

/* Part and section ids and reference keys are unique together: each
 * repeat is reported where it comes later in the file, naming the line of
 * the first. Returns 1 if id was new. */
static int check_unique(checker *C, hmap *seen, const char *id, doc_pos pos)
{
	uint64_t h = hash_str(id);
	idrec *first = hmap_get(seen, h, idrec_eq, id);
	if (!first) {
		idrec *r = arena_alloc(C->doc->arena, sizeof *r);
		*r = (idrec){id, pos};
		C->oom |= hmap_put(seen, h, r) < 0;
		return 1;
	}
	doc_pos later = pos, earlier = first->pos;
	if (pos_before(pos, first->pos)) {
		later = first->pos;
		earlier = pos;
		first->pos = pos;
	}
	diag_add(C->d, DIAG_ERROR, later.file, later.line, later.col,
		 "duplicate id or key '%s' (first used at line %d)", id,
		 earlier.line);
	return 0;
}

/* Reference keys indexed for doc_find_ref; every author id reserved in
 * doc->ids; then the ids the tree still needs are made around them: parts
 * and sections without one, and "ref-KEY" for each entry. Citation
 * anchors follow in check_inlines. */
static void check_ids(checker *C)
{
	doc *doc = C->doc;
	arena *a = doc->arena;
	hmap seen = {0};
	for (size_t i = 0; i < doc->nrefs; i++) {
		doc_ref *r = &doc->refs[i];
		if (check_unique(C, &seen, r->id, r->pos))
			C->oom |= hmap_put(&doc->refs_by_key, hash_str(r->id), r) < 0;
	}
	doc_hmap_settle(&doc->refs_by_key, a);
	for (doc_node *part = doc->parts_first; part; part = part->next) {
		int entering = 1;
		for (doc_node *n = doc_walk(part, NULL, &entering); n;
		     n = doc_walk(part, n, &entering)) {
			if (!entering || (n->type != DOC_PART && n->type != DOC_SECTION))
				continue;
			if (n->id && check_unique(C, &seen, n->id, n->pos))
				C->oom |= idset_reserve(&doc->ids, n->id) < 0;
		}
	}
	hmap_free(&seen);

	int nsections = 0;
	for (doc_node *part = doc->parts_first; part; part = part->next) {
		int entering = 1;
		for (doc_node *n = doc_walk(part, NULL, &entering); n;
		     n = doc_walk(part, n, &entering)) {
			if (!entering || n->id)
				continue;
			if (n->type == DOC_PART)
				n->id = idset_new(&doc->ids, doc_part_kind_name(n->kind));
			else if (n->type == DOC_SECTION)
				n->id = idset_new(&doc->ids, arena_printf(a, "section-%d",
									  ++nsections));
			else
				continue;
			C->oom |= !n->id;
		}
	}
	for (size_t i = 0; i < doc->nrefs; i++) {
		doc_ref *r = &doc->refs[i];
		r->anchor = idset_new(&doc->ids, arena_printf(a, "ref-%s", r->id));
		C->oom |= !r->anchor;
	}
}

/* ---- inline content ------------------------------------------------------- */

typedef struct check_key {
	const char *key;
	int count;
} check_key;

static int check_key_eq(const void *entry, const void *key)
{
	return strcmp(((const check_key *)entry)->key, key) == 0;
}

/* Each key of a citation once: a key given again is reported once, at its
 * first repetition (a hash set, so 32,000 keys are not compared pairwise). */
static void check_cite_repeats(checker *C, const doc_node *n)
{
	hmap seen = {0};
	if (n->nkeys < 2)
		return;
	for (size_t k = 0; k < n->nkeys; k++) {
		uint64_t h = hash_str(n->keys[k]);
		check_key *e = hmap_get(&seen, h, check_key_eq, n->keys[k]);
		if (!e) {
			e = arena_alloc(C->doc->arena, sizeof *e);
			e->key = n->keys[k];
			if (hmap_put(&seen, h, e) < 0) {
				C->oom = 1;
				break;
			}
		}
		if (++e->count == 2)
			diag_add(C->d, DIAG_WARNING, n->pos.file, n->pos.line, n->pos.col,
				 "'%s' is cited twice in one citation", e->key);
	}
	hmap_free(&seen);
}

/* A citation: its anchor, each key resolved (or reported), first citations
 * recorded on the entries. */
static void check_cite(checker *C, doc_node *n)
{
	doc *doc = C->doc;
	n->anchor = idset_new(&doc->ids, arena_printf(doc->arena, "cite-%zu",
						       ++C->ncites));
	C->oom |= !n->anchor;
	check_cite_repeats(C, n);
	for (size_t k = 0; k < n->nkeys; k++) {
		const char *key = n->keys[k];
		doc_ref *r = doc_find_ref(doc, key);
		n->refs[k] = r;
		if (r) {
			if (!r->first_cite)
				r->first_cite = n->anchor;
			continue;
		}
		const char *near = nearest_key(C, key);
		if (near)
			diag_add(C->d, DIAG_ERROR, n->pos.file, n->pos.line, n->pos.col,
				 "unknown citation key '%s'; did you mean '%s'?", key, near);
		else
			diag_add(C->d, DIAG_ERROR, n->pos.file, n->pos.line, n->pos.col,
				 "unknown citation key '%s'", key);
	}
	n->checked = 1;
}

/* Every registered inline root, wherever it sits (the standfirst, titles,
 * paragraphs, list items, experiences): links pass the URL policy (and are
 * marked, so renderers may link them), citations resolve. */
static void check_inlines(checker *C)
{
	doc *doc = C->doc;
	for (size_t i = 0; i < doc->ninlines; i++) {
		doc_node *root = doc->inlines[i];
		if (root->type == DOC_PARA && !root->first)
			diag_add(C->d, DIAG_WARNING, root->pos.file, root->pos.line,
				 root->pos.col, "empty paragraph");
		int entering = 1;
		for (doc_node *n = doc_walk(root, NULL, &entering); n;
		     n = doc_walk(root, n, &entering)) {
			if (!entering)
				continue;
			if (n->type == DOC_LINK) {
				n->checked = check_url_ok(n->text);
				if (!n->checked)
					diag_add(C->d, DIAG_ERROR, n->pos.file, n->pos.line,
						 n->pos.col,
						 "malformed or disallowed link '%s' (http, https, mailto and tel only)",
						 n->text ? n->text : "");
			} else if (n->type == DOC_CITE) {
				check_cite(C, n);
			}
		}
	}
	doc->ncites = C->ncites;
}

/* ---- the document --------------------------------------------------------- */

size_t check_document(doc *doc, diag_list *d)
{
	size_t before = d->errors;
	arena *a = doc->arena;
	checker C = {.doc = doc, .d = d, .suggest_budget = CHECK_SUGGEST_BUDGET};

	idset_init(&doc->ids, NULL, a);
	doc_collect_inlines(doc);
	check_meta(&C);
	for (size_t i = 0; i < doc->nrefs; i++) {
		doc->refs[i].first_cite = NULL;
		check_reference(d, &doc->refs[i]);
		check_printed(&C, &doc->refs[i]);
	}
	check_ids(&C);
	check_inlines(&C);

	for (doc_node *part = doc->parts_first; part; part = part->next) {
		doc_node *h = doc_heading(part);
		if (part->kind != PART_REFERENCES && !(h ? h->next : part->first))
			diag_add(d, DIAG_WARNING, part->pos.file, part->pos.line,
				 part->pos.col, "part '%s' has a title but no content",
				 part->id);
	}
	for (size_t i = 0; i < doc->nrefs; i++)
		if (!doc->refs[i].first_cite && !doc->refs[i].nocite)
			diag_add(d, DIAG_WARNING, doc->refs[i].pos.file,
				 doc->refs[i].pos.line, doc->refs[i].pos.col,
				 "reference '%s' is never cited", doc->refs[i].id);
	if (C.oom)
		diag_add(d, DIAG_ERROR, doc->path, 0, 0,
			 "out of memory while checking the booklet");
	idset_freeze(&doc->ids);
	cite_sort_refs(doc);
	return d->errors - before;
}
