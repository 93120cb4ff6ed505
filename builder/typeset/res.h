/* res.h - the shared resources of one run of the tool: font faces (read
 * through HarfBuzz, font/face.h) and hyphenation patterns, each loaded once
 * by path and kept until res_free, the cache of shaped text (font/shape.h),
 * the thread that compiles a style's patterns ahead of time, and the set of
 * characters already reported missing from the fonts. main.c creates one
 * and passes it to every layout (layout_booklet) and PDF (pdf_write), which
 * share the faces; nothing here is global.
 *
 * A run that builds several booklets makes one res for the run and one
 * child (res_child) per booklet: the child hands out its parent's faces,
 * patterns, shaped text and font subsets, and keeps its own set of missing characters,
 * so that each booklet's warnings are those it gets when built alone.
 *
 * Threads: any number of threads may use a res and its children at once:
 * the tables here lock, faces are immutable, the shape cache and the
 * patterns' word cache lock. The prefetch thread touches nothing but its
 * own result until joined. */
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

/* A res for one booklet of the run: faces, patterns and the shape cache
 * are parent's (which must outlive it), the missing characters its own.
 * Never NULL. */
res *res_child(res *parent);

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

/* The PDF subset of face f holding glyphs gids[0..n) (sorted, distinct,
 * .notdef among them), as hbsubset_build makes it (font/hbsubset.h): made
 * once per run and copied out to each PDF (and booklet) that draws the
 * same glyphs of the same face, as the A5 and its imposition do. Returns
 * a malloc'd copy (*out_len bytes) and the glyphs' new ids in new_gids,
 * or NULL with a message in err. */
unsigned char *res_font_subset(res *r, const face *f, const uint32_t *gids,
			       size_t n, uint32_t *new_gids, size_t *out_len,
			       char *err, size_t errlen);

/* A run-wide memo of bytes derived from bytes: a PDF stream's compressed
 * form (the same font program, CIDToGIDMap or ToUnicode CMap in the A5,
 * its imposition, the handout and the other booklets of the run). kind
 * tells derivations apart. res_memo_get copies the value kept for input
 * in[0..n) into a malloc'd buffer (*out_len bytes), or returns NULL;
 * res_memo_put keeps one (copies both; nothing once the memo holds its
 * limit). */
unsigned char *res_memo_get(res *r, int kind, const void *in, size_t n,
			    size_t *out_len);
void res_memo_put(res *r, int kind, const void *in, size_t n,
		  const void *out, size_t out_len);

/* The hyphenation patterns at path, loaded (or taken from the prefetch) on
 * first use and kept. NULL when they cannot be opened. */
hyph *res_hyph(res *r, const char *path);

/* 1 the first time it is called for code point cp with this res, else 0:
 * a character missing from the fonts is reported once per booklet,
 * however many layouts meet it. */
int res_first_missing(res *r, uint32_t cp);

/* Waits for the prefetch and frees everything r holds (of a child, only
 * what is its own). NULL is a no-op. */
void res_free(res *r);

#endif
