/* res.h - the shared resources of one run of the tool: font faces (read
 * through HarfBuzz, font/face.h) and hyphenation patterns, each loaded once
 * by path and kept until res_free, the cache of shaped text (font/shape.h),
 * the thread that compiles a style's patterns ahead of time, and the set of
 * characters already reported missing from the fonts. main.c creates one
 * and passes it to every layout (layout_booklet) and PDF (pdf_write), which
 * share the faces; nothing here is global.
 *
 * Threads: one thread at a time uses a res (faces are immutable and the
 * shape cache locks, but the tables here do not); only the prefetch thread
 * runs beside it, and it touches nothing but its own result until joined. */
#ifndef CHAPBOOK_RES_H
#define CHAPBOOK_RES_H

#include <stddef.h>
#include <stdint.h>

#include "font/face.h"
#include "font/shape.h"
#include "typeset/hyph.h"

struct style;
typedef struct res res;

/* An empty set of resources (never NULL: out of memory exits). */
res *res_new(void);

/* Start compiling st's hyphenation patterns on a second thread, so that
 * they are ready when a layout asks for them (res_hyph waits). Optional: if
 * no thread can be had, res_hyph loads them itself; a failure is left for
 * res_hyph's caller to report. */
void res_prefetch(res *r, const struct style *st);

/* The face at path, loaded on first use and kept. NULL with a message (no
 * location prefix) in err when it cannot be loaded; a later call tries
 * again. */
face *res_font(res *r, const char *path, char *err, size_t errlen);

/* The run's cache of shaped text, shared by every layout (the A5 and the
 * handout shape the same words), made on first use. Never NULL (out of
 * memory exits). Its runs live until res_free. */
shape_cache *res_shaper(res *r);

/* The hyphenation patterns at path, loaded (or taken from the prefetch) on
 * first use and kept. NULL when they cannot be opened. */
hyph *res_hyph(res *r, const char *path);

/* 1 the first time it is called for code point cp in this run, else 0:
 * a character missing from the fonts is reported once, however many
 * layouts meet it. */
int res_first_missing(res *r, uint32_t cp);

/* Waits for the prefetch and frees everything r holds. NULL is a no-op. */
void res_free(res *r);

#endif
