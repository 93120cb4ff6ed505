/* epub.c - the EPUB 3 renderer. Reads the checked document tree and builds
 * every file of the book with libxml2's tree API (so escaping is always
 * libxml2's): a title page, one XHTML file per part (the references part
 * holds the bibliography), nav.xhtml (contents and landmarks), toc.ncx for
 * older readers and the package document with Dublin Core and EPUB
 * Accessibility metadata. The zip is assembled in memory with libzip (fixed
 * times and attributes, so builds are reproducible) and written atomically
 * by outfile_write. Citation text comes from cite.c only. */
#include "render/epub/epub.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/tree.h>
#include <zip.h>

#include "base/file.h"
#include "base/hash.h"
#include "base/outfile.h"
#include "doc/cite.h"

#define EPUB_XHTML_NS "http://www.w3.org/1999/xhtml"
#define EPUB_OPS_NS "http://www.idpf.org/2007/ops"
#define EPUB_OPF_NS "http://www.idpf.org/2007/opf"
#define EPUB_DC_NS "http://purl.org/dc/elements/1.1/"
#define EPUB_NCX_NS "http://www.daisy.org/z3986/2005/ncx/"
#define EPUB_CONTAINER_NS "urn:oasis:names:tc:opendocument:xmlns:container"

#define EPUB_DIR "OEBPS/"
#define EPUB_CSS "style.css"
#define EPUB_TITLE_FILE "title.xhtml"
#define EPUB_NAV_FILE "nav.xhtml"
#define EPUB_NCX_FILE "toc.ncx"
#define EPUB_OPF_FILE "package.opf"

/* ---- SHA-1 (FIPS 180-4), for the name-based UUID ---------------------- */

typedef struct epub_sha1 {
	uint32_t h[5];
	uint64_t len;
	unsigned char block[64];
	size_t used;
} epub_sha1;

static uint32_t epub_rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void epub_sha1_block(epub_sha1 *s, const unsigned char *p)
{
	uint32_t w[80];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = epub_rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4];
	for (int i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5A827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ED9EBA1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8F1BBCDC;
		} else {
			f = b ^ c ^ d;
			k = 0xCA62C1D6;
		}
		uint32_t t = epub_rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = epub_rol(b, 30);
		b = a;
		a = t;
	}
	s->h[0] += a;
	s->h[1] += b;
	s->h[2] += c;
	s->h[3] += d;
	s->h[4] += e;
}

static void epub_sha1_init(epub_sha1 *s)
{
	static const uint32_t h0[5] = { 0x67452301, 0xEFCDAB89, 0x98BADCFE,
					0x10325476, 0xC3D2E1F0 };
	memcpy(s->h, h0, sizeof h0);
	s->len = 0;
	s->used = 0;
}

static void epub_sha1_update(epub_sha1 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	s->len += n;
	while (n) {
		size_t take = 64 - s->used;
		if (take > n)
			take = n;
		memcpy(s->block + s->used, p, take);
		s->used += take;
		p += take;
		n -= take;
		if (s->used == 64) {
			epub_sha1_block(s, s->block);
			s->used = 0;
		}
	}
}

static void epub_sha1_final(epub_sha1 *s, unsigned char out[20])
{
	uint64_t bits = s->len * 8;
	unsigned char pad = 0x80, zero = 0, len[8];
	epub_sha1_update(s, &pad, 1);
	while (s->used != 56)
		epub_sha1_update(s, &zero, 1);
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	epub_sha1_update(s, len, 8);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (unsigned char)(s->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)s->h[i];
	}
}

const char *epub_uuid(arena *a, const char *identifier, const char *title,
		      const void *data, size_t len)
{
	/* RFC 4122 URL namespace 6ba7b811-9dad-11d1-80b4-00c04fd430c8 */
	static const unsigned char ns[16] = {
		0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
		0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8
	};
	epub_sha1 s;
	unsigned char h[20];
	epub_sha1_init(&s);
	epub_sha1_update(&s, ns, sizeof ns);
	epub_sha1_update(&s, "chapbook:", 9);
	if (identifier)
		epub_sha1_update(&s, identifier, strlen(identifier) + 1);
	if (title)
		epub_sha1_update(&s, title, strlen(title) + 1);
	if (data)
		epub_sha1_update(&s, data, len);
	epub_sha1_final(&s, h);
	h[6] = (unsigned char)((h[6] & 0x0F) | 0x50);
	h[8] = (unsigned char)((h[8] & 0x3F) | 0x80);
	return arena_printf(a,
		"urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		"%02x%02x%02x%02x%02x%02x",
		h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9],
		h[10], h[11], h[12], h[13], h[14], h[15]);
}

/* ---- renderer state --------------------------------------------------- */

/* One file of the zip, in the order it is stored. data is owned: freed
 * with xmlFree when from_xml, else with free. */
typedef struct epub_entry {
	const char *name;
	void *data;
	size_t len;
	int from_xml;
} epub_entry;

/* Which file holds a citation anchor: entries of st->cite_file. */
typedef struct epub_cite_file {
	const char *anchor, *file;
} epub_cite_file;

typedef struct epub {
	const doc *d;
	arena *a;
	diag_list *diags;
	const char *lang;
	const char *title;            /* plain-text book title */
	/* parts, in order: node, file name (relative to OEBPS/), title */
	const doc_node **parts;
	const char **part_file, **part_title;
	size_t nparts;
	const char *refs_file;        /* the file holding the bibliography */
	const char *bib_id;           /* id of the bibliography section */
	hmap cite_file;               /* epub_cite_file by anchor */
	idset ids;                    /* the ids only the EPUB writes, over
					 the document's (d->ids) */
	epub_entry *entries;
	size_t nentries, capentries;
	int oom;                      /* a libxml2 call returned NULL */
} epub;

/* One XHTML page being built. */
typedef struct epub_page {
	epub *st;
	xmlDocPtr xd;
	xmlNodePtr html, body;
	xmlNsPtr ops;                 /* the epub: namespace */
	const char *file;             /* this page's file name */
	const char *part_heading_id;  /* id of the part's h1, once made */
} epub_page;

static int epub_cite_file_eq(const void *entry, const void *key)
{
	return strcmp(((const epub_cite_file *)entry)->anchor, key) == 0;
}

/* The file holding citation anchor, or NULL. */
static const char *epub_cite_file_of(const epub *st, const char *anchor)
{
	const epub_cite_file *e = hmap_get(&st->cite_file, hash_str(anchor),
					   epub_cite_file_eq, anchor);
	return e ? e->file : NULL;
}

/* Record that file holds the citations of inline root (with their ids). */
static void epub_cite_files_put(epub *st, const doc_node *root, const char *file)
{
	int entering = 1;
	doc_node *r = (doc_node *)root;
	for (doc_node *c = doc_walk(r, NULL, &entering); c;
	     c = doc_walk(r, c, &entering)) {
		if (!entering || c->type != DOC_CITE || !c->anchor)
			continue;
		epub_cite_file *e = arena_alloc(st->a, sizeof *e);
		e->anchor = c->anchor;
		e->file = file;
		if (hmap_put(&st->cite_file, hash_str(c->anchor), e) < 0)
			st->oom = 1;
	}
}

/* A new id, unique in the whole book: from the id registry. */
static const char *epub_new_id(epub *st, const char *base)
{
	const char *id = idset_new(&st->ids, base);
	if (!id) {
		st->oom = 1;
		id = base;
	}
	return id;
}

/* ---- small libxml2 helpers ------------------------------------------- */

static xmlNodePtr epub_el(epub *st, xmlNodePtr parent, const char *name)
{
	xmlNodePtr n = parent ? xmlNewChild(parent, NULL, BAD_CAST name, NULL) : NULL;
	if (!n)
		st->oom = 1;
	return n;
}

static void epub_text(epub *st, xmlNodePtr parent, const char *text)
{
	if (!parent || !text || !*text)
		return;
	xmlNodePtr t = xmlNewDocText(parent->doc, BAD_CAST text);
	if (!t || !xmlAddChild(parent, t)) {
		xmlFreeNode(t);
		st->oom = 1;
	}
}

static void epub_attr(epub *st, xmlNodePtr n, const char *name, const char *value)
{
	if (n && value && !xmlNewProp(n, BAD_CAST name, BAD_CAST value))
		st->oom = 1;
}

/* An element with inline content. It starts with an empty text node so
 * that the indenting serializer leaves its content alone (libxml2 indents
 * only elements without text children, and indentation between two inline
 * children would show as a space). */
static xmlNodePtr epub_inline(epub *st, xmlNodePtr parent, const char *name)
{
	xmlNodePtr n = epub_el(st, parent, name);
	xmlNodePtr t = n ? xmlNewDocText(n->doc, BAD_CAST "") : NULL;
	if (n && (!t || !xmlAddChild(n, t))) {
		xmlFreeNode(t);
		st->oom = 1;
	}
	return n;
}

/* An element with text content. */
static xmlNodePtr epub_el_text(epub *st, xmlNodePtr parent, const char *name,
			       const char *text)
{
	xmlNodePtr n = epub_inline(st, parent, name);
	epub_text(st, n, text);
	return n;
}

/* epub:type="value" plus the matching ARIA role when there is one. */
static void epub_type(epub_page *pg, xmlNodePtr n, const char *type,
		      const char *role)
{
	if (!n)
		return;
	if (type && !xmlNewNsProp(n, pg->ops, BAD_CAST "type", BAD_CAST type))
		pg->st->oom = 1;
	epub_attr(pg->st, n, "role", role);
}

/* Room for one more zip entry (the array is sized by epub_plan). */
static int epub_entry_room(epub *st, const char *name)
{
	if (st->nentries < st->capentries)
		return 1;
	diag_add(st->diags, DIAG_ERROR, st->d->path, 0, 0,
		 "EPUB: internal error: no room for %s", name);
	return 0;
}

/* Serialize xd into a new zip entry called name. Frees xd. */
static int epub_add_xml(epub *st, xmlDocPtr xd, const char *name)
{
	xmlChar *mem = NULL;
	int len = 0;
	int rc = -1;
	if (st->oom) {
		diag_add(st->diags, DIAG_ERROR, st->d->path, 0, 0,
			 "EPUB: out of memory building %s", name);
		goto out;
	}
	if (!epub_entry_room(st, name))
		goto out;
	xmlDocDumpFormatMemoryEnc(xd, &mem, &len, "UTF-8", 1);
	if (!mem || len <= 0) {
		diag_add(st->diags, DIAG_ERROR, st->d->path, 0, 0,
			 "EPUB: cannot serialize %s", name);
		goto out;
	}
	st->entries[st->nentries++] = (epub_entry){ name, mem, (size_t)len, 1 };
	mem = NULL;
	rc = 0;
out:
	xmlFree(mem);
	xmlFreeDoc(xd);
	return rc;
}

/* A new XML document whose root is name in namespace ns. */
static xmlDocPtr epub_xml_new(epub *st, const char *name, const char *ns,
			      xmlNodePtr *root)
{
	xmlDocPtr xd = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr r = xd ? xmlNewDocNode(xd, NULL, BAD_CAST name, NULL) : NULL;
	if (!r) {
		st->oom = 1;
		*root = NULL;
		return xd;
	}
	xmlDocSetRootElement(xd, r);
	xmlNsPtr n = xmlNewNs(r, BAD_CAST ns, NULL);
	if (!n)
		st->oom = 1;
	xmlSetNs(r, n);
	*root = r;
	return xd;
}

/* A new XHTML page with lang, <title>, the style sheet and a body whose
 * epub:type is body_type (may be NULL). */
static void epub_page_new(epub *st, epub_page *pg, const char *file,
			  const char *title, const char *body_type)
{
	memset(pg, 0, sizeof *pg);
	pg->st = st;
	pg->file = file;
	pg->xd = epub_xml_new(st, "html", EPUB_XHTML_NS, &pg->html);
	if (!pg->html)
		return;
	if (!xmlCreateIntSubset(pg->xd, BAD_CAST "html", NULL, NULL))
		st->oom = 1;
	pg->ops = xmlNewNs(pg->html, BAD_CAST EPUB_OPS_NS, BAD_CAST "epub");
	if (!pg->ops)
		st->oom = 1;
	epub_attr(st, pg->html, "lang", st->lang);
	xmlNodeSetLang(pg->html, BAD_CAST st->lang);
	xmlNodePtr head = epub_el(st, pg->html, "head");
	xmlNodePtr meta = epub_el(st, head, "meta");
	epub_attr(st, meta, "charset", "utf-8");
	epub_el_text(st, head, "title", title);
	xmlNodePtr link = epub_el(st, head, "link");
	epub_attr(st, link, "rel", "stylesheet");
	epub_attr(st, link, "type", "text/css");
	epub_attr(st, link, "href", EPUB_CSS);
	pg->body = epub_el(st, pg->html, "body");
	if (body_type)
		epub_type(pg, pg->body, body_type, NULL);
}

/* ---- the document tree as XHTML --------------------------------------- */

/* The heading level of a HEADING node: h1 for a part's title, h2.. by
 * section depth, one below the enclosing section for an experience. */
static int epub_heading_level(const doc_node *h)
{
	const doc_node *p = h->parent;
	int level = 2;
	if (!p || p->type == DOC_PART)
		return 1;
	if (p->type == DOC_SECTION) {
		level = p->depth + 1;
	} else {
		const doc_node *s = p->parent;
		while (s && s->type != DOC_SECTION && s->type != DOC_PART)
			s = s->parent;
		level = !s || s->type == DOC_PART ? 2 : s->depth + 2;
	}
	return level < 1 ? 1 : level > 6 ? 6 : level;
}

/* The reference list: <section epub:type="bibliography"> with one
 * biblioentry per reference in bibliography order, each ending with a
 * link back to its first citation. */
static xmlNodePtr epub_render_bibliography(epub_page *pg, xmlNodePtr parent,
					   const char *labelled_by)
{
	epub *st = pg->st;
	const doc *d = st->d;
	xmlNodePtr sec = epub_el(st, parent, "section");
	epub_type(pg, sec, "bibliography", "doc-bibliography");
	epub_attr(st, sec, "id", st->bib_id);
	if (labelled_by)
		epub_attr(st, sec, "aria-labelledby", labelled_by);
	else
		epub_attr(st, sec, "aria-label", "Reference list");
	xmlNodePtr list = epub_el(st, sec, "ul");
	epub_attr(st, list, "class", "references");
	for (size_t i = 0; i < d->nrefs; i++) {
		const doc_ref *r = d->refs_sorted ? d->refs_sorted[i] : &d->refs[i];
		xmlNodePtr li = epub_inline(st, list, "li");
		/* no role: doc-biblioentry is deprecated in DPUB-ARIA 1.1 and
		 * Ace reports it (aria-deprecated-role) */
		epub_type(pg, li, "biblioentry", NULL);
		epub_attr(st, li, "id", r->anchor);
		cite_seg *segs = NULL;
		size_t n = cite_format_entry(st->a, r, &segs);
		for (size_t k = 0; k < n; k++) {
			if (segs[k].href) {
				xmlNodePtr a = epub_el_text(st, li, "a", segs[k].text);
				epub_attr(st, a, "href", segs[k].href);
			} else if (segs[k].italic) {
				epub_el_text(st, li, "em", segs[k].text);
			} else {
				epub_text(st, li, segs[k].text);
			}
		}
		const char *file = r->first_cite ? epub_cite_file_of(st, r->first_cite) : NULL;
		if (file) {
			epub_text(st, li, " ");
			xmlNodePtr a = epub_el_text(st, li, "a", "\xE2\x86\xA9\xEF\xB8\x8E");
			const char *href = strcmp(file, pg->file) == 0
				? arena_printf(st->a, "#%s", r->first_cite)
				: arena_printf(st->a, "%s#%s", file, r->first_cite);
			epub_attr(st, a, "href", href);
			epub_attr(st, a, "class", "backlink");
			epub_attr(st, a, "role", "doc-backlink");
			epub_attr(st, a, "aria-label",
				  arena_printf(st->a, "Back to text citing %s",
					       cite_label(st->a, r)));
		}
	}
	return sec;
}

/* A citation: <span id="cite-N" class="citation"> holding the group as
 * cite.c formats it, each label a link to its entry in the bibliography. */
static xmlNodePtr epub_render_cite(epub_page *pg, xmlNodePtr parent,
				   const doc_node *n)
{
	epub *st = pg->st;
	xmlNodePtr span = epub_inline(st, parent, "span");
	epub_attr(st, span, "class", "citation");
	if (n->anchor)
		epub_attr(st, span, "id", n->anchor);
	cite_seg *segs = NULL;
	size_t nseg = cite_format_group(st->a, n, &segs);
	for (size_t i = 0; i < nseg; i++) {
		const char *href = segs[i].href;
		if (segs[i].ref && segs[i].ref->anchor && st->refs_file)
			href = arena_printf(st->a, "%s#%s", st->refs_file,
					    segs[i].ref->anchor);
		if (href) {
			xmlNodePtr a = epub_el_text(st, span, "a", segs[i].text);
			epub_attr(st, a, "href", href);
		} else {
			epub_text(st, span, segs[i].text);
		}
	}
	return span;
}

/* The inline content of root (a paragraph or heading) into el, through
 * the document's one inline walker: only links the checker accepted
 * become <a href>, citations come formatted by cite.c. */
static void epub_render_inline(epub_page *pg, xmlNodePtr el,
			       const doc_node *root)
{
	epub *st = pg->st;
	enum { EPUB_INLINE_STACK = 256 };
	xmlNodePtr stack[EPUB_INLINE_STACK];
	size_t depth = 0;
	xmlNodePtr cur = el;
	doc_inline it;
	doc_inline_start(&it, root);
	while (doc_inline_next(&it)) {
		const char *name = NULL;
		switch (it.event) {
		case DOC_IN_TEXT:
			epub_text(st, cur, it.text);
			break;
		case DOC_IN_EMPH:
			name = "em";
			break;
		case DOC_IN_STRONG:
			name = "strong";
			break;
		case DOC_IN_LINK:
			name = "a";
			break;
		case DOC_IN_EMPH_END:
		case DOC_IN_STRONG_END:
		case DOC_IN_LINK_END:
			if (depth)
				cur = stack[--depth];
			break;
		case DOC_IN_CITE:
			epub_render_cite(pg, cur, it.node);
			break;
		}
		if (!name)
			continue;
		if (depth == EPUB_INLINE_STACK) {
			st->oom = 1;    /* deeper than the loader allows */
			return;
		}
		stack[depth++] = cur;
		cur = epub_inline(st, cur, name);
		if (it.event == DOC_IN_LINK)
			epub_attr(st, cur, "href", it.href);
	}
}

/* A part or section: <section id> labelled by its heading, whose id is
 * set in *heading_id for the heading to take. */
static xmlNodePtr epub_render_section(epub_page *pg, xmlNodePtr cur,
				      const doc_node *n, const char **heading_id)
{
	epub *st = pg->st;
	/* check_document gives every part and section an id */
	const char *id = n->id ? n->id : epub_new_id(st, "section");
	xmlNodePtr el = epub_el(st, cur, "section");
	epub_attr(st, el, "id", id);
	if (n->type == DOC_PART && n->kind != PART_REFERENCES)
		epub_type(pg, el, "chapter", "doc-chapter");
	if (doc_heading(n)) {
		*heading_id = epub_new_id(st, arena_printf(st->a, "%s-title", id));
		epub_attr(st, el, "aria-labelledby", *heading_id);
		if (n->type == DOC_PART)
			pg->part_heading_id = *heading_id;
	}
	return el;
}

/* The element for block node n under cur (its inline content included,
 * for a paragraph or heading); *heading_id carries a section's heading id
 * to its heading. */
static xmlNodePtr epub_render_block(epub_page *pg, xmlNodePtr cur,
				    const doc_node *n, const char **heading_id)
{
	epub *st = pg->st;
	xmlNodePtr el = cur;
	switch (n->type) {
	case DOC_PART:
	case DOC_SECTION:
		el = epub_render_section(pg, cur, n, heading_id);
		break;
	case DOC_EXPERIENCE:
		el = epub_el(st, cur, "aside");
		epub_attr(st, el, "class", "experience");
		if (doc_heading(n)) {
			*heading_id = epub_new_id(st, "experience-title");
			epub_attr(st, el, "aria-labelledby", *heading_id);
		}
		break;
	case DOC_HEADING: {
		char name[3] = { 'h', (char)('0' + epub_heading_level(n)), 0 };
		el = epub_inline(st, cur, name);
		epub_attr(st, el, "id", *heading_id);
		*heading_id = NULL;
		epub_render_inline(pg, el, n);
		break;
	}
	case DOC_PARA:
		el = epub_inline(st, cur, "p");
		epub_render_inline(pg, el, n);
		break;
	case DOC_LIST:
		el = epub_el(st, cur, n->ordered ? "ol" : "ul");
		break;
	case DOC_ITEM:
		el = epub_el(st, cur, "li");
		break;
	case DOC_BIBLIOGRAPHY:
		el = epub_render_bibliography(pg, cur, pg->part_heading_id);
		break;
	case DOC_TEXT:
	case DOC_EMPH:
	case DOC_STRONG:
	case DOC_LINK:
	case DOC_CITE:   /* inline: epub_render_inline's, never here */
	case DOC__MAX:
	default:
		break;
	}
	return el;
}

/* Render root (a part, or a paragraph such as the standfirst) under into,
 * walking the tree without recursion. Returns the element made for root. */
static xmlNodePtr epub_render(epub_page *pg, const doc_node *root, xmlNodePtr into)
{
	enum { EPUB_STACK = 256 };
	xmlNodePtr stack[EPUB_STACK];
	size_t depth = 0;
	xmlNodePtr cur = into, made = NULL;
	const char *heading_id = NULL;  /* id for the next heading */
	int entering = 1;
	doc_node *r = (doc_node *)root;
	for (doc_node *n = doc_walk(r, NULL, &entering); n;
	     n = doc_walk(r, n, &entering)) {
		if (!entering) {
			if (depth)
				cur = stack[--depth];
			continue;
		}
		if (depth == EPUB_STACK) {
			pg->st->oom = 1;    /* deeper than the loader allows */
			break;
		}
		stack[depth++] = cur;
		xmlNodePtr el = epub_render_block(pg, cur, n, &heading_id);
		if (n == root)
			made = el;
		if (n->type == DOC_PARA || n->type == DOC_HEADING) {
			/* its inline content is done: skip its children (a
			 * skipped node gets no leaving event) */
			cur = stack[--depth];
			entering = 0;
			continue;
		}
		if (el)
			cur = el;
	}
	return made;
}

/* ---- planning: file names, ids, citation anchors --------------------- */

/* 1 if s can be a file name stem: an ASCII letter, then letters, digits,
 * '-' or '_', at most 64 bytes, and not one of the fixed names. */
static int epub_stem_ok(const char *s)
{
	static const char *const fixed[] = { "title", "nav", "toc", "package",
					     "style", "mimetype" };
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 64)
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		if (strcmp(s, fixed[i]) == 0)
			return 0;
	return 1;
}

/* Decide each part's file, collect the ids the tree already uses and where
 * each citation anchor lives. Returns 0, or -1 with a diagnostic. */
static int epub_plan(epub *st)
{
	const doc *d = st->d;
	size_t n = 0;
	for (const doc_node *p = d->parts_first; p; p = p->next)
		n++;
	if (n == 0) {
		diag_add(st->diags, DIAG_ERROR, d->path, 0, 0, "EPUB: no parts");
		return -1;
	}
	/* mimetype, container, css, title page, parts, package, nav, ncx */
	st->capentries = n + 8;
	st->entries = arena_alloc(st->a, st->capentries * sizeof *st->entries);
	st->parts = arena_alloc(st->a, n * sizeof *st->parts);
	st->part_file = arena_alloc(st->a, n * sizeof *st->part_file);
	st->part_title = arena_alloc(st->a, n * sizeof *st->part_title);
	st->nparts = n;
	/* file stems, unique (a part's id, else part-N), through a registry
	 * of their own: ids and file names are different namespaces */
	idset stems;
	idset_init(&stems, NULL, st->a);
	size_t i = 0;
	for (const doc_node *p = d->parts_first; p; p = p->next, i++) {
		const char *stem = idset_new(&stems, epub_stem_ok(p->id) ? p->id
					     : arena_printf(st->a, "part-%zu", i + 1));
		if (!stem) {
			st->oom = 1;
			stem = "part";
		}
		const char *file = arena_printf(st->a, "%s.xhtml", stem);
		st->parts[i] = p;
		st->part_file[i] = file;
		const doc_node *h = doc_heading(p);
		const char *t = h ? doc_plain_text(st->a, h) : "";
		st->part_title[i] = *t ? t : arena_printf(st->a, "Part %zu", i + 1);
		int entering = 1;
		doc_node *root = (doc_node *)p;
		for (doc_node *c = doc_walk(root, NULL, &entering); c;
		     c = doc_walk(root, c, &entering)) {
			if (!entering)
				continue;
			if (c->type == DOC_BIBLIOGRAPHY && !st->refs_file)
				st->refs_file = file;
			else if (c->type == DOC_PARA || c->type == DOC_HEADING)
				epub_cite_files_put(st, c, file);
		}
	}
	idset_free(&stems);
	if (d->meta.standfirst)
		epub_cite_files_put(st, d->meta.standfirst, EPUB_TITLE_FILE);
	st->bib_id = epub_new_id(st, "bibliography");
	return 0;
}

/* ---- the pages -------------------------------------------------------- */

static int epub_write_titlepage(epub *st)
{
	const doc_meta *m = &st->d->meta;
	epub_page pg;
	epub_page_new(st, &pg, EPUB_TITLE_FILE, st->title, "frontmatter");
	const char *sid = epub_new_id(st, "titlepage");
	const char *hid = epub_new_id(st, "titlepage-title");
	xmlNodePtr sec = epub_el(st, pg.body, "section");
	epub_type(&pg, sec, "titlepage", NULL);
	epub_attr(st, sec, "id", sid);
	epub_attr(st, sec, "aria-labelledby", hid);
	xmlNodePtr h1 = epub_el_text(st, sec, "h1", st->title);
	epub_attr(st, h1, "id", hid);
	epub_attr(st, h1, "class", "title");
	if (m->standfirst) {
		xmlNodePtr p = epub_render(&pg, m->standfirst, sec);
		epub_attr(st, p, "class", "standfirst");
	}
	if (m->nauthors) {
		xmlNodePtr p = epub_el_text(st, sec, "p",
			cite_author_list(st->a, m->authors, m->nauthors));
		epub_attr(st, p, "class", "authors");
	}
	if (m->publisher && *m->publisher) {
		xmlNodePtr p = epub_el_text(st, sec, "p", m->publisher);
		epub_attr(st, p, "class", "publisher");
	}
	if (m->reviewed && *m->reviewed) {
		const char *when = cite_format_date(st->a, m->reviewed);
		xmlNodePtr p = epub_el_text(st, sec, "p", arena_printf(st->a,
				"Last reviewed %s", when ? when : m->reviewed));
		epub_attr(st, p, "class", "reviewed");
	}
	return epub_add_xml(st, pg.xd, EPUB_DIR EPUB_TITLE_FILE);
}

static int epub_write_part(epub *st, size_t i)
{
	const doc_node *part = st->parts[i];
	epub_page pg;
	const char *title = strcmp(st->part_title[i], st->title) == 0
		? st->title
		: arena_printf(st->a, "%s – %s", st->part_title[i], st->title);
	epub_page_new(st, &pg, st->part_file[i], title,
		      part->kind == PART_REFERENCES ? "backmatter" : "bodymatter");
	epub_render(&pg, part, pg.body);
	return epub_add_xml(st, pg.xd, arena_printf(st->a, EPUB_DIR "%s",
						    st->part_file[i]));
}

/* ---- contents: nav.xhtml and toc.ncx --------------------------------- */

typedef struct epub_toc {
	int level;            /* 0 for a part, section depth below */
	const char *label, *href;
} epub_toc;

/* The table of contents, flattened: parts and their nested sections in
 * document order. Returns the count; *out is arena memory. */
static size_t epub_toc_entries(epub *st, epub_toc **out)
{
	size_t n = 0, cap = 16;
	epub_toc *v = arena_alloc(st->a, cap * sizeof *v);
	for (size_t i = 0; i < st->nparts; i++) {
		int entering = 1, prev = -1;
		doc_node *root = (doc_node *)st->parts[i];
		for (doc_node *c = doc_walk(root, NULL, &entering); c;
		     c = doc_walk(root, c, &entering)) {
			if (!entering)
				continue;
			if (c->type != DOC_PART && c->type != DOC_SECTION) {
				entering = 0;    /* sections hold no sections inside blocks */
				continue;
			}
			if (n == cap) {
				v = arena_grow(st->a, v, n, cap * 2, sizeof *v);
				cap *= 2;
			}
			int level = c->type == DOC_PART ? 0 : c->depth;
			if (level > prev + 1)
				level = prev + 1;
			prev = level;
			const doc_node *h = doc_heading(c);
			const char *label = h ? doc_plain_text(st->a, h) : "";
			if (c->type == DOC_PART)
				label = st->part_title[i];
			else if (!*label)
				label = c->id ? c->id : "Section";
			v[n++] = (epub_toc){
				level, label,
				c->type == DOC_PART || !c->id
					? st->part_file[i]
					: arena_printf(st->a, "%s#%s", st->part_file[i], c->id)
			};
		}
	}
	*out = v;
	return n;
}

enum { EPUB_TOC_DEPTH = 80 };

static int epub_write_nav(epub *st, const epub_toc *toc, size_t ntoc)
{
	epub_page pg;
	epub_page_new(st, &pg, EPUB_NAV_FILE, "Contents", NULL);
	const char *tid = epub_new_id(st, "toc");
	const char *thid = epub_new_id(st, "toc-title");
	xmlNodePtr nav = epub_el(st, pg.body, "nav");
	epub_type(&pg, nav, "toc", "doc-toc");
	epub_attr(st, nav, "id", tid);
	epub_attr(st, nav, "aria-labelledby", thid);
	xmlNodePtr h = epub_el_text(st, nav, "h1", "Contents");
	epub_attr(st, h, "id", thid);
	xmlNodePtr top = epub_el(st, nav, "ol");
	xmlNodePtr li_at[EPUB_TOC_DEPTH] = { 0 };
	for (size_t i = 0; i < ntoc; i++) {
		int lv = toc[i].level < EPUB_TOC_DEPTH ? toc[i].level : EPUB_TOC_DEPTH - 1;
		xmlNodePtr list = top;
		if (lv > 0 && li_at[lv - 1]) {
			xmlNodePtr up = li_at[lv - 1];
			list = up->last && xmlStrEqual(up->last->name, BAD_CAST "ol")
				? up->last : epub_el(st, up, "ol");
		}
		xmlNodePtr li = epub_el(st, list, "li");
		xmlNodePtr a = epub_el_text(st, li, "a", toc[i].label);
		epub_attr(st, a, "href", toc[i].href);
		li_at[lv] = li;
	}

	const char *lid = epub_new_id(st, "landmarks");
	const char *lhid = epub_new_id(st, "landmarks-title");
	nav = epub_el(st, pg.body, "nav");
	epub_type(&pg, nav, "landmarks", NULL);
	epub_attr(st, nav, "id", lid);
	epub_attr(st, nav, "aria-labelledby", lhid);
	epub_attr(st, nav, "hidden", "hidden");
	h = epub_el_text(st, nav, "h2", "Landmarks");
	epub_attr(st, h, "id", lhid);
	xmlNodePtr ol = epub_el(st, nav, "ol");
	const char *body = st->part_file[0];
	for (size_t i = 0; i < st->nparts; i++)
		if (st->parts[i]->kind != PART_REFERENCES) {
			body = st->part_file[i];
			break;
		}
	const char *marks[4][3] = {
		{ "titlepage", EPUB_TITLE_FILE, "Title page" },
		{ "toc", arena_printf(st->a, EPUB_NAV_FILE "#%s", tid), "Contents" },
		{ "bodymatter", body, "Start of content" },
		{ "bibliography", st->refs_file
			? arena_printf(st->a, "%s#%s", st->refs_file, st->bib_id) : NULL,
		  "References" },
	};
	for (size_t i = 0; i < 4; i++) {
		if (!marks[i][1])
			continue;
		xmlNodePtr li = epub_el(st, ol, "li");
		xmlNodePtr a = epub_el_text(st, li, "a", marks[i][2]);
		epub_type(&pg, a, marks[i][0], NULL);
		epub_attr(st, a, "href", marks[i][1]);
	}
	return epub_add_xml(st, pg.xd, EPUB_DIR EPUB_NAV_FILE);
}

static int epub_write_ncx(epub *st, const char *uid, const epub_toc *toc,
			  size_t ntoc)
{
	xmlNodePtr ncx;
	xmlDocPtr xd = epub_xml_new(st, "ncx", EPUB_NCX_NS, &ncx);
	epub_attr(st, ncx, "version", "2005-1");
	if (ncx)
		xmlNodeSetLang(ncx, BAD_CAST st->lang);
	int maxlv = 0;
	for (size_t i = 0; i < ntoc; i++)
		if (toc[i].level > maxlv)
			maxlv = toc[i].level;
	xmlNodePtr head = epub_el(st, ncx, "head");
	const char *metas[4][2] = {
		{ "dtb:uid", uid },
		{ "dtb:depth", arena_printf(st->a, "%d", maxlv + 1) },
		{ "dtb:totalPageCount", "0" },
		{ "dtb:maxPageNumber", "0" },
	};
	for (size_t i = 0; i < 4; i++) {
		xmlNodePtr m = epub_el(st, head, "meta");
		epub_attr(st, m, "name", metas[i][0]);
		epub_attr(st, m, "content", metas[i][1]);
	}
	epub_el_text(st, epub_el(st, ncx, "docTitle"), "text", st->title);
	xmlNodePtr map = epub_el(st, ncx, "navMap");
	xmlNodePtr at[EPUB_TOC_DEPTH] = { 0 };
	for (size_t i = 0; i < ntoc; i++) {
		int lv = toc[i].level < EPUB_TOC_DEPTH ? toc[i].level : EPUB_TOC_DEPTH - 1;
		xmlNodePtr parent = lv > 0 && at[lv - 1] ? at[lv - 1] : map;
		xmlNodePtr np = epub_el(st, parent, "navPoint");
		epub_attr(st, np, "id", arena_printf(st->a, "navpoint-%zu", i + 1));
		epub_attr(st, np, "playOrder", arena_printf(st->a, "%zu", i + 1));
		epub_el_text(st, epub_el(st, np, "navLabel"), "text", toc[i].label);
		xmlNodePtr c = epub_el(st, np, "content");
		epub_attr(st, c, "src", toc[i].href);
		at[lv] = np;
	}
	return epub_add_xml(st, xd, EPUB_DIR EPUB_NCX_FILE);
}

/* ---- the package document and the container ------------------------- */

static void epub_meta(epub *st, xmlNodePtr md, const char *property,
		      const char *value)
{
	xmlNodePtr m = epub_el_text(st, md, "meta", value);
	epub_attr(st, m, "property", property);
}

static int epub_write_opf(epub *st, const char *uid, const char *modified)
{
	const doc_meta *m = &st->d->meta;
	xmlNodePtr pkg;
	xmlDocPtr xd = epub_xml_new(st, "package", EPUB_OPF_NS, &pkg);
	epub_attr(st, pkg, "version", "3.0");
	epub_attr(st, pkg, "unique-identifier", "uid");
	if (pkg)
		xmlNodeSetLang(pkg, BAD_CAST st->lang);
	xmlNodePtr md = epub_el(st, pkg, "metadata");
	xmlNsPtr dc = md ? xmlNewNs(md, BAD_CAST EPUB_DC_NS, BAD_CAST "dc") : NULL;
	if (!dc)
		st->oom = 1;
	xmlNodePtr e = md ? xmlNewTextChild(md, dc, BAD_CAST "identifier", BAD_CAST uid) : NULL;
	epub_attr(st, e, "id", "uid");
	if (md && !xmlNewTextChild(md, dc, BAD_CAST "title", BAD_CAST st->title))
		st->oom = 1;
	for (size_t i = 0; i < m->nauthors; i++) {
		const char *id = arena_printf(st->a, "creator-%zu", i + 1);
		e = md ? xmlNewTextChild(md, dc, BAD_CAST "creator",
			 BAD_CAST cite_person(st->a, &m->authors[i])) : NULL;
		if (!e)
			st->oom = 1;
		epub_attr(st, e, "id", id);
		xmlNodePtr r = epub_el_text(st, md, "meta", "aut");
		epub_attr(st, r, "refines", arena_printf(st->a, "#%s", id));
		epub_attr(st, r, "property", "role");
		epub_attr(st, r, "scheme", "marc:relators");
		r = epub_el_text(st, md, "meta", cite_person_sort_as(st->a, &m->authors[i]));
		epub_attr(st, r, "refines", arena_printf(st->a, "#%s", id));
		epub_attr(st, r, "property", "file-as");
	}
	if (md && !xmlNewTextChild(md, dc, BAD_CAST "language", BAD_CAST st->lang))
		st->oom = 1;
	if (m->publisher && *m->publisher && md &&
	    !xmlNewTextChild(md, dc, BAD_CAST "publisher", BAD_CAST m->publisher))
		st->oom = 1;
	epub_meta(st, md, "dcterms:modified", modified);
	epub_meta(st, md, "schema:accessMode", "textual");
	epub_meta(st, md, "schema:accessModeSufficient", "textual");
	epub_meta(st, md, "schema:accessibilityFeature", "structuralNavigation");
	epub_meta(st, md, "schema:accessibilityFeature", "tableOfContents");
	epub_meta(st, md, "schema:accessibilityFeature", "readingOrder");
	epub_meta(st, md, "schema:accessibilityHazard", "none");
	epub_meta(st, md, "schema:accessibilitySummary",
		  "Text only: no images, audio or video. Every part and section "
		  "has a heading, the table of contents links to each of them, "
		  "and each citation links to its entry in the reference list, "
		  "which links back to the text.");
	epub_meta(st, md, "dcterms:conformsTo",
		  "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");

	xmlNodePtr man = epub_el(st, pkg, "manifest");
	xmlNodePtr spine = epub_el(st, pkg, "spine");
	epub_attr(st, spine, "toc", "ncx");
	struct { const char *id, *href, *type, *props; int in_spine; } fixed[] = {
		{ "titlepage", EPUB_TITLE_FILE, "application/xhtml+xml", NULL, 1 },
		{ "nav", EPUB_NAV_FILE, "application/xhtml+xml", "nav", 1 },
		{ "ncx", EPUB_NCX_FILE, "application/x-dtbncx+xml", NULL, 0 },
		{ "css", EPUB_CSS, "text/css", NULL, 0 },
	};
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
		xmlNodePtr it = epub_el(st, man, "item");
		epub_attr(st, it, "id", fixed[i].id);
		epub_attr(st, it, "href", fixed[i].href);
		epub_attr(st, it, "media-type", fixed[i].type);
		epub_attr(st, it, "properties", fixed[i].props);
		if (fixed[i].in_spine)
			epub_attr(st, epub_el(st, spine, "itemref"), "idref", fixed[i].id);
	}
	for (size_t i = 0; i < st->nparts; i++) {
		const char *id = arena_printf(st->a, "part-%zu", i + 1);
		xmlNodePtr it = epub_el(st, man, "item");
		epub_attr(st, it, "id", id);
		epub_attr(st, it, "href", st->part_file[i]);
		epub_attr(st, it, "media-type", "application/xhtml+xml");
		epub_attr(st, epub_el(st, spine, "itemref"), "idref", id);
	}
	return epub_add_xml(st, xd, EPUB_DIR EPUB_OPF_FILE);
}

static int epub_write_container(epub *st)
{
	xmlNodePtr c;
	xmlDocPtr xd = epub_xml_new(st, "container", EPUB_CONTAINER_NS, &c);
	epub_attr(st, c, "version", "1.0");
	xmlNodePtr rf = epub_el(st, epub_el(st, c, "rootfiles"), "rootfile");
	epub_attr(st, rf, "full-path", EPUB_DIR EPUB_OPF_FILE);
	epub_attr(st, rf, "media-type", "application/oebps-package+xml");
	return epub_add_xml(st, xd, "META-INF/container.xml");
}

/* Read the style sheet into a new entry. */
static int epub_read_css(epub *st, const char *path)
{
	const size_t max = 64u << 20;
	file_bytes f;
	file_status fs = file_read(path, max, &f);
	if (fs != FILE_OK) {
		file_report(st->diags, path, "style sheet", fs, &f, max);
		return -1;
	}
	if (!epub_entry_room(st, path)) {
		file_release(&f);
		return -1;
	}
	st->entries[st->nentries++] =
		(epub_entry){ EPUB_DIR EPUB_CSS, f.data, f.len, 0 };
	return 0;
}

/* ---- the zip ---------------------------------------------------------- */

/* Assemble entries[order[..]] into a zip in memory: the first entry stored,
 * the rest deflated, all with the DOS time of epoch and mode 0644. On
 * success *out is malloc memory of *outlen bytes. */
static int epub_zip(epub *st, const size_t *order, size_t n, long long epoch,
		    const char *out_path, void **out, size_t *outlen)
{
	zip_error_t ze;
	zip_source_t *src = NULL;
	zip_t *za = NULL;
	void *bytes = NULL;
	int rc = -1, opened = 0;
	zip_error_init(&ze);

	time_t t = (time_t)(epoch < 315532800 ? 315532800 : epoch); /* >= 1980 */
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		diag_add(st->diags, DIAG_ERROR, out_path, 0, 0, "EPUB: bad time");
		goto out;
	}
	zip_uint16_t dtime = (zip_uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
	zip_uint16_t ddate = (zip_uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);

	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!src)
		goto zerr;
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (!za)
		goto zerr;
	zip_source_keep(src);   /* ours, to read the bytes after zip_close */
	for (size_t i = 0; i < n; i++) {
		const epub_entry *e = &st->entries[order[i]];
		zip_source_t *s = zip_source_buffer(za, e->data, e->len, 0);
		zip_int64_t idx = s ? zip_file_add(za, e->name, s, ZIP_FL_ENC_GUESS) : -1;
		if (idx < 0) {
			zip_source_free(s);
			zip_error_set(&ze, zip_error_code_zip(zip_get_error(za)), 0);
			goto zerr;
		}
		zip_uint64_t u = (zip_uint64_t)idx;
		if (zip_set_file_compression(za, u, i == 0 ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
					     i == 0 ? 0 : 6) < 0 ||
		    zip_file_set_dostime(za, u, dtime, ddate, 0) < 0 ||
		    zip_file_set_external_attributes(za, u, 0, ZIP_OPSYS_UNIX,
						     (zip_uint32_t)0100644 << 16) < 0) {
			zip_error_set(&ze, zip_error_code_zip(zip_get_error(za)), 0);
			goto zerr;
		}
	}
	if (zip_close(za) < 0) {
		zip_error_set(&ze, zip_error_code_zip(zip_get_error(za)), 0);
		zip_discard(za);
		za = NULL;
		goto zerr;
	}
	za = NULL;
	if (zip_source_open(src) < 0)
		goto srcerr;
	opened = 1;
	if (zip_source_seek(src, 0, SEEK_END) < 0)
		goto srcerr;
	zip_int64_t size = zip_source_tell(src);
	if (size <= 0 || zip_source_seek(src, 0, SEEK_SET) < 0)
		goto srcerr;
	bytes = malloc((size_t)size);
	if (!bytes) {
		diag_add(st->diags, DIAG_ERROR, out_path, 0, 0, "out of memory");
		goto out;
	}
	if (zip_source_read(src, bytes, (zip_uint64_t)size) != size)
		goto srcerr;
	*out = bytes;
	*outlen = (size_t)size;
	bytes = NULL;
	rc = 0;
	goto out;
srcerr:
	zip_error_set(&ze, zip_error_code_zip(zip_source_error(src)), 0);
zerr:
	diag_add(st->diags, DIAG_ERROR, out_path, 0, 0, "cannot build EPUB zip: %s",
		 zip_error_strerror(&ze));
out:
	if (za)
		zip_discard(za);
	if (opened)
		zip_source_close(src);
	if (src)
		zip_source_free(src);
	free(bytes);
	zip_error_fini(&ze);
	return rc;
}

/* ---- the whole book --------------------------------------------------- */

static int epub_add_bytes(epub *st, const char *name, const char *s)
{
	size_t n = strlen(s);
	if (!epub_entry_room(st, name))
		return -1;
	char *p = malloc(n ? n : 1);
	if (!p) {
		diag_add(st->diags, DIAG_ERROR, st->d->path, 0, 0, "out of memory");
		return -1;
	}
	memcpy(p, s, n);
	st->entries[st->nentries++] = (epub_entry){ name, p, n, 0 };
	return 0;
}

int epub_write(const doc *d, const char *css_path, long long epoch,
	       const char *out_path, diag_list *diags)
{
	/* Its own arena, not the document's: the EPUB may be written on a
	 * thread of its own while the PDFs are laid out. */
	arena a = {0};
	epub st = { .d = d, .a = &a, .diags = diags };
	void *zipdata = NULL;
	size_t ziplen = 0;
	size_t *order = NULL;
	buf content = {0};
	int rc = -1;

	idset_init(&st.ids, &d->ids, st.a);
	st.lang = d->meta.language && *d->meta.language ? d->meta.language : "en";
	st.title = d->meta.title && *d->meta.title ? d->meta.title : "Untitled";
	struct tm tm;
	time_t t = (time_t)epoch;
	if (epoch < 0 || epoch > 253402300799LL || !gmtime_r(&t, &tm)) {
		diag_add(diags, DIAG_ERROR, out_path, 0, 0,
			 "EPUB: modification time %lld out of range", epoch);
		goto out;
	}
	char modified[32];
	strftime(modified, sizeof modified, "%Y-%m-%dT%H:%M:%SZ", &tm);

	if (epub_plan(&st) < 0)
		goto out;
	/* mimetype first (stored), then the content files, whose bytes also
	 * name the book (the UUID), then the files that carry the UUID. */
	if (epub_add_bytes(&st, "mimetype", "application/epub+zip") < 0 ||
	    epub_write_container(&st) < 0 || epub_read_css(&st, css_path) < 0 ||
	    epub_write_titlepage(&st) < 0)
		goto out;
	for (size_t i = 0; i < st.nparts; i++)
		if (epub_write_part(&st, i) < 0)
			goto out;
	for (size_t i = 3; i < st.nentries; i++)   /* title page and parts */
		buf_put(&content, st.entries[i].data, st.entries[i].len);
	const char *uid = epub_uuid(st.a, d->meta.identifier, st.title,
				    content.data, content.len);
	epub_toc *toc = NULL;
	size_t ntoc = epub_toc_entries(&st, &toc);
	size_t first_late = st.nentries;
	if (epub_write_opf(&st, uid, modified) < 0 ||
	    epub_write_nav(&st, toc, ntoc) < 0 ||
	    epub_write_ncx(&st, uid, toc, ntoc) < 0)
		goto out;
	/* zip order: mimetype, container, package, nav, ncx, css, pages */
	order = arena_alloc(st.a, st.nentries * sizeof *order);
	size_t k = 0;
	order[k++] = 0;
	order[k++] = 1;
	for (size_t i = first_late; i < st.nentries; i++)
		order[k++] = i;
	for (size_t i = 2; i < first_late; i++)
		order[k++] = i;
	if (epub_zip(&st, order, k, epoch, out_path, &zipdata, &ziplen) < 0)
		goto out;
	if (outfile_write(out_path, zipdata, ziplen, diags) < 0)
		goto out;
	rc = 0;
out:
	for (size_t i = 0; i < st.nentries; i++) {
		if (st.entries[i].from_xml)
			xmlFree(st.entries[i].data);
		else
			free(st.entries[i].data);
	}
	free(zipdata);
	buf_free(&content);
	idset_free(&st.ids);
	hmap_free(&st.cite_file);
	arena_free(&a);
	return rc;
}
