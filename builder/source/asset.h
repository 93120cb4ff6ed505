/* asset.h - files a booklet names beside itself (its bibliography files,
 * its cover image): the one rule for where they may be (inside the
 * booklet's directory, symbolic links followed), and reading the cover
 * image whole within a limit, checked to be what it says before any
 * renderer decodes it. */
#ifndef CHAPBOOK_ASSET_H
#define CHAPBOOK_ASSET_H

#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"
#include "doc/doc.h"

/* The largest cover image file read (its pixels have their own limits,
 * render/raster/decode.h). */
#define ASSET_MAX_IMAGE (32u * 1024 * 1024)

/* The path of the file rel names beside the booklet at booklet_path, in
 * arena a, when rel is relative and resolves (symbolic links followed)
 * inside the booklet's directory; else NULL with *why saying so ("it
 * must be a path relative to the booklet's directory", "it is outside the
 * booklet's directory", or the system's reason, such as "No such file or
 * directory", when it cannot be resolved: then *io, if given, is 1). */
char *asset_path(const char *booklet_path, const char *rel, arena *a,
		 const char **why, int *io);

/* Read the image file rel, named at pos by the booklet at booklet_path,
 * into arena a: a path asset_path accepts, to a PNG or JPEG file (told by
 * its first bytes) of at most ASSET_MAX_IMAGE bytes. Returns 0 with *data
 * and *len, or -1 after adding an error at pos (an I/O error, exit 2,
 * when the file cannot be found or read). */
int asset_read_image(const char *booklet_path, const char *rel,
		     const doc_pos *pos, arena *a, diag_list *d,
		     const unsigned char **data, size_t *len);

#endif
