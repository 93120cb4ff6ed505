/* pdf.h - the PDF renderer: draws the typesetter's pages (layout.h) with
 * libharu, either one PDF page per laid-out page (with optional bleed and
 * crop marks) or imposed two-up as a saddle-stitch booklet (impose.h).
 * Three kinds of file: screen PDFs (RGB, links, outline, page labels),
 * tagged to PDF/UA-1 when the layout records its structure (plain pages);
 * imposed booklets for printing at home (untagged, with the document's
 * language and metadata); and with pdfx set, PDF/X-4 files for a print
 * shop (CMYK inks from the style, marks in the registration colour, no
 * links, the FOGRA39 output intent). */
#ifndef CHAPBOOK_PDF_H
#define CHAPBOOK_PDF_H

#include "base/diag.h"
#include "doc/doc.h"
#include "typeset/layout.h"
#include "typeset/res.h"
#include "typeset/style.h"

/* Sheet sizes for imposition, landscape, in points. */
#define PDF_A4_LANDSCAPE_W 841.89
#define PDF_A4_LANDSCAPE_H 595.28
#define PDF_LETTER_LANDSCAPE_W 792.0
#define PDF_LETTER_LANDSCAPE_H 612.0
#define PDF_PRINT_BLEED (3.0 * 72.0 / 25.4)   /* print: 3 mm of bleed */
#define PDF_PALETTE_MAX 32

typedef struct pdf_options {
	int impose;          /* 0 plain pages, 1 saddle-stitch booklet */
	double sheet_w, sheet_h; /* pt, for impose; 0 = A4 landscape */
	double creep;        /* pt: sheet k (1 = outermost) has its pages
				moved toward the fold by creep * (k - 1) */
	int crop_marks;      /* plain: corner marks in a slug outside the
				bleed; impose: fold marks (and trim marks
				where the sheet leaves room) */
	double bleed;        /* pt, plain pages only: 0 or 3 mm = 8.504 */
	int test_sheet;      /* impose: only sheet 1, "sheet 1 front/back" in the
				margin, with a one-line printing reminder */
	long long epoch;     /* seconds since 1970, for CreationDate/ModDate */
	const char *creator; /* "chapbook 0.1" */
	int print;           /* for paper (the imposed booklet, PDF/X): links
				and citations in the layout's
				print_link_color */
	int pdfx;            /* PDF/X-4 for a print shop (pdf_options_print) */
	/* print: the ink of each of the style's colours (style_inks); any
	 * other colour prints as ink_from_paint says */
	paint palette_rgb[PDF_PALETTE_MAX];
	ink palette_ink[PDF_PALETTE_MAX];
	size_t npalette;
} pdf_options;

/* Fill po with the style's print settings (zero for everything the style
 * does not set). */
void pdf_options_from_style(const style *st, pdf_options *po);

/* Make po a print-shop file (PDF/X-4): 3 mm of bleed, crop marks (and
 * fold marks on imposed sheets), no test sheet. */
void pdf_options_print(pdf_options *po);

/* Write lo (with metadata from d, which may be NULL) as a PDF to out_path,
 * atomically, drawing with the faces of r (those layout measured with).
 * Returns 0 on success; on failure adds an error naming out_path or the
 * font at fault and returns -1, leaving any previous file at out_path
 * untouched. Characters a font lacks are warnings. The output is
 * byte-identical for identical input and options. */
int pdf_write(const doc *d, const lo_doc *lo, res *r, const pdf_options *o,
	      const char *out_path, diag_list *diags);

#endif
