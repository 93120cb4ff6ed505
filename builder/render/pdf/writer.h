/* writer.h - the PDF writer's state, shared by pdf.c (pages, drawing,
 * annotations, document) and cidfont.c (the fonts); not used outside
 * render/pdf/. */
#ifndef CHAPBOOK_PDF_WRITER_H
#define CHAPBOOK_PDF_WRITER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "base/diag.h"
#include "base/hash.h"
#include "doc/doc.h"
#include "font/face.h"
#include "render/pdf/hpdf_private.h"
#include "render/pdf/pdf.h"
#include "typeset/layout.h"
#include "typeset/res.h"

#define PDF_MAX_GLYPHS 65536  /* CIDs and glyph indices are 16-bit */

/* What a CID draws and stands for: a glyph of the face and the text it
 * shows (bytes [text, text + len) of pdf_font.texts): a letter, a
 * ligature's letters, a word space, a soft hyphen for a hyphen added at a
 * line break. */
typedef struct pdf_cid_def {
	uint32_t text;
	uint16_t gid;
	uint16_t len;
	int32_t advance;           /* the glyph's natural advance, font units */
	double width;              /* the same in the W array: 1/1000 em,
				      rounded to 1/1000 */
} pdf_cid_def;

/* A face as this PDF uses it. Text is drawn with CIDs numbered in order
 * of first use, one per distinct (glyph, text) pair, so that every glyph
 * extracts as the text it shows; the subset font built at the end holds
 * the glyphs, and the CIDToGIDMap maps each CID to its glyph there. */
typedef struct pdf_font {
	const char *path;
	face *face;
	HPDF_Dict font;            /* the Type0 dictionary, made on first use,
				      so unused faces are not embedded */
	char res[16];              /* resource name, "F1".. */
	pdf_cid_def *cids;         /* by CID; CID 0 is .notdef */
	size_t ncids, cap;
	buf texts;                 /* the CIDs' texts, end to end */
	uint16_t *by_gid;          /* glyph -> the CID of its first text, or
				      0: the fast way to the usual CID */
	hmap others;               /* (glyph, text) -> CID, for the rest */
	/* the subset made ahead on a second thread from the glyphs of the
	 * layout's runs (pdf_load_fonts), used when they are exactly the
	 * glyphs drawn: pre_gids sorted, pre_new their ids in pre_sub */
	uint32_t *pre_gids, *pre_new;
	size_t npre;
	unsigned char *pre_sub;
	size_t pre_len;
} pdf_font;

/* Where a laid-out page lands: on PDF page `side`, transformed by
 * (scale, dx, dy), clipped to clip (sheet coordinates) when has_clip. */
typedef struct pdf_place {
	int side;                  /* -1: the page is not drawn */
	double scale, dx, dy;
	int has_clip;
	HPDF_Rect clip;
} pdf_place;

/* A child in the structure tree being built (tags.c): of element elem,
 * another element (val), a marked-content sequence (MCID val on PDF page
 * side) or an annotation (val: its index in pdf_tags.annots). */
typedef struct pdf_kid {
	int elem;
	int kind;
	int side;
	int val;
} pdf_kid;

/* The structure tree being built (tags.c); on is 0 for untagged PDFs. */
typedef struct pdf_tags {
	int on;
	size_t nelems;             /* lo->nstructs */
	unsigned char *attached;   /* per element: in the tree yet */
	pdf_kid *kids;             /* in the order met */
	size_t nkids, capkids;
	int *next_mcid;            /* per PDF page */
	int cur;                   /* the open marked content: an element,
				      LO_ARTIFACT, or -1 for none */
	unsigned long *annots;     /* link annotations' object numbers, by
				      StructParent (less the pages) */
	size_t nannots, capannots;
	size_t *objr_kid;          /* per annotation: its kid (at the end) */
	unsigned long *num;        /* per element: its object number, or 0
				      (at the end) */
	size_t *order, *first;     /* kids by parent (at the end) */
} pdf_tags;

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
	pdf_font *fonts;           /* one per distinct path */
	size_t nfonts;
	size_t *font_of;           /* lo font index -> fonts[] index */
	pthread_t presub;          /* making the fonts' subsets ahead */
	int presub_running;
	HPDF_Page *sides;          /* the PDF pages */
	int nsides;
	pdf_place *place;          /* per laid-out page */
	struct libdeflate_compressor *deflater;
	struct pagez *pz;          /* pages compressed beside the drawing,
				      or NULL: in turn */
	double media_w, media_h;
	pdf_tags tags;
	buf page_ops;              /* the content of the sheet side being
				      drawn, deflated when it is complete */
	buf raw;                   /* entries of objects written as text */
	arena mem;                 /* their hpriv_raw records (they stay put) */
	uint64_t id[2];            /* the /ID: a hash of the content so far */
	HPDF_Array registration;   /* print: the Separation /All space */
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

/* pdf.c: s (UTF-8) as a PDF text string into b: a literal string when it
 * is printable ASCII, else UTF-16BE with a byte order mark, in hex. */
void pdf_put_text(buf *b, const char *s);

/* pdf.c: a record of the entries written into w->raw since off (for
 * hpriv_raw_object and hpriv_raw_entries; it stays put until the PDF is
 * freed). */
hpriv_raw *pdf_raw_since(pdf_writer *w, size_t off);

/* tags.c: the structure tree of a tagged PDF (screen PDFs with a
 * structure: not imposed, not for print). pdf_tags_start decides whether
 * to tag (0, or -1 reported); pdf_tag_mark ends the open marked content
 * in ops and begins element elem's (LO_ARTIFACT: an artifact) on PDF page
 * side, unless it is open already (pdf_tag_changes: whether it would
 * write anything); pdf_tag_close ends it; pdf_tag_annot
 * puts link annotation a (on page side) in element elem, its StructParent
 * key in *key (-1 when not tagging or elem is no element; returns 0); pdf_tags_finish writes the tree once every page is drawn and
 * every annotation made (0, or -1 reported). All do nothing when not
 * tagging. */
int pdf_tags_start(pdf_writer *w);
int pdf_tag_changes(const pdf_writer *w, int elem);
void pdf_tag_mark(pdf_writer *w, buf *ops, int side, int elem);
void pdf_tag_close(pdf_writer *w, buf *ops);
int pdf_tag_annot(pdf_writer *w, HPDF_Annotation a, int side, int elem,
		  int *key);
int pdf_tags_finish(pdf_writer *w);
void pdf_tags_free(pdf_writer *w);

/* pdfx.c: print files. pdf_ink: the ink colour c prints with (the
 * style's, else ink_from_paint); pdf_registration: the registration
 * colour space, PDF_REGISTRATION, in page's resources (0, or -1
 * reported); pdf_output_intent: the FOGRA39 output intent with its
 * profile in the catalog (0, or -1 reported); the /ID (print files'
 * alone: screen PDFs are not fed): started, fed with the content, as an
 * XMP uuid (s: room for 46 bytes) and into the trailer (0, or -1
 * reported). */
#define PDF_REGISTRATION "CSall"
ink pdf_ink(const pdf_writer *w, paint c);
int pdf_registration(pdf_writer *w, HPDF_Page page);
int pdf_output_intent(pdf_writer *w);
void pdf_id_start(pdf_writer *w);
void pdf_id_add(pdf_writer *w, const void *data, size_t n);
void pdf_id_uuid(const pdf_writer *w, char *s, size_t size);
int pdf_id_write(pdf_writer *w);

/* cidfont.c: the faces of lo's fonts, each distinct path once (0, or -1
 * with an error naming the font); the font for lo font index i, its Type0
 * dictionary made on first use (NULL, reported); the CID drawing glyph
 * gid for text[0..len) in f, allocated on first use (-1, reported; its
 * advance and W width in f->cids); every used font
 * embedded at the end (0 or -1, reported); and freeing them. */
int pdf_load_fonts(pdf_writer *w);
pdf_font *pdf_font_get(pdf_writer *w, int i);
long pdf_cid(pdf_writer *w, pdf_font *f, uint32_t gid, const char *text,
	     size_t len);
int pdf_finish_fonts(pdf_writer *w);
void pdf_free_fonts(pdf_writer *w);

#endif
