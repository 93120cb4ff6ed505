/* kern.h - pair kerning from a TrueType font's GPOS table: the lookups of
 * its 'kern' feature (PairPos formats 1 and 2, also behind Extension
 * lookups), for the Latin script (else the default script). */
#ifndef CHAPBOOK_KERN_H
#define CHAPBOOK_KERN_H

#include <stddef.h>
#include <stdint.h>

typedef struct kern_table kern_table;

/* The kerning of the font in ttf[0..len), which must stay valid while the
 * table is used. NULL when the font has no GPOS kerning (or a damaged
 * one, or memory runs out): no kerning, never an error. */
kern_table *kern_load(const unsigned char *ttf, size_t len);
void kern_free(kern_table *k);

/* The adjustment between glyphs left and right, in font units (negative
 * brings them closer). Remembers answers; not for concurrent use. */
int kern_pair(kern_table *k, uint16_t left, uint16_t right);

#endif
