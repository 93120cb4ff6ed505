/* xmp.c - the XMP metadata packet (see xmp.h). */
#include "render/pdf/xmp.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/utf8.h"

int xmp_date(long long epoch, char *s, size_t size)
{
	time_t t = (time_t)epoch;
	struct tm tm;

	if (size)
		s[0] = 0;
	if ((long long)t != epoch || !gmtime_r(&t, &tm))
		return -1;
	snprintf(s, size, "%04d-%02d-%02dT%02d:%02d:%02dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec > 59 ? 59 : tm.tm_sec);
	return 0;
}

/* s as XML character data: &, < and > escaped; control characters
 * (other than tab and newline), U+FFFE and U+FFFF left out; broken UTF-8
 * as U+FFFD. */
static void xmp_text(buf *out, const char *s)
{
	size_t n = strlen(s), i = 0, used;
	char enc[4];

	while (i < n) {
		uint32_t cp = utf8_decode(s + i, n - i, &used);
		const char *esc = cp == '&' ? "&amp;" : cp == '<' ? "&lt;" :
				  cp == '>' ? "&gt;" : NULL;

		if (esc)
			buf_puts(out, esc);
		else if ((cp >= 0x20 || cp == '\t' || cp == '\n') &&
			 cp != 0xFFFE && cp != 0xFFFF)
			buf_put(out, enc, utf8_encode(cp, enc));
		i += used;
	}
}

/* <ns:name>text</ns:name> */
static void xmp_simple(buf *out, const char *name, const char *text)
{
	buf_printf(out, "   <%s>", name);
	xmp_text(out, text);
	buf_printf(out, "</%s>\n", name);
}

/* A language alternative with one default: dc:title, dc:description. */
static void xmp_alt(buf *out, const char *name, const char *text)
{
	buf_printf(out, "   <%s><rdf:Alt><rdf:li xml:lang=\"x-default\">",
		   name);
	xmp_text(out, text);
	buf_printf(out, "</rdf:li></rdf:Alt></%s>\n", name);
}

/* An ordered (Seq) or unordered (Bag) list. */
static void xmp_list(buf *out, const char *name, const char *kind,
		     const char *const *items, size_t n)
{
	buf_printf(out, "   <%s><rdf:%s>", name, kind);
	for (size_t i = 0; i < n; i++) {
		buf_puts(out, "<rdf:li>");
		xmp_text(out, items[i] ? items[i] : "");
		buf_puts(out, "</rdf:li>");
	}
	buf_printf(out, "</rdf:%s></%s>\n", kind, name);
}

void xmp_packet(buf *out, const xmp_info *x)
{
	char date[32];

	buf_puts(out, "<?xpacket begin=\"\xEF\xBB\xBF\" "
		 "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		 "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		 " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/"
		 "22-rdf-syntax-ns#\">\n"
		 "  <rdf:Description rdf:about=\"\"\n"
		 "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
		 "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
		 "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"");
	if (x->pdfua)
		buf_puts(out, "\n    xmlns:pdfuaid=\"http://www.aiim.org/"
			 "pdfua/ns/id/\"");
	if (x->pdfx)
		buf_puts(out, "\n    xmlns:pdfxid=\"http://www.npes.org/pdfx/"
			 "ns/id/\"\n    xmlns:xmpMM=\"http://ns.adobe.com/"
			 "xap/1.0/mm/\"");
	buf_puts(out, ">\n");
	xmp_simple(out, "dc:format", "application/pdf");
	if (x->title)
		xmp_alt(out, "dc:title", x->title);
	if (x->ncreators)
		xmp_list(out, "dc:creator", "Seq", x->creators, x->ncreators);
	if (x->description)
		xmp_alt(out, "dc:description", x->description);
	if (x->language)
		xmp_list(out, "dc:language", "Bag", &x->language, 1);
	if (xmp_date(x->epoch, date, sizeof date) == 0) {
		xmp_simple(out, "xmp:CreateDate", date);
		xmp_simple(out, "xmp:ModifyDate", date);
		xmp_simple(out, "xmp:MetadataDate", date);
	}
	if (x->creator_tool)
		xmp_simple(out, "xmp:CreatorTool", x->creator_tool);
	if (x->producer)
		xmp_simple(out, "pdf:Producer", x->producer);
	if (x->pdfua)
		xmp_simple(out, "pdfuaid:part", "1");
	if (x->pdfx) {
		xmp_simple(out, "pdf:Trapped", "False");
		xmp_simple(out, "pdfxid:GTS_PDFXVersion", "PDF/X-4");
		if (x->document_id) {
			xmp_simple(out, "xmpMM:DocumentID", x->document_id);
			xmp_simple(out, "xmpMM:InstanceID", x->document_id);
		}
		xmp_simple(out, "xmpMM:VersionID", "1");
		xmp_simple(out, "xmpMM:RenditionClass", "default");
	}
	buf_puts(out, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n"
		 "<?xpacket end=\"r\"?>");
}
