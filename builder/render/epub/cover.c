/* cover.c - the e-book's cover: the booklet's own cover image (PNG or
 * JPEG, checked by the raster decoder and embedded as it is) or, when it
 * names none, the A5 booklet's cover page drawn into a PNG (so the print
 * cover is the thumbnail a reader's library shows); and the cover page
 * that shows it, first in the spine. */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "doc/cite.h"
#include "render/epub/book.h"
#include "render/raster/decode.h"
#include "render/raster/raster.h"

/* The width of the cover drawn from the print cover: 1600 pixels, the
 * A5 page's proportion (1600 x 2263), as Kobo and Apple ask of covers. */
enum { EPUB_COVER_WIDTH = 1600 };
/* A booklet's own cover picture is embedded as it is up to 1600 x 2560
 * (Kindle's and Kobo's largest asked-for cover), else shrunk to fit and
 * written as a JPEG of this quality. */
enum { EPUB_COVER_HEIGHT = 2560, EPUB_COVER_QUALITY = 88 };

/* The words the drawn cover shows, as its alternative text. */
static const char *epub_cover_alt(epub *st)
{
	const doc_meta *m = &st->d->meta;
	buf b = {0};
	buf_printf(&b, "Cover of the booklet: %s", st->title);
	if (m->nauthors)
		buf_printf(&b, ", by %s",
			   cite_author_list(st->a, m->authors, m->nauthors));
	if (m->publisher && *m->publisher)
		buf_printf(&b, ", published by %s", m->publisher);
	buf_puts(&b, ".");
	const char *s = arena_strndup(st->a, b.data, b.len);
	buf_free(&b);
	return s;
}

/* The booklet's own image (read and checked to be a PNG or JPEG file by
 * the loader): decoded to check its pixels (a damaged file or one over the
 * limits is an error at <cover>), embedded as it is when it fits in
 * EPUB_COVER_WIDTH x EPUB_COVER_HEIGHT, else shrunk to fit and embedded
 * as a JPEG at EPUB_COVER_QUALITY (a phone photo would otherwise make the
 * e-book several megabytes for a thumbnail). */
static int epub_cover_file(epub *st, const doc_meta *m)
{
	int w, h;
	unsigned char *rgba = NULL;
	char err[256];
	if (raster_decode_image(m->cover_data, m->cover_len, &w, &h, &rgba,
				err, sizeof err)) {
		diag_add(st->diags, DIAG_ERROR, m->cover_pos.file,
			 m->cover_pos.line, m->cover_pos.col,
			 "cover image '%s': %s", m->cover_image, err);
		return -1;
	}
	unsigned char *bytes = NULL;
	size_t len = 0;
	double scale = 1;
	if (w > EPUB_COVER_WIDTH)
		scale = (double)EPUB_COVER_WIDTH / w;
	if (h * scale > EPUB_COVER_HEIGHT)
		scale = (double)EPUB_COVER_HEIGHT / h;
	if (scale < 1) {
		int nw = (int)(w * scale + 0.5), nh = (int)(h * scale + 0.5);
		nw = nw < 1 ? 1 : nw;
		nh = nh < 1 ? 1 : nh;
		unsigned char *small = raster_shrink(rgba, w, h, nw, nh);
		if (!small)
			mem_fail();
		int rc = raster_encode_jpeg(small, nw, nh, EPUB_COVER_QUALITY,
					    &bytes, &len, err, sizeof err);
		free(small);
		if (rc) {
			free(rgba);
			diag_add(st->diags, DIAG_ERROR, m->cover_pos.file,
				 m->cover_pos.line, m->cover_pos.col,
				 "cover image '%s': %s", m->cover_image, err);
			return -1;
		}
	}
	free(rgba);
	int png = !bytes && m->cover_len >= 8 &&
		  !memcmp(m->cover_data, "\x89PNG\r\n\x1a\n", 8);
	st->cover_file = png ? "cover.png" : "cover.jpg";
	st->cover_type = png ? "image/png" : "image/jpeg";
	st->cover_alt = m->cover_alt;
	if (!epub_entry_room(st, st->cover_file)) {
		free(bytes);
		return -1;
	}
	if (!bytes) {
		/* the entry owns malloc'd memory: a copy of the loader's bytes */
		bytes = xmalloc(m->cover_len);
		memcpy(bytes, m->cover_data, m->cover_len);
		len = m->cover_len;
	}
	st->entries[st->nentries++] = (epub_entry){
		arena_printf(st->a, EPUB_DIR "%s", st->cover_file), bytes, len, 0
	};
	return 0;
}

int epub_draw_cover(const lo_doc *lo, size_t page, unsigned char **png,
		    size_t *len, diag_list *d)
{
	return raster_page_png(lo, page, EPUB_COVER_WIDTH, png, len, d);
}

/* The A5 booklet's cover page, drawn, or taken drawn from the caller;
 * when the caller's is not drawn yet, its entry is made empty and filled
 * by epub_cover_finish. */
static int epub_cover_drawn(epub *st, const lo_doc *lo, size_t page)
{
	unsigned char *png = NULL;
	size_t len = 0;
	int pending = st->opt->cover &&
		      !st->opt->cover(st->opt->cover_ctx, 0, &png, &len);
	if (!pending && !png &&
	    epub_draw_cover(lo, page, &png, &len, st->diags) != 0)
		return -1;
	st->cover_file = "cover.png";
	st->cover_type = "image/png";
	st->cover_alt = epub_cover_alt(st);
	if (!epub_entry_room(st, st->cover_file)) {
		free(png);
		return -1;
	}
	st->cover_drawn = st->nentries;
	st->cover_late = pending;
	st->entries[st->nentries++] = (epub_entry){
		EPUB_DIR "cover.png", png, len, 0
	};
	return 0;
}

int epub_cover_finish(epub *st)
{
	if (!st->cover_late)
		return 0;
	epub_entry *e = &st->entries[st->cover_drawn];
	st->cover_late = 0;
	unsigned char *png = NULL;
	size_t len = 0;
	(void)st->opt->cover(st->opt->cover_ctx, 1, &png, &len);
	if (!png && epub_draw_cover(st->opt->print, 0, &png, &len,
				    st->diags) != 0)
		return -1;
	e->data = png;
	e->len = len;
	return 0;
}

/* The cover page: the image alone, with its alternative text. */
static int epub_cover_page(epub *st)
{
	epub_page pg;
	epub_page_new(st, &pg, EPUB_COVER_FILE, "Cover", NULL);
	epub_attr(st, pg.body, "class", "cover");
	xmlNodePtr img = epub_el(st, pg.body, "img");
	epub_type(&pg, img, "cover", "doc-cover");
	epub_attr(st, img, "src", st->cover_file);
	epub_attr(st, img, "alt", st->cover_alt);
	return epub_add_xml(st, pg.xd, EPUB_DIR EPUB_COVER_FILE);
}

int epub_cover_make(epub *st)
{
	const doc_meta *m = &st->d->meta;
	const lo_doc *lo = st->opt->print;
	int rc = 0;
	if (m->cover_data) {
		rc = epub_cover_file(st, m);
	} else if (lo && lo->npages && lo->pages[0].kind == LO_COVER) {
		rc = epub_cover_drawn(st, lo, 0);
	} else {
		return 0;    /* no cover to show */
	}
	return rc == 0 ? epub_cover_page(st) : -1;
}
