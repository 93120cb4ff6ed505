/* ocf.h - the EPUB's zip container (OCF: the Open Container Format), written
 * here rather than by libzip: the entries in the order given, each stored or
 * deflated with libdeflate, every one with the same DOS time and mode 0644,
 * no extra fields, no comment, no data descriptors, so that two builds of
 * the same book are byte-identical. Zip64 is not written: a book of 4 GiB
 * or 65,535 files is refused. */
#ifndef CHAPBOOK_OCF_H
#define CHAPBOOK_OCF_H

#include <stddef.h>

#include "base/arena.h"

/* One file of the zip. stored: written as it is (mimetype, which EPUB
 * requires stored, and data that is compressed already: PNG, JPEG). */
typedef struct ocf_entry {
	const char *name;
	const void *data;
	size_t len;
	int stored;
} ocf_entry;

/* The zip of e[0..n) into out (appended), dated epoch (seconds since 1970,
 * UTC; times before 1980, which DOS dates cannot hold, are written as
 * 1980-01-01). Returns 0, or -1 with a message in err (too large for a zip
 * without Zip64). Out of memory takes base/mem.h's mem_fail. */
int ocf_write(const ocf_entry *e, size_t n, long long epoch, buf *out,
	      char *err, size_t errlen);

#endif
