/* slip.h - libxml2's parse errors in plain words. The commonest slips in a
 * hand-written booklet (a bare '&' or '<', an HTML entity such as &nbsp;,
 * curly or missing quotes around an attribute value, an unclosed or
 * mismatched tag, a file cut short) each become one error at the slip
 * itself, with a hint saying what to write; anything else keeps libxml2's
 * words. One error for one mistake: libxml2 goes on parsing after a
 * well-formedness error and reports what follows from it, so after the
 * first error that breaks the structure nothing more is reported (errors
 * that leave it whole, such as a bare '&', are each reported).
 *
 * The diagnosis reads the source itself: what precedes libxml2's first
 * structural error is well-formed, so a simple scan of it knows which
 * elements are open and where each was opened. The scan moves forward
 * only, with the errors, so a file with many slips costs one pass. */
#ifndef CHAPBOOK_SLIP_H
#define CHAPBOOK_SLIP_H

#include <stddef.h>

#include <libxml/xmlerror.h>

#include "base/diag.h"

typedef struct slip_open slip_open;

typedef struct slip_ctx {
	const char *path;
	const char *src;
	size_t len;
	diag_list *d;
	int done;                 /* a structural error was reported */
	int last_line, last_col;  /* where the last error was */
	int ln;                   /* a line whose start is known ... */
	size_t ln_off;            /* ... and where it starts */
	int memo_col;             /* a column on that line (0: none) ... */
	size_t memo_off;          /* ... and its offset: columns are counted
				     on from there, so many slips on one
				     long line cost one pass */
	size_t off;               /* the scan: how far it has read */
	int line, col;            /* where that is */
	slip_open *open;          /* the elements open there, outermost first */
	size_t depth, cap;
} slip_ctx;

/* Start diagnosing the parse of src[0..len) (the bytes libxml2 reads),
 * named path; diagnostics go to d. */
void slip_init(slip_ctx *s, const char *path, const char *src, size_t len,
	       diag_list *d);

/* Report e, an error or warning of libxml2's parser, whose message (one
 * line, libxml2's words) is msg: in plain words with a hint when it is a
 * slip this module knows, as msg otherwise, and not at all when it follows
 * from an error already reported. */
void slip_report(slip_ctx *s, const xmlError *e, const char *msg);

void slip_free(slip_ctx *s);

#endif
