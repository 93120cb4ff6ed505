/* opf.c - the package document: Dublin Core and accessibility metadata,
 * the manifest and the spine; and the book's identifier (a name-based
 * UUID, with the SHA-1 it needs). */
#include <stdint.h>
#include <string.h>

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


static void epub_meta(epub *st, xmlNodePtr md, const char *property,
		      const char *value)
{
	xmlNodePtr m = epub_el_text(st, md, "meta", value);
	epub_attr(st, m, "property", property);
}

int epub_write_opf(epub *st, const char *uid, const char *modified)
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
