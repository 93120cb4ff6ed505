/* pagez.h - compressing a PDF's page contents on a thread beside the
 * drawing (see pagez.c). */
#ifndef CHAPBOOK_PAGEZ_H
#define CHAPBOOK_PAGEZ_H

#include <stddef.h>

#include "base/arena.h"

typedef struct pagez pagez;

/* A compressor thread deflating at libdeflate's level; NULL when no
 * thread or memory can be had (the caller then compresses in turn). */
pagez *pagez_start(int level);

/* Hand page tag's operators over: *ops is swapped with the buffer of the
 * page before (emptied, its room kept), so the caller draws on while this
 * one is compressed. At most one page is in flight: pagez_take first. */
void pagez_give(pagez *p, buf *ops, int tag);

/* Wait for the page in flight: 1 with its zlib bytes in *z (malloc'd, the
 * caller's; *zn is 0 when compressing failed) and its tag; 0 when no page
 * is in flight. */
int pagez_take(pagez *p, unsigned char **z, size_t *zn, int *tag);

/* Stop the thread (after the page in flight) and free everything. */
void pagez_stop(pagez *p);

#endif
