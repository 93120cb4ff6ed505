/* xhtml.c - the EPUB's XHTML: small libxml2 helpers (escaping is always
 * libxml2's), the document tree rendered without recursion (parts and
 * sections, paragraphs, lists, experiences, inline content through the
 * one checked inline walker, citations and the bibliography as cite.c
 * formats them), the title page and one page per part. */
#include <string.h>

#include "doc/cite.h"
#include "render/epub/book.h"

/* ---- small libxml2 helpers ------------------------------------------- */

xmlNodePtr epub_el(epub *st, xmlNodePtr parent, const char *name)
{
	xmlNodePtr n = parent ? xmlNewChild(parent, NULL, BAD_CAST name, NULL) : NULL;
	if (!n)
		st->oom = 1;
	return n;
}

void epub_text(epub *st, xmlNodePtr parent, const char *text)
{
	if (!parent || !text || !*text)
		return;
	xmlNodePtr t = xmlNewDocText(parent->doc, BAD_CAST text);
	if (!t || !xmlAddChild(parent, t)) {
		xmlFreeNode(t);
		st->oom = 1;
	}
}

void epub_attr(epub *st, xmlNodePtr n, const char *name, const char *value)
{
	if (n && value && !xmlNewProp(n, BAD_CAST name, BAD_CAST value))
		st->oom = 1;
}

/* An element with inline content. It starts with an empty text node so
 * that the indenting serializer leaves its content alone (libxml2 indents
 * only elements without text children, and indentation between two inline
 * children would show as a space). */
xmlNodePtr epub_inline(epub *st, xmlNodePtr parent, const char *name)
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
xmlNodePtr epub_el_text(epub *st, xmlNodePtr parent, const char *name,
			       const char *text)
{
	xmlNodePtr n = epub_inline(st, parent, name);
	epub_text(st, n, text);
	return n;
}

/* epub:type="value" plus the matching ARIA role when there is one. */
void epub_type(epub_page *pg, xmlNodePtr n, const char *type,
		      const char *role)
{
	if (!n)
		return;
	if (type && !xmlNewNsProp(n, pg->ops, BAD_CAST "type", BAD_CAST type))
		pg->st->oom = 1;
	epub_attr(pg->st, n, "role", role);
}


/* Serialize xd into a new zip entry called name. Frees xd. */
int epub_add_xml(epub *st, xmlDocPtr xd, const char *name)
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
xmlDocPtr epub_xml_new(epub *st, const char *name, const char *ns,
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
void epub_page_new(epub *st, epub_page *pg, const char *file,
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

/* "a", "b", ... "z", "aa", "ab", ...: the letter of back link i (from 0). */
static const char *epub_backlink_letter(arena *a, size_t i)
{
	char tmp[16];
	size_t n = 0;
	i++;
	while (i && n < sizeof tmp) {
		i--;
		tmp[n++] = (char)('a' + i % 26);
		i /= 26;
	}
	char *out = arena_alloc(a, n + 1);
	for (size_t k = 0; k < n; k++)
		out[k] = tmp[n - 1 - k];
	return out;
}

/* The back links of entry r: one to each citation of it, in document
 * order ("↩" alone, or "↩ a", "↩ b" when there are several, named
 * "Back to citation 1 of 2"). */
static void epub_render_backlinks(epub_page *pg, xmlNodePtr li,
				  const doc_ref *r)
{
	epub *st = pg->st;
	const doc *d = st->d;
	if (r < d->refs || r >= d->refs + d->nrefs)
		return;
	const epub_backs *b = &st->backs[r - d->refs];
	for (size_t k = 0; k < b->n; k++) {
		const char *file = epub_cite_file_of(st, b->anchors[k]);
		if (!file)
			continue;
		epub_text(st, li, " ");
		const char *text = "\xE2\x86\xA9\xEF\xB8\x8E";   /* ↩ as text */
		const char *name = "Back to citation";
		if (b->n > 1) {
			text = arena_printf(st->a, "%s %s", text,
					    epub_backlink_letter(st->a, k));
			name = arena_printf(st->a, "Back to citation %zu of %zu",
					    k + 1, b->n);
		}
		xmlNodePtr a = epub_el_text(st, li, "a", text);
		const char *href = strcmp(file, pg->file) == 0
			? arena_printf(st->a, "#%s", b->anchors[k])
			: arena_printf(st->a, "%s#%s", file, b->anchors[k]);
		epub_attr(st, a, "href", href);
		epub_attr(st, a, "class", "backlink");
		epub_attr(st, a, "role", "doc-backlink");
		epub_attr(st, a, "aria-label", name);
	}
}

/* The reference list: one biblioentry per reference in bibliography
 * order (in the section that holds the part's heading, which carries the
 * bibliography role), each with its page-break markers and ending with
 * links back to its citations. */
static xmlNodePtr epub_render_bibliography(epub_page *pg, xmlNodePtr parent)
{
	epub *st = pg->st;
	const doc *d = st->d;
	xmlNodePtr list = epub_el(st, parent, "ul");
	epub_attr(st, list, "class", "references");
	for (size_t i = 0; i < d->nrefs; i++) {
		const doc_ref *r = d->refs_sorted ? d->refs_sorted[i] : &d->refs[i];
		xmlNodePtr li = epub_inline(st, list, "li");
		/* no role: doc-biblioentry is deprecated in DPUB-ARIA 1.1 and
		 * Ace reports it (aria-deprecated-role) */
		epub_type(pg, li, "biblioentry", NULL);
		epub_attr(st, li, "id", r->anchor);
		epub_mark_cursor mc = epub_marks_of(st, r);
		cite_seg *segs = NULL;
		size_t n = cite_format_entry(st->a, r, &segs);
		for (size_t k = 0; k < n; k++) {
			const char *t = segs[k].text ? segs[k].text : "";
			if (segs[k].href) {
				epub_marks_upto(pg, li, &mc, mc.at + strlen(t));
				xmlNodePtr a = epub_el_text(st, li, "a", t);
				epub_attr(st, a, "href", segs[k].href);
				mc.at += strlen(t);
			} else if (segs[k].italic) {
				epub_marks_text(pg, epub_inline(st, li, "em"), &mc, t);
			} else {
				epub_marks_text(pg, li, &mc, t);
			}
		}
		epub_marks_upto(pg, li, &mc, SIZE_MAX);
		epub_render_backlinks(pg, li, r);
	}
	return list;
}

/* A citation: <span id="cite-N" class="citation"> holding the group as
 * cite.c formats it, each label a link to its entry in the bibliography
 * (role doc-biblioref); page-break markers among them. */
static xmlNodePtr epub_render_cite(epub_page *pg, xmlNodePtr parent,
				   const doc_node *n, epub_mark_cursor *mc)
{
	epub *st = pg->st;
	xmlNodePtr span = epub_inline(st, parent, "span");
	epub_attr(st, span, "class", "citation");
	if (n->anchor)
		epub_attr(st, span, "id", n->anchor);
	cite_seg *segs = NULL;
	size_t nseg = cite_format_group(st->a, n, &segs);
	for (size_t i = 0; i < nseg; i++) {
		const char *t = segs[i].text ? segs[i].text : "";
		const char *href = segs[i].href;
		int biblioref = segs[i].ref && segs[i].ref->anchor && st->refs_file;
		if (biblioref)
			href = arena_printf(st->a, "%s#%s", st->refs_file,
					    segs[i].ref->anchor);
		if (!href) {
			epub_marks_text(pg, span, mc, t);
			continue;
		}
		epub_marks_upto(pg, span, mc, mc->at + strlen(t));
		xmlNodePtr a = epub_el_text(st, span, "a", t);
		epub_attr(st, a, "href", href);
		if (biblioref)
			epub_attr(st, a, "role", "doc-biblioref");
		mc->at += strlen(t);
	}
	return span;
}

/* The inline content of root (a paragraph or heading) into el, through
 * the document's one inline walker: only links the checker accepted
 * become <a href>, citations come formatted by cite.c; the page-break
 * markers of mc go where they fall (before a link they fall inside). */
static void epub_render_inline(epub_page *pg, xmlNodePtr el,
			       const doc_node *root, epub_mark_cursor *mc)
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
			epub_marks_text(pg, cur, mc, it.text);
			break;
		case DOC_IN_EMPH:
			name = "em";
			break;
		case DOC_IN_STRONG:
			name = "strong";
			break;
		case DOC_IN_LINK:
			/* a page that begins inside the link is marked before it */
			epub_marks_upto(pg, cur, mc, mc->at +
					strlen(doc_plain_text(st->a, it.node)));
			name = "a";
			break;
		case DOC_IN_EMPH_END:
		case DOC_IN_STRONG_END:
		case DOC_IN_LINK_END:
			if (depth)
				cur = stack[--depth];
			break;
		case DOC_IN_CITE:
			epub_render_cite(pg, cur, it.node, mc);
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
	epub_marks_upto(pg, el, mc, SIZE_MAX);
}

/* Whether n (a part or section) holds the bibliography itself. */
static int epub_holds_bibliography(const doc_node *n)
{
	for (const doc_node *c = n->first; c; c = c->next)
		if (c->type == DOC_BIBLIOGRAPHY)
			return 1;
	return 0;
}

/* A part or section: <section id>. A part is a chapter (or, holding the
 * bibliography, the bibliography) labelled by its heading, whose id is
 * set in *heading_id for the heading to take: a landmark each. Sections
 * inside are plain sections, not landmarks. */
static xmlNodePtr epub_render_section(epub_page *pg, xmlNodePtr cur,
				      const doc_node *n, const char **heading_id)
{
	epub *st = pg->st;
	/* check_document gives every part and section an id */
	const char *id = n->id ? n->id : epub_new_id(st, "section");
	xmlNodePtr el = epub_el(st, cur, "section");
	epub_attr(st, el, "id", id);
	int bib = epub_holds_bibliography(n);
	if (bib)
		epub_type(pg, el, "bibliography", "doc-bibliography");
	else if (n->type == DOC_PART)
		epub_type(pg, el, "chapter", "doc-chapter");
	if ((bib || n->type == DOC_PART) && doc_heading(n)) {
		*heading_id = epub_new_id(st, arena_printf(st->a, "%s-title", id));
		epub_attr(st, el, "aria-labelledby", *heading_id);
	} else if (bib) {
		epub_attr(st, el, "aria-label", "References");
	}
	return el;
}

/* The element for block node n under cur (its inline content included,
 * for a paragraph or heading, with the page-break markers inside it;
 * those at its start go before it); *heading_id carries a part's heading
 * id to its heading. */
static xmlNodePtr epub_render_block(epub_page *pg, xmlNodePtr cur,
				    const doc_node *n, const char **heading_id)
{
	epub *st = pg->st;
	xmlNodePtr el = cur;
	epub_mark_cursor mc = epub_marks_of(st, n);
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
		/* a heading's name is its text: its marks go before it */
		epub_marks_upto(pg, cur, &mc, SIZE_MAX);
		char name[3] = { 'h', (char)('0' + epub_heading_level(n)), 0 };
		el = epub_inline(st, cur, name);
		epub_attr(st, el, "id", *heading_id);
		*heading_id = NULL;
		epub_render_inline(pg, el, n, &mc);
		break;
	}
	case DOC_PARA:
		epub_marks_upto(pg, cur, &mc, 1);
		el = epub_inline(st, cur, "p");
		epub_render_inline(pg, el, n, &mc);
		break;
	case DOC_LIST:
		el = epub_el(st, cur, n->ordered ? "ol" : "ul");
		break;
	case DOC_ITEM:
		el = epub_el(st, cur, "li");
		break;
	case DOC_BIBLIOGRAPHY:
		el = epub_render_bibliography(pg, cur);
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
xmlNodePtr epub_render(epub_page *pg, const doc_node *root, xmlNodePtr into)
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

/* ---- the pages -------------------------------------------------------- */

int epub_write_titlepage(epub *st)
{
	const doc_meta *m = &st->d->meta;
	epub_page pg;
	epub_page_new(st, &pg, EPUB_TITLE_FILE, st->title, "frontmatter");
	const char *sid = epub_new_id(st, "titlepage");
	/* not labelled: a labelled section is a landmark (region) */
	xmlNodePtr sec = epub_el(st, pg.body, "section");
	epub_type(&pg, sec, "titlepage", NULL);
	epub_attr(st, sec, "id", sid);
	xmlNodePtr h1 = epub_el_text(st, sec, "h1", st->title);
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

int epub_write_part(epub *st, size_t i)
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
