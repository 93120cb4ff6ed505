/* linebreak.h - total-fit (Knuth-Plass) line breaking over boxes, glue
 * and penalties. Knows nothing of fonts or the document: the typesetter
 * turns a paragraph into items (items.c), this chooses the breaks. */
#ifndef CHAPBOOK_LINEBREAK_H
#define CHAPBOOK_LINEBREAK_H

#include <stddef.h>
#include <stdint.h>

typedef enum lb_type { LB_BOX, LB_GLUE, LB_PENALTY } lb_type;

#define LB_INFINITY 10000  /* penalty >= this: never break; <= -this: must */

/* One item, 16 bytes (a long paragraph has millions). A glue item's
 * stretch and shrink are in a table it shares with the other glue of its
 * kind (lb_params.glue); a box's ref is the caller's own (the breaker does
 * not read it), for what the box shows. */
typedef struct lb_item {
	double width;             /* box, glue; penalty: the width added when
				     the line breaks there (a hyphen) */
	uint32_t ref;             /* LB_GLUE: index into lb_params.glue;
				     LB_BOX: the caller's */
	int16_t penalty;          /* LB_PENALTY, -LB_INFINITY..LB_INFINITY */
	uint8_t type;             /* an lb_type */
	uint8_t flagged;          /* LB_PENALTY at a hyphen */
} lb_item;

typedef struct lb_glue {
	double stretch, shrink;
} lb_glue;

typedef struct lb_params {
	/* Width of line i (0-based) is widths[min(i, nwidths-1)]. */
	const double *widths;
	size_t nwidths;
	const lb_glue *glue;      /* stretch and shrink of glue items, by ref */
	double tolerance;         /* max adjustment ratio, e.g. 2.0 (TeX 200) */
	int line_penalty;         /* e.g. 10 */
	int flagged_demerits;     /* e.g. 3000 (two hyphens in a row) */
	int fitness_demerits;     /* e.g. 3000 (adjacent lines differ a lot) */
	int final_hyphen_demerits;/* e.g. 5000 (the last line but one
				     hyphenated: TeX's \finalhyphendemerits) */
	int max_hyphens_in_row;   /* e.g. 2; 0 = no limit */
	double box_stretch;       /* boxes stretch and shrink by these
				     fractions of their width (font
				     expansion, e.g. 0.02); 0: rigid */
	double box_shrink;
	double emergency_stretch; /* stretch every line may count on in a
				     second pass, when the first finds no
				     way within tolerance (TeX's
				     \emergencystretch); 0: no such pass */
	int looseness;            /* TeX's \looseness: this many lines more
				     (< 0: fewer) than the best breaking, or
				     as near as the tolerance allows; 0: the
				     best (keep it 0 for long paragraphs:
				     it tracks every line count) */
} lb_params;

typedef struct lb_line {
	size_t start, end;        /* items [start, end) are set on the line; the
				     break is at item end (glue/penalty) */
	double ratio;             /* adjustment ratio: >0 stretch, <0 shrink */
	int hyphenated;           /* ends at a flagged penalty */
	int overfull;             /* could not be fitted within the measure */
} lb_line;

/* Break items[0..n) (the paragraph must end with glue(0, inf stretch)
 * and a forced break penalty; p->glue must hold every glue item's ref).
 * Tries tolerance; then tolerance with emergency stretch (which makes
 * loose lines cost less when choosing, but is not set: ratios are the
 * real ones); then a looser pass; then an emergency pass that always
 * succeeds (marking overfull lines). Never loops on a box wider than the
 * measure. Memory: the items, and about one search node per line (dead
 * branches are reused). *lines is malloc'd; the caller frees. Returns the
 * number of lines, or 0 on allocation failure. */
size_t lb_break(const lb_item *items, size_t n, const lb_params *p,
		lb_line **lines);

#endif
