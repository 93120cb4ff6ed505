/* hbsubset.h - subsetting a face (face.h) with HarfBuzz's hb-subset: for
 * PDF embedding, a TrueType font holding only the glyphs a document drew,
 * for a Type0 font with a CIDFontType2 descendant (hbsubset_build); for
 * the EPUB, a web font for the characters its text uses (hbsubset_text).
 *
 * Glyphs are renumbered compactly (0 = .notdef, then the kept glyphs in
 * the order of their ids in the face, composite components included), and
 * the caller gets the new id of each glyph it asked for: a PDF that
 * numbers its CIDs in its own order (first use) writes those new ids as
 * its CIDToGIDMap. Kept: glyf, loca, head, hhea, hmtx, maxp, OS/2, post
 * (without glyph names), the hinting tables (cvt, fpgm, prep, gasp) and
 * the .notdef outline; dropped: cmap, name and the layout tables (a CID
 * font addresses glyphs by number and is drawn already shaped). Output is
 * deterministic: the same face and glyphs give the same bytes. */
#ifndef CHAPBOOK_HBSUBSET_H
#define CHAPBOOK_HBSUBSET_H

#include <stddef.h>
#include <stdint.h>

#include "font/face.h"

/* The subset of f holding glyphs gids[0..n) (any order, repeats allowed;
 * .notdef is always kept). new_gids, when not NULL, receives n entries:
 * the new id of gids[i]. Returns the font (malloc'd, *out_len bytes), or
 * NULL with a message in err (a glyph id past the face's last, a font
 * hb-subset cannot subset, no memory). */
unsigned char *hbsubset_build(const face *f, const uint32_t *gids, size_t n,
			      uint32_t *new_gids, size_t *out_len, char *err,
			      size_t errlen);

/* A web font of f for the characters cps[0..n) (code points, any order,
 * repeats allowed): the glyphs they map to and those the layout tables
 * reach from them (ligatures, alternates), keeping what a browser or an
 * e-reader needs to set text with it (cmap, name, OS/2, post, GSUB, GPOS,
 * GDEF and the hinting tables), glyphs renumbered. For the EPUB's
 * embedded fonts: the PDF's subsets (hbsubset_build) have no cmap, which
 * no browser accepts. Returns the font (malloc'd, *out_len bytes), or
 * NULL with a message in err. Deterministic. */
unsigned char *hbsubset_text(const face *f, const uint32_t *cps, size_t n,
			     size_t *out_len, char *err, size_t errlen);

#endif
