/* writer.h - the PDF writer's state, shared by pdf.c (pages, drawing,
 * annotations, document) and cidfont.c (the fonts); not used outside
 * render/pdf/. */
#ifndef CHAPBOOK_PDF_WRITER_H
#define CHAPBOOK_PDF_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "base/diag.h"
#include "base/hash.h"
#include "doc/doc.h"
#include "font/font.h"
#include "render/pdf/pdf.h"
#include "typeset/layout.h"
#include "typeset/res.h"

#define PDF_MAX_GLYPHS 65536  /* CIDs and glyph indices are 16-bit */

/* A face as this PDF uses it. Text is drawn with CIDs numbered in order
 * of first use, one per code point; each CID maps (CIDToGIDMap) to a glyph
 * of the subset font built at the end, whose glyphs are the original glyph
 * indices gids[] in order. */
typedef struct pdf_font {
	const char *path;
	font_face *face;
	HPDF_Dict font;            /* the Type0 dictionary, made on first use,
				      so unused faces are not embedded */
	char res[16];              /* resource name, "F1".. */
	uint16_t *cid_bmp;         /* BMP code point -> CID, 0 = none yet */
	hmap cid_astral;           /* the others -> CID */
	uint32_t *cps;             /* CID -> code point */
	uint16_t *gid_index;       /* CID -> subset glyph */
	size_t ncids, cap;
	uint16_t *gids;            /* subset glyph -> original glyph */
	uint16_t *gid_pos;         /* original glyph -> subset glyph + 1 */
	size_t ngids;
} pdf_font;

/* Where a laid-out page lands: on PDF page `side`, transformed by
 * (scale, dx, dy), clipped to clip (sheet coordinates) when has_clip. */
typedef struct pdf_place {
	int side;                  /* -1: the page is not drawn */
	double scale, dx, dy;
	int has_clip;
	HPDF_Rect clip;
} pdf_place;

typedef struct pdf_writer {
	HPDF_Doc pdf;
	HPDF_STATUS err, detail;   /* first error seen by the handler */
	const char *stage;         /* what we were doing, for messages */
	const doc *d;
	const lo_doc *lo;
	const pdf_options *o;
	const char *out_path;
	diag_list *diags;
	res *res;                  /* the faces layout measured with */
	HPDF_Encoder enc;
	pdf_font *fonts;           /* one per distinct path */
	size_t nfonts;
	size_t *font_of;           /* lo font index -> fonts[] index */
	HPDF_Page *sides;          /* the PDF pages */
	int nsides;
	pdf_place *place;          /* per laid-out page */
	struct libdeflate_compressor *deflater;
	double media_w, media_h;
} pdf_writer;

/* pdf.c: report the libharu failure (or `why` if libharu reported none)
 * as an error at file, saying what w was doing (w->stage). */
void pdf_fail(pdf_writer *w, const char *file, const char *why);

#define PDF_TRY(w, call)                                                   \
	do {                                                               \
		if ((call) != HPDF_OK) {                                   \
			pdf_fail((w), (w)->out_path, "call failed");       \
			goto fail;                                         \
		}                                                          \
	} while (0)

#define PDF_NEED(w, ptr)                                                   \
	do {                                                               \
		if (!(ptr)) {                                              \
			pdf_fail((w), (w)->out_path, "no object");         \
			goto fail;                                         \
		}                                                          \
	} while (0)

/* pdf.c: a new stream object holding data, deflated; NULL (reported). */
HPDF_Dict pdf_stream(pdf_writer *w, const void *data, size_t len);

/* cidfont.c: the faces of lo's fonts, each distinct path once (0, or -1
 * with an error naming the font); the font for lo font index i, its Type0
 * dictionary made on first use (NULL, reported); the CID drawing code
 * point cp in f, allocated on first use (-1, reported); every used font
 * embedded at the end (0 or -1, reported); and freeing them. */
int pdf_load_fonts(pdf_writer *w);
pdf_font *pdf_font_get(pdf_writer *w, int i);
long pdf_cid(pdf_writer *w, pdf_font *f, uint32_t cp);
int pdf_finish_fonts(pdf_writer *w);
void pdf_free_fonts(pdf_writer *w);

#endif
