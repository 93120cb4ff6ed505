/* impose.h - saddle-stitch page order for booklet imposition. Pure
 * arithmetic, no libharu: pdf.c asks which laid-out page goes where on
 * which sheet side, and tests check the order without writing a PDF. */
#ifndef CHAPBOOK_IMPOSE_H
#define CHAPBOOK_IMPOSE_H

/* The padded page count for npages pages: the next multiple of 4 (0 for
 * no pages). */
int impose_padded_count(int npages);

/* Fill seq (room for impose_padded_count(npages) entries) with the padded
 * page sequence: seq[i] is the index of a laid-out page, or -1 for a blank
 * page. Blanks go before the last page when it is a back cover (and there
 * are at least two pages), else at the end, never in the middle of the
 * text. Returns the padded count. */
int impose_pad(int npages, int last_is_back_cover, int *seq);

/* The position (0-based, into the padded sequence) of the page printed on
 * sheet side `side` (0 = front of sheet 1, 1 = back of sheet 1, 2 = front
 * of sheet 2, ...) at `position` (0 = left half, 1 = right half), for a
 * padded count n. With k the 1-based sheet number and pages numbered from
 * 1: front = n-2k+2 | 2k-1, back = 2k | n-2k+1. Returns -1 when side or
 * position is out of range or n is not a positive multiple of 4. */
int impose_slot(int n, int side, int position);

/* Number of sheet sides (PDF pages of the imposed file) for padded n. */
int impose_sides(int n);

#endif
