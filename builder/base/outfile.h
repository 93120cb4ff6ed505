/* outfile.h - the one home of writing an output file: into a temporary
 * file beside the target, flushed and closed, then renamed over it. On any
 * failure the previous file is untouched and no temporary file is left. */
#ifndef CHAPBOOK_OUTFILE_H
#define CHAPBOOK_OUTFILE_H

#include <stddef.h>

#include "base/diag.h"

/* Write len bytes to path atomically. Returns 0 on success; on failure adds
 * a diagnostic naming path and returns -1. */
int outfile_write(const char *path, const void *data, size_t len,
		  diag_list *d);

/* A build's outputs as one transaction: after outfile_begin, outfile_write
 * leaves each complete file under its temporary name; outfile_commit
 * renames them all into place (0, or -1 with a diagnostic), and
 * outfile_rollback removes them, so a build that fails half-way replaces
 * none of the previous outputs. */
void outfile_begin(void);
int outfile_commit(diag_list *d);
void outfile_rollback(void);

/* Create directory dir (and parents) if missing. 0 on success, else -1
 * with a diagnostic. */
int outfile_mkdirs(const char *dir, diag_list *d);

#endif
