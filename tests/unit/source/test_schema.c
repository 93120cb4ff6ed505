/* test_schema.c - the booklet grammar (builder/source/booklet.rng) as an
 * oracle for the loader's own structure checks (source/shape.c), which
 * replaced RelaxNG validation at run time: the starter booklet and a small
 * one are mutated element by element (deleted, doubled, moved, emptied,
 * renamed to every element of the vocabulary, given every element as a
 * child, given text, attributes removed, emptied, given bad values, and
 * every attribute of the vocabulary added), and every document libxml2's
 * RelaxNG validator rejects must be rejected by load_booklet_memory too,
 * with an error. (The other way round need not hold: the loader checks
 * more than the grammar says, ids and keys among them.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>

#include "unit.h"
#include "base/arena.h"
#include "base/diag.h"
#include "base/file.h"
#include "source/load.h"

static const char *const names[] = {
	"booklet", "meta", "part", "section", "title", "standfirst", "p",
	"ol", "ul", "li", "experience", "em", "strong", "link", "cite",
	"reference", "author", "editor", "family", "given", "literal",
	"honorific", "publisher", "language", "reviewed", "identifier",
	"issued", "container-title", "volume", "issue", "page",
	"publisher-place", "URL", "accessed", "accessibility", "cover",
	"bogus"
};
static const char *const attrs[] = {
	"id", "kind", "type", "name", "href", "ref", "prefix", "suffix",
	"form", "image", "alt", "certified-by", "conforms-to", "bogus"
};
#define NNAMES (sizeof names / sizeof *names)
#define NATTRS (sizeof attrs / sizeof *attrs)

enum {
	M_DELETE, M_DOUBLE, M_MOVE, M_EMPTY, M_TEXT, M_RENAME,
	M_CHILD = M_RENAME + NNAMES,
	M_ADD_ATTR = M_CHILD + NNAMES,
	M_ATTR_REMOVE = M_ADD_ATTR + NATTRS,   /* then per attribute: remove,
						  empty, bad value */
};

static xmlRelaxNGPtr schema;
static size_t tried, rejected, missed;

static void quiet(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

/* The n-th element of the tree in document order, or NULL. */
static xmlNodePtr nth_element(xmlNodePtr root, size_t n)
{
	size_t k = 0;
	xmlNodePtr x = root;
	while (x) {
		if (x->type == XML_ELEMENT_NODE && k++ == n)
			return x;
		if (x->children && x->type == XML_ELEMENT_NODE)
			x = x->children;
		else {
			while (x && !x->next && x != root)
				x = x->parent;
			if (!x || x == root)
				return NULL;
			x = x->next;
		}
	}
	return NULL;
}

/* The a-th attribute of x, or NULL. */
static xmlAttrPtr nth_attr(xmlNodePtr x, size_t a)
{
	xmlAttrPtr p = x->properties;
	for (; p && a; a--)
		p = p->next;
	return p;
}

/* Apply mutation m to x; 0 when it does not apply. */
static int mutate(xmlNodePtr x, size_t m)
{
	if (m == M_DELETE) {
		if (!x->parent || x->parent->type != XML_ELEMENT_NODE)
			return 0;
		xmlUnlinkNode(x);
		xmlFreeNode(x);
	} else if (m == M_DOUBLE) {
		if (!x->parent || x->parent->type != XML_ELEMENT_NODE)
			return 0;
		xmlAddNextSibling(x, xmlCopyNode(x, 1));
	} else if (m == M_MOVE) {
		xmlNodePtr prev = x->prev;
		while (prev && prev->type != XML_ELEMENT_NODE)
			prev = prev->prev;
		if (!prev)
			return 0;
		xmlUnlinkNode(x);
		xmlAddPrevSibling(prev, x);
	} else if (m == M_EMPTY) {
		if (!x->children)
			return 0;
		xmlNodePtr c = x->children;
		while (c) {
			xmlNodePtr next = c->next;
			xmlUnlinkNode(c);
			xmlFreeNode(c);
			c = next;
		}
	} else if (m == M_TEXT) {
		xmlNodePtr t = xmlNewText((const xmlChar *)"stray text");
		if (x->children)
			xmlAddPrevSibling(x->children, t);
		else
			xmlAddChild(x, t);
	} else if (m < M_CHILD) {
		if (!strcmp((const char *)x->name, names[m - M_RENAME]))
			return 0;
		xmlNodeSetName(x, (const xmlChar *)names[m - M_RENAME]);
	} else if (m < M_ADD_ATTR) {
		xmlNodePtr c = xmlNewNode(NULL,
					  (const xmlChar *)names[m - M_CHILD]);
		if (x->children)
			xmlAddPrevSibling(x->children, c);
		else
			xmlAddChild(x, c);
	} else if (m < M_ATTR_REMOVE) {
		const char *a = attrs[m - M_ADD_ATTR];
		if (xmlHasProp(x, (const xmlChar *)a))
			return 0;
		xmlSetProp(x, (const xmlChar *)a, (const xmlChar *)"x");
	} else {
		size_t k = m - M_ATTR_REMOVE;
		xmlAttrPtr p = nth_attr(x, k / 3);
		if (!p)
			return 0;
		if (k % 3 == 0)
			xmlRemoveProp(p);
		else
			xmlSetProp(x, p->name, (const xmlChar *)
				   (k % 3 == 1 ? "" : "1 bad-value"));
	}
	return 1;
}

/* 1 when the schema rejects the document xml[0..n). */
static int schema_rejects(const char *xml, int n)
{
	xmlDocPtr d = xmlReadMemory(xml, n, "mutant.xml", NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING);
	if (!d)
		return 1;
	xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(schema);
	xmlRelaxNGSetValidStructuredErrors(vc, quiet, NULL);
	int rc = xmlRelaxNGValidateDoc(vc, d);
	xmlRelaxNGFreeValidCtxt(vc);
	xmlFreeDoc(d);
	return rc != 0;
}

/* 1 when the loader rejects it with at least one error. */
static int loader_rejects(const char *xml, int n)
{
	arena a = {0};
	diag_list dl = {0};
	doc *d = load_booklet_memory(xml, (size_t)n, "mutant.xml", &a, &dl);
	int rej = !d || dl.errors > 0;
	diag_free(&dl);
	arena_free(&a);
	return rej;
}

/* Every mutation of every element of the booklet at path. */
static void mutate_all(const char *path)
{
	file_bytes f;
	CHECK(file_read(path, 1 << 22, &f) == FILE_OK);
	xmlDocPtr orig = xmlReadMemory((const char *)f.data, (int)f.len, path,
				       NULL, XML_PARSE_NONET);
	file_release(&f);
	CHECK(orig != NULL);
	if (!orig)
		return;
	for (size_t i = 0;; i++) {
		if (!nth_element(xmlDocGetRootElement(orig), i))
			break;
		for (size_t m = 0; m < M_ATTR_REMOVE + 3 * 8; m++) {
			xmlDocPtr d = xmlCopyDoc(orig, 1);
			xmlNodePtr x = nth_element(xmlDocGetRootElement(d), i);
			if (!mutate(x, m)) {
				xmlFreeDoc(d);
				continue;
			}
			xmlChar *out = NULL;
			int n = 0;
			xmlDocDumpMemory(d, &out, &n);
			xmlFreeDoc(d);
			tried++;
			if (schema_rejects((const char *)out, n)) {
				rejected++;
				if (!loader_rejects((const char *)out, n)) {
					if (missed++ < 30)
						printf("  %s: element %zu, mutation "
						       "%zu passes the loader:\n%s\n",
						       path, i, m, (char *)out);
				}
			}
			xmlFree(out);
		}
	}
	xmlFreeDoc(orig);
}

TEST(loader_rejects_what_the_schema_rejects)
{
	const char *top = getenv("TOP");
	char rng[1024], starter[1024], ok[1024];
	snprintf(rng, sizeof rng, "%s/builder/source/booklet.rng", top ? top : ".");
	snprintf(starter, sizeof starter, "%s/content/starter/booklet.xml",
		 top ? top : ".");
	snprintf(ok, sizeof ok, "%s/tests/bad/ok.xml", top ? top : ".");
	xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(rng);
	schema = pc ? xmlRelaxNGParse(pc) : NULL;
	xmlRelaxNGFreeParserCtxt(pc);
	CHECK(schema != NULL);
	if (!schema)
		return;
	/* the originals are valid both ways */
	file_bytes f;
	CHECK(file_read(starter, 1 << 22, &f) == FILE_OK);
	CHECK(!schema_rejects((const char *)f.data, (int)f.len));
	CHECK(!loader_rejects((const char *)f.data, (int)f.len));
	file_release(&f);
	mutate_all(starter);
	mutate_all(ok);
	printf("  %zu mutants, %zu rejected by the schema, %zu of those "
	       "passed the loader\n", tried, rejected, missed);
	CHECK(tried > 5000 && rejected > 2000);
	CHECK(missed == 0);
	xmlRelaxNGFree(schema);
}

int main(void)
{
	RUN(loader_rejects_what_the_schema_rejects);
	CHECK_EXIT();
}
