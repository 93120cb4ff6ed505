/* nav.c - the EPUB's navigation: nav.xhtml (the contents, landmarks and
 * the print edition's page list) and toc.ncx (its navMap and pageList)
 * for older readers. */
#include <stdint.h>
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
					: arena_printf(st->a, "%s#%s", st->part_file[i], c->id),
				0
			};
		}
	}
	*out = v;
	return n;
}

/* The playOrder of the marks of key, from *next on. */
static void epub_play_marks(epub *st, const void *key, size_t *next)
{
	epub_mark_cursor c = epub_marks_of(st, key);
	for (size_t i = c.next; i != SIZE_MAX; i = st->marks[i].next)
		if (st->marks[i].file)
			st->marks[i].play = (*next)++;
}

/* The NCX's playOrder: every navPoint and pageTarget numbered in reading
 * order (the contents' pages, then each part's sections, paragraphs,
 * headings and entries as the parts hold them), as the walk of
 * epub_toc_entries meets the sections. */
void epub_play_order(epub *st, epub_toc *toc, size_t ntoc)
{
	size_t next = 1, t = 0;
	for (size_t i = 0; i < st->nmarks; i++)   /* nav.xhtml's, to come */
		if (!st->marks[i].key)
			st->marks[i].play = next++;
	const doc *d = st->d;
	for (size_t i = 0; i < st->nparts; i++) {
		int entering = 1;
		doc_node *root = (doc_node *)st->parts[i];
		for (doc_node *c = doc_walk(root, NULL, &entering); c;
		     c = doc_walk(root, c, &entering)) {
			if (!entering)
				continue;
			if ((c->type == DOC_PART || c->type == DOC_SECTION) &&
			    t < ntoc)
				toc[t++].play = next++;
			if (c->type == DOC_PARA || c->type == DOC_HEADING) {
				epub_play_marks(st, c, &next);
				entering = 0;
			}
			for (size_t k = 0; c->type == DOC_BIBLIOGRAPHY &&
					   k < d->nrefs; k++)
				epub_play_marks(st, d->refs_sorted ? d->refs_sorted[k]
						: &d->refs[k], &next);
		}
	}
}

/* The page list: every page-break marker written, in page order. */
static void epub_write_page_list(epub *st, epub_page *pg)
{
	size_t n = 0;
	for (size_t i = 0; i < st->nmarks; i++)
		n += st->marks[i].file != NULL;
	if (!n)
		return;
	const char *hid = epub_new_id(st, "page-list-title");
	xmlNodePtr nav = epub_el(st, pg->body, "nav");
	epub_type(pg, nav, "page-list", "doc-pagelist");
	epub_attr(st, nav, "id", epub_new_id(st, "page-list"));
	epub_attr(st, nav, "aria-labelledby", hid);
	epub_attr(st, nav, "hidden", "hidden");
	xmlNodePtr h = epub_el_text(st, nav, "h2", "Pages of the printed booklet");
	epub_attr(st, h, "id", hid);
	xmlNodePtr ol = epub_el(st, nav, "ol");
	for (size_t i = 0; i < st->nmarks; i++) {
		const epub_mark *m = &st->marks[i];
		if (!m->file)
			continue;
		xmlNodePtr a = epub_el_text(st, epub_el(st, ol, "li"), "a", m->label);
		epub_attr(st, a, "href", arena_printf(st->a, "%s#%s", m->file, m->id));
	}
}

enum { EPUB_TOC_DEPTH = 80 };

int epub_write_nav(epub *st, const epub_toc *toc, size_t ntoc)
{
	epub_page pg;
	epub_page_new(st, &pg, EPUB_NAV_FILE, "Contents", NULL);
	/* the printed contents' pages begin here (a toc nav holds only its
	 * heading and list) */
	for (size_t i = 0; i < st->nmarks; i++)
		if (!st->marks[i].key)
			epub_mark_write(&pg, pg.body, i);
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
	const char *marks[5][3] = {
		{ "cover", st->cover_file ? EPUB_COVER_FILE : NULL, "Cover" },
		{ "titlepage", EPUB_TITLE_FILE, "Title page" },
		{ "toc", arena_printf(st->a, EPUB_NAV_FILE "#%s", tid), "Contents" },
		{ "bodymatter", body, "Start of content" },
		{ "bibliography", st->refs_file && st->bib_id
			? arena_printf(st->a, "%s#%s", st->refs_file, st->bib_id)
			: st->refs_file,
		  "References" },
	};
	for (size_t i = 0; i < 5; i++) {
		if (!marks[i][1])
			continue;
		xmlNodePtr li = epub_el(st, ol, "li");
		xmlNodePtr a = epub_el_text(st, li, "a", marks[i][2]);
		epub_type(&pg, a, marks[i][0], NULL);
		epub_attr(st, a, "href", marks[i][1]);
	}
	epub_write_page_list(st, &pg);
	return epub_add_xml(st, pg.xd, EPUB_DIR EPUB_NAV_FILE);
}

/* The value of a page label that is a number ("7"), else 0 ("iv"). */
static long epub_page_value(const char *label)
{
	long v = 0;
	for (const char *p = label; *p; p++) {
		if (*p < '0' || *p > '9' || v > 100000000)
			return 0;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* The NCX's pageList: a pageTarget per marker written (front matter for
 * roman numbers, normal for arabic ones). */
static void epub_write_page_targets(epub *st, xmlNodePtr ncx)
{
	xmlNodePtr pl = epub_el(st, ncx, "pageList");
	epub_el_text(st, epub_el(st, pl, "navLabel"), "text",
		     "Pages of the printed booklet");
	for (size_t i = 0; i < st->nmarks; i++) {
		const epub_mark *m = &st->marks[i];
		if (!m->file)
			continue;
		long v = epub_page_value(m->label);
		xmlNodePtr pt = epub_el(st, pl, "pageTarget");
		epub_attr(st, pt, "id", arena_printf(st->a, "pagetarget-%zu", i + 1));
		epub_attr(st, pt, "type", v ? "normal" : "front");
		if (v)
			epub_attr(st, pt, "value", arena_printf(st->a, "%ld", v));
		epub_attr(st, pt, "playOrder", arena_printf(st->a, "%zu", m->play));
		epub_el_text(st, epub_el(st, pt, "navLabel"), "text", m->label);
		xmlNodePtr c = epub_el(st, pt, "content");
		epub_attr(st, c, "src", arena_printf(st->a, "%s#%s", m->file, m->id));
	}
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
	size_t npages = 0;
	long maxpage = 0;
	for (size_t i = 0; i < st->nmarks; i++) {
		if (!st->marks[i].file)
			continue;
		npages++;
		long v = epub_page_value(st->marks[i].label);
		if (v > maxpage)
			maxpage = v;
	}
	xmlNodePtr head = epub_el(st, ncx, "head");
	const char *metas[4][2] = {
		{ "dtb:uid", uid },
		{ "dtb:depth", arena_printf(st->a, "%d", maxlv + 1) },
		{ "dtb:totalPageCount", arena_printf(st->a, "%zu", npages) },
		{ "dtb:maxPageNumber", arena_printf(st->a, "%ld", maxpage) },
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
		epub_attr(st, np, "playOrder", arena_printf(st->a, "%zu", toc[i].play));
		epub_el_text(st, epub_el(st, np, "navLabel"), "text", toc[i].label);
		xmlNodePtr c = epub_el(st, np, "content");
		epub_attr(st, c, "src", toc[i].href);
		at[lv] = np;
	}
	if (npages)
		epub_write_page_targets(st, ncx);
	return epub_add_xml(st, xd, EPUB_DIR EPUB_NCX_FILE);
}
