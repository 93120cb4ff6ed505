/* opf.c - the package document: Dublin Core and accessibility metadata,
 * the manifest and the spine; and the book's identifier (a name-based
 * UUID, with the SHA-1 it needs). */
#include <stdint.h>
#include <string.h>

#include "doc/check.h"
#include "doc/cite.h"
#include "render/epub/book.h"
#include "render/epub/epub.h"

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

const char *epub_uuid(arena *a, const char *identifier,
		      const char *publisher)
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
		epub_sha1_update(&s, identifier, strlen(identifier));
	epub_sha1_update(&s, ":", 1);
	if (publisher)
		epub_sha1_update(&s, publisher, strlen(publisher));
	epub_sha1_final(&s, h);
	h[6] = (unsigned char)((h[6] & 0x0F) | 0x50);
	h[8] = (unsigned char)((h[8] & 0x3F) | 0x80);
	return arena_printf(a,
		"urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		"%02x%02x%02x%02x%02x%02x",
		h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9],
		h[10], h[11], h[12], h[13], h[14], h[15]);
}

/* ---- the package document --------------------------------------------- */

static void epub_meta(epub *st, xmlNodePtr md, const char *property,
		      const char *value)
{
	xmlNodePtr m = epub_el_text(st, md, "meta", value);
	epub_attr(st, m, "property", property);
}

/* A Dublin Core element with text (none when value is NULL or empty). */
static xmlNodePtr epub_dc(epub *st, xmlNodePtr md, xmlNsPtr dc,
			  const char *name, const char *value)
{
	if (!md || !value || !*value)
		return NULL;
	xmlNodePtr e = xmlNewTextChild(md, dc, BAD_CAST name, BAD_CAST value);
	if (!e)
		st->oom = 1;
	return e;
}

/* The inline content of root as plain text, citations as printed. */
static const char *epub_plain(epub *st, const doc_node *root)
{
	buf b = {0};
	doc_inline it;
	doc_inline_start(&it, root);
	while (doc_inline_next(&it)) {
		if (it.event == DOC_IN_TEXT) {
			buf_puts(&b, it.text);
		} else if (it.event == DOC_IN_CITE) {
			cite_seg *segs = NULL;
			size_t n = cite_format_group(st->a, it.node, &segs);
			for (size_t i = 0; i < n; i++)
				buf_puts(&b, segs[i].text ? segs[i].text : "");
		}
	}
	const char *s = arena_strndup(st->a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return s;
}

/* Whether the book holds an experience (a parent's own account). */
static int epub_has_experience(const epub *st)
{
	for (size_t i = 0; i < st->nparts; i++) {
		int entering = 1;
		doc_node *root = (doc_node *)st->parts[i];
		for (doc_node *c = doc_walk(root, NULL, &entering); c;
		     c = doc_walk(root, c, &entering))
			if (entering && c->type == DOC_EXPERIENCE)
				return 1;
	}
	return 0;
}

/* The number of page-break markers the book holds. */
static size_t epub_nmarks(const epub *st)
{
	size_t n = 0;
	for (size_t i = 0; i < st->nmarks; i++)
		n += st->marks[i].file || !st->marks[i].key;
	return n;
}

/* What the accessibility metadata cannot say, in words: how the e-book
 * and the print edition go together, how citations and their entries
 * link both ways, what is set apart, who chooses colours, and that no
 * conformance is claimed when nobody has evaluated it. */
static const char *epub_summary(epub *st)
{
	const doc_meta *m = &st->d->meta;
	buf b = {0};
	if (epub_nmarks(st))
		buf_puts(&b, "The page numbers of the printed A5 booklet are "
			 "marked where each page begins and listed for "
			 "going to a page, so a reader can find the page "
			 "that someone holding the printed booklet is on. ");
	if (st->d->nrefs)
		buf_puts(&b, "Each citation links to its entry in the "
			 "reference list, and each entry links back to every "
			 "place that cites it. ");
	if (epub_has_experience(st))
		buf_puts(&b, "Parents' own accounts are set apart from the "
			 "article, each under its own heading. ");
	if (st->cover_drawn)
		buf_puts(&b, "The cover image is the printed booklet's cover; "
			 "its words are also on the title page. ");
	else if (st->cover_file)
		buf_puts(&b, "The cover image is described in words. ");
	buf_puts(&b, "Text and background colours are left to the reading "
		 "system, so its night, sepia and high-contrast settings "
		 "apply throughout. ");
	if (!m->a11y_certified_by || !m->a11y_conforms_to)
		buf_puts(&b, "No accessibility evaluation of this e-book has "
			 "been recorded, so it claims no conformance.");
	while (b.len && b.data[b.len - 1] == ' ')
		b.len--;
	const char *s = arena_strndup(st->a, b.data, b.len);
	buf_free(&b);
	return s;
}

/* The EPUB Accessibility conformance string for a booklet's claim
 * ("WCAG 2.1 AA" -> "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"). */
static const char *epub_conformance(epub *st, const char *claim)
{
	return arena_printf(st->a, "EPUB Accessibility 1.1 - WCAG %.3s Level %s",
			    claim + 5, claim + 9);
}

/* schema.org accessibility metadata, and a conformance claim only where
 * the booklet records an evaluation (check_document has checked it). */
static void epub_a11y_meta(epub *st, xmlNodePtr md)
{
	const doc_meta *m = &st->d->meta;
	epub_meta(st, md, "schema:accessMode", "textual");
	if (st->cover_file)
		epub_meta(st, md, "schema:accessMode", "visual");
	epub_meta(st, md, "schema:accessModeSufficient", "textual");
	epub_meta(st, md, "schema:accessibilityFeature", "structuralNavigation");
	epub_meta(st, md, "schema:accessibilityFeature", "tableOfContents");
	epub_meta(st, md, "schema:accessibilityFeature", "readingOrder");
	epub_meta(st, md, "schema:accessibilityFeature", "displayTransformability");
	if (st->cover_file)
		epub_meta(st, md, "schema:accessibilityFeature", "alternativeText");
	if (epub_nmarks(st)) {
		epub_meta(st, md, "schema:accessibilityFeature", "printPageNumbers");
		epub_meta(st, md, "schema:accessibilityFeature", "pageNavigation");
	}
	epub_meta(st, md, "schema:accessibilityHazard", "none");
	epub_meta(st, md, "schema:accessibilitySummary", epub_summary(st));
	if (m->a11y_certified_by && *m->a11y_certified_by &&
	    check_conformance_ok(m->a11y_conforms_to)) {
		epub_meta(st, md, "dcterms:conformsTo",
			  epub_conformance(st, m->a11y_conforms_to));
		epub_meta(st, md, "a11y:certifiedBy", m->a11y_certified_by);
	}
}

/* The print edition the page numbers come from: dc:source refined as the
 * source of pagination (pageBreakSource, its successor, is not yet known
 * to epubcheck 4, which reports it as an error). */
static void epub_page_source(epub *st, xmlNodePtr md, xmlNsPtr dc)
{
	const doc_meta *m = &st->d->meta;
	if (!epub_nmarks(st))
		return;
	const char *when = m->reviewed ? cite_format_date(st->a, m->reviewed) : NULL;
	buf b = {0};
	buf_printf(&b, "%s, printed A5 booklet", st->title);
	if (m->publisher && *m->publisher && when)
		buf_printf(&b, " (%s, %s)", m->publisher, when);
	else if (m->publisher && *m->publisher)
		buf_printf(&b, " (%s)", m->publisher);
	const char *id = epub_new_id(st, "print-source");
	xmlNodePtr e = epub_dc(st, md, dc, "source",
			       arena_strndup(st->a, b.data, b.len));
	buf_free(&b);
	epub_attr(st, e, "id", id);
	xmlNodePtr r = epub_el_text(st, md, "meta", "pagination");
	epub_attr(st, r, "refines", arena_printf(st->a, "#%s", id));
	epub_attr(st, r, "property", "source-of");
}

/* The creators, each with its role and sort name. */
static void epub_creators(epub *st, xmlNodePtr md, xmlNsPtr dc)
{
	const doc_meta *m = &st->d->meta;
	for (size_t i = 0; i < m->nauthors; i++) {
		const char *id = arena_printf(st->a, "creator-%zu", i + 1);
		xmlNodePtr e = epub_dc(st, md, dc, "creator",
				       cite_person(st->a, &m->authors[i]));
		if (!e)
			continue;
		epub_attr(st, e, "id", id);
		xmlNodePtr r = epub_el_text(st, md, "meta", "aut");
		epub_attr(st, r, "refines", arena_printf(st->a, "#%s", id));
		epub_attr(st, r, "property", "role");
		epub_attr(st, r, "scheme", "marc:relators");
		r = epub_el_text(st, md, "meta", cite_person_sort_as(st->a, &m->authors[i]));
		epub_attr(st, r, "refines", arena_printf(st->a, "#%s", id));
		epub_attr(st, r, "property", "file-as");
	}
}

/* The metadata: the identifier (the booklet's identifier and publisher,
 * never its content, so a corrected edition stays the same book in a
 * reader's library), title, creators, language, publisher, the review
 * date, the standfirst as description, the page source, the
 * modification time and the accessibility metadata. */
static void epub_metadata(epub *st, xmlNodePtr pkg, const char *modified)
{
	const doc_meta *m = &st->d->meta;
	xmlNodePtr md = epub_el(st, pkg, "metadata");
	xmlNsPtr dc = md ? xmlNewNs(md, BAD_CAST EPUB_DC_NS, BAD_CAST "dc") : NULL;
	if (!dc)
		st->oom = 1;
	xmlNodePtr e = epub_dc(st, md, dc, "identifier",
			       epub_uuid(st->a, m->identifier, m->publisher));
	epub_attr(st, e, "id", "uid");
	epub_dc(st, md, dc, "title", st->title);
	epub_creators(st, md, dc);
	epub_dc(st, md, dc, "language", st->lang);
	epub_dc(st, md, dc, "publisher", m->publisher);
	epub_dc(st, md, dc, "date", m->reviewed);
	if (m->standfirst)
		epub_dc(st, md, dc, "description", epub_plain(st, m->standfirst));
	epub_page_source(st, md, dc);
	epub_meta(st, md, "dcterms:modified", modified);
	epub_a11y_meta(st, md);
	if (st->cover_file) {   /* for EPUB 2 reading systems */
		xmlNodePtr c = epub_el(st, md, "meta");
		epub_attr(st, c, "name", "cover");
		epub_attr(st, c, "content", "cover-image");
	}
}

int epub_write_opf(epub *st, const char *modified)
{
	xmlNodePtr pkg;
	xmlDocPtr xd = epub_xml_new(st, "package", EPUB_OPF_NS, &pkg);
	epub_attr(st, pkg, "version", "3.0");
	epub_attr(st, pkg, "unique-identifier", "uid");
	if (pkg)
		xmlNodeSetLang(pkg, BAD_CAST st->lang);
	epub_metadata(st, pkg, modified);

	xmlNodePtr man = epub_el(st, pkg, "manifest");
	xmlNodePtr spine = epub_el(st, pkg, "spine");
	epub_attr(st, spine, "toc", "ncx");
	if (st->cover_file) {
		xmlNodePtr it = epub_el(st, man, "item");
		epub_attr(st, it, "id", "cover");
		epub_attr(st, it, "href", EPUB_COVER_FILE);
		epub_attr(st, it, "media-type", "application/xhtml+xml");
		epub_attr(st, epub_el(st, spine, "itemref"), "idref", "cover");
		it = epub_el(st, man, "item");
		epub_attr(st, it, "id", "cover-image");
		epub_attr(st, it, "href", st->cover_file);
		epub_attr(st, it, "media-type", st->cover_type);
		epub_attr(st, it, "properties", "cover-image");
	}
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
	for (size_t i = 0; i < st->nfonts; i++) {
		xmlNodePtr it = epub_el(st, man, "item");
		epub_attr(st, it, "id", arena_printf(st->a, "font-%zu", i + 1));
		epub_attr(st, it, "href", arena_printf(st->a, "fonts/%s",
						       st->font_files[i]));
		epub_attr(st, it, "media-type", "font/ttf");
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
