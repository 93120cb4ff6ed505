/* build.h - writing a checked booklet's outputs as the options ask: the
 * EPUB on its own thread while the PDFs are laid out (the A5 PDF and its
 * imposition share one layout), all in one all-or-nothing transaction
 * (base/outfile). Says which files it wrote and which inputs it used;
 * prints nothing itself (but --dump-layout's text). */
#ifndef CHAPBOOK_BUILD_H
#define CHAPBOOK_BUILD_H

#include "base/arena.h"
#include "base/diag.h"
#include "cli/args.h"
#include "cli/paths.h"
#include "doc/doc.h"
#include "typeset/res.h"

enum { BUILD_MAX_FILES = 8 };

/* What a build wrote and read, for the command line to report. */
typedef struct build_report {
	const char *written[BUILD_MAX_FILES];   /* in the order built */
	size_t nwritten;
	const char *inputs[BUILD_MAX_FILES];    /* "PATH (WHY)": the style
						   files and fonts used */
	size_t ninputs;
} build_report;

/* Build every output o asks for, all or nothing. 0 when every output is
 * in place; -1 after adding the diagnostics that say why (nothing
 * written then). r lists the outputs only on success. rs holds the
 * fonts and hyphenation patterns the layouts share. */
int build_run(const args *o, const paths *p, const doc *d, res *rs,
	      arena *a, diag_list *dg, build_report *r);

/* Start reading the first PDF style's hyphenation patterns on a second
 * thread, while the booklet is parsed and checked. Quiet: errors are
 * reported by build_run, in their usual place. */
void build_prefetch(const args *o, const paths *p, res *rs, arena *a);

/* The build's timestamp: SOURCE_DATE_EPOCH when set, else midnight UTC of
 * the review date; never the wall clock. -1 when the variable is
 * malformed. */
long long build_epoch(const doc *d);

#endif
