/* xmp.h - the XMP metadata packet of a PDF (ISO 16684-1): the Dublin
 * Core title, creators, description and language, the dates and tools
 * (matching the Info dictionary), and the marks of the standards the file
 * claims: pdfuaid:part for PDF/UA-1, pdfxid:GTS_PDFXVersion with
 * pdf:Trapped and the xmpMM identifiers for PDF/X-4. Text only, no
 * libharu: pdf.c puts it in the catalog's /Metadata stream, and tests read
 * it without writing a PDF. */
#ifndef CHAPBOOK_XMP_H
#define CHAPBOOK_XMP_H

#include <stddef.h>

#include "base/arena.h"

typedef struct xmp_info {
	const char *title;             /* dc:title, or NULL */
	const char *const *creators;   /* dc:creator, in order */
	size_t ncreators;
	const char *description;       /* dc:description, or NULL */
	const char *language;          /* dc:language ("en-GB"), or NULL */
	long long epoch;               /* xmp:CreateDate, ModifyDate and
					  MetadataDate, seconds since 1970 */
	const char *creator_tool;      /* xmp:CreatorTool, or NULL */
	const char *producer;          /* pdf:Producer, or NULL */
	int pdfua;                     /* claims PDF/UA-1 */
	int pdfx;                      /* claims PDF/X-4 (and not trapped) */
	const char *document_id;       /* PDF/X: "uuid:...", the xmpMM
					  DocumentID and InstanceID */
} xmp_info;

/* The packet for x, appended to out (UTF-8, with its xpacket wrapper).
 * Text is escaped for XML and characters XML 1.0 forbids are left out. */
void xmp_packet(buf *out, const xmp_info *x);

/* "2020-01-01T00:00:00Z" for epoch into s (at least 21 bytes); returns
 * 0, or -1 (and an empty s) for a date gmtime cannot give. */
int xmp_date(long long epoch, char *s, size_t size);

#endif
