/* test_xmp.c - the XMP metadata packet (render/pdf/xmp.c): what PDF/UA-1
 * and PDF/X-4 checkers read from it, text escaped for XML, dates as the
 * Info dictionary has them. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "render/pdf/xmp.h"

static const char *const authors[] = {"Dr Susan Pawlby", "Dr Lucy Findlay"};

static xmp_info screen(void)
{
	xmp_info x;
	memset(&x, 0, sizeof x);
	x.title = "Mums: bonding & <getting> to know your baby";
	x.creators = authors;
	x.ncreators = 2;
	x.description = "Mums often expect an instant bond\x01.";
	x.language = "en-GB";
	x.epoch = 1577836800LL;   /* 2020-01-01 */
	x.creator_tool = "chapbook 0.1.0";
	x.pdfua = 1;
	return x;
}

/* A tagged screen PDF: dc title, creators in order, language, dates,
 * pdfuaid:part 1, and nothing of PDF/X. */
TEST(screen_packet)
{
	buf b = {0};
	xmp_info x = screen();
	xmp_packet(&b, &x);
	CHECK(b.data && !strncmp(b.data, "<?xpacket begin=", 16));
	CHECK(strstr(b.data, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">"
		      "Mums: bonding &amp; &lt;getting&gt; to know your baby"
		      "</rdf:li></rdf:Alt></dc:title>"));
	CHECK(strstr(b.data, "<dc:creator><rdf:Seq><rdf:li>Dr Susan Pawlby"
		      "</rdf:li><rdf:li>Dr Lucy Findlay</rdf:li></rdf:Seq>"));
	CHECK(strstr(b.data, "<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li>"));
	CHECK(strstr(b.data, "expect an instant bond.</rdf:li>"));   /* \x01 out */
	CHECK(strstr(b.data, "<xmp:CreateDate>2020-01-01T00:00:00Z</xmp:CreateDate>"));
	CHECK(strstr(b.data, "<xmp:ModifyDate>2020-01-01T00:00:00Z</xmp:ModifyDate>"));
	CHECK(strstr(b.data, "<pdfuaid:part>1</pdfuaid:part>"));
	CHECK(strstr(b.data, "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\""));
	CHECK(!strstr(b.data, "pdfxid"));
	CHECK(!strstr(b.data, "Trapped"));
	CHECK(strstr(b.data, "<?xpacket end=") != NULL);
	buf_free(&b);
}

/* A print file: PDF/X-4 version, not trapped, the document id; no
 * PDF/UA claim. */
TEST(print_packet)
{
	buf b = {0};
	xmp_info x = screen();
	x.pdfua = 0;
	x.pdfx = 1;
	x.document_id = "uuid:01234567-89ab-8def-8123-456789abcdef";
	xmp_packet(&b, &x);
	CHECK(strstr(b.data, "<pdfxid:GTS_PDFXVersion>PDF/X-4"
		      "</pdfxid:GTS_PDFXVersion>"));
	CHECK(strstr(b.data, "xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\""));
	CHECK(strstr(b.data, "<pdf:Trapped>False</pdf:Trapped>"));
	CHECK(strstr(b.data, "<xmpMM:DocumentID>uuid:01234567-89ab-8def-8123-"
		      "456789abcdef</xmpMM:DocumentID>"));
	CHECK(!strstr(b.data, "pdfuaid"));
	buf_free(&b);
}

/* Without a title or authors nothing empty is claimed; a date gmtime
 * cannot give leaves the dates out. */
TEST(missing_fields_are_left_out)
{
	buf b = {0};
	xmp_info x;
	char d[32];
	memset(&x, 0, sizeof x);
	x.epoch = 1700000000LL;
	xmp_packet(&b, &x);
	CHECK(!strstr(b.data, "dc:title") && !strstr(b.data, "dc:creator"));
	CHECK(strstr(b.data, "<xmp:CreateDate>2023-11-14T22:13:20Z"));
	CHECK(xmp_date(1700000000LL, d, sizeof d) == 0);
	CHECK_STR(d, "2023-11-14T22:13:20Z");
	CHECK(xmp_date(-(1LL << 62), d, sizeof d) == -1 && d[0] == 0);
	buf_free(&b);
}

int main(void)
{
	RUN(screen_packet);
	RUN(print_packet);
	RUN(missing_fields_are_left_out);
	CHECK_EXIT();
}
