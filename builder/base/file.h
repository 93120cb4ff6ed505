/* file.h - the one way the tool reads an input file whole (booklets,
 * styles, style sheets, fonts, hyphenation patterns): regular files only,
 * with a size limit, read in one go or mapped read-only. */
#ifndef CHAPBOOK_FILE_H
#define CHAPBOOK_FILE_H

#include <stddef.h>

#include "base/arena.h"
#include "base/diag.h"

typedef enum file_status {
	FILE_OK = 0,
	FILE_CANNOT_OPEN,    /* missing or unreadable: errno in file_bytes.err */
	FILE_NOT_REGULAR,    /* a directory, a device, a pipe */
	FILE_TOO_LARGE,      /* over the caller's limit */
	FILE_READ_ERROR      /* an I/O error while reading */
} file_status;         /* (out of memory is mem_fail: base/mem.h) */

typedef struct file_bytes {
	unsigned char *data; /* read: malloc'd with a NUL after len; mapped:
				the mapping (no NUL) */
	size_t len;
	int mapped;
	int err;             /* errno for FILE_CANNOT_OPEN and READ_ERROR */
} file_bytes;

/* Read the regular file at path, at most max bytes, into malloc'd memory
 * followed by a NUL. */
file_status file_read(const char *path, size_t max, file_bytes *out);

/* The same, mapped read-only where the system allows (else read). */
file_status file_map(const char *path, size_t max, file_bytes *out);

/* dir/name when it resolves inside dir, symbolic links followed (the
 * files a booklet names, its bibliographies and cover image, stay in its
 * directory); NULL otherwise, with *why a short phrase ("No such file or
 * directory", "it is outside the booklet's directory"). Arena memory. */
char *file_inside(const char *dir, const char *name, arena *a,
		  const char **why);

/* The directory part of path: "." when it has none, "/" at the root.
 * Arena memory. */
const char *file_dir(const char *path, arena *a);

/* Release what file_read or file_map returned (safe on a zeroed value). */
void file_release(file_bytes *f);

/* A short phrase for a failure ("not a regular file", "No such file or
 * directory", "larger than the limit of 64 MiB"), for diagnostics that
 * read "cannot read style PATH: PHRASE". Static or buf memory. */
const char *file_status_text(file_status s, const file_bytes *f, size_t max,
			     char *buf, size_t buflen);

/* Report a failed file_read or file_map of path as "cannot read WHAT:
 * PHRASE" at path: an I/O error (diag_io, exit 2) when it cannot be opened
 * or read or is not a regular file, an error in the input (exit 1) when it
 * is over the limit max. */
void file_report(diag_list *d, const char *path, const char *what,
		 file_status s, const file_bytes *f, size_t max);

#endif
