/* nav.c - the EPUB's navigation: nav.xhtml (the contents, and landmarks)
 * and toc.ncx for older readers. */
#include <string.h>

#include "render/epub/book.h"



/* The table of contents, flattened: parts and their nested sections in
 * document order. Returns the count; *out is arena memory. */
size_t epub_toc_entries(epub *st, epub_toc **out)
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

int epub_write_nav(epub *st, const epub_toc *toc, size_t ntoc)
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

int epub_write_ncx(epub *st, const char *uid, const epub_toc *toc,
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
