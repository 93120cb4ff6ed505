/* shape.c - the booklet's structure checked element by element (see
 * shape.h). One table says, for each element, the children it may hold (in
 * groups that must come in order), whether text may appear in it, its
 * attributes, the children it needs and those it may hold only once; it is
 * compiled into index tables once per check, so each element costs a few
 * lookups. A few rules the table cannot say (the references part, names,
 * plain-text titles) have a function each. These checks are all the
 * loader runs: the RelaxNG grammar (booklet.rng) is their reference, and
 * test_schema checks that every document it rejects, these reject. */
#include "source/shape.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "doc/check.h"
#include "source/srcpos.h"

#define INLINE "em strong link cite"
#define FIELDS "author editor issued title container-title volume issue " \
	       "page publisher publisher-place URL accessed"

typedef enum shape_id {
	SH_BOOKLET, SH_META, SH_AUTHOR, SH_EDITOR, SH_PART, SH_SECTION,
	SH_TITLE, SH_STANDFIRST, SH_P, SH_OL, SH_UL, SH_LI, SH_EXPERIENCE,
	SH_EM, SH_STRONG, SH_LINK, SH_CITE, SH_REFERENCE, SH_FAMILY, SH_GIVEN,
	SH_LITERAL, SH_HONORIFIC, SH_PUBLISHER, SH_LANGUAGE, SH_REVIEWED,
	SH_IDENTIFIER, SH_ISSUED, SH_CONTAINER_TITLE, SH_VOLUME, SH_ISSUE,
	SH_PAGE, SH_PUBLISHER_PLACE, SH_URL, SH_ACCESSED, SH_ACCESSIBILITY,
	SH_COVER,
	SH__MAX
} shape_id;

typedef struct shape {
	const char *name;
	const char *order;     /* children, in groups (split by '|') that
				  must come in this order */
	int text;              /* text may appear directly inside */
	int nonempty;          /* must hold something */
	const char *required, *optional;  /* attributes */
	const char *needs;     /* children that must appear */
	const char *once;      /* children allowed at most once */
	const char *values;    /* the values of its one enumerated
				  attribute (kind, type), or NULL */
} shape;

static const shape shapes[SH__MAX] = {
	[SH_BOOKLET] = {"booklet", "meta | part", 0, 1, "", "", "meta part", "meta", NULL},
	[SH_META] = {"meta", "title standfirst author publisher language reviewed identifier "
		     "cover accessibility",
		     0, 1, "", "",
		     "title standfirst author publisher language reviewed identifier",
		     "title standfirst publisher language reviewed identifier cover "
		     "accessibility",
		     NULL},
	[SH_AUTHOR] = {"author", "literal family given honorific", 0, 1, "", "", "",
		       "literal family given honorific", NULL},
	[SH_EDITOR] = {"editor", "literal family given honorific", 0, 1, "", "", "",
		       "literal family given honorific", NULL},
	[SH_PART] = {"part", "title | p ol ul experience | section | reference", 0, 1,
		     "kind", "id", "title", "title", "article tips further references"},
	[SH_SECTION] = {"section", "title | p ol ul experience | section", 0, 1, "",
			"id", "title", "title", NULL},
	[SH_TITLE] = {"title", INLINE, 1, 1, "", "", "", "", NULL},
	[SH_STANDFIRST] = {"standfirst", INLINE, 1, 1, "", "", "", "", NULL},
	[SH_P] = {"p", INLINE, 1, 0, "", "", "", "", NULL},
	[SH_OL] = {"ol", "li", 0, 1, "", "", "li", "", NULL},
	[SH_UL] = {"ul", "li", 0, 1, "", "", "li", "", NULL},
	[SH_LI] = {"li", "p ol ul experience", 0, 1, "", "", "", "", NULL},
	[SH_EXPERIENCE] = {"experience", "title | p", 0, 1, "name", "", "title p",
			   "title", NULL},
	[SH_EM] = {"em", INLINE, 1, 0, "", "", "", "", NULL},
	[SH_STRONG] = {"strong", INLINE, 1, 0, "", "", "", "", NULL},
	[SH_LINK] = {"link", "em strong", 1, 0, "href", "", "", "", NULL},
	[SH_CITE] = {"cite", "link", 0, 0, "ref", "prefix suffix form", "", "", NULL},
	[SH_REFERENCE] = {"reference", FIELDS, 0, 1, "id type", "", "title",
			  "issued title container-title volume issue page publisher "
			  "publisher-place URL accessed",
			  "article-journal book chapter report webpage"},
	[SH_FAMILY] = {"family", "", 1, 1, "", "", "", "", NULL},
	[SH_GIVEN] = {"given", "", 1, 1, "", "", "", "", NULL},
	[SH_LITERAL] = {"literal", "", 1, 1, "", "", "", "", NULL},
	[SH_HONORIFIC] = {"honorific", "", 1, 1, "", "", "", "", NULL},
	[SH_PUBLISHER] = {"publisher", "", 1, 1, "", "", "", "", NULL},
	[SH_LANGUAGE] = {"language", "", 1, 1, "", "", "", "", NULL},
	[SH_REVIEWED] = {"reviewed", "", 1, 1, "", "", "", "", NULL},
	[SH_IDENTIFIER] = {"identifier", "", 1, 1, "", "", "", "", NULL},
	[SH_ISSUED] = {"issued", "", 1, 1, "", "", "", "", NULL},
	[SH_CONTAINER_TITLE] = {"container-title", "", 1, 1, "", "", "", "", NULL},
	[SH_VOLUME] = {"volume", "", 1, 1, "", "", "", "", NULL},
	[SH_ISSUE] = {"issue", "", 1, 1, "", "", "", "", NULL},
	[SH_PAGE] = {"page", "", 1, 1, "", "", "", "", NULL},
	[SH_PUBLISHER_PLACE] = {"publisher-place", "", 1, 1, "", "", "", "", NULL},
	[SH_URL] = {"URL", "", 1, 1, "", "", "", "", NULL},
	[SH_ACCESSED] = {"accessed", "", 1, 1, "", "", "", "", NULL},
	[SH_ACCESSIBILITY] = {"accessibility", "", 0, 0, "",
			      "certified-by conforms-to", "", "", NULL},
	[SH_COVER] = {"cover", "", 0, 0, "image alt", "", "", "", NULL},
};

enum { SHAPE_CACHE = 128 };  /* a power of two */

typedef struct shape_ctx {
	const char *path;
	diag_list *d;
	size_t errors;
	/* the table compiled: a child's order group in its parent (-1: not
	 * allowed there), whether it may appear only once, and the children
	 * each element needs, one bit per shape */
	signed char group[SH__MAX][SH__MAX];
	unsigned char once[SH__MAX][SH__MAX];
	uint64_t needs[SH__MAX];
	/* element name -> shape id, by the name's address (open addressing):
	 * libxml2 keeps one copy of each name, so a booklet's few names hit
	 * every time */
	const xmlChar *cache_name[SHAPE_CACHE];
	int cache_id[SHAPE_CACHE];
	/* the <part> whose kind was looked up last, and whether it is the
	 * references part */
	xmlNodePtr kind_part;
	int kind_refs;
} shape_ctx;

static void shape_error_va(shape_ctx *S, doc_pos p, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	diag_add(S->d, DIAG_ERROR, p.file, p.line, p.col, "%s", msg);
	S->errors++;
}

static void shape_error(shape_ctx *S, xmlNodePtr at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An error at element (or text node) at. */
static void shape_error(shape_ctx *S, xmlNodePtr at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	shape_error_va(S, srcpos_of(S->path, at), fmt, ap);
	va_end(ap);
}

static void shape_error_at(shape_ctx *S, doc_pos p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An error at position p. */
static void shape_error_at(shape_ctx *S, doc_pos p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	shape_error_va(S, p, fmt, ap);
	va_end(ap);
}

/* ---- the table ---------------------------------------------------------- */

/* The next word of a space-separated list at *p (advancing it); its
 * length in *len, or NULL at the end. */
static const char *shape_word(const char **p, size_t *len)
{
	while (**p == ' ')
		(*p)++;
	if (!**p)
		return NULL;
	const char *w = *p;
	while (**p && **p != ' ')
		(*p)++;
	*len = (size_t)(*p - w);
	return w;
}

/* 1 if word occurs in the space-separated list. */
static int shape_in(const char *list, const char *word)
{
	size_t n = strlen(word), len;
	const char *w;
	for (const char *p = list; (w = shape_word(&p, &len));)
		if (len == n && !memcmp(w, word, n))
			return 1;
	return 0;
}

/* The shape id of name[0..len), or -1. */
static int shape_find(const char *name, size_t len)
{
	for (int i = 0; i < SH__MAX; i++)
		if (strlen(shapes[i].name) == len && !memcmp(shapes[i].name, name, len))
			return i;
	return -1;
}

int shape_known_element(const char *name, size_t len)
{
	return shape_find(name, len) >= 0;
}

/* Compile the table's word lists into S's index tables. */
static void shape_compile(shape_ctx *S)
{
	memset(S->group, -1, sizeof S->group);
	for (int p = 0; p < SH__MAX; p++) {
		size_t len;
		const char *w;
		int g = 0;
		for (const char *q = shapes[p].order; (w = shape_word(&q, &len));) {
			int c = len == 1 && *w == '|' ? -1 : shape_find(w, len);
			if (c >= 0)
				S->group[p][c] = (signed char)g;
			else
				g++;
		}
		for (const char *q = shapes[p].once; (w = shape_word(&q, &len));) {
			int c = shape_find(w, len);
			if (c >= 0)
				S->once[p][c] = 1;
		}
		for (const char *q = shapes[p].needs; (w = shape_word(&q, &len));) {
			int c = shape_find(w, len);
			if (c >= 0)
				S->needs[p] |= 1ull << c;
		}
	}
}

/* The shape id of element x, or -1 for an unknown element (or NULL). */
static int shape_id_of(shape_ctx *S, xmlNodePtr x)
{
	if (!x || x->type != XML_ELEMENT_NODE)
		return -1;
	uint64_t h = (uint64_t)(uintptr_t)x->name * 0x9E3779B97F4A7C15ull;
	size_t slot = (size_t)(h >> 32) & (SHAPE_CACHE - 1);
	for (int probe = 0; probe < 8; probe++) {
		size_t k = (slot + (size_t)probe) & (SHAPE_CACHE - 1);
		if (S->cache_name[k] == x->name)
			return S->cache_id[k];
		if (!S->cache_name[k]) {
			S->cache_name[k] = x->name;
			S->cache_id[k] = shape_find((const char *)x->name,
						    strlen((const char *)x->name));
			return S->cache_id[k];
		}
	}
	/* full there (many unknown names): look it up every time */
	return shape_find((const char *)x->name, strlen((const char *)x->name));
}

const char *shape_attr(xmlNodePtr x, const char *name)
{
	xmlAttrPtr a = xmlHasProp(x, BAD_CAST name);
	if (!a || a->type != XML_ATTRIBUTE_NODE)
		return NULL;
	xmlNodePtr t = a->children;
	if (!t)
		return "";
	if (t->type == XML_TEXT_NODE && !t->next && t->content)
		return (const char *)t->content;
	return NULL;  /* not the shape a booklet's attributes have */
}

static int shape_blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* ---- "did you mean" ------------------------------------------------------ */

/* What writers used to HTML or DocBook type, and the booklet's word. */
static const char *const shape_synonyms[][2] = {
	{"i", "em"}, {"emphasis", "em"}, {"italic", "em"}, {"b", "strong"},
	{"bold", "strong"}, {"a", "link"}, {"para", "p"}, {"h1", "title"},
	{"h2", "title"}, {"h3", "title"}, {"heading", "title"}, {"item", "li"},
	{"url", "href"}, {"key", "ref"}, {"keys", "ref"},
};

/* Copy of name in lower case (ASCII), cut to fit out. */
static void shape_lower(const char *name, char *out, size_t size)
{
	size_t k = 0;
	for (; name[k] && k + 1 < size; k++)
		out[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]);
	out[k] = '\0';
}

/* The word of list (space-separated) that name is most likely a slip for:
 * the same but for case, the booklet's word for an HTML or DocBook one, or
 * the nearest within one edit (two for a name of four letters or more);
 * written into out, or NULL when none is near. */
static const char *shape_nearest(const char *list, const char *name,
				 char *out, size_t size)
{
	char low[64], cand[64];
	shape_lower(name, low, sizeof low);
	size_t len;
	const char *w;
	int best = 3;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof shape_synonyms / sizeof *shape_synonyms; i++)
		if (!strcmp(low, shape_synonyms[i][0]) && shape_in(list, shape_synonyms[i][1])) {
			snprintf(out, size, "%s", shape_synonyms[i][1]);
			return out;
		}
	for (const char *p = list; (w = shape_word(&p, &len));) {
		snprintf(cand, sizeof cand, "%.*s", (int)len, w);
		char lc[64];
		shape_lower(cand, lc, sizeof lc);
		int cap = strlen(low) >= 4 ? 2 : 1;
		int dist = !strcmp(low, lc) ? 0 : check_edit_distance(low, lc, cap);
		if (dist <= cap && dist < best) {
			best = dist;
			snprintf(out, size, "%s", cand);
		}
	}
	return *out ? out : NULL;
}

/* ---- rules the table cannot say ---------------------------------------- */

/* Whether parent (with shape id pid) may hold a child of shape c as far as
 * a part's kind goes: references only in the references part, sections
 * everywhere else. */
static int shape_kind_allows(shape_ctx *S, xmlNodePtr parent, int pid, int c)
{
	if (pid != SH_PART || (c != SH_REFERENCE && c != SH_SECTION))
		return 1;
	if (S->kind_part != parent) {
		const char *kind = shape_attr(parent, "kind");
		S->kind_part = parent;
		S->kind_refs = kind && !strcmp(kind, "references");
	}
	return c == SH_REFERENCE ? S->kind_refs : !S->kind_refs;
}

/* The children allowed in x (shape id xid) from order group g on (all
 * when g is 0), as a space-separated list in out. */
static const char *shape_allowed(shape_ctx *S, xmlNodePtr x, int xid, int g,
				 char *out, size_t size)
{
	size_t k = 0, len;
	const char *w;
	out[0] = '\0';
	for (const char *p = shapes[xid].order; (w = shape_word(&p, &len));) {
		int c = shape_find(w, len);
		if (c < 0 || S->group[xid][c] < g || !shape_kind_allows(S, x, xid, c) ||
		    k + len + 2 > size)
			continue;
		k += (size_t)snprintf(out + k, size - k, "%s%.*s", k ? " " : "",
				      (int)len, w);
	}
	return out;
}

/* Where an element (shape id xid, in a parent of shape id pid) holds text
 * only although it may elsewhere hold markup: "the <title> of a <meta>". */
static int shape_text_only(int xid, int pid)
{
	return (xid == SH_TITLE && (pid == SH_META || pid == SH_REFERENCE)) ||
	       ((xid == SH_EM || xid == SH_STRONG) && pid == SH_LINK);
}

/* A name (author or editor): a literal alone, or a family name with an
 * optional given name and honorific. */
static void shape_check_name(shape_ctx *S, xmlNodePtr x)
{
	xmlNodePtr literal = NULL, other = NULL;
	int family = 0;
	for (xmlNodePtr k = x->children; k; k = k->next) {
		int id = shape_id_of(S, k);
		if (id == SH_LITERAL)
			literal = literal ? literal : k;
		else if (k->type == XML_ELEMENT_NODE) {
			other = other ? other : k;
			family |= id == SH_FAMILY;
		}
	}
	if (literal && other)
		shape_error(S, other, "<%s> cannot go with <literal> in <%s>: an organisation has a <literal> name only, a person <family>, <given> and <honorific>",
			    (const char *)other->name, (const char *)x->name);
	else if (!literal && !family)
		shape_error(S, x, "<%s> needs a <family> name (or a <literal> name for an organisation)",
			    (const char *)x->name);
}

/* ---- one element -------------------------------------------------------- */

/* The element itself: known, in no namespace, allowed in its parent.
 * Returns its shape id, or -1 when unknown (nothing more to check). */
static int shape_check_place(shape_ctx *S, xmlNodePtr x)
{
	const char *name = (const char *)x->name;
	int id = shape_id_of(S, x);
	xmlNodePtr parent = x->parent && x->parent->type == XML_ELEMENT_NODE
				    ? x->parent : NULL;
	int pid = shape_id_of(S, parent);
	char allowed[256];
	if (id < 0) {
		char near[64];
		if (pid >= 0 && *shapes[pid].order) {
			shape_allowed(S, parent, pid, 0, allowed, sizeof allowed);
			shape_error(S, x, "unknown element <%s> in <%s> (allowed here: %s)",
				    name, (const char *)parent->name, allowed);
			if (shape_nearest(allowed, name, near, sizeof near))
				diag_hint(S->d, "did you mean <%s>?", near);
		} else {
			shape_error(S, x, "unknown element <%s>", name);
		}
		return -1;
	}
	if (x->ns)
		shape_error(S, x, "element <%s> must not be in a namespace", name);
	if (!parent) {
		if (id != SH_BOOKLET)
			shape_error(S, x, "the root element must be <booklet>, not <%s>", name);
		return id;
	}
	if (pid < 0)
		return id;
	const char *pname = (const char *)parent->name;
	int ppid = shape_id_of(S, parent->parent);
	if (shape_text_only(pid, ppid))
		shape_error(S, x, "<%s> is not allowed inside the <%s> of a <%s>: it holds plain text",
			    name, pname, (const char *)parent->parent->name);
	else if (S->group[pid][id] < 0 || !shape_kind_allows(S, parent, pid, id))
		shape_error(S, x, "<%s> is not allowed inside <%s>%s%s%s%s", name, pname,
			    S->group[pid][id] < 0 ? ""
			    : id == SH_REFERENCE ? " unless its kind is \"references\""
			    : " of kind \"references\"",
			    *shapes[pid].order ? " (allowed here: " : "",
			    *shapes[pid].order
				    ? shape_allowed(S, parent, pid, 0, allowed, sizeof allowed)
				    : "",
			    *shapes[pid].order ? ")" : "");
	return id;
}

/* 1 if v is an XML name without a colon (NCName): what ids and keys are. */
static int shape_ncname(const char *v)
{
	return v && *v && xmlValidateNCName(BAD_CAST v, 0) == 0;
}

#define SHAPE_ID_RULE "start with a letter or '_' and hold only letters, digits, '-', '_' and '.'"

/* Ids and citation keys are NCNames. */
static void shape_check_names(shape_ctx *S, xmlNodePtr x, int id)
{
	const char *v = shape_attr(x, "id");
	if (v && shape_blank(v)) {
		/* (a required id, a reference's, is reported as missing) */
		if (id != SH_REFERENCE)
			shape_error(S, x, "empty id on <%s> (give it an id, or "
				    "leave the attribute out)",
				    (const char *)x->name);
	} else if (v && !shape_ncname(v))
		shape_error(S, x, "id '%s' on <%s> is not a valid id (ids " SHAPE_ID_RULE ")",
			    v, (const char *)x->name);
	if (id != SH_CITE)
		return;
	const char *ref = shape_attr(x, "ref");
	char key[256];
	size_t keys = 0;
	for (const char *p = ref; p && *p;) {
		size_t n = strcspn(p, " \t\r\n");
		keys += n > 0;
		if (n) {
			snprintf(key, sizeof key, "%.*s", (int)n, p);
			if (n >= sizeof key || !shape_ncname(key))
				shape_error(S, x, "citation key '%s%s' is not a valid key (keys " SHAPE_ID_RULE ")",
					    key, n >= sizeof key ? "..." : "");
		}
		p += n;
		p += strspn(p, " \t\r\n");
	}
	const char *form = shape_attr(x, "form");
	if (form && strcmp(form, "in-text"))
		shape_error_at(S, srcpos_attr(S->path, x, "form"),
			       "<cite form=\"%s\">: form must be in-text (or left out, for a citation in brackets)",
			       form);
	else if (form && keys > 1)
		shape_error_at(S, srcpos_attr(S->path, x, "form"),
			       "<cite form=\"in-text\"> cites one key (\"Gerhardt (2014) found\"); give each its own <cite>");
}

/* Attributes: known, required ones present and non-empty, values from
 * their list, ids and keys well formed. */
static void shape_check_attrs(shape_ctx *S, xmlNodePtr x, int id)
{
	const shape *sh = &shapes[id];
	const char *name = sh->name;
	char meant[64] = "";
	for (xmlAttrPtr at = x->properties; at; at = at->next) {
		const char *an = (const char *)at->name;
		if (shape_in(sh->required, an) || shape_in(sh->optional, an))
			continue;
		shape_error_at(S, srcpos_attr(S->path, x, an),
			       "unknown attribute '%s' on <%s>", an, name);
		/* the list is written out only when an attribute is not in
		 * it (once per element, it was a quarter of a check) */
		char known[64], near[64];
		snprintf(known, sizeof known, "%s %s", sh->required, sh->optional);
		if (shape_nearest(known, an, near, sizeof near) && !shape_attr(x, near)) {
			diag_hint(S->d, "did you mean '%s'?", near);
			snprintf(meant, sizeof meant, "%s", near);
		}
	}
	size_t len;
	const char *w;
	for (const char *p = sh->required; (w = shape_word(&p, &len));) {
		char an[32];
		if (len >= sizeof an)
			len = sizeof an - 1;
		memcpy(an, w, len);
		an[len] = 0;
		const char *v = shape_attr(x, an);
		if (!v && !strcmp(an, meant))
			continue;   /* said: the unknown attribute is this one mistyped */
		if (!v || shape_blank(v))
			shape_error(S, x, "<%s> needs a non-empty '%s' attribute", name, an);
		else if (sh->values && !strcmp(an, id == SH_PART ? "kind" : "type") &&
			 !shape_in(sh->values, v))
			shape_error(S, x, "<%s %s=\"%s\">: %s must be one of: %s", name,
				    an, v, an, sh->values);
	}
	if (x->properties)
		shape_check_names(S, x, id);
}

/* The children: text only where allowed, element children in order and
 * each "once" child at most once; the children that need to be there are
 * there. */
static void shape_check_children(shape_ctx *S, xmlNodePtr x, int id)
{
	const char *name = shapes[id].name;
	xmlNodePtr seen[SH__MAX] = {0};
	xmlNodePtr last = NULL;       /* the child that set the order group */
	int group = 0, any = 0;
	uint64_t present = 0;
	char allowed[256];
	for (xmlNodePtr k = x->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
			if (shape_blank((const char *)k->content))
				continue;
			any = 1;
			if (!shapes[id].text)
				shape_error(S, k, "text is not allowed directly inside <%s>%s",
					    name, id == SH_LI ? " (put it in a <p>)" : "");
			continue;
		}
		if (k->type != XML_ELEMENT_NODE)
			continue;
		any = 1;
		int c = shape_id_of(S, k);
		int g = c < 0 ? -1 : S->group[id][c];
		if (g < 0 || !shape_kind_allows(S, x, id, c))
			continue;   /* reported where the child itself is checked */
		present |= 1ull << c;
		if (g < group) {
			shape_error(S, k, "<%s> is not allowed after <%s> in <%s> (allowed here: %s)",
				    (const char *)k->name, (const char *)last->name, name,
				    shape_allowed(S, x, id, group, allowed, sizeof allowed));
			continue;
		}
		if (g > group || !last)
			last = k;
		group = g;
		if (!S->once[id][c])
			continue;
		if (seen[c]) {
			doc_pos first = srcpos_of(S->path, seen[c]);
			shape_error(S, k, "<%s> may appear only once in <%s> (first at line %d)",
				    (const char *)k->name, name, first.line);
		} else {
			seen[c] = k;
		}
	}
	if (shapes[id].nonempty && !any) {   /* all that is missing, said once */
		shape_error(S, x, "<%s> must not be empty", name);
		return;
	}
	if (S->needs[id] & ~present) {   /* said in the table's order */
		size_t len;
		const char *w;
		for (const char *p = shapes[id].needs; (w = shape_word(&p, &len));) {
			int c = shape_find(w, len);
			if (c >= 0 && !(present & 1ull << c))
				shape_error(S, x, "<%s> needs a <%.*s>", name, (int)len, w);
		}
	}
	if (id == SH_PART && shape_kind_allows(S, x, id, SH_REFERENCE) &&
	    !(present & 1ull << SH_REFERENCE))
		shape_error(S, x, "the part of kind \"references\" needs at least one <reference>");
}

static void shape_check_one(shape_ctx *S, xmlNodePtr x)
{
	int id = shape_check_place(S, x);
	if (id < 0)
		return;
	shape_check_attrs(S, x, id);
	shape_check_children(S, x, id);
	if (id == SH_AUTHOR || id == SH_EDITOR)
		shape_check_name(S, x);
}

size_t shape_check(xmlNodePtr root, const char *path, int max_depth,
		   diag_list *d)
{
	static shape_ctx zero;
	shape_ctx S = zero;
	S.path = path;
	S.d = d;
	shape_compile(&S);
	xmlNodePtr n = root;
	int depth = 1;
	while (n) {
		if (n->type == XML_ELEMENT_NODE)
			shape_check_one(&S, n);
		if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			if (++depth > max_depth) {
				doc_pos p = srcpos_of(path, n);
				diag_add(d, DIAG_ERROR, path, p.line, 0,
					 "elements nested deeper than %d levels",
					 max_depth);
				return S.errors + 1;
			}
			continue;
		}
		while (n != root && !n->next) {
			n = n->parent;
			depth--;
		}
		if (n == root)
			break;
		n = n->next;
	}
	return S.errors;
}
