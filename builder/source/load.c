/* load.c - reading a booklet: the safe XML parse (libxml2, no DTD, no
 * entities, no network), the structure checks (shape.c: everything the
 * grammar in booklet.rng says, with messages at the element; test_schema
 * holds them to it with libxml2's RelaxNG validator, which no longer runs
 * here: compiling the schema cost more than parsing the booklet), and
 * conversion into the document tree (doc.h), registering every node that
 * holds inline content. The libxml2 document is freed before load_booklet
 * returns. */
#include "source/load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "base/file.h"
#include "source/asset.h"
#include "source/norm.h"
#include "source/shape.h"
#include "source/slip.h"
#include "source/srcpos.h"

typedef struct loader {
	arena *a;
	diag_list *d;
	const char *path;
	const char *src;
	size_t len;
	int parse_error;    /* set by the error handler for parser errors */
	slip_ctx slip;      /* the parser's errors in plain words */
	doc *doc;
} loader;

static doc_pos pos_of(loader *L, xmlNodePtr n)
{
	return srcpos_of(L->path, n);
}

/* ---- libxml2 errors ----------------------------------------------------- */

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	loader *L = ctx;
	if (!e || e->level == XML_ERR_NONE)
		return;
	int col = e->int2;
	diag_level lv = e->level == XML_ERR_WARNING ? DIAG_WARNING : DIAG_ERROR;
	/* One line per message; libxml2's advice about its own options is
	 * no help to a booklet author. */
	char msg[512];
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
	for (char *c = msg; *c; c++)
		if (*c == '\n')
			*c = c[1] ? ' ' : '\0';
	if (!strncmp(msg, "Excessive depth in document", 27))
		snprintf(msg, sizeof msg,
			 "elements nested deeper than the limit of 256 levels");
	if (e->domain == XML_FROM_PARSER) {
		if (lv == DIAG_ERROR)
			L->parse_error = 1;
		slip_report(&L->slip, e, msg);
		return;
	}
	diag_add(L->d, lv, L->path, e->line > 0 ? e->line : 1, col, "%s", msg);
}

/* ---- conversion --------------------------------------------------------- */

static int is_el(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->name[0] == name[0] &&
	       strcmp((const char *)n->name, name) == 0;
}

static char *attr(loader *L, xmlNodePtr n, const char *name)
{
	return arena_strdup(L->a, shape_attr(n, name));
}

/* Text content with whitespace runs collapsed and the ends trimmed. The
 * shape checks let only text into the elements this reads. */
static char *text_of(loader *L, xmlNodePtr n)
{
	size_t len = 0;
	for (xmlNodePtr k = n->children; k; k = k->next)
		if (k->type == XML_TEXT_NODE && k->content)
			len += strlen((const char *)k->content);
	char *out = arena_alloc(L->a, len + 1);
	size_t k = 0;
	int space = 1;
	for (xmlNodePtr t = n->children; t; t = t->next) {
		if (t->type != XML_TEXT_NODE || !t->content)
			continue;
		for (const unsigned char *p = t->content; *p; p++) {
			if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
				if (!space)
					out[k++] = ' ';
				space = 1;
			} else {
				out[k++] = (char)*p;
				space = 0;
			}
		}
	}
	while (k && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
	return out;
}

static void convert_inline(loader *L, xmlNodePtr x, doc_node *parent);

static doc_node *new_node(loader *L, doc_type t, xmlNodePtr x)
{
	return doc_node_new(L->a, t, pos_of(L, x));
}

/* The words of an attribute, whitespace collapsed and trimmed; NULL when
 * absent or blank. */
static const char *cite_words(loader *L, xmlNodePtr x, const char *name)
{
	const char *v = shape_attr(x, name);
	char *w = v ? norm_text(L->a, v, strlen(v)) : NULL;
	return w && *w ? w : NULL;
}

/* What the Markdown's "[see @a, p. 4]" and "@a" say, as the XML says it:
 * prefix (before the first key), suffix (after the last), form. */
static void convert_cite_words(loader *L, xmlNodePtr x, doc_node *c)
{
	const char *prefix = cite_words(L, x, "prefix");
	const char *suffix = cite_words(L, x, "suffix");
	const char *form = shape_attr(x, "form");
	c->in_text = form && !strcmp(form, "in-text");
	if (!c->nkeys)
		return;
	if (prefix) {
		c->prefixes = arena_alloc(L->a, c->nkeys * sizeof *c->prefixes);
		c->prefixes[0] = prefix;
	}
	if (suffix) {
		c->suffixes = arena_alloc(L->a, c->nkeys * sizeof *c->suffixes);
		c->suffixes[c->nkeys - 1] = suffix;
	}
}

static void convert_cite(loader *L, xmlNodePtr x, doc_node *parent)
{
	doc_node *c = new_node(L, DOC_CITE, x);
	char *ref = attr(L, x, "ref");
	size_t n = 0;
	for (char *p = ref; p && *p;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		n++;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
	}
	c->keys = arena_alloc(L->a, (n + 1) * sizeof *c->keys);
	c->refs = arena_alloc(L->a, (n + 1) * sizeof *c->refs);
	for (char *p = ref; p && *p;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			*p++ = '\0';
		if (!*p)
			break;
		c->keys[c->nkeys++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
	}
	convert_cite_words(L, x, c);
	doc_append(parent, c);
	for (xmlNodePtr k = x->children; k; k = k->next)
		if (is_el(k, "link"))
			convert_inline(L, k, c);
}

/* Inline content of x appended to parent. Depth is bounded by the loader's
 * depth check before conversion. */
static void convert_inline(loader *L, xmlNodePtr x, doc_node *parent)
{
	if (is_el(x, "cite")) {
		convert_cite(L, x, parent);
		return;
	}
	doc_node *target = parent;
	if (is_el(x, "em") || is_el(x, "strong") || is_el(x, "link")) {
		doc_type t = is_el(x, "em") ? DOC_EMPH
			     : is_el(x, "strong") ? DOC_STRONG : DOC_LINK;
		target = new_node(L, t, x);
		if (t == DOC_LINK)
			target->text = attr(L, x, "href");
		doc_append(parent, target);
	}
	for (xmlNodePtr k = x->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
			doc_node *t = new_node(L, DOC_TEXT, k);
			t->text = arena_strdup(L->a, (const char *)k->content);
			doc_append(target, t);
		} else if (k->type == XML_ELEMENT_NODE) {
			convert_inline(L, k, target);
		}
	}
}

static doc_node *convert_block(loader *L, xmlNodePtr x);

static doc_node *convert_heading(loader *L, xmlNodePtr x)
{
	doc_node *h = new_node(L, DOC_HEADING, x);
	convert_inline(L, x, h);
	norm_block(h);
	return h;
}

static doc_node *convert_para(loader *L, xmlNodePtr x)
{
	doc_node *p = new_node(L, DOC_PARA, x);
	convert_inline(L, x, p);
	norm_block(p);
	return p;
}

static doc_node *convert_block(loader *L, xmlNodePtr x)
{
	if (is_el(x, "p"))
		return convert_para(L, x);
	if (is_el(x, "ol") || is_el(x, "ul")) {
		doc_node *l = new_node(L, DOC_LIST, x);
		l->ordered = is_el(x, "ol");
		for (xmlNodePtr li = x->children; li; li = li->next) {
			if (!is_el(li, "li"))
				continue;
			doc_node *item = new_node(L, DOC_ITEM, li);
			doc_append(l, item);
			for (xmlNodePtr b = li->children; b; b = b->next)
				if (b->type == XML_ELEMENT_NODE)
					doc_append(item, convert_block(L, b));
		}
		return l;
	}
	/* experience */
	doc_node *e = new_node(L, DOC_EXPERIENCE, x);
	e->text = attr(L, x, "name");
	for (xmlNodePtr b = x->children; b; b = b->next) {
		if (is_el(b, "title"))
			doc_append(e, convert_heading(L, b));
		else if (is_el(b, "p"))
			doc_append(e, convert_para(L, b));
	}
	return e;
}

static void convert_section_body(loader *L, xmlNodePtr x, doc_node *s,
				 int depth)
{
	for (xmlNodePtr k = x->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (is_el(k, "title")) {
			doc_append(s, convert_heading(L, k));
		} else if (is_el(k, "section")) {
			doc_node *c = new_node(L, DOC_SECTION, k);
			c->id = attr(L, k, "id");  /* NULL: check.c makes one */
			c->depth = depth;
			doc_append(s, c);
			convert_section_body(L, k, c, depth + 1);
		} else if (!is_el(k, "reference")) {
			doc_append(s, convert_block(L, k));
		}
	}
}

static void convert_name(loader *L, xmlNodePtr x, doc_name *nm)
{
	nm->pos = pos_of(L, x);
	for (xmlNodePtr k = x->children; k; k = k->next) {
		if (is_el(k, "family"))
			nm->family = text_of(L, k);
		else if (is_el(k, "given"))
			nm->given = text_of(L, k);
		else if (is_el(k, "literal"))
			nm->literal = text_of(L, k);
		else if (is_el(k, "honorific"))
			nm->honorific = text_of(L, k);
	}
}

static size_t count_children(xmlNodePtr x, const char *name)
{
	size_t n = 0;
	for (xmlNodePtr k = x->children; k; k = k->next)
		n += is_el(k, name);
	return n;
}

static void convert_reference(loader *L, xmlNodePtr x, doc_ref *r)
{
	r->pos = pos_of(L, x);
	r->id = attr(L, x, "id");
	r->type = attr(L, x, "type");
	r->authors = arena_alloc(L->a, (count_children(x, "author") + 1) *
					       sizeof *r->authors);
	r->editors = arena_alloc(L->a, (count_children(x, "editor") + 1) *
					       sizeof *r->editors);
	for (xmlNodePtr k = x->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		const char *n = (const char *)k->name;
		if (!strcmp(n, "author"))
			convert_name(L, k, &r->authors[r->nauthors++]);
		else if (!strcmp(n, "editor"))
			convert_name(L, k, &r->editors[r->neditors++]);
		else {
			doc_pos p = pos_of(L, k);
			char *t = text_of(L, k);
			if (!strcmp(n, "issued"))
				r->issued = t, r->issued_pos = p;
			else if (!strcmp(n, "title"))
				r->title = t;
			else if (!strcmp(n, "container-title"))
				r->container_title = t;
			else if (!strcmp(n, "volume"))
				r->volume = t;
			else if (!strcmp(n, "issue"))
				r->issue = t;
			else if (!strcmp(n, "page"))
				r->page = t;
			else if (!strcmp(n, "publisher"))
				r->publisher = t;
			else if (!strcmp(n, "publisher-place"))
				r->publisher_place = t;
			else if (!strcmp(n, "URL"))
				r->url = t, r->url_pos = p;
			else if (!strcmp(n, "accessed"))
				r->accessed = t, r->accessed_pos = p;
		}
	}
}

/* A plain attribute value, whitespace collapsed; NULL if absent. */
static const char *plain_attr(loader *L, xmlNodePtr n, const char *name)
{
	const char *v = shape_attr(n, name);
	return v ? norm_text(L->a, v, strlen(v)) : NULL;
}

/* <accessibility certified-by="..." conforms-to="..."/> */
static void convert_accessibility(loader *L, xmlNodePtr x, doc_meta *m)
{
	m->a11y_certified_by = plain_attr(L, x, "certified-by");
	m->a11y_conforms_to = plain_attr(L, x, "conforms-to");
	m->a11y_pos = pos_of(L, x);
}

/* <cover image="..." alt="..."/>: the image file read beside the
 * booklet (errors there are the file's). */
static void convert_cover(loader *L, xmlNodePtr x, doc_meta *m)
{
	m->cover_image = attr(L, x, "image");
	m->cover_alt = plain_attr(L, x, "alt");
	m->cover_pos = pos_of(L, x);
	if (m->cover_image)
		asset_read_image(L->path, m->cover_image, &m->cover_pos, L->a,
				 L->d, &m->cover_data, &m->cover_len);
}

static void convert_meta(loader *L, xmlNodePtr x, doc_meta *m)
{
	m->authors = arena_alloc(L->a, (count_children(x, "author") + 1) *
					       sizeof *m->authors);
	for (xmlNodePtr k = x->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		const char *n = (const char *)k->name;
		if (!strcmp(n, "title"))
			m->title = text_of(L, k);
		else if (!strcmp(n, "standfirst"))
			m->standfirst = convert_para(L, k);
		else if (!strcmp(n, "author"))
			convert_name(L, k, &m->authors[m->nauthors++]);
		else if (!strcmp(n, "publisher"))
			m->publisher = text_of(L, k);
		else if (!strcmp(n, "language"))
			m->language = text_of(L, k), m->language_pos = pos_of(L, k);
		else if (!strcmp(n, "reviewed"))
			m->reviewed = text_of(L, k), m->reviewed_pos = pos_of(L, k);
		else if (!strcmp(n, "identifier"))
			m->identifier = text_of(L, k),
			m->identifier_pos = pos_of(L, k);
		else if (!strcmp(n, "accessibility"))
			convert_accessibility(L, k, m);
		else if (!strcmp(n, "cover"))
			convert_cover(L, k, m);
	}
}

static doc *convert(loader *L, xmlNodePtr root)
{
	doc *d = arena_alloc(L->a, sizeof *d);
	d->arena = L->a;
	d->path = L->path;
	L->doc = d;
	size_t nrefs = 0;
	for (xmlNodePtr k = root->children; k; k = k->next)
		if (is_el(k, "part"))
			nrefs += count_children(k, "reference");
	d->refs = arena_alloc(L->a, (nrefs + 1) * sizeof *d->refs);
	doc_node holder = {0};
	for (xmlNodePtr k = root->children; k; k = k->next) {
		if (is_el(k, "meta")) {
			convert_meta(L, k, &d->meta);
		} else if (is_el(k, "part")) {
			doc_node *p = new_node(L, DOC_PART, k);
			char *kind = attr(L, k, "kind");
			p->kind = !strcmp(kind, "tips") ? PART_TIPS
				  : !strcmp(kind, "further") ? PART_FURTHER
				  : !strcmp(kind, "references") ? PART_REFERENCES
				  : PART_ARTICLE;
			p->id = attr(L, k, "id");  /* NULL: check.c makes one */
			doc_append(&holder, p);
			convert_section_body(L, k, p, 1);
			if (p->kind == PART_REFERENCES) {
				doc_append(p, doc_node_new(L->a, DOC_BIBLIOGRAPHY,
							   p->pos));
				for (xmlNodePtr r = k->children; r; r = r->next)
					if (is_el(r, "reference"))
						convert_reference(L, r,
							&d->refs[d->nrefs++]);
			}
		}
	}
	for (doc_node *p = holder.first; p; p = p->next)
		p->parent = NULL;
	d->parts_first = holder.first;
	d->parts_last = holder.last;
	return d;
}

/* ---- checks before conversion ------------------------------------------- */

/* 1 if a DOCTYPE comes before the root element: refused before parsing,
 * so no entity is ever declared, let alone expanded. */
static int has_doctype(loader *L)
{
	const char *p = L->src, *end = L->src + L->len;
	if (end - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (p < end) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
		} else if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
			const char *q = p + 4;
			while (q + 3 <= end && memcmp(q, "-->", 3))
				q++;
			p = q + 3;
		} else if (end - p >= 2 && !memcmp(p, "<?", 2)) {
			const char *q = p + 2;
			while (q + 2 <= end && memcmp(q, "?>", 2))
				q++;
			p = q + 2;
		} else {
			return end - p >= 9 && !memcmp(p, "<!DOCTYPE", 9);
		}
	}
	return 0;
}

static void report_doctype(loader *L)
{
	const char *p = NULL;
	for (size_t i = 0; i + 9 <= L->len; i++)
		if (memcmp(L->src + i, "<!DOCTYPE", 9) == 0) {
			p = L->src + i;
			break;
		}
	int line = 1, col = 1;
	if (p) {
		for (const char *q = L->src; q < p; q++) {
			if (*q == '\n')
				line++, col = 1;
			else if (((unsigned char)*q & 0xC0) != 0x80)
				col++;
		}
	}
	diag_add(L->d, DIAG_ERROR, L->path, line, col,
		 "DOCTYPE declarations are not allowed (no DTDs, no entities)");
}

doc *load_booklet_memory(const char *data, size_t len, const char *path,
			 arena *a, diag_list *d)
{
	loader L = {.a = a, .d = d, .path = path, .src = data, .len = len};
	doc *result = NULL;
	xmlDocPtr x = NULL;
	xmlParserCtxtPtr pc = NULL;

	if (len > LOAD_MAX_BYTES) {
		diag_add(d, DIAG_ERROR, path, 0, 0,
			 "file is larger than the limit of %u MiB",
			 LOAD_MAX_BYTES / (1024 * 1024));
		return NULL;
	}
	if (has_doctype(&L)) {
		report_doctype(&L);
		return NULL;
	}
	slip_init(&L.slip, path, data, len, d);
	xmlSetStructuredErrorFunc(&L, on_xml_error);
	pc = xmlNewParserCtxt();
	if (!pc)
		goto out;
	x = xmlCtxtReadMemory(pc, data, (int)len, path, NULL,
			      XML_PARSE_NONET | XML_PARSE_BIG_LINES |
				      XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
	if (!x || L.parse_error) {
		if (d->errors == 0)
			diag_add(d, DIAG_ERROR, path, 1, 1, "not well-formed XML");
		goto out;
	}
	if (x->intSubset || x->extSubset) {
		report_doctype(&L);
		goto out;
	}
	xmlNodePtr root = xmlDocGetRootElement(x);
	if (!root) {
		diag_add(d, DIAG_ERROR, path, 1, 1, "no root element");
		goto out;
	}
	srcpos_index(data, len, root, a);
	if (shape_check(root, path, LOAD_MAX_DEPTH, d) > 0)
		goto out;
	result = convert(&L, root);
out:
	xmlSetStructuredErrorFunc(NULL, NULL);
	slip_free(&L.slip);
	if (x)
		xmlFreeDoc(x);
	if (pc)
		xmlFreeParserCtxt(pc);
	return result;
}

doc *load_booklet(const char *path, arena *a, diag_list *d)
{
	file_bytes f;
	file_status s = file_read(path, LOAD_MAX_BYTES, &f);
	if (s != FILE_OK) {
		file_report(d, path, "booklet", s, &f, LOAD_MAX_BYTES);
		return NULL;
	}
	doc *result = load_booklet_memory((const char *)f.data, f.len,
					  arena_strdup(a, path), a, d);
	file_release(&f);
	return result;
}
