/* shape.c - the booklet's structure checked element by element (see
 * shape.h). One table says, for each element, the children it may hold (in
 * groups that must come in order), whether text may appear in it, its
 * attributes, the children it needs and those it may hold only once; a few
 * rules the table cannot say (the references part, names, plain-text
 * titles) have a function each. The RelaxNG schema stays as a second
 * check; after these pass it has nothing left to say in practice. */
#include "source/shape.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "source/srcpos.h"

#define INLINE "em strong link cite"
#define FIELDS "author editor issued title container-title volume issue " \
	       "page publisher publisher-place URL accessed"

typedef struct shape {
	const char *name;
	const char *order;     /* children, in groups (split by '|') that
				  must come in this order */
	int text;              /* text may appear directly inside */
	int nonempty;          /* must hold something */
	const char *required, *optional;  /* attributes */
	const char *needs;     /* children that must appear */
	const char *once;      /* children allowed at most once */
} shape;

static const shape shapes[] = {
	{"booklet", "meta | part", 0, 1, "", "", "meta part", "meta"},
	{"meta", "title standfirst author publisher language reviewed identifier",
	 0, 1, "", "",
	 "title standfirst author publisher language reviewed identifier",
	 "title standfirst publisher language reviewed identifier"},
	{"author", "literal family given honorific", 0, 1, "", "", "",
	 "literal family given honorific"},
	{"editor", "literal family given honorific", 0, 1, "", "", "",
	 "literal family given honorific"},
	{"part", "title | p ol ul experience | section | reference", 0, 1,
	 "kind", "id", "title", "title"},
	{"section", "title | p ol ul experience | section", 0, 1, "", "id",
	 "title", "title"},
	{"title", INLINE, 1, 1, "", "", "", ""},
	{"standfirst", INLINE, 1, 1, "", "", "", ""},
	{"p", INLINE, 1, 0, "", "", "", ""},
	{"ol", "li", 0, 1, "", "", "li", ""},
	{"ul", "li", 0, 1, "", "", "li", ""},
	{"li", "p ol ul experience", 0, 1, "", "", "", ""},
	{"experience", "title | p", 0, 1, "name", "", "title p", "title"},
	{"em", INLINE, 1, 0, "", "", "", ""},
	{"strong", INLINE, 1, 0, "", "", "", ""},
	{"link", "em strong", 1, 0, "href", "", "", ""},
	{"cite", "link", 0, 0, "ref", "", "", ""},
	{"reference", FIELDS, 0, 1, "id type", "", "title",
	 "issued title container-title volume issue page publisher "
	 "publisher-place URL accessed"},
	{"family", "", 1, 1, "", "", "", ""},
	{"given", "", 1, 1, "", "", "", ""},
	{"literal", "", 1, 1, "", "", "", ""},
	{"honorific", "", 1, 1, "", "", "", ""},
	{"publisher", "", 1, 1, "", "", "", ""},
	{"language", "", 1, 1, "", "", "", ""},
	{"reviewed", "", 1, 1, "", "", "", ""},
	{"identifier", "", 1, 1, "", "", "", ""},
	{"issued", "", 1, 1, "", "", "", ""},
	{"container-title", "", 1, 1, "", "", "", ""},
	{"volume", "", 1, 1, "", "", "", ""},
	{"issue", "", 1, 1, "", "", "", ""},
	{"page", "", 1, 1, "", "", "", ""},
	{"publisher-place", "", 1, 1, "", "", "", ""},
	{"URL", "", 1, 1, "", "", "", ""},
	{"accessed", "", 1, 1, "", "", "", ""},
};

/* Attributes whose value is one of a list. */
static const struct {
	const char *el, *at, *values;
} shape_enums[] = {
	{"part", "kind", "article tips further references"},
	{"reference", "type", "article-journal book chapter report webpage"},
};

enum { SHAPE_CACHE = 64 };

typedef struct shape_ctx {
	const char *path;
	diag_list *d;
	size_t errors;
	/* element name -> shape, by the name's address: libxml2 keeps one
	 * copy of each name, so a booklet's few names hit every time */
	const xmlChar *cache_name[SHAPE_CACHE];
	const shape *cache_shape[SHAPE_CACHE];
} shape_ctx;

static void shape_error(shape_ctx *S, xmlNodePtr at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void shape_error(shape_ctx *S, xmlNodePtr at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	doc_pos p = srcpos_of(S->path, at);
	diag_add(S->d, DIAG_ERROR, p.file, p.line, p.col, "%s", msg);
	S->errors++;
}

/* ---- word lists --------------------------------------------------------- */

static const shape *shape_find(const char *name)
{
	for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
		if (!strcmp(shapes[i].name, name))
			return &shapes[i];
	return NULL;
}

/* The shape of element x, or NULL for an unknown element. */
static const shape *shape_of(shape_ctx *S, xmlNodePtr x)
{
	size_t slot = ((uintptr_t)x->name >> 4) % SHAPE_CACHE;
	if (S->cache_name[slot] != x->name) {
		S->cache_name[slot] = x->name;
		S->cache_shape[slot] = shape_find((const char *)x->name);
	}
	return S->cache_shape[slot];
}

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

/* The index of word in list (counting words, '|' included), or -1. */
static int shape_index(const char *list, const char *word)
{
	size_t n = strlen(word), len;
	const char *w;
	int i = 0;
	for (const char *p = list; (w = shape_word(&p, &len)); i++)
		if (len == n && !memcmp(w, word, n))
			return i;
	return -1;
}

/* The order group of child name in list (groups split by '|'), or -1. */
static int shape_group(const char *list, const char *name)
{
	size_t n = strlen(name), len;
	const char *w;
	int g = 0;
	for (const char *p = list; (w = shape_word(&p, &len));) {
		if (len == 1 && *w == '|')
			g++;
		else if (len == n && !memcmp(w, name, n))
			return g;
	}
	return -1;
}

static int shape_is(xmlNodePtr x, const char *name)
{
	return x && x->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)x->name, name);
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

static int shape_blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* ---- rules the table cannot say ---------------------------------------- */

/* Whether a <part> of its kind may hold child: references only in the
 * references part, sections everywhere else. */
static int shape_part_allows(xmlNodePtr part, const char *child)
{
	if (!shape_is(part, "part"))
		return 1;
	const char *kind = shape_attr(part, "kind");
	int refs = kind && !strcmp(kind, "references");
	if (!strcmp(child, "reference"))
		return refs;
	if (!strcmp(child, "section"))
		return !refs;
	return 1;
}

/* The children allowed in x from order group g on (all groups when g is
 * 0), as a space-separated list in out. */
static const char *shape_allowed(xmlNodePtr x, const shape *sh, int g,
				 char *out, size_t size)
{
	size_t k = 0, len;
	int group = 0;
	const char *w;
	out[0] = '\0';
	for (const char *p = sh->order; (w = shape_word(&p, &len));) {
		if (len == 1 && *w == '|') {
			group++;
			continue;
		}
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)len, w);
		if (group < g || !shape_part_allows(x, name) || k + len + 2 > size)
			continue;
		k += (size_t)snprintf(out + k, size - k, "%s%s", k ? " " : "", name);
	}
	return out;
}

/* Where x may hold text only although its element may elsewhere hold
 * markup, the container that says so ("the <title> of a <meta>"). */
static int shape_text_only(xmlNodePtr x, const char **outer)
{
	xmlNodePtr p = x->parent;
	if (!p || p->type != XML_ELEMENT_NODE)
		return 0;
	if (shape_is(x, "title") && (shape_is(p, "meta") || shape_is(p, "reference")))
		*outer = (const char *)p->name;
	else if ((shape_is(x, "em") || shape_is(x, "strong")) && shape_is(p, "link"))
		*outer = "link";
	else
		return 0;
	return 1;
}

/* A name (author or editor): a literal alone, or a family name with an
 * optional given name and honorific. */
static void shape_check_name(shape_ctx *S, xmlNodePtr x)
{
	xmlNodePtr literal = NULL, other = NULL;
	int family = 0;
	for (xmlNodePtr k = x->children; k; k = k->next) {
		if (shape_is(k, "literal"))
			literal = literal ? literal : k;
		else if (k->type == XML_ELEMENT_NODE) {
			other = other ? other : k;
			family |= shape_is(k, "family");
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
 * Returns its shape, or NULL when unknown (nothing more to check). */
static const shape *shape_check_place(shape_ctx *S, xmlNodePtr x)
{
	const char *name = (const char *)x->name;
	const shape *sh = shape_of(S, x);
	xmlNodePtr parent = x->parent && x->parent->type == XML_ELEMENT_NODE
				    ? x->parent : NULL;
	const shape *ps = parent ? shape_of(S, parent) : NULL;
	char allowed[256];
	if (!sh) {
		if (ps && *ps->order)
			shape_error(S, x, "unknown element <%s> in <%s> (allowed here: %s)",
				    name, (const char *)parent->name,
				    shape_allowed(parent, ps, 0, allowed, sizeof allowed));
		else
			shape_error(S, x, "unknown element <%s>", name);
		return NULL;
	}
	if (x->ns)
		shape_error(S, x, "element <%s> must not be in a namespace", name);
	if (!parent) {
		if (strcmp(name, "booklet"))
			shape_error(S, x, "the root element must be <booklet>, not <%s>", name);
		return sh;
	}
	const char *outer;
	if (!ps)
		return sh;
	if (shape_text_only(parent, &outer))
		shape_error(S, x, "<%s> is not allowed inside the <%s> of a <%s>: it holds plain text",
			    name, (const char *)parent->name, outer);
	else if (shape_group(ps->order, name) < 0 || !shape_part_allows(parent, name))
		shape_error(S, x, "<%s> is not allowed inside <%s>%s%s%s%s", name,
			    (const char *)parent->name,
			    shape_is(parent, "part") && !shape_part_allows(parent, name)
				    ? (strcmp(name, "reference")
					       ? " of kind \"references\""
					       : " unless its kind is \"references\"")
				    : "",
			    *ps->order ? " (allowed here: " : "",
			    *ps->order ? shape_allowed(parent, ps, 0, allowed, sizeof allowed) : "",
			    *ps->order ? ")" : "");
	return sh;
}

/* 1 if v is an XML name without a colon (NCName): what ids and keys are. */
static int shape_ncname(const char *v)
{
	return v && *v && xmlValidateNCName(BAD_CAST v, 0) == 0;
}

#define SHAPE_ID_RULE "start with a letter or '_' and hold only letters, digits, '-', '_' and '.'"

/* Ids and citation keys are NCNames. */
static void shape_check_names(shape_ctx *S, xmlNodePtr x)
{
	const char *id = shape_attr(x, "id");
	if (id && !shape_blank(BAD_CAST id) && !shape_ncname(id))
		shape_error(S, x, "id '%s' on <%s> is not a valid id (ids " SHAPE_ID_RULE ")",
			    id, (const char *)x->name);
	if (!shape_is(x, "cite"))
		return;
	const char *ref = shape_attr(x, "ref");
	char key[256];
	for (const char *p = ref; p && *p;) {
		size_t n = strcspn(p, " \t\r\n");
		if (n) {
			snprintf(key, sizeof key, "%.*s", (int)n, p);
			if (n >= sizeof key || !shape_ncname(key))
				shape_error(S, x, "citation key '%s%s' is not a valid key (keys " SHAPE_ID_RULE ")",
					    key, n >= sizeof key ? "..." : "");
		}
		p += n;
		p += strspn(p, " \t\r\n");
	}
}

/* Attributes: known, required ones present and non-empty, values from
 * their list, ids and keys well formed. */
static void shape_check_attrs(shape_ctx *S, xmlNodePtr x, const shape *sh)
{
	const char *name = (const char *)x->name;
	for (xmlAttrPtr at = x->properties; at; at = at->next) {
		const char *an = (const char *)at->name;
		if (shape_index(sh->required, an) < 0 && shape_index(sh->optional, an) < 0)
			shape_error(S, x, "unknown attribute '%s' on <%s>", an, name);
	}
	size_t len;
	const char *w;
	for (const char *p = sh->required; (w = shape_word(&p, &len));) {
		char an[32];
		snprintf(an, sizeof an, "%.*s", (int)len, w);
		const char *v = shape_attr(x, an);
		if (!v || shape_blank(BAD_CAST v))
			shape_error(S, x, "<%s> needs a non-empty '%s' attribute", name, an);
	}
	for (size_t i = 0; i < sizeof shape_enums / sizeof *shape_enums; i++) {
		if (strcmp(name, shape_enums[i].el))
			continue;
		const char *v = shape_attr(x, shape_enums[i].at);
		if (v && !shape_blank(BAD_CAST v) &&
		    shape_index(shape_enums[i].values, v) < 0)
			shape_error(S, x, "<%s %s=\"%s\">: %s must be one of: %s", name,
				    shape_enums[i].at, v, shape_enums[i].at,
				    shape_enums[i].values);
	}
	shape_check_names(S, x);
}

enum { SHAPE_MAX_ONCE = 16 };

/* The children: text only where allowed, element children in order and
 * each "once" child at most once. Returns 1 if x holds anything. */
static int shape_check_children(shape_ctx *S, xmlNodePtr x, const shape *sh)
{
	const char *name = (const char *)x->name;
	xmlNodePtr seen[SHAPE_MAX_ONCE] = {0};
	xmlNodePtr last = NULL;       /* the child that set the order group */
	int group = 0, any = 0;
	char allowed[256];
	for (xmlNodePtr k = x->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
			if (shape_blank(k->content))
				continue;
			any = 1;
			if (!sh->text)
				shape_error(S, k, "text is not allowed directly inside <%s>%s",
					    name, shape_is(x, "li") ? " (put it in a <p>)" : "");
			continue;
		}
		if (k->type != XML_ELEMENT_NODE)
			continue;
		any = 1;
		const char *kn = (const char *)k->name;
		int g = shape_group(sh->order, kn);
		if (g < 0)
			continue;   /* reported where the child itself is checked */
		if (g < group) {
			shape_error(S, k, "<%s> is not allowed after <%s> in <%s> (allowed here: %s)",
				    kn, (const char *)last->name, name,
				    shape_allowed(x, sh, group, allowed, sizeof allowed));
			continue;
		}
		if (g > group || !last)
			last = k;
		group = g;
		int i = shape_index(sh->once, kn);
		if (i < 0 || i >= SHAPE_MAX_ONCE)
			continue;
		if (seen[i]) {
			doc_pos first = srcpos_of(S->path, seen[i]);
			shape_error(S, k, "<%s> may appear only once in <%s> (first at line %d)",
				    kn, name, first.line);
		} else {
			seen[i] = k;
		}
	}
	return any;
}

/* Children that must be there, and no empty element that needs content. */
static void shape_check_needs(shape_ctx *S, xmlNodePtr x, const shape *sh,
			      int any)
{
	const char *name = (const char *)x->name;
	size_t len;
	const char *w;
	for (const char *p = sh->needs; (w = shape_word(&p, &len));) {
		int found = 0;
		for (xmlNodePtr k = x->children; k && !found; k = k->next)
			found = k->type == XML_ELEMENT_NODE &&
				strlen((const char *)k->name) == len &&
				!memcmp(k->name, w, len);
		if (!found)
			shape_error(S, x, "<%s> needs a <%.*s>", name, (int)len, w);
	}
	if (shape_is(x, "part") && shape_part_allows(x, "reference")) {
		int found = 0;
		for (xmlNodePtr k = x->children; k && !found; k = k->next)
			found = shape_is(k, "reference");
		if (!found)
			shape_error(S, x, "the part of kind \"references\" needs at least one <reference>");
	}
	if (sh->nonempty && !any)
		shape_error(S, x, "<%s> must not be empty", name);
}

static void shape_check_one(shape_ctx *S, xmlNodePtr x)
{
	const shape *sh = shape_check_place(S, x);
	if (!sh)
		return;
	shape_check_attrs(S, x, sh);
	int any = shape_check_children(S, x, sh);
	shape_check_needs(S, x, sh, any);
	if (shape_is(x, "author") || shape_is(x, "editor"))
		shape_check_name(S, x);
}

size_t shape_check(xmlNodePtr root, const char *path, int max_depth,
		   diag_list *d)
{
	shape_ctx S = {.path = path, .d = d};
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
