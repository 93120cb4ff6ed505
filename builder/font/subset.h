/* subset.h - TrueType subsetting for PDF embedding: a minimal font holding
 * only the glyphs a document draws, renumbered in the order given, plus the
 * facts a PDF FontDescriptor needs. Independent of any PDF library. */
#ifndef CHAPBOOK_SUBSET_H
#define CHAPBOOK_SUBSET_H

#include <stddef.h>
#include <stdint.h>

/* What a PDF font descriptor says about a face, in 1/1000 em. */
typedef struct subset_info {
	char ps_name[64];      /* PostScript name (name ID 6), [A-Za-z0-9-] */
	int bbox[4];           /* xMin yMin xMax yMax */
	double italic_angle;   /* degrees, from 'post' */
	int weight;            /* OS/2 usWeightClass, 400 if absent */
	int fixed_pitch;       /* 'post' isFixedPitch */
} subset_info;

/* Read the descriptor facts of the font in ttf[0..len). Returns 0, or -1
 * with a message in err. */
int subset_info_read(const unsigned char *ttf, size_t len, subset_info *out,
		     char *err, size_t errlen);

/* Build a TrueType font holding glyphs gids[0..n) of ttf as glyphs 0..n-1
 * (gids[0] should be 0, .notdef), followed by any glyphs their composites
 * use that the list lacks; composite references are renumbered. Keeps the
 * hinting tables (cvt, fpgm, prep) and head, hhea, hmtx, maxp, OS/2 and a
 * glyph-name-free post; drops cmap, name and the layout tables (a PDF CID
 * font addresses glyphs by number). Returns the font (malloc'd, *out_len
 * bytes), or NULL with a message in err for a damaged font. */
unsigned char *subset_build(const unsigned char *ttf, size_t len,
			    const uint16_t *gids, size_t n, size_t *out_len,
			    char *err, size_t errlen);

#endif
